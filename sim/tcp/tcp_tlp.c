/* SPDX-License-Identifier: MIT */
/*
 * tcp_tlp.c: tail loss probes (RFC 8985 §7; Linux tcp_early_retrans 3, the default).
 *
 * Entry points: tcp_tlp_schedule() (after new data went out, and after an ACK of new
 * data), tcp_tlp_fired() (the probe timeout), tcp_tlp_on_ack() (from tcp_rack_on_ack()).
 *
 * When the last segments of a flight are lost, no ACK comes back to tell: without a
 * probe only the RTO would resend them. A probe timeout (PTO, about two round trips)
 * after the last send, the sender sends one segment, new data if any waits, else the
 * last segment again, so that the ACK it draws shows, by its SACK blocks, what RACK
 * must repair (tcp_rack.c). The probe uses the RTO's timer (tcb->xmit_timer).
 */
#include "tcp.h"

#define PTO_SLACK US(2000) /* Linux: TCP_TIMEOUT_MIN_US, added when several are in flight */

bool
tcp_tlp_on(const struct tcp_tcb *tcb)
{
    int64_t er = tcb->stack->sysctl.tcp_early_retrans;
    return (er == 3 || er == 4) && tcb->sack_ok;
}

static bool
data_state(enum tcp_state s)
{
    return s == TCP_ESTABLISHED || s == TCP_CLOSE_WAIT || s == TCP_FIN_WAIT_1 ||
           s == TCP_CLOSING || s == TCP_LAST_ACK;
}

/*
 * RFC 8985 §7.2, as Linux's tcp_schedule_loss_probe() computes it: with an RTT sample,
 * PTO = 2*SRTT plus, with one segment in flight, tcp_rto_min for the peer's delayed ACK
 * (the RFC's WCDelAckT), else 2 ms of slack; without one, 1 s. Never later than the RTO
 * would fire: `advancing_rto` after an ACK that restarted it, else counted from the
 * oldest outstanding segment's send. Only a SACK connection with nothing SACKed, lost
 * or resent outstanding and no recovery running probes (Linux: CA_Open or CA_CWR).
 */
bool
tcp_tlp_schedule(struct tcp_tcb *tcb, bool advancing_rto)
{
    struct tcp_rack *rk = tcb->rack;
    if (!tcp_tlp_on(tcb) || tcp_rack_outstanding(tcb) == 0 || !data_state(tcb->state) ||
        tcb->in_recovery || rk->in_loss || tcb->retransmits > 0 || tcp_rack_disorder(tcb)) {
        return false;
    }
    const struct tcp_sysctl *s = &tcb->stack->sysctl;
    sim_time pto = s->rto_initial;
    if (tcb->rtt_seeded) {
        pto = 2 * tcb->srtt + (tcp_rack_outstanding(tcb) == 1 ? s->rto_min : PTO_SLACK);
    }
    sim_time rto_left = advancing_rto ? tcb->rto
                                      : tcp_rack_head_xmit(tcb) + tcb->rto - tcp_now(tcb);
    if (rto_left > 0 && rto_left < pto) {
        pto = rto_left;
    }
    rk->pto = pto;
    tcp_timer_xmit_arm(tcb, TCP_XMIT_TLP, pto);
    return true;
}

/* Linux: tcp_snd_wnd_test(): the next new segment (a full one, or all that is left)
 * fits the peer's window whole; a FIN alone needs none. */
static bool
new_segment_fits(const struct tcp_tcb *tcb)
{
    if (!tcp_new_data_fits(tcb)) {
        return false;
    }
    tcp_seq data_end = seq_add(tcb->iss, (uint32_t)(1 + tcb->snd.end));
    uint32_t left = seq_gt(data_end, tcb->snd_max) ? seq_diff(data_end, tcb->snd_max) : 0;
    uint32_t len = left < tcb->mss ? left : tcb->mss;
    tcp_seq wnd_end = seq_add(tcb->snd_una, tcb->snd_wnd);
    return seq_leq(seq_add(tcb->snd_max, len), wnd_end);
}

