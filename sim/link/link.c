/* SPDX-License-Identifier: MIT */
/*
 * link.c: a link direction's pipeline (see link.h).
 *
 * Entry point: link_send(). A segment is traced as sent, passes the scripted faults,
 * the up/down state, the MTU and the queue, waits for the transmitter (rate), may be
 * lost, corrupted or duplicated on the wire, travels for the propagation delay (plus
 * jitter or reordering), and is traced as delivered when the receiving host gets it.
 * Each stage that takes time ends on an event: the transmitter's and the propagation's
 * in-order packets share one event per stage (struct link_fifo), and a packet that
 * would arrive before one already on its way (jitter, reordering, a shorter delay set
 * meanwhile) gets its own. The order of events is exactly what one event per packet
 * would give: each packet reserves its place in the tie-break order when it enters.
 */
#include "link.h"

#include <string.h>

static const char *const drop_names[LINK_DROP_N] = {
    [LINK_DROP_LOSS] = "loss",     [LINK_DROP_QUEUE] = "queue",
    [LINK_DROP_RED] = "red",       [LINK_DROP_DOWN] = "down",
    [LINK_DROP_SCRIPTED] = "scripted", [LINK_DROP_MTU] = "mtu",
};

const char *
link_drop_name(enum link_drop why)
{
    return (unsigned)why < LINK_DROP_N ? drop_names[why] : "?";
}

void
link_params_default(struct link_params *p)
{
    *p = (struct link_params){.queue_pkts = 1000};
}

static void pkt_fired(struct ev *ev);
static void tx_fired(struct ev *ev);
static void flight_fired(struct ev *ev);

/* Queues `pkt` to end its stage at `at`. FALSE when it would overtake the FIFO's last
 * packet: the caller gives it an event of its own. */
static bool
fifo_push(struct link_dir *d, struct link_fifo *f, struct link_pkt *pkt, sim_time at)
{
    if (f->tail != NULL && at < f->tail->due) {
        return false;
    }
    pkt->due = at;
    pkt->seq = ev_reserve_seq(d->q);
    pkt->next = NULL;
    if (f->tail != NULL) {
        f->tail->next = pkt;
    } else {
        f->head = pkt;
        ev_schedule_seq(d->q, &f->ev, at, pkt->seq);
    }
    f->tail = pkt;
    return true;
}

static struct link_pkt *
fifo_pop(struct link_dir *d, struct link_fifo *f)
{
    struct link_pkt *pkt = f->head;
    f->head = pkt->next;
    if (f->head == NULL) {
        f->tail = NULL;
    } else {
        ev_schedule_seq(d->q, &f->ev, f->head->due, f->head->seq);
    }
    return pkt;
}

static void
seed_stream(struct rng *r, uint64_t seed, const char *from, const char *to, const char *what)
{
    /* "link FROM->TO WHAT", built without printf: a world seeds twelve of these, and
     * tcpsim explore builds a world per transition. */
    char buf[256];
    size_t lf = strlen(from);
    size_t lt = strlen(to);
    size_t lw = strlen(what);
    if (lf + lt + lw + 9 > sizeof buf) {
        g_autofree char *purpose = g_strdup_printf("link %s->%s %s", from, to, what);
        rng_init(r, seed, purpose);
        return;
    }
    char *p = buf;
    memcpy(p, "link ", 5);
    p += 5;
    memcpy(p, from, lf);
    p += lf;
    memcpy(p, "->", 2);
    p += 2;
    memcpy(p, to, lt);
    p += lt;
    *p++ = ' ';
    memcpy(p, what, lw + 1);
    rng_init(r, seed, buf);
}

