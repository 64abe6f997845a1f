/* SPDX-License-Identifier: MIT */
/*
 * sim.c: the simulation: hosts, links, the clock, and the trace sinks.
 *
 * Entry points: the world half of include/tcpsim/sim.h. A simulation owns one event
 * queue; everything that happens is an event on it, so tcpsim_run() is the whole main
 * loop.
 */
#include <string.h>
#include <tcpsim/units.h>

#include "../trace/outfile.h"
#include "../trace/sink_jsonl.h"
#include "../trace/sink_pcap.h"
#include "../trace/sink_text.h"
#include "../view/view.h"
#include "tcpsim-config.h"
#include "app.h"
#include "world.h"

G_DEFINE_QUARK(tcpsim-error-quark, tcpsim_error)

struct sim_timer {
    struct ev ev;
    struct tcpsim_sim *sim;
    tcpsim_fn fn;
    void *arg;
};

struct tcpsim_sim *
tcpsim_sim_new(uint64_t seed)
{
    struct tcpsim_sim *sim = g_new0(struct tcpsim_sim, 1);
    ev_queue_init(&sim->q);
    trace_init(&sim->trace);
    sim->seed = seed;
    sim->socks = g_ptr_array_new_with_free_func(app_sock_free);
    pool_init(&sim->sock_pool, sizeof(struct tcpsim_sock));
    sim->patterns = g_ptr_array_new_with_free_func(pattern_free);
    sim->timers = g_ptr_array_new_with_free_func(g_free);
    sim->floods = g_ptr_array_new_with_free_func(flood_free);
    return sim;
}

void
tcpsim_sim_free(struct tcpsim_sim *sim)
{
    if (sim == NULL) {
        return;
    }
    /* The queue first: it forgets every pending event while their owners still exist. */
    ev_queue_destroy(&sim->q);
    g_ptr_array_free(sim->patterns, TRUE);
    g_ptr_array_free(sim->socks, TRUE);
    /* Sockets patterns still own: free them (order does not matter; nothing is traced). */
    while (sim->owned_socks != NULL) {
        app_sock_free(sim->owned_socks);
    }
    app_ops_free_all(sim);
    pool_destroy(&sim->sock_pool);
    for (int i = 0; i < sim->nhosts; i++) {
        for (int j = 0; j < sim->nhosts; j++) {
            if (sim->links[i][j] != NULL) {
                link_dir_destroy(sim->links[i][j]);
                g_free(sim->links[i][j]);
            }
        }
    }
    for (int i = 0; i < sim->nhosts; i++) {
        g_free(sim->links[i]);
    }
    for (int i = 0; i < sim->nhosts; i++) {
        host_free(sim->hosts[i]);
    }
    mem_charge(&sim->q.mem, -(int64_t)(sim->timers->len * sizeof(struct sim_timer) +
                                       sim->sink_bytes));
    g_ptr_array_free(sim->timers, TRUE);
    g_ptr_array_free(sim->floods, TRUE);
    trace_destroy(&sim->trace);
    world_summary_free(sim->summary);
    g_free(sim->trace_ip_version);
    g_strfreev(sim->trace_sets);
    g_strfreev(sim->trace_params);
#if TCPSIM_INVARIANTS
    /* Everything charged to the memory meter was credited back as it was freed. */
    if (G_UNLIKELY(sim->q.mem.used != 0)) {
        tcp_inv_fail(sim->q.now, NULL,
                     g_strdup_printf("memory meter unbalanced at teardown: %" G_GINT64_FORMAT
                                     " bytes still counted",
                                     (gint64)sim->q.mem.used));
    }
#endif
    g_free(sim->trace_scenario);
    g_free(sim->trace_title);
    g_free(sim);
}

uint64_t
tcpsim_sim_seed(const struct tcpsim_sim *sim)
{
    return sim->seed;
}

/* --- hosts -------------------------------------------------------------------------- */

static bool
addr_usable(const struct tcpsim_sim *sim, const char *name, struct tcpsim_addr addr,
            GError **error)
{
    static const uint8_t zero[16] = {0};
    bool unusable = ip_is_none(&addr) || memcmp(addr.b, zero, sizeof zero) == 0;
    if (unusable || tcpsim_host_by_addr(sim, addr) >= 0) {
        char ip[TCPSIM_ADDR_STRLEN];
        ip_format(&addr, ip, sizeof ip);
        g_set_error(error, TCPSIM_ERROR, 0, "host %s: address %s is %s", name, ip,
                    unusable ? "not usable" : "taken by another host");
        return false;
    }
    return true;
}

