/* SPDX-License-Identifier: MIT */
/*
 * replay.c: runs kept fuzz inputs through the harnesses' entry points, without libFuzzer.
 *
 *   fuzz_replay HARNESS PATH...
 *
 * HARNESS is parse, seg or sim; each PATH is a file or a directory of files (read in
 * name order). A crash or a broken property aborts, as under the fuzzer; otherwise it
 * prints "HARNESS: N inputs replayed" and exits 0. Built in every build, so CI replays
 * every regression input with gcc, under ASan+UBSan and valgrind too.
 */
#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "fuzz.h"

typedef int (*fuzz_fn)(const uint8_t *data, size_t size);

static gint
by_name(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static fuzz_fn
harness(const char *name)
{
    if (strcmp(name, "parse") == 0) {
        return fuzz_parse;
    }
    if (strcmp(name, "seg") == 0) {
        return fuzz_seg;
    }
    if (strcmp(name, "sim") == 0) {
        return fuzz_sim;
    }
    if (strcmp(name, "capture") == 0) {
        return fuzz_capture;
    }
    return NULL;
}

static gboolean
replay_file(fuzz_fn fn, const char *path, guint *count)
{
    g_autofree char *data = NULL;
    gsize len = 0;
    GError *e = NULL;
    if (!g_file_get_contents(path, &data, &len, &e)) {
        fprintf(stderr, "fuzz_replay: %s\n", e->message);
        g_error_free(e);
        return FALSE;
    }
    fn((const uint8_t *)data, len);
    (*count)++;
    return TRUE;
}

static gboolean
replay_path(fuzz_fn fn, const char *path, guint *count)
{
    if (!g_file_test(path, G_FILE_TEST_IS_DIR)) {
        return replay_file(fn, path, count);
    }
    GDir *dir = g_dir_open(path, 0, NULL);
    if (dir == NULL) {
        fprintf(stderr, "fuzz_replay: cannot open %s\n", path);
        return FALSE;
    }
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    const char *n;
    while ((n = g_dir_read_name(dir)) != NULL) {
        if (n[0] != '.') {
            g_ptr_array_add(names, g_build_filename(path, n, NULL));
        }
    }
    g_dir_close(dir);
    g_ptr_array_sort(names, by_name);
    gboolean ok = TRUE;
    for (guint i = 0; i < names->len && ok; i++) {
        ok = replay_file(fn, g_ptr_array_index(names, i), count);
    }
    g_ptr_array_free(names, TRUE);
    return ok;
}

int
main(int argc, char **argv)
{
    fuzz_fn fn = argc > 2 ? harness(argv[1]) : NULL;
    if (fn == NULL) {
        fprintf(stderr, "usage: fuzz_replay parse|seg|sim|capture PATH...\n");
        return 2;
    }
    g_log_set_always_fatal(G_LOG_LEVEL_CRITICAL); /* as libfuzzer_main.c: a finding */
    guint count = 0;
    for (int i = 2; i < argc; i++) {
        if (!replay_path(fn, argv[i], &count)) {
            return 1;
        }
    }
    printf("%s: %u inputs replayed\n", argv[1], count);
    return 0;
}
