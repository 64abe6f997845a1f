/* SPDX-License-Identifier: MIT */
/*
 * tcp_sysctl.c: the tunables table, with Linux's names, units and defaults.
 *
 * Entry points: tcp_sysctl_defaults(), tcp_sysctl_set(), tcp_sysctl_find(). The table is
 * the one place a knob is declared: `set`, `--set`, `tcpsim knobs` and the language
 * reference all read it.
 */
#include "tcp_sysctl.h"

#include <string.h>
#include <tcpsim/units.h>

G_DEFINE_QUARK(tcp-sysctl-error-quark, tcp_sysctl_error)

#define OFF(field) offsetof(struct tcp_sysctl, field)

static const char *const cc_names[] = {"reno", "cubic", NULL};
static const char *const rx_skb_names[] = {"veth", "tun", NULL};
static const char *const personality_names[] = {"linux", "rfc", "freebsd", NULL};
static const char *const fbsd_cc_names[] = {"newreno", "cubic", NULL};

/* A FreeBSD sysctl: its own name and unit, valid under personality freebsd. */
#define FB(name, type, field, lo, hi, unit, names, help) \
    {name, type, OFF(field), lo, hi, unit, names, help, true}

static const struct tcp_knob knobs[] = {
    {"personality", TCP_KNOB_ENUM, OFF(personality), 0, 2, 0, personality_names,
     "defaults to follow: linux (Linux 6.x), rfc (the RFCs' own numbers) or freebsd "
     "(FreeBSD 14, with its net.inet.tcp.* names); resets all knobs"},
    {"tcp_syn_retries", TCP_KNOB_INT, OFF(tcp_syn_retries), 1, 127, 0, NULL,
     "SYN retransmissions before connect() fails with ETIMEDOUT (a time budget, as Linux)"},
    {"tcp_synack_retries", TCP_KNOB_INT, OFF(tcp_synack_retries), 1, 255, 0, NULL,
     "SYN-ACK retransmissions before a half-open connection is dropped"},
    {"tcp_syn_linear_timeouts", TCP_KNOB_INT, OFF(tcp_syn_linear_timeouts), 0, 16, 0, NULL,
     "first SYN retransmissions that keep the initial timeout before backoff starts"},
    {"tcp_max_syn_backlog", TCP_KNOB_INT, OFF(tcp_max_syn_backlog), 1, 1 << 24, 0, NULL,
     "bound on the SYN queue (half-open connections) of a listener"},
    {"somaxconn", TCP_KNOB_INT, OFF(somaxconn), 0, 1 << 24, 0, NULL,
     "cap on the listen() backlog, hence on the accept queue"},
    {"tcp_abort_on_overflow", TCP_KNOB_INT, OFF(tcp_abort_on_overflow), 0, 1, 0, NULL,
     "1: answer the final ACK with RST when the accept queue is full; 0: drop it"},
    {"tcp_syncookies", TCP_KNOB_INT, OFF(tcp_syncookies), 0, 2, 0, NULL,
     "0 off, 1 when the SYN queue overflows, 2 always (RFC 4987 §3.6)"},
    {"tcp_retries1", TCP_KNOB_INT, OFF(tcp_retries1), 0, 255, 0, NULL,
     "RTO expiries before the path is suspected (RFC 1122 R1)"},
    {"tcp_retries2", TCP_KNOB_INT, OFF(tcp_retries2), 0, 255, 0, NULL,
     "RTO budget before an established connection fails with ETIMEDOUT (RFC 1122 R2)"},
    {"tcp_orphan_retries", TCP_KNOB_INT, OFF(tcp_orphan_retries), 0, 255, 0, NULL,
     "retries for a connection the application closed (0 means 8)"},
    {"rto_initial", TCP_KNOB_TIME, OFF(rto_initial), US(1), SEC(3600), MS(1), NULL,
     "initial retransmission timeout (RFC 6298 §2.1: 1s)"},
    {"tcp_rto_min_us", TCP_KNOB_TIME, OFF(rto_min), US(1), SEC(3600), US(1), NULL,
     "lower bound of the RTO (RFC 6298 §2.4 says 1s; Linux 200ms)"},
    {"tcp_rto_max_ms", TCP_KNOB_TIME, OFF(rto_max), MS(1), SEC(3600), MS(1), NULL,
     "upper bound of the RTO (Linux 120s)"},
    {"msl", TCP_KNOB_TIME, OFF(msl), 0, SEC(86400), SEC(1), NULL,
     "maximum segment lifetime; TIME_WAIT lasts 2*msl (Linux: 60s fixed, so msl 30s)"},
    {"tcp_fin_timeout", TCP_KNOB_TIME, OFF(tcp_fin_timeout), 0, SEC(86400), SEC(1), NULL,
     "how long an orphaned connection may stay in FIN_WAIT_2"},
    {"tcp_max_tw_buckets", TCP_KNOB_INT, OFF(tcp_max_tw_buckets), 0, 1 << 30, 0, NULL,
     "TIME_WAIT sockets a host keeps; beyond it connections close at once"},
    {"tcp_invalid_ratelimit", TCP_KNOB_TIME, OFF(tcp_invalid_ratelimit), 0, SEC(3600), MS(1),
     NULL, "least time between two ACKs answering invalid segments (RFC 5961 challenge "
     "ACKs, ACKs to out-of-window ACKs)"},
    {"tcp_tw_reuse", TCP_KNOB_INT, OFF(tcp_tw_reuse), 0, 2, 0, NULL,
     "reuse a TIME_WAIT port for a new connect() (1 on, 2 loopback only)"},
    {"tcp_rfc1337", TCP_KNOB_INT, OFF(tcp_rfc1337), 0, 1, 0, NULL,
     "1: a RST does not end TIME_WAIT (RFC 1337); 0: it does (Linux default)"},
    {"tcp_keepalive_time", TCP_KNOB_TIME, OFF(tcp_keepalive_time), SEC(1), SEC(1) * 32767,
     SEC(1), NULL, "idle time before the first keepalive probe"},
    {"tcp_keepalive_intvl", TCP_KNOB_TIME, OFF(tcp_keepalive_intvl), SEC(1), SEC(1) * 32767,
     SEC(1), NULL, "interval between keepalive probes"},
    {"tcp_keepalive_probes", TCP_KNOB_INT, OFF(tcp_keepalive_probes), 1, 127, 0, NULL,
     "unanswered keepalive probes before the connection is reset"},
    {"tcp_timestamps", TCP_KNOB_INT, OFF(tcp_timestamps), 0, 2, 0, NULL,
     "RFC 7323 timestamps: 0 off, 1 on with a random offset per connection, 2 on, no offset"},
    {"tcp_window_scaling", TCP_KNOB_INT, OFF(tcp_window_scaling), 0, 1, 0, NULL,
     "RFC 7323 §2 window scale option"},
    {"tcp_sack", TCP_KNOB_INT, OFF(tcp_sack), 0, 1, 0, NULL, "RFC 2018 selective acknowledgments"},
    {"tcp_dsack", TCP_KNOB_INT, OFF(tcp_dsack), 0, 1, 0, NULL,
     "RFC 2883 D-SACK: report a duplicate segment in the first SACK block (the sender uses "
     "D-SACKs to undo a spurious reduction)"},
    {"tcp_frto", TCP_KNOB_INT, OFF(tcp_frto), 0, 2, 0, NULL,
     "RFC 5682 F-RTO: after a timeout, send new data first and undo the reduction if the "
     "timeout proves spurious (0 off; 1 and 2 on, Linux uses the SACK version either way)"},
    {"tso", TCP_KNOB_INT, OFF(tso), 0, 1, 0, NULL,
     "1: Linux builds TSO/GSO packets of several MSS (in hardware or, whatever ethtool "
     "says, in software), each marked PSH, and cuts them into MSS segments, the last "
     "keeping the PSH; 0: one MSS a packet (the rfc personality's default)"},
    {"tcp_min_tso_segs", TCP_KNOB_INT, OFF(tcp_min_tso_segs), 1, 255, 0, NULL,
     "the fewest MSS a TSO packet may hold whatever the pacing rate (tcp_tso_autosize())"},
    {"tcp_tso_rtt_log", TCP_KNOB_INT, OFF(tcp_tso_rtt_log), 0, 255, 0, NULL,
     "TSO packets grow by 64 KB >> (min_rtt in us >> this): large on short paths"},
    {"tcp_pacing_ss_ratio", TCP_KNOB_INT, OFF(tcp_pacing_ss_ratio), 0, 1000, 0, NULL,
     "pacing rate in slow start, percent of cwnd / srtt (it sizes TSO packets; tcpsim "
     "paces nothing: Linux enforces it only under fq or for BBR)"},
    {"tcp_pacing_ca_ratio", TCP_KNOB_INT, OFF(tcp_pacing_ca_ratio), 0, 1000, 0, NULL,
     "pacing rate in congestion avoidance, percent of cwnd / srtt (as tcp_pacing_ss_ratio)"},
    {"tcp_rmem", TCP_KNOB_TRIPLE, OFF(tcp_rmem), 1, 1 << 30, 0, NULL,
     "receive buffer min, default, max (bytes)"},
    {"tcp_wmem", TCP_KNOB_TRIPLE, OFF(tcp_wmem), 1, 1 << 30, 0, NULL,
     "send buffer min, default, max (bytes); the linux personality counts it in truesize "
     "(each skb's payload plus 832 bytes) and grows it to two congestion windows "
     "of 4352 bytes a segment (tcp_sndbuf_expand()), the rfc personality in payload bytes"},
    {"tcp_adv_win_scale", TCP_KNOB_INT, OFF(tcp_adv_win_scale), 0, 4, 0, NULL,
     "rfc personality: share of the receive buffer kept for overhead, window = space - "
     "space/2^n (0: all); ignored by the linux personality, as by Linux since 6.6 (the "
     "window follows the measured payload-to-buffer ratio, scaling_ratio)"},
    {"tcp_moderate_rcvbuf", TCP_KNOB_INT, OFF(tcp_moderate_rcvbuf), 0, 1, 0, NULL,
     "1: the receive buffer grows towards tcp_rmem[2] to keep up with the sender"},
    {"tcp_app_win", TCP_KNOB_INT, OFF(tcp_app_win), 0, 31, 0, NULL,
     "linux personality: the window clamp keeps window/2^n of the receive buffer and one "
     "segment for the application (tcp_init_buffer_space(); 0: none)"},
    {"delack_min", TCP_KNOB_TIME, OFF(delack_min), 0, SEC(10), MS(1), NULL,
     "delayed-ACK timeout at the start (Linux TCP_DELACK_MIN 40ms)"},
    {"delack_max", TCP_KNOB_TIME, OFF(delack_max), 0, SEC(10), MS(1), NULL,
     "upper bound of the delayed-ACK timeout (Linux TCP_DELACK_MAX 200ms; RFC 1122 500ms)"},
    {"initcwnd", TCP_KNOB_INT, OFF(initcwnd), 1, 1000, 0, NULL,
     "initial congestion window in segments (RFC 6928: 10)"},
    {"tcp_cubic_hystart", TCP_KNOB_INT, OFF(tcp_cubic_hystart), 0, 1, 0, NULL,
     "1: CUBIC leaves slow start early when ACK trains or delays show the path is full "
     "(Linux's tcp_cubic module parameter hystart)"},
    {"tcp_slow_start_after_idle", TCP_KNOB_INT, OFF(tcp_slow_start_after_idle), 0, 1, 0, NULL,
     "1: a flow idle for an RTO restarts slow start from the initial window (RFC 5681 "
     "§4.1; Linux halves cwnd per idle RTO) and an unused window decays (RFC 2861)"},
    {"tcp_congestion_control", TCP_KNOB_ENUM, OFF(tcp_congestion_control), 0, 1, 0, cc_names,
     "congestion control: reno (RFC 5681, 6582, 6675) or cubic (RFC 9438, Linux's default)"},
    {"hz", TCP_KNOB_INT, OFF(hz), 0, 10000, 0, NULL,
     "timer ticks per second (Linux CONFIG_HZ): TCP timers run on whole ticks and long "
     "ones are rounded up as the timer wheel does (1 s fires at about 1.024 s with 250); "
     "0: exact nanoseconds"},
    {"initial_jiffies", TCP_KNOB_INT, OFF(initial_jiffies), -1, 4611686018427387904LL, 0, NULL,
     "the tick count (jiffies) at time 0, which decides where the timer wheel's coarse "
     "buckets fall: a timer of 63 ticks or more fires on a multiple of 8 ticks, of 504 or "
     "more on a multiple of 64; -1: Linux's INITIAL_JIFFIES, 2^32 - 300*hz, as at boot "
     "(tcpsim pkt starts a script at a tick count of its own, see docs/conformance.md)"},
    {"rx_skb", TCP_KNOB_ENUM, OFF(rx_skb), 0, 1, 0, rx_skb_names,
     "the skbs the receiving device hands TCP, which the receive buffer is charged for "
     "(linux personality): veth (or loopback: the payload in page fragments, 832 bytes of "
     "head, later segments coalesced into the last skb) or tun (as packetdrill's device: "
     "each segment a linear kmalloc'ed buffer of its own, 2304 bytes for 1500); tcpsim pkt "
     "takes tun"},
    {"tick_phase", TCP_KNOB_TIME, OFF(tick_phase), 0, SEC(1), US(1), NULL,
     "how far into a tick time 0 falls (taken modulo the tick): the first tick comes "
     "1/hz - tick_phase after time 0"},
    {"tcp_recovery", TCP_KNOB_INT, OFF(tcp_recovery), 0, 7, 0, NULL,
     "bitmap: 1 RACK loss detection (RFC 8985 §6: a segment is lost when one sent after it "
     "is acknowledged and a reordering window has passed; replaces RFC 6675's duplicate-ACK "
     "count with SACK), 2 static reordering window (min_rtt/4), 4 no duplicate-ACK "
     "threshold shortcut"},
    {"tcp_early_retrans", TCP_KNOB_INT, OFF(tcp_early_retrans), 0, 4, 0, NULL,
     "3 or 4: a tail loss probe (RFC 8985 §7) about 2*SRTT after the last send draws an "
     "ACK for a lost tail before the RTO; 0-2: none (SACK connections only)"},
    {"tcp_reordering", TCP_KNOB_INT, OFF(tcp_reordering), 1, 300, 0, NULL,
     "the reordering degree, in segments, a connection starts with (tcpi_reordering): "
     "how many segments SACKed above a hole RACK waits for before it skips the reordering "
     "window, and (linux personality) the duplicate-ACK threshold when RACK is off; SACKs "
     "that show deeper reordering raise it (Linux tcp_check_sack_reordering())"},
    {"tcp_max_reordering", TCP_KNOB_INT, OFF(tcp_max_reordering), 1, 3000, 0, NULL,
     "the most that the reordering seen may raise a connection's reordering degree to"},
    {"isn", TCP_KNOB_INT, OFF(isn), -1, 4294967295LL, 0, NULL,
     "a fixed initial sequence number for every connection, to show wrap-around "
     "(-1: RFC 6528, as every real stack)"},
    {"mtu", TCP_KNOB_INT, OFF(mtu), 88, 65535, 0, NULL,
     "the host's interface MTU (ip link set mtu); the MSS it announces is mtu - 40 over "
     "IPv4, mtu - 60 over IPv6"},
    {"ip_local_port_range", TCP_KNOB_PAIR, OFF(ip_local_port_range), 1, 65535, 0, NULL,
     "ephemeral ports for connect(): low high"},
    /* FreeBSD 14's names, units and defaults (sys/netinet/tcp_subr.c, tcp_timer.c,
     * tcp_input.c, tcp_syncache.c, tcp_usrreq.c, kern/uipc_sockbuf.c). */
    FB("net.inet.tcp.rfc1323", TCP_KNOB_INT, rfc1323, 0, 3, 0, NULL,
       "RFC 7323: 0 off, 1 window scale and timestamps, 2 window scale only, 3 timestamps "
       "only (sets tcp_window_scaling and tcp_timestamps)"),
    FB("net.inet.tcp.sack.enable", TCP_KNOB_INT, tcp_sack, 0, 1, 0, NULL,
       "RFC 2018 selective acknowledgments (tcp_sack)"),
    FB("net.inet.tcp.insecure_rst", TCP_KNOB_INT, insecure_rst, 0, 1, 0, NULL,
       "1: any RST inside the window resets the connection (RFC 793); 0: only one at "
       "RCV.NXT, others draw a challenge ACK (RFC 5961 §3)"),
    FB("net.inet.tcp.insecure_syn", TCP_KNOB_INT, insecure_syn, 0, 1, 0, NULL,
       "1: a SYN inside the window resets the connection (RFC 793); 0: it draws a "
       "challenge ACK (RFC 5961 §4)"),
    FB("net.inet.tcp.drop_synfin", TCP_KNOB_INT, drop_synfin, 0, 1, 0, NULL,
       "1: a SYN that also carries FIN is dropped unanswered"),
    FB("net.inet.tcp.msl", TCP_KNOB_TIME, msl, 0, SEC(86400), MS(1), NULL,
       "maximum segment lifetime (ms); TIME_WAIT lasts 2*msl (msl)"),
    FB("net.inet.tcp.finwait2_timeout", TCP_KNOB_TIME, tcp_fin_timeout, 0, SEC(86400), MS(1),
       NULL, "how long a closed connection may stay in FIN_WAIT_2 (ms; tcp_fin_timeout)"),
    FB("net.inet.tcp.keepinit", TCP_KNOB_TIME, keepinit, SEC(1), SEC(1) * 32767, MS(1), NULL,
       "how long connect() keeps sending SYNs before it fails with ETIMEDOUT (ms; "
       "TCPTV_KEEP_INIT, 75 s)"),
    FB("net.inet.tcp.keepidle", TCP_KNOB_TIME, tcp_keepalive_time, SEC(1), SEC(1) * 32767,
       MS(1), NULL, "idle time before the first keepalive probe (ms)"),
    FB("net.inet.tcp.keepintvl", TCP_KNOB_TIME, tcp_keepalive_intvl, SEC(1), SEC(1) * 32767,
       MS(1), NULL, "interval between keepalive probes (ms)"),
    FB("net.inet.tcp.keepcnt", TCP_KNOB_INT, tcp_keepalive_probes, 1, 127, 0, NULL,
       "unanswered keepalive probes before the connection is dropped"),
    FB("net.inet.tcp.delayed_ack", TCP_KNOB_INT, delayed_ack, 0, 1, 0, NULL,
       "1: delay the ACK of a lone segment up to delacktime (every second segment is "
       "ACKed at once); 0: ACK every segment"),
    FB("net.inet.tcp.delacktime", TCP_KNOB_TIME, delack_max, MS(1), SEC(10), MS(1), NULL,
       "delayed-ACK timeout (ms; TCPTV_DELACK, 40 ms)"),
    FB("net.inet.tcp.initcwnd_segments", TCP_KNOB_INT, initcwnd, 1, 1000, 0, NULL,
       "initial congestion window in segments (RFC 6928; initcwnd)"),
    FB("net.inet.tcp.cc.algorithm", TCP_KNOB_ENUM, tcp_congestion_control, 0, 1, 0,
       fbsd_cc_names, "congestion control: newreno or cubic (FreeBSD 14's default)"),
    FB("net.inet.tcp.rexmit_initial", TCP_KNOB_TIME, rto_initial, MS(1), SEC(3600), MS(1),
       NULL, "RTO before the first RTT sample (ms; RFC 6298 §2.1)"),
    FB("net.inet.tcp.rexmit_min", TCP_KNOB_TIME, rto_min, MS(1), SEC(3600), MS(1), NULL,
       "lower bound of the RTO estimate (ms; TCPTV_MIN, 30 ms)"),
    FB("net.inet.tcp.rexmit_slop", TCP_KNOB_TIME, rexmit_slop, 0, SEC(3600), MS(1), NULL,
       "added to every RTO for the peer's processing and delayed ACKs (ms; TCPTV_CPU_VAR, "
       "200 ms): RTO = max(SRTT + 4*RTTVAR, rexmit_min) + rexmit_slop"),
    FB("net.inet.tcp.syncookies", TCP_KNOB_INT, tcp_syncookies, 0, 1, 0, NULL,
       "1: answer with a SYN cookie when the SYN cache is full (tcp_syncookies)"),
    FB("net.inet.tcp.syncache.cachelimit", TCP_KNOB_INT, tcp_max_syn_backlog, 1, 1 << 24, 0,
       NULL, "half-open connections the SYN cache holds, whatever the listen backlog; past "
       "it, SYN cookies (or the SYN is dropped)"),
    FB("net.inet.tcp.syncache.rst_on_sock_fail", TCP_KNOB_INT, tcp_abort_on_overflow, 0, 1,
       0, NULL, "1: answer the final ACK with RST when the accept queue is full "
       "(tcp_abort_on_overflow)"),
    FB("net.inet.tcp.syncache.rexmtlimit", TCP_KNOB_INT, tcp_synack_retries, 1, 255, 0, NULL,
       "SYN-ACK retransmissions before a SYN cache entry is dropped"),
    FB("net.inet.tcp.sendspace", TCP_KNOB_INT, tcp_wmem[1], 1, 1 << 30, 0, NULL,
       "send buffer (bytes); rounded up to a multiple of the MSS when the connection is "
       "established"),
    FB("net.inet.tcp.recvspace", TCP_KNOB_INT, tcp_rmem[1], 1, 1 << 30, 0, NULL,
       "receive buffer (bytes); rounded up to a multiple of the MSS when the connection is "
       "established"),
    FB("net.inet.tcp.mssdflt", TCP_KNOB_INT, mssdflt, 48, 65535, 0, NULL,
       "MSS assumed when the peer's SYN carries no MSS option"),
    FB("kern.ipc.maxsockbuf", TCP_KNOB_INT, maxsockbuf, 4096, 1 << 30, 0, NULL,
       "largest socket buffer; the window scale is the least that lets 65535 << scale "
       "reach it (6 for 2 MiB)"),
    FB("kern.ipc.soacceptqueue", TCP_KNOB_INT, somaxconn, 0, 1 << 24, 0, NULL,
       "cap on the listen() backlog (somaxconn)"),
    {NULL, 0, 0, 0, 0, 0, NULL, NULL, false},
};

