/* SPDX-License-Identifier: MIT */
/*
 * test_tcp_retransmit.c: the RFC 6298 estimator, Karn's rule, backoff, the retry budget
 * (Linux tcp_retries2), and fast retransmit (RFC 5681 §3.2).
 */
#include <errno.h>

#include "harness.h"

#define R1 (REMOTE_ISS + 1)
#define L1 (LOCAL_ISS + 1)

/* RFC 6298 §2.2-2.3 worked through: samples of 100 ms then 200 ms. */
static void
test_rtt_estimator_worked_numbers(void)
{
    struct harness *h = harness_new(fixture_closed);
    struct tcp_tcb *t = h->tcb;
    CU_ASSERT_EQUAL(t->rto, SEC(1)); /* §2.1: 1 s before any sample */
    tcp_rtt_sample(t, MS(100));
    CU_ASSERT_EQUAL(t->srtt, MS(100));
    CU_ASSERT_EQUAL(t->rttvar, MS(50));
    /* Linux: SRTT + max(4*RTTVAR, rto_min) = 100 + 200 */
    CU_ASSERT_EQUAL(t->rto, MS(300));
    tcp_rtt_sample(t, MS(200));
    CU_ASSERT_EQUAL(t->rttvar, US(62500)); /* 3/4 * 50 + 1/4 * |100 - 200| */
    CU_ASSERT_EQUAL(t->srtt, US(112500));  /* 7/8 * 100 + 1/8 * 200 */
    CU_ASSERT_EQUAL(t->rto, US(362500));   /* 112.5 + 4 * 62.5 */
    harness_free(h);
}

/* The RFC personality: RTO = max(1 s, SRTT + max(G, 4*RTTVAR)) (§2.4). */
static void
test_rtt_estimator_rfc_floor(void)
{
    struct harness *h = harness_new(fixture_closed);
    tcp_sysctl_defaults(&h->st.sysctl, TCP_PERSONALITY_RFC);
    tcp_rtt_sample(h->tcb, MS(100));
    CU_ASSERT_EQUAL(h->tcb->rto, SEC(1));
    tcp_rtt_sample(h->tcb, SEC(2));
    CU_ASSERT(h->tcb->rto > SEC(2));
    harness_free(h);
}

/* RFC 6298 §5.5: the RTO doubles at each expiry; the same first segment goes again. */
static void
test_rto_backs_off_exponentially(void)
{
    struct harness *h = harness_new(fixture_established);
    tcp_user_send(h->tcb, 100, NULL);
    HARNESS_EXPECT(h, 0, OUTBOUND(.flags = TCP_ACK | TCP_PSH, .seq = L1, .ack = R1, .len = 100));
    sim_time t = 0;
    sim_time rto = MS(200);
    for (int i = 0; i < 4; i++) {
        t += rto;
        HARNESS_EXPECT_NONE(h, t - 1);
        HARNESS_EXPECT(h, t, OUTBOUND(.flags = TCP_ACK | TCP_PSH, .seq = L1, .ack = R1, .len = 100));
        rto *= 2;
    }
    CU_ASSERT_EQUAL(h->tcb->backoff, 4);
    /* An ACK of new data ends the backoff. */
    harness_feed(h, t + MS(10), INBOUND(.seq = R1, .ack = L1 + 100));
    CU_ASSERT_EQUAL(h->tcb->backoff, 0);
    CU_ASSERT_FALSE(ev_pending(&h->tcb->timer.rto));
    harness_free(h);
}

/* After a timeout rewinds SND.NXT, a pure ACK still carries the next new sequence
 * number (SND.MAX): numbered at the rewound SND.NXT it could fall below what the peer
 * already has, be "not acceptable" there, and take its acknowledgment with it. */
