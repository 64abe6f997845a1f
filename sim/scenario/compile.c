/* SPDX-License-Identifier: MIT */
/*
 * compile.c: a checked scenario becomes a simulation: hosts, links and tunables are set
 * up through the public API, and every timeline line is scheduled as an action at its
 * time. Actions at equal times run in file order (the event queue's tie-break).
 *
 * Entry point: scn_compile(). Expect lines evaluate when their time comes, print an
 * "expect" line in the trace, and record a failure message with the file location.
 */
#include <errno.h>
#include <string.h>
#include <tcpsim/units.h>
#include <tcpsim/view.h>

#include "ast.h"

struct scn_run {
    const struct tcpsim_scenario *scn;
    struct tcpsim_sim *sim;
    GHashTable *socks;     /* "HOST/NAME" -> struct tcpsim_sock *; lookup only */
    GHashTable *listeners; /* "HOST/PORT" -> struct tcpsim_sock *; lookup only */
    GHashTable *patterns;  /* "HOST/NAME" -> struct tcpsim_pattern *; lookup only */
    GPtrArray *actions;    /* struct action * */
    guint expects;
    GPtrArray *failures;
    bool ipv6; /* --ip-version 6: IPv4 addresses become 2001:db8::a.b.c.d */
    bool same_mss; /* and hosts' MTUs are 20 bytes larger, links charge IPv4 sizes
                      (tcpsim_run_options.same_mss) */
};

/* A value for knob `name`: an MTU 20 bytes larger under same_mss. */
static const char *
mtu_value(const struct scn_run *run, const char *name, const char *value, char buf[24])
{
    int64_t v = 0;
    if (!run->same_mss || strcmp(name, "mtu") != 0 || !tcpsim_parse_int(value, &v, NULL)) {
        return value;
    }
    g_snprintf(buf, 24, "%" G_GINT64_FORMAT, v + 20);
    return buf;
}

struct tcpsim_addr
tcpsim_scenario_addr_v6(struct tcpsim_addr v4)
{
    if (v4.family != TCPSIM_AF_INET) {
        return v4;
    }
    struct tcpsim_addr r = {.family = TCPSIM_AF_INET6, .b = {0x20, 0x01, 0x0d, 0xb8}};
    memcpy(r.b + 12, v4.b, 4);
    return r;
}

/* An address as this run uses it. */
static struct tcpsim_addr
run_addr(const struct scn_run *run, struct tcpsim_addr a)
{
    return run->ipv6 ? tcpsim_scenario_addr_v6(a) : a;
}

struct action {
    struct scn_run *run;
    const struct scn_line *line;
};

static char *
key(const struct scn_run *run, int host, const char *name)
{
    return g_strdup_printf("%s/%s", run->scn->host_names[host], name);
}

static struct tcpsim_sock *
sock_of(struct scn_run *run, const struct scn_line *l)
{
    g_autofree char *k = key(run, l->host, l->name);
    struct tcpsim_sock *s = g_hash_table_lookup(run->socks, k);
    if (s == NULL) {
        s = g_hash_table_lookup(run->listeners, k); /* "close 80" */
    }
    g_assert(s != NULL); /* check.c proved every name bound */
    return s;
}

static void
bind_name(struct scn_run *run, int host, const char *name, struct tcpsim_sock *s)
{
    if (name != NULL) {
        g_hash_table_replace(run->socks, key(run, host, name), s);
    }
}

/* --- checks ------------------------------------------------------------------------ */

static void
report(struct scn_run *run, const struct scn_line *l, int host, bool ok, const char *what,
       const char *expected, const char *got)
{
    run->expects++;
    tcpsim_trace_expect_verdict(run->sim, host, what, expected, got, ok);
    g_autofree char *where = g_strdup_printf("%s:%u:%u", l->loc.file, l->loc.line, l->loc.col);
    tcpsim_summary_expect(run->sim, host, where, what, expected, got, ok);
    if (!ok) {
        g_ptr_array_add(run->failures,
                        g_strdup_printf("%s:%u:%u: expect failed: %s: expected %s, got %s",
                                        l->loc.file, l->loc.line, l->loc.col, what, expected, got));
    }
}

static char *
text_repr(const uint8_t *t, gsize n)
{
    GString *s = g_string_new("\"");
    for (gsize i = 0; i < n && i < 64; i++) {
        if (t[i] >= 0x20 && t[i] < 0x7F && t[i] != '"' && t[i] != '\\') {
            g_string_append_c(s, (char)t[i]);
        } else {
            g_string_append_printf(s, "\\x%02x", t[i]);
        }
    }
    g_string_append(s, n > 64 ? "\"..." : "\"");
    return g_string_free(s, FALSE);
}

