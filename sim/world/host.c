/* SPDX-License-Identifier: MIT */
/*
 * host.c: a host joins its TCP stack to the links.
 *
 * Entry points: host_receive() (a link delivers), and host_tcp_ops, through which the
 * stack emits segments, joins and leaves the demux table, and wakes the application.
 * Segments to the host's own address go over the loopback; everything else goes to the
 * host that owns the destination address, or, in a two-host world, to the other host
 * (which drops what is not its own: a spoofed address answers nobody).
 */
#include "world.h"

/* The demux key is the connection's tuple, read in place from its trace identity. */
static guint
tuple_hash(gconstpointer p)
{
    const struct trace_sock *k = p;
    uint32_t h = ip_hash32(&k->laddr) * 2654435761u;
    h ^= ip_hash32(&k->raddr) + 0x9E3779B9u + (h << 6) + (h >> 2);
    h ^= ((uint32_t)k->lport << 16 | k->rport) + 0x9E3779B9u + (h << 6) + (h >> 2);
    return h;
}

static gboolean
tuple_equal(gconstpointer a, gconstpointer b)
{
    const struct trace_sock *x = a;
    const struct trace_sock *y = b;
    return ip_eq(&x->laddr, &y->laddr) && ip_eq(&x->raddr, &y->raddr) && x->lport == y->lport &&
           x->rport == y->rport;
}

bool
host_owns(const struct host *h, struct tcpsim_addr addr)
{
    return ip_eq(&h->addr, &addr) || (!ip_is_none(&addr) && ip_eq(&h->addr2, &addr));
}

struct tcpsim_addr
host_src(const struct host *h, const struct tcpsim_addr *dst)
{
    if (h->addr.family == dst->family) {
        return h->addr;
    }
    if (h->addr2.family == dst->family) {
        return h->addr2;
    }
    return ip_none();
}

static struct link_dir *
route(struct host *h, struct tcpsim_addr daddr)
{
    struct tcpsim_sim *sim = h->sim;
    if (host_owns(h, daddr)) {
        return &h->lo;
    }
    int to = tcpsim_host_by_addr(sim, daddr);
    if (to < 0 && sim->nhosts == 2) {
        to = 1 - h->index; /* the other end of the one link: a default route */
    }
    return to >= 0 ? sim->links[h->index][to] : NULL;
}

static void
host_emit(void *host, const struct tcp_seg *seg)
{
    struct host *h = host;
    if (h->down) {
        return; /* a crashed host sends nothing */
    }
    struct link_dir *d = route(h, seg->daddr);
    if (d != NULL) {
        link_send(d, seg);
    }
}

/* The demux table's key is &tcb->id and its value tcb: one pointer, so GHashTable keeps a
 * single array for both (12 bytes a slot instead of 20). */
G_STATIC_ASSERT(offsetof(struct tcp_tcb, id) == 0);

static bool
host_attach(void *host, struct tcp_tcb *tcb)
{
    struct host *h = host;
    if (g_hash_table_contains(h->conns, &tcb->id)) {
        return false;
    }
    g_hash_table_insert(h->conns, &tcb->id, tcb);
    return true;
}

static void
host_detach(void *host, struct tcp_tcb *tcb)
{
    struct host *h = host;
    h->port_gen++; /* a port or a tuple may be free again (ports.c) */
    if (tcb->lq != NULL || (ip_is_none(&tcb->id.raddr) && tcb->id.rport == 0)) {
        gpointer port = GUINT_TO_POINTER(tcb->id.lport);
        if (g_hash_table_lookup(h->listeners, port) == tcb) {
            g_hash_table_remove(h->listeners, port);
        }
        return;
    }
    if (g_hash_table_lookup(h->conns, &tcb->id) == tcb) {
        g_hash_table_remove(h->conns, &tcb->id);
    }
    if (h->last == tcb) {
        h->last = NULL;
    }
}

