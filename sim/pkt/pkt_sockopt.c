/* SPDX-License-Identifier: MIT */
/*
 * pkt_sockopt.c: setsockopt() and getsockopt() for the options tcpsim models.
 *
 * Entry points: pkt_setsockopt(), pkt_getsockopt(), pkt_sockopt_check(). Values follow
 * Linux: SO_SNDBUF and SO_RCVBUF store twice the value asked for (sock_setsockopt(),
 * capped by net.core.wmem_max/rmem_max, 212992 by default, and floored at the kernel's
 * minimum) and lock the buffer against autotuning; TCP_MAXSEG sets the MSS to announce
 * and reads the user's value before a connection, the current MSS after (536 before a
 * handshake); SO_ERROR reads and clears the pending error. An option tcpsim does not
 * model is refused as unsupported, never ignored.
 */
#include <errno.h>
#include <string.h>

#include "pkt_run.h"

#define LINUX_WMEM_MAX 212992 /* net.core.wmem_max default */
#define LINUX_RMEM_MAX 212992 /* net.core.rmem_max default */
#define LINUX_MIN_SNDBUF 4608 /* SOCK_MIN_SNDBUF on 64-bit Linux */
#define LINUX_MIN_RCVBUF 2304 /* SOCK_MIN_RCVBUF */
#define LINUX_MSS_DEFAULT 536 /* TCP_MSS_DEFAULT: mss_cache before a connection */

enum opt_id {
    OPT_REUSEADDR,
    OPT_KEEPALIVE,
    OPT_SNDBUF,
    OPT_RCVBUF,
    OPT_LINGER,
    OPT_ERROR,
    OPT_NODELAY,
    OPT_KEEPIDLE,
    OPT_KEEPINTVL,
    OPT_KEEPCNT,
    OPT_USER_TIMEOUT,
    OPT_MAXSEG,
    OPT_INQ,
    OPT_CORK,
};

static const struct {
    int level; /* 1 SOL_SOCKET, 6 SOL_TCP */
    const char *name;
    int num;
    enum opt_id id;
    bool can_set;
} opts[] = {
    {1, "SO_REUSEADDR", 2, OPT_REUSEADDR, true},   {1, "SO_KEEPALIVE", 9, OPT_KEEPALIVE, true},
    {1, "SO_SNDBUF", 7, OPT_SNDBUF, true},         {1, "SO_RCVBUF", 8, OPT_RCVBUF, true},
    {1, "SO_LINGER", 13, OPT_LINGER, true},        {1, "SO_ERROR", 4, OPT_ERROR, false},
    {6, "TCP_NODELAY", 1, OPT_NODELAY, true},      {6, "TCP_KEEPIDLE", 4, OPT_KEEPIDLE, true},
    {6, "TCP_KEEPINTVL", 5, OPT_KEEPINTVL, true},  {6, "TCP_KEEPCNT", 6, OPT_KEEPCNT, true},
    {6, "TCP_USER_TIMEOUT", 18, OPT_USER_TIMEOUT, true},
    {6, "TCP_MAXSEG", 2, OPT_MAXSEG, true},       {6, "TCP_INQ", 36, OPT_INQ, true},
    {6, "TCP_CORK", 3, OPT_CORK, true},
};

static int
level_of(const char *name)
{
    if (strcmp(name, "SOL_SOCKET") == 0) {
        return 1;
    }
    if (strcmp(name, "SOL_TCP") == 0 || strcmp(name, "IPPROTO_TCP") == 0) {
        return 6;
    }
    return -1;
}

const char *
pkt_sockopt_check(const char *level, const char *name, bool set)
{
    int lv = level_of(level);
    for (size_t i = 0; i < G_N_ELEMENTS(opts); i++) {
        if (strcmp(opts[i].name, name) == 0 && opts[i].level == lv) {
            if (set && !opts[i].can_set) {
                return "setting this option";
            }
            return NULL;
        }
    }
    return "this socket option";
}

/* The option named by arguments 1 and 2; -1 (run stopped) when it is not modelled. */
static int
find_opt(struct pkt_runner *r, struct pkt_call *c, bool set)
{
    const struct pkt_expr *lv = pkt_arg(r, c, 1);
    const struct pkt_expr *nm = lv ? pkt_arg(r, c, 2) : NULL;
    int64_t level = 0;
    if (nm == NULL || !pkt_arg_int(r, lv, &level)) {
        return -1;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(opts); i++) {
        bool match = nm->kind == PKT_E_WORD ? strcmp(opts[i].name, nm->str) == 0
                                            : nm->kind == PKT_E_INT && nm->num == opts[i].num;
        if (match && opts[i].level == level) {
            if (set && !opts[i].can_set) {
                break;
            }
            return (int)i;
        }
    }
    pkt_stop_unsupported(r, nm->loc, "%s of %s", set ? "setsockopt" : "getsockopt",
                         nm->kind == PKT_E_WORD ? nm->str : "this option");
    return -1;
}

