/* SPDX-License-Identifier: MIT */
/*
 * tcp_input_sync.c: SEGMENT ARRIVES in a synchronized state (RFC 9293 §3.10.7.4).
 *
 * Entry point: tcp_input_sync(), called by dispatch() in tcp_input.c for SYN-RECEIVED,
 * ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2, CLOSE-WAIT, CLOSING, LAST-ACK and TIME-WAIT.
 * It is the RFC's ordered list, one step_*() per step; it never branches on the state
 * itself: per-state behaviour sits inside the step, as in the RFC. RFC 5961 hardens the
 * RST, SYN and ACK steps; RFC 7323 §5 adds PAWS before the first.
 */
#include <errno.h>

#include "tcp.h"

/* RFC 7323 §5.3 R1 (PAWS): a segment whose timestamp is older than TS.Recent is an
 * old duplicate. A RST is exempt; so is a TS.Recent older than 24 days (§5.5). */
bool
tcp_paws_rejects(const struct tcp_tcb *tcb, const struct tcp_seg *seg)
{
    if (!tcb->ts_ok || !tcp_opts_has(&seg->opt, TCPOPT_TS) || seg_has(seg, TCP_RST)) {
        return false;
    }
    if (tcp_now(tcb) - tcb->ts_recent_at > SEC(24 * 24 * 3600)) {
        return false;
    }
    return (int32_t)(seg->opt.ts_val - tcb->ts_recent) < 0;
}

/* RFC 9293 §3.10.7.4, first step: the four-case acceptability test. */
static bool
acceptable(const struct tcp_tcb *tcb, const struct tcp_seg *seg)
{
    uint32_t wnd = seq_gt(tcb->rcv_adv, tcb->rcv_nxt) ? seq_diff(tcb->rcv_adv, tcb->rcv_nxt) : 0;
    uint32_t len = seg_seq_len(seg);
    tcp_seq lo = tcb->rcv_nxt;
    tcp_seq hi = seq_add(tcb->rcv_nxt, wnd);
    if (len == 0 && wnd == 0) {
        return seg->seq == tcb->rcv_nxt;
    }
    if (len == 0 && seg->seq == hi && tcb->stack->sysctl.personality == TCP_PERSONALITY_LINUX) {
        /* Linux: tcp_sequence() (and tcp_in_window() in SYN-RECEIVED) refuses only what
         * starts after the window's right edge, so an ACK standing on it passes. Linux's
         * own ACKs stand there when its data ran past our window (tcp_acceptable_seq():
         * SND.UNA + SND.WND); refused, a keepalive's answer would count for nothing and
         * the connection die of unanswered probes (random scenario 7015137). */
        return true;
    }
    if (len == 0) {
        return seq_in(seg->seq, lo, hi);
    }
    if (wnd == 0) {
        return false;
    }
    return seq_in(seg->seq, lo, hi) || seq_in(seq_add(seg->seq, len - 1), lo, hi);
}

/* Linux 6.17+: tcp_sequence() takes a segment that runs past the window's right edge
 * whole when nothing is queued unread ("Only accept this packet if receive queue is
 * empty"), and drops it whole otherwise (SKB_DROP_REASON_TCP_INVALID_END_SEQUENCE,
 * answered by tcp_send_dupack()); a closed window takes nothing (tcp_data_queue()).
 * Measured on Linux 6.18 (test/packetdrill/linux-measured/beyond-window*.pkt). */
static bool
linux_beyond_window_taken(const struct tcp_tcb *tcb, uint32_t wnd)
{
    return tcb->stack->sysctl.personality == TCP_PERSONALITY_LINUX && wnd > 0 &&
           tcp_rcv_queued(tcb) == 0;
}

/* Trims what lies before RCV.NXT (a SYN first, then bytes) and beyond the window (the
 * FIN first, then bytes), so the later steps see only new, in-window text. */
