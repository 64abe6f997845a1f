/* SPDX-License-Identifier: MIT */
/*
 * tcp_input.c: SEGMENT ARRIVES (RFC 9293 §3.10.7).
 *
 * Entry points: tcp_input_segment(), called by the host for every segment that demuxes to
 * a connection or listener, and tcp_input_no_socket() for the rest. dispatch() is one
 * switch over the eleven states: CLOSED, LISTEN and SYN-SENT are handled here
 * (§3.10.7.1-3), every synchronized state by tcp_input_sync() (§3.10.7.4).
 * Handlers decide and return a verdict; finish() acts on it. Nothing below sends a
 * segment directly except through tcp_output*().
 */
#include <errno.h>

#include "tcp.h"

/* `unanswered`: the reply this discard deserved was rate-limited away. */
static void
trace_discard(struct tcp_stack *st, const struct tcp_tcb *tcb, const struct tcp_seg *seg,
              enum tcp_drop_reason why, bool unanswered)
{
    if (!G_UNLIKELY(trace_wants(st->trace, TRACE_SEG_DISCARD))) {
        return;
    }
    char reason[96];
    g_snprintf(reason, sizeof reason, "%s%s", tcp_drop_reason_name(why),
               unanswered ? "; reply rate-limited" : "");
    struct trace_event ev = {
        .kind = TRACE_SEG_DISCARD,
        .at = st->q->now,
        .host = st->host_name,
        .seg = seg,
        .reason = reason,
        .why = {.code = (int)why, .muted = unanswered},
    };
    if (tcb) {
        ev.sock = tcb->id;
    }
    trace_emit(st->trace, &ev);
}

void
tcp_trace_discard(struct tcp_stack *st, const struct tcp_tcb *tcb, const struct tcp_seg *seg,
                  enum tcp_drop_reason why)
{
    trace_discard(st, tcb, seg, why, false);
}

/* RFC 9293 §3.10.7.1, CLOSED: "all data in the incoming segment is discarded. An
 * incoming segment containing a RST is discarded. An incoming segment not containing a
 * RST causes a RST to be sent in response." */
static struct tcp_verdict
in_closed(const struct tcp_seg *seg)
{
    if (seg_has(seg, TCP_RST)) {
        return VERDICT(TCP_ACT_DROP, TCP_DROP_RST_IN_CLOSED);
    }
    return VERDICT(TCP_ACT_DROP_RST, TCP_DROP_NO_SOCKET);
}

/* RFC 9293 §3.10.7.2, LISTEN. */
static struct tcp_verdict
in_listen(struct tcp_tcb *tcb, const struct tcp_seg *seg)
{
    /* First: "An incoming RST segment could not be valid ... It should be ignored." */
    if (seg_has(seg, TCP_RST)) {
        return VERDICT(TCP_ACT_DROP, TCP_DROP_LISTEN_RST);
    }
    /* Second: "Any acknowledgment is bad if it arrives on a connection still in the
     * LISTEN state. An acceptable reset segment should be formed for any arriving
     * ACK-bearing segment." (A SYN cookie is checked first: tcp_listen.c.) */
    if (seg_has(seg, TCP_ACK)) {
        return tcp_listen_ack(tcb, seg);
    }
    /* Third: a SYN opens a connection: a child in SYN-RECEIVED (tcp_listen.c). */
    if (seg_has(seg, TCP_SYN)) {
        /* Linux: tcp_rcv_state_process() discards a SYN that also carries FIN (no
         * legitimate stack sends one); the RFC would open and queue the FIN. */
        /* FreeBSD: tcp_input() drops it only with net.inet.tcp.drop_synfin 1. */
        const struct tcp_sysctl *s = &tcb->stack->sysctl;
        if (seg_has(seg, TCP_FIN) && (s->personality == TCP_PERSONALITY_LINUX ||
                                      (s->personality == TCP_PERSONALITY_FREEBSD &&
                                       s->drop_synfin))) {
            return VERDICT(TCP_ACT_DROP, TCP_DROP_LISTEN_SYN_FIN);
        }
        return tcp_listen_syn(tcb, seg);
    }
    /* Fourth: "Any other control or text-bearing segment ... drop the segment." */
    return VERDICT(TCP_ACT_DROP, TCP_DROP_LISTEN_NO_SYN);
}

