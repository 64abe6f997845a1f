/* SPDX-License-Identifier: MIT */
/*
 * app.c: the simulated application: sockets whose calls block.
 *
 * Entry points: the socket half of include/tcpsim/sim.h (tcpsim_socket(), tcpsim_connect(),
 * ...) and app_wakeup(), which the TCP stack reaches through the host.
 *
 * Each socket runs its calls in order, like a thread doing blocking I/O: a call at the
 * head of the queue is tried at once; if it cannot finish (connect before the handshake,
 * accept with an empty queue, recv with no data, send into a full buffer) it waits for a
 * wakeup from the connection and is tried again. Calls behind it wait their turn. The
 * trace shows a call when it starts ("connect(c, 10.0.0.2:80) ...") and when it returns
 * ("connect(c, 10.0.0.2:80) = 0"), or once when it returns at once, like strace.
 * Wakeups are deferred to an event at the same instant, so a call never runs inside
 * the TCP code that woke it.
 */
#include <errno.h>
#include <string.h>

#include <tcpsim/units.h>

#include "app.h"

#define CAPTURE_MAX (64u * 1024u) /* received bytes kept for `expect ... received "text"` */
#define RECV_ANY_MAX (1u << 20)  /* what one recv() without a size takes at most */

static void sock_run(struct tcpsim_sock *s);

static void
wake_fired(struct ev *ev)
{
    sock_run(container_of(ev, struct tcpsim_sock, wake));
}

void
app_wakeup(struct tcp_tcb *tcb, unsigned events)
{
    (void)events;
    struct tcpsim_sock *s = tcb->user;
    if (s == NULL || s->tcb != tcb || s->nops == 0 || ev_pending(&s->wake)) {
        return;
    }
    ev_schedule(&s->sim->q, &s->wake, s->sim->q.now);
}

/* A new socket; it owns `name`. */
static struct tcpsim_sock *
sock_new(struct tcpsim_sim *sim, int host, char *name)
{
    struct tcpsim_sock *s = pool_alloc0(&sim->sock_pool);
    s->sim = sim;
    s->host = sim->hosts[host];
    s->name = name;
    ev_init(&s->wake, wake_fired);
    return s;
}

struct tcpsim_sock *
tcpsim_socket(struct tcpsim_sim *sim, int host, const char *name)
{
    g_return_val_if_fail(host >= 0 && host < sim->nhosts, NULL);
    struct tcpsim_sock *s = sock_new(sim, host, g_strdup(name));
    g_ptr_array_add(sim->socks, s);
    return s;
}

struct tcpsim_sock *
app_socket_owned(struct tcpsim_sim *sim, int host, char *name)
{
    struct tcpsim_sock *s = sock_new(sim, host, name);
    s->autofree = true;
    s->owned_next = sim->owned_socks;
    if (s->owned_next != NULL) {
        s->owned_next->owned_prev = s;
    }
    sim->owned_socks = s;
    return s;
}

/* A finished call goes to the simulation's free list. */
static void
op_free(struct tcpsim_sim *sim, struct app_op *op)
{
    g_free(op->text);
    g_free(op->val_text);
    op->next = sim->free_ops;
    sim->free_ops = op;
}

static struct app_op *
ops_pop(struct tcpsim_sock *s)
{
    struct app_op *op = s->ops_head;
    if (op != NULL) {
        s->ops_head = op->next;
        if (s->ops_head == NULL) {
            s->ops_tail = NULL;
        }
        s->nops--;
    }
    return op;
}

static void
ops_push_tail(struct tcpsim_sock *s, struct app_op *op)
{
    op->next = NULL;
    if (s->ops_tail != NULL) {
        s->ops_tail->next = op;
    } else {
        s->ops_head = op;
    }
    s->ops_tail = op;
    s->nops++;
}

static void
ops_push_head(struct tcpsim_sock *s, struct app_op *op)
{
    op->next = s->ops_head;
    s->ops_head = op;
    if (s->ops_tail == NULL) {
        s->ops_tail = op;
    }
    s->nops++;
}

