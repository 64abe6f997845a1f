/* SPDX-License-Identifier: MIT */
/*
 * tcp_sack.c: the sender's SACK scoreboard (RFC 2018 §5, RFC 6675 §3-4).
 *
 * Entry points: tcp_sack_update() (a new ACK's SACK blocks), tcp_sack_is_lost(),
 * tcp_sack_pipe(), tcp_sack_next_seg(), tcp_sack_skip().
 *
 * The scoreboard is the set of sequence ranges above SND.UNA that the receiver reported
 * holding, kept merged and sorted; it is cut back as SND.UNA advances. RFC 6675's
 * definitions (IsLost, pipe, NextSeg) are computed from it and from HighRxt, the highest
 * sequence number retransmitted in the current recovery.
 */
#include "tcp.h"

#define SACK_MAX_RANGES 64

static struct tcp_sack_block *
range_at(GArray *a, guint i)
{
    return &g_array_index(a, struct tcp_sack_block, i);
}

/* Adds [start, end) to the scoreboard, merging neighbours. */
static void
add_range(struct tcp_tcb *tcb, tcp_seq start, tcp_seq end)
{
    if (tcb->sacked == NULL) {
        tcb->sacked = g_array_new(FALSE, FALSE, sizeof(struct tcp_sack_block));
    }
    GArray *a = tcb->sacked;
    guint i = 0;
    while (i < a->len && seq_lt(range_at(a, i)->end, start)) {
        i++;
    }
    /* Absorb every range that touches [start, end). */
    while (i < a->len && seq_leq(range_at(a, i)->start, end)) {
        start = seq_min(start, range_at(a, i)->start);
        end = seq_max(end, range_at(a, i)->end);
        g_array_remove_index(a, i);
    }
    if (a->len < SACK_MAX_RANGES) {
        struct tcp_sack_block b = {start, end};
        g_array_insert_val(a, i, b);
    }
}

/* Drops what SND.UNA has passed. */
static void
trim_below_una(struct tcp_tcb *tcb)
{
    GArray *a = tcb->sacked;
    while (a != NULL && a->len > 0) {
        struct tcp_sack_block *b = range_at(a, 0);
        if (seq_gt(b->end, tcb->snd_una)) {
            if (seq_lt(b->start, tcb->snd_una)) {
                b->start = tcb->snd_una;
            }
            break;
        }
        g_array_remove_index(a, 0);
    }
}

/* RFC 2018 §5: record the blocks of an arriving ACK. Blocks outside (SND.UNA, SND.MAX]
 * are ignored (RFC 2883 D-SACKs below SND.UNA among them). Returns the bytes newly
 * SACKed. */
uint32_t
tcp_sack_update(struct tcp_tcb *tcb, const struct tcp_seg *seg)
{
    uint32_t before = tcp_sack_bytes(tcb);
    trim_below_una(tcb);
    if (!tcb->sack_ok || !tcp_opts_has(&seg->opt, TCPOPT_SACK)) {
        return 0;
    }
    for (unsigned i = 0; i < seg->opt.nsack; i++) {
        tcp_seq s = seg->opt.sack[i].start;
        tcp_seq e = seg->opt.sack[i].end;
        if (!seq_lt(s, e) || seq_leq(e, tcb->snd_una) || seq_gt(e, tcb->snd_max)) {
            continue;
        }
        add_range(tcb, seq_max(s, tcb->snd_una), e);
    }
    uint32_t after = tcp_sack_bytes(tcb);
    return after > before ? after - before : 0;
}

/* Bytes SACKed below `seq` (before SND.UNA passes them and they are dropped). */
uint32_t
tcp_sack_bytes_below(const struct tcp_tcb *tcb, tcp_seq seq)
{
    uint32_t n = 0;
    for (guint i = 0; tcb->sacked != NULL && i < tcb->sacked->len; i++) {
        const struct tcp_sack_block *b = &g_array_index(tcb->sacked, struct tcp_sack_block, i);
        if (!seq_lt(b->start, seq)) {
            break;
        }
        n += seq_diff(seq_min(b->end, seq), b->start);
    }
    return n;
}

uint32_t
tcp_sack_bytes(const struct tcp_tcb *tcb)
{
    uint32_t n = 0;
    for (guint i = 0; tcb->sacked != NULL && i < tcb->sacked->len; i++) {
        const struct tcp_sack_block *b = &g_array_index(tcb->sacked, struct tcp_sack_block, i);
        n += seq_diff(b->end, b->start);
    }
    return n;
}

bool
tcp_sack_is_sacked(const struct tcp_tcb *tcb, tcp_seq seq)
{
    for (guint i = 0; tcb->sacked != NULL && i < tcb->sacked->len; i++) {
        const struct tcp_sack_block *b = &g_array_index(tcb->sacked, struct tcp_sack_block, i);
        if (seq_in(seq, b->start, b->end)) {
            return true;
        }
    }
    return false;
}

