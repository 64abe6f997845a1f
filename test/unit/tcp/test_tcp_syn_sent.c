/* SPDX-License-Identifier: MIT */
/*
 * test_tcp_syn_sent.c: an active open waiting for the SYN-ACK (RFC 9293 §3.10.7.3).
 */
#include <errno.h>

#include "harness.h"

/* Fourth step: our SYN is acked: ESTABLISHED, and "<SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>". */
static void
test_syn_sent_rcv_syn_ack_establishes(void)
{
    struct harness *h = harness_new(fixture_syn_sent);
    harness_feed(h, MS(20), with_mss(INBOUND(.flags = TCP_SYN | TCP_ACK, .seq = REMOTE_ISS,
                                             .ack = LOCAL_ISS + 1),
                                     1460));
    HARNESS_EXPECT(h, MS(20), OUTBOUND(.seq = LOCAL_ISS + 1, .ack = REMOTE_ISS + 1));
    CU_ASSERT_EQUAL(harness_state(h), TCP_ESTABLISHED);
    CU_ASSERT_EQUAL(h->tcb->mss, 1460);
    CU_ASSERT_EQUAL(h->tcb->snd_wnd, REMOTE_WIN);
    CU_ASSERT_EQUAL(h->tcb->srtt, MS(20)); /* RFC 6298 §2.2: the first sample */
    harness_free(h);
}

/* First step: "If SEG.ACK =< ISS or SEG.ACK > SND.NXT, send a reset". */
static void
test_syn_sent_rcv_bad_ack_sends_rst(void)
{
    struct harness *h = harness_new(fixture_syn_sent);
    harness_feed(h, MS(20), INBOUND(.flags = TCP_SYN | TCP_ACK, .seq = REMOTE_ISS,
                                    .ack = LOCAL_ISS + 7));
    HARNESS_EXPECT(h, MS(20), OUTBOUND(.flags = TCP_RST, .seq = LOCAL_ISS + 7));
    CU_ASSERT_EQUAL(harness_state(h), TCP_SYN_SENT);
    harness_free(h);
}

/* Second step: a RST that acks our SYN: "connection reset" (ECONNREFUSED), CLOSED. */
static void
test_syn_sent_rcv_rst_ack_refuses(void)
{
    struct harness *h = harness_new(fixture_syn_sent);
    harness_feed(h, MS(20), INBOUND(.flags = TCP_RST | TCP_ACK, .seq = 0, .ack = LOCAL_ISS + 1));
    HARNESS_EXPECT_NONE(h, MS(20));
    CU_ASSERT_EQUAL(harness_state(h), TCP_CLOSED);
    CU_ASSERT_EQUAL(h->tcb->so_error, ECONNREFUSED);
    harness_free(h);
}

/* A RST without an ACK, or whose ACK does not ack our SYN, is dropped (RFC 5961 §3.2). */
static void
test_syn_sent_rcv_rst_without_acceptable_ack_is_dropped(void)
{
    struct harness *h = harness_new(fixture_syn_sent);
    harness_feed(h, MS(20), INBOUND(.flags = TCP_RST, .seq = 0));
    harness_feed(h, MS(21), INBOUND(.flags = TCP_RST | TCP_ACK, .seq = 0, .ack = LOCAL_ISS + 9));
    HARNESS_EXPECT_NONE(h, MS(21));
    CU_ASSERT_EQUAL(harness_state(h), TCP_SYN_SENT);
    harness_free(h);
}

/* A SYN alone: simultaneous open, SYN-RECEIVED, <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>. */
static void
test_syn_sent_rcv_syn_is_simultaneous_open(void)
{
    struct harness *h = harness_new(fixture_syn_sent);
    harness_feed(h, MS(20), with_mss(INBOUND(.flags = TCP_SYN, .seq = REMOTE_ISS), 1460));
    HARNESS_EXPECT(h, MS(20), OUTBOUND(.flags = TCP_SYN | TCP_ACK, .seq = LOCAL_ISS,
                                       .ack = REMOTE_ISS + 1));
    CU_ASSERT_EQUAL(harness_state(h), TCP_SYN_RECEIVED);
    /* The peer's SYN-ACK, crossing ours, establishes (Figure 8 line 6); we ACK it. */
    harness_feed(h, MS(30), INBOUND(.flags = TCP_SYN | TCP_ACK, .seq = REMOTE_ISS,
                                    .ack = LOCAL_ISS + 1));
    HARNESS_EXPECT(h, MS(30), OUTBOUND(.seq = LOCAL_ISS + 1, .ack = REMOTE_ISS + 1));
    CU_ASSERT_EQUAL(harness_state(h), TCP_ESTABLISHED);
    harness_free(h);
}

