/* SPDX-License-Identifier: MIT */
/*
 * test_tcp_fixtures.c: the fixtures are what the state they name should be (smoltcp's
 * sanity!): every fixture is driven through the real code from CLOSED, and here its
 * variables are checked against RFC 9293 §3.3.1 as a reader would compute them.
 */
#include "harness.h"

#define R1 (REMOTE_ISS + 1)
#define L1 (LOCAL_ISS + 1)

struct want {
    harness_fixture fixture;
    enum tcp_state state;
    tcp_seq snd_una;
    tcp_seq snd_nxt;
    tcp_seq rcv_nxt;
};

static void
test_fixtures_hold_rfc_variables(void)
{
    const struct want w[] = {
        {fixture_syn_sent, TCP_SYN_SENT, LOCAL_ISS, L1, 0},
        {fixture_established, TCP_ESTABLISHED, L1, L1, R1},
        {fixture_syn_received, TCP_SYN_RECEIVED, LOCAL_ISS, L1, R1},
        {fixture_established_passive, TCP_ESTABLISHED, L1, L1, R1},
        {fixture_fin_wait_1, TCP_FIN_WAIT_1, L1, L1 + 1, R1},
        {fixture_fin_wait_2, TCP_FIN_WAIT_2, L1 + 1, L1 + 1, R1},
        {fixture_closing, TCP_CLOSING, L1, L1 + 1, R1 + 1},
        {fixture_time_wait, TCP_TIME_WAIT, L1 + 1, L1 + 1, R1 + 1},
        {fixture_close_wait, TCP_CLOSE_WAIT, L1, L1, R1 + 1},
        {fixture_last_ack, TCP_LAST_ACK, L1, L1 + 1, R1 + 1},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(w); i++) {
        struct harness *h = harness_new(w[i].fixture);
        CU_ASSERT_EQUAL(h->tcb->state, w[i].state);
        CU_ASSERT_EQUAL(h->tcb->snd_una, w[i].snd_una);
        CU_ASSERT_EQUAL(h->tcb->snd_nxt, w[i].snd_nxt);
        if (w[i].state != TCP_SYN_SENT) {
            CU_ASSERT_EQUAL(h->tcb->rcv_nxt, w[i].rcv_nxt);
            CU_ASSERT_EQUAL(h->tcb->irs, REMOTE_ISS);
        }
        CU_ASSERT_EQUAL(h->tcb->iss, LOCAL_ISS);
        CU_ASSERT_EQUAL(h->out->len, 0);
        harness_free(h);
    }
}

/* The handshake negotiated what both SYNs carried: only the MSS here. */
static void
test_fixture_established_negotiated_options(void)
{
    struct harness *h = harness_new(fixture_established);
    CU_ASSERT_EQUAL(h->tcb->mss, 1460);
    CU_ASSERT_FALSE(h->tcb->ts_ok);
    CU_ASSERT_FALSE(h->tcb->sack_ok);
    CU_ASSERT_FALSE(h->tcb->ws_ok);
    CU_ASSERT_EQUAL(h->tcb->snd_wnd, REMOTE_WIN);
    CU_ASSERT_EQUAL(h->tcb->cc.cwnd, 10 * 1460); /* RFC 6928 */
    harness_free(h);
}

static CU_TestInfo fixture_tests[] = {
    {"each fixture holds its state's RFC variables", test_fixtures_hold_rfc_variables},
    {"the handshake negotiated the SYNs' options", test_fixture_established_negotiated_options},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo tcp_fixtures_suites[] = {
    {"tcp fixtures", NULL, NULL, NULL, NULL, fixture_tests},
    CU_SUITE_INFO_NULL,
};
