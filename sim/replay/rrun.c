/* SPDX-License-Identifier: MIT */
/*
 * rrun.c: each connection's script run against tcpsim, strictly, and the report.
 *
 * Entry point: tcpsim_replay(). A divergence is reported at the capture packet the
 * endpoint should have sent, with the capture's segments just before it, what tcpsim
 * sent instead, and tcpsim's own trace line for it (which names the mechanism: RTO,
 * delayed ACK, window update ...). Under a personality other than linux a divergence is
 * run again under linux: when Linux's model replays the capture, the report says the
 * difference is where that personality departs from Linux.
 */
#include <stdio.h>
#include <string.h>
#include <glib/gstdio.h>
#include <tcpsim/pkt.h>
#include <unistd.h>

#include "replay.h"

static void
addr_text(GString *s, struct tcpsim_addr a, uint16_t p)
{
    char ip[TCPSIM_ADDR_STRLEN];
    tcpsim_addr_format(&a, ip);
    g_string_append_printf(s, a.family == TCPSIM_AF_INET6 ? "[%s]:%u" : "%s:%u", ip, p);
}

/* Runs `text`; the result, and tcpsim's trace lines in `trace` (may be NULL). */
static gboolean
run_script(const char *name, const char *text, const char *personality,
           const struct tcpsim_replay_options *o, struct tcpsim_pkt_result *res,
           char **trace, GError **error)
{
    const char *stack = tcpsim_pkt_stack_define(personality);
    const char *defines[] = {stack, NULL};
    /* The script is ours, as long as the capture (at most RCAP_MAX_BYTES) makes it. */
    struct tcpsim_pkt_script *s = tcpsim_pkt_parse_bounded(name, text, strlen(text),
                                                           stack ? defines : NULL,
                                                           RCAP_MAX_BYTES, error);
    if (s == NULL) {
        return FALSE;
    }
    GPtrArray *sets = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(sets, g_strdup_printf("personality=%s", personality));
    /* A capture's receiver got its segments from a veth pair, loopback or a NIC, not
     * from packetdrill's tun device (tcpsim pkt's own default); --set rx_skb=tun wins. */
    g_ptr_array_add(sets, g_strdup("rx_skb=veth"));
    for (const char *const *kv = o->sets; kv && *kv; kv++) {
        g_ptr_array_add(sets, g_strdup(*kv));
    }
    g_ptr_array_add(sets, NULL);
    g_autofree char *tmp = NULL;
    if (trace != NULL) {
        int fd = g_file_open_tmp("tcpsim-replay-XXXXXX.trace", &tmp, NULL);
        if (fd >= 0) {
            close(fd);
        }
    }
    /* A capture's times are compared within the fixed tolerance alone: packetdrill's
     * percentage of the interval (12.5 %, for a kernel's late timers) would let a long
     * timer drift by seconds unseen. */
    static const char *const exact[] = {"tolerance_percent=0", NULL};
    struct tcpsim_pkt_options po = {
        .compare = TCPSIM_PKT_CMP_ALL,
        .sets = (const char *const *)sets->pdata,
        .seed = 1,
        .trace_path = tmp,
        .tolerance_usecs = o->tolerance_usecs > 0 ? o->tolerance_usecs
                                                  : TCPSIM_REPLAY_TOLERANCE_USECS,
        .header_options = exact,
    };
    gboolean ok = tcpsim_pkt_run(s, &po, res, error);
    tcpsim_pkt_script_free(s);
    g_ptr_array_free(sets, TRUE);
    if (tmp != NULL) {
        if (ok) {
            g_file_get_contents(tmp, trace, NULL, NULL);
        }
        g_unlink(tmp);
    }
    return ok;
}

/* tcpsim's trace lines of segments sent at `t` (seconds, as the details print it). */
static void
trace_lines_at(GString *out, const char *trace, const char *t)
{
    if (trace == NULL || t == NULL) {
        return;
    }
    g_auto(GStrv) lines = g_strsplit(trace, "\n", -1);
    for (char **l = lines; *l; l++) {
        if (g_str_has_prefix(*l, t) && strstr(*l, " sent ") != NULL) {
            g_string_append_printf(out, "    tcpsim's trace: %s\n", *l);
        }
    }
}

/* The script's lines before the failing one, and it. */
static void
context(GString *out, const char *text, int fail_line)
{
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    int first = fail_line - 4 < 1 ? 1 : fail_line - 4;
    g_string_append(out, "    the script around it (the capture's numbers, relative):\n");
    for (int l = first; l <= fail_line && lines[l - 1] != NULL; l++) {
        g_string_append_printf(out, "    %s %4d  %s\n", l == fail_line ? ">>" : "  ", l,
                               lines[l - 1]);
    }
}

