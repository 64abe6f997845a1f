/* SPDX-License-Identifier: MIT */
/*
 * explain_why.c: which sentence explains a line, and the values it needs.
 *
 * Entry point: explain_pick(). A line is explained from its own structured data (the
 * state change's cause and states, the discard or drop reason, the timer and its
 * timeout, the segment's tx cause and count) and, for a segment sent, from what just
 * happened on the same host at the same time: the timer that fired, the state change,
 * the segment that arrived or was discarded. Those events come just before it in the
 * trace (or, for an abort, just after), which is why explain mode reads the events of
 * one time as a batch.
 */
#include <stddef.h>
#include <string.h>

#include "explain.h"
#include "explain_ctx.h"
#include "span.h"

struct flow_key {
    struct tcpsim_addr saddr, daddr;
    uint16_t sport, dport;
};

struct last_ack {
    tcp_seq ack;
    uint16_t win;
};

struct explain_flows {
    GHashTable *last; /* struct flow_key * -> struct last_ack *: lookup only */
    GHashTable *conn; /* struct flow_key * -> struct conn_seen * */
};

static guint
key_hash(gconstpointer p)
{
    const struct flow_key *k = p;
    return (ip_hash32(&k->saddr) * 2654435761u) ^ ip_hash32(&k->daddr) ^
           ((guint)k->sport << 16 | k->dport);
}

static gboolean
key_equal(gconstpointer a, gconstpointer b)
{
    return memcmp(a, b, sizeof(struct flow_key)) == 0;
}

struct explain_flows *
explain_flows_new(void)
{
    struct explain_flows *f = g_new0(struct explain_flows, 1);
    f->last = g_hash_table_new_full(key_hash, key_equal, g_free, g_free);
    f->conn = g_hash_table_new_full(key_hash, key_equal, g_free, g_free);
    return f;
}

void
explain_flows_free(struct explain_flows *f)
{
    if (f != NULL) {
        g_hash_table_destroy(f->last);
        g_hash_table_destroy(f->conn);
        g_free(f);
    }
}

struct conn_seen *
explain_conn_seen(struct explain_flows *f, struct tcpsim_addr saddr, uint16_t sport,
                  struct tcpsim_addr daddr, uint16_t dport)
{
    struct flow_key k = {saddr, daddr, sport, dport};
    struct conn_seen *c = g_hash_table_lookup(f->conn, &k);
    if (c == NULL) {
        c = g_new0(struct conn_seen, 1);
        g_hash_table_insert(f->conn, g_memdup2(&k, sizeof k), c);
    }
    return c;
}

static bool
offers_sack(const struct tcp_seg *s)
{
    for (unsigned i = 0; i < s->opt.n; i++) {
        if (s->opt.kind[i] == TCPOPT_SACK_PERM) {
            return true;
        }
    }
    return false;
}

void
explain_flow_syn(struct explain_flows *f, const struct tcp_seg *s)
{
    explain_conn_seen(f, s->saddr, s->sport, s->daddr, s->dport)->sack_perm = offers_sack(s);
}

bool
explain_flow_sack(struct explain_flows *f, const struct tcp_seg *s)
{
    return explain_conn_seen(f, s->saddr, s->sport, s->daddr, s->dport)->sack_perm &&
           explain_conn_seen(f, s->daddr, s->dport, s->saddr, s->sport)->sack_perm;
}

/* --- the batch around a line ------------------------------------------------------- */

static bool
same_host(const struct trace_event *a, const char *host)
{
    return a->host != NULL && host != NULL && strcmp(a->host, host) == 0;
}

/* The connection that sent `s`, as a state or timer event names it. */
static bool
sock_sent(const struct trace_sock *k, const struct tcp_seg *s)
{
    return ip_eq(&k->laddr, &s->saddr) && k->lport == s->sport && ip_eq(&k->raddr, &s->daddr) &&
           k->rport == s->dport;
}

