/* SPDX-License-Identifier: MIT */
/*
 * test_tcp_rack.c: RACK-TLP (RFC 8985), Linux's loss detection: the tail loss probe
 * (§7, tcp_early_retrans) and RACK's time-based loss marking (§6, tcp_recovery).
 *
 * Every test starts from a SACK connection whose handshake took 100 ms, so SRTT =
 * min_rtt = 100 ms and the RTO is 300 ms (Linux: SRTT + max(4*RTTVAR, 200 ms)); data
 * goes at T0 = 1 s, four segments of 1460 bytes unless said otherwise.
 */
#include "harness.h"

#define R1 (REMOTE_ISS + 1)
#define L1 (LOCAL_ISS + 1)
#define MSS 1460u
#define T0 SEC(1)

static void
fixture_rtt_100ms(struct harness *h)
{
    h->st.sysctl.tcp_sack = 1;
    fixture_syn_sent(h);
    struct tcp_seg synack = with_mss(INBOUND(.flags = TCP_SYN | TCP_ACK, .seq = REMOTE_ISS,
                                             .ack = LOCAL_ISS + 1), 1460);
    tcp_opts_push(&synack.opt, TCPOPT_SACK_PERM);
    harness_feed(h, MS(100), synack);
    g_assert(h->tcb->state == TCP_ESTABLISHED && h->tcb->sack_ok);
    harness_drain(h);
}

/* `n` segments' worth written at T0; returns the harness with what went out taken. */
static struct harness *
sent_at_t0(unsigned n, unsigned expect_out)
{
    struct harness *h = harness_new(fixture_rtt_100ms);
    CU_ASSERT_EQUAL(h->tcb->srtt, MS(100));
    CU_ASSERT_EQUAL(h->tcb->rto, MS(300));
    harness_advance(h, T0);
    tcp_user_send(h->tcb, n * MSS, NULL);
    guint got = 0;
    g_free(harness_take(h, &got));
    CU_ASSERT_EQUAL(got, expect_out);
    return h;
}

/* Advances to `at` and takes the one segment sent by then (a zeroed one if none). */
static struct tcp_seg
only_segment_by(struct harness *h, sim_time at)
{
    harness_advance(h, at);
    guint n = 0;
    struct tcp_seg *out = harness_take(h, &n);
    CU_ASSERT_EQUAL(n, 1);
    struct tcp_seg s = n > 0 ? out[0] : (struct tcp_seg){0};
    g_free(out);
    return s;
}

static struct tcp_seg
ack_sacking(tcp_seq ack, tcp_seq start, tcp_seq end)
{
    const struct tcp_sack_block b = {start, end};
    return with_sack(INBOUND(.seq = R1, .ack = ack), 1, &b);
}

/* The knobs carry Linux's defaults; the RFC personality keeps RFC 6675 and no probes. */
static void
test_knob_defaults(void)
{
    struct tcp_sysctl s;
    tcp_sysctl_defaults(&s, TCP_PERSONALITY_LINUX);
    CU_ASSERT_EQUAL(s.tcp_recovery, 1);
    CU_ASSERT_EQUAL(s.tcp_early_retrans, 3);
    CU_ASSERT_EQUAL(s.tcp_reordering, 3);
    CU_ASSERT_EQUAL(s.tcp_max_reordering, 300);
    tcp_sysctl_defaults(&s, TCP_PERSONALITY_RFC);
    CU_ASSERT_EQUAL(s.tcp_recovery, 0);
    CU_ASSERT_EQUAL(s.tcp_early_retrans, 0);
    CU_ASSERT_TRUE(tcp_sysctl_set(&s, "tcp_early_retrans", "4", NULL));
    CU_ASSERT_FALSE(tcp_sysctl_set(&s, "tcp_early_retrans", "5", NULL));
    CU_ASSERT_FALSE(tcp_sysctl_set(&s, "tcp_recovery", "8", NULL));
}

