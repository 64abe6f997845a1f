/* SPDX-License-Identifier: MIT */
/*
 * isn_table.c: ISNs by direction (see isn_table.h). A hash table, used for lookup only.
 */
#include "isn_table.h"

struct flow_key {
    struct tcpsim_addr saddr;
    struct tcpsim_addr daddr;
    uint16_t sport;
    uint16_t dport;
};

struct isn_table {
    GHashTable *isn; /* struct flow_key * -> uint64_t * (the ISN) */
};

static guint
flow_hash(gconstpointer p)
{
    const struct flow_key *k = p;
    uint32_t h = ip_hash32(&k->saddr) * 2654435761u;
    h ^= ip_hash32(&k->daddr) + 0x9E3779B9u + (h << 6) + (h >> 2);
    h ^= ((uint32_t)k->sport << 16 | k->dport) + 0x9E3779B9u + (h << 6) + (h >> 2);
    return h;
}

static gboolean
flow_equal(gconstpointer a, gconstpointer b)
{
    const struct flow_key *x = a;
    const struct flow_key *y = b;
    return ip_eq(&x->saddr, &y->saddr) && ip_eq(&x->daddr, &y->daddr) && x->sport == y->sport &&
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
    const struct tcp_seg *seg = ev->seg;
    if (ev->kind != TRACE_SEG_SENT || !seg_has(seg, TCP_SYN) || seg->tx_cause == TCP_TX_FORGED) {
        return;
    }
    struct flow_key k = {seg->saddr, seg->daddr, seg->sport, seg->dport};
    uint64_t *v = g_hash_table_lookup(t->isn, &k);
    if (v == NULL) {
        v = g_new(uint64_t, 1);
        g_hash_table_insert(t->isn, g_memdup2(&k, sizeof k), v);
    }
    *v = (uint64_t)seg->seq;
}

bool
isn_table_lookup(const struct isn_table *t, struct tcpsim_addr saddr, uint16_t sport,
                 struct tcpsim_addr daddr, uint16_t dport, tcp_seq *isn)
{
    struct flow_key k = {saddr, daddr, sport, dport};
    const uint64_t *v = g_hash_table_lookup(t->isn, &k);
    if (v == NULL) {
        return false;
    }
    *isn = (tcp_seq)*v;
    return true;
}

struct fmt_rel
isn_table_rel(const struct isn_table *t, const struct tcp_seg *seg)
{
    struct fmt_rel rel = {0};
    rel.seq_known = isn_table_lookup(t, seg->saddr, seg->sport, seg->daddr, seg->dport,
                                     &rel.seq_base);
    rel.ack_known = isn_table_lookup(t, seg->daddr, seg->dport, seg->saddr, seg->sport,
                                     &rel.ack_base);
    return rel;
}
