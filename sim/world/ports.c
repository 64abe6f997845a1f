/* SPDX-License-Identifier: MIT */
/*
 * ports.c: binding connections and listeners to ports.
 *
 * Entry points: host_connect(), host_listen().
 *
 * Ephemeral ports follow Linux's __inet_hash_connect(): the search starts at an offset
 * derived from a keyed hash of the destination plus a per-destination perturbation that
 * advances after each success, tries even ports first (odd ones are left for bind()),
 * and accepts a port already used towards *other* destinations: only the 4-tuple must
 * be unique. A 4-tuple held by a TIME_WAIT connection can be taken over when
 * tcp_tw_reuse allows it (tcp_twsk_unique()); otherwise the port is skipped, and when
 * none is left connect() fails with EADDRNOTAVAIL.
 *
 * A failed search is remembered per destination (port_memo) until a tuple or a port is
 * given up anywhere on the host (host_detach() bumps port_gen): until then, new
 * connections and listeners can only take more ports, so the next connect() to that
 * destination fails at once instead of scanning the range again (ten million connects
 * after the ports ran out took a scan each). Where tcp_tw_reuse applies to the
 * destination, a TIME_WAIT connection can lend its tuple without giving anything up, so
 * the memo holds only while the host has no connection in TIME_WAIT; otherwise that
 * search runs every time, as on Linux.
 */
#include <errno.h>

#include "world.h"

static uint64_t
dest_hash(const struct host *h, struct tcpsim_addr raddr, uint16_t rport)
{
    struct tcpsim_addr laddr = host_src(h, &raddr);
    uint64_t s = h->port_key ^ ip_pair_key(&laddr, &raddr) ^ ((uint64_t)rport << 17);
    return rng_splitmix64(&s);
}

static struct tcp_tcb *
conn_lookup(struct host *h, uint16_t lport, struct tcpsim_addr raddr, uint16_t rport)
{
    struct trace_sock key = {
        .laddr = host_src(h, &raddr), .lport = lport, .raddr = raddr, .rport = rport};
    return g_hash_table_lookup(h->conns, &key);
}

/* Linux: tcp_twsk_unique(). A TIME_WAIT connection may give its tuple to a new
 * connect() when tcp_tw_reuse is 1 (or 2 and the connection is on loopback), the old
 * connection used timestamps, and a second has passed since its last timestamp: the
 * new connection's timestamps then prove its segments newer (RFC 6191 §2). */
static bool
tw_reusable(const struct host *h, const struct tcp_tcb *tw)
{
    int64_t reuse = h->tcp.sysctl.tcp_tw_reuse;
    bool loopback = host_owns(h, tw->id.raddr);
    if (tw->state != TCP_TIME_WAIT || reuse == 0 || (reuse == 2 && !loopback)) {
        return false;
    }
    return tw->ts_ok && h->tcp.q->now - tw->ts_recent_at >= SEC(1);
}

/* Can `lport` carry a connection to raddr:rport? Takes over a reusable TIME_WAIT. */
static bool
tuple_free(struct host *h, struct tcp_tcb *tcb, uint16_t lport, struct tcpsim_addr raddr, uint16_t rport)
{
    if (g_hash_table_contains(h->listeners, GUINT_TO_POINTER(lport))) {
        return false; /* bound by a listener: connect() never borrows it */
    }
    struct tcp_tcb *old = conn_lookup(h, lport, raddr, rport);
    if (old == NULL) {
        return true;
    }
    if (!tw_reusable(h, old)) {
        return false;
    }
    tcp_tw_takeover(old, tcb);
    return true;
}

static bool
tw_reuse_applies(const struct host *h, struct tcpsim_addr raddr)
{
    int64_t reuse = h->tcp.sysctl.tcp_tw_reuse;
    return reuse == 1 || (reuse == 2 && host_owns(h, raddr));
}

static int
pick_port(struct host *h, struct tcp_tcb *tcb, struct tcpsim_addr raddr, uint16_t rport, uint16_t *out)
{
    const int64_t *range = h->tcp.sysctl.ip_local_port_range;
    uint32_t low = (uint32_t)range[0];
    uint32_t remaining = (uint32_t)(range[1] - range[0] + 1);
    uint64_t hash = dest_hash(h, raddr, rport);
    struct port_memo *memo = &h->port_memo[hash % PORT_MEMO_SIZE];
    bool memo_ok = !tw_reuse_applies(h, raddr) || h->tcp.time_wait == 0;
    if (memo_ok && memo->gen == h->port_gen && ip_eq(&memo->raddr, &raddr) &&
        memo->rport == rport && memo->low == range[0] && memo->high == range[1]) {
        return -EADDRNOTAVAIL; /* nothing given up since every port was found taken */
    }
    uint32_t *perturb = &h->perturb[hash % PORT_PERTURB_SIZE];
    uint32_t offset = (uint32_t)((*perturb + (hash >> 16)) % remaining) & ~1u;
    for (int parity = 0; parity < 2; parity++, offset++) {
        for (uint32_t i = 0; i < remaining; i += 2) {
            uint32_t port = low + (offset + i) % remaining;
            if (tuple_free(h, tcb, (uint16_t)port, raddr, rport)) {
                *perturb += i + 2;
                *out = (uint16_t)port;
                return 0;
            }
        }
        if (remaining < 2) {
            break;
        }
    }
    if (memo_ok) {
        *memo = (struct port_memo){.gen = h->port_gen, .raddr = raddr, .rport = rport,
                                   .low = range[0], .high = range[1]};
    }
    return -EADDRNOTAVAIL;
}

int
host_connect(struct host *h, struct tcp_tcb *tcb, struct tcpsim_addr raddr, uint16_t rport, uint16_t lport)
{
    if (h->down) {
        return -ENETUNREACH;
    }
    struct tcpsim_addr laddr = host_src(h, &raddr);
    if (ip_is_none(&laddr)) {
        return -ENETUNREACH; /* no address of the destination's family */
    }
    if (lport == 0) {
        int r = pick_port(h, tcb, raddr, rport, &lport);
        if (r < 0) {
            return r;
        }
    } else if (!tuple_free(h, tcb, lport, raddr, rport)) {
        return g_hash_table_contains(h->listeners, GUINT_TO_POINTER(lport)) ? -EADDRINUSE
                                                                            : -EADDRNOTAVAIL;
    }
    tcb->id.laddr = laddr;
    tcb->id.lport = lport;
    tcb->id.raddr = raddr;
    tcb->id.rport = rport;
    g_hash_table_insert(h->conns, &tcb->id, tcb);
    return tcp_user_connect(tcb, laddr, lport, raddr, rport);
}

int
host_listen(struct host *h, struct tcp_tcb *tcb, uint16_t port, int backlog)
{
    if (tcb->state == TCP_LISTEN) {
        return tcp_user_listen(tcb, h->addr, port, backlog); /* a new backlog */
    }
    if (g_hash_table_contains(h->listeners, GUINT_TO_POINTER(port))) {
        return -EADDRINUSE;
    }
    int r = tcp_user_listen(tcb, h->addr, port, backlog);
    if (r == 0) {
        g_hash_table_insert(h->listeners, GUINT_TO_POINTER(port), tcb);
    }
    return r;
}
