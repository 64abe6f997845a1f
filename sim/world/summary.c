/* SPDX-License-Identifier: MIT */
/*
 * summary.c: a run summary for programs (tcpsim run --summary): one JSON object with the
 * run's parameters, every connection's outcome, each host's counters, each link
 * direction's totals and every expect's verdict. docs/summary.schema.json describes it.
 *
 * Entry points: tcpsim_summary_enable(), tcpsim_summary_expect(), tcpsim_summary_json().
 * The connections are gathered by a trace sink from the same events the trace shows, so
 * a summary says nothing the trace does not.
 */
#include <stdio.h>
#include <string.h>
#include <tcpsim/sim.h>

#include "../trace/jsonbuf.h"
#include "app.h"
#include "world.h"

#define NSTATES 11 /* enum tcp_state: CLOSED ... TIME_WAIT */

/* One incarnation of a connection on one host. */
struct conn {
    const char *host;
    char *name;
    struct tcpsim_addr laddr, raddr;
    uint16_t lport, rport;
    sim_time first;
    sim_time established; /* -1: never */
    sim_time completed;   /* -1: never: CLOSED or TIME_WAIT after a start */
    const char *states[NSTATES + 1]; /* in the order first reached */
    guint nstates;
    const char *last_state; /* the last one */
    const char *cause;    /* of the last change */
    uint64_t segs_sent;
    uint64_t bytes_sent;  /* distinct payload bytes: the highest stream offset sent */
    uint64_t bytes_delivered; /* the highest stream offset the link delivered to it */
    uint64_t retransmits;
    uint64_t retrans_bytes;
};

struct expect_rec {
    sim_time at;
    char *host;
    char *where;
    char *what;
    char *expected;
    char *got;
    bool ok;
};

struct world_summary {
    GHashTable *live; /* "host laddr lport raddr rport" -> struct conn * (the current one) */
    GPtrArray *conns; /* struct conn *, in order of appearance */
    GPtrArray *expects;
};

static void
conn_free(gpointer p)
{
    struct conn *c = p;
    g_free(c->name);
    g_free(c);
}

static void
expect_free(gpointer p)
{
    struct expect_rec *e = p;
    g_free(e->host);
    g_free(e->where);
    g_free(e->what);
    g_free(e->expected);
    g_free(e->got);
    g_free(e);
}

static char *
conn_key(char *buf, size_t n, const char *host, struct tcpsim_addr la, uint16_t lp,
         struct tcpsim_addr ra, uint16_t rp)
{
    char l[TCPSIM_ADDR_STRLEN];
    char r[TCPSIM_ADDR_STRLEN];
    ip_format(&la, l, sizeof l);
    ip_format(&ra, r, sizeof r);
    snprintf(buf, n, "%s %s %u %s %u", host, l, lp, r, rp);
    return buf;
}

static struct conn *
conn_get(struct world_summary *s, const struct trace_event *ev, const char *host,
         struct tcpsim_addr la, uint16_t lp, struct tcpsim_addr ra, uint16_t rp, bool fresh)
{
    char key[160];
    conn_key(key, sizeof key, host, la, lp, ra, rp);
    struct conn *c = g_hash_table_lookup(s->live, key);
    if (c != NULL && !fresh) {
        return c;
    }
    c = g_new0(struct conn, 1);
    c->host = host;
    c->laddr = la;
    c->lport = lp;
    c->raddr = ra;
    c->rport = rp;
    c->first = ev->at;
    c->established = -1;
    c->completed = -1;
    g_ptr_array_add(s->conns, c);
    g_hash_table_replace(s->live, g_strdup(key), c);
    return c;
}

static void
reach(struct conn *c, const char *state)
{
    for (guint i = 0; i < c->nstates; i++) {
        if (strcmp(c->states[i], state) == 0) {
            return;
        }
    }
    if (c->nstates < NSTATES) {
        c->states[c->nstates++] = state;
    }
}

