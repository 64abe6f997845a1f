/* SPDX-License-Identifier: MIT */
/*
 * tcp_listen.c: a listener's SYN queue and accept queue, as Linux keeps them.
 *
 * Entry points: tcp_listen_syn() (§3.10.7.2 third step), tcp_listen_ack() (second step),
 * tcp_listen_overflow(), tcp_listen_accept(), tcp_listen_close().
 *
 * A SYN creates a child connection in SYN-RECEIVED that waits in the SYN queue; when its
 * handshake completes it moves to the accept queue, where accept() finds it. Both queues
 * are bounded by the listen backlog, min(backlog, somaxconn), and count as full only when
 * they hold *more* than it (Linux sk_acceptq_is_full(): listen(fd, 1) lets two wait).
 * Linux: when the accept queue is full, new SYNs are dropped (ListenOverflows) and a
 * handshake's final ACK is dropped too (the SYN-ACK timer resends), or answered with a
 * RST when tcp_abort_on_overflow is 1. When the SYN queue is full, SYN cookies answer
 * (tcp_syncookie.c) or, without them, the SYN is dropped (ListenDrops).
 */
#include <errno.h>

#include "tcp.h"

struct tcp_listen_q {
    uint32_t backlog; /* min(listen backlog, somaxconn) */
    GQueue syn_q;     /* children in SYN-RECEIVED */
    GQueue accept_q;  /* established children waiting for accept() */
    sim_time last_overflow; /* when the SYN queue last overflowed (cookies are valid 2 min) */
    bool overflowed;
};

void
tcp_listen_init(struct tcp_tcb *tcb, int backlog)
{
    const struct tcp_sysctl *s = &tcb->stack->sysctl;
    int64_t b = backlog < 0 ? 0 : backlog;
    if (b > s->somaxconn) {
        b = s->somaxconn; /* Linux: __sys_listen() caps the backlog at somaxconn */
    }
    if (tcb->lq == NULL) {
        tcb->lq = g_new0(struct tcp_listen_q, 1);
        g_queue_init(&tcb->lq->syn_q);
        g_queue_init(&tcb->lq->accept_q);
    }
    tcb->lq->backlog = (uint32_t)b;
}

static bool
freebsd_listener(const struct tcp_tcb *lst)
{
    return lst->stack->sysctl.personality == TCP_PERSONALITY_FREEBSD;
}

bool
tcp_listen_accept_full(const struct tcp_tcb *lst)
{
    if (freebsd_listener(lst)) {
        /* FreeBSD: sonewconn() refuses a connection once the queue holds more than
         * 3/2 of the backlog (sol_qlimit). */
        return lst->lq->accept_q.length > 3 * lst->lq->backlog / 2;
    }
    return lst->lq->accept_q.length > lst->lq->backlog;
}

/* FreeBSD: the SYN cache (tcp_syncache.c) is not bounded by the listen backlog, only by
 * its own size (net.inet.tcp.syncache.cachelimit, 512 buckets of 30): a SYN flood that
 * Linux answers with cookies after `backlog` half-open connections fills FreeBSD's
 * cache first. tcpsim counts the cache per listener and does not model its buckets. */
static bool
syn_queue_full(const struct tcp_tcb *lst)
{
    if (freebsd_listener(lst)) {
        return (int64_t)lst->lq->syn_q.length >= lst->stack->sysctl.tcp_max_syn_backlog;
    }
    return lst->lq->syn_q.length > lst->lq->backlog;
}

uint32_t
tcp_listen_accept_len(const struct tcp_tcb *lst)
{
    return lst->lq ? lst->lq->accept_q.length : 0;
}

uint32_t
tcp_listen_syn_len(const struct tcp_tcb *lst)
{
    return lst->lq ? lst->lq->syn_q.length : 0;
}

uint32_t
tcp_listen_backlog(const struct tcp_tcb *lst)
{
    return lst->lq ? lst->lq->backlog : 0;
}

bool
tcp_listen_cookies_expected(const struct tcp_tcb *lst)
{
    /* Linux: tcp_synq_no_recent_overflow(): a cookie is checked only if the SYN queue
     * overflowed in the last two minutes, or cookies are always on. */
    if (lst->stack->sysctl.tcp_syncookies == 2) {
        return true;
    }
    return lst->stack->sysctl.tcp_syncookies == 1 && lst->lq->overflowed &&
           lst->stack->q->now - lst->lq->last_overflow < SEC(120);
}

