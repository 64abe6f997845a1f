/* SPDX-License-Identifier: MIT */
/*
 * pool.h: fixed-size blocks from large chunks, reused through a free list.
 *
 * For what a simulation makes and drops by the thousand (connection blocks, sockets,
 * RACK state): a freed block goes to the front of the pool's free list and is the next
 * one handed out, so a run whose population has stopped growing touches no new page and
 * calls no allocator. Chunks double from 64 KiB to 4 MiB; those of 2 MiB and more are
 * mapped on a 2 MiB boundary and advised for transparent huge pages, so a run that keeps
 * 100,000 connection blocks takes a few dozen page faults rather than 25,000. Chunks go
 * back only when the pool is destroyed.
 *
 * Blocks are handed out zeroed (pool_alloc0()), as g_new0() did. The pool says nothing
 * to the memory meter (mem.h): the modules charge what they hold, as before, so
 * --max-memory does not depend on how the pool is grown.
 *
 * Entry points: pool_init(), pool_alloc0(), pool_free(), pool_destroy().
 */
#ifndef TCPSIM_ENGINE_POOL_H
#define TCPSIM_ENGINE_POOL_H

#include <stddef.h>

struct pool_chunk;

struct pool {
    size_t size;                /* bytes a block, rounded up to 16 */
    void *free;                 /* freed blocks, linked through their first word */
    char *cur, *end;            /* the newest chunk's blocks never handed out */
    struct pool_chunk *chunks;  /* every chunk, newest first */
    size_t next_chunk;          /* bytes of the next chunk */
};

void pool_init(struct pool *p, size_t size);
/* The first chunk of every pool initialised from now on, 1 KiB to 64 KiB (the default);
 * below 64 KiB no chunk is kept for the next pool. A program that copies whole worlds
 * (tcpsim explore, sim/explore/explore_heap.h) keeps them small. */
void pool_first_chunk_set(size_t bytes);
void *pool_alloc0_slow(struct pool *p);
void pool_destroy(struct pool *p);

/* A zeroed block of p->size bytes. */
static inline void *
pool_alloc0(struct pool *p)
{
    void *b = p->free;
    if (b == NULL) {
        return pool_alloc0_slow(p);
    }
    p->free = *(void **)b;
    __builtin_memset(b, 0, p->size);
    return b;
}

static inline void
pool_free(struct pool *p, void *b)
{
    if (b != NULL) {
        *(void **)b = p->free;
        p->free = b;
    }
}

#endif
