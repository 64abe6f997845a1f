/* SPDX-License-Identifier: MIT */
/*
 * rng.h: the project's own PRNG, one stream per purpose.
 *
 * xoshiro256** seeded through splitmix64. A stream is derived from the scenario seed and
 * a purpose string ("link A->B loss", "host B isn"), so adding a draw to one purpose
 * never shifts the draws of another. The algorithm is a project contract: traces depend
 * on it, so it must never change silently (GRand's output may, and is not used).
 *
 * Probabilities are integers in parts per billion (1% = 10,000,000 ppb), so no floating
 * point is involved in any decision that shapes a trace.
 */
#ifndef TCPSIM_ENGINE_RNG_H
#define TCPSIM_ENGINE_RNG_H

#include <stdbool.h>
#include <stdint.h>

#define RNG_PPB_ONE 1000000000u

struct rng {
    uint64_t s[4];
};

/* Seeds `r` for `purpose` from the run's `seed`. */
void rng_init(struct rng *r, uint64_t seed, const char *purpose);

uint64_t rng_next(struct rng *r);

/* Uniform in [0, n); n > 0. Unbiased (Lemire's multiply-and-reject). */
uint64_t rng_below(struct rng *r, uint64_t n);

/* True with probability ppb / 1e9. */
bool rng_chance(struct rng *r, uint32_t ppb);

/* splitmix64 step, exposed for keyed hashing (ISN secrets). */
uint64_t rng_splitmix64(uint64_t *state);

/* FNV-1a over a string: a stable, documented way to turn a name into 64 bits. */
uint64_t rng_hash_str(const char *s);

#endif
