/* SPDX-License-Identifier: MIT */
/*
 * ev.c: the event queue (see ev.h): a near heap, a ring of time buckets, a far heap.
 *
 * Entry points: ev_schedule(), ev_cancel(), ev_run_until(). The order is exactly that of
 * one heap ordered by (at, seq): every event in the near heap is due before the horizon
 * (the start of bucket `cur`), every event in the ring or the far heap at or after it,
 * so the near heap's minimum is the queue's. When the near heap is empty, the earliest
 * non-empty bucket is poured into it and the horizon moves past that bucket; events of
 * the far heap enter the ring as the ring's window reaches them.
 *
 * Heaps are 4-ary with 16-byte entries, laid out so that a node's four children fill
 * one 64-byte cache line; a rescheduled pending event in the near heap moves in place.
 * Buckets are unsorted arrays: scheduling into one and cancelling from one are O(1).
 */
#include "ev.h"

#include <glib.h>
#include <string.h>

#define ARITY 4
/* Entry i of a heap is at index i + HEAP_SKEW of a 64-byte aligned block, so that the
 * children of node i, 4i+1 .. 4i+4, fill exactly one cache line. */
#define HEAP_SKEW 3
#define BUCKET_SHIFT 24 /* a bucket spans 2^24 ns, 16.8 ms */
#define RING_BITS 16
#define RING_SIZE (q->ring_size)
#define RING_MASK (q->ring_size - 1)

/* The ring of the queues initialised from now on: 2^ring_bits buckets. */
static unsigned ring_bits = RING_BITS;

void
ev_ring_bits_set(unsigned bits)
{
    g_return_if_fail(bits >= EV_RING_BITS_MIN && bits <= RING_BITS);
    ring_bits = bits;
}
#define WHERE_NEAR 0xFFFFFFFFu
#define WHERE_FAR 0xFFFFFFFEu

/* --- heaps ------------------------------------------------------------------------ */

static inline bool
entry_before(const struct ev_entry *a, const struct ev_entry *b)
{
    if (a->at != b->at) {
        return a->at < b->at;
    }
    return a->ev->seq < b->ev->seq;
}

static inline void
place(struct ev_heap *h, uint32_t i, struct ev_entry e)
{
    h->a[i] = e;
    e.ev->slot = i + 1;
}

static void
sift_up(struct ev_heap *h, uint32_t i, struct ev_entry e)
{
    while (i > 0) {
        uint32_t parent = (i - 1) / ARITY;
        if (!entry_before(&e, &h->a[parent])) {
            break;
        }
        place(h, i, h->a[parent]);
        i = parent;
    }
    place(h, i, e);
}

static void
sift_down(struct ev_heap *h, uint32_t i, struct ev_entry e)
{
    for (;;) {
        uint32_t first = i * ARITY + 1;
        if (first >= h->len) {
            break;
        }
        uint32_t last = first + ARITY < h->len ? first + ARITY : h->len;
        uint32_t best = first;
        for (uint32_t c = first + 1; c < last; c++) {
            if (entry_before(&h->a[c], &h->a[best])) {
                best = c;
            }
        }
        if (!entry_before(&h->a[best], &e)) {
            break;
        }
        place(h, i, h->a[best]);
        i = best;
    }
    place(h, i, e);
}

static void
heap_grow(struct ev_heap *h, struct mem_meter *m)
{
    uint32_t cap = h->cap ? h->cap * 2 : 64;
    mem_charge(m, (int64_t)((cap - h->cap) * sizeof(struct ev_entry)));
    g_assert(cap > h->cap); /* 2^31 pending events is beyond any memory we will have */
    struct ev_entry *block = g_aligned_alloc(cap + HEAP_SKEW, sizeof(struct ev_entry), 64);
    if (h->a != NULL) {
        memcpy(block + HEAP_SKEW, h->a, h->len * sizeof(struct ev_entry));
        g_aligned_free(h->a - HEAP_SKEW);
    }
    h->a = block + HEAP_SKEW;
    h->cap = cap;
}

static void
heap_insert(struct ev_heap *h, struct ev_entry e, struct mem_meter *m)
{
    if (h->len == h->cap) {
        heap_grow(h, m);
    }
    e.ev->where = h->where;
    h->len++;
    sift_up(h, h->len - 1, e);
}

