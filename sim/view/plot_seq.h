/* SPDX-License-Identifier: MIT */
/*
 * plot_seq.h: the sequence plot's data, collected by its sink (plot_seq.c) and drawn
 * by plot_seq_draw.c.
 */
#ifndef TCPSIM_VIEW_PLOT_SEQ_H
#define TCPSIM_VIEW_PLOT_SEQ_H

#include "words.h"
#include <glib.h>
#include <stdbool.h>

#include "../engine/time.h"
#include "../wire/seq.h"

enum pt_kind { PT_DATA, PT_REXMIT, PT_DROP, PT_ACK, PT_SACK };

struct pt {
    sim_time at;
    guint flow;   /* the data direction the point belongs to */
    uint8_t kind; /* enum pt_kind */
    int64_t lo;   /* data: first sequence number; ACK: the ack; SACK: block start */
    int64_t hi;   /* data: past the last; ACK: the right edge of the window; SACK: end */
};

/* One direction of a connection. */
struct flow {
    struct tcpsim_addr saddr, daddr;
    uint16_t sport, dport;
    char *from, *to;  /* host names */
    bool base_known;
    tcp_seq base;     /* the ISN (or the first sequence number seen) */
    bool syn_wscale;  /* its SYN offered window scaling ... */
    uint8_t wscale;   /* ... with this shift */
    int64_t last;     /* the last relative number, for unwrapping */
    uint64_t bytes;   /* payload sent */
};

struct seq_data {
    char *scenario;
    uint64_t seed;
    GArray *flows; /* struct flow */
    GArray *pts;   /* struct pt, in trace order */
    const struct view_words *w;
};

/* The plot of `flow` (an index into d->flows), or a page saying why there is none (-1). */
void plot_seq_draw(GString *out, const struct seq_data *d, int flow);

#endif
