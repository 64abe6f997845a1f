/* SPDX-License-Identifier: MIT */
/*
 * tcp_output.c: what is due now, and building the segments (RFC 9293 §3.7, §3.8.6).
 *
 * Entry points: tcp_output() decides; emit() builds and hands one segment to the host.
 * Every segment a connection sends passes through emit(), which is where the ACK, the
 * window, the options, the counters and the retransmission timer are kept consistent.
 *
 *   tcp_output()
 *     SYN_SENT, SYN_RECEIVED   -> send_syn()        the handshake segment, or its retransmission
 *     synchronized             -> send_data()       data within min(cwnd, SND.WND), then FIN
 *                              -> a pure ACK if one is due and nothing else carried it
 */
#include <errno.h>

#include "tcp.h"


static uint32_t
min_u32(uint32_t a, uint32_t b)
{
    return a < b ? a : b;
}

static tcp_seq
data_end_seq(const struct tcp_tcb *tcb)
{
    return seq_add(tcb->iss, (uint32_t)(1 + tcb->snd.end));
}

/* Stream offset of the data byte at `seq` (seq within the send window). */
static uint64_t
snd_offset(const struct tcp_tcb *tcb, tcp_seq seq)
{
    tcp_seq una_seq = seq_add(tcb->iss, (uint32_t)(1 + tcb->snd.una));
    return tcb->snd.una + seq_diff(seq, una_seq);
}

/* PSH (RFC 9293 §3.9.1 "PUSH"): the RFC personality marks the segment that empties the
 * send buffer; Linux the ends of writes and its forced pushes (tcp_snd_write_linux()). */
static bool
push_flag(const struct tcp_tcb *tcb, tcp_seq seq, uint32_t len)
{
    if (len == 0) {
        return false;
    }
    if (tcb->stack->sysctl.personality == TCP_PERSONALITY_LINUX) {
        return tcp_snd_push_at(tcb, snd_offset(tcb, seq) + len);
    }
    return seq_add(seq, len) == data_end_seq(tcb);
}

static void
emitted(struct tcp_tcb *tcb, const struct tcp_seg *seg, bool retransmission)
{
    struct tcp_stack *st = tcb->stack;
    tcp_mib_inc(st, TCP_MIB_OUT_SEGS);
    if (retransmission) {
        tcp_mib_inc(st, TCP_MIB_RETRANS_SEGS);
        if (seg->tx_cause == TCP_TX_RTO && seg->len > 0) {
            tcp_mib_inc(st, TCP_MIB_SLOW_START_RETRANS); /* Linux: in the Loss state */
        }
    }
    if (seg_has(seg, TCP_ACK)) {
        tcb->last_ack_sent = seg->ack;
        tcb->ack_now = false;
        tcb->unacked_segs = 0;
        tcp_timer_delack_stop(tcb);
    }
    if (seg->len > 0) {
        /* Linux: tcp_event_data_sent(): data with nothing in flight restarts the
         * algorithm's clock (CA_EVENT_TX_START). */
        if (tcb->snd_max == tcb->snd_una && tcb->cc_ops->on_tx_start != NULL) {
            tcb->cc_ops->on_tx_start(&tcb->cc, tcb->lsndtime, tcp_now(tcb));
        }
        tcb->lsndtime = tcp_now(tcb);
    }
    if (seg_seq_len(seg) > 0) {
        tcp_prr_sent(tcb, seg); /* RFC 6937 prr_out */
        if (retransmission) {
            tcp_undo_sent(tcb, seg); /* Linux undo_retrans, retrans_stamp */
        }
        if (!seg_has(seg, TCP_SYN)) {
            tcp_rack_sent(tcb, seg->seq, seg_seq_len(seg), retransmission);
        }
        /* RFC 6298 §5.1. */
        tcp_timer_rto_arm(tcb);
        if (!retransmission && !tcb->rtt_timing) {
            tcb->rtt_timing = true;
            tcb->rtt_seq = seq_add(seg->seq, seg_seq_len(seg));
            tcb->rtt_start = tcp_now(tcb);
        }
    }
    if (retransmission && tcb->rtt_timing && seq_lt(seg->seq, tcb->rtt_seq)) {
        tcb->rtt_timing = false; /* Karn's algorithm: never time a retransmission */
    }
}

