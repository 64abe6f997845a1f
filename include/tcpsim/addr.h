/* SPDX-License-Identifier: MIT */
/*
 * tcpsim/addr.h: an IP address of either family, as hosts, sockets and segments carry it.
 *
 * A value type, 17 bytes, never allocated: the family and the address in network byte
 * order. An IPv4 address occupies the first four bytes, the rest are zero, so two
 * addresses are equal exactly when their bytes are (memcmp), and the order and hash of
 * addresses are fixed functions of those bytes.
 */
#ifndef TCPSIM_ADDR_H
#define TCPSIM_ADDR_H

#include <stdbool.h>
#include <stdint.h>

enum tcpsim_family {
    TCPSIM_AF_NONE = 0, /* no address (a listener's remote end, a host without one) */
    TCPSIM_AF_INET = 4,
    TCPSIM_AF_INET6 = 6,
};

struct tcpsim_addr {
    uint8_t family; /* enum tcpsim_family */
    uint8_t b[16];  /* network order; IPv4 in b[0..3] */
};

/* The IPv4 address a.b.c.d given as the host-order number (a << 24 | ...). */
static inline struct tcpsim_addr
tcpsim_addr_v4(uint32_t a)
{
    struct tcpsim_addr r = {.family = TCPSIM_AF_INET,
                            .b = {(uint8_t)(a >> 24), (uint8_t)(a >> 16), (uint8_t)(a >> 8),
                                  (uint8_t)a}};
    return r;
}

static inline bool
tcpsim_addr_equal(const struct tcpsim_addr *a, const struct tcpsim_addr *b)
{
    if (a->family != b->family) {
        return false;
    }
    for (int i = 0; i < 16; i++) {
        if (a->b[i] != b->b[i]) {
            return false;
        }
    }
    return true;
}

/* Parses "10.0.0.1" or "2001:db8::1"; false when the text is neither. */
bool tcpsim_addr_parse(const char *text, struct tcpsim_addr *out);
/* Writes the usual notation (dotted quad; RFC 5952 for IPv6) into buf; returns buf. */
#define TCPSIM_ADDR_STRLEN 46
char *tcpsim_addr_format(const struct tcpsim_addr *a, char buf[TCPSIM_ADDR_STRLEN]);

#endif
