/* SPDX-License-Identifier: MIT */
/*
 * test_tcp_freebsd.c: the freebsd personality, point by point where it departs from
 * Linux and the RFC personality: its sysctl names and defaults, buffers rounded to the
 * MSS and the window it offers, RFC 5961 with the insecure_* switches, the delayed ACK,
 * the RTO with rexmit_slop, close with unread data.
 */
#include "harness.h"
#include "sim/tcp/tcp_cc.h"

#define R1 (REMOTE_ISS + 1)
#define L1 (LOCAL_ISS + 1)

static struct harness *
freebsd(harness_fixture f)
{
    return harness_new_personality(f, TCP_PERSONALITY_FREEBSD);
}

/* FreeBSD 14's defaults, and its sysctl names in its own units. */
static void
test_freebsd_sysctl_names_and_defaults(void)
{
    struct tcp_sysctl s;
    tcp_sysctl_defaults(&s, TCP_PERSONALITY_FREEBSD);
    CU_ASSERT_EQUAL(s.msl, SEC(30));
    CU_ASSERT_EQUAL(s.rto_min, MS(30));
    CU_ASSERT_EQUAL(s.rexmit_slop, MS(200));
    CU_ASSERT_EQUAL(s.delack_max, MS(40));
    CU_ASSERT_EQUAL(s.tcp_rmem[1], 65536);
    CU_ASSERT_EQUAL(s.tcp_wmem[1], 32768);
    CU_ASSERT_EQUAL(s.tcp_keepalive_probes, 8);
    CU_ASSERT_EQUAL(s.insecure_rst, 0);
    g_autofree char *cc = tcp_sysctl_get(&s, "net.inet.tcp.cc.algorithm");
    CU_ASSERT_STRING_EQUAL(cc, "cubic");
    /* net.inet.tcp.msl is in milliseconds, as sysctl(8) shows it. */
    CU_ASSERT_TRUE(tcp_sysctl_set(&s, "net.inet.tcp.msl", "5000", NULL));
    CU_ASSERT_EQUAL(s.msl, SEC(5));
    CU_ASSERT_TRUE(tcp_sysctl_set(&s, "net.inet.tcp.cc.algorithm", "newreno", NULL));
    CU_ASSERT_EQUAL(s.tcp_congestion_control, 0);
    /* rfc1323 3: timestamps without window scaling. */
    CU_ASSERT_TRUE(tcp_sysctl_set(&s, "net.inet.tcp.rfc1323", "3", NULL));
    CU_ASSERT_EQUAL(s.tcp_timestamps, 1);
    CU_ASSERT_EQUAL(s.tcp_window_scaling, 0);
    /* A FreeBSD name means nothing to the Linux personality: refused, not ignored. */
    struct tcp_sysctl l;
    tcp_sysctl_defaults(&l, TCP_PERSONALITY_LINUX);
    GError *e = NULL;
    CU_ASSERT_FALSE(tcp_sysctl_set(&l, "net.inet.tcp.insecure_rst", "1", &e));
    CU_ASSERT_PTR_NOT_NULL(e);
    g_clear_error(&e);
}

/* tcp_mss(): 65536 bytes of receive buffer become 65700, 45 segments of 1460; the
 * window is the free buffer rounded up to the scale's unit (1027 << 6), never less
 * than what was already offered. */
static void
test_freebsd_buffers_rounded_window_rounded_up(void)
{
    struct harness *h = freebsd(fixture_established);
    CU_ASSERT_EQUAL(h->tcb->rcv.cap, 65700);
    CU_ASSERT_EQUAL(h->tcb->snd.cap, 33580); /* 32768 -> 23 segments */
    CU_ASSERT_EQUAL(tcp_rcv_window(h->tcb), 65535); /* unscaled: capped at 65535 */
    h->tcb->rcv_wscale = 6;
    CU_ASSERT_EQUAL(tcp_rcv_window(h->tcb), 1027u << 6);
    harness_feed(h, MS(10), INBOUND(.seq = R1, .ack = L1, .len = 1000));
    /* 64700 free (more than the 64535 left of what was offered), rounded up: 1011 << 6. */
    CU_ASSERT_EQUAL(tcp_rcv_window(h->tcb), 1011u << 6);
    /* Never less than the right edge already offered: a window of 65535 went out at
     * the handshake, so with 65000 bytes queued it still covers 535 of them. */
    harness_feed(h, MS(20), INBOUND(.seq = R1 + 1000, .ack = L1, .len = 64000));
    CU_ASSERT_EQUAL(tcp_rcv_window(h->tcb), 576u); /* 535 rounded up to 64 */
    harness_free(h);
}

