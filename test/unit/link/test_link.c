/* SPDX-License-Identifier: MIT */
/*
 * test_link.c: a link direction's stages, each with exact expected times and counts.
 */
#include <CUnit/CUnit.h>
#include <glib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sim/link/link.h"

struct sink {
    GArray *at;   /* sim_time of each delivery */
    GArray *seqs; /* tcp_seq of each delivery */
    struct ev_queue *q;
};

static void
deliver(void *to, const struct tcp_seg *seg, const struct link_damage *dmg)
{
    (void)dmg;
    struct sink *s = to;
    g_array_append_val(s->at, s->q->now);
    g_array_append_val(s->seqs, seg->seq);
}

struct fixture {
    struct ev_queue q;
    struct trace trace;
    struct link_dir d;
    struct sink sink;
};

static void
fx_init(struct fixture *f, uint64_t seed)
{
    ev_queue_init(&f->q);
    trace_init(&f->trace);
    f->sink = (struct sink){g_array_new(FALSE, FALSE, sizeof(sim_time)),
                            g_array_new(FALSE, FALSE, sizeof(tcp_seq)), &f->q};
    link_dir_init(&f->d, &f->q, &f->trace, "A", "B", &f->sink, deliver, seed);
}

static void
fx_free(struct fixture *f)
{
    ev_queue_destroy(&f->q);
    link_dir_destroy(&f->d);
    trace_destroy(&f->trace);
    g_array_free(f->sink.at, TRUE);
    g_array_free(f->sink.seqs, TRUE);
}

static void
send_n(struct fixture *f, int n, uint32_t len)
{
    for (int i = 0; i < n; i++) {
        struct tcp_seg s = {.seq = (tcp_seq)i, .flags = TCP_ACK, .len = len};
        link_send(&f->d, &s);
    }
}

/* Propagation delay only: every segment arrives `delay` later, in order. */
static void
test_link_delay(void)
{
    struct fixture f;
    fx_init(&f, 1);
    f.d.p.delay = MS(10);
    send_n(&f, 3, 100);
    ev_run_until(&f.q, SIM_TIME_NEVER);
    CU_ASSERT_EQUAL_FATAL(f.sink.at->len, 3);
    for (int i = 0; i < 3; i++) {
        CU_ASSERT_EQUAL(g_array_index(f.sink.at, sim_time, i), MS(10));
        CU_ASSERT_EQUAL(g_array_index(f.sink.seqs, tcp_seq, i), (tcp_seq)i);
    }
    fx_free(&f);
}

/* Serialization: 1460-byte payloads are 1500-byte packets, 1.2 ms each at 10 Mbit/s,
 * sent back to back. */
static void
test_link_rate_serializes(void)
{
    struct fixture f;
    fx_init(&f, 1);
    f.d.p.delay = MS(5);
    f.d.p.rate_bps = 10000000;
    send_n(&f, 3, 1460);
    ev_run_until(&f.q, SIM_TIME_NEVER);
    CU_ASSERT_EQUAL_FATAL(f.sink.at->len, 3);
    for (int i = 0; i < 3; i++) {
        CU_ASSERT_EQUAL(g_array_index(f.sink.at, sim_time, i), MS(5) + US(1200) * (i + 1));
    }
    fx_free(&f);
}

/* Drop-tail: with room for 2, the 3rd segment sent at once is dropped (queue). */
static void
test_link_queue_limit_drops_tail(void)
{
    struct fixture f;
    fx_init(&f, 1);
    f.d.p.rate_bps = 1000000;
    f.d.p.queue_pkts = 2;
    send_n(&f, 5, 1000);
    ev_run_until(&f.q, SIM_TIME_NEVER);
    CU_ASSERT_EQUAL(f.sink.at->len, 2);
    CU_ASSERT_EQUAL(f.d.stats.dropped[LINK_DROP_QUEUE], 3);
    CU_ASSERT_EQUAL(f.d.stats.sent, 5);
    fx_free(&f);
}

/* Bernoulli loss: 10% of 20000 within 5 standard deviations; the same seed loses the
 * same segments. */
static void
test_link_loss_rate_and_determinism(void)
{
    uint64_t lost[2];
    for (int run = 0; run < 2; run++) {
        struct fixture f;
        fx_init(&f, 42);
        f.d.p.loss_ppb = 100000000;
        send_n(&f, 20000, 10);
        ev_run_until(&f.q, SIM_TIME_NEVER);
        lost[run] = f.d.stats.dropped[LINK_DROP_LOSS];
        CU_ASSERT(lost[run] > 2000 - 212 && lost[run] < 2000 + 212);
        CU_ASSERT_EQUAL(lost[run] + f.d.stats.delivered, 20000);
        fx_free(&f);
    }
    CU_ASSERT_EQUAL(lost[0], lost[1]);
}

/* Scripted: drop the next 2 SYN-ACKs; other segments pass; the rule is then used up. */
static void
test_link_scripted_drop_matches_flags(void)
{
    struct fixture f;
    fx_init(&f, 1);
    struct link_rule r = {.kind = LINK_RULE_DROP, .left = 2,
                          .filter = {.match_flags = true, .flags = TCP_SYN | TCP_ACK,
                                     .has_data = -1}};
    link_add_rule(&f.d, &r);
    struct tcp_seg synack = {.flags = TCP_SYN | TCP_ACK};
    struct tcp_seg ack = {.flags = TCP_ACK};
    link_send(&f.d, &ack);
    link_send(&f.d, &synack);
    link_send(&f.d, &synack);
    link_send(&f.d, &synack);
    ev_run_until(&f.q, SIM_TIME_NEVER);
    CU_ASSERT_EQUAL(f.d.stats.dropped[LINK_DROP_SCRIPTED], 2);
    CU_ASSERT_EQUAL(f.d.stats.delivered, 2);
    CU_ASSERT_EQUAL(f.d.rules->len, 0);
    fx_free(&f);
}

