/* SPDX-License-Identifier: MIT */
/*
 * outfile.h: output files that appear whole, together, or not at all.
 *
 * Writes go to a temporary beside the target. The outputs of one trace form a group:
 * outfile_commit() only finishes a temporary (flush, close, check), and
 * outfile_group_commit() renames every finished one into place, or, when one output
 * failed, outfile_group_discard() removes them all. A user never finds half a trace, nor
 * a trace beside a capture of another run. The path "-" means standard output; an
 * existing path that is not a regular file (/dev/null, a FIFO) is written in place.
 *
 * A group may bound the bytes its outputs write together (--max-output): past the limit
 * every write fails with EFBIG and `over` turns true, which stops the run.
 * outfile_cleanup_on_signals() removes every temporary of the process on SIGINT,
 * SIGTERM, SIGHUP and SIGPIPE before the signal takes its course.
 * A path that ends in ".gz" is gzip-compressed when committed (the temporary holds the
 * plain text; the gzip header carries no time stamp, so the same run gives the same
 * bytes).
 */
#ifndef TCPSIM_TRACE_OUTFILE_H
#define TCPSIM_TRACE_OUTFILE_H

#include <errno.h>
#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define OUTFILE_BUFSZ (1u << 20) /* stdio buffer of a file output */

struct outfile_group {
    uint64_t limit;     /* bytes all outputs may write together; 0: no limit */
    uint64_t room;      /* what the limit still allows (UINT64_MAX: no limit) */
    bool over;          /* a write passed the limit */
    GPtrArray *finished; /* struct outfile *: closed temporaries awaiting the rename */
};

struct outfile {
    struct outfile_group *group;
    FILE *fp;
    char *path;     /* NULL for standard output, or a device written in place */
    char *tmp_path; /* NULL for standard output */
    char *name;     /* what messages call it: the path, or "standard output" */
    char *buf;      /* stdio buffer */
    gboolean failed;
    int err;         /* errno of the first failed write, or EFBIG past the limit */
    gboolean direct; /* a device or pipe (not a regular file): written in place */
    int slot;        /* in the process's table of temporaries (outfile.c), or -1 */
    gboolean gzip;   /* the path ends in ".gz": compressed at commit */
};

void outfile_group_init(struct outfile_group *g);
void outfile_group_set_limit(struct outfile_group *g, uint64_t bytes);
/* Renames every finished temporary into place. FALSE with `error` when one cannot be:
 * then none is renamed (each target is checked first) and all are removed. */
gboolean outfile_group_commit(struct outfile_group *g, GError **error);
/* Removes every finished temporary. */
void outfile_group_discard(struct outfile_group *g);

/* Opens `path` ("-" for standard output) in `g`. NULL with `error` set on failure. */
struct outfile *outfile_open(struct outfile_group *g, const char *path, GError **error);
/* Flushes and closes; a file's temporary then waits for outfile_group_commit(). Frees
 * `of`. FALSE with `error` ("PATH: write failed: errno text") on any write failure,
 * the temporary then removed. */
gboolean outfile_commit(struct outfile *of, GError **error);
/* Removes the temporary; frees `of`. NULL is accepted. */
void outfile_discard(struct outfile *of);

void outfile_cleanup_on_signals(void);

void outfile_write_slow(struct outfile *of, const char *s, size_t n);

static inline void
outfile_write(struct outfile *of, const char *s, size_t n)
{
    struct outfile_group *g = of->group;
    if (G_UNLIKELY(n > g->room || of->failed)) {
        outfile_write_slow(of, s, n);
        return;
    }
    g->room -= g->room != UINT64_MAX ? n : 0;
    if (fwrite(s, 1, n, of->fp) != n) {
        of->failed = TRUE;
        of->err = errno;
    }
}

#endif
