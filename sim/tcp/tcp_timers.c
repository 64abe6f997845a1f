/* SPDX-License-Identifier: MIT */
/*
 * tcp_timers.c: every timer of a connection, each an embedded `struct ev`.
 *
 * Entry points: the tcp_timer_*() arm/stop functions and the callbacks below.
 *   rto        RFC 6298 §5: retransmit SYN, SYN-ACK, data or FIN; back off; give up
 *              after tcp_syn_retries / tcp_synack_retries / tcp_retries2 (Linux budgets)
 *   delack     RFC 1122 §4.2.3.2: send the ACK that was held back
 *   time_wait  RFC 9293 §3.10.7.4: 2*MSL in TIME_WAIT; tcp_fin_timeout for an orphaned
 *              FIN_WAIT_2 (Linux)
 *   keepalive  RFC 1122 §4.2.3.6
 *   persist    RFC 9293 §3.8.6.1: zero-window probes
 * The rto timer also stands in for two others, as Linux's one transmit timer does
 * (tcb->xmit_timer): the tail loss probe (tcp_tlp.c) and RACK's reordering timeout
 * (tcp_rack.c).
 * A callback does its RFC work and calls tcp_output(); it never builds a segment.
 */
#include <errno.h>

#include "tcp.h"

static const char *const timer_names[TCP_NTIMERS] = {
    [TCP_TIMER_NONE] = "?",          [TCP_TIMER_RTO_SYN] = "rto",
    [TCP_TIMER_RTO] = "rto",         [TCP_TIMER_RTO_ORPHAN] = "rto",
    [TCP_TIMER_RTO_USER] = "rto",
    [TCP_TIMER_SYNACK] = "synack",   [TCP_TIMER_DELACK] = "delack",
    [TCP_TIMER_TIME_WAIT] = "2msl",  [TCP_TIMER_FIN_WAIT_2] = "fin_wait_2",
    [TCP_TIMER_KEEPALIVE] = "keepalive", [TCP_TIMER_PERSIST] = "persist",
    [TCP_TIMER_TLP] = "tlp",         [TCP_TIMER_REO] = "rack",
};

static int64_t orphan_retries(const struct tcp_tcb *tcb);

/* The knob's value that bounds the timer's count, for explain mode (0: none). */
static int64_t
timer_limit(const struct tcp_tcb *tcb, enum tcp_timer_id id)
{
    const struct tcp_sysctl *s = &tcb->stack->sysctl;
    switch (id) {
    case TCP_TIMER_RTO_SYN:
        return s->tcp_syn_retries;
    case TCP_TIMER_RTO:
    case TCP_TIMER_PERSIST:
        return s->tcp_retries2;
    case TCP_TIMER_RTO_ORPHAN:
        return orphan_retries(tcb);
    case TCP_TIMER_RTO_USER:
        return tcb->user_timeout;
    case TCP_TIMER_SYNACK:
        return s->tcp_synack_retries;
    case TCP_TIMER_KEEPALIVE:
        return tcb->keepcnt ? tcb->keepcnt : s->tcp_keepalive_probes;
    case TCP_TIMER_NONE:
    case TCP_TIMER_DELACK:
    case TCP_TIMER_TIME_WAIT:
    case TCP_TIMER_FIN_WAIT_2:
    case TCP_TIMER_TLP:
    case TCP_TIMER_REO:
    case TCP_NTIMERS:
        break;
    }
    return 0;
}

/* The bucket of the timer wheel a timeout of `span` waits in, when it is coarser than one
 * tick (level 1 and up): the rounding the explanation states. 0 otherwise. */
static int64_t
wheel_grain(const struct tcp_sysctl *s, sim_time span)
{
    if (s->hz <= 0 || span <= 0) {
        return 0;
    }
    int64_t tick = SEC(1) / s->hz;
    unsigned lvl = tcp_wheel_level(s->hz, (span + tick - 1) / tick);
    return lvl == 0 ? 0 : tick << (3 * lvl);
}

