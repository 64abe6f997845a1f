/* SPDX-License-Identifier: MIT */
/*
 * record.h: trace events kept for drawing after the run.
 *
 * The pictures (ladder, plots) are laid out once the whole run is known, so their sinks
 * keep copies of the events they need. A copy owns its segment and strings (the
 * producer's are borrowed for the duration of one emission only), and the bases for
 * printing its sequence numbers relative to the ISNs known when it happened, as the
 * text trace prints them.
 */
#ifndef TCPSIM_VIEW_RECORD_H
#define TCPSIM_VIEW_RECORD_H

#include <glib.h>

#include "../trace/fmt_tcpdump.h"
#include "../trace/trace.h"
#include "conn.h"

struct rec_header {
    char *scenario; /* or NULL */
    char *title;    /* or NULL */
    uint64_t seed;
    guint nhosts;
    char **host_names;
    struct tcpsim_addr *host_addrs;
    struct tcpsim_addr *host_addrs2; /* NULL when the header had none */
};

struct rec {
    struct rec_header hdr;
    GArray *events;        /* struct trace_event, each `seg` pointing into `segs` */
    GPtrArray *segs;       /* struct tcp_seg *, owned (payload bytes are not kept) */
    GArray *rels;          /* struct fmt_rel per event (zero for events with no segment) */
    GStringChunk *strings; /* every string the copies point to */
    struct isn_table *isn;
    struct conn_table *conns; /* every connection of the run, named */
    GArray *conn_ids;      /* int per event: its connection when it happened, or -1 */
};

void rec_init(struct rec *r);
void rec_clear(struct rec *r);
void rec_header(struct rec *r, const struct trace_header *hdr);
/* Forgets the events kept (not the header, nor the ISNs learnt). */
void rec_reset(struct rec *r);
/* Learns from every event, kept or not (SYNs teach the ISNs). */
void rec_observe(struct rec *r, const struct trace_event *ev);
/* Appends a copy of `ev`; returns the copy (valid until the next append). */
const struct trace_event *rec_add(struct rec *r, const struct trace_event *ev);
static inline const struct trace_event *
rec_at(const struct rec *r, guint i)
{
    return &g_array_index(r->events, struct trace_event, i);
}
static inline const struct fmt_rel *
rec_rel(const struct rec *r, guint i)
{
    return &g_array_index(r->rels, struct fmt_rel, i);
}
/* The connection an event kept belonged to when it happened, or NULL. */
const struct conn_info *rec_conn(const struct rec *r, guint i);
/* The host's index in the header, or -1. */
int rec_host_index(const struct rec *r, const char *name);

#endif
