/* SPDX-License-Identifier: MIT */
/*
 * tcpsim/sim.h: the embeddable simulator.
 *
 * A simulation holds hosts (each a TCP stack), the links between them, simulated
 * applications with sockets, and trace sinks. Time is virtual: an integer count of
 * nanoseconds that advances only as events run, so a run is exactly reproducible from
 * its seed.
 *
 * Socket calls behave like blocking calls of a program that runs one thread per socket:
 * a call is issued at the current simulated time, may wait (connect, accept, send into a
 * full buffer, recv), and later calls on the same socket wait behind it. Calls on other
 * sockets proceed independently. Every call and its result appear in the trace.
 *
 * Results are errno-style: 0 or a count on success, -errno on failure.
 */
#ifndef TCPSIM_SIM_H
#define TCPSIM_SIM_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include <tcpsim/addr.h>

G_BEGIN_DECLS

typedef int64_t tcpsim_time; /* nanoseconds */

struct tcpsim_sim;
struct tcpsim_sock;

#define TCPSIM_ERROR (tcpsim_error_quark())
GQuark tcpsim_error_quark(void);

/* --- the world ------------------------------------------------------------------ */

struct tcpsim_sim *tcpsim_sim_new(uint64_t seed);
void tcpsim_sim_free(struct tcpsim_sim *sim);
uint64_t tcpsim_sim_seed(const struct tcpsim_sim *sim);

/* Adds a host with one address (IPv4 or IPv6); returns its index, or -1 with `error`
 * (duplicate name or address). The links to and from every other host are created with
 * default parameters. */
int tcpsim_host_add(struct tcpsim_sim *sim, const char *name, struct tcpsim_addr addr,
                    GError **error);
/* Gives a host a second address, of the other family (a dual-stack host). */
gboolean tcpsim_host_add_addr(struct tcpsim_sim *sim, int host, struct tcpsim_addr addr,
                              GError **error);
int tcpsim_host_find(const struct tcpsim_sim *sim, const char *name);
int tcpsim_host_by_addr(const struct tcpsim_sim *sim, struct tcpsim_addr addr);
guint tcpsim_host_count(const struct tcpsim_sim *sim);
const char *tcpsim_host_name(const struct tcpsim_sim *sim, int host);
/* The host's first address; with a family, its address of that family (family 0: none). */
struct tcpsim_addr tcpsim_host_addr(const struct tcpsim_sim *sim, int host);
struct tcpsim_addr tcpsim_host_addr_of(const struct tcpsim_sim *sim, int host,
                                       enum tcpsim_family family);

/* Sets a TCP tunable (Linux sysctl name, e.g. "tcp_syn_retries", "3"). */
gboolean tcpsim_host_set(struct tcpsim_sim *sim, int host, const char *knob, const char *value,
                         GError **error);
/* The value as text, or NULL for an unknown knob. */
char *tcpsim_host_get(const struct tcpsim_sim *sim, int host, const char *knob);
/* The i-th knob's name (0, 1, ...), NULL past the last. */
const char *tcpsim_knob_name(guint i);
/* A one-line description of a knob, or NULL for an unknown one. */
const char *tcpsim_knob_help(const char *knob);

/* Checks a knob and value without setting anything (the message names the problem). */
gboolean tcpsim_knob_check(const char *knob, const char *value, GError **error);
/* Whether a knob is one of FreeBSD's sysctls, which only a freebsd host takes. */
gboolean tcpsim_knob_is_freebsd(const char *knob);

/* A counter as `nstat` names it (TcpExtListenOverflows ...). FALSE if unknown. */
gboolean tcpsim_host_counter(const struct tcpsim_sim *sim, int host, const char *name,
                             uint64_t *value);
gboolean tcpsim_counter_known(const char *name);
/* The i-th counter's name, in nstat order, NULL past the last. */
const char *tcpsim_counter_name(guint i);
/* What the i-th counter counts, in one line. */
const char *tcpsim_counter_help(guint i);
/* Crash: every connection vanishes and the host answers nothing until reboot. */
void tcpsim_host_crash(struct tcpsim_sim *sim, int host);
/* Reboot: the host comes back with no connections (stale segments get RST). */
void tcpsim_host_reboot(struct tcpsim_sim *sim, int host);

/* Link parameters of the direction from -> to: "delay 10ms", "rate 10Mbps",
 * "queue 64" (packets), "loss 1%". */
