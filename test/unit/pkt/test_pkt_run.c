/* SPDX-License-Identifier: MIT */
/*
 * test_pkt_run.c: packetdrill scripts run against a tcpsim host: what passes, and how a
 * difference, a missing segment, a blocked call or an unsupported construct is reported.
 */
#include <CUnit/CUnit.h>
#include <string.h>
#include <tcpsim/pkt.h>

#define SERVER                                                                             \
    "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"                                          \
    "+0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0\n"                               \
    "+0 bind(3, ..., ...) = 0\n"                                                             \
    "+0 listen(3, 1) = 0\n"                                                                  \
    "+0 < S 0:0(0) win 32792 <mss 1000,sackOK,nop,nop,nop,wscale 7>\n"                       \
    "+0 > S. 0:0(0) ack 1 <mss 1460,nop,nop,sackOK,nop,wscale 10>\n"                         \
    "+.1 < . 1:1(0) ack 1 win 257\n"                                                         \
    "+0 accept(3, ..., ...) = 4\n"

static struct tcpsim_pkt_result
run(const char *text, unsigned compare)
{
    GError *e = NULL;
    struct tcpsim_pkt_result res = {0};
    struct tcpsim_pkt_script *s = tcpsim_pkt_parse("t.pkt", text, strlen(text), &e);
    if (s == NULL) {
        res.status = e->code == TCPSIM_PKT_ERROR_UNSUPPORTED ? TCPSIM_PKT_UNSUPPORTED
                                                             : TCPSIM_PKT_SCRIPT_ERROR;
        res.reason = g_strdup(e->message);
        g_error_free(e);
        return res;
    }
    struct tcpsim_pkt_options o = {.compare = compare, .seed = 1};
    CU_ASSERT_TRUE(tcpsim_pkt_run(s, &o, &res, &e));
    tcpsim_pkt_script_free(s);
    if (res.status != TCPSIM_PKT_PASS && res.reason != NULL) {
        CU_ASSERT_PTR_NOT_NULL(res.details);
    }
    return res;
}

static void
expect(const char *text, unsigned compare, enum tcpsim_pkt_status st, int line,
       const char *reason_part)
{
    struct tcpsim_pkt_result r = run(text, compare);
    CU_ASSERT_EQUAL(r.status, st);
    CU_ASSERT_EQUAL(r.line, line);
    if (reason_part != NULL) {
        CU_ASSERT_PTR_NOT_NULL(strstr(r.reason, reason_part));
    }
    if (r.status != st || r.line != line ||
        (reason_part != NULL && strstr(r.reason, reason_part) == NULL)) {
        fprintf(stderr, "\n  got %s at line %d: %s\n%s\n", tcpsim_pkt_status_name(r.status),
                r.line, r.reason, r.details ? r.details : "");
    }
    tcpsim_pkt_result_clear(&r);
}

static void
test_run_passive_exchange_passes(void)
{
    expect(SERVER
           "+0 write(4, ..., 1000) = 1000\n"
           "+0 > P. 1:1001(1000) ack 1\n"
           "+.1 < . 1:1(0) ack 1001 win 257\n"
           "+0 < F. 1:1(0) ack 1001 win 257\n"
           "+0~+.004 > . 1001:1001(0) ack 2\n" /* no data came in: ato is 0 */
           "+0 read(4, ..., 100) = 0\n"
           "+0 close(4) = 0\n"
           "+0 > F. 1001:1001(0) ack 2\n"
           "+0 < . 2:2(0) ack 1002 win 257\n",
           TCPSIM_PKT_CMP_DEFAULT | TCPSIM_PKT_CMP_TIMING, TCPSIM_PKT_PASS, 0, NULL);
}

static void
test_run_seq_difference_fails_at_its_line(void)
{
    expect(SERVER "+0 write(4, ..., 1000) = 1000\n"
                  "+0 > P. 2:1002(1000) ack 1\n",
           0, TCPSIM_PKT_FAIL, 10, "tcp_seq: expected: 2 vs actual: 1");
}

