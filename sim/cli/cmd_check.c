/* SPDX-License-Identifier: MIT */
/*
 * cmd_check.c: "tcpsim check SCENARIO": run a scenario, diff its trace with the golden
 * trace beside it (X.scn -> X.trace or X.trace.gz); --update rewrites the golden.
 */
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <tcpsim/scenario.h>
#include <unistd.h>

#include "../diff/diff.h"
#include "../diff/golden_file.h"
#include "cli.h"

/* The scenario's name in the trace header: the golden's own, so a check run from
 * anywhere compares equal; else the path from "scenarios/" on, as the golden tests do. */
static const char *
trace_name(const char *scn_path, const struct dtrace *golden)
{
    if (golden != NULL && dtrace_scenario(golden) != NULL) {
        return dtrace_scenario(golden);
    }
    const char *rel = strstr(scn_path, "scenarios/");
    return rel ? rel : scn_path;
}

/* Runs the scenario into a string. FALSE (message printed) on an error. */
static gboolean
run(const char *path, const char *name, const struct tcpsim_run_options *base, char **text,
    gsize *len, guint *failed)
{
    GError *e = NULL;
    struct tcpsim_scenario *scn = tcpsim_scenario_load(path, &e);
    if (scn == NULL) {
        fprintf(stderr, "%s\n", e->message);
        g_error_free(e);
        return FALSE;
    }
    g_autofree char *tmp = NULL;
    int fd = g_file_open_tmp("tcpsim-check-XXXXXX.trace", &tmp, &e);
    if (fd >= 0) {
        /* Only the name is wanted: the trace is written to its own temporary beside it,
         * which a signal removes, and renamed onto the name at the end. */
        close(fd);
        g_unlink(tmp);
    }
    struct tcpsim_run_options opts = *base;
    opts.trace_path = tmp;
    opts.trace_name = name;
    struct tcpsim_run_result res = {0};
    gboolean ok = fd >= 0 && tcpsim_scenario_run(scn, &opts, &res, &e) &&
                  g_file_get_contents(tmp, text, len, &e);
    tcpsim_scenario_free(scn);
    if (tmp != NULL) {
        g_unlink(tmp);
    }
    if (!ok) {
        fprintf(stderr, "tcpsim: %s\n", e->message);
        g_error_free(e);
        tcpsim_run_result_clear(&res);
        return FALSE;
    }
    for (guint i = 0; i < res.failures->len; i++) {
        fprintf(stderr, "%s\n", (const char *)g_ptr_array_index(res.failures, i));
    }
    *failed = res.failed;
    tcpsim_run_result_clear(&res);
    return TRUE;
}

static int
update(const char *golden, const char *text, gsize len, guint failed, gboolean quiet)
{
    GError *e = NULL;
    g_autofree char *written = golden_write(golden, text, len, &e);
    if (written == NULL) {
        return cli_fail("check: %s", e->message);
    }
    if (!quiet) {
        printf("%s: golden trace written; review the change with git diff\n", written);
    }
    return failed ? EXIT_CHECK_FAILED : EXIT_OK;
}

static int
compare(const char *golden_file, struct dtrace *want, const char *text, gsize len,
        const struct diff_options *o, guint failed)
{
    GError *e = NULL;
    struct dtrace *got = dtrace_from_text("this run", text, len, &e);
    int64_t n = got ? diff_traces(want, got, o, stdout, &e) : -1;
    dtrace_free(got);
    if (n < 0) {
        fprintf(stderr, "tcpsim: %s\n", e->message);
        g_error_free(e);
        return EXIT_USAGE;
    }
    if (n > 0 && !o->quiet) {
        printf("If the new behaviour is right: tcpsim check --update, then review the git "
               "diff of %s.\n", golden_file);
    }
    return n > 0 || failed ? EXIT_CHECK_FAILED : EXIT_OK;
}

/* After the options: find the golden trace, run, then write or compare. */
static int
check(const char *scn_path, gboolean upd, const struct diff_options *o,
      const struct tcpsim_run_options *base)
{
    g_autofree char *golden = golden_path(scn_path);
    g_autofree char *existing = golden_existing(golden);
    GError *e = NULL;
    struct dtrace *want = existing ? dtrace_load(existing, &e) : NULL;
    if (existing != NULL && want == NULL && !upd) {
        fprintf(stderr, "tcpsim: %s\n", e->message);
        g_error_free(e);
        return EXIT_USAGE;
    }
    g_clear_error(&e);
    if (existing == NULL && !upd) {
        return cli_fail("check: no golden trace %s (or %s.gz); write it with --update", golden,
                        golden);
    }
    g_autofree char *text = NULL;
    gsize len = 0;
    guint failed = 0;
    int status = EXIT_USAGE;
    if (run(scn_path, trace_name(scn_path, want), base, &text, &len, &failed)) {
        status = upd ? update(golden, text, len, failed, o->quiet)
                     : compare(existing, want, text, len, o, failed);
    }
    dtrace_free(want);
    return status;
}

int
cmd_check(int argc, char **argv)
{
    struct diff_args args = {0};
    gboolean upd = FALSE;
    g_auto(GStrv) sets = NULL;
    g_autofree char *seed = NULL;
    GOptionEntry entries[] = {
        {"update", 0, 0, G_OPTION_ARG_NONE, &upd, "Rewrite the golden trace from this run", NULL},
        {"set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets, "Run with a tunable changed, HOST.knob=value (repeatable): what does it change against the golden trace?", "H.K=V"},
        {"seed", 0, 0, G_OPTION_ARG_STRING, &seed, "Run with this seed instead of the file's", "N"},
        G_OPTION_ENTRY_NULL,
    };
    g_autoptr(GOptionContext) ctx = g_option_context_new("SCENARIO - check a golden trace");
    g_option_context_set_summary(ctx,
        "Runs SCENARIO (X.scn) and compares its trace with the golden trace beside it\n"
        "(X.trace, or X.trace.gz), as tcpsim diff GOLDEN RUN would; --update writes the\n"
        "golden trace instead (gzip-compressed when over 1 MiB).");
    g_option_context_set_description(ctx,
        "Exit status: 0 the trace matches and every expect held, 1 it differs or an expect\n"
        "failed, 2 usage or input error (no golden trace: create it with --update).");
    g_option_context_add_main_entries(ctx, entries, NULL);
    diff_args_add(ctx, &args);
    int status = EXIT_USAGE;
    struct diff_options o;
    if (cli_parse(ctx, &argc, &argv) && diff_args_resolve("check", &args, &o)) {
        g_autofree char *path = argc == 2 ? cli_scenario_find(argv[1]) : NULL;
        struct tcpsim_run_options base = {.sets = (const char *const *)sets};
        base.has_seed = seed != NULL;
        if (upd && (sets != NULL || seed != NULL)) {
            status = cli_fail("check: --update writes the scenario's own run; it takes no --set "
                              "or --seed");
        } else if (seed != NULL &&
                   !g_ascii_string_to_unsigned(seed, 10, 0, G_MAXUINT64, &base.seed, NULL)) {
            status = cli_fail("check: --seed %s: expected a whole number from 0 to "
                              "18446744073709551615", seed);
        } else if (!cli_check_sets("check", sets)) {
            status = EXIT_USAGE;
        } else if (argc != 2) {
            status = cli_fail("check: one SCENARIO is needed; try \"tcpsim check --help\"");
        } else {
            status = check(path, upd, &o, &base);
        }
    }
    diff_args_clear(&args);
    return status;
}
