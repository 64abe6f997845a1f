/* SPDX-License-Identifier: MIT */
/*
 * tcp_window.c: the receive window we offer (RFC 9293 §3.8.6.2.2, RFC 7323 §2) and the
 * buffer arithmetic behind it.
 *
 * Entry points: tcp_initial_window() (the SYN's and SYN-ACK's), tcp_rcv_window() (every
 * other segment's, from emit() in tcp_output.c), tcp_scaling_ratio_update() (a segment
 * arrived), tcp_win_from_space() and tcp_space_from_win().
 *
 * The Linux personality follows Linux 6.x: the window is the share of free buffer
 * memory that the measured ratio of payload to buffer cost (scaling_ratio) says data
 * will fill; it is capped by rcv_ssthresh (tcp_grow_window(), tcp_rcv.c), rounded down
 * to whole segments of the size the peer sends (rcv_mss) when not scaled, never a sliver
 * below one segment, and never moves its right edge left. The RFC personality offers
 * its free space (tcp_adv_win_scale 0) with the same silly-window avoidance.
 */
#include "tcp.h"

static uint32_t
min_u32(uint32_t a, uint32_t b)
{
    return a < b ? a : b;
}

static bool
linux_windows(const struct tcp_tcb *tcb)
{
    return tcb->stack->sysctl.personality == TCP_PERSONALITY_LINUX;
}

/* Linux: TCP_DEFAULT_SCALING_RATIO. Until the first full segment is measured, half of
 * the buffer is offered as window: 64240 from tcp_rmem[1] = 131072, 7240 from an
 * SO_RCVBUF of 8192 (stored as 16384). */
#define TCP_DEFAULT_SCALING_RATIO 128
#define TCP_RMEM_TO_WIN_SCALE 8
/* Linux: SOCK_MIN_RCVBUF / 2, the smallest window clamp tcp_set_window_clamp() sets. */
#define TCP_MIN_WINDOW_CLAMP (2304 / 2)

static uint32_t full_space_raw(const struct tcp_tcb *tcb);

static uint32_t
scaling_ratio(const struct tcp_tcb *tcb)
{
    return tcb->scaling_ratio ? tcb->scaling_ratio : TCP_DEFAULT_SCALING_RATIO;
}

/* A segment that starts an skb of its own: its payload in page fragments plus the head
 * (TCP_SKB_HEAD_TRUESIZE: 256 bytes of header area from the small-head cache, the
 * sk_buff and skb_shared_info). Over veth or loopback the receiver charges the sender's
 * skb as it was built: a full segment of 1448 bytes costs 2280, so the ratio measured
 * from it is 1448 x 256 / 2280 = 162 (the window-limited capture's 8688 after its first
 * segment needs 2048 < truesize <= 2288). */
static uint64_t
kmalloc_size(uint64_t n)
{
    static const uint64_t caches[] = {96, 192};
    uint64_t p = 8;
    while (p < n) {
        p <<= 1;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(caches); i++) {
        if (n <= caches[i] && caches[i] < p && p <= 256) {
            return caches[i]; /* the two kmalloc caches between powers of two */
        }
    }
    return p; /* past 8192: whole pages of a power-of-two order, the same numbers */
}

/* A tun device (packetdrill's) hands TCP each packet as one linear skb: its IP packet in
 * a kmalloc'ed head with skb_shared_info after it (tun_get_user(),
 * sock_alloc_send_pskb()), so truesize = the kmalloc size + the sk_buff: 2304 bytes for
 * a 1500-byte packet. Measured on Linux 6.18 (packetdrill, SO_RCVBUF 8192): windows of
 * 8688, 7240, 5792 after one, two and three full segments, and 0 after seven. */
static uint32_t
tun_truesize(const struct tcp_tcb *tcb, uint32_t len)
{
    uint64_t hdr = (tcb->id.laddr.family == TCPSIM_AF_INET6 ? 40 : 20) + 20 + (tcb->ts_ok ? 12 : 0);
    uint64_t data = ((len + hdr + 63) / 64) * 64; /* SKB_DATA_ALIGN */
    return (uint32_t)(kmalloc_size(data + 320) + 256);
}

uint32_t
tcp_truesize(const struct tcp_tcb *tcb, uint32_t len)
{
    if (tcb->stack->sysctl.rx_skb == 1) {
        return tun_truesize(tcb, len);
    }
    return len + TCP_SKB_HEAD_TRUESIZE;
}

/* Linux 6.6+: tcp_win_from_space() offers the share of buffer space the measured
 * payload-to-truesize ratio says data will fill; tcp_adv_win_scale is ignored. The RFC
 * personality keeps the tcp_adv_win_scale rule (its default 0 offers all of it). */
