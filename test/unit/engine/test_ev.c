/* SPDX-License-Identifier: MIT */
/*
 * test_ev.c: the event queue: order, ties, cancellation, re-arming.
 */
#include <CUnit/CUnit.h>
#include <glib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sim/engine/ev.h"

struct rec {
    struct ev ev;
    int id;
    GArray *log;
    struct ev_queue *q;
    struct rec *cancel_other; /* cancelled from inside the callback */
    sim_time rearm_at;        /* re-armed from inside the callback when > 0 */
};

static void
rec_fired(struct ev *ev)
{
    struct rec *r = container_of(ev, struct rec, ev);
    g_array_append_val(r->log, r->id);
    if (r->cancel_other) {
        ev_cancel(r->q, &r->cancel_other->ev);
    }
    if (r->rearm_at > 0) {
        sim_time at = r->rearm_at;
        r->rearm_at = 0;
        ev_schedule(r->q, &r->ev, at);
    }
}

static void
init_recs(struct rec *r, int n, struct ev_queue *q, GArray *log)
{
    for (int i = 0; i < n; i++) {
        r[i] = (struct rec){.id = i, .log = log, .q = q};
        ev_init(&r[i].ev, rec_fired);
    }
}

static void
test_ev_runs_in_time_order(void)
{
    struct ev_queue q;
    ev_queue_init(&q);
    GArray *log = g_array_new(FALSE, FALSE, sizeof(int));
    struct rec r[5];
    init_recs(r, 5, &q, log);
    sim_time at[5] = {MS(50), MS(10), MS(40), MS(20), MS(30)};
    for (int i = 0; i < 5; i++) {
        ev_schedule(&q, &r[i].ev, at[i]);
    }
    CU_ASSERT_FALSE(ev_run_until(&q, SIM_TIME_NEVER));
    int want[5] = {1, 3, 4, 2, 0};
    CU_ASSERT_EQUAL_FATAL(log->len, 5);
    for (int i = 0; i < 5; i++) {
        CU_ASSERT_EQUAL(g_array_index(log, int, i), want[i]);
    }
    CU_ASSERT_EQUAL(q.now, MS(50));
    g_array_free(log, TRUE);
    ev_queue_destroy(&q);
}

/* Equal times run in the order they were scheduled: the determinism of every trace. */
static void
test_ev_equal_times_run_in_scheduling_order(void)
{
    struct ev_queue q;
    ev_queue_init(&q);
    GArray *log = g_array_new(FALSE, FALSE, sizeof(int));
    struct rec r[100];
    init_recs(r, 100, &q, log);
    for (int i = 0; i < 100; i++) {
        ev_schedule(&q, &r[i].ev, MS(7));
    }
    ev_run_until(&q, SIM_TIME_NEVER);
    for (int i = 0; i < 100; i++) {
        CU_ASSERT_EQUAL(g_array_index(log, int, i), i);
    }
    g_array_free(log, TRUE);
    ev_queue_destroy(&q);
}

/* Re-arming a pending event moves it to the back of its new time's ties. */
static void
test_ev_rearm_takes_a_new_place(void)
{
    struct ev_queue q;
    ev_queue_init(&q);
    GArray *log = g_array_new(FALSE, FALSE, sizeof(int));
    struct rec r[3];
    init_recs(r, 3, &q, log);
    ev_schedule(&q, &r[0].ev, MS(5));
    ev_schedule(&q, &r[1].ev, MS(5));
    ev_schedule(&q, &r[2].ev, MS(9));
    ev_schedule(&q, &r[0].ev, MS(5)); /* again: now after r[1] */
    CU_ASSERT_EQUAL(q.len, 3);
    CU_ASSERT_EQUAL(ev_due(&q, &r[0].ev), MS(5));
    ev_run_until(&q, SIM_TIME_NEVER);
    CU_ASSERT_EQUAL(g_array_index(log, int, 0), 1);
    CU_ASSERT_EQUAL(g_array_index(log, int, 1), 0);
    CU_ASSERT_EQUAL(g_array_index(log, int, 2), 2);
    g_array_free(log, TRUE);
    ev_queue_destroy(&q);
}

