/* SPDX-License-Identifier: MIT */
/*
 * tcp_rcv.c: the seventh and eighth steps, segment text and the FIN bit
 * (RFC 9293 §3.10.7.4).
 *
 * Entry points: tcp_rcv_text(), tcp_rcv_fin(), called in that order by
 * tcp_input_sync_text() with a segment already trimmed to the window. In-order text goes
 * to the receive buffer, out-of-order text to the reassembly queue (tcp_reass.c), and
 * the ACK is sent now or delayed by the rules in tcp_delack.c.
 */
#include <errno.h>

#include "tcp.h"

/* Linux: tcp_grow_window(), called by tcp_event_data_recv() for in-order segments of at
 * least 128 bytes: rcv_ssthresh, the ceiling of the window offered, climbs towards the
 * window clamp and the free buffer by two segments (or twice the segment) per segment.
 * Linux weighs the segment's payload against its buffer cost without the skb head
 * (truesize_adjust()); a Linux sender's segment over veth or loopback carries its payload
 * in page fragments, so that is the payload itself and every such segment earns growth.
 * Small segments (a 10- or 100-byte response) leave the window where it was; so does a
 * window already at the clamp: after the handshake the client's rcv_ssthresh is the
 * clamp (tcp_init_buffer_space()), so a 200-byte response leaves it announcing 63
 * (x1024), not 64. */
static void
grow_window(struct tcp_tcb *tcb, uint32_t len)
{
    if (tcb->stack->sysctl.personality != TCP_PERSONALITY_LINUX) {
        tcb->rcv_ssthresh = UINT32_MAX;
        return;
    }
    if (len < 128) {
        return;
    }
    uint32_t ceiling = tcp_rcv_full_space(tcb);
    uint32_t space = tcp_rcv_space(tcb);
    ceiling = space < ceiling ? space : ceiling;
    if (ceiling <= tcb->rcv_ssthresh) {
        return;
    }
    uint32_t room = ceiling - tcb->rcv_ssthresh;
    uint32_t advmss = tcb->adv_mss - (!tcb->passive && tcb->ts_ok ? 12 : 0);
    uint32_t incr = 2u * advmss > 2 * len ? 2u * advmss : 2 * len;
    tcb->rcv_ssthresh += incr < room ? incr : room;
    tcb->quickack |= 1; /* Linux: icsk_ack.quick |= 1: the larger window goes out now */
}

static bool
accepts_text(const struct tcp_tcb *tcb)
{
    switch (tcb->state) {
    case TCP_SYN_RECEIVED:
    case TCP_ESTABLISHED:
    case TCP_FIN_WAIT_1:
    case TCP_FIN_WAIT_2:
        return true;
    /* "This should not occur since a FIN has been received from the remote side.
     * Ignore the segment text." TIME-WAIT is reached here when the segment that acked
     * our FIN in CLOSING also carried text (the fifth step moved the state on). */
    case TCP_CLOSE_WAIT:
    case TCP_CLOSING:
    case TCP_LAST_ACK:
    case TCP_TIME_WAIT:
        return false;
    case TCP_CLOSED:
    case TCP_LISTEN:
    case TCP_SYN_SENT:
        break;
    }
    g_assert_not_reached();
}

static void
deliver_in_order(struct tcp_tcb *tcb, const struct tcp_seg *s, uint32_t len)
{
    /* Linux: tcp_queue_rcv() charges the segment, then tcp_event_data_recv() measures
     * it (tcp_measure_rcv_mss(): scaling_ratio, the window clamp) and grows the window. */
    tcp_rcv_append(tcb, s, 0, len);
    tcb->rcv_nxt = seq_add(tcb->rcv_nxt, len);
    tcp_scaling_ratio_update(tcb, len);
    tcp_delack_data_received(tcb, len);
    grow_window(tcb, len);
}

