/* SPDX-License-Identifier: MIT */
/*
 * tcp_stack.c: one host's TCP: ISNs (RFC 6528), timestamp offsets, counters, and the
 * lifetime of connection blocks.
 *
 * Entry points: tcp_stack_init(), tcp_tcb_new(), tcp_tcb_unref(), tcp_entry_done().
 *
 * A TCB is referenced by the protocol (from creation until it leaves the demux table)
 * and by the application's socket (until it is closed and the TCB is no longer
 * queried). It is freed when both are gone.
 */
#include <errno.h>

#include "tcp.h"

static const char *const mib_names[TCP_MIB_N] = {
#define TCP_MIB_NAME(id, name, help) [id] = name,
    TCP_MIB_LIST(TCP_MIB_NAME)
#undef TCP_MIB_NAME
};

static const char *const mib_helps[TCP_MIB_N] = {
#define TCP_MIB_HELP(id, name, help) [id] = help,
    TCP_MIB_LIST(TCP_MIB_HELP)
#undef TCP_MIB_HELP
};

const char *
tcp_mib_name(enum tcp_mib m)
{
    return (unsigned)m < TCP_MIB_N ? mib_names[m] : "?";
}

const char *
tcp_mib_help(enum tcp_mib m)
{
    return (unsigned)m < TCP_MIB_N ? mib_helps[m] : "?";
}

void
tcp_stack_init(struct tcp_stack *st, struct ev_queue *q, struct trace *trace,
               const char *host_name, struct tcpsim_addr addr, uint64_t seed)
{
    struct tcp_sysctl keep = st->sysctl;
    *st = (struct tcp_stack){0};
    st->sysctl = keep;
    st->q = q;
    st->trace = trace;
    st->host_name = host_name;
    st->addr = addr;
    struct rng r;
    g_autofree char *purpose = g_strdup_printf("host %s isn", host_name);
    rng_init(&r, seed, purpose);
    st->isn_key[0] = rng_next(&r);
    st->isn_key[1] = rng_next(&r);
    st->ts_key = rng_next(&r);
    ev_lane_init(&st->tw_lane, q);
    ev_lane_init(&st->fin_lane, q);
    pool_init(&st->tcb_pool, sizeof(struct tcp_tcb));
    pool_init(&st->rack_pool, sizeof(struct tcp_rack));
}

/* After the last of its connection blocks has gone. */
void
tcp_stack_destroy(struct tcp_stack *st)
{
    g_assert(st->tcbs_alive == 0);
    pool_destroy(&st->tcb_pool);
    pool_destroy(&st->rack_pool);
}

/* A keyed mix of the tuple: the F() of RFC 6528 §3. Unpredictability matters on the
 * Internet, not here; what matters is that it is a fixed function of the seed. */
static uint64_t
keyed_mix(uint64_t k0, uint64_t k1, uint64_t a, uint64_t b)
{
    uint64_t s = k0 ^ (a * 0x9E3779B97F4A7C15ull);
    uint64_t h = rng_splitmix64(&s);
    s = h ^ k1 ^ (b * 0xC2B2AE3D27D4EB4Full);
    return rng_splitmix64(&s);
}

/* RFC 6528 §3: ISN = M + F(localip, localport, remoteip, remoteport, secretkey), where M
 * is a timer ticking every 4 microseconds. */
tcp_seq
tcp_stack_isn(struct tcp_stack *st, const struct tcpsim_addr *laddr, uint16_t lport,
              const struct tcpsim_addr *raddr, uint16_t rport)
{
    if (st->isn_fixed) {
        return st->isn_fixed_value;
    }
    if (st->sysctl.isn >= 0) {
        return (tcp_seq)st->sysctl.isn;
    }
    uint64_t a = ip_pair_key(laddr, raddr); /* over all 16 bytes of IPv6 addresses */
    uint64_t b = (uint64_t)lport << 16 | rport;
    uint32_t f = (uint32_t)keyed_mix(st->isn_key[0], st->isn_key[1], a, b);
    uint32_t m = (uint32_t)(st->q->now / 4000);
    return f + m;
}

/* Linux: tcp_timestamps=1 adds a per-address-pair random offset to TSval (since 4.10,
 * secure_tcpv6_ts_off), so TSval does not reveal uptime. 2 means no offset. */
uint32_t
tcp_stack_ts_offset(struct tcp_stack *st, const struct tcpsim_addr *laddr,
                    const struct tcpsim_addr *raddr)
{
    if (st->sysctl.tcp_timestamps != 1) {
        return 0;
    }
    return (uint32_t)keyed_mix(st->ts_key, st->isn_key[0], ip_key(laddr), ip_key(raddr));
}

