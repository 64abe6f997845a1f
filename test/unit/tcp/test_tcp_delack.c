/* SPDX-License-Identifier: MIT */
/*
 * test_tcp_delack.c: when ACKs go (RFC 1122 §4.2.3.2, RFC 5681 §4.2) and Linux's
 * delayed-ACK engine (quick-ACK, ping-pong, 40 ms).
 */
#include "harness.h"

#define R1 (REMOTE_ISS + 1)
#define L1 (LOCAL_ISS + 1)

/* Out of quick-ACK mode, one full segment waits for the delayed-ACK timer (40 ms);
 * a second full segment is ACKed at once ("at least every second full-sized segment").
 * Linux also ACKs at once while the window grows (tcp_grow_window() sets
 * icsk_ack.quick), and holds the second segment's ACK when the window would not advance
 * (__tcp_ack_snd_check()): here the application reads each segment and the window has
 * reached its clamp, so it neither grows nor shrinks. */
static void
test_delack_every_second_full_segment(void)
{
    struct harness *h = harness_new(fixture_established);
    harness_feed(h, MS(10), INBOUND(.seq = R1, .ack = L1, .len = 1460));
    harness_drain(h); /* quick ACK */
    h->tcb->quickack = 0;
    h->tcb->window_clamp = h->tcb->rcv_ssthresh = h->tcb->rcv_wnd;
    CU_ASSERT_EQUAL(tcp_user_recv(h->tcb, 1460, NULL), 1460);
    harness_feed(h, MS(20), INBOUND(.seq = R1 + 1460, .ack = L1, .len = 1460));
    CU_ASSERT_EQUAL(tcp_user_recv(h->tcb, 1460, NULL), 1460);
    HARNESS_EXPECT_NONE(h, MS(59));
    HARNESS_EXPECT(h, MS(60), OUTBOUND(.seq = L1, .ack = R1 + 2920));
    harness_feed(h, MS(100), INBOUND(.seq = R1 + 2920, .ack = L1, .len = 1460));
    CU_ASSERT_EQUAL(tcp_user_recv(h->tcb, 1460, NULL), 1460);
    HARNESS_EXPECT_NONE(h, MS(100));
    harness_feed(h, MS(101), INBOUND(.seq = R1 + 4380, .ack = L1, .len = 1460));
    HARNESS_EXPECT(h, MS(101), OUTBOUND(.seq = L1, .ack = R1 + 5840));
    CU_ASSERT_EQUAL(h->st.mib[TCP_MIB_DELAYED_ACKS], 1);
    harness_free(h);
}

/* Linux: __tcp_ack_snd_check(): more than one full segment unacknowledged is not enough
 * when the window would not advance: a reader that does not keep up (its buffer fills)
 * is ACKed by the delayed-ACK timer, as the Linux 6.18 receiver of the window-limited
 * capture was after its quick ACKs. */
static void
test_delack_second_segment_waits_when_window_shrinks(void)
{
    struct harness *h = harness_new(fixture_established);
    harness_feed(h, MS(10), INBOUND(.seq = R1, .ack = L1, .len = 1460));
    harness_drain(h); /* quick ACK */
    h->tcb->quickack = 0;
    h->tcb->rcv.cap = 16384; /* as SO_RCVBUF 8192 would: a buffer soon full */
    h->tcb->rcvbuf_locked = true;
    harness_feed(h, MS(20), INBOUND(.seq = R1 + 1460, .ack = L1, .len = 1460));
    harness_feed(h, MS(21), INBOUND(.seq = R1 + 2920, .ack = L1, .len = 1460));
    CU_ASSERT(tcp_rcv_window_fresh(h->tcb) < h->tcb->rcv_wnd); /* unread: it would shrink */
    HARNESS_EXPECT_NONE(h, MS(59));
    HARNESS_EXPECT(h, MS(60), OUTBOUND(.seq = L1, .ack = R1 + 4380));
    harness_free(h);
}