/* `in` travels the other way on the connection of `s`. */
static bool
reverse_of(const struct tcp_seg *in, const struct tcp_seg *s)
{
    return ip_eq(&in->saddr, &s->daddr) && in->sport == s->dport && ip_eq(&in->daddr, &s->saddr) &&
           in->dport == s->sport;
}

/* Whether event e (on the host that sends `s`) concerns the connection of `s`. */
static bool
concerns(const struct trace_event *e, const char *host, const struct tcp_seg *s)
{
    switch (e->kind) {
    case TRACE_STATE:
    case TRACE_TIMER:
        return same_host(e, host) && sock_sent(&e->sock, s);
    case TRACE_SEG_DISCARD:
        return same_host(e, host) && reverse_of(e->seg, s);
    case TRACE_SEG_DELIVERED:
        return e->peer != NULL && strcmp(e->peer, host) == 0 && reverse_of(e->seg, s);
    case TRACE_SEG_SENT:
        return same_host(e, host) && ip_eq(&e->seg->saddr, &s->saddr) && e->seg->sport == s->sport &&
               ip_eq(&e->seg->daddr, &s->daddr) && e->seg->dport == s->dport;
    case TRACE_SEG_DROPPED:
    case TRACE_APP:
    case TRACE_EXPECT:
    case TRACE_NOTE:
    case TRACE_CC:
    case TRACE_SS:
    case TRACE_NKINDS:
        return false;
    }
    return false;
}

const struct trace_event *
explain_cause_of(const struct rec *b, guint i, enum trace_kind k)
{
    const struct trace_event *sent = rec_at(b, i);
    for (guint j = i; j-- > 0;) {
        const struct trace_event *e = rec_at(b, j);
        if (!concerns(e, sent->host, sent->seg)) {
            continue;
        }
        if (e->kind == TRACE_SEG_SENT) {
            return NULL;
        }
        if (e->kind == k) {
            return e;
        }
    }
    return NULL;
}

const struct trace_event *
explain_state_after(const struct rec *b, guint i, int cause)
{
    const struct trace_event *sent = rec_at(b, i);
    for (guint j = i + 1; j < b->events->len; j++) {
        const struct trace_event *e = rec_at(b, j);
        if (e->kind == TRACE_STATE && concerns(e, sent->host, sent->seg)) {
            return e->why.code == cause ? e : NULL;
        }
    }
    return NULL;
}

/* --- arguments ------------------------------------------------------------------- */

void
explain_put_span(char *buf, size_t cap, sim_time ns)
{
    struct strbuf sb;
    sb_init(&sb, buf, cap);
    if (ns > 0) {
        view_span(&sb, ns);
    }
}

static const char *const timer_knobs[TCP_NTIMERS] = {
    [TCP_TIMER_RTO_SYN] = "tcp_syn_retries",
    [TCP_TIMER_RTO] = "tcp_retries2",
    [TCP_TIMER_RTO_ORPHAN] = "tcp_orphan_retries",
    [TCP_TIMER_RTO_USER] = "TCP_USER_TIMEOUT",
    [TCP_TIMER_SYNACK] = "tcp_synack_retries",
    [TCP_TIMER_KEEPALIVE] = "tcp_keepalive_probes",
    [TCP_TIMER_PERSIST] = "tcp_retries2",
    [TCP_TIMER_TLP] = "tcp_early_retrans",
    [TCP_TIMER_REO] = "tcp_recovery",
};

