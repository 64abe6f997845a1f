/* SPDX-License-Identifier: MIT */
/*
 * pkt_run.h: running a packetdrill script against one tcpsim host (private to sim/pkt).
 *
 *   pkt_run.c     the event loop in virtual time: when each event happens, waiting for
 *                 segments and blocked calls, the outcome
 *   pkt_net.c     the local host's wire: segments it sends are captured; `<` segments are
 *                 mapped to live numbers and injected; `>` segments are mapped back and
 *                 compared
 *   pkt_fmt.c     segments printed in the script's own notation
 *   pkt_sys.c     socket, bind, listen, accept, connect, close, shutdown, fcntl, ioctl
 *   pkt_io.c      read, recv, recvmsg, write, send, sendmsg, poll
 *   pkt_sockopt.c setsockopt and getsockopt
 *   pkt_cmd.c     header options and `sysctl` commands, mapped to tcpsim knobs
 *   pkt_shell.c   the shell syntax those commands use: $((...)), quiet redirections
 *   pkt_code.c    %{ assert tcpi_... }% blocks: a small subset of tcp_info checks
 *   pkt_check.c   before running: every construct tcpsim cannot run, located
 *
 * The remote peer is the script itself; the local stack is a real tcpsim host whose
 * emit hook hands segments to the runner instead of a link. Demultiplexing, listeners,
 * resets for closed ports and TIME_WAIT stay the host's own.
 */
#ifndef TCPSIM_PKT_RUN_H
#define TCPSIM_PKT_RUN_H

#include "../world/world.h"
#include "pkt_ast.h"

#define PKT_LOCAL_IP 0xC0A80001u  /* 192.168.0.1: packetdrill's tun address */
#define PKT_REMOTE_IP 0xC0000201u /* 192.0.2.1: TEST-NET-1, packetdrill's remote */
/* packetdrill's IPv6 defaults (config.c): the local address in its ULA prefix
 * fd3d:fa7b:d17d::/48 (packetdrill draws the host part at random; tcpsim takes ::1, to
 * stay deterministic), the remote 2001:db8::1 (RFC 3849's documentation prefix). */
#define PKT_LOCAL_IP6 "fd3d:fa7b:d17d::1"
#define PKT_REMOTE_IP6 "2001:db8::1"

/* packetdrill's --ip_version: the socket's family and the wire's. */
enum pkt_ip_version {
    PKT_IPV4,        /* AF_INET sockets, IPv4 packets */
    PKT_IPV6,        /* AF_INET6 sockets, IPv6 packets */
    PKT_IPV4_MAPPED, /* AF_INET6 sockets, IPv4 packets (addresses ::ffff:a.b.c.d) */
};
#define PKT_BIND_PORT 8080
#define PKT_FIRST_REMOTE_PORT 48000 /* the script's ports for passive connections */
#define PKT_DEFAULT_TOLERANCE US(4000)
/* packetdrill's --tolerance_percent default since 2018 (config.c: 12.5, "the worst case
 * inaccuracy for linux timers", the non-cascading timer wheel), in tenths of a percent. */
#define PKT_DEFAULT_TOLERANCE_PERMILLE 125
/* How long a lenient run (timing not compared) waits for a segment or a call. */
#define PKT_WAIT_HORIZON SEC(120)

/* A segment the local stack sent (its payload bytes are not kept). */
struct pkt_cap {
    struct tcp_seg seg;
    sim_time at;
};

/* packetdrill's "socket under test": the tuple script segments are mapped onto, and
 * the sequence and timestamp offsets between script and live numbers. */
enum pkt_conn_state {
    PKT_CONN_NONE,
    PKT_CONN_NEW,        /* socket() */
    PKT_CONN_LISTENING,  /* listen() */
    PKT_CONN_CONNECTING, /* connect(), its SYN not yet seen */
    PKT_CONN_ACTIVE,     /* the script saw our SYN */
    PKT_CONN_PASSIVE,    /* the script's SYN made a new connection */
};

struct pkt_ts_pair {
    uint32_t script;
    uint32_t live;
};

struct pkt_conn {
    enum pkt_conn_state phase;
    uint16_t local_port;
    uint16_t remote_port;
    struct tcpsim_addr remote_ip;
    bool local_isn_known;
    tcp_seq script_local_isn;
    tcp_seq live_local_isn;
    bool ts_first_known; /* the first outbound TS val seen: the baseline of the mapping */
    uint32_t ts_first_script;
    uint32_t ts_first_live;
    GArray *ts_map;      /* struct pkt_ts_pair: outbound TS vals, script -> live */
};

