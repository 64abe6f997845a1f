/* SPDX-License-Identifier: MIT */
/*
 * tcp_ack.c: the fifth step, check the ACK field (RFC 9293 §3.10.7.4).
 *
 * Entry point: tcp_ack_process(), called by tcp_input_sync(). It moves SND.UNA, releases
 * acknowledged bytes, takes RTT samples (RFC 6298, RFC 7323 §4), updates SND.WND (with
 * SND.WL1/WL2), feeds the SACK scoreboard and the loss recovery (tcp_sack.c,
 * tcp_recovery.c), and makes the per-state transitions an ACK of our FIN causes.
 */
#include <errno.h>

#include "tcp.h"

bool
tcp_fin_acked(const struct tcp_tcb *tcb)
{
    tcp_seq fin_seq = seq_add(tcb->iss, (uint32_t)(1 + tcb->snd.end));
    return tcb->fin_queued && seq_gt(tcb->snd_una, fin_seq);
}

/* RFC 9293 §3.10.7.4 fifth step: "If SND.WL1 < SEG.SEQ or (SND.WL1 = SEG.SEQ and SND.WL2
 * =< SEG.ACK), set SND.WND <- SEG.WND, set SND.WL1 <- SEG.SEQ, and set SND.WL2 <-
 * SEG.ACK." The window is scaled by the peer's shift (RFC 7323 §2.3).
 * Linux: tcp_may_update_window() also takes the window of any ACK that moves SND.UNA
 * (`prior_una` is SND.UNA before this ACK), whatever its sequence number: a
 * retransmitted segment of the peer's carries its current window, and the window's
 * right edge is SND.UNA + SND.WND (tcp_wnd_end()), so keeping an older, larger window
 * while SND.UNA moves would let data go past what the peer offered. It takes a window
 * at an equal sequence number only when it grows or closes. */
static bool
may_update_window(const struct tcp_tcb *tcb, const struct tcp_seg *seg, tcp_seq prior_una)
{
    if (tcb->stack->sysctl.personality == TCP_PERSONALITY_LINUX) {
        uint32_t nwin = (uint32_t)seg->win << tcb->snd_wscale;
        return seq_gt(seg->ack, prior_una) || seq_gt(seg->seq, tcb->snd_wl1) ||
               (seg->seq == tcb->snd_wl1 && (nwin > tcb->snd_wnd || nwin == 0));
    }
    return seq_lt(tcb->snd_wl1, seg->seq) ||
           (tcb->snd_wl1 == seg->seq && seq_leq(tcb->snd_wl2, seg->ack));
}

void
tcp_update_window(struct tcp_tcb *tcb, const struct tcp_seg *seg, tcp_seq prior_una)
{
    if (!may_update_window(tcb, seg, prior_una)) {
        return;
    }
    uint32_t old = tcb->snd_wnd;
    tcb->snd_wnd = (uint32_t)seg->win << tcb->snd_wscale;
    tcb->snd_wl1 = seg->seq;
    tcb->snd_wl2 = seg->ack;
    if (tcb->snd_wnd > tcb->max_snd_wnd) {
        tcb->max_snd_wnd = tcb->snd_wnd;
    }
    if (old == 0 && tcb->snd_wnd > 0) {
        tcp_timer_persist_stop(tcb);
        tcb->probes_out = 0;
    }
    if (old != tcb->snd_wnd && tcp_snd_queued(tcb) > seq_diff(tcb->snd_max, tcb->snd_una)) {
        tcp_cwnd_idle_check(tcb); /* Linux: tcp_ack_update_window() */
    }
}

/* RTT from the timed segment (Karn-valid), else from the echoed timestamp (RFC 7323
 * §4.1, which stays valid across retransmissions). Returns the sample, 0 if none. */
