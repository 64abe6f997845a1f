/* SPDX-License-Identifier: MIT */
/*
 * explore_search.c: the breadth-first search over paths (explore.h), the states seen,
 * the workers of --jobs, and the coverage table.
 *
 * Level by level: every path of the frontier is replayed, and each of its choices is
 * tried on a fresh replay of it; a child whose state was not seen at this depth or less
 * joins the next frontier. Breadth first, the first violation of each kind found has a
 * shortest path. With --jobs N, the parent searches the first levels until one holds at
 * least 256N paths, then forks N workers: worker i keeps the paths i, i + N, i + 2N ... of
 * that level and searches their subtrees; the workers share one table of states
 * (explore_seen.h). The parent adds up what they report through a pipe.
 */

#include "explore.h"
#include "explore_heap.h"
#include "explore_seen.h"

#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../tcp/tcp_why.h"

/* --- replay ------------------------------------------------------------------------- */

static struct xworld *
replay(const struct explore_opts *o, const uint8_t *path, int len, struct explore_result *r)
{
    struct xworld *w = xw_new(o, NULL);
    g_assert(w != NULL); /* the first build was checked */
    xw_replay(w, path, (guint)len);
    r->replayed += (uint64_t)len;
    return w;
}

/* How a node's children get their worlds. With the heap (explore_heap.h) the one world
 * lives in it: the prefix's end and each node are saved once and copied back for every
 * child. Without (a sanitizer build, --no-snapshots), each child is a fresh world
 * replayed from the prefix. */
struct worlds {
    const struct explore_opts *o;
    bool snap;
    struct xsnap prefix; /* the heap at the prefix's end */
    struct xsnap node;   /* the heap at the node being expanded */
    struct xworld *w;    /* the heap's world, or the replayed one */
};

/* Stops the search when the world touched memory outside the heap: a copy of the heap
 * would not be the world any more. */
static void
heap_left(void)
{
    xheap_leave();
    if (G_UNLIKELY(xheap_foreign() != 0)) {
        g_error("explore: a world freed or grew memory from outside its heap, which its "
                "snapshots cannot restore; run with --no-snapshots (and report this)");
    }
}

static void
worlds_init(struct worlds *ws, const struct explore_opts *o)
{
    memset(ws, 0, sizeof *ws);
    ws->o = o;
    if (o->no_snapshots || !xw_heap_begin()) {
        return;
    }
    xheap_reset();
    xheap_enter();
    ws->w = xw_new(o, NULL);
    heap_left();
    g_assert(ws->w != NULL); /* the first build was checked */
    xheap_save(&ws->prefix);
    ws->snap = true;
}

static void
worlds_clear(struct worlds *ws)
{
    if (ws->snap) {
        xheap_reset();
        xsnap_clear(&ws->prefix);
        xsnap_clear(&ws->node);
    } else {
        xw_free(ws->w);
    }
    ws->w = NULL;
}

/* The world at the end of `path`; its number of choices in `n`. */
static struct xworld *
worlds_node(struct worlds *ws, const uint8_t *path, int d, guint *n, struct explore_result *r)
{
    if (!ws->snap) {
        xw_free(ws->w);
        ws->w = replay(ws->o, path, d, r);
        *n = xw_nchoices(ws->w);
        return ws->w;
    }
    r->replayed += (uint64_t)d;
    xheap_restore(&ws->prefix);
    xheap_enter();
    xw_replay(ws->w, path, (guint)d);
    *n = xw_nchoices(ws->w);
    heap_left();
    if (*n > 1) {
        xheap_save(&ws->node);
    }
    return ws->w;
}

/* Applies choice i of the node to a world at it (`fresh`: the one worlds_node() just
 * made); with the world's hash, and its violation or NULL. */
