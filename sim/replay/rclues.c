/* SPDX-License-Identifier: MIT */
/*
 * rclues.c: what a capture shows of the application behind its endpoint, looked up
 * ahead of the script being written: where a write ends and when it can return, whether
 * a FIN was a half-close, the window that tells whether data was read, keepalive
 * settings from the probes, TCP_NODELAY from short segments, how much data was sent,
 * a connection lost without a segment (a host crash or reboot).
 *
 * Entry points: the rclue_*() functions of rinfer.h.
 */
#include <stdio.h>
#include <string.h>

#include "rinfer.h"

/* A later copy of the segment that ends at `end` (a retransmission): 1 with PSH, 0
 * without, -1 when there is none. */
static int
resent_psh(const struct infer *in, guint m, uint32_t end)
{
    for (guint n = m + 1; n < in->k->idx->len; n++) {
        const struct capseg *r = seg_at(in, n);
        if (outbound(in, r) && r->s.len > 0 && rel_local(in, r->s.seq) + r->s.len == end) {
            return (r->s.flags & DF_PSH) ? 1 : 0;
        }
    }
    return -1;
}

/* Had the application written the data from `start` on before it left? It may have
 * when that data's first segment (at *at_j) left at the instant a segment arrived that
 * acknowledged new data (within RCONN_REPLY_NS): the sender was held by its congestion
 * window or the peer's window, and an ACK, which the application never sees, let the
 * data go; *ack_j is that ACK's position. (An application that answers the peer's data
 * writes at that instant too: the search decides, rrun.c.) -1 when not (or there is no
 * such data). */
int
rclue_waiting_data(const struct infer *in, uint32_t start, guint *at_j, guint *ack_j)
{
    const struct capseg *ack = NULL;
    uint32_t top = 0;
    bool have_top = false;
    for (guint n = 0; n < in->k->idx->len; n++) {
        const struct capseg *r = seg_at(in, n);
        if (!outbound(in, r)) {
            ack = NULL;
            if (r->s.flags & DF_ACK) {
                uint32_t a = rel_local(in, r->s.ack);
                bool fresh = !have_top || (int32_t)(a - top) > 0;
                if (fresh) {
                    top = a;
                    have_top = true;
                }
                if (fresh && !(r->s.flags & (DF_SYN | DF_FIN | DF_RST))) {
                    ack = r;
                    *ack_j = n;
                }
            }
            continue;
        }
        if (r->s.len == 0 || rel_local(in, r->s.seq) != start) {
            continue;
        }
        *at_j = n;
        return ack != NULL && r->at - ack->at >= 0 && r->at - ack->at <= RCONN_REPLY_NS ? 1 : -1;
    }
    return -1;
}

/* The shift of the peer's windows: its SYN's window scale when both SYNs had one
 * (RFC 7323 §2.2), else 0. */
unsigned
rclue_peer_shift(const struct infer *in)
{
    unsigned ws = 0;
    int both = 0;
    for (guint n = 0; n < in->k->idx->len && both < 2; n++) {
        const struct capseg *r = seg_at(in, n);
        if (!(r->s.flags & DF_SYN)) {
            continue;
        }
        const char *w = r->s.opts ? strstr(r->s.opts, "wscale ") : NULL;
        if (w == NULL) {
            return 0;
        }
        if (!outbound(in, r)) {
            sscanf(w, "wscale %u", &ws);
        }
        both++;
    }
    return both == 2 ? (ws > 14 ? 14 : ws) : 0;
}

/* Does the endpoint send data from `end` on, after segment m? */
static bool
more_after(const struct infer *in, guint m, uint32_t end)
{
    for (guint n = m + 1; n < in->k->idx->len; n++) {
        const struct capseg *r = seg_at(in, n);
        if (outbound(in, r) && r->s.len > 0 && rel_local(in, r->s.seq) == end) {
            return true;
        }
    }
    return false;
}

/* Did the endpoint's segment at m leave on a timer of its own, rather than as the
 * peer's last segment arrived (more than RCONN_REPLY_NS after it)? A window-filling PSH
 * sent so is a persist probe's (Linux: tcp_write_wakeup() pushes the window-sized piece
 * it cuts from a longer queue), not the end of a write. */
