/* SPDX-License-Identifier: MIT */
/*
 * test_tcp_cc_cubic_linux.c: the Linux personality's CUBIC (tcp_cc_cubic_linux.c), where
 * it parts from RFC 9438's: segments, not bytes; beta 717/1024; one segment per 20 acked
 * with no W_max; cnt recomputed on ticks; the epoch moved on by idle time.
 */
#include "harness.h"

#define MSS 1460u
#define TICK MS(4) /* HZ 250 */

static struct tcp_cc_state
fresh(void)
{
    struct tcp_cc_state cc = {.mss = MSS, .initcwnd = 10, .tick = TICK};
    tcp_cc_cubic_linux.init(&cc);
    return cc;
}

/* One ACK for one full segment at `now`, no RTT sample. */
static void
ack1(struct tcp_cc_state *cc, sim_time now)
{
    cc->rtt_sample = 0;
    tcp_cc_cubic_linux.on_ack(cc, MSS, now);
}

/* cubictcp_recalc_ssthresh(): beta 717/1024 of the window in whole segments, at least
 * two; fast convergence lowers W_max to (1 + beta)/2 of a window below the last. A
 * timeout then forgets W_max (bictcp_reset()). */
static void
test_reductions_count_segments(void)
{
    struct tcp_cc_state cc = fresh();
    cc.cwnd = 15 * MSS;
    tcp_cc_cubic_linux.on_loss(&cc, 0);
    CU_ASSERT_EQUAL(cc.ssthresh, 10 * MSS); /* 15 * 717 / 1024 = 10.5, in segments 10 */
    struct tcp_cc_state rfc = {.mss = MSS, .initcwnd = 10};
    tcp_cc_cubic.init(&rfc);
    rfc.cwnd = 15 * MSS;
    tcp_cc_cubic.on_loss(&rfc, 0);
    CU_ASSERT_EQUAL(rfc.ssthresh, 15 * MSS * 7 / 10); /* RFC 9438 in bytes: 10.5 segments */

    cc.cwnd = 100 * MSS;
    tcp_cc_cubic_linux.on_loss(&cc, 0);
    CU_ASSERT_EQUAL(cc.ssthresh, 70 * MSS);
    CU_ASSERT_EQUAL(cc.u.cubic.l_last_max, 100u);
    cc.cwnd = 80 * MSS;
    tcp_cc_cubic_linux.on_loss(&cc, 0);
    CU_ASSERT_EQUAL(cc.u.cubic.l_last_max, 68u); /* 80 * 1741 / 2048 */
    CU_ASSERT_EQUAL(cc.ssthresh, 56 * MSS);

    cc.cwnd = 10 * MSS;
    tcp_cc_cubic_linux.on_rto(&cc, 0);
    CU_ASSERT_EQUAL(cc.ssthresh, 7 * MSS);
    CU_ASSERT_EQUAL(cc.cwnd, MSS);
    CU_ASSERT_EQUAL(cc.u.cubic.l_last_max, 0u);

    cc.cwnd = 2 * MSS;
    tcp_cc_cubic_linux.on_loss(&cc, 0);
    CU_ASSERT_EQUAL(cc.ssthresh, 2 * MSS);
}

/* tcp_slow_start(): each segment acknowledged adds one, a short one too; what passes
 * ssthresh is left to congestion avoidance. */
static void
test_slow_start_counts_segments(void)
{
    struct tcp_cc_state cc = fresh();
    CU_ASSERT_EQUAL(cc.cwnd, 10 * MSS);
    tcp_cc_cubic_linux.on_ack(&cc, 100, MS(10));
    CU_ASSERT_EQUAL(cc.cwnd, 11 * MSS);
    tcp_cc_cubic_linux.on_ack(&cc, 2 * MSS, MS(20));
    CU_ASSERT_EQUAL(cc.cwnd, 13 * MSS);
    cc.ssthresh = 14 * MSS;
    tcp_cc_cubic_linux.on_ack(&cc, 3 * MSS, MS(30));
    CU_ASSERT_EQUAL(cc.cwnd, 14 * MSS);
    CU_ASSERT_EQUAL(cc.bytes_acked, 2u); /* two segments carried into avoidance */
}

