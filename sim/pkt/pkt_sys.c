/* SPDX-License-Identifier: MIT */
/*
 * pkt_sys.c: the simulated process's descriptors and connection calls: socket, bind,
 * listen, accept, connect, close, shutdown, fcntl, ioctl; and the argument helpers all
 * calls share.
 *
 * Entry points: pkt_sys_find() (the call table), pkt_sock_new(), pkt_sock_release(),
 * pkt_arg*(), pkt_symbol(). Calls go straight to tcp_user_*() and to the host's port
 * and listener tables, with Linux's results: descriptors are the lowest free number
 * from 3, a blocking socket's connect() and accept() wait (the runner retries them when
 * the stack wakes the application), a non-blocking one answers EINPROGRESS or EAGAIN.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "pkt_run.h"

/* The constants scripts use, with Linux's values. */
static const struct {
    const char *name;
    int64_t value;
} symbols[] = {
    {"AF_INET", 2},         {"PF_INET", 2},          {"AF_INET6", 10},
    {"PF_INET6", 10},       {"AF_UNSPEC", 0},        {"SOCK_STREAM", 1},
    {"SOCK_DGRAM", 2},      {"SOCK_NONBLOCK", 04000}, {"SOCK_CLOEXEC", 02000000},
    {"IPPROTO_IP", 0},      {"IPPROTO_TCP", 6},      {"IPPROTO_UDP", 17},
    {"SOL_SOCKET", 1},      {"SOL_TCP", 6},          {"SOL_IP", 0},
    {"O_RDONLY", 0},        {"O_WRONLY", 1},         {"O_RDWR", 2},
    {"O_NONBLOCK", 04000},  {"O_NDELAY", 04000},     {"F_GETFD", 1},
    {"F_SETFD", 2},         {"F_GETFL", 3},          {"F_SETFL", 4},
    {"FD_CLOEXEC", 1},      {"SHUT_RD", 0},          {"SHUT_WR", 1},
    {"SHUT_RDWR", 2},       {"MSG_OOB", 1},          {"MSG_PEEK", 2},
    {"MSG_TRUNC", 0x20},    {"MSG_DONTWAIT", 0x40},  {"MSG_WAITALL", 0x100},
    {"MSG_ERRQUEUE", 0x2000}, {"MSG_NOSIGNAL", 0x4000}, {"MSG_MORE", 0x8000},
    {"MSG_ZEROCOPY", 0x4000000}, {"SIOCINQ", 0x541B}, {"FIONREAD", 0x541B},
    {"SIOCOUTQ", 0x5411},   {"TIOCOUTQ", 0x5411},    {"SIOCOUTQNSD", 0x894B},
    {"POLLIN", 0x1},        {"POLLPRI", 0x2},        {"POLLOUT", 0x4},
    {"POLLERR", 0x8},       {"POLLHUP", 0x10},       {"POLLNVAL", 0x20},
    {"POLLRDNORM", 0x40},   {"POLLWRNORM", 0x100},   {"POLLRDHUP", 0x2000},
    {"TCP_INFINITE_SSTHRESH", 0x7fffffff}, {"TCP_CA_Open", 0}, {"TCP_CA_Disorder", 1},
    {"TCP_CA_CWR", 2},      {"TCP_CA_Recovery", 3},  {"TCP_CA_Loss", 4},
    {"TCP_INQ", 36},        {"TCP_CM_INQ", 36},
    {"TCP_ESTABLISHED", 1}, {"TCP_SYN_SENT", 2},     {"TCP_SYN_RECV", 3},
    {"TCP_FIN_WAIT1", 4},   {"TCP_FIN_WAIT2", 5},    {"TCP_TIME_WAIT", 6},
    {"TCP_CLOSE", 7},       {"TCP_CLOSE_WAIT", 8},   {"TCP_LAST_ACK", 9},
    {"TCP_LISTEN", 10},     {"TCP_CLOSING", 11},
};

/* A constant, or an errno name wherever an integer may stand (`[ETIMEDOUT]` in
 * getsockopt(SO_ERROR), as nplab's scripts write it), with Linux's numbers. */
bool
pkt_symbol(const char *name, int64_t *out)
{
    for (size_t i = 0; i < G_N_ELEMENTS(symbols); i++) {
        if (strcmp(symbols[i].name, name) == 0) {
            *out = symbols[i].value;
            return true;
        }
    }
    int e = tcpsim_errno_from_name(name);
    if (e > 0) {
        *out = e;
        return true;
    }
    return false;
}

