/* SPDX-License-Identifier: MIT */
/*
 * sink_text.c: the canonical text trace, one event a line (the format golden files keep).
 *
 * Entry points: sink_text_add(), and text_lines_*() for the line printer alone. Line shape:
 *
 *   TIME WHO EVENT BODY
 *   0.010000000 A->B sent      10.0.0.1.32768 > 10.0.0.2.80: Flags [S], seq 0, ..., length 0
 *   0.020000000 B    state     10.0.0.2.80>10.0.0.1.32768: LISTEN -> SYN_RECEIVED (rcv SYN)
 *
 * Sequence numbers are relative to each direction's ISN, learned from the SYNs that were
 * sent, as tcpdump learns them from the SYNs it sees; absolute on request.
 */
#include "sink_text.h"

#include <tcpsim/units.h>

#include "fmt_tcpdump.h"
#include "isn_table.h"
#include "outfile.h"
#include "strbuf.h"

/* The line printer: what a line looks like, independent of where it goes. */
struct text_lines {
    gboolean absolute;
    size_t who_width;
    struct isn_table *isn;
};

struct sink_text {
    struct outfile *out;
    struct text_lines *lines;
};

static void
put_seg(struct text_lines *st, struct strbuf *sb, const struct tcp_seg *seg)
{
    if (st->absolute) {
        fmt_tcpdump_seg(sb, seg, NULL);
        return;
    }
    struct fmt_rel rel = isn_table_rel(st->isn, seg);
    fmt_tcpdump_seg(sb, seg, &rel);
}

static void
put_sock(struct strbuf *sb, const struct trace_sock *s)
{
    if (s->name) {
        sb_puts(sb, s->name);
        sb_putc(sb, ' ');
    }
    fmt_tcpdump_endpoint(sb, &s->laddr, s->lport);
    if (!ip_is_none(&s->raddr) || s->rport) {
        sb_putc(sb, '>');
        fmt_tcpdump_endpoint(sb, &s->raddr, s->rport);
    }
}

static void
put_tx_cause(struct strbuf *sb, const struct tcp_seg *seg)
{
    const char *name = fmt_tx_cause_phrase(seg->tx_cause);
    if (name == NULL) {
        return;
    }
    sb_puts(sb, " (");
    sb_puts(sb, name);
    if (seg->tx_count) {
        sb_puts(sb, " #");
        sb_putu(sb, seg->tx_count);
    }
    sb_putc(sb, ')');
}

static const char *const event_words[TRACE_NKINDS] = {
    [TRACE_SEG_SENT] = "sent",       [TRACE_SEG_DELIVERED] = "delivered",
    [TRACE_SEG_DROPPED] = "dropped", [TRACE_SEG_DISCARD] = "discarded",
    [TRACE_STATE] = "state",         [TRACE_TIMER] = "timer",
    [TRACE_APP] = "app",             [TRACE_EXPECT] = "expect",
    [TRACE_NOTE] = "note",           [TRACE_CC] = "cc",
    [TRACE_SS] = "ss",
};

static void
put_body(struct text_lines *st, struct strbuf *sb, const struct trace_event *ev)
{
    switch (ev->kind) {
    case TRACE_SEG_SENT:
        put_seg(st, sb, ev->seg);
        put_tx_cause(sb, ev->seg);
        break;
    case TRACE_SEG_DELIVERED:
        put_seg(st, sb, ev->seg);
        if (ev->reason) {
            sb_puts(sb, " (");
            sb_puts(sb, ev->reason);
            sb_putc(sb, ')');
        }
        break;
    case TRACE_SEG_DROPPED:
    case TRACE_SEG_DISCARD:
        put_seg(st, sb, ev->seg);
        sb_puts(sb, " (");
        sb_puts(sb, ev->reason);
        sb_putc(sb, ')');
        break;
    case TRACE_STATE:
        put_sock(sb, &ev->sock);
        sb_puts(sb, ": ");
        sb_puts(sb, ev->from);
        sb_puts(sb, " -> ");
        sb_puts(sb, ev->to);
        if (ev->reason || ev->b) {
            sb_puts(sb, " (");
            sb_puts(sb, ev->reason ? ev->reason : "");
            if (ev->b) {
                sb_puts(sb, ev->reason ? ", iss " : "iss ");
                sb_putu(sb, (uint64_t)ev->a);
            }
            sb_putc(sb, ')');
        }
        break;
    case TRACE_TIMER:
        put_sock(sb, &ev->sock);
        sb_puts(sb, ": ");
        sb_puts(sb, ev->reason);
        sb_puts(sb, " expired");
        if (ev->a > 0) {
            sb_puts(sb, " #");
            sb_putu(sb, (uint64_t)ev->a);
        }
        if (ev->b > 0) {
            char *t = tcpsim_format_time(ev->b);
            sb_puts(sb, ", next timeout ");
            sb_puts(sb, t);
            g_free(t);
        }
        break;
    case TRACE_CC:
        put_sock(sb, &ev->sock);
        sb_puts(sb, ": cwnd ");
        sb_puti(sb, ev->a);
        sb_puts(sb, " ssthresh ");
        sb_puti(sb, ev->b);
        if (ev->reason) {
            sb_puts(sb, " (");
            sb_puts(sb, ev->reason);
            sb_putc(sb, ')');
        }
        break;
    case TRACE_APP:
    case TRACE_EXPECT:
    case TRACE_NOTE:
    case TRACE_SS:
        sb_puts(sb, ev->text);
        break;
    case TRACE_NKINDS:
        g_assert_not_reached();
    }
}

