/* SPDX-License-Identifier: MIT */
/*
 * tcp_delack.c: when to acknowledge (RFC 1122 §4.2.3.2, RFC 5681 §4.2) and Linux's
 * delayed-ACK engine.
 *
 * Entry points: tcp_delack_data_received(), tcp_delack_decide(), tcp_delack_fired(),
 * tcp_delack_data_sent().
 *
 * The RFC rule: ACK at least every second full-sized segment, never delay more than
 * 0.5 s, ACK out-of-order segments at once. Linux adds (tcp_input.c, tcp_output.c):
 *   - quick-ACK mode at the start of a connection and after an idle period: up to 16
 *     segments (rcv_wnd / 2*rcv_mss) are each ACKed at once, so slow start is not slowed;
 *   - "ping-pong" (interactive) mode, entered when we send data soon after receiving
 *     some, or receive a FIN: ACKs wait for data to ride on;
 *   - an adaptive timeout `ato` starting at 40 ms (TCP_ATO_MIN), following the
 *     inter-arrival time, doubled when the timer fires outside ping-pong mode.
 * The RFC personality uses the RFC rule with a fixed timeout (delack_max). The FreeBSD
 * personality delays the ACK of a segment only when no delayed ACK is pending and the
 * segment is at most one MSS (FreeBSD: DELAY_ACK() in tcp_input.c), with the fixed
 * timeout net.inet.tcp.delacktime (40 ms); net.inet.tcp.delayed_ack 0 ACKs each segment.
 */
#include "tcp.h"

#define TCP_MAX_QUICKACKS 16

static bool
linux_acks(const struct tcp_tcb *tcb)
{
    return tcb->stack->sysctl.personality == TCP_PERSONALITY_LINUX;
}

/* Linux: tcp_incr_quickack(). */
static void
incr_quickack(struct tcp_tcb *tcb)
{
    uint32_t rcv_mss = tcb->rcv_mss ? tcb->rcv_mss : TCP_DEFAULT_MSS;
    uint32_t q = tcb->rcv_wnd / (2 * rcv_mss);
    if (q == 0) {
        q = 2;
    }
    if (q > TCP_MAX_QUICKACKS) {
        q = TCP_MAX_QUICKACKS;
    }
    if (q > tcb->quickack) {
        tcb->quickack = (uint16_t)q;
    }
}

/* Linux: tcp_measure_rcv_mss() keeps the largest segment seen as the peer's MSS
 * estimate, which decides what a "full-sized" segment is. */
static void
measure_rcv_mss(struct tcp_tcb *tcb, uint32_t len)
{
    if (len > tcb->rcv_mss) {
        tcb->rcv_mss = (uint16_t)(len < tcb->adv_mss ? len : tcb->adv_mss);
    }
}

/* Linux: tcp_event_data_recv(): new in-order data arrived. */
void
tcp_delack_data_received(struct tcp_tcb *tcb, uint32_t len)
{
    sim_time now = tcp_now(tcb);
    const struct tcp_sysctl *s = &tcb->stack->sysctl;
    measure_rcv_mss(tcb, len);
    tcb->unacked_segs++;
    if (!linux_acks(tcb)) {
        tcb->ato = s->delack_max;
        return;
    }
    if (tcb->ato == 0) {
        /* The first data of the connection starts the engine in quick-ACK mode. */
        incr_quickack(tcb);
        tcb->ato = s->delack_min;
    } else {
        sim_time m = now - tcb->lrcvtime;
        if (m <= s->delack_min / 2) {
            tcb->ato = tcb->ato / 2 + s->delack_min / 2;
        } else if (m < tcb->ato) {
            tcb->ato = tcb->ato / 2 + m;
            if (tcb->ato > tcb->rto) {
                tcb->ato = tcb->rto;
            }
        } else if (m > tcb->rto) {
            incr_quickack(tcb); /* after an idle period, quick ACKs again */
        }
    }
    tcb->lrcvtime = now;
}

/* Linux: tcp_event_data_sent(): data sent within `ato` of the last data received
 * means request and response: interactive (ping-pong) mode. */
void
tcp_delack_data_sent(struct tcp_tcb *tcb)
{
    if (linux_acks(tcb) && tcb->lrcvtime != 0 && tcp_now(tcb) - tcb->lrcvtime < tcb->ato) {
        tcb->pingpong = true;
    }
}

void
tcp_delack_enter_pingpong(struct tcp_tcb *tcb)
{
    if (linux_acks(tcb)) {
        tcb->pingpong = true;
    }
}

/* Linux: __tcp_ack_snd_check(); RFC 1122 §4.2.3.2 for the RFC personality. Called after
 * in-order data was queued: ACK now, or arm the delayed-ACK timer. */