static void
test_ev_cancel_removes_without_trace(void)
{
    struct ev_queue q;
    ev_queue_init(&q);
    GArray *log = g_array_new(FALSE, FALSE, sizeof(int));
    struct rec r[4];
    init_recs(r, 4, &q, log);
    for (int i = 0; i < 4; i++) {
        ev_schedule(&q, &r[i].ev, MS(10 * (i + 1)));
    }
    ev_cancel(&q, &r[1].ev);
    ev_cancel(&q, &r[1].ev); /* idempotent */
    CU_ASSERT_FALSE(ev_pending(&r[1].ev));
    CU_ASSERT_EQUAL(q.len, 3);
    CU_ASSERT_EQUAL(ev_due(&q, &r[1].ev), SIM_TIME_NEVER);
    ev_run_until(&q, SIM_TIME_NEVER);
    CU_ASSERT_EQUAL(log->len, 3);
    CU_ASSERT_EQUAL(g_array_index(log, int, 1), 2);
    g_array_free(log, TRUE);
    ev_queue_destroy(&q);
}

/* A callback may cancel another event and re-arm itself. */
static void
test_ev_callback_cancels_and_rearms(void)
{
    struct ev_queue q;
    ev_queue_init(&q);
    GArray *log = g_array_new(FALSE, FALSE, sizeof(int));
    struct rec r[3];
    init_recs(r, 3, &q, log);
    r[0].cancel_other = &r[1];
    r[0].rearm_at = MS(30);
    ev_schedule(&q, &r[0].ev, MS(10));
    ev_schedule(&q, &r[1].ev, MS(20));
    ev_schedule(&q, &r[2].ev, MS(25));
    ev_run_until(&q, SIM_TIME_NEVER);
    CU_ASSERT_EQUAL_FATAL(log->len, 3);
    CU_ASSERT_EQUAL(g_array_index(log, int, 0), 0);
    CU_ASSERT_EQUAL(g_array_index(log, int, 1), 2);
    CU_ASSERT_EQUAL(g_array_index(log, int, 2), 0);
    g_array_free(log, TRUE);
    ev_queue_destroy(&q);
}

static void
test_ev_run_until_stops_at_limit(void)
{
    struct ev_queue q;
    ev_queue_init(&q);
    GArray *log = g_array_new(FALSE, FALSE, sizeof(int));
    struct rec r[2];
    init_recs(r, 2, &q, log);
    ev_schedule(&q, &r[0].ev, MS(10));
    ev_schedule(&q, &r[1].ev, MS(20));
    CU_ASSERT_TRUE(ev_run_until(&q, MS(15)));
    CU_ASSERT_EQUAL(log->len, 1);
    CU_ASSERT_EQUAL(ev_next_time(&q), MS(20));
    CU_ASSERT_FALSE(ev_run_until(&q, MS(20))); /* inclusive, then empty */
    CU_ASSERT_EQUAL(log->len, 2);
    g_array_free(log, TRUE);
    ev_queue_destroy(&q);
}

/* Many events in random order with random cancellations come out sorted, and the heap
 * never keeps a cancelled event. */
static void
test_ev_heap_property_under_churn(void)
{
    struct ev_queue q;
    ev_queue_init(&q);
    GArray *log = g_array_new(FALSE, FALSE, sizeof(int));
    enum { N = 5000 };
    struct rec *r = g_new(struct rec, N);
    init_recs(r, N, &q, log);
    GRand *g = g_rand_new_with_seed(42); /* test data only; the simulator never uses GRand */
    sim_time *at = g_new(sim_time, N);
    for (int i = 0; i < N; i++) {
        at[i] = g_rand_int_range(g, 0, 1000);
        ev_schedule(&q, &r[i].ev, at[i]);
    }
    int cancelled = 0;
    for (int i = 0; i < N; i += 3) {
        ev_cancel(&q, &r[i].ev);
        cancelled++;
    }
    CU_ASSERT_EQUAL(q.len, (uint32_t)(N - cancelled));
    ev_run_until(&q, SIM_TIME_NEVER);
    CU_ASSERT_EQUAL(log->len, (guint)(N - cancelled));
    sim_time last = -1;
    int last_id = -1;
    for (guint i = 0; i < log->len; i++) {
        int id = g_array_index(log, int, i);
        CU_ASSERT(id % 3 != 0);
        CU_ASSERT(at[id] >= last);
        if (at[id] == last) {
            CU_ASSERT(id > last_id); /* ties in scheduling order */
        }
        last = at[id];
        last_id = id;
    }
    g_rand_free(g);
    g_free(at);
    g_free(r);
    g_array_free(log, TRUE);
    ev_queue_destroy(&q);
}

