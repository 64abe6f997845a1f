/* SPDX-License-Identifier: MIT */
/*
 * outfile.h: an output file that appears whole or not at all.
 *
 * Writes go to a temporary beside the target; outfile_commit() renames it into place.
 * An output that is discarded (an error, an interrupted run) leaves the target untouched,
 * so a user never finds half a trace. The path "-" means standard output; an existing
 * path that is not a regular file (/dev/null, a FIFO) is written in place. A path that
 * ends in ".gz" is gzip-compressed when committed (the temporary holds the plain text;
 * the gzip header carries no time stamp, so the same run gives the same bytes).
 */
#ifndef TCPSIM_TRACE_OUTFILE_H
#define TCPSIM_TRACE_OUTFILE_H

#include <glib.h>
#include <stdio.h>

#define OUTFILE_BUFSZ (1u << 20) /* stdio buffer of a file output */

struct outfile {
    FILE *fp;
    char *path;     /* NULL for standard output, or a device written in place */
    char *tmp_path; /* NULL for standard output */
    char *buf;      /* stdio buffer */
    gboolean failed;
    gboolean direct; /* a device or pipe (not a regular file): written in place */
    gboolean gzip;   /* the path ends in ".gz": compressed at commit */
};

/* Opens `path` ("-" for standard output). NULL with `error` set on failure. */
struct outfile *outfile_open(const char *path, GError **error);
/* Flushes and renames into place; frees `of`. FALSE with `error` on any write failure. */
gboolean outfile_commit(struct outfile *of, GError **error);
/* Removes the temporary; frees `of`. NULL is accepted. */
void outfile_discard(struct outfile *of);

static inline void
outfile_write(struct outfile *of, const char *s, size_t n)
{
    if (fwrite(s, 1, n, of->fp) != n) {
        of->failed = TRUE;
    }
}

#endif
