/* SPDX-License-Identifier: MIT */
/*
 * explore_state.c: what explore.c's world is judged and known by: the checks after
 * every step (the invariants, the stream property, --find), the state's hash that the
 * search prunes with, and the scenario lines a path stands for.
 */
#include "explore_world.h"

#include <stdio.h>
#include <string.h>

/* --- the checks ------------------------------------------------------------------- */

static char *
conn_name(const struct host *h, const struct tcp_tcb *t)
{
    return g_strdup_printf("host %s connection %s:%u>%u (%s)", h->name,
                           t->id.name ? t->id.name : "-", t->id.lport, t->id.rport,
                           tcp_state_name(t->state));
}

/* The stream property, on every pair of live connections that are each other's peer:
 * the bytes a receiver holds are the sender's, at their place (no byte duplicated,
 * reordered or invented: tcp_rcv_append() counts any other as foreign); it holds no
 * more than was written; and every byte its peer saw acknowledged is among them (no
 * byte lost that the sender believes delivered). */
static void
check_stream(struct xworld *w)
{
    struct tcpsim_sim *sim = w->sim;
    for (int h = 0; h < sim->nhosts; h++) {
        GHashTableIter it;
        gpointer k;
        gpointer v;
        g_hash_table_iter_init(&it, sim->hosts[h]->conns);
        while (g_hash_table_iter_next(&it, &k, &v)) {
            struct tcp_tcb *t = v;
            if (t->rcv.foreign > 0) {
                g_autofree char *n = conn_name(sim->hosts[h], t);
                xw_set_violation(w, g_strdup_printf("stream: %s received %" G_GUINT64_FORMAT
                                                 " byte(s) not at their place in the peer's "
                                                 "stream (duplicated, reordered or foreign)",
                                                 n, t->rcv.foreign));
                return;
            }
            for (int o = 0; o < sim->nhosts; o++) {
                if (o == h) {
                    continue;
                }
                struct tcp_tcb *p = xw_find_tcb(sim->hosts[o], t->id.raddr, t->id.rport,
                                             t->id.laddr, t->id.lport);
                if (p == NULL || p->stream_id != t->peer_stream ||
                    t->stream_id != p->peer_stream || t->peer_stream == 0) {
                    continue;
                }
                if (t->rcv.nxt > p->snd.end) {
                    g_autofree char *n = conn_name(sim->hosts[h], t);
                    xw_set_violation(w, g_strdup_printf("stream: %s received %" G_GUINT64_FORMAT
                                                     " bytes, more than the %" G_GUINT64_FORMAT
                                                     " its peer wrote",
                                                     n, t->rcv.nxt, p->snd.end));
                    return;
                }
                if (p->snd.una > t->rcv.nxt) {
                    g_autofree char *n = conn_name(sim->hosts[o], p);
                    xw_set_violation(w, g_strdup_printf("stream: %s has %" G_GUINT64_FORMAT
                                                     " bytes acknowledged but its peer "
                                                     "received only %" G_GUINT64_FORMAT,
                                                     n, p->snd.una, t->rcv.nxt));
                    return;
                }
            }
        }
    }
}

void
xw_check(struct xworld *w)
{
    if (w->violation != NULL) {
        return;
    }
    const char *host = NULL;
    char *msg = world_inv_check(w->sim, &host);
    if (msg != NULL) {
        xw_set_violation(w, g_strdup_printf("invariant broken at %.9f s on host %s: %s",
                                         (double)w->sim->q.now / SEC(1), host ? host : "?",
                                         msg));
        g_free(msg);
        return;
    }
    check_stream(w);
    for (int h = 0; w->violation == NULL && w->o->find_counter && h < w->sim->nhosts; h++) {
        uint64_t v = 0;
        if (tcpsim_host_counter(w->sim, h, w->o->find_counter, &v) && v > 0) {
            xw_set_violation(w, g_strdup_printf("found: host %s counter %s %" G_GUINT64_FORMAT,
                                                w->sim->hosts[h]->name, w->o->find_counter, v));
        }
    }
    if (w->violation == NULL && w->o->find_state >= 0) {
        for (int h = 0; h < w->sim->nhosts && w->violation == NULL; h++) {
            GHashTableIter it;
            gpointer k;
            gpointer v;
            g_hash_table_iter_init(&it, w->sim->hosts[h]->conns);
            while (g_hash_table_iter_next(&it, &k, &v)) {
                struct tcp_tcb *t = v;
                if ((int)t->state == w->o->find_state) {
                    g_autofree char *n = conn_name(w->sim->hosts[h], t);
                    xw_set_violation(w, g_strdup_printf("found: %s", n));
                    break;
                }
            }
        }
    }
}