/* nplab's "...(len)": the sequence number is not compared, the length still is. */
static void
test_run_seq_wildcard(void)
{
    expect(SERVER "+0 write(4, ..., 1000) = 1000\n"
                  "+0 > P. ...(1000) ack 1\n",
           0, TCPSIM_PKT_PASS, 0, NULL);
    expect(SERVER "+0 write(4, ..., 1000) = 1000\n"
                  "+0 > P. ...(500) ack 1\n",
           0, TCPSIM_PKT_FAIL, 10, "payload");
}

static void
test_run_missing_segment_fails(void)
{
    expect(SERVER "+0 > P. 1:1001(1000) ack 1\n", TCPSIM_PKT_CMP_ALL, TCPSIM_PKT_FAIL, 9,
           "expected outbound packet not sent");
}

static void
test_run_timing_compared_unless_lenient(void)
{
    const char *late = SERVER "+0 write(4, ..., 1000) = 1000\n"
                              "+.5 > P. 1:1001(1000) ack 1\n";
    expect(late, TCPSIM_PKT_CMP_LENIENT, TCPSIM_PKT_PASS, 0, NULL);
    expect(late, 0, TCPSIM_PKT_FAIL, 10, "timing error");
    expect(late, TCPSIM_PKT_CMP_ALL, TCPSIM_PKT_FAIL, 10, "timing error");
}

/* Strict is the default, as in packetdrill: a hand-broken window or option in an
 * otherwise passing exchange fails; only the explicit lenient comparison lets it by. */
static void
test_run_strict_by_default_window_and_options(void)
{
    const char *good = SERVER "+0 write(4, ..., 1000) = 1000\n"
                              "+0 > P. 1:1001(1000) ack 1 win 63\n";
    const char *bad_win = SERVER "+0 write(4, ..., 1000) = 1000\n"
                                 "+0 > P. 1:1001(1000) ack 1 win 64\n";
    const char *bad_mss = "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
                          "+0 bind(3, ..., ...) = 0\n"
                          "+0 listen(3, 1) = 0\n"
                          "+0 < S 0:0(0) win 32792 <mss 1000,sackOK,nop,nop,nop,wscale 7>\n"
                          "+0 > S. 0:0(0) ack 1 <mss 1400,nop,nop,sackOK,nop,wscale 10>\n";
    const char *bad_order = "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
                            "+0 bind(3, ..., ...) = 0\n"
                            "+0 listen(3, 1) = 0\n"
                            "+0 < S 0:0(0) win 32792 <mss 1000,sackOK,nop,nop,nop,wscale 7>\n"
                            "+0 > S. 0:0(0) ack 1 <nop,nop,sackOK,mss 1460,nop,wscale 10>\n";
    const char *no_psh = SERVER "+0 write(4, ..., 1000) = 1000\n"
                                "+0 > . 1:1001(1000) ack 1\n";
    expect(good, 0, TCPSIM_PKT_PASS, 0, NULL);
    expect(bad_win, 0, TCPSIM_PKT_FAIL, 10, "tcp_window: expected: 64 vs actual: 63");
    expect(bad_win, TCPSIM_PKT_CMP_LENIENT, TCPSIM_PKT_PASS, 0, NULL);
    expect(bad_mss, 0, TCPSIM_PKT_FAIL, 5, "mss");
    expect(bad_mss, TCPSIM_PKT_CMP_LENIENT, TCPSIM_PKT_PASS, 0, NULL);
    expect(bad_order, 0, TCPSIM_PKT_FAIL, 5, NULL);
    expect(no_psh, 0, TCPSIM_PKT_FAIL, 10, "tcp_flags");
    expect(no_psh, TCPSIM_PKT_CMP_LENIENT, TCPSIM_PKT_PASS, 0, NULL);
}

/* The suite's defaults.sh lines: metrics flush and a pfifo qdisc change nothing in
 * tcpsim; $((...)) is expanded; a knob tcpsim lacks, set to a behaviour it does not
 * model, makes the script unsupported, named. */
