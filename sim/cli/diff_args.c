/* SPDX-License-Identifier: MIT */
/*
 * diff_args.c: the options `tcpsim diff` and `tcpsim check` share.
 *
 * Entry points: diff_args_add(), diff_args_resolve().
 */
#include <stdio.h>
#include <tcpsim/units.h>

#include "../diff/diff.h"
#include "cli.h"

void
diff_args_add(GOptionContext *ctx, struct diff_args *a)
{
    a->context = 3;
    GOptionEntry entries[] = {
        {"ignore", 0, 0, G_OPTION_ARG_STRING_ARRAY, &a->ignore,
         "Do not compare these (comma-separated, repeatable): time, isn, ports, addrs, seq, "
         "window, options, ts, annotations, or a kind of event: sent, delivered, dropped, "
         "discarded, state, timer, app, expect, note, cc, ss",
         "LIST"},
        {"ignore-time-within", 0, 0, G_OPTION_ARG_STRING, &a->time_within,
         "Times this close count as equal (\"1ms\")", "DUR"},
        {"pcap-at", 0, 0, G_OPTION_ARG_STRING, &a->pcap_at,
         "Compare segments only, as a capture at POINT sees them: a HOST, sent or delivered "
         "(the default, with tcpdump text, is the first host)",
         "POINT"},
        {"context", 0, 0, G_OPTION_ARG_INT, &a->context,
         "Aligned events shown before the first divergence (default 3)", "N"},
        {"all", 0, 0, G_OPTION_ARG_NONE, &a->all, "List every divergence, one a line", NULL},
        {"quiet", 'q', 0, G_OPTION_ARG_NONE, &a->quiet, "Print nothing; the exit status says it",
         NULL},
        G_OPTION_ENTRY_NULL,
    };
    g_option_context_add_main_entries(ctx, entries, NULL);
}

gboolean
diff_args_resolve(const char *cmd, const struct diff_args *a, struct diff_options *o)
{
    *o = (struct diff_options){.pcap_at = a->pcap_at, .all = a->all, .quiet = a->quiet};
    for (char **i = a->ignore; i != NULL && *i != NULL; i++) {
        g_autoptr(GError) e = NULL;
        if (!diff_parse_ignore(*i, &o->ignore, &e)) {
            cli_fail("%s: %s", cmd, e->message);
            return FALSE;
        }
    }
    if (a->time_within != NULL) {
        g_autoptr(GError) e = NULL;
        if (!tcpsim_parse_time(a->time_within, 0, &o->time_within, &e)) {
            cli_fail("%s: --ignore-time-within: %s", cmd, e->message);
            return FALSE;
        }
    }
    if (a->context < 0) {
        cli_fail("%s: --context must be 0 or more", cmd);
        return FALSE;
    }
    o->context = (unsigned)a->context;
    return TRUE;
}

void
diff_args_clear(struct diff_args *a)
{
    g_strfreev(a->ignore);
    g_free(a->time_within);
    g_free(a->pcap_at);
}
