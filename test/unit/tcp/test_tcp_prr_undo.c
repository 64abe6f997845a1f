/* SPDX-License-Identifier: MIT */
/*
 * test_tcp_prr_undo.c: Linux's fast recovery beside RFC 6675: Proportional Rate
 * Reduction (RFC 6937), D-SACK at both ends (RFC 2883), and the undo of a reduction
 * that was spurious (D-SACK, timestamps, F-RTO, RFC 5682).
 *
 * Segments are counted in MSS units from L1 (ours) and R1 (the peer's); the peer's
 * window is scaled by 2 (fixture_established_sack). The Linux personality runs CUBIC:
 * a loss with ten segments in flight sets ssthresh to seven.
 */
#include "harness.h"

#define R1 (REMOTE_ISS + 1)
#define L1 (LOCAL_ISS + 1)
#define MSS 1460u
#define SEG(n) (L1 + (n) * MSS)

static struct tcp_seg
ack_sack(tcp_seq ack, unsigned n, const struct tcp_sack_block *b)
{
    return with_sack(INBOUND(.seq = R1, .ack = ack, .win = REMOTE_WIN >> 2), n, b);
}

/* An ACK of SND.UNA that SACKs segments [from, to). */
static struct tcp_seg
sack_of(tcp_seq ack, unsigned from, unsigned to)
{
    struct tcp_sack_block b = {SEG(from), SEG(to)};
    return ack_sack(ack, 1, &b);
}

/* PRR and undo as RFC 6937, 2883, 3522 and 5682 describe them, over RFC 6675's loss
 * detection: Linux's RACK-TLP is off here (test_tcp_rack.c has it on; the scenarios
 * congestion/prr, retransmit/dsack-undo and frto-spurious-rto run them together). */
static struct harness *
no_rack(struct harness *h)
{
    h->st.sysctl.tcp_recovery = 0;
    h->st.sysctl.tcp_early_retrans = 0;
    return h;
}

/* Sends `out` segments (the window allows them) and queues `more` behind them. */
static struct harness *
flight(enum tcp_personality p, unsigned out, unsigned more)
{
    struct harness *h = no_rack(harness_new_personality(fixture_established_sack, p));
    h->tcb->cc.cwnd = out * MSS;
    h->tcb->snd.cap = 1u << 20; /* room for everything a test writes */
    tcp_user_send(h->tcb, (out + more) * MSS, NULL);
    guint got = 0;
    g_free(harness_take(h, &got));
    CU_ASSERT_EQUAL(got, out);
    return h;
}

/* How many segments went out since the last look, and the first one. */
static guint
sent(struct harness *h, struct tcp_seg *first)
{
    guint n = 0;
    struct tcp_seg *out = harness_take(h, &n);
    if (n > 0 && first != NULL) {
        *first = out[0];
    }
    g_free(out);
    return n;
}

/* --- PRR ------------------------------------------------------------------------ */

/* RFC 6937 §3, the conservative bound: the flight is already at ssthresh when recovery
 * starts (segment 0 lost, 1-3 SACKed: six in flight, ssthresh seven). The third
 * duplicate ACK sends exactly one segment, the retransmission; from then on each ACK
 * that reports one segment delivered lets one new segment out. Linux's
 * prr-ss-10pkt-lost-1.pkt. */
