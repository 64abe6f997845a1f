/* SPDX-License-Identifier: MIT */
/*
 * cmd_diff.c: "tcpsim diff A B": compare two traces, report the first divergence.
 */
#include <stdio.h>
#include <string.h>

#include "../diff/diff.h"
#include "cli.h"

static int
diff(const char *path_a, const char *path_b, const struct diff_options *o)
{
    GError *e = NULL;
    struct dtrace *a = dtrace_load(path_a, &e);
    struct dtrace *b = a ? dtrace_load(path_b, &e) : NULL;
    int64_t n = b ? diff_traces(a, b, o, stdout, &e) : -1;
    if (n > 0 && !o->quiet && !(o->ignore & DIFF_IGN_PORTS)) {
        /* A capture of another run has other ephemeral ports: say so when they are all
         * that keeps the two apart. */
        struct diff_options q = *o;
        q.ignore |= DIFF_IGN_PORTS;
        q.quiet = true;
        FILE *null = fopen("/dev/null", "w");
        int64_t m = null ? diff_traces(a, b, &q, null, NULL) : -1;
        if (null) {
            fclose(null);
        }
        if (m == 0) {
            printf("The traces agree but for their ports (another run's ephemeral ports?): "
                   "compare with --ignore ports.\n");
        } else if (m > 0 && m * 4 < n) {
            printf("With --ignore ports they differ in %" G_GINT64_FORMAT " places rather than "
                   "%" G_GINT64_FORMAT ": the connections use other ports.\n", m, n);
        }
    }
    dtrace_free(a);
    dtrace_free(b);
    if (n < 0) {
        fprintf(stderr, "tcpsim: %s\n", e->message);
        g_error_free(e);
        return EXIT_USAGE;
    }
    return n > 0 ? EXIT_CHECK_FAILED : EXIT_OK;
}

int
cmd_diff(int argc, char **argv)
{
    struct diff_args args = {0};
    g_autoptr(GOptionContext) ctx = g_option_context_new("A B - compare two traces");
    g_option_context_set_summary(ctx,
        "Aligns the events of two traces and reports the first divergence, with the events\n"
        "before it and the fields that differ, then counts every divergence by kind. A and\n"
        "B are tcpsim text traces (.gz too), tcpdump -n text, or pcap and pcapng captures\n"
        "(read by tcpsim itself); with tcpdump text or a capture only segments are compared.\n"
        "\"-\" reads standard input.");
    g_option_context_set_description(ctx,
        "Exit status: 0 the traces agree, 1 they differ, 2 usage or input error.\n"
        "Examples:\n"
        "  tcpsim diff old.trace new.trace --ignore-time-within 1ms\n"
        "  tcpsim diff seed1.trace seed2.trace --ignore isn,ports,ts\n"
        "  tcpsim diff run.trace capture.pcapng --ignore isn,ports,ts\n"
        "  tcpdump -n -r capture.pcap | tcpsim diff run.trace -\n"
        "The report and the --ignore items: docs/traces.md.");
    diff_args_add(ctx, &args);
    int status = EXIT_USAGE;
    struct diff_options o;
    if (cli_parse(ctx, &argc, &argv) && diff_args_resolve("diff", &args, &o)) {
        if (argc != 3) {
            status = cli_fail("diff: two traces are needed, A and B; try \"tcpsim diff "
                              "--help\"");
        } else if (strcmp(argv[1], "-") == 0 && strcmp(argv[2], "-") == 0) {
            /* One standard input cannot be read twice: B would be empty. */
            status = cli_fail("diff: A and B are both standard input (\"-\"); at most one "
                              "of them can be");
        } else {
            status = diff(argv[1], argv[2], &o);
        }
    }
    diff_args_clear(&args);
    return status;
}
