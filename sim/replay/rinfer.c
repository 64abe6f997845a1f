/* SPDX-License-Identifier: MIT */
/*
 * rinfer.c: the application calls behind a captured connection, inferred from what its
 * endpoint under test sent, written out as a packetdrill script in which the other
 * side's segments are the script's `<` lines and the endpoint's are `>` lines.
 *
 * Entry points: rinfer_script(), rscript_clear(). The rules (docs/replay.md):
 *
 *   open      (ropen.c) the side that sent the first SYN connect()s (blocking, returning when
 *             its handshake ACK went out, or with ECONNREFUSED at a RST); the other
 *             socket()s, bind()s and listen()s before the SYN and accept()s at the
 *             handshake's last ACK.
 *   options   (ropen.c) visible on the wire and set before the SYN: an MSS below 1460 (1440 over
 *             IPv6) is TCP_MAXSEG; a SYN window below Linux's default is SO_RCVBUF; no SACK or
 *             no timestamps in the SYN are the sysctls that turn them off; a window
 *             scale other than tcpsim's default is tcp_rmem's maximum; keepalive probes
 *             give SO_KEEPALIVE, TCP_KEEPIDLE (the idle time before the first probe)
 *             and TCP_KEEPINTVL (between unanswered probes).
 *   write     new data the endpoint sends, at the time of its first segment, up to the
 *             next PSH or FIN (Linux sets PSH where a write ends); the call may block
 *             until the last of its bytes was first sent (`...END`). Data that leaves
 *             as a persist timer's probe into a window too small for a segment was
 *             written when that window was offered (rclue_window_probe()).
 *   read      data the peer sends is read as it arrives, in order; but when the
 *             endpoint's window shrinks as data queues and later opens with a window
 *             update, the reader is slow: everything queued is read just before each
 *             window update and before the close.
 *   close     at the endpoint's FIN; shutdown(SHUT_WR) instead when the peer's data
 *             after it is still acknowledged (a half-close), with close() after the
 *             peer's FIN. A RST from an endpoint that had not closed is an abortive
 *             close (SO_LINGER 0).
 *   lost      an endpoint that goes silent and then answers as a closed port lost its
 *             connection without a segment (a host crash or reboot): `tcpsim crash`
 *             and `tcpsim reboot`, which real packetdrill cannot express
 *             (rclue_lost_connection()).
 *
 * What had to be guessed is listed, with the segment that forced the guess.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "rinfer.h"

/* One script line at capture time `at` (relative to the previous event) and the
 * capture segment it stands for (G_MAXUINT: none). */
void
rinfer_line(struct infer *in, int64_t at, guint seg, const char *fmt, ...)
{
    int64_t base = in->prev;
    int64_t dt = at - base;
    if (dt < 0) {
        dt = 0;
    }
    if (in->out->line_of->len == 1) {
        /* The first event stands where tick_align() put it. */
        int64_t t = in->start;
        g_string_append_printf(in->out->text, "%" G_GINT64_FORMAT ".%06" G_GINT64_FORMAT,
                               t / 1000000000, (t % 1000000000) / 1000);
    } else if (dt == 0) {
        g_string_append(in->out->text, "+0");
    } else {
        g_string_append_printf(in->out->text, "+%" G_GINT64_FORMAT ".%06" G_GINT64_FORMAT,
                               dt / 1000000000, (dt % 1000000000) / 1000);
        in->prev = at - dt % 1000; /* the script's times are whole microseconds */
    }
    if (in->span_end > 0) {
        /* packetdrill: a blocking call's end counts from the same base as its start. */
        int64_t e = in->span_end - base;
        e = e < dt ? dt : e;
        g_string_append_printf(in->out->text, "...%" G_GINT64_FORMAT ".%06" G_GINT64_FORMAT,
                               e / 1000000000, (e % 1000000000) / 1000);
        in->span_end = 0;
    }
    g_string_append_c(in->out->text, ' ');
    va_list ap;
    va_start(ap, fmt);
    g_string_append_vprintf(in->out->text, fmt, ap);
    va_end(ap);
    g_string_append_c(in->out->text, '\n');
    g_array_append_val(in->out->line_of, seg);
}

void
rinfer_guess(struct infer *in, const struct capseg *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *m = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    if (r != NULL) {
        g_string_append_printf(in->out->guesses, "%s (capture packet %u)\n", m, r->index);
    } else {
        g_string_append_printf(in->out->guesses, "%s\n", m);
    }
}