static void
test_prr_one_for_one_at_ssthresh(void)
{
    struct harness *h = flight(TCP_PERSONALITY_LINUX, 10, 0);
    harness_feed(h, MS(10), sack_of(L1, 1, 2));
    harness_feed(h, MS(11), sack_of(L1, 1, 3));
    harness_feed(h, MS(12), sack_of(L1, 1, 4));
    CU_ASSERT_TRUE(h->tcb->in_recovery);
    struct tcp_seg s;
    CU_ASSERT_EQUAL(sent(h, &s), 1);
    CU_ASSERT_EQUAL(s.seq, L1);
    CU_ASSERT_EQUAL(s.tx_cause, TCP_TX_FAST);
    CU_ASSERT_EQUAL(h->tcb->cc.ssthresh / MSS, 7);
    CU_ASSERT_EQUAL(h->tcb->undo.prr_out, 1);
    tcp_user_send(h->tcb, 7 * MSS, NULL); /* more to send: PRR decides when */
    CU_ASSERT_EQUAL(sent(h, NULL), 0);
    for (unsigned i = 5; i <= 9; i++) {
        harness_feed(h, MS(10 + i), sack_of(L1, 1, i));
        CU_ASSERT_EQUAL(sent(h, &s), 1);
        CU_ASSERT_EQUAL(s.tx_cause, TCP_TX_NEW);
    }
    /* The full ACK ends recovery with cwnd at ssthresh (Linux tcp_end_cwnd_reduction()). */
    harness_feed(h, MS(30), INBOUND(.seq = R1, .ack = SEG(10), .win = REMOTE_WIN >> 2));
    CU_ASSERT_FALSE(h->tcb->in_recovery);
    CU_ASSERT_EQUAL(h->tcb->cc.cwnd, h->tcb->cc.ssthresh);
    harness_free(h);
}

/* RFC 6937 §3, the proportional part: twenty in flight, ssthresh fourteen, so while the
 * flight is above ssthresh, ACKs reporting D segments delivered release
 * CEIL(14 * D / 20) in all: 1, 2, 3, 3, 4 ... one ACK in three sends nothing. */
static void
test_prr_proportional_above_ssthresh(void)
{
    struct harness *h = flight(TCP_PERSONALITY_LINUX, 20, 0);
    harness_feed(h, MS(10), sack_of(L1, 1, 2));
    harness_feed(h, MS(11), sack_of(L1, 1, 3));
    harness_feed(h, MS(12), sack_of(L1, 1, 4));
    CU_ASSERT_EQUAL(h->tcb->cc.ssthresh / MSS, 14);
    CU_ASSERT_EQUAL(sent(h, NULL), 1); /* D = 1: CEIL(14/20) = 1, the retransmission */
    tcp_user_send(h->tcb, 20 * MSS, NULL);
    harness_feed(h, MS(13), sack_of(L1, 1, 5));
    CU_ASSERT_EQUAL(sent(h, NULL), 1); /* D = 2: 2 in all */
    harness_feed(h, MS(14), sack_of(L1, 1, 6));
    CU_ASSERT_EQUAL(sent(h, NULL), 1); /* D = 3: 3 */
    harness_feed(h, MS(15), sack_of(L1, 1, 7));
    CU_ASSERT_EQUAL(sent(h, NULL), 0); /* D = 4: CEIL(56/20) = 3, nothing more */
    CU_ASSERT_EQUAL(h->tcb->undo.prr_delivered, 4);
    CU_ASSERT_EQUAL(h->tcb->undo.prr_out, 3);
    harness_free(h);
}

/* The RFC personality keeps RFC 6675: cwnd drops to ssthresh at once, and with the
 * flight above it nothing but the retransmission goes. */
static void
test_rfc_personality_keeps_rfc6675(void)
{
    struct harness *h = flight(TCP_PERSONALITY_RFC, 10, 0);
    harness_feed(h, MS(10), sack_of(L1, 1, 2));
    harness_feed(h, MS(11), sack_of(L1, 1, 3));
    harness_feed(h, MS(12), sack_of(L1, 1, 4));
    CU_ASSERT_TRUE(h->tcb->in_recovery);
    CU_ASSERT_EQUAL(h->tcb->cc.cwnd, h->tcb->cc.ssthresh);
    CU_ASSERT_EQUAL(h->tcb->undo.prr_out, 0);
    harness_free(h);
}

/* --- D-SACK, the receiver ---------------------------------------------------------- */

/* RFC 2883 §4.1.1: a segment that arrives twice is reported in the first SACK block of
 * the ACK, below the cumulative ACK; the next ACK no longer carries it. */
