/* SPDX-License-Identifier: MIT */
/*
 * run.c: loading and running a scenario (the public face of sim/scenario).
 *
 * Entry points: tcpsim_scenario_load(), tcpsim_scenario_parse(), tcpsim_scenario_run().
 * A file is read whole (after its size is checked), parsed and checked before anything
 * is simulated; a run that hits its event limit reports it and writes no trace file.
 */
#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <tcpsim/units.h>

#include "ast.h"
#include "tcpsim-config.h"

struct tcpsim_scenario *
tcpsim_scenario_parse(const char *name, const char *text, size_t len, GError **error)
{
    struct tcpsim_scenario *scn = scn_parse(name, text, len, error);
    if (scn != NULL && !scn_check(scn, error)) {
        tcpsim_scenario_free(scn);
        return NULL;
    }
    return scn;
}

struct tcpsim_scenario *
tcpsim_scenario_load(const char *path, GError **error)
{
    GStatBuf st;
    if (g_stat(path, &st) != 0) {
        int e = errno;
        g_set_error(error, TCPSIM_SCENARIO_ERROR, TCPSIM_SCENARIO_ERROR_IO, "%s: %s", path,
                    g_strerror(e));
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        g_set_error(error, TCPSIM_SCENARIO_ERROR, TCPSIM_SCENARIO_ERROR_IO,
                    "%s: not a regular file", path);
        return NULL;
    }
    if ((guint64)st.st_size > SCN_MAX_FILE_BYTES) {
        g_set_error(error, TCPSIM_SCENARIO_ERROR, TCPSIM_SCENARIO_ERROR_SYNTAX,
                    "%s:1:1: error: file of %" G_GUINT64_FORMAT
                    " bytes is larger than the %u-byte limit",
                    path, (guint64)st.st_size, SCN_MAX_FILE_BYTES);
        return NULL;
    }
    g_autofree char *text = NULL;
    gsize len = 0;
    GError *e = NULL;
    if (!g_file_get_contents(path, &text, &len, &e)) {
        g_set_error(error, TCPSIM_SCENARIO_ERROR, TCPSIM_SCENARIO_ERROR_IO, "%s", e->message);
        g_error_free(e);
        return NULL;
    }
    return tcpsim_scenario_parse(path, text, len, error);
}

void
tcpsim_scenario_free(struct tcpsim_scenario *scn)
{
    if (scn == NULL) {
        return;
    }
    g_free(scn->file);
    g_free(scn->title);
    for (int i = 0; i < scn->nhosts; i++) {
        g_free(scn->host_names[i]);
    }
    g_ptr_array_free(scn->setup, TRUE);
    g_ptr_array_free(scn->timeline, TRUE);
    g_free(scn);
}

const char *
tcpsim_scenario_title(const struct tcpsim_scenario *scn)
{
    return scn->title;
}

void
tcpsim_run_result_clear(struct tcpsim_run_result *result)
{
    if (result->failures) {
        g_ptr_array_free(result->failures, TRUE);
    }
    g_free(result->summary);
    g_free(result->counters);
    *result = (struct tcpsim_run_result){0};
}

/* Every host's non-zero counters as nstat prints them (name, value, rate; the rate is
 * always 0.0: a run has no interval), a "#kernel HOST ADDR" line before each host's. */
static char *
counters_text(const struct tcpsim_sim *sim)
{
    GString *s = g_string_new(NULL);
    for (int h = 0; h < (int)tcpsim_host_count(sim); h++) {
        struct tcpsim_addr a = tcpsim_host_addr(sim, h);
        char ip[TCPSIM_ADDR_STRLEN];
        g_string_append_printf(s, "#kernel %s %s\n", tcpsim_host_name(sim, h),
                               tcpsim_addr_format(&a, ip));
        const char *name;
        for (guint i = 0; (name = tcpsim_counter_name(i)) != NULL; i++) {
            uint64_t v = 0;
            if (tcpsim_host_counter(sim, h, name, &v) && v != 0) {
                g_string_append_printf(s, "%-32s%-16" G_GUINT64_FORMAT "%6.1f\n", name, v, 0.0);
            }
        }
    }
    return g_string_free(s, FALSE);
}

