/* SPDX-License-Identifier: MIT */
/*
 * pkt_parse_packet.c: one `<` or `>` segment of a packetdrill script.
 *
 * Entry point: pkt_parse_packet(), after the direction token:
 *
 *   packet  := flags seq [ack N] [win N] [urg N] [<options> | <...>]
 *   flags   := letters from "FSRPUEW" [.] | . | -        (- is no flag at all)
 *   seq     := start:end(len)
 *   option  := nop | eol | mss N | wscale N | sackOK | sack a:b ... | TS val N ecr N
 *
 * What packetdrill can say and tcpsim cannot model (IP header fields such as [ect0] or
 * (tos 0x10), explicit ports, UDP and ICMP, Fast Open and MD5 options, fuzzing) is an
 * "unsupported" error naming the construct.
 */
#include <string.h>

#include "pkt_ast.h"

static gboolean
unsupported_here(struct pkt_parser *ps, const char *what, GError **error)
{
    pkt_unsupported(error, ps->file, ps->tok.loc, "%s", what);
    return FALSE;
}

static gboolean
parse_flags(struct pkt_parser *ps, struct pkt_packet *p, GError **error)
{
    struct pkt_tok *t = &ps->tok;
    if (pkt_tok_is(t, '-')) {
        p->flags = 0;
        return pkt_parser_advance(ps, error);
    }
    if (pkt_tok_is(t, '.')) {
        p->flags = TCP_ACK;
        return pkt_parser_advance(ps, error);
    }
    if (t->kind != PKT_T_WORD) {
        pkt_error(error, ps->file, t->loc, "expected TCP flags (S, S., P., F., R, ., -)");
        return FALSE;
    }
    if (pkt_tok_word(t, "udp") || pkt_tok_word(t, "icmp") || pkt_tok_word(t, "UDP") ||
        pkt_tok_word(t, "ICMP")) {
        return unsupported_here(ps, "UDP and ICMP packets (tcpsim models TCP only)", error);
    }
    if (pkt_tok_word(t, "ipv4") || pkt_tok_word(t, "ipv6") || pkt_tok_word(t, "gre") ||
        pkt_tok_word(t, "mpls")) {
        return unsupported_here(ps, "explicit IP/GRE/MPLS headers in a packet", error);
    }
    uint16_t flags = 0;
    for (const char *c = t->text; *c; c++) {
        uint16_t f = 0;
        switch (*c) {
        case 'F': f = TCP_FIN; break;
        case 'S': f = TCP_SYN; break;
        case 'R': f = TCP_RST; break;
        case 'P': f = TCP_PSH; break;
        case 'U': f = TCP_URG; break;
        case 'E': f = TCP_ECE; break;
        case 'W': f = TCP_CWR; break;
        default:
            pkt_error(error, ps->file, t->loc, "unknown TCP flag '%c' in \"%s\"", *c, t->text);
            return FALSE;
        }
        if (flags & f) {
            pkt_error(error, ps->file, t->loc, "TCP flag '%c' twice in \"%s\"", *c, t->text);
            return FALSE;
        }
        flags |= f;
    }
    if (!pkt_parser_advance(ps, error)) {
        return FALSE;
    }
    if (pkt_tok_is(t, '.')) {
        flags |= TCP_ACK;
        if (!pkt_parser_advance(ps, error)) {
            return FALSE;
        }
    }
    p->flags = flags;
    return TRUE;
}

static gboolean
parse_seq(struct pkt_parser *ps, struct pkt_packet *p, GError **error)
{
    struct pkt_loc loc = ps->tok.loc;
    uint64_t start = 0;
    uint64_t end = 0;
    uint64_t len = 0;
    if (ps->tok.kind == PKT_T_ELLIPSIS) {
        /* nplab's packetdrill: "...(len)" leaves an outbound segment's sequence number
         * unchecked (its parser.y, `ignore`). */
        if (p->inbound) {
            pkt_error(error, ps->file, loc, "\"...(len)\" stands only for an outbound "
                      "segment's sequence numbers; an inbound one needs start:end(len)");
            return FALSE;
        }
        if (!pkt_parser_advance(ps, error) ||
            !pkt_expect_punct(ps, '(', "in ...(len)", error) ||
            !pkt_parse_uint(ps, 65535, "the payload length", &len, error) ||
            !pkt_expect_punct(ps, ')', "in ...(len)", error)) {
            return FALSE;
        }
        p->seq_any = true;
        p->seq = 0;
        p->len = (uint32_t)len;
        return TRUE;
    }
    if (!pkt_parse_uint(ps, UINT32_MAX, "the start sequence number", &start, error) ||
        !pkt_expect_punct(ps, ':', "in start:end(len)", error) ||
        !pkt_parse_uint(ps, UINT32_MAX, "the end sequence number", &end, error) ||
        !pkt_expect_punct(ps, '(', "in start:end(len)", error) ||
        !pkt_parse_uint(ps, 65535, "the payload length", &len, error) ||
        !pkt_expect_punct(ps, ')', "in start:end(len)", error)) {
        return FALSE;
    }
    if ((uint32_t)(start + len) != (uint32_t)end) {
        pkt_error(error, ps->file, loc,
                  "inconsistent TCP sequence numbers and payload size: %" G_GUINT64_FORMAT
                  ":%" G_GUINT64_FORMAT "(%" G_GUINT64_FORMAT ")", start, end, len);
        return FALSE;
    }
    p->seq = (tcp_seq)start;
    p->len = (uint32_t)len;
    return TRUE;
}