/* --- the state's hash --------------------------------------------------------------- */

static inline uint64_t
mix(uint64_t h, uint64_t v)
{
    h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    h *= 0xff51afd7ed558ccdull;
    return h ^ (h >> 32);
}

/* A pending timer, for the hash: which connection (its place in the host's sorted
 * list), which timer, and when. */
struct xtimer {
    sim_time due;
    uint32_t who;
};

static gint
by_due(gconstpointer a, gconstpointer b)
{
    const struct xtimer *x = a;
    const struct xtimer *y = b;
    if (x->due != y->due) {
        return x->due < y->due ? -1 : 1;
    }
    return x->who < y->who ? -1 : x->who > y->who;
}

/* A sequence number relative to `base`, or a marker when it is not valid. */
static inline uint64_t
rel(bool valid, tcp_seq s, tcp_seq base)
{
    return valid ? (uint64_t)(uint32_t)(s - base) : 1ull << 40;
}

/* ... for the variables that start at 0 (not yet set): 0 is the marker, so that two
 * connections with other ISNs whose variable is not yet set hash alike. (A variable
 * set to exactly 0 merges with the unset one: a 2^-32 coincidence per variable.) */
static inline uint64_t
rel0(tcp_seq s, tcp_seq base)
{
    return rel(s != 0, s, base);
}

/* The rest of what a connection's future depends on, beyond tcb_hash()'s main
 * variables: the windows' edges, the ACK policy's state, congestion control,
 * recovery and undo, the SACK scoreboard and RACK's records (their order of
 * transmission, not their times), and the out-of-order queue's runs (their order of
 * arrival, which orders the SACK blocks sent). Sequence numbers relative to ISS (what
 * we send) or IRS (what we receive); times left out, as everywhere in the hash. */