uint32_t
tcp_win_from_space(const struct tcp_tcb *tcb, uint64_t space)
{
    if (linux_windows(tcb)) {
        uint64_t w = (space * scaling_ratio(tcb)) >> TCP_RMEM_TO_WIN_SCALE;
        return w > UINT32_MAX ? UINT32_MAX : (uint32_t)w;
    }
    int64_t scale = tcb->stack->sysctl.tcp_adv_win_scale;
    uint32_t sp = space > UINT32_MAX ? UINT32_MAX : (uint32_t)space;
    return scale ? sp - (sp >> scale) : sp;
}

/* Linux: tcp_space_from_win(): the buffer that offers `win` as window. */
uint64_t
tcp_space_from_win(const struct tcp_tcb *tcb, uint64_t win)
{
    if (linux_windows(tcb)) {
        uint32_t r = scaling_ratio(tcb);
        return ((win << TCP_RMEM_TO_WIN_SCALE) + r - 1) / r;
    }
    int64_t n = tcb->stack->sysctl.tcp_adv_win_scale;
    return n ? win + win / ((1ull << n) - 1) : win;
}

uint32_t
tcp_rcv_mss(const struct tcp_tcb *tcb)
{
    /* Linux: tcp_initialize_rcv_mss() starts at TCP_MSS_DEFAULT (536). */
    return tcb->rcv_mss > TCP_DEFAULT_MSS ? tcb->rcv_mss : TCP_DEFAULT_MSS;
}

/* Linux: tcp_set_window_clamp(). A clamp that shrinks pulls rcv_ssthresh down with it
 * (__tcp_adjust_rcv_ssthresh()); one that grows lets rcv_ssthresh up to the window
 * last offered. */
void
tcp_set_window_clamp(struct tcp_tcb *tcb, uint32_t clamp)
{
    clamp = clamp > TCP_MIN_WINDOW_CLAMP ? clamp : TCP_MIN_WINDOW_CLAMP;
    uint32_t old = tcb->window_clamp;
    if (clamp == old) {
        return;
    }
    tcb->window_clamp = clamp;
    if (clamp < old) {
        tcb->rcv_ssthresh = tcb->rcv_ssthresh < clamp ? tcb->rcv_ssthresh : clamp;
    } else {
        uint32_t up = tcb->rcv_wnd < clamp ? tcb->rcv_wnd : clamp;
        tcb->rcv_ssthresh = up > tcb->rcv_ssthresh ? up : tcb->rcv_ssthresh;
    }
}

/* Linux: tcp_measure_rcv_mss(). A segment at least as large as rcv_mss and not of
 * exactly that size re-measures the ratio of payload to buffer memory from its truesize;
 * when the ratio changes, the window clamp becomes the window the whole buffer offers
 * by it (tcp_set_window_clamp()). A first full segment of 1448 bytes takes the ratio
 * from 128 to 162: the clamp of a default buffer goes from 64088 to 82944. */
void
tcp_scaling_ratio_update(struct tcp_tcb *tcb, uint32_t len)
{
    uint32_t rcv_mss = tcp_rcv_mss(tcb);
    if (!linux_windows(tcb) || len < rcv_mss || len == rcv_mss) {
        return;
    }
    uint8_t old = (uint8_t)scaling_ratio(tcb);
    uint64_t r = ((uint64_t)len << TCP_RMEM_TO_WIN_SCALE) / tcp_truesize(tcb, len);
    r = r ? r : 1;
    tcb->scaling_ratio = (uint8_t)(r > 255 ? 255 : r);
    if (tcb->scaling_ratio != old) {
        tcp_set_window_clamp(tcb, tcp_win_from_space(tcb, tcb->rcv.cap));
        if (tcb->rcvq_space > tcb->window_clamp) {
            tcb->rcvq_space = tcb->window_clamp;
        }
    }
}

/* The window clamp of a new connection. Linux: tcp_select_initial_window() limits it to
 * what the window field can say at our scale; with SO_RCVBUF set, to the buffer's
 * window (tcp_connect_init(), tcp_openreq_init_rwin()). */
uint32_t
tcp_initial_window_clamp(const struct tcp_tcb *tcb)
{
    uint64_t max = (uint64_t)65535 << tcb->rcv_wscale;
    uint64_t clamp = tcb->rcvbuf_locked ? tcp_win_from_space(tcb, tcb->rcv.cap) : max;
    return (uint32_t)(clamp < max ? clamp : max);
}

/* The MSS Linux keeps as tp->advmss: the active opener takes the timestamp option's 12
 * bytes off once the SYN-ACK carried it (tcp_rcv_synsent_state_process()); the passive
 * side keeps the route's (tcp_v4_syn_recv_sock()). */