/* `span` is the timeout that just expired (0 when not known); `next` the one armed now. */
static void
trace_timer(struct tcp_tcb *tcb, enum tcp_timer_id id, int64_t count, sim_time next,
            sim_time span)
{
    struct tcp_stack *st = tcb->stack;
    if (!G_UNLIKELY(trace_wants(st->trace, TRACE_TIMER))) {
        return;
    }
    struct trace_event ev = {
        .kind = TRACE_TIMER,
        .at = tcp_now(tcb),
        .host = st->host_name,
        .sock = tcb->id,
        .reason = timer_names[id],
        .a = count,
        .b = next,
        .why = {.code = (int)id, .limit = timer_limit(tcb, id), .span = span,
                .grain = wheel_grain(&st->sysctl, span)},
    };
    trace_emit(st->trace, &ev);
}

/* Which budget the retransmission timer spends (Linux: tcp_write_timeout()). */
static enum tcp_timer_id
rto_timer_id(const struct tcp_tcb *tcb)
{
    if (tcb->state == TCP_SYN_SENT || tcb->state == TCP_SYN_RECEIVED) {
        return TCP_TIMER_RTO_SYN;
    }
    if (tcb->user_timeout) {
        return TCP_TIMER_RTO_USER; /* it replaces the retry budget (budget_spent()) */
    }
    return tcb->orphan ? TCP_TIMER_RTO_ORPHAN : TCP_TIMER_RTO;
}

/*
 * Linux runs TCP's timers on jiffies (CONFIG_HZ ticks; 250 on most distributions): a
 * timeout becomes whole ticks, rounded up (msecs_to_jiffies(), usecs_to_jiffies()), and
 * the timer wheel files it in a bucket of its level and fires it when the bucket comes
 * due (kernel/time/timer.c, calc_wheel_index(), calc_index()): level 0 holds timers due
 * within 63 ticks, in buckets of one tick; each further level covers 8 times the span
 * in buckets 8 times as coarse (LVL_START(n) = 63 << 3(n-1), LVL_GRAN(n) = 8^n). A timer
 * is never early: its expiry tick is rounded up to the next bucket boundary of its
 * level, strictly past it, so a timer of d ticks fires d+1 ticks on at level 0 and on
 * the next multiple of 8 past jiffies + d at level 1. The boundaries are multiples of
 * the granularity in the absolute tick count: where the count stands (initial_jiffies,
 * Linux's INITIAL_JIFFIES at boot) decides how late a long timer fires, 1 s (250 ticks)
 * within 1.004-1.032 s, 4 s (level 2, 64-tick buckets) within 4.004-4.26 s. Two timers
 * due within one bucket fire together. Ticks fall at 1/hz - tick_phase, then every 1/hz.
 */
int64_t
tcp_jiffies_at(const struct tcp_sysctl *s, sim_time t)
{
    int64_t tick = SEC(1) / s->hz;
    int64_t j0 = s->initial_jiffies >= 0 ? s->initial_jiffies : (1LL << 32) - 300 * s->hz;
    return j0 + (t + s->tick_phase % tick) / tick;
}

/* The time at which the tick count reaches `j`. */
sim_time
tcp_jiffies_time(const struct tcp_sysctl *s, int64_t j)
{
    int64_t tick = SEC(1) / s->hz;
    int64_t j0 = s->initial_jiffies >= 0 ? s->initial_jiffies : (1LL << 32) - 300 * s->hz;
    return (j - j0) * tick - s->tick_phase % tick;
}

/* The wheel level a timer `d` ticks away goes to, and its granularity's shift
 * (Linux: calc_wheel_index(); LVL_DEPTH is 9 above HZ 100, else 8). */
unsigned
tcp_wheel_level(int64_t hz, int64_t d)
{
    unsigned depth = hz > 100 ? 9 : 8;
    unsigned lvl = 0;
    while (lvl + 1 < depth && d >= (63LL << (3 * lvl))) {
        lvl++;
    }
    return lvl;
}

