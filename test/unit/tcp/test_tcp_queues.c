/* SPDX-License-Identifier: MIT */
/*
 * test_tcp_queues.c: a listener's SYN queue and accept queue (Linux's accounting) and
 * SYN cookies (RFC 4987 §3.6): encoding, validation, what is rebuilt and what is lost.
 */
#include "harness.h"

/* A SYN from client port `port`, with an MSS option. */
static struct tcp_seg
syn_from(uint16_t port, uint16_t mss)
{
    return with_mss(INBOUND(.flags = TCP_SYN, .seq = REMOTE_ISS, .sport = port), mss);
}

/* The last segment the listener side emitted (the harness keeps them in order). */
static struct tcp_seg
last_out(struct harness *h)
{
    CU_ASSERT_FATAL(h->out->len > 0);
    return g_array_index(h->out, struct tcp_seg, h->out->len - 1);
}

/* Linux counts the SYN queue full only when it holds more than the backlog: with
 * backlog 2 three half-open connections wait; without cookies the fourth SYN is dropped
 * (ListenDrops) and gets no answer. */
static void
test_queues_syn_queue_full_drops_without_cookies(void)
{
    struct harness *h = harness_new(fixture_listen);
    h->st.sysctl.tcp_syncookies = 0;
    tcp_listen_init(h->lst, 2);
    for (uint16_t i = 0; i < 3; i++) {
        harness_feed(h, MS(1), syn_from((uint16_t)(6000 + i), 1460));
    }
    CU_ASSERT_EQUAL(tcp_listen_syn_len(h->lst), 3);
    harness_drain(h);
    harness_feed(h, MS(2), syn_from(6003, 1460));
    HARNESS_EXPECT_NONE(h, MS(2));
    CU_ASSERT_EQUAL(tcp_listen_syn_len(h->lst), 3);
    CU_ASSERT_EQUAL(h->st.mib[TCP_MIB_LISTEN_DROPS], 1);
    CU_ASSERT_EQUAL(h->st.mib[TCP_MIB_LISTEN_OVERFLOWS], 0); /* that is the accept queue's */
    harness_free(h);
}

/* The same with tcp_syncookies 1: the fourth SYN is answered with a cookie and the
 * queue does not grow. */
static void
test_queues_syn_queue_full_sends_cookie(void)
{
    struct harness *h = harness_new(fixture_listen);
    tcp_listen_init(h->lst, 2);
    for (uint16_t i = 0; i < 3; i++) {
        harness_feed(h, MS(1), syn_from((uint16_t)(6000 + i), 1460));
    }
    harness_drain(h);
    harness_feed(h, MS(2), syn_from(6003, 1460));
    struct tcp_seg synack = last_out(h);
    CU_ASSERT_EQUAL(synack.flags, TCP_SYN | TCP_ACK);
    CU_ASSERT_EQUAL(synack.ack, REMOTE_ISS + 1);
    CU_ASSERT_EQUAL(synack.tx_cause, TCP_TX_SYNCOOKIE);
    CU_ASSERT_EQUAL(tcp_listen_syn_len(h->lst), 3);
    CU_ASSERT_EQUAL(h->st.mib[TCP_MIB_SYNCOOKIES_SENT], 1);
    CU_ASSERT_EQUAL(h->st.mib[TCP_MIB_LISTEN_DROPS], 0);
    harness_free(h);
}

/* Linux without cookies keeps the last quarter of tcp_max_syn_backlog for peers proven
 * alive: with 8, the SYN queue stops at 7 however large the backlog. */
static void
test_queues_max_syn_backlog_quarter(void)
{
    struct harness *h = harness_new(fixture_listen);
    h->st.sysctl.tcp_syncookies = 0;
    h->st.sysctl.tcp_max_syn_backlog = 8;
    tcp_listen_init(h->lst, 100);
    for (uint16_t i = 0; i < 10; i++) {
        harness_feed(h, MS(1), syn_from((uint16_t)(6000 + i), 1460));
    }
    CU_ASSERT_EQUAL(tcp_listen_syn_len(h->lst), 7);
    CU_ASSERT_EQUAL(h->st.mib[TCP_MIB_LISTEN_DROPS], 3);
    harness_free(h);
}

/* A completed handshake moves its child from the SYN queue to the accept queue, and
 * accept() takes it out. */
