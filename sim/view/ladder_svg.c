/* SPDX-License-Identifier: MIT */
/*
 * ladder_svg.c: the ladder as an SVG document, for slides and browsers.
 *
 * Entry point: ladder_svg(). The same rows as the text ladder (ladder_layout()), each
 * ROW_H pixels high: a time axis on the left, the two endpoint columns (dashed where idle
 * time was left out), states and other labels beside them, an arrow per segment with a
 * head at the receiver (retransmissions dashed and coloured), an X where the link lost
 * one. Coordinates are integers in tenths of a pixel, so the bytes never vary.
 */
#include <string.h>

#include "../trace/strbuf.h"
#include "ladder.h"
#include "span.h"
#include "svg.h"

#define PX(v) ((int64_t)(v) * 10)
#define AXIS_X 96   /* the time axis */
#define BOTTOM 64

/* Where each column stands, the picture's width, the height of a row, and which rows
 * are drawn (a slide draws a page of them); the spoofed sources' column, when there is
 * one, stands left of A's. */
struct geom {
    int col[LADDER_NCOLS];
    int width;
    int row_h;
    int r0;    /* the first row drawn */
    int r1;    /* one past the last */
    bool slide;
    bool interactive; /* data-a, data-l, data-c attributes for the HTML page */
    int top;
    int lanes;  /* --lanes: connections with a lane of their own beside A's and B's columns */   /* where row 0 is: lower when a key of the connections' colours is shown */
};

#define LANE_GAP 16

/* Where a connection's arrows meet column `col`: its lane with --lanes. */
static int
lane_x(const struct geom *g, int col, int conn)
{
    if (g->lanes == 0 || conn < 0 || col == LADDER_COL_SPOOFED) {
        return g->col[col];
    }
    return g->col[col] + (conn % g->lanes) * LANE_GAP;
}

static struct geom
geom_of(const struct ladder *L, bool slide)
{
    struct geom g = {{280, 780, -1}, 1000, slide ? 26 : 20, 0, ladder_nrows(L), slide, false,
                     ladder_many(L) ? 112 : 96, 0};
    if (L->lanes && ladder_many(L)) {
        /* Each connection's arrows run between its own lane lines, LANE_GAP apart: the
         * picture widens by the lanes B's side needs. */
        g.lanes = L->conns->len < LADDER_MAX_LANES ? (int)L->conns->len : LADDER_MAX_LANES;
        g.width += g.lanes * LANE_GAP;
    }
    if (L->spoofed) {
        g.col[0] = 400;
        g.col[1] = 900;
        g.col[2] = 170;
        g.width = 1120;
    }
    return g;
}

/* The connections' colours, dark enough for text on white; flood traffic is grey. */
static const char *const palette[] = {
    "#1f5fa8", "#c0392b", "#2e7d32", "#7b3fa0", "#c45f00", "#00838f", "#ad1457", "#6d4c41",
};
#define NPALETTE 8
#define FLOOD_COLOUR "#8a8a8a"

/* The colour of connection `conn`, or NULL when the picture does not tell them apart. */
static const char *
conn_colour(const struct ladder *L, int conn)
{
    if (conn < 0 || !ladder_many(L)) {
        return NULL;
    }
    const struct conn_info *c = g_ptr_array_index(L->conns, conn);
    if (c->forged) {
        return FLOOD_COLOUR;
    }
    int n = 0; /* colours go to the connections that are not a flood's, in order */
    for (int i = 0; i < conn; i++) {
        n += !((const struct conn_info *)g_ptr_array_index(L->conns, i))->forged;
    }
    return palette[n % NPALETTE];
}

