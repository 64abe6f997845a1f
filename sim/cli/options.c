/* SPDX-License-Identifier: MIT */
/*
 * options.c: helpers shared by the subcommands: errors and option parsing.
 */
#include <stdarg.h>
#include <stdio.h>

#include "cli.h"

int
cli_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    fprintf(stderr, "tcpsim: %s\n", msg);
    return EXIT_USAGE;
}

gboolean
cli_parse(GOptionContext *ctx, int *argc, char ***argv)
{
    GError *e = NULL;
    if (!g_option_context_parse(ctx, argc, argv, &e)) {
        fprintf(stderr, "tcpsim: %s\nTry \"tcpsim %s --help\".\n", e->message, (*argv)[0]);
        g_error_free(e);
        return FALSE;
    }
    return TRUE;
}
