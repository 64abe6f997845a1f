/* SPDX-License-Identifier: MIT */
/*
 * tcp_undo.c: undoing a window reduction that turns out to have been spurious.
 *
 * A fast retransmit or a timeout halves the window on the evidence of missing ACKs; a
 * reordered or merely delayed segment gives the same evidence. Three later signs show
 * that the original transmission arrived after all, and then Linux restores the window
 * it had before (tcp_undo_cwnd_reduction()):
 *
 *   D-SACK     every retransmission of the episode came back reported as a duplicate
 *              (RFC 2883 §5, RFC 3708); tcp_dsack.c counts them off undo_retrans.
 *              Linux: tcp_try_undo_dsack(), and tcp_try_undo_recovery() at its end.
 *   timestamps the ACK echoes a timestamp older than the first retransmission, so the
 *              original was acknowledged (the Eifel detection, RFC 3522 §2).
 *              Linux: tcp_packet_delayed().
 *   F-RTO      after a timeout, the first ACK brings new data out instead of more
 *              retransmissions; if the next ACK then acknowledges data that was never
 *              retransmitted, the timeout was spurious (RFC 5682 §3, the SACK-enhanced
 *              version Linux runs). Knob tcp_frto. Linux: tcp_process_loss(),
 *              tcp_try_undo_loss().
 *
 * The episode's state lives in tcb->undo: marker (SND.UNA when it began), retrans (the
 * retransmissions not yet shown spurious), prior_cwnd and prior_ssthresh (what undo
 * restores), and after a timeout the Loss state (in_loss, high_seq). D-SACK and
 * timestamp undo are the Linux personality's; F-RTO follows its knob in both.
 *
 * Entry points: tcp_undo_init() (an episode begins), tcp_undo_sent() (a retransmission),
 * tcp_undo_recovery() (fast recovery reaches its end), tcp_undo_on_rto() (a timeout),
 * tcp_undo_on_ack() (every ACK, after recovery has seen it).
 */
#include "tcp.h"

static bool
linux_undo(const struct tcp_tcb *tcb)
{
    return tcb->stack->sysctl.personality == TCP_PERSONALITY_LINUX;
}

/* Linux: tcp_current_ssthresh(): in a reduction, ssthresh; else at least 3/4 cwnd. */
static uint32_t
current_ssthresh(const struct tcp_tcb *tcb)
{
    const struct tcp_cc_state *cc = &tcb->cc;
    if (tcb->in_recovery) {
        return cc->ssthresh;
    }
    uint32_t three_quarters = (cc->cwnd >> 1) + (cc->cwnd >> 2);
    return cc->ssthresh > three_quarters ? cc->ssthresh : three_quarters;
}

/* Linux: tcp_init_undo() with the prior_ssthresh and prior_cwnd its callers save. Called
 * before the window is reduced. */
void
tcp_undo_init(struct tcp_tcb *tcb)
{
    struct tcp_undo *u = &tcb->undo;
    u->prior_ssthresh = current_ssthresh(tcb);
    u->prior_cwnd = tcb->cc.cwnd;
    u->marker = tcb->snd_una;
    u->retrans = -1;
    u->retrans_ts = 0;
    u->valid = true;
}

/* A retransmission left (Linux: tcp_retransmit_skb() counts undo_retrans and stamps
 * retrans_stamp on the first one). */
void
tcp_undo_sent(struct tcp_tcb *tcb, const struct tcp_seg *seg)
{
    struct tcp_undo *u = &tcb->undo;
    uint32_t len = seg_seq_len(seg);
    if (len == 0 || !tcb->syn_acked || tcb->mss == 0) {
        return; /* a SYN or SYN-ACK resent: no window to undo */
    }
    int32_t n = (int32_t)((len + tcb->mss - 1) / tcb->mss);
    u->retrans = (u->retrans < 0 ? 0 : u->retrans) + n;
    if (u->retrans_ts == 0 && tcp_opts_has(&seg->opt, TCPOPT_TS)) {
        u->retrans_ts = seg->opt.ts_val;
    }
    if (u->in_loss && seq_gt(seq_add(seg->seq, len), u->rexmit_high)) {
        u->rexmit_high = seq_add(seg->seq, len);
    }
}

/* Linux: tcp_packet_delayed(): the ACK echoes a timestamp sent before the first
 * retransmission, so an original transmission got through (RFC 3522 §2). */