void
link_dir_init(struct link_dir *d, struct ev_queue *q, struct trace *trace,
              const char *from_name, const char *to_name, void *to_host,
              link_deliver_fn deliver, uint64_t seed)
{
    *d = (struct link_dir){0};
    d->q = q;
    d->trace = trace;
    d->from_name = from_name;
    d->to_name = to_name;
    d->to_host = to_host;
    d->deliver = deliver;
    d->red_count = -1;
    link_params_default(&d->p);
    seed_stream(&d->rng.loss, seed, from_name, to_name, "loss");
    seed_stream(&d->rng.red, seed, from_name, to_name, "red");
    seed_stream(&d->rng.dup, seed, from_name, to_name, "duplicate");
    seed_stream(&d->rng.reorder, seed, from_name, to_name, "reorder");
    seed_stream(&d->rng.jitter, seed, from_name, to_name, "jitter");
    seed_stream(&d->rng.corrupt, seed, from_name, to_name, "corrupt");
    d->rules = g_array_new(FALSE, FALSE, sizeof(struct link_rule));
    d->all_pkts = g_ptr_array_new();
    ev_init(&d->tx.ev, tx_fired);
    ev_init(&d->flight.ev, flight_fired);
}

static void
pkt_free(gpointer p)
{
    struct link_pkt *pkt = p;
    g_free(pkt->buf);
    g_free(pkt);
}

void
link_dir_destroy(struct link_dir *d)
{
    for (guint i = 0; i < d->all_pkts->len; i++) {
        struct link_pkt *pkt = g_ptr_array_index(d->all_pkts, i);
        ev_cancel(d->q, &pkt->ev);
        mem_charge(&d->q->mem, -(int64_t)(sizeof(struct link_pkt) + pkt->buf_cap));
    }
    ev_cancel(d->q, &d->tx.ev);
    ev_cancel(d->q, &d->flight.ev);
    g_ptr_array_set_free_func(d->all_pkts, pkt_free);
    g_ptr_array_free(d->all_pkts, TRUE);
    g_array_free(d->rules, TRUE);
    d->all_pkts = NULL;
}

static struct link_pkt *
pkt_get(struct link_dir *d)
{
    struct link_pkt *pkt = d->free_list;
    d->in_flight++;
    if (pkt != NULL) {
        d->free_list = pkt->next_free;
        return pkt;
    }
    pkt = g_new0(struct link_pkt, 1);
    mem_charge(&d->q->mem, (int64_t)sizeof(struct link_pkt));
    pkt->dir = d;
    ev_init(&pkt->ev, pkt_fired);
    g_ptr_array_add(d->all_pkts, pkt);
    return pkt;
}

static void
pkt_put(struct link_dir *d, struct link_pkt *pkt)
{
    pkt->next_free = d->free_list;
    d->free_list = pkt;
    d->in_flight--;
}

/* `serial` names the sending (stats.sent when it was sent), so a reader can pair a
 * delivery or a drop with it; `code` is the drop reason as a number. A delivered packet
 * that was damaged on the way names the damage (see trace.h), so a capture shows the
 * bytes the receiver got. */
static void
trace_seg_damaged(struct link_dir *d, enum trace_kind kind, const struct tcp_seg *seg,
                  uint64_t serial, int code, const char *why, const struct link_damage *dmg)
{
    if (!G_UNLIKELY(trace_wants(d->trace, kind))) {
        return;
    }
    struct trace_event ev = {
        .kind = kind,
        .at = d->q->now,
        .host = d->from_name,
        .peer = d->to_name,
        .seg = seg,
        .reason = why,
        .serial = serial,
        .why = {.code = code},
        .a = dmg != NULL ? (int64_t)dmg->at + 1 : 0,
        .b = dmg != NULL ? dmg->mask : 0,
    };
    trace_emit(d->trace, &ev);
}

static void
trace_seg(struct link_dir *d, enum trace_kind kind, const struct tcp_seg *seg, uint64_t serial,
          int code, const char *why)
{
    trace_seg_damaged(d, kind, seg, serial, code, why, NULL);
}

static void
drop(struct link_dir *d, const struct tcp_seg *seg, uint64_t serial, enum link_drop why)
{
    d->stats.dropped[why]++;
    trace_seg(d, TRACE_SEG_DROPPED, seg, serial, (int)why, link_drop_name(why));
}

/* Copies the segment into a slot; payload bytes, when the segment carries them, are
 * copied into the slot's own buffer (kept for reuse). */
