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

void
rconn_free(struct rconn *k)
{
    if (k != NULL) {
        g_array_free(k->idx, TRUE);
        g_free(k);
    }
}

GPtrArray *
rconn_find(const struct rcap *c, const char *as, GError **error)
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
        const struct dseg *s = &g_array_index(c->segs, struct rseg, i).s;
        struct rconn *k = NULL;
        for (guint j = open->len; j-- > 0;) {
            struct rconn *o = g_ptr_array_index(open, j);
            if (same_tuple(o, s)) {
                k = o;
                break;
            }
        }
        bool syn = (s->flags & DF_SYN) && !(s->flags & DF_ACK);
        if (syn && k != NULL) {
            bool from_initiator = k->active ? rconn_outbound(k, s) : !rconn_outbound(k, s);
            uint32_t isn = k->active ? k->l_isn : k->r_isn;
            if (!from_initiator || s->seq != isn) {
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
    }
    g_ptr_array_free(open, TRUE);
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
