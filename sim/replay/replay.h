/* SPDX-License-Identifier: MIT */
/*
 * replay.h: a real capture turned into a packetdrill script and run against tcpsim
 * (private to sim/replay; the public entry point is tcpsim/replay.h).
 *
 *   rcap.c    reads the capture: pcap, pcapng (sim/diff/capture.c), or tcpdump -n text
 *   rconn.c   finds the connections in it and the endpoint under test
 *   rinfer.c  infers the application's calls and writes the script
 *   ropen.c   ... the calls that open the connection, and the options it shows
 *   rclues.c  what the capture shows of the application, looked up ahead
 *   rpush.c   ... PSHs that Linux's forced push may have placed inside a write
 *   rrun.c    runs the script strictly and reports the first divergence
 */
#ifndef TCPSIM_REPLAY_PRIV_H
#define TCPSIM_REPLAY_PRIV_H

#include <tcpsim/replay.h>

#include "../diff/capture.h"
#include "../diff/dtrace.h"

#define RCAP_MAX_BYTES (256u << 20)

/* The capture's segments: struct capseg and struct capture, sim/diff/capture.h. */
struct capture *rcap_load(const char *path, GError **error);
/* The same from bytes in memory; `name` is used in messages. */
struct capture *rcap_from_bytes(const char *name, const uint8_t *data, size_t n, GError **error);
void rcap_free(struct capture *c);
/* Each segment of a connection to itself stands twice, sent to and received from port 0
 * of its address (see rcap.c); the number of such segments. */
guint rcap_unfold_self(struct capture *c);

/* One connection of the capture, seen from the endpoint under test ("local"). */
struct rconn {
    struct tcpsim_addr laddr, raddr;
    uint16_t lport, rport;
    bool active;        /* the local side sent the first SYN */
    bool l_isn_known, r_isn_known;
    uint32_t l_isn, r_isn;
    GArray *idx;        /* guint: indexes into rcap.segs of its segments */
    /* Segments with the endpoint's address that it cannot have sent (a third party's,
     * forged: see rconn.c), left out of idx: guint capture indexes, and why (static
     * strings, parallel). */
    GArray *forged;
    GPtrArray *forged_why;
    /* Not a connection at all: a SYN with a spoofed source (a flood's), and why; NULL
     * for a connection to replay. */
    const char *spoofed;
    /* rconn.c's own bookkeeping while it groups the segments */
    bool ts_l, ts_r;    /* the local / remote SYN carried timestamps */
    bool ts_used;       /* ... and the endpoint put one on a later segment */
    bool synced;        /* the handshake completed */
    bool ended;         /* a RST, or FINs both ways */
    bool fin_l, fin_r;
    uint32_t r_top;     /* the peer's highest sequence sent, absolute (r_isn_known) */
    int64_t last_in_at; /* the latest inbound segment: its time and ack */
    uint32_t last_in_ack;
    bool last_in_has_ack;
};

/* The connections in capture order (a new SYN on a 4-tuple starts a new one). `as`:
 * NULL (each connection's first SYN's sender), "ADDR", or "ADDR:PORT". */
GPtrArray *rconn_find(const struct capture *c, const char *as, GError **error);
void rconn_free(struct rconn *k);
bool rconn_outbound(const struct rconn *k, const struct dseg *s);
/* Why the endpoint of `k` cannot have sent outbound segment `r` (a third party's with its
 * address), or NULL when it may have: the rules of rconn.c, applied as the capture goes. */
const char *rconn_forged(const struct rconn *k, const struct capseg *r);
/* An outbound RST that answers the inbound segment just before it (its seq that
 * segment's ack, within RCONN_REPLY_NS): the TCP's own answer, not the application's. */
#define RCONN_REPLY_NS 1000000LL

/* The script for one connection, and what was guessed on the way (one a line). */
struct rscript {
    GString *text;
    GString *guesses;
    GArray *line_of;   /* guint: script line -> capture index (G_MAXUINT: a call) */
    GArray *arrivals;  /* guint: capture indexes of the peer's data, where a read was decided */
    GArray *answers;   /* guint: capture indexes of the endpoint's RSTs taken for its TCP's
                        * answer to the segment just before (not an abort): flip one to
                        * make it an abort */
    GArray *waits;     /* guint: capture indexes of the peer's pure ACKs that released data
                        * the endpoint had written before: flip one to write it before */
    GArray *nows;      /* guint: capture indexes of the peer's data read as it arrived,
                        * after it: flip RSCRIPT_EARLY(i) to read what was queued before */
    GArray *timed;     /* guint: capture indexes of the endpoint's new data that left on
                        * no arrival with its data in flight (a timer's: a loss probe),
                        * written as it left: flip one to write it with the segment before */
    GArray *pshs;      /* guint: capture indexes of the endpoint's full segments with PSH in
                        * mid-burst or past half the peer's window, taken for a write's end:
                        * flip one for a TSO packet's or a forced push's (rpush.c) */
    guint segments;
    guint outbound;
};

/* The flip key that reads what was queued just before the peer's data at capture index
 * i arrived, rather than with it. */
#define RSCRIPT_EARLY(i) GUINT_TO_POINTER(((guint)(i) + 1) | 0x80000000u)

/* The flip key for a reader that reads nothing as data arrives, and reads what is
 * queued only when its window reopens below its largest (or at the end of the stream):
 * a window that grows to new highs is the receiver's own growth, not a read. */
#define RSCRIPT_LAZY GUINT_TO_POINTER(0x40000000u)

/* The flip key for a reader blocked in a read that takes what arrived once a burst has
 * been taken in: the lazy reader's windows, and everything queued read at the end of
 * each instant at which the peer's data arrived (a reader runs after the softirq that
 * took the burst in, not between its segments). */
#define RSCRIPT_BURST GUINT_TO_POINTER(0x20000000u)

/* `flip`: capture indexes (GUINT_TO_POINTER(i + 1)) of peer data whose read decision
 * (read at arrival, or later) is to be the other one, and of RSTs whose decision (the
 * TCP's answer, or an abort) is; NULL for none. */
void rinfer_script(const struct capture *c, const struct rconn *k, GHashTable *flip,
                   struct rscript *out);
void rscript_clear(struct rscript *s);
/* The same connection as a tcpsim scenario: both ends tcpsim hosts with the calls
 * inferred from each side, the link's delay and A's losses as captured (remit.c). False,
 * with the reason in *why, when it cannot be one. */
bool rinfer_scenario(const struct capture *c, const struct rconn *k, GString *out,
                     const char **why);

#endif
