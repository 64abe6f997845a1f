/* SPDX-License-Identifier: MIT */
/*
 * remit.c: one connection of a capture as a tcpsim scenario (`replay --emit-scenario`).
 *
 * Entry point: rinfer_scenario(). A script replays one endpoint against the capture's
 * other side; a scenario runs both as tcpsim hosts, so it is a regression test of what
 * tcpsim does with the same workload, not a check against the capture. It holds:
 *   - the two hosts with the capture's addresses, the endpoint under test as A;
 *   - each side's application calls, inferred as for the script (rinfer_script() from
 *     each side) and written as scenario calls at their captured times;
 *   - the link: half the handshake's round trip each way, as the capture saw it;
 *   - the losses the capture shows: the first copy of every data segment A sent twice
 *     is dropped on the way (`drop A->B next 1 data seq S`, with both ISNs pinned so
 *     that sequence numbers mean the same);
 *   - what each side must have received by the end (expects).
 * What it cannot hold: the path's rate and queue, losses of B's segments and of pure
 * ACKs (a capture at A never sees them), socket options that are not on the wire, and
 * any call the scenario language lacks (written as a comment, with the reason).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rinfer.h"

/* A side of the connection: its host name, and its sockets' names by descriptor. */
struct side {
    const char *host;     /* "A" or "B" */
    const char *peer;     /* the other one */
    uint16_t peer_port;
    int fds[8];           /* descriptor of each named socket; -1: none */
    const char *names[8]; /* "l" (listener), "s" (accepted), "c" (connected) */
    bool linger0;         /* SO_LINGER {1, 0} set: close() is an abort */
    GPtrArray *pending;   /* "option NAME" tails set before the socket had a name */
    uint64_t read;        /* bytes its application read, by the inferred calls */
    const char *reader;   /* the socket it read them from */
};

/* The socket options a scenario's `option` sets, by the constant a script names. */
static const struct {
    const char *constant;
    const char *option;
    const char *unit; /* appended to the value ("" for a count or a size; NULL: a flag) */
} options[] = {
    {"TCP_NODELAY", "nodelay", NULL},       {"TCP_CORK", "cork", NULL},
    {"SO_KEEPALIVE", "keepalive", NULL},    {"TCP_KEEPIDLE", "keepidle", "s"},
    {"TCP_KEEPINTVL", "keepintvl", "s"},    {"TCP_KEEPCNT", "keepcnt", ""},
    {"TCP_USER_TIMEOUT", "user_timeout", "ms"}, {"SO_RCVBUF", "rcvbuf", ""},
    {"SO_SNDBUF", "sndbuf", ""},
};

/* "setsockopt(3, SOL_TCP, TCP_KEEPIDLE, [1], 4) = 0" as an option's words ("keepidle 1s"),
 * or NULL when a scenario has no such option (or it is off). */
static char *
option_words(const char *call)
{
    for (size_t i = 0; i < G_N_ELEMENTS(options); i++) {
        if (strstr(call, options[i].constant) == NULL) {
            continue;
        }
        const char *br = strchr(call, '[');
        long v = br != NULL ? strtol(br + 1, NULL, 10) : 1;
        if (options[i].unit == NULL) {
            return v != 0 ? g_strdup(options[i].option) : NULL;
        }
        return g_strdup_printf("%s %ld%s", options[i].option, v, options[i].unit);
    }
    return NULL;
}

static const char *
name_of(const struct side *sd, int fd)
{
    for (int i = 0; i < 8; i++) {
        if (sd->fds[i] == fd) {
            return sd->names[i];
        }
    }
    return NULL;
}

static void
name_fd(struct side *sd, int fd, const char *name)
{
    for (int i = 0; i < 8; i++) {
        if (sd->fds[i] < 0) {
            sd->fds[i] = fd;
            sd->names[i] = name;
            return;
        }
    }
}

static void
fmt_time(GString *out, int64_t ns)
{
    g_string_append_printf(out, "%" PRId64 ".%06" PRId64 "s", ns / 1000000000,
                           (ns % 1000000000) / 1000);
}

/* A script time ("0.100000", "+0", "+0.080000", "+0...0.020000"): ns, against `prev`. */
static int64_t
script_time(const char *t, int64_t prev)
{
    bool rel = t[0] == '+';
    double v = g_ascii_strtod(rel ? t + 1 : t, NULL);
    int64_t ns = (int64_t)(v * 1e9 + (v >= 0 ? 0.5 : -0.5));
    return rel ? prev + ns : ns;
}

