/* SPDX-License-Identifier: MIT */
/*
 * test_fmt.c: segments printed as `tcpdump -n` prints them.
 */
#include <CUnit/CUnit.h>
#include <glib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sim/trace/fmt_tcpdump.h"

static char *
fmt(const struct tcp_seg *s, const struct fmt_rel *rel)
{
    static char line[1024];
    struct strbuf sb;
    sb_init(&sb, line, sizeof line);
    fmt_tcpdump_seg(&sb, s, rel);
    return line;
}

static void
test_fmt_syn_like_tcpdump(void)
{
    struct tcp_seg s = {.saddr = tcpsim_addr_v4(0x0A000001), .daddr = tcpsim_addr_v4(0x0A000002), .sport = 40000, .dport = 80,
                        .seq = 1000, .flags = TCP_SYN, .win = 64240};
    tcp_opts_push(&s.opt, TCPOPT_MSS);
    s.opt.mss = 1460;
    tcp_opts_push(&s.opt, TCPOPT_SACK_PERM);
    tcp_opts_push(&s.opt, TCPOPT_TS);
    s.opt.ts_val = 5;
    tcp_opts_push(&s.opt, TCPOPT_NOP);
    tcp_opts_push(&s.opt, TCPOPT_WSCALE);
    s.opt.wscale = 7;
    struct fmt_rel rel = {.seq_known = true, .seq_base = 1000};
    CU_ASSERT_STRING_EQUAL(fmt(&s, &rel),
                           "10.0.0.1.40000 > 10.0.0.2.80: Flags [S], seq 0, win 64240, options "
                           "[mss 1460,sackOK,TS val 5 ecr 0,nop,wscale 7], length 0");
    CU_ASSERT_STRING_EQUAL(fmt(&s, NULL),
                           "10.0.0.1.40000 > 10.0.0.2.80: Flags [S], seq 1000, win 64240, options "
                           "[mss 1460,sackOK,TS val 5 ecr 0,nop,wscale 7], length 0");
}