/* Builds one segment of this connection and hands it to the host. `cause` annotates
 * the trace (and makes it a retransmission for the counters and Karn's rule). */
static void
emit(struct tcp_tcb *tcb, uint16_t flags, tcp_seq seq, uint32_t len, uint8_t cause)
{
    bool retransmission = tcp_tx_cause_resends(cause);
    struct tcp_seg seg = {0};
    seg.saddr = tcb->id.laddr;
    seg.daddr = tcb->id.raddr;
    seg.sport = tcb->id.lport;
    seg.dport = tcb->id.rport;
    seg.seq = seq;
    seg.flags = flags;
    if (flags & TCP_ACK) {
        seg.ack = tcb->rcv_nxt;
    }
    if (flags & TCP_SYN) {
        tcp_options_syn(tcb, &seg.opt, (flags & TCP_ACK) != 0);
        seg.win = (uint16_t)tcb->rcv_wnd;
    } else {
        tcp_options_data(tcb, &seg.opt);
        uint32_t win = tcp_rcv_window(tcb);
        tcp_delack_window_selected(tcb);
        if (win == 0 && tcb->rcv_wnd != 0) {
            tcp_mib_inc(tcb->stack, TCP_MIB_ZERO_WINDOW_ADV);
        }
        tcb->rcv_wnd = win;
        tcb->rcv_adv = seq_add(tcb->rcv_nxt, win);
        seg.win = (uint16_t)min_u32(win >> tcb->rcv_wscale, 65535);
    }
    if (len > 0) {
        seg.len = len;
        seg.data_off = snd_offset(tcb, seq); /* the bytes are read as it goes */
    }
    seg.stream = tcb->stream_id;
    seg.tx_cause = cause;
    if (cause == TCP_TX_RTO || cause == TCP_TX_PROBE || cause == TCP_TX_KEEPALIVE) {
        uint32_t n = cause == TCP_TX_RTO     ? tcb->retransmits
                     : cause == TCP_TX_PROBE ? tcb->persist_backoff
                                             : tcb->probes_out;
        seg.tx_count = (uint8_t)(n < 255 ? n : 255);
    }
    tcp_tso_emit(tcb, &seg);
    emitted(tcb, &seg, retransmission);
}

/* What a segment below SND.MAX is resending for: the event that rewound SND.NXT. */
static uint8_t
rexmit_cause(const struct tcp_tcb *tcb)
{
    return tcb->rexmit_cause ? tcb->rexmit_cause : TCP_TX_RTO;
}

/* The sequence number of a segment that carries no data, SYN or FIN: the next new byte
 * (SND.MAX), not SND.NXT, which a retransmission timeout rewinds to SND.UNA. A pure ACK
 * numbered below what the peer has already received is "not acceptable" there (RFC 9293
 * §3.10.7.4 first step) and its acknowledgment would be lost with it: two ends
 * retransmitting at once could then never learn of each other's ACKs. BSD fills in
 * snd_max for the same reason; Linux never rewinds snd_nxt.
 *
 * Linux: tcp_acceptable_seq(): never beyond the right edge of the peer's window. When
 * that window is zero and data we sent beyond the peer's RCV.NXT was lost, SND.MAX lies
 * past RCV.NXT + 0, and a receiver that applies the zero-window row of the acceptability
 * test strictly (Linux's tcp_sequence() does) discards the ACK with everything it
 * acknowledges: two writers that never read would then retransmit to each other until
 * their retries ran out. SND.UNA + SND.WND is exactly RCV.NXT there. */
