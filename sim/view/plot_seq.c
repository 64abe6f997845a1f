/* SPDX-License-Identifier: MIT */
/*
 * plot_seq.c: sequence numbers against time, as tcptrace draws them (--plot-seq).
 *
 * Entry point: plot_seq_add(). One direction of one connection: the one that sent the
 * most data. Each data segment is a vertical bar from its first to its last sequence
 * number at the time it was sent (retransmissions red, lost ones crossed); the ACK line
 * steps up as acknowledgments reach the sender, and the receive-window line above it
 * is ack + (window << window scale), the most the sender may have sent. SACK blocks are
 * short purple bars at the time of the ACK that carried them. Numbers are relative to
 * the direction's ISN.
 */
#include <string.h>

#include "../trace/fmt_tcpdump.h"
#include "../trace/outfile.h"
#include "plot.h"
#include "plot_seq.h"
#include "view.h"

struct plot_seq {
    struct outfile *out;
    struct tcpsim_views v;
    struct seq_data d;
    GHashTable *ids; /* "saddr:sport>daddr:dport" -> flow index + 1: lookup only */
};

static guint
flow_id(struct plot_seq *p, const struct trace_event *ev, bool reverse)
{
    const struct tcp_seg *s = ev->seg;
    struct tcpsim_addr sa = reverse ? s->daddr : s->saddr;
    struct tcpsim_addr da = reverse ? s->saddr : s->daddr;
    uint16_t sp = reverse ? s->dport : s->sport;
    uint16_t dp = reverse ? s->sport : s->dport;
    char key[2 * TCPSIM_ADDR_STRLEN + 16];
    char sa_s[TCPSIM_ADDR_STRLEN];
    char da_s[TCPSIM_ADDR_STRLEN];
    ip_format(&sa, sa_s, sizeof sa_s);
    ip_format(&da, da_s, sizeof da_s);
    g_snprintf(key, sizeof key, "%s:%u>%s:%u", sa_s, (unsigned)sp, da_s, (unsigned)dp);
    guint id = GPOINTER_TO_UINT(g_hash_table_lookup(p->ids, key));
    if (id != 0) {
        return id - 1;
    }
    struct flow f = {.saddr = sa, .daddr = da, .sport = sp, .dport = dp};
    f.from = g_strdup(reverse ? ev->peer : ev->host);
    f.to = g_strdup(reverse ? ev->host : ev->peer);
    g_array_append_val(p->d.flows, f);
    g_hash_table_insert(p->ids, g_strdup(key), GUINT_TO_POINTER(p->d.flows->len));
    return p->d.flows->len - 1;
}

static struct flow *
flow_at(struct plot_seq *p, guint id)
{
    return &g_array_index(p->d.flows, struct flow, id);
}

/* A sequence number of the flow, relative to its base and unwrapped past 2^32. */
static int64_t
rel(struct flow *f, tcp_seq seq)
{
    if (!f->base_known) {
        f->base_known = true;
        f->base = seq;
    }
    uint32_t r = (uint32_t)(seq - f->base);
    int64_t lap = f->last - (int64_t)(uint32_t)f->last; /* the last value's multiple of 2^32 */
    int64_t v = lap + r;
    if (v - f->last > (INT64_C(1) << 31)) {
        v -= INT64_C(1) << 32;
    } else if (f->last - v > (INT64_C(1) << 31)) {
        v += INT64_C(1) << 32;
    }
    f->last = v;
    return v;
}

static void
add(struct plot_seq *p, sim_time at, guint flow, enum pt_kind k, int64_t lo, int64_t hi)
{
    if (at < p->v.from || (p->v.has_to && at > p->v.to)) {
        return;
    }
    struct pt pt = {.at = at, .flow = flow, .kind = (uint8_t)k, .lo = lo, .hi = hi};
    g_array_append_val(p->d.pts, pt);
}

static void
on_sent(struct plot_seq *p, const struct trace_event *ev)
{
    const struct tcp_seg *s = ev->seg;
    struct flow *f = flow_at(p, flow_id(p, ev, false));
    if (seg_has(s, TCP_SYN) && s->tx_cause != TCP_TX_FORGED) {
        f->base_known = true;
        f->base = s->seq;
        f->last = 0;
        f->syn_wscale = tcp_opts_has(&s->opt, TCPOPT_WSCALE);
        f->wscale = s->opt.wscale;
    }
    if (s->len == 0) {
        return;
    }
    int64_t lo = rel(f, s->seq);
    f->bytes += s->len;
    bool again = s->tx_cause != TCP_TX_NEW;
    add(p, ev->at, flow_id(p, ev, false), again ? PT_REXMIT : PT_DATA, lo, lo + s->len);
}

