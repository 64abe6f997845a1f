/* SPDX-License-Identifier: MIT */
/*
 * fmt_tcpdump.c: segments printed the way `tcpdump -n` prints them.
 *
 * Entry point: fmt_tcpdump_seg(). The field order, the flag letters and their order
 * (F S R P . U E W) and the option spelling follow tcpdump's print-tcp.c, so an engineer
 * reads a tcpsim trace as a capture. One deliberate difference: with relative numbers the
 * SYN shows seq 0 (as Wireshark does) rather than the absolute ISN.
 */
#include "fmt_tcpdump.h"

void
fmt_tcpdump_flags(struct strbuf *sb, uint16_t flags)
{
    static const struct {
        uint16_t bit;
        char letter;
    } order[] = {
        {TCP_FIN, 'F'}, {TCP_SYN, 'S'}, {TCP_RST, 'R'}, {TCP_PSH, 'P'},
        {TCP_ACK, '.'}, {TCP_URG, 'U'}, {TCP_ECE, 'E'}, {TCP_CWR, 'W'},
    };
    if ((flags & 0xFF) == 0) {
        sb_puts(sb, "none");
        return;
    }
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        if (flags & order[i].bit) {
            sb_putc(sb, order[i].letter);
        }
    }
}

static const struct {
    const char *phrase;
    const char *word;
} tx_causes[TCP_TX_NCAUSES] = {
    [TCP_TX_NEW] = {NULL, NULL},
    [TCP_TX_RTO] = {"retransmit: rto", "rto"},
    [TCP_TX_FAST] = {"retransmit: fast", "fast"},
    [TCP_TX_RECOVERY] = {"retransmit: recovery", "recovery"},
    [TCP_TX_PROBE] = {"window probe", "probe"},
    [TCP_TX_KEEPALIVE] = {"keepalive", "keepalive"},
    [TCP_TX_SYN_ANSWER] = {"retransmit: answers SYN", "syn_answer"},
    [TCP_TX_TLP] = {"retransmit: tail loss probe", "tlp"},
    [TCP_TX_TLP_NEW] = {"tail loss probe", "tlp_new"},
    [TCP_TX_RACK] = {"retransmit: rack", "rack"},
    [TCP_TX_FORGED] = {"forged", "forged"},
    [TCP_TX_SYNCOOKIE] = {"syncookie", "syncookie"},
};

const char *
fmt_tx_cause_phrase(unsigned cause)
{
    return cause < TCP_TX_NCAUSES ? tx_causes[cause].phrase : NULL;
}

const char *
fmt_tx_cause_word(unsigned cause)
{
    return cause < TCP_TX_NCAUSES ? tx_causes[cause].word : NULL;
}

void
fmt_tcpdump_endpoint(struct strbuf *sb, const struct tcpsim_addr *addr, uint16_t port)
{
    /* A trace names the same few endpoints on every line: keep the last ones formatted
     * (per thread: sweep runs simulations in threads). A fifth of a traced bulk run went
     * to formatting these numbers again. */
    static _Thread_local struct {
        struct tcpsim_addr addr;
        uint16_t port;
        uint8_t len; /* 0: empty */
        char text[TCPSIM_ADDR_STRLEN + 6]; /* ADDR.65535 */
    } cache[8];
    unsigned i = ((ip_hash32(addr) * 2654435761u) ^ (port * 40503u)) >> 29;
    if (cache[i].len == 0 || !ip_eq(&cache[i].addr, addr) || cache[i].port != port) {
        struct strbuf t;
        sb_init(&t, cache[i].text, sizeof cache[i].text);
        sb_put_ip(&t, addr);
        sb_putc(&t, '.');
        sb_putu(&t, port);
        cache[i].addr = *addr;
        cache[i].port = port;
        cache[i].len = (uint8_t)t.len;
    }
    sb_putn(sb, cache[i].text, cache[i].len);
}

static void
put_sack(struct strbuf *sb, const struct tcp_opts *o, const struct fmt_rel *rel)
{
    /* SACK blocks name the data sender's sequence space, the one this segment acks. */
    tcp_seq base = rel && rel->ack_known ? rel->ack_base : 0;
    sb_puts(sb, "sack ");
    sb_putu(sb, o->nsack);
    sb_putc(sb, ' ');
    for (unsigned b = 0; b < o->nsack; b++) {
        sb_putc(sb, '{');
        sb_putu(sb, (uint32_t)(o->sack[b].start - base));
        sb_putc(sb, ':');
        sb_putu(sb, (uint32_t)(o->sack[b].end - base));
        sb_putc(sb, '}');
    }
}

void
fmt_tcpdump_opts(struct strbuf *sb, const struct tcp_opts *o, const struct fmt_rel *rel)
{
    for (unsigned i = 0; i < o->n; i++) {
        if (i) {
            sb_putc(sb, ',');
        }
        switch (o->kind[i]) {
        case TCPOPT_EOL:
            sb_puts(sb, "eol");
            break;
        case TCPOPT_NOP:
            sb_puts(sb, "nop");
            break;
        case TCPOPT_MSS:
            sb_puts(sb, "mss ");
            sb_putu(sb, o->mss);
            break;
        case TCPOPT_WSCALE:
            sb_puts(sb, "wscale ");
            sb_putu(sb, o->wscale);
            break;
        case TCPOPT_SACK_PERM:
            sb_puts(sb, "sackOK");
            break;
        case TCPOPT_SACK:
            put_sack(sb, o, rel);
            break;
        case TCPOPT_TS:
            sb_puts(sb, "TS val ");
            sb_putu(sb, o->ts_val);
            sb_puts(sb, " ecr ");
            sb_putu(sb, o->ts_ecr);
            break;
        default:
            sb_puts(sb, "unknown-");
            sb_putu(sb, o->kind[i]);
            break;
        }
    }
}

void
fmt_tcpdump_seg(struct strbuf *sb, const struct tcp_seg *seg, const struct fmt_rel *rel)
{
    fmt_tcpdump_endpoint(sb, &seg->saddr, seg->sport);
    sb_puts(sb, " > ");
    fmt_tcpdump_endpoint(sb, &seg->daddr, seg->dport);
    sb_puts(sb, ": Flags [");
    fmt_tcpdump_flags(sb, seg->flags);
    sb_putc(sb, ']');

    tcp_seq seq = seg->seq - (rel && rel->seq_known ? rel->seq_base : 0);
    if (seg->len > 0 || seg_has(seg, TCP_SYN | TCP_FIN | TCP_RST)) {
        sb_puts(sb, ", seq ");
        sb_putu(sb, seq);
        if (seg->len > 0) {
            sb_putc(sb, ':');
            sb_putu(sb, (uint32_t)(seq + seg->len));
        }
    }
    if (seg_has(seg, TCP_ACK)) {
        sb_puts(sb, ", ack ");
        sb_putu(sb, (uint32_t)(seg->ack - (rel && rel->ack_known ? rel->ack_base : 0)));
    }
    sb_puts(sb, ", win ");
    sb_putu(sb, seg->win);
    if (seg_has(seg, TCP_URG)) {
        sb_puts(sb, ", urg ");
        sb_putu(sb, seg->urp);
    }
    if (seg->opt.n) {
        sb_puts(sb, ", options [");
        fmt_tcpdump_opts(sb, &seg->opt, rel);
        sb_putc(sb, ']');
    }
    sb_puts(sb, ", length ");
    sb_putu(sb, seg->len);
}
