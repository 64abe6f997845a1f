/* SPDX-License-Identifier: MIT */
/*
 * ropen.c: the calls that open a captured connection, inferred from its first segments
 * (docs/replay.md): socket(), the options its SYN and the rest of the capture show
 * (TCP_MAXSEG, SO_RCVBUF, the sysctls of SACK, timestamps and window scaling,
 * TCP_NODELAY, the send buffer, keepalive), and connect(), or bind() and listen().
 *
 * Entry point: rinfer_open().
 */
#include <stdio.h>
#include <string.h>

#include "rinfer.h"

/* Socket options and sysctls the SYN shows, set before connect() or listen(). */
static void
syn_options(struct infer *in, const struct capseg *syn, int fd)
{
    const struct dseg *s = &syn->s;
    const char *o = s->opts ? s->opts : "";
    unsigned mss = 0, ws = 0;
    const char *m = strstr(o, "mss ");
    const char *w = strstr(o, "wscale ");
    if (m) {
        sscanf(m, "mss %u", &mss);
    }
    if (w) {
        sscanf(w, "wscale %u", &ws);
    }
    if (strstr(o, "sackOK") == NULL) {
        rinfer_line(in, in->prev, G_MAXUINT, "`sysctl -q net.ipv4.tcp_sack=0`");
    }
    if (strstr(o, "TS val") == NULL) {
        rinfer_line(in, in->prev, G_MAXUINT, "`sysctl -q net.ipv4.tcp_timestamps=0`");
    }
    if (w == NULL) {
        rinfer_line(in, in->prev, G_MAXUINT, "`sysctl -q net.ipv4.tcp_window_scaling=0`");
    }
    /* A 1500-byte path: MSS 1460 over IPv4, 1440 over IPv6 (a 40-byte header); Linux's
     * default SYN windows are whole segments of it (tcp_select_initial_window()). */
    bool v6 = in->k->laddr.family == TCPSIM_AF_INET6;
    unsigned path_mss = v6 ? 1440 : 1460;
    if (mss != 0 && mss < path_mss) {
        rinfer_line(in, in->prev, G_MAXUINT, "setsockopt(%d, SOL_TCP, TCP_MAXSEG, [%u], 4) = 0", fd,
             mss);
        rinfer_guess(in, syn, "MSS %u below the path's %u: the application set TCP_MAXSEG", mss,
              path_mss);
    }
    unsigned deflt = in->k->active ? (v6 ? 64800 : 64240) : (v6 ? 64260 : 65160);
    if (s->win < deflt && !(s->flags & DF_RST)) {
        unsigned rcvbuf = rclue_rcvbuf(s->win, (mss ? mss : path_mss) -
                                       (!in->k->active && strstr(o, "TS val") ? 12 : 0));
        rinfer_line(in, in->prev, G_MAXUINT, "setsockopt(%d, SOL_SOCKET, SO_RCVBUF, [%u], 4) = 0",
                    fd, rcvbuf);
        rinfer_guess(in, syn, "SYN window %u below Linux's %u: SO_RCVBUF %u assumed", s->win,
                     deflt, rcvbuf);
    } else if (w != NULL && ws != 10) {
        ws = ws > 14 ? 14 : ws; /* RFC 7323 §2.3: a shift above 14 is taken as 14 */
        uint64_t max = (uint64_t)65535 << ws;
        rinfer_line(in, in->prev, G_MAXUINT, "`sysctl -q net.ipv4.tcp_rmem=\"4096 131072 %" G_GUINT64_FORMAT
             "\"`", max);
        rinfer_guess(in, syn, "window scale %u: tcp_rmem's maximum taken as %" G_GUINT64_FORMAT, ws,
              max);
    }
}