/* Writes `text` to `file` (FILE for the first connection, FILE.2.EXT ... for more). */
static void
emit(const char *file, const char *what, const char *runner, unsigned n, const char *text,
     GString *report)
{
    if (file == NULL) {
        return;
    }
    g_autofree char *path = NULL;
    if (n == 1) {
        path = g_strdup(file);
    } else {
        const char *dot = strrchr(file, '.');
        path = dot ? g_strdup_printf("%.*s.%u%s", (int)(dot - file), file, n, dot)
                   : g_strdup_printf("%s.%u", file, n);
    }
    GError *e = NULL;
    if (!g_file_set_contents(path, text, -1, &e)) {
        g_string_append_printf(report, "  could not write the %s: %s\n", what, e->message);
        g_error_free(e);
    } else {
        g_string_append_printf(report, "  %s written to %s (%s %s runs it)\n", what, path,
                               runner, path);
    }
}

/* Which captured segment a failed run stopped at (G_MAXUINT: a call or nothing). */
static guint
failed_segment(const struct rscript *sc, const struct tcpsim_pkt_result *r)
{
    if (r->status != TCPSIM_PKT_FAIL || r->line < 1 || (guint)(r->line - 1) >= sc->line_of->len) {
        return G_MAXUINT;
    }
    return g_array_index(sc->line_of, guint, r->line - 1);
}

/* The lockstep search. What the wire leaves open (when the application read; whether
 * data that left as an ACK arrived had been written before; whether a PSH in mid-burst
 * ended a write or a TSO packet; whether a RST answered a segment or was an abort) is
 * first guessed, and where the script diverges, the latest such decision before that
 * segment is turned the other way (on a window larger than the capture's, first a read
 * moved before the latest data read with its arrival) and the script tried again, as
 * long as each try gets further (at most RREAD_TRIES). The script that got furthest is
 * kept in `sc`. */
#define RREAD_TRIES 24

/* How far a script gets: G_MAXUINT when it passes, the capture index it diverged at,
 * 0 when it diverged at a call or did not run. */
static guint
reach(const struct rscript *sc, const char *name, const char *personality,
      const struct tcpsim_replay_options *o)
{
    struct tcpsim_pkt_result r = {0};
    guint at = 0;
    if (run_script(name, sc->text->str, personality, o, &r, NULL, NULL)) {
        at = r.status == TCPSIM_PKT_PASS ? G_MAXUINT : failed_segment(sc, &r);
        at = at == G_MAXUINT && r.status != TCPSIM_PKT_PASS ? 0 : at;
    }
    tcpsim_pkt_result_clear(&r);
    return at;
}

