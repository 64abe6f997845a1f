/* SPDX-License-Identifier: MIT */
/*
 * pkt_cmd.c: a script's header options and its `shell commands`, as far as they set
 * the local stack up.
 *
 * Entry points: pkt_cmd_options(), pkt_cmd_run(). tcpsim runs no shell: a command is
 * read, statement by statement, and understood only when it sets a sysctl
 * (`sysctl -q net.ipv4.NAME=V`, `echo V > /proc/sys/net/ipv4/NAME`, the suites'
 * set_sysctls.py /proc/sys/...=V), reads the suite's defaults.sh (whose lines are read
 * the same way), or restores settings after the test. A sysctl is applied to the tcpsim
 * knob of the same name; one tcpsim has no knob for is accepted only when its value asks
 * for the behaviour tcpsim has anyway (tcp_frto=0: tcpsim does no F-RTO), else it is
 * unsupported. Anything else is unsupported,
 * named: never silently skipped.
 */
#include <stdio.h>
#include <string.h>

#include "pkt_run.h"

/*
 * Linux sysctls tcpsim has no knob for. `value` is the setting that describes what tcpsim
 * does, or "*" when no value changes a tcpsim run (the mechanism the knob tunes has
 * nothing to act on in tcpsim: the reason says why). Any other value asks for a
 * behaviour tcpsim does not model, and the script is unsupported, the knob named: a
 * script is never run silently under settings other than its own.
 */
static const struct {
    const char *name;
    const char *value;
    const char *why;
} fixed[] = {
    {"tcp_ecn", "0", "ECN is not modelled"},
    {"tcp_autocorking", "0", "autocorking is not modelled"},
    {"tcp_no_metrics_save", "1", "tcpsim keeps no metrics between connections"},
    {"tcp_mtu_probing", "0", "path MTU probing is not modelled"},
    {"tcp_fastopen", "*", "Fast Open acts only for a script that asks for it (MSG_FASTOPEN, "
                          "TCP_FASTOPEN, a SYN with the Fast Open option), and such a script "
                          "is reported unsupported by what it asks"},
    {"tcp_fastopen_key", "*", "Fast Open is not modelled (see tcp_fastopen)"},
    {"tcp_fack", "0", "FACK is not modelled (Linux removed it in 4.18)"},
    {"tcp_thin_linear_timeouts", "0", "thin-stream timeouts are not modelled"},
    {"hystart_detect", "3", "tcpsim's HyStart uses both the ACK-train and the delay detector"},
    /* Linux: tcp_ecn_option only says whether an AccECN connection sends the AccECN
     * option; with tcp_ecn 0 there is none. */
    {"tcp_ecn_option", "*", "it acts only on an AccECN connection, and tcpsim negotiates no ECN"},
    /* Linux: tcp_tso_should_defer() waits for a larger TSO packet; tcpsim builds its TSO
     * packets from what an output pass sends (tcp_tso.c) and never defers for it. */
    {"tcp_tso_win_divisor", "*", "tcpsim never defers a send to build a larger TSO packet "
                                 "(Linux tcp_tso_should_defer())"},
    /* UINT_MAX is Linux's default: no limit on unsent data beyond the send buffer. */
    {"tcp_notsent_lowat", "4294967295", "TCP_NOTSENT_LOWAT limits are not modelled"},
};

