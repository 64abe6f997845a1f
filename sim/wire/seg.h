/* SPDX-License-Identifier: MIT */
/*
 * seg.h: a TCP segment in parsed, host-order form, and its IPv4/IPv6+TCP wire codec.
 *
 * The TCP core, the link and the trace all speak `struct tcp_seg`; bytes exist only in
 * seg.c (for pcap, corruption and the decoder). Options keep their wire order, NOPs
 * included, so a trace prints them exactly as tcpdump prints the real packet.
 *
 * Payload is not copied: a segment carries its length and the sender's stream offset of
 * its first byte. Bytes a scenario wrote as text, forged payloads and decoded payloads are
 * carried through `data`; everything else is the pattern tcp_payload_byte(offset).
 */
#ifndef TCPSIM_WIRE_SEG_H
#define TCPSIM_WIRE_SEG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "seq.h"

/* Control bits, RFC 9293 §3.1 (with ECE and CWR from RFC 3168). */
enum {
    TCP_FIN = 0x01,
    TCP_SYN = 0x02,
    TCP_RST = 0x04,
    TCP_PSH = 0x08,
    TCP_ACK = 0x10,
    TCP_URG = 0x20,
    TCP_ECE = 0x40,
    TCP_CWR = 0x80,
};

/* Option kinds, RFC 9293 §3.2, RFC 7323, RFC 2018. */
enum tcp_opt_kind {
    TCPOPT_EOL = 0,
    TCPOPT_NOP = 1,
    TCPOPT_MSS = 2,
    TCPOPT_WSCALE = 3,
    TCPOPT_SACK_PERM = 4,
    TCPOPT_SACK = 5,
    TCPOPT_TS = 8,
};

#define TCP_OPT_SLOTS 40 /* the option space is 40 bytes: at most 40 one-byte options */
#define TCP_SACK_MAX 4
#define TCP_DATA_OFF_NONE UINT64_MAX /* payload not from a tcpsim sender's stream */
#define TCP_MAX_HDR 60
#define IPV4_MAX_PACKET 65535

struct tcp_sack_block {
    tcp_seq start;
    tcp_seq end;
};

struct tcp_opts {
    uint8_t n;                       /* entries in kind[] */
    uint8_t kind[TCP_OPT_SLOTS];     /* wire order, NOP and EOL included */
    uint8_t unknown_len[TCP_OPT_SLOTS]; /* total length of an unknown option kind */
    uint16_t mss;
    uint8_t wscale;
    uint8_t nsack;
    struct tcp_sack_block sack[TCP_SACK_MAX];
    uint32_t ts_val;
    uint32_t ts_ecr;
};

/* Why a segment was emitted: trace annotation, not on the wire. */
enum tcp_tx_cause {
    TCP_TX_NEW = 0,      /* first transmission, or a control segment */
    TCP_TX_RTO,          /* retransmission timeout (backoff in tx_count) */
    TCP_TX_FAST,         /* fast retransmit, three duplicate ACKs (RFC 5681 §3.2) */
    TCP_TX_RECOVERY,     /* retransmission during loss recovery (NewReno / SACK) */
    TCP_TX_PROBE,        /* zero-window probe (RFC 9293 §3.8.6.1) */
    TCP_TX_KEEPALIVE,    /* keep-alive probe (RFC 1122 §4.2.3.6) */
    TCP_TX_SYN_ANSWER,   /* SYN-ACK resent because the SYN was retransmitted */
    TCP_TX_TLP,          /* tail loss probe: the last segment again (RFC 8985 §7.3) */
    TCP_TX_TLP_NEW,      /* tail loss probe carrying new data (RFC 8985 §7.3) */
    TCP_TX_RACK,         /* retransmission of a segment RACK marked lost (RFC 8985 §6) */
    TCP_TX_FORGED,       /* injected by the scenario, not by a TCP */
    TCP_TX_SYNCOOKIE,    /* a SYN-ACK whose ISN is a SYN cookie (RFC 4987 §3.6) */
    TCP_TX_NCAUSES
};

/* Whether a segment sent for `cause` resends sequence space already sent: what the
 * retransmission counters count and Karn's rule (RFC 6298 §3) never times. A loss
 * probe of new data, a window probe and a keep-alive are not. */
