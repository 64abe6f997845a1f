/* SPDX-License-Identifier: MIT */
/*
 * pattern.c: application patterns: a server that answers requests, and a client that
 * makes N requests over short or persistent connections.
 *
 * Entry points: tcpsim_serve(), tcpsim_fetch(). A pattern is ordinary application code
 * written with the blocking calls of app.c and their completion callbacks; its sockets
 * are named NAME.1, NAME.2, ... in the trace, and are freed once closed, so a pattern can
 * open a million connections without keeping them.
 *
 *   server: accept loop; per connection: recv(request) -> send(response) -> again, until
 *           the client closes (keep-alive), or close after the first answer ("close").
 *   client: for i in 1..N: [connect] -> send(request) -> recv(response) -> [close]
 *           "short": a connection per request, closed by the client once answered (or
 *           after the server closed first); "persistent": one connection for all.
 *           "every T": request i starts at i*T at the earliest. "concurrent": a connection
 *           per request, request i started at exactly i*T however many are still open.
 */
#include <errno.h>
#include <string.h>

#include "app.h"

enum pattern_kind { PATTERN_SERVER, PATTERN_CLIENT };

struct tcpsim_pattern {
    enum pattern_kind kind;
    struct tcpsim_sim *sim;
    int host;
    char *name;
    struct tcpsim_addr addr;
    uint16_t port;
    uint64_t count;
    uint64_t request;
    uint64_t response;
    tcpsim_time every;
    bool persistent;
    bool concurrent;
    bool close_after; /* server: close after the first answer */
    /* Progress. */
    uint64_t started;   /* requests begun (client) or connections accepted (server) */
    uint64_t completed; /* answers received (client) or sent (server) */
    uint64_t failed;
    int last_error;
    tcpsim_time begin;
    struct tcpsim_sock *listener;
    struct tcpsim_sock *conn; /* the persistent connection */
    struct ev next;           /* the next request of a paced client */
};

/* "NAME.N", without the printf machinery: two of these a connection. */
static char *
numbered_name(const char *base, uint64_t n)
{
    char digits[20];
    size_t i = sizeof digits;
    do {
        digits[--i] = (char)('0' + n % 10);
        n /= 10;
    } while (n != 0);
    size_t blen = strlen(base);
    size_t dlen = sizeof digits - i;
    char *s = g_malloc(blen + 1 + dlen + 1);
    memcpy(s, base, blen);
    s[blen] = '.';
    memcpy(s + blen + 1, digits + i, dlen);
    s[blen + 1 + dlen] = '\0';
    return s;
}

static struct tcpsim_sock *
named_socket(struct tcpsim_pattern *p, uint64_t n)
{
    return app_socket_owned(p->sim, p->host, numbered_name(p->name, n));
}

static void
call(struct tcpsim_sock *s, struct app_op *op, app_done_fn done, void *arg)
{
    op->on_done = done;
    op->done_arg = arg;
    app_submit(s, op);
}

static void
call_close(struct tcpsim_sock *s)
{
    call(s, app_op_new(s->sim, APP_CLOSE), NULL, NULL);
}

/* --- server ---------------------------------------------------------------------- */

static void serve_request(struct tcpsim_sock *s, struct tcpsim_pattern *p);

static void
served(struct tcpsim_sock *s, const struct app_op *op, int64_t r, void *arg)
{
    (void)op;
    struct tcpsim_pattern *p = arg;
    if (r < 0) {
        p->failed++;
        p->last_error = (int)-r;
        call_close(s);
        return;
    }
    p->completed++;
    if (p->close_after) {
        call_close(s);
    } else {
        serve_request(s, p);
    }
}

static void
request_read(struct tcpsim_sock *s, const struct app_op *op, int64_t r, void *arg)
{
    (void)op;
    struct tcpsim_pattern *p = arg;
    if (r <= 0 || (uint64_t)r < p->request) {
        call_close(s); /* the client closed (or failed): so do we */
        return;
    }
    struct app_op *send = app_op_new(s->sim, APP_SEND);
    send->n = p->response;
    call(s, send, served, p);
}

static void
serve_request(struct tcpsim_sock *s, struct tcpsim_pattern *p)
{
    struct app_op *recv = app_op_new(s->sim, APP_RECV);
    recv->n = p->request;
    call(s, recv, request_read, p);
}

static void accept_next(struct tcpsim_pattern *p);

static void
accepted(struct tcpsim_sock *lst, const struct app_op *op, int64_t r, void *arg)
{
    (void)lst;
    struct tcpsim_pattern *p = arg;
    if (r < 0) {
        p->failed++;
        p->last_error = (int)-r;
        return; /* the listener is gone */
    }
    p->started++;
    serve_request(op->into, p);
    accept_next(p);
}

static void
accept_next(struct tcpsim_pattern *p)
{
    struct app_op *acc = app_op_new(p->sim, APP_ACCEPT);
    acc->into = named_socket(p, p->started + 1);
    acc->into->awaiting_accept = true;
    call(p->listener, acc, accepted, p);
}

