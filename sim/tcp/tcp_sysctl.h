/* SPDX-License-Identifier: MIT */
/*
 * tcp_sysctl.h: per-host tunables, named and defaulted as Linux names and defaults them.
 *
 * Knobs with a Linux sysctl keep its name and its unit (tcp_fin_timeout in seconds,
 * tcp_rto_min_us in microseconds). The few that Linux does not expose as a sysctl
 * (msl, rto_initial, delack_min, initcwnd) are named after the RFC quantity or the `ip
 * route` option. Three personalities give the defaults: "linux" (Linux 6.x as measured in
 * design/linux-facts.md), "rfc" (the RFCs' own numbers) and "freebsd" (FreeBSD 14).
 *
 * The freebsd personality also answers to FreeBSD's own sysctl names and units
 * (net.inet.tcp.msl in milliseconds, net.inet.tcp.sendspace in bytes, ...). Most of them
 * are other names of the fields below; the few FreeBSD mechanisms Linux lacks
 * (rexmit_slop, insecure_rst, insecure_syn, drop_synfin, delayed_ack, maxsockbuf) have
 * fields of their own that only the freebsd personality reads.
 */
#ifndef TCPSIM_TCP_SYSCTL_H
#define TCPSIM_TCP_SYSCTL_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "../engine/time.h"

enum tcp_personality {
    TCP_PERSONALITY_LINUX,
    TCP_PERSONALITY_RFC,
    TCP_PERSONALITY_FREEBSD,
};

struct tcp_sysctl {
    enum tcp_personality personality;
    /* Connection establishment. */
    int64_t tcp_syn_retries;
    int64_t tcp_synack_retries;
    int64_t tcp_syn_linear_timeouts;
    int64_t tcp_max_syn_backlog;
    int64_t somaxconn;
    int64_t tcp_abort_on_overflow;
    int64_t tcp_syncookies;
    /* Retransmission (RFC 6298) and its limits. */
    int64_t tcp_retries1;
    int64_t tcp_retries2;
    int64_t tcp_orphan_retries;
    sim_time rto_initial;
    sim_time rto_min;
    sim_time rto_max;
    /* Close. */
    sim_time msl;             /* TIME_WAIT lasts 2 * msl */
    sim_time tcp_fin_timeout; /* orphaned FIN_WAIT_2 */
    int64_t tcp_max_tw_buckets;
    sim_time tcp_invalid_ratelimit; /* at most one out-of-window or challenge ACK per */
    int64_t tcp_tw_reuse;
    int64_t tcp_rfc1337;
    /* Keepalive (RFC 1122 §4.2.3.6). */
    sim_time tcp_keepalive_time;
    sim_time tcp_keepalive_intvl;
    int64_t tcp_keepalive_probes;
    /* Options (RFC 7323, RFC 2018). */
    int64_t tcp_timestamps;
    int64_t tcp_window_scaling;
    int64_t tcp_sack;
    int64_t tcp_dsack; /* RFC 2883: report duplicate segments in a first SACK block */
    int64_t tcp_frto;  /* RFC 5682 F-RTO after a timeout (Linux 2: the SACK version) */
    /* Buffers: min, default, max, as tcp_rmem / tcp_wmem. */
    int64_t tcp_rmem[3];
    int64_t tcp_wmem[3];
    int64_t tcp_adv_win_scale;
    int64_t tcp_moderate_rcvbuf;
    int64_t tcp_app_win;
    /* ACK policy and congestion control. */
    sim_time delack_min;
    sim_time delack_max;
    int64_t initcwnd;
    int64_t tcp_cubic_hystart; /* /sys/module/tcp_cubic/parameters/hystart */
    int64_t tcp_slow_start_after_idle;
    int64_t hz; /* Linux CONFIG_HZ: timers run on ticks of 1/hz s (0: exact) */
    int64_t initial_jiffies; /* the tick count at time 0 (-1: Linux's INITIAL_JIFFIES) */
    int64_t rx_skb;          /* 0: veth/loopback skbs, 1: tun's linear skbs (truesize) */
    sim_time tick_phase;     /* how far into a tick time 0 falls */
    int64_t tcp_congestion_control; /* index into the congestion-control table */
    /* Loss detection (RFC 8985 RACK-TLP). */
    int64_t tcp_recovery;      /* bitmap: 1 RACK, 2 static reo_wnd, 4 no dupthresh rule */
    int64_t tcp_early_retrans; /* 3 or 4: tail loss probes; 0 off */
    int64_t tcp_reordering;     /* the reordering degree a connection starts with */
    int64_t tcp_max_reordering; /* the most the reordering seen may raise it to */
    /* Segmentation offload (the device's, as `ethtool -K DEV tso`), and how large a TSO
     * packet Linux builds (tcp_tso_autosize()). */
    int64_t tso;
    int64_t tcp_min_tso_segs;
    int64_t tcp_tso_rtt_log;
    int64_t tcp_pacing_ss_ratio; /* percent of cwnd/srtt, in slow start */
    int64_t tcp_pacing_ca_ratio; /* percent of cwnd/srtt, in congestion avoidance */
    int64_t isn; /* -1: RFC 6528 (random); else every connection's fixed ISN */
    int64_t mtu; /* the host's interface MTU: the MSS it announces is mtu - 40 (IPv6: - 60) */
    /* Ports. */
    int64_t ip_local_port_range[2];
    /* FreeBSD's own (personality freebsd only; see tcp_freebsd.c). */
    int64_t rfc1323;         /* net.inet.tcp.rfc1323: 1 both, 2 wscale only, 3 TS only */
    sim_time rexmit_slop;    /* net.inet.tcp.rexmit_slop: added to every RTO */
    int64_t insecure_rst;    /* 1: RFC 793 RST acceptance (any in-window RST) */
    int64_t insecure_syn;    /* 1: RFC 793 SYN in window resets the connection */
    int64_t drop_synfin;     /* 1: drop a SYN that carries FIN */
    int64_t delayed_ack;     /* net.inet.tcp.delayed_ack */
    int64_t maxsockbuf;      /* kern.ipc.maxsockbuf: caps buffers, sets the wscale */
    int64_t mssdflt;         /* net.inet.tcp.mssdflt: MSS when the SYN has no option */
    sim_time keepinit;       /* net.inet.tcp.keepinit: connect() gives up after this */
};

