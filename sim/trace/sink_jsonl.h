/* SPDX-License-Identifier: MIT */
/*
 * sink_jsonl.h: the trace as JSON lines, one object per event (docs/traces.md).
 */
#ifndef TCPSIM_TRACE_SINK_JSONL_H
#define TCPSIM_TRACE_SINK_JSONL_H

#include "trace.h"

#define SINK_JSONL_VERSION 1

/* Adds a JSON lines sink writing to `path` ("-" for standard output). `absolute` prints
 * the "tcpdump" text with raw sequence numbers, as the text trace's --absolute does (the
 * numeric fields have both); `cc` includes the congestion-window events, as --cc does. */
gboolean sink_jsonl_add(struct trace *t, const char *path, gboolean absolute, gboolean cc,
                        GError **error);

#endif