/* The handshake completed on our side (SYN-SENT -> ESTABLISHED, §3.10.7.3 fourth). */
static void
syn_sent_established(struct tcp_tcb *tcb, const struct tcp_seg *seg)
{
    tcp_options_negotiate(tcb, seg, true);
    tcp_cc_start(tcb);
    /* The SYN-ACK's window is never scaled (RFC 7323 §2.2). */
    tcb->snd_wnd = seg->win;
    tcb->max_snd_wnd = tcb->snd_wnd;
    tcb->snd_wl1 = seg->seq;
    tcb->snd_wl2 = seg->ack;
    tcp_set_state(tcb, TCP_ESTABLISHED, TCP_CAUSE_RCV_SYN_ACK);
    /* "form an ACK segment <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> and send it" */
    tcp_ack_now(tcb);
}

/* RFC 9293 §3.10.7.3, SYN-SENT. */
static struct tcp_verdict
in_syn_sent(struct tcp_tcb *tcb, const struct tcp_seg *seg)
{
    bool ack_ok = false;
    /* First: "If SEG.ACK =< ISS or SEG.ACK > SND.NXT, send a reset (unless the RST bit
     * is set, if so drop the segment and return)". */
    if (seg_has(seg, TCP_ACK)) {
        if (seq_leq(seg->ack, tcb->iss) || seq_gt(seg->ack, tcb->snd_nxt)) {
            if (seg_has(seg, TCP_RST)) {
                return VERDICT(TCP_ACT_DROP, TCP_DROP_RST_BAD_ACK);
            }
            return VERDICT(TCP_ACT_DROP_RST, TCP_DROP_BAD_ACK);
        }
        ack_ok = true;
    }
    /* Second: "If the ACK was acceptable, then signal to the user 'error: connection
     * reset', drop the segment, enter CLOSED state". Without an ACK, drop it. */
    if (seg_has(seg, TCP_RST)) {
        if (!ack_ok) {
            return VERDICT(TCP_ACT_DROP, TCP_DROP_RST_BAD_ACK);
        }
        tcp_fail(tcb, ECONNREFUSED, TCP_CAUSE_RCV_RST);
        return VERDICT_ACCEPT;
    }
    /* Third: no security compartments are modelled. Fourth: the SYN bit. */
    if (!seg_has(seg, TCP_SYN)) {
        return VERDICT(TCP_ACT_DROP, TCP_DROP_NO_SYN_OR_RST);
    }
    tcb->irs = seg->seq;
    tcb->peer_stream = seg->stream;
    tcb->rcv_nxt = seq_add(seg->seq, 1);
    tcb->rcv_adv = seq_add(tcb->rcv_nxt, tcb->rcv_wnd);
    tcb->last_rcv_at = tcp_now(tcb);
    if (ack_ok) {
        tcb->snd_una = seg->ack;
        tcb->syn_acked = true;
        if (tcb->rtt_timing && tcb->retransmits == 0) {
            tcp_rtt_sample(tcb, tcp_now(tcb) - tcb->rtt_start);
        }
        tcb->rtt_timing = false;
        tcb->retransmits = 0;
        tcb->backoff = 0;
        tcp_timer_rto_stop(tcb);
        /* "If SND.UNA > ISS (our SYN has been ACKed), change the connection state to
         * ESTABLISHED". Data or a FIN on the SYN-ACK continues at the sixth step. */
        syn_sent_established(tcb, seg);
        if (seg->len > 0 || seg_has(seg, TCP_FIN)) {
            return tcp_input_sync_text(tcb, seg);
        }
        return VERDICT_ACCEPT;
    }
    /* "Otherwise, enter SYN-RECEIVED, form a SYN,ACK segment <SEQ=ISS><ACK=RCV.NXT>
     * <CTL=SYN,ACK> and send it": a simultaneous open. SND.WND and its update markers are
     * set from this SYN; any text waits for ESTABLISHED (the peer will resend it). */
    tcp_options_negotiate(tcb, seg, true);
    tcb->snd_wnd = seg->win;
    tcb->max_snd_wnd = tcb->snd_wnd;
    tcb->snd_wl1 = seg->seq;
    tcb->snd_wl2 = seg->ack;
    tcb->snd_nxt = tcb->iss; /* resend our SYN, now with an ACK */
    tcp_timer_rto_stop(tcb);
    tcp_set_state(tcb, TCP_SYN_RECEIVED, TCP_CAUSE_RCV_SYN);
    return VERDICT_ACCEPT;
}

