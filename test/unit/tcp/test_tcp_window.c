/* SPDX-License-Identifier: MIT */
/*
 * test_tcp_window.c: window arithmetic with scaling (RFC 7323 §2), flow control, and
 * receiver-side silly-window avoidance (RFC 9293 §3.8.6.2.2).
 */
#include "harness.h"

#define R1 (REMOTE_ISS + 1)
#define L1 (LOCAL_ISS + 1)

/* A peer that sends what our window offers, in segments of `len`, and waits for our
 * delayed ACK when the window is used up, as a bulk sender does; until the window closes
 * or `max` ACKs came. The windows of our ACKs go to `wins` (in bytes); none may be a
 * sliver below one segment. Returns how many. */
static guint
peer_fills_window(struct harness *h, sim_time *t, tcp_seq *seq, uint32_t len, uint32_t *wins,
                  guint max)
{
    guint k = 0;
    bool closed = false;
    for (int round = 0; round < 200 && !closed && k < max; round++) {
        bool sent = false;
        while (seq_leq(*seq + len, h->tcb->rcv_adv) && k < max) {
            harness_feed(h, *t, INBOUND(.seq = *seq, .ack = L1, .len = len));
            *seq += len;
            sent = true;
            guint n = 0;
            struct tcp_seg *out = harness_take(h, &n);
            for (guint j = 0; j < n && k < max; j++) {
                wins[k++] = (uint32_t)out[j].win << h->tcb->rcv_wscale;
            }
            g_free(out);
        }
        *t += MS(200); /* the delayed ACK */
        harness_advance(h, *t);
        guint n = 0;
        struct tcp_seg *out = harness_take(h, &n);
        for (guint j = 0; j < n && k < max; j++) {
            wins[k++] = (uint32_t)out[j].win << h->tcb->rcv_wscale;
        }
        g_free(out);
        closed = (k > 0 && wins[k - 1] == 0) || (!sent && n == 0);
    }
    for (guint j = 0; j < k; j++) {
        CU_ASSERT(wins[j] == 0 || wins[j] >= len); /* no silly window */
    }
    return k;
}

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
    sim_time t = MS(10);
    tcp_seq seq = R1;
    uint32_t wins[256];
    guint k = peer_fills_window(h, &t, &seq, 1460, wins, 256);
    CU_ASSERT_FATAL(k > 0);
    CU_ASSERT_EQUAL(wins[k - 1], 0);
    uint32_t queued = tcp_rcv_queued(h->tcb);
    CU_ASSERT(queued > 60000);
    /* Reading a little does not reopen the window (it would not double). */
    tcp_user_recv(h->tcb, 100, NULL);
    HARNESS_EXPECT_NONE(h, t + SEC(1));
    /* Reading everything does: a window update. */
    tcp_user_recv(h->tcb, queued, NULL);
    guint n = 0;
    struct tcp_seg *out = harness_take(h, &n);
    CU_ASSERT_EQUAL_FATAL(n, 1);
    CU_ASSERT(out[0].win > 0);
    CU_ASSERT_EQUAL(out[0].ack, h->tcb->rcv_nxt);
    CU_ASSERT_EQUAL(h->tcb->rcv_nxt, seq); /* the peer sent only what the window took */
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

/* Linux: setsockopt(SO_RCVBUF, n) stores 2n (sock_setsockopt()), n capped by rmem_max
 * and the result floored at SOCK_MIN_RCVBUF; the RFC personality stores n. */
static void
test_window_sockopt_stores_twice(void)
{
    struct harness *h = harness_new(fixture_closed);
    CU_ASSERT_EQUAL(tcp_sockopt_bufsize(&h->st, 8192, true), 16384);
    CU_ASSERT_EQUAL(tcp_sockopt_bufsize(&h->st, 8192, false), 16384);
    CU_ASSERT_EQUAL(tcp_sockopt_bufsize(&h->st, 100, true), 2304);
    CU_ASSERT_EQUAL(tcp_sockopt_bufsize(&h->st, 100, false), 4608);
    CU_ASSERT_EQUAL(tcp_sockopt_bufsize(&h->st, 1 << 20, true), 2 * 212992);
    tcp_sysctl_defaults(&h->st.sysctl, TCP_PERSONALITY_RFC);
    CU_ASSERT_EQUAL(tcp_sockopt_bufsize(&h->st, 8192, true), 8192);
    harness_free(h);
}

