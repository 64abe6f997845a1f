/* SPDX-License-Identifier: MIT */
/*
 * relseq.c: sequence numbers put on a common footing, whatever the input printed.
 *
 * Entry point: dtrace_relativise(), run once after parsing.
 *
 *  - A tcpsim trace printed relative numbers (relative to the latest SYN a TCP sent in
 *    that direction; a forged SYN names no ISN): nothing to do. One printed with
 *    --absolute is made relative the same way, so the two compare alike.
 *  - tcpdump text is made absolute. tcpdump -S prints absolute numbers. Without -S it
 *    keeps one entry per conversation: a segment with ACK set that finds no entry, or
 *    that has SYN set, (re)starts the entry with its own numbers as the bases (its
 *    sequence number for its direction, its acknowledgment minus one for the other) and
 *    is printed absolute; later segments with ACK set are printed minus the bases (SACK
 *    blocks minus the other direction's); segments without ACK are printed absolute.
 *    Which of the two the text is, is not written in it: both readings are tried, and
 *    the one whose numbers move least wins (from a direction's last sequence number,
 *    and from an acknowledgment to what the other side last sent): the wrong reading
 *    jumps by an ISN.
 *
 * The diff then counts segment numbers from the SYN each capture saw (view.c).
 */
#include <string.h>

#include "dtrace.h"

/* --- tcpsim --absolute ----------------------------------------------------------- */

struct dir_key {
    struct tcpsim_addr saddr;
    struct tcpsim_addr daddr;
    uint16_t sport;
    uint16_t dport;
};

static guint
dir_hash(gconstpointer p)
{
    const struct dir_key *k = p;
    guint h = (guint)k->sport << 16 | k->dport;
    for (int i = 0; i < 16; i++) {
        h = h * 31u + k->saddr.b[i] * 2654435761u + k->daddr.b[i];
    }
    return h;
}

static gboolean
dir_equal(gconstpointer a, gconstpointer b)
{
    return memcmp(a, b, sizeof(struct dir_key)) == 0;
}

static struct dir_key
key_of(const struct dseg *s, bool reverse)
{
    struct dir_key k = {0};
    k.saddr = reverse ? s->daddr : s->saddr;
    k.daddr = reverse ? s->saddr : s->daddr;
    k.sport = reverse ? s->dport : s->sport;
    k.dport = reverse ? s->sport : s->dport;
    return k;
}

/* Per-direction numbers (ISN, base, last position: up to four), zeroed on creation. */
static uint32_t *
slot(GHashTable *h, const struct dseg *s, bool reverse, bool create)
{
    struct dir_key k = key_of(s, reverse);
    uint32_t *v = g_hash_table_lookup(h, &k);
    if (v == NULL && create) {
        v = g_new0(uint32_t, 4);
        g_hash_table_insert(h, g_memdup2(&k, sizeof k), v);
    }
    return v;
}

static GHashTable *
dir_table(void)
{
    return g_hash_table_new_full(dir_hash, dir_equal, g_free, g_free);
}

static void
tcpsim_absolute(struct dtrace *t)
{
    GHashTable *isn = dir_table();
    for (guint i = 0; i < t->ev->len; i++) {
        struct dev *e = &g_array_index(t->ev, struct dev, i);
        if (!dev_is_segment(e->kind)) {
            continue;
        }
        struct dseg *s = &e->seg;
        bool forged = s->annotation != NULL && strcmp(s->annotation, "forged") == 0;
        if ((s->flags & DF_SYN) && e->kind == DEV_SENT && !forged) {
            *slot(isn, s, false, true) = s->seq;
        }
        const uint32_t *fwd = slot(isn, s, false, false);
        const uint32_t *rev = slot(isn, s, true, false);
        if (fwd != NULL) {
            s->seq -= *fwd;
            s->end -= *fwd;
        }
        if (rev != NULL && s->has_ack) {
            s->ack -= *rev;
            for (unsigned b = 0; b < s->nsack; b++) {
                s->sack[b][0] -= *rev;
                s->sack[b][1] -= *rev;
            }
        }
    }
    g_hash_table_destroy(isn);
}

/* --- tcpdump ---------------------------------------------------------------------- */

static uint32_t
distance(uint32_t a, uint32_t b)
{
    int32_t d = (int32_t)(a - b);
    return d < 0 ? (uint32_t)0 - (uint32_t)d : (uint32_t)d;
}

/* tcpdump's conversation table: the bases per direction, [0] valid, [1] the base. */
static void
add_bases(struct dseg *x, GHashTable *conv)
{
    uint32_t *fwd = slot(conv, x, false, false);
    uint32_t *rev = slot(conv, x, true, false);
    bool start = fwd == NULL || (x->flags & DF_SYN);
    if (start) {
        fwd = slot(conv, x, false, true);
        rev = slot(conv, x, true, true);
        fwd[0] = x->has_seq; /* a pure ACK does not show the number tcpdump took */
        fwd[1] = x->seq;
        rev[0] = 1;
        rev[1] = x->ack - 1;
    } else {
        if (fwd[0]) {
            x->seq += fwd[1];
            x->end += fwd[1];
        }
        x->ack += rev[1];
    }
    for (unsigned b = 0; b < x->nsack; b++) {
        x->sack[b][0] += rev[1];
        x->sack[b][1] += rev[1];
    }
}

/* Converts under one reading; returns how far the numbers jump in total. */
static uint64_t
tcpdump_absolute(struct dtrace *t, bool relative, bool apply)
{
    GHashTable *conv = dir_table();
    GHashTable *last = dir_table();
    uint64_t jumps = 0;
    for (guint i = 0; i < t->ev->len; i++) {
        struct dev *e = &g_array_index(t->ev, struct dev, i);
        struct dseg x = e->seg;
        if (relative && (x.flags & DF_ACK)) {
            add_bases(&x, conv);
        }
        uint32_t *prev = slot(last, &x, false, true); /* end, have end, ack, have ack */
        if (x.has_seq) {
            jumps += prev[1] ? distance(x.seq, prev[0]) : 0;
            prev[0] = x.end;
            prev[1] = 1;
        }
        if (x.has_ack) { /* an acknowledgment lies near what the other side sent */
            const uint32_t *other = slot(last, &x, true, false);
            if (other != NULL && other[1]) {
                jumps += distance(x.ack, other[0]);
            } else if (prev[3]) {
                jumps += distance(x.ack, prev[2]);
            }
            prev[2] = x.ack;
            prev[3] = 1;
        }
        if (apply) {
            e->seg = x;
        }
    }
    g_hash_table_destroy(conv);
    g_hash_table_destroy(last);
    return jumps;
}

void
dtrace_relativise(struct dtrace *t)
{
    if (t->format == DTRACE_TCPSIM) {
        if (t->absolute) {
            tcpsim_absolute(t);
        }
        return;
    }
    bool relative = tcpdump_absolute(t, true, false) <= tcpdump_absolute(t, false, false);
    tcpdump_absolute(t, relative, true);
}