/* A new child, born from the listener as a copy of its settings. */
struct tcp_tcb *
tcp_listen_new_child(struct tcp_tcb *lst, const struct tcp_seg *seg)
{
    struct tcp_stack *st = lst->stack;
    struct tcp_tcb *child = tcp_tcb_new(st);
    child->id = (struct trace_sock){
        .laddr = seg->daddr, .lport = seg->dport, .raddr = seg->saddr, .rport = seg->sport};
    child->nodelay = lst->nodelay;
    child->cork = lst->cork;
    child->keepalive = lst->keepalive;
    child->keepidle = lst->keepidle;
    child->keepintvl = lst->keepintvl;
    child->keepcnt = lst->keepcnt;
    child->user_timeout = lst->user_timeout;
    child->user_mss = lst->user_mss;
    child->rcvbuf_locked = lst->rcvbuf_locked;
    child->sndbuf_locked = lst->sndbuf_locked;
    child->passive = true;
    tcp_buf_init(child, lst->snd.cap, lst->rcv.cap);
    tcp_options_init_local(child);
    if (!st->ops->attach(st->host, child)) {
        tcp_tcb_unref(child);
        return NULL;
    }
    tcp_fsm_born_listening(child);
    return child;
}

/* RFC 9293 §3.10.7.2 third step, with Linux's queue policy (tcp_conn_request()). */
struct tcp_verdict
tcp_listen_syn(struct tcp_tcb *lst, const struct tcp_seg *seg)
{
    struct tcp_stack *st = lst->stack;
    const struct tcp_sysctl *s = &st->sysctl;
    bool want_cookie = false;

    if (s->tcp_syncookies == 2 || syn_queue_full(lst)) {
        if (s->tcp_syncookies == 0) {
            tcp_mib_inc(st, TCP_MIB_LISTEN_DROPS);
            return VERDICT(TCP_ACT_DROP, TCP_DROP_SYN_QUEUE_FULL);
        }
        want_cookie = true;
        lst->lq->overflowed = true;
        lst->lq->last_overflow = st->q->now;
    }
    /* FreeBSD: syncache_add() takes a SYN whatever the accept queue holds; the final
     * ACK finds out (sonewconn(), tcp_listen_overflow()). */
    if (tcp_listen_accept_full(lst) && !freebsd_listener(lst)) {
        tcp_mib_inc(st, TCP_MIB_LISTEN_OVERFLOWS);
        tcp_mib_inc(st, TCP_MIB_LISTEN_DROPS);
        return VERDICT(TCP_ACT_DROP, TCP_DROP_LISTEN_OVERFLOW);
    }
    /* Linux: without cookies the last quarter of tcp_max_syn_backlog is kept for peers
     * proven alive; tcpsim remembers no peers, so that quarter is never used. */
    if (!want_cookie && s->tcp_syncookies == 0 && !freebsd_listener(lst) &&
        s->tcp_max_syn_backlog - (int64_t)lst->lq->syn_q.length < s->tcp_max_syn_backlog / 4) {
        tcp_mib_inc(st, TCP_MIB_LISTEN_DROPS);
        return VERDICT(TCP_ACT_DROP, TCP_DROP_SYN_QUEUE_FULL);
    }
    if (want_cookie) {
        tcp_syncookie_answer(lst, seg);
        return VERDICT_ACCEPT;
    }

    struct tcp_tcb *child = tcp_listen_new_child(lst, seg);
    if (child == NULL) {
        return VERDICT(TCP_ACT_DROP, TCP_DROP_LISTEN_OVERFLOW);
    }
    child->parent = lst;
    child->qlink.data = child;
    g_queue_push_tail_link(&lst->lq->syn_q, &child->qlink);

    /* "Set RCV.NXT to SEG.SEQ+1, IRS is set to SEG.SEQ, and any other control or text
     * should be queued for processing later. ISS should be selected and a SYN segment
     * sent of the form <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>. SND.NXT is set to ISS+1 and
     * SND.UNA to ISS. The connection state should be changed to SYN-RECEIVED."
     * Linux keeps no text from a SYN (without TCP Fast Open): the peer resends it. */
    child->irs = seg->seq;
    child->peer_stream = seg->stream;
    child->rcv_nxt = seq_add(seg->seq, 1);
    child->iss = tcp_listen_choose_isn(lst, child);
    child->snd_una = child->iss;
    child->snd_nxt = child->iss;
    child->snd_max = child->iss;
    tcp_options_negotiate(child, seg, false);
    child->rcv_wnd = tcp_initial_window(child, true);
    child->rcv_ssthresh = child->rcv_wnd;
    child->window_clamp = tcp_initial_window_clamp(child);
    child->rcv_adv = seq_add(child->rcv_nxt, child->rcv_wnd);
    child->snd_wnd = seg->win;
    child->max_snd_wnd = child->snd_wnd;
    child->snd_wl1 = seg->seq;
    child->last_rcv_at = st->q->now;
    tcp_set_state(child, TCP_SYN_RECEIVED, TCP_CAUSE_RCV_SYN);
    tcp_output(child);
    tcp_entry_done(child);
    return VERDICT_ACCEPT;
}