static inline bool
tcp_tx_cause_resends(uint8_t cause)
{
    switch ((enum tcp_tx_cause)cause) {
    case TCP_TX_RTO:
    case TCP_TX_FAST:
    case TCP_TX_RECOVERY:
    case TCP_TX_SYN_ANSWER:
    case TCP_TX_TLP:
    case TCP_TX_RACK:
        return true;
    case TCP_TX_NEW:
    case TCP_TX_TLP_NEW:
    case TCP_TX_PROBE:
    case TCP_TX_KEEPALIVE:
    case TCP_TX_FORGED:
    case TCP_TX_SYNCOOKIE:
    case TCP_TX_NCAUSES:
        break;
    }
    return false;
}

struct tcp_seg {
    struct tcpsim_addr saddr; /* both of one family */
    struct tcpsim_addr daddr;
    uint16_t sport;
    uint16_t dport;
    tcp_seq seq;
    tcp_seq ack;
    uint16_t flags;
    uint16_t win; /* the raw 16-bit field; scaling is the receiver's business */
    uint16_t urp;
    struct tcp_opts opt;
    uint32_t len;          /* payload length */
    uint64_t data_off;     /* sender's stream offset of the first payload byte */
    const uint8_t *data;   /* NULL: the pattern at data_off; else `len` bytes */
    uint64_t stream;       /* ground truth, not on the wire: the sending connection (0: none) */
    uint8_t tx_cause;      /* enum tcp_tx_cause */
    uint8_t tx_count;      /* retransmission number (1 = first retransmission) */
};

/* The byte a tcpsim sender puts at stream offset `off` when the application wrote a
 * size rather than text: lower-case letters, so payloads read well in Wireshark. */
static inline uint8_t
tcp_payload_byte(uint64_t off)
{
    return (uint8_t)('a' + off % 26);
}

static inline bool
seg_has(const struct tcp_seg *s, uint16_t flag)
{
    return (s->flags & flag) != 0;
}

/* Sequence space the segment occupies: payload plus one for SYN and one for FIN. */
static inline uint32_t
seg_seq_len(const struct tcp_seg *s)
{
    return s->len + (seg_has(s, TCP_SYN) ? 1u : 0u) + (seg_has(s, TCP_FIN) ? 1u : 0u);
}

static inline bool
tcp_opts_has(const struct tcp_opts *o, enum tcp_opt_kind k)
{
    for (uint8_t i = 0; i < o->n; i++) {
        if (o->kind[i] == k) {
            return true;
        }
    }
    return false;
}

/* Appends an option kind in wire order; returns false when the option space is full. */
bool tcp_opts_push(struct tcp_opts *o, enum tcp_opt_kind k);
/* Bytes the options take on the wire, padded to a multiple of four. */
unsigned tcp_opts_wire_len(const struct tcp_opts *o);

/* Reasons the decoder rejects bytes (a corrupted or malformed packet). */
enum tcp_decode_status {
    TCP_DECODE_OK = 0,
    TCP_DECODE_TRUNCATED,
    TCP_DECODE_NOT_IPV4,
    TCP_DECODE_BAD_IHL,
    TCP_DECODE_BAD_TOTAL_LEN,
    TCP_DECODE_FRAGMENT,
    TCP_DECODE_NOT_TCP,
    TCP_DECODE_BAD_IP_CHECKSUM,
    TCP_DECODE_BAD_DATA_OFFSET,
    TCP_DECODE_BAD_OPTION,
    TCP_DECODE_BAD_CHECKSUM,
    TCP_DECODE_BAD_PAYLOAD_LEN,
};

const char *tcp_decode_status_name(enum tcp_decode_status st);

/* Bytes the IP packet of `seg` takes (the family of its addresses chooses the header). */
size_t tcp_seg_wire_len(const struct tcp_seg *seg);

/* Writes the IPv4 or IPv6 packet (header, TCP header, options, payload) with correct checksums.
 * Returns the length written, or 0 when `cap` is too small. */
size_t tcp_seg_encode(const struct tcp_seg *seg, uint8_t *buf, size_t cap);

/* Parses an IPv4 or IPv6 packet. On success `out->data` points into `buf` (so `buf` must
 * outlive `out`) and `out->data_off` is TCP_DATA_OFF_NONE. Checksums are verified. */
enum tcp_decode_status tcp_seg_decode(const uint8_t *buf, size_t len, struct tcp_seg *out);

/* The Internet checksum (RFC 1071) over `len` bytes, folded, not complemented. */
uint32_t tcp_csum_add(uint32_t sum, const uint8_t *p, size_t len);
uint16_t tcp_csum_fold(uint32_t sum);

#endif