static void
test_ack_after_rto_carries_snd_max(void)
{
    struct harness *h = harness_new(fixture_established);
    tcp_user_send(h->tcb, 3 * 1460, NULL);
    harness_drain(h);
    HARNESS_EXPECT(h, MS(200),
                   OUTBOUND(.flags = TCP_ACK, .seq = L1, .ack = R1, .len = 1460));
    harness_feed(h, MS(210), INBOUND(.seq = R1, .ack = L1, .flags = TCP_ACK | TCP_PSH,
                                     .len = 10));
    HARNESS_EXPECT(h, MS(210), OUTBOUND(.seq = L1 + 3 * 1460, .ack = R1 + 10, .len = 0));
    harness_free(h);
}

/* Karn's algorithm: the ACK of a retransmitted segment gives no RTT sample. */
static void
test_karn_no_sample_from_retransmission(void)
{
    struct harness *h = harness_new(fixture_established);
    sim_time srtt = h->tcb->srtt;
    tcp_user_send(h->tcb, 100, NULL);
    harness_advance(h, MS(200)); /* retransmitted */
    harness_feed(h, MS(250), INBOUND(.seq = R1, .ack = L1 + 100));
    CU_ASSERT_EQUAL(h->tcb->srtt, srtt);
    harness_free(h);
}

/* Linux: tcp_retries2 is a time budget. With 3: 200 ms * (2^4 - 1) = 3 s, so the
 * retransmissions at 0.2, 0.6 and 1.4 s are followed by ETIMEDOUT at 3.0 s, no RST. */
static void
test_retries2_budget_gives_etimedout(void)
{
    struct harness *h = harness_new(fixture_established);
    h->st.sysctl.tcp_retries2 = 3;
    tcp_user_send(h->tcb, 100, NULL);
    harness_drain(h);
    harness_advance(h, MS(1400));
    guint n = 0;
    g_free(harness_take(h, &n));
    CU_ASSERT_EQUAL(n, 3);
    harness_advance(h, MS(3000) - 1);
    CU_ASSERT_EQUAL(harness_state(h), TCP_ESTABLISHED);
    HARNESS_EXPECT_NONE(h, MS(3000));
    CU_ASSERT_EQUAL(harness_state(h), TCP_CLOSED);
    CU_ASSERT_EQUAL(h->tcb->so_error, ETIMEDOUT);
    harness_free(h);
}

/* RFC 5681 §3.2: the third duplicate ACK retransmits the missing segment at once. */
static void
test_fast_retransmit_on_third_dupack(void)
{
    struct harness *h = harness_new(fixture_established);
    tcp_user_send(h->tcb, 5 * 1460, NULL);
    guint n = 0;
    g_free(harness_take(h, &n));
    CU_ASSERT_EQUAL(n, 5);
    for (int i = 0; i < 2; i++) {
        harness_feed(h, MS(10 + i), INBOUND(.seq = R1, .ack = L1));
    }
    HARNESS_EXPECT_NONE(h, MS(11));
    harness_feed(h, MS(12), INBOUND(.seq = R1, .ack = L1));
    HARNESS_EXPECT(h, MS(12), OUTBOUND(.seq = L1, .ack = R1, .len = 1460));
    CU_ASSERT_TRUE(h->tcb->in_recovery);
    CU_ASSERT_EQUAL(h->st.mib[TCP_MIB_FAST_RETRANS], 1);
    harness_free(h);
}

static CU_TestInfo retransmit_tests[] = {
    {"RFC 6298 estimator, worked numbers (Linux floor)", test_rtt_estimator_worked_numbers},
    {"RFC personality: RTO at least 1 s", test_rtt_estimator_rfc_floor},
    {"RTO doubles at each expiry; an ACK ends it", test_rto_backs_off_exponentially},
    {"pure ACK after a timeout: SND.MAX, not the rewound SND.NXT",
     test_ack_after_rto_carries_snd_max},
    {"Karn: no sample from a retransmission", test_karn_no_sample_from_retransmission},
    {"tcp_retries2 spent: ETIMEDOUT", test_retries2_budget_gives_etimedout},
    {"third duplicate ACK: fast retransmit", test_fast_retransmit_on_third_dupack},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo tcp_retransmit_suites[] = {
    {"tcp retransmission", NULL, NULL, NULL, NULL, retransmit_tests},
    CU_SUITE_INFO_NULL,
};