static void
expect_received(struct scn_run *run, const struct scn_line *l)
{
    struct tcpsim_sock *s = sock_of(run, l);
    const char *host = run->scn->host_names[l->host];
    uint64_t n = tcpsim_sock_received(s);
    /* Every byte must be the sender's byte at that place: none lost, repeated or from
     * another incarnation of the connection. */
    uint64_t foreign = tcpsim_sock_foreign_bytes(s);
    if (l->text == NULL) {
        g_autofree char *what = g_strdup_printf("%s %s received %" G_GUINT64_FORMAT, host, l->name,
                                                l->size);
        g_autofree char *exp = g_strdup_printf("%" G_GUINT64_FORMAT " bytes", l->size);
        g_autofree char *got =
            foreign ? g_strdup_printf("%" G_GUINT64_FORMAT " bytes, %" G_GUINT64_FORMAT
                                      " of them not the sender's bytes at their place",
                                      n, foreign)
                    : g_strdup_printf("%" G_GUINT64_FORMAT " bytes", n);
        report(run, l, l->host, n == l->size && foreign == 0, what, exp, got);
        return;
    }
    const GByteArray *b = tcpsim_sock_received_bytes(s);
    bool ok = n == l->text_len && b->len == l->text_len && memcmp(b->data, l->text, (size_t)n) == 0;
    g_autofree char *exp = text_repr((const uint8_t *)l->text, l->text_len);
    g_autofree char *got = text_repr(b->data, b->len);
    g_autofree char *what = g_strdup_printf("%s %s received %s", host, l->name, exp);
    report(run, l, l->host, ok, what, exp, got);
}

static void
expect_state(struct scn_run *run, const struct scn_line *l)
{
    const struct tcpsim_sock *s = sock_of(run, l);
    const char *st = tcpsim_sock_state(s);
    g_autofree char *what = g_strdup_printf("%s %s state %s", run->scn->host_names[l->host],
                                            l->name, l->word);
    int e = tcpsim_sock_error(s);
    /* A wrong state is easier to understand with the error that caused it. */
    g_autofree char *got = e ? g_strdup_printf("%s (last error %s)", st, tcpsim_errno_name(e))
                             : g_strdup(st);
    report(run, l, l->host, strcmp(st, l->word) == 0, what, l->word, got);
}

static struct tcpsim_pattern *
pattern_of(struct scn_run *run, const struct scn_line *l)
{
    g_autofree char *k = key(run, l->host, l->name);
    return g_hash_table_lookup(run->patterns, k);
}

static void
expect_pattern_count(struct scn_run *run, const struct scn_line *l)
{
    struct tcpsim_pattern *p = pattern_of(run, l);
    bool completed = l->verb == SCN_EXPECT_COMPLETED;
    uint64_t v = completed ? tcpsim_pattern_completed(p) : tcpsim_pattern_failed(p);
    g_autofree char *what = g_strdup_printf("%s %s %s %" G_GUINT64_FORMAT,
                                            run->scn->host_names[l->host], l->name,
                                            completed ? "completed" : "failed", l->number);
    g_autofree char *exp = g_strdup_printf("%" G_GUINT64_FORMAT, l->number);
    g_autofree char *got = g_strdup_printf("%" G_GUINT64_FORMAT, v);
    report(run, l, l->host, v == l->number, what, exp, got);
}

static void
expect_foreign(struct scn_run *run, const struct scn_line *l)
{
    uint64_t v = tcpsim_sock_foreign_bytes(sock_of(run, l));
    g_autofree char *what = g_strdup_printf("%s %s foreign %" G_GUINT64_FORMAT,
                                            run->scn->host_names[l->host], l->name, l->number);
    g_autofree char *exp = g_strdup_printf("%" G_GUINT64_FORMAT " bytes", l->number);
    g_autofree char *got = g_strdup_printf("%" G_GUINT64_FORMAT " bytes", v);
    report(run, l, l->host, v == l->number, what, exp, got);
}

