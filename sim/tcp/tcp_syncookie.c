/* SPDX-License-Identifier: MIT */
/*
 * tcp_syncookie.c: SYN cookies (RFC 4987 §3.6), as Linux encodes them.
 *
 * Entry points: tcp_syncookie_answer() sends a SYN-ACK and keeps no state;
 * tcp_syncookie_check() rebuilds the connection from the ACK that returns the cookie.
 *
 * The cookie is our ISN: a keyed hash of the 4-tuple, the peer's ISN, a one-minute
 * counter in the top 8 bits and, in the low 24, a second hash plus the index of the MSS
 * (one of four values). A cookie is valid for two minutes. What is lost: the SYN's
 * other options, unless timestamps are on, in which case Linux hides window scale and
 * SACK-permitted in the low 6 bits of our TSval and reads them back from the TSecr.
 * Without timestamps, the rebuilt connection has no window scaling and no SACK.
 */
#include "tcp.h"

#define COOKIEBITS 24
#define COOKIEMASK ((1u << COOKIEBITS) - 1)
#define COOKIE_MINUTE SEC(60)
#define MAX_SYNCOOKIE_AGE 2
#define TS_OPT_WSCALE_MASK 0x0Fu
#define TS_OPT_SACK 0x10u
#define TS_OPT_BITS 6

/* Linux: msstab[] in ipv4/syncookies.c, and in ipv6/syncookies.c (1280, 1480, 1500 and
 * 9000 byte MTUs less 60). */
static const uint16_t msstab[] = {536, 1300, 1440, 1460};
static const uint16_t msstab6[] = {1220, 1420, 1440, 8940};
G_STATIC_ASSERT(G_N_ELEMENTS(msstab6) == G_N_ELEMENTS(msstab));

static uint32_t
cookie_hash(const struct tcp_stack *st, const struct tcp_seg *seg, uint32_t count, int c)
{
    uint64_t s = st->isn_key[c] ^ ip_pair_key(&seg->saddr, &seg->daddr); /* all 16 bytes */
    s ^= ((uint64_t)seg->sport << 48) | ((uint64_t)seg->dport << 32) | count;
    return (uint32_t)rng_splitmix64(&s);
}

static uint32_t
cookie_count(const struct tcp_stack *st)
{
    return (uint32_t)(st->q->now / COOKIE_MINUTE);
}

/* Linux: secure_tcp_syn_cookie(). `seg` is seen from the peer (its SYN or ACK). */
static uint32_t
make_cookie(const struct tcp_stack *st, const struct tcp_seg *seg, tcp_seq peer_isn,
            uint32_t count, uint32_t data)
{
    return cookie_hash(st, seg, 0, 0) + peer_isn + (count << COOKIEBITS) +
           ((cookie_hash(st, seg, count, 1) + data) & COOKIEMASK);
}

/* Returns the MSS index, or -1 when the cookie does not validate. */
static int
check_cookie(const struct tcp_stack *st, const struct tcp_seg *seg, uint32_t cookie,
             tcp_seq peer_isn)
{
    uint32_t count = cookie_count(st);
    cookie -= cookie_hash(st, seg, 0, 0) + peer_isn;
    uint32_t diff = (count - (cookie >> COOKIEBITS)) & (0xFFFFFFFFu >> COOKIEBITS);
    if (diff >= MAX_SYNCOOKIE_AGE) {
        return -1;
    }
    uint32_t data = (cookie - cookie_hash(st, seg, count - diff, 1)) & COOKIEMASK;
    return data < G_N_ELEMENTS(msstab) ? (int)data : -1;
}

/* The table of the segment's family (both tables have four entries). */
static const uint16_t *
mss_table(const struct tcp_seg *seg)
{
    return ip_is6(&seg->saddr) ? msstab6 : msstab;
}

static unsigned
mss_index(const struct tcp_seg *seg, uint16_t mss)
{
    const uint16_t *tab = mss_table(seg);
    unsigned i = G_N_ELEMENTS(msstab) - 1;
    while (i > 0 && mss < tab[i]) {
        i--;
    }
    return i;
}

/* The stream identity (tcp.h) of a connection born from a cookie: the SYN-ACK's transient
 * TCB and the child the ACK creates later must agree, and the cookie is all they share. */
static uint64_t
tcp_syncookie_stream(const struct tcp_stack *st, tcp_seq cookie)
{
    return ((uint64_t)ip_hash32(&st->addr) << 32) | cookie;
}