static bool
timer_sent(const struct infer *in, guint m)
{
    for (guint n = m; n-- > 0;) {
        const struct capseg *p = seg_at(in, n);
        if (!outbound(in, p)) {
            return seg_at(in, m)->at - p->at > RCONN_REPLY_NS;
        }
    }
    return false;
}

/* A full segment's payload: the MSS the peer's SYN announced (536 without one, RFC
 * 9293 §3.7.1), less the timestamp option's 12 bytes when `r` carries one. */
uint32_t
rclue_full_size(const struct infer *in, const struct capseg *r)
{
    unsigned mss = 536;
    for (guint n = 0; n < in->k->idx->len; n++) {
        const struct capseg *p = seg_at(in, n);
        const char *o = p->s.opts ? strstr(p->s.opts, "mss ") : NULL;
        if (!outbound(in, p) && (p->s.flags & DF_SYN) && o != NULL) {
            sscanf(o, "mss %u", &mss);
            break;
        }
    }
    return mss - (r->s.has_ts ? 12 : 0);
}

/* Is the full segment m followed, at the same instant, by the endpoint's next new data?
 * Then its PSH may end a TSO packet as well as a write: a Linux write that ended there
 * with more queued behind it would have lost its mark to the next write's
 * (tcp_sendmsg_locked() takes PSH off a tail it appends to, and its tail is a TSO-sized
 * buffer, not one MSS). Which one is left to the search (rrun.c), true when turned. */
static bool
mid_burst(const struct infer *in, guint m, uint32_t end, const struct capseg *r)
{
    if (r->s.len < rclue_full_size(in, r)) {
        return false;
    }
    for (guint n = m + 1; n < in->k->idx->len; n++) {
        const struct capseg *x = seg_at(in, n);
        if (x->at != r->at) {
            return false;
        }
        if (outbound(in, x) && x->s.len > 0 && rel_local(in, x->s.seq) == end) {
            /* A candidate: the first guess keeps it a write's end (tcpsim's own writes
             * of whole segments keep their marks); the search turns it. */
            return rinfer_open_decision(in, in->out->pshs, m);
        }
    }
    return false;
}

/* Does segment m end exactly where the peer's window, as its latest ACK before m
 * offered it, ends, and is it shorter than a full segment? Then it is what a window
 * probe or a sender's fill of a small window sends (Linux: tcp_write_wakeup() marks
 * it PSH), not the end of a write: the data after it was waiting for the window. */
static bool
fills_window(const struct infer *in, guint m, unsigned shift)
{
    const struct capseg *r = seg_at(in, m);
    for (guint n = m; n-- > 0;) {
        const struct capseg *p = seg_at(in, n);
        if (outbound(in, p) || !(p->s.flags & DF_ACK)) {
            continue;
        }
        uint64_t edge = (uint64_t)rel_local(in, p->s.ack) + ((uint64_t)p->s.win << shift);
        uint32_t end = rel_local(in, r->s.seq) + r->s.len;
        return p->s.win > 0 && r->s.len < rclue_full_size(in, r) && (uint32_t)edge == end;
    }
    return false;
}

/* The end (relative) and send time of the write that starts with segment j's new data:
 * up to the first later outbound segment, in sequence order, with PSH or FIN.
 *
 * A PSH may also end a TSO packet rather than a write: Linux marks every TSO packet of
 * two segments or more (__tcp_transmit_skb()), and a device that cuts it leaves the PSH
 * on its last segment. The first transmission cannot tell them apart; a retransmission
 * of that segment can (it goes alone, and keeps PSH only where a write ended), so a PSH
 * whose segment is later resent without one is not taken for the end of a write. Where
 * nothing was resent, every PSH ends a write: the inferred writes may be more and
 * smaller than the application's (docs/replay.md). */
