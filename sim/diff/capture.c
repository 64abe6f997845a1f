/* SPDX-License-Identifier: MIT */
/*
 * capture.c: a packet capture read into TCP segments: pcap (micro- or nanosecond, either
 * byte order), pcapng (section, interface and enhanced packet blocks). One reader for
 * tcpsim diff (which prints the segments as tcpdump text, pcap_read.c) and tcpsim replay
 * (sim/replay/rcap.c).
 *
 * Entry points: capture_is_binary(), capture_new(), capture_read_binary(),
 * capture_to_text(), capture_free(). Link types: Ethernet (with 802.1Q and 802.1ad
 * tags), raw IP, Linux cooked (SLL and SLL2), BSD loopback. IPv4 and IPv6 TCP is kept
 * (IPv6 with extension headers and IPv4 fragments are not); other packets are counted.
 * Payload may be cut by the snap length: the length comes from the IP header (the
 * captured size when a TSO/GRO packet's says 0), and checksums are not verified (a
 * capture on the sending host carries offloaded, unfinished checksums). The capture is
 * untrusted: everything read is bounded, and a malformed file gets an error naming the
 * packet.
 */
#include <string.h>

#include "capture.h"

static uint16_t
be16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t
rd32(const uint8_t *p, bool swap)
{
    uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                 (uint32_t)p[3] << 24;
    return swap ? GUINT32_SWAP_LE_BE(v) : v;
}

static uint16_t
rd16(const uint8_t *p, bool swap)
{
    uint16_t v = (uint16_t)(p[0] | p[1] << 8);
    return swap ? GUINT16_SWAP_LE_BE(v) : v;
}

/* TCP options in tcpdump's notation, and the fields the script needs. */
static void
options(struct capture *c, const uint8_t *o, size_t n, struct dseg *s)
{
    GString *t = g_string_new(NULL);
    size_t i = 0;
    while (i < n) {
        uint8_t kind = o[i];
        if (t->len) {
            g_string_append_c(t, ',');
        }
        if (kind == 0) {
            g_string_append(t, "eol");
            break;
        }
        if (kind == 1) {
            g_string_append(t, "nop");
            i++;
            continue;
        }
        if (i + 1 >= n || o[i + 1] < 2 || i + o[i + 1] > n) {
            g_string_assign(t, "bad opt"); /* tcpdump prints only this */
            break;
        }
        uint8_t len = o[i + 1];
        const uint8_t *v = o + i + 2;
        if (kind == 2 && len == 4) {
            g_string_append_printf(t, "mss %u", be16(v));
        } else if (kind == 3 && len == 3) {
            g_string_append_printf(t, "wscale %u", v[0]);
        } else if (kind == 4 && len == 2) {
            g_string_append(t, "sackOK");
        } else if (kind == 8 && len == 10) {
            s->has_ts = true;
            s->ts_val = be32(v);
            s->ts_ecr = be32(v + 4);
            g_string_append_printf(t, "TS val %u ecr %u", s->ts_val, s->ts_ecr);
        } else if (kind == 5 && (len - 2) % 8 == 0) {
            g_string_append(t, "sack");
            g_string_append_printf(t, " %u", (len - 2) / 8);
            for (unsigned b = 0; b < (unsigned)(len - 2) / 8; b++) {
                uint32_t l = be32(v + 8 * b);
                uint32_t r = be32(v + 8 * b + 4);
                if (s->nsack < DSEG_MAX_SACK) {
                    s->sack[s->nsack][0] = l;
                    s->sack[s->nsack][1] = r;
                    s->nsack++;
                }
                g_string_append_printf(t, "%s{%u:%u}", b == 0 ? " " : "", l, r);
            }
        } else {
            g_string_append_printf(t, "unknown-%u", kind);
            if (len > 2) {
                g_string_append(t, " 0x");
                for (int k = 0; k < len - 2; k++) {
                    g_string_append_printf(t, "%02x", v[k]);
                }
            }
        }
        i += len;
    }
    s->opts = g_string_chunk_insert(c->strings, t->str);
    g_string_free(t, TRUE);
}

/* An IPv4 or IPv6 packet (or anything else, counted and skipped). IPv6 packets with
 * extension headers are skipped: tcpsim sends none. */