/* The options of a segment in the script's notation: SACK blocks relative to the ISN
 * of the side whose data they cover; options the script cannot write are dropped (a
 * guess). */
static void
opts_text(struct infer *in, const struct capseg *r, GString *o)
{
    const struct dseg *s = &r->s;
    if (s->opts == NULL || *s->opts == '\0') {
        return;
    }
    bool out = outbound(in, r);
    g_auto(GStrv) items = g_strsplit(s->opts, ",", -1);
    GString *t = g_string_new(NULL);
    for (char **it = items; *it; it++) {
        const char *x = g_strstrip(*it);
        if (t->len) {
            g_string_append_c(t, ',');
        }
        if (g_str_has_prefix(x, "sack ") && strchr(x, '{') != NULL) {
            g_string_append(t, "sack");
            for (unsigned b = 0; b < s->nsack; b++) {
                uint32_t l = out ? rel_peer(in, s->sack[b][0]) : rel_local(in, s->sack[b][0]);
                uint32_t e = out ? rel_peer(in, s->sack[b][1]) : rel_local(in, s->sack[b][1]);
                g_string_append_printf(t, " %u:%u", l, e);
            }
        } else if (g_str_has_prefix(x, "mss ") || g_str_has_prefix(x, "wscale ") ||
                   strcmp(x, "sackOK") == 0 || g_str_has_prefix(x, "TS val ") ||
                   strcmp(x, "nop") == 0 || strcmp(x, "eol") == 0) {
            g_string_append(t, x);
        } else {
            if (t->len && t->str[t->len - 1] == ',') {
                g_string_truncate(t, t->len - 1);
            }
            rinfer_guess(in, r, "option \"%s\" cannot be written in a script: left out", x);
        }
    }
    if (t->len) {
        g_string_append_printf(o, " <%s>", t->str);
    }
    g_string_free(t, TRUE);
}

static void
seg_text(struct infer *in, const struct capseg *r, GString *o)
{
    const struct dseg *s = &r->s;
    bool out = outbound(in, r);
    static const struct {
        uint8_t bit;
        char c;
    } fl[] = {{DF_FIN, 'F'}, {DF_SYN, 'S'}, {DF_RST, 'R'}, {DF_PSH, 'P'},
              {DF_URG, 'U'}, {DF_ECE, 'E'}, {DF_CWR, 'W'}};
    g_string_append(o, out ? "> " : "< ");
    size_t before = o->len;
    for (size_t i = 0; i < G_N_ELEMENTS(fl); i++) {
        if (s->flags & fl[i].bit) {
            g_string_append_c(o, fl[i].c);
        }
    }
    if (s->flags & DF_ACK) {
        g_string_append_c(o, '.');
    }
    if (o->len == before) {
        g_string_append_c(o, '-');
    }
    uint32_t seq = out ? rel_local(in, s->seq) : rel_peer(in, s->seq);
    g_string_append_printf(o, " %u:%u(%u)", seq, seq + s->len, s->len);
    if (s->flags & DF_ACK) {
        g_string_append_printf(o, " ack %u", out ? rel_peer(in, s->ack) : rel_local(in, s->ack));
    }
    g_string_append_printf(o, " win %u", s->win);
    opts_text(in, r, o);
}

static void
emit_seg(struct infer *in, guint j)
{
    const struct capseg *r = seg_at(in, j);
    GString *o = g_string_new(NULL);
    seg_text(in, r, o);
    rinfer_line(in, r->at, g_array_index(in->k->idx, guint, j), "%s", o->str);
    g_string_free(o, TRUE);
    in->out->segments++;
    in->out->outbound += outbound(in, r);
}

/* --- what the application did ----------------------------------------------------- */

/* The application reads everything that arrived in order and is still unread. */
static void
read_queued(struct infer *in, int64_t at)
{
    uint32_t n = in->rcvd - in->read_to;
    if (n == 0 || in->closed) {
        return;
    }
    rinfer_line(in, at, G_MAXUINT, "read(%d, ..., %u) = %u", in->fd, n, n);
    in->read_to = in->rcvd;
}

/* A close() decided earlier (the FIN rode on the last data) is made once the capture
 * reaches its time, or at the FIN; what is unread is read first. */