static const char css[] =
    ".bg{fill:#ffffff}\n"
    "text{font-family:'DejaVu Sans',Helvetica,Arial,'Noto Sans CJK SC','WenQuanYi Micro Hei','Microsoft YaHei','PingFang SC',sans-serif;font-size:13px;fill:#1b1b1b;"
    "paint-order:stroke;stroke:#ffffff;stroke-width:3px;stroke-linejoin:round}\n"
    ".title{font-size:17px;font-weight:bold}\n"
    ".sub{font-size:12px;fill:#555555}\n"
    ".host{font-size:15px;font-weight:bold}\n"
    ".time{font-family:'DejaVu Sans Mono',Menlo,Consolas,'Noto Sans CJK SC','WenQuanYi Micro Hei','Microsoft YaHei','PingFang SC',monospace;font-size:11px;fill:#555555}\n"
    ".seg{font-family:'DejaVu Sans Mono',Menlo,Consolas,'Noto Sans CJK SC','WenQuanYi Micro Hei','Microsoft YaHei','PingFang SC',monospace;font-size:12px}\n"
    ".seg-rx{font-family:'DejaVu Sans Mono',Menlo,Consolas,'Noto Sans CJK SC','WenQuanYi Micro Hei','Microsoft YaHei','PingFang SC',monospace;font-size:12px;fill:#c0392b}\n"
    ".state{font-weight:bold;fill:#1a4f8b}\n"
    ".timer{font-style:italic;fill:#b35900}\n"
    ".discard{fill:#c0392b}\n"
    ".note{fill:#666666}\n"
    ".app{fill:#2e7d32}\n"
    ".gaptext{font-style:italic;fill:#777777;font-size:12px}\n"
    ".drop{font-size:12px;fill:#c0392b}\n"
    ".col{stroke:#1b1b1b;stroke-width:2}\n"
    ".colgap{stroke:#999999;stroke-width:2;stroke-dasharray:2 4}\n"
    ".axis{stroke:#999999;stroke-width:1}\n"
    ".arrow{stroke:#1b1b1b;stroke-width:1.5}\n"
    ".arrow-rx{stroke:#c0392b;stroke-width:1.5;stroke-dasharray:6 3}\n"
    ".flight{stroke:#1b1b1b;stroke-width:1.5;stroke-dasharray:2 3}\n"
    ".x{stroke:#c0392b;stroke-width:2.5}\n"
    ".lbg{fill:#ffffff;fill-opacity:0.88}\n"
    ".lane{stroke-width:1;stroke-dasharray:1 3}\n"
    ".conn{font-family:'DejaVu Sans Mono',Menlo,Consolas,'Noto Sans CJK SC','WenQuanYi Micro Hei','Microsoft YaHei','PingFang SC',monospace;font-size:12px;font-weight:bold}\n";

static int64_t
row_y(const struct geom *g, int row)
{
    return PX(g->top + (row - g->r0) * g->row_h);
}

static bool
row_shown(const struct geom *g, int row)
{
    return row >= g->r0 && row < g->r1;
}

/* `text` in the colour of its connection, when the picture tells them apart. */
static void
put_owned_text_ex(const struct ladder *L, GString *out, int64_t x, int64_t y, const char *cls,
                  const char *anchor, int conn, const char *extra, const char *text)
{
    const char *colour = conn_colour(L, conn);
    g_autofree char *style = colour ? g_strdup_printf("fill:%s", colour) : NULL;
    svg_text_ex(out, x, y, cls, anchor, style, extra, text);
}

static void
put_owned_text(const struct ladder *L, GString *out, int64_t x, int64_t y, const char *cls,
               const char *anchor, int conn, const char *text)
{
    put_owned_text_ex(L, out, x, y, cls, anchor, conn, NULL, text);
}

/* The data attributes of arrow or label `i` on the interactive page, or NULL. */
static char *
data_attrs(const struct geom *g, const char *kind, guint i, int conn)
{
    return g->interactive ? g_strdup_printf("data-%s=\"%u\" data-c=\"%d\"", kind, i, conn) : NULL;
}

static void
put_marker(GString *out, const char *id, const char *colour)
{
    g_string_append_printf(out,
                           "<marker id=\"%s\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" "
                           "markerWidth=\"9\" markerHeight=\"9\" orient=\"auto\">"
                           "<path d=\"M0,0 L10,5 L0,10 z\" fill=\"%s\"/></marker>\n",
                           id, colour);
}