uint32_t
rclue_write_end(const struct infer *in, guint j, int64_t *last_at)
{
    uint32_t end = 0;
    unsigned shift = rclue_peer_shift(in);
    bool probe = false;
    for (guint m = j; m < in->k->idx->len; m++) {
        const struct capseg *r = seg_at(in, m);
        if (!outbound(in, r) || r->s.len == 0) {
            continue;
        }
        uint32_t s = rel_local(in, r->s.seq);
        uint32_t e = s + r->s.len;
        if ((int32_t)(e - end) <= 0 && end != 0) {
            continue; /* a retransmission */
        }
        if (end != 0 && s != end) {
            continue; /* out of order: a later retransmission's neighbour */
        }
        end = e;
        *last_at = r->at;
        probe = (r->s.flags & DF_PSH) && fills_window(in, m, shift) && timer_sent(in, m);
        if ((r->s.flags & DF_FIN) || ((r->s.flags & DF_PSH) && resent_psh(in, m, end) != 0 &&
                                       !(fills_window(in, m, shift) &&
                                         (more_after(in, m, end) || probe)) &&
                                       !mid_burst(in, m, end, r) && !rclue_forced_push(in, m, end))) {
            return end;
        }
    }
    /* No PSH that marks a write's end (rather than a probe's or a TSO packet's) ends the
     * last data, and no FIN follows: every stack marks the end of what it was given
     * (Linux where a write ends, an RFC TCP where its buffer empties), so the
     * application wrote more than ever left (a window that stayed closed, a capture that
     * stops). After a persist probe, the queue held at least a segment more: the probe
     * is a piece cut from it. */
    uint32_t tail = rclue_unsent_tail(in, end);
    if (tail != end && probe) {
        tail = end + rclue_full_size(in, seg_at(in, j));
    }
    return tail;
}

/* A write that ends with the last data the endpoint ever sent, with no FIN after it,
 * but that the stack held back (a window too small for it): the application wrote more
 * than ever left, and one byte more stands for it. */
uint32_t
rclue_unsent_tail(const struct infer *in, uint32_t end)
{
    bool fin = false;
    for (guint m = 0; m < in->k->idx->len && !fin; m++) {
        const struct capseg *r = seg_at(in, m);
        fin = outbound(in, r) && (r->s.flags & DF_FIN);
    }
    if (end != 0 && !fin && end == rclue_data_sent(in) + 1) {
        return end + 1;
    }
    return end;
}

/* When a write of the bytes up to `end` returns: once they all fit in the send buffer
 * the 4 MiB SO_SNDBUF gives (Linux caps it at twice net.core.wmem_max, 425984 bytes of
 * data in flight and queued): at the first ACK from the peer that leaves at most that
 * much outstanding. 0 when that holds when the write starts. */
#define RINFER_SNDBUF 425984u
int64_t
rclue_write_returns(const struct infer *in, guint j, uint32_t end)
{
    uint32_t una = 1;
    for (guint m = 0; m < in->k->idx->len; m++) {
        const struct capseg *r = seg_at(in, m);
        if (!outbound(in, r) && (r->s.flags & DF_ACK)) {
            uint32_t a = rel_local(in, r->s.ack);
            una = (int32_t)(a - una) > 0 ? a : una;
        }
        if (m >= j && end - una <= RINFER_SNDBUF) {
            return m == j || m < j ? 0 : r->at;
        }
    }
    return 0;
}


/* Does the peer send data after capture position j that the endpoint acknowledges
 * (rather than resets)? Then the endpoint's FIN at j was a shutdown(SHUT_WR). */
bool
rclue_half_close_after(const struct infer *in, guint j)
{
    bool data = false;
    for (guint m = j + 1; m < in->k->idx->len; m++) {
        const struct capseg *r = seg_at(in, m);
        if (!outbound(in, r) && r->s.len > 0) {
            data = true;
        }
        if (outbound(in, r) && (r->s.flags & DF_RST)) {
            return false;
        }
        if (outbound(in, r) && data && (r->s.flags & DF_ACK)) {
            return true;
        }
    }
    return false;
}


