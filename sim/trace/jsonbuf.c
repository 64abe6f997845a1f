/* SPDX-License-Identifier: MIT */
/*
 * jsonbuf.c: JSON string escaping (RFC 8259 §7).
 *
 * Entry points: js_escape(), js_str().
 */
#include "jsonbuf.h"

static void
put_escaped_byte(GString *s, unsigned char c)
{
    static const char hex[] = "0123456789abcdef";
    switch (c) {
    case '"':
        g_string_append(s, "\\\"");
        return;
    case '\\':
        g_string_append(s, "\\\\");
        return;
    case '\n':
        g_string_append(s, "\\n");
        return;
    case '\r':
        g_string_append(s, "\\r");
        return;
    case '\t':
        g_string_append(s, "\\t");
        return;
    default:
        break;
    }
    if (c < 0x20) {
        g_string_append(s, "\\u00");
        g_string_append_c(s, hex[c >> 4]);
        g_string_append_c(s, hex[c & 0xF]);
    } else {
        g_string_append_c(s, (char)c);
    }
}

void
js_escape(GString *s, const char *text)
{
    const char *p = text;
    while (*p) {
        unsigned char c = (unsigned char)*p;
        if (c < 0x80) {
            put_escaped_byte(s, c);
            p++;
            continue;
        }
        gunichar u = g_utf8_get_char_validated(p, -1);
        if (u == (gunichar)-1 || u == (gunichar)-2) {
            g_string_append(s, "\\ufffd"); /* not UTF-8: one replacement per bad byte */
            p++;
            continue;
        }
        const char *next = g_utf8_next_char(p);
        g_string_append_len(s, p, next - p);
        p = next;
    }
}

void
js_str(GString *s, const char *key, const char *text)
{
    if (text == NULL) {
        js_null(s, key);
        return;
    }
    js_key(s, key);
    g_string_append_c(s, '"');
    js_escape(s, text);
    g_string_append_c(s, '"');
}
