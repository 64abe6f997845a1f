/* SPDX-License-Identifier: MIT */
/*
 * ss.c: the sockets of a host, listed as `ss -tanpo` lists them, into the trace.
 *
 * Entry point: tcpsim_ss(). One line per socket: state, Recv-Q, Send-Q, local and peer
 * address, the scenario's name for the socket and the pending timer; or, with
 * `summary`, one line of counts per host (as `ss -s`, with the listeners' queues).
 * Rows come sorted by state, then tuple: never in hash order.
 *
 * Queues as ss shows them: on a listener Recv-Q is the accept queue's length and Send-Q
 * its limit (the backlog after somaxconn); on a connection Recv-Q is the bytes the
 * application has not read and Send-Q the bytes not yet acknowledged. Half-open
 * connections (SYN-RECV) are listed as Linux lists request sockets.
 */
#include <string.h>
#include <tcpsim/units.h>

#include "world.h"

/* ss's state names, in the order the listing sorts them. */
static const char *const ss_names[TCP_NSTATES] = {
    [TCP_LISTEN] = "LISTEN",         [TCP_SYN_SENT] = "SYN-SENT",
    [TCP_SYN_RECEIVED] = "SYN-RECV", [TCP_ESTABLISHED] = "ESTAB",
    [TCP_FIN_WAIT_1] = "FIN-WAIT-1", [TCP_FIN_WAIT_2] = "FIN-WAIT-2",
    [TCP_CLOSE_WAIT] = "CLOSE-WAIT", [TCP_CLOSING] = "CLOSING",
    [TCP_LAST_ACK] = "LAST-ACK",     [TCP_TIME_WAIT] = "TIME-WAIT",
    [TCP_CLOSED] = "UNCONN",
};

static const enum tcp_state ss_order[TCP_NSTATES] = {
    TCP_LISTEN,     TCP_SYN_SENT, TCP_SYN_RECEIVED, TCP_ESTABLISHED,
    TCP_FIN_WAIT_1, TCP_FIN_WAIT_2, TCP_CLOSE_WAIT, TCP_CLOSING,
    TCP_LAST_ACK,   TCP_TIME_WAIT, TCP_CLOSED,
};

static int
rank(enum tcp_state s)
{
    for (int i = 0; i < TCP_NSTATES; i++) {
        if (ss_order[i] == s) {
            return i;
        }
    }
    return TCP_NSTATES;
}

/* By state, then by tuple: a total order, so the listing never depends on hashing. */
static int
by_state(gconstpointer a, gconstpointer b)
{
    const struct tcp_tcb *x = *(struct tcp_tcb *const *)a;
    const struct tcp_tcb *y = *(struct tcp_tcb *const *)b;
    if (x->state != y->state) {
        return rank(x->state) - rank(y->state);
    }
    int c = ip_cmp(&x->id.laddr, &y->id.laddr); /* IPv4 in numeric order */
    if (c == 0) {
        c = ip_cmp(&x->id.raddr, &y->id.raddr);
    }
    if (c != 0) {
        return c < 0 ? -1 : 1;
    }
    uint32_t px = (uint32_t)x->id.lport << 16 | x->id.rport;
    uint32_t py = (uint32_t)y->id.lport << 16 | y->id.rport;
    return px < py ? -1 : px > py;
}

static void
put_endpoint(GString *s, struct tcpsim_addr addr, uint16_t port, int width)
{
    size_t start = s->len;
    if (ip_is_none(&addr) && port == 0) {
        g_string_append(s, "*:*");
    } else {
        /* ss prints an IPv6 endpoint in brackets: [2001:db8::1]:80 */
        char ip[TCPSIM_ADDR_STRLEN];
        ip_format(&addr, ip, sizeof ip);
        g_string_append_printf(s, ip_is6(&addr) ? "[%s]:%u" : "%s:%u", ip, port);
    }
    while (s->len < start + (size_t)width) {
        g_string_append_c(s, ' ');
    }
    g_string_append_c(s, ' ');
}

/* Time left on a timer, as precise as a reader wants it: whole minutes from ten
 * minutes, whole seconds from ten seconds, milliseconds below. */
static sim_time
rounded(sim_time t)
{
    sim_time unit = t >= SEC(600) ? SEC(60) : t >= SEC(10) ? SEC(1) : MS(1);
    return (t + unit / 2) / unit * unit;
}

/* ss -o: the timer that decides what happens next, as Linux picks it (get_tcp4_sock():
 * retransmission first, then the window probe, then keepalive; TIME_WAIT's own). */