/* Flag letters in tcpdump's order F S R P . U E W. */
static void
test_fmt_flags_order(void)
{
    char buf[16];
    struct strbuf sb;
    struct {
        uint16_t flags;
        const char *text;
    } cases[] = {
        {TCP_SYN | TCP_ACK, "S."},  {TCP_FIN | TCP_ACK, "F."},
        {TCP_PSH | TCP_ACK, "P."},  {TCP_FIN | TCP_PSH | TCP_ACK, "FP."},
        {TCP_RST, "R"},             {TCP_RST | TCP_ACK, "R."},
        {TCP_SYN | TCP_ECE | TCP_CWR, "SEW"}, {0, "none"},
        {TCP_ACK | TCP_URG, ".U"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        sb_init(&sb, buf, sizeof buf);
        fmt_tcpdump_flags(&sb, cases[i].flags);
        CU_ASSERT_STRING_EQUAL(buf, cases[i].text);
    }
}

/* Data shows seq A:B; the ACK and SACK blocks are relative to the other side's ISN. */
static void
test_fmt_data_and_sack_relative(void)
{
    struct tcp_seg s = {.saddr = tcpsim_addr_v4(0x0A000002), .daddr = tcpsim_addr_v4(0x0A000001), .sport = 80, .dport = 40000,
                        .seq = 5001, .ack = 1011, .flags = TCP_ACK | TCP_PSH, .win = 502,
                        .len = 100};
    tcp_opts_push(&s.opt, TCPOPT_NOP);
    tcp_opts_push(&s.opt, TCPOPT_NOP);
    tcp_opts_push(&s.opt, TCPOPT_SACK);
    s.opt.nsack = 1;
    s.opt.sack[0] = (struct tcp_sack_block){1021, 1031};
    struct fmt_rel rel = {.seq_known = true, .seq_base = 5000, .ack_known = true, .ack_base = 1010};
    CU_ASSERT_STRING_EQUAL(fmt(&s, &rel),
                           "10.0.0.2.80 > 10.0.0.1.40000: Flags [P.], seq 1:101, ack 1, win 502, "
                           "options [nop,nop,sack 1 {11:21}], length 100");
}

/* A pure ACK has no seq field; a RST and a FIN do; relative numbers wrap. */
static void
test_fmt_seq_field_rules(void)
{
    struct tcp_seg ack = {.saddr = tcpsim_addr_v4(1), .daddr = tcpsim_addr_v4(2), .sport = 1, .dport = 2, .seq = 5,
                          .ack = 0x00000010u, .flags = TCP_ACK, .win = 10};
    struct fmt_rel rel = {.ack_known = true, .ack_base = 0xFFFFFFF0u};
    CU_ASSERT_STRING_EQUAL(fmt(&ack, &rel),
                           "0.0.0.1.1 > 0.0.0.2.2: Flags [.], ack 32, win 10, length 0");
    struct tcp_seg rst = {.saddr = tcpsim_addr_v4(1), .daddr = tcpsim_addr_v4(2), .sport = 1, .dport = 2, .seq = 0,
                          .flags = TCP_RST, .win = 0};
    CU_ASSERT_STRING_EQUAL(fmt(&rst, NULL), "0.0.0.1.1 > 0.0.0.2.2: Flags [R], seq 0, win 0, length 0");
}

/* Endpoints come from a small cache of formatted ones: many endpoints that collide in it,
 * visited in turns, still print each its own address and port. */
static void
test_fmt_endpoint_cache_never_mixes_endpoints(void)
{
    bool all_right = true;
    for (int round = 0; round < 3; round++) {
        for (uint32_t i = 0; i < 200; i++) {
            uint32_t addr = 0x0A000000u | (i * 7919u & 0xFFFFFFu);
            uint16_t port = (uint16_t)(i * 331u + (uint32_t)round);
            char got[64];
            struct strbuf sb;
            sb_init(&sb, got, sizeof got);
            struct tcpsim_addr a = tcpsim_addr_v4(addr);
            fmt_tcpdump_endpoint(&sb, &a, port);
            char want[64];
            snprintf(want, sizeof want, "%u.%u.%u.%u.%u", addr >> 24, (addr >> 16) & 0xFF,
                     (addr >> 8) & 0xFF, addr & 0xFF, port);
            all_right = all_right && strcmp(got, want) == 0;
        }
    }
    CU_ASSERT(all_right);
    char got[64];
    struct strbuf sb;
    sb_init(&sb, got, sizeof got);
    struct tcpsim_addr all = tcpsim_addr_v4(0xFFFFFFFFu);
    fmt_tcpdump_endpoint(&sb, &all, 65535);
    CU_ASSERT_STRING_EQUAL(got, "255.255.255.255.65535");
    /* The same address and port over IPv6 is another endpoint. */
    struct tcpsim_addr v6 = {.family = TCPSIM_AF_INET6, .b = {0x20, 0x01, 0x0d, 0xb8}};
    v6.b[15] = 1;
    sb_init(&sb, got, sizeof got);
    fmt_tcpdump_endpoint(&sb, &v6, 65535);
    CU_ASSERT_STRING_EQUAL(got, "2001:db8::1.65535");
}

static CU_TestInfo fmt_tests[] = {
    {"a SYN prints as tcpdump prints it", test_fmt_syn_like_tcpdump},
    {"flag letters in tcpdump's order", test_fmt_flags_order},
    {"data range, relative ack and SACK", test_fmt_data_and_sack_relative},
    {"when the seq field appears; wrap in relative numbers", test_fmt_seq_field_rules},
    {"the endpoint cache never mixes endpoints", test_fmt_endpoint_cache_never_mixes_endpoints},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo trace_fmt_suites[] = {
    {"trace: tcpdump printer", NULL, NULL, NULL, NULL, fmt_tests},
    CU_SUITE_INFO_NULL,
};
