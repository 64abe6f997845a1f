/* SPDX-License-Identifier: MIT */
/*
 * ladder_label.c: the short texts of the ladder: what an arrow, a timer or a call says.
 *
 * Entry points: ladder_seg_label(), ladder_timer_label(), ladder_app_label(). An arrow's
 * label is compact and reads like a textbook's: "SYN seq=0", "SYN-ACK seq=0 ack=1",
 * "ACK ack=1", "PSH-ACK 1:101 ack=1"; a zero window, SACK blocks and the reason for a
 * retransmission are added when there are any ("ACK 1:1449 ack=1 (rto #1)").
 */
#include "ladder_label.h"

static void
put_flags(struct strbuf *sb, uint16_t flags)
{
    static const struct {
        uint16_t bit;
        const char *name;
    } order[] = {
        {TCP_SYN, "SYN"}, {TCP_FIN, "FIN"}, {TCP_RST, "RST"}, {TCP_PSH, "PSH"},
        {TCP_ACK, "ACK"}, {TCP_URG, "URG"}, {TCP_ECE, "ECE"}, {TCP_CWR, "CWR"},
    };
    size_t start = sb->len;
    for (size_t i = 0; i < G_N_ELEMENTS(order); i++) {
        if (flags & order[i].bit) {
            if (sb->len > start) {
                sb_putc(sb, '-');
            }
            sb_puts(sb, order[i].name);
        }
    }
    if (sb->len == start) {
        sb_puts(sb, "none");
    }
}


bool
ladder_is_retransmission(const struct tcp_seg *seg)
{
    switch ((enum tcp_tx_cause)seg->tx_cause) {
    case TCP_TX_RTO:
    case TCP_TX_FAST:
    case TCP_TX_RECOVERY:
    case TCP_TX_PROBE:
    case TCP_TX_KEEPALIVE:
    case TCP_TX_SYN_ANSWER:
    case TCP_TX_TLP:
    case TCP_TX_RACK:
        return true;
    case TCP_TX_NEW:
    case TCP_TX_TLP_NEW:
    case TCP_TX_FORGED:
    case TCP_TX_SYNCOOKIE:
    case TCP_TX_NCAUSES:
        break;
    }
    return false;
}

/* RFC 2883 §4: a first block below the ACK, or inside the second, reports a duplicate. */
static bool
first_block_is_dsack(const struct tcp_seg *seg)
{
    const struct tcp_opts *o = &seg->opt;
    return o->nsack > 0 &&
           (seq_lt(o->sack[0].start, seg->ack) ||
            (o->nsack > 1 && seq_geq(o->sack[0].start, o->sack[1].start) &&
             seq_leq(o->sack[0].end, o->sack[1].end)));
}

static void
put_sack(struct strbuf *sb, const struct tcp_seg *seg, tcp_seq base)
{
    const struct tcp_opts *o = &seg->opt;
    unsigned b = 0;
    if (first_block_is_dsack(seg)) {
        sb_puts(sb, " dsack=");
        sb_putu(sb, (uint32_t)(o->sack[0].start - base));
        sb_putc(sb, ':');
        sb_putu(sb, (uint32_t)(o->sack[0].end - base));
        b = 1;
    }
    for (unsigned first = b; b < o->nsack; b++) {
        sb_puts(sb, b > first ? "," : " sack=");
        sb_putu(sb, (uint32_t)(o->sack[b].start - base));
        sb_putc(sb, ':');
        sb_putu(sb, (uint32_t)(o->sack[b].end - base));
    }
}

/* A sequence number: relative to a base ("1461"), or textbook style ("x+1"). */
static void
put_num(struct strbuf *sb, tcp_seq v, tcp_seq base, const char *name)
{
    uint32_t off = (uint32_t)(v - base);
    if (name == NULL) {
        sb_putu(sb, off);
        return;
    }
    sb_puts(sb, name);
    if (off != 0) {
        sb_putc(sb, '+');
        sb_putu(sb, off);
    }
}

static bool
is_probe(const struct tcp_seg *seg)
{
    return seg->len <= 1 && !seg_has(seg, TCP_SYN | TCP_FIN | TCP_RST) &&
           (seg->tx_cause == TCP_TX_PROBE || seg->tx_cause == TCP_TX_KEEPALIVE);
}

