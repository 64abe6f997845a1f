/* SPDX-License-Identifier: MIT */
/*
 * tcp_recovery.c: loss recovery driven by duplicate ACKs: fast retransmit and fast
 * recovery (RFC 5681 §3.2), NewReno partial ACKs (RFC 6582) without SACK, SACK-based
 * recovery (RFC 6675) with it, and limited transmit (RFC 3042) before either.
 *
 * Entry points: tcp_recovery_on_ack() (from the fifth step, for every acceptable ACK)
 * and tcp_recovery_send() (from tcp_output() while a SACK recovery is running).
 * The congestion-control ops decide how much the window changes; this file decides when.
 * With RACK on (Linux's default, tcp_rack.c), RACK says what is lost, and recovery
 * starts as soon as it has marked a segment, whatever the duplicate-ACK count.
 */
#include "tcp.h"

#define DUPACK_THRESHOLD 3 /* RFC 5681 §3.2; Linux tcp_reordering */

static void
enter_recovery(struct tcp_tcb *tcb)
{
    struct tcp_stack *st = tcb->stack;
    tcb->recover = tcb->snd_max;
    tcb->recover_valid = true;
    tcb->in_recovery = true;
    tcb->sack_recovery = tcb->sack_ok;
    tcp_undo_init(tcb); /* tcp_undo.c: what undoing this reduction would restore */
    tcp_prr_start(tcb);
    tcb->cc.flight = seq_diff(tcb->snd_max, tcb->snd_una);
    tcb->cc_ops->on_loss(&tcb->cc, tcp_now(tcb));
    tcp_mib_inc(st, TCP_MIB_FAST_RETRANS);
    tcp_mib_inc(st, tcb->sack_recovery ? TCP_MIB_SACK_RECOVERY : TCP_MIB_RENO_RECOVERY);
    if (tcp_prr_enabled(tcb)) {
        /* Linux: PRR (tcp_prr.c) sets the window on this ACK and sends the head. */
        tcb->high_rxt = tcb->snd_una;
        tcb->high_rxt_valid = true;
        return;
    }
    /* RFC 5681 §3.2 step 2 / RFC 6675 §5 (4.3): retransmit the first unacknowledged
     * segment at once. */
    uint32_t len = tcp_retransmit_head(tcb, tcp_rack_on(tcb) ? TCP_TX_RACK : TCP_TX_FAST);
    tcb->high_rxt = seq_add(tcb->snd_una, len);
    tcb->high_rxt_valid = true;
    if (!tcb->sack_recovery) {
        /* RFC 5681 §3.2 step 3: inflate by the three segments that left the network. */
        tcb->cc.cwnd = tcb->cc.ssthresh + DUPACK_THRESHOLD * tcb->cc.mss;
    }
    tcp_trace_cc(tcb, "fast retransmit");
}

static void
exit_recovery(struct tcp_tcb *tcb)
{
    tcb->in_recovery = false;
    tcb->high_rxt_valid = false;
    tcb->cc.flight = seq_diff(tcb->snd_max, tcb->snd_una);
    tcb->cc_ops->on_recovery_end(&tcb->cc, tcp_now(tcb));
    tcp_trace_cc(tcb, "recovery end");
}

/* RFC 6582 §3.2 step 3, partial acknowledgment without SACK: the next hole is lost too.
 * Retransmit it, deflate by what was acked, add back one segment if at least one was. */
static void
newreno_partial_ack(struct tcp_tcb *tcb, uint32_t acked)
{
    tcb->cc.cwnd = tcb->cc.cwnd > acked ? tcb->cc.cwnd - acked : tcb->cc.mss;
    if (acked >= tcb->cc.mss) {
        tcb->cc.cwnd += tcb->cc.mss;
    }
    tcp_retransmit_head(tcb, TCP_TX_RECOVERY);
    tcp_timer_rto_restart(tcb); /* RFC 6582 §3.2 step 3: reset on the first partial ACK */
}