static uint64_t
worlds_child(struct worlds *ws, const uint8_t *path, int d, guint i, bool fresh, int *row,
             int *col, const char **violation, struct explore_result *r)
{
    if (!ws->snap) {
        if (!fresh) {
            xw_free(ws->w);
            ws->w = replay(ws->o, path, d, r);
        }
        xw_apply(ws->w, i, row, col);
        *violation = xw_violation(ws->w);
        return xw_hash(ws->w);
    }
    if (!fresh) {
        xheap_restore(&ws->node);
    }
    xheap_enter();
    xw_apply(ws->w, i, row, col);
    *violation = xw_violation(ws->w);
    uint64_t h = xw_hash(ws->w);
    heap_left();
    return h;
}

/* The kind of a violation: its text without the numbers. */
static char *
violation_kind(const char *what)
{
    GString *s = g_string_new(NULL);
    const char *p = strstr(what, ": "); /* past "invariant broken at T s on host H" */
    p = g_str_has_prefix(what, "invariant broken at ") && p ? p : what;
    for (; *p; p++) {
        if (!g_ascii_isdigit(*p)) {
            g_string_append_c(s, *p);
        }
    }
    return g_string_free(s, FALSE);
}

static void
found_free(gpointer p)
{
    struct explore_found *f = p;
    g_free(f->what);
    if (f->path) {
        g_byte_array_unref(f->path);
    }
    g_free(f->file);
    g_free(f);
}

/* Keeps the violation unless one of its kind with a path as short is kept already. */
static void
found_add(GPtrArray *found, const char *what, const uint8_t *path, guint len)
{
    g_autofree char *kind = violation_kind(what);
    for (guint i = 0; i < found->len; i++) {
        struct explore_found *f = g_ptr_array_index(found, i);
        g_autofree char *k = violation_kind(f->what);
        if (strcmp(k, kind) == 0) {
            if (f->path->len <= len) {
                return;
            }
            g_free(f->what);
            f->what = g_strdup(what);
            g_byte_array_set_size(f->path, 0);
            g_byte_array_append(f->path, path, len);
            return;
        }
    }
    struct explore_found *f = g_new0(struct explore_found, 1);
    f->what = g_strdup(what);
    f->path = g_byte_array_new();
    g_byte_array_append(f->path, path, len);
    g_ptr_array_add(found, f);
}

/* --- the levels ------------------------------------------------------------------- */

/* The paths of one level, back to back, each `d` choices long. */
struct level {
    GByteArray *paths;
    uint64_t n;
    int d;
};

const char *
explore_stop_text(uint8_t stopped)
{
    static const char *const text[8] = {
        "",
        "--max-states",
        "a full table of states (--table)",
        "--max-states; a full table of states (--table)",
        "--max-time",
        "--max-states; --max-time",
        "a full table of states (--table); --max-time",
        "--max-states; a full table of states (--table); --max-time",
    };
    return text[stopped & 7];
}

/* Searches level by level from `lv` until --depth, a limit, or (split > 0) a level of
 * at least `split` paths, which is left in `lv` for the workers to share. */
