/* SPDX-License-Identifier: MIT */
/*
 * pcap_read.c: a packet capture (pcap or pcapng, as libpcap reads them) turned into the
 * text `tcpdump -n -tt -S` prints for its TCP segments over IPv4 and IPv6, so that tcpsim
 * diff compares a real capture with no tcpdump step in between.
 *
 * Entry points: dpcap_is_capture(), dpcap_to_text(). Link layers: raw IP, Ethernet
 * (with 802.1Q tags), Linux cooked (SLL and SLL2), BSD loopback. Other packets (ARP,
 * UDP, fragments, IPv6 with extension headers) are left out. The
 * capture is untrusted: every length is checked against what was captured.
 *
 * libpcap is opened (dlopen) the first time a capture is read, not linked: linked, it
 * brought nine more shared libraries (dbus, systemd, gcrypt, ...) into every tcpsim
 * process, half of the start-up time of a short run that never reads a capture.
 */
/* libpcap's headers use the BSD names u_int and u_char, which _POSIX_C_SOURCE hides. */
#define _DEFAULT_SOURCE 1
#include <string.h>

#include "dtrace.h"
#include "pcap_read.h"

#if TCPSIM_HAVE_LIBPCAP
#include <dlfcn.h>
#include <pcap/pcap.h>
#include <stdio.h>

/* The five libpcap functions diff uses, resolved once. */
static struct {
    bool tried, ok;
    pcap_t *(*fopen_offline)(FILE *, u_int, char *);
    int (*datalink)(pcap_t *);
    int (*next_ex)(pcap_t *, struct pcap_pkthdr **, const u_char **);
    char *(*geterr)(pcap_t *);
    void (*close)(pcap_t *);
} lp;

static bool
libpcap_load(void)
{
    if (lp.tried) {
        return lp.ok;
    }
    lp.tried = true;
    static const char *const names[] = {"libpcap.so.0.8", "libpcap.so.1", "libpcap.so",
                                        "libpcap.A.dylib", "libpcap.dylib"};
    void *h = NULL;
    for (size_t i = 0; h == NULL && i < G_N_ELEMENTS(names); i++) {
        h = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    }
    if (h == NULL) {
        return false;
    }
    /* POSIX lets a data pointer hold a function's address (dlsym returns one). */
    *(void **)&lp.fopen_offline = dlsym(h, "pcap_fopen_offline_with_tstamp_precision");
    *(void **)&lp.datalink = dlsym(h, "pcap_datalink");
    *(void **)&lp.next_ex = dlsym(h, "pcap_next_ex");
    *(void **)&lp.geterr = dlsym(h, "pcap_geterr");
    *(void **)&lp.close = dlsym(h, "pcap_close");
    lp.ok = lp.fopen_offline && lp.datalink && lp.next_ex && lp.geterr && lp.close;
    return lp.ok; /* the library stays open for the process's life */
}
#endif

bool
dpcap_available(void)
{
#if TCPSIM_HAVE_LIBPCAP
    return libpcap_load();
#else
    return false;
#endif
}

bool
dpcap_is_capture(const char *data, size_t len)
{
    static const uint8_t magics[][4] = {
        {0xd4, 0xc3, 0xb2, 0xa1}, {0xa1, 0xb2, 0xc3, 0xd4}, /* pcap, microseconds */
        {0x4d, 0x3c, 0xb2, 0xa1}, {0xa1, 0xb2, 0x3c, 0x4d}, /* pcap, nanoseconds */
        {0x0a, 0x0d, 0x0d, 0x0a},                           /* pcapng */
    };
    for (size_t i = 0; len >= 4 && i < G_N_ELEMENTS(magics); i++) {
        if (memcmp(data, magics[i], 4) == 0) {
            return true;
        }
    }
    return false;
}

#if TCPSIM_HAVE_LIBPCAP

static uint32_t
be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint16_t
be16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

/* An Ethernet type of IPv4 or IPv6. */
static bool
is_ip_type(uint16_t t)
{
    return t == 0x0800 || t == 0x86dd;
}

static bool
is_bsd_af(uint8_t af)
{
    return af == 2 || af == 10 || af == 24 || af == 28 || af == 30;
}

