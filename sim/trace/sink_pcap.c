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
 * The file format (libpcap's, "classic" rather than pcapng) is written in little-endian
 * byte order whatever the machine, so the same run gives the same bytes everywhere. The
 * one packet buffer is allocated with the sink; nothing is allocated per segment.
 */
#include "sink_pcap.h"

#include <string.h>

#include "outfile.h"

#define PCAP_HDR_BYTES 24
#define PCAP_REC_BYTES 16

struct sink_pcap {
    struct outfile *out;
    enum pcap_point at;
    char *host;         /* PCAP_AT_HOST */
    uint8_t *pkt;       /* record header + one IPv4 packet */
    sim_time oversized; /* time of the first segment too large for IPv4; -1: none */
};

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
    uint8_t *ip = sp->pkt + PCAP_REC_BYTES;
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
    .event = pcap_event,
    .end = pcap_end,
    .free = pcap_free,
};

gboolean
sink_pcap_add(struct trace *t, const char *path, enum pcap_point at, const char *host,
              GError **error)
{
    struct outfile *of = outfile_open(path, error);
    if (of == NULL) {
        return FALSE;
    }
    struct sink_pcap *sp = g_new0(struct sink_pcap, 1);
    sp->out = of;
    sp->at = at;
    sp->host = g_strdup(host);
    sp->pkt = g_malloc(PCAP_REC_BYTES + IPV4_MAX_PACKET);
    sp->oversized = -1;
    write_file_header(of);
    trace_add_sink(t, &pcap_ops, sp, TRACE_MASK(TRACE_SEG_SENT) | TRACE_MASK(TRACE_SEG_DELIVERED));
    return TRUE;
}
