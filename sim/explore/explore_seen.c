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
    s->keys = g_new0(uint64_t, s->cap);
    s->depth = g_new0(uint8_t, s->cap);
}

void
seen_limit(struct seen *s, size_t bits)
{
    /* `bits` counts shared slots of 5 bytes; a private slot is 9 (the whole hash, which
     * its growth rehashes): half as many fit in the same memory. */
    s->max_cap = (size_t)1 << (bits > 16 ? bits - 1 : bits);
}

/* The shared mapping: a counter's line, the fingerprints, the depths. */
static size_t
shared_bytes(size_t cap)
{
    return 64 + cap * sizeof(uint32_t) + cap;
}

uint64_t
seen_shared_bytes(size_t bits)
{
    return shared_bytes((size_t)1 << bits);
}

size_t
seen_bits_for(uint64_t bytes)
{
    size_t bits = 0;
    for (size_t b = 16; b <= 40 && ((uint64_t)SEEN_SLOT_BYTES << b) <= bytes; b++) {
        bits = b;
    }
    return bits;
}

bool
seen_init_shared(struct seen *s, size_t bits)
{
    memset(s, 0, sizeof *s);
    s->cap = (size_t)1 << bits;
    void *m = mmap(NULL, shared_bytes(s->cap), PROT_READ | PROT_WRITE,
                   MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (m == MAP_FAILED) {
        return false;
    }
    s->shared = true;
    s->shared_len = m;
    s->fps = (uint32_t *)(void *)((char *)m + 64);
    s->depth = (uint8_t *)(s->fps + s->cap);
    return true;
}

void
seen_free(struct seen *s)
{
    if (s->shared) {
        munmap(s->shared_len, shared_bytes(s->cap));
    } else {
        g_free(s->keys);
        g_free(s->depth);
    }
    s->keys = NULL;
    s->fps = NULL;
    s->depth = NULL;
}

static inline uint64_t
seen_key(uint64_t hash)
{
    return hash ? hash : 1; /* 0 marks an empty slot */
}

static inline size_t
seen_slot(const struct seen *s, uint64_t k)
{
    return (size_t)(k * 0x9e3779b97f4a7c15ull >> 20) & (s->cap - 1);
}

static void
seen_grow(struct seen *s)
{
    uint64_t *okeys = s->keys;
    uint8_t *odepth = s->depth;
    size_t ocap = s->cap;
    s->cap *= 2;
    s->keys = g_new0(uint64_t, s->cap);
    s->depth = g_new0(uint8_t, s->cap);
    for (size_t i = 0; i < ocap; i++) {
        if (okeys[i] != 0) {
            size_t j = seen_slot(s, okeys[i]);
            while (s->keys[j] != 0) {
                j = (j + 1) & (s->cap - 1);
            }
            s->keys[j] = okeys[i];
            s->depth[j] = odepth[i];
        }
    }
    g_free(okeys);
    g_free(odepth);
}

bool
seen_full(const struct seen *s)
{
    if (s->shared) {
        return __atomic_load_n(s->shared_len, __ATOMIC_RELAXED) * 4 >= s->cap * 3;
    }
    return s->max_cap != 0 && s->len * 4 >= s->max_cap * 3;
}

/* Lowers the shared depth of slot i to `depth`; true when it was deeper. The shared
 * depths are stored as 255 - depth, so that a depth not yet written by the worker that
 * claimed the key (0, the mapping's zero) reads as the deepest: lowering it is then
 * right too (that worker expands the state as well; once more is no harm). */
static bool
lower_depth(struct seen *s, size_t i, uint8_t depth)
{
    uint8_t want = (uint8_t)(255 - depth);
    uint8_t cur = __atomic_load_n(&s->depth[i], __ATOMIC_ACQUIRE);
    while (cur < want) {
        if (__atomic_compare_exchange_n(&s->depth[i], &cur, want, false, __ATOMIC_ACQ_REL,
                                        __ATOMIC_ACQUIRE)) {
            return true;
        }
    }
    return false;
}

bool
seen_visit(struct seen *s, uint64_t hash, int depth)
{
    uint64_t k = seen_key(hash);
    uint8_t d = (uint8_t)depth;
    if (!s->shared) {
        if (s->len * 2 >= s->cap && (s->max_cap == 0 || s->cap < s->max_cap)) {
            seen_grow(s);
        }
        size_t i = seen_slot(s, k);
        while (s->keys[i] != 0) {
            if (s->keys[i] == k) {
                if (s->depth[i] <= d) {
                    return false;
                }
                s->depth[i] = d;
                return true;
            }
            i = (i + 1) & (s->cap - 1);
        }
        s->keys[i] = k;
        s->depth[i] = d;
        s->len++;
        return true;
    }
    /* Shared: the slot from the top bits of the hash (multiplied, so every bit counts),
     * its two halves folded into the 32 bits kept there. */
    size_t i = (size_t)((hash * 0x9e3779b97f4a7c15ull) >>
                        (64 - __builtin_ctzll((unsigned long long)s->cap)));
    uint32_t fp = (uint32_t)(hash >> 32) ^ (uint32_t)hash;
    fp = fp ? fp : 1;
    for (;;) {
        uint32_t cur = __atomic_load_n(&s->fps[i], __ATOMIC_ACQUIRE);
        if (cur == 0) {
            uint32_t empty = 0;
            if (__atomic_compare_exchange_n(&s->fps[i], &empty, fp, false, __ATOMIC_ACQ_REL,
                                            __ATOMIC_ACQUIRE)) {
                __atomic_fetch_add(s->shared_len, 1, __ATOMIC_RELAXED);
                lower_depth(s, i, d);
                return true;
            }
            continue; /* another worker took the slot: look at it again */
        }
        if (cur == fp) {
            return lower_depth(s, i, d);
        }
        i = (i + 1) & (s->cap - 1);
    }
}

bool
seen_copy(struct seen *to, const struct seen *from)
{
    for (size_t i = 0; i < from->cap; i++) {
        if (from->keys[i] != 0) {
            if (seen_full(to)) {
                return false;
            }
            seen_visit(to, from->keys[i], from->depth[i]);
        }
    }
    return true;
}
