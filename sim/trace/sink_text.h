/*
 * sink_text.h: the canonical text trace sink.
 */
#ifndef TCPSIM_TRACE_SINK_TEXT_H
#define TCPSIM_TRACE_SINK_TEXT_H

#include "trace.h"

/* Adds a text sink writing to `path` ("-" for standard output). `absolute` prints raw
 * sequence numbers instead of numbers relative to each side's ISN. */
/* What a text sink costs, for the simulation's memory meter: its buffer and state. */
#define SINK_TEXT_BYTES ((1 << 20) + 4096)

gboolean sink_text_add(struct trace *t, const char *path, gboolean absolute, gboolean cc,
                       GError **error);

#endif
