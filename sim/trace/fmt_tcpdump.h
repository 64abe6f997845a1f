/* SPDX-License-Identifier: MIT */
/*
 * fmt_tcpdump.h: the one segment printer, in `tcpdump -n` notation.
 *
 * Used by the text trace, the ladder, test failure messages and scenario errors, so a
 * segment looks the same wherever a user meets it.
 */
#ifndef TCPSIM_TRACE_FMT_TCPDUMP_H
#define TCPSIM_TRACE_FMT_TCPDUMP_H

#include <stdbool.h>

#include "../wire/seg.h"
#include "strbuf.h"

/* Bases for relative sequence numbers (as tcpdump and Wireshark print them): `seq` and
 * the SACK blocks of the reverse direction are shown minus the base when it is known. */
struct fmt_rel {
    bool seq_known;
    bool ack_known;
    tcp_seq seq_base; /* the sender's ISN */
    tcp_seq ack_base; /* the receiver's ISN */
};

/* "S.", "F.", "P.", "R", or "none" */
void fmt_tcpdump_flags(struct strbuf *sb, uint16_t flags);

/* "10.0.0.1.40000 > 10.0.0.2.80: Flags [S], seq 0, win 64240, options [...], length 0".
 * `rel` NULL prints absolute numbers. */
void fmt_tcpdump_seg(struct strbuf *sb, const struct tcp_seg *seg, const struct fmt_rel *rel);

/* The options list without brackets: "mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7". */
void fmt_tcpdump_opts(struct strbuf *sb, const struct tcp_opts *o, const struct fmt_rel *rel);

/* Why a segment was sent (enum tcp_tx_cause), as the text trace's annotation says it
 * ("retransmit: rto") and as one word for JSON ("rto"); NULL for new data or control
 * segments. Every sink takes the names from here, so they never disagree. */
const char *fmt_tx_cause_phrase(unsigned cause);
const char *fmt_tx_cause_word(unsigned cause);

/* "10.0.0.1.40000" */
void fmt_tcpdump_endpoint(struct strbuf *sb, const struct tcpsim_addr *addr, uint16_t port);

#endif
