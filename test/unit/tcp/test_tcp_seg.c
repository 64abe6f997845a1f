/* SPDX-License-Identifier: MIT */
/*
 * test_tcp_seg.c: the IPv4+TCP codec: round trips, checksums, and malformed bytes.
 */
#include <CUnit/CUnit.h>
#include <glib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <string.h>

#include "sim/wire/seg.h"

static struct tcp_seg
syn_with_all_options(void)
{
    struct tcp_seg s = {
        .saddr = tcpsim_addr_v4(0x0A000001), .daddr = tcpsim_addr_v4(0x0A000002), .sport = 40000, .dport = 80,
        .seq = 0xFFFFFF00u, .ack = 0, .flags = TCP_SYN | TCP_ECE | TCP_CWR, .win = 64240,
    };
    tcp_opts_push(&s.opt, TCPOPT_MSS);
    s.opt.mss = 1460;
    tcp_opts_push(&s.opt, TCPOPT_SACK_PERM);
    tcp_opts_push(&s.opt, TCPOPT_TS);
    s.opt.ts_val = 123456;
    s.opt.ts_ecr = 0;
    tcp_opts_push(&s.opt, TCPOPT_NOP);
    tcp_opts_push(&s.opt, TCPOPT_WSCALE);
    s.opt.wscale = 7;
    return s;
}

static void
assert_same(const struct tcp_seg *a, const struct tcp_seg *b)
{
    CU_ASSERT_TRUE(ip_eq(&a->saddr, &b->saddr));
    CU_ASSERT_TRUE(ip_eq(&a->daddr, &b->daddr));
    CU_ASSERT_EQUAL(a->sport, b->sport);
    CU_ASSERT_EQUAL(a->dport, b->dport);
    CU_ASSERT_EQUAL(a->seq, b->seq);
    CU_ASSERT_EQUAL(a->ack, b->ack);
    CU_ASSERT_EQUAL(a->flags, b->flags);
    CU_ASSERT_EQUAL(a->win, b->win);
    CU_ASSERT_EQUAL(a->len, b->len);
    CU_ASSERT_EQUAL_FATAL(a->opt.n, b->opt.n);
    CU_ASSERT_EQUAL(memcmp(a->opt.kind, b->opt.kind, a->opt.n), 0);
    CU_ASSERT_EQUAL(a->opt.mss, b->opt.mss);
    CU_ASSERT_EQUAL(a->opt.wscale, b->opt.wscale);
    CU_ASSERT_EQUAL(a->opt.ts_val, b->opt.ts_val);
    CU_ASSERT_EQUAL(a->opt.ts_ecr, b->opt.ts_ecr);
    CU_ASSERT_EQUAL(a->opt.nsack, b->opt.nsack);
}

/* A SYN with Linux's option block: 20 + 20 + 20 bytes, decoded back field for field. */
static void
test_seg_syn_round_trip(void)
{
    struct tcp_seg s = syn_with_all_options();
    uint8_t buf[128];
    size_t n = tcp_seg_encode(&s, buf, sizeof buf);
    CU_ASSERT_EQUAL(n, 60);
    CU_ASSERT_EQUAL(tcp_seg_wire_len(&s), 60);
    struct tcp_seg d;
    CU_ASSERT_EQUAL_FATAL(tcp_seg_decode(buf, n, &d), TCP_DECODE_OK);
    assert_same(&s, &d);
    CU_ASSERT_EQUAL(d.data_off, TCP_DATA_OFF_NONE);
}