static tcp_seq
ack_seq(const struct tcp_tcb *tcb)
{
    if (tcb->stack->sysctl.personality == TCP_PERSONALITY_LINUX && tcb->syn_acked) {
        tcp_seq wnd_end = seq_add(tcb->snd_una, tcb->snd_wnd);
        if (seq_lt(wnd_end, tcb->snd_max)) {
            return wnd_end;
        }
    }
    return tcb->snd_max;
}

/* The SYN (SYN-SENT) or SYN-ACK (SYN-RECEIVED), when it is due (RFC 9293 §3.10.1,
 * §3.10.7.2, §3.10.7.3). */
static void
send_syn(struct tcp_tcb *tcb)
{
    if (tcb->snd_nxt != tcb->iss) {
        if (tcb->ack_now && tcb->state == TCP_SYN_RECEIVED) {
            emit(tcb, TCP_ACK, ack_seq(tcb), 0, TCP_TX_NEW);
        }
        return;
    }
    uint16_t flags = tcb->state == TCP_SYN_RECEIVED ? TCP_SYN | TCP_ACK : TCP_SYN;
    /* A simultaneous open's first SYN-ACK repeats our SYN's number but is no resend:
     * Linux sends it with tcp_send_synack() and counts no retransmission. */
    bool again = tcb->snd_max != tcb->iss && (flags == TCP_SYN || tcb->synack_out);
    emit(tcb, flags, tcb->iss, 0, again ? rexmit_cause(tcb) : TCP_TX_NEW);
    tcb->synack_out = tcb->synack_out || flags != TCP_SYN;
    tcb->snd_nxt = seq_add(tcb->iss, 1);
    tcb->snd_max = seq_max(tcb->snd_max, tcb->snd_nxt);
}

/* The SYN-ACK of a SYN cookie (tcp_syncookie.c): built from a transient TCB that is in
 * no state and keeps nothing. */
void
tcp_output_cookie_syn_ack(struct tcp_tcb *tmp)
{
    emit(tmp, TCP_SYN | TCP_ACK, tmp->iss, 0, TCP_TX_SYNCOOKIE);
}

/* Nagle (RFC 896; RFC 9293 §3.7.4): hold a partial segment while data is in flight.
 * Linux applies Minshall's variant: only while a previous *small* segment is unacked. */
static bool
nagle_holds(const struct tcp_tcb *tcb, uint32_t in_flight)
{
    if (tcb->push_once) {
        return false;
    }
    if ((tcb->cork || tcb->more) && !tcb->fin_queued) {
        return true; /* Linux: tcp_nagle_check() with TCP_NAGLE_CORK; a FIN flushes */
    }
    if (tcb->nodelay || in_flight == 0) {
        return false;
    }
    if (tcb->stack->sysctl.personality == TCP_PERSONALITY_LINUX) {
        return seq_gt(tcb->snd_sml, tcb->snd_una) && seq_leq(tcb->snd_sml, tcb->snd_nxt);
    }
    return true;
}

/* How much of the pending data may go now (0 = nothing). Sender-side SWS avoidance, RFC
 * 9293 §3.8.6.2.1: a full segment, or all that is left when Nagle allows, or at least half
 * the largest window the peer offered. A retransmission goes whenever the window allows. */
static uint32_t
segment_len(const struct tcp_tcb *tcb, uint32_t avail, bool retransmission)
{
    /* RFC 3042 limited transmit: each of the first two duplicate ACKs lets one new
     * segment beyond cwnd go, so a small window still produces a third. */
    uint32_t extra = !tcb->in_recovery && tcb->dupacks > 0 && tcb->dupacks < 3
                         ? tcb->dupacks * (uint32_t)tcb->mss
                         : 0;
    uint32_t wnd = min_u32(tcb->snd_wnd, tcb->cc.cwnd + extra);
    uint32_t in_flight = seq_diff(tcb->snd_nxt, tcb->snd_una);
    uint32_t usable = wnd > in_flight ? wnd - in_flight : 0;
    uint32_t len = min_u32(min_u32(avail, usable), tcb->mss);
    if (!retransmission && tcb->stack->sysctl.personality == TCP_PERSONALITY_LINUX &&
        len < min_u32(avail, tcb->mss)) {
        /* Linux: tcp_snd_wnd_test() and tcp_cwnd_test(): the next segment goes whole or
         * not at all; a window too small for it waits for the ACKs that open it, or,
         * with nothing in flight, for the persist timer (tcp_write_wakeup()). */
        return 0;
    }
    if (len == 0 || len == tcb->mss || retransmission) {
        return len;
    }
    if (len == avail) {
        return nagle_holds(tcb, in_flight) ? 0 : len;
    }
    /* Window-limited partial segment. */
    if (len >= tcb->max_snd_wnd / 2 || in_flight == 0) {
        return len;
    }
    return 0;
}

