/* SPDX-License-Identifier: MIT */
/*
 * gz.h: gzip in memory, for golden traces kept compressed and traces read back.
 *
 * The stream carries no time and no name, so the same text always gives the same bytes.
 * Inflating stops at a caller's limit, so a small hostile file cannot expand into
 * gigabytes before it is refused.
 */
#ifndef TCPSIM_DIFF_GZ_H
#define TCPSIM_DIFF_GZ_H

#include <glib.h>
#include <stddef.h>

#define GZ_ERROR (gz_error_quark())
GQuark gz_error_quark(void);

/* The gzip form of data[0..len) at the best compression; NULL and *error when zlib fails. */
GBytes *gz_deflate(const void *data, size_t len, GError **error);

/* data[0..len), one gzip stream, inflated into a NUL-terminated buffer (g_free it) of
 * *out_len bytes. NULL and *error, messages prefixed by name, when the data is not gzip,
 * is cut short, or would exceed max bytes. */
char *gz_inflate(const char *name, const void *data, size_t len, size_t max, size_t *out_len,
                 GError **error);

#endif
