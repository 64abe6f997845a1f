/* SPDX-License-Identifier: MIT */
/*
 * pcap_read.h: packet captures read as tcpdump text (pcap_read.c).
 */
#ifndef TCPSIM_DIFF_PCAP_READ_H
#define TCPSIM_DIFF_PCAP_READ_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>

/* Can tcpsim read captures? Always, now (capture.c); kept for diff's help text. */
bool dpcap_available(void);
/* Does `data` start like a pcap or pcapng file? */
bool dpcap_is_capture(const char *data, size_t len);
/* The capture's IPv4 and IPv6 TCP segments as `tcpdump -n -tt -S` lines (g_free()), or
 * NULL with `error` (DIFF_ERROR) naming the packet where it is malformed. */
char *dpcap_to_text(const char *name, const char *data, size_t len, size_t *out_len,
                    GError **error);

#endif