static void
test_run_suite_setup_commands(void)
{
    expect("`ip tcp_metrics flush all > /dev/null 2>&1\n"
           "sysctl -q net.ipv4.tcp_notsent_lowat=4294967295 > /dev/null 2>&1\n"
           "tc qdisc add dev tun0 root pfifo`\n" SERVER,
           0, TCPSIM_PKT_PASS, 0, NULL);
    expect("`sysctl -q net.ipv4.tcp_rmem=\"4096 540000 $((15*1024*1024))\"`\n"
           "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
           "+0 bind(3, ..., ...) = 0\n"
           "+0 listen(3, 1) = 0\n"
           "+0 < S 0:0(0) win 32792 <mss 1000,sackOK,nop,nop,nop,wscale 7>\n"
           "+0 > S. 0:0(0) ack 1 <mss 1460,nop,nop,sackOK,nop,wscale 8>\n",
           0, TCPSIM_PKT_PASS, 0, NULL); /* 15 MiB of buffer needs shift 8 */
    expect("`tc qdisc replace dev tun0 root fq`\n" SERVER, 0, TCPSIM_PKT_UNSUPPORTED, 1,
           "fq qdisc");
    expect("`sysctl -q net.ipv4.tcp_rmem=\"4096 $((1/0)) 8192\"`\n" SERVER, 0,
           TCPSIM_PKT_UNSUPPORTED, 1, "tcp_rmem");
}

/* tcpsim's own `tcpsim crash` and `tcpsim reboot` (tcpsim replay writes them): while
 * the host is down its connection is gone and a FIN gets no answer; once it is up
 * again, the FIN is answered as a port with no socket: <SEQ=SEG.ACK><CTL=RST>. */
static void
test_run_crash_and_reboot_commands(void)
{
    expect(SERVER
           "+0 `tcpsim crash`\n"
           "+.1 < F. 1:1(0) ack 1 win 257\n"
           "+.2 `tcpsim reboot`\n"
           "+0 < F. 1:1(0) ack 1 win 257\n"
           "+0 > R 1:1(0) win 0\n",
           0, TCPSIM_PKT_PASS, 0, NULL);
    expect(SERVER "+0 `tcpsim crash`\n+.1 < F. 1:1(0) ack 1 win 257\n+0 > . 1:1(0) ack 2\n",
           0, TCPSIM_PKT_FAIL, 11, NULL); /* nothing is sent while down */
}

static void
test_run_blocking_calls(void)
{
    /* accept waits for the handshake; read waits for data; both return later. */
    expect("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
           "+0 bind(3, ..., ...) = 0\n"
           "+0 listen(3, 1) = 0\n"
           "+0...0.200 accept(3, ..., ...) = 4\n"
           "+.1 < S 0:0(0) win 32792 <mss 1000>\n"
           "+0 > S. 0:0(0) ack 1 <...>\n"
           "+.1 < . 1:1(0) ack 1 win 257\n"
           "+0...0.100 read(4, ..., 500) = 500\n"
           "+.1 < P. 1:501(500) ack 1 win 257\n"
           "+0 > . 1:1(0) ack 501\n",
           TCPSIM_PKT_CMP_ALL, TCPSIM_PKT_PASS, 0, NULL);
}

static void
test_run_call_that_blocks_unexpectedly_fails(void)
{
    expect("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
           "+0 bind(3, ..., ...) = 0\n"
           "+0 listen(3, 1) = 0\n"
           "+0 accept(3, ..., ...) = 4\n",
           TCPSIM_PKT_CMP_ALL, TCPSIM_PKT_FAIL, 4, "accept blocked");
}

static void
test_run_nonblocking_connect_and_refusal(void)
{
    expect("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
           "+0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n"
           "+0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)\n"
           "+0 > S 0:0(0) <...>\n"
           "+.1 < R. 0:0(0) ack 1 win 0\n"
           "+0 connect(3, ..., ...) = -1 ECONNREFUSED (Connection refused)\n",
           0, TCPSIM_PKT_PASS, 0, NULL);
}