/* SO_RCVBUF 8192, as a Linux application sets it: the connection gets 16384 bytes. */
static void
fixture_rcvbuf_8k(struct harness *h)
{
    fixture_closed(h);
    h->tcb->rcv.cap = (uint32_t)tcp_sockopt_bufsize(&h->st, 8192, true);
    h->tcb->rcvbuf_locked = true;
    g_ptr_array_add(h->demux, h->tcb);
    tcp_user_connect(h->tcb, LOCAL_ADDR, LOCAL_PORT, REMOTE_ADDR, REMOTE_PORT);
    harness_drain(h);
    harness_feed(h, 0, with_mss(INBOUND(.flags = TCP_SYN | TCP_ACK, .seq = REMOTE_ISS,
                                        .ack = LOCAL_ISS + 1), 1460));
    g_assert(h->tcb->state == TCP_ESTABLISHED);
    harness_drain(h);
}

/* Linux 6.18, SO_RCVBUF 8192 and a reader that never reads, as captured
 * (test/replay/captures/window-limited.pcap). The SYN offered half the 16384 bytes in
 * whole segments (7300); the peer sends segments of 1448 bytes (as with timestamps).
 * The first one measures the payload-to-memory ratio, 1448 / 2280 (162/256), which
 * raises the window clamp to 10368 and lets rcv_ssthresh grow to what the free buffer
 * offers, 8925: the ACK says 8688, a whole number of the peer's segments
 * (icsk_ack.rcv_mss, not our MSS of 1460). The next segments are coalesced into the
 * first skb at 1448 bytes each; the right edge stays put (7240, 5792) and the quick ACKs
 * run out; the delayed ACK after seven segments offers 2896, after nine 1448, and the
 * window closes with exactly ten segments, 14480 bytes, unread (15312 bytes of memory). */
static void
test_window_rounded_to_peer_segments(void)
{
    struct harness *h = harness_new(fixture_rcvbuf_8k);
    CU_ASSERT_EQUAL(h->tcb->rcv.cap, 16384);
    CU_ASSERT_EQUAL(h->tcb->rcv_wnd, 7300);
    CU_ASSERT_EQUAL(h->tcb->rcv_wscale, 0);
    CU_ASSERT_EQUAL(h->tcb->window_clamp, 8192 - 1460); /* one segment kept back */
    sim_time t = MS(10);
    tcp_seq seq = R1;
    uint32_t wins[16];
    guint k = peer_fills_window(h, &t, &seq, 1448, wins, 16);
    static const uint32_t linux_wins[] = {8688, 7240, 5792, 2896, 1448, 0};
    CU_ASSERT_EQUAL_FATAL(k, G_N_ELEMENTS(linux_wins));
    for (guint i = 0; i < k; i++) {
        CU_ASSERT_EQUAL(wins[i], linux_wins[i]);
    }
    CU_ASSERT_EQUAL(h->tcb->scaling_ratio, 1448 * 256 / 2280);
    CU_ASSERT_EQUAL(h->tcb->window_clamp, 16384u * 162 / 256);
    CU_ASSERT_EQUAL(h->tcb->rcv_ssthresh, 8925);
    CU_ASSERT_EQUAL(tcp_rcv_queued(h->tcb), 14480);
    CU_ASSERT_EQUAL(tcp_rcv_truesize(h->tcb), 2280 + 9 * 1448);
    harness_free(h);
}

/* Linux: tcp_init_buffer_space() keeps one segment of the buffer back from the window
 * (tcp_app_win), so after the handshake rcv_ssthresh is the window clamp, 65536 - 1460:
 * a 200-byte response leaves the window where it was (Linux 6.18's client kept
 * announcing 63 x 1024 after responses of 200, 300 and 500 bytes), and a 100-byte one
 * is too small to count (tcp_grow_window() wants 128 bytes). A full segment measures the
 * payload-to-memory ratio, the clamp follows the buffer (82944), and rcv_ssthresh
 * starts from the window last offered and grows by two segments. */
static void
test_window_grows_only_on_real_segments(void)
{
    struct harness *h = harness_new(fixture_established_sack);
    uint32_t start = h->tcb->rcv_ssthresh;
    CU_ASSERT_EQUAL(start, 65536 - 1460);
    CU_ASSERT_EQUAL(h->tcb->window_clamp, start);
    harness_feed(h, MS(10), INBOUND(.seq = R1, .ack = L1, .len = 200));
    CU_ASSERT_EQUAL(h->tcb->rcv_ssthresh, start);
    guint n = 0;
    struct tcp_seg *out = harness_take(h, &n);
    CU_ASSERT_EQUAL_FATAL(n, 1);
    /* the SYN's 64240 less 200, scaled by 128 and rounded up: the right edge stays */
    CU_ASSERT_EQUAL(out[0].win, (64240 - 200 + 127) / 128);
    g_free(out);
    harness_feed(h, MS(20), INBOUND(.seq = R1 + 200, .ack = L1, .len = 100));
    CU_ASSERT_EQUAL(h->tcb->rcv_ssthresh, start);
    harness_drain(h);
    uint32_t offered = h->tcb->rcv_wnd;
    harness_feed(h, MS(30), INBOUND(.seq = R1 + 300, .ack = L1, .len = 1448));
    CU_ASSERT_EQUAL(h->tcb->scaling_ratio, 162);
    CU_ASSERT_EQUAL(h->tcb->window_clamp, 131072u * 162 / 256);
    CU_ASSERT_EQUAL(h->tcb->rcv_ssthresh, offered + 2 * 1460);
    harness_free(h);
}

