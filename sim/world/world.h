/* SPDX-License-Identifier: MIT */
/*
 * world.h: the simulation's objects: the simulation itself, its hosts, and the
 * application sockets. Private to sim/world; the public face is include/tcpsim/sim.h.
 *
 *   sim.c    the simulation: hosts, links, time, tcpsim_at(), tcpsim_run()
 *   host.c   a host: routing, 4-tuple demux, RST for no socket, crash and reboot
 *   ports.c  ephemeral ports (Linux __inet_hash_connect()) and TIME_WAIT reuse
 *   app.c    application sockets: calls that block, one queue of calls per socket
 */
#ifndef TCPSIM_WORLD_H
#define TCPSIM_WORLD_H

#include <glib.h>
#include <tcpsim/sim.h>

#include "../engine/ev.h"
#include "../engine/rng.h"
#include "../link/link.h"
#include "../tcp/tcp.h"
#include "../trace/trace.h"

#define WORLD_MAX_HOSTS 64
#define PORT_PERTURB_SIZE 256
#define PORT_MEMO_SIZE 64

/* A destination for which every ephemeral port was found taken (ports.c). */
struct port_memo {
    uint64_t gen; /* host->port_gen when it was found; 0: empty */
    struct tcpsim_addr raddr;
    uint16_t rport;
    int64_t low;
    int64_t high;
};

struct host {
    struct tcpsim_sim *sim;
    int index;
    char *name;
    struct tcpsim_addr addr;  /* its first address */
    struct tcpsim_addr addr2; /* a second, of the other family, or none (dual stack) */
    struct tcp_stack tcp;
    GHashTable *conns;     /* struct trace_sock * (a TCB's id) -> struct tcp_tcb * */
    struct tcp_tcb *last;  /* the connection the last segment found in conns, or NULL */
    GHashTable *listeners; /* port -> struct tcp_tcb * */
    bool down;
    uint64_t port_key;
    uint32_t perturb[PORT_PERTURB_SIZE];
    uint64_t port_gen; /* counts tuples and ports given up (host_detach()), from 1 */
    struct port_memo port_memo[PORT_MEMO_SIZE];
    struct link_dir lo; /* loopback: segments to our own address */
    uint8_t *wire;      /* scratch for checking a damaged packet: one IP packet */
};

struct tcpsim_sim {
    struct ev_queue q;
    struct trace trace;
    uint64_t seed;
    int64_t wall_limit_us; /* tcpsim_set_wall_limit(): 0 none */
    struct host *hosts[WORLD_MAX_HOSTS];
    int nhosts;
    /* links[i][j]: from host i to host j; row i (WORLD_MAX_HOSTS directions) is allocated
     * when host i is added, so a world of two hosts is small (tcpsim explore copies it) */
    struct link_dir **links[WORLD_MAX_HOSTS];
    GPtrArray *socks;  /* every socket, freed with the simulation */
    struct tcpsim_sock *owned_socks; /* sockets of patterns, freed when done; a list */
    struct pool sock_pool;   /* every struct tcpsim_sock (engine/pool.h) */
    GPtrArray *patterns;     /* struct tcpsim_pattern *, freed with the simulation */
    GPtrArray *timers; /* tcpsim_at() events, freed with the simulation */
    GPtrArray *floods; /* struct flood *, freed with the simulation */
    struct app_op *free_ops; /* finished calls, reused: a pattern makes millions */
    uint64_t sink_bytes; /* what the trace sinks were charged to the memory meter */
    bool trace_begun;
    char *trace_scenario;
    char *trace_title;
    char **trace_sets;   /* --set and --param, for the trace headers (NULL: none) */
    char **trace_params;
    char *trace_ip_version; /* tcpsim_trace_header_ip_version(), or NULL */
    struct world_summary *summary; /* tcpsim_summary_enable(), or NULL */
};

/* host.c */
struct host *host_new(struct tcpsim_sim *sim, int index, const char *name,
                      struct tcpsim_addr addr);
void host_free(struct host *h);
void host_receive(void *host, const struct tcp_seg *seg, const struct link_damage *dmg);
bool host_owns(const struct host *h, struct tcpsim_addr addr);
/* The host's address of the family of `dst` (a socket's source address), or none. */
struct tcpsim_addr host_src(const struct host *h, const struct tcpsim_addr *dst);
void host_crash(struct host *h);
/* Every TCB of the host (listeners included), sorted by tuple; the caller frees. */
GPtrArray *host_all_tcbs(struct host *h);
/* A row of a socket listing in the trace ("ss ..."). */
void tcpsim_trace_ss(struct tcpsim_sim *sim, int host, const char *text);
void host_reboot(struct host *h);
extern const struct tcp_stack_ops host_tcp_ops;

/* ports.c */
/* Binds and connects `tcb`: picks the local port when `lport` is 0. 0 or -errno. */
int host_connect(struct host *h, struct tcp_tcb *tcb, struct tcpsim_addr raddr, uint16_t rport,
                 uint16_t lport);
int host_listen(struct host *h, struct tcp_tcb *tcb, uint16_t port, int backlog);

/* flood.c */
void flood_free(gpointer f);

/* summary.c */
struct world_summary;
void world_summary_free(struct world_summary *s);

/* links.c */
struct link_dir *world_link(const struct tcpsim_sim *sim, int from, int to);
void world_link_summaries(struct tcpsim_sim *sim);

/* invariants.c: NULL, or the first broken invariant (to free) and its host: of every
 * connection and link, or of the links only. */
char *world_inv_check(struct tcpsim_sim *sim, const char **host);
char *world_inv_check_links(struct tcpsim_sim *sim, const char **host);
/* Aborts with a message naming the invariant, the connection and the time; `sweep`
 * checks every connection too, else only the links. */
void world_inv_enforce(struct tcpsim_sim *sim, bool sweep);
#define WORLD_INV_SWEEP 4096 /* events between two sweeps of every connection */

/* app.c */
void app_sock_free(gpointer s);
/* Frees the simulation's list of finished calls kept for reuse. */
void app_ops_free_all(struct tcpsim_sim *sim);

/* pattern.c */
void pattern_free(gpointer p);
void app_wakeup(struct tcp_tcb *tcb, unsigned events);
struct tcp_tcb *app_sock_tcb(const struct tcpsim_sock *s);

#endif