/* The window of the endpoint's next segment after position j (that is no SYN), or -1. */
int64_t
rclue_next_window(const struct infer *in, guint j)
{
    for (guint m = j + 1; m < in->k->idx->len; m++) {
        const struct capseg *r = seg_at(in, m);
        if (outbound(in, r) && !(r->s.flags & DF_SYN) && (r->s.flags & DF_ACK)) {
            return r->s.win;
        }
    }
    return -1;
}


/* Keepalive probes: a pure ACK one below what the peer acknowledged, nothing
 * outstanding, the peer's window open. Sets the idle time and interval in seconds. */
bool
rclue_keepalive(const struct infer *in, int *idle, int *intvl, int *cnt, const struct capseg **first)
{
    uint32_t peer_ack = 0, snd_nxt = 0, peer_win = 1;
    int64_t last_activity = 0;
    int64_t probe_at[2] = {0, 0};
    int probes = 0;
    int unanswered = 0;
    bool answered = false;
    *cnt = 0;
    for (guint m = 0; m < in->k->idx->len; m++) {
        const struct capseg *r = seg_at(in, m);
        const struct dseg *s = &r->s;
        if (outbound(in, r) && (s->flags & DF_RST) && probes > 0) {
            *cnt = unanswered; /* the connection died of unanswered probes */
        }
        if (outbound(in, r)) {
            uint32_t seq = rel_local(in, s->seq);
            uint32_t end = seq + s->len + ((s->flags & (DF_SYN | DF_FIN)) ? 1 : 0);
            bool probe = (s->flags & DF_ACK) && !(s->flags & (DF_SYN | DF_FIN | DF_RST)) &&
                         s->len <= 1 && peer_ack != 0 && seq == peer_ack - 1 &&
                         snd_nxt == peer_ack && peer_win > 0;
            if (probe) {
                if (probes == 0) {
                    *first = r;
                    probe_at[0] = r->at - last_activity;
                } else if (probes == 1 && !answered) {
                    probe_at[1] = r->at - probe_at[0] - last_activity;
                }
                probes++;
                unanswered++;
                continue;
            }
            if ((int32_t)(end - snd_nxt) > 0) {
                snd_nxt = end;
            }
        } else {
            if (s->flags & DF_ACK) {
                peer_ack = rel_local(in, s->ack);
                peer_win = s->win;
            }
            if (probes > 0) {
                answered = true;
                unanswered = 0;
            }
            if (probes == 0) {
                last_activity = r->at;
            }
        }
        if (probes == 0 && outbound(in, r)) {
            last_activity = r->at;
        }
    }
    if (probes == 0) {
        return false;
    }
    *idle = (int)((probe_at[0] + 500000000) / 1000000000);
    *idle = *idle < 1 ? 1 : *idle;
    *intvl = probe_at[1] > 0 ? (int)((probe_at[1] + 500000000) / 1000000000) : *idle;
    *intvl = *intvl < 1 ? 1 : *intvl;
    return true;
}


/* TCP_NODELAY: a segment shorter than the MSS sent while an earlier short one is
 * still unacknowledged, which Nagle's algorithm (with Minshall's change, as Linux
 * runs it: tcp_minshall_check()) would have held back. */
const struct capseg *
rclue_nodelay(const struct infer *in)
{
    unsigned mss = 0;
    uint32_t peer_ack = 0, short_end = 0, sent = 1;
    for (guint m = 0; m < in->k->idx->len; m++) {
        const struct capseg *r = seg_at(in, m);
        const struct dseg *s = &r->s;
        if (!outbound(in, r)) {
            const char *o = s->opts ? strstr(s->opts, "mss ") : NULL;
            if (o != NULL && (s->flags & DF_SYN)) {
                sscanf(o, "mss %u", &mss);
            }
            if (s->flags & DF_ACK) {
                peer_ack = rel_local(in, s->ack);
            }
            continue;
        }
        uint32_t seq = rel_local(in, s->seq);
        if (s->len == 0 || (int32_t)(seq + s->len - sent) <= 0) {
            continue; /* no new data */
        }
        sent = seq + s->len;
        unsigned full = mss ? mss - (s->has_ts ? 12 : 0) : 1448;
        if (s->len >= full) {
            continue;
        }
        if (short_end != 0 && (int32_t)(short_end - peer_ack) > 0) {
            return r;
        }
        short_end = seq + s->len;
    }
    return NULL;
}

