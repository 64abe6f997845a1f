/* SPDX-License-Identifier: MIT */
/*
 * explain.c: explain mode's sink: the text trace, each line followed by an indented
 * sentence saying why it happened (when there is something to say).
 *
 * Entry point: explain_add(). Lines are printed exactly as the text trace prints them
 * (the same printer); the events of one time are held as a batch until time moves on,
 * because what explains a segment sent may be traced just after it (an abort's state
 * change follows its RST).
 */
#include <string.h>

#include "../trace/outfile.h"
#include "../trace/sink_text.h"
#include "explain.h"
#include "view.h"

struct sink_explain {
    struct outfile *out;
    struct text_lines *lines;
    const struct explain_texts *texts;
    struct rec batch;   /* the events of the current time */
    GPtrArray *printed; /* char *: the trace line of each */
    sim_time at;
    struct explain_flows *flows;
    GString *buf;
};

static void
flush(struct sink_explain *x)
{
    for (guint i = 0; i < x->batch.events->len; i++) {
        GString *b = x->buf;
        g_string_assign(b, g_ptr_array_index(x->printed, i));
        g_string_append_c(b, '\n');
        struct explain_pick p = explain_pick(&x->batch, i, x->flows);
        const char *tmpl = explain_template(x->texts, &p);
        if (tmpl != NULL) {
            g_string_append(b, "    ");
            explain_expand(b, tmpl, &p.args);
            if (p.muted) {
                g_string_append_c(b, ' ');
                g_string_append(b, x->texts->msg[EXM_MUTED]);
            }
            if (p.wheel) {
                g_string_append_c(b, ' ');
                explain_expand(b, x->texts->msg[EXM_WHEEL], &p.args);
            }
            g_string_append_c(b, '\n');
        }
        outfile_write(x->out, b->str, b->len);
    }
    rec_reset(&x->batch);
    g_ptr_array_set_size(x->printed, 0);
}

static void
explain_event(void *self, const struct trace_event *ev)
{
    struct sink_explain *x = self;
    if (x->batch.events->len > 0 && ev->at != x->at) {
        flush(x);
    }
    char line[TEXT_LINE_MAX];
    struct strbuf sb;
    sb_init(&sb, line, sizeof line);
    text_lines_event(x->lines, ev, &sb);
    g_ptr_array_add(x->printed, g_strdup(line));
    rec_add(&x->batch, ev);
    x->at = ev->at;
}

static void
explain_begin(void *self, const struct trace_header *hdr)
{
    struct sink_explain *x = self;
    GString *s = g_string_new(NULL);
    text_lines_header(x->lines, hdr, s);
    g_string_append_printf(s, "# explained (%s): each line is followed by why it happened\n",
                           x->texts->lang);
    outfile_write(x->out, s->str, s->len);
    g_string_free(s, TRUE);
}

static gboolean
explain_end(void *self, GError **error)
{
    struct sink_explain *x = self;
    flush(x);
    struct outfile *of = x->out;
    x->out = NULL;
    return outfile_commit(of, error);
}

static void
explain_free(void *self)
{
    struct sink_explain *x = self;
    outfile_discard(x->out);
    text_lines_free(x->lines);
    rec_clear(&x->batch);
    g_ptr_array_free(x->printed, TRUE);
    explain_flows_free(x->flows);
    g_string_free(x->buf, TRUE);
    g_free(x);
}

static const struct trace_sink_ops explain_ops = {
    .name = "explain",
    .begin = explain_begin,
    .event = explain_event,
    .end = explain_end,
    .free = explain_free,
};

const struct explain_texts *
explain_texts_for(const char *lang)
{
    static const struct explain_texts *const all[] = {&explain_en, &explain_zh};
    for (size_t i = 0; i < G_N_ELEMENTS(all); i++) {
        if (strcmp(all[i]->lang, lang) == 0) {
            return all[i];
        }
    }
    return NULL;
}

gboolean
explain_add(struct trace *t, const char *path, const char *lang, bool absolute, bool cc,
            GError **error)
{
    const struct explain_texts *texts = explain_texts_for(lang);
    g_return_val_if_fail(texts != NULL, FALSE); /* view_add() checked the language */
    struct outfile *of = outfile_open(&t->outputs, path, error);
    if (of == NULL) {
        return FALSE;
    }
    struct sink_explain *x = g_new0(struct sink_explain, 1);
    x->out = of;
    x->lines = text_lines_new(absolute);
    x->texts = texts;
    rec_init(&x->batch);
    x->printed = g_ptr_array_new_with_free_func(g_free);
    x->flows = explain_flows_new();
    x->buf = g_string_new(NULL);
    /* The same lines as the text trace: congestion-window changes only when asked for. */
    trace_add_sink(t, &explain_ops, x, cc ? TRACE_ALL : TRACE_ALL & ~TRACE_MASK(TRACE_CC));
    return TRUE;
}
