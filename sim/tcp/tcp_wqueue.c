/* SPDX-License-Identifier: MIT */
/*
 * tcp_wqueue.c: the send buffer as Linux accounts it (Linux personality): the write
 * queue as skbs, charged in truesize; how a write fills them (tcp_sendmsg_locked()),
 * where PSH goes, when a blocked writer wakes, and how the buffer grows.
 *
 * Entry points: tcp_snd_write_linux() (a write), tcp_snd_skb_split() (from tcp_tso.c,
 * where a packet ends), tcp_snd_wmem_queued(), tcp_snd_memory_free(),
 * tcp_snd_writeable(), tcp_snd_space(), tcp_sndbuf_expand(), tcp_snd_check_space().
 * The stream bookkeeping itself (bytes written, acknowledged, PSH marks looked up) is
 * tcp_buf.c's.
 */
#include "tcp.h"

/*
 * The send buffer in truesize (Linux personality). Linux charges the write queue what
 * its skbs take in memory, not the payload: each skb costs its payload plus the
 * overhead of an skb whose head holds only headers (tcp_stream_alloc_skb(): an fclone
 * with MAX_TCP_HEADER of head room), measured on Linux 6.18.44 x86_64 as 832 bytes
 * (`ss -tm`: sk_wmem_queued less the payload, for writes of 1000 to 100000 bytes into a
 * zero window, one to seven skbs; the structures' sizes had suggested 1280), and payload
 * goes into page fragments charged byte for byte
 * (skb_copy_to_page_nocache()). sk_wmem_queued is their sum (tcp_skb_entail(),
 * sk_wmem_free_skb(); tcp_trim_head() takes off what a partial ACK frees). Page
 * fragments' rounding and memory pressure (sk_forward_alloc, tcp_mem) are not modelled.
 *
 * So the number of skbs matters: a write fills its skbs up to the size goal
 * (tcp_xmit_size_goal(): as many whole segments as half the largest window the peer
 * offered holds, within a 64 KB GSO packet), and a transmission that ends inside an
 * skb cuts it in two (tso_fragment(), tcp_fragment()), each half charged the overhead.
 * The RFC and FreeBSD personalities count payload bytes against the buffer.
 */
enum {
    SKB_OVERHEAD = 832,         /* measured: sk_wmem_queued less the payload, per skb */
    MAX_TCP_HEADER = 320,       /* L1_CACHE_ALIGN(128 + MAX_HEADER) */
    SKB_SHINFO = 320,           /* SKB_DATA_ALIGN(sizeof(struct skb_shared_info)) */
    SKB_STRUCT = 256,           /* SKB_DATA_ALIGN(sizeof(struct sk_buff)) */
    GSO_LEGACY_MAX_SIZE = 65536,
};

static bool
truesize_model(const struct tcp_tcb *tcb)
{
    return tcb->stack->sysctl.personality == TCP_PERSONALITY_LINUX;
}

uint64_t
tcp_snd_wmem_queued(const struct tcp_tcb *tcb)
{
    uint64_t q = tcp_snd_queued(tcb);
    if (!truesize_model(tcb) || tcb->snd.skb == NULL) {
        return q;
    }
    return q + (uint64_t)tcb->snd.skb->len * SKB_OVERHEAD;
}

/* Linux: sk_stream_memory_free(): another skb may be started while less than the buffer
 * is charged (tcp_stream_memory_free()'s notsent limit is tcp_notsent_lowat, unlimited). */
bool
tcp_snd_memory_free(const struct tcp_tcb *tcb)
{
    return tcp_snd_wmem_queued(tcb) < tcb->snd.cap;
}

uint32_t
tcp_snd_space(const struct tcp_tcb *tcb)
{
    uint64_t q = tcp_snd_wmem_queued(tcb);
    return q >= tcb->snd.cap ? 0 : (uint32_t)(tcb->snd.cap - q);
}

/* Whether a writer waiting for buffer space is woken (and poll() says POLLOUT). Linux:
 * sk_stream_write_space() -> __sk_stream_is_writeable(): only once the free space
 * (sk_stream_wspace()) is at least half of what is charged (sk_stream_min_wspace()), a
 * third of the buffer, so a blocked writer queues data in batches rather than a segment
 * per ACK; counted in truesize. The RFC personality wakes it for any space. */
bool
tcp_snd_writeable(const struct tcp_tcb *tcb)
{
    uint32_t space = tcp_snd_space(tcb);
    if (tcb->stack->sysctl.personality != TCP_PERSONALITY_LINUX) {
        return space > 0;
    }
    return space > 0 && space >= tcp_snd_wmem_queued(tcb) / 2;
}

