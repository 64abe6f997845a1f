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

#include "../trace/strbuf.h"
#include "world.h"

#define CAPTURE_MAX (64u * 1024u) /* received bytes kept for `expect ... received "text"` */
#define RECV_ANY_MAX (1u << 20)  /* what one recv() without a size takes at most */

enum app_verb {
    APP_LISTEN,
    APP_CONNECT,
    APP_ACCEPT,
    APP_SEND,
    APP_RECV,
    APP_SHUTDOWN,
    APP_CLOSE,
    APP_ABORT,
    APP_SETOPT,
};

struct app_op {
    enum app_verb verb;
    uint64_t n;      /* bytes to send or receive (0 for recv: any) */
    uint64_t done;   /* bytes so far */
    uint8_t *text;   /* send: the bytes, or NULL for the pattern */
    uint32_t addr;
    uint16_t port;
    uint16_t from_port;
    int backlog;
    bool rd;
    bool wr;
    struct tcpsim_sock *into;
    const struct sockopt *opt;
    int64_t val;
    char *val_text;
    bool started;    /* its "..." line was printed */
    bool begun;      /* connect: the connection was created */
};

struct tcpsim_sock {
    struct tcpsim_sim *sim;
    struct host *host;
    char *name;
    struct tcp_tcb *tcb;
    GQueue ops;
    struct ev wake;
    bool awaiting_accept; /* the target of a pending accept(): calls wait for it */
    bool closed;
    int last_error;
    uint64_t received;
    GByteArray *capture;
    /* Options set before there is a connection to apply them to. */
    bool nodelay;
    bool keepalive;
    sim_time keepidle;
    sim_time keepintvl;
    int64_t keepcnt;
    sim_time user_timeout;
    int64_t rcvbuf;
    int64_t sndbuf;
    bool linger_zero;
    uint16_t listen_port;
};

/* The options setsockopt() knows: scenario name, the real constant, and the value's
 * kind (a bare number of a time option is in the unit the real option uses). */
enum sockopt_kind { OPT_BOOL, OPT_INT, OPT_TIME, OPT_SIZE };
struct sockopt {
    const char *name;
    const char *constant;
    enum sockopt_kind kind;
    sim_time bare_unit;
};

static const struct sockopt sockopts[] = {
    {"nodelay", "TCP_NODELAY", OPT_BOOL, 0},
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

static void sock_run(struct tcpsim_sock *s);
static void submit(struct tcpsim_sock *s, struct app_op *op);
static struct app_op *op_new(enum app_verb verb);

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
    if (s == NULL || s->tcb != tcb || s->ops.length == 0 || ev_pending(&s->wake)) {
        return;
    }
    ev_schedule(&s->sim->q, &s->wake, s->sim->q.now);
}

struct tcpsim_sock *
tcpsim_socket(struct tcpsim_sim *sim, int host, const char *name)
{
    g_return_val_if_fail(host >= 0 && host < sim->nhosts, NULL);
    struct tcpsim_sock *s = g_new0(struct tcpsim_sock, 1);
    s->sim = sim;
    s->host = sim->hosts[host];
    s->name = g_strdup(name);
    g_queue_init(&s->ops);
    ev_init(&s->wake, wake_fired, "app");
    s->capture = g_byte_array_new();
    g_ptr_array_add(sim->socks, s);
    return s;
}

static void
op_free(struct app_op *op)
{
    g_free(op->text);
    g_free(op->val_text);
    g_free(op);
}

