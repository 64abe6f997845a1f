/* SPDX-License-Identifier: MIT */
/*
 * cmd_explore.c: "tcpsim explore PREFIX": every interleaving of calls, link events and
 * timers after a scenario prefix, up to a depth, with the invariants and the stream
 * property checked after each step (sim/explore/explore.h, docs/explore.md).
 */
#include <stdio.h>
#include <string.h>
#include <tcpsim/scenario.h>
#include <tcpsim/sim.h>
#include <tcpsim/units.h>

#include "../explore/explore.h"
#include "../explore/explore_seen.h"
#include "cli.h"

static bool
parse_count(const char *opt, const char *v, guint64 lo, guint64 hi, guint64 *out)
{
    if (v == NULL) {
        return true;
    }
    if (!g_ascii_string_to_unsigned(v, 10, lo, hi, out, NULL)) {
        cli_fail("explore: %s %s: expected a whole number from %" G_GUINT64_FORMAT
                 " to %" G_GUINT64_FORMAT, opt, v, lo, hi);
        return false;
    }
    return true;
}

int
cmd_explore(int argc, char **argv)
{
    g_autofree char *depth = NULL;
    g_autofree char *jobs = NULL;
    g_autofree char *max_states = NULL;
    g_autofree char *max_time = NULL;
    g_autofree char *table = NULL;
    g_autofree char *step = NULL;
    g_autofree char *sends = NULL;
    g_autofree char *send_size = NULL;
    g_autofree char *dups = NULL;
    g_autofree char *drops = NULL;
    g_autofree char *reorder = NULL;
    g_autofree char *out = NULL;
    g_autofree char *find = NULL;
    gboolean quiet = FALSE;
    gboolean coverage = FALSE;
    gboolean no_snapshots = FALSE;
    GOptionEntry entries[] = {
        {"depth", 0, 0, G_OPTION_ARG_STRING, &depth, "Choices after the prefix, 1 to 200 (default 6)", "N"},
        {"jobs", 'j', 0, G_OPTION_ARG_STRING, &jobs, "Worker processes, 1 to 64 (default 1): the first levels' paths are split between them, with one table of states", "N"},
        {"max-states", 0, 0, G_OPTION_ARG_STRING, &max_states, "Stop a worker after N distinct states (default: no limit)", "N"},
        {"max-time", 0, 0, G_OPTION_ARG_STRING, &max_time, "Stop a worker after this much wall-clock time, e.g. 30s or 1h (default: none)", "TIME"},
        {"table", 0, 0, G_OPTION_ARG_STRING, &table, "Memory for the table of states, 1MiB to 1TiB (workers of --jobs share one of 320MiB by default: 48 million states; one worker's grows without limit unless this is given; 2.5GiB holds 402 million, 10GiB 1.6 billion). The workers' table is all touched soon: keep it within the machine's memory", "SIZE"},
        {"step", 0, 0, G_OPTION_ARG_STRING, &step, "The time a delivery or a call takes (default 1ms)", "TIME"},
        {"sends", 0, 0, G_OPTION_ARG_STRING, &sends, "send() calls each socket may make, 0 to 100 (default 2)", "N"},
        {"send-size", 0, 0, G_OPTION_ARG_STRING, &send_size, "Bytes per send(), 1 to 65536 (default 100)", "N"},
        {"dups", 0, 0, G_OPTION_ARG_STRING, &dups, "Duplications per path, 0 to 100 (default 1)", "N"},
        {"reorder", 0, 0, G_OPTION_ARG_STRING, &reorder, "How many older segments in flight a segment may overtake, 0 (FIFO) to 100 (default 100: any order)", "N"},
        {"drops", 0, 0, G_OPTION_ARG_STRING, &drops, "Explicit drops per path, 0 to 100 (default 2): a segment never delivered is lost anyway; a drop is offered only where it lets a later segment pass under --reorder", "N"},
        {"out", 'o', 0, G_OPTION_ARG_FILENAME, &out, "Write each violation to DIR/violation-N.scn with its .trace, .ladder and .explain", "DIR"},
        {"find", 0, 0, G_OPTION_ARG_STRING, &find, "Report the shortest paths that bring a connection to STATE (e.g. CLOSING), or a counter above 0 (e.g. TcpExtTCPDSACKRecv), as if they broke something", "STATE|COUNTER"},
        {"coverage", 0, 0, G_OPTION_ARG_NONE, &coverage, "Print the table of transitions per TCP state and event", NULL},
        {"quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "No progress lines on standard error (a line a depth, and a line a minute within a long one)", NULL},
        {"no-snapshots", 0, 0, G_OPTION_ARG_NONE, &no_snapshots, "Re-execute each child's path from the prefix instead of copying its parent's saved world (slower; the same figures: a check on the copies)", NULL},
        G_OPTION_ENTRY_NULL,
    };
    g_autoptr(GOptionContext) ctx =
        g_option_context_new("PREFIX - every interleaving after a scenario prefix, checked");
    g_option_context_set_summary(ctx,
        "Runs the scenario PREFIX to its last line, then tries, breadth first and up to\n"
        "--depth choices, every interleaving of: delivering or duplicating each segment\n"
        "in flight, in any order (a segment never delivered is lost), the applications'\n"
        "calls (connect to the prefix's listener, send, recv, shutdown, close, abort)\n"
        "and the next timer. The same TCP code runs: each node's world is replayed once\n"
        "from the prefix, saved, and copied back for each of its children; states\n"
        "already seen (by any worker) are not expanded twice. After\n"
        "every step the invariants (docs/invariants.md) and the stream property (no byte\n"
        "lost, duplicated, invented or reordered; what a peer saw acknowledged was\n"
        "received) are checked. Each kind of violation is kept with its shortest path\n"
        "and, with --out, written as an ordinary scenario.");
    g_option_context_set_description(ctx,
        "The prefix's links may have a delay but no rate or random impairment, and must be\n"
        "idle at its last line. Details and measured figures: docs/explore.md.\n"
        "Exit status: 0 nothing broken, 1 a violation (or what --find looks for) found, 2 bad input or options.\n"
        "Example: tcpsim explore scenarios/explore/established.prefix --depth 8 --jobs 2 -o found");
    g_option_context_add_main_entries(ctx, entries, NULL);
    if (!cli_parse(ctx, &argc, &argv)) {
        return EXIT_USAGE;
    }
    if (argc != 2) {
        return cli_fail("explore: one scenario PREFIX is needed; try \"tcpsim explore --help\"");
    }
    guint64 n_depth = 6;
    guint64 n_jobs = 1;
    guint64 n_states = 0;
    guint64 n_sends = 2;
    guint64 n_size = 100;
    guint64 n_dups = 1;
    guint64 n_drops = 2;
    guint64 n_reorder = 100;
    if (!parse_count("--depth", depth, 1, 200, &n_depth) ||
        !parse_count("--jobs", jobs, 1, 64, &n_jobs) ||
        !parse_count("--max-states", max_states, 1, G_MAXUINT64, &n_states) ||
        !parse_count("--sends", sends, 0, 100, &n_sends) ||
        !parse_count("--send-size", send_size, 1, 65536, &n_size) ||
        !parse_count("--dups", dups, 0, 100, &n_dups) ||
        !parse_count("--drops", drops, 0, 100, &n_drops) ||
        !parse_count("--reorder", reorder, 0, 100, &n_reorder)) {
        return EXIT_USAGE;
    }
    int64_t t_step = 1000000;
    int64_t t_max = 0;
    GError *e = NULL;
    if (step != NULL && (!tcpsim_parse_time(step, 0, &t_step, &e) || t_step <= 0 ||
                         t_step > (int64_t)3600 * 1000000000)) {
        int rc = cli_fail("explore: --step %s: %s", step,
                          e ? e->message : "expected a time from 1ns to 1h");
        g_clear_error(&e);
        return rc;
    }
    if (max_time != NULL && (!tcpsim_parse_time(max_time, 1000000000, &t_max, &e) || t_max <= 0)) {
        int rc = cli_fail("explore: --max-time %s: %s", max_time,
                          e ? e->message : "expected a time above 0");
        g_clear_error(&e);
        return rc;
    }
    size_t table_bits = 0;
    uint64_t table_bytes = 0;
    if (table != NULL) {
        if (!tcpsim_parse_size(table, &table_bytes, NULL) ||
            table_bytes > ((uint64_t)1 << 40) || seen_bits_for(table_bytes) == 0) {
            return cli_fail("explore: --table %s: expected a size from 1MiB to 1TiB, such as "
                            "4GiB", table);
        }
        table_bits = seen_bits_for(table_bytes);
    }
    static const char *const states[] = {"CLOSED", "LISTEN", "SYN_SENT", "SYN_RECEIVED",
                                         "ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2",
                                         "CLOSE_WAIT", "CLOSING", "LAST_ACK", "TIME_WAIT"};
    int find_state = -1;
    for (int i = 0; find != NULL && i < (int)G_N_ELEMENTS(states); i++) {
        if (g_ascii_strcasecmp(find, states[i]) == 0) {
            find_state = i;
        }
    }
    const char *find_counter = NULL;
    if (find != NULL && find_state < 0) {
        if (!tcpsim_counter_known(find)) {
            return cli_fail("explore: --find %s: expected a TCP state such as CLOSING or a "
                            "counter such as TcpRetransSegs (tcpsim counters lists them)", find);
        }
        find_counter = find;
    }
    g_autofree char *path = cli_scenario_find(argv[1]);
    g_autofree char *text = NULL;
    if (!g_file_get_contents(path, &text, NULL, &e)) {
        int rc = cli_fail("explore: %s", e->message);
        g_error_free(e);
        return rc;
    }
    struct tcpsim_scenario *scn = tcpsim_scenario_load(path, &e);
    if (scn == NULL) {
        fprintf(stderr, "%s\n", e->message);
        g_error_free(e);
        return EXIT_USAGE;
    }
    struct explore_opts o = {
        .prefix_name = path,
        .prefix_text = text,
        .scn = scn,
        .depth = (int)n_depth,
        .max_states = n_states,
        .max_seconds = (double)t_max / 1e9,
        .jobs = (int)n_jobs,
        .table_bits = table_bits,
        .step = t_step,
        .sends = (int)n_sends,
        .send_size = (uint32_t)n_size,
        .dups = (int)n_dups,
        .drops = (int)n_drops,
        .reorder = (int)n_reorder,
        .out_dir = out,
        .verbose = !quiet,
        .find_state = find_state,
        .find_counter = find_counter,
        .no_snapshots = no_snapshots,
    };
    struct explore_result r;
    if (!explore_run(&o, &r, &e)) {
        int rc = cli_fail("explore: %s: %s", path, e->message);
        g_error_free(e);
        explore_result_clear(&r);
        tcpsim_scenario_free(scn);
        return rc;
    }
    g_autofree char *stop = r.stopped ? g_strdup_printf(" complete (the next stopped by %s)",
                                                        explore_stop_text(r.stopped))
                                      : g_strdup("");
    printf("explore %s: depth %d%s, %" G_GUINT64_FORMAT " states, %" G_GUINT64_FORMAT
           " transitions, %.1f s (%.0f transitions/s, %" G_GUINT64_FORMAT " steps replayed), "
           "%u violation kind(s)\n",
           path, r.depth_done, stop,
           r.states, r.transitions, r.seconds,
           r.seconds > 0 ? (double)r.transitions / r.seconds : 0.0, r.replayed, r.found->len);
    int rc = r.found->len ? EXIT_CHECK_FAILED : EXIT_OK;
    for (guint i = 0; i < r.found->len; i++) {
        struct explore_found *f = g_ptr_array_index(r.found, i);
        if (out != NULL && !explore_write_found(&o, f, i + 1, &e)) {
            fprintf(stderr, "tcpsim: explore: %s\n", e->message);
            g_clear_error(&e);
            rc = EXIT_USAGE;
        }
        printf("violation %u (%u choices)%s%s: %s\n", i + 1, f->path->len,
               f->file ? " " : "", f->file ? f->file : "", f->what);
    }
    if (coverage) {
        g_autofree char *cov = explore_coverage_text(&r);
        fputs(cov, stdout);
    }
    explore_result_clear(&r);
    tcpsim_scenario_free(scn);
    return rc;
}