/* RFC 9293 §3.10.7.4, seventh step: process the segment text. */
struct tcp_verdict
tcp_rcv_text(struct tcp_tcb *tcb, struct tcp_seg *s)
{
    if (s->len == 0) {
        /* A bare FIN beyond RCV.NXT is an out-of-order segment: RFC 5681 §4.2 asks for an
         * immediate duplicate ACK. Linux holds it (tcp_data_queue_ofo()); tcpsim does not
         * hold a bare FIN, the peer's retransmission brings it back in order. */
        if (seg_has(s, TCP_FIN) && seq_gt(s->seq, tcb->rcv_nxt) && accepts_text(tcb)) {
            tcp_ack_now(tcb);
        }
        return VERDICT_ACCEPT;
    }
    /* The text is ignored without an ACK: nothing in it is to be acknowledged (Linux:
     * tcp_rcv_state_process() drops it in CLOSE_WAIT, CLOSING and LAST_ACK, and
     * tcp_time_wait() consumes the segment that moves CLOSING to TIME_WAIT). */
    if (!accepts_text(tcb)) {
        return VERDICT(TCP_ACT_DROP, TCP_DROP_DATA_AFTER_FIN);
    }
    if ((tcb->orphan || tcb->rd_shutdown) &&
        (tcb->state == TCP_FIN_WAIT_1 || tcb->state == TCP_FIN_WAIT_2)) {
        /* Linux: tcp_rcv_state_process() resets a connection whose application has closed
         * when new data still arrives (TCPAbortOnData); nobody will ever read it. An
         * orphan in FIN_WAIT_2 is a timewait mini-socket there, and
         * tcp_timewait_state_process() resets it (TCP_TW_RST) without counting. */
        if (!(tcb->orphan && tcb->state == TCP_FIN_WAIT_2)) {
            tcp_mib_inc(tcb->stack, TCP_MIB_ABORT_ON_DATA);
        }
        tcp_set_state(tcb, TCP_CLOSED, TCP_CAUSE_DATA_AFTER_CLOSE);
        return VERDICT(TCP_ACT_DROP_RST, TCP_DROP_DATA_CLOSED_USER);
    }
    if (s->seq != tcb->rcv_nxt) {
        /* Out of order: hold it, and ACK at once so the sender sees the hole (RFC 5681
         * §4.2: "an immediate duplicate ACK"). */
        tcp_ack_now(tcb);
        if (!tcp_reass_insert(tcb, s)) {
            tcp_mib_inc(tcb->stack, TCP_MIB_OFO_DROP);
            return VERDICT(TCP_ACT_DROP_ACK, TCP_DROP_OUT_OF_ORDER_NO_QUEUE);
        }
        tcp_mib_inc(tcb->stack, TCP_MIB_OFO_QUEUE);
        s->flags &= (uint16_t)~TCP_FIN; /* its FIN waits in the queue too */
        return VERDICT_ACCEPT;
    }
    /* "Once the TCP endpoint takes responsibility for the data, it advances RCV.NXT
     * over the data accepted, and adjusts RCV.WND as appropriate to the current buffer
     * availability." */
    tcp_rcvbuf_make_room(tcb, s->len);
    uint32_t room = tcp_rcv_free(tcb);
    if (tcb->stack->sysctl.personality == TCP_PERSONALITY_LINUX && tcp_rcv_queued(tcb) == 0 &&
        room < s->len) {
        /* Linux: tcp_data_queue(): with nothing queued, sk_forced_mem_schedule() takes the
         * segment whatever it costs, and the ACK goes at once (ICSK_ACK_NOW). */
        room = s->len;
        tcp_ack_now(tcb);
    }
    uint32_t len = s->len < room ? s->len : room;
    bool had_holes = tcb->ooo != NULL && tcb->ooo->len > 0;
    deliver_in_order(tcb, s, len);
    if (len < s->len) {
        s->flags &= (uint16_t)~TCP_FIN;
        tcp_ack_now(tcb);
        tcp_trace_discard(tcb->stack, tcb, s, TCP_DROP_RCVBUF_FULL);
    }
    if (seg_has(s, TCP_FIN) && len == s->len &&
        (tcb->state == TCP_ESTABLISHED || tcb->state == TCP_SYN_RECEIVED)) {
        /* Linux: tcp_fin() enters ping-pong mode before the ACK is decided
         * (__tcp_ack_snd_check()), so a FIN that arrives with data is not quick-ACKed:
         * the ACK waits for the delayed-ACK timer (40 ms) or for our answer. */
        tcp_delack_enter_pingpong(tcb);
    }
    if (had_holes) {
        /* RFC 5681 §4.2: ACK at once a segment that fills (part of) a gap. */
        if (tcp_reass_drain(tcb)) {
            tcb->fin_from_queue = true;
        }
        tcp_ack_now(tcb);
    } else {
        tcp_delack_decide(tcb);
    }
    tcp_wakeup(tcb, TCP_WAKE_READ);
    return VERDICT_ACCEPT;
}

/* RFC 9293 §3.10.7.4, eighth step: check the FIN bit. */
struct tcp_verdict
tcp_rcv_fin(struct tcp_tcb *tcb, const struct tcp_seg *s)
{
    bool fin = (seg_has(s, TCP_FIN) && seq_add(s->seq, s->len) == tcb->rcv_nxt) ||
               tcb->fin_from_queue;
    tcb->fin_from_queue = false;
    if (!fin || tcb->fin_received) {
        return VERDICT_ACCEPT;
    }
    /* "signal the user 'connection closing' ... advance RCV.NXT over the FIN, and send
     * an acknowledgment for the FIN." */
    tcb->rcv_nxt = seq_add(tcb->rcv_nxt, 1);
    tcb->fin_received = true;
    tcp_wakeup(tcb, TCP_WAKE_READ);

    switch (tcb->state) {
    /* The peer closed first: the application will read EOF. Linux: tcp_fin() enters
     * ping-pong mode and delays this ACK, hoping our FIN will carry it. */
    case TCP_SYN_RECEIVED:
    case TCP_ESTABLISHED:
        tcp_delack_enter_pingpong(tcb);
        if (tcb->stack->sysctl.personality == TCP_PERSONALITY_LINUX) {
            tcp_delack_arm(tcb);
        } else {
            tcp_ack_now(tcb);
        }
        tcp_set_state(tcb, TCP_CLOSE_WAIT, TCP_CAUSE_RCV_FIN);
        break;
    /* Both sides closing: TIME-WAIT if our FIN is acked, else simultaneous close. */
    case TCP_FIN_WAIT_1:
        tcp_ack_now(tcb);
        tcp_set_state(tcb, tcp_fin_acked(tcb) ? TCP_TIME_WAIT : TCP_CLOSING, TCP_CAUSE_RCV_FIN);
        break;
    case TCP_FIN_WAIT_2:
        tcp_ack_now(tcb);
        tcp_set_state(tcb, TCP_TIME_WAIT, TCP_CAUSE_RCV_FIN); /* entry arms 2*MSL */
        break;
    case TCP_CLOSE_WAIT:
    case TCP_CLOSING:
    case TCP_LAST_ACK:
        break; /* "Remain in the ... state." */
    case TCP_CLOSED:
    case TCP_LISTEN:
    case TCP_SYN_SENT:
    case TCP_TIME_WAIT:
        g_assert_not_reached(); /* never dispatched here (TIME_WAIT: tcp_time_wait.c) */
    }
    return VERDICT_ACCEPT;
}