/* Removes the entry at index i and restores the heap property. */
static void
heap_remove_at(struct ev_heap *h, uint32_t i)
{
    h->a[i].ev->slot = 0;
    h->len--;
    if (i == h->len) {
        return;
    }
    struct ev_entry moved = h->a[h->len];
    if (i > 0 && entry_before(&moved, &h->a[(i - 1) / ARITY])) {
        sift_up(h, i, moved);
    } else {
        sift_down(h, i, moved);
    }
}

static void
heap_free(struct ev_heap *h)
{
    for (uint32_t i = 0; i < h->len; i++) {
        h->a[i].ev->slot = 0;
    }
    if (h->a != NULL) {
        g_aligned_free(h->a - HEAP_SKEW);
    }
}

/* --- the ring ----------------------------------------------------------------------- */

static sim_time
horizon(const struct ev_queue *q)
{
    return (sim_time)(q->cur << BUCKET_SHIFT);
}

/* One ring kept per thread by the last queue destroyed, cleared, for the next queue:
 * a program that builds world after world (tcpsim explore replays a path from a fresh
 * world for every transition) then neither maps a mebibyte nor faults its pages in
 * each time, nor unmaps it (a TLB flush) at the end. Freed when its thread ends. */
struct ring_spare {
    struct ev_bucket *ring;
    uint64_t *busy;
    uint64_t *held;
};

static void
ring_spare_free(gpointer p)
{
    struct ring_spare *sp = p;
    g_free(sp->ring);
    g_free(sp->busy);
    g_free(sp->held);
    g_free(sp);
}

static GPrivate ring_spare_key = G_PRIVATE_INIT(ring_spare_free);

static void
bucket_push(struct ev_queue *q, uint64_t k, struct ev_entry e)
{
    if (q->ring == NULL) {
        struct ring_spare *sp =
            q->ring_size == 1u << RING_BITS ? g_private_get(&ring_spare_key) : NULL;
        if (sp != NULL) {
            q->ring = sp->ring;
            q->busy = sp->busy;
            q->held = sp->held;
            g_free(sp);
            g_private_set(&ring_spare_key, NULL);
        } else {
            q->ring = g_new0(struct ev_bucket, RING_SIZE);
            q->busy = g_new0(uint64_t, RING_SIZE / 64);
            q->held = g_new0(uint64_t, RING_SIZE / 64);
        }
        mem_charge(&q->mem, RING_SIZE * sizeof(struct ev_bucket) + RING_SIZE / 4);
    }
    uint32_t slot = (uint32_t)(k & RING_MASK);
    struct ev_bucket *b = &q->ring[slot];
    if (b->len == b->cap) {
        uint32_t cap = b->cap ? b->cap * 2 : 8;
        mem_charge(&q->mem, (int64_t)((cap - b->cap) * sizeof(struct ev_entry)));
        q->ring_items += cap - b->cap;
        b->cap = cap;
        b->items = g_renew(struct ev_entry, b->items, b->cap);
        q->held[slot / 64] |= 1ull << (slot % 64);
    }
    b->items[b->len++] = e;
    e.ev->where = slot;
    e.ev->slot = b->len;
    q->busy[slot / 64] |= 1ull << (slot % 64);
    q->in_ring++;
}

static void
bucket_remove(struct ev_queue *q, struct ev *ev)
{
    struct ev_bucket *b = &q->ring[ev->where];
    uint32_t i = ev->slot - 1;
    ev->slot = 0;
    b->len--;
    if (i != b->len) {
        b->items[i] = b->items[b->len];
        b->items[i].ev->slot = i + 1;
    }
    if (b->len == 0) {
        q->busy[ev->where / 64] &= ~(1ull << (ev->where % 64));
    }
    q->in_ring--;
}

/* Files an event where its time says: the near heap, a bucket of the ring, or far. */
static void
file_event(struct ev_queue *q, struct ev_entry e)
{
    if (e.at < horizon(q)) {
        heap_insert(&q->near, e, &q->mem);
        return;
    }
    uint64_t k = (uint64_t)e.at >> BUCKET_SHIFT;
    if (k < q->cur + RING_SIZE) {
        bucket_push(q, k, e);
    } else {
        heap_insert(&q->far, e, &q->mem);
    }
}

