/* SPDX-License-Identifier: MIT */
/*
 * compare.c: align two views and classify what differs.
 *
 * Entry point: compare_views(). First the full keys are aligned (lcs.c): equal events
 * pair up, and the time of each pair is checked. Between two pairs lies a hunk of events
 * only one side has; inside it the coarse keys are aligned in turn, so "the same"
 * segment or state change with other details pairs up and its differing fields are
 * named. What still has no partner is missing from B or extra in B.
 */
#include <string.h>

#include "compare.h"
#include "lcs.h"

static uint32_t
segment_fields(const struct view_ev *xa, const struct view_ev *yb, const struct view_config *c)
{
    const struct dseg *s = &xa->seg;
    const struct dseg *t = &yb->seg;
    uint32_t ign = c->ignore;
    uint32_t f = 0;
    bool addrs = !(ign & DIFF_IGN_ADDRS) && (!tcpsim_addr_equal(&s->saddr, &t->saddr) ||
                                           !tcpsim_addr_equal(&s->daddr, &t->daddr));
    bool ports = !(ign & DIFF_IGN_PORTS) && (s->sport != t->sport || s->dport != t->dport);
    f |= addrs || ports ? FLD_ENDPOINTS : 0;
    f |= s->flags != t->flags ? FLD_FLAGS : 0;
    if (!(ign & DIFF_IGN_SEQ)) {
        bool seq =
            s->has_seq != t->has_seq || (s->has_seq && (s->seq != t->seq || s->end != t->end));
        bool ack = s->has_ack != t->has_ack || (s->has_ack && s->ack != t->ack);
        f |= (seq ? FLD_SEQ : 0) | (ack ? FLD_ACK : 0);
    }
    f |= !(ign & DIFF_IGN_WINDOW) && s->win != t->win ? FLD_WIN : 0;
    f |= s->has_urg != t->has_urg || s->urg != t->urg ? FLD_URG : 0;
    f |= !(ign & DIFF_IGN_OPTIONS) && strcmp(xa->opts, yb->opts) != 0 ? FLD_OPTIONS : 0;
    f |= s->len != t->len ? FLD_LEN : 0;
    if (!c->segments_only && !(ign & DIFF_IGN_ANNOTATIONS)) {
        const char *p = s->annotation ? s->annotation : "";
        const char *q = t->annotation ? t->annotation : "";
        f |= strcmp(p, q) != 0 ? FLD_ANNOTATION : 0;
    }
    return f;
}

struct ctx {
    const struct view *va;
    const struct view *vb;
    const struct view_config *c;
    int64_t time_within;
    struct comparison *out;
};

static bool
times_differ(const struct ctx *x, int64_t a, int64_t b)
{
    if (x->c->ignore & DIFF_IGN_TIME) {
        return false;
    }
    int64_t d = view_item(x->va, (guint)a)->at - view_item(x->vb, (guint)b)->at;
    return (d < 0 ? -d : d) > x->time_within;
}

static void
add(struct ctx *x, int64_t a, int64_t b, int64_t next_a, int64_t next_b)
{
    struct step s = {.a = a, .b = b, .next_a = next_a, .next_b = next_b};
    if (a >= 0 && b >= 0) {
        const struct dev *ea = view_dev(x->va, (guint)a);
        const struct dev *eb = view_dev(x->vb, (guint)b);
        uint32_t key_a = g_array_index(x->va->key, uint32_t, a);
        uint32_t key_b = g_array_index(x->vb->key, uint32_t, b);
        if (key_a != key_b) {
            s.fields =
                dev_is_segment(ea->kind) && dev_is_segment(eb->kind)
                    ? segment_fields(view_item(x->va, (guint)a), view_item(x->vb, (guint)b), x->c)
                    : FLD_BODY;
        }
        s.fields |= times_differ(x, a, b) ? FLD_TIME : 0;
        s.type = (s.fields & ~(uint32_t)FLD_TIME) ? DIV_CHANGED : DIV_TIMING;
        s.diverges = s.fields != 0;
    } else {
        s.type = a >= 0 ? DIV_MISSING : DIV_EXTRA;
        s.diverges = true;
    }
    if (s.diverges) {
        if (x->out->first < 0) {
            x->out->first = (int64_t)x->out->steps->len;
        }
        x->out->divergences++;
    }
    g_array_append_val(x->out->steps, s);
}

/* The events between two aligned pairs: pair what has the same coarse key. */
static void
hunk(struct ctx *x, int64_t a0, int64_t a1, int64_t b0, int64_t b1)
{
    GArray *pairs = g_array_new(FALSE, FALSE, sizeof(struct lcs_pair));
    if (a1 > a0 && b1 > b0) {
        const uint32_t *ca = &g_array_index(x->va->coarse, uint32_t, a0);
        const uint32_t *cb = &g_array_index(x->vb->coarse, uint32_t, b0);
        lcs_match(ca, (size_t)(a1 - a0), cb, (size_t)(b1 - b0), pairs);
    }
    int64_t a = a0;
    int64_t b = b0;
    for (guint i = 0; i <= pairs->len; i++) {
        struct lcs_pair p = {(uint32_t)(a1 - a0), (uint32_t)(b1 - b0)};
        if (i < pairs->len) {
            p = g_array_index(pairs, struct lcs_pair, i);
        }
        for (; a < a0 + p.a; a++) {
            add(x, a, -1, a, b);
        }
        for (; b < b0 + p.b; b++) {
            add(x, -1, b, a, b);
        }
        if (i < pairs->len) {
            add(x, a, b, a, b);
            a++;
            b++;
        }
    }
    g_array_free(pairs, TRUE);
}

void
compare_views(const struct view *va, const struct view *vb, const struct view_config *c,
              int64_t time_within, struct comparison *out)
{
    *out =
        (struct comparison){.steps = g_array_new(FALSE, FALSE, sizeof(struct step)), .first = -1};
    struct ctx x = {va, vb, c, time_within, out};
    GArray *pairs = g_array_new(FALSE, FALSE, sizeof(struct lcs_pair));
    lcs_match((const uint32_t *)(void *)va->key->data, va->key->len,
              (const uint32_t *)(void *)vb->key->data, vb->key->len, pairs);
    int64_t a = 0;
    int64_t b = 0;
    for (guint i = 0; i <= pairs->len; i++) {
        struct lcs_pair p = {va->key->len, vb->key->len};
        if (i < pairs->len) {
            p = g_array_index(pairs, struct lcs_pair, i);
        }
        hunk(&x, a, p.a, b, p.b);
        if (i < pairs->len) {
            add(&x, p.a, p.b, p.a, p.b);
        }
        a = (int64_t)p.a + 1;
        b = (int64_t)p.b + 1;
    }
    g_array_free(pairs, TRUE);
}

void
comparison_clear(struct comparison *r)
{
    g_array_free(r->steps, TRUE);
}
