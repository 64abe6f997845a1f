/* SPDX-License-Identifier: MIT */
/*
 * explore_world.h: the world under exploration, shared by explore.c (the prefix,
 * choices, applying one) and explore_state.c (the checks, the state's hash, the
 * scenario lines). Private to sim/explore.
 */
#ifndef TCPSIM_EXPLORE_WORLD_H
#define TCPSIM_EXPLORE_WORLD_H

#include "explore.h"

#include "../scenario/ast.h"
#include "../world/app.h"
#include "../world/world.h"

enum xkind { XK_DELIVER, XK_DROP, XK_DUP, XK_APP, XK_TIMER };
enum xverb { XV_CONNECT, XV_SEND, XV_RECV, XV_SHUTDOWN, XV_CLOSE, XV_ABORT };

struct xchoice {
    uint8_t kind;
    uint8_t verb;
    uint16_t idx; /* the segment (index in segs) or the socket (index in sim->socks) */
};

struct xseg {
    struct link_dir *d;
    int from;
    int to;
    struct tcp_seg seg;
    uint8_t *data;
    uint64_t serial;
    sim_time sent_at;
    sim_time t1;  /* the first delivery (the copy, when duplicated); 0: none */
    sim_time t2;  /* the second */
    bool dup;
    bool done;    /* delivered (the last copy) or dropped */
    bool dropped;
};

#define XMAX_SOCKS 16
#define XMAX_CHOICES 255

struct xsock {
    int sends;
    bool shut;
    bool gone; /* closed or aborted */
};

struct xline {
    sim_time at;
    char *text;
};

struct xworld {
    const struct explore_opts *o;
    struct scn_run *run;
    struct tcpsim_sim *sim;
    GPtrArray *segs; /* struct xseg *, in the order they were sent */
    sim_time t0;     /* the prefix's end */
    int dups_left;
    int drops_left;
    struct xsock xs[XMAX_SOCKS];
    int conn_from;   /* connect: from this host to the listener (-1: none) */
    int conn_to;
    uint16_t conn_port;
    bool connected;
    char conn_name[8];
    GArray *lines;   /* struct xline: the application's calls */
    GString *log;    /* the choices, one comment line each */
    char *violation;
    bool record;     /* keep the log and lines (for a scenario to write) */
    bool replaying;  /* xw_replay(): no checks after each step */
    guint *dircount; /* list_choices(): per direction (from * nhosts + to), 2 arrays */
    struct xchoice ch[XMAX_CHOICES];
    guint nch;
    bool ch_valid;
};

/* explore.c */
void xw_set_violation(struct xworld *w, char *msg);
struct tcp_tcb *xw_find_tcb(struct host *h, struct tcpsim_addr laddr, uint16_t lport,
                            struct tcpsim_addr raddr,
                            uint16_t rport);
bool xw_can_step(struct xworld *w);
char *xw_fmt_time(sim_time t);

/* explore_state.c */
void xw_check(struct xworld *w);

#endif
