/* SPDX-License-Identifier: MIT */
/*
 * outfile.c: write to a temporary, rename on success.
 *
 * Entry points: outfile_open(), outfile_commit(), outfile_discard().
 */
#include "outfile.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

static struct outfile *
outfile_open_direct(struct outfile *of, const char *path, GError **error)
{
    of->fp = g_fopen(path, "wb");
    if (of->fp == NULL) {
        int e = errno;
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e), "%s: cannot write: %s",
                    path, g_strerror(e));
        g_free(of);
        return NULL;
    }
    of->direct = TRUE;
    of->buf = g_malloc(OUTFILE_BUFSZ);
    setvbuf(of->fp, of->buf, _IOFBF, OUTFILE_BUFSZ);
    return of;
}

struct outfile *
outfile_open(const char *path, GError **error)
{
    struct outfile *of = g_new0(struct outfile, 1);
    if (path == NULL || strcmp(path, "-") == 0) {
        of->fp = stdout;
        return of;
    }
    GStatBuf st;
    if (g_stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        /* A device or a pipe (/dev/null, a FIFO) is written in place: renaming a
         * temporary over it would replace the device with a file. Nothing can be
         * half-written there that a reader keeps. */
        return outfile_open_direct(of, path, error);
    }
    of->path = g_strdup(path);
    of->gzip = g_str_has_suffix(path, ".gz");
    of->tmp_path = g_strdup_printf("%s.tmp-%d", path, (int)getpid());
    of->fp = g_fopen(of->tmp_path, "wb");
    if (of->fp == NULL) {
        int e = errno;
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e), "%s: cannot write: %s",
                    path, g_strerror(e));
        g_free(of->path);
        g_free(of->tmp_path);
        g_free(of);
        return NULL;
    }
    of->buf = g_malloc(OUTFILE_BUFSZ);
    setvbuf(of->fp, of->buf, _IOFBF, OUTFILE_BUFSZ);
    return of;
}

static void
outfile_free(struct outfile *of)
{
    g_free(of->path);
    g_free(of->tmp_path);
    g_free(of->buf);
    g_free(of);
}

/* Compresses the file `from` into `to` (gzip, zlib's default level, no name or time in
 * the header). FALSE with errno set on failure. */
static gboolean
gzip_file(const char *from, const char *to)
{
    FILE *in = g_fopen(from, "rb");
    if (in == NULL) {
        return FALSE;
    }
    gzFile out = gzopen(to, "wb");
    if (out == NULL) {
        fclose(in);
        return FALSE;
    }
    gzbuffer(out, 1u << 17);
    char *buf = g_malloc(1u << 17);
    gboolean ok = TRUE;
    size_t n;
    while (ok && (n = fread(buf, 1, 1u << 17, in)) > 0) {
        ok = gzwrite(out, buf, (unsigned)n) == (int)n;
    }
    ok = ok && !ferror(in);
    g_free(buf);
    fclose(in);
    if (gzclose(out) != Z_OK) {
        ok = FALSE;
    }
    if (!ok && errno == 0) {
        errno = EIO;
    }
    return ok;
}

gboolean
outfile_commit(struct outfile *of, GError **error)
{
    gboolean ok = !of->failed && fflush(of->fp) == 0 && !ferror(of->fp);
    int e = errno;
    if (of->path == NULL) {
        if (of->direct && fclose(of->fp) != 0) {
            ok = FALSE;
        }
        if (!ok) {
            g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_IO, "%s: write failed",
                        of->direct ? "output" : "standard output");
        }
        outfile_free(of);
        return ok;
    }
    if (fclose(of->fp) != 0) {
        e = errno;
        ok = FALSE;
    }
    if (ok && of->gzip) {
        g_autofree char *gz_tmp = g_strconcat(of->tmp_path, ".gz", NULL);
        errno = 0;
        if (!gzip_file(of->tmp_path, gz_tmp)) {
            e = errno;
            ok = FALSE;
            g_unlink(gz_tmp);
        } else {
            g_unlink(of->tmp_path);
            g_free(of->tmp_path);
            of->tmp_path = g_steal_pointer(&gz_tmp);
        }
    }
    if (ok && g_rename(of->tmp_path, of->path) != 0) {
        e = errno;
        ok = FALSE;
    }
    if (!ok) {
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e), "%s: write failed: %s",
                    of->path, g_strerror(e));
        g_unlink(of->tmp_path);
    }
    outfile_free(of);
    return ok;
}

void
outfile_discard(struct outfile *of)
{
    if (of == NULL) {
        return;
    }
    if (of->path != NULL) {
        fclose(of->fp);
        g_unlink(of->tmp_path);
    } else if (of->direct) {
        fclose(of->fp);
    } else {
        fflush(of->fp);
    }
    outfile_free(of);
}
