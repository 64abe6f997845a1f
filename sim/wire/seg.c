/* SPDX-License-Identifier: MIT */
/*
 * seg.c: IPv4/IPv6 + TCP wire encoding and decoding (RFC 791 §3.1, RFC 8200 §3, §8.1,
 * RFC 9293 §3.1, §3.2).
 *
 * Entry points: tcp_seg_encode(), tcp_seg_decode(). The only place in tcpsim that handles
 * header bytes. The decoder is fed corrupted and hostile bytes, so every length is checked
 * before it is used and nothing is trusted that the checksum has not vouched for.
 */
#include "seg.h"

#include <string.h>

#define IPPROTO_TCP_NUM 6
#define IP_TTL_DEFAULT 64
#define IP_FLAG_DF 0x4000
#define TCP_HDR_LEN 20

static const char *const decode_names[] = {
    [TCP_DECODE_OK] = "ok",
    [TCP_DECODE_TRUNCATED] = "truncated packet",
    [TCP_DECODE_NOT_IPV4] = "not IPv4 or IPv6",
    [TCP_DECODE_BAD_IHL] = "bad IPv4 header length",
    [TCP_DECODE_BAD_TOTAL_LEN] = "bad IPv4 total length",
    [TCP_DECODE_FRAGMENT] = "IPv4 fragment",
    [TCP_DECODE_NOT_TCP] = "not TCP",
    [TCP_DECODE_BAD_IP_CHECKSUM] = "bad IPv4 header checksum",
    [TCP_DECODE_BAD_DATA_OFFSET] = "bad TCP data offset",
    [TCP_DECODE_BAD_OPTION] = "malformed TCP option",
    [TCP_DECODE_BAD_CHECKSUM] = "bad TCP checksum",
    [TCP_DECODE_BAD_PAYLOAD_LEN] = "bad IPv6 payload length",
};

const char *
tcp_decode_status_name(enum tcp_decode_status st)
{
    if ((unsigned)st < sizeof decode_names / sizeof decode_names[0]) {
        return decode_names[st];
    }
    return "unknown";
}

bool
tcp_opts_push(struct tcp_opts *o, enum tcp_opt_kind k)
{
    if (o->n >= TCP_OPT_SLOTS) {
        return false;
    }
    o->kind[o->n] = (uint8_t)k;
    o->unknown_len[o->n] = 0;
    o->n++;
    return true;
}

static unsigned
opt_len(const struct tcp_opts *o, unsigned i)
{
    switch (o->kind[i]) {
    case TCPOPT_EOL:
    case TCPOPT_NOP:
        return 1;
    case TCPOPT_MSS:
        return 4;
    case TCPOPT_WSCALE:
        return 3;
    case TCPOPT_SACK_PERM:
        return 2;
    case TCPOPT_SACK:
        return 2u + 8u * o->nsack;
    case TCPOPT_TS:
        return 10;
    default:
        return o->unknown_len[i] >= 2 ? o->unknown_len[i] : 2;
    }
}

unsigned
tcp_opts_wire_len(const struct tcp_opts *o)
{
    unsigned n = 0;
    for (unsigned i = 0; i < o->n; i++) {
        n += opt_len(o, i);
    }
    return (n + 3u) & ~3u;
}

size_t
tcp_seg_wire_len(const struct tcp_seg *seg)
{
    return ip_hdr_len(&seg->saddr) + TCP_HDR_LEN + tcp_opts_wire_len(&seg->opt) + seg->len;
}

/* RFC 1071 §4.1: the one's complement sum of 16-bit big-endian words. Big-endian 32-bit
 * words summed into 64 bits give the same sum once folded (2^16 is 1 modulo 0xFFFF), and
 * a full segment then costs a few hundred additions, not 730. */
uint32_t
tcp_csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
    /* RFC 1071 §2(A, B): the one's complement sum is the same in any byte order and over
     * any word size that is a multiple of 16 bits: add the data as native 64-bit words
     * with end-around carry (an odd tail padded with zeros, as the 16-bit sum pads it),
     * fold to 16 bits, and swap into network order on a little-endian host. A pcap of a
     * bulk run spent a fifth of its time here a byte at a time. */
    uint64_t acc = 0;
    uint64_t w;
    while (len >= 8) {
        memcpy(&w, p, 8);
        acc += w;
        acc += acc < w; /* end-around carry */
        p += 8;
        len -= 8;
    }
    if (len > 0) {
        uint8_t tail[8] = {0};
        memcpy(tail, p, len);
        memcpy(&w, tail, 8);
        acc += w;
        acc += acc < w;
    }
    acc = (acc & 0xFFFFFFFFu) + (acc >> 32);
    acc = (acc & 0xFFFFFFFFu) + (acc >> 32);
    acc = (acc & 0xFFFFu) + (acc >> 16);
    acc = (acc & 0xFFFFu) + (acc >> 16);
    acc = (acc & 0xFFFFu) + (acc >> 16);
    uint16_t s16 = (uint16_t)acc;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    s16 = (uint16_t)(s16 << 8 | s16 >> 8);