/* RFC 9293 §3.10.7.2 second step: an ACK to a listener is answered with <SEQ=SEG.ACK>
 * <CTL=RST>, unless it carries a valid SYN cookie (RFC 4987 §3.6). */
struct tcp_verdict
tcp_listen_ack(struct tcp_tcb *lst, const struct tcp_seg *seg)
{
    if (!seg_has(seg, TCP_SYN) && tcp_listen_cookies_expected(lst)) {
        return tcp_syncookie_check(lst, seg);
    }
    return VERDICT(TCP_ACT_DROP_RST, TCP_DROP_LISTEN_ACK);
}

/* The handshake's final ACK found the accept queue full (Linux tcp_check_req(),
 * listen_overflow). */
struct tcp_verdict
tcp_listen_overflow(struct tcp_tcb *child)
{
    struct tcp_stack *st = child->stack;
    tcp_mib_inc(st, TCP_MIB_LISTEN_OVERFLOWS);
    tcp_mib_inc(st, TCP_MIB_LISTEN_DROPS);
    if (st->sysctl.tcp_abort_on_overflow) {
        /* Reset the half-open connection: <SEQ=SEG.ACK><CTL=RST>, and forget it. */
        tcp_set_state(child, TCP_CLOSED, TCP_CAUSE_ACCEPT_OVERFLOW);
        return VERDICT(TCP_ACT_DROP_RST, TCP_DROP_ACCEPT_OVERFLOW);
    }
    /* Forget the ACK; the SYN-ACK timer keeps running and the peer, who believes it is
     * established, retransmits its data until there is room. */
    return VERDICT(TCP_ACT_DROP, TCP_DROP_ACCEPT_OVERFLOW);
}

/* A child in the SYN queue completed its handshake: it waits for accept(). */
void
tcp_listen_child_established(struct tcp_tcb *child)
{
    struct tcp_tcb *lst = child->parent;
    if (!child->in_accept_q && child->qlink.data != NULL) {
        g_queue_unlink(&lst->lq->syn_q, &child->qlink);
    }
    child->qlink.data = child;
    child->in_accept_q = true;
    g_queue_push_tail_link(&lst->lq->accept_q, &child->qlink);
    tcp_wakeup(lst, TCP_WAKE_ACCEPT);
}

void
tcp_listen_child_gone(struct tcp_tcb *child)
{
    struct tcp_tcb *lst = child->parent;
    g_queue_unlink(child->in_accept_q ? &lst->lq->accept_q : &lst->lq->syn_q, &child->qlink);
    child->qlink = (GList){0};
    child->in_accept_q = false;
    child->parent = NULL;
}

struct tcp_tcb *
tcp_listen_accept(struct tcp_tcb *lst)
{
    GList *l = g_queue_pop_head_link(&lst->lq->accept_q);
    if (l == NULL) {
        return NULL;
    }
    struct tcp_tcb *child = l->data;
    child->qlink = (GList){0};
    child->in_accept_q = false;
    child->parent = NULL;
    return child;
}

/* The listener closed (Linux inet_csk_listen_stop()): half-open children vanish without
 * a word; established ones nobody accepted are reset. */
void
tcp_listen_close(struct tcp_tcb *lst)
{
    struct tcp_listen_q *lq = lst->lq;
    GList *l;
    while ((l = g_queue_peek_head_link(&lq->syn_q)) != NULL) {
        struct tcp_tcb *child = l->data;
        tcp_set_state(child, TCP_CLOSED, TCP_CAUSE_LISTENER_CLOSED);
        tcp_entry_done(child);
    }
    while ((l = g_queue_peek_head_link(&lq->accept_q)) != NULL) {
        struct tcp_tcb *child = l->data;
        tcp_output_rst(child);
        tcp_fail(child, ECONNRESET, TCP_CAUSE_LISTENER_CLOSED);
        tcp_entry_done(child);
    }
    g_free(lq);
    lst->lq = NULL;
}

void
tcp_listen_forget(struct tcp_tcb *lst)
{
    GList *l;
    while ((l = g_queue_pop_head_link(&lst->lq->syn_q)) != NULL) {
        struct tcp_tcb *child = l->data;
        child->parent = NULL;
    }
    while ((l = g_queue_pop_head_link(&lst->lq->accept_q)) != NULL) {
        struct tcp_tcb *child = l->data;
        child->parent = NULL;
        child->in_accept_q = false;
    }
    g_free(lst->lq);
    lst->lq = NULL;
}
