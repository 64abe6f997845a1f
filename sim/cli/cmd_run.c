/* SPDX-License-Identifier: MIT */
/*
 * cmd_run.c: "tcpsim run FILE": parse, run, report the expects.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <tcpsim/scenario.h>
#include <tcpsim/sim.h>
#include <tcpsim/units.h>

#include "cli.h"

/* --seed N (0 to 2^64-1, as the file's `seed` line), --max-events N (at least 1),
 * --max-memory SIZE ("512MiB", "2GB", at least 4MiB, or "unlimited") and --max-output
 * SIZE (at least 1 byte, or "unlimited"), into `o`. */
/* The least --max-memory: the event queue's ring (1 MiB) and the text trace's buffer
 * (1 MiB) are counted from the first event; every bundled scenario stays under 2.2 MB. */
#define MIN_MAX_MEMORY (4u << 20)

static gboolean
parse_limits(const char *cmd, const char *seed, const char *events, const char *memory,
             const char *output, const char *wall, struct tcpsim_run_options *o)
{
    int64_t ns = 0;
    if (wall != NULL && strcmp(wall, "unlimited") == 0) {
        o->max_wall = -1;
    } else if (wall != NULL) {
        if (!tcpsim_parse_time(wall, 1000000000, &ns, NULL) || ns < 1000) {
            cli_fail("%s: --max-time %s: expected a wall-clock time such as 30s or 10min, or "
                     "unlimited", cmd, wall);
            return FALSE;
        }
        o->max_wall = ns / 1000;
    }
    if (output != NULL && strcmp(output, "unlimited") == 0) {
        o->max_output = UINT64_MAX;
    } else if (output != NULL &&
               (!tcpsim_parse_size(output, &o->max_output, NULL) || o->max_output == 0)) {
        cli_fail("%s: --max-output %s: expected a size such as 100MiB or 4GiB, or unlimited",
                 cmd, output);
        return FALSE;
    }
    if (seed != NULL && !g_ascii_string_to_unsigned(seed, 10, 0, G_MAXUINT64, &o->seed, NULL)) {
        cli_fail("%s: --seed %s: expected a whole number from 0 to 18446744073709551615", cmd,
                 seed);
        return FALSE;
    }
    o->has_seed = seed != NULL;
    if (events != NULL &&
        !g_ascii_string_to_unsigned(events, 10, 1, G_MAXUINT64, &o->max_events, NULL)) {
        cli_fail("%s: --max-events %s: expected a whole number of events, at least 1", cmd,
                 events);
        return FALSE;
    }
    if (memory != NULL && strcmp(memory, "unlimited") == 0) {
        o->max_memory = UINT64_MAX;
    } else if (memory != NULL &&
               (!tcpsim_parse_size(memory, &o->max_memory, NULL) ||
                o->max_memory < MIN_MAX_MEMORY)) {
        cli_fail("%s: --max-memory %s: expected a size of at least 4MiB (the event queue and "
                 "the trace's buffer alone take 2 MiB), such as 512MiB or 2GB, or unlimited",
                 cmd, memory);
        return FALSE;
    }
    return TRUE;
}

/* The process's peak resident size in KiB (Linux VmHWM), or 0 when it cannot be read.
 * Read here rather than from the parent's rusage, which would also count what a forking
 * parent held before exec. */
static uint64_t
peak_rss_kib(void)
{
    g_autofree char *status = NULL;
    if (!g_file_get_contents("/proc/self/status", &status, NULL, NULL)) {
        return 0;
    }
    const char *hwm = strstr(status, "\nVmHWM:");
    return hwm ? g_ascii_strtoull(hwm + strlen("\nVmHWM:"), NULL, 10) : 0;
}

/* --stats: what the run cost, for benchmarks (test/bench) and the curious. */
static void
print_stats(const struct tcpsim_run_result *r, gint64 wall_us)
{
    double secs = (double)wall_us / 1e6;
    fprintf(stderr,
            "stats: events %" G_GUINT64_FORMAT ", segments %" G_GUINT64_FORMAT
            ", connection blocks at most %" G_GUINT64_FORMAT ", simulated %.9f s, wall %.6f s"
            ", %.0f ns of wall time per segment, simulation memory at most %" G_GUINT64_FORMAT
            " bytes, peak RSS %" G_GUINT64_FORMAT " KiB\n",
            r->events, r->segments, r->peak_tcbs, (double)r->end_time / 1e9, secs,
            r->segments ? secs * 1e9 / (double)r->segments : 0.0, r->peak_memory,
            peak_rss_kib());
}