/* The earliest non-empty bucket's number (the ring holds buckets cur .. cur+RING-1). */
static uint64_t
first_busy(const struct ev_queue *q)
{
    uint32_t start = (uint32_t)(q->cur & RING_MASK);
    for (uint32_t n = 0; n <= RING_SIZE / 64; n++) {
        uint32_t w = (start / 64 + n) % (RING_SIZE / 64);
        uint64_t bits = q->busy[w];
        if (n == 0) {
            bits &= ~0ull << (start % 64); /* buckets before `start` come last */
        } else if (n == RING_SIZE / 64) {
            bits &= (start % 64) ? ~(~0ull << (start % 64)) : 0;
        }
        if (bits) {
            uint32_t slot = w * 64 + (uint32_t)__builtin_ctzll(bits);
            return q->cur + ((slot - start) & RING_MASK);
        }
    }
    g_assert_not_reached(); /* called only with events in the ring */
}

static void
bucket_release(struct ev_queue *q, uint32_t slot)
{
    struct ev_bucket *b = &q->ring[slot];
    mem_charge(&q->mem, -(int64_t)(b->cap * sizeof(struct ev_entry)));
    q->ring_items -= b->cap;
    g_free(b->items);
    *b = (struct ev_bucket){0};
    q->held[slot / 64] &= ~(1ull << (slot % 64));
}

/* Frees the items arrays of the empty buckets numbered [from, to), which the ring has
 * moved past. Kept, they would leave an array in every bucket a long run ever used:
 * 65,536 of them, megabytes that no pending event needs. */
static void
release_passed(struct ev_queue *q, uint64_t from, uint64_t to)
{
    if (q->ring == NULL) {
        return; /* every event so far went to the near or far heap: no bucket exists */
    }
    if (to - from > RING_SIZE) {
        from = to - RING_SIZE;
    }
    for (uint64_t k = from; k < to;) {
        uint32_t slot = (uint32_t)(k & RING_MASK);
        uint32_t w = slot / 64;
        uint32_t lo = slot % 64;
        uint64_t span = MIN(64u - lo, to - k);
        uint64_t mask = (span == 64 ? ~0ull : (1ull << span) - 1) << lo;
        for (uint64_t bits = q->held[w] & ~q->busy[w] & mask; bits != 0; bits &= bits - 1) {
            bucket_release(q, w * 64 + (uint32_t)__builtin_ctzll(bits));
        }
        k += span;
    }
}

/* Moves far events the ring's window now reaches into their buckets. */
static void
pull_far(struct ev_queue *q)
{
    while (q->far.len > 0 && ((uint64_t)q->far.a[0].at >> BUCKET_SHIFT) < q->cur + RING_SIZE) {
        struct ev_entry e = q->far.a[0];
        heap_remove_at(&q->far, 0);
        bucket_push(q, (uint64_t)e.at >> BUCKET_SHIFT, e);
    }
}

/* Makes the near heap hold the earliest event, if any event is pending. */
static void
refill(struct ev_queue *q)
{
    while (q->near.len == 0 && q->len > 0) {
        if (q->in_ring == 0) {
            release_passed(q, q->cur, q->cur + RING_SIZE);
            q->cur = (uint64_t)q->far.a[0].at >> BUCKET_SHIFT; /* skip the empty years */
            pull_far(q);
            continue;
        }
        uint64_t k = first_busy(q);
        struct ev_bucket *b = &q->ring[k & RING_MASK];
        uint64_t passed = q->cur;
        q->cur = k + 1;
        q->in_ring -= b->len;
        q->busy[(k & RING_MASK) / 64] &= ~(1ull << ((k & RING_MASK) % 64));
        for (uint32_t i = 0; i < b->len; i++) {
            heap_insert(&q->near, b->items[i], &q->mem);
        }
        b->len = 0;
        release_passed(q, passed, k + 1);
        pull_far(q);
    }
}

/* --- the queue ---------------------------------------------------------------------- */

void
ev_queue_init(struct ev_queue *q)
{
    *q = (struct ev_queue){0};
    q->ring_size = 1u << ring_bits;
    q->near.where = WHERE_NEAR;
    q->far.where = WHERE_FAR;
}

