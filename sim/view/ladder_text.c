/* SPDX-License-Identifier: MIT */
/*
 * ladder_text.c: the ladder as text for a terminal, at most 100 columns wide.
 *
 * Entry point: ladder_text(). Layout of a line:
 *
 *   TIME  LABELS-OF-A |  the link: arrows and their labels  | LABELS-OF-B
 *
 * An arrow descends one piece per row: "\____" going right, "____/" going left, with
 * its head (">" or "<") at the receiver's column, or an X mid-link where the link lost
 * it. Arrows that cross (a reordering, a segment overtaking another) cross on screen.
 * Where two things want the same cell, a head or an X beats a label, and a label beats
 * the body of an arrow.
 */
#include <string.h>
#include "../trace/strbuf.h"
#include "ladder.h"
#include "span.h"
#include "words.h"

#define WIDTH 100

enum { PRIO_LINE = 1, PRIO_BODY = 2, PRIO_TEXT = 3, PRIO_HEAD = 4 };

/* A cell holds a character; a wide (CJK) one takes its cell and the next, which holds
 * WIDE_REST. */
#define WIDE_REST ((gunichar)0xFFFFFFFFu)

struct canvas {
    int nrows;
    gunichar *c;
    uint8_t *prio;
    int tw; /* time column width */
    int xa; /* A's column */
    int xb; /* B's column */
    int xs; /* the spoofed sources' column, or -1 */
};

static int
col_x(const struct canvas *cv, int col)
{
    return col == LADDER_COL_A ? cv->xa : col == LADDER_COL_B ? cv->xb : cv->xs;
}

static void
put(struct canvas *cv, int r, int x, gunichar ch, int prio)
{
    if (r < 0 || r >= cv->nrows || x < 0 || x >= WIDTH) {
        return;
    }
    size_t i = (size_t)r * WIDTH + (size_t)x;
    if (prio >= cv->prio[i]) {
        cv->c[i] = ch;
        cv->prio[i] = (uint8_t)prio;
    }
}

/* Writes the first `cols` columns of `s` from column x. */
static void
put_cols(struct canvas *cv, int r, int x, const char *s, int cols, int prio)
{
    int w = 0;
    for (const char *p = s; *p && w < cols; p = g_utf8_next_char(p)) {
        gunichar ch = g_utf8_get_char(p);
        bool wide = g_unichar_iswide(ch);
        if (wide && w + 2 > cols) {
            break;
        }
        put(cv, r, x + w, ch, prio);
        if (wide) {
            put(cv, r, x + w + 1, WIDE_REST, prio);
        }
        w += wide ? 2 : 1;
    }
}

/* Writes `s` from column x, never past column `xmax` (a longer text ends in ".."). */
static void
put_text(struct canvas *cv, int r, int x, const char *s, int xmax, int prio)
{
    int n = view_text_width(s);
    if (x + n - 1 > xmax) {
        n = xmax - x + 1 - 2;
        if (n < 0) {
            return;
        }
        put(cv, r, x + n, '.', prio);
        put(cv, r, x + n + 1, '.', prio);
    }
    put_cols(cv, r, x, s, n, prio);
}

/* Writes `s` so that it ends at column `xend`, never left of `xmin`. */
static void
put_text_right(struct canvas *cv, int r, int xend, const char *s, int xmin, int prio)
{
    int n = view_text_width(s);
    if (xend - n + 1 < xmin) {
        n = xend - xmin + 1;
        if (n < 2) {
            return;
        }
        put_text(cv, r, xmin, s, xend, prio); /* cut on the right, like any other */
        return;
    }
    put_text(cv, r, xend - n + 1, s, xend, prio);
}

/* Times with six decimals, or nine when some event is not on a whole microsecond. */
static int
time_decimals(const struct ladder *L)
{
    for (int i = 0; i < ladder_nrows(L); i++) {
        const struct ladder_row *r = &g_array_index(L->rows, struct ladder_row, i);
        if (r->show_time && r->at % 1000 != 0) {
            return 9;
        }
    }
    return 6;
}