void
tcp_delack_decide(struct tcp_tcb *tcb)
{
    uint32_t rcv_mss = tcb->rcv_mss ? tcb->rcv_mss : TCP_DEFAULT_MSS;
    uint32_t unacked = seq_diff(tcb->rcv_nxt, tcb->last_ack_sent);
    if (tcb->stack->sysctl.personality == TCP_PERSONALITY_FREEBSD) {
        /* FreeBSD: DELAY_ACK(): no delayed ACK pending and no more than one segment
         * unacknowledged, else ACK now (so every second segment is ACKed at once). */
        if (!tcb->stack->sysctl.delayed_ack || ev_pending(&tcb->timer.delack) ||
            unacked > (uint32_t)tcb->mss) {
            tcp_ack_now(tcb);
        } else {
            tcp_delack_arm(tcb);
        }
        return;
    }
    if (!linux_acks(tcb)) {
        /* "an ACK SHOULD be generated for at least every second full-sized segment". */
        if (unacked >= 2 * (uint32_t)tcb->mss) {
            tcp_ack_now(tcb);
        } else {
            tcp_delack_arm(tcb);
        }
        return;
    }
    /* "More than one full frame received ... and right edge of window advances far
     * enough": a reader that does not keep up is ACKed by the timer (or its read). The
     * window is computed only when more than a segment waits and some of it is unread,
     * and computing it leaves quick-ACK mode when the buffer is over half full (below),
     * before the quick-ACK test: so a duplicate that asked for a quick ACK waits for the
     * timer then (measured on Linux 6.18: test/packetdrill/linux-measured/dup-*.pkt). */
    bool full = false;
    if (unacked > rcv_mss) {
        if (tcp_rcv_queued(tcb) == 0) {
            full = true; /* Linux: rcv_nxt - copied_seq < sk_rcvlowat (1) */
        } else {
            full = tcp_rcv_window_fresh(tcb) >= tcb->rcv_wnd;
            tcp_delack_window_selected(tcb);
        }
    }
    if (full || (tcb->quickack > 0 && !tcb->pingpong)) {
        if (tcb->quickack > 0 && !tcb->pingpong) {
            tcb->quickack--;
        }
        tcp_ack_now(tcb);
        return;
    }
    tcp_delack_arm(tcb);
}

/* Linux: __tcp_select_window() leaves quick-ACK mode (icsk_ack.quick = 0) whenever it
 * finds less than half the full window free: a reader that is falling behind gets no
 * more ACKs that would only invite more data. It runs for every segment sent and in the
 * ACK decision above. */
void
tcp_delack_window_selected(struct tcp_tcb *tcb)
{
    if (linux_acks(tcb) && tcp_rcv_window_short(tcb)) {
        tcb->quickack = 0;
    }
}

/* Linux: tcp_data_queue() on a segment that is all old data: D-SACK it (the caller),
 * tcp_enter_quickack_mode(sk, TCP_MAX_QUICKACKS), then the usual ACK decision
 * (__tcp_ack_snd_check()); with out-of-order data held, Linux's SACK compression
 * answers the first duplicates at once (not modelled further). */
void
tcp_delack_old_data(struct tcp_tcb *tcb)
{
    tcp_mib_inc(tcb->stack, TCP_MIB_DELAYED_ACK_LOST);
    incr_quickack(tcb);
    tcb->pingpong = false;
    tcb->ato = tcb->stack->sysctl.delack_min;
    if (tcb->ooo != NULL && tcb->ooo->len > 0) {
        tcp_ack_now(tcb);
        return;
    }
    tcp_delack_decide(tcb);
}

/* Linux: tcp_send_delayed_ack(): the timeout is `ato`, bounded by the RTT estimate. */
void
tcp_delack_arm(struct tcp_tcb *tcb)
{
    const struct tcp_sysctl *s = &tcb->stack->sysctl;
    /* Linux: icsk_ack.ato is 0 until the first data arrives (tcp_event_data_recv() sets
     * it to TCP_ATO_MIN), so a delayed ACK before any data, as for a bare FIN that ends
     * a connection that carried none, fires at the next tick. */
    sim_time ato = tcb->ato ? tcb->ato : linux_acks(tcb) ? 0 : s->delack_min;
    if (linux_acks(tcb) && ato > s->delack_min) {
        sim_time max_ato = tcb->pingpong ? s->delack_max : MS(500);
        if (tcb->rtt_seeded) {
            sim_time rtt = tcb->srtt > s->delack_min ? tcb->srtt : s->delack_min;
            max_ato = rtt < max_ato ? rtt : max_ato;
        }
        ato = ato < max_ato ? ato : max_ato;
    }
    tcb->ato_armed = ato > 0 ? ato : 1; /* 1 ns: the next tick (0 means "unset" below) */
    tcp_timer_delack_arm(tcb);
}

/* Linux: tcp_delack_timer_handler(). */
void
tcp_delack_fired(struct tcp_tcb *tcb)
{
    const struct tcp_sysctl *s = &tcb->stack->sysctl;
    if (!linux_acks(tcb)) {
        return;
    }
    if (tcb->pingpong) {
        /* The ACK found no data to ride on: leave interactive mode. */
        tcb->pingpong = false;
        tcb->ato = s->delack_min;
    } else {
        tcb->ato = 2 * tcb->ato < tcb->rto ? 2 * tcb->ato : tcb->rto;
    }
}
