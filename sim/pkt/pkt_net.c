/* SPDX-License-Identifier: MIT */
/*
 * pkt_net.c: the local host's wire, as the script sees it.
 *
 * Entry points: pkt_net_init() installs pkt_host_ops on the host's TCP: segments the
 * stack sends are captured (pkt_next_cap() hands them out in order), and wakeups reach
 * the runner; demultiplexing stays the host's. pkt_inject() maps a `<` segment from
 * script numbers to live ones and delivers it; pkt_match() maps a captured segment back
 * and compares it with a `>` line.
 *
 * packetdrill's conventions: the remote's sequence numbers are the script's own (its
 * ISN is whatever its first SYN says); ours are relative to the ISN of the first SYN or
 * SYN-ACK the script saw us send. The script's TS ecr values name TS vals we sent: each
 * outbound TS val the script wrote is remembered with the live value it stood for, and
 * an ecr is translated through that map, else by the offset of the first pair.
 */
#include <string.h>

#include "pkt_run.h"

static void
trace_seg(struct pkt_runner *r, enum trace_kind kind, const struct tcp_seg *seg)
{
    if (!trace_wants(&r->sim->trace, kind)) {
        return;
    }
    struct trace_event ev = {
        .kind = kind,
        .at = r->q->now,
        .host = kind == TRACE_SEG_SENT ? "L" : "R",
        .peer = kind == TRACE_SEG_SENT ? "R" : "L",
        .seg = seg,
    };
    trace_emit(&r->sim->trace, &ev);
}

static void
net_emit(void *host, const struct tcp_seg *seg)
{
    struct pkt_runner *r = host;
    struct pkt_cap c = {.seg = *seg, .at = r->q->now};
    c.seg.data = NULL;
    g_array_append_val(r->caps, c);
    trace_seg(r, TRACE_SEG_SENT, seg);
    if (r->verbose) {
        GString *s = g_string_new("  sent     ");
        pkt_fmt_time(s, c.at);
        g_string_append_c(s, ' ');
        pkt_fmt_actual(s, seg);
        g_print("%s (live numbers)\n", s->str);
        g_string_free(s, TRUE);
    }
}

static bool
net_attach(void *host, struct tcp_tcb *tcb)
{
    struct pkt_runner *r = host;
    return host_tcp_ops.attach(r->host, tcb);
}

static void
net_detach(void *host, struct tcp_tcb *tcb)
{
    struct pkt_runner *r = host;
    host_tcp_ops.detach(r->host, tcb);
}

static void
net_wakeup(void *host, struct tcp_tcb *tcb, unsigned events)
{
    (void)tcb;
    (void)events;
    pkt_wake(host);
}

static bool
net_listening(void *host, uint16_t port)
{
    struct pkt_runner *r = host;
    return host_tcp_ops.listening(r->host, port);
}

const struct tcp_stack_ops pkt_host_ops = {
    .emit = net_emit,
    .attach = net_attach,
    .detach = net_detach,
    .wakeup = net_wakeup,
    .listening = net_listening,
};

void
pkt_net_init(struct pkt_runner *r)
{
    r->host->tcp.ops = &pkt_host_ops;
    r->host->tcp.host = r;
    r->conn.ts_map = g_array_new(FALSE, FALSE, sizeof(struct pkt_ts_pair));
}

void
pkt_net_free(struct pkt_runner *r)
{
    if (r->conn.ts_map) {
        g_array_free(r->conn.ts_map, TRUE);
    }
}

static void
conn_reset(struct pkt_conn *cn, enum pkt_conn_state st)
{
    GArray *map = cn->ts_map;
    g_array_set_size(map, 0);
    *cn = (struct pkt_conn){.phase = st, .ts_map = map};
}

/* Is this captured segment the connection under test's? packetdrill ignores the rest. */
static bool
belongs(const struct pkt_runner *r, const struct tcp_seg *s)
{
    const struct pkt_conn *cn = &r->conn;
    if (cn->remote_port == 0) {
        return true;
    }
    return ip_eq(&s->daddr, &cn->remote_ip) && s->dport == cn->remote_port &&
           (cn->local_port == 0 || s->sport == cn->local_port);
}

const struct pkt_cap *
pkt_next_cap(struct pkt_runner *r)
{
    while (r->cap_head < r->caps->len) {
        const struct pkt_cap *c = &g_array_index(r->caps, struct pkt_cap, r->cap_head);
        if (belongs(r, &c->seg)) {
            return c;
        }
        r->cap_head++;
    }
    return NULL;
}