static void
expect_error(struct scn_run *run, const struct scn_line *l)
{
    struct tcpsim_pattern *p = pattern_of(run, l);
    int e = p ? tcpsim_pattern_error(p) : tcpsim_sock_error(sock_of(run, l));
    const char *got = e ? tcpsim_errno_name(e) : "none";
    g_autofree char *what = g_strdup_printf("%s %s error %s", run->scn->host_names[l->host],
                                            l->name, l->value);
    report(run, l, l->host, e == l->err, what, l->value, got);
}

/* "[S.] data" as the scenario wrote the filter. */
static char *
filter_text(const struct tcpsim_filter *f)
{
    GString *s = g_string_new(NULL);
    if (f->match_flags) {
        static const char letters[] = "FSRP.UEW";
        g_string_append_c(s, '[');
        for (int i = 0; i < 8; i++) {
            if (f->flags & (1u << i)) {
                g_string_append_c(s, letters[i]);
            }
        }
        g_string_append(s, f->flags ? "] " : "none] ");
    }
    if (f->has_data >= 0) {
        g_string_append(s, f->has_data ? "data " : "nodata ");
    }
    return g_string_free(s, FALSE);
}

static void
expect_segments(struct scn_run *run, const struct scn_line *l)
{
    uint64_t n = tcpsim_link_sent(run->sim, l->from, l->to, &l->filter);
    g_autofree char *filter = filter_text(&l->filter);
    g_autofree char *what = g_strdup_printf("segments %s->%s %scount %" G_GUINT64_FORMAT,
                                            run->scn->host_names[l->from],
                                            run->scn->host_names[l->to], filter, l->number);
    g_autofree char *exp = g_strdup_printf("%" G_GUINT64_FORMAT, l->number);
    g_autofree char *got = g_strdup_printf("%" G_GUINT64_FORMAT, n);
    report(run, l, l->from, n == l->number, what, exp, got);
}

static void
expect_counter(struct scn_run *run, const struct scn_line *l)
{
    uint64_t v = 0;
    tcpsim_host_counter(run->sim, l->host, l->word, &v);
    g_autofree char *what = g_strdup_printf("%s counter %s %" G_GUINT64_FORMAT,
                                            run->scn->host_names[l->host], l->word, l->number);
    g_autofree char *exp = g_strdup_printf("%" G_GUINT64_FORMAT, l->number);
    g_autofree char *got = g_strdup_printf("%" G_GUINT64_FORMAT, v);
    report(run, l, l->host, v == l->number, what, exp, got);
}

/* --- the world --------------------------------------------------------------------- */

/* Applies `fn` to the direction of a line, or to both directions with "both". */
static void
for_dirs(struct scn_run *run, const struct scn_line *l,
         void (*fn)(struct scn_run *run, const struct scn_line *l, int from, int to))
{
    if (!l->both) {
        fn(run, l, l->from, l->to);
        return;
    }
    for (int i = 0; i < run->scn->nhosts; i++) {
        for (int j = 0; j < run->scn->nhosts; j++) {
            if (i != j) {
                fn(run, l, i, j);
            }
        }
    }
}

static void
dir_params(struct scn_run *run, const struct scn_line *l, int from, int to)
{
    for (guint i = 0; i < l->kv->len; i++) {
        const struct scn_kv *kv = &g_array_index(l->kv, struct scn_kv, i);
        gboolean ok = tcpsim_link_set(run->sim, from, to, kv->key, kv->value, NULL);
        g_assert(ok); /* checked */
    }
}

/* A parameter change on the timeline: applied, and noted in the trace. */
static void
dir_params_noted(struct scn_run *run, const struct scn_line *l, int from, int to)
{
    dir_params(run, l, from, to);
    g_autoptr(GString) s = g_string_new(NULL);
    g_string_append_printf(s, "link %s->%s", run->scn->host_names[from],
                           run->scn->host_names[to]);
    for (guint i = 0; i < l->kv->len; i++) {
        const struct scn_kv *kv = &g_array_index(l->kv, struct scn_kv, i);
        g_string_append_printf(s, " %s %s", kv->key, kv->value);
    }
    tcpsim_trace_note(run->sim, from, s->str);
}

static void
dir_updown(struct scn_run *run, const struct scn_line *l, int from, int to)
{
    tcpsim_link_up(run->sim, from, to, l->up);
}

