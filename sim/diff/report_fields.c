/* SPDX-License-Identifier: MIT */
/*
 * report_fields.c: the values of the fields that differ, A's then B's.
 *
 * Entry point: report_put_fields(). Values are printed as the trace prints them
 * (numbers relative to the ISNs), so "seq 1:1461 -> 1461:2921" reads like the lines.
 */
#include <tcpsim/units.h>

#include "report.h"

static void
put_flags(GString *s, uint8_t flags)
{
    static const char letters[] = "FSRP.UEW";
    g_string_append_c(s, '[');
    if (flags == 0) {
        g_string_append(s, "none");
    }
    for (unsigned i = 0; i < 8; i++) {
        if (flags & (1u << i)) {
            g_string_append_c(s, letters[i]);
        }
    }
    g_string_append_c(s, ']');
}

static void
put_seq(GString *s, const struct dseg *g)
{
    if (!g->has_seq) {
        g_string_append(s, "none");
    } else if (g->end != g->seq) {
        g_string_append_printf(s, "%u:%u", g->seq, g->end);
    } else {
        g_string_append_printf(s, "%u", g->seq);
    }
}

static void
put_opt(GString *s, bool has, uint32_t v)
{
    if (has) {
        g_string_append_printf(s, "%u", v);
    } else {
        g_string_append(s, "none");
    }
}

static void
sep(GString *s, size_t start)
{
    if (s->len > start) {
        g_string_append(s, ", ");
    }
}

/* Endpoints and flags. */
static void
put_header_fields(GString *s, size_t start, const struct step *st, const struct dseg *a,
                  const struct dseg *b, uint32_t ign)
{
    if (st->fields & FLD_ENDPOINTS) {
        sep(s, start);
        view_put_endpoint(s, &a->saddr, a->sport, ign);
        g_string_append(s, " > ");
        view_put_endpoint(s, &a->daddr, a->dport, ign);
        g_string_append(s, " -> ");
        view_put_endpoint(s, &b->saddr, b->sport, ign);
        g_string_append(s, " > ");
        view_put_endpoint(s, &b->daddr, b->dport, ign);
    }
    if (st->fields & FLD_FLAGS) {
        sep(s, start);
        g_string_append(s, "flags ");
        put_flags(s, a->flags);
        g_string_append(s, " -> ");
        put_flags(s, b->flags);
    }
}

static void
put_segment_fields(GString *s, size_t start, const struct step *st, const struct report *r)
{
    const struct dseg *a = &view_item(r->va, (guint)st->a)->seg;
    const struct dseg *b = &view_item(r->vb, (guint)st->b)->seg;
    put_header_fields(s, start, st, a, b, r->c->ignore);
    if (st->fields & FLD_SEQ) {
        sep(s, start);
        g_string_append(s, "seq ");
        put_seq(s, a);
        g_string_append(s, " -> ");
        put_seq(s, b);
    }
    if (st->fields & FLD_ACK) {
        sep(s, start);
        g_string_append(s, "ack ");
        put_opt(s, a->has_ack, a->ack);
        g_string_append(s, " -> ");
        put_opt(s, b->has_ack, b->ack);
    }
    if (st->fields & FLD_WIN) {
        sep(s, start);
        g_string_append_printf(s, "win %u -> %u", a->win, b->win);
    }
    if (st->fields & FLD_URG) {
        sep(s, start);
        g_string_append(s, "urg ");
        put_opt(s, a->has_urg, a->urg);
        g_string_append(s, " -> ");
        put_opt(s, b->has_urg, b->urg);
    }
    if (st->fields & FLD_OPTIONS) {
        sep(s, start);
        g_string_append_printf(s, "options [%s] -> [%s]", view_item(r->va, (guint)st->a)->opts,
                               view_item(r->vb, (guint)st->b)->opts);
    }
    if (st->fields & FLD_LEN) {
        sep(s, start);
        g_string_append_printf(s, "length %u -> %u", a->len, b->len);
    }
    if (st->fields & FLD_ANNOTATION) {
        sep(s, start);
        g_string_append_printf(s, "annotation (%s) -> (%s)", a->annotation ? a->annotation : "none",
                               b->annotation ? b->annotation : "none");
    }
}

void
report_put_fields(GString *s, const struct report *r, const struct step *st)
{
    size_t start = s->len;
    if (st->a < 0 || st->b < 0) {
        const struct view *v = st->a >= 0 ? r->va : r->vb;
        const struct dev *e = view_dev(v, (guint)(st->a >= 0 ? st->a : st->b));
        g_string_append_printf(s, "%s%s%s, only in %s", e->who, *e->who ? " " : "",
                               dev_kind_name(e->kind), v->t->name);
        return;
    }
    const struct dev *ea = view_dev(r->va, (guint)st->a);
    if (dev_is_segment(ea->kind)) {
        put_segment_fields(s, start, st, r);
    } else if (st->fields & FLD_BODY) {
        const struct dev *eb = view_dev(r->vb, (guint)st->b);
        g_string_append_printf(s, "%s \"%s\" -> \"%s\"", dev_kind_name(ea->kind), ea->body,
                               eb->body);
    }
    if (st->fields & FLD_TIME) {
        int64_t d = view_item(r->vb, (guint)st->b)->at - view_item(r->va, (guint)st->a)->at;
        g_autofree char *t = tcpsim_format_time(d < 0 ? -d : d);
        sep(s, start);
        g_string_append_printf(s, "time %s%s", d < 0 ? "-" : "+", t);
    }
}