static void
trim(const struct tcp_tcb *tcb, struct tcp_seg *s)
{
    if (seg_has(s, TCP_SYN) && seq_lt(s->seq, tcb->rcv_nxt)) {
        s->flags &= (uint16_t)~TCP_SYN;
        s->seq = seq_add(s->seq, 1);
    }
    if (seq_lt(s->seq, tcb->rcv_nxt)) {
        uint32_t cut = seq_diff(tcb->rcv_nxt, s->seq);
        if (cut >= s->len) {
            cut = s->len;
        }
        s->len -= cut;
        s->seq = seq_add(s->seq, cut);
        if (s->data_off != TCP_DATA_OFF_NONE) {
            s->data_off += cut;
        }
        if (s->data) {
            s->data += cut;
        }
    }
    uint32_t wnd = seq_gt(tcb->rcv_adv, tcb->rcv_nxt) ? seq_diff(tcb->rcv_adv, tcb->rcv_nxt) : 0;
    tcp_seq right = seq_add(tcb->rcv_nxt, wnd);
    tcp_seq end = seq_add(s->seq, s->len);
    if (linux_beyond_window_taken(tcb, wnd)) {
        return; /* Linux: tcp_sequence(), the whole segment with the queue empty */
    }
    if (seq_gt(end, right)) {
        s->len -= seq_diff(end, right);
        s->flags &= (uint16_t)~TCP_FIN; /* the FIN lay beyond the window */
    }
}

/* RFC 7323 §4.3 (3): remember the timestamp of a segment that covers Last.ACK.sent. */
void
tcp_update_ts_recent(struct tcp_tcb *tcb, const struct tcp_seg *seg)
{
    if (tcb->ts_ok && tcp_opts_has(&seg->opt, TCPOPT_TS) &&
        (int32_t)(seg->opt.ts_val - tcb->ts_recent) >= 0 &&
        seq_leq(seg->seq, tcb->last_ack_sent)) {
        tcb->ts_recent = seg->opt.ts_val;
        tcb->ts_recent_at = tcp_now(tcb);
    }
}

/* Linux: tcp_validate_incoming() sends a SYN that fails PAWS or the sequence check to
 * syn_challenge: a rate-limited challenge ACK, counted as TcpExtTCPSYNChallenge, as an
 * acceptable SYN is (RFC 5961 §4). RFC 9293 answers it as any unacceptable segment. A
 * half-open passive connection answers as Linux's tcp_check_req() does, below. */
static bool
syn_challenged(const struct tcp_tcb *tcb, const struct tcp_seg *seg)
{
    return tcb->stack->sysctl.personality == TCP_PERSONALITY_LINUX && seg_has(seg, TCP_SYN) &&
           !seg_has(seg, TCP_RST) && tcb->state != TCP_SYN_RECEIVED;
}

/*
 * RFC 9293 §3.10.7.4 first step: "If the RCV.WND is zero, no segments will be
 * acceptable, but special allowance should be made to accept valid ACKs". A segment
 * numbered beyond RCV.NXT (the peer sent data we lost, and its ACKs carry its SND.NXT)
 * still acknowledges what we sent: its ACK field is processed (fifth step), the rest is
 * dropped and answered. Without this, two applications that both write and never read
 * kill each other over a lossy link: neither accepts the other's ACKs, and both
 * retransmit until their retries run out. Linux's receiver (tcp_sequence()) does not make
 * the allowance; its sender keeps its ACKs inside our window (tcp_acceptable_seq(), see
 * ack_seq() in tcp_output.c), so the Linux personality needs only that side. Returns
 * whether the ACK was taken.
 */
static bool
zero_window_ack(struct tcp_tcb *tcb, const struct tcp_seg *seg)
{
    if (tcb->stack->sysctl.personality == TCP_PERSONALITY_LINUX ||
        seg_has(seg, TCP_RST | TCP_SYN) || !seg_has(seg, TCP_ACK) ||
        seq_lt(seg->seq, tcb->rcv_nxt) || tcb->state == TCP_SYN_RECEIVED ||
        !seq_gt(seg->ack, tcb->snd_una) || seq_gt(seg->ack, tcb->snd_max)) {
        return false;
    }
    struct tcp_seg ack = *seg;
    ack.len = 0;
    ack.data = NULL;
    ack.flags &= (uint16_t)~TCP_FIN;
    return tcp_ack_process(tcb, &ack).action == TCP_ACT_CONTINUE;
}

