/* SPDX-License-Identifier: MIT */
/*
 * plot_axes.c: the frame, axes and ticks of the plots (see plot.h).
 */
#include "plot.h"

#include "span.h"
#include "svg.h"

static const char base_css[] =
    ".bg{fill:#ffffff}\n"
    "text{font-family:'DejaVu Sans',Helvetica,Arial,'Noto Sans CJK SC','WenQuanYi Micro Hei','Microsoft YaHei','PingFang SC',sans-serif;font-size:12px;fill:#1b1b1b}\n"
    ".title{font-size:16px;font-weight:bold}\n"
    ".sub{font-size:12px;fill:#555555}\n"
    ".axis{stroke:#1b1b1b;stroke-width:1}\n"
    ".grid{stroke:#e4e4e4;stroke-width:1}\n"
    ".tick{font-size:11px;fill:#444444}\n"
    ".name{font-size:12px;font-weight:bold;fill:#333333}\n";

void
plot_frame_init(struct plot_frame *f, sim_time t0, sim_time t1, int64_t v0, int64_t v1)
{
    f->time_name = NULL;
    f->x0 = 90;
    f->y0 = 60;
    f->w = PLOT_W - 90 - 30;
    f->h = PLOT_H - 60 - 70;
    if (t1 <= t0) {
        t1 = t0 + MS(1);
    }
    if (v1 <= v0) {
        v1 = v0 + 1;
    }
    v1 += (v1 - v0) / 10;
    f->t0 = t0;
    f->t1 = t1;
    f->v0 = v0;
    f->v1 = v1;
}

int64_t
plot_x(const struct plot_frame *f, sim_time t)
{
    t = t < f->t0 ? f->t0 : t > f->t1 ? f->t1 : t;
    return (int64_t)f->x0 * 10 + (t - f->t0) * ((int64_t)f->w * 10) / (f->t1 - f->t0);
}

int64_t
plot_y(const struct plot_frame *f, int64_t v)
{
    v = v < f->v0 ? f->v0 : v > f->v1 ? f->v1 : v;
    return (int64_t)(f->y0 + f->h) * 10 - (v - f->v0) * ((int64_t)f->h * 10) / (f->v1 - f->v0);
}

/* 1, 2 or 5 times a power of ten: the step that gives at most `most` ticks over `range`. */
static int64_t
nice_step(int64_t range, int most)
{
    int64_t p = 1;
    while (p <= INT64_MAX / 10) {
        static const int m[] = {1, 2, 5};
        for (int i = 0; i < 3; i++) {
            if (range / (p * m[i]) <= most) {
                return p * m[i];
            }
        }
        p *= 10;
    }
    return p;
}

/* Seconds with as many decimals as the step needs: "0.25", "12". */
static char *
time_label(sim_time t, sim_time step)
{
    int decimals = 0;
    for (sim_time unit = SEC(1); decimals < 9 && step % unit != 0; unit /= 10) {
        decimals++;
    }
    GString *s = g_string_new(NULL);
    g_string_append_printf(s, "%" G_GINT64_FORMAT, t / SEC(1));
    if (decimals > 0) {
        int64_t frac = t % SEC(1);
        for (int i = decimals; i < 9; i++) {
            frac /= 10;
        }
        g_string_append_printf(s, ".%0*" G_GINT64_FORMAT, decimals, frac);
    }
    return g_string_free(s, FALSE);
}