static uint64_t
rest_hash(const struct tcp_tcb *t)
{
    tcp_seq iss = t->iss;
    tcp_seq irs = t->irs;
    uint64_t h = mix(rel0(t->snd_wl1, irs), rel0(t->snd_wl2, iss));
    h = mix(h, rel0(t->rcv_adv, irs));
    h = mix(h, ((uint64_t)t->rcv_ssthresh << 32) | t->max_snd_wnd);
    h = mix(h, (uint64_t)t->quickack | (uint64_t)t->unacked_segs << 16 |
                   (uint64_t)t->pingpong << 32 | (uint64_t)t->ack_now << 33 |
                   (uint64_t)t->sack_recovery << 34 | (uint64_t)t->snd_nospace << 35 |
                   (uint64_t)t->fin_from_queue << 36 | (uint64_t)t->synack_out << 37 |
                   (uint64_t)t->cwnd_limited << 38 | (uint64_t)t->rtt_timing << 39 |
                   (uint64_t)t->rexmit_cause << 40 | (uint64_t)t->last_oow_ack_valid << 48);
    h = mix(h, ((uint64_t)t->persist_backoff << 16) | t->synack_timeouts);
    h = mix(h, rel(t->high_rxt_valid, t->high_rxt, iss));
    h = mix(h, rel(t->recover_valid, t->recover, iss));
    h = mix(h, rel0(t->snd_sml, iss));
    h = mix(h, rel(t->rtt_timing, t->rtt_seq, iss));
    h = mix(h, rel0(t->last_ack_sent, irs));
    h = mix(h, ((uint64_t)t->cc.ssthresh << 32) | t->cc.bytes_acked);
    h = mix(h, ((uint64_t)t->max_flight << 32) | t->cwnd_used);
    h = mix(h, rel0(t->cwnd_usage_seq, iss));
    const struct tcp_undo *u = &t->undo;
    h = mix(h, ((uint64_t)u->prior_cwnd << 32) | u->prior_ssthresh);
    h = mix(h, ((uint64_t)u->prr_delivered << 32) | u->prr_out);
    h = mix(h, rel(u->valid, u->marker, iss) ^ (uint64_t)(uint32_t)u->retrans << 41);
    h = mix(h, rel0(u->high_seq, iss) ^ rel0(u->rexmit_high, iss) << 20);
    h = mix(h, (uint64_t)u->frto | (uint64_t)u->dsack_pending << 1 |
                   (uint64_t)(u->retrans_ts != 0) << 2);
    if (u->dsack_pending) {
        h = mix(h, rel(true, u->dsack.start, irs) << 32 | rel(true, u->dsack.end, irs));
    }
    if (t->sacked != NULL) {
        for (guint i = 0; i < t->sacked->len; i++) {
            const struct tcp_sack_block *b = &g_array_index(t->sacked, struct tcp_sack_block, i);
            h = mix(h, rel(true, b->start, iss) << 32 | rel(true, b->end, iss));
        }
    }
    if (t->ooo != NULL) {
        /* The runs in sequence order, each with the rank of its recency. */
        for (guint i = 0; i < t->ooo->len; i++) {
            const struct tcp_ooo *r = &g_array_index(t->ooo, struct tcp_ooo, i);
            uint64_t rank = 0;
            for (guint j = 0; j < t->ooo->len; j++) {
                rank += g_array_index(t->ooo, struct tcp_ooo, j).stamp < r->stamp;
            }
            h = mix(h, rel(true, r->seq, irs) << 32 | (uint64_t)r->len << 1 | r->fin);
            h = mix(h, rank);
        }
    }
    const struct tcp_rack *rk = t->rack;
    if (rk != NULL) {
        h = mix(h, rel0(rk->end_seq, iss) << 24 ^ rel0(rk->fack, iss));
        h = mix(h, rel(rk->tlp_out, rk->tlp_high_seq, iss) << 24 ^ rel0(rk->loss_high, iss));
        h = mix(h, (uint64_t)rk->reord_seen | (uint64_t)rk->reordering << 16 |
                       (uint64_t)rk->nsacked << 32 | (uint64_t)rk->nlost << 40 |
                       (uint64_t)rk->nretrans << 48 | (uint64_t)rk->nresent << 56);
        h = mix(h, (uint64_t)rk->have_xmit | (uint64_t)rk->advanced << 1 |
                       (uint64_t)rk->tlp_out << 2 | (uint64_t)rk->tlp_retrans << 3 |
                       (uint64_t)rk->in_loss << 4 | (uint64_t)rk->lost_total << 8);
        /* The records, each with the rank of its (re)transmission time and whether it
         * was sent after RACK.xmit_ts: RACK compares times, never their distances. */
        if (rk->q != NULL) {
            for (guint i = rk->head; i < rk->q->len; i++) {
                const struct tcp_txrec *r = &g_array_index(rk->q, struct tcp_txrec, i);
                uint64_t rank = 0;
                for (guint j = rk->head; j < rk->q->len; j++) {
                    rank += g_array_index(rk->q, struct tcp_txrec, j).xmit < r->xmit;
                }
                h = mix(h, rel(true, r->start, iss) << 24 ^ rel(true, r->end, iss));
                h = mix(h, (uint64_t)r->flags | rank << 8 |
                               (uint64_t)(rk->have_xmit && r->xmit > rk->xmit) << 40);
            }
        }
    }
    return h;
}