static sim_time
take_rtt_sample(struct tcp_tcb *tcb, const struct tcp_seg *seg)
{
    sim_time r = 0;
    if (tcb->rtt_timing && seq_geq(seg->ack, tcb->rtt_seq)) {
        tcb->rtt_timing = false;
        r = tcp_now(tcb) - tcb->rtt_start;
        if (r == 0 && tcb->stack->sysctl.personality == TCP_PERSONALITY_FREEBSD) {
            /* FreeBSD: tcp_xmit_timer() takes a sample of zero ticks too (the RTO is
             * then rexmit_min + rexmit_slop). */
            tcp_rtt_sample(tcb, 0);
            return 0;
        }
    } else if (tcb->ts_ok && tcp_opts_has(&seg->opt, TCPOPT_TS) && seg->opt.ts_ecr != 0) {
        uint32_t ticks = tcp_ts_now(tcb) - seg->opt.ts_ecr;
        if (ticks < 0x7FFFFFFFu && tcb->stack->sysctl.personality == TCP_PERSONALITY_FREEBSD) {
            r = MS(ticks + 1); /* FreeBSD: tcp_xmit_timer(tp, TCP_TS_TO_TICKS(t) + 1) */
        } else if (ticks < 0x7FFFFFFFu) {
            r = MS(ticks ? ticks : 1);
        }
    }
    if (r > 0) {
        tcp_rtt_sample(tcb, r);
    }
    return r;
}

/* What an ACK delivered, as the congestion control will be told it. */
struct cc_ack {
    uint32_t bytes;    /* the window may grow by these */
    sim_time rtt;      /* the ACK's RTT sample, 0 if none */
    bool taken;        /* computed for this ACK */
};

/* Taken while the SACK scoreboard and RACK's records still hold what this ACK covers:
 * they are trimmed after (tcp_sack_update(), tcp_rack_on_ack()). */
static struct cc_ack
cc_sample(struct tcp_tcb *tcb, const struct tcp_seg *seg, uint64_t bytes, sim_time rtt)
{
    bool linux = tcb->stack->sysctl.personality == TCP_PERSONALITY_LINUX;
    sim_time ca_rtt = linux ? tcp_rack_acked_rtt(tcb, seg->ack, tcp_now(tcb)) : 0;
    if (ca_rtt > 0) {
        rtt = ca_rtt; /* Linux: every ACK gives one (tcp_clean_rtx_queue()) */
    }
    /* Linux: tcp_cong_control() grows the window by what this ACK delivered
     * (acked_sacked): bytes SACKed earlier were delivered by the ACK that SACKed them,
     * which raised no window (tcp_may_raise_cwnd(): no data acked), and count no more. */
    uint64_t grow = bytes;
    if (linux) {
        uint32_t sacked_before = tcp_sack_bytes_below(tcb, seg->ack);
        grow = bytes > sacked_before ? bytes - sacked_before : 0;
        if (!tcb->sack_ok && tcb->dupacks > 0 && tcb->mss > 0) {
            /* Without SACK each duplicate ACK stood for one segment delivered
             * (tcp_add_reno_sack()); the ACK that ends them delivers the rest, at
             * least one (tcp_remove_reno_sacks()). */
            uint64_t segs = (bytes + tcb->mss - 1) / tcb->mss;
            uint64_t left = segs > tcb->dupacks ? segs - tcb->dupacks : 1;
            grow = left * tcb->mss < bytes ? left * tcb->mss : bytes;
        }
    }
    return (struct cc_ack){.bytes = (uint32_t)grow, .rtt = rtt, .taken = true};
}

/* RFC 5681 §3.1: new data acknowledged outside recovery grows the window, by the
 * algorithm's rule (tcp_cc.h). */
static void
cc_grow(struct tcp_tcb *tcb, const struct cc_ack *a)
{
    struct tcp_cc_state *cc = &tcb->cc;
    cc->flight = seq_diff(tcb->snd_max, tcb->snd_una);
    cc->rtt_sample = a->rtt;
    cc->snd_una = tcb->snd_una;
    cc->snd_max = tcb->snd_max;
    cc->event = NULL;
    cc->app_limited = !tcp_cwnd_is_limited(tcb);
    uint32_t before = cc->cwnd;
    tcb->cc_ops->on_ack(cc, a->bytes, tcp_now(tcb));
    if (cc->cwnd != before || cc->event != NULL) {
        tcp_trace_cc(tcb, cc->event);
    }
    if (cc->cwnd != before && tcb->stack->sysctl.personality != TCP_PERSONALITY_LINUX) {
        tcp_sndbuf_expand(tcb);
    }
}