void
explain_timer_args(struct explain_args *a, const struct trace_event *t)
{
    int id = t->why.code > 0 && t->why.code < TCP_NTIMERS ? t->why.code : 0;
    explain_put_span(a->rto, sizeof a->rto, t->why.span);
    explain_put_span(a->span, sizeof a->span, t->why.span);
    explain_put_span(a->next, sizeof a->next, t->b);
    if (id == TCP_TIMER_RTO_USER) {
        explain_put_span(a->limit, sizeof a->limit, t->why.limit); /* a time, not a count */
    } else {
        g_snprintf(a->limit, sizeof a->limit, "%" G_GINT64_FORMAT, t->why.limit);
    }
    g_strlcpy(a->knob, timer_knobs[id] ? timer_knobs[id] : "", sizeof a->knob);
    g_snprintf(a->n, sizeof a->n, "%" G_GINT64_FORMAT, t->a);
}

struct explain_pick
explain_msg_pick(enum explain_msg m)
{
    struct explain_pick p = {.table = m == EXM_NONE ? EXPLAIN_NONE : EXPLAIN_MSG, .id = m};
    return p;
}

bool
explain_flow_last(const struct explain_flows *f, const struct tcp_seg *s, tcp_seq *ack,
                  uint16_t *win)
{
    struct flow_key k = {s->saddr, s->daddr, s->sport, s->dport};
    const struct last_ack *l = g_hash_table_lookup(f->last, &k);
    if (l == NULL) {
        return false;
    }
    *ack = l->ack;
    *win = l->win;
    return true;
}

void
explain_flow_update(struct explain_flows *f, const struct tcp_seg *s)
{
    struct flow_key k = {s->saddr, s->daddr, s->sport, s->dport};
    struct last_ack *l = g_hash_table_lookup(f->last, &k);
    if (l == NULL) {
        l = g_new0(struct last_ack, 1);
        g_hash_table_insert(f->last, g_memdup2(&k, sizeof k), l);
    }
    l->ack = s->ack;
    l->win = s->win;
}

/* --- the other kinds of line ------------------------------------------------------ */

static enum explain_msg
closed_by(const struct trace_event *e)
{
    switch ((enum tcp_cause)e->why.code) {
    case TCP_CAUSE_RCV_ACK:
        return e->why.from == TCP_LAST_ACK ? EXM_ST_CLOSED_LAST_ACK : EXM_ST_OTHER;
    case TCP_CAUSE_TIME_WAIT:
        return EXM_ST_CLOSED_TW;
    case TCP_CAUSE_RCV_RST:
        if (e->why.from == TCP_SYN_SENT) {
            return EXM_ST_REFUSED;
        }
        return e->why.from == TCP_SYN_RECEIVED ? EXM_ST_RESET_HALF_OPEN : EXM_ST_RESET;
    case TCP_CAUSE_USER_ABORT:
        /* RFC 9293 §3.10.5: a RST only where the peer may hold a connection. */
        return e->why.from == TCP_SYN_SENT || e->why.from == TCP_LISTEN ||
                       e->why.from == TCP_CLOSING || e->why.from == TCP_LAST_ACK ||
                       e->why.from == TCP_TIME_WAIT
                   ? EXM_ST_ABORT_QUIET
                   : EXM_ST_ABORT;
    case TCP_CAUSE_USER_CLOSE:
        return EXM_ST_CLOSED_USER;
    case TCP_CAUSE_RETRIES:
        return e->why.from == TCP_SYN_RECEIVED ? EXM_ST_SYNACK_GIVE_UP : EXM_ST_GIVE_UP;
    case TCP_CAUSE_FIN_TIMEOUT:
        return EXM_ST_FIN_TIMEOUT;
    case TCP_CAUSE_KEEPALIVE:
        return EXM_ST_KEEPALIVE_DEAD;
    case TCP_CAUSE_LISTENER_CLOSED:
        return EXM_ST_LISTENER_CLOSED;
    case TCP_CAUSE_HOST_CRASH:
        return EXM_ST_CRASH;
    case TCP_CAUSE_TW_REUSE:
        return EXM_ST_TW_REUSE;
    case TCP_CAUSE_TW_LIMIT:
        return EXM_ST_TW_LIMIT;
    case TCP_CAUSE_ACCEPT_OVERFLOW:
        return EXM_ST_ACCEPT_OVERFLOW;
    case TCP_CAUSE_USER_TIMEOUT:
        return EXM_ST_USER_TIMEOUT;
    case TCP_CAUSE_DATA_AFTER_CLOSE:
        return EXM_ST_DATA_AFTER_CLOSE;
    case TCP_CAUSE_KEEPINIT:
        return EXM_ST_KEEPINIT;
    case TCP_CAUSE_SYN_IN_WINDOW:
        return EXM_ST_SYN_IN_WINDOW;
    case TCP_CAUSE_SYNCOOKIE:
    case TCP_CAUSE_NONE:
    case TCP_CAUSE_USER_CONNECT:
    case TCP_CAUSE_USER_LISTEN:
    case TCP_CAUSE_RCV_SYN:
    case TCP_CAUSE_RCV_SYN_ACK:
    case TCP_CAUSE_RCV_FIN:
    case TCP_NCAUSES:
        break;
    }
    return EXM_ST_OTHER;
}

