/* SPDX-License-Identifier: MIT */
/*
 * explain_sent.c: why a segment was sent.
 *
 * Entry point: explain_sent(). The segment's tx cause says whether it is new, a
 * retransmission (and which kind) or a probe. A new segment is explained by its flags,
 * and a pure ACK or a RST by what just happened to its connection on its host: the
 * state change (the handshake completed, the application aborted), the timer (delayed
 * ACK, keep-alive), the segment discarded or delivered just before.
 */
#include "explain_ctx.h"

/* Discards answered with an ACK, and those answered with a challenge ACK (RFC 5961). */
static bool
answered_with_ack(int reason)
{
    switch (reason) {
    case TCP_DROP_OUT_OF_WINDOW:
    case TCP_DROP_ACK_UNSENT:
    case TCP_DROP_PAWS:
    case TCP_DROP_OUT_OF_ORDER_NO_QUEUE:
    case TCP_DROP_RCVBUF_FULL:
    case TCP_DROP_TIME_WAIT:
    case TCP_DROP_ACK_TOO_OLD:
        return true;
    default:
        return false;
    }
}

static bool
challenge(int reason)
{
    return reason == TCP_DROP_RST_CHALLENGE || reason == TCP_DROP_SYN_CHALLENGE;
}

static struct explain_pick
retransmission(const struct rec *b, guint i)
{
    const struct tcp_seg *s = rec_at(b, i)->seg;
    const struct trace_event *t = explain_cause_of(b, i, TRACE_TIMER);
    struct explain_pick p = explain_msg_pick(EXM_TX_RTO_FOLLOW);
    if (t != NULL) {
        explain_timer_args(&p.args, t);
        p.id = EXM_TX_RTO;
    }
    /* The try: the first retransmission is the second time the segment goes out. */
    g_snprintf(p.args.n, sizeof p.args.n, "%u", (unsigned)s->tx_count + 1);
    if (seg_has(s, TCP_SYN)) {
        p.id = seg_has(s, TCP_ACK) ? EXM_TX_SYNACK_RTO : EXM_TX_SYN_RTO;
    }
    return p;
}

static struct explain_pick
reset(const struct rec *b, guint i)
{
    const struct trace_event *d = explain_cause_of(b, i, TRACE_SEG_DISCARD);
    if (d != NULL) {
        struct explain_pick p = explain_msg_pick(EXM_TX_RST_ANSWER);
        g_strlcpy(p.args.why, d->reason ? d->reason : "", sizeof p.args.why);
        return p;
    }
    const struct trace_event *t = explain_cause_of(b, i, TRACE_TIMER);
    if (t != NULL && t->why.code == TCP_TIMER_KEEPALIVE) {
        struct explain_pick p = explain_msg_pick(EXM_TX_RST_KEEPALIVE);
        explain_timer_args(&p.args, t);
        return p;
    }
    if (explain_state_after(b, i, TCP_CAUSE_USER_ABORT) != NULL) {
        return explain_msg_pick(EXM_TX_RST_ABORT);
    }
    return explain_msg_pick(EXM_TX_RST);
}

/* RFC 2883 §4: the first SACK block lies below the ACK, or within the second block. */
static bool
dsack(const struct tcp_seg *s)
{
    if (!tcp_opts_has(&s->opt, TCPOPT_SACK) || s->opt.nsack == 0) {
        return false;
    }
    const struct tcp_sack_block *b = s->opt.sack;
    return seq_lt(b[0].start, s->ack) ||
           (s->opt.nsack > 1 && seq_geq(b[0].start, b[1].start) && seq_leq(b[0].end, b[1].end));
}