/* What decides the future of a connection, relative to its ISS and IRS: absolute time,
 * the RTT estimator's history and the timestamp clocks are left out, so paths that differ
 * only in when things happened meet in one state. Its pending timers go to `timers`. */
static uint64_t
tcb_hash(struct ev_queue *q, const struct tcp_tcb *t, uint32_t who, GArray *timers)
{
    uint64_t h = mix(t->state, ((uint64_t)t->id.lport << 16) | t->id.rport);
    if (t->state == TCP_LISTEN) {
        return h;
    }
    h = mix(h, t->snd_una - t->iss);
    h = mix(h, t->snd_nxt - t->iss);
    h = mix(h, t->snd_max - t->iss);
    h = mix(h, t->rcv_nxt - t->irs);
    h = mix(h, ((uint64_t)t->snd_wnd << 32) | t->rcv_wnd);
    h = mix(h, t->snd.una);
    h = mix(h, t->snd.end);
    h = mix(h, t->rcv.nxt);
    h = mix(h, t->rcv.read);
    h = mix(h, t->ooo_bytes);
    h = mix(h, ((uint64_t)t->backoff << 32) | ((uint64_t)t->retransmits << 16) | t->probes_out);
    h = mix(h, (uint64_t)t->fin_queued | (uint64_t)t->orphan << 1 | (uint64_t)t->fin_received << 2 |
                   (uint64_t)t->rd_shutdown << 3 | (uint64_t)t->in_recovery << 4 |
                   (uint64_t)t->undo.in_loss << 5 | (uint64_t)t->syn_acked << 6 |
                   (uint64_t)t->xmit_timer << 8 | (uint64_t)t->dupacks << 16);
    h = mix(h, (uint64_t)(uint32_t)t->so_error);
    h = mix(h, t->cc.cwnd);
    h = mix(h, rest_hash(t));
    sim_time dues[] = {ev_due(q, &t->timer.rto), ev_due(q, &t->timer.persist),
                       ev_due(q, &t->timer.keepalive), ev_due(q, &t->timer.delack),
                       ev_lnode_due(q, &t->timer.time_wait)};
    for (uint32_t k = 0; k < G_N_ELEMENTS(dues); k++) {
        if (dues[k] != SIM_TIME_NEVER) {
            struct xtimer x = {.due = dues[k], .who = who << 3 | k};
            g_array_append_val(timers, x);
        }
    }
    return h;
}

/* The hash abstracts time: of the pending timers only their order counts (the timer
 * choice fires the earliest; which fires next is all a path can observe), and whether
 * the earliest leaves room for a step. */