static bool
knob_for(const char *sysctl, const char **knob)
{
    if (strcmp(sysctl, "/sys/module/tcp_cubic/parameters/hystart") == 0) {
        *knob = "tcp_cubic_hystart";
        return true;
    }
    if (g_str_has_prefix(sysctl, "/sys/module/tcp_cubic/parameters/")) {
        *knob = sysctl + strlen("/sys/module/tcp_cubic/parameters/");
        return false;
    }
    /* FreeBSD's sysctl(8) names are the knobs' own names (personality freebsd). */
    if (g_str_has_prefix(sysctl, "net.inet.tcp.") || g_str_has_prefix(sysctl, "kern.ipc.")) {
        *knob = sysctl;
        return true;
    }
    static const char *const prefixes[] = {"net.ipv4.", "net/ipv4/", "/proc/sys/net/ipv4/",
                                           "net.core.", "/proc/sys/net/core/"};
    for (size_t i = 0; i < G_N_ELEMENTS(prefixes); i++) {
        if (g_str_has_prefix(sysctl, prefixes[i])) {
            *knob = sysctl + strlen(prefixes[i]);
            bool core = strstr(prefixes[i], "core") != NULL;
            if (core) {
                return strcmp(*knob, "somaxconn") == 0;
            }
            return g_str_has_prefix(*knob, "tcp_") || strcmp(*knob, "ip_local_port_range") == 0;
        }
    }
    *knob = sysctl;
    return false;
}

/* name=value: NULL when applied (or checked), else what is unsupported. */
static char *
set_sysctl(struct pkt_runner *r, const char *assignment, bool apply)
{
    g_auto(GStrv) kv = g_strsplit(assignment, "=", 2);
    if (kv[0] == NULL || kv[1] == NULL) {
        return g_strdup_printf("sysctl argument \"%s\" (expected name=value)", assignment);
    }
    g_strstrip(kv[1]);
    size_t n = strlen(kv[1]);
    if (n >= 2 && (kv[1][0] == '"' || kv[1][0] == '\'') && kv[1][n - 1] == kv[1][0]) {
        kv[1][n - 1] = '\0';
        memmove(kv[1], kv[1] + 1, n - 1);
    }
    const char *name = NULL;
    bool ours = knob_for(kv[0], &name);
    if (ours && tcp_sysctl_find(name) != NULL) {
        GError *e = NULL;
        gboolean ok = apply ? tcpsim_host_set(r->sim, r->host->index, name, kv[1], &e)
                            : tcpsim_knob_check(name, kv[1], &e);
        if (!ok) {
            char *msg = g_strdup_printf("sysctl %s=%s: %s", kv[0], kv[1], e->message);
            g_error_free(e);
            return msg;
        }
        return NULL;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(fixed); i++) {
        if (strcmp(fixed[i].name, name) == 0) {
            if (strcmp(fixed[i].value, "*") == 0 || strcmp(fixed[i].value, kv[1]) == 0) {
                return NULL; /* what tcpsim does anyway */
            }
            return g_strdup_printf("sysctl %s=%s (%s)", name, kv[1], fixed[i].why);
        }
    }
    return g_strdup_printf("sysctl %s (tcpsim has no such knob)", kv[0]);
}

static char *run_text(struct pkt_runner *r, const char *text, bool apply, int depth);

/* A file that holds only a relative path: how git stores a symbolic link when the
 * checkout does not make links. */
static bool
is_link_text(const char *text)
{
    g_autofree char *t = g_strstrip(g_strdup(text));
    return *t != '\0' && strchr(t, '\n') == NULL && strchr(t, ' ') == NULL &&
           (g_str_has_prefix(t, "../") || g_str_has_prefix(t, "./")) &&
           g_str_has_suffix(t, ".sh");
}

/* The suite's common/defaults.sh where the script's relative path does not reach it: a
 * suite copied with fewer directory levels than upstream's gtests/net/tcp/DIR (the
 * script says ../../common, the copy has DIR/../common). The nearest `common/` among the
 * script's ancestors, or NULL. */
static char *
nearest_common(const char *script_dir, const char *path)
{
    g_autofree char *base = g_path_get_basename(path);
    g_autofree char *parent = g_path_get_dirname(path);
    g_autofree char *parent_base = g_path_get_basename(parent);
    if (strcmp(parent_base, "common") != 0) {
        return NULL;
    }
    g_autofree char *dir = g_strdup(script_dir);
    for (int up = 0; up < 4; up++) {
        char *try = g_build_filename(dir, "common", base, NULL);
        if (g_file_test(try, G_FILE_TEST_IS_REGULAR)) {
            return try;
        }
        g_free(try);
        char *next = g_path_get_dirname(dir);
        g_free(dir);
        dir = next;
    }
    return NULL;
}

