/* SPDX-License-Identifier: MIT */
/*
 * cmd_pkt.c: "tcpsim pkt SCRIPT.pkt": run a packetdrill script against one tcpsim
 * endpoint and report as packetdrill does, plus one machine-readable summary line.
 */
#include <stdio.h>
#include <string.h>
#include <tcpsim/pkt.h>

#include "cli.h"

/* Exit status for a script tcpsim cannot run: automake's and meson's "skipped". */
#define EXIT_UNSUPPORTED 77

static int
report(const char *path, const struct tcpsim_pkt_result *res, bool quiet)
{
    g_auto(GStrv) notes = g_strsplit(res->notes ? res->notes : "", "\n", -1);
    for (char **n = notes; *n; n++) {
        if (**n) {
            fprintf(stderr, "%s: note: %s\n", path, *n);
        }
    }
    switch (res->status) {
    case TCPSIM_PKT_PASS:
        break;
    case TCPSIM_PKT_FAIL:
        fprintf(stderr, "%s:%d: error: %s\n", path, res->line, res->reason);
        break;
    case TCPSIM_PKT_UNSUPPORTED:
        fprintf(stderr, "%s:%d:%d: unsupported: %s\n", path, res->line, res->col, res->reason);
        break;
    case TCPSIM_PKT_SCRIPT_ERROR:
        fprintf(stderr, "%s:%d:%d: error: %s\n", path, res->line, res->col, res->reason);
        break;
    }
    if (res->details && *res->details) {
        fprintf(stderr, "%s\n", res->details);
    }
    if (!quiet) {
        g_autofree char *line = tcpsim_pkt_summary(path, res);
        printf("%s\n", line);
    }
    switch (res->status) {
    case TCPSIM_PKT_PASS:
        return EXIT_OK;
    case TCPSIM_PKT_FAIL:
        return EXIT_CHECK_FAILED;
    case TCPSIM_PKT_UNSUPPORTED:
        return EXIT_UNSUPPORTED;
    case TCPSIM_PKT_SCRIPT_ERROR:
        return EXIT_USAGE;
    }
    return EXIT_USAGE;
}

/* A script that did not load: a syntax error, or a construct tcpsim does not model.
 * The message reads "file:line:col: kind: what"; the summary gets line, col and what. */
static int
load_failed(const char *path, const GError *e, bool quiet)
{
    bool unsupported = e->code == TCPSIM_PKT_ERROR_UNSUPPORTED;
    fprintf(stderr, "%s\n", e->message);
    if (!quiet) {
        struct tcpsim_pkt_result res = {
            .status = unsupported ? TCPSIM_PKT_UNSUPPORTED : TCPSIM_PKT_SCRIPT_ERROR,
            .reason = (char *)e->message,
        };
        size_t n = strlen(path);
        const char *kind = strstr(e->message, unsupported ? ": unsupported: " : ": error: ");
        if (strncmp(e->message, path, n) == 0 && e->message[n] == ':' && kind != NULL &&
            sscanf(e->message + n + 1, "%d:%d", &res.line, &res.col) == 2) {
            res.reason = (char *)strchr(kind + 2, ':') + 2;
        }
        g_autofree char *line = tcpsim_pkt_summary(path, &res);
        printf("%s\n", line);
    }
    return unsupported ? EXIT_UNSUPPORTED : EXIT_USAGE;
}