static void
format_time(char *buf, size_t cap, sim_time at, int decimals)
{
    struct strbuf sb;
    sb_init(&sb, buf, cap);
    sb_putu(&sb, (uint64_t)at / 1000000000u);
    sb_putc(&sb, '.');
    uint64_t frac = (uint64_t)at % 1000000000u;
    sb_putu_pad(&sb, decimals == 6 ? frac / 1000u : frac, decimals);
}

/* What the time column says beside an idle stretch left out: "+59.99 s". */
static void
gap_text(char *buf, size_t cap, sim_time len)
{
    struct strbuf sb;
    sb_init(&sb, buf, cap);
    sb_putc(&sb, '+');
    view_span(&sb, len);
}

static int
time_width(const struct ladder *L, int decimals)
{
    int w = 4; /* "time" */
    for (int i = 0; i < ladder_nrows(L); i++) {
        const struct ladder_row *r = &g_array_index(L->rows, struct ladder_row, i);
        char t[32];
        t[0] = '\0';
        if (r->show_time) {
            format_time(t, sizeof t, r->at, decimals);
        } else if (r->gap_len > 0) {
            gap_text(t, sizeof t, r->gap_len);
        }
        w = (int)strlen(t) > w ? (int)strlen(t) : w;
    }
    return w;
}

static void
draw_rows(struct canvas *cv, const struct ladder *L, int decimals)
{
    for (int r = 0; r < cv->nrows; r++) {
        const struct ladder_row *row = &g_array_index(L->rows, struct ladder_row, r);
        put(cv, r, cv->xa, row->gap ? ':' : '|', PRIO_LINE);
        put(cv, r, cv->xb, row->gap ? ':' : '|', PRIO_LINE);
        if (cv->xs >= 0) {
            put(cv, r, cv->xs, ':', PRIO_LINE);
        }
        if (row->show_time) {
            char t[32];
            format_time(t, sizeof t, row->at, decimals);
            put_text_right(cv, r, cv->tw - 1, t, 0, PRIO_TEXT);
        }
        if (row->gap_len > 0) {
            char t[32];
            gap_text(t, sizeof t, row->gap_len);
            put_text_right(cv, r, cv->tw - 1, t, 0, PRIO_TEXT);
        }
    }
}

/* Columns [lo, hi] (offsets from the start of the arrow) of piece i of n over w. */
static void
piece(int i, int n, int w, int *lo, int *hi)
{
    *lo = (int)((int64_t)i * w / n);
    *hi = (int)((int64_t)(i + 1) * w / n) - 1;
    if (*hi < *lo) {
        *hi = *lo; /* steeper than one column a row */
    }
}

/* A segment a host sends to itself: out to the right of its column and back,
 *   |--- label --.
 *   |<-----------'
 */
static void
draw_loop(struct canvas *cv, const struct ladder_arrow *a)
{
    int x0 = col_x(cv, a->from);
    int dir = a->from == LADDER_COL_B ? -1 : 1;
    int w = 6;
    int turn = x0 + dir * (w + 1);
    for (int k = 1; k <= w; k++) {
        put(cv, a->row0, x0 + dir * k, '-', PRIO_BODY);
    }
    put(cv, a->row0, turn, '.', PRIO_BODY);
    for (int r = a->row0 + 1; r < a->row1; r++) {
        put(cv, r, turn, '|', PRIO_BODY);
    }
    if (a->end == LADDER_END_ARRIVAL) {
        for (int k = 1; k <= w; k++) {
            put(cv, a->row1, x0 + dir * k, k == 1 ? (dir > 0 ? '<' : '>') : '-',
                k == 1 ? PRIO_HEAD : PRIO_BODY);
        }
        put(cv, a->row1, turn, '\'', PRIO_BODY);
    }
    g_autofree char *padded = g_strdup_printf(" %s ", a->label);
    if (dir > 0) {
        put_text(cv, a->row0, turn + 1, padded, cv->xb - 1, PRIO_TEXT);
    } else {
        put_text_right(cv, a->row0, turn - 1, padded, cv->xa + 1, PRIO_TEXT);
    }
}