/* Linux: a duplicate (all old data) asks for a quick ACK (tcp_data_queue(),
 * tcp_enter_quickack_mode()) and gets it at once, with a D-SACK, when nothing else waits
 * to be acknowledged (test/packetdrill/linux-measured/dup-nothing-waiting.pkt). */
static void
test_delack_duplicate_quick_acked(void)
{
    struct harness *h = harness_new(fixture_established_sack);
    harness_feed(h, MS(10), INBOUND(.seq = R1, .ack = L1, .len = 1460));
    harness_drain(h); /* quick ACK */
    h->tcb->quickack = 0;
    harness_feed(h, MS(20), INBOUND(.seq = R1, .ack = L1, .len = 1460)); /* again */
    guint n = 0;
    struct tcp_seg *out = harness_take(h, &n);
    CU_ASSERT_EQUAL_FATAL(n, 1);
    CU_ASSERT_EQUAL(out[0].ack, R1 + 1460);
    CU_ASSERT_EQUAL(out[0].opt.nsack, 1); /* the D-SACK block: the duplicate itself */
    CU_ASSERT_EQUAL(out[0].opt.sack[0].start, R1);
    CU_ASSERT_EQUAL(out[0].opt.sack[0].end, R1 + 1460);
    g_free(out);
    CU_ASSERT_EQUAL(h->st.mib[TCP_MIB_DELAYED_ACK_LOST], 1);
    CU_ASSERT_EQUAL(h->st.mib[TCP_MIB_DSACK_OLD_SENT], 1);
    harness_free(h);
}

/* Linux: with more than one segment waiting and the buffer over half full, the ACK
 * decision computes the window first, and __tcp_select_window() leaves quick-ACK mode:
 * the duplicate's D-SACK waits for the delayed ACK of the data before it
 * (test/packetdrill/linux-measured/dup-segments-waiting.pkt). */
static void
test_delack_duplicate_waits_when_buffer_fills(void)
{
    struct harness *h = harness_new(fixture_established);
    harness_feed(h, MS(10), INBOUND(.seq = R1, .ack = L1, .len = 1460));
    harness_drain(h); /* quick ACK */
    h->tcb->quickack = 0;
    h->tcb->rcv.cap = 8192; /* as SO_RCVBUF 4096 would: over half full at once */
    h->tcb->rcvbuf_locked = true;
    harness_feed(h, MS(20), INBOUND(.seq = R1 + 1460, .ack = L1, .len = 1460));
    harness_feed(h, MS(20), INBOUND(.seq = R1 + 2920, .ack = L1, .len = 1460));
    CU_ASSERT_TRUE(tcp_rcv_window_short(h->tcb));
    harness_feed(h, MS(27), INBOUND(.seq = R1 + 2920, .ack = L1, .len = 1460)); /* again */
    CU_ASSERT_EQUAL(h->tcb->quickack, 0);
    HARNESS_EXPECT_NONE(h, MS(59));
    HARNESS_EXPECT(h, MS(60), OUTBOUND(.seq = L1, .ack = R1 + 4380));
    CU_ASSERT_EQUAL(h->st.mib[TCP_MIB_DELAYED_ACK_LOST], 1);
    harness_free(h);
}

/* Linux: answering data within `ato` of receiving it is interactive (ping-pong) mode:
 * the next request's ACK waits, to ride on the answer. */