/*
 * Linux: tcp_sequence() refuses a segment only when all of it lies below RCV.WUP (the
 * RCV.NXT of the last ACK sent) or it starts beyond the window; a segment that is all
 * old data but ends at or above RCV.WUP passes, its ACK is processed, and
 * tcp_data_queue() reports the duplicate (D-SACK) with the ACK decision of any received
 * segment (tcp_enter_quickack_mode(), then __tcp_ack_snd_check()), not with an ACK of
 * its own. Measured on Linux 6.18 (test/packetdrill/linux-measured/dup-*.pkt).
 */
static bool
linux_old_data(const struct tcp_tcb *tcb, const struct tcp_seg *seg)
{
    /* Linux's end_seq counts the FIN: a retransmitted FIN is old data too. */
    uint32_t len = seg->len + (seg_has(seg, TCP_FIN) ? 1u : 0u);
    if (tcb->stack->sysctl.personality != TCP_PERSONALITY_LINUX || len == 0 ||
        seg_has(seg, TCP_SYN | TCP_RST)) {
        return false;
    }
    /* The states in which Linux's tcp_rcv_state_process() hands text to tcp_data_queue(). */
    bool queues = tcb->state == TCP_ESTABLISHED || tcb->state == TCP_FIN_WAIT_1 ||
                  tcb->state == TCP_FIN_WAIT_2 || tcb->state == TCP_CLOSE_WAIT ||
                  tcb->state == TCP_CLOSING || tcb->state == TCP_LAST_ACK;
    if (!queues) {
        return false;
    }
    tcp_seq end = seq_add(seg->seq, len);
    return seq_leq(end, tcb->rcv_nxt) && !seq_lt(end, tcb->last_ack_sent);
}