/* With no loss behind it (W_max 0, as after every timeout) the curve is flat at first,
 * and Linux still grows the window a segment per 20 acknowledged; then the convex part
 * of the curve takes over. The cubic-rto-ss-ca-cwnd-bump script's "1 per 20". */
static void
test_no_w_max_grows_one_per_twenty(void)
{
    struct tcp_cc_state cc = fresh();
    cc.cwnd = cc.ssthresh = 50 * MSS;
    sim_time t = 0;
    for (int i = 1; i <= 19; i++) {
        ack1(&cc, t += MS(100));
    }
    CU_ASSERT_EQUAL(cc.cwnd, 50 * MSS);
    CU_ASSERT_EQUAL(cc.u.cubic.l_cnt, 20u);
    ack1(&cc, t += MS(100));
    CU_ASSERT_EQUAL(cc.cwnd, 51 * MSS);
    /* At 4 s the epoch (begun by the first ACK) is 3.9 s old, 3993/1024 s: the curve
     * stands 410/1024 * 3.9^3 = 23 segments above its origin of 50, 18 above the window
     * of 55, so a segment grows per 55/18 = 3 acknowledged, no longer 20. */
    while (t < SEC(4)) {
        ack1(&cc, t += MS(100));
    }
    CU_ASSERT_EQUAL(cc.cwnd, 55 * MSS);
    CU_ASSERT_EQUAL(cc.u.cubic.l_cnt, 3u);
}

/* bictcp_update(): cnt is recomputed only when the window changed or more than HZ/32
 * ticks (7 at HZ 250) have passed since the last time. */
static void
test_cnt_recomputed_on_ticks(void)
{
    struct tcp_cc_state cc = fresh();
    cc.cwnd = 100 * MSS;
    tcp_cc_cubic_linux.on_loss(&cc, 0);
    sim_time t0 = SEC(1);
    ack1(&cc, t0);
    uint32_t first = cc.u.cubic.l_last_time;
    CU_ASSERT(cc.u.cubic.l_epoch_on);
    /* K = cbrt(2^40 / 410 * 30) = 4316 of 1/1024 s, 4.215 s (RFC 9438: 4.217 s). */
    CU_ASSERT_EQUAL(cc.u.cubic.l_k, 4316u);
    CU_ASSERT_EQUAL(cc.u.cubic.l_origin, 100u);
    for (int i = 1; i <= 7; i++) {
        ack1(&cc, t0 + i * TICK);
        CU_ASSERT_EQUAL(cc.u.cubic.l_last_time, first);
    }
    CU_ASSERT_EQUAL(cc.cwnd, 70 * MSS);
    ack1(&cc, t0 + 8 * TICK);
    CU_ASSERT_EQUAL(cc.u.cubic.l_last_time, first + 8);
}

/* Half an hour into an epoch (an application that kept the window full that long) the
 * curve is far above any window: cnt stays at its floor of 2, second after second, with
 * no 64-bit wrap of the cube (Linux's wraps past 347 s from K). */
static void
test_long_epoch_saturates(void)
{
    struct tcp_cc_state cc = fresh();
    cc.cwnd = 100 * MSS;
    tcp_cc_cubic_linux.on_loss(&cc, 0);
    ack1(&cc, SEC(1));
    unsigned off_floor = 0;
    for (sim_time t = SEC(60); t <= SEC(1800); t += SEC(1)) {
        ack1(&cc, t);
        off_floor += cc.u.cubic.l_cnt != 2;
    }
    CU_ASSERT_EQUAL(off_floor, 0u);
}

/* Acks a window's worth of segments spread over `rtt` from `*t`. */
static void
ack_round(struct tcp_cc_state *cc, sim_time *t, sim_time rtt)
{
    unsigned segs = cc->cwnd / MSS;
    for (unsigned i = 0; i < segs; i++) {
        ack1(cc, *t += rtt / segs);
    }
}