gboolean
tcpsim_scenario_run(const struct tcpsim_scenario *scn, const struct tcpsim_run_options *opts,
                    struct tcpsim_run_result *result, GError **error)
{
    *result = (struct tcpsim_run_result){0};
    uint64_t max_output = opts->max_output ? opts->max_output : TCPSIM_DEFAULT_MAX_OUTPUT;
    struct scn_run *run = scn_compile(scn, opts, error);
    if (run == NULL) {
        return FALSE;
    }
    struct tcpsim_sim *sim = scn_run_sim(run);
    tcpsim_set_output_limit(sim, max_output == UINT64_MAX ? 0 : max_output);
    int64_t max_wall = opts->max_wall ? opts->max_wall : TCPSIM_DEFAULT_MAX_WALL;
    tcpsim_set_wall_limit(sim, max_wall < 0 ? 0 : max_wall);
    uint64_t max = opts->max_events ? opts->max_events : TCPSIM_DEFAULT_MAX_EVENTS;
    uint64_t mem = opts->max_memory ? opts->max_memory : TCPSIM_DEFAULT_MAX_MEMORY;
    tcpsim_set_memory_limit(sim, mem == UINT64_MAX ? 0 : mem);
    int64_t until = scn->end_quiet ? INT64_MAX : scn->end_time;
    if (opts->max_time > 0 && opts->max_time < until) {
        until = opts->max_time;
    }
    enum tcpsim_run_status st = tcpsim_run(sim, until, max);
    if (st == TCPSIM_RUN_EVENT_LIMIT) {
        g_autofree char *t = tcpsim_format_time(tcpsim_now(sim));
        g_set_error(error, TCPSIM_SCENARIO_ERROR, TCPSIM_SCENARIO_ERROR_LIMIT,
                    "%s: the run did not end after %" G_GUINT64_FORMAT
                    " events (simulated time %s); a connection may keep timers running "
                    "forever: add \"end TIME\" to the scenario, or raise --max-events",
                    scn->file, max, t);
        scn_run_free(run);
        return FALSE;
    }
    if (st == TCPSIM_RUN_WALL_LIMIT) {
        g_autofree char *t = tcpsim_format_time(tcpsim_now(sim));
        g_autofree char *w = tcpsim_format_time(max_wall * 1000);
        g_set_error(error, TCPSIM_SCENARIO_ERROR, TCPSIM_SCENARIO_ERROR_LIMIT,
                    "%s: the run took longer than %s of wall-clock time (--max-time), at "
                    "simulated time %s, after %" G_GUINT64_FORMAT " events; a connection may "
                    "keep timers running forever: add \"end TIME\" to the scenario, or raise "
                    "--max-time",
                    scn->file, w, t, tcpsim_events_run(sim));
        scn_run_free(run);
        return FALSE;
    }
    if (st == TCPSIM_RUN_OUTPUT_LIMIT) {
        g_autofree char *t = tcpsim_format_time(tcpsim_now(sim));
        g_set_error(error, TCPSIM_SCENARIO_ERROR, TCPSIM_SCENARIO_ERROR_LIMIT,
                    "%s: the outputs passed the limit of %" G_GUINT64_FORMAT
                    " bytes (--max-output) at simulated time %s, after %" G_GUINT64_FORMAT
                    " events; bound the run (\"end TIME\", --no-trace) or raise --max-output",
                    scn->file, max_output, t, tcpsim_events_run(sim));
        scn_run_free(run);
        return FALSE;
    }
    if (st == TCPSIM_RUN_END_OF_TIME) {
        g_autofree char *t = tcpsim_format_time(tcpsim_now(sim));
        g_set_error(error, TCPSIM_SCENARIO_ERROR, TCPSIM_SCENARIO_ERROR_LIMIT,
                    "%s: at simulated time %s the next event lies beyond the end of simulated "
                    "time (2^62 ns, 146 years): shorten the link's delay, jitter or "
                    "reordering delay, or add \"end TIME\" to the scenario",
                    scn->file, t);
        scn_run_free(run);
        return FALSE;
    }
    if (st == TCPSIM_RUN_MEMORY_LIMIT) {
        g_autofree char *t = tcpsim_format_time(tcpsim_now(sim));
        g_set_error(error, TCPSIM_SCENARIO_ERROR, TCPSIM_SCENARIO_ERROR_LIMIT,
                    "%s: the simulation's memory passed the limit of %" G_GUINT64_FORMAT
                    " bytes (--max-memory) at simulated time %s, after %" G_GUINT64_FORMAT
                    " events: %" G_GUINT64_FORMAT " bytes in connections, link slots, "
                    "buffered text and pending events; bound the scenario (queues, backlogs, "
                    "connections) or raise --max-memory",
                    scn->file, mem, t, tcpsim_events_run(sim), tcpsim_memory_used(sim, false));
        scn_run_free(run);
        return FALSE;
    }
    if (!tcpsim_trace_end(sim, error)) {
        scn_run_free(run);
        return FALSE;
    }
    result->expects = scn_run_expects(run);
    result->failures = g_ptr_array_new_with_free_func(g_free);
    GPtrArray *f = scn_run_failures(run);
    for (guint i = 0; i < f->len; i++) {
        g_ptr_array_add(result->failures, g_strdup(g_ptr_array_index(f, i)));
    }
    result->failed = result->failures->len;
    if (opts->summary) {
        struct tcpsim_summary_info info = {
            .version = TCPSIM_VERSION,
            .scenario = opts->trace_name ? opts->trace_name : scn->file,
            .title = scn->title,
            .sets = opts->sets,
            .params = opts->params,
            .status = result->failed ? "failed" : "ok",
        };
        result->summary = tcpsim_summary_json(sim, &info);
        tcpsim_summary_totals(sim, &result->totals);
    }
    if (opts->counters) {
        result->counters = counters_text(sim);
    }
    result->events = tcpsim_events_run(sim);
    result->seed = tcpsim_sim_seed(sim);
    result->end_time = tcpsim_now(sim);
    result->peak_memory = tcpsim_memory_used(sim, true);
    for (int i = 0; i < (int)tcpsim_host_count(sim); i++) {
        result->peak_tcbs += tcpsim_host_tcbs(sim, i, true);
        for (int j = 0; j < (int)tcpsim_host_count(sim); j++) {
            result->segments += tcpsim_link_sent(sim, i, j, NULL);
        }
    }
    scn_run_free(run);
    return TRUE;
}