static struct link_pkt *
pkt_load(struct link_dir *d, const struct tcp_seg *seg, uint32_t wire_len)
{
    struct link_pkt *pkt = pkt_get(d);
    pkt->seg = *seg;
    pkt->extra = 0;
    pkt->note = NULL;
    pkt->damaged = false;
    pkt->wire_len = wire_len;
    if (seg->data != NULL && seg->len > 0) {
        if (pkt->buf_cap < seg->len) {
            mem_charge(&d->q->mem, (int64_t)seg->len - pkt->buf_cap);
            pkt->buf = g_realloc(pkt->buf, seg->len);
            pkt->buf_cap = seg->len;
        }
        memcpy(pkt->buf, seg->data, seg->len);
        pkt->seg.data = pkt->buf;
    }
    return pkt;
}

static void
propagate(struct link_dir *d, struct link_pkt *pkt)
{
    const char *note = pkt->note;
    sim_time extra = impair_extra_delay(d, &note);
    pkt->note = note;
    /* Each term is at most 2^61 ns, so their sum with now may pass 2^63: saturated, the
     * arrival lies beyond the end of simulated time and the run says so. */
    sim_time at = sim_time_add(sim_time_add(d->q->now, d->p.delay),
                               sim_time_add(pkt->extra, extra));
    if (!fifo_push(d, &d->flight, pkt, at)) {
        ev_schedule(d->q, &pkt->ev, at);
    }
}

/* After serialization the segment is on the wire, where it may be lost, corrupted or
 * duplicated. */
static void
on_wire(struct link_dir *d, struct link_pkt *pkt)
{
    if (impair_lost(d)) {
        drop(d, &pkt->seg, pkt->serial, LINK_DROP_LOSS);
        pkt_put(d, pkt);
        return;
    }
    if (impair_corrupt(d, pkt->wire_len, &pkt->dmg)) {
        pkt->damaged = true;
        pkt->note = "corrupted";
    }
    if (impair_duplicate(d)) {
        struct link_pkt *copy = pkt_load(d, &pkt->seg, pkt->wire_len);
        copy->serial = pkt->serial;
        copy->note = "duplicate";
        propagate(d, copy);
    }
    propagate(d, pkt);
}

static void
serialized(struct link_dir *d, struct link_pkt *pkt)
{
    d->queued--;
    d->queued_bytes -= pkt->wire_len;
    on_wire(d, pkt);
}

static void deliver(struct link_dir *d, struct link_pkt *pkt);

static void
tx_fired(struct ev *ev)
{
    struct link_dir *d = container_of(ev, struct link_dir, tx.ev);
    serialized(d, fifo_pop(d, &d->tx));
}

static void
flight_fired(struct ev *ev)
{
    struct link_dir *d = container_of(ev, struct link_dir, flight.ev);
    deliver(d, fifo_pop(d, &d->flight));
}

/* A packet with an event of its own: only ever in flight (the transmitter is FIFO). */
static void
pkt_fired(struct ev *ev)
{
    struct link_pkt *pkt = container_of(ev, struct link_pkt, ev);
    deliver(pkt->dir, pkt);
}

static void
deliver(struct link_dir *d, struct link_pkt *pkt)
{
    d->stats.delivered++;
    trace_seg_damaged(d, TRACE_SEG_DELIVERED, &pkt->seg, pkt->serial, 0, pkt->note,
                      pkt->damaged ? &pkt->dmg : NULL);
    /* The slot (and the payload bytes it holds) stays ours until the host is done with
     * it; on a loopback the host may send on this very link meanwhile. */
    d->deliver(d->to_host, &pkt->seg, pkt->damaged ? &pkt->dmg : NULL);
    pkt_put(d, pkt);
}

static bool
queue_full(const struct link_dir *d, uint32_t wire_len)
{
    if (d->p.queue_pkts && d->queued >= d->p.queue_pkts) {
        return true;
    }
    return d->p.queue_bytes && d->queued_bytes + wire_len > d->p.queue_bytes;
}

