/* SPDX-License-Identifier: MIT */
/*
 * pkt_io.c: the data calls: read, recv, recvmsg, write, send, sendmsg, poll.
 *
 * Entry point: pkt_io_find() (the call table). Linux's semantics: a blocking read
 * returns as soon as anything is there (all of it with MSG_WAITALL), 0 at the end of
 * the stream; a blocking write returns when every byte is in the send buffer, sleeping
 * while it is full; the non-blocking forms take what they can or answer EAGAIN. poll()
 * computes Linux's tcp_poll() mask and waits up to its timeout.
 *
 * recvmsg() reports TCP_CM_INQ (with TCP_INQ on) as Linux's tcp_inq_hint() does. A send
 * with MSG_MORE corks its data for that call (tcp_user_send_more()). Flags tcpsim does
 * not model (MSG_PEEK, MSG_ZEROCOPY, MSG_OOB) and other ancillary data are refused as
 * unsupported, with the location.
 */
#include <errno.h>
#include <string.h>

#include "pkt_run.h"

#define MSG_OOB_ 0x1
#define MSG_PEEK_ 0x2
#define MSG_TRUNC_ 0x20
#define MSG_DONTWAIT_ 0x40
#define MSG_WAITALL_ 0x100
#define MSG_ERRQUEUE_ 0x2000
#define MSG_NOSIGNAL_ 0x4000
#define MSG_MORE_ 0x8000

static enum pkt_step
done(struct pkt_call *c, int64_t result)
{
    c->result = result;
    return PKT_STEP_DONE;
}

/* msg_iov(N)=[{..., len}, ...]: the total length; FALSE with the run stopped. */
static bool
iov_total(struct pkt_runner *r, const struct pkt_expr *iov, int64_t *total)
{
    if (iov->kind != PKT_E_LIST) {
        pkt_stop_error(r, iov->loc, "expected msg_iov(N)=[{..., LEN}, ...]");
        return false;
    }
    for (guint i = 0; i < iov->items->len; i++) {
        const struct pkt_expr *v = g_ptr_array_index(iov->items, i);
        if (v->kind != PKT_E_STRUCT || v->items->len != 2) {
            pkt_stop_error(r, v->loc, "expected {..., LEN} in msg_iov");
            return false;
        }
        int64_t len = 0;
        if (!pkt_arg_int(r, g_ptr_array_index(v->items, 1), &len)) {
            return false;
        }
        *total += len;
    }
    return true;
}

/* msg_control=[{cmsg_level=SOL_TCP, cmsg_type=TCP_CM_INQ, cmsg_data=N}]: the one
 * control message tcpsim knows, the bytes left to read after a recvmsg(). */
static bool
cmsg_inq(struct pkt_runner *r, struct pkt_call *c, const struct pkt_expr *list)
{
    const struct pkt_expr *m = list->kind == PKT_E_LIST && list->items->len == 1
                                   ? g_ptr_array_index(list->items, 0)
                                   : NULL;
    int64_t level = -1;
    int64_t type = -1;
    bool data = false;
    for (guint i = 0; m != NULL && m->kind == PKT_E_STRUCT && i < m->items->len; i++) {
        const struct pkt_expr *f = g_ptr_array_index(m->items, i);
        if (f->kind != PKT_E_ASSIGN || f->lhs->kind != PKT_E_WORD) {
            continue;
        }
        int64_t *dst = strcmp(f->lhs->str, "cmsg_level") == 0  ? &level
                       : strcmp(f->lhs->str, "cmsg_type") == 0 ? &type
                       : strcmp(f->lhs->str, "cmsg_data") == 0 ? &c->inq_want
                                                               : NULL;
        if (dst != NULL && !pkt_arg_int(r, f->rhs, dst)) {
            return false;
        }
        data |= dst == &c->inq_want;
    }
    if (level != 6 || type != 36 || !data || strcmp(c->ev->sc->name, "recvmsg") != 0) {
        pkt_stop_unsupported(r, list->loc, "ancillary data other than TCP_CM_INQ on recvmsg");
        return false;
    }
    c->has_inq = true;
    return true;
}