/* SND.UNA advances: release the bytes, sample the RTT, grow the window, keep the
 * retransmission timer (RFC 6298 §5.2-5.3). Returns the sequence space acknowledged. */
static uint32_t
new_data_acked(struct tcp_tcb *tcb, const struct tcp_seg *seg, struct cc_ack *grow)
{
    uint32_t acked = seq_diff(seg->ack, tcb->snd_una);
    bool was_fin_acked = tcp_fin_acked(tcb);
    uint32_t syn = tcb->syn_acked ? 0u : 1u; /* the SYN takes one sequence number */
    tcb->syn_acked = true;
    tcb->snd_una = seg->ack;
    if (seq_lt(tcb->snd_nxt, tcb->snd_una)) {
        tcb->snd_nxt = tcb->snd_una; /* the peer had what we were about to resend */
    }
    uint32_t fin = (!was_fin_acked && tcp_fin_acked(tcb)) ? 1u : 0u;
    uint64_t bytes = acked - fin - syn;
    if (bytes > tcp_snd_queued(tcb)) {
        bytes = tcp_snd_queued(tcb);
    }
    tcp_snd_acked(tcb, bytes);
    sim_time rtt = take_rtt_sample(tcb, seg);
    tcb->retransmits = 0;
    tcb->backoff = 0;
    tcb->probes_out = 0;
    if (bytes > 0) {
        tcb->persist_backoff = 0; /* Linux: one icsk_backoff, reset by progress */
    }
    /* What this ACK delivered, for the algorithm: now, outside recovery (RFC 5681
     * §3.1), or, for Linux, once the ACK's loss recovery is decided (tcp_ack_process()). */
    *grow = cc_sample(tcb, seg, bytes, rtt);
    if (!tcb->in_recovery && tcb->stack->sysctl.personality != TCP_PERSONALITY_LINUX) {
        cc_grow(tcb, grow);
    }
    /* RFC 6298 §5.2 and §5.3. */
    if (tcb->snd_una == tcb->snd_max) {
        tcp_timer_rto_stop(tcb);
    } else {
        tcp_timer_rto_restart(tcb);
    }
    if (bytes > 0 && tcb->stack->sysctl.personality != TCP_PERSONALITY_LINUX) {
        tcp_wakeup(tcb, TCP_WAKE_WRITE);
    }
    return acked;
}

/* RFC 5681 §2: a duplicate ACK carries no data, no SYN or FIN, the same window, and
 * acknowledges SND.UNA while data is outstanding. */
static bool
is_dupack(const struct tcp_tcb *tcb, const struct tcp_seg *seg)
{
    return seg->len == 0 && !seg_has(seg, TCP_SYN | TCP_FIN) && seg->ack == tcb->snd_una &&
           tcb->snd_una != tcb->snd_max &&
           ((uint32_t)seg->win << tcb->snd_wscale) == tcb->snd_wnd;
}

/* ACK of our SYN-ACK on a passive open: the connection is established if the listener
 * has room in its accept queue (Linux: tcp_check_req() / inet_csk_complete_hashdance()). */