/* A scenario line and when it happens, to be sorted with the other side's. */
struct when {
    int64_t at;
    guint order; /* the listening side's lines first at equal times, then file order */
    char *text;
};

static gint
by_time(gconstpointer a, gconstpointer b)
{
    const struct when *x = a;
    const struct when *y = b;
    if (x->at != y->at) {
        return x->at < y->at ? -1 : 1;
    }
    return x->order < y->order ? -1 : x->order > y->order;
}

/* One call of the script as a scenario line (added to `out`), or a comment. */
static void
call_line(struct side *sd, int64_t at, const char *call, GArray *out)
{
    int fd = -1;
    unsigned n = 0;
    unsigned ret = 0;
    int got = -1;
    const char *paren = strchr(call, '(');
    if (paren != NULL) {
        fd = atoi(paren + 1);
    }
    const char *eq = strstr(call, ") = ");
    if (eq != NULL) {
        got = atoi(eq + 4);
    }
    const char *name = name_of(sd, fd);
    g_autofree char *opt = g_str_has_prefix(call, "setsockopt(") ? option_words(call) : NULL;
    GString *l = g_string_new(NULL);
    if (g_str_has_prefix(call, "socket(") || strstr(call, "SO_REUSEADDR") != NULL ||
        g_str_has_prefix(call, "bind(")) {
        g_string_free(l, TRUE);
        return; /* implied by listen and connect */
    }
    if (g_str_has_prefix(call, "listen(")) {
        name_fd(sd, fd, "l");
        g_string_append_printf(l, "%s listen %u backlog %d as l", sd->host, sd->peer_port,
                               got >= 0 ? atoi(strchr(call, ',') + 1) : 128);
    } else if (g_str_has_prefix(call, "accept(")) {
        name_fd(sd, got, "s");
        g_string_append_printf(l, "%s accept %u as s", sd->host, sd->peer_port);
    } else if (g_str_has_prefix(call, "connect(")) {
        name_fd(sd, fd, "c");
        g_string_append_printf(l, "%s connect %s:%u as c", sd->host, sd->peer, sd->peer_port);
    } else if (name != NULL && (g_str_has_prefix(call, "write(") ||
                                g_str_has_prefix(call, "send("))) {
        if (sscanf(strstr(call, "..., "), "..., %u", &n) == 1 && n > 0) {
            g_string_append_printf(l, "%s send %s %u", sd->host, name, n);
        }
    } else if (name != NULL && (g_str_has_prefix(call, "read(") ||
                                g_str_has_prefix(call, "recv("))) {
        ret = got > 0 ? (unsigned)got : 0;
        if (ret > 0) {
            g_string_append_printf(l, "%s recv %s %u", sd->host, name, ret);
            sd->read += ret;
            sd->reader = name;
        } /* a read of 0 (the end of the stream) needs no line: EOF is the peer's FIN */
    } else if (name != NULL && g_str_has_prefix(call, "shutdown(")) {
        g_string_append_printf(l, "%s shutdown %s", sd->host, name);
    } else if (name != NULL && g_str_has_prefix(call, "close(")) {
        g_string_append_printf(l, "%s %s %s", sd->host, sd->linger0 ? "abort" : "close", name);
    } else if (strstr(call, "SO_LINGER") != NULL && strstr(call, "linger=0") != NULL) {
        sd->linger0 = true;
    } else if (opt != NULL) {
        if (name != NULL) {
            g_string_append_printf(l, "%s option %s %s", sd->host, name, opt);
        } else {
            g_ptr_array_add(sd->pending, g_steal_pointer(&opt)); /* once the socket has one */
        }
    } else {
        g_string_append_printf(l, "# %s: no scenario call for %s", sd->host, call);
    }
    const char *named = name_of(sd, fd);
    if (l->len > 0 && named != NULL && sd->pending->len > 0 &&
        (g_str_has_prefix(call, "listen(") || g_str_has_prefix(call, "connect("))) {
        for (guint i = 0; i < sd->pending->len; i++) {
            g_string_append_printf(l, "\n");
            fmt_time(l, at);
            g_string_append_printf(l, "  %s option %s %s", sd->host, named,
                                   (const char *)g_ptr_array_index(sd->pending, i));
        }
        g_ptr_array_set_size(sd->pending, 0);
    }
    if (l->len > 0) {
        GString *t = g_string_new(NULL);
        if (l->str[0] != '#') {
            fmt_time(t, at);
            g_string_append(t, "  ");
        }
        g_string_append_printf(t, "%s\n", l->str);
        struct when w = {.at = at, .order = out->len, .text = g_string_free(t, FALSE)};
        g_array_append_val(out, w);
    }
    g_string_free(l, TRUE);
}