static void
test_queues_handshake_moves_child_to_accept_queue(void)
{
    struct harness *h = harness_new(fixture_listen);
    harness_feed(h, MS(1), syn_from(6000, 1460));
    CU_ASSERT_EQUAL(tcp_listen_syn_len(h->lst), 1);
    CU_ASSERT_EQUAL(tcp_listen_accept_len(h->lst), 0);
    harness_feed(h, MS(2), INBOUND(.seq = REMOTE_ISS + 1, .ack = LOCAL_ISS + 1, .sport = 6000));
    CU_ASSERT_EQUAL(tcp_listen_syn_len(h->lst), 0);
    CU_ASSERT_EQUAL(tcp_listen_accept_len(h->lst), 1);
    struct tcp_tcb *child = tcp_listen_accept(h->lst);
    CU_ASSERT_PTR_NOT_NULL_FATAL(child);
    CU_ASSERT_EQUAL(child->state, TCP_ESTABLISHED);
    CU_ASSERT_EQUAL(tcp_listen_accept_len(h->lst), 0);
    CU_ASSERT_PTR_NULL(tcp_listen_accept(h->lst));
    harness_free(h);
}

/* tcp_syncookies 2: a cookie for every SYN. The ACK that returns cookie + 1 rebuilds the
 * connection, ESTABLISHED and waiting in the accept queue, with the MSS the cookie
 * encoded: 1360 offered, 1300 kept (the largest of 536, 1300, 1440, 1460 not above it). */
static void
test_queues_cookie_round_trip(void)
{
    struct harness *h = harness_new(fixture_listen);
    h->st.sysctl.tcp_syncookies = 2;
    harness_feed(h, MS(1), syn_from(6000, 1360));
    struct tcp_seg synack = last_out(h);
    CU_ASSERT_EQUAL(synack.tx_cause, TCP_TX_SYNCOOKIE);
    CU_ASSERT_EQUAL(tcp_listen_syn_len(h->lst), 0); /* no state kept */
    harness_feed(h, MS(2), INBOUND(.seq = REMOTE_ISS + 1, .ack = synack.seq + 1, .sport = 6000));
    CU_ASSERT_EQUAL(h->st.mib[TCP_MIB_SYNCOOKIES_RECV], 1);
    CU_ASSERT_EQUAL(tcp_listen_accept_len(h->lst), 1);
    struct tcp_tcb *child = tcp_listen_accept(h->lst);
    CU_ASSERT_PTR_NOT_NULL_FATAL(child);
    CU_ASSERT_EQUAL(child->state, TCP_ESTABLISHED);
    CU_ASSERT_EQUAL(child->iss, synack.seq);
    CU_ASSERT_EQUAL(child->rcv_nxt, REMOTE_ISS + 1);
    CU_ASSERT_EQUAL(child->mss, 1300);
    CU_ASSERT_FALSE(child->ws_ok);
    CU_ASSERT_FALSE(child->sack_ok);
    harness_free(h);
}

/* An ACK whose number is no cookie of ours is refused: RST, SyncookiesFailed. So is a
 * real cookie returned too late (valid two minutes), or from another port. */
static void
test_queues_cookie_validation(void)
{
    struct harness *h = harness_new(fixture_listen);
    h->st.sysctl.tcp_syncookies = 2;
    harness_feed(h, MS(1), syn_from(6000, 1460));
    tcp_seq cookie = last_out(h).seq;
    harness_drain(h);
    harness_feed(h, MS(2), INBOUND(.seq = REMOTE_ISS + 1, .ack = cookie + 2, .sport = 6000));
    HARNESS_EXPECT(h, MS(2), OUTBOUND(.flags = TCP_RST, .seq = cookie + 2, .win = 0));
    harness_feed(h, MS(3), INBOUND(.seq = REMOTE_ISS + 1, .ack = cookie + 1, .sport = 6001));
    HARNESS_EXPECT(h, MS(3), OUTBOUND(.flags = TCP_RST, .seq = cookie + 1, .win = 0));
    harness_feed(h, SEC(181), INBOUND(.seq = REMOTE_ISS + 1, .ack = cookie + 1, .sport = 6000));
    HARNESS_EXPECT(h, SEC(181), OUTBOUND(.flags = TCP_RST, .seq = cookie + 1, .win = 0));
    CU_ASSERT_EQUAL(h->st.mib[TCP_MIB_SYNCOOKIES_FAILED], 3);
    CU_ASSERT_EQUAL(h->st.mib[TCP_MIB_SYNCOOKIES_RECV], 0);
    CU_ASSERT_EQUAL(tcp_listen_accept_len(h->lst), 0);
    harness_free(h);
}