/* A file descriptor of the simulated process. */
struct pkt_sock {
    int fd;
    struct tcp_tcb *tcb; /* NULL once closed */
    bool nonblock;
    bool bound;
    uint16_t port;
    bool listening;
    bool connect_started;  /* connect() was called */
    bool connect_reported; /* ... and a later call reported its outcome */
    bool linger_zero;      /* SO_LINGER {1, 0}: close() resets */
    bool inq;              /* TCP_INQ: recvmsg() may report the bytes left (TCP_CM_INQ) */
    bool closed;
};

/* One system call: its decoded arguments and its progress while it blocks. */
struct pkt_call {
    const struct pkt_event *ev;
    guint index;         /* the event's index, for the report */
    struct pkt_sock *sock;
    bool blocking_spec;  /* the script gave ...END: other events go on while it waits */
    sim_time start;
    sim_time end;        /* blocking_spec: the latest return the script allows */
    int64_t want;        /* bytes to read or write */
    int64_t done;        /* bytes so far */
    int flags;           /* MSG_* */
    int new_fd;          /* accept */
    sim_time deadline;   /* poll: when its timeout expires */
    bool has_inq;        /* recvmsg: the script's TCP_CM_INQ value to compare */
    int64_t inq_want;
    int64_t result;      /* when finished: >= 0, or -errno */
};

enum pkt_step { PKT_STEP_DONE, PKT_STEP_BLOCKED, PKT_STEP_STOP };

struct pkt_runner {
    const struct tcpsim_pkt_script *script;
    unsigned compare;
    bool verbose;
    struct tcpsim_sim *sim;
    struct host *host;
    struct ev_queue *q;
    /* The world as the script sees it (packetdrill's defaults, header options). */
    struct tcpsim_addr local_ip;  /* on the wire */
    struct tcpsim_addr remote_ip;
    enum pkt_ip_version ip_version;
    bool local_given;             /* --local_ip / --remote_ip named one */
    bool remote_given;
    uint16_t bind_port;
    uint16_t connect_port;
    uint16_t next_remote_port;
    sim_time tolerance;
    int64_t tolerance_permille; /* --tolerance_percent, in tenths of a percent */
    int64_t ts_tick_us;         /* --tcp_ts_tick_usecs: 0 = TS val not compared */
    bool strict_segments;       /* --strict_segments: never merge segments (no TSO model) */
    /* Segments captured, oldest first; [cap_head, len) not yet matched. */
    GArray *caps;
    guint cap_head;
    struct pkt_conn conn;
    GPtrArray *fds;   /* index fd -> struct pkt_sock *, NULL when free */
    GPtrArray *socks; /* every socket ever made, freed at the end */
    /* The blocking call in progress (a ...END call), retried when the stack wakes. */
    bool pending;
    struct pkt_call call;
    struct ev retry;
    /* Time: the previous event's start, and whether it was an inbound segment (the
     * next inbound one is then anchored to it). */
    sim_time prev_start;
    bool prev_inbound;
    guint events_run;
    /* %{ }% blocks: variables the script's code assigned. */
    GHashTable *vars;
    /* The outcome. */
    bool done;
    enum tcpsim_pkt_status status;
    struct pkt_loc loc;
    GString *reason;
    GString *details;
    GString *notes; /* what the reader should know about a run that went on: one a line */
};