void
tcp_sysctl_defaults(struct tcp_sysctl *s, enum tcp_personality p)
{
    *s = (struct tcp_sysctl){
        .personality = p,
        .tcp_syn_retries = 6,
        .tcp_synack_retries = 5,
        .tcp_syn_linear_timeouts = 4,
        .tcp_max_syn_backlog = 2048,
        .somaxconn = 4096,
        .tcp_abort_on_overflow = 0,
        .tcp_syncookies = 1,
        .tcp_retries1 = 3,
        .tcp_retries2 = 15,
        .tcp_orphan_retries = 0,
        .rto_initial = SEC(1),
        .rto_min = MS(200),
        .rto_max = SEC(120),
        .msl = SEC(30),
        .tcp_fin_timeout = SEC(60),
        .tcp_max_tw_buckets = 131072,
        .tcp_invalid_ratelimit = MS(500),
        .tcp_tw_reuse = 2,
        .tcp_keepalive_time = SEC(7200),
        .tcp_keepalive_intvl = SEC(75),
        .tcp_keepalive_probes = 9,
        .tcp_timestamps = 1,
        .tcp_window_scaling = 1,
        .tcp_sack = 1,
        .tcp_dsack = 1,
        .tcp_frto = 2,
        .tcp_rmem = {4096, 131072, 33554432},
        .tcp_wmem = {4096, 16384, 4194304},
        .tcp_adv_win_scale = 1,
        .tcp_moderate_rcvbuf = 1,
        .tcp_app_win = 31,
        .delack_min = MS(40),
        .delack_max = MS(200),
        .initcwnd = 10,
        .tcp_congestion_control = 1,
        .tcp_cubic_hystart = 1,
        .tcp_slow_start_after_idle = 1,
        .hz = 250,
        .initial_jiffies = -1,
        .tcp_recovery = 1,
        .tcp_early_retrans = 3,
        .tcp_reordering = 3,
        .tcp_max_reordering = 300,
        .ip_local_port_range = {32768, 60999},
        .tso = 1,
        .tcp_min_tso_segs = 2,
        .tcp_tso_rtt_log = 9,
        .tcp_pacing_ss_ratio = 200,
        .tcp_pacing_ca_ratio = 120,
        .isn = -1,
        .mtu = 1500,
    };
    if (p == TCP_PERSONALITY_RFC) {
        /* RFC 9293 §3.4.2 MSL of two minutes; RFC 6298 §2.4 minimum RTO of one second;
         * RFC 1122 §4.2.3.2 delayed ACK under 0.5 s (200 ms, as BSD); no Linux
         * syn-linear timeouts; the whole receive buffer is window; Reno (RFC 5681). */
        s->msl = SEC(120);
        s->rto_min = SEC(1);
        s->rto_max = SEC(120);
        s->tcp_syn_linear_timeouts = 0;
        s->tcp_adv_win_scale = 0;
        s->tcp_moderate_rcvbuf = 0;
        s->delack_min = MS(200);
        s->delack_max = MS(200);
        s->tcp_timestamps = 2;
        s->tcp_congestion_control = 0;
        s->tcp_dsack = 0; /* RFC 2018 alone: the extensions are the knobs' to turn on */
        s->tcp_frto = 0;
        s->hz = 0;
        /* RFC 6675 / RFC 6582 loss detection by duplicate ACKs, no loss probes. */
        s->tcp_recovery = 0;
        s->tcp_early_retrans = 0;
        s->tso = 0; /* one MSS a packet, PSH where RFC 9293 §3.9.1 puts it */
    }
    s->rfc1323 = 1;
    s->delayed_ack = 1;
    s->maxsockbuf = 2097152;
    s->mssdflt = 536;
    s->keepinit = SEC(75);
    if (p == TCP_PERSONALITY_FREEBSD) {
        /* FreeBSD 14: TCPTV_MSL 30 s, TCPTV_RTOBASE 1 s, TCPTV_MIN 30 ms (hz/33),
         * TCPTV_CPU_VAR 200 ms (rexmit_slop), TCPTV_REXMTMAX 64 s, TCP_MAXRXTSHIFT 12,
         * TCPTV_DELACK 40 ms (hz/25), TCPTV_FINWAIT2_TIMEOUT 60 s, keepalive 2 h / 75 s /
         * 8 probes (tcp_timer.h); tcp_sendspace 32 KiB, tcp_recvspace 64 KiB
         * (tcp_usrreq.c); sb_max 2 MiB (uipc_sockbuf.c); syncache rexmtlimit 3, cache
         * 512 buckets of 30 (tcp_syncache.c); CUBIC is the default since 14.0. */
        s->msl = SEC(30);
        s->rto_initial = SEC(1);
        s->rto_min = MS(30);
        s->rexmit_slop = MS(200);
        s->rto_max = SEC(64);
        s->tcp_retries2 = 12;
        s->tcp_syn_retries = 10;          /* FreeBSD: tcp_syn_backoff[], under keepinit */
        s->tcp_syn_linear_timeouts = 5;   /* FreeBSD: tcp_syn_backoff[] = 1,1,1,1,1,2,4.. */
        s->tcp_synack_retries = 3;
        s->tcp_max_syn_backlog = 512 * 30; /* syncache hashsize * bucketlimit */
        s->tcp_abort_on_overflow = 1;      /* syncache.rst_on_sock_fail */
        s->somaxconn = 128;
        s->tcp_fin_timeout = SEC(60);
        s->tcp_tw_reuse = 0;
        s->tcp_rfc1337 = 1;               /* FreeBSD: tcp_twcheck() drops any RST */
        s->tcp_keepalive_probes = 8;
        s->tcp_timestamps = 1;
        s->tcp_frto = 0;
        s->tcp_rmem[0] = 4096;
        s->tcp_rmem[1] = 65536;
        s->tcp_rmem[2] = 2097152;
        s->tcp_wmem[0] = 4096;
        s->tcp_wmem[1] = 32768;
        s->tcp_wmem[2] = 2097152;
        s->tcp_adv_win_scale = 0;         /* the whole free buffer is window */
        s->tcp_moderate_rcvbuf = 0;
        s->delack_min = MS(40);
        s->delack_max = MS(40);
        s->tcp_congestion_control = 1;
        s->tcp_cubic_hystart = 0;
        s->hz = 0;                        /* FreeBSD's callouts: hz 1000, no wheel rounding */
        s->tcp_recovery = 0;              /* the base stack: RFC 6675 SACK recovery */
        s->tcp_early_retrans = 0;
        s->ip_local_port_range[0] = 10000; /* net.inet.ip.portrange.first, last */
        s->ip_local_port_range[1] = 65535;
        /* FreeBSD sends TSO too, but marks PSH by its own rule (tcp_output(): the segment
         * that empties the send buffer), not on every TSO packet as Linux does. */
        s->tso = 0;
    }
}

