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

/* Timeouts armed at time 0, as Linux's wheel fires them with HZ=250. */
static void
test_wheel_rounds_as_measured(void)
{
    struct harness *h = harness_new(fixture_closed);
    h->st.sysctl.hz = 250;
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

static CU_TestInfo jiffies_tests[] = {
    {"the wheel rounds 1 s, 2 s, 4 s as measured", test_wheel_rounds_as_measured},
    {"timers within a tick fire together", test_timers_within_a_tick_fire_together},
    {"the delayed ACK runs on ticks", test_delack_on_ticks},
    {"the RTO runs on the wheel", test_rto_on_the_wheel},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo tcp_jiffies_suites[] = {
    {"tcp timers on jiffies (hz)", NULL, NULL, NULL, NULL, jiffies_tests},
    CU_SUITE_INFO_NULL,
};
