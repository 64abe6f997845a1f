/* SPDX-License-Identifier: MIT */
/*
 * view_opts.c: the options of the views, shared by "run", "ladder" and "explain".
 *
 * Each command prints one view on standard output (or to -o FILE): run the trace, ladder
 * the ladder, explain the explained trace (--lang en or zh). The pictures for slides are files that any of
 * the three writes on request: --ladder-svg, --plot-seq, --plot-cwnd.
 */
#include <stdio.h>
#include <string.h>
#include <tcpsim/units.h>

#include "cli.h"

/* Adds the view options to the command's own (they show in its --help). */
void
cli_views_options(GOptionContext *ctx, struct cli_views *cv, enum cli_main main_view)
{
    GOptionEntry entries[] = {
        {"ladder-svg", 0, 0, G_OPTION_ARG_FILENAME, &cv->ladder_svg, "Draw the ladder diagram as SVG into FILE", "FILE"},
        {"html", 0, 0, G_OPTION_ARG_FILENAME, &cv->html, "Write the interactive page into FILE: the ladder with a timeline to step through, the state diagram and the windows (one self-contained HTML file)", "FILE"},
        {"plot-seq", 0, 0, G_OPTION_ARG_FILENAME, &cv->plot_seq, "Plot sequence numbers against time (tcptrace style) as SVG into FILE", "FILE"},
        {"plot-cwnd", 0, 0, G_OPTION_ARG_FILENAME, &cv->plot_cwnd, "Plot the congestion window against time as SVG into FILE", "FILE"},
        {"from", 0, 0, G_OPTION_ARG_STRING, &cv->from, "The ladder and plots start at TIME (\"1.5s\", \"200ms\")", "TIME"},
        {"to", 0, 0, G_OPTION_ARG_STRING, &cv->to, "The ladder and plots end at TIME (segments sent by then are drawn whole)", "TIME"},
        {"segments", 0, 0, G_OPTION_ARG_INT64, &cv->segments, "The ladder shows the first N segments only", "N"},
        {"app", 0, 0, G_OPTION_ARG_NONE, &cv->app, "The ladder shows application calls too", NULL},
        {"only", 0, 0, G_OPTION_ARG_STRING, &cv->only, "The ladder shows only the connection NAME (a socket name, or the client port: 36346 or :36346)", "NAME"},
        {"connections", 0, 0, G_OPTION_ARG_INT64, &cv->connections, "The ladder shows only the first N connections", "N"},
        {"window", 0, 0, G_OPTION_ARG_NONE, &cv->window, "The ladder shows the window (in bytes) on every segment", NULL},
        {"textbook", 0, 0, G_OPTION_ARG_NONE, &cv->textbook, "The ladder numbers as textbooks do: seq=x, ack=x+1 from the ISNs (x the client's, y the server's)", NULL},
        {"linear-time", 0, 0, G_OPTION_ARG_NONE, &cv->linear_time, "The ladder's time axis is linear: no idle stretch is left out", NULL},
        {"lanes", 0, 0, G_OPTION_ARG_NONE, &cv->lanes, "The SVG ladder gives each connection a lane of its own beside A's and B's columns", NULL},
        {"slides", 0, 0, G_OPTION_ARG_NONE, &cv->slides, "--ladder-svg FILE.svg becomes 16:9 slides with large text, FILE-1.svg, FILE-2.svg ...", NULL},
        G_OPTION_ENTRY_NULL,
    };
    GOptionEntry lang[] = {
        {"lang", 0, 0, G_OPTION_ARG_STRING, &cv->lang, "Words of explain, the ladder, the plots and the page: en or zh (default: zh when LANG, LC_MESSAGES or LC_ALL says zh_*, else en)", "LANG"},
        G_OPTION_ENTRY_NULL,
    };
    g_option_context_add_main_entries(ctx, entries, NULL);
    g_option_context_add_main_entries(ctx, lang, NULL);
    (void)main_view;
}

/* Chinese when the user's locale is Chinese (LC_ALL, then LC_MESSAGES, then LANG, as
 * setlocale() reads them), and they did not say --lang. */
static const char *
lang_from_locale(void)
{
    const char *vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    for (size_t i = 0; i < G_N_ELEMENTS(vars); i++) {
        const char *v = g_getenv(vars[i]);
        if (v != NULL && *v != '\0') {
            return g_str_has_prefix(v, "zh") ? "zh" : NULL;
        }
    }
    return NULL;
}

