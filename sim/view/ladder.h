/* SPDX-License-Identifier: MIT */
/*
 * ladder.h: the ladder diagram, laid out once and drawn twice (text and SVG).
 *
 * The lecture picture of a connection: a column per endpoint (the first two hosts, A
 * and B), time running down, an arrow per segment slanting from its sending to its
 * arrival, an X where the link lost one, and beside each column what happened there:
 * state changes, timers, discards (and application calls, on request).
 *
 * Time maps to rows: a typical one-way trip takes LADDER_CROSS_ROWS rows, events at the
 * same time take a row each (in trace order), and an idle stretch longer than
 * LADDER_GAP_ROWS rows is drawn as a short dotted gap with its length. Both renderers
 * place things by row, so they show the same picture.
 */
#ifndef TCPSIM_VIEW_LADDER_H
#define TCPSIM_VIEW_LADDER_H

#include <glib.h>
#include <stdbool.h>

#include "record.h"
#include "words.h"

#define LADDER_CROSS_ROWS 4 /* rows a one-way trip of the shortest delay takes */
#define LADDER_GAP_ROWS 8   /* longer idle stretches are compressed ... */
#define LADDER_GAP_DRAWN 3  /* ... to this many dotted rows */
#define LADDER_LINEAR_ROWS 240 /* --linear-time: the run's span takes at most this many rows */
#define LADDER_LABEL_COLS 17
#define LADDER_MAX_LANES 12  /* --lanes: more connections share the lanes, modulo */ /* width of the label column beside each endpoint */

enum ladder_end {
    LADDER_END_ARRIVAL, /* the receiver got it */
    LADDER_END_DROP,    /* the link lost it: an X mid-link */
    LADDER_END_NONE,    /* still in flight when the run (or the picture) ended */
};

/* The columns: the first two hosts, and the spoofed sources of a flood (drawn left of
 * A when there are any: they are nobody's host). */
enum { LADDER_COL_A = 0, LADDER_COL_B = 1, LADDER_COL_SPOOFED = 2, LADDER_NCOLS = 3 };

struct ladder_arrow {
    int from;          /* the sending's column */
    int to;            /* the receiving column; from == to: a loop (a self-connect) */
    int conn;          /* the connection's index in the picture, -1 for none */
    int row0;          /* the row of the sending */
    int row1;          /* the row of the arrival, of the X, or the last row */
    enum ladder_end end;
    bool retransmit;   /* a retransmission or probe: drawn distinctly in SVG */
    const char *label; /* "SYN seq=0", "PSH-ACK 1:101 ack=1 (rto #1)" */
    const char *drop;  /* the link's reason ("loss"), for a drop */
    int ev;            /* the sending's index in the record */
    int ev1;           /* the arrival's or loss's, or -1 */
};

enum ladder_label_kind {
    LADDER_STATE,
    LADDER_TIMER,
    LADDER_DISCARD,
    LADDER_NOTE, /* a delivery's note ("duplicate"), a change of the world */
    LADDER_APP,
};

/* One line of text beside a column (long labels are wrapped onto following rows). */
struct ladder_label {
    int side; /* 0: left of A's column, 1: right of B's */
    int conn; /* the connection it belongs to, -1 for none */
    int row;
    enum ladder_label_kind kind;
    const char *text;
    int ev;   /* the event's index in the record (a wrapped label: every line) */
};

struct ladder_row {
    sim_time at;
    bool show_time; /* the first row of its time: the time is printed here */
    bool gap;       /* part of a compressed idle stretch */
    sim_time gap_len; /* on the middle row of a gap: how long the stretch was */
};

struct ladder {
    const struct rec_header *hdr;
    int host[2];       /* header indexes of A and B */
    GArray *rows;      /* struct ladder_row */
    GArray *arrows;    /* struct ladder_arrow, in the order sent */
    GArray *labels;    /* struct ladder_label */
    GStringChunk *strings;
    bool others;       /* events of other hosts were left out */
    bool absolute;     /* sequence numbers are absolute */
    bool spoofed;      /* the spoofed sources' column is drawn */
    GPtrArray *conns;  /* const struct conn_info * of the picture, by index */
    const struct view_words *w; /* the words it is drawn in */
    bool lanes;        /* the SVG gives each connection a lane of its own */
};

struct ladder_opts {
    bool absolute; /* raw sequence numbers */
    bool app;      /* show application calls */
    bool window;   /* the window on every segment */
    bool textbook; /* seq=x, ack=y+1: numbers as offsets from the ISNs, named */
    bool linear;   /* time to rows in proportion, no idle stretch left out */
    const char *lang; /* the words: "en" (NULL) or "zh" */
    bool lanes;       /* SVG: a lane per connection */
};

/* Whether the picture tells connections apart (more than one is drawn). */
static inline bool
ladder_many(const struct ladder *L)
{
    return L->conns->len > 1;
}

/* Lays out the recorded events (already cut to the range the user asked for). */
struct ladder *ladder_layout(const struct rec *r, const struct ladder_opts *o);
void ladder_free(struct ladder *L);

static inline int
ladder_nrows(const struct ladder *L)
{
    return (int)L->rows->len;
}

/* The picture as text, at most 100 columns wide. */
void ladder_text(const struct ladder *L, GString *out);
/* The picture as a standalone SVG document. */
void ladder_svg(const struct ladder *L, GString *out);
/* The same with data-a (arrow), data-l (label) and data-c (connection) attributes on
 * its elements, for the interactive page (html.c) to show, hide and highlight. */
void ladder_svg_interactive(const struct ladder *L, GString *out);
/* The picture as 16:9 slides (1600 x 900, large type), a GString * per page. */
GPtrArray *ladder_svg_slides(const struct ladder *L);

#endif
