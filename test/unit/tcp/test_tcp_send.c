/* SPDX-License-Identifier: MIT */
/*
 * test_tcp_send.c: the send side as Linux 6.18 runs it, beside the RFC personality:
 * slow start on stretch ACKs (tcp_slow_start()), congestion window validation (RFC 7661,
 * tcp_is_cwnd_limited()), restart after idle (RFC 5681 §4.1, tcp_cwnd_restart()), where
 * PSH goes (forced_push()), no sender slivers (tcp_snd_wnd_test(), tcp_write_wakeup()),
 * the one-third wake-up of a blocked writer (sk_stream_is_writeable()), and TCP_CORK and
 * MSG_MORE (tcp_push(), tcp_nagle_check()).
 */
#include <errno.h>

#include "harness.h"

#define R1 (REMOTE_ISS + 1)
#define L1 (LOCAL_ISS + 1)
#define MSS 1460u

/* Sends what is due and returns how many segments went (their flags in *psh, a bitmap
 * of which carried PSH, oldest first, for up to 64). */
static guint
sent_segments(struct harness *h, uint64_t *psh, uint32_t *bytes)
{
    guint n = 0;
    struct tcp_seg *out = harness_take(h, &n);
    *psh = 0;
    *bytes = 0;
    for (guint i = 0; i < n; i++) {
        if (seg_has(&out[i], TCP_PSH) && i < 64) {
            *psh |= 1ull << i;
        }
        *bytes += out[i].len;
    }
    g_free(out);
    return n;
}

/* Ten segments in flight; the peer acknowledges four of them with one (stretch) ACK. */
static uint32_t
cwnd_after_stretch_ack(enum tcp_personality p)
{
    struct harness *h = harness_new_personality(fixture_established, p);
    tcp_user_send(h->tcb, 20 * MSS, NULL);
    harness_drain(h);
    CU_ASSERT_EQUAL(h->tcb->cc.cwnd, 10 * MSS);
    harness_feed(h, MS(100), INBOUND(.seq = R1, .ack = L1 + 4 * MSS));
    uint32_t cwnd = h->tcb->cc.cwnd;
    harness_free(h);
    return cwnd;
}

/* Linux counts every segment a stretch ACK covers; RFC 3465 caps the step at 2 SMSS. */
static void
test_slow_start_counts_stretch_ack_in_full(void)
{
    CU_ASSERT_EQUAL(cwnd_after_stretch_ack(TCP_PERSONALITY_LINUX), 14 * MSS);
    CU_ASSERT_EQUAL(cwnd_after_stretch_ack(TCP_PERSONALITY_RFC), 12 * MSS);
}

/* Slow start stops at ssthresh; the rest of the ACK is congestion avoidance's. */
static void
test_slow_start_capped_at_ssthresh(void)
{
    struct tcp_cc_state cc = {.mss = MSS, .initcwnd = 10, .ss_full = true};
    tcp_cc_reno.init(&cc);
    cc.ssthresh = 12 * MSS;
    tcp_cc_reno.on_ack(&cc, 4 * MSS, 0);
    CU_ASSERT_EQUAL(cc.cwnd, 12 * MSS);
    CU_ASSERT_EQUAL(cc.bytes_acked, 2 * MSS);
}

/* Five segments written with a window of ten: the flight never used the window, so its
 * ACKs prove nothing about a larger one; cwnd stays (Linux). The RFC personality grows. */
static uint32_t
cwnd_after_app_limited_flight(enum tcp_personality p)
{
    struct harness *h = harness_new_personality(fixture_established, p);
    tcp_user_send(h->tcb, 5 * MSS, NULL);
    harness_drain(h);
    harness_feed(h, MS(100), INBOUND(.seq = R1, .ack = L1 + 5 * MSS));
    uint32_t cwnd = h->tcb->cc.cwnd;
    harness_free(h);
    return cwnd;
}