void
ladder_seg_label(struct strbuf *sb, const struct tcp_seg *seg, const struct seg_label_how *how)
{
    const struct fmt_rel *rel = how->rel;
    bool textbook = how->seq_name != NULL && rel && rel->seq_known;
    bool ack_textbook = how->ack_name != NULL && rel && rel->ack_known;
    tcp_seq sbase = rel && rel->seq_known ? rel->seq_base : 0;
    tcp_seq abase = rel && rel->ack_known ? rel->ack_base : 0;
    const char *sname = textbook ? how->seq_name : NULL;
    const char *aname = ack_textbook ? how->ack_name : NULL;
    if (seg->len > 0 && !is_probe(seg)) {
        /* Data first, then the flags beside it. */
        sb_puts(sb, "seq ");
        put_num(sb, seg->seq, sbase, sname);
        sb_putc(sb, ':');
        put_num(sb, seg->seq + seg->len, sbase, sname);
        sb_puts(sb, " (");
        sb_putu(sb, seg->len);
        const struct view_words *w = how->words ? how->words : &view_words_en;
        sb_puts(sb, seg->len == 1 ? w->byte : w->bytes);
        sb_putc(sb, ' ');
        put_flags(sb, seg->flags);
    } else {
        put_flags(sb, seg->flags);
        if (seg_has(seg, TCP_SYN | TCP_FIN | TCP_RST) || is_probe(seg) || textbook) {
            sb_puts(sb, " seq=");
            put_num(sb, seg->seq, sbase, sname);
            if (is_probe(seg)) {
                sb_puts(sb, " (SND.UNA-1)");
            }
        }
    }
    if (seg_has(seg, TCP_ACK)) {
        sb_puts(sb, " ack=");
        put_num(sb, seg->ack, abase, aname);
    }
    if (!seg_has(seg, TCP_RST) && (how->window || seg->win == 0)) {
        sb_puts(sb, " win=");
        /* The window field of a SYN is never scaled (RFC 7323 §2.2). */
        int shift = seg_has(seg, TCP_SYN) || how->wscale < 0 ? 0 : how->wscale;
        sb_putu(sb, (uint64_t)seg->win << shift);
    }
    if (seg->opt.nsack) {
        put_sack(sb, seg, abase);
    }
    const struct view_words *words = how->words ? how->words : &view_words_en;
    const char *tx = seg->tx_cause < TCP_TX_NCAUSES && seg->tx_cause != TCP_TX_NEW
                         ? words->tx[seg->tx_cause]
                         : NULL;
    if (tx != NULL) {
        sb_puts(sb, " (");
        sb_puts(sb, tx);
        if (seg->tx_count) {
            sb_puts(sb, " #");
            sb_putu(sb, seg->tx_count);
        }
        sb_putc(sb, ')');
    }
}


void
ladder_timer_label(struct strbuf *sb, const struct trace_event *ev, const struct view_words *w)
{
    const char *const *timer_words = w->timer;
    int id = ev->why.code >= 0 && ev->why.code < TCP_NTIMERS ? ev->why.code : TCP_TIMER_NONE;
    sb_putc(sb, '(');
    sb_puts(sb, timer_words[id]);
    if (ev->a > 0) {
        sb_puts(sb, " #");
        sb_putu(sb, (uint64_t)ev->a);
    }
    sb_putc(sb, ')');
}

void
ladder_app_label(struct strbuf *sb, const char *text)
{
    /* "connect(c, 10.0.0.2:80) = -1 ECONNRESET (Connection ...)" -> "connect() = -1
     * ECONNRESET"; "recv(s, 18) ..." -> "recv() ...". */
    const char *open = strchr(text, '(');
    sb_putn(sb, text, open ? (size_t)(open - text) : strlen(text));
    if (open != NULL) {
        sb_puts(sb, "()");
    }
    const char *eq = g_strrstr(text, " = ");
    if (eq != NULL) {
        const char *r = eq + 3;
        const char *why = strstr(r, " (");
        sb_puts(sb, " = ");
        sb_putn(sb, r, why ? (size_t)(why - r) : strlen(r));
    } else if (g_str_has_suffix(text, " ...")) {
        sb_puts(sb, " ...");
    }
}