/* --- inbound ------------------------------------------------------------------ */

static tcp_seq
local_offset(const struct pkt_conn *cn)
{
    return cn->local_isn_known ? cn->live_local_isn - cn->script_local_isn : 0;
}

static uint32_t
map_ecr(const struct pkt_conn *cn, uint32_t ecr)
{
    for (guint i = 0; i < cn->ts_map->len; i++) {
        const struct pkt_ts_pair *p = &g_array_index(cn->ts_map, struct pkt_ts_pair, i);
        if (p->script == ecr) {
            return p->live;
        }
    }
    if (cn->ts_first_known) {
        return ecr - cn->ts_first_script + cn->ts_first_live;
    }
    return ecr;
}

/* A `<` segment on a listener (or with no socket) starts packetdrill's "new passive
 * connection": a fresh remote port. */
static void
new_passive(struct pkt_runner *r)
{
    struct pkt_conn *cn = &r->conn;
    uint16_t lport = cn->phase == PKT_CONN_LISTENING && cn->local_port ? cn->local_port
                                                                        : r->bind_port;
    conn_reset(cn, PKT_CONN_PASSIVE);
    cn->local_port = lport;
    cn->remote_ip = r->remote_ip;
    cn->remote_port = r->next_remote_port++;
    if (r->next_remote_port == 0) {
        r->next_remote_port = PKT_FIRST_REMOTE_PORT;
    }
}

void
pkt_inject(struct pkt_runner *r, const struct pkt_event *ev)
{
    const struct pkt_packet *p = ev->pkt;
    struct pkt_conn *cn = &r->conn;
    if (cn->phase == PKT_CONN_NONE || cn->phase == PKT_CONN_NEW ||
        cn->phase == PKT_CONN_LISTENING) {
        new_passive(r);
    }
    struct tcp_seg seg = {0};
    seg.saddr = cn->remote_ip;
    seg.daddr = r->local_ip;
    seg.sport = cn->remote_port;
    seg.dport = cn->local_port;
    seg.seq = p->seq;
    seg.flags = p->flags;
    seg.ack = (p->flags & TCP_ACK) ? p->ack + local_offset(cn) : p->ack;
    seg.win = (uint16_t)p->win;
    seg.urp = p->urg;
    seg.opt = p->opts;
    for (uint8_t i = 0; i < seg.opt.nsack; i++) {
        seg.opt.sack[i].start += local_offset(cn);
        seg.opt.sack[i].end += local_offset(cn);
    }
    if ((p->flags & TCP_ACK) && tcp_opts_has(&seg.opt, TCPOPT_TS)) {
        seg.opt.ts_ecr = map_ecr(cn, seg.opt.ts_ecr);
    }
    seg.len = p->len;
    seg.data_off = TCP_DATA_OFF_NONE;
    seg.tx_cause = TCP_TX_FORGED;
    trace_seg(r, TRACE_SEG_DELIVERED, &seg);
    if (r->verbose) {
        GString *s = g_string_new("  injected ");
        pkt_fmt_time(s, r->q->now);
        g_string_append_c(s, ' ');
        pkt_fmt_packet(s, p);
        g_print("%s\n", s->str);
        g_string_free(s, TRUE);
    }
    host_receive(r->host, &seg, NULL);
}

/* --- outbound ----------------------------------------------------------------- */

/* Maps a live segment into script numbers, learning what a SYN and TS vals teach. */
static struct tcp_seg
to_script(struct pkt_runner *r, const struct pkt_packet *p, const struct tcp_seg *live)
{
    struct pkt_conn *cn = &r->conn;
    if ((p->flags & TCP_SYN) && (live->flags & TCP_SYN)) {
        cn->script_local_isn = p->seq;
        cn->live_local_isn = live->seq;
        cn->local_isn_known = true;
        if (cn->phase == PKT_CONN_CONNECTING) {
            cn->phase = PKT_CONN_ACTIVE;
        }
    }
    struct tcp_seg m = *live;
    m.seq = live->seq - local_offset(cn);
    if (!tcp_opts_has(&live->opt, TCPOPT_TS)) {
        return m;
    }
    bool script_ts = !p->opts_any && tcp_opts_has(&p->opts, TCPOPT_TS);
    if (script_ts) {
        struct pkt_ts_pair pair = {p->opts.ts_val, live->opt.ts_val};
        g_array_append_val(cn->ts_map, pair);
        if (!cn->ts_first_known) {
            cn->ts_first_known = true;
            cn->ts_first_script = p->opts.ts_val;
            cn->ts_first_live = live->opt.ts_val;
        }
    }
    if (cn->ts_first_known) {
        m.opt.ts_val = live->opt.ts_val - cn->ts_first_live + cn->ts_first_script;
    }
    return m;
}

