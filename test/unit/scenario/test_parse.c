/* SPDX-License-Identifier: MIT */
/*
 * test_parse.c: scenario files: what parses, and the located error for what does not.
 */
#include <CUnit/CUnit.h>
#include <string.h>
#include <tcpsim/scenario.h>

/* Parses `text`; returns the error message (caller frees) or NULL when it parsed. */
static char *
parse_error(const char *text)
{
    GError *e = NULL;
    struct tcpsim_scenario *scn = tcpsim_scenario_parse("t.scn", text, strlen(text), &e);
    if (scn != NULL) {
        tcpsim_scenario_free(scn);
        return NULL;
    }
    char *msg = g_strdup(e->message);
    g_error_free(e);
    return msg;
}

#define ASSERT_ERROR(text, prefix, fragment)                                                  \
    do {                                                                                      \
        char *msg_ = parse_error(text);                                                       \
        CU_ASSERT_PTR_NOT_NULL_FATAL(msg_);                                                   \
        CU_ASSERT_NSTRING_EQUAL(msg_, prefix, strlen(prefix));                                \
        CU_ASSERT_PTR_NOT_NULL(strstr(msg_, fragment));                                       \
        if (strncmp(msg_, prefix, strlen(prefix)) != 0 || !strstr(msg_, fragment)) {         \
            fprintf(stderr, "\n  got: %s\n", msg_);                                          \
        }                                                                                     \
        g_free(msg_);                                                                         \
    } while (0)