static void
set_knob(struct scn_run *run, const struct scn_line *l)
{
    for (int h = 0; h < run->scn->nhosts; h++) {
        if (l->host < 0 || l->host == h) {
            char buf[24];
            gboolean ok = tcpsim_host_set(run->sim, h, l->word,
                                          mtu_value(run, l->word, l->value, buf), NULL);
            g_assert(ok); /* checked */
            if (run->same_mss && strcmp(l->word, "personality") == 0) {
                /* A personality brings its own defaults, the MTU among them. */
                g_autofree char *mtu = tcpsim_host_get(run->sim, h, "mtu");
                ok = tcpsim_host_set(run->sim, h, "mtu", mtu_value(run, "mtu", mtu, buf), NULL);
                g_assert(ok);
            }
        }
    }
}

static void
do_listen(struct scn_run *run, const struct scn_line *l)
{
    struct tcpsim_sock *s = tcpsim_socket(run->sim, l->host, l->as);
    g_autofree char *port = g_strdup_printf("%u", l->port);
    g_hash_table_replace(run->listeners, key(run, l->host, port), s);
    bind_name(run, l->host, l->as, s);
    tcpsim_listen(s, l->port, (int)l->backlog);
}

static void
do_connect(struct scn_run *run, const struct scn_line *l)
{
    struct tcpsim_sock *s = tcpsim_socket(run->sim, l->host, l->as);
    bind_name(run, l->host, l->as, s);
    tcpsim_connect(s, run_addr(run, l->addr), l->port, l->from_port);
}

static void
do_accept(struct scn_run *run, const struct scn_line *l)
{
    g_autofree char *port = g_strdup_printf("%u", l->port);
    g_autofree char *k = key(run, l->host, port);
    struct tcpsim_sock *lst = g_hash_table_lookup(run->listeners, k);
    struct tcpsim_sock *s = tcpsim_socket(run->sim, l->host, l->as);
    bind_name(run, l->host, l->as, s);
    tcpsim_accept(lst, s);
}

static void
do_serve(struct scn_run *run, const struct scn_line *l)
{
    struct tcpsim_pattern *p = tcpsim_serve(run->sim, l->host, l->as, l->port, (int)l->backlog,
                                            l->size, l->size2, l->close_after);
    g_hash_table_replace(run->patterns, key(run, l->host, l->as), p);
}

static void
do_fetch(struct scn_run *run, const struct scn_line *l)
{
    struct tcpsim_pattern *p = tcpsim_fetch(run->sim, l->host, l->as, run_addr(run, l->addr),
                                            l->port,
                                            l->number, l->size, l->size2, l->extra,
                                            (enum tcpsim_fetch_mode)l->mode);
    g_hash_table_replace(run->patterns, key(run, l->host, l->as), p);
}

static void
do_option(struct scn_run *run, const struct scn_line *l)
{
    for (guint i = 0; i < l->kv->len; i++) {
        const struct scn_kv *kv = &g_array_index(l->kv, struct scn_kv, i);
        gboolean ok = tcpsim_setsockopt(sock_of(run, l), kv->key, kv->value, NULL);
        g_assert(ok); /* checked */
    }
}