sim_time
tcp_timer_expiry(const struct tcp_stack *st, sim_time delay)
{
    const struct tcp_sysctl *s = &st->sysctl;
    sim_time now = st->q->now;
    if (s->hz <= 0) {
        return now + delay;
    }
    int64_t tick = SEC(1) / s->hz;
    int64_t clk = tcp_jiffies_at(s, now);
    int64_t d = delay > 0 ? (delay + tick - 1) / tick : 0;
    unsigned depth = s->hz > 100 ? 9 : 8;
    int64_t cutoff = 63LL << (3 * (depth - 1)); /* LVL_START(LVL_DEPTH) */
    if (d >= cutoff) {
        d = cutoff - (1LL << (3 * (depth - 1))); /* WHEEL_TIMEOUT_MAX */
    }
    unsigned shift = 3 * tcp_wheel_level(s->hz, d);
    int64_t bucket = (((clk + d) >> shift) + 1) << shift;
    return tcp_jiffies_time(s, bucket);
}

static void
arm(struct tcp_tcb *tcb, struct ev *ev, sim_time delay)
{
    ev_schedule(tcb->stack->q, ev, tcp_timer_expiry(tcb->stack, delay));
}

/*
 * Linux: tcp_model_timeout(). tcp_syn_retries and tcp_retries2 are not counts but time
 * budgets: the time the given number of retransmissions would take with pure
 * exponential backoff from `base`, capped per step at rto_max.
 */
static sim_time
model_timeout(const struct tcp_tcb *tcb, int64_t boundary, sim_time base)
{
    sim_time max = tcb->stack->sysctl.rto_max;
    int64_t thresh = 0;
    while (thresh < 62 && (base << (thresh + 1)) <= max) {
        thresh++; /* ilog2(rto_max / base) */
    }
    if (boundary <= thresh) {
        return ((2LL << boundary) - 1) * base;
    }
    return ((2LL << thresh) - 1) * base + (boundary - thresh) * max;
}

/* Linux: retransmits_timed_out(). */
static bool
budget_spent(const struct tcp_tcb *tcb, int64_t boundary, sim_time base)
{
    if (tcb->retransmits == 0) {
        return false;
    }
    sim_time budget = tcb->user_timeout ? tcb->user_timeout : model_timeout(tcb, boundary, base);
    return tcp_now(tcb) - tcb->retrans_start >= budget;
}

/* Linux: tcp_orphan_retries(): 0 means 8 while the RTO has not reached its maximum. */
static int64_t
orphan_retries(const struct tcp_tcb *tcb)
{
    int64_t r = tcb->stack->sysctl.tcp_orphan_retries;
    if (r == 0 && tcb->rto < tcb->stack->sysctl.rto_max) {
        r = 8;
    }
    return r;
}