static struct tcp_verdict
step_seq(struct tcp_tcb *tcb, const struct tcp_seg *seg)
{
    bool paws = tcp_paws_rejects(tcb, seg);
    if ((paws || !acceptable(tcb, seg)) && syn_challenged(tcb, seg)) {
        tcp_mib_inc(tcb->stack, TCP_MIB_SYN_CHALLENGE);
        return VERDICT(TCP_ACT_CHALLENGE, TCP_DROP_SYN_CHALLENGE);
    }
    if (paws) {
        tcp_mib_inc(tcb->stack, TCP_MIB_PAWS_ESTAB);
        return VERDICT(TCP_ACT_DROP_ACK, TCP_DROP_PAWS);
    }
    if (acceptable(tcb, seg) || linux_old_data(tcb, seg)) {
        uint32_t wnd = seq_gt(tcb->rcv_adv, tcb->rcv_nxt) ? seq_diff(tcb->rcv_adv, tcb->rcv_nxt)
                                                          : 0;
        if (tcb->stack->sysctl.personality == TCP_PERSONALITY_LINUX && seg->len > 0 && wnd > 0 &&
            seq_gt(seq_add(seg->seq, seg->len), seq_add(tcb->rcv_nxt, wnd)) &&
            !linux_beyond_window_taken(tcb, wnd)) {
            /* Linux: past the right edge with data queued: dropped whole (above). */
            return VERDICT(TCP_ACT_DROP_ACK, TCP_DROP_OUT_OF_WINDOW);
        }
        return VERDICT_ACCEPT;
    }
    tcp_dsack_old_data(tcb, seg); /* RFC 2883 §4.1.1: all of it was received before */
    if (seg->len > 0 && seq_lt(seg->seq, tcb->rcv_nxt) && !seg_has(seg, TCP_RST)) {
        tcp_mib_inc(tcb->stack, TCP_MIB_DELAYED_ACK_LOST); /* Linux: tcp_send_dupack() */
    }
    /* "If an incoming segment is not acceptable, an acknowledgment should be sent in
     * reply (unless the RST bit is set, if so drop the segment and return)". RFC 5961
     * §3.2: a RST outside the window is simply ignored. */
    if (seg_has(seg, TCP_RST)) {
        return VERDICT(TCP_ACT_DROP, TCP_DROP_RST_OUT_OF_WINDOW);
    }
    /* "special allowance should be made to accept valid ACKs, URGs, and RSTs" when the
     * window is zero: an ACK at RCV.NXT is processed, its text dropped (trim()). The text
     * itself was "not acceptable", so it is answered: a zero-window probe that carries
     * data (Linux's tcp_write_wakeup(), or a retransmission into a window that closed)
     * learns that way that the window is still shut (Linux: tcp_sequence() refuses the
     * end of it and tcp_validate_incoming() sends the duplicate ACK). */
    uint32_t wnd = seq_gt(tcb->rcv_adv, tcb->rcv_nxt) ? seq_diff(tcb->rcv_adv, tcb->rcv_nxt) : 0;
    if (wnd == 0 && seg->seq == tcb->rcv_nxt) {
        if (seg->len > 0 && tcb->stack->sysctl.personality == TCP_PERSONALITY_LINUX &&
            tcp_rcv_queued(tcb) > 0) {
            /* Linux: tcp_sequence() drops it (it ends past the closed window and data
             * waits unread) before its ACK or timestamp is looked at; tcp_send_dupack()
             * answers (measured: the answer echoes the older TS.Recent). */
            return VERDICT(TCP_ACT_DROP_ACK, TCP_DROP_OUT_OF_WINDOW);
        }
        if (seg->len > 0) {
            tcp_ack_now(tcb);
        }
        return VERDICT_ACCEPT;
    }
    if (wnd == 0 && zero_window_ack(tcb, seg)) {
        return VERDICT(TCP_ACT_DROP_ACK, TCP_DROP_OUT_OF_WINDOW);
    }
    /* Linux (tcp_oow_rate_limited()): a pure ACK outside the window is answered at most
     * once per tcp_invalid_ratelimit, so two desynchronised hosts cannot ping-pong ACKs
     * for ever; a segment with text is always answered, it is not part of a loop. */
    if (tcb->stack->sysctl.personality == TCP_PERSONALITY_LINUX && seg_seq_len(seg) == 0) {
        return VERDICT(TCP_ACT_CHALLENGE, TCP_DROP_OUT_OF_WINDOW);
    }
    return VERDICT(TCP_ACT_DROP_ACK, TCP_DROP_OUT_OF_WINDOW);
}

static int
reset_errno(const struct tcp_tcb *tcb)
{
    /* Linux: tcp_reset() reports EPIPE in CLOSE_WAIT, where the peer had already said
     * it would send nothing more; ECONNRESET elsewhere. */
    if (tcb->state == TCP_CLOSE_WAIT && tcb->stack->sysctl.personality == TCP_PERSONALITY_LINUX) {
        return EPIPE;
    }
    return ECONNRESET;
}

/* RFC 9293 §3.10.7.4, second step, with RFC 5961 §3.2: only a RST at exactly RCV.NXT
 * resets; one elsewhere in the window earns a challenge ACK. */
