/* SPDX-License-Identifier: MIT */
/*
 * tcpsim/view.h: pictures and explanations of a run, built from its trace events.
 *
 *   ladder      the lecture picture: a column per endpoint, slanted arrows, states
 *               beside the columns (text for a terminal, or SVG)
 *   plot_seq    sequence numbers against time, as tcptrace draws them (SVG)
 *   plot_cwnd   congestion window and slow-start threshold against time (SVG)
 *   explain     the text trace with a sentence after each line saying why it happened
 *
 * Each output is written whole or not at all (a temporary renamed into place when the
 * run ends). A view that is not asked for costs nothing.
 */
#ifndef TCPSIM_VIEW_H
#define TCPSIM_VIEW_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "sim.h"

G_BEGIN_DECLS

struct tcpsim_views {
    const char *ladder;     /* path ("-": standard output) or NULL for none */
    const char *ladder_svg;
    const char *plot_seq;   /* sequence numbers against time (SVG) */
    const char *plot_cwnd;  /* congestion window against time (SVG) */
    const char *explain;    /* the trace, each line followed by why it happened */
    const char *html;       /* the interactive page: ladder, timeline, states, windows */
    const char *lang;       /* explain and the pictures: "en" (the default) or "zh" */
    /* What the ladder and the plots show: the events from `from` to `to` (inclusive);
     * a segment sent in that window is drawn to its end. */
    int64_t from;           /* ns */
    bool has_to;
    int64_t to;             /* ns */
    uint64_t segments;      /* ladder: at most this many segments (0: all) */
    bool app;               /* ladder: show application calls */
    const char *only;       /* ladder: only the connection of this name or client port */
    uint64_t connections;   /* ladder: only the first N connections (0: all) */
    bool window;            /* ladder: the window on every segment */
    bool textbook;          /* ladder: seq=x, ack=y+1, offsets from the ISNs */
    bool linear_time;       /* ladder: rows in proportion to time, nothing left out */
    bool lanes;             /* ladder SVG: each connection between its own lane lines */
    bool slides;            /* ladder_svg: 16:9 pages FILE-1.svg ... with large text */
    const char *quiz;       /* a worksheet about the run, with its answer key */
    const char *quiz_key;   /* the key on its own (NULL: after the questions) */
    uint64_t quiz_seed;     /* which worksheet: the questions chosen, the order shuffled */
};

/* The languages of explain mode, NULL-terminated: "en", "zh". */
const char *const *tcpsim_view_langs(void);

/* Adds the views' trace sinks; call before tcpsim_trace_begin(). `absolute` prints raw
 * sequence numbers; `cc` puts congestion-window changes into explain mode's trace, as
 * into the text trace (the cwnd plot sees them always). FALSE with
 * `error` for a bad option or an output that cannot be created. */
gboolean tcpsim_trace_views(struct tcpsim_sim *sim, const struct tcpsim_views *views,
                            gboolean absolute, gboolean cc, GError **error);

G_END_DECLS

#endif
