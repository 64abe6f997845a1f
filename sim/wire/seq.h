/* SPDX-License-Identifier: MIT */
/*
 * seq.h: sequence-number arithmetic modulo 2^32 (RFC 9293 §3.4).
 *
 * Sequence numbers are compared only through these helpers. The comparison takes the
 * difference as unsigned and tests its top bit, which avoids the implementation-defined
 * conversion of an out-of-range unsigned value to a signed type.
 */
#ifndef TCPSIM_WIRE_SEQ_H
#define TCPSIM_WIRE_SEQ_H

#include <stdbool.h>
#include <stdint.h>

typedef uint32_t tcp_seq;

static inline bool
seq_lt(tcp_seq a, tcp_seq b)
{
    return ((uint32_t)(a - b) & 0x80000000u) != 0;
}

static inline bool
seq_leq(tcp_seq a, tcp_seq b)
{
    return a == b || seq_lt(a, b);
}

static inline bool
seq_gt(tcp_seq a, tcp_seq b)
{
    return seq_lt(b, a);
}

static inline bool
seq_geq(tcp_seq a, tcp_seq b)
{
    return seq_leq(b, a);
}

/* lo <= x < hi, all modulo 2^32 (the window test of RFC 9293 §3.4). */
static inline bool
seq_in(tcp_seq x, tcp_seq lo, tcp_seq hi)
{
    return seq_leq(lo, x) && seq_lt(x, hi);
}

/* lo <= x <= hi. */
static inline bool
seq_between(tcp_seq x, tcp_seq lo, tcp_seq hi)
{
    return seq_leq(lo, x) && seq_leq(x, hi);
}

static inline tcp_seq
seq_add(tcp_seq a, uint32_t n)
{
    return (tcp_seq)(a + n);
}

/* a - b as a distance; meaningful when b is at or before a. */
static inline uint32_t
seq_diff(tcp_seq a, tcp_seq b)
{
    return (uint32_t)(a - b);
}

static inline tcp_seq
seq_max(tcp_seq a, tcp_seq b)
{
    return seq_gt(a, b) ? a : b;
}

static inline tcp_seq
seq_min(tcp_seq a, tcp_seq b)
{
    return seq_lt(a, b) ? a : b;
}

#endif
