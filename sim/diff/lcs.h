/* SPDX-License-Identifier: MIT */
/*
 * lcs.h: the alignment of two sequences of interned keys.
 */
#ifndef TCPSIM_DIFF_LCS_H
#define TCPSIM_DIFF_LCS_H

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

struct lcs_pair {
    uint32_t a;
    uint32_t b;
};

/* Appends to `out` (struct lcs_pair) the matched positions of a longest common
 * subsequence of a[0..n) and b[0..m), in increasing order. Exact while the two differ
 * in fewer than about `LCS_COST_LIMIT` places per split; beyond that a good, not always
 * longest, alignment is taken so the time stays O((n + m) * LCS_COST_LIMIT). */
void lcs_match(const uint32_t *a, size_t n, const uint32_t *b, size_t m, GArray *out);

#define LCS_COST_LIMIT 1024

#endif