/* A RST at RCV.NXT after a simultaneous open: the connection "came from SYN-SENT
 * state", so the RFC says it was refused (RFC 9293 §3.10.7.4, SYN-RECEIVED, second
 * check); Linux's tcp_reset() keeps ECONNREFUSED for SYN_SENT and reports ECONNRESET. */
static void
test_syn_sent_simultaneous_open_then_rst_resets_linux_refuses_rfc(void)
{
    enum tcp_personality p[] = {TCP_PERSONALITY_LINUX, TCP_PERSONALITY_RFC};
    int want[] = {ECONNRESET, ECONNREFUSED};
    for (unsigned i = 0; i < 2; i++) {
        struct harness *h = harness_new_personality(fixture_syn_sent, p[i]);
        harness_feed(h, MS(20), with_mss(INBOUND(.flags = TCP_SYN, .seq = REMOTE_ISS), 1460));
        HARNESS_EXPECT(h, MS(20), OUTBOUND(.flags = TCP_SYN | TCP_ACK, .seq = LOCAL_ISS,
                                           .ack = REMOTE_ISS + 1));
        harness_feed(h, MS(30), INBOUND(.flags = TCP_RST, .seq = REMOTE_ISS + 1));
        HARNESS_EXPECT_NONE(h, MS(30));
        CU_ASSERT_EQUAL(harness_state(h), TCP_CLOSED);
        CU_ASSERT_EQUAL(h->tcb->so_error, want[i]);
        harness_free(h);
    }
}

/* Fifth: neither SYN nor RST: drop. */
static void
test_syn_sent_rcv_plain_ack_is_dropped(void)
{
    struct harness *h = harness_new(fixture_syn_sent);
    harness_feed(h, MS(20), INBOUND(.seq = REMOTE_ISS, .ack = LOCAL_ISS + 1));
    HARNESS_EXPECT_NONE(h, MS(20));
    CU_ASSERT_EQUAL(harness_state(h), TCP_SYN_SENT);
    harness_free(h);
}

/* Linux: tcp_syn_linear_timeouts 4 keeps the first retransmissions one second apart:
 * SYNs at 0, 1, 2, 3, 4, 5 s, then 7 and 11 s. */
static void
test_syn_sent_retransmits_with_linear_then_exponential_timeouts(void)
{
    struct harness *h = harness_new(fixture_syn_sent);
    sim_time when[] = {SEC(1), SEC(2), SEC(3), SEC(4), SEC(5), SEC(7), SEC(11)};
    for (size_t i = 0; i < G_N_ELEMENTS(when); i++) {
        HARNESS_EXPECT_NONE(h, when[i] - 1);
        HARNESS_EXPECT(h, when[i], OUTBOUND(.flags = TCP_SYN, .seq = LOCAL_ISS));
    }
    CU_ASSERT_EQUAL(h->st.mib[TCP_MIB_RETRANS_SEGS], 7);
    harness_free(h);
}

/* tcp_syn_retries 3 without linear timeouts: SYNs at 0, 1, 3, 7 s; ETIMEDOUT at 15 s,
 * with no RST (Linux tcp_write_err()). */
