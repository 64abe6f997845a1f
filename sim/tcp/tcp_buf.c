/* SPDX-License-Identifier: MIT */
/*
 * tcp_buf.c: send and receive buffers, kept as stream bookkeeping rather than bytes.
 *
 * Entry points: tcp_snd_append(), tcp_snd_acked(), tcp_snd_bytes(), tcp_rcv_append(),
 * tcp_rcv_read(). Bytes the application wrote as a size are the pattern
 * tcp_payload_byte(offset) and are never stored; only text writes keep their bytes, until
 * they are acknowledged. The receive side keeps runs of in-order data with the sender's
 * stream offset each claimed, so a reader can check that every byte arrived once, in
 * order, and from this incarnation of the connection; text runs keep their bytes.
 * In a bulk transfer the receive ring holds one run that grows and shrinks: nothing is
 * allocated per segment.
 */
#include <string.h>

#include "tcp.h"

void
tcp_buf_init(struct tcp_tcb *tcb, uint32_t sndbuf, uint32_t rcvbuf)
{
    tcb->snd.cap = sndbuf;
    tcb->rcv.cap = rcvbuf;
}

static void
free_text(struct tcp_tcb *tcb, struct tcp_sndbuf *b)
{
    if (b->text == NULL) {
        return;
    }
    for (guint i = 0; i < b->text->len; i++) {
        struct tcp_text_span *s = &g_array_index(b->text, struct tcp_text_span, i);
        tcp_mem_charge(tcb, -(int64_t)s->len);
        g_free(s->bytes);
    }
    g_array_free(b->text, TRUE);
    b->text = NULL;
}

static void
free_chunks(struct tcp_tcb *tcb, struct tcp_rcvbuf *r)
{
    for (uint32_t i = 0; i < r->count; i++) {
        struct tcp_rchunk *c = &r->chunk[(r->head + i) % r->size];
        tcp_mem_charge(tcb, c->bytes ? -(int64_t)c->len : 0);
        g_free(c->bytes);
    }
    tcp_mem_charge(tcb, -(int64_t)(r->size * sizeof(struct tcp_rchunk)));
    g_free(r->chunk);
    r->chunk = NULL;
    r->head = r->count = r->size = 0;
    if (r->skbq != NULL) {
        tcp_mem_charge(tcb, -(int64_t)(r->skbq->size * sizeof(struct tcp_rskb) +
                                       sizeof(struct tcp_rskbq)));
        g_free(r->skbq->skb);
        g_clear_pointer(&r->skbq, g_free);
    }
}

static void
free_push(struct tcp_tcb *tcb)
{
    if (tcb->snd.push != NULL) {
        tcp_mem_charge(tcb, -(int64_t)(tcb->snd.push->len * sizeof(uint64_t)));
        g_array_free(tcb->snd.push, TRUE);
        tcb->snd.push = NULL;
    }
}

static void
free_skb(struct tcp_tcb *tcb)
{
    if (tcb->snd.skb != NULL) {
        tcp_mem_charge(tcb, -(int64_t)(tcb->snd.skb->len * sizeof(uint64_t)));
        g_array_free(tcb->snd.skb, TRUE);
        tcb->snd.skb = NULL;
    }
}

void
tcp_buf_free(struct tcp_tcb *tcb)
{
    free_text(tcb, &tcb->snd);
    free_push(tcb);
    free_skb(tcb);
    free_chunks(tcb, &tcb->rcv);
    g_clear_pointer(&tcb->scratch, g_free);
}

void
tcp_buf_compact(struct tcp_tcb *tcb)
{
    free_text(tcb, &tcb->snd);
    free_push(tcb);
    free_skb(tcb);
    g_clear_pointer(&tcb->scratch, g_free);
    tcp_reass_free(tcb);
    tcp_sack_clear(tcb);
    tcp_rack_free(tcb);
    if (tcb->rcv.count == 0) {
        free_chunks(tcb, &tcb->rcv);
    }
}

uint64_t
tcp_snd_queued(const struct tcp_tcb *tcb)
{
    return tcb->snd.end - tcb->snd.una;
}

