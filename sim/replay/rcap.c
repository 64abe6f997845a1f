/* SPDX-License-Identifier: MIT */
/*
 * rcap.c: a capture read into TCP segments: pcap or pcapng (by tcpsim's one capture
 * reader, sim/diff/capture.c), or the text `tcpdump -n` prints (by the trace diff's
 * reader, sim/diff).
 *
 * Entry points: rcap_load(), rcap_from_bytes(), rcap_unfold_self(), rcap_free().
 */
#include <string.h>

#include "replay.h"

G_DEFINE_QUARK(tcpsim-replay-error-quark, tcpsim_replay_error)

static gboolean
read_text(struct capture *c, const char *text, size_t n, GError **error)
{
    GError *e = NULL;
    struct dtrace *t = dtrace_from_text(c->name, text, n, &e);
    if (t == NULL) {
        g_set_error(error, TCPSIM_REPLAY_ERROR, TCPSIM_REPLAY_ERROR_INPUT, "%s", e->message);
        g_error_free(e);
        return FALSE;
    }
    if (t->format != DTRACE_TCPDUMP) {
        g_set_error(error, TCPSIM_REPLAY_ERROR, TCPSIM_REPLAY_ERROR_INPUT,
                    "%s: a tcpsim trace, not a capture: replay its pcap (tcpsim run "
                    "--pcap) or tcpdump's text of one", c->name);
        dtrace_free(t);
        return FALSE;
    }
    if (!t->has_time) {
        g_set_error(error, TCPSIM_REPLAY_ERROR, TCPSIM_REPLAY_ERROR_INPUT,
                    "%s: tcpdump text without time stamps (-t): replay needs the times",
                    c->name);
        dtrace_free(t);
        return FALSE;
    }
    c->format = "tcpdump text";
    for (guint i = 0; i < t->ev->len; i++) {
        const struct dev *d = &g_array_index(t->ev, struct dev, i);
        if (!dev_is_segment(d->kind)) {
            continue;
        }
        struct capseg r = {.at = d->at, .index = d->line, .s = d->seg};
        r.s.opts = g_string_chunk_insert(c->strings, d->seg.opts ? d->seg.opts : "");
        r.s.annotation = NULL;
        if (c->segs->len < CAPTURE_MAX_SEGMENTS) {
            g_array_append_val(c->segs, r);
        }
    }
    c->skipped += t->skipped;
    dtrace_free(t);
    return TRUE;
}

void
rcap_free(struct capture *c)
{
    capture_free(c);
}

struct capture *
rcap_load(const char *path, GError **error)
{
    g_autofree char *data = NULL;
    gsize n = 0;
    GError *e = NULL;
    if (!g_file_get_contents(path, &data, &n, &e)) {
        g_set_error(error, TCPSIM_REPLAY_ERROR, TCPSIM_REPLAY_ERROR_INPUT, "%s", e->message);
        g_error_free(e);
        return NULL;
    }
    return rcap_from_bytes(path, (const uint8_t *)data, n, error);
}

struct capture *
rcap_from_bytes(const char *path, const uint8_t *b, size_t n, GError **error)
{
    const char *data = (const char *)b;
    if (n > RCAP_MAX_BYTES) {
        g_set_error(error, TCPSIM_REPLAY_ERROR, TCPSIM_REPLAY_ERROR_INPUT,
                    "%s: larger than %u bytes", path, RCAP_MAX_BYTES);
        return NULL;
    }
    struct capture *c = capture_new(path);
    gboolean ok;
    if (capture_is_binary(b, n)) {
        ok = capture_read_binary(c, b, n, TCPSIM_REPLAY_ERROR, TCPSIM_REPLAY_ERROR_INPUT, error);
    } else if (memchr(data, '\0', n) == NULL) {
        ok = read_text(c, data, n, error);
    } else {
        g_set_error(error, TCPSIM_REPLAY_ERROR, TCPSIM_REPLAY_ERROR_INPUT,
                    "%s: neither pcap, pcapng nor tcpdump text", path);
        ok = FALSE;
    }
    if (ok && c->segs->len == 0) {
        g_set_error(error, TCPSIM_REPLAY_ERROR, TCPSIM_REPLAY_ERROR_INPUT,
                    "%s: no IPv4 or IPv6 TCP segment in it (%u other packets)", path,
                    c->skipped);
        ok = FALSE;
    }
    if (!ok) {
        capture_free(c);
        return NULL;
    }
    return c;
}

/* A connection to itself (source and destination the same address and port: a
 * self-connect) is one socket that receives every segment it sends. Unfolded, each of
 * its segments stands twice: as sent to port 0 of the same address, and as received
 * from it (port 0 is never a real TCP port, so no other connection of the capture has
 * it). The connection then has two sides like any other: a simultaneous open with a
 * peer that answers exactly what the endpoint sent, which is what the socket itself
 * did (TCP keeps no state that tells the two apart). Returns the segments unfolded. */
guint
rcap_unfold_self(struct capture *c)
{
    guint n = 0;
    GArray *out = g_array_sized_new(FALSE, TRUE, sizeof(struct capseg), c->segs->len);
    for (guint i = 0; i < c->segs->len; i++) {
        struct capseg r = g_array_index(c->segs, struct capseg, i);
        if (!tcpsim_addr_equal(&r.s.saddr, &r.s.daddr) || r.s.sport != r.s.dport ||
            r.s.sport == 0 || out->len + 2 > CAPTURE_MAX_SEGMENTS) {
            g_array_append_val(out, r);
            continue;
        }
        struct capseg back = r;
        r.s.dport = 0;
        back.s.sport = 0;
        g_array_append_val(out, r);
        g_array_append_val(out, back);
        n++;
    }
    if (n == 0) {
        g_array_free(out, TRUE);
        return 0;
    }
    g_array_free(c->segs, TRUE);
    c->segs = out;
    return n;
}