static unsigned
search_from(const struct capture *c, const struct rconn *k, const char *name,
            const char *personality, const struct tcpsim_replay_options *o,
            struct rscript *sc, gpointer reader)
{
    GHashTable *flip = g_hash_table_new(NULL, NULL);
    if (reader != NULL) {
        g_hash_table_add(flip, reader);
    }
    rinfer_script(c, k, flip, sc);
    unsigned flips = 0;
    guint best = 0;
    guint no_early = G_MAXUINT;
    unsigned early_tries = 0;
    unsigned other_tries = 0;
    GHashTable *tried = g_hash_table_new(NULL, NULL);
    for (int t = 0; t < RREAD_TRIES; t++) {
        struct tcpsim_pkt_result r = {0};
        if (!run_script(name, sc->text->str, personality, o, &r, NULL, NULL)) {
            break;
        }
        guint at = failed_segment(sc, &r);
        bool window = r.reason && strstr(r.reason, "tcp_window") != NULL;
        /* A window larger than the capture's: the application read less by then. */
        unsigned long want = 0, got = 0;
        bool larger = window && sscanf(strstr(r.reason, "tcp_window"),
                                       "tcp_window: expected: %lu vs actual: %lu", &want,
                                       &got) == 2 && got > want;
        tcpsim_pkt_result_clear(&r);
        /* A RST taken for the TCP's answer that the model does not send: an abort. */
        bool answer = false;
        for (guint i = 0; i < sc->answers->len && at != G_MAXUINT; i++) {
            guint ci = g_array_index(sc->answers, guint, i);
            answer = answer || (ci == at && !g_hash_table_contains(flip, GUINT_TO_POINTER(ci + 1)));
        }
        /* Else the latest decision before it that the wire leaves open: an ACK that
         * released data the model could have had queued (rinfer.c waiting_write()), a
         * PSH in mid-burst that may end a TSO packet rather than a write (rclues.c) or be a
         * forced push inside one (rpush.c). */
        guint wait = G_MAXUINT;
        const GArray *kinds[] = {sc->waits, sc->pshs, sc->timed};
        for (size_t kd = 0; kd < G_N_ELEMENTS(kinds) && !answer && !window && at != G_MAXUINT;
             kd++) {
            for (guint i = 0; i < kinds[kd]->len; i++) {
                guint ci = g_array_index(kinds[kd], guint, i);
                /* data sent on a timer: its own segment may be where the model differs */
                guint upto = kinds[kd] == sc->timed ? at + 1 : at;
                if (ci < upto && !g_hash_table_contains(flip, GUINT_TO_POINTER(ci + 1)) &&
                    !g_hash_table_contains(tried, GUINT_TO_POINTER(ci + 1)) &&
                    (wait == G_MAXUINT || ci > wait)) {
                    wait = ci;
                }
            }
        }
        if (at == G_MAXUINT || (best != 0 && at <= best)) {
            break;
        }
        best = at;
        /* The latest arrival before the failing segment whose decision is not yet turned;
         * with a window too large, first the latest data read with its arrival, read
         * before it instead (the reader took only what was there). */
        guint pick = answer ? at : wait;
        gpointer key = NULL;
        for (guint i = sc->nows->len; i-- > 0 && larger && pick == G_MAXUINT && at != no_early;) {
            guint ci = g_array_index(sc->nows, guint, i);
            if (ci < at && !g_hash_table_contains(flip, RSCRIPT_EARLY(ci)) &&
                !g_hash_table_contains(tried, RSCRIPT_EARLY(ci))) {
                pick = ci;
                key = RSCRIPT_EARLY(ci);
            }
        }
        for (guint i = sc->arrivals->len; i-- > 0 && pick == G_MAXUINT;) {
            guint ci = g_array_index(sc->arrivals, guint, i);
            if (ci < at && !g_hash_table_contains(flip, GUINT_TO_POINTER(ci + 1))) {
                pick = ci;
                break;
            }
        }
        if (pick == G_MAXUINT) {
            break;
        }
        key = key != NULL ? key : GUINT_TO_POINTER(pick + 1);
        g_hash_table_add(flip, key);
        struct rscript next = {0};
        rinfer_script(c, k, flip, &next);
        struct tcpsim_pkt_result nr = {0};
        bool ran = run_script(name, next.text->str, personality, o, &nr, NULL, NULL);
        guint nat = failed_segment(&next, &nr);
        bool better = ran && (nr.status == TCPSIM_PKT_PASS || (nat != G_MAXUINT && nat > at));
        tcpsim_pkt_result_clear(&nr);
        if (!better) {
            g_hash_table_remove(flip, key);
            rscript_clear(&next);
            if (GPOINTER_TO_UINT(key) & 0x80000000u) {
                /* the next earlier data, then (within the tries) the other decision */
                g_hash_table_add(tried, key);
                if (++early_tries >= 4) {
                    no_early = at;
                }
                best = 0;
                continue;
            }
            if (wait != G_MAXUINT && !answer && ++other_tries < 4) {
                /* then the next earlier open decision (a PSH whose write the ones
                 * after it depend on, say: a forced push) */
                g_hash_table_add(tried, key);
                best = 0;
                continue;
            }
            break;
        }
        rscript_clear(sc);
        *sc = next;
        flips++;
    }
    g_hash_table_destroy(flip);
    g_hash_table_destroy(tried);
    return flips;
}

/* The search from the first guess, and, when that does not replay the connection, from
 * the other first guesses for the reader: RSCRIPT_LAZY (it reads only when its window
 * reopens), then RSCRIPT_BURST (it takes what arrived at the end of each burst); the
 * script that gets furthest is kept in `sc`. */
static unsigned
search_reads(const struct capture *c, const struct rconn *k, const char *name,
             const char *personality, const struct tcpsim_replay_options *o,
             struct rscript *sc)
{
    unsigned flips = search_from(c, k, name, personality, o, sc, NULL);
    guint at = reach(sc, name, personality, o);
    if (sc->arrivals->len == 0) {
        return flips;
    }
    gpointer readers[] = {RSCRIPT_LAZY, RSCRIPT_BURST};
    for (size_t i = 0; i < G_N_ELEMENTS(readers) && at != G_MAXUINT; i++) {
        struct rscript other = {0};
        unsigned oflips = search_from(c, k, name, personality, o, &other, readers[i]);
        guint oat = reach(&other, name, personality, o);
        if (oat != 0 && oat > at) {
            rscript_clear(sc);
            *sc = other;
            flips = oflips;
            at = oat;
        } else {
            rscript_clear(&other);
        }
    }
    return flips;
}

