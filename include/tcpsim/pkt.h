/* SPDX-License-Identifier: MIT */
/*
 * tcpsim/pkt.h: packetdrill scripts run against one tcpsim endpoint.
 *
 * A script (packetdrill's language, plain TCP over IPv4) plays the remote peer: its `<`
 * lines are segments injected into the local host, its `>` lines segments the local
 * stack must send, and its system calls drive the local application. Everything runs in
 * virtual time, so a run is exact and reproducible. docs/conformance.md describes the
 * dialect, what is compared, and what is unsupported.
 *
 * A run ends in one of four ways: the script passed; it failed (the first difference,
 * located at its script line); it used a construct tcpsim does not model ("unsupported",
 * located and named; never silently skipped); or the file could not be read or parsed
 * ("error", with file:line:col).
 */
#ifndef TCPSIM_PKT_H
#define TCPSIM_PKT_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

G_BEGIN_DECLS

#define TCPSIM_PKT_ERROR (tcpsim_pkt_error_quark())
GQuark tcpsim_pkt_error_quark(void);

/* Error codes in TCPSIM_PKT_ERROR. */
enum tcpsim_pkt_error {
    TCPSIM_PKT_ERROR_IO,          /* the file could not be read */
    TCPSIM_PKT_ERROR_SYNTAX,      /* a located error in the text */
    TCPSIM_PKT_ERROR_UNSUPPORTED, /* a located construct tcpsim does not model */
};

/* What an outbound segment is compared on. */
enum {
    TCPSIM_PKT_CMP_FLAGS = 1u << 0,   /* S F R . U E W: the state machine's flags */
    TCPSIM_PKT_CMP_SEQ = 1u << 1,
    TCPSIM_PKT_CMP_ACK = 1u << 2,
    TCPSIM_PKT_CMP_LEN = 1u << 3,
    TCPSIM_PKT_CMP_WIN = 1u << 4,     /* when the script gives `win` */
    TCPSIM_PKT_CMP_OPTIONS = 1u << 5, /* unless the script says <...> */
    TCPSIM_PKT_CMP_TIMING = 1u << 6,  /* segment times and call returns, with tolerance */
    TCPSIM_PKT_CMP_PSH = 1u << 7,     /* P: where the application's writes ended */
};
#define TCPSIM_PKT_CMP_ALL 0xFFu
/* What packetdrill compares, and so the default: everything. */
#define TCPSIM_PKT_CMP_DEFAULT TCPSIM_PKT_CMP_ALL

/* The tick count (the initial_jiffies knob) at a script's time 0 unless --set says
 * otherwise: 2^32 + 5, Linux's jiffies 5 min 20 ms after boot, where the timer wheel's
 * 8-tick buckets begin 3 ticks into a script (docs/conformance.md). */
#define TCPSIM_PKT_INITIAL_JIFFIES (4294967296LL + 5)
/* The lenient comparison, only on request: the state machine's view of a segment. */
#define TCPSIM_PKT_CMP_LENIENT                                                             \
    (TCPSIM_PKT_CMP_FLAGS | TCPSIM_PKT_CMP_SEQ | TCPSIM_PKT_CMP_ACK | TCPSIM_PKT_CMP_LEN)

/* Parses "flags,seq,ack,len", "all" (= "default", = "strict") or "lenient" into a
 * TCPSIM_PKT_CMP_* mask. */
gboolean tcpsim_pkt_parse_compare(const char *text, unsigned *mask, GError **error);
/* The name a report gives a mask: "all", "lenient", or the list of its fields. */
char *tcpsim_pkt_compare_name(unsigned mask);

struct tcpsim_pkt_script;

/* Reads and parses a script. NULL with `error` set: TCPSIM_PKT_ERROR_SYNTAX or
 * TCPSIM_PKT_ERROR_UNSUPPORTED, the message "file:line:col: error: ..." or
 * "file:line:col: unsupported: ...". */