const struct tcp_knob *
tcp_sysctl_table(void)
{
    return knobs;
}

const struct tcp_knob *
tcp_sysctl_find(const char *name)
{
    for (const struct tcp_knob *k = knobs; k->name; k++) {
        if (strcmp(k->name, name) == 0) {
            return k;
        }
    }
    return NULL;
}

/* A whole number, possibly negative ("-1") or in hex ("0xFFFFF000"). */
static gboolean
parse_signed(const char *value, int64_t *out, GError **error)
{
    bool neg = value[0] == '-';
    const char *digits = neg ? value + 1 : value;
    if (g_str_has_prefix(digits, "0x") || g_str_has_prefix(digits, "0X")) {
        guint64 u = 0;
        if (!g_ascii_string_to_unsigned(digits, 16, 0, INT64_MAX, &u, NULL) &&
            !g_ascii_string_to_unsigned(digits + 2, 16, 0, INT64_MAX, &u, NULL)) {
            g_set_error(error, TCP_SYSCTL_ERROR, 0, "bad number \"%s\"", value);
            return FALSE;
        }
        *out = neg ? -(int64_t)u : (int64_t)u;
        return TRUE;
    }
    if (!tcpsim_parse_int(digits, out, error)) {
        return FALSE;
    }
    if (neg) {
        *out = -*out;
    }
    return TRUE;
}