static void
levels(const struct explore_opts *o, struct seen *seen, struct level *lv, uint64_t split,
       gint64 start, struct explore_result *r)
{
    uint8_t *path = g_new0(uint8_t, (gsize)o->depth + 1);
    struct worlds ws;
    worlds_init(&ws, o);
    gint64 said = g_get_monotonic_time();
    while (lv->d < o->depth && lv->n > 0 && !r->stopped && !(split && lv->n >= split)) {
        int d = lv->d;
        GByteArray *next = g_byte_array_new();
        uint64_t nnext = 0;
        for (uint64_t p = 0; p < lv->n && !r->stopped; p++) {
            if (d > 0) {
                memcpy(path, lv->paths->data + p * (guint)d, (size_t)d);
            }
            guint n = 0;
            worlds_node(&ws, path, d, &n, r);
            for (guint i = 0; i < n; i++) {
                int row = 0;
                int col = 0;
                const char *v = NULL;
                uint64_t h = worlds_child(&ws, path, d, i, i == 0, &row, &col, &v, r);
                r->transitions++;
                r->replayed++;
                if (row >= 0 && row < XROWS && col >= 0 && col < XC_N) {
                    r->cov[row][col]++;
                }
                path[d] = (uint8_t)i;
                if (v != NULL) {
                    found_add(r->found, v, path, (guint)d + 1);
                } else if (seen_visit(seen, h, d + 1)) {
                    r->states++;
                    if (d + 1 < o->depth) {
                        g_byte_array_append(next, path, (guint)d + 1);
                        nnext++;
                    }
                }
            }
            if (o->max_states && r->states >= o->max_states) {
                r->stopped |= EXPLORE_STOP_STATES;
            }
            if (seen_full(seen)) {
                r->stopped |= EXPLORE_STOP_TABLE;
            }
            if (o->max_seconds > 0 &&
                (double)(g_get_monotonic_time() - start) / 1e6 > o->max_seconds) {
                r->stopped |= EXPLORE_STOP_TIME;
            }
            if (o->verbose && (p & 0xFFFF) == 0xFFFF) {
                /* A deep level runs for an hour: say how far it is, once a minute. */
                gint64 now = g_get_monotonic_time();
                if (now - said >= G_USEC_PER_SEC * 60) {
                    said = now;
                    fprintf(stderr,
                            "explore: depth %d under way: %" G_GUINT64_FORMAT " of %"
                            G_GUINT64_FORMAT " paths expanded, %" G_GUINT64_FORMAT
                            " states, %" G_GUINT64_FORMAT " transitions, %.1f s\n",
                            d + 1, p + 1, lv->n, r->states, r->transitions,
                            (double)(now - start) / 1e6);
                }
            }
        }
        if (!r->stopped) {
            lv->d = d + 1;
            r->depth_done = d + 1;
        }
        if (o->verbose) {
            fprintf(stderr,
                    "explore: depth %d%s%s: %" G_GUINT64_FORMAT " states, %" G_GUINT64_FORMAT
                    " transitions, %.1f s\n",
                    d + 1, r->stopped ? " stopped by " : "", explore_stop_text(r->stopped),
                    r->states, r->transitions, (double)(g_get_monotonic_time() - start) / 1e6);
        }
        g_byte_array_unref(lv->paths);
        lv->paths = next;
        lv->n = nnext;
    }
    if (!r->stopped && lv->n == 0 && r->depth_done < o->depth) {
        r->depth_done = o->depth; /* nothing left to expand: every path ended early */
    }
    worlds_clear(&ws);
    g_free(path);
}

/* The first level: the prefix's state, met at depth 0. */
static void
level_root(const struct explore_opts *o, struct seen *seen, struct level *lv,
           struct explore_result *r)
{
    struct xworld *w = replay(o, NULL, 0, r);
    seen_visit(seen, xw_hash(w), 0);
    xw_free(w);
    r->states = 1;
    r->depth_done = 0;
    lv->paths = g_byte_array_new();
    lv->n = 1;
    lv->d = 0;
}

/* --- workers ---------------------------------------------------------------------- */

static void
put(GByteArray *b, const void *p, size_t n)
{
    g_byte_array_append(b, p, (guint)n);
}

static GByteArray *
serialize(const struct explore_result *r)
{
    GByteArray *b = g_byte_array_new();
    put(b, &r->states, sizeof r->states);
    put(b, &r->transitions, sizeof r->transitions);
    put(b, &r->replayed, sizeof r->replayed);
    put(b, &r->depth_done, sizeof r->depth_done);
    uint8_t stopped = r->stopped;
    put(b, &stopped, 1);
    put(b, r->cov, sizeof r->cov);
    uint32_t n = r->found->len;
    put(b, &n, sizeof n);
    for (guint i = 0; i < r->found->len; i++) {
        const struct explore_found *f = g_ptr_array_index(r->found, i);
        uint32_t wl = (uint32_t)strlen(f->what);
        uint32_t pl = f->path->len;
        put(b, &wl, sizeof wl);
        put(b, f->what, wl);
        put(b, &pl, sizeof pl);
        put(b, f->path->data, pl);
    }
    return b;
}

static bool
take(const uint8_t **p, const uint8_t *end, void *out, size_t n)
{
    if ((size_t)(end - *p) < n) {
        return false;
    }
    memcpy(out, *p, n);
    *p += n;
    return true;
}