static struct tcp_verdict
syn_received_ack(struct tcp_tcb *tcb, const struct tcp_seg *seg)
{
    /* "If SND.UNA < SEG.ACK =< SND.NXT, then enter ESTABLISHED state ... If the segment
     * acknowledgment is not acceptable, form a reset segment <SEQ=SEG.ACK><CTL=RST>". */
    if (!(seq_lt(tcb->snd_una, seg->ack) && seq_leq(seg->ack, tcb->snd_nxt))) {
        return VERDICT(TCP_ACT_DROP_RST, TCP_DROP_SYN_RECV_BAD_ACK);
    }
    if (tcb->stack->sysctl.personality == TCP_PERSONALITY_LINUX) {
        /* Linux: tcp_check_req() takes the TSval of an in-window ACK into the request's
         * ts_recent before it looks for room in the accept queue, so a SYN-ACK resent
         * after an overflow echoes the client's latest timestamp. */
        tcp_update_ts_recent(tcb, seg);
    }
    if (tcb->passive && tcp_listen_accept_full(tcb->parent)) {
        return tcp_listen_overflow(tcb);
    }
    tcp_cc_start(tcb);
    tcb->snd_wnd = (uint32_t)seg->win << tcb->snd_wscale;
    tcb->max_snd_wnd = tcb->snd_wnd;
    tcb->snd_wl1 = seg->seq;
    tcb->snd_wl2 = seg->ack;
    if (tcb->passive) {
        tcp_listen_child_established(tcb);
    }
    tcp_set_state(tcb, TCP_ESTABLISHED,
                  seg_has(seg, TCP_SYN) ? TCP_CAUSE_RCV_SYN_ACK : TCP_CAUSE_RCV_ACK);
    return VERDICT_ACCEPT;
}

/* Transitions caused by the ACK of our FIN (fifth step, per state). */
static void
fin_ack_transitions(struct tcp_tcb *tcb)
{
    if (!tcp_fin_acked(tcb)) {
        return;
    }
    switch (tcb->state) {
    /* "if the FIN segment is now acknowledged, then enter FIN-WAIT-2". */
    case TCP_FIN_WAIT_1:
        tcp_set_state(tcb, TCP_FIN_WAIT_2, TCP_CAUSE_RCV_ACK);
        break;
    /* "if the ACK acknowledges our FIN, then enter the TIME-WAIT state". */
    case TCP_CLOSING:
        tcp_set_state(tcb, TCP_TIME_WAIT, TCP_CAUSE_RCV_ACK);
        break;
    /* "If our FIN is now acknowledged, delete the TCB, enter the CLOSED state". */
    case TCP_LAST_ACK:
        tcp_set_state(tcb, TCP_CLOSED, TCP_CAUSE_RCV_ACK);
        break;
    case TCP_ESTABLISHED:
    case TCP_FIN_WAIT_2:
    case TCP_CLOSE_WAIT:
    case TCP_SYN_RECEIVED:
        break;
    case TCP_CLOSED:
    case TCP_LISTEN:
    case TCP_SYN_SENT:
    case TCP_TIME_WAIT:
        g_assert_not_reached();
    }
}

/* RFC 9293 §3.10.7.4 fifth step: "If the ACK acks something not yet sent (SEG.ACK >
 * SND.NXT), then send an ACK, drop the segment, and return". Linux 6.18 answers with a
 * challenge ACK in every synchronized state (RFC 5961 §5.2, tcp_send_challenge_ack()),
 * rate-limited per connection by tcp_invalid_ratelimit: two hosts that disagree about
 * the sequence space (a desynchronised connection) cannot then acknowledge each other's
 * ACKs for ever, the "ACK storm". The segment, text included, is dropped. */
static struct tcp_verdict
ack_of_unsent(const struct tcp_tcb *tcb)
{
    if (tcb->stack->sysctl.personality != TCP_PERSONALITY_LINUX) {
        return VERDICT(TCP_ACT_DROP_ACK, TCP_DROP_ACK_UNSENT);
    }
    return VERDICT(TCP_ACT_CHALLENGE, TCP_DROP_ACK_UNSENT);
}