static void
test_cwnd_grows_only_when_used(void)
{
    CU_ASSERT_EQUAL(cwnd_after_app_limited_flight(TCP_PERSONALITY_LINUX), 10 * MSS);
    CU_ASSERT(cwnd_after_app_limited_flight(TCP_PERSONALITY_RFC) > 10 * MSS);
}

/* In slow start a flight of more than half the window still lets it grow: cwnd may
 * reach twice what was in flight (tcp_is_cwnd_limited()). */
static void
test_cwnd_grows_to_twice_the_flight_in_slow_start(void)
{
    struct harness *h = harness_new(fixture_established);
    tcp_user_send(h->tcb, 6 * MSS, NULL);
    harness_drain(h);
    for (uint32_t i = 1; i <= 6; i++) {
        harness_feed(h, MS(100) + i, INBOUND(.seq = R1, .ack = L1 + i * MSS));
    }
    CU_ASSERT_EQUAL(h->tcb->cc.cwnd, 12 * MSS);
    harness_free(h);
}

/* tcp_slow_start_after_idle: after three RTOs of silence a window of 40 segments
 * restarts halved per RTO down to the initial window; with the knob off it stays. */
static uint32_t
cwnd_after_idle(int64_t knob)
{
    struct harness *h = harness_new(fixture_established);
    h->st.sysctl.tcp_slow_start_after_idle = knob;
    tcp_user_send(h->tcb, MSS, NULL);
    harness_feed(h, MS(10), INBOUND(.seq = R1, .ack = L1 + MSS));
    harness_drain(h);
    h->tcb->cc.cwnd = 40 * MSS;
    h->tcb->cc.ssthresh = 20 * MSS;
    sim_time rto = h->tcb->rto;
    harness_advance(h, MS(10) + 3 * rto + MS(1));
    tcp_user_send(h->tcb, MSS, NULL);
    uint32_t cwnd = h->tcb->cc.cwnd;
    if (knob) {
        CU_ASSERT_EQUAL(h->tcb->cc.ssthresh, 30 * MSS); /* at least three quarters of 40 */
    }
    harness_free(h);
    return cwnd;
}

static void
test_slow_start_after_idle(void)
{
    CU_ASSERT_EQUAL(cwnd_after_idle(1), 10 * MSS); /* 40 -> 20 -> 10, not below IW */
    CU_ASSERT_EQUAL(cwnd_after_idle(0), 40 * MSS);
}

/* One write of 60 segments into a 65535-byte window, without TSO. Linux fills skbs of
 * the size goal, 22 segments (half the window, in whole segments), and checks
 * forced_push() each time one is full: the first ends at 32120, not more than half the
 * window (32767) past the last mark, and goes at once unmarked (tcp_push_one()); the
 * second, at 64240, is marked; the write's end is marked. The window lets 44 go now. */
static void
test_psh_forced_every_half_window(void)
{
    struct harness *h = harness_new(fixture_established);
    h->st.sysctl.tso = 0;
    h->tcb->cc.cwnd = 64 * MSS;
    h->tcb->snd.cap = 128 * MSS;
    harness_feed(h, MS(1), INBOUND(.seq = R1, .ack = L1, .win = 65535));
    CU_ASSERT_EQUAL(tcp_user_send(h->tcb, 60 * MSS, NULL), 60 * MSS);
    uint64_t psh = 0;
    uint32_t bytes = 0;
    CU_ASSERT_EQUAL(sent_segments(h, &psh, &bytes), 44);
    CU_ASSERT_EQUAL(psh, 1ull << 43);
    CU_ASSERT_FALSE(tcp_snd_push_at(h->tcb, 22 * MSS));
    CU_ASSERT_TRUE(tcp_snd_push_at(h->tcb, 60 * MSS));
    harness_free(h);
}

/* With TSO, the first skb goes as one TSO packet of 22 segments as soon as it is full,
 * and a TSO packet's last segment carries PSH: the 22nd and the write's last. */
