/* SPDX-License-Identifier: MIT */
/*
 * test_why.c: the structured causes trace events carry for explain mode and the ladder
 * (trace_event.why), recorded from one endpoint driven by the harness.
 */
#include <CUnit/CUnit.h>

#include "sim/view/record.h"
#include "test/unit/tcp/harness.h"

#define R1 (REMOTE_ISS + 1)
#define L1 (LOCAL_ISS + 1)

static void
rec_sink_event(void *self, const struct trace_event *ev)
{
    rec_add(self, ev);
}

static void
rec_sink_free(void *self)
{
    rec_clear(self);
    g_free(self);
}

static const struct trace_sink_ops rec_ops = {
    .name = "record", .event = rec_sink_event, .free = rec_sink_free};

static struct rec *
record(struct harness *h)
{
    struct rec *r = g_new0(struct rec, 1);
    rec_init(r);
    trace_add_sink(&h->trace, &rec_ops, r, TRACE_ALL);
    return r;
}

static const struct trace_event *
last_of(const struct rec *r, enum trace_kind k)
{
    for (guint i = r->events->len; i-- > 0;) {
        if (rec_at(r, i)->kind == k) {
            return rec_at(r, i);
        }
    }
    return NULL;
}

/* FIN in FIN-WAIT-2: the state event names the cause, both states and the 2*MSL. */
static void
test_why_time_wait_entry(void)
{
    struct harness *h = harness_new(fixture_fin_wait_2);
    struct rec *r = record(h);
    harness_feed(h, MS(10), INBOUND(.flags = TCP_FIN | TCP_ACK, .seq = R1, .ack = L1 + 1));
    const struct trace_event *ev = last_of(r, TRACE_STATE);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ev);
    CU_ASSERT_EQUAL(ev->why.code, TCP_CAUSE_RCV_FIN);
    CU_ASSERT_EQUAL(ev->why.from, TCP_FIN_WAIT_2);
    CU_ASSERT_EQUAL(ev->why.to, TCP_TIME_WAIT);
    CU_ASSERT_EQUAL(ev->why.span, 2 * h->st.sysctl.msl);
    harness_free(h);
}

/* The SYN's retransmission timer: which timer, the timeout that expired, the budget. */
static void
test_why_syn_rto(void)
{
    struct harness *h = harness_new(fixture_syn_sent);
    struct rec *r = record(h);
    harness_advance(h, SEC(1));
    const struct trace_event *ev = last_of(r, TRACE_TIMER);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ev);
    CU_ASSERT_EQUAL(ev->why.code, TCP_TIMER_RTO_SYN);
    CU_ASSERT_EQUAL(ev->why.span, SEC(1));
    CU_ASSERT_EQUAL(ev->why.limit, h->st.sysctl.tcp_syn_retries);
    CU_ASSERT_EQUAL(ev->a, 1);
    harness_free(h);
}

/* An out-of-window segment: the discard names its reason as a number. */
static void
test_why_discard_reason(void)
{
    struct harness *h = harness_new(fixture_established);
    struct rec *r = record(h);
    harness_feed(h, MS(10), INBOUND(.seq = R1 + 0x40000000u, .ack = L1, .len = 10));
    const struct trace_event *ev = last_of(r, TRACE_SEG_DISCARD);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ev);
    CU_ASSERT_EQUAL(ev->why.code, TCP_DROP_OUT_OF_WINDOW);
    CU_ASSERT_FALSE(ev->why.muted);
    harness_free(h);
}

static CU_TestInfo why_tests[] = {
    {"entering TIME_WAIT carries cause, states and 2*MSL", test_why_time_wait_entry},
    {"a SYN RTO carries the timer, its timeout and the budget", test_why_syn_rto},
    {"a discard carries its reason", test_why_discard_reason},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo trace_why_suites[] = {
    {"trace why", NULL, NULL, NULL, NULL, why_tests},
    CU_SUITE_INFO_NULL,
};
