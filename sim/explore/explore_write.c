/* SPDX-License-Identifier: MIT */
/*
 * explore_write.c: a violation's path as an ordinary scenario file: the prefix as it
 * was written, then the choices as link rules (each segment sent after the prefix meets
 * one: drop, delay, or duplicate with both copies' delays) and application calls at
 * their exact times. explore_write_found() also runs it through `tcpsim run`, `ladder`
 * and `explain` for the trace, the ladder and the explanation beside it.
 */
#include "explore.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

char *
explore_scenario_text(const struct explore_opts *o, const uint8_t *path, guint len,
                      const char *what, GError **error)
{
    struct xworld *w = xw_new(o, error);
    if (w == NULL) {
        xw_done();
        return NULL;
    }
    xw_record(w);
    for (guint i = 0; i < len; i++) {
        int row;
        int col;
        if (path[i] >= xw_nchoices(w)) {
            g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "path does not replay");
            xw_free(w);
            xw_done();
            return NULL;
        }
        xw_apply(w, path[i], &row, &col);
    }
    GString *s = g_string_new(NULL);
    g_string_append_printf(s, "# Found by tcpsim explore from %s, %u choices after the prefix:\n",
                           o->prefix_name, len);
    g_string_append_printf(s, "#   %s\n", what);
    g_string_append(s, "# (the prefix, as written, follows; then the choices)\n");
    g_string_append(s, o->prefix_text);
    if (s->len == 0 || s->str[s->len - 1] != '\n') {
        g_string_append_c(s, '\n');
    }
    xw_scenario_lines(w, s);
    xw_free(w);
    xw_done();
    return g_string_free(s, FALSE);
}

static char *
self_exe(void)
{
    char *p = g_file_read_link("/proc/self/exe", NULL);
    return p ? p : g_strdup("tcpsim");
}

/* tcpsim CMD FILE -o OUT, with broken invariants reported rather than fatal. */
static void
spawn_view(const char *cmd, const char *scn, const char *out)
{
    g_autofree char *exe = self_exe();
    const char *argv[] = {exe, cmd, scn, "-o", out, NULL};
    g_auto(GStrv) env = g_get_environ();
    env = g_environ_setenv(env, "TCPSIM_INVARIANTS_WARN", "1", TRUE);
    g_autofree char *err = NULL;
    gint status = 0;
    GError *e = NULL;
    if (!g_spawn_sync(NULL, (char **)argv, env, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL,
                      &err, &status, &e)) {
        fprintf(stderr, "explore: %s %s: %s\n", cmd, scn, e->message);
        g_error_free(e);
    }
}

gboolean
explore_write_found(const struct explore_opts *o, struct explore_found *f, guint n,
                    GError **error)
{
    if (g_mkdir_with_parents(o->out_dir, 0755) != 0) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s: cannot create: %s",
                    o->out_dir, g_strerror(errno));
        return FALSE;
    }
    g_autofree char *text = explore_scenario_text(o, f->path->data, f->path->len, f->what, error);
    if (text == NULL) {
        return FALSE;
    }
    g_autofree char *base = g_strdup_printf("%s/violation-%u", o->out_dir, n);
    g_autofree char *scn = g_strconcat(base, ".scn", NULL);
    if (!g_file_set_contents(scn, text, -1, error)) {
        return FALSE;
    }
    g_autofree char *trace = g_strconcat(base, ".trace", NULL);
    g_autofree char *ladder = g_strconcat(base, ".ladder", NULL);
    g_autofree char *explain = g_strconcat(base, ".explain", NULL);
    spawn_view("run", scn, trace);
    spawn_view("ladder", scn, ladder);
    spawn_view("explain", scn, explain);
    f->file = g_steal_pointer(&scn);
    return TRUE;
}
