/* SPDX-License-Identifier: MIT */
/*
 * test_tcp_established.c: a synchronized connection (RFC 9293 §3.10.7.4 in ESTABLISHED),
 * with RFC 5961's checks and Linux's ACK policy.
 */
#include <errno.h>

#include "harness.h"

#define R1 (REMOTE_ISS + 1) /* the peer's first data byte */
#define L1 (LOCAL_ISS + 1)  /* ours */

/* Seventh step: in-order data is taken; the first segments are ACKed at once (Linux
 * quick-ACK mode at the start of a connection). */
static void
test_established_rcv_data_acks_at_once(void)
{
    struct harness *h = harness_new(fixture_established);
    harness_feed(h, MS(10), INBOUND(.flags = TCP_ACK | TCP_PSH, .seq = R1, .ack = L1, .len = 100,
                                    .data_off = 0));
    HARNESS_EXPECT(h, MS(10), OUTBOUND(.seq = L1, .ack = R1 + 100));
    uint8_t buf[200];
    CU_ASSERT_EQUAL(tcp_user_recv(h->tcb, sizeof buf, buf), 100);
    CU_ASSERT_EQUAL(buf[0], 'a');
    CU_ASSERT_EQUAL(buf[99], tcp_payload_byte(99));
    CU_ASSERT_EQUAL(h->tcb->rcv.foreign, 0);
    CU_ASSERT_EQUAL(tcp_user_recv(h->tcb, sizeof buf, buf), -EAGAIN);
    harness_free(h);
}

/* RFC 5681 §4.2: an out-of-order segment gets an immediate duplicate ACK; the segment
 * that fills the hole gets an ACK of everything. */
static void
test_established_out_of_order_is_held_and_reassembled(void)
{
    struct harness *h = harness_new(fixture_established);
    harness_feed(h, MS(10), INBOUND(.seq = R1 + 100, .ack = L1, .len = 100, .data_off = 100));
    HARNESS_EXPECT(h, MS(10), OUTBOUND(.seq = L1, .ack = R1));
    CU_ASSERT_EQUAL(tcp_rcv_queued(h->tcb), 0);
    harness_feed(h, MS(11), INBOUND(.seq = R1, .ack = L1, .len = 100, .data_off = 0));
    HARNESS_EXPECT(h, MS(11), OUTBOUND(.seq = L1, .ack = R1 + 200));
    CU_ASSERT_EQUAL(tcp_rcv_queued(h->tcb), 200);
    CU_ASSERT_EQUAL(h->tcb->rcv.foreign, 0); /* every byte where it belongs */
    harness_free(h);
}

/* First step: old data (a retransmission we already have) is not acceptable: ACK, drop. */
static void
test_established_rcv_old_data_is_acked_and_dropped(void)
{
    struct harness *h = harness_new(fixture_established);
    harness_feed(h, MS(10), INBOUND(.seq = R1, .ack = L1, .len = 100));
    harness_drain(h);
    harness_feed(h, MS(20), INBOUND(.seq = R1, .ack = L1, .len = 100));
    HARNESS_EXPECT(h, MS(20), OUTBOUND(.seq = L1, .ack = R1 + 100));
    CU_ASSERT_EQUAL(tcp_rcv_queued(h->tcb), 100);
    harness_free(h);
}

/* A segment overlapping what we have keeps only its new bytes. */
static void
test_established_overlap_keeps_new_bytes_once(void)
{
    struct harness *h = harness_new(fixture_established);
    harness_feed(h, MS(10), INBOUND(.seq = R1, .ack = L1, .len = 100, .data_off = 0));
    harness_feed(h, MS(11), INBOUND(.seq = R1 + 50, .ack = L1, .len = 100, .data_off = 50));
    CU_ASSERT_EQUAL(tcp_rcv_queued(h->tcb), 150);
    CU_ASSERT_EQUAL(h->tcb->rcv_nxt, R1 + 150);
    CU_ASSERT_EQUAL(h->tcb->rcv.foreign, 0);
    harness_free(h);
}

