/* SPDX-License-Identifier: MIT */
/*
 * test_tcp_close_wait.c: the peer closed; we may still send, then close.
 */
#include <errno.h>

#include "harness.h"

#define R1 (REMOTE_ISS + 1)
#define L1 (LOCAL_ISS + 1)

/* CLOSE (§3.10.4): "send a FIN segment, enter LAST-ACK state" (after queued data). */
static void
test_close_wait_close_sends_fin(void)
{
    struct harness *h = harness_new(fixture_close_wait);
    tcp_user_send(h->tcb, 100, NULL);
    tcp_user_shutdown(h->tcb, false, true);
    HARNESS_EXPECT(h, MS(60), OUTBOUND(.flags = TCP_ACK | TCP_PSH, .seq = L1, .ack = R1 + 1,
                                       .len = 100));
    HARNESS_EXPECT(h, MS(60), OUTBOUND(.flags = TCP_FIN | TCP_ACK, .seq = L1 + 100, .ack = R1 + 1));
    CU_ASSERT_EQUAL(harness_state(h), TCP_LAST_ACK);
    harness_free(h);
}

/* Linux: a RST in CLOSE-WAIT reports EPIPE (tcp_reset()). */
static void
test_close_wait_rcv_rst_closes_with_epipe(void)
{
    struct harness *h = harness_new(fixture_close_wait);
    harness_feed(h, MS(60), INBOUND(.flags = TCP_RST, .seq = R1 + 1));
    CU_ASSERT_EQUAL(harness_state(h), TCP_CLOSED);
    CU_ASSERT_EQUAL(h->tcb->so_error, EPIPE);
    harness_free(h);
}

/* Seventh step: text after the peer's FIN "should not occur. Ignore the segment text":
 * dropped without an ACK, as Linux's tcp_rcv_state_process() drops it. */
static void
test_close_wait_rcv_data_is_ignored(void)
{
    struct harness *h = harness_new(fixture_close_wait);
    harness_feed(h, MS(60), INBOUND(.seq = R1 + 1, .ack = L1, .len = 10));
    HARNESS_EXPECT_NONE(h, MS(100));
    CU_ASSERT_EQUAL(tcp_rcv_queued(h->tcb), 0);
    CU_ASSERT_EQUAL(harness_state(h), TCP_CLOSE_WAIT);
    harness_free(h);
}

static CU_TestInfo close_wait_tests[] = {
    {"close: queued data, then FIN, LAST-ACK", test_close_wait_close_sends_fin},
    {"rcv RST: CLOSED with EPIPE (Linux)", test_close_wait_rcv_rst_closes_with_epipe},
    {"rcv data after the FIN: ignored", test_close_wait_rcv_data_is_ignored},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo tcp_close_wait_suites[] = {
    {"tcp CLOSE-WAIT", NULL, NULL, NULL, NULL, close_wait_tests},
    CU_SUITE_INFO_NULL,
};
