/* SPDX-License-Identifier: MIT */
/*
 * tcp_tso.c: TCP segmentation offload, as the wire sees it.
 *
 * Entry points: tcp_tso_begin(), tcp_tso_emit(), tcp_tso_end().
 *
 * Linux hands its device one packet of several MSS for a burst of new data
 * (tcp_write_xmit(): at most tcp_tso_autosize() segments and the congestion window's
 * quota), and marks every such packet with PSH "to expedite GRO flush at the receiver"
 * (__tcp_transmit_skb(): tcp_skb_pcount(skb) > 1). The device (TSO), or the stack in
 * software where the device cannot (GSO: TCP always builds such packets), cuts it into
 * MSS segments, and only the last keeps the PSH (tcp_gso_segment()). A packet of one MSS
 * keeps only its own PSH: the end of a write, or a forced push (tcp_buf.c).
 *
 * tcpsim sends MSS segments, so it models that by grouping: within one output pass
 * (tcp_output()), consecutive first transmissions of contiguous data form a TSO packet
 * of up to `max_segs` segments, and the last segment of a packet of two or more gets PSH.
 * Whether a segment ends its packet is known only when the next one comes (or the pass
 * ends), so the stack holds back the latest segment of a packet until then: the segment
 * is built, counted and timed at once, and handed to the host, unchanged but for PSH, at
 * the same simulated instant and in the same order. Retransmissions go one MSS at a time,
 * as the packetdrill suite sees Linux resend them.
 */
#include "tcp.h"

enum { TSO_GSO_MAX_SIZE = 65536 }; /* Linux GSO_LEGACY_MAX_SIZE, a tun or veth device's */

static uint64_t
min_u64(uint64_t a, uint64_t b)
{
    return a < b ? a : b;
}

/*
 * The largest TSO packet of this pass, in segments.
 *
 * Linux: tcp_tso_autosize() over tcp_update_pacing_rate(): about a millisecond of data at
 * the pacing rate (rate >> sk_pacing_shift 10), more on short paths (64 KB >> (min_rtt
 * in us >> tcp_tso_rtt_log)), within 64 KB and no fewer than tcp_min_tso_segs. The rate
 * is cwnd / srtt times tcp_pacing_ss_ratio % in slow start (cwnd below half ssthresh),
 * tcp_pacing_ca_ratio % after; with no RTT sample it is unlimited.
 */
static uint32_t
max_segs(const struct tcp_tcb *tcb)
{
    const struct tcp_sysctl *s = &tcb->stack->sysctl;
    uint64_t mss = tcb->mss ? tcb->mss : 1;
    uint64_t bytes = TSO_GSO_MAX_SIZE;
    if (tcb->srtt > 0) {
        uint64_t cwnd = tcb->cc.cwnd / mss;
        uint64_t out = seq_diff(tcb->snd_max, tcb->snd_una) / mss;
        uint64_t pkts = cwnd > out ? cwnd : out;
        bool slow_start = tcb->cc.cwnd < tcb->cc.ssthresh / 2;
        uint64_t ratio = (uint64_t)(slow_start ? s->tcp_pacing_ss_ratio : s->tcp_pacing_ca_ratio);
        /* bytes per second = mss * pkts * ratio% / srtt; >> 10 keeps 1/1024 s of it */
        uint64_t per_sec = mss * pkts * ratio * 10000000ull / (uint64_t)tcb->srtt;
        bytes = per_sec >> 10;
        uint64_t r = (uint64_t)(tcb->cc.min_rtt / 1000) >> s->tcp_tso_rtt_log;
        if (tcb->cc.min_rtt > 0 && r < 32) {
            bytes += TSO_GSO_MAX_SIZE >> r;
        }
        bytes = min_u64(bytes, TSO_GSO_MAX_SIZE);
    }
    uint64_t segs = bytes / mss;
    if (segs < (uint64_t)s->tcp_min_tso_segs) {
        segs = (uint64_t)s->tcp_min_tso_segs;
    }
    /* Linux: tcp_cwnd_test(): no packet takes more than half the congestion window, "for
     * better scheduling, ensure we have at least 2 GSO packets in flight". */
    uint64_t half = tcb->cc.cwnd / mss / 2;
    segs = min_u64(segs, half > 1 ? half : 1);
    return (uint32_t)min_u64(segs, UINT16_MAX);
}

