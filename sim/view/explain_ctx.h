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
/* Remembers whether a SYN offered SACK; whether both ends of the connection of `s` did. */
void explain_flow_syn(struct explain_flows *f, const struct tcp_seg *s);
bool explain_flow_sack(struct explain_flows *f, const struct tcp_seg *s);

/* What explain knows of a connection, keyed by the direction its host sends. */
enum cc_algo { ALGO_UNKNOWN, ALGO_RENO, ALGO_CUBIC };
struct conn_seen {
    bool sack_perm;     /* its SYN offered SACK */
    bool cc_known;      /* a cc line was seen */
    uint32_t cwnd;      /* the last cc line's numbers */
    uint32_t ssthresh;
    enum cc_algo algo;  /* as the reductions show it */
    bool sack_recovery; /* the last fast retransmit did not inflate cwnd */
};

/* The connection whose host sends saddr:sport -> daddr:dport (created when new). */
struct conn_seen *explain_conn_seen(struct explain_flows *f, struct tcpsim_addr saddr,
                                    uint16_t sport, struct tcpsim_addr daddr, uint16_t dport);

/* explain_calls.c */
struct explain_pick explain_cc_pick(const struct trace_event *e, struct explain_flows *f);
struct explain_pick explain_app_pick(const struct rec *b, guint i);

/* explain_sent.c */
struct explain_pick explain_sent(const struct rec *b, guint i, struct explain_flows *flows);

#endif
