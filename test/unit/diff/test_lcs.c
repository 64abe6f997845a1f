/* SPDX-License-Identifier: MIT */
/*
 * test_lcs.c: the Myers alignment against the textbook dynamic programme.
 */
#include <CUnit/CUnit.h>
#include <glib.h>
#include <stdlib.h>

#include "sim/diff/lcs.h"

static size_t
lcs_length_dp(const uint32_t *a, size_t n, const uint32_t *b, size_t m)
{
    size_t *row = g_new0(size_t, (n + 1) * (m + 1));
    for (size_t i = 1; i <= n; i++) {
        for (size_t j = 1; j <= m; j++) {
            size_t up = row[(i - 1) * (m + 1) + j];
            size_t left = row[i * (m + 1) + j - 1];
            size_t diag = row[(i - 1) * (m + 1) + j - 1] + (a[i - 1] == b[j - 1]);
            size_t best = up > left ? up : left;
            row[i * (m + 1) + j] = diag > best ? diag : best;
        }
    }
    size_t r = row[n * (m + 1) + m];
    g_free(row);
    return r;
}

/* The pairs are increasing, name equal elements, and are as many as the LCS. */
static void
check(const uint32_t *a, size_t n, const uint32_t *b, size_t m)
{
    GArray *out = g_array_new(FALSE, FALSE, sizeof(struct lcs_pair));
    lcs_match(a, n, b, m, out);
    for (guint i = 0; i < out->len; i++) {
        struct lcs_pair p = g_array_index(out, struct lcs_pair, i);
        CU_ASSERT_FATAL(p.a < n && p.b < m);
        CU_ASSERT_EQUAL(a[p.a], b[p.b]);
        if (i > 0) {
            struct lcs_pair q = g_array_index(out, struct lcs_pair, i - 1);
            CU_ASSERT(q.a < p.a && q.b < p.b);
        }
    }
    CU_ASSERT_EQUAL(out->len, lcs_length_dp(a, n, b, m));
    g_array_free(out, TRUE);
}

static void
test_lcs_matches_dynamic_programme_on_random_sequences(void)
{
    uint64_t x = 88172645463325252ull; /* xorshift: the test's own numbers */
    for (int round = 0; round < 3000; round++) {
        uint32_t a[40];
        uint32_t b[40];
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        size_t n = x % 40;
        size_t m = (x >> 8) % 40;
        uint32_t alphabet = 1 + (uint32_t)((x >> 16) % 6);
        for (size_t i = 0; i < n; i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            a[i] = (uint32_t)(x % alphabet);
        }
        for (size_t i = 0; i < m; i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            b[i] = (uint32_t)(x % alphabet);
        }
        check(a, n, b, m);
    }
}

/* A long sequence with a few edits, the shape of two traces of one scenario. */
static void
test_lcs_long_sequences_with_few_edits(void)
{
    size_t n = 30000;
    uint32_t *a = g_new(uint32_t, n);
    uint32_t *b = g_new(uint32_t, n + 2);
    for (size_t i = 0; i < n; i++) {
        a[i] = (uint32_t)(i % 97);
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (i == 100 || i == 20000) {
            b[m++] = 1000; /* an extra element */
        }
        if (i != 5000) {   /* a missing one */
            b[m++] = a[i];
        }
    }
    GArray *out = g_array_new(FALSE, FALSE, sizeof(struct lcs_pair));
    lcs_match(a, n, b, m, out);
    CU_ASSERT_EQUAL(out->len, n - 1);
    g_array_free(out, TRUE);
    g_free(a);
    g_free(b);
}

/* Nothing in common, and everything different but long: bounded, pairs still valid. */
static void
test_lcs_disjoint_sequences(void)
{
    size_t n = 20000;
    uint32_t *a = g_new(uint32_t, n);
    uint32_t *b = g_new(uint32_t, n);
    for (size_t i = 0; i < n; i++) {
        a[i] = (uint32_t)i;
        b[i] = (uint32_t)(i * 7919u % 20011u) + 100000u * (i % 2);
    }
    GArray *out = g_array_new(FALSE, FALSE, sizeof(struct lcs_pair));
    lcs_match(a, n, b, n, out);
    for (guint i = 0; i < out->len; i++) {
        struct lcs_pair p = g_array_index(out, struct lcs_pair, i);
        CU_ASSERT_EQUAL(a[p.a], b[p.b]);
    }
    g_array_free(out, TRUE);
    g_free(a);
    g_free(b);
}

static CU_TestInfo lcs_tests[] = {
    {"the alignment is a longest common subsequence (random cases)",
     test_lcs_matches_dynamic_programme_on_random_sequences},
    {"30000 elements with three edits align exactly", test_lcs_long_sequences_with_few_edits},
    {"long sequences with little in common finish, pairs valid", test_lcs_disjoint_sequences},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo diff_lcs_suites[] = {
    {"diff: alignment", NULL, NULL, NULL, NULL, lcs_tests},
    CU_SUITE_INFO_NULL,
};
