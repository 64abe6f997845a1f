/* SPDX-License-Identifier: MIT */
/*
 * compare.h: two views aligned, and what differs between them.
 */
#ifndef TCPSIM_DIFF_COMPARE_H
#define TCPSIM_DIFF_COMPARE_H

#include "view.h"

enum div_type {
    DIV_MISSING, /* in A only */
    DIV_EXTRA,   /* in B only */
    DIV_CHANGED, /* the same event (by kind, who and direction or connection), different */
    DIV_TIMING,  /* the same event at another time */
};

/* What differs in a DIV_CHANGED pair. */
enum div_field {
    FLD_ENDPOINTS = 1u << 0,
    FLD_FLAGS = 1u << 1,
    FLD_SEQ = 1u << 2,
    FLD_ACK = 1u << 3,
    FLD_WIN = 1u << 4,
    FLD_URG = 1u << 5,
    FLD_OPTIONS = 1u << 6,
    FLD_LEN = 1u << 7,
    FLD_ANNOTATION = 1u << 8,
    FLD_BODY = 1u << 9, /* a non-segment event's text */
    FLD_TIME = 1u << 10,
};

/* One step of the aligned sequence: an event of A, of B, or a pair. */
struct step {
    int64_t a;      /* view index in A, or -1 */
    int64_t b;      /* view index in B, or -1 */
    int64_t next_a; /* where A stands at this step (for locating a missing side) */
    int64_t next_b;
    enum div_type type;
    bool diverges; /* false: an equal pair */
    uint32_t fields;
};

struct comparison {
    GArray *steps; /* struct step, in order */
    uint64_t divergences;
    int64_t first; /* step index of the first divergence, -1 if none */
};

void compare_views(const struct view *va, const struct view *vb, const struct view_config *c,
                   int64_t time_within, struct comparison *out);
void comparison_clear(struct comparison *r);

#endif
