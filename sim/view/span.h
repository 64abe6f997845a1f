/* SPDX-License-Identifier: MIT */
/*
 * span.h: durations as the views write them for people: "60 s", "1.5 s", "200 ms".
 */
#ifndef TCPSIM_VIEW_SPAN_H
#define TCPSIM_VIEW_SPAN_H

#include "../engine/time.h"
#include <glib.h>

#include "../trace/strbuf.h"

/* The largest unit that keeps the value at least 1, with up to three decimals (trailing
 * zeros dropped): 59990000000 -> "59.99 s", 70000000 -> "70 ms", 1500 -> "1.5 us". */
void view_span(struct strbuf *sb, sim_time ns);

#endif
