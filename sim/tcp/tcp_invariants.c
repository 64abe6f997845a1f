/* SPDX-License-Identifier: MIT */
/*
 * tcp_invariants.c: what must hold of a connection after every event, checked in debug
 * and test builds (meson -Dinvariants, on by default when the build has debug info).
 *
 * Entry points: tcp_inv_check() (one connection), tcp_inv_transition() (a state change,
 * asked by the tcp_set_state() funnel). Both return NULL when all is well, else a
 * description of the broken invariant (the caller frees it); they never abort, so unit
 * tests can build a bad state and watch the check fire. tcp_inv_fail() is the abort the
 * simulator's callers use.
 *
 * The rules, and why each must hold:
 *
 *  1. SND.UNA =< SND.NXT =< SND.MAX (sequence arithmetic). RFC 9293 §3.3.1: SND.UNA is
 *     the oldest unacknowledged number and SND.NXT the next to send; SND.MAX (RFC 6298's
 *     "highest sequence number sent", Linux snd_nxt) is where SND.NXT returns after an
 *     RTO rewound it. An ACK that would pass SND.MAX is refused (§3.10.7.4 fifth step).
 *
 *  2. SND.MAX =< max(R, SND.UNA + 1) + F, where R is the highest right edge SND.UNA +
 *     SND.WND the peer ever offered on this connection and F is 1 once our FIN is out.
 *     - R, not today's edge: §3.8.6.2.2 lets a window shrink (an old duplicate ACK that
 *       passes the SND.WL1/WL2 test of §3.10.7.4 can shrink it), and data already sent
 *       past the new edge stays sent.
 *     - SND.UNA + 1: §3.8.6.1 has a sender probe a zero window with one octet of new
 *       data (the rfc personality), and a SYN takes one number before any window is
 *       known.
 *     - F: tcpsim, like Linux's tcp_send_fin(), sends the FIN when the data before it is
 *       out, whatever the window; it takes one number (§3.4).
 *
 *  3. RCV.NXT never moves backwards once the connection is synchronized (§3.3.1: it is
 *     the next number expected; §3.10.7.4 seventh step only advances it).
 *
 *  4. Buffers within their capacities: bytes written and not yet acknowledged =< the
 *     send buffer, and bytes received and not yet read plus bytes held out of order =<
 *     the receive buffer (the window offered is never more than the free space, §3.8.6.2.2,
 *     and data beyond it is trimmed).
 *
 *  5. A CLOSED connection has no timer pending (§3.10.7.4: entering CLOSED deletes the
 *     TCB; a timer left would fire on a dead connection).
 *
 *  6. A state change follows RFC 9293 Figure 5, plus the abortive ones any state may
 *     take to CLOSED (RST §3.10.7.4, ABORT §3.10.5, retries and timeouts §3.8.3,
 *     RFC 1122 §4.2.3.6) and the Figure's own text: SYN-RECEIVED -> CLOSE-WAIT on a FIN
 *     (§3.10.7.4 eighth step), FIN-WAIT-1 -> TIME-WAIT when the FIN also acks ours.
 *     The table below is written from the RFC independently of tcp_fsm.c's, as a second
 *     opinion; a unit test holds the two equal.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "tcp.h"

#define B(s) (1u << (s))

/* RFC 9293 Figure 5, edge by edge (see rule 6 above). */
static const uint16_t rfc_next[TCP_NSTATES] = {
    [TCP_CLOSED] = B(TCP_LISTEN) | B(TCP_SYN_SENT),                  /* OPEN */
    [TCP_LISTEN] = B(TCP_SYN_RECEIVED)                               /* rcv SYN */
                   | B(TCP_SYN_SENT)                                 /* SEND */
                   | B(TCP_CLOSED),                                  /* CLOSE */
    [TCP_SYN_SENT] = B(TCP_SYN_RECEIVED)                             /* rcv SYN */
                     | B(TCP_ESTABLISHED)                            /* rcv SYN,ACK */
                     | B(TCP_CLOSED),                                /* CLOSE, RST, retries */
    [TCP_SYN_RECEIVED] = B(TCP_ESTABLISHED)                          /* rcv ACK of SYN */
                         | B(TCP_FIN_WAIT_1)                         /* CLOSE */
                         | B(TCP_CLOSE_WAIT)                         /* rcv FIN */
                         | B(TCP_CLOSED),
    [TCP_ESTABLISHED] = B(TCP_FIN_WAIT_1) | B(TCP_CLOSE_WAIT) | B(TCP_CLOSED),
    [TCP_FIN_WAIT_1] = B(TCP_FIN_WAIT_2)                             /* rcv ACK of FIN */
                       | B(TCP_CLOSING)                              /* rcv FIN */
                       | B(TCP_TIME_WAIT)                            /* rcv FIN, ACK of FIN */
                       | B(TCP_CLOSED),
    [TCP_FIN_WAIT_2] = B(TCP_TIME_WAIT) | B(TCP_CLOSED),
    [TCP_CLOSE_WAIT] = B(TCP_LAST_ACK) | B(TCP_CLOSED),
    [TCP_CLOSING] = B(TCP_TIME_WAIT) | B(TCP_CLOSED),
    [TCP_LAST_ACK] = B(TCP_CLOSED),
    [TCP_TIME_WAIT] = B(TCP_CLOSED),                                 /* 2MSL, RST, reuse */
};

