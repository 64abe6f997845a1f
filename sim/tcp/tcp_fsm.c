/* SPDX-License-Identifier: MIT */
/*
 * tcp_fsm.c: the state machine's tables and its one funnel, tcp_set_state().
 *
 * RFC 9293 §3.3.2 (Figure 5) gives the transitions; the Linux extras are the abortive
 * ones (any state to CLOSED on RST, abort, retries exhausted). Every state change in
 * tcpsim passes through tcp_set_state(), which checks legality, runs the entry actions,
 * keeps the counters and emits the trace event. test/lint fails the build on a direct
 * assignment to ->state anywhere else.
 */
#include <errno.h>

#include "tcp.h"

static const char *const state_names[TCP_NSTATES] = {
    [TCP_CLOSED] = "CLOSED",           [TCP_LISTEN] = "LISTEN",
    [TCP_SYN_SENT] = "SYN_SENT",       [TCP_SYN_RECEIVED] = "SYN_RECEIVED",
    [TCP_ESTABLISHED] = "ESTABLISHED", [TCP_FIN_WAIT_1] = "FIN_WAIT_1",
    [TCP_FIN_WAIT_2] = "FIN_WAIT_2",   [TCP_CLOSE_WAIT] = "CLOSE_WAIT",
    [TCP_CLOSING] = "CLOSING",         [TCP_LAST_ACK] = "LAST_ACK",
    [TCP_TIME_WAIT] = "TIME_WAIT",
};

static const char *const cause_names[TCP_NCAUSES] = {
    [TCP_CAUSE_NONE] = NULL,
    [TCP_CAUSE_USER_CONNECT] = "connect",
    [TCP_CAUSE_USER_LISTEN] = "listen",
    [TCP_CAUSE_USER_CLOSE] = "close",
    [TCP_CAUSE_USER_ABORT] = "abort",
    [TCP_CAUSE_RCV_SYN] = "rcv SYN",
    [TCP_CAUSE_RCV_SYN_ACK] = "rcv SYN-ACK",
    [TCP_CAUSE_RCV_ACK] = "rcv ACK",
    [TCP_CAUSE_RCV_FIN] = "rcv FIN",
    [TCP_CAUSE_RCV_RST] = "rcv RST",
    [TCP_CAUSE_RETRIES] = "retransmissions exhausted",
    [TCP_CAUSE_TIME_WAIT] = "2MSL elapsed",
    [TCP_CAUSE_FIN_TIMEOUT] = "tcp_fin_timeout",
    [TCP_CAUSE_KEEPALIVE] = "keepalive probes unanswered",
    [TCP_CAUSE_LISTENER_CLOSED] = "listener closed",
    [TCP_CAUSE_HOST_CRASH] = "host crashed",
    [TCP_CAUSE_TW_REUSE] = "TIME_WAIT reused",
    [TCP_CAUSE_TW_LIMIT] = "tcp_max_tw_buckets",
    [TCP_CAUSE_SYNCOOKIE] = "valid SYN cookie",
    [TCP_CAUSE_ACCEPT_OVERFLOW] = "accept queue full, tcp_abort_on_overflow",
    [TCP_CAUSE_USER_TIMEOUT] = "TCP_USER_TIMEOUT",
    [TCP_CAUSE_DATA_AFTER_CLOSE] = "data after close",
    [TCP_CAUSE_KEEPINIT] = "keepinit",
    [TCP_CAUSE_SYN_IN_WINDOW] = "rcv SYN in window, insecure_syn",
};

