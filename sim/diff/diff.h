/* SPDX-License-Identifier: MIT */
/*
 * diff.h: the semantic trace diff (tcpsim diff, tcpsim check).
 *
 * Two traces are read into events, normalised (sequence numbers relative to the ISNs,
 * ignored fields blanked), aligned with Myers' O(ND) difference algorithm over the
 * normalised events, and the differences classified: a segment or event missing from
 * one side, a segment whose flags, numbers, window or options differ, a state change or
 * application result that differs, the same event at another time. The report names the
 * first divergence with context and counts all of them (docs/traces.md, "diff").
 *
 * Inputs are tcpsim text traces or tcpdump -n text; errors in them are reported as
 * "file:line: error: ..." and never abort.
 */
#ifndef TCPSIM_DIFF_DIFF_H
#define TCPSIM_DIFF_DIFF_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define DIFF_ERROR (diff_error_quark())
GQuark diff_error_quark(void);

/* What --ignore can name: fields, then whole kinds of event. */
enum diff_ignore {
    DIFF_IGN_TIME = 1u << 0,
    DIFF_IGN_ISN = 1u << 1,
    DIFF_IGN_PORTS = 1u << 2,
    DIFF_IGN_ADDRS = 1u << 3,
    DIFF_IGN_SEQ = 1u << 4,
    DIFF_IGN_WINDOW = 1u << 5,
    DIFF_IGN_OPTIONS = 1u << 6,
    DIFF_IGN_TS = 1u << 7,
    DIFF_IGN_ANNOTATIONS = 1u << 8,
    DIFF_IGN_SENT = 1u << 9, /* the event kinds, in enum dev_kind order from here */
    DIFF_IGN_DELIVERED = 1u << 10,
    DIFF_IGN_DROPPED = 1u << 11,
    DIFF_IGN_DISCARDED = 1u << 12,
    DIFF_IGN_STATE = 1u << 13,
    DIFF_IGN_TIMER = 1u << 14,
    DIFF_IGN_APP = 1u << 15,
    DIFF_IGN_EXPECT = 1u << 16,
    DIFF_IGN_NOTE = 1u << 17,
    DIFF_IGN_CC = 1u << 18,
    DIFF_IGN_SS = 1u << 19,
};
#define DIFF_IGN_KIND_SHIFT 9

struct diff_options {
    uint32_t ignore;     /* enum diff_ignore bits */
    int64_t time_within; /* ns: times this close are the same */
    const char *pcap_at; /* compare segments only, as captured there; NULL: see below */
    unsigned context;    /* events shown before the first divergence */
    bool all;            /* list every divergence, not only the first */
    bool quiet;          /* print nothing; the exit status says it */
};

/* Parses a comma-separated --ignore list into `bits` (added). The error lists the
 * valid names. */
gboolean diff_parse_ignore(const char *list, uint32_t *bits, GError **error);
/* "time, isn, ports, ..." */
const char *diff_ignore_names(void);

struct dtrace;

/* Reads a trace file (a name ending in .gz is decompressed) or standard output "-". */
struct dtrace *dtrace_load(const char *path, GError **error);
/* The same from text in memory (copied); `name` is used in messages. */
struct dtrace *dtrace_from_text(const char *name, const char *text, size_t len, GError **error);
void dtrace_free(struct dtrace *t);
/* The scenario named in a tcpsim trace's header, or NULL. */
const char *dtrace_scenario(const struct dtrace *t);

/* Compares `a` with `b` and writes the report to `out`. Returns the number of
 * divergences (0: the traces agree), or -1 with `error` (a bad --pcap-at). */
int64_t diff_traces(const struct dtrace *a, const struct dtrace *b, const struct diff_options *o,
                    FILE *out, GError **error);

#endif
