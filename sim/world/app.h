/* SPDX-License-Identifier: MIT */
/*
 * app.h: the simulated application's sockets and calls, shared by app.c (running the
 * calls), app_trace.c (how calls read in the trace) and sockopt.c (setsockopt()).
 */
#ifndef TCPSIM_WORLD_APP_H
#define TCPSIM_WORLD_APP_H

#include "world.h"

enum app_verb {
    APP_LISTEN,
    APP_CONNECT,
    APP_ACCEPT,
    APP_SEND,
    APP_RECV,
    APP_SHUTDOWN,
    APP_CLOSE,
    APP_ABORT,
    APP_SETOPT,
};

struct tcpsim_sock;
struct app_op;
/* Called when a call returns, with its result; the op is freed afterwards. */
typedef void (*app_done_fn)(struct tcpsim_sock *s, const struct app_op *op, int64_t result,
                            void *arg);

struct app_op {
    struct app_op *next; /* in its socket's queue, or in the free list */
    app_done_fn on_done; /* NULL, or called when the call returns */
    void *done_arg;
    enum app_verb verb;
    uint64_t n;      /* bytes to send or receive (0 for recv: any) */
    uint64_t done;   /* bytes so far */
    uint8_t *text;   /* send: the bytes, or NULL for the pattern */
    struct tcpsim_addr addr;
    uint16_t port;
    uint16_t from_port;
    int backlog;
    bool rd;
    bool wr;
    bool more;       /* send: MSG_MORE */
    struct tcpsim_sock *into;
    const struct sockopt *opt;
    int64_t val;
    char *val_text;
    bool started;    /* its "..." line was printed */
    bool begun;      /* connect: the connection was created */
};

struct tcpsim_sock {
    struct tcpsim_sim *sim;
    struct host *host;
    char *name;
    struct tcp_tcb *tcb;
    struct app_op *ops_head; /* the calls, oldest first: the first is running */
    struct app_op *ops_tail;
    uint32_t nops;
    struct ev wake;
    bool awaiting_accept; /* the target of a pending accept(): calls wait for it */
    bool running;         /* inside sock_run(): new calls queue, they do not recurse */
    bool autofree;        /* owned by a pattern: freed when its last call returns */
    struct tcpsim_sock *owned_prev, *owned_next; /* the simulation's owned sockets */
    bool closed;
    int last_error;
    uint64_t received;
    GByteArray *capture;
    /* Options set before there is a connection to apply them to. */
    bool nodelay;
    bool cork;
    bool keepalive;
    sim_time keepidle;
    sim_time keepintvl;
    int64_t keepcnt;
    sim_time user_timeout;
    int64_t rcvbuf;
    int64_t sndbuf;
    bool linger_zero;
    uint16_t listen_port;
};

/* The options setsockopt() knows: scenario name, the real constant, and the value's
 * kind (a bare number of a time option is in the unit the real option uses). */
enum sockopt_kind { OPT_BOOL, OPT_INT, OPT_TIME, OPT_SIZE };
struct sockopt {
    const char *name;
    const char *constant;
    enum sockopt_kind kind;
    sim_time bare_unit;
};

/* app.c */
struct app_op *app_op_new(struct tcpsim_sim *sim, enum app_verb verb);
void app_submit(struct tcpsim_sock *s, struct app_op *op);
/* A socket owned by a pattern: not listed with the simulation's sockets, and freed
 * as soon as it has closed and no call is left. */
struct tcpsim_sock *app_socket_owned(struct tcpsim_sim *sim, int host, char *name);

/* app_trace.c: a call when it starts (returned false) or returns (with `result`). */
void app_trace_call(struct tcpsim_sock *s, const struct app_op *op, bool returned,
                    int64_t result);

/* sockopt.c */
int64_t app_apply_option(struct tcpsim_sock *s, const struct app_op *op);

#endif