/* Linux 6.x: until a full segment has been measured, half the buffer is offered
 * (TCP_DEFAULT_SCALING_RATIO); a full segment measures the real share (here 1460 of
 * 2292 bytes of buffer memory), and the window clamp follows (tcp_measure_rcv_mss(),
 * tcp_set_window_clamp()). */
static void
test_window_scaling_ratio_measured(void)
{
    struct harness *h = harness_new(fixture_established);
    CU_ASSERT_EQUAL(tcp_win_from_space(h->tcb, 131072), 131072 / 2);
    CU_ASSERT_EQUAL(tcp_rcv_full_space(h->tcb), 131072 / 2 - 1460);
    harness_feed(h, MS(10), INBOUND(.seq = R1, .ack = L1, .len = 100));
    CU_ASSERT_EQUAL(tcp_win_from_space(h->tcb, 131072), 131072 / 2); /* too small */
    harness_feed(h, MS(20), INBOUND(.seq = R1 + 100, .ack = L1, .len = 1460));
    CU_ASSERT_EQUAL(h->tcb->scaling_ratio, 1460 * 256 / 2292);
    CU_ASSERT_EQUAL(tcp_rcv_full_space(h->tcb), 131072u * (1460 * 256 / 2292) / 256);
    CU_ASSERT_EQUAL(h->tcb->window_clamp, tcp_rcv_full_space(h->tcb));
    harness_free(h);
}

/* Linux: tcp_cleanup_rbuf() runs once per read. A read that drains a closed window in
 * four steps (the application's buffer is smaller) sends one window update; the skb the
 * ten segments were coalesced into is freed only when read to its end
 * (tcp_eat_recv_skb()), so the window offered after it is the whole buffer's, up to
 * rcv_ssthresh: 8688, as Linux 6.18's reader offered when it had drained its queue. */
static void
test_window_one_update_per_read(void)
{
    struct harness *h = harness_new(fixture_rcvbuf_8k);
    sim_time t = MS(10);
    tcp_seq seq = R1;
    uint32_t wins[16];
    guint k = peer_fills_window(h, &t, &seq, 1448, wins, 16);
    CU_ASSERT_FATAL(k > 0);
    CU_ASSERT_EQUAL(wins[k - 1], 0);
    CU_ASSERT_EQUAL(h->tcb->rcv_wnd, 0);
    for (int i = 0; i < 4; i++) {
        CU_ASSERT_EQUAL(tcp_user_recv_part(h->tcb, 3620, NULL), 3620);
        CU_ASSERT_EQUAL(tcp_rcv_truesize(h->tcb), i < 3 ? 2280u + 9 * 1448 : 0u);
    }
    HARNESS_EXPECT_NONE(h, t + SEC(1));
    tcp_user_recv_end(h->tcb);
    guint n = 0;
    struct tcp_seg *out = harness_take(h, &n);
    CU_ASSERT_EQUAL_FATAL(n, 1);
    CU_ASSERT_EQUAL(out[0].win, 8688);
    CU_ASSERT_EQUAL(out[0].ack, seq);
    g_free(out);
    harness_free(h);
}

static CU_TestInfo window_tests[] = {
    {"the peer's window scale applies", test_window_peer_scale_applies},
    {"our windows are scaled after the SYN", test_window_ours_is_scaled_after_syn},
    {"window closes to zero, reopens on a real read",
     test_window_closes_then_reopens_on_read},
    {"the sender stays within the peer's window", test_window_limits_the_sender},
    {"Linux: SO_RCVBUF and SO_SNDBUF store twice the value", test_window_sockopt_stores_twice},
    {"Linux: windows are whole peer segments, closed at 14480 of 16384",
     test_window_rounded_to_peer_segments},
    {"Linux: the window grows only on segments of 128 bytes or more",
     test_window_grows_only_on_real_segments},
    {"Linux: scaling_ratio is measured from a full segment", test_window_scaling_ratio_measured},
    {"Linux: one window update per read", test_window_one_update_per_read},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo tcp_window_suites[] = {
    {"tcp windows and flow control", NULL, NULL, NULL, NULL, window_tests},
    CU_SUITE_INFO_NULL,
};
