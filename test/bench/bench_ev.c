/* SPDX-License-Identifier: MIT */
/*
 * bench_ev.c: the event queue alone, with ten million pending timers.
 *
 * Schedules N timers at pseudo-random times (all pending at once), reschedules a tenth
 * of them (a timer restarted, as an RTO is by every ACK), cancels another tenth, then
 * fires the rest in order. Prints one line: operations, wall time, operations per
 * second, and memory per timer (the heap's array plus the timers themselves, as
 * allocated: the capacity, not the count, is charged).
 *
 * Usage: bench_ev [N]   (default 10000000)
 */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>

#include "sim/engine/ev.h"
#include "sim/engine/rng.h"

struct timer {
    struct ev ev;
    uint64_t fired;
};

static void
fired(struct ev *ev)
{
    struct timer *t = container_of(ev, struct timer, ev);
    t->fired++;
}

int
main(int argc, char **argv)
{
    uint64_t n = 10000000;
    if (argc > 1) {
        char *end = NULL;
        n = strtoull(argv[1], &end, 10);
        if (end == argv[1] || *end != '\0' || n == 0 || n > 100000000) {
            fprintf(stderr, "bench_ev: N must be 1 to 100000000\n");
            return 2;
        }
    }
    struct timer *timers = g_new0(struct timer, n);
    struct ev_queue q;
    ev_queue_init(&q);
    struct rng r;
    rng_init(&r, 1, "bench_ev");
    for (uint64_t i = 0; i < n; i++) {
        ev_init(&timers[i].ev, fired);
    }
    gint64 t0 = g_get_monotonic_time();
    uint64_t ops = 0;
    for (uint64_t i = 0; i < n; i++) {
        ev_schedule(&q, &timers[i].ev, (sim_time)rng_below(&r, 1000000000000ull));
        ops++;
    }
    for (uint64_t i = 0; i < n / 10; i++) {
        uint64_t k = rng_below(&r, n);
        ev_schedule(&q, &timers[k].ev, (sim_time)rng_below(&r, 1000000000000ull));
        ops++;
    }
    for (uint64_t i = 0; i < n / 10; i++) {
        ev_cancel(&q, &timers[rng_below(&r, n)].ev);
        ops++;
    }
    size_t heap_bytes = ev_queue_bytes(&q);
    uint64_t pending = q.len;
    while (ev_step(&q, SIM_TIME_NEVER)) {
        ops++;
    }
    gint64 t1 = g_get_monotonic_time();
    double secs = (double)(t1 - t0) / 1e6;
    uint64_t total_fired = 0;
    for (uint64_t i = 0; i < n; i++) {
        total_fired += timers[i].fired;
    }
    double per_timer = (double)(heap_bytes + n * sizeof(struct ev)) / (double)n;
    printf("bench_ev: %" G_GUINT64_FORMAT " timers (%" G_GUINT64_FORMAT " pending at the "
           "peak, %" G_GUINT64_FORMAT " fired), %" G_GUINT64_FORMAT " operations in %.3f s: "
           "%.1f M operations/s, %.1f bytes per timer (queue %zu + event %zu)\n",
           n, pending, total_fired, ops, secs, (double)ops / secs / 1e6, per_timer,
           (size_t)(heap_bytes / n), sizeof(struct ev));
    ev_queue_destroy(&q);
    g_free(timers);
    return total_fired == pending ? 0 : 1;
}
