/* SPDX-License-Identifier: MIT */
/*
 * test_tcp_time_wait.c: TIME-WAIT (RFC 9293 §3.10.7.4, RFC 1122 §4.2.2.13, RFC 1337),
 * shaped as Linux's tcp_timewait_state_process().
 */
#include "harness.h"

#define R1 (REMOTE_ISS + 1)
#define L1 (LOCAL_ISS + 1)

/* RFC 9293 §3.10.8: 2*MSL later, CLOSED (Linux: 60 s; msl 30s). */
static void
test_time_wait_lasts_two_msl(void)
{
    struct harness *h = harness_new(fixture_time_wait);
    CU_ASSERT_EQUAL(h->st.sysctl.msl, SEC(30));
    harness_advance(h, SEC(60) - 1);
    CU_ASSERT_EQUAL(harness_state(h), TCP_TIME_WAIT);
    harness_advance(h, SEC(60));
    CU_ASSERT_EQUAL(harness_state(h), TCP_CLOSED);
    CU_ASSERT_EQUAL(h->st.time_wait, 0);
    CU_ASSERT_EQUAL(h->st.mib[TCP_MIB_TW], 1);
    harness_free(h);
}

/* Our last ACK was lost: the retransmitted FIN is ACKed again and the wait restarts. */
static void
test_time_wait_rcv_retransmitted_fin_restarts_wait(void)
{
    struct harness *h = harness_new(fixture_time_wait);
    harness_feed(h, SEC(1), INBOUND(.flags = TCP_FIN | TCP_ACK, .seq = R1, .ack = L1 + 1));
    HARNESS_EXPECT(h, SEC(1), OUTBOUND(.seq = L1 + 1, .ack = R1 + 1));
    harness_advance(h, SEC(61) - 1);
    CU_ASSERT_EQUAL(harness_state(h), TCP_TIME_WAIT);
    harness_advance(h, SEC(61));
    CU_ASSERT_EQUAL(harness_state(h), TCP_CLOSED);
    harness_free(h);
}

/* Linux (tcp_rfc1337 0): a RST at RCV.NXT ends TIME-WAIT ("assassination"). */
static void
test_time_wait_rcv_rst_ends_it(void)
{
    struct harness *h = harness_new(fixture_time_wait);
    harness_feed(h, SEC(1), INBOUND(.flags = TCP_RST, .seq = R1 + 1));
    HARNESS_EXPECT_NONE(h, SEC(1));
    CU_ASSERT_EQUAL(harness_state(h), TCP_CLOSED);
    harness_free(h);
}

/* RFC 1337: with tcp_rfc1337 the RST is ignored and TIME-WAIT runs its course. */
static void
test_time_wait_rfc1337_ignores_rst(void)
{
    struct harness *h = harness_new(fixture_time_wait);
    h->st.sysctl.tcp_rfc1337 = 1;
    harness_feed(h, SEC(1), INBOUND(.flags = TCP_RST, .seq = R1 + 1));
    CU_ASSERT_EQUAL(harness_state(h), TCP_TIME_WAIT);
    harness_free(h);
}

/* RFC 1122 §4.2.2.13: a new SYN above the old RCV.NXT may reopen the connection: the
 * TIME-WAIT connection gives way (the host then hands the SYN to its listener). */
static void
test_time_wait_rcv_new_syn_gives_way(void)
{
    struct harness *h = harness_new(fixture_time_wait);
    harness_add_listener(h);
    struct tcp_seg syn = INBOUND(.flags = TCP_SYN, .seq = R1 + 100000);
    harness_advance(h, SEC(1));
    CU_ASSERT_TRUE(tcp_input_segment(h->tcb, &syn));
    CU_ASSERT_EQUAL(harness_state(h), TCP_CLOSED);
    CU_ASSERT_TRUE(h->st.tw_isn_valid);
    CU_ASSERT_EQUAL(h->st.tw_isn, L1 + 1 + 65537);
    harness_free(h);
}

