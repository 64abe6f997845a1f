/* SPDX-License-Identifier: MIT */
/*
 * invariants.c: the whole simulation's invariants, checked after every event in builds
 * with -Dinvariants (tcpsim_run() calls world_inv_enforce()).
 *
 * Entry points: world_inv_check() returns NULL or a description of the first broken
 * invariant (never aborting, so tests can see it fire); world_inv_enforce() aborts with
 * the time and the host. What is checked: every connection a host or an application
 * holds (tcp_invariants.c: sequence variables, window, RCV.NXT, buffers, timers), and
 * every link direction's accounting (link_invariants.c).
 *
 * After each event tcpsim_run() checks the links (a few sums per direction); the
 * connections an event touched were checked as it left them, in tcp_entry_done(), and
 * state transitions in the tcp_set_state() funnel. The full sweep of every connection
 * runs every WORLD_INV_SWEEP events and when a run stops: a flood holds tens of
 * thousands of connections, and sweeping them all after every event would make a
 * debug run quadratic.
 */
#include "world.h"

static char *
check_host(struct host *h)
{
    GHashTableIter it;
    gpointer k;
    gpointer v;
    GHashTable *tables[] = {h->conns, h->listeners};
    for (size_t t = 0; t < G_N_ELEMENTS(tables); t++) {
        g_hash_table_iter_init(&it, tables[t]);
        while (g_hash_table_iter_next(&it, &k, &v)) {
            char *msg = tcp_inv_check(v);
            if (msg != NULL) {
                return msg;
            }
        }
    }
    return link_inv_check(&h->lo);
}

char *
world_inv_check_links(struct tcpsim_sim *sim, const char **host)
{
    *host = NULL;
    for (int i = 0; i < sim->nhosts; i++) {
        char *msg = link_inv_check(&sim->hosts[i]->lo);
        for (int j = 0; j < sim->nhosts && msg == NULL; j++) {
            msg = sim->links[i][j] ? link_inv_check(sim->links[i][j]) : NULL;
        }
        if (msg != NULL) {
            *host = sim->hosts[i]->name;
            return msg;
        }
    }
    return NULL;
}

char *
world_inv_check(struct tcpsim_sim *sim, const char **host)
{
    *host = NULL;
    for (int i = 0; i < sim->nhosts; i++) {
        char *msg = check_host(sim->hosts[i]);
        if (msg != NULL) {
            *host = sim->hosts[i]->name;
            return msg;
        }
        for (int j = 0; j < sim->nhosts; j++) {
            if (sim->links[i][j] != NULL && (msg = link_inv_check(sim->links[i][j])) != NULL) {
                *host = sim->hosts[i]->name;
                return msg;
            }
        }
    }
    /* Connections only an application still holds (closed ones, not yet connected). */
    for (guint i = 0; i < sim->socks->len; i++) {
        struct tcp_tcb *tcb = app_sock_tcb(g_ptr_array_index(sim->socks, i));
        char *msg = tcb != NULL ? tcp_inv_check(tcb) : NULL;
        if (msg != NULL) {
            *host = tcb->stack->host_name;
            return msg;
        }
    }
    return NULL;
}

void
world_inv_enforce(struct tcpsim_sim *sim, bool sweep)
{
    const char *host = NULL;
    char *msg = sweep ? world_inv_check(sim, &host) : world_inv_check_links(sim, &host);
    if (G_UNLIKELY(msg != NULL)) {
        tcp_inv_fail(sim->q.now, host, msg);
    }
}
