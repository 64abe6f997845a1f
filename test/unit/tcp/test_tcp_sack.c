/* SPDX-License-Identifier: MIT */
/*
 * test_tcp_sack.c: the sender's SACK scoreboard and SACK-based loss recovery
 * (RFC 2018, RFC 6675), limited transmit (RFC 3042), and the receiver's SACK blocks.
 */
#include "harness.h"

#define R1 (REMOTE_ISS + 1)
#define L1 (LOCAL_ISS + 1)
#define MSS 1460u

static struct tcp_seg
ack_with_sack(tcp_seq ack, unsigned n, const struct tcp_sack_block *b)
{
    return with_sack(INBOUND(.seq = R1, .ack = ack, .win = REMOTE_WIN >> 2), n, b);
}

static struct harness *
sent_segments(unsigned n)
{
    struct harness *h = harness_new(fixture_established_sack);
    /* RFC 6675 as written: Linux's RACK-TLP off (test_tcp_rack.c has it on). */
    h->st.sysctl.tcp_recovery = 0;
    h->st.sysctl.tcp_early_retrans = 0;
    tcp_user_send(h->tcb, n * MSS, NULL);
    guint got = 0;
    g_free(harness_take(h, &got));
    CU_ASSERT_EQUAL(got, n);
    return h;
}

/* RFC 2018 §5: the scoreboard merges blocks and forgets what SND.UNA passes. */
static void
test_sack_scoreboard_merges_and_trims(void)
{
    struct harness *h = sent_segments(6);
    struct tcp_sack_block b1[] = {{L1 + 2 * MSS, L1 + 3 * MSS}};
    harness_feed(h, MS(10), ack_with_sack(L1, 1, b1));
    struct tcp_sack_block b2[] = {{L1 + 3 * MSS, L1 + 4 * MSS}, {L1 + 2 * MSS, L1 + 3 * MSS}};
    harness_feed(h, MS(11), ack_with_sack(L1, 2, b2));
    CU_ASSERT_EQUAL_FATAL(h->tcb->sacked->len, 1);
    CU_ASSERT_EQUAL(tcp_sack_bytes(h->tcb), 2 * MSS);
    CU_ASSERT_TRUE(tcp_sack_is_sacked(h->tcb, L1 + 2 * MSS));
    CU_ASSERT_FALSE(tcp_sack_is_sacked(h->tcb, L1 + MSS));
    harness_feed(h, MS(12), INBOUND(.seq = R1, .ack = L1 + 3 * MSS, .win = REMOTE_WIN >> 2));
    CU_ASSERT_EQUAL(tcp_sack_bytes(h->tcb), MSS); /* [2, 3) passed by SND.UNA */
    harness_free(h);
}

/* RFC 6675 §4 IsLost: more than (DupThresh - 1) * SMSS SACKed above it. */
static void
test_sack_is_lost_needs_three_segments_above(void)
{
    struct harness *h = sent_segments(6);
    struct tcp_sack_block two[] = {{L1 + MSS, L1 + 3 * MSS}};
    harness_feed(h, MS(10), ack_with_sack(L1, 1, two));
    CU_ASSERT_FALSE(tcp_sack_is_lost(h->tcb, L1));
    struct tcp_sack_block three[] = {{L1 + MSS, L1 + 4 * MSS}};
    harness_feed(h, MS(11), ack_with_sack(L1, 1, three));
    CU_ASSERT_TRUE(tcp_sack_is_lost(h->tcb, L1));
    CU_ASSERT_FALSE(tcp_sack_is_lost(h->tcb, L1 + 4 * MSS));
    harness_free(h);
}

/* One loss in a window: limited transmit sends new data on the first two duplicate
 * ACKs, the third retransmits the hole (fast retransmit), recovery ends with the ACK
 * that covers everything. */
static void
test_sack_recovery_of_one_hole(void)
{
    struct harness *h = sent_segments(6);
    tcp_user_send(h->tcb, 2 * MSS, NULL); /* two more waiting behind cwnd? no: IW is 10 */
    harness_drain(h);
    for (unsigned i = 1; i <= 2; i++) {
        struct tcp_sack_block b[] = {{L1 + MSS, L1 + (1 + i) * MSS}};
        harness_feed(h, MS(10 + i), ack_with_sack(L1, 1, b));
        CU_ASSERT_FALSE(h->tcb->in_recovery);
    }
    struct tcp_sack_block b[] = {{L1 + MSS, L1 + 4 * MSS}};
    harness_feed(h, MS(13), ack_with_sack(L1, 1, b));
    CU_ASSERT_TRUE(h->tcb->in_recovery);
    CU_ASSERT_TRUE(h->tcb->sack_recovery);
    HARNESS_EXPECT(h, MS(13), OUTBOUND(.seq = L1, .ack = R1, .len = MSS));
    CU_ASSERT_EQUAL(h->st.mib[TCP_MIB_SACK_RECOVERY], 1);
    harness_drain(h);
    harness_feed(h, MS(20), INBOUND(.seq = R1, .ack = L1 + 8 * MSS, .win = REMOTE_WIN >> 2));
    CU_ASSERT_FALSE(h->tcb->in_recovery);
    CU_ASSERT_EQUAL(h->tcb->cc.cwnd, h->tcb->cc.ssthresh);
    harness_free(h);
}

