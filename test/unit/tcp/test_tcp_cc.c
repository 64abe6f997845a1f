/* SPDX-License-Identifier: MIT */
/*
 * test_tcp_cc.c: congestion-window trajectories of Reno (RFC 5681) and CUBIC (RFC 9438),
 * driven directly through the ops table.
 */
#include "harness.h"

#define MSS 1460u

static struct tcp_cc_state
fresh(const struct tcp_cc_ops *ops)
{
    struct tcp_cc_state cc = {.mss = MSS, .initcwnd = 10};
    ops->init(&cc);
    return cc;
}

/* Acks `segs` segments two at a time (a delayed-ACK receiver). */
static void
ack_segments(const struct tcp_cc_ops *ops, struct tcp_cc_state *cc, unsigned segs, sim_time now)
{
    for (unsigned i = 0; i < segs; i += 2) {
        ops->on_ack(cc, 2 * MSS, now);
    }
}

/* RFC 6928 IW10, then slow start doubles the window each round trip. */
static void
test_reno_slow_start_doubles(void)
{
    struct tcp_cc_state cc = fresh(&tcp_cc_reno);
    CU_ASSERT_EQUAL(cc.cwnd, 10 * MSS);
    ack_segments(&tcp_cc_reno, &cc, 10, 0);
    CU_ASSERT_EQUAL(cc.cwnd, 20 * MSS);
    ack_segments(&tcp_cc_reno, &cc, 20, 0);
    CU_ASSERT_EQUAL(cc.cwnd, 40 * MSS);
}

/* Congestion avoidance: one segment per window acknowledged. */
static void
test_reno_congestion_avoidance_adds_one_segment_per_rtt(void)
{
    struct tcp_cc_state cc = fresh(&tcp_cc_reno);
    cc.cwnd = cc.ssthresh = 20 * MSS;
    ack_segments(&tcp_cc_reno, &cc, 20, 0);
    CU_ASSERT_EQUAL(cc.cwnd, 21 * MSS);
    ack_segments(&tcp_cc_reno, &cc, 22, 0);
    CU_ASSERT_EQUAL(cc.cwnd, 22 * MSS);
}

/* RFC 5681 §3.1 eq. 4 and the timeout: half the flight, and one segment after an RTO. */
static void
test_reno_loss_and_timeout(void)
{
    struct tcp_cc_state cc = fresh(&tcp_cc_reno);
    cc.cwnd = 40 * MSS;
    cc.flight = 40 * MSS;
    tcp_cc_reno.on_loss(&cc, 0);
    CU_ASSERT_EQUAL(cc.ssthresh, 20 * MSS);
    CU_ASSERT_EQUAL(cc.cwnd, 20 * MSS);
    cc.flight = 3 * MSS;
    tcp_cc_reno.on_rto(&cc, 0);
    CU_ASSERT_EQUAL(cc.ssthresh, 2 * MSS); /* at least two segments */
    CU_ASSERT_EQUAL(cc.cwnd, MSS);
}

/* CUBIC: a loss at 100 segments leaves 70 (beta 0.7); the window then climbs back and
 * reaches W_max after K = cbrt(30 / 0.4) = 4.217 s, concave before and convex after. */
static void
test_cubic_returns_to_w_max_after_k(void)
{
    struct tcp_cc_state cc = fresh(&tcp_cc_cubic);
    cc.cwnd = 100 * MSS;
    cc.srtt = MS(100);
    tcp_cc_cubic.on_loss(&cc, 0);
    CU_ASSERT_EQUAL(cc.ssthresh, 70 * MSS);
    CU_ASSERT_EQUAL(cc.cwnd, 70 * MSS);
    uint32_t at_k = 0;
    uint32_t at_half_k = 0;
    uint32_t at_2k = 0;
    for (sim_time t = MS(100); t <= SEC(9); t += MS(100)) {
        unsigned segs = cc.cwnd / MSS;
        for (unsigned i = 0; i < segs; i++) {
            tcp_cc_cubic.on_ack(&cc, MSS, t);
        }
        if (t == SEC(2)) {
            at_half_k = cc.cwnd;
        }
        if (t == MS(4200)) {
            at_k = cc.cwnd;
        }
        if (t == MS(8400)) {
            at_2k = cc.cwnd;
        }
    }
    CU_ASSERT(cc.u.cubic.k_us > 4200000 && cc.u.cubic.k_us < 4235000);
    /* Concave: most of the way back by K/2; plateau near W_max at K; beyond it later. */
    CU_ASSERT(at_half_k > 90 * MSS && at_half_k < 100 * MSS);
    CU_ASSERT(at_k >= 98 * MSS && at_k <= 102 * MSS);
    CU_ASSERT(at_2k > 110 * MSS);
}

/* RFC 9438 §4.7 fast convergence: a second loss below the last W_max lowers W_max
 * further, releasing bandwidth to new flows. */