/* Scripted delay makes an old duplicate arrive late (reordering); duplicate sends two. */
static void
test_link_scripted_delay_and_duplicate(void)
{
    struct fixture f;
    fx_init(&f, 1);
    f.d.p.delay = MS(1);
    struct link_rule delay = {.kind = LINK_RULE_DELAY, .left = 1, .extra = SEC(3),
                              .filter = {.has_data = -1}};
    link_add_rule(&f.d, &delay);
    send_n(&f, 2, 10);
    struct link_rule dup = {.kind = LINK_RULE_DUPLICATE, .left = 1, .filter = {.has_data = -1}};
    link_add_rule(&f.d, &dup);
    send_n(&f, 1, 10);
    ev_run_until(&f.q, SIM_TIME_NEVER);
    CU_ASSERT_EQUAL_FATAL(f.sink.at->len, 4);
    CU_ASSERT_EQUAL(g_array_index(f.sink.seqs, tcp_seq, 0), 1); /* the undelayed one first */
    CU_ASSERT_EQUAL(g_array_index(f.sink.at, sim_time, 3), MS(1) + SEC(3));
    fx_free(&f);
}

static void
test_link_down_drops(void)
{
    struct fixture f;
    fx_init(&f, 1);
    f.d.down = true;
    send_n(&f, 3, 10);
    ev_run_until(&f.q, SIM_TIME_NEVER);
    CU_ASSERT_EQUAL(f.d.stats.dropped[LINK_DROP_DOWN], 3);
    CU_ASSERT_EQUAL(f.sink.at->len, 0);
    fx_free(&f);
}

/* Explore mode: the holder gets every segment, the link keeps its accounts, and the
 * holder's choices (a copy now, the original later, another dropped) arrive when made. */
struct held {
    struct tcp_seg segs[4];
    uint64_t serials[4];
    int n;
};

static void
hold_one(void *arg, struct link_dir *d, const struct tcp_seg *seg, uint64_t serial)
{
    (void)d;
    struct held *h = arg;
    h->serials[h->n] = serial;
    h->segs[h->n++] = *seg;
}

static void
test_link_explore_hold(void)
{
    struct fixture f;
    fx_init(&f, 1);
    struct held h = {.n = 0};
    f.d.p.delay = MS(10); /* ignored: the holder decides when */
    f.d.hold = hold_one;
    f.d.hold_arg = &h;
    send_n(&f, 2, 100);
    CU_ASSERT_EQUAL_FATAL(h.n, 2);
    CU_ASSERT_EQUAL(f.d.in_flight, 2);
    CU_ASSERT_EQUAL(f.q.len, 0); /* nothing scheduled: the link waits for the holder */
    CU_ASSERT_PTR_NULL(link_inv_check(&f.d));
    f.q.now = MS(1);
    link_release(&f.d, &h.segs[1], h.serials[1], true); /* a copy of the second, now */
    CU_ASSERT_EQUAL(f.d.in_flight, 2);
    CU_ASSERT_PTR_NULL(link_inv_check(&f.d));
    f.q.now = MS(2);
    link_discard(&f.d, &h.segs[0], h.serials[0]); /* the first is lost */
    f.q.now = MS(3);
    link_release(&f.d, &h.segs[1], h.serials[1], false); /* the second's original */
    CU_ASSERT_EQUAL(f.d.in_flight, 0);
    CU_ASSERT_EQUAL(f.d.stats.delivered, 2);
    CU_ASSERT_EQUAL(f.d.stats.duplicated, 1);
    CU_ASSERT_EQUAL(f.d.stats.dropped[LINK_DROP_SCRIPTED], 1);
    CU_ASSERT_PTR_NULL(link_inv_check(&f.d));
    CU_ASSERT_EQUAL_FATAL(f.sink.at->len, 2);
    CU_ASSERT_EQUAL(g_array_index(f.sink.at, sim_time, 0), MS(1));
    CU_ASSERT_EQUAL(g_array_index(f.sink.at, sim_time, 1), MS(3));
    CU_ASSERT_EQUAL(g_array_index(f.sink.seqs, tcp_seq, 0), 1);
    CU_ASSERT_EQUAL(g_array_index(f.sink.seqs, tcp_seq, 1), 1);
    fx_free(&f);
}

static CU_TestInfo link_tests[] = {
    {"propagation delay", test_link_delay},
    {"rate: back-to-back serialization", test_link_rate_serializes},
    {"drop-tail queue limit", test_link_queue_limit_drops_tail},
    {"Bernoulli loss: rate and determinism", test_link_loss_rate_and_determinism},
    {"scripted drop of the next N matching flags", test_link_scripted_drop_matches_flags},
    {"scripted delay reorders; duplicate sends twice", test_link_scripted_delay_and_duplicate},
    {"a link that is down drops everything", test_link_down_drops},
    {"explore mode: the holder delivers, copies and drops", test_link_explore_hold},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo link_suites[] = {
    {"link", NULL, NULL, NULL, NULL, link_tests},
    CU_SUITE_INFO_NULL,
};
