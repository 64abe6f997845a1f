/* SPDX-License-Identifier: MIT */
/*
 * tcp_user.c: the application's calls (RFC 9293 §3.10.1-3.10.5), with Linux's results.
 *
 * Entry points: tcp_user_listen(), tcp_user_connect() (OPEN), tcp_user_send() (SEND),
 * tcp_user_recv() (RECEIVE), tcp_user_shutdown(), tcp_user_close() (CLOSE),
 * tcp_user_abort() (ABORT). Results are errno-style: a count or 0 on success, a negative
 * errno on failure (-EAGAIN: would block; the caller waits for a wakeup). The host has
 * already bound the ports and joined the demux table.
 */
#include <errno.h>

#include "tcp.h"

static int
take_error(struct tcp_tcb *tcb)
{
    int e = tcb->so_error;
    tcb->so_error = 0;
    return e;
}

/* The common end of every call: send what became due, release a closed connection. */
static void
done(struct tcp_tcb *tcb)
{
    if (tcb->state != TCP_CLOSED) {
        tcp_output(tcb);
    }
    tcp_entry_done(tcb);
}

/* OPEN, passive (§3.10.1). Calling it again on a listener changes the backlog. */
int
tcp_user_listen(struct tcp_tcb *tcb, struct tcpsim_addr addr, uint16_t port, int backlog)
{
    if (tcb->state == TCP_LISTEN) {
        tcp_listen_init(tcb, backlog);
        return 0;
    }
    if (tcb->state != TCP_CLOSED) {
        return -EINVAL;
    }
    tcb->id.laddr = addr;
    tcb->id.lport = port;
    tcp_listen_init(tcb, backlog);
    tcp_set_state(tcb, TCP_LISTEN, TCP_CAUSE_USER_LISTEN);
    return 0;
}

/* OPEN, active (§3.10.1): "Issue a SYN segment, set SND.UNA to ISS, SND.NXT to ISS+1,
 * enter SYN-SENT state". The SYN itself goes out through tcp_output(). */
int
tcp_user_connect(struct tcp_tcb *tcb, struct tcpsim_addr laddr, uint16_t lport,
                 struct tcpsim_addr raddr, uint16_t rport)
{
    if (tcb->state != TCP_CLOSED) {
        return tcb->state == TCP_SYN_SENT ? -EALREADY : -EISCONN;
    }
    tcb->id.laddr = laddr;
    tcb->id.lport = lport;
    tcb->id.raddr = raddr;
    tcb->id.rport = rport;
    tcp_options_init_local(tcb);
    if (!tcb->iss_preset) {
        tcb->iss = tcp_stack_isn(tcb->stack, &laddr, lport, &raddr, rport);
    }
    tcb->snd_una = tcb->iss;
    tcb->snd_nxt = tcb->iss;
    tcb->snd_max = tcb->iss;
    tcb->rcv_wnd = tcp_initial_window(tcb, false);
    tcb->rcv_ssthresh = tcb->rcv_wnd;
    tcb->window_clamp = tcp_initial_window_clamp(tcb);
    tcp_set_state(tcb, TCP_SYN_SENT, TCP_CAUSE_USER_CONNECT);
    done(tcb);
    return 0;
}

/* SEND (§3.10.2): returns the bytes taken into the send buffer. */
int64_t
tcp_user_send(struct tcp_tcb *tcb, uint32_t len, const uint8_t *text)
{
    return tcp_user_send_more(tcb, len, text, false);
}