static void
on_state(struct world_summary *s, const struct trace_event *ev)
{
    if (ip_is_none(&ev->sock.raddr)) {
        return; /* a listener */
    }
    /* A connection starts again on the same tuple after it closed: a new record. */
    bool fresh = strcmp(ev->from, "CLOSED") == 0 || strcmp(ev->from, "LISTEN") == 0;
    struct conn *c = conn_get(s, ev, ev->host, ev->sock.laddr, ev->sock.lport, ev->sock.raddr,
                              ev->sock.rport, fresh);
    if (c->nstates == 0) {
        reach(c, ev->from);
    }
    if (ev->sock.name != NULL && c->name == NULL) {
        c->name = g_strdup(ev->sock.name);
    }
    reach(c, ev->to);
    c->last_state = ev->to;
    c->cause = ev->reason;
    if (c->established < 0 && strcmp(ev->to, "ESTABLISHED") == 0) {
        c->established = ev->at;
    }
    if (strcmp(ev->to, "CLOSED") == 0 || strcmp(ev->to, "TIME_WAIT") == 0) {
        if (c->completed < 0) {
            c->completed = ev->at;
        }
    }
}

static void
summary_event(void *self, const struct trace_event *ev)
{
    struct world_summary *s = self;
    const struct tcp_seg *g = ev->seg;
    switch (ev->kind) {
    case TRACE_STATE:
        on_state(s, ev);
        break;
    case TRACE_SEG_SENT: {
        char key[160];
        struct conn *c = g_hash_table_lookup(
            s->live, conn_key(key, sizeof key, ev->host, g->saddr, g->sport, g->daddr, g->dport));
        if (c == NULL || g->tx_cause == TCP_TX_FORGED) {
            break;
        }
        c->segs_sent++;
        if (g->len > 0 && g->data_off + g->len > c->bytes_sent) {
            c->bytes_sent = g->data_off + g->len;
        }
        if (tcp_tx_cause_resends(g->tx_cause)) {
            c->retransmits++;
            c->retrans_bytes += g->len;
        }
        break;
    }
    case TRACE_SEG_DELIVERED: {
        char key[160];
        struct conn *c = g_hash_table_lookup(
            s->live, conn_key(key, sizeof key, ev->peer, g->daddr, g->dport, g->saddr, g->sport));
        if (c != NULL && g->len > 0 && g->data_off + g->len > c->bytes_delivered) {
            c->bytes_delivered = g->data_off + g->len;
        }
        break;
    }
    case TRACE_SEG_DROPPED:
    case TRACE_SEG_DISCARD:
    case TRACE_TIMER:
    case TRACE_APP:
    case TRACE_EXPECT:
    case TRACE_NOTE:
    case TRACE_CC:
    case TRACE_SS:
    case TRACE_NKINDS:
        break;
    }
}

static void
summary_begin(void *self, const struct trace_header *hdr)
{
    (void)self;
    (void)hdr;
}

static gboolean
summary_end(void *self, GError **error)
{
    (void)self;
    (void)error;
    return TRUE;
}

static void
summary_sink_free(void *self)
{
    (void)self; /* the summary outlives the trace: tcpsim_sim_free() frees it */
}

static const struct trace_sink_ops summary_ops = {
    .name = "summary",
    .begin = summary_begin,
    .event = summary_event,
    .end = summary_end,
    .free = summary_sink_free,
};

void
tcpsim_summary_enable(struct tcpsim_sim *sim)
{
    if (sim->summary != NULL) {
        return;
    }
    struct world_summary *s = g_new0(struct world_summary, 1);
    s->live = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    s->conns = g_ptr_array_new_with_free_func(conn_free);
    s->expects = g_ptr_array_new_with_free_func(expect_free);
    sim->summary = s;
    trace_add_sink(&sim->trace, &summary_ops, s,
                   TRACE_MASK(TRACE_STATE) | TRACE_MASK(TRACE_SEG_SENT) |
                       TRACE_MASK(TRACE_SEG_DELIVERED));
}

void
world_summary_free(struct world_summary *s)
{
    if (s == NULL) {
        return;
    }
    g_hash_table_destroy(s->live);
    g_ptr_array_free(s->conns, TRUE);
    g_ptr_array_free(s->expects, TRUE);
    g_free(s);
}