static void
one(const struct capture *c, const struct rconn *k, unsigned n,
    const struct tcpsim_replay_options *o, GString *report, struct tcpsim_replay_result *res)
{
    const char *personality = o->personality ? o->personality : "linux";
    if (k->spoofed != NULL) {
        const struct capseg *syn = &g_array_index(c->segs, struct capseg, g_array_index(k->idx, guint, 0));
        g_string_append_printf(report, "connection %u: ", n);
        addr_text(report, k->laddr, k->lport);
        g_string_append(report, " > ");
        addr_text(report, k->raddr, k->rport);
        g_string_append_printf(report, ": not replayed: a third party's SYN (capture packet "
                               "%u): %s\n", syn->index, k->spoofed);
        res->spoofed++;
        return;
    }
    struct rscript sc = {0};
    g_autofree char *name = g_strdup_printf("%s#%u", c->name, n);
    unsigned searched = search_reads(c, k, name, personality, o, &sc);
    g_string_append_printf(report, "connection %u: ", n);
    addr_text(report, k->laddr, k->lport);
    g_string_append(report, k->active ? " > " : " < ");
    addr_text(report, k->raddr, k->rport);
    g_string_append_printf(report, ", endpoint under test ");
    addr_text(report, k->laddr, k->lport);
    g_string_append_printf(report, " (%s); %u segments, %u of them its own\n",
                           k->active ? "it sent the first SYN" : "it answered the first SYN",
                           sc.segments, sc.outbound);
    if (sc.guesses->len) {
        g_auto(GStrv) gl = g_strsplit(sc.guesses->str, "\n", -1);
        for (char **g = gl; *g && **g; g++) {
            g_string_append_printf(report, "  guessed: %s\n", *g);
        }
    }
    for (guint f = 0; f < k->forged->len; f++) {
        const struct capseg *fr = &g_array_index(c->segs, struct capseg, g_array_index(k->forged, guint, f));
        g_string_append_printf(report, "  third party: capture packet %u carries the "
                               "endpoint's address but is not its own: %s; left out of the "
                               "script (it went to the peer, whose answers are kept)\n",
                               fr->index, (const char *)g_ptr_array_index(k->forged_why, f));
    }
    if (o->show_script) {
        g_string_append_printf(report, "  script:\n%s", sc.text->str);
    }
    if (searched > 0) {
        g_string_append_printf(report, "  guessed: %u decision%s placed by search (a read, "
                               "a write of data held by the window, a PSH that ends a "
                               "write or a TSO packet, a RST that answers a segment or "
                               "aborts): the first guess diverged there, and "
                               "the model run in lockstep got further with the other\n",
                               searched, searched == 1 ? "" : "s");
    }
    emit(o->emit_script, "script", "tcpsim pkt", n, sc.text->str, report);
    if (o->emit_scenario != NULL) {
        GString *scn = g_string_new(NULL);
        const char *why = NULL;
        if (rinfer_scenario(c, k, scn, &why)) {
            emit(o->emit_scenario, "scenario", "tcpsim run", n, scn->str, report);
        } else {
            g_string_append_printf(report, "  no scenario written: %s\n", why);
        }
        g_string_free(scn, TRUE);
    }
    struct tcpsim_pkt_result r = {0};
    char *trace = NULL;
    GError *e = NULL;
    if (!run_script(name, sc.text->str, personality, o, &r, &trace, &e)) {
        g_string_append_printf(report, "  unsupported: the inferred script does not run: %s\n",
                               e ? e->message : "?");
        g_clear_error(&e);
        res->unsupported++;
        rscript_clear(&sc);
        tcpsim_pkt_result_clear(&r);
        return;
    }
    switch (r.status) {
    case TCPSIM_PKT_PASS:
        res->replayed++;
        g_string_append_printf(report, "  no divergence: every segment the endpoint sent "
                               "matches (flags, seq, ack, length, window, options; times "
                               "within %" G_GINT64_FORMAT " us) under the %s personality\n",
                               r.tolerance_usecs, personality);
        break;
    case TCPSIM_PKT_FAIL: {
        res->diverged++;
        guint seg = r.line >= 1 && (guint)(r.line - 1) < sc.line_of->len
                        ? g_array_index(sc.line_of, guint, r.line - 1) : G_MAXUINT;
        if (seg != G_MAXUINT && seg < c->segs->len) {
            const struct capseg *rs = &g_array_index(c->segs, struct capseg, seg);
            g_string_append_printf(report, "  first divergence at capture packet %u (script "
                                   "line %d), under the %s personality: %s\n", rs->index,
                                   r.line, personality, r.reason);
        } else {
            g_string_append_printf(report, "  first divergence at script line %d (an inferred "
                                   "call), under the %s personality: %s\n", r.line,
                                   personality, r.reason);
        }
        context(report, sc.text->str, r.line);
        if (r.details && *r.details) {
            g_auto(GStrv) dl = g_strsplit(r.details, "\n", -1);
            for (char **d = dl; *d && **d; d++) {
                g_string_append_printf(report, "    %s\n", *d);
            }
            const char *act = strstr(r.details, "actual packet: ");
            if (act) {
                g_autofree char *t = g_strndup(act + 15, strcspn(act + 15, " "));
                trace_lines_at(report, trace, t);
            }
        }
        if (strcmp(personality, "linux") != 0) {
            struct tcpsim_pkt_result lr = {0};
            if (run_script(name, sc.text->str, "linux", o, &lr, NULL, NULL) &&
                lr.status == TCPSIM_PKT_PASS) {
                g_string_append_printf(report, "  under the linux personality the capture "
                                       "replays with no divergence: this is where the %s "
                                       "personality departs from Linux\n", personality);
            }
            tcpsim_pkt_result_clear(&lr);
        }
        break;
    }
    case TCPSIM_PKT_UNSUPPORTED:
        res->unsupported++;
        g_string_append_printf(report, "  unsupported at script line %d: %s\n", r.line,
                               r.reason);
        break;
    case TCPSIM_PKT_SCRIPT_ERROR:
        res->unsupported++;
        g_string_append_printf(report, "  the inferred script is wrong at line %d: %s (a bug "
                               "of replay's inference: please report it with the capture)\n",
                               r.line, r.reason);
        break;
    }
    g_free(trace);
    tcpsim_pkt_result_clear(&r);
    rscript_clear(&sc);
}

