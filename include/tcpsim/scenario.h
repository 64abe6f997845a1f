/* SPDX-License-Identifier: MIT */
/*
 * tcpsim/scenario.h: scenario files, parsed, checked and run.
 *
 * A scenario is a few lines of set-up (hosts, links, tunables) and a timeline of
 * application calls, network faults and checks (`expect`). The language is described in
 * scenarios/README.md. Errors in a file are reported as "file:line:col: error: ..." and
 * nothing is simulated.
 */
#ifndef TCPSIM_SCENARIO_H
#define TCPSIM_SCENARIO_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include "sim.h"

G_BEGIN_DECLS

#define TCPSIM_SCENARIO_ERROR (tcpsim_scenario_error_quark())
GQuark tcpsim_scenario_error_quark(void);

/* Error codes in TCPSIM_SCENARIO_ERROR. */
enum tcpsim_scenario_error {
    TCPSIM_SCENARIO_ERROR_IO,     /* the file could not be read */
    TCPSIM_SCENARIO_ERROR_SYNTAX, /* a located error in the text */
    TCPSIM_SCENARIO_ERROR_LIMIT,  /* the run hit --max-events or a size limit */
};

struct tcpsim_scenario;
struct tcpsim_views;

/* Reads and checks a file. NULL with `error` set ("file:line:col: error: ..."). */
struct tcpsim_scenario *tcpsim_scenario_load(const char *path, GError **error);
/* The same from text; `name` is used in messages. */
struct tcpsim_scenario *tcpsim_scenario_parse(const char *name, const char *text, size_t len,
                                              GError **error);
void tcpsim_scenario_free(struct tcpsim_scenario *scn);

/* A scenario template's text with every ${NAME} replaced by the VALUE of a "NAME=VALUE"
 * in `params` (NULL-terminated), or by DEFAULT in ${NAME:-DEFAULT} when none is given.
 * NULL with `error` ("name:line:col: error: ...") for a parameter with no value, or a
 * "NAME=VALUE" that is malformed or names no parameter of the text. */
char *tcpsim_scenario_instantiate(const char *name, const char *text,
                                  const char *const *params, GError **error);

const char *tcpsim_scenario_title(const struct tcpsim_scenario *scn);

struct tcpsim_run_options {
    const char *trace_path;  /* NULL or "-": standard output */
    const char *trace_name;  /* the scenario's name in the trace header; NULL: its path */
    bool no_trace;
    bool absolute_seq;       /* raw sequence numbers in the trace */
    bool trace_cc;           /* congestion-window changes in the trace */
    bool has_seed;           /* override the file's seed */
    uint64_t seed;
    const char *const *sets; /* "HOST.knob=value" or "*.knob=value", NULL-terminated */
    uint64_t max_events;     /* 0: the default limit */
    const struct tcpsim_views *views; /* pictures and explanations (tcpsim/view.h), or NULL */
    const char *pcap_path;   /* a packet capture too (NULL: none) */
    const char *pcap_at;     /* its capture point (tcpsim_trace_pcap()); NULL: first host */
    bool pcapng;             /* the capture as pcapng (tcpsim_trace_pcapng()) */
    const char *jsonl_path;  /* a JSON lines trace too (NULL: none) */
    int64_t max_time;        /* 0: none; else stop at this simulated time (ns), as `end` */
    uint64_t max_memory;     /* bytes of simulation state; 0: the default, UINT64_MAX: none */
    uint64_t max_output;     /* bytes all outputs may write; 0: the default, UINT64_MAX: none */
    int64_t max_wall;        /* wall-clock microseconds the run may take; 0: the default,
                              * -1: none */
    const char *const *params; /* "NAME=VALUE" the text was instantiated with (trace headers
                                  and summary; tcpsim_scenario_instantiate()), or NULL */
    bool summary;            /* fill result->summary (docs/summary.schema.json) */
    bool counters;           /* fill result->counters (nstat's format) */
    int ip_version;          /* 0 or 4: the addresses as written; 6: every IPv4 address
                                a.b.c.d becomes the IPv6 address 2001:db8::a.b.c.d
                                (tcpsim_scenario_addr_v6()), so the scenario runs over IPv6 */
    bool same_mss;           /* with ip_version 6: the hosts' MTUs 20 bytes larger, so the MSS
                                and every segment size are IPv4's, and the links charge each
                                packet its IPv4 size (tcpsim_links_ipv6_as_ipv4()): the
                                families compare segment for segment */
};

/* The IPv6 address `--ip-version 6` gives the IPv4 address `v4`: 2001:db8::/96 (RFC 3849,
 * the documentation prefix) with the IPv4 address in its last 32 bits. Any other address
 * is returned unchanged. */
struct tcpsim_addr tcpsim_scenario_addr_v6(struct tcpsim_addr v4);

struct tcpsim_run_result {
    guint expects;        /* checks run */
    guint failed;         /* checks that failed */
    GPtrArray *failures;  /* char *: "file:line:col: expect failed: ..." */
    uint64_t events;
    int64_t end_time;     /* ns */
    uint64_t segments;    /* handed to the links, every direction (loopbacks too) */
    uint64_t peak_tcbs;   /* connection blocks alive at once, summed over the hosts */
    uint64_t peak_memory; /* the most simulation memory counted at once (--max-memory) */
    char *summary;        /* opts->summary: one line of JSON; else NULL */
    struct tcpsim_summary_totals totals; /* opts->summary: its numbers added up */
    uint64_t seed;        /* the seed the run used */
    char *counters;       /* opts->counters: every host's non-zero counters as nstat prints
                             them, a "#kernel HOST" line before each host's; else NULL */
};

/* Runs the scenario. FALSE with `error` for bad options or a limit reached (the trace
 * file is then not written); TRUE otherwise, whatever the expects found. */
gboolean tcpsim_scenario_run(const struct tcpsim_scenario *scn,
                             const struct tcpsim_run_options *opts,
                             struct tcpsim_run_result *result, GError **error);
void tcpsim_run_result_clear(struct tcpsim_run_result *result);

#define TCPSIM_DEFAULT_MAX_EVENTS 200000000ull
#define TCPSIM_DEFAULT_MAX_MEMORY (512ull << 20) /* 512 MiB */
#define TCPSIM_DEFAULT_MAX_OUTPUT (4ull << 30)   /* 4 GiB, every output together */
#define TCPSIM_DEFAULT_MAX_WALL (600ll * 1000000) /* 10 minutes of wall-clock time */

G_END_DECLS

#endif