static void
test_psh_first_skb_pushed_as_tso_packet(void)
{
    struct harness *h = harness_new(fixture_established);
    h->tcb->cc.cwnd = 64 * MSS;
    h->tcb->snd.cap = 64 * MSS;
    harness_feed(h, MS(1), INBOUND(.seq = R1, .ack = L1, .win = 65535));
    tcp_user_send(h->tcb, 30 * MSS, NULL);
    uint64_t psh = 0;
    uint32_t bytes = 0;
    CU_ASSERT_EQUAL(sent_segments(h, &psh, &bytes), 30);
    CU_ASSERT_EQUAL(psh, (1ull << 21) | (1ull << 29));
    harness_free(h);
}

/* Two writes: the second fills the first one's unsent tail, so the first one's PSH
 * moves to the end of the second (Linux clears it when it adds to the segment). */
static void
test_psh_moves_with_the_unsent_tail(void)
{
    struct harness *h = harness_new(fixture_established);
    harness_feed(h, MS(1), INBOUND(.seq = R1, .ack = L1, .win = 200));
    tcp_user_send(h->tcb, 300, NULL); /* waits: the window is too small */
    tcp_user_send(h->tcb, 300, NULL);
    CU_ASSERT_FALSE(tcp_snd_push_at(h->tcb, 300));
    CU_ASSERT_TRUE(tcp_snd_push_at(h->tcb, 600));
    harness_free(h);
}

/* Where the marks of the send buffer are, between stream offsets lo and hi (in MSS),
 * as a bitmap: bit i for a mark at (lo + i + 1) MSS. */
static uint64_t
marks_between(const struct harness *h, uint32_t lo, uint32_t hi)
{
    uint64_t m = 0;
    for (uint32_t i = lo + 1; i <= hi && i - lo - 1 < 64; i++) {
        if (tcp_snd_push_at(h->tcb, (uint64_t)i * MSS)) {
            m |= 1ull << (i - lo - 1);
        }
    }
    return m;
}

/* PSH is the flag of an skb, not a place in the stream (measured on Linux 6.18:
 * cubic-rto-ss-ca-cwnd-bump). A write of 60 segments into a 65535-byte window with a
 * congestion window of two: the first skb (22 segments) goes at once, cut to one
 * segment (half the window); the tail, filled up to 22 again, ends at 23 segments, more
 * than half the window past the last push, and is marked; the forced push sends one
 * more segment and cuts it again, and the write fills it up once more: the mark rides
 * to 24 segments, where the skb now ends. The next skb ends at 46, half a window later,
 * and is marked there; the write's end is marked. */
static void
test_psh_forced_mark_rides_its_skb(void)
{
    struct harness *h = harness_new(fixture_established);
    h->tcb->cc.cwnd = 2 * MSS;
    h->tcb->snd.cap = 128 * MSS;
    harness_feed(h, MS(1), INBOUND(.seq = R1, .ack = L1, .win = 65535));
    CU_ASSERT_EQUAL(tcp_user_send(h->tcb, 60 * MSS, NULL), 60 * MSS);
    uint64_t psh = 0;
    uint32_t bytes = 0;
    CU_ASSERT_EQUAL(sent_segments(h, &psh, &bytes), 2);
    CU_ASSERT_EQUAL(psh, 0);
    CU_ASSERT_EQUAL(marks_between(h, 0, 60), (1ull << 23) | (1ull << 45) | (1ull << 59));
    harness_free(h);
}

/* Linux 6.10+ tcp_grow_skb(): the first unsent skb, shorter than the packet the window
 * allows, takes bytes from the next one before it goes, and its PSH moves to its new
 * end. The peer opens its window one segment an ACK: the skb marked at 24 segments is
 * cut a segment at a time, and once what is left of it is shorter than a TSO packet it
 * grows into the next skb, again and again: none of the segments sent carries the
 * forced push (measured on Linux 6.18: none of the first 46). */