static void
test_syn_sent_gives_up_with_etimedout(void)
{
    struct harness *h = harness_new(fixture_closed);
    h->st.sysctl.tcp_syn_retries = 3;
    h->st.sysctl.tcp_syn_linear_timeouts = 0;
    g_ptr_array_add(h->demux, h->tcb);
    tcp_user_connect(h->tcb, LOCAL_ADDR, LOCAL_PORT, REMOTE_ADDR, REMOTE_PORT);
    HARNESS_EXPECT(h, 0, OUTBOUND(.flags = TCP_SYN, .seq = LOCAL_ISS));
    HARNESS_EXPECT(h, SEC(1), OUTBOUND(.flags = TCP_SYN, .seq = LOCAL_ISS));
    HARNESS_EXPECT(h, SEC(3), OUTBOUND(.flags = TCP_SYN, .seq = LOCAL_ISS));
    HARNESS_EXPECT(h, SEC(7), OUTBOUND(.flags = TCP_SYN, .seq = LOCAL_ISS));
    harness_advance(h, SEC(15) - 1);
    CU_ASSERT_EQUAL(harness_state(h), TCP_SYN_SENT);
    HARNESS_EXPECT_NONE(h, SEC(15));
    CU_ASSERT_EQUAL(harness_state(h), TCP_CLOSED);
    CU_ASSERT_EQUAL(h->tcb->so_error, ETIMEDOUT);
    harness_free(h);
}

/* RFC 9293 §3.7.1: no MSS option means 536. */
static void
test_syn_sent_no_mss_option_means_536(void)
{
    struct harness *h = harness_new(fixture_syn_sent);
    harness_feed(h, MS(20), INBOUND(.flags = TCP_SYN | TCP_ACK, .seq = REMOTE_ISS,
                                    .ack = LOCAL_ISS + 1));
    CU_ASSERT_EQUAL(h->tcb->mss, TCP_DEFAULT_MSS);
    harness_free(h);
}

/* TCP_MAXSEG before connect(): the SYN announces it, and segments never exceed it even
 * when the peer's MSS is larger (Linux tcp_advertise_mss(), tcp_sync_mss()). */
static void
test_syn_sent_user_mss_caps_announced_and_used_mss(void)
{
    struct harness *h = harness_new(fixture_closed);
    h->tcb->user_mss = 1100;
    g_ptr_array_add(h->demux, h->tcb);
    tcp_user_connect(h->tcb, LOCAL_ADDR, LOCAL_PORT, REMOTE_ADDR, REMOTE_PORT);
    guint n = 0;
    g_autofree struct tcp_seg *syn = harness_take(h, &n);
    CU_ASSERT_EQUAL_FATAL(n, 1);
    CU_ASSERT_EQUAL(syn[0].opt.mss, 1100);
    harness_feed(h, MS(20), with_mss(INBOUND(.flags = TCP_SYN | TCP_ACK, .seq = REMOTE_ISS,
                                             .ack = LOCAL_ISS + 1), 1460));
    CU_ASSERT_EQUAL(harness_state(h), TCP_ESTABLISHED);
    CU_ASSERT_EQUAL(h->tcb->mss, 1100);
    harness_free(h);
}

static CU_TestInfo syn_sent_tests[] = {
    {"rcv SYN-ACK: ESTABLISHED, ACK sent, RTT sampled", test_syn_sent_rcv_syn_ack_establishes},
    {"rcv SYN-ACK with a bad ACK: RST at its ack", test_syn_sent_rcv_bad_ack_sends_rst},
    {"rcv RST acking our SYN: ECONNREFUSED", test_syn_sent_rcv_rst_ack_refuses},
    {"rcv RST without an acceptable ACK: dropped",
     test_syn_sent_rcv_rst_without_acceptable_ack_is_dropped},
    {"rcv SYN: simultaneous open", test_syn_sent_rcv_syn_is_simultaneous_open},
    {"simultaneous open, then RST: ECONNRESET (Linux), ECONNREFUSED (RFC)",
     test_syn_sent_simultaneous_open_then_rst_resets_linux_refuses_rfc},
    {"rcv ACK without SYN: dropped", test_syn_sent_rcv_plain_ack_is_dropped},
    {"SYN retransmits: 1 s linear, then exponential",
     test_syn_sent_retransmits_with_linear_then_exponential_timeouts},
    {"SYN retries spent: ETIMEDOUT at 15 s", test_syn_sent_gives_up_with_etimedout},
    {"no MSS option: 536", test_syn_sent_no_mss_option_means_536},
    {"TCP_MAXSEG caps the announced and the used MSS",
     test_syn_sent_user_mss_caps_announced_and_used_mss},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo tcp_syn_sent_suites[] = {
    {"tcp SYN-SENT", NULL, NULL, NULL, NULL, syn_sent_tests},
    CU_SUITE_INFO_NULL,
};
