/* SPDX-License-Identifier: MIT */
/*
 * flood.c: a SYN flood from spoofed sources, as hping3 --flood -S sends it.
 *
 * Entry point: tcpsim_flood(). SYNs go out over one link direction at a fixed rate for a
 * fixed time, each from a random address of a prefix (by default 198.51.100.0/24,
 * TEST-NET-2, addresses that exist nowhere) and a random port, with a random ISN and no
 * options. The listener answers each with a SYN-ACK that nobody will ever acknowledge,
 * so every SYN that finds room in the SYN queue holds a half-open connection until its
 * SYN-ACK retries run out (RFC 4987 §2). The sources, ports and ISNs come from the
 * flood's own PRNG stream.
 */
#include <tcpsim/units.h>

#include "../engine/u128.h"
#include "world.h"

struct flood {
    struct tcpsim_sim *sim;
    struct link_dir *dir;
    struct ev tick;
    struct rng rng;
    struct tcpsim_addr daddr;
    uint16_t dport;
    uint32_t prefix;
    uint32_t host_mask; /* bits of the address chosen at random */
    uint64_t rate;      /* SYNs per second */
    uint64_t total;
    uint64_t sent;
    sim_time start;
};

/* The k-th SYN's time, exact in integer nanoseconds: no drift over a long flood. */
static sim_time
due(const struct flood *f, uint64_t k)
{
    u128 t = u128_divmod64(u128_mul64(k, 1000000000u), f->rate, NULL);
    return u128_fits64(t) && t.lo <= (uint64_t)INT64_MAX ? sim_time_add(f->start, (sim_time)t.lo)
                                                          : SIM_TIME_NEVER;
}

static void
send_one(struct flood *f)
{
    uint32_t host = (uint32_t)rng_next(&f->rng) & f->host_mask;
    if (f->host_mask > 1 && (host == 0 || host == f->host_mask)) {
        host = 1; /* not the network's own address, not its broadcast */
    }
    struct tcpsim_addr src = ip_v4(f->prefix | host);
    if (ip_is6(&f->daddr)) {
        /* An IPv6 target: the same forged IPv4 sources, embedded in the well-known
         * prefix 64:ff9b::/96 (RFC 6052 §2.1), so both families draw the same numbers. */
        struct tcpsim_addr v6 = {.family = TCPSIM_AF_INET6, .b = {0x00, 0x64, 0xff, 0x9b}};
        memcpy(v6.b + 12, src.b, 4);
        src = v6;
    }
    struct tcp_seg seg = {
        .saddr = src,
        .daddr = f->daddr,
        .sport = (uint16_t)(1024 + rng_below(&f->rng, 65536 - 1024)),
        .dport = f->dport,
        .seq = (tcp_seq)rng_next(&f->rng),
        .flags = TCP_SYN,
        .win = 512,
        .data_off = TCP_DATA_OFF_NONE,
        .tx_cause = TCP_TX_FORGED,
    };
    link_send(f->dir, &seg);
}

static void
tick_fired(struct ev *ev)
{
    struct flood *f = container_of(ev, struct flood, tick);
    struct ev_queue *q = &f->sim->q;
    while (f->sent < f->total && due(f, f->sent) <= q->now) {
        send_one(f);
        f->sent++;
    }
    if (f->sent < f->total) {
        ev_schedule(q, &f->tick, due(f, f->sent));
    }
}

void
flood_free(gpointer p)
{
    g_free(p);
}

gboolean
tcpsim_flood(struct tcpsim_sim *sim, int from, int to, uint16_t port, uint64_t rate,
             sim_time duration, uint32_t prefix, int prefix_len)
{
    struct link_dir *d = world_link(sim, from, to);
    g_return_val_if_fail(d != NULL && from != to, FALSE);
    g_return_val_if_fail(rate > 0 && rate <= 1000000000u && duration >= 0, FALSE);
    g_return_val_if_fail(prefix_len >= 0 && prefix_len <= 32, FALSE);
    struct flood *f = g_new0(struct flood, 1);
    f->sim = sim;
    f->dir = d;
    f->daddr = sim->hosts[to]->addr;
    f->dport = port;
    f->host_mask = prefix_len == 0 ? UINT32_MAX : prefix_len == 32 ? 0 : (1u << (32 - prefix_len)) - 1;
    f->prefix = prefix & ~f->host_mask;
    f->rate = rate;
    uint64_t whole = (uint64_t)duration / 1000000000u;
    uint64_t part = (uint64_t)duration % 1000000000u;
    f->total = whole * rate + part * rate / 1000000000u; /* no overflow below 2^64 SYNs */
    f->start = sim->q.now;
    g_autofree char *purpose = g_strdup_printf("flood %u %s->%s", sim->floods->len,
                                               sim->hosts[from]->name, sim->hosts[to]->name);
    rng_init(&f->rng, sim->seed, purpose);
    ev_init(&f->tick, tick_fired);
    g_ptr_array_add(sim->floods, f);
    struct tcpsim_addr net = ip_v4(f->prefix);
    bool v6 = ip_is6(&f->daddr);
    char text[TCPSIM_ADDR_STRLEN + 16];
    if (v6) { /* the sources send_one() forges: 64:ff9b::a.b.c.d */
        g_snprintf(text, sizeof text, "64:ff9b::%u.%u.%u.%u", net.b[0], net.b[1], net.b[2],
                   net.b[3]);
        struct tcpsim_addr a;
        if (tcpsim_addr_parse(text, &a)) {
            ip_format(&a, text, sizeof text);
        }
    } else {
        ip_format(&net, text, sizeof text);
    }
    g_autofree char *note = g_strdup_printf(
        "flood: %" G_GUINT64_FORMAT " SYNs to port %u at %" G_GUINT64_FORMAT "/s from %s/%d",
        f->total, port, rate, text, v6 ? 96 + prefix_len : prefix_len);
    tcpsim_trace_note(sim, from, note);
    if (f->total > 0) {
        ev_schedule(&sim->q, &f->tick, f->start);
    }
    return TRUE;
}
