/* SPDX-License-Identifier: MIT */
/*
 * tcp_cc_hystart.c: HyStart, the slow-start exit Linux's CUBIC uses (tcp_cubic.c,
 * hystart=1, hystart_detect=3: both detectors).
 *
 * Entry points: tcp_cc_hystart_reset(), tcp_cc_hystart_on_ack(). Slow start doubles the
 * window each round trip until a loss says the path is full, by which time as much as a
 * window may have been sent too many. HyStart watches each round of ACKs for two signs
 * that the window has reached the path's capacity, and then sets ssthresh to cwnd:
 *   - the ACK train: ACKs arriving back to back (at most 2 ms apart) for longer than
 *     half the minimum RTT (and a cushion of up to 1 ms for TSO and GRO) mean the
 *     window already fills half the pipe;
 *   - the delay increase: the least RTT of the round, once it holds eight samples,
 *     exceeds the minimum RTT by an eighth of it (clamped to 4-16 ms): a queue builds.
 * A round is the time the data sent by its first ACK takes to be acknowledged; rounds
 * are counted from the first ACK, the detectors wait for a window of 16 segments.
 * Ha and Rhee, "Taming the elephants: new TCP slow start", Computer Networks 55(9), 2011.
 * RFC 9406 (HyStart++) is a later variant; Linux's CUBIC runs this one.
 */
#include <stddef.h>

#include "../engine/u128.h"
#include "tcp_cc.h"

#define HYSTART_LOW_WINDOW 16    /* segments: below this, HyStart stays out */
#define HYSTART_ACK_DELTA US(2000)
#define HYSTART_MIN_SAMPLES 8
#define HYSTART_DELAY_MIN MS(4)
#define HYSTART_DELAY_MAX MS(16)

void
tcp_cc_hystart_reset(struct tcp_cc_state *cc)
{
    cc->u.cubic.found = false;
    cc->u.cubic.round_open = false;
    cc->u.cubic.delay_min = 0;
}

/* Linux: bictcp_hystart_reset(): a round ends when the data sent by its start is acked. */
static void
new_round(struct tcp_cc_state *cc, sim_time now)
{
    cc->u.cubic.round_open = true;
    cc->u.cubic.round_start = now;
    cc->u.cubic.last_ack = now;
    cc->u.cubic.end_seq = cc->snd_max;
    cc->u.cubic.curr_rtt = 0;
    cc->u.cubic.sample_cnt = 0;
}

/* Linux: hystart_ack_delay(): a cushion for TSO and GRO aggregation in the ACK train's
 * threshold, the time four 64 KB GSO packets take at the pacing rate (tcp_update_pacing_
 * rate(): ratio percent of max(cwnd, in flight) segments per smoothed RTT), at most
 * 1 ms; none before the first RTT sample (the rate is still unlimited). */
static sim_time
ack_delay(const struct tcp_cc_state *cc)
{
    if (cc->srtt <= 0 || cc->mss == 0) {
        return 0;
    }
    uint64_t segs = (cc->cwnd > cc->flight ? cc->cwnd : cc->flight) / cc->mss;
    uint64_t ratio = cc->cwnd < cc->ssthresh / 2 ? cc->pacing_ss_ratio : cc->pacing_ca_ratio;
    uint64_t bytes_per_100s = (uint64_t)cc->mss * ratio * (segs ? segs : 1); /* a srtt */
    /* 4 * 65536 bytes at bytes_per_100s / 100 per srtt: 4 * 65536 * 100 * srtt / that. */
    u128 num = u128_mul64(UINT64_C(4) * 65536 * 100, (uint64_t)cc->srtt);
    u128 q = u128_divmod64(num, bytes_per_100s ? bytes_per_100s : 1, NULL);
    return u128_fits64(q) && q.lo < (uint64_t)MS(1) ? (sim_time)q.lo : MS(1);
}

static void
leave_slow_start(struct tcp_cc_state *cc, const char *why)
{
    cc->u.cubic.found = true;
    cc->ssthresh = cc->cwnd;
    cc->event = why;
}

void
tcp_cc_hystart_on_ack(struct tcp_cc_state *cc, sim_time now)
{
    if (!cc->hystart || cc->rtt_sample <= 0) {
        return;
    }
    sim_time delay = cc->rtt_sample;
    if (cc->u.cubic.delay_min == 0 || delay < cc->u.cubic.delay_min) {
        cc->u.cubic.delay_min = delay;
    }
    if (cc->u.cubic.found || cc->cwnd >= cc->ssthresh) {
        return;
    }
    /* Linux 5.16+ hystart_update(): the rounds are counted from the first ACK, and only
     * the detection waits for the window to reach hystart_low_window (measured on
     * 6.18: linux-measured/hystart-delay-exit.pkt). */
    if (!cc->u.cubic.round_open || seq_gt(cc->snd_una, cc->u.cubic.end_seq)) {
        new_round(cc, now);
    }
    if (cc->cwnd < HYSTART_LOW_WINDOW * cc->mss) {
        return;
    }
    /* The ACK train: ACKs at most 2 ms apart for longer than half the minimum RTT and
     * the cushion (Linux 6.x; measured: linux-measured/hystart-ack-train.pkt). */
    if (now - cc->u.cubic.last_ack <= HYSTART_ACK_DELTA) {
        cc->u.cubic.last_ack = now;
        /* Linux halves the threshold when the socket is not paced (no fq). */
        if (now - cc->u.cubic.round_start > (cc->u.cubic.delay_min + ack_delay(cc)) / 2) {
            leave_slow_start(cc, "hystart: ack train");
            return;
        }
    }
    /* The delay increase, over the round's first samples. */
    if (cc->u.cubic.curr_rtt == 0 || delay < cc->u.cubic.curr_rtt) {
        cc->u.cubic.curr_rtt = delay;
    }
    if (cc->u.cubic.sample_cnt < HYSTART_MIN_SAMPLES) {
        cc->u.cubic.sample_cnt++;
        return;
    }
    sim_time thresh = cc->u.cubic.delay_min / 8;
    thresh = thresh < HYSTART_DELAY_MIN ? HYSTART_DELAY_MIN
             : thresh > HYSTART_DELAY_MAX ? HYSTART_DELAY_MAX
                                          : thresh;
    if (cc->u.cubic.curr_rtt > cc->u.cubic.delay_min + thresh) {
        leave_slow_start(cc, "hystart: delay increase");
    }
}
