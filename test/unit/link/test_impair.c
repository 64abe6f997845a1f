/* SPDX-License-Identifier: MIT */
/*
 * test_impair.c: the link's random and scripted impairments, each checked against the
 * figure its model predicts (within five standard deviations where it is random) and
 * for determinism.
 */
#include <CUnit/CUnit.h>
#include <glib.h>
#include <math.h>

#include "sim/link/link.h"

struct arrivals {
    GArray *at;  /* sim_time of each delivery */
    GArray *seq; /* tcp_seq of each delivery */
    guint damaged;
    struct ev_queue *q;
};

static void
deliver(void *to, const struct tcp_seg *seg, const struct link_damage *dmg)
{
    struct arrivals *a = to;
    g_array_append_val(a->at, a->q->now);
    g_array_append_val(a->seq, seg->seq);
    a->damaged += dmg != NULL;
}

struct fixture {
    struct ev_queue q;
    struct trace trace;
    struct link_dir d;
    struct arrivals got;
};

static void
fx_init(struct fixture *f, uint64_t seed)
{
    ev_queue_init(&f->q);
    trace_init(&f->trace);
    f->got = (struct arrivals){g_array_new(FALSE, FALSE, sizeof(sim_time)),
                               g_array_new(FALSE, FALSE, sizeof(tcp_seq)), 0, &f->q};
    link_dir_init(&f->d, &f->q, &f->trace, "A", "B", &f->got, deliver, seed);
}

static void
fx_free(struct fixture *f)
{
    ev_queue_destroy(&f->q);
    link_dir_destroy(&f->d);
    trace_destroy(&f->trace);
    g_array_free(f->got.at, TRUE);
    g_array_free(f->got.seq, TRUE);
}

/* Segments 0..n-1 with `len` bytes of payload each, all sent now. */
static void
send_n(struct fixture *f, uint32_t n, uint32_t len)
{
    for (uint32_t i = 0; i < n; i++) {
        struct tcp_seg s = {.seq = i, .flags = TCP_ACK, .len = len};
        link_send(&f->d, &s);
    }
}

static sim_time
at(const struct fixture *f, guint i)
{
    return g_array_index(f->got.at, sim_time, i);
}

/* |x - n p| within five standard deviations of a binomial(n, p). */
static bool
binomial_ok(double x, double n, double p)
{
    return fabs(x - n * p) <= 5 * sqrt(n * p * (1 - p));
}

/* Gilbert-Elliott with p = 1%, r = 25%: mean loss p / (p + r) = 3.85%, losses in bursts
 * of mean length 1/r = 4. A Bernoulli loss of the same rate would have bursts of ~1.04. */
static void
test_impair_gilbert_elliott(void)
{
    struct fixture f;
    fx_init(&f, 7);
    f.d.p.burst = true;
    f.d.p.ge_p_ppb = 10000000;
    f.d.p.ge_r_ppb = 250000000;
    f.d.p.ge_bad_ppb = RNG_PPB_ONE;
    const uint32_t n = 200000;
    send_n(&f, n, 10);
    ev_run_until(&f.q, SIM_TIME_NEVER);
    /* Bursts: runs of consecutive missing sequence numbers. */
    guint bursts = 0;
    uint32_t expect = 0;
    for (guint i = 0; i < f.got.seq->len; i++) {
        tcp_seq s = g_array_index(f.got.seq, tcp_seq, i);
        bursts += s != expect;
        expect = s + 1;
    }
    bursts += expect != n;
    double lost = (double)f.d.stats.dropped[LINK_DROP_LOSS];
    double rate = lost / n;
    double mean_burst = lost / bursts;
    CU_ASSERT(rate > 0.0335 && rate < 0.0435);
    CU_ASSERT(mean_burst > 3.6 && mean_burst < 4.4);
    fx_free(&f);
}

/* RED: a queue that the average has not yet reached MIN loses nothing; a sustained
 * overload makes RED drop early, before the drop-tail limit is ever reached. */
