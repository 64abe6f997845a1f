/* SPDX-License-Identifier: MIT */
/*
 * lcs.c: Myers' O(ND) difference algorithm, linear-space form (E. W. Myers, "An O(ND)
 * Difference Algorithm and Its Variations", Algorithmica 1, 1986, §4b).
 *
 * Entry point: lcs_match(). Each part strips the common prefix and suffix, finds a
 * point on an optimal edit path by searching from both ends at once along the
 * diagonals k = x - y (the "middle snake"), and the two halves are solved in turn. Time is
 * O((N + M) D) for D differences and memory O(N + M). Traces that differ nearly
 * everywhere would make D large; past LCS_COST_LIMIT the search stops at the furthest
 * point either end has reached, as GNU diff does, which keeps the alignment good and
 * the time bounded.
 */
#include "lcs.h"

#include <stdbool.h>

struct lcs {
    const uint32_t *a;
    const uint32_t *b;
    int64_t *fd; /* furthest x reached forward, by diagonal (+ off) */
    int64_t *bd; /* furthest (least) x reached backward, by diagonal (+ off) */
    GArray *out;
};

static void
emit(struct lcs *c, int64_t x, int64_t y)
{
    struct lcs_pair p = {(uint32_t)x, (uint32_t)y};
    g_array_append_val(c->out, p);
}

/* Past the cost limit: the point furthest along (largest x + y forward, smallest
 * backward) of either search. */
static void
best_point(const struct lcs *c, int64_t fmin, int64_t fmax, int64_t bmin, int64_t bmax,
           int64_t xoff, int64_t xlim, int64_t yoff, int64_t ylim, int64_t *xm, int64_t *ym)
{
    int64_t fbest = -1;
    int64_t fx = xoff;
    for (int64_t d = fmax; d >= fmin; d -= 2) {
        int64_t x = c->fd[d] < xlim ? c->fd[d] : xlim;
        int64_t y = x - d;
        if (y > ylim) {
            x = ylim + d;
            y = ylim;
        }
        if (x + y > fbest) {
            fbest = x + y;
            fx = x;
        }
    }
    int64_t bbest = INT64_MAX;
    int64_t bx = xlim;
    for (int64_t d = bmax; d >= bmin; d -= 2) {
        int64_t x = c->bd[d] > xoff ? c->bd[d] : xoff;
        int64_t y = x - d;
        if (y < yoff) {
            x = yoff + d;
            y = yoff;
        }
        if (x + y < bbest) {
            bbest = x + y;
            bx = x;
        }
    }
    if (fbest - (xoff + yoff) >= (xlim + ylim) - bbest) {
        *xm = fx;
        *ym = fbest - fx;
    } else {
        *xm = bx;
        *ym = bbest - bx;
    }
}

/* The diagonals one search has reached: [lo, hi], every other one. */
struct band {
    int64_t lo;
    int64_t hi;
};

/* One more edit: the diagonals reachable widen by one each side, within the grid. */
static void
widen(int64_t *v, struct band *b, int64_t dmin, int64_t dmax, int64_t sentinel)
{
    if (b->lo > dmin) {
        v[--b->lo - 1] = sentinel;
    } else {
        ++b->lo;
    }
    if (b->hi < dmax) {
        v[++b->hi + 1] = sentinel;
    } else {
        --b->hi;
    }
}

/* Extends the forward search by one edit; true with (xm, ym) where it meets the
 * backward one (checked only when the diagonals' parity lets them meet now). */
static bool
forward(struct lcs *c, struct band *f, const struct band *b, bool check, int64_t xlim, int64_t ylim,
        int64_t *xm, int64_t *ym)
{
    for (int64_t d = f->hi; d >= f->lo; d -= 2) {
        int64_t lo = c->fd[d - 1];
        int64_t hi = c->fd[d + 1];
        int64_t x = lo >= hi ? lo + 1 : hi;
        int64_t y = x - d;
        while (x < xlim && y < ylim && c->a[x] == c->b[y]) {
            x++;
            y++;
        }
        c->fd[d] = x;
        if (check && b->lo <= d && d <= b->hi && c->bd[d] <= x) {
            *xm = x;
            *ym = y;
            return true;
        }
    }
    return false;
}

static bool
backward(struct lcs *c, struct band *b, const struct band *f, bool check, int64_t xoff,
         int64_t yoff, int64_t *xm, int64_t *ym)
{
    for (int64_t d = b->hi; d >= b->lo; d -= 2) {
        int64_t lo = c->bd[d - 1];
        int64_t hi = c->bd[d + 1];
        int64_t x = lo < hi ? lo : hi - 1;
        int64_t y = x - d;
        while (xoff < x && yoff < y && c->a[x - 1] == c->b[y - 1]) {
            x--;
            y--;
        }
        c->bd[d] = x;
        if (check && f->lo <= d && d <= f->hi && x <= c->fd[d]) {
            *xm = x;
            *ym = y;
            return true;
        }
    }
    return false;
}