/* --- arguments ---------------------------------------------------------------- */

const struct pkt_expr *
pkt_arg(struct pkt_runner *r, const struct pkt_call *c, guint i)
{
    const GPtrArray *args = c->ev->sc->args;
    if (args == NULL || i >= args->len) {
        pkt_stop_error(r, c->ev->sc->name_loc, "%s: missing argument %u", c->ev->sc->name,
                       i + 1);
        return NULL;
    }
    return g_ptr_array_index(args, i);
}

bool
pkt_arg_int(struct pkt_runner *r, const struct pkt_expr *e, int64_t *out)
{
    int64_t a = 0;
    int64_t b = 0;
    switch (e->kind) {
    case PKT_E_INT:
        *out = e->num;
        return true;
    case PKT_E_WORD:
        if (pkt_symbol(e->str, out)) {
            return true;
        }
        pkt_stop_unsupported(r, e->loc, "symbol %s", e->str);
        return false;
    case PKT_E_OR:
        if (!pkt_arg_int(r, e->lhs, &a) || !pkt_arg_int(r, e->rhs, &b)) {
            return false;
        }
        *out = a | b;
        return true;
    case PKT_E_ELLIPSIS:
    case PKT_E_STRING:
    case PKT_E_LIST:
    case PKT_E_STRUCT:
    case PKT_E_CALL:
    case PKT_E_ASSIGN:
        break;
    }
    pkt_stop_error(r, e->loc, "expected a number or a constant");
    return false;
}

struct pkt_sock *
pkt_arg_sock(struct pkt_runner *r, struct pkt_call *c, guint i, bool *ok)
{
    *ok = false;
    const struct pkt_expr *e = pkt_arg(r, c, i);
    int64_t fd = 0;
    if (e == NULL || !pkt_arg_int(r, e, &fd)) {
        return NULL;
    }
    *ok = true;
    if (fd < 0 || fd >= (int64_t)r->fds->len || g_ptr_array_index(r->fds, fd) == NULL) {
        c->result = -EBADF;
        return NULL;
    }
    return g_ptr_array_index(r->fds, fd);
}

/* {sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr("192.0.2.1")}, or `...`
 * for the script's default address. */
static bool
arg_sockaddr(struct pkt_runner *r, const struct pkt_expr *e, struct tcpsim_addr *ip,
             uint16_t *port)
{
    if (e->kind == PKT_E_ELLIPSIS) {
        return true;
    }
    if (e->kind != PKT_E_STRUCT) {
        pkt_stop_unsupported(r, e->loc, "a socket address that is not ... or {sa_family=AF_INET, "
                             "sin_port=htons(N), sin_addr=inet_addr(\"a.b.c.d\")}");
        return false;
    }
    for (guint i = 0; i < e->items->len; i++) {
        const struct pkt_expr *f = g_ptr_array_index(e->items, i);
        const struct pkt_expr *v = f->rhs;
        if (f->kind != PKT_E_ASSIGN || f->lhs->kind != PKT_E_WORD) {
            pkt_stop_error(r, f->loc, "expected name=value in a socket address");
            return false;
        }
        const char *name = f->lhs->str;
        if (strcmp(name, "sa_family") == 0) {
            if (v->kind != PKT_E_WORD || strcmp(v->str, "AF_INET") != 0) {
                pkt_stop_unsupported(r, v->loc, "address families other than AF_INET");
                return false;
            }
        } else if (strcmp(name, "sin_port") == 0 && v->kind == PKT_E_CALL &&
                   strcmp(v->str, "htons") == 0 && v->items->len == 1) {
            const struct pkt_expr *n = g_ptr_array_index(v->items, 0);
            if (n->kind != PKT_E_INT || n->num < 0 || n->num > 65535) {
                pkt_stop_error(r, n->loc, "a port is 0 to 65535");
                return false;
            }
            *port = (uint16_t)n->num;
        } else if (strcmp(name, "sin_addr") == 0 && v->kind == PKT_E_CALL &&
                   strcmp(v->str, "inet_addr") == 0 && v->items->len == 1 &&
                   ((const struct pkt_expr *)g_ptr_array_index(v->items, 0))->kind == PKT_E_STRING) {
            const struct pkt_expr *s = g_ptr_array_index(v->items, 0);
            unsigned a, b, cc, d;
            char tail;
            if (sscanf(s->str, "%u.%u.%u.%u%c", &a, &b, &cc, &d, &tail) != 4 || a > 255 ||
                b > 255 || cc > 255 || d > 255) {
                pkt_stop_error(r, s->loc, "bad IPv4 address \"%s\"", s->str);
                return false;
            }
            *ip = ip_v4(a << 24 | b << 16 | cc << 8 | d);
            if (r->ip_version == PKT_IPV6) {
                /* A script written for IPv4 run over IPv6 (packetdrill's run_all.py runs
                 * every script so): its addresses stand for the local and remote end. */
                *ip = ip_v4_num(ip) == PKT_LOCAL_IP ? r->local_ip : r->remote_ip;
            }
        } else {
            pkt_stop_unsupported(r, f->loc, "socket address field %s", name);
            return false;
        }
    }
    return true;
}