int64_t
tcp_user_send_more(struct tcp_tcb *tcb, uint32_t len, const uint8_t *text, bool more)
{
    if (tcb->so_error) {
        return -take_error(tcb);
    }
    switch (tcb->state) {
    case TCP_CLOSED:
    case TCP_LISTEN:
        return -ENOTCONN;
    /* "Queue the data for transmission after entering ESTABLISHED state". Linux blocks
     * the writer until then (sk_stream_wait_connect()). */
    case TCP_SYN_SENT:
    case TCP_SYN_RECEIVED:
        return -EAGAIN;
    case TCP_ESTABLISHED:
    case TCP_CLOSE_WAIT:
        break;
    /* "return 'error: connection closing' and do not service request". */
    case TCP_FIN_WAIT_1:
    case TCP_FIN_WAIT_2:
    case TCP_CLOSING:
    case TCP_LAST_ACK:
    case TCP_TIME_WAIT:
        return -EPIPE;
    }
    if (tcb->fin_queued) {
        return -EPIPE; /* shut down for writing */
    }
    uint32_t n = tcp_snd_space(tcb);
    if (n == 0) {
        tcb->snd_nospace = true;
        return -EAGAIN;
    }
    n = len < n ? len : n;
    tcb->snd_nospace = n < len;
    tcp_cwnd_idle_check(tcb); /* Linux: tcp_skb_entail() */
    /* A write the buffer cut short is pushed whatever MSG_MORE said (Linux: tcp_push()
     * with flags & ~MSG_MORE before sk_stream_wait_memory()). */
    tcp_snd_write(tcb, n, text, more && n == len);
    tcp_delack_data_sent(tcb);
    tcb->more = more && n == len;
    done(tcb);
    tcb->more = false;
    return n;
}

static bool
can_push(const struct tcp_tcb *tcb)
{
    return tcb->state != TCP_CLOSED && tcb->state != TCP_LISTEN &&
           tcb->state != TCP_SYN_SENT && tcb->state != TCP_SYN_RECEIVED;
}

/* TCP_CORK: partial segments wait until it is cleared (or, Linux, until the persist
 * timer sends them: the 200 ms ceiling tcp(7) speaks of). Clearing it pushes what was
 * held, through Nagle unless TCP_NODELAY is on. */
void
tcp_user_set_cork(struct tcp_tcb *tcb, bool on)
{
    bool was = tcb->cork;
    tcb->cork = on;
    if (was && !on && can_push(tcb)) {
        tcb->push_once = tcb->nodelay;
        tcp_output(tcb);
        tcb->push_once = false;
    }
}

/* TCP_NODELAY on pushes what Nagle, or the cork, held (Linux sets TCP_NAGLE_PUSH). */
void
tcp_user_set_nodelay(struct tcp_tcb *tcb, bool on)
{
    tcb->nodelay = on;
    if (on && can_push(tcb)) {
        tcb->push_once = true;
        tcp_output(tcb);
        tcb->push_once = false;
    }
}

/* Linux: tcp_cleanup_rbuf(): after a read, announce the window if it at least doubled.
 * Once per read (recvmsg()), however much it copied: a read that drains the buffer in
 * several steps sends one window update, not one per step. */
/*
 * FreeBSD: tcp_output() after a read (tcp_usr_rcvd()): a window update goes out when
 * the window would open by at least two segments and by a quarter of the buffer (or the
 * window left is under an eighth of it, or the buffer is small), or by half the buffer;
 * never when the scaled value would not change.
 */
static bool
freebsd_window_update(const struct tcp_tcb *tcb)
{
    uint64_t oldwin = seq_gt(tcb->rcv_adv, tcb->rcv_nxt) ? seq_diff(tcb->rcv_adv, tcb->rcv_nxt) : 0;
    uint64_t recwin = tcp_rcv_free(tcb);
    uint64_t hiwat = tcb->rcv.cap;
    uint64_t maxseg = tcb->mss ? tcb->mss : TCP_DEFAULT_MSS;
    uint64_t max = (uint64_t)65535 << tcb->rcv_wscale;
    recwin = recwin < max ? recwin : max;
    uint64_t adv = recwin > oldwin ? recwin - oldwin : 0;
    if (oldwin >> tcb->rcv_wscale >= (adv + oldwin) >> tcb->rcv_wscale) {
        return false;
    }
    if (adv >= 2 * maxseg && (adv >= hiwat / 4 || recwin <= hiwat / 8 || hiwat <= 8 * maxseg ||
                              adv >= max)) {
        return true;
    }
    return 2 * adv >= hiwat;
}