static void
test_impair_red_drops_early(void)
{
    struct fixture f;
    fx_init(&f, 3);
    f.d.p.rate_bps = 1000000;
    f.d.p.queue_pkts = 1000;
    f.d.p.red = true;
    f.d.p.red_min = 20;
    f.d.p.red_max = 60;
    f.d.p.red_pmax_ppb = 100000000;
    send_n(&f, 30, 1000); /* the average moves 1/512 per packet: far below MIN */
    CU_ASSERT_EQUAL(f.d.stats.dropped[LINK_DROP_RED], 0);
    send_n(&f, 3000, 1000);
    ev_run_until(&f.q, SIM_TIME_NEVER);
    CU_ASSERT(f.d.stats.dropped[LINK_DROP_RED] > 0);
    CU_ASSERT_EQUAL(f.d.stats.dropped[LINK_DROP_QUEUE], 0);
    CU_ASSERT_EQUAL(f.d.stats.delivered + f.d.stats.dropped[LINK_DROP_RED], 3030);
    fx_free(&f);
}

/* Jitter stays within [delay, delay + jitter]; uniform has mean jitter/2 and variance
 * jitter^2/12; the bell shape has the same mean and a quarter of that variance. */
static void
test_impair_jitter_bounds_and_shape(void)
{
    const sim_time delay = MS(10);
    const sim_time jitter = MS(6);
    double var[2];
    for (int shape = 0; shape < 2; shape++) {
        struct fixture f;
        fx_init(&f, 11);
        f.d.p.delay = delay;
        f.d.p.jitter = jitter;
        f.d.p.jitter_dist = shape ? LINK_JITTER_NORMAL : LINK_JITTER_UNIFORM;
        send_n(&f, 20000, 10);
        ev_run_until(&f.q, SIM_TIME_NEVER);
        CU_ASSERT_EQUAL_FATAL(f.got.at->len, 20000);
        double sum = 0;
        double sq = 0;
        bool inside = true;
        for (guint i = 0; i < f.got.at->len; i++) {
            sim_time t = at(&f, i);
            inside = inside && t >= delay && t <= delay + jitter;
            double x = (double)(t - delay);
            sum += x;
            sq += x * x;
        }
        CU_ASSERT(inside);
        double mean = sum / f.got.at->len;
        var[shape] = sq / f.got.at->len - mean * mean;
        CU_ASSERT(fabs(mean - (double)jitter / 2) < (double)MS(1) / 10);
        fx_free(&f);
    }
    double uniform = (double)jitter * (double)jitter / 12;
    CU_ASSERT(fabs(var[0] / uniform - 1) < 0.05);
    CU_ASSERT(fabs(var[1] / (uniform / 4) - 1) < 0.05);
}

/* Duplication and corruption: counts near n p, every copy delivered, every damaged
 * packet handed over with its damage. */
static void
test_impair_duplicate_and_corrupt_rates(void)
{
    struct fixture f;
    fx_init(&f, 5);
    f.d.p.dup_ppb = 20000000;     /* 2% */
    f.d.p.corrupt_ppb = 10000000; /* 1% */
    const uint32_t n = 50000;
    send_n(&f, n, 100);
    ev_run_until(&f.q, SIM_TIME_NEVER);
    CU_ASSERT(binomial_ok((double)f.d.stats.duplicated, n, 0.02));
    CU_ASSERT(binomial_ok((double)f.d.stats.corrupted, n, 0.01));
    CU_ASSERT_EQUAL(f.got.at->len, n + f.d.stats.duplicated);
    CU_ASSERT_EQUAL(f.d.stats.delivered, n + f.d.stats.duplicated);
    /* A corrupted original's copy shares its damage, so at least as many arrive hurt. */
    CU_ASSERT(f.got.damaged >= f.d.stats.corrupted);
    fx_free(&f);
}

/* Reordering: the chosen share is held back by exactly the reordering delay, and later
 * segments overtake it. */