/* Linux: tcp_write_timeout(). True when the connection has been given up. */
static bool
write_timeout(struct tcp_tcb *tcb)
{
    const struct tcp_sysctl *s = &tcb->stack->sysctl;
    bool expired;
    if (tcb->state == TCP_SYN_SENT && s->personality == TCP_PERSONALITY_FREEBSD) {
        /* FreeBSD: tcp_timer_keep(): a connection not established within keepinit
         * (75 s) is dropped, however many SYNs went out. */
        if (tcb->retransmits == 0 || tcp_now(tcb) - tcb->retrans_start < s->keepinit) {
            return false;
        }
        tcp_mib_inc(tcb->stack, TCP_MIB_ABORT_ON_TIMEOUT); /* the state line says why */
        tcp_fail(tcb, ETIMEDOUT, TCP_CAUSE_KEEPINIT);
        return true;
    }
    if (s->personality == TCP_PERSONALITY_FREEBSD && tcb->state != TCP_SYN_RECEIVED &&
        !tcb->user_timeout) {
        /* FreeBSD: tcp_timer_rexmt(): dropped after TCP_MAXRXTSHIFT (12) retransmissions,
         * a count rather than Linux's time budget. */
        expired = tcb->retransmits >= s->tcp_retries2;
    } else if (tcb->state == TCP_SYN_SENT || tcb->state == TCP_SYN_RECEIVED) {
        int64_t max = s->tcp_syn_retries;
        if (tcb->state == TCP_SYN_SENT) {
            max += s->tcp_syn_linear_timeouts;
        }
        expired = tcb->retransmits >= max ||
                  budget_spent(tcb, s->tcp_syn_retries, s->rto_initial);
    } else {
        int64_t until = tcb->orphan ? orphan_retries(tcb) : s->tcp_retries2;
        expired = budget_spent(tcb, until, s->rto_min);
    }
    if (expired) {
        trace_timer(tcb, rto_timer_id(tcb), tcb->retransmits + 1, 0, tcb->rto);
        /* Linux: tcp_write_err(): the error is ETIMEDOUT and no RST is sent. */
        tcp_mib_inc(tcb->stack, TCP_MIB_ABORT_ON_TIMEOUT);
        tcp_fail(tcb, ETIMEDOUT, tcb->user_timeout ? TCP_CAUSE_USER_TIMEOUT : TCP_CAUSE_RETRIES);
    }
    return expired;
}

/* Linux: reqsk_timer_handler(). A half-open child resends its SYN-ACK at 1, 3, 7, 15,
 * 31 s and is dropped, silently, when tcp_synack_retries timeouts have passed. */
static void
synack_timeout(struct tcp_tcb *tcb)
{
    const struct tcp_sysctl *s = &tcb->stack->sysctl;
    if (tcb->synack_timeouts >= s->tcp_synack_retries) {
        trace_timer(tcb, TCP_TIMER_SYNACK, tcb->synack_timeouts + 1, 0, tcb->rto);
        tcp_set_state(tcb, TCP_CLOSED, TCP_CAUSE_RETRIES);
        return;
    }
    sim_time expired = tcb->rto;
    tcb->synack_timeouts++;
    tcb->retransmits++;
    /* rto_initial * 2^timeouts, saturated at rto_max: tcp_synack_retries may be 255,
     * and a shift of 64 or an overflow would put the next timeout in the past. */
    unsigned n = tcb->synack_timeouts;
    sim_time next = n < 62 && s->rto_initial <= (s->rto_max >> n) ? s->rto_initial << n
                                                                   : s->rto_max;
    if (s->personality == TCP_PERSONALITY_FREEBSD) {
        /* FreeBSD: syncache_timeout(): rexmit_initial times tcp_backoff[], plus the
         * slop after the first: SYN-ACKs at 0, 1, 3.2, 7.4 s. */
        next += s->rexmit_slop;
    }
    tcb->rto = next < s->rto_max ? next : s->rto_max;
    trace_timer(tcb, TCP_TIMER_SYNACK, tcb->synack_timeouts, tcb->rto, expired);
    tcb->snd_nxt = tcb->snd_una; /* resend the SYN-ACK */
    tcb->rexmit_cause = TCP_TX_RTO;
    arm(tcb, &tcb->timer.rto, tcb->rto);
}

static void
backoff(struct tcp_tcb *tcb)
{
    const struct tcp_sysctl *s = &tcb->stack->sysctl;
    tcb->retransmits++;
    if (s->personality == TCP_PERSONALITY_FREEBSD) {
        /* FreeBSD: tcp_timer_rexmt(): the estimate times the backoff table, plus the
         * slop (tcp_rtt_freebsd_rto()). */
        tcb->backoff++;
        tcb->rto = tcp_rtt_freebsd_rto(tcb, tcb->backoff);
        return;
    }
    if (tcb->state == TCP_SYN_SENT && tcb->retransmits <= s->tcp_syn_linear_timeouts) {
        /* Linux: tcp_syn_linear_timeouts keeps the first SYN retransmissions at the
         * initial timeout (SYNs at 0, 1, 2, 3, 4, 5 s, then 7, 11 ...). */
        tcb->backoff = 0;
        tcb->rto = s->rto_initial;
        return;
    }
    /* RFC 6298 §5.5: RTO <- RTO * 2, bounded by the maximum. */
    tcb->backoff++;
    tcb->rto = tcb->rto * 2 < s->rto_max ? tcb->rto * 2 : s->rto_max;
}