static bool
packet_delayed(const struct tcp_tcb *tcb)
{
    const struct tcp_undo *u = &tcb->undo;
    return u->retrans_ts != 0 && u->rcv_tsecr != 0 && (int32_t)(u->rcv_tsecr - u->retrans_ts) < 0;
}

/* Linux: tcp_may_undo(): no retransmission left unproven, or the timestamps show it. */
static bool
may_undo(const struct tcp_tcb *tcb)
{
    const struct tcp_undo *u = &tcb->undo;
    return u->valid && linux_undo(tcb) && (u->retrans == 0 || packet_delayed(tcb));
}

/* Linux: tcp_undo_cwnd_reduction(): back to the window before the episode (the
 * algorithms' undo_cwnd is max(cwnd, the window at the loss)), and ssthresh too. */
static void
undo_reduction(struct tcp_tcb *tcb, const char *why)
{
    struct tcp_undo *u = &tcb->undo;
    if (u->prior_ssthresh != 0) {
        if (u->prior_cwnd > tcb->cc.cwnd) {
            tcb->cc.cwnd = u->prior_cwnd;
        }
        if (u->prior_ssthresh > tcb->cc.ssthresh) {
            tcb->cc.ssthresh = u->prior_ssthresh;
        }
    }
    u->valid = false;
    tcb->in_recovery = false;
    tcb->high_rxt_valid = false;
    tcb->cc.bytes_acked = 0;
    tcp_trace_cc(tcb, why);
}

/* Fast recovery (or the Loss state) reached its end: undo if nothing was needed.
 * Returns true when undone: then the window is not deflated to ssthresh. Linux:
 * tcp_try_undo_recovery() and tcp_end_cwnd_reduction(). */
bool
tcp_undo_recovery(struct tcp_tcb *tcb)
{
    if (!may_undo(tcb)) {
        return false;
    }
    bool loss = tcb->undo.in_loss;
    tcp_mib_inc(tcb->stack, loss ? TCP_MIB_LOSS_UNDO : TCP_MIB_FULL_UNDO);
    undo_reduction(tcb, tcb->undo.retrans == 0 ? "undo: D-SACK" : "undo: timestamps");
    tcb->undo.in_loss = false;
    return true;
}

/*
 * A retransmission timeout: the Loss state begins (Linux: tcp_enter_loss()). A first
 * timeout outside recovery starts an undo episode; a timeout during fast recovery keeps
 * the recovery's. RFC 5682 §3.1 step 1: F-RTO judges this timeout unless a recovery was
 * under way (a repeated timeout of the same segment is judged again, §3.2).
 */
void
tcp_undo_on_rto(struct tcp_tcb *tcb)
{
    struct tcp_undo *u = &tcb->undo;
    if (!tcb->syn_acked) {
        return;
    }
    bool new_recovery = !tcb->in_recovery && !u->in_loss;
    if (tcb->retransmits == 0 && !tcb->in_recovery) {
        tcp_undo_init(tcb);
    }
    u->frto = tcb->stack->sysctl.tcp_frto != 0 && (new_recovery || tcb->retransmits > 0);
    u->in_loss = true;
    u->high_seq = tcb->snd_max;
    u->rexmit_high = tcb->snd_una;
    /* RFC 6582 §3.2 step 4 (Linux: the Loss state until high_seq): duplicate ACKs for
     * the window the timeout already resends start no fast retransmit. */
    tcb->recover = tcb->snd_max;
    tcb->recover_valid = true;
}

/* Linux: tcp_try_undo_loss(): the timeout was spurious; stop resending what arrived. */
static bool
try_undo_loss(struct tcp_tcb *tcb, bool frto_undo)
{
    if (!frto_undo && !may_undo(tcb)) {
        return false;
    }
    bool dsack = tcb->undo.retrans == 0;
    tcb->undo.valid = true; /* F-RTO proves it without D-SACK or timestamps */
    undo_reduction(tcb, frto_undo ? "undo: F-RTO" : dsack ? "undo: D-SACK" : "undo: timestamps");
    tcp_mib_inc(tcb->stack, TCP_MIB_LOSS_UNDO);
    if (frto_undo) {
        tcp_mib_inc(tcb->stack, TCP_MIB_SPURIOUS_RTOS);
    }
    tcb->undo.in_loss = false;
    tcb->undo.frto = false;
    tcb->retransmits = 0;
    tcb->snd_nxt = tcb->snd_max; /* what was marked lost is not resent */
    return true;
}

/* F-RTO step 3.b's evidence (Linux FLAG_ORIG_SACK_ACKED): this ACK acknowledged or
 * SACKed data sent before the timeout and never retransmitted. Everything below
 * rexmit_high was resent (tcpsim goes back to SND.UNA), nothing above it. */
