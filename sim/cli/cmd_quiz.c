/* SPDX-License-Identifier: MIT */
/*
 * cmd_quiz.c: "tcpsim quiz FILE": a worksheet about a run, with its answer key.
 *
 * The scenario runs as it always does (its own seed); --seed N chooses the worksheet:
 * which segments are blanked, which moments are asked about, how the segments to put in
 * order are shuffled. A teacher hands out --seed 1, 2, 3 ... one per student; the key
 * follows the questions after a "---" line, or goes to --key FILE.
 */
#include <stdio.h>
#include <tcpsim/scenario.h>
#include <tcpsim/sim.h>

#include "cli.h"

int
cmd_quiz(int argc, char **argv)
{
    g_autofree char *seed = NULL;
    g_autofree char *lang = NULL;
    g_autofree char *out = NULL;
    g_autofree char *key = NULL;
    GOptionEntry entries[] = {
        {"seed", 0, 0, G_OPTION_ARG_STRING, &seed, "Which worksheet, 0 to 2^64-1 (default 1); the run keeps its own seed", "N"},
        {"lang", 0, 0, G_OPTION_ARG_STRING, &lang, "The worksheet's language: en or zh (default: zh when LANG says zh_*, else en)", "LANG"},
        {"output", 'o', 0, G_OPTION_ARG_FILENAME, &out, "Write the worksheet to FILE (default: standard output)", "FILE"},
        {"key", 0, 0, G_OPTION_ARG_FILENAME, &key, "Write the answer key to FILE instead of after the questions", "FILE"},
        G_OPTION_ENTRY_NULL,
    };
    g_autoptr(GOptionContext) ctx = g_option_context_new("FILE - a worksheet about a scenario's run");
    g_option_context_set_summary(ctx,
        "Runs the scenario FILE and writes a worksheet about it, with its answer key: segment\n"
        "labels with a number blanked, the state a host is in after a segment, what a host\n"
        "sends next, segments to put back in order. --seed N gives a different sheet of the\n"
        "same run.");
    g_option_context_set_description(ctx,
        "Exit status: 0 written, 2 bad input or options.\n"
        "Example: tcpsim quiz scenarios/handshake/basic.scn --seed 3 --lang zh --key key3.md -o sheet3.md");
    g_option_context_add_main_entries(ctx, entries, NULL);
    if (!cli_parse(ctx, &argc, &argv)) {
        return EXIT_USAGE;
    }
    if (argc != 2) {
        return cli_fail("quiz: one scenario FILE is needed; try \"tcpsim quiz --help\"");
    }
    guint64 n = 1;
    if (seed != NULL && !g_ascii_string_to_unsigned(seed, 10, 0, G_MAXUINT64, &n, NULL)) {
        return cli_fail("quiz: --seed %s: expected a whole number from 0 to 18446744073709551615",
                        seed);
    }
    if (lang != NULL && !g_strv_contains(tcpsim_view_langs(), lang)) {
        return cli_fail("--lang %s: expected en or zh", lang);
    }
    if (lang == NULL) {
        const char *vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
        for (size_t i = 0; i < G_N_ELEMENTS(vars); i++) {
            const char *v = g_getenv(vars[i]);
            if (v != NULL && *v != '\0') {
                lang = g_strdup(g_str_has_prefix(v, "zh") ? "zh" : "en");
                break;
            }
        }
    }
    GError *e = NULL;
    struct tcpsim_scenario *scn = tcpsim_scenario_load(argv[1], &e);
    if (scn == NULL) {
        fprintf(stderr, "%s\n", e->message);
        g_error_free(e);
        return EXIT_USAGE;
    }
    struct tcpsim_views v = {.quiz = out ? out : "-", .quiz_key = key, .quiz_seed = n,
                             .lang = lang};
    struct tcpsim_run_options opts = {.no_trace = TRUE, .views = &v};
    struct tcpsim_run_result res;
    gboolean ran = tcpsim_scenario_run(scn, &opts, &res, &e);
    tcpsim_scenario_free(scn);
    if (!ran) {
        fprintf(stderr, "tcpsim: %s\n", e->message);
        g_error_free(e);
        return EXIT_USAGE;
    }
    tcpsim_run_result_clear(&res);
    return EXIT_OK;
}
