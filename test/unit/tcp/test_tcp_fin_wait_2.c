/* SPDX-License-Identifier: MIT */
/*
 * test_tcp_fin_wait_2.c: our FIN is acknowledged; waiting for the peer's.
 */
#include "harness.h"

#define R1 (REMOTE_ISS + 1)
#define L1 (LOCAL_ISS + 1)

/* Eighth step: "Enter the TIME-WAIT state", ACK the FIN. */
static void
test_fin_wait_2_rcv_fin_enters_time_wait(void)
{
    struct harness *h = harness_new(fixture_fin_wait_2);
    harness_feed(h, MS(10), INBOUND(.flags = TCP_FIN | TCP_ACK, .seq = R1, .ack = L1 + 1));
    HARNESS_EXPECT(h, MS(10), OUTBOUND(.seq = L1 + 1, .ack = R1 + 1));
    CU_ASSERT_EQUAL(harness_state(h), TCP_TIME_WAIT);
    harness_free(h);
}

/* Half-close: the peer's data keeps flowing to us. */
static void
test_fin_wait_2_data_keeps_flowing(void)
{
    struct harness *h = harness_new(fixture_fin_wait_2);
    harness_feed(h, MS(10), INBOUND(.seq = R1, .ack = L1 + 1, .len = 1000));
    HARNESS_EXPECT(h, MS(10), OUTBOUND(.seq = L1 + 1, .ack = R1 + 1000));
    CU_ASSERT_EQUAL(tcp_rcv_queued(h->tcb), 1000);
    harness_free(h);
}

/* Linux: an orphaned FIN-WAIT-2 connection goes away after tcp_fin_timeout. */
static void
test_fin_wait_2_orphan_times_out(void)
{
    struct harness *h = harness_new(fixture_established);
    tcp_user_close(h->tcb);
    HARNESS_EXPECT(h, 0, OUTBOUND(.flags = TCP_FIN | TCP_ACK, .seq = L1, .ack = R1));
    harness_feed(h, MS(10), INBOUND(.seq = R1, .ack = L1 + 1));
    CU_ASSERT_EQUAL(harness_state(h), TCP_FIN_WAIT_2);
    harness_advance(h, MS(10) + SEC(60) - 1);
    CU_ASSERT_EQUAL(harness_state(h), TCP_FIN_WAIT_2);
    HARNESS_EXPECT_NONE(h, MS(10) + SEC(60));
    CU_ASSERT_EQUAL(harness_state(h), TCP_CLOSED);
    harness_free(h);
}

static CU_TestInfo fin_wait_2_tests[] = {
    {"rcv FIN: TIME-WAIT, ACK", test_fin_wait_2_rcv_fin_enters_time_wait},
    {"data from the peer keeps flowing (half-close)", test_fin_wait_2_data_keeps_flowing},
    {"orphan: gone after tcp_fin_timeout (Linux)", test_fin_wait_2_orphan_times_out},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo tcp_fin_wait_2_suites[] = {
    {"tcp FIN-WAIT-2", NULL, NULL, NULL, NULL, fin_wait_2_tests},
    CU_SUITE_INFO_NULL,
};