void
app_ops_free_all(struct tcpsim_sim *sim)
{
    struct app_op *op;
    while ((op = sim->free_ops) != NULL) {
        sim->free_ops = op->next;
        g_free(op);
    }
}

void
app_sock_free(gpointer p)
{
    struct tcpsim_sock *s = p;
    if (s->autofree) {
        if (s->owned_prev != NULL) {
            s->owned_prev->owned_next = s->owned_next;
        } else {
            s->sim->owned_socks = s->owned_next;
        }
        if (s->owned_next != NULL) {
            s->owned_next->owned_prev = s->owned_prev;
        }
    }
    ev_cancel(&s->sim->q, &s->wake);
    struct app_op *op;
    while ((op = ops_pop(s)) != NULL) {
        op_free(s->sim, op);
    }
    if (s->tcb) {
        s->tcb->user = NULL;
        tcp_tcb_keep_name(s->tcb);
        tcp_tcb_unref(s->tcb);
    }
    if (s->capture != NULL) {
        g_byte_array_unref(s->capture);
    }
    g_free(s->name);
    pool_free(&s->sim->sock_pool, s);
}

const char *
tcpsim_sock_name(const struct tcpsim_sock *s)
{
    return s->name;
}

int
tcpsim_sock_host(const struct tcpsim_sock *s)
{
    return s->host->index;
}

/* --- running calls ------------------------------------------------------------- */

enum { OP_WAIT = 1 };

static struct tcp_tcb *
new_tcb(struct tcpsim_sock *s)
{
    struct tcp_tcb *tcb = tcp_tcb_new(&s->host->tcp);
    const struct tcp_sysctl *sc = &s->host->tcp.sysctl;
    tcb->user = s;
    tcb->id.name = s->name;
    tcb->nodelay = s->nodelay;
    tcb->cork = s->cork;
    tcb->keepalive = s->keepalive;
    tcb->keepidle = s->keepidle;
    tcb->keepintvl = s->keepintvl;
    tcb->keepcnt = (uint16_t)s->keepcnt;
    tcb->user_timeout = s->user_timeout;
    tcb->rcvbuf_locked = s->rcvbuf != 0;
    tcb->sndbuf_locked = s->sndbuf != 0;
    tcp_buf_init(tcb, (uint32_t)(s->sndbuf ? s->sndbuf : sc->tcp_wmem[1]),
                 (uint32_t)(s->rcvbuf ? s->rcvbuf : sc->tcp_rmem[1]));
    tcp_tcb_ref(tcb); /* the application's reference */
    return tcb;
}

static int64_t
try_connect(struct tcpsim_sock *s, struct app_op *op)
{
    if (!op->begun) {
        op->begun = true;
        if (s->tcb != NULL) {
            return s->tcb->state == TCP_SYN_SENT ? -EALREADY : -EISCONN;
        }
        s->tcb = new_tcb(s);
        int r = host_connect(s->host, s->tcb, op->addr, op->port, op->from_port);
        if (r < 0) {
            /* Refused before anything was sent: the socket stays unconnected and may
             * try again, as on Linux. */
            s->tcb->user = NULL;
            tcp_tcb_discard(s->tcb);
            tcp_tcb_unref(g_steal_pointer(&s->tcb));
            return r;
        }
    }
    switch (s->tcb->state) {
    case TCP_SYN_SENT:
    case TCP_SYN_RECEIVED:
        return -EAGAIN;
    case TCP_CLOSED: {
        int e = s->tcb->so_error ? s->tcb->so_error : ECONNREFUSED;
        s->tcb->so_error = 0;
        return -e;
    }
    case TCP_LISTEN:
    case TCP_ESTABLISHED:
    case TCP_FIN_WAIT_1:
    case TCP_FIN_WAIT_2:
    case TCP_CLOSE_WAIT:
    case TCP_CLOSING:
    case TCP_LAST_ACK:
    case TCP_TIME_WAIT:
        return 0;
    }
    g_assert_not_reached();
}

