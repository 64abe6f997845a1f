/* SPDX-License-Identifier: MIT */
/*
 * isn_table.h: each direction's ISN, learned from the SYNs sent, for printing sequence
 * numbers relative to it (as tcpdump and Wireshark do). Shared by every reader that
 * prints sequence numbers: the text trace, the ladder, the plots, explain mode.
 */
#ifndef TCPSIM_TRACE_ISN_TABLE_H
#define TCPSIM_TRACE_ISN_TABLE_H

#include <stdbool.h>

#include "fmt_tcpdump.h"
#include "trace.h"

struct isn_table;

struct isn_table *isn_table_new(void);
void isn_table_free(struct isn_table *t);
/* Learns from a SENT event carrying a SYN (the latest SYN of a four-tuple wins; a forged
 * SYN is nobody's ISN). Any other event is ignored. */
void isn_table_observe(struct isn_table *t, const struct trace_event *ev);
/* The sender's ISN of the direction saddr:sport -> daddr:dport, if known. */
bool isn_table_lookup(const struct isn_table *t, struct tcpsim_addr saddr, uint16_t sport,
                      struct tcpsim_addr daddr, uint16_t dport, tcp_seq *isn);
/* The bases for printing `seg` relative: its sequence space and the one it acknowledges. */
struct fmt_rel isn_table_rel(const struct isn_table *t, const struct tcp_seg *seg);

#endif
