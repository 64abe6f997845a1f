/* SPDX-License-Identifier: MIT */
/*
 * scenario_path.c: a scenario named the short way, "handshake/basic", found where
 * tcpsim keeps its bundled scenarios.
 *
 * A FILE argument that names an existing file is that file ("-" is standard input).
 * Otherwise NAME, then NAME.scn, is looked for in each directory of TCPSIM_SCENARIO_PATH
 * (colon-separated), then beside the program as installed (BINDIR/../share/tcpsim/
 * scenarios, so that a DESTDIR or relocated install finds its own), then in the
 * installed data directory compiled in (TCPSIM_SCENARIODIR).
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "tcpsim-config.h"

static char *
try_dir(const char *dir, const char *name)
{
    if (dir == NULL || *dir == '\0') {
        return NULL;
    }
    char *p = g_build_filename(dir, name, NULL);
    if (g_file_test(p, G_FILE_TEST_IS_REGULAR)) {
        return p;
    }
    g_free(p);
    g_autofree char *scn = g_strconcat(name, ".scn", NULL);
    p = g_build_filename(dir, scn, NULL);
    if (g_file_test(p, G_FILE_TEST_IS_REGULAR)) {
        return p;
    }
    g_free(p);
    return NULL;
}

/* The directories searched, in order (a NULL-terminated array to g_strfreev()). */
char **
cli_scenario_dirs(void)
{
    GPtrArray *dirs = g_ptr_array_new();
    const char *env = g_getenv("TCPSIM_SCENARIO_PATH");
    if (env != NULL) {
        g_auto(GStrv) parts = g_strsplit(env, ":", -1);
        for (char **d = parts; *d; d++) {
            if (**d) {
                g_ptr_array_add(dirs, g_strdup(*d));
            }
        }
    }
    g_autofree char *exe = g_file_read_link("/proc/self/exe", NULL);
    if (exe != NULL && TCPSIM_REL_SCENARIODIR[0] != '\0') {
        g_autofree char *bindir = g_path_get_dirname(exe);
        g_ptr_array_add(dirs, g_build_filename(bindir, TCPSIM_REL_SCENARIODIR, NULL));
    }
    g_ptr_array_add(dirs, g_strdup(TCPSIM_SCENARIODIR));
    g_ptr_array_add(dirs, NULL);
    return (char **)g_ptr_array_free(dirs, FALSE);
}

char *
cli_scenario_find(const char *arg)
{
    if (strcmp(arg, "-") == 0 || g_file_test(arg, G_FILE_TEST_EXISTS) ||
        g_path_is_absolute(arg)) {
        return g_strdup(arg);
    }
    g_auto(GStrv) dirs = cli_scenario_dirs();
    for (char **d = dirs; *d; d++) {
        char *p = try_dir(*d, arg);
        if (p != NULL) {
            return p;
        }
    }
    return g_strdup(arg); /* not found: the loader says so about the name given */
}

static void
list_dir(const char *root, const char *sub, GHashTable *seen, GPtrArray *names)
{
    g_autofree char *path = g_build_filename(root, sub, NULL);
    GDir *d = g_dir_open(path, 0, NULL);
    if (d == NULL) {
        return;
    }
    const char *e;
    while ((e = g_dir_read_name(d)) != NULL) {
        g_autofree char *rel = *sub ? g_build_filename(sub, e, NULL) : g_strdup(e);
        g_autofree char *full = g_build_filename(root, rel, NULL);
        if (g_file_test(full, G_FILE_TEST_IS_DIR)) {
            list_dir(root, rel, seen, names);
        } else if (g_str_has_suffix(e, ".scn")) {
            char *name = g_strndup(rel, strlen(rel) - strlen(".scn"));
            if (g_hash_table_add(seen, name)) {
                g_ptr_array_add(names, name);
            }
        }
    }
    g_dir_close(d);
}

static gint
cmp_str(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int
cmd_scenarios(int argc, char **argv)
{
    gboolean dirs_only = FALSE;
    GOptionEntry entries[] = {
        {"path", 0, 0, G_OPTION_ARG_NONE, &dirs_only, "Print the directories searched instead, in order", NULL},
        G_OPTION_ENTRY_NULL,
    };
    g_autoptr(GOptionContext) ctx = g_option_context_new("- list the bundled scenarios");
    g_option_context_set_summary(ctx,
        "Lists the scenarios that `tcpsim run NAME` finds by name: those in the\n"
        "directories of TCPSIM_SCENARIO_PATH, then the installed ones.");
    g_option_context_add_main_entries(ctx, entries, NULL);
    if (!cli_parse(ctx, &argc, &argv)) {
        return EXIT_USAGE;
    }
    g_auto(GStrv) dirs = cli_scenario_dirs();
    if (dirs_only) {
        for (char **d = dirs; *d; d++) {
            printf("%s\n", *d);
        }
        return EXIT_OK;
    }
    g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    for (char **d = dirs; *d; d++) {
        list_dir(*d, "", seen, names);
    }
    g_ptr_array_sort(names, cmp_str);
    for (guint i = 0; i < names->len; i++) {
        printf("%s\n", (const char *)g_ptr_array_index(names, i));
    }
    return EXIT_OK;
}

/* Standard input, whole, up to `limit` bytes (more is an error). */
static char *
read_stdin(gsize limit, gsize *len, GError **error)
{
    GString *s = g_string_new(NULL);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, stdin)) > 0) {
        g_string_append_len(s, buf, (gssize)n);
        if (s->len > limit) {
            g_set_error(error, TCPSIM_SCENARIO_ERROR, TCPSIM_SCENARIO_ERROR_SYNTAX,
                        "-:1:1: error: standard input holds more than the %" G_GSIZE_FORMAT
                        "-byte limit of a scenario", limit);
            g_string_free(s, TRUE);
            return NULL;
        }
    }
    *len = s->len;
    return g_string_free(s, FALSE);
}

struct tcpsim_scenario *
cli_load_scenario(const char *path, char **params, GError **error)
{
    gboolean template = params != NULL && params[0] != NULL;
    if (!template && strcmp(path, "-") != 0) {
        /* The plain path: the loader checks the file's kind and size first. */
        g_autofree char *text = NULL;
        if (!g_file_get_contents(path, &text, NULL, NULL) || strstr(text, "${") == NULL) {
            return tcpsim_scenario_load(path, error);
        }
    }
    g_autofree char *text = NULL;
    gsize len = 0;
    if (strcmp(path, "-") == 0) {
        text = read_stdin(16u << 20, &len, error);
        if (text == NULL) {
            return NULL;
        }
    } else {
        /* Through the loader first, for its checks and messages on unreadable files. */
        GError *e = NULL;
        if (!g_file_test(path, G_FILE_TEST_IS_REGULAR) ||
            !g_file_get_contents(path, &text, &len, &e)) {
            if (e != NULL) {
                g_error_free(e);
            }
            return tcpsim_scenario_load(path, error);
        }
    }
    g_autofree char *inst =
        tcpsim_scenario_instantiate(path, text, (const char *const *)params, error);
    if (inst == NULL) {
        return NULL;
    }
    return tcpsim_scenario_parse(path, inst, strlen(inst), error);
}