/* RFC 9293 Figure 5, edge by edge, and the Linux ways to CLOSED. */
static enum explain_msg
state_msg(const struct trace_event *e)
{
    int from = e->why.from;
    switch ((enum tcp_state)e->why.to) {
    case TCP_LISTEN:
        return EXM_ST_LISTEN;
    case TCP_SYN_SENT:
        return EXM_ST_CONNECT;
    case TCP_SYN_RECEIVED:
        if (e->why.code == TCP_CAUSE_SYNCOOKIE) {
            return EXM_ST_SYN_COOKIE;
        }
        return from == TCP_SYN_SENT ? EXM_ST_SIMULT_OPEN : EXM_ST_SYN_RCVD;
    case TCP_ESTABLISHED:
        /* A SYN-ACK completes an active or a simultaneous open; an ACK a passive one. */
        return e->why.code == TCP_CAUSE_RCV_SYN_ACK ? EXM_ST_EST_ACTIVE : EXM_ST_EST_PASSIVE;
    case TCP_FIN_WAIT_1:
        return EXM_ST_FIN_WAIT_1;
    case TCP_FIN_WAIT_2:
        return EXM_ST_FIN_WAIT_2;
    case TCP_CLOSE_WAIT:
        return EXM_ST_CLOSE_WAIT;
    case TCP_CLOSING:
        return EXM_ST_CLOSING;
    case TCP_LAST_ACK:
        return EXM_ST_LAST_ACK;
    case TCP_TIME_WAIT:
        if (from == TCP_CLOSING) {
            return EXM_ST_TW_ACK;
        }
        return from == TCP_FIN_WAIT_1 ? EXM_ST_TW_FIN_ACK : EXM_ST_TW_FIN;
    case TCP_CLOSED:
        return closed_by(e);
    }
    return EXM_ST_OTHER;
}

static struct explain_pick
state_pick(const struct trace_event *e)
{
    struct explain_pick p = explain_msg_pick(state_msg(e));
    explain_put_span(p.args.span, sizeof p.args.span, e->why.span);
    g_strlcpy(p.args.why, e->reason ? e->reason : "", sizeof p.args.why);
    if (e->b) {
        g_snprintf(p.args.iss, sizeof p.args.iss, "%" G_GINT64_FORMAT, e->a);
    }
    return p;
}

/* A retry budget spent: by the count of retransmissions (the knob's value of them went
 * out), or, as Linux counts it, by the time that many doubling retries would take
 * (retransmits_timed_out()), which linear SYN timeouts reach after more tries. */
static bool
spent_by_count(const struct trace_event *timer)
{
    return timer->why.code == TCP_TIMER_RTO_USER || timer->a - 1 == timer->why.limit;
}