static void
test_psh_floats_ahead_of_a_short_skb(void)
{
    struct harness *h = harness_new(fixture_established);
    h->tcb->cc.cwnd = 2 * MSS;
    h->tcb->snd.cap = 128 * MSS;
    harness_feed(h, MS(1), INBOUND(.seq = R1, .ack = L1, .win = 65535));
    tcp_user_send(h->tcb, 60 * MSS, NULL);
    harness_drain(h);
    h->tcb->cc.cwnd = 40 * MSS;
    uint64_t any = 0;
    for (uint32_t k = 1; k <= 40; k++) {
        /* The window's right edge: two segments past what is acknowledged. */
        harness_feed(h, MS(10) + k, INBOUND(.seq = R1, .ack = L1 + k * MSS, .win = 2 * MSS));
        uint64_t psh = 0;
        uint32_t bytes = 0;
        sent_segments(h, &psh, &bytes);
        any |= psh;
        CU_ASSERT_EQUAL(bytes, MSS);
    }
    CU_ASSERT_EQUAL(any, 0);
    CU_ASSERT_FALSE(tcp_snd_push_at(h->tcb, 24 * MSS));
    CU_ASSERT_TRUE(tcp_snd_push_at(h->tcb, 60 * MSS));
    harness_free(h);
}

/* The RFC personality pushes when the buffer empties, not at forced points. */
static void
test_psh_rfc_only_at_the_end(void)
{
    struct harness *h = harness_new_personality(fixture_established, TCP_PERSONALITY_RFC);
    h->tcb->cc.cwnd = 64 * MSS;
    h->tcb->snd.cap = 64 * MSS;
    tcp_user_send(h->tcb, 30 * MSS, NULL);
    uint64_t psh = 0;
    uint32_t bytes = 0;
    CU_ASSERT_EQUAL(sent_segments(h, &psh, &bytes), 30);
    CU_ASSERT_EQUAL(psh, 1ull << 29);
    harness_free(h);
}

/* The peer offers 1000 bytes, less than a segment: Linux sends nothing (no sliver); the
 * persist timer, about one RTO later, sends the 1000 bytes that fit, with PSH. */
static void
test_no_sliver_then_window_probe_sends_what_fits(void)
{
    struct harness *h = harness_new(fixture_established);
    harness_feed(h, MS(1), INBOUND(.seq = R1, .ack = L1, .win = 1000));
    tcp_user_send(h->tcb, 3000, NULL);
    HARNESS_EXPECT_NONE(h, MS(2));
    CU_ASSERT_TRUE(ev_pending(&h->tcb->timer.persist));
    sim_time at = MS(1) + h->tcb->rto; /* Linux: tcp_probe0_base() */
    HARNESS_EXPECT_NONE(h, at - 1);
    HARNESS_EXPECT(h, at, OUTBOUND(.flags = TCP_ACK | TCP_PSH, .seq = L1, .ack = R1,
                                   .len = 1000));
    CU_ASSERT_TRUE(ev_pending(&h->tcb->timer.rto)); /* the RTO watches it now */
    CU_ASSERT_FALSE(ev_pending(&h->tcb->timer.persist));
    harness_free(h);
}

/* The RFC personality sends the sliver at once when nothing is in flight (RFC 9293
 * §3.8.6.2.1 lets a partial segment go when it is all that fits and nothing waits for
 * an ACK). */
static void
test_rfc_sends_the_sliver(void)
{
    struct harness *h = harness_new_personality(fixture_established, TCP_PERSONALITY_RFC);
    harness_feed(h, MS(1), INBOUND(.seq = R1, .ack = L1, .win = 1000));
    tcp_user_send(h->tcb, 3000, NULL);
    HARNESS_EXPECT(h, MS(1), OUTBOUND(.seq = L1, .ack = R1, .len = 1000));
    harness_free(h);
}

