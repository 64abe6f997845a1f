/* SPDX-License-Identifier: MIT */
/*
 * test_tcp_last_ack.c: we closed second; waiting for the ACK of our FIN.
 */
#include <errno.h>

#include "harness.h"

#define R1 (REMOTE_ISS + 1)
#define L1 (LOCAL_ISS + 1)

/* "If our FIN is now acknowledged, delete the TCB, enter the CLOSED state". */
static void
test_last_ack_rcv_ack_of_fin_closes(void)
{
    struct harness *h = harness_new(fixture_last_ack);
    harness_feed(h, MS(70), INBOUND(.seq = R1 + 1, .ack = L1 + 1));
    HARNESS_EXPECT_NONE(h, MS(70));
    CU_ASSERT_EQUAL(harness_state(h), TCP_CLOSED);
    CU_ASSERT_EQUAL(h->tcb->so_error, 0);
    harness_free(h);
}

/* The last ACK was lost: our FIN goes again when the timer fires. */
static void
test_last_ack_fin_is_retransmitted(void)
{
    struct harness *h = harness_new(fixture_last_ack);
    sim_time rto = h->tcb->rto;
    HARNESS_EXPECT(h, MS(50) + rto, OUTBOUND(.flags = TCP_FIN | TCP_ACK, .seq = L1, .ack = R1 + 1));
    CU_ASSERT_EQUAL(harness_state(h), TCP_LAST_ACK);
    harness_free(h);
}

/* A RST at RCV.NXT: CLOSED. Linux (tcp_reset()) reports ECONNRESET to the next call of
 * the application, which only shut down writing; its recv() had read EOF already. */
static void
test_last_ack_rcv_rst_econnreset(void)
{
    struct harness *h = harness_new(fixture_last_ack);
    harness_feed(h, MS(70), INBOUND(.flags = TCP_RST, .seq = R1 + 1));
    HARNESS_EXPECT_NONE(h, MS(70));
    CU_ASSERT_EQUAL(harness_state(h), TCP_CLOSED);
    CU_ASSERT_EQUAL(h->tcb->so_error, ECONNRESET);
    CU_ASSERT_EQUAL(tcp_user_recv(h->tcb, 100, NULL), 0);
    CU_ASSERT_EQUAL(tcp_user_send(h->tcb, 100, NULL), -ECONNRESET);
    CU_ASSERT_EQUAL(tcp_user_send(h->tcb, 100, NULL), -ENOTCONN); /* reported once */
    harness_free(h);
}

/* RFC 9293: "enter the CLOSED state, delete the TCB, and return": no error. */
static void
test_last_ack_rcv_rst_rfc_silent(void)
{
    struct harness *h = harness_new_personality(fixture_last_ack, TCP_PERSONALITY_RFC);
    harness_feed(h, MS(70), INBOUND(.flags = TCP_RST, .seq = R1 + 1));
    CU_ASSERT_EQUAL(harness_state(h), TCP_CLOSED);
    CU_ASSERT_EQUAL(h->tcb->so_error, 0);
    harness_free(h);
}

static CU_TestInfo last_ack_tests[] = {
    {"rcv RST: CLOSED, ECONNRESET to the next call (Linux)", test_last_ack_rcv_rst_econnreset},
    {"rcv RST: CLOSED, no error (RFC)", test_last_ack_rcv_rst_rfc_silent},
    {"rcv ACK of our FIN: CLOSED", test_last_ack_rcv_ack_of_fin_closes},
    {"no ACK: the FIN is retransmitted", test_last_ack_fin_is_retransmitted},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo tcp_last_ack_suites[] = {
    {"tcp LAST-ACK", NULL, NULL, NULL, NULL, last_ack_tests},
    CU_SUITE_INFO_NULL,
};
