/* SPDX-License-Identifier: MIT */
/*
 * test_replay_gone.c: tcpsim replay's inference where what the application did is
 * furthest from the wire: a connection lost in a crash, data queued behind a window too
 * small for a segment (a persist timer's probe) or the congestion window (a loss
 * probe's new data), a reader that takes each burst, a PSH that Linux's forced push
 * placed inside a write.
 */
#include <CUnit/CUnit.h>
#include <string.h>

#include "capbuild.h"

/* The script (then "--guesses--" and the guesses) inferred for A from `c`, with the
 * decision `key` turned (NULL: none); the scenario in *scn when asked. */
static char *
inferred(struct capbuf *c, gpointer key, char **scn)
{
    struct capture *r = rcap_from_bytes("t.pcap", c->b->data, c->b->len, NULL);
    GPtrArray *all = rconn_find(r, NULL, NULL);
    GHashTable *flip = g_hash_table_new(NULL, NULL);
    if (key != NULL) {
        g_hash_table_add(flip, key);
    }
    struct rscript sc = {0};
    rinfer_script(r, g_ptr_array_index(all, 0), flip, &sc);
    char *t = g_strconcat(sc.text->str, "--guesses--\n", sc.guesses->str, NULL);
    if (scn != NULL) {
        GString *o = g_string_new(NULL);
        const char *why = NULL;
        rinfer_scenario(r, g_ptr_array_index(all, 0), o, &why);
        *scn = g_string_free(o, FALSE);
    }
    g_hash_table_destroy(flip);
    rscript_clear(&sc);
    g_ptr_array_free(all, TRUE);
    rcap_free(r);
    g_byte_array_free(c->b, TRUE);
    return t;
}

/* A closes; B's FIN gets no answer, its retransmission a closed port's RST (seq = its
 * ACK): A lost its connection without a segment, down before the FIN it ignored and up
 * before the one it answered (the scenario: crash, reboot). No silence: no crash. */
static void
test_replay_lost_connection_is_a_crash(void)
{
    struct capbuf c = handshake_capture();
    seg(&c, 100000, true, 0x11, 1001, 5001, 63, NULL, 0, 0);
    seg(&c, 120000, false, 0x10, 5001, 1002, 64, NULL, 0, 0);
    seg(&c, 200000, false, 0x11, 5001, 1002, 64, NULL, 0, 0);
    seg(&c, 500000, false, 0x11, 5001, 1002, 64, NULL, 0, 0);
    seg(&c, 500000, true, 0x04, 1002, 0, 0, NULL, 0, 0);
    char *scn = NULL;
    g_autofree char *t = inferred(&c, NULL, &scn);
    CU_ASSERT_PTR_NOT_NULL(strstr(t, "real packetdrill cannot express this\n+0.080000 `tcpsim crash`\n+0 < F. 1:1(0)"));
    CU_ASSERT_PTR_NOT_NULL(strstr(t, "+0.300000 `tcpsim reboot`\n+0 < F. 1:1(0) ack 2 win 64\n+0 > R 2:2(0)"));
    CU_ASSERT_PTR_NOT_NULL(strstr(t, "lost its connection without a segment: host crash or reboot, inferred from the RST at capture packet 8"));
    CU_ASSERT_PTR_NOT_NULL(strstr(scn, "0.200000s  A crash\n0.500000s  A reboot\n"));
    g_free(scn);
    struct capbuf d = handshake_capture();
    seg(&d, 100000, true, 0x11, 1001, 5001, 63, NULL, 0, 0);
    seg(&d, 120000, false, 0x10, 5001, 1002, 64, NULL, 0, 0);
    seg(&d, 200000, false, 0x11, 5001, 1002, 64, NULL, 0, 0);
    seg(&d, 200000, true, 0x04, 1002, 0, 0, NULL, 0, 0);
    g_autofree char *u = inferred(&d, NULL, NULL);
    CU_ASSERT_PTR_NULL(strstr(u, "tcpsim crash"));
}

/* All A sent is acknowledged with a 1024-byte window (scale 10), less than a segment;
 * 200 ms later, on no arrival, A sends exactly 1024 bytes (its persist timer's probe)
 * and the rest when the window opens: the data was queued when the small window came,
 * and is written then, not as it leaves. */