/* Linux counts the send buffer in truesize (tcp_wqueue.c). The peer's window is two
 * segments, so the write fills skbs of one segment (the size goal is half the largest
 * window), each charged 1460 + 832 bytes (measured on Linux 6.18). The first two go at
 * once; the window then holds the rest, and each forced push (every skb is more than
 * half a window past the last) lets the head skb take in the next ones, up to the
 * packet the congestion window allows (tcp_grow_skb(): five segments, half of ten): so
 * four skbs hold eight segments when the buffer (14600) is full, charged 15008. The
 * blocked writer is woken only once a third of the buffer is free
 * (sk_stream_write_space()): not at 11256 charged nor at 9796 (4804 free, below half of
 * what is charged), but at 8336 (6264 free). */
#define SKB_COST 832
static void
test_blocked_writer_woken_at_a_third(void)
{
    struct harness *h = harness_new(fixture_established);
    harness_feed(h, MS(1), INBOUND(.seq = R1, .ack = L1, .win = 2 * MSS));
    h->tcb->max_snd_wnd = 2 * MSS;
    h->tcb->sndbuf_locked = true;
    h->tcb->snd.cap = 10 * MSS;
    CU_ASSERT_EQUAL(tcp_user_send(h->tcb, 20 * MSS, NULL), 8 * MSS);
    CU_ASSERT_TRUE(h->tcb->snd_nospace);
    CU_ASSERT_EQUAL(tcp_snd_wmem_queued(h->tcb), 8 * MSS + 4 * SKB_COST);
    CU_ASSERT_EQUAL(tcp_user_send(h->tcb, MSS, NULL), -EAGAIN);
    harness_drain(h);
    guint wakes = h->wakes;
    harness_feed(h, MS(100), INBOUND(.seq = R1, .ack = L1 + 2 * MSS, .win = 2 * MSS));
    CU_ASSERT_EQUAL(tcp_snd_wmem_queued(h->tcb), 6 * MSS + 3 * SKB_COST);
    harness_feed(h, MS(101), INBOUND(.seq = R1, .ack = L1 + 3 * MSS, .win = 2 * MSS));
    CU_ASSERT_EQUAL(tcp_snd_wmem_queued(h->tcb), 5 * MSS + 3 * SKB_COST);
    CU_ASSERT_EQUAL(h->wakes, wakes);
    CU_ASSERT_FALSE(tcp_snd_writeable(h->tcb));
    harness_feed(h, MS(102), INBOUND(.seq = R1, .ack = L1 + 4 * MSS, .win = 2 * MSS));
    CU_ASSERT_EQUAL(tcp_snd_wmem_queued(h->tcb), 4 * MSS + 3 * SKB_COST);
    CU_ASSERT(h->wakes > wakes);
    CU_ASSERT_TRUE(tcp_snd_writeable(h->tcb));
    harness_free(h);
}

/* The RFC personality counts payload bytes: the same buffer takes ten segments. */
static void
test_rfc_send_buffer_in_payload_bytes(void)
{
    struct harness *h = harness_new_personality(fixture_established, TCP_PERSONALITY_RFC);
    harness_feed(h, MS(1), INBOUND(.seq = R1, .ack = L1, .win = 2 * MSS));
    h->tcb->sndbuf_locked = true;
    h->tcb->snd.cap = 10 * MSS;
    CU_ASSERT_EQUAL(tcp_user_send(h->tcb, 20 * MSS, NULL), 10 * MSS);
    CU_ASSERT_EQUAL(tcp_snd_wmem_queued(h->tcb), 10 * MSS);
    harness_free(h);
}

/* A transmission that ends inside an skb cuts it (tso_fragment()): both halves are
 * charged the overhead. One write of 20 segments into a large window is one skb (the
 * size goal is 22 segments); IW10 sends ten of them as two TSO packets of five (no
 * packet takes more than half of cwnd), so three skbs are charged. */