/* RFC 8985 §7.2-7.3: the whole tail is lost and no ACK comes. A probe timeout of 2*SRTT
 * + 2 ms after the send, before the RTO (300 ms), the last segment goes again; the RTO
 * is then armed afresh from the probe. */
static void
test_tail_probed_at_two_rtt(void)
{
    struct harness *h = sent_at_t0(4, 4);
    HARNESS_EXPECT_NONE(h, T0 + MS(201));
    struct tcp_seg p = only_segment_by(h, T0 + MS(202));
    CU_ASSERT_EQUAL(p.seq, L1 + 3 * MSS);
    CU_ASSERT_EQUAL(p.len, MSS);
    CU_ASSERT_EQUAL(p.tx_cause, TCP_TX_TLP);
    CU_ASSERT_EQUAL(h->st.mib[TCP_MIB_LOSS_PROBES], 1);
    CU_ASSERT_EQUAL(h->st.mib[TCP_MIB_TIMEOUTS], 0);
    /* Still no answer: the RTO, counted from the probe, resends the first segment. */
    HARNESS_EXPECT_NONE(h, T0 + MS(202) + MS(299));
    struct tcp_seg r = only_segment_by(h, T0 + MS(202) + MS(300));
    CU_ASSERT_EQUAL(r.seq, L1);
    CU_ASSERT_EQUAL(r.tx_cause, TCP_TX_RTO);
    CU_ASSERT_EQUAL(h->st.mib[TCP_MIB_LOSS_PROBES], 1); /* one probe per tail */
    harness_free(h);
}

/* Linux: tcp_send_loss_probe() sends new data when the peer's window takes it, even
 * with cwnd full: 12 segments written, 10 sent (IW10), the probe is the 11th. */
static void
test_probe_carries_new_data_first(void)
{
    struct harness *h = sent_at_t0(12, 10);
    struct tcp_seg p = only_segment_by(h, T0 + MS(202));
    CU_ASSERT_EQUAL(p.seq, L1 + 10 * MSS);
    CU_ASSERT_EQUAL(p.tx_cause, TCP_TX_TLP_NEW);
    CU_ASSERT_EQUAL(h->st.mib[TCP_MIB_RETRANS_SEGS], 0); /* new data is no retransmission */
    CU_ASSERT_EQUAL(h->st.mib[TCP_MIB_LOSS_PROBES], 1);
    harness_free(h);
}

/* ... but only a whole segment that fits the peer's window (Linux: tcp_snd_wnd_test()):
 * with room for 100 bytes, the probe is the last segment again. */
static void
test_probe_without_window_resends_last(void)
{
    struct harness *h = sent_at_t0(12, 10);
    harness_feed(h, T0 + MS(10), INBOUND(.seq = R1, .ack = L1, .win = 10 * MSS + 100));
    HARNESS_EXPECT_NONE(h, T0 + MS(201));
    struct tcp_seg p = only_segment_by(h, T0 + MS(202));
    CU_ASSERT_EQUAL(p.seq, L1 + 9 * MSS);
    CU_ASSERT_EQUAL(p.tx_cause, TCP_TX_TLP);
    harness_free(h);
}

/* One segment in flight: the peer may be delaying its ACK, so the PTO is 2*SRTT +
 * tcp_rto_min = 400 ms; the RTO (300 ms) comes first, and the probe takes its time. */
static void
test_one_segment_probe_no_later_than_rto(void)
{
    struct harness *h = sent_at_t0(1, 1);
    HARNESS_EXPECT_NONE(h, T0 + MS(299));
    struct tcp_seg p = only_segment_by(h, T0 + MS(300));
    CU_ASSERT_EQUAL(p.seq, L1);
    CU_ASSERT_EQUAL(p.tx_cause, TCP_TX_TLP);
    CU_ASSERT_EQUAL(h->st.mib[TCP_MIB_TIMEOUTS], 0);
    harness_free(h);
}

