/* SPDX-License-Identifier: MIT */
/*
 * test_explore.c: the pieces of tcpsim explore (sim/explore/) that decide how much it
 * must search: the table of states met (a state is expanded again only when met at a
 * smaller depth; the table the workers share across fork()), the state's hash (relative
 * to the ISNs, so two runs that differ only in their initial sequence numbers meet in
 * one state), and the lazy loss (a segment never delivered is lost; an explicit drop is
 * offered only where it lets a later segment pass under --reorder).
 */
#include <CUnit/CUnit.h>
#include <glib.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sim/explore/explore_heap.h"
#include "sim/explore/explore_seen.h"
#include "sim/explore/explore_world.h"

/* Builds with AddressSanitizer, and 32-bit ones, have no heap to copy (explore_heap.h). */
#if UINTPTR_MAX <= 0xFFFFFFFFu
#define HEAP_EXPECTED 0
#elif defined(__SANITIZE_ADDRESS__)
#define HEAP_EXPECTED 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HEAP_EXPECTED 0
#endif
#endif
#ifndef HEAP_EXPECTED
#define HEAP_EXPECTED 1
#endif

/* --- the table of states ------------------------------------------------------------- */

/* New at depth 5; again at 5 or deeper: nothing to do; at 3: expanded again, and from
 * then on 4 is deeper than what is recorded. */
static void
test_seen_expands_a_state_again_only_when_met_shallower(void)
{
    struct seen s;
    seen_init(&s);
    uint64_t h = 0x123456789abcdef0ull;
    CU_ASSERT_TRUE(seen_visit(&s, h, 5));
    CU_ASSERT_FALSE(seen_visit(&s, h, 5));
    CU_ASSERT_FALSE(seen_visit(&s, h, 7));
    CU_ASSERT_TRUE(seen_visit(&s, h, 3));
    CU_ASSERT_FALSE(seen_visit(&s, h, 4));
    CU_ASSERT_TRUE(seen_visit(&s, h ^ (1ull << 63), 4)); /* another state */
    CU_ASSERT_TRUE(seen_visit(&s, 0, 1));                /* hash 0 is a state too */
    CU_ASSERT_FALSE(seen_visit(&s, 0, 1));
    seen_free(&s);
}

/* 300,000 states: the private table doubles many times and loses none. */
static void
test_seen_grows_and_keeps_every_state(void)
{
    struct seen s;
    seen_init(&s);
    int fresh = 0;
    int again = 0;
    for (uint64_t i = 1; i <= 300000; i++) {
        fresh += seen_visit(&s, i * 0x9e3779b97f4a7c15ull, 2);
    }
    for (uint64_t i = 1; i <= 300000; i++) {
        again += seen_visit(&s, i * 0x9e3779b97f4a7c15ull, 2);
    }
    CU_ASSERT_EQUAL(fresh, 300000);
    CU_ASSERT_EQUAL(again, 0);
    CU_ASSERT_TRUE(s.cap >= 600000);
    seen_free(&s);
}

/* The shared table: what a forked worker records, the parent (and any other worker)
 * sees; the levels searched before the fork are copied in with their depths. */