/* Linux tcp_write_xmit(): the bytes of the packet the congestion window allows now,
 * cwnd_quota (tcp_cwnd_test(): the room in the window, at most half of it) within
 * tcp_tso_segs() (the stack's max_segs already holds both), for tcp_grow_skb(). */
static uint64_t
grow_quota(const struct tcp_tcb *tcb)
{
    uint32_t flight = seq_diff(tcb->snd_nxt, tcb->snd_una);
    uint32_t room = tcb->cc.cwnd > flight ? (tcb->cc.cwnd - flight) / tcb->mss : 0;
    uint32_t segs = min_u32(room, tcb->stack->tso.max_segs);
    return (uint64_t)segs * tcb->mss;
}

/* Data, then FIN, within the windows. Returns true if a segment went out. */
static bool
send_data(struct tcp_tcb *tcb)
{
    bool sent = false;
    uint32_t segs = 0;
    for (;;) {
        if (tcb->push_one && segs >= tcb->stack->tso.max_segs) {
            break; /* Linux: tcp_write_xmit() with push_one sends one skb */
        }
        tcp_seq end = data_end_seq(tcb);
        if (seq_gt(tcb->snd_nxt, end)) {
            break; /* our FIN is already out */
        }
        if (seq_lt(tcb->snd_nxt, tcb->snd_max) && tcb->sacked != NULL) {
            /* Going back after a timeout: the receiver holds the SACKed ranges (RFC 6675
             * §5.1: do not resend them). */
            tcb->snd_nxt = seq_min(tcp_sack_skip(tcb, tcb->snd_nxt), tcb->snd_max);
            end = data_end_seq(tcb);
        }
        uint32_t avail = seq_diff(end, tcb->snd_nxt);
        bool fin_left = tcb->fin_queued;
        if (avail == 0 && !fin_left) {
            break;
        }
        bool again = seq_lt(tcb->snd_nxt, tcb->snd_max);
        if (!again && avail > 0) {
            tcp_snd_grow_head(tcb, grow_quota(tcb));
        }
        uint32_t len = avail ? segment_len(tcb, avail, again) : 0;
        if (avail > 0 && len == 0) {
            break;
        }
        /* The FIN rides on the segment that carries the last byte (BSD and Linux send a
         * FIN without waiting for window space for its one sequence number). */
        bool fin = fin_left && len == avail;
        uint16_t flags = TCP_ACK;
        if (push_flag(tcb, tcb->snd_nxt, len)) {
            flags |= TCP_PSH;
        }
        if (fin) {
            flags |= TCP_FIN;
        }
        emit(tcb, flags, tcb->snd_nxt, len, again ? rexmit_cause(tcb) : TCP_TX_NEW);
        if (len < tcb->mss && len > 0) {
            tcb->snd_sml = seq_add(tcb->snd_nxt, len);
        }
        tcb->snd_nxt = seq_add(tcb->snd_nxt, len + (fin ? 1u : 0u));
        tcb->snd_max = seq_max(tcb->snd_max, tcb->snd_nxt);
        sent = true;
        segs++;
        if (fin) {
            break;
        }
    }
    return sent;
}