static struct tcp_verdict
step_rst(struct tcp_tcb *tcb, const struct tcp_seg *seg)
{
    if (!seg_has(seg, TCP_RST)) {
        return VERDICT_ACCEPT;
    }
    /* Linux: tcp_check_req() resets a half-open passive connection on a RST anywhere in
     * the window: request sockets get no RFC 5961 challenge. */
    bool embryonic = tcb->state == TCP_SYN_RECEIVED && tcb->passive &&
                     tcb->stack->sysctl.personality == TCP_PERSONALITY_LINUX;
    if (seg->seq != tcb->rcv_nxt && !embryonic) {
        return VERDICT(TCP_ACT_CHALLENGE, TCP_DROP_RST_CHALLENGE);
    }
    switch (tcb->state) {
    /* A passive open goes away quietly (the listener remains); an active one (simultaneous
     * open) "came from SYN-SENT state": the RFC says the connection was refused. Linux:
     * tcp_reset() gives ECONNREFUSED only in SYN_SENT; a socket in SYN_RECV after a
     * simultaneous open falls to its default case, ECONNRESET. */
    case TCP_SYN_RECEIVED:
        if (tcb->passive) {
            tcp_set_state(tcb, TCP_CLOSED, TCP_CAUSE_RCV_RST);
        } else if (tcb->stack->sysctl.personality == TCP_PERSONALITY_LINUX) {
            tcp_fail(tcb, ECONNRESET, TCP_CAUSE_RCV_RST);
        } else {
            tcp_fail(tcb, ECONNREFUSED, TCP_CAUSE_RCV_RST);
        }
        break;
    /* "any outstanding RECEIVEs and SEND should receive 'reset' responses". */
    case TCP_ESTABLISHED:
    case TCP_FIN_WAIT_1:
    case TCP_FIN_WAIT_2:
    case TCP_CLOSE_WAIT:
        tcp_fail(tcb, reset_errno(tcb), TCP_CAUSE_RCV_RST);
        break;
    /* "enter the CLOSED state, delete the TCB, and return". Linux: tcp_reset() sets
     * ECONNRESET here too: an application that only shut down writing learns of the
     * reset at its next call (send(), or SO_ERROR; its recv() already read EOF). */
    case TCP_CLOSING:
    case TCP_LAST_ACK:
        if (tcb->stack->sysctl.personality == TCP_PERSONALITY_LINUX) {
            tcp_fail(tcb, ECONNRESET, TCP_CAUSE_RCV_RST);
        } else {
            tcp_set_state(tcb, TCP_CLOSED, TCP_CAUSE_RCV_RST);
        }
        break;
    case TCP_CLOSED:
    case TCP_LISTEN:
    case TCP_SYN_SENT:
    case TCP_TIME_WAIT:
        g_assert_not_reached(); /* never dispatched here (TIME_WAIT: tcp_time_wait.c) */
    }
    return VERDICT(TCP_ACT_DROP, TCP_DROP_NONE);
}

/* RFC 9293 §3.10.7.4, fourth step, with RFC 5961 §4.2: a SYN in a synchronized state is
 * answered by a challenge ACK, whatever its sequence number. */
static struct tcp_verdict
step_syn(struct tcp_tcb *tcb, const struct tcp_seg *seg)
{
    if (!seg_has(seg, TCP_SYN)) {
        return VERDICT_ACCEPT;
    }
    if (tcb->state == TCP_SYN_RECEIVED && tcb->passive) {
        /* RFC 9293: "If the connection was initiated with a passive OPEN, then return this
         * connection to the LISTEN state". Linux: tcp_check_req() also answers with a RST
         * (embryonic_reset); the listener stays as it was. */
        tcp_set_state(tcb, TCP_CLOSED, TCP_CAUSE_RCV_SYN);
        return VERDICT(TCP_ACT_DROP_RST, TCP_DROP_SYN_CHALLENGE);
    }
    tcp_mib_inc(tcb->stack, TCP_MIB_SYN_CHALLENGE);
    return VERDICT(TCP_ACT_CHALLENGE, TCP_DROP_SYN_CHALLENGE);
}

/* Linux: tcp_check_req() answers a retransmitted SYN on a half-open connection with the
 * SYN-ACK again (and keeps its timer). RFC 9293's first step would instead send an ACK,
 * which the peer in SYN-SENT would answer with a RST. */
static bool
retransmitted_syn(struct tcp_tcb *tcb, const struct tcp_seg *seg)
{
    if (tcb->state != TCP_SYN_RECEIVED || !tcb->passive || !seg_has(seg, TCP_SYN) ||
        seg_has(seg, TCP_ACK | TCP_RST) || seg->seq != tcb->irs) {
        return false;
    }
    tcb->snd_nxt = tcb->iss;
    tcb->rexmit_cause = TCP_TX_SYN_ANSWER;
    return true;
}

