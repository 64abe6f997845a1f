/* SPDX-License-Identifier: MIT */
/*
 * rconn.c: the connections of a capture, each seen from its endpoint under test.
 *
 * Entry points: rconn_find(), rconn_free(), rconn_outbound(). Segments are grouped by
 * their 4-tuple; a SYN without ACK whose sequence number is new starts a new connection
 * on it (a retransmitted SYN keeps the old one). The endpoint under test is the side that
 * sent the first SYN, unless --as names an address (and port): then the side that has
 * it. A connection whose handshake is not in the capture cannot be replayed: the script
 * must begin with socket() and the SYN.
 *
 * Third parties. A capture shows what carried the endpoint's address, not what its stack
 * sent: a forger on the path (an injected RST, SYN or ACK) or a flood with spoofed
 * sources looks the same. A segment the endpoint cannot have sent is recognised by what
 * its own TCP would have had to do to send it (rconn_forged()), and left out of its
 * connection: it went to the peer, whose answers the script keeps. An endpoint's own
 *   - SYN comes once per connection: a SYN on a connection it has open is another's;
 *   - segments all carry a timestamp once both SYNs negotiated them, but for a RST
 *     (RFC 7323 §3.2), as its earlier ones show;
 *   - RST either answers the segment just before it (its seq that segment's ack) or
 *     is an abort, which carries the timestamp (Linux: tcp_send_active_reset(); FreeBSD:
 *     tcp_drop(); RFC 7323 §3.2);
 *   - ACK acknowledges only what the peer sent.
 * And a SYN whose sender never follows it up, neither answering the SYN-ACK (a TCP ACKs
 * it or, with no connection, resets it) nor sending anything but SYNs anywhere in the
 * capture, is not a connection: its source is spoofed (a SYN flood), and it is not
 * replayed (it is one of the flood the other side's replay would see).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay.h"

/* "192.0.2.2", "192.0.2.2:80" (or .80), "2001:db8::2", "[2001:db8::2]:80". */
static bool
parse_as(const char *as, struct tcpsim_addr *addr, uint16_t *port, bool *has_port)
{
    *has_port = false;
    if (tcpsim_addr_parse(as, addr)) {
        return true;
    }
    char text[TCPSIM_ADDR_STRLEN + 2];
    const char *sep = NULL;
    size_t n = 0;
    if (as[0] == '[') {
        const char *close = strchr(as, ']');
        if (close == NULL || close[1] != ':') {
            return false;
        }
        n = (size_t)(close - as - 1);
        if (n >= sizeof text) {
            return false;
        }
        memcpy(text, as + 1, n);
        sep = close + 1;
    } else {
        sep = strrchr(as, ':');
        const char *dot = strrchr(as, '.');
        sep = sep != NULL ? sep : dot;
        if (sep == NULL || (size_t)(sep - as) >= sizeof text) {
            return false;
        }
        n = (size_t)(sep - as);
        memcpy(text, as, n);
    }
    text[n] = '\0';
    char *end = NULL;
    unsigned long p = strtoul(sep + 1, &end, 10);
    if (!tcpsim_addr_parse(text, addr) || sep[1] == '\0' || *end != '\0' || p == 0 ||
        p > 65535) {
        return false;
    }
    *has_port = true;
    *port = (uint16_t)p;
    return true;
}

bool
rconn_outbound(const struct rconn *k, const struct dseg *s)
{
    return tcpsim_addr_equal(&s->saddr, &k->laddr) && s->sport == k->lport &&
           tcpsim_addr_equal(&s->daddr, &k->raddr) &&
           s->dport == k->rport;
}

static bool
same_tuple(const struct rconn *k, const struct dseg *s)
{
    return rconn_outbound(k, s) ||
           (tcpsim_addr_equal(&s->daddr, &k->laddr) && s->dport == k->lport &&
            tcpsim_addr_equal(&s->saddr, &k->raddr) && s->sport == k->rport);
}

static bool
is_reply_rst(const struct rconn *k, const struct capseg *r)
{
    return (r->s.flags & DF_RST) && k->last_in_has_ack && r->s.seq == k->last_in_ack &&
           r->at - k->last_in_at >= 0 && r->at - k->last_in_at <= RCONN_REPLY_NS;
}

const char *
rconn_forged(const struct rconn *k, const struct capseg *r)
{
    const struct dseg *s = &r->s;
    if (!rconn_outbound(k, s) || !k->synced || k->ended) {
        return NULL;
    }
    /* Timestamps negotiated, and the endpoint has been seen to use them. */
    bool ts = k->ts_l && k->ts_r && k->ts_used;
    if ((s->flags & DF_SYN) && !(s->flags & DF_ACK)) {
        return "a SYN on a connection its endpoint has open (a TCP sends one SYN per "
               "connection)";
    }
    if (ts && !s->has_ts && !(s->flags & DF_RST)) {
        return "no timestamp on a connection whose SYNs negotiated them (RFC 7323 §3.2: "
               "the endpoint puts one on every segment but a RST)";
    }
    if ((s->flags & DF_RST) && ts && !s->has_ts && !is_reply_rst(k, r)) {
        return "a RST that answers no segment (its seq is not the ack of the one just "
               "before) and lacks the timestamp the endpoint's own abort carries";
    }
    if ((s->flags & DF_ACK) && !(s->flags & DF_RST) && k->r_isn_known &&
        (int32_t)(s->ack - k->r_top) > 0) {
        return "it acknowledges data the peer never sent";
    }
    return NULL;
}

