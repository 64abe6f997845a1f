/* SPDX-License-Identifier: MIT */
/*
 * pool.c: chunks for pool.h.
 *
 * Entry points: pool_init(), pool_alloc0_slow(), pool_destroy().
 */
/* MAP_ANONYMOUS and madvise(), which _POSIX_C_SOURCE alone hides. */
#define _DEFAULT_SOURCE 1

#include "pool.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#define POOL_FIRST_CHUNK ((size_t)64 << 10)
#define POOL_MAX_CHUNK ((size_t)4 << 20)
#define POOL_HUGE ((size_t)2 << 20)

struct pool_chunk {
    struct pool_chunk *next;
    size_t bytes;   /* what was mapped or allocated, header included */
    bool mapped;
};

/* The first chunk of the pools initialised from now on. */
static size_t first_chunk = POOL_FIRST_CHUNK;

void
pool_first_chunk_set(size_t bytes)
{
    g_return_if_fail(bytes >= 1024 && bytes <= POOL_FIRST_CHUNK);
    first_chunk = bytes;
}

void
pool_init(struct pool *p, size_t size)
{
    memset(p, 0, sizeof *p);
    p->size = (size + 15) & ~(size_t)15;
    p->next_chunk = first_chunk;
}

/* First-size chunks of destroyed pools, cleared, kept per thread (up to SPARE_MAX) for
 * the next pools: a program that builds world after world (tcpsim explore builds one
 * per transition) then does not clear 64 KiB per pool each time, only what was used. */
#define SPARE_MAX 16

struct chunk_spares {
    struct pool_chunk *list;
    unsigned n;
};

static void
chunk_spares_free(gpointer p)
{
    struct chunk_spares *sp = p;
    while (sp->list != NULL) {
        /* linked through the chunk's last word (keep_spare()), not through ->next,
         * which the clearing zeroed: following ->next freed one and lost the rest */
        struct pool_chunk *c = sp->list;
        sp->list = *(struct pool_chunk **)(void *)((char *)c + POOL_FIRST_CHUNK - sizeof c);
        g_free(c);
    }
    g_free(sp);
}

static GPrivate spares_key = G_PRIVATE_INIT(chunk_spares_free);

/* A chunk of at least `bytes`; from 2 MiB up, mapped on a 2 MiB boundary and advised
 * for huge pages (the kernel then backs each 2 MiB with one page on first touch). */
static struct pool_chunk *
chunk_new(size_t bytes)
{
    struct pool_chunk *c = NULL;
    struct chunk_spares *sp = g_private_get(&spares_key);
    if (bytes == POOL_FIRST_CHUNK && first_chunk == POOL_FIRST_CHUNK && sp != NULL &&
        sp->list != NULL) {
        c = sp->list; /* cleared when it was kept */
        sp->list = *(struct pool_chunk **)(void *)((char *)c + bytes - sizeof c);
        *(struct pool_chunk **)(void *)((char *)c + bytes - sizeof c) = NULL;
        sp->n--;
        c->mapped = false;
        c->bytes = bytes;
        return c;
    }
    if (bytes >= POOL_HUGE) {
        size_t len = bytes + POOL_HUGE;
        char *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (m != MAP_FAILED) {
            char *a = (char *)(((uintptr_t)m + POOL_HUGE - 1) & ~(uintptr_t)(POOL_HUGE - 1));
            if (a > m) {
                munmap(m, (size_t)(a - m));
            }
            size_t tail = (size_t)(m + len - (a + bytes));
            if (tail > 0) {
                munmap(a + bytes, tail);
            }
#ifdef MADV_HUGEPAGE
            (void)madvise(a, bytes, MADV_HUGEPAGE);
#endif
            c = (struct pool_chunk *)(void *)a;
            c->mapped = true;
        }
    }
    if (c == NULL) {
        c = g_malloc0(bytes);
        c->mapped = false;
    }
    c->bytes = bytes;
    return c;
}

void *
pool_alloc0_slow(struct pool *p)
{
    /* Compared as a length: before the first chunk cur is NULL, and NULL + size is
     * undefined behaviour (UBSan saw it under the segment fuzzer's seeding). */
    if (p->cur == NULL || (size_t)(p->end - p->cur) < p->size) {
        size_t bytes = p->next_chunk;
        while (bytes < sizeof(struct pool_chunk) + 16 + p->size) {
            bytes *= 2;
        }
        if (p->next_chunk < POOL_MAX_CHUNK) {
            p->next_chunk *= 2;
        }
        struct pool_chunk *c = chunk_new(bytes);
        c->next = p->chunks;
        p->chunks = c;
        p->cur = (char *)c + ((sizeof *c + 15) & ~(size_t)15);
        p->end = (char *)c + bytes;
    }
    /* Never handed out before: zero already (fresh mapping, or g_malloc0). */
    void *b = p->cur;
    p->cur += p->size;
    return b;
}

/* Keeps a first-size chunk for the next pool in this thread, cleared (only the part the
 * pool handed out: the rest was never written); false when enough are kept. The spare
 * list links through the chunk's last word, cleared again when it is taken. */
static bool
keep_spare(const struct pool *p, struct pool_chunk *c)
{
    struct chunk_spares *sp = g_private_get(&spares_key);
    if (sp == NULL) {
        sp = g_new0(struct chunk_spares, 1);
        g_private_set(&spares_key, sp);
    }
    if (sp->n >= SPARE_MAX) {
        return false;
    }
    size_t used = c->bytes;
    if (c == p->chunks && p->cur >= (char *)c && p->cur <= (char *)c + c->bytes) {
        used = (size_t)(p->cur - (char *)c); /* the newest chunk: used up to cur */
    }
    size_t bytes = c->bytes;
    memset(c, 0, used);
    *(struct pool_chunk **)(void *)((char *)c + bytes - sizeof c) = sp->list;
    sp->list = c;
    sp->n++;
    return true;
}

void
pool_destroy(struct pool *p)
{
    struct pool_chunk *c = p->chunks;
    while (c != NULL) {
        struct pool_chunk *next = c->next;
        if (c->mapped) {
            munmap(c, c->bytes);
        } else if (c->bytes == POOL_FIRST_CHUNK && first_chunk == POOL_FIRST_CHUNK &&
                   keep_spare(p, c)) {
            /* kept, cleared, for the next pool */
        } else {
            g_free(c);
        }
        c = next;
    }
    memset(p, 0, sizeof *p);
}
