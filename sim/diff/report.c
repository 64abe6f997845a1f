/* SPDX-License-Identifier: MIT */
/*
 * report.c: what `tcpsim diff` prints.
 *
 * Entry point: report_print(). The first divergence comes with the events before it
 * (aligned, so both line numbers are shown) and the differing lines, "-" for A and "+"
 * for B, and for a changed segment the fields that differ with both values; then, with
 * --all, one line per divergence; then counts by kind. Line numbers are the inputs'.
 */
#include <tcpsim/units.h>

#include "report.h"

enum row {
    ROW_MISSING_SEG,
    ROW_EXTRA_SEG,
    ROW_MISSING_EV,
    ROW_EXTRA_EV,
    ROW_ENDPOINTS,
    ROW_FLAGS,
    ROW_SEQ,
    ROW_ACK,
    ROW_WIN,
    ROW_URG,
    ROW_OPTIONS,
    ROW_LEN,
    ROW_ANNOTATION,
    ROW_STATE,
    ROW_TIMER,
    ROW_APP,
    ROW_EXPECT,
    ROW_NOTE,
    ROW_CC,
    ROW_SS,
    ROW_TIME,
    ROW_N
};

static const char *const row_names[ROW_N] = {
    [ROW_MISSING_SEG] = "missing segment",
    [ROW_EXTRA_SEG] = "extra segment",
    [ROW_MISSING_EV] = "missing event",
    [ROW_EXTRA_EV] = "extra event",
    [ROW_ENDPOINTS] = "different endpoints",
    [ROW_FLAGS] = "different flags",
    [ROW_SEQ] = "different seq",
    [ROW_ACK] = "different ack",
    [ROW_WIN] = "different win",
    [ROW_URG] = "different urg",
    [ROW_OPTIONS] = "different options",
    [ROW_LEN] = "different length",
    [ROW_ANNOTATION] = "different annotation",
    [ROW_STATE] = "different state",
    [ROW_TIMER] = "different timer",
    [ROW_APP] = "different app result",
    [ROW_EXPECT] = "different expect",
    [ROW_NOTE] = "different note",
    [ROW_CC] = "different cc",
    [ROW_SS] = "different ss",
    [ROW_TIME] = "timing shift",
};

/* Segment fields in row order (FLD_ENDPOINTS .. FLD_ANNOTATION are bits 0..8). */
static enum row
body_row(enum dev_kind k)
{
    switch (k) {
    case DEV_STATE:
        return ROW_STATE;
    case DEV_TIMER:
        return ROW_TIMER;
    case DEV_APP:
        return ROW_APP;
    case DEV_EXPECT:
        return ROW_EXPECT;
    case DEV_NOTE:
        return ROW_NOTE;
    case DEV_CC:
        return ROW_CC;
    case DEV_SS:
        return ROW_SS;
    case DEV_SENT:
    case DEV_DELIVERED:
    case DEV_DROPPED:
    case DEV_DISCARDED:
    case DEV_CAPTURED:
    case DEV_NKINDS:
        break;
    }
    return ROW_NOTE;
}

static const struct dev *
side_dev(const struct view *v, int64_t i)
{
    return i >= 0 && i < (int64_t)v->items->len ? view_dev(v, (guint)i) : NULL;
}

/* The rows one divergence counts in. */
static uint32_t
rows_of(const struct report *r, const struct step *s)
{
    const struct dev *e = s->a >= 0 ? side_dev(r->va, s->a) : side_dev(r->vb, s->b);
    bool seg = dev_is_segment(e->kind);
    switch (s->type) {
    case DIV_MISSING:
        return 1u << (seg ? ROW_MISSING_SEG : ROW_MISSING_EV);
    case DIV_EXTRA:
        return 1u << (seg ? ROW_EXTRA_SEG : ROW_EXTRA_EV);
    case DIV_CHANGED:
    case DIV_TIMING:
        break;
    }
    uint32_t rows = 0;
    for (unsigned f = 0; f <= 8; f++) {
        rows |= (s->fields & (1u << f)) ? 1u << (ROW_ENDPOINTS + f) : 0;
    }
    rows |= (s->fields & FLD_BODY) ? 1u << body_row(e->kind) : 0;
    rows |= (s->fields & FLD_TIME) ? 1u << ROW_TIME : 0;
    return rows;
}

static void
put_rows(GString *s, uint32_t rows)
{
    for (unsigned r = 0; r < ROW_N; r++) {
        if (rows & (1u << r)) {
            g_string_append_printf(s, "%s%s", s->len ? ", " : "", row_names[r]);
        }
    }
}

