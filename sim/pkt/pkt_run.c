/* SPDX-License-Identifier: MIT */
/*
 * pkt_run.c: a packetdrill script's events, in virtual time.
 *
 * Entry point: tcpsim_pkt_run(). Events run in file order. Each has a start time: an
 * absolute time, or relative to when the previous event finished (packetdrill's rule;
 * consecutive inbound segments are anchored to each other's script times). Then:
 *
 *   <  segment   the clock runs to the start; the segment is injected.
 *   >  segment   the next segment the stack sent (or sends, running the clock) must
 *                match. With timing compared it must come within the tolerance of its
 *                time or range; otherwise the runner waits as long as PKT_WAIT_HORIZON.
 *   call         at its start. A call that must wait on a blocking socket either runs
 *                on while later events proceed (the script wrote ...END, packetdrill's
 *                blocking call) or holds everything until it returns (it did not: the
 *                script's one thread is stuck in it, as in packetdrill).
 *   `command`    sysctl settings, mapped to knobs (pkt_cmd.c).
 *   %{ code }%   tcp_info assertions (pkt_code.c).
 *
 * The first difference ends the run: the script line, what was expected, what happened.
 */
#include <string.h>

#include "pkt_run.h"

static void
stop(struct pkt_runner *r, enum tcpsim_pkt_status st, struct pkt_loc loc, const char *fmt,
     va_list ap)
{
    if (r->done) {
        return;
    }
    r->done = true;
    r->status = st;
    r->loc = loc;
    g_string_vprintf(r->reason, fmt, ap);
    r->q->stop = true;
}

void
pkt_fail(struct pkt_runner *r, struct pkt_loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    stop(r, TCPSIM_PKT_FAIL, loc, fmt, ap);
    va_end(ap);
}

void
pkt_stop_unsupported(struct pkt_runner *r, struct pkt_loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    stop(r, TCPSIM_PKT_UNSUPPORTED, loc, fmt, ap);
    va_end(ap);
}

void
pkt_stop_error(struct pkt_runner *r, struct pkt_loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    stop(r, TCPSIM_PKT_SCRIPT_ERROR, loc, fmt, ap);
    va_end(ap);
}

sim_time
pkt_now(const struct pkt_runner *r)
{
    return r->q->now;
}

bool
pkt_timing(const struct pkt_runner *r)
{
    return (r->compare & TCPSIM_PKT_CMP_TIMING) != 0;
}

void
pkt_advance_to(struct pkt_runner *r, sim_time t)
{
    if (r->done || t < r->q->now) {
        return;
    }
    ev_run_until(r->q, t);
    if (!r->done && r->q->now < t) {
        r->q->now = t;
    }
}

sim_time
pkt_tolerance(const struct pkt_runner *r, sim_time t, sim_time prev)
{
    sim_time tol = r->tolerance;
    sim_time span = t > prev ? t - prev : 0;
    sim_time pct = span / 1000 * r->tolerance_permille;
    return pct > tol ? pct : tol;
}

/* --- blocking calls ------------------------------------------------------------- */

static const struct pkt_sys *
sys_of(const char *name)
{
    const struct pkt_sys *s = pkt_sys_find(name);
    return s ? s : pkt_io_find(name);
}

static const char *
errno_text(int64_t result)
{
    return result < 0 ? tcpsim_errno_name((int)-result) : "";
}

