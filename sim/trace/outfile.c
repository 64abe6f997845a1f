/* SPDX-License-Identifier: MIT */
/*
 * outfile.c: write to a temporary; the outputs of a group are renamed together. A path
 * ending in ".gz" is compressed when its output is finished.
 *
 * Entry points: outfile_open(), outfile_write(), outfile_commit(), outfile_discard(),
 * outfile_group_commit(), outfile_group_discard(), outfile_cleanup_on_signals().
 *
 * Temporaries are also listed in the process's one table of C strings that a signal
 * handler may read: it unlinks each (unlink() is async-signal-safe) and re-raises the
 * signal. That table is the only state outside a simulation (a handler has no other
 * way to reach it); simulations in one process each list their own entries.
 */
#include "outfile.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define TMP_MAX_OUTPUTS 64

static char *volatile tmp_table[TMP_MAX_OUTPUTS]; /* the temporaries a signal removes */

static int
tmp_register(char *path)
{
    for (int i = 0; i < TMP_MAX_OUTPUTS; i++) {
        if (tmp_table[i] == NULL) {
            tmp_table[i] = path;
            return i;
        }
    }
    return -1; /* beyond the table: still removed on errors, not on a signal */
}

static void
tmp_unregister(struct outfile *of)
{
    if (of->slot >= 0) {
        tmp_table[of->slot] = NULL;
        of->slot = -1;
    }
}

static void
on_signal(int sig)
{
    for (int i = 0; i < TMP_MAX_OUTPUTS; i++) {
        char *p = tmp_table[i];
        if (p != NULL) {
            unlink(p);
        }
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

void
outfile_cleanup_on_signals(void)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};
    for (size_t i = 0; i < G_N_ELEMENTS(sigs); i++) {
        struct sigaction sa = {0};
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        for (size_t j = 0; j < G_N_ELEMENTS(sigs); j++) {
            sigaddset(&sa.sa_mask, sigs[j]);
        }
        sigaction(sigs[i], &sa, NULL);
    }
}

void
outfile_group_init(struct outfile_group *g)
{
    *g = (struct outfile_group){.room = UINT64_MAX};
}

void
outfile_group_set_limit(struct outfile_group *g, uint64_t bytes)
{
    g->limit = bytes;
    g->room = bytes ? bytes : UINT64_MAX;
    g->over = false;
}

void
outfile_write_slow(struct outfile *of, const char *s, size_t n)
{
    if (of->failed) {
        return;
    }
    struct outfile_group *g = of->group;
    if (n > g->room) {
        of->failed = TRUE;
        of->err = EFBIG;
        g->over = true;
        g->room = 0;
        return;
    }
    g->room -= g->room != UINT64_MAX ? n : 0;
    if (fwrite(s, 1, n, of->fp) != n) {
        of->failed = TRUE;
        of->err = errno;
    }
}

static void
set_buffer(struct outfile *of)
{
    of->buf = g_malloc(OUTFILE_BUFSZ);
    setvbuf(of->fp, of->buf, _IOFBF, OUTFILE_BUFSZ);
}

static void
outfile_free(struct outfile *of)
{
    tmp_unregister(of);
    g_free(of->path);
    g_free(of->tmp_path);
    g_free(of->name);
    g_free(of->buf);
    g_free(of);
}

struct outfile *
outfile_open(struct outfile_group *g, const char *path, GError **error)
{
    struct outfile *of = g_new0(struct outfile, 1);
    of->group = g;
    of->slot = -1;
    if (path == NULL || strcmp(path, "-") == 0) {
        of->fp = stdout;
        of->name = g_strdup("standard output");
        return of;
    }
    of->name = g_strdup(path);
    GStatBuf st;
    if (g_stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        /* A device or a pipe (/dev/null, a FIFO) is written in place: renaming a
         * temporary over it would replace the device with a file. Nothing can be
         * half-written there that a reader keeps. */
        of->direct = TRUE;
        of->fp = g_fopen(path, "wb");
    } else {
        of->path = g_strdup(path);
        of->gzip = g_str_has_suffix(path, ".gz");
        of->tmp_path = g_strdup_printf("%s.tmp-%d", path, (int)getpid());
        of->fp = g_fopen(of->tmp_path, "wb");
        if (of->fp != NULL) {
            of->slot = tmp_register(of->tmp_path);
        }
    }
    if (of->fp == NULL) {
        int e = errno;
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e), "%s: cannot write: %s",
                    path, g_strerror(e));
        outfile_free(of);
        return NULL;
    }
    set_buffer(of);
    return of;
}