static void
test_dsack_reports_a_duplicate_once(void)
{
    struct harness *h = no_rack(harness_new(fixture_established_sack));
    harness_feed(h, MS(10), INBOUND(.seq = R1, .ack = L1, .len = 100));
    harness_drain(h);
    harness_feed(h, MS(20), INBOUND(.seq = R1, .ack = L1, .len = 100));
    guint n = 0;
    struct tcp_seg *out = harness_take(h, &n);
    CU_ASSERT_EQUAL_FATAL(n, 1);
    CU_ASSERT_EQUAL(out[0].ack, R1 + 100);
    CU_ASSERT_EQUAL_FATAL(out[0].opt.nsack, 1);
    CU_ASSERT_EQUAL(out[0].opt.sack[0].start, R1);
    CU_ASSERT_EQUAL(out[0].opt.sack[0].end, R1 + 100);
    CU_ASSERT_EQUAL(h->st.mib[TCP_MIB_DSACK_OLD_SENT], 1);
    g_free(out);
    harness_feed(h, MS(30), INBOUND(.seq = R1 + 100, .ack = L1, .len = 100));
    harness_advance(h, SEC(1)); /* the delayed ACK */
    out = harness_take(h, &n);
    CU_ASSERT_EQUAL_FATAL(n, 1);
    CU_ASSERT_EQUAL(out[0].opt.nsack, 0);
    g_free(out);
    harness_free(h);
}

/* RFC 2883 §4.1.1: only the head of the segment is old; the block covers that part. */
static void
test_dsack_partial_duplicate(void)
{
    struct harness *h = no_rack(harness_new(fixture_established_sack));
    harness_feed(h, MS(10), INBOUND(.seq = R1, .ack = L1, .len = 100));
    harness_drain(h);
    harness_feed(h, MS(20), INBOUND(.seq = R1 + 50, .ack = L1, .len = 100));
    harness_advance(h, SEC(1));
    guint n = 0;
    struct tcp_seg *out = harness_take(h, &n);
    CU_ASSERT_EQUAL_FATAL(n, 1);
    CU_ASSERT_EQUAL(out[0].ack, R1 + 150);
    CU_ASSERT_EQUAL_FATAL(out[0].opt.nsack, 1);
    CU_ASSERT_EQUAL(out[0].opt.sack[0].start, R1 + 50);
    CU_ASSERT_EQUAL(out[0].opt.sack[0].end, R1 + 100);
    g_free(out);
    harness_free(h);
}

/* RFC 2883 §4.1.2: a duplicate of out-of-order data: the D-SACK block, then the block
 * that contains it. */
static void
test_dsack_out_of_order_duplicate(void)
{
    struct harness *h = no_rack(harness_new(fixture_established_sack));
    harness_feed(h, MS(10), INBOUND(.seq = R1 + 1000, .ack = L1, .len = 100));
    harness_drain(h);
    harness_feed(h, MS(20), INBOUND(.seq = R1 + 1000, .ack = L1, .len = 100));
    guint n = 0;
    struct tcp_seg *out = harness_take(h, &n);
    CU_ASSERT_EQUAL_FATAL(n, 1);
    CU_ASSERT_EQUAL(out[0].ack, R1);
    CU_ASSERT_EQUAL_FATAL(out[0].opt.nsack, 2);
    CU_ASSERT_EQUAL(out[0].opt.sack[0].start, R1 + 1000);
    CU_ASSERT_EQUAL(out[0].opt.sack[0].end, R1 + 1100);
    CU_ASSERT_EQUAL(out[0].opt.sack[1].start, R1 + 1000);
    CU_ASSERT_EQUAL(h->st.mib[TCP_MIB_DSACK_OFO_SENT], 1);
    g_free(out);
    harness_free(h);
}

/* tcp_dsack 0: the duplicate is still acknowledged, without a D-SACK block. */
static void
test_dsack_knob_off(void)
{
    struct harness *h = no_rack(harness_new(fixture_established_sack));
    h->st.sysctl.tcp_dsack = 0;
    harness_feed(h, MS(10), INBOUND(.seq = R1, .ack = L1, .len = 100));
    harness_drain(h);
    harness_feed(h, MS(20), INBOUND(.seq = R1, .ack = L1, .len = 100));
    HARNESS_EXPECT(h, MS(20), OUTBOUND(.seq = L1, .ack = R1 + 100));
    CU_ASSERT_EQUAL(h->st.mib[TCP_MIB_DSACK_OLD_SENT], 0);
    harness_free(h);
}

/* --- D-SACK, the sender, and undo ------------------------------------------------- */

/* A D-SACK is no sign of a hole: three of them are no duplicate ACKs (Linux
 * FLAG_DSACKING_ACK), so no fast retransmit. */
