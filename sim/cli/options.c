/*
 * options.c: helpers shared by the subcommands: errors and option parsing.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

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

/* Whether two paths name one file: the same text once made absolute and tidied, or
 * (when both exist) the same inode, as a symbolic or hard link makes. */
gboolean
cli_same_file(const char *a, const char *b)
{
    g_autofree char *ca = g_canonicalize_filename(a, NULL);
    g_autofree char *cb = g_canonicalize_filename(b, NULL);
    if (strcmp(ca, cb) == 0) {
        return TRUE;
    }
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}
