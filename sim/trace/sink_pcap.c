/* SPDX-License-Identifier: MIT */
/*
 * sink_pcap.c: segments written as a classic pcap file that tcpdump, Wireshark and
 * tshark read without complaint.
 *
 * Entry point: sink_pcap_add(). Each captured segment is encoded by tcp_seg_encode() (real
 * IPv4 and TCP headers, correct checksums, the payload bytes the sender wrote: the
 * scenario's text or the pattern), stamped with the simulated time (the epoch is time 0)
 * and written as one record. A packet damaged on the link is written as it arrived, with
 * its byte flipped, so a capture at the receiver shows the bad checksum the receiver saw.
 *
 * The file format (libpcap's classic one, or pcapng) is written in little-endian byte
 * order whatever the machine, so the same run gives the same bytes everywhere. The one
 * packet buffer is allocated with the sink; nothing is allocated per segment.
 *
 * pcapng (draft-ietf-opsawg-pcapng) adds what a classic capture cannot hold: the capture
 * point as the interface's name, the hosts' names (a Name Resolution Block: Wireshark
 * shows them with name resolution on), and on each packet a comment with the trace's
 * word for it ("A->B sent: retransmit: rto #2", "A->B delivered: duplicate") and the
 * direction seen from a host's interface (epb_flags inbound/outbound).
 */
#include "sink_pcap.h"

#include <string.h>

#include "fmt_tcpdump.h"
#include "outfile.h"
#include "strbuf.h"

#define PCAP_HDR_BYTES 24
#define PCAP_REC_BYTES 16

struct sink_pcap {
    struct outfile *out;
    enum pcap_point at;
    char *host;         /* PCAP_AT_HOST */
    uint8_t *pkt;       /* record header + one IPv4 packet */
    sim_time oversized; /* time of the first segment too large for IPv4; -1: none */
    bool ng;            /* pcapng rather than classic pcap */
};

/* pcapng block types and option codes. */
#define NG_SHB 0x0A0D0D0Au
#define NG_IDB 0x00000001u
#define NG_NRB 0x00000004u
#define NG_EPB 0x00000006u
#define NG_OPT_END 0
#define NG_OPT_COMMENT 1
#define NG_SHB_USERAPPL 4
#define NG_IF_NAME 2
#define NG_IF_TSRESOL 9
#define NG_EPB_FLAGS 2
#define NG_NRB_IPV4 1
#define NG_NRB_IPV6 2
#define NG_EPB_BYTES 28 /* type, length, interface, time high and low, two lengths */

static void
le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static void
le16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void
write_file_header(struct outfile *of)
{
    uint8_t h[PCAP_HDR_BYTES];
    le32(h, PCAP_MAGIC_NSEC);
    le16(h + 4, 2); /* version 2.4 */
    le16(h + 6, 4);
    le32(h + 8, 0);  /* thiszone: timestamps are UTC */
    le32(h + 12, 0); /* sigfigs */
    le32(h + 16, PCAP_SNAPLEN);
    le32(h + 20, PCAP_LINKTYPE_RAW);
    outfile_write(of, (const char *)h, sizeof h);
}

static bool same(const char *a, const char *b);

/* A pcapng option: code, length, value padded to 32 bits. */
static void
ng_opt(GString *b, uint16_t code, const void *val, size_t len)
{
    uint8_t h[4];
    le16(h, code);
    le16(h + 2, (uint16_t)len);
    g_string_append_len(b, (const char *)h, 4);
    g_string_append_len(b, val, (gssize)len);
    static const char pad[4] = {0};
    g_string_append_len(b, pad, (gssize)((4 - len % 4) % 4));
}

/* Wraps `body` as a block of `type` (type, total length, body, total length). */
static void
ng_block(struct outfile *of, uint32_t type, const GString *body)
{
    uint8_t h[8];
    uint32_t total = (uint32_t)body->len + 12;
    le32(h, type);
    le32(h + 4, total);
    outfile_write(of, (const char *)h, 8);
    outfile_write(of, body->str, body->len);
    outfile_write(of, (const char *)h + 4, 4);
}