enum tcp_knob_type {
    TCP_KNOB_INT,   /* integer in the knob's own unit */
    TCP_KNOB_TIME,  /* stored in ns; a bare number is in the knob's Linux unit */
    TCP_KNOB_PAIR,  /* two integers: "32768 60999" */
    TCP_KNOB_TRIPLE,/* three integers: "4096 131072 6291456" */
    TCP_KNOB_ENUM,  /* a name from a list */
};

struct tcp_knob {
    const char *name;
    enum tcp_knob_type type;
    size_t offset;           /* into struct tcp_sysctl */
    int64_t min;
    int64_t max;
    sim_time unit;           /* TIME: what a bare number means (SEC(1), US(1), MS(1)) */
    const char *const *names;/* ENUM: NULL-terminated */
    const char *help;
    bool freebsd;            /* a FreeBSD sysctl name: personality freebsd only */
};

/* Linux, RFC or FreeBSD defaults. */
void tcp_sysctl_defaults(struct tcp_sysctl *s, enum tcp_personality p);

/* The knob called `name`, or NULL. */
const struct tcp_knob *tcp_sysctl_find(const char *name);
/* All knobs, NULL-terminated, in the documented order. */
const struct tcp_knob *tcp_sysctl_table(void);

/* Sets a knob from its text form ("3", "30s", "4096 131072 6291456", "cubic").
 * FALSE with a message in `error` (no location; the caller adds it). */
gboolean tcp_sysctl_set(struct tcp_sysctl *s, const char *name, const char *value,
                        GError **error);
/* The current value as text, in the knob's own unit. */
char *tcp_sysctl_get(const struct tcp_sysctl *s, const char *name);

#define TCP_SYSCTL_ERROR (tcp_sysctl_error_quark())
GQuark tcp_sysctl_error_quark(void);

#endif