#endif
    uint64_t r = (uint64_t)sum + s16;
    return (uint32_t)((r & 0xFFFFFFFFu) + (r >> 32));
}

uint16_t
tcp_csum_fold(uint32_t sum)
{
    while (sum >> 16) {
        sum = (sum & 0xFFFFu) + (sum >> 16);
    }
    return (uint16_t)sum;
}

static inline void
put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static inline void
put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static inline uint16_t
get16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t
get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint8_t *
encode_opts(const struct tcp_opts *o, uint8_t *p)
{
    for (unsigned i = 0; i < o->n; i++) {
        uint8_t k = o->kind[i];
        unsigned len = opt_len(o, i);
        p[0] = k;
        if (len > 1) {
            p[1] = (uint8_t)len;
        }
        switch (k) {
        case TCPOPT_MSS:
            put16(p + 2, o->mss);
            break;
        case TCPOPT_WSCALE:
            p[2] = o->wscale;
            break;
        case TCPOPT_SACK:
            for (unsigned b = 0; b < o->nsack; b++) {
                put32(p + 2 + 8 * b, o->sack[b].start);
                put32(p + 6 + 8 * b, o->sack[b].end);
            }
            break;
        case TCPOPT_TS:
            put32(p + 2, o->ts_val);
            put32(p + 6, o->ts_ecr);
            break;
        default:
            if (len > 2) {
                memset(p + 2, 0, len - 2);
            }
            break;
        }
        p += len;
    }
    return p;
}

static void
encode_payload(const struct tcp_seg *seg, uint8_t *p)
{
    if (seg->data) {
        memcpy(p, seg->data, seg->len);
        return;
    }
    /* The pattern repeats every 26 bytes: copy it in runs instead of a division a byte. */
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz";
    uint64_t off = seg->data_off == TCP_DATA_OFF_NONE ? 0 : seg->data_off;
    uint32_t start = (uint32_t)(off % 26);
    uint32_t done = seg->len < 26 ? seg->len : 26;
    memcpy(p, alphabet + start, done);
    /* What is written repeats every 26 bytes: copy it onto its own end, doubling. */
    while (done < seg->len) {
        uint32_t n = seg->len - done < done ? seg->len - done : done;
        memcpy(p + done, p, n);
        done += n;
    }
}

/* The checksum's pseudo-header: RFC 9293 §3.1 for IPv4 (12 bytes), RFC 8200 §8.1 for
 * IPv6 (40 bytes: both addresses, the upper-layer length as 32 bits, three zero bytes and
 * the next header). Returns its length. */
static size_t
pseudo_header(const struct tcp_seg *seg, uint32_t tcp_len, uint8_t *p)
{
    if (ip_is6(&seg->saddr)) {
        memcpy(p, seg->saddr.b, 16);
        memcpy(p + 16, seg->daddr.b, 16);
        put32(p + 32, tcp_len);
        p[36] = p[37] = p[38] = 0;
        p[39] = IPPROTO_TCP_NUM;
        return 40;
    }
    memcpy(p, seg->saddr.b, 4);
    memcpy(p + 4, seg->daddr.b, 4);
    p[8] = 0;
    p[9] = IPPROTO_TCP_NUM;
    put16(p + 10, (uint16_t)tcp_len);
    return 12;
}