static void
write_ng_header(struct sink_pcap *sp)
{
    GString *b = g_string_new(NULL);
    uint8_t h[16];
    le32(h, 0x1A2B3C4Du); /* byte-order magic */
    le16(h + 4, 1);       /* version 1.0 */
    le16(h + 6, 0);
    le32(h + 8, 0xFFFFFFFFu); /* section length: not given */
    le32(h + 12, 0xFFFFFFFFu);
    g_string_append_len(b, (const char *)h, 16);
    static const char appl[] = "tcpsim";
    ng_opt(b, NG_SHB_USERAPPL, appl, strlen(appl));
    ng_opt(b, NG_OPT_END, NULL, 0);
    ng_block(sp->out, NG_SHB, b);

    g_string_truncate(b, 0);
    le16(h, (uint16_t)PCAP_LINKTYPE_RAW);
    le16(h + 2, 0);
    le32(h + 4, PCAP_SNAPLEN);
    g_string_append_len(b, (const char *)h, 8);
    const char *name = sp->at == PCAP_AT_SENT ? "sent" : sp->at == PCAP_AT_DELIVERED ? "delivered"
                                                                                      : sp->host;
    ng_opt(b, NG_IF_NAME, name, strlen(name));
    uint8_t ns = 9; /* timestamps in 10^-9 s */
    ng_opt(b, NG_IF_TSRESOL, &ns, 1);
    ng_opt(b, NG_OPT_END, NULL, 0);
    ng_block(sp->out, NG_IDB, b);
    g_string_free(b, TRUE);
}

/* The hosts' names for their addresses (a Name Resolution Block). */
static void
pcap_begin(void *self, const struct trace_header *hdr)
{
    struct sink_pcap *sp = self;
    if (!sp->ng || hdr->nhosts == 0) {
        return;
    }
    GString *b = g_string_new(NULL);
    for (guint i = 0; i < 2 * hdr->nhosts; i++) {
        const struct tcpsim_addr *a = i < hdr->nhosts ? &hdr->host_addrs[i]
                                      : hdr->host_addrs2 != NULL
                                          ? &hdr->host_addrs2[i - hdr->nhosts]
                                          : NULL;
        if (a == NULL || ip_is_none(a)) {
            continue;
        }
        const char *name = hdr->host_names[i % hdr->nhosts];
        size_t n = strlen(name);
        size_t alen = ip_is6(a) ? 16 : 4;
        uint8_t rec[4];
        le16(rec, ip_is6(a) ? NG_NRB_IPV6 : NG_NRB_IPV4);
        le16(rec + 2, (uint16_t)(alen + n + 1));
        g_string_append_len(b, (const char *)rec, 4);
        g_string_append_len(b, (const char *)a->b, (gssize)alen); /* network order */
        g_string_append_len(b, name, (gssize)n + 1);
        static const char pad[4] = {0};
        g_string_append_len(b, pad, (gssize)((4 - (alen + n + 1) % 4) % 4));
    }
    g_string_append_len(b, "\0\0\0\0", 4); /* nrb_record_end */
    ng_block(sp->out, NG_NRB, b);
    g_string_free(b, TRUE);
}

/* The packet's comment: who, what, and the trace's reason ("A->B sent: retransmit: rto #2"). */
static size_t
ng_comment(const struct trace_event *ev, char *buf, size_t size)
{
    struct strbuf sb;
    sb_init(&sb, buf, size);
    sb_puts(&sb, ev->host);
    sb_puts(&sb, "->");
    sb_puts(&sb, ev->peer ? ev->peer : "?");
    sb_puts(&sb, ev->kind == TRACE_SEG_SENT ? " sent" : " delivered");
    const char *why = ev->kind == TRACE_SEG_SENT ? fmt_tx_cause_phrase(ev->seg->tx_cause)
                                                 : ev->reason;
    if (why != NULL) {
        sb_puts(&sb, ": ");
        sb_puts(&sb, why);
        if (ev->kind == TRACE_SEG_SENT && ev->seg->tx_count) {
            sb_puts(&sb, " #");
            sb_putu(&sb, ev->seg->tx_count);
        }
    }
    if (ev->kind == TRACE_SEG_DELIVERED && ev->a > 0) {
        sb_puts(&sb, why ? ", damaged" : ": damaged");
    }
    return sb.len;
}

static void
write_ng_packet(struct sink_pcap *sp, const struct trace_event *ev, size_t n)
{
    uint8_t *p = sp->pkt;
    sim_time at = ev->at < 0 ? 0 : ev->at;
    le32(p + 8, 0); /* interface 0 */
    le32(p + 12, (uint32_t)((uint64_t)at >> 32));
    le32(p + 16, (uint32_t)at);
    le32(p + 20, (uint32_t)n);
    le32(p + 24, (uint32_t)n);
    size_t len = NG_EPB_BYTES + n;
    while (len % 4) {
        p[len++] = 0;
    }
    GString *o = g_string_new(NULL);
    char comment[160];
    ng_opt(o, NG_OPT_COMMENT, comment, ng_comment(ev, comment, sizeof comment));
    if (sp->at == PCAP_AT_HOST) {
        uint8_t flags[4];
        le32(flags, ev->kind == TRACE_SEG_SENT && same(ev->host, sp->host) ? 2u : 1u);
        ng_opt(o, NG_EPB_FLAGS, flags, 4); /* bits 0-1: 1 inbound, 2 outbound */
    }
    ng_opt(o, NG_OPT_END, NULL, 0);
    uint32_t total = (uint32_t)(len + o->len + 4);
    le32(p, NG_EPB);
    le32(p + 4, total);
    outfile_write(sp->out, (const char *)p, len);
    outfile_write(sp->out, o->str, o->len);
    outfile_write(sp->out, (const char *)p + 4, 4);
    g_string_free(o, TRUE);
}

