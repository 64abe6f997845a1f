/* SPDX-License-Identifier: MIT */
/*
 * test_pcap.c: the pcap sink, read back with tcpsim's own decoder.
 *
 * A scenario runs with the text trace (absolute numbers) and a capture; every record of
 * the capture must decode to exactly the segment the trace shows at that capture point,
 * at the same time, with valid checksums; a packet corrupted on the link must be in the
 * capture as it arrived: one byte away from the traced segment, and refused by the
 * decoder.
 */
#include <CUnit/CUnit.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <tcpsim/scenario.h>
#include <unistd.h>

#include "sim/trace/fmt_tcpdump.h"
#include "sim/trace/sink_pcap.h"

/* Text payload, pattern payload, a lost segment, corruption both ways, a close. */
static const char scenario[] =
    "link both delay 10ms\n"
    "link A->B corrupt 10%\n"
    "link B->A corrupt 10%\n"
    "link A->B loss 5%\n"
    "seed 3\n"
    "0 B listen 80\n"
    "0 A connect B:80 as c\n"
    "+0 B accept 80 as s\n"
    "100ms A send c \"GET /pcap HTTP/1.0\\r\\n\\r\\n\"\n"
    "+0 A send c 30000\n"
    "+0 B recv s 30022\n"
    "+0 B send s 5000\n"
    "+0 A recv c 5000\n"
    "20s A close c\n"
    "+0 B close s\n";

/* A trace line reduced to what a capture shows: time, and the tcpdump body. */
struct seen {
    int64_t at;
    char *body;
    bool corrupted;
};

static guint32
rd32(const guint8 *p)
{
    return (guint32)p[0] | (guint32)p[1] << 8 | (guint32)p[2] << 16 | (guint32)p[3] << 24;
}

static int64_t
parse_time(const char *s)
{
    char *end = NULL;
    int64_t sec = g_ascii_strtoll(s, &end, 10);
    int64_t ns = g_ascii_strtoll(end + 1, NULL, 10);
    return sec * 1000000000 + ns;
}

/* The segment lines a capture at `at` ("A", "sent", "delivered") sees, in order. */
static GArray *
expected(const char *trace, const char *at)
{
    GArray *out = g_array_new(FALSE, FALSE, sizeof(struct seen));
    g_auto(GStrv) lines = g_strsplit(trace, "\n", -1);
    for (char **l = lines; *l; l++) {
        char who[32];
        char ev[32];
        char ts[32];
        if (**l == '#' || sscanf(*l, "%31s %31s %31s", ts, who, ev) != 3) {
            continue;
        }
        bool sent = strcmp(ev, "sent") == 0;
        bool delivered = strcmp(ev, "delivered") == 0;
        const char *arrow = strstr(who, "->");
        if (arrow == NULL || !(sent || delivered)) {
            continue;
        }
        bool want = strcmp(at, "sent") == 0 ? sent
                    : strcmp(at, "delivered") == 0
                        ? delivered
                        : (sent && strncmp(who, at, (size_t)(arrow - who)) == 0) ||
                              (delivered && strcmp(arrow + 2, at) == 0);
        if (!want) {
            continue;
        }
        const char *body = strstr(*l, " 10.0.0.");
        struct seen s = {.at = parse_time(ts), .body = g_strdup(body + 1)};
        char *note = strstr(s.body, ", length ");
        note = note ? strchr(note + 9, ' ') : NULL;
        if (note) { /* the annotation is the trace's, not the packet's */
            s.corrupted = strstr(note, "(corrupted)") != NULL;
            *note = '\0';
        }
        g_array_append_val(out, s);
    }
    return out;
}

static char *
format(const struct tcp_seg *seg)
{
    char line[2048];
    struct strbuf sb;
    sb_init(&sb, line, sizeof line);
    fmt_tcpdump_seg(&sb, seg, NULL);
    return g_strdup(line);
}

/* A corrupted record: some single-byte change makes it decode to the traced segment. */
static bool
one_byte_from(guint8 *pkt, size_t n, const char *body)
{
    for (size_t i = 0; i < n; i++) {
        for (unsigned m = 1; m < 256; m++) {
            pkt[i] ^= (guint8)m;
            struct tcp_seg seg;
            bool ok = tcp_seg_decode(pkt, n, &seg) == TCP_DECODE_OK;
            g_autofree char *got = ok ? format(&seg) : NULL;
            pkt[i] ^= (guint8)m;
            if (ok && strcmp(got, body) == 0) {
                return true;
            }
        }
    }
    return false;
}

