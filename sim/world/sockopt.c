/* SPDX-License-Identifier: MIT */
/*
 * sockopt.c: setsockopt(): the options tcpsim models, their values, and applying them
 * to a socket and to its connection.
 */
#include <errno.h>
#include <string.h>
#include <tcpsim/units.h>

#include "app.h"


static const struct sockopt sockopts[] = {
    {"nodelay", "TCP_NODELAY", OPT_BOOL, 0},
    {"cork", "TCP_CORK", OPT_BOOL, 0},
    {"keepalive", "SO_KEEPALIVE", OPT_BOOL, 0},
    {"keepidle", "TCP_KEEPIDLE", OPT_TIME, SEC(1)},
    {"keepintvl", "TCP_KEEPINTVL", OPT_TIME, SEC(1)},
    {"keepcnt", "TCP_KEEPCNT", OPT_INT, 0},
    {"user_timeout", "TCP_USER_TIMEOUT", OPT_TIME, MS(1)},
    {"rcvbuf", "SO_RCVBUF", OPT_SIZE, 0},
    {"sndbuf", "SO_SNDBUF", OPT_SIZE, 0},
    {"linger", "SO_LINGER", OPT_TIME, SEC(1)},
    {NULL, NULL, OPT_INT, 0},
};

/* Applies an option now, to the socket and to its connection if it has one. */
int64_t
app_apply_option(struct tcpsim_sock *s, const struct app_op *op)
{
    struct tcp_tcb *t = s->tcb;
    const char *name = op->opt->name;
    int64_t v = op->val;
    if (strcmp(name, "rcvbuf") == 0 || strcmp(name, "sndbuf") == 0) {
        bool rcv = name[0] == 'r';
        /* tcpsim sizes buffers (and the window scale) when the connection is made; a
         * listener passes its setting on to the connections it accepts, as on Linux. */
        if (t != NULL && t->state != TCP_CLOSED && t->state != TCP_LISTEN) {
            return -EISCONN;
        }
        v = tcp_sockopt_bufsize(&s->host->tcp, v, rcv);
        *(rcv ? &s->rcvbuf : &s->sndbuf) = v;
        if (t != NULL) {
            if (rcv) {
                t->rcv.cap = (uint32_t)v;
                t->rcvbuf_locked = true;
            } else {
                t->snd.cap = (uint32_t)v;
                t->sndbuf_locked = true;
            }
        }
        return 0;
    }
    if (strcmp(name, "nodelay") == 0) {
        s->nodelay = v != 0;
    } else if (strcmp(name, "cork") == 0) {
        s->cork = v != 0;
    } else if (strcmp(name, "keepalive") == 0) {
        s->keepalive = v != 0;
    } else if (strcmp(name, "keepidle") == 0) {
        s->keepidle = v;
    } else if (strcmp(name, "keepintvl") == 0) {
        s->keepintvl = v;
    } else if (strcmp(name, "keepcnt") == 0) {
        s->keepcnt = v;
    } else if (strcmp(name, "user_timeout") == 0) {
        s->user_timeout = v;
    } else if (strcmp(name, "linger") == 0) {
        s->linger_zero = v == 0;
    }
    if (t != NULL) {
        t->keepalive = s->keepalive;
        t->keepidle = s->keepidle;
        t->keepintvl = s->keepintvl;
        t->keepcnt = (uint16_t)s->keepcnt;
        t->user_timeout = s->user_timeout;
        tcp_timer_keepalive_reset(t);
        if (strcmp(name, "nodelay") == 0) {
            tcp_user_set_nodelay(t, s->nodelay); /* on: pushes what Nagle or a cork held */
        } else if (strcmp(name, "cork") == 0) {
            tcp_user_set_cork(t, s->cork); /* off: pushes what it held */
        }
        tcp_output(t);
        tcp_entry_done(t);
    }
    return 0;
}

/* Parses an option and its value; the option's entry, or NULL with `error`. */
static const struct sockopt *
parse_sockopt(const char *opt, const char *value, int64_t *out, GError **error)
{
    const struct sockopt *o = sockopts;
    while (o->name && strcmp(o->name, opt) != 0) {
        o++;
    }
    if (o->name == NULL) {
        g_set_error(error, TCPSIM_ERROR, 0,
                    "unknown socket option \"%s\"; expected nodelay, cork, keepalive, keepidle, "
                    "keepintvl, keepcnt, user_timeout, rcvbuf, sndbuf or linger",
                    opt);
        return NULL;
    }
    uint64_t size = 0;
    gboolean ok = TRUE;
    switch (o->kind) {
    case OPT_BOOL:
    case OPT_INT:
        ok = tcpsim_parse_int(value, out, error);
        if (ok && o->kind == OPT_BOOL && *out > 1) {
            g_set_error(error, TCPSIM_ERROR, 0, "%s takes 0 or 1, not %s", opt, value);
            ok = FALSE;
        }
        if (ok && o->kind == OPT_INT && (*out < 1 || *out > 127)) {
            g_set_error(error, TCPSIM_ERROR, 0, "%s takes 1 to 127, not %s", opt, value);
            ok = FALSE;
        }
        break;
    case OPT_TIME:
        ok = tcpsim_parse_time(value, o->bare_unit, out, error);
        break;
    case OPT_SIZE:
        ok = tcpsim_parse_size(value, &size, error);
        if (ok && (size < 256 || size > (1u << 30))) {
            g_set_error(error, TCPSIM_ERROR, 0, "%s must be between 256 bytes and 1GiB", opt);
            ok = FALSE;
        }
        *out = (int64_t)size;
        break;
    }
    return ok ? o : NULL;
}

gboolean
tcpsim_sockopt_check(const char *opt, const char *value, GError **error)
{
    int64_t v = 0;
    return parse_sockopt(opt, value, &v, error) != NULL;
}

gboolean
tcpsim_setsockopt(struct tcpsim_sock *s, const char *opt, const char *value, GError **error)
{
    int64_t v = 0;
    const struct sockopt *o = parse_sockopt(opt, value, &v, error);
    if (o == NULL) {
        return FALSE;
    }
    struct app_op *op = app_op_new(s->sim, APP_SETOPT);
    op->opt = o;
    op->val = v;
    op->val_text = g_strdup(value);
    app_submit(s, op);
    return TRUE;
}

