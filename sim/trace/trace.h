/* SPDX-License-Identifier: MIT */
/*
 * trace.h: structured trace events and the sink fan-out.
 *
 * Producers (TCP, link, host, application, scenario) build a `struct trace_event` and
 * never a string of protocol data; formatting lives in the sinks. Every emission is
 * guarded by trace_wants(), so a run with no sink pays one predictable branch.
 *
 * Sinks implement `struct trace_sink_ops`. Events reach every sink in emission order,
 * which is simulated-time order with the event queue's tie-break: that is what makes the
 * text trace deterministic and diffable.
 */
#ifndef TCPSIM_TRACE_TRACE_H
#define TCPSIM_TRACE_TRACE_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "../engine/time.h"
#include "../wire/seg.h"
#include "outfile.h"

enum trace_kind {
    TRACE_SEG_SENT,      /* a host handed a segment to the link */
    TRACE_SEG_DELIVERED, /* the link handed it to the receiving host; a packet damaged on
                          * the way has a = 1 + offset of the flipped byte in the IPv4
                          * packet and b = the XOR mask (a = 0: intact) */
    TRACE_SEG_DROPPED,   /* the link lost it; `reason` says why */
    TRACE_SEG_DISCARD,   /* the receiving host or TCP discarded it; `reason` says why */
    TRACE_STATE,         /* a connection changed state */
    TRACE_TIMER,         /* a TCP timer fired */
    TRACE_APP,           /* an application call was made or returned: `reason` the call
                          * ("connect"), sock its socket, b = 1 when it returned with result
                          * a, c its errno (0: none) and `to` the errno's name */
    TRACE_EXPECT,        /* a scenario check ran: `reason` the check, `from` what was
                          * expected, `to` what was got, a = 1 held / 0 failed, b = 1 when
                          * those are given (0: text only) */
    TRACE_NOTE,          /* the world changed: link parameter, crash, reboot */
    TRACE_CC,            /* congestion window or slow-start threshold changed */
    TRACE_SS,            /* a row of a socket listing (the scenario's `ss` line); a socket's
                          * row has c = 1, sock, `from` its state, a Recv-Q, b Send-Q */
    TRACE_NKINDS
};

#define TRACE_MASK(k) (1u << (k))
#define TRACE_ALL ((1u << TRACE_NKINDS) - 1u)

/* A connection as traces name it: the scenario's name when it has one, and its tuple. */
struct trace_sock {
    const char *name; /* NULL when the scenario gave none */
    struct tcpsim_addr laddr;
    struct tcpsim_addr raddr; /* none (family 0) for a listener */
    uint16_t lport;
    uint16_t rport;
};

/*
 * Why an event happened, as numbers, for readers that explain a run (explain mode and
 * the ladder). The text trace prints names and never reads these. Producers fill what
 * applies; zero means "not given".
 */
struct trace_why {
    int code;      /* STATE: enum tcp_cause; DISCARD: enum tcp_drop_reason; DROPPED: enum
                      link_drop; TIMER: enum tcp_timer_id (sim/tcp/tcp_why.h, link_why.h) */
    int from;      /* STATE: enum tcp_state before and after the change */
    int to;
    int64_t limit; /* TIMER: the knob's value that bounds the count (tcp_syn_retries ...) */
    int64_t span;  /* TIMER: the timeout that expired; STATE into TIME_WAIT: its 2*MSL */
    int64_t grain; /* TIMER: the timer wheel's bucket (ns) when coarser than a tick: the
                      timer fired on the first multiple of it past its expiry */
    bool muted;    /* DISCARD: the reply it deserved was rate-limited away */
};

struct trace_event {
    enum trace_kind kind;
    sim_time at;
    const char *host;   /* the host the event happened on; for link events the sender */
    const char *peer;   /* link events: the receiving host */
    const struct tcp_seg *seg;
    const char *reason; /* drop/discard reason, state-change cause, timer name */
    struct trace_sock sock;
    const char *from;   /* TRACE_STATE: old state name */
    const char *to;     /* TRACE_STATE: new state name */
    const char *text;   /* APP, EXPECT, NOTE: already formatted by a non-TCP module */
    int64_t a;          /* kind-specific numbers, documented at each producer */
    int64_t b;
    int64_t c;
    uint64_t serial;    /* SENT, DELIVERED, DROPPED: the segment's number on its link
                           direction (1, 2, ...); a delivery or drop names its sending */
    struct trace_why why;
};

struct trace_header {
    const char *scenario; /* path as given, or NULL */
    const char *title;    /* or NULL */
    uint64_t seed;
    guint nhosts;
    const char *const *host_names;
    const struct tcpsim_addr *host_addrs;  /* each host's first address */
    const struct tcpsim_addr *host_addrs2; /* its second (the other family), or family 0;
                                              NULL when no host has two */
    const char *version;            /* tcpsim's (the JSON lines header), or NULL */
    const char *const *sets;        /* the command line's --set, NULL-terminated, or NULL */
    const char *const *params;      /* --param NAME=VALUE, likewise */
    const char *ip_version;         /* --ip-version when given ("ipv6" ...), or NULL */
};

struct trace_sink_ops {
    const char *name;
    void (*begin)(void *self, const struct trace_header *hdr);
    void (*event)(void *self, const struct trace_event *ev);
    /* Finishes the output (flush, rename the temporary into place). */
    gboolean (*end)(void *self, GError **error);
    /* Frees the sink; an output not ended is discarded (its temporary removed). */
    void (*free)(void *self);
};

struct trace_sink {
    const struct trace_sink_ops *ops;
    void *self;
    uint32_t mask;
};

struct trace {
    uint32_t mask; /* union of the sinks' masks */
    GArray *sinks; /* of struct trace_sink, in the order added */
    struct outfile_group outputs; /* the sinks' files: committed together by trace_end() */
};

static inline bool
trace_wants(const struct trace *t, enum trace_kind k)
{
    return t != NULL && (t->mask & TRACE_MASK(k)) != 0;
}

void trace_init(struct trace *t);
/* Frees every sink (discarding outputs not ended). */
void trace_destroy(struct trace *t);
void trace_add_sink(struct trace *t, const struct trace_sink_ops *ops, void *self, uint32_t mask);
void trace_begin(struct trace *t, const struct trace_header *hdr);
void trace_emit(struct trace *t, const struct trace_event *ev);
/* Ends every sink, then renames every output file into place, or, when one failed,
 * removes them all; returns FALSE with the first error. */
gboolean trace_end(struct trace *t, GError **error);

#endif
