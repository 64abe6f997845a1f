/* SPDX-License-Identifier: MIT */
/*
 * pcap_read.c: a packet capture (pcap or pcapng) turned into the text `tcpdump -n -tt -S`
 * prints for its TCP segments over IPv4 and IPv6, so that tcpsim diff compares a real
 * capture with no tcpdump step in between.
 *
 * Entry points: dpcap_available(), dpcap_is_capture(), dpcap_to_text(). The capture is
 * read by tcpsim's one capture reader (capture.c), the one tcpsim replay uses too; no
 * library is needed.
 */
#include "pcap_read.h"

#include "capture.h"
#include "dtrace.h"

bool
dpcap_available(void)
{
    return true;
}

bool
dpcap_is_capture(const char *data, size_t len)
{
    return capture_is_binary(data, len);
}

char *
dpcap_to_text(const char *name, const char *data, size_t len, size_t *out_len, GError **error)
{
    struct capture *c = capture_new(name);
    if (!capture_read_binary(c, (const uint8_t *)data, len, DIFF_ERROR, 0, error)) {
        capture_free(c);
        return NULL;
    }
    char *text = capture_to_text(c, out_len);
    capture_free(c);
    return text;
}
