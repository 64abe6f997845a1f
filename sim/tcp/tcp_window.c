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
/* What a received segment costs beyond its payload (Linux skb->truesize - skb->len).
 * A model: Linux's figure depends on the driver and on coalescing in the receive
 * queue. 128 bytes reproduces the measured zero window of an SO_RCVBUF 8192 receiver
 * that never reads: 14480 bytes (ten segments of 1448) fill its 16384-byte buffer. */
#define TCP_SKB_OVERHEAD 128

static uint32_t
scaling_ratio(const struct tcp_tcb *tcb)
{
    return tcb->scaling_ratio ? tcb->scaling_ratio : TCP_DEFAULT_SCALING_RATIO;
}

uint32_t
tcp_truesize(uint32_t len)
{
    return len + TCP_SKB_OVERHEAD;
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

/* Linux: tcp_measure_rcv_mss(). A segment at least as large as rcv_mss and not of
 * exactly that size re-measures the ratio of payload to buffer memory; the window clamp
 * (here: the buffer's full space) follows, and rcv_ssthresh with it. */
void
tcp_scaling_ratio_update(struct tcp_tcb *tcb, uint32_t len)
{
    uint32_t rcv_mss = tcp_rcv_mss(tcb);
    if (!linux_windows(tcb) || len < rcv_mss || len == rcv_mss) {
        return;
    }
    uint64_t r = ((uint64_t)len << TCP_RMEM_TO_WIN_SCALE) / tcp_truesize(len);
    r = r ? r : 1;
    tcb->scaling_ratio = (uint8_t)(r > 255 ? 255 : r);
    uint32_t clamp = tcp_win_from_space(tcb, tcb->rcv.cap);
    if (tcb->rcv_ssthresh > clamp) {
        tcb->rcv_ssthresh = clamp; /* Linux: tcp_set_window_clamp() */
    }
}

/* Buffer memory the queued data takes: Linux charges each skb's truesize. */
static uint64_t
rmem_used(const struct tcp_tcb *tcb)
{
    uint64_t bytes = (uint64_t)tcp_rcv_queued(tcb) + tcb->ooo_bytes;
    if (!linux_windows(tcb) || bytes == 0) {
        return bytes;
    }
    uint32_t seg = tcp_rcv_mss(tcb);
    return bytes + (bytes + seg - 1) / seg * TCP_SKB_OVERHEAD;
}

static uint32_t
full_space(const struct tcp_tcb *tcb)
{
    return tcp_win_from_space(tcb, tcb->rcv.cap);
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
 * __tcp_select_window()). Never moves the right edge left (RFC 7323 §2.4). */
uint32_t
tcp_rcv_window(const struct tcp_tcb *tcb)
{
    if (tcb->stack->sysctl.personality == TCP_PERSONALITY_FREEBSD) {
        return freebsd_rcv_window(tcb);
    }
    uint32_t full = full_space(tcb);
    uint32_t space = tcp_rcv_space(tcb);
    uint32_t cur = seq_gt(tcb->rcv_adv, tcb->rcv_nxt) ? seq_diff(tcb->rcv_adv, tcb->rcv_nxt) : 0;
    uint32_t grain = 1u << tcb->rcv_wscale;
    /* Linux rounds by the peer's segment size as seen here (icsk_ack.rcv_mss: 1448
     * with timestamps), not by the MSS it announced itself. */
    uint32_t mss = linux_windows(tcb) ? tcp_rcv_mss(tcb) : tcb->adv_mss;
    uint32_t win;

    if (mss > full) {
        mss = full;
        if (mss == 0) {
            return 0;
        }
    }
    if (space < full / 2) {
        /* Receiver SWS avoidance: a nearly full buffer offers nothing rather than a
         * sliver of less than one segment; the application's reads reopen it in large
         * steps. */
        space = space / grain * grain;
        if (space < (full >> 4) || space < mss) {
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
