/* SPDX-License-Identifier: MIT */
/*
 * diff.c: the semantic diff's entry points: --ignore names, and one comparison.
 *
 * Entry points: diff_parse_ignore(), diff_traces(). A comparison is full (every kind of
 * event) when both inputs are tcpsim traces, and of segments only when either is
 * tcpdump text or a capture point is named: then a tcpsim trace stands for a capture at
 * that point (the first host by default), as `tcpsim run --pcap-at` would have taken it,
 * and times count from each side's first segment.
 */
#include <string.h>

#include "compare.h"
#include "report.h"

static const char *const ignore_names[] = {
    "time",  "isn",         "ports",  "addrs",     "seq",     "window",    "options",
    "ts",    "annotations", "sent",   "delivered", "dropped", "discarded", "state",
    "timer", "app",         "expect", "note",      "cc",  "ss",
};

const char *
diff_ignore_names(void)
{
    return "time, isn, ports, addrs, seq, window, options, ts, annotations, sent, delivered, "
           "dropped, discarded, state, timer, app, expect, note, cc, ss";
}

gboolean
diff_parse_ignore(const char *list, uint32_t *bits, GError **error)
{
    g_auto(GStrv) items = g_strsplit(list, ",", -1);
    for (char **it = items; *it; it++) {
        const char *w = g_strstrip(*it);
        unsigned i = 0;
        while (i < G_N_ELEMENTS(ignore_names) && strcmp(w, ignore_names[i]) != 0) {
            i++;
        }
        if (i == G_N_ELEMENTS(ignore_names)) {
            g_set_error(error, DIFF_ERROR, 0, "--ignore: unknown item \"%s\"; the items are: %s", w,
                        diff_ignore_names());
            return FALSE;
        }
        *bits |= 1u << i;
    }
    return TRUE;
}

static gboolean
host_known(const struct dtrace *t, const char *host)
{
    if (t->format != DTRACE_TCPSIM || t->hosts == NULL) {
        return FALSE;
    }
    g_auto(GStrv) hosts = g_strsplit(t->hosts, " ", -1);
    for (char **h = hosts; *h; h++) {
        size_t n = strcspn(*h, "=");
        if (strlen(host) == n && strncmp(*h, host, n) == 0) {
            return TRUE;
        }
    }
    return FALSE;
}

static gboolean
capture_point(const struct dtrace *a, const struct dtrace *b, const char *at, struct view_config *c,
              GError **error)
{
    const struct dtrace *sim = a->format == DTRACE_TCPSIM ? a : b;
    if (at == NULL) {
        at = sim->format == DTRACE_TCPSIM ? sim->first_host : NULL;
        c->at = at ? VIEW_AT_HOST : VIEW_AT_SENT;
        c->at_host = at;
        return TRUE;
    }
    if (strcmp(at, "sent") == 0 || strcmp(at, "delivered") == 0) {
        c->at = at[0] == 's' ? VIEW_AT_SENT : VIEW_AT_DELIVERED;
        return TRUE;
    }
    if ((a->format == DTRACE_TCPSIM && !host_known(a, at)) ||
        (b->format == DTRACE_TCPSIM && !host_known(b, at))) {
        g_set_error(error, DIFF_ERROR, 0,
                    "--pcap-at: unknown capture point \"%s\"; expected a host of the trace "
                    "(%s) or \"sent\" or \"delivered\"",
                    at, sim->hosts ? sim->hosts : "none named");
        return FALSE;
    }
    c->at = VIEW_AT_HOST;
    c->at_host = at;
    return TRUE;
}

static int64_t
precision_of(const struct dtrace *a, const struct dtrace *b)
{
    int digits = MIN(a->time_digits, b->time_digits);
    int64_t p = 1;
    for (int d = digits; d < 9; d++) {
        p *= 10;
    }
    return p;
}

/* Header lines that differ are worth a word; they are not divergences. */
static void
header_notes(const struct dtrace *a, const struct dtrace *b, FILE *out)
{
    if (a->format != DTRACE_TCPSIM || b->format != DTRACE_TCPSIM) {
        return;
    }
    const char *names[] = {"scenario", "title", "seed", "hosts"};
    const char *va[] = {a->scenario, a->title, a->seed, a->hosts};
    const char *vb[] = {b->scenario, b->title, b->seed, b->hosts};
    for (unsigned i = 0; i < G_N_ELEMENTS(names); i++) {
        if (g_strcmp0(va[i], vb[i]) != 0) {
            fprintf(out, "note: %s differs: %s vs %s\n", names[i], va[i] ? va[i] : "(none)",
                    vb[i] ? vb[i] : "(none)");
        }
    }
}

int64_t
diff_traces(const struct dtrace *a, const struct dtrace *b, const struct diff_options *o, FILE *out,
            GError **error)
{
    struct view_config c = {.ignore = o->ignore, .precision = precision_of(a, b)};
    bool tcpdump = a->format == DTRACE_TCPDUMP || b->format == DTRACE_TCPDUMP;
    c.segments_only = tcpdump || o->pcap_at != NULL;
    c.rebase = tcpdump;
    if (c.segments_only && !capture_point(a, b, o->pcap_at, &c, error)) {
        return -1;
    }
    if (!a->has_time || !b->has_time) {
        c.ignore |= DIFF_IGN_TIME;
    }
    struct keyspace ks;
    keyspace_init(&ks);
    struct view va;
    struct view vb;
    view_build(&va, a, &c, &ks);
    view_build(&vb, b, &c, &ks);
    struct comparison cmp;
    compare_views(&va, &vb, &c, o->time_within, &cmp);
    if (!o->quiet) {
        header_notes(a, b, out);
        struct report r = {&va, &vb, &c, &cmp, o->context, o->all};
        report_print(&r, out);
    }
    int64_t n = (int64_t)cmp.divergences;
    comparison_clear(&cmp);
    view_clear(&va);
    view_clear(&vb);
    keyspace_clear(&ks);
    return n;
}
