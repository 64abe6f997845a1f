/*
 * ev.c: the event queue, a 4-ary min-heap ordered by (at, seq).
 *
 * Entry points: ev_schedule(), ev_cancel(), ev_run_until(). A 4-ary heap halves the
 * depth of a binary one and keeps the four children of a node in one or two cache
 * lines, which matters with ten million pending timers. Each event records its slot, so
 * cancellation removes it in O(log n) by moving the last entry into the hole.
 */
#include "ev.h"

#include <glib.h>

#define ARITY 4

static inline bool
entry_before(const struct ev_entry *a, const struct ev_entry *b)
{
    if (a->at != b->at) {
        return a->at < b->at;
    }
    return a->seq < b->seq;
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
    g_free(q->heap);
    mem_charge(&q->mem, -(int64_t)(q->cap * sizeof(struct ev_entry)));
    struct mem_meter mem = q->mem;
    *q = (struct ev_queue){0};
    q->mem = mem;
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
ev_schedule(struct ev_queue *q, struct ev *ev, sim_time at)
{
    g_assert(ev->fn != NULL);
    g_assert(at >= q->now);
    if (ev->slot != 0) {
        remove_at(q, ev->slot - 1);
    }
    if (q->len == q->cap) {
        uint32_t cap = q->cap ? q->cap * 2 : 64;
        mem_charge(&q->mem, (int64_t)((cap - q->cap) * sizeof(struct ev_entry)));
        q->cap = cap;
        q->heap = g_renew(struct ev_entry, q->heap, q->cap);
    }
    struct ev_entry e = {.at = at, .seq = q->next_seq++, .ev = ev};
    q->len++;
    sift_up(q, q->len - 1, e);
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