static void
ip_packet(struct capture *c, int64_t at, uint32_t index, const uint8_t *p, size_t caplen)
{
    bool v6 = caplen >= 40 && (p[0] >> 4) == 6;
    if (v6 ? p[6] != 6 : (caplen < 20 || (p[0] >> 4) != 4 || p[9] != 6)) {
        c->skipped++;
        return;
    }
    size_t ihl = v6 ? 40 : (size_t)(p[0] & 0x0f) * 4;
    size_t total = v6 ? 40 + (size_t)be16(p + 4) : be16(p + 2);
    if (ihl < 20 || caplen < ihl + 20 || (!v6 && (be16(p + 6) & 0x3fff) != 0)) {
        c->skipped++; /* short, or a fragment */
        return;
    }
    const uint8_t *t = p + ihl;
    size_t doff = (size_t)(t[12] >> 4) * 4;
    if (doff < 20 || caplen < ihl + doff) {
        c->skipped++;
        return;
    }
    struct capseg r = {.at = at, .index = index};
    struct dseg *s = &r.s;
    s->saddr.family = s->daddr.family = v6 ? TCPSIM_AF_INET6 : TCPSIM_AF_INET;
    memcpy(s->saddr.b, v6 ? p + 8 : p + 12, v6 ? 16 : 4);
    memcpy(s->daddr.b, v6 ? p + 24 : p + 16, v6 ? 16 : 4);
    s->sport = be16(t);
    s->dport = be16(t + 2);
    s->seq = be32(t + 4);
    s->ack = be32(t + 8);
    s->flags = t[13];
    s->win = be16(t + 14);
    s->urg = be16(t + 18);
    s->has_seq = true;
    s->has_ack = (s->flags & DF_ACK) != 0;
    s->has_urg = (s->flags & DF_URG) != 0;
    /* A TSO/GRO packet can carry IP total length 0; then the captured size stands. */
    size_t ip_len = total >= ihl + doff ? total : caplen;
    s->len = (uint32_t)(ip_len - ihl - doff);
    s->end = s->seq + s->len;
    options(c, t + 20, doff - 20, s);
    if (c->segs->len < CAPTURE_MAX_SEGMENTS) {
        g_array_append_val(c->segs, r);
    }
}

static bool
is_ip_type(uint16_t t)
{
    return t == 0x0800 || t == 0x86dd; /* IPv4, IPv6 */
}

/* AF_INET, and AF_INET6 as Linux (10) and the BSDs (24, 28, 30) number it. */
static bool
is_bsd_af(uint8_t af)
{
    return af == 2 || af == 10 || af == 24 || af == 28 || af == 30;
}

/* A link-layer frame of `linktype`. */
static void
frame(struct capture *c, uint32_t linktype, int64_t at, uint32_t index, const uint8_t *p,
      size_t n)
{
    switch (linktype) {
    case 1: { /* Ethernet, with any number of 802.1Q or 802.1ad tags */
        size_t off = 12;
        while (n >= off + 2 && (be16(p + off) == 0x8100 || be16(p + off) == 0x88a8)) {
            off += 4;
        }
        if (n >= off + 2 && is_ip_type(be16(p + off))) {
            ip_packet(c, at, index, p + off + 2, n - off - 2);
            return;
        }
        break;
    }
    case 101: /* raw IP */
    case 228: /* raw IPv4 */
        ip_packet(c, at, index, p, n);
        return;
    case 113: /* Linux cooked */
        if (n >= 16 && is_ip_type(be16(p + 14))) {
            ip_packet(c, at, index, p + 16, n - 16);
            return;
        }
        break;
    case 276: /* Linux cooked v2 */
        if (n >= 20 && is_ip_type(be16(p))) {
            ip_packet(c, at, index, p + 20, n - 20);
            return;
        }
        break;
    case 0:   /* BSD loopback, host order */
    case 108: /* OpenBSD loopback, network order */
        if (n >= 4 && (is_bsd_af(p[0]) || is_bsd_af(p[3]))) {
            ip_packet(c, at, index, p + 4, n - 4);
            return;
        }
        break;
    default:
        break;
    }
    c->skipped++;
}

/* Where a malformed capture's error goes. */
struct where {
    GQuark domain;
    int code;
    GError **error;
};