/* Data segments carry the pattern of their stream offset, or the text given. */
static void
test_seg_payload_round_trip(void)
{
    struct tcp_seg s = {
        .saddr = tcpsim_addr_v4(1), .daddr = tcpsim_addr_v4(2), .sport = 3, .dport = 4, .seq = 100, .ack = 200,
        .flags = TCP_ACK | TCP_PSH, .win = 500, .len = 52, .data_off = 26,
    };
    tcp_opts_push(&s.opt, TCPOPT_NOP);
    tcp_opts_push(&s.opt, TCPOPT_NOP);
    tcp_opts_push(&s.opt, TCPOPT_SACK);
    s.opt.nsack = 2;
    s.opt.sack[0] = (struct tcp_sack_block){1000, 2000};
    s.opt.sack[1] = (struct tcp_sack_block){3000, 4000};
    uint8_t buf[256];
    size_t n = tcp_seg_encode(&s, buf, sizeof buf);
    CU_ASSERT_EQUAL_FATAL(n, 20u + 20 + 20 + 52);
    struct tcp_seg d;
    CU_ASSERT_EQUAL_FATAL(tcp_seg_decode(buf, n, &d), TCP_DECODE_OK);
    assert_same(&s, &d);
    CU_ASSERT_EQUAL(d.opt.sack[1].start, 3000u);
    CU_ASSERT_NSTRING_EQUAL(d.data, "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz", 52);

    const char *text = "GET / HTTP/1.0";
    struct tcp_seg t = {.saddr = tcpsim_addr_v4(1), .daddr = tcpsim_addr_v4(2), .flags = TCP_ACK, .len = 14,
                        .data = (const uint8_t *)text};
    n = tcp_seg_encode(&t, buf, sizeof buf);
    CU_ASSERT_EQUAL_FATAL(tcp_seg_decode(buf, n, &d), TCP_DECODE_OK);
    CU_ASSERT_NSTRING_EQUAL(d.data, text, 14);
}

/* RFC 1071 arithmetic on a well-known IPv4 header (checksum 0xB861). */
static void
test_seg_internet_checksum(void)
{
    uint8_t hdr[20] = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
                       0x00, 0x00, 0xC0, 0xA8, 0x00, 0x01, 0xC0, 0xA8, 0x00, 0xC7};
    CU_ASSERT_EQUAL((uint16_t)~tcp_csum_fold(tcp_csum_add(0, hdr, sizeof hdr)), 0xB861);
    hdr[10] = 0xB8;
    hdr[11] = 0x61;
    CU_ASSERT_EQUAL(tcp_csum_fold(tcp_csum_add(0, hdr, sizeof hdr)), 0xFFFF);
}

/* RFC 1071 §2: the 16-bit one's complement sum of big-endian words, odd tail padded. */
static uint16_t
reference_sum(const uint8_t *p, size_t len)
{
    uint32_t acc = 0;
    for (size_t i = 0; i + 1 < len; i += 2) {
        acc += (uint32_t)(p[i] << 8 | p[i + 1]);
    }
    if (len % 2) {
        acc += (uint32_t)(p[len - 1] << 8);
    }
    while (acc >> 16) {
        acc = (acc & 0xFFFFu) + (acc >> 16);
    }
    return (uint16_t)acc;
}

/* The 64-bit-word sum (tcp_seg.c) equals the textbook one for every length, every start
 * (unaligned too), sums chained over two buffers, and data of all ones (whose sum is
 * negative zero, 0xFFFF, never 0). */
static void
test_seg_checksum_matches_the_reference(void)
{
    uint8_t buf[1600];
    uint32_t x = 12345;
    for (size_t i = 0; i < sizeof buf; i++) {
        x = x * 1103515245u + 12345u;
        buf[i] = (uint8_t)(x >> 16);
    }
    bool same = true;
    for (size_t start = 0; start < 8; start++) {
        for (size_t len = 0; len <= 1500; len += (len < 64 ? 1 : 37)) {
            uint16_t want = reference_sum(buf + start, len);
            same = same && tcp_csum_fold(tcp_csum_add(0, buf + start, len)) == want;
        }
    }
    CU_ASSERT(same);
    /* Chained: a 12-byte pseudo-header, then the segment (as tcp_seg_encode() does). */
    uint8_t both[12 + 1461];
    memcpy(both, buf, sizeof both);
    uint16_t chained = tcp_csum_fold(tcp_csum_add(tcp_csum_add(0, buf, 12), buf + 12, 1461));
    CU_ASSERT_EQUAL(chained, reference_sum(both, sizeof both));
    uint8_t ones[40];
    memset(ones, 0xFF, sizeof ones);
    CU_ASSERT_EQUAL(tcp_csum_fold(tcp_csum_add(0, ones, sizeof ones)), 0xFFFF);
    CU_ASSERT_EQUAL(tcp_csum_fold(tcp_csum_add(0, ones, 0)), 0);
}