/*
 * Simultaneous open, RFC 9293 §3.5 Figure 8 line 6: in SYN-RECEIVED, the peer's SYN-ACK
 * acknowledges our SYN and establishes the connection. Its SYN is old, so the first step
 * would refuse the whole segment; only its new part, the ACK, is processed, and it is
 * answered with an ACK. Linux: tcp_validate_incoming() lets exactly this SYN-ACK pass.
 */
static bool
simultaneous_syn_ack(const struct tcp_tcb *tcb, const struct tcp_seg *seg)
{
    return tcb->state == TCP_SYN_RECEIVED && !tcb->passive &&
           (seg->flags & (TCP_SYN | TCP_ACK | TCP_RST)) == (TCP_SYN | TCP_ACK) &&
           seq_add(seg->seq, 1) == tcb->rcv_nxt && seg->ack == tcb->snd_nxt;
}

/* RFC 9293 §3.10.7.4 sixth to eighth steps: URG is not modelled (RFC 6093 §5 discourages
 * it); then the text and the FIN. Entered from the SYN-SENT path too, for a SYN-ACK that
 * carries data. */
struct tcp_verdict
tcp_input_sync_text(struct tcp_tcb *tcb, const struct tcp_seg *seg)
{
    struct tcp_seg s = *seg;
    bool old_data = linux_old_data(tcb, &s);
    if ((s.len > 0 || old_data) && !seg_has(&s, TCP_SYN)) {
        tcp_dsack_old_data(tcb, &s); /* RFC 2883 §4.1.1: its head was received before */
    }
    trim(tcb, &s);
    if (old_data) {
        tcp_trace_discard(tcb->stack, tcb, seg, TCP_DROP_OLD_DATA);
        tcp_delack_old_data(tcb); /* Linux: tcp_data_queue(), "A retransmit" */
    }
    struct tcp_verdict v = tcp_rcv_text(tcb, &s);
    if (v.action != TCP_ACT_CONTINUE || tcb->state == TCP_CLOSED) {
        return v;
    }
    return tcp_rcv_fin(tcb, &s);
}

/*
 * FreeBSD: tcp_do_segment() looks at RST and SYN before it trims the segment to the
 * window, against last_ack_sent (what the peer has been told) rather than RCV.NXT.
 *   RST (RFC 5961 §3.2): inside [last_ack_sent, last_ack_sent + RCV.WND) it resets the
 *   connection if it is exactly at last_ack_sent, or anywhere with
 *   net.inet.tcp.insecure_rst 1 (RFC 793); elsewhere in it a challenge ACK; outside,
 *   nothing.
 *   SYN in a synchronized state (RFC 5961 §4.2): a challenge ACK, whatever its number;
 *   with net.inet.tcp.insecure_syn 1 a SYN inside the window drops the connection with
 *   a RST (tcp_drop(), RFC 793).
 * Returns true with `*v` set when the segment was handled here.
 */
static bool
freebsd_rst_syn(struct tcp_tcb *tcb, const struct tcp_seg *seg, struct tcp_verdict *v)
{
    const struct tcp_sysctl *s = &tcb->stack->sysctl;
    uint32_t wnd = seq_gt(tcb->rcv_adv, tcb->rcv_nxt) ? seq_diff(tcb->rcv_adv, tcb->rcv_nxt) : 0;
    uint32_t las = tcb->last_ack_sent;
    bool in_window = (seq_geq(seg->seq, las) && seq_lt(seg->seq, seq_add(las, wnd))) ||
                     (wnd == 0 && seg->seq == las);
    if (seg_has(seg, TCP_RST)) {
        if (!in_window) {
            *v = VERDICT(TCP_ACT_DROP, TCP_DROP_RST_OUT_OF_WINDOW);
            return true;
        }
        if (!s->insecure_rst && seg->seq != las) {
            *v = VERDICT(TCP_ACT_CHALLENGE, TCP_DROP_RST_CHALLENGE);
            return true;
        }
        struct tcp_seg at = *seg;
        at.seq = tcb->rcv_nxt; /* accepted: step_rst() resets as for one at RCV.NXT */
        *v = step_rst(tcb, &at);
        return true;
    }
    if (seg_has(seg, TCP_SYN) && tcb->state != TCP_SYN_RECEIVED) {
        if (s->insecure_syn && in_window && !seq_lt(seg->seq, tcb->rcv_nxt)) {
            /* FreeBSD: tcp_drop(): RST|ACK from the connection, ECONNRESET. */
            tcp_output_rst(tcb);
            tcp_fail(tcb, ECONNRESET, TCP_CAUSE_SYN_IN_WINDOW);
            *v = VERDICT(TCP_ACT_DROP, TCP_DROP_NONE);
            return true;
        }
        tcp_mib_inc(tcb->stack, TCP_MIB_SYN_CHALLENGE);
        *v = VERDICT(TCP_ACT_CHALLENGE, TCP_DROP_SYN_CHALLENGE);
        return true;
    }
    return false;
}

