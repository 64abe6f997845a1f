/* SPDX-License-Identifier: MIT */
/*
 * test_ipv6.c: addresses of both families, and the IPv6 + TCP codec (RFC 8200 §3, §8.1).
 */
#include <CUnit/CUnit.h>
#include <glib.h>
#include <string.h>

#include "sim/trace/fmt_tcpdump.h"
#include "sim/wire/seg.h"

static struct tcpsim_addr
addr(const char *text)
{
    struct tcpsim_addr a = {0};
    CU_ASSERT_PTR_NULL(ip_parse(text, &a));
    return a;
}

static void
test_addr_notation_round_trips(void)
{
    struct tcpsim_addr a = addr("2001:db8::1");
    CU_ASSERT_EQUAL(a.family, TCPSIM_AF_INET6);
    CU_ASSERT_EQUAL(a.b[0], 0x20);
    CU_ASSERT_EQUAL(a.b[1], 0x01);
    CU_ASSERT_EQUAL(a.b[2], 0x0d);
    CU_ASSERT_EQUAL(a.b[3], 0xb8);
    CU_ASSERT_EQUAL(a.b[15], 1);
    char buf[TCPSIM_ADDR_STRLEN];
    ip_format(&a, buf, sizeof buf);
    CU_ASSERT_STRING_EQUAL(buf, "2001:db8::1");
    /* RFC 5952 §4: the longest run of zeros compressed, lower case. */
    struct tcpsim_addr b = addr("2001:DB8:0:0:1:0:0:1");
    ip_format(&b, buf, sizeof buf);
    CU_ASSERT_STRING_EQUAL(buf, "2001:db8::1:0:0:1");
    struct tcpsim_addr v4 = addr("10.0.0.1");
    CU_ASSERT_EQUAL(v4.family, TCPSIM_AF_INET);
    CU_ASSERT_EQUAL(ip_v4_num(&v4), 0x0A000001u);
    struct tcpsim_addr same = tcpsim_addr_v4(0x0A000001);
    CU_ASSERT_TRUE(ip_eq(&v4, &same));
    ip_format(&v4, buf, sizeof buf);
    CU_ASSERT_STRING_EQUAL(buf, "10.0.0.1");
}

static void
test_addr_bad_text_is_refused(void)
{
    struct tcpsim_addr a;
    CU_ASSERT_PTR_NOT_NULL(ip_parse("10.0.0.256", &a));
    CU_ASSERT_PTR_NOT_NULL(ip_parse("10.0.0", &a));
    CU_ASSERT_PTR_NOT_NULL(ip_parse("2001:db8::1::2", &a));
    CU_ASSERT_PTR_NOT_NULL(ip_parse("2001:db8:g::1", &a));
    uint16_t port = 0;
    CU_ASSERT_PTR_NULL(ip_parse_endpoint("[2001:db8::2]:80", &a, &port));
    CU_ASSERT_EQUAL(a.family, TCPSIM_AF_INET6);
    CU_ASSERT_EQUAL(port, 80);
    CU_ASSERT_PTR_NULL(ip_parse_endpoint("10.0.0.2:443", &a, &port));
    CU_ASSERT_EQUAL(port, 443);
    CU_ASSERT_PTR_NOT_NULL(ip_parse_endpoint("2001:db8::2:80", &a, &port)); /* ambiguous */
    CU_ASSERT_PTR_NOT_NULL(ip_parse_endpoint("[10.0.0.2]:80", &a, &port));
}

/* IPv4 keys are the address itself (every IPv4 run hashes as before IPv6); the order is
 * IPv4 numerically, then IPv6 by bytes. */
static void
test_addr_keys_and_order_are_fixed(void)
{
    struct tcpsim_addr a = tcpsim_addr_v4(0x0A000001);
    struct tcpsim_addr b = tcpsim_addr_v4(0x0A000002);
    CU_ASSERT_EQUAL(ip_key(&a), 0x0A000001u);
    CU_ASSERT_EQUAL(ip_pair_key(&a, &b), 0x0A0000010A000002ull);
    CU_ASSERT_TRUE(ip_cmp(&a, &b) < 0);
    struct tcpsim_addr x = addr("2001:db8::1");
    struct tcpsim_addr y = addr("2001:db8::2");
    CU_ASSERT_TRUE(ip_cmp(&b, &x) < 0);
    CU_ASSERT_TRUE(ip_cmp(&x, &y) < 0);
    CU_ASSERT_NOT_EQUAL(ip_key(&x), ip_key(&y));
    struct tcpsim_addr x2 = addr("2001:db8::1");
    CU_ASSERT_EQUAL(ip_key(&x), ip_key(&x2));
    struct tcpsim_addr m = addr("::ffff:10.0.0.1");
    CU_ASSERT_TRUE(ip_is_v4mapped(&m));
    struct tcpsim_addr u = ip_unmap(&m);
    CU_ASSERT_TRUE(ip_eq(&u, &a));
    struct tcpsim_addr back = ip_v4mapped(&a);
    CU_ASSERT_TRUE(ip_eq(&back, &m));
}