static void
window_update_check(struct tcp_tcb *tcb)
{
    if (tcb->stack->sysctl.personality == TCP_PERSONALITY_FREEBSD) {
        if (freebsd_window_update(tcb)) {
            tcp_ack_now(tcb); /* FreeBSD: tcp_output() "goto send" for the window */
        }
        return;
    }
    uint32_t now = seq_gt(tcb->rcv_adv, tcb->rcv_nxt) ? seq_diff(tcb->rcv_adv, tcb->rcv_nxt) : 0;
    if (2 * (uint64_t)now > tcp_rcv_full_space(tcb)) {
        return;
    }
    uint32_t next = tcp_rcv_window(tcb);
    if (next > 0 && next >= 2 * now) {
        tcp_ack_now(tcb); /* RFC 9293 §3.8.6.2.2: a window update */
    }
}

/* The end of one read that copied data: Linux tcp_recvmsg() ends with
 * tcp_rcv_space_adjust() and tcp_cleanup_rbuf(). */
void
tcp_user_recv_end(struct tcp_tcb *tcb)
{
    tcp_rcvbuf_adjust(tcb);
    if (tcp_state_is_synchronized(tcb->state) && tcb->state != TCP_TIME_WAIT) {
        window_update_check(tcb);
        done(tcb);
    }
}

/* RECEIVE (§3.10.3): up to `max` bytes; 0 at end of stream. */
int64_t
tcp_user_recv(struct tcp_tcb *tcb, uint32_t max, uint8_t *out)
{
    int64_t n = tcp_user_recv_part(tcb, max, out);
    if (n > 0) {
        tcp_user_recv_end(tcb);
    }
    return n;
}

/* Part of one read: copies, and leaves the window update to tcp_user_recv_end(). */
int64_t
tcp_user_recv_part(struct tcp_tcb *tcb, uint32_t max, uint8_t *out)
{
    /* Linux: tcp_recvmsg() copies what is queued before it looks at RCV_SHUTDOWN, so
     * after shutdown(SHUT_RD) data already received, or arriving later (it is still
     * ACKed and queued in ESTABLISHED), is read; only an empty queue reads as EOF. */
    if (tcp_rcv_queued(tcb) > 0) {
        return tcp_rcv_read(tcb, max, out);
    }
    if (tcb->fin_received || tcb->rd_shutdown) {
        return 0; /* "connection closing", or shut down for reading: end of stream */
    }
    if (tcb->so_error) {
        return -take_error(tcb);
    }
    switch (tcb->state) {
    case TCP_CLOSED:
    case TCP_LISTEN:
        return -ENOTCONN;
    case TCP_SYN_SENT:
    case TCP_SYN_RECEIVED:
    case TCP_ESTABLISHED:
    case TCP_FIN_WAIT_1:
    case TCP_FIN_WAIT_2:
        return -EAGAIN;
    case TCP_CLOSE_WAIT:
    case TCP_CLOSING:
    case TCP_LAST_ACK:
    case TCP_TIME_WAIT:
        return 0;
    }
    g_assert_not_reached();
}

bool
tcp_user_readable(const struct tcp_tcb *tcb)
{
    return tcp_rcv_queued(tcb) > 0 || tcb->fin_received || tcb->so_error != 0 ||
           tcb->rd_shutdown || tcb->state == TCP_CLOSED;
}

/* Our side will send no more: queue a FIN after the data (the state changes now, the
 * FIN leaves when the data before it has; §3.10.4). */