static const char *
opt_name(uint8_t kind)
{
    switch (kind) {
    case TCPOPT_EOL: return "eol";
    case TCPOPT_NOP: return "nop";
    case TCPOPT_MSS: return "mss";
    case TCPOPT_WSCALE: return "wscale";
    case TCPOPT_SACK_PERM: return "sackOK";
    case TCPOPT_SACK: return "sack";
    case TCPOPT_TS: return "TS";
    default: return "unknown";
    }
}

/* The first difference between the options, or NULL. */
static char *
diff_options(const struct pkt_runner *r, const struct tcp_opts *want, const struct tcp_opts *got)
{
    for (uint8_t i = 0; i < want->n || i < got->n; i++) {
        if (i >= want->n || i >= got->n || want->kind[i] != got->kind[i]) {
            return g_strdup_printf("bad outbound TCP options: option %u expected %s vs actual %s",
                                   i + 1u, i < want->n ? opt_name(want->kind[i]) : "none",
                                   i < got->n ? opt_name(got->kind[i]) : "none");
        }
    }
    if (tcp_opts_has(want, TCPOPT_MSS) && want->mss != got->mss) {
        return g_strdup_printf("bad outbound TCP option mss: expected %u vs actual %u",
                               want->mss, got->mss);
    }
    if (tcp_opts_has(want, TCPOPT_WSCALE) && want->wscale != got->wscale) {
        return g_strdup_printf("bad outbound TCP option wscale: expected %u vs actual %u",
                               want->wscale, got->wscale);
    }
    if (tcp_opts_has(want, TCPOPT_SACK)) {
        bool same = want->nsack == got->nsack;
        for (uint8_t i = 0; same && i < want->nsack; i++) {
            same = want->sack[i].start == got->sack[i].start && want->sack[i].end == got->sack[i].end;
        }
        if (!same) {
            return g_strdup("bad outbound TCP option: SACK blocks differ");
        }
    }
    if (tcp_opts_has(want, TCPOPT_TS)) {
        if (want->ts_ecr != got->ts_ecr) {
            return g_strdup_printf("bad outbound TCP timestamp ecr: expected %u vs actual %u",
                                   want->ts_ecr, got->ts_ecr);
        }
        int64_t dev = (int32_t)(got->ts_val - want->ts_val);
        if (r->ts_tick_us > 0 && (dev < 0 ? -dev : dev) * r->ts_tick_us > r->tolerance / 1000) {
            return g_strdup_printf("bad outbound TCP timestamp value: expected %u vs actual %u "
                                   "(tolerance %" G_GINT64_FORMAT " us)", want->ts_val,
                                   got->ts_val, r->tolerance / 1000);
        }
    }
    return NULL;
}

static char *
flags_text(uint16_t f)
{
    GString *s = g_string_new(NULL);
    struct pkt_packet p = {.flags = f};
    pkt_fmt_packet(s, &p);
    char *sp = strchr(s->str, ' ');
    if (sp) {
        g_string_truncate(s, (gsize)(sp - s->str));
    }
    return g_string_free(s, FALSE);
}

/* The first field that differs, in packetdrill's order, or NULL. */
static char *
diff(const struct pkt_runner *r, const struct pkt_packet *p, const struct tcp_seg *m)
{
    unsigned cmp = r->compare;
    uint16_t mask = (uint16_t)(((cmp & TCPSIM_PKT_CMP_FLAGS) ? ~TCP_PSH : 0) |
                               ((cmp & TCPSIM_PKT_CMP_PSH) ? TCP_PSH : 0));
    if ((p->flags & mask) != (m->flags & mask)) {
        g_autofree char *w = flags_text(p->flags);
        g_autofree char *g = flags_text(m->flags);
        return g_strdup_printf("live packet field tcp_flags: expected: %s vs actual: %s", w, g);
    }
    if ((cmp & TCPSIM_PKT_CMP_SEQ) && !p->seq_any && p->seq != m->seq) {
        return g_strdup_printf("live packet field tcp_seq: expected: %u vs actual: %u", p->seq,
                               m->seq);
    }
    if ((cmp & TCPSIM_PKT_CMP_ACK) && (p->flags & TCP_ACK) && p->ack != m->ack) {
        return g_strdup_printf("live packet field tcp_ack_seq: expected: %u vs actual: %u",
                               p->ack, m->ack);
    }
    if ((cmp & TCPSIM_PKT_CMP_LEN) && p->len != m->len) {
        return g_strdup_printf("live packet payload: expected %u bytes vs actual %u bytes",
                               p->len, m->len);
    }
    if ((cmp & TCPSIM_PKT_CMP_WIN) && p->win >= 0 && (uint16_t)p->win != m->win) {
        return g_strdup_printf("live packet field tcp_window: expected: %d vs actual: %u",
                               p->win, m->win);
    }
    if ((cmp & TCPSIM_PKT_CMP_OPTIONS) && !p->opts_any) {
        return diff_options(r, &p->opts, &m->opt);
    }
    return NULL;
}

