/* SPDX-License-Identifier: MIT */
/*
 * ladder_label.h: the short texts the ladder writes on arrows and beside columns.
 */
#ifndef TCPSIM_VIEW_LADDER_LABEL_H
#define TCPSIM_VIEW_LADDER_LABEL_H

#include "../tcp/tcp_why.h"
#include "../trace/fmt_tcpdump.h"
#include "../trace/strbuf.h"
#include "../trace/trace.h"

/* "PSH-ACK 1:101 ack=1": `rel` NULL (or bases unknown) prints absolute numbers. */
void ladder_seg_label(struct strbuf *sb, const struct tcp_seg *seg, const struct fmt_rel *rel);
/* A retransmission or a probe: drawn distinctly. */
bool ladder_is_retransmission(const struct tcp_seg *seg);
/* "(RTO #1)", "(2MSL over)": a TRACE_TIMER event. */
void ladder_timer_label(struct strbuf *sb, const struct trace_event *ev);
/* An application call, without its arguments: "connect() = 0". */
void ladder_app_label(struct strbuf *sb, const char *text);

#endif
