/*
 * cmd_run.c: "tcpsim run FILE": parse, run, report the expects.
 */
#include <stdio.h>
#include <string.h>
#include <tcpsim/scenario.h>
#include <tcpsim/sim.h>

#include "cli.h"

/* At most one output may go to standard output ("-"; the text trace by default). */
static gboolean
run_outputs_distinct(const char *out, gboolean no_trace, const char *pcap, const char *jsonl)
{
    int to_stdout = 0;
    to_stdout += !no_trace && (out == NULL || strcmp(out, "-") == 0);
    to_stdout += pcap != NULL && strcmp(pcap, "-") == 0;
    to_stdout += jsonl != NULL && strcmp(jsonl, "-") == 0;
    if (to_stdout > 1) {
        cli_fail("run: more than one output goes to standard output; give the text trace "
                 "a file (-o FILE) or leave it out (--no-trace)");
        return FALSE;
    }
    return TRUE;
}

/* --stats: what the run cost, for benchmarks (test/bench) and the curious. */
static void
print_stats(const struct tcpsim_run_result *r, gint64 wall_us)
{
    double secs = (double)wall_us / 1e6;
    fprintf(stderr,
            "stats: events %" G_GUINT64_FORMAT ", segments %" G_GUINT64_FORMAT
            ", connection blocks at most %" G_GUINT64_FORMAT ", simulated %.9f s, wall %.6f s"
            ", %.0f ns of wall time per segment\n",
            r->events, r->segments, r->peak_tcbs, (double)r->end_time / 1e9, secs,
            r->segments ? secs * 1e9 / (double)r->segments : 0.0);
}

