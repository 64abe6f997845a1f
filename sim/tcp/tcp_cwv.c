/* SPDX-License-Identifier: MIT */
/*
 * tcp_cwv.c: how much of its congestion window a flow really uses (RFC 7661, congestion
 * window validation) and what an idle period does to the window (RFC 5681 §4.1).
 *
 * Entry points: tcp_cwnd_validate() (end of tcp_output()), tcp_cwnd_is_limited() (before
 * an ACK grows the window), tcp_cwnd_idle_check() (new data queued, or the peer's window
 * changed, after a pause).
 *
 * Linux personality: tcp_cwnd_validate() remembers, for one window of data, whether the
 * flow was cwnd-limited and the largest flight; an ACK grows cwnd only if it was, or, in
 * slow start, while cwnd is below twice that flight (tcp_is_cwnd_limited()). A flow that
 * stays below its window for an RTO has it halved towards what it used
 * (tcp_cwnd_application_limited(), RFC 2861), and one that sent nothing for an RTO
 * restarts from the initial window, halving once per idle RTO (tcp_cwnd_restart()); both
 * only with tcp_slow_start_after_idle 1 (the default). The RFC personality grows cwnd on
 * every ACK (RFC 5681) and restarts an idle flow at min(IW, cwnd) (RFC 5681 §4.1).
 */
#include "tcp.h"

static bool
is_linux(const struct tcp_tcb *tcb)
{
    return tcb->stack->sysctl.personality == TCP_PERSONALITY_LINUX;
}

static uint32_t
flight(const struct tcp_tcb *tcb)
{
    return seq_diff(tcb->snd_max, tcb->snd_una);
}

/* Linux: tcp_is_cwnd_limited(). */
bool
tcp_cwnd_is_limited(const struct tcp_tcb *tcb)
{
    if (!is_linux(tcb) || tcb->cwnd_limited) {
        return true;
    }
    /* "If in slow start, ensure cwnd grows to twice what was ACKed." */
    if (tcb->cc.cwnd < tcb->cc.ssthresh) {
        return (uint64_t)tcb->cc.cwnd < 2 * (uint64_t)tcb->max_flight;
    }
    return false;
}

/* Linux: tcp_current_ssthresh(): outside recovery, at least three quarters of cwnd. */
static uint32_t
current_ssthresh(const struct tcp_tcb *tcb)
{
    uint32_t c = tcb->cc.cwnd;
    uint32_t q = (c >> 1) + (c >> 2);
    if (tcb->in_recovery) {
        return tcb->cc.ssthresh;
    }
    return tcb->cc.ssthresh > q ? tcb->cc.ssthresh : q;
}

/* Linux: tcp_cwnd_application_limited() (RFC 2861 §3): a window unused for an RTO
 * decays half way towards what was used, at least the initial window. */
static void
application_limited(struct tcp_tcb *tcb)
{
    if (!tcb->in_recovery && !tcb->snd_nospace) {
        uint32_t iw = tcp_cc_initial_window(&tcb->cc);
        uint32_t used = tcb->cwnd_used > iw ? tcb->cwnd_used : iw;
        if (used < tcb->cc.cwnd) {
            tcb->cc.ssthresh = current_ssthresh(tcb);
            tcb->cc.cwnd = (tcb->cc.cwnd + used) / 2;
            tcp_trace_cc(tcb, "application-limited");
        }
        tcb->cwnd_used = 0;
    }
    tcb->cwnd_stamp = tcp_now(tcb);
}

/* Linux: tcp_cwnd_validate(), at the end of tcp_write_xmit(): `sent` says whether new
 * data went out. */
void
tcp_cwnd_validate(struct tcp_tcb *tcb, bool sent)
{
    if (!tcp_state_is_synchronized(tcb->state) || tcb->cc.mss == 0) {
        return;
    }
    uint32_t f = flight(tcb);
    /* No room for one more full segment: the window, not the application, limits. */
    bool limited = (uint64_t)f + tcb->mss > tcb->cc.cwnd;
    if (!sent && !limited) {
        return;
    }
    if (seq_geq(tcb->snd_una, tcb->cwnd_usage_seq) || limited ||
        (!tcb->cwnd_limited && f > tcb->max_flight)) {
        tcb->cwnd_limited = limited;
        tcb->max_flight = f;
        tcb->cwnd_usage_seq = tcb->snd_max;
    }
    if (!is_linux(tcb)) {
        return;
    }
    if (tcp_cwnd_is_limited(tcb)) {
        tcb->cwnd_used = 0;
        tcb->cwnd_stamp = tcp_now(tcb);
        return;
    }
    if (f > tcb->cwnd_used) {
        tcb->cwnd_used = f;
    }
    if (tcb->stack->sysctl.tcp_slow_start_after_idle &&
        tcp_now(tcb) - tcb->cwnd_stamp >= tcb->rto) {
        application_limited(tcb);
    }
}

/* Linux: tcp_slow_start_after_idle_check() and tcp_cwnd_restart(); RFC 5681 §4.1:
 * "if the TCP has not sent data in an interval exceeding the retransmission timeout",
 * cwnd restarts from RW = min(IW, cwnd). Linux halves cwnd once per idle RTO, down to
 * that restart window, and keeps three quarters of the old cwnd as ssthresh. */
void
tcp_cwnd_idle_check(struct tcp_tcb *tcb)
{
    const struct tcp_sysctl *s = &tcb->stack->sysctl;
    if (!s->tcp_slow_start_after_idle || tcb->snd_max != tcb->snd_una || tcb->cc.mss == 0 ||
        tcb->snd.una == 0 || !tcp_state_is_synchronized(tcb->state)) {
        return;
    }
    sim_time idle = tcp_now(tcb) - tcb->lsndtime;
    if (idle <= tcb->rto) {
        return;
    }
    uint32_t iw = tcp_cc_initial_window(&tcb->cc);
    uint32_t cwnd = tcb->cc.cwnd;
    uint32_t restart = iw < cwnd ? iw : cwnd;
    if (is_linux(tcb)) {
        tcb->cc.ssthresh = current_ssthresh(tcb);
        while ((idle -= tcb->rto) > 0 && cwnd > restart) {
            cwnd >>= 1;
        }
        cwnd = cwnd > restart ? cwnd : restart;
        tcb->cwnd_stamp = tcp_now(tcb);
        tcb->cwnd_used = 0;
    } else {
        cwnd = restart;
    }
    if (cwnd != tcb->cc.cwnd) {
        tcb->cc.cwnd = cwnd;
        tcp_trace_cc(tcb, "restart after idle");
    }
}