static void
exec_line(struct tcpsim_sim *sim, void *arg)
{
    (void)sim;
    struct action *a = arg;
    struct scn_run *run = a->run;
    const struct scn_line *l = a->line;
    switch (l->verb) {
    case SCN_LISTEN:
        do_listen(run, l);
        return;
    case SCN_CONNECT:
        do_connect(run, l);
        return;
    case SCN_ACCEPT:
        do_accept(run, l);
        return;
    case SCN_SEND:
        tcpsim_send_more(sock_of(run, l), l->size, (const uint8_t *)l->text, l->more);
        return;
    case SCN_RECV:
        tcpsim_recv(sock_of(run, l), l->size);
        return;
    case SCN_SHUTDOWN:
        tcpsim_shutdown(sock_of(run, l), l->rd, l->wr);
        return;
    case SCN_CLOSE:
        tcpsim_close(sock_of(run, l));
        return;
    case SCN_ABORT:
        tcpsim_abort(sock_of(run, l));
        return;
    case SCN_OPTION:
        do_option(run, l);
        return;
    case SCN_SERVE:
        do_serve(run, l);
        return;
    case SCN_FETCH:
        do_fetch(run, l);
        return;
    case SCN_CRASH:
        tcpsim_host_crash(run->sim, l->host);
        return;
    case SCN_SS:
        tcpsim_ss(run->sim, l->host, l->word != NULL);
        return;
    case SCN_FLOOD:
        tcpsim_flood(run->sim, l->from, l->to, l->port, l->number, l->extra, l->prefix,
                     (int)l->count);
        return;
    case SCN_REBOOT:
        tcpsim_host_reboot(run->sim, l->host);
        return;
    case SCN_SET:
    case SCN_SET_SETUP:
        set_knob(run, l);
        return;
    case SCN_LINK:
        for_dirs(run, l, dir_updown);
        return;
    case SCN_LINK_SETUP:
        for_dirs(run, l, dir_params_noted);
        return;
    case SCN_DROP:
        tcpsim_link_drop_next(run->sim, l->from, l->to, l->count, &l->filter);
        return;
    case SCN_DELAY:
        tcpsim_link_delay_next(run->sim, l->from, l->to, l->count, &l->filter, l->extra);
        return;
    case SCN_DUPLICATE:
        tcpsim_link_duplicate_next_late(run->sim, l->from, l->to, l->count, &l->filter,
                                        l->first, l->extra);
        return;
    case SCN_EXPECT_STATE:
        expect_state(run, l);
        return;
    case SCN_EXPECT_RECEIVED:
        expect_received(run, l);
        return;
    case SCN_EXPECT_ERROR:
        expect_error(run, l);
        return;
    case SCN_EXPECT_SEGMENTS:
        expect_segments(run, l);
        return;
    case SCN_EXPECT_COUNTER:
        expect_counter(run, l);
        return;
    case SCN_EXPECT_COMPLETED:
    case SCN_EXPECT_FAILED:
        expect_pattern_count(run, l);
        return;
    case SCN_EXPECT_FOREIGN:
        expect_foreign(run, l);
        return;
    case SCN_INJECT:
        tcpsim_inject(run->sim, l->from, l->to, sock_of(run, l), (enum tcpsim_forge)l->forge,
                      (enum tcpsim_forge_seq)l->forge_where, (uint32_t)l->number,
                      (uint32_t)l->size, (const uint8_t *)l->text);
        return;
    case SCN_TITLE:
    case SCN_SEED:
    case SCN_HOSTS:
    case SCN_END:
    case SCN_TRACE:
        break; /* never on the timeline */
    }
    g_assert_not_reached();
}

/* "HOST.knob=value" or "*.knob=value" from the command line. */
static gboolean
apply_cli_set(struct scn_run *run, const char *spec, GError **error)
{
    const char *dot = strchr(spec, '.');
    const char *eq = dot ? strchr(dot, '=') : NULL;
    if (dot == NULL || eq == NULL || dot == spec) {
        g_set_error(error, TCPSIM_SCENARIO_ERROR, TCPSIM_SCENARIO_ERROR_SYNTAX,
                    "--set %s: expected HOST.knob=value, as in B.tcp_synack_retries=2", spec);
        return FALSE;
    }
    g_autofree char *host = g_strndup(spec, (gsize)(dot - spec));
    g_autofree char *knob = g_strndup(dot + 1, (gsize)(eq - dot - 1));
    int h = strcmp(host, "*") == 0 ? -1 : tcpsim_host_find(run->sim, host);
    if (h < 0 && strcmp(host, "*") != 0) {
        g_set_error(error, TCPSIM_SCENARIO_ERROR, TCPSIM_SCENARIO_ERROR_SYNTAX,
                    "--set %s: unknown host \"%s\"", spec, host);
        return FALSE;
    }
    for (int i = 0; i < run->scn->nhosts; i++) {
        GError *e = NULL;
        if ((h < 0 || h == i) && !tcpsim_host_set(run->sim, i, knob, eq + 1, &e)) {
            g_set_error(error, TCPSIM_SCENARIO_ERROR, TCPSIM_SCENARIO_ERROR_SYNTAX, "--set %s: %s",
                        spec, e->message);
            g_error_free(e);
            return FALSE;
        }
    }
    return TRUE;
}