static void
draw_arrow(struct canvas *cv, const struct ladder_arrow *a)
{
    if (a->from == a->to) {
        draw_loop(cv, a);
        return;
    }
    int xf = col_x(cv, a->from);
    int xt = col_x(cv, a->to);
    bool right = xt > xf;
    int left_x = (right ? xf : xt) + 1;
    int right_x = (right ? xt : xf) - 1;
    int mid = (left_x + right_x) / 2;
    int start = right ? left_x : right_x; /* first cell, next to the sender */
    int end = right ? right_x : left_x;
    if (a->end == LADDER_END_DROP) {
        end = mid;
    }
    int w = (right ? end - start : start - end) + 1;
    int n = a->row1 - a->row0 + 1;
    int lo = 0;
    int hi = 0;
    for (int i = 0; i < n; i++) {
        piece(i, n, w, &lo, &hi);
        for (int k = lo; k <= hi; k++) {
            char ch = k == lo ? (right ? '\\' : '/') : '_';
            put(cv, a->row0 + i, right ? start + k : start - k, ch, PRIO_BODY);
        }
    }
    int tip = right ? start + hi : start - hi;
    if (a->end == LADDER_END_ARRIVAL) {
        put(cv, a->row1, tip, right ? '>' : '<', PRIO_HEAD);
    } else if (a->end == LADDER_END_DROP) {
        put(cv, a->row1, tip, 'X', PRIO_HEAD);
        if (right) {
            put_text(cv, a->row1, tip + 2, a->drop, right_x, PRIO_TEXT);
        } else {
            put_text_right(cv, a->row1, tip - 2, a->drop, left_x, PRIO_TEXT);
        }
    }
    /* The label goes on the sending's row, just past the first piece, with a blank on
     * either side so that a neighbouring arrow does not run into it. */
    int first_lo = 0;
    int first_hi = 0;
    piece(0, n, w, &first_lo, &first_hi);
    g_autofree char *padded = g_strdup_printf(" %s ", a->label);
    int len = view_text_width(padded);
    /* A label too long for the room past the first piece moves back over it (a label
     * beats the body of an arrow), as far as the sender's column. */
    if (right) {
        int x = start + first_hi + 1;
        if (x + len - 1 > right_x) {
            x = MAX(start + 1, right_x - len + 1);
        }
        put_text(cv, a->row0, x, padded, right_x, PRIO_TEXT);
    } else {
        int x = start - first_hi - 1;
        if (x - len + 1 < left_x) {
            x = MIN(start - 1, left_x + len - 1);
        }
        put_text_right(cv, a->row0, x, padded, left_x, PRIO_TEXT);
    }
}

static void
draw_labels(struct canvas *cv, const struct ladder *L)
{
    for (guint i = 0; i < L->labels->len; i++) {
        const struct ladder_label *l = &g_array_index(L->labels, struct ladder_label, i);
        if (l->side == 0) {
            put_text_right(cv, l->row, cv->xa - 2, l->text, cv->tw + 1, PRIO_TEXT);
        } else {
            put_text(cv, l->row, cv->xb + 2, l->text, WIDTH - 1, PRIO_TEXT);
        }
    }
}

/* One row of cells as UTF-8, without trailing blanks. */
static void
append_row(GString *out, const gunichar *c, size_t n)
{
    while (n > 0 && c[n - 1] == ' ') {
        n--;
    }
    for (size_t i = 0; i < n; i++) {
        if (c[i] != WIDE_REST) {
            g_string_append_unichar(out, c[i]);
        }
    }
    g_string_append_c(out, '\n');
}

static void
append_line(GString *out, const char *s, size_t n)
{
    while (n > 0 && s[n - 1] == ' ') {
        n--;
    }
    g_string_append_len(out, s, (gssize)n);
    g_string_append_c(out, '\n');
}