static void
test_dsack_is_not_a_duplicate_ack(void)
{
    struct harness *h = flight(TCP_PERSONALITY_LINUX, 10, 0);
    harness_feed(h, MS(10), INBOUND(.seq = R1, .ack = SEG(1), .win = REMOTE_WIN >> 2));
    for (unsigned i = 0; i < 3; i++) {
        harness_feed(h, MS(11 + i), sack_of(SEG(1), 0, 1));
    }
    CU_ASSERT_FALSE(h->tcb->in_recovery);
    CU_ASSERT_EQUAL(h->tcb->dupacks, 0);
    CU_ASSERT_EQUAL(h->st.mib[TCP_MIB_DSACK_RECV], 3);
    CU_ASSERT_EQUAL(h->st.mib[TCP_MIB_FAST_RETRANS], 0);
    harness_free(h);
}

/* Enters recovery for segment 0 (reordered, not lost) and returns with cwnd reduced. */
static struct harness *
spurious_recovery(void)
{
    struct harness *h = flight(TCP_PERSONALITY_LINUX, 10, 0);
    for (unsigned i = 2; i <= 4; i++) {
        harness_feed(h, MS(10 + i), sack_of(L1, 1, i));
    }
    CU_ASSERT_TRUE(h->tcb->in_recovery);
    CU_ASSERT(h->tcb->cc.cwnd < 10 * MSS);
    CU_ASSERT_EQUAL(h->tcb->undo.retrans, 1);
    harness_drain(h);
    return h;
}

/* The original ACKs were lost; the first that arrives acknowledges everything and
 * D-SACKs the retransmission: it was not needed, and the recovery is undone as it
 * ends (Linux tcp_try_undo_recovery(); nplab undo-fr-acks-dropped-then-dsack.pkt).
 * Back in the Open state, the same ACK then grows the window in slow start by what it
 * delivered, 7 segments and the D-SACKed one: 18, as Linux 6.18 does
 * (linux-measured/undo-exit-ack-grows.pkt; the nplab script's 10 is Linux 3.11's). */
static void
test_dsack_undoes_recovery_at_its_end(void)
{
    struct harness *h = spurious_recovery();
    struct tcp_sack_block d = {SEG(0), SEG(1)};
    harness_feed(h, MS(100), ack_sack(SEG(10), 1, &d));
    CU_ASSERT_FALSE(h->tcb->in_recovery);
    CU_ASSERT_EQUAL(h->tcb->undo.retrans, 0);
    CU_ASSERT_EQUAL(h->tcb->cc.cwnd, 18 * MSS);
    CU_ASSERT(h->tcb->cc.ssthresh > 18 * MSS); /* back to "infinite" */
    CU_ASSERT_EQUAL(h->st.mib[TCP_MIB_FULL_UNDO], 1);
    harness_free(h);
}

/* The recovery ended normally: cwnd at ssthresh, 7, and the ending ACK's 7 segments
 * delivered grow it to 8 (CUBIC: 3 segments below W_max, cnt 7); the D-SACK comes
 * later, on an ACK below SND.UNA: the reduction is undone then (Linux
 * tcp_try_undo_dsack(); nplab undo-fr-ack-then-dsack-on-ack-below-snd_una.pkt). */
static void
test_late_dsack_undoes_after_recovery(void)
{
    struct harness *h = spurious_recovery();
    harness_feed(h, MS(100), INBOUND(.seq = R1, .ack = SEG(10), .win = REMOTE_WIN >> 2));
    CU_ASSERT_FALSE(h->tcb->in_recovery);
    CU_ASSERT_EQUAL(h->tcb->cc.ssthresh, 7 * MSS);
    CU_ASSERT_EQUAL(h->tcb->cc.cwnd, 8 * MSS);
    struct tcp_sack_block d = {SEG(0), SEG(1)};
    harness_feed(h, MS(101), ack_sack(SEG(9), 1, &d));
    CU_ASSERT_EQUAL(h->tcb->cc.cwnd, 10 * MSS);
    CU_ASSERT_EQUAL(h->st.mib[TCP_MIB_DSACK_UNDO], 1);
    CU_ASSERT_FALSE(h->tcb->undo.valid); /* once */
    harness_free(h);
}