/* Linux: tcp_clamp_rto_to_user_timeout(). With TCP_USER_TIMEOUT the next timer fires no
 * later than the moment the budget runs out, so the connection is given up on time
 * rather than at the end of a long backed-off RTO. */
static sim_time
clamp_to_user_timeout(const struct tcp_tcb *tcb, sim_time rto)
{
    if (tcb->user_timeout == 0 || tcb->retransmits == 0) {
        return rto;
    }
    sim_time left = tcb->user_timeout - (tcp_now(tcb) - tcb->retrans_start);
    if (left <= 0) {
        return MS(1); /* Linux: one jiffy */
    }
    return left < rto ? left : rto;
}

/*
 * The peer's window is zero and data is outstanding: it was sent, then the window
 * closed under it (the peer took part of a segment, or never read). RFC 1122
 * §4.2.2.17: "As long as the receiving TCP continues to send acknowledgments in response
 * to the probe segments, the sending TCP MUST allow the connection to stay open."
 * Linux: tcp_retransmit_timer() ("receiver dastardly shrinks window"): the
 * retransmission goes as a probe, one segment at SND.UNA whatever the window, and the
 * timer backs off; it is not counted against tcp_retries2. Only when nothing has come
 * from the peer for twice the maximum RTO (TCP_RTO_MAX), and the probing has gone on as
 * long, is the connection given up. Both personalities. Returns true when the expiry was handled here.
 */
static bool
zero_window_timeout(struct tcp_tcb *tcb)
{
    const struct tcp_sysctl *s = &tcb->stack->sysctl;
    if (tcb->snd_wnd != 0 || tcb->orphan ||
        !tcp_state_is_synchronized(tcb->state) || tcb->state == TCP_SYN_RECEIVED ||
        tcb->snd_una == tcb->snd_max) {
        return false;
    }
    sim_time expired = tcb->rto;
    if (tcb->backoff == 0) {
        tcb->retrans_start = tcp_now(tcb); /* Linux: retrans_stamp */
    }
    /* Linux 6.x: tcp_rtx_probe0_timed_out(): given up only when nothing came from the
     * peer for twice TCP_RTO_MAX and the probing itself has lasted as long (the timer
     * wheel's rounding must not end a connection whose peer still answers). */
    sim_time timeout = 2 * s->rto_max;
    if (tcp_now(tcb) - tcb->last_rcv_at > timeout &&
        tcp_now(tcb) - tcb->retrans_start > timeout) {
        trace_timer(tcb, TCP_TIMER_RTO, tcb->retransmits + 1, 0, expired);
        tcp_mib_inc(tcb->stack, TCP_MIB_ABORT_ON_TIMEOUT);
        tcp_fail(tcb, ETIMEDOUT, TCP_CAUSE_RETRIES);
        return true;
    }
    if (tcb->backoff == 0) {
        tcb->cc.flight = seq_diff(tcb->snd_max, tcb->snd_una);
        tcb->cc_ops->on_rto(&tcb->cc, tcp_now(tcb));
    }
    tcb->in_recovery = false;
    tcb->high_rxt_valid = false;
    tcb->dupacks = 0;
    tcb->backoff++;
    tcb->rto = tcb->rto * 2 < s->rto_max ? tcb->rto * 2 : s->rto_max;
    trace_timer(tcb, TCP_TIMER_RTO, tcb->backoff, tcb->rto, expired);
    tcb->rtt_timing = false;
    arm(tcb, &tcb->timer.rto, tcb->rto);
    tcp_send_segment_at(tcb, tcb->snd_una, TCP_TX_RTO);
    return true;
}

