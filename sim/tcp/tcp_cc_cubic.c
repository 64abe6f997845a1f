/* SPDX-License-Identifier: MIT */
/*
 * tcp_cc_cubic.c: CUBIC congestion control (RFC 9438), the Linux default.
 *
 * Entry point: the `tcp_cc_cubic` ops table. Windows are in bytes, times in microseconds,
 * and the cube is taken in 128-bit integers (engine/u128.h): no floating point decides anything, so runs
 * stay reproducible everywhere. C = 0.4 and beta = 0.7 as RFC 9438 §4.1 and §4.6 give
 * them; alpha = 3(1 - beta)/(1 + beta) = 9/17 (§4.3). Slow start is Reno's, left early
 * by HyStart (tcp_cc_hystart.c) as Linux does (RFC 9438 §4.10 recommends such a
 * mechanism).
 */
#include <stddef.h>

#include "../engine/u128.h"
#include "tcp_cc.h"

#define TCP_INFINITE_SSTHRESH 0x7FFFFFFFu
#define BETA_NUM 7 /* beta_cubic = 7/10 */
#define BETA_DEN 10
#define ALPHA_NUM 9 /* alpha_cubic = 9/17 */
#define ALPHA_DEN 17
#define USEC_PER_SEC 1000000

/* The largest k with k^3 <= v. */
static int64_t
icbrt(u128 v)
{
    int64_t lo = 0;
    int64_t hi = 4000000000LL; /* 4e9 us: K of more than an hour is not a window */
    while (lo < hi) {
        int64_t mid = lo + (hi - lo + 1) / 2;
        if (u128_cmp(u128_mul64((uint64_t)(mid * mid), (uint64_t)mid), v) <= 0) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    return lo;
}

static void
cubic_init(struct tcp_cc_state *cc)
{
    cc->cwnd = tcp_cc_initial_window(cc);
    cc->ssthresh = TCP_INFINITE_SSTHRESH;
    cc->bytes_acked = 0;
    cc->u.cubic.w_max = 0;
    cc->u.cubic.w_last_max = 0;
    cc->u.cubic.epoch_start = -1;
    tcp_cc_hystart_reset(cc);
}

/* RFC 9438 §4.2: W_cubic(t) = C (t - K)^3 + W_max, in bytes, t and K in microseconds. */
static uint32_t
w_cubic(const struct tcp_cc_state *cc, int64_t t_us)
{
    int64_t d = t_us - cc->u.cubic.k_us;
    if (d > 1000LL * USEC_PER_SEC) {
        d = 1000LL * USEC_PER_SEC;
    } else if (d < -1000LL * USEC_PER_SEC) {
        d = -1000LL * USEC_PER_SEC;
    }
    /* C * mss * d^3 / 1e18 with C = 2/5, rounded toward zero; |d|^3 * 2 * mss < 2^123. */
    uint64_t ad = (uint64_t)(d < 0 ? -d : d);
    u128 num;
    (void)u128_mul(u128_mul64(ad * ad, ad), 2 * (uint64_t)cc->mss, &num);
    int64_t delta = (int64_t)u128_divmod64(num, UINT64_C(5) * USEC_PER_SEC * USEC_PER_SEC * USEC_PER_SEC, NULL).lo;
    int64_t w = (int64_t)cc->u.cubic.w_max + (d < 0 ? -delta : delta);
    if (w < cc->mss) {
        w = cc->mss;
    }
    if (w > TCP_INFINITE_SSTHRESH) {
        w = TCP_INFINITE_SSTHRESH;
    }
    return (uint32_t)w;
}

/* RFC 9438 §4.2: a new epoch starts with the first ACK after a reduction. */
static void
start_epoch(struct tcp_cc_state *cc, sim_time now)
{
    cc->u.cubic.epoch_start = now;
    cc->u.cubic.w_est = cc->cwnd;
    if (cc->u.cubic.w_max <= cc->cwnd) {
        cc->u.cubic.k_us = 0;
        cc->u.cubic.w_max = cc->cwnd;
        return;
    }
    /* K = cubic_root((W_max - cwnd_epoch) / C), in segments and seconds (eq. 2). */
    uint64_t diff = cc->u.cubic.w_max - cc->cwnd;
    u128 k3 = u128_divmod64(u128_mul64(diff, UINT64_C(5) * USEC_PER_SEC * USEC_PER_SEC * USEC_PER_SEC),
                            2 * (uint64_t)cc->mss, NULL);
    cc->u.cubic.k_us = icbrt(k3);
}

static void
cubic_on_ack(struct tcp_cc_state *cc, uint32_t acked, sim_time now)
{
    tcp_cc_hystart_on_ack(cc, now);
    if (cc->app_limited) {
        return; /* RFC 7661 §4.3; Linux: cubictcp_cong_avoid() */
    }
    if (cc->cwnd < cc->ssthresh) {
        /* Slow start (RFC 9438 §4.10 follows RFC 5681, with RFC 3465 L = 2 SMSS; Linux's
         * tcp_slow_start() counts the whole ACK and hands the rest on). */
        acked = tcp_cc_slow_start(cc, acked);
        if (acked == 0 || !cc->ss_full) {
            return;
        }
    }
    if (cc->u.cubic.epoch_start < 0) {
        start_epoch(cc, now);
    }
    /* §4.3: the Reno-friendly estimate grows by alpha segments per window acked. */
    cc->u.cubic.w_est += (uint32_t)((uint64_t)ALPHA_NUM * acked * cc->mss /
                                    ((uint64_t)ALPHA_DEN * cc->cwnd));
    int64_t t_us = (now - cc->u.cubic.epoch_start) / 1000;
    uint32_t w_t = w_cubic(cc, t_us);
    if (w_t < cc->u.cubic.w_est) {
        if (cc->cwnd < cc->u.cubic.w_est) {
            cc->cwnd = cc->u.cubic.w_est; /* Reno-friendly region */
        }
        return;
    }
    /* §4.4/4.5: aim for W_cubic one RTT ahead, at most 1.5 cwnd. */
    int64_t rtt_us = (cc->srtt > 0 ? cc->srtt : 100000000) / 1000;
    uint32_t target = w_cubic(cc, t_us + rtt_us);
    uint32_t cap = cc->cwnd + cc->cwnd / 2;
    target = target > cap ? cap : target;
    if (target > cc->cwnd) {
        uint64_t inc = (uint64_t)(target - cc->cwnd) * acked / cc->cwnd;
        cc->cwnd += (uint32_t)inc;
    } else {
        /* Linux: bictcp_update() still grows by 1/100 segment per RTT where RFC 9438
         * §4.4 (target clamped to cwnd) would hold it flat. */
        cc->bytes_acked += acked;
        if (cc->bytes_acked >= 100 * cc->cwnd) {
            cc->bytes_acked = 0;
            cc->cwnd += cc->mss;
        }
    }
}

/* §4.6 multiplicative decrease and §4.7 fast convergence. */
static void
reduce(struct tcp_cc_state *cc)
{
    uint32_t cwnd = cc->cwnd;
    if (cwnd < cc->u.cubic.w_last_max) {
        cc->u.cubic.w_last_max = cwnd;
        cc->u.cubic.w_max = (uint32_t)((uint64_t)cwnd * (BETA_DEN + BETA_NUM) / (2 * BETA_DEN));
    } else {
        cc->u.cubic.w_last_max = cwnd;
        cc->u.cubic.w_max = cwnd;
    }
    uint32_t ss = (uint32_t)((uint64_t)cwnd * BETA_NUM / BETA_DEN);
    cc->ssthresh = ss > 2 * cc->mss ? ss : 2 * cc->mss;
    cc->u.cubic.epoch_start = -1;
    cc->bytes_acked = 0;
}

static void
cubic_on_loss(struct tcp_cc_state *cc, sim_time now)
{
    (void)now;
    reduce(cc);
    cc->cwnd = cc->ssthresh;
}

static void
cubic_on_recovery_end(struct tcp_cc_state *cc, sim_time now)
{
    (void)now;
    cc->cwnd = cc->ssthresh;
}

/* §4.8: a timeout reduces ssthresh with beta, and cwnd to one segment as Reno does. */
static void
cubic_on_rto(struct tcp_cc_state *cc, sim_time now)
{
    (void)now;
    reduce(cc);
    cc->cwnd = cc->mss;
    tcp_cc_hystart_reset(cc); /* Linux: bictcp_state(TCP_CA_Loss) */
}

const struct tcp_cc_ops tcp_cc_cubic = {
    .name = "cubic",
    .init = cubic_init,
    .on_ack = cubic_on_ack,
    .on_loss = cubic_on_loss,
    .on_recovery_end = cubic_on_recovery_end,
    .on_rto = cubic_on_rto,
};