/* The near heap, the ring of buckets and the far heap together behave as one queue
 * ordered by (time, scheduling order): events spread from nanoseconds to days, many at
 * the same instant, rescheduled and cancelled at random, come out exactly in the order
 * a plain sort of the survivors' final (time, order) gives. */
struct keyed {
    struct ev ev;
    sim_time at;
    uint64_t order; /* when it was last scheduled */
    bool live;
    GArray *log;
};

static void
keyed_fired(struct ev *ev)
{
    struct keyed *k = container_of(ev, struct keyed, ev);
    g_array_append_val(k->log, k);
}

static int
by_key(gconstpointer a, gconstpointer b)
{
    const struct keyed *x = *(struct keyed *const *)a;
    const struct keyed *y = *(struct keyed *const *)b;
    if (x->at != y->at) {
        return x->at < y->at ? -1 : 1;
    }
    return x->order < y->order ? -1 : x->order > y->order;
}

static void
test_ev_ring_and_far_keep_the_order(void)
{
    enum { N = 30000 };
    struct ev_queue q;
    ev_queue_init(&q);
    GArray *log = g_array_new(FALSE, FALSE, sizeof(struct keyed *));
    struct keyed *k = g_new0(struct keyed, N);
    GRand *g = g_rand_new_with_seed(7); /* test data only */
    uint64_t order = 0;
    for (int i = 0; i < N; i++) {
        k[i].log = log;
        ev_init(&k[i].ev, keyed_fired);
    }
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < N; i++) {
            int shape = g_rand_int_range(g, 0, 4);
            sim_time at = shape == 0   ? (sim_time)g_rand_int_range(g, 0, 1000)
                          : shape == 1 ? MS(g_rand_int_range(g, 0, 100000))
                          : shape == 2 ? SEC(g_rand_int_range(g, 0, 7 * 86400))
                                       : SEC(60); /* a crowd at one instant */
            if (g_rand_int_range(g, 0, 5) == 0) {
                ev_cancel(&q, &k[i].ev);
                k[i].live = false;
                continue;
            }
            ev_schedule(&q, &k[i].ev, at);
            k[i].at = at;
            k[i].order = order++;
            k[i].live = true;
        }
    }
    GPtrArray *want = g_ptr_array_new();
    for (int i = 0; i < N; i++) {
        if (k[i].live) {
            g_ptr_array_add(want, &k[i]);
        }
    }
    g_ptr_array_sort(want, by_key);
    CU_ASSERT_EQUAL(q.len, want->len);
    CU_ASSERT_FALSE(ev_run_until(&q, SIM_TIME_NEVER));
    CU_ASSERT_EQUAL_FATAL(log->len, want->len);
    guint bad = 0;
    for (guint i = 0; i < log->len; i++) {
        bad += g_array_index(log, struct keyed *, i) != g_ptr_array_index(want, i);
    }
    CU_ASSERT_EQUAL(bad, 0);
    g_ptr_array_free(want, TRUE);
    g_rand_free(g);
    g_free(k);
    g_array_free(log, TRUE);
    ev_queue_destroy(&q);
}

/* A run longer than the ring's 18 minutes: a ticker and a timer it keeps re-arming and
 * cancelling (as an RTO is) touch every bucket. Once the ring has moved past a bucket
 * its array is freed: when nothing is pending the queue holds only its fixed parts. */
struct ticker {
    struct ev ev;
    struct ev_queue *q;
    struct ev rto;
    uint64_t ticks;
};

static void
rto_never(struct ev *ev)
{
    (void)ev;
    CU_FAIL("the re-armed timer should always be cancelled first");
}

static void
ticker_fired(struct ev *ev)
{
    struct ticker *t = container_of(ev, struct ticker, ev);
    ev_cancel(t->q, &t->rto);
    if (++t->ticks < 150000) { /* every 10 ms for 25 minutes */
        ev_schedule(t->q, &t->ev, t->q->now + MS(10));
        ev_schedule(t->q, &t->rto, t->q->now + MS(200) + (sim_time)(t->ticks % 7) * MS(17));
    }
}

