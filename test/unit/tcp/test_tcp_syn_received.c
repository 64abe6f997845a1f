/* SPDX-License-Identifier: MIT */
/*
 * test_tcp_syn_received.c: a passive open waiting for the final ACK (RFC 9293 §3.10.7.4
 * in SYN-RECEIVED), with Linux's SYN-ACK timer and accept-queue overflow.
 */
#include <errno.h>

#include "harness.h"

/* Fifth step: "If SND.UNA < SEG.ACK =< SND.NXT, then enter ESTABLISHED state". */
static void
test_syn_received_rcv_ack_establishes(void)
{
    struct harness *h = harness_new(fixture_syn_received);
    harness_feed(h, MS(30), INBOUND(.seq = REMOTE_ISS + 1, .ack = LOCAL_ISS + 1));
    HARNESS_EXPECT_NONE(h, MS(30));
    CU_ASSERT_EQUAL(harness_state(h), TCP_ESTABLISHED);
    CU_ASSERT_EQUAL(tcp_listen_accept_len(h->lst), 1);
    CU_ASSERT_PTR_EQUAL(tcp_listen_accept(h->lst), h->tcb);
    harness_free(h);
}

/* "If the segment acknowledgment is not acceptable, form a reset segment
 * <SEQ=SEG.ACK><CTL=RST>". */
static void
test_syn_received_rcv_bad_ack_sends_rst(void)
{
    struct harness *h = harness_new(fixture_syn_received);
    harness_feed(h, MS(30), INBOUND(.seq = REMOTE_ISS + 1, .ack = LOCAL_ISS + 50));
    HARNESS_EXPECT(h, MS(30), OUTBOUND(.flags = TCP_RST, .seq = LOCAL_ISS + 50));
    CU_ASSERT_EQUAL(harness_state(h), TCP_SYN_RECEIVED);
    harness_free(h);
}

/* Second step: a RST at RCV.NXT on a passive open: the half-open connection goes away
 * quietly and the listener remains. */
static void
test_syn_received_rcv_rst_forgets_the_child(void)
{
    struct harness *h = harness_new(fixture_syn_received);
    harness_feed(h, MS(30), INBOUND(.flags = TCP_RST, .seq = REMOTE_ISS + 1));
    HARNESS_EXPECT_NONE(h, MS(30));
    CU_ASSERT_EQUAL(harness_state(h), TCP_CLOSED);
    CU_ASSERT_EQUAL(h->tcb->so_error, 0);
    CU_ASSERT_EQUAL(tcp_listen_syn_len(h->lst), 0);
    CU_ASSERT_EQUAL(h->lst->state, TCP_LISTEN);
    harness_free(h);
}

/* A RST in the window but not at RCV.NXT: Linux's tcp_check_req() resets the half-open
 * connection (no RFC 5961 challenge for request sockets); the RFC personality answers
 * with a challenge ACK (RFC 5961 §3.2) and stays. */
static void
test_syn_received_rcv_inexact_rst_resets_linux_challenges_rfc(void)
{
    struct harness *h = harness_new(fixture_syn_received);
    harness_feed(h, MS(30), INBOUND(.flags = TCP_RST, .seq = REMOTE_ISS + 100));
    HARNESS_EXPECT_NONE(h, MS(30));
    CU_ASSERT_EQUAL(harness_state(h), TCP_CLOSED);
    CU_ASSERT_EQUAL(tcp_listen_syn_len(h->lst), 0);
    harness_free(h);

    h = harness_new_personality(fixture_syn_received, TCP_PERSONALITY_RFC);
    harness_feed(h, MS(30), INBOUND(.flags = TCP_RST, .seq = REMOTE_ISS + 100));
    HARNESS_EXPECT(h, MS(30), OUTBOUND(.seq = LOCAL_ISS + 1, .ack = REMOTE_ISS + 1));
    CU_ASSERT_EQUAL(harness_state(h), TCP_SYN_RECEIVED);
    harness_free(h);
}

/* Linux: a retransmitted SYN is answered with the SYN-ACK again. */
static void
test_syn_received_rcv_retransmitted_syn_resends_syn_ack(void)
{
    struct harness *h = harness_new(fixture_syn_received);
    harness_feed(h, MS(900), with_mss(INBOUND(.flags = TCP_SYN, .seq = REMOTE_ISS), 1460));
    HARNESS_EXPECT(h, MS(900), OUTBOUND(.flags = TCP_SYN | TCP_ACK, .seq = LOCAL_ISS,
                                        .ack = REMOTE_ISS + 1));
    CU_ASSERT_EQUAL(harness_state(h), TCP_SYN_RECEIVED);
    harness_free(h);
}

/* Linux reqsk timer: SYN-ACKs at 1, 3, 7, 15, 31 s, the request dropped at 63 s
 * (tcp_synack_retries 5), silently. */
