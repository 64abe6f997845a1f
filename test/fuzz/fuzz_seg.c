/* SPDX-License-Identifier: MIT */
/*
 * fuzz_seg.c: the IPv4+TCP decoder on arbitrary bytes.
 *
 * Property: decoding never reads outside the buffer; a packet that decodes encodes again,
 * and the encoding decodes to the same segment (header fields, options in wire order,
 * payload). The re-encoding need not equal the input byte for byte: IP options, TTL,
 * identification and option padding are not kept in the parsed form.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../sim/wire/seg.h"
#include "fuzz.h"

static void
fail(const char *what)
{
    fprintf(stderr, "fuzz_seg: %s\n", what);
    abort();
}

static void
same_opts(const struct tcp_opts *a, const struct tcp_opts *b)
{
    if (a->n != b->n || memcmp(a->kind, b->kind, a->n) != 0) {
        fail("options differ in kind or order after a round trip");
    }
    for (unsigned i = 0; i < a->n; i++) {
        switch (a->kind[i]) {
        case TCPOPT_MSS:
            if (a->mss != b->mss) {
                fail("MSS differs after a round trip");
            }
            break;
        case TCPOPT_WSCALE:
            if (a->wscale != b->wscale) {
                fail("window scale differs after a round trip");
            }
            break;
        case TCPOPT_TS:
            if (a->ts_val != b->ts_val || a->ts_ecr != b->ts_ecr) {
                fail("timestamps differ after a round trip");
            }
            break;
        case TCPOPT_SACK:
            if (a->nsack != b->nsack ||
                memcmp(a->sack, b->sack, a->nsack * sizeof a->sack[0]) != 0) {
                fail("SACK blocks differ after a round trip");
            }
            break;
        default:
            break;
        }
    }
}

/* Writes correct IPv4 and TCP checksums into a packet whose lengths make sense, so the
 * fuzzer's mutations reach the option parser instead of stopping at the checksums. */
static void
fix_checksums(uint8_t *p, size_t size)
{
    if (size < IPV4_HDR_LEN) {
        return;
    }
    size_t ihl = (size_t)(p[0] & 0x0F) * 4;
    size_t total = (size_t)p[2] << 8 | p[3];
    if (ihl < IPV4_HDR_LEN || total > size || total < ihl + 20) {
        return;
    }
    p[10] = p[11] = 0;
    uint16_t ipsum = (uint16_t)~tcp_csum_fold(tcp_csum_add(0, p, ihl));
    p[10] = (uint8_t)(ipsum >> 8);
    p[11] = (uint8_t)ipsum;
    uint8_t *th = p + ihl;
    size_t tcp_len = total - ihl;
    uint8_t pseudo[12] = {0};
    memcpy(pseudo, p + 12, 8);
    pseudo[9] = 6;
    pseudo[10] = (uint8_t)(tcp_len >> 8);
    pseudo[11] = (uint8_t)tcp_len;
    th[16] = th[17] = 0;
    uint16_t sum = (uint16_t)~tcp_csum_fold(tcp_csum_add(tcp_csum_add(0, pseudo, 12), th, tcp_len));
    th[16] = (uint8_t)(sum >> 8);
    th[17] = (uint8_t)sum;
}

static void round_trip(const uint8_t *in, size_t size);

int
fuzz_seg(const uint8_t *data, size_t size)
{
    /* A copy of exactly `size` bytes, so ASan sees any read past the packet: first as
     * it came (checksums judged), then with its checksums made right. */
    uint8_t *in = malloc(size ? size : 1);
    memcpy(in, data, size);
    round_trip(in, size);
    fix_checksums(in, size);
    round_trip(in, size);
    free(in);
    return 0;
}

static void
round_trip(const uint8_t *in, size_t size)
{
    struct tcp_seg a;
    if (tcp_seg_decode(in, size, &a) != TCP_DECODE_OK) {
        return;
    }
    size_t want = tcp_seg_wire_len(&a);
    uint8_t *out = malloc(want);
    size_t n = tcp_seg_encode(&a, out, want);
    if (n != want) {
        fail("a decoded segment does not encode");
    }
    struct tcp_seg b;
    enum tcp_decode_status st = tcp_seg_decode(out, n, &b);
    if (st != TCP_DECODE_OK) {
        fprintf(stderr, "fuzz_seg: re-encoded packet does not decode: %s\n",
                tcp_decode_status_name(st));
        abort();
    }
    if (!ip_eq(&a.saddr, &b.saddr) || !ip_eq(&a.daddr, &b.daddr) || a.sport != b.sport || a.dport != b.dport ||
        a.seq != b.seq || a.ack != b.ack || a.flags != b.flags || a.win != b.win ||
        a.urp != b.urp || a.len != b.len) {
        fail("header fields differ after a round trip");
    }
    same_opts(&a.opt, &b.opt);
    if (a.len && memcmp(a.data, b.data, a.len) != 0) {
        fail("payload differs after a round trip");
    }
    free(out);
}