static bool
can_send_data(enum tcp_state s)
{
    switch (s) {
    case TCP_ESTABLISHED:
    case TCP_CLOSE_WAIT:
    case TCP_FIN_WAIT_1:
    case TCP_CLOSING:
    case TCP_LAST_ACK:
        return true; /* the last three only retransmit what is already queued */
    case TCP_CLOSED:
    case TCP_LISTEN:
    case TCP_SYN_SENT:
    case TCP_SYN_RECEIVED:
    case TCP_FIN_WAIT_2:
    case TCP_TIME_WAIT:
        return false;
    }
    g_assert_not_reached();
}

void
tcp_output(struct tcp_tcb *tcb)
{
    switch (tcb->state) {
    case TCP_CLOSED:
    case TCP_LISTEN:
        return;
    case TCP_SYN_SENT:
    case TCP_SYN_RECEIVED:
        send_syn(tcb);
        return;
    case TCP_ESTABLISHED:
    case TCP_FIN_WAIT_1:
    case TCP_FIN_WAIT_2:
    case TCP_CLOSE_WAIT:
    case TCP_CLOSING:
    case TCP_LAST_ACK:
    case TCP_TIME_WAIT:
        break;
    }
    bool sent = false;
    tcp_seq max_before = tcb->snd_max;
    if (can_send_data(tcb->state)) {
        tcp_tso_begin(tcb);
        sent = tcb->in_recovery && tcb->sack_recovery ? tcp_recovery_send(tcb) : send_data(tcb);
        tcp_tso_end(tcb);
        tcp_cwnd_validate(tcb, tcb->snd_max != max_before);
    }
    if (seq_gt(tcb->snd_max, max_before)) {
        tcp_tlp_schedule(tcb, false); /* RFC 8985 §7.2: new data went, probe from now */
    }
    if (!sent && tcb->ack_now) {
        emit(tcb, TCP_ACK, ack_seq(tcb), 0, TCP_TX_NEW);
    }
    tcp_persist_check(tcb);
    tcp_snd_check_space(tcb);
}

void
tcp_ack_now(struct tcp_tcb *tcb)
{
    tcb->ack_now = true;
}

/* RFC 5961 §5 (and §3.2, §4.2): answer a suspicious segment with an ACK that names what
 * we expect, at most one per interval, so the answers cannot be turned into a flood
 * (Linux: tcp_oow_rate_limited(), tcp_invalid_ratelimit, 500 ms). A skipped answer is
 * counted as Linux counts it. */
static bool
is_challenge(enum tcp_drop_reason why)
{
    return why == TCP_DROP_RST_CHALLENGE || why == TCP_DROP_SYN_CHALLENGE ||
           why == TCP_DROP_ACK_TOO_OLD || why == TCP_DROP_ACK_UNSENT;
}

bool
tcp_oow_ack_allowed(struct tcp_tcb *tcb, enum tcp_drop_reason why)
{
    if (tcb->last_oow_ack_valid &&
        tcp_now(tcb) - tcb->last_oow_ack < tcb->stack->sysctl.tcp_invalid_ratelimit) {
        enum tcp_mib skipped = is_challenge(why)           ? TCP_MIB_ACK_SKIPPED_CHALLENGE
                               : why == TCP_DROP_TIME_WAIT ? TCP_MIB_ACK_SKIPPED_TIME_WAIT
                                                           : TCP_MIB_ACK_SKIPPED_SEQ;
        tcp_mib_inc(tcb->stack, skipped);
        return false;
    }
    return true;
}

void
tcp_send_oow_ack(struct tcp_tcb *tcb, enum tcp_drop_reason why)
{
    sim_time now = tcp_now(tcb);
    tcb->last_oow_ack_valid = true;
    tcb->last_oow_ack = now;
    if (is_challenge(why)) {
        tcp_mib_inc(tcb->stack, TCP_MIB_CHALLENGE_ACK);
    }
    emit(tcb, TCP_ACK, ack_seq(tcb), 0, TCP_TX_NEW);
}