static void
pending_close(struct infer *in, int64_t now, bool fin)
{
    if (!in->close_pending || (now < in->close_at && !fin)) {
        return;
    }
    int64_t at = in->close_at < now ? in->close_at : now;
    read_queued(in, at);
    rinfer_line(in, at, G_MAXUINT, "close(%d) = 0", in->fd);
    in->close_pending = false;
    in->closed = true;
}

static void
peer_data(struct infer *in, const struct capseg *r)
{
    const struct dseg *s = &r->s;
    uint32_t start = rel_peer(in, s->seq) + ((s->flags & DF_SYN) ? 1 : 0);
    uint32_t end = rel_peer(in, s->seq) + s->len + ((s->flags & DF_SYN) ? 1 : 0);
    if (s->flags & DF_FIN) {
        in->fin_rel = end;
    }
    if (s->len == 0) {
        return;
    }
    if ((int32_t)(start - in->rcvd) > 0) {
        struct range g = {start, end};
        g_array_append_val(in->ooo, g);
        return;
    }
    if ((int32_t)(end - in->rcvd) > 0) {
        in->rcvd = end;
    }
    bool grew = true;
    while (grew) {
        grew = false;
        for (guint i = 0; i < in->ooo->len; i++) {
            struct range g = g_array_index(in->ooo, struct range, i);
            if ((int32_t)(g.start - in->rcvd) <= 0) {
                if ((int32_t)(g.end - in->rcvd) > 0) {
                    in->rcvd = g.end;
                }
                g_array_remove_index_fast(in->ooo, i);
                grew = true;
                break;
            }
        }
    }
}

/* Is the endpoint's RST at j its TCP's own answer to the segment just before it (sent
 * within RCONN_REPLY_NS of its arrival), rather than an abort by the application? The
 * first guess is the TCP's answer (a reply RST's seq is that segment's ack; a state
 * that a segment ends, such as an in-window SYN, resets at once); the read search
 * (rrun.c) turns it into an abort when the model, run in lockstep, does not send it. */
static bool
rst_answers(struct infer *in, guint j)
{
    const struct capseg *r = seg_at(in, j);
    const struct capseg *prev = NULL;
    for (guint m = j; m-- > 0;) {
        const struct capseg *p = seg_at(in, m);
        if (!outbound(in, p)) {
            prev = p;
            break;
        }
        if (p->at != r->at) {
            break;
        }
    }
    if (prev == NULL || r->at - prev->at > RCONN_REPLY_NS) {
        return false;
    }
    bool answer = !rinfer_open_decision(in, in->out->answers, j);
    if (answer) {
        rinfer_guess(in, r, "a RST sent as a segment arrived: the TCP's answer to it, not an abort");
    }
    return answer;
}

/* Data that leaves the instant the peer's ACK at j arrives, held until then by the
 * congestion or the peer's window, was written before that ACK (rclue_waiting_data()):
 * when the search turns this ACK's decision, its write comes just before the ACK, at
 * the same time, so that what the endpoint does with queued data (a close's FIN on its
 * last segment, F-RTO's new data after an RTO) happens as in the capture. */
static void
waiting_write(struct infer *in, guint j)
{
    const struct capseg *r = seg_at(in, j);
    guint nj = 0, aj = G_MAXUINT;
    if (in->closed || in->shut_wr || in->close_pending ||
        rclue_waiting_data(in, in->written, &nj, &aj) < 0 || aj != j) {
        return;
    }
    /* A candidate; the first guess is the write as the data leaves, after the ACK (what
     * the wire shows); the search (rrun.c) turns it when the model diverges after it. */
    if (!rinfer_open_decision(in, in->out->waits, j)) {
        return;
    }
    int64_t last = 0;
    uint32_t end = rclue_write_end(in, nj, &last);
    if ((int32_t)(end - in->written) <= 0) {
        return;
    }
    if (!in->waited) {
        in->waited = true;
        rinfer_guess(in, seg_at(in, nj), "data that left as an ACK arrived was waiting for the "
              "window: written just before that ACK");
    }
    int64_t ret = rclue_write_returns(in, j, end);
    if (ret > r->at && ret - in->t0 <= RINFER_MAX_SPAN) {
        in->span_end = ret;
    }
    rinfer_line(in, r->at, G_MAXUINT, "write(%d, ..., %u) = %u", in->fd, end - in->written,
         end - in->written);
    in->written = end;
    if (in->fin_data_end != 0 && end == in->fin_data_end) {
        /* its FIN left with it: the close came before the ACK too */
        in->close_at = ret > r->at ? ret : r->at;
        in->close_pending = true;
        pending_close(in, in->close_at, true);
    }
}

