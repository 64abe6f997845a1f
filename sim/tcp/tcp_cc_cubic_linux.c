/* SPDX-License-Identifier: MIT */
/*
 * tcp_cc_cubic_linux.c: CUBIC as the Linux personality runs it (net/ipv4/tcp_cubic.c).
 *
 * Entry point: the `tcp_cc_cubic_linux` ops table, which tcp_stack.c picks instead of
 * tcp_cc_cubic (RFC 9438, in bytes) when the personality is Linux and
 * tcp_congestion_control is cubic.
 *
 * RFC 9438 describes a window that follows a cubic function of real time. Linux computes
 * the same curve with integers, and that changes when the window grows:
 *   - the window counts segments, and grows through a counter: one segment more each
 *     time `cnt` segments have been acknowledged (tcp_cong_avoid_ai());
 *   - `cnt` is recomputed from the curve (bictcp_update()) only when the window changed
 *     or HZ/32 ticks have passed, and never twice in one tick: time is jiffies;
 *   - time on the curve runs one minimum RTT ahead (delay_min, rounded up to ticks) and
 *     in units of 1/1024 s; C is 410/1024 and beta 717/1024;
 *   - with no loss yet (W_max of 0, as after every timeout, which resets the state
 *     through bictcp_state(TCP_CA_Loss)) the window grows by at least one segment per
 *     20 acknowledged;
 *   - the Reno-friendly estimate grows one segment per 15/8 of a window acked, and
 *     bounds cnt (RFC 9438 §4.3's alpha, rounded Linux's way);
 *   - an application that stops sending shifts the epoch by its idle time
 *     (cubictcp_cwnd_event(CA_EVENT_TX_START)), so the curve does not run on while idle.
 * The cube root is exact here, where Linux's cubic_root() approximates it with a table
 * lookup and one Newton-Raphson step.
 *
 * Slow start (tcp_slow_start()) counts segments too, and HyStart (tcp_cc_hystart.c) sees
 * no delay sample in the first second of an epoch (bictcp_acked()).
 */
#include <stddef.h>

#include "../engine/u128.h"
#include "tcp_cc.h"

#define TCP_INFINITE_SSTHRESH 0x7FFFFFFFu
#define BICTCP_BETA_SCALE 1024u /* beta = 717/1024 */
#define BICTCP_BETA 717u
#define BICTCP_HZ 10            /* time on the curve counts 1/1024 s */
#define CUBE_RTT_SCALE 410u     /* bic_scale 41, times 10: C = 410/1024 */
#define BETA_SCALE 15u          /* 8 (1024 + 717) / 3 / (1024 - 717), in integers */
#define NO_LOSS_CNT 20u         /* at W_max 0: one segment per 20 acknowledged at least */
/* 256 s from K: the cube times 410 fits 64 bits (Linux's u64 wraps past about 347 s),
 * and the curve is already 6.7 million segments from its plateau. */
#define OFFS_MAX (1u << 18)

/* The tick count at `now` (Linux: tcp_jiffies32, which wraps). Only differences are
 * used, as signed 32-bit numbers the way Linux compares them. */
static uint32_t
jiffies(const struct tcp_cc_state *cc, sim_time now)
{
    return (uint32_t)((now + cc->tick_phase) / cc->tick);
}

static int32_t
ticks_since(uint32_t then, uint32_t now_j)
{
    return (int32_t)(now_j - then);
}

/* A SYN's timeout comes before the connection has an MSS (tcp_cc_start()), and leaves
 * nothing to compute. */
static bool
started(const struct tcp_cc_state *cc)
{
    return cc->mss > 0 && cc->tick > 0;
}

static uint32_t
cwnd_segs(const struct tcp_cc_state *cc)
{
    return cc->cwnd / cc->mss;
}