/* RFC 5961 §3.2: a RST exactly at RCV.NXT resets: ECONNRESET, CLOSED, nothing sent. */
static void
test_established_rcv_exact_rst_resets(void)
{
    struct harness *h = harness_new(fixture_established);
    harness_feed(h, MS(10), INBOUND(.flags = TCP_RST, .seq = R1));
    HARNESS_EXPECT_NONE(h, MS(10));
    CU_ASSERT_EQUAL(harness_state(h), TCP_CLOSED);
    CU_ASSERT_EQUAL(h->tcb->so_error, ECONNRESET);
    CU_ASSERT_EQUAL(h->st.mib[TCP_MIB_ESTAB_RESETS], 1);
    harness_free(h);
}

/* RFC 5961 §3.2: a RST in the window but not at RCV.NXT gets a challenge ACK. */
static void
test_established_rcv_inexact_rst_gets_challenge_ack(void)
{
    struct harness *h = harness_new(fixture_established);
    harness_feed(h, MS(10), INBOUND(.flags = TCP_RST, .seq = R1 + 1000));
    HARNESS_EXPECT(h, MS(10), OUTBOUND(.seq = L1, .ack = R1));
    CU_ASSERT_EQUAL(harness_state(h), TCP_ESTABLISHED);
    CU_ASSERT_EQUAL(h->st.mib[TCP_MIB_CHALLENGE_ACK], 1);
    /* A second within 500 ms is not answered (rate limit). */
    harness_feed(h, MS(100), INBOUND(.flags = TCP_RST, .seq = R1 + 2000));
    HARNESS_EXPECT_NONE(h, MS(100));
    harness_free(h);
}

/* A RST outside the window is ignored silently. */
static void
test_established_rcv_rst_out_of_window_is_ignored(void)
{
    struct harness *h = harness_new(fixture_established);
    harness_feed(h, MS(10), INBOUND(.flags = TCP_RST, .seq = R1 + 200000));
    harness_feed(h, MS(11), INBOUND(.flags = TCP_RST, .seq = R1 - 1));
    HARNESS_EXPECT_NONE(h, MS(11));
    CU_ASSERT_EQUAL(harness_state(h), TCP_ESTABLISHED);
    harness_free(h);
}

/* RFC 5961 §4.2: a SYN in a synchronized state, whatever its sequence number, gets a
 * challenge ACK and changes nothing. */
static void
test_established_rcv_syn_gets_challenge_ack(void)
{
    struct harness *h = harness_new(fixture_established);
    harness_feed(h, MS(10), INBOUND(.flags = TCP_SYN, .seq = R1 + 10));
    HARNESS_EXPECT(h, MS(10), OUTBOUND(.seq = L1, .ack = R1));
    CU_ASSERT_EQUAL(harness_state(h), TCP_ESTABLISHED);
    harness_free(h);
}

/* Fifth step: "If the ACK acks something not yet sent (SEG.ACK > SND.NXT) then send an
 * ACK, drop the segment". The RFC personality does exactly that. */
static void
test_established_rcv_ack_of_unsent_data_rfc(void)
{
    struct harness *h = harness_new(fixture_established);
    tcp_sysctl_defaults(&h->st.sysctl, TCP_PERSONALITY_RFC);
    harness_feed(h, MS(10), INBOUND(.seq = R1, .ack = L1 + 500));
    HARNESS_EXPECT(h, MS(10), OUTBOUND(.seq = L1, .ack = R1));
    harness_free(h);
}

/* Linux 6.18 answers it with a challenge ACK (RFC 5961 §5.2, tcp_send_challenge_ack())
 * and drops it, text included; a second one within tcp_invalid_ratelimit (500 ms) goes
 * unanswered, so two hosts that disagree on the sequence space cannot acknowledge each
 * other's ACKs for ever (an ACK storm). */