/* Adds a worker's report to `r`; false when it is cut short. */
static bool
merge(struct explore_result *r, const GByteArray *b, bool first)
{
    const uint8_t *p = b->data;
    const uint8_t *end = b->data + b->len;
    struct explore_result w = {0};
    uint8_t stopped = 0;
    uint32_t n = 0;
    if (!take(&p, end, &w.states, sizeof w.states) ||
        !take(&p, end, &w.transitions, sizeof w.transitions) ||
        !take(&p, end, &w.replayed, sizeof w.replayed) ||
        !take(&p, end, &w.depth_done, sizeof w.depth_done) || !take(&p, end, &stopped, 1) ||
        !take(&p, end, w.cov, sizeof w.cov) || !take(&p, end, &n, sizeof n)) {
        return false;
    }
    r->states += w.states;
    r->transitions += w.transitions;
    r->replayed += w.replayed;
    r->depth_done = first || w.depth_done < r->depth_done ? w.depth_done : r->depth_done;
    r->stopped |= stopped;
    for (int i = 0; i < XROWS; i++) {
        for (int j = 0; j < XC_N; j++) {
            r->cov[i][j] += w.cov[i][j];
        }
    }
    for (uint32_t i = 0; i < n; i++) {
        uint32_t wl = 0;
        uint32_t pl = 0;
        if (!take(&p, end, &wl, sizeof wl) || (size_t)(end - p) < wl) {
            return false;
        }
        g_autofree char *what = g_strndup((const char *)p, wl);
        p += wl;
        if (!take(&p, end, &pl, sizeof pl) || (size_t)(end - p) < pl) {
            return false;
        }
        found_add(r->found, what, p, pl);
        p += pl;
    }
    return true;
}

static bool
write_all(int fd, const uint8_t *p, size_t n)
{
    while (n > 0) {
        ssize_t k = write(fd, p, n);
        if (k < 0 && errno == EINTR) {
            continue;
        }
        if (k <= 0) {
            return false;
        }
        p += k;
        n -= (size_t)k;
    }
    return true;
}

/* The level the workers share out holds at least this many paths per worker: subtrees
 * differ widely in size, and dealt round-robin from a few dozen paths, one of two workers
 * had twice the other's work (handshake, depth 9: 49 s against 26 s with 256 a worker). */
#define SPLIT_PER_JOB 256u

/* With --jobs N: the first levels here, until one holds at least 256N paths; then N
 * forked workers, worker j taking the paths j, j + N, j + 2N ... of it, with one table
 * of states shared between them. */