/* --- sockets ------------------------------------------------------------------ */

/* packetdrill's descriptors are names: the script's number for a new socket is taken
 * when it is free (the live process may have had another), else the lowest free one. */
struct pkt_sock *
pkt_sock_new(struct pkt_runner *r, struct tcp_tcb *tcb, const struct pkt_call *c)
{
    struct pkt_sock *s = g_new0(struct pkt_sock, 1);
    const struct pkt_expr *want = c->ev->sc->result;
    guint fd = 3;
    if (want->kind == PKT_E_INT && want->num >= 3 && want->num < 1024 &&
        (want->num >= (int64_t)r->fds->len || g_ptr_array_index(r->fds, want->num) == NULL)) {
        fd = (guint)want->num;
    }
    while (fd < r->fds->len && g_ptr_array_index(r->fds, fd) != NULL) {
        fd++;
    }
    if (fd >= r->fds->len) {
        g_ptr_array_set_size(r->fds, fd + 1);
    }
    g_ptr_array_index(r->fds, fd) = s;
    s->fd = (int)fd;
    s->tcb = tcb;
    tcb->user = s;
    g_ptr_array_add(r->socks, s);
    return s;
}

/* The application lets go of its connection (close, or the end of the run). The
 * socket itself lives until the run ends: a blocked call may still name it. */
void
pkt_sock_release(struct pkt_runner *r, struct pkt_sock *s)
{
    (void)r;
    struct tcp_tcb *t = g_steal_pointer(&s->tcb);
    if (t == NULL) {
        return;
    }
    t->user = NULL;
    if (t->state == TCP_CLOSED && !t->release && !t->detached) {
        tcp_tcb_discard(t); /* never connected nor listening */
    }
    tcp_tcb_unref(t);
}

static void
sock_close(struct pkt_runner *r, struct pkt_sock *s)
{
    g_ptr_array_index(r->fds, s->fd) = NULL;
    s->closed = true;
    pkt_sock_release(r, s);
}

static enum pkt_step
done(struct pkt_call *c, int64_t result)
{
    c->result = result;
    return PKT_STEP_DONE;
}

static enum pkt_step
sys_socket(struct pkt_runner *r, struct pkt_call *c, bool first)
{
    (void)first;
    const struct pkt_expr *dom = pkt_arg(r, c, 0);
    const struct pkt_expr *type = pkt_arg(r, c, 1);
    const struct pkt_expr *proto = pkt_arg(r, c, 2);
    int64_t d = 2;
    int64_t t = 0;
    int64_t p = 6;
    if (dom == NULL || type == NULL || proto == NULL ||
        (dom->kind != PKT_E_ELLIPSIS && !pkt_arg_int(r, dom, &d)) || !pkt_arg_int(r, type, &t) ||
        (proto->kind != PKT_E_ELLIPSIS && !pkt_arg_int(r, proto, &p))) {
        return PKT_STEP_STOP;
    }
    if (d != 2 || (t & 0xF) != 1 || (p != 6 && p != 0)) {
        pkt_stop_unsupported(r, c->ev->loc, "sockets other than AF_INET SOCK_STREAM TCP");
        return PKT_STEP_STOP;
    }
    struct tcp_stack *st = &r->host->tcp;
    struct tcp_tcb *tcb = tcp_tcb_new(st);
    tcp_buf_init(tcb, (uint32_t)st->sysctl.tcp_wmem[1], (uint32_t)st->sysctl.tcp_rmem[1]);
    tcp_tcb_ref(tcb); /* the application's reference */
    struct pkt_sock *s = pkt_sock_new(r, tcb, c);
    s->nonblock = (t & 04000) != 0;
    /* packetdrill: a new socket becomes the socket under test. */
    r->conn.phase = PKT_CONN_NEW;
    r->conn.remote_port = 0;
    r->conn.local_port = 0;
    return done(c, s->fd);
}