static void
host_wakeup(void *host, struct tcp_tcb *tcb, unsigned events)
{
    (void)host;
    app_wakeup(tcb, events);
}

static bool
host_listening(void *host, uint16_t port)
{
    struct host *h = host;
    return g_hash_table_contains(h->listeners, GUINT_TO_POINTER(port));
}

const struct tcp_stack_ops host_tcp_ops = {
    .emit = host_emit,
    .attach = host_attach,
    .detach = host_detach,
    .wakeup = host_wakeup,
    .listening = host_listening,
};

/* A packet damaged on the way: encode it, flip the byte, and let the checksums judge,
 * exactly as a real receiver would. A packet that still decodes is taken as decoded. */
static bool
check_damage(struct host *h, const struct tcp_seg *seg, const struct link_damage *dmg,
             struct tcp_seg *out)
{
    if (h->wire == NULL) {
        h->wire = g_malloc(IPV4_MAX_PACKET);
    }
    size_t n = tcp_seg_encode(seg, h->wire, IPV4_MAX_PACKET);
    if (n > dmg->at) {
        h->wire[dmg->at] ^= dmg->mask;
    }
    enum tcp_decode_status st = tcp_seg_decode(h->wire, n, out);
    if (st == TCP_DECODE_OK) {
        return true;
    }
    tcp_mib_inc(&h->tcp, st == TCP_DECODE_BAD_CHECKSUM ? TCP_MIB_IN_CSUM_ERRORS : TCP_MIB_IN_ERRS);
    tcp_trace_discard(&h->tcp, NULL, seg,
                      st == TCP_DECODE_BAD_CHECKSUM ? TCP_DROP_BAD_CHECKSUM : TCP_DROP_BAD_PACKET);
    return false;
}

void
host_receive(void *host, const struct tcp_seg *seg, const struct link_damage *dmg)
{
    struct host *h = host;
    struct tcp_seg decoded;
    if (dmg != NULL && !h->down) {
        if (!check_damage(h, seg, dmg, &decoded)) {
            return;
        }
        seg = &decoded;
    }
    if (h->down) {
        tcp_trace_discard(&h->tcp, NULL, seg, TCP_DROP_HOST_DOWN);
        return;
    }
    if (!host_owns(h, seg->daddr)) {
        tcp_trace_discard(&h->tcp, NULL, seg, TCP_DROP_NO_ADDRESS);
        return;
    }
    struct trace_sock key = {
        .laddr = seg->daddr, .lport = seg->dport, .raddr = seg->saddr, .rport = seg->sport};
    /* Segments come in trains for one connection: try the last one found before hashing
     * (Linux's early demux keeps the socket on the skb for the same reason). */
    struct tcp_tcb *tcb = h->last;
    if (tcb == NULL || !tuple_equal(&tcb->id, &key)) {
        tcb = g_hash_table_lookup(h->conns, &key);
        h->last = tcb;
    }
    if (tcb != NULL && !tcp_input_segment(tcb, seg)) {
        return;
    }
    /* No connection, or a TIME_WAIT one gave way to a new SYN: the listener, if any. */
    struct tcp_tcb *lst = g_hash_table_lookup(h->listeners, GUINT_TO_POINTER(seg->dport));
    if (lst != NULL) {
        tcp_input_segment(lst, seg);
        return;
    }
    tcp_input_no_socket(&h->tcp, seg); /* RFC 9293 §3.10.7.1 */
}