static struct explain_pick
timer_pick(const struct trace_event *e)
{
    bool last = e->b == 0; /* nothing re-armed: the budget is spent */
    enum explain_msg m = EXM_NONE;
    switch ((enum tcp_timer_id)e->why.code) {
    case TCP_TIMER_RTO_SYN:
        if (last) {
            m = spent_by_count(e) ? EXM_TM_RTO_LAST : EXM_TM_RTO_BUDGET;
        } else {
            /* Linux keeps the first tcp_syn_linear_timeouts waits at the initial RTO. */
            m = e->b == e->why.span       ? EXM_TM_SYN_LINEAR
                : e->b == 2 * e->why.span ? EXM_TM_SYN_BACKOFF
                                          : EXM_TM_SYN_GROWS; /* a cap, or FreeBSD's table */
        }
        break;
    case TCP_TIMER_RTO:
    case TCP_TIMER_RTO_ORPHAN:
    case TCP_TIMER_RTO_USER:
        if (last) {
            m = spent_by_count(e) ? EXM_TM_RTO_LAST : EXM_TM_RTO_BUDGET;
        } else {
            m = EXM_TM_RTO;
        }
        break;
    case TCP_TIMER_SYNACK:
        m = last ? EXM_TM_SYNACK_LAST : EXM_TM_SYNACK;
        break;
    case TCP_TIMER_DELACK:
        m = EXM_TM_DELACK;
        break;
    case TCP_TIMER_TIME_WAIT:
        m = EXM_TM_2MSL;
        break;
    case TCP_TIMER_FIN_WAIT_2:
        m = EXM_TM_FIN_WAIT_2;
        break;
    case TCP_TIMER_KEEPALIVE:
        m = e->a > e->why.limit ? EXM_TM_KEEPALIVE_LAST : EXM_TM_KEEPALIVE;
        break;
    case TCP_TIMER_PERSIST:
        m = e->a > e->why.limit ? EXM_TM_PERSIST_LAST : EXM_TM_PERSIST;
        break;
    case TCP_TIMER_TLP:
        m = EXM_TM_TLP;
        break;
    case TCP_TIMER_REO:
        m = EXM_TM_REO;
        break;
    case TCP_TIMER_NONE:
    case TCP_NTIMERS:
        break;
    }
    struct explain_pick p = explain_msg_pick(m);
    explain_timer_args(&p.args, e);
    g_snprintf(p.args.tries, sizeof p.args.tries, "%" G_GINT64_FORMAT, e->a > 0 ? e->a - 1 : 0);
    p.wheel = m != EXM_NONE && e->why.grain > 0;
    explain_put_span(p.args.grain, sizeof p.args.grain, e->why.grain);
    return p;
}

/* A connection given up after its retransmissions: the timer just before says how. */
static struct explain_pick
give_up_pick(const struct rec *b, guint i, struct explain_pick p)
{
    const struct trace_event *e = rec_at(b, i);
    for (guint j = i; j-- > 0;) {
        const struct trace_event *t = rec_at(b, j);
        if (t->kind == TRACE_TIMER && same_host(t, e->host) &&
            ip_eq(&t->sock.laddr, &e->sock.laddr) &&
            t->sock.lport == e->sock.lport && t->sock.rport == e->sock.rport) {
            explain_timer_args(&p.args, t);
            g_snprintf(p.args.tries, sizeof p.args.tries, "%" G_GINT64_FORMAT,
                       t->a > 0 ? t->a - 1 : 0);
            if (!spent_by_count(t)) {
                p.id = EXM_ST_GIVE_UP_BUDGET;
            }
            return p;
        }
    }
    return p;
}

/* What the link did to a segment it delivered, from the note the trace shows. */
static struct explain_pick
delivered_pick(const struct trace_event *e)
{
    static const struct {
        const char *note;
        enum explain_msg m;
    } notes[] = {
        {"duplicate", EXM_DLV_DUPLICATE},
        {"delayed", EXM_DLV_DELAYED},
        {"reordered", EXM_DLV_REORDERED},
        {"corrupted", EXM_DLV_CORRUPTED},
    };
    for (size_t k = 0; e->reason != NULL && k < G_N_ELEMENTS(notes); k++) {
        if (strcmp(e->reason, notes[k].note) == 0) {
            return explain_msg_pick(notes[k].m);
        }
    }
    return explain_msg_pick(EXM_NONE);
}

