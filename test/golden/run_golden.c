/* SPDX-License-Identifier: MIT */
/*
 * run_golden.c: runs one bundled scenario and compares its text trace with the golden
 * file beside it, byte for byte.
 *
 *   run_golden SCENARIO.scn GOLDEN.trace
 *
 * On a difference it prints the first diverging line of both, with its number, and exits
 * 1; a failed expect also exits 1. With TCPSIM_UPDATE_GOLDEN=1 in the environment it
 * rewrites the golden file instead (review the git diff like code).
 *
 * Traces over 1 MiB are kept gzip-compressed as GOLDEN.trace.gz (a bulk transfer's trace
 * runs to megabytes); the comparison is on the uncompressed text.
 *
 *   run_golden --view=ladder SCENARIO.scn GOLDEN.ladder
 *
 * compares a view instead of the trace (the same rules apply): ladder (the text ladder),
 * explain-en or explain-zh (the explained trace).
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <tcpsim/scenario.h>
#include <tcpsim/view.h>
#include <unistd.h>

#include "sim/diff/golden_file.h"

static char *
line_at(const char *text, guint n)
{
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    guint count = g_strv_length(lines);
    return g_strdup(n < count ? lines[n] : "(end of file)");
}

static void
report_difference(const char *golden_path, const char *want, const char *got)
{
    guint line = 0;
    size_t i = 0;
    while (want[i] && want[i] == got[i]) {
        if (want[i] == '\n') {
            line++;
        }
        i++;
    }
    g_autofree char *w = line_at(want, line);
    g_autofree char *g = line_at(got, line);
    fprintf(stderr, "%s:%u: trace differs from the golden file\n  golden: %s\n  now:    %s\n",
            golden_path, line + 1, w, g);
    fprintf(stderr, "If the new behaviour is right: TCPSIM_UPDATE_GOLDEN=1 meson test --suite "
                    "golden, then review the git diff.\n");
}

int
main(int argc, char **argv)
{
    const char *view = NULL;
    if (argc == 4 && g_str_has_prefix(argv[1], "--view=")) {
        view = argv[1] + strlen("--view=");
        argc--;
        argv++;
    }
    if (argc != 3) {
        fprintf(stderr, "usage: run_golden [--view=ladder|explain-en|explain-zh] SCENARIO.scn "
                        "GOLDEN\n");
        return 2;
    }
    const char *scn_path = argv[1];
    const char *golden = argv[2];
    GError *e = NULL;
    struct tcpsim_scenario *scn = tcpsim_scenario_load(scn_path, &e);
    if (scn == NULL) {
        fprintf(stderr, "%s\n", e->message);
        return 2;
    }
    g_autofree char *tmp = g_strdup_printf("%s/golden-%d.trace", g_get_tmp_dir(), (int)getpid());
    /* The trace names the scenario as written in the repository, wherever it is run. */
    const char *rel = strstr(scn_path, "scenarios/");
    struct tcpsim_run_options opts = {.trace_path = tmp, .trace_name = rel ? rel : scn_path};
    struct tcpsim_views views = {0};
    if (view != NULL) {
        if (strcmp(view, "ladder") == 0) {
            views.ladder = tmp;
        } else if (g_str_has_prefix(view, "explain-")) {
            views.explain = tmp;
            views.lang = view + strlen("explain-");
        } else {
            fprintf(stderr, "run_golden: unknown view %s\n", view);
            return 2;
        }
        opts.no_trace = true;
        opts.views = &views;
    }
    struct tcpsim_run_result res;
    if (!tcpsim_scenario_run(scn, &opts, &res, &e)) {
        fprintf(stderr, "%s\n", e->message);
        tcpsim_scenario_free(scn);
        return 2;
    }
    tcpsim_scenario_free(scn);
    int status = 0;
    for (guint i = 0; i < res.failures->len; i++) {
        fprintf(stderr, "%s\n", (const char *)g_ptr_array_index(res.failures, i));
        status = 1;
    }
    printf("%s: %u expects, %u failed\n", scn_path, res.expects, res.failed);
    tcpsim_run_result_clear(&res);

    g_autofree char *got = NULL;
    if (!g_file_get_contents(tmp, &got, NULL, &e)) {
        fprintf(stderr, "%s\n", e->message);
        return 2;
    }
    g_unlink(tmp);
    const char *update = g_getenv("TCPSIM_UPDATE_GOLDEN");
    if (update != NULL && strcmp(update, "1") == 0) {
        g_autofree char *written = golden_write(golden, got, strlen(got), &e);
        if (written == NULL) {
            fprintf(stderr, "%s\n", e->message);
            return 2;
        }
        printf("%s: golden file written\n", golden);
        return status;
    }
    gsize want_len = 0;
    g_autofree char *want = golden_read(golden, &want_len, &e);
    if (want == NULL) {
        fprintf(stderr, "%s (create it with TCPSIM_UPDATE_GOLDEN=1)\n", e->message);
        return 1;
    }
    if (strcmp(want, got) != 0) {
        report_difference(golden, want, got);
        return 1;
    }
    return status;
}