int
cmd_run(int argc, char **argv)
{
    gint64 seed = -1;
    gint64 max_events = 0;
    g_auto(GStrv) sets = NULL;
    g_autofree char *out = NULL;
    gboolean no_trace = FALSE;
    gboolean absolute = FALSE;
    gboolean quiet = FALSE;
    gboolean trace_cc = FALSE;
    g_autofree char *pcap = NULL;
    g_autofree char *pcap_at = NULL;
    g_autofree char *jsonl = NULL;
    gboolean stats = FALSE;
    GOptionEntry entries[] = {
        {"seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Seed for every random choice (overrides the file)", "N"},
        {"set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets, "Set a tunable: HOST.knob=value or *.knob=value (repeatable)", "H.K=V"},
        {"output", 'o', 0, G_OPTION_ARG_FILENAME, &out, "Write the trace to FILE (default: standard output)", "FILE"},
        {"no-trace", 0, 0, G_OPTION_ARG_NONE, &no_trace, "Write no text trace (--jsonl and --pcap still write theirs)", NULL},
        {"absolute", 0, 0, G_OPTION_ARG_NONE, &absolute, "Print absolute sequence numbers", NULL},
        {"cc", 0, 0, G_OPTION_ARG_NONE, &trace_cc, "Trace every change of the congestion window", NULL},
        {"jsonl", 0, 0, G_OPTION_ARG_FILENAME, &jsonl, "Also write the trace as JSON lines to FILE", "FILE"},
        {"pcap", 0, 0, G_OPTION_ARG_FILENAME, &pcap, "Also write a packet capture (pcap) to FILE", "FILE"},
        {"pcap-at", 0, 0, G_OPTION_ARG_STRING, &pcap_at, "Capture point: a HOST's interface (default: the first host), sent or delivered", "POINT"},
        {"max-events", 0, 0, G_OPTION_ARG_INT64, &max_events, "Stop with an error after N events (default 200000000)", "N"},
        {"quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "Do not print the expect summary", NULL},
        {"stats", 0, 0, G_OPTION_ARG_NONE, &stats, "Print events, segments, simulated and wall time to standard error", NULL},
        G_OPTION_ENTRY_NULL,
    };
    g_autoptr(GOptionContext) ctx = g_option_context_new("FILE - run a scenario");
    g_option_context_set_summary(ctx,
        "Runs the scenario FILE and prints its trace: every segment sent, delivered or\n"
        "dropped, every state change, timer and application call.");
    g_option_context_set_description(ctx,
        "Exit status: 0 all expects held, 1 an expect failed, 2 bad input or options.\n"
        "Example: tcpsim run scenarios/handshake/basic.scn --set B.tcp_synack_retries=2\n"
        "A capture on host A, read by tcpdump:\n"
        "  tcpsim run scenarios/handshake/basic.scn --no-trace --pcap - | tcpdump -n -r -\n"
        "FILE \"-\" is standard output (for one output at a time). Formats: docs/traces.md.");
    g_option_context_add_main_entries(ctx, entries, NULL);
    if (!cli_parse(ctx, &argc, &argv)) {
        return EXIT_USAGE;
    }
    if (argc != 2) {
        return cli_fail(argc < 2 ? "run: a scenario FILE is needed; try \"tcpsim run --help\""
                                 : "run: one FILE at a time; try \"tcpsim run --help\"");
    }
    if (max_events < 0) {
        return cli_fail("run: --max-events must be positive");
    }
    if (pcap_at != NULL && pcap == NULL) {
        return cli_fail("run: --pcap-at needs --pcap FILE");
    }
    if (!run_outputs_distinct(out, no_trace, pcap, jsonl)) {
        return EXIT_USAGE;
    }
    GError *e = NULL;
    struct tcpsim_scenario *scn = tcpsim_scenario_load(argv[1], &e);
    if (scn == NULL) {
        fprintf(stderr, "%s\n", e->message);
        g_error_free(e);
        return EXIT_USAGE;
    }
    struct tcpsim_run_options opts = {
        .trace_path = out,
        .no_trace = no_trace,
        .absolute_seq = absolute,
        .trace_cc = trace_cc,
        .has_seed = seed >= 0,
        .seed = (uint64_t)seed,
        .sets = (const char *const *)sets,
        .max_events = (uint64_t)max_events,
        .pcap_path = pcap,
        .pcap_at = pcap_at,
        .jsonl_path = jsonl,
    };
    struct tcpsim_run_result res;
    gint64 wall = g_get_monotonic_time();
    gboolean ran = tcpsim_scenario_run(scn, &opts, &res, &e);
    wall = g_get_monotonic_time() - wall;
    tcpsim_scenario_free(scn);
    if (!ran) {
        fprintf(stderr, "tcpsim: %s\n", e->message);
        g_error_free(e);
        return EXIT_USAGE;
    }
    for (guint i = 0; i < res.failures->len; i++) {
        fprintf(stderr, "%s\n", (const char *)g_ptr_array_index(res.failures, i));
    }
    if (!quiet) {
        fprintf(stderr, "%s: %u expects, %u failed\n", argv[1], res.expects, res.failed);
    }
    if (stats) {
        print_stats(&res, wall);
    }
    int status = res.failed ? EXIT_CHECK_FAILED : EXIT_OK;
    tcpsim_run_result_clear(&res);
    return status;
}

int
cmd_counters(int argc, char **argv)
{
    g_autoptr(GOptionContext) ctx = g_option_context_new("- list the counters");
    g_option_context_set_summary(ctx,
        "Lists every counter a scenario can check with `expect HOST counter NAME N`,\n"
        "named as nstat names it on Linux, with what it counts.");
    if (!cli_parse(ctx, &argc, &argv)) {
        return EXIT_USAGE;
    }
    const char *name;
    for (guint i = 0; (name = tcpsim_counter_name(i)) != NULL; i++) {
        printf("%-30s %s\n", name, tcpsim_counter_help(i));
    }
    return EXIT_OK;
}

int
cmd_knobs(int argc, char **argv)
{
    g_autoptr(GOptionContext) ctx = g_option_context_new("- list the TCP tunables");
    g_option_context_set_summary(ctx,
        "Lists every tunable a scenario can `set`, with its default (Linux personality)\n"
        "and what it does. Names and units are Linux's where Linux has the knob.");
    if (!cli_parse(ctx, &argc, &argv)) {
        return EXIT_USAGE;
    }
    g_autoptr(GError) e = NULL;
    struct tcpsim_sim *sim = tcpsim_sim_new(0);
    tcpsim_host_add(sim, "A", 1, &e);
    const char *k;
    for (guint i = 0; (k = tcpsim_knob_name(i)) != NULL; i++) {
        g_autofree char *v = tcpsim_host_get(sim, 0, k);
        printf("%-24s %-24s %s\n", k, v, tcpsim_knob_help(k));
    }
    tcpsim_sim_free(sim);
    return EXIT_OK;
}