static gboolean
bad(const struct where *w, const char *name, const char *what, uint32_t index)
{
    g_set_error(w->error, w->domain, w->code, "%s: %s (packet %u)", name, what, index);
    return FALSE;
}

static gboolean
read_pcap(struct capture *c, const uint8_t *b, size_t n, const struct where *w)
{
    if (n < 24) {
        return bad(w, c->name, "pcap header cut short", 0);
    }
    uint32_t magic = rd32(b, false);
    bool swap = magic == 0xd4c3b2a1u || magic == 0x4d3cb2a1u;
    bool nano = magic == 0xa1b23c4du || magic == 0x4d3cb2a1u;
    uint32_t linktype = rd32(b + 20, swap) & 0x0fffffffu;
    c->format = "pcap";
    size_t off = 24;
    uint32_t index = 0;
    while (off < n) {
        index++;
        if (n - off < 16) {
            return bad(w, c->name, "record header cut short", index);
        }
        uint32_t sec = rd32(b + off, swap);
        uint32_t frac = rd32(b + off + 4, swap);
        uint32_t caplen = rd32(b + off + 8, swap);
        if (caplen > n - off - 16 || caplen > 262144) {
            return bad(w, c->name, "record longer than the file or 256 KiB", index);
        }
        int64_t at = (int64_t)sec * 1000000000 + (nano ? frac : (int64_t)frac * 1000);
        frame(c, linktype, at, index, b + off + 16, caplen);
        off += 16 + caplen;
    }
    return TRUE;
}

/* pcapng: SHB, IDB and EPB blocks (others skipped); time stamp resolution from the
 * interface's if_tsresol option. */
static gboolean
read_pcapng(struct capture *c, const uint8_t *b, size_t n, const struct where *w)
{
    c->format = "pcapng";
    bool swap = false;
    GArray *ifs = g_array_new(FALSE, TRUE, sizeof(uint64_t)); /* linktype << 32 | tsdiv exp */
    size_t off = 0;
    uint32_t index = 0;
    gboolean ok = TRUE;
    while (ok && off + 12 <= n) {
        uint32_t type = rd32(b + off, swap);
        if (type == 0x0A0D0D0Au) {
            uint32_t bom = rd32(b + off + 8, false);
            swap = bom == 0x4D3C2B1Au;
            if (!swap && bom != 0x1A2B3C4Du) {
                ok = bad(w, c->name, "pcapng byte-order magic not understood", index);
                break;
            }
            g_array_set_size(ifs, 0);
        }
        uint32_t len = rd32(b + off + 4, swap);
        if (len < 12 || len % 4 != 0 || len > n - off) {
            ok = bad(w, c->name, "pcapng block length out of the file", index);
            break;
        }
        const uint8_t *body = b + off + 8;
        size_t blen = len - 12;
        if (type == 1 && blen >= 8) { /* interface description */
            uint64_t linktype = rd16(body, swap);
            uint64_t exp = 6; /* microseconds */
            size_t o = 8;
            while (o + 4 <= blen) {
                uint16_t code = rd16(body + o, swap);
                uint16_t olen = rd16(body + o + 2, swap);
                if (code == 0 || o + 4 + olen > blen) {
                    break;
                }
                if (code == 9 && olen >= 1 && (body[o + 4] & 0x80) == 0 && body[o + 4] <= 9) {
                    exp = body[o + 4];
                }
                o += 4 + ((olen + 3u) & ~3u);
            }
            uint64_t v = linktype << 32 | exp;
            g_array_append_val(ifs, v);
        } else if (type == 6 && blen >= 20) { /* enhanced packet */
            index++;
            uint32_t ifn = rd32(body, swap);
            uint64_t ts = (uint64_t)rd32(body + 4, swap) << 32 | rd32(body + 8, swap);
            uint32_t caplen = rd32(body + 12, swap);
            if (ifn >= ifs->len || caplen > blen - 20) {
                ok = bad(w, c->name, "packet of an unknown interface, or cut short", index);
                break;
            }
            uint64_t v = g_array_index(ifs, uint64_t, ifn);
            uint64_t exp = v & 0xffffffffu;
            int64_t at = 0;
            uint64_t scale = 1;
            for (uint64_t i = exp; i < 9; i++) {
                scale *= 10;
            }
            at = (int64_t)(ts * scale); /* ns */
            frame(c, (uint32_t)(v >> 32), at, index, body + 20, caplen);
        } else if (type == 3) {
            index++;
            c->skipped++; /* simple packet: no time stamp */
        }
        off += len;
    }
    g_array_free(ifs, TRUE);
    return ok;
}

