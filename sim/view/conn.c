/* SPDX-License-Identifier: MIT */
/*
 * conn.c: the connections of a run (see conn.h).
 *
 * Entry points: conn_table_observe(), conn_table_of_event(). Connections are keyed by
 * their four-tuple with the smaller end first, so both directions find the same entry;
 * a socket name in a state change or an application call names it.
 */
#include "conn.h"

#include <string.h>

#include "../tcp/tcp_why.h"
#include "../trace/strbuf.h"

struct conn_key {
    struct tcpsim_addr a[2];
    uint16_t p[2];
};

struct conn_table {
    GHashTable *by_tuple;  /* struct conn_key * -> struct conn_info * (the latest) */
    GHashTable *by_name;   /* socket name -> struct conn_info * (the latest) */
    GPtrArray *all;        /* struct conn_info *, owned, by id */
    GPtrArray *keys;       /* struct conn_key *, owned */
    GStringChunk *strings;
};

static guint
key_hash(gconstpointer p)
{
    const struct conn_key *k = p;
    return (ip_hash32(&k->a[0]) * 2654435761u) ^ (ip_hash32(&k->a[1]) * 40503u) ^ ((guint)k->p[0] << 16) ^ k->p[1];
}

static gboolean
key_equal(gconstpointer x, gconstpointer y)
{
    const struct conn_key *a = x;
    const struct conn_key *b = y;
    return ip_eq(&a->a[0], &b->a[0]) && ip_eq(&a->a[1], &b->a[1]) && a->p[0] == b->p[0] &&
           a->p[1] == b->p[1];
}

static struct conn_key
make_key(struct tcpsim_addr a1, uint16_t p1, struct tcpsim_addr a2, uint16_t p2)
{
    int c = ip_cmp(&a1, &a2);
    bool swap = c > 0 || (c == 0 && p1 > p2);
    struct conn_key k = {{swap ? a2 : a1, swap ? a1 : a2}, {swap ? p2 : p1, swap ? p1 : p2}};
    return k;
}

struct conn_table *
conn_table_new(void)
{
    struct conn_table *t = g_new0(struct conn_table, 1);
    t->by_tuple = g_hash_table_new(key_hash, key_equal);
    t->by_name = g_hash_table_new(g_str_hash, g_str_equal);
    t->all = g_ptr_array_new_with_free_func(g_free);
    t->keys = g_ptr_array_new_with_free_func(g_free);
    t->strings = g_string_chunk_new(1024);
    return t;
}

void
conn_table_free(struct conn_table *t)
{
    if (t == NULL) {
        return;
    }
    g_hash_table_destroy(t->by_tuple);
    g_hash_table_destroy(t->by_name);
    g_ptr_array_free(t->all, TRUE);
    g_ptr_array_free(t->keys, TRUE);
    g_string_chunk_free(t->strings);
    g_free(t);
}

/* A new connection on the tuple (the old one, if any, keeps its id and name). */
static struct conn_info *
create(struct conn_table *t, struct tcpsim_addr a1, uint16_t p1, struct tcpsim_addr a2,
       uint16_t p2)
{
    struct conn_key k = make_key(a1, p1, a2, p2);
    struct conn_info *c = g_new0(struct conn_info, 1);
    c->id = (int)t->all->len;
    c->addr[0] = a1;
    c->port[0] = p1;
    c->addr[1] = a2;
    c->port[1] = p2;
    c->wscale[0] = c->wscale[1] = -1;
    g_ptr_array_add(t->all, c);
    struct conn_key *kept = g_memdup2(&k, sizeof k);
    g_ptr_array_add(t->keys, kept);
    g_hash_table_replace(t->by_tuple, kept, c);
    return c;
}

static struct conn_info *
lookup(const struct conn_table *t, struct tcpsim_addr a1, uint16_t p1, struct tcpsim_addr a2,
       uint16_t p2)
{
    struct conn_key k = make_key(a1, p1, a2, p2);
    return g_hash_table_lookup(t->by_tuple, &k);
}

static struct conn_info *
find_or_create(struct conn_table *t, struct tcpsim_addr a1, uint16_t p1, struct tcpsim_addr a2,
               uint16_t p2)
{
    struct conn_info *c = lookup(t, a1, p1, a2, p2);
    return c ? c : create(t, a1, p1, a2, p2);
}

static void
name(struct conn_table *t, struct conn_info *c, const char *n)
{
    if (n == NULL || c->name != NULL) {
        return;
    }
    c->name = g_string_chunk_insert_const(t->strings, n);
    g_hash_table_replace(t->by_name, (gpointer)c->name, c);
}

static bool
has_wscale(const struct tcp_opts *o)
{
    for (unsigned i = 0; i < o->n; i++) {
        if (o->kind[i] == TCPOPT_WSCALE) {
            return true;
        }
    }
    return false;
}

