/* SPDX-License-Identifier: MIT */
/*
 * rticks.c: where an inferred script starts, so that tcpsim's timer ticks fall where
 * the captured kernel's fell (private to sim/replay).
 */
#include <tcpsim/pkt.h>

#include "rinfer.h"

static gint
cmp_i64(gconstpointer a, gconstpointer b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/*
 * Where the script starts, so that tcpsim's timer ticks fall where the capture's
 * kernel had its own. The capture's clock says nothing of the kernel's tick count, but
 * its timers do: a segment the endpoint sent on a timer (a retransmission or a
 * keepalive, well after anything arrived) leaves just after a tick, and one that fired
 * 64 ticks or more after anything else happened came from the timer wheel's level 1 or
 * higher, whose buckets are multiples of 8 ticks (of 64 past 512 ticks). The tick's
 * phase is the median of those segments' times modulo the tick, and the tick count's
 * residue modulo 8 (or 64) the one most of them agree on (a timer now and then runs a
 * tick late on a real machine). The start is then moved forward, by less than 64
 * ticks, so that under `tcpsim pkt`'s own tick count (TCPSIM_PKT_INITIAL_JIFFIES at time
 * 0, tick_phase 0) the same ticks come out. Assumes HZ 250; without timer segments the
 * start is the capture's time modulo RINFER_PHASE.
 */
int64_t
rinfer_tick_align(const struct infer *in)
{
    int64_t start = in->t0 % RINFER_PHASE;
    start -= start % 1000;
    GArray *at = g_array_new(FALSE, FALSE, sizeof(int64_t));
    GArray *lvl = g_array_new(FALSE, FALSE, sizeof(int));
    uint32_t max_end = 0;
    bool sent = false;
    int64_t prev = in->t0, prev_in = INT64_MIN;
    /* The endpoint's last segment sent on a timer, and whether anything that reached
     * its TCP arrived since: a peer's zero-window probe (one byte below what the
     * endpoint acknowledged) fails the sequence check and touches no timer, so the
     * endpoint's next probe was armed by its last one (Linux: tcp_probe_timer()). */
    int64_t prev_again = INT64_MIN;
    bool touched = true;
    uint32_t acked = 0;
    bool has_acked = false;
    for (guint j = 0; j < in->k->idx->len; j++) {
        const struct capseg *r = seg_at(in, j);
        const struct dseg *s = &r->s;
        if (!outbound(in, r)) {
            prev_in = r->at;
            bool old_probe = has_acked && s->has_seq && s->end == s->seq &&
                             (int32_t)(s->seq - acked) < 0 && !(s->flags & (DF_SYN | DF_FIN | DF_RST));
            touched = touched || !old_probe;
        } else if (s->has_seq) {
            if (s->flags & DF_ACK) {
                acked = has_acked && (int32_t)(s->ack - acked) < 0 ? acked : s->ack;
                has_acked = true;
            }
            uint32_t end = s->end + ((s->flags & DF_SYN) ? 1 : 0) + ((s->flags & DF_FIN) ? 1 : 0);
            bool again = sent && (int32_t)(s->seq - max_end) < 0 && !(s->flags & DF_RST);
            if (!again && (s->end != s->seq || (s->flags & (DF_SYN | DF_FIN)))) {
                touched = true; /* new data or a SYN or FIN arms timers of its own */
            }
            if (again && (prev_in == INT64_MIN || r->at - prev_in >= 1000000) /* 1 ms */ &&
                r->at - prev >= RINFER_TICK) {
                /* Level L (L >= 1) holds timers of 63 << 3(L-1) ticks or more and
                 * rounds them up by at most 8^L: a gap of 64 << 3(L-1) ticks or more
                 * cannot have come from a lower level. Counted up to level 4. */
                int64_t gap = (r->at - prev) / RINFER_TICK;
                if (!touched && prev_again != INT64_MIN && (r->at - prev_again) / RINFER_TICK > gap) {
                    gap = (r->at - prev_again) / RINFER_TICK;
                }
                prev_again = r->at;
                touched = false;
                int l = 0;
                while (l < 4 && gap >= (64LL << (3 * l))) {
                    l++;
                }
                g_array_append_val(at, r->at);
                g_array_append_val(lvl, l);
            }
            if (!sent || (int32_t)(end - max_end) > 0) {
                max_end = end;
            }
            sent = true;
        }
        prev = r->at;
    }
    if (at->len > 0) {
        /* The phase: the median residue, taken around the first one (it may wrap). */
        int64_t r0 = g_array_index(at, int64_t, 0) % RINFER_TICK;
        GArray *d = g_array_new(FALSE, FALSE, sizeof(int64_t));
        for (guint i = 0; i < at->len; i++) {
            int64_t x = ((g_array_index(at, int64_t, i) % RINFER_TICK) - r0 + RINFER_TICK +
                         RINFER_TICK / 2) % RINFER_TICK - RINFER_TICK / 2;
            g_array_append_val(d, x);
        }
        g_array_sort(d, cmp_i64);
        /* The tick a little before the segments: a kernel's leave some µs after it, and
         * never at the same µs twice; all at one µs of the tick, they left on the tick
         * itself (a simulator's capture, tcpsim's own: its CUBIC counts the ticks an
         * ACK falls in, so 30 µs moved ACKs across tick edges and changed its window). */
        bool exact = d->len > 1 && g_array_index(d, int64_t, 0) == g_array_index(d, int64_t, d->len - 1);
        int64_t lead = exact ? 0 : 30000; /* 30 us */
        int64_t edge = r0 + g_array_index(d, int64_t, d->len / 2) - lead;
        g_array_free(d, TRUE);
        /* Capture time -> script time: t - t0 + start. A tick of the capture at c:
         * the tick count there is what the bucket votes give. */
        int top = 0;
        for (guint i = 0; i < at->len; i++) {
            top = MAX(top, g_array_index(lvl, int, i));
        }
        /* Level by level, the residue most segments of that level or higher agree on,
         * among those that agree with the residue of the level below. */
        int64_t base = in->t0 - (((in->t0 - edge) % RINFER_TICK) + RINFER_TICK) % RINFER_TICK;
        int mod = 1;
        int best = 0;
        for (int l = 1; l <= top; l++) {
            int m = 1 << (3 * l);
            int *votes = g_new0(int, m);
            for (guint i = 0; i < at->len; i++) {
                int64_t n = (g_array_index(at, int64_t, i) - base) / RINFER_TICK;
                int v = (int)((m - n % m) % m);
                if (g_array_index(lvl, int, i) >= l && v % mod == best) {
                    votes[v]++;
                }
            }
            int pick = best;
            for (int v = 0; v < m; v++) {
                if (votes[v] > votes[pick]) {
                    pick = v;
                }
            }
            g_free(votes);
            best = pick;
            mod = m;
        }
        /* `best`: the tick count at `base`, modulo mod. In the script `base` stands at
         * base - t0 + start; move start so that it is a tick of tcpsim pkt whose count
         * has that residue. */
        int64_t u = base - in->t0 + start;
        int64_t k = (u + RINFER_TICK - 1) / RINFER_TICK;
        if (mod > 1) {
            while ((TCPSIM_PKT_INITIAL_JIFFIES + k) % mod != best) {
                k++;
            }
        }
        start += k * RINFER_TICK - u;
        start += 999;
        start -= start % 1000; /* whole microseconds, just after the tick */
    }
    g_array_free(at, TRUE);
    g_array_free(lvl, TRUE);
    return start;
}