static void
test_run_result_and_errno_differences(void)
{
    expect(SERVER "+0 read(4, ..., 10) = 10\n", 0, TCPSIM_PKT_FAIL, 9, "read blocked");
    expect("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
           "+0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n"
           "+0 read(3, ..., 10) = -1 EAGAIN (Resource temporarily unavailable)\n",
           0, TCPSIM_PKT_FAIL, 3, "expected errno EAGAIN but got ENOTCONN");
}

static void
test_run_unsupported_is_located_and_not_run(void)
{
    expect(SERVER "+0 `sysctl -q net.ipv4.tcp_ecn=1`\n", 0,
           TCPSIM_PKT_UNSUPPORTED, 9, "tcp_ecn=1");
    expect(SERVER "+0 setsockopt(4, SOL_TCP, TCP_QUICKACK, [1], 4) = 0\n", 0,
           TCPSIM_PKT_UNSUPPORTED, 9, "TCP_QUICKACK");
    expect("`sysctl -q net.ipv4.tcp_sack=0`\n" SERVER, TCPSIM_PKT_CMP_LENIENT, TCPSIM_PKT_PASS,
           0, NULL);
}

/* An errno name stands wherever an integer may: SO_ERROR as nplab's scripts read it. */
static void
test_run_errno_names_as_integers(void)
{
    expect("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
           "+0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n"
           "+0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)\n"
           "+0 > S 0:0(0) <...>\n"
           "+.05 < R. 0:0(0) ack 1 win 0\n"
           "+0 getsockopt(3, SOL_SOCKET, SO_ERROR, [ECONNREFUSED], [4]) = 0\n",
           0, TCPSIM_PKT_PASS, 0, NULL);
    expect("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
           "+0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n"
           "+0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)\n"
           "+0 > S 0:0(0) <...>\n"
           "+.05 < R. 0:0(0) ack 1 win 0\n"
           "+0 getsockopt(3, SOL_SOCKET, SO_ERROR, [ETIMEDOUT], [4]) = 0\n",
           0, TCPSIM_PKT_FAIL, 6, NULL);
}

static void
test_run_poll_readiness_and_timeout(void)
{
    expect("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
           "+0 bind(3, ..., ...) = 0\n"
           "+0 listen(3, 1) = 0\n"
           "+0 < S 0:0(0) win 32792 <mss 1000>\n"
           "+0 > S. 0:0(0) ack 1 <...>\n"
           "+.1 < . 1:1(0) ack 1 win 257\n"
           "+0 poll([{fd=3, events=POLLIN, revents=POLLIN}], 1, 0) = 1\n"
           "+0 accept(3, ..., ...) = 4\n"
           "+0 poll([{fd=4, events=POLLIN|POLLOUT, revents=POLLOUT}], 1, 0) = 1\n"
           "+0...0.1 poll([{fd=4, events=POLLIN, revents=POLLIN}], 1, 1000) = 1\n"
           "+.1 < P. 1:11(10) ack 1 win 257\n"
           "+0 > . 1:1(0) ack 11\n"
           "+0 read(4, ..., 100) = 10\n"
           "+0...0.050 poll([{fd=4, events=POLLIN, revents=0}], 1, 50) = 0\n",
           TCPSIM_PKT_CMP_ALL, TCPSIM_PKT_PASS, 0, NULL);
}

static void
test_run_compare_parses(void)
{
    unsigned m = 0;
    GError *e = NULL;
    CU_ASSERT_TRUE(tcpsim_pkt_parse_compare("flags,seq", &m, &e));
    CU_ASSERT_EQUAL(m, TCPSIM_PKT_CMP_FLAGS | TCPSIM_PKT_CMP_SEQ);
    CU_ASSERT_TRUE(tcpsim_pkt_parse_compare("all", &m, &e));
    CU_ASSERT_EQUAL(m, TCPSIM_PKT_CMP_ALL);
    CU_ASSERT_TRUE(tcpsim_pkt_parse_compare("default", &m, &e));
    CU_ASSERT_EQUAL(m, TCPSIM_PKT_CMP_ALL);
    CU_ASSERT_TRUE(tcpsim_pkt_parse_compare("lenient", &m, &e));
    CU_ASSERT_EQUAL(m, TCPSIM_PKT_CMP_LENIENT);
    g_autofree char *all = tcpsim_pkt_compare_name(TCPSIM_PKT_CMP_ALL);
    g_autofree char *len = tcpsim_pkt_compare_name(TCPSIM_PKT_CMP_LENIENT);
    g_autofree char *two = tcpsim_pkt_compare_name(TCPSIM_PKT_CMP_SEQ | TCPSIM_PKT_CMP_WIN);
    CU_ASSERT_STRING_EQUAL(all, "all");
    CU_ASSERT_STRING_EQUAL(len, "lenient");
    CU_ASSERT_STRING_EQUAL(two, "seq,win");
    CU_ASSERT_FALSE(tcpsim_pkt_parse_compare("flags,bogus", &m, &e));
    CU_ASSERT_PTR_NOT_NULL(e);
    g_clear_error(&e);
}