static bool
same(const char *a, const char *b)
{
    return a != NULL && b != NULL && strcmp(a, b) == 0;
}

/* Does the capture point see this event? A segment a host sends to itself (loopback) is
 * seen once on that host, when it is sent. */
static bool
captured(const struct sink_pcap *sp, const struct trace_event *ev)
{
    switch (sp->at) {
    case PCAP_AT_SENT:
        return ev->kind == TRACE_SEG_SENT;
    case PCAP_AT_DELIVERED:
        return ev->kind == TRACE_SEG_DELIVERED;
    case PCAP_AT_HOST:
        if (ev->kind == TRACE_SEG_SENT) {
            return same(ev->host, sp->host);
        }
        return ev->kind == TRACE_SEG_DELIVERED && same(ev->peer, sp->host) &&
               !same(ev->host, sp->host);
    }
    return false;
}

static void
pcap_event(void *self, const struct trace_event *ev)
{
    struct sink_pcap *sp = self;
    if (!captured(sp, ev)) {
        return;
    }
    uint8_t *ip = sp->pkt + (sp->ng ? NG_EPB_BYTES : PCAP_REC_BYTES);
    size_t n = tcp_seg_encode(ev->seg, ip, IPV4_MAX_PACKET);
    if (n == 0) {
        if (sp->oversized < 0) {
            sp->oversized = ev->at;
        }
        return;
    }
    if (ev->kind == TRACE_SEG_DELIVERED && ev->a > 0 && (size_t)(ev->a - 1) < n) {
        ip[ev->a - 1] ^= (uint8_t)ev->b;
    }
    if (sp->ng) {
        write_ng_packet(sp, ev, n);
        return;
    }
    sim_time at = ev->at < 0 ? 0 : ev->at;
    le32(sp->pkt, (uint32_t)(at / 1000000000));
    le32(sp->pkt + 4, (uint32_t)(at % 1000000000));
    le32(sp->pkt + 8, (uint32_t)n);
    le32(sp->pkt + 12, (uint32_t)n);
    outfile_write(sp->out, (const char *)sp->pkt, PCAP_REC_BYTES + n);
}

static gboolean
pcap_end(void *self, GError **error)
{
    struct sink_pcap *sp = self;
    struct outfile *of = sp->out;
    sp->out = NULL;
    if (sp->oversized >= 0) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                    "pcap: a segment at %" G_GINT64_FORMAT " ns is larger than an IPv4 packet",
                    sp->oversized);
        outfile_discard(of);
        return FALSE;
    }
    return outfile_commit(of, error);
}

static void
pcap_free(void *self)
{
    struct sink_pcap *sp = self;
    outfile_discard(sp->out);
    g_free(sp->host);
    g_free(sp->pkt);
    g_free(sp);
}

static const struct trace_sink_ops pcap_ops = {
    .name = "pcap",
    .begin = pcap_begin,
    .event = pcap_event,
    .end = pcap_end,
    .free = pcap_free,
};

gboolean
sink_pcap_add(struct trace *t, const char *path, enum pcap_point at, const char *host,
              GError **error)
{
    return sink_pcap_add_format(t, path, at, host, false, error);
}

gboolean
sink_pcap_add_format(struct trace *t, const char *path, enum pcap_point at, const char *host,
                     bool pcapng, GError **error)
{
    struct outfile *of = outfile_open(&t->outputs, path, error);
    if (of == NULL) {
        return FALSE;
    }
    struct sink_pcap *sp = g_new0(struct sink_pcap, 1);
    sp->out = of;
    sp->at = at;
    sp->host = g_strdup(host);
    sp->pkt = g_malloc(NG_EPB_BYTES + IPV4_MAX_PACKET + 4);
    sp->oversized = -1;
    sp->ng = pcapng;
    if (pcapng) {
        write_ng_header(sp);
    } else {
        write_file_header(of);
    }
    trace_add_sink(t, &pcap_ops, sp, TRACE_MASK(TRACE_SEG_SENT) | TRACE_MASK(TRACE_SEG_DELIVERED));
    return TRUE;
}