/* Bytes in decimal units as the step needs them: "0", "500", "40k", "1.5M", "2G". */
static char *
value_label(int64_t v, int64_t step)
{
    static const struct {
        int64_t unit;
        const char *suffix;
    } units[] = {{1000000000, "G"}, {1000000, "M"}, {1000, "k"}, {1, ""}};
    if (v == 0) {
        return g_strdup("0");
    }
    size_t u = 0;
    while (u + 1 < G_N_ELEMENTS(units) && step < units[u].unit / 10) {
        u++;
    }
    int64_t unit = units[u].unit;
    GString *s = g_string_new(NULL);
    g_string_append_printf(s, "%" G_GINT64_FORMAT, v / unit);
    if (v % unit != 0) {
        int64_t frac = v % unit;
        int digits = 0;
        for (int64_t d = unit; d > 1; d /= 10) {
            digits++;
        }
        while (frac % 10 == 0) {
            frac /= 10;
            digits--;
        }
        g_string_append_printf(s, ".%0*" G_GINT64_FORMAT, digits, frac);
    }
    g_string_append(s, units[u].suffix);
    return g_string_free(s, FALSE);
}

static void
put_axes(GString *out, const struct plot_frame *f, const char *yname)
{
    int64_t left = (int64_t)f->x0 * 10;
    int64_t right = (int64_t)(f->x0 + f->w) * 10;
    int64_t top = (int64_t)f->y0 * 10;
    int64_t bottom = (int64_t)(f->y0 + f->h) * 10;
    g_string_append(out, "<g id=\"axes\">\n");
    sim_time ts = nice_step(f->t1 - f->t0, 10);
    for (sim_time t = (f->t0 + ts - 1) / ts * ts; t <= f->t1; t += ts) {
        int64_t x = plot_x(f, t);
        svg_line(out, x, top, x, bottom, "grid", NULL);
        svg_line(out, x, bottom, x, bottom + 50, "axis", NULL);
        g_autofree char *l = time_label(t, ts);
        svg_text(out, x, bottom + 180, "tick", "middle", l);
    }
    int64_t vs = nice_step(f->v1 - f->v0, 8);
    for (int64_t v = (f->v0 + vs - 1) / vs * vs; v <= f->v1; v += vs) {
        int64_t y = plot_y(f, v);
        svg_line(out, left, y, right, y, "grid", NULL);
        svg_line(out, left - 50, y, left, y, "axis", NULL);
        g_autofree char *l = value_label(v, vs);
        svg_text(out, left - 80, y + 40, "tick", "end", l);
    }
    svg_line(out, left, top, left, bottom, "axis", NULL);
    svg_line(out, left, bottom, right, bottom, "axis", NULL);
    svg_text(out, (left + right) / 2, bottom + 400, "name", "middle",
             f->time_name ? f->time_name : "time (s)");
    g_string_append_printf(out, "<text x=\"20\" y=\"%d\" class=\"name\" text-anchor=\"middle\" "
                                "transform=\"rotate(-90 20 %d)\">",
                           f->y0 + f->h / 2, f->y0 + f->h / 2);
    svg_escape(out, yname);
    g_string_append(out, "</text>\n</g>\n");
}

void
plot_begin(GString *out, const struct plot_frame *f, const char *title, const char *sub,
           const char *yname, const char *css)
{
    g_autofree char *all = g_strconcat(base_css, css, NULL);
    svg_begin(out, PLOT_W, PLOT_H, title, all);
    svg_text(out, 160, 240, "title", NULL, title);
    svg_text(out, 160, 420, "sub", NULL, sub);
    put_axes(out, f, yname);
}

void
plot_legend(GString *out, const struct plot_frame *f, int i, const char *cls, const char *text)
{
    int64_t x = (int64_t)(f->x0 + 12) * 10;
    int64_t y = (int64_t)(f->y0 + 14 + 18 * i) * 10;
    svg_line(out, x, y - 40, x + 240, y - 40, cls, NULL);
    svg_text(out, x + 320, y, "tick", NULL, text);
}

void
plot_end(GString *out)
{
    svg_end(out);
}

void
plot_empty(GString *out, const char *title, const char *why)
{
    svg_begin(out, PLOT_W, 120, title, base_css);
    svg_text(out, 160, 300, "title", NULL, title);
    svg_text(out, 160, 600, "sub", NULL, why);
    svg_end(out);
}
