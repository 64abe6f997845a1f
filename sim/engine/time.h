/* SPDX-License-Identifier: MIT */
/*
 * time.h: simulated time.
 *
 * Time is an integer count of nanoseconds since the run began (sim_time). No floating
 * point ever holds a time; doubles appear only in plot output. The helpers below build
 * times from units and split them for printing.
 */
#ifndef TCPSIM_ENGINE_TIME_H
#define TCPSIM_ENGINE_TIME_H

#include <stdint.h>

typedef int64_t sim_time;

#define SIM_TIME_NEVER INT64_MAX
/* The end of simulated time, 2^62 ns (146 years): the event queue runs nothing due at or
 * after it. Every duration the user can give is at most 2^61 ns (units.c), and every
 * timer's is far less, so `now + duration` never overflows; a sum of several durations
 * is made with sim_time_add(), which saturates. */
#define SIM_TIME_END (INT64_C(1) << 62)

#define NS(x) ((sim_time)(x))
#define US(x) ((sim_time)(x) * INT64_C(1000))
#define MS(x) ((sim_time)(x) * INT64_C(1000000))
#define SEC(x) ((sim_time)(x) * INT64_C(1000000000))

/* a + b for non-negative times, saturated at SIM_TIME_NEVER instead of overflowing. */
static inline sim_time
sim_time_add(sim_time a, sim_time b)
{
    sim_time r;
    return __builtin_add_overflow(a, b, &r) ? SIM_TIME_NEVER : r;
}

/* a + n * b, saturated likewise. */
static inline sim_time
sim_time_add_mul(sim_time a, uint64_t n, sim_time b)
{
    sim_time p;
    if (n > (uint64_t)INT64_MAX || __builtin_mul_overflow((sim_time)n, b, &p)) {
        return SIM_TIME_NEVER;
    }
    return sim_time_add(a, p);
}

/* Serialization time of `bytes` at `rate_bps` bits per second, rounded up to a nanosecond. */
static inline sim_time
sim_time_tx(uint64_t bytes, uint64_t rate_bps)
{
    if (rate_bps == 0) {
        return 0;
    }
    /* bytes * 8e9 fits in 64 bits for any frame below 2^30 bytes. */
    uint64_t bits_ns = bytes * 8u * 1000000000u;
    return (sim_time)((bits_ns + rate_bps - 1) / rate_bps);
}

#endif
