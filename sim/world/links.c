/* SPDX-License-Identifier: MIT */
/*
 * links.c: the links between hosts, as the public API shows them: parameters, scripted
 * faults, forged segments, and the summary each direction gives at the end of a run.
 *
 * Entry points: tcpsim_link_set(), tcpsim_link_drop_next() and its siblings,
 * tcpsim_inject(), world_link_summaries().
 */
#include <string.h>
#include <tcpsim/units.h>

#include "world.h"

struct link_dir *
world_link(const struct tcpsim_sim *sim, int from, int to)
{
    if (from < 0 || to < 0 || from >= sim->nhosts || to >= sim->nhosts) {
        return NULL;
    }
    if (from == to) {
        return &sim->hosts[from]->lo;
    }
    return sim->links[from][to];
}

static gboolean
want_words(char **w, guint min, guint max, const char *param, const char *usage, GError **error)
{
    guint n = g_strv_length(w);
    if (n < min || n > max) {
        g_set_error(error, TCPSIM_ERROR, 0, "%s: expected %s", param, usage);
        return FALSE;
    }
    return TRUE;
}

static gboolean
prob(const char *s, uint32_t *out, GError **error)
{
    return tcpsim_parse_prob(s, out, error);
}

/* "queue 64" is packets; "queue 64KB" (a size with a unit) is bytes. */
static gboolean
queue_param(struct link_params *p, const char *value, GError **error)
{
    int64_t n = 0;
    uint64_t bytes = 0;
    if (tcpsim_parse_int(value, &n, NULL)) {
        if (n < 1 || n > 1000000) {
            g_set_error(error, TCPSIM_ERROR, 0, "queue %s: expected 1 to 1000000 packets", value);
            return FALSE;
        }
        p->queue_pkts = (uint32_t)n;
        p->queue_bytes = 0;
        return TRUE;
    }
    if (!tcpsim_parse_size(value, &bytes, error)) {
        return FALSE;
    }
    if (bytes < 64) {
        g_set_error(error, TCPSIM_ERROR, 0, "queue %s: at least 64 bytes", value);
        return FALSE;
    }
    p->queue_bytes = bytes;
    p->queue_pkts = 0;
    return TRUE;
}