static void
test_replay_window_probe_was_queued(void)
{
    struct capbuf c = handshake_capture();
    seg(&c, 30000, true, 0x18, 1001, 5001, 63, NULL, 0, 1000);
    seg(&c, 50000, false, 0x10, 5001, 2001, 1, NULL, 0, 0);
    seg(&c, 250000, true, 0x18, 2001, 5001, 63, NULL, 0, 1024);
    seg(&c, 270000, false, 0x10, 5001, 3025, 64, NULL, 0, 0);
    seg(&c, 270000, true, 0x18, 3025, 5001, 63, NULL, 0, 500);
    g_autofree char *t = inferred(&c, NULL, NULL);
    CU_ASSERT_PTR_NOT_NULL(strstr(t, "ack 1001 win 1\n+0 write(3, ..., 1524) = 1524\n+0.200000 > P. 1001:2025(1024)"));
    CU_ASSERT_EQUAL(count_of(t, "write("), 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(t, "left as a window probe"));
}

/* Two segments of B's at one instant, one 10 ms later: the burst reader reads the two
 * together once the burst is in. */
static void
test_replay_burst_reader(void)
{
    struct capbuf c = handshake_capture();
    seg(&c, 30000, false, 0x10, 5001, 1001, 64, NULL, 0, 1000);
    seg(&c, 30000, true, 0x10, 1001, 6001, 64, NULL, 0, 0);
    seg(&c, 30000, false, 0x18, 6001, 1001, 64, NULL, 0, 1000);
    seg(&c, 30000, true, 0x10, 1001, 7001, 65, NULL, 0, 0);
    seg(&c, 40000, false, 0x18, 7001, 1001, 64, NULL, 0, 1000);
    seg(&c, 40000, true, 0x10, 1001, 8001, 66, NULL, 0, 0);
    g_autofree char *t = inferred(&c, RSCRIPT_BURST, NULL);
    CU_ASSERT_PTR_NOT_NULL(strstr(t, "win 65\n+0 read(3, ..., 2000) = 2000\n+0.010000 < P. 2001:3001(1000)"));
    CU_ASSERT_EQUAL(count_of(t, "read("), 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(t, "at the end of each burst"));
}

/* A sends two segments and, 50 ms later with both unacknowledged, a third on no
 * arrival: a loss probe's new data, or a write then. First guess: written as it leaves;
 * turned (a candidate), written with the segment before it, held by the window. */
static void
test_replay_data_sent_on_a_timer(void)
{
    struct capbuf c = handshake_capture();
    seg(&c, 30000, true, 0x10, 1001, 5001, 63, NULL, 0, 1448);
    seg(&c, 30000, true, 0x18, 2449, 5001, 63, NULL, 0, 1448);
    seg(&c, 80000, true, 0x18, 3897, 5001, 63, NULL, 0, 1448);
    seg(&c, 100000, false, 0x10, 5001, 5345, 64, NULL, 0, 0);
    struct capbuf d = {g_byte_array_new()};
    g_byte_array_append(d.b, c.b->data, c.b->len);
    g_autofree char *t = inferred(&c, NULL, NULL);
    CU_ASSERT_PTR_NOT_NULL(strstr(t, "+0.050000 write(3, ..., 1448) = 1448\n+0 > P. 2897:4345"));
    g_autofree char *u = inferred(&d, GUINT_TO_POINTER(5 + 1), NULL);
    CU_ASSERT_PTR_NOT_NULL(strstr(u, "> P. 1449:2897(1448) ack 1 win 63\n+0 write(3, ..., 1448) = 1448\n+0.050000 > P. 2897:4345"));
    CU_ASSERT_PTR_NOT_NULL(strstr(u, "left on a timer with data in flight"));
}

/* Linux's forced push (forced_push(), tcp_mark_push()): a write marks PSH on the skb it
 * fills once more than half the peer's largest window (20000: 10000 bytes) was written
 * since the last mark, and each TSO packet of two segments ends with PSH. A ends a
 * write at 2921, then sends TSO packets of two segments as the ACKs let it, with PSH
 * at 5841 and 13141: 13141 lies 10220 bytes past the mark at 2921, so its PSH may be a
 * forced push, the one at 5841 a TSO packet's. First guess: four writes, each PSH an
 * end; turned (the candidate at capture index 13), one write from 2921 to 16061. */