/* The calls of one side's inferred script, as scenario lines at scenario times (the
 * script's first event is time 0). */
static void
side_calls(const struct rscript *sc, struct side *sd, GArray *out)
{
    g_auto(GStrv) lines = g_strsplit(sc->text->str, "\n", -1);
    int64_t prev = 0;
    int64_t first = -1;
    for (char **p = lines; *p != NULL; p++) {
        const char *t = *p;
        if (*t == '\0' || g_str_has_prefix(t, "//")) {
            continue;
        }
        const char *sp = strchr(t, ' ');
        if (sp == NULL) {
            continue;
        }
        g_autofree char *ts = g_strndup(t, (gsize)(sp - t));
        int64_t at = script_time(ts, prev);
        prev = at;
        if (first < 0) {
            first = at;
        }
        const char *rest = sp + 1;
        if (g_str_has_prefix(rest, "`tcpsim crash`") || g_str_has_prefix(rest, "`tcpsim reboot`")) {
            /* a connection lost without a segment: the scenario's own verbs */
            GString *l = g_string_new(NULL);
            fmt_time(l, at - first);
            g_string_append_printf(l, "  %s %s\n", sd->host, rest[8] == 'c' ? "crash" : "reboot");
            struct when w = {.at = at - first, .order = out->len, .text = g_string_free(l, FALSE)};
            g_array_append_val(out, w);
            continue;
        }
        if (*rest == '<' || *rest == '>' || *rest == '%' || *rest == '`') {
            continue; /* a segment, or an assertion: not a call */
        }
        call_line(sd, at - first, rest, out);
    }
}


static const struct capseg *
seg_of(const struct capture *c, const struct rconn *k, guint j)
{
    return &g_array_index(c->segs, struct capseg, g_array_index(k->idx, guint, j));
}

/* The handshake's round trip as the capture saw it: from the first SYN to the first
 * segment the other way after it. 0 when the capture lacks it. */
static int64_t
handshake_rtt(const struct capture *c, const struct rconn *k)
{
    for (guint j = 0; j < k->idx->len; j++) {
        const struct capseg *syn = seg_of(c, k, j);
        if (!(syn->s.flags & DF_SYN)) {
            continue;
        }
        bool dir = rconn_outbound(k, &syn->s);
        for (guint m = j + 1; m < k->idx->len; m++) {
            const struct capseg *r = seg_of(c, k, m);
            if (rconn_outbound(k, &r->s) != dir) {
                return r->at - syn->at;
            }
        }
        return 0;
    }
    return 0;
}

