/* SPDX-License-Identifier: MIT */
/*
 * html.c: the interactive page (see html.h).
 *
 * Entry points: html_notes_event(), html_page(). The page is the template
 * sim/view/html/page.html (embedded at build time) with the ladder's SVG, with data
 * attributes on its arrows and labels, and a JSON object the page's script reads: the
 * rows' times, the connections, every arrow and label with its trace line and explain
 * sentence, the state changes, the congestion-window lines and the timers.
 */
#include "html.h"

#include <string.h>

#include "../trace/jsonbuf.h"
#include "../trace/sink_text.h"
#include "explain.h"
#include "svg.h"

extern const char tcpsim_html_page[];

struct html_notes {
    const struct explain_texts *texts;
    struct text_lines *lines;
    struct rec batch;         /* explain's events of the current time */
    GArray *batch_kept;       /* int per batch event: its kept index, or -1 */
    struct explain_flows *flows;
    GPtrArray *line;          /* char * per kept event: its trace line */
    GPtrArray *why;           /* char * per kept event: its explain sentence, or NULL */
    sim_time at;
};

struct html_notes *
html_notes_new(const char *lang, bool absolute)
{
    struct html_notes *h = g_new0(struct html_notes, 1);
    h->texts = explain_texts_for(lang ? lang : "en");
    if (h->texts == NULL) {
        h->texts = &explain_en;
    }
    h->lines = text_lines_new(absolute);
    rec_init(&h->batch);
    h->batch_kept = g_array_new(FALSE, FALSE, sizeof(int));
    h->flows = explain_flows_new();
    h->line = g_ptr_array_new_with_free_func(g_free);
    h->why = g_ptr_array_new_with_free_func(g_free);
    return h;
}

void
html_notes_free(struct html_notes *h)
{
    if (h == NULL) {
        return;
    }
    text_lines_free(h->lines);
    rec_clear(&h->batch);
    g_array_free(h->batch_kept, TRUE);
    explain_flows_free(h->flows);
    g_ptr_array_free(h->line, TRUE);
    g_ptr_array_free(h->why, TRUE);
    g_free(h);
}

void
html_notes_header(struct html_notes *h, const struct trace_header *hdr)
{
    GString *s = g_string_new(NULL);
    text_lines_header(h->lines, hdr, s);
    g_string_free(s, TRUE);
}

/* Explains the batch's events, as explain mode does, and keeps the kept ones' sentences. */
static void
flush(struct html_notes *h)
{
    GString *b = g_string_new(NULL);
    for (guint i = 0; i < h->batch.events->len; i++) {
        int k = g_array_index(h->batch_kept, int, i);
        if (k < 0) {
            continue;
        }
        struct explain_pick p = explain_pick(&h->batch, i, h->flows);
        const char *tmpl = explain_template(h->texts, &p);
        if (tmpl != NULL) {
            g_string_truncate(b, 0);
            explain_expand(b, tmpl, &p.args);
            g_free(g_ptr_array_index(h->why, k));
            g_ptr_array_index(h->why, k) = g_strdup(b->str);
        }
    }
    g_string_free(b, TRUE);
    rec_reset(&h->batch);
    g_array_set_size(h->batch_kept, 0);
}

void
html_notes_event(struct html_notes *h, const struct trace_event *ev, bool kept)
{
    if (h->batch.events->len > 0 && ev->at != h->at) {
        flush(h);
    }
    char line[TEXT_LINE_MAX];
    struct strbuf sb;
    sb_init(&sb, line, sizeof line);
    text_lines_event(h->lines, ev, &sb);
    int k = -1;
    if (kept) {
        k = (int)h->line->len;
        g_ptr_array_add(h->line, g_strdup(line));
        g_ptr_array_add(h->why, NULL);
    }
    rec_add(&h->batch, ev);
    g_array_append_val(h->batch_kept, k);
    h->at = ev->at;
}

static const char *
note_of(const GPtrArray *a, int i)
{
    return i >= 0 && (guint)i < a->len ? g_ptr_array_index(a, i) : NULL;
}