static void
close_sending(struct tcp_tcb *tcb, enum tcp_cause cause)
{
    switch (tcb->state) {
    /* "In any case, enter FIN-WAIT-1 state." */
    case TCP_SYN_RECEIVED:
    case TCP_ESTABLISHED:
        tcb->fin_queued = true;
        tcp_set_state(tcb, TCP_FIN_WAIT_1, cause);
        break;
    /* "Queue this request until all preceding SENDs have been segmentized; then send a
     * FIN segment, enter LAST-ACK state." */
    case TCP_CLOSE_WAIT:
        tcb->fin_queued = true;
        tcp_set_state(tcb, TCP_LAST_ACK, cause);
        break;
    /* "Delete the TCB and return 'error: closing' responses to any queued SENDs". */
    case TCP_SYN_SENT:
    case TCP_LISTEN:
        tcp_set_state(tcb, TCP_CLOSED, cause);
        break;
    case TCP_CLOSED:
    case TCP_FIN_WAIT_1:
    case TCP_FIN_WAIT_2:
    case TCP_CLOSING:
    case TCP_LAST_ACK:
    case TCP_TIME_WAIT:
        break; /* already closed or closing */
    }
}

int
tcp_user_shutdown(struct tcp_tcb *tcb, bool rd, bool wr)
{
    if (tcb->state == TCP_CLOSED || tcb->state == TCP_LISTEN) {
        return -ENOTCONN;
    }
    if (rd) {
        tcb->rd_shutdown = true;
        tcp_wakeup(tcb, TCP_WAKE_READ);
    }
    if (wr && !tcb->fin_queued) {
        close_sending(tcb, TCP_CAUSE_USER_CLOSE);
    }
    done(tcb);
    return 0;
}

/* CLOSE (§3.10.4) by an application that also lets go of the socket. */
int
tcp_user_close(struct tcp_tcb *tcb)
{
    tcb->orphan = true;
    if (tcb->stack->sysctl.personality == TCP_PERSONALITY_FREEBSD) {
        /* FreeBSD: tcp_disconnect() throws unread data away (sbflush()) and closes in
         * order, with a FIN: no RST for data never read. */
        tcp_rcv_read(tcb, tcp_rcv_queued(tcb), NULL);
    }
    if (tcp_rcv_queued(tcb) > 0 && tcp_state_is_synchronized(tcb->state)) {
        /* Linux: tcp_close() resets a connection whose received data was never read
         * (RFC 2525 §2.17), instead of the orderly FIN. */
        tcp_mib_inc(tcb->stack, TCP_MIB_ABORT_ON_CLOSE);
        return tcp_user_abort(tcb);
    }
    close_sending(tcb, TCP_CAUSE_USER_CLOSE);
    if (tcb->state == TCP_FIN_WAIT_2) {
        tcp_timer_fin_wait_2_start(tcb); /* Linux: tcp_fin_timeout for an orphan */
    }
    done(tcb);
    return 0;
}

/* ABORT (§3.10.5), also close() with SO_LINGER set to zero. */
int
tcp_user_abort(struct tcp_tcb *tcb)
{
    switch (tcb->state) {
    /* "a reset segment should be sent: <SEQ=SND.NXT><CTL=RST>". */
    case TCP_SYN_RECEIVED:
    case TCP_ESTABLISHED:
    case TCP_FIN_WAIT_1:
    case TCP_FIN_WAIT_2:
    case TCP_CLOSE_WAIT:
        tcp_output_rst(tcb);
        tcp_set_state(tcb, TCP_CLOSED, TCP_CAUSE_USER_ABORT);
        break;
    /* "Delete the TCB"; nothing was synchronized to reset, or nothing is left to say. */
    case TCP_LISTEN:
    case TCP_SYN_SENT:
    case TCP_CLOSING:
    case TCP_LAST_ACK:
    case TCP_TIME_WAIT:
        tcp_set_state(tcb, TCP_CLOSED, TCP_CAUSE_USER_ABORT);
        break;
    case TCP_CLOSED:
        break;
    }
    tcb->orphan = true;
    done(tcb);
    return 0;
}