static void
put_header(const struct ladder *L, const struct canvas *cv, GString *out)
{
    const struct rec_header *h = L->hdr;
    g_string_append(out, "# tcpsim ladder v1\n");
    if (h->scenario) {
        g_string_append_printf(out, "# scenario %s\n", h->scenario);
    }
    if (h->title) {
        g_string_append_printf(out, "# title \"%s\"\n", h->title);
    }
    g_string_append_printf(out, "# seed %" G_GUINT64_FORMAT "\n", h->seed);
    g_string_append_printf(out, "# sequence numbers %s\n",
                           L->absolute ? "absolute" : "relative to each side's ISN");
    if (ladder_many(L)) {
        g_string_append_printf(out, L->w->conns, L->conns->len);
        for (guint i = 0; i < L->conns->len && i < 8; i++) {
            const struct conn_info *c = g_ptr_array_index(L->conns, i);
            char buf[16];
            char ep[TCPSIM_ADDR_STRLEN + 8];
            struct strbuf sb;
            sb_init(&sb, ep, sizeof ep);
            sb_put_ip(&sb, &c->addr[0]);
            sb_putc(&sb, '.');
            sb_putu(&sb, c->port[0]);
            g_string_append_printf(out, "%s [%s] %s", i ? "," : "", conn_short_name(c, buf, sizeof buf),
                                   ep);
        }
        if (L->conns->len > 8) {
            g_string_append_c(out, ' ');
            g_string_append_printf(out, L->w->more, L->conns->len - 8);
        }
        g_string_append_c(out, '\n');
    }
    if (L->spoofed) {
        g_string_append(out, "# flood traffic is drawn from its spoofed sources (the column at the left)\n");
    }
    if (L->others) {
        g_string_append(out, "# only hosts A and B are drawn: events of other hosts are left out\n");
    }
    char line[WIDTH + 1];
    memset(line, ' ', WIDTH);
    line[WIDTH] = '\0';
    memcpy(line + cv->tw - 4, "time", 4);
    for (int s = 0; s < 2; s++) {
        int h_i = L->host[s];
        char ip[TCPSIM_ADDR_STRLEN];
        struct strbuf sb;
        sb_init(&sb, ip, sizeof ip);
        struct tcpsim_addr none = ip_v4(0);
        sb_put_ip(&sb, h->nhosts ? &h->host_addrs[h_i] : &none);
        g_autofree char *name =
            g_strdup_printf("%s %s", h->nhosts ? h->host_names[h_i] : "?", ip);
        int n = (int)strlen(name);
        int x = s == 0 ? cv->xa - n + 1 : cv->xb;
        if (x >= 0 && x + n <= WIDTH) {
            memcpy(line + x, name, (size_t)n);
        }
    }
    append_line(out, line, WIDTH);
    if (cv->xs >= 0) {
        g_string_append_printf(out, "%*s%s\n", cv->xs, "", L->w->spoofed);
    }
}

void
ladder_text(const struct ladder *L, GString *out)
{
    int decimals = time_decimals(L);
    struct canvas cv = {.nrows = ladder_nrows(L)};
    cv.tw = time_width(L, decimals);
    cv.xa = cv.tw + 1 + LADDER_LABEL_COLS + 1;
    cv.xb = WIDTH - LADDER_LABEL_COLS - 2;
    cv.xs = L->spoofed ? cv.tw + 2 : -1;
    cv.c = g_new(gunichar, (size_t)cv.nrows * WIDTH + 1);
    cv.prio = g_malloc0((size_t)cv.nrows * WIDTH + 1);
    for (size_t i = 0; i < (size_t)cv.nrows * WIDTH; i++) {
        cv.c[i] = ' ';
    }

    draw_rows(&cv, L, decimals);
    for (guint i = 0; i < L->arrows->len; i++) {
        draw_arrow(&cv, &g_array_index(L->arrows, struct ladder_arrow, i));
    }
    draw_labels(&cv, L);

    put_header(L, &cv, out);
    for (int r = 0; r < cv.nrows; r++) {
        append_row(out, cv.c + (size_t)r * WIDTH, WIDTH);
    }
    g_string_append_printf(out, "\n%s\n%s\n", L->w->text_legend[0], L->w->text_legend[1]);
    g_free(cv.c);
    g_free(cv.prio);
}
