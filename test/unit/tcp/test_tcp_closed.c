/* SPDX-License-Identifier: MIT */
/*
 * test_tcp_closed.c: segments for no connection (RFC 9293 §3.10.7.1, CLOSED).
 */
#include <errno.h>

#include "harness.h"

/* "If the ACK bit is off, sequence number zero is used, <SEQ=0><ACK=SEG.SEQ+SEG.LEN>
 * <CTL=RST,ACK>": a SYN to a closed port is refused this way. */
static void
test_closed_rcv_syn_sends_rst_ack(void)
{
    struct harness *h = harness_new(fixture_closed);
    harness_feed(h, MS(1), INBOUND(.flags = TCP_SYN, .seq = REMOTE_ISS));
    HARNESS_EXPECT(h, MS(1), OUTBOUND(.flags = TCP_RST | TCP_ACK, .seq = 0, .ack = REMOTE_ISS + 1,
                                      .win = 0));
    HARNESS_EXPECT_NONE(h, MS(1));
    CU_ASSERT_EQUAL(h->st.mib[TCP_MIB_OUT_RSTS], 1);
    harness_free(h);
}

/* "If the ACK bit is on, <SEQ=SEG.ACK><CTL=RST>". */
static void
test_closed_rcv_ack_sends_rst_at_its_ack(void)
{
    struct harness *h = harness_new(fixture_closed);
    harness_feed(h, MS(1), INBOUND(.seq = 1000, .ack = 777));
    HARNESS_EXPECT(h, MS(1), OUTBOUND(.flags = TCP_RST, .seq = 777, .win = 0));
    harness_free(h);
}

/* SEG.LEN counts the data, the SYN and the FIN. */
static void
test_closed_rcv_data_and_fin_acks_all_of_it(void)
{
    struct harness *h = harness_new(fixture_closed);
    harness_feed(h, MS(1), INBOUND(.flags = TCP_FIN | TCP_PSH, .seq = 100, .len = 10));
    HARNESS_EXPECT(h, MS(1), OUTBOUND(.flags = TCP_RST | TCP_ACK, .seq = 0, .ack = 111, .win = 0));
    harness_free(h);
}

/* "An incoming segment containing a RST is discarded." */
static void
test_closed_rcv_rst_is_not_answered(void)
{
    struct harness *h = harness_new(fixture_closed);
    harness_feed(h, MS(1), INBOUND(.flags = TCP_RST | TCP_ACK, .seq = 5, .ack = 6));
    harness_feed(h, MS(2), INBOUND(.flags = TCP_RST, .seq = 5));
    HARNESS_EXPECT_NONE(h, MS(2));
    harness_free(h);
}

static CU_TestInfo closed_tests[] = {
    {"SYN for no socket: RST,ACK with seq 0", test_closed_rcv_syn_sends_rst_ack},
    {"ACK for no socket: RST at its ack number", test_closed_rcv_ack_sends_rst_at_its_ack},
    {"data and FIN for no socket: the RST acks all", test_closed_rcv_data_and_fin_acks_all_of_it},
    {"RST for no socket: never answered", test_closed_rcv_rst_is_not_answered},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo tcp_closed_suites[] = {
    {"tcp CLOSED", NULL, NULL, NULL, NULL, closed_tests},
    CU_SUITE_INFO_NULL,
};