size_t
tcp_seg_encode(const struct tcp_seg *seg, uint8_t *buf, size_t cap)
{
    size_t total = tcp_seg_wire_len(seg);
    unsigned iphl = ip_hdr_len(&seg->saddr);
    if (total > cap || total > 0xFFFF + (iphl == IPV6_HDR_LEN ? IPV6_HDR_LEN : 0)) {
        return 0;
    }
    unsigned optlen = tcp_opts_wire_len(&seg->opt);
    unsigned thl = TCP_HDR_LEN + optlen;

    uint8_t *ip = buf;
    memset(ip, 0, iphl);
    if (iphl == IPV6_HDR_LEN) {
        /* RFC 8200 §3: version 6, traffic class and flow label 0, hop limit 64. */
        ip[0] = 0x60;
        put16(ip + 4, (uint16_t)(total - IPV6_HDR_LEN));
        ip[6] = IPPROTO_TCP_NUM;
        ip[7] = IP_TTL_DEFAULT;
        memcpy(ip + 8, seg->saddr.b, 16);
        memcpy(ip + 24, seg->daddr.b, 16);
    } else {
        /* RFC 791 §3.1: version 4, IHL 5, no options, DF set, TTL 64. */
        ip[0] = 0x45;
        put16(ip + 2, (uint16_t)total);
        put16(ip + 6, IP_FLAG_DF);
        ip[8] = IP_TTL_DEFAULT;
        ip[9] = IPPROTO_TCP_NUM;
        memcpy(ip + 12, seg->saddr.b, 4);
        memcpy(ip + 16, seg->daddr.b, 4);
        put16(ip + 10, (uint16_t)~tcp_csum_fold(tcp_csum_add(0, ip, IPV4_HDR_LEN)));
    }

    /* RFC 9293 §3.1 header. */
    uint8_t *th = buf + iphl;
    memset(th, 0, thl);
    put16(th, seg->sport);
    put16(th + 2, seg->dport);
    put32(th + 4, seg->seq);
    put32(th + 8, seg->ack);
    th[12] = (uint8_t)((thl / 4) << 4);
    th[13] = (uint8_t)seg->flags;
    put16(th + 14, seg->win);
    put16(th + 18, seg->urp);
    encode_opts(&seg->opt, th + TCP_HDR_LEN);
    encode_payload(seg, th + thl);

    /* The checksum covers a pseudo-header, the header and the data. */
    uint32_t tcp_len = thl + seg->len;
    uint8_t pseudo[40];
    uint32_t sum = tcp_csum_add(0, pseudo, pseudo_header(seg, tcp_len, pseudo));
    sum = tcp_csum_add(sum, th, tcp_len);
    put16(th + 16, (uint16_t)~tcp_csum_fold(sum));
    return total;
}

/* Parses one option at p (len bytes left). Returns its length, 0 on malformed input. */
static unsigned
decode_opt(const uint8_t *p, unsigned left, struct tcp_opts *o)
{
    uint8_t kind = p[0];
    if (kind == TCPOPT_EOL || kind == TCPOPT_NOP) {
        tcp_opts_push(o, kind);
        return 1;
    }
    if (left < 2 || p[1] < 2 || p[1] > left) {
        return 0;
    }
    unsigned len = p[1];
    if (kind != TCPOPT_EOL && kind != TCPOPT_NOP && kind <= TCPOPT_TS && tcp_opts_has(o, kind)) {
        /* The parsed form holds one value of each known option; a second would be
         * printed and re-encoded with the first one's length and the last one's value
         * (two SACK options re-encoded past the 60-byte header: fuzz_seg found it). */
        return 0;
    }
    switch (kind) {
    case TCPOPT_MSS:
        if (len != 4) {
            return 0;
        }
        o->mss = get16(p + 2);
        break;
    case TCPOPT_WSCALE:
        if (len != 3) {
            return 0;
        }
        o->wscale = p[2];
        break;
    case TCPOPT_SACK_PERM:
        if (len != 2) {
            return 0;
        }
        break;
    case TCPOPT_SACK:
        if (len < 10 || (len - 2) % 8 != 0 || (len - 2) / 8 > TCP_SACK_MAX) {
            return 0;
        }
        o->nsack = (uint8_t)((len - 2) / 8);
        for (unsigned b = 0; b < o->nsack; b++) {
            o->sack[b].start = get32(p + 2 + 8 * b);
            o->sack[b].end = get32(p + 6 + 8 * b);
        }
        break;
    case TCPOPT_TS:
        if (len != 10) {
            return 0;
        }
        o->ts_val = get32(p + 2);
        o->ts_ecr = get32(p + 6);
        break;
    default:
        break;
    }
    if (!tcp_opts_push(o, kind)) {
        return 0;
    }
    o->unknown_len[o->n - 1] = (uint8_t)len;
    return len;
}