void
rinfer_open(struct infer *in, const struct capseg *syn)
{
    int ka_idle = 0, ka_intvl = 0, ka_cnt = 0;
    const struct capseg *probe = NULL;
    bool ka = rclue_keepalive(in, &ka_idle, &ka_intvl, &ka_cnt, &probe);
    if (rclue_data_sent(in) > 16384) {
        /* 4 MiB by tcp_wmem[1]: SO_SNDBUF is capped at wmem_max, 212992 (truesize). */
        rinfer_line(in, in->prev, G_MAXUINT,
                    "`sysctl -q net.ipv4.tcp_wmem=\"4096 4194304 4194304\"`");
        rinfer_guess(in, NULL, "writes are not visible on the wire: a 4 MiB send buffer "
                     "(tcp_wmem) lets each inferred write return at once (a writer blocked "
                     "is not replayed)");
    }
    rinfer_line(in, in->prev, G_MAXUINT, "socket(..., SOCK_STREAM, IPPROTO_TCP) = 3");
    if (!in->k->active) {
        rinfer_line(in, in->prev, G_MAXUINT, "setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0");
    }
    /* The endpoint's own SYN (or SYN-ACK) shows its options. */
    const struct capseg *mine = NULL;
    for (guint m = 0; m < in->k->idx->len && mine == NULL; m++) {
        const struct capseg *r = seg_at(in, m);
        if (outbound(in, r) && (r->s.flags & DF_SYN)) {
            mine = r;
        }
    }
    if (mine != NULL) {
        syn_options(in, mine, 3);
    }
    const struct capseg *nd = rclue_nodelay(in);
    if (nd != NULL) {
        rinfer_line(in, in->prev, G_MAXUINT, "setsockopt(3, SOL_TCP, TCP_NODELAY, [1], 4) = 0");
        rinfer_guess(in, nd, "a short segment sent while another short one was unacknowledged: "
              "TCP_NODELAY");
    }
    if (ka) {
        rinfer_line(in, in->prev, G_MAXUINT, "setsockopt(3, SOL_SOCKET, SO_KEEPALIVE, [1], 4) = 0");
        rinfer_line(in, in->prev, G_MAXUINT, "setsockopt(3, SOL_TCP, TCP_KEEPIDLE, [%d], 4) = 0",
             ka_idle);
        rinfer_line(in, in->prev, G_MAXUINT, "setsockopt(3, SOL_TCP, TCP_KEEPINTVL, [%d], 4) = 0",
             ka_intvl);
        if (ka_cnt > 0) {
            rinfer_line(in, in->prev, G_MAXUINT, "setsockopt(3, SOL_TCP, TCP_KEEPCNT, [%d], 4) = 0",
                 ka_cnt);
            rinfer_guess(in, probe, "keepalive probes: SO_KEEPALIVE with TCP_KEEPIDLE %d s, "
                  "TCP_KEEPINTVL %d s, TCP_KEEPCNT %d (the probes before the RST)", ka_idle,
                  ka_intvl, ka_cnt);
        } else {
            rinfer_guess(in, probe, "keepalive probes: SO_KEEPALIVE with TCP_KEEPIDLE %d s and "
                  "TCP_KEEPINTVL %d s (TCP_KEEPCNT is not visible: Linux's default)", ka_idle,
                  ka_intvl);
        }
    }
    if (in->k->active) {
        /* connect() returns when the handshake's ACK goes out, or at a refusal. */
        const struct capseg *done = NULL;
        bool refused = false;
        for (guint m = 1; m < in->k->idx->len && done == NULL; m++) {
            const struct capseg *r = seg_at(in, m);
            if (!outbound(in, r) && (r->s.flags & DF_RST)) {
                done = r;
                refused = true;
            } else if (outbound(in, r) && !(r->s.flags & DF_SYN) && (r->s.flags & DF_ACK)) {
                done = r;
            }
        }
        if (done != NULL && (done->at < in->t0 || done->at - in->t0 > RINFER_MAX_SPAN)) {
            done = NULL; /* out of a script's range: taken as never answered */
        }
        if (done != NULL) {
            in->span_end = done->at;
            rinfer_line(in, in->prev, G_MAXUINT, "connect(3, ..., ...) = %s",
                 refused ? "-1 ECONNREFUSED (Connection refused)" : "0");
        } else {
            rinfer_line(in, in->prev, G_MAXUINT, "fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0");
            rinfer_line(in, in->prev, G_MAXUINT,
                 "connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)");
            rinfer_guess(in, syn, "the handshake never completed in the capture: a non-blocking "
                  "connect() whose outcome is not checked");
        }
        in->fd = 3;
    } else {
        rinfer_line(in, in->prev, G_MAXUINT, "bind(3, ..., ...) = 0");
        rinfer_line(in, in->prev, G_MAXUINT, "listen(3, 128) = 0");
        in->fd = 4;
    }
}
