/* SPDX-License-Identifier: MIT */
/*
 * test_gz.c: gzip in memory: round trips, and every way a hostile .gz is refused.
 */
#include <CUnit/CUnit.h>
#include <glib.h>
#include <string.h>

#include "sim/diff/gz.h"

static char *
trace_like_text(size_t *len)
{
    GString *s = g_string_new(NULL);
    for (unsigned i = 0; i < 20000; i++) {
        g_string_append_printf(s, "0.%06u A->B sent 10.0.0.1.%u > 10.0.0.2.80: Flags [.], ack %u\n",
                               i, 40000 + i % 7, i * 1448u);
    }
    *len = s->len;
    return g_string_free(s, FALSE);
}

static void
test_gz_round_trip_is_exact_and_deterministic(void)
{
    size_t len = 0;
    g_autofree char *text = trace_like_text(&len);
    GError *e = NULL;
    GBytes *z1 = gz_deflate(text, len, &e);
    GBytes *z2 = gz_deflate(text, len, &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(z1);
    CU_ASSERT_TRUE(g_bytes_equal(z1, z2)); /* no time, no name in the header */
    gsize zlen = 0;
    const guint8 *z = g_bytes_get_data(z1, &zlen);
    CU_ASSERT(zlen < len / 4);
    CU_ASSERT(z[0] == 0x1f && z[1] == 0x8b); /* RFC 1952 magic */
    CU_ASSERT(z[4] == 0 && z[5] == 0 && z[6] == 0 && z[7] == 0); /* MTIME 0 */
    size_t n = 0;
    g_autofree char *back = gz_inflate("t.gz", z, zlen, 1u << 30, &n, &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(back);
    CU_ASSERT_EQUAL(n, len);
    CU_ASSERT_EQUAL(memcmp(back, text, len), 0);
    CU_ASSERT_EQUAL(back[n], '\0');
    g_bytes_unref(z1);
    g_bytes_unref(z2);
}

static void
test_gz_empty_text_round_trips(void)
{
    GError *e = NULL;
    GBytes *z = gz_deflate("", 0, &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(z);
    gsize zlen = 0;
    const void *zd = g_bytes_get_data(z, &zlen);
    size_t n = 99;
    g_autofree char *back = gz_inflate("e.gz", zd, zlen, 10, &n, &e);
    CU_ASSERT_PTR_NOT_NULL(back);
    CU_ASSERT_EQUAL(n, 0);
    g_bytes_unref(z);
}

static void
expect_refused(const void *data, size_t len, size_t max, const char *words)
{
    GError *e = NULL;
    size_t n = 0;
    char *out = gz_inflate("x.gz", data, len, max, &n, &e);
    CU_ASSERT_PTR_NULL(out);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_TRUE(g_str_has_prefix(e->message, "x.gz: "));
    CU_ASSERT_PTR_NOT_NULL(strstr(e->message, words));
    g_free(out);
    g_error_free(e);
}

static void
test_gz_refuses_garbage_truncation_and_bombs(void)
{
    expect_refused("not gzip at all", 15, 1000, "not a gzip file");
    expect_refused("", 0, 1000, "cut short");

    size_t len = 0;
    g_autofree char *text = trace_like_text(&len);
    GBytes *z = gz_deflate(text, len, NULL);
    gsize zlen = 0;
    const guint8 *zd = g_bytes_get_data(z, &zlen);
    expect_refused(zd, zlen / 2, 1u << 30, "cut short");
    expect_refused(zd, zlen - 4, 1u << 30, "cut short"); /* the length trailer lost */

    guint8 *bad = g_memdup2(zd, zlen);
    bad[zlen - 5] ^= 0xff; /* CRC-32 no longer matches */
    expect_refused(bad, zlen, 1u << 30, "not a gzip file");
    g_free(bad);

    /* Expands past the limit: refused at the limit, not after inflating it all. */
    expect_refused(zd, zlen, len - 1, "larger than");
    size_t n = 0;
    g_autofree char *exact = gz_inflate("x.gz", zd, zlen, len, &n, NULL);
    CU_ASSERT_PTR_NOT_NULL(exact);
    g_bytes_unref(z);

    /* 64 MiB of zeros compresses to ~64 KiB; a 1 MiB limit stops it. */
    size_t big = 64u << 20;
    char *zeros = g_malloc0(big);
    GBytes *bomb = gz_deflate(zeros, big, NULL);
    g_free(zeros);
    gsize blen = 0;
    const void *bd = g_bytes_get_data(bomb, &blen);
    CU_ASSERT(blen < big / 500);
    expect_refused(bd, blen, 1u << 20, "larger than 1048576 bytes");
    g_bytes_unref(bomb);
}

static CU_TestInfo gz_tests[] = {
    {"a trace round-trips exactly, and the same text gives the same bytes",
     test_gz_round_trip_is_exact_and_deterministic},
    {"the empty text round-trips", test_gz_empty_text_round_trips},
    {"garbage, truncation, a bad CRC and a gzip bomb are refused with the file's name",
     test_gz_refuses_garbage_truncation_and_bombs},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo diff_gz_suites[] = {
    {"diff: gzip", NULL, NULL, NULL, NULL, gz_tests},
    CU_SUITE_INFO_NULL,
};