static enum tcp_decode_status
decode_ip4(const uint8_t *buf, size_t len, size_t *ihl, size_t *total)
{
    if (len < IPV4_HDR_LEN) {
        return TCP_DECODE_TRUNCATED;
    }
    *ihl = (size_t)(buf[0] & 0x0F) * 4;
    if (*ihl < IPV4_HDR_LEN || *ihl > len) {
        return TCP_DECODE_BAD_IHL;
    }
    *total = get16(buf + 2);
    if (*total < *ihl + TCP_HDR_LEN || *total > len) {
        return TCP_DECODE_BAD_TOTAL_LEN;
    }
    if ((get16(buf + 6) & 0x3FFF) != 0) {
        return TCP_DECODE_FRAGMENT; /* MF set or a fragment offset */
    }
    if (buf[9] != IPPROTO_TCP_NUM) {
        return TCP_DECODE_NOT_TCP;
    }
    if (tcp_csum_fold(tcp_csum_add(0, buf, *ihl)) != 0xFFFF) {
        return TCP_DECODE_BAD_IP_CHECKSUM;
    }
    return TCP_DECODE_OK;
}

/* RFC 8200 §3: the fixed header only. A packet with extension headers (a fragment header
 * among them) is not one tcpsim sends, and is read as not TCP. */
static enum tcp_decode_status
decode_ip6(const uint8_t *buf, size_t len, size_t *ihl, size_t *total)
{
    if (len < IPV6_HDR_LEN) {
        return TCP_DECODE_TRUNCATED;
    }
    *ihl = IPV6_HDR_LEN;
    *total = IPV6_HDR_LEN + (size_t)get16(buf + 4);
    if (*total < IPV6_HDR_LEN + TCP_HDR_LEN || *total > len) {
        return TCP_DECODE_BAD_PAYLOAD_LEN;
    }
    if (buf[6] == 44) {
        return TCP_DECODE_FRAGMENT;
    }
    if (buf[6] != IPPROTO_TCP_NUM) {
        return TCP_DECODE_NOT_TCP;
    }
    return TCP_DECODE_OK;
}

enum tcp_decode_status
tcp_seg_decode(const uint8_t *buf, size_t len, struct tcp_seg *out)
{
    size_t ihl = 0;
    size_t total = 0;
    if (len < 1) {
        return TCP_DECODE_TRUNCATED;
    }
    unsigned version = buf[0] >> 4;
    enum tcp_decode_status st = version == 4   ? decode_ip4(buf, len, &ihl, &total)
                                : version == 6 ? decode_ip6(buf, len, &ihl, &total)
                                               : TCP_DECODE_NOT_IPV4;
    if (st != TCP_DECODE_OK) {
        return st;
    }
    const uint8_t *th = buf + ihl;
    size_t tcp_len = total - ihl;
    unsigned thl = (unsigned)(th[12] >> 4) * 4;
    if (thl < TCP_HDR_LEN || thl > tcp_len) {
        return TCP_DECODE_BAD_DATA_OFFSET;
    }

    *out = (struct tcp_seg){0};
    if (version == 6) {
        out->saddr.family = out->daddr.family = TCPSIM_AF_INET6;
        memcpy(out->saddr.b, buf + 8, 16);
        memcpy(out->daddr.b, buf + 24, 16);
    } else {
        out->saddr.family = out->daddr.family = TCPSIM_AF_INET;
        memcpy(out->saddr.b, buf + 12, 4);
        memcpy(out->daddr.b, buf + 16, 4);
    }
    uint8_t pseudo[40];
    size_t plen = pseudo_header(out, (uint32_t)tcp_len, pseudo);
    uint32_t sum = tcp_csum_add(tcp_csum_add(0, pseudo, plen), th, tcp_len);
    if (tcp_csum_fold(sum) != 0xFFFF) {
        *out = (struct tcp_seg){0};
        return TCP_DECODE_BAD_CHECKSUM;
    }

    out->sport = get16(th);
    out->dport = get16(th + 2);
    out->seq = get32(th + 4);
    out->ack = get32(th + 8);
    out->flags = th[13];
    out->win = get16(th + 14);
    out->urp = get16(th + 18);
    for (unsigned off = TCP_HDR_LEN; off < thl;) {
        unsigned n = decode_opt(th + off, thl - off, &out->opt);
        if (n == 0) {
            return TCP_DECODE_BAD_OPTION;
        }
        if (th[off] == TCPOPT_EOL) {
            break; /* RFC 9293 §3.2: the rest of the option space is padding */
        }
        off += n;
    }
    out->len = (uint32_t)(tcp_len - thl);
    out->data = out->len ? th + thl : NULL;
    out->data_off = TCP_DATA_OFF_NONE;
    return TCP_DECODE_OK;
}