/* Two holes in one window: both are retransmitted within one recovery, no timeout. */
static void
test_sack_recovery_of_two_holes(void)
{
    struct harness *h = sent_segments(10);
    /* Segments 0 and 4 lost; the receiver SACKs 1-3 and 5-9. */
    struct tcp_sack_block b[] = {{L1 + 5 * MSS, L1 + 10 * MSS}, {L1 + MSS, L1 + 4 * MSS}};
    harness_feed(h, MS(10), ack_with_sack(L1, 2, b));
    CU_ASSERT_TRUE(h->tcb->in_recovery);
    HARNESS_EXPECT(h, MS(10), OUTBOUND(.seq = L1, .ack = R1, .len = MSS));
    HARNESS_EXPECT(h, MS(10), OUTBOUND(.seq = L1 + 4 * MSS, .ack = R1, .len = MSS));
    harness_feed(h, MS(20), ack_with_sack(L1 + 4 * MSS, 1, b));
    CU_ASSERT_TRUE(h->tcb->in_recovery);
    harness_feed(h, MS(21), INBOUND(.seq = R1, .ack = L1 + 10 * MSS, .win = REMOTE_WIN >> 2));
    CU_ASSERT_FALSE(h->tcb->in_recovery);
    CU_ASSERT_EQUAL(h->st.mib[TCP_MIB_RETRANS_SEGS], 2);
    CU_ASSERT_EQUAL(h->st.mib[TCP_MIB_TIMEOUTS], 0);
    harness_free(h);
}

/* RFC 3042: with cwnd full, each of the first two duplicate ACKs releases one new
 * segment. */
static void
test_limited_transmit_sends_new_data(void)
{
    struct harness *h = harness_new(fixture_established);
    tcp_user_send(h->tcb, 12 * MSS, NULL);
    guint got = 0;
    g_free(harness_take(h, &got));
    CU_ASSERT_EQUAL(got, 10); /* initial window */
    harness_feed(h, MS(10), INBOUND(.seq = R1, .ack = L1));
    HARNESS_EXPECT(h, MS(10), OUTBOUND(.seq = L1 + 10 * MSS, .ack = R1, .len = MSS));
    harness_feed(h, MS(11), INBOUND(.seq = R1, .ack = L1));
    HARNESS_EXPECT(h, MS(11), OUTBOUND(.flags = TCP_ACK | TCP_PSH, .seq = L1 + 11 * MSS,
                                       .ack = R1, .len = MSS));
    harness_free(h);
}

/* The receiver reports the block holding the segment that triggered the ACK first
 * (RFC 2018 §4), then older blocks. */
static void
test_receiver_sack_blocks_most_recent_first(void)
{
    struct harness *h = harness_new(fixture_established_sack);
    harness_feed(h, MS(10), INBOUND(.seq = R1 + 1000, .ack = L1, .len = 100));
    harness_feed(h, MS(11), INBOUND(.seq = R1 + 3000, .ack = L1, .len = 100));
    guint n = 0;
    struct tcp_seg *out = harness_take(h, &n);
    CU_ASSERT_EQUAL_FATAL(n, 2);
    CU_ASSERT_EQUAL(out[1].opt.nsack, 2);
    CU_ASSERT_EQUAL(out[1].opt.sack[0].start, R1 + 3000);
    CU_ASSERT_EQUAL(out[1].opt.sack[1].start, R1 + 1000);
    CU_ASSERT_EQUAL(out[1].ack, R1);
    g_free(out);
    harness_free(h);
}

static CU_TestInfo sack_tests[] = {
    {"scoreboard merges blocks, trims below SND.UNA", test_sack_scoreboard_merges_and_trims},
    {"IsLost: three segments SACKed above", test_sack_is_lost_needs_three_segments_above},
    {"one hole: limited transmit, fast retransmit, exit",
     test_sack_recovery_of_one_hole},
    {"two holes in one window: both resent, no timeout", test_sack_recovery_of_two_holes},
    {"limited transmit: two new segments on two dup ACKs",
     test_limited_transmit_sends_new_data},
    {"receiver: most recent SACK block first", test_receiver_sack_blocks_most_recent_first},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo tcp_sack_suites[] = {
    {"tcp SACK recovery", NULL, NULL, NULL, NULL, sack_tests},
    CU_SUITE_INFO_NULL,
};
