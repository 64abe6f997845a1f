/* SPDX-License-Identifier: MIT */
/*
 * test_tcp_seq.c: sequence arithmetic modulo 2^32 (RFC 9293 §3.4), across the wrap.
 */
#include <CUnit/CUnit.h>
#include <glib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sim/wire/seq.h"

static void
test_seq_compare_without_wrap(void)
{
    CU_ASSERT_TRUE(seq_lt(1, 2));
    CU_ASSERT_FALSE(seq_lt(2, 2));
    CU_ASSERT_TRUE(seq_leq(2, 2));
    CU_ASSERT_TRUE(seq_gt(3, 2));
    CU_ASSERT_TRUE(seq_geq(3, 3));
}

/* 0xFFFFFFF0 comes before 0x10: the space wraps. */
static void
test_seq_compare_across_wrap(void)
{
    CU_ASSERT_TRUE(seq_lt(0xFFFFFFF0u, 0x10u));
    CU_ASSERT_TRUE(seq_gt(0x10u, 0xFFFFFFF0u));
    CU_ASSERT_TRUE(seq_lt(0xFFFFFFFFu, 0u));
    CU_ASSERT_EQUAL(seq_add(0xFFFFFFFFu, 1), 0u);
    CU_ASSERT_EQUAL(seq_diff(0x10u, 0xFFFFFFF0u), 0x20u);
    CU_ASSERT_EQUAL(seq_max(0xFFFFFFF0u, 0x10u), 0x10u);
    CU_ASSERT_EQUAL(seq_min(0xFFFFFFF0u, 0x10u), 0xFFFFFFF0u);
}

/* The window test [lo, hi) works when the window straddles zero. */
static void
test_seq_window_straddles_zero(void)
{
    tcp_seq lo = 0xFFFFFF00u;
    tcp_seq hi = seq_add(lo, 0x200);
    CU_ASSERT_TRUE(seq_in(0xFFFFFF00u, lo, hi));
    CU_ASSERT_TRUE(seq_in(0xFFFFFFFFu, lo, hi));
    CU_ASSERT_TRUE(seq_in(0u, lo, hi));
    CU_ASSERT_TRUE(seq_in(0xFFu, lo, hi));
    CU_ASSERT_FALSE(seq_in(0x100u, lo, hi)); /* the right edge is outside */
    CU_ASSERT_FALSE(seq_in(0xFFFFFEFFu, lo, hi));
    CU_ASSERT_TRUE(seq_between(0x100u, lo, hi));
}

/* Half the space away is "before": the sign of the difference decides. */
static void
test_seq_half_space(void)
{
    CU_ASSERT_TRUE(seq_lt(0u, 0x7FFFFFFFu));
    CU_ASSERT_TRUE(seq_gt(0u, 0x80000001u));
}

static CU_TestInfo seq_tests[] = {
    {"compare without wrap", test_seq_compare_without_wrap},
    {"compare across 2^32", test_seq_compare_across_wrap},
    {"window straddling zero", test_seq_window_straddles_zero},
    {"half the space decides before/after", test_seq_half_space},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo tcp_seq_suites[] = {
    {"tcp: sequence numbers", NULL, NULL, NULL, NULL, seq_tests},
    CU_SUITE_INFO_NULL,
};
