/* SPDX-License-Identifier: MIT */
/*
 * sink_text.h: the canonical text trace sink.
 */
#ifndef TCPSIM_TRACE_SINK_TEXT_H
#define TCPSIM_TRACE_SINK_TEXT_H

#include "strbuf.h"
#include "trace.h"

/* Adds a text sink writing to `path` ("-" for standard output). `absolute` prints raw
 * sequence numbers instead of numbers relative to each side's ISN. */
/* What a text sink costs, for the simulation's memory meter: its buffer and state. */
#define SINK_TEXT_BYTES ((1 << 20) + 4096)

gboolean sink_text_add(struct trace *t, const char *path, gboolean absolute, gboolean cc,
                       GError **error);

/* The line printer behind the text sink, for readers that print trace lines among
 * their own (explain mode). A line never needs more than TEXT_LINE_MAX bytes. */
#define TEXT_LINE_MAX 4096
struct text_lines;
struct text_lines *text_lines_new(gboolean absolute);
void text_lines_free(struct text_lines *tl);
/* Appends the header lines ("# tcpsim trace v1" ...) and sizes the WHO column. */
void text_lines_header(struct text_lines *tl, const struct trace_header *hdr, GString *out);
/* One event as its line, without the newline. Call for every event, in order: SYNs
 * sent teach the ISNs that later lines are relative to. */
void text_lines_event(struct text_lines *tl, const struct trace_event *ev, struct strbuf *sb);

#endif