static void
test_syn_received_synack_timer_backs_off_then_drops(void)
{
    struct harness *h = harness_new(fixture_syn_received);
    sim_time when[] = {SEC(1), SEC(3), SEC(7), SEC(15), SEC(31)};
    for (size_t i = 0; i < G_N_ELEMENTS(when); i++) {
        HARNESS_EXPECT(h, when[i], OUTBOUND(.flags = TCP_SYN | TCP_ACK, .seq = LOCAL_ISS,
                                            .ack = REMOTE_ISS + 1));
    }
    harness_advance(h, SEC(63) - 1);
    CU_ASSERT_EQUAL(harness_state(h), TCP_SYN_RECEIVED);
    HARNESS_EXPECT_NONE(h, SEC(63));
    CU_ASSERT_EQUAL(harness_state(h), TCP_CLOSED);
    CU_ASSERT_EQUAL(tcp_listen_syn_len(h->lst), 0);
    harness_free(h);
}

/* tcp_synack_retries may be as large as 255: the backoff saturates at 120 s (rto_max)
 * instead of shifting 1 s by 64 or more, which put the next timeout in the past. */
static void
test_syn_received_many_synack_retries_saturate_at_rto_max(void)
{
    struct harness *h = harness_new(fixture_syn_received);
    h->st.sysctl.tcp_synack_retries = 100;
    harness_advance(h, SEC(3600));
    CU_ASSERT_EQUAL(harness_state(h), TCP_SYN_RECEIVED);
    CU_ASSERT_TRUE(h->tcb->synack_timeouts > 30);
    CU_ASSERT_EQUAL(h->tcb->rto, h->st.sysctl.rto_max);
    harness_free(h);
}

/* Fill the accept queue of a backlog-1 listener with two established children (Linux
 * counts it full only above the backlog). */
static void
fill_accept_queue(struct harness *h)
{
    tcp_listen_init(h->lst, 1);
    struct tcp_tcb *mine = h->tcb;
    for (uint16_t port = 6001; port <= 6002; port++) {
        harness_feed(h, MS(1), with_mss(INBOUND(.flags = TCP_SYN, .seq = 1, .sport = port), 1460));
        harness_feed(h, MS(2), INBOUND(.seq = 2, .ack = LOCAL_ISS + 1, .sport = port));
    }
    CU_ASSERT_EQUAL(tcp_listen_accept_len(h->lst), 2);
    CU_ASSERT_TRUE(tcp_listen_accept_full(h->lst));
    h->tcb = mine;
    harness_drain(h);
}

/* Linux, tcp_abort_on_overflow 0: the final ACK is forgotten; the SYN-ACK timer will
 * resend and the peer, believing it is established, retransmits its data. */
static void
test_syn_received_accept_overflow_drops_the_ack(void)
{
    struct harness *h = harness_new(fixture_syn_received);
    fill_accept_queue(h);
    harness_feed(h, MS(30), INBOUND(.seq = REMOTE_ISS + 1, .ack = LOCAL_ISS + 1));
    HARNESS_EXPECT_NONE(h, MS(30));
    CU_ASSERT_EQUAL(harness_state(h), TCP_SYN_RECEIVED);
    CU_ASSERT_EQUAL(h->st.mib[TCP_MIB_LISTEN_OVERFLOWS], 1);
    HARNESS_EXPECT(h, SEC(1), OUTBOUND(.flags = TCP_SYN | TCP_ACK, .seq = LOCAL_ISS,
                                       .ack = REMOTE_ISS + 1));
    harness_free(h);
}

/* tcp_abort_on_overflow 1: the final ACK is answered with a RST at its ack number. */
static void
test_syn_received_accept_overflow_with_abort_sends_rst(void)
{
    struct harness *h = harness_new(fixture_syn_received);
    h->st.sysctl.tcp_abort_on_overflow = 1;
    fill_accept_queue(h);
    harness_feed(h, MS(30), INBOUND(.seq = REMOTE_ISS + 1, .ack = LOCAL_ISS + 1));
    HARNESS_EXPECT(h, MS(30), OUTBOUND(.flags = TCP_RST, .seq = LOCAL_ISS + 1, .win = 0));
    CU_ASSERT_EQUAL(harness_state(h), TCP_CLOSED);
    harness_free(h);
}

static CU_TestInfo syn_received_tests[] = {
    {"rcv ACK of our SYN: ESTABLISHED, in the accept queue",
     test_syn_received_rcv_ack_establishes},
    {"rcv unacceptable ACK: RST at its ack", test_syn_received_rcv_bad_ack_sends_rst},
    {"rcv RST: the half-open connection is forgotten",
     test_syn_received_rcv_rst_forgets_the_child},
    {"rcv RST in window, not exact: reset (Linux), challenge ACK (RFC)",
     test_syn_received_rcv_inexact_rst_resets_linux_challenges_rfc},
    {"rcv retransmitted SYN: SYN-ACK again (Linux)",
     test_syn_received_rcv_retransmitted_syn_resends_syn_ack},
    {"SYN-ACK at 1, 3, 7, 15, 31 s, dropped at 63 s",
     test_syn_received_synack_timer_backs_off_then_drops},
    {"tcp_synack_retries 100: the backoff saturates at 120 s",
     test_syn_received_many_synack_retries_saturate_at_rto_max},
    {"accept queue full: the final ACK is dropped (Linux)",
     test_syn_received_accept_overflow_drops_the_ack},
    {"accept queue full, abort_on_overflow: RST",
     test_syn_received_accept_overflow_with_abort_sends_rst},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo tcp_syn_received_suites[] = {
    {"tcp SYN-RECEIVED", NULL, NULL, NULL, NULL, syn_received_tests},
    CU_SUITE_INFO_NULL,
};