int
tcpsim_host_add(struct tcpsim_sim *sim, const char *name, struct tcpsim_addr addr,
                GError **error)
{
    if (sim->nhosts == WORLD_MAX_HOSTS) {
        g_set_error(error, TCPSIM_ERROR, 0, "too many hosts (at most %d)", WORLD_MAX_HOSTS);
        return -1;
    }
    if (tcpsim_host_find(sim, name) >= 0) {
        g_set_error(error, TCPSIM_ERROR, 0, "host %s is defined twice", name);
        return -1;
    }
    if (!addr_usable(sim, name, addr, error)) {
        return -1;
    }
    int idx = sim->nhosts++;
    sim->links[idx] = g_new0(struct link_dir *, WORLD_MAX_HOSTS);
    struct host *h = host_new(sim, idx, name, addr);
    sim->hosts[idx] = h;
    for (int other = 0; other < idx; other++) {
        struct host *o = sim->hosts[other];
        sim->links[idx][other] = g_new0(struct link_dir, 1);
        link_dir_init(sim->links[idx][other], &sim->q, &sim->trace, h->name, o->name, o,
                      host_receive, sim->seed);
        sim->links[other][idx] = g_new0(struct link_dir, 1);
        link_dir_init(sim->links[other][idx], &sim->q, &sim->trace, o->name, h->name, h,
                      host_receive, sim->seed);
    }
    return idx;
}

int
tcpsim_host_find(const struct tcpsim_sim *sim, const char *name)
{
    for (int i = 0; i < sim->nhosts; i++) {
        if (strcmp(sim->hosts[i]->name, name) == 0) {
            return i;
        }
    }
    return -1;
}

int
tcpsim_host_by_addr(const struct tcpsim_sim *sim, struct tcpsim_addr addr)
{
    for (int i = 0; i < sim->nhosts; i++) {
        if (host_owns(sim->hosts[i], addr)) {
            return i;
        }
    }
    return -1;
}

guint
tcpsim_host_count(const struct tcpsim_sim *sim)
{
    return (guint)sim->nhosts;
}

const char *
tcpsim_host_name(const struct tcpsim_sim *sim, int host)
{
    g_return_val_if_fail(host >= 0 && host < sim->nhosts, NULL);
    return sim->hosts[host]->name;
}

struct tcpsim_addr
tcpsim_host_addr(const struct tcpsim_sim *sim, int host)
{
    g_return_val_if_fail(host >= 0 && host < sim->nhosts, ip_none());
    return sim->hosts[host]->addr;
}

struct tcpsim_addr
tcpsim_host_addr_of(const struct tcpsim_sim *sim, int host, enum tcpsim_family family)
{
    g_return_val_if_fail(host >= 0 && host < sim->nhosts, ip_none());
    struct tcpsim_addr want = {.family = (uint8_t)family};
    return host_src(sim->hosts[host], &want);
}

gboolean
tcpsim_host_add_addr(struct tcpsim_sim *sim, int host, struct tcpsim_addr addr, GError **error)
{
    g_return_val_if_fail(host >= 0 && host < sim->nhosts, FALSE);
    struct host *h = sim->hosts[host];
    if (!addr_usable(sim, h->name, addr, error)) {
        return FALSE;
    }
    if (!ip_is_none(&h->addr2) || h->addr.family == addr.family) {
        g_set_error(error, TCPSIM_ERROR, 0,
                    "host %s: a host has at most one IPv4 and one IPv6 address", h->name);
        return FALSE;
    }
    h->addr2 = addr;
    return TRUE;
}

gboolean
tcpsim_host_set(struct tcpsim_sim *sim, int host, const char *knob, const char *value,
                GError **error)
{
    g_return_val_if_fail(host >= 0 && host < sim->nhosts, FALSE);
    return tcp_sysctl_set(&sim->hosts[host]->tcp.sysctl, knob, value, error);
}

char *
tcpsim_host_get(const struct tcpsim_sim *sim, int host, const char *knob)
{
    g_return_val_if_fail(host >= 0 && host < sim->nhosts, NULL);
    return tcp_sysctl_get(&sim->hosts[host]->tcp.sysctl, knob);
}

const char *
tcpsim_knob_name(guint i)
{
    const struct tcp_knob *k = tcp_sysctl_table();
    for (guint j = 0; k[j].name; j++) {
        if (j == i) {
            return k[j].name;
        }
    }
    return NULL;
}

