/* SPDX-License-Identifier: MIT */
/*
 * rpush.c: PSH marks that Linux places inside a write. A write fills skbs of up to half
 * the peer's largest window (tcp_xmit_size_goal()); once more than that half was
 * written since the last mark, the skb just filled gets PSH and goes at once
 * (tcp_sendmsg_locked(): forced_push(), tcp_mark_push()), and each TSO packet of two
 * segments or more ends with PSH too (__tcp_transmit_skb()). Replay takes a PSH for a
 * write's end first; these are the PSHs the search may turn into a forced push's.
 *
 * Entry point: rclue_forced_push() (from rclue_write_end(), rclues.c).
 */
#include "rinfer.h"

/* Is segment m, a full segment, the second or later of a TSO packet: sent at the same
 * instant as the endpoint's segment before it, whose data it continues? Then a PSH on
 * it may be the packet's (__tcp_transmit_skb() marks a packet of two segments or more)
 * even when the next data waits for an ACK. */
static bool
tso_tail(const struct infer *in, guint m, const struct capseg *r)
{
    if (r->s.len < rclue_full_size(in, r)) {
        return false;
    }
    for (guint n = m; n-- > 0;) {
        const struct capseg *p = seg_at(in, n);
        if (outbound(in, p) && p->s.len > 0) {
            return p->at == r->at && rel_local(in, p->s.seq) + p->s.len == rel_local(in, r->s.seq);
        }
    }
    return false;
}

/* The largest window the peer offered before segment m (Linux: tp->max_window; a SYN's
 * window is not scaled, RFC 7323 §2.2), from the prefix table rpush_prepare() built. */
static uint64_t
peer_max_window(const struct infer *in, guint m)
{
    return in->peer_max[m];
}

/* Was segment n's data sent before (is it a retransmission)? Some earlier segment of the
 * endpoint's ended at the same place. */
static bool
resent(const struct infer *in, guint n, uint32_t end)
{
    guint first = GPOINTER_TO_UINT(g_hash_table_lookup(in->first_end, GUINT_TO_POINTER(end)));
    return first != 0 && first - 1 < n;
}

/* The tables the look-backs below read, built once a script in O(segments): without them
 * each PSH scanned the connection from its start (a 12,605-segment capture took a minute). */
void
rpush_prepare(struct infer *in)
{
    guint n = in->k->idx->len;
    unsigned shift = rclue_peer_shift(in);
    in->peer_max = g_new0(uint64_t, n + 1);
    in->first_end = g_hash_table_new(NULL, NULL);
    uint64_t w = 0;
    for (guint j = 0; j < n; j++) {
        in->peer_max[j] = w;
        const struct capseg *p = seg_at(in, j);
        if (!outbound(in, p)) {
            uint64_t v = (p->s.flags & DF_SYN) ? p->s.win : (uint64_t)p->s.win << shift;
            w = v > w ? v : w;
        } else if (p->s.len > 0) {
            gpointer key = GUINT_TO_POINTER(rel_local(in, p->s.seq) + p->s.len);
            if (!g_hash_table_contains(in->first_end, key)) {
                g_hash_table_insert(in->first_end, key, GUINT_TO_POINTER(j + 1));
            }
        }
    }
    in->peer_max[n] = w;
}

void
rpush_release(struct infer *in)
{
    g_free(in->peer_max);
    in->peer_max = NULL;
    if (in->first_end != NULL) {
        g_hash_table_destroy(in->first_end);
        in->first_end = NULL;
    }
}

/* Could the PSH of the full segment m, ending at `end`, be a forced push within a write
 * rather than its end? Linux marks the skb a write fills once more than half the
 * largest window the peer offered was written since the last mark (forced_push(),
 * tcp_mark_push()). It can when the latest earlier PSH that ends a write (*from) lies
 * more than that half back, every PSH in between possibly the end of a TSO packet
 * (tso_tail()) rather than a write's. */
static bool
forced_push_at(const struct infer *in, guint m, uint32_t end, uint32_t *from)
{
    const struct capseg *r = seg_at(in, m);
    if (!(r->s.flags & DF_PSH) || r->s.len < rclue_full_size(in, r)) {
        return false;
    }
    uint32_t bound = end;
    for (guint n = m; n-- > 0;) {
        const struct capseg *x = seg_at(in, n);
        if (!outbound(in, x) || x->s.len == 0 || !(x->s.flags & DF_PSH)) {
            continue;
        }
        uint32_t e = rel_local(in, x->s.seq) + x->s.len;
        if ((int32_t)(e - bound) >= 0 || resent(in, n, e)) {
            continue; /* a retransmission */
        }
        /* the window as the write from e on was queued: as its first segment left */
        guint w = n + 1;
        while (w < m && !(outbound(in, seg_at(in, w)) && rel_local(in, seg_at(in, w)->s.seq) == e)) {
            w++;
        }
        if (end - e > peer_max_window(in, w) / 2) {
            *from = e;
            return true;
        }
        if (!tso_tail(in, n, x)) {
            return false;
        }
        bound = e;
    }
    return false;
}

/* Is the PSH at `e` (segment m) inside the write of a later PSH turned into a forced
 * push (the search's flip of a PSH decision)? Then it ends a TSO packet, not a write. */
static bool
inside_forced(const struct infer *in, guint m, uint32_t e)
{
    if (in->flip == NULL) {
        return false;
    }
    GHashTableIter it;
    gpointer key;
    g_hash_table_iter_init(&it, in->flip);
    while (g_hash_table_iter_next(&it, &key, NULL)) {
        guint k = GPOINTER_TO_UINT(key);
        if (k == 0 || k >= 0x10000000u) {
            continue;
        }
        for (guint n = m + 1; n < in->k->idx->len; n++) {
            if (g_array_index(in->k->idx, guint, n) != k - 1) {
                continue;
            }
            const struct capseg *x = seg_at(in, n);
            uint32_t xe = rel_local(in, x->s.seq) + x->s.len, from = 0;
            if (outbound(in, x) && forced_push_at(in, n, xe, &from) &&
                (int32_t)(e - from) > 0 && (int32_t)(xe - e) > 0) {
                return true;
            }
            break;
        }
    }
    return false;
}

/* Is the PSH of segment m, ending at `end`, not a write's end for a forced push? A PSH
 * that may be one (forced_push_at()) is a decision left to the search, a write's end
 * first (its capture index goes to the script's pshs); turned, it and the PSHs of TSO
 * packets in its write back to the mark before are not writes' ends. */
bool
rclue_forced_push(const struct infer *in, guint m, uint32_t end)
{
    uint32_t from = 0;
    if (forced_push_at(in, m, end, &from)) {
        if (rinfer_open_decision(in, in->out->pshs, m)) {
            return true;
        }
    }
    return inside_forced(in, m, end);
}