static gboolean
check_range(const struct tcp_knob *k, int64_t v, const char *value, GError **error)
{
    if (v >= k->min && v <= k->max) {
        return TRUE;
    }
    if (k->type == TCP_KNOB_TIME) {
        /* The range in the knob's own unit, the one a bare number is in, never in ns. */
        const char *u = k->unit == SEC(1) ? "s" : k->unit == MS(1) ? "ms" : "us";
        sim_time per = k->unit == SEC(1) ? SEC(1) : k->unit == MS(1) ? MS(1) : US(1);
        g_autofree char *lo = k->min % per == 0
                                  ? g_strdup_printf("%" G_GINT64_FORMAT "%s", k->min / per, u)
                                  : tcpsim_format_time(k->min);
        g_autofree char *hi = k->max % per == 0
                                  ? g_strdup_printf("%" G_GINT64_FORMAT "%s", k->max / per, u)
                                  : tcpsim_format_time(k->max);
        g_set_error(error, TCP_SYSCTL_ERROR, 0, "%s: value %s out of range %s..%s (a bare "
                    "number is in %s)", k->name, value, lo, hi, u);
        return FALSE;
    }
    g_set_error(error, TCP_SYSCTL_ERROR, 0, "%s: value %s out of range %" G_GINT64_FORMAT
                "..%" G_GINT64_FORMAT, k->name, value, k->min, k->max);
    return FALSE;
}