/* The network duplicated a segment that was never retransmitted: its D-SACK (RFC 2883
 * §4.1.2, inside the second block) proves nothing about the retransmission. */
static void
test_dsack_of_an_original_does_not_count(void)
{
    struct harness *h = spurious_recovery();
    struct tcp_sack_block b[] = {{SEG(2), SEG(3)}, {SEG(1), SEG(4)}};
    harness_feed(h, MS(100), ack_sack(L1, 2, b));
    CU_ASSERT_EQUAL(h->st.mib[TCP_MIB_DSACK_OFO_RECV], 1);
    CU_ASSERT_EQUAL(h->tcb->undo.retrans, 1);
    CU_ASSERT_TRUE(h->tcb->in_recovery);
    harness_free(h);
}

/* Without the D-SACK the reduction stands (and the ending ACK grows the window from
 * ssthresh, as above). */
static void
test_no_dsack_no_undo(void)
{
    struct harness *h = spurious_recovery();
    harness_feed(h, MS(100), INBOUND(.seq = R1, .ack = SEG(10), .win = REMOTE_WIN >> 2));
    CU_ASSERT_EQUAL(h->tcb->cc.cwnd, h->tcb->cc.ssthresh + MSS);
    CU_ASSERT(h->tcb->cc.cwnd < 10 * MSS);
    CU_ASSERT_EQUAL(h->st.mib[TCP_MIB_FULL_UNDO] + h->st.mib[TCP_MIB_DSACK_UNDO], 0);
    harness_free(h);
}

/* ESTABLISHED with SACK and timestamps (tcp_timestamps 2: TSval is the time in ms). */
static void
fixture_established_ts(struct harness *h)
{
    h->st.sysctl.tcp_sack = 1;
    h->st.sysctl.tcp_timestamps = 2;
    fixture_syn_sent(h);
    struct tcp_seg synack = with_mss(INBOUND(.flags = TCP_SYN | TCP_ACK, .seq = REMOTE_ISS,
                                             .ack = LOCAL_ISS + 1), 1460);
    tcp_opts_push(&synack.opt, TCPOPT_SACK_PERM);
    tcp_opts_push(&synack.opt, TCPOPT_TS);
    synack.opt.ts_val = 1;
    harness_feed(h, 0, synack);
    g_assert(h->tcb->state == TCP_ESTABLISHED && h->tcb->ts_ok && h->tcb->sack_ok);
    harness_drain(h);
}

static struct tcp_seg
with_ts(struct tcp_seg s, uint32_t ecr)
{
    tcp_opts_push(&s.opt, TCPOPT_TS);
    s.opt.ts_val = 2;
    s.opt.ts_ecr = ecr;
    return s;
}

/* RFC 3522 §2, the Eifel detection (Linux tcp_packet_delayed()): the ACK that ends the
 * recovery echoes the timestamp of the original transmission (sent at 100 ms), older
 * than the retransmission's (110 ms): the original arrived, undo, to 10 segments, and
 * slow start takes the 7 the ACK delivered: 17. */
static void
test_timestamps_undo_recovery(void)
{
    struct harness *h = no_rack(harness_new(fixture_established_ts));
    harness_advance(h, MS(100));
    tcp_user_send(h->tcb, 10 * (MSS - 12), NULL);
    harness_drain(h);
    uint32_t mss = h->tcb->mss; /* 1448: the timestamps take 12 bytes */
    for (unsigned i = 2; i <= 4; i++) {
        struct tcp_sack_block b = {L1 + mss, L1 + i * mss};
        harness_feed(h, MS(108 + i), with_ts(ack_sack(L1, 1, &b), 100));
    }
    CU_ASSERT_TRUE(h->tcb->in_recovery);
    CU_ASSERT_EQUAL(h->tcb->undo.retrans_ts, 112);
    harness_feed(h, MS(130), with_ts(INBOUND(.seq = R1, .ack = L1 + 10 * mss), 100));
    CU_ASSERT_FALSE(h->tcb->in_recovery);
    CU_ASSERT_EQUAL(h->tcb->cc.cwnd, 17 * mss);
    CU_ASSERT_EQUAL(h->st.mib[TCP_MIB_FULL_UNDO], 1);
    harness_free(h);
}

