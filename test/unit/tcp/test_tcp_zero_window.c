/* SPDX-License-Identifier: MIT */
/*
 * test_tcp_zero_window.c: acknowledgments across a closed window (RFC 9293 §3.10.7.4
 * first step, "special allowance ... to accept valid ACKs"), and what Linux does so that
 * two applications that both write and never read survive a lossy link
 * (tcp_acceptable_seq(), the zero-window branch of tcp_retransmit_timer()).
 */
#include <errno.h>

#include "harness.h"

#define R1 (REMOTE_ISS + 1)
#define L1 (LOCAL_ISS + 1)

/* Two segments out; the peer takes the first and closes its window. */
static void
two_out_window_shut(struct harness *h)
{
    tcp_user_send(h->tcb, 2920, NULL);
    harness_drain(h);
    CU_ASSERT_EQUAL(h->tcb->snd_max, L1 + 2920);
    harness_feed(h, MS(20), INBOUND(.seq = R1, .ack = L1 + 1460, .win = 0));
    CU_ASSERT_EQUAL(h->tcb->snd_wnd, 0);
    harness_drain(h);
}

/* Linux: tcp_acceptable_seq(). Our second segment is beyond the peer's RCV.NXT and its
 * window is shut: a pure ACK numbered SND.MAX would fail the peer's zero-window test
 * (SEG.SEQ = RCV.NXT). It carries SND.UNA + SND.WND, which is the peer's RCV.NXT. */
static void
test_ack_stays_inside_a_shut_window(void)
{
    struct harness *h = harness_new(fixture_established);
    two_out_window_shut(h);
    harness_feed(h, MS(30), INBOUND(.seq = R1, .ack = L1 + 1460, .win = 0, .len = 100));
    HARNESS_EXPECT(h, MS(30), OUTBOUND(.seq = L1 + 1460, .ack = R1 + 100, .len = 0));
    harness_free(h);
}

/* The RFC personality numbers it SND.MAX, the next new byte. */
static void
test_rfc_ack_carries_snd_max(void)
{
    struct harness *h = harness_new_personality(fixture_established, TCP_PERSONALITY_RFC);
    two_out_window_shut(h);
    harness_feed(h, MS(30), INBOUND(.seq = R1, .ack = L1 + 1460, .win = 0, .len = 100,
                                    .flags = TCP_ACK | TCP_PSH));
    tcp_ack_now(h->tcb);
    tcp_output(h->tcb);
    HARNESS_EXPECT(h, MS(30), OUTBOUND(.seq = L1 + 2920, .ack = R1 + 100, .len = 0));
    harness_free(h);
}

/* Our window is zero; the peer's segment at RCV.NXT carries data (a probe, or a
 * retransmission into the closed window): the text is refused and answered with an
 * ACK that says the window is still zero; its ACK field is taken. */
static void
test_data_into_zero_window_is_answered(void)
{
    struct harness *h = harness_new(fixture_established);
    tcp_user_send(h->tcb, 1000, NULL);
    harness_drain(h);
    h->tcb->rcv.cap = 0; /* the reader stopped long ago: nothing more fits */
    h->tcb->rcv_adv = h->tcb->rcv_nxt;
    harness_feed(h, MS(20), INBOUND(.seq = R1, .ack = L1 + 1000, .len = 1460));
    HARNESS_EXPECT(h, MS(20), OUTBOUND(.seq = L1 + 1000, .ack = R1, .len = 0, .win = 0));
    CU_ASSERT_EQUAL(h->tcb->snd_una, L1 + 1000);
    CU_ASSERT_EQUAL(h->tcb->rcv_nxt, R1);
    harness_free(h);
}

/* RFC 9293: with RCV.WND zero, a pure ACK numbered beyond RCV.NXT (the peer's data there
 * was lost) still acknowledges our data; the RFC personality takes it, then answers the
 * unacceptable segment. */
static void
test_rfc_zero_window_accepts_valid_ack(void)
{
    struct harness *h = harness_new_personality(fixture_established, TCP_PERSONALITY_RFC);
    tcp_user_send(h->tcb, 1000, NULL);
    harness_drain(h);
    h->tcb->rcv.cap = 0;
    h->tcb->rcv_adv = h->tcb->rcv_nxt;
    harness_feed(h, MS(20), INBOUND(.seq = R1 + 2920, .ack = L1 + 1000));
    CU_ASSERT_EQUAL(h->tcb->snd_una, L1 + 1000);
    HARNESS_EXPECT(h, MS(20), OUTBOUND(.seq = L1 + 1000, .ack = R1, .len = 0));
    harness_free(h);
}

/* Linux's receiver applies the zero-window row strictly (tcp_sequence()): the same
 * ACK is discarded; its sender never numbers one so (the first test). */
static void
test_linux_zero_window_drops_ack_beyond(void)
{
    struct harness *h = harness_new(fixture_established);
    tcp_user_send(h->tcb, 1000, NULL);
    harness_drain(h);
    h->tcb->rcv.cap = 0;
    h->tcb->rcv_adv = h->tcb->rcv_nxt;
    harness_feed(h, MS(20), INBOUND(.seq = R1 + 2920, .ack = L1 + 1000));
    CU_ASSERT_EQUAL(h->tcb->snd_una, L1);
    harness_free(h);
}