static void
test_ev_ring_frees_what_it_has_passed(void)
{
    struct ev_queue q;
    ev_queue_init(&q);
    struct ticker t = {.q = &q};
    ev_init(&t.ev, ticker_fired);
    ev_init(&t.rto, rto_never);
    ev_schedule(&q, &t.ev, MS(1));
    ev_schedule(&q, &t.rto, MS(200)); /* allocates the ring */
    size_t fixed = ev_queue_bytes(&q);
    size_t most = 0;
    while (ev_run_until(&q, q.now + SEC(60)) || q.len > 0) {
        most = MAX(most, ev_queue_bytes(&q));
    }
    CU_ASSERT_EQUAL(t.ticks, 150000);
    CU_ASSERT_EQUAL(q.len, 0);
    /* Beyond the fixed part: the near heap's array and a few buckets' (2.7 KiB measured).
     * Keeping every bucket's array cost 8.4 MiB here. */
    CU_ASSERT(most - fixed <= 4096);
    CU_ASSERT(ev_queue_bytes(&q) - fixed <= 4096);
    ev_queue_destroy(&q);
}

/* The first event ever scheduled lies beyond the ring (18 minutes): it waits in the far
 * heap, and the ring, never used, does not exist when the queue skips ahead to it. */
static void
test_ev_first_event_beyond_the_ring(void)
{
    struct ev_queue q;
    ev_queue_init(&q);
    GArray *log = g_array_new(FALSE, FALSE, sizeof(int));
    struct rec r[2];
    init_recs(r, 2, &q, log);
    ev_schedule(&q, &r[0].ev, SEC(2000));
    ev_schedule(&q, &r[1].ev, SEC(3000));
    CU_ASSERT_EQUAL(ev_next_time(&q), SEC(2000));
    CU_ASSERT_FALSE(ev_run_until(&q, SIM_TIME_NEVER));
    CU_ASSERT_EQUAL_FATAL(log->len, 2);
    CU_ASSERT_EQUAL(g_array_index(log, int, 0), 0);
    CU_ASSERT_EQUAL(g_array_index(log, int, 1), 1);
    CU_ASSERT_EQUAL(q.now, SEC(3000));
    g_array_free(log, TRUE);
    ev_queue_destroy(&q);
}

/* Nothing runs at or after the end of simulated time (2^62 ns), and the sums that lead
 * there saturate instead of wrapping below now. */
static void
test_ev_nothing_runs_beyond_the_end_of_time(void)
{
    CU_ASSERT_EQUAL(sim_time_add(SIM_TIME_END, SIM_TIME_END), SIM_TIME_NEVER);
    CU_ASSERT_EQUAL(sim_time_add(SIM_TIME_NEVER - 1, 5), SIM_TIME_NEVER);
    CU_ASSERT_EQUAL(sim_time_add(SEC(1), MS(1)), SEC(1) + MS(1));
    CU_ASSERT_EQUAL(sim_time_add_mul(SEC(1), UINT64_MAX, 1), SIM_TIME_NEVER);
    CU_ASSERT_EQUAL(sim_time_add_mul(SEC(1), 1ull << 40, SEC(1000)), SIM_TIME_NEVER);
    CU_ASSERT_EQUAL(sim_time_add_mul(SEC(1), 3, MS(10)), SEC(1) + MS(30));
    struct ev_queue q;
    ev_queue_init(&q);
    GArray *log = g_array_new(FALSE, FALSE, sizeof(int));
    struct rec r[2];
    init_recs(r, 2, &q, log);
    ev_schedule(&q, &r[0].ev, SIM_TIME_END - 1);
    ev_schedule(&q, &r[1].ev, sim_time_add(SIM_TIME_END, SIM_TIME_END));
    CU_ASSERT_TRUE(ev_run_until(&q, SIM_TIME_NEVER)); /* stopped with one pending */
    CU_ASSERT_EQUAL_FATAL(log->len, 1);
    CU_ASSERT_EQUAL(q.now, SIM_TIME_END - 1);
    CU_ASSERT_TRUE(ev_beyond_end(&q));
    CU_ASSERT_TRUE(ev_pending(&r[1].ev));
    g_array_free(log, TRUE);
    ev_queue_destroy(&q);
}

/* A queue destroyed with events still in its ring leaves the ring, cleared, to the next
 * queue (tcpsim explore builds world after world): the next queue's events, in the
 * same buckets, run alone and in order, none of the first queue's comes back. */
