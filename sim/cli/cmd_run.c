/*
 * cmd_run.c: "tcpsim run FILE": parse, run, report the expects.
 */
#include <stdio.h>
#include <string.h>
#include <tcpsim/scenario.h>
#include <tcpsim/sim.h>
#include <tcpsim/units.h>

#include "cli.h"

/* --seed N: 0 to 2^64-1, as the file's `seed` line takes. */
static gboolean
parse_seed(const char *s, uint64_t *out)
{
    return g_ascii_string_to_unsigned(s, 10, 0, G_MAXUINT64, out, NULL);
}

/* --max-memory SIZE: "512MiB", "2GB", or "unlimited". */
static gboolean
parse_memory(const char *s, uint64_t *out)
{
    if (strcmp(s, "unlimited") == 0) {
        *out = UINT64_MAX;
        return TRUE;
    }
    return tcpsim_parse_size(s, out, NULL) && *out >= (1u << 20);
}

int
cmd_run(int argc, char **argv)
{
    g_autofree char *seed_s = NULL;
    g_autofree char *max_events_s = NULL;
    g_autofree char *max_memory_s = NULL;
    g_auto(GStrv) sets = NULL;
    g_autofree char *out = NULL;
    gboolean no_trace = FALSE;
    gboolean absolute = FALSE;
    gboolean quiet = FALSE;
    gboolean trace_cc = FALSE;
    GOptionEntry entries[] = {
        {"seed", 0, 0, G_OPTION_ARG_STRING, &seed_s, "Seed for every random choice, 0 to 2^64-1 (overrides the file)", "N"},
        {"set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets, "Set a tunable: HOST.knob=value or *.knob=value (repeatable)", "H.K=V"},
        {"output", 'o', 0, G_OPTION_ARG_FILENAME, &out, "Write the trace to FILE (default: standard output)", "FILE"},
        {"no-trace", 0, 0, G_OPTION_ARG_NONE, &no_trace, "Write no trace; only check the expects", NULL},
        {"absolute", 0, 0, G_OPTION_ARG_NONE, &absolute, "Print absolute sequence numbers", NULL},
        {"cc", 0, 0, G_OPTION_ARG_NONE, &trace_cc, "Trace every change of the congestion window", NULL},
        {"max-events", 0, 0, G_OPTION_ARG_STRING, &max_events_s, "Stop with an error after N events (default 200000000)", "N"},
        {"max-memory", 0, 0, G_OPTION_ARG_STRING, &max_memory_s, "Stop with an error when the simulation's own memory passes SIZE (default 512MiB; or unlimited)", "SIZE"},
        {"quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "Do not print the expect summary", NULL},
        G_OPTION_ENTRY_NULL,
    };
    g_autoptr(GOptionContext) ctx = g_option_context_new("FILE - run a scenario");
    g_option_context_set_summary(ctx,
        "Runs the scenario FILE and prints its trace: every segment sent, delivered or\n"
        "dropped, every state change, timer and application call.");
    g_option_context_set_description(ctx,
        "Exit status: 0 all expects held, 1 an expect failed, 2 bad input or options, or a\n"
        "limit reached (--max-events, --max-memory): then no trace file is written.\n"
        "Example: tcpsim run scenarios/handshake/basic.scn --set B.tcp_synack_retries=2");
    g_option_context_add_main_entries(ctx, entries, NULL);
    if (!cli_parse(ctx, &argc, &argv)) {
        return EXIT_USAGE;
    }
    if (argc != 2) {
        return cli_fail(argc < 2 ? "run: a scenario FILE is needed; try \"tcpsim run --help\""
                                 : "run: one FILE at a time; try \"tcpsim run --help\"");
    }
    uint64_t seed = 0;
    uint64_t max_events = 0;
    uint64_t max_memory = 0;
    if (seed_s != NULL && !parse_seed(seed_s, &seed)) {
        return cli_fail("run: --seed %s: expected a whole number from 0 to 18446744073709551615",
                        seed_s);
    }
    if (max_events_s != NULL &&
        !g_ascii_string_to_unsigned(max_events_s, 10, 1, G_MAXUINT64, &max_events, NULL)) {
        return cli_fail("run: --max-events %s: expected a whole number of events, at least 1",
                        max_events_s);
    }
    if (max_memory_s != NULL && !parse_memory(max_memory_s, &max_memory)) {
        return cli_fail("run: --max-memory %s: expected a size of at least 1MiB, such as "
                        "512MiB or 2GB, or unlimited",
                        max_memory_s);
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
        .has_seed = seed_s != NULL,
        .seed = seed,
        .sets = (const char *const *)sets,
        .max_events = max_events,
        .max_memory = max_memory,
    };
    struct tcpsim_run_result res;
    gboolean ran = tcpsim_scenario_run(scn, &opts, &res, &e);
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