const char *
tcpsim_knob_help(const char *knob)
{
    const struct tcp_knob *k = tcp_sysctl_find(knob);
    return k ? k->help : NULL;
}

gboolean
tcpsim_knob_check(const char *knob, const char *value, GError **error)
{
    struct tcp_sysctl scratch;
    const struct tcp_knob *k = tcp_sysctl_find(knob);
    /* A FreeBSD sysctl is checked against the FreeBSD defaults: whether the host runs
     * that personality is known only when the run sets it. */
    tcp_sysctl_defaults(&scratch, k && k->freebsd ? TCP_PERSONALITY_FREEBSD
                                                  : TCP_PERSONALITY_LINUX);
    return tcp_sysctl_set(&scratch, knob, value, error);
}

gboolean
tcpsim_knob_is_freebsd(const char *knob)
{
    const struct tcp_knob *k = tcp_sysctl_find(knob);
    return k != NULL && k->freebsd;
}

gboolean
tcpsim_counter_known(const char *name)
{
    for (int m = 0; m < TCP_MIB_N; m++) {
        if (strcmp(tcp_mib_name((enum tcp_mib)m), name) == 0) {
            return TRUE;
        }
    }
    return FALSE;
}

const char *
tcpsim_counter_name(guint i)
{
    return i < TCP_MIB_N ? tcp_mib_name((enum tcp_mib)i) : NULL;
}

const char *
tcpsim_counter_help(guint i)
{
    return i < TCP_MIB_N ? tcp_mib_help((enum tcp_mib)i) : NULL;
}

gboolean
tcpsim_host_counter(const struct tcpsim_sim *sim, int host, const char *name, uint64_t *value)
{
    g_return_val_if_fail(host >= 0 && host < sim->nhosts, FALSE);
    const struct tcp_stack *st = &sim->hosts[host]->tcp;
    for (int m = 0; m < TCP_MIB_N; m++) {
        if (strcmp(tcp_mib_name((enum tcp_mib)m), name) == 0) {
            *value = st->mib[m];
            return TRUE;
        }
    }
    return FALSE;
}

uint64_t
tcpsim_host_tcbs(const struct tcpsim_sim *sim, int host, bool peak)
{
    g_return_val_if_fail(host >= 0 && host < sim->nhosts, 0);
    const struct tcp_stack *st = &sim->hosts[host]->tcp;
    return peak ? st->tcbs_peak : st->tcbs_alive;
}

void
tcpsim_host_crash(struct tcpsim_sim *sim, int host)
{
    g_return_if_fail(host >= 0 && host < sim->nhosts);
    tcpsim_trace_note(sim, host, "crash: every connection is lost, nothing answers");
    host_crash(sim->hosts[host]);
}

void
tcpsim_host_reboot(struct tcpsim_sim *sim, int host)
{
    g_return_if_fail(host >= 0 && host < sim->nhosts);
    if (!sim->hosts[host]->down) {
        /* A reboot of a running host goes down first: its connections are lost, as
         * the note below says (before, they all survived it). */
        tcpsim_trace_note(sim, host, "reboot: going down, every connection is lost");
        host_crash(sim->hosts[host]);
    }
    tcpsim_trace_note(sim, host, "reboot: up again, with no connections");
    host_reboot(sim->hosts[host]);
}

/* --- time ------------------------------------------------------------------------ */

tcpsim_time
tcpsim_now(const struct tcpsim_sim *sim)
{
    return sim->q.now;
}

uint64_t
tcpsim_events_run(const struct tcpsim_sim *sim)
{
    return sim->q.fired;
}

void
tcpsim_set_memory_limit(struct tcpsim_sim *sim, uint64_t bytes)
{
    sim->q.mem.limit = bytes;
}

uint64_t
tcpsim_memory_used(const struct tcpsim_sim *sim, bool peak)
{
    return peak ? sim->q.mem.peak : sim->q.mem.used;
}

static void
timer_fired(struct ev *ev)
{
    struct sim_timer *t = container_of(ev, struct sim_timer, ev);
    t->fn(t->sim, t->arg);
}

void
tcpsim_at(struct tcpsim_sim *sim, tcpsim_time at, tcpsim_fn fn, void *arg)
{
    g_return_if_fail(at >= sim->q.now);
    struct sim_timer *t = g_new0(struct sim_timer, 1);
    ev_init(&t->ev, timer_fired);
    t->sim = sim;
    t->fn = fn;
    t->arg = arg;
    g_ptr_array_add(sim->timers, t);
    mem_charge(&sim->q.mem, sizeof *t);
    ev_schedule(&sim->q, &t->ev, at);
}

