/* SPDX-License-Identifier: MIT */
/*
 * cmd_replay.c: "tcpsim replay CAPTURE": a real capture replayed against tcpsim.
 */
#include <stdio.h>
#include <string.h>
#include <tcpsim/replay.h>

#include "cli.h"

#define EXIT_UNSUPPORTED 77

int
cmd_replay(int argc, char **argv)
{
    g_autofree char *as = NULL;
    g_autofree char *personality = NULL;
    g_autofree char *emit_script = NULL;
    g_autofree char *emit_scenario = NULL;
    g_auto(GStrv) sets = NULL;
    gint64 tolerance = 0;
    gint connection = 0;
    gboolean show = FALSE;
    GOptionEntry entries[] = {
        {"as", 0, 0, G_OPTION_ARG_STRING, &as, "The endpoint under test: ADDR or ADDR:PORT (default: the side that sent each connection's first SYN)", "ADDR[:PORT]"},
        {"personality", 0, 0, G_OPTION_ARG_STRING, &personality, "The TCP the endpoint runs: linux (default), rfc or freebsd", "NAME"},
        {"set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets, "Set a tunable of the endpoint: knob=value (repeatable)", "K=V"},
        {"tolerance_usecs", 0, 0, G_OPTION_ARG_INT64, &tolerance, "How far a segment's time may be from the capture's (default 14000)", "N"},
        {"connection", 0, 0, G_OPTION_ARG_INT, &connection, "Replay only the Nth connection of the capture (from 1)", "N"},
        {"emit-script", 0, 0, G_OPTION_ARG_FILENAME, &emit_script, "Write the inferred packetdrill script of each connection to FILE (FILE.2.pkt ... for more), a regression test for tcpsim pkt", "FILE"},
        {"emit-scenario", 0, 0, G_OPTION_ARG_FILENAME, &emit_scenario, "Write each connection as a tcpsim scenario to FILE (FILE.2.scn ... for more): both ends in tcpsim with the inferred calls, the captured delay and losses; a regression test for tcpsim check", "FILE"},
        {"show-script", 0, 0, G_OPTION_ARG_NONE, &show, "Print each inferred script in the report", NULL},
        G_OPTION_ENTRY_NULL,
    };
    g_autoptr(GOptionContext) ctx = g_option_context_new("CAPTURE - replay a real capture against tcpsim");
    g_option_context_set_summary(ctx,
        "Reads a capture (pcap, pcapng, or tcpdump -n text), takes each connection from the\n"
        "side of its endpoint under test, infers that endpoint's application calls from\n"
        "what it sent, and runs the whole as a packetdrill script against a tcpsim host:\n"
        "the other side's segments are injected, the endpoint's must come out the same\n"
        "(flags, seq, ack, length, window, options, time). Reports the first divergence\n"
        "with its context and tcpsim's reason, and what had to be guessed.");
    g_option_context_set_description(ctx,
        "Exit status: 0 every connection replays with no divergence, 1 one diverged,\n"
        "2 bad input or options, 77 a connection needs what tcpsim does not model.\n"
        "Examples:\n"
        "  tcpsim replay server.pcap --as 10.1.1.1:443\n"
        "  tcpsim replay capture.pcap --personality rfc\n"
        "  tcpdump -n -r x.pcap > x.txt; tcpsim replay x.txt --emit-script x.pkt\n"
        "  tcpsim replay x.pcap --emit-scenario x.scn; tcpsim check x.scn --update\n"
        "The inference rules and their limits: docs/replay.md.");
    g_option_context_add_main_entries(ctx, entries, NULL);
    if (!cli_parse(ctx, &argc, &argv)) {
        return EXIT_USAGE;
    }
    if (argc != 2) {
        return cli_fail(argc < 2 ? "replay: a CAPTURE is needed; try \"tcpsim replay --help\""
                                 : "replay: one capture at a time; try \"tcpsim replay --help\"");
    }
    if (tolerance < 0 || tolerance > 1000000000) {
        return cli_fail("replay: --tolerance_usecs must be 0..1000000000");
    }
    if (connection < 0) {
        return cli_fail("replay: --connection counts from 1");
    }
    struct tcpsim_replay_options o = {
        .as = as,
        .personality = personality,
        .sets = (const char *const *)sets,
        .tolerance_usecs = tolerance,
        .connection = (unsigned)connection,
        .emit_script = emit_script,
        .emit_scenario = emit_scenario,
        .show_script = show,
    };
    GString *report = g_string_new(NULL);
    struct tcpsim_replay_result res;
    GError *e = NULL;
    gboolean ok = tcpsim_replay(argv[1], &o, report, &res, &e);
    fputs(report->str, stdout);
    g_string_free(report, TRUE);
    if (!ok) {
        int st = cli_fail("%s", e->message);
        g_error_free(e);
        return st;
    }
    if (res.diverged > 0) {
        return EXIT_CHECK_FAILED;
    }
    return res.unsupported > 0 ? EXIT_UNSUPPORTED : EXIT_OK;
}