/* Parses one link parameter into `p`. Values of several words are space-separated. */
static gboolean
link_param(struct link_params *p, const char *param, const char *value, GError **error)
{
    g_auto(GStrv) w = g_strsplit_set(value, " \t", -1);
    int64_t t = 0;
    if (strcmp(param, "delay") == 0) {
        return want_words(w, 1, 1, param, "a time", error) &&
               tcpsim_parse_time(w[0], 0, &p->delay, error);
    }
    if (strcmp(param, "jitter") == 0) {
        if (!want_words(w, 1, 2, param, "a time and uniform or normal", error) ||
            !tcpsim_parse_time(w[0], 0, &p->jitter, error)) {
            return FALSE;
        }
        p->jitter_dist = LINK_JITTER_UNIFORM;
        if (w[1] != NULL && strcmp(w[1], "normal") == 0) {
            p->jitter_dist = LINK_JITTER_NORMAL;
        } else if (w[1] != NULL && strcmp(w[1], "uniform") != 0) {
            g_set_error(error, TCPSIM_ERROR, 0, "jitter: unknown distribution \"%s\"; expected "
                        "uniform or normal", w[1]);
            return FALSE;
        }
        return TRUE;
    }
    if (strcmp(param, "rate") == 0) {
        if (!want_words(w, 1, 1, param, "a rate", error)) {
            return FALSE;
        }
        if (strcmp(w[0], "unlimited") == 0) {
            p->rate_bps = 0; /* no serialization delay, the default */
            return TRUE;
        }
        uint64_t bps = 0;
        if (!tcpsim_parse_rate(w[0], &bps, error)) {
            return FALSE;
        }
        if (bps == 0) {
            /* 0 is how the link stores "unlimited": taken as a rate it meant the opposite
             * of what it says. */
            g_set_error(error, TCPSIM_ERROR, 0, "rate %s would never send a byte; expected a "
                        "rate such as 10Mbps, or unlimited", w[0]);
            return FALSE;
        }
        p->rate_bps = bps;
        return TRUE;
    }
    if (strcmp(param, "queue") == 0) {
        return want_words(w, 1, 1, param, "packets or a size", error) &&
               queue_param(p, w[0], error);
    }
    if (strcmp(param, "red") == 0) {
        int64_t lo = 0;
        int64_t hi = 0;
        if (!want_words(w, 3, 3, param, "MIN MAX PMAX (packets, packets, probability)", error) ||
            !tcpsim_parse_int(w[0], &lo, error) || !tcpsim_parse_int(w[1], &hi, error) ||
            !prob(w[2], &p->red_pmax_ppb, error)) {
            return FALSE;
        }
        if (lo >= hi || hi > 1000000) {
            g_set_error(error, TCPSIM_ERROR, 0, "red: expected MIN < MAX <= 1000000 packets");
            return FALSE;
        }
        p->red = true;
        p->red_min = (uint32_t)lo;
        p->red_max = (uint32_t)hi;
        return TRUE;
    }
    if (strcmp(param, "mtu") == 0) {
        if (!want_words(w, 1, 1, param, "bytes", error) || !tcpsim_parse_int(w[0], &t, error)) {
            return FALSE;
        }
        if (t < 68 || t > 65535) {
            g_set_error(error, TCPSIM_ERROR, 0, "mtu %s: expected 68 to 65535", w[0]);
            return FALSE;
        }
        p->mtu = (uint32_t)t;
        return TRUE;
    }
    if (strcmp(param, "loss") == 0) {
        p->burst = false;
        return want_words(w, 1, 1, param, "a probability", error) &&
               prob(w[0], &p->loss_ppb, error);
    }
    if (strcmp(param, "burst") == 0) {
        if (!want_words(w, 2, 4, param, "P R [LOSS_BAD [LOSS_GOOD]] (Gilbert-Elliott)", error) ||
            !prob(w[0], &p->ge_p_ppb, error) || !prob(w[1], &p->ge_r_ppb, error)) {
            return FALSE;
        }
        p->ge_bad_ppb = RNG_PPB_ONE;
        p->ge_good_ppb = 0;
        if (w[2] != NULL && !prob(w[2], &p->ge_bad_ppb, error)) {
            return FALSE;
        }
        if (w[2] != NULL && w[3] != NULL && !prob(w[3], &p->ge_good_ppb, error)) {
            return FALSE;
        }
        p->burst = true;
        return TRUE;
    }
    if (strcmp(param, "duplicate") == 0) {
        return want_words(w, 1, 1, param, "a probability", error) &&
               prob(w[0], &p->dup_ppb, error);
    }
    if (strcmp(param, "reorder") == 0) {
        return want_words(w, 2, 2, param, "a probability and a time", error) &&
               prob(w[0], &p->reorder_ppb, error) &&
               tcpsim_parse_time(w[1], 0, &p->reorder_delay, error);
    }
    if (strcmp(param, "corrupt") == 0) {
        return want_words(w, 1, 1, param, "a probability", error) &&
               prob(w[0], &p->corrupt_ppb, error);
    }
    g_set_error(error, TCPSIM_ERROR, 0,
                "unknown link parameter \"%s\"; expected delay, jitter, rate, queue, red, mtu, "
                "loss, burst, duplicate, reorder or corrupt",
                param);
    return FALSE;
}

gboolean
tcpsim_link_param_check(const char *param, const char *value, GError **error)
{
    struct link_params p;
    link_params_default(&p);
    return link_param(&p, param, value, error);
}

void
tcpsim_links_ipv6_as_ipv4(struct tcpsim_sim *sim)
{
    for (int i = 0; i < sim->nhosts; i++) {
        sim->hosts[i]->lo.p.v6_as_v4 = true;
        for (int j = 0; j < sim->nhosts; j++) {
            if (sim->links[i][j] != NULL) {
                sim->links[i][j]->p.v6_as_v4 = true;
            }
        }
    }
}

gboolean
tcpsim_link_set(struct tcpsim_sim *sim, int from, int to, const char *param, const char *value,
                GError **error)
{
    struct link_dir *d = world_link(sim, from, to);
    g_return_val_if_fail(d != NULL, FALSE);
    return link_param(&d->p, param, value, error);
}

