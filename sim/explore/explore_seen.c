/* SPDX-License-Identifier: MIT */
/*
 * explore_seen.c: the table of states met (explore_seen.h): open addressing, linear
 * probing; a private table doubles at half full, the shared one is mapped once.
 */
/* MAP_ANONYMOUS and MAP_NORESERVE, which _POSIX_C_SOURCE alone hides. */
#define _DEFAULT_SOURCE 1

#include "explore_seen.h"

#include <glib.h>
#include <string.h>
#include <sys/mman.h>

void
seen_init(struct seen *s)
{
    memset(s, 0, sizeof *s);
    s->cap = 1u << 16;
    s->slots = g_new0(uint64_t, s->cap);
}

/* The shared table; false when it cannot be mapped. */
bool
seen_init_shared(struct seen *s, size_t bits)
{
    memset(s, 0, sizeof *s);
    s->cap = (size_t)1 << bits;
    size_t bytes = (s->cap + 8) * sizeof(uint64_t);
    void *m = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE,
                   -1, 0);
    if (m == MAP_FAILED) {
        return false;
    }
    s->shared = true;
    s->shared_len = m;
    s->slots = (uint64_t *)m + 8;
    return true;
}

void
seen_free(struct seen *s)
{
    if (s->shared) {
        munmap(s->shared_len, (s->cap + 8) * sizeof(uint64_t));
    } else {
        g_free(s->slots);
    }
    s->slots = NULL;
}

static inline uint64_t
seen_key(uint64_t hash)
{
    uint64_t k = hash >> 8;
    return k ? k : 1;
}

static inline size_t
seen_slot(const struct seen *s, uint64_t k)
{
    return (size_t)(k * 0x9e3779b97f4a7c15ull >> 20) & (s->cap - 1);
}

static void
seen_grow(struct seen *s)
{
    uint64_t *old = s->slots;
    size_t ocap = s->cap;
    s->cap *= 2;
    s->len = 0;
    s->slots = g_new0(uint64_t, s->cap);
    for (size_t i = 0; i < ocap; i++) {
        if (old[i] != 0) {
            size_t j = seen_slot(s, old[i] >> 8);
            while (s->slots[j] != 0) {
                j = (j + 1) & (s->cap - 1);
            }
            s->slots[j] = old[i];
            s->len++;
        }
    }
    g_free(old);
}

/* The shared table is full (3/4 of its slots): the search must stop. */
bool
seen_full(const struct seen *s)
{
    return s->shared && __atomic_load_n(s->shared_len, __ATOMIC_RELAXED) * 4 >= s->cap * 3;
}

/* True when `hash` is new, or was seen only deeper: it must be expanded (again). */
bool
seen_visit(struct seen *s, uint64_t hash, int depth)
{
    uint64_t k = seen_key(hash);
    uint64_t want = k << 8 | (uint64_t)(uint8_t)depth;
    if (!s->shared) {
        if (s->len * 2 >= s->cap) {
            seen_grow(s);
        }
        size_t i = seen_slot(s, k);
        while (s->slots[i] != 0) {
            if (s->slots[i] >> 8 == k) {
                if ((s->slots[i] & 0xff) <= (uint64_t)depth) {
                    return false;
                }
                s->slots[i] = want;
                return true;
            }
            i = (i + 1) & (s->cap - 1);
        }
        s->slots[i] = want;
        s->len++;
        return true;
    }
    size_t i = seen_slot(s, k);
    for (;;) {
        uint64_t cur = __atomic_load_n(&s->slots[i], __ATOMIC_ACQUIRE);
        if (cur == 0) {
            if (__atomic_compare_exchange_n(&s->slots[i], &cur, want, false, __ATOMIC_ACQ_REL,
                                            __ATOMIC_ACQUIRE)) {
                __atomic_fetch_add(s->shared_len, 1, __ATOMIC_RELAXED);
                return true;
            }
            continue; /* another worker took the slot: look at it again */
        }
        if (cur >> 8 == k) {
            if ((cur & 0xff) <= (uint64_t)depth) {
                return false;
            }
            if (__atomic_compare_exchange_n(&s->slots[i], &cur, want, false, __ATOMIC_ACQ_REL,
                                            __ATOMIC_ACQUIRE)) {
                return true;
            }
            continue;
        }
        i = (i + 1) & (s->cap - 1);
    }
}

/* Copies a private table into the shared one (the levels searched before the fork). */
void
seen_copy(struct seen *to, const struct seen *from)
{
    for (size_t i = 0; i < from->cap; i++) {
        if (from->slots[i] != 0) {
            seen_visit(to, from->slots[i] & ~(uint64_t)0xff, (int)(from->slots[i] & 0xff));
        }
    }
}

