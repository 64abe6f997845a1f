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

static CU_TestInfo units_tests[] = {
    {"times with units and decimals", test_units_times},
    {"bad times are refused with a reason", test_units_bad_times},
    {"sizes and rates", test_units_sizes_rates},
    {"probabilities in parts per billion", test_units_probabilities},
    {"times format compactly", test_units_format},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo engine_units_suites[] = {
    {"engine: units", NULL, NULL, NULL, NULL, units_tests},
    CU_SUITE_INFO_NULL,
};