/* Flushes and closes (a file or device); the first errno of a failure in *e. */
static gboolean
finish(struct outfile *of, int *e)
{
    gboolean ok = !of->failed;
    *e = of->err;
    if (fflush(of->fp) != 0 || ferror(of->fp)) {
        if (ok) {
            *e = errno;
        }
        ok = FALSE;
    }
    if (of->fp != stdout && fclose(of->fp) != 0) {
        if (ok) {
            *e = errno;
        }
        ok = FALSE;
    }
    of->fp = NULL;
    if (!ok && *e == 0) {
        *e = EIO;
    }
    return ok;
}

static void
set_write_error(GError **error, const struct outfile *of, int e)
{
    if (e == EFBIG && of->group->over) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                    "%s: the outputs passed the limit of %" G_GUINT64_FORMAT
                    " bytes (--max-output)",
                    of->name, of->group->limit);
        return;
    }
    g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e), "%s: write failed: %s",
                of->name, g_strerror(e));
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
    int e = 0;
    gboolean ok = finish(of, &e);
    if (ok && of->path != NULL && of->gzip) {
        char *gz_tmp = g_strconcat(of->tmp_path, ".gz", NULL);
        errno = 0;
        if (!gzip_file(of->tmp_path, gz_tmp)) {
            e = errno;
            ok = FALSE;
            g_unlink(gz_tmp);
            g_free(gz_tmp);
        } else {
            g_unlink(of->tmp_path);
            tmp_unregister(of);
            g_free(of->tmp_path);
            of->tmp_path = gz_tmp;
            of->slot = tmp_register(of->tmp_path);
        }
    }
    if (ok && of->path != NULL) {
        struct outfile_group *g = of->group;
        if (g->finished == NULL) {
            g->finished = g_ptr_array_new();
        }
        g_ptr_array_add(g->finished, of); /* renamed by outfile_group_commit() */
        return TRUE;
    }
    if (!ok) {
        set_write_error(error, of, e);
        if (of->tmp_path != NULL) {
            g_unlink(of->tmp_path);
        }
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
    if (of->fp != NULL && of->fp != stdout) {
        fclose(of->fp);
    } else if (of->fp == stdout) {
        fflush(of->fp);
    }
    if (of->tmp_path != NULL) {
        g_unlink(of->tmp_path);
    }
    outfile_free(of);
}

gboolean
outfile_group_commit(struct outfile_group *g, GError **error)
{
    GPtrArray *fin = g->finished;
    if (fin == NULL) {
        return TRUE;
    }
    /* A rename fails on a target that is a directory; check them all first, so that
     * either every output is renamed or none is. */
    gboolean ok = TRUE;
    for (guint i = 0; ok && i < fin->len; i++) {
        struct outfile *of = g_ptr_array_index(fin, i);
        GStatBuf st;
        if (g_stat(of->path, &st) == 0 && S_ISDIR(st.st_mode)) {
            g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_ISDIR, "%s: cannot write: %s",
                        of->path, g_strerror(EISDIR));
            ok = FALSE;
        }
    }
    sigset_t all, old;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, &old); /* a signal now would leave some renamed */
    for (guint i = 0; i < fin->len; i++) {
        struct outfile *of = g_ptr_array_index(fin, i);
        if (ok && g_rename(of->tmp_path, of->path) != 0) {
            int e = errno;
            g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e),
                        "%s: write failed: %s", of->path, g_strerror(e));
            ok = FALSE;
        }
        if (!ok) {
            g_unlink(of->tmp_path);
        }
        outfile_free(of);
    }
    g_ptr_array_free(fin, TRUE);
    g->finished = NULL;
    sigprocmask(SIG_SETMASK, &old, NULL);
    return ok;
}

void
outfile_group_discard(struct outfile_group *g)
{
    for (guint i = 0; g->finished != NULL && i < g->finished->len; i++) {
        struct outfile *of = g_ptr_array_index(g->finished, i);
        g_unlink(of->tmp_path);
        outfile_free(of);
    }
    if (g->finished != NULL) {
        g_ptr_array_free(g->finished, TRUE);
        g->finished = NULL;
    }
}