static void
rto_fired(struct ev *ev)
{
    struct tcp_tcb *tcb = container_of(ev, struct tcp_tcb, timer.rto);
    enum tcp_xmit_timer what = (enum tcp_xmit_timer)tcb->xmit_timer;
    tcb->xmit_timer = TCP_XMIT_RTO;
    switch (what) {
    case TCP_XMIT_TLP:
        tcp_tlp_fired(tcb);
        tcp_entry_done(tcb);
        return;
    case TCP_XMIT_REO:
        tcp_rack_reo_fired(tcb);
        tcp_entry_done(tcb);
        return;
    case TCP_XMIT_RTO:
        break;
    }
    if (tcb->state == TCP_SYN_RECEIVED && tcb->passive) {
        synack_timeout(tcb);
        if (tcb->state != TCP_CLOSED) {
            tcp_output(tcb);
        }
        tcp_entry_done(tcb);
        return;
    }
    tcp_mib_inc(tcb->stack, TCP_MIB_TIMEOUTS);
    sim_time expired = tcb->rto;
    enum tcp_timer_id id = rto_timer_id(tcb);
    if (zero_window_timeout(tcb)) {
        tcp_entry_done(tcb);
        return;
    }
    if (write_timeout(tcb)) {
        tcp_entry_done(tcb);
        return;
    }
    tcp_undo_on_rto(tcb); /* tcp_undo.c: the Loss state, F-RTO (RFC 5682) */
    if (tcb->retransmits == 0) {
        /* Linux: retrans_stamp. The budget counts from the first transmission of the
         * oldest unacknowledged segment, approximated by when this timer was armed. */
        tcb->retrans_start = tcp_now(tcb) - tcb->rto;
        tcb->cc.flight = seq_diff(tcb->snd_max, tcb->snd_una);
        tcb->cc_ops->on_rto(&tcb->cc, tcp_now(tcb));
    } else {
        tcb->cc.cwnd = tcb->cc.mss; /* repeated expiry: keep ssthresh, one segment */
    }
    tcb->in_recovery = false;
    tcb->high_rxt_valid = false;
    tcb->dupacks = 0;
    tcp_rack_on_rto(tcb);
    backoff(tcb);
    sim_time next = clamp_to_user_timeout(tcb, tcb->rto);
    if (tcb->state == TCP_SYN_SENT && tcb->stack->sysctl.personality == TCP_PERSONALITY_FREEBSD) {
        /* FreeBSD: the keepinit timer runs beside the SYN's: the next look is no later
         * than the moment it fires. */
        sim_time left = tcb->stack->sysctl.keepinit - (tcp_now(tcb) - tcb->retrans_start);
        next = left > 0 && left < next ? left : next;
    }
    trace_timer(tcb, id, tcb->retransmits, next, expired);
    if (id != TCP_TIMER_RTO_SYN) {
        tcp_trace_cc(tcb, "rto"); /* the window collapsed above (RFC 5681 §3.1) */
    }
    /* RFC 6298 §5.4: retransmit the earliest unacknowledged segment; going back to
     * SND.UNA resends the rest as the window reopens (BSD). Karn: stop timing. */
    tcb->snd_nxt = tcb->snd_una;
    tcb->rexmit_cause = TCP_TX_RTO;
    tcb->rtt_timing = false;
    arm(tcb, &tcb->timer.rto, next); /* RFC 6298 §5.6 */
    tcp_output(tcb);
    tcp_entry_done(tcb);
}

static void
delack_fired(struct ev *ev)
{
    struct tcp_tcb *tcb = container_of(ev, struct tcp_tcb, timer.delack);
    trace_timer(tcb, TCP_TIMER_DELACK, 0, 0, 0);
    tcp_mib_inc(tcb->stack, TCP_MIB_DELAYED_ACKS);
    tcp_delack_fired(tcb);
    tcp_ack_now(tcb);
    tcp_output(tcb);
    tcp_entry_done(tcb);
}