/* Linux: tcp_xmit_size_goal() with tcp_bound_to_half_wnd(): the payload of a full skb. */
static uint32_t
size_goal(const struct tcp_tcb *tcb)
{
    uint32_t mss = tcb->mss;
    uint32_t goal = GSO_LEGACY_MAX_SIZE - 1 - MAX_TCP_HEADER;
    uint32_t w = tcb->max_snd_wnd;
    uint32_t cutoff = w > 536 ? w / 2 : w; /* TCP_MSS_DEFAULT */
    if (cutoff && goal > cutoff) {
        goal = cutoff > 48 ? cutoff : 48;
    }
    goal = goal / mss * mss;
    return goal > mss ? goal : mss;
}

/* The index of the first skb that ends after `off` (skb->len when none), by bisection:
 * the ends are in stream order. */
static guint
first_end_above(const struct tcp_sndbuf *b, uint64_t off)
{
    guint lo = 0;
    guint hi = b->skb->len;
    while (lo < hi) {
        guint mid = lo + (hi - lo) / 2;
        if (g_array_index(b->skb, uint64_t, mid) > off) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    return lo;
}

static uint64_t
skb_start(const struct tcp_sndbuf *b, guint i)
{
    return i == 0 ? b->una : g_array_index(b->skb, uint64_t, i - 1);
}

static uint64_t
sent_off(const struct tcp_tcb *tcb)
{
    return tcb->snd.una + seq_diff(tcb->snd_max, tcb->snd_una);
}

void
tcp_snd_skb_split(struct tcp_tcb *tcb, uint64_t off)
{
    struct tcp_sndbuf *b = &tcb->snd;
    if (b->skb == NULL || off <= b->una || off >= b->end) {
        return;
    }
    guint i = first_end_above(b, off - 1); /* the first skb that ends at off or later */
    if (i < b->skb->len && g_array_index(b->skb, uint64_t, i) != off) {
        g_array_insert_val(b->skb, i, off);
        tcp_mem_charge(tcb, sizeof(uint64_t));
    }
}

/* The push marks: `off` loses its mark, `to` gets one (sorted, no duplicate). */
static void
move_mark(struct tcp_tcb *tcb, uint64_t off, uint64_t to)
{
    GArray *p = tcb->snd.push;
    guint i = 0;
    while (i < p->len && g_array_index(p, uint64_t, i) < off) {
        i++;
    }
    if (i == p->len || g_array_index(p, uint64_t, i) != off) {
        return;
    }
    g_array_remove_index(p, i);
    while (i < p->len && g_array_index(p, uint64_t, i) < to) {
        i++;
    }
    if (i < p->len && g_array_index(p, uint64_t, i) == to) {
        tcp_mem_charge(tcb, -(int64_t)sizeof(uint64_t));
        return;
    }
    g_array_insert_val(p, i, to);
}

/*
 * Linux 6.10+: tcp_write_xmit() -> tcp_grow_skb(). Before it sends the first unsent skb,
 * an skb shorter than the packet the congestion window allows (cwnd_quota segments,
 * within tcp_tso_segs()) takes bytes from the front of the next one (skb_shift()); the
 * next one, emptied, is freed and its flags go to the grown skb (tcp_eat_one_skb()). The
 * PSH of the grown skb stays on it and so moves to its new end: a forced push is not
 * where the write put it once the packets ahead of it were cut short. Measured on Linux
 * 6.18.44 (packetdrill over tun, tcpdump): cubic-rto-ss-ca-cwnd-bump's forced push lands
 * on 19001:20001, not 18001:19001 where the write marks it, and the same one MSS later
 * with the peer's window at 270, 280 and 300 (x128) instead of 257; a write into a
 * window that opens one segment an ACK carries its forced push ahead of every packet
 * sent, so none of the first 46 segments has PSH.
 */
void
tcp_snd_grow_head(struct tcp_tcb *tcb, uint64_t want)
{
    struct tcp_sndbuf *b = &tcb->snd;
    if (!truesize_model(tcb) || b->skb == NULL || want == 0) {
        return;
    }
    uint64_t head = sent_off(tcb);
    guint i = first_end_above(b, head); /* the skb that holds the send head */
    if (i + 1 >= b->skb->len || skb_start(b, i) != head) {
        return; /* no skb starts at the send head, or it is the last one */
    }
    uint64_t end = g_array_index(b->skb, uint64_t, i);
    uint64_t next_end = g_array_index(b->skb, uint64_t, i + 1);
    if (end - head >= want) {
        return;
    }
    uint64_t take = want - (end - head);
    uint64_t to = take >= next_end - end ? next_end : end + take;
    if (b->push != NULL) {
        move_mark(tcb, end, to);
    }
    if (to == next_end) {
        g_array_remove_index(b->skb, i);
        tcp_mem_charge(tcb, -(int64_t)sizeof(uint64_t));
    } else {
        g_array_index(b->skb, uint64_t, i) = to;
    }
}

/*
 * PSH, as Linux places it (tcp_sendmsg_locked(), tcp_push(), forced_push(),
 * tcp_mark_push()): on the skb that ends a write, unless MSG_MORE said more follows (a
 * write that adds to an unsent tail takes the tail's mark away first, "if (!copied)
 * ... &= ~TCPHDR_PSH", so PSH moves to the new end), on the last skb queued before the
 * writer waits for space, and on each skb that fills up when more than half the
 * largest window the peer offered was written since the last mark, so a receiver that
 * waits for PSH never waits for a whole window. Marks are stream offsets where an skb
 * ends; the segment that ends there carries PSH.
 */
static void
mark_push(struct tcp_tcb *tcb, uint64_t off)
{
    struct tcp_sndbuf *b = &tcb->snd;
    if (b->push == NULL) {
        b->push = g_array_new(FALSE, FALSE, sizeof(uint64_t));
    }
    if (b->push->len == 0 || g_array_index(b->push, uint64_t, b->push->len - 1) < off) {
        g_array_append_val(b->push, off);
        tcp_mem_charge(tcb, sizeof(uint64_t));
    }
    b->pushed = off;
}

static bool
forced_push(const struct tcp_tcb *tcb)
{
    return tcb->snd.end > tcb->snd.pushed + tcb->max_snd_wnd / 2;
}

static void
unmark_tail(struct tcp_tcb *tcb)
{
    struct tcp_sndbuf *b = &tcb->snd;
    if (b->push != NULL && b->push->len > 0 &&
        g_array_index(b->push, uint64_t, b->push->len - 1) == b->end) {
        g_array_set_size(b->push, b->push->len - 1);
        tcp_mem_charge(tcb, -(int64_t)sizeof(uint64_t));
    }
}

/* Linux: tcp_push(): the end of the queue gets PSH unless MSG_MORE (`more`) holds it. */
static void
push_end(struct tcp_tcb *tcb, bool more)
{
    if (tcb->snd.end > tcb->snd.una && (!more || forced_push(tcb))) {
        mark_push(tcb, tcb->snd.end);
    }
}

/*
 * Linux: tcp_sendmsg_locked(). The write fills the unsent tail skb up to the size goal,
 * then starts new skbs while the buffer has room (sk_stream_memory_free(), checked only
 * before a new skb, so the last one may take the charge past the buffer). A full skb is
 * pushed at once when it is the first unsent one (tcp_push_one(): one TSO packet) or a
 * forced push is due (__tcp_push_pending_frames(): all that may go), so the
 * transmission cuts it before the write goes on; the unsent rest is filled up again
 * without a look at the buffer, so while the congestion window lets packets go, a write
 * runs past SO_SNDBUF by what it sends. Returns the bytes queued; fewer than `len`
 * means the writer now waits for space.
 */
uint32_t
tcp_snd_write_linux(struct tcp_tcb *tcb, uint32_t len, const uint8_t *text, bool more,
                    void (*push)(struct tcp_tcb *, bool one))
{
    struct tcp_sndbuf *b = &tcb->snd;
    uint32_t goal = size_goal(tcb);
    uint32_t done = 0;
    if (b->skb == NULL) {
        b->skb = g_array_new(FALSE, FALSE, sizeof(uint64_t));
    }
    while (done < len) {
        guint n = b->skb->len;
        uint64_t start = n ? skb_start(b, n - 1) : b->end;
        uint64_t room = n && start >= sent_off(tcb) && b->end - start < goal
                            ? goal - (b->end - start)
                            : 0;
        if (room == 0) {
            if (!tcp_snd_memory_free(tcb)) {
                break; /* wait_for_space */
            }
            uint64_t end = b->end; /* tcp_skb_entail(): an empty skb, charged at once */
            g_array_append_val(b->skb, end);
            tcp_mem_charge(tcb, sizeof(uint64_t));
            n++;
            start = end;
            room = goal;
        }
        uint32_t copy = len - done < room ? len - done : (uint32_t)room;
        bool carry = false;
        if (done == 0 && start != b->end) {
            unmark_tail(tcb); /* the write's first copy goes into the unsent tail */
        } else if (start != b->end && b->push != NULL && b->push->len > 0 &&
                   g_array_index(b->push, uint64_t, b->push->len - 1) == b->end) {
            /* PSH is the skb's flag, not a place in the stream: a forced push made earlier
             * in this write stays on its skb as the write fills it up again after a
             * transmission cut it short, and so moves to its new end. */
            carry = true;
        }
        tcp_snd_append(tcb, copy, text ? text + done : NULL);
        if (carry) {
            g_array_index(b->push, uint64_t, b->push->len - 1) = b->end;
        }
        g_array_index(b->skb, uint64_t, n - 1) = b->end;
        done += copy;
        if (done == len || b->end - start < goal) {
            continue;
        }
        if (forced_push(tcb)) {
            mark_push(tcb, b->end);
            push(tcb, false); /* __tcp_push_pending_frames() */
        } else if (start == sent_off(tcb)) {
            push(tcb, true); /* tcp_push_one(): the full skb is the first unsent one */
        }
    }
    /* Linux: tcp_push() at the end of the write, or before it waits for space whatever
     * MSG_MORE said. */
    push_end(tcb, more && done == len);
    return done;
}

static uint64_t
roundup_pow2(uint64_t v)
{
    uint64_t p = 1;
    while (p < v) {
        p <<= 1;
    }
    return p;
}

/* Linux: tcp_sndbuf_expand(): unless the application fixed SO_SNDBUF, the send buffer
 * grows to hold two congestion windows (at least ten segments, and more than the
 * reordering degree), up to tcp_wmem[2], so a bulk sender is limited by the network,
 * not by its buffer. Linux grows it at the handshake (tcp_init_buffer_space()) and then
 * only for a writer that ran out of space while the congestion window had room
 * (tcp_new_space(), tcp_should_expand_sndbuf()); the RFC personality on every change of
 * cwnd. The Linux personality counts a segment as Linux's worst case in truesize, one
 * skb per segment with a power-of-two head (per_mss: 4352 bytes for an MSS of 1460;
 * measured on Linux 6.18.44 here, 2304: `ss -tm` shows tb46080 after the handshake, so
 * its MAX_TCP_HEADER is 256, not 320. Not yet adopted: see the README);
 * the RFC personality counts payload bytes. */
void
tcp_sndbuf_expand(struct tcp_tcb *tcb)
{
    if (tcb->sndbuf_locked || tcb->mss == 0) {
        return;
    }
    uint64_t segs = tcb->cc.cwnd / tcb->mss;
    if (segs < 10) {
        segs = 10;
    }
    uint64_t per_mss = tcb->mss;
    if (truesize_model(tcb)) {
        uint64_t clamp = tcb->mss + (tcb->ts_ok ? 12u : 0u); /* mss_clamp, options back */
        per_mss = roundup_pow2(clamp + MAX_TCP_HEADER + SKB_SHINFO) + SKB_STRUCT;
        uint64_t reo = tcb->rack != NULL ? tcb->rack->reordering
                                         : (uint64_t)tcb->stack->sysctl.tcp_reordering;
        segs = segs > reo + 1 ? segs : reo + 1;
    }
    uint64_t want = 2 * segs * per_mss;
    uint64_t max = (uint64_t)tcb->stack->sysctl.tcp_wmem[2];
    if (want > max) {
        want = max;
    }
    if (want > tcb->snd.cap) {
        tcb->snd.cap = (uint32_t)want;
        if (tcp_snd_writeable(tcb)) {
            tcb->snd_nospace = false;
            tcp_wakeup(tcb, TCP_WAKE_WRITE);
        }
    }
}

void
tcp_snd_check_space(struct tcp_tcb *tcb)
{
    if (!tcb->snd_nospace || tcb->stack->sysctl.personality != TCP_PERSONALITY_LINUX ||
        !tcp_state_is_synchronized(tcb->state)) {
        return;
    }
    uint32_t flight = seq_diff(tcb->snd_max, tcb->snd_una);
    if (flight < tcb->cc.cwnd) {
        tcp_sndbuf_expand(tcb); /* wakes the writer itself if it frees enough */
    }
    if (tcb->snd_nospace && tcp_snd_writeable(tcb)) {
        tcb->snd_nospace = false; /* Linux: sk_stream_write_space() */
        tcp_wakeup(tcb, TCP_WAKE_WRITE);
    }
}