/* Compares a finished call with the script: result, errno, and (timing) when. */
static void
check_call(struct pkt_runner *r, const struct pkt_call *c)
{
    const struct pkt_syscall *sc = c->ev->sc;
    const struct pkt_expr *want = sc->result;
    int64_t expected = 0;
    if (want->kind == PKT_E_ELLIPSIS) {
        return;
    }
    if (!pkt_arg_int(r, want, &expected)) {
        return;
    }
    int64_t got = c->result < 0 ? -1 : c->result;
    if (got != expected) {
        if (c->result < 0) {
            pkt_fail(r, c->ev->loc, "%s: expected result %" G_GINT64_FORMAT
                     " but got -1 with errno %s (%s)", sc->name, expected,
                     errno_text(c->result), tcpsim_errno_text((int)-c->result));
        } else {
            pkt_fail(r, c->ev->loc, "%s: expected result %" G_GINT64_FORMAT " but got %"
                     G_GINT64_FORMAT, sc->name, expected, c->result);
        }
        return;
    }
    if (c->result < 0 && sc->errno_name != NULL) {
        const char *got_name = errno_text(c->result);
        bool same = strcmp(got_name, sc->errno_name) == 0 ||
                    (strcmp(sc->errno_name, "EWOULDBLOCK") == 0 && strcmp(got_name, "EAGAIN") == 0);
        if (!same) {
            pkt_fail(r, c->ev->loc, "%s: expected errno %s but got %s (%s)", sc->name,
                     sc->errno_name, got_name, tcpsim_errno_text((int)-c->result));
            return;
        }
    }
    if (pkt_timing(r)) {
        sim_time at = pkt_now(r);
        sim_time want_at = c->blocking_spec ? c->end : c->start;
        sim_time tol = pkt_tolerance(r, want_at, c->start);
        if (at < want_at - tol || at > want_at + tol) {
            GString *m = g_string_new(NULL);
            pkt_fmt_time(m, at);
            g_string_append(m, " vs expected ");
            pkt_fmt_time(m, want_at);
            pkt_fail(r, c->ev->loc, "%s returned at %s (tolerance %" G_GINT64_FORMAT " us)",
                     sc->name, m->str, tol / 1000);
            g_string_free(m, TRUE);
        }
    }
}

static enum pkt_step
step_call(struct pkt_runner *r, struct pkt_call *c, bool first)
{
    const struct pkt_sys *s = sys_of(c->ev->sc->name);
    g_assert(s != NULL); /* pkt_check() refused unknown calls */
    return s->step(r, c, first);
}

static void
retry_fired(struct ev *ev)
{
    struct pkt_runner *r = container_of(ev, struct pkt_runner, retry);
    if (!r->pending || r->done) {
        return;
    }
    enum pkt_step st = step_call(r, &r->call, false);
    if (st == PKT_STEP_BLOCKED) {
        return;
    }
    r->pending = false;
    if (st == PKT_STEP_DONE) {
        check_call(r, &r->call);
    }
}

/* Called (through the host) whenever the stack wakes the application. */
void
pkt_retry_at(struct pkt_runner *r, sim_time t)
{
    if (!ev_pending(&r->retry) || ev_due(r->q, &r->retry) > t) {
        ev_schedule(r->q, &r->retry, t);
    }
}

void
pkt_wake(struct pkt_runner *r)
{
    if (r->pending) {
        pkt_retry_at(r, r->q->now);
    }
}

/* Runs the clock until the call in progress returns, at most until `limit`. */
static bool
wait_call(struct pkt_runner *r, sim_time limit)
{
    while (r->pending && !r->done && ev_step(r->q, limit)) {
    }
    return !r->pending;
}

/* How long to wait for what the script expects at `expected`: its tolerance, counted as
 * the check will count it (the percentage of the interval from `prev`, packetdrill's
 * last event). */
static sim_time
wait_limit(const struct pkt_runner *r, sim_time expected, sim_time prev)
{
    if (pkt_timing(r)) {
        return expected + pkt_tolerance(r, expected, prev);
    }
    sim_time base = expected > r->q->now ? expected : r->q->now;
    return base + PKT_WAIT_HORIZON;
}

static void
run_syscall(struct pkt_runner *r, const struct pkt_event *ev, guint index, sim_time start,
            sim_time end)
{
    if (ev->sc->blocking && r->pending) {
        /* One call thread, as packetdrill: a new blocking call waits for the last. */
        if (!wait_call(r, wait_limit(r, r->call.end, r->call.start)) && !r->done) {
            pkt_fail(r, r->call.ev->loc, "%s is still blocked when the call at line %d starts",
                     r->call.ev->sc->name, ev->loc.line);
            return;
        }
    }
    pkt_advance_to(r, start);
    if (r->done) {
        return;
    }
    struct pkt_call c = {.ev = ev, .index = index, .blocking_spec = ev->sc->blocking,
                         .start = start, .end = end, .new_fd = -1};
    enum pkt_step st = step_call(r, &c, true);
    if (st == PKT_STEP_STOP) {
        return;
    }
    if (st == PKT_STEP_DONE) {
        check_call(r, &c);
        return;
    }
    if (ev->sc->blocking) {
        r->call = c;
        r->pending = true;
        return;
    }
    /* The script's thread is stuck in a call it expected to return at once: nothing
     * else happens but the stack's own timers. */
    if (r->pending) {
        pkt_stop_unsupported(r, ev->loc, "%s would block while %s (line %d) is blocked: "
                             "two blocked calls at once", ev->sc->name,
                             r->call.ev->sc->name, r->call.ev->loc.line);
        return;
    }
    r->call = c;
    r->pending = true;
    if (!wait_call(r, wait_limit(r, start, start)) && !r->done) {
        r->pending = false;
        pkt_fail(r, ev->loc, "%s blocked (the script expects it to return at once; a "
                 "blocking call is written ...END)", ev->sc->name);
    }
}