void
tcpsim_summary_expect(struct tcpsim_sim *sim, int host, const char *where, const char *what,
                      const char *expected, const char *got, bool ok)
{
    struct world_summary *s = sim->summary;
    if (s == NULL) {
        return;
    }
    struct expect_rec *e = g_new0(struct expect_rec, 1);
    e->at = sim->q.now;
    e->host = g_strdup(host >= 0 && host < sim->nhosts ? sim->hosts[host]->name : NULL);
    e->where = g_strdup(where);
    e->what = g_strdup(what);
    e->expected = g_strdup(expected);
    e->got = g_strdup(got);
    e->ok = ok;
    g_ptr_array_add(s->expects, e);
}

static void
js_time(GString *j, const char *key, sim_time t)
{
    if (t < 0) {
        js_null(j, key);
        return;
    }
    js_int(j, key, t);
}

static void
js_endpoint(GString *j, const char *key, struct tcpsim_addr addr, uint16_t port)
{
    char ip[TCPSIM_ADDR_STRLEN];
    char buf[TCPSIM_ADDR_STRLEN + 8];
    ip_format(&addr, ip, sizeof ip);
    snprintf(buf, sizeof buf, ip_is6(&addr) ? "[%s]:%u" : "%s:%u", ip, port);
    js_str(j, key, buf);
}

static void
js_strv(GString *j, const char *key, const char *const *v)
{
    js_open(j, key, '[');
    for (; v != NULL && *v != NULL; v++) {
        js_str(j, NULL, *v);
    }
    js_close(j, ']');
}

/* The named socket's last error, if the scenario still holds it. */
static const char *
conn_error(struct tcpsim_sim *sim, const struct conn *c)
{
    if (c->name == NULL) {
        return NULL;
    }
    for (guint i = 0; i < sim->socks->len; i++) {
        const struct tcpsim_sock *so = g_ptr_array_index(sim->socks, i);
        if (so->name && strcmp(so->name, c->name) == 0 && strcmp(so->host->name, c->host) == 0) {
            int e = tcpsim_sock_error(so);
            return e ? tcpsim_errno_name(e) : NULL;
        }
    }
    return NULL;
}

static void
write_connections(struct tcpsim_sim *sim, const struct world_summary *s, GString *j)
{
    js_open(j, "connections", '[');
    for (guint i = 0; s && i < s->conns->len; i++) {
        const struct conn *c = g_ptr_array_index(s->conns, i);
        js_open(j, NULL, '{');
        js_str(j, "host", c->host);
        js_str(j, "name", c->name);
        js_endpoint(j, "local", c->laddr, c->lport);
        js_endpoint(j, "remote", c->raddr, c->rport);
        js_int(j, "start_ns", c->first);
        js_time(j, "established_ns", c->established);
        js_time(j, "completed_ns", c->completed);
        js_open(j, "states", '[');
        for (guint k = 0; k < c->nstates; k++) {
            js_str(j, NULL, c->states[k]);
        }
        js_close(j, ']');
        js_str(j, "final_state", c->last_state);
        js_str(j, "final_cause", c->cause);
        js_str(j, "error", conn_error(sim, c));
        js_uint(j, "segments_sent", c->segs_sent);
        js_uint(j, "bytes_sent", c->bytes_sent);
        js_uint(j, "bytes_delivered", c->bytes_delivered);
        js_uint(j, "retransmissions", c->retransmits);
        js_uint(j, "retransmitted_bytes", c->retrans_bytes);
        js_close(j, '}');
    }
    js_close(j, ']');
}

static void
write_counters(struct tcpsim_sim *sim, GString *j)
{
    js_open(j, "counters", '{');
    for (int h = 0; h < sim->nhosts; h++) {
        js_open(j, sim->hosts[h]->name, '{');
        const char *name;
        for (guint i = 0; (name = tcpsim_counter_name(i)) != NULL; i++) {
            uint64_t v = 0;
            if (tcpsim_host_counter(sim, h, name, &v) && v != 0) {
                js_uint(j, name, v);
            }
        }
        js_close(j, '}');
    }
    js_close(j, '}');
}