static void
test_established_rcv_ack_of_unsent_data_linux(void)
{
    struct harness *h = harness_new(fixture_established);
    harness_feed(h, MS(10), INBOUND(.seq = R1, .ack = L1 + 500, .len = 100));
    HARNESS_EXPECT(h, MS(10), OUTBOUND(.seq = L1, .ack = R1, .len = 0));
    CU_ASSERT_EQUAL(tcp_rcv_queued(h->tcb), 0);
    CU_ASSERT_EQUAL(h->st.mib[TCP_MIB_CHALLENGE_ACK], 1);
    harness_feed(h, MS(20), INBOUND(.seq = R1, .ack = L1 + 500));
    HARNESS_EXPECT_NONE(h, MS(20));
    CU_ASSERT_EQUAL(h->st.mib[TCP_MIB_ACK_SKIPPED_CHALLENGE], 1);
    harness_feed(h, MS(600), INBOUND(.seq = R1, .ack = L1 + 500));
    HARNESS_EXPECT(h, MS(600), OUTBOUND(.seq = L1, .ack = R1, .len = 0));
    CU_ASSERT_EQUAL(harness_state(h), TCP_ESTABLISHED);
    harness_free(h);
}

/* ESTABLISHED with timestamps (no offset): the peer's TSval 100 is TS.Recent. */
static void
fixture_established_ts(struct harness *h)
{
    h->st.sysctl.tcp_timestamps = 2;
    fixture_syn_sent(h);
    struct tcp_seg synack = with_mss(INBOUND(.flags = TCP_SYN | TCP_ACK, .seq = REMOTE_ISS,
                                             .ack = LOCAL_ISS + 1), 1460);
    tcp_opts_push(&synack.opt, TCPOPT_TS);
    synack.opt.ts_val = 100;
    harness_feed(h, 0, synack);
    g_assert(h->tcb->ts_ok && h->tcb->ts_recent == 100);
    harness_drain(h);
}

static struct tcp_seg
with_ts(struct tcp_seg s, uint32_t val)
{
    tcp_opts_push(&s.opt, TCPOPT_TS);
    s.opt.ts_val = val;
    return s;
}

/* Linux: a segment whose ACK is of unsent data is dropped before its timestamp is
 * looked at (tcp_ack() updates ts_recent only for an accepted ACK), so its TSval cannot
 * make PAWS refuse the peer's next, genuine segment. */
static void
test_established_bad_ack_does_not_move_ts_recent_linux(void)
{
    struct harness *h = harness_new(fixture_established_ts);
    harness_feed(h, MS(10), with_ts(INBOUND(.flags = TCP_FIN | TCP_ACK, .seq = R1,
                                            .ack = L1 + 9999), 200000));
    HARNESS_EXPECT(h, MS(10), OUTBOUND(.seq = L1, .ack = R1)); /* challenge ACK */
    CU_ASSERT_EQUAL(h->tcb->ts_recent, 100);
    harness_feed(h, MS(20), with_ts(INBOUND(.seq = R1, .ack = L1, .len = 1000), 201));
    HARNESS_EXPECT(h, MS(20), OUTBOUND(.seq = L1, .ack = R1 + 1000));
    CU_ASSERT_EQUAL(tcp_rcv_queued(h->tcb), 1000);
    CU_ASSERT_EQUAL(h->tcb->ts_recent, 201);
    harness_free(h);
}

/* Linux answers a pure ACK outside the window once per tcp_invalid_ratelimit (500 ms),
 * and counts the ones it left unanswered. */
static void
test_established_oow_acks_rate_limited(void)
{
    struct harness *h = harness_new(fixture_established);
    harness_feed(h, MS(10), INBOUND(.seq = R1 + 100000, .ack = L1));
    HARNESS_EXPECT(h, MS(10), OUTBOUND(.seq = L1, .ack = R1));
    harness_feed(h, MS(20), INBOUND(.seq = R1 + 100000, .ack = L1));
    HARNESS_EXPECT_NONE(h, MS(20));
    CU_ASSERT_EQUAL(h->st.mib[TCP_MIB_ACK_SKIPPED_SEQ], 1);
    harness_feed(h, MS(520), INBOUND(.seq = R1 + 100000, .ack = L1));
    HARNESS_EXPECT(h, MS(520), OUTBOUND(.seq = L1, .ack = R1));
    harness_free(h);
}

