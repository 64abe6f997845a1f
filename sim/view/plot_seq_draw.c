/* SPDX-License-Identifier: MIT */
/*
 * plot_seq_draw.c: drawing the sequence plot (see plot_seq.c for what it shows).
 *
 * Entry point: plot_seq_draw(). Layers, bottom to top: the window line, the ACK line,
 * SACK blocks, data segments, retransmissions, losses. Every data segment is exactly one
 * <line> in the group "data" or "rexmit"; the ACK group says how many ACKs it drew.
 */
#include "../trace/fmt_tcpdump.h"
#include "plot.h"
#include "plot_seq.h"
#include "svg.h"

static const char css[] =
    ".data{stroke:#1b1b1b;stroke-width:2}\n"
    ".rexmit{stroke:#d62728;stroke-width:2.5}\n"
    ".lost{stroke:#d62728;stroke-width:1.5}\n"
    ".ack{fill:none;stroke:#2ca02c;stroke-width:1.5}\n"
    ".rwnd{fill:none;stroke:#c7a500;stroke-width:1.5}\n"
    ".sack{stroke:#9467bd;stroke-width:3}\n";

static bool
mine(const struct pt *p, int flow)
{
    return (int)p->flow == flow;
}

/* The frame: every point of the flow, the window edge excepted (it may be far above). */
static void
frame(struct plot_frame *f, const struct seq_data *d, int flow)
{
    bool any = false;
    sim_time t0 = 0;
    sim_time t1 = 0;
    int64_t v0 = 0;
    int64_t v1 = 0;
    for (guint i = 0; i < d->pts->len; i++) {
        const struct pt *p = &g_array_index(d->pts, struct pt, i);
        if (!mine(p, flow)) {
            continue;
        }
        int64_t top = p->kind == PT_ACK ? p->lo : p->hi;
        if (!any) {
            t0 = t1 = p->at;
            v0 = p->lo;
            v1 = top;
            any = true;
        }
        t0 = p->at < t0 ? p->at : t0;
        t1 = p->at > t1 ? p->at : t1;
        v0 = p->lo < v0 ? p->lo : v0;
        v1 = top > v1 ? top : v1;
    }
    plot_frame_init(f, t0, t1, v0 < 0 ? v0 : 0, v1);
}

static void
point(GString *out, const struct plot_frame *f, sim_time t, int64_t v)
{
    svg_num(out, plot_x(f, t));
    g_string_append_c(out, ',');
    svg_num(out, plot_y(f, v));
    g_string_append_c(out, ' ');
}

/* A step line through (time, value) of the flow's ACK points: `edge` picks the window's
 * right edge instead of the ack. Returns how many ACKs it went through. */
static guint
step_line(GString *out, const struct plot_frame *f, const struct seq_data *d, int flow, bool edge,
          const char *cls, const char *gid)
{
    GString *pts = g_string_new(NULL);
    guint n = 0;
    int64_t prev = 0;
    for (guint i = 0; i < d->pts->len; i++) {
        const struct pt *p = &g_array_index(d->pts, struct pt, i);
        if (!mine(p, flow) || p->kind != PT_ACK) {
            continue;
        }
        int64_t v = edge ? p->hi : p->lo;
        if (n > 0) {
            point(pts, f, p->at, prev);
        }
        point(pts, f, p->at, v);
        prev = v;
        n++;
    }
    if (pts->len > 0) {
        g_string_truncate(pts, pts->len - 1);
    }
    g_string_append_printf(out, "<g id=\"%s\" data-acks=\"%u\">\n", gid, n);
    if (n > 0) {
        g_string_append_printf(out, "<polyline class=\"%s\" points=\"%s\"/>\n", cls, pts->str);
    }
    g_string_append(out, "</g>\n");
    g_string_free(pts, TRUE);
    return n;
}

/* The segments of one kind: a vertical line each (losses: a cross at the start). */
static void
segments(GString *out, const struct plot_frame *f, const struct seq_data *d, int flow,
         enum pt_kind kind, const char *gid, const char *cls)
{
    g_string_append_printf(out, "<g id=\"%s\">\n", gid);
    for (guint i = 0; i < d->pts->len; i++) {
        const struct pt *p = &g_array_index(d->pts, struct pt, i);
        if (!mine(p, flow) || p->kind != kind) {
            continue;
        }
        int64_t x = plot_x(f, p->at);
        int64_t y0 = plot_y(f, p->lo);
        int64_t y1 = plot_y(f, p->hi);
        if (kind == PT_DROP) {
            int64_t y = (y0 + y1) / 2;
            svg_line(out, x - 40, y - 40, x + 40, y + 40, cls, NULL);
            svg_line(out, x - 40, y + 40, x + 40, y - 40, cls, NULL);
            continue;
        }
        svg_line(out, x, y0, x, y1 < y0 - 10 ? y1 : y0 - 10, cls, NULL);
    }
    g_string_append(out, "</g>\n");
}

static char *
flow_name(const struct flow *fl)
{
    char a[TCPSIM_ADDR_STRLEN + 8];
    char b[TCPSIM_ADDR_STRLEN + 8];
    struct strbuf sa;
    struct strbuf sb;
    sb_init(&sa, a, sizeof a);
    sb_init(&sb, b, sizeof b);
    fmt_tcpdump_endpoint(&sa, &fl->saddr, fl->sport);
    fmt_tcpdump_endpoint(&sb, &fl->daddr, fl->dport);
    return g_strdup_printf("%s->%s %s > %s", fl->from ? fl->from : "?", fl->to ? fl->to : "?", a,
                           b);
}

void
plot_seq_draw(GString *out, const struct seq_data *d, int flow)
{
    if (flow < 0) {
        plot_empty(out, d->w->seq_title, d->w->seq_empty);
        return;
    }
    const struct flow *fl = &g_array_index(d->flows, struct flow, flow);
    struct plot_frame f;
    frame(&f, d, flow);
    f.time_name = d->w->plot_time;
    g_autofree char *name = flow_name(fl);
    g_autofree char *title = g_strdup_printf("%s, %s", d->w->seq_title, name);
    g_autofree char *sub = g_strdup_printf("%s%s%s %" G_GUINT64_FORMAT "; %s",
                                           d->scenario ? d->scenario : "",
                                           d->scenario ? ", " : "", d->w->seed, d->seed,
                                           d->w->seq_sub);
    plot_begin(out, &f, title, sub, d->w->seq_axis, css);
    step_line(out, &f, d, flow, true, "rwnd", "rwnd");
    step_line(out, &f, d, flow, false, "ack", "acks");
    segments(out, &f, d, flow, PT_SACK, "sack", "sack");
    segments(out, &f, d, flow, PT_DATA, "data", "data");
    segments(out, &f, d, flow, PT_REXMIT, "rexmit", "rexmit");
    segments(out, &f, d, flow, PT_DROP, "lost", "lost");
    g_string_append(out, "<g id=\"legend\">\n");
    plot_legend(out, &f, 0, "data", d->w->data);
    plot_legend(out, &f, 1, "rexmit", d->w->rexmit);
    plot_legend(out, &f, 2, "ack", d->w->acks);
    plot_legend(out, &f, 3, "rwnd", d->w->rwnd);
    plot_legend(out, &f, 4, "sack", d->w->sack);
    plot_legend(out, &f, 5, "lost", d->w->lost);
    g_string_append(out, "</g>\n");
    plot_end(out);
}
