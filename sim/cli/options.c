/* SPDX-License-Identifier: MIT */
/*
 * options.c: helpers shared by the subcommands: errors and option parsing.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <tcpsim/sim.h>

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

/* Edit distance (insertions, deletions, substitutions, adjacent swaps) of two words. */
static guint
distance(const char *a, const char *b)
{
    gsize la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64) {
        return G_MAXUINT;
    }
    guint d[65][65];
    for (gsize i = 0; i <= la; i++) {
        d[i][0] = (guint)i;
    }
    for (gsize j = 0; j <= lb; j++) {
        d[0][j] = (guint)j;
    }
    for (gsize i = 1; i <= la; i++) {
        for (gsize j = 1; j <= lb; j++) {
            guint cost = a[i - 1] != b[j - 1];
            guint v = MIN(MIN(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
                v = MIN(v, d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    return d[la][lb];
}

const char *
cli_suggest(const char *word, const char *(*candidate)(guint i))
{
    const char *best = NULL;
    guint best_d = G_MAXUINT;
    const char *c;
    for (guint i = 0; (c = candidate(i)) != NULL; i++) {
        guint d = distance(word, c);
        if (d < best_d) {
            best_d = d;
            best = c;
        }
    }
    /* Close enough to be a slip: two edits, or a third of a long word. */
    guint allowed = MAX(2u, (guint)strlen(word) / 3);
    return best_d <= allowed ? best : NULL;
}

gboolean
cli_check_sets(const char *cmd, char **sets)
{
    for (char **s = sets; s != NULL && *s != NULL; s++) {
        const char *dot = strchr(*s, '.');
        const char *eq = dot ? strchr(dot, '=') : NULL;
        if (dot == NULL || eq == NULL) {
            continue; /* the scenario runner says what the form is */
        }
        g_autofree char *knob = g_strndup(dot + 1, (gsize)(eq - dot - 1));
        if (tcpsim_knob_help(knob) == NULL) {
            const char *near = cli_suggest(knob, tcpsim_knob_name);
            if (near != NULL) {
                cli_fail("%s: --set %s: unknown knob \"%s\"; did you mean \"%s\"?", cmd, *s,
                         knob, near);
            } else {
                cli_fail("%s: --set %s: unknown knob \"%s\" (tcpsim knobs lists them)", cmd,
                         *s, knob);
            }
            return FALSE;
        }
    }
    return TRUE;
}

gboolean
cli_write_text(const char *path, const char *text)
{
    if (strcmp(path, "-") == 0) {
        fputs(text, stdout);
        return fflush(stdout) == 0;
    }
    GError *e = NULL;
    if (!g_file_set_contents(path, text, -1, &e)) {
        cli_fail("%s", e->message);
        g_error_free(e);
        return FALSE;
    }
    return TRUE;
}