/* Every link (loopbacks included) charges an IPv6 packet the size of its IPv4 twin, 20
 * bytes less, for its MTU, queue and serialization: with hosts' MTUs 20 bytes larger, a
 * run over IPv6 is then the IPv4 run's twin, segment for segment and nanosecond for
 * nanosecond (tcpsim run --ip-version ipv6-same-mss). */
void tcpsim_links_ipv6_as_ipv4(struct tcpsim_sim *sim);
gboolean tcpsim_link_set(struct tcpsim_sim *sim, int from, int to, const char *param,
                         const char *value, GError **error);
gboolean tcpsim_link_param_check(const char *param, const char *value, GError **error);
void tcpsim_link_up(struct tcpsim_sim *sim, int from, int to, bool up);

/* Which segments a scripted fault applies to. */
struct tcpsim_filter {
    bool match_flags;   /* compare all eight flag bits with `flags` */
    uint16_t flags;
    int has_data;       /* -1 any, 0 no payload, 1 payload */
    bool match_seq;     /* the segment's (absolute) sequence number is in [seq_lo, seq_hi] */
    uint32_t seq_lo;
    uint32_t seq_hi;
    uint32_t skip;      /* scripted faults: let this many matching segments pass first */
};

/* Scripted faults on the next `count` segments from -> to that match `filter`. */
void tcpsim_link_drop_next(struct tcpsim_sim *sim, int from, int to, uint32_t count,
                           const struct tcpsim_filter *filter);
void tcpsim_link_delay_next(struct tcpsim_sim *sim, int from, int to, uint32_t count,
                            const struct tcpsim_filter *filter, tcpsim_time extra);
/* The copy arrives `copy_delay` after the original: an old duplicate when it is long. */
void tcpsim_link_duplicate_next(struct tcpsim_sim *sim, int from, int to, uint32_t count,
                                const struct tcpsim_filter *filter, tcpsim_time copy_delay);
/* As tcpsim_link_duplicate_next(), and the original is delayed by `orig_delay` too. */
void tcpsim_link_duplicate_next_late(struct tcpsim_sim *sim, int from, int to, uint32_t count,
                                     const struct tcpsim_filter *filter, tcpsim_time orig_delay,
                                     tcpsim_time copy_delay);

/* A forged segment on the link from -> to, for the connection of `target` (a socket on
 * host `to`), as if its peer had sent it: what tcpkill does. */
enum tcpsim_forge {
    TCPSIM_FORGE_RST,
    TCPSIM_FORGE_SYN,
    TCPSIM_FORGE_ACK,
    TCPSIM_FORGE_DATA,
    TCPSIM_FORGE_ACK_UNSENT, /* an ACK of 1000 bytes the target never sent */
};
/* Where its sequence number lies in the target's receive window. */
enum tcpsim_forge_seq {
    TCPSIM_SEQ_EXACT,   /* RCV.NXT */
    TCPSIM_SEQ_WINDOW,  /* inside the window, not at RCV.NXT */
    TCPSIM_SEQ_OUTSIDE, /* beyond the window */
    TCPSIM_SEQ_NUMBER,  /* the absolute number given */
};
/* FALSE (and a note in the trace) when the target has no connection to forge for. */
gboolean tcpsim_inject(struct tcpsim_sim *sim, int from, int to, struct tcpsim_sock *target,
                       enum tcpsim_forge kind, enum tcpsim_forge_seq where, uint32_t seq,
                       uint32_t len, const uint8_t *text);

/* Segments sent from -> to (all, or matching `filter` when not NULL). */
uint64_t tcpsim_link_sent(const struct tcpsim_sim *sim, int from, int to,
                          const struct tcpsim_filter *filter);

/* --- time and running ---------------------------------------------------------- */

tcpsim_time tcpsim_now(const struct tcpsim_sim *sim);
typedef void (*tcpsim_fn)(struct tcpsim_sim *sim, void *arg);
/* Runs fn(sim, arg) at `at` (>= now). Calls at equal times run in the order scheduled. */
void tcpsim_at(struct tcpsim_sim *sim, tcpsim_time at, tcpsim_fn fn, void *arg);

