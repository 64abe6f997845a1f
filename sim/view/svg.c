/* SPDX-License-Identifier: MIT */
/*
 * svg.c: deterministic SVG output (see svg.h).
 */
#include "svg.h"

void
svg_escape(GString *out, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '&':
            g_string_append(out, "&amp;");
            break;
        case '<':
            g_string_append(out, "&lt;");
            break;
        case '>':
            g_string_append(out, "&gt;");
            break;
        case '"':
            g_string_append(out, "&quot;");
            break;
        case '\'':
            g_string_append(out, "&apos;");
            break;
        default:
            g_string_append_c(out, *p < 0x20 || *p == 0x7F ? ' ' : (char)*p);
            break;
        }
    }
}

void
svg_num(GString *out, int64_t tenths)
{
    if (tenths < 0) {
        g_string_append_c(out, '-');
        tenths = -tenths;
    }
    g_string_append_printf(out, "%" G_GINT64_FORMAT, tenths / 10);
    if (tenths % 10) {
        g_string_append_printf(out, ".%d", (int)(tenths % 10));
    }
}

void
svg_begin(GString *out, int w, int h, const char *title, const char *css)
{
    svg_begin_scaled(out, w, h, w, h, title, css);
}

void
svg_begin_scaled(GString *out, int w, int h, int vw, int vh, const char *title, const char *css)
{
    g_string_append_printf(out,
                           "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                           "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
                           "height=\"%d\" viewBox=\"0 0 %d %d\">\n<title>",
                           w, h, vw, vh);
    svg_escape(out, title);
    g_string_append(out, "</title>\n<style>\n");
    g_string_append(out, css);
    g_string_append(out, "</style>\n");
    g_string_append_printf(out, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" "
                                "class=\"bg\"/>\n", vw, vh);
}

void
svg_end(GString *out)
{
    g_string_append(out, "</svg>\n");
}

void
svg_line(GString *out, int64_t x1, int64_t y1, int64_t x2, int64_t y2, const char *cls,
         const char *extra)
{
    g_string_append(out, "<line x1=\"");
    svg_num(out, x1);
    g_string_append(out, "\" y1=\"");
    svg_num(out, y1);
    g_string_append(out, "\" x2=\"");
    svg_num(out, x2);
    g_string_append(out, "\" y2=\"");
    svg_num(out, y2);
    g_string_append_printf(out, "\" class=\"%s\"%s%s/>\n", cls, extra ? " " : "",
                           extra ? extra : "");
}

void
svg_text(GString *out, int64_t x, int64_t y, const char *cls, const char *anchor,
         const char *text)
{
    svg_text_styled(out, x, y, cls, anchor, NULL, text);
}

void
svg_text_styled(GString *out, int64_t x, int64_t y, const char *cls, const char *anchor,
                const char *style, const char *text)
{
    svg_text_ex(out, x, y, cls, anchor, style, NULL, text);
}

void
svg_text_ex(GString *out, int64_t x, int64_t y, const char *cls, const char *anchor,
            const char *style, const char *extra, const char *text)
{
    g_string_append(out, "<text x=\"");
    svg_num(out, x);
    g_string_append(out, "\" y=\"");
    svg_num(out, y);
    g_string_append_printf(out, "\" class=\"%s\"", cls);
    if (style != NULL) {
        g_string_append_printf(out, " style=\"%s\"", style);
    }
    if (extra != NULL) {
        g_string_append_c(out, ' ');
        g_string_append(out, extra);
    }
    if (anchor != NULL) {
        g_string_append_printf(out, " text-anchor=\"%s\"", anchor);
    }
    g_string_append_c(out, '>');
    svg_escape(out, text);
    g_string_append(out, "</text>\n");
}
