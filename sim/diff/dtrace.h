/* SPDX-License-Identifier: MIT */
/*
 * dtrace.h: a trace as the diff reads it: a list of events parsed from text.
 *
 * Two inputs are understood: tcpsim's text trace (docs/traces.md) and the text tcpdump
 * prints (`tcpdump -n -r x.pcap`, relative or absolute numbers). Both become the same
 * events; a tcpdump line is a captured segment with no host or event word. Private to
 * sim/diff.
 */
#ifndef TCPSIM_DIFF_DTRACE_H
#define TCPSIM_DIFF_DTRACE_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <tcpsim/addr.h>

#include "diff.h"

enum dev_kind {
    DEV_SENT,
    DEV_DELIVERED,
    DEV_DROPPED,
    DEV_DISCARDED,
    DEV_STATE,
    DEV_TIMER,
    DEV_APP,
    DEV_EXPECT,
    DEV_NOTE,
    DEV_CC,
    DEV_SS,       /* a row of a socket listing */
    DEV_CAPTURED, /* a tcpdump line: a segment seen at some capture point */
    DEV_NKINDS
};

#define DSEG_MAX_OPTS 40
#define DSEG_MAX_SACK 4

/* TCP flag bits as tcpdump's letters name them (F S R P . U E W). */
enum {
    DF_FIN = 0x01,
    DF_SYN = 0x02,
    DF_RST = 0x04,
    DF_PSH = 0x08,
    DF_ACK = 0x10,
    DF_URG = 0x20,
    DF_ECE = 0x40,
    DF_CWR = 0x80,
};

struct dseg {
    struct tcpsim_addr saddr; /* IPv4 or IPv6 (tcpsim/addr.h) */
    struct tcpsim_addr daddr;
    uint16_t sport;
    uint16_t dport;
    uint8_t flags;
    bool has_seq;
    bool has_ack;
    bool has_urg;
    bool has_ts;
    uint32_t seq;
    uint32_t end; /* seq + length, as printed in "seq A:B" */
    uint32_t ack;
    uint32_t win;
    uint32_t urg;
    uint32_t len;
    uint32_t ts_val;
    uint32_t ts_ecr;
    uint8_t nsack;
    uint32_t sack[DSEG_MAX_SACK][2];
    const char *opts;       /* the options list as printed, without brackets ("" for none) */
    const char *annotation; /* tcpsim: the text in the trailing parentheses, or NULL */
};

struct dev {
    enum dev_kind kind;
    uint32_t line;    /* 1-based line in the input */
    int64_t at;       /* ns; for tcpdump input, as printed (see dtrace.time_kind) */
    const char *who;  /* "A", "A->B"; "" for tcpdump lines */
    const char *text; /* the whole line, for reports */
    const char *body; /* the event's body (non-segment events) */
    struct dseg seg;  /* segment events */
};

enum dtrace_format { DTRACE_TCPSIM, DTRACE_TCPDUMP };

struct dtrace {
    char *name; /* for messages: the path as given */
    enum dtrace_format format;
    char *text;            /* owned input, split into lines in place */
    GStringChunk *strings; /* strings the events point to */
    GArray *ev;            /* struct dev, in input order */
    bool absolute;         /* tcpsim: "# sequence numbers absolute" */
    bool has_time;         /* tcpdump -t prints no time */
    int time_digits;       /* decimals of the timestamps (6 or 9) */
    uint32_t skipped;      /* tcpdump lines that are not IPv4 TCP */
    /* tcpsim header fields, or NULL */
    char *scenario;
    char *title;
    char *seed;
    char *hosts;      /* "A=10.0.0.1 B=10.0.0.2" */
    char *first_host; /* "A" */
};

/* parse_seg.c: a segment in tcpdump -n notation, from `p` to the end of `length N`.
 * On success *rest points after it (the annotation, or tcpdump's protocol decode). */
gboolean dseg_parse(const char *p, struct dseg *seg, const char **rest, GStringChunk *strings,
                    const char **why);

/* parse_tcpsim.c, parse_tcpdump.c: the events of one input; `t->text` is set. */
/* The next line of the text at *p, cut in place (its '\n' and a '\r' before it removed),
 * *p moved past it and *line counted; NULL at the end. */
char *dtrace_next_line(char **p, uint32_t *line);
gboolean dtrace_parse_tcpsim(struct dtrace *t, GError **error);
gboolean dtrace_parse_tcpdump(struct dtrace *t, GError **error);

/* relseq.c: tcpsim traces relative to the ISNs, tcpdump text absolute. */
void dtrace_relativise(struct dtrace *t);

/* Error helper: "name:line: error: ..." in DIFF_ERROR. */
void dtrace_error(GError **error, const struct dtrace *t, uint32_t line, const char *fmt, ...)
    G_GNUC_PRINTF(4, 5);

bool dev_is_segment(enum dev_kind k);
const char *dev_kind_name(enum dev_kind k);

#endif