enum tcpsim_run_status {
    TCPSIM_RUN_QUIET,       /* nothing left to happen */
    TCPSIM_RUN_TIME_LIMIT,  /* stopped at the time limit with events pending */
    TCPSIM_RUN_EVENT_LIMIT, /* stopped after max_events */
    TCPSIM_RUN_MEMORY_LIMIT, /* stopped: the simulation's own memory passed its limit */
    TCPSIM_RUN_OUTPUT_LIMIT, /* stopped: the outputs passed their size limit */
    TCPSIM_RUN_WALL_LIMIT,  /* stopped: the run took longer than its wall-clock limit */
    TCPSIM_RUN_END_OF_TIME, /* stopped: the next event lies beyond simulated time's end
                             * (2^62 ns, 146 years), where nothing runs */
};

/* Runs until nothing is pending or `until` (inclusive); max_events 0 means no limit. */
enum tcpsim_run_status tcpsim_run(struct tcpsim_sim *sim, tcpsim_time until,
                                  uint64_t max_events);
uint64_t tcpsim_events_run(const struct tcpsim_sim *sim);
/* Bounds the bytes the simulation's outputs write together (0: no limit); past it
 * tcpsim_run() stops with TCPSIM_RUN_OUTPUT_LIMIT. The outputs (trace, JSON lines,
 * capture, views) are renamed into place together by tcpsim_trace_end(), or none is. */
void tcpsim_set_output_limit(struct tcpsim_sim *sim, uint64_t bytes);
/* Bounds the wall-clock time each tcpsim_run() may take, in microseconds (0: none); past
 * it the run stops with TCPSIM_RUN_WALL_LIMIT. The clock is read every 4096 events. */
void tcpsim_set_wall_limit(struct tcpsim_sim *sim, int64_t us);
/* Removes every output temporary of the process on SIGINT, SIGTERM, SIGHUP or SIGPIPE,
 * then lets the signal end the process (for programs; installs signal handlers). */
void tcpsim_outputs_cleanup_on_signals(void);
/* The simulation's own memory, as its modules count it: connection blocks, link slots
 * and their payload copies, text held in buffers, the event heap, trace sink buffers.
 * tcpsim_run() stops with TCPSIM_RUN_MEMORY_LIMIT once it passes `bytes` (0: none). */
void tcpsim_set_memory_limit(struct tcpsim_sim *sim, uint64_t bytes);
/* Bytes counted now, or the most counted at once (`peak`). */
uint64_t tcpsim_memory_used(const struct tcpsim_sim *sim, bool peak);
/* A time at which nothing but timers far in the future remain: the run is "quiet"
 * when only connections in TIME_WAIT or idle keep-alive timers are left. */

/* --- traces -------------------------------------------------------------------- */

/* Text trace to `path` ("-" for standard output): the golden-file format. `cc` adds a
 * line for every change of the congestion window. */
gboolean tcpsim_trace_text(struct tcpsim_sim *sim, const char *path, gboolean absolute,
                           gboolean cc, GError **error);
/* A packet capture (classic pcap, nanosecond timestamps, raw IPv4) to `path` ("-" for
 * standard output). `at` is the capture point: a host's name (what a capture on its
 * interface sees: the segments it sends, as it sends them, and those delivered to it, as
 * they arrive), "sent" (every segment as it leaves its host) or "delivered" (every
 * segment as it arrives); NULL means the first host. Add the hosts first. */
gboolean tcpsim_trace_pcap(struct tcpsim_sim *sim, const char *path, const char *at,
                           GError **error);
/* The same capture as pcapng: the capture point as the interface's name, the hosts'
 * names, and on each packet a comment with the trace's reason for it. */
gboolean tcpsim_trace_pcapng(struct tcpsim_sim *sim, const char *path, const char *at,
                             GError **error);
/* JSON lines to `path` ("-" for standard output): one object per event, the schema in
 * docs/traces.md. `absolute` and `cc` as for the text trace. */
gboolean tcpsim_trace_jsonl(struct tcpsim_sim *sim, const char *path, gboolean absolute,
                            gboolean cc, GError **error);
/* Header fields; call before the first event. */
void tcpsim_trace_begin(struct tcpsim_sim *sim, const char *scenario, const char *title);
/* A SYN flood over the link from -> to, against `port` of host `to`: `rate` SYNs per
 * second for `duration`, from random addresses of prefix/prefix_len and random ports. */
gboolean tcpsim_flood(struct tcpsim_sim *sim, int from, int to, uint16_t port, uint64_t rate,
                      tcpsim_time duration, uint32_t prefix, int prefix_len);
/* Resource use, for benchmarks and memory bounds: the host's connection blocks alive
 * now, or the most alive at once (`peak`); the packet slots a link direction has
 * allocated (slots are reused, so this is its high-water mark). */