static const char *const drop_names[TCP_NDROPS] = {
    [TCP_DROP_NONE] = "none",
    [TCP_DROP_NO_SOCKET] = "no socket",
    [TCP_DROP_RST_IN_CLOSED] = "RST for no socket",
    [TCP_DROP_LISTEN_RST] = "RST to a listener",
    [TCP_DROP_LISTEN_ACK] = "ACK to a listener",
    [TCP_DROP_LISTEN_NO_SYN] = "not a SYN",
    [TCP_DROP_LISTEN_SYN_FIN] = "SYN with FIN",
    [TCP_DROP_LISTEN_OVERFLOW] = "accept queue full",
    [TCP_DROP_SYN_QUEUE_FULL] = "SYN queue full",
    [TCP_DROP_ACCEPT_OVERFLOW] = "accept queue full",
    [TCP_DROP_BAD_ACK] = "unacceptable ACK",
    [TCP_DROP_RST_BAD_ACK] = "RST with unacceptable ACK",
    [TCP_DROP_NO_SYN_OR_RST] = "neither SYN nor RST",
    [TCP_DROP_OUT_OF_WINDOW] = "out of window",
    [TCP_DROP_RST_OUT_OF_WINDOW] = "RST out of window",
    [TCP_DROP_RST_CHALLENGE] = "RST in window, not exact: challenge ACK",
    [TCP_DROP_SYN_CHALLENGE] = "SYN in synchronized state: challenge ACK",
    [TCP_DROP_NO_ACK] = "no ACK bit",
    [TCP_DROP_ACK_UNSENT] = "acks unsent data",
    [TCP_DROP_ACK_TOO_OLD] = "ACK too old",
    [TCP_DROP_SYN_RECV_BAD_ACK] = "unacceptable ACK",
    [TCP_DROP_PAWS] = "PAWS: old timestamp",
    [TCP_DROP_DATA_AFTER_FIN] = "data after FIN",
    [TCP_DROP_DATA_CLOSED_USER] = "data after close",
    [TCP_DROP_OUT_OF_ORDER_NO_QUEUE] = "out of order, no room",
    [TCP_DROP_RCVBUF_FULL] = "receive buffer full",
    [TCP_DROP_BAD_CHECKSUM] = "bad checksum",
    [TCP_DROP_BAD_PACKET] = "bad IP header",
    [TCP_DROP_HOST_DOWN] = "host down",
    [TCP_DROP_COOKIE_INVALID] = "invalid SYN cookie",
    [TCP_DROP_TW_RST] = "RST in TIME_WAIT, ignored (tcp_rfc1337)",
    [TCP_DROP_TIME_WAIT] = "TIME_WAIT: ACK again",
    [TCP_DROP_NO_ADDRESS] = "no such address",
    [TCP_DROP_OLD_DATA] = "old data",
};

const char *
tcp_state_name(enum tcp_state s)
{
    return (unsigned)s < TCP_NSTATES ? state_names[s] : "?";
}

const char *
tcp_cause_name(enum tcp_cause c)
{
    return (unsigned)c < TCP_NCAUSES ? cause_names[c] : NULL;
}

const char *
tcp_drop_reason_name(enum tcp_drop_reason r)
{
    return (unsigned)r < TCP_NDROPS ? drop_names[r] : "?";
}

bool
tcp_state_is_synchronized(enum tcp_state s)
{
    switch (s) {
    case TCP_CLOSED:
    case TCP_LISTEN:
    case TCP_SYN_SENT:
        return false;
    case TCP_SYN_RECEIVED:
    case TCP_ESTABLISHED:
    case TCP_FIN_WAIT_1:
    case TCP_FIN_WAIT_2:
    case TCP_CLOSE_WAIT:
    case TCP_CLOSING:
    case TCP_LAST_ACK:
    case TCP_TIME_WAIT:
        return true;
    }
    g_assert_not_reached();
}

/* States in which our FIN has been sent (it may not be acknowledged yet). */
bool
tcp_state_fin_sent(enum tcp_state s)
{
    switch (s) {
    case TCP_FIN_WAIT_1:
    case TCP_FIN_WAIT_2:
    case TCP_CLOSING:
    case TCP_LAST_ACK:
    case TCP_TIME_WAIT:
        return true;
    case TCP_CLOSED:
    case TCP_LISTEN:
    case TCP_SYN_SENT:
    case TCP_SYN_RECEIVED:
    case TCP_ESTABLISHED:
    case TCP_CLOSE_WAIT:
        return false;
    }
    g_assert_not_reached();
}

