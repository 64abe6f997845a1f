/* SPDX-License-Identifier: MIT */
/*
 * link.h: one direction of a link, a fixed pipeline of stages:
 *
 *   scripted faults -> down? -> MTU -> queue (drop-tail or RED, in packets or bytes)
 *     -> serialization (rate) -> on the wire: loss (Bernoulli or Gilbert-Elliott),
 *     corruption, duplication -> propagation delay (+ jitter, + reordering) -> deliver
 *
 * Each stage may drop a segment with a named reason, traced where it happens. Scripted
 * faults come first, so "drop the next SYN-ACK" gets exactly that whatever the random
 * stages would have done. Every random stage draws from its own PRNG stream, so turning
 * one impairment on never changes the draws of another.
 *
 * Segments in flight live in slots from a free list owned by the direction; a slot
 * embeds its event, so nothing is allocated per segment in steady state.
 */
#ifndef TCPSIM_LINK_H
#define TCPSIM_LINK_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "../engine/ev.h"
#include "../engine/rng.h"
#include "../wire/seg.h"
#include "../trace/trace.h"
#include "link_why.h"

struct link_filter {
    bool match_flags;
    uint16_t flags;
    int has_data;       /* -1 any, 0 none, 1 some */
    bool match_seq;     /* the segment starts in [seq_lo, seq_hi] (absolute numbers) */
    tcp_seq seq_lo;
    tcp_seq seq_hi;
};

enum link_rule_kind {
    LINK_RULE_DROP,
    LINK_RULE_DELAY,
    LINK_RULE_DUPLICATE,
};

struct link_rule {
    enum link_rule_kind kind;
    struct link_filter filter;
    uint32_t skip; /* matching segments to let pass first ("after K") */
    uint32_t left;
    sim_time extra;
    sim_time first; /* duplicate: the original's own extra delay ("original T") */
};

enum link_jitter {
    LINK_JITTER_UNIFORM, /* uniform in [0, jitter] */
    LINK_JITTER_NORMAL,  /* bell-shaped in [0, jitter]: the mean of four uniforms */
};

struct link_params {
    sim_time delay;
    sim_time jitter;          /* extra delay per segment, up to this much */
    enum link_jitter jitter_dist;
    uint64_t rate_bps;        /* 0: no serialization delay */
    uint32_t queue_pkts;      /* drop-tail limit in packets (0: none) */
    uint64_t queue_bytes;     /* drop-tail limit in bytes (0: none) */
    bool red;                 /* RED (Floyd and Jacobson 1993) instead of drop-tail */
    uint32_t red_min;         /* average queue, packets */
    uint32_t red_max;
    uint32_t red_pmax_ppb;
    uint32_t mtu;             /* larger IP packets are dropped (0: no limit) */
    uint32_t loss_ppb;        /* Bernoulli loss */
    bool burst;               /* Gilbert-Elliott loss instead of Bernoulli */
    uint32_t ge_p_ppb;        /* good -> bad, per segment */
    uint32_t ge_r_ppb;        /* bad -> good, per segment */
    uint32_t ge_bad_ppb;      /* loss in the bad state */
    uint32_t ge_good_ppb;     /* loss in the good state */
    uint32_t dup_ppb;
    uint32_t reorder_ppb;     /* this share of segments is held back ... */
    sim_time reorder_delay;   /* ... by this much more */
    uint32_t corrupt_ppb;     /* one byte of the packet flipped */
    bool v6_as_v4;            /* an IPv6 packet is charged (MTU, queue, serialization) the
                                 size of its IPv4 twin: 20 bytes less (--ip-version
                                 ipv6-same-mss) */
};

/* A corruption to apply to the encoded packet on delivery: byte `at` xor `mask`. */
struct link_damage {
    uint16_t at;
    uint8_t mask;
};

struct link_dir;
/* Explore mode (sim/explore): a segment handed to the link is traced as sent, counted in
 * flight, and given to the holder instead of the pipeline; the holder later delivers
 * (link_release()) or drops (link_discard()) it, when and as often as it chooses. */
typedef void (*link_hold_fn)(void *arg, struct link_dir *d, const struct tcp_seg *seg,
                             uint64_t serial);
/* Delivery to the receiving host; `dmg` is NULL for an intact packet. `note` says what
 * happened on the way ("duplicate", "reordered", "delayed", "corrupted") or is NULL. */
typedef void (*link_deliver_fn)(void *to_host, const struct tcp_seg *seg,
                                const struct link_damage *dmg);