static void
put_defs(const struct ladder *L, GString *out)
{
    g_string_append(out, "<defs>\n");
    put_marker(out, "head", "#1b1b1b");
    put_marker(out, "head-rx", "#c0392b");
    if (ladder_many(L)) {
        for (int i = 0; i < NPALETTE; i++) {
            g_autofree char *id = g_strdup_printf("head-c%d", i);
            put_marker(out, id, palette[i]);
        }
        put_marker(out, "head-flood", FLOOD_COLOUR);
    }
    g_string_append(out, "</defs>\n");
}

/* The marker of an arrow's head in colour `colour` (one of the palette's, or grey). */
static const char *
marker_of(const char *colour)
{
    static const char *const ids[] = {"head-c0", "head-c1", "head-c2", "head-c3",
                                      "head-c4", "head-c5", "head-c6", "head-c7"};
    for (int i = 0; i < NPALETTE; i++) {
        if (colour == palette[i]) {
            return ids[i];
        }
    }
    return "head-flood";
}

static void
put_heading(const struct ladder *L, const struct geom *g, GString *out)
{
    const struct rec_header *h = L->hdr;
    svg_text(out, PX(16), PX(26), "title", NULL, h->title ? h->title : "tcpsim ladder");
    g_autofree char *sub = g_strdup_printf(
        "%s%s%s %" G_GUINT64_FORMAT "; %s", h->scenario ? h->scenario : "",
        h->scenario ? ", " : "", L->w->seed, h->seed, L->absolute ? L->w->abs : L->w->rel);
    svg_text(out, PX(16), PX(46), "sub", NULL, sub);
    for (int s = 0; s < 2; s++) {
        int i = L->host[s];
        char ip[TCPSIM_ADDR_STRLEN];
        struct strbuf sb;
        sb_init(&sb, ip, sizeof ip);
        struct tcpsim_addr none = ip_v4(0);
        sb_put_ip(&sb, h->nhosts ? &h->host_addrs[i] : &none);
        g_autofree char *name = g_strdup_printf("%s  %s", h->nhosts ? h->host_names[i] : "?", ip);
        svg_text(out, PX(g->col[s]), PX(g->top - 22), "host", "middle", name);
    }
    if (L->spoofed) {
        svg_text(out, PX(g->col[LADDER_COL_SPOOFED]), PX(g->top - 22), "host", "middle",
                 L->w->spoofed);
    }
    if (ladder_many(L)) {
        /* Which colour is which connection: the first ones, then how many more. */
        int64_t x = PX(16);
        guint shown = 0;
        bool flood = false;
        for (guint i = 0; i < L->conns->len && x < PX(g->width - 160); i++) {
            const struct conn_info *c = g_ptr_array_index(L->conns, i);
            if (c->forged) {
                flood = true;
                continue;
            }
            char buf[16];
            const char *name = conn_short_name(c, buf, sizeof buf);
            put_owned_text(L, out, x, PX(62), "conn", NULL, (int)i, name);
            x += PX(16 + 8 * (int)strlen(name));
            shown++;
        }
        g_autofree char *more = NULL;
        guint rest = L->conns->len - shown;
        if (flood) {
            more = g_strdup(L->w->flood);
        } else if (rest > 0) {
            more = g_strdup_printf(L->w->more, rest);
        }
        if (more != NULL) {
            svg_text_styled(out, x, PX(62), "conn", NULL, flood ? "fill:" FLOOD_COLOUR : NULL, more);
        }
    }
    svg_text(out, PX(AXIS_X), PX(g->top - 22), "time", "end", L->w->time_axis);
}

static void
format_time(char *buf, size_t cap, sim_time at)
{
    struct strbuf sb;
    sb_init(&sb, buf, cap);
    sb_putu(&sb, (uint64_t)at / 1000000000u);
    sb_putc(&sb, '.');
    uint64_t frac = (uint64_t)at % 1000000000u;
    if (frac % 1000u == 0) {
        sb_putu_pad(&sb, frac / 1000u, 6);
    } else {
        sb_putu_pad(&sb, frac, 9);
    }
}

