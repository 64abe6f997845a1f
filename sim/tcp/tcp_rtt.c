/* SPDX-License-Identifier: MIT */
/*
 * tcp_rtt.c: the retransmission timeout estimator (RFC 6298 §2, §3, §5.7).
 *
 * Entry points: tcp_rtt_init(), tcp_rtt_sample(). Arithmetic is in integer nanoseconds:
 * alpha = 1/8 and beta = 1/4 divide exactly enough at that resolution.
 */
#include "tcp.h"

#define RTT_K 4                 /* RFC 6298 §2: K = 4 */
#define RTT_G_RFC MS(1)         /* clock granularity assumed by the RFC personality */

static sim_time
clamp_rto(const struct tcp_tcb *tcb, sim_time rto)
{
    const struct tcp_sysctl *s = &tcb->stack->sysctl;
    if (rto < s->rto_min) {
        rto = s->rto_min;
    }
    if (rto > s->rto_max) {
        rto = s->rto_max;
    }
    return rto;
}

void
tcp_rtt_init(struct tcp_tcb *tcb)
{
    /* RFC 6298 §2.1: "Until a round-trip time (RTT) measurement has been made ... the
     * sender SHOULD set RTO <- 1 second" (the rto_initial knob). */
    tcb->srtt = 0;
    tcb->rttvar = 0;
    tcb->rtt_seeded = false;
    tcb->rto = tcb->stack->sysctl.rto_initial;
}

/*
 * FreeBSD: tcp_timer_rexmt() and tcp_xmit_timer(). The timeout is TCP_REXMTVAL() =
 * max(SRTT + 4*RTTVAR, rexmit_min), times tcp_backoff[] (1, 2, 4 .. 512) for the
 * `shift`-th retransmission, plus rexmit_slop, and TCPT_RANGESET() keeps it within
 * [rexmit_min, 64 s]. Before an RTT sample the estimate is rexmit_initial; a SYN backs
 * off by tcp_syn_backoff[] (1, 1, 1, 1, 1, 2, 4 ..), the first timeout of a connection
 * (tcp_newtcpcb()'s t_rxtcur) is rexmit_initial without the slop.
 */
static const uint16_t fbsd_backoff[] = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 512, 512, 512};
static const uint16_t fbsd_syn_backoff[] = {1, 1, 1, 1, 1, 2, 4, 8, 16, 32, 64, 64, 64};

sim_time
tcp_rtt_freebsd_rto(const struct tcp_tcb *tcb, unsigned shift)
{
    const struct tcp_sysctl *s = &tcb->stack->sysctl;
    unsigned i = shift < G_N_ELEMENTS(fbsd_backoff) ? shift : G_N_ELEMENTS(fbsd_backoff) - 1;
    sim_time base;
    if (tcb->state == TCP_SYN_SENT && !tcb->rtt_seeded) {
        base = s->rto_initial * fbsd_syn_backoff[i];
    } else {
        sim_time est = s->rto_initial;
        if (tcb->rtt_seeded) {
            est = tcb->srtt + RTT_K * tcb->rttvar;
            est = est > s->rto_min ? est : s->rto_min;
        }
        base = est * fbsd_backoff[i];
    }
    sim_time rto = base + s->rexmit_slop;
    rto = rto > s->rto_min ? rto : s->rto_min;
    return rto < s->rto_max ? rto : s->rto_max;
}

static sim_time
rto_from_estimate(const struct tcp_tcb *tcb)
{
    const struct tcp_sysctl *s = &tcb->stack->sysctl;
    if (s->personality == TCP_PERSONALITY_FREEBSD) {
        return tcp_rtt_freebsd_rto(tcb, 0);
    }
    if (s->personality == TCP_PERSONALITY_LINUX) {
        /* Linux: tcp_set_rto() adds the variance term floored at tcp_rto_min, so the RTO
         * is SRTT + max(4*RTTVAR, rto_min), not max(rto_min, SRTT + 4*RTTVAR) as RFC 6298
         * §2.4 puts it: a 100 ms path gets a 300 ms RTO, not 200 ms. */
        sim_time var = RTT_K * tcb->rttvar;
        sim_time rto = tcb->srtt + (var > s->rto_min ? var : s->rto_min);
        if (s->hz > 0) {
            /* Linux: __tcp_set_rto() keeps the RTO in whole jiffies (usecs_to_jiffies()
             * rounds up), so that its doublings (tcp_retransmit_timer()) stay whole
             * ticks: 51 ticks (204 ms) back off to 102, 204, 408 ticks at HZ 250. */
            sim_time tick = SEC(1) / s->hz;
            rto = (rto + tick - 1) / tick * tick;
        }
        return clamp_rto(tcb, rto);
    }
    /* RFC 6298 §2.2-2.4: RTO <- SRTT + max (G, K*RTTVAR), at least rto_min. */
    sim_time var = RTT_K * tcb->rttvar;
    return clamp_rto(tcb, tcb->srtt + (var > RTT_G_RFC ? var : RTT_G_RFC));
}

void
tcp_rtt_sample(struct tcp_tcb *tcb, sim_time r)
{
    if (r < 0) {
        return;
    }
    if (!tcb->rtt_seeded) {
        /* RFC 6298 §2.2: SRTT <- R, RTTVAR <- R/2. */
        tcb->srtt = r;
        tcb->rttvar = r / 2;
        tcb->rtt_seeded = true;
    } else {
        /* RFC 6298 §2.3, beta = 1/4 then alpha = 1/8, in that order. */
        sim_time err = tcb->srtt > r ? tcb->srtt - r : r - tcb->srtt;
        tcb->rttvar = tcb->rttvar - tcb->rttvar / 4 + err / 4;
        tcb->srtt = tcb->srtt - tcb->srtt / 8 + r / 8;
    }
    /* RFC 6298 §5.7: a new sample replaces a backed-off RTO. */
    tcb->rto = rto_from_estimate(tcb);
    tcb->cc.srtt = tcb->srtt;
    if (tcb->cc.min_rtt == 0 || r < tcb->cc.min_rtt) {
        tcb->cc.min_rtt = r;
    }
}

sim_time
tcp_rto_current(const struct tcp_tcb *tcb)
{
    return tcb->rto;
}