/* The IP header's offset in a frame of link type `dlt`, or -1 when it holds none. */
static long
ip_offset(int dlt, const uint8_t *f, size_t n)
{
    switch (dlt) {
    case DLT_RAW:
#ifdef DLT_IPV4
    case DLT_IPV4:
#endif
        return 0;
    case DLT_EN10MB: {
        size_t off = 12;
        while (n >= off + 2 && (be16(f + off) == 0x8100 || be16(f + off) == 0x88a8)) {
            off += 4;
        }
        return n >= off + 2 && is_ip_type(be16(f + off)) ? (long)off + 2 : -1;
    }
    case DLT_LINUX_SLL:
        return n >= 16 && is_ip_type(be16(f + 14)) ? 16 : -1;
#ifdef DLT_LINUX_SLL2
    case DLT_LINUX_SLL2:
        return n >= 20 && is_ip_type(be16(f)) ? 20 : -1;
#endif
    case DLT_NULL:
    case DLT_LOOP:
        /* The address family, in the capturing machine's order (NULL) or big-endian: 2 is
         * AF_INET; IPv6 is 24, 28 or 30 (the BSDs disagree), 10 on Linux. */
        return n >= 4 && (is_bsd_af(f[0]) || is_bsd_af(f[3])) ? 4 : -1;
    default:
        return -1;
    }
}

/* An address (4 or 16 bytes) and a port as tcpdump -n prints them. */
static void
put_addr(GString *s, const uint8_t *a, size_t alen, uint16_t port)
{
    struct tcpsim_addr x = {.family = alen == 16 ? TCPSIM_AF_INET6 : TCPSIM_AF_INET};
    memcpy(x.b, a, alen);
    char ip[TCPSIM_ADDR_STRLEN];
    g_string_append_printf(s, "%s.%u", tcpsim_addr_format(&x, ip), port);
}

/* TCP options as tcpdump prints them; false for options it would call malformed. */
static bool
put_options(GString *s, const uint8_t *o, size_t n)
{
    g_string_append(s, ", options [");
    bool first = true;
    size_t i = 0;
    while (i < n) {
        uint8_t kind = o[i];
        if (!first) {
            g_string_append_c(s, ',');
        }
        first = false;
        if (kind == 0) {
            g_string_append(s, "eol");
            break;
        }
        if (kind == 1) {
            g_string_append(s, "nop");
            i++;
            continue;
        }
        if (i + 1 >= n || o[i + 1] < 2 || i + o[i + 1] > n) {
            return false;
        }
        uint8_t len = o[i + 1];
        const uint8_t *v = o + i + 2;
        if (kind == 2 && len == 4) {
            g_string_append_printf(s, "mss %u", be16(v));
        } else if (kind == 3 && len == 3) {
            g_string_append_printf(s, "wscale %u", v[0]);
        } else if (kind == 4 && len == 2) {
            g_string_append(s, "sackOK");
        } else if (kind == 5 && (len - 2) % 8 == 0) {
            g_string_append_printf(s, "sack %u ", (len - 2) / 8);
            for (int b = 0; b < (len - 2) / 8; b++) {
                g_string_append_printf(s, "{%u:%u}", be32(v + 8 * b), be32(v + 8 * b + 4));
            }
        } else if (kind == 8 && len == 10) {
            g_string_append_printf(s, "TS val %u ecr %u", be32(v), be32(v + 4));
        } else {
            g_string_append_printf(s, "unknown-%u", kind);
            if (len > 2) {
                g_string_append(s, " 0x");
                for (int k = 0; k < len - 2; k++) {
                    g_string_append_printf(s, "%02x", v[k]);
                }
            }
        }
        i += len;
    }
    g_string_append_c(s, ']');
    return true;
}

