/* SPDX-License-Identifier: MIT */
/*
 * units.c: exact parsing of times, sizes, rates and probabilities.
 *
 * Entry points: tcpsim_parse_time(), tcpsim_parse_size(), tcpsim_parse_rate(),
 * tcpsim_parse_prob(), tcpsim_parse_int(). A number is read as an integer mantissa and a
 * count of decimal places; it is multiplied by its unit in 128-bit arithmetic (u128.h) and must
 * come out a whole number that fits, or the input is refused.
 */
#include <stdbool.h>
#include <string.h>
#include <tcpsim/units.h>

#include "u128.h"

G_DEFINE_QUARK(tcpsim-units-error-quark, tcpsim_units_error)

struct decimal {
    u128 mant;
    unsigned frac; /* digits after the point */
};

struct unit {
    const char *suffix;
    uint64_t mult;
};

/* Reads "123" or "1.25" from s; returns the rest of the string or NULL. */
static const char *
read_decimal(const char *s, struct decimal *d)
{
    d->mant = u128_from64(0);
    d->frac = 0;
    bool digits = false;
    bool point = false;
    for (; *s; s++) {
        if (*s >= '0' && *s <= '9') {
            u128 limit = {UINT64_C(1) << 36, 0}; /* 2^100 */
            if (u128_cmp(d->mant, limit) > 0) {
                return NULL; /* absurdly long */
            }
            u128 ten;
            (void)u128_mul(d->mant, 10, &ten); /* cannot overflow below 2^101 */
            d->mant = u128_add64(ten, (unsigned)(*s - '0'));
            digits = true;
            if (point) {
                d->frac++;
            }
        } else if (*s == '.' && !point) {
            point = true;
        } else {
            break;
        }
    }
    return digits ? s : NULL;
}

/* mant * mult / 10^frac, exact and <= max. */
static gboolean
scale(const struct decimal *d, uint64_t mult, uint64_t max, uint64_t *out)
{
    u128 v;
    if (!u128_mul(d->mant, mult, &v)) {
        return FALSE;
    }
    for (unsigned i = 0; i < d->frac; i++) {
        uint64_t rem;
        u128 q = u128_divmod64(v, 10, &rem);
        if (rem != 0) {
            return FALSE;
        }
        v = q;
    }
    if (!u128_fits64(v) || v.lo > max) {
        return FALSE;
    }
    *out = v.lo;
    return TRUE;
}

static const struct unit *
find_unit(const struct unit *units, const char *suffix)
{
    for (; units->suffix; units++) {
        if (strcmp(units->suffix, suffix) == 0) {
            return units;
        }
    }
    return NULL;
}

static gboolean
parse_with_units(const char *s, const struct unit *units, uint64_t bare_mult, uint64_t max,
                 const char *what, const char *example, uint64_t *out, GError **error)
{
    struct decimal d;
    const char *rest = s ? read_decimal(s, &d) : NULL;
    if (rest == NULL) {
        g_set_error(error, TCPSIM_UNITS_ERROR, 0, "bad %s \"%s\"; expected a number such as %s",
                    what, s ? s : "", example);
        return FALSE;
    }
    uint64_t mult = bare_mult;
    if (*rest != '\0') {
        const struct unit *u = find_unit(units, rest);
        if (u == NULL) {
            g_set_error(error, TCPSIM_UNITS_ERROR, 0,
                        "bad %s \"%s\": unknown unit \"%s\"; expected a number such as %s",
                        what, s, rest, example);
            return FALSE;
        }
        mult = u->mult;
    } else if (bare_mult == 0) {
        g_set_error(error, TCPSIM_UNITS_ERROR, 0, "bad %s \"%s\": a unit is required, as in %s",
                    what, s, example);
        return FALSE;
    }
    if (!scale(&d, mult, max, out)) {
        g_set_error(error, TCPSIM_UNITS_ERROR, 0,
                    "bad %s \"%s\": out of range or not a whole number of the base unit", what,
                    s);
        return FALSE;
    }
    return TRUE;
}