/* "name:line", or "name:end" past the last event. */
static void
put_where(GString *s, const struct view *v, int64_t i)
{
    const struct dev *e = side_dev(v, i);
    if (e != NULL) {
        g_string_append_printf(s, "%s:%u", v->t->name, e->line);
    } else {
        g_string_append_printf(s, "%s:end", v->t->name);
    }
}

static char *
signed_time(int64_t ns)
{
    g_autofree char *t = tcpsim_format_time(ns < 0 ? -ns : ns);
    return g_strdup_printf("%s%s", ns < 0 ? "-" : "+", t);
}

/* "first divergence: a.trace:23, b.trace:23: missing segment" */
static void
put_headline(GString *s, const struct report *r, const struct step *st)
{
    GString *rows = g_string_new(NULL);
    put_rows(rows, rows_of(r, st));
    put_where(s, r->va, st->a >= 0 ? st->a : st->next_a);
    g_string_append(s, ", ");
    put_where(s, r->vb, st->b >= 0 ? st->b : st->next_b);
    g_string_append_printf(s, ": %s", rows->str);
    g_string_free(rows, TRUE);
}

static void
put_line(FILE *out, const char *mark, const struct view *v, int64_t i)
{
    const struct dev *e = side_dev(v, i);
    fprintf(out, "  %s %s:%u  %s\n", mark, v->t->name, e->line, e->text);
}

static void
put_context(FILE *out, const struct report *r, const struct step *st)
{
    const struct dev *a = side_dev(r->va, st->a);
    const struct dev *b = side_dev(r->vb, st->b);
    fprintf(out, "    %s:%u = %s:%u  %s\n", r->va->t->name, a->line, r->vb->t->name, b->line,
            a->text);
}

void
report_print(const struct report *r, FILE *out)
{
    const struct comparison *c = r->cmp;
    if (c->first < 0) {
        fprintf(out, "%s and %s agree: %u events compared\n", r->va->t->name, r->vb->t->name,
                r->va->items->len);
        return;
    }
    fprintf(out,
            "%s and %s differ: %" G_GUINT64_FORMAT " divergence%s (%u and %u events "
            "compared)\n",
            r->va->t->name, r->vb->t->name, c->divergences, c->divergences == 1 ? "" : "s",
            r->va->items->len, r->vb->items->len);
    const struct step *st = &g_array_index(c->steps, struct step, c->first);
    GString *s = g_string_new("first divergence at ");
    put_headline(s, r, st);
    fprintf(out, "%s\n", s->str);
    int64_t from = c->first - (int64_t)r->context;
    for (int64_t i = from < 0 ? 0 : from; i < c->first; i++) {
        put_context(out, r, &g_array_index(c->steps, struct step, i));
    }
    if (st->a >= 0) {
        put_line(out, "-", r->va, st->a);
    }
    if (st->b >= 0) {
        put_line(out, "+", r->vb, st->b);
    }
    g_string_truncate(s, 0);
    report_put_fields(s, r, st);
    if (s->len) {
        fprintf(out, "    %s\n", s->str);
    }
    if (r->all) {
        fprintf(out, "all divergences:\n");
        for (guint i = 0; i < c->steps->len; i++) {
            const struct step *x = &g_array_index(c->steps, struct step, i);
            if (!x->diverges) {
                continue;
            }
            g_string_truncate(s, 0);
            put_headline(s, r, x);
            g_string_append(s, "; ");
            report_put_fields(s, r, x);
            fprintf(out, "  %s\n", s->str);
        }
    }
    g_string_free(s, TRUE);
    report_put_summary(r, out);
}

void
report_put_summary(const struct report *r, FILE *out)
{
    uint64_t count[ROW_N] = {0};
    int64_t largest = 0;
    const struct comparison *c = r->cmp;
    for (guint i = 0; i < c->steps->len; i++) {
        const struct step *x = &g_array_index(c->steps, struct step, i);
        if (!x->diverges) {
            continue;
        }
        uint32_t rows = rows_of(r, x);
        for (unsigned k = 0; k < ROW_N; k++) {
            count[k] += (rows >> k) & 1u;
        }
        if (x->fields & FLD_TIME) {
            int64_t d = view_item(r->vb, (guint)x->b)->at - view_item(r->va, (guint)x->a)->at;
            largest = (d < 0 ? -d : d) > (largest < 0 ? -largest : largest) ? d : largest;
        }
    }
    fprintf(out, "summary (a divergence may count in more than one row):\n");
    for (unsigned k = 0; k < ROW_N; k++) {
        if (count[k] == 0) {
            continue;
        }
        fprintf(out, "  %-22s %8" G_GUINT64_FORMAT, row_names[k], count[k]);
        if (k == ROW_TIME) {
            g_autofree char *t = signed_time(largest);
            fprintf(out, "   largest %s", t);
        }
        fputc('\n', out);
    }
}