/* --- segments ------------------------------------------------------------------- */

static void
expect_segment(struct pkt_runner *r, const struct pkt_event *ev, sim_time start, sim_time end)
{
    bool any = ev->time_kind == PKT_TIME_ANY;
    sim_time limit = any ? r->q->now + PKT_WAIT_HORIZON : wait_limit(r, end, r->prev_start);
    const struct pkt_cap *cap;
    while ((cap = pkt_next_cap(r)) == NULL && !r->done && ev_step(r->q, limit)) {
    }
    if (r->done) {
        return;
    }
    if (cap == NULL) {
        if (r->q->now < limit) {
            r->q->now = limit;
        }
        g_string_append(r->details, "script packet: ");
        pkt_fmt_time(r->details, start);
        g_string_append_c(r->details, ' ');
        pkt_fmt_packet(r->details, ev->pkt);
        pkt_fail(r, ev->loc, "expected outbound packet not sent (waited until %.6f)",
                 (double)limit / 1e9);
        return;
    }
    pkt_match(r, ev, cap, any ? cap->at : start, any ? cap->at : end);
}

/* --- the run -------------------------------------------------------------------- */

static bool
inbound(const struct pkt_event *ev)
{
    return ev->kind == PKT_EV_PACKET && ev->pkt->inbound;
}

/* packetdrill's rule: a `+` time counts from when the previous event finished (an
 * outbound segment: when it was sent; a call: when it returned, or when a ...END call
 * started); consecutive inbound segments are anchored to each other's script times. */
static void
event_times(struct pkt_runner *r, const struct pkt_event *ev, sim_time *start, sim_time *end)
{
    sim_time base = r->prev_inbound && inbound(ev) ? r->prev_start : r->q->now;
    switch (ev->time_kind) {
    case PKT_TIME_ABS:
    case PKT_TIME_ABS_RANGE:
        *start = ev->t;
        *end = ev->time_kind == PKT_TIME_ABS_RANGE ? ev->t_end : ev->t;
        break;
    case PKT_TIME_REL:
    case PKT_TIME_REL_RANGE:
        *start = base + ev->t;
        *end = base + (ev->time_kind == PKT_TIME_REL_RANGE ? ev->t_end : ev->t);
        break;
    case PKT_TIME_ANY:
        *start = r->q->now;
        *end = SIM_TIME_NEVER;
        break;
    }
    if (ev->untimed) {
        *start = *end = r->q->now > base ? r->q->now : base;
    }
    if (ev->kind == PKT_EV_SYSCALL && ev->sc->blocking) {
        bool rel = ev->time_kind == PKT_TIME_REL;
        *end = (rel ? base : 0) + ev->sc->end;
    }
}

