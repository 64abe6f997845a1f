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
    struct tcpsim_pkt_options po = {
        .compare = TCPSIM_PKT_CMP_ALL,
        .sets = (const char *const *)sets->pdata,
        .seed = 1,
        .trace_path = tmp,
        .tolerance_usecs = o->tolerance_usecs > 0 ? o->tolerance_usecs
                                                  : TCPSIM_REPLAY_TOLERANCE_USECS,
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

/* From a failure on the window ("expected: 75 vs actual: 79"): 1 when tcpsim offered
 * more than the capture (its application had read more), -1 when less, 0 unknown. */
static int
window_direction(const char *reason)
{
    const char *e = reason ? strstr(reason, "expected: ") : NULL;
    const char *a = reason ? strstr(reason, "actual: ") : NULL;
    unsigned long want, got;
    if (e == NULL || a == NULL || sscanf(e, "expected: %lu", &want) != 1 ||
        sscanf(a, "actual: %lu", &got) != 1 || want == got) {
        return 0;
    }
    return got > want ? 1 : -1;
}

/* Reads are not on the wire; the window shows them only roughly. When the first guess
 * diverges on a window, the read decision of the latest data before that segment is
 * turned the other way and the script tried again, as long as each try gets further
 * (at most RREAD_TRIES runs). A turn that diverges at the same segment is kept for the
 * moment and the decision before it turned too (a reader that took two segments late
 * shows in the window only once both are in: Linux's window can also grow with data
 * queued, tcp_grow_window()); turns that end no further are undone. The script that got
 * furthest is kept in `sc`. */
#define RREAD_TRIES 24
static unsigned
search_reads(const struct rcap *c, const struct rconn *k, const char *name,
             const char *personality, const struct tcpsim_replay_options *o,
             struct rscript *sc)
{
    GHashTable *flip = g_hash_table_new(NULL, NULL);
    GArray *tentative = g_array_new(FALSE, FALSE, sizeof(guint));
    rinfer_script(c, k, NULL, sc);
    unsigned flips = 0;
    struct tcpsim_pkt_result r = {0};
    if (!run_script(name, sc->text->str, personality, o, &r, NULL, NULL)) {
        g_hash_table_destroy(flip);
        g_array_free(tentative, TRUE);
        return 0;
    }
    guint at = failed_segment(sc, &r);
    bool window = r.reason && strstr(r.reason, "tcp_window") != NULL;
    int dir = window_direction(r.reason);
    tcpsim_pkt_result_clear(&r);
    for (int t = 0; t < RREAD_TRIES && at != G_MAXUINT && window; t++) {
        /* The latest arrival before the failing segment whose decision is not yet turned,
         * and turns the right way when the failure says which: a window larger than the
         * capture's means the application had read less (a read turned later), a smaller
         * one that it had read more. */
        guint pick = G_MAXUINT;
        for (guint i = sc->arrivals->len; i-- > 0;) {
            guint ci = g_array_index(sc->arrivals, guint, i);
            gboolean now = g_array_index(sc->read_now, gboolean, i);
            if (ci < at && !g_hash_table_contains(flip, GUINT_TO_POINTER(ci + 1)) &&
                (dir == 0 || (dir > 0) == (now != 0))) {
                pick = ci;
                break;
            }
        }
        if (pick == G_MAXUINT) {
            break;
        }
        g_hash_table_add(flip, GUINT_TO_POINTER(pick + 1));
        struct rscript next = {0};
        rinfer_script(c, k, flip, &next);
        struct tcpsim_pkt_result nr = {0};
        bool ran = run_script(name, next.text->str, personality, o, &nr, NULL, NULL);
        guint nat = failed_segment(&next, &nr);
        bool pass = ran && nr.status == TCPSIM_PKT_PASS;
        bool nwindow = nr.reason && strstr(nr.reason, "tcp_window") != NULL;
        int ndir = window_direction(nr.reason);
        tcpsim_pkt_result_clear(&nr);
        if (pass || (ran && nat != G_MAXUINT && nat > at)) {
            rscript_clear(sc);
            *sc = next;
            flips += tentative->len + 1;
            g_array_set_size(tentative, 0);
            at = pass ? G_MAXUINT : nat;
            window = nwindow;
            dir = ndir;
            continue;
        }
        rscript_clear(&next);
        if (ran && nat == at && nwindow) {
            g_array_append_val(tentative, pick); /* no further yet: turn one more */
            continue;
        }
        g_hash_table_remove(flip, GUINT_TO_POINTER(pick + 1));
        break;
    }
    g_hash_table_destroy(flip);
    g_array_free(tentative, TRUE);
    return flips;
}

static void
one(const struct rcap *c, const struct rconn *k, unsigned n,
    const struct tcpsim_replay_options *o, GString *report, struct tcpsim_replay_result *res)
{
    const char *personality = o->personality ? o->personality : "linux";
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
    if (o->show_script) {
        g_string_append_printf(report, "  script:\n%s", sc.text->str);
    }
    if (searched > 0) {
        g_string_append_printf(report, "  guessed: %u read%s placed by search: the first "
                               "guess diverged on the window, which shows when the "
                               "application read\n", searched, searched == 1 ? "" : "s");
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
            const struct rseg *rs = &g_array_index(c->segs, struct rseg, seg);
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
    struct rcap *c = rcap_load(capture, error);
    if (c == NULL) {
        return FALSE;
    }
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
                           "connection%s\n", capture, c->format, c->segs->len, c->skipped,
                           conns->len, conns->len == 1 ? "" : "s");
    for (guint i = 0; i < conns->len; i++) {
        if (o->connection != 0 && o->connection != i + 1) {
            continue;
        }
        res->connections++;
        one(c, g_ptr_array_index(conns, i), i + 1, o, report, res);
    }
    g_string_append_printf(report, "replay: %u connection%s, %u with no divergence, %u "
                           "diverged, %u unsupported\n", res->connections,
                           res->connections == 1 ? "" : "s", res->replayed, res->diverged,
                           res->unsupported);
    g_ptr_array_free(conns, TRUE);
    rcap_free(c);
    return TRUE;
}