static void
on_sent(struct conn_table *t, const struct tcp_seg *s)
{
    struct conn_info *c = find_or_create(t, s->saddr, s->sport, s->daddr, s->dport);
    if (!seg_has(s, TCP_SYN)) {
        return;
    }
    if (!seg_has(s, TCP_ACK) && !c->client_known) {
        /* The first SYN's sender is the client: put it first. */
        if (!ip_eq(&c->addr[0], &s->saddr) || c->port[0] != s->sport) {
            c->addr[1] = c->addr[0];
            c->port[1] = c->port[0];
            c->addr[0] = s->saddr;
            c->port[0] = s->sport;
        }
        c->client_known = true;
        c->forged = s->tx_cause == TCP_TX_FORGED;
    }
    int end = ip_eq(&c->addr[0], &s->saddr) && c->port[0] == s->sport ? 0 : 1;
    c->wscale[end] = has_wscale(&s->opt) ? s->opt.wscale : -1;
    c->ws_both = c->wscale[0] >= 0 && c->wscale[1] >= 0;
}

/* "connect(client.1, 10.0.0.2:80) ..." -> "client.1" */
static bool
app_sock_name(const char *text, char *buf, size_t cap)
{
    const char *open = text ? strchr(text, '(') : NULL;
    if (open == NULL) {
        return false;
    }
    size_t n = strcspn(open + 1, ",)");
    if (n == 0 || n >= cap) {
        return false;
    }
    memcpy(buf, open + 1, n);
    buf[n] = '\0';
    return true;
}

void
conn_table_observe(struct conn_table *t, const struct trace_event *ev, int host)
{
    switch (ev->kind) {
    case TRACE_SEG_SENT:
        on_sent(t, ev->seg);
        return;
    case TRACE_STATE: {
        const struct trace_sock *k = &ev->sock;
        if (ip_is_none(&k->raddr)) {
            return; /* a listener */
        }
        struct conn_info *c = lookup(t, k->laddr, k->lport, k->raddr, k->rport);
        /* A fresh connect() from the end that was the client of a connection on this
         * tuple before is a new connection (a simultaneous open's second connect() is
         * the other end of the same one). */
        bool again = c != NULL && ev->why.from == TCP_CLOSED && ev->why.to == TCP_SYN_SENT &&
                     c->client_known && ip_eq(&c->addr[0], &k->laddr) && c->port[0] == k->lport;
        if (c == NULL || again) {
            c = create(t, k->laddr, k->lport, k->raddr, k->rport);
        }
        name(t, c, k->name);
        if (host == 0 || host == 1) {
            c->host_state[host] = ev->to ? g_string_chunk_insert_const(t->strings, ev->to) : NULL;
        }
        return;
    }
    case TRACE_SEG_DELIVERED:
    case TRACE_SEG_DROPPED:
    case TRACE_SEG_DISCARD:
    case TRACE_TIMER:
    case TRACE_APP:
    case TRACE_EXPECT:
    case TRACE_NOTE:
    case TRACE_CC:
    case TRACE_SS:
    case TRACE_NKINDS:
        return;
    }
}

void
conn_table_kept(struct conn_table *t, const struct conn_info *cc, const struct trace_event *ev,
                int host)
{
    struct conn_info *c = g_ptr_array_index(t->all, cc->id);
    if (c->init_taken) {
        return;
    }
    c->init_taken = true;
    c->init_state[0] = c->host_state[0];
    c->init_state[1] = c->host_state[1];
    if (ev->kind == TRACE_STATE && (host == 0 || host == 1)) {
        /* Observed already: before it, the end was in the state it left. */
        c->init_state[host] = ev->from ? g_string_chunk_insert_const(t->strings, ev->from) : NULL;
    }
}

const struct conn_info *
conn_table_get(const struct conn_table *t, int id)
{
    return id >= 0 && (guint)id < t->all->len ? g_ptr_array_index(t->all, id) : NULL;
}

const struct conn_info *
conn_table_of_tuple(const struct conn_table *t, struct tcpsim_addr a1, uint16_t p1,
                    struct tcpsim_addr a2, uint16_t p2)
{
    return lookup(t, a1, p1, a2, p2);
}

const struct conn_info *
conn_table_of_event(const struct conn_table *t, const struct trace_event *ev)
{
    if (ev->seg != NULL) {
        const struct tcp_seg *s = ev->seg;
        return lookup(t, s->saddr, s->sport, s->daddr, s->dport);
    }
    if (ev->kind == TRACE_APP) {
        char n[64];
        return app_sock_name(ev->text, n, sizeof n) ? g_hash_table_lookup(t->by_name, n) : NULL;
    }
    if (ev->kind == TRACE_STATE || ev->kind == TRACE_TIMER || ev->kind == TRACE_CC) {
        const struct trace_sock *k = &ev->sock;
        return !ip_is_none(&k->raddr) ? lookup(t, k->laddr, k->lport, k->raddr, k->rport) : NULL;
    }
    return NULL;
}

const char *
conn_short_name(const struct conn_info *c, char *buf, size_t cap)
{
    if (c->name != NULL) {
        return c->name;
    }
    struct strbuf sb;
    sb_init(&sb, buf, cap);
    sb_putc(&sb, ':');
    sb_putu(&sb, c->port[0]);
    return buf;
}

bool
conn_matches(const struct conn_info *c, const char *name)
{
    if (c->name != NULL && strcmp(c->name, name) == 0) {
        return true;
    }
    const char *digits = name[0] == ':' ? name + 1 : name;
    guint64 port = 0;
    if (!g_ascii_string_to_unsigned(digits, 10, 1, 65535, &port, NULL)) {
        return false;
    }
    return c->port[0] == port || (c->port[1] == port && !c->client_known);
}