static void
put_endpoint(GString *j, const char *key, const struct tcpsim_addr *addr, uint16_t port)
{
    char buf[TCPSIM_ADDR_STRLEN + 8];
    struct strbuf sb;
    sb_init(&sb, buf, sizeof buf);
    fmt_tcpdump_endpoint(&sb, addr, port);
    js_str(j, key, buf);
}

static const char *const end_names[] = {
    [LADDER_END_ARRIVAL] = "arrival", [LADDER_END_DROP] = "drop", [LADDER_END_NONE] = "none"};
static const char *const kind_names[] = {
    [LADDER_STATE] = "state", [LADDER_TIMER] = "timer", [LADDER_DISCARD] = "discard",
    [LADDER_NOTE] = "note",   [LADDER_APP] = "app"};

/* The side (0: A, 1: B) an event happened on, or -1. */
static int
side_of(const struct ladder *L, const struct rec *r, const char *host)
{
    int h = rec_host_index(r, host);
    return h == L->host[0] ? 0 : h == L->host[1] ? 1 : -1;
}

static int
conn_index(const struct ladder *L, const struct rec *r, guint i)
{
    const struct conn_info *c = rec_conn(r, i);
    for (guint k = 0; c != NULL && k < L->conns->len; k++) {
        if (g_ptr_array_index(L->conns, k) == c) {
            return (int)k;
        }
    }
    return -1;
}

static void
put_conns(GString *j, const struct ladder *L)
{
    js_open(j, "conns", '[');
    for (guint i = 0; i < L->conns->len; i++) {
        const struct conn_info *c = g_ptr_array_index(L->conns, i);
        char buf[16];
        js_open(j, NULL, '{');
        js_str(j, "name", conn_short_name(c, buf, sizeof buf));
        put_endpoint(j, "client", &c->addr[0], c->port[0]);
        put_endpoint(j, "server", &c->addr[1], c->port[1]);
        js_bool(j, "forged", c->forged);
        /* Its ends' states when the picture begins (A's, B's): the state diagram's start. */
        js_open(j, "init", '[');
        for (int s = 0; s < 2; s++) {
            int h = L->host[s];
            const char *st = h == 0 || h == 1 ? c->init_state[h] : NULL;
            js_str(j, NULL, st && strcmp(st, "CLOSED") != 0 ? st : "");
        }
        js_close(j, ']');
        js_close(j, '}');
    }
    js_close(j, ']');
}

static void
put_arrows(GString *j, const struct ladder *L, const struct rec *r, struct html_notes *h)
{
    js_open(j, "arrows", '[');
    for (guint i = 0; i < L->arrows->len; i++) {
        const struct ladder_arrow *a = &g_array_index(L->arrows, struct ladder_arrow, i);
        const struct trace_event *ev = rec_at(r, (guint)a->ev);
        const struct tcp_seg *s = ev->seg;
        const struct fmt_rel *rel = rec_rel(r, (guint)a->ev);
        const struct conn_info *c = rec_conn(r, (guint)a->ev);
        js_open(j, NULL, '{');
        js_int(j, "r0", a->row0);
        js_int(j, "r1", a->row1);
        js_str(j, "end", end_names[a->end]);
        js_int(j, "from", a->from);
        js_int(j, "to", a->to);
        js_int(j, "side", side_of(L, r, ev->host));
        js_int(j, "c", a->conn);
        js_bool(j, "rx", a->retransmit);
        js_str(j, "label", a->label);
        if (a->drop) {
            js_str(j, "drop", a->drop);
        }
        js_str(j, "line", note_of(h->line, a->ev) ? note_of(h->line, a->ev) : "");
        if (note_of(h->why, a->ev)) {
            js_str(j, "why", note_of(h->why, a->ev));
        }
        if (note_of(h->line, a->ev1)) {
            js_str(j, "line1", note_of(h->line, a->ev1));
            if (note_of(h->why, a->ev1)) {
                js_str(j, "why1", note_of(h->why, a->ev1));
            }
        }
        js_uint(j, "seq", (uint32_t)(s->seq - (rel->seq_known ? rel->seq_base : 0)));
        js_uint(j, "ack", (uint32_t)(s->ack - (rel->ack_known ? rel->ack_base : 0)));
        js_uint(j, "len", s->len);
        js_bool(j, "syn", seg_has(s, TCP_SYN));
        js_bool(j, "fin", seg_has(s, TCP_FIN));
        js_bool(j, "rst", seg_has(s, TCP_RST));
        js_bool(j, "ackf", seg_has(s, TCP_ACK));
        int shift = 0;
        if (c != NULL && c->ws_both && !seg_has(s, TCP_SYN)) {
            bool client = ip_eq(&c->addr[0], &s->saddr) && c->port[0] == s->sport;
            shift = c->wscale[client ? 0 : 1];
        }
        js_uint(j, "win", (uint64_t)s->win << shift);
        js_close(j, '}');
    }
    js_close(j, ']');
}