/* The suite's defaults.sh, read as commands, relative to the script's directory (a git
 * link is followed; a path one level off is looked for as nearest_common() says, and a
 * note names the file read). When it is not there at all, the suite's defaults are
 * unknown: the run goes on with tcpsim's Linux defaults, and says so in a note. */
static char *
run_file(struct pkt_runner *r, const char *path, bool apply, int depth, const char *from)
{
    g_autofree char *dir = from ? g_path_get_dirname(from) : g_path_get_dirname(r->script->path);
    g_autofree char *full = g_path_is_absolute(path) ? g_strdup(path)
                                                      : g_build_filename(dir, path, NULL);
    g_autofree char *text = NULL;
    if (depth > 3) {
        return g_strdup_printf("shell script %s (links nested too deep)", path);
    }
    if (!g_file_get_contents(full, &text, NULL, NULL) && from == NULL) {
        g_autofree char *near = nearest_common(dir, path);
        if (near != NULL && g_file_get_contents(near, &text, NULL, NULL)) {
            if (apply) {
                g_string_append_printf(r->notes, "%s is not there; the suite's %s is read "
                                       "instead\n", full, near);
            }
            g_free(full);
            full = g_strdup(near);
        }
    }
    if (text == NULL) {
        if (apply) {
            g_string_append_printf(r->notes, "%s%s%s%s is not there: the suite's sysctl "
                                   "defaults are unknown; tcpsim's Linux defaults apply\n",
                                   from ? from : "", from ? " is a link to " : "", full,
                                   from ? ", which" : "");
        }
        return NULL;
    }
    if (is_link_text(text)) {
        g_strstrip(text);
        return run_file(r, text, apply, depth + 1, full);
    }
    char *why = run_text(r, text, apply, depth + 1);
    if (why != NULL) {
        char *in = g_strdup_printf("%s: %s", path, why);
        g_free(why);
        return in;
    }
    return NULL;
}

/* `tc qdisc add|replace dev tun0 root QDISC`: tcpsim's host hands each segment to the
 * link at once, first in, first out: the pfifo (or pfifo_fast) qdisc. fq paces flows
 * (Linux: fq_dequeue() with sk_pacing_rate), which tcpsim does not model. */
static char *
run_tc(struct pkt_runner *r, char **argv, const char *stmt, bool apply)
{
    (void)r;
    (void)apply;
    size_t n = g_strv_length(argv);
    if (n == 6 && strcmp(argv[1], "qdisc") == 0 && strcmp(argv[2], "delete") == 0 &&
        strcmp(argv[3], "dev") == 0 && strcmp(argv[5], "root") == 0) {
        return NULL; /* back to the device's default queue: first in, first out */
    }
    if (n == 7 && strcmp(argv[1], "qdisc") == 0 &&
        (strcmp(argv[2], "add") == 0 || strcmp(argv[2], "replace") == 0) &&
        strcmp(argv[3], "dev") == 0 && strcmp(argv[5], "root") == 0) {
        const char *q = argv[6];
        if (strcmp(q, "pfifo") == 0 || strcmp(q, "pfifo_fast") == 0) {
            return NULL;
        }
        return g_strdup_printf("shell command \"%.60s\" (the %s qdisc: tcpsim models a "
                               "first-in first-out device queue with no pacing)", stmt, q);
    }
    return g_strdup_printf("shell command \"%.60s\"", stmt);
}

