/* SPDX-License-Identifier: MIT */
/*
 * tcp_cc_reno.c: Reno window arithmetic (RFC 5681 §3.1, §3.2; RFC 6928; RFC 3465).
 *
 * Entry point: the `tcp_cc_reno` ops table. The recovery machinery that decides when
 * these hooks run (three duplicate ACKs, NewReno partial ACKs) lives in tcp_ack.c.
 */
#include <stddef.h>

#include "tcp_cc.h"

#define TCP_INFINITE_SSTHRESH 0x7FFFFFFFu

static void
reno_init(struct tcp_cc_state *cc)
{
    cc->cwnd = tcp_cc_initial_window(cc);
    cc->ssthresh = TCP_INFINITE_SSTHRESH;
    cc->bytes_acked = 0;
}

/* RFC 5681 §3.1 equation 4: half the flight, at least two segments. */
static uint32_t
half_flight(const struct tcp_cc_state *cc)
{
    if (cc->halve_cwnd && cc->mss > 0) {
        /* FreeBSD: newreno_cong_signal(): the window, not the flight, in segments. */
        uint32_t segs = cc->cwnd / 2 / cc->mss;
        return (segs > 2 ? segs : 2) * cc->mss;
    }
    uint32_t half = cc->flight / 2;
    return half > 2 * cc->mss ? half : 2 * cc->mss;
}

static void
reno_on_ack(struct tcp_cc_state *cc, uint32_t acked, sim_time now)
{
    (void)now;
    if (cc->app_limited) {
        return; /* RFC 7661 §4.3; Linux: tcp_reno_cong_avoid() */
    }
    if (cc->cwnd < cc->ssthresh) {
        /* Slow start: RFC 3465 §2.2 with L = 2*SMSS, or Linux's tcp_slow_start(). */
        acked = tcp_cc_slow_start(cc, acked);
        if (acked == 0) {
            return;
        }
    }
    /* Congestion avoidance, RFC 5681 §3.1 (appropriate byte counting, RFC 3465 §2.1):
     * one SMSS per window of data acknowledged. */
    cc->bytes_acked += acked;
    if (cc->bytes_acked >= cc->cwnd) {
        cc->bytes_acked -= cc->cwnd;
        cc->cwnd += cc->mss;
    }
}

static void
reno_on_loss(struct tcp_cc_state *cc, sim_time now)
{
    (void)now;
    cc->ssthresh = half_flight(cc);
    cc->cwnd = cc->ssthresh;
    cc->bytes_acked = 0;
}

static void
reno_on_recovery_end(struct tcp_cc_state *cc, sim_time now)
{
    (void)now;
    /* RFC 6582 §3.2 step 3: deflate to ssthresh. */
    cc->cwnd = cc->ssthresh;
}

static void
reno_on_rto(struct tcp_cc_state *cc, sim_time now)
{
    (void)now;
    cc->ssthresh = half_flight(cc);
    cc->cwnd = cc->mss; /* RFC 5681 §3.1: the loss window is one segment */
    cc->bytes_acked = 0;
}

const struct tcp_cc_ops tcp_cc_reno = {
    .name = "reno",
    .init = reno_init,
    .on_ack = reno_on_ack,
    .on_loss = reno_on_loss,
    .on_recovery_end = reno_on_recovery_end,
    .on_rto = reno_on_rto,
};

/* In the order of the tcp_congestion_control knob's names (tcp_sysctl.c). */
const struct tcp_cc_ops *
tcp_cc_by_index(int64_t i)
{
    static const struct tcp_cc_ops *const all[] = {&tcp_cc_reno, &tcp_cc_cubic};
    if (i < 0 || (size_t)i >= sizeof all / sizeof all[0]) {
        return &tcp_cc_reno;
    }
    return all[i];
}