struct text_lines *
text_lines_new(gboolean absolute)
{
    struct text_lines *tl = g_new0(struct text_lines, 1);
    tl->absolute = absolute;
    tl->who_width = 4;
    tl->isn = isn_table_new();
    return tl;
}

void
text_lines_free(struct text_lines *tl)
{
    if (tl == NULL) {
        return;
    }
    isn_table_free(tl->isn);
    g_free(tl);
}

void
text_lines_event(struct text_lines *st, const struct trace_event *ev, struct strbuf *sb)
{
    isn_table_observe(st->isn, ev);
    sb_put_time(sb, ev->at);
    sb_putc(sb, ' ');
    size_t who = sb->len;
    sb_puts(sb, ev->host ? ev->host : "*");
    if (ev->peer) {
        sb_puts(sb, "->");
        sb_puts(sb, ev->peer);
    }
    sb_pad_to(sb, who, st->who_width);
    size_t word = sb->len;
    sb_puts(sb, event_words[ev->kind]);
    sb_pad_to(sb, word, 10);
    put_body(st, sb, ev);
}

void
text_lines_header(struct text_lines *st, const struct trace_header *hdr, GString *s)
{
    size_t width = 1;
    for (guint i = 0; i < hdr->nhosts; i++) {
        size_t w = 2 * strlen(hdr->host_names[i]) + 2; /* "A->B" */
        width = w > width ? w : width;
    }
    st->who_width = width;

    g_string_append(s, "# tcpsim trace v1\n");
    if (hdr->scenario) {
        g_string_append_printf(s, "# scenario %s\n", hdr->scenario);
    }
    if (hdr->title) {
        g_string_append_printf(s, "# title \"%s\"\n", hdr->title);
    }
    g_string_append_printf(s, "# seed %" G_GUINT64_FORMAT "\n", hdr->seed);
    /* What the command line changed: a trace says how to make it again. */
    for (const char *const *p = hdr->params; p != NULL && *p != NULL; p++) {
        g_string_append_printf(s, "# param %s\n", *p);
    }
    for (const char *const *p = hdr->sets; p != NULL && *p != NULL; p++) {
        g_string_append_printf(s, "# set %s\n", *p);
    }
    if (hdr->ip_version != NULL) {
        g_string_append_printf(s, "# ip-version %s\n", hdr->ip_version);
    }
    g_string_append(s, "# hosts");
    for (guint i = 0; i < hdr->nhosts; i++) {
        char ip[2 * TCPSIM_ADDR_STRLEN];
        struct strbuf sb;
        sb_init(&sb, ip, sizeof ip);
        sb_put_ip(&sb, &hdr->host_addrs[i]);
        if (hdr->host_addrs2 != NULL && !ip_is_none(&hdr->host_addrs2[i])) {
            sb_putc(&sb, ',');
            sb_put_ip(&sb, &hdr->host_addrs2[i]);
        }
        g_string_append_printf(s, " %s=%s", hdr->host_names[i], ip);
    }
    g_string_append_printf(s, "\n# sequence numbers %s\n",
                           st->absolute ? "absolute" : "relative to each side's ISN");
}

static void
text_event(void *self, const struct trace_event *ev)
{
    struct sink_text *st = self;
    char line[TEXT_LINE_MAX];
    struct strbuf sb;
    sb_init(&sb, line, sizeof line);
    text_lines_event(st->lines, ev, &sb);
    sb_putc(&sb, '\n');
    outfile_write(st->out, sb.p, sb.len);
}

static void
text_begin(void *self, const struct trace_header *hdr)
{
    struct sink_text *st = self;
    GString *s = g_string_new(NULL);
    text_lines_header(st->lines, hdr, s);
    outfile_write(st->out, s->str, s->len);
    g_string_free(s, TRUE);
}

static gboolean
text_end(void *self, GError **error)
{
    struct sink_text *st = self;
    struct outfile *of = st->out;
    st->out = NULL;
    return outfile_commit(of, error);
}

static void
text_free(void *self)
{
    struct sink_text *st = self;
    outfile_discard(st->out);
    text_lines_free(st->lines);
    g_free(st);
}

static const struct trace_sink_ops text_ops = {
    .name = "text",
    .begin = text_begin,
    .event = text_event,
    .end = text_end,
    .free = text_free,
};

gboolean
sink_text_add(struct trace *t, const char *path, gboolean absolute, gboolean cc, GError **error)
{
    struct outfile *of = outfile_open(&t->outputs, path, error);
    if (of == NULL) {
        return FALSE;
    }
    struct sink_text *st = g_new0(struct sink_text, 1);
    st->out = of;
    st->lines = text_lines_new(absolute);
    /* Congestion-window changes come on every ACK of a bulk transfer: in the text trace
     * only when asked for (the plots always see them). */
    trace_add_sink(t, &text_ops, st, cc ? TRACE_ALL : TRACE_ALL & ~TRACE_MASK(TRACE_CC));
    return TRUE;
}
