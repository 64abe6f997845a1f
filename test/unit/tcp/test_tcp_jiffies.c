/* SPDX-License-Identifier: MIT */
/*
 * test_tcp_jiffies.c: timers on ticks (the hz knob): Linux runs TCP's timers on jiffies,
 * 4 ms each with HZ=250, and its timer wheel rounds long timeouts up to the bucket of
 * their level (kernel/time/timer.c). Measured on Linux 6.18: 1 s fires at about
 * 1.024 s, 2 s at 2.016 s, 4 s at about 4.1 s.
 */
#include "harness.h"

#define R1 (REMOTE_ISS + 1)
#define L1 (LOCAL_ISS + 1)

/* Timeouts armed at time 0, as Linux's wheel fires them with HZ=250, the tick count
 * standing at 0. */
static void
test_wheel_rounds_as_measured(void)
{
    struct harness *h = harness_new(fixture_closed);
    h->st.sysctl.hz = 250;
    h->st.sysctl.initial_jiffies = 0;
    CU_ASSERT_EQUAL(tcp_timer_expiry(&h->st, MS(40)), MS(44)); /* level 0: the next tick */
    CU_ASSERT_EQUAL(tcp_timer_expiry(&h->st, SEC(1)), MS(1024)); /* level 1: 32 ms buckets */
    CU_ASSERT_EQUAL(tcp_timer_expiry(&h->st, SEC(2)), MS(2016));
    CU_ASSERT_EQUAL(tcp_timer_expiry(&h->st, SEC(4)), MS(4096)); /* level 2: 256 ms */
    CU_ASSERT_EQUAL(tcp_timer_expiry(&h->st, SEC(60)), MS(61440)); /* TIME_WAIT: 2 s */
    h->st.sysctl.hz = 0;
    CU_ASSERT_EQUAL(tcp_timer_expiry(&h->st, SEC(1)), SEC(1)); /* exact: the RFC personality */
    harness_free(h);
}

/* Two timers armed a little apart within one tick come due together. */
static void
test_timers_within_a_tick_fire_together(void)
{
    struct harness *h = harness_new(fixture_closed);
    h->st.sysctl.hz = 250;
    harness_advance(h, MS(8) + US(100));
    sim_time a = tcp_timer_expiry(&h->st, MS(40));
    harness_advance(h, MS(11) + US(900));
    sim_time b = tcp_timer_expiry(&h->st, MS(40));
    CU_ASSERT_EQUAL(a, b);
    CU_ASSERT_EQUAL(a, MS(52)); /* tick 2 + 10 ticks, due at the start of tick 13 */
    harness_free(h);
}

/* The delayed ACK of a FIN after data: 40 ms, on the tick: the FIN arrives at 10 ms
 * (tick 2), the ACK goes at the start of tick 13 (52 ms), not at 50 ms. */
static void
test_delack_on_ticks(void)
{
    struct harness *h = harness_new(fixture_established);
    h->st.sysctl.hz = 250;
    harness_feed(h, MS(5), INBOUND(.seq = R1, .ack = L1, .len = 100));
    HARNESS_EXPECT(h, MS(5), OUTBOUND(.seq = L1, .ack = R1 + 100));
    harness_feed(h, MS(10), INBOUND(.flags = TCP_FIN | TCP_ACK, .seq = R1 + 100, .ack = L1));
    HARNESS_EXPECT_NONE(h, MS(51));
    HARNESS_EXPECT(h, MS(52), OUTBOUND(.seq = L1, .ack = R1 + 101));
    harness_free(h);
}

/* The retransmission timer: data sent at 100 ms (tick 25) with an RTO of 1 s (250
 * ticks) is due at tick 275, which the wheel files in the 8-tick bucket ending at tick
 * 280: it is resent at 1.120 s. */
static void
test_rto_on_the_wheel(void)
{
    struct harness *h = harness_new(fixture_established);
    h->st.sysctl.hz = 250;
    h->tcb->rto = SEC(1);
    harness_advance(h, MS(100));
    tcp_user_send(h->tcb, 100, NULL);
    harness_drain(h);
    HARNESS_EXPECT_NONE(h, MS(1119));
    HARNESS_EXPECT(h, MS(1120), OUTBOUND(.flags = TCP_ACK | TCP_PSH, .seq = L1, .ack = R1,
                                         .len = 100));
    harness_free(h);
}

/* Where the tick count stands decides where the coarse buckets fall. By default it
 * starts as Linux's does at boot, INITIAL_JIFFIES = 2^32 - 300*HZ: a multiple of 8 (so
 * level 1 is as from 0), but 8 past a multiple of 64 and 264 past one of 512, so 4 s
 * (1000 ticks, level 2) fires at 4.064 s and TIME_WAIT's 60 s (level 3) at 60.384 s. */
static void
test_wheel_from_boot(void)
{
    struct harness *h = harness_new(fixture_closed);
    h->st.sysctl.hz = 250;
    h->st.sysctl.initial_jiffies = -1;
    CU_ASSERT_EQUAL(tcp_jiffies_at(&h->st.sysctl, 0), 4294967296LL - 75000);
    CU_ASSERT_EQUAL(tcp_timer_expiry(&h->st, SEC(1)), MS(1024));
    CU_ASSERT_EQUAL(tcp_timer_expiry(&h->st, SEC(4)), MS(4064));
    CU_ASSERT_EQUAL(tcp_timer_expiry(&h->st, SEC(60)), MS(60384));
    harness_free(h);
}