/* RFC 8985 §6.2-6.3: the 2nd segment is SACKed, the 1st is not. RACK waits a reordering
 * window, min_rtt/4 = 25 ms after the 1st segment's time is up (plus Linux's 2 ms), then
 * marks it lost and retransmits it: no three duplicate ACKs needed. */
static void
test_rack_marks_lost_after_reo_wnd(void)
{
    struct harness *h = sent_at_t0(4, 4);
    harness_feed(h, T0 + MS(100), ack_sacking(L1, L1 + MSS, L1 + 2 * MSS));
    CU_ASSERT_FALSE(h->tcb->in_recovery);
    HARNESS_EXPECT_NONE(h, T0 + MS(126));
    struct tcp_seg r = only_segment_by(h, T0 + MS(127));
    CU_ASSERT_EQUAL(r.seq, L1);
    CU_ASSERT_EQUAL(r.tx_cause, TCP_TX_RACK);
    CU_ASSERT_TRUE(h->tcb->in_recovery);
    CU_ASSERT_EQUAL(h->st.mib[TCP_MIB_SACK_RECOVERY], 1);
    CU_ASSERT_EQUAL(h->tcb->rack->lost_total, 1);
    /* The repair is acknowledged: recovery ends. */
    harness_feed(h, T0 + MS(230), INBOUND(.seq = R1, .ack = L1 + 4 * MSS));
    CU_ASSERT_FALSE(h->tcb->in_recovery);
    harness_free(h);
}

/* Linux: tcp_rack_reo_wnd() is 0 once three segments are SACKed and no reordering was
 * seen: the loss is marked, and repaired, on that ACK. */
static void
test_rack_three_sacked_marks_at_once(void)
{
    struct harness *h = sent_at_t0(4, 4);
    harness_feed(h, T0 + MS(100), ack_sacking(L1, L1 + MSS, L1 + 4 * MSS));
    struct tcp_seg r = only_segment_by(h, T0 + MS(100));
    CU_ASSERT_EQUAL(r.seq, L1);
    CU_ASSERT_EQUAL(r.tx_cause, TCP_TX_RACK);
    CU_ASSERT_TRUE(h->tcb->in_recovery);
    harness_free(h);
}

/* The 1st segment was only late: it arrives 5 ms after the SACK of the 2nd, within the
 * reordering window. Nothing is resent, and the reordering is counted (tcpi_reord_seen). */
static void
test_rack_reordering_within_window(void)
{
    struct harness *h = sent_at_t0(4, 4);
    harness_feed(h, T0 + MS(100), ack_sacking(L1, L1 + MSS, L1 + 2 * MSS));
    harness_feed(h, T0 + MS(105), INBOUND(.seq = R1, .ack = L1 + 2 * MSS));
    HARNESS_EXPECT_NONE(h, T0 + MS(150));
    CU_ASSERT_FALSE(h->tcb->in_recovery);
    CU_ASSERT_EQUAL(h->tcb->rack->reord_seen, 1);
    CU_ASSERT_EQUAL(h->tcb->rack->reordering, 3); /* 2 segments apart: below DupThresh */
    CU_ASSERT_EQUAL(h->tcb->rack->lost_total, 0);
    harness_free(h);
}

/* The 8th of 10 segments is SACKed (Linux packetdrill sack-shift-sacked-7-3-4-8-9-fack).
 * RACK's reordering timer marks the seven below it lost 27 ms later and recovery starts
 * with no ACK to drive it: Linux runs PRR as if one segment were delivered
 * (tcp_rack_reo_timeout() -> tcp_cwnd_reduction(sk, 1, ...)), so the window is what is in
 * flight plus one and only the head goes, not five holes at once. */
