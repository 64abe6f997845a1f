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
#define ROW_H 20
#define TOP 96
#define AXIS_X 96   /* the time axis */
#define BOTTOM 64

/* Where each column stands, and the picture's width: the spoofed sources' column, when
 * there is one, left of A's. */
struct geom {
    int col[LADDER_NCOLS];
    int width;
};

static struct geom
geom_of(const struct ladder *L)
{
    if (L->spoofed) {
        return (struct geom){{400, 900, 170}, 1120};
    }
    return (struct geom){{280, 780, -1}, 1000};
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
    "text{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;font-size:13px;fill:#1b1b1b;"
    "paint-order:stroke;stroke:#ffffff;stroke-width:3px;stroke-linejoin:round}\n"
    ".title{font-size:17px;font-weight:bold}\n"
    ".sub{font-size:12px;fill:#555555}\n"
    ".host{font-size:15px;font-weight:bold}\n"
    ".time{font-family:'DejaVu Sans Mono',Menlo,Consolas,monospace;font-size:11px;fill:#555555}\n"
    ".seg{font-family:'DejaVu Sans Mono',Menlo,Consolas,monospace;font-size:12px}\n"
    ".seg-rx{font-family:'DejaVu Sans Mono',Menlo,Consolas,monospace;font-size:12px;fill:#c0392b}\n"
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
    ".conn{font-family:'DejaVu Sans Mono',Menlo,Consolas,monospace;font-size:12px;font-weight:bold}\n";

static int64_t
row_y(int row)
{
    return PX(TOP + row * ROW_H);
}

/* `text` in the colour of its connection, when the picture tells them apart. */
static void
put_owned_text(const struct ladder *L, GString *out, int64_t x, int64_t y, const char *cls,
               const char *anchor, int conn, const char *text)
{
    const char *colour = conn_colour(L, conn);
    if (colour == NULL) {
        svg_text(out, x, y, cls, anchor, text);
        return;
    }
    g_autofree char *style = g_strdup_printf("fill:%s", colour);
    svg_text_styled(out, x, y, cls, anchor, style, text);
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
        "%s%sseed %" G_GUINT64_FORMAT "; sequence numbers %s", h->scenario ? h->scenario : "",
        h->scenario ? ", " : "", h->seed, L->absolute ? "absolute" : "relative to each ISN");
    svg_text(out, PX(16), PX(46), "sub", NULL, sub);
    for (int s = 0; s < 2; s++) {
        int i = L->host[s];
        char ip[16];
        struct strbuf sb;
        sb_init(&sb, ip, sizeof ip);
        sb_put_ip(&sb, h->nhosts ? h->host_addrs[i] : 0);
        g_autofree char *name = g_strdup_printf("%s  %s", h->nhosts ? h->host_names[i] : "?", ip);
        svg_text(out, PX(g->col[s]), PX(TOP - 22), "host", "middle", name);
    }
    if (L->spoofed) {
        svg_text(out, PX(g->col[LADDER_COL_SPOOFED]), PX(TOP - 22), "host", "middle",
                 "spoofed sources");
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
            more = g_strdup("grey: flood traffic");
        } else if (rest > 0) {
            more = g_strdup_printf("and %u more", rest);
        }
        if (more != NULL) {
            svg_text_styled(out, x, PX(62), "conn", NULL, flood ? "fill:" FLOOD_COLOUR : NULL, more);
        }
    }
    svg_text(out, PX(AXIS_X), PX(TOP - 22), "time", "end", "time (s)");
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
    int n = ladder_nrows(L);
    svg_line(out, PX(AXIS_X + 6), row_y(0) - PX(8), PX(AXIS_X + 6), row_y(n - 1) + PX(8), "axis",
             NULL);
    int r = 0;
    while (r < n) {
        bool gap = g_array_index(L->rows, struct ladder_row, r).gap;
        int e = r;
        while (e + 1 < n && g_array_index(L->rows, struct ladder_row, e + 1).gap == gap) {
            e++;
        }
        int64_t y0 = r == 0 ? row_y(0) - PX(8) : row_y(r) - PX(ROW_H / 2);
        int64_t y1 = e == n - 1 ? row_y(e) + PX(8) : row_y(e) + PX(ROW_H / 2);
        svg_line(out, PX(g->col[0]), y0, PX(g->col[0]), y1, gap ? "colgap" : "col", NULL);
        svg_line(out, PX(g->col[1]), y0, PX(g->col[1]), y1, gap ? "colgap" : "col", NULL);
        if (L->spoofed) {
            svg_line(out, PX(g->col[2]), y0, PX(g->col[2]), y1, "colgap", NULL);
        }
        r = e + 1;
    }
    for (r = 0; r < n; r++) {
        const struct ladder_row *row = &g_array_index(L->rows, struct ladder_row, r);
        if (row->show_time) {
            char t[32];
            format_time(t, sizeof t, row->at);
            svg_line(out, PX(AXIS_X + 2), row_y(r), PX(AXIS_X + 10), row_y(r), "axis", NULL);
            svg_text(out, PX(AXIS_X), row_y(r) + PX(4), "time", "end", t);
        }
        if (row->gap_len > 0) {
            char len[32];
            struct strbuf sb;
            sb_init(&sb, len, sizeof len);
            view_span(&sb, row->gap_len);
            g_autofree char *t = g_strdup_printf("+%s", len);
            svg_text(out, PX(AXIS_X), row_y(r) + PX(4), "gaptext", "end", t);
        }
    }
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
put_loop(const struct ladder *L, const struct geom *g, const struct ladder_arrow *a, GString *out)
{
    int dir = a->from == LADDER_COL_B ? -1 : 1;
    int64_t x0 = PX(g->col[a->from]) + dir * PX(2);
    int64_t xt = PX(g->col[a->from]) + dir * PX(60);
    int64_t y0 = row_y(a->row0);
    int64_t y1 = row_y(a->row1);
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
    g_string_append_printf(out, "\" class=\"%s\" fill=\"none\" %s/>\n",
                           a->end == LADDER_END_ARRIVAL ? cls : "flight", extra->str);
}