/* The columns, dashed over idle stretches left out, and the time axis with its ticks. */
static void
put_columns(const struct ladder *L, const struct geom *g, GString *out)
{
    int n = g->r1;
    svg_line(out, PX(AXIS_X + 6), row_y(g, g->r0) - PX(8), PX(AXIS_X + 6),
             row_y(g, n - 1) + PX(8), "axis", NULL);
    int r = g->r0;
    while (r < n) {
        bool gap = g_array_index(L->rows, struct ladder_row, r).gap;
        int e = r;
        while (e + 1 < n && g_array_index(L->rows, struct ladder_row, e + 1).gap == gap) {
            e++;
        }
        int64_t y0 = r == g->r0 ? row_y(g, r) - PX(8) : row_y(g, r) - PX(g->row_h / 2);
        int64_t y1 = e == n - 1 ? row_y(g, e) + PX(8) : row_y(g, e) + PX(g->row_h / 2);
        svg_line(out, PX(g->col[0]), y0, PX(g->col[0]), y1, gap ? "colgap" : "col", NULL);
        svg_line(out, PX(g->col[1]), y0, PX(g->col[1]), y1, gap ? "colgap" : "col", NULL);
        if (L->spoofed) {
            svg_line(out, PX(g->col[2]), y0, PX(g->col[2]), y1, "colgap", NULL);
        }
        for (int k = 1; k < g->lanes; k++) {
            const char *colour = conn_colour(L, k);
            g_autofree char *st = g_strdup_printf("style=\"stroke:%s\"", colour ? colour : "#999999");
            for (int c = 0; c < 2; c++) {
                int x = lane_x(g, c, k);
                svg_line(out, PX(x), y0, PX(x), y1, "lane", st);
            }
        }
        r = e + 1;
    }
    for (r = g->r0; r < n; r++) {
        const struct ladder_row *row = &g_array_index(L->rows, struct ladder_row, r);
        if (row->show_time) {
            char t[32];
            format_time(t, sizeof t, row->at);
            svg_line(out, PX(AXIS_X + 2), row_y(g, r), PX(AXIS_X + 10), row_y(g, r), "axis", NULL);
            svg_text(out, PX(AXIS_X), row_y(g, r) + PX(4), "time", "end", t);
        }
        if (row->gap_len > 0) {
            char len[32];
            struct strbuf sb;
            sb_init(&sb, len, sizeof len);
            view_span(&sb, row->gap_len);
            g_autofree char *t = g_strdup_printf("+%s", len);
            svg_text(out, PX(AXIS_X), row_y(g, r) + PX(4), "gaptext", "end", t);
        }
    }
}

/* The width of `text` in tenths of a pixel, in a monospaced font whose advance is
 * `adv` tenths: wide (CJK) characters count twice. An estimate, for the box behind a
 * label; deterministic, so the bytes never vary. */
static int64_t
text_width(const char *text, int adv)
{
    int64_t w = 0;
    for (const char *p = text; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        w += g_unichar_iswide(c) ? 2 * adv : adv;
    }
    return w;
}

/* The stroke and head of an arrow: black (retransmissions red and dashed), or its
 * connection's colour (retransmissions dashed) when the picture tells them apart. */
static void
arrow_style(const struct ladder *L, const struct ladder_arrow *a, const char **cls,
            GString *extra)
{
    const char *colour = conn_colour(L, a->conn);
    *cls = a->retransmit ? "arrow-rx" : "arrow";
    if (colour == NULL) {
        g_string_append(extra, a->retransmit ? "marker-end=\"url(#head-rx)\"" : "marker-end=\"url(#head)\"");
        return;
    }
    g_string_append_printf(extra, "style=\"stroke:%s\" marker-end=\"url(#%s)\"", colour,
                           marker_of(colour));
}