bool
tcp_inv_transition_allowed(enum tcp_state from, enum tcp_state to)
{
    return (unsigned)from < TCP_NSTATES && (unsigned)to < TCP_NSTATES &&
           (rfc_next[from] & B(to)) != 0;
}

/* "c 10.0.0.1.36346>10.0.0.2.80 ESTABLISHED" */
static char *
who(const struct tcp_tcb *tcb)
{
    const struct trace_sock *s = &tcb->id;
    char l[TCPSIM_ADDR_STRLEN];
    char r[TCPSIM_ADDR_STRLEN];
    ip_format(&s->laddr, l, sizeof l);
    ip_format(&s->raddr, r, sizeof r);
    return g_strdup_printf("%s%s%s.%u>%s.%u %s", s->name ? s->name : "", s->name ? " " : "", l,
                           s->lport, r, s->rport, tcp_state_name(tcb->state));
}

G_GNUC_PRINTF(2, 3) static char *
broken(const struct tcp_tcb *tcb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *what = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_autofree char *w = who(tcb);
    return g_strdup_printf("%s: %s", w, what);
}

char *
tcp_inv_transition(const struct tcp_tcb *tcb, enum tcp_state from, enum tcp_state to)
{
    if (tcp_inv_transition_allowed(from, to)) {
        return NULL;
    }
    return broken(tcb, "illegal state transition %s -> %s (RFC 9293 Figure 5)",
                  tcp_state_name(from), tcp_state_name(to));
}

/* Rules 1 and 2: the send sequence variables. */
static char *
check_send(struct tcp_tcb *tcb)
{
    if (!seq_leq(tcb->snd_una, tcb->snd_nxt) || !seq_leq(tcb->snd_nxt, tcb->snd_max)) {
        return broken(tcb, "SND.UNA =< SND.NXT =< SND.MAX broken: una %u nxt %u max %u",
                      tcb->snd_una, tcb->snd_nxt, tcb->snd_max);
    }
    tcp_seq edge = seq_add(tcb->snd_una, tcb->snd_wnd);
    if (!tcb->inv.edge_valid || seq_gt(edge, tcb->inv.right_edge)) {
        tcb->inv.right_edge = edge;
        tcb->inv.edge_valid = true;
    }
    tcp_seq limit = tcb->inv.right_edge;
    if (seq_gt(seq_add(tcb->snd_una, 1), limit)) {
        limit = seq_add(tcb->snd_una, 1);
    }
    if (tcp_state_fin_sent(tcb->state)) {
        limit = seq_add(limit, 1);
    }
    if (seq_gt(tcb->snd_max, limit)) {
        return broken(tcb,
                      "sent past the window: SND.MAX %u > %u (highest right edge offered %u, "
                      "SND.UNA %u, SND.WND %u)",
                      tcb->snd_max, limit, tcb->inv.right_edge, tcb->snd_una, tcb->snd_wnd);
    }
    return NULL;
}