static enum pkt_step
sys_bind(struct pkt_runner *r, struct pkt_call *c, bool first)
{
    (void)first;
    bool ok = false;
    struct pkt_sock *s = pkt_arg_sock(r, c, 0, &ok);
    const struct pkt_expr *addr = ok ? pkt_arg(r, c, 1) : NULL;
    struct tcpsim_addr ip = r->local_ip;
    uint16_t port = r->bind_port;
    if (addr == NULL || !arg_sockaddr(r, addr, &ip, &port)) {
        return PKT_STEP_STOP;
    }
    if (s == NULL) {
        return PKT_STEP_DONE;
    }
    if (!ip_eq(&ip, &r->local_ip) && ip_v4_num(&ip) != 0) {
        return done(c, -EADDRNOTAVAIL);
    }
    if (s->bound || s->tcb == NULL || s->tcb->state != TCP_CLOSED) {
        return done(c, -EINVAL);
    }
    if (g_hash_table_contains(r->host->listeners, GUINT_TO_POINTER(port))) {
        return done(c, -EADDRINUSE);
    }
    s->bound = true;
    s->port = port;
    return done(c, 0);
}

/* fd, N: the socket of argument 0 and the integer of argument 1 (in *e and *v). FALSE
 * when the script is wrong (the run stops); *s is NULL, with c->result -EBADF, when the
 * descriptor is not open. */
static bool
arg_sock_int(struct pkt_runner *r, struct pkt_call *c, struct pkt_sock **s,
             const struct pkt_expr **e, int64_t *v)
{
    bool ok = false;
    *s = pkt_arg_sock(r, c, 0, &ok);
    *e = ok ? pkt_arg(r, c, 1) : NULL;
    return *e != NULL && pkt_arg_int(r, *e, v);
}

static enum pkt_step
sys_listen(struct pkt_runner *r, struct pkt_call *c, bool first)
{
    (void)first;
    struct pkt_sock *s = NULL;
    const struct pkt_expr *b = NULL;
    int64_t backlog = 0;
    if (!arg_sock_int(r, c, &s, &b, &backlog)) {
        return PKT_STEP_STOP;
    }
    if (s == NULL) {
        return PKT_STEP_DONE;
    }
    if (s->tcb == NULL || (s->tcb->state != TCP_CLOSED && s->tcb->state != TCP_LISTEN)) {
        return done(c, -EINVAL);
    }
    uint16_t port = s->bound ? s->port : r->bind_port;
    int64_t res = host_listen(r->host, s->tcb, port, (int)CLAMP(backlog, 0, 1 << 20));
    if (res == 0) {
        s->listening = true;
        r->conn.phase = PKT_CONN_LISTENING;
        r->conn.local_port = port;
        r->conn.remote_port = 0;
    }
    return done(c, res);
}

static enum pkt_step
sys_accept(struct pkt_runner *r, struct pkt_call *c, bool first)
{
    (void)first;
    bool ok = false;
    struct pkt_sock *s = pkt_arg_sock(r, c, 0, &ok);
    if (!ok) {
        return PKT_STEP_STOP;
    }
    if (s == NULL) {
        return PKT_STEP_DONE;
    }
    if (s->tcb == NULL || s->tcb->state != TCP_LISTEN) {
        return done(c, -EINVAL);
    }
    struct tcp_tcb *child = tcp_listen_accept(s->tcb);
    if (child == NULL) {
        return s->nonblock ? done(c, -EAGAIN) : PKT_STEP_BLOCKED;
    }
    tcp_tcb_ref(child);
    struct pkt_sock *n = pkt_sock_new(r, child, c);
    n->connect_started = true;
    n->connect_reported = true;
    return done(c, n->fd);
}

/* Linux: inet_stream_connect(): a non-blocking connect answers EINPROGRESS, then
 * EALREADY while the handshake runs; the first call after it ends reports the outcome
 * (0, or the error), later ones EISCONN. A blocking connect waits for the outcome. */
