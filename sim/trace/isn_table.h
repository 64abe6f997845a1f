/*
 * isn_table.h: each direction's ISN, learned from the SYNs that were sent, for printing
 * relative sequence numbers (as tcpdump and Wireshark do).
 *
 * Shared by the sinks that print relative numbers (text, JSON lines), so they agree on
 * what "relative" means: the latest SYN a TCP sent on a four-tuple names its ISN; a
 * forged SYN teaches nothing. Lookup only: nothing is ever printed in hash order.
 */
#ifndef TCPSIM_TRACE_ISN_TABLE_H
#define TCPSIM_TRACE_ISN_TABLE_H

#include <glib.h>

#include "fmt_tcpdump.h"
#include "trace.h"

struct isn_table;

struct isn_table *isn_table_new(void);
void isn_table_free(struct isn_table *t);

/* Learns from a trace event (only a SYN a TCP sent teaches anything). Call it for every
 * event, before the event is printed. */
void isn_table_observe(struct isn_table *t, const struct trace_event *ev);

/* The bases for printing `seg` with relative numbers: its sender's and its receiver's
 * ISN, each when known. */
void isn_table_rel(const struct isn_table *t, const struct tcp_seg *seg, struct fmt_rel *rel);

#endif