/* The largest k with k^3 <= v (v < 2^96). */
static uint32_t
icbrt(u128 v)
{
    uint64_t lo = 0;
    uint64_t hi = UINT32_MAX;
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo + 1) / 2;
        if (u128_cmp(u128_mul64(mid * mid, mid), v) <= 0) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    return (uint32_t)lo;
}

/* Linux: bictcp_reset(). Also at every timeout (bictcp_state(TCP_CA_Loss)). */
static void
reset(struct tcp_cc_state *cc)
{
    cc->u.cubic.l_cnt = 0;
    cc->u.cubic.l_last_max = 0;
    cc->u.cubic.l_last_cwnd = 0;
    cc->u.cubic.l_last_time = 0;
    cc->u.cubic.l_origin = 0;
    cc->u.cubic.l_k = 0;
    cc->u.cubic.l_epoch_on = false;
    cc->u.cubic.l_epoch = 0;
    cc->u.cubic.ack_cnt = 0;
    cc->u.cubic.l_tcp_cwnd = 0;
    tcp_cc_hystart_reset(cc); /* and delay_min, as bictcp_reset() clears it */
}

static void
lcubic_init(struct tcp_cc_state *cc)
{
    cc->cwnd = tcp_cc_initial_window(cc);
    cc->ssthresh = TCP_INFINITE_SSTHRESH;
    cc->bytes_acked = 0; /* snd_cwnd_cnt, in segments here */
    reset(cc);
}

/* Linux: bictcp_update(): how many segments must be acknowledged for the window to grow
 * by one (ca->cnt), from the cubic curve and the Reno-friendly estimate. */
static void
update_cnt(struct tcp_cc_state *cc, uint32_t cwnd, uint32_t acked, uint32_t now_j)
{
    int64_t hz = SEC(1) / cc->tick;
    cc->u.cubic.ack_cnt += acked;
    if (cc->u.cubic.l_last_cwnd == cwnd && ticks_since(cc->u.cubic.l_last_time, now_j) <= hz / 32) {
        return;
    }
    if (!(cc->u.cubic.l_epoch_on && now_j == cc->u.cubic.l_last_time)) {
        cc->u.cubic.l_last_cwnd = cwnd;
        cc->u.cubic.l_last_time = now_j;
        if (!cc->u.cubic.l_epoch_on) {
            /* RFC 9438 §4.2: the first ACK after a reduction starts the epoch. */
            cc->u.cubic.l_epoch_on = true;
            cc->u.cubic.l_epoch = now_j;
            cc->u.cubic.ack_cnt = acked;
            cc->u.cubic.l_tcp_cwnd = cwnd;
            if (cc->u.cubic.l_last_max <= cwnd) {
                cc->u.cubic.l_k = 0;
                cc->u.cubic.l_origin = cwnd;
            } else {
                /* §4.2 eq. 2: K = cbrt((W_max - cwnd) / C), in 1/1024 s: the cube of
                 * 1024 over C = 410/1024 is the factor 2^40 / 410. */
                uint64_t factor = (UINT64_C(1) << (10 + 3 * BICTCP_HZ)) / CUBE_RTT_SCALE;
                cc->u.cubic.l_k = icbrt(u128_mul64(factor, cc->u.cubic.l_last_max - cwnd));
                cc->u.cubic.l_origin = cc->u.cubic.l_last_max;
            }
        }
        /* t: the epoch's age plus one minimum RTT, in 1/1024 s (§4.4's t + RTT). */
        uint64_t dmin_us = (uint64_t)(cc->u.cubic.delay_min / 1000);
        int64_t dmin_j = (int64_t)((dmin_us * (uint64_t)hz + 999999) / 1000000);
        int64_t tj = ticks_since(cc->u.cubic.l_epoch, now_j) + dmin_j;
        uint64_t t = tj > 0 ? ((uint64_t)tj << BICTCP_HZ) / (uint64_t)hz : 0;
        uint64_t kk = cc->u.cubic.l_k;
        uint64_t offs = t < kk ? kk - t : t - kk;
        offs = offs < OFFS_MAX ? offs : OFFS_MAX;
        uint64_t delta = (CUBE_RTT_SCALE * offs * offs * offs) >> (10 + 3 * BICTCP_HZ);
        uint64_t origin = cc->u.cubic.l_origin;
        uint64_t target = t < kk ? (delta < origin ? origin - delta : 0) : origin + delta;
        uint64_t cnt = target > cwnd ? cwnd / (target - cwnd) : 100 * (uint64_t)cwnd;
        if (cc->u.cubic.l_last_max == 0 && cnt > NO_LOSS_CNT) {
            cnt = NO_LOSS_CNT;
        }
        cc->u.cubic.l_cnt = cnt < UINT32_MAX ? (uint32_t)cnt : UINT32_MAX;
    }
    /* §4.3, Linux's tcp_friendliness: the Reno-friendly window gains a segment per
     * 15/8 of a window acknowledged (the loop of Linux, as one division). */
    uint32_t per = (uint32_t)(((uint64_t)cwnd * BETA_SCALE) >> 3);
    per = per > 0 ? per : 1;
    if (cc->u.cubic.ack_cnt > per) {
        uint32_t n = (cc->u.cubic.ack_cnt - 1) / per;
        cc->u.cubic.ack_cnt -= n * per;
        cc->u.cubic.l_tcp_cwnd += n;
    }
    if (cc->u.cubic.l_tcp_cwnd > cwnd) {
        uint32_t max_cnt = cwnd / (cc->u.cubic.l_tcp_cwnd - cwnd);
        if (cc->u.cubic.l_cnt > max_cnt) {
            cc->u.cubic.l_cnt = max_cnt;
        }
    }
    if (cc->u.cubic.l_cnt < 2) {
        cc->u.cubic.l_cnt = 2;
    }
}