static void
test_impair_reorder(void)
{
    struct fixture f;
    fx_init(&f, 9);
    f.d.p.delay = MS(10);
    f.d.p.reorder_ppb = 50000000; /* 5% */
    f.d.p.reorder_delay = MS(20);
    const uint32_t n = 20000;
    send_n(&f, n, 10);
    ev_run_until(&f.q, SIM_TIME_NEVER);
    CU_ASSERT(binomial_ok((double)f.d.stats.reordered, n, 0.05));
    guint late = 0;
    bool times_ok = true;
    for (guint i = 0; i < f.got.at->len; i++) {
        sim_time t = at(&f, i);
        late += t == MS(30);
        times_ok = times_ok && (t == MS(10) || t == MS(30));
    }
    CU_ASSERT(times_ok);
    CU_ASSERT_EQUAL(late, f.d.stats.reordered);
    /* The first arrival at 30 ms comes after every 10 ms one. */
    CU_ASSERT_EQUAL(at(&f, n - late), MS(30));
    fx_free(&f);
}

/* Same seed, same choices; a different seed, different ones. Changing one impairment
 * leaves another's choices alone (each has its own stream). */
static void
test_impair_streams_independent(void)
{
    uint64_t reordered[3];
    for (int run = 0; run < 3; run++) {
        struct fixture f;
        fx_init(&f, 21);
        f.d.p.reorder_ppb = 100000000;
        f.d.p.reorder_delay = MS(1);
        f.d.p.loss_ppb = run == 2 ? 300000000 : 0; /* run 2 adds loss */
        send_n(&f, 5000, 10);
        ev_run_until(&f.q, SIM_TIME_NEVER);
        reordered[run] = f.d.stats.reordered;
        fx_free(&f);
    }
    CU_ASSERT_EQUAL(reordered[0], reordered[1]);
    /* With loss, fewer segments reach the reordering stage, but the ones that do draw
     * from the same stream: the count is lower, not reshuffled from scratch. */
    CU_ASSERT(reordered[2] < reordered[0]);
}

/* MTU: a 1500-byte packet through a 576-byte path is dropped; a 576-byte one passes. */
static void
test_impair_mtu(void)
{
    struct fixture f;
    fx_init(&f, 1);
    f.d.p.mtu = 576;
    send_n(&f, 1, 1460);
    send_n(&f, 1, 536);
    ev_run_until(&f.q, SIM_TIME_NEVER);
    CU_ASSERT_EQUAL(f.d.stats.dropped[LINK_DROP_MTU], 1);
    CU_ASSERT_EQUAL(f.got.at->len, 1);
    fx_free(&f);
}

/* A byte-limited queue: 1500-byte packets into 4000 bytes: two fit, the rest drop. */
static void
test_impair_byte_queue(void)
{
    struct fixture f;
    fx_init(&f, 1);
    f.d.p.rate_bps = 1000000;
    f.d.p.queue_pkts = 0;
    f.d.p.queue_bytes = 4000;
    send_n(&f, 5, 1460);
    ev_run_until(&f.q, SIM_TIME_NEVER);
    CU_ASSERT_EQUAL(f.got.at->len, 2);
    CU_ASSERT_EQUAL(f.d.stats.dropped[LINK_DROP_QUEUE], 3);
    fx_free(&f);
}

/* A scripted rule with a sequence range takes only the segments that start inside it. */
static void
test_impair_seq_filter(void)
{
    struct fixture f;
    fx_init(&f, 1);
    struct link_rule r = {.kind = LINK_RULE_DROP, .left = 100,
                          .filter = {.has_data = -1, .match_seq = true, .seq_lo = 3,
                                     .seq_hi = 5}};
    link_add_rule(&f.d, &r);
    send_n(&f, 10, 10);
    ev_run_until(&f.q, SIM_TIME_NEVER);
    CU_ASSERT_EQUAL(f.d.stats.dropped[LINK_DROP_SCRIPTED], 3);
    CU_ASSERT_EQUAL_FATAL(f.got.seq->len, 7);
    CU_ASSERT_EQUAL(g_array_index(f.got.seq, tcp_seq, 3), 6);
    fx_free(&f);
}

