/* SPDX-License-Identifier: MIT */
/*
 * test_tcp_fin_wait_1.c: our FIN is out, not yet acknowledged.
 */
#include <errno.h>

#include "harness.h"

#define R1 (REMOTE_ISS + 1)
#define L1 (LOCAL_ISS + 1)

/* Fifth step: "if the FIN segment is now acknowledged, then enter FIN-WAIT-2". */
static void
test_fin_wait_1_rcv_ack_of_fin_enters_fin_wait_2(void)
{
    struct harness *h = harness_new(fixture_fin_wait_1);
    harness_feed(h, MS(10), INBOUND(.seq = R1, .ack = L1 + 1));
    HARNESS_EXPECT_NONE(h, MS(10));
    CU_ASSERT_EQUAL(harness_state(h), TCP_FIN_WAIT_2);
    harness_free(h);
}

/* Eighth step: a FIN that also acks our FIN ends in TIME-WAIT, and is ACKed at once. */
static void
test_fin_wait_1_rcv_fin_ack_enters_time_wait(void)
{
    struct harness *h = harness_new(fixture_fin_wait_1);
    harness_feed(h, MS(10), INBOUND(.flags = TCP_FIN | TCP_ACK, .seq = R1, .ack = L1 + 1));
    HARNESS_EXPECT(h, MS(10), OUTBOUND(.seq = L1 + 1, .ack = R1 + 1));
    HARNESS_EXPECT_NONE(h, MS(10));
    CU_ASSERT_EQUAL(harness_state(h), TCP_TIME_WAIT);
    harness_advance(h, MS(10) + 2 * h->st.sysctl.msl - 1);
    CU_ASSERT_EQUAL(harness_state(h), TCP_TIME_WAIT);
    harness_advance(h, MS(10) + 2 * h->st.sysctl.msl);
    CU_ASSERT_EQUAL(harness_state(h), TCP_CLOSED);
    harness_free(h);
}

/* A FIN that does not ack ours: simultaneous close, CLOSING. */
static void
test_fin_wait_1_rcv_fin_enters_closing(void)
{
    struct harness *h = harness_new(fixture_fin_wait_1);
    harness_feed(h, MS(10), INBOUND(.flags = TCP_FIN | TCP_ACK, .seq = R1, .ack = L1));
    HARNESS_EXPECT(h, MS(10), OUTBOUND(.seq = L1 + 1, .ack = R1 + 1));
    CU_ASSERT_EQUAL(harness_state(h), TCP_CLOSING);
    harness_free(h);
}

/* Half-close: after shutdown(SHUT_WR) the peer may still send; we take it. */
static void
test_fin_wait_1_rcv_data_after_shutdown_is_taken(void)
{
    struct harness *h = harness_new(fixture_fin_wait_1);
    harness_feed(h, MS(10), INBOUND(.seq = R1, .ack = L1, .len = 50));
    HARNESS_EXPECT(h, MS(10), OUTBOUND(.seq = L1 + 1, .ack = R1 + 50));
    CU_ASSERT_EQUAL(tcp_rcv_queued(h->tcb), 50);
    harness_free(h);
}

/* Linux: data for an application that closed the socket resets the connection. */
static void
test_fin_wait_1_rcv_data_after_close_sends_rst(void)
{
    struct harness *h = harness_new(fixture_established);
    tcp_user_close(h->tcb);
    HARNESS_EXPECT(h, 0, OUTBOUND(.flags = TCP_FIN | TCP_ACK, .seq = L1, .ack = R1));
    harness_feed(h, MS(10), INBOUND(.seq = R1, .ack = L1, .len = 50));
    HARNESS_EXPECT(h, MS(10), OUTBOUND(.flags = TCP_RST, .seq = L1));
    CU_ASSERT_EQUAL(harness_state(h), TCP_CLOSED);
    CU_ASSERT_EQUAL(h->st.mib[TCP_MIB_ABORT_ON_DATA], 1);
    harness_free(h);
}

/* The FIN is retransmitted on the retransmission timer. */
static void
test_fin_wait_1_fin_is_retransmitted(void)
{
    struct harness *h = harness_new(fixture_fin_wait_1);
    sim_time rto = h->tcb->rto;
    HARNESS_EXPECT_NONE(h, rto - 1);
    HARNESS_EXPECT(h, rto, OUTBOUND(.flags = TCP_FIN | TCP_ACK, .seq = L1, .ack = R1));
    HARNESS_EXPECT(h, rto + 2 * rto, OUTBOUND(.flags = TCP_FIN | TCP_ACK, .seq = L1, .ack = R1));
    harness_free(h);
}

static CU_TestInfo fin_wait_1_tests[] = {
    {"rcv ACK of our FIN: FIN-WAIT-2", test_fin_wait_1_rcv_ack_of_fin_enters_fin_wait_2},
    {"rcv FIN+ACK of our FIN: TIME-WAIT for 2*MSL", test_fin_wait_1_rcv_fin_ack_enters_time_wait},
    {"rcv FIN alone: CLOSING", test_fin_wait_1_rcv_fin_enters_closing},
    {"rcv data after shutdown(WR): taken", test_fin_wait_1_rcv_data_after_shutdown_is_taken},
    {"rcv data after close(): RST (Linux)", test_fin_wait_1_rcv_data_after_close_sends_rst},
    {"FIN retransmitted with backoff", test_fin_wait_1_fin_is_retransmitted},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo tcp_fin_wait_1_suites[] = {
    {"tcp FIN-WAIT-1", NULL, NULL, NULL, NULL, fin_wait_1_tests},
    CU_SUITE_INFO_NULL,
};