static void
write_links(struct tcpsim_sim *sim, GString *j)
{
    js_open(j, "links", '[');
    for (int a = 0; a < sim->nhosts; a++) {
        for (int b = 0; b < sim->nhosts; b++) {
            const struct link_dir *d = world_link(sim, a, b);
            if (d == NULL || d->stats.sent == 0) {
                continue;
            }
            const struct link_stats *st = &d->stats;
            js_open(j, NULL, '{');
            js_str(j, "from", d->from_name);
            js_str(j, "to", d->to_name);
            js_uint(j, "sent", st->sent);
            js_uint(j, "delivered", st->delivered);
            uint64_t dropped = 0;
            for (int k = 0; k < LINK_DROP_N; k++) {
                dropped += st->dropped[k];
            }
            js_uint(j, "dropped", dropped);
            js_open(j, "drops", '{');
            for (int k = 0; k < LINK_DROP_N; k++) {
                if (st->dropped[k]) {
                    js_uint(j, link_drop_name((enum link_drop)k), st->dropped[k]);
                }
            }
            js_close(j, '}');
            js_uint(j, "duplicated", st->duplicated);
            js_uint(j, "reordered", st->reordered);
            js_uint(j, "corrupted", st->corrupted);
            js_close(j, '}');
        }
    }
    js_close(j, ']');
}

char *
tcpsim_summary_json(struct tcpsim_sim *sim, const struct tcpsim_summary_info *info)
{
    const struct world_summary *s = sim->summary;
    GString *j = g_string_new("{");
    js_str(j, "format", "tcpsim-summary");
    js_int(j, "format_version", 1);
    js_str(j, "tcpsim_version", info->version);
    js_str(j, "scenario", info->scenario);
    js_str(j, "title", info->title);
    js_uint(j, "seed", sim->seed);
    js_strv(j, "sets", info->sets);
    js_strv(j, "params", info->params);
    js_str(j, "status", info->status);
    js_int(j, "end_ns", sim->q.now);
    js_uint(j, "events", tcpsim_events_run(sim));
    guint failed = 0;
    for (guint i = 0; s && i < s->expects->len; i++) {
        failed += !((const struct expect_rec *)g_ptr_array_index(s->expects, i))->ok;
    }
    js_uint(j, "expects_total", s ? s->expects->len : 0);
    js_uint(j, "expects_failed", failed);
    write_connections(sim, s, j);
    write_counters(sim, j);
    write_links(sim, j);
    js_open(j, "expects", '[');
    for (guint i = 0; s && i < s->expects->len; i++) {
        const struct expect_rec *e = g_ptr_array_index(s->expects, i);
        js_open(j, NULL, '{');
        js_str(j, "where", e->where);
        js_int(j, "at_ns", e->at);
        js_str(j, "host", e->host);
        js_str(j, "check", e->what);
        js_str(j, "expected", e->expected);
        js_str(j, "got", e->got);
        js_bool(j, "ok", e->ok);
        js_close(j, '}');
    }
    js_close(j, ']');
    g_string_append(j, "}\n");
    return g_string_free(j, FALSE);
}

void
tcpsim_summary_totals(const struct tcpsim_sim *sim, struct tcpsim_summary_totals *out)
{
    *out = (struct tcpsim_summary_totals){.last_completed = -1};
    const struct world_summary *s = sim->summary;
    for (guint i = 0; s && i < s->conns->len; i++) {
        const struct conn *c = g_ptr_array_index(s->conns, i);
        out->connections++;
        out->established += c->established >= 0;
        out->completed += c->completed >= 0;
        if (c->completed > out->last_completed) {
            out->last_completed = c->completed;
        }
        out->retransmissions += c->retransmits;
        out->bytes_sent += c->bytes_sent;
        out->bytes_delivered += c->bytes_delivered;
    }
    for (int a = 0; a < sim->nhosts; a++) {
        for (int b = 0; b < sim->nhosts; b++) {
            const struct link_dir *d = world_link(sim, a, b);
            if (d == NULL) {
                continue;
            }
            out->link_sent += d->stats.sent;
            for (int k = 0; k < LINK_DROP_N; k++) {
                out->link_dropped += d->stats.dropped[k];
            }
        }
    }
}
