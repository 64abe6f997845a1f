/* SPDX-License-Identifier: MIT */
/*
 * test_tcp_listen.c: a listener (RFC 9293 §3.10.7.2) and its queues (Linux).
 */
#include "harness.h"

/* Third: a SYN opens a connection: SYN-ACK <SEQ=ISS><ACK=RCV.NXT>, SYN-RECEIVED. */
static void
test_listen_rcv_syn_sends_syn_ack(void)
{
    struct harness *h = harness_new(fixture_listen);
    harness_feed(h, MS(5), with_mss(INBOUND(.flags = TCP_SYN, .seq = REMOTE_ISS), 1460));
    HARNESS_EXPECT(h, MS(5), OUTBOUND(.flags = TCP_SYN | TCP_ACK, .seq = LOCAL_ISS,
                                      .ack = REMOTE_ISS + 1, .win = LOCAL_WIN));
    CU_ASSERT_NOT_EQUAL(h->tcb, h->lst);
    CU_ASSERT_EQUAL(harness_state(h), TCP_SYN_RECEIVED);
    CU_ASSERT_EQUAL(h->lst->state, TCP_LISTEN); /* the listener stays */
    CU_ASSERT_EQUAL(tcp_listen_syn_len(h->lst), 1);
    CU_ASSERT_EQUAL(h->st.mib[TCP_MIB_PASSIVE_OPENS], 1);
    harness_free(h);
}

/* First: "An incoming RST segment could not be valid ... It should be ignored." */
static void
test_listen_rcv_rst_is_ignored(void)
{
    struct harness *h = harness_new(fixture_listen);
    harness_feed(h, MS(5), INBOUND(.flags = TCP_RST, .seq = 9));
    HARNESS_EXPECT_NONE(h, MS(5));
    CU_ASSERT_EQUAL(h->lst->state, TCP_LISTEN);
    harness_free(h);
}

/* Second: "Any acknowledgment is bad ... <SEQ=SEG.ACK><CTL=RST>". */
static void
test_listen_rcv_ack_sends_rst(void)
{
    struct harness *h = harness_new(fixture_listen);
    h->st.sysctl.tcp_syncookies = 0; /* no cookie to try */
    harness_feed(h, MS(5), INBOUND(.seq = 9, .ack = 12345));
    HARNESS_EXPECT(h, MS(5), OUTBOUND(.flags = TCP_RST, .seq = 12345, .win = 0));
    harness_free(h);
}

/* Fourth: anything else is dropped. */
static void
test_listen_rcv_fin_is_dropped(void)
{
    struct harness *h = harness_new(fixture_listen);
    harness_feed(h, MS(5), INBOUND(.flags = TCP_FIN, .seq = 9));
    HARNESS_EXPECT_NONE(h, MS(5));
    harness_free(h);
}

/* Linux: with the accept queue holding more than the backlog, new SYNs are dropped and
 * counted (ListenOverflows, ListenDrops). listen(fd, 1) lets two connections wait. */
static void
test_listen_accept_queue_full_drops_syn(void)
{
    struct harness *h = harness_new(fixture_listen);
    tcp_listen_init(h->lst, 1);
    for (uint16_t i = 0; i < 2; i++) {
        struct tcp_seg syn = with_mss(INBOUND(.flags = TCP_SYN, .seq = REMOTE_ISS,
                                              .sport = (uint16_t)(6000 + i)), 1460);
        harness_feed(h, MS(1), syn);
        struct tcp_seg ack = INBOUND(.seq = REMOTE_ISS + 1, .ack = LOCAL_ISS + 1,
                                     .sport = (uint16_t)(6000 + i));
        harness_feed(h, MS(2), ack);
    }
    CU_ASSERT_EQUAL(tcp_listen_accept_len(h->lst), 2);
    harness_drain(h);
    harness_feed(h, MS(3), with_mss(INBOUND(.flags = TCP_SYN, .seq = 1, .sport = 7000), 1460));
    HARNESS_EXPECT_NONE(h, MS(3));
    CU_ASSERT_EQUAL(h->st.mib[TCP_MIB_LISTEN_OVERFLOWS], 1);
    CU_ASSERT_EQUAL(h->st.mib[TCP_MIB_LISTEN_DROPS], 1);
    harness_free(h);
}

/* Linux: a SYN with FIN to a listener is discarded (tcp_rcv_state_process()); the RFC
 * personality opens (§3.10.7.2 third: other controls are queued for later). */
static void
test_listen_rcv_syn_fin_dropped_linux_opens_rfc(void)
{
    struct harness *h = harness_new(fixture_listen);
    harness_feed(h, MS(1), with_mss(INBOUND(.flags = TCP_SYN | TCP_FIN, .seq = REMOTE_ISS), 1460));
    HARNESS_EXPECT_NONE(h, MS(1));
    CU_ASSERT_PTR_EQUAL(h->tcb, h->lst);
    CU_ASSERT_EQUAL(tcp_listen_syn_len(h->lst), 0);
    harness_free(h);

    h = harness_new_personality(fixture_listen, TCP_PERSONALITY_RFC);
    harness_feed(h, MS(1), with_mss(INBOUND(.flags = TCP_SYN | TCP_FIN, .seq = REMOTE_ISS), 1460));
    HARNESS_EXPECT(h, MS(1), OUTBOUND(.flags = TCP_SYN | TCP_ACK, .seq = LOCAL_ISS,
                                      .ack = REMOTE_ISS + 1));
    CU_ASSERT_EQUAL(harness_state(h), TCP_SYN_RECEIVED);
    harness_free(h);
}

static CU_TestInfo listen_tests[] = {
    {"rcv SYN: SYN-ACK, a child in SYN-RECEIVED", test_listen_rcv_syn_sends_syn_ack},
    {"rcv RST: ignored", test_listen_rcv_rst_is_ignored},
    {"rcv ACK: RST at its ack number", test_listen_rcv_ack_sends_rst},
    {"rcv FIN: dropped", test_listen_rcv_fin_is_dropped},
    {"rcv SYN+FIN: dropped (Linux), opens (RFC)", test_listen_rcv_syn_fin_dropped_linux_opens_rfc},
    {"accept queue over backlog: SYN dropped, counted", test_listen_accept_queue_full_drops_syn},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo tcp_listen_suites[] = {
    {"tcp LISTEN", NULL, NULL, NULL, NULL, listen_tests},
    CU_SUITE_INFO_NULL,
};