struct host *
host_new(struct tcpsim_sim *sim, int index, const char *name, struct tcpsim_addr addr)
{
    struct host *h = g_new0(struct host, 1);
    h->sim = sim;
    h->index = index;
    h->name = g_strdup(name);
    h->addr = addr;
    tcp_sysctl_defaults(&h->tcp.sysctl, TCP_PERSONALITY_LINUX);
    tcp_stack_init(&h->tcp, &sim->q, &sim->trace, h->name, addr, sim->seed);
    h->tcp.ops = &host_tcp_ops;
    h->tcp.host = h;
    h->conns = g_hash_table_new(tuple_hash, tuple_equal);
    h->listeners = g_hash_table_new(g_direct_hash, g_direct_equal);
    struct rng r;
    g_autofree char *purpose = g_strdup_printf("host %s ports", name);
    rng_init(&r, sim->seed, purpose);
    h->port_key = rng_next(&r);
    h->port_gen = 1;
    link_dir_init(&h->lo, &sim->q, &sim->trace, h->name, h->name, h, host_receive, sim->seed);
    return h;
}

static int
by_tuple(gconstpointer a, gconstpointer b)
{
    const struct trace_sock *x = &(*(struct tcp_tcb *const *)a)->id;
    const struct trace_sock *y = &(*(struct tcp_tcb *const *)b)->id;
    int c = ip_cmp(&x->laddr, &y->laddr); /* IPv4 in numeric order, as before IPv6 */
    if (c == 0) {
        c = ip_cmp(&x->raddr, &y->raddr);
    }
    if (c != 0) {
        return c < 0 ? -1 : 1;
    }
    uint32_t px = (uint32_t)x->lport << 16 | x->rport;
    uint32_t py = (uint32_t)y->lport << 16 | y->rport;
    return px < py ? -1 : px > py;
}

/* Every TCB of the host, sorted by tuple (never in hash order: the trace must not
 * depend on it), for crash, teardown and listings. */
GPtrArray *
host_all_tcbs(struct host *h)
{
    GPtrArray *a = g_ptr_array_new();
    GHashTableIter it;
    gpointer k;
    gpointer v;
    g_hash_table_iter_init(&it, h->conns);
    while (g_hash_table_iter_next(&it, &k, &v)) {
        g_ptr_array_add(a, v);
    }
    g_hash_table_iter_init(&it, h->listeners);
    while (g_hash_table_iter_next(&it, &k, &v)) {
        g_ptr_array_add(a, v);
    }
    g_ptr_array_sort(a, by_tuple);
    return a;
}

/* Every connection vanishes without a segment, as when a machine loses power. */
void
host_crash(struct host *h)
{
    h->down = true; /* first: nothing a dying connection would send gets out */
    GPtrArray *a = host_all_tcbs(h);
    for (guint i = 0; i < a->len; i++) {
        struct tcp_tcb *tcb = g_ptr_array_index(a, i);
        tcp_tcb_ref(tcb);
    }
    for (guint i = 0; i < a->len; i++) {
        struct tcp_tcb *tcb = g_ptr_array_index(a, i);
        if (tcb->state != TCP_CLOSED) {
            tcp_set_state(tcb, TCP_CLOSED, TCP_CAUSE_HOST_CRASH);
        }
        tcp_entry_done(tcb);
        tcp_tcb_unref(tcb);
    }
    g_ptr_array_free(a, TRUE);
}

void
host_reboot(struct host *h)
{
    h->down = false;
}

void
host_free(struct host *h)
{
    GPtrArray *a = host_all_tcbs(h);
    h->last = NULL;
    g_hash_table_remove_all(h->conns);
    g_hash_table_remove_all(h->listeners);
    for (guint i = 0; i < a->len; i++) {
        struct tcp_tcb *tcb = g_ptr_array_index(a, i);
        tcp_timers_cancel_all(tcb);
        tcb->detached = true;
        if (tcb->lq) {
            tcp_listen_forget(tcb);
        }
        tcp_tcb_unref(tcb);
    }
    g_ptr_array_free(a, TRUE);
    tcp_stack_destroy(&h->tcp);
    g_hash_table_destroy(h->conns);
    g_hash_table_destroy(h->listeners);
    link_dir_destroy(&h->lo);
    g_free(h->wire);
    g_free(h->name);
    g_free(h);
}
