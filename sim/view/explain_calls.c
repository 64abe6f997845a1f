/* SPDX-License-Identifier: MIT */
/*
 * explain_calls.c: why the congestion window changed and why an application call
 * returned what it did.
 *
 * Entry points: explain_cc_pick(), explain_app_pick(). The trace's cc line does not name
 * the algorithm, so a reduction is explained by what its numbers show: CUBIC's
 * ssthresh is 0.7 of the cwnd before it (RFC 9438 §4.6), Reno's half the flight
 * (RFC 5681 §3.2); SACK recovery is the one the SYNs negotiated (RFC 6675).
 */
#include <string.h>

#include "explain_ctx.h"

static void
put_u32(char *buf, size_t cap, uint32_t v)
{
    g_snprintf(buf, cap, "%u", v);
}

/* Whether ssthresh is CUBIC's beta of the cwnd before, 0.7 of the bytes (RFC 9438 §4.6:
 * the RFC and FreeBSD personalities). Linux keeps at least two segments, which the
 * numbers cannot tell, so that case is not claimed. */
static bool
cubic_beta_bytes(uint32_t before, uint32_t ssthresh)
{
    uint32_t want10 = (uint32_t)((uint64_t)before * 7 / 10);
    return ssthresh + 1 >= want10 && ssthresh <= want10 + 1;
}

/* Whether ssthresh is Linux's beta, 717/1024 of the whole segments of the cwnd before
 * (cubictcp_recalc_ssthresh()), for some segment size that divides both: a divisor of
 * their greatest common divisor, tried from the largest that can be an MSS (64 candidates
 * at most, so that a hostile trace's numbers cannot make a line slow). */
static bool
cubic_beta_segments(uint32_t before, uint32_t ssthresh)
{
    uint32_t a = before;
    uint32_t g = ssthresh;
    while (a != 0) {
        uint32_t t = g % a;
        g = a;
        a = t;
    }
    uint32_t k0 = g / 65536 + 1; /* the largest MSS first: 65535 at most */
    for (uint32_t k = k0; k <= g / 88 && k < k0 + 64; k++) { /* 88: IPv4's least MSS */
        if (g % k != 0) {
            continue;
        }
        uint32_t mss = g / k;
        uint32_t segs = ssthresh / mss;
        if (segs >= 3 && (uint64_t)(before / mss) * 717 / 1024 == segs) {
            return true;
        }
    }
    return false;
}

/* What a reduction's numbers say of the algorithm. Linux's CUBIC and Reno's half agree
 * on small windows (717/1024 of 7 segments is 4, as is half of them plus one): there the
 * algorithm an earlier reduction showed stands. */
static void
learn_algo(struct conn_seen *c, uint32_t ssthresh)
{
    if (!c->cc_known) {
        return;
    }
    bool reno = (uint64_t)ssthresh * 2 <= (uint64_t)c->cwnd + 2 * 1460;
    if (cubic_beta_bytes(c->cwnd, ssthresh) ||
        (cubic_beta_segments(c->cwnd, ssthresh) && (!reno || c->algo == ALGO_CUBIC))) {
        c->algo = ALGO_CUBIC;
    } else if (reno) {
        c->algo = ALGO_RENO;
    }
}

/* A congestion-window change, from the name the TCP gave it and the numbers: the
 * algorithm is the one the reduction's numbers show (CUBIC multiplies cwnd by 0.7, Reno
 * halves the flight), SACK recovery the one the SYNs negotiated. */
