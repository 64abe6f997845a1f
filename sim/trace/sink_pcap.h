/* SPDX-License-Identifier: MIT */
/*
 * sink_pcap.h: the trace as a packet capture (classic pcap, nanosecond timestamps).
 */
#ifndef TCPSIM_TRACE_SINK_PCAP_H
#define TCPSIM_TRACE_SINK_PCAP_H

#include "trace.h"

/* Where the capture is taken (docs/traces.md, "pcap"). */
enum pcap_point {
    PCAP_AT_HOST,      /* one host's interface: what it sends, when it sends it, and what
                        * is delivered to it, when it arrives (damaged if it was) */
    PCAP_AT_SENT,      /* every segment as a host hands it to a link */
    PCAP_AT_DELIVERED, /* every segment as a link hands it to a host */
};

/* The pcap magic for nanosecond timestamps, and the link type: LINKTYPE_RAW, each
 * packet begins with its IPv4 header. */
#define PCAP_MAGIC_NSEC 0xa1b23c4du
#define PCAP_LINKTYPE_RAW 101u
#define PCAP_SNAPLEN 65535u

/* Adds a pcap sink writing to `path` ("-" for standard output); `host` names the host
 * for PCAP_AT_HOST (copied). The file appears whole or not at all. */
gboolean sink_pcap_add(struct trace *t, const char *path, enum pcap_point at, const char *host,
                       GError **error);

/* The same, as pcapng when `pcapng` (interface name, host names, a comment per packet). */
gboolean sink_pcap_add_format(struct trace *t, const char *path, enum pcap_point at,
                              const char *host, bool pcapng, GError **error);

#endif
