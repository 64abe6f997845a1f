/* SPDX-License-Identifier: MIT */
/*
 * test_tcp_window.c: window arithmetic with scaling (RFC 7323 §2), flow control, and
 * receiver-side silly-window avoidance (RFC 9293 §3.8.6.2.2).
 */
#include "harness.h"

#define R1 (REMOTE_ISS + 1)
#define L1 (LOCAL_ISS + 1)

/* RFC 7323 §2.3: the peer's window field is shifted by the scale it announced (2). */
static void
test_window_peer_scale_applies(void)
{
    struct harness *h = harness_new(fixture_established_sack);
    CU_ASSERT_EQUAL(h->tcb->snd_wscale, 2);
    harness_feed(h, MS(10), INBOUND(.seq = R1, .ack = L1, .win = 100));
    CU_ASSERT_EQUAL(h->tcb->snd_wnd, 400);
    harness_free(h);
}

/* RFC 7323 §2.2: our SYN's window is not scaled; later windows are shifted by ours (7). */
static void
test_window_ours_is_scaled_after_syn(void)
{
    struct harness *h = harness_new(fixture_established_sack);
    CU_ASSERT_EQUAL(h->tcb->rcv_wscale, 7);
    harness_feed(h, MS(10), INBOUND(.seq = R1, .ack = L1, .len = 100));
    guint n = 0;
    struct tcp_seg *out = harness_take(h, &n);
    CU_ASSERT_EQUAL_FATAL(n, 1);
    CU_ASSERT_EQUAL((uint32_t)out[0].win << 7, h->tcb->rcv_wnd);
    CU_ASSERT(out[0].win < 1024);
    g_free(out);
    harness_free(h);
}

/* A reader that does not read: the window closes to zero, no sliver is offered, and a
 * read that at least doubles the window sends a window update. */
static void
test_window_closes_then_reopens_on_read(void)
{
    struct harness *h = harness_new(fixture_established);
    tcp_seq seq = R1;
    uint16_t last_win = 1;
    for (int i = 0; i < 200 && last_win != 0; i++) {
        harness_feed(h, MS(10 + i), INBOUND(.seq = seq, .ack = L1, .len = 1460));
        guint n = 0;
        struct tcp_seg *out = harness_take(h, &n);
        for (guint j = 0; j < n; j++) {
            last_win = out[j].win;
            CU_ASSERT(out[j].win == 0 || out[j].win >= 1460); /* no silly window */
        }
        g_free(out);
        seq += 1460;
    }
    CU_ASSERT_EQUAL(last_win, 0);
    uint32_t queued = tcp_rcv_queued(h->tcb);
    CU_ASSERT(queued > 60000);
    /* Reading a little does not reopen the window (it would not double). */
    tcp_user_recv(h->tcb, 100, NULL);
    HARNESS_EXPECT_NONE(h, SEC(1));
    /* Reading everything does: a window update. */
    tcp_user_recv(h->tcb, queued, NULL);
    guint n = 0;
    struct tcp_seg *out = harness_take(h, &n);
    CU_ASSERT_EQUAL_FATAL(n, 1);
    CU_ASSERT(out[0].win > 0);
    CU_ASSERT_EQUAL(out[0].ack, h->tcb->rcv_nxt);
    CU_ASSERT(seq_leq(h->tcb->rcv_nxt, seq)); /* what the closed window refused is not acked */
    g_free(out);
    harness_free(h);
}

/* The sender never exceeds the peer's window. */
static void
test_window_limits_the_sender(void)
{
    struct harness *h = harness_new(fixture_established);
    harness_feed(h, MS(10), INBOUND(.seq = R1, .ack = L1, .win = 3000));
    tcp_user_send(h->tcb, 10000, NULL);
    guint n = 0;
    struct tcp_seg *out = harness_take(h, &n);
    uint32_t sent = 0;
    for (guint i = 0; i < n; i++) {
        sent += out[i].len;
    }
    CU_ASSERT(sent <= 3000);
    CU_ASSERT_EQUAL(sent, 2920); /* two full segments; 80 bytes would be a silly window */
    g_free(out);
    harness_free(h);
}

static CU_TestInfo window_tests[] = {
    {"the peer's window scale applies", test_window_peer_scale_applies},
    {"our windows are scaled after the SYN", test_window_ours_is_scaled_after_syn},
    {"window closes to zero, reopens on a real read",
     test_window_closes_then_reopens_on_read},
    {"the sender stays within the peer's window", test_window_limits_the_sender},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo tcp_window_suites[] = {
    {"tcp windows and flow control", NULL, NULL, NULL, NULL, window_tests},
    CU_SUITE_INFO_NULL,
};
