/* SPDX-License-Identifier: MIT */
/*
 * rng.c: xoshiro256** streams seeded by splitmix64 (Blackman and Vigna, 2018).
 *
 * Entry points: rng_init(), rng_next(), rng_below(), rng_chance().
 */
#include "rng.h"
#include "u128.h"

static inline uint64_t
rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t
rng_splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

uint64_t
rng_hash_str(const char *s)
{
    uint64_t h = 0xCBF29CE484222325ull;
    for (; *s; s++) {
        h ^= (uint8_t)*s;
        h *= 0x100000001B3ull;
    }
    return h;
}

void
rng_init(struct rng *r, uint64_t seed, const char *purpose)
{
    uint64_t sm = seed ^ rng_hash_str(purpose);
    for (int i = 0; i < 4; i++) {
        r->s[i] = rng_splitmix64(&sm);
    }
}

uint64_t
rng_next(struct rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

uint64_t
rng_below(struct rng *r, uint64_t n)
{
    /* Lemire, "Fast Random Integer Generation in an Interval" (2019). */
    u128 m = u128_mul64(rng_next(r), n);
    if (m.lo < n) {
        uint64_t threshold = -n % n;
        while (m.lo < threshold) {
            m = u128_mul64(rng_next(r), n);
        }
    }
    return m.hi;
}

bool
rng_chance(struct rng *r, uint32_t ppb)
{
    if (ppb == 0) {
        return false;
    }
    if (ppb >= RNG_PPB_ONE) {
        return true;
    }
    return rng_below(r, RNG_PPB_ONE) < ppb;
}