gboolean
tcpsim_replay(const char *capture, const struct tcpsim_replay_options *o, GString *report,
              struct tcpsim_replay_result *res, GError **error)
{
    *res = (struct tcpsim_replay_result){0};
    const char *p = o->personality;
    if (p != NULL && strcmp(p, "linux") != 0 && strcmp(p, "rfc") != 0 &&
        strcmp(p, "freebsd") != 0) {
        g_set_error(error, TCPSIM_REPLAY_ERROR, TCPSIM_REPLAY_ERROR_OPTION,
                    "--personality %s: expected linux, rfc or freebsd", p);
        return FALSE;
    }
    struct capture *c = rcap_load(capture, error);
    if (c == NULL) {
        return FALSE;
    }
    guint self = rcap_unfold_self(c);
    GPtrArray *conns = rconn_find(c, o->as, error);
    if (conns == NULL) {
        rcap_free(c);
        return FALSE;
    }
    if (o->connection > conns->len) {
        g_set_error(error, TCPSIM_REPLAY_ERROR, TCPSIM_REPLAY_ERROR_OPTION,
                    "--connection %u: the capture has %u", o->connection, conns->len);
        g_ptr_array_free(conns, TRUE);
        rcap_free(c);
        return FALSE;
    }
    g_string_append_printf(report, "replay: %s (%s, %u TCP segments, %u other packets): %u "
                           "connection%s\n", capture, c->format, c->segs->len - self,
                           c->skipped, conns->len, conns->len == 1 ? "" : "s");
    if (self > 0) {
        g_string_append_printf(report, "  a connection to itself (%u segments): each is what "
                               "its socket sent and what it received; replayed as a "
                               "simultaneous open with a peer at port 0 that sends exactly "
                               "what the endpoint sent\n", self);
    }
    for (guint i = 0; i < conns->len; i++) {
        if (o->connection != 0 && o->connection != i + 1) {
            continue;
        }
        res->connections++;
        one(c, g_ptr_array_index(conns, i), i + 1, o, report, res);
    }
    g_string_append_printf(report, "replay: %u connection%s, %u with no divergence, %u "
                           "diverged, %u unsupported", res->connections,
                           res->connections == 1 ? "" : "s", res->replayed, res->diverged,
                           res->unsupported);
    if (res->spoofed > 0) {
        g_string_append_printf(report, ", %u not replayed (spoofed SYNs)", res->spoofed);
    }
    g_string_append_c(report, '\n');
    g_ptr_array_free(conns, TRUE);
    rcap_free(c);
    return TRUE;
}