/* Any single flipped byte is caught by one of the two checksums. */
static void
test_seg_any_flipped_byte_is_caught(void)
{
    struct tcp_seg s = syn_with_all_options();
    s.len = 30;
    uint8_t buf[128];
    size_t n = tcp_seg_encode(&s, buf, sizeof buf);
    for (size_t i = 0; i < n; i++) {
        uint8_t copy[128];
        memcpy(copy, buf, n);
        copy[i] ^= 0x5A;
        struct tcp_seg d;
        CU_ASSERT_NOT_EQUAL(tcp_seg_decode(copy, n, &d), TCP_DECODE_OK);
    }
}

static void
expect_status(const uint8_t *buf, size_t n, enum tcp_decode_status want)
{
    struct tcp_seg d;
    enum tcp_decode_status got = tcp_seg_decode(buf, n, &d);
    CU_ASSERT_EQUAL(got, want);
    if (got != want) {
        fprintf(stderr, "decode: got %s, want %s\n", tcp_decode_status_name(got),
                tcp_decode_status_name(want));
    }
}

/* Refit the checksums after a deliberate edit, so the decoder sees the edit itself. */
static void
refit_checksums(uint8_t *buf, size_t n)
{
    size_t ihl = (size_t)(buf[0] & 0x0F) * 4;
    buf[10] = buf[11] = 0;
    uint16_t ipc = (uint16_t)~tcp_csum_fold(tcp_csum_add(0, buf, ihl));
    buf[10] = (uint8_t)(ipc >> 8);
    buf[11] = (uint8_t)ipc;
    if (n < ihl + 18) {
        return;
    }
    uint8_t *th = buf + ihl;
    size_t tl = n - ihl;
    th[16] = th[17] = 0;
    uint8_t pseudo[12] = {0};
    memcpy(pseudo, buf + 12, 8);
    pseudo[9] = 6;
    pseudo[10] = (uint8_t)(tl >> 8);
    pseudo[11] = (uint8_t)tl;
    uint16_t c = (uint16_t)~tcp_csum_fold(tcp_csum_add(tcp_csum_add(0, pseudo, 12), th, tl));
    th[16] = (uint8_t)(c >> 8);
    th[17] = (uint8_t)c;
}

static void
test_seg_malformed_input_is_refused(void)
{
    struct tcp_seg s = syn_with_all_options();
    uint8_t good[128];
    size_t n = tcp_seg_encode(&s, good, sizeof good);
    uint8_t b[128];

    expect_status(good, 0, TCP_DECODE_TRUNCATED);
    expect_status(good, 19, TCP_DECODE_TRUNCATED);
    memcpy(b, good, n);
    b[0] = 0x55; /* version 5 */
    expect_status(b, n, TCP_DECODE_NOT_IPV4);
    memcpy(b, good, n);
    b[0] = 0x44; /* IHL 16 bytes */
    expect_status(b, n, TCP_DECODE_BAD_IHL);
    memcpy(b, good, n);
    b[2] = 0xFF; /* total length beyond the buffer */
    expect_status(b, n, TCP_DECODE_BAD_TOTAL_LEN);
    memcpy(b, good, n);
    b[6] = 0x20; /* more fragments */
    refit_checksums(b, n);
    expect_status(b, n, TCP_DECODE_FRAGMENT);
    memcpy(b, good, n);
    b[9] = 17; /* UDP */
    refit_checksums(b, n);
    expect_status(b, n, TCP_DECODE_NOT_TCP);
    memcpy(b, good, n);
    b[20 + 12] = 0xF0; /* data offset 60 > the 40 bytes there */
    refit_checksums(b, n);
    expect_status(b, n, TCP_DECODE_BAD_DATA_OFFSET);
    memcpy(b, good, n);
    b[20 + 12] = 0x10; /* data offset 4 bytes */
    refit_checksums(b, n);
    expect_status(b, n, TCP_DECODE_BAD_DATA_OFFSET);
    memcpy(b, good, n);
    b[40 + 1] = 0; /* MSS option with length 0 */
    refit_checksums(b, n);
    expect_status(b, n, TCP_DECODE_BAD_OPTION);
    memcpy(b, good, n);
    b[40 + 1] = 60; /* MSS option running past the header */
    refit_checksums(b, n);
    expect_status(b, n, TCP_DECODE_BAD_OPTION);
    memcpy(b, good, n);
    b[40 + 1] = 5; /* MSS option of the wrong length */
    refit_checksums(b, n);
    expect_status(b, n, TCP_DECODE_BAD_OPTION);
    memcpy(b, good, n);
    b[12] ^= 1; /* the source address: the IP header checksum catches it */
    expect_status(b, n, TCP_DECODE_BAD_IP_CHECKSUM);
    memcpy(b, good, n);
    b[20 + 16] ^= 1;
    expect_status(b, n, TCP_DECODE_BAD_CHECKSUM);
}