/* A segment with text outside the window is always answered: it is no ACK loop. */
static void
test_established_oow_data_always_answered(void)
{
    struct harness *h = harness_new(fixture_established);
    harness_feed(h, MS(10), INBOUND(.seq = R1 + 100000, .ack = L1, .len = 10));
    HARNESS_EXPECT(h, MS(10), OUTBOUND(.seq = L1, .ack = R1));
    harness_feed(h, MS(20), INBOUND(.seq = R1 + 100000, .ack = L1, .len = 10));
    HARNESS_EXPECT(h, MS(20), OUTBOUND(.seq = L1, .ack = R1));
    harness_free(h);
}

/* Eighth step: a FIN: CLOSE_WAIT. Linux delays this ACK (ping-pong mode), hoping our
 * FIN will carry it: 40 ms. */
static void
test_established_rcv_fin_enters_close_wait(void)
{
    /* After data (Linux: the first data sets ato to 40 ms, tcp_event_data_recv()), the
     * FIN's ACK waits 40 ms: tcp_fin() enters ping-pong mode, hoping our FIN carries it. */
    struct harness *h = harness_new(fixture_established);
    harness_feed(h, MS(5), INBOUND(.seq = R1, .ack = L1, .len = 100));
    HARNESS_EXPECT(h, MS(5), OUTBOUND(.seq = L1, .ack = R1 + 100)); /* quick ACK */
    harness_feed(h, MS(10), INBOUND(.flags = TCP_FIN | TCP_ACK, .seq = R1 + 100, .ack = L1));
    CU_ASSERT_EQUAL(harness_state(h), TCP_CLOSE_WAIT);
    HARNESS_EXPECT_NONE(h, MS(49));
    HARNESS_EXPECT(h, MS(50), OUTBOUND(.seq = L1, .ack = R1 + 101));
    CU_ASSERT_EQUAL(tcp_user_recv(h->tcb, 1000, NULL), 100);
    CU_ASSERT_EQUAL(tcp_user_recv(h->tcb, 10, NULL), 0); /* end of stream */
    harness_free(h);
}

/* Linux: before any data, ato is 0 (only tcp_event_data_recv() sets it), so the
 * delayed ACK of a FIN that ends a connection which carried none fires at once, as
 * packetdrill's google/close/close-remote-fin-then-close.pkt pins. */
static void
test_established_rcv_fin_without_data_acked_at_once(void)
{
    struct harness *h = harness_new(fixture_established);
    harness_feed(h, MS(10), INBOUND(.flags = TCP_FIN | TCP_ACK, .seq = R1, .ack = L1));
    CU_ASSERT_EQUAL(harness_state(h), TCP_CLOSE_WAIT);
    HARNESS_EXPECT(h, MS(10) + 1, OUTBOUND(.seq = L1, .ack = R1 + 1)); /* the next tick */
    harness_free(h);
}

/* shutdown(SHUT_RD) only ends reading once nothing is queued: data that was there, and
 * data that still arrives (ACKed and queued, Linux), is read first (Linux tcp_recvmsg()). */
static void
test_established_shut_rd_still_reads_queued_data(void)
{
    struct harness *h = harness_new(fixture_established);
    harness_advance(h, MS(10));
    CU_ASSERT_EQUAL(tcp_user_shutdown(h->tcb, true, false), 0);
    CU_ASSERT_EQUAL(tcp_user_recv(h->tcb, 100, NULL), 0); /* nothing queued: EOF */
    harness_feed(h, MS(20), INBOUND(.seq = R1, .ack = L1, .len = 100));
    HARNESS_EXPECT(h, MS(20), OUTBOUND(.seq = L1, .ack = R1 + 100));
    CU_ASSERT_EQUAL(harness_state(h), TCP_ESTABLISHED);
    CU_ASSERT_EQUAL(tcp_user_recv(h->tcb, 1000, NULL), 100);
    CU_ASSERT_EQUAL(tcp_user_recv(h->tcb, 1000, NULL), 0);
    harness_free(h);
}