void
tcpsim_link_up(struct tcpsim_sim *sim, int from, int to, bool up)
{
    struct link_dir *d = world_link(sim, from, to);
    g_return_if_fail(d != NULL);
    d->down = !up;
    g_autofree char *text = g_strdup_printf("link %s->%s %s", d->from_name, d->to_name,
                                            up ? "up" : "down");
    tcpsim_trace_note(sim, from, text);
}

static struct link_filter
to_filter(const struct tcpsim_filter *f)
{
    if (f == NULL) {
        return (struct link_filter){.match_flags = false, .has_data = -1};
    }
    return (struct link_filter){.match_flags = f->match_flags, .flags = f->flags,
                                .has_data = f->has_data, .match_seq = f->match_seq,
                                .seq_lo = f->seq_lo, .seq_hi = f->seq_hi};
}

static void
add_rule(struct tcpsim_sim *sim, int from, int to, enum link_rule_kind kind, uint32_t count,
         const struct tcpsim_filter *f, sim_time extra)
{
    struct link_dir *d = world_link(sim, from, to);
    g_return_if_fail(d != NULL);
    struct link_rule r = {.kind = kind, .filter = to_filter(f), .left = count, .extra = extra,
                          .skip = f ? f->skip : 0};
    link_add_rule(d, &r);
}

void
tcpsim_link_drop_next(struct tcpsim_sim *sim, int from, int to, uint32_t count,
                      const struct tcpsim_filter *filter)
{
    add_rule(sim, from, to, LINK_RULE_DROP, count, filter, 0);
}

void
tcpsim_link_delay_next(struct tcpsim_sim *sim, int from, int to, uint32_t count,
                       const struct tcpsim_filter *filter, tcpsim_time extra)
{
    add_rule(sim, from, to, LINK_RULE_DELAY, count, filter, extra);
}

void
tcpsim_link_duplicate_next(struct tcpsim_sim *sim, int from, int to, uint32_t count,
                           const struct tcpsim_filter *filter, tcpsim_time copy_delay)
{
    add_rule(sim, from, to, LINK_RULE_DUPLICATE, count, filter, copy_delay);
}

void
tcpsim_link_duplicate_next_late(struct tcpsim_sim *sim, int from, int to, uint32_t count,
                                const struct tcpsim_filter *f, tcpsim_time orig_delay,
                                tcpsim_time copy_delay)
{
    struct link_dir *d = world_link(sim, from, to);
    g_return_if_fail(d != NULL);
    struct link_rule r = {.kind = LINK_RULE_DUPLICATE, .filter = to_filter(f), .left = count,
                          .extra = copy_delay, .first = orig_delay, .skip = f ? f->skip : 0};
    link_add_rule(d, &r);
}

uint64_t
tcpsim_link_sent(const struct tcpsim_sim *sim, int from, int to, const struct tcpsim_filter *f)
{
    const struct link_dir *d = world_link(sim, from, to);
    g_return_val_if_fail(d != NULL, 0);
    struct link_filter lf = to_filter(f);
    return link_count_sent(d, f ? &lf : NULL);
}

uint64_t
tcpsim_link_slots(const struct tcpsim_sim *sim, int from, int to)
{
    const struct link_dir *d = world_link(sim, from, to);
    g_return_val_if_fail(d != NULL, 0);
    return d->all_pkts->len;
}

