/* SPDX-License-Identifier: MIT */
/*
 * plot_cwnd.c: congestion window and slow-start threshold against time (--plot-cwnd).
 *
 * Entry point: plot_cwnd_add(). The sink asks for the `cc` trace events (the TCP emits
 * them only when some sink wants them) and keeps one series per connection that had
 * any: cwnd as a solid step line, ssthresh dashed in the same colour once it is finite
 * (it starts "infinite", 2^31 - 1). At most PLOT_SERIES connections are drawn, those
 * with the most changes, in the order they first appeared.
 */
#include <string.h>

#include "../trace/fmt_tcpdump.h"
#include "../trace/outfile.h"
#include "plot.h"
#include "words.h"
#include "svg.h"
#include "view.h"

#define PLOT_SERIES 6
#define SSTHRESH_INFINITE INT64_C(0x7FFFFFFF)

struct cc_pt {
    sim_time at;
    guint series;
    int64_t cwnd;
    int64_t ssthresh;
};

struct series {
    char *name;  /* "A c 10.0.0.1.36346>10.0.0.2.80" */
    guint count; /* changes seen */
};

struct plot_cwnd {
    struct outfile *out;
    struct tcpsim_views v;
    char *scenario;
    uint64_t seed;
    GArray *series;  /* struct series */
    GHashTable *ids; /* series name -> index + 1: lookup only */
    GArray *pts;     /* struct cc_pt */
};

static const char css[] =
    ".s0{stroke:#1f77b4}\n.s1{stroke:#d62728}\n.s2{stroke:#2ca02c}\n"
    ".s3{stroke:#9467bd}\n.s4{stroke:#ff7f0e}\n.s5{stroke:#8c564b}\n"
    ".cwnd{fill:none;stroke-width:1.8}\n"
    ".ssthresh{fill:none;stroke-width:1.5;stroke-dasharray:6 4}\n";

static char *
series_name(const struct trace_event *ev)
{
    char buf[128];
    struct strbuf sb;
    sb_init(&sb, buf, sizeof buf);
    sb_puts(&sb, ev->host ? ev->host : "?");
    sb_putc(&sb, ' ');
    if (ev->sock.name) {
        sb_puts(&sb, ev->sock.name);
        sb_putc(&sb, ' ');
    }
    fmt_tcpdump_endpoint(&sb, &ev->sock.laddr, ev->sock.lport);
    sb_putc(&sb, '>');
    fmt_tcpdump_endpoint(&sb, &ev->sock.raddr, ev->sock.rport);
    return g_strdup(buf);
}

static void
cwnd_event(void *self, const struct trace_event *ev)
{
    struct plot_cwnd *p = self;
    if (ev->kind != TRACE_CC || ev->at < p->v.from || (p->v.has_to && ev->at > p->v.to)) {
        return;
    }
    char *name = series_name(ev);
    guint id = GPOINTER_TO_UINT(g_hash_table_lookup(p->ids, name));
    if (id == 0) {
        struct series s = {.name = g_strdup(name)};
        g_array_append_val(p->series, s);
        id = p->series->len;
        g_hash_table_insert(p->ids, name, GUINT_TO_POINTER(id));
    } else {
        g_free(name);
    }
    g_array_index(p->series, struct series, id - 1).count++;
    struct cc_pt pt = {.at = ev->at, .series = id - 1, .cwnd = ev->a, .ssthresh = ev->b};
    g_array_append_val(p->pts, pt);
}

static void
cwnd_begin(void *self, const struct trace_header *hdr)
{
    struct plot_cwnd *p = self;
    p->scenario = g_strdup(hdr->scenario);
    p->seed = hdr->seed;
}

/* Which series are drawn: the PLOT_SERIES with the most changes (earlier ones on a tie). */
static void
choose(const struct plot_cwnd *p, bool *drawn)
{
    for (guint n = 0; n < PLOT_SERIES && n < p->series->len; n++) {
        int best = -1;
        for (guint i = 0; i < p->series->len; i++) {
            guint c = g_array_index(p->series, struct series, i).count;
            if (!drawn[i] && (best < 0 || c > g_array_index(p->series, struct series, best).count)) {
                best = (int)i;
            }
        }
        drawn[best] = true;
    }
}

static void
frame(struct plot_frame *f, const struct plot_cwnd *p, const bool *drawn)
{
    sim_time t0 = INT64_MAX;
    sim_time t1 = 0;
    int64_t top = 0;
    for (guint i = 0; i < p->pts->len; i++) {
        const struct cc_pt *c = &g_array_index(p->pts, struct cc_pt, i);
        if (!drawn[c->series]) {
            continue;
        }
        t0 = c->at < t0 ? c->at : t0;
        t1 = c->at > t1 ? c->at : t1;
        top = c->cwnd > top ? c->cwnd : top;
        if (c->ssthresh < SSTHRESH_INFINITE && c->ssthresh > top) {
            top = c->ssthresh;
        }
    }
    plot_frame_init(f, t0, t1, 0, top);
}

static void
point(GString *out, const struct plot_frame *f, sim_time t, int64_t v)
{
    if (out->len > 0) {
        g_string_append_c(out, ' ');
    }
    svg_num(out, plot_x(f, t));
    g_string_append_c(out, ',');
    svg_num(out, plot_y(f, v));
}