/* ABORT (RFC 9293 §3.10.5): <SEQ=SND.NXT><CTL=RST>. Linux: tcp_send_active_reset()
 * sets ACK too, with the current RCV.NXT; so does FreeBSD (tcp_drop() -> tcp_output(),
 * whose tcp_outflags[TCPS_CLOSED] is RST|ACK). */
void
tcp_output_rst(struct tcp_tcb *tcb)
{
    uint16_t flags = TCP_RST;
    if (tcb->stack->sysctl.personality != TCP_PERSONALITY_RFC) {
        flags |= TCP_ACK;
    }
    tcp_mib_inc(tcb->stack, TCP_MIB_OUT_RSTS);
    struct tcp_seg seg = {0};
    seg.saddr = tcb->id.laddr;
    seg.daddr = tcb->id.raddr;
    seg.sport = tcb->id.lport;
    seg.dport = tcb->id.rport;
    seg.seq = ack_seq(tcb);
    seg.flags = flags;
    seg.stream = tcb->stream_id;
    if (flags & TCP_ACK) {
        seg.ack = tcb->rcv_nxt;
    }
    if (tcb->ts_ok) {
        tcp_options_data(tcb, &seg.opt);
        seg.opt.nsack = 0;
        seg.opt.n = 3; /* nop, nop, TS: no SACK on a RST */
    }
    tcb->stack->ops->emit(tcb->stack->host, &seg);
    tcp_mib_inc(tcb->stack, TCP_MIB_OUT_SEGS);
}

/*
 * RFC 9293 §3.10.7.1: the reset that answers a segment nobody should have received:
 *   "If the ACK bit is off, sequence number zero is used, <SEQ=0><ACK=SEG.SEQ+SEG.LEN>
 *    <CTL=RST,ACK>. If the ACK bit is on, <SEQ=SEG.ACK><CTL=RST>"
 * where SEG.LEN counts SYN and FIN. A RST is never answered.
 */
void
tcp_output_rst_reply(struct tcp_stack *st, const struct tcp_seg *in)
{
    if (seg_has(in, TCP_RST)) {
        return;
    }
    struct tcp_seg seg = {0};
    seg.saddr = in->daddr;
    seg.daddr = in->saddr;
    seg.sport = in->dport;
    seg.dport = in->sport;
    if (seg_has(in, TCP_ACK)) {
        seg.seq = in->ack;
        seg.flags = TCP_RST;
    } else {
        seg.seq = 0;
        seg.ack = seq_add(in->seq, seg_seq_len(in));
        seg.flags = TCP_RST | TCP_ACK;
    }
    tcp_mib_inc(st, TCP_MIB_OUT_RSTS);
    tcp_mib_inc(st, TCP_MIB_OUT_SEGS);
    st->ops->emit(st->host, &seg);
}

/* One segment starting at `seq`: up to one MSS of the data there, with the FIN if it
 * reaches the end of what the application wrote. A segment at SND.MAX is new data and
 * must fit the peer's window; one below is a retransmission. Used by fast retransmit,
 * NewReno partial ACKs and SACK recovery, none of which rewinds SND.NXT. */
uint32_t
tcp_send_segment_at(struct tcp_tcb *tcb, tcp_seq seq, uint8_t cause)
{
    tcp_seq end = data_end_seq(tcb);
    uint32_t avail = seq_leq(seq, end) ? seq_diff(end, seq) : 0;
    uint32_t len = min_u32(avail, tcb->mss);
    bool fresh = seq == tcb->snd_max;
    if (seq_lt(seq, tcb->snd_max)) {
        /* A retransmission resends what was sent, never bytes written since (Linux
         * resends the skb as it went). Carried past SND.MAX, they would be received but
         * never counted as sent, and their ACK refused as one of unsent data: the
         * connection would stall until its retries ran out (random scenario 103047). */
        len = min_u32(len, seq_diff(tcb->snd_max, seq));
    }
    if (fresh) {
        uint32_t flight = seq_diff(tcb->snd_max, tcb->snd_una);
        uint32_t room = tcb->snd_wnd > flight ? tcb->snd_wnd - flight : 0;
        len = min_u32(len, room);
    }
    bool fin = tcb->fin_queued && len == avail && seq_leq(seq, end) &&
               (fresh || seq_gt(tcb->snd_max, end));
    if (len == 0 && !fin) {
        return 0;
    }
    uint16_t flags = TCP_ACK;
    if (push_flag(tcb, seq, len)) {
        flags |= TCP_PSH;
    }
    if (fin) {
        flags |= TCP_FIN;
    }
    emit(tcb, flags, seq, len, fresh && cause != TCP_TX_TLP_NEW ? TCP_TX_NEW : cause);
    uint32_t used = len + (fin ? 1u : 0u);
    if (fresh) {
        tcb->snd_max = seq_add(seq, used);
        tcb->snd_nxt = tcb->snd_max;
    }
    return used;
}