void
app_sock_free(gpointer p)
{
    struct tcpsim_sock *s = p;
    ev_cancel(&s->sim->q, &s->wake);
    struct app_op *op;
    while ((op = g_queue_pop_head(&s->ops)) != NULL) {
        op_free(op);
    }
    if (s->tcb) {
        s->tcb->user = NULL;
        tcp_tcb_unref(s->tcb);
    }
    g_byte_array_unref(s->capture);
    g_free(s->name);
    g_free(s);
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

/* --- tracing calls ---------------------------------------------------------------- */

static const char *
sname(const struct tcpsim_sock *s)
{
    return s->name ? s->name : "?";
}

/* A listener without a name is called by its port. */
static void
put_listener(struct strbuf *sb, const struct tcpsim_sock *s)
{
    if (s->name) {
        sb_puts(sb, s->name);
    } else {
        sb_putu(sb, s->tcb ? s->tcb->id.lport : s->listen_port);
    }
}

static void
put_text(struct strbuf *sb, const uint8_t *t, uint64_t n)
{
    sb_putc(sb, '"');
    for (uint64_t i = 0; i < n && i < 32; i++) {
        char c = (char)t[i];
        if (c == '"' || c == '\\') {
            sb_putc(sb, '\\');
            sb_putc(sb, c);
        } else if (c == '\n') {
            sb_puts(sb, "\\n");
        } else if (c == '\r') {
            sb_puts(sb, "\\r");
        } else if (c == '\t') {
            sb_puts(sb, "\\t");
        } else if (c >= 0x20 && c < 0x7F) {
            sb_putc(sb, c);
        } else {
            static const char hex[] = "0123456789abcdef";
            sb_puts(sb, "\\x");
            sb_putc(sb, hex[(t[i] >> 4) & 0xF]);
            sb_putc(sb, hex[t[i] & 0xF]);
        }
    }
    sb_putc(sb, '"');
    if (n > 32) {
        sb_puts(sb, "...");
    }
}

static void
put_call(struct strbuf *sb, const struct tcpsim_sock *s, const struct app_op *op)
{
    switch (op->verb) {
    case APP_LISTEN:
        sb_puts(sb, "listen(");
        if (s->name) {
            sb_puts(sb, s->name);
            sb_puts(sb, ", ");
        }
        sb_putu(sb, op->port);
        sb_puts(sb, ", backlog ");
        sb_puti(sb, op->backlog);
        break;
    case APP_CONNECT:
        sb_puts(sb, "connect(");
        sb_puts(sb, sname(s));
        sb_puts(sb, ", ");
        sb_put_ip(sb, op->addr);
        sb_putc(sb, ':');
        sb_putu(sb, op->port);
        if (op->from_port) {
            sb_puts(sb, ", from ");
            sb_putu(sb, op->from_port);
        }
        break;
    case APP_ACCEPT:
        sb_puts(sb, "accept(");
        put_listener(sb, s);
        break;
    case APP_SEND:
        sb_puts(sb, "send(");
        sb_puts(sb, sname(s));
        sb_puts(sb, ", ");
        if (op->text) {
            put_text(sb, op->text, op->n);
        } else {
            sb_putu(sb, op->n);
        }
        break;
    case APP_RECV:
        sb_puts(sb, "recv(");
        sb_puts(sb, sname(s));
        if (op->n) {
            sb_puts(sb, ", ");
            sb_putu(sb, op->n);
        }
        break;
    case APP_SHUTDOWN:
        sb_puts(sb, "shutdown(");
        sb_puts(sb, sname(s));
        sb_puts(sb, op->rd && op->wr ? ", SHUT_RDWR" : op->rd ? ", SHUT_RD" : ", SHUT_WR");
        break;
    case APP_CLOSE:
        sb_puts(sb, "close(");
        sb_puts(sb, sname(s));
        break;
    case APP_ABORT:
        sb_puts(sb, "close(");
        sb_puts(sb, sname(s));
        sb_puts(sb, ") [SO_LINGER 0");
        sb_putc(sb, ']');
        return;
    case APP_SETOPT:
        sb_puts(sb, "setsockopt(");
        sb_puts(sb, sname(s));
        sb_puts(sb, ", ");
        sb_puts(sb, op->opt->constant);
        sb_puts(sb, ", ");
        sb_puts(sb, op->val_text);
        break;
    }
    sb_putc(sb, ')');
}

static void
trace_app(struct tcpsim_sock *s, const struct app_op *op, bool returned, int64_t result)
{
    struct tcpsim_sim *sim = s->sim;
    if (!G_UNLIKELY(trace_wants(&sim->trace, TRACE_APP))) {
        return;
    }
    char line[512];
    struct strbuf sb;
    sb_init(&sb, line, sizeof line);
    put_call(&sb, s, op);
    if (!returned) {
        sb_puts(&sb, " ...");
    } else if (result < 0) {
        sb_puts(&sb, " = -1 ");
        sb_puts(&sb, tcpsim_errno_name((int)-result));
        sb_puts(&sb, " (");
        sb_puts(&sb, tcpsim_errno_text((int)-result));
        sb_putc(&sb, ')');
    } else if (op->verb == APP_ACCEPT && op->into) {
        sb_puts(&sb, " = ");
        sb_puts(&sb, sname(op->into));
        sb_putc(&sb, ' ');
        struct tcp_tcb *c = op->into->tcb;
        sb_put_ip(&sb, c->id.raddr);
        sb_putc(&sb, '.');
        sb_putu(&sb, c->id.rport);
    } else {
        sb_puts(&sb, " = ");
        sb_puti(&sb, result);
    }
    struct trace_event ev = {
        .kind = TRACE_APP,
        .at = sim->q.now,
        .host = s->host->name,
        .text = line,
    };
    trace_emit(&sim->trace, &ev);
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
    if (into->ops.length && !ev_pending(&into->wake)) {
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
        int64_t r = tcp_user_send(s->tcb, chunk, op->text ? op->text + op->done : NULL);
        if (r < 0) {
            return r == -EAGAIN || op->done == 0 ? r : (int64_t)op->done;
        }
        op->done += (uint64_t)r;
    }
    return (int64_t)op->done;
}

static int64_t
try_recv(struct tcpsim_sock *s, struct app_op *op)
{
    if (s->tcb == NULL) {
        return -ENOTCONN;
    }
    uint8_t buf[4096];
    for (;;) {
        uint64_t want = op->n ? op->n - op->done : RECV_ANY_MAX;
        bool keep = s->capture->len < CAPTURE_MAX;
        uint32_t max = want > UINT32_MAX ? UINT32_MAX : (uint32_t)want;
        if (keep && max > sizeof buf) {
            max = sizeof buf;
        }
        int64_t r = tcp_user_recv(s->tcb, max, keep ? buf : NULL);
        if (r > 0) {
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

/* Applies an option now, to the socket and to its connection if it has one. */
static int64_t
apply_option(struct tcpsim_sock *s, const struct app_op *op)
{
    struct tcp_tcb *t = s->tcb;
    const char *name = op->opt->name;
    int64_t v = op->val;
    if (strcmp(name, "rcvbuf") == 0 || strcmp(name, "sndbuf") == 0) {
        if (t != NULL && t->state != TCP_CLOSED) {
            return -EISCONN; /* buffers are sized when the connection is made */
        }
        *(name[0] == 'r' ? &s->rcvbuf : &s->sndbuf) = v;
        return 0;
    }
    if (strcmp(name, "nodelay") == 0) {
        s->nodelay = v != 0;
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
        t->nodelay = s->nodelay;
        t->keepalive = s->keepalive;
        t->keepidle = s->keepidle;
        t->keepintvl = s->keepintvl;
        t->keepcnt = (uint16_t)s->keepcnt;
        t->user_timeout = s->user_timeout;
        tcp_timer_keepalive_reset(t);
        tcp_output(t); /* TCP_NODELAY pushes what Nagle held */
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
                    "unknown socket option \"%s\"; expected nodelay, keepalive, keepidle, "
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
    struct app_op *op = op_new(APP_SETOPT);
    op->opt = o;
    op->val = v;
    op->val_text = g_strdup(value);
    submit(s, op);
    return TRUE;
}

static int64_t
try_op(struct tcpsim_sock *s, struct app_op *op)
{
    switch (op->verb) {
    case APP_LISTEN:
        if (s->tcb == NULL) {
            s->tcb = new_tcb(s);
        }
        s->listen_port = op->port;
        return host_listen(s->host, s->tcb, op->port, op->backlog);
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
        return apply_option(s, op);
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
    while (!s->awaiting_accept && (op = g_queue_peek_head(&s->ops)) != NULL) {
        bool closed_before = s->closed && op->verb != APP_CLOSE && op->verb != APP_ABORT;
        if (!op->started && !closed_before && usually_blocks(op->verb)) {
            trace_app(s, op, false, 0);
            op->started = true;
        }
        int64_t r = closed_before ? -EBADF : try_op(s, op);
        if (r == -EAGAIN) {
            if (!op->started) {
                trace_app(s, op, false, 0);
                op->started = true;
            }
            return;
        }
        op->started = true;
        if (r < 0) {
            s->last_error = (int)-r;
        }
        trace_app(s, op, true, r);
        g_queue_pop_head(&s->ops);
        op_free(op);
    }
}

static void
submit(struct tcpsim_sock *s, struct app_op *op)
{
    g_queue_push_tail(&s->ops, op);
    if (s->ops.length == 1) {
        sock_run(s);
    }
}

static struct app_op *
op_new(enum app_verb verb)
{
    struct app_op *op = g_new0(struct app_op, 1);
    op->verb = verb;
    return op;
}

void
tcpsim_listen(struct tcpsim_sock *s, uint16_t port, int backlog)
{
    struct app_op *op = op_new(APP_LISTEN);
    op->port = port;
    op->backlog = backlog;
    submit(s, op);
}

void
tcpsim_connect(struct tcpsim_sock *s, uint32_t addr, uint16_t port, uint16_t from_port)
{
    struct app_op *op = op_new(APP_CONNECT);
    op->addr = addr;
    op->port = port;
    op->from_port = from_port;
    submit(s, op);
}

void
tcpsim_accept(struct tcpsim_sock *listener, struct tcpsim_sock *into)
{
    struct app_op *op = op_new(APP_ACCEPT);
    op->into = into;
    into->awaiting_accept = true;
    submit(listener, op);
}

void
tcpsim_send(struct tcpsim_sock *s, uint64_t len, const uint8_t *text)
{
    struct app_op *op = op_new(APP_SEND);
    op->n = len;
    op->text = text ? g_memdup2(text, len) : NULL;
    submit(s, op);
}

void
tcpsim_recv(struct tcpsim_sock *s, uint64_t len)
{
    struct app_op *op = op_new(APP_RECV);
    op->n = len;
    submit(s, op);
}

void
tcpsim_shutdown(struct tcpsim_sock *s, bool rd, bool wr)
{
    struct app_op *op = op_new(APP_SHUTDOWN);
    op->rd = rd;
    op->wr = wr;
    submit(s, op);
}

void
tcpsim_close(struct tcpsim_sock *s)
{
    submit(s, op_new(APP_CLOSE));
}

void
tcpsim_abort(struct tcpsim_sock *s)
{
    submit(s, op_new(APP_ABORT));
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
    return s->capture;
}

uint64_t
tcpsim_sock_foreign_bytes(const struct tcpsim_sock *s)
{
    return s->tcb ? s->tcb->rcv.foreign : 0;
}

guint
tcpsim_sock_pending(const struct tcpsim_sock *s)
{
    return s->ops.length;
}
