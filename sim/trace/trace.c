/* SPDX-License-Identifier: MIT */
/*
 * trace.c: the sink fan-out.
 *
 * Entry points: trace_add_sink(), trace_begin(), trace_emit(), trace_end().
 */
#include "trace.h"

void
trace_init(struct trace *t)
{
    t->mask = 0;
    t->sinks = g_array_new(FALSE, TRUE, sizeof(struct trace_sink));
    outfile_group_init(&t->outputs);
}

void
trace_destroy(struct trace *t)
{
    if (t->sinks == NULL) {
        return;
    }
    for (guint i = 0; i < t->sinks->len; i++) {
        struct trace_sink *s = &g_array_index(t->sinks, struct trace_sink, i);
        s->ops->free(s->self);
    }
    g_array_free(t->sinks, TRUE);
    t->sinks = NULL;
    outfile_group_discard(&t->outputs);
    t->mask = 0;
}

void
trace_add_sink(struct trace *t, const struct trace_sink_ops *ops, void *self, uint32_t mask)
{
    struct trace_sink s = {.ops = ops, .self = self, .mask = mask};
    g_array_append_val(t->sinks, s);
    t->mask |= mask;
}

void
trace_begin(struct trace *t, const struct trace_header *hdr)
{
    for (guint i = 0; i < t->sinks->len; i++) {
        struct trace_sink *s = &g_array_index(t->sinks, struct trace_sink, i);
        if (s->ops->begin) {
            s->ops->begin(s->self, hdr);
        }
    }
}

void
trace_emit(struct trace *t, const struct trace_event *ev)
{
    uint32_t bit = TRACE_MASK(ev->kind);
    for (guint i = 0; i < t->sinks->len; i++) {
        struct trace_sink *s = &g_array_index(t->sinks, struct trace_sink, i);
        if (s->mask & bit) {
            s->ops->event(s->self, ev);
        }
    }
}

gboolean
trace_end(struct trace *t, GError **error)
{
    gboolean ok = TRUE;
    for (guint i = 0; i < t->sinks->len; i++) {
        struct trace_sink *s = &g_array_index(t->sinks, struct trace_sink, i);
        if (s->ops->end && !s->ops->end(s->self, ok ? error : NULL)) {
            ok = FALSE;
        }
    }
    if (!ok) {
        outfile_group_discard(&t->outputs); /* all the outputs, or none */
        return FALSE;
    }
    return outfile_group_commit(&t->outputs, error);
}
