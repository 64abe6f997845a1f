/* SPDX-License-Identifier: MIT */
/*
 * ev.h: the discrete-event queue.
 *
 * Events are intrusive: a `struct ev` lives inside its owner (a TCB timer, a link slot)
 * and the queue never allocates one. Events are ordered by (at, seq); `seq` is a
 * per-queue counter taken when an event is scheduled, so events due at the same time
 * run in the order they were scheduled. Each event knows where it waits, so cancel and
 * re-arm never scan and nothing is left behind as a tombstone.
 *
 * Inside (ev.c): events due before a horizon wait in a 4-ary heap ("near"); later ones
 * in a ring of buckets of 2^24 ns (16.8 ms) each, unsorted, 65,536 of them (18 minutes);
 * later still in a second heap ("far"). When the near heap runs dry the next bucket is
 * poured into it. With ten million pending timers a timer thus moves a few times
 * between small, cache-resident structures instead of sifting through a heap of ten
 * million.
 *
 * A callback is entered with its event already removed from the queue: it may re-arm
 * that event, or schedule and cancel any other.
 */
#ifndef TCPSIM_ENGINE_EV_H
#define TCPSIM_ENGINE_EV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mem.h"
#include "time.h"

struct ev;
struct ev_queue;
typedef void (*ev_fn)(struct ev *ev);

struct ev {
    ev_fn fn;
    uint64_t seq;     /* tie-break among events due at the same time */
    uint32_t slot;    /* index + 1 in its heap or bucket; 0 = not pending */
    uint32_t where;   /* which heap or bucket (ev.c) */
};

/* One entry: the time beside the pointer, so a sift reads the event only on a tie (and
 * to record its new slot, which it does anyway). */
struct ev_entry {
    sim_time at;
    struct ev *ev;
};

struct ev_heap {
    struct ev_entry *a; /* 3 entries into a 64-byte aligned block (see ev.c) */
    uint32_t len;
    uint32_t cap;
    uint32_t where;
};

struct ev_bucket {
    struct ev_entry *items; /* unsorted */
    uint32_t len;
    uint32_t cap;
};

struct ev_queue {
    struct ev_heap near;     /* everything due before (cur << EV_BUCKET_SHIFT) */
    struct ev_heap far;      /* everything beyond the ring */
    struct ev_bucket *ring;  /* EV_RING_SIZE buckets, allocated at the first use */
    uint64_t *busy;          /* a bit per non-empty bucket */
    uint64_t *held;          /* a bit per bucket that holds an items array */
    size_t ring_items;       /* entries allocated in all buckets (their capacity) */
    uint64_t cur;            /* the first bucket number the ring holds */
    uint32_t in_ring;
    uint32_t len;            /* pending events, wherever they wait */
    uint64_t next_seq;
    sim_time now;
    uint64_t fired; /* events run so far */
    bool stop;      /* set by a callback to make ev_run_until() return */
    bool dead;      /* destroyed: scheduling is ignored while owners tear down */
    uint32_t ring_size;   /* buckets in the ring (65,536 unless ev_ring_bits_set()) */
    struct mem_meter mem; /* the simulation's own allocations (mem.h) */
};

#define container_of(ptr, type, member) ((type *)(void *)((char *)(ptr) - offsetof(type, member)))

void ev_queue_init(struct ev_queue *q);
void ev_queue_destroy(struct ev_queue *q);

/* The ring of every queue initialised from now on has 2^bits buckets, from
 * EV_RING_BITS_MIN (64 buckets, a second) to 16 (the default): a program that copies
 * whole worlds (tcpsim explore, sim/explore/explore_heap.h) keeps them small, and only
 * the far heap grows longer. */
#define EV_RING_BITS_MIN 6
void ev_ring_bits_set(unsigned bits);

static inline void
ev_init(struct ev *ev, ev_fn fn)
{
    ev->fn = fn;
    ev->slot = 0;
}

static inline bool
ev_pending(const struct ev *ev)
{
    return ev->slot != 0;
}

/* The time a pending event is due; SIM_TIME_NEVER when it is not pending. */
sim_time ev_due(const struct ev_queue *q, const struct ev *ev);

/* Schedules `ev` at `at` (never before now). A pending event is removed first, so it
 * takes a new place in the tie-break order. */
void ev_schedule(struct ev_queue *q, struct ev *ev, sim_time at);
/* A place in the tie-break order, taken now and used later with ev_schedule_seq(): an
 * owner that keeps many of its own pending items in order (a link's packets) schedules
 * one event for the earliest and still fires them exactly as if each had its own. */
static inline uint64_t
ev_reserve_seq(struct ev_queue *q)
{
    return q->next_seq++;
}
void ev_schedule_seq(struct ev_queue *q, struct ev *ev, sim_time at, uint64_t seq);
/* Removes `ev` from the queue; a no-op when it is not pending. */
void ev_cancel(struct ev_queue *q, struct ev *ev);

/* Bytes the queue has allocated (heaps, ring and buckets), for memory accounting. */
size_t ev_queue_bytes(const struct ev_queue *q);

/* Time of the earliest pending event, or SIM_TIME_NEVER. */
sim_time ev_next_time(struct ev_queue *q);

/* Runs every event due at or before `limit`, in (at, seq) order, advancing `now`.
 * Returns false when the queue ran empty, true when it stopped at the limit or because a
 * callback set `stop`. On return `now` is the time of the last event run (it never moves
 * past an event that did not run). */
bool ev_run_until(struct ev_queue *q, sim_time limit);

/* Runs the single earliest event if it is due at or before `limit`. An event due at or
 * after SIM_TIME_END (time.h) never runs: it stays pending, and the owner of the loop
 * reports it (ev_beyond_end()). */
bool ev_step(struct ev_queue *q, sim_time limit);

/* True when the earliest pending event lies at or beyond the end of simulated time. */
static inline bool
ev_beyond_end(struct ev_queue *q)
{
    sim_time t = ev_next_time(q);
    return t != SIM_TIME_NEVER ? t >= SIM_TIME_END : q->len > 0;
}

#endif
