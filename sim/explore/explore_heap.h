/* SPDX-License-Identifier: MIT */
/*
 * explore_heap.h: a heap at a fixed address whose contents can be saved and put back,
 * so that explore copies a world instead of rebuilding it (explore_search.c).
 *
 * A world is a graph of pointers (the engine's queue, the hosts' tables, the pools, the
 * connections, the applications) that no code knows how to copy. Built while the heap
 * is entered, every byte of it lives in one region mapped at the same address in every
 * worker, so saving the region's used part and copying it back later restores the world
 * exactly, pointers included. malloc() and its family are replaced in the program:
 * outside xheap_enter() .. xheap_leave() they are the C library's; inside they come
 * from the region (glib's allocations too, which is why explore runs with
 * G_SLICE=always-malloc). The region keeps its own free lists inside it, so they are
 * saved and restored with the world.
 *
 * What must hold: while entered, only the world's code runs, and it neither frees nor
 * grows memory from outside the region (xheap_foreign() counts it; explore stops if it is
 * ever non-zero); nothing outside keeps a pointer into the region across a restore.
 * Builds with AddressSanitizer (which replaces malloc itself) have no heap:
 * xheap_init() is false and explore re-executes every path from the prefix instead.
 */
#ifndef TCPSIM_EXPLORE_HEAP_H
#define TCPSIM_EXPLORE_HEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A saved heap. */
struct xsnap {
    uint8_t *buf;
    size_t len;
    size_t cap;
};

/* Maps the region (once); false when this build or this process cannot have it. */
bool xheap_init(void);
/* Allocations come from the region until xheap_leave(). */
void xheap_enter(void);
void xheap_leave(void);
/* Forgets everything in the region. */
void xheap_reset(void);
/* Bytes of the region in use. */
size_t xheap_used(void);
/* Whether `p` lies in the region. */
bool xheap_owns(const void *p);
/* Frees and reallocations, while entered, of memory from outside the region. */
uint64_t xheap_foreign(void);

void xheap_save(struct xsnap *s);
void xheap_restore(const struct xsnap *s);
void xsnap_clear(struct xsnap *s);

#endif