static void
test_cubic_fast_convergence(void)
{
    struct tcp_cc_state cc = fresh(&tcp_cc_cubic);
    cc.cwnd = 100 * MSS;
    tcp_cc_cubic.on_loss(&cc, 0);
    cc.cwnd = 80 * MSS;
    tcp_cc_cubic.on_loss(&cc, 0);
    CU_ASSERT_EQUAL(cc.u.cubic.w_max, 68 * MSS); /* 80 * (1 + 0.7) / 2 */
    CU_ASSERT_EQUAL(cc.cwnd, 56 * MSS);
}

/* One ACK of two segments with an RTT sample, `gap` after the previous one; the round's
 * data ends at `end`. */
static void
cubic_ack(struct tcp_cc_state *cc, sim_time *now, sim_time gap, sim_time rtt, tcp_seq una,
          tcp_seq end)
{
    *now += gap;
    cc->rtt_sample = rtt;
    cc->snd_una = una;
    cc->snd_max = end;
    cc->event = NULL;
    tcp_cc_cubic.on_ack(cc, 2 * MSS, *now);
}

/* HyStart, delay detector: a round whose first eight RTT samples all exceed the minimum
 * (40 ms) by more than 40/8 = 5 ms ends slow start with ssthresh = cwnd; ACKs spread
 * 5 ms apart keep the ACK-train detector out of it. */
static void
test_cubic_hystart_delay_increase(void)
{
    struct tcp_cc_state cc = fresh(&tcp_cc_cubic);
    cc.hystart = true;
    cc.cwnd = 20 * MSS;
    sim_time now = 0;
    tcp_seq una = 0;
    for (int i = 0; i < 10; i++) { /* a round at the base RTT: nothing found */
        cubic_ack(&cc, &now, MS(5), MS(40), una += 2 * MSS, 20 * MSS);
    }
    CU_ASSERT_EQUAL(cc.ssthresh, 0x7FFFFFFFu);
    for (int i = 0; i < 8; i++) { /* the next round: queueing adds 6 ms */
        cubic_ack(&cc, &now, MS(5), MS(46), una += 2 * MSS, 60 * 2 * MSS);
    }
    CU_ASSERT_EQUAL(cc.ssthresh, 0x7FFFFFFFu); /* eight samples taken, none judged */
    uint32_t before = cc.cwnd;
    cubic_ack(&cc, &now, MS(5), MS(46), una += 2 * MSS, 60 * 2 * MSS);
    CU_ASSERT_EQUAL(cc.ssthresh, before);
    CU_ASSERT_PTR_NOT_NULL_FATAL(cc.event);
    CU_ASSERT_STRING_EQUAL(cc.event, "hystart: delay increase");
    /* Out of slow start: the next ACK grows cwnd by far less than two segments. */
    cubic_ack(&cc, &now, MS(5), MS(46), una += 2 * MSS, 60 * 2 * MSS);
    CU_ASSERT(cc.cwnd - before < MSS);
}

/* HyStart, ACK-train detector: ACKs 1 ms apart for longer than half the 40 ms minimum
 * RTT mean the window already fills half the path. Without HyStart slow start goes on. */
static void
test_cubic_hystart_ack_train(void)
{
    for (int on = 0; on < 2; on++) {
        struct tcp_cc_state cc = fresh(&tcp_cc_cubic);
        cc.hystart = on;
        cc.cwnd = 20 * MSS;
        sim_time now = 0;
        tcp_seq una = 0;
        cubic_ack(&cc, &now, MS(40), MS(40), una += 2 * MSS, 200 * MSS);
        for (int i = 0; i < 19; i++) {
            cubic_ack(&cc, &now, MS(1), MS(40), una += 2 * MSS, 200 * MSS);
        }
        CU_ASSERT_EQUAL(cc.ssthresh, 0x7FFFFFFFu); /* 19 ms of train: not yet */
        cubic_ack(&cc, &now, MS(1), MS(40), una += 2 * MSS, 200 * MSS);
        cubic_ack(&cc, &now, MS(1), MS(40), una += 2 * MSS, 200 * MSS);
        if (on) {
            CU_ASSERT_PTR_NOT_NULL_FATAL(cc.event);
            CU_ASSERT_STRING_EQUAL(cc.event, "hystart: ack train");
            CU_ASSERT(cc.ssthresh < 0x7FFFFFFFu);
        } else {
            CU_ASSERT_EQUAL(cc.ssthresh, 0x7FFFFFFFu);
        }
    }
}

static CU_TestInfo cc_tests[] = {
    {"CUBIC HyStart: delay increase ends slow start", test_cubic_hystart_delay_increase},
    {"CUBIC HyStart: ACK train ends slow start", test_cubic_hystart_ack_train},
    {"Reno: IW10, slow start doubles per RTT", test_reno_slow_start_doubles},
    {"Reno: +1 segment per RTT in avoidance", test_reno_congestion_avoidance_adds_one_segment_per_rtt},
    {"Reno: halve on loss, one segment on RTO", test_reno_loss_and_timeout},
    {"CUBIC: back to W_max after K, concave then convex", test_cubic_returns_to_w_max_after_k},
    {"CUBIC: fast convergence", test_cubic_fast_convergence},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo tcp_cc_suites[] = {
    {"tcp congestion control", NULL, NULL, NULL, NULL, cc_tests},
    CU_SUITE_INFO_NULL,
};
