/* SPDX-License-Identifier: MIT */
/*
 * sink_jsonl.c: one JSON object per trace event, for scripts and notebooks.
 *
 * Entry point: sink_jsonl_add(). The first line is a header object; every other line is
 * an event with the keys, in this order, that docs/traces.md lists for its kind. Keys a
 * kind has are always present (null when they do not apply), so every line of a kind has
 * the same shape. Segments carry both relative and absolute numbers, and the text
 * trace's tcpdump body, so a script never has to parse the text trace.
 */
#include "sink_jsonl.h"

#include "fmt_tcpdump.h"
#include "isn_table.h"
#include "jsonbuf.h"
#include "outfile.h"

#define SEG_TEXT_BYTES 2048

struct sink_jsonl {
    struct outfile *out;
    struct isn_table *isn;
    gboolean absolute;
    GString *line; /* reused for every event */
};

static const char *const event_names[TRACE_NKINDS] = {
    [TRACE_SEG_SENT] = "sent",
    [TRACE_SEG_DELIVERED] = "delivered",
    [TRACE_SEG_DROPPED] = "dropped",
    [TRACE_SEG_DISCARD] = "discarded",
    [TRACE_STATE] = "state",
    [TRACE_TIMER] = "timer",
    [TRACE_APP] = "app",
    [TRACE_EXPECT] = "expect",
    [TRACE_NOTE] = "note",
    [TRACE_CC] = "cc",
    [TRACE_SS] = "ss",
};

static void
put_ip(GString *s, const char *key, const struct tcpsim_addr *addr)
{
    char ip[TCPSIM_ADDR_STRLEN];
    struct strbuf sb;
    sb_init(&sb, ip, sizeof ip);
    sb_put_ip(&sb, addr);
    js_str(s, key, ip);
}

static void
put_rel(GString *s, const char *key, bool known, tcp_seq v, tcp_seq base)
{
    if (known) {
        js_uint(s, key, (uint32_t)(v - base));
    } else {
        js_null(s, key);
    }
}

static void
put_sack(GString *s, const struct tcp_opts *o, const struct fmt_rel *rel)
{
    js_str(s, "kind", "sack");
    if (rel->ack_known) {
        js_open(s, "blocks", '[');
        for (unsigned b = 0; b < o->nsack; b++) {
            js_open(s, NULL, '[');
            js_uint(s, NULL, (uint32_t)(o->sack[b].start - rel->ack_base));
            js_uint(s, NULL, (uint32_t)(o->sack[b].end - rel->ack_base));
            js_close(s, ']');
        }
        js_close(s, ']');
    } else {
        js_null(s, "blocks");
    }
    js_open(s, "blocks_abs", '[');
    for (unsigned b = 0; b < o->nsack; b++) {
        js_open(s, NULL, '[');
        js_uint(s, NULL, o->sack[b].start);
        js_uint(s, NULL, o->sack[b].end);
        js_close(s, ']');
    }
    js_close(s, ']');
}

static void
put_option(GString *s, const struct tcp_opts *o, unsigned i, const struct fmt_rel *rel)
{
    js_open(s, NULL, '{');
    switch (o->kind[i]) {
    case TCPOPT_EOL:
        js_str(s, "kind", "eol");
        break;
    case TCPOPT_NOP:
        js_str(s, "kind", "nop");
        break;
    case TCPOPT_MSS:
        js_str(s, "kind", "mss");
        js_uint(s, "value", o->mss);
        break;
    case TCPOPT_WSCALE:
        js_str(s, "kind", "wscale");
        js_uint(s, "value", o->wscale);
        break;
    case TCPOPT_SACK_PERM:
        js_str(s, "kind", "sackOK");
        break;
    case TCPOPT_SACK:
        put_sack(s, o, rel);
        break;
    case TCPOPT_TS:
        js_str(s, "kind", "ts");
        js_uint(s, "val", o->ts_val);
        js_uint(s, "ecr", o->ts_ecr);
        break;
    default:
        js_str(s, "kind", "unknown");
        js_uint(s, "code", o->kind[i]);
        break;
    }
    js_close(s, '}');
}

