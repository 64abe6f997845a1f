/* SPDX-License-Identifier: MIT */
/*
 * explore.h: tcpsim explore, a bounded exhaustive exploration of the real TCP code.
 *
 * From a scenario prefix, every interleaving of application calls, link events (deliver
 * or duplicate each segment in flight, in any order; one never delivered is lost) and
 * timer firings is tried up to a depth, breadth first, by deterministic re-execution: a
 * path is a list of choice indices, and a node is reached by building a fresh world from
 * the prefix and replaying its path. States already seen (a hash of the connections, the
 * segments in flight and the applications) are not expanded again. After every step the
 * invariants (docs/invariants.md) and the stream property are checked; each kind of
 * violation is kept once, with its shortest path, and written out as an ordinary
 * scenario.
 *
 *   explore.c        the world under exploration: the prefix, the choices, applying one
 *   explore_state.c  the checks after every step, the state's hash, a path's scenario lines
 *   explore_search.c the breadth-first search, the workers (--jobs) and the coverage
 *   explore_seen.c   the table of states met (shared by the workers)
 *   explore_write.c  a path as a scenario file, with its trace, ladder and explanation
 *   explore_heap.c   the heap a world lives in, saved and copied back for each child
 *
 * docs/explore.md says what is explored and what it found.
 */
#ifndef TCPSIM_EXPLORE_H
#define TCPSIM_EXPLORE_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "../engine/time.h"

struct tcpsim_scenario;

struct explore_opts {
    const char *prefix_name;  /* the prefix's file name, for messages and the output */
    const char *prefix_text;  /* its text, copied verbatim into each scenario written */
    const struct tcpsim_scenario *scn; /* the prefix, parsed and checked */
    int depth;                /* choices after the prefix */
    uint64_t max_states;      /* distinct states per worker; 0: no limit */
    double max_seconds;       /* wall-clock per worker; 0: no limit */
    int jobs;                 /* worker processes */
    size_t table_bits;        /* the workers' shared table of states: 2^table_bits slots;
                               * 0: SEEN_SHARED_BITS (explore_seen.h) */
    sim_time step;            /* the time a delivery or a call takes */
    int sends;                /* send() calls per socket */
    uint32_t send_size;       /* bytes per send() */
    int dups;                 /* duplications per path */
    int drops;                /* explicit drops per path (only under --reorder) */
    int reorder;              /* a segment may overtake this many older ones on its way */
    const char *out_dir;      /* where violations are written; NULL: not written */
    bool verbose;             /* a progress line per depth on standard error */
    int find_state;           /* enum tcp_state: reaching it is a finding too; -1: none */
    const char *find_counter; /* a counter (nstat's name) going above 0 is too; NULL: none */
    bool no_snapshots;        /* replay every child from the prefix (explore_heap.h) */
};

/* Event kinds, the columns of the coverage table. */
enum xcol {
    XC_SYN, XC_SYNACK, XC_ACK, XC_DATA, XC_FIN, XC_FINACK, XC_RST, XC_RSTACK, XC_SYNFIN,
    XC_NOFLAGS,
    XC_CONNECT, XC_SEND, XC_RECV, XC_SHUTDOWN, XC_CLOSE, XC_ABORT,
    XC_T_RTO, XC_T_PERSIST, XC_T_KEEPALIVE, XC_T_DELACK, XC_T_TIMEWAIT, XC_T_OTHER,
    XC_N
};
#define XROWS 11 /* enum tcp_state: CLOSED .. TIME_WAIT */

struct explore_found {
    char *what;    /* the broken invariant or property */
    GByteArray *path;
    char *file;    /* the scenario written, or NULL */
};

struct explore_result {
    uint64_t states;      /* distinct states reached (summed over the workers) */
    uint64_t transitions; /* choices tried */
    uint64_t replayed;    /* steps re-executed to get there */
    int depth_done;       /* every path of this many choices was explored */
    uint8_t stopped;      /* the limits that stopped it before opts.depth: EXPLORE_STOP_* */
    double seconds;
    uint64_t cov[XROWS][XC_N]; /* transitions per TCP state and event kind */
    GPtrArray *found;     /* struct explore_found *, one per kind of violation */
};

/* What stopped a search before its depth (bits of explore_result.stopped). */
enum {
    EXPLORE_STOP_STATES = 1, /* --max-states */
    EXPLORE_STOP_TABLE = 2,  /* the shared table of states is full (--table) */
    EXPLORE_STOP_TIME = 4,   /* --max-time */
};
/* The limits in `stopped` in words, e.g. "--max-time" or "the table of states is full
 * (--table)". */
const char *explore_stop_text(uint8_t stopped);

/* Runs the exploration; FALSE with `error` when the prefix cannot be explored. */
gboolean explore_run(const struct explore_opts *o, struct explore_result *r, GError **error);
void explore_result_clear(struct explore_result *r);
/* The coverage table as text. */
char *explore_coverage_text(const struct explore_result *r);
const char *explore_col_name(enum xcol c);
/* The RFC 9293 section that says what the cell's event does in its state. */
const char *explore_cell_section(int state, enum xcol c);

/* explore_write.c: the scenario for `path` (`what` in its header); NULL with `error`. */
char *explore_scenario_text(const struct explore_opts *o, const uint8_t *path, guint len,
                            const char *what, GError **error);
/* Writes OUT_DIR/violation-N.scn with its .trace, .ladder and .explain; sets f->file. */
gboolean explore_write_found(const struct explore_opts *o, struct explore_found *f, guint n,
                             GError **error);

/* --- explore.c: one world, replayed (for explore_search.c and explore_write.c) ---------- */

struct xworld;
/* A fresh world run through the prefix; NULL with `error` when the prefix is unfit. */
struct xworld *xw_new(const struct explore_opts *o, GError **error);
void xw_free(struct xworld *w);
/* Keep what xw_scenario_lines() needs from now on (the search does without). */
void xw_record(struct xworld *w);
/* The choices enabled now (0 at a dead end). */
guint xw_nchoices(struct xworld *w);
/* Applies choice `i`: its coverage cell goes to `row` and `col`. */
void xw_apply(struct xworld *w, guint i, int *row, int *col);
/* Applies the choices of a path already checked, without the checks after each step
 * (the search replays a path for every transition from its node: the checks were made
 * when the path was first tried). A broken invariant inside the TCP is still recorded. */
void xw_replay(struct xworld *w, const uint8_t *path, guint len);
/* NULL while everything holds, else the first violation (owned by the world). */
const char *xw_violation(struct xworld *w);
uint64_t xw_hash(struct xworld *w);
/* The scenario lines the path so far stands for, appended to `out`. */
void xw_scenario_lines(struct xworld *w, GString *out);
/* A one-line description of choice `i`, for the written scenario's comments. */
char *xw_choice_text(struct xworld *w, guint i);
/* Readies the heap worlds can be built in, saved and copied back (explore_heap.h), and
 * the engine for it (small rings and pool chunks); false when this process cannot have
 * it (a sanitizer build, or glib's slices not from malloc()). */
bool xw_heap_begin(void);
/* Restores the invariant handler; call when done with worlds. */
void xw_done(void);

#endif