static void
test_delack_pingpong_holds_the_ack_for_the_answer(void)
{
    struct harness *h = harness_new(fixture_established);
    harness_feed(h, MS(10), INBOUND(.flags = TCP_ACK | TCP_PSH, .seq = R1, .ack = L1, .len = 100));
    harness_drain(h); /* quick ACK of the first request */
    tcp_user_recv(h->tcb, 100, NULL);
    tcp_user_send(h->tcb, 200, NULL); /* the answer, at once: ping-pong */
    CU_ASSERT_TRUE(h->tcb->pingpong);
    harness_drain(h);
    harness_feed(h, MS(30), INBOUND(.flags = TCP_ACK | TCP_PSH, .seq = R1 + 100, .ack = L1 + 200,
                                    .len = 100));
    HARNESS_EXPECT_NONE(h, MS(35));
    tcp_user_send(h->tcb, 200, NULL); /* the second answer carries the ACK */
    HARNESS_EXPECT(h, MS(35), OUTBOUND(.flags = TCP_ACK | TCP_PSH, .seq = L1 + 200,
                                       .ack = R1 + 200, .len = 200));
    harness_free(h);
}

/* The RFC personality: no quick-ACK; the delayed ACK waits delack_max (200 ms). */
static void
test_delack_rfc_personality(void)
{
    struct harness *h = harness_new(fixture_established);
    tcp_sysctl_defaults(&h->st.sysctl, TCP_PERSONALITY_RFC);
    harness_feed(h, MS(10), INBOUND(.seq = R1, .ack = L1, .len = 100));
    HARNESS_EXPECT_NONE(h, MS(209));
    HARNESS_EXPECT(h, MS(210), OUTBOUND(.seq = L1, .ack = R1 + 100));
    harness_free(h);
}

/* Linux: a FIN that arrives with data, at the start of the connection where data
 * would be quick-ACKed, is ACKed by the delayed-ACK timer (40 ms): tcp_fin() has
 * entered ping-pong mode, hoping our answer or FIN will carry the ACK. */
static void
test_delack_fin_with_data_waits(void)
{
    struct harness *h = harness_new(fixture_established);
    harness_feed(h, MS(10), INBOUND(.flags = TCP_ACK | TCP_PSH | TCP_FIN, .seq = REMOTE_ISS + 1,
                                    .ack = LOCAL_ISS + 1, .len = 100));
    CU_ASSERT_EQUAL(harness_state(h), TCP_CLOSE_WAIT);
    HARNESS_EXPECT_NONE(h, MS(49));
    HARNESS_EXPECT(h, MS(50), OUTBOUND(.seq = LOCAL_ISS + 1, .ack = REMOTE_ISS + 102));
    harness_free(h);
}

/* The same data without the FIN is quick-ACKed. */
static void
test_delack_data_alone_quick(void)
{
    struct harness *h = harness_new(fixture_established);
    harness_feed(h, MS(10), INBOUND(.flags = TCP_ACK | TCP_PSH, .seq = REMOTE_ISS + 1,
                                    .ack = LOCAL_ISS + 1, .len = 100));
    HARNESS_EXPECT(h, MS(10), OUTBOUND(.seq = LOCAL_ISS + 1, .ack = REMOTE_ISS + 101));
    harness_free(h);
}

static CU_TestInfo delack_tests[] = {
    {"every second full segment; else 40 ms", test_delack_every_second_full_segment},
    {"Linux: the second segment waits when the window would shrink",
     test_delack_second_segment_waits_when_window_shrinks},
    {"ping-pong: the ACK rides on the answer", test_delack_pingpong_holds_the_ack_for_the_answer},
    {"RFC personality: 200 ms, no quick-ACK", test_delack_rfc_personality},
    {"Linux: a FIN with data waits for the delayed ACK", test_delack_fin_with_data_waits},
    {"Linux: a duplicate is quick-ACKed when nothing waits", test_delack_duplicate_quick_acked},
    {"Linux: a duplicate's D-SACK waits when the buffer is over half full",
     test_delack_duplicate_waits_when_buffer_fills},
    {"Linux: data alone at the start is quick-ACKed", test_delack_data_alone_quick},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo tcp_delack_suites[] = {
    {"tcp delayed ACK", NULL, NULL, NULL, NULL, delack_tests},
    CU_SUITE_INFO_NULL,
};