static void
test_ev_next_queue_takes_the_ring_cleared(void)
{
    GArray *log = g_array_new(FALSE, FALSE, sizeof(int));
    struct rec r[6];
    struct ev_queue q1;
    ev_queue_init(&q1);
    init_recs(r, 3, &q1, log);
    for (int i = 0; i < 3; i++) {
        ev_schedule(&q1, &r[i].ev, MS(10) * (i + 1));
    }
    CU_ASSERT_TRUE(ev_run_until(&q1, MS(10))); /* one ran, two left in the ring */
    CU_ASSERT_EQUAL(log->len, 1);
    ev_queue_destroy(&q1);
    CU_ASSERT_FALSE(ev_pending(&r[1].ev));
    struct ev_queue q2;
    ev_queue_init(&q2);
    init_recs(r + 3, 3, &q2, log);
    for (int i = 0; i < 3; i++) {
        ev_schedule(&q2, &r[3 + i].ev, MS(30) - MS(10) * i); /* 30, 20, 10 ms */
    }
    CU_ASSERT_EQUAL(ev_next_time(&q2), MS(10));
    ev_run_until(&q2, SEC(1));
    CU_ASSERT_EQUAL_FATAL(log->len, 4);
    CU_ASSERT_EQUAL(g_array_index(log, int, 1), 2); /* ids 0 1 2 at 30 20 10 ms */
    CU_ASSERT_EQUAL(g_array_index(log, int, 2), 1);
    CU_ASSERT_EQUAL(g_array_index(log, int, 3), 0);
    CU_ASSERT_EQUAL(ev_next_time(&q2), SIM_TIME_NEVER);
    ev_queue_destroy(&q2);
    g_array_free(log, TRUE);
}

/* The small ring of a world tcpsim explore copies (ev_ring_bits_set(), 64 buckets: a
 * second): the same order over the same spread of times, most of them in the far heap;
 * and a ring of that size neither takes the ring a destroyed full-size queue left for
 * reuse, nor leaves its own. */
static void
test_ev_small_ring_keeps_the_order_and_no_spare(void)
{
    struct ev_queue full;
    ev_queue_init(&full);
    struct rec r[2];
    GArray *log = g_array_new(FALSE, FALSE, sizeof(int));
    init_recs(r, 1, &full, log);
    ev_schedule(&full, &r[0].ev, MS(100)); /* a ring, left for reuse when destroyed */
    const void *spare = full.ring;
    ev_queue_destroy(&full);

    ev_ring_bits_set(EV_RING_BITS_MIN);
    struct ev_queue q;
    ev_queue_init(&q);
    init_recs(r + 1, 1, &q, log);
    ev_schedule(&q, &r[1].ev, MS(100));
    CU_ASSERT_EQUAL(q.ring_size, 64u);
    CU_ASSERT_PTR_NOT_EQUAL(q.ring, spare);
    ev_queue_destroy(&q);
    test_ev_ring_and_far_keep_the_order();
    test_ev_ring_frees_what_it_has_passed();
    ev_ring_bits_set(16);
    struct ev_queue back;
    ev_queue_init(&back);
    init_recs(r, 1, &back, log);
    ev_schedule(&back, &r[0].ev, MS(100));
    CU_ASSERT_EQUAL(back.ring_size, 65536u);
    CU_ASSERT_PTR_EQUAL(back.ring, spare); /* still there: the small queues left it */
    ev_queue_destroy(&back);
    g_array_free(log, TRUE);
}

static CU_TestInfo ev_tests[] = {
    {"a small ring: the same order; it takes and leaves no spare",
     test_ev_small_ring_keeps_the_order_and_no_spare},
    {"the next queue takes the ring, cleared", test_ev_next_queue_takes_the_ring_cleared},
    {"nothing runs beyond the end of simulated time", test_ev_nothing_runs_beyond_the_end_of_time},
    {"the first event beyond the ring runs (no ring yet)", test_ev_first_event_beyond_the_ring},
    {"the ring frees the buckets it has passed", test_ev_ring_frees_what_it_has_passed},
    {"near heap, ring and far heap keep one order", test_ev_ring_and_far_keep_the_order},
    {"events run in time order", test_ev_runs_in_time_order},
    {"equal times run in scheduling order", test_ev_equal_times_run_in_scheduling_order},
    {"re-arming takes a new place among ties", test_ev_rearm_takes_a_new_place},
    {"cancel removes the event, twice is harmless", test_ev_cancel_removes_without_trace},
    {"a callback cancels another and re-arms itself", test_ev_callback_cancels_and_rearms},
    {"run_until stops at its limit, inclusive", test_ev_run_until_stops_at_limit},
    {"5000 events with cancellations come out sorted", test_ev_heap_property_under_churn},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo engine_ev_suites[] = {
    {"engine: event queue", NULL, NULL, NULL, NULL, ev_tests},
    CU_SUITE_INFO_NULL,
};