static int64_t
try_accept(struct tcpsim_sock *s, struct app_op *op)
{
    if (s->tcb == NULL || s->tcb->state != TCP_LISTEN) {
        return -EINVAL;
    }
    struct tcp_tcb *child = tcp_listen_accept(s->tcb);
    if (child == NULL) {
        return -EAGAIN;
    }
    struct tcpsim_sock *into = op->into;
    tcp_tcb_ref(child);
    into->tcb = child;
    child->user = into;
    child->id.name = into->name;
    into->awaiting_accept = false;
    if (into->nops && !ev_pending(&into->wake)) {
        ev_schedule(&s->sim->q, &into->wake, s->sim->q.now);
    }
    return 0;
}

static int64_t
try_send(struct tcpsim_sock *s, struct app_op *op)
{
    if (s->tcb == NULL) {
        return -ENOTCONN;
    }
    while (op->done < op->n) {
        uint64_t left = op->n - op->done;
        uint32_t chunk = left > UINT32_MAX ? UINT32_MAX : (uint32_t)left;
        int pending = s->tcb->so_error;
        int64_t r = tcp_user_send_more(s->tcb, chunk, op->text ? op->text + op->done : NULL,
                                       op->more);
        if (r < 0) {
            if (r != -EAGAIN && op->done > 0 && pending != 0 && r == -pending) {
                /* The connection died (ETIMEDOUT, ECONNRESET) after part of the bytes
                 * went in: the call returns that count and the error stays pending for
                 * the next call, as on Linux (tcp_sendmsg_locked() returns `copied`,
                 * sk_err is left for sk_stream_error()). */
                s->tcb->so_error = pending;
            }
            return r == -EAGAIN || op->done == 0 ? r : (int64_t)op->done;
        }
        op->done += (uint64_t)r;
    }
    return (int64_t)op->done;
}

/* One read: copies in steps of the capture buffer; *copied says whether any data came. */
static int64_t
recv_copy(struct tcpsim_sock *s, struct app_op *op, bool *copied)
{
    uint8_t buf[4096];
    for (;;) {
        uint64_t want = op->n ? op->n - op->done : RECV_ANY_MAX;
        /* A pattern's sockets keep nothing: no expect reads them. */
        if (!s->autofree && s->capture == NULL) {
            s->capture = g_byte_array_new();
        }
        bool keep = !s->autofree && s->capture->len < CAPTURE_MAX;
        uint32_t max = want > UINT32_MAX ? UINT32_MAX : (uint32_t)want;
        if (keep && max > sizeof buf) {
            max = sizeof buf;
        }
        int64_t r = tcp_user_recv_part(s->tcb, max, keep ? buf : NULL);
        if (r > 0) {
            *copied = true;
            if (keep) {
                uint32_t room = CAPTURE_MAX - s->capture->len;
                g_byte_array_append(s->capture, buf, (guint)(r < room ? r : room));
            }
            op->done += (uint64_t)r;
            s->received += (uint64_t)r;
            if (op->n == 0 && !tcp_user_readable(s->tcb)) {
                return (int64_t)op->done; /* took what was there */
            }
            if (op->n && op->done >= op->n) {
                return (int64_t)op->done;
            }
            continue;
        }
        if (r == 0) {
            return (int64_t)op->done; /* end of stream */
        }
        if (r == -EAGAIN) {
            return op->n == 0 && op->done > 0 ? (int64_t)op->done : -EAGAIN;
        }
        return op->done > 0 ? (int64_t)op->done : r;
    }
}

/* A recv() line is one read (recvmsg()): one window update at its end, however many
 * steps it copied in (Linux tcp_cleanup_rbuf()). */