static void
test_transmission_cuts_the_skb(void)
{
    struct harness *h = harness_new(fixture_established);
    harness_feed(h, MS(1), INBOUND(.seq = R1, .ack = L1, .win = 65535));
    CU_ASSERT_EQUAL(tcp_user_send(h->tcb, 20 * MSS, NULL), 20 * MSS);
    guint n = 0;
    g_free(harness_take(h, &n));
    CU_ASSERT_EQUAL(n, 10);
    CU_ASSERT_EQUAL(tcp_snd_wmem_queued(h->tcb), 20 * MSS + 3 * SKB_COST);
    /* The first ten are acknowledged: their two skbs are freed whole. */
    harness_feed(h, MS(100), INBOUND(.seq = R1, .ack = L1 + 10 * MSS, .win = 65535));
    uint64_t wq = tcp_snd_wmem_queued(h->tcb);
    CU_ASSERT(wq >= 10 * MSS + SKB_COST);
    CU_ASSERT_EQUAL((wq - 10 * MSS) % SKB_COST, 0);
    harness_free(h);
}

/* TCP_CORK: two small writes wait (nothing in flight, so Nagle alone would send them);
 * pulling the cork sends them as one pushed segment. */
static void
test_cork_holds_small_writes_until_uncorked(void)
{
    struct harness *h = harness_new(fixture_established);
    tcp_user_set_cork(h->tcb, true);
    tcp_user_send(h->tcb, 40, NULL);
    HARNESS_EXPECT_NONE(h, MS(50));
    tcp_user_send(h->tcb, 40, NULL);
    HARNESS_EXPECT_NONE(h, MS(60));
    tcp_user_set_cork(h->tcb, false);
    HARNESS_EXPECT(h, MS(60), OUTBOUND(.flags = TCP_ACK | TCP_PSH, .seq = L1, .ack = R1,
                                       .len = 80));
    harness_free(h);
}

/* Corked, full segments still go; TCP_NODELAY set while corked pushes the rest. */
static void
test_cork_sends_full_segments_and_nodelay_pushes(void)
{
    struct harness *h = harness_new(fixture_established);
    tcp_user_set_cork(h->tcb, true);
    tcp_user_send(h->tcb, MSS + 100, NULL);
    HARNESS_EXPECT(h, MS(1), OUTBOUND(.seq = L1, .ack = R1, .len = MSS));
    HARNESS_EXPECT_NONE(h, MS(2));
    tcp_user_set_nodelay(h->tcb, true);
    HARNESS_EXPECT(h, MS(2), OUTBOUND(.flags = TCP_ACK | TCP_PSH, .seq = L1 + MSS, .ack = R1,
                                      .len = 100));
    harness_free(h);
}

/* MSG_MORE corks one call, even with TCP_NODELAY; the next send without it releases
 * everything, pushed. An ACK releases what MSG_MORE held, unpushed. */
static void
test_msg_more_corks_one_call(void)
{
    struct harness *h = harness_new(fixture_established);
    tcp_user_set_nodelay(h->tcb, true);
    tcp_user_send_more(h->tcb, 100, NULL, true);
    tcp_user_send_more(h->tcb, 160, NULL, true);
    HARNESS_EXPECT_NONE(h, MS(10));
    tcp_user_send(h->tcb, 5, NULL);
    HARNESS_EXPECT(h, MS(10), OUTBOUND(.flags = TCP_ACK | TCP_PSH, .seq = L1, .ack = R1,
                                       .len = 265));
    tcp_user_send_more(h->tcb, 50, NULL, true);
    HARNESS_EXPECT_NONE(h, MS(11));
    harness_feed(h, MS(20), INBOUND(.seq = R1, .ack = L1 + 265));
    HARNESS_EXPECT(h, MS(20), OUTBOUND(.seq = L1 + 265, .ack = R1, .len = 50));
    harness_free(h);
}

