/* SPDX-License-Identifier: MIT */
/*
 * tcp_probe.c: the two probes of an idle connection: zero-window probes (RFC 9293
 * §3.8.6.1, RFC 1122 §4.2.2.17) and keep-alives (RFC 1122 §4.2.3.6).
 *
 * Entry points: tcp_persist_check() (called at the end of tcp_output()),
 * tcp_persist_expired() and tcp_keepalive_expired() (timer callbacks).
 *
 * Linux sends both as a zero-length segment one below SND.UNA, which the peer must
 * answer with an ACK that carries its current window (tcp_xmit_probe_skb()). The RFC
 * personality probes a zero window with one byte of new data, as RFC 9293 describes.
 * Linux also runs the persist ("probe0") timer when data waits with nothing in flight
 * for any other reason, a window smaller than the next segment or TCP_CORK or MSG_MORE:
 * when it fires, what fits goes out, pushed (tcp_write_wakeup()).
 */
#include <errno.h>

#include "tcp.h"

static bool
data_waiting(const struct tcp_tcb *tcb)
{
    tcp_seq end = seq_add(tcb->iss, (uint32_t)(1 + tcb->snd.end));
    return seq_lt(tcb->snd_nxt, end) || (tcb->fin_queued && tcb->snd_nxt == end);
}

/* Whether the waiting data is held with nothing in flight to bring an ACK: the peer's
 * window is closed, or (Linux) too small for the next segment, or the data is corked. */
static bool
data_held(const struct tcp_tcb *tcb)
{
    if (tcb->snd_wnd == 0) {
        return true;
    }
    if (tcb->stack->sysctl.personality != TCP_PERSONALITY_LINUX) {
        return false;
    }
    /* Linux: tcp_write_xmit() returns true, and tcp_check_probe_timer() arms the probe
     * timer, whenever data waits with nothing in flight after a push: the window was
     * too small for the next segment, or TCP_CORK or MSG_MORE held a partial one. */
    tcp_seq end = seq_add(tcb->iss, (uint32_t)(1 + tcb->snd.end));
    return seq_lt(tcb->snd_nxt, end) && tcb->snd_max == tcb->snd_una;
}

/* Arms the persist timer when data waits behind a closed (or, Linux, too small) window
 * and nothing is in flight to bring a window update back; stops it once the window
 * opens. */
void
tcp_persist_check(struct tcp_tcb *tcb)
{
    if (!data_held(tcb)) {
        if (ev_pending(&tcb->timer.persist)) {
            tcp_timer_persist_stop(tcb);
        }
        tcb->persist_backoff = 0;
        return;
    }
    if (tcb->snd_nxt == tcb->snd_una && data_waiting(tcb) && !ev_pending(&tcb->timer.rto) &&
        (tcb->state == TCP_ESTABLISHED || tcb->state == TCP_CLOSE_WAIT ||
         tcb->state == TCP_FIN_WAIT_1 || tcb->state == TCP_LAST_ACK)) {
        tcp_timer_persist_arm(tcb);
    }
}

static void
send_probe(struct tcp_tcb *tcb, uint8_t cause)
{
    tcp_output_probe(tcb, cause);
}

