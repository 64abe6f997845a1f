/* SPDX-License-Identifier: MIT */
/*
 * golden_file.h: golden trace files, where they are and how they are read and written.
 *
 * X.scn's golden trace is X.trace beside it, or X.trace.gz when the trace is over 1 MiB
 * (a bulk transfer's trace runs to megabytes). Only one of the two exists at a time.
 * Used by `tcpsim check` and by the golden-trace test runner, so both agree.
 */
#ifndef TCPSIM_DIFF_GOLDEN_FILE_H
#define TCPSIM_DIFF_GOLDEN_FILE_H

#include <glib.h>

#define GOLDEN_GZIP_ABOVE (1u << 20)
/* The most a golden file may hold uncompressed. */
#define GOLDEN_MAX_BYTES (1u << 30)

/* X.scn -> X.trace (the plain name, whichever form exists). */
char *golden_path(const char *scenario);
/* The file that holds the golden trace (the plain one or the .gz), or NULL. */
char *golden_existing(const char *golden);
/* The golden text, from the plain file or the .gz, NUL-terminated; NULL and *error when
 * neither exists or it cannot be read. */
char *golden_read(const char *golden, gsize *len, GError **error);
/* Writes the golden trace atomically in the form its size calls for and removes the other
 * form. Returns the path written, or NULL. */
char *golden_write(const char *golden, const char *text, gsize len, GError **error);

#endif