static gboolean
set_ints(const struct tcp_knob *k, int64_t *dst, unsigned n, const char *value, GError **error)
{
    g_auto(GStrv) parts = g_strsplit_set(value, " \t,", -1);
    int64_t v[3] = {0};
    unsigned got = 0;
    for (char **p = parts; *p; p++) {
        if (**p == '\0') {
            continue;
        }
        if (got == n || !tcpsim_parse_int(*p, &v[got], NULL) ||
            !check_range(k, v[got], *p, error)) {
            if (error && *error == NULL) {
                g_set_error(error, TCP_SYSCTL_ERROR, 0,
                            "%s: expected %u whole numbers, got \"%s\"", k->name, n, value);
            }
            return FALSE;
        }
        got++;
    }
    if (got != n || (n == 2 && v[0] > v[1]) || (n == 3 && (v[0] > v[1] || v[1] > v[2]))) {
        g_set_error(error, TCP_SYSCTL_ERROR, 0,
                    "%s: expected %u ascending whole numbers, got \"%s\"", k->name, n, value);
        return FALSE;
    }
    memcpy(dst, v, n * sizeof v[0]);
    return TRUE;
}

static gboolean
set_enum(const struct tcp_knob *k, void *field, const char *value, GError **error)
{
    for (int64_t i = 0; k->names[i]; i++) {
        if (strcmp(k->names[i], value) == 0) {
            if (k->offset == OFF(personality)) {
                *(enum tcp_personality *)field = (enum tcp_personality)i;
            } else {
                *(int64_t *)field = i;
            }
            return TRUE;
        }
    }
    g_autofree char *choices = g_strjoinv(", ", (char **)k->names);
    g_set_error(error, TCP_SYSCTL_ERROR, 0, "%s: unknown value \"%s\"; expected one of %s",
                k->name, value, choices);
    return FALSE;
}

