/* SPDX-License-Identifier: MIT */
/*
 * tcp_options.c: the options we send and what a SYN negotiates.
 *
 * Entry points: tcp_options_init_local(), tcp_options_syn(), tcp_options_data(),
 * tcp_options_negotiate(). RFC 9293 §3.7.1 (MSS), RFC 7323 §2 (window scale) and §3
 * (timestamps), RFC 2018 §2 (SACK-permitted). The byte layout follows Linux's
 * tcp_options_write(), so a SYN prints as `[mss 1460,sackOK,TS val .. ecr 0,nop,wscale 7]`.
 */
#include "tcp.h"

#define TCP_MAX_WSCALE 14 /* RFC 7323 §2.3 */
#define TCPOLEN_TSTAMP_ALIGNED 12
#define TCP_MIN_SND_MSS 48

static uint8_t
ilog2_u64(uint64_t v)
{
    uint8_t r = 0;
    while (v >>= 1) {
        r++;
    }
    return r;
}

/* Linux: tcp_select_initial_window() picks the smallest shift that lets the largest
 * receive buffer be advertised: ilog2(tcp_rmem[2]) - 15, so 10 for 32 MiB. */
static uint8_t
choose_wscale(const struct tcp_tcb *tcb)
{
    const struct tcp_sysctl *s = &tcb->stack->sysctl;
    if (!s->tcp_window_scaling) {
        return 0;
    }
    if (s->personality == TCP_PERSONALITY_FREEBSD) {
        /* FreeBSD: syncache_add() and tcp_usr_connect() pick the smallest shift that
         * lets the window reach sb_max (kern.ipc.maxsockbuf), whatever the buffer: 6 for
         * the default 2 MiB. */
        int w = 0;
        while (w < TCP_MAX_WSCALE && ((int64_t)65535 << w) < s->maxsockbuf) {
            w++;
        }
        return (uint8_t)w;
    }
    /* With SO_RCVBUF set, Linux clamps the window to the buffer's full space
     * (tcp_openreq_init_rwin(), tcp_connect_init()) and the shift follows it. */
    uint64_t space = tcb->rcvbuf_locked ? tcp_rcv_full_space(tcb) : (uint64_t)s->tcp_rmem[2];
    int w = (int)ilog2_u64(space) - 15;
    if (w < 0) {
        w = 0;
    }
    return (uint8_t)(w > TCP_MAX_WSCALE ? TCP_MAX_WSCALE : w);
}

void
tcp_options_init_local(struct tcp_tcb *tcb)
{
    const struct tcp_sysctl *s = &tcb->stack->sysctl;
    /* The MTU less the IP and TCP headers: 40 bytes over IPv4, 60 over IPv6 (RFC 8200 §3),
     * so 1460 and 1440 on 1500. */
    tcb->adv_mss = (uint16_t)(s->mtu - ip_hdr_len(&tcb->id.laddr) - 20);
    /* Linux: tcp_advertise_mss() and tcp_sync_mss(): TCP_MAXSEG lowers both the MSS we
     * announce and the one we send with (RFC 9293 §3.7.1 lets the user lower it). */
    if (tcb->user_mss != 0 && tcb->user_mss < tcb->adv_mss) {
        tcb->adv_mss = tcb->user_mss;
    }
    tcb->rcv_wscale = choose_wscale(tcb);
    tcb->ws_ok = s->tcp_window_scaling != 0;
    tcb->sack_ok = s->tcp_sack != 0;
    tcb->ts_ok = s->tcp_timestamps != 0;
    tcb->ts_offset = tcp_stack_ts_offset(tcb->stack, &tcb->id.laddr, &tcb->id.raddr);
}

/* RFC 7323 §4.1: the timestamp clock; Linux ticks it every millisecond. */
uint32_t
tcp_ts_now(const struct tcp_tcb *tcb)
{
    return (uint32_t)(tcp_now(tcb) / MS(1)) + tcb->ts_offset;
}

/* The SYN or SYN-ACK option block. A SYN-ACK carries only what the SYN offered (the
 * flags were already narrowed by tcp_options_negotiate()). */
/*
 * FreeBSD: tcp_addoptions() lays the options out in the order of its flag bits: MSS,
 * then NOP + window scale, SACK-permitted on an even offset, timestamps on an offset of
 * 2 mod 4: `mss 1460,nop,wscale 6,sackOK,TS val .. ecr ..` (20 bytes). False when the
 * layout would need FreeBSD's EOL padding (no timestamps): the caller then lays them out
 * with NOPs, as Linux does, which every parser reads the same.
 */
static bool
freebsd_syn_options(struct tcp_tcb *tcb, struct tcp_opts *o, bool syn_ack)
{
    if (!tcb->ts_ok) {
        return false;
    }
    *o = (struct tcp_opts){0};
    unsigned len = 4;
    tcp_opts_push(o, TCPOPT_MSS);
    o->mss = tcb->adv_mss;
    if (tcb->ws_ok) {
        tcp_opts_push(o, TCPOPT_NOP);
        tcp_opts_push(o, TCPOPT_WSCALE);
        o->wscale = tcb->rcv_wscale;
        len += 4;
    }
    if (tcb->sack_ok) {
        tcp_opts_push(o, TCPOPT_SACK_PERM);
        len += 2;
    }
    while (len % 4 != 2) {
        tcp_opts_push(o, TCPOPT_NOP);
        len++;
    }
    tcp_opts_push(o, TCPOPT_TS);
    o->ts_val = tcp_ts_now(tcb);
    o->ts_ecr = syn_ack ? tcb->ts_recent : 0;
    return true;
}