bool
rinfer_scenario(const struct capture *c, const struct rconn *k, GString *out, const char **why)
{
    if (tcpsim_addr_equal(&k->laddr, &k->raddr)) {
        *why = "a connection to itself has no second host";
        return false;
    }
    struct rconn peer = *k;
    peer.laddr = k->raddr;
    peer.raddr = k->laddr;
    peer.lport = k->rport;
    peer.rport = k->lport;
    peer.active = !k->active;
    peer.l_isn = k->r_isn;
    peer.r_isn = k->l_isn;
    peer.l_isn_known = k->r_isn_known;
    peer.r_isn_known = k->l_isn_known;
    struct rscript sa = {0};
    struct rscript sb = {0};
    rinfer_script(c, k, NULL, &sa);
    rinfer_script(c, &peer, NULL, &sb);

    char la[TCPSIM_ADDR_STRLEN];
    char ra[TCPSIM_ADDR_STRLEN];
    tcpsim_addr_format(&k->laddr, la);
    tcpsim_addr_format(&k->raddr, ra);
    g_string_append_printf(out, "# %s: %s:%u %s %s:%u, as a tcpsim scenario (tcpsim replay "
                           "--emit-scenario).\n", c->name, la, k->lport,
                           k->active ? ">" : "<", ra, k->rport);
    g_string_append(out,
        "# Both ends run in tcpsim with the calls inferred from the capture; the link has\n"
        "# half the captured handshake's round trip each way and drops the first copy of\n"
        "# each data segment A had to send again. A regression test of tcpsim with this\n"
        "# workload (tcpsim check), not a comparison with the capture (tcpsim replay).\n");
    g_string_append_printf(out, "title \"%s, replayed\"\n", k->active ? "client" : "server");
    g_string_append_printf(out, "hosts A=%s B=%s\n", la, ra);
    int64_t rtt = handshake_rtt(c, k);
    if (rtt > 0) {
        g_string_append(out, "link both delay ");
        fmt_time(out, rtt / 2);
        g_string_append_c(out, '\n');
    }
    if (k->l_isn_known) {
        g_string_append_printf(out, "set A isn %u\n", k->l_isn);
    }
    if (k->r_isn_known) {
        g_string_append_printf(out, "set B isn %u\n", k->r_isn);
    }
    /* The client's port, as captured: a connect picks it from a range of one. */
    uint16_t cport = k->active ? k->lport : k->rport;
    g_string_append_printf(out, "set %s ip_local_port_range %u %u\n", k->active ? "A" : "B",
                           cport, cport);
    /* Timers (keepalive, TIME_WAIT) would run on past the capture: stop a second after
     * its last packet, when the expects below are checked. */
    int64_t end_at = seg_of(c, k, k->idx->len - 1)->at - seg_of(c, k, 0)->at + 1000000000;
    g_string_append(out, "end ");
    fmt_time(out, end_at);
    g_string_append_c(out, '\n');
    g_string_append_c(out, '\n');

    /* Losses: the first copy of every data segment A sent more than once. */
    GHashTable *seen = g_hash_table_new(g_direct_hash, g_direct_equal);
    GHashTable *dropped = g_hash_table_new(g_direct_hash, g_direct_equal);
    for (guint j = 0; j < k->idx->len; j++) {
        const struct capseg *r = seg_of(c, k, j);
        bool mine = rconn_outbound(k, &r->s);
        if (!mine || r->s.len == 0) {
            continue;
        }
        gpointer key = GUINT_TO_POINTER(r->s.seq);
        if (g_hash_table_contains(seen, key) && !g_hash_table_contains(dropped, key)) {
            g_hash_table_add(dropped, key);
            g_string_append_printf(out, "0s  drop A->B next 1 data seq %u\n", r->s.seq);
        }
        g_hash_table_add(seen, key);
    }
    g_hash_table_destroy(seen);
    g_hash_table_destroy(dropped);

    struct side a = {.host = "A", .peer = "B", .peer_port = k->active ? k->rport : k->lport,
                     .pending = g_ptr_array_new_with_free_func(g_free)};
    struct side b = {.host = "B", .peer = "A", .peer_port = a.peer_port,
                     .pending = g_ptr_array_new_with_free_func(g_free)};
    for (int i = 0; i < 8; i++) {
        a.fds[i] = b.fds[i] = -1;
    }
    GArray *calls = g_array_new(FALSE, FALSE, sizeof(struct when));
    /* The listening side first: its listen must precede the other's connect. */
    side_calls(k->active ? &sb : &sa, k->active ? &b : &a, calls);
    side_calls(k->active ? &sa : &sb, k->active ? &a : &b, calls);
    g_array_sort(calls, by_time);
    for (guint i = 0; i < calls->len; i++) {
        struct when *w = &g_array_index(calls, struct when, i);
        g_string_append(out, w->text);
        g_free(w->text);
    }
    g_array_free(calls, TRUE);

    /* What each side received, by the end. */
    for (struct side *sd = &b; sd != NULL; sd = sd == &b ? &a : NULL) {
        if (sd->read > 0) {
            fmt_time(out, end_at);
            g_string_append_printf(out, "  expect %s %s received %" PRIu64 "\n", sd->host,
                                   sd->reader, sd->read);
        }
    }
    g_ptr_array_free(a.pending, TRUE);
    g_ptr_array_free(b.pending, TRUE);
    rscript_clear(&sa);
    rscript_clear(&sb);
    return true;
}
