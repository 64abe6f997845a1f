/*
 * ev.c: the event queue, a 4-ary min-heap ordered by (at, seq).
 *
 * Entry points: ev_schedule(), ev_cancel(), ev_run_until(). A 4-ary heap halves the
 * depth of a binary one and keeps the four children of a node in one or two cache
 * lines, which matters with ten million pending timers. Each event records its slot, so
 * cancellation removes it in O(log n) by moving the last entry into the hole, and a
 * pending event rescheduled (a retransmission timer restarted by every ACK) moves in
 * place with one sift.
 */
#include "ev.h"

#include <glib.h>
#include <string.h>

#define ARITY 4

/* Entry i of the heap is at index i + HEAP_SKEW of a 64-byte aligned block, so that
 * the children of node i, 4i+1 .. 4i+4, fill exactly one cache line. */
#define HEAP_SKEW 3

static inline bool
entry_before(const struct ev_entry *a, const struct ev_entry *b)
{
    if (a->at != b->at) {
        return a->at < b->at;
    }
    return a->ev->seq < b->ev->seq;
}

static inline void
place(struct ev_queue *q, uint32_t i, struct ev_entry e)
{
    q->heap[i] = e;
    e.ev->slot = i + 1;
}

static void
sift_up(struct ev_queue *q, uint32_t i, struct ev_entry e)
{
    while (i > 0) {
        uint32_t parent = (i - 1) / ARITY;
        if (!entry_before(&e, &q->heap[parent])) {
            break;
        }
        place(q, i, q->heap[parent]);
        i = parent;
    }
    place(q, i, e);
}

static void
sift_down(struct ev_queue *q, uint32_t i, struct ev_entry e)
{
    for (;;) {
        uint32_t first = i * ARITY + 1;
        if (first >= q->len) {
            break;
        }
        uint32_t last = first + ARITY < q->len ? first + ARITY : q->len;
        uint32_t best = first;
        for (uint32_t c = first + 1; c < last; c++) {
            if (entry_before(&q->heap[c], &q->heap[best])) {
                best = c;
            }
        }
        if (!entry_before(&q->heap[best], &e)) {
            break;
        }
        place(q, i, q->heap[best]);
        i = best;
    }
    place(q, i, e);
}

/* Removes the entry at index i and restores the heap property. */
static void
remove_at(struct ev_queue *q, uint32_t i)
{
    q->heap[i].ev->slot = 0;
    q->len--;
    if (i == q->len) {
        return;
    }
    struct ev_entry moved = q->heap[q->len];
    if (i > 0 && entry_before(&moved, &q->heap[(i - 1) / ARITY])) {
        sift_up(q, i, moved);
    } else {
        sift_down(q, i, moved);
    }
}

static void
grow(struct ev_queue *q)
{
    uint32_t cap = q->cap ? q->cap * 2 : 64;
    g_assert(cap > q->cap); /* 2^31 pending events is beyond any memory we will have */
    struct ev_entry *block = g_aligned_alloc(cap + HEAP_SKEW, sizeof(struct ev_entry), 64);
    if (q->heap != NULL) {
        memcpy(block + HEAP_SKEW, q->heap, q->len * sizeof(struct ev_entry));
        g_aligned_free(q->heap - HEAP_SKEW);
    }
    q->heap = block + HEAP_SKEW;
    q->cap = cap;
}

void
ev_queue_init(struct ev_queue *q)
{
    *q = (struct ev_queue){0};
}

void
ev_queue_destroy(struct ev_queue *q)
{
    for (uint32_t i = 0; i < q->len; i++) {
        q->heap[i].ev->slot = 0;
    }
    if (q->heap != NULL) {
        g_aligned_free(q->heap - HEAP_SKEW);
    }
    *q = (struct ev_queue){.dead = true};
}

sim_time
ev_due(const struct ev_queue *q, const struct ev *ev)
{
    if (ev->slot == 0) {
        return SIM_TIME_NEVER;
    }
    return q->heap[ev->slot - 1].at;
}

void
ev_schedule_seq(struct ev_queue *q, struct ev *ev, sim_time at, uint64_t seq)
{
    if (G_UNLIKELY(q->dead)) {
        return; /* the simulation is being freed; nothing will run */
    }
    g_assert(ev->fn != NULL);
    g_assert(at >= q->now);
    ev->seq = seq;
    struct ev_entry e = {.at = at, .ev = ev};
    if (ev->slot != 0) {
        /* In place: the new key moves the entry up or down, never both. */
        uint32_t i = ev->slot - 1;
        if (i > 0 && entry_before(&e, &q->heap[(i - 1) / ARITY])) {
            sift_up(q, i, e);
        } else {
            sift_down(q, i, e);
        }
        return;
    }
    if (q->len == q->cap) {
        grow(q);
    }
    q->len++;
    sift_up(q, q->len - 1, e);
}

void
ev_schedule(struct ev_queue *q, struct ev *ev, sim_time at)
{
    ev_schedule_seq(q, ev, at, q->next_seq++);
}

void
ev_cancel(struct ev_queue *q, struct ev *ev)
{
    if (ev->slot != 0) {
        remove_at(q, ev->slot - 1);
    }
}

sim_time
ev_next_time(const struct ev_queue *q)
{
    return q->len ? q->heap[0].at : SIM_TIME_NEVER;
}

bool
ev_step(struct ev_queue *q, sim_time limit)
{
    if (q->len == 0 || q->heap[0].at > limit) {
        return false;
    }
    struct ev *ev = q->heap[0].ev;
    q->now = q->heap[0].at;
    remove_at(q, 0);
    q->fired++;
    ev->fn(ev);
    return true;
}

bool
ev_run_until(struct ev_queue *q, sim_time limit)
{
    q->stop = false;
    while (!q->stop && ev_step(q, limit)) {
    }
    return q->stop || q->len != 0;
}
