/* SPDX-License-Identifier: MIT */
/*
 * tcpsim/units.h: parsing of times, sizes, rates and probabilities.
 *
 * Every quantity is an integer: times in nanoseconds, sizes in bytes, rates in bits per
 * second, probabilities in parts per billion. Decimal input ("1.5s", "0.5%") is accepted
 * only when it is exact in those units; nothing is rounded silently. Errors say what was
 * expected; callers that know a location prefix it.
 */
#ifndef TCPSIM_UNITS_H
#define TCPSIM_UNITS_H

#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

#define TCPSIM_UNITS_ERROR (tcpsim_units_error_quark())
GQuark tcpsim_units_error_quark(void);

/* "10ms", "1.5s", "250us", "3ns", "2min". A bare number is in `bare_unit_ns`
 * nanoseconds; pass 0 to require a unit. */
gboolean tcpsim_parse_time(const char *s, int64_t bare_unit_ns, int64_t *out, GError **error);

/* "1460", "64KiB", "1MB" (decimal K/M/G = 1000, binary Ki/Mi/Gi = 1024). */
gboolean tcpsim_parse_size(const char *s, uint64_t *out, GError **error);

/* "10Mbps", "1Gbps", "64kbps", "1.5Mbps". */
gboolean tcpsim_parse_rate(const char *s, uint64_t *out_bps, GError **error);

/* "1%", "0.01", "0.5%". Result in parts per billion, 0..1e9. */
gboolean tcpsim_parse_prob(const char *s, uint32_t *out_ppb, GError **error);

/* A non-negative integer that fits in int64 (no unit). */
gboolean tcpsim_parse_int(const char *s, int64_t *out, GError **error);

/* Formats a time compactly for messages: "1s", "10ms", "1.5s", "250us". */
char *tcpsim_format_time(int64_t ns);

G_END_DECLS

#endif