static struct harness *
reo_timeout_recovery(void)
{
    struct harness *h = sent_at_t0(10, 10);
    harness_feed(h, T0 + MS(100), ack_sacking(L1, L1 + 7 * MSS, L1 + 8 * MSS));
    HARNESS_EXPECT_NONE(h, T0 + MS(126));
    struct tcp_seg r = only_segment_by(h, T0 + MS(127));
    CU_ASSERT_EQUAL(r.seq, L1);
    CU_ASSERT_EQUAL(r.tx_cause, TCP_TX_RACK);
    CU_ASSERT_TRUE(h->tcb->in_recovery);
    CU_ASSERT_EQUAL(tcp_rack_count(h->tcb, TCP_TXREC_LOST), 7); /* tcpi_lost */
    CU_ASSERT_EQUAL(h->tcb->rack->reordering, 3);               /* tcpi_reordering */
    /* in flight: 10 - 1 SACKed - 7 lost + 1 resent = 3 segments: the window is full */
    CU_ASSERT_EQUAL(h->tcb->cc.cwnd, 3 * MSS);
    return h;
}

static void
test_rack_timeout_recovery_sends_head_only(void)
{
    struct harness *h = reo_timeout_recovery();
    HARNESS_EXPECT_NONE(h, T0 + MS(200));
    harness_free(h);
}

/* Linux: tcp_sacktag_one() / tcp_check_sack_reordering(). Then the 4th segment, never
 * resent, is SACKed below the 8th: the network reordered it, by the distance from its
 * start to the end of the highest segment SACKed before (fack, 8 * MSS): 5 segments. The
 * reordering degree rises from 3 to 5 (tcpi_reordering), one reordering is counted
 * (tcpi_reord_seen), and PRR lets the next hole go. */
static void
test_rack_reordering_degree_from_sack(void)
{
    struct harness *h = reo_timeout_recovery();
    const struct tcp_sack_block b[2] = {{L1 + 3 * MSS, L1 + 4 * MSS},
                                        {L1 + 7 * MSS, L1 + 8 * MSS}};
    harness_feed(h, T0 + MS(129), with_sack(INBOUND(.seq = R1, .ack = L1), 2, b));
    CU_ASSERT_EQUAL(h->tcb->rack->reordering, 5);
    CU_ASSERT_EQUAL(h->tcb->rack->reord_seen, 1);
    CU_ASSERT_EQUAL(tcp_rack_count(h->tcb, TCP_TXREC_LOST), 6);
    struct tcp_seg r = only_segment_by(h, T0 + MS(129));
    CU_ASSERT_EQUAL(r.seq, L1 + MSS);
    CU_ASSERT_EQUAL(r.tx_cause, TCP_TX_RACK);
    harness_free(h);
}

/* tcp_max_reordering bounds the degree; tcp_reordering is where it starts. */
static void
test_rack_reordering_bounded_by_knob(void)
{
    struct harness *h = harness_new(fixture_rtt_100ms);
    CU_ASSERT_TRUE(tcp_sysctl_set(&h->st.sysctl, "tcp_max_reordering", "4", NULL));
    harness_advance(h, T0);
    tcp_user_send(h->tcb, 10 * MSS, NULL);
    guint got = 0;
    g_free(harness_take(h, &got));
    CU_ASSERT_EQUAL(got, 10);
    harness_feed(h, T0 + MS(100), ack_sacking(L1, L1 + 7 * MSS, L1 + 8 * MSS));
    /* the 2nd segment comes late, reordered by 6 segments: only 4 count */
    const struct tcp_sack_block b[2] = {{L1 + MSS, L1 + 2 * MSS}, {L1 + 7 * MSS, L1 + 8 * MSS}};
    harness_feed(h, T0 + MS(101), with_sack(INBOUND(.seq = R1, .ack = L1), 2, b));
    CU_ASSERT_EQUAL(h->tcb->rack->reordering, 4);
    CU_ASSERT_EQUAL(h->tcb->rack->reord_seen, 1);
    harness_free(h);
}

