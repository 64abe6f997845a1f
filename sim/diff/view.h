/* SPDX-License-Identifier: MIT */
/*
 * view.h: the events of one trace that take part in a comparison, normalised and keyed.
 *
 * Each event gets two interned keys: the full key (everything compared except time)
 * aligns identical events; the coarse key (kind, who, direction or connection) pairs the
 * leftovers that are the "same" event with different details. Both sides of a diff
 * intern into one keyspace, so equal keys are equal numbers.
 */
#ifndef TCPSIM_DIFF_VIEW_H
#define TCPSIM_DIFF_VIEW_H

#include "dtrace.h"

enum view_at { VIEW_AT_ALL, VIEW_AT_HOST, VIEW_AT_SENT, VIEW_AT_DELIVERED };

struct view_config {
    uint32_t ignore;     /* enum diff_ignore */
    bool segments_only;  /* compare segments only, as a capture sees them */
    enum view_at at;     /* which tcpsim segment events stand for the capture */
    const char *at_host; /* VIEW_AT_HOST */
    int64_t precision;   /* ns: times are compared at this resolution */
    bool rebase;         /* times from each side's first event */
};

struct view_ev {
    uint32_t ev;      /* index in the trace's events */
    struct dseg seg;  /* segments: the numbers as compared (see view.c) */
    int64_t at;       /* normalised time */
    const char *opts; /* segments: canonical options */
    const char *body; /* other events: normalised body */
};

struct keyspace {
    GHashTable *ids; /* key text -> id + 1, lookup only */
    GStringChunk *strings;
    uint32_t next;
};

struct view {
    const struct dtrace *t;
    GArray *items;  /* struct view_ev */
    GArray *key;    /* uint32_t */
    GArray *coarse; /* uint32_t */
};

void keyspace_init(struct keyspace *ks);
void keyspace_clear(struct keyspace *ks);

void view_build(struct view *v, const struct dtrace *t, const struct view_config *c,
                struct keyspace *ks);
void view_clear(struct view *v);

static inline const struct dev *
view_dev(const struct view *v, guint i)
{
    const struct view_ev *x = &g_array_index(v->items, struct view_ev, i);
    return &g_array_index(v->t->ev, struct dev, x->ev);
}

static inline const struct view_ev *
view_item(const struct view *v, guint i)
{
    return &g_array_index(v->items, struct view_ev, i);
}

/* Writes "10.0.0.1.80" (or with "*" for an ignored address or port). */
void view_put_endpoint(GString *s, const struct tcpsim_addr *addr, uint16_t port,
                       uint32_t ignore);

#endif
