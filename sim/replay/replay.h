/* SPDX-License-Identifier: MIT */
/*
 * replay.h: a real capture turned into a packetdrill script and run against tcpsim
 * (private to sim/replay; the public entry point is tcpsim/replay.h).
 *
 *   rcap.c    reads the capture: pcap, pcapng, or tcpdump -n text, into segments
 *   rconn.c   finds the connections in it and the endpoint under test
 *   rinfer.c  infers the application's calls and writes the script
 *   rclues.c  what the capture shows of the application, looked up ahead
 *   rrun.c    runs the script strictly and reports the first divergence
 */
#ifndef TCPSIM_REPLAY_PRIV_H
#define TCPSIM_REPLAY_PRIV_H

#include <tcpsim/replay.h>

#include "../diff/dtrace.h"

#define RCAP_MAX_BYTES (256u << 20)
#define RCAP_MAX_SEGMENTS 2000000u

/* One captured TCP segment, its numbers absolute, as on the wire. */
struct rseg {
    int64_t at;     /* ns, the capture's own clock */
    uint32_t index; /* 1-based packet (or line) number in the capture */
    struct dseg s;
};

struct rcap {
    char *name;
    GArray *segs;          /* struct rseg, in capture order */
    GStringChunk *strings; /* option texts */
    uint32_t skipped;      /* packets that are not IPv4 TCP */
    const char *format;    /* "pcap", "pcapng", "tcpdump text" */
};

struct rcap *rcap_load(const char *path, GError **error);
/* The same from bytes in memory; `name` is used in messages. */
struct rcap *rcap_from_bytes(const char *name, const uint8_t *data, size_t n, GError **error);
void rcap_free(struct rcap *c);

/* One connection of the capture, seen from the endpoint under test ("local"). */
struct rconn {
    struct tcpsim_addr laddr, raddr;
    uint16_t lport, rport;
    bool active;        /* the local side sent the first SYN */
    bool l_isn_known, r_isn_known;
    uint32_t l_isn, r_isn;
    GArray *idx;        /* guint: indexes into rcap.segs of its segments */
};

/* The connections in capture order (a new SYN on a 4-tuple starts a new one). `as`:
 * NULL (each connection's first SYN's sender), "ADDR", or "ADDR:PORT". */
GPtrArray *rconn_find(const struct rcap *c, const char *as, GError **error);
void rconn_free(struct rconn *k);
bool rconn_outbound(const struct rconn *k, const struct dseg *s);

/* The script for one connection, and what was guessed on the way (one a line). */
struct rscript {
    GString *text;
    GString *guesses;
    GArray *line_of;   /* guint: script line -> capture index (G_MAXUINT: a call) */
    GArray *arrivals;  /* guint: capture indexes of the peer's data, where a read was decided */
    GArray *read_now;  /* gboolean, beside arrivals: read at once (else later) */
    guint segments;
    guint outbound;
};

/* `flip`: capture indexes (GUINT_TO_POINTER(i + 1)) of peer data whose read decision
 * (read at arrival, or later) is to be the other one; NULL for none. */
void rinfer_script(const struct rcap *c, const struct rconn *k, GHashTable *flip,
                   struct rscript *out);
void rscript_clear(struct rscript *s);
/* The same connection as a tcpsim scenario: both ends tcpsim hosts with the calls
 * inferred from each side, the link's delay and A's losses as captured (remit.c). False,
 * with the reason in *why, when it cannot be one. */
bool rinfer_scenario(const struct rcap *c, const struct rconn *k, GString *out,
                     const char **why);

#endif
