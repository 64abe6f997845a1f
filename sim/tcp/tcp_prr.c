/* SPDX-License-Identifier: MIT */
/*
 * tcp_prr.c: Proportional Rate Reduction (RFC 6937), how much the Linux personality
 * sends on each ACK of a SACK recovery. The RFC personality keeps RFC 6675 §5 (C): send
 * while cwnd - pipe >= 1 SMSS, with cwnd cut to ssthresh at once.
 *
 * PRR spreads the reduction over the recovery instead: while more is in flight than
 * ssthresh, it sends ssthresh/RecoverFS of what the ACKs report delivered (the
 * proportional part, RFC 6937 §3); once the flight has fallen to ssthresh, it sends no
 * faster than data is delivered, plus one segment on an ACK that advances SND.UNA and
 * marks nothing newly lost (the slow-start reduction bound, PRR-SSRB, which Linux uses
 * only then: PRR-CRB otherwise). The window it computes, pipe + sndcnt, is what
 * tcp_recovery_send() fills.
 *
 * Linux: tcp_init_cwnd_reduction(), tcp_cwnd_reduction(); it counts segments, and so do
 * prr_delivered and prr_out here.
 *
 * Entry points: tcp_prr_start() (recovery begins), tcp_prr_on_ack() (each ACK, after
 * the scoreboard and the recovery state are updated), tcp_prr_sent() (each segment).
 */
#include "tcp.h"

static uint32_t
segs(const struct tcp_tcb *tcb, uint32_t bytes)
{
    return (bytes + tcb->mss - 1) / tcb->mss;
}

bool
tcp_prr_enabled(const struct tcp_tcb *tcb)
{
    return tcb->stack->sysctl.personality == TCP_PERSONALITY_LINUX && tcb->sack_recovery;
}

/* RFC 6937 §3 "at the beginning of recovery": RecoverFS, prr_delivered, prr_out.
 * Linux: tcp_init_cwnd_reduction(), called before ssthresh is lowered; prior_cwnd is
 * the window then (Linux uses it as RecoverFS). */
void
tcp_prr_start(struct tcp_tcb *tcb)
{
    tcb->undo.prior_cwnd = tcb->cc.cwnd;
    tcb->undo.prr_delivered = 0;
    tcb->undo.prr_out = 0;
}

/*
 * RFC 6937 §3 "on every ACK during recovery", as Linux's tcp_cwnd_reduction():
 *
 *   prr_delivered += DeliveredData
 *   if pipe > ssthresh:  sndcnt = CEIL(prr_delivered * ssthresh / RecoverFS) - prr_out
 *   else:                sndcnt = MIN(ssthresh - pipe,
 *                                     MAX(prr_delivered - prr_out, DeliveredData) [+ 1])
 *   the first ACK sends at least one segment (the fast retransmit);
 *   cwnd = pipe + sndcnt
 *
 * `delivered` is the bytes this ACK newly acknowledged or SACKed. The "+ 1" is PRR-SSRB
 * (RFC 6937 §3.1), taken on an ACK that advances SND.UNA without new SACK information.
 */
void
tcp_prr_on_ack(struct tcp_tcb *tcb, uint32_t delivered, bool una_advanced, uint32_t newly_sacked)
{
    if (!tcb->in_recovery || !tcp_prr_enabled(tcb)) {
        return;
    }
    struct tcp_undo *u = &tcb->undo;
    bool first = u->prr_out == 0;
    if (delivered == 0 && !first) {
        return; /* Linux: nothing delivered, the window stays */
    }
    uint32_t d = segs(tcb, delivered);
    u->prr_delivered += d;
    uint32_t pipe_bytes = tcp_sack_pipe(tcb);
    int64_t pipe = segs(tcb, pipe_bytes);
    int64_t ssthresh = tcb->cc.ssthresh / tcb->mss;
    int64_t recover_fs = u->prior_cwnd / tcb->mss > 0 ? u->prior_cwnd / tcb->mss : 1;
    int64_t delta = ssthresh - pipe;
    int64_t sndcnt;
    if (delta < 0) {
        /* The proportional part: ssthresh/RecoverFS of what was delivered, rounded up. */
        sndcnt = (ssthresh * u->prr_delivered + recover_fs - 1) / recover_fs - u->prr_out;
    } else {
        /* Conservative reduction bound: no faster than delivery; SSRB adds one. */
        int64_t owed = (int64_t)u->prr_delivered - u->prr_out;
        sndcnt = owed > d ? owed : d;
        if (una_advanced && newly_sacked == 0) {
            sndcnt++;
        }
        sndcnt = sndcnt < delta ? sndcnt : delta;
    }
    int64_t least = first ? 1 : 0; /* force the fast retransmit */
    sndcnt = sndcnt > least ? sndcnt : least;
    uint32_t before = tcb->cc.cwnd;
    uint64_t cwnd = (uint64_t)pipe_bytes + (uint64_t)sndcnt * tcb->mss;
    tcb->cc.cwnd = cwnd < tcb->mss ? tcb->mss : cwnd > UINT32_MAX ? UINT32_MAX : (uint32_t)cwnd;
    if (first) {
        tcp_trace_cc(tcb, "fast retransmit (PRR)");
        /* RFC 5681 §3.2 step 2: the first unacknowledged segment goes at once. */
        uint32_t len = tcp_retransmit_head(tcb, tcp_rack_on(tcb) ? TCP_TX_RACK : TCP_TX_FAST);
        tcb->high_rxt = seq_max(tcb->high_rxt, seq_add(tcb->snd_una, len));
    } else if (tcb->cc.cwnd != before) {
        tcp_trace_cc(tcb, "PRR");
    }
}

/* RFC 6937 §3 "on any data transmission or retransmission": prr_out += data sent. */
void
tcp_prr_sent(struct tcp_tcb *tcb, const struct tcp_seg *seg)
{
    if (!tcb->in_recovery || !tcp_prr_enabled(tcb)) {
        return;
    }
    uint32_t len = seg_seq_len(seg);
    if (len > 0) {
        tcb->undo.prr_out += segs(tcb, len);
    }
}