bool
capture_is_binary(const void *data, size_t len)
{
    static const uint8_t magics[][4] = {
        {0xd4, 0xc3, 0xb2, 0xa1}, {0xa1, 0xb2, 0xc3, 0xd4}, /* pcap, microseconds */
        {0x4d, 0x3c, 0xb2, 0xa1}, {0xa1, 0xb2, 0x3c, 0x4d}, /* pcap, nanoseconds */
        {0x0a, 0x0d, 0x0d, 0x0a},                           /* pcapng */
    };
    for (size_t i = 0; len >= 4 && i < G_N_ELEMENTS(magics); i++) {
        if (memcmp(data, magics[i], 4) == 0) {
            return true;
        }
    }
    return false;
}

struct capture *
capture_new(const char *name)
{
    struct capture *c = g_new0(struct capture, 1);
    c->name = g_strdup(name);
    c->segs = g_array_new(FALSE, TRUE, sizeof(struct capseg));
    c->strings = g_string_chunk_new(4096);
    return c;
}

void
capture_free(struct capture *c)
{
    if (c == NULL) {
        return;
    }
    g_free(c->name);
    g_array_free(c->segs, TRUE);
    g_string_chunk_free(c->strings);
    g_free(c);
}

gboolean
capture_read_binary(struct capture *c, const uint8_t *b, size_t n, GQuark domain, int code,
                    GError **error)
{
    struct where w = {domain, code, error};
    uint32_t magic = n >= 4 ? rd32(b, false) : 0;
    if (magic == 0x0A0D0D0Au) {
        return read_pcapng(c, b, n, &w);
    }
    return read_pcap(c, b, n, &w);
}

/* An address and a port as tcpdump -n prints them. */
static void
put_addr(GString *s, const struct tcpsim_addr *a, uint16_t port)
{
    char ip[TCPSIM_ADDR_STRLEN];
    g_string_append_printf(s, "%s.%u", tcpsim_addr_format(a, ip), port);
}

char *
capture_to_text(const struct capture *c, size_t *out_len)
{
    static const struct {
        uint8_t bit;
        char letter;
    } order[] = {{0x02, 'S'}, {0x01, 'F'}, {0x08, 'P'}, {0x04, 'R'}, {0x20, 'U'},
                 {0x40, 'E'}, {0x80, 'W'}, {0x10, '.'}};
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < c->segs->len; i++) {
        const struct capseg *r = &g_array_index(c->segs, struct capseg, i);
        const struct dseg *d = &r->s;
        g_string_append_printf(s, "%" G_GINT64_FORMAT ".%09" G_GINT64_FORMAT " %s ",
                               r->at / 1000000000, r->at % 1000000000,
                               d->saddr.family == TCPSIM_AF_INET6 ? "IP6" : "IP");
        put_addr(s, &d->saddr, d->sport);
        g_string_append(s, " > ");
        put_addr(s, &d->daddr, d->dport);
        g_string_append(s, ": Flags [");
        bool any = false;
        for (size_t k = 0; k < G_N_ELEMENTS(order); k++) {
            if (d->flags & order[k].bit) {
                g_string_append_c(s, order[k].letter);
                any = true;
            }
        }
        g_string_append(s, any ? "]" : "none]");
        if (d->len > 0 || (d->flags & 0x07) != 0) {
            g_string_append_printf(s, ", seq %u", d->seq);
            if (d->len > 0) {
                g_string_append_printf(s, ":%u", d->seq + d->len);
            }
        }
        if (d->flags & DF_ACK) {
            g_string_append_printf(s, ", ack %u", d->ack);
        }
        g_string_append_printf(s, ", win %u", d->win);
        if (d->flags & DF_URG) {
            g_string_append_printf(s, ", urg %u", d->urg);
        }
        if (d->opts != NULL && *d->opts != '\0') {
            g_string_append_printf(s, ", options [%s]", d->opts);
        }
        g_string_append_printf(s, ", length %u\n", d->len);
    }
    *out_len = s->len;
    return g_string_free(s, FALSE);
}
