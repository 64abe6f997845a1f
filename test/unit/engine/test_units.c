/* SPDX-License-Identifier: MIT */
/*
 * test_units.c: times, sizes, rates and probabilities, parsed exactly.
 */
#include <CUnit/CUnit.h>
#include <glib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <tcpsim/units.h>

#include "sim/engine/time.h"
/* The portable halves-of-64-bits path, whatever the compiler offers (u128.h). */
#define TCPSIM_U128_PORTABLE 1
#include "sim/engine/u128.h"

static void
test_units_times(void)
{
    int64_t t = 0;
    CU_ASSERT_TRUE(tcpsim_parse_time("10ms", 0, &t, NULL));
    CU_ASSERT_EQUAL(t, MS(10));
    CU_ASSERT_TRUE(tcpsim_parse_time("1.5s", 0, &t, NULL));
    CU_ASSERT_EQUAL(t, MS(1500));
    CU_ASSERT_TRUE(tcpsim_parse_time("250us", 0, &t, NULL));
    CU_ASSERT_EQUAL(t, US(250));
    CU_ASSERT_TRUE(tcpsim_parse_time("3ns", 0, &t, NULL));
    CU_ASSERT_EQUAL(t, 3);
    CU_ASSERT_TRUE(tcpsim_parse_time("2min", 0, &t, NULL));
    CU_ASSERT_EQUAL(t, SEC(120));
    CU_ASSERT_TRUE(tcpsim_parse_time("1.5h", 0, &t, NULL));
    CU_ASSERT_EQUAL(t, SEC(5400));
    CU_ASSERT_TRUE(tcpsim_parse_time("60", SEC(1), &t, NULL)); /* a bare number in seconds */
    CU_ASSERT_EQUAL(t, SEC(60));
}

static void
test_units_bad_times(void)
{
    int64_t t = 0;
    GError *e = NULL;
    CU_ASSERT_FALSE(tcpsim_parse_time("10", 0, &t, &e)); /* a unit is required */
    CU_ASSERT_PTR_NOT_NULL(strstr(e->message, "unit is required"));
    g_clear_error(&e);
    CU_ASSERT_FALSE(tcpsim_parse_time("10parsecs", 0, &t, &e));
    CU_ASSERT_PTR_NOT_NULL(strstr(e->message, "unknown unit \"parsecs\""));
    g_clear_error(&e);
    CU_ASSERT_FALSE(tcpsim_parse_time("1.5ns", 0, &t, &e)); /* not a whole nanosecond */
    g_clear_error(&e);
    CU_ASSERT_FALSE(tcpsim_parse_time("-1s", 0, &t, &e));
    g_clear_error(&e);
    CU_ASSERT_FALSE(tcpsim_parse_time("99999999999999999999s", 0, &t, &e));
    g_clear_error(&e);
    CU_ASSERT_FALSE(tcpsim_parse_time("", 0, &t, &e));
    g_clear_error(&e);
    CU_ASSERT_FALSE(tcpsim_parse_time("1..2s", 0, &t, &e));
    g_clear_error(&e);
}

static void
test_units_sizes_rates(void)
{
    uint64_t v = 0;
    CU_ASSERT_TRUE(tcpsim_parse_size("1460", &v, NULL));
    CU_ASSERT_EQUAL(v, 1460);
    CU_ASSERT_TRUE(tcpsim_parse_size("64KiB", &v, NULL));
    CU_ASSERT_EQUAL(v, 65536);
    CU_ASSERT_TRUE(tcpsim_parse_size("1MB", &v, NULL));
    CU_ASSERT_EQUAL(v, 1000000);
    CU_ASSERT_TRUE(tcpsim_parse_size("1.5KiB", &v, NULL));
    CU_ASSERT_EQUAL(v, 1536);
    CU_ASSERT_FALSE(tcpsim_parse_size("1.1B", &v, NULL));
    CU_ASSERT_FALSE(tcpsim_parse_size("3 apples", &v, NULL));
    CU_ASSERT_TRUE(tcpsim_parse_rate("10Mbps", &v, NULL));
    CU_ASSERT_EQUAL(v, 10000000);
    CU_ASSERT_TRUE(tcpsim_parse_rate("1.5Gbps", &v, NULL));
    CU_ASSERT_EQUAL(v, 1500000000);
    CU_ASSERT_FALSE(tcpsim_parse_rate("10", &v, NULL)); /* a unit is required */
}

static void
test_units_probabilities(void)
{
    uint32_t p = 0;
    CU_ASSERT_TRUE(tcpsim_parse_prob("1%", &p, NULL));
    CU_ASSERT_EQUAL(p, 10000000);
    CU_ASSERT_TRUE(tcpsim_parse_prob("0.01", &p, NULL));
    CU_ASSERT_EQUAL(p, 10000000);
    CU_ASSERT_TRUE(tcpsim_parse_prob("0.5%", &p, NULL));
    CU_ASSERT_EQUAL(p, 5000000);
    CU_ASSERT_TRUE(tcpsim_parse_prob("100%", &p, NULL));
    CU_ASSERT_EQUAL(p, 1000000000);
    CU_ASSERT_FALSE(tcpsim_parse_prob("101%", &p, NULL));
    CU_ASSERT_FALSE(tcpsim_parse_prob("2", &p, NULL));
    CU_ASSERT_FALSE(tcpsim_parse_prob("0.0000000001", &p, NULL)); /* finer than 1e-9 */
}