struct tcpsim_pkt_script *tcpsim_pkt_load(const char *path, GError **error);
/* The same from text; `name` is the file name used in messages (and the directory
 * against which `../common/...` commands are resolved). */
struct tcpsim_pkt_script *tcpsim_pkt_parse(const char *name, const char *text, size_t len,
                                           GError **error);
/* The same, with the names `#ifdef` blocks test (NULL-terminated; NULL for none). The
 * two above define what tcpsim_pkt_defines("linux") gives. */
struct tcpsim_pkt_script *tcpsim_pkt_load_defined(const char *path,
                                                  const char *const *defines, GError **error);
struct tcpsim_pkt_script *tcpsim_pkt_parse_defined(const char *name, const char *text,
                                                   size_t len, const char *const *defines,
                                                   GError **error);
/* The same, with a size limit other than a script file's (1 MiB): for scripts a program
 * writes itself, as `tcpsim replay` does from a capture. */
struct tcpsim_pkt_script *tcpsim_pkt_parse_bounded(const char *name, const char *text,
                                                   size_t len, const char *const *defines,
                                                   size_t max_bytes, GError **error);
/* The name packetdrill defines for the stack a personality models ("Linux" for linux),
 * or NULL (rfc: no stack's). */
const char *tcpsim_pkt_stack_define(const char *personality);
void tcpsim_pkt_script_free(struct tcpsim_pkt_script *s);
guint tcpsim_pkt_script_events(const struct tcpsim_pkt_script *s);

struct tcpsim_pkt_options {
    unsigned compare;        /* TCPSIM_PKT_CMP_*; 0 means TCPSIM_PKT_CMP_DEFAULT */
    const char *const *sets; /* "knob=value" for the local host, NULL-terminated */
    uint64_t seed;
    const char *trace_path;  /* NULL: no trace; "-": standard output */
    bool verbose;            /* every event and segment to standard output as it runs */
    int64_t tolerance_usecs; /* > 0: packetdrill's --tolerance_usecs (the script's own
                              * header option still wins, as in packetdrill) */
    const char *const *header_options; /* packetdrill options as "name=value" (ip_version,
                              * local_ip, remote_ip, mtu ...), applied before the script's
                              * own header options, which win; NULL-terminated or NULL */
};

enum tcpsim_pkt_status {
    TCPSIM_PKT_PASS,
    TCPSIM_PKT_FAIL,
    TCPSIM_PKT_UNSUPPORTED,
    TCPSIM_PKT_SCRIPT_ERROR,
};

struct tcpsim_pkt_result {
    enum tcpsim_pkt_status status;
    int line;          /* of the event that failed or was unsupported; 0 if none */
    int col;
    char *reason;      /* one line: what differed, what is unsupported */
    char *details;     /* packetdrill-style report: script line, expected, actual */
    char *notes;       /* what a reader should know even of a pass, one a line, or "" */
    guint events_run;  /* events completed before the end */
    guint events;
    int64_t end_time;  /* virtual time at the end, ns */
    unsigned compare;  /* what was compared (TCPSIM_PKT_CMP_*) */
    int64_t tolerance_usecs; /* the timing tolerance in force */
};

/* Runs a parsed script. FALSE with `error` only for bad options (a --set that names no
 * knob); every outcome of the script itself is in `result`. */
gboolean tcpsim_pkt_run(const struct tcpsim_pkt_script *s, const struct tcpsim_pkt_options *o,
                        struct tcpsim_pkt_result *result, GError **error);
void tcpsim_pkt_result_clear(struct tcpsim_pkt_result *r);

const char *tcpsim_pkt_status_name(enum tcpsim_pkt_status st);

/* The machine-readable summary line (no newline):
 * pkt-result status=fail file=F line=12 col=4 events=7/15 time=0.300000 reason="..." */
char *tcpsim_pkt_summary(const char *file, const struct tcpsim_pkt_result *r);

G_END_DECLS

#endif