bool
rinfer_open_decision(const struct infer *in, GArray *list, guint j)
{
    guint ci = g_array_index(in->k->idx, guint, j);
    g_array_append_val(list, ci);
    return in->flip != NULL && g_hash_table_contains(in->flip, GUINT_TO_POINTER(ci + 1));
}

/* The endpoint's next new data after its segment at j leaves on a timer with data in
 * flight (rclue_timer_data()): a candidate. The first guess writes it as it leaves;
 * turned by the search, it is written right after segment j, held by the congestion
 * window until the timer's probe sends it (Linux: tcp_send_loss_probe() sends new data
 * when there is some). */
static void
timed_write(struct infer *in, guint j)
{
    const struct capseg *r = seg_at(in, j);
    guint nj = 0;
    if (in->closed || in->shut_wr || in->close_pending || r->s.len == 0 ||
        (r->s.flags & (DF_SYN | DF_RST | DF_FIN)) ||
        rel_local(in, r->s.seq) + r->s.len != in->written ||
        !rclue_timer_data(in, j, in->written, &nj)) {
        return;
    }
    if (!rinfer_open_decision(in, in->out->timed, nj)) {
        return;
    }
    int64_t last = 0;
    uint32_t end = rclue_write_end(in, nj, &last);
    if ((int32_t)(end - in->written) <= 0) {
        return;
    }
    rinfer_guess(in, seg_at(in, nj), "data that left on a timer with data in flight was queued "
                 "behind the congestion window (a loss probe sends new data): written with "
                 "the segment before it");
    rinfer_line(in, r->at, G_MAXUINT, "write(%d, ..., %u) = %u", in->fd, end - in->written,
                end - in->written);
    in->written = end;
}

/* The endpoint lost its connection without a segment (rclue_lost_connection()): its
 * host goes down just before the first segment it left unanswered (`tcpsim crash`: the
 * socket vanishes, nothing is answered) and is up again, with no socket, just before
 * the segment it answered with a closed port's RST (`tcpsim reboot`). No system call
 * does this, and real packetdrill cannot: the script says so. */
static void
lost_connection(struct infer *in, bool down, int64_t at, const struct capseg *silent,
                const struct capseg *rst)
{
    if (down) {
        read_queued(in, silent->at);
        g_string_append_printf(in->out->text, "// the endpoint loses its connection without "
                               "a segment (a host crash or reboot, inferred from the RST at "
                               "capture packet %u): `tcpsim crash` and `tcpsim reboot` are "
                               "tcpsim's own; real packetdrill cannot express this\n",
                               rst->index);
        guint none = G_MAXUINT;
        g_array_append_val(in->out->line_of, none);
        rinfer_line(in, silent->at, G_MAXUINT, "`tcpsim crash`");
        in->closed = true;
        in->close_pending = false;
        rinfer_guess(in, NULL, "the endpoint lost its connection without a segment: host crash or "
              "reboot, inferred from the RST at capture packet %u (it answered as a port "
              "with no socket, RFC 9293 §3.10.7.1, after leaving capture packet %u "
              "unanswered)", rst->index, silent->index);
    } else {
        rinfer_line(in, at, G_MAXUINT, "`tcpsim reboot`");
    }
}