static bool
original_acked(const struct tcp_tcb *tcb, bool una_advanced, uint32_t newly_sacked)
{
    const struct tcp_undo *u = &tcb->undo;
    if (!seq_lt(u->rexmit_high, u->high_seq)) {
        return false;
    }
    if (una_advanced && seq_gt(tcb->snd_una, u->rexmit_high)) {
        return true;
    }
    for (guint i = 0; newly_sacked > 0 && tcb->sacked != NULL && i < tcb->sacked->len; i++) {
        const struct tcp_sack_block *b = &g_array_index(tcb->sacked, struct tcp_sack_block, i);
        if (seq_gt(b->end, u->rexmit_high) && seq_lt(b->start, u->high_seq)) {
            return true;
        }
    }
    return false;
}

/* RFC 5682 §3.1 step 2.b: the first ACK after the timeout advanced SND.UNA; send new
 * data (two segments, as slow start allows after the one retransmission) rather than
 * resend more. Only what was retransmitted and not yet acknowledged counts in flight,
 * as in Linux, whose timeout marked the rest lost. Returns false if nothing could go. */
static bool
frto_send_new(struct tcp_tcb *tcb)
{
    struct tcp_undo *u = &tcb->undo;
    uint32_t in_flight = seq_gt(u->rexmit_high, tcb->snd_una) ? seq_diff(u->rexmit_high, tcb->snd_una)
                                                               : 0;
    bool sent = false;
    while (tcp_new_data_fits(tcb) && in_flight + tcb->mss <= tcb->cc.cwnd) {
        uint32_t len = tcp_send_segment_at(tcb, tcb->snd_max, TCP_TX_NEW);
        if (len == 0) {
            break;
        }
        in_flight += len;
        sent = true;
    }
    tcb->snd_nxt = tcb->snd_max; /* no going back while F-RTO waits for the next ACK */
    return sent;
}

/* Linux: tcp_process_loss(), an ACK in the Loss state. */
static void
process_loss(struct tcp_tcb *tcb, bool una_advanced, uint32_t newly_sacked, bool dupack)
{
    struct tcp_undo *u = &tcb->undo;
    bool recovered = seq_geq(tcb->snd_una, u->high_seq);
    if (una_advanced && try_undo_loss(tcb, false)) {
        return;
    }
    if (u->frto) {
        /* Step 3.b: never-retransmitted data acknowledged: the timeout was spurious. */
        if (original_acked(tcb, una_advanced, newly_sacked) && try_undo_loss(tcb, true)) {
            return;
        }
        if (seq_gt(tcb->snd_max, u->high_seq)) {
            /* Step 3.a: new data went out and the ACK is a duplicate: the loss was real.
             * Back to resending from SND.UNA. */
            if (newly_sacked > 0 || dupack) {
                u->frto = false;
                tcb->snd_nxt = tcb->snd_una;
                tcp_trace_cc(tcb, "F-RTO: loss confirmed");
            }
        } else if (una_advanced && !recovered) {
            u->high_seq = tcb->snd_max;
            if (tcp_new_data_fits(tcb)) {
                tcp_trace_cc(tcb, "F-RTO: new data");
            }
            if (frto_send_new(tcb)) {
                return; /* step 2.b */
            }
            u->frto = false;
            tcb->snd_nxt = tcb->snd_una;
        }
    }
    if (recovered) {
        /* Steps 2.a and 3.a: everything outstanding at the timeout is acknowledged. */
        if (!tcp_undo_recovery(tcb)) {
            u->in_loss = false;
        }
    }
}

void
tcp_undo_on_ack(struct tcp_tcb *tcb, const struct tcp_seg *seg, tcp_seq prior_una,
                uint32_t dsacked, uint32_t newly_sacked, bool dupack)
{
    (void)seg;
    struct tcp_undo *u = &tcb->undo;
    bool una_advanced = seq_gt(tcb->snd_una, prior_una);
    if (u->in_loss) {
        process_loss(tcb, una_advanced, newly_sacked, dupack);
        return;
    }
    /* Linux: tcp_try_undo_dsack(), in recovery and after it: the last retransmission of
     * the episode was reported duplicated. */
    if (dsacked > 0 && u->valid && u->retrans == 0 && linux_undo(tcb)) {
        tcp_mib_inc(tcb->stack, TCP_MIB_DSACK_UNDO);
        undo_reduction(tcb, "undo: D-SACK");
    }
}