static void
time_wait_fired(struct ev *ev)
{
    struct tcp_tcb *tcb = container_of(ev, struct tcp_tcb, timer.time_wait.ev);
    if (tcb->state == TCP_TIME_WAIT) {
        trace_timer(tcb, TCP_TIMER_TIME_WAIT, 0, 0, 2 * tcb->stack->sysctl.msl);
        /* RFC 9293 §3.10.8: "If the time-wait timeout expires on a connection, delete
         * the TCB, enter the CLOSED state, and return." */
        tcp_set_state(tcb, TCP_CLOSED, TCP_CAUSE_TIME_WAIT);
    } else if (tcb->state == TCP_FIN_WAIT_2) {
        trace_timer(tcb, TCP_TIMER_FIN_WAIT_2, 0, 0, tcb->stack->sysctl.tcp_fin_timeout);
        /* Linux: an orphaned FIN_WAIT_2 connection lives tcp_fin_timeout, then goes
         * away without a segment (RFC 9293 has no such timer). */
        tcp_set_state(tcb, TCP_CLOSED, TCP_CAUSE_FIN_TIMEOUT);
    }
    tcp_entry_done(tcb);
}

static void
keepalive_fired(struct ev *ev)
{
    struct tcp_tcb *tcb = container_of(ev, struct tcp_tcb, timer.keepalive);
    tcp_keepalive_expired(tcb);
    tcp_entry_done(tcb);
}

static void
persist_fired(struct ev *ev)
{
    struct tcp_tcb *tcb = container_of(ev, struct tcp_tcb, timer.persist);
    tcp_persist_expired(tcb);
    tcp_entry_done(tcb);
}

void
tcp_timers_init(struct tcp_tcb *tcb)
{
    ev_init(&tcb->timer.rto, rto_fired);
    ev_init(&tcb->timer.persist, persist_fired);
    ev_init(&tcb->timer.keepalive, keepalive_fired);
    ev_init(&tcb->timer.delack, delack_fired);
    ev_lnode_init(&tcb->timer.time_wait, time_wait_fired);
}

void
tcp_timers_cancel_all(struct tcp_tcb *tcb)
{
    struct ev_queue *q = tcb->stack->q;
    ev_cancel(q, &tcb->timer.rto);
    ev_cancel(q, &tcb->timer.persist);
    ev_cancel(q, &tcb->timer.keepalive);
    ev_cancel(q, &tcb->timer.delack);
    ev_lnode_cancel(q, &tcb->timer.time_wait);
}

/* RFC 6298 §5.1: start the timer if it is not running. */
void
tcp_timer_rto_arm(struct tcp_tcb *tcb)
{
    if (!ev_pending(&tcb->timer.rto)) {
        tcb->xmit_timer = TCP_XMIT_RTO;
        arm(tcb, &tcb->timer.rto, tcb->rto);
    }
}

/* RFC 6298 §5.3: an ACK of new data restarts the timer. */
void
tcp_timer_rto_restart(struct tcp_tcb *tcb)
{
    tcb->xmit_timer = TCP_XMIT_RTO;
    arm(tcb, &tcb->timer.rto, tcb->rto);
}

void
tcp_timer_xmit_arm(struct tcp_tcb *tcb, enum tcp_xmit_timer what, sim_time delay)
{
    tcb->xmit_timer = (uint8_t)what;
    arm(tcb, &tcb->timer.rto, delay);
}

void
tcp_timer_rto_rearm(struct tcp_tcb *tcb)
{
    if (tcb->snd_una == tcb->snd_max) {
        tcp_timer_rto_stop(tcb);
        return;
    }
    sim_time delay = tcb->rto;
    sim_time head = tcp_rack_head_xmit(tcb);
    if (head >= 0) {
        /* Linux: tcp_rto_delta_us(): due an RTO after the oldest segment's last send. */
        delay = head + tcb->rto - tcp_now(tcb);
        delay = delay > US(1) ? delay : US(1);
    }
    tcp_timer_xmit_arm(tcb, TCP_XMIT_RTO, delay);
}