static void
run_event(struct pkt_runner *r, const struct pkt_event *ev, guint index)
{
    sim_time start = 0;
    sim_time end = 0;
    event_times(r, ev, &start, &end);
    bool absolute = ev->time_kind == PKT_TIME_ABS || ev->time_kind == PKT_TIME_ABS_RANGE;
    if (absolute && start < r->prev_start) {
        pkt_stop_error(r, ev->loc, "event time %.6f is before the previous event's %.6f",
                       (double)start / 1e9, (double)r->prev_start / 1e9);
        return;
    }
    if (r->verbose) {
        GString *line = g_string_new(NULL);
        pkt_fmt_time(line, start);
        g_string_append_printf(line, " line %d: ", ev->loc.line);
        switch (ev->kind) {
        case PKT_EV_PACKET:
            g_string_append(line, ev->pkt->inbound ? "< " : "> ");
            pkt_fmt_packet(line, ev->pkt);
            break;
        case PKT_EV_SYSCALL:
            g_string_append_printf(line, "%s()%s", ev->sc->name, ev->sc->blocking ? " ..." : "");
            break;
        case PKT_EV_COMMAND:
            g_string_append(line, "`command`");
            break;
        case PKT_EV_CODE:
            g_string_append(line, "%{ code }%");
            break;
        }
        g_print("%s\n", line->str);
        g_string_free(line, TRUE);
    }
    switch (ev->kind) {
    case PKT_EV_PACKET:
        if (ev->pkt->inbound) {
            pkt_advance_to(r, start);
            if (!r->done) {
                pkt_inject(r, ev);
            }
        } else {
            expect_segment(r, ev, start, end);
        }
        break;
    case PKT_EV_SYSCALL:
        run_syscall(r, ev, index, start, end);
        break;
    case PKT_EV_COMMAND: {
        pkt_advance_to(r, start);
        g_autofree char *why = r->done ? NULL : pkt_cmd_run(r, ev->text, true);
        if (why != NULL) {
            pkt_stop_unsupported(r, ev->loc, "%s", why);
        }
        break;
    }
    case PKT_EV_CODE: {
        pkt_advance_to(r, start);
        bool unsupported = false;
        g_autofree char *why = r->done ? NULL : pkt_code_run(r, ev->text, true, &unsupported);
        if (why != NULL && unsupported) {
            pkt_stop_unsupported(r, ev->loc, "%s", why);
        } else if (why != NULL) {
            pkt_fail(r, ev->loc, "%s", why);
        }
        break;
    }
    }
    if (!ev->untimed && ev->time_kind != PKT_TIME_ANY) {
        r->prev_start = start;
    }
    r->prev_inbound = inbound(ev);
}

/* After the last event: a call still blocked must return (packetdrill refuses to exit
 * while one is in progress). */
static void
finish(struct pkt_runner *r)
{
    if (r->done || !r->pending) {
        return;
    }
    if (!wait_call(r, wait_limit(r, r->call.end, r->call.start)) && !r->done) {
        pkt_fail(r, r->call.ev->loc, "%s had not returned when the script ended",
                 r->call.ev->sc->name);
    }
}

static struct pkt_runner *
runner_new(const struct tcpsim_pkt_script *s, const struct tcpsim_pkt_options *o)
{
    struct pkt_runner *r = g_new0(struct pkt_runner, 1);
    r->script = s;
    r->compare = o->compare ? o->compare : TCPSIM_PKT_CMP_DEFAULT;
    r->verbose = o->verbose;
    r->sim = tcpsim_sim_new(o->seed);
    r->q = &r->sim->q;
    r->local_ip = ip_v4(PKT_LOCAL_IP);
    r->remote_ip = ip_v4(PKT_REMOTE_IP);
    r->bind_port = PKT_BIND_PORT;
    r->connect_port = PKT_BIND_PORT;
    r->next_remote_port = PKT_FIRST_REMOTE_PORT;
    r->tolerance = o->tolerance_usecs > 0 ? US(o->tolerance_usecs) : PKT_DEFAULT_TOLERANCE;
    r->tolerance_permille = PKT_DEFAULT_TOLERANCE_PERMILLE;
    r->caps = g_array_new(FALSE, TRUE, sizeof(struct pkt_cap));
    r->fds = g_ptr_array_new();
    r->socks = g_ptr_array_new();
    r->vars = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    r->reason = g_string_new(NULL);
    r->details = g_string_new(NULL);
    r->notes = g_string_new(NULL);
    ev_init(&r->retry, retry_fired);
    return r;
}

