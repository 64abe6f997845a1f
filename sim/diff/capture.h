/* SPDX-License-Identifier: MIT */
/*
 * capture.h: packet captures (pcap, pcapng) read into TCP segments, the one capture
 * reader of tcpsim: tcpsim diff prints them as tcpdump text (pcap_read.c), tcpsim
 * replay takes the segments (sim/replay/rcap.c).
 */
#ifndef TCPSIM_DIFF_CAPTURE_H
#define TCPSIM_DIFF_CAPTURE_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dtrace.h"

#define CAPTURE_MAX_SEGMENTS 2000000u

/* One captured TCP segment, its numbers absolute, as on the wire. */
struct capseg {
    int64_t at;     /* ns, the capture's own clock */
    uint32_t index; /* 1-based packet (or line) number in the capture */
    struct dseg s;  /* s.opts: the options as tcpdump prints them ("" for none) */
};

struct capture {
    char *name;
    GArray *segs;          /* struct capseg, in capture order */
    GStringChunk *strings; /* option texts */
    uint32_t skipped;      /* packets that are not IPv4 or IPv6 TCP */
    const char *format;    /* "pcap", "pcapng", "tcpdump text" */
};

/* Does `data` start like a pcap or pcapng file? */
bool capture_is_binary(const void *data, size_t len);
/* An empty capture named `name` (used in messages). */
struct capture *capture_new(const char *name);
void capture_free(struct capture *c);
/* Reads the pcap or pcapng file in `b` into `c`; FALSE with `error` (in `domain`,
 * code `code`) naming the packet when it is malformed. */
gboolean capture_read_binary(struct capture *c, const uint8_t *b, size_t n, GQuark domain,
                             int code, GError **error);
/* The segments as `tcpdump -n -tt -S` prints them, one a line (g_free()). */
char *capture_to_text(const struct capture *c, size_t *out_len);

#endif
