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

struct app_op {
    enum app_verb verb;
    uint64_t n;      /* bytes to send or receive (0 for recv: any) */
    uint64_t done;   /* bytes so far */
    uint8_t *text;   /* send: the bytes, or NULL for the pattern */
    uint32_t addr;
    uint16_t port;
    uint16_t from_port;
    int backlog;
    bool rd;
    bool wr;
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
    GQueue ops;
    struct ev wake;
    bool awaiting_accept; /* the target of a pending accept(): calls wait for it */
    bool closed;
    int last_error;
    uint64_t received;
    GByteArray *capture;
    /* Options set before there is a connection to apply them to. */
    bool nodelay;
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
struct app_op *app_op_new(enum app_verb verb);
void app_submit(struct tcpsim_sock *s, struct app_op *op);

/* app_trace.c: a call when it starts (returned false) or returns (with `result`). */
void app_trace_call(struct tcpsim_sock *s, const struct app_op *op, bool returned,
                    int64_t result);

/* sockopt.c */
int64_t app_apply_option(struct tcpsim_sock *s, const struct app_op *op);

#endif
