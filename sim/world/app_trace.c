/* SPDX-License-Identifier: MIT */
/*
 * app_trace.c: application calls as the trace shows them, strace-style:
 * "connect(c, 10.0.0.2:80) ..." when a call starts waiting, "... = 0" or
 * "= -1 ECONNREFUSED (Connection refused)" when it returns.
 */
#include "../trace/strbuf.h"
#include "app.h"

/* A socket by its name; a listener without one by its port, as the scenario names it
 * (`B close 80`), even once closed. */
static void
put_sock(struct strbuf *sb, const struct tcpsim_sock *s)
{
    if (s->name) {
        sb_puts(sb, s->name);
    } else if (s->tcb && s->tcb->state == TCP_LISTEN) {
        sb_putu(sb, s->tcb->id.lport);
    } else if (s->listen_port) {
        sb_putu(sb, s->listen_port);
    } else {
        sb_putc(sb, '?');
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
        put_sock(sb, s);
        sb_puts(sb, ", ");
        if (ip_is6(&op->addr)) {
            sb_putc(sb, '['); /* [2001:db8::2]:80, as a socket address is written */
            sb_put_ip(sb, &op->addr);
            sb_putc(sb, ']');
        } else {
            sb_put_ip(sb, &op->addr);
        }
        sb_putc(sb, ':');
        sb_putu(sb, op->port);
        if (op->from_port) {
            sb_puts(sb, ", from ");
            sb_putu(sb, op->from_port);
        }
        break;
    case APP_ACCEPT:
        sb_puts(sb, "accept(");
        put_sock(sb, s);
        break;
    case APP_SEND:
        sb_puts(sb, "send(");
        put_sock(sb, s);
        sb_puts(sb, ", ");
        if (op->text) {
            put_text(sb, op->text, op->n);
        } else {
            sb_putu(sb, op->n);
        }
        if (op->more) {
            sb_puts(sb, ", MSG_MORE");
        }
        break;
    case APP_RECV:
        sb_puts(sb, "recv(");
        put_sock(sb, s);
        if (op->n) {
            sb_puts(sb, ", ");
            sb_putu(sb, op->n);
        }
        break;
    case APP_SHUTDOWN:
        sb_puts(sb, "shutdown(");
        put_sock(sb, s);
        sb_puts(sb, op->rd && op->wr ? ", SHUT_RDWR" : op->rd ? ", SHUT_RD" : ", SHUT_WR");
        break;
    case APP_CLOSE:
        sb_puts(sb, "close(");
        put_sock(sb, s);
        break;
    case APP_ABORT:
        sb_puts(sb, "close(");
        put_sock(sb, s);
        sb_puts(sb, ") [SO_LINGER 0");
        sb_putc(sb, ']');
        return;
    case APP_SETOPT:
        sb_puts(sb, "setsockopt(");
        put_sock(sb, s);
        sb_puts(sb, ", ");
        sb_puts(sb, op->opt->constant);
        sb_puts(sb, ", ");
        sb_puts(sb, op->val_text);
        break;
    }
    sb_putc(sb, ')');
}

/* The call's name, as the JSON lines trace gives it. */
static const char *
call_name(const struct app_op *op)
{
    switch (op->verb) {
    case APP_LISTEN:
        return "listen";
    case APP_CONNECT:
        return "connect";
    case APP_ACCEPT:
        return "accept";
    case APP_SEND:
        return "send";
    case APP_RECV:
        return "recv";
    case APP_SHUTDOWN:
        return "shutdown";
    case APP_CLOSE:
    case APP_ABORT:
        return "close";
    case APP_SETOPT:
        return "setsockopt";
    }
    return "?";
}

void
app_trace_call(struct tcpsim_sock *s, const struct app_op *op, bool returned, int64_t result)
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
        put_sock(&sb, op->into);
        sb_putc(&sb, ' ');
        struct tcp_tcb *c = op->into->tcb;
        sb_put_ip(&sb, &c->id.raddr);
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
        .reason = call_name(op),
        .a = returned ? result : 0,
        .b = returned,
        .c = returned && result < 0 ? -result : 0,
        .to = returned && result < 0 ? tcpsim_errno_name((int)-result) : NULL,
    };
    ev.sock.name = s->name;
    if (s->tcb != NULL) {
        ev.sock.laddr = s->tcb->id.laddr;
        ev.sock.lport = s->tcb->id.lport;
        ev.sock.raddr = s->tcb->id.raddr;
        ev.sock.rport = s->tcb->id.rport;
    }
    trace_emit(&sim->trace, &ev);
}

