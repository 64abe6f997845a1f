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

#define NS(x) ((sim_time)(x))
#define US(x) ((sim_time)(x) * INT64_C(1000))
#define MS(x) ((sim_time)(x) * INT64_C(1000000))
#define SEC(x) ((sim_time)(x) * INT64_C(1000000000))

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