static void
put_timer(GString *s, const struct tcp_tcb *tcb)
{
    const struct ev_queue *q = tcb->stack->q;
    const char *what = NULL;
    const struct ev *ev = NULL;
    sim_time due = SIM_TIME_NEVER;
    unsigned count = 0;
    if (ev_lnode_pending(&tcb->timer.time_wait)) {
        what = "timewait";
        due = ev_lnode_due(q, &tcb->timer.time_wait);
    } else if (ev_pending(&tcb->timer.rto)) {
        what = "on";
        ev = &tcb->timer.rto;
        count = tcb->retransmits;
    } else if (ev_pending(&tcb->timer.persist)) {
        what = "persist";
        ev = &tcb->timer.persist;
        count = tcb->persist_backoff;
    } else if (ev_pending(&tcb->timer.keepalive)) {
        what = "keepalive";
        ev = &tcb->timer.keepalive;
        count = tcb->probes_out;
    }
    if (what == NULL) {
        return;
    }
    if (ev != NULL) {
        due = ev_due(q, ev);
    }
    g_autofree char *left = tcpsim_format_time(rounded(due - q->now));
    g_string_append_printf(s, " timer:(%s,%s,%u)", what, left, count);
}

static void
put_row(struct tcpsim_sim *sim, int host, const struct tcp_tcb *tcb)
{
    GString *s = g_string_new(NULL);
    uint64_t recv_q;
    uint64_t send_q;
    if (tcb->state == TCP_LISTEN && tcb->lq != NULL) {
        recv_q = tcp_listen_accept_len(tcb);
        send_q = tcp_listen_backlog(tcb);
    } else {
        recv_q = tcp_rcv_queued(tcb);
        send_q = tcp_snd_queued(tcb);
    }
    g_string_append_printf(s, "%-10s %-6" G_GUINT64_FORMAT " %-6" G_GUINT64_FORMAT " ",
                           ss_names[tcb->state], recv_q, send_q);
    struct tcpsim_addr laddr = ip_is_none(&tcb->id.laddr) ? sim->hosts[host]->addr : tcb->id.laddr;
    put_endpoint(s, laddr, tcb->id.lport, 21);
    put_endpoint(s, tcb->id.raddr, tcb->id.rport, 21);
    g_string_append(s, tcb->id.name ? tcb->id.name : "-");
    put_timer(s, tcb);
    struct trace_event ev = {
        .kind = TRACE_SS,
        .at = sim->q.now,
        .host = sim->hosts[host]->name,
        .text = s->str,
        .from = ss_names[tcb->state],
        .a = (int64_t)recv_q,
        .b = (int64_t)send_q,
        .c = 1,
    };
    ev.sock.name = tcb->id.name;
    ev.sock.laddr = laddr;
    ev.sock.lport = tcb->id.lport;
    ev.sock.raddr = tcb->id.raddr;
    ev.sock.rport = tcb->id.rport;
    trace_emit(&sim->trace, &ev);
    g_string_free(s, TRUE);
}

static void
list_host(struct tcpsim_sim *sim, int host)
{
    GPtrArray *a = host_all_tcbs(sim->hosts[host]);
    g_ptr_array_sort(a, by_state);
    tcpsim_trace_ss(sim, host,
                    "State      Recv-Q Send-Q Local Address:Port    Peer Address:Port     "
                    "Socket, timer");
    for (guint i = 0; i < a->len; i++) {
        put_row(sim, host, g_ptr_array_index(a, i));
    }
    g_ptr_array_free(a, TRUE);
}

static void
summarize_host(struct tcpsim_sim *sim, int host)
{
    GPtrArray *a = host_all_tcbs(sim->hosts[host]);
    unsigned count[TCP_NSTATES] = {0};
    GString *queues = g_string_new(NULL);
    for (guint i = 0; i < a->len; i++) {
        const struct tcp_tcb *tcb = g_ptr_array_index(a, i);
        count[tcb->state]++;
        if (tcb->state == TCP_LISTEN && tcb->lq != NULL) {
            g_string_append_printf(queues, "; port %u: backlog %u, SYN queue %u, accept queue %u",
                                   tcb->id.lport, tcp_listen_backlog(tcb),
                                   tcp_listen_syn_len(tcb), tcp_listen_accept_len(tcb));
        }
    }
    GString *s = g_string_new(NULL);
    g_string_append_printf(s, "total %u:", a->len);
    const char *sep = " ";
    for (int i = 0; i < TCP_NSTATES; i++) {
        enum tcp_state st = ss_order[i];
        if (count[st]) {
            g_string_append_printf(s, "%s%s %u", sep, ss_names[st], count[st]);
            sep = ", ";
        }
    }
    g_string_append(s, queues->str);
    tcpsim_trace_ss(sim, host, s->str);
    g_string_free(s, TRUE);
    g_string_free(queues, TRUE);
    g_ptr_array_free(a, TRUE);
}

void
tcpsim_ss(struct tcpsim_sim *sim, int host, bool summary)
{
    g_return_if_fail(host >= -1 && host < sim->nhosts);
    if (!trace_wants(&sim->trace, TRACE_SS)) {
        return;
    }
    for (int h = 0; h < sim->nhosts; h++) {
        if (host >= 0 && h != host) {
            continue;
        }
        if (summary) {
            summarize_host(sim, h);
        } else {
            list_host(sim, h);
        }
    }
}