/* A bare FIN beyond RCV.NXT is out of order: an immediate duplicate ACK (RFC 5681 §4.2),
 * and the connection stays ESTABLISHED until the FIN comes in order. */
static void
test_established_out_of_order_fin_gets_duplicate_ack(void)
{
    struct harness *h = harness_new(fixture_established);
    harness_feed(h, MS(10), INBOUND(.flags = TCP_FIN | TCP_ACK, .seq = R1 + 100, .ack = L1));
    HARNESS_EXPECT(h, MS(10), OUTBOUND(.seq = L1, .ack = R1));
    CU_ASSERT_EQUAL(harness_state(h), TCP_ESTABLISHED);
    harness_free(h);
}

/* SEND: the data goes at once, PSH on the segment that ends the write. */
static void
test_established_send_sends_data(void)
{
    struct harness *h = harness_new(fixture_established);
    harness_advance(h, MS(10));
    CU_ASSERT_EQUAL(tcp_user_send(h->tcb, 100, NULL), 100);
    HARNESS_EXPECT(h, MS(10), OUTBOUND(.flags = TCP_ACK | TCP_PSH, .seq = L1, .ack = R1,
                                       .len = 100));
    harness_free(h);
}

/* Our ISS is 0xFFFFFF00: 1000 bytes cross 2^32, and their ACK (a small number) is still
 * "after" SND.UNA. */
static void
test_established_data_across_sequence_wrap(void)
{
    struct harness *h = harness_new(fixture_established);
    CU_ASSERT_EQUAL(tcp_user_send(h->tcb, 1000, NULL), 1000);
    HARNESS_EXPECT(h, 0, OUTBOUND(.flags = TCP_ACK | TCP_PSH, .seq = L1, .ack = R1, .len = 1000));
    tcp_seq end = L1 + 1000; /* wrapped: 0x000002E9 */
    CU_ASSERT(end < 0x1000);
    harness_feed(h, MS(20), INBOUND(.seq = R1, .ack = end));
    CU_ASSERT_EQUAL(h->tcb->snd_una, end);
    CU_ASSERT_EQUAL(tcp_snd_queued(h->tcb), 0);
    CU_ASSERT_FALSE(ev_pending(&h->tcb->timer.rto)); /* RFC 6298 §5.2 */
    harness_free(h);
}

/* Nagle (RFC 896): a second small write waits while the first is unacknowledged (Linux,
 * Minshall's variant: while a small segment is unacknowledged). */
static void
test_established_nagle_holds_second_small_segment(void)
{
    struct harness *h = harness_new(fixture_established);
    tcp_user_send(h->tcb, 10, NULL);
    HARNESS_EXPECT(h, 0, OUTBOUND(.flags = TCP_ACK | TCP_PSH, .seq = L1, .ack = R1, .len = 10));
    tcp_user_send(h->tcb, 10, NULL);
    HARNESS_EXPECT_NONE(h, MS(10));
    harness_feed(h, MS(20), INBOUND(.seq = R1, .ack = L1 + 10));
    HARNESS_EXPECT(h, MS(20), OUTBOUND(.flags = TCP_ACK | TCP_PSH, .seq = L1 + 10, .ack = R1,
                                       .len = 10));
    harness_free(h);
}

/* TCP_NODELAY: no holding back. */
static void
test_established_nodelay_sends_at_once(void)
{
    struct harness *h = harness_new(fixture_established);
    h->tcb->nodelay = true;
    tcp_user_send(h->tcb, 10, NULL);
    tcp_user_send(h->tcb, 10, NULL);
    HARNESS_EXPECT(h, 0, OUTBOUND(.flags = TCP_ACK | TCP_PSH, .seq = L1, .ack = R1, .len = 10));
    HARNESS_EXPECT(h, 0, OUTBOUND(.flags = TCP_ACK | TCP_PSH, .seq = L1 + 10, .ack = R1, .len = 10));
    harness_free(h);
}