uint64_t
xw_hash(struct xworld *w)
{
    struct tcpsim_sim *sim = w->sim;
    struct ev_queue *q = &sim->q;
    uint64_t h = mix((uint64_t)w->dups_left << 32 | (uint64_t)w->drops_left, w->connected);
    GArray *timers = g_array_new(FALSE, FALSE, sizeof(struct xtimer));
    for (int i = 0; i < sim->nhosts; i++) {
        GPtrArray *a = host_all_tcbs(sim->hosts[i]);
        h = mix(h, 0x1000u + (uint64_t)i);
        for (guint j = 0; j < a->len; j++) {
            h = mix(h, tcb_hash(q, g_ptr_array_index(a, j), (uint32_t)(i << 8 | (int)j), timers));
        }
        g_ptr_array_free(a, TRUE);
    }
    g_array_sort(timers, by_due);
    for (guint i = 0; i < timers->len; i++) {
        const struct xtimer *x = &g_array_index(timers, struct xtimer, i);
        bool tie = i > 0 && g_array_index(timers, struct xtimer, i - 1).due == x->due;
        h = mix(h, (uint64_t)x->who << 1 | tie);
    }
    g_array_free(timers, TRUE);
    h = mix(h, xw_can_step(w));
    /* The segments in flight, as a set: the order they wait in is no constraint. */
    uint64_t set = 0;
    for (guint i = 0; i < w->segs->len; i++) {
        const struct xseg *x = g_ptr_array_index(w->segs, i);
        if (x->done) {
            continue;
        }
        struct tcp_tcb *snd = xw_find_tcb(sim->hosts[x->from], x->seg.saddr, x->seg.sport,
                                       x->seg.daddr, x->seg.dport);
        tcp_seq iss = snd ? snd->iss : 0;
        tcp_seq irs = snd ? snd->irs : 0;
        uint64_t s = mix((uint64_t)x->from, x->seg.flags);
        s = mix(s, x->seg.seq - iss);
        s = mix(s, (x->seg.flags & TCP_ACK) ? x->seg.ack - irs : 0);
        s = mix(s, ((uint64_t)x->seg.len << 16) | x->seg.win);
        for (int b = 0; b < x->seg.opt.nsack; b++) {
            s = mix(s, (uint64_t)(uint32_t)(x->seg.opt.sack[b].start - irs) << 32 |
                           (uint32_t)(x->seg.opt.sack[b].end - irs));
        }
        s = mix(s, x->dup);
        set += s;
    }
    h = mix(h, set);
    for (guint i = 0; i < sim->socks->len && i < XMAX_SOCKS; i++) {
        const struct tcpsim_sock *s = g_ptr_array_index(sim->socks, i);
        const struct xsock *xs = &w->xs[i];
        h = mix(h, (uint64_t)xs->sends | (uint64_t)xs->shut << 8 | (uint64_t)xs->gone << 9 |
                       (uint64_t)s->closed << 10 | (uint64_t)s->nops << 16);
        h = mix(h, s->received);
        h = mix(h, (uint64_t)(uint32_t)s->last_error);
    }
    return h;
}

/* --- the scenario a path stands for ------------------------------------------------- */

static gint
by_time(gconstpointer a, gconstpointer b)
{
    const struct xline *x = a;
    const struct xline *y = b;
    return x->at < y->at ? -1 : x->at > y->at;
}

void
xw_scenario_lines(struct xworld *w, GString *out)
{
    struct tcpsim_sim *sim = w->sim;
    sim_time rules_at = w->t0 + 1; /* after everything the prefix did at its end */
    g_autofree char *ra = xw_fmt_time(rules_at);
    g_string_append(out, "\n# tcpsim explore: the choices after the prefix, in order\n");
    g_string_append(out, w->log->str);
    g_string_append_printf(out, "# Every segment sent from now on meets one rule, in the "
                                "order it is sent on its direction.\n");
    g_string_append_printf(out, "%s link both delay 0ms\n", ra);
    for (int f = 0; f < sim->nhosts; f++) {
        for (int t = 0; t < sim->nhosts; t++) {
            for (guint i = 0; i < w->segs->len; i++) {
                const struct xseg *x = g_ptr_array_index(w->segs, i);
                if (x->from != f || x->to != t) {
                    continue;
                }
                const char *fn = sim->hosts[f]->name;
                const char *tn = sim->hosts[t]->name;
                if (x->t1 == 0) { /* dropped, or still in flight when the path ends */
                    g_string_append_printf(out, "+0 drop %s->%s next 1\n", fn, tn);
                } else if (x->t2 == 0) {
                    g_autofree char *by = xw_fmt_time(x->t1 - x->sent_at);
                    g_string_append_printf(out, "+0 delay %s->%s next 1 by %s\n", fn, tn, by);
                } else {
                    g_autofree char *by = xw_fmt_time(x->t2 - x->sent_at);
                    g_autofree char *orig = xw_fmt_time(x->t1 - x->sent_at);
                    g_string_append_printf(out, "+0 duplicate %s->%s next 1 by %s original %s\n",
                                           fn, tn, by, orig);
                }
            }
        }
    }
    g_array_sort(w->lines, by_time);
    for (guint i = 0; i < w->lines->len; i++) {
        const struct xline *l = &g_array_index(w->lines, struct xline, i);
        g_autofree char *at = xw_fmt_time(l->at);
        g_string_append_printf(out, "%s %s\n", at, l->text);
    }
}
