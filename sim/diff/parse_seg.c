/* SPDX-License-Identifier: MIT */
/*
 * parse_seg.c: a segment in `tcpdump -n` notation, read back into fields.
 *
 * Entry point: dseg_parse(). The text is what fmt_tcpdump.c writes and what tcpdump
 * prints for TCP over IPv4 or IPv6:
 *
 *   10.0.0.1.40000 > 10.0.0.2.80: Flags [P.], seq 1:101, ack 1, win 64, urg 3,
 *       options [nop,nop,TS val 5 ecr 7], length 100
 *   2001:db8::1.40000 > 2001:db8::2.80: Flags [S], seq 0, win 64800, ...
 *
 * tcpdump -v adds ", cksum 0x... (correct)" after the flags: skipped. Everything after
 * "length N" is left to the caller (tcpsim's annotation, tcpdump's protocol decode).
 * The input is untrusted: every number is range-checked, nothing is assumed present.
 */
#include <string.h>

#include "dtrace.h"

static bool
lit(const char **p, const char *s)
{
    size_t n = strlen(s);
    if (strncmp(*p, s, n) != 0) {
        return false;
    }
    *p += n;
    return true;
}

static bool
num(const char **p, uint32_t max, uint32_t *out)
{
    const char *s = *p;
    uint64_t v = 0;
    if (*s < '0' || *s > '9') {
        return false;
    }
    while (*s >= '0' && *s <= '9') {
        v = v * 10 + (uint64_t)(*s - '0');
        if (v > max) {
            return false;
        }
        s++;
    }
    *out = (uint32_t)v;
    *p = s;
    return true;
}

/* "10.0.0.1.40000" or "2001:db8::1.40000": the address, then a dot and the port. The
 * characters of an address are hex digits, ':' and '.'; a ':' that ends the run before
 * a space is the one after the destination ("...80: Flags"). */
static bool
endpoint(const char **p, struct tcpsim_addr *addr, uint16_t *port)
{
    const char *s = *p;
    size_t n = strspn(s, "0123456789abcdefABCDEF:.");
    if (n > 0 && s[n - 1] == ':') {
        n--;
    }
    const char *dot = NULL;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '.') {
            dot = s + i;
        }
    }
    char text[TCPSIM_ADDR_STRLEN];
    if (dot == NULL || (size_t)(dot - s) >= sizeof text) {
        return false;
    }
    memcpy(text, s, (size_t)(dot - s));
    text[dot - s] = '\0';
    if (!tcpsim_addr_parse(text, addr)) {
        return false;
    }
    const char *q = dot + 1;
    uint32_t pt = 0;
    if (!num(&q, 65535, &pt) || q != s + n) {
        return false;
    }
    *port = (uint16_t)pt;
    *p = q;
    return true;
}

static bool
flags(const char **p, uint8_t *out)
{
    static const char letters[] = "FSRP.UEW";
    *out = 0;
    if (lit(p, "none]")) {
        return true;
    }
    while (**p && **p != ']') {
        const char *at = strchr(letters, **p);
        if (at == NULL) {
            return false;
        }
        *out |= (uint8_t)(1u << (at - letters));
        (*p)++;
    }
    return lit(p, "]");
}

/* One option of the list: only the ones whose numbers the diff must understand. */
static bool
option(const char *item, size_t n, struct dseg *seg)
{
    g_autofree char *s = g_strndup(item, n);
    const char *p = s;
    if (lit(&p, "TS val ")) {
        seg->has_ts = true;
        return num(&p, UINT32_MAX, &seg->ts_val) && lit(&p, " ecr ") &&
               num(&p, UINT32_MAX, &seg->ts_ecr) && *p == '\0';
    }
    if (lit(&p, "sack ")) {
        uint32_t count = 0;
        if (!num(&p, DSEG_MAX_SACK, &count) || !lit(&p, " ")) {
            return false;
        }
        seg->nsack = 0;
        while (lit(&p, "{")) {
            if (seg->nsack == DSEG_MAX_SACK) {
                return false;
            }
            uint32_t *b = seg->sack[seg->nsack++];
            if (!num(&p, UINT32_MAX, &b[0]) || !lit(&p, ":") || !num(&p, UINT32_MAX, &b[1]) ||
                !lit(&p, "}")) {
                return false;
            }
        }
        return *p == '\0' && seg->nsack == count;
    }
    return true;
}

static bool
options(const char **p, struct dseg *seg, GStringChunk *strings)
{
    const char *start = *p;
    const char *end = strchr(start, ']');
    if (end == NULL) {
        return false;
    }
    for (const char *item = start; item < end;) {
        const char *comma = memchr(item, ',', (size_t)(end - item));
        const char *stop = comma ? comma : end;
        if (!option(item, (size_t)(stop - item), seg)) {
            return false;
        }
        item = stop + 1;
    }
    seg->opts = g_string_chunk_insert_len(strings, start, end - start);
    *p = end + 1;
    return true;
}

/* tcpdump -v: "cksum 0x1c46 (correct)" or "(incorrect -> 0x...)": up to the next ", ". */
static bool
skip_field(const char **p)
{
    const char *comma = strstr(*p, ", ");
    if (comma == NULL) {
        return false;
    }
    *p = comma;
    return true;
}

static bool
field(const char **p, struct dseg *seg, GStringChunk *strings)
{
    if (lit(p, "seq ")) {
        seg->has_seq = num(p, UINT32_MAX, &seg->seq);
        seg->end = seg->seq;
        if (seg->has_seq && lit(p, ":")) {
            return num(p, UINT32_MAX, &seg->end);
        }
        return seg->has_seq;
    }
    if (lit(p, "ack ")) {
        seg->has_ack = true;
        return num(p, UINT32_MAX, &seg->ack);
    }
    if (lit(p, "win ")) {
        return num(p, UINT32_MAX, &seg->win);
    }
    if (lit(p, "urg ")) {
        seg->has_urg = true;
        return num(p, UINT32_MAX, &seg->urg);
    }
    if (lit(p, "options [")) {
        return options(p, seg, strings);
    }
    if (lit(p, "cksum ")) {
        return skip_field(p);
    }
    return false;
}

gboolean
dseg_parse(const char *p, struct dseg *seg, const char **rest, GStringChunk *strings,
           const char **why)
{
    *seg = (struct dseg){.opts = ""};
    if (!endpoint(&p, &seg->saddr, &seg->sport) || !lit(&p, " > ") ||
        !endpoint(&p, &seg->daddr, &seg->dport)) {
        *why = "expected \"ADDR.PORT > ADDR.PORT: Flags [...]\"";
        return FALSE;
    }
    if (!lit(&p, ": Flags [") || !flags(&p, &seg->flags)) {
        *why = "expected \": Flags [...]\" with tcpdump's flag letters (FSRP.UEW)";
        return FALSE;
    }
    while (lit(&p, ", ")) {
        if (lit(&p, "length ")) {
            if (!num(&p, UINT32_MAX, &seg->len)) {
                *why = "bad length";
                return FALSE;
            }
            *rest = p;
            return TRUE;
        }
        const char *at = p;
        if (!field(&p, seg, strings)) {
            size_t n = strcspn(at, ", ");
            *why = n ? "unknown or malformed field (expected seq, ack, win, urg, options or "
                       "length)"
                     : "empty field";
            return FALSE;
        }
    }
    *why = "no \", length N\" at the end of the segment";
    return FALSE;
}