static void
on_dropped(struct plot_seq *p, const struct trace_event *ev)
{
    const struct tcp_seg *s = ev->seg;
    if (s->len == 0) {
        return;
    }
    guint id = flow_id(p, ev, false);
    int64_t lo = rel(flow_at(p, id), s->seq);
    add(p, ev->at, id, PT_DROP, lo, lo + s->len);
}

/* An acknowledgment reaching the data sender: the ACK and window lines, SACK blocks. */
static void
on_delivered(struct plot_seq *p, const struct trace_event *ev)
{
    const struct tcp_seg *s = ev->seg;
    if (!seg_has(s, TCP_ACK)) {
        return;
    }
    guint data = flow_id(p, ev, true);
    struct flow *acker = flow_at(p, flow_id(p, ev, false));
    struct flow *f = flow_at(p, data);
    int shift = 0;
    if (!seg_has(s, TCP_SYN) && acker->syn_wscale && f->syn_wscale) {
        shift = acker->wscale; /* RFC 7323 §2.3: the window it sends, scaled by its shift */
    }
    int64_t ack = rel(f, s->ack);
    add(p, ev->at, data, PT_ACK, ack, ack + ((int64_t)s->win << shift));
    for (unsigned b = 0; b < s->opt.nsack; b++) {
        int64_t lo = rel(f, s->opt.sack[b].start);
        add(p, ev->at, data, PT_SACK, lo, rel(f, s->opt.sack[b].end));
    }
}

static void
seq_event(void *self, const struct trace_event *ev)
{
    struct plot_seq *p = self;
    if (ev->seg == NULL || ev->peer == NULL) {
        return;
    }
    switch (ev->kind) {
    case TRACE_SEG_SENT:
        on_sent(p, ev);
        break;
    case TRACE_SEG_DROPPED:
        on_dropped(p, ev);
        break;
    case TRACE_SEG_DELIVERED:
        on_delivered(p, ev);
        break;
    case TRACE_SEG_DISCARD:
    case TRACE_STATE:
    case TRACE_TIMER:
    case TRACE_APP:
    case TRACE_EXPECT:
    case TRACE_NOTE:
    case TRACE_CC:
    case TRACE_SS:
    case TRACE_NKINDS:
        break;
    }
}

static void
seq_begin(void *self, const struct trace_header *hdr)
{
    struct plot_seq *p = self;
    p->d.scenario = g_strdup(hdr->scenario);
    p->d.seed = hdr->seed;
}

/* The direction that sent the most data; the first such one on a tie. */
static int
busiest(const struct plot_seq *p)
{
    int best = -1;
    for (guint i = 0; i < p->d.flows->len; i++) {
        const struct flow *f = &g_array_index(p->d.flows, struct flow, i);
        if (f->bytes > 0 &&
            (best < 0 || f->bytes > g_array_index(p->d.flows, struct flow, best).bytes)) {
            best = (int)i;
        }
    }
    return best;
}

static gboolean
seq_end(void *self, GError **error)
{
    struct plot_seq *p = self;
    GString *s = g_string_new(NULL);
    p->d.w = view_words_for(p->v.lang);
    plot_seq_draw(s, &p->d, busiest(p));
    struct outfile *of = p->out;
    p->out = NULL;
    outfile_write(of, s->str, s->len);
    g_string_free(s, TRUE);
    return outfile_commit(of, error);
}

static void
seq_free(void *self)
{
    struct plot_seq *p = self;
    outfile_discard(p->out);
    for (guint i = 0; i < p->d.flows->len; i++) {
        g_free(flow_at(p, i)->from);
        g_free(flow_at(p, i)->to);
    }
    g_array_free(p->d.flows, TRUE);
    g_array_free(p->d.pts, TRUE);
    g_hash_table_destroy(p->ids);
    g_free(p->d.scenario);
    g_free(p);
}

static const struct trace_sink_ops seq_ops = {
    .name = "plot-seq",
    .begin = seq_begin,
    .event = seq_event,
    .end = seq_end,
    .free = seq_free,
};

gboolean
plot_seq_add(struct trace *t, const struct tcpsim_views *v, GError **error)
{
    struct outfile *of = outfile_open(&t->outputs, v->plot_seq, error);
    if (of == NULL) {
        return FALSE;
    }
    struct plot_seq *p = g_new0(struct plot_seq, 1);
    p->out = of;
    p->v = *v;
    p->d.flows = g_array_new(FALSE, TRUE, sizeof(struct flow));
    p->d.pts = g_array_new(FALSE, TRUE, sizeof(struct pt));
    p->ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    uint32_t mask = TRACE_MASK(TRACE_SEG_SENT) | TRACE_MASK(TRACE_SEG_DELIVERED) |
                    TRACE_MASK(TRACE_SEG_DROPPED);
    trace_add_sink(t, &seq_ops, p, mask);
    return TRUE;
}
