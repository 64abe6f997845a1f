/* SPDX-License-Identifier: MIT */
/*
 * tcp_time_wait.c: SEGMENT ARRIVES in TIME-WAIT (RFC 9293 §3.10.7.4, RFC 1122
 * §4.2.2.13, RFC 6191, RFC 1337), shaped as Linux's tcp_timewait_state_process().
 *
 * Entry points: tcp_time_wait_input(), called by dispatch() for TIME-WAIT;
 * tcp_listen_choose_isn(), which gives a connection reopened from TIME-WAIT an ISN above
 * the old one.
 *
 * The RFC's steps cannot restart the 2*MSL wait for a retransmitted FIN (that FIN is
 * never "acceptable"); Linux instead handles TIME-WAIT on its own:
 *   - a bare ACK or RST exactly at RCV.NXT: the ACK restarts the wait; the RST ends it
 *     (TIME-WAIT assassination), unless tcp_rfc1337 is set;
 *   - a SYN above RCV.NXT (or with a newer timestamp, RFC 6191) may open a new
 *     incarnation when a listener is there to take it: TIME-WAIT ends and the listener
 *     takes the SYN;
 *   - anything else is ACKed (rate-limited) and, if it carried an ACK, restarts the wait.
 */
#include "tcp.h"

/* RFC 1122 §4.2.2.13 (1) / Linux: the new incarnation starts 64 KiB past the old
 * SND.NXT, so its segments cannot be mistaken for the old ones. */
tcp_seq
tcp_listen_choose_isn(struct tcp_tcb *lst, struct tcp_tcb *child)
{
    struct tcp_stack *st = lst->stack;
    if (st->tw_isn_valid && st->tw_isn_lport == child->id.lport &&
        ip_eq(&st->tw_isn_raddr, &child->id.raddr) && st->tw_isn_rport == child->id.rport) {
        st->tw_isn_valid = false;
        return st->tw_isn;
    }
    return tcp_stack_isn(st, &child->id.laddr, child->id.lport, &child->id.raddr,
                         child->id.rport);
}

static bool
newer_syn(const struct tcp_tcb *tcb, const struct tcp_seg *seg)
{
    if (seq_gt(seg->seq, tcb->rcv_nxt)) {
        return true;
    }
    /* RFC 6191 §2: with timestamps, a newer TSval proves the SYN is not old. */
    return tcb->ts_ok && tcp_opts_has(&seg->opt, TCPOPT_TS) &&
           (int32_t)(tcb->ts_recent - seg->opt.ts_val) < 0;
}

/* A new incarnation needs someone to take it: without a listener on the port the SYN
 * is just a segment TIME-WAIT answers (Linux: TCP_TW_SYN finds no listener in
 * tcp_v4_rcv() and falls through to the TIME-WAIT ACK). */
static bool
listener_takes(const struct tcp_tcb *tcb)
{
    const struct tcp_stack *st = tcb->stack;
    return st->ops->listening == NULL || st->ops->listening(st->host, tcb->id.lport);
}

static void
reopen(struct tcp_tcb *tcb)
{
    struct tcp_stack *st = tcb->stack;
    tcp_seq isn = seq_add(tcb->snd_nxt, 65535 + 2);
    st->tw_isn = isn ? isn : 1;
    st->tw_isn_valid = true;
    st->tw_isn_lport = tcb->id.lport;
    st->tw_isn_raddr = tcb->id.raddr;
    st->tw_isn_rport = tcb->id.rport;
    tcp_set_state(tcb, TCP_CLOSED, TCP_CAUSE_RCV_SYN);
}

struct tcp_verdict
tcp_time_wait_input(struct tcp_tcb *tcb, const struct tcp_seg *seg)
{
    bool paws = tcp_paws_rejects(tcb, seg);
    bool rst = seg_has(seg, TCP_RST);
    bool linux_tw = tcb->stack->sysctl.personality == TCP_PERSONALITY_LINUX;

    if (!paws && seg->seq == tcb->rcv_nxt && (seg_seq_len(seg) == 0 || rst)) {
        if (rst) {
            if (tcb->stack->sysctl.tcp_rfc1337) {
                return VERDICT(TCP_ACT_DROP, TCP_DROP_TW_RST);
            }
            tcp_set_state(tcb, TCP_CLOSED, TCP_CAUSE_RCV_RST);
            return VERDICT(TCP_ACT_DROP, TCP_DROP_NONE);
        }
        if (linux_tw) {
            tcp_timer_time_wait_start(tcb);
        }
        return VERDICT(TCP_ACT_DROP, TCP_DROP_NONE);
    }
    if (seg_has(seg, TCP_SYN) && !rst && !seg_has(seg, TCP_ACK) && !paws &&
        newer_syn(tcb, seg) && listener_takes(tcb)) {
        reopen(tcb);
        return VERDICT(TCP_ACT_REDISPATCH, TCP_DROP_NONE);
    }
    if (paws) {
        tcp_mib_inc(tcb->stack, TCP_MIB_PAWS_ESTAB);
    }
    if (rst) {
        return VERDICT(TCP_ACT_DROP, TCP_DROP_RST_OUT_OF_WINDOW);
    }
    /* The peer did not get our last ACK (it resent its FIN): answer and wait 2*MSL
     * again (RFC 9293 eighth step: "Restart the 2 MSL time-wait timeout"). FreeBSD:
     * tcp_twcheck() restarts it for a retransmitted FIN only ("PAWS not needed"). */
    bool freebsd = tcb->stack->sysctl.personality == TCP_PERSONALITY_FREEBSD;
    if ((paws && !freebsd) || seg_has(seg, linux_tw ? TCP_ACK : TCP_FIN)) {
        tcp_timer_time_wait_start(tcb);
    }
    return VERDICT(TCP_ACT_CHALLENGE, TCP_DROP_TIME_WAIT);
}

/* Linux: tcp_twsk_unique() with tcp_tw_reuse: a new connect() takes over the tuple of a
 * TIME-WAIT connection. The new connection starts 64 KiB past the old SND.NXT and keeps
 * the old TS.Recent, so PAWS (RFC 7323 §5) keeps the old incarnation's segments out. */
void
tcp_tw_takeover(struct tcp_tcb *tw, struct tcp_tcb *tcb)
{
    tcp_seq isn = seq_add(tw->snd_nxt, 65535 + 2);
    tcb->iss = isn ? isn : 1;
    tcb->iss_preset = true;
    tcb->ts_recent = tw->ts_recent;
    tcb->ts_recent_at = tw->ts_recent_at;
    tcp_mib_inc(tw->stack, TCP_MIB_TW_RECYCLED);
    tcp_set_state(tw, TCP_CLOSED, TCP_CAUSE_TW_REUSE);
    tcp_entry_done(tw);
}