static void
test_seen_shared_table_is_seen_across_fork(void)
{
    struct seen priv;
    seen_init(&priv);
    CU_ASSERT_TRUE(seen_visit(&priv, 0xaaaa000000000000ull, 1));
    struct seen sh;
    CU_ASSERT_TRUE_FATAL(seen_init_shared(&sh, 12));
    CU_ASSERT_TRUE(seen_copy(&sh, &priv));
    CU_ASSERT_FALSE(seen_visit(&sh, 0xaaaa000000000000ull, 1));
    pid_t pid = fork();
    CU_ASSERT_TRUE_FATAL(pid >= 0);
    if (pid == 0) {
        int fresh = 0;
        for (uint64_t i = 1; i <= 1000; i++) {
            fresh += seen_visit(&sh, i << 20, 6);
        }
        _exit(fresh == 1000 ? 0 : 1);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    CU_ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    int again = 0;
    int shallower = 0;
    for (uint64_t i = 1; i <= 1000; i++) {
        again += seen_visit(&sh, i << 20, 6);
        shallower += seen_visit(&sh, i << 20, 5);
    }
    CU_ASSERT_EQUAL(again, 0);
    CU_ASSERT_EQUAL(shallower, 1000);
    CU_ASSERT_FALSE(seen_full(&sh));
    /* 4096 slots: full at 3/4 (3072 states). */
    for (uint64_t i = 1; i <= 2100; i++) {
        seen_visit(&sh, i << 40, 1);
    }
    CU_ASSERT_TRUE(seen_full(&sh));
    seen_free(&sh);
    seen_free(&priv);
}

/* --table SIZE: the largest power of two of 5-byte slots within it; too small a table
 * for the states met before the split is refused, not overfilled. */
static void
test_seen_table_size_and_a_copy_that_does_not_fit(void)
{
    CU_ASSERT_EQUAL(seen_bits_for((uint64_t)576 << 20), SEEN_SHARED_BITS);
    CU_ASSERT_EQUAL(seen_bits_for((uint64_t)5 << 29), 29);      /* 2.5 GiB */
    CU_ASSERT_EQUAL(seen_bits_for(((uint64_t)5 << 29) - 1), 28);
    CU_ASSERT_EQUAL(seen_bits_for((uint64_t)10 << 30), 31);     /* 10 GiB: 1.6 billion */
    CU_ASSERT_EQUAL(seen_bits_for((uint64_t)1 << 20), 17);      /* 1 MiB: the least */
    CU_ASSERT_EQUAL(seen_bits_for(5 * 65535), 0);
    struct seen priv;
    seen_init(&priv);
    for (uint64_t i = 1; i <= 4000; i++) {
        seen_visit(&priv, i << 24, 3);
    }
    struct seen sh;
    CU_ASSERT_TRUE_FATAL(seen_init_shared(&sh, 12)); /* 3072 states */
    CU_ASSERT_FALSE(seen_copy(&sh, &priv));
    CU_ASSERT_TRUE(seen_full(&sh));
    seen_free(&sh);
    seen_free(&priv);
    /* One worker's table, limited: it stops growing at 2^16 slots, full at 3/4. */
    struct seen lim;
    seen_init(&lim);
    seen_limit(&lim, 16);
    for (uint64_t i = 1; i < 49152; i++) {
        seen_visit(&lim, i << 24, 1);
    }
    CU_ASSERT_FALSE(seen_full(&lim));
    seen_visit(&lim, 49152ull << 24, 1);
    CU_ASSERT_TRUE(seen_full(&lim));
    CU_ASSERT_EQUAL(lim.cap, (size_t)1 << 16);
    seen_free(&lim);
}

/* --- worlds ------------------------------------------------------------------------- */

#define PREFIX(seed)                                                                       \
    "seed " seed "\n"                                                                      \
    "hosts A=10.0.0.1 B=10.0.0.2\n"                                                         \
    "link both delay 10ms\n"                                                               \
    "0ms B listen 80\n"                                                                    \
    "+0 A connect B:80 from 40000 as c\n"                                                           \
    "+0 B accept 80 as s\n"                                                                \
    "100ms expect A c state ESTABLISHED\n"

struct fixture {
    struct tcpsim_scenario *scn;
    struct explore_opts o;
};

static void
fixture_init(struct fixture *f, const char *text, int reorder)
{
    GError *e = NULL;
    f->scn = scn_parse("test.scn", text, strlen(text), &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(f->scn);
    f->o = (struct explore_opts){.prefix_name = "test.scn", .prefix_text = text,
                                 .scn = f->scn, .depth = 12, .jobs = 1, .step = MS(1),
                                 .sends = 2, .send_size = 100, .dups = 1, .drops = 2,
                                 .reorder = reorder, .find_state = -1};
}

/* Applies the choice described as `what` (xw_choice_text); false when none is. */
static bool
apply(struct xworld *w, const char *what)
{
    guint n = xw_nchoices(w);
    for (guint i = 0; i < n; i++) {
        g_autofree char *t = xw_choice_text(w, i);
        if (g_str_has_prefix(t, what)) {
            int row;
            int col;
            xw_apply(w, i, &row, &col);
            return true;
        }
    }
    return false;
}

static int
count_choices(struct xworld *w, const char *what)
{
    int k = 0;
    guint n = xw_nchoices(w);
    for (guint i = 0; i < n; i++) {
        g_autofree char *t = xw_choice_text(w, i);
        k += g_str_has_prefix(t, what);
    }
    return k;
}

/* Seeds 1 and 2 give the connection other ISNs and nothing else: relative to ISS and
 * IRS, the two worlds are one state, before and after A sends, and A's send is a new
 * state. */
static void
test_hash_is_relative_to_the_isns(void)
{
    struct fixture f1;
    struct fixture f2;
    fixture_init(&f1, PREFIX("1"), 100);
    fixture_init(&f2, PREFIX("2"), 100);
    struct xworld *w1 = xw_new(&f1.o, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w1);
    uint64_t root1 = xw_hash(w1);
    uint32_t iss1 = 0;
    struct tcpsim_sock *c1 = g_ptr_array_index(w1->sim->socks, 1);
    iss1 = c1->tcb ? c1->tcb->iss : 0;
    xw_free(w1);
    struct xworld *w2 = xw_new(&f2.o, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w2);
    struct tcpsim_sock *c2 = g_ptr_array_index(w2->sim->socks, 1);
    CU_ASSERT_NOT_EQUAL(iss1, c2->tcb ? c2->tcb->iss : 0); /* the ISNs do differ */
    CU_ASSERT_EQUAL(xw_hash(w2), root1);
    xw_free(w2);

    w1 = xw_new(&f1.o, NULL);
    w2 = xw_new(&f2.o, NULL);
    CU_ASSERT_TRUE(apply(w1, "A send c"));
    CU_ASSERT_TRUE(apply(w2, "A send c"));
    CU_ASSERT_PTR_NULL(xw_violation(w1));
    CU_ASSERT_EQUAL(xw_hash(w1), xw_hash(w2));
    CU_ASSERT_NOT_EQUAL(xw_hash(w1), root1);
    /* Delivering the segment is another state again. */
    CU_ASSERT_TRUE(apply(w1, "deliver A->B"));
    CU_ASSERT_NOT_EQUAL(xw_hash(w1), xw_hash(w2));
    xw_free(w1);
    xw_free(w2);
    xw_done();
    tcpsim_scenario_free(f1.scn);
    tcpsim_scenario_free(f2.scn);
}

/* A sends and shuts down: its data and its FIN in flight to B. In any order
 * (--reorder 100) no drop is offered: a segment never delivered is lost. With
 * --reorder 0 the FIN cannot pass the data, so dropping the data (and only the data,
 * the oldest) is offered; the FIN, last in line, holds nothing back. */
static void
test_drop_is_offered_only_to_let_a_later_segment_pass(void)
{
    for (int reorder = 0; reorder <= 100; reorder += 100) {
        struct fixture f;
        fixture_init(&f, PREFIX("1"), reorder);
        struct xworld *w = xw_new(&f.o, NULL);
        CU_ASSERT_PTR_NOT_NULL_FATAL(w);
        CU_ASSERT_TRUE(apply(w, "A send c"));
        CU_ASSERT_EQUAL(count_choices(w, "drop"), 0); /* one in flight: nothing behind it */
        CU_ASSERT_TRUE(apply(w, "A shutdown c"));
        CU_ASSERT_EQUAL(count_choices(w, "deliver A->B"), reorder ? 2 : 1);
        CU_ASSERT_EQUAL(count_choices(w, "drop A->B [P.] len 100"), reorder ? 0 : 1);
        CU_ASSERT_EQUAL(count_choices(w, "drop"), reorder ? 0 : 1);
        if (reorder == 0) {
            /* Dropped, the data lets the FIN through, and it is in the scenario written. */
            CU_ASSERT_TRUE(apply(w, "drop A->B [P.] len 100"));
            CU_ASSERT_EQUAL(count_choices(w, "deliver A->B [F.]"), 1);
            CU_ASSERT_EQUAL(count_choices(w, "drop"), 0);
        }
        xw_free(w);
        xw_done();
        tcpsim_scenario_free(f.scn);
    }
}

/* --- the heap a world lives in ---------------------------------------------------------- */

struct node {
    struct node *next;
    int value;
};

/* A list built in the heap, saved, then half freed, changed and grown: copied back, it
 * is the list that was saved, and the heap hands out the very blocks it would have. */
static void
test_heap_copied_back_is_what_was_saved(void)
{
    if (!xheap_init()) {
        CU_ASSERT_FALSE(HEAP_EXPECTED); /* a sanitizer build: explore replays instead */
        return;
    }
    xheap_reset();
    xheap_enter();
    struct node *list = NULL;
    for (int i = 0; i < 100; i++) {
        struct node *n = malloc(sizeof *n);
        n->value = i;
        n->next = list;
        list = n;
    }
    char *big = calloc(1, 10000); /* a large block: first fit, not a class */
    xheap_leave();
    CU_ASSERT_TRUE(xheap_owns(list) && xheap_owns(big));
    struct xsnap saved = {0};
    xheap_save(&saved);
    size_t used = xheap_used();

    xheap_enter();
    void *first_after = malloc(24);
    free(big);
    for (struct node *n = list; n != NULL; n = n->next) {
        n->value = -1;
    }
    while (list->next != NULL && list->next->next != NULL) {
        struct node *gone = list->next;
        list->next = gone->next;
        free(gone);
    }
    char *grown = realloc(malloc(100), 20000);
    xheap_leave();
    CU_ASSERT_PTR_NOT_NULL(grown);
    CU_ASSERT_TRUE(xheap_used() > used);

    xheap_restore(&saved);
    CU_ASSERT_EQUAL(xheap_used(), used);
    int k = 99;
    int count = 0;
    for (struct node *n = list; n != NULL; n = n->next, k--, count++) {
        CU_ASSERT_EQUAL(n->value, k);
    }
    CU_ASSERT_EQUAL(count, 100);
    xheap_enter();
    void *again = malloc(24);
    uint64_t foreign_before = xheap_foreign();
    xheap_leave();
    CU_ASSERT_PTR_EQUAL(again, first_after);
    CU_ASSERT_EQUAL(foreign_before, 0);

    /* Freeing, inside, what came from outside is counted: explore stops on it. */
    void *outside = malloc(32);
    CU_ASSERT_FALSE(xheap_owns(outside));
    xheap_enter();
    free(outside);
    xheap_leave();
    CU_ASSERT_EQUAL(xheap_foreign(), foreign_before + 1);
    xsnap_clear(&saved);
    xheap_reset();
}

/* A world built in the heap, saved after the prefix: A's send applied to it, then to the
 * copy put back, ends in the same state as on a world rebuilt from the prefix, and the
 * copy's second send is the first's again. (glib's slices come from malloc() here:
 * meson runs these tests with G_SLICE=always-malloc, as tcpsim explore runs itself.)
 * The fresh world is built first, so that its ring and pool chunks are left for reuse
 * and the heap's world must not take them. */
static void
test_heap_world_copied_back_behaves_as_rebuilt(void)
{
    if (!xw_heap_begin()) {
        CU_ASSERT_FALSE(HEAP_EXPECTED);
        return;
    }
    struct fixture f;
    fixture_init(&f, PREFIX("1"), 100);
    struct xworld *fresh = xw_new(&f.o, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(fresh);
    CU_ASSERT_TRUE(apply(fresh, "A send c"));
    CU_ASSERT_TRUE(apply(fresh, "deliver A->B"));
    uint64_t want = xw_hash(fresh);
    xw_free(fresh);

    xheap_reset();
    xheap_enter();
    struct xworld *w = xw_new(&f.o, NULL);
    xheap_leave();
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    CU_ASSERT_TRUE(xheap_owns(w) && xheap_owns(w->sim));
    struct tcpsim_sock *c = g_ptr_array_index(w->sim->socks, 1);
    CU_ASSERT_TRUE(xheap_owns(c) && xheap_owns(c->tcb)); /* not a chunk kept for reuse */
    struct xsnap prefix = {0};
    xheap_save(&prefix);
    uint64_t got[2];
    for (int round = 0; round < 2; round++) {
        if (round > 0) {
            xheap_restore(&prefix);
        }
        xheap_enter();
        CU_ASSERT_TRUE(apply(w, "A send c"));
        CU_ASSERT_TRUE(apply(w, "deliver A->B"));
        got[round] = xw_hash(w);
        CU_ASSERT_PTR_NULL(xw_violation(w));
        xheap_leave();
    }
    CU_ASSERT_EQUAL(got[0], want);
    CU_ASSERT_EQUAL(got[1], want);
    CU_ASSERT_EQUAL(xheap_foreign(), 1); /* the one the test above freed on purpose */
    xsnap_clear(&prefix);
    xheap_reset();
    xw_done();
    tcpsim_scenario_free(f.scn);
}

static CU_TestInfo seen_tests[] = {
    {"a state is expanded again only when met shallower",
     test_seen_expands_a_state_again_only_when_met_shallower},
    {"the table grows and keeps every state", test_seen_grows_and_keeps_every_state},
    {"the shared table is seen across fork()", test_seen_shared_table_is_seen_across_fork},
    {"--table: its slots; a copy that does not fit is refused",
     test_seen_table_size_and_a_copy_that_does_not_fit},
    CU_TEST_INFO_NULL,
};

static CU_TestInfo world_tests[] = {
    {"the hash is relative to the ISNs", test_hash_is_relative_to_the_isns},
    {"a drop is offered only to let a later segment pass",
     test_drop_is_offered_only_to_let_a_later_segment_pass},
    {"the heap copied back is what was saved", test_heap_copied_back_is_what_was_saved},
    {"a world copied back behaves as one rebuilt",
     test_heap_world_copied_back_behaves_as_rebuilt},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo explore_suites[] = {
    {"explore: the states met", NULL, NULL, NULL, NULL, seen_tests},
    {"explore: worlds", NULL, NULL, NULL, NULL, world_tests},
    CU_SUITE_INFO_NULL,
};