struct explain_pick
explain_pick(const struct rec *batch, guint i, struct explain_flows *flows)
{
    const struct trace_event *e = rec_at(batch, i);
    struct explain_pick p = explain_msg_pick(EXM_NONE);
    switch (e->kind) {
    case TRACE_SEG_SENT:
        if (seg_has(e->seg, TCP_SYN)) {
            explain_flow_syn(flows, e->seg);
        }
        return explain_sent(batch, i, flows);
    case TRACE_SEG_DELIVERED:
        return delivered_pick(e);
    case TRACE_SEG_DROPPED:
        p.table = EXPLAIN_DROP;
        p.id = e->why.code;
        return p;
    case TRACE_SEG_DISCARD:
        p.table = EXPLAIN_DISCARD;
        p.id = e->why.code;
        p.muted = e->why.muted;
        return p;
    case TRACE_STATE:
        p = state_pick(e);
        return p.id == EXM_ST_GIVE_UP ? give_up_pick(batch, i, p) : p;
    case TRACE_TIMER:
        return timer_pick(e);
    case TRACE_CC:
        return explain_cc_pick(e, flows);
    case TRACE_APP:
        return explain_app_pick(batch, i);
    case TRACE_EXPECT:
    case TRACE_NOTE:
    case TRACE_SS:
    case TRACE_NKINDS:
        break;
    }
    return p;
}

const char *
explain_template(const struct explain_texts *t, const struct explain_pick *p)
{
    switch (p->table) {
    case EXPLAIN_MSG:
        return p->id > EXM_NONE && p->id < EXM_N ? t->msg[p->id] : NULL;
    case EXPLAIN_DISCARD:
        return p->id > TCP_DROP_NONE && p->id < TCP_NDROPS ? t->discard[p->id] : NULL;
    case EXPLAIN_DROP:
        return p->id >= 0 && p->id < LINK_DROP_N ? t->drop[p->id] : NULL;
    case EXPLAIN_NONE:
        break;
    }
    return NULL;
}

void
explain_expand(GString *out, const char *tmpl, const struct explain_args *a)
{
    static const struct {
        const char *name;
        size_t off;
    } slots[] = {
        {"rto", offsetof(struct explain_args, rto)},
        {"next", offsetof(struct explain_args, next)},
        {"span", offsetof(struct explain_args, span)},
        {"limit", offsetof(struct explain_args, limit)},
        {"knob", offsetof(struct explain_args, knob)},
        {"n", offsetof(struct explain_args, n)},
        {"iss", offsetof(struct explain_args, iss)},
        {"why", offsetof(struct explain_args, why)},
        {"cwnd", offsetof(struct explain_args, cwnd)},
        {"ssthresh", offsetof(struct explain_args, ssthresh)},
        {"prev", offsetof(struct explain_args, prev)},
        {"tries", offsetof(struct explain_args, tries)},
        {"grain", offsetof(struct explain_args, grain)},
    };
    for (const char *p = tmpl; *p;) {
        const char *close = *p == '{' ? strchr(p, '}') : NULL;
        size_t k = 0;
        for (; close != NULL && k < G_N_ELEMENTS(slots); k++) {
            size_t n = strlen(slots[k].name);
            if ((size_t)(close - p - 1) == n && strncmp(p + 1, slots[k].name, n) == 0) {
                break;
            }
        }
        if (close == NULL || k == G_N_ELEMENTS(slots)) {
            g_string_append_c(out, *p++);
            continue;
        }
        g_string_append(out, (const char *)a + slots[k].off);
        p = close + 1;
    }
}
