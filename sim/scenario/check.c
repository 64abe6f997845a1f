/* SPDX-License-Identifier: MIT */
/*
 * check.c: the meaning of a parsed scenario: every socket is named before it is used,
 * every accept has a listener, every value is one the simulator will take.
 *
 * Entry point: scn_check(). Walks the timeline in order with the set of sockets named so
 * far (names belong to a host), so "recv s" before "accept 80 as s" is refused with both
 * places named. Values (tunables, link parameters, socket options) are checked here too,
 * so that a run never stops half way on a bad value.
 */
#include <string.h>

#include "ast.h"

struct binding {
    int host;
    char *name;
    struct scn_loc loc;
    bool pattern; /* a serve/fetch pattern rather than a socket */
};

/* Bindings in the order they were made, found by (host, name) through a hash index, so
 * that a scenario with a million named sockets checks in linear time. */
struct bindings {
    GArray *a;       /* struct binding */
    GHashTable *at;  /* "host/name" -> index + 1 (the first binding of that name) */
};

struct names {
    struct bindings b;         /* sockets and patterns */
    struct bindings listeners; /* name "port" */
    struct bindings served;    /* name "port": a serve pattern's own listener */
    gboolean *freebsd;         /* per host: personality freebsd set by the lines so far */
};

static char *
key_of(int host, const char *name)
{
    return g_strdup_printf("%d/%s", host, name);
}

static const struct binding *
lookup(const struct bindings *s, int host, const char *name)
{
    g_autofree char *k = key_of(host, name);
    guint i = GPOINTER_TO_UINT(g_hash_table_lookup(s->at, k));
    return i ? &g_array_index(s->a, struct binding, i - 1) : NULL;
}

static void
bind_add(struct bindings *s, struct binding b)
{
    g_array_append_val(s->a, b);
    char *k = key_of(b.host, b.name);
    if (g_hash_table_contains(s->at, k)) {
        g_free(k);
        return;
    }
    g_hash_table_insert(s->at, k, GUINT_TO_POINTER(s->a->len));
}

static gboolean
define_kind(struct names *n, const struct tcpsim_scenario *scn, int host, const char *name,
            const struct scn_loc *loc, bool pattern, GError **error)
{
    const struct binding *old = lookup(&n->b, host, name);
    if (old != NULL) {
        scn_error(error, loc, "socket \"%s\" on host %s is already named at line %u; use a new name",
                  name, scn->host_names[host], old->loc.line);
        return FALSE;
    }
    struct binding b = {host, g_strdup(name), *loc, pattern};
    bind_add(&n->b, b);
    return TRUE;
}

static gboolean
define(struct names *n, const struct tcpsim_scenario *scn, int host, const char *name,
       const struct scn_loc *loc, GError **error)
{
    return define_kind(n, scn, host, name, loc, false, error);
}

/* The name must be bound to a pattern (`want_pattern`) or to a socket. */
static gboolean
use_kind(const struct names *n, const struct tcpsim_scenario *scn, const struct scn_line *l,
         bool want_pattern, GError **error)
{
    const struct binding *b = lookup(&n->b, l->host, l->name);
    if (b == NULL || b->pattern == want_pattern) {
        return TRUE; /* unbound names are use()'s business */
    }
    scn_error(error, &l->name_loc, "\"%s\" on host %s is %s; this check is for %s", l->name,
              scn->host_names[l->host], b->pattern ? "a serve/fetch pattern" : "a socket",
              want_pattern ? "patterns (completed, failed, error)" : "sockets");
    return FALSE;
}

static gboolean
use(const struct names *n, const struct tcpsim_scenario *scn, const struct scn_line *l,
    GError **error)
{
    if (lookup(&n->b, l->host, l->name) != NULL) {
        return TRUE;
    }
    if (g_ascii_isdigit(l->name[0]) && lookup(&n->listeners, l->host, l->name) != NULL) {
        return TRUE; /* a listener by its port: "close 80" */
    }
    const struct binding *srv = g_ascii_isdigit(l->name[0]) ? lookup(&n->served, l->host, l->name)
                                                             : NULL;
    if (srv != NULL) {
        scn_error(error, &l->name_loc,
                  "port %s of host %s is the listener of the serve pattern of line %u, which "
                  "the pattern owns; a line can use only a listener of its own (\"%s listen "
                  "PORT\")",
                  l->name, scn->host_names[l->host], (unsigned)srv->loc.line, scn->host_names[l->host]);
        return FALSE;
    }
    scn_error(error, &l->name_loc,
              "socket \"%s\" on host %s is not named yet; name it with \"connect ... as %s\", "
              "\"accept PORT as %s\" or \"listen PORT as %s\" on an earlier line",
              l->name, scn->host_names[l->host], l->name, l->name, l->name);
    return FALSE;
}