/* pkt_run.c */
void pkt_fail(struct pkt_runner *r, struct pkt_loc loc, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
void pkt_stop_unsupported(struct pkt_runner *r, struct pkt_loc loc, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);
void pkt_stop_error(struct pkt_runner *r, struct pkt_loc loc, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);
/* Runs the stack until `t` (inclusive); the clock ends at `t`. */
void pkt_advance_to(struct pkt_runner *r, sim_time t);
sim_time pkt_now(const struct pkt_runner *r);
/* A timing tolerance for an event expected at `t` (the previous event at `prev`). */
sim_time pkt_tolerance(const struct pkt_runner *r, sim_time t, sim_time prev);
bool pkt_timing(const struct pkt_runner *r);
/* The stack woke the application: a blocked call is tried again. */
void pkt_wake(struct pkt_runner *r);
/* Tries the blocked call again at `t` (or earlier if already due). */
void pkt_retry_at(struct pkt_runner *r, sim_time t);

/* pkt_net.c */
extern const struct tcp_stack_ops pkt_host_ops;
void pkt_net_init(struct pkt_runner *r);
void pkt_net_free(struct pkt_runner *r);
void pkt_inject(struct pkt_runner *r, const struct pkt_event *ev);
/* The next captured segment of the connection under test, or NULL. */
const struct pkt_cap *pkt_next_cap(struct pkt_runner *r);
/* Compares the segment the script expects with `cap`; records a failure if they differ. */
void pkt_match(struct pkt_runner *r, const struct pkt_event *ev, const struct pkt_cap *cap,
               sim_time start, sim_time end);

/* pkt_fmt.c: "S. 0:0(0) ack 1 win 65535 <mss 1460,nop,wscale 7>" */
void pkt_fmt_packet(GString *out, const struct pkt_packet *p);
/* A segment sent by the local stack, in script numbers. */
void pkt_fmt_actual(GString *out, const struct tcp_seg *s);
void pkt_fmt_opts(GString *out, const struct tcp_opts *o);
void pkt_fmt_time(GString *out, sim_time t);

/* pkt_sys.c and pkt_io.c: system calls. */
struct pkt_sys {
    const char *name;
    /* Decodes the arguments into `c` (first call) and tries the call; BLOCKED when a
     * blocking socket must wait. STOP: the run ended (bad arguments, unsupported). */
    enum pkt_step (*step)(struct pkt_runner *r, struct pkt_call *c, bool first);
};
const struct pkt_sys *pkt_sys_find(const char *name);
const struct pkt_sys *pkt_io_find(const char *name);
/* The argument `i` of the call, or NULL with a recorded error. */
const struct pkt_expr *pkt_arg(struct pkt_runner *r, const struct pkt_call *c, guint i);
/* Argument helpers: an integer (a number, a known symbol, or a | of them). */
bool pkt_arg_int(struct pkt_runner *r, const struct pkt_expr *e, int64_t *out);
/* The socket of descriptor argument `i`; NULL sets c->result to -EBADF. */
struct pkt_sock *pkt_arg_sock(struct pkt_runner *r, struct pkt_call *c, guint i, bool *ok);
/* The value of a symbol (SOCK_STREAM, O_NONBLOCK, SOL_SOCKET ...), FALSE if unknown. */
bool pkt_symbol(const char *name, int64_t *out);
void pkt_sock_release(struct pkt_runner *r, struct pkt_sock *s);
struct pkt_sock *pkt_sock_new(struct pkt_runner *r, struct tcp_tcb *tcb, const struct pkt_call *c);

/* pkt_sockopt.c */
enum pkt_step pkt_setsockopt(struct pkt_runner *r, struct pkt_call *c, bool first);
enum pkt_step pkt_getsockopt(struct pkt_runner *r, struct pkt_call *c, bool first);
/* NULL when the option is known; else what is unsupported. */
const char *pkt_sockopt_check(const char *level, const char *name, bool set);

/* pkt_cmd.c */
/* Applies the header options; FALSE when the run ended (unsupported, error). */
/* Applies the command line's packetdrill options (`given`, "name=value", may be NULL),
 * then the script's header options. */
bool pkt_cmd_options(struct pkt_runner *r, const char *const *given);
/* Runs a `command`; with `apply` FALSE only checks it. Returns NULL when fine, else a
 * message saying what is unsupported (the run is not stopped by this function). */
char *pkt_cmd_run(struct pkt_runner *r, const char *text, bool apply);

/* pkt_shell.c: `$((...))` arithmetic expanded in a command's text (a newly allocated
 * string; an expression it cannot read is left as written); trailing redirections that
 * only silence a command (`> /dev/null 2>&1`) removed from its words. */
char *pkt_shell_expand(const char *text);
void pkt_shell_strip_quiet(char **argv);

/* pkt_code.c: NULL when fine; else what failed (`*unsupported` tells which kind). */
char *pkt_code_run(struct pkt_runner *r, const char *text, bool apply, bool *unsupported);

/* pkt_check.c: FALSE (and the run ended, unsupported) at the first construct tcpsim
 * cannot run. */
bool pkt_check(struct pkt_runner *r);

/* The socket whose connection the script's tcp_info refers to (the last one used). */
struct tcp_tcb *pkt_tcb_under_test(struct pkt_runner *r);

#endif