static void
runner_free(struct pkt_runner *r)
{
    for (guint i = 0; i < r->socks->len; i++) {
        pkt_sock_release(r, g_ptr_array_index(r->socks, i));
        g_free(g_ptr_array_index(r->socks, i));
    }
    tcpsim_sim_free(r->sim);
    pkt_net_free(r);
    g_ptr_array_free(r->socks, TRUE);
    g_ptr_array_free(r->fds, TRUE);
    g_array_free(r->caps, TRUE);
    g_hash_table_destroy(r->vars);
    g_string_free(r->reason, TRUE);
    g_string_free(r->details, TRUE);
    g_string_free(r->notes, TRUE);
    g_free(r);
}

static gboolean
setup(struct pkt_runner *r, const struct tcpsim_pkt_options *o, GError **error)
{
    int h = tcpsim_host_add(r->sim, "L", r->local_ip, error);
    if (h < 0) {
        return FALSE;
    }
    r->host = r->sim->hosts[h];
    bool own_j0 = false;
    bool own_rx = false;
    for (const char *const *set = o->sets; set && *set; set++) {
        g_auto(GStrv) kv = g_strsplit(*set, "=", 2);
        if (kv[0] == NULL || kv[1] == NULL) {
            g_set_error(error, TCPSIM_PKT_ERROR, TCPSIM_PKT_ERROR_SYNTAX,
                        "--set %s: expected knob=value", *set);
            return FALSE;
        }
        if (!tcpsim_host_set(r->sim, h, kv[0], kv[1], error)) {
            return FALSE;
        }
        own_j0 |= strcmp(kv[0], "initial_jiffies") == 0;
        own_rx |= strcmp(kv[0], "rx_skb") == 0;
    }
    /* A script runs on a machine that has been up a while: the tick count at its time 0
     * is TCPSIM_PKT_INITIAL_JIFFIES, not the boot value, unless --set initial_jiffies=N
     * says otherwise. Where the count stands decides where the timer wheel's coarse
     * buckets fall (tcp_timer_expiry()). */
    char j0[32];
    g_snprintf(j0, sizeof j0, "%" G_GINT64_FORMAT, (gint64)TCPSIM_PKT_INITIAL_JIFFIES);
    if (!own_j0 && !tcpsim_host_set(r->sim, h, "initial_jiffies", j0, error)) {
        return FALSE;
    }
    /* packetdrill injects and reads packets through a tun device: the receive buffer is
     * charged for tun's linear skbs, unless --set rx_skb=veth says otherwise. */
    if (!own_rx && !tcpsim_host_set(r->sim, h, "rx_skb", "tun", error)) {
        return FALSE;
    }
    pkt_net_init(r);
    if (o->trace_path != NULL &&
        !tcpsim_trace_text(r->sim, o->trace_path, FALSE, FALSE, error)) {
        return FALSE;
    }
    tcpsim_trace_begin(r->sim, r->script->path, "packetdrill script");
    return TRUE;
}

gboolean
tcpsim_pkt_run(const struct tcpsim_pkt_script *s, const struct tcpsim_pkt_options *o,
               struct tcpsim_pkt_result *res, GError **error)
{
    *res = (struct tcpsim_pkt_result){0};
    struct pkt_runner *r = runner_new(s, o);
    if (!setup(r, o, error)) {
        runner_free(r);
        return FALSE;
    }
    if (pkt_check(r) && pkt_cmd_options(r, o->header_options)) {
        for (guint i = 0; i < s->events->len && !r->done; i++) {
            run_event(r, g_ptr_array_index(s->events, i), i);
            if (!r->done) {
                r->events_run++;
            }
        }
        finish(r);
    }
    gboolean traced = tcpsim_trace_end(r->sim, error);
    res->status = r->done ? r->status : TCPSIM_PKT_PASS;
    res->line = r->done ? r->loc.line : 0;
    res->col = r->done ? r->loc.col : 0;
    res->reason = g_strdup(r->reason->str);
    res->details = g_strdup(r->details->str);
    res->notes = g_strdup(r->notes->str);
    res->events_run = r->events_run;
    res->events = s->events->len;
    res->end_time = r->q->now;
    res->compare = r->compare;
    res->tolerance_usecs = r->tolerance / 1000;
    runner_free(r);
    return traced;
}

void
tcpsim_pkt_result_clear(struct tcpsim_pkt_result *r)
{
    g_clear_pointer(&r->reason, g_free);
    g_clear_pointer(&r->details, g_free);
    g_clear_pointer(&r->notes, g_free);
}