/* Under personality freebsd: FreeBSD's sysctl names in a script, its #ifdef block, its
 * window (65535 in the SYN-ACK, then the MSS-rounded buffer at scale 6), tcpi_snd_cwnd
 * in bytes, and net.inet.tcp.delacktime delaying the ACK of a lone segment. */
static void
test_run_freebsd_personality(void)
{
    static const char text[] =
        "`sysctl net.inet.tcp.delacktime=100`\n"
        "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
        "+0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0\n"
        "+0 bind(3, ..., ...) = 0\n"
        "+0 listen(3, 1) = 0\n"
        "+0 < S 0:0(0) win 65535 <mss 1460,sackOK,nop,nop,nop,wscale 7>\n"
        "+0 > S. 0:0(0) ack 1 win 65535 <...>\n"
        "+.1 < . 1:1(0) ack 1 win 257\n"
        "+0 accept(3, ..., ...) = 4\n"
        "#ifdef FreeBSD\n"
        "+0 %{ assert tcpi_snd_cwnd == 14600 }%\n"
        "#else\n"
        "+0 %{ assert tcpi_snd_cwnd == 10 }%\n"
        "#endif\n"
        "+0 < P. 1:101(100) ack 1 win 257\n"
        "+.1 > . 1:1(0) ack 101 win 1025\n";
    static const char *const defines[] = {"FreeBSD", NULL};
    static const char *const sets[] = {"personality=freebsd", NULL};
    GError *e = NULL;
    struct tcpsim_pkt_script *s =
        tcpsim_pkt_parse_defined("t.pkt", text, strlen(text), defines, &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    struct tcpsim_pkt_options o = {.compare = TCPSIM_PKT_CMP_ALL, .seed = 1, .sets = sets};
    struct tcpsim_pkt_result r = {0};
    CU_ASSERT_TRUE(tcpsim_pkt_run(s, &o, &r, &e));
    CU_ASSERT_EQUAL(r.status, TCPSIM_PKT_PASS);
    if (r.status != TCPSIM_PKT_PASS) {
        fprintf(stderr, "\n  got %s at line %d: %s\n", tcpsim_pkt_status_name(r.status), r.line,
                r.reason);
    }
    tcpsim_pkt_result_clear(&r);
    tcpsim_pkt_script_free(s);
    /* Under the linux personality a FreeBSD sysctl is refused, not ignored. */
    expect("`sysctl net.inet.tcp.delacktime=100`\n" SERVER, 0, TCPSIM_PKT_UNSUPPORTED, 1,
           "FreeBSD sysctl");
}

/* Runs SERVER with packetdrill's command-line options `opts`; its status and reason. */
static enum tcpsim_pkt_status
run_with(const char *text, const char *const *opts, char **reason)
{
    GError *e = NULL;
    struct tcpsim_pkt_script *s = tcpsim_pkt_parse("t.pkt", text, strlen(text), &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    struct tcpsim_pkt_options o = {.compare = TCPSIM_PKT_CMP_ALL, .seed = 1,
                                   .header_options = opts};
    struct tcpsim_pkt_result res = {0};
    CU_ASSERT_TRUE(tcpsim_pkt_run(s, &o, &res, &e));
    tcpsim_pkt_script_free(s);
    enum tcpsim_pkt_status st = res.status;
    *reason = g_strdup(res.reason ? res.reason : "");
    tcpsim_pkt_result_clear(&res);
    return st;
}

/* packetdrill's --ip_version: over IPv6 the 40-byte header takes 20 bytes of the MSS
 * (1440 on a 1500-byte MTU), unless the MTU is 1520 as run_all.py sets it; the script's
 * own header option wins over the command line's; mapped IPv4 is IPv4 on the wire. */
static void
test_run_ip_versions(void)
{
    char *why = NULL;
    const char *v6[] = {"ip_version=ipv6", NULL};
    CU_ASSERT_EQUAL(run_with(SERVER, v6, &why), TCPSIM_PKT_FAIL);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "expected 1460 vs actual 1440"));
    g_free(why);
    const char *v6_1520[] = {"ip_version=ipv6", "mtu=1520", NULL};
    CU_ASSERT_EQUAL(run_with(SERVER, v6_1520, &why), TCPSIM_PKT_PASS);
    g_free(why);
    const char *own[] = {"ip_version=ipv6", "local_ip=2001:db8::5", "remote_ip=2001:db8::6",
                         "mtu=1520", NULL};
    CU_ASSERT_EQUAL(run_with(SERVER, own, &why), TCPSIM_PKT_PASS);
    g_free(why);
    const char *mapped[] = {"ip_version=ipv4-mapped-ipv6", NULL};
    CU_ASSERT_EQUAL(run_with(SERVER, mapped, &why), TCPSIM_PKT_PASS);
    g_free(why);
    CU_ASSERT_EQUAL(run_with("--ip_version=ipv4\n" SERVER, v6, &why), TCPSIM_PKT_PASS);
    g_free(why);
    CU_ASSERT_EQUAL(run_with("--ip_version=ipv6\n--remote_ip=fd3d:fa7b:d17d::1/48\n" SERVER,
                             NULL, &why),
                    TCPSIM_PKT_FAIL); /* 1440 again: the script's IPv6 without --mtu */
    g_free(why);
    const char *bad[] = {"ip_version=ipv5", NULL};
    CU_ASSERT_NOT_EQUAL(run_with(SERVER, bad, &why), TCPSIM_PKT_PASS);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "ipv4, ipv6 or ipv4-mapped-ipv6"));
    g_free(why);
}