/* A segment with no data, SYN, FIN or RST: what made it due. */
static struct explain_pick
pure_ack(const struct rec *b, guint i, const struct explain_flows *flows)
{
    const struct tcp_seg *s = rec_at(b, i)->seg;
    const struct trace_event *st = explain_cause_of(b, i, TRACE_STATE);
    if (st != NULL && st->why.to == TCP_ESTABLISHED && st->why.code == TCP_CAUSE_RCV_SYN_ACK) {
        return explain_msg_pick(EXM_TX_ACK_HANDSHAKE);
    }
    if (dsack(s)) {
        return explain_msg_pick(EXM_TX_ACK_DSACK);
    }
    const struct trace_event *d = explain_cause_of(b, i, TRACE_SEG_DISCARD);
    if (d != NULL && (challenge(d->why.code) || answered_with_ack(d->why.code))) {
        struct explain_pick p =
            explain_msg_pick(challenge(d->why.code) ? EXM_TX_ACK_CHALLENGE : EXM_TX_ACK_ANSWER);
        g_strlcpy(p.args.why, d->reason ? d->reason : "", sizeof p.args.why);
        return p;
    }
    const struct trace_event *t = explain_cause_of(b, i, TRACE_TIMER);
    if (t != NULL && t->why.code == TCP_TIMER_DELACK) {
        return explain_msg_pick(EXM_TX_ACK_DELAYED);
    }
    tcp_seq last_ack = 0;
    uint16_t last_win = 0;
    bool known = explain_flow_last(flows, s, &last_ack, &last_win);
    const struct trace_event *in = explain_cause_of(b, i, TRACE_SEG_DELIVERED);
    if (in != NULL && seg_has(in->seg, TCP_FIN)) {
        return explain_msg_pick(EXM_TX_ACK_FIN);
    }
    if (in != NULL && in->seg->len > 0) {
        return explain_msg_pick(known && last_ack == s->ack ? EXM_TX_ACK_DUP : EXM_TX_ACK_DATA);
    }
    if (in == NULL && known && s->win > last_win) {
        return explain_msg_pick(EXM_TX_ACK_WINDOW); /* nothing arrived: the reader made room */
    }
    return explain_msg_pick(EXM_TX_ACK);
}

static struct explain_pick
new_segment(const struct rec *b, guint i, const struct explain_flows *flows)
{
    const struct tcp_seg *s = rec_at(b, i)->seg;
    if (seg_has(s, TCP_RST)) {
        return reset(b, i);
    }
    if (seg_has(s, TCP_SYN) && !seg_has(s, TCP_ACK)) {
        return explain_msg_pick(EXM_TX_SYN);
    }
    if (seg_has(s, TCP_SYN)) {
        const struct trace_event *st = explain_cause_of(b, i, TRACE_STATE);
        bool simult = st != NULL && st->why.from == TCP_SYN_SENT;
        return explain_msg_pick(simult ? EXM_TX_SYNACK_SIMULT : EXM_TX_SYNACK);
    }
    if (seg_has(s, TCP_FIN)) {
        return explain_msg_pick(EXM_TX_FIN);
    }
    if (s->len > 0) {
        return explain_msg_pick(EXM_TX_DATA);
    }
    return pure_ack(b, i, flows);
}

struct explain_pick
explain_sent(const struct rec *b, guint i, struct explain_flows *flows)
{
    const struct tcp_seg *s = rec_at(b, i)->seg;
    struct explain_pick p = explain_msg_pick(EXM_NONE);
    switch (s->tx_cause) {
    case TCP_TX_NEW:
        p = new_segment(b, i, flows);
        break;
    case TCP_TX_RTO:
        p = retransmission(b, i);
        break;
    case TCP_TX_FAST:
        p = explain_msg_pick(EXM_TX_FAST);
        break;
    case TCP_TX_RECOVERY:
        /* RFC 6675 when the SYNs negotiated SACK, NewReno's partial ACKs otherwise. */
        p = explain_msg_pick(explain_flow_sack(flows, s) ? EXM_TX_RECOVERY_SACK : EXM_TX_RECOVERY);
        break;
    case TCP_TX_PROBE:
    case TCP_TX_KEEPALIVE:
        p = explain_msg_pick(s->tx_cause == TCP_TX_KEEPALIVE ? EXM_TX_KEEPALIVE
                             : s->len > 0                    ? EXM_TX_PROBE_DATA
                                                             : EXM_TX_PROBE);
        g_snprintf(p.args.n, sizeof p.args.n, "%u", (unsigned)s->tx_count);
        break;
    case TCP_TX_SYN_ANSWER:
        p = explain_msg_pick(EXM_TX_SYNACK_ANSWER);
        break;
    case TCP_TX_TLP:
        p = explain_msg_pick(EXM_TX_TLP);
        break;
    case TCP_TX_TLP_NEW:
        p = explain_msg_pick(EXM_TX_TLP_NEW);
        break;
    case TCP_TX_RACK:
        p = explain_msg_pick(EXM_TX_RACK);
        break;
    case TCP_TX_SYNCOOKIE:
        p = explain_msg_pick(EXM_TX_SYNACK_COOKIE);
        break;
    case TCP_TX_FORGED:
        return explain_msg_pick(EXM_TX_FORGED); /* no TCP's ACK to remember */
    default:
        break;
    }
    if (seg_has(s, TCP_ACK)) {
        explain_flow_update(flows, s);
    }
    return p;
}
