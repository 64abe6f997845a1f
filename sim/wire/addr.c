/* SPDX-License-Identifier: MIT */
/*
 * addr.c: IP addresses: keys, IPv4-mapped IPv6 (RFC 4291 §2.5.5.2), the usual notation
 * (RFC 5952 for IPv6, as inet_ntop and tcpdump -n print it) and its parser.
 */
#include "addr.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t
mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xBF58476D1CE4E5B9ull;
    x ^= x >> 27;
    x *= 0x94D049BB133111EBull;
    x ^= x >> 31;
    return x;
}

uint64_t
ip_key(const struct tcpsim_addr *a)
{
    if (a->family != TCPSIM_AF_INET6) {
        return ip_v4_num(a);
    }
    uint64_t hi = 0;
    uint64_t lo = 0;
    for (int i = 0; i < 8; i++) {
        hi = hi << 8 | a->b[i];
        lo = lo << 8 | a->b[8 + i];
    }
    return mix64(hi ^ mix64(lo ^ 0x6ull)); /* never collides with an IPv4 key in practice */
}

uint64_t
ip_pair_key(const struct tcpsim_addr *l, const struct tcpsim_addr *r)
{
    if (!ip_is6(l) && !ip_is6(r)) {
        return (uint64_t)ip_v4_num(l) << 32 | ip_v4_num(r);
    }
    return mix64(ip_key(l) * 0x9E3779B97F4A7C15ull ^ ip_key(r));
}

bool
ip_is_v4mapped(const struct tcpsim_addr *a)
{
    static const uint8_t prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
    return a->family == TCPSIM_AF_INET6 && memcmp(a->b, prefix, 12) == 0;
}

struct tcpsim_addr
ip_v4mapped(const struct tcpsim_addr *v4)
{
    struct tcpsim_addr r = {.family = TCPSIM_AF_INET6};
    r.b[10] = 0xFF;
    r.b[11] = 0xFF;
    memcpy(r.b + 12, v4->b, 4);
    return r;
}

struct tcpsim_addr
ip_unmap(const struct tcpsim_addr *a)
{
    if (!ip_is_v4mapped(a)) {
        return *a;
    }
    struct tcpsim_addr r = {.family = TCPSIM_AF_INET};
    memcpy(r.b, a->b + 12, 4);
    return r;
}

size_t
ip_format(const struct tcpsim_addr *a, char *buf, size_t cap)
{
    char tmp[INET6_ADDRSTRLEN];
    switch (a->family) {
    case TCPSIM_AF_INET:
        snprintf(tmp, sizeof tmp, "%u.%u.%u.%u", a->b[0], a->b[1], a->b[2], a->b[3]);
        break;
    case TCPSIM_AF_INET6:
        if (inet_ntop(AF_INET6, a->b, tmp, sizeof tmp) == NULL) {
            tmp[0] = '\0';
        }
        break;
    default:
        snprintf(tmp, sizeof tmp, "0.0.0.0");
        break;
    }
    size_t n = strlen(tmp);
    if (cap > 0) {
        snprintf(buf, cap, "%s", tmp);
    }
    return n;
}

const char *
ip_parse(const char *text, struct tcpsim_addr *out)
{
    struct tcpsim_addr r = {0};
    if (strchr(text, ':') != NULL) {
        if (inet_pton(AF_INET6, text, r.b) != 1) {
            return "not an IPv6 address";
        }
        r.family = TCPSIM_AF_INET6;
    } else {
        unsigned v[4];
        char end;
        if (sscanf(text, "%3u.%3u.%3u.%3u%c", &v[0], &v[1], &v[2], &v[3], &end) != 4 ||
            v[0] > 255 || v[1] > 255 || v[2] > 255 || v[3] > 255 ||
            strspn(text, "0123456789.") != strlen(text)) {
            return "not an IPv4 address";
        }
        r.family = TCPSIM_AF_INET;
        for (int i = 0; i < 4; i++) {
            r.b[i] = (uint8_t)v[i];
        }
    }
    *out = r;
    return NULL;
}

const char *
ip_parse_endpoint(const char *text, struct tcpsim_addr *out, uint16_t *port)
{
    char host[INET6_ADDRSTRLEN + 2];
    const char *colon;
    if (text[0] == '[') {
        const char *close = strchr(text, ']');
        if (close == NULL) {
            return "'[' without ']'";
        }
        if (close[1] != ':') {
            return "expected ':port' after ']'";
        }
        size_t n = (size_t)(close - text - 1);
        if (n >= sizeof host) {
            return "not an IPv6 address";
        }
        memcpy(host, text + 1, n);
        host[n] = '\0';
        colon = close + 1;
        const char *e = ip_parse(host, out);
        if (e == NULL && out->family != TCPSIM_AF_INET6) {
            return "brackets hold an IPv6 address";
        }
        if (e != NULL) {
            return e;
        }
    } else {
        colon = strrchr(text, ':');
        if (colon == NULL || strchr(text, ':') != colon) {
            return "write an IPv6 address with a port as [addr]:port";
        }
        size_t n = (size_t)(colon - text);
        if (n >= sizeof host) {
            return "not an IPv4 address";
        }
        memcpy(host, text, n);
        host[n] = '\0';
        const char *e = ip_parse(host, out);
        if (e != NULL) {
            return e;
        }
    }
    char *end;
    unsigned long p = strtoul(colon + 1, &end, 10);
    if (colon[1] == '\0' || *end != '\0' || p > 65535) {
        return "bad port";
    }
    *port = (uint16_t)p;
    return NULL;
}

bool
tcpsim_addr_parse(const char *text, struct tcpsim_addr *out)
{
    return ip_parse(text, out) == NULL;
}

char *
tcpsim_addr_format(const struct tcpsim_addr *a, char buf[TCPSIM_ADDR_STRLEN])
{
    ip_format(a, buf, TCPSIM_ADDR_STRLEN);
    return buf;
}