static void
summarize(struct tcpsim_sim *sim, const struct link_dir *d, int from)
{
    const struct link_stats *s = &d->stats;
    if (s->sent == 0) {
        return;
    }
    GString *t = g_string_new(NULL);
    uint64_t dropped = 0;
    for (int i = 0; i < LINK_DROP_N; i++) {
        dropped += s->dropped[i];
    }
    g_string_append_printf(t, "summary %s->%s: sent %" G_GUINT64_FORMAT ", delivered %"
                              G_GUINT64_FORMAT ", dropped %" G_GUINT64_FORMAT,
                           d->from_name, d->to_name, s->sent, s->delivered, dropped);
    const char *sep = " (";
    for (int i = 0; i < LINK_DROP_N; i++) {
        if (s->dropped[i]) {
            g_string_append_printf(t, "%s%s %" G_GUINT64_FORMAT, sep,
                                   link_drop_name((enum link_drop)i), s->dropped[i]);
            sep = ", ";
        }
    }
    g_string_append(t, *sep == ',' ? ")" : "");
    if (s->duplicated || s->reordered || s->corrupted) {
        g_string_append_printf(t, "; duplicated %" G_GUINT64_FORMAT ", reordered %"
                                  G_GUINT64_FORMAT ", corrupted %" G_GUINT64_FORMAT,
                               s->duplicated, s->reordered, s->corrupted);
    }
    tcpsim_trace_note(sim, from, t->str);
    g_string_free(t, TRUE);
}

/* A summary line per link direction that carried anything. */
void
world_link_summaries(struct tcpsim_sim *sim)
{
    for (int i = 0; i < sim->nhosts; i++) {
        for (int j = 0; j < sim->nhosts; j++) {
            summarize(sim, world_link(sim, i, j), i);
        }
    }
}

/* --- forged segments ------------------------------------------------------------- */

/* The RFC 5961 test cases: at RCV.NXT, inside the window, or beyond it. */
static tcp_seq
forged_seq(const struct tcp_tcb *t, enum tcpsim_forge_seq where, uint32_t seq)
{
    uint32_t wnd = seq_gt(t->rcv_adv, t->rcv_nxt) ? seq_diff(t->rcv_adv, t->rcv_nxt) : 0;
    switch (where) {
    case TCPSIM_SEQ_EXACT:
        return t->rcv_nxt;
    case TCPSIM_SEQ_WINDOW:
        return seq_add(t->rcv_nxt, wnd > 2 ? wnd / 2 : 1);
    case TCPSIM_SEQ_OUTSIDE:
        return seq_add(t->rcv_nxt, wnd + 65536);
    case TCPSIM_SEQ_NUMBER:
        return seq;
    }
    return seq;
}

gboolean
tcpsim_inject(struct tcpsim_sim *sim, int from, int to, struct tcpsim_sock *target,
              enum tcpsim_forge kind, enum tcpsim_forge_seq where, uint32_t seq, uint32_t len,
              const uint8_t *text)
{
    struct link_dir *d = world_link(sim, from, to);
    g_return_val_if_fail(d != NULL, FALSE);
    const struct tcp_tcb *t = app_sock_tcb(target);
    if (t == NULL || t->state == TCP_CLOSED || t->state == TCP_LISTEN) {
        g_autofree char *msg = g_strdup_printf("inject: %s has no connection to forge for",
                                               tcpsim_sock_name(target));
        tcpsim_trace_note(sim, from, msg);
        return FALSE;
    }
    static const uint16_t flags[] = {
        [TCPSIM_FORGE_RST] = TCP_RST,
        [TCPSIM_FORGE_SYN] = TCP_SYN,
        [TCPSIM_FORGE_ACK] = TCP_ACK,
        [TCPSIM_FORGE_DATA] = TCP_ACK | TCP_PSH,
        [TCPSIM_FORGE_ACK_UNSENT] = TCP_ACK,
    };
    struct tcp_seg seg = {
        .saddr = t->id.raddr,
        .daddr = t->id.laddr,
        .sport = t->id.rport,
        .dport = t->id.lport,
        .seq = forged_seq(t, where, seq),
        /* The right acknowledgment when the ACK bit is set; else the field is zero, as
         * a real sender (or tcpkill) leaves it: a capture shows no stray number. */
        .ack = (flags[kind] & TCP_ACK) ? t->snd_nxt : 0,
        .flags = flags[kind],
        .win = 65535,
        .data_off = TCP_DATA_OFF_NONE,
        .tx_cause = TCP_TX_FORGED,
    };
    if (kind == TCPSIM_FORGE_ACK_UNSENT) {
        seg.ack = seq_add(t->snd_max, 1000); /* RFC 5961 §5.2: beyond SND.NXT */
    }
    if (kind == TCPSIM_FORGE_DATA) {
        seg.len = len;
        seg.data = text;
    }
    link_send(d, &seg);
    return TRUE;
}