struct tcpsim_pattern *
tcpsim_serve(struct tcpsim_sim *sim, int host, const char *name, uint16_t port, int backlog,
             uint64_t request, uint64_t response, bool close_after)
{
    g_return_val_if_fail(host >= 0 && host < sim->nhosts && request > 0, NULL);
    struct tcpsim_pattern *p = g_new0(struct tcpsim_pattern, 1);
    p->kind = PATTERN_SERVER;
    p->sim = sim;
    p->host = host;
    p->name = g_strdup(name);
    p->port = port;
    p->request = request;
    p->response = response;
    p->close_after = close_after;
    g_ptr_array_add(sim->patterns, p);
    p->listener = tcpsim_socket(sim, host, name);
    tcpsim_listen(p->listener, port, backlog);
    accept_next(p);
    return p;
}

/* --- client ---------------------------------------------------------------------- */

static void fetch_next(struct tcpsim_pattern *p);

/* The next request may start: now, or at its slot when the client is paced. */
static void
after_request(struct tcpsim_pattern *p)
{
    if (p->concurrent) {
        return; /* the schedule, not the answers, starts the next request */
    }
    if (p->started >= p->count) {
        if (p->persistent && p->conn != NULL) {
            call_close(p->conn);
            p->conn = NULL;
        }
        return;
    }
    /* Always through the event, never a call: this runs inside the completion of the
     * request before, and a connect that fails at once (EADDRNOTAVAIL) completes inside
     * its own submission, so calling fetch_next() here would nest one request in the
     * next, a stack frame chain as long as the run of failures. */
    tcpsim_time slot = sim_time_add_mul(p->begin, p->started, p->every);
    ev_schedule(&p->sim->q, &p->next, MAX(slot, p->sim->q.now));
}

static void
response_read(struct tcpsim_sock *s, const struct app_op *op, int64_t r, void *arg)
{
    (void)op;
    struct tcpsim_pattern *p = arg;
    if (r < 0 || (uint64_t)r < p->response) {
        p->failed++;
        p->last_error = r < 0 ? (int)-r : ECONNRESET;
        call_close(s);
        if (p->persistent) {
            p->conn = NULL; /* a new connection for the next request */
        }
    } else {
        p->completed++;
        if (!p->persistent) {
            call_close(s); /* the client closes first: it keeps the TIME_WAIT */
        }
    }
    after_request(p);
}

static void
send_request(struct tcpsim_sock *s, struct tcpsim_pattern *p)
{
    struct app_op *send = app_op_new(s->sim, APP_SEND);
    send->n = p->request;
    call(s, send, NULL, NULL);
    struct app_op *recv = app_op_new(s->sim, APP_RECV);
    recv->n = p->response;
    call(s, recv, response_read, p);
}

static void
connected(struct tcpsim_sock *s, const struct app_op *op, int64_t r, void *arg)
{
    (void)op;
    struct tcpsim_pattern *p = arg;
    if (r < 0) {
        p->failed++;
        p->last_error = (int)-r;
        call_close(s);
        if (p->persistent) {
            p->conn = NULL;
        }
        after_request(p);
        return;
    }
    send_request(s, p);
}

static void
fetch_next(struct tcpsim_pattern *p)
{
    p->started++;
    if (p->persistent && p->conn != NULL) {
        send_request(p->conn, p);
        return;
    }
    struct tcpsim_sock *s = named_socket(p, p->started);
    if (p->persistent) {
        p->conn = s;
    }
    if (p->concurrent && p->started < p->count) {
        ev_schedule(&p->sim->q, &p->next, sim_time_add_mul(p->begin, p->started, p->every));
    }
    struct app_op *conn = app_op_new(p->sim, APP_CONNECT);
    conn->addr = p->addr;
    conn->port = p->port;
    call(s, conn, connected, p);
}

static void
next_fired(struct ev *ev)
{
    fetch_next(container_of(ev, struct tcpsim_pattern, next));
}

struct tcpsim_pattern *
tcpsim_fetch(struct tcpsim_sim *sim, int host, const char *name, struct tcpsim_addr addr,
             uint16_t port,
             uint64_t count, uint64_t request, uint64_t response, tcpsim_time every,
             enum tcpsim_fetch_mode mode)
{
    g_return_val_if_fail(host >= 0 && host < sim->nhosts && count > 0 && request > 0, NULL);
    struct tcpsim_pattern *p = g_new0(struct tcpsim_pattern, 1);
    p->kind = PATTERN_CLIENT;
    p->sim = sim;
    p->host = host;
    p->name = g_strdup(name);
    p->addr = addr;
    p->port = port;
    p->count = count;
    p->request = request;
    p->response = response;
    p->every = every;
    p->persistent = mode == TCPSIM_FETCH_PERSISTENT;
    p->concurrent = mode == TCPSIM_FETCH_CONCURRENT;
    p->begin = sim->q.now;
    ev_init(&p->next, next_fired);
    g_ptr_array_add(sim->patterns, p);
    fetch_next(p);
    return p;
}

/* --- queries --------------------------------------------------------------------- */

uint64_t
tcpsim_pattern_completed(const struct tcpsim_pattern *p)
{
    return p->completed;
}

uint64_t
tcpsim_pattern_failed(const struct tcpsim_pattern *p)
{
    return p->failed;
}

uint64_t
tcpsim_pattern_started(const struct tcpsim_pattern *p)
{
    return p->started;
}

int
tcpsim_pattern_error(const struct tcpsim_pattern *p)
{
    return p->last_error;
}

void
pattern_free(gpointer ptr)
{
    struct tcpsim_pattern *p = ptr;
    ev_cancel(&p->sim->q, &p->next);
    g_free(p->name);
    g_free(p);
}