static int64_t
connect_outcome(struct pkt_sock *s, bool *wait)
{
    struct tcp_tcb *t = s->tcb;
    *wait = false;
    switch (t->state) {
    case TCP_SYN_SENT:
    case TCP_SYN_RECEIVED:
        *wait = !s->nonblock;
        return -EALREADY;
    case TCP_CLOSED: {
        int e = t->so_error ? t->so_error : ECONNABORTED;
        t->so_error = 0;
        return -e;
    }
    case TCP_LISTEN:
        return -EINVAL;
    case TCP_ESTABLISHED:
    case TCP_FIN_WAIT_1:
    case TCP_FIN_WAIT_2:
    case TCP_CLOSE_WAIT:
    case TCP_CLOSING:
    case TCP_LAST_ACK:
    case TCP_TIME_WAIT:
        if (s->connect_reported) {
            return -EISCONN;
        }
        s->connect_reported = true;
        return 0;
    }
    g_assert_not_reached();
}

static enum pkt_step
sys_connect(struct pkt_runner *r, struct pkt_call *c, bool first)
{
    bool ok = false;
    struct pkt_sock *s = pkt_arg_sock(r, c, 0, &ok);
    const struct pkt_expr *addr = ok ? pkt_arg(r, c, 1) : NULL;
    struct tcpsim_addr ip = r->remote_ip;
    uint16_t port = r->connect_port;
    if (addr == NULL || !arg_sockaddr(r, addr, &ip, &port)) {
        return PKT_STEP_STOP;
    }
    if (s == NULL || s->tcb == NULL) {
        return s == NULL ? PKT_STEP_DONE : done(c, -EBADF);
    }
    if (first && !s->connect_started) {
        if (s->listening) {
            return done(c, -EISCONN);
        }
        int res = host_connect(r->host, s->tcb, ip, port, s->bound ? s->port : 0);
        if (res < 0) {
            return done(c, res);
        }
        s->connect_started = true;
        struct pkt_conn *cn = &r->conn;
        cn->phase = PKT_CONN_CONNECTING;
        cn->remote_ip = ip;
        cn->remote_port = port;
        cn->local_port = s->tcb->id.lport;
        cn->local_isn_known = false;
        cn->ts_first_known = false;
        g_array_set_size(cn->ts_map, 0);
        if (s->nonblock) {
            return done(c, -EINPROGRESS);
        }
    }
    bool wait = false;
    int64_t res = connect_outcome(s, &wait);
    return wait ? PKT_STEP_BLOCKED : done(c, res);
}

static enum pkt_step
sys_close(struct pkt_runner *r, struct pkt_call *c, bool first)
{
    (void)first;
    bool ok = false;
    struct pkt_sock *s = pkt_arg_sock(r, c, 0, &ok);
    if (!ok) {
        return PKT_STEP_STOP;
    }
    if (s == NULL) {
        return PKT_STEP_DONE;
    }
    struct tcp_tcb *t = s->tcb;
    if (t != NULL) {
        if (s->linger_zero) {
            /* Linux: SO_LINGER {1, 0}: tcp_disconnect() sends a RST and frees at once. */
            tcp_mib_inc(t->stack, TCP_MIB_ABORT_ON_LINGER);
            tcp_user_abort(t);
        } else {
            tcp_user_close(t);
        }
    }
    sock_close(r, s);
    return done(c, 0);
}

static enum pkt_step
sys_shutdown(struct pkt_runner *r, struct pkt_call *c, bool first)
{
    (void)first;
    struct pkt_sock *s = NULL;
    const struct pkt_expr *how = NULL;
    int64_t h = 0;
    if (!arg_sock_int(r, c, &s, &how, &h)) {
        return PKT_STEP_STOP;
    }
    if (s == NULL) {
        return PKT_STEP_DONE;
    }
    if (h < 0 || h > 2) {
        return done(c, -EINVAL);
    }
    if (s->tcb == NULL) {
        return done(c, -ENOTCONN);
    }
    return done(c, tcp_user_shutdown(s->tcb, h != 1, h != 0));
}