/* After a timeout too: the first ACK echoes the original's timestamp (100 ms), older
 * than the retransmission's: the timeout was spurious (Linux tcp_try_undo_loss()). */
static void
test_timestamps_undo_timeout(void)
{
    struct harness *h = no_rack(harness_new(fixture_established_ts));
    h->st.sysctl.tcp_frto = 0; /* the timestamps alone */
    harness_advance(h, MS(100));
    tcp_user_send(h->tcb, 10 * (MSS - 12), NULL);
    harness_drain(h);
    uint32_t mss = h->tcb->mss;
    harness_advance(h, MS(350)); /* the RTO (200 ms) fires once */
    struct tcp_seg s;
    CU_ASSERT_EQUAL_FATAL(sent(h, &s), 1);
    CU_ASSERT_EQUAL(s.tx_cause, TCP_TX_RTO);
    CU_ASSERT_TRUE(h->tcb->undo.in_loss);
    CU_ASSERT(h->tcb->undo.retrans_ts > 100);
    harness_feed(h, MS(360), with_ts(INBOUND(.seq = R1, .ack = L1 + 2 * mss), 100));
    CU_ASSERT_FALSE(h->tcb->undo.in_loss);
    CU_ASSERT_EQUAL(h->tcb->cc.cwnd, 10 * mss);
    CU_ASSERT_EQUAL(h->st.mib[TCP_MIB_LOSS_UNDO], 1);
    CU_ASSERT_EQUAL(h->st.mib[TCP_MIB_SPURIOUS_RTOS], 0);
    CU_ASSERT_EQUAL(h->tcb->snd_nxt, h->tcb->snd_max); /* nothing more is resent */
    harness_free(h);
}

/* --- F-RTO ---------------------------------------------------------------------- */

/* Ten segments out (ten more queued), their ACKs held up: the timer fires and resends
 * segment 0. */
static struct harness *
timed_out(unsigned frto)
{
    struct harness *h = flight(TCP_PERSONALITY_LINUX, 10, 10);
    h->st.sysctl.tcp_frto = frto;
    harness_advance(h, MS(300)); /* the RTO is 200 ms (rto_min), the next 400 ms later */
    struct tcp_seg s;
    CU_ASSERT_EQUAL(sent(h, &s), 1);
    CU_ASSERT_EQUAL(s.seq, L1);
    CU_ASSERT_EQUAL(s.tx_cause, TCP_TX_RTO);
    CU_ASSERT_EQUAL(h->tcb->cc.cwnd, MSS);
    CU_ASSERT_TRUE(h->tcb->undo.in_loss);
    CU_ASSERT_EQUAL(h->tcb->undo.frto, frto != 0);
    return h;
}

/* RFC 5682 §3.1: the first ACK covers only the resent segment (step 2.b: send new data,
 * two segments as slow start allows); the second acknowledges segment 1, sent once and
 * never resent: the timeout was spurious (step 3.b), undo it and resend nothing. */
static void
test_frto_detects_a_spurious_timeout(void)
{
    struct harness *h = timed_out(2);
    harness_feed(h, MS(400), INBOUND(.seq = R1, .ack = SEG(1), .win = REMOTE_WIN >> 2));
    guint n = 0;
    struct tcp_seg *out = harness_take(h, &n);
    CU_ASSERT_EQUAL_FATAL(n, 2);
    CU_ASSERT_EQUAL(out[0].seq, SEG(10));
    CU_ASSERT_EQUAL(out[1].seq, SEG(11));
    CU_ASSERT_EQUAL(out[0].tx_cause, TCP_TX_NEW);
    g_free(out);
    harness_feed(h, MS(401), INBOUND(.seq = R1, .ack = SEG(2), .win = REMOTE_WIN >> 2));
    CU_ASSERT_FALSE(h->tcb->undo.in_loss);
    CU_ASSERT_EQUAL(h->tcb->cc.cwnd, 10 * MSS);
    CU_ASSERT_EQUAL(h->st.mib[TCP_MIB_SPURIOUS_RTOS], 1);
    CU_ASSERT_EQUAL(h->st.mib[TCP_MIB_LOSS_UNDO], 1);
    out = harness_take(h, &n);
    for (guint i = 0; i < n; i++) {
        CU_ASSERT(out[i].tx_cause != TCP_TX_RTO); /* nothing of the old flight again */
    }
    g_free(out);
    harness_free(h);
}