/* Rule 3. */
static char *
check_receive(struct tcp_tcb *tcb)
{
    if (tcb->inv.rcv_valid && seq_lt(tcb->rcv_nxt, tcb->inv.rcv_nxt)) {
        return broken(tcb, "RCV.NXT moved backwards: %u after %u", tcb->rcv_nxt,
                      tcb->inv.rcv_nxt);
    }
    tcb->inv.rcv_nxt = tcb->rcv_nxt;
    tcb->inv.rcv_valid = true;
    return NULL;
}

/* Rule 4. */
static char *
check_buffers(const struct tcp_tcb *tcb)
{
    /* Linux checks the buffer only before starting an skb (sk_stream_memory_free()):
     * the skb a write fills may take the queue past it, by less than a 64 KB GSO packet,
     * and so may what the write sent on the way, pushing each full skb (tcp_buf.c). */
    uint64_t slack = tcb->snd.skb != NULL ? 65536 + (uint64_t)seq_diff(tcb->snd_max, tcb->snd_una) : 0;
    if (tcb->snd.end < tcb->snd.una || tcb->snd.end - tcb->snd.una > tcb->snd.cap + slack) {
        return broken(tcb, "send buffer over capacity: %" G_GUINT64_FORMAT
                           " bytes queued (stream %" G_GUINT64_FORMAT "..%" G_GUINT64_FORMAT
                           "), capacity %u",
                      tcb->snd.end - tcb->snd.una, tcb->snd.una, tcb->snd.end, tcb->snd.cap);
    }
    if (tcb->rcv.nxt < tcb->rcv.read ||
        tcb->rcv.nxt - tcb->rcv.read + tcb->ooo_bytes > tcb->rcv.cap) {
        return broken(tcb, "receive buffer over capacity: %" G_GUINT64_FORMAT
                           " bytes unread + %u out of order, capacity %u",
                      tcb->rcv.nxt - tcb->rcv.read, tcb->ooo_bytes, tcb->rcv.cap);
    }
    return NULL;
}

/* Rule 5. */
static char *
check_timers(const struct tcp_tcb *tcb)
{
    if (tcb->state != TCP_CLOSED) {
        return NULL;
    }
    const struct ev *t[] = {&tcb->timer.rto, &tcb->timer.persist, &tcb->timer.keepalive,
                            &tcb->timer.delack};
    static const char *const names[] = {"rto", "persist", "keepalive", "delack"};
    for (size_t i = 0; i < G_N_ELEMENTS(t); i++) {
        if (ev_pending(t[i])) {
            return broken(tcb, "timer %s pending on a CLOSED connection", names[i]);
        }
    }
    if (ev_lnode_pending(&tcb->timer.time_wait)) {
        return broken(tcb, "timer time_wait pending on a CLOSED connection");
    }
    return NULL;
}

char *
tcp_inv_check(struct tcp_tcb *tcb)
{
    char *msg = check_timers(tcb);
    if (msg != NULL || tcb->state == TCP_CLOSED || tcb->state == TCP_LISTEN) {
        return msg;
    }
    if ((msg = check_send(tcb)) != NULL || (msg = check_buffers(tcb)) != NULL) {
        return msg;
    }
    return tcp_state_is_synchronized(tcb->state) ? check_receive(tcb) : NULL;
}

static tcp_inv_handler inv_handler;

void
tcp_inv_set_handler(tcp_inv_handler fn)
{
    inv_handler = fn;
}

void
tcp_inv_fail(sim_time now, const char *host, char *msg)
{
    if (inv_handler != NULL) {
        inv_handler(now, host, msg);
        return;
    }
    bool warn = getenv("TCPSIM_INVARIANTS_WARN") != NULL; /* tcpsim explore's views */
    fprintf(stderr, "tcpsim: invariant broken at %" G_GINT64_FORMAT ".%09" G_GINT64_FORMAT
                    " s on host %s: %s\n",
            now / SEC(1), now % SEC(1), host ? host : "?", msg);
    g_free(msg);
    if (!warn) {
        abort();
    }
}