struct link_pkt {
    struct ev ev;     /* its own event, for a packet that leaves the FIFO order */
    struct link_dir *dir;
    struct tcp_seg seg;
    uint8_t *buf;     /* owned copy of payload bytes when seg.data was set */
    uint32_t buf_cap;
    uint32_t wire_len;
    sim_time extra;   /* scripted extra delay */
    const char *note; /* shown on the delivered line */
    struct link_damage dmg;
    bool damaged;
    uint64_t serial;  /* which sending this is (stats.sent then): traces pair it up */
    struct link_pkt *next_free;
    struct link_pkt *next; /* in a FIFO */
    sim_time due;          /* when its stage ends, while in a FIFO */
    uint64_t seq;          /* its place in the event order, reserved when queued */
};

/* Packets whose stage ends in the order they entered it, behind one event: the
 * transmitter finishes packets in order, and packets that travel for the same delay
 * arrive in order. Keeps the event queue as small as the number of links, not the
 * number of packets in flight. */
struct link_fifo {
    struct ev ev;
    struct link_pkt *head;
    struct link_pkt *tail;
};

struct link_stats {
    uint64_t sent;
    uint64_t delivered;
    uint64_t dropped[LINK_DROP_N];
    uint64_t duplicated;
    uint64_t reordered;
    uint64_t corrupted;
};

/* One PRNG stream per random stage. */
struct link_rngs {
    struct rng loss;
    struct rng red;
    struct rng dup;
    struct rng reorder;
    struct rng jitter;
    struct rng corrupt;
};

struct link_dir {
    struct ev_queue *q;
    struct trace *trace;
    const char *from_name;
    const char *to_name;
    void *to_host;
    link_deliver_fn deliver;
    struct link_params p;
    bool down;
    sim_time busy_until;   /* the transmitter is busy until then */
    uint32_t queued;       /* segments waiting or being serialized */
    uint64_t queued_bytes;
    uint64_t red_avg;      /* average queue in packets, fixed point << 16 */
    int64_t red_count;     /* packets since the last RED drop (-1: below min) */
    bool ge_bad;           /* Gilbert-Elliott state */
    struct link_rngs rng;
    struct link_fifo tx;     /* serializing, in order */
    struct link_fifo flight; /* propagating, in order of arrival */
    GArray *rules;         /* struct link_rule, oldest first */
    struct link_pkt *free_list;
    GPtrArray *all_pkts;   /* every slot ever allocated, to free at the end */
    struct link_stats stats;
    uint64_t in_flight;    /* slots holding a segment: queued, on the wire, or delivering */
    struct link_rule matched;   /* the rule link_script_match() last applied */
    link_hold_fn hold;          /* explore mode: the holder of every segment sent, or NULL */
    void *hold_arg;
    uint64_t sent_by_kind[512]; /* by flag byte, +256 when carrying payload: for expects */
};

void link_dir_init(struct link_dir *d, struct ev_queue *q, struct trace *trace,
                   const char *from_name, const char *to_name, void *to_host,
                   link_deliver_fn deliver, uint64_t seed);
void link_dir_destroy(struct link_dir *d);

/* The default parameters: no delay, no rate limit, a 1000-packet queue, no impairment. */
void link_params_default(struct link_params *p);

/* Takes a segment from the sending host (the segment and its data are copied). */
void link_send(struct link_dir *d, const struct tcp_seg *seg);

void link_add_rule(struct link_dir *d, const struct link_rule *r);

/* Explore mode: delivers a held segment now, traced and counted; `copy`: a duplicate,
 * and the segment stays in flight. */
void link_release(struct link_dir *d, const struct tcp_seg *seg, uint64_t serial, bool copy);
/* Explore mode: drops a held segment ("scripted"). */
void link_discard(struct link_dir *d, const struct tcp_seg *seg, uint64_t serial);
bool link_filter_matches(const struct link_filter *f, const struct tcp_seg *seg);
const char *link_drop_name(enum link_drop why);

/* Segments sent matching `f` (NULL: all). */
uint64_t link_count_sent(const struct link_dir *d, const struct link_filter *f);

/* link_invariants.c: NULL when every segment sent is accounted for (delivered,
 * dropped, or in flight), else a description to free. */
char *link_inv_check(const struct link_dir *d);

/* script.c: the first active rule matching `seg`, consumed by one; NULL if none. */
struct link_rule *link_script_match(struct link_dir *d, const struct tcp_seg *seg);

/* impair.c: the random stages. */
bool impair_lost(struct link_dir *d);
bool impair_red_drops(struct link_dir *d);
sim_time impair_extra_delay(struct link_dir *d, const char **note);
bool impair_duplicate(struct link_dir *d);
bool impair_corrupt(struct link_dir *d, uint32_t wire_len, struct link_damage *dmg);

#endif