void
ev_queue_destroy(struct ev_queue *q)
{
    /* What the queue had was charged to its meter as it grew; credit it back. */
    mem_charge(&q->mem, -(int64_t)ev_queue_bytes(q));
    heap_free(&q->near);
    heap_free(&q->far);
    if (q->ring != NULL) {
        /* Only the buckets that ever held something: the rest of the ring was never
         * touched, and reading it would fault in a mebibyte of zero pages. */
        for (uint32_t w = 0; w < RING_SIZE / 64; w++) {
            for (uint64_t bits = q->held[w]; bits != 0; bits &= bits - 1) {
                struct ev_bucket *b = &q->ring[w * 64 + (uint32_t)__builtin_ctzll(bits)];
                for (uint32_t i = 0; i < b->len; i++) {
                    b->items[i].ev->slot = 0;
                }
                g_free(b->items);
                *b = (struct ev_bucket){0};
            }
        }
        if (q->ring_size == 1u << RING_BITS && g_private_get(&ring_spare_key) == NULL) {
            /* every bucket is clear: keep it */
            memset(q->busy, 0, RING_SIZE / 8);
            memset(q->held, 0, RING_SIZE / 8);
            struct ring_spare *sp = g_new(struct ring_spare, 1);
            *sp = (struct ring_spare){.ring = q->ring, .busy = q->busy, .held = q->held};
            g_private_set(&ring_spare_key, sp);
        } else {
            g_free(q->ring);
            g_free(q->busy);
            g_free(q->held);
        }
    }
    struct mem_meter mem = q->mem;
    *q = (struct ev_queue){.dead = true};
    q->mem = mem;
}

static void
remove_event(struct ev_queue *q, struct ev *ev)
{
    if (ev->where == WHERE_NEAR) {
        heap_remove_at(&q->near, ev->slot - 1);
    } else if (ev->where == WHERE_FAR) {
        heap_remove_at(&q->far, ev->slot - 1);
    } else {
        bucket_remove(q, ev);
    }
    q->len--;
}

size_t
ev_queue_bytes(const struct ev_queue *q)
{
    size_t n = ((size_t)q->near.cap + q->far.cap) * sizeof(struct ev_entry);
    if (q->ring != NULL) {
        n += RING_SIZE * sizeof(struct ev_bucket) + RING_SIZE / 4;
        n += q->ring_items * sizeof(struct ev_entry);
    }
    return n;
}

sim_time
ev_due(const struct ev_queue *q, const struct ev *ev)
{
    if (ev->slot == 0) {
        return SIM_TIME_NEVER;
    }
    if (ev->where == WHERE_NEAR) {
        return q->near.a[ev->slot - 1].at;
    }
    if (ev->where == WHERE_FAR) {
        return q->far.a[ev->slot - 1].at;
    }
    return q->ring[ev->where].items[ev->slot - 1].at;
}

void
ev_schedule_seq(struct ev_queue *q, struct ev *ev, sim_time at, uint64_t seq)
{
    if (G_UNLIKELY(q->dead)) {
        return; /* the simulation is being freed; nothing will run */
    }
    g_assert(ev->fn != NULL);
    g_assert(at >= q->now);
    struct ev_entry e = {.at = at, .ev = ev};
    if (ev->slot != 0 && ev->where == WHERE_NEAR && at < horizon(q)) {
        /* In place: the new key moves the entry up or down, never both. */
        ev->seq = seq;
        uint32_t i = ev->slot - 1;
        if (i > 0 && entry_before(&e, &q->near.a[(i - 1) / ARITY])) {
            sift_up(&q->near, i, e);
        } else {
            sift_down(&q->near, i, e);
        }
        return;
    }
    if (ev->slot != 0) {
        remove_event(q, ev);
    }
    ev->seq = seq;
    file_event(q, e);
    q->len++;
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
        remove_event(q, ev);
    }
}

sim_time
ev_next_time(struct ev_queue *q)
{
    refill(q);
    return q->near.len ? q->near.a[0].at : SIM_TIME_NEVER;
}

bool
ev_step(struct ev_queue *q, sim_time limit)
{
    refill(q);
    if (q->near.len == 0 || q->near.a[0].at > limit || q->near.a[0].at >= SIM_TIME_END) {
        return false;
    }
    struct ev *ev = q->near.a[0].ev;
    q->now = q->near.a[0].at;
    heap_remove_at(&q->near, 0);
    q->len--;
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
