/* SPDX-License-Identifier: MIT */
/*
 * tcp_dsack.c: D-SACK, the duplicate-SACK extension (RFC 2883), both ends of it.
 *
 * The receiver (knob tcp_dsack): a segment whose data it already holds is reported in
 * the first SACK block of the next ACK (RFC 2883 §4), once. Below RCV.NXT the block
 * names the part already acknowledged (§4.1.1); above it, the part already queued
 * out of order, followed by the block that contains it (§4.1.2, §4.1.3).
 *   tcp_dsack_set(), tcp_dsack_extend(), tcp_dsack_old_data() record the block;
 *   tcp_dsack_take() hands it to the option writer (tcp_options.c).
 *
 * The sender: tcp_dsack_check() recognises a D-SACK (§4: the first block lies below the
 * ACK, or inside the second block) and counts it against the retransmissions of the
 * current episode; when every retransmission has come back duplicated, none was needed
 * and the reduction can be undone (tcp_undo.c).
 */
#include "tcp.h"

/* Linux: tcp_dsack_set(). */
void
tcp_dsack_set(struct tcp_tcb *tcb, tcp_seq start, tcp_seq end)
{
    if (!tcb->sack_ok || !tcb->stack->sysctl.tcp_dsack || !seq_lt(start, end)) {
        return;
    }
    tcp_mib_inc(tcb->stack, seq_lt(start, tcb->rcv_nxt) ? TCP_MIB_DSACK_OLD_SENT
                                                         : TCP_MIB_DSACK_OFO_SENT);
    tcb->undo.dsack = (struct tcp_sack_block){start, end};
    tcb->undo.dsack_pending = true;
}

/* Linux: tcp_dsack_extend(): a second duplicate piece widens the block it touches. */
void
tcp_dsack_extend(struct tcp_tcb *tcb, tcp_seq start, tcp_seq end)
{
    struct tcp_sack_block *b = &tcb->undo.dsack;
    if (!tcb->undo.dsack_pending) {
        tcp_dsack_set(tcb, start, end);
        return;
    }
    if (seq_leq(start, b->end) && seq_leq(b->start, end)) {
        b->start = seq_min(b->start, start);
        b->end = seq_max(b->end, end);
    }
}

/* RFC 2883 §4.1.1: a segment (or its head) below RCV.NXT was received twice; the block
 * covers the duplicated part. A FIN counts as data here, as Linux counts it
 * (tcp_send_dupack(), tcp_data_queue()). */
void
tcp_dsack_old_data(struct tcp_tcb *tcb, const struct tcp_seg *seg)
{
    uint32_t len = seg->len + (seg_has(seg, TCP_FIN) ? 1u : 0u);
    if (len == 0 || !seq_lt(seg->seq, tcb->rcv_nxt)) {
        return;
    }
    tcp_seq end = seq_min(seq_add(seg->seq, len), tcb->rcv_nxt);
    tcp_dsack_set(tcb, seg->seq, end);
}

/* The pending D-SACK block, for the segment being built; it goes out once (Linux:
 * tcp_options_write() clears rx_opt.dsack). */
bool
tcp_dsack_take(struct tcp_tcb *tcb, struct tcp_sack_block *out)
{
    if (!tcb->undo.dsack_pending) {
        return false;
    }
    tcb->undo.dsack_pending = false;
    *out = tcb->undo.dsack;
    return true;
}

/*
 * The sender's side. RFC 2883 §4: the first block is a D-SACK if it lies below the
 * cumulative ACK, or within the second block. Returns the segments it reports
 * duplicated (0: no D-SACK, or a dubious one wider than any window we were offered).
 * Linux: tcp_check_dsack() and tcp_dsack_seen(), which also count a D-SACK for a
 * retransmission of this episode against undo_retrans: below the ACK's SND.UNA any
 * D-SACK above the episode's start ("dumb counting"), above it one for data this
 * episode retransmitted (Linux checks each segment's TCPCB_RETRANS mark; tcpsim knows
 * the retransmitted range, up to HighRxt in recovery or rexmit_high after a timeout).
 */
static bool
retransmitted(const struct tcp_tcb *tcb, tcp_seq end)
{
    return (tcb->in_recovery && tcb->high_rxt_valid && seq_leq(end, tcb->high_rxt)) ||
           (tcb->undo.in_loss && seq_leq(end, tcb->undo.rexmit_high));
}

uint32_t
tcp_dsack_check(struct tcp_tcb *tcb, const struct tcp_seg *seg, tcp_seq prior_una)
{
    if (!tcb->sack_ok || !tcp_opts_has(&seg->opt, TCPOPT_SACK) || seg->opt.nsack == 0) {
        return 0;
    }
    struct tcp_sack_block b0 = seg->opt.sack[0];
    enum tcp_mib mib;
    if (seq_lt(b0.start, seg->ack)) {
        mib = TCP_MIB_DSACK_RECV;
    } else if (seg->opt.nsack > 1 && seq_geq(b0.start, seg->opt.sack[1].start) &&
               seq_leq(b0.end, seg->opt.sack[1].end)) {
        mib = TCP_MIB_DSACK_OFO_RECV;
    } else {
        return 0;
    }
    if (!seq_lt(b0.start, b0.end) || seq_diff(b0.end, b0.start) > tcb->max_snd_wnd) {
        return 0; /* Linux: TCPDSACKIgnoredDubious */
    }
    tcp_mib_inc(tcb->stack, mib);
    uint32_t len = seq_diff(b0.end, b0.start);
    uint32_t segs = len > tcb->mss ? (len + tcb->mss - 1) / tcb->mss : 1;
    struct tcp_undo *u = &tcb->undo;
    if (u->valid && u->retrans > 0 && seq_gt(b0.end, u->marker) &&
        (seq_leq(b0.end, prior_una) || retransmitted(tcb, b0.end))) {
        u->retrans = u->retrans > (int32_t)segs ? u->retrans - (int32_t)segs : 0;
    }
    return segs;
}