struct explain_pick
explain_cc_pick(const struct trace_event *e, struct explain_flows *f)
{
    const char *why = e->reason ? e->reason : "";
    const struct trace_sock *k = &e->sock;
    struct conn_seen *c = explain_conn_seen(f, k->laddr, k->lport, k->raddr, k->rport);
    bool sack = c->sack_perm && explain_conn_seen(f, k->raddr, k->rport, k->laddr, k->lport)->sack_perm;
    uint32_t cwnd = (uint32_t)e->a;
    uint32_t ssthresh = (uint32_t)e->b;
    enum explain_msg m;
    bool named = true; /* a mechanism the line names (Linux's recovery, undo, restart) */
    if (strcmp(why, "fast retransmit (PRR)") == 0) {
        learn_algo(c, ssthresh);
        c->sack_recovery = true;
        m = c->algo == ALGO_CUBIC ? EXM_CC_FAST_PRR_CUBIC : EXM_CC_FAST_PRR;
    } else if (strcmp(why, "PRR") == 0) {
        m = EXM_CC_PRR;
    } else if (strcmp(why, "F-RTO: new data") == 0) {
        m = EXM_CC_FRTO_NEW;
    } else if (strcmp(why, "F-RTO: loss confirmed") == 0) {
        m = EXM_CC_FRTO_LOSS;
    } else if (g_str_has_prefix(why, "undo: ")) {
        m = EXM_CC_UNDO;
    } else if (strcmp(why, "restart after idle") == 0) {
        m = EXM_CC_IDLE_RESTART;
    } else if (strcmp(why, "application-limited") == 0) {
        m = EXM_CC_APP_LIMITED;
    } else {
        named = false;
    }
    if (named) {
        /* m is set */
    } else if (strcmp(why, "rto") == 0 || strcmp(why, "fast retransmit") == 0) {
        bool rto = why[0] == 'r';
        learn_algo(c, ssthresh);
        if (rto && c->cc_known && ssthresh == c->ssthresh) {
            m = EXM_CC_RTO_AGAIN;
        } else if (rto) {
            m = c->algo == ALGO_CUBIC ? EXM_CC_RTO_CUBIC
                : c->algo == ALGO_RENO ? EXM_CC_RTO
                                       : EXM_CC_FAST_OTHER;
        } else {
            c->sack_recovery = sack || cwnd == ssthresh;
            m = c->algo == ALGO_CUBIC   ? (c->sack_recovery ? EXM_CC_FAST_CUBIC_SACK : EXM_CC_FAST_CUBIC)
                : c->algo == ALGO_RENO ? (c->sack_recovery ? EXM_CC_FAST_SACK : EXM_CC_FAST)
                                       : EXM_CC_FAST_OTHER;
        }
    } else if (strcmp(why, "recovery end") == 0) {
        m = c->sack_recovery || sack ? EXM_CC_RECOVERY_END_SACK : EXM_CC_RECOVERY_END;
    } else if (g_str_has_prefix(why, "hystart") || strcmp(why, "delay increase") == 0 ||
               strcmp(why, "ack train") == 0) {
        c->algo = ALGO_CUBIC; /* HyStart runs with CUBIC (Linux bictcp) */
        m = EXM_CC_HYSTART;
    } else if (cwnd < ssthresh) {
        m = EXM_CC_SLOW_START;
    } else {
        m = c->algo == ALGO_CUBIC  ? EXM_CC_AVOIDANCE_CUBIC
            : c->algo == ALGO_RENO ? EXM_CC_AVOIDANCE_RENO
                                   : EXM_CC_AVOIDANCE;
    }
    struct explain_pick p = explain_msg_pick(m);
    if (m == EXM_CC_UNDO) {
        g_strlcpy(p.args.why, why + strlen("undo: "), sizeof p.args.why);
    }
    put_u32(p.args.cwnd, sizeof p.args.cwnd, cwnd);
    put_u32(p.args.ssthresh, sizeof p.args.ssthresh, ssthresh);
    put_u32(p.args.prev, sizeof p.args.prev, c->cwnd);
    c->cc_known = true;
    c->cwnd = cwnd;
    c->ssthresh = ssthresh;
    return p;
}