/* Runs the scenario; returns the trace text and the capture's bytes. */
static void
run(const char *at, char **trace, guint8 **pcap, gsize *pcap_len)
{
    GError *e = NULL;
    struct tcpsim_scenario *scn = tcpsim_scenario_parse("pcap.scn", scenario, strlen(scenario), &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
    g_autofree char *tpath = g_strdup_printf("%s/pcap-test-%d.trace", g_get_tmp_dir(), getpid());
    g_autofree char *ppath = g_strdup_printf("%s/pcap-test-%d.pcap", g_get_tmp_dir(), getpid());
    struct tcpsim_run_options opts = {
        .trace_path = tpath, .absolute_seq = true, .pcap_path = ppath, .pcap_at = at};
    struct tcpsim_run_result res;
    CU_ASSERT_TRUE_FATAL(tcpsim_scenario_run(scn, &opts, &res, &e));
    tcpsim_run_result_clear(&res);
    tcpsim_scenario_free(scn);
    CU_ASSERT_TRUE_FATAL(g_file_get_contents(tpath, trace, NULL, NULL));
    CU_ASSERT_TRUE_FATAL(g_file_get_contents(ppath, (char **)pcap, pcap_len, NULL));
    g_unlink(tpath);
    g_unlink(ppath);
}

static void
check_capture(const char *at, guint *corrupted)
{
    g_autofree char *trace = NULL;
    g_autofree guint8 *pcap = NULL;
    gsize len = 0;
    run(at, &trace, &pcap, &len);
    GArray *want = expected(trace, at);
    CU_ASSERT_TRUE(want->len > 20);

    CU_ASSERT_FATAL(len >= 24);
    CU_ASSERT_EQUAL(rd32(pcap), PCAP_MAGIC_NSEC);
    CU_ASSERT_EQUAL(rd32(pcap + 16), PCAP_SNAPLEN);
    CU_ASSERT_EQUAL(rd32(pcap + 20), PCAP_LINKTYPE_RAW);
    size_t off = 24;
    guint i = 0;
    for (; off + 16 <= len && i < want->len; i++) {
        struct seen *s = &g_array_index(want, struct seen, i);
        guint32 caplen = rd32(pcap + off + 8);
        CU_ASSERT_EQUAL_FATAL(caplen, rd32(pcap + off + 12));
        CU_ASSERT_FATAL(off + 16 + caplen <= len);
        CU_ASSERT_EQUAL(rd32(pcap + off) * (int64_t)1000000000 + rd32(pcap + off + 4), s->at);
        guint8 *pkt = pcap + off + 16;
        struct tcp_seg seg;
        enum tcp_decode_status st = tcp_seg_decode(pkt, caplen, &seg);
        if (s->corrupted) {
            CU_ASSERT_NOT_EQUAL(st, TCP_DECODE_OK);
            CU_ASSERT_TRUE(one_byte_from(pkt, caplen, s->body));
            (*corrupted)++;
        } else {
            CU_ASSERT_EQUAL(st, TCP_DECODE_OK);
            g_autofree char *got = st == TCP_DECODE_OK ? format(&seg) : g_strdup("?");
            CU_ASSERT_STRING_EQUAL(got, s->body);
        }
        off += 16 + caplen;
    }
    CU_ASSERT_EQUAL(i, want->len);
    CU_ASSERT_EQUAL(off, len);
    for (guint k = 0; k < want->len; k++) {
        g_free(g_array_index(want, struct seen, k).body);
    }
    g_array_free(want, TRUE);
}

static void
test_pcap_at_host_matches_trace(void)
{
    guint corrupted = 0;
    check_capture("A", &corrupted);
    check_capture("B", &corrupted);
    CU_ASSERT_TRUE(corrupted > 0); /* the scenario does corrupt something each way */
}

static void
test_pcap_at_sent_and_delivered_match_trace(void)
{
    guint corrupted = 0;
    check_capture("sent", &corrupted);
    CU_ASSERT_EQUAL(corrupted, 0);
    check_capture("delivered", &corrupted);
    CU_ASSERT_TRUE(corrupted > 0);
}

static bool
contains(const guint8 *hay, gsize n, const char *needle)
{
    size_t k = strlen(needle);
    for (gsize i = 0; i + k <= n; i++) {
        if (memcmp(hay + i, needle, k) == 0) {
            return true;
        }
    }
    return false;
}

/* The payload bytes are the scenario's text where it wrote text, then the pattern at the
 * stream offset that follows (22 bytes of text: the pattern resumes at 'w'). */
static void
test_pcap_carries_text_payload(void)
{
    g_autofree char *trace = NULL;
    g_autofree guint8 *pcap = NULL;
    gsize len = 0;
    run("sent", &trace, &pcap, &len);
    CU_ASSERT_TRUE(contains(pcap, len, "GET /pcap HTTP/1.0\r\n\r\n"));
    CU_ASSERT_TRUE(contains(pcap, len, "wxyzabcdefghijklmnopqrstuvwxyzabc"));
}

static void
test_pcap_unknown_point_is_refused(void)
{
    GError *e = NULL;
    struct tcpsim_scenario *scn = tcpsim_scenario_parse("pcap.scn", scenario, strlen(scenario), &e);
    g_autofree char *ppath = g_strdup_printf("%s/pcap-bad-%d.pcap", g_get_tmp_dir(), getpid());
    struct tcpsim_run_options opts = {.no_trace = true, .pcap_path = ppath, .pcap_at = "C"};
    struct tcpsim_run_result res;
    CU_ASSERT_FALSE(tcpsim_scenario_run(scn, &opts, &res, &e));
    CU_ASSERT_PTR_NOT_NULL(e != NULL ? strstr(e->message, "expected a host (A, B)") : NULL);
    CU_ASSERT_FALSE(g_file_test(ppath, G_FILE_TEST_EXISTS));
    g_clear_error(&e);
    tcpsim_scenario_free(scn);
}

/* Forged segments without the ACK bit (RST, SYN) leave the acknowledgment field zero
 * on the wire, as real senders do; with it, the field is the right acknowledgment. */
static void
test_pcap_forged_segments_without_ack_carry_no_ack_number(void)
{
    static const char forge[] = "link both delay 10ms\n"
                                "0 B listen 80\n"
                                "0 A connect B:80 as c\n"
                                "+0 B accept 80 as s\n"
                                "500ms inject A->B rst seq outside for s\n"
                                "1s inject A->B syn seq window for s\n"
                                "2s inject A->B ack for s\n";
    GError *e = NULL;
    struct tcpsim_scenario *scn = tcpsim_scenario_parse("forge.scn", forge, strlen(forge), &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(scn);
    g_autofree char *ppath = g_strdup_printf("%s/pcap-forge-%d.pcap", g_get_tmp_dir(), getpid());
    struct tcpsim_run_options opts = {.no_trace = true, .pcap_path = ppath, .pcap_at = "sent"};
    struct tcpsim_run_result res;
    CU_ASSERT_TRUE_FATAL(tcpsim_scenario_run(scn, &opts, &res, &e));
    tcpsim_run_result_clear(&res);
    tcpsim_scenario_free(scn);
    g_autofree guint8 *pcap = NULL;
    gsize len = 0;
    CU_ASSERT_TRUE_FATAL(g_file_get_contents(ppath, (char **)&pcap, &len, NULL));
    g_unlink(ppath);
    unsigned without_ack = 0;
    for (size_t off = 24; off + 16 <= len;) {
        guint32 caplen = rd32(pcap + off + 8);
        struct tcp_seg seg;
        CU_ASSERT_EQUAL_FATAL(tcp_seg_decode(pcap + off + 16, caplen, &seg), TCP_DECODE_OK);
        if (!seg_has(&seg, TCP_ACK)) {
            CU_ASSERT_EQUAL(seg.ack, 0);
            without_ack++;
        }
        off += 16 + caplen;
    }
    CU_ASSERT_EQUAL(without_ack, 3); /* A's SYN, the forged RST and the forged SYN */
}

static CU_TestInfo pcap_tests[] = {
    {"a capture on a host decodes to the trace's segments", test_pcap_at_host_matches_trace},
    {"captures of sent and delivered segments decode to the trace's",
     test_pcap_at_sent_and_delivered_match_trace},
    {"payload bytes are the scenario's text, then the pattern", test_pcap_carries_text_payload},
    {"an unknown capture point is refused, no file written", test_pcap_unknown_point_is_refused},
    {"forged RST and SYN leave the acknowledgment field zero",
     test_pcap_forged_segments_without_ack_carry_no_ack_number},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo trace_pcap_suites[] = {
    {"trace: pcap sink", NULL, NULL, NULL, NULL, pcap_tests},
    CU_SUITE_INFO_NULL,
};
