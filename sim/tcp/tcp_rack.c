/* SPDX-License-Identifier: MIT */
/*
 * tcp_rack.c: RACK loss detection (RFC 8985 §6), Linux's default since 4.18
 * (tcp_recovery bit 1).
 *
 * Entry points: tcp_rack_sent() (every data or FIN segment, from emit()),
 * tcp_rack_on_ack() (every acceptable ACK, from the fifth step), tcp_rack_reo_fired()
 * (the reordering timer), tcp_rack_on_rto().
 *
 * RACK works in time, not in duplicate ACKs: a segment is lost when a segment sent
 * after it has been delivered (acknowledged or SACKed) and a reordering window has
 * passed since (RFC 8985 §6.2). For that it keeps, per outstanding segment, when it was
 * last sent: the "transmission record" below, Linux's retransmit queue with its
 * skb_mstamp and sacked bits. The record also serves the loss probes (tcp_tlp.c).
 *
 * With RACK on, the SACK recovery of tcp_recovery.c keeps its shape, but what is lost,
 * the pipe and the next segment to resend come from here instead of RFC 6675's IsLost()
 * (tcp_sack.c), as Linux's RACK "subsumes and disables RFC6675 recovery".
 */
#include "tcp.h"

#define REO_TIMEOUT_MIN US(2000) /* Linux: TCP_TIMEOUT_MIN_US added to the reordering wait */

static struct tcp_txrec *
rec_at(GArray *q, guint i)
{
    return &g_array_index(q, struct tcp_txrec, i);
}

/* The counts of SACKed, lost and retransmitted records follow every change of flags. */
static void
count(struct tcp_rack *rk, uint8_t flags, int sign)
{
    rk->nsacked += (uint32_t)(sign * ((flags & TCP_TXREC_SACKED) != 0));
    rk->nlost += (uint32_t)(sign * ((flags & TCP_TXREC_LOST) != 0));
    rk->nretrans += (uint32_t)(sign * ((flags & TCP_TXREC_RETRANS) != 0));
    rk->nresent += (uint32_t)(sign * ((flags & TCP_TXREC_EVER_RETRANS) != 0));
}

static void
retag(struct tcp_rack *rk, struct tcp_txrec *r, unsigned flags)
{
    count(rk, r->flags, -1);
    r->flags = (uint8_t)flags;
    count(rk, r->flags, +1);
}

bool
tcp_rack_on(const struct tcp_tcb *tcb)
{
    return (tcb->stack->sysctl.tcp_recovery & 1) && tcb->sack_ok;
}

/* Transmissions are recorded when RACK or the loss probes need them. */
static bool
tracking(const struct tcp_tcb *tcb)
{
    return tcp_rack_on(tcb) || tcp_tlp_on(tcb);
}

static struct tcp_rack *
rack_get(struct tcp_tcb *tcb)
{
    if (tcb->rack == NULL) {
        tcb->rack = pool_alloc0(&tcb->stack->rack_pool);
        tcb->rack->q = g_array_new(FALSE, FALSE, sizeof(struct tcp_txrec));
        tcb->rack->fack = tcb->snd_una;
        tcb->rack->reordering = (uint32_t)tcb->stack->sysctl.tcp_reordering; /* Linux:
                                                                     tcp_init_sock() */
        tcp_mem_charge(tcb, (int64_t)sizeof(struct tcp_rack));
    }
    return tcb->rack;
}

void
tcp_rack_free(struct tcp_tcb *tcb)
{
    if (tcb->rack != NULL) {
        g_array_free(tcb->rack->q, TRUE);
        pool_free(&tcb->stack->rack_pool, tcb->rack);
        tcb->rack = NULL;
        tcp_mem_charge(tcb, -(int64_t)sizeof(struct tcp_rack));
    }
}

/* Splits the record holding `seq` in two at `seq`; returns the index of the record that
 * starts at or after `seq`. */
