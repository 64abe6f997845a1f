/*
 * golden.c: golden trace files: where they are and how they are written.
 *
 * Entry points: golden_path(), golden_write(). X.scn's golden trace is X.trace beside it,
 * or X.trace.gz when the trace is over 1 MiB (as test/golden/run_golden.c keeps them);
 * the gzip stream carries no time or name, so the same trace gives the same bytes.
 */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "cli.h"

#define GOLDEN_GZIP_ABOVE (1u << 20)

char *
golden_path(const char *scenario)
{
    size_t n = strlen(scenario);
    if (n > 4 && strcmp(scenario + n - 4, ".scn") == 0) {
        n -= 4;
    }
    return g_strdup_printf("%.*s.trace", (int)n, scenario);
}

/* The file that holds the golden trace (the plain one or the .gz), or NULL. */
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

static GBytes *
gzip(const char *data, gsize len, GError **error)
{
    g_autoptr(GZlibCompressor) z = g_zlib_compressor_new(G_ZLIB_COMPRESSOR_FORMAT_GZIP, 9);
    g_autoptr(GInputStream) in = g_memory_input_stream_new_from_data(data, (gssize)len, NULL);
    g_autoptr(GInputStream) zin = g_converter_input_stream_new(in, G_CONVERTER(z));
    g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable();
    if (g_output_stream_splice(out, zin, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, error) < 0) {
        return NULL;
    }
    return g_memory_output_stream_steal_as_bytes(G_MEMORY_OUTPUT_STREAM(out));
}

/* Writes the golden trace (atomically: g_file_set_contents renames a temporary), and
 * removes the other form so only one remains. Returns the path written, or NULL. */
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
    GBytes *b = gzip(text, len, error);
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
