/* SPDX-License-Identifier: MIT */
/*
 * script.c: scripted faults, "drop/delay/duplicate the next N segments [matching]".
 *
 * Entry points: link_add_rule(), link_script_match(). Every rule counts the segments it
 * matches: a rule "after K" lets its first K pass. Then a segment is taken by the first
 * rule, in installation order, that matches it and has nothing left to skip; that rule
 * has one use fewer, and is removed when it has none.
 */
#include "link.h"

bool
link_filter_matches(const struct link_filter *f, const struct tcp_seg *seg)
{
    if (f->match_flags && (seg->flags & 0xFF) != (f->flags & 0xFF)) {
        return false;
    }
    if (f->has_data == 0 && seg->len != 0) {
        return false;
    }
    if (f->has_data == 1 && seg->len == 0) {
        return false;
    }
    if (f->match_seq && !seq_between(seg->seq, f->seq_lo, f->seq_hi)) {
        return false;
    }
    return true;
}

void
link_add_rule(struct link_dir *d, const struct link_rule *r)
{
    if (r->left > 0) {
        g_array_append_val(d->rules, *r);
    }
}

struct link_rule *
link_script_match(struct link_dir *d, const struct tcp_seg *seg)
{
    int taken = -1;
    for (guint i = 0; i < d->rules->len; i++) {
        struct link_rule *r = &g_array_index(d->rules, struct link_rule, i);
        if (!link_filter_matches(&r->filter, seg)) {
            continue;
        }
        if (r->skip > 0) {
            r->skip--;
        } else if (taken < 0) {
            taken = (int)i;
        }
    }
    if (taken < 0) {
        return NULL;
    }
    struct link_rule *r = &g_array_index(d->rules, struct link_rule, (guint)taken);
    /* Hand back a copy that outlives the removal of an exhausted rule. */
    d->matched = *r;
    if (--r->left == 0) {
        g_array_remove_index(d->rules, (guint)taken);
    }
    return &d->matched;
}
