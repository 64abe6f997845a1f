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
#include "words.h"

/* How an arrow's label writes its numbers. */
struct seg_label_how {
    const struct fmt_rel *rel; /* NULL (or bases unknown): absolute numbers */
    bool window;               /* the window on every segment, not only a zero one */
    int wscale;                /* the sender's window scale, -1 for none */
    /* Textbook numbering: the sender's ISN is `seq_name` (x or y), the receiver's
     * `ack_name`; numbers are written as offsets from them (x+1). NULL: numbers. */
    const char *seq_name;
    const char *ack_name;
    const struct view_words *words; /* NULL: English */
};

/* "SYN seq=0", "SYN-ACK seq=0 ack=1", "ACK ack=1", "seq 1:101 (100 bytes) PSH-ACK ack=1":
 * a segment carrying data says so first, with its size, so that it never looks like a
 * pure ACK; a probe shows its seq (SND.UNA-1). */
void ladder_seg_label(struct strbuf *sb, const struct tcp_seg *seg, const struct seg_label_how *how);
/* A retransmission or a probe: drawn distinctly. */
bool ladder_is_retransmission(const struct tcp_seg *seg);
/* "(RTO #1)", "(2MSL over)": a TRACE_TIMER event. */
void ladder_timer_label(struct strbuf *sb, const struct trace_event *ev, const struct view_words *w);
/* An application call, without its arguments: "connect() = 0". */
void ladder_app_label(struct strbuf *sb, const char *text);

#endif