void
tcp_syncookie_answer(struct tcp_tcb *lst, const struct tcp_seg *syn)
{
    struct tcp_stack *st = lst->stack;
    /* A transient child builds the SYN-ACK exactly as a real one would, then vanishes:
     * nothing of it survives this call. */
    struct tcp_tcb *tmp = tcp_tcb_new(st);
    tmp->id = (struct trace_sock){
        .laddr = syn->daddr, .lport = syn->dport, .raddr = syn->saddr, .rport = syn->sport};
    tcp_buf_init(tmp, lst->snd.cap, lst->rcv.cap);
    tcp_options_init_local(tmp);
    tcp_options_negotiate(tmp, syn, false);
    uint16_t peer_mss = tcp_opts_has(&syn->opt, TCPOPT_MSS) ? syn->opt.mss
                                                            : (uint16_t)tcp_default_mss(&syn->saddr);
    unsigned idx = mss_index(syn, peer_mss);
    tmp->irs = syn->seq;
    tmp->rcv_nxt = seq_add(syn->seq, 1);
    tmp->iss = make_cookie(st, syn, syn->seq, cookie_count(st), idx);
    tmp->snd_una = tmp->snd_nxt = tmp->snd_max = tmp->iss;
    tmp->stream_id = tcp_syncookie_stream(st, tmp->iss);
    if (!tmp->ts_ok) {
        /* Linux: tcp_conn_request() clears the options when a cookie is sent without
         * timestamps (tcp_clear_options()): nothing could carry window scaling or SACK
         * to the connection the ACK will rebuild, so the SYN-ACK must not offer them. */
        tmp->ws_ok = false;
        tmp->sack_ok = false;
        tmp->snd_wscale = 0;
        tmp->rcv_wscale = 0;
    }
    tmp->rcv_wnd = tcp_initial_window(tmp, true);
    if (tmp->ts_ok) {
        /* Linux: cookie_init_timestamp() keeps the options in TSval's low bits. */
        uint32_t opts = (tmp->ws_ok ? tmp->snd_wscale : TS_OPT_WSCALE_MASK) |
                        (tmp->sack_ok ? TS_OPT_SACK : 0);
        uint32_t ts = tcp_ts_now(tmp);
        uint32_t enc = (ts & ~((1u << TS_OPT_BITS) - 1)) | opts;
        if (enc > ts) {
            enc -= 1u << TS_OPT_BITS;
        }
        tmp->ts_offset += enc - ts;
    }
    tcp_mib_inc(st, TCP_MIB_SYNCOOKIES_SENT);
    tcp_output_cookie_syn_ack(tmp);
    tcp_timers_cancel_all(tmp);
    tcp_tcb_unref(tmp);
}

/* Linux: cookie_v4_check() and tcp_get_cookie_sock(). */
struct tcp_verdict
tcp_syncookie_check(struct tcp_tcb *lst, const struct tcp_seg *ack)
{
    struct tcp_stack *st = lst->stack;
    tcp_seq peer_isn = ack->seq - 1;
    tcp_seq cookie = ack->ack - 1;
    int idx = check_cookie(st, ack, cookie, peer_isn);
    if (idx < 0) {
        tcp_mib_inc(st, TCP_MIB_SYNCOOKIES_FAILED);
        return VERDICT(TCP_ACT_DROP_RST, TCP_DROP_COOKIE_INVALID);
    }
    if (tcp_listen_accept_full(lst)) {
        tcp_mib_inc(st, TCP_MIB_LISTEN_OVERFLOWS);
        tcp_mib_inc(st, TCP_MIB_LISTEN_DROPS);
        return VERDICT(TCP_ACT_DROP, TCP_DROP_LISTEN_OVERFLOW);
    }
    struct tcp_tcb *child = tcp_listen_new_child(lst, ack);
    if (child == NULL) {
        return VERDICT(TCP_ACT_DROP, TCP_DROP_LISTEN_OVERFLOW);
    }
    tcp_mib_inc(st, TCP_MIB_SYNCOOKIES_RECV);
    /* Rebuild what the SYN negotiated from what the cookie and the timestamps kept. */
    struct tcp_seg syn = {0};
    tcp_opts_push(&syn.opt, TCPOPT_MSS);
    syn.opt.mss = mss_table(ack)[idx];
    bool ts = child->ts_ok && tcp_opts_has(&ack->opt, TCPOPT_TS) && ack->opt.ts_ecr != 0;
    if (ts) {
        uint32_t bits = ack->opt.ts_ecr & ((1u << TS_OPT_BITS) - 1);
        tcp_opts_push(&syn.opt, TCPOPT_TS);
        syn.opt.ts_val = ack->opt.ts_val;
        if ((bits & TS_OPT_WSCALE_MASK) != TS_OPT_WSCALE_MASK) {
            tcp_opts_push(&syn.opt, TCPOPT_WSCALE);
            syn.opt.wscale = (uint8_t)(bits & TS_OPT_WSCALE_MASK);
        }
        if (bits & TS_OPT_SACK) {
            tcp_opts_push(&syn.opt, TCPOPT_SACK_PERM);
        }
    }
    tcp_options_negotiate(child, &syn, false);
    child->irs = peer_isn;
    child->stream_id = tcp_syncookie_stream(st, cookie);
    child->peer_stream = ack->stream;
    child->rcv_nxt = ack->seq;
    child->iss = cookie;
    child->snd_una = child->snd_max = child->snd_nxt = ack->ack;
    child->syn_acked = true;
    child->rcv_wnd = tcp_initial_window(child, true);
    child->rcv_ssthresh = child->rcv_wnd;
    child->window_clamp = tcp_initial_window_clamp(child);
    child->rcv_adv = seq_add(child->rcv_nxt, child->rcv_wnd);
    child->snd_wnd = (uint32_t)ack->win << child->snd_wscale;
    child->max_snd_wnd = child->snd_wnd;
    child->snd_wl1 = ack->seq;
    child->snd_wl2 = ack->ack;
    child->last_rcv_at = st->q->now;
    tcp_cc_start(child);
    child->parent = lst;
    tcp_set_state(child, TCP_SYN_RECEIVED, TCP_CAUSE_SYNCOOKIE);
    tcp_listen_child_established(child);
    tcp_set_state(child, TCP_ESTABLISHED, TCP_CAUSE_RCV_ACK);
    /* Data on the cookie ACK is processed by the new connection. */
    if (ack->len > 0 || seg_has(ack, TCP_FIN)) {
        tcp_input_continue(child, ack);
    }
    tcp_entry_done(child);
    return VERDICT_ACCEPT;
}