static gboolean
push(struct pkt_parser *ps, struct tcp_opts *o, enum tcp_opt_kind k, struct pkt_loc loc,
     GError **error)
{
    if (k == TCPOPT_SACK && tcp_opts_has(o, TCPOPT_SACK)) {
        pkt_unsupported(error, ps->file, loc, "two SACK options in one segment");
        return FALSE;
    }
    if (!tcp_opts_push(o, k) || tcp_opts_wire_len(o) > 40) {
        pkt_error(error, ps->file, loc, "TCP option list too long (over 40 bytes)");
        return FALSE;
    }
    return TRUE;
}

static gboolean
parse_sack_blocks(struct pkt_parser *ps, struct tcp_opts *o, GError **error)
{
    struct pkt_loc loc = ps->tok.loc;
    while (ps->tok.kind == PKT_T_INT) {
        uint64_t l = 0;
        uint64_t r = 0;
        if (o->nsack == TCP_SACK_MAX) {
            pkt_error(error, ps->file, ps->tok.loc, "more than %d SACK blocks", TCP_SACK_MAX);
            return FALSE;
        }
        if (!pkt_parse_uint(ps, UINT32_MAX, "a SACK block's left edge", &l, error) ||
            !pkt_expect_punct(ps, ':', "in a SACK block left:right", error) ||
            !pkt_parse_uint(ps, UINT32_MAX, "a SACK block's right edge", &r, error)) {
            return FALSE;
        }
        o->sack[o->nsack].start = (tcp_seq)l;
        o->sack[o->nsack].end = (tcp_seq)r;
        o->nsack++;
    }
    if (o->nsack == 0) {
        pkt_error(error, ps->file, loc, "sack needs at least one block left:right");
        return FALSE;
    }
    return TRUE;
}

/* One option of a <...> list. */
static gboolean
parse_option(struct pkt_parser *ps, struct tcp_opts *o, GError **error)
{
    struct pkt_tok *t = &ps->tok;
    struct pkt_loc loc = t->loc;
    uint64_t v = 0;
    if (t->kind != PKT_T_WORD) {
        pkt_error(error, ps->file, loc, "expected a TCP option (nop, mss, wscale, sackOK, sack, "
                  "TS, eol)");
        return FALSE;
    }
    g_autofree char *name = g_strdup(t->text);
    if (!pkt_parser_advance(ps, error)) {
        return FALSE;
    }
    if (strcmp(name, "nop") == 0) {
        return push(ps, o, TCPOPT_NOP, loc, error);
    }
    if (strcmp(name, "eol") == 0) {
        return push(ps, o, TCPOPT_EOL, loc, error);
    }
    if (strcmp(name, "sackOK") == 0) {
        return push(ps, o, TCPOPT_SACK_PERM, loc, error);
    }
    if (strcmp(name, "mss") == 0) {
        if (!pkt_parse_uint(ps, 65535, "the mss value", &v, error)) {
            return FALSE;
        }
        o->mss = (uint16_t)v;
        return push(ps, o, TCPOPT_MSS, loc, error);
    }
    if (strcmp(name, "wscale") == 0) {
        if (!pkt_parse_uint(ps, 255, "the window scale shift count", &v, error)) {
            return FALSE;
        }
        o->wscale = (uint8_t)v;
        return push(ps, o, TCPOPT_WSCALE, loc, error);
    }
    if (strcmp(name, "sack") == 0) {
        return parse_sack_blocks(ps, o, error) && push(ps, o, TCPOPT_SACK, loc, error);
    }
    if (strcmp(name, "TS") == 0) {
        uint64_t val = 0;
        uint64_t ecr = 0;
        if (!pkt_tok_word(t, "val")) {
            pkt_error(error, ps->file, t->loc, "expected \"val\" after TS");
            return FALSE;
        }
        if (!pkt_parser_advance(ps, error) ||
            !pkt_parse_uint(ps, UINT32_MAX, "the TS val", &val, error)) {
            return FALSE;
        }
        if (!pkt_tok_word(t, "ecr")) {
            pkt_error(error, ps->file, t->loc, "expected \"ecr\" after TS val N");
            return FALSE;
        }
        if (!pkt_parser_advance(ps, error) ||
            !pkt_parse_uint(ps, UINT32_MAX, "the TS ecr", &ecr, error)) {
            return FALSE;
        }
        o->ts_val = (uint32_t)val;
        o->ts_ecr = (uint32_t)ecr;
        return push(ps, o, TCPOPT_TS, loc, error);
    }
    if (strcmp(name, "FO") == 0 || strcmp(name, "FOEXP") == 0) {
        pkt_unsupported(error, ps->file, loc, "TCP Fast Open option (RFC 7413 is not modelled)");
        return FALSE;
    }
    if (strcmp(name, "md5") == 0) {
        pkt_unsupported(error, ps->file, loc, "TCP MD5 signature option (RFC 2385)");
        return FALSE;
    }
    if (strcmp(name, "mp_capable") == 0 || strncmp(name, "mp_", 3) == 0 ||
        strcmp(name, "dss") == 0 || strcmp(name, "add_address") == 0) {
        pkt_unsupported(error, ps->file, loc, "MPTCP option %s", name);
        return FALSE;
    }
    pkt_error(error, ps->file, loc, "unknown TCP option \"%s\"", name);
    return FALSE;
}