void
tcp_persist_expired(struct tcp_tcb *tcb)
{
    if (!data_held(tcb) || !data_waiting(tcb)) {
        tcb->probes_out = 0;
        tcp_output(tcb);
        return;
    }
    if (tcb->stack->sysctl.personality == TCP_PERSONALITY_LINUX &&
        tcb->snd_max != tcb->snd_una) {
        tcb->probes_out = 0; /* Linux: tcp_probe_timer(): packets out, the RTO watches */
        return;
    }
    if (seq_lt(tcb->snd_nxt, seq_add(tcb->snd_una, tcb->snd_wnd))) {
        /* Linux: tcp_send_probe0() -> tcp_write_wakeup(): what fits goes out, pushed,
         * and the retransmission timer takes over. */
        tcb->persist_backoff++;
        tcp_mib_inc(tcb->stack, TCP_MIB_WIN_PROBE);
        tcp_timer_trace(tcb, TCP_TIMER_PERSIST, tcb->persist_backoff, 0, 0);
        tcp_output_window_fill(tcb);
        tcb->probes_out = 0;
        tcb->persist_backoff = 0;
        return;
    }
    /* Linux: tcp_probe_timer() gives up like a retransmission would: after tcp_retries2
     * unanswered probes (any ACK resets the count, so a live receiver is probed forever,
     * as RFC 1122 §4.2.2.17 requires). */
    if (tcb->probes_out >= tcb->stack->sysctl.tcp_retries2) {
        tcp_timer_trace(tcb, TCP_TIMER_PERSIST, tcb->probes_out + 1, 0, 0);
        tcp_fail(tcb, ETIMEDOUT, TCP_CAUSE_RETRIES);
        return;
    }
    tcb->probes_out++;
    tcb->persist_backoff++;
    tcp_mib_inc(tcb->stack, TCP_MIB_WIN_PROBE);
    tcp_timer_trace(tcb, TCP_TIMER_PERSIST, tcb->persist_backoff, 0, 0);
    send_probe(tcb, TCP_TX_PROBE);
    tcp_timer_persist_arm(tcb); /* exponential backoff: rto << persist_backoff */
}

static sim_time
keep_intvl(const struct tcp_tcb *tcb)
{
    return tcb->keepintvl ? tcb->keepintvl : tcb->stack->sysctl.tcp_keepalive_intvl;
}

static sim_time
keep_idle(const struct tcp_tcb *tcb)
{
    return tcb->keepidle ? tcb->keepidle : tcb->stack->sysctl.tcp_keepalive_time;
}

static int64_t
keep_cnt(const struct tcp_tcb *tcb)
{
    return tcb->keepcnt ? tcb->keepcnt : tcb->stack->sysctl.tcp_keepalive_probes;
}

/* Linux: tcp_keepalive_timer(). */
void
tcp_keepalive_expired(struct tcp_tcb *tcb)
{
    if (!tcb->keepalive || tcb->state == TCP_CLOSED || tcb->state == TCP_LISTEN ||
        tcb->state == TCP_SYN_SENT || tcb->state == TCP_TIME_WAIT) {
        return;
    }
    /* Data in flight is watched by the retransmission timer, not by keep-alives. */
    if (tcb->snd_una != tcb->snd_max || tcp_snd_queued(tcb) > 0) {
        tcp_timer_keepalive_reset(tcb);
        return;
    }
    sim_time idle = tcp_now(tcb) - tcb->last_rcv_at;
    if (idle < keep_idle(tcb) && tcb->probes_out == 0) {
        ev_schedule(tcb->stack->q, &tcb->timer.keepalive,
                    tcp_timer_expiry(tcb->stack, keep_idle(tcb) - idle));
        return;
    }
    if (tcb->probes_out >= keep_cnt(tcb)) {
        /* "after probes unanswered probes, Linux sends [R.] and the application gets
         * ETIMEDOUT" (tcp_keepalive_timer() -> tcp_send_active_reset(), tcp_write_err()). */
        tcp_timer_trace(tcb, TCP_TIMER_KEEPALIVE, tcb->probes_out + 1, 0, keep_intvl(tcb));
        tcp_output_rst(tcb);
        tcp_fail(tcb, ETIMEDOUT, TCP_CAUSE_KEEPALIVE);
        return;
    }
    sim_time waited = tcb->probes_out == 0 ? keep_idle(tcb) : keep_intvl(tcb);
    tcb->probes_out++;
    tcp_mib_inc(tcb->stack, TCP_MIB_KEEPALIVE);
    tcp_timer_trace(tcb, TCP_TIMER_KEEPALIVE, tcb->probes_out, 0, waited);
    send_probe(tcb, TCP_TX_KEEPALIVE);
    ev_schedule(tcb->stack->q, &tcb->timer.keepalive,
                tcp_timer_expiry(tcb->stack, keep_intvl(tcb)));
}