/* At most one output may go to standard output ("-"): the main view's, by default. No
 * two outputs may name the same file (they would interleave into it), and none may name
 * the input scenario (it would be overwritten). Checked before anything runs. */
static gboolean
outputs_distinct(const char *cmd, enum cli_main main_view, const char *input, const char *out,
                 gboolean no_trace, const char *pcap, const char *jsonl,
                 const char *summary, const struct cli_views *views)
{
    const struct {
        const char *opt;
        const char *path;
    } outs[] = {
        {"-o", (main_view != CLI_MAIN_TRACE || !no_trace) ? (out ? out : "-") : NULL},
        {"--pcap", pcap},
        {"--jsonl", jsonl},
        {"--summary", summary},
        {"--ladder-svg", views->ladder_svg},
        {"--plot-seq", views->plot_seq},
        {"--plot-cwnd", views->plot_cwnd},
    };
    int to_stdout = 0;
    for (size_t i = 0; i < G_N_ELEMENTS(outs); i++) {
        to_stdout += outs[i].path != NULL && strcmp(outs[i].path, "-") == 0;
    }
    if (to_stdout > 1) {
        cli_fail("%s: more than one output goes to standard output; give the main one a file "
                 "(-o FILE) or, for run, leave the trace out (--no-trace)",
                 cmd);
        return FALSE;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(outs); i++) {
        const char *p = outs[i].path;
        struct stat st;
        if (p == NULL || strcmp(p, "-") == 0 || (stat(p, &st) == 0 && S_ISCHR(st.st_mode))) {
            continue; /* standard output, counted above; a device such as /dev/null */
        }
        if (input != NULL && cli_same_file(p, input)) {
            cli_fail("%s: %s %s names the input scenario, which it would overwrite; give the "
                     "output another name", cmd, outs[i].opt, p);
            return FALSE;
        }
        for (size_t j = 0; j < i; j++) {
            if (outs[j].path != NULL && strcmp(outs[j].path, "-") != 0 &&
                cli_same_file(p, outs[j].path)) {
                cli_fail("%s: %s %s and %s %s name the same file; give each output its own",
                         cmd, outs[j].opt, outs[j].path, outs[i].opt, p);
                return FALSE;
            }
        }
    }
    return TRUE;
}

/* What each command says about itself in --help. */
static const struct {
    const char *name;
    const char *param;
    const char *summary;
    const char *example;
} commands[] = {
    [CLI_MAIN_TRACE] = {"run", "FILE - run a scenario",
        "Runs the scenario FILE and prints its trace: every segment sent, delivered or\n"
        "dropped, every state change, timer and application call.",
        "Example: tcpsim run scenarios/handshake/basic.scn --set B.tcp_synack_retries=2\n"
        "A capture on host A, read by tcpdump (formats: docs/traces.md):\n"
        "  tcpsim run scenarios/handshake/basic.scn --no-trace --pcap - | tcpdump -n -r -"},
    [CLI_MAIN_LADDER] = {"ladder", "FILE - draw a scenario's ladder diagram",
        "Runs the scenario FILE and draws its ladder diagram: a column per endpoint (the\n"
        "first two hosts), time running down, an arrow per segment from its sending to its\n"
        "arrival, an X where the link lost one, states and timers beside the columns.",
        "Example: tcpsim ladder scenarios/retransmit/syn-lost.scn --ladder-svg syn-lost.svg"},
    [CLI_MAIN_EXPLAIN] = {"explain", "FILE - explain a scenario's trace",
        "Runs the scenario FILE and prints its trace with, after each segment, state change,\n"
        "timer and drop, an indented sentence saying why it happened and which RFC section\n"
        "or Linux knob decides it.",
        "Example: tcpsim explain scenarios/close/simultaneous.scn --lang zh"},
};