/* RFC 5961 §3.2 as FreeBSD applies it: an in-window RST not at the ACK point draws a
 * challenge ACK; with net.inet.tcp.insecure_rst 1 the same RST resets. */
static void
test_freebsd_rst_challenge_and_insecure_rst(void)
{
    struct harness *h = freebsd(fixture_established);
    harness_feed(h, MS(10), INBOUND(.flags = TCP_RST, .seq = R1 + 1000));
    HARNESS_EXPECT(h, MS(10), OUTBOUND(.seq = L1, .ack = R1));
    CU_ASSERT_EQUAL(harness_state(h), TCP_ESTABLISHED);
    harness_free(h);

    h = freebsd(fixture_established);
    h->st.sysctl.insecure_rst = 1;
    harness_feed(h, MS(10), INBOUND(.flags = TCP_RST, .seq = R1 + 1000));
    HARNESS_EXPECT_NONE(h, MS(10));
    CU_ASSERT_EQUAL(harness_state(h), TCP_CLOSED);
    CU_ASSERT_EQUAL(h->tcb->so_error, ECONNRESET);
    harness_free(h);
}

/* RFC 5961 §4.2: a SYN gets a challenge ACK; with insecure_syn 1 one inside the window
 * drops the connection with RST|ACK (tcp_drop()). */
static void
test_freebsd_syn_challenge_and_insecure_syn(void)
{
    struct harness *h = freebsd(fixture_established);
    harness_feed(h, MS(10), INBOUND(.flags = TCP_SYN, .seq = R1 + 10));
    HARNESS_EXPECT(h, MS(10), OUTBOUND(.seq = L1, .ack = R1));
    CU_ASSERT_EQUAL(harness_state(h), TCP_ESTABLISHED);
    harness_free(h);

    h = freebsd(fixture_established);
    h->st.sysctl.insecure_syn = 1;
    harness_feed(h, MS(10), INBOUND(.flags = TCP_SYN, .seq = R1 + 10));
    HARNESS_EXPECT(h, MS(10), OUTBOUND(.flags = TCP_RST | TCP_ACK, .seq = L1, .ack = R1,
                                       .win = 0));
    CU_ASSERT_EQUAL(harness_state(h), TCP_CLOSED);
    CU_ASSERT_EQUAL(h->tcb->so_error, ECONNRESET);
    harness_free(h);
}

/* DELAY_ACK(): a lone segment waits delacktime (40 ms), the second is ACKed at once, a
 * segment longer than the MSS at once; delayed_ack 0 ACKs every segment. */
static void
test_freebsd_delayed_ack(void)
{
    struct harness *h = freebsd(fixture_established);
    harness_feed(h, MS(10), INBOUND(.seq = R1, .ack = L1, .len = 1000));
    HARNESS_EXPECT_NONE(h, MS(49));
    HARNESS_EXPECT(h, MS(50), OUTBOUND(.seq = L1, .ack = R1 + 1000));
    harness_feed(h, MS(100), INBOUND(.seq = R1 + 1000, .ack = L1, .len = 1000));
    HARNESS_EXPECT_NONE(h, MS(100));
    harness_feed(h, MS(101), INBOUND(.seq = R1 + 2000, .ack = L1, .len = 1000));
    HARNESS_EXPECT(h, MS(101), OUTBOUND(.seq = L1, .ack = R1 + 3000));
    harness_feed(h, MS(200), INBOUND(.seq = R1 + 3000, .ack = L1, .len = 2000));
    HARNESS_EXPECT(h, MS(200), OUTBOUND(.seq = L1, .ack = R1 + 5000));
    h->st.sysctl.delayed_ack = 0;
    harness_feed(h, MS(300), INBOUND(.seq = R1 + 5000, .ack = L1, .len = 100));
    HARNESS_EXPECT(h, MS(300), OUTBOUND(.seq = L1, .ack = R1 + 5100));
    harness_free(h);
}