static void
test_units_format(void)
{
    char *s = tcpsim_format_time(SEC(1));
    CU_ASSERT_STRING_EQUAL(s, "1s");
    g_free(s);
    s = tcpsim_format_time(MS(1500));
    CU_ASSERT_STRING_EQUAL(s, "1500ms");
    g_free(s);
    s = tcpsim_format_time(0);
    CU_ASSERT_STRING_EQUAL(s, "0s");
    g_free(s);
    s = tcpsim_format_time(483846484);
    CU_ASSERT_STRING_EQUAL(s, "483.846484ms");
    g_free(s);
    s = tcpsim_format_time(SEC(2) + 5);
    CU_ASSERT_STRING_EQUAL(s, "2.000000005s");
    g_free(s);
}

/* 128-bit helpers without __int128: products, overflow, division, as a 32-bit build does. */
static void
test_units_u128_portable(void)
{
    CU_ASSERT_EQUAL(TCPSIM_U128_NATIVE, 0);
    u128 p = u128_mul64(UINT64_MAX, UINT64_MAX); /* 2^128 - 2^65 + 1 */
    CU_ASSERT_EQUAL(p.hi, UINT64_MAX - 1);
    CU_ASSERT_EQUAL(p.lo, 1);
    p = u128_mul64(UINT64_C(1000000000000), UINT64_C(1000000000000000)); /* 10^27 */
    CU_ASSERT_EQUAL(p.hi, UINT64_C(54210108));
    CU_ASSERT_EQUAL(p.lo, UINT64_C(11515845246265065472));
    uint64_t rem = 1;
    u128 q = u128_divmod64(p, UINT64_C(5000000000000000000), &rem);
    CU_ASSERT_EQUAL(q.hi, 0);
    CU_ASSERT_EQUAL(q.lo, 200000000);
    CU_ASSERT_EQUAL(rem, 0);
    q = u128_divmod64(u128_add64(p, 7), 10, &rem);
    CU_ASSERT_EQUAL(rem, 7);
    u128 back;
    CU_ASSERT_TRUE(u128_mul(q, 10, &back));
    CU_ASSERT_EQUAL(u128_cmp(u128_add64(back, 7), u128_add64(p, 7)), 0);
    /* A divisor above 2^63 exercises the carry out of the shifted remainder. */
    u128 big = {UINT64_C(0x8000000000000000), 12345};
    q = u128_divmod64(big, UINT64_MAX, &rem);
    u128 check;
    CU_ASSERT_TRUE(u128_mul(q, UINT64_MAX, &check));
    CU_ASSERT_EQUAL(u128_cmp(u128_add64(check, rem), big), 0);
    CU_ASSERT_TRUE(rem < UINT64_MAX);
    CU_ASSERT_FALSE(u128_mul(p, UINT64_C(1) << 40, &check)); /* 10^27 * 2^40 > 2^128 */
    CU_ASSERT_TRUE(u128_cmp(u128_from64(3), u128_from64(4)) < 0);
    CU_ASSERT_TRUE(u128_fits64(u128_from64(UINT64_MAX)));
    CU_ASSERT_FALSE(u128_fits64(u128_add64(u128_from64(UINT64_MAX), 1)));
#ifdef __SIZEOF_INT128__
    /* Against the compiler's own type over a spread of operands. */
    uint64_t x = UINT64_C(0x9E3779B97F4A7C15);
    for (int i = 0; i < 1000; i++) {
        x = x * UINT64_C(6364136223846793005) + UINT64_C(1442695040888963407);
        uint64_t a = x, b = (x >> 17) | 1, d = (x >> (i % 63)) | 1;
        unsigned __int128 n = (unsigned __int128)a * b;
        u128 m = u128_mul64(a, b);
        CU_ASSERT_EQUAL(m.hi, (uint64_t)(n >> 64));
        CU_ASSERT_EQUAL(m.lo, (uint64_t)n);
        q = u128_divmod64(m, d, &rem);
        CU_ASSERT_EQUAL(q.hi, (uint64_t)((n / d) >> 64));
        CU_ASSERT_EQUAL(q.lo, (uint64_t)(n / d));
        CU_ASSERT_EQUAL(rem, (uint64_t)(n % d));
    }
#endif
}

static CU_TestInfo units_tests[] = {
    {"times with units and decimals", test_units_times},
    {"bad times are refused with a reason", test_units_bad_times},
    {"sizes and rates", test_units_sizes_rates},
    {"probabilities in parts per billion", test_units_probabilities},
    {"times format compactly", test_units_format},
    {"128-bit arithmetic without __int128", test_units_u128_portable},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo engine_units_suites[] = {
    {"engine: units", NULL, NULL, NULL, NULL, units_tests},
    CU_SUITE_INFO_NULL,
};