/* cubictcp_cwnd_event(CA_EVENT_TX_START): after 10 s without data the curve resumes
 * where it was, not 10 s further along (where it would stand 100 segments above W_max). */
static void
test_idle_moves_the_epoch(void)
{
    struct tcp_cc_state moved = fresh();
    moved.cwnd = 100 * MSS;
    tcp_cc_cubic_linux.on_loss(&moved, 0);
    sim_time t = 0;
    for (int r = 0; r < 10; r++) {
        ack_round(&moved, &t, MS(100));
    }
    struct tcp_cc_state not_moved = moved;
    uint32_t before = moved.cwnd / MSS;
    sim_time idle_since = t;
    t += SEC(10);
    tcp_cc_cubic_linux.on_tx_start(&moved, idle_since, t);
    sim_time t2 = t;
    ack_round(&moved, &t, MS(100));
    ack_round(&not_moved, &t2, MS(100));
    uint32_t grew = moved.cwnd / MSS - before;
    uint32_t jumped = not_moved.cwnd / MSS - before;
    /* A second into the epoch the curve is at 100 - 0.4 (4.215 - 1)^3 = 86.7 segments.
     * An RTT later it has moved by one segment; 10 s on, it stands far above the window,
     * and cnt at its floor of 2 grows a segment per two acknowledged: 86 + 43, and one
     * more as the window grows within the round. */
    CU_ASSERT_EQUAL(before, 86u);
    CU_ASSERT_EQUAL(grew, 1u);
    CU_ASSERT_EQUAL(jumped, 44u);
}

/* The connection's side: a Linux connection runs this CUBIC, and data that leaves with
 * nothing in flight hands it the idle time (tcp_event_data_sent(), CA_EVENT_TX_START);
 * data that leaves behind other data does not. The harness runs hz 0: ticks of 1 ms. */
static void
test_connection_hands_over_idle_time(void)
{
    struct harness *h = harness_new(fixture_established);
    CU_ASSERT_PTR_EQUAL(h->tcb->cc_ops, &tcp_cc_cubic_linux);
    tcp_user_send(h->tcb, 1000, NULL);
    harness_drain(h);
    uint32_t sent_j = (uint32_t)(h->q.now / MS(1));
    harness_feed(h, MS(10), INBOUND(.seq = REMOTE_ISS + 1, .ack = LOCAL_ISS + 1 + 1000));
    h->tcb->cc.u.cubic.l_epoch_on = true; /* an epoch begun 100 ticks before that send */
    h->tcb->cc.u.cubic.l_epoch = sent_j - 100;
    harness_advance(h, SEC(2));
    tcp_user_send(h->tcb, 1000, NULL);
    harness_drain(h);
    CU_ASSERT_EQUAL(h->tcb->cc.u.cubic.l_epoch, 2000u - 100u); /* moved on by the idle ticks */
    tcp_user_send(h->tcb, 1000, NULL);
    harness_drain(h);
    CU_ASSERT_EQUAL(h->tcb->cc.u.cubic.l_epoch, 2000u - 100u);
    harness_free(h);
}

static CU_TestInfo cubic_linux_tests[] = {
    {"Linux CUBIC: reductions in segments, beta 717/1024, W_max forgotten on RTO",
     test_reductions_count_segments},
    {"Linux CUBIC: slow start counts segments", test_slow_start_counts_segments},
    {"Linux CUBIC: no W_max, one segment per 20 acked, then convex",
     test_no_w_max_grows_one_per_twenty},
    {"Linux CUBIC: cnt recomputed after HZ/32 ticks", test_cnt_recomputed_on_ticks},
    {"Linux CUBIC: far from K, cnt saturates at 2", test_long_epoch_saturates},
    {"Linux CUBIC: idle time moves the epoch", test_idle_moves_the_epoch},
    {"Linux CUBIC: a connection hands over its idle time", test_connection_hands_over_idle_time},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo tcp_cc_cubic_linux_suites[] = {
    {"tcp congestion control, Linux CUBIC", NULL, NULL, NULL, NULL, cubic_linux_tests},
    CU_SUITE_INFO_NULL,
};