/* Linux: tcp_cong_avoid_ai(): one segment per `w` acknowledged, the rest carried. */
static void
cong_avoid_ai(struct tcp_cc_state *cc, uint32_t w, uint32_t acked)
{
    if (cc->bytes_acked >= w) {
        cc->bytes_acked = 0; /* credit earned at a larger w, spent gently */
        cc->cwnd += cc->mss;
    }
    cc->bytes_acked += acked;
    if (cc->bytes_acked >= w) {
        uint32_t n = cc->bytes_acked / w;
        cc->bytes_acked -= n * w;
        uint64_t grown = (uint64_t)cc->cwnd + (uint64_t)n * cc->mss;
        cc->cwnd = grown < TCP_INFINITE_SSTHRESH ? (uint32_t)grown : TCP_INFINITE_SSTHRESH;
    }
}

static void
lcubic_on_ack(struct tcp_cc_state *cc, uint32_t acked_bytes, sim_time now)
{
    if (!started(cc)) {
        return;
    }
    uint32_t now_j = jiffies(cc, now);
    /* Linux: bictcp_acked() takes no delay sample in an epoch's first second; the
     * others keep delay_min, with HyStart on or off. */
    if (!(cc->u.cubic.l_epoch_on && ticks_since(cc->u.cubic.l_epoch, now_j) < SEC(1) / cc->tick)) {
        if (cc->rtt_sample > 0 &&
            (cc->u.cubic.delay_min == 0 || cc->rtt_sample < cc->u.cubic.delay_min)) {
            cc->u.cubic.delay_min = cc->rtt_sample;
        }
        tcp_cc_hystart_on_ack(cc, now);
    }
    if (cc->app_limited || acked_bytes == 0) {
        return; /* RFC 7661 §4.3; Linux: cubictcp_cong_avoid(), tcp_is_cwnd_limited() */
    }
    /* Linux counts segments (skbs) acknowledged; a short one counts whole. */
    uint32_t acked = (uint32_t)(((uint64_t)acked_bytes + cc->mss - 1) / cc->mss);
    if (cc->cwnd < cc->ssthresh) {
        /* Linux: tcp_slow_start(): every segment acknowledged, up to ssthresh, and what
         * is left over goes on to congestion avoidance. */
        uint32_t room = (cc->ssthresh - cc->cwnd + cc->mss - 1) / cc->mss;
        uint32_t inc = acked < room ? acked : room;
        uint64_t grown = (uint64_t)cc->cwnd + (uint64_t)inc * cc->mss;
        cc->cwnd = grown < cc->ssthresh ? (uint32_t)grown : cc->ssthresh;
        acked -= inc;
        if (acked == 0) {
            return;
        }
    }
    uint32_t cwnd = cwnd_segs(cc);
    update_cnt(cc, cwnd > 0 ? cwnd : 1, acked, now_j);
    cong_avoid_ai(cc, cc->u.cubic.l_cnt, acked);
}