/* The bookkeeping rconn_forged() reads, after segment `r` joined `k`. */
static void
track(struct rconn *k, const struct capseg *r, bool out)
{
    const struct dseg *s = &r->s;
    if ((s->flags & DF_SYN) && out) {
        k->ts_l = s->has_ts;
    }
    if ((s->flags & DF_SYN) && !out) {
        k->ts_r = s->has_ts;
    }
    if (out && !(s->flags & (DF_SYN | DF_RST)) && s->has_ts) {
        k->ts_used = true;
    }
    if ((s->flags & DF_ACK) && !(s->flags & (DF_SYN | DF_RST)) && k->l_isn_known &&
        k->r_isn_known) {
        uint32_t isn = out ? k->r_isn : k->l_isn;
        if ((int32_t)(s->ack - isn) > 0) {
            k->synced = true;
        }
    }
    if (s->flags & DF_RST) {
        k->ended = k->synced;
    }
    if (s->flags & DF_FIN) {
        *(out ? &k->fin_l : &k->fin_r) = true;
        k->ended = k->ended || (k->fin_l && k->fin_r);
    }
    if (!out) {
        uint32_t top = s->seq + s->len + ((s->flags & DF_SYN) ? 1 : 0) +
                       ((s->flags & DF_FIN) ? 1 : 0);
        if ((s->flags & DF_SYN) || (int32_t)(top - k->r_top) > 0) {
            k->r_top = top;
        }
        k->last_in_at = r->at;
        k->last_in_ack = s->ack;
        k->last_in_has_ack = (s->flags & DF_ACK) != 0;
    }
}

/* The flood rule (see the top): a connection its initiator, the endpoint under test,
 * did not follow up. `talkers`: the addresses that sent anything but a SYN. */
static const char *
spoofed(const struct capture *c, const struct rconn *k, GHashTable *talkers)
{
    if (!k->active) {
        return NULL;
    }
    const struct capseg *syn = NULL, *synack = NULL;
    for (guint j = 0; j < k->idx->len; j++) {
        const struct capseg *r = &g_array_index(c->segs, struct capseg, g_array_index(k->idx, guint, j));
        if (rconn_outbound(k, &r->s)) {
            if (syn != NULL) {
                return NULL; /* it sent more than its SYN */
            }
            syn = r;
        } else if ((r->s.flags & (DF_SYN | DF_ACK)) == (DF_SYN | DF_ACK) && synack == NULL) {
            synack = r;
        }
    }
    const struct capseg *last = &g_array_index(c->segs, struct capseg, c->segs->len - 1);
    char a[TCPSIM_ADDR_STRLEN];
    tcpsim_addr_format(&k->laddr, a);
    /* A SYN-ACK is answered at once, a SYN retransmitted after the initial RTO (1 s,
     * RFC 6298 §2.1): the capture must run on past that to tell. */
    if (synack != NULL && last->at - synack->at >= 1000000000LL) {
        return "its sender never answered the SYN-ACK (a TCP acknowledges it, or resets it "
               "when it has no such connection): a spoofed source";
    }
    if (synack == NULL && syn != NULL && last->at - syn->at >= 1000000000LL &&
        !g_hash_table_contains(talkers, a)) {
        return "its sender never sent it again, nor anything but SYNs anywhere in the "
               "capture: a spoofed source";
    }
    return NULL;
}

void
rconn_free(struct rconn *k)
{
    if (k != NULL) {
        g_array_free(k->idx, TRUE);
        g_array_free(k->forged, TRUE);
        g_ptr_array_free(k->forged_why, TRUE);
        g_free(k);
    }
}