static void
describe(struct pkt_runner *r, const struct pkt_packet *p, sim_time want_at,
         const struct tcp_seg *m, sim_time at)
{
    g_string_append(r->details, "script packet: ");
    pkt_fmt_time(r->details, want_at);
    g_string_append_c(r->details, ' ');
    pkt_fmt_packet(r->details, p);
    g_string_append(r->details, "\nactual packet: ");
    pkt_fmt_time(r->details, at);
    g_string_append_c(r->details, ' ');
    pkt_fmt_actual(r->details, m);
}

/*
 * tcpsim has no TSO: where Linux hands the device one segment of several MSS, tcpsim
 * sends MSS-sized segments at the same instant. As packetdrill does against a wire
 * (unless --strict_segments), consecutive segments are merged until they carry the
 * length the script expects: same instant, contiguous, the same ACK and options, every
 * piece but the last of the same size. The merged segment has the first one's header
 * with the PSH and FIN of the last.
 */
static uint32_t
aggregate(struct pkt_runner *r, uint32_t want, struct pkt_cap *live, guint *pieces)
{
    guint i = r->cap_head;
    uint32_t piece = live->seg.len;
    struct tcp_seg sum = live->seg;
    *pieces = 1;
    if (r->strict_segments || piece == 0 || (sum.flags & (TCP_SYN | TCP_RST | TCP_FIN))) {
        return sum.len;
    }
    while (sum.len < want && i < r->caps->len) {
        const struct pkt_cap *n = &g_array_index(r->caps, struct pkt_cap, i);
        const struct tcp_seg *s = &n->seg;
        bool fits = belongs(r, s) && n->at == live->at && s->seq == sum.seq + sum.len &&
                    s->ack == sum.ack && (s->flags & ~(TCP_PSH | TCP_FIN)) ==
                    (sum.flags & ~(TCP_PSH | TCP_FIN)) && s->opt.n == sum.opt.n &&
                    s->len > 0 && s->len <= piece && sum.len % piece == 0 &&
                    !(sum.flags & TCP_FIN);
        if (!fits) {
            break;
        }
        sum.len += s->len;
        sum.flags = (uint16_t)((sum.flags & ~(TCP_PSH | TCP_FIN)) | (s->flags & (TCP_PSH | TCP_FIN)));
        i++;
        (*pieces)++;
    }
    if (sum.len == want) {
        live->seg = sum;
        r->cap_head = i;
    }
    return sum.len;
}

void
pkt_match(struct pkt_runner *r, const struct pkt_event *ev, const struct pkt_cap *cap,
          sim_time start, sim_time end)
{
    const struct pkt_packet *p = ev->pkt;
    struct pkt_cap live = *cap;
    r->cap_head++;
    uint32_t burst = live.seg.len;
    guint pieces = 1;
    if (p->len > live.seg.len) {
        burst = aggregate(r, p->len, &live, &pieces);
    }
    struct tcp_seg m = to_script(r, p, &live.seg);
    g_autofree char *why = diff(r, p, &m);
    if (why != NULL && pieces > 1 && burst != p->len && m.len != p->len) {
        char *more = g_strdup_printf("%s (the stack sent %u bytes in %u segments at that "
                                     "instant)", why, burst, pieces);
        g_free(why);
        why = more;
    }
    if (why == NULL && pkt_timing(r)) {
        sim_time tol = pkt_tolerance(r, start, r->prev_start);
        if (live.at < start - tol || live.at > end + tol) {
            why = g_strdup_printf("timing error: expected outbound packet at %.6f sec but "
                                  "happened at %.6f sec; tolerance %.6f sec",
                                  (double)start / 1e9, (double)live.at / 1e9, (double)tol / 1e9);
        }
    }
    if (why != NULL) {
        describe(r, p, start, &m, live.at);
        pkt_fail(r, ev->loc, "%s", why);
    }
}