/* {msg_name(...)=..., msg_iov(N)=[...], msg_flags=F}: the bytes the iovecs hold. */
static bool
msghdr_len(struct pkt_runner *r, struct pkt_call *c, const struct pkt_expr *m, int64_t *len)
{
    if (m->kind != PKT_E_STRUCT) {
        pkt_stop_error(r, m->loc, "expected a msghdr {msg_name(...)=..., msg_iov(N)=[...], "
                       "msg_flags=0}");
        return false;
    }
    for (guint i = 0; i < m->items->len; i++) {
        const struct pkt_expr *f = g_ptr_array_index(m->items, i);
        const char *name = f->kind == PKT_E_ASSIGN ? f->lhs->str : NULL;
        if (name == NULL) {
            pkt_stop_error(r, f->loc, "expected name=value in a msghdr");
            return false;
        }
        if (strcmp(name, "msg_iov") == 0) {
            if (!iov_total(r, f->rhs, len)) {
                return false;
            }
        } else if (strcmp(name, "msg_control") == 0) {
            if (!cmsg_inq(r, c, f->rhs)) {
                return false;
            }
        } else if (strcmp(name, "msg_name") != 0 && strcmp(name, "msg_flags") != 0) {
            pkt_stop_unsupported(r, f->loc, "msghdr field %s", name);
            return false;
        }
    }
    return true;
}

/* Decodes (fd, buffer-or-msghdr, [count], [flags]) on the first step. */
static bool
decode(struct pkt_runner *r, struct pkt_call *c, bool msg, bool has_count, bool has_flags,
       bool msg_more_ok)
{
    bool ok = false;
    c->sock = pkt_arg_sock(r, c, 0, &ok);
    if (!ok) {
        return false;
    }
    const struct pkt_expr *buf = pkt_arg(r, c, 1);
    if (buf == NULL || (msg && !msghdr_len(r, c, buf, &c->want))) {
        return false;
    }
    guint i = 2;
    if (has_count) {
        const struct pkt_expr *n = pkt_arg(r, c, i++);
        if (n == NULL || !pkt_arg_int(r, n, &c->want)) {
            return false;
        }
    }
    int64_t flags = 0;
    if (has_flags) {
        const struct pkt_expr *f = pkt_arg(r, c, i);
        if (f == NULL || !pkt_arg_int(r, f, &flags)) {
            return false;
        }
    }
    int64_t known = MSG_DONTWAIT_ | MSG_WAITALL_ | MSG_NOSIGNAL_ | (msg_more_ok ? MSG_MORE_ : 0);
    if (flags & ~known) {
        pkt_stop_unsupported(r, c->ev->sc->name_loc, "%s flags 0x%" G_GINT64_MODIFIER "x "
                             "(MSG_PEEK, MSG_OOB and MSG_ZEROCOPY are not modelled; MSG_MORE "
                             "only on a send)", c->ev->sc->name, flags & ~known);
        return false;
    }
    c->flags = (int)flags;
    if (c->want < 0) {
        c->result = -EINVAL;
    }
    return true;
}

static bool
nonblocking(const struct pkt_call *c)
{
    return c->sock->nonblock || (c->flags & MSG_DONTWAIT_);
}

static enum pkt_step
do_read(struct pkt_runner *r, struct pkt_call *c, bool first, bool msg, bool has_flags)
{
    if (first && (c->result = 0, !decode(r, c, msg, !msg, has_flags, false))) {
        return PKT_STEP_STOP;
    }
    if (c->sock == NULL || c->result < 0) {
        return PKT_STEP_DONE;
    }
    struct tcp_tcb *t = c->sock->tcb;
    if (t == NULL) {
        return done(c, c->done > 0 ? c->done : -EBADF);
    }
    if (t->state == TCP_LISTEN) {
        return done(c, -ENOTCONN);
    }
    bool all = (c->flags & MSG_WAITALL_) != 0;
    while (c->done < c->want) {
        int64_t left = c->want - c->done;
        int64_t n = tcp_user_recv(t, (uint32_t)MIN(left, (int64_t)UINT32_MAX), NULL);
        if (n > 0) {
            c->done += n;
            continue;
        }
        if (n == 0) {
            break; /* end of stream */
        }
        if (n != -EAGAIN) {
            return done(c, c->done > 0 ? c->done : n);
        }
        if (c->done > 0 && !all) {
            break;
        }
        if (nonblocking(c)) {
            return done(c, c->done > 0 ? c->done : -EAGAIN);
        }
        return PKT_STEP_BLOCKED;
    }
    return done(c, c->done);
}