/* A segment a host sends itself: a loop out of its column and back (a self-connect). */
static void
put_loop(const struct ladder *L, const struct geom *g, const struct ladder_arrow *a, guint i,
         GString *out)
{
    int dir = a->from == LADDER_COL_B ? -1 : 1;
    int64_t x0 = PX(lane_x(g, a->from, a->conn)) + dir * PX(2);
    int64_t xt = PX(lane_x(g, a->from, a->conn)) + dir * PX(60);
    int64_t y0 = row_y(g, a->row0);
    int64_t y1 = row_y(g, a->row1);
    const char *cls;
    g_autoptr(GString) extra = g_string_new(NULL);
    arrow_style(L, a, &cls, extra);
    g_string_append(out, "<polyline points=\"");
    svg_num(out, x0);
    g_string_append_c(out, ',');
    svg_num(out, y0);
    g_string_append_c(out, ' ');
    svg_num(out, xt);
    g_string_append_c(out, ',');
    svg_num(out, y0);
    g_string_append_c(out, ' ');
    svg_num(out, xt);
    g_string_append_c(out, ',');
    svg_num(out, y1);
    g_string_append_c(out, ' ');
    svg_num(out, x0);
    g_string_append_c(out, ',');
    svg_num(out, y1);
    g_autofree char *data = data_attrs(g, "a", i, a->conn);
    g_string_append_printf(out, "\" class=\"%s\" fill=\"none\" %s%s%s/>\n",
                           a->end == LADDER_END_ARRIVAL ? cls : "flight", extra->str,
                           data ? " " : "", data ? data : "");
}

static void
put_arrow(const struct ladder *L, const struct geom *g, const struct ladder_arrow *a, guint i,
          GString *out)
{
    if (a->from == a->to) {
        put_loop(L, g, a, i, out);
        return;
    }
    int64_t x0 = PX(lane_x(g, a->from, a->conn));
    int64_t x1 = PX(lane_x(g, a->to, a->conn));
    int64_t y0 = row_y(g, a->row0);
    int64_t y1 = row_y(g, a->row1);
    const char *cls;
    g_autoptr(GString) extra = g_string_new(NULL);
    arrow_style(L, a, &cls, extra);
    g_autofree char *data = data_attrs(g, "a", i, a->conn);
    if (data != NULL) {
        g_string_append_c(extra, ' ');
        g_string_append(extra, data);
    }
    int dir = x1 > x0 ? 1 : -1;
    switch (a->end) {
    case LADDER_END_ARRIVAL:
        svg_line(out, x0 + dir * PX(2), y0, x1 - dir * PX(2), y1, cls, extra->str);
        break;
    case LADDER_END_DROP: {
        int64_t xm = (x0 + x1) / 2;
        const char *colour = conn_colour(L, a->conn);
        g_autofree char *st = g_strdup_printf("%s%s%s", colour ? "style=\"stroke:" : "",
                                              colour ? colour : "", colour ? "\"" : "");
        g_autofree char *st2 = g_strdup_printf("%s%s%s", st, *st && data ? " " : "",
                                               data ? data : "");
        svg_line(out, x0 + dir * PX(2), y0, xm, y1, cls, *st2 ? st2 : NULL);
        svg_line(out, xm - PX(6), y1 - PX(6), xm + PX(6), y1 + PX(6), "x", data);
        svg_line(out, xm - PX(6), y1 + PX(6), xm + PX(6), y1 - PX(6), "x", data);
        break;
    }
    case LADDER_END_NONE:
        svg_line(out, x0 + dir * PX(2), y0, x1 - dir * PX(40), y1, "flight", data);
        break;
    }
}