/* A zero window stops the sender; the persist timer probes it (Linux: a zero-length
 * segment one below SND.UNA) after one RTO, then with the timeout doubled, until the
 * window opens. (The fixture's handshake took no time: the RTO is Linux's 200 ms floor.) */
static void
test_established_zero_window_is_probed(void)
{
    struct harness *h = harness_new(fixture_established);
    CU_ASSERT_EQUAL(h->tcb->rto, MS(200));
    harness_feed(h, MS(10), INBOUND(.seq = R1, .ack = L1, .win = 0));
    tcp_user_send(h->tcb, 100, NULL);
    HARNESS_EXPECT_NONE(h, MS(210) - 1);
    HARNESS_EXPECT(h, MS(210), OUTBOUND(.seq = L1 - 1, .ack = R1));
    harness_feed(h, MS(220), INBOUND(.seq = R1, .ack = L1, .win = 0));
    HARNESS_EXPECT_NONE(h, MS(610) - 1);
    HARNESS_EXPECT(h, MS(610), OUTBOUND(.seq = L1 - 1, .ack = R1)); /* backed off */
    harness_feed(h, MS(700), INBOUND(.seq = R1, .ack = L1, .win = 1000));
    HARNESS_EXPECT(h, MS(700), OUTBOUND(.flags = TCP_ACK | TCP_PSH, .seq = L1, .ack = R1,
                                        .len = 100));
    harness_free(h);
}

static CU_TestInfo established_tests[] = {
    {"rcv data: taken, ACKed at once (quick-ACK)", test_established_rcv_data_acks_at_once},
    {"rcv out-of-order: dup ACK, held, reassembled",
     test_established_out_of_order_is_held_and_reassembled},
    {"rcv old data: ACK and drop", test_established_rcv_old_data_is_acked_and_dropped},
    {"rcv overlap: new bytes only, once", test_established_overlap_keeps_new_bytes_once},
    {"rcv RST at RCV.NXT: ECONNRESET", test_established_rcv_exact_rst_resets},
    {"rcv RST in window, not exact: challenge ACK, rate limited",
     test_established_rcv_inexact_rst_gets_challenge_ack},
    {"rcv RST out of window: ignored", test_established_rcv_rst_out_of_window_is_ignored},
    {"rcv SYN: challenge ACK", test_established_rcv_syn_gets_challenge_ack},
    {"rcv ACK of unsent data, RFC: ACK, drop", test_established_rcv_ack_of_unsent_data_rfc},
    {"rcv ACK of unsent data, Linux: challenge ACK, drop", test_established_rcv_ack_of_unsent_data_linux},
    {"rcv ACK of unsent data, Linux: TS.Recent not moved",
     test_established_bad_ack_does_not_move_ts_recent_linux},
    {"pure ACKs outside the window: rate-limited answers", test_established_oow_acks_rate_limited},
    {"text outside the window: always answered", test_established_oow_data_always_answered},
    {"rcv FIN: CLOSE_WAIT, ACK after 40 ms", test_established_rcv_fin_enters_close_wait},
    {"rcv FIN before any data: ACK at once", test_established_rcv_fin_without_data_acked_at_once},
    {"rcv FIN out of order: duplicate ACK", test_established_out_of_order_fin_gets_duplicate_ack},
    {"shutdown(SHUT_RD): queued and later data still read",
     test_established_shut_rd_still_reads_queued_data},
    {"send: one segment with PSH", test_established_send_sends_data},
    {"data across the 2^32 wrap", test_established_data_across_sequence_wrap},
    {"Nagle holds a second small segment", test_established_nagle_holds_second_small_segment},
    {"TCP_NODELAY sends at once", test_established_nodelay_sends_at_once},
    {"zero window: persist probes with backoff", test_established_zero_window_is_probed},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo tcp_established_suites[] = {
    {"tcp ESTABLISHED", NULL, NULL, NULL, NULL, established_tests},
    CU_SUITE_INFO_NULL,
};
