/* SPDX-License-Identifier: MIT */
/*
 * pkt_report.c: what a run's outcome reads like: status names, the machine-readable
 * summary line, and the --compare list.
 *
 * Entry points: tcpsim_pkt_status_name(), tcpsim_pkt_summary(), tcpsim_pkt_parse_compare().
 * The human report (the script line, the script packet, the actual packet) is built by
 * the runner as it fails (pkt_net.c, pkt_run.c); the CLI prints it.
 */
#include <string.h>

#include "pkt_run.h"

const char *
tcpsim_pkt_status_name(enum tcpsim_pkt_status st)
{
    switch (st) {
    case TCPSIM_PKT_PASS:
        return "pass";
    case TCPSIM_PKT_FAIL:
        return "fail";
    case TCPSIM_PKT_UNSUPPORTED:
        return "unsupported";
    case TCPSIM_PKT_SCRIPT_ERROR:
        return "error";
    }
    return "?";
}

/* A value for the summary line: quotes and backslashes escaped, one line. */
static void
append_quoted(GString *out, const char *s)
{
    g_string_append_c(out, '"');
    for (; s && *s; s++) {
        if (*s == '"' || *s == '\\') {
            g_string_append_c(out, '\\');
        }
        g_string_append_c(out, *s == '\n' ? ' ' : *s);
    }
    g_string_append_c(out, '"');
}

char *
tcpsim_pkt_summary(const char *file, const struct tcpsim_pkt_result *r)
{
    GString *s = g_string_new("pkt-result status=");
    g_string_append(s, tcpsim_pkt_status_name(r->status));
    g_string_append(s, " file=");
    append_quoted(s, file);
    g_string_append_printf(s, " line=%d col=%d events=%u/%u time=", r->line, r->col,
                           r->events_run, r->events);
    pkt_fmt_time(s, r->end_time);
    g_autofree char *cmp = tcpsim_pkt_compare_name(r->compare ? r->compare
                                                               : TCPSIM_PKT_CMP_DEFAULT);
    g_string_append_printf(s, " compare=%s", cmp);
    if ((r->compare & TCPSIM_PKT_CMP_TIMING) || r->compare == 0) {
        g_string_append_printf(s, " tolerance_usecs=%" G_GINT64_FORMAT, r->tolerance_usecs);
    }
    g_string_append(s, " reason=");
    append_quoted(s, r->reason ? r->reason : "");
    return g_string_free(s, FALSE);
}

static const struct {
    const char *name;
    unsigned bit;
} fields[] = {
    {"flags", TCPSIM_PKT_CMP_FLAGS},     {"seq", TCPSIM_PKT_CMP_SEQ},
    {"ack", TCPSIM_PKT_CMP_ACK},         {"len", TCPSIM_PKT_CMP_LEN},
    {"win", TCPSIM_PKT_CMP_WIN},         {"options", TCPSIM_PKT_CMP_OPTIONS},
    {"timing", TCPSIM_PKT_CMP_TIMING},   {"psh", TCPSIM_PKT_CMP_PSH},
    {"all", TCPSIM_PKT_CMP_ALL},         {"strict", TCPSIM_PKT_CMP_ALL},
    {"default", TCPSIM_PKT_CMP_DEFAULT}, {"lenient", TCPSIM_PKT_CMP_LENIENT},
};

char *
tcpsim_pkt_compare_name(unsigned mask)
{
    if (mask == TCPSIM_PKT_CMP_ALL) {
        return g_strdup("all");
    }
    if (mask == TCPSIM_PKT_CMP_LENIENT) {
        return g_strdup("lenient");
    }
    GString *s = g_string_new(NULL);
    for (size_t i = 0; i < 8; i++) { /* the single fields come first in the table */
        if (mask & fields[i].bit) {
            g_string_append_printf(s, "%s%s", s->len ? "," : "", fields[i].name);
        }
    }
    return g_string_free(s, FALSE);
}

gboolean
tcpsim_pkt_parse_compare(const char *text, unsigned *mask, GError **error)
{
    g_auto(GStrv) parts = g_strsplit(text, ",", -1);
    unsigned m = 0;
    for (char **p = parts; *p; p++) {
        char *w = g_strstrip(*p);
        size_t i = 0;
        while (i < G_N_ELEMENTS(fields) && strcmp(fields[i].name, w) != 0) {
            i++;
        }
        if (i == G_N_ELEMENTS(fields)) {
            g_set_error(error, TCPSIM_PKT_ERROR, TCPSIM_PKT_ERROR_SYNTAX,
                        "--compare: unknown field \"%s\"; expected flags, psh, seq, ack, len, "
                        "win, options, timing, all (strict, the default) or lenient", w);
            return FALSE;
        }
        m |= fields[i].bit;
    }
    if (m == 0) {
        g_set_error(error, TCPSIM_PKT_ERROR, TCPSIM_PKT_ERROR_SYNTAX, "--compare: empty list");
        return FALSE;
    }
    *mask = m;
    return TRUE;
}
