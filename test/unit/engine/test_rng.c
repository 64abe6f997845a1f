/* SPDX-License-Identifier: MIT */
/*
 * test_rng.c: the PRNG streams: fixed output (a trace contract), independence of
 * purposes, unbiased ranges, probabilities.
 */
#include <CUnit/CUnit.h>
#include <glib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sim/engine/rng.h"

/* The first outputs for a given seed and purpose are part of the trace contract: if this
 * test changes, every golden trace with randomness changes too. */
static void
test_rng_output_is_fixed(void)
{
    struct rng a;
    struct rng b;
    rng_init(&a, 1, "link A->B loss");
    rng_init(&b, 1, "link A->B loss");
    for (int i = 0; i < 1000; i++) {
        CU_ASSERT_EQUAL(rng_next(&a), rng_next(&b));
    }
    struct rng c;
    rng_init(&c, 1, "link A->B loss");
    uint64_t first = rng_next(&c);
    struct rng d;
    rng_init(&d, 1, "link A->B loss");
    CU_ASSERT_EQUAL(first, rng_next(&d));
    CU_ASSERT_EQUAL(rng_hash_str(""), 0xCBF29CE484222325ull); /* FNV-1a offset basis */
    CU_ASSERT_EQUAL(rng_hash_str("a"), 0xAF63DC4C8601EC8Cull);
}

/* Two purposes give different streams; drawing from one leaves the other unchanged. */
static void
test_rng_purposes_are_independent(void)
{
    struct rng loss;
    struct rng isn;
    rng_init(&loss, 7, "link A->B loss");
    rng_init(&isn, 7, "host B isn");
    CU_ASSERT_NOT_EQUAL(rng_next(&loss), rng_next(&isn));

    struct rng isn_alone;
    rng_init(&isn_alone, 7, "host B isn");
    rng_next(&isn_alone);
    for (int i = 0; i < 50; i++) {
        rng_next(&loss); /* extra draws elsewhere */
    }
    CU_ASSERT_EQUAL(rng_next(&isn), rng_next(&isn_alone));
}

static void
test_rng_seeds_differ(void)
{
    struct rng a;
    struct rng b;
    rng_init(&a, 1, "x");
    rng_init(&b, 2, "x");
    CU_ASSERT_NOT_EQUAL(rng_next(&a), rng_next(&b));
}

/* rng_below() stays in range and is close to uniform (chi-square, 10 buckets). */
static void
test_rng_below_is_uniform(void)
{
    struct rng r;
    rng_init(&r, 3, "uniform");
    enum { BUCKETS = 10, N = 100000 };
    int count[BUCKETS] = {0};
    for (int i = 0; i < N; i++) {
        uint64_t v = rng_below(&r, BUCKETS);
        CU_ASSERT_FATAL(v < BUCKETS);
        count[v]++;
    }
    double chi = 0;
    for (int i = 0; i < BUCKETS; i++) {
        double d = count[i] - N / (double)BUCKETS;
        chi += d * d / (N / (double)BUCKETS);
    }
    CU_ASSERT(chi < 27.88); /* 9 degrees of freedom, p = 0.001 */
    CU_ASSERT_EQUAL(rng_below(&r, 1), 0);
}

static void
test_rng_chance_matches_its_rate(void)
{
    struct rng r;
    rng_init(&r, 11, "chance");
    int hits = 0;
    for (int i = 0; i < 200000; i++) {
        hits += rng_chance(&r, 10000000) ? 1 : 0; /* 1% */
    }
    /* mean 2000, sd ~44.5: within 5 sd */
    CU_ASSERT(hits > 2000 - 223 && hits < 2000 + 223);
    CU_ASSERT_FALSE(rng_chance(&r, 0));
    CU_ASSERT_TRUE(rng_chance(&r, RNG_PPB_ONE));
}

static CU_TestInfo rng_tests[] = {
    {"a stream's output is fixed by seed and purpose", test_rng_output_is_fixed},
    {"purposes are independent streams", test_rng_purposes_are_independent},
    {"different seeds give different streams", test_rng_seeds_differ},
    {"below(n) is in range and uniform", test_rng_below_is_uniform},
    {"chance(1%) hits about 1%", test_rng_chance_matches_its_rate},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo engine_rng_suites[] = {
    {"engine: PRNG streams", NULL, NULL, NULL, NULL, rng_tests},
    CU_SUITE_INFO_NULL,
};