/* [N] or N */
static bool
int_value(struct pkt_runner *r, const struct pkt_expr *v, int64_t *out)
{
    if (v->kind == PKT_E_LIST && v->items->len == 1) {
        v = g_ptr_array_index(v->items, 0);
    }
    return pkt_arg_int(r, v, out);
}

static int64_t
buf_value(int64_t v, int64_t max, int64_t min)
{
    v = v > max ? max : v;
    v = v < 0 ? 0 : v;
    return 2 * v < min ? min : 2 * v;
}

static bool
set_linger(struct pkt_runner *r, struct pkt_sock *s, const struct pkt_expr *v)
{
    int64_t onoff = -1;
    int64_t secs = -1;
    for (guint i = 0; v->kind == PKT_E_STRUCT && i < v->items->len; i++) {
        const struct pkt_expr *f = g_ptr_array_index(v->items, i);
        if (f->kind == PKT_E_ASSIGN && f->lhs->kind == PKT_E_WORD) {
            int64_t *dst = strcmp(f->lhs->str, "onoff") == 0    ? &onoff
                           : strcmp(f->lhs->str, "linger") == 0 ? &secs
                                                                : NULL;
            if (dst != NULL && !pkt_arg_int(r, f->rhs, dst)) {
                return false;
            }
        }
    }
    if (onoff < 0 || secs < 0) {
        pkt_stop_error(r, v->loc, "expected {onoff=N, linger=N}");
        return false;
    }
    if (onoff && secs > 0) {
        pkt_stop_unsupported(r, v->loc, "SO_LINGER with a timeout (close() that blocks)");
        return false;
    }
    s->linger_zero = onoff != 0;
    return true;
}

static void
apply(struct tcp_tcb *t, enum opt_id id, int64_t v)
{
    switch (id) {
    case OPT_KEEPALIVE:
        t->keepalive = v != 0;
        break;
    case OPT_SNDBUF:
        t->snd.cap = (uint32_t)buf_value(v, LINUX_WMEM_MAX, LINUX_MIN_SNDBUF);
        t->sndbuf_locked = true;
        tcp_wakeup(t, TCP_WAKE_WRITE);
        break;
    case OPT_RCVBUF:
        t->rcv.cap = (uint32_t)buf_value(v, LINUX_RMEM_MAX, LINUX_MIN_RCVBUF);
        t->rcvbuf_locked = true;
        break;
    case OPT_NODELAY:
        tcp_user_set_nodelay(t, v != 0); /* on: pushes what Nagle or the cork held */
        break;
    case OPT_CORK:
        tcp_user_set_cork(t, v != 0); /* off: pushes what it held */
        break;
    case OPT_KEEPIDLE:
        t->keepidle = SEC(v);
        break;
    case OPT_KEEPINTVL:
        t->keepintvl = SEC(v);
        break;
    case OPT_KEEPCNT:
        t->keepcnt = (uint16_t)v;
        break;
    case OPT_USER_TIMEOUT:
        t->user_timeout = MS(v);
        break;
    case OPT_MAXSEG:
        t->user_mss = (uint16_t)v; /* used when the connection announces its MSS */
        return;
    case OPT_REUSEADDR:
    case OPT_LINGER:
    case OPT_ERROR:
    case OPT_INQ:
        return;
    }
    if (t->state != TCP_CLOSED && t->state != TCP_LISTEN) {
        tcp_timer_keepalive_reset(t);
        tcp_output(t);
        tcp_entry_done(t);
    }
}

/* Linux's ranges: anything else is EINVAL. */
static bool
in_range(enum opt_id id, int64_t v)
{
    switch (id) {
    case OPT_KEEPIDLE:
    case OPT_KEEPINTVL:
        return v >= 1 && v <= 32767;
    case OPT_KEEPCNT:
        return v >= 1 && v <= 127;
    case OPT_USER_TIMEOUT:
        return v >= 0 && v <= INT32_MAX;
    case OPT_MAXSEG:
        return v == 0 || (v >= 88 && v <= 32767); /* TCP_MIN_MSS, MAX_TCP_WINDOW */
    case OPT_INQ:
    case OPT_REUSEADDR:
    case OPT_KEEPALIVE:
    case OPT_SNDBUF:
    case OPT_RCVBUF:
    case OPT_LINGER:
    case OPT_ERROR:
    case OPT_NODELAY:
    case OPT_CORK:
        return true;
    }
    return true;
}