static uint32_t
linux_advmss(const struct tcp_tcb *tcb)
{
    return tcb->adv_mss - (!tcb->passive && tcb->ts_ok ? 12 : 0);
}

/*
 * Linux: tcp_init_buffer_space(), when the handshake completes. The window clamp is at
 * most the buffer's full window, less a share for the application (the window is
 * "network buffer", the rest "application buffer": maxwin >> tcp_app_win), and one
 * segment is always reserved. With the default buffer (full window 65536) the clamp is
 * 65536 - 1448 = 64088, which rcv_ssthresh takes: the client announces 63 (x1024) and a
 * small response cannot grow it (tcp_grow_window() has no room), as Linux 6.18 was seen
 * to do after responses of 200, 300 and 500 bytes.
 */
void
tcp_init_buffer_space(struct tcp_tcb *tcb)
{
    if (!linux_windows(tcb)) {
        return;
    }
    int64_t app_win = tcb->stack->sysctl.tcp_app_win;
    uint32_t maxwin = full_space_raw(tcb);
    uint32_t advmss = linux_advmss(tcb);
    if (tcb->window_clamp >= maxwin) {
        tcb->window_clamp = maxwin;
        if (app_win && maxwin > 4 * advmss) {
            uint32_t w = maxwin - (maxwin >> app_win);
            tcb->window_clamp = w > 4 * advmss ? w : 4 * advmss;
        }
    }
    /* "Force reservation of one segment." */
    if (app_win && tcb->window_clamp > 2 * advmss &&
        (uint64_t)tcb->window_clamp + advmss > maxwin) {
        uint32_t w = maxwin > advmss ? maxwin - advmss : 0;
        tcb->window_clamp = w > 2 * advmss ? w : 2 * advmss;
    }
    if (tcb->rcv_ssthresh > tcb->window_clamp) {
        tcb->rcv_ssthresh = tcb->window_clamp;
    }
}

/* Buffer memory the queued data takes: Linux charges each skb's truesize (tcp_buf.c
 * keeps the in-order queue as Linux's skbs); out-of-order runs are charged as skbs of
 * their own. */
static uint64_t
rmem_used(const struct tcp_tcb *tcb)
{
    if (!linux_windows(tcb)) {
        return (uint64_t)tcp_rcv_queued(tcb) + tcb->ooo_bytes;
    }
    uint64_t ooo = tcb->ooo != NULL ? tcb->ooo->len : 0;
    return tcp_rcv_truesize(tcb) + tcb->ooo_bytes + ooo * TCP_SKB_HEAD_TRUESIZE;
}

/* Linux: tcp_full_space(): the window the whole buffer offers. */
static uint32_t
full_space_raw(const struct tcp_tcb *tcb)
{
    return tcp_win_from_space(tcb, tcb->rcv.cap);
}

/* The largest window offered: Linux's __tcp_select_window() takes the smaller of the
 * window clamp and the buffer's full window. */
static uint32_t
full_space(const struct tcp_tcb *tcb)
{
    uint32_t full = full_space_raw(tcb);
    if (linux_windows(tcb) && tcb->window_clamp != 0 && tcb->window_clamp < full) {
        return tcb->window_clamp;
    }
    return full;
}

uint32_t
tcp_rcv_space(const struct tcp_tcb *tcb)
{
    uint64_t used = rmem_used(tcb);
    return tcp_win_from_space(tcb, tcb->rcv.cap > used ? tcb->rcv.cap - used : 0);
}

/* The window a SYN or SYN-ACK offers (RFC 7323 §2.2: never scaled). Linux:
 * tcp_select_initial_window() rounds it down to whole segments: 64240 for a SYN with
 * MSS 1460, 65160 for a SYN-ACK whose segments carry timestamps (1448). */
uint32_t
tcp_initial_window(const struct tcp_tcb *tcb, bool syn_ack)
{
    uint32_t space = min_u32(full_space(tcb), 65535);
    if (tcb->stack->sysctl.personality != TCP_PERSONALITY_LINUX) {
        return space;
    }
    uint32_t mss = tcb->adv_mss - (syn_ack && tcb->ts_ok ? 12 : 0);
    return space > mss ? space / mss * mss : space;
}

/*
 * FreeBSD: tcp_output(). The window is the free receive buffer (sbspace()), at most what
 * the scale can say; a window under a quarter of the buffer and under one segment is
 * offered as zero (receiver SWS avoidance), the right edge already advertised never
 * moves left, and the value is rounded up to the scale's unit ("Avoid shrinking window
 * with window scaling"), so 65700 free bytes at scale 6 go out as 1027, not 1026.
 */