static void
flush_line(GString *out, GString *pts, const char *cls, guint s)
{
    if (pts->len > 0) {
        g_string_append_printf(out, "<polyline class=\"%s s%u\" points=\"%s\"/>\n", cls, s,
                               pts->str);
        g_string_truncate(pts, 0);
    }
}

/* One connection: its cwnd steps, and its ssthresh steps where finite. */
static void
draw_series(GString *out, const struct plot_frame *f, const struct plot_cwnd *p, guint s,
            guint color)
{
    const struct series *se = &g_array_index(p->series, struct series, s);
    g_string_append_printf(out, "<g class=\"series\" data-events=\"%u\">\n", se->count);
    GString *cw = g_string_new(NULL);
    GString *ss = g_string_new(NULL);
    const struct cc_pt *prev = NULL;
    for (guint i = 0; i < p->pts->len; i++) {
        const struct cc_pt *c = &g_array_index(p->pts, struct cc_pt, i);
        if (c->series != s) {
            continue;
        }
        if (prev != NULL) {
            point(cw, f, c->at, prev->cwnd);
        }
        point(cw, f, c->at, c->cwnd);
        bool finite = c->ssthresh < SSTHRESH_INFINITE;
        if (!finite) {
            flush_line(out, ss, "ssthresh", color);
        } else {
            if (prev != NULL && prev->ssthresh < SSTHRESH_INFINITE) {
                point(ss, f, c->at, prev->ssthresh);
            }
            point(ss, f, c->at, c->ssthresh);
        }
        prev = c;
    }
    flush_line(out, cw, "cwnd", color);
    flush_line(out, ss, "ssthresh", color);
    g_string_append(out, "</g>\n");
    g_string_free(cw, TRUE);
    g_string_free(ss, TRUE);
}

static void
draw(const struct plot_cwnd *p, GString *out)
{
    const struct view_words *w = view_words_for(p->v.lang);
    if (p->series->len == 0) {
        plot_empty(out, w->cwnd_title, w->cwnd_empty);
        return;
    }
    bool *drawn = g_new0(bool, p->series->len);
    choose(p, drawn);
    struct plot_frame f;
    frame(&f, p, drawn);
    f.time_name = w->plot_time;
    g_autofree char *sub = g_strdup_printf(
        "%s%s%s %" G_GUINT64_FORMAT "; %s%s", p->scenario ? p->scenario : "",
        p->scenario ? ", " : "", w->seed, p->seed, w->cwnd_sub,
        p->series->len > PLOT_SERIES ? "; only the busiest connections" : "");
    plot_begin(out, &f, w->cwnd_title, sub, w->cwnd_axis, css);
    g_string_append(out, "<g id=\"cwnd\">\n");
    guint color = 0;
    for (guint s = 0; s < p->series->len; s++) {
        if (drawn[s]) {
            draw_series(out, &f, p, s, color++);
        }
    }
    g_string_append(out, "</g>\n<g id=\"legend\">\n");
    color = 0;
    for (guint s = 0; s < p->series->len; s++) {
        if (drawn[s]) {
            g_autofree char *cls = g_strdup_printf("cwnd s%u", color);
            plot_legend(out, &f, (int)color++, cls,
                        g_array_index(p->series, struct series, s).name);
        }
    }
    g_string_append(out, "</g>\n");
    plot_end(out);
    g_free(drawn);
}

static gboolean
cwnd_end(void *self, GError **error)
{
    struct plot_cwnd *p = self;
    GString *s = g_string_new(NULL);
    draw(p, s);
    struct outfile *of = p->out;
    p->out = NULL;
    outfile_write(of, s->str, s->len);
    g_string_free(s, TRUE);
    return outfile_commit(of, error);
}

static void
cwnd_free(void *self)
{
    struct plot_cwnd *p = self;
    outfile_discard(p->out);
    for (guint i = 0; i < p->series->len; i++) {
        g_free(g_array_index(p->series, struct series, i).name);
    }
    g_array_free(p->series, TRUE);
    g_array_free(p->pts, TRUE);
    g_hash_table_destroy(p->ids);
    g_free(p->scenario);
    g_free(p);
}

static const struct trace_sink_ops cwnd_ops = {
    .name = "plot-cwnd",
    .begin = cwnd_begin,
    .event = cwnd_event,
    .end = cwnd_end,
    .free = cwnd_free,
};

gboolean
plot_cwnd_add(struct trace *t, const struct tcpsim_views *v, GError **error)
{
    struct outfile *of = outfile_open(&t->outputs, v->plot_cwnd, error);
    if (of == NULL) {
        return FALSE;
    }
    struct plot_cwnd *p = g_new0(struct plot_cwnd, 1);
    p->out = of;
    p->v = *v;
    p->series = g_array_new(FALSE, TRUE, sizeof(struct series));
    p->pts = g_array_new(FALSE, TRUE, sizeof(struct cc_pt));
    p->ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    trace_add_sink(t, &cwnd_ops, p, TRACE_MASK(TRACE_CC));
    return TRUE;
}
