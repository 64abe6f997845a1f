/* SPDX-License-Identifier: MIT */
/*
 * view.h: the view module: trace sinks that draw or explain a run (see
 * include/tcpsim/view.h). Each view is a sink; the world adds them through view_add().
 */
#ifndef TCPSIM_VIEW_VIEW_H
#define TCPSIM_VIEW_VIEW_H

#include <glib.h>
#include <tcpsim/view.h>

#include "../trace/trace.h"

/* Adds a sink for every view asked for. FALSE with `error` for a bad
 * option or an output that cannot be created (sinks added before the failure go
 * with the trace). */
gboolean view_add(struct trace *t, const struct tcpsim_views *v, bool absolute, bool cc,
                  GError **error);

/* The sinks (view.c checks the options first). */
gboolean sink_ladder_add(struct trace *t, const struct tcpsim_views *v, bool absolute,
                         GError **error);
gboolean plot_seq_add(struct trace *t, const struct tcpsim_views *v, GError **error);
gboolean plot_cwnd_add(struct trace *t, const struct tcpsim_views *v, GError **error);
gboolean quiz_add(struct trace *t, const struct tcpsim_views *v, GError **error);
gboolean explain_add(struct trace *t, const char *path, const char *lang, bool absolute, bool cc,
                     GError **error);

#endif
