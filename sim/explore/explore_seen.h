/* SPDX-License-Identifier: MIT */
/*
 * explore_seen.h: the states explore has met (explore_search.c), each a 64-bit hash of
 * the state (explore_state.c) with the least depth it was met at. Private to sim/explore.
 *
 * One worker's table grows; the workers of --jobs share one table of fixed size in
 * memory mapped before they fork, each slot 32 bits of the state's hash (claimed with
 * compare-and-swap) and its depth (lowered with compare-and-swap; the deepest until set), so
 * a state one worker met is not expanded again by the other. The shared table keeps the
 * rest of the hash in the slot's place (hash compaction): the hash's top bits choose the
 * slot and 32 bits folded from it are kept, so five bytes a state let a billion states fit in the
 * machine's memory. Two states whose 32 bits agree within one probe sequence are taken
 * as one: with p slots probed a lookup (about 2.5 at 60% full) that is p / 2^32 a
 * lookup, under two in the 2.5 billion of a depth-12 search from ESTABLISHED.
 */
#ifndef TCPSIM_EXPLORE_SEEN_H
#define TCPSIM_EXPLORE_SEEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct seen {
    uint64_t *keys;  /* private: the states' hashes; 0: empty (a hash of 0 is stored as 1) */
    uint32_t *fps;   /* shared: the hashes' low 32 bits, the same way */
    uint8_t *depth;  /* the least depth each was met at (shared: 255 - depth, 0 unset) */
    size_t cap;
    size_t max_cap;  /* private table: the most slots it may grow to (0: no limit) */
    size_t len;      /* private table: slots in use */
    bool shared;
    uint64_t *shared_len; /* shared table: slots in use, at the start of the mapping */
};

/* The shared table's default: 64 Mi slots (320 MiB, mapped, touched as used; the hash
 * spreads the states over all of it), full at 3/4: 48 million states. */
#define SEEN_SHARED_BITS 26
#define SEEN_SLOT_BYTES 5 /* a shared slot: its 32 bits of the hash and its depth */

/* The slots (as a power of two) of the largest shared table within `bytes` (its slots;
 * the mapping adds a line for its counter); 0 when not even 2^16 slots fit. */
size_t seen_bits_for(uint64_t bytes);
/* The bytes of a shared table of 2^bits slots. */
uint64_t seen_shared_bytes(size_t bits);

/* A private table, growing. */
void seen_init(struct seen *s);
/* A private table grows to the memory of 2^bits shared slots at most (2^(bits-1) of its
 * own), and is full at 3/4 of them. */
void seen_limit(struct seen *s, size_t bits);
/* A table of 2^bits slots shared with the processes forked after; false when it cannot
 * be mapped. */
bool seen_init_shared(struct seen *s, size_t bits);
void seen_free(struct seen *s);
/* True when `hash` is new, or was met only deeper: it must be expanded (again). The
 * depth is recorded. */
bool seen_visit(struct seen *s, uint64_t hash, int depth);
/* The table is full (3/4 of its slots, shared or at its limit): the search must stop. */
bool seen_full(const struct seen *s);
/* Every state of `from` into `to`, with its depth; false when `to` is full first. */
bool seen_copy(struct seen *to, const struct seen *from);

#endif
