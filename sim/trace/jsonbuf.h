/* SPDX-License-Identifier: MIT */
/*
 * jsonbuf.h: writing one JSON object at a time into a reused GString.
 *
 * Keys are written in the order the caller writes them, so a sink's key order is its
 * code's order: stable, documented, diffable. Strings are escaped per RFC 8259 §7 and
 * made valid UTF-8 (an invalid byte becomes U+FFFD), so any text a scenario carries
 * yields a line every JSON parser reads.
 */
#ifndef TCPSIM_TRACE_JSONBUF_H
#define TCPSIM_TRACE_JSONBUF_H

#include <glib.h>
#include <stdint.h>

#include "strbuf.h"

/* Starts a member: a comma unless it is the first in its object or array, then "key":. */
static inline void
js_key(GString *s, const char *key)
{
    char last = s->len ? s->str[s->len - 1] : '{';
    if (last != '{' && last != '[') {
        g_string_append_c(s, ',');
    }
    if (key != NULL) {
        g_string_append_c(s, '"');
        g_string_append(s, key);
        g_string_append(s, "\":");
    }
}

static inline void
js_uint(GString *s, const char *key, uint64_t v)
{
    char tmp[24];
    struct strbuf sb;
    sb_init(&sb, tmp, sizeof tmp);
    sb_putu(&sb, v);
    js_key(s, key);
    g_string_append_len(s, tmp, (gssize)sb.len);
}

static inline void
js_int(GString *s, const char *key, int64_t v)
{
    char tmp[24];
    struct strbuf sb;
    sb_init(&sb, tmp, sizeof tmp);
    sb_puti(&sb, v);
    js_key(s, key);
    g_string_append_len(s, tmp, (gssize)sb.len);
}

static inline void
js_null(GString *s, const char *key)
{
    js_key(s, key);
    g_string_append(s, "null");
}

static inline void
js_bool(GString *s, const char *key, gboolean v)
{
    js_key(s, key);
    g_string_append(s, v ? "true" : "false");
}

/* Appends `text` escaped, without quotes: the inside of a JSON string. */
void js_escape(GString *s, const char *text);
/* Appends `text` as a JSON string value (NULL: null). */
void js_str(GString *s, const char *key, const char *text);

/* Opens a nested object or array as a member (key NULL inside an array). */
static inline void
js_open(GString *s, const char *key, char bracket)
{
    js_key(s, key);
    g_string_append_c(s, bracket);
}

static inline void
js_close(GString *s, char bracket)
{
    g_string_append_c(s, bracket);
}

#endif