/* RFC 6675 §4 IsLost(SeqNum): DupThresh discontiguous SACKed segments above it, or more
 * than (DupThresh - 1) * SMSS bytes SACKed above it. Segments count in SMSS units.
 * DupThresh is tcp_dupthresh(): Linux's reordering degree (tcp_mark_head_lost()). */
bool
tcp_sack_is_lost(const struct tcp_tcb *tcb, tcp_seq seq)
{
    uint32_t above = 0;
    for (guint i = 0; tcb->sacked != NULL && i < tcb->sacked->len; i++) {
        const struct tcp_sack_block *b = &g_array_index(tcb->sacked, struct tcp_sack_block, i);
        if (seq_gt(b->end, seq)) {
            tcp_seq s = seq_max(b->start, seq_add(seq, 1));
            above += seq_diff(b->end, s);
        }
    }
    return above > (tcp_dupthresh(tcb) - 1) * (uint32_t)tcb->mss;
}

/* The first SACKed range at or above `seq`, or NULL. */
static const struct tcp_sack_block *
range_from(const struct tcp_tcb *tcb, tcp_seq seq)
{
    for (guint i = 0; tcb->sacked != NULL && i < tcb->sacked->len; i++) {
        const struct tcp_sack_block *b = &g_array_index(tcb->sacked, struct tcp_sack_block, i);
        if (seq_gt(b->end, seq)) {
            return b;
        }
    }
    return NULL;
}

/* `seq` moved past any SACKed range that holds it: nothing to resend there. */
tcp_seq
tcp_sack_skip(const struct tcp_tcb *tcb, tcp_seq seq)
{
    const struct tcp_sack_block *b = range_from(tcb, seq);
    if (b != NULL && seq_leq(b->start, seq)) {
        return b->end;
    }
    return seq;
}

/* RFC 6675 §4 SetPipe: the octets believed in flight, counted segment by segment over
 * the unSACKed ranges of [SND.UNA, HighData): each counts once if not lost, and once
 * more if retransmitted (at or below HighRxt). */
uint32_t
tcp_sack_pipe(const struct tcp_tcb *tcb)
{
    if (tcp_rack_on(tcb)) {
        return tcp_rack_pipe(tcb); /* RACK marks what is lost (tcp_rack.c) */
    }
    uint32_t pipe = 0;
    tcp_seq s = tcb->snd_una;
    while (seq_lt(s, tcb->snd_max)) {
        const struct tcp_sack_block *b = range_from(tcb, s);
        if (b != NULL && seq_leq(b->start, s)) {
            s = b->end;
            continue;
        }
        tcp_seq hole_end = b != NULL ? b->start : tcb->snd_max;
        uint32_t len = seq_diff(hole_end, s);
        uint32_t seg = len < tcb->mss ? len : tcb->mss;
        if (!tcp_sack_is_lost(tcb, s)) {
            pipe += seg;
        }
        if (tcb->high_rxt_valid && seq_lt(s, tcb->high_rxt)) {
            pipe += seg;
        }
        s = seq_add(s, seg);
    }
    return pipe;
}

/*
 * RFC 6675 §4 NextSeg(), rules (1) and (3); rule (2), new data, is the caller's. Returns
 * true and the start of the segment to retransmit; `lost` says which rule found it.
 */
bool
tcp_sack_next_hole(const struct tcp_tcb *tcb, tcp_seq *out, bool *lost)
{
    if (tcp_rack_on(tcb)) {
        *lost = true; /* Linux resends only what RACK marked lost */
        return tcp_rack_next_lost(tcb, out);
    }
    tcp_seq s = tcb->high_rxt_valid && seq_gt(tcb->high_rxt, tcb->snd_una) ? tcb->high_rxt
                                                                           : tcb->snd_una;
    tcp_seq first_unsacked = 0;
    bool have_first = false;
    while (seq_lt(s, tcb->snd_max)) {
        const struct tcp_sack_block *b = range_from(tcb, s);
        if (b != NULL && seq_leq(b->start, s)) {
            s = b->end;
            continue;
        }
        /* (1.a, 1.b) above HighRxt, not SACKed; (1.c) IsLost. */
        if (tcp_sack_is_lost(tcb, s)) {
            *out = s;
            *lost = true;
            return true;
        }
        if (!have_first && b != NULL) {
            first_unsacked = s; /* rule (3) candidate: SACKed data lies above it */
            have_first = true;
        }
        tcp_seq hole_end = b != NULL ? b->start : tcb->snd_max;
        uint32_t len = seq_diff(hole_end, s);
        s = seq_add(s, len < tcb->mss ? len : tcb->mss);
    }
    if (have_first) {
        *out = first_unsacked;
        *lost = false;
        return true;
    }
    return false;
}

void
tcp_sack_clear(struct tcp_tcb *tcb)
{
    if (tcb->sacked != NULL) {
        g_array_free(tcb->sacked, TRUE);
        tcb->sacked = NULL;
    }
}