int
cmd_run(int argc, char **argv)
{
    return cmd_run_view(argc, argv, CLI_MAIN_TRACE);
}

int
cmd_run_view(int argc, char **argv, enum cli_main main_view)
{
    const char *cmd = commands[main_view].name;
    g_autofree char *seed = NULL;
    g_autofree char *max_events = NULL;
    g_autofree char *max_memory = NULL;
    g_autofree char *max_output = NULL;
    g_autofree char *max_time = NULL;
    g_auto(GStrv) sets = NULL;
    g_autofree char *out = NULL;
    gboolean no_trace = FALSE;
    gboolean absolute = FALSE;
    gboolean quiet = FALSE;
    gboolean trace_cc = FALSE;
    gboolean stats = FALSE;
    g_autofree char *pcap = NULL;
    g_autofree char *pcap_at = NULL;
    g_autofree char *jsonl = NULL;
    g_autofree char *summary = NULL;
    g_auto(GStrv) params = NULL;
    gboolean counters = FALSE;
    g_autofree char *pcapng = NULL;
    g_autofree char *ip_version = NULL;
    GOptionEntry entries[] = {
        {"param", 0, 0, G_OPTION_ARG_STRING_ARRAY, &params, "Fill in the scenario's ${NAME} with VALUE (repeatable)", "NAME=VALUE"},
        {"seed", 0, 0, G_OPTION_ARG_STRING, &seed, "Seed for every random choice, 0 to 2^64-1 (overrides the file)", "N"},
        {"set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets, "Set a tunable: HOST.knob=value or *.knob=value (repeatable)", "H.K=V"},
        {"output", 'o', 0, G_OPTION_ARG_FILENAME, &out, "Write the output (the trace, ladder or explanation) to FILE (default: standard output)", "FILE"},
        {"no-trace", 0, 0, G_OPTION_ARG_NONE, &no_trace, "Write no trace (--jsonl and --pcap still write theirs)", NULL},
        {"absolute", 0, 0, G_OPTION_ARG_NONE, &absolute, "Print absolute sequence numbers", NULL},
        {"cc", 0, 0, G_OPTION_ARG_NONE, &trace_cc, "Trace every change of the congestion window", NULL},
        {"jsonl", 0, 0, G_OPTION_ARG_FILENAME, &jsonl, "Also write the trace as JSON lines to FILE", "FILE"},
        {"pcap", 0, 0, G_OPTION_ARG_FILENAME, &pcap, "Also write a packet capture (pcap) to FILE", "FILE"},
        {"pcapng", 0, 0, G_OPTION_ARG_FILENAME, &pcapng, "Write the capture as pcapng instead, with host names and a comment per packet (the trace's reason)", "FILE"},
        {"pcap-at", 0, 0, G_OPTION_ARG_STRING, &pcap_at, "Capture point: a HOST's interface (default: the first host), sent or delivered", "POINT"},
        {"max-events", 0, 0, G_OPTION_ARG_STRING, &max_events, "Stop with an error after N events (default 200000000)", "N"},
        {"max-memory", 0, 0, G_OPTION_ARG_STRING, &max_memory, "Stop with an error when the simulation's own memory passes SIZE (default 512MiB; or unlimited)", "SIZE"},
        {"max-time", 0, 0, G_OPTION_ARG_STRING, &max_time, "Stop with an error when the run has taken TIME of wall-clock time (default 10min; or unlimited)", "TIME"},
        {"max-output", 0, 0, G_OPTION_ARG_STRING, &max_output, "Stop with an error when the outputs together pass SIZE (default 4GiB; or unlimited)", "SIZE"},
        {"summary", 0, 0, G_OPTION_ARG_FILENAME, &summary, "Write a JSON summary of the run to FILE (- for standard output): connections, counters, links, expects (docs/summary.md)", "FILE"},
        {"counters", 0, 0, G_OPTION_ARG_NONE, &counters, "Print every host's non-zero counters at the end, as nstat does, to standard error", NULL},
        {"quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "Do not print the expect summary", NULL},
        {"ip-version", 0, 0, G_OPTION_ARG_STRING, &ip_version, "ipv6: run over IPv6, each host's IPv4 address a.b.c.d replaced by 2001:db8::a.b.c.d (a host with an IPv6 address keeps it); ipv6-same-mss: that, with every MTU 20 bytes larger, so MSS and segment sizes are IPv4's; ipv4 (the default): as written", "ipv4|ipv6|ipv6-same-mss"},
        {"stats", 0, 0, G_OPTION_ARG_NONE, &stats, "Print what the run cost to standard error: events, segments, connection blocks, simulated and wall time, memory", NULL},
        G_OPTION_ENTRY_NULL,
    };
    /* Options that mean something for run's trace only are not offered by ladder and
     * explain, whose main output is not the trace. */
    for (GOptionEntry *en = entries; main_view != CLI_MAIN_TRACE && en->long_name; en++) {
        if (strcmp(en->long_name, "no-trace") == 0) {
            en->flags |= G_OPTION_FLAG_HIDDEN;
        }
    }
    struct cli_views views = {0};
    g_autoptr(GOptionContext) ctx = g_option_context_new(commands[main_view].param);
    g_option_context_set_summary(ctx, commands[main_view].summary);
    g_autofree char *description = g_strdup_printf(
        "Exit status: 0 all expects held, 1 an expect failed, 2 bad input or options, or a\n"
        "limit reached (--max-events, --max-memory, --max-output, --max-time): then no\n"
        "output file is written (all the outputs are written together, or none is).\n%s",
        commands[main_view].example);
    g_option_context_set_description(ctx, description);
    g_option_context_add_main_entries(ctx, entries, NULL);
    cli_views_options(ctx, &views, main_view);
    gboolean parsed = cli_parse(ctx, &argc, &argv);
    if (!parsed || !cli_views_finish(&views, main_view, out, absolute)) {
        cli_views_clear(&views);
        return EXIT_USAGE;
    }
    if (no_trace && main_view != CLI_MAIN_TRACE) {
        cli_views_clear(&views);
        return cli_fail("%s: --no-trace is run's option (%s writes no trace; -o is its own "
                        "output)", cmd, cmd);
    }
    if (argc != 2) {
        cli_views_clear(&views);
        return cli_fail(argc < 2 ? "%s: a scenario FILE is needed; try \"tcpsim %s --help\""
                                 : "%s: one FILE at a time; try \"tcpsim %s --help\"",
                        cmd, cmd);
    }
    struct tcpsim_run_options opts = {0};
    if (!cli_check_sets(cmd, sets) ||
        !parse_limits(cmd, seed, max_events, max_memory, max_output, max_time, &opts)) {
        cli_views_clear(&views);
        return EXIT_USAGE;
    }
    if (ip_version != NULL) {
        if (strcmp(ip_version, "ipv6") == 0 || strcmp(ip_version, "6") == 0) {
            opts.ip_version = 6;
        } else if (strcmp(ip_version, "ipv6-same-mss") == 0) {
            opts.ip_version = 6;
            opts.same_mss = true;
        } else if (strcmp(ip_version, "ipv4") == 0 || strcmp(ip_version, "4") == 0) {
            opts.ip_version = 4;
        } else {
            cli_views_clear(&views);
            return cli_fail("%s: --ip-version %s: expected ipv4, ipv6 or ipv6-same-mss", cmd,
                            ip_version);
        }
    }
    if (pcapng != NULL && pcap != NULL) {
        cli_views_clear(&views);
        return cli_fail("%s: --pcap and --pcapng: one capture a run", cmd);
    }
    if (pcapng != NULL) {
        pcap = g_steal_pointer(&pcapng);
        opts.pcapng = true;
    }
    if (pcap != NULL && strcmp(pcap, "-") == 0 && isatty(STDOUT_FILENO)) {
        cli_views_clear(&views);
        return cli_fail("%s: a packet capture is binary: not to a terminal; redirect it (> x.pcap) "
                        "or pipe it (| tcpdump -n -r -)", cmd);
    }
    if (pcap_at != NULL && pcap == NULL) {
        cli_views_clear(&views);
        return cli_fail("%s: --pcap-at needs --pcap FILE", cmd);
    }
    if (!outputs_distinct(cmd, main_view, argv[1], out, no_trace, pcap, jsonl, summary, &views)) {
        cli_views_clear(&views);
        return EXIT_USAGE;
    }
    GError *e = NULL;
    g_autofree char *path = cli_scenario_find(argv[1]);
    struct tcpsim_scenario *scn = cli_load_scenario(path, params, &e);
    if (scn == NULL) {
        fprintf(stderr, "%s\n", e->message);
        g_error_free(e);
        cli_views_clear(&views);
        return EXIT_USAGE;
    }
    opts.trace_path = out;
    /* Found by name: the header names it as the golden traces do, wherever it lives. */
    const char *rel = strcmp(path, argv[1]) != 0 ? strstr(path, "scenarios/") : NULL;
    opts.trace_name = rel;
    opts.no_trace = no_trace || main_view != CLI_MAIN_TRACE; /* -o is the main view's */
    opts.absolute_seq = absolute;
    opts.trace_cc = trace_cc;
    opts.sets = (const char *const *)sets;
    opts.views = &views.v;
    opts.pcap_path = pcap;
    opts.pcap_at = pcap_at;
    opts.jsonl_path = jsonl;
    opts.params = (const char *const *)params;
    opts.summary = summary != NULL;
    opts.counters = counters;
    struct tcpsim_run_result res;
    gint64 wall = g_get_monotonic_time();
    gboolean ran = tcpsim_scenario_run(scn, &opts, &res, &e);
    wall = g_get_monotonic_time() - wall;
    tcpsim_scenario_free(scn);
    cli_views_clear(&views);
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
    if (res.counters != NULL) {
        fputs(res.counters, stderr);
    }
    if (summary != NULL && !cli_write_text(summary, res.summary)) {
        tcpsim_run_result_clear(&res);
        return EXIT_USAGE;
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
    g_autofree char *personality = NULL;
    GOptionEntry entries[] = {
        {"personality", 0, 0, G_OPTION_ARG_STRING, &personality, "List the knobs of one personality with its defaults: linux (the default), rfc or freebsd (FreeBSD's net.inet.tcp.* names first)", "NAME"},
        G_OPTION_ENTRY_NULL,
    };
    g_autoptr(GOptionContext) ctx = g_option_context_new("- list the TCP tunables");
    g_option_context_set_summary(ctx,
        "Lists every tunable a scenario can `set`, with its default (Linux personality,\n"
        "or the one --personality names) and what it does. Names and units are Linux's\n"
        "where Linux has the knob; under freebsd, FreeBSD's sysctls (net.inet.tcp.*,\n"
        "kern.ipc.*) are listed too, in FreeBSD's units.");
    g_option_context_add_main_entries(ctx, entries, NULL);
    if (!cli_parse(ctx, &argc, &argv)) {
        return EXIT_USAGE;
    }
    g_autoptr(GError) e = NULL;
    struct tcpsim_sim *sim = tcpsim_sim_new(0);
    tcpsim_host_add(sim, "A", tcpsim_addr_v4(1), &e);
    bool freebsd = false;
    if (personality != NULL) {
        if (!tcpsim_host_set(sim, 0, "personality", personality, &e)) {
            tcpsim_sim_free(sim);
            return cli_fail("knobs: --personality: %s", e->message);
        }
        freebsd = strcmp(personality, "freebsd") == 0;
    }
    const char *k;
    /* Under freebsd, FreeBSD's own names first, then the knobs they share fields with. */
    for (int pass = freebsd ? 0 : 1; pass < 2; pass++) {
        for (guint i = 0; (k = tcpsim_knob_name(i)) != NULL; i++) {
            bool fb = g_str_has_prefix(k, "net.inet.") || g_str_has_prefix(k, "kern.ipc.");
            if (fb != (pass == 0)) {
                continue;
            }
            g_autofree char *v = tcpsim_host_get(sim, 0, k);
            printf("%-24s %-24s %s\n", k, v, tcpsim_knob_help(k));
        }
    }
    tcpsim_sim_free(sim);
    return EXIT_OK;
}
