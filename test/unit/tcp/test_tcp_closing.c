/* SPDX-License-Identifier: MIT */
/*
 * test_tcp_closing.c: simultaneous close: both FINs crossed.
 */
#include <errno.h>

#include "harness.h"

#define R1 (REMOTE_ISS + 1)
#define L1 (LOCAL_ISS + 1)

/* Fifth step: "if the ACK acknowledges our FIN, then enter the TIME-WAIT state". */
static void
test_closing_rcv_ack_of_fin_enters_time_wait(void)
{
    struct harness *h = harness_new(fixture_closing);
    harness_feed(h, MS(10), INBOUND(.seq = R1 + 1, .ack = L1 + 1));
    HARNESS_EXPECT_NONE(h, MS(10));
    CU_ASSERT_EQUAL(harness_state(h), TCP_TIME_WAIT);
    harness_free(h);
}

/* An ACK that does not cover our FIN changes nothing. */
static void
test_closing_rcv_old_ack_stays(void)
{
    struct harness *h = harness_new(fixture_closing);
    harness_feed(h, MS(10), INBOUND(.seq = R1 + 1, .ack = L1));
    CU_ASSERT_EQUAL(harness_state(h), TCP_CLOSING);
    harness_free(h);
}

/* The ACK of our FIN carrying text: fifth step to TIME-WAIT, the text ignored (seventh
 * step), nothing sent (Linux: tcp_time_wait(), the segment consumed). This reached an
 * assertion before: the text step did not expect TIME-WAIT. */
static void
test_closing_rcv_ack_of_fin_with_text_enters_time_wait(void)
{
    struct harness *h = harness_new(fixture_closing);
    harness_feed(h, MS(10), INBOUND(.seq = R1 + 1, .ack = L1 + 1, .len = 10));
    HARNESS_EXPECT_NONE(h, MS(100));
    CU_ASSERT_EQUAL(harness_state(h), TCP_TIME_WAIT);
    CU_ASSERT_EQUAL(tcp_rcv_queued(h->tcb), 0);
    harness_free(h);
}

/* Simultaneous close, then a RST at RCV.NXT: CLOSED; Linux (tcp_reset()) leaves
 * ECONNRESET for the application's next call. */
static void
test_closing_rcv_rst_econnreset(void)
{
    struct harness *h = harness_new(fixture_closing);
    harness_feed(h, MS(30), INBOUND(.flags = TCP_RST, .seq = REMOTE_ISS + 2));
    HARNESS_EXPECT_NONE(h, MS(30));
    CU_ASSERT_EQUAL(harness_state(h), TCP_CLOSED);
    CU_ASSERT_EQUAL(h->tcb->so_error, ECONNRESET);
    CU_ASSERT_EQUAL(tcp_user_send(h->tcb, 10, NULL), -ECONNRESET);
    harness_free(h);
}

static CU_TestInfo closing_tests[] = {
    {"rcv RST: CLOSED, ECONNRESET to the next call (Linux)", test_closing_rcv_rst_econnreset},
    {"rcv ACK of our FIN: TIME-WAIT", test_closing_rcv_ack_of_fin_enters_time_wait},
    {"rcv ACK not covering our FIN: stays", test_closing_rcv_old_ack_stays},
    {"rcv ACK of our FIN with text: TIME-WAIT, text ignored",
     test_closing_rcv_ack_of_fin_with_text_enters_time_wait},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo tcp_closing_suites[] = {
    {"tcp CLOSING", NULL, NULL, NULL, NULL, closing_tests},
    CU_SUITE_INFO_NULL,
};
