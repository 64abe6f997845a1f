/*
 * ev.h: the discrete-event queue.
 *
 * Events are intrusive: a `struct ev` lives inside its owner (a TCB timer, a link slot)
 * and the queue never allocates one. The queue is a 4-ary min-heap of (at, seq, ev)
 * entries; `seq` is a per-queue counter taken when an event is scheduled, so events due
 * at the same time run in the order they were scheduled. Each event knows its heap slot,
 * so cancel and re-arm are O(log n) and nothing is ever left behind as a tombstone.
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
    const char *name; /* "rto", "delack", "link deliver": for traces and debugging */
    uint32_t slot;    /* index in the heap + 1; 0 = not pending */
};

/* One heap entry: the ordering key is kept beside the pointer, so sifting never
 * dereferences an event. */
struct ev_entry {
    sim_time at;
    uint64_t seq;
    struct ev *ev;
};

struct ev_queue {
    struct ev_entry *heap;
    uint32_t len;
    uint32_t cap;
    uint64_t next_seq;
    sim_time now;
    uint64_t fired; /* events run so far */
    bool stop;      /* set by a callback to make ev_run_until() return */
    struct mem_meter mem; /* the simulation's own allocations (mem.h) */
};

#define container_of(ptr, type, member) ((type *)(void *)((char *)(ptr) - offsetof(type, member)))

void ev_queue_init(struct ev_queue *q);
void ev_queue_destroy(struct ev_queue *q);

static inline void
ev_init(struct ev *ev, ev_fn fn, const char *name)
{
    ev->fn = fn;
    ev->name = name;
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
/* Removes `ev` from the queue; a no-op when it is not pending. */
void ev_cancel(struct ev_queue *q, struct ev *ev);

/* Time of the earliest pending event, or SIM_TIME_NEVER. */
sim_time ev_next_time(const struct ev_queue *q);

/* Runs every event due at or before `limit`, in (at, seq) order, advancing `now`.
 * Returns false when the queue ran empty, true when it stopped at the limit or because a
 * callback set `stop`. On return `now` is the time of the last event run (it never moves
 * past an event that did not run). */
bool ev_run_until(struct ev_queue *q, sim_time limit);

/* Runs the single earliest event if it is due at or before `limit`. */
bool ev_step(struct ev_queue *q, sim_time limit);

#endif