static void
put_annotation(GString *s, const struct trace_event *ev)
{
    const struct tcp_seg *seg = ev->seg;
    const char *phrase = NULL;
    if (ev->kind == TRACE_SEG_SENT) {
        phrase = fmt_tx_cause_phrase(seg->tx_cause);
    } else {
        phrase = ev->reason;
    }
    if (phrase != NULL && ev->kind == TRACE_SEG_SENT && seg->tx_count) {
        char full[64]; /* a constant phrase and a count */
        struct strbuf sb;
        sb_init(&sb, full, sizeof full);
        sb_puts(&sb, phrase);
        sb_puts(&sb, " #");
        sb_putu(&sb, seg->tx_count);
        js_str(s, "annotation", full);
    } else {
        js_str(s, "annotation", phrase);
    }
}

/* The keys of one kind of segment event. */
static void
put_segment_kind(GString *s, const struct trace_event *ev)
{
    const struct tcp_seg *seg = ev->seg;
    switch (ev->kind) {
    case TRACE_SEG_SENT:
        js_str(s, "tx", fmt_tx_cause_word(seg->tx_cause));
        js_uint(s, "tx_count", seg->tx_count);
        break;
    case TRACE_SEG_DELIVERED:
        js_str(s, "note", ev->reason);
        if (ev->a > 0) {
            js_open(s, "damage", '{');
            js_int(s, "offset", ev->a - 1);
            js_int(s, "mask", ev->b);
            js_close(s, '}');
        } else {
            js_null(s, "damage");
        }
        break;
    case TRACE_SEG_DROPPED:
    case TRACE_SEG_DISCARD:
        js_str(s, "reason", ev->reason);
        break;
    case TRACE_STATE:
    case TRACE_TIMER:
    case TRACE_APP:
    case TRACE_EXPECT:
    case TRACE_NOTE:
    case TRACE_CC:
    case TRACE_SS:
    case TRACE_NKINDS:
        g_assert_not_reached(); /* put_body() sends only segments here */
    }
}

/* The keys every segment event has, then its kind's own. */
static void
put_segment(struct sink_jsonl *sj, GString *s, const struct trace_event *ev)
{
    const struct tcp_seg *seg = ev->seg;
    struct fmt_rel rel = isn_table_rel(sj->isn, seg);
    put_ip(s, "src", &seg->saddr);
    js_uint(s, "sport", seg->sport);
    put_ip(s, "dst", &seg->daddr);
    js_uint(s, "dport", seg->dport);
    char text[SEG_TEXT_BYTES];
    struct strbuf sb;
    sb_init(&sb, text, sizeof text);
    fmt_tcpdump_flags(&sb, seg->flags);
    js_str(s, "flags", text);
    put_rel(s, "seq", rel.seq_known, seg->seq, rel.seq_base);
    js_uint(s, "seq_abs", seg->seq);
    bool ack = seg_has(seg, TCP_ACK);
    put_rel(s, "ack", ack && rel.ack_known, seg->ack, rel.ack_base);
    if (ack) {
        js_uint(s, "ack_abs", seg->ack);
    } else {
        js_null(s, "ack_abs");
    }
    js_uint(s, "win", seg->win);
    js_uint(s, "len", seg->len);
    if (seg_has(seg, TCP_URG)) {
        js_uint(s, "urg", seg->urp);
    } else {
        js_null(s, "urg");
    }
    js_open(s, "options", '[');
    for (unsigned i = 0; i < seg->opt.n; i++) {
        put_option(s, &seg->opt, i, &rel);
    }
    js_close(s, ']');
    sb_init(&sb, text, sizeof text);
    fmt_tcpdump_seg(&sb, seg, sj->absolute ? NULL : &rel);
    js_str(s, "tcpdump", text);
    put_annotation(s, ev);
    put_segment_kind(s, ev);
}