static void
put_labels(GString *j, const struct ladder *L, struct html_notes *h)
{
    js_open(j, "labels", '[');
    for (guint i = 0; i < L->labels->len; i++) {
        const struct ladder_label *l = &g_array_index(L->labels, struct ladder_label, i);
        js_open(j, NULL, '{');
        js_int(j, "r", l->row);
        js_int(j, "side", l->side);
        js_int(j, "c", l->conn);
        js_str(j, "kind", kind_names[l->kind]);
        js_str(j, "text", l->text);
        js_int(j, "ev", l->ev);
        js_str(j, "line", note_of(h->line, l->ev) ? note_of(h->line, l->ev) : "");
        if (note_of(h->why, l->ev)) {
            js_str(j, "why", note_of(h->why, l->ev));
        }
        js_close(j, '}');
    }
    js_close(j, ']');
}

/* The row of each kept event's time, for the events drawn nowhere (cc, timers). */
static int
row_at(const struct ladder *L, sim_time at)
{
    int best = 0;
    for (int k = 0; k < ladder_nrows(L); k++) {
        const struct ladder_row *row = &g_array_index(L->rows, struct ladder_row, k);
        if (row->at > at) {
            break;
        }
        if (!row->gap) {
            best = k;
        }
    }
    return best;
}

static void
put_series(GString *j, const struct ladder *L, const struct rec *r)
{
    js_open(j, "states", '[');
    for (guint k = 0; k < L->labels->len; k++) {
        const struct ladder_label *l = &g_array_index(L->labels, struct ladder_label, k);
        const struct trace_event *ev = rec_at(r, (guint)l->ev);
        if (l->kind != LADDER_STATE || ev->kind != TRACE_STATE ||
            (k > 0 && g_array_index(L->labels, struct ladder_label, k - 1).ev == l->ev)) {
            continue; /* one entry per state change, not per wrapped line */
        }
        js_open(j, NULL, '{');
        js_int(j, "r", l->row);
        js_int(j, "t", ev->at);
        js_int(j, "side", l->side);
        js_int(j, "c", l->conn);
        js_str(j, "from", ev->from ? ev->from : "");
        js_str(j, "to", ev->to ? ev->to : "");
        js_str(j, "cause", ev->reason ? ev->reason : "");
        js_close(j, '}');
    }
    js_close(j, ']');
    js_open(j, "cc", '[');
    for (guint i = 0; i < r->events->len; i++) {
        const struct trace_event *ev = rec_at(r, i);
        if (ev->kind != TRACE_CC || side_of(L, r, ev->host) < 0) {
            continue;
        }
        js_open(j, NULL, '{');
        js_int(j, "t", ev->at);
        js_int(j, "r", row_at(L, ev->at));
        js_int(j, "side", side_of(L, r, ev->host));
        js_int(j, "c", conn_index(L, r, i));
        js_int(j, "cwnd", ev->a);
        js_int(j, "ssthresh", ev->b);
        js_close(j, '}');
    }
    js_close(j, ']');
    /* accept() returning a connection: it leaves the accept queue (the queues' chart). */
    js_open(j, "accepts", '[');
    for (guint i = 0; i < r->events->len; i++) {
        const struct trace_event *ev = rec_at(r, i);
        if (ev->kind != TRACE_APP || side_of(L, r, ev->host) < 0 || ev->text == NULL ||
            !g_str_has_prefix(ev->text, "accept(") || strstr(ev->text, " = ") == NULL ||
            strstr(ev->text, " = -1") != NULL) {
            continue;
        }
        js_open(j, NULL, '{');
        js_int(j, "t", ev->at);
        js_int(j, "side", side_of(L, r, ev->host));
        js_close(j, '}');
    }
    js_close(j, ']');
    js_open(j, "timers", '[');
    for (guint i = 0; i < r->events->len; i++) {
        const struct trace_event *ev = rec_at(r, i);
        if (ev->kind != TRACE_TIMER || side_of(L, r, ev->host) < 0 || ev->b <= 0) {
            continue;
        }
        js_open(j, NULL, '{');
        js_int(j, "t", ev->at);
        js_int(j, "side", side_of(L, r, ev->host));
        js_int(j, "c", conn_index(L, r, i));
        js_str(j, "name", ev->reason ? ev->reason : "");
        js_int(j, "next", ev->b);
        js_close(j, '}');
    }
    js_close(j, ']');
}