static gboolean
parse_options(struct pkt_parser *ps, struct pkt_packet *p, GError **error)
{
    struct pkt_loc loc = ps->tok.loc;
    if (!pkt_parser_advance(ps, error)) { /* '<' */
        return FALSE;
    }
    if (ps->tok.kind == PKT_T_ELLIPSIS) {
        if (p->inbound) {
            pkt_error(error, ps->file, loc,
                      "<...> for TCP options can only be used with outbound packets");
            return FALSE;
        }
        p->opts_any = true;
        return pkt_parser_advance(ps, error) && pkt_expect_punct(ps, '>', "after <...", error);
    }
    for (;;) {
        if (!parse_option(ps, &p->opts, error)) {
            return FALSE;
        }
        if (pkt_tok_is(&ps->tok, '>')) {
            return pkt_parser_advance(ps, error);
        }
        if (!pkt_expect_punct(ps, ',', "between TCP options", error)) {
            return FALSE;
        }
    }
}

/* ack N, win N, urg N in any order, each at most once. */
static gboolean
parse_fields(struct pkt_parser *ps, struct pkt_packet *p, GError **error)
{
    bool win_seen = false;
    for (;;) {
        struct pkt_tok *t = &ps->tok;
        uint64_t v = 0;
        if (pkt_tok_word(t, "ack") && !p->has_ack) {
            if (!pkt_parser_advance(ps, error) ||
                !pkt_parse_uint(ps, UINT32_MAX, "the ack number", &v, error)) {
                return FALSE;
            }
            p->has_ack = true;
            p->ack = (tcp_seq)v;
        } else if (pkt_tok_word(t, "win") && !win_seen) {
            if (!pkt_parser_advance(ps, error) ||
                !pkt_parse_uint(ps, 65535, "the window", &v, error)) {
                return FALSE;
            }
            win_seen = true;
            p->win = (int32_t)v;
        } else if (pkt_tok_word(t, "urg") && !p->has_urg) {
            if (!pkt_parser_advance(ps, error) ||
                !pkt_parse_uint(ps, 65535, "the urgent pointer", &v, error)) {
                return FALSE;
            }
            p->has_urg = true;
            p->urg = (uint16_t)v;
        } else {
            return TRUE;
        }
    }
}

gboolean
pkt_parse_packet(struct pkt_parser *ps, bool inbound, struct pkt_packet *p, GError **error)
{
    p->inbound = inbound;
    p->win = -1;
    struct pkt_tok *t = &ps->tok;
    if (pkt_tok_is(t, '[') || pkt_tok_is(t, '(')) {
        return unsupported_here(ps, "IP header fields in a packet ([ect0], (tos ...), ttl, "
                                "flowlabel: tcpsim does not model ECN or the IP header)", error);
    }
    if (t->kind == PKT_T_INT) {
        return unsupported_here(ps, "explicit ports in a packet (src>dst)", error);
    }
    struct pkt_loc loc = t->loc;
    if (!parse_flags(ps, p, error) || !parse_seq(ps, p, error) || !parse_fields(ps, p, error)) {
        return FALSE;
    }
    if (inbound && p->win < 0) {
        pkt_error(error, ps->file, loc, "window must be specified for inbound packets");
        return FALSE;
    }
    if (pkt_tok_is(t, '<')) {
        if (!parse_options(ps, p, error)) {
            return FALSE;
        }
    }
    if (pkt_tok_is(t, '{')) {
        return unsupported_here(ps, "packet fuzzing directives {mutate ...}", error);
    }
    return TRUE;
}