/* Bytes of data the endpoint sent. */
uint32_t
rclue_data_sent(const struct infer *in)
{
    uint32_t top = 1;
    for (guint m = 0; m < in->k->idx->len; m++) {
        const struct capseg *r = seg_at(in, m);
        if (outbound(in, r) && r->s.len > 0) {
            uint32_t e = rel_local(in, r->s.seq) + r->s.len;
            top = (int32_t)(e - top) > 0 ? e : top;
        }
    }
    return top - 1;
}


/* The longest a live TCP leaves a segment that occupies sequence space unanswered: the
 * delayed ACK's limit (RFC 9293 §3.8.6.3: under 0.5 s; Linux: 200 ms, TCP_DELACK_MAX). */
#define RCLUE_DELACK_MAX_NS 500000000LL

/* Does the endpoint's RST at position m answer the inbound segment p as a port with no
 * socket does (RFC 9293 §3.10.7.1): <SEQ=SEG.ACK><CTL=RST> to a segment with ACK, or
 * <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK> to one without, and no timestamp (the
 * connection's options died with it) where the endpoint was using them? */
static bool
closed_port_rst(const struct infer *in, const struct capseg *p, const struct capseg *r)
{
    const struct dseg *s = &r->s;
    if (!(s->flags & DF_RST) || s->len != 0 || (s->flags & (DF_SYN | DF_FIN)) ||
        (in->k->ts_used && s->has_ts)) {
        return false;
    }
    if (p->s.flags & DF_ACK) {
        return !(s->flags & DF_ACK) && s->seq == p->s.ack;
    }
    uint32_t end = p->s.seq + p->s.len + ((p->s.flags & DF_SYN) ? 1 : 0) +
                   ((p->s.flags & DF_FIN) ? 1 : 0);
    return (s->flags & DF_ACK) && s->seq == 0 && s->ack == end;
}

/* A connection its endpoint lost without a segment: the endpoint went silent, leaving
 * a segment of the peer's that occupies sequence space unanswered (at *silent_j), and
 * then answered a later one (at *answered_j) with a closed port's RST (at *rst_j, within
 * RCONN_REPLY_NS). A live TCP answers a FIN or a SYN at once, a retransmission (a
 * segment it has seen) at once, and data within its delayed ACK's limit; a TCP whose
 * connection is gone says nothing while its host is down and answers as a closed port
 * once it is up: the host crashed (or rebooted) between its last segment and the
 * silent one, and was up again when the answered one arrived. False when not. */
bool
rclue_lost_connection(const struct infer *in, guint *silent_j, guint *answered_j, guint *rst_j)
{
    for (guint m = 1; m < in->k->idx->len; m++) {
        const struct capseg *r = seg_at(in, m);
        const struct capseg *p = seg_at(in, m - 1);
        if (!outbound(in, r) || !(r->s.flags & DF_RST) || outbound(in, p) ||
            r->at - p->at > RCONN_REPLY_NS || r->at < p->at || !closed_port_rst(in, p, r)) {
            continue;
        }
        /* back to the endpoint's previous segment: the first of the peer's since then
         * that occupies sequence space, and was left unanswered */
        guint first = G_MAXUINT;
        for (guint n = m - 1; n-- > 0;) {
            const struct capseg *x = seg_at(in, n);
            if (outbound(in, x)) {
                break;
            }
            if (x->s.len > 0 || (x->s.flags & (DF_SYN | DF_FIN))) {
                first = n;
            }
        }
        if (first == G_MAXUINT) {
            return false;
        }
        const struct capseg *f = seg_at(in, first);
        bool at_once = (f->s.flags & (DF_SYN | DF_FIN)) != 0 ||
                       (int32_t)(p->s.seq - f->s.seq) <= 0 ||
                       p->at - f->at > RCLUE_DELACK_MAX_NS;
        if (!at_once) {
            return false;
        }
        *silent_j = first;
        *answered_j = m - 1;
        *rst_j = m;
        return true;
    }
    return false;
}