/* Linux: tcp_retransmit_timer() with the peer's window zero: the head segment goes out
 * as a probe whatever the window, the timer backs off, and no retry is counted while
 * the peer answers; after TCP_RTO_MAX of silence the connection is given up. */
static void
test_rto_into_zero_window_is_a_probe(void)
{
    struct harness *h = harness_new(fixture_established);
    two_out_window_shut(h);
    sim_time first = h->tcb->rto;
    harness_advance(h, MS(20) + first);
    HARNESS_EXPECT(h, MS(20) + first, OUTBOUND(.flags = TCP_ACK | TCP_PSH, .seq = L1 + 1460,
                                                        .ack = R1, .len = 1460));
    CU_ASSERT_EQUAL(h->tcb->retransmits, 0);
    CU_ASSERT_EQUAL(h->tcb->backoff, 1);
    CU_ASSERT_EQUAL(h->tcb->rto, 2 * first);
    /* The peer answers, window still shut: alive, the timer keeps backing off. */
    harness_feed(h, MS(30) + first, INBOUND(.seq = R1, .ack = L1 + 1460, .win = 0));
    harness_drain(h);
    for (int i = 0; i < 12 && h->tcb->state == TCP_ESTABLISHED; i++) {
        harness_advance(h, tcp_now(h->tcb) + h->tcb->rto);
        harness_drain(h);
    }
    CU_ASSERT_EQUAL(h->tcb->state, TCP_CLOSED);
    CU_ASSERT_EQUAL(h->tcb->so_error, ETIMEDOUT);
    CU_ASSERT(tcp_now(h->tcb) - (MS(30) + first) > h->st.sysctl.rto_max);
    harness_free(h);
}

/* RFC 1122 §4.2.2.17: while the peer answers, a zero window keeps the connection open;
 * the RFC personality does not count these retransmissions against its retries either. */
static void
test_rfc_rto_into_zero_window_not_counted(void)
{
    struct harness *h = harness_new_personality(fixture_established, TCP_PERSONALITY_RFC);
    two_out_window_shut(h);
    for (int i = 0; i < 20; i++) {
        harness_advance(h, tcp_now(h->tcb) + h->tcb->rto);
        harness_drain(h);
        /* the peer answers each probe, window still shut */
        harness_feed(h, tcp_now(h->tcb) + MS(10), INBOUND(.seq = R1, .ack = L1 + 1460,
                                                          .win = 0));
        harness_drain(h);
    }
    CU_ASSERT_EQUAL(h->tcb->state, TCP_ESTABLISHED);
    CU_ASSERT_EQUAL(h->tcb->retransmits, 0);
    CU_ASSERT(h->tcb->backoff >= 15);
    harness_free(h);
}

/* Linux: tcp_clamp_window(). A scaled window rounded up so it does not shrink lets its
 * right edge creep past what the buffer holds; data inside the window is still taken:
 * the buffer grows (up to tcp_rmem[2]) rather than drop what was offered. */
static void
test_data_inside_window_finds_room(void)
{
    struct harness *h = harness_new(fixture_established_sack);
    h->tcb->rcv.cap = 4000;
    h->tcb->rcv_adv = R1 + 8192; /* offered before: the window may not shrink */
    harness_feed(h, MS(10), INBOUND(.seq = R1, .ack = L1, .len = 6000));
    CU_ASSERT_EQUAL(tcp_rcv_queued(h->tcb), 6000);
    CU_ASSERT_EQUAL(h->tcb->rcv.cap, 6000);
    CU_ASSERT_EQUAL(h->tcb->rcv_nxt, R1 + 6000);
    harness_free(h);
}

static CU_TestInfo zero_window_tests[] = {
    {"Linux: a pure ACK stays inside a shut window (tcp_acceptable_seq)",
     test_ack_stays_inside_a_shut_window},
    {"RFC: a pure ACK carries SND.MAX", test_rfc_ack_carries_snd_max},
    {"data into a zero window is answered, its ACK taken",
     test_data_into_zero_window_is_answered},
    {"RFC: zero window, a valid ACK beyond RCV.NXT is accepted",
     test_rfc_zero_window_accepts_valid_ack},
    {"Linux: zero window, an ACK beyond RCV.NXT is discarded",
     test_linux_zero_window_drops_ack_beyond},
    {"Linux: RTO into a zero window is a probe, not a retry",
     test_rto_into_zero_window_is_a_probe},
    {"RFC: RTO into a zero window counts no retry while the peer answers",
     test_rfc_rto_into_zero_window_not_counted},
    {"data inside the offered window finds room (tcp_clamp_window)",
     test_data_inside_window_finds_room},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo tcp_zero_window_suites[] = {
    {"tcp zero window acknowledgments", NULL, NULL, NULL, NULL, zero_window_tests},
    CU_SUITE_INFO_NULL,
};
