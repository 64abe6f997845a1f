/* SPDX-License-Identifier: MIT */
/*
 * plot.h: what the two plots share: a frame that maps time and a value onto the page,
 * its axes with "nice" ticks, and the SVG around them.
 *
 * All arithmetic is on integers (nanoseconds, bytes, tenths of a pixel), so a plot is
 * byte for byte the same on every run and every machine.
 */
#ifndef TCPSIM_VIEW_PLOT_H
#define TCPSIM_VIEW_PLOT_H

#include <glib.h>
#include <stdint.h>

#include "../engine/time.h"

#define PLOT_W 900 /* the page */
#define PLOT_H 580

struct plot_frame {
    int x0, y0, w, h; /* the plotting area, pixels */
    sim_time t0, t1;  /* time at its left and right edges */
    int64_t v0, v1;   /* value at its bottom and top edges */
    const char *time_name; /* the time axis's name ("time (s)"; NULL: that) */
};

/* A frame over [t0, t1] x [v0, v1], widened so that neither range is empty; the value
 * range grows by a tenth above so the highest point is not on the edge. */
void plot_frame_init(struct plot_frame *f, sim_time t0, sim_time t1, int64_t v0, int64_t v1);
/* Positions in tenths of a pixel; values outside the frame are clamped to its edge. */
int64_t plot_x(const struct plot_frame *f, sim_time t);
int64_t plot_y(const struct plot_frame *f, int64_t v);

/* The page: title and subtitle, the frame, ticks and labels of both axes (the value
 * axis in bytes, "40k", "1.5M"), and the axis names. `css` is added to the style. */
void plot_begin(GString *out, const struct plot_frame *f, const char *title, const char *sub,
                const char *yname, const char *css);
/* A legend entry at position i (top right, one a line): a short line of `cls`. */
void plot_legend(GString *out, const struct plot_frame *f, int i, const char *cls,
                 const char *text);
void plot_end(GString *out);
/* A page saying there was nothing to plot, with the reason. */
void plot_empty(GString *out, const char *title, const char *why);

#endif