/* A corked piece with nothing in flight is sent by the persist timer, pushed, about one
 * RTO later (tcp(7): "a 200 millisecond ceiling"). */
static void
test_msg_more_ceiling_is_the_persist_timer(void)
{
    struct harness *h = harness_new(fixture_established);
    tcp_user_send_more(h->tcb, 40, NULL, true);
    sim_time at = h->tcb->rto;
    HARNESS_EXPECT_NONE(h, at - 1);
    HARNESS_EXPECT(h, at, OUTBOUND(.flags = TCP_ACK | TCP_PSH, .seq = L1, .ack = R1, .len = 40));
    harness_free(h);
}

/* Ten segments of new data in one pass, on a 100 ms path: PSH where each TSO packet ends
 * (bitmap of the segments that carried it). */
static uint64_t
psh_of_first_flight(bool tso, int64_t min_tso_segs)
{
    struct harness *h = harness_new(fixture_established);
    h->st.sysctl.tso = tso;
    h->st.sysctl.tcp_min_tso_segs = min_tso_segs;
    h->tcb->srtt = MS(100);
    h->tcb->cc.min_rtt = MS(100);
    h->tcb->cc.cwnd = 10 * MSS;
    tcp_user_send(h->tcb, 10 * MSS, NULL);
    uint64_t psh = 0;
    uint32_t bytes = 0;
    CU_ASSERT_EQUAL(sent_segments(h, &psh, &bytes), 10);
    CU_ASSERT_EQUAL(bytes, 10 * MSS);
    harness_free(h);
    return psh;
}

/* Linux: __tcp_transmit_skb() marks every TSO packet of two segments or more with PSH;
 * tcp_tso_autosize() makes them two segments here (a millisecond at the pacing rate is
 * less than one), and the device leaves the PSH on the last segment of each. */
static void
test_tso_packets_carry_psh(void)
{
    CU_ASSERT_EQUAL(psh_of_first_flight(true, 2), 0x2AAull); /* segments 1, 3, 5, 7, 9 */
}

/* No TSO: PSH only where the write ends. */
static void
test_no_tso_psh_at_the_write_end(void)
{
    CU_ASSERT_EQUAL(psh_of_first_flight(false, 2), 1ull << 9);
}

/* A TSO packet takes at most half the congestion window (tcp_cwnd_test()): with
 * tcp_min_tso_segs 10 and cwnd 10, two packets of five. */
static void
test_tso_packet_at_most_half_cwnd(void)
{
    CU_ASSERT_EQUAL(psh_of_first_flight(true, 10), (1ull << 4) | (1ull << 9));
}

/* Retransmissions go one MSS a time, with the PSH of their write only. */
static void
test_tso_not_for_retransmissions(void)
{
    struct harness *h = harness_new(fixture_established);
    h->st.sysctl.tcp_early_retrans = 0;
    h->tcb->srtt = MS(100);
    h->tcb->cc.min_rtt = MS(100);
    tcp_user_send(h->tcb, 4 * MSS, NULL);
    uint64_t psh = 0;
    uint32_t bytes = 0;
    CU_ASSERT_EQUAL(sent_segments(h, &psh, &bytes), 4);
    CU_ASSERT_EQUAL(psh, (1ull << 1) | (1ull << 3));
    harness_advance(h, SEC(2)); /* the RTO resends the first segment */
    guint n = 0;
    struct tcp_seg *out = harness_take(h, &n);
    CU_ASSERT_TRUE(n >= 1);
    if (n >= 1) {
        CU_ASSERT_EQUAL(out[0].seq, L1);
        CU_ASSERT_EQUAL(out[0].len, MSS);
        CU_ASSERT_FALSE(seg_has(&out[0], TCP_PSH));
    }
    g_free(out);
    harness_free(h);
}

/* Linux grows the window by what an ACK delivers (tcp_cong_control()'s acked_sacked):
 * segments SACKed before were delivered then, when no window grew, and count no more.
 * Ten segments out, 2 and 3 SACKed, then the ACK of all three: +1 segment, not +3. */
