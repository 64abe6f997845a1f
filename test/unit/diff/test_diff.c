/* SPDX-License-Identifier: MIT */
/*
 * test_diff.c: the semantic diff: reading traces (tcpsim's and tcpdump's), errors with
 * their lines, sequence numbers on a common footing, and what a comparison reports.
 */
#include <CUnit/CUnit.h>
#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "sim/diff/diff.h"
#include "sim/diff/dtrace.h"

#define HDR "# tcpsim trace v1\n# scenario t.scn\n# seed 0\n# hosts A=10.0.0.1 B=10.0.0.2\n"

/* A connection, relative numbers (ISN A 1000, B 5000). */
static const char rel_trace[] =
    HDR "# sequence numbers relative to each side's ISN\n"
    "0.000000000 A   state     c 10.0.0.1.40000>10.0.0.2.80: CLOSED -> SYN_SENT (connect, iss 1000)\n"
    "0.000000000 A->B sent      10.0.0.1.40000 > 10.0.0.2.80: Flags [S], seq 0, win 64240, options [mss 1460], length 0\n"
    "0.010000000 A->B delivered 10.0.0.1.40000 > 10.0.0.2.80: Flags [S], seq 0, win 64240, options [mss 1460], length 0\n"
    "0.010000000 B->A sent      10.0.0.2.80 > 10.0.0.1.40000: Flags [S.], seq 0, ack 1, win 65160, options [mss 1460], length 0\n"
    "0.020000000 B->A delivered 10.0.0.2.80 > 10.0.0.1.40000: Flags [S.], seq 0, ack 1, win 65160, options [mss 1460], length 0\n"
    "0.020000000 A->B sent      10.0.0.1.40000 > 10.0.0.2.80: Flags [P.], seq 1:101, ack 1, win 502, length 100\n"
    "0.030000000 A->B delivered 10.0.0.1.40000 > 10.0.0.2.80: Flags [P.], seq 1:101, ack 1, win 502, length 100\n"
    "0.030000000 B->A sent      10.0.0.2.80 > 10.0.0.1.40000: Flags [.], ack 101, win 509, options [nop,nop,sack 1 {201:301}], length 0\n"
    "0.040000000 B->A delivered 10.0.0.2.80 > 10.0.0.1.40000: Flags [.], ack 101, win 509, options [nop,nop,sack 1 {201:301}], length 0\n"
    "0.040000000 A   app       send(c, 100) = 100\n";

/* The same run printed with --absolute. */
static const char abs_trace[] =
    HDR "# sequence numbers absolute\n"
    "0.000000000 A   state     c 10.0.0.1.40000>10.0.0.2.80: CLOSED -> SYN_SENT (connect, iss 1000)\n"
    "0.000000000 A->B sent      10.0.0.1.40000 > 10.0.0.2.80: Flags [S], seq 1000, win 64240, options [mss 1460], length 0\n"
    "0.010000000 A->B delivered 10.0.0.1.40000 > 10.0.0.2.80: Flags [S], seq 1000, win 64240, options [mss 1460], length 0\n"
    "0.010000000 B->A sent      10.0.0.2.80 > 10.0.0.1.40000: Flags [S.], seq 5000, ack 1001, win 65160, options [mss 1460], length 0\n"
    "0.020000000 B->A delivered 10.0.0.2.80 > 10.0.0.1.40000: Flags [S.], seq 5000, ack 1001, win 65160, options [mss 1460], length 0\n"
    "0.020000000 A->B sent      10.0.0.1.40000 > 10.0.0.2.80: Flags [P.], seq 1001:1101, ack 5001, win 502, length 100\n"
    "0.030000000 A->B delivered 10.0.0.1.40000 > 10.0.0.2.80: Flags [P.], seq 1001:1101, ack 5001, win 502, length 100\n"
    "0.030000000 B->A sent      10.0.0.2.80 > 10.0.0.1.40000: Flags [.], ack 1101, win 509, options [nop,nop,sack 1 {1201:1301}], length 0\n"
    "0.040000000 B->A delivered 10.0.0.2.80 > 10.0.0.1.40000: Flags [.], ack 1101, win 509, options [nop,nop,sack 1 {1201:1301}], length 0\n"
    "0.040000000 A   app       send(c, 100) = 100\n";