/* One captured frame as a tcpdump line (appended), or nothing. */
static void
frame_line(GString *s, int dlt, const struct pcap_pkthdr *h, const uint8_t *f, guint *skipped)
{
    long off = ip_offset(dlt, f, h->caplen);
    const uint8_t *ip = f + (off < 0 ? 0 : off);
    size_t n = off < 0 ? 0 : h->caplen - (size_t)off;
    bool v6 = off >= 0 && n >= 40 && ip[0] >> 4 == 6;
    if (v6 ? ip[6] != 6
           : (off < 0 || n < 20 || ip[0] >> 4 != 4 || ip[9] != 6 ||
              (be16(ip + 6) & 0x3fff) != 0)) {
        (*skipped)++; /* not TCP (an IPv6 extension header included), or a fragment */
        return;
    }
    size_t ihl = v6 ? 40 : (size_t)(ip[0] & 15u) * 4;
    size_t total = v6 ? 40 + (size_t)be16(ip + 4) : be16(ip + 2);
    if (ihl < 20 || total < ihl + 20 || n < ihl + 20) {
        (*skipped)++;
        return;
    }
    const uint8_t *t = ip + ihl;
    size_t thl = (size_t)(t[12] >> 4) * 4;
    if (thl < 20 || total < ihl + thl || n < ihl + thl) {
        (*skipped)++;
        return;
    }
    uint32_t len = (uint32_t)(total - ihl - thl);
    uint32_t seq = be32(t + 4), ack = be32(t + 8);
    uint8_t fl = t[13];
    g_string_append_printf(s, "%ld.%09ld %s ", (long)h->ts.tv_sec, (long)h->ts.tv_usec,
                           v6 ? "IP6" : "IP");
    put_addr(s, v6 ? ip + 8 : ip + 12, v6 ? 16 : 4, be16(t));
    g_string_append(s, " > ");
    put_addr(s, v6 ? ip + 24 : ip + 16, v6 ? 16 : 4, be16(t + 2));
    g_string_append(s, ": Flags [");
    static const struct {
        uint8_t bit;
        char letter;
    } order[] = {{0x02, 'S'}, {0x01, 'F'}, {0x08, 'P'}, {0x04, 'R'}, {0x20, 'U'},
                 {0x40, 'E'}, {0x80, 'W'}, {0x10, '.'}};
    bool any = false;
    for (size_t i = 0; i < G_N_ELEMENTS(order); i++) {
        if (fl & order[i].bit) {
            g_string_append_c(s, order[i].letter);
            any = true;
        }
    }
    g_string_append(s, any ? "]" : "none]");
    if (len > 0 || (fl & 0x07) != 0) {
        g_string_append_printf(s, ", seq %u", seq);
        if (len > 0) {
            g_string_append_printf(s, ":%u", seq + len);
        }
    }
    if (fl & 0x10) {
        g_string_append_printf(s, ", ack %u", ack);
    }
    g_string_append_printf(s, ", win %u", be16(t + 14));
    if (fl & 0x20) {
        g_string_append_printf(s, ", urg %u", be16(t + 18));
    }
    if (thl > 20) {
        gsize mark = s->len;
        if (!put_options(s, t + 20, thl - 20)) {
            g_string_truncate(s, mark);
            g_string_append(s, ", options [bad opt]");
        }
    }
    g_string_append_printf(s, ", length %u\n", len);
}

char *
dpcap_to_text(const char *name, const char *data, size_t len, size_t *out_len, GError **error)
{
    if (!libpcap_load()) {
        g_set_error(error, DIFF_ERROR, 0,
                    "%s: a packet capture, and libpcap cannot be loaded here: read it with "
                    "tcpdump -n -r %s first (or install libpcap)", name, name);
        return NULL;
    }
    FILE *fp = fmemopen((void *)data, len, "rb");
    if (fp == NULL) {
        g_set_error(error, DIFF_ERROR, 0, "%s: cannot read the capture", name);
        return NULL;
    }
    char errbuf[PCAP_ERRBUF_SIZE] = "";
    pcap_t *p = lp.fopen_offline(fp, PCAP_TSTAMP_PRECISION_NANO, errbuf);
    if (p == NULL) {
        fclose(fp);
        g_set_error(error, DIFF_ERROR, 0, "%s: not a capture libpcap reads: %s", name, errbuf);
        return NULL;
    }
    int dlt = lp.datalink(p);
    GString *s = g_string_new(NULL);
    guint skipped = 0;
    struct pcap_pkthdr *h;
    const u_char *f;
    int r;
    while ((r = lp.next_ex(p, &h, &f)) == 1) {
        frame_line(s, dlt, h, f, &skipped);
    }
    if (r == PCAP_ERROR) {
        g_set_error(error, DIFF_ERROR, 0, "%s: %s", name, lp.geterr(p));
        lp.close(p); /* closes fp */
        g_string_free(s, TRUE);
        return NULL;
    }
    lp.close(p);
    *out_len = s->len;
    return g_string_free(s, FALSE);
}

#else

char *
dpcap_to_text(const char *name, const char *data, size_t len, size_t *out_len, GError **error)
{
    (void)data;
    (void)len;
    (void)out_len;
    g_set_error(error, DIFF_ERROR, 0,
                "%s: a packet capture, and this tcpsim was built without libpcap: read it "
                "with tcpdump -n -r %s first (or build with libpcap-dev installed)",
                name, name);
    return NULL;
}

#endif