static void
test_parse_contract_example(void)
{
    const char *text =
        "# Three-way handshake, one request, four-way close\n"
        "title \"handshake and close\"\n"
        "seed  7\n"
        "hosts A=10.0.0.1 B=10.0.0.2\n"
        "link  both  delay 10ms\n"
        "link  A->B  loss 1% rate 10Mbps queue 64\n"
        "set   B tcp_synack_retries 2\n"
        "set   *  msl 30s\n"
        "end   quiet\n"
        "\n"
        "0ms     B listen 80 backlog 1\n"
        "10ms    A connect B:80 as c\n"
        "+0      B accept 80 as s\n"
        "+100ms  A send c 100\n"
        "+0      B recv s 100\n"
        "+50ms   A close c\n"
        "+0      B close s\n"
        "2s      expect A c state TIME_WAIT\n"
        "65s     expect A c state CLOSED\n";
    GError *e = NULL;
    struct tcpsim_scenario *scn = tcpsim_scenario_parse("ex.scn", text, strlen(text), &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
    CU_ASSERT_STRING_EQUAL(tcpsim_scenario_title(scn), "handshake and close");
    tcpsim_scenario_free(scn);
}

static void
test_parse_unknown_verb_is_located(void)
{
    ASSERT_ERROR("0 B listen 80\n10ms A lisen 90\n", "t.scn:2:8: error: unknown verb \"lisen\"",
                 "expected one of abort, accept");
    ASSERT_ERROR("hots A=1.2.3.4\n", "t.scn:1:1: error: unknown verb \"hots\"", "starts with a time");
}

static void
test_parse_bad_values_are_located(void)
{
    ASSERT_ERROR("link both delay 10parsecs\n", "t.scn:1:17: error:", "unknown unit \"parsecs\"");
    ASSERT_ERROR("10xs A connect B:80\n", "t.scn:1:1: error:", "unknown unit \"xs\"");
    ASSERT_ERROR("0 A connect B:99999 as c\n", "t.scn:1:13: error:", "bad port");
    ASSERT_ERROR("0 A connect Q:80 as c\n", "t.scn:1:13: error:", "unknown host \"Q\"");
    ASSERT_ERROR("set A tcp_syn_retries 999\n", "t.scn:1:7: error:", "out of range");
    ASSERT_ERROR("set A tcp_sin_retries 3\n", "t.scn:1:7: error:", "unknown tunable");
    ASSERT_ERROR("link A->B loss 120%\n", "t.scn:1:16: error:", "bad probability");
    ASSERT_ERROR("0 B listen 80 backlog -1\n", "t.scn:1:23: error:", "bad number");
}

static void
test_parse_time_going_backwards(void)
{
    ASSERT_ERROR("1s B listen 80\n500ms B listen 81\n", "t.scn:2:1: error: time goes backwards",
                 "500ms is before the previous line's 1s");
}

static void
test_parse_names_must_be_bound(void)
{
    ASSERT_ERROR("0 B listen 80\n1s B recv s\n2s B accept 80 as s\n",
                 "t.scn:2:11: error: socket \"s\" on host B is not named yet", "accept PORT as s");
    ASSERT_ERROR("0 B accept 80 as s\n", "t.scn:1:12: error: accept on port 80", "nothing listens");
    ASSERT_ERROR("0 A connect B:80 as c\n1s A connect B:81 as c\n",
                 "t.scn:2:22: error: socket \"c\" on host A is already named at line 1", "new name");
}

static void
test_parse_lexical_errors(void)
{
    ASSERT_ERROR("0 A connect B:80 as c\n1s A send c \"unterminated\n",
                 "t.scn:2:13: error: unterminated string", "closing");
    ASSERT_ERROR("0 A\x01 connect\n", "t.scn:1:4: error: unexpected byte 0x01", "text");
    ASSERT_ERROR("0 drop A->B next 1 [SX]\n", "t.scn:1:20: error: bad flags [SX]", "F S R P");
    ASSERT_ERROR("title \"a\\q\"\n", "t.scn:1:9: error: unknown escape", "\\xHH");
}

static void
test_parse_setup_after_timeline(void)
{
    ASSERT_ERROR("0 B listen 80\nseed 3\n", "t.scn:2:1: error: set-up line \"seed\" after the timeline",
                 "move it up");
    ASSERT_ERROR("0 B listen 80\nhosts X=1.1.1.1\n", "t.scn:2:1: error:", "");
}

static void
test_parse_checks_and_faults(void)
{
    const char *text = "0 drop A->B next 2 [S.] data\n"
                       "0 delay B->A next 1 by 3s\n"
                       "0 duplicate A->B next 1\n"
                       "0 link both down\n"
                       "1s link A->B up\n"
                       "1s link A->B delay 5ms\n"
                       "2s expect segments A->B [S] count 3\n"
                       "2s expect B counter TcpExtListenOverflows 0\n";
    char *msg = parse_error(text);
    CU_ASSERT_PTR_NULL(msg);
    if (msg) {
        fprintf(stderr, "\n  got: %s\n", msg);
        g_free(msg);
    }
    ASSERT_ERROR("0 expect B counter TcpExtNope 0\n", "t.scn:1:20: error: unknown counter", "nstat");
    ASSERT_ERROR("0 A connect B:80 as c\n1s expect A c state ESTABILSHED\n", "t.scn:2:1: error:",
                 "unknown state \"ESTABILSHED\"");
    ASSERT_ERROR("0 A connect B:80 as c\n1s expect A c error EWHAT\n", "t.scn:2:21: error:",
                 "unknown error \"EWHAT\"");
    ASSERT_ERROR("0 A connect B:80 as c\n1s A option c nodelay keepidle\n", "t.scn:2:",
                 "needs a value");
    ASSERT_ERROR("0 A connect B:80 as c\n1s A option c rcvbuf 12\n", "t.scn:2:22: error:",
                 "between 256 bytes");
}

/* Link parameters, scripted matches with sequence ranges, late duplicates, forged
 * segments: what parses, and each mistake located. */
static void
test_parse_impairments_and_injection(void)
{
    const char *text = "link A->B jitter 5ms normal burst 1% 25% red 5 15 10% queue 64KB\n"
                       "link B->A reorder 2% 10ms duplicate 0.5% corrupt 0.1% mtu 1280\n"
                       "0 B listen 80\n"
                       "0 A connect B:80 as c\n"
                       "+0 B accept 80 as s\n"
                       "1s drop A->B next 1 data seq 1000:2000 after 2\n"
                       "1s duplicate A->B next 1 [P.] by 3s\n"
                       "2s inject A->B rst seq window for s\n"
                       "2s inject B->A data seq 12345 \"hi\" for c\n"
                       "2s inject A->B data len 100 for s\n"
                       "3s expect B s foreign 0\n";
    char *msg = parse_error(text);
    CU_ASSERT_PTR_NULL(msg);
    if (msg) {
        fprintf(stderr, "\n  got: %s\n", msg);
        g_free(msg);
    }
    ASSERT_ERROR("link A->B jitter 5ms gaussian\n", "t.scn:1:", "uniform or normal");
    ASSERT_ERROR("link A->B red 15 5 10%\n", "t.scn:1:", "MIN < MAX");
    ASSERT_ERROR("link A->B wobble 1%\n", "t.scn:1:11: error:", "unknown link parameter");
    ASSERT_ERROR("0 drop A->B next 1 seq 5:x\n", "t.scn:1:24: error:", "N or N:M");
    ASSERT_ERROR("0 B listen 80\n0 A connect B:80 as c\n1s inject A->B fin for c\n",
                 "t.scn:3:16: error:", "rst, syn, ack, data or ack-unsent");
    ASSERT_ERROR("0 B listen 80\n0 A connect B:80 as c\n1s inject B->A data seq middle len 1 "
                 "for c\n", "t.scn:3:", "exact, window, outside or a number");
    ASSERT_ERROR("0 B listen 80\n0 A connect B:80 as c\n1s inject B->A data for c\n",
                 "t.scn:3:", "len");
}

static void
test_parse_limits(void)
{
    GString *s = g_string_new("title \"");
    for (int i = 0; i < 70000; i++) {
        g_string_append_c(s, 'x');
    }
    g_string_append(s, "\"\n");
    char *msg = parse_error(s->str);
    CU_ASSERT_PTR_NOT_NULL(msg);
    CU_ASSERT_PTR_NOT_NULL(msg ? strstr(msg, "line longer than") : NULL);
    g_free(msg);
    g_string_free(s, TRUE);
}

/* At most a million lines, counted as lines (the count once went up per token, so a
 * file of 333,334 three-token lines was refused as "more than 1000000 lines"). */
static void
test_parse_line_limit_counts_lines(void)
{
    GString *s = g_string_new(NULL);
    for (int i = 0; i < 400000; i++) {
        g_string_append(s, "+0 ss\n");
    }
    char *msg = parse_error(s->str);
    CU_ASSERT_PTR_NULL(msg);
    g_free(msg);
    g_string_truncate(s, 0);
    for (int i = 0; i < 1000000; i++) {
        g_string_append(s, "#\n");
    }
    msg = parse_error(s->str);
    CU_ASSERT_PTR_NULL(msg);
    g_free(msg);
    g_string_append(s, "#\n");
    ASSERT_ERROR(s->str, "t.scn:1000001:", "more than 1000000 lines");
    g_string_free(s, TRUE);
}

/* Addresses of both families; a bad one is reported where it starts. */
static void
test_parse_ipv6_addresses(void)
{
    char *ok = parse_error("hosts A=10.0.0.1,2001:db8::1 B=2001:db8::2\n"
                           "0ms B listen 80\n10ms A connect [2001:db8::2]:80 as c\n"
                           "+0 A connect B:80 as d\n");
    CU_ASSERT_PTR_NULL(ok);
    g_free(ok);
    ASSERT_ERROR("hosts A=10.0.0.1 B=2001:db8::g\n", "t.scn:1:20: ", "bad address \"2001:db8::g\"");
    ASSERT_ERROR("hosts A=10.0.0.1,10.0.0.2\n", "t.scn:1:18: ", "of the other family");
    ASSERT_ERROR("hosts A=::\n", "t.scn:1:9: ", "unspecified");
    ASSERT_ERROR("hosts A=10.0.0.1 B=2001:db8::2\n0ms A connect 2001:db8::2:80\n",
                 "t.scn:2:15: ", "written in brackets");
    ASSERT_ERROR("hosts A=10.0.0.1 B=2001:db8::2\n0ms A connect [2001:db8::zz]:80\n",
                 "t.scn:2:16: ", "bad IPv6 address \"2001:db8::zz\"");
}

static CU_TestInfo parse_tests[] = {
    {"IPv6 addresses; bad ones located", test_parse_ipv6_addresses},
    {"at most a million lines, counted as lines", test_parse_line_limit_counts_lines},
    {"the contract's example parses", test_parse_contract_example},
    {"unknown verbs: where, and what was expected", test_parse_unknown_verb_is_located},
    {"bad units, ports, hosts and knob values", test_parse_bad_values_are_located},
    {"times going backwards", test_parse_time_going_backwards},
    {"socket names are bound before use", test_parse_names_must_be_bound},
    {"unterminated strings, binary bytes, bad flags", test_parse_lexical_errors},
    {"set-up after the timeline is refused", test_parse_setup_after_timeline},
    {"faults and checks parse; bad ones are located", test_parse_checks_and_faults},
    {"impairments, sequence ranges and forged segments", test_parse_impairments_and_injection},
    {"a line over 64 KiB is refused", test_parse_limits},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo scenario_parse_suites[] = {
    {"scenario: parser", NULL, NULL, NULL, NULL, parse_tests},
    CU_SUITE_INFO_NULL,
};
