/* SPDX-License-Identifier: MIT */
/*
 * capbuild.h: a capture builder for the replay tests: pcap records of IPv4 TCP segments
 * (raw-IP link type) between A (192.0.2.1:40000) and B (192.0.2.2:8080).
 */
#ifndef TCPSIM_TEST_CAPBUILD_H
#define TCPSIM_TEST_CAPBUILD_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "sim/replay/replay.h"

/* --- a capture builder: pcap records of IPv4 TCP segments, raw-IP link type --------- */

struct capbuf {
    GByteArray *b;
};

/* The IPv4 address as a number, 0 for any other family. */
static inline uint32_t
ip4_of(const struct tcpsim_addr *a)
{
    return a->family == TCPSIM_AF_INET
               ? (uint32_t)a->b[0] << 24 | (uint32_t)a->b[1] << 16 | (uint32_t)a->b[2] << 8 | a->b[3]
               : 0;
}

static inline void
put16(GByteArray *b, uint16_t v)
{
    uint8_t x[2] = {(uint8_t)(v >> 8), (uint8_t)v};
    g_byte_array_append(b, x, 2);
}

static inline void
put32(GByteArray *b, uint32_t v)
{
    uint8_t x[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
    g_byte_array_append(b, x, 4);
}

static inline void
le32(GByteArray *b, uint32_t v)
{
    uint8_t x[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    g_byte_array_append(b, x, 4);
}

static inline struct capbuf
cap_new(uint32_t linktype)
{
    struct capbuf c = {g_byte_array_new()};
    le32(c.b, 0xa1b2c3d4u);
    uint8_t ver[4] = {2, 0, 4, 0};
    g_byte_array_append(c.b, ver, 4);
    le32(c.b, 0);
    le32(c.b, 0);
    le32(c.b, 65535);
    le32(c.b, linktype);
    return c;
}

#define A 0xC0000201u /* 192.0.2.1 */
#define B 0xC0000202u /* 192.0.2.2 */

/* One segment at `us` microseconds between any two IPv4 endpoints; `opts` raw option
 * bytes (a multiple of 4). */
static inline void
segx(struct capbuf *c, uint32_t us, uint32_t src, uint16_t sport, uint32_t dst, uint16_t dport,
     uint8_t flags, uint32_t seq, uint32_t ack, uint16_t win, const uint8_t *opts,
     size_t optlen, uint16_t len)
{
    GByteArray *p = g_byte_array_new();
    size_t tcp = 20 + optlen;
    put16(p, 0x4500);
    put16(p, (uint16_t)(20 + tcp + len));
    put32(p, 0);
    put16(p, 0x4006);
    put16(p, 0);
    put32(p, src);
    put32(p, dst);
    put16(p, sport);
    put16(p, dport);
    put32(p, seq);
    put32(p, ack);
    uint8_t off_flags[2] = {(uint8_t)((tcp / 4) << 4), flags};
    g_byte_array_append(p, off_flags, 2);
    put16(p, win);
    put32(p, 0);
    if (optlen) {
        g_byte_array_append(p, opts, (guint)optlen);
    }
    /* payload cut by a 96-byte snap length, as tcpdump -s 96 would */
    uint8_t zero[64] = {0};
    g_byte_array_append(p, zero, len < 16 ? len : 16);
    le32(c->b, us / 1000000);
    le32(c->b, us % 1000000);
    le32(c->b, p->len);
    le32(c->b, 20 + (uint32_t)tcp + len);
    g_byte_array_append(c->b, p->data, p->len);
    g_byte_array_free(p, TRUE);
}

/* One segment between A:40000 and B:8080, from A when `from_a`. */
static inline void
seg(struct capbuf *c, uint32_t us, bool from_a, uint8_t flags, uint32_t seq, uint32_t ack,
    uint16_t win, const uint8_t *opts, size_t optlen, uint16_t len)
{
    segx(c, us, from_a ? A : B, from_a ? 40000 : 8080, from_a ? B : A, from_a ? 8080 : 40000,
         flags, seq, ack, win, opts, optlen, len);
}

G_GNUC_UNUSED static const uint8_t syn_opts[] = {2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0,
                                   1, 3, 3, 10}; /* mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 10 */

/* A capture that starts with A's handshake to B (ISNs 1000 and 5000, 20 ms). */
static inline struct capbuf
handshake_capture(void)
{
    struct capbuf c = cap_new(101);
    seg(&c, 0, true, 0x02, 1000, 0, 64240, syn_opts, sizeof syn_opts, 0);
    seg(&c, 20000, false, 0x12, 5000, 1001, 65160, syn_opts, sizeof syn_opts, 0);
    seg(&c, 20000, true, 0x10, 1001, 5001, 63, NULL, 0, 0);
    return c;
}

/* Counts the occurrences of `needle` in `hay`. */
static inline guint
count_of(const char *hay, const char *needle)
{
    guint n = 0;
    for (const char *p = strstr(hay, needle); p != NULL; p = strstr(p + 1, needle)) {
        n++;
    }
    return n;
}

/* nop,nop,TS val 2 ecr 1: what a stack that negotiated timestamps puts on every
 * segment but a RST. */
G_GNUC_UNUSED static const uint8_t ts_opts[] = {1, 1, 8, 10, 0, 0, 0, 2, 0, 0, 0, 1};

#endif