int
cmd_pkt(int argc, char **argv)
{
    g_autofree char *compare = NULL;
    g_auto(GStrv) sets = NULL;
    g_auto(GStrv) defines = NULL;
    g_autofree char *trace = NULL;
    gint64 seed = 1;
    gint64 tolerance = 0;
    gboolean verbose = FALSE;
    gboolean quiet = FALSE;
    g_autofree char *personality_opt = NULL;
    g_autofree char *ip_version = NULL;
    g_autofree char *local_ip = NULL;
    g_autofree char *remote_ip = NULL;
    g_autofree char *mtu = NULL;
    g_autofree char *tolerance_percent = NULL;
    GOptionEntry entries[] = {
        {"personality", 0, 0, G_OPTION_ARG_STRING, &personality_opt, "The TCP the local host runs: linux (default), rfc or freebsd (the same as --set personality=NAME first; FreeBSD's sysctl lines and #ifdef FreeBSD blocks then apply)", "NAME"},
        {"compare", 'c', 0, G_OPTION_ARG_STRING, &compare, "What outbound segments are compared on: all (the default, as packetdrill: flags with PSH, seq, ack, payload length, window, options, send times), lenient (flags,seq,ack,len only), or any list of flags, psh, seq, ack, len, win, options, timing", "LIST"},
        {"tolerance_usecs", 0, 0, G_OPTION_ARG_INT64, &tolerance, "How far a segment's or a call's time may be from the script's, in microseconds (packetdrill's flag; default 4000; a script's own header option wins)", "N"},
        {"tolerance_percent", 0, 0, G_OPTION_ARG_STRING, &tolerance_percent, "Or that share of the interval since the last event, when larger (packetdrill's flag; default 12.5, packetdrill's: the timer wheel's worst case; 0 for the fixed tolerance alone; a script's own header option wins)", "P"},
        {"ip_version", 0, 0, G_OPTION_ARG_STRING, &ip_version, "ipv4 (the default), ipv6, or ipv4-mapped-ipv6 (AF_INET6 sockets, IPv4 packets), with packetdrill's default addresses: 192.168.0.1 and 192.0.2.1, or fd3d:fa7b:d17d::1 and 2001:db8::1 (packetdrill's flag; a script's own header option wins)", "V"},
        {"local_ip", 0, 0, G_OPTION_ARG_STRING, &local_ip, "The local host's address (packetdrill's flag)", "ADDR"},
        {"remote_ip", 0, 0, G_OPTION_ARG_STRING, &remote_ip, "The script's (remote) address (packetdrill's flag)", "ADDR"},
        {"mtu", 0, 0, G_OPTION_ARG_STRING, &mtu, "The local interface's MTU (packetdrill's flag; its run_all.py gives IPv6 runs 1520, so the MSS is IPv4's 1460)", "BYTES"},
        {"set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets, "Set a tunable of the local host: knob=value (repeatable), e.g. personality=rfc", "K=V"},
        {"define", 'D', 0, G_OPTION_ARG_STRING_ARRAY, &defines, "Define NAME for the script's #ifdef blocks (repeatable; packetdrill's -D; NAME=VALUE is accepted, the value unused). The personality's stack is defined already: Linux for linux, FreeBSD for freebsd", "NAME"},
        {"seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Seed for the local host's ISNs and timestamp offset (default 1)", "N"},
        {"trace", 0, 0, G_OPTION_ARG_FILENAME, &trace, "Write tcpsim's text trace of the run to FILE (- for standard output)", "FILE"},
        {"verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, "Print every event and segment as the run goes", NULL},
        {"quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "Do not print the summary line", NULL},
        G_OPTION_ENTRY_NULL,
    };
    g_autoptr(GOptionContext) ctx = g_option_context_new("SCRIPT.pkt - run a packetdrill script");
    g_option_context_set_summary(ctx,
        "Runs a packetdrill script against one tcpsim endpoint: the script plays the\n"
        "remote peer in virtual time, its < segments are injected, its > segments must\n"
        "be what the local stack sends, its system calls drive the local application.");
    g_option_context_set_description(ctx,
        "Prints the first difference as packetdrill does (script line, script packet,\n"
        "actual packet), then a summary line: pkt-result status=... file=... line=...\n"
        "Exit status: 0 pass, 1 fail, 2 syntax or usage error, 77 unsupported (the script\n"
        "needs something tcpsim does not model; the construct is named).\n"
        "The dialect and what is compared: docs/conformance.md.");
    g_option_context_add_main_entries(ctx, entries, NULL);
    if (!cli_parse(ctx, &argc, &argv)) {
        return EXIT_USAGE;
    }
    if (argc != 2) {
        return cli_fail(argc < 2 ? "pkt: a SCRIPT.pkt is needed; try \"tcpsim pkt --help\""
                                 : "pkt: one script at a time; try \"tcpsim pkt --help\"");
    }
    if (trace != NULL && strcmp(trace, "-") != 0 && cli_same_file(trace, argv[1])) {
        return cli_fail("pkt: --trace %s names the script, which it would overwrite; give the "
                        "trace another name", trace);
    }
    GError *e = NULL;
    unsigned mask = TCPSIM_PKT_CMP_DEFAULT;
    if (compare != NULL && !tcpsim_pkt_parse_compare(compare, &mask, &e)) {
        int st = cli_fail("%s", e->message);
        g_error_free(e);
        return st;
    }
    if (tolerance < 0 || tolerance > 1000000000) {
        return cli_fail("pkt: --tolerance_usecs must be 0..1000000000");
    }
    if (seed < 0) {
        return cli_fail("pkt: --seed must not be negative");
    }
    if (personality_opt != NULL) {
        /* --personality NAME is a first --set personality=NAME: later --set lines
         * (FreeBSD's own sysctls among them) apply on top of its defaults. */
        guint n = sets ? g_strv_length(sets) : 0;
        char **all = g_new0(char *, n + 2);
        all[0] = g_strdup_printf("personality=%s", personality_opt);
        for (guint i = 0; i < n; i++) {
            all[i + 1] = g_strdup(sets[i]);
        }
        g_strfreev(sets);
        sets = all;
    }
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    const char *personality = "linux";
    for (char **kv = sets; kv && *kv; kv++) {
        if (g_str_has_prefix(*kv, "personality=")) {
            personality = *kv + strlen("personality=");
        }
    }
    if (tcpsim_pkt_stack_define(personality) != NULL) {
        g_ptr_array_add(names, g_strdup(tcpsim_pkt_stack_define(personality)));
    }
    for (char **d = defines; d && *d; d++) {
        const char *eq = strchr(*d, '=');
        char *name = eq ? g_strndup(*d, (gsize)(eq - *d)) : g_strdup(*d);
        bool ok = *name != '\0';
        for (const char *c = name; *c; c++) {
            ok = ok && (g_ascii_isalnum(*c) || *c == '_');
        }
        if (!ok) {
            g_free(name);
            return cli_fail("pkt: -D %s: a name is letters, digits and _", *d);
        }
        g_ptr_array_add(names, name);
    }
    g_ptr_array_add(names, NULL);
    struct tcpsim_pkt_script *s =
        tcpsim_pkt_load_defined(argv[1], (const char *const *)names->pdata, &e);
    if (s == NULL) {
        int st = e->code == TCPSIM_PKT_ERROR_IO ? cli_fail("%s", e->message)
                                                 : load_failed(argv[1], e, quiet);
        g_error_free(e);
        return st;
    }
    g_autoptr(GPtrArray) header = g_ptr_array_new_with_free_func(g_free);
    const char *names_of[] = {"ip_version", "local_ip", "remote_ip", "mtu", "tolerance_percent"};
    const char *values_of[] = {ip_version, local_ip, remote_ip, mtu, tolerance_percent};
    for (guint i = 0; i < G_N_ELEMENTS(names_of); i++) {
        if (values_of[i] != NULL) {
            g_ptr_array_add(header, g_strdup_printf("%s=%s", names_of[i], values_of[i]));
        }
    }
    g_ptr_array_add(header, NULL);
    struct tcpsim_pkt_options opts = {
        .header_options = (const char *const *)header->pdata,
        .compare = mask,
        .sets = (const char *const *)sets,
        .seed = (uint64_t)seed,
        .trace_path = trace,
        .verbose = verbose,
        .tolerance_usecs = tolerance,
    };
    struct tcpsim_pkt_result res;
    gboolean ran = tcpsim_pkt_run(s, &opts, &res, &e);
    tcpsim_pkt_script_free(s);
    if (!ran) {
        int st = cli_fail("%s", e->message);
        g_error_free(e);
        tcpsim_pkt_result_clear(&res);
        return st;
    }
    int status = report(argv[1], &res, quiet);
    tcpsim_pkt_result_clear(&res);
    return status;
}