static void
put_sock(GString *s, const struct trace_sock *k)
{
    js_str(s, "name", k->name);
    put_ip(s, "laddr", &k->laddr);
    js_uint(s, "lport", k->lport);
    bool listener = ip_is_none(&k->raddr) && k->rport == 0;
    if (listener) {
        js_null(s, "raddr");
        js_null(s, "rport");
    } else {
        put_ip(s, "raddr", &k->raddr);
        js_uint(s, "rport", k->rport);
    }
}

static void
put_body(struct sink_jsonl *sj, GString *s, const struct trace_event *ev)
{
    switch (ev->kind) {
    case TRACE_SEG_SENT:
    case TRACE_SEG_DELIVERED:
    case TRACE_SEG_DROPPED:
    case TRACE_SEG_DISCARD:
        put_segment(sj, s, ev);
        break;
    case TRACE_STATE:
        put_sock(s, &ev->sock);
        js_str(s, "from", ev->from);
        js_str(s, "to", ev->to);
        js_str(s, "cause", ev->reason);
        if (ev->b) {
            js_int(s, "iss", ev->a);
        } else {
            js_null(s, "iss");
        }
        break;
    case TRACE_TIMER:
        put_sock(s, &ev->sock);
        js_str(s, "timer", ev->reason);
        js_int(s, "count", ev->a);
        if (ev->b > 0) {
            js_int(s, "next_timeout_ns", ev->b);
        } else {
            js_null(s, "next_timeout_ns");
        }
        break;
    case TRACE_CC:
        put_sock(s, &ev->sock);
        js_int(s, "cwnd", ev->a);
        js_int(s, "ssthresh", ev->b);
        js_str(s, "cause", ev->reason);
        break;
    case TRACE_APP:
        /* The socket (its tuple once it has a connection), the call, its result. */
        if (ip_is_none(&ev->sock.laddr) && ev->sock.lport == 0) {
            js_str(s, "name", ev->sock.name);
            js_null(s, "laddr");
            js_null(s, "lport");
            js_null(s, "raddr");
            js_null(s, "rport");
        } else {
            put_sock(s, &ev->sock);
        }
        js_str(s, "call", ev->reason);
        js_bool(s, "returned", ev->b != 0);
        if (ev->b) {
            js_int(s, "result", ev->c ? -1 : ev->a);
        } else {
            js_null(s, "result");
        }
        js_str(s, "errno", ev->c ? ev->to : NULL);
        js_str(s, "text", ev->text);
        break;
    case TRACE_EXPECT:
        js_str(s, "check", ev->b ? ev->reason : NULL);
        js_str(s, "expected", ev->b ? ev->from : NULL);
        js_str(s, "got", ev->b ? ev->to : NULL);
        if (ev->b) {
            js_bool(s, "ok", ev->a != 0);
        } else {
            js_null(s, "ok");
        }
        js_str(s, "text", ev->text);
        break;
    case TRACE_SS:
        /* A socket's row has its fields; the header and summary lines only their text. */
        if (ev->c) {
            put_sock(s, &ev->sock);
            js_str(s, "state", ev->from);
            js_int(s, "recv_q", ev->a);
            js_int(s, "send_q", ev->b);
        } else {
            js_null(s, "name");
            js_null(s, "laddr");
            js_null(s, "lport");
            js_null(s, "raddr");
            js_null(s, "rport");
            js_null(s, "state");
            js_null(s, "recv_q");
            js_null(s, "send_q");
        }
        js_str(s, "text", ev->text);
        break;
    case TRACE_NOTE:
        js_str(s, "text", ev->text);
        break;
    case TRACE_NKINDS:
        g_assert_not_reached();
    }
}