/* What tcpdump -n prints for a capture on A, with lines it must skip around it. */
static const char dump_rel[] =
    "reading from file a.pcap, link-type RAW (Raw IP), snapshot length 65535\n"
    "00:00:00.000000 ARP, Request who-has 10.0.0.2 tell 10.0.0.1, length 28\n"
    "00:00:00.000000 IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [S], seq 1000, win 64240, options [mss 1460], length 0\n"
    "00:00:00.020000 IP 10.0.0.2.80 > 10.0.0.1.40000: Flags [S.], seq 5000, ack 1001, win 65160, options [mss 1460], length 0\n"
    "00:00:00.020000 IP 10.0.0.1.53 > 10.0.0.2.53: 1+ A? example. (25)\n"
    "00:00:00.020000 IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [P.], seq 1:101, ack 1, win 502, length 100: HTTP\n"
    "\t0x0000:  4500 0034 0000 4000 4006 0000 0a00 0001  E..4..@.@.......\n"
    "00:00:00.030000 IP6 ::1.53 > ::1.53: 1+ AAAA? example. (25)\n"
    "00:00:00.040000 IP 10.0.0.2.80 > 10.0.0.1.40000: Flags [.], ack 101, win 509, options [nop,nop,sack 1 {201:301}], length 0\n";

/* tcpdump -S -tt -v of the same capture. */
static const char dump_abs[] =
    "0.000000 IP (tos 0x0, ttl 64, id 0, offset 0, flags [DF], proto TCP (6), length 44)\n"
    "    10.0.0.1.40000 > 10.0.0.2.80: Flags [S], cksum 0x1234 (correct), seq 1000, win 64240, options [mss 1460], length 0\n"
    "0.020000 IP 10.0.0.2.80 > 10.0.0.1.40000: Flags [S.], seq 5000, ack 1001, win 65160, options [mss 1460], length 0\n"
    "0.020000 IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [P.], seq 1001:1101, ack 5001, win 502, length 100\n"
    "0.040000 IP 10.0.0.2.80 > 10.0.0.1.40000: Flags [.], ack 1101, win 509, options [nop,nop,sack 1 {1201:1301}], length 0\n";

static struct dtrace *
load(const char *name, const char *text, GError **e)
{
    return dtrace_from_text(name, text, strlen(text), e);
}