/* The cookie stays valid across the minute boundary (it carries the minute counter). */
static void
test_queues_cookie_valid_next_minute(void)
{
    struct harness *h = harness_new(fixture_listen);
    h->st.sysctl.tcp_syncookies = 2;
    harness_feed(h, SEC(59), syn_from(6000, 1460));
    tcp_seq cookie = last_out(h).seq;
    harness_feed(h, SEC(61), INBOUND(.seq = REMOTE_ISS + 1, .ack = cookie + 1, .sport = 6000));
    CU_ASSERT_EQUAL(h->st.mib[TCP_MIB_SYNCOOKIES_RECV], 1);
    CU_ASSERT_EQUAL(tcp_listen_accept_len(h->lst), 1);
    harness_free(h);
}

/* With timestamps, window scale and SACK-permitted ride in the low bits of our TSval;
 * the ACK echoes it and the connection gets them back. Without timestamps the SYN-ACK
 * offers neither (Linux: tcp_clear_options()), so both ends agree there are none. */
static void
test_queues_cookie_options_in_timestamp(void)
{
    for (int ts = 0; ts < 2; ts++) {
        struct harness *h = harness_new(fixture_listen);
        h->st.sysctl.tcp_syncookies = 2;
        h->st.sysctl.tcp_timestamps = ts ? 2 : 0;
        h->st.sysctl.tcp_sack = 1;
        h->st.sysctl.tcp_window_scaling = 1;
        struct tcp_seg syn = syn_from(6000, 1460);
        tcp_opts_push(&syn.opt, TCPOPT_SACK_PERM);
        tcp_opts_push(&syn.opt, TCPOPT_TS);
        syn.opt.ts_val = 1000;
        tcp_opts_push(&syn.opt, TCPOPT_NOP);
        tcp_opts_push(&syn.opt, TCPOPT_WSCALE);
        syn.opt.wscale = 7;
        harness_feed(h, MS(1), syn);
        struct tcp_seg synack = last_out(h);
        CU_ASSERT_EQUAL(tcp_opts_has(&synack.opt, TCPOPT_WSCALE), ts == 1);
        CU_ASSERT_EQUAL(tcp_opts_has(&synack.opt, TCPOPT_SACK_PERM), ts == 1);
        struct tcp_seg ack = INBOUND(.seq = REMOTE_ISS + 1, .ack = synack.seq + 1, .sport = 6000);
        if (ts) {
            tcp_opts_push(&ack.opt, TCPOPT_TS);
            ack.opt.ts_val = 1001;
            ack.opt.ts_ecr = synack.opt.ts_val;
        }
        harness_feed(h, MS(2), ack);
        struct tcp_tcb *child = tcp_listen_accept(h->lst);
        CU_ASSERT_PTR_NOT_NULL_FATAL(child);
        CU_ASSERT_EQUAL(child->ws_ok, ts == 1);
        CU_ASSERT_EQUAL(child->sack_ok, ts == 1);
        CU_ASSERT_EQUAL(child->snd_wscale, ts ? 7 : 0);
        harness_free(h);
    }
}

static CU_TestInfo queue_tests[] = {
    {"SYN queue holds backlog + 1; then SYNs dropped", test_queues_syn_queue_full_drops_without_cookies},
    {"SYN queue full, cookies on: SYN-ACK with a cookie", test_queues_syn_queue_full_sends_cookie},
    {"no cookies: a quarter of tcp_max_syn_backlog kept back", test_queues_max_syn_backlog_quarter},
    {"handshake: SYN queue -> accept queue -> accept()", test_queues_handshake_moves_child_to_accept_queue},
    {"cookie round trip rebuilds the connection, MSS 1300", test_queues_cookie_round_trip},
    {"bad, foreign and stale cookies: RST", test_queues_cookie_validation},
    {"a cookie survives the minute boundary", test_queues_cookie_valid_next_minute},
    {"cookie options travel in the timestamp, or not at all", test_queues_cookie_options_in_timestamp},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo tcp_queues_suites[] = {
    {"tcp listen queues and SYN cookies", NULL, NULL, NULL, NULL, queue_tests},
    CU_SUITE_INFO_NULL,
};