/* With RACK off (tcp_recovery 0), Linux counts duplicate ACKs and SACKed segments
 * against the reordering degree, not a fixed 3 (tcp_time_to_recover(),
 * tcp_mark_head_lost()): with tcp_reordering 5, three segments SACKed above a hole are
 * not yet a loss; five are. */
static void
test_dupthresh_is_the_reordering_degree(void)
{
    struct harness *h = sent_at_t0(8, 8);
    CU_ASSERT_TRUE(tcp_sysctl_set(&h->st.sysctl, "tcp_recovery", "0", NULL));
    CU_ASSERT_TRUE(tcp_sysctl_set(&h->st.sysctl, "tcp_reordering", "5", NULL));
    h->tcb->rack->reordering = 5; /* the connection took the knob when it began */
    CU_ASSERT_EQUAL(tcp_dupthresh(h->tcb), 5);
    for (uint32_t k = 1; k <= 3; k++) {
        harness_feed(h, T0 + MS(100) + k, ack_sacking(L1, L1 + MSS, L1 + (k + 1) * MSS));
    }
    CU_ASSERT_FALSE(h->tcb->in_recovery);
    for (uint32_t k = 4; k <= 5; k++) {
        harness_feed(h, T0 + MS(100) + k, ack_sacking(L1, L1 + MSS, L1 + (k + 1) * MSS));
    }
    CU_ASSERT_TRUE(h->tcb->in_recovery);
    harness_free(h);
    /* The RFC personality keeps DupThresh 3 (RFC 5681 §3.2, RFC 6675 §2). */
    struct harness *r = harness_new_personality(fixture_rtt_100ms, TCP_PERSONALITY_RFC);
    CU_ASSERT_EQUAL(tcp_dupthresh(r->tcb), 3);
    harness_free(r);
}

/* Knobs off (tcp_recovery 0, tcp_early_retrans 0, the RFC personality's values): one
 * SACK is no loss for RFC 6675, no probe goes, and the RTO repairs the tail at 300 ms. */
static void
test_knobs_off_old_behaviour(void)
{
    struct harness *h = harness_new(fixture_rtt_100ms);
    h->st.sysctl.tcp_recovery = 0;
    h->st.sysctl.tcp_early_retrans = 0;
    harness_advance(h, T0);
    tcp_user_send(h->tcb, 4 * MSS, NULL);
    harness_drain(h);
    harness_feed(h, T0 + MS(100), ack_sacking(L1, L1 + MSS, L1 + 2 * MSS));
    HARNESS_EXPECT_NONE(h, T0 + MS(299));
    struct tcp_seg r = only_segment_by(h, T0 + MS(300));
    CU_ASSERT_EQUAL(r.seq, L1);
    CU_ASSERT_EQUAL(r.tx_cause, TCP_TX_RTO);
    CU_ASSERT_EQUAL(h->st.mib[TCP_MIB_LOSS_PROBES], 0);
    CU_ASSERT_PTR_NULL(h->tcb->rack); /* nothing recorded when neither is on */
    harness_free(h);
}

/* RFC 8985 §7.4: the probe's ACK acknowledges beyond TLP.end_seq: the probe repaired a
 * loss, and the window is reduced once (Linux: TCPLossProbeRecovery, CWR). */
static void
test_probe_that_repaired_a_loss_reduces_cwnd(void)
{
    struct harness *h = sent_at_t0(4, 4);
    struct tcp_seg p = only_segment_by(h, T0 + MS(202));
    CU_ASSERT_EQUAL(p.tx_cause, TCP_TX_TLP);
    uint32_t cwnd = h->tcb->cc.cwnd;
    /* New data goes out behind the probe; then one ACK covers all. */
    tcp_user_send(h->tcb, MSS, NULL);
    harness_drain(h);
    harness_feed(h, T0 + MS(302), INBOUND(.seq = R1, .ack = L1 + 5 * MSS));
    CU_ASSERT_EQUAL(h->st.mib[TCP_MIB_LOSS_PROBE_RECOVERY], 1);
    CU_ASSERT(h->tcb->cc.cwnd < cwnd);
    CU_ASSERT_FALSE(h->tcb->rack->tlp_out);
    harness_free(h);
}