#define B(s) (1u << (s))

/* Legal next states, from RFC 9293 Figure 5; CLOSED is reachable from everywhere
 * (RST, ABORT, timeouts). A listener's child is born in LISTEN and moves to
 * SYN_RECEIVED, which is how Figure 5 draws a passive open. */
static const uint16_t legal_next[TCP_NSTATES] = {
    [TCP_CLOSED] = B(TCP_LISTEN) | B(TCP_SYN_SENT),
    [TCP_LISTEN] = B(TCP_SYN_RECEIVED) | B(TCP_SYN_SENT) | B(TCP_CLOSED),
    [TCP_SYN_SENT] = B(TCP_SYN_RECEIVED) | B(TCP_ESTABLISHED) | B(TCP_CLOSED),
    [TCP_SYN_RECEIVED] = B(TCP_ESTABLISHED) | B(TCP_FIN_WAIT_1) | B(TCP_CLOSE_WAIT) |
                         B(TCP_CLOSED),
    [TCP_ESTABLISHED] = B(TCP_FIN_WAIT_1) | B(TCP_CLOSE_WAIT) | B(TCP_CLOSED),
    [TCP_FIN_WAIT_1] = B(TCP_FIN_WAIT_2) | B(TCP_CLOSING) | B(TCP_TIME_WAIT) | B(TCP_CLOSED),
    [TCP_FIN_WAIT_2] = B(TCP_TIME_WAIT) | B(TCP_CLOSED),
    [TCP_CLOSE_WAIT] = B(TCP_LAST_ACK) | B(TCP_CLOSED),
    [TCP_CLOSING] = B(TCP_TIME_WAIT) | B(TCP_CLOSED),
    [TCP_LAST_ACK] = B(TCP_CLOSED),
    [TCP_TIME_WAIT] = B(TCP_CLOSED),
};

bool
tcp_transition_legal(enum tcp_state from, enum tcp_state to)
{
    return (unsigned)from < TCP_NSTATES && (legal_next[from] & B(to)) != 0;
}

static void
trace_state(struct tcp_tcb *tcb, enum tcp_state from, enum tcp_state to, enum tcp_cause cause)
{
    struct tcp_stack *st = tcb->stack;
    if (!G_UNLIKELY(trace_wants(st->trace, TRACE_STATE))) {
        return;
    }
    struct trace_event ev = {
        .kind = TRACE_STATE,
        .at = tcp_now(tcb),
        .host = st->host_name,
        .sock = tcb->id,
        .from = tcp_state_name(from),
        .to = tcp_state_name(to),
        .reason = tcp_cause_name(cause),
        .why = {.code = (int)cause, .from = (int)from, .to = (int)to},
    };
    if (to == TCP_TIME_WAIT) {
        ev.why.span = 2 * st->sysctl.msl; /* how long it will last (entry arms it) */
    }
    if ((to == TCP_SYN_SENT || to == TCP_SYN_RECEIVED) && (from == TCP_CLOSED || from == TCP_LISTEN)) {
        ev.a = tcb->iss; /* the ISN this side chose (RFC 9293 §3.4.1) */
        ev.b = 1;
    }
    trace_emit(st->trace, &ev);
}

static void
count_transition(struct tcp_tcb *tcb, enum tcp_state from, enum tcp_state to)
{
    struct tcp_stack *st = tcb->stack;
    if (to == TCP_CLOSED && (from == TCP_ESTABLISHED || from == TCP_CLOSE_WAIT)) {
        tcp_mib_inc(st, TCP_MIB_ESTAB_RESETS);
    }
    if (to == TCP_CLOSED && (from == TCP_SYN_SENT || from == TCP_SYN_RECEIVED)) {
        tcp_mib_inc(st, TCP_MIB_ATTEMPT_FAILS);
    }
    if (to == TCP_SYN_SENT) {
        tcp_mib_inc(st, TCP_MIB_ACTIVE_OPENS);
    }
    if (to == TCP_SYN_RECEIVED && from == TCP_LISTEN) {
        tcp_mib_inc(st, TCP_MIB_PASSIVE_OPENS);
    }
    if (to == TCP_TIME_WAIT) {
        st->time_wait++;
    }
    if (from == TCP_TIME_WAIT) {
        st->time_wait--;
        tcp_mib_inc(st, TCP_MIB_TW);
    }
}