/* Why an application call returned what it did, from its line ("recv(s, 100) = 0",
 * "connect(c, ...) = -1 ECONNREFUSED (...)"). A call still blocked (" ...") is not
 * explained; nor are calls whose return says nothing (listen, close, setsockopt). */
/* Why the connection of the call at i (named in its line) was reset: the state change
 * that closed it, in this batch, if it is there. */
static int
reset_cause(const struct rec *b, guint i)
{
    const struct trace_event *e = rec_at(b, i);
    const char *open = e->text ? strchr(e->text, '(') : NULL;
    if (open == NULL) {
        return TCP_CAUSE_NONE;
    }
    size_t n = strcspn(open + 1, ",)");
    for (guint j = i; j-- > 0;) {
        const struct trace_event *s = rec_at(b, j);
        if (s->kind == TRACE_STATE && s->host != NULL && e->host != NULL && strcmp(s->host, e->host) == 0 && s->sock.name != NULL &&
            strlen(s->sock.name) == n && strncmp(s->sock.name, open + 1, n) == 0 &&
            s->why.to == TCP_CLOSED) {
            return s->why.code;
        }
    }
    return TCP_CAUSE_NONE;
}

struct explain_pick
explain_app_pick(const struct rec *b, guint i)
{
    const struct trace_event *e = rec_at(b, i);
    static const struct {
        const char *err;
        enum explain_msg m;
    } errs[] = {
        {"EAGAIN", EXM_APP_EAGAIN},           {"EWOULDBLOCK", EXM_APP_EAGAIN},
        {"ECONNRESET", EXM_APP_ECONNRESET},   {"ECONNREFUSED", EXM_APP_ECONNREFUSED},
        {"ETIMEDOUT", EXM_APP_ETIMEDOUT},     {"EPIPE", EXM_APP_EPIPE},
        {"EADDRNOTAVAIL", EXM_APP_EADDRNOTAVAIL},
    };
    const char *t = e->text ? e->text : "";
    const char *eq = g_strrstr(t, " = ");
    if (eq == NULL) {
        return explain_msg_pick(EXM_NONE);
    }
    const char *r = eq + 3;
    struct explain_pick p = explain_msg_pick(EXM_NONE);
    if (g_str_has_prefix(r, "-1 ")) {
        p.id = EXM_APP_ERROR;
        p.table = EXPLAIN_MSG;
        size_t n = strcspn(r + 3, " ");
        g_strlcpy(p.args.why, r + 3, MIN(n + 1, sizeof p.args.why));
        for (size_t k = 0; k < G_N_ELEMENTS(errs); k++) {
            if (strcmp(p.args.why, errs[k].err) == 0) {
                p.id = errs[k].m;
            }
        }
        if (p.id == EXM_APP_ECONNRESET) {
            int cause = reset_cause(b, i);
            p.id = cause == TCP_CAUSE_USER_ABORT ? EXM_APP_ECONNRESET_ABORT
                   : cause == TCP_CAUSE_RCV_RST  ? EXM_APP_ECONNRESET
                                                 : EXM_APP_ERROR;
        }
        return p;
    }
    g_strlcpy(p.args.n, r, sizeof p.args.n);
    if (g_str_has_prefix(t, "connect(")) {
        return (struct explain_pick){.table = EXPLAIN_MSG, .id = EXM_APP_CONNECTED, .args = p.args};
    }
    if (g_str_has_prefix(t, "accept(")) {
        return (struct explain_pick){.table = EXPLAIN_MSG, .id = EXM_APP_ACCEPTED, .args = p.args};
    }
    if (g_str_has_prefix(t, "send(")) {
        return (struct explain_pick){.table = EXPLAIN_MSG, .id = EXM_APP_SENT, .args = p.args};
    }
    if (g_str_has_prefix(t, "recv(")) {
        p.table = EXPLAIN_MSG;
        p.id = strcmp(r, "0") == 0 ? EXM_APP_RECV_EOF : EXM_APP_RECV_DATA;
    }
    return p;
}