/* Linux sends whole skbs: a packet that ends inside one cut it there first
 * (tso_fragment(), tcp_fragment()), and the send buffer is charged for both halves. */
static void
cut(struct tcp_tcb *tcb, const struct tcp_seg *seg, bool at_start)
{
    if (seg->len == 0 || seg->data_off == TCP_DATA_OFF_NONE) {
        return;
    }
    if (at_start) {
        tcp_snd_skb_split(tcb, seg->data_off);
    }
    tcp_snd_skb_split(tcb, seg->data_off + seg->len);
}

static void
hand(struct tcp_tcb *tcb, struct tcp_seg *seg)
{
    if (seg->len > 0) {
        seg->data = tcp_snd_bytes(tcb, seg->data_off, seg->len);
    }
    tcb->stack->ops->emit(tcb->stack->host, seg);
}

/* The held segment goes; it ends its TSO packet when `last`. */
static void
release(struct tcp_tso *t, bool last)
{
    if (t->held == NULL) {
        return;
    }
    if (last && t->segs >= 2) {
        t->seg.flags |= TCP_PSH;
    }
    struct tcp_tcb *tcb = t->held;
    if (last) {
        cut(tcb, &t->seg, false);
    }
    t->held = NULL;
    hand(tcb, &t->seg);
}

/* Without TSO, the GSO packet of new data being sent ends: its skb is cut there. */
static void
gso_close(struct tcp_tso *t)
{
    if (t->gso != NULL) {
        tcp_snd_skb_split(t->gso, t->gso_end);
        t->gso = NULL;
    }
}

void
tcp_tso_begin(struct tcp_tcb *tcb)
{
    struct tcp_tso *t = &tcb->stack->tso;
    release(t, true);
    gso_close(t);
    t->pass = tcb->stack->sysctl.tso ? tcb : NULL;
    t->segs = 0;
    t->max_segs = max_segs(tcb);
}

void
tcp_tso_end(struct tcp_tcb *tcb)
{
    struct tcp_tso *t = &tcb->stack->tso;
    release(t, true);
    gso_close(t);
    if (t->pass == tcb) {
        t->pass = NULL;
    }
}

void
tcp_tso_emit(struct tcp_tcb *tcb, struct tcp_seg *seg)
{
    struct tcp_tso *t = &tcb->stack->tso;
    bool groups = t->pass == tcb && seg->len > 0 && seg->tx_cause == TCP_TX_NEW &&
                  !(seg->flags & (TCP_SYN | TCP_RST));
    if (!groups) {
        release(t, true);
        bool gso = t->pass == NULL && seg->len > 0 && seg->tx_cause == TCP_TX_NEW &&
                   seg->data_off != TCP_DATA_OFF_NONE && !(seg->flags & (TCP_SYN | TCP_RST));
        if (gso) {
            /* Linux builds GSO packets all the same (the stack segments them in
             * software): the send buffer's skbs are cut where those end. */
            bool joins = t->gso == tcb && t->gso_end == seg->data_off && t->gso_segs < t->max_segs;
            if (!joins) {
                gso_close(t);
                t->gso = tcb;
                t->gso_segs = 0;
            }
            t->gso_end = seg->data_off + seg->len;
            t->gso_segs++;
        } else {
            gso_close(t);
            cut(tcb, seg, true);
        }
        hand(tcb, seg);
        return;
    }
    bool joins = t->held == tcb && seq_add(t->seg.seq, t->seg.len) == seg->seq &&
                 t->segs < t->max_segs && !(t->seg.flags & TCP_FIN);
    release(t, !joins);
    t->segs = joins ? t->segs + 1 : 1;
    t->seg = *seg;
    t->seg.data = NULL; /* materialized when it goes (the scratch buffer is shared) */
    t->held = tcb;
}