void
tcp_snd_append(struct tcp_tcb *tcb, uint32_t len, const uint8_t *text)
{
    struct tcp_sndbuf *b = &tcb->snd;
    if (text != NULL && len > 0) {
        if (b->text == NULL) {
            b->text = g_array_new(FALSE, FALSE, sizeof(struct tcp_text_span));
        }
        struct tcp_text_span span = {.off = b->end, .len = len, .bytes = g_memdup2(text, len)};
        g_array_append_val(b->text, span);
        tcp_mem_charge(tcb, len);
    }
    b->end += len;
}

bool
tcp_snd_push_at(const struct tcp_tcb *tcb, uint64_t end)
{
    const GArray *p = tcb->snd.push;
    if (p == NULL) {
        return false;
    }
    guint lo = 0;
    guint hi = p->len;
    while (lo < hi) {
        guint mid = lo + (hi - lo) / 2;
        uint64_t v = g_array_index(p, uint64_t, mid);
        if (v == end) {
            return true;
        }
        if (v < end) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return false;
}

void
tcp_snd_acked(struct tcp_tcb *tcb, uint64_t bytes)
{
    struct tcp_sndbuf *b = &tcb->snd;
    g_assert(bytes <= tcp_snd_queued(tcb));
    b->una += bytes;
    if (b->push != NULL) {
        guint gone = 0;
        while (gone < b->push->len && g_array_index(b->push, uint64_t, gone) <= b->una) {
            gone++;
        }
        if (gone) {
            g_array_remove_range(b->push, 0, gone);
            tcp_mem_charge(tcb, -(int64_t)(gone * sizeof(uint64_t)));
        }
    }
    if (b->skb != NULL) {
        guint gone = 0; /* Linux: tcp_clean_rtx_queue(); a partial ACK only trims */
        while (gone < b->skb->len && g_array_index(b->skb, uint64_t, gone) <= b->una) {
            gone++;
        }
        if (gone) {
            g_array_remove_range(b->skb, 0, gone);
            tcp_mem_charge(tcb, -(int64_t)(gone * sizeof(uint64_t)));
        }
    }
    if (b->text == NULL) {
        return;
    }
    guint drop = 0;
    while (drop < b->text->len) {
        struct tcp_text_span *s = &g_array_index(b->text, struct tcp_text_span, drop);
        if (s->off + s->len > b->una) {
            break;
        }
        tcp_mem_charge(tcb, -(int64_t)s->len);
        g_free(s->bytes);
        drop++;
    }
    if (drop) {
        g_array_remove_range(b->text, 0, drop);
    }
}

/* The payload of [off, off + len): NULL when it is all pattern, else materialized into
 * the connection's scratch buffer (valid until the next call). */
const uint8_t *
tcp_snd_bytes(struct tcp_tcb *tcb, uint64_t off, uint32_t len)
{
    struct tcp_sndbuf *b = &tcb->snd;
    if (b->text == NULL || b->text->len == 0) {
        return NULL;
    }
    bool any = false;
    for (guint i = 0; i < b->text->len && !any; i++) {
        const struct tcp_text_span *s = &g_array_index(b->text, struct tcp_text_span, i);
        any = s->off < off + len && off < s->off + s->len;
    }
    if (!any) {
        return NULL;
    }
    if (tcb->scratch_len < len) {
        tcb->scratch = g_realloc(tcb->scratch, len);
        tcb->scratch_len = len;
    }
    for (uint32_t i = 0; i < len; i++) {
        tcb->scratch[i] = tcp_payload_byte(off + i);
    }
    for (guint i = 0; i < b->text->len; i++) {
        const struct tcp_text_span *s = &g_array_index(b->text, struct tcp_text_span, i);
        uint64_t lo = s->off > off ? s->off : off;
        uint64_t hi = s->off + s->len < off + len ? s->off + s->len : off + len;
        if (lo < hi) {
            memcpy(tcb->scratch + (lo - off), s->bytes + (lo - s->off), hi - lo);
        }
    }
    return tcb->scratch;
}

uint32_t
tcp_rcv_queued(const struct tcp_tcb *tcb)
{
    return (uint32_t)(tcb->rcv.nxt - tcb->rcv.read);
}

/*
 * Linux: tcp_prune_queue() -> tcp_clamp_window(). The window offered never shrinks, and
 * rounding it up to the window scale's unit moves its right edge a little further with
 * every ACK, so data inside the window can find the buffer full. Unless the application
 * fixed SO_RCVBUF, Linux then grows the buffer to what is allocated (up to tcp_rmem[2])
 * rather than drop what it offered to take; the RFC personality does the same, the
 * receiver having offered that window (RFC 9293 §3.8.6.2.2). Called before `need` more
 * bytes are queued.
 */
void
tcp_rcvbuf_make_room(struct tcp_tcb *tcb, uint32_t need)
{
    const struct tcp_sysctl *s = &tcb->stack->sysctl;
    if (tcb->rcvbuf_locked) {
        return;
    }
    uint64_t want = (uint64_t)tcp_rcv_queued(tcb) + tcb->ooo_bytes + need;
    uint64_t max = (uint64_t)s->tcp_rmem[2];
    want = want < max ? want : max;
    if (want > tcb->rcv.cap) {
        tcb->rcv.cap = (uint32_t)want;
    }
}

/*
 * FreeBSD: tcp_mss(). Once the MSS is known, each socket buffer larger than one segment
 * grows to the next multiple of it (at most kern.ipc.maxsockbuf), so the window and the
 * send queue hold whole segments: 65536 bytes become 65700 with MSS 1460, which a
 * window scale of 6 advertises as 1026. A buffer never shrinks here.
 */
void
tcp_freebsd_round_buffers(struct tcp_tcb *tcb, uint32_t mss)
{
    const struct tcp_sysctl *s = &tcb->stack->sysctl;
    uint32_t *caps[2] = {&tcb->snd.cap, &tcb->rcv.cap};
    if (mss == 0) {
        return;
    }
    for (int i = 0; i < 2; i++) {
        uint64_t b = *caps[i];
        if (b <= mss) {
            continue;
        }
        b = (b + mss - 1) / mss * mss;
        b = b < (uint64_t)s->maxsockbuf ? b : (uint64_t)s->maxsockbuf;
        if (b > *caps[i]) {
            *caps[i] = (uint32_t)b;
        }
    }
}

uint32_t
tcp_rcv_free(const struct tcp_tcb *tcb)
{
    uint32_t used = tcp_rcv_queued(tcb) + tcb->ooo_bytes;
    return used >= tcb->rcv.cap ? 0 : tcb->rcv.cap - used;
}

static struct tcp_rchunk *
chunk_at(struct tcp_rcvbuf *r, uint32_t i)
{
    return &r->chunk[(r->head + i) % r->size];
}

static void
ring_grow(struct tcp_tcb *tcb, struct tcp_rcvbuf *r)
{
    uint32_t size = r->size ? r->size * 2 : 4;
    tcp_mem_charge(tcb, (int64_t)((size - r->size) * sizeof(struct tcp_rchunk)));
    struct tcp_rchunk *c = g_new(struct tcp_rchunk, size);
    for (uint32_t i = 0; i < r->count; i++) {
        c[i] = *chunk_at(r, i);
    }
    g_free(r->chunk);
    r->chunk = c;
    r->head = 0;
    r->size = size;
}

static struct tcp_rskb *
skb_at(struct tcp_rskbq *q, uint32_t i)
{
    return &q->skb[(q->head + i) % q->size];
}

/*
 * Linux: tcp_queue_rcv() -> tcp_try_coalesce(). What the receive queue costs in memory
 * (sk_rmem_alloc), with the skbs of a Linux sender over veth or loopback without
 * offloads: the payload sits in page fragments and the head (sk_buff, headers,
 * skb_shared_info) costs TCP_SKB_HEAD_TRUESIZE more. A segment that arrives in order
 * behind a tail skb with room for one more fragment is coalesced into it
 * (skb_try_coalesce()) and costs only its payload; otherwise it is an skb of its own.
 * Measured on Linux 6.18 (test/replay/captures/window-limited.pcap): a receiver with
 * SO_RCVBUF 8192 (16384 bytes) that does not read offers 8688, then 7240, 5792, 2896,
 * 1448 and 0 with ten segments (14480 bytes) queued: 2280 + 9 x 1448 = 15312 bytes.
 */
static void
rskb_append(struct tcp_tcb *tcb, uint32_t len)
{
    struct tcp_rcvbuf *r = &tcb->rcv;
    if (r->skbq == NULL) {
        r->skbq = g_new0(struct tcp_rskbq, 1);
        tcp_mem_charge(tcb, (int64_t)sizeof(struct tcp_rskbq));
    }
    struct tcp_rskbq *q = r->skbq;
    if (q->count > 0) {
        struct tcp_rskb *tail = skb_at(q, q->count - 1);
        /* A tun device's linear skbs have no room to coalesce into (rx_skb tun). */
        if (tail->end == r->nxt && tail->frags < TCP_SKB_MAX_FRAGS && tcb->stack->sysctl.rx_skb == 0) {
            tail->end += len;
            tail->truesize += len;
            tail->frags++;
            q->truesize += len;
            return;
        }
    }
    if (q->count == q->size) {
        uint32_t size = q->size ? q->size * 2 : 4;
        tcp_mem_charge(tcb, (int64_t)((size - q->size) * sizeof(struct tcp_rskb)));
        struct tcp_rskb *n = g_new(struct tcp_rskb, size);
        for (uint32_t i = 0; i < q->count; i++) {
            n[i] = *skb_at(q, i);
        }
        g_free(q->skb);
        q->skb = n;
        q->head = 0;
        q->size = size;
    }
    struct tcp_rskb *b = skb_at(q, q->count++);
    b->end = r->nxt + len;
    b->truesize = tcp_truesize(tcb, len);
    b->frags = 1;
    q->truesize += b->truesize;
}

/* Linux: tcp_recvmsg_locked() frees an skb (tcp_eat_recv_skb()) once it is read to its
 * end; a partly read skb stays charged in full. */
static void
rskb_consume(struct tcp_rcvbuf *r)
{
    struct tcp_rskbq *q = r->skbq;
    while (q != NULL && q->count > 0) {
        struct tcp_rskb *b = skb_at(q, 0);
        if (b->end > r->read) {
            break;
        }
        q->truesize -= b->truesize;
        q->head = (q->head + 1) % q->size;
        q->count--;
    }
}

uint64_t
tcp_rcv_truesize(const struct tcp_tcb *tcb)
{
    return tcb->rcv.skbq != NULL ? tcb->rcv.skbq->truesize : 0;
}

/* Appends `len` payload bytes of `seg`, starting `skip` bytes into it, at RCV.NXT. */
void
tcp_rcv_append(struct tcp_tcb *tcb, const struct tcp_seg *seg, uint32_t skip, uint32_t len)
{
    struct tcp_rcvbuf *r = &tcb->rcv;
    if (len == 0) {
        return;
    }
    rskb_append(tcb, len);
    uint64_t src = seg->data_off == TCP_DATA_OFF_NONE ? TCP_DATA_OFF_NONE : seg->data_off + skip;
    if (src != r->nxt || seg->stream != tcb->peer_stream) {
        r->foreign += len; /* not this connection's bytes, or not at this place */
    }
    if (seg->data == NULL && r->count > 0) {
        struct tcp_rchunk *last = chunk_at(r, r->count - 1);
        if (last->bytes == NULL && last->src_off != TCP_DATA_OFF_NONE &&
            last->src_off + last->len == src && last->len <= UINT32_MAX - len) {
            last->len += len; /* the common case: one run that keeps growing */
            r->nxt += len;
            return;
        }
    }
    if (r->count == r->size) {
        ring_grow(tcb, r);
    }
    struct tcp_rchunk *c = chunk_at(r, r->count++);
    c->off = r->nxt;
    c->src_off = src;
    c->len = len;
    c->bytes = seg->data ? g_memdup2(seg->data + skip, len) : NULL;
    tcp_mem_charge(tcb, c->bytes ? len : 0);
    r->nxt += len;
}

uint32_t
tcp_rcv_read(struct tcp_tcb *tcb, uint32_t max, uint8_t *out)
{
    struct tcp_rcvbuf *r = &tcb->rcv;
    uint32_t done = 0;
    while (done < max && r->count > 0) {
        struct tcp_rchunk *c = chunk_at(r, 0);
        uint32_t n = c->len < max - done ? c->len : max - done;
        if (out) {
            if (c->bytes) {
                memcpy(out + done, c->bytes, n);
            } else {
                uint64_t base = c->src_off == TCP_DATA_OFF_NONE ? c->off : c->src_off;
                for (uint32_t i = 0; i < n; i++) {
                    out[done + i] = tcp_payload_byte(base + i);
                }
            }
        }
        done += n;
        tcp_mem_charge(tcb, c->bytes ? -(int64_t)n : 0);
        if (n == c->len) {
            g_free(c->bytes);
            r->head = (r->head + 1) % r->size;
            r->count--;
            continue;
        }
        c->len -= n;
        c->off += n;
        if (c->src_off != TCP_DATA_OFF_NONE) {
            c->src_off += n;
        }
        if (c->bytes) {
            memmove(c->bytes, c->bytes + n, c->len);
        }
    }
    r->read += done;
    rskb_consume(r);
    return done;
}

int64_t
tcp_sockopt_bufsize(const struct tcp_stack *st, int64_t v, bool rcv)
{
    if (st->sysctl.personality != TCP_PERSONALITY_LINUX) {
        return v;
    }
    const int64_t max = 212992;               /* net.core.rmem_max, wmem_max */
    const int64_t min = rcv ? 2304 : 4608;    /* SOCK_MIN_RCVBUF, SOCK_MIN_SNDBUF */
    v = v > max ? max : v < 0 ? 0 : v;
    return 2 * v < min ? min : 2 * v;
}

/*
 * Linux: tcp_rcv_space_adjust() (dynamic right-sizing). Once per RTT, if the application
 * read more than in the RTT before, the receive buffer grows to twice that plus a
 * cushion, scaled up again by the growth rate (a sender in slow start doubles each RTT),
 * up to tcp_rmem[2]. The advertised window follows the buffer (tcp_grow_window()).
 */
void
tcp_rcvbuf_adjust(struct tcp_tcb *tcb)
{
    const struct tcp_sysctl *s = &tcb->stack->sysctl;
    sim_time now = tcb->stack->q->now;
    if (!tcb->rtt_seeded || now - tcb->rcvq_time < tcb->srtt) {
        return;
    }
    uint64_t copied = tcb->rcv.read - tcb->rcvq_read;
    if (tcb->rcvq_space == 0) {
        /* Linux: tcp_init_buffer_space(): min(rcv_ssthresh, rcv_wnd, TCP_INIT_CWND *
         * advmss). */
        uint32_t sp = 10u * tcb->adv_mss;
        sp = tcb->rcv_ssthresh < sp ? tcb->rcv_ssthresh : sp;
        sp = tcb->rcv_wnd && tcb->rcv_wnd < sp ? tcb->rcv_wnd : sp;
        tcb->rcvq_space = sp ? sp : 1;
    }
    if (copied > tcb->rcvq_space) {
        if (s->tcp_moderate_rcvbuf && !tcb->rcvbuf_locked) {
            uint64_t rcvwin = 2 * copied + 16u * tcb->adv_mss;
            uint64_t grow = rcvwin * (copied - tcb->rcvq_space) / tcb->rcvq_space;
            rcvwin += 2 * grow;
            /* The buffer that offers rcvwin as window (tcp_space_from_win(), by the
             * measured scaling_ratio). */
            uint64_t space = tcp_space_from_win(tcb, rcvwin);
            uint64_t max = (uint64_t)s->tcp_rmem[2];
            space = space < max ? space : max;
            if (space > tcb->rcv.cap) {
                tcb->rcv.cap = (uint32_t)space;
                /* "Make the window clamp follow along." */
                if (tcb->stack->sysctl.personality == TCP_PERSONALITY_LINUX) {
                    tcb->window_clamp = tcp_win_from_space(tcb, space);
                }
            }
        }
        tcb->rcvq_space = copied > UINT32_MAX ? UINT32_MAX : (uint32_t)copied;
    }
    tcb->rcvq_read = tcb->rcv.read;
    tcb->rcvq_time = now;
}