/* RFC 5682 §3.1 step 3.a: after the new data went out, a duplicate ACK (SACKing the new
 * data) says the old flight really was lost: back to resending it from SND.UNA. */
static void
test_frto_real_loss_resends(void)
{
    struct harness *h = timed_out(2);
    harness_feed(h, MS(400), INBOUND(.seq = R1, .ack = SEG(1), .win = REMOTE_WIN >> 2));
    harness_drain(h);
    harness_feed(h, MS(401), sack_of(SEG(1), 10, 11));
    CU_ASSERT_FALSE(h->tcb->undo.frto);
    struct tcp_seg s;
    CU_ASSERT(sent(h, &s) >= 1);
    CU_ASSERT_EQUAL(s.seq, SEG(1));
    CU_ASSERT_EQUAL(h->st.mib[TCP_MIB_SPURIOUS_RTOS], 0);
    harness_free(h);
}

/* tcp_frto 0: the first ACK after the timeout goes on resending the old flight. */
static void
test_frto_off_goes_back(void)
{
    struct harness *h = timed_out(0);
    harness_feed(h, MS(400), INBOUND(.seq = R1, .ack = SEG(1), .win = REMOTE_WIN >> 2));
    struct tcp_seg s;
    CU_ASSERT(sent(h, &s) >= 1);
    CU_ASSERT_EQUAL(s.seq, SEG(1));
    CU_ASSERT_EQUAL(s.tx_cause, TCP_TX_RTO);
    harness_free(h);
}

static CU_TestInfo prr_tests[] = {
    {"PRR: at ssthresh, one segment out per segment delivered",
     test_prr_one_for_one_at_ssthresh},
    {"PRR: above ssthresh, ssthresh/RecoverFS of what is delivered",
     test_prr_proportional_above_ssthresh},
    {"rfc personality: cwnd to ssthresh at once (RFC 6675)", test_rfc_personality_keeps_rfc6675},
    CU_TEST_INFO_NULL,
};

static CU_TestInfo dsack_tests[] = {
    {"receiver: a duplicate in the first block, once", test_dsack_reports_a_duplicate_once},
    {"receiver: the duplicated head of a segment", test_dsack_partial_duplicate},
    {"receiver: an out-of-order duplicate, then its block", test_dsack_out_of_order_duplicate},
    {"receiver: tcp_dsack 0 sends none", test_dsack_knob_off},
    {"sender: a D-SACK is not a duplicate ACK", test_dsack_is_not_a_duplicate_ack},
    CU_TEST_INFO_NULL,
};

static CU_TestInfo undo_tests[] = {
    {"D-SACK of the retransmission undoes the recovery at its end",
     test_dsack_undoes_recovery_at_its_end},
    {"a late D-SACK below SND.UNA undoes after recovery", test_late_dsack_undoes_after_recovery},
    {"a D-SACK of data never resent does not count", test_dsack_of_an_original_does_not_count},
    {"no D-SACK, no undo", test_no_dsack_no_undo},
    {"timestamps older than the retransmission undo (Eifel)", test_timestamps_undo_recovery},
    {"timestamps undo a spurious timeout", test_timestamps_undo_timeout},
    {"F-RTO: new data first, then undo a spurious timeout", test_frto_detects_a_spurious_timeout},
    {"F-RTO: a duplicate ACK after new data: the loss was real", test_frto_real_loss_resends},
    {"tcp_frto 0: go back after the timeout", test_frto_off_goes_back},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo tcp_prr_undo_suites[] = {
    {"tcp PRR (RFC 6937)", NULL, NULL, NULL, NULL, prr_tests},
    {"tcp D-SACK (RFC 2883)", NULL, NULL, NULL, NULL, dsack_tests},
    {"tcp undo (D-SACK, timestamps, F-RTO)", NULL, NULL, NULL, NULL, undo_tests},
    CU_SUITE_INFO_NULL,
};
