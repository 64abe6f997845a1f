/* SPDX-License-Identifier: MIT */
/*
 * gz.c: gzip in memory over zlib.
 *
 * Entry points: gz_deflate(), gz_inflate(). windowBits 15 + 16 asks zlib for the gzip
 * wrapper (RFC 1952); its default header has no name and a zero time.
 */
#include "gz.h"

#include <limits.h>
#include <zlib.h>

G_DEFINE_QUARK(tcpsim-gz-error-quark, gz_error)

#define GZ_WINDOW_BITS (15 + 16)
#define GZ_CHUNK (64u * 1024u)

GBytes *
gz_deflate(const void *data, size_t len, GError **error)
{
    z_stream z = {0};
    if (len > UINT_MAX) {
        g_set_error(error, GZ_ERROR, 0, "gzip: %zu bytes is too large", len);
        return NULL;
    }
    if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, GZ_WINDOW_BITS, 8,
                     Z_DEFAULT_STRATEGY) != Z_OK) {
        g_set_error(error, GZ_ERROR, 0, "gzip: cannot start: %s", z.msg ? z.msg : "no memory");
        return NULL;
    }
    size_t cap = deflateBound(&z, (uLong)len);
    guint8 *out = g_malloc(cap);
    z.next_in = (Bytef *)data;
    z.avail_in = (uInt)len;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    int rc = deflate(&z, Z_FINISH);
    size_t n = z.total_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END) {
        g_set_error(error, GZ_ERROR, 0, "gzip: cannot compress (zlib %d)", rc);
        g_free(out);
        return NULL;
    }
    return g_bytes_new_take(out, n);
}

char *
gz_inflate(const char *name, const void *data, size_t len, size_t max, size_t *out_len,
           GError **error)
{
    z_stream z = {0};
    if (len > UINT_MAX) {
        g_set_error(error, GZ_ERROR, 0, "%s: %zu bytes is too large", name, len);
        return NULL;
    }
    if (inflateInit2(&z, GZ_WINDOW_BITS) != Z_OK) {
        g_set_error(error, GZ_ERROR, 0, "%s: cannot start gunzip: %s", name,
                    z.msg ? z.msg : "no memory");
        return NULL;
    }
    size_t cap = MIN(MAX(len * 4, (size_t)GZ_CHUNK), max) + 1;
    char *out = g_malloc(cap);
    z.next_in = (Bytef *)data;
    z.avail_in = (uInt)len;
    int rc = Z_OK;
    while (rc == Z_OK) {
        if (z.total_out + 1 >= cap) {
            if (cap > max) {
                break; /* already holds max bytes and there is more */
            }
            cap = MIN(cap * 2, max + 1);
            out = g_realloc(out, cap);
        }
        z.next_out = (Bytef *)out + z.total_out;
        z.avail_out = (uInt)(cap - 1 - z.total_out);
        rc = inflate(&z, Z_NO_FLUSH);
        if (rc == Z_BUF_ERROR && z.avail_in == 0) {
            break; /* input ended inside the stream */
        }
        if (rc == Z_BUF_ERROR) {
            rc = Z_OK; /* output full: grow and go on */
        }
    }
    size_t n = z.total_out;
    const char *why = z.msg;
    inflateEnd(&z);
    if (rc == Z_STREAM_END) {
        out[n] = '\0';
        *out_len = n;
        return out;
    }
    g_free(out);
    if (rc == Z_OK) {
        g_set_error(error, GZ_ERROR, 0, "%s: larger than %zu bytes uncompressed", name, max);
    } else if (rc == Z_BUF_ERROR) {
        g_set_error(error, GZ_ERROR, 0, "%s: not a gzip file: the stream is cut short", name);
    } else {
        g_set_error(error, GZ_ERROR, 0, "%s: not a gzip file: %s", name,
                    why ? why : "bad data");
    }
    return NULL;
}