bool
tcp_new_data_fits(const struct tcp_tcb *tcb)
{
    tcp_seq end = data_end_seq(tcb);
    if (seq_gt(tcb->snd_max, end)) {
        return false; /* the FIN is out */
    }
    uint32_t avail = seq_diff(end, tcb->snd_max);
    if (avail == 0) {
        return tcb->fin_queued;
    }
    uint32_t flight = seq_diff(tcb->snd_max, tcb->snd_una);
    return tcb->snd_wnd > flight;
}

/* Fast retransmit and NewReno partial ACKs (RFC 5681 §3.2, RFC 6582 §3.2): resend the
 * first unacknowledged segment. Returns the sequence space it took. */
uint32_t
tcp_retransmit_head(struct tcp_tcb *tcb, uint8_t cause)
{
    return tcp_send_segment_at(tcb, tcb->snd_una, cause);
}

/* Linux: tcp_write_wakeup(): the persist timer found a window that is open but smaller
 * than the next segment: send what fits, pushed, and let the retransmission timer watch
 * it. Returns false when nothing fits (the window is closed). */
bool
tcp_output_window_fill(struct tcp_tcb *tcb)
{
    tcp_seq end = data_end_seq(tcb);
    tcp_seq wnd_end = seq_add(tcb->snd_una, tcb->snd_wnd);
    if (!seq_lt(tcb->snd_nxt, end) || !seq_lt(tcb->snd_nxt, wnd_end)) {
        return false;
    }
    uint32_t len = min_u32(min_u32(seq_diff(end, tcb->snd_nxt), seq_diff(wnd_end, tcb->snd_nxt)),
                           tcb->mss);
    uint64_t last = snd_offset(tcb, tcb->snd_nxt) + len;
    if (tcb->snd.pushed < last) {
        tcb->snd.pushed = last;
    }
    emit(tcb, TCP_ACK | TCP_PSH, tcb->snd_nxt, len, TCP_TX_PROBE);
    if (len < tcb->mss) {
        tcb->snd_sml = seq_add(tcb->snd_nxt, len);
    }
    tcb->snd_nxt = seq_add(tcb->snd_nxt, len);
    tcb->snd_max = seq_max(tcb->snd_max, tcb->snd_nxt);
    return true;
}

/* A zero-length probe one below SND.UNA, which the peer must answer with its window
 * (Linux: tcp_xmit_probe_skb(); the keep-alive form of RFC 1122 §4.2.3.6). */
void
tcp_output_probe(struct tcp_tcb *tcb, uint8_t cause)
{
    emit(tcb, TCP_ACK, tcb->snd_una - 1, 0, cause);
}

void
tcp_trace_cc(struct tcp_tcb *tcb, const char *why)
{
    struct tcp_stack *st = tcb->stack;
    if (!G_UNLIKELY(trace_wants(st->trace, TRACE_CC))) {
        return;
    }
    struct trace_event ev = {
        .kind = TRACE_CC,
        .at = tcp_now(tcb),
        .host = st->host_name,
        .sock = tcb->id,
        .reason = why,
        .a = tcb->cc.cwnd,
        .b = tcb->cc.ssthresh,
    };
    trace_emit(st->trace, &ev);
}