/* "duplicate ... by T": the original on time, the copy T later, counted as a duplicate. */
static void
test_impair_scripted_late_duplicate(void)
{
    struct fixture f;
    fx_init(&f, 1);
    f.d.p.delay = MS(10);
    struct link_rule r = {.kind = LINK_RULE_DUPLICATE, .left = 1, .extra = SEC(2),
                          .filter = {.has_data = -1}};
    link_add_rule(&f.d, &r);
    send_n(&f, 2, 10);
    ev_run_until(&f.q, SIM_TIME_NEVER);
    CU_ASSERT_EQUAL_FATAL(f.got.at->len, 3);
    CU_ASSERT_EQUAL(at(&f, 0), MS(10));
    CU_ASSERT_EQUAL(at(&f, 1), MS(10));
    CU_ASSERT_EQUAL(at(&f, 2), MS(10) + SEC(2));
    CU_ASSERT_EQUAL(g_array_index(f.got.seq, tcp_seq, 2), 0);
    CU_ASSERT_EQUAL(f.d.stats.duplicated, 1);
    fx_free(&f);
}

/* Every model, fixed seed: exactly these counts. Any change to a model or to the way it
 * draws shows up here first (and then in every golden trace that uses it). */
static void
test_impair_exact_counts_for_seed(void)
{
    struct fixture f;
    fx_init(&f, 2026);
    f.d.p.delay = MS(10);
    f.d.p.rate_bps = 100000000;
    f.d.p.queue_pkts = 100;
    f.d.p.red = true;
    f.d.p.red_min = 10;
    f.d.p.red_max = 90;
    f.d.p.red_pmax_ppb = 50000000;
    f.d.p.jitter = MS(2);
    f.d.p.burst = true;
    f.d.p.ge_p_ppb = 10000000;
    f.d.p.ge_r_ppb = 300000000;
    f.d.p.ge_bad_ppb = 800000000;
    f.d.p.ge_good_ppb = 1000000;
    f.d.p.dup_ppb = 10000000;
    f.d.p.reorder_ppb = 20000000;
    f.d.p.reorder_delay = MS(5);
    f.d.p.corrupt_ppb = 5000000;
    for (int burst = 0; burst < 100; burst++) {
        send_n(&f, 100, 1000);
        ev_run_until(&f.q, f.q.now + MS(12));
    }
    ev_run_until(&f.q, SIM_TIME_NEVER);
    const struct link_stats *st = &f.d.stats;
    CU_ASSERT_EQUAL(st->sent, 10000);
    CU_ASSERT_EQUAL(st->dropped[LINK_DROP_RED], 428);
    CU_ASSERT_EQUAL(st->dropped[LINK_DROP_QUEUE], 0);
    CU_ASSERT_EQUAL(st->dropped[LINK_DROP_LOSS], 308);
    CU_ASSERT_EQUAL(st->duplicated, 80);
    CU_ASSERT_EQUAL(st->reordered, 205);
    CU_ASSERT_EQUAL(st->corrupted, 38);
    CU_ASSERT_EQUAL(st->delivered, 10000 - 428 - 308 + 80);
    fx_free(&f);
}

static CU_TestInfo impair_tests[] = {
    {"fixed seed: exact counts of every model", test_impair_exact_counts_for_seed},
    {"Gilbert-Elliott: mean loss p/(p+r), bursts of 1/r", test_impair_gilbert_elliott},
    {"RED drops early, before the queue fills", test_impair_red_drops_early},
    {"jitter: bounds, mean and variance of both shapes", test_impair_jitter_bounds_and_shape},
    {"duplication and corruption rates", test_impair_duplicate_and_corrupt_rates},
    {"reordering: held back by exactly the delay", test_impair_reorder},
    {"one PRNG stream per impairment", test_impair_streams_independent},
    {"MTU: larger packets dropped", test_impair_mtu},
    {"queue limit in bytes", test_impair_byte_queue},
    {"scripted rule with a sequence range", test_impair_seq_filter},
    {"scripted duplicate arriving late", test_impair_scripted_late_duplicate},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo link_impair_suites[] = {
    {"link: impairments", NULL, NULL, NULL, NULL, impair_tests},
    CU_SUITE_INFO_NULL,
};