/* Entry actions: what entering a state does, whatever caused it. */
static void
enter(struct tcp_tcb *tcb, enum tcp_state next)
{
    switch (next) {
    case TCP_TIME_WAIT:
        /* RFC 9293 §3.10.7.4: "turn off the other timers" and start the 2*MSL wait. */
        tcp_timers_cancel_all(tcb);
        tcp_timer_time_wait_start(tcb);
        tcp_buf_compact(tcb);
        tcb->last_oow_ack_valid = false; /* Linux: the timewait sock has its own limit */
        break;
    case TCP_CLOSED:
        /* RFC 9293 §3.10.7.4: "delete the TCB". The memory outlives this call: the
         * TCB leaves the demux table when the current entry point finishes. */
        tcp_timers_cancel_all(tcb);
        tcb->release = true;
        if (tcb->parent) {
            tcp_listen_child_gone(tcb);
        }
        tcp_wakeup(tcb, TCP_WAKE_CLOSED | TCP_WAKE_READ | TCP_WAKE_WRITE | TCP_WAKE_CONNECT);
        break;
    case TCP_FIN_WAIT_2:
        if (tcb->orphan) {
            tcp_timer_fin_wait_2_start(tcb);
        }
        break;
    case TCP_ESTABLISHED:
        tcp_timer_keepalive_reset(tcb);
        tcp_sndbuf_expand(tcb); /* Linux: tcp_init_buffer_space() */
        tcp_init_buffer_space(tcb);
        tcp_wakeup(tcb, TCP_WAKE_CONNECT | TCP_WAKE_WRITE);
        break;
    case TCP_CLOSE_WAIT:
        tcp_wakeup(tcb, TCP_WAKE_READ);
        break;
    case TCP_LISTEN:
    case TCP_SYN_SENT:
    case TCP_SYN_RECEIVED:
    case TCP_FIN_WAIT_1:
    case TCP_CLOSING:
    case TCP_LAST_ACK:
        break;
    }
}

void
tcp_set_state(struct tcp_tcb *tcb, enum tcp_state next, enum tcp_cause cause)
{
    enum tcp_state prev = tcb->state;
    if (next == TCP_TIME_WAIT &&
        tcb->stack->time_wait >= (uint64_t)tcb->stack->sysctl.tcp_max_tw_buckets) {
        /* Linux: tcp_time_wait() with no bucket left closes at once
         * (TCPTimeWaitOverflow): the connection gets no TIME_WAIT protection. The ACK
         * of the peer's FIN still goes: tcp_fin() sends it before tcp_time_wait(). */
        tcp_mib_inc(tcb->stack, TCP_MIB_TIMEWAIT_OVERFLOW);
        if (tcb->ack_now) {
            tcp_output(tcb);
        }
        next = TCP_CLOSED;
        cause = TCP_CAUSE_TW_LIMIT;
    }
#if TCPSIM_INVARIANTS
    char *broken = tcp_inv_transition(tcb, prev, next);
    if (G_UNLIKELY(broken != NULL)) {
        tcp_inv_fail(tcp_now(tcb), tcb->stack->host_name, broken);
    }
#endif
    g_assert(tcp_transition_legal(prev, next));
    tcb->state = next;
    count_transition(tcb, prev, next);
    trace_state(tcb, prev, next, cause);
    enter(tcb, next);
}

/* A listener's child is born as a copy of its listener, in LISTEN, with no event: the
 * trace then shows the passive open as Figure 5 draws it, LISTEN -> SYN_RECEIVED. */
void
tcp_fsm_born_listening(struct tcp_tcb *child)
{
    g_assert(child->state == TCP_CLOSED);
    child->state = TCP_LISTEN;
}