uint64_t tcpsim_host_tcbs(const struct tcpsim_sim *sim, int host, bool peak);
uint64_t tcpsim_link_slots(const struct tcpsim_sim *sim, int from, int to);
/* The sockets of `host` (-1: every host) as `ss -tanpo` lists them, one trace line per
 * socket; with `summary`, one line of counts per host instead (as `ss -s`). */
void tcpsim_ss(struct tcpsim_sim *sim, int host, bool summary);
/* A note line in the trace ("note ..."). */
void tcpsim_trace_note(struct tcpsim_sim *sim, int host, const char *text);
/* An expect line in the trace. */
void tcpsim_trace_expect(struct tcpsim_sim *sim, int host, const char *text);
/* An expect line's verdict: traced as "WHAT: ok" or "WHAT: FAILED, got GOT", and in the
 * JSON lines trace with each part in its own field. */
void tcpsim_trace_expect_verdict(struct tcpsim_sim *sim, int host, const char *what,
                                 const char *expected, const char *got, bool ok);
/* Flushes every sink and puts its output in place. */
gboolean tcpsim_trace_end(struct tcpsim_sim *sim, GError **error);

/* --- sockets ------------------------------------------------------------------- */

/* A new socket on `host`; `name` (may be NULL) is how traces call it. */
struct tcpsim_sock *tcpsim_socket(struct tcpsim_sim *sim, int host, const char *name);
const char *tcpsim_sock_name(const struct tcpsim_sock *s);
int tcpsim_sock_host(const struct tcpsim_sock *s);

void tcpsim_listen(struct tcpsim_sock *s, uint16_t port, int backlog);
/* from_port 0: an ephemeral port from ip_local_port_range. */
/* The family of `addr` is the socket's: the source is the host's address of that family
 * (ENETUNREACH when it has none). */
void tcpsim_connect(struct tcpsim_sock *s, struct tcpsim_addr addr, uint16_t port,
                    uint16_t from_port);
/* Takes the next connection of `listener` into `into` (a fresh socket). */
void tcpsim_accept(struct tcpsim_sock *listener, struct tcpsim_sock *into);
/* `text` NULL: `len` bytes of the pattern; else `len` bytes of text. */
void tcpsim_send(struct tcpsim_sock *s, uint64_t len, const uint8_t *text);
/* The same with MSG_MORE when `more`: more data follows, so the end is not pushed. */
void tcpsim_send_more(struct tcpsim_sock *s, uint64_t len, const uint8_t *text, bool more);
/* len 0: whatever is there (at least one byte, or end of stream). */
void tcpsim_recv(struct tcpsim_sock *s, uint64_t len);
void tcpsim_shutdown(struct tcpsim_sock *s, bool rd, bool wr);
void tcpsim_close(struct tcpsim_sock *s);
/* close() with SO_LINGER {1, 0}: the connection is reset. */
void tcpsim_abort(struct tcpsim_sock *s);
/* nodelay 1, keepalive 1, keepidle 30s, keepintvl 5s, keepcnt 3, rcvbuf 64KiB,
 * sndbuf 64KiB, user_timeout 10s, linger 0. FALSE with `error` for an unknown option
 * or a bad value (checked now; applied in call order). */
gboolean tcpsim_setsockopt(struct tcpsim_sock *s, const char *opt, const char *value,
                           GError **error);
gboolean tcpsim_sockopt_check(const char *opt, const char *value, GError **error);

/* State name as traces print it ("ESTABLISHED"); "CLOSED" for an unused socket. */
const char *tcpsim_sock_state(const struct tcpsim_sock *s);
/* The last error a call on the socket returned (0 if none), else the connection's
 * pending error. */
int tcpsim_sock_error(const struct tcpsim_sock *s);
/* Bytes the application received so far, and the first of them (up to a cap). */
uint64_t tcpsim_sock_received(const struct tcpsim_sock *s);
const GByteArray *tcpsim_sock_received_bytes(const struct tcpsim_sock *s);
/* Bytes received in order that were not the peer's bytes at that place (an old
 * incarnation's segment accepted, or a forgery). */
uint64_t tcpsim_sock_foreign_bytes(const struct tcpsim_sock *s);
/* Calls not yet finished. */
guint tcpsim_sock_pending(const struct tcpsim_sock *s);

/* --- application patterns ----------------------------------------------------------- */

struct tcpsim_pattern;