static void
put_data(GString *j, const struct ladder *L, const struct rec *r, struct html_notes *h)
{
    const struct rec_header *hd = L->hdr;
    js_open(j, NULL, '{');
    js_str(j, "title", hd->title ? hd->title : "tcpsim");
    js_str(j, "scenario", hd->scenario ? hd->scenario : "");
    js_uint(j, "seed", hd->seed);
    js_str(j, "lang", h->texts->lang);
    js_open(j, "hosts", '[');
    for (int s = 0; s < 2; s++) {
        char ip[TCPSIM_ADDR_STRLEN];
        struct strbuf sb;
        sb_init(&sb, ip, sizeof ip);
        guint hi = (guint)L->host[s];
        struct tcpsim_addr none = ip_v4(0);
        sb_put_ip(&sb, hd->nhosts ? &hd->host_addrs[hi] : &none);
        g_autofree char *name = g_strdup_printf("%s %s", hd->nhosts ? hd->host_names[hi] : "?", ip);
        js_str(j, NULL, name);
    }
    js_close(j, ']');
    js_open(j, "rows", '[');
    for (int k = 0; k < ladder_nrows(L); k++) {
        const struct ladder_row *row = &g_array_index(L->rows, struct ladder_row, k);
        js_key(j, NULL);
        g_string_append_printf(j, "%" G_GINT64_FORMAT, row->gap ? -1 : row->at);
    }
    js_close(j, ']');
    put_conns(j, L);
    put_arrows(j, L, r, h);
    put_labels(j, L, h);
    put_series(j, L, r);
    js_close(j, '}');
}

/* Appends `text` with every "<" written as \u003c: the JSON cannot end its script. */
static void
append_script_safe(GString *out, const GString *text)
{
    for (gsize i = 0; i < text->len; i++) {
        if (text->str[i] == '<') {
            g_string_append(out, "\\u003c");
        } else {
            g_string_append_c(out, text->str[i]);
        }
    }
}

void
html_page(const struct ladder *L, const struct rec *r, struct html_notes *h, GString *out)
{
    if (h->batch.events->len > 0) {
        flush(h);
    }
    GString *svg = g_string_new(NULL);
    ladder_svg_interactive(L, svg);
    const char *body = strstr(svg->str, "<svg ");
    GString *data = g_string_new(NULL);
    put_data(data, L, r, h);
    const char *page = tcpsim_html_page;
    const char *mark_title = strstr(page, "@TITLE@");
    const char *mark_svg = strstr(page, "@LADDER@");
    const char *mark_data = strstr(page, "@DATA@");
    g_assert(mark_title && mark_svg && mark_data && mark_title < mark_svg && mark_svg < mark_data);
    g_string_append_len(out, page, mark_title - page);
    svg_escape(out, L->hdr->title ? L->hdr->title : "tcpsim");
    g_string_append_len(out, mark_title + 7, mark_svg - (mark_title + 7));
    g_string_append(out, body ? body : "");
    g_string_append_len(out, mark_svg + 8, mark_data - (mark_svg + 8));
    append_script_safe(out, data);
    g_string_append(out, mark_data + 6);
    g_string_free(svg, TRUE);
    g_string_free(data, TRUE);
}