/* A 300 ms timer (75 ticks, level 1) fires on the next multiple of 8 past the count
 * plus 75: 76 to 83 ticks on, 304 to 332 ms, by where the count stands. */
static void
test_wheel_phase_decides_lateness(void)
{
    struct harness *h = harness_new(fixture_closed);
    h->st.sysctl.hz = 250;
    static const int64_t ticks[8] = {80, 79, 78, 77, 76, 83, 82, 81};
    for (int64_t j = 0; j < 8; j++) {
        h->st.sysctl.initial_jiffies = 4294967296LL + j;
        CU_ASSERT_EQUAL(tcp_timer_expiry(&h->st, MS(300)), ticks[j] * MS(4));
        CU_ASSERT_EQUAL(tcp_wheel_level(250, 75), 1);
    }
    CU_ASSERT_EQUAL(tcp_wheel_level(250, 62), 0);
    CU_ASSERT_EQUAL(tcp_wheel_level(250, 63), 1);
    CU_ASSERT_EQUAL(tcp_wheel_level(250, 504), 2);
    harness_free(h);
}

/* tick_phase: time 0 falls 1 ms into a tick, so the ticks come at 3, 7, 11 ... ms, and a
 * 40 ms timer armed at 0 (10 ticks, level 0) runs at the 11th tick, 43 ms. */
static void
test_tick_phase(void)
{
    struct harness *h = harness_new(fixture_closed);
    h->st.sysctl.hz = 250;
    h->st.sysctl.initial_jiffies = 0;
    h->st.sysctl.tick_phase = MS(1);
    CU_ASSERT_EQUAL(tcp_jiffies_at(&h->st.sysctl, MS(2)), 0);
    CU_ASSERT_EQUAL(tcp_jiffies_at(&h->st.sysctl, MS(3)), 1);
    CU_ASSERT_EQUAL(tcp_jiffies_time(&h->st.sysctl, 1), MS(3));
    CU_ASSERT_EQUAL(tcp_timer_expiry(&h->st, MS(40)), MS(43));
    harness_free(h);
}

/* Linux keeps the RTO in whole jiffies (__tcp_set_rto()): a 15 ms path gets 15 + 200 ms
 * rounded up to 54 ticks, 216 ms; without ticks (hz 0) it stays 215 ms. */
static void
test_rto_in_whole_ticks(void)
{
    struct harness *h = harness_new(fixture_closed);
    h->st.sysctl.hz = 250;
    tcp_rtt_sample(h->tcb, MS(15));
    CU_ASSERT_EQUAL(h->tcb->rto, MS(216));
    h->st.sysctl.hz = 0;
    tcp_rtt_sample(h->tcb, MS(15));
    CU_ASSERT_EQUAL(h->tcb->rto, MS(215));
    harness_free(h);
}

/* The RTO backs off in whole ticks, and each expiry is filed in the wheel anew (the
 * peer-vanishes capture of Linux 6.18): a 2 ms path has an RTO of 51 ticks, which
 * (level 0) from tick 0 runs at tick 52 (208 ms); then 102 ticks (level 1) from tick 52
 * are due at tick 154 and run at 160 (640 ms), the next multiple of 8. */
static void
test_rto_backoff_on_the_wheel(void)
{
    struct harness *h = harness_new(fixture_established);
    h->st.sysctl.hz = 250;
    h->st.sysctl.initial_jiffies = 0;
    h->tcb->rtt_seeded = false;
    tcp_rtt_sample(h->tcb, MS(2));
    CU_ASSERT_EQUAL(h->tcb->rto, MS(204)); /* 202 ms: 51 ticks */
    tcp_user_send(h->tcb, 100, NULL);
    HARNESS_EXPECT(h, 0, OUTBOUND(.flags = TCP_ACK | TCP_PSH, .seq = L1, .ack = R1, .len = 100));
    HARNESS_EXPECT_NONE(h, MS(207));
    HARNESS_EXPECT(h, MS(208), OUTBOUND(.flags = TCP_ACK | TCP_PSH, .seq = L1, .ack = R1,
                                        .len = 100));
    CU_ASSERT_EQUAL(h->tcb->rto, MS(408));
    HARNESS_EXPECT_NONE(h, MS(639));
    HARNESS_EXPECT(h, MS(640), OUTBOUND(.flags = TCP_ACK | TCP_PSH, .seq = L1, .ack = R1,
                                        .len = 100));
    harness_free(h);
}

static CU_TestInfo jiffies_tests[] = {
    {"the wheel rounds 1 s, 2 s, 4 s as measured", test_wheel_rounds_as_measured},
    {"timers within a tick fire together", test_timers_within_a_tick_fire_together},
    {"the delayed ACK runs on ticks", test_delack_on_ticks},
    {"the RTO runs on the wheel", test_rto_on_the_wheel},
    {"the tick count starts as Linux's at boot", test_wheel_from_boot},
    {"where the count stands decides how late", test_wheel_phase_decides_lateness},
    {"tick_phase moves the ticks", test_tick_phase},
    {"the RTO is whole ticks", test_rto_in_whole_ticks},
    {"the RTO backs off on the wheel", test_rto_backoff_on_the_wheel},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo tcp_jiffies_suites[] = {
    {"tcp timers on jiffies (hz)", NULL, NULL, NULL, NULL, jiffies_tests},
    CU_SUITE_INFO_NULL,
};