struct tcp_verdict
tcp_ack_process(struct tcp_tcb *tcb, const struct tcp_seg *seg)
{
    /* "if the ACK bit is off, drop the segment and return". */
    if (!seg_has(seg, TCP_ACK)) {
        return VERDICT(TCP_ACT_DROP, TCP_DROP_NO_ACK);
    }
    if (tcb->state == TCP_SYN_RECEIVED) {
        struct tcp_verdict v = syn_received_ack(tcb, seg);
        if (v.action != TCP_ACT_CONTINUE) {
            return v;
        }
    }
    /* RFC 5961 §5.2: acceptable only in (SND.UNA - MAX.SND.WND) =< SEG.ACK =< SND.NXT;
     * SND.NXT here is the highest sequence sent (it rewinds on a timeout). */
    if (seq_gt(seg->ack, tcb->snd_max)) {
        return ack_of_unsent(tcb);
    }
    if (seq_lt(seg->ack, tcb->snd_una - tcb->max_snd_wnd)) {
        return VERDICT(TCP_ACT_CHALLENGE, TCP_DROP_ACK_TOO_OLD);
    }
    /* Linux: tcp_ack() replaces ts_recent here, once the ACK passed these checks and is
     * not below SND.UNA (FLAG_UPDATE_TS_RECENT), before anything is retransmitted: a
     * segment with a bogus ACK cannot move TS.Recent and make PAWS refuse the peer's
     * genuine segments. RFC 7323 §5.3 R3 records it before the ACK is looked at. */
    if (tcb->stack->sysctl.personality == TCP_PERSONALITY_LINUX &&
        seq_geq(seg->ack, tcb->snd_una)) {
        tcp_update_ts_recent(tcb, seg);
    }
    tcb->probes_out = 0;
    uint32_t acked = 0;
    struct cc_ack grow = {0};
    bool dupack = false;
    tcp_seq prior_una = tcb->snd_una;
    tcb->undo.rcv_tsecr = tcb->ts_ok && tcp_opts_has(&seg->opt, TCPOPT_TS) ? seg->opt.ts_ecr : 0;
    if (seq_gt(seg->ack, tcb->snd_una)) {
        acked = new_data_acked(tcb, seg, &grow);
    } else {
        dupack = is_dupack(tcb, seg);
    }
    /* RFC 2883 §4: a D-SACK reports a duplicate, not a hole: Linux counts no duplicate
     * ACK for it (FLAG_DSACKING_ACK). */
    uint32_t dsacked = tcp_dsack_check(tcb, seg, prior_una);
    if (dsacked > 0 && tcb->stack->sysctl.personality == TCP_PERSONALITY_LINUX) {
        dupack = false;
    }
    uint32_t sacked_before = tcp_sack_bytes(tcb);
    uint32_t newly_sacked = tcp_sack_update(tcb, seg);
    int64_t delivered = (int64_t)acked + tcp_sack_bytes(tcb) - sacked_before;
    tcp_rack_on_ack(tcb, seg, acked, newly_sacked);
    bool was_in_recovery = tcb->in_recovery;
    tcp_recovery_on_ack(tcb, acked, dupack, newly_sacked);
    if (grow.taken && !tcb->in_recovery &&
        tcb->stack->sysctl.personality == TCP_PERSONALITY_LINUX &&
        !(was_in_recovery && !tcb->sack_ok && tcb->snd_una == tcb->recover)) {
        /* Linux: tcp_ack() decides loss recovery (tcp_fastretrans_alert()) before it
         * grows the window (tcp_cong_control()), which it does only outside a reduction.
         * So an ACK that starts a recovery grows nothing, and the ACK that ends one
         * grows the window from ssthresh by what it delivered (CUBIC's epoch starts on
         * it; tcp_try_undo_recovery() holds a recovery without SACK open until data
         * above its end is acked). A D-SACK counts one segment delivered more
         * (tcp_sacktag_write_queue(): a spurious retransmission was delivered).
         * Measured on Linux 6.18: linux-measured/cubic-after-recovery.pkt and
         * undo-exit-ack-grows.pkt. */
        if (dsacked > 0) {
            grow.bytes += tcb->mss;
        }
        cc_grow(tcb, &grow);
    }
    tcp_tlp_after_ack(tcb, acked);
    tcp_update_window(tcb, seg, prior_una);
    /* These may send (F-RTO's new data, PRR's fast retransmit): after the window. */
    tcp_undo_on_ack(tcb, seg, prior_una, dsacked, newly_sacked, dupack);
    tcp_prr_on_ack(tcb, delivered > 0 ? (uint32_t)delivered : 0, acked > 0, newly_sacked);
    fin_ack_transitions(tcb);
    return VERDICT_ACCEPT;
}
