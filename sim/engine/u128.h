/* SPDX-License-Identifier: MIT */
/*
 * u128.h: unsigned 128-bit arithmetic that builds on every target.
 *
 * GCC and Clang offer `unsigned __int128` only on 64-bit targets; a 32-bit build (i386,
 * armhf) has none. The few places that need more than 64 bits (Lemire's bounded random
 * numbers, exact unit parsing, CUBIC's cube) use these helpers instead. Where the
 * compiler has a native 128-bit type the helpers use it (the simulator's hot paths keep
 * their speed); elsewhere, or when TCPSIM_U128_PORTABLE is defined before inclusion (the
 * unit tests do, to check one against the other), they compute with 64-bit halves. Both
 * give the same results bit for bit.
 */
#ifndef TCPSIM_ENGINE_U128_H
#define TCPSIM_ENGINE_U128_H

#include <stdbool.h>
#include <stdint.h>

#if defined(__SIZEOF_INT128__) && !defined(TCPSIM_U128_PORTABLE)
#define TCPSIM_U128_NATIVE 1
#else
#define TCPSIM_U128_NATIVE 0
#endif

typedef struct {
    uint64_t hi;
    uint64_t lo;
} u128;

static inline u128
u128_from64(uint64_t v)
{
    u128 r = {0, v};
    return r;
}

static inline int
u128_cmp(u128 a, u128 b)
{
    if (a.hi != b.hi) {
        return a.hi < b.hi ? -1 : 1;
    }
    return a.lo < b.lo ? -1 : a.lo > b.lo;
}

/* True when a fits in 64 bits. */
static inline bool
u128_fits64(u128 a)
{
    return a.hi == 0;
}

/* The full 128-bit product of two 64-bit numbers. */
static inline u128
u128_mul64(uint64_t a, uint64_t b)
{
#if TCPSIM_U128_NATIVE
    unsigned __int128 p = (unsigned __int128)a * b;
    u128 r = {(uint64_t)(p >> 64), (uint64_t)p};
    return r;
#else
    uint64_t a_lo = a & 0xFFFFFFFFu, a_hi = a >> 32;
    uint64_t b_lo = b & 0xFFFFFFFFu, b_hi = b >> 32;
    uint64_t ll = a_lo * b_lo;
    uint64_t lh = a_lo * b_hi;
    uint64_t hl = a_hi * b_lo;
    uint64_t hh = a_hi * b_hi;
    uint64_t mid = (ll >> 32) + (lh & 0xFFFFFFFFu) + (hl & 0xFFFFFFFFu);
    u128 r;
    r.lo = (mid << 32) | (ll & 0xFFFFFFFFu);
    r.hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
    return r;
#endif
}

/* a * b into *out; false (and *out unspecified) when the product needs more than 128 bits. */
static inline bool
u128_mul(u128 a, uint64_t b, u128 *out)
{
    u128 lo = u128_mul64(a.lo, b);
    u128 hi = u128_mul64(a.hi, b);
    if (hi.hi != 0) {
        return false;
    }
    out->lo = lo.lo;
    out->hi = lo.hi + hi.lo;
    return out->hi >= lo.hi;
}

/* a + b, modulo 2^128. */
static inline u128
u128_add64(u128 a, uint64_t b)
{
    u128 r = {a.hi, a.lo + b};
    r.hi += r.lo < a.lo;
    return r;
}

/* a / d (d != 0), the remainder into *rem when rem is not NULL. */
static inline u128
u128_divmod64(u128 a, uint64_t d, uint64_t *rem)
{
#if TCPSIM_U128_NATIVE
    unsigned __int128 n = ((unsigned __int128)a.hi << 64) | a.lo;
    unsigned __int128 q = n / d;
    if (rem) {
        *rem = (uint64_t)(n % d);
    }
    u128 r = {(uint64_t)(q >> 64), (uint64_t)q};
    return r;
#else
    /* The high word first, then the low word one bit at a time (restoring division). */
    u128 q = {a.hi / d, 0};
    uint64_t r = a.hi % d;
    for (int i = 63; i >= 0; i--) {
        bool carry = (r >> 63) != 0;
        r = (r << 1) | ((a.lo >> i) & 1u);
        if (carry || r >= d) {
            r -= d;
            q.lo |= UINT64_C(1) << i;
        }
    }
    if (rem) {
        *rem = r;
    }
    return q;
#endif
}

#endif