static enum pkt_step
sys_fcntl(struct pkt_runner *r, struct pkt_call *c, bool first)
{
    (void)first;
    struct pkt_sock *s = NULL;
    const struct pkt_expr *cmd = NULL;
    int64_t op = 0;
    int64_t arg = 0;
    if (!arg_sock_int(r, c, &s, &cmd, &op)) {
        return PKT_STEP_STOP;
    }
    if (op == 4 || op == 2) { /* F_SETFL, F_SETFD take an argument */
        const struct pkt_expr *a = pkt_arg(r, c, 2);
        if (a == NULL || !pkt_arg_int(r, a, &arg)) {
            return PKT_STEP_STOP;
        }
    }
    if (s == NULL) {
        return PKT_STEP_DONE;
    }
    switch (op) {
    case 3: /* F_GETFL: O_RDWR, and O_NONBLOCK if set */
        return done(c, 2 | (s->nonblock ? 04000 : 0));
    case 4: /* F_SETFL */
        s->nonblock = (arg & 04000) != 0;
        return done(c, 0);
    case 1: /* F_GETFD */
    case 2: /* F_SETFD */
        return done(c, 0);
    default:
        pkt_stop_unsupported(r, cmd->loc, "fcntl command %" G_GINT64_FORMAT, op);
        return PKT_STEP_STOP;
    }
}

/* ioctl(fd, SIOCINQ, [N]): the script's N is the value it expects to read back. */
static enum pkt_step
sys_ioctl(struct pkt_runner *r, struct pkt_call *c, bool first)
{
    (void)first;
    bool ok = false;
    struct pkt_sock *s = pkt_arg_sock(r, c, 0, &ok);
    const struct pkt_expr *req = ok ? pkt_arg(r, c, 1) : NULL;
    const struct pkt_expr *out = req ? pkt_arg(r, c, 2) : NULL;
    int64_t op = 0;
    if (out == NULL || !pkt_arg_int(r, req, &op)) {
        return PKT_STEP_STOP;
    }
    if (s == NULL) {
        return PKT_STEP_DONE;
    }
    if (s->tcb == NULL || s->tcb->state == TCP_LISTEN) {
        return done(c, -EINVAL);
    }
    int64_t v = 0;
    if (op == 0x541B) { /* SIOCINQ: bytes ready to read (the FIN not counted) */
        bool early = s->tcb->state == TCP_SYN_SENT || s->tcb->state == TCP_SYN_RECEIVED;
        v = early ? 0 : tcp_rcv_queued(s->tcb);
    } else if (op == 0x5411) { /* SIOCOUTQ: bytes written and not yet acknowledged */
        v = (int64_t)tcp_snd_queued(s->tcb);
    } else {
        pkt_stop_unsupported(r, req->loc, "ioctl request 0x%" G_GINT64_MODIFIER "x", op);
        return PKT_STEP_STOP;
    }
    if (out->kind == PKT_E_LIST && out->items->len == 1) {
        int64_t want = 0;
        if (!pkt_arg_int(r, g_ptr_array_index(out->items, 0), &want)) {
            return PKT_STEP_STOP;
        }
        if (want != v) {
            pkt_fail(r, c->ev->loc, "ioctl: expected value %" G_GINT64_FORMAT " but got %"
                     G_GINT64_FORMAT, want, v);
            return PKT_STEP_STOP;
        }
    } else if (out->kind != PKT_E_ELLIPSIS) {
        pkt_stop_error(r, out->loc, "expected [value] or ... as the ioctl result");
        return PKT_STEP_STOP;
    }
    return done(c, 0);
}

static const struct pkt_sys calls[] = {
    {"socket", sys_socket},     {"bind", sys_bind},         {"listen", sys_listen},
    {"accept", sys_accept},     {"connect", sys_connect},   {"close", sys_close},
    {"shutdown", sys_shutdown}, {"fcntl", sys_fcntl},       {"ioctl", sys_ioctl},
    {"setsockopt", pkt_setsockopt}, {"getsockopt", pkt_getsockopt},
};

const struct pkt_sys *
pkt_sys_find(const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(calls); i++) {
        if (strcmp(calls[i].name, name) == 0) {
            return &calls[i];
        }
    }
    return NULL;
}

struct tcp_tcb *
pkt_tcb_under_test(struct pkt_runner *r)
{
    const struct pkt_conn *cn = &r->conn;
    struct trace_sock key = {.laddr = r->local_ip, .lport = cn->local_port,
                             .raddr = cn->remote_ip, .rport = cn->remote_port};
    return g_hash_table_lookup(r->host->conns, &key);
}