static void
test_slow_start_counts_what_the_ack_delivers(void)
{
    struct harness *h = harness_new(fixture_established_sack);
    h->st.sysctl.tcp_recovery = 0; /* no RACK: one SACK is no loss yet */
    h->st.sysctl.tcp_early_retrans = 0;
    tcp_user_send(h->tcb, 10 * MSS, NULL);
    harness_drain(h);
    uint32_t before = h->tcb->cc.cwnd;
    struct tcp_sack_block b[] = {{L1 + MSS, L1 + 3 * MSS}};
    harness_feed(h, MS(100), with_sack(INBOUND(.seq = R1, .ack = L1), 1, b));
    CU_ASSERT_EQUAL(h->tcb->cc.cwnd, before);
    harness_feed(h, MS(101), INBOUND(.seq = R1, .ack = L1 + 3 * MSS));
    CU_ASSERT_EQUAL(h->tcb->cc.cwnd, before + MSS);
    harness_free(h);
}

static CU_TestInfo send_tests[] = {
    {"TCP_CORK holds small writes until uncorked", test_cork_holds_small_writes_until_uncorked},
    {"TCP_CORK sends full segments; TCP_NODELAY pushes the rest",
     test_cork_sends_full_segments_and_nodelay_pushes},
    {"MSG_MORE corks one call", test_msg_more_corks_one_call},
    {"MSG_MORE's ceiling is the persist timer", test_msg_more_ceiling_is_the_persist_timer},
    {"slow start counts a stretch ACK in full (Linux), 2 SMSS (RFC)",
     test_slow_start_counts_stretch_ack_in_full},
    {"slow start stops at ssthresh, the rest is avoidance", test_slow_start_capped_at_ssthresh},
    {"cwnd grows only while the window is used (RFC 7661)", test_cwnd_grows_only_when_used},
    {"slow start may reach twice the flight", test_cwnd_grows_to_twice_the_flight_in_slow_start},
    {"slow start after idle halves per idle RTO", test_slow_start_after_idle},
    {"PSH forced every half window", test_psh_forced_every_half_window},
    {"PSH: the first full skb goes as a TSO packet", test_psh_first_skb_pushed_as_tso_packet},
    {"TSO: every TSO packet carries PSH (Linux)", test_tso_packets_carry_psh},
    {"no TSO: PSH at the end of the write", test_no_tso_psh_at_the_write_end},
    {"TSO: a packet takes at most half cwnd", test_tso_packet_at_most_half_cwnd},
    {"TSO: retransmissions go one MSS at a time", test_tso_not_for_retransmissions},
    {"slow start counts what the ACK delivers (Linux)",
     test_slow_start_counts_what_the_ack_delivers},
    {"PSH moves with the unsent tail", test_psh_moves_with_the_unsent_tail},
    {"a forced PSH rides its skb as the write fills it again", test_psh_forced_mark_rides_its_skb},
    {"a forced PSH floats ahead of a short skb (tcp_grow_skb)", test_psh_floats_ahead_of_a_short_skb},
    {"RFC: PSH when the buffer empties", test_psh_rfc_only_at_the_end},
    {"no sliver; the persist timer sends what fits", test_no_sliver_then_window_probe_sends_what_fits},
    {"RFC: the sliver goes at once", test_rfc_sends_the_sliver},
    {"a blocked writer is woken at a third free", test_blocked_writer_woken_at_a_third},
    {"the RFC personality counts payload bytes", test_rfc_send_buffer_in_payload_bytes},
    {"a transmission inside an skb cuts it in two", test_transmission_cuts_the_skb},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo tcp_send_suites[] = {
    {"tcp send side (Linux and RFC)", NULL, NULL, NULL, NULL, send_tests},
    CU_SUITE_INFO_NULL,
};