void
rinfer_script(const struct capture *c, const struct rconn *k, GHashTable *flip,
              struct rscript *out)
{
    out->arrivals = g_array_new(FALSE, FALSE, sizeof(guint));
    out->answers = g_array_new(FALSE, FALSE, sizeof(guint));
    out->waits = g_array_new(FALSE, FALSE, sizeof(guint));
    out->pshs = g_array_new(FALSE, FALSE, sizeof(guint));
    out->timed = g_array_new(FALSE, FALSE, sizeof(guint));
    out->nows = g_array_new(FALSE, FALSE, sizeof(guint));
    out->text = g_string_new(NULL);
    out->guesses = g_string_new(NULL);
    out->line_of = g_array_new(FALSE, FALSE, sizeof(guint));
    struct infer in = {.c = c, .k = k, .out = out, .flip = flip, .written = 1, .rcvd = 1,
                       .read_to = 1,
                       .out_win = -1, .peer_win = -1,
                       .ooo = g_array_new(FALSE, FALSE, sizeof(struct range))};
    const struct capseg *first = seg_at(&in, 0);
    in.t0 = first->at;
    in.prev = first->at;
    in.start = rinfer_tick_align(&in);
    rpush_prepare(&in);
    char la[TCPSIM_ADDR_STRLEN];
    char ra[TCPSIM_ADDR_STRLEN];
    bool v6 = k->laddr.family == TCPSIM_AF_INET6;
    g_string_append_printf(out->text, "// %s: %s%s%s:%u %s %s%s%s:%u, replayed as the %s side "
                           "(tcpsim replay; as replay runs it: tcpsim pkt --set rx_skb=veth)\n",
                           c->name, v6 ? "[" : "",
                           tcpsim_addr_format(&k->laddr, la), v6 ? "]" : "", k->lport,
                           k->active ? ">" : "<", v6 ? "[" : "", tcpsim_addr_format(&k->raddr, ra),
                           v6 ? "]" : "", k->rport, k->active ? "connecting" : "listening");
    guint skip = 0;
    g_array_append_val(out->line_of, skip);
    bool burst = flip != NULL && g_hash_table_contains(flip, RSCRIPT_BURST);
    bool lazy = burst || (flip != NULL && g_hash_table_contains(flip, RSCRIPT_LAZY));
    int64_t burst_at = -1; /* the instant of the peer's latest data, not yet read */
    if (burst) {
        rinfer_guess(&in, NULL, "the application, blocked in a read, takes what arrived at the "
                     "end of each burst of the peer's data (a window that grows to new highs "
                     "meanwhile is the receiver's own growth)");
    } else if (lazy) {
        rinfer_guess(&in, NULL, "the application reads only when its window reopens, or at the "
              "end: a window that grows to new highs is the receiver's own growth");
    }
    if (v6) {
        /* packetdrill's own header options: the script runs over IPv6, between the
         * capture's addresses, as `packetdrill --ip_version=ipv6` would run it. */
        g_string_append_printf(out->text, "--ip_version=ipv6\n--local_ip=%s\n--remote_ip=%s\n",
                               la, ra);
        for (int i = 0; i < 3; i++) {
            g_array_append_val(out->line_of, skip);
        }
    }
    rinfer_open(&in, first);
    for (guint j = 0; j < k->idx->len; j++) {
        const struct capseg *r = seg_at(&in, j);
        if (outbound(&in, r) && (r->s.flags & DF_FIN)) {
            if (r->s.len > 0 && !rclue_half_close_after(&in, j)) {
                in.fin_data_end = rel_local(&in, r->s.seq) + r->s.len;
            }
            break;
        }
    }
    guint lost_j = G_MAXUINT, up_j = G_MAXUINT, lost_rst = G_MAXUINT;
    if (!rclue_lost_connection(&in, &lost_j, &up_j, &lost_rst)) {
        lost_j = up_j = G_MAXUINT;
    }
    for (guint j = 0; j < k->idx->len; j++) {
        const struct capseg *r = seg_at(&in, j);
        const struct dseg *s = &r->s;
        if (r->at - in.t0 > RINFER_MAX_SPAN || r->at < in.t0) {
            rinfer_guess(&in, r, "the capture's clock jumps out of a script's range (backwards, or "
                  "past %d days): the script stops before this packet",
                  (int)(RINFER_MAX_SPAN / 86400000000000LL));
            break;
        }
        /* After the range check: the crash's line stands at a packet's time, and one past
         * the range would make a script no reader takes (fuzz_capture found it). */
        if (j == lost_j || j == up_j) {
            lost_connection(&in, j == lost_j, r->at, seg_at(&in, lost_j),
                            seg_at(&in, lost_rst));
        }
        if (burst_at >= 0 && r->at > burst_at) {
            read_queued(&in, burst_at);
            burst_at = -1;
        }
        pending_close(&in, r->at, outbound(&in, r) && (s->flags & DF_FIN));
        if (outbound(&in, r)) {
            uint32_t seq = rel_local(&in, s->seq) + ((s->flags & DF_SYN) ? 1 : 0);
            /* Data left unread shows as a smaller window; a window that grows again
             * was opened by a read (but for the data held by an early read). */
            if (in.rcvd != in.read_to && !(s->flags & DF_SYN) && in.out_win >= 0 &&
                (int64_t)s->win > in.out_win && !in.hold &&
                !(lazy && (int64_t)s->win > in.max_win)) {
                read_queued(&in, r->at);
            }
            in.hold = false;
            /* A zero-window probe means data was waiting: the write of the data that
             * follows it happened by now (Linux probes only with data queued,
             * tcp_probe_timer()). */
            guint wj = j;
            bool probe = in.peer_win == 0 && s->len <= 1 &&
                         !(s->flags & (DF_SYN | DF_FIN | DF_RST)) && seq + 1 == in.written;
            if (probe) {
                for (guint m = j + 1; m < k->idx->len; m++) {
                    const struct capseg *n = seg_at(&in, m);
                    if (outbound(&in, n) && n->s.len > 0 &&
                        rel_local(&in, n->s.seq) == in.written) {
                        wj = m;
                        break;
                    }
                }
            }
            const struct capseg *w = seg_at(&in, wj);
            uint32_t wseq = rel_local(&in, w->s.seq);
            if (w->s.len > 0 && (int32_t)(wseq + w->s.len - in.written) > 0 &&
                (int32_t)(wseq - in.written) <= 0 && !in.closed && !in.shut_wr) {
                int64_t last = r->at;
                uint32_t end = rclue_write_end(&in, wj, &last);
                uint32_t n = end - in.written;
                int64_t ret = rclue_write_returns(&in, wj, end);
                if (ret > r->at && ret - in.t0 <= RINFER_MAX_SPAN) {
                    in.span_end = ret;
                }
                if (end == rclue_data_sent(&in) + 2) {
                    rinfer_guess(&in, w, "no PSH that marks a write's end and no FIN ends the "
                          "last data: the application wrote more than ever left (one byte "
                          "more stands for it)");
                }
                rinfer_line(&in, r->at, G_MAXUINT, "write(%d, ..., %u) = %u", in.fd, n, n);
                in.written = end;
                int64_t done = ret > r->at ? ret : r->at;
                if (in.fin_data_end != 0 && end == in.fin_data_end) {
                    /* The FIN left with the last data: the application closed while it
                     * was still queued, as soon as its write returned. */
                    in.close_at = done;
                    in.close_pending = true;
                }
            }
            if ((s->flags & DF_FIN) && !in.closed && !in.shut_wr) {
                if (rclue_half_close_after(&in, j)) {
                    rinfer_line(&in, r->at, G_MAXUINT, "shutdown(%d, SHUT_WR) = 0", in.fd);
                    in.shut_wr = true;
                } else {
                    read_queued(&in, r->at);
                    rinfer_line(&in, r->at, G_MAXUINT, "close(%d) = 0", in.fd);
                    in.closed = true;
                    in.close_pending = false; /* made here, with its FIN */
                }
            } else if ((s->flags & DF_RST) && !in.closed && !in.shut_wr &&
                       (in.accepted || k->active) &&
                       !(s->flags & DF_SYN) && !rst_answers(&in, j)) {
                rinfer_line(&in, r->at, G_MAXUINT,
                     "setsockopt(%d, SOL_SOCKET, SO_LINGER, {onoff=1, linger=0}, 8) = 0", in.fd);
                rinfer_line(&in, r->at, G_MAXUINT, "close(%d) = 0", in.fd);
                in.closed = true;
                rinfer_guess(&in, r, "a RST from an endpoint that had not closed: an abortive "
                      "close (SO_LINGER 0)");
            }
            emit_seg(&in, j);
            if (!(s->flags & DF_SYN) && (s->flags & DF_ACK)) {
                in.out_win = s->win;
                in.max_win = s->win > in.max_win ? s->win : in.max_win;
            }
            timed_write(&in, j);
            continue;
        }
        waiting_write(&in, j);
        guint cj = g_array_index(k->idx, guint, j);
        bool early = s->len > 0 && flip != NULL && g_hash_table_contains(flip, RSCRIPT_EARLY(cj));
        if (early) {
            /* Read what was queued before this data arrived: a reader blocked in a
             * large read takes what is there as it comes (the window shows it), and
             * this data and what comes with it wait until the endpoint's next segment. */
            read_queued(&in, r->at);
            in.hold = true;
        }
        emit_seg(&in, j);
        if (s->flags & DF_ACK) {
            in.peer_win = s->win;
        }
        if ((s->flags & DF_ACK) && s->win == 0 && !in.closed && !in.shut_wr &&
            rel_local(&in, s->ack) == in.written) {
            /* The window closed with everything written acknowledged: the data the
             * endpoint sends when it opens again was already waiting (it probes only
             * with data queued, tcp_probe_timer()): write it now. */
            for (guint m = j + 1; m < k->idx->len; m++) {
                const struct capseg *n = seg_at(&in, m);
                if (outbound(&in, n) && n->s.len > 0 &&
                    rel_local(&in, n->s.seq) == in.written) {
                    int64_t last = n->at;
                    uint32_t end = rclue_write_end(&in, m, &last);
                    rinfer_line(&in, r->at, G_MAXUINT, "write(%d, ..., %u) = %u", in.fd,
                         end - in.written, end - in.written);
                    in.written = end;
                    break;
                }
            }
        }
        guint pj = 0;
        if ((s->flags & DF_ACK) && s->win > 0 && !in.closed && !in.shut_wr &&
            rel_local(&in, s->ack) == in.written && rclue_window_probe(&in, j, &pj)) {
            /* The window no longer takes a full segment, with everything written
             * acknowledged, and the data after it leaves later as a persist timer's
             * probe: it was queued by now (rclue_window_probe()): write it now. */
            int64_t last = 0;
            /* A probe is a window-sized piece of a queue the window would not take
             * (Linux: tcp_write_wakeup()): its PSH ends no write. */
            uint32_t end = rclue_write_end(&in, pj, &last);
            if ((int32_t)(end - in.written) > 0) {
                if (!in.probed) {
                    in.probed = true;
                    rinfer_guess(&in, seg_at(&in, pj), "data that left as a window probe into a "
                          "window too small for a segment was queued when that window was "
                          "offered (the persist timer runs only with data queued): written "
                          "then");
                }
                rinfer_line(&in, r->at, G_MAXUINT, "write(%d, ..., %u) = %u", in.fd,
                     end - in.written, end - in.written);
                in.written = end;
            }
        }
        if (!k->active && !in.accepted && (s->flags & DF_ACK) && !(s->flags & (DF_SYN | DF_RST)) &&
            rel_local(&in, s->ack) == 1) {
            rinfer_line(&in, r->at, G_MAXUINT, "accept(3, ..., ...) = 4");
            in.accepted = true;
        }
        peer_data(&in, r);
        if (in.rcvd != in.read_to) {
            int64_t w = rclue_next_window(&in, j);
            guint ci = g_array_index(k->idx, guint, j);
            /* Read at arrival when the next window grows, or stays at the largest yet. */
            bool now = in.out_win < 0 || w < 0 || w > in.out_win ||
                       (w == in.out_win && w >= in.max_win);
            if (flip != NULL && g_hash_table_contains(flip, GUINT_TO_POINTER(ci + 1))) {
                now = !now;
            }
            g_array_append_val(out->arrivals, ci);
            if (now && !in.hold && !lazy) {
                g_array_append_val(out->nows, ci);
            }
            now = now && !in.hold && !lazy;
            burst_at = burst ? r->at : burst_at;
            if (now) {
                read_queued(&in, r->at);
            } else if (!in.slow_reader && !burst) {
                in.slow_reader = true;
                rinfer_guess(&in, r, "the endpoint's window shrank as this data arrived: the "
                      "application read later, just before its window grew again");
            }
        }
        bool fin_in_order = in.fin_rel != 0 && (int32_t)(in.fin_rel - 1 - in.rcvd) <= 0;
        if (fin_in_order && !in.eof_read && (in.accepted || k->active)) {
            read_queued(&in, r->at);
            if (!in.closed) {
                rinfer_line(&in, r->at, G_MAXUINT, "read(%d, ..., 1000) = 0", in.fd);
            }
            in.eof_read = true;
            if (in.shut_wr) {
                rinfer_line(&in, r->at, G_MAXUINT, "close(%d) = 0", in.fd);
                in.shut_wr = false;
                in.closed = true;
            }
        }
    }
    rpush_release(&in);
    g_array_free(in.ooo, TRUE);
}

void
rscript_clear(struct rscript *s)
{
    if (s->text) {
        g_string_free(s->text, TRUE);
    }
    if (s->guesses) {
        g_string_free(s->guesses, TRUE);
    }
    GArray *arrays[] = {s->line_of, s->arrivals, s->answers, s->waits, s->pshs, s->nows,
                        s->timed};
    for (size_t i = 0; i < G_N_ELEMENTS(arrays); i++) {
        if (arrays[i] != NULL) {
            g_array_free(arrays[i], TRUE);
        }
    }
    *s = (struct rscript){0};
}
