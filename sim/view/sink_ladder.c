/* SPDX-License-Identifier: MIT */
/*
 * sink_ladder.c: the ladder's sink: keeps the events of the window asked for, and
 * draws the ladder (text, SVG or both) when the run ends.
 *
 * Entry point: sink_ladder_add(). The window: events from `from` to `to`; a segment sent
 * in it is kept to its arrival or loss even past `to`. With `segments` N, no sending
 * after the Nth is kept, and the window closes once those N have all arrived or been
 * lost. Only what the window holds is kept, so a long bulk run costs little memory.
 */
#include <string.h>

#include "../trace/outfile.h"
#include "html.h"
#include "ladder.h"
#include "view.h"

/* The sendings kept on one direction between A and B, by link serial number. */
struct kept {
    bool any;
    uint64_t lo;     /* serial of the first kept sending */
    GByteArray *end; /* per kept sending: 1 once it arrived or was lost */
};

struct sink_ladder {
    struct rec rec;
    struct ladder_opts lopts;
    struct tcpsim_views v;
    struct outfile *text;
    struct outfile *svg;
    struct outfile *html;
    struct outfile_group *outputs; /* the trace's: the slides' files join it at the end */
    struct html_notes *notes; /* with --html: each kept event's line and sentence */
    uint64_t segments;  /* sendings kept */
    uint64_t in_flight; /* kept sendings not yet arrived nor lost */
    struct kept dir[4];
    GArray *chosen;     /* int: ids of the connections drawn, with --connections */
};

/* A->B 0, B->A 1, A->A 2, B->B 3 (a host talking to itself), else -1. */
static int
direction(const struct sink_ladder *s, const struct trace_event *ev)
{
    int from = rec_host_index(&s->rec, ev->host);
    int to = rec_host_index(&s->rec, ev->peer);
    if (from < 0 || from > 1 || to < 0 || to > 1) {
        return -1;
    }
    return from == to ? 2 + from : from;
}

/* Whether the event's connection is drawn: --only NAME, --connections N (the first N
 * connections that appear in the window). Events of no connection always are. */
static bool
conn_drawn(struct sink_ladder *s, const struct trace_event *ev)
{
    if (s->v.only == NULL && s->v.connections == 0) {
        return true;
    }
    const struct conn_info *c = conn_table_of_event(s->rec.conns, ev);
    if (c == NULL) {
        return true;
    }
    if (s->v.only != NULL && !conn_matches(c, s->v.only)) {
        return false;
    }
    if (s->v.connections == 0) {
        return true;
    }
    for (guint i = 0; i < s->chosen->len; i++) {
        if (g_array_index(s->chosen, int, i) == c->id) {
            return true;
        }
    }
    if (s->chosen->len >= s->v.connections || ev->at < s->v.from ||
        (ev->kind != TRACE_SEG_SENT && ev->kind != TRACE_STATE)) {
        return false;
    }
    g_array_append_val(s->chosen, c->id);
    return true;
}

static bool
sending_open(const struct sink_ladder *s, sim_time at)
{
    if (s->v.has_to && at > s->v.to) {
        return false;
    }
    return s->v.segments == 0 || s->segments < s->v.segments;
}

static bool
window_open(const struct sink_ladder *s, sim_time at)
{
    if (at < s->v.from || (s->v.has_to && at > s->v.to)) {
        return false;
    }
    return s->v.segments == 0 || s->segments < s->v.segments || s->in_flight > 0;
}

/* Keeps the end of a kept sending (the first end only, if the link duplicated it). */
static bool
keep_end(struct sink_ladder *s, const struct trace_event *ev, int d)
{
    struct kept *k = &s->dir[d];
    if (!k->any || ev->serial < k->lo || ev->serial - k->lo >= k->end->len) {
        return false;
    }
    guint8 *done = &k->end->data[ev->serial - k->lo];
    if (!*done) {
        *done = 1;
        s->in_flight--;
    }
    return true;
}

static bool keep_event(struct sink_ladder *s, const struct trace_event *ev);

static void
ladder_event(void *self, const struct trace_event *ev)
{
    struct sink_ladder *s = self;
    rec_observe(&s->rec, ev);
    bool kept = keep_event(s, ev);
    if (s->notes != NULL) {
        html_notes_event(s->notes, ev, kept);
    }
}

/* Records the event if the picture shows it; whether it did. */
static bool
keep_event(struct sink_ladder *s, const struct trace_event *ev)
{
    if (!conn_drawn(s, ev)) {
        return false;
    }
    bool link = ev->kind == TRACE_SEG_SENT || ev->kind == TRACE_SEG_DELIVERED ||
                ev->kind == TRACE_SEG_DROPPED;
    int d = link ? direction(s, ev) : -1;
    if (!link || d < 0) {
        if (window_open(s, ev->at)) {
            rec_add(&s->rec, ev);
            return true;
        }
        return false;
    }
    if (ev->kind != TRACE_SEG_SENT) {
        if (keep_end(s, ev, d)) {
            rec_add(&s->rec, ev);
            return true;
        }
        return false;
    }
    if (ev->at < s->v.from || !sending_open(s, ev->at)) {
        return false;
    }
    struct kept *k = &s->dir[d];
    if (!k->any) {
        k->any = true;
        k->lo = ev->serial;
    }
    guint8 zero = 0;
    while (k->end->len <= ev->serial - k->lo) {
        g_byte_array_append(k->end, &zero, 1);
    }
    s->segments++;
    s->in_flight++;
    rec_add(&s->rec, ev);
    return true;
}

