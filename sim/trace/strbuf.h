/* SPDX-License-Identifier: MIT */
/*
 * strbuf.h: append-only formatting into a caller's fixed buffer.
 *
 * The printers format a line at a time; a line never needs more than a few hundred bytes,
 * and a full buffer truncates rather than overflows. Integers are formatted by hand: the
 * text sink formats millions of numbers in a bulk run and snprintf dominates otherwise.
 */
#ifndef TCPSIM_TRACE_STRBUF_H
#define TCPSIM_TRACE_STRBUF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../wire/addr.h"

struct strbuf {
    char *p;
    size_t len;
    size_t cap; /* includes room for the terminating NUL */
};

static inline void
sb_init(struct strbuf *sb, char *buf, size_t cap)
{
    sb->p = buf;
    sb->len = 0;
    sb->cap = cap;
    if (cap) {
        buf[0] = '\0';
    }
}

static inline void
sb_putn(struct strbuf *sb, const char *s, size_t n)
{
    if (sb->len + n + 1 > sb->cap) {
        n = sb->cap > sb->len + 1 ? sb->cap - sb->len - 1 : 0;
    }
    memcpy(sb->p + sb->len, s, n);
    sb->len += n;
    sb->p[sb->len] = '\0';
}

static inline void
sb_puts(struct strbuf *sb, const char *s)
{
    sb_putn(sb, s, strlen(s));
}

static inline void
sb_putc(struct strbuf *sb, char c)
{
    sb_putn(sb, &c, 1);
}

static inline void
sb_putu(struct strbuf *sb, uint64_t v)
{
    char tmp[24];
    size_t i = sizeof tmp;
    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    sb_putn(sb, tmp + i, sizeof tmp - i);
}

static inline void
sb_puti(struct strbuf *sb, int64_t v)
{
    if (v < 0) {
        sb_putc(sb, '-');
        sb_putu(sb, (uint64_t)0 - (uint64_t)v);
    } else {
        sb_putu(sb, (uint64_t)v);
    }
}

/* Zero-padded to `width` digits. */
static inline void
sb_putu_pad(struct strbuf *sb, uint64_t v, int width)
{
    char tmp[24];
    int i = (int)sizeof tmp;
    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
        width--;
    } while (v || width > 0);
    sb_putn(sb, tmp + i, sizeof tmp - (size_t)i);
}

/* Dotted quad. */
static inline void
sb_put_ip(struct strbuf *sb, const struct tcpsim_addr *addr)
{
    if (addr->family == TCPSIM_AF_INET6) {
        char buf[TCPSIM_ADDR_STRLEN];
        ip_format(addr, buf, sizeof buf);
        sb_puts(sb, buf);
        return;
    }
    uint32_t a = ip_v4_num(addr);
    sb_putu(sb, a >> 24);
    sb_putc(sb, '.');
    sb_putu(sb, (a >> 16) & 0xFF);
    sb_putc(sb, '.');
    sb_putu(sb, (a >> 8) & 0xFF);
    sb_putc(sb, '.');
    sb_putu(sb, a & 0xFF);
}

/* Seconds with nine decimals: 1.500000000. */
static inline void
sb_put_time(struct strbuf *sb, int64_t ns)
{
    if (ns < 0) {
        sb_putc(sb, '-');
        ns = -ns;
    }
    sb_putu(sb, (uint64_t)ns / 1000000000u);
    sb_putc(sb, '.');
    sb_putu_pad(sb, (uint64_t)ns % 1000000000u, 9);
}

/* Pads with spaces up to column `col` (at least one space). */
static inline void
sb_pad_to(struct strbuf *sb, size_t start, size_t col)
{
    do {
        sb_putc(sb, ' ');
    } while (sb->len - start < col);
}

#endif