struct tcp_tcb *
tcp_tcb_new(struct tcp_stack *st)
{
    struct tcp_tcb *tcb = pool_alloc0(&st->tcb_pool);
    tcb->stack = st;
    tcb->refs = 1; /* the protocol's reference */
    tcb->cc_ops = tcp_cc_by_index(st->sysctl.tcp_congestion_control);
    if (tcb->cc_ops == &tcp_cc_cubic && st->sysctl.personality == TCP_PERSONALITY_LINUX) {
        tcb->cc_ops = &tcp_cc_cubic_linux; /* Linux's integer CUBIC, not RFC 9438's curve */
    }
    tcp_timers_init(tcb);
    tcp_rtt_init(tcb);
    st->tcbs_alive++;
    if (st->tcbs_alive > st->tcbs_peak) {
        st->tcbs_peak = st->tcbs_alive;
    }
    tcb->stream_id = ((uint64_t)ip_hash32(&st->addr) << 32) | ++st->conn_serial;
    tcp_mem_charge(tcb, TCP_TCB_BYTES);
    return tcb;
}

void
tcp_cc_start(struct tcp_tcb *tcb)
{
    const struct tcp_sysctl *s = &tcb->stack->sysctl;
    tcb->cc.initcwnd = (uint32_t)s->initcwnd;
    tcb->cc.hystart = s->tcp_cubic_hystart != 0;
    tcb->cc.ss_full = s->personality == TCP_PERSONALITY_LINUX; /* Linux: tcp_slow_start() */
    tcb->cc.tick = (uint32_t)(s->hz > 0 ? SEC(1) / s->hz : MS(1));
    tcb->cc.tick_phase = (uint32_t)(s->tick_phase % tcb->cc.tick);
    tcb->cc.pacing_ss_ratio = (uint16_t)s->tcp_pacing_ss_ratio;
    tcb->cc.pacing_ca_ratio = (uint16_t)s->tcp_pacing_ca_ratio;
    tcb->cc.halve_cwnd = s->personality == TCP_PERSONALITY_FREEBSD;
    tcb->cc_ops->init(&tcb->cc);
    tcb->cwnd_usage_seq = tcb->snd_una;
    tcb->cwnd_stamp = tcp_now(tcb);
}

void
tcp_tcb_ref(struct tcp_tcb *tcb)
{
    tcb->refs++;
}

void
tcp_tcb_unref(struct tcp_tcb *tcb)
{
    g_assert(tcb->refs > 0);
    if (--tcb->refs > 0) {
        return;
    }
    g_assert(!ev_pending(&tcb->timer.rto) && !ev_lnode_pending(&tcb->timer.time_wait));
    tcp_timers_cancel_all(tcb);
    tcp_buf_free(tcb);
    tcp_reass_free(tcb);
    tcp_sack_clear(tcb);
    tcp_rack_free(tcb);
    g_free(tcb->scratch);
    g_free(tcb->own_name);
    tcb->stack->tcbs_alive--;
    tcp_mem_charge(tcb, -TCP_TCB_BYTES);
    pool_free(&tcb->stack->tcb_pool, tcb);
}

void
tcp_tcb_keep_name(struct tcp_tcb *tcb)
{
    if (tcb->id.name != NULL && tcb->own_name == NULL) {
        tcb->own_name = g_strdup(tcb->id.name);
        tcb->id.name = tcb->own_name;
    }
}

void
tcp_tcb_discard(struct tcp_tcb *tcb)
{
    g_assert(tcb->state == TCP_CLOSED && !tcb->release);
    tcb->release = true;
    tcb->detached = true;
    tcp_tcb_unref(tcb); /* the protocol's reference */
}

void
tcp_entry_done(struct tcp_tcb *tcb)
{
#if TCPSIM_INVARIANTS
    /* Every event that touches a connection ends here: check it now. */
    char *broken = tcp_inv_check(tcb);
    if (G_UNLIKELY(broken != NULL)) {
        tcp_inv_fail(tcp_now(tcb), tcb->stack->host_name, broken);
    }
#endif
    if (!tcb->release || tcb->detached) {
        return;
    }
    tcb->detached = true;
    tcp_timers_cancel_all(tcb);
    if (tcb->lq) {
        tcp_listen_close(tcb);
    }
    tcb->stack->ops->detach(tcb->stack->host, tcb);
    tcp_tcb_unref(tcb);
}

void
tcp_wakeup(struct tcp_tcb *tcb, unsigned events)
{
    if (tcb->stack->ops->wakeup) {
        tcb->stack->ops->wakeup(tcb->stack->host, tcb, events);
    }
}

sim_time
tcp_now(const struct tcp_tcb *tcb)
{
    return tcb->stack->q->now;
}

void
tcp_fail(struct tcp_tcb *tcb, int err, enum tcp_cause cause)
{
    tcb->so_error = err;
    tcp_wakeup(tcb, TCP_WAKE_ERROR);
    if (tcb->state != TCP_CLOSED) {
        tcp_set_state(tcb, TCP_CLOSED, cause);
    }
}
