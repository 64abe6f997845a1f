/* SPDX-License-Identifier: MIT */
/*
 * pkt_fmt.c: segments in the script's own notation, for reports and verbose runs.
 *
 * Entry points: pkt_fmt_packet() (a script line's segment), pkt_fmt_actual() (a segment
 * the stack sent, already mapped into script numbers), pkt_fmt_opts(), pkt_fmt_time().
 * The output reads back as a script line: "P. 1:1001(1000) ack 1 win 502
 * <nop,nop,TS val 100 ecr 200>", as packetdrill prints its script and actual packets.
 */
#include "pkt_run.h"

static void
fmt_flags(GString *out, uint16_t f)
{
    size_t before = out->len;
    static const struct {
        uint16_t bit;
        char c;
    } letters[] = {
        {TCP_FIN, 'F'}, {TCP_SYN, 'S'}, {TCP_RST, 'R'}, {TCP_PSH, 'P'},
        {TCP_ACK, '.'}, {TCP_URG, 'U'}, {TCP_ECE, 'E'}, {TCP_CWR, 'W'},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(letters); i++) {
        if (f & letters[i].bit) {
            g_string_append_c(out, letters[i].c);
        }
    }
    if (out->len == before) {
        g_string_append_c(out, '-');
    }
}

void
pkt_fmt_opts(GString *out, const struct tcp_opts *o)
{
    g_string_append_c(out, '<');
    for (uint8_t i = 0; i < o->n; i++) {
        if (i > 0) {
            g_string_append_c(out, ',');
        }
        switch (o->kind[i]) {
        case TCPOPT_EOL:
            g_string_append(out, "eol");
            break;
        case TCPOPT_NOP:
            g_string_append(out, "nop");
            break;
        case TCPOPT_MSS:
            g_string_append_printf(out, "mss %u", o->mss);
            break;
        case TCPOPT_WSCALE:
            g_string_append_printf(out, "wscale %u", o->wscale);
            break;
        case TCPOPT_SACK_PERM:
            g_string_append(out, "sackOK");
            break;
        case TCPOPT_SACK:
            g_string_append(out, "sack");
            for (uint8_t b = 0; b < o->nsack; b++) {
                g_string_append_printf(out, " %u:%u", o->sack[b].start, o->sack[b].end);
            }
            break;
        case TCPOPT_TS:
            g_string_append_printf(out, "TS val %u ecr %u", o->ts_val, o->ts_ecr);
            break;
        default:
            g_string_append_printf(out, "unknown-%u", o->kind[i]);
            break;
        }
    }
    g_string_append_c(out, '>');
}

void
pkt_fmt_packet(GString *out, const struct pkt_packet *p)
{
    fmt_flags(out, p->flags);
    if (p->seq_any) {
        g_string_append_printf(out, " ...(%u)", p->len);
    } else {
        g_string_append_printf(out, " %u:%u(%u)", p->seq, p->seq + p->len, p->len);
    }
    if (p->flags & TCP_ACK) {
        g_string_append_printf(out, " ack %u", p->ack);
    }
    if (p->win >= 0) {
        g_string_append_printf(out, " win %d", p->win);
    }
    if (p->has_urg) {
        g_string_append_printf(out, " urg %u", p->urg);
    }
    if (p->opts_any) {
        g_string_append(out, " <...>");
    } else if (p->opts.n > 0) {
        g_string_append_c(out, ' ');
        pkt_fmt_opts(out, &p->opts);
    }
}

void
pkt_fmt_actual(GString *out, const struct tcp_seg *s)
{
    fmt_flags(out, s->flags);
    g_string_append_printf(out, " %u:%u(%u)", s->seq, s->seq + s->len, s->len);
    if (s->flags & TCP_ACK) {
        g_string_append_printf(out, " ack %u", s->ack);
    }
    g_string_append_printf(out, " win %u", s->win);
    if (s->opt.n > 0) {
        g_string_append_c(out, ' ');
        pkt_fmt_opts(out, &s->opt);
    }
}

/* Seconds with six decimals, as packetdrill prints times (integer arithmetic). */
void
pkt_fmt_time(GString *out, sim_time t)
{
    if (t == SIM_TIME_NEVER) {
        g_string_append(out, "*");
        return;
    }
    int64_t us = t / 1000;
    g_string_append_printf(out, "%" G_GINT64_FORMAT ".%06" G_GINT64_FORMAT, us / 1000000,
                           us % 1000000);
}