void
tcpsim_set_wall_limit(struct tcpsim_sim *sim, int64_t us)
{
    sim->wall_limit_us = us;
}

void
tcpsim_set_output_limit(struct tcpsim_sim *sim, uint64_t bytes)
{
    outfile_group_set_limit(&sim->trace.outputs, bytes);
}

void
tcpsim_outputs_cleanup_on_signals(void)
{
    outfile_cleanup_on_signals();
}

enum tcpsim_run_status
tcpsim_run(struct tcpsim_sim *sim, tcpsim_time until, uint64_t max_events)
{
    if (!sim->trace_begun) {
        tcpsim_trace_begin(sim, NULL, NULL);
    }
    uint64_t start = sim->q.fired;
    int64_t deadline = sim->wall_limit_us ? g_get_monotonic_time() + sim->wall_limit_us : 0;
    while (ev_step(&sim->q, until)) {
#if TCPSIM_INVARIANTS
        world_inv_enforce(sim, sim->q.fired % WORLD_INV_SWEEP == 0);
#endif
        if (max_events && sim->q.fired - start >= max_events && sim->q.len > 0) {
            return TCPSIM_RUN_EVENT_LIMIT;
        }
        if (G_UNLIKELY(mem_over(&sim->q.mem))) {
            return TCPSIM_RUN_MEMORY_LIMIT;
        }
        if (G_UNLIKELY(sim->trace.outputs.over)) {
            return TCPSIM_RUN_OUTPUT_LIMIT;
        }
        if (deadline && (sim->q.fired & 4095) == 0 && g_get_monotonic_time() > deadline &&
            sim->q.len > 0) {
            return TCPSIM_RUN_WALL_LIMIT;
        }
    }
#if TCPSIM_INVARIANTS
    world_inv_enforce(sim, true);
#endif
    if (sim->q.len == 0) {
        return TCPSIM_RUN_QUIET;
    }
    if (until >= SIM_TIME_END && ev_beyond_end(&sim->q)) {
        return TCPSIM_RUN_END_OF_TIME;
    }
    if (until != INT64_MAX && sim->q.now < until) {
        sim->q.now = until; /* time passes to the limit even if nothing happens then */
    }
    return TCPSIM_RUN_TIME_LIMIT;
}

/* --- traces ---------------------------------------------------------------------- */

gboolean
tcpsim_trace_text(struct tcpsim_sim *sim, const char *path, gboolean absolute, gboolean cc,
                  GError **error)
{
    if (!sink_text_add(&sim->trace, path, absolute, cc, error)) {
        return FALSE;
    }
    mem_charge(&sim->q.mem, SINK_TEXT_BYTES);
    sim->sink_bytes += SINK_TEXT_BYTES;
    return TRUE;
}

gboolean
tcpsim_trace_jsonl(struct tcpsim_sim *sim, const char *path, gboolean absolute, gboolean cc,
                   GError **error)
{
    return sink_jsonl_add(&sim->trace, path, absolute, cc, error);
}

static gboolean
trace_capture(struct tcpsim_sim *sim, const char *path, const char *at, bool ng, GError **error)
{
    if (sim->nhosts == 0) {
        g_set_error(error, TCPSIM_ERROR, 0, "pcap: the simulation has no hosts to capture on");
        return FALSE;
    }
    if (at != NULL && strcmp(at, "sent") == 0) {
        return sink_pcap_add_format(&sim->trace, path, PCAP_AT_SENT, NULL, ng, error);
    }
    if (at != NULL && strcmp(at, "delivered") == 0) {
        return sink_pcap_add_format(&sim->trace, path, PCAP_AT_DELIVERED, NULL, ng, error);
    }
    int h = at != NULL ? tcpsim_host_find(sim, at) : 0;
    if (h < 0) {
        GString *valid = g_string_new(NULL);
        for (int i = 0; i < sim->nhosts; i++) {
            g_string_append_printf(valid, "%s%s", i ? ", " : "", sim->hosts[i]->name);
        }
        g_set_error(error, TCPSIM_ERROR, 0,
                    "unknown capture point \"%s\"; expected a host (%s) or \"sent\" or "
                    "\"delivered\"",
                    at, valid->str);
        g_string_free(valid, TRUE);
        return FALSE;
    }
    return sink_pcap_add_format(&sim->trace, path, PCAP_AT_HOST, sim->hosts[h]->name, ng, error);
}

