/*
 * isn_table.c: ISNs by direction (see isn_table.h).
 *
 * Entry points: isn_table_observe(), isn_table_rel().
 */
#include "isn_table.h"

struct flow_key {
    uint32_t saddr;
    uint32_t daddr;
    uint16_t sport;
    uint16_t dport;
};

struct isn_table {
    GHashTable *isn; /* struct flow_key * -> tcp_seq *, lookup only */
};

static guint
flow_hash(gconstpointer p)
{
    const struct flow_key *k = p;
    uint32_t h = k->saddr * 2654435761u;
    h ^= k->daddr + 0x9E3779B9u + (h << 6) + (h >> 2);
    h ^= ((uint32_t)k->sport << 16 | k->dport) + 0x9E3779B9u + (h << 6) + (h >> 2);
    return h;
}

static gboolean
flow_equal(gconstpointer a, gconstpointer b)
{
    const struct flow_key *x = a;
    const struct flow_key *y = b;
    return x->saddr == y->saddr && x->daddr == y->daddr && x->sport == y->sport &&
           x->dport == y->dport;
}

struct isn_table *
isn_table_new(void)
{
    struct isn_table *t = g_new0(struct isn_table, 1);
    t->isn = g_hash_table_new_full(flow_hash, flow_equal, g_free, g_free);
    return t;
}

void
isn_table_free(struct isn_table *t)
{
    if (t == NULL) {
        return;
    }
    g_hash_table_destroy(t->isn);
    g_free(t);
}

void
isn_table_observe(struct isn_table *t, const struct trace_event *ev)
{
    if (ev->kind != TRACE_SEG_SENT || !seg_has(ev->seg, TCP_SYN) ||
        ev->seg->tx_cause == TCP_TX_FORGED) { /* a forged SYN is nobody's ISN */
        return;
    }
    const struct tcp_seg *seg = ev->seg;
    struct flow_key k = {seg->saddr, seg->daddr, seg->sport, seg->dport};
    tcp_seq *v = g_hash_table_lookup(t->isn, &k);
    if (v == NULL) {
        v = g_new(tcp_seq, 1);
        g_hash_table_insert(t->isn, g_memdup2(&k, sizeof k), v);
    }
    *v = seg->seq;
}

static bool
lookup(const struct isn_table *t, uint32_t sa, uint16_t sp, uint32_t da, uint16_t dp, tcp_seq *out)
{
    struct flow_key k = {sa, da, sp, dp};
    const tcp_seq *v = g_hash_table_lookup(t->isn, &k);
    if (v == NULL) {
        return false;
    }
    *out = *v;
    return true;
}

void
isn_table_rel(const struct isn_table *t, const struct tcp_seg *seg, struct fmt_rel *rel)
{
    *rel = (struct fmt_rel){0};
    rel->seq_known = lookup(t, seg->saddr, seg->sport, seg->daddr, seg->dport, &rel->seq_base);
    rel->ack_known = lookup(t, seg->daddr, seg->dport, seg->saddr, seg->sport, &rel->ack_base);
}