static int64_t
try_recv(struct tcpsim_sock *s, struct app_op *op)
{
    if (s->tcb == NULL) {
        return -ENOTCONN;
    }
    bool copied = false;
    int64_t r = recv_copy(s, op, &copied);
    if (copied) {
        tcp_user_recv_end(s->tcb);
    }
    return r;
}

static int64_t
try_listen(struct tcpsim_sock *s, struct app_op *op)
{
    bool fresh = s->tcb == NULL;
    if (fresh) {
        s->tcb = new_tcb(s);
    }
    s->listen_port = op->port;
    int r = host_listen(s->host, s->tcb, op->port, op->backlog);
    if (r < 0 && fresh) {
        /* Refused (EADDRINUSE): the socket stays unbound, as after a failed connect(),
         * and the connection block made for it goes. */
        s->tcb->user = NULL;
        tcp_tcb_discard(s->tcb);
        tcp_tcb_unref(g_steal_pointer(&s->tcb));
    }
    return r;
}

static int64_t
try_op(struct tcpsim_sock *s, struct app_op *op)
{
    switch (op->verb) {
    case APP_LISTEN:
        return try_listen(s, op);
    case APP_CONNECT:
        return try_connect(s, op);
    case APP_ACCEPT:
        return try_accept(s, op);
    case APP_SEND:
        return try_send(s, op);
    case APP_RECV:
        return try_recv(s, op);
    case APP_SHUTDOWN:
        return s->tcb ? tcp_user_shutdown(s->tcb, op->rd, op->wr) : -ENOTCONN;
    case APP_CLOSE:
        s->closed = true;
        if (s->tcb == NULL) {
            return 0;
        }
        return s->linger_zero ? tcp_user_abort(s->tcb) : tcp_user_close(s->tcb);
    case APP_ABORT:
        s->closed = true;
        if (s->tcb) {
            tcp_mib_inc(s->tcb->stack, TCP_MIB_ABORT_ON_LINGER);
            return tcp_user_abort(s->tcb);
        }
        return 0;
    case APP_SETOPT:
        return app_apply_option(s, op);
    }
    g_assert_not_reached();
}

/* Calls that usually wait are shown when they start, before what they cause. */
static bool
usually_blocks(enum app_verb v)
{
    return v == APP_CONNECT || v == APP_ACCEPT || v == APP_RECV;
}

static void
sock_run(struct tcpsim_sock *s)
{
    struct app_op *op;
    s->running = true;
    while (!s->awaiting_accept && (op = s->ops_head) != NULL) {
        bool closing = op->verb == APP_CLOSE || op->verb == APP_ABORT;
        /* A call on a descriptor already closed fails EBADF, a second close too (as
         * on Linux); only close and abort set `closed`, so a closing call that finds it
         * set comes after an earlier one. */
        bool closed_before = s->closed && !op->started;
        bool interrupted = s->closed && !closing && op->started; /* by tcpsim_abort() */
        if (!op->started && !closed_before && usually_blocks(op->verb)) {
            app_trace_call(s, op, false, 0);
            op->started = true;
        }
        int64_t r = closed_before ? -EBADF : interrupted ? -ECONNRESET : try_op(s, op);
        if (r == -EAGAIN) {
            if (!op->started) {
                app_trace_call(s, op, false, 0);
                op->started = true;
            }
            s->running = false;
            return;
        }
        op->started = true;
        if (r < 0) {
            s->last_error = (int)-r;
        }
        app_trace_call(s, op, true, r);
        ops_pop(s);
        if (op->on_done) {
            op->on_done(s, op, r, op->done_arg);
        }
        op_free(s->sim, op);
    }
    s->running = false;
    if (s->autofree && s->closed && s->nops == 0) {
        app_sock_free(s);
    }
}

void
app_submit(struct tcpsim_sock *s, struct app_op *op)
{
    ops_push_tail(s, op);
    if (s->nops == 1 && !s->running) {
        sock_run(s);
    }
}