/* Linux: cubictcp_recalc_ssthresh(): §4.6 with beta 717/1024, §4.7 fast convergence,
 * in segments; the epoch ends. */
static void
reduce(struct tcp_cc_state *cc)
{
    if (!started(cc)) {
        return;
    }
    uint32_t cwnd = cwnd_segs(cc);
    cc->u.cubic.l_epoch_on = false;
    if (cwnd < cc->u.cubic.l_last_max) {
        cc->u.cubic.l_last_max =
            (uint32_t)((uint64_t)cwnd * (BICTCP_BETA_SCALE + BICTCP_BETA) / (2 * BICTCP_BETA_SCALE));
    } else {
        cc->u.cubic.l_last_max = cwnd;
    }
    uint32_t ss = (uint32_t)((uint64_t)cwnd * BICTCP_BETA / BICTCP_BETA_SCALE);
    cc->ssthresh = (ss > 2 ? ss : 2) * cc->mss;
    cc->bytes_acked = 0; /* tcp_init_cwnd_reduction(), tcp_enter_loss(): snd_cwnd_cnt */
}

static void
lcubic_on_loss(struct tcp_cc_state *cc, sim_time now)
{
    (void)now;
    reduce(cc);
    cc->cwnd = cc->ssthresh;
}

static void
lcubic_on_recovery_end(struct tcp_cc_state *cc, sim_time now)
{
    (void)now;
    cc->cwnd = cc->ssthresh; /* Linux: tcp_end_cwnd_reduction() */
}

/* Linux: tcp_enter_loss() takes ssthresh from cubictcp_recalc_ssthresh(), then
 * bictcp_state(TCP_CA_Loss) resets everything, W_max included. */
static void
lcubic_on_rto(struct tcp_cc_state *cc, sim_time now)
{
    (void)now;
    reduce(cc);
    cc->cwnd = cc->mss;
    reset(cc);
}

/* Linux: cubictcp_cwnd_event(CA_EVENT_TX_START): data leaves with nothing in flight
 * after `idle_since`; the epoch moves on by the idle ticks, never past now. */
static void
lcubic_on_tx_start(struct tcp_cc_state *cc, sim_time idle_since, sim_time now)
{
    if (!started(cc)) {
        return;
    }
    uint32_t now_j = jiffies(cc, now);
    int32_t delta = ticks_since(jiffies(cc, idle_since), now_j);
    if (cc->u.cubic.l_epoch_on && delta > 0) {
        cc->u.cubic.l_epoch += (uint32_t)delta;
        if (ticks_since(now_j, cc->u.cubic.l_epoch) > 0) {
            cc->u.cubic.l_epoch = now_j; /* after(epoch_start, now) */
        }
    }
}

const struct tcp_cc_ops tcp_cc_cubic_linux = {
    .name = "cubic",
    .init = lcubic_init,
    .on_ack = lcubic_on_ack,
    .on_loss = lcubic_on_loss,
    .on_recovery_end = lcubic_on_recovery_end,
    .on_rto = lcubic_on_rto,
    .on_tx_start = lcubic_on_tx_start,
};