static struct tcp_seg
syn6(void)
{
    struct tcp_seg s = {.saddr = addr("2001:db8::1"), .daddr = addr("2001:db8::2"),
                        .sport = 40000, .dport = 80, .seq = 1000, .flags = TCP_SYN,
                        .win = 64800, .data_off = TCP_DATA_OFF_NONE};
    tcp_opts_push(&s.opt, TCPOPT_MSS);
    s.opt.mss = 1440;
    return s;
}

/* RFC 8200 §3: a 40-byte fixed header, version 6, payload length, next header TCP, hop
 * limit; the TCP checksum covers the §8.1 pseudo-header with both 16-byte addresses. */
static void
test_ipv6_syn_encodes_and_round_trips(void)
{
    struct tcp_seg s = syn6();
    uint8_t buf[128];
    size_t n = tcp_seg_encode(&s, buf, sizeof buf);
    CU_ASSERT_EQUAL(n, 40 + 20 + 4);
    CU_ASSERT_EQUAL(tcp_seg_wire_len(&s), 64);
    CU_ASSERT_EQUAL(buf[0] >> 4, 6);
    CU_ASSERT_EQUAL(buf[4] << 8 | buf[5], 24); /* payload length: the TCP segment */
    CU_ASSERT_EQUAL(buf[6], 6);                /* next header: TCP */
    CU_ASSERT_EQUAL(buf[7], 64);               /* hop limit */
    CU_ASSERT_EQUAL(memcmp(buf + 8, s.saddr.b, 16), 0);
    CU_ASSERT_EQUAL(memcmp(buf + 24, s.daddr.b, 16), 0);
    /* The checksum, recomputed here over the pseudo-header written out by hand. */
    uint8_t pseudo[40] = {0};
    memcpy(pseudo, s.saddr.b, 16);
    memcpy(pseudo + 16, s.daddr.b, 16);
    pseudo[35] = 24;
    pseudo[39] = 6;
    uint32_t sum = tcp_csum_add(tcp_csum_add(0, pseudo, 40), buf + 40, 24);
    CU_ASSERT_EQUAL(tcp_csum_fold(sum), 0xFFFF);

    struct tcp_seg d;
    CU_ASSERT_EQUAL(tcp_seg_decode(buf, n, &d), TCP_DECODE_OK);
    CU_ASSERT_TRUE(ip_eq(&d.saddr, &s.saddr));
    CU_ASSERT_TRUE(ip_eq(&d.daddr, &s.daddr));
    CU_ASSERT_EQUAL(d.sport, 40000);
    CU_ASSERT_EQUAL(d.seq, 1000);
    CU_ASSERT_EQUAL(d.opt.mss, 1440);
    /* No header checksum in IPv6: a changed address is caught by the TCP checksum. */
    buf[39] ^= 1;
    CU_ASSERT_EQUAL(tcp_seg_decode(buf, n, &d), TCP_DECODE_BAD_CHECKSUM);
    buf[39] ^= 1;
    buf[6] = 17; /* UDP */
    CU_ASSERT_EQUAL(tcp_seg_decode(buf, n, &d), TCP_DECODE_NOT_TCP);
    buf[6] = 6;
    buf[5] = 200; /* longer than the packet */
    CU_ASSERT_EQUAL(tcp_seg_decode(buf, n, &d), TCP_DECODE_BAD_PAYLOAD_LEN);
}

static void
test_ipv6_prints_as_tcpdump(void)
{
    struct tcp_seg s = syn6();
    char line[256];
    struct strbuf sb;
    sb_init(&sb, line, sizeof line);
    fmt_tcpdump_seg(&sb, &s, NULL);
    CU_ASSERT_STRING_EQUAL(line, "2001:db8::1.40000 > 2001:db8::2.80: Flags [S], seq 1000, "
                                 "win 64800, options [mss 1440], length 0");
}

static CU_TestInfo ipv6_tests[] = {
    {"addresses in the usual notation, both ways", test_addr_notation_round_trips},
    {"bad address text is refused", test_addr_bad_text_is_refused},
    {"keys and order are fixed; IPv4 keys unchanged", test_addr_keys_and_order_are_fixed},
    {"an IPv6 SYN encodes (RFC 8200) and round-trips", test_ipv6_syn_encodes_and_round_trips},
    {"an IPv6 segment prints as tcpdump -n prints it", test_ipv6_prints_as_tcpdump},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo wire_ipv6_suites[] = {
    {"wire: IPv6 addresses and codec", NULL, NULL, NULL, NULL, ipv6_tests},
    CU_SUITE_INFO_NULL,
};