/* RFC 6298 §5.2: all outstanding data acknowledged. */
void
tcp_timer_rto_stop(struct tcp_tcb *tcb)
{
    ev_cancel(tcb->stack->q, &tcb->timer.rto);
}

void
tcp_timer_delack_arm(struct tcp_tcb *tcb)
{
    if (!ev_pending(&tcb->timer.delack)) {
        /* An ato of 0 (armed as 1 ns, 0 meaning unset) is Linux's `jiffies + 0`: the
         * timer wheel files it for the next tick (calc_index() rounds up by one), as
         * measured: a bare FIN on a connection with no data is ACKed at the next tick. */
        sim_time d = tcb->ato_armed ? tcb->ato_armed : tcb->stack->sysctl.delack_min;
        arm(tcb, &tcb->timer.delack, d == 1 ? 0 : d);
    }
}

void
tcp_timer_delack_stop(struct tcp_tcb *tcb)
{
    ev_cancel(tcb->stack->q, &tcb->timer.delack);
}

/* RFC 9293 §3.10.7.4 eighth step: TIME_WAIT lasts 2*MSL, restarted by a retransmitted
 * FIN. Linux holds it a fixed 60 s (TCP_TIMEWAIT_LEN), which is msl 30s here. */
void
tcp_timer_time_wait_start(struct tcp_tcb *tcb)
{
    struct tcp_stack *st = tcb->stack;
    ev_lnode_schedule(&st->tw_lane, &tcb->timer.time_wait,
                      tcp_timer_expiry(st, 2 * st->sysctl.msl));
}

void
tcp_timer_fin_wait_2_start(struct tcp_tcb *tcb)
{
    struct tcp_stack *st = tcb->stack;
    ev_lnode_schedule(&st->fin_lane, &tcb->timer.time_wait,
                      tcp_timer_expiry(st, st->sysctl.tcp_fin_timeout));
}

static sim_time
keepidle(const struct tcp_tcb *tcb)
{
    return tcb->keepidle ? tcb->keepidle : tcb->stack->sysctl.tcp_keepalive_time;
}

/* RFC 1122 §4.2.3.6: probes start after an idle interval; any segment from the peer
 * proves it alive and restarts the count. */
void
tcp_timer_keepalive_reset(struct tcp_tcb *tcb)
{
    tcb->probes_out = 0;
    if (tcb->keepalive && tcp_state_is_synchronized(tcb->state) &&
        tcb->state != TCP_TIME_WAIT) {
        arm(tcb, &tcb->timer.keepalive, keepidle(tcb));
    } else {
        ev_cancel(tcb->stack->q, &tcb->timer.keepalive);
    }
}

void
tcp_timer_keepalive_arm_interval(struct tcp_tcb *tcb)
{
    sim_time intvl = tcb->keepintvl ? tcb->keepintvl : tcb->stack->sysctl.tcp_keepalive_intvl;
    arm(tcb, &tcb->timer.keepalive, intvl);
}

void
tcp_timer_persist_arm(struct tcp_tcb *tcb)
{
    if (!ev_pending(&tcb->timer.persist)) {
        /* Linux: tcp_probe0_when(): the RTO doubled per probe, up to rto_max. */
        uint16_t b = tcb->persist_backoff < 16 ? tcb->persist_backoff : 16;
        sim_time t = tcb->rto << b;
        sim_time max = tcb->stack->sysctl.rto_max;
        arm(tcb, &tcb->timer.persist, t < max ? t : max);
    }
}

void
tcp_timer_persist_stop(struct tcp_tcb *tcb)
{
    ev_cancel(tcb->stack->q, &tcb->timer.persist);
}

void
tcp_timer_trace(struct tcp_tcb *tcb, enum tcp_timer_id id, int64_t count, sim_time next,
                sim_time span)
{
    trace_timer(tcb, id, count, next, span);
}