static gboolean
run_workers(const struct explore_opts *o, struct explore_result *r, GError **error)
{
    int jobs = o->jobs;
    gint64 start = g_get_monotonic_time();
    struct seen seen;
    seen_init(&seen);
    if (o->table_bits) {
        seen_limit(&seen, o->table_bits);
    }
    struct level lv;
    level_root(o, &seen, &lv, r);
    levels(o, &seen, &lv, SPLIT_PER_JOB * (uint64_t)jobs, start, r);
    if (r->stopped || lv.n == 0 || lv.d >= o->depth) { /* done before there was work to share */
        seen_free(&seen);
        g_byte_array_unref(lv.paths);
        return TRUE;
    }
    struct seen shared;
    size_t bits = o->table_bits ? o->table_bits : SEEN_SHARED_BITS;
    if (!seen_init_shared(&shared, bits)) {
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno),
                    "mapping the table of states: %s", g_strerror(errno));
        seen_free(&seen);
        g_byte_array_unref(lv.paths);
        return FALSE;
    }
    if (!seen_copy(&shared, &seen)) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_NOSPC,
                    "the table of states (--table, %zu states) is full with the %zu states "
                    "met before the split between the workers: give it more",
                    ((size_t)1 << bits) / 4 * 3, seen.len);
        seen_free(&shared);
        seen_free(&seen);
        g_byte_array_unref(lv.paths);
        return FALSE;
    }
    seen_free(&seen);
    pid_t *pids = g_new0(pid_t, (gsize)jobs);
    int *fds = g_new0(int, (gsize)jobs);
    fflush(NULL);
    gboolean ok = TRUE;
    int started = 0;
    for (int j = 0; j < jobs; j++) {
        int pfd[2];
        if (pipe(pfd) != 0) {
            g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno), "pipe: %s",
                        g_strerror(errno));
            ok = FALSE;
            break;
        }
        pid_t pid = fork();
        if (pid < 0) {
            g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno), "fork: %s",
                        g_strerror(errno));
            close(pfd[0]);
            close(pfd[1]);
            ok = FALSE;
            break;
        }
        if (pid == 0) {
            close(pfd[0]);
            struct explore_result w = {.found = g_ptr_array_new_with_free_func(found_free),
                                       .depth_done = lv.d};
            struct level mine = {.paths = g_byte_array_new(), .d = lv.d};
            for (uint64_t p = (uint64_t)j; p < lv.n; p += (uint64_t)jobs) {
                g_byte_array_append(mine.paths, lv.paths->data + p * (guint)lv.d, (guint)lv.d);
                mine.n++;
            }
            levels(o, &shared, &mine, 0, start, &w);
            GByteArray *b = serialize(&w);
            bool wrote = write_all(pfd[1], b->data, b->len);
            _exit(wrote ? 0 : 3);
        }
        close(pfd[1]);
        pids[j] = pid;
        fds[j] = pfd[0];
        started++;
    }
    /* What the workers found adds to what was found here before they split. */
    struct explore_result sum = {.found = r->found};
    for (int j = 0; j < started; j++) {
        GByteArray *b = g_byte_array_new();
        uint8_t buf[65536];
        for (;;) {
            ssize_t k = read(fds[j], buf, sizeof buf);
            if (k < 0 && errno == EINTR) {
                continue;
            }
            if (k <= 0) {
                break;
            }
            g_byte_array_append(b, buf, (guint)k);
        }
        close(fds[j]);
        int status = 0;
        while (waitpid(pids[j], &status, 0) < 0 && errno == EINTR) {
        }
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !merge(&sum, b, j == 0)) {
            if (ok) {
                g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                            "worker %d died (%s %d): run with --jobs 1 to see why", j,
                            WIFSIGNALED(status) ? "signal" : "status",
                            WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
            }
            ok = FALSE;
        }
        g_byte_array_unref(b);
    }
    r->states += sum.states;
    r->transitions += sum.transitions;
    r->replayed += sum.replayed;
    r->depth_done = sum.depth_done;
    r->stopped |= sum.stopped;
    for (int i = 0; i < XROWS; i++) {
        for (int c = 0; c < XC_N; c++) {
            r->cov[i][c] += sum.cov[i][c];
        }
    }
    seen_free(&shared);
    g_byte_array_unref(lv.paths);
    g_free(pids);
    g_free(fds);
    return ok;
}

static gint
by_path_len(gconstpointer a, gconstpointer b)
{
    const struct explore_found *x = *(struct explore_found *const *)a;
    const struct explore_found *y = *(struct explore_found *const *)b;
    if (x->path->len != y->path->len) {
        return x->path->len < y->path->len ? -1 : 1;
    }
    return strcmp(x->what, y->what);
}