gboolean
tcpsim_parse_time(const char *s, int64_t bare_unit_ns, int64_t *out, GError **error)
{
    static const struct unit units[] = {
        {"ns", 1ull},
        {"us", 1000ull},
        {"ms", 1000000ull},
        {"s", 1000000000ull},
        {"min", 60000000000ull},
        {"h", 3600000000000ull},
        {NULL, 0},
    };
    uint64_t v = 0;
    if (strcmp(s, "0") == 0) {
        *out = 0; /* zero needs no unit, wherever a time goes (scenarios/README.md) */
        return TRUE;
    }
    if (!parse_with_units(s, units, (uint64_t)(bare_unit_ns > 0 ? bare_unit_ns : 0),
                          (uint64_t)INT64_MAX / 4, "time", "10ms, 1.5s or 250us", &v, error)) {
        return FALSE;
    }
    *out = (int64_t)v;
    return TRUE;
}

gboolean
tcpsim_parse_size(const char *s, uint64_t *out, GError **error)
{
    static const struct unit units[] = {
        {"B", 1ull},
        {"KB", 1000ull},
        {"KiB", 1024ull},
        {"MB", 1000000ull},
        {"MiB", 1048576ull},
        {"GB", 1000000000ull},
        {"GiB", 1073741824ull},
        {NULL, 0},
    };
    return parse_with_units(s, units, 1, (uint64_t)1 << 50, "size", "1460, 64KiB or 1MB", out,
                            error);
}

gboolean
tcpsim_parse_rate(const char *s, uint64_t *out_bps, GError **error)
{
    static const struct unit units[] = {
        {"bps", 1ull},
        {"kbps", 1000ull},
        {"Kbps", 1000ull},
        {"Mbps", 1000000ull},
        {"Gbps", 1000000000ull},
        {NULL, 0},
    };
    return parse_with_units(s, units, 0, (uint64_t)1 << 50, "rate", "10Mbps or 1Gbps", out_bps,
                            error);
}

gboolean
tcpsim_parse_prob(const char *s, uint32_t *out_ppb, GError **error)
{
    static const struct unit units[] = {
        {"%", 10000000ull},
        {NULL, 0},
    };
    uint64_t v = 0;
    if (!parse_with_units(s, units, 1000000000ull, 1000000000ull, "probability",
                          "1%, 0.5% or 0.01", &v, error)) {
        return FALSE;
    }
    *out_ppb = (uint32_t)v;
    return TRUE;
}

gboolean
tcpsim_parse_int(const char *s, int64_t *out, GError **error)
{
    static const struct unit none[] = {{NULL, 0}};
    uint64_t v = 0;
    if (s == NULL || strchr(s, '.') != NULL ||
        !parse_with_units(s, none, 1, (uint64_t)INT64_MAX, "number", "3 or 1000", &v, NULL)) {
        g_set_error(error, TCPSIM_UNITS_ERROR, 0,
                    "bad number \"%s\"; expected a whole number such as 3", s ? s : "");
        return FALSE;
    }
    *out = (int64_t)v;
    return TRUE;
}

char *
tcpsim_format_time(int64_t ns)
{
    static const struct {
        int64_t mult;
        const char *suffix;
    } units[] = {{INT64_C(60000000000), "min"}, {INT64_C(1000000000), "s"},
                 {INT64_C(1000000), "ms"}, {INT64_C(1000), "us"}, {INT64_C(1), "ns"}};
    if (ns == 0) {
        return g_strdup("0s");
    }
    const char *sign = ns < 0 ? "-" : "";
    uint64_t v = ns < 0 ? (uint64_t)0 - (uint64_t)ns : (uint64_t)ns;
    for (size_t i = 0; i < G_N_ELEMENTS(units); i++) {
        uint64_t m = (uint64_t)units[i].mult;
        if (v % m == 0 && (m > 1 || v < 1000)) {
            return g_strdup_printf("%s%" G_GUINT64_FORMAT "%s", sign, v / m, units[i].suffix);
        }
    }
    /* Not whole in any unit but ns: decimals of the largest unit (seconds or ms) it fills. */
    uint64_t m = v >= 1000000000u ? 1000000000u : v >= 1000000u ? 1000000u : 1000u;
    const char *suffix = m == 1000000000u ? "s" : m == 1000000u ? "ms" : "us";
    int digits = m == 1000000000u ? 9 : m == 1000000u ? 6 : 3;
    GString *s = g_string_new(sign);
    g_string_append_printf(s, "%" G_GUINT64_FORMAT ".%0*" G_GUINT64_FORMAT, v / m, digits, v % m);
    while (s->str[s->len - 1] == '0') {
        g_string_truncate(s, s->len - 1);
    }
    g_string_append(s, suffix);
    return g_string_free(s, FALSE);
}