/* tcp_timer_rexmt(): RTO = max(SRTT + 4*RTTVAR, rexmit_min) * 2^n + rexmit_slop. */
static void
test_freebsd_rto_with_slop(void)
{
    struct harness *h = freebsd(fixture_established);
    h->tcb->rtt_seeded = false; /* forget the handshake's sample */
    tcp_rtt_sample(h->tcb, MS(100)); /* SRTT 100, RTTVAR 50: 300 ms */
    CU_ASSERT_EQUAL(tcp_rto_current(h->tcb), MS(500));
    tcp_user_send(h->tcb, 100, NULL);
    HARNESS_EXPECT(h, MS(0), OUTBOUND(.flags = TCP_ACK | TCP_PSH, .seq = L1, .ack = R1,
                                      .len = 100));
    HARNESS_EXPECT_NONE(h, MS(499));
    HARNESS_EXPECT(h, MS(500), OUTBOUND(.flags = TCP_ACK | TCP_PSH, .seq = L1, .ack = R1,
                                        .len = 100));
    HARNESS_EXPECT_NONE(h, MS(500 + 799));
    HARNESS_EXPECT(h, MS(500 + 800), OUTBOUND(.flags = TCP_ACK | TCP_PSH, .seq = L1,
                                              .ack = R1, .len = 100));
    /* A sample of zero: rexmit_min + rexmit_slop. */
    struct harness *z = freebsd(fixture_established);
    z->tcb->rtt_seeded = false;
    tcp_rtt_sample(z->tcb, 0);
    CU_ASSERT_EQUAL(tcp_rto_current(z->tcb), MS(230));
    harness_free(z);
    harness_free(h);
}

/* tcp_disconnect(): close() with unread data flushes it and sends a FIN, not a RST. */
static void
test_freebsd_close_unread_data_sends_fin(void)
{
    struct harness *h = freebsd(fixture_established);
    harness_feed(h, MS(10), INBOUND(.seq = R1, .ack = L1, .len = 100));
    harness_drain(h);
    tcp_user_close(h->tcb);
    HARNESS_EXPECT(h, MS(10), OUTBOUND(.flags = TCP_ACK | TCP_FIN, .seq = L1, .ack = R1 + 100));
    CU_ASSERT_EQUAL(harness_state(h), TCP_FIN_WAIT_1);
    harness_free(h);
}

/* tcp_addoptions(): a SYN lays out MSS, NOP + window scale, SACK-permitted, then the
 * timestamps: 20 bytes, no padding after the window scale as Linux puts it. */
static void
test_freebsd_syn_option_layout(void)
{
    struct harness *h = freebsd(fixture_closed);
    h->st.sysctl.tcp_timestamps = 1;
    h->st.sysctl.tcp_sack = 1;
    h->st.sysctl.tcp_window_scaling = 1;
    g_ptr_array_add(h->demux, h->tcb);
    tcp_user_connect(h->tcb, LOCAL_ADDR, LOCAL_PORT, REMOTE_ADDR, REMOTE_PORT);
    guint n = 0;
    struct tcp_seg *syn = harness_take(h, &n);
    CU_ASSERT_EQUAL_FATAL(n, 1);
    const uint8_t want[] = {TCPOPT_MSS, TCPOPT_NOP, TCPOPT_WSCALE, TCPOPT_SACK_PERM, TCPOPT_TS};
    CU_ASSERT_EQUAL(syn->opt.n, G_N_ELEMENTS(want));
    for (unsigned i = 0; i < syn->opt.n && i < G_N_ELEMENTS(want); i++) {
        CU_ASSERT_EQUAL(syn->opt.kind[i], want[i]);
    }
    CU_ASSERT_EQUAL(syn->opt.wscale, 6); /* 65535 << 6 reaches kern.ipc.maxsockbuf */
    CU_ASSERT_EQUAL(syn->win, 65535);
    CU_ASSERT_EQUAL(tcp_opts_wire_len(&syn->opt), 20);
    g_free(syn);
    harness_free(h);
}