/* A point (xm, ym) on an optimal path from (xoff, yoff) to (xlim, ylim). Diagonal k
 * holds the points with x - y = k; each round of `cost` extends both searches by one
 * edit, and the searches meet on a diagonal both have reached: the forward one checks
 * when the two ends' diagonals differ in parity, the backward one otherwise. */
static void
split(struct lcs *c, int64_t xoff, int64_t xlim, int64_t yoff, int64_t ylim, int64_t *xm,
      int64_t *ym)
{
    int64_t dmin = xoff - ylim;
    int64_t dmax = xlim - yoff;
    struct band f = {xoff - yoff, xoff - yoff};
    struct band b = {xlim - ylim, xlim - ylim};
    bool odd = ((f.lo - b.lo) & 1) != 0;
    c->fd[f.lo] = xoff;
    c->bd[b.lo] = xlim;
    for (int64_t cost = 1;; cost++) {
        widen(c->fd, &f, dmin, dmax, -1);
        if (forward(c, &f, &b, odd, xlim, ylim, xm, ym)) {
            return;
        }
        widen(c->bd, &b, dmin, dmax, INT64_MAX);
        if (backward(c, &b, &f, !odd, xoff, yoff, xm, ym)) {
            return;
        }
        if (cost >= LCS_COST_LIMIT) {
            best_point(c, f.lo, f.hi, b.lo, b.hi, xoff, xlim, yoff, ylim, xm, ym);
            return;
        }
    }
}

/* A part still to align, or the common tail of a part, whose matches are emitted once
 * everything before it is done. An explicit stack rather than recursion: the depth can
 * reach the number of differences. */
struct task {
    bool tail;
    int64_t xoff;
    int64_t xlim;
    int64_t yoff;
    int64_t ylim;
};

static void
push(GArray *stack, bool tail, int64_t xoff, int64_t xlim, int64_t yoff, int64_t ylim)
{
    struct task t = {tail, xoff, xlim, yoff, ylim};
    g_array_append_val(stack, t);
}

static void
compare(struct lcs *c, int64_t n, int64_t m)
{
    GArray *stack = g_array_new(FALSE, FALSE, sizeof(struct task));
    push(stack, false, 0, n, 0, m);
    while (stack->len > 0) {
        struct task t = g_array_index(stack, struct task, stack->len - 1);
        g_array_set_size(stack, stack->len - 1);
        if (t.tail) { /* xlim - xoff matches on the diagonal from (xoff, yoff) */
            for (int64_t i = 0; t.xoff + i < t.xlim; i++) {
                emit(c, t.xoff + i, t.yoff + i);
            }
            continue;
        }
        while (t.xoff < t.xlim && t.yoff < t.ylim && c->a[t.xoff] == c->b[t.yoff]) {
            emit(c, t.xoff++, t.yoff++);
        }
        int64_t tail = 0;
        while (t.xoff < t.xlim && t.yoff < t.ylim && c->a[t.xlim - 1] == c->b[t.ylim - 1]) {
            t.xlim--;
            t.ylim--;
            tail++;
        }
        if (tail > 0) {
            push(stack, true, t.xlim, t.xlim + tail, t.ylim, t.ylim + tail);
        }
        if (t.xoff == t.xlim || t.yoff == t.ylim) {
            continue;
        }
        int64_t xm = 0;
        int64_t ym = 0;
        split(c, t.xoff, t.xlim, t.yoff, t.ylim, &xm, &ym);
        /* A split at a corner would not make the part smaller: then nothing in it is
         * matched (it does not happen on an optimal path; this guarantees the end). */
        bool corner = (xm == t.xoff && ym == t.yoff) || (xm == t.xlim && ym == t.ylim);
        if (corner || xm < t.xoff || xm > t.xlim || ym < t.yoff || ym > t.ylim) {
            continue;
        }
        push(stack, false, xm, t.xlim, ym, t.ylim); /* the right half after the left */
        push(stack, false, t.xoff, xm, t.yoff, ym);
    }
    g_array_free(stack, TRUE);
}

void
lcs_match(const uint32_t *a, size_t n, const uint32_t *b, size_t m, GArray *out)
{
    size_t diags = n + m + 3;
    int64_t *fd = g_new(int64_t, diags);
    int64_t *bd = g_new(int64_t, diags);
    /* Diagonals run from -m - 1 to n + 1: shift so index 0 is diagonal -m - 1. */
    struct lcs c = {.a = a, .b = b, .fd = fd + m + 1, .bd = bd + m + 1, .out = out};
    compare(&c, (int64_t)n, (int64_t)m);
    g_free(fd);
    g_free(bd);
}