/* Should a duplicate ACK (or new SACK information) start recovery now? */
static bool
loss_detected(const struct tcp_tcb *tcb)
{
    if (tcp_rack_on(tcb)) {
        return tcp_rack_lost_any(tcb); /* RFC 8985 §6.2 (tcp_rack.c) */
    }
    if (tcb->dupacks >= tcp_dupthresh(tcb)) {
        return true; /* Linux: tcp_time_to_recover(), tcp_dupack_heuristics() > reordering */
    }
    /* RFC 6675 §5: with SACK, enough data SACKed above SND.UNA marks it lost even before
     * the third duplicate ACK (reordering of fewer than DupThresh segments is tolerated). */
    return tcb->sack_ok && tcp_sack_is_lost(tcb, tcb->snd_una);
}

void
tcp_recovery_on_ack(struct tcp_tcb *tcb, uint32_t acked, bool dupack, uint32_t newly_sacked)
{
    if (acked > 0) {
        tcb->dupacks = 0;
        if (!tcb->in_recovery) {
            if (tcp_rack_on(tcb) && tcp_rack_lost_any(tcb)) {
                enter_recovery(tcb); /* RACK found a loss on an ACK that also moved */
            }
            return; /* the normal on_ack path (tcp_ack.c) grows the window */
        }
        if (seq_geq(tcb->snd_una, tcb->recover)) {
            if (!tcp_undo_recovery(tcb)) { /* Linux: a spurious recovery is undone */
                exit_recovery(tcb); /* RFC 6582 step 3 full ACK; RFC 6675 §5 (B) */
            }
        } else if (!tcb->sack_recovery) {
            newreno_partial_ack(tcb, acked);
        }
        return;
    }
    if (!dupack && newly_sacked == 0) {
        return;
    }
    /* RFC 6675 §5: an ACK that brings new SACK information counts as a duplicate. */
    tcb->dupacks++;
    if (tcb->in_recovery) {
        if (!tcb->sack_recovery) {
            tcb->cc.cwnd += tcb->cc.mss; /* RFC 5681 §3.2 step 4 */
        }
        return;
    }
    if (!loss_detected(tcb)) {
        return; /* RFC 3042: limited transmit lets one new segment out (tcp_output.c) */
    }
    /* RFC 6582 §3.2 step 1: not again for losses from the window already recovered
     * (RACK tells a lost retransmission from an old loss: Linux has no such rule). */
    if (!tcp_rack_on(tcb) && tcb->recover_valid && seq_leq(tcb->snd_una, tcb->recover)) {
        return;
    }
    enter_recovery(tcb);
}

/* RFC 6675 §5 step (C): while cwnd - pipe >= 1 SMSS, send NextSeg(): a lost hole first,
 * then new data, then a hole that SACKed data lies above. */
bool
tcp_recovery_send(struct tcp_tcb *tcb)
{
    bool sent = false;
    for (int guard = 0; guard < 1000; guard++) {
        uint32_t pipe = tcp_sack_pipe(tcb);
        if (tcb->cc.cwnd < pipe + tcb->cc.mss) {
            break;
        }
        tcp_seq hole = 0;
        bool lost = false;
        bool have_hole = tcp_sack_next_hole(tcb, &hole, &lost);
        bool resend = have_hole && (lost || !tcp_new_data_fits(tcb));
        uint8_t why = tcp_rack_on(tcb) ? TCP_TX_RACK : TCP_TX_RECOVERY;
        uint32_t len = resend ? tcp_send_segment_at(tcb, hole, why)
                              : tcp_new_data_fits(tcb)
                                    ? tcp_send_segment_at(tcb, tcb->snd_max, TCP_TX_NEW)
                                    : 0;
        if (len == 0) {
            break;
        }
        if (resend && seq_gt(seq_add(hole, len), tcb->high_rxt)) {
            tcb->high_rxt = seq_add(hole, len); /* RFC 6675 §5 (C.3) */
        }
        sent = true;
    }
    return sent;
}

void
tcp_recovery_rack_timeout(struct tcp_tcb *tcb)
{
    if (!tcb->in_recovery) {
        enter_recovery(tcb); /* Linux: tcp_rack_reo_timeout() -> tcp_enter_recovery() */
        /* No ACK brings this recovery in, so Linux runs PRR once as if one segment had
         * been delivered (tcp_rack_reo_timeout(): tcp_cwnd_reduction(sk, 1, ...)): the
         * window is what is in flight plus one, and only the head goes now; the next
         * holes go as ACKs come back, not all at once. */
        tcp_prr_on_ack(tcb, tcb->mss, false, 0);
    }
}