static CU_TestInfo run_tests[] = {
    {"personality freebsd: its sysctls, #ifdef, window, tcp_info", test_run_freebsd_personality},
    {"--ip_version ipv4, ipv6, ipv4-mapped-ipv6", test_run_ip_versions},
    {"a passive exchange and close passes", test_run_passive_exchange_passes},
    {"a sequence difference fails at its line", test_run_seq_difference_fails_at_its_line},
    {"a segment never sent fails", test_run_missing_segment_fails},
    {"...(len) leaves the sequence number unchecked", test_run_seq_wildcard},
    {"timing is compared unless lenient", test_run_timing_compared_unless_lenient},
    {"strict by default: window, options, PSH", test_run_strict_by_default_window_and_options},
    {"the suites' set-up commands", test_run_suite_setup_commands},
    {"tcpsim crash and tcpsim reboot", test_run_crash_and_reboot_commands},
    {"errno names stand for integers", test_run_errno_names_as_integers},
    {"...END calls block while events go on", test_run_blocking_calls},
    {"a call that blocks unexpectedly fails", test_run_call_that_blocks_unexpectedly_fails},
    {"non-blocking connect, then refused", test_run_nonblocking_connect_and_refusal},
    {"result and errno differences", test_run_result_and_errno_differences},
    {"unsupported constructs are located, not run", test_run_unsupported_is_located_and_not_run},
    {"poll: readiness, waiting, timeout", test_run_poll_readiness_and_timeout},
    {"--compare lists", test_run_compare_parses},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo pkt_run_suites[] = {
    {"pkt runner", NULL, NULL, NULL, NULL, run_tests},
    CU_SUITE_INFO_NULL,
};