/* Is the endpoint's next new data after the peer's ACK at j a window probe that its
 * persist timer sent? The ACK acknowledges all the endpoint sent and offers a window
 * smaller than a full segment but not zero; the data leaves later on no arrival of the
 * peer's (a timer's doing, not an answer: more than RCONN_REPLY_NS after the last), as
 * one short segment that exactly fills the window the peer offers then (Linux:
 * tcp_probe_timer(), tcp_write_wakeup()). The persist timer runs only with data queued
 * (tcp_check_probe_timer()): that data was written by the time of this ACK, when the
 * window stopped taking a full segment. *at_j: the probe's position. */
bool
rclue_window_probe(const struct infer *in, guint j, guint *at_j)
{
    const struct capseg *a = seg_at(in, j);
    unsigned shift = rclue_peer_shift(in);
    uint64_t w = (uint64_t)a->s.win << shift;
    uint32_t next = rel_local(in, a->s.ack);
    if (outbound(in, a) || !(a->s.flags & DF_ACK) || (a->s.flags & (DF_SYN | DF_RST)) ||
        w == 0 || w >= rclue_full_size(in, a)) {
        return false;
    }
    int64_t last_in = a->at;
    for (guint m = j + 1; m < in->k->idx->len; m++) {
        const struct capseg *r = seg_at(in, m);
        if (!outbound(in, r)) {
            last_in = r->at;
            continue;
        }
        if (r->s.len == 0) {
            continue;
        }
        if (rel_local(in, r->s.seq) != next || (r->s.flags & (DF_SYN | DF_FIN | DF_RST))) {
            return false;
        }
        *at_j = m;
        return r->at - last_in > RCONN_REPLY_NS && fills_window(in, m, shift);
    }
    return false;
}

/* The SO_RCVBUF behind a SYN window below Linux's default. Linux offers half of the
 * doubled SO_RCVBUF, rounded down to whole segments of `unit` bytes (the MSS, less the
 * timestamp option's 12 on a SYN-ACK; tcp_select_initial_window()): any SO_RCVBUF from
 * the window to one segment more gives this SYN. Later windows depend on which: take a
 * power of two there (8192 for 7240), as applications tend to ask, else the window. */
unsigned
rclue_rcvbuf(unsigned syn_window, unsigned unit)
{
    for (unsigned p = 1024; p < (1u << 30); p <<= 1) {
        if (p >= syn_window && p < syn_window + unit) {
            return p;
        }
    }
    return syn_window;
}

/* Is the endpoint's next new data after its segment at j, starting at `start`, sent by
 * a timer with data of its own in flight, rather than as the peer's segment arrived?
 * It leaves more than RCONN_REPLY_NS after the last arrival, and the peer has not
 * acknowledged all that was sent before it. A loss probe sends new data when some is
 * queued (Linux: tcp_send_loss_probe()), as the persist timer does: then it was written
 * before, held by the congestion window; or the application wrote it then, with data
 * in flight. The wire cannot tell: the search decides (rrun.c). *at_j: its position. */
bool
rclue_timer_data(const struct infer *in, guint j, uint32_t start, guint *at_j)
{
    int64_t last_in = -1;
    uint32_t acked = 0;
    bool any_ack = false;
    for (guint m = j + 1; m < in->k->idx->len; m++) {
        const struct capseg *r = seg_at(in, m);
        if (!outbound(in, r)) {
            last_in = r->at;
            if (r->s.flags & DF_ACK) {
                acked = rel_local(in, r->s.ack);
                any_ack = true;
            }
            continue;
        }
        if (r->s.len == 0) {
            continue;
        }
        if (rel_local(in, r->s.seq) != start || (r->s.flags & (DF_SYN | DF_RST))) {
            return false;
        }
        *at_j = m;
        const struct capseg *prev = seg_at(in, j);
        bool quiet = last_in < 0 || r->at - last_in > RCONN_REPLY_NS;
        return quiet && r->at - prev->at > RCONN_REPLY_NS && (!any_ack || acked != start);
    }
    return false;
}