/* Runs a diff; returns the divergence count and the report. */
static int64_t
run_diff(const char *ta, const char *tb, const struct diff_options *o, char **report)
{
    GError *e = NULL;
    struct dtrace *a = load("a", ta, &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    struct dtrace *b = load("b", tb, &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    int64_t n = diff_traces(a, b, o, out, &e);
    fclose(out);
    dtrace_free(a);
    dtrace_free(b);
    g_clear_error(&e);
    *report = buf;
    return n;
}

static void
test_diff_segment_body_parses_every_field(void)
{
    g_autoptr(GStringChunk) strings = g_string_chunk_new(64);
    struct dseg s;
    const char *rest = NULL;
    const char *why = NULL;
    CU_ASSERT_TRUE(dseg_parse("10.0.0.1.40000 > 10.0.0.2.80: Flags [FP.U], cksum 0xab (correct), "
                              "seq 7:9, ack 3, win 64, urg 1, options [nop,TS val 5 ecr 6,sack 2 "
                              "{1:2}{3:4},unknown-99 0x00], length 2: HTTP",
                              &s, &rest, strings, &why));
    struct tcpsim_addr a4 = tcpsim_addr_v4(0x0A000001u);
    CU_ASSERT_TRUE(tcpsim_addr_equal(&s.saddr, &a4));
    CU_ASSERT_EQUAL(s.sport, 40000);
    CU_ASSERT_EQUAL(s.flags, DF_FIN | DF_PSH | DF_ACK | DF_URG);
    CU_ASSERT_TRUE(s.has_seq && s.seq == 7 && s.end == 9);
    CU_ASSERT_TRUE(s.has_ack && s.ack == 3 && s.win == 64 && s.has_urg && s.urg == 1);
    CU_ASSERT_TRUE(s.has_ts && s.ts_val == 5 && s.ts_ecr == 6);
    CU_ASSERT_TRUE(s.nsack == 2 && s.sack[1][0] == 3 && s.sack[1][1] == 4);
    CU_ASSERT_EQUAL(s.len, 2);
    CU_ASSERT_STRING_EQUAL(rest, ": HTTP");
    const char *bad[] = {
        "10.0.0.1.40000 > 10.0.0.2.80 Flags [S], length 0",    /* no colon */
        "10.0.0.1.40000 > 10.0.0.256.80: Flags [S], length 0", /* octet */
        "10.0.0.1.70000 > 10.0.0.2.80: Flags [S], length 0",   /* port */
        "10.0.0.1.1 > 10.0.0.2.80: Flags [X], length 0",       /* flag */
        "10.0.0.1.1 > 10.0.0.2.80: Flags [S], seq 99999999999, length 0",
        "10.0.0.1.1 > 10.0.0.2.80: Flags [S], win 5",          /* no length */
        "10.0.0.1.1 > 10.0.0.2.80: Flags [S], options [sack 3 {1:2}], length 0",
        "10.0.0.1.1 > 10.0.0.2.80: Flags [S], options [mss 1460, length 0",
        "",
    };
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        why = NULL;
        CU_ASSERT_FALSE(dseg_parse(bad[i], &s, &rest, strings, &why));
        CU_ASSERT_PTR_NOT_NULL(why);
    }
}

/* Broken input is an error at its line, never a crash. */
static void
test_diff_bad_lines_are_located_errors(void)
{
    struct {
        const char *text;
        const char *message;
    } cases[] = {
        {HDR "0.1 A app x\nzero A app x\n", "t:6: error: expected a time"},
        {HDR "0.1 A frobbed x\n", "t:5: error: unknown event \"frobbed\""},
        {HDR "\n0.1 A->B sent 10.0.0.1.1 > 10.0.0.2.2: Flags [S], length 0 trailing\n",
         "t:6: error: sent segment: after \"length N\""},
        {HDR "0.1 A->B sent 10.0.0.1.1 > 10.0.0.2.2: Flags [S]\n",
         "t:5: error: sent segment: no \", length N\""},
        {"# tcpsim trace v9\n", "t:1: error: \"# tcpsim trace v9\": this tcpsim reads trace format v1"},
        {"12:00:00.000000 IP 10.0.0.1.1 > 10.0.0.2.2: Flags [S], length 0\n"
         "12:00:00.100000 IP 10.0.0.1.1 > 10.0.0.2.2: Flags [S], seq x, length 0\n",
         "t:2: error: tcpdump TCP line"},
        {"hello\nworld\n", "t:1: error: no TCP segments"},
        {"a\0b", "t:1: error: a NUL byte"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        GError *e = NULL;
        size_t len = i == G_N_ELEMENTS(cases) - 1 ? 3 : strlen(cases[i].text);
        struct dtrace *t = dtrace_from_text("t", cases[i].text, len, &e);
        CU_ASSERT_PTR_NULL(t);
        CU_ASSERT_PTR_NOT_NULL_FATAL(e);
        if (strstr(e->message, cases[i].message) == NULL) {
            fprintf(stderr, "\n  case %zu: got \"%s\"\n", i, e->message);
        }
        CU_ASSERT_PTR_NOT_NULL(strstr(e->message, cases[i].message));
        g_error_free(e);
        dtrace_free(t);
    }
}

static void
test_diff_tcpdump_time_stamps(void)
{
    const char *lines[] = {
        "01:02:03.250000 IP 10.0.0.1.1 > 10.0.0.2.2: Flags [S], seq 1, win 1, length 0\n",
        "3723.250000 IP 10.0.0.1.1 > 10.0.0.2.2: Flags [S], seq 1, win 1, length 0\n",
        "1970-01-01 01:02:03.250000000 IP 10.0.0.1.1 > 10.0.0.2.2: Flags [S], seq 1, win 1, length 0\n",
    };
    for (size_t i = 0; i < G_N_ELEMENTS(lines); i++) {
        GError *e = NULL;
        struct dtrace *t = load("t", lines[i], &e);
        CU_ASSERT_PTR_NOT_NULL_FATAL(t);
        CU_ASSERT_EQUAL(t->ev->len, 1);
        CU_ASSERT_EQUAL(g_array_index(t->ev, struct dev, 0).at, 3723250000000ll);
        CU_ASSERT_EQUAL(t->time_digits, i == 2 ? 9 : 6);
        dtrace_free(t);
    }
    GError *e = NULL;
    struct dtrace *t = load("t", "IP 10.0.0.1.1 > 10.0.0.2.2: Flags [S], seq 1, win 1, length 0\n", &e);
    CU_ASSERT_TRUE(t != NULL && !t->has_time);
    dtrace_free(t);
    /* A time of day that passes midnight keeps counting. */
    t = load("t", "23:59:59.900000 IP 10.0.0.1.1 > 10.0.0.2.2: Flags [S], seq 1, win 1, length 0\n"
                  "00:00:00.100000 IP 10.0.0.1.1 > 10.0.0.2.2: Flags [S], seq 1, win 1, length 0\n",
             &e);
    CU_ASSERT_EQUAL(g_array_index(t->ev, struct dev, 1).at, 86400100000000ll);
    dtrace_free(t);
}

/* IPv6 segments in tcpdump's two forms (plain, and -v with the header in parentheses on
 * the same line), and an IPv4-mapped address, read into the same fields. */
static void
test_diff_reads_ipv6_tcpdump(void)
{
    GError *e = NULL;
    struct dtrace *t = load(
        "t",
        "0.010000 IP6 2001:db8::1.40000 > 2001:db8::2.80: Flags [S], seq 7, win 64800, "
        "options [mss 1440], length 0\n"
        "0.020000 IP6 (hlim 64, next-header TCP (6) payload length: 40) 2001:db8::2.80 > "
        "2001:db8::1.40000: Flags [S.], cksum 0xfe75 (correct), seq 9, ack 8, win 64260, "
        "length 0\n"
        "0.030000 IP6 ::ffff:10.0.0.1.1 > ::1.2: Flags [R], seq 1, win 0, length 0\n",
        &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    CU_ASSERT_EQUAL(t->ev->len, 3);
    const struct dseg *s = &g_array_index(t->ev, struct dev, 1).seg;
    struct tcpsim_addr two;
    CU_ASSERT_TRUE(tcpsim_addr_parse("2001:db8::2", &two));
    CU_ASSERT_TRUE(tcpsim_addr_equal(&s->saddr, &two));
    CU_ASSERT_EQUAL(s->sport, 80);
    CU_ASSERT_EQUAL(s->dport, 40000);
    CU_ASSERT_TRUE(s->has_ack && s->ack == 8 && s->win == 64260);
    const struct dseg *r = &g_array_index(t->ev, struct dev, 2).seg;
    CU_ASSERT_EQUAL(r->saddr.family, TCPSIM_AF_INET6);
    CU_ASSERT_EQUAL(r->saddr.b[15], 1);
    CU_ASSERT_EQUAL(r->sport, 1);
    dtrace_free(t);
}

/* tcpdump text with relative or absolute numbers, -v or not, skipped lines: all read
 * as the same captured segments as the tcpsim trace. */
static void
test_diff_tcpdump_text_matches_tcpsim_trace(void)
{
    struct diff_options o = {.context = 3};
    char *report = NULL;
    CU_ASSERT_EQUAL(run_diff(rel_trace, dump_rel, &o, &report), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(report, "a and b agree: 4 events compared"));
    free(report);
    CU_ASSERT_EQUAL(run_diff(rel_trace, dump_abs, &o, &report), 0);
    free(report);
    CU_ASSERT_EQUAL(run_diff(abs_trace, dump_abs, &o, &report), 0);
    free(report);
    o.pcap_at = "B"; /* B's capture holds other segments */
    CU_ASSERT_TRUE(run_diff(rel_trace, dump_rel, &o, &report) > 0);
    free(report);
}

static void
test_diff_absolute_and_relative_traces_agree(void)
{
    struct diff_options o = {.context = 3};
    char *report = NULL;
    CU_ASSERT_EQUAL(run_diff(rel_trace, abs_trace, &o, &report), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(report, "agree: 10 events compared"));
    free(report);
}

static char *
replace(const char *text, const char *from, const char *to)
{
    g_auto(GStrv) parts = g_strsplit(text, from, 2);
    return g_strjoinv(to, parts);
}

static void
test_diff_changed_window_is_named_with_its_line(void)
{
    g_autofree char *b = replace(rel_trace, "ack 101, win 509, options [nop,nop,sack 1 {201:301}], "
                                            "length 0\n0.040000000",
                                 "ack 101, win 510, options [nop,nop,sack 1 {201:301}], "
                                 "length 0\n0.040000000");
    struct diff_options o = {.context = 1};
    char *report = NULL;
    CU_ASSERT_EQUAL(run_diff(rel_trace, b, &o, &report), 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(report, "first divergence at a:13, b:13: different win\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(report, "    win 509 -> 510\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(report, "  different win                 1\n"));
    free(report);
    o.ignore = DIFF_IGN_WINDOW;
    CU_ASSERT_EQUAL(run_diff(rel_trace, b, &o, &report), 0);
    free(report);
}

static void
test_diff_missing_segment_and_timing(void)
{
    /* B lacks the data segment's delivery; then everything after is 5 ms late. */
    g_autofree char *cut = replace(rel_trace,
                                   "0.030000000 A->B delivered 10.0.0.1.40000 > 10.0.0.2.80: "
                                   "Flags [P.], seq 1:101, ack 1, win 502, length 100\n",
                                   "");
    g_autofree char *late = replace(cut, "0.040000000 B->A delivered", "0.045000000 B->A delivered");
    struct diff_options o = {.context = 3};
    char *report = NULL;
    CU_ASSERT_EQUAL(run_diff(rel_trace, late, &o, &report), 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(report, "first divergence at a:12, b:12: missing segment\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(report, "  timing shift                  1   largest +5ms"));
    free(report);
    o.time_within = 5000000;
    CU_ASSERT_EQUAL(run_diff(rel_trace, late, &o, &report), 1);
    free(report);
    o.ignore = DIFF_IGN_DELIVERED;
    o.time_within = 0;
    CU_ASSERT_EQUAL(run_diff(rel_trace, late, &o, &report), 0);
    free(report);
}

/* Socket listings (ss lines) are events like the others, and can be ignored. */
static void
test_diff_ss_rows_compare_and_can_be_ignored(void)
{
    g_autofree char *a = g_strconcat(rel_trace, "0.050000000 A   ss        ESTAB 0 0 10.0.0.1:40000 "
                                                "10.0.0.2:80 c\n", NULL);
    g_autofree char *b = g_strconcat(rel_trace, "0.050000000 A   ss        ESTAB 0 100 "
                                                "10.0.0.1:40000 10.0.0.2:80 c\n", NULL);
    struct diff_options o = {.context = 0};
    char *report = NULL;
    CU_ASSERT_EQUAL(run_diff(a, b, &o, &report), 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(report, "first divergence at a:16, b:16: different ss\n"));
    free(report);
    o.ignore = DIFF_IGN_SS;
    CU_ASSERT_EQUAL(run_diff(a, b, &o, &report), 0);
    free(report);
}

static void
test_diff_ignore_list_names_valid_items(void)
{
    uint32_t bits = 0;
    GError *e = NULL;
    CU_ASSERT_TRUE(diff_parse_ignore("time, isn,ports", &bits, &e));
    CU_ASSERT_EQUAL(bits, DIFF_IGN_TIME | DIFF_IGN_ISN | DIFF_IGN_PORTS);
    CU_ASSERT_FALSE(diff_parse_ignore("time,windows", &bits, &e));
    CU_ASSERT_PTR_NOT_NULL(e ? strstr(e->message, "unknown item \"windows\"; the items are: "
                                                  "time, isn, ports")
                             : NULL);
    g_clear_error(&e);
}

static CU_TestInfo diff_tests[] = {
    {"a tcpdump segment body parses into every field", test_diff_segment_body_parses_every_field},
    {"broken lines are errors at their line", test_diff_bad_lines_are_located_errors},
    {"tcpdump time stamps: time of day, seconds, date, none",
     test_diff_tcpdump_time_stamps},
    {"IPv6 tcpdump lines, plain and -v", test_diff_reads_ipv6_tcpdump},
    {"tcpdump text (relative, -S, -v) matches the tcpsim trace",
     test_diff_tcpdump_text_matches_tcpsim_trace},
    {"--absolute and relative traces of one run agree", test_diff_absolute_and_relative_traces_agree},
    {"a changed window is named, with its line and values",
     test_diff_changed_window_is_named_with_its_line},
    {"a missing segment, then a timing shift; tolerances", test_diff_missing_segment_and_timing},
    {"ss rows compare, and --ignore ss leaves them out", test_diff_ss_rows_compare_and_can_be_ignored},
    {"--ignore: valid items, and an error naming them", test_diff_ignore_list_names_valid_items},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo diff_suites[] = {
    {"diff: reading and comparing traces", NULL, NULL, NULL, NULL, diff_tests},
    CU_SUITE_INFO_NULL,
};
