/* SPDX-License-Identifier: MIT */
/*
 * svg.h: writing SVG documents byte for byte the same on every run: integer coordinates
 * in tenths of a pixel, fixed attribute order, escaped text, no identifiers derived from
 * pointers or hash order.
 */
#ifndef TCPSIM_VIEW_SVG_H
#define TCPSIM_VIEW_SVG_H

#include <glib.h>
#include <stdint.h>

/* The XML declaration, the <svg> element of `w` x `h` pixels, its <title> and a <style>
 * element with `css`. */
void svg_begin(GString *out, int w, int h, const char *title, const char *css);
/* The same drawn at `w` x `h` pixels from a `vw` x `vh` drawing (a slide drawn larger). */
void svg_begin_scaled(GString *out, int w, int h, int vw, int vh, const char *title,
                      const char *css);
void svg_end(GString *out);
/* Text with &, <, >, " and ' escaped; control characters become spaces. */
void svg_escape(GString *out, const char *s);
/* A number given in tenths: 125 -> "12.5", 120 -> "12", -5 -> "-0.5". */
void svg_num(GString *out, int64_t tenths);
/* <line x1 y1 x2 y2 class [extra]/> with coordinates in tenths. */
void svg_line(GString *out, int64_t x1, int64_t y1, int64_t x2, int64_t y2, const char *cls,
              const char *extra);
/* <text x y class [anchor]>escaped text</text>, coordinates in tenths; `anchor` is
 * "start" (NULL), "middle" or "end". */
void svg_text(GString *out, int64_t x, int64_t y, const char *cls, const char *anchor,
              const char *text);
/* The same with a style attribute ("fill:#1f5fa8"), or none for NULL. */
void svg_text_styled(GString *out, int64_t x, int64_t y, const char *cls, const char *anchor,
                     const char *style, const char *text);
/* ... and `extra` attributes written as they are (data-a="3"), or none for NULL. */
void svg_text_ex(GString *out, int64_t x, int64_t y, const char *cls, const char *anchor,
                 const char *style, const char *extra, const char *text);

#endif
