/* SPDX-License-Identifier: MIT */
/*
 * rinfer.h: the state of one connection's inference (private to rinfer.c, rclues.c
 * and rpush.c).
 */
#ifndef TCPSIM_RINFER_H
#define TCPSIM_RINFER_H

#include "replay.h"

/* The script's clock starts at the capture's modulo this (2^24 x 40 ms, 671 s), plus
 * what puts tcpsim's ticks where the capture's timers show them (tick_align()). */
#define RINFER_PHASE (16777216LL * 40000000LL)
/* The tick the captures' kernels run timers on: HZ 250, as the hz knob's default. */
#define RINFER_TICK 4000000LL

/* The longest a script may run: packetdrill's times here stop at 10^6 s. */
#define RINFER_MAX_SPAN (864000LL * 1000000000LL)

struct range {
    uint32_t start, end;
};

struct infer {
    const struct capture *c;
    const struct rconn *k;
    struct rscript *out;
    int64_t t0;
    int64_t start; /* the script's time of the first event, ns */
    int64_t prev;
    int fd;
    bool closed;
    bool shut_wr;
    bool accepted;
    bool peer_fin;
    bool eof_read;
    bool slow_reader;   /* some data was read later than it arrived */
    bool waited;        /* some data was written before it left (said once) */
    bool probed;        /* ... before a window too small for a segment (said once) */
    bool hold;          /* no read at arrival until the endpoint's next segment */
    int64_t out_win;    /* the window of the endpoint's last segment (-1: none yet) */
    int64_t max_win;    /* the largest of them */
    GHashTable *flip;   /* read decisions to turn the other way (see rinfer_script()) */
    uint32_t written;   /* local bytes written, as relative sequence (1 + bytes) */
    int64_t peer_win;   /* the window of the peer's last segment (-1: none yet) */
    uint32_t rcvd;      /* peer bytes received in order, relative (1 + bytes) */
    uint32_t read_to;   /* ... and read by the application */
    uint32_t fin_rel;   /* the peer's FIN, relative; 0: none yet */
    GArray *ooo;        /* struct range: peer data beyond rcvd */
    int64_t span_end;   /* > 0: the next line is a call that may block until then */
    uint32_t fin_data_end; /* the endpoint's FIN came with data ending here (0: no) */
    bool close_pending;    /* close() at close_at, before the next event after it */
    int64_t close_at;
    uint64_t *peer_max;    /* rpush.c: the largest peer window before segment j (j = 0..n) */
    GHashTable *first_end; /* rpush.c: relative end -> 1 + the first segment ending there */
};

static inline const struct capseg *
seg_at(const struct infer *in, guint j)
{
    return &g_array_index(in->c->segs, struct capseg, g_array_index(in->k->idx, guint, j));
}

static inline bool
outbound(const struct infer *in, const struct capseg *r)
{
    return rconn_outbound(in->k, &r->s);
}

static inline uint32_t
rel_local(const struct infer *in, uint32_t v)
{
    return v - in->k->l_isn;
}

static inline uint32_t
rel_peer(const struct infer *in, uint32_t v)
{
    return v - in->k->r_isn;
}

/* rinfer.c: a script line at capture time `at` standing for capture segment `seg`
 * (G_MAXUINT: a call); a guess for the report, naming the segment that forced it. */
void G_GNUC_PRINTF(4, 5) rinfer_line(struct infer *in, int64_t at, guint seg, const char *fmt,
                                     ...);
void G_GNUC_PRINTF(3, 4) rinfer_guess(struct infer *in, const struct capseg *r,
                                      const char *fmt, ...);

/* ropen.c: socket() and the options, then connect(), or bind() and listen(). */
void rinfer_open(struct infer *in, const struct capseg *syn);

/* rclues.c: what the capture shows of the application, looked up ahead. */
uint32_t rclue_write_end(const struct infer *in, guint j, int64_t *last_at);
uint32_t rclue_unsent_tail(const struct infer *in, uint32_t end);
uint32_t rclue_full_size(const struct infer *in, const struct capseg *r);
unsigned rclue_peer_shift(const struct infer *in);
int64_t rclue_write_returns(const struct infer *in, guint j, uint32_t end);
int rclue_waiting_data(const struct infer *in, uint32_t start, guint *at_j, guint *ack_j);
bool rclue_half_close_after(const struct infer *in, guint j);
int64_t rclue_next_window(const struct infer *in, guint j);
unsigned rclue_rcvbuf(unsigned syn_window, unsigned unit);
bool rclue_keepalive(const struct infer *in, int *idle, int *intvl, int *cnt,
                     const struct capseg **first);
const struct capseg *rclue_nodelay(const struct infer *in);
uint32_t rclue_data_sent(const struct infer *in);
bool rclue_timer_data(const struct infer *in, guint j, uint32_t start, guint *at_j);
bool rclue_window_probe(const struct infer *in, guint j, guint *at_j);
bool rclue_lost_connection(const struct infer *in, guint *silent_j, guint *answered_j,
                           guint *rst_j);

/* rpush.c: a PSH that a forced push may have placed inside a write (an open decision). */
/* An open decision at the connection's segment j, recorded in `list` (one of the
 * script's waits, timed, answers, pshs) for the search (rrun.c); TRUE when the search
 * turned it, so that the other reading applies. */
bool rinfer_open_decision(const struct infer *in, GArray *list, guint j);
void rpush_prepare(struct infer *in);
void rpush_release(struct infer *in);
bool rclue_forced_push(const struct infer *in, guint m, uint32_t end);

/* rticks.c: the script's time of the first event (ns), chosen so that tcpsim pkt's
 * timer ticks and wheel buckets fall where the capture's timers show them. */
int64_t rinfer_tick_align(const struct infer *in);

#endif