gboolean
tcp_sysctl_set(struct tcp_sysctl *s, const char *name, const char *value, GError **error)
{
    const struct tcp_knob *k = tcp_sysctl_find(name);
    if (k == NULL) {
        g_set_error(error, TCP_SYSCTL_ERROR, 0, "unknown knob \"%s\" (tcpsim knobs lists them)",
                    name);
        return FALSE;
    }
    if (k->freebsd && s->personality != TCP_PERSONALITY_FREEBSD) {
        g_set_error(error, TCP_SYSCTL_ERROR, 0, "%s is a FreeBSD sysctl: set personality "
                    "freebsd first", name);
        return FALSE;
    }
    void *field = (char *)s + k->offset;
    int64_t v = 0;
    GError *e = NULL;
    switch (k->type) {
    case TCP_KNOB_INT:
        if (!parse_signed(value, &v, &e)) {
            g_set_error(error, TCP_SYSCTL_ERROR, 0, "%s: %s", name, e->message);
            g_error_free(e);
            return FALSE;
        }
        if (!check_range(k, v, value, error)) {
            return FALSE;
        }
        *(int64_t *)field = v;
        if (k->offset == OFF(rfc1323)) {
            /* FreeBSD: V_tcp_do_rfc1323: 1 both, 2 window scale only, 3 timestamps only. */
            s->tcp_window_scaling = v == 1 || v == 2;
            s->tcp_timestamps = v == 1 || v == 3;
        }
        return TRUE;
    case TCP_KNOB_TIME:
        if (!tcpsim_parse_time(value, k->unit, &v, &e)) {
            g_set_error(error, TCP_SYSCTL_ERROR, 0, "%s: %s", name, e->message);
            g_error_free(e);
            return FALSE;
        }
        if (!check_range(k, v, value, error)) {
            return FALSE;
        }
        *(sim_time *)field = v;
        return TRUE;
    case TCP_KNOB_PAIR:
        return set_ints(k, field, 2, value, error);
    case TCP_KNOB_TRIPLE:
        return set_ints(k, field, 3, value, error);
    case TCP_KNOB_ENUM:
        if (k->offset == OFF(personality)) {
            enum tcp_personality p = TCP_PERSONALITY_LINUX;
            if (!set_enum(k, &p, value, error)) {
                return FALSE;
            }
            tcp_sysctl_defaults(s, p);
            return TRUE;
        }
        return set_enum(k, field, value, error);
    }
    g_assert_not_reached();
}

char *
tcp_sysctl_get(const struct tcp_sysctl *s, const char *name)
{
    const struct tcp_knob *k = tcp_sysctl_find(name);
    if (k == NULL) {
        return NULL;
    }
    const void *field = (const char *)s + k->offset;
    const int64_t *iv = field;
    switch (k->type) {
    case TCP_KNOB_INT:
        return g_strdup_printf("%" G_GINT64_FORMAT, *iv);
    case TCP_KNOB_TIME:
        return tcpsim_format_time(*(const sim_time *)field);
    case TCP_KNOB_PAIR:
        return g_strdup_printf("%" G_GINT64_FORMAT " %" G_GINT64_FORMAT, iv[0], iv[1]);
    case TCP_KNOB_TRIPLE:
        return g_strdup_printf("%" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT,
                               iv[0], iv[1], iv[2]);
    case TCP_KNOB_ENUM:
        if (k->offset == OFF(personality)) {
            return g_strdup(k->names[*(const enum tcp_personality *)field]);
        }
        return g_strdup(k->names[*iv]);
    }
    g_assert_not_reached();
}
