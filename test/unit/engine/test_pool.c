/* SPDX-License-Identifier: MIT */
/*
 * test_pool.c: the block pools (engine/pool.h): blocks come zeroed, a freed block is the
 * next one handed out, and a pool that grows past its first chunks keeps every block
 * distinct and aligned.
 */
#include <CUnit/CUnit.h>
#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "sim/engine/pool.h"

static bool
all_zero(const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        if (b[i] != 0) {
            return false;
        }
    }
    return true;
}

/* A freed block, scribbled on, comes back zeroed and first: reuse touches no new page. */
static void
test_pool_reuses_the_freed_block_zeroed(void)
{
    struct pool p;
    pool_init(&p, 100);
    CU_ASSERT_EQUAL(p.size, 112); /* rounded up to 16 */
    void *a = pool_alloc0(&p);
    void *b = pool_alloc0(&p);
    CU_ASSERT_PTR_NOT_EQUAL(a, b);
    CU_ASSERT(all_zero(a, 100) && all_zero(b, 100));
    memset(a, 0xAB, 100);
    pool_free(&p, a);
    void *c = pool_alloc0(&p);
    CU_ASSERT_PTR_EQUAL(c, a);
    CU_ASSERT(all_zero(c, 100));
    pool_free(&p, NULL); /* accepted, as free(NULL) */
    pool_destroy(&p);
}

/* 50,000 blocks of 968 bytes (a connection block) need ~46 MiB: chunks from 64 KiB up to
 * the huge-page-advised 4 MiB ones. Every block is distinct, 16-byte aligned, zeroed. */
static void
test_pool_grows_over_many_chunks(void)
{
    enum { N = 50000, SIZE = 968 };
    struct pool p;
    pool_init(&p, SIZE);
    void **blocks = g_new(void *, N);
    GHashTable *seen = g_hash_table_new(g_direct_hash, g_direct_equal);
    bool zeroed = true;
    bool aligned = true;
    for (int i = 0; i < N; i++) {
        blocks[i] = pool_alloc0(&p);
        zeroed = zeroed && all_zero(blocks[i], SIZE);
        aligned = aligned && ((uintptr_t)blocks[i] % 16) == 0;
        memset(blocks[i], i & 0xFF, SIZE);
        g_hash_table_add(seen, blocks[i]);
    }
    CU_ASSERT(zeroed);
    CU_ASSERT(aligned);
    CU_ASSERT_EQUAL(g_hash_table_size(seen), N);
    /* No two blocks overlap: each still holds what was written into it. */
    bool intact = true;
    for (int i = 0; i < N; i++) {
        const unsigned char *b = blocks[i];
        intact = intact && b[0] == (i & 0xFF) && b[SIZE - 1] == (i & 0xFF);
    }
    CU_ASSERT(intact);
    /* Free them all and take them again: the same blocks, no new chunk. */
    for (int i = 0; i < N; i++) {
        pool_free(&p, blocks[i]);
    }
    void *chunks_before = p.chunks;
    bool reused = true;
    for (int i = 0; i < N; i++) {
        reused = reused && g_hash_table_contains(seen, pool_alloc0(&p));
    }
    CU_ASSERT(reused);
    CU_ASSERT_PTR_EQUAL(p.chunks, chunks_before);
    g_hash_table_destroy(seen);
    g_free(blocks);
    pool_destroy(&p);
}

/* A destroyed pool's first chunk, scribbled on, is kept for the next pool, cleared:
 * every block of the next pools comes zeroed, whatever the one before left in it. */
static void
test_pool_next_pool_gets_the_chunk_cleared(void)
{
    bool zeroed = true;
    for (int round = 0; round < 40; round++) {
        struct pool p;
        pool_init(&p, 200);
        for (int i = 0; i < 100 + round * 10; i++) { /* some rounds fill the chunk and grow */
            void *b = pool_alloc0(&p);
            zeroed &= all_zero(b, 200);
            memset(b, 0xA5, 200);
            if (i % 7 == 0) {
                pool_free(&p, b); /* freed dirty: on the free list when destroyed */
            }
        }
        pool_destroy(&p);
    }
    CU_ASSERT_TRUE(zeroed);
}

/* A worker thread destroys three pools at once: their three first chunks are kept for
 * the thread's next pools, the newest first, and all three are freed when the thread
 * ends (the spare list links through each chunk's last word; following ->next, zeroed
 * by the clearing, freed one and leaked two: LeakSanitizer caught it in tcpsim sweep). */
static gpointer
three_spares(gpointer data)
{
    struct pool p[3];
    void *first[3];
    for (int i = 0; i < 3; i++) {
        pool_init(&p[i], 64);
        first[i] = pool_alloc0(&p[i]);
    }
    for (int i = 0; i < 3; i++) {
        pool_destroy(&p[i]);
    }
    gboolean *reused = data;
    struct pool q;
    pool_init(&q, 64);
    *reused = pool_alloc0(&q) == first[2]; /* the last kept comes back first */
    pool_destroy(&q);
    return NULL;
}

static void
test_pool_spares_are_freed_with_their_thread(void)
{
    gboolean reused = FALSE;
    GThread *t = g_thread_new("spares", three_spares, &reused);
    g_thread_join(t);
    CU_ASSERT_TRUE(reused);
}

/* Small first chunks (pool_first_chunk_set(), as tcpsim explore's copied worlds have):
 * a pool grows through them to 64 KiB and beyond, and neither takes the chunk a destroyed
 * pool of the default size kept nor keeps its own; back at the default, the kept chunk
 * is the next pool's. */
static gpointer
small_chunks(gpointer data)
{
    gboolean *ok = data;
    struct pool big;
    pool_init(&big, 64);
    void *kept = pool_alloc0(&big);
    pool_destroy(&big); /* its chunk is kept for this thread's next pool */
    pool_first_chunk_set(4096);
    struct pool p;
    pool_init(&p, 1016);
    bool distinct = true;
    void *prev = NULL;
    for (int i = 0; i < 200; i++) { /* 4, 8, 16, 32, 64, 128 KiB chunks */
        void *b = pool_alloc0(&p);
        distinct &= b != prev && (char *)b != (char *)kept;
        prev = b;
    }
    pool_destroy(&p);
    pool_first_chunk_set((size_t)64 << 10);
    struct pool again;
    pool_init(&again, 64);
    *ok = distinct && pool_alloc0(&again) == kept;
    pool_destroy(&again);
    return NULL;
}

static void
test_pool_small_chunks_take_and_keep_no_spare(void)
{
    gboolean ok = FALSE;
    GThread *t = g_thread_new("small", small_chunks, &ok); /* a thread: its own spares */
    g_thread_join(t);
    CU_ASSERT_TRUE(ok);
}

static CU_TestInfo pool_tests[] = {
    {"small first chunks take and keep no spare", test_pool_small_chunks_take_and_keep_no_spare},
    {"the next pool gets a destroyed pool's chunk cleared",
     test_pool_next_pool_gets_the_chunk_cleared},
    {"a freed block comes back first, zeroed", test_pool_reuses_the_freed_block_zeroed},
    {"50,000 blocks over growing chunks: distinct, aligned, reused",
     test_pool_grows_over_many_chunks},
    {"a thread's kept chunks: reused, then all freed with it",
     test_pool_spares_are_freed_with_their_thread},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo engine_pool_suites[] = {
    {"engine: block pools", NULL, NULL, NULL, NULL, pool_tests},
    CU_SUITE_INFO_NULL,
};
