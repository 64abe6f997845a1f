/* SPDX-License-Identifier: MIT */
/*
 * test_explain.c: explain mode's message tables and their placeholders.
 */
#include <CUnit/CUnit.h>
#include <string.h>

#include "sim/view/explain.h"

static const char *const known[] = {"rto",  "next", "span",     "limit", "knob", "n",
                                     "iss",  "why",  "cwnd",     "ssthresh", "prev", "tries",
                                     "grain"};

/* The placeholders a message uses, as a bit set over `known`; -1 for an unknown one. */
static int
placeholders(const char *msg)
{
    int set = 0;
    for (const char *p = strchr(msg, '{'); p != NULL; p = strchr(p + 1, '{')) {
        const char *close = strchr(p, '}');
        if (close == NULL) {
            return -1;
        }
        size_t k = 0;
        while (k < G_N_ELEMENTS(known) && !(strlen(known[k]) == (size_t)(close - p - 1) &&
                                             strncmp(p + 1, known[k], strlen(known[k])) == 0)) {
            k++;
        }
        if (k == G_N_ELEMENTS(known)) {
            return -1;
        }
        set |= 1 << k;
    }
    return set;
}

static void
check_pair(const char *en, const char *zh, const char *what, int id)
{
    if (en == NULL || zh == NULL) {
        CU_FAIL(what);
        fprintf(stderr, "\n%s %d: missing in %s\n", what, id, en == NULL ? "en" : "zh");
        return;
    }
    int pe = placeholders(en);
    int pz = placeholders(zh);
    CU_ASSERT(pe >= 0);
    CU_ASSERT_EQUAL(pe, pz);
    if (pe != pz) {
        fprintf(stderr, "\n%s %d: placeholders differ\n  %s\n  %s\n", what, id, en, zh);
    }
}

/* Every message exists in both languages, with the same known placeholders. */
static void
test_explain_tables_complete(void)
{
    CU_ASSERT_PTR_NULL(explain_en.msg[EXM_NONE]);
    for (int i = EXM_NONE + 1; i < EXM_N; i++) {
        check_pair(explain_en.msg[i], explain_zh.msg[i], "message", i);
    }
    for (int i = TCP_DROP_NONE + 1; i < TCP_NDROPS; i++) {
        check_pair(explain_en.discard[i], explain_zh.discard[i], "discard reason", i);
    }
    for (int i = 0; i < LINK_DROP_N; i++) {
        check_pair(explain_en.drop[i], explain_zh.drop[i], "link drop", i);
    }
    CU_ASSERT_PTR_EQUAL(explain_texts_for("en"), &explain_en);
    CU_ASSERT_PTR_EQUAL(explain_texts_for("zh"), &explain_zh);
    CU_ASSERT_PTR_NULL(explain_texts_for("fr"));
}

static void
test_explain_expand_fills_placeholders(void)
{
    struct explain_args a = {0};
    g_strlcpy(a.rto, "1 s", sizeof a.rto);
    g_strlcpy(a.limit, "5", sizeof a.limit);
    g_strlcpy(a.n, "2", sizeof a.n);
    GString *s = g_string_new(NULL);
    explain_expand(s, "no ACK within RTO {rto} (tcp_synack_retries {limit}, try {n}).", &a);
    CU_ASSERT_STRING_EQUAL(s->str, "no ACK within RTO 1 s (tcp_synack_retries 5, try 2).");
    g_string_truncate(s, 0);
    explain_expand(s, "{unknown} {rto", &a); /* not placeholders: kept as written */
    CU_ASSERT_STRING_EQUAL(s->str, "{unknown} {rto");
    g_string_free(s, TRUE);
}

/* A timer whose timeout waited in a coarse bucket of the timer wheel (the trace gives
 * the bucket, 32 ms for 1 s at HZ 250) says so and names the rule; a short one does not. */
static void
test_explain_states_the_wheel_rule(void)
{
    struct rec r;
    rec_init(&r);
    struct explain_flows *f = explain_flows_new();
    struct trace_event rto = {.kind = TRACE_TIMER, .at = MS(1024), .host = "A",
                              .reason = "rto", .a = 1, .b = SEC(2),
                              .why = {.code = TCP_TIMER_RTO, .limit = 15, .span = SEC(1),
                                      .grain = MS(32)}};
    rec_add(&r, &rto);
    struct explain_pick p = explain_pick(&r, 0, f);
    CU_ASSERT_TRUE(p.wheel);
    GString *s = g_string_new(NULL);
    explain_expand(s, explain_en.msg[EXM_WHEEL], &p.args);
    CU_ASSERT_PTR_NOT_NULL(strstr(s->str, "buckets of 32 ms"));
    CU_ASSERT_PTR_NOT_NULL(strstr(s->str, "calc_wheel_index()"));
    rec_reset(&r);
    struct trace_event delack = {.kind = TRACE_TIMER, .at = MS(44), .host = "A",
                                 .reason = "delack",
                                 .why = {.code = TCP_TIMER_DELACK, .span = MS(40)}};
    rec_add(&r, &delack);
    p = explain_pick(&r, 0, f);
    CU_ASSERT_FALSE(p.wheel);
    g_string_free(s, TRUE);
    explain_flows_free(f);
    rec_clear(&r);
}

static CU_TestInfo explain_tests[] = {
    {"every message in English and Chinese, same placeholders", test_explain_tables_complete},
    {"placeholders are filled, anything else kept", test_explain_expand_fills_placeholders},
    {"a timer rounded by the wheel states the rule", test_explain_states_the_wheel_rule},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo view_explain_suites[] = {
    {"view explain", NULL, NULL, NULL, NULL, explain_tests},
    CU_SUITE_INFO_NULL,
};