static guint
split_at(struct tcp_rack *rk, tcp_seq seq)
{
    GArray *q = rk->q;
    /* The records are contiguous and in sequence order: find by bisection the first
     * that ends above `seq`. */
    guint lo = rk->head, hi = q->len;
    while (lo < hi) {
        guint mid = lo + (hi - lo) / 2;
        if (seq_leq(rec_at(q, mid)->end, seq)) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    if (lo == q->len) {
        return q->len;
    }
    struct tcp_txrec *r = rec_at(q, lo);
    if (seq_leq(seq, r->start)) {
        return lo;
    }
    struct tcp_txrec tail = *r;
    tail.start = seq;
    r->end = seq;
    g_array_insert_val(q, lo + 1, tail);
    count(rk, tail.flags, +1);
    return lo + 1;
}

void
tcp_rack_sent(struct tcp_tcb *tcb, tcp_seq seq, uint32_t len, bool retransmission)
{
    if (len == 0 || !tracking(tcb)) {
        return;
    }
    struct tcp_rack *rk = rack_get(tcb);
    GArray *q = rk->q;
    tcp_seq end = seq_add(seq, len);
    sim_time now = tcp_now(tcb);
    tcp_seq recorded = tcp_rack_outstanding(tcb) ? rec_at(q, q->len - 1)->end : seq;
    if (seq_lt(seq, recorded)) {
        /* Again (or partly again): the covered records take the new time. */
        guint i = split_at(rk, seq);
        guint j = split_at(rk, seq_min(end, recorded));
        unsigned again = retransmission ? TCP_TXREC_RETRANS | TCP_TXREC_EVER_RETRANS : 0;
        for (; i < j; i++) {
            rec_at(q, i)->xmit = now;
            retag(rk, rec_at(q, i), rec_at(q, i)->flags | again);
        }
    }
    if (seq_gt(end, recorded)) {
        struct tcp_txrec r = {seq_max(seq, recorded), end, now, 0};
        if (retransmission) {
            r.flags = TCP_TXREC_RETRANS | TCP_TXREC_EVER_RETRANS;
        }
        g_array_append_val(q, r);
        count(rk, r.flags, +1);
    }
}

uint32_t
tcp_rack_outstanding(const struct tcp_tcb *tcb)
{
    return tcb->rack != NULL ? tcb->rack->q->len - tcb->rack->head : 0;
}

sim_time
tcp_rack_head_xmit(const struct tcp_tcb *tcb)
{
    if (tcp_rack_outstanding(tcb) == 0) {
        return -1;
    }
    return rec_at(tcb->rack->q, tcb->rack->head)->xmit;
}

/* Linux: tcp_clean_rtx_queue()'s ca_rtt_us, the RTT sample congestion control sees on
 * every ACK (bictcp_acked() and its HyStart): from the latest send of the segments this
 * ACK covers that were neither retransmitted nor SACKed before. 0 when there is none. */
sim_time
tcp_rack_acked_rtt(const struct tcp_tcb *tcb, tcp_seq ack, sim_time now)
{
    const struct tcp_rack *rk = tcb->rack;
    if (rk == NULL) {
        return 0;
    }
    sim_time last = -1;
    for (guint i = rk->head; i < rk->q->len; i++) {
        const struct tcp_txrec *r = rec_at(rk->q, i);
        if (seq_gt(r->end, ack)) {
            break;
        }
        if (!(r->flags & (TCP_TXREC_EVER_RETRANS | TCP_TXREC_SACKED))) {
            last = r->xmit;
        }
    }
    return last >= 0 && now > last ? now - last : 0;
}

uint32_t
tcp_rack_count(const struct tcp_tcb *tcb, uint8_t flag)
{
    const struct tcp_rack *rk = tcb->rack;
    if (rk == NULL) {
        return 0;
    }
#if TCPSIM_INVARIANTS
    uint32_t n[4] = {0};
    for (guint i = rk->head; i < rk->q->len; i++) {
        const struct tcp_txrec *r = rec_at(rk->q, i);
        n[0] += (r->flags & TCP_TXREC_SACKED) != 0;
        n[1] += (r->flags & TCP_TXREC_LOST) != 0;
        n[2] += (r->flags & TCP_TXREC_RETRANS) != 0;
        n[3] += (r->flags & TCP_TXREC_EVER_RETRANS) != 0;
    }
    g_assert(n[0] == rk->nsacked && n[1] == rk->nlost && n[2] == rk->nretrans &&
             n[3] == rk->nresent);
#endif
    switch (flag) {
    case TCP_TXREC_SACKED:
        return rk->nsacked;
    case TCP_TXREC_LOST:
        return rk->nlost;
    case TCP_TXREC_RETRANS:
        return rk->nretrans;
    default:
        g_assert_not_reached();
    }
}

bool
tcp_rack_disorder(const struct tcp_tcb *tcb)
{
    const struct tcp_rack *rk = tcb->rack;
    return rk != NULL && rk->nsacked + rk->nlost + rk->nretrans > 0;
}

/* Linux: tcp_skb_sent_after(): t1 later than t2, the sequence breaking a tie (segments
 * of one burst leave at the same instant here). RFC 8985 §6.2 RACK_sent_after(). */
static bool
sent_after(sim_time t1, tcp_seq end1, sim_time t2, tcp_seq end2)
{
    return t1 > t2 || (t1 == t2 && seq_gt(end1, end2));
}

/*
 * RFC 8985 §6.2 step 2, RACK_update(): a delivered segment moves RACK.xmit_ts forward if
 * it was sent later than the one that last did. A retransmitted segment delivered
 * sooner than min_rtt after its resend must be the original's delivery: it says nothing
 * of when its retransmission left (Linux: tcp_rack_advance()).
 */
static void
advance(struct tcp_tcb *tcb, const struct tcp_txrec *r, sim_time now)
{
    struct tcp_rack *rk = tcb->rack;
    sim_time rtt = now - r->xmit;
    if ((r->flags & TCP_TXREC_EVER_RETRANS) && rtt < tcb->cc.min_rtt) {
        return;
    }
    rk->advanced = true;
    rk->rtt = rtt;
    if (!rk->have_xmit || sent_after(r->xmit, r->end, rk->xmit, rk->end_seq)) {
        rk->xmit = r->xmit;
        rk->end_seq = r->end;
        rk->have_xmit = true;
    }
}

/* A segment never retransmitted delivered below the highest one SACKed before it: the
 * network reordered it. Remembers the lowest such start in `low`. */
static void
note_reordering(const struct tcp_txrec *r, tcp_seq prior_fack, tcp_seq *low, bool *seen)
{
    if (!(r->flags & TCP_TXREC_EVER_RETRANS) && seq_lt(r->start, prior_fack) &&
        (!*seen || seq_lt(r->start, *low))) {
        *low = r->start;
        *seen = true;
    }
}

/* Linux: tcp_check_sack_reordering(): counts the event (tcpi_reord_seen) and raises the
 * reordering degree (tcpi_reordering) to the distance, in segments rounded up, from the
 * lowest reordered sequence to the forward-most SACKed one (the end of the highest
 * SACKed segment as it was before this ACK: tcp_highest_sack_seq(), `prior_fack`), up
 * to tcp_max_reordering. It never falls again within the connection. */
static void
reordering_seen(struct tcp_tcb *tcb, tcp_seq prior_fack, tcp_seq low)
{
    struct tcp_rack *rk = tcb->rack;
    uint32_t mss = tcb->mss ? tcb->mss : 1;
    uint32_t metric = seq_diff(prior_fack, low);
    if (metric > rk->reordering * mss) {
        uint64_t segs = (metric + mss - 1) / mss;
        uint64_t max = (uint64_t)tcb->stack->sysctl.tcp_max_reordering;
        rk->reordering = (uint32_t)(segs < max ? segs : max);
    }
    rk->reord_seen++;
    tcp_mib_inc(tcb->stack, TCP_MIB_SACK_REORDER); /* "This exciting event is worth to be
                                                      remembered" */
}

/* DupThresh (RFC 5681 §3.2, RFC 6675 §2): 3 in the RFC personalities. Linux counts
 * duplicate ACKs and SACKed segments against the connection's reordering degree
 * instead (tcp_time_to_recover(), tcp_mark_head_lost()), which starts at tcp_reordering
 * and rises with the reordering SACKs show; it matters when RACK is off (tcp_recovery 0). */
uint32_t
tcp_dupthresh(const struct tcp_tcb *tcb)
{
    if (tcb->stack->sysctl.personality != TCP_PERSONALITY_LINUX) {
        return 3;
    }
    return tcb->rack != NULL ? tcb->rack->reordering : (uint32_t)tcb->stack->sysctl.tcp_reordering;
}

/* Whether the whole record lies in one SACKed range. Records are visited in sequence
 * order, so the scoreboard (merged, sorted) is walked once beside them: *at is the first
 * range that ends above the records seen so far. Returns -1 when no range is left: no
 * later record can be SACKed either. */
static int
fully_sacked(const struct tcp_tcb *tcb, const struct tcp_txrec *r, guint *at)
{
    const GArray *sb = tcb->sacked;
    while (sb != NULL && *at < sb->len &&
           seq_leq(g_array_index(sb, struct tcp_sack_block, *at).end, r->start)) {
        (*at)++;
    }
    if (sb == NULL || *at >= sb->len) {
        return -1;
    }
    const struct tcp_sack_block *b = &g_array_index(sb, struct tcp_sack_block, *at);
    return seq_leq(b->start, r->start) && seq_geq(b->end, r->end);
}

/* Deliveries: records below SND.UNA leave, records the scoreboard now covers are SACKed. */
static void
deliveries(struct tcp_tcb *tcb, sim_time now, bool sack_news)
{
    struct tcp_rack *rk = tcb->rack;
    GArray *q = rk->q;
    tcp_seq prior_fack = rk->fack;
    tcp_seq low = 0;
    bool reordered = false;
    guint gone = rk->head;
    guint at = 0; /* the scoreboard range fully_sacked() stands at */
    for (guint i = rk->head; i < q->len; i++) {
        struct tcp_txrec *r = rec_at(q, i);
        if (seq_leq(r->end, tcb->snd_una)) {
            if (!(r->flags & TCP_TXREC_SACKED)) {
                note_reordering(r, prior_fack, &low, &reordered);
                advance(tcb, r, now);
            }
            count(rk, r->flags, -1);
            gone = i + 1;
            continue;
        }
        if (seq_lt(r->start, tcb->snd_una)) {
            r->start = tcb->snd_una; /* partly acknowledged: no delivery yet */
        }
        if (!sack_news) {
            break; /* the scoreboard did not grow: nothing newly SACKed */
        }
        if (r->flags & TCP_TXREC_SACKED) {
            continue;
        }
        int sacked = fully_sacked(tcb, r, &at);
        if (sacked < 0) {
            break; /* above the highest SACKed byte */
        }
        if (sacked) {
            note_reordering(r, prior_fack, &low, &reordered);
            advance(tcb, r, now);
            retag(rk, r, (r->flags | TCP_TXREC_SACKED) & ~(TCP_TXREC_LOST | TCP_TXREC_RETRANS));
            if (seq_gt(r->end, rk->fack)) {
                rk->fack = r->end;
            }
        }
    }
    /* Acknowledged records leave from the front; the array is compacted only now and
     * then, so that an ACK does not move the whole window. */
    rk->head = gone;
    if (rk->head == q->len) {
        g_array_set_size(q, 0);
        rk->head = 0;
    } else if (rk->head >= 64 && rk->head * 2 >= q->len) {
        g_array_remove_range(q, 0, rk->head);
        rk->head = 0;
    }
    if (seq_gt(tcb->snd_una, rk->fack)) {
        rk->fack = tcb->snd_una;
    }
    if (reordered) {
        reordering_seen(tcb, prior_fack, low);
    }
}

/*
 * Linux: tcp_rack_reo_wnd(). RFC 8985 §6.2 step 4 says min_rtt/4; Linux adds: until
 * reordering has been seen, none at all during recovery or once DupThresh segments are
 * SACKed (DupThresh: tcp_reordering, raised by the reordering seen; RACK then acts as
 * fast retransmit would, tcp_recovery bit 4 turns this off).
 * The window never exceeds SRTT. Linux widens it on D-SACKs (reo_wnd_steps); tcpsim
 * keeps one step, as tcp_recovery bit 2 (static window) would.
 */
static sim_time
reo_wnd(const struct tcp_tcb *tcb)
{
    const struct tcp_rack *rk = tcb->rack;
    if (rk->reord_seen == 0) {
        if (tcb->in_recovery || rk->in_loss) {
            return 0;
        }
        if (tcp_rack_count(tcb, TCP_TXREC_SACKED) >= rk->reordering &&
            !(tcb->stack->sysctl.tcp_recovery & 4)) {
            return 0;
        }
    }
    sim_time w = tcb->cc.min_rtt / 4;
    return w < tcb->srtt ? w : tcb->srtt;
}

/*
 * RFC 8985 §6.2 step 5, RACK_detect_loss() (Linux: tcp_rack_detect_loss()): every
 * segment sent before RACK's segment whose time is up (RACK.rtt + reo_wnd after its
 * send) is lost; for the others, the longest wait. A lost retransmission is lost again.
 * Returns the segments newly marked.
 */
static uint32_t
detect_loss(struct tcp_tcb *tcb, sim_time *wait)
{
    struct tcp_rack *rk = tcb->rack;
    sim_time now = tcp_now(tcb);
    sim_time reo = reo_wnd(tcb);
    uint32_t marked = 0;
    *wait = 0;
    for (guint i = rk->head; rk->have_xmit && i < rk->q->len; i++) {
        struct tcp_txrec *r = rec_at(rk->q, i);
        if ((r->flags & TCP_TXREC_SACKED) ||
            (r->flags & (TCP_TXREC_LOST | TCP_TXREC_RETRANS)) == TCP_TXREC_LOST) {
            continue; /* delivered, or lost and not yet resent */
        }
        if (!sent_after(rk->xmit, rk->end_seq, r->xmit, r->end)) {
            if (rk->nresent == 0) {
                break; /* nothing resent: sequence order is send order (Linux's list) */
            }
            continue;
        }
        sim_time remaining = r->xmit + rk->rtt + reo - now;
        if (remaining <= 0) {
            if (r->flags & TCP_TXREC_RETRANS) {
                tcp_mib_inc(tcb->stack, TCP_MIB_LOST_RETRANSMIT);
            }
            retag(rk, r, (r->flags | TCP_TXREC_LOST) & ~TCP_TXREC_RETRANS);
            rk->lost_total++;
            marked++;
        } else if (remaining > *wait) {
            *wait = remaining;
        }
    }
    return marked;
}

void
tcp_rack_on_ack(struct tcp_tcb *tcb, const struct tcp_seg *seg, uint32_t acked,
                uint32_t newly_sacked)
{
    struct tcp_rack *rk = tcb->rack;
    if (rk == NULL) {
        return;
    }
    /* Only an ACK with SACK blocks can SACK a record (newly_sacked nets out what a
     * cumulative ACK took off the scoreboard). */
    bool sack_news = tcb->sack_ok && tcp_opts_has(&seg->opt, TCPOPT_SACK) && seg->opt.nsack > 0;
    deliveries(tcb, tcp_now(tcb), sack_news || newly_sacked > 0);
    if (rk->in_loss && seq_geq(tcb->snd_una, rk->loss_high)) {
        rk->in_loss = false;
    }
    tcp_tlp_on_ack(tcb, seg, acked, newly_sacked);
    if (!tcp_rack_on(tcb) || !rk->advanced || rk->in_loss) {
        return;
    }
    /* Linux: tcp_rack_mark_lost(). RFC 8985 §6.3: for segments not yet due, the
     * reordering timer fires when the first of them is (plus Linux's 2 ms, and never
     * later than the RTO). */
    rk->advanced = false;
    sim_time wait = 0;
    detect_loss(tcb, &wait);
    if (wait > 0) {
        sim_time t = wait + REO_TIMEOUT_MIN;
        rk->reo_wait = t < tcb->rto ? t : tcb->rto;
        tcp_timer_xmit_arm(tcb, TCP_XMIT_REO, rk->reo_wait);
    }
}

/* Linux: tcp_rack_reo_timeout(). */
void
tcp_rack_reo_fired(struct tcp_tcb *tcb)
{
    struct tcp_rack *rk = tcb->rack;
    tcp_timer_trace(tcb, TCP_TIMER_REO, 0, 0, rk != NULL ? rk->reo_wait : 0);
    sim_time wait = 0;
    if (rk != NULL && !rk->in_loss && detect_loss(tcb, &wait) > 0) {
        tcp_recovery_rack_timeout(tcb);
    }
    if (!ev_pending(&tcb->timer.rto)) {
        tcp_timer_rto_rearm(tcb);
    }
    tcp_output(tcb);
}

/* Linux: tcp_enter_loss() marks every segment not SACKed lost, and forgets the
 * retransmissions in flight. */
void
tcp_rack_on_rto(struct tcp_tcb *tcb)
{
    struct tcp_rack *rk = tcb->rack;
    if (rk == NULL) {
        return;
    }
    rk->in_loss = true;
    rk->loss_high = tcb->snd_max;
    rk->tlp_out = false;
    for (guint i = rk->head; i < rk->q->len; i++) {
        struct tcp_txrec *r = rec_at(rk->q, i);
        if (!(r->flags & (TCP_TXREC_SACKED | TCP_TXREC_LOST))) {
            rk->lost_total++;
        }
        if (!(r->flags & TCP_TXREC_SACKED)) {
            retag(rk, r, (r->flags | TCP_TXREC_LOST) & ~TCP_TXREC_RETRANS);
        }
    }
}

/* After an RTO everything is marked lost, and the timeout's own resending repairs it
 * (Linux: CA_Loss); that is no reason to start a fast recovery. */
bool
tcp_rack_lost_any(const struct tcp_tcb *tcb)
{
    tcp_seq s = 0;
    return tcb->rack != NULL && !tcb->rack->in_loss && tcb->rack->nlost > 0 &&
           tcp_rack_next_lost(tcb, &s);
}

bool
tcp_rack_next_lost(const struct tcp_tcb *tcb, tcp_seq *out)
{
    for (guint i = tcb->rack != NULL ? tcb->rack->head : 0;
         tcb->rack != NULL && i < tcb->rack->q->len; i++) {
        const struct tcp_txrec *r = rec_at(tcb->rack->q, i);
        if ((r->flags & (TCP_TXREC_SACKED | TCP_TXREC_LOST | TCP_TXREC_RETRANS)) ==
            TCP_TXREC_LOST) {
            *out = r->start;
            return true;
        }
    }
    return false;
}

/* Linux: tcp_packets_in_flight() = packets_out - (sacked_out + lost_out) + retrans_out,
 * in bytes: a segment counts unless SACKed or lost, and once more while a retransmission
 * of it is in flight. */
uint32_t
tcp_rack_pipe(const struct tcp_tcb *tcb)
{
    uint32_t pipe = 0;
    for (guint i = tcb->rack != NULL ? tcb->rack->head : 0;
         tcb->rack != NULL && i < tcb->rack->q->len; i++) {
        const struct tcp_txrec *r = rec_at(tcb->rack->q, i);
        uint32_t len = seq_diff(r->end, r->start);
        if (r->flags & TCP_TXREC_SACKED) {
            continue;
        }
        pipe += (r->flags & TCP_TXREC_LOST) ? 0 : len;
        pipe += (r->flags & TCP_TXREC_RETRANS) ? len : 0;
    }
    return pipe;
}
