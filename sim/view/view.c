/* SPDX-License-Identifier: MIT */
/*
 * view.c: checks the views' options and adds their sinks.
 *
 * Entry point: view_add().
 */
#include "view.h"

#include <string.h>

#include "explain.h"

static const char *const langs[] = {"en", "zh", NULL};

const char *const *
tcpsim_view_langs(void)
{
    return langs;
}

static gboolean
check(const struct tcpsim_views *v, GError **error)
{
    if (v->lang != NULL && explain_texts_for(v->lang) == NULL) {
        g_set_error(error, TCPSIM_ERROR, 0, "explain: no language \"%s\"; expected en or zh",
                    v->lang);
        return FALSE;
    }
    if (v->from < 0) {
        g_set_error(error, TCPSIM_ERROR, 0, "views: the window starts before time 0");
        return FALSE;
    }
    if (v->has_to && v->to < v->from) {
        g_set_error(error, TCPSIM_ERROR, 0, "views: the window ends before it starts");
        return FALSE;
    }
    return TRUE;
}

gboolean
view_add(struct trace *t, const struct tcpsim_views *v, bool absolute, bool cc, GError **error)
{
    if (!check(v, error)) {
        return FALSE;
    }
    if ((v->ladder || v->ladder_svg || v->html) && !sink_ladder_add(t, v, absolute, error)) {
        return FALSE;
    }
    if (v->quiz && !quiz_add(t, v, error)) {
        return FALSE;
    }
    if (v->plot_seq && !plot_seq_add(t, v, error)) {
        return FALSE;
    }
    if (v->plot_cwnd && !plot_cwnd_add(t, v, error)) {
        return FALSE;
    }
    if (v->explain && !explain_add(t, v->explain, v->lang ? v->lang : "en", absolute, cc, error)) {
        return FALSE;
    }
    return TRUE;
}