/*
 * RFC 8985 §7.3, Linux: tcp_send_loss_probe(). One probe at a time: while one is
 * unanswered the timer only gives way to the RTO. New data goes first if the peer's
 * window takes it (cwnd does not bound a probe); else the last segment again. After a
 * probe the RTO is armed afresh from now.
 */
void
tcp_tlp_fired(struct tcp_tcb *tcb)
{
    struct tcp_rack *rk = tcb->rack;
    tcp_timer_trace(tcb, TCP_TIMER_TLP, 0, 0, rk != NULL ? rk->pto : 0);
    if (rk == NULL || rk->tlp_out || tcp_rack_outstanding(tcb) == 0 || !data_state(tcb->state)) {
        tcp_timer_rto_rearm(tcb);
        return;
    }
    uint32_t used = 0;
    bool again = false;
    if (new_segment_fits(tcb)) {
        used = tcp_send_segment_at(tcb, tcb->snd_max, TCP_TX_TLP_NEW);
    }
    if (used == 0) {
        const struct tcp_txrec *last = &g_array_index(rk->q, struct tcp_txrec, rk->q->len - 1);
        used = tcp_send_segment_at(tcb, last->start, TCP_TX_TLP);
        again = true;
    }
    if (used == 0) {
        tcp_timer_rto_rearm(tcb);
        return;
    }
    rk->tlp_out = true;
    rk->tlp_retrans = again;
    rk->tlp_high_seq = tcb->snd_max; /* RFC 8985 §7.3: TLP.end_seq = SND.NXT */
    tcp_mib_inc(tcb->stack, TCP_MIB_LOSS_PROBES);
    tcp_timer_rto_restart(tcb);
}

/* A D-SACK (RFC 2883: the first block at or below the ACK) for the probe's segment. */
static bool
dsack_of_probe(const struct tcp_rack *rk, const struct tcp_seg *seg)
{
    return tcp_opts_has(&seg->opt, TCPOPT_SACK) && seg->opt.nsack > 0 &&
           seq_leq(seg->opt.sack[0].end, seg->ack) && seg->opt.sack[0].end == rk->tlp_high_seq;
}

/*
 * RFC 8985 §7.4, Linux: tcp_process_tlp_ack(). Once the ACK reaches TLP.end_seq: a probe
 * of new data needs nothing more; a retransmitted probe that was itself a duplicate
 * (a D-SACK for it, or a bare duplicate ACK) shows nothing was lost; an ACK beyond
 * TLP.end_seq shows the probe repaired a loss, and the congestion window is reduced
 * once, as for a recovery (Linux: CWR, then cwnd = ssthresh).
 */
void
tcp_tlp_on_ack(struct tcp_tcb *tcb, const struct tcp_seg *seg, uint32_t acked,
               uint32_t newly_sacked)
{
    struct tcp_rack *rk = tcb->rack;
    if (tcb->in_recovery) {
        rk->tlp_out = false; /* Linux: tcp_init_cwnd_reduction() ends the episode */
        return;
    }
    if (!rk->tlp_out || seq_lt(seg->ack, rk->tlp_high_seq)) {
        return;
    }
    if (!rk->tlp_retrans || dsack_of_probe(rk, seg)) {
        rk->tlp_out = false;
    } else if (seq_gt(seg->ack, rk->tlp_high_seq)) {
        rk->tlp_out = false;
        tcb->cc.flight = seq_diff(tcb->snd_max, tcb->snd_una);
        tcb->cc_ops->on_loss(&tcb->cc, tcp_now(tcb));
        tcp_mib_inc(tcb->stack, TCP_MIB_LOSS_PROBE_RECOVERY);
        tcp_trace_cc(tcb, "tail loss probe repaired a loss");
    } else if (acked == 0 && newly_sacked == 0 && seg->len == 0) {
        rk->tlp_out = false;
    }
}

/* After an ACK of new data: the probe timer again, else the RTO (Linux:
 * tcp_set_xmit_timer()), unless RACK's reordering timer holds it. */
void
tcp_tlp_after_ack(struct tcp_tcb *tcb, uint32_t acked)
{
    if (acked == 0 || tcb->xmit_timer == TCP_XMIT_REO || !ev_pending(&tcb->timer.rto)) {
        return;
    }
    tcp_tlp_schedule(tcb, true);
}
