/* SPDX-License-Identifier: MIT */
/*
 * parse_tcpsim.c: tcpsim's text trace (docs/traces.md), read back into events.
 *
 * Entry point: dtrace_parse_tcpsim(). Each line is "TIME WHO EVENT BODY" or a "#" header
 * line. Segment bodies go through dseg_parse(); the rest of a segment line may only be
 * the annotation in parentheses. Any other shape is an error at its line.
 */
#include <string.h>

#include "dtrace.h"

static const char *const event_words[] = {
    [DEV_SENT] = "sent",       [DEV_DELIVERED] = "delivered",
    [DEV_DROPPED] = "dropped", [DEV_DISCARDED] = "discarded",
    [DEV_STATE] = "state",     [DEV_TIMER] = "timer",
    [DEV_APP] = "app",         [DEV_EXPECT] = "expect",
    [DEV_NOTE] = "note",       [DEV_CC] = "cc",
    [DEV_SS] = "ss",
};

/* "1.040000000": seconds and up to nine decimals. */
static bool
parse_time(const char *s, size_t n, int64_t *ns, int *digits)
{
    const char *dot = memchr(s, '.', n);
    if (dot == NULL || dot == s || (size_t)(s + n - dot - 1) > 9 || s + n - dot - 1 == 0) {
        return false;
    }
    int64_t sec = 0;
    for (const char *c = s; c < dot; c++) {
        if (*c < '0' || *c > '9' || sec > INT64_MAX / 10 / 1000000000) {
            return false;
        }
        sec = sec * 10 + (*c - '0');
    }
    int64_t frac = 0;
    int d = 0;
    for (const char *c = dot + 1; c < s + n; c++, d++) {
        if (*c < '0' || *c > '9') {
            return false;
        }
        frac = frac * 10 + (*c - '0');
    }
    *digits = d;
    for (; d < 9; d++) {
        frac *= 10;
    }
    *ns = sec * 1000000000 + frac;
    return true;
}

static void
header_line(struct dtrace *t, const char *s)
{
    const char *v = NULL;
    if ((v = g_str_has_prefix(s, "# scenario ") ? s + 11 : NULL) != NULL) {
        g_free(t->scenario);
        t->scenario = g_strdup(v);
    } else if ((v = g_str_has_prefix(s, "# title ") ? s + 8 : NULL) != NULL) {
        g_free(t->title);
        t->title = g_strdup(v);
    } else if ((v = g_str_has_prefix(s, "# seed ") ? s + 7 : NULL) != NULL) {
        g_free(t->seed);
        t->seed = g_strdup(v);
    } else if ((v = g_str_has_prefix(s, "# hosts ") ? s + 8 : NULL) != NULL) {
        g_free(t->hosts);
        t->hosts = g_strdup(v);
        g_free(t->first_host);
        t->first_host = g_strndup(v, strcspn(v, "= "));
    } else if (g_str_has_prefix(s, "# sequence numbers absolute")) {
        t->absolute = true;
    }
}

static bool
segment(struct dtrace *t, struct dev *e, const char *body, const char **why)
{
    const char *rest = NULL;
    if (!dseg_parse(body, &e->seg, &rest, t->strings, why)) {
        return false;
    }
    size_t n = strlen(rest);
    if (n == 0) {
        return true;
    }
    if (n < 4 || strncmp(rest, " (", 2) != 0 || rest[n - 1] != ')') {
        *why = "after \"length N\" only an annotation in parentheses may follow";
        return false;
    }
    e->seg.annotation = g_string_chunk_insert_len(t->strings, rest + 2, (gssize)n - 3);
    return true;
}

static gboolean
event_line(struct dtrace *t, char *s, uint32_t line, GError **error)
{
    struct dev e = {.line = line, .text = s};
    size_t n = strcspn(s, " ");
    int digits = 0;
    if (!parse_time(s, n, &e.at, &digits)) {
        dtrace_error(error, t, line, "expected a time in seconds (\"1.040000000\"), found \"%.*s\"",
                     (int)MIN(n, 40), s);
        return FALSE;
    }
    t->time_digits = MAX(t->time_digits, digits);
    const char *p = s + n + strspn(s + n, " ");
    n = strcspn(p, " ");
    if (n == 0) {
        dtrace_error(error, t, line, "expected TIME WHO EVENT BODY");
        return FALSE;
    }
    e.who = g_string_chunk_insert_len(t->strings, p, (gssize)n);
    p += n + strspn(p + n, " ");
    n = strcspn(p, " ");
    e.kind = DEV_NKINDS;
    for (unsigned k = 0; k < G_N_ELEMENTS(event_words); k++) {
        if (strlen(event_words[k]) == n && strncmp(p, event_words[k], n) == 0) {
            e.kind = (enum dev_kind)k;
        }
    }
    if (e.kind == DEV_NKINDS) {
        dtrace_error(error, t, line,
                     "unknown event \"%.*s\" (expected sent, delivered, "
                     "dropped, discarded, state, timer, app, expect, note, cc or ss)",
                     (int)MIN(n, 40), p);
        return FALSE;
    }
    e.body = p + n + strspn(p + n, " ");
    const char *why = NULL;
    if (dev_is_segment(e.kind) && !segment(t, &e, e.body, &why)) {
        dtrace_error(error, t, line, "%s segment: %s", event_words[e.kind], why);
        return FALSE;
    }
    g_array_append_val(t->ev, e);
    return TRUE;
}

gboolean
dtrace_parse_tcpsim(struct dtrace *t, GError **error)
{
    t->has_time = true;
    char *text = t->text;
    uint32_t line = 0;
    for (char *p; (p = dtrace_next_line(&text, &line)) != NULL;) {
        if (line == 1 && strcmp(p, "# tcpsim trace v1") != 0) {
            dtrace_error(error, t, line, "\"%s\": this tcpsim reads trace format v1", p);
            return FALSE;
        }
        if (*p == '#') {
            header_line(t, p);
        } else if (*p && !event_line(t, p, line, error)) {
            return FALSE;
        }
    }
    return TRUE;
}