/* RFC 8985 §6: RACK works on send times, so it sees a retransmission lost too. The
 * first segment's retransmission (T0 + 100 ms) is lost; new data sent 1 ms after it is
 * SACKed a round trip later, so the retransmission is overdue: it goes again at once,
 * with no RTO (which would come only at T0 + 400 ms). */
static void
test_rack_finds_a_lost_retransmission(void)
{
    struct harness *h = sent_at_t0(8, 8);
    harness_feed(h, T0 + MS(100), ack_sacking(L1, L1 + MSS, L1 + 8 * MSS));
    struct tcp_seg r1 = only_segment_by(h, T0 + MS(100));
    CU_ASSERT_EQUAL(r1.seq, L1);
    CU_ASSERT_EQUAL(r1.tx_cause, TCP_TX_RACK);
    harness_advance(h, T0 + MS(101));
    tcp_user_send(h->tcb, MSS, NULL); /* new data during the recovery */
    struct tcp_seg n = only_segment_by(h, T0 + MS(101));
    CU_ASSERT_EQUAL(n.seq, L1 + 8 * MSS);
    harness_feed(h, T0 + MS(201), ack_sacking(L1, L1 + MSS, L1 + 9 * MSS));
    struct tcp_seg r2 = only_segment_by(h, T0 + MS(201));
    CU_ASSERT_EQUAL(r2.seq, L1);
    CU_ASSERT_EQUAL(r2.tx_cause, TCP_TX_RACK);
    CU_ASSERT_EQUAL(h->st.mib[TCP_MIB_LOST_RETRANSMIT], 1);
    CU_ASSERT_EQUAL(h->st.mib[TCP_MIB_TIMEOUTS], 0);
    CU_ASSERT_EQUAL(h->st.mib[TCP_MIB_SACK_RECOVERY], 1); /* still the same recovery */
    harness_free(h);
}

static CU_TestInfo rack_tests[] = {
    {"knobs: Linux defaults, RFC personality off", test_knob_defaults},
    {"TLP: a lost tail is probed 2*SRTT after the send", test_tail_probed_at_two_rtt},
    {"TLP: new data first, beyond cwnd", test_probe_carries_new_data_first},
    {"TLP: no window for new data, the last segment", test_probe_without_window_resends_last},
    {"TLP: one segment out, no later than the RTO", test_one_segment_probe_no_later_than_rto},
    {"TLP: an ACK beyond the probe reduces cwnd once",
     test_probe_that_repaired_a_loss_reduces_cwnd},
    {"RACK: lost after the reordering window", test_rack_marks_lost_after_reo_wnd},
    {"RACK: three SACKed, lost at once", test_rack_three_sacked_marks_at_once},
    {"RACK: reordering within the window is no loss", test_rack_reordering_within_window},
    {"RACK: a lost retransmission is resent without an RTO",
     test_rack_finds_a_lost_retransmission},
    {"RACK: recovery from the reordering timer sends the head only (PRR)",
     test_rack_timeout_recovery_sends_head_only},
    {"RACK: SACK below the highest SACKed raises the reordering degree",
     test_rack_reordering_degree_from_sack},
    {"RACK: tcp_max_reordering bounds the degree", test_rack_reordering_bounded_by_knob},
    {"RACK off: DupThresh is the reordering degree (Linux)",
     test_dupthresh_is_the_reordering_degree},
    {"knobs off: RFC 6675 and the RTO, as before", test_knobs_off_old_behaviour},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo tcp_rack_suites[] = {
    {"tcp RACK-TLP", NULL, NULL, NULL, NULL, rack_tests},
    CU_SUITE_INFO_NULL,
};