/* newreno_cong_signal(): ssthresh is half the window in whole segments, not half the
 * flight (RFC 5681's FlightSize/2); an application-limited flight shows the difference. */
static void
test_freebsd_newreno_halves_cwnd(void)
{
    struct tcp_cc_state cc = {.mss = 1000, .initcwnd = 10, .halve_cwnd = true};
    tcp_cc_reno.init(&cc);
    cc.cwnd = 20500;
    cc.flight = 6000;
    tcp_cc_reno.on_loss(&cc, 0);
    CU_ASSERT_EQUAL(cc.ssthresh, 10000);
    cc.cwnd = 3000;
    tcp_cc_reno.on_rto(&cc, 0);
    CU_ASSERT_EQUAL(cc.ssthresh, 2000); /* at least two segments */
    CU_ASSERT_EQUAL(cc.cwnd, 1000);
    struct tcp_cc_state rfc = {.mss = 1000, .initcwnd = 10};
    tcp_cc_reno.init(&rfc);
    rfc.cwnd = 20500;
    rfc.flight = 6000;
    tcp_cc_reno.on_loss(&rfc, 0);
    CU_ASSERT_EQUAL(rfc.ssthresh, 3000);
}

/* tcp_output() after a read: a window update only when the window opens by two
 * segments and a quarter of the buffer (or by half of it). */
static void
test_freebsd_window_update_after_read(void)
{
    struct harness *h = freebsd(fixture_established);
    harness_feed(h, MS(10), INBOUND(.seq = R1, .ack = L1, .len = 40000));
    HARNESS_EXPECT(h, MS(10), OUTBOUND(.seq = L1, .ack = R1 + 40000, .win = 25700));
    CU_ASSERT_EQUAL(tcp_user_recv(h->tcb, 1000, NULL), 1000); /* opens by 1000: nothing */
    HARNESS_EXPECT_NONE(h, MS(10));
    CU_ASSERT_EQUAL(tcp_user_recv(h->tcb, 39000, NULL), 39000); /* by 39835: an update */
    HARNESS_EXPECT(h, MS(10), OUTBOUND(.seq = L1, .ack = R1 + 40000, .win = 65535));
    harness_free(h);
}

static CU_TestInfo freebsd_tests[] = {
    {"a window update after a read", test_freebsd_window_update_after_read},
    {"SYN options in FreeBSD's order", test_freebsd_syn_option_layout},
    {"newreno: ssthresh from cwnd", test_freebsd_newreno_halves_cwnd},
    {"sysctl names, units and defaults", test_freebsd_sysctl_names_and_defaults},
    {"buffers rounded to the MSS, window rounded up", test_freebsd_buffers_rounded_window_rounded_up},
    {"RST: challenge ACK; insecure_rst resets", test_freebsd_rst_challenge_and_insecure_rst},
    {"SYN: challenge ACK; insecure_syn drops", test_freebsd_syn_challenge_and_insecure_syn},
    {"delayed ACK: every second segment, 40 ms", test_freebsd_delayed_ack},
    {"RTO: rexmit_min and rexmit_slop", test_freebsd_rto_with_slop},
    {"close with unread data: FIN", test_freebsd_close_unread_data_sends_fin},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo tcp_freebsd_suites[] = {
    {"tcp freebsd personality", NULL, NULL, NULL, NULL, freebsd_tests},
    CU_SUITE_INFO_NULL,
};