/* An unknown option is kept in place and skipped by its length; EOL ends the list. */
static void
test_seg_unknown_option_and_eol(void)
{
    struct tcp_seg s = {.saddr = tcpsim_addr_v4(1), .daddr = tcpsim_addr_v4(2), .flags = TCP_ACK};
    uint8_t buf[128];
    size_t n = tcp_seg_encode(&s, buf, sizeof buf);
    CU_ASSERT_EQUAL_FATAL(n, 40);
    uint8_t b[128] = {0};
    memcpy(b, buf, 40);
    uint8_t opts[8] = {30, 4, 0xAA, 0xBB, TCPOPT_NOP, TCPOPT_EOL, 0, 0};
    memcpy(b + 40, opts, 8);
    b[3] = 48;          /* total length */
    b[32] = 7 << 4;     /* data offset 28 */
    refit_checksums(b, 48);
    struct tcp_seg d;
    CU_ASSERT_EQUAL_FATAL(tcp_seg_decode(b, 48, &d), TCP_DECODE_OK);
    CU_ASSERT_EQUAL(d.opt.n, 3);
    CU_ASSERT_EQUAL(d.opt.kind[0], 30);
    CU_ASSERT_EQUAL(d.opt.unknown_len[0], 4);
    CU_ASSERT_EQUAL(d.opt.kind[2], TCPOPT_EOL);
}

/* The parsed form holds one of each known option: a packet repeating one is refused
 * (two SACK options, 1 and 3 blocks, used to re-encode as two of 3 blocks: 72 bytes). */
static void
test_seg_repeated_option_is_refused(void)
{
    struct tcp_seg s = {.saddr = tcpsim_addr_v4(1), .daddr = tcpsim_addr_v4(2), .flags = TCP_ACK};
    uint8_t buf[128];
    size_t n = tcp_seg_encode(&s, buf, sizeof buf);
    CU_ASSERT_EQUAL_FATAL(n, 40);
    uint8_t b[128] = {0};
    memcpy(b, buf, 40);
    uint8_t opts[40] = {TCPOPT_SACK, 10, 0, 0, 0, 1, 0, 0, 0, 2, TCPOPT_SACK, 26};
    memset(opts + 36, TCPOPT_NOP, 4);
    memcpy(b + 40, opts, 40);
    b[3] = 80;           /* total length */
    b[32] = 15 << 4;     /* data offset 60 */
    refit_checksums(b, 80);
    struct tcp_seg d;
    CU_ASSERT_EQUAL(tcp_seg_decode(b, 80, &d), TCP_DECODE_BAD_OPTION);
    b[50] = 30;          /* the second one is now an unknown kind: accepted */
    refit_checksums(b, 80);
    CU_ASSERT_EQUAL(tcp_seg_decode(b, 80, &d), TCP_DECODE_OK);
}

static void
test_seg_encode_refuses_small_buffer(void)
{
    struct tcp_seg s = syn_with_all_options();
    uint8_t buf[59];
    CU_ASSERT_EQUAL(tcp_seg_encode(&s, buf, sizeof buf), 0);
}

static CU_TestInfo seg_tests[] = {
    {"SYN with Linux's options round-trips", test_seg_syn_round_trip},
    {"payload: pattern by offset, or text", test_seg_payload_round_trip},
    {"RFC 1071 checksum of a known header", test_seg_internet_checksum},
    {"64-bit checksum equals the 16-bit reference", test_seg_checksum_matches_the_reference},
    {"every single flipped byte is caught", test_seg_any_flipped_byte_is_caught},
    {"malformed packets are refused with a reason", test_seg_malformed_input_is_refused},
    {"unknown option skipped, EOL ends the list", test_seg_unknown_option_and_eol},
    {"encode refuses a buffer too small", test_seg_encode_refuses_small_buffer},
    {"a repeated known option is refused", test_seg_repeated_option_is_refused},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo tcp_seg_suites[] = {
    {"tcp: segment codec", NULL, NULL, NULL, NULL, seg_tests},
    CU_SUITE_INFO_NULL,
};