static char *
run_statement(struct pkt_runner *r, const char *stmt, bool apply, int depth)
{
    g_auto(GStrv) argv = NULL;
    if (*stmt == '\0' || *stmt == '#') {
        return NULL;
    }
    g_autofree char *expanded = pkt_shell_expand(stmt);
    if (!g_shell_parse_argv(expanded, NULL, &argv, NULL)) {
        return g_strdup_printf("shell command \"%.60s\"", stmt);
    }
    pkt_shell_strip_quiet(argv);
    const char *cmd = argv[0];
    if (cmd == NULL) {
        return g_strdup_printf("shell command \"%.60s\"", stmt);
    }
    if (strcmp(cmd, "ip") == 0 && argv[1] && strcmp(argv[1], "tcp_metrics") == 0 && argv[2] &&
        (strcmp(argv[2], "flush") == 0 || strcmp(argv[2], "delete") == 0)) {
        return NULL; /* tcpsim keeps no metrics (RTT, cwnd, Fast Open cookies) between
                      * connections: there is nothing to flush */
    }
    if (strcmp(cmd, "tc") == 0) {
        return run_tc(r, argv, stmt, apply);
    }
    if (strcmp(cmd, "sysctl") == 0) {
        bool any = false;
        for (char **a = argv + 1; *a; a++) {
            if ((*a)[0] == '-') {
                if (strcmp(*a, "-q") != 0 && strcmp(*a, "-w") != 0 && strcmp(*a, "-e") != 0) {
                    return g_strdup_printf("sysctl option %s", *a);
                }
                continue;
            }
            char *why = set_sysctl(r, *a, apply);
            if (why != NULL) {
                return why;
            }
            any = true;
        }
        return any ? NULL : g_strdup("sysctl without a setting");
    }
    if (strcmp(cmd, "echo") == 0 && argv[1] && argv[2] && strcmp(argv[2], ">") == 0 && argv[3] &&
        !argv[4] && (g_str_has_prefix(argv[3], "/proc/sys/") ||
                     g_str_has_prefix(argv[3], "/sys/module/tcp_cubic/parameters/"))) {
        g_autofree char *as = g_strdup_printf("%s=%s", argv[3], argv[1]);
        return set_sysctl(r, as, apply);
    }
    if (g_str_has_suffix(cmd, "/set_sysctls.py")) {
        for (char **a = argv + 1; *a; a++) {
            char *why = set_sysctl(r, *a, apply);
            if (why != NULL) {
                return why;
            }
        }
        return NULL;
    }
    if (g_str_has_suffix(cmd, "/defaults.sh") && argv[1] == NULL) {
        return run_file(r, cmd, apply, depth, NULL);
    }
    if (strcmp(cmd, "ethtool") == 0 && argv[1] && strcmp(argv[1], "-K") == 0 && argv[2]) {
        /* Offloads off: the device gets MSS-sized packets and packetdrill sees them one
         * by one (as --strict_segments). Linux TCP still builds GSO packets, cut in
         * software (sk_can_gso() holds for TCP whatever the device offers), so the PSH
         * of each stays on its last segment: the tso knob keeps its value. */
        for (char **a = argv + 3; *a; a += 2) {
            if ((strcmp(*a, "tso") != 0 && strcmp(*a, "gso") != 0) || a[1] == NULL ||
                strcmp(a[1], "off") != 0) {
                return g_strdup_printf("shell command \"%.60s\" (tcpsim models TSO and no other "
                                       "offload)", stmt);
            }
        }
        if (apply) {
            r->strict_segments = true;
        }
        return NULL;
    }
    if (strcmp(cmd, "tcpsim") == 0 && argv[1] != NULL && argv[2] == NULL &&
        (strcmp(argv[1], "crash") == 0 || strcmp(argv[1], "reboot") == 0)) {
        /* tcpsim's own, for what no call can do (tcpsim replay writes them): `tcpsim
         * crash` takes the host under test down, its connections vanishing without a
         * segment and nothing answered while it is down; `tcpsim reboot` brings it up
         * again with no connections (the scenario verbs crash and reboot). Real
         * packetdrill has no such thing: it would run a shell command that fails. */
        if (apply) {
            if (argv[1][0] == 'c') {
                tcpsim_host_crash(r->sim, r->host->index);
            } else {
                tcpsim_host_reboot(r->sim, r->host->index);
            }
        }
        return NULL;
    }
    if (g_str_has_prefix(cmd, "/tmp/sysctl_restore_") && argv[1] == NULL) {
        return NULL; /* restores what set_sysctls.py changed: the test is over */
    }
    return g_strdup_printf("shell command \"%.60s\"", stmt);
}