static enum pkt_step
do_write(struct pkt_runner *r, struct pkt_call *c, bool first, bool msg, bool has_flags)
{
    if (first && (c->result = 0, !decode(r, c, msg, !msg, has_flags, true))) {
        return PKT_STEP_STOP;
    }
    if (c->sock == NULL || c->result < 0) {
        return PKT_STEP_DONE;
    }
    struct tcp_tcb *t = c->sock->tcb;
    if (t == NULL) {
        return done(c, c->done > 0 ? c->done : -EBADF);
    }
    while (c->done < c->want) {
        int64_t left = c->want - c->done;
        int64_t n = tcp_user_send_more(t, (uint32_t)MIN(left, (int64_t)UINT32_MAX), NULL,
                                       (c->flags & MSG_MORE_) != 0);
        if (n > 0) {
            c->done += n;
            continue;
        }
        if (n == -EAGAIN && !nonblocking(c)) {
            return PKT_STEP_BLOCKED;
        }
        return done(c, c->done > 0 ? c->done : n);
    }
    return done(c, c->done);
}

static enum pkt_step
io_read(struct pkt_runner *r, struct pkt_call *c, bool first)
{
    return do_read(r, c, first, false, false);
}

static enum pkt_step
io_recv(struct pkt_runner *r, struct pkt_call *c, bool first)
{
    return do_read(r, c, first, false, true);
}

/* Linux: tcp_inq_hint(): the bytes still queued after the read, 1 when none are but the
 * peer's FIN has come (the "fake byte" that tells a reader EOF is next). */
static enum pkt_step
io_recvmsg(struct pkt_runner *r, struct pkt_call *c, bool first)
{
    enum pkt_step st = do_read(r, c, first, true, true);
    if (st != PKT_STEP_DONE || !c->has_inq || c->result < 0 || c->sock == NULL) {
        return st;
    }
    const struct tcp_tcb *t = c->sock->tcb;
    if (!c->sock->inq || t == NULL) {
        pkt_fail(r, c->ev->loc, "recvmsg: no TCP_CM_INQ message (TCP_INQ is not on)");
        return PKT_STEP_STOP;
    }
    int64_t inq = tcp_rcv_queued(t);
    if (inq == 0 && t->fin_received) {
        inq = 1;
    }
    if (inq != c->inq_want) {
        pkt_fail(r, c->ev->loc, "recvmsg: TCP_CM_INQ expected %" G_GINT64_FORMAT " but got %"
                 G_GINT64_FORMAT, c->inq_want, inq);
        return PKT_STEP_STOP;
    }
    return st;
}

static enum pkt_step
io_write(struct pkt_runner *r, struct pkt_call *c, bool first)
{
    return do_write(r, c, first, false, false);
}

static enum pkt_step
io_send(struct pkt_runner *r, struct pkt_call *c, bool first)
{
    return do_write(r, c, first, false, true);
}

static enum pkt_step
io_sendmsg(struct pkt_runner *r, struct pkt_call *c, bool first)
{
    return do_write(r, c, first, true, true);
}

/* --- poll ----------------------------------------------------------------------- */

enum {
    POLLIN_ = 0x1, POLLOUT_ = 0x4, POLLERR_ = 0x8, POLLHUP_ = 0x10, POLLNVAL_ = 0x20,
    POLLRDNORM_ = 0x40, POLLWRNORM_ = 0x100, POLLRDHUP_ = 0x2000,
};