GPtrArray *
rconn_find(const struct capture *c, const char *as, GError **error)
{
    struct tcpsim_addr as_addr = {0};
    uint16_t as_port = 0;
    bool as_has_port = false;
    if (as != NULL && !parse_as(as, &as_addr, &as_port, &as_has_port)) {
        g_set_error(error, TCPSIM_REPLAY_ERROR, TCPSIM_REPLAY_ERROR_OPTION,
                    "--as %s: expected an address (192.0.2.2, 2001:db8::2), or ADDR:PORT "
                    "([2001:db8::2]:80)", as);
        return NULL;
    }
    GPtrArray *all = g_ptr_array_new_with_free_func((GDestroyNotify)rconn_free);
    GPtrArray *open = g_ptr_array_new(); /* the latest connection of each tuple */
    guint headless = 0;
    for (guint i = 0; i < c->segs->len; i++) {
        const struct dseg *s = &g_array_index(c->segs, struct capseg, i).s;
        struct rconn *k = NULL;
        for (guint j = open->len; j-- > 0;) {
            struct rconn *o = g_ptr_array_index(open, j);
            if (same_tuple(o, s)) {
                k = o;
                break;
            }
        }
        bool syn = (s->flags & DF_SYN) && !(s->flags & DF_ACK);
        if (syn && k != NULL && k->synced && !k->ended) {
            /* A SYN on an open connection is a segment of it (a forged one, or the
             * other side's, which the endpoint under test answers). */
        } else if (syn && k != NULL) {
            bool from_initiator = k->active ? rconn_outbound(k, s) : !rconn_outbound(k, s);
            uint32_t isn = k->active ? k->l_isn : k->r_isn;
            bool responder_known = k->active ? k->r_isn_known : k->l_isn_known;
            if (!from_initiator && !responder_known && !k->synced) {
                /* The other side's SYN while the first is unanswered: a simultaneous
                 * open (RFC 9293 §3.5, figure 8), one connection. */
            } else if (!from_initiator || s->seq != isn || k->ended) {
                /* (the same ISN after the connection ended: a new one that reuses it) */
                g_ptr_array_remove(open, k);
                k = NULL; /* a new connection on the same tuple */
            }
        }
        if (k == NULL) {
            if (!syn) {
                headless++;
                continue;
            }
            k = g_new0(struct rconn, 1);
            k->idx = g_array_new(FALSE, FALSE, sizeof(guint));
            k->forged = g_array_new(FALSE, FALSE, sizeof(guint));
            k->forged_why = g_ptr_array_new();
            /* The initiator is local unless --as names the other side. */
            bool initiator_local = true;
            if (as != NULL) {
                bool dst = tcpsim_addr_equal(&s->daddr, &as_addr) && (!as_has_port || s->dport == as_port);
                initiator_local = !dst; /* neither side named: dropped at the end */
            }
            k->active = initiator_local;
            k->laddr = initiator_local ? s->saddr : s->daddr;
            k->lport = initiator_local ? s->sport : s->dport;
            k->raddr = initiator_local ? s->daddr : s->saddr;
            k->rport = initiator_local ? s->dport : s->sport;
            if (initiator_local) {
                k->l_isn_known = true;
                k->l_isn = s->seq;
            } else {
                k->r_isn_known = true;
                k->r_isn = s->seq;
            }
            g_ptr_array_add(all, k);
            g_ptr_array_add(open, k);
        }
        bool out = rconn_outbound(k, s);
        const struct capseg *rs = &g_array_index(c->segs, struct capseg, i);
        const char *why = rconn_forged(k, rs);
        if (why != NULL) {
            g_array_append_val(k->forged, i);
            g_ptr_array_add(k->forged_why, (gpointer)why);
            continue;
        }
        if ((s->flags & DF_SYN) && out && !k->l_isn_known) {
            k->l_isn_known = true;
            k->l_isn = s->seq;
        }
        if ((s->flags & DF_SYN) && !out && !k->r_isn_known) {
            k->r_isn_known = true;
            k->r_isn = s->seq;
        }
        if (!out && !k->r_isn_known && (s->flags & DF_RST)) {
            /* refused: the RST's own number stands for the peer's ISN */
            k->r_isn_known = true;
            k->r_isn = s->seq;
        }
        g_array_append_val(k->idx, i);
        track(k, rs, out);
    }
    g_ptr_array_free(open, TRUE);
    GHashTable *talkers = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (guint i = 0; i < c->segs->len; i++) {
        const struct dseg *s = &g_array_index(c->segs, struct capseg, i).s;
        if (!(s->flags & DF_SYN) || (s->flags & DF_ACK)) {
            char a[TCPSIM_ADDR_STRLEN];
            tcpsim_addr_format(&s->saddr, a);
            g_hash_table_add(talkers, g_strdup(a));
        }
    }
    for (guint j = 0; j < all->len; j++) {
        struct rconn *k = g_ptr_array_index(all, j);
        k->spoofed = spoofed(c, k, talkers);
    }
    g_hash_table_destroy(talkers);
    /* Drop the connections --as does not name. */
    if (as != NULL) {
        for (guint j = all->len; j-- > 0;) {
            const struct rconn *k = g_ptr_array_index(all, j);
            bool named = (tcpsim_addr_equal(&k->laddr, &as_addr) && (!as_has_port || k->lport == as_port));
            if (!named) {
                g_ptr_array_remove_index(all, j);
            }
        }
    }
    if (all->len == 0) {
        g_set_error(error, TCPSIM_REPLAY_ERROR, TCPSIM_REPLAY_ERROR_INPUT,
                    "%s: no connection to replay%s%s (%u segments of connections whose "
                    "SYN is not in the capture)", c->name, as ? " for --as " : "",
                    as ? as : "", headless);
        g_ptr_array_free(all, TRUE);
        return NULL;
    }
    return all;
}