gboolean
tcpsim_trace_pcap(struct tcpsim_sim *sim, const char *path, const char *at, GError **error)
{
    return trace_capture(sim, path, at, false, error);
}

gboolean
tcpsim_trace_pcapng(struct tcpsim_sim *sim, const char *path, const char *at, GError **error)
{
    return trace_capture(sim, path, at, true, error);
}

gboolean
tcpsim_trace_views(struct tcpsim_sim *sim, const struct tcpsim_views *views, gboolean absolute,
                   gboolean cc, GError **error)
{
    return view_add(&sim->trace, views, absolute, cc, error);
}

void
tcpsim_trace_begin(struct tcpsim_sim *sim, const char *scenario, const char *title)
{
    if (sim->trace_begun) {
        return;
    }
    sim->trace_begun = true;
    sim->trace_scenario = g_strdup(scenario);
    sim->trace_title = g_strdup(title);
    const char *names[WORLD_MAX_HOSTS];
    struct tcpsim_addr addrs[WORLD_MAX_HOSTS];
    struct tcpsim_addr addrs2[WORLD_MAX_HOSTS];
    bool dual = false;
    for (int i = 0; i < sim->nhosts; i++) {
        names[i] = sim->hosts[i]->name;
        addrs[i] = sim->hosts[i]->addr;
        addrs2[i] = sim->hosts[i]->addr2;
        dual = dual || !ip_is_none(&addrs2[i]);
    }
    struct trace_header hdr = {
        .scenario = sim->trace_scenario,
        .title = sim->trace_title,
        .seed = sim->seed,
        .nhosts = (guint)sim->nhosts,
        .host_names = names,
        .host_addrs = addrs,
        .host_addrs2 = dual ? addrs2 : NULL,
        .version = TCPSIM_VERSION,
        .sets = (const char *const *)sim->trace_sets,
        .params = (const char *const *)sim->trace_params,
        .ip_version = sim->trace_ip_version,
    };
    trace_begin(&sim->trace, &hdr);
}

void
tcpsim_trace_header_ip_version(struct tcpsim_sim *sim, const char *ip_version)
{
    g_free(sim->trace_ip_version);
    sim->trace_ip_version = g_strdup(ip_version);
}

void
tcpsim_trace_header_args(struct tcpsim_sim *sim, const char *const *sets,
                         const char *const *params)
{
    g_strfreev(sim->trace_sets);
    g_strfreev(sim->trace_params);
    sim->trace_sets = sets ? g_strdupv((char **)sets) : NULL;
    sim->trace_params = params ? g_strdupv((char **)params) : NULL;
}

static void
trace_text_event(struct tcpsim_sim *sim, enum trace_kind kind, int host, const char *text)
{
    if (!trace_wants(&sim->trace, kind)) {
        return;
    }
    struct trace_event ev = {
        .kind = kind,
        .at = sim->q.now,
        .host = host >= 0 && host < sim->nhosts ? sim->hosts[host]->name : NULL,
        .text = text,
    };
    trace_emit(&sim->trace, &ev);
}

void
tcpsim_trace_ss(struct tcpsim_sim *sim, int host, const char *text)
{
    trace_text_event(sim, TRACE_SS, host, text);
}

void
tcpsim_trace_note(struct tcpsim_sim *sim, int host, const char *text)
{
    trace_text_event(sim, TRACE_NOTE, host, text);
}

void
tcpsim_trace_expect(struct tcpsim_sim *sim, int host, const char *text)
{
    trace_text_event(sim, TRACE_EXPECT, host, text);
}

void
tcpsim_trace_expect_verdict(struct tcpsim_sim *sim, int host, const char *what,
                            const char *expected, const char *got, bool ok)
{
    if (!trace_wants(&sim->trace, TRACE_EXPECT)) {
        return;
    }
    g_autofree char *text = ok ? g_strdup_printf("%s: ok", what)
                               : g_strdup_printf("%s: FAILED, got %s", what, got);
    struct trace_event ev = {
        .kind = TRACE_EXPECT,
        .at = sim->q.now,
        .host = host >= 0 && host < sim->nhosts ? sim->hosts[host]->name : NULL,
        .text = text,
        .reason = what,
        .from = expected,
        .to = got,
        .a = ok,
        .b = 1,
    };
    trace_emit(&sim->trace, &ev);
}

/* The end of the run: a summary line per link direction that carried anything. */
gboolean
tcpsim_trace_end(struct tcpsim_sim *sim, GError **error)
{
    world_link_summaries(sim);
    return trace_end(&sim->trace, error);
}

