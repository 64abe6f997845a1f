/* SPDX-License-Identifier: MIT */
/*
 * golden_file.c: golden trace files: where they are, reading and writing them.
 *
 * Entry points: golden_path(), golden_existing(), golden_read(), golden_write().
 * Writing goes through g_file_set_contents (a temporary renamed into place), so a golden
 * file is never half written.
 */
#include "golden_file.h"

#include <glib/gstdio.h>
#include <string.h>

#include "gz.h"

char *
golden_path(const char *scenario)
{
    size_t n = strlen(scenario);
    if (n > 4 && strcmp(scenario + n - 4, ".scn") == 0) {
        n -= 4;
    }
    return g_strdup_printf("%.*s.trace", (int)n, scenario);
}

char *
golden_existing(const char *golden)
{
    if (g_file_test(golden, G_FILE_TEST_IS_REGULAR)) {
        return g_strdup(golden);
    }
    char *gz = g_strconcat(golden, ".gz", NULL);
    if (g_file_test(gz, G_FILE_TEST_IS_REGULAR)) {
        return gz;
    }
    g_free(gz);
    return NULL;
}

char *
golden_read(const char *golden, gsize *len, GError **error)
{
    g_autofree char *path = golden_existing(golden);
    if (path == NULL) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_NOENT, "%s: no golden file (nor %s.gz)",
                    golden, golden);
        return NULL;
    }
    char *data = NULL;
    gsize n = 0;
    if (!g_file_get_contents(path, &data, &n, error)) {
        return NULL;
    }
    if (!g_str_has_suffix(path, ".gz")) {
        *len = n;
        return data;
    }
    size_t plain_len = 0;
    char *plain = gz_inflate(path, data, n, GOLDEN_MAX_BYTES, &plain_len, error);
    g_free(data);
    *len = plain_len;
    return plain;
}

char *
golden_write(const char *golden, const char *text, gsize len, GError **error)
{
    g_autofree char *gz = g_strconcat(golden, ".gz", NULL);
    if (len <= GOLDEN_GZIP_ABOVE) {
        if (!g_file_set_contents(golden, text, (gssize)len, error)) {
            return NULL;
        }
        g_unlink(gz);
        return g_strdup(golden);
    }
    GBytes *b = gz_deflate(text, len, error);
    if (b == NULL) {
        return NULL;
    }
    gsize n = 0;
    const char *data = g_bytes_get_data(b, &n);
    gboolean ok = g_file_set_contents(gz, data, (gssize)n, error);
    g_bytes_unref(b);
    if (!ok) {
        return NULL;
    }
    g_unlink(golden);
    return g_steal_pointer(&gz);
}