enum pkt_step
pkt_setsockopt(struct pkt_runner *r, struct pkt_call *c, bool first)
{
    (void)first;
    bool ok = false;
    struct pkt_sock *s = pkt_arg_sock(r, c, 0, &ok);
    int i = ok ? find_opt(r, c, true) : -1;
    const struct pkt_expr *v = i >= 0 ? pkt_arg(r, c, 3) : NULL;
    if (v == NULL) {
        return PKT_STEP_STOP;
    }
    if (s == NULL) {
        return PKT_STEP_DONE;
    }
    enum opt_id id = opts[i].id;
    int64_t val = 0;
    if (id == OPT_LINGER) {
        if (!set_linger(r, s, v)) {
            return PKT_STEP_STOP;
        }
    } else if (!int_value(r, v, &val)) {
        return PKT_STEP_STOP;
    } else if (!in_range(id, val)) {
        c->result = -EINVAL;
        return PKT_STEP_DONE;
    } else if (id == OPT_INQ) {
        s->inq = val != 0;
    } else if (s->tcb != NULL) {
        apply(s->tcb, id, val);
    }
    c->result = 0;
    return PKT_STEP_DONE;
}

static int64_t
get_value(struct pkt_runner *r, struct tcp_tcb *t, enum opt_id id)
{
    const struct tcp_sysctl *sc = &r->host->tcp.sysctl;
    switch (id) {
    case OPT_REUSEADDR:
        return 1;
    case OPT_KEEPALIVE:
        return t->keepalive;
    case OPT_SNDBUF:
        return t->snd.cap;
    case OPT_RCVBUF:
        return t->rcv.cap;
    case OPT_ERROR: {
        int e = t->so_error;
        t->so_error = 0;
        return e;
    }
    case OPT_NODELAY:
        return t->nodelay;
    case OPT_CORK:
        return t->cork;
    case OPT_KEEPIDLE:
        return (t->keepidle ? t->keepidle : sc->tcp_keepalive_time) / SEC(1);
    case OPT_KEEPINTVL:
        return (t->keepintvl ? t->keepintvl : sc->tcp_keepalive_intvl) / SEC(1);
    case OPT_KEEPCNT:
        return t->keepcnt ? t->keepcnt : sc->tcp_keepalive_probes;
    case OPT_USER_TIMEOUT:
        return t->user_timeout / MS(1);
    case OPT_MAXSEG:
        /* Linux 6.x do_tcp_getsockopt(): the user's value before a connection, else
         * mss_cache (536 until the handshake sets it). */
        if (t->state == TCP_CLOSED || t->state == TCP_LISTEN) {
            return t->user_mss ? t->user_mss : LINUX_MSS_DEFAULT;
        }
        return t->mss ? t->mss : LINUX_MSS_DEFAULT;
    case OPT_LINGER:
    case OPT_INQ:
        break;
    }
    return 0;
}

enum pkt_step
pkt_getsockopt(struct pkt_runner *r, struct pkt_call *c, bool first)
{
    (void)first;
    bool ok = false;
    struct pkt_sock *s = pkt_arg_sock(r, c, 0, &ok);
    int i = ok ? find_opt(r, c, false) : -1;
    const struct pkt_expr *v = i >= 0 ? pkt_arg(r, c, 3) : NULL;
    if (v == NULL) {
        return PKT_STEP_STOP;
    }
    if (s == NULL) {
        return PKT_STEP_DONE;
    }
    if (s->tcb == NULL || opts[i].id == OPT_LINGER || opts[i].id == OPT_INQ) {
        pkt_stop_unsupported(r, c->ev->loc, "getsockopt of %s here", opts[i].name);
        return PKT_STEP_STOP;
    }
    int64_t got = get_value(r, s->tcb, opts[i].id);
    if (v->kind != PKT_E_ELLIPSIS) {
        int64_t want = 0;
        if (!int_value(r, v, &want)) {
            return PKT_STEP_STOP;
        }
        if (want != got) {
            pkt_fail(r, c->ev->loc, "getsockopt %s: expected %" G_GINT64_FORMAT " but got %"
                     G_GINT64_FORMAT, opts[i].name, want, got);
            return PKT_STEP_STOP;
        }
    }
    c->result = 0;
    return PKT_STEP_DONE;
}
