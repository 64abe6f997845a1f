/*
 * link.c: a link direction's pipeline (see link.h).
 *
 * Entry point: link_send(). A segment is traced as sent, passes the scripted faults,
 * the up/down state and the queue, waits for the transmitter (rate), may be lost on the
 * wire, travels for the propagation delay, and is traced as delivered when the receiving
 * host gets it. One event per stage that takes time, embedded in the segment's slot.
 */
#include "link.h"

#include <string.h>

static const char *const drop_names[LINK_DROP_N] = {
    [LINK_DROP_LOSS] = "loss",
    [LINK_DROP_QUEUE] = "queue",
    [LINK_DROP_DOWN] = "down",
    [LINK_DROP_SCRIPTED] = "scripted",
};

const char *
link_drop_name(enum link_drop why)
{
    return (unsigned)why < LINK_DROP_N ? drop_names[why] : "?";
}

void
link_params_default(struct link_params *p)
{
    *p = (struct link_params){.delay = 0, .rate_bps = 0, .queue_pkts = 1000, .loss_ppb = 0};
}

static void pkt_fired(struct ev *ev);

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
    link_params_default(&d->p);
    g_autofree char *purpose = g_strdup_printf("link %s->%s loss", from_name, to_name);
    rng_init(&d->loss_rng, seed, purpose);
    d->rules = g_array_new(FALSE, FALSE, sizeof(struct link_rule));
    d->all_pkts = g_ptr_array_new();
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
    }
    g_ptr_array_set_free_func(d->all_pkts, pkt_free);
    g_ptr_array_free(d->all_pkts, TRUE);
    g_array_free(d->rules, TRUE);
    d->all_pkts = NULL;
}

static struct link_pkt *
pkt_get(struct link_dir *d)
{
    struct link_pkt *pkt = d->free_list;
    if (pkt != NULL) {
        d->free_list = pkt->next_free;
        return pkt;
    }
    pkt = g_new0(struct link_pkt, 1);
    pkt->dir = d;
    ev_init(&pkt->ev, pkt_fired, "link");
    g_ptr_array_add(d->all_pkts, pkt);
    return pkt;
}

static void
pkt_put(struct link_dir *d, struct link_pkt *pkt)
{
    pkt->next_free = d->free_list;
    d->free_list = pkt;
}

static void
trace_seg(struct link_dir *d, enum trace_kind kind, const struct tcp_seg *seg, const char *why)
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
    };
    trace_emit(d->trace, &ev);
}

static void
drop(struct link_dir *d, const struct tcp_seg *seg, enum link_drop why)
{
    d->stats.dropped[why]++;
    trace_seg(d, TRACE_SEG_DROPPED, seg, link_drop_name(why));
}

/* Copies the segment into a slot; payload bytes, when the segment carries them, are
 * copied into the slot's own buffer (kept for reuse). */
static struct link_pkt *
pkt_load(struct link_dir *d, const struct tcp_seg *seg)
{
    struct link_pkt *pkt = pkt_get(d);
    pkt->seg = *seg;
    pkt->on_wire = false;
    pkt->extra = 0;
    if (seg->data != NULL && seg->len > 0) {
        if (pkt->buf_cap < seg->len) {
            pkt->buf = g_realloc(pkt->buf, seg->len);
            pkt->buf_cap = seg->len;
        }
        memcpy(pkt->buf, seg->data, seg->len);
        pkt->seg.data = pkt->buf;
    }
    return pkt;
}

/* After serialization: the segment is on the wire, where it may be lost. */
static void
on_wire(struct link_dir *d, struct link_pkt *pkt)
{
    pkt->on_wire = true;
    if (rng_chance(&d->loss_rng, d->p.loss_ppb)) {
        drop(d, &pkt->seg, LINK_DROP_LOSS);
        pkt_put(d, pkt);
        return;
    }
    ev_schedule(d->q, &pkt->ev, d->q->now + d->p.delay + pkt->extra);
}

static void
pkt_fired(struct ev *ev)
{
    struct link_pkt *pkt = container_of(ev, struct link_pkt, ev);
    struct link_dir *d = pkt->dir;
    if (!pkt->on_wire) {
        d->queued--;
        on_wire(d, pkt);
        return;
    }
    d->stats.delivered++;
    trace_seg(d, TRACE_SEG_DELIVERED, &pkt->seg, NULL);
    /* The slot goes back to the free list first: delivery may send more segments on
     * this very link, and the receiving host copies what it keeps. */
    pkt_put(d, pkt);
    d->deliver(d->to_host, &pkt->seg);
}

static void
enqueue(struct link_dir *d, const struct tcp_seg *seg, sim_time extra)
{
    if (d->p.queue_pkts && d->queued >= d->p.queue_pkts) {
        drop(d, seg, LINK_DROP_QUEUE);
        return;
    }
    struct link_pkt *pkt = pkt_load(d, seg);
    pkt->extra = extra;
    if (d->p.rate_bps == 0) {
        on_wire(d, pkt);
        return;
    }
    sim_time start = d->busy_until > d->q->now ? d->busy_until : d->q->now;
    d->busy_until = start + sim_time_tx(tcp_seg_wire_len(seg), d->p.rate_bps);
    d->queued++;
    ev_schedule(d->q, &pkt->ev, d->busy_until);
}

static void
log_sent(struct link_dir *d, const struct tcp_seg *seg)
{
    d->sent_by_kind[(seg->flags & 0xFF) | (seg->len ? 0x100u : 0u)]++;
}

void
link_send(struct link_dir *d, const struct tcp_seg *seg)
{
    d->stats.sent++;
    log_sent(d, seg);
    trace_seg(d, TRACE_SEG_SENT, seg, NULL);
    struct link_rule *r = d->rules->len ? link_script_match(d, seg) : NULL;
    if (r != NULL && r->kind == LINK_RULE_DROP) {
        drop(d, seg, LINK_DROP_SCRIPTED);
        return;
    }
    if (d->down) {
        drop(d, seg, LINK_DROP_DOWN);
        return;
    }
    sim_time extra = r != NULL && r->kind == LINK_RULE_DELAY ? r->extra : 0;
    enqueue(d, seg, extra);
    if (r != NULL && r->kind == LINK_RULE_DUPLICATE) {
        enqueue(d, seg, 0);
    }
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
        n += link_filter_matches(f, &probe) ? d->sent_by_kind[kind] : 0;
    }
    return n;
}