struct tcp_verdict
tcp_input_sync(struct tcp_tcb *tcb, const struct tcp_seg *seg)
{
    struct tcp_verdict v;
    tcb->last_rcv_at = tcp_now(tcb);
    if (tcb->stack->sysctl.personality == TCP_PERSONALITY_FREEBSD &&
        !simultaneous_syn_ack(tcb, seg) && !retransmitted_syn(tcb, seg) &&
        freebsd_rst_syn(tcb, seg, &v)) {
        return v;
    }
    if (retransmitted_syn(tcb, seg)) {
        return VERDICT_ACCEPT;
    }
    if (simultaneous_syn_ack(tcb, seg)) {
        struct tcp_seg ack = *seg;
        ack.seq = tcb->rcv_nxt; /* only the ACK is new */
        v = tcp_ack_process(tcb, &ack);
        tcp_ack_now(tcb);
        return v;
    }
    if (tcb->stack->sysctl.personality == TCP_PERSONALITY_LINUX &&
        !seg_has(seg, TCP_ACK | TCP_RST | TCP_SYN)) {
        /* Linux: tcp_rcv_established() and tcp_rcv_state_process() (tcp_check_req() for
         * a request socket) discard a segment with none of ACK, RST and SYN before they
         * look at its sequence number: it is never answered, in the window or not. */
        return VERDICT(TCP_ACT_DROP, TCP_DROP_NO_ACK);
    }
    if ((v = step_seq(tcb, seg)).action != TCP_ACT_CONTINUE) { /* first */
        return v;
    }
    if ((v = step_rst(tcb, seg)).action != TCP_ACT_CONTINUE) { /* second */
        return v;
    }
    /* Third step: security and compartment are not modelled. */
    if ((v = step_syn(tcb, seg)).action != TCP_ACT_CONTINUE) { /* fourth */
        return v;
    }
    if (tcb->stack->sysctl.personality != TCP_PERSONALITY_LINUX) {
        tcp_update_ts_recent(tcb, seg); /* RFC 7323 §5.3 R3: the segment is acceptable */
    }
    enum tcp_state before = tcb->state;
    if ((v = tcp_ack_process(tcb, seg)).action != TCP_ACT_CONTINUE) { /* fifth */
        return v;
    }
    if (tcb->state == TCP_CLOSED) {
        return VERDICT_ACCEPT;
    }
    if (before == TCP_FIN_WAIT_1 && tcb->state == TCP_FIN_WAIT_2 && tcb->orphan &&
        linux_old_data(tcb, seg) && !seg_has(seg, TCP_FIN) &&
        tcb->stack->sysctl.tcp_fin_timeout <= SEC(60)) {
        /* Linux: tcp_rcv_state_process(): an orphan whose FIN this segment acknowledges
         * becomes a timewait socket in FIN-WAIT-2 (tcp_time_wait(), tcp_fin_timeout not
         * past TCP_TIMEWAIT_LEN) and the segment is consumed: its old text gets no ACK
         * (measured on Linux 6.18 with packetdrill; shutdown() instead of close() gets
         * its D-SACK at once). */
        return VERDICT_ACCEPT;
    }
    return tcp_input_sync_text(tcb, seg); /* sixth, seventh, eighth */
}