static uint32_t
freebsd_rcv_window(const struct tcp_tcb *tcb)
{
    uint32_t cap = tcb->rcv.cap;
    uint32_t free = tcp_rcv_free(tcb);
    uint32_t grain = 1u << tcb->rcv_wscale;
    uint32_t win = min_u32(free, 65535u << tcb->rcv_wscale);
    if (win < cap / 4 && win < tcb->mss) {
        win = 0;
    }
    if (seq_gt(tcb->rcv_adv, tcb->rcv_nxt) && win < seq_diff(tcb->rcv_adv, tcb->rcv_nxt)) {
        win = seq_diff(tcb->rcv_adv, tcb->rcv_nxt);
    }
    uint64_t up = ((uint64_t)win + grain - 1) / grain * grain;
    return (uint32_t)(up < ((uint64_t)65535 << tcb->rcv_wscale) ? up
                                                                 : 65535u << tcb->rcv_wscale);
}

/* Bytes the receive window may cover beyond RCV.NXT (RFC 9293 §3.8.6.2.2 and Linux
 * __tcp_select_window()), before the rule that the right edge never moves left. */
static uint32_t
select_window(const struct tcp_tcb *tcb, uint32_t *cur_out)
{
    uint32_t full = full_space(tcb);
    uint32_t allowed = full_space_raw(tcb);
    uint32_t space = tcp_rcv_space(tcb);
    uint32_t cur = seq_gt(tcb->rcv_adv, tcb->rcv_nxt) ? seq_diff(tcb->rcv_adv, tcb->rcv_nxt) : 0;
    uint32_t grain = 1u << tcb->rcv_wscale;
    /* Linux rounds by the peer's segment size as seen here (icsk_ack.rcv_mss: 1448
     * with timestamps), not by the MSS it announced itself. */
    uint32_t mss = linux_windows(tcb) ? tcp_rcv_mss(tcb) : tcb->adv_mss;
    uint32_t win;

    *cur_out = cur; /* also when it returns early, below */
    if (mss > full) {
        mss = full;
        if (mss == 0) {
            return 0;
        }
    }
    if (space < full / 2) {
        /* Receiver SWS avoidance: a nearly full buffer offers nothing rather than a
         * sliver of less than one segment; the application's reads reopen it in large
         * steps. Linux: below a sixteenth of the whole buffer's window. */
        space = space / grain * grain;
        if (space < (allowed >> 4) || space < mss) {
            space = 0;
        }
    }
    space = min_u32(space, tcb->rcv_ssthresh);
    if (tcb->rcv_wscale) {
        /* Round up so the scaled value does not lose the last part (Linux ALIGN). */
        win = (space + grain - 1) / grain * grain;
    } else if ((uint64_t)tcb->rcv_wnd + mss <= space || tcb->rcv_wnd > space) {
        win = space / mss * mss; /* whole segments */
    } else if (mss == full && space > tcb->rcv_wnd + full / 2) {
        win = space;
    } else {
        win = tcb->rcv_wnd; /* within a segment of the free space: keep it */
    }
    *cur_out = cur;
    return win;
}

/* Linux: __tcp_select_window(), what the free buffer offers now, for the ACK decision
 * (the window may be smaller than the one last advertised). */
uint32_t
tcp_rcv_window_fresh(const struct tcp_tcb *tcb)
{
    uint32_t cur;
    return min_u32(select_window(tcb, &cur), 65535u << tcb->rcv_wscale);
}

/* Linux: __tcp_select_window()'s "free_space < full_space / 2", where it stops offering
 * slivers and leaves quick-ACK mode (tcp_delack_window_selected()). */
bool
tcp_rcv_window_short(const struct tcp_tcb *tcb)
{
    return tcp_rcv_space(tcb) < full_space(tcb) / 2;
}

/* The window to advertise: never moves the right edge left (RFC 7323 §2.4; Linux:
 * tcp_select_window()). */
uint32_t
tcp_rcv_window(const struct tcp_tcb *tcb)
{
    if (tcb->stack->sysctl.personality == TCP_PERSONALITY_FREEBSD) {
        return freebsd_rcv_window(tcb);
    }
    uint32_t cur;
    uint32_t win = select_window(tcb, &cur);
    uint32_t grain = 1u << tcb->rcv_wscale;
    if (win < cur) {
        win = (cur + grain - 1) / grain * grain; /* never shrink */
    }
    return min_u32(win, 65535u << tcb->rcv_wscale);
}

uint32_t
tcp_rcv_full_space(const struct tcp_tcb *tcb)
{
    return full_space(tcb);
}