/* Labels go on top of every line, so no later arrow hides one. */
static void
put_arrow_label(const struct ladder *L, const struct geom *g, const struct ladder_arrow *a,
                guint i, GString *out)
{
    g_autofree char *data = data_attrs(g, "a", i, a->conn);
    int64_t x0 = PX(lane_x(g, a->from, a->conn));
    int64_t x1 = PX(lane_x(g, a->to, a->conn));
    int dir = a->from == a->to ? (a->from == LADDER_COL_B ? -1 : 1) : x1 > x0 ? 1 : -1;
    int64_t off = a->from == a->to ? PX(66) : PX(10);
    if (row_shown(g, a->row0)) {
        /* A white box behind the label: no arrow strikes through it. */
        int64_t w = text_width(a->label, g->slide ? 96 : 72) + PX(4);
        int64_t x = x0 + dir * off - (dir > 0 ? PX(2) : w - PX(2));
        int64_t h = PX(g->slide ? 19 : 15);
        int64_t y = row_y(g, a->row0) - PX(4) - h + PX(g->slide ? 5 : 4);
        g_string_append(out, "<rect x=\"");
        svg_num(out, x);
        g_string_append(out, "\" y=\"");
        svg_num(out, y);
        g_string_append(out, "\" width=\"");
        svg_num(out, w);
        g_string_append(out, "\" height=\"");
        svg_num(out, h);
        g_string_append_printf(out, "\" class=\"lbg\"%s%s/>\n", data ? " " : "",
                               data ? data : "");
        put_owned_text_ex(L, out, x0 + dir * off, row_y(g, a->row0) - PX(4),
                          a->retransmit ? "seg-rx" : "seg", dir > 0 ? NULL : "end", a->conn, data,
                          a->label);
    }
    if (a->end == LADDER_END_DROP && row_shown(g, a->row1)) {
        int64_t xm = (x0 + x1) / 2;
        svg_text_ex(out, xm + dir * PX(12), row_y(g, a->row1) + PX(4), "drop",
                    dir > 0 ? NULL : "end", NULL, data, a->drop);
    }
}

static const char *const label_class[] = {
    [LADDER_STATE] = "state", [LADDER_TIMER] = "timer", [LADDER_DISCARD] = "discard",
    [LADDER_NOTE] = "note",   [LADDER_APP] = "app",
};

static void
put_labels(const struct ladder *L, const struct geom *g, GString *out)
{
    for (guint i = 0; i < L->labels->len; i++) {
        const struct ladder_label *l = &g_array_index(L->labels, struct ladder_label, i);
        if (!row_shown(g, l->row)) {
            continue;
        }
        int64_t x = l->side == 0 ? PX(g->col[0] - 10)
                                 : PX(g->col[1] + (g->lanes ? (g->lanes - 1) * LANE_GAP : 0) + 10);
        g_autofree char *data = data_attrs(g, "l", i, l->conn);
        put_owned_text_ex(L, out, x, row_y(g, l->row) + PX(4), label_class[l->kind],
                          l->side == 0 ? "end" : NULL, l->kind == LADDER_STATE ? l->conn : -1, data,
                          l->text);
    }
}

/* The key at the bottom; on a slide its items stand 9/8 as far apart, for the bigger type. */
static void
put_legend(const struct ladder *L, const struct geom *g, int height, GString *out)
{
    const char *const *words = L->w->legend;
    int64_t y = PX(height - 24);
    int num = g->slide ? 9 : 1;
    int den = g->slide ? 8 : 1;
#define LX(v) PX((v) * num / den)
    svg_line(out, LX(16), y, LX(16) + PX(40), y, "arrow", "marker-end=\"url(#head)\"");
    svg_text(out, LX(16) + PX(48), y + PX(4), "note", NULL, words[0]);
    svg_line(out, LX(290), y, LX(290) + PX(40), y, "arrow-rx", "marker-end=\"url(#head-rx)\"");
    svg_text(out, LX(290) + PX(48), y + PX(4), "note", NULL, words[1]);
    svg_line(out, LX(540), y - PX(6), LX(540) + PX(12), y + PX(6), "x", NULL);
    svg_line(out, LX(540), y + PX(6), LX(540) + PX(12), y - PX(6), "x", NULL);
    svg_text(out, LX(540) + PX(20), y + PX(4), "note", NULL, words[2]);
    svg_line(out, LX(700), y - PX(8), LX(700), y + PX(8), "colgap", NULL);
    svg_text(out, LX(700) + PX(10), y + PX(4), "note", NULL, words[3]);
#undef LX
}