static gboolean
check_kv_options(const struct scn_line *l, GError **error)
{
    for (guint i = 0; i < l->kv->len; i++) {
        const struct scn_kv *kv = &g_array_index(l->kv, struct scn_kv, i);
        GError *e = NULL;
        if (!tcpsim_sockopt_check(kv->key, kv->value, &e)) {
            scn_error(error, g_str_has_prefix(e->message, "unknown") ? &kv->loc : &kv->vloc,
                      "%s", e->message);
            g_error_free(e);
            return FALSE;
        }
    }
    return TRUE;
}

static gboolean
check_kv_link(const struct scn_line *l, GError **error)
{
    for (guint i = 0; i < l->kv->len; i++) {
        const struct scn_kv *kv = &g_array_index(l->kv, struct scn_kv, i);
        GError *e = NULL;
        if (!tcpsim_link_param_check(kv->key, kv->value, &e)) {
            scn_error(error, g_str_has_prefix(e->message, "unknown") ? &kv->loc : &kv->vloc,
                      "%s", e->message);
            g_error_free(e);
            return FALSE;
        }
    }
    return TRUE;
}

/* A knob and its value; a FreeBSD sysctl only on a host whose personality an earlier
 * line made freebsd (the lines apply in order, as the run applies them). */
static gboolean
check_set(struct names *n, const struct tcpsim_scenario *scn, const struct scn_line *l,
          GError **error)
{
    GError *e = NULL;
    if (!tcpsim_knob_check(l->word, l->value, &e)) {
        scn_error(error, &l->name_loc, "%s", e->message);
        g_error_free(e);
        return FALSE;
    }
    for (int h = 0; h < scn->nhosts; h++) {
        if (l->host >= 0 && l->host != h) {
            continue;
        }
        if (strcmp(l->word, "personality") == 0) {
            n->freebsd[h] = strcmp(l->value, "freebsd") == 0;
        } else if (tcpsim_knob_is_freebsd(l->word) && !n->freebsd[h]) {
            scn_error(error, &l->name_loc,
                      "%s is a FreeBSD sysctl, and host %s does not run the freebsd "
                      "personality here: put \"set %s personality freebsd\" on an earlier line",
                      l->word, scn->host_names[h], l->host >= 0 ? scn->host_names[h] : "*");
            return FALSE;
        }
    }
    return TRUE;
}

static gboolean
check_state_name(const struct scn_line *l, GError **error)
{
    static const char *const states[] = {
        "CLOSED",     "LISTEN",     "SYN_SENT", "SYN_RECEIVED", "ESTABLISHED", "FIN_WAIT_1",
        "FIN_WAIT_2", "CLOSE_WAIT", "CLOSING",  "LAST_ACK",     "TIME_WAIT",   NULL,
    };
    if (g_strv_contains(states, l->word)) {
        return TRUE;
    }
    g_autofree char *all = g_strjoinv(", ", (char **)states);
    scn_error(error, &l->loc, "unknown state \"%s\"; expected one of %s", l->word, all);
    return FALSE;
}