static void
enqueue(struct link_dir *d, const struct tcp_seg *seg, uint32_t wire_len, sim_time extra,
        const char *note)
{
    if (d->p.red && d->p.rate_bps && impair_red_drops(d)) {
        drop(d, seg, d->stats.sent, LINK_DROP_RED);
        return;
    }
    if (queue_full(d, wire_len)) {
        drop(d, seg, d->stats.sent, LINK_DROP_QUEUE);
        return;
    }
    struct link_pkt *pkt = pkt_load(d, seg, wire_len);
    pkt->extra = extra;
    pkt->note = note;
    pkt->serial = d->stats.sent; /* enqueue() runs within link_send() */
    if (d->p.rate_bps == 0) {
        on_wire(d, pkt);
        return;
    }
    sim_time start = d->busy_until > d->q->now ? d->busy_until : d->q->now;
    d->busy_until = sim_time_add(start, sim_time_tx(wire_len, d->p.rate_bps));
    d->queued++;
    d->queued_bytes += wire_len;
    bool in_order = fifo_push(d, &d->tx, pkt, d->busy_until);
    g_assert(in_order); /* busy_until never goes back */
}

void
link_send(struct link_dir *d, const struct tcp_seg *seg)
{
    d->stats.sent++;
    d->sent_by_kind[(seg->flags & 0xFF) | (seg->len ? 0x100u : 0u)]++;
    trace_seg(d, TRACE_SEG_SENT, seg, d->stats.sent, 0, NULL);
    if (d->hold != NULL) {
        d->in_flight++;
        d->hold(d->hold_arg, d, seg, d->stats.sent);
        return;
    }
    struct link_rule *r = d->rules->len ? link_script_match(d, seg) : NULL;
    if (r != NULL && r->kind == LINK_RULE_DROP) {
        drop(d, seg, d->stats.sent, LINK_DROP_SCRIPTED);
        return;
    }
    if (d->down) {
        drop(d, seg, d->stats.sent, LINK_DROP_DOWN);
        return;
    }
    uint32_t wire_len = (uint32_t)tcp_seg_wire_len(seg);
    if (d->p.v6_as_v4 && ip_is6(&seg->saddr)) {
        wire_len -= IPV6_HDR_LEN - IPV4_HDR_LEN;
    }
    if (d->p.mtu && wire_len > d->p.mtu) {
        drop(d, seg, d->stats.sent, LINK_DROP_MTU);
        return;
    }
    bool delayed = r != NULL && r->kind == LINK_RULE_DELAY;
    bool dup = r != NULL && r->kind == LINK_RULE_DUPLICATE;
    sim_time first = delayed ? r->extra : dup ? r->first : 0;
    enqueue(d, seg, wire_len, first, delayed || first > 0 ? "delayed" : NULL);
    if (dup) {
        d->stats.duplicated++;
        enqueue(d, seg, wire_len, r->extra, "duplicate"); /* "by T": an old duplicate */
    }
}

void
link_release(struct link_dir *d, const struct tcp_seg *seg, uint64_t serial, bool copy)
{
    if (copy) {
        d->stats.duplicated++;
    } else {
        d->in_flight--;
    }
    d->stats.delivered++;
    trace_seg_damaged(d, TRACE_SEG_DELIVERED, seg, serial, 0, copy ? "duplicate" : NULL, NULL);
    d->deliver(d->to_host, seg, NULL);
}

void
link_discard(struct link_dir *d, const struct tcp_seg *seg, uint64_t serial)
{
    d->in_flight--;
    drop(d, seg, serial, LINK_DROP_SCRIPTED);
}

uint64_t
link_count_sent(const struct link_dir *d, const struct link_filter *f)
{
    if (f == NULL) {
        return d->stats.sent;
    }
    uint64_t n = 0;
    for (unsigned kind = 0; kind < G_N_ELEMENTS(d->sent_by_kind); kind++) {
        struct tcp_seg probe = {.flags = (uint16_t)(kind & 0xFF), .len = (kind & 0x100) ? 1u : 0u};
        struct link_filter flags_only = *f;
        flags_only.match_seq = false;
        n += link_filter_matches(&flags_only, &probe) ? d->sent_by_kind[kind] : 0;
    }
    return n;
}