gboolean
explore_run(const struct explore_opts *o, struct explore_result *r, GError **error)
{
    memset(r, 0, sizeof *r);
    r->found = g_ptr_array_new_with_free_func(found_free);
    gint64 start = g_get_monotonic_time();
    /* Every replay builds a world whose event ring takes a megabyte of zeroed memory:
     * mapped fresh it costs nothing until touched, while from the heap (where glibc's
     * sliding threshold puts it after the first free) calloc() clears all of it. */
    mallopt(M_MMAP_THRESHOLD, 256 * 1024);
    /* The prefix once, to report what is wrong with it. */
    struct xworld *w = xw_new(o, error);
    if (w == NULL) {
        xw_done();
        return FALSE;
    }
    xw_free(w);
    if (!o->no_snapshots && !xw_heap_begin() && o->verbose) {
        fprintf(stderr, "explore: no snapshots in this build (a sanitizer's own malloc, or "
                        "glib's slices not from malloc): each child is replayed from the "
                        "prefix\n");
    }
    gboolean ok = TRUE;
    if (o->jobs <= 1) {
        struct seen seen;
        seen_init(&seen);
        if (o->table_bits) {
            seen_limit(&seen, o->table_bits);
        }
        struct level lv;
        level_root(o, &seen, &lv, r);
        levels(o, &seen, &lv, 0, start, r);
        g_byte_array_unref(lv.paths);
        seen_free(&seen);
    } else {
        ok = run_workers(o, r, error);
    }
    xw_done();
    g_ptr_array_sort(r->found, by_path_len);
    r->seconds = (double)(g_get_monotonic_time() - start) / 1e6;
    return ok;
}

void
explore_result_clear(struct explore_result *r)
{
    if (r->found) {
        g_ptr_array_free(r->found, TRUE);
        r->found = NULL;
    }
}

/* --- the coverage table ---------------------------------------------------------------- */

static const char *const col_names[XC_N] = {
    "SYN", "SYN-ACK", "ACK", "ACK+data", "FIN", "FIN-ACK", "RST", "RST-ACK", "SYN-FIN",
    "no-flags", "connect", "send", "recv", "shutdown", "close", "abort", "t:rto", "t:persist",
    "t:keepalive", "t:delack", "t:2msl", "t:other"};

const char *
explore_col_name(enum xcol c)
{
    return c < XC_N ? col_names[c] : "?";
}

const char *
explore_cell_section(int state, enum xcol c)
{
    if (c <= XC_NOFLAGS) {
        switch (state) {
        case TCP_CLOSED:
            return "3.10.7.1";
        case TCP_LISTEN:
            return "3.10.7.2";
        case TCP_SYN_SENT:
            return "3.10.7.3";
        default:
            return "3.10.7.4";
        }
    }
    static const char *const calls[] = {"3.10.1", "3.10.2", "3.10.3", "3.10.4", "3.10.4",
                                        "3.10.5"};
    return c >= XC_CONNECT && c <= XC_ABORT ? calls[c - XC_CONNECT] : "3.10.8";
}

char *
explore_coverage_text(const struct explore_result *r)
{
    GString *s = g_string_new(NULL);
    static const char *const rows[XROWS] = {
        "CLOSED", "LISTEN", "SYN_SENT", "SYN_RECEIVED", "ESTABLISHED", "FIN_WAIT_1",
        "FIN_WAIT_2", "CLOSE_WAIT", "CLOSING", "LAST_ACK", "TIME_WAIT"};
    g_string_append(s, "transitions explored per TCP state (of the connection the event "
                       "meets) and event\n");
    g_string_append_printf(s, "%-13s", "");
    for (int c = 0; c < XC_N; c++) {
        g_string_append_printf(s, " %9s", col_names[c]);
    }
    g_string_append_c(s, '\n');
    unsigned cells = 0;
    for (int i = 0; i < XROWS; i++) {
        g_string_append_printf(s, "%-13s", rows[i]);
        for (int c = 0; c < XC_N; c++) {
            if (r->cov[i][c]) {
                cells++;
                g_string_append_printf(s, " %9" G_GUINT64_FORMAT, r->cov[i][c]);
            } else {
                g_string_append_printf(s, " %9s", ".");
            }
        }
        g_string_append_c(s, '\n');
    }
    g_string_append_printf(s, "cells reached: %u of %d\n", cells, XROWS * XC_N);
    g_string_append(s, "segment columns: RFC 9293 §3.10.7.1 (CLOSED), §3.10.7.2 (LISTEN), "
                       "§3.10.7.3 (SYN_SENT), §3.10.7.4 (the others);\n"
                       "calls: §3.10.1 connect, §3.10.2 send, §3.10.3 recv, §3.10.4 "
                       "shutdown and close, §3.10.5 abort; timers: §3.10.8\n");
    return g_string_free(s, FALSE);
}
