/* SPDX-License-Identifier: MIT */
/*
 * tcp_reass.c: the out-of-order queue (RFC 9293 §3.10.7.4 seventh step) and the SACK
 * blocks that describe it (RFC 2018 §4).
 *
 * Entry points: tcp_reass_insert(), tcp_reass_drain(), tcp_reass_sack_blocks().
 * The queue is an array of non-overlapping runs in sequence order; a segment that
 * overlaps what is queued keeps only its new bytes (duplicates and overlaps cost
 * nothing twice). Queued bytes count against the receive buffer.
 */
#include <string.h>

#include "tcp.h"

#define REASS_MAX_RUNS 1024

static struct tcp_ooo *
run_at(GArray *q, guint i)
{
    return &g_array_index(q, struct tcp_ooo, i);
}

static void
insert_piece(struct tcp_tcb *tcb, guint at, const struct tcp_seg *seg, uint32_t skip,
             uint32_t len, bool fin)
{
    struct tcp_ooo run = {
        .seq = seq_add(seg->seq, skip),
        .len = len,
        .src_off = seg->data_off == TCP_DATA_OFF_NONE ? TCP_DATA_OFF_NONE : seg->data_off + skip,
        .stream = seg->stream,
        .bytes = seg->data ? g_memdup2(seg->data + skip, len) : NULL,
        .fin = fin,
        .stamp = ++tcb->ooo_stamp,
    };
    g_array_insert_val(tcb->ooo, at, run);
    tcb->ooo_bytes += len;
    tcp_mem_charge(tcb, run.bytes ? len : 0);
}

bool
tcp_reass_insert(struct tcp_tcb *tcb, const struct tcp_seg *seg)
{
    tcp_rcvbuf_make_room(tcb, seg->len);
    if (seg->len > tcp_rcv_free(tcb)) {
        return false;
    }
    if (tcb->ooo == NULL) {
        tcb->ooo = g_array_new(FALSE, FALSE, sizeof(struct tcp_ooo));
    }
    GArray *q = tcb->ooo;
    if (q->len >= REASS_MAX_RUNS) {
        return false;
    }
    tcp_seq cur = seg->seq;
    tcp_seq end = seq_add(seg->seq, seg->len);
    bool fin = seg_has(seg, TCP_FIN);
    guint i = 0;
    /* Walk the runs, inserting the parts of [cur, end) that no run covers. */
    while (seq_lt(cur, end) && i < q->len) {
        struct tcp_ooo *r = run_at(q, i);
        tcp_seq r_end = seq_add(r->seq, r->len);
        if (seq_leq(r_end, cur)) {
            i++;
            continue;
        }
        if (seq_lt(cur, r->seq)) {
            tcp_seq piece_end = seq_min(end, r->seq);
            uint32_t n = seq_diff(piece_end, cur);
            insert_piece(tcb, i, seg, seq_diff(cur, seg->seq), n, fin && piece_end == end);
            i++;
            cur = piece_end;
            continue;
        }
        r->stamp = ++tcb->ooo_stamp; /* a duplicate refreshes the block's recency */
        tcp_dsack_extend(tcb, cur, seq_min(end, r_end)); /* RFC 2883 §4.1.2 */
        if (fin && seq_geq(r_end, end)) {
            r->fin = r->fin || r_end == end;
        }
        cur = seq_max(cur, r_end);
        i++;
    }
    if (seq_lt(cur, end)) {
        insert_piece(tcb, q->len, seg, seq_diff(cur, seg->seq), seq_diff(end, cur), fin);
    } else if (fin && seg->len == 0 && q->len > 0) {
        struct tcp_ooo *last = run_at(q, q->len - 1);
        last->fin = last->fin || seq_add(last->seq, last->len) == seg->seq;
    }
    return true;
}

bool
tcp_reass_drain(struct tcp_tcb *tcb)
{
    GArray *q = tcb->ooo;
    bool fin = false;
    while (q != NULL && q->len > 0) {
        struct tcp_ooo *r = run_at(q, 0);
        if (seq_gt(r->seq, tcb->rcv_nxt)) {
            break;
        }
        uint32_t have = seq_diff(tcb->rcv_nxt, r->seq);
        tcb->ooo_bytes -= r->len;
        if (have < r->len) {
            struct tcp_seg piece = {
                .seq = r->seq, .len = r->len, .data_off = r->src_off, .data = r->bytes,
                .stream = r->stream};
            uint32_t n = r->len - have;
            tcp_rcv_append(tcb, &piece, have, n);
            tcb->rcv_nxt = seq_add(tcb->rcv_nxt, n);
            fin = r->fin;
        }
        tcp_mem_charge(tcb, r->bytes ? -(int64_t)r->len : 0);
        g_free(r->bytes);
        g_array_remove_index(q, 0);
        if (fin) {
            break;
        }
    }
    return fin;
}

void
tcp_reass_free(struct tcp_tcb *tcb)
{
    if (tcb->ooo == NULL) {
        return;
    }
    for (guint i = 0; i < tcb->ooo->len; i++) {
        struct tcp_ooo *r = run_at(tcb->ooo, i);
        tcp_mem_charge(tcb, r->bytes ? -(int64_t)r->len : 0);
        g_free(r->bytes);
    }
    g_array_free(tcb->ooo, TRUE);
    tcb->ooo = NULL;
    tcb->ooo_bytes = 0;
}

/* RFC 2018 §4: contiguous blocks of queued data, the most recently changed first ("the
 * first SACK block MUST specify the contiguous block of data containing the segment which
 * triggered this ACK"), then the others, most recent first. */
unsigned
tcp_reass_sack_blocks(const struct tcp_tcb *tcb, struct tcp_sack_block *out, unsigned max)
{
    struct block {
        struct tcp_sack_block b;
        uint64_t stamp;
    } blocks[REASS_MAX_RUNS];
    unsigned n = 0;
    GArray *q = tcb->ooo;
    for (guint i = 0; q != NULL && i < q->len; i++) {
        const struct tcp_ooo *r = &g_array_index(q, struct tcp_ooo, i);
        tcp_seq r_end = seq_add(r->seq, r->len);
        if (n > 0 && blocks[n - 1].b.end == r->seq) {
            blocks[n - 1].b.end = r_end;
            blocks[n - 1].stamp = MAX(blocks[n - 1].stamp, r->stamp);
            continue;
        }
        if (r->len == 0) {
            continue;
        }
        blocks[n].b = (struct tcp_sack_block){r->seq, r_end};
        blocks[n].stamp = r->stamp;
        n++;
    }
    unsigned got = 0;
    while (got < max && got < n) {
        unsigned best = got;
        for (unsigned j = got + 1; j < n; j++) {
            if (blocks[j].stamp > blocks[best].stamp) {
                best = j;
            }
        }
        struct block t = blocks[got];
        blocks[got] = blocks[best];
        blocks[best] = t;
        out[got] = blocks[got].b;
        got++;
    }
    return got;
}