/* Linux: tcp_poll(). */
static int64_t
poll_mask(struct pkt_runner *r, int64_t fd)
{
    if (fd < 0 || fd >= (int64_t)r->fds->len || g_ptr_array_index(r->fds, fd) == NULL) {
        return POLLNVAL_;
    }
    const struct pkt_sock *s = g_ptr_array_index(r->fds, fd);
    const struct tcp_tcb *t = s->tcb;
    if (t == NULL) {
        return POLLNVAL_;
    }
    if (t->state == TCP_LISTEN) {
        return tcp_listen_accept_len(t) > 0 ? POLLIN_ | POLLRDNORM_ : 0;
    }
    int64_t mask = 0;
    bool rcv_shut = t->rd_shutdown || t->fin_received;
    bool snd_shut = t->fin_queued || (t->state == TCP_CLOSED && s->connect_started);
    if ((rcv_shut && snd_shut) || (t->state == TCP_CLOSED && s->connect_started)) {
        mask |= POLLHUP_;
    }
    if (rcv_shut) {
        mask |= POLLIN_ | POLLRDNORM_ | POLLRDHUP_;
    }
    if (t->state != TCP_SYN_SENT && t->state != TCP_SYN_RECEIVED && t->state != TCP_CLOSED) {
        if (tcp_rcv_queued(t) > 0) {
            mask |= POLLIN_ | POLLRDNORM_;
        }
        if (snd_shut || tcp_snd_writeable(t)) { /* Linux: __sk_stream_is_writeable() */
            mask |= POLLOUT_ | POLLWRNORM_;
        }
    }
    if (t->so_error) {
        mask |= POLLERR_;
    }
    return mask;
}

/* poll([{fd=N, events=E[, revents=R]}, ...], n, timeout_ms) */
static enum pkt_step
io_poll(struct pkt_runner *r, struct pkt_call *c, bool first)
{
    const struct pkt_expr *list = pkt_arg(r, c, 0);
    const struct pkt_expr *tmo = list ? pkt_arg(r, c, 2) : NULL;
    int64_t timeout = 0;
    if (tmo == NULL || !pkt_arg_int(r, tmo, &timeout) || list->kind != PKT_E_LIST) {
        if (list != NULL && list->kind != PKT_E_LIST && !r->done) {
            pkt_stop_error(r, list->loc, "expected [{fd=N, events=E, revents=R}, ...]");
        }
        return PKT_STEP_STOP;
    }
    if (first) {
        c->deadline = timeout < 0 ? SIM_TIME_NEVER
                                  : sim_time_add_mul(pkt_now(r), (uint64_t)timeout, MS(1));
    }
    int64_t ready = 0;
    bool mismatch = false;
    GString *got = g_string_new(NULL);
    for (guint i = 0; i < list->items->len; i++) {
        const struct pkt_expr *pfd = g_ptr_array_index(list->items, i);
        int64_t fd = -1, events = 0, want = -1;
        for (guint j = 0; pfd->kind == PKT_E_STRUCT && j < pfd->items->len; j++) {
            const struct pkt_expr *f = g_ptr_array_index(pfd->items, j);
            if (f->kind != PKT_E_ASSIGN || f->lhs->kind != PKT_E_WORD) {
                continue;
            }
            int64_t *dst = strcmp(f->lhs->str, "fd") == 0       ? &fd
                           : strcmp(f->lhs->str, "events") == 0 ? &events
                           : strcmp(f->lhs->str, "revents") == 0 ? &want
                                                                 : NULL;
            if (dst != NULL && !pkt_arg_int(r, f->rhs, dst)) {
                g_string_free(got, TRUE);
                return PKT_STEP_STOP;
            }
        }
        int64_t rev = poll_mask(r, fd) & (events | POLLERR_ | POLLHUP_ | POLLNVAL_);
        ready += rev != 0;
        mismatch |= want >= 0 && rev != want;
        g_string_append_printf(got, "%sfd %" G_GINT64_FORMAT " revents 0x%" G_GINT64_MODIFIER "x",
                               i ? ", " : "", fd, rev);
    }
    bool expired = pkt_now(r) >= c->deadline;
    if (ready == 0 && !expired) {
        if (c->deadline != SIM_TIME_NEVER) {
            pkt_retry_at(r, c->deadline);
        }
        g_string_free(got, TRUE);
        return PKT_STEP_BLOCKED;
    }
    if (mismatch) {
        pkt_fail(r, c->ev->loc, "poll: revents differ: %s", got->str);
        g_string_free(got, TRUE);
        return PKT_STEP_STOP;
    }
    g_string_free(got, TRUE);
    return done(c, ready);
}

static const struct pkt_sys calls[] = {
    {"read", io_read},       {"recv", io_recv},   {"recvmsg", io_recvmsg},
    {"write", io_write},     {"send", io_send},   {"sendmsg", io_sendmsg},
    {"poll", io_poll},
};

const struct pkt_sys *
pkt_io_find(const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(calls); i++) {
        if (strcmp(calls[i].name, name) == 0) {
            return &calls[i];
        }
    }
    return NULL;
}