/* Bigger type for slides: the page is drawn 1.6 times its size (1600 x 900). */
static const char slide_css[] =
    "text{font-size:17px}\n.title{font-size:24px}\n.sub{font-size:14px}\n.host{font-size:20px}\n"
    ".time{font-size:14px}\n.seg,.seg-rx{font-size:16px}\n.drop,.gaptext{font-size:15px}\n"
    ".conn{font-size:15px}\n#legend text{font-size:14px}\n";

/* One picture: rows [g->r0, g->r1) of the ladder; a slide is `page` of `npages`. */
static void
put_page(const struct ladder *L, const struct geom *g, int page, int npages, GString *out)
{
    int n = g->r1 - g->r0 > 0 ? g->r1 - g->r0 : 1;
    int height = g->top + n * g->row_h + BOTTOM;
    const char *title = L->hdr->title ? L->hdr->title : "tcpsim ladder";
    if (g->slide) {
        height = g->width * 9 / 16;
        g_autofree char *all = g_strconcat(css, slide_css, NULL);
        svg_begin_scaled(out, 1600, 900, g->width, height, title, all);
    } else {
        svg_begin(out, g->width, height, title, css);
    }
    put_defs(L, out);
    if (g->slide) {
        g_string_append_printf(out, "<clipPath id=\"page\"><rect x=\"0\" y=\"%d\" width=\"%d\" "
                               "height=\"%d\"/></clipPath>\n",
                               g->top - 12, g->width, height - BOTTOM - g->top + 12);
    }
    put_heading(L, g, out);
    if (npages > 1) {
        g_autofree char *p = g_strdup_printf("%d / %d", page, npages);
        svg_text(out, PX(g->width - 16), PX(26), "sub", "end", p);
    }
    g_string_append(out, "<g id=\"columns\">\n");
    if (ladder_nrows(L) > 0) {
        put_columns(L, g, out);
    }
    /* One line per arrow in this group (and the two strokes of each X): tests count them. */
    g_string_append(out, g->slide ? "</g>\n<g id=\"arrows\" clip-path=\"url(#page)\">\n"
                                  : "</g>\n<g id=\"arrows\">\n");
    for (guint i = 0; i < L->arrows->len; i++) {
        const struct ladder_arrow *a = &g_array_index(L->arrows, struct ladder_arrow, i);
        if (a->row1 >= g->r0 && a->row0 < g->r1) {
            put_arrow(L, g, a, i, out);
        }
    }
    g_string_append(out, "</g>\n<g id=\"labels\">\n");
    for (guint i = 0; i < L->arrows->len; i++) {
        put_arrow_label(L, g, &g_array_index(L->arrows, struct ladder_arrow, i), i, out);
    }
    put_labels(L, g, out);
    g_string_append(out, "</g>\n<g id=\"legend\">\n");
    put_legend(L, g, height, out);
    g_string_append(out, "</g>\n");
    svg_end(out);
}

void
ladder_svg(const struct ladder *L, GString *out)
{
    struct geom g = geom_of(L, false);
    put_page(L, &g, 1, 1, out);
}

void
ladder_svg_interactive(const struct ladder *L, GString *out)
{
    struct geom g = geom_of(L, false);
    g.interactive = true;
    put_page(L, &g, 1, 1, out);
}

GPtrArray *
ladder_svg_slides(const struct ladder *L)
{
    struct geom g = geom_of(L, true);
    int per_page = (g.width * 9 / 16 - g.top - BOTTOM) / g.row_h;
    int n = ladder_nrows(L);
    int npages = n > 0 ? (n + per_page - 1) / per_page : 1;
    GPtrArray *pages = g_ptr_array_new();
    for (int p = 0; p < npages; p++) {
        GString *out = g_string_new(NULL);
        g.r0 = p * per_page;
        g.r1 = g.r0 + per_page < n ? g.r0 + per_page : n;
        put_page(L, &g, p + 1, npages, out);
        g_ptr_array_add(pages, out);
    }
    return pages;
}