static gboolean
parse_time(const char *opt, const char *s, int64_t *out)
{
    GError *e = NULL;
    if (!tcpsim_parse_time(s, 1000000000, out, &e)) {
        cli_fail("--%s %s: %s", opt, s, e->message);
        g_error_free(e);
        return FALSE;
    }
    return TRUE;
}

gboolean
cli_views_finish(struct cli_views *cv, enum cli_main main_view, const char *out,
                 gboolean absolute)
{
    struct tcpsim_views *v = &cv->v;
    *v = (struct tcpsim_views){0};
    v->ladder_svg = cv->ladder_svg;
    v->html = cv->html;
    v->plot_seq = cv->plot_seq;
    v->plot_cwnd = cv->plot_cwnd;
    v->ladder = main_view == CLI_MAIN_LADDER ? (out ? out : "-") : NULL;
    v->explain = main_view == CLI_MAIN_EXPLAIN ? (out ? out : "-") : NULL;
    v->lang = cv->lang ? cv->lang : lang_from_locale();
    if (cv->lang && !g_strv_contains(tcpsim_view_langs(), cv->lang)) {
        cli_fail("--lang %s: expected en or zh", cv->lang);
        return FALSE;
    }
    bool ladder = v->ladder || v->ladder_svg || v->html;
    bool picture = ladder || v->plot_seq || v->plot_cwnd;
    if ((cv->segments || cv->app || cv->only || cv->connections || cv->window || cv->textbook ||
         cv->linear_time) && !ladder) {
        cli_fail("--segments, --app, --only, --connections, --window, --textbook and "
                 "--linear-time shape the ladder: use \"tcpsim ladder\" or --ladder-svg");
        return FALSE;
    }
    if (cv->lanes && !v->ladder_svg && !v->html) {
        cli_fail("--lanes draws the SVG ladder with a lane per connection: give --ladder-svg "
                 "FILE or --html FILE");
        return FALSE;
    }
    v->lanes = cv->lanes;
    if (cv->slides && !v->ladder_svg) {
        cli_fail("--slides cuts the SVG ladder into pages: give --ladder-svg FILE.svg");
        return FALSE;
    }
    if (cv->textbook && absolute) {
        cli_fail("--textbook numbers from the ISNs; it cannot be combined with --absolute");
        return FALSE;
    }
    v->window = cv->window;
    v->textbook = cv->textbook;
    v->linear_time = cv->linear_time;
    v->slides = cv->slides;
    if (cv->connections < 0) {
        cli_fail("--connections must be positive");
        return FALSE;
    }
    v->only = cv->only;
    v->connections = (uint64_t)cv->connections;
    if ((cv->from || cv->to) && !picture) {
        cli_fail("--from and --to choose what the ladder and the plots show: use \"tcpsim "
                 "ladder\", --ladder-svg, --plot-seq or --plot-cwnd");
        return FALSE;
    }
    if (cv->lang && !picture && !v->explain) {
        cli_fail("--lang chooses the words of explain, the ladder, the plots and the page: "
                 "use \"tcpsim explain\", \"tcpsim ladder\", --ladder-svg, --plot-seq, "
                 "--plot-cwnd or --html");
        return FALSE;
    }
    if (cv->from && !parse_time("from", cv->from, &v->from)) {
        return FALSE;
    }
    if (cv->to && !parse_time("to", cv->to, &v->to)) {
        return FALSE;
    }
    v->has_to = cv->to != NULL;
    if (v->has_to && v->to < v->from) {
        cli_fail("--to %s comes before --from %s", cv->to, cv->from ? cv->from : "0");
        return FALSE;
    }
    if (cv->segments < 0) {
        cli_fail("--segments must be positive");
        return FALSE;
    }
    v->segments = (uint64_t)cv->segments;
    v->app = cv->app;
    return TRUE;
}

void
cli_views_clear(struct cli_views *cv)
{
    g_free(cv->ladder_svg);
    g_free(cv->html);
    g_free(cv->plot_seq);
    g_free(cv->plot_cwnd);
    g_free(cv->from);
    g_free(cv->to);
    g_free(cv->lang);
    g_free(cv->only);
    *cv = (struct cli_views){0};
}
