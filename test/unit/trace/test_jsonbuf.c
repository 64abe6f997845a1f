/* SPDX-License-Identifier: MIT */
/*
 * test_jsonbuf.c: JSON strings that every parser reads (RFC 8259 §7).
 */
#include <CUnit/CUnit.h>
#include <glib.h>

#include "sim/trace/fmt_tcpdump.h"
#include "sim/trace/jsonbuf.h"

static void
test_jsonbuf_escapes_quotes_controls_and_bad_utf8(void)
{
    GString *s = g_string_new("{");
    js_str(s, "a", "say \"hi\"\\\n\t\x01");
    js_str(s, "b", "caf\xc3\xa9 \xff!");
    js_null(s, "c");
    js_open(s, "d", '[');
    js_uint(s, NULL, 4294967295u);
    js_int(s, NULL, -3);
    js_close(s, ']');
    js_close(s, '}');
    CU_ASSERT_STRING_EQUAL(s->str, "{\"a\":\"say \\\"hi\\\"\\\\\\n\\t\\u0001\","
                                   "\"b\":\"caf\xc3\xa9 \\ufffd!\",\"c\":null,"
                                   "\"d\":[4294967295,-3]}");
    g_string_free(s, TRUE);
}

/* A new transmit cause must be named for every sink: the text trace's phrase and the
 * JSON word come from one table, and no cause but "new" may lack either. */
static void
test_tx_causes_all_named(void)
{
    CU_ASSERT_PTR_NULL(fmt_tx_cause_phrase(TCP_TX_NEW));
    CU_ASSERT_PTR_NULL(fmt_tx_cause_word(TCP_TX_NEW));
    for (unsigned c = TCP_TX_NEW + 1; c < TCP_TX_NCAUSES; c++) {
        CU_ASSERT_PTR_NOT_NULL(fmt_tx_cause_phrase(c));
        CU_ASSERT_PTR_NOT_NULL(fmt_tx_cause_word(c));
    }
    CU_ASSERT_STRING_EQUAL(fmt_tx_cause_phrase(TCP_TX_RTO), "retransmit: rto");
    CU_ASSERT_STRING_EQUAL(fmt_tx_cause_word(TCP_TX_SYN_ANSWER), "syn_answer");
    CU_ASSERT_PTR_NULL(fmt_tx_cause_word(TCP_TX_NCAUSES));
}

static CU_TestInfo jsonbuf_tests[] = {
    {"strings are escaped and made valid UTF-8", test_jsonbuf_escapes_quotes_controls_and_bad_utf8},
    {"every transmit cause has a phrase and a word", test_tx_causes_all_named},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo trace_jsonbuf_suites[] = {
    {"trace: JSON writer", NULL, NULL, NULL, NULL, jsonbuf_tests},
    CU_SUITE_INFO_NULL,
};
