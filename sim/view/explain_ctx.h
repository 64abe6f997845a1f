/* SPDX-License-Identifier: MIT */
/*
 * explain_ctx.h: what the pickers of explain mode share (explain_why.c, explain_sent.c).
 */
#ifndef TCPSIM_VIEW_EXPLAIN_CTX_H
#define TCPSIM_VIEW_EXPLAIN_CTX_H

#include "explain.h"

struct explain_pick explain_msg_pick(enum explain_msg m);
/* The latest event of kind k that led to the sending at i, among the events of its
 * connection on its host since the connection's previous sending in the batch. */
const struct trace_event *explain_cause_of(const struct rec *b, guint i, enum trace_kind k);
/* The connection's next state change after the sending at i, if its cause is `cause`. */
const struct trace_event *explain_state_after(const struct rec *b, guint i, int cause);
void explain_timer_args(struct explain_args *a, const struct trace_event *timer);
void explain_put_span(char *buf, size_t cap, sim_time ns);
/* The ACK and window the direction of `s` sent last. */
bool explain_flow_last(const struct explain_flows *f, const struct tcp_seg *s, tcp_seq *ack,
                       uint16_t *win);
void explain_flow_update(struct explain_flows *f, const struct tcp_seg *s);

/* explain_sent.c */
struct explain_pick explain_sent(const struct rec *b, guint i, struct explain_flows *flows);

#endif