void
tcp_options_syn(struct tcp_tcb *tcb, struct tcp_opts *o, bool syn_ack)
{
    if (tcb->stack->sysctl.personality == TCP_PERSONALITY_FREEBSD &&
        freebsd_syn_options(tcb, o, syn_ack)) {
        return;
    }
    *o = (struct tcp_opts){0};
    tcp_opts_push(o, TCPOPT_MSS);
    o->mss = tcb->adv_mss;
    if (tcb->ts_ok) {
        if (tcb->sack_ok) {
            tcp_opts_push(o, TCPOPT_SACK_PERM);
        } else {
            tcp_opts_push(o, TCPOPT_NOP);
            tcp_opts_push(o, TCPOPT_NOP);
        }
        tcp_opts_push(o, TCPOPT_TS);
        o->ts_val = tcp_ts_now(tcb);
        o->ts_ecr = syn_ack ? tcb->ts_recent : 0;
    } else if (tcb->sack_ok) {
        tcp_opts_push(o, TCPOPT_NOP);
        tcp_opts_push(o, TCPOPT_NOP);
        tcp_opts_push(o, TCPOPT_SACK_PERM);
    }
    if (tcb->ws_ok) {
        tcp_opts_push(o, TCPOPT_NOP);
        tcp_opts_push(o, TCPOPT_WSCALE);
        o->wscale = tcb->rcv_wscale;
    }
}

/* Options on a segment of a synchronized connection: timestamps (RFC 7323 §3.2, on
 * every segment once negotiated) and SACK blocks (RFC 2018 §3) when data is out of
 * order. */
void
tcp_options_data(struct tcp_tcb *tcb, struct tcp_opts *o)
{
    *o = (struct tcp_opts){0};
    if (tcb->ts_ok) {
        tcp_opts_push(o, TCPOPT_NOP);
        tcp_opts_push(o, TCPOPT_NOP);
        tcp_opts_push(o, TCPOPT_TS);
        o->ts_val = tcp_ts_now(tcb);
        o->ts_ecr = tcb->ts_recent;
    }
    struct tcp_sack_block dsack;
    bool dup = tcb->sack_ok && tcp_dsack_take(tcb, &dsack);
    if (dup || (tcb->sack_ok && tcb->ooo != NULL && tcb->ooo->len > 0)) {
        unsigned room = tcb->ts_ok ? 3 : 4; /* 40 bytes: 12 for TS leave room for three */
        if (dup) {
            o->sack[0] = dsack; /* RFC 2883 §4: the D-SACK block comes first */
        }
        o->nsack = (uint8_t)(dup + tcp_reass_sack_blocks(tcb, o->sack + dup, room - dup));
        if (o->nsack) {
            tcp_opts_push(o, TCPOPT_NOP);
            tcp_opts_push(o, TCPOPT_NOP);
            tcp_opts_push(o, TCPOPT_SACK);
        }
    }
}

/*
 * What the peer's SYN (or SYN-ACK) and our offer agree on. `we_offered` is false when
 * answering a SYN: then we may use what the SYN carries and we have enabled.
 */
void
tcp_options_negotiate(struct tcp_tcb *tcb, const struct tcp_seg *syn, bool we_offered)
{
    (void)we_offered;
    const struct tcp_opts *o = &syn->opt;

    /* RFC 7323 §2.2: scaling is in effect only if both sides sent the option. */
    if (tcb->ws_ok && tcp_opts_has(o, TCPOPT_WSCALE)) {
        /* RFC 7323 §2.3: a shift above 14 is used as 14. */
        tcb->snd_wscale = o->wscale > TCP_MAX_WSCALE ? TCP_MAX_WSCALE : o->wscale;
    } else {
        tcb->ws_ok = false;
        tcb->snd_wscale = 0;
        tcb->rcv_wscale = 0;
    }
    /* RFC 2018 §2: SACK only if the SYN carried SACK-permitted. */
    tcb->sack_ok = tcb->sack_ok && tcp_opts_has(o, TCPOPT_SACK_PERM);
    /* RFC 7323 §3.2: timestamps only if both SYNs carried them. */
    tcb->ts_ok = tcb->ts_ok && tcp_opts_has(o, TCPOPT_TS);
    if (tcb->ts_ok) {
        tcb->ts_recent = o->ts_val;
        tcb->ts_recent_at = tcp_now(tcb);
    }
    /* RFC 9293 §3.7.1: without an MSS option assume 536, 1220 over IPv6 (RFC 6691 §2: the
     * MSS counts no options, so the timestamp block comes out of it); FreeBSD its own
     * net.inet.tcp.mssdflt. */
    bool freebsd = tcb->stack->sysctl.personality == TCP_PERSONALITY_FREEBSD;
    uint32_t dflt = freebsd ? (uint32_t)tcb->stack->sysctl.mssdflt
                            : tcp_default_mss(&tcb->id.laddr);
    uint32_t peer = tcp_opts_has(o, TCPOPT_MSS) ? o->mss : dflt;
    uint32_t mss = peer < tcb->adv_mss ? peer : tcb->adv_mss;
    if (freebsd) {
        tcp_freebsd_round_buffers(tcb, mss);
    }
    if (tcb->ts_ok) {
        mss = mss > TCPOLEN_TSTAMP_ALIGNED ? mss - TCPOLEN_TSTAMP_ALIGNED : 0;
    }
    /* Linux: tcp_min_snd_mss (48) refuses absurdly small segments. */
    tcb->mss = (uint16_t)(mss < TCP_MIN_SND_MSS ? TCP_MIN_SND_MSS : mss);
    tcb->cc.mss = tcb->mss;
}