static gboolean
build_world(struct scn_run *run, const struct tcpsim_run_options *opts, GError **error)
{
    const struct tcpsim_scenario *scn = run->scn;
    run->ipv6 = opts->ip_version == 6;
    run->same_mss = run->ipv6 && opts->same_mss;
    for (int i = 0; i < scn->nhosts; i++) {
        struct tcpsim_addr first = scn->host_addrs[i];
        struct tcpsim_addr second = scn->host_addrs2[i];
        if (run->ipv6) {
            /* A host keeps an IPv6 address it has; one with none gets its IPv4 one's. */
            bool has6 = first.family == TCPSIM_AF_INET6 || second.family == TCPSIM_AF_INET6;
            first = has6 ? (first.family == TCPSIM_AF_INET6 ? first : second)
                         : tcpsim_scenario_addr_v6(first);
            second = (struct tcpsim_addr){0};
        }
        if (tcpsim_host_add(run->sim, scn->host_names[i], first, error) < 0 ||
            (second.family != TCPSIM_AF_NONE &&
             !tcpsim_host_add_addr(run->sim, i, second, error))) {
            return FALSE;
        }
        if (run->same_mss) {
            g_autofree char *mtu = tcpsim_host_get(run->sim, i, "mtu");
            char buf[24];
            gboolean ok = tcpsim_host_set(run->sim, i, "mtu", mtu_value(run, "mtu", mtu, buf),
                                          NULL);
            g_assert(ok);
        }
    }
    if (run->same_mss) {
        tcpsim_links_ipv6_as_ipv4(run->sim);
    }
    for (guint i = 0; i < scn->setup->len; i++) {
        const struct scn_line *l = g_ptr_array_index(scn->setup, i);
        if (l->verb == SCN_LINK_SETUP) {
            for_dirs(run, l, dir_params);
        } else {
            set_knob(run, l);
        }
    }
    for (const char *const *s = opts->sets; s != NULL && *s != NULL; s++) {
        if (!apply_cli_set(run, *s, error)) {
            return FALSE;
        }
    }
    return TRUE;
}

struct scn_run *
scn_compile(const struct tcpsim_scenario *scn, const struct tcpsim_run_options *opts,
            GError **error)
{
    struct scn_run *run = g_new0(struct scn_run, 1);
    run->scn = scn;
    run->sim = tcpsim_sim_new(opts->has_seed ? opts->seed : scn->seed);
    run->socks = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    run->listeners = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    run->patterns = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    run->actions = g_ptr_array_new_with_free_func(g_free);
    run->failures = g_ptr_array_new_with_free_func(g_free);
    if (!build_world(run, opts, error)) {
        scn_run_free(run);
        return NULL;
    }
    if (opts->summary) {
        tcpsim_summary_enable(run->sim);
    }
    tcpsim_trace_header_args(run->sim, opts->sets, opts->params);
    if (opts->ip_version == 6) {
        tcpsim_trace_header_ip_version(run->sim, opts->same_mss ? "ipv6-same-mss" : "ipv6");
    }
    if (!opts->no_trace &&
        !tcpsim_trace_text(run->sim, opts->trace_path ? opts->trace_path : "-",
                           opts->absolute_seq, opts->trace_cc || scn->trace_cc, error)) {
        scn_run_free(run);
        return NULL;
    }
    if (opts->views != NULL &&
        !tcpsim_trace_views(run->sim, opts->views, opts->absolute_seq,
                            opts->trace_cc || scn->trace_cc, error)) {
        scn_run_free(run);
        return NULL;
    }
    if (opts->jsonl_path != NULL &&
        !tcpsim_trace_jsonl(run->sim, opts->jsonl_path, opts->absolute_seq,
                            opts->trace_cc || scn->trace_cc, error)) {
        scn_run_free(run);
        return NULL;
    }
    if (opts->pcap_path != NULL &&
        !(opts->pcapng ? tcpsim_trace_pcapng : tcpsim_trace_pcap)(run->sim, opts->pcap_path,
                                                                   opts->pcap_at, error)) {
        scn_run_free(run);
        return NULL;
    }
    tcpsim_trace_begin(run->sim, opts->trace_name ? opts->trace_name : scn->file, scn->title);
    for (guint i = 0; i < scn->timeline->len; i++) {
        struct action *a = g_new0(struct action, 1);
        a->run = run;
        a->line = g_ptr_array_index(scn->timeline, i);
        g_ptr_array_add(run->actions, a);
        tcpsim_at(run->sim, a->line->at, exec_line, a);
    }
    return run;
}

struct tcpsim_sim *
scn_run_sim(struct scn_run *run)
{
    return run->sim;
}

guint
scn_run_expects(const struct scn_run *run)
{
    return run->expects;
}

GPtrArray *
scn_run_failures(struct scn_run *run)
{
    return run->failures;
}

void
scn_run_free(struct scn_run *run)
{
    if (run == NULL) {
        return;
    }
    tcpsim_sim_free(run->sim);
    g_hash_table_destroy(run->socks);
    g_hash_table_destroy(run->listeners);
    g_hash_table_destroy(run->patterns);
    g_ptr_array_free(run->actions, TRUE);
    g_ptr_array_free(run->failures, TRUE);
    g_free(run);
}