struct app_op *
app_op_new(struct tcpsim_sim *sim, enum app_verb verb)
{
    struct app_op *op = sim->free_ops;
    if (op != NULL) {
        sim->free_ops = op->next;
        *op = (struct app_op){0};
    } else {
        op = g_new0(struct app_op, 1);
    }
    op->verb = verb;
    return op;
}

void
tcpsim_listen(struct tcpsim_sock *s, uint16_t port, int backlog)
{
    struct app_op *op = app_op_new(s->sim, APP_LISTEN);
    op->port = port;
    op->backlog = backlog;
    app_submit(s, op);
}

void
tcpsim_connect(struct tcpsim_sock *s, struct tcpsim_addr addr, uint16_t port,
               uint16_t from_port)
{
    struct app_op *op = app_op_new(s->sim, APP_CONNECT);
    op->addr = addr;
    op->port = port;
    op->from_port = from_port;
    app_submit(s, op);
}

void
tcpsim_accept(struct tcpsim_sock *listener, struct tcpsim_sock *into)
{
    struct app_op *op = app_op_new(listener->sim, APP_ACCEPT);
    op->into = into;
    into->awaiting_accept = true;
    app_submit(listener, op);
}

void
tcpsim_send(struct tcpsim_sock *s, uint64_t len, const uint8_t *text)
{
    tcpsim_send_more(s, len, text, false);
}

void
tcpsim_send_more(struct tcpsim_sock *s, uint64_t len, const uint8_t *text, bool more)
{
    struct app_op *op = app_op_new(s->sim, APP_SEND);
    op->n = len;
    op->more = more;
    op->text = text ? g_memdup2(text, (gsize)len) : NULL;
    app_submit(s, op);
}

void
tcpsim_recv(struct tcpsim_sock *s, uint64_t len)
{
    struct app_op *op = app_op_new(s->sim, APP_RECV);
    op->n = len;
    app_submit(s, op);
}

void
tcpsim_shutdown(struct tcpsim_sock *s, bool rd, bool wr)
{
    struct app_op *op = app_op_new(s->sim, APP_SHUTDOWN);
    op->rd = rd;
    op->wr = wr;
    app_submit(s, op);
}

void
tcpsim_close(struct tcpsim_sock *s)
{
    app_submit(s, app_op_new(s->sim, APP_CLOSE));
}

/* ABORT does not wait for a call in progress: it stands for the application's own
 * timeout, another thread or a kill. RFC 9293 §3.10.5: "All queued SENDs and RECEIVEs
 * should be given "connection reset" notification"; calls queued behind it fail EBADF. */
void
tcpsim_abort(struct tcpsim_sock *s)
{
    struct app_op *op = app_op_new(s->sim, APP_ABORT);
    struct app_op *head = s->ops_head;
    if (head == NULL || !head->started || s->running) {
        app_submit(s, op);
        return;
    }
    ops_push_head(s, op);
    sock_run(s);
}

/* --- queries ------------------------------------------------------------------- */

const char *
tcpsim_sock_state(const struct tcpsim_sock *s)
{
    return tcp_state_name(s->tcb ? s->tcb->state : TCP_CLOSED);
}

int
tcpsim_sock_error(const struct tcpsim_sock *s)
{
    if (s->last_error) {
        return s->last_error;
    }
    return s->tcb ? s->tcb->so_error : 0;
}

uint64_t
tcpsim_sock_received(const struct tcpsim_sock *s)
{
    return s->received;
}

const GByteArray *
tcpsim_sock_received_bytes(const struct tcpsim_sock *s)
{
    static const GByteArray empty = {0};
    return s->capture != NULL ? s->capture : &empty;
}

uint64_t
tcpsim_sock_foreign_bytes(const struct tcpsim_sock *s)
{
    return s->tcb ? s->tcb->rcv.foreign : 0;
}

guint
tcpsim_sock_pending(const struct tcpsim_sock *s)
{
    return s->nops;
}

struct tcp_tcb *
app_sock_tcb(const struct tcpsim_sock *s)
{
    return s->tcb;
}