static char *
run_text(struct pkt_runner *r, const char *text, bool apply, int depth)
{
    /* A backslash at the end of a line continues the statement. */
    g_auto(GStrv) pieces = g_strsplit(text, "\\\n", -1);
    g_autofree char *joined = g_strjoinv(" ", pieces);
    g_auto(GStrv) lines = g_strsplit_set(joined, "\n;", -1);
    for (char **l = lines; *l; l++) {
        char *stmt = g_strstrip(*l);
        char *why = run_statement(r, stmt, apply, depth);
        if (why != NULL) {
            return why;
        }
    }
    return NULL;
}

char *
pkt_cmd_run(struct pkt_runner *r, const char *text, bool apply)
{
    return run_text(r, text, apply, 0);
}

/* --- header options ------------------------------------------------------------- */

/* "192.0.2.1", "2001:db8::1", with or without a "/prefix" (packetdrill's remote_ip). */
static bool
parse_addr(const char *text, struct tcpsim_addr *out)
{
    char buf[TCPSIM_ADDR_STRLEN + 8];
    g_strlcpy(buf, text, sizeof buf);
    char *slash = strchr(buf, '/');
    if (slash != NULL) {
        *slash = '\0';
    }
    return ip_parse(buf, out) == NULL;
}

/* The local host's address: the one its stack and the script's packets use. */
static void
set_local(struct pkt_runner *r, struct tcpsim_addr ip)
{
    r->local_ip = ip;
    r->host->addr = ip;
    r->host->tcp.addr = ip;
}

static bool
parse_num(const char *text, int64_t max, int64_t *out)
{
    guint64 v = 0;
    if (text == NULL || !g_ascii_string_to_unsigned(text, 10, 0, (guint64)max, &v, NULL)) {
        return false;
    }
    *out = (int64_t)v;
    return true;
}