static void
ladder_begin(void *self, const struct trace_header *hdr)
{
    struct sink_ladder *s = self;
    rec_header(&s->rec, hdr);
    if (s->notes != NULL) {
        html_notes_header(s->notes, hdr);
    }
}

static gboolean
write_out(struct outfile **of, const GString *text, GError **error)
{
    struct outfile *f = *of;
    *of = NULL;
    outfile_write(f, text->str, text->len);
    return outfile_commit(f, error);
}

static gboolean
ladder_end(void *self, GError **error)
{
    struct sink_ladder *s = self;
    struct ladder *L = ladder_layout(&s->rec, &s->lopts);
    gboolean ok = TRUE;
    if (s->text) {
        GString *t = g_string_new(NULL);
        ladder_text(L, t);
        ok = write_out(&s->text, t, error);
        g_string_free(t, TRUE);
    }
    if (s->svg && ok) {
        GString *t = g_string_new(NULL);
        ladder_svg(L, t);
        ok = write_out(&s->svg, t, error);
        g_string_free(t, TRUE);
    }
    if (s->html && ok) {
        GString *t = g_string_new(NULL);
        html_page(L, &s->rec, s->notes, t);
        ok = write_out(&s->html, t, error);
        g_string_free(t, TRUE);
    }
    if (s->v.slides && ok) {
        /* FILE.svg -> FILE-1.svg, FILE-2.svg ... */
        const char *path = s->v.ladder_svg;
        size_t stem = g_str_has_suffix(path, ".svg") ? strlen(path) - 4 : strlen(path);
        GPtrArray *pages = ladder_svg_slides(L);
        for (guint i = 0; i < pages->len && ok; i++) {
            g_autofree char *name = g_strdup_printf("%.*s-%u.svg", (int)stem, path, i + 1);
            struct outfile *f = outfile_open(s->outputs, name, error);
            ok = f != NULL && write_out(&f, g_ptr_array_index(pages, i), error);
        }
        for (guint i = 0; i < pages->len; i++) {
            g_string_free(g_ptr_array_index(pages, i), TRUE);
        }
        g_ptr_array_free(pages, TRUE);
    }
    ladder_free(L);
    return ok;
}

static void
ladder_sink_free(void *self)
{
    struct sink_ladder *s = self;
    outfile_discard(s->text);
    outfile_discard(s->svg);
    outfile_discard(s->html);
    html_notes_free(s->notes);
    rec_clear(&s->rec);
    for (int d = 0; d < 4; d++) {
        g_byte_array_free(s->dir[d].end, TRUE);
    }
    g_array_free(s->chosen, TRUE);
    g_free(s);
}

static const struct trace_sink_ops ladder_ops = {
    .name = "ladder",
    .begin = ladder_begin,
    .event = ladder_event,
    .end = ladder_end,
    .free = ladder_sink_free,
};

gboolean
sink_ladder_add(struct trace *t, const struct tcpsim_views *v, bool absolute, GError **error)
{
    struct sink_ladder *s = g_new0(struct sink_ladder, 1);
    rec_init(&s->rec);
    for (int d = 0; d < 4; d++) {
        s->dir[d].end = g_byte_array_new();
    }
    s->chosen = g_array_new(FALSE, FALSE, sizeof(int));
    s->v = *v;
    s->lopts = (struct ladder_opts){.absolute = absolute, .app = v->app, .window = v->window,
                                    .textbook = v->textbook, .linear = v->linear_time,
                                    .lang = v->lang, .lanes = v->lanes};
    s->outputs = &t->outputs;
    if ((v->ladder && (s->text = outfile_open(&t->outputs, v->ladder, error)) == NULL) ||
        (v->ladder_svg && (s->svg = outfile_open(&t->outputs, v->ladder_svg, error)) == NULL) ||
        (v->html && (s->html = outfile_open(&t->outputs, v->html, error)) == NULL)) {
        ladder_sink_free(s);
        return FALSE;
    }
    uint32_t mask = TRACE_ALL & ~(TRACE_MASK(TRACE_CC) | TRACE_MASK(TRACE_EXPECT));
    if (v->html) {
        /* The page plots the windows: it needs every cwnd change, and explains each line
         * as explain mode does, which sees every event. */
        s->notes = html_notes_new(v->lang, absolute);
        mask = TRACE_ALL;
    }
    trace_add_sink(t, &ladder_ops, s, mask);
    return TRUE;
}
