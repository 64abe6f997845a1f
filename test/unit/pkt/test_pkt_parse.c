/* SPDX-License-Identifier: MIT */
/*
 * test_pkt_parse.c: the packetdrill reader: events, exact times, located errors, the
 * constructs refused as unsupported, and survival of truncated and mangled input.
 */
#include <CUnit/CUnit.h>
#include <string.h>

#include "sim/engine/rng.h"
#include "sim/pkt/pkt_ast.h"

static struct tcpsim_pkt_script *
parse(const char *text, GError **e)
{
    return tcpsim_pkt_parse("t.pkt", text, strlen(text), e);
}

static const struct pkt_event *
event(const struct tcpsim_pkt_script *s, guint i)
{
    return g_ptr_array_index(s->events, i);
}

/* The error for `text`, which must not parse. */
static char *
error_of(const char *text, int *code)
{
    GError *e = NULL;
    struct tcpsim_pkt_script *s = parse(text, &e);
    CU_ASSERT_PTR_NULL(s);
    tcpsim_pkt_script_free(s);
    if (e == NULL) {
        return g_strdup("");
    }
    *code = e->code;
    char *m = g_strdup(e->message);
    g_error_free(e);
    return m;
}

static void
test_parse_events_and_times(void)
{
    GError *e = NULL;
    struct tcpsim_pkt_script *s = parse(
        "--tolerance_usecs=10000\n"
        "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
        "+.1 < S 0:0(0) win 32792 <mss 1000,sackOK,nop,nop,nop,wscale 7>\n"
        "+0.000001 > S. 0:0(0) ack 1 <...>\n"
        "0.300~0.3005 > . 1:1(0) ack 1\n"
        "+0...0.200 accept(3, ..., ...) = 4\n"
        "* > F. 1:1(0) ack 1 win 0\n"
        "`sysctl -q net.ipv4.tcp_sack=1`\n", &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_EQUAL(s->options->len, 1);
    CU_ASSERT_EQUAL(s->events->len, 7);
    CU_ASSERT_EQUAL(event(s, 1)->time_kind, PKT_TIME_REL);
    CU_ASSERT_EQUAL(event(s, 1)->t, MS(100));
    CU_ASSERT_TRUE(event(s, 1)->pkt->inbound);
    CU_ASSERT_EQUAL(event(s, 1)->pkt->flags, TCP_SYN);
    CU_ASSERT_EQUAL(event(s, 1)->pkt->win, 32792);
    CU_ASSERT_EQUAL(event(s, 1)->pkt->opts.n, 6);
    CU_ASSERT_EQUAL(event(s, 1)->pkt->opts.mss, 1000);
    CU_ASSERT_EQUAL(event(s, 2)->t, US(1));
    CU_ASSERT_TRUE(event(s, 2)->pkt->opts_any);
    CU_ASSERT_EQUAL(event(s, 2)->pkt->flags, TCP_SYN | TCP_ACK);
    CU_ASSERT_EQUAL(event(s, 3)->time_kind, PKT_TIME_ABS_RANGE);
    CU_ASSERT_EQUAL(event(s, 3)->t_end, US(300500));
    CU_ASSERT_TRUE(event(s, 4)->sc->blocking);
    CU_ASSERT_EQUAL(event(s, 4)->sc->end, MS(200));
    CU_ASSERT_EQUAL(event(s, 5)->time_kind, PKT_TIME_ANY);
    CU_ASSERT_TRUE(event(s, 6)->untimed);
    tcpsim_pkt_script_free(s);
}

static void
test_parse_syscall_forms(void)
{
    GError *e = NULL;
    struct tcpsim_pkt_script *s = parse(
        "0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)\n"
        "0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n"
        "0 setsockopt(4, SOL_SOCKET, SO_LINGER, {onoff=1, linger=0}, 8) = 0\n"
        "0 sendmsg(4, {msg_name(...)=..., msg_iov(2)=[{..., 40}, {..., 2}], msg_flags=0}, 0) = 42\n"
        "0 fcntl(3, F_GETFL) = 0x2 (flags O_RDWR)\n", &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    const struct pkt_syscall *c = event(s, 0)->sc;
    CU_ASSERT_STRING_EQUAL(c->name, "connect");
    CU_ASSERT_EQUAL(c->result->num, -1);
    CU_ASSERT_STRING_EQUAL(c->errno_name, "EINPROGRESS");
    CU_ASSERT_STRING_EQUAL(c->note, "Operation now in progress");
    CU_ASSERT_EQUAL(((struct pkt_expr *)g_ptr_array_index(event(s, 1)->sc->args, 2))->kind,
                    PKT_E_OR);
    CU_ASSERT_EQUAL(((struct pkt_expr *)g_ptr_array_index(event(s, 2)->sc->args, 3))->kind,
                    PKT_E_STRUCT);
    CU_ASSERT_EQUAL(event(s, 4)->sc->result->num, 2);
    CU_ASSERT_STRING_EQUAL(event(s, 4)->sc->note, "flags O_RDWR");
    tcpsim_pkt_script_free(s);
}

static const struct {
    const char *text;
    int code;
    const char *message; /* the located message, exactly */
} bad[] = {
    {"0 < S 0:0(0)\n", TCPSIM_PKT_ERROR_SYNTAX,
     "t.pkt:1:5: error: window must be specified for inbound packets"},
    {"0 < X 0:0(0) win 1\n", TCPSIM_PKT_ERROR_SYNTAX,
     "t.pkt:1:5: error: unknown TCP flag 'X' in \"X\""},
    {"0 > . 1:10(5) ack 1\n", TCPSIM_PKT_ERROR_SYNTAX,
     "t.pkt:1:7: error: inconsistent TCP sequence numbers and payload size: 1:10(5)"},
    {"0 < . ...(0) ack 1 win 1\n", TCPSIM_PKT_ERROR_SYNTAX,
     "t.pkt:1:7: error: \"...(len)\" stands only for an outbound segment's sequence "
     "numbers; an inbound one needs start:end(len)"},
    {"0 < . 1:1(0) win 1 <...>\n", TCPSIM_PKT_ERROR_SYNTAX,
     "t.pkt:1:20: error: <...> for TCP options can only be used with outbound packets"},
    {"0~1 write(3, ..., 1) = 1\n", TCPSIM_PKT_ERROR_SYNTAX,
     "t.pkt:1:1: error: event time range can only be used with outbound packets"},
    {"0 write(3, \"abc) = 1\n", TCPSIM_PKT_ERROR_SYNTAX,
     "t.pkt:1:12: error: string not closed on its line"},
    {"0 \x01 write\n", TCPSIM_PKT_ERROR_SYNTAX, "t.pkt:1:3: error: unexpected byte 0x01"},
    {"0.0000000001 < . 1:1(0) win 1\n", TCPSIM_PKT_ERROR_SYNTAX,
     "t.pkt:1:1: error: time 0.0000000001 is finer than a nanosecond"},
    {"0 < [ect0] S 0:0(0) win 1\n", TCPSIM_PKT_ERROR_UNSUPPORTED,
     "t.pkt:1:5: unsupported: IP header fields in a packet ([ect0], (tos ...), ttl, flowlabel: "
     "tcpsim does not model ECN or the IP header)"},
    {"0 < udp (10)\n", TCPSIM_PKT_ERROR_UNSUPPORTED,
     "t.pkt:1:5: unsupported: UDP and ICMP packets (tcpsim models TCP only)"},
    {"0 > S 0:0(0) <FO abcd>\n", TCPSIM_PKT_ERROR_UNSUPPORTED,
     "t.pkt:1:15: unsupported: TCP Fast Open option (RFC 7413 is not modelled)"},
    {"/* never closed\n", TCPSIM_PKT_ERROR_SYNTAX, "t.pkt:1:1: error: unterminated /* comment"},
    {"0 write(3, [[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]], 1) = 1\n", TCPSIM_PKT_ERROR_SYNTAX,
     "t.pkt:1:28: error: expressions nested deeper than 16"},
};

static void
test_parse_errors_are_located(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        int code = -1;
        g_autofree char *m = error_of(bad[i].text, &code);
        CU_ASSERT_STRING_EQUAL(m, bad[i].message);
        CU_ASSERT_EQUAL(code, bad[i].code);
        if (strcmp(m, bad[i].message) != 0) {
            fprintf(stderr, "\n  case %zu: got \"%s\"\n", i, m);
        }
    }
}

static const char sample[] =
    "--tolerance_usecs=10000\n"
    "`../common/defaults.sh`\n"
    "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3 // a comment\n"
    "+0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0\n"
    "+.1 < S 0:0(0) win 32792 <mss 1000,sackOK,TS val 100 ecr 0,nop,wscale 7>\n"
    "+0 > S. 0:0(0) ack 1 <mss 1460,sackOK,TS val 100 ecr 100,nop,wscale 8>\n"
    "+.1 < . 1:1001(1000) ack 1 win 257 <sack 1:2 3:4,nop,nop>\n"
    "+0...0.100 read(4, ..., 2000) = 2000 /* block */\n"
    "0.400~0.500 > P. 1:2001(2000) ack 1001\n"
    "+0 %{ assert tcpi_snd_cwnd == 10, tcpi_snd_cwnd }%\n";

/* Every prefix of a script, and thousands of mangled copies, parse or fail cleanly. */
static void
test_parse_survives_truncation_and_mangling(void)
{
    size_t n = strlen(sample);
    for (size_t len = 0; len <= n; len++) {
        GError *e = NULL;
        struct tcpsim_pkt_script *s = tcpsim_pkt_parse("t.pkt", sample, len, &e);
        CU_ASSERT((s == NULL) != (e == NULL));
        tcpsim_pkt_script_free(s);
        g_clear_error(&e);
    }
    struct rng r;
    rng_init(&r, 7, "pkt fuzz");
    char *buf = g_malloc(n);
    for (int i = 0; i < 3000; i++) {
        memcpy(buf, sample, n);
        for (int k = 0; k < 1 + (int)(rng_next(&r) % 4); k++) {
            buf[rng_next(&r) % n] = (char)(rng_next(&r) & 0xFF);
        }
        GError *e = NULL;
        struct tcpsim_pkt_script *s = tcpsim_pkt_parse("t.pkt", buf, n, &e);
        CU_ASSERT((s == NULL) != (e == NULL));
        if (e != NULL) {
            CU_ASSERT_TRUE(g_str_has_prefix(e->message, "t.pkt:"));
        }
        tcpsim_pkt_script_free(s);
        g_clear_error(&e);
    }
    g_free(buf);
}

/* nplab's #ifdef blocks: the personality's stack name chooses the branch; blocks nest;
 * the lines of a block not read are never tokenized; a bad directive is located. */
static void
test_parse_ifdef_blocks(void)
{
    const char *text = "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
                       "#ifdef Linux\n"
                       "+0 bind(3, ..., ...) = 0\n"
                       "#ifndef Extra\n"
                       "+0 listen(3, 1) = 0\n"
                       "#endif\n"
                       "#else\n"
                       "+0 this is not packetdrill at all @@@ \"\n"
                       "#endif // done\n"
                       "+0 close(3) = 0\n";
    static const char *const linux_only[] = {"Linux", NULL};
    static const char *const bsd[] = {"FreeBSD", NULL};
    static const char *const linux_extra[] = {"Linux", "Extra", NULL};
    GError *e = NULL;
    struct tcpsim_pkt_script *s = tcpsim_pkt_parse_defined("t.pkt", text, strlen(text),
                                                           linux_only, &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_EQUAL(s->events->len, 4);
    CU_ASSERT_STRING_EQUAL(event(s, 2)->sc->name, "listen");
    CU_ASSERT_EQUAL(event(s, 3)->loc.line, 10);
    tcpsim_pkt_script_free(s);
    s = tcpsim_pkt_parse_defined("t.pkt", text, strlen(text), linux_extra, &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_EQUAL(s->events->len, 3);
    tcpsim_pkt_script_free(s);
    /* FreeBSD reads the #else branch, which is not a script: a located error there. */
    s = tcpsim_pkt_parse_defined("t.pkt", text, strlen(text), bsd, &e);
    CU_ASSERT_PTR_NULL(s);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_PTR_NOT_NULL(strstr(e->message, "t.pkt:8:"));
    g_clear_error(&e);
    s = parse(text, &e); /* the default defines Linux, as tcpsim's default personality */
    CU_ASSERT_PTR_NOT_NULL(s);
    tcpsim_pkt_script_free(s);

    int code = 0;
    g_autofree char *open = error_of("#ifdef Linux\n0 socket(..., SOCK_STREAM, 6) = 3\n", &code);
    CU_ASSERT_PTR_NOT_NULL(strstr(open, "t.pkt:1:1: error: #ifdef without #endif"));
    g_autofree char *stray = error_of("#endif\n", &code);
    CU_ASSERT_PTR_NOT_NULL(strstr(stray, "t.pkt:1:1: error: #endif without an #ifdef"));
    g_autofree char *twice = error_of("#ifdef A\n#else\n#else\n#endif\n", &code);
    CU_ASSERT_PTR_NOT_NULL(strstr(twice, "t.pkt:3:1: error: a second #else"));
    g_autofree char *noname = error_of("#ifdef\n#endif\n", &code);
    CU_ASSERT_PTR_NOT_NULL(strstr(noname, "must be followed by one name"));
    g_autofree char *unknown = error_of("#define X 1\n", &code);
    CU_ASSERT_PTR_NOT_NULL(strstr(unknown, "unknown directive \"#define\""));
    GString *deep = g_string_new(NULL);
    for (int i = 0; i < 9; i++) {
        g_string_append(deep, "#ifdef A\n");
    }
    g_autofree char *too_deep = error_of(deep->str, &code);
    CU_ASSERT_PTR_NOT_NULL(strstr(too_deep, "t.pkt:9:1: error: #ifdef blocks nested deeper"));
    g_string_free(deep, TRUE);
}

static CU_TestInfo parse_tests[] = {
    {"#ifdef blocks choose by the stack's name", test_parse_ifdef_blocks},
    {"events, exact times, options", test_parse_events_and_times},
    {"system calls: errno, notes, structs, flags", test_parse_syscall_forms},
    {"errors and unsupported constructs are located", test_parse_errors_are_located},
    {"truncated and mangled scripts fail cleanly", test_parse_survives_truncation_and_mangling},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo pkt_parse_suites[] = {
    {"pkt reader", NULL, NULL, NULL, NULL, parse_tests},
    CU_SUITE_INFO_NULL,
};