static gboolean
check_line(struct names *n, const struct tcpsim_scenario *scn, const struct scn_line *l,
           GError **error)
{
    switch (l->verb) {
    case SCN_LISTEN: {
        g_autofree char *port = g_strdup_printf("%u", l->port);
        struct binding b = {l->host, g_strdup(port), l->loc};
        bind_add(&n->listeners, b);
        return l->as == NULL || define(n, scn, l->host, l->as, &l->as_loc, error);
    }
    case SCN_CONNECT:
        return l->as == NULL || define(n, scn, l->host, l->as, &l->as_loc, error);
    case SCN_ACCEPT: {
        g_autofree char *port = g_strdup_printf("%u", l->port);
        const struct binding *own = lookup(&n->listeners, l->host, port);
        const struct binding *srv = lookup(&n->served, l->host, port);
        if (own == NULL && srv != NULL) {
            scn_error(error, &l->name_loc,
                      "accept on port %s of host %s, but that port is the serve pattern's of "
                      "line %u, which accepts its connections itself; an accept needs a "
                      "\"%s listen PORT\" of its own",
                      port, scn->host_names[l->host], (unsigned)srv->loc.line, scn->host_names[l->host]);
            return FALSE;
        }
        if (own == NULL) {
            scn_error(error, &l->name_loc,
                      "accept on port %s of host %s, but nothing listens there yet; add \"%s "
                      "listen %s\" on an earlier line",
                      port, scn->host_names[l->host], scn->host_names[l->host], port);
            return FALSE;
        }
        return define(n, scn, l->host, l->as, &l->as_loc, error);
    }
    case SCN_SERVE: {
        g_autofree char *port = g_strdup_printf("%u", l->port);
        struct binding b = {l->host, g_strdup(port), l->loc, true};
        bind_add(&n->served, b);
        return define_kind(n, scn, l->host, l->as, &l->as_loc, true, error);
    }
    case SCN_FETCH:
        return define_kind(n, scn, l->host, l->as, &l->as_loc, true, error);
    case SCN_SEND:
    case SCN_RECV:
    case SCN_SHUTDOWN:
    case SCN_CLOSE:
    case SCN_ABORT:
    case SCN_EXPECT_RECEIVED:
        return use(n, scn, l, error) && use_kind(n, scn, l, false, error);
    case SCN_EXPECT_ERROR:
        return use(n, scn, l, error);
    case SCN_INJECT:
    case SCN_EXPECT_FOREIGN:
        return use(n, scn, l, error) && use_kind(n, scn, l, false, error);
    case SCN_EXPECT_COMPLETED:
    case SCN_EXPECT_FAILED:
        return use(n, scn, l, error) && use_kind(n, scn, l, true, error);
    case SCN_EXPECT_STATE:
        return use(n, scn, l, error) && use_kind(n, scn, l, false, error) &&
               check_state_name(l, error);
    case SCN_OPTION:
        return use(n, scn, l, error) && use_kind(n, scn, l, false, error) &&
               check_kv_options(l, error);
    case SCN_SET:
    case SCN_SET_SETUP:
        return check_set(n, scn, l, error);
    case SCN_LINK_SETUP:
        return check_kv_link(l, error);
    case SCN_EXPECT_COUNTER:
        if (!tcpsim_counter_known(l->word)) {
            scn_error(error, &l->name_loc,
                      "unknown counter \"%s\"; expected an nstat name such as "
                      "TcpExtListenOverflows (tcpsim counters lists them)",
                      l->word);
            return FALSE;
        }
        return TRUE;
    case SCN_TITLE:
    case SCN_SEED:
    case SCN_HOSTS:
    case SCN_END:
    case SCN_TRACE:
    case SCN_CRASH:
    case SCN_REBOOT:
    case SCN_SS:
    case SCN_FLOOD:
    case SCN_LINK:
    case SCN_DROP:
    case SCN_DELAY:
    case SCN_DUPLICATE:
    case SCN_EXPECT_SEGMENTS:
        return TRUE;
    }
    g_assert_not_reached();
}

static void
names_clear(struct names *n)
{
    struct bindings *all[] = {&n->b, &n->listeners, &n->served};
    for (size_t a = 0; a < G_N_ELEMENTS(all); a++) {
        for (guint i = 0; i < all[a]->a->len; i++) {
            g_free(g_array_index(all[a]->a, struct binding, i).name);
        }
        g_array_free(all[a]->a, TRUE);
        g_hash_table_destroy(all[a]->at);
    }
}

gboolean
scn_check(struct tcpsim_scenario *scn, GError **error)
{
    struct names n = {
        .b = {g_array_new(FALSE, TRUE, sizeof(struct binding)),
              g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL)},
        .listeners = {g_array_new(FALSE, TRUE, sizeof(struct binding)),
                      g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL)},
        .served = {g_array_new(FALSE, TRUE, sizeof(struct binding)),
                   g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL)},
        .freebsd = g_new0(gboolean, scn->nhosts > 0 ? scn->nhosts : 1),
    };
    gboolean ok = TRUE;
    for (guint i = 0; ok && i < scn->setup->len; i++) {
        ok = check_line(&n, scn, g_ptr_array_index(scn->setup, i), error);
    }
    for (guint i = 0; ok && i < scn->timeline->len; i++) {
        ok = check_line(&n, scn, g_ptr_array_index(scn->timeline, i), error);
    }
    names_clear(&n);
    g_free(n.freebsd);
    return ok;
}
