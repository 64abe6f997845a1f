/* SPDX-License-Identifier: MIT */
/*
 * seed_segs.c: a seed corpus for fuzz_seg, taken from real runs.
 *
 *   fuzz_seed_segs OUTDIR SCENARIO.scn...
 *
 * Runs each scenario (no trace) with a sink that encodes every segment sent, and writes
 * each distinct shape (flags, options in order, with or without payload) once, as
 * OUTDIR/seg-NNNN.bin: the packets the decoder meets in practice, for the fuzzer to
 * mutate.
 */
#include <glib.h>
#include <stdio.h>
#include <tcpsim/scenario.h>

#include "../../sim/scenario/ast.h"
#include "../../sim/world/world.h"

struct capture {
    const char *dir;
    GHashTable *seen; /* shape strings already written */
    guint written;
};

static char *
shape(const struct tcp_seg *seg)
{
    GString *s = g_string_new(NULL);
    g_string_append_printf(s, "%02x:%d:", seg->flags & 0xFF, seg->len > 0);
    for (unsigned i = 0; i < seg->opt.n; i++) {
        g_string_append_printf(s, "%u.", seg->opt.kind[i]);
    }
    g_string_append_printf(s, ":%u", seg->opt.nsack);
    return g_string_free(s, FALSE);
}

static void
capture_event(void *self, const struct trace_event *ev)
{
    struct capture *c = self;
    char *key = shape(ev->seg);
    if (g_hash_table_contains(c->seen, key)) {
        g_free(key);
        return;
    }
    g_hash_table_add(c->seen, key);
    uint8_t buf[IPV4_MAX_PACKET];
    size_t n = tcp_seg_encode(ev->seg, buf, sizeof buf);
    g_autofree char *path = g_strdup_printf("%s/seg-%04u.bin", c->dir, c->written++);
    GError *e = NULL;
    if (n == 0 || !g_file_set_contents(path, (const char *)buf, (gssize)n, &e)) {
        fprintf(stderr, "fuzz_seed_segs: %s\n", e ? e->message : "cannot encode");
        g_clear_error(&e);
    }
}

static void
capture_free(void *self)
{
    (void)self;
}

static const struct trace_sink_ops capture_ops = {
    .name = "capture", .event = capture_event, .free = capture_free};

int
main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: fuzz_seed_segs OUTDIR SCENARIO.scn...\n");
        return 2;
    }
    struct capture c = {.dir = argv[1], .seen = g_hash_table_new_full(g_str_hash, g_str_equal,
                                                                      g_free, NULL)};
    g_mkdir_with_parents(c.dir, 0755);
    for (int i = 2; i < argc; i++) {
        GError *e = NULL;
        struct tcpsim_scenario *scn = tcpsim_scenario_load(argv[i], &e);
        struct tcpsim_run_options o = {.no_trace = true};
        struct scn_run *run = scn ? scn_compile(scn, &o, &e) : NULL;
        if (run == NULL) {
            fprintf(stderr, "fuzz_seed_segs: %s\n", e->message);
            g_error_free(e);
            tcpsim_scenario_free(scn);
            continue;
        }
        struct tcpsim_sim *sim = scn_run_sim(run);
        trace_add_sink(&sim->trace, &capture_ops, &c, TRACE_MASK(TRACE_SEG_SENT));
        tcpsim_run(sim, INT64_MAX, 2000000);
        scn_run_free(run);
        tcpsim_scenario_free(scn);
    }
    printf("fuzz_seed_segs: %u segments written to %s\n", c.written, c.dir);
    g_hash_table_destroy(c.seen);
    return 0;
}