static void
test_replay_forced_push_psh(void)
{
    static const uint8_t mss_opts[] = {2, 4, 0x05, 0xb4}; /* mss 1460, no wscale */
    struct capbuf c = cap_new(101);
    seg(&c, 0, true, 0x02, 1000, 0, 64240, mss_opts, sizeof mss_opts, 0);
    seg(&c, 20000, false, 0x12, 5000, 1001, 20000, mss_opts, sizeof mss_opts, 0);
    seg(&c, 20000, true, 0x10, 1001, 5001, 64240, NULL, 0, 0);
    seg(&c, 100000, true, 0x10, 1001, 5001, 64240, NULL, 0, 1460);
    seg(&c, 100000, true, 0x18, 2461, 5001, 64240, NULL, 0, 1460); /* a write's end */
    seg(&c, 120000, false, 0x10, 5001, 3921, 20000, NULL, 0, 0);
    seg(&c, 120000, true, 0x10, 3921, 5001, 64240, NULL, 0, 1460);
    seg(&c, 120000, true, 0x18, 5381, 5001, 64240, NULL, 0, 1460); /* a TSO packet's */
    seg(&c, 140000, false, 0x10, 5001, 6841, 20000, NULL, 0, 0);
    for (uint32_t s = 6841; s < 14141; s += 1460) {
        seg(&c, 140000, true, s == 12681 ? 0x18 : 0x10, s, 5001, 64240, NULL, 0, 1460);
    }
    seg(&c, 160000, false, 0x10, 5001, 14141, 20000, NULL, 0, 0);
    seg(&c, 160000, true, 0x10, 14141, 5001, 64240, NULL, 0, 1460);
    seg(&c, 160000, true, 0x18, 15601, 5001, 64240, NULL, 0, 1460);
    seg(&c, 180000, false, 0x10, 5001, 17061, 20000, NULL, 0, 0);
    struct capture *r = rcap_from_bytes("t.pcap", c.b->data, c.b->len, NULL);
    GPtrArray *all = rconn_find(r, NULL, NULL);
    struct rscript sc = {0};
    rinfer_script(r, g_ptr_array_index(all, 0), NULL, &sc);
    CU_ASSERT_EQUAL(count_of(sc.text->str, "write("), 4);
    CU_ASSERT_PTR_NOT_NULL(strstr(sc.text->str, "write(3, ..., 7300) = 7300\n"));
    bool cand = false; /* the PSH at 13141 (index 13) is open; the one at 5841 is not */
    for (guint i = 0; i < sc.pshs->len; i++) {
        cand = cand || g_array_index(sc.pshs, guint, i) == 13;
        CU_ASSERT_NOT_EQUAL(g_array_index(sc.pshs, guint, i), 7);
    }
    CU_ASSERT_TRUE(cand);
    rscript_clear(&sc);
    GHashTable *flip = g_hash_table_new(NULL, NULL);
    g_hash_table_add(flip, GUINT_TO_POINTER(13 + 1));
    rinfer_script(r, g_ptr_array_index(all, 0), flip, &sc);
    CU_ASSERT_PTR_NOT_NULL(strstr(sc.text->str, "write(3, ..., 2920) = 2920\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(sc.text->str, "write(3, ..., 13140) = 13140\n"));
    CU_ASSERT_EQUAL(count_of(sc.text->str, "write("), 2);
    g_hash_table_destroy(flip);
    rscript_clear(&sc);
    g_ptr_array_free(all, TRUE);
    rcap_free(r);
    g_byte_array_free(c.b, TRUE);
}

static CU_TestInfo replay_gone_tests[] = {
    {"silence, then a closed port's RST: a crash", test_replay_lost_connection_is_a_crash},
    {"a persist timer's probe: its data was queued", test_replay_window_probe_was_queued},
    {"a reader that takes each burst once it is in", test_replay_burst_reader},
    {"new data on a timer with data in flight", test_replay_data_sent_on_a_timer},
    {"a PSH past half the peer's window: a forced push", test_replay_forced_push_psh},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo replay_gone_suites[] = {
    {"replay: crash, probes, burst reader", NULL, NULL, NULL, NULL, replay_gone_tests},
    CU_SUITE_INFO_NULL,
};
