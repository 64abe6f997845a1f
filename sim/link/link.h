/*
 * link.h: one direction of a link, a fixed pipeline of stages:
 *
 *   scripted faults -> down? -> queue (drop-tail) -> serialization (rate) -> loss
 *                  -> propagation delay -> deliver
 *
 * Each stage may drop a segment with a named reason, traced where it happens. Scripted
 * faults come first, so "drop the next SYN-ACK" gets exactly that whatever the random
 * stages would have done. Every random stage draws from its own PRNG stream.
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
#include "../tcp/tcp_seg.h"
#include "../trace/trace.h"

struct link_filter {
    bool match_flags;
    uint16_t flags;
    int has_data; /* -1 any, 0 none, 1 some */
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
};

/* Why a link lost a segment. */
enum link_drop {
    LINK_DROP_LOSS,
    LINK_DROP_QUEUE,
    LINK_DROP_DOWN,
    LINK_DROP_SCRIPTED,
    LINK_DROP_N
};

struct link_params {
    sim_time delay;
    uint64_t rate_bps;    /* 0: no serialization delay */
    uint32_t queue_pkts;  /* drop-tail limit, packets waiting or in transmission */
    uint32_t loss_ppb;    /* Bernoulli loss */
};

struct link_dir;
/* Delivery to the receiving host. */
typedef void (*link_deliver_fn)(void *to_host, const struct tcp_seg *seg);

struct link_pkt {
    struct ev ev;
    struct link_dir *dir;
    struct tcp_seg seg;
    uint8_t *buf;     /* owned copy of payload bytes when seg.data was set */
    uint32_t buf_cap;
    bool on_wire;     /* serialization finished: next stop is delivery */
    sim_time extra;   /* scripted extra delay */
    struct link_pkt *next_free;
};

struct link_stats {
    uint64_t sent;
    uint64_t delivered;
    uint64_t dropped[LINK_DROP_N];
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
    struct rng loss_rng;
    GArray *rules;         /* struct link_rule, oldest first */
    struct link_pkt *free_list;
    GPtrArray *all_pkts;   /* every slot ever allocated, to free at the end */
    struct link_stats stats;
    struct link_rule matched; /* the rule link_script_match() last applied */
    uint64_t sent_by_kind[512]; /* by flag byte, +256 when carrying payload: for expects */
};

void link_dir_init(struct link_dir *d, struct ev_queue *q, struct trace *trace,
                   const char *from_name, const char *to_name, void *to_host,
                   link_deliver_fn deliver, uint64_t seed);
void link_dir_destroy(struct link_dir *d);

/* The default parameters: no delay, no rate limit, 1000-packet queue, no loss. */
void link_params_default(struct link_params *p);

/* Takes a segment from the sending host (the segment and its data are copied). */
void link_send(struct link_dir *d, const struct tcp_seg *seg);

void link_add_rule(struct link_dir *d, const struct link_rule *r);
bool link_filter_matches(const struct link_filter *f, const struct tcp_seg *seg);
const char *link_drop_name(enum link_drop why);

/* Segments sent matching `f` (NULL: all). */
uint64_t link_count_sent(const struct link_dir *d, const struct link_filter *f);

/* script.c: the first active rule matching `seg`, consumed by one; NULL if none. */
struct link_rule *link_script_match(struct link_dir *d, const struct tcp_seg *seg);

#endif