static void
jsonl_event(void *self, const struct trace_event *ev)
{
    struct sink_jsonl *sj = self;
    GString *s = sj->line;
    isn_table_observe(sj->isn, ev);
    g_string_truncate(s, 0);
    g_string_append_c(s, '{');
    js_int(s, "time_ns", ev->at);
    if (ev->peer != NULL) {
        js_key(s, "who");
        g_string_append_c(s, '"');
        js_escape(s, ev->host);
        g_string_append(s, "->");
        js_escape(s, ev->peer);
        g_string_append_c(s, '"');
    } else {
        js_str(s, "who", ev->host ? ev->host : "*");
    }
    js_str(s, "host", ev->host);
    js_str(s, "peer", ev->peer);
    js_str(s, "event", event_names[ev->kind]);
    put_body(sj, s, ev);
    g_string_append(s, "}\n");
    outfile_write(sj->out, s->str, s->len);
}

static void
jsonl_begin(void *self, const struct trace_header *hdr)
{
    struct sink_jsonl *sj = self;
    GString *s = sj->line;
    g_string_assign(s, "{");
    js_str(s, "event", "header");
    js_str(s, "format", "tcpsim-jsonl");
    js_int(s, "version", SINK_JSONL_VERSION);
    js_str(s, "scenario", hdr->scenario);
    js_str(s, "title", hdr->title);
    js_uint(s, "seed", hdr->seed);
    js_str(s, "tcpsim_version", hdr->version);
    js_open(s, "sets", '[');
    for (const char *const *p = hdr->sets; p != NULL && *p != NULL; p++) {
        js_str(s, NULL, *p);
    }
    js_close(s, ']');
    js_open(s, "params", '[');
    for (const char *const *p = hdr->params; p != NULL && *p != NULL; p++) {
        js_str(s, NULL, *p);
    }
    js_close(s, ']');
    if (hdr->ip_version != NULL) {
        js_str(s, "ip_version", hdr->ip_version);
    }
    js_open(s, "hosts", '[');
    for (guint i = 0; i < hdr->nhosts; i++) {
        js_open(s, NULL, '{');
        js_str(s, "name", hdr->host_names[i]);
        put_ip(s, "addr", &hdr->host_addrs[i]);
        if (hdr->host_addrs2 != NULL && !ip_is_none(&hdr->host_addrs2[i])) {
            put_ip(s, "addr2", &hdr->host_addrs2[i]);
        }
        js_close(s, '}');
    }
    js_close(s, ']');
    g_string_append(s, "}\n");
    outfile_write(sj->out, s->str, s->len);
}

static gboolean
jsonl_end(void *self, GError **error)
{
    struct sink_jsonl *sj = self;
    struct outfile *of = sj->out;
    sj->out = NULL;
    return outfile_commit(of, error);
}

static void
jsonl_free(void *self)
{
    struct sink_jsonl *sj = self;
    outfile_discard(sj->out);
    isn_table_free(sj->isn);
    g_string_free(sj->line, TRUE);
    g_free(sj);
}

static const struct trace_sink_ops jsonl_ops = {
    .name = "jsonl",
    .begin = jsonl_begin,
    .event = jsonl_event,
    .end = jsonl_end,
    .free = jsonl_free,
};

gboolean
sink_jsonl_add(struct trace *t, const char *path, gboolean absolute, gboolean cc, GError **error)
{
    struct outfile *of = outfile_open(&t->outputs, path, error);
    if (of == NULL) {
        return FALSE;
    }
    struct sink_jsonl *sj = g_new0(struct sink_jsonl, 1);
    sj->out = of;
    sj->isn = isn_table_new();
    sj->absolute = absolute;
    sj->line = g_string_sized_new(1024);
    trace_add_sink(t, &jsonl_ops, sj, cc ? TRACE_ALL : TRACE_ALL & ~TRACE_MASK(TRACE_CC));
    return TRUE;
}