/* With no listener to take it, a new SYN is just a segment TIME-WAIT answers: ACK, stay
 * (Linux: TCP_TW_SYN finds no listener and falls through to the TIME-WAIT ACK). Before,
 * TIME-WAIT gave way and the SYN met the no-socket RST. */
static void
test_time_wait_rcv_new_syn_without_listener_is_acked(void)
{
    struct harness *h = harness_new(fixture_time_wait);
    harness_feed(h, SEC(1), INBOUND(.flags = TCP_SYN, .seq = R1 + 100000));
    HARNESS_EXPECT(h, SEC(1), OUTBOUND(.seq = L1 + 1, .ack = R1 + 1));
    CU_ASSERT_EQUAL(harness_state(h), TCP_TIME_WAIT);
    CU_ASSERT_FALSE(h->st.tw_isn_valid);
    harness_free(h);
}

/* An old SYN (below RCV.NXT) does not: it is answered with an ACK. */
static void
test_time_wait_rcv_old_syn_is_acked(void)
{
    struct harness *h = harness_new(fixture_time_wait);
    harness_feed(h, SEC(1), INBOUND(.flags = TCP_SYN, .seq = REMOTE_ISS));
    HARNESS_EXPECT(h, SEC(1), OUTBOUND(.seq = L1 + 1, .ack = R1 + 1));
    CU_ASSERT_EQUAL(harness_state(h), TCP_TIME_WAIT);
    harness_free(h);
}

/* Issue 9's budget: a million TIME_WAIT connections in under a gigabyte. TIME_WAIT keeps
 * the control block alone: no buffers, no scoreboard, no reassembly queue; the block
 * itself, with glibc's 16-byte chunk header and a demux entry (~40 bytes), stays under
 * 1 GiB / 10^6 = 1073 bytes (992 + 56 since addresses hold IPv6: 1 KiB before). */
static void
test_time_wait_holds_only_the_control_block(void)
{
    struct harness *h = harness_new(fixture_time_wait);
    struct tcp_tcb *tcb = h->tcb;
    CU_ASSERT_EQUAL(harness_state(h), TCP_TIME_WAIT);
    CU_ASSERT_PTR_NULL(tcb->snd.text);
    CU_ASSERT_PTR_NULL(tcb->rcv.chunk);
    CU_ASSERT_PTR_NULL(tcb->ooo);
    CU_ASSERT_PTR_NULL(tcb->sacked);
    CU_ASSERT_PTR_NULL(tcb->scratch);
    CU_ASSERT((sizeof(struct tcp_tcb) + 16 + 40) * 1000000u <= 1024u * 1024u * 1024u);
    harness_free(h);
}

static CU_TestInfo time_wait_tests[] = {
    {"holds only its control block: a million in 1 GiB",
     test_time_wait_holds_only_the_control_block},
    {"lasts 2*MSL, then CLOSED", test_time_wait_lasts_two_msl},
    {"rcv retransmitted FIN: ACK, wait restarts",
     test_time_wait_rcv_retransmitted_fin_restarts_wait},
    {"rcv RST: TIME-WAIT ends (Linux default)", test_time_wait_rcv_rst_ends_it},
    {"rcv RST with tcp_rfc1337: ignored", test_time_wait_rfc1337_ignores_rst},
    {"rcv new SYN above RCV.NXT: gives way", test_time_wait_rcv_new_syn_gives_way},
    {"rcv new SYN, no listener: ACK, stays",
     test_time_wait_rcv_new_syn_without_listener_is_acked},
    {"rcv old SYN: ACK", test_time_wait_rcv_old_syn_is_acked},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo tcp_time_wait_suites[] = {
    {"tcp TIME-WAIT", NULL, NULL, NULL, NULL, time_wait_tests},
    CU_SUITE_INFO_NULL,
};
