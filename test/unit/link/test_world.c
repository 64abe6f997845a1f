/* SPDX-License-Identifier: MIT */
/*
 * test_world.c: whole runs: determinism of the trace, and independence of simulations.
 */
#include <CUnit/CUnit.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>
#include <tcpsim/scenario.h>
#include <tcpsim/sim.h>
#include <tcpsim/units.h>

#include "sim/engine/time.h"

static const char scenario[] =
    "seed 5\n"
    "link both delay 3ms loss 5%\n"
    "0 B listen 80\n"
    "0 A connect B:80 as c\n"
    "+0 B accept 80 as s\n"
    "10ms A send c 200KiB\n"
    "+0 B recv s 200KiB\n"
    "+0 A close c\n"
    "+0 B close s\n";

static char *
run_to_file(const char *text, uint64_t seed, bool has_seed)
{
    GError *e = NULL;
    struct tcpsim_scenario *scn = tcpsim_scenario_parse("w.scn", text, strlen(text), &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
    char *path = g_strdup_printf("%s/tcpsim-world-%d-%u.trace", g_get_tmp_dir(), (int)getpid(),
                                 g_random_int());
    struct tcpsim_run_options o = {.trace_path = path, .has_seed = has_seed, .seed = seed};
    struct tcpsim_run_result r;
    CU_ASSERT_TRUE_FATAL(tcpsim_scenario_run(scn, &o, &r, &e));
    tcpsim_run_result_clear(&r);
    tcpsim_scenario_free(scn);
    char *text_out = NULL;
    g_file_get_contents(path, &text_out, NULL, NULL);
    g_unlink(path);
    g_free(path);
    return text_out;
}

/* Same scenario, seed and build: byte-identical traces. Another seed: another run. */
static void
test_world_same_seed_same_trace(void)
{
    char *a = run_to_file(scenario, 0, false);
    char *b = run_to_file(scenario, 0, false);
    char *c = run_to_file(scenario, 6, true);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT(strlen(a) > 10000);
    CU_ASSERT_STRING_EQUAL(a, b);
    CU_ASSERT_STRING_NOT_EQUAL(a, c);
    CU_ASSERT_PTR_NOT_NULL(strstr(a, "(loss)"));
    g_free(a);
    g_free(b);
    g_free(c);
}

/* The whole stream arrives, once and in order, through 5% loss. */
static void
test_world_stream_arrives_whole(void)
{
    const char *text =
        "seed 9\nlink both delay 3ms loss 5%\n0 B listen 80\n0 A connect B:80 as c\n"
        "+0 B accept 80 as s\n10ms A send c 200KiB\n+0 B recv s 200KiB\n+0 A close c\n"
        "+0 B recv s\n+0 B close s\n60s expect B s received 200KiB\n";
    GError *e = NULL;
    struct tcpsim_scenario *scn = tcpsim_scenario_parse("w.scn", text, strlen(text), &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
    struct tcpsim_run_options o = {.no_trace = true};
    struct tcpsim_run_result r;
    CU_ASSERT_TRUE_FATAL(tcpsim_scenario_run(scn, &o, &r, &e));
    CU_ASSERT_EQUAL(r.expects, 1);
    CU_ASSERT_EQUAL(r.failed, 0);
    tcpsim_run_result_clear(&r);
    tcpsim_scenario_free(scn);
}

/* Runs `text`; returns the number of failed expects (-1 if it did not run). */
static int
failed_expects(const char *text)
{
    GError *e = NULL;
    struct tcpsim_scenario *scn = tcpsim_scenario_parse("w.scn", text, strlen(text), &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
    struct tcpsim_run_options o = {.no_trace = true};
    struct tcpsim_run_result r;
    int failed = -1;
    if (tcpsim_scenario_run(scn, &o, &r, &e)) {
        failed = (int)r.failed;
        tcpsim_run_result_clear(&r);
    }
    g_clear_error(&e);
    tcpsim_scenario_free(scn);
    return failed;
}

/* Knobs reach the connection: the first flight is initcwnd segments, whatever the
 * algorithm (the knob was once read by nothing). */
static void
test_world_initcwnd_knob_sets_first_flight(void)
{
    for (int i = 0; i < 2; i++) {
        g_autofree char *text = g_strdup_printf(
            "link both delay 50ms\nset A initcwnd 4\nset A tcp_congestion_control %s\n"
            "0 B listen 80\n0 A connect B:80 as c\n+0 B accept 80 as s\n200ms A send c 100KB\n"
            "+60ms expect segments A->B data count 4\n", i ? "reno" : "cubic");
        CU_ASSERT_EQUAL(failed_expects(text), 0);
    }
}

/* A flood of 100,000 spoofed SYNs against a listener with SYN cookies (Linux's
 * default) costs memory bounded by the queues, not by the flood: the SYN queue holds
 * backlog + 1 half-open connections and every other SYN is answered statelessly. The
 * stated bound: at most backlog + 4 connection blocks on the server (the listener, the
 * full SYN queue of backlog + 1, the transient block a cookie SYN-ACK is built in, one
 * legitimate client) and at most 1,000 packet slots per link
 * direction (100 SYNs per millisecond of delay in flight, plus retransmitted SYN-ACKs).
 * A legitimate client connecting during the flood gets in. */
static void
test_world_syn_flood_memory_bounded(void)
{
    struct tcpsim_sim *sim = tcpsim_sim_new(1);
    int a = tcpsim_host_add(sim, "A", tcpsim_addr_v4(0x0A000001u), NULL);
    int b = tcpsim_host_add(sim, "B", tcpsim_addr_v4(0x0A000002u), NULL);
    CU_ASSERT_TRUE_FATAL(tcpsim_link_set(sim, a, b, "delay", "1ms", NULL));
    CU_ASSERT_TRUE_FATAL(tcpsim_link_set(sim, b, a, "delay", "1ms", NULL));
    struct tcpsim_sock *l = tcpsim_socket(sim, b, "l");
    tcpsim_listen(l, 80, 128);
    CU_ASSERT_TRUE(tcpsim_flood(sim, a, b, 80, 100000, SEC(1), 0xC6336400u, 16));
    tcpsim_run(sim, MS(500), 0);
    struct tcpsim_sock *c = tcpsim_socket(sim, a, "c");
    tcpsim_connect(c, tcpsim_addr_v4(0x0A000002u), 80, 0);
    CU_ASSERT_EQUAL(tcpsim_run(sim, SEC(300), 50000000), TCPSIM_RUN_QUIET);
    CU_ASSERT_STRING_EQUAL(tcpsim_sock_state(c), "ESTABLISHED");
    uint64_t sent = 0;
    CU_ASSERT_TRUE(tcpsim_host_counter(sim, b, "TcpExtSyncookiesSent", &sent));
    CU_ASSERT(sent > 99000);
    CU_ASSERT(tcpsim_host_tcbs(sim, b, true) <= 128 + 4);
    CU_ASSERT(tcpsim_link_slots(sim, a, b) <= 1000);
    CU_ASSERT(tcpsim_link_slots(sim, b, a) <= 1000);
    tcpsim_sim_free(sim);
}

/* A run that never goes quiet stops at the event limit with an error, not a hang. */
static void
test_world_event_limit(void)
{
    const char *text = "0 B listen 80\n0 A connect B:80 as c\n+0 B accept 80 as s\n"
                       "1s A option c keepalive keepidle 1 keepintvl 1\n";
    GError *e = NULL;
    struct tcpsim_scenario *scn = tcpsim_scenario_parse("w.scn", text, strlen(text), &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
    struct tcpsim_run_options o = {.no_trace = true, .max_events = 10000};
    struct tcpsim_run_result r;
    CU_ASSERT_FALSE(tcpsim_scenario_run(scn, &o, &r, &e));
    CU_ASSERT_PTR_NOT_NULL(e ? strstr(e->message, "did not end after 10000 events") : NULL);
    g_clear_error(&e);
    tcpsim_scenario_free(scn);
}

/* A listen() refused with EADDRINUSE leaves no connection block behind (the fuzzer
 * found it leaking: test/fuzz/regressions/sim/listen-twice-leak.scn). */
static void
test_world_refused_listen_frees_its_tcb(void)
{
    struct tcpsim_sim *sim = tcpsim_sim_new(1);
    int b = tcpsim_host_add(sim, "B", tcpsim_addr_v4(0x0A000002), NULL);
    struct tcpsim_sock *l1 = tcpsim_socket(sim, b, "l1");
    struct tcpsim_sock *l2 = tcpsim_socket(sim, b, "l2");
    tcpsim_listen(l1, 80, 16);
    tcpsim_listen(l2, 80, 16);
    tcpsim_run(sim, SEC(1), 0);
    CU_ASSERT_EQUAL(tcpsim_sock_error(l2), EADDRINUSE);
    CU_ASSERT_STRING_EQUAL(tcpsim_sock_state(l2), "CLOSED");
    CU_ASSERT_EQUAL(tcpsim_host_tcbs(sim, b, false), 1);
    tcpsim_sim_free(sim);
}

/* A run that would grow without bound (a flood into a link that holds every segment for
 * an hour) stops once the simulation's own memory passes its limit, close to it; the
 * meter balances back to zero as everything is freed (checked in tcpsim_sim_free()). */
static void
test_world_memory_limit_stops_unbounded_growth(void)
{
    struct tcpsim_sim *sim = tcpsim_sim_new(1);
    int a = tcpsim_host_add(sim, "A", tcpsim_addr_v4(0x0A000001), NULL);
    int b = tcpsim_host_add(sim, "B", tcpsim_addr_v4(0x0A000002), NULL);
    CU_ASSERT_TRUE(tcpsim_link_set(sim, a, b, "delay", "1h", NULL));
    tcpsim_flood(sim, a, b, 80, 1000000, SEC(3600), 0xC6336400u, 24);
    tcpsim_set_memory_limit(sim, 8u << 20);
    CU_ASSERT_EQUAL(tcpsim_run(sim, INT64_MAX, 0), TCPSIM_RUN_MEMORY_LIMIT);
    uint64_t used = tcpsim_memory_used(sim, false);
    CU_ASSERT(used > (8u << 20) && used < (9u << 20));
    CU_ASSERT(tcpsim_link_slots(sim, a, b) > 20000);
    tcpsim_sim_free(sim);
}

static CU_TestInfo world_tests[] = {
    {"--max-memory stops a run that grows without bound",
     test_world_memory_limit_stops_unbounded_growth},
    {"a refused listen() frees its connection block", test_world_refused_listen_frees_its_tcb},
    {"same seed, same trace, byte for byte", test_world_same_seed_same_trace},
    {"200 KiB through 5% loss arrive whole", test_world_stream_arrives_whole},
    {"a run that never ends hits the event limit", test_world_event_limit},
    {"the initcwnd knob sets the first flight", test_world_initcwnd_knob_sets_first_flight},
    {"100,000-SYN flood: memory bounded by the queues", test_world_syn_flood_memory_bounded},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo world_suites[] = {
    {"world: whole runs", NULL, NULL, NULL, NULL, world_tests},
    CU_SUITE_INFO_NULL,
};