/* One option; NULL when applied, else a message (`*error`: a bad value, not a gap). */
static char *
option(struct pkt_runner *r, const struct pkt_option *o, bool *error)
{
    const char *n = o->name;
    const char *v = o->value;
    int64_t x = 0;
    *error = true;
    if (strcmp(n, "tolerance_usecs") == 0) {
        if (!parse_num(v, 1000000000, &x)) {
            return g_strdup("--tolerance_usecs needs a whole number");
        }
        r->tolerance = US(x);
    } else if (strcmp(n, "tolerance_percent") == 0) {
        char *end = NULL;
        double d = v ? g_ascii_strtod(v, &end) : -1;
        if (v == NULL || end == v || *end != '\0' || !(d >= 0 && d <= 1000)) {
            return g_strdup("--tolerance_percent needs a number 0..1000");
        }
        r->tolerance_permille = (int64_t)(d * 10 + 0.5);
    } else if (strcmp(n, "tcp_ts_tick_usecs") == 0) {
        if (!parse_num(v, 1000000, &x)) {
            return g_strdup("--tcp_ts_tick_usecs needs a whole number");
        }
        r->ts_tick_us = x;
    } else if (strcmp(n, "bind_port") == 0 || strcmp(n, "connect_port") == 0) {
        if (!parse_num(v, 65535, &x) || x == 0) {
            return g_strdup_printf("--%s needs a port 1..65535", n);
        }
        *(n[0] == 'b' ? &r->bind_port : &r->connect_port) = (uint16_t)x;
    } else if (strcmp(n, "remote_ip") == 0 || strcmp(n, "local_ip") == 0) {
        struct tcpsim_addr ip;
        if (v == NULL || !parse_addr(v, &ip)) {
            return g_strdup_printf("--%s=%s: expected an IPv4 or IPv6 address", n, v ? v : "");
        }
        if (n[0] == 'r') {
            r->remote_ip = ip;
            r->remote_given = true;
        } else {
            set_local(r, ip);
            r->local_given = true;
        }
    } else if (strcmp(n, "mtu") == 0) {
        GError *e = NULL;
        if (v == NULL || !tcpsim_host_set(r->sim, r->host->index, "mtu", v, &e)) {
            char *m = g_strdup_printf("--mtu: %s", e ? e->message : "needs a value");
            g_clear_error(&e);
            return m;
        }
    } else if (strcmp(n, "ip_version") == 0) {
        /* packetdrill's config.c: ipv4 and ipv4-mapped-ipv6 put IPv4 on the wire (the
         * latter through AF_INET6 sockets), ipv6 IPv6; each has its default addresses. */
        bool v6 = v != NULL && strcmp(v, "ipv6") == 0;
        if (v == NULL || (!v6 && strcmp(v, "ipv4") != 0 && strcmp(v, "ipv4-mapped-ipv6") != 0)) {
            return g_strdup_printf("--ip_version=%s: expected ipv4, ipv6 or ipv4-mapped-ipv6",
                                   v ? v : "");
        }
        r->ip_version = v6 ? PKT_IPV6 : strcmp(v, "ipv4") == 0 ? PKT_IPV4 : PKT_IPV4_MAPPED;
        struct tcpsim_addr local = ip_v4(PKT_LOCAL_IP);
        struct tcpsim_addr remote = ip_v4(PKT_REMOTE_IP);
        if (v6) {
            ip_parse(PKT_LOCAL_IP6, &local);
            ip_parse(PKT_REMOTE_IP6, &remote);
        }
        if (!r->local_given || r->local_ip.family != local.family) {
            set_local(r, local);
        }
        if (!r->remote_given || r->remote_ip.family != remote.family) {
            r->remote_ip = remote;
        }
    } else if (strcmp(n, "strict_segments") == 0) {
        r->strict_segments = true;
    } else if (strcmp(n, "tcp_ts_ecr_scaled") == 0 ||
               strcmp(n, "gateway_ip") == 0 || strcmp(n, "netmask_ip") == 0 ||
               strcmp(n, "verbose") == 0) {
        /* Always so in tcpsim: ecr values are interpolated, and there is no routing. */
    } else {
        *error = false;
        return g_strdup_printf("option --%s", n);
    }
    return NULL;
}

bool
pkt_cmd_options(struct pkt_runner *r, const char *const *given)
{
    /* The command line's first (tcpsim pkt --ip_version ...), then the script's, which win. */
    for (const char *const *g = given; g != NULL && *g != NULL && !r->done; g++) {
        const char *eq = strchr(*g, '=');
        g_autofree char *name = eq ? g_strndup(*g, (gsize)(eq - *g)) : g_strdup(*g);
        g_autofree char *value = eq ? g_strdup(eq + 1) : NULL;
        struct pkt_option o = {.name = name, .value = value};
        bool error = false;
        g_autofree char *why = option(r, &o, &error);
        if (why != NULL) {
            pkt_stop_error(r, (struct pkt_loc){0}, "%s", why);
        }
    }
    for (guint i = 0; i < r->script->options->len && !r->done; i++) {
        const struct pkt_option *o = g_ptr_array_index(r->script->options, i);
        bool error = false;
        g_autofree char *why = option(r, o, &error);
        if (why != NULL && error) {
            pkt_stop_error(r, o->loc, "%s", why);
        } else if (why != NULL) {
            pkt_stop_unsupported(r, o->loc, "%s", why);
        }
    }
    return !r->done;
}