static struct tcp_verdict
dispatch(struct tcp_tcb *tcb, const struct tcp_seg *seg)
{
    switch (tcb->state) {
    case TCP_CLOSED:
        return in_closed(seg); /* §3.10.7.1 */
    case TCP_LISTEN:
        return in_listen(tcb, seg); /* §3.10.7.2 */
    case TCP_SYN_SENT:
        return in_syn_sent(tcb, seg); /* §3.10.7.3 */
    case TCP_SYN_RECEIVED:
    case TCP_ESTABLISHED:
    case TCP_FIN_WAIT_1:
    case TCP_FIN_WAIT_2:
    case TCP_CLOSE_WAIT:
    case TCP_CLOSING:
    case TCP_LAST_ACK:
        return tcp_input_sync(tcb, seg); /* §3.10.7.4 */
    case TCP_TIME_WAIT:
        return tcp_time_wait_input(tcb, seg); /* §3.10.7.4, as Linux does it */
    }
    g_assert_not_reached(); /* no default: -Wswitch-enum names a forgotten state */
}

/* Performs the verdict: trace a discard with its reason, answer with ACK or RST, and run
 * output for whatever became due. Returns true when the segment must be demuxed again. */
static bool
finish(struct tcp_tcb *tcb, const struct tcp_seg *seg, struct tcp_verdict v)
{
    struct tcp_stack *st = tcb->stack;
    bool limited = v.action == TCP_ACT_CHALLENGE && !tcp_oow_ack_allowed(tcb, v.why);
    if (v.why != TCP_DROP_NONE) {
        trace_discard(st, tcb, seg, v.why, limited);
    }
    switch (v.action) {
    case TCP_ACT_CONTINUE:
    case TCP_ACT_DROP:
        break;
    case TCP_ACT_DROP_ACK:
        tcp_ack_now(tcb);
        break;
    case TCP_ACT_DROP_RST:
        tcp_output_rst_reply(st, seg);
        break;
    case TCP_ACT_CHALLENGE:
        if (!limited) {
            tcp_send_oow_ack(tcb, v.why);
        }
        break;
    case TCP_ACT_REDISPATCH:
        return true;
    }
    if (tcb->state != TCP_CLOSED) {
        tcp_output(tcb);
    }
    return false;
}

bool
tcp_input_segment(struct tcp_tcb *tcb, const struct tcp_seg *seg)
{
    tcp_mib_inc(tcb->stack, TCP_MIB_IN_SEGS);
    if (seg->flags == TCP_ACK && seg->len == 0) {
        tcp_mib_inc(tcb->stack, TCP_MIB_PURE_ACKS);
    }
    tcp_tcb_ref(tcb); /* the connection may close below; free it only at the end */
    bool again = finish(tcb, seg, dispatch(tcb, seg));
    tcp_entry_done(tcb);
    tcp_tcb_unref(tcb);
    return again;
}

/* The text and FIN of a segment whose handshake part another path already handled (the
 * ACK that returned a SYN cookie). */
void
tcp_input_continue(struct tcp_tcb *tcb, const struct tcp_seg *seg)
{
    finish(tcb, seg, tcp_input_sync_text(tcb, seg));
}

void
tcp_input_no_socket(struct tcp_stack *st, const struct tcp_seg *seg)
{
    tcp_mib_inc(st, TCP_MIB_IN_SEGS);
    struct tcp_verdict v = in_closed(seg);
    tcp_trace_discard(st, NULL, seg, v.why);
    if (v.action == TCP_ACT_DROP_RST) {
        tcp_output_rst_reply(st, seg);
    }
}
