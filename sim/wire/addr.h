/* SPDX-License-Identifier: MIT */
/*
 * addr.h: IP addresses of both families (the value type is public: tcpsim/addr.h).
 *
 * Everything that keys on an address (demux, ports, ISNs, timestamps offsets, SYN
 * cookies) goes through ip_key(): for IPv4 it is the 32-bit address itself, so every
 * IPv4 run hashes exactly as it did when addresses were uint32_t; for IPv6 it mixes all
 * sixteen bytes.
 */
#ifndef TCPSIM_WIRE_ADDR_H
#define TCPSIM_WIRE_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <tcpsim/addr.h>


#define IPV4_HDR_LEN 20
#define IPV6_HDR_LEN 40 /* RFC 8200 §3: the fixed header; tcpsim sends no extension headers */

static inline struct tcpsim_addr
ip_v4(uint32_t a)
{
    return tcpsim_addr_v4(a);
}

static inline struct tcpsim_addr
ip_none(void)
{
    struct tcpsim_addr r = {0};
    return r;
}

static inline bool
ip_is_none(const struct tcpsim_addr *a)
{
    return a->family == TCPSIM_AF_NONE;
}

static inline bool
ip_is6(const struct tcpsim_addr *a)
{
    return a->family == TCPSIM_AF_INET6;
}

/* The host-order number of an IPv4 address (0 for any other). */
static inline uint32_t
ip_v4_num(const struct tcpsim_addr *a)
{
    if (a->family != TCPSIM_AF_INET) {
        return 0;
    }
    return (uint32_t)a->b[0] << 24 | (uint32_t)a->b[1] << 16 | (uint32_t)a->b[2] << 8 | a->b[3];
}

static inline bool
ip_eq(const struct tcpsim_addr *a, const struct tcpsim_addr *b)
{
    return a->family == b->family && memcmp(a->b, b->b, 16) == 0;
}

/* A total order: IPv4 before IPv6, then by bytes (numeric order for IPv4). */
static inline int
ip_cmp(const struct tcpsim_addr *a, const struct tcpsim_addr *b)
{
    if (a->family != b->family) {
        return a->family < b->family ? -1 : 1;
    }
    return memcmp(a->b, b->b, 16);
}

/* The IP header a packet of this family carries. */
static inline unsigned
ip_hdr_len(const struct tcpsim_addr *a)
{
    return ip_is6(a) ? IPV6_HDR_LEN : IPV4_HDR_LEN;
}

/* A deterministic key of the address: the IPv4 number, or a mix of the IPv6 bytes. */
uint64_t ip_key(const struct tcpsim_addr *a);
/* 32 bits of ip_key(): the IPv4 number itself, for hash tables. */
static inline uint32_t
ip_hash32(const struct tcpsim_addr *a)
{
    uint64_t k = ip_key(a);
    return (uint32_t)(k ^ k >> 32);
}

/* A key of an ordered pair: (l << 32 | r) for two IPv4 addresses, as before IPv6. */
uint64_t ip_pair_key(const struct tcpsim_addr *l, const struct tcpsim_addr *r);

/* Whether the IPv6 address is IPv4-mapped (::ffff:a.b.c.d, RFC 4291 §2.5.5.2). */
bool ip_is_v4mapped(const struct tcpsim_addr *a);
/* ::ffff:a.b.c.d of an IPv4 address, and back. */
struct tcpsim_addr ip_v4mapped(const struct tcpsim_addr *v4);
struct tcpsim_addr ip_unmap(const struct tcpsim_addr *a);

/* Writes the address as tcpdump -n does; returns the characters written. */
size_t ip_format(const struct tcpsim_addr *a, char *buf, size_t cap);

/* Parses one address; with `port`, also "[v6]:port" and "v4:port" (port NULL: address
 * only). Returns NULL on success, else a short description of what is wrong. */
const char *ip_parse(const char *text, struct tcpsim_addr *out);
const char *ip_parse_endpoint(const char *text, struct tcpsim_addr *out, uint16_t *port);

#endif