/* A server on `port`: accepts every connection; on each, reads requests of `request`
 * bytes and answers each with `response` bytes, until the client closes; with
 * `close_after`, closes after the first answer (HTTP/1.0). Its sockets are NAME.1, ... */
struct tcpsim_pattern *tcpsim_serve(struct tcpsim_sim *sim, int host, const char *name,
                                    uint16_t port, int backlog, uint64_t request,
                                    uint64_t response, bool close_after);
enum tcpsim_fetch_mode {
    TCPSIM_FETCH_SHORT,      /* a connection per request, one request at a time */
    TCPSIM_FETCH_PERSISTENT, /* one connection for every request */
    TCPSIM_FETCH_CONCURRENT, /* a connection per request, started on schedule whatever
                                the others are doing (an open-loop load) */
};
/* A client making `count` requests to addr:port: each sends `request` bytes and reads
 * `response` bytes; a connection of its own is closed by the client once answered.
 * `every` > 0 paces the requests (request i starts at i*every at the earliest; exactly
 * then when concurrent); 0 starts each when the previous ends (all at once when
 * concurrent). */
struct tcpsim_pattern *tcpsim_fetch(struct tcpsim_sim *sim, int host, const char *name,
                                    struct tcpsim_addr addr, uint16_t port, uint64_t count,
                                    uint64_t request, uint64_t response, tcpsim_time every,
                                    enum tcpsim_fetch_mode mode);
uint64_t tcpsim_pattern_started(const struct tcpsim_pattern *p);
uint64_t tcpsim_pattern_completed(const struct tcpsim_pattern *p);
uint64_t tcpsim_pattern_failed(const struct tcpsim_pattern *p);
/* The last error a call of the pattern returned (0 if none). */
int tcpsim_pattern_error(const struct tcpsim_pattern *p);

/* errno names and messages as traces print them ("ECONNREFUSED", "Connection refused"),
 * independent of the C library and the locale. */
const char *tcpsim_errno_name(int e);
const char *tcpsim_errno_text(int e);
/* The errno called `name`, or -1. */
int tcpsim_errno_from_name(const char *name);
/* Every name tcpsim knows, NULL-terminated. */
const char *const *tcpsim_errno_names(void);

/*
 * Run summaries (tcpsim run --summary; docs/summary.schema.json). Enable before the run:
 * every connection's outcome is gathered from the trace events as they happen. Checks
 * report their verdicts with tcpsim_summary_expect(); tcpsim_summary_json() writes the
 * whole as one line of JSON (g_free() it).
 */
struct tcpsim_summary_info {
    const char *version;        /* tcpsim's */
    const char *scenario;       /* its name or path */
    const char *title;
    const char *const *sets;    /* "HOST.knob=value", NULL-terminated, or NULL */
    const char *const *params;  /* "NAME=VALUE", NULL-terminated, or NULL */
    const char *status;         /* "ok", "failed" (an expect failed), or a limit's name */
};
void tcpsim_summary_enable(struct tcpsim_sim *sim);
void tcpsim_summary_expect(struct tcpsim_sim *sim, int host, const char *where, const char *what,
                           const char *expected, const char *got, bool ok);
char *tcpsim_summary_json(struct tcpsim_sim *sim, const struct tcpsim_summary_info *info);
/* The summary's numbers added up over connections and links: a sweep's row. */
struct tcpsim_summary_totals {
    uint64_t connections;     /* entries of "connections" */
    uint64_t established;     /* ... that reached ESTABLISHED */
    uint64_t completed;       /* ... that reached TIME_WAIT or CLOSED */
    int64_t last_completed;   /* the latest completed_ns, -1 if none */
    uint64_t retransmissions;
    uint64_t bytes_sent;
    uint64_t bytes_delivered;
    uint64_t link_sent;       /* over every link direction */
    uint64_t link_dropped;
};
void tcpsim_summary_totals(const struct tcpsim_sim *sim, struct tcpsim_summary_totals *out);
/* What the trace headers record besides the scenario: the --set and --param given
 * (NULL-terminated, or NULL). Call before tcpsim_trace_begin(). */
void tcpsim_trace_header_args(struct tcpsim_sim *sim, const char *const *sets,
                              const char *const *params);
/* The run's --ip-version ("ipv6", "ipv6-same-mss"; NULL: as written), for the headers. */
void tcpsim_trace_header_ip_version(struct tcpsim_sim *sim, const char *ip_version);

G_END_DECLS

#endif