static void
put_arrow(const struct ladder *L, const struct geom *g, const struct ladder_arrow *a,
          GString *out)
{
    if (a->from == a->to) {
        put_loop(L, g, a, out);
        return;
    }
    int64_t x0 = PX(g->col[a->from]);
    int64_t x1 = PX(g->col[a->to]);
    int64_t y0 = row_y(a->row0);
    int64_t y1 = row_y(a->row1);
    const char *cls;
    g_autoptr(GString) extra = g_string_new(NULL);
    arrow_style(L, a, &cls, extra);
    int dir = x1 > x0 ? 1 : -1;
    switch (a->end) {
    case LADDER_END_ARRIVAL:
        svg_line(out, x0 + dir * PX(2), y0, x1 - dir * PX(2), y1, cls, extra->str);
        break;
    case LADDER_END_DROP: {
        int64_t xm = (x0 + x1) / 2;
        const char *colour = conn_colour(L, a->conn);
        g_autofree char *st = colour ? g_strdup_printf("style=\"stroke:%s\"", colour) : NULL;
        svg_line(out, x0 + dir * PX(2), y0, xm, y1, cls, st);
        svg_line(out, xm - PX(6), y1 - PX(6), xm + PX(6), y1 + PX(6), "x", NULL);
        svg_line(out, xm - PX(6), y1 + PX(6), xm + PX(6), y1 - PX(6), "x", NULL);
        break;
    }
    case LADDER_END_NONE:
        svg_line(out, x0 + dir * PX(2), y0, x1 - dir * PX(40), y1, "flight", NULL);
        break;
    }
}

/* Labels go on top of every line, so no later arrow hides one. */
static void
put_arrow_label(const struct ladder *L, const struct geom *g, const struct ladder_arrow *a,
                GString *out)
{
    int64_t x0 = PX(g->col[a->from]);
    int64_t x1 = PX(g->col[a->to]);
    int dir = a->from == a->to ? (a->from == LADDER_COL_B ? -1 : 1) : x1 > x0 ? 1 : -1;
    int64_t off = a->from == a->to ? PX(66) : PX(10);
    put_owned_text(L, out, x0 + dir * off, row_y(a->row0) - PX(4),
                   a->retransmit ? "seg-rx" : "seg", dir > 0 ? NULL : "end", a->conn, a->label);
    if (a->end == LADDER_END_DROP) {
        int64_t xm = (x0 + x1) / 2;
        svg_text(out, xm + dir * PX(12), row_y(a->row1) + PX(4), "drop", dir > 0 ? NULL : "end",
                 a->drop);
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
        int64_t x = l->side == 0 ? PX(g->col[0] - 10) : PX(g->col[1] + 10);
        put_owned_text(L, out, x, row_y(l->row) + PX(4), label_class[l->kind],
                       l->side == 0 ? "end" : NULL, l->kind == LADDER_STATE ? l->conn : -1,
                       l->text);
    }
}

static void
put_legend(int height, GString *out)
{
    int64_t y = PX(height - 24);
    svg_line(out, PX(16), y, PX(56), y, "arrow", "marker-end=\"url(#head)\"");
    svg_text(out, PX(64), y + PX(4), "note", NULL, "a segment, sending to arrival");
    svg_line(out, PX(290), y, PX(330), y, "arrow-rx", "marker-end=\"url(#head-rx)\"");
    svg_text(out, PX(338), y + PX(4), "note", NULL, "a retransmission or probe");
    svg_line(out, PX(540), y - PX(6), PX(552), y + PX(6), "x", NULL);
    svg_line(out, PX(540), y + PX(6), PX(552), y - PX(6), "x", NULL);
    svg_text(out, PX(560), y + PX(4), "note", NULL, "lost on the link");
    svg_line(out, PX(700), y - PX(8), PX(700), y + PX(8), "colgap", NULL);
    svg_text(out, PX(710), y + PX(4), "note", NULL, "idle time left out");
}

void
ladder_svg(const struct ladder *L, GString *out)
{
    struct geom g = geom_of(L);
    int n = ladder_nrows(L) > 0 ? ladder_nrows(L) : 1;
    int height = TOP + n * ROW_H + BOTTOM;
    const char *title = L->hdr->title ? L->hdr->title : "tcpsim ladder";
    svg_begin(out, g.width, height, title, css);
    put_defs(L, out);
    put_heading(L, &g, out);
    g_string_append(out, "<g id=\"columns\">\n");
    if (ladder_nrows(L) > 0) {
        put_columns(L, &g, out);
    }
    /* One line per arrow in this group (and the two strokes of each X): tests count them. */
    g_string_append(out, "</g>\n<g id=\"arrows\">\n");
    for (guint i = 0; i < L->arrows->len; i++) {
        put_arrow(L, &g, &g_array_index(L->arrows, struct ladder_arrow, i), out);
    }
    g_string_append(out, "</g>\n<g id=\"labels\">\n");
    for (guint i = 0; i < L->arrows->len; i++) {
        put_arrow_label(L, &g, &g_array_index(L->arrows, struct ladder_arrow, i), out);
    }
    put_labels(L, &g, out);
    g_string_append(out, "</g>\n<g id=\"legend\">\n");
    put_legend(height, out);
    g_string_append(out, "</g>\n");
    svg_end(out);
}
