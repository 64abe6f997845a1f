/* SPDX-License-Identifier: MIT */
/*
 * test_ladder.c: the ladder's pieces: durations, arrow labels, and the layout of rows,
 * arrows and labels from a hand-made event list.
 */
#include <CUnit/CUnit.h>
#include <string.h>

#include "sim/view/ladder.h"
#include "sim/view/ladder_label.h"
#include "sim/view/plot.h"
#include "sim/view/span.h"
#include "sim/view/svg.h"

#define A_ADDR 0x0A000001u
#define B_ADDR 0x0A000002u

static char *
span(sim_time ns)
{
    static char buf[64];
    struct strbuf sb;
    sb_init(&sb, buf, sizeof buf);
    view_span(&sb, ns);
    return buf;
}

static void
test_span_units(void)
{
    CU_ASSERT_STRING_EQUAL(span(SEC(60)), "60 s");
    CU_ASSERT_STRING_EQUAL(span(MS(59990)), "59.99 s");
    CU_ASSERT_STRING_EQUAL(span(MS(70)), "70 ms");
    CU_ASSERT_STRING_EQUAL(span(US(1500)), "1.5 ms");
    CU_ASSERT_STRING_EQUAL(span(NS(1500)), "1.5 us");
    CU_ASSERT_STRING_EQUAL(span(NS(200)), "200 ns");
    CU_ASSERT_STRING_EQUAL(span(0), "0 ns");
}

static char *
label(const struct tcp_seg *s, const struct fmt_rel *rel)
{
    static char buf[256];
    struct strbuf sb;
    sb_init(&sb, buf, sizeof buf);
    struct seg_label_how how = {.rel = rel, .wscale = -1};
    ladder_seg_label(&sb, s, &how);
    return buf;
}

static char *
label_how(const struct tcp_seg *s, const struct seg_label_how *how)
{
    static char buf[256];
    struct strbuf sb;
    sb_init(&sb, buf, sizeof buf);
    ladder_seg_label(&sb, s, how);
    return buf;
}

static void
test_label_textbook_forms(void)
{
    struct fmt_rel rel = {.seq_known = true, .seq_base = 1000, .ack_known = true,
                          .ack_base = 5000};
    struct tcp_seg syn = {.flags = TCP_SYN, .seq = 1000, .win = 100};
    CU_ASSERT_STRING_EQUAL(label(&syn, &rel), "SYN seq=0");
    struct tcp_seg synack = {.flags = TCP_SYN | TCP_ACK, .seq = 1000, .ack = 5001, .win = 100};
    CU_ASSERT_STRING_EQUAL(label(&synack, &rel), "SYN-ACK seq=0 ack=1");
    struct tcp_seg ack = {.flags = TCP_ACK, .seq = 1001, .ack = 5001, .win = 100};
    CU_ASSERT_STRING_EQUAL(label(&ack, &rel), "ACK ack=1");
    struct tcp_seg data = {.flags = TCP_PSH | TCP_ACK, .seq = 1001, .ack = 5001, .len = 100,
                           .win = 100};
    /* Data says so first, with its size: it must not look like a pure ACK. */
    CU_ASSERT_STRING_EQUAL(label(&data, &rel), "seq 1:101 (100 bytes) PSH-ACK ack=1");
    CU_ASSERT_STRING_EQUAL(label(&data, NULL), "seq 1001:1101 (100 bytes) PSH-ACK ack=5001");
}

/* --textbook: seq=x, ack=x+1, offsets from the ISNs; the ACK shows its seq too. */
static void
test_label_textbook_numbering(void)
{
    struct fmt_rel rel = {.seq_known = true, .seq_base = 1000, .ack_known = true,
                          .ack_base = 5000};
    struct seg_label_how client = {.rel = &rel, .wscale = -1, .seq_name = "x", .ack_name = "y"};
    struct seg_label_how server = {.rel = &rel, .wscale = -1, .seq_name = "y", .ack_name = "x"};
    struct tcp_seg syn = {.flags = TCP_SYN, .seq = 1000, .win = 100};
    CU_ASSERT_STRING_EQUAL(label_how(&syn, &client), "SYN seq=x");
    struct tcp_seg synack = {.flags = TCP_SYN | TCP_ACK, .seq = 1000, .ack = 5001, .win = 100};
    CU_ASSERT_STRING_EQUAL(label_how(&synack, &server), "SYN-ACK seq=y ack=x+1");
    struct tcp_seg ack = {.flags = TCP_ACK, .seq = 1001, .ack = 5001, .win = 100};
    CU_ASSERT_STRING_EQUAL(label_how(&ack, &client), "ACK seq=x+1 ack=y+1");
    struct tcp_seg data = {.flags = TCP_ACK, .seq = 1001, .ack = 5001, .len = 1460, .win = 9};
    CU_ASSERT_STRING_EQUAL(label_how(&data, &client),
                           "seq x+1:x+1461 (1460 bytes) ACK ack=y+1");
}

/* --window: the window on every segment, in bytes (scaled except on a SYN); a probe shows
 * its seq, SND.UNA-1. */
static void
test_label_window_and_probe(void)
{
    struct fmt_rel rel = {.seq_known = true, .seq_base = 0, .ack_known = true, .ack_base = 0};
    struct seg_label_how how = {.rel = &rel, .window = true, .wscale = 10};
    struct tcp_seg syn = {.flags = TCP_SYN, .seq = 0, .win = 64240};
    CU_ASSERT_STRING_EQUAL(label_how(&syn, &how), "SYN seq=0 win=64240");
    struct tcp_seg ack = {.flags = TCP_ACK, .seq = 1, .ack = 1, .win = 63};
    CU_ASSERT_STRING_EQUAL(label_how(&ack, &how), "ACK ack=1 win=64512");
    struct tcp_seg probe = {.flags = TCP_ACK, .seq = 100, .ack = 1, .win = 63,
                            .tx_cause = TCP_TX_PROBE, .tx_count = 1};
    how.window = false;
    CU_ASSERT_STRING_EQUAL(label_how(&probe, &how), "ACK seq=100 (SND.UNA-1) ack=1 (probe #1)");
}

static void
test_label_window_sack_retransmit(void)
{
    struct fmt_rel rel = {.seq_known = true, .seq_base = 0, .ack_known = true, .ack_base = 0};
    struct tcp_seg ack = {.flags = TCP_ACK, .ack = 1, .win = 0};
    CU_ASSERT_STRING_EQUAL(label(&ack, &rel), "ACK ack=1 win=0");
    ack.win = 10;
    ack.opt.nsack = 2;
    ack.opt.sack[0] = (struct tcp_sack_block){100, 200};
    ack.opt.sack[1] = (struct tcp_sack_block){300, 400};
    CU_ASSERT_STRING_EQUAL(label(&ack, &rel), "ACK ack=1 sack=100:200,300:400");
    struct tcp_seg re = {.flags = TCP_ACK, .seq = 1, .ack = 1, .len = 10, .win = 10,
                         .tx_cause = TCP_TX_RTO, .tx_count = 2};
    CU_ASSERT_STRING_EQUAL(label(&re, &rel), "seq 1:11 (10 bytes) ACK ack=1 (rto #2)");
}

/* --- layout ------------------------------------------------------------------------ */

static struct rec *
new_rec(void)
{
    static const char *const names[] = {"A", "B"};
    const struct tcpsim_addr addrs[] = {tcpsim_addr_v4(A_ADDR), tcpsim_addr_v4(B_ADDR)};
    struct rec *r = g_new0(struct rec, 1);
    rec_init(r);
    struct trace_header h = {.seed = 1, .nhosts = 2, .host_names = names, .host_addrs = addrs};
    rec_header(r, &h);
    return r;
}

static void
free_rec(struct rec *r)
{
    rec_clear(r);
    g_free(r);
}

/* A segment event on the link from `from` (0: A) with serial `serial`. */
static void
link_ev(struct rec *r, enum trace_kind k, sim_time at, int from, uint64_t serial,
        const char *reason)
{
    struct tcp_seg s = {.saddr = tcpsim_addr_v4(from ? B_ADDR : A_ADDR), .daddr = tcpsim_addr_v4(from ? A_ADDR : B_ADDR),
                        .flags = TCP_ACK, .ack = 1, .win = 10};
    struct trace_event ev = {.kind = k, .at = at, .host = from ? "B" : "A",
                             .peer = from ? "A" : "B", .seg = &s, .serial = serial,
                             .reason = reason};
    rec_add(r, &ev);
}

static void
host_ev(struct rec *r, enum trace_kind k, sim_time at, const char *host, const char *text)
{
    struct trace_event ev = {.kind = k, .at = at, .host = host, .to = text, .reason = text,
                             .text = text};
    rec_add(r, &ev);
}

static const struct ladder_arrow *
arrow(const struct ladder *L, guint i)
{
    return &g_array_index(L->arrows, struct ladder_arrow, i);
}

/* The shortest trip takes LADDER_CROSS_ROWS rows; a lost segment ends in an X halfway. */
static void
test_layout_trip_and_drop(void)
{
    struct rec *r = new_rec();
    link_ev(r, TRACE_SEG_SENT, 0, 0, 1, NULL);
    link_ev(r, TRACE_SEG_DELIVERED, MS(10), 0, 1, NULL);
    link_ev(r, TRACE_SEG_SENT, MS(10), 1, 1, NULL);
    link_ev(r, TRACE_SEG_DROPPED, MS(10), 1, 1, "loss");
    struct ladder_opts o = {0};
    struct ladder *L = ladder_layout(r, &o);
    CU_ASSERT_EQUAL_FATAL(L->arrows->len, 2);
    CU_ASSERT_EQUAL(arrow(L, 0)->row0, 0);
    CU_ASSERT_EQUAL(arrow(L, 0)->row1, LADDER_CROSS_ROWS);
    CU_ASSERT_EQUAL(arrow(L, 0)->end, LADDER_END_ARRIVAL);
    CU_ASSERT_EQUAL(arrow(L, 1)->from, 1);
    CU_ASSERT_EQUAL(arrow(L, 1)->row0, LADDER_CROSS_ROWS + 1); /* one end per row */
    CU_ASSERT_EQUAL(arrow(L, 1)->end, LADDER_END_DROP);
    CU_ASSERT_EQUAL(arrow(L, 1)->row1, arrow(L, 1)->row0 + LADDER_CROSS_ROWS / 2);
    CU_ASSERT_STRING_EQUAL(arrow(L, 1)->drop, "loss");
    ladder_free(L);
    free_rec(r);
}

/* A long idle stretch becomes a few dotted rows that say how long it was. */
static void
test_layout_compresses_idle_time(void)
{
    struct rec *r = new_rec();
    link_ev(r, TRACE_SEG_SENT, 0, 0, 1, NULL);
    link_ev(r, TRACE_SEG_DELIVERED, MS(10), 0, 1, NULL);
    host_ev(r, TRACE_STATE, SEC(60), "A", "CLOSED");
    struct ladder_opts o = {0};
    struct ladder *L = ladder_layout(r, &o);
    int n = ladder_nrows(L);
    CU_ASSERT_EQUAL(n, LADDER_CROSS_ROWS + LADDER_GAP_DRAWN + 2);
    int gaps = 0;
    sim_time said = 0;
    for (int i = 0; i < n; i++) {
        const struct ladder_row *row = &g_array_index(L->rows, struct ladder_row, i);
        gaps += row->gap;
        said += row->gap_len;
    }
    CU_ASSERT_EQUAL(gaps, LADDER_GAP_DRAWN);
    CU_ASSERT_EQUAL(said, SEC(60) - MS(10));
    ladder_free(L);
    free_rec(r);
}

/* A copy the link made is a second arrow from the same sending; a note says so. */
static void
test_layout_duplicate(void)
{
    struct rec *r = new_rec();
    link_ev(r, TRACE_SEG_SENT, 0, 0, 7, NULL);
    link_ev(r, TRACE_SEG_DELIVERED, MS(10), 0, 7, NULL);
    link_ev(r, TRACE_SEG_DELIVERED, MS(12), 0, 7, "duplicate");
    struct ladder_opts o = {0};
    struct ladder *L = ladder_layout(r, &o);
    CU_ASSERT_EQUAL_FATAL(L->arrows->len, 2);
    CU_ASSERT_EQUAL(arrow(L, 0)->row0, arrow(L, 1)->row0);
    CU_ASSERT(arrow(L, 1)->row1 > arrow(L, 0)->row1);
    CU_ASSERT_EQUAL_FATAL(L->labels->len, 1);
    CU_ASSERT_STRING_EQUAL(g_array_index(L->labels, struct ladder_label, 0).text, "(duplicate)");
    ladder_free(L);
    free_rec(r);
}

/* A label longer than its column wraps onto the rows below, at word boundaries. */
static void
test_layout_wraps_labels(void)
{
    struct rec *r = new_rec();
    struct tcp_seg s = {.flags = TCP_ACK};
    struct trace_event ev = {.kind = TRACE_SEG_DISCARD, .at = 0, .host = "A", .seg = &s,
                             .reason = "RST in window, not exact: challenge ACK"};
    rec_add(r, &ev);
    struct ladder_opts o = {0};
    struct ladder *L = ladder_layout(r, &o);
    CU_ASSERT_EQUAL_FATAL(L->labels->len, 4); /* "discard: RST in", "window, not", ... */
    for (guint i = 0; i < L->labels->len; i++) {
        const struct ladder_label *l = &g_array_index(L->labels, struct ladder_label, i);
        CU_ASSERT(strlen(l->text) <= LADDER_LABEL_COLS);
        CU_ASSERT_EQUAL(l->row, (int)i);
    }
    CU_ASSERT_STRING_EQUAL(g_array_index(L->labels, struct ladder_label, 0).text,
                           "discard: RST in");
    ladder_free(L);
    free_rec(r);
}

static void
test_svg_escapes_text(void)
{
    GString *s = g_string_new(NULL);
    svg_escape(s, "a<b & \"c\" 'd'>\x01");
    CU_ASSERT_STRING_EQUAL(s->str, "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt; ");
    g_string_truncate(s, 0);
    svg_num(s, 125);
    g_string_append_c(s, ' ');
    svg_num(s, -5);
    g_string_append_c(s, ' ');
    svg_num(s, 120);
    CU_ASSERT_STRING_EQUAL(s->str, "12.5 -0.5 12");
    g_string_free(s, TRUE);
}

/* The plot frame maps its corners exactly and clamps what lies outside. */
static void
test_plot_frame_maps_and_clamps(void)
{
    struct plot_frame f;
    plot_frame_init(&f, SEC(1), SEC(3), 0, 1000);
    CU_ASSERT_EQUAL(f.v1, 1100); /* a tenth of headroom above */
    CU_ASSERT_EQUAL(plot_x(&f, SEC(1)), f.x0 * 10);
    CU_ASSERT_EQUAL(plot_x(&f, SEC(3)), (f.x0 + f.w) * 10);
    CU_ASSERT_EQUAL(plot_x(&f, SEC(2)), f.x0 * 10 + f.w * 5);
    CU_ASSERT_EQUAL(plot_x(&f, 0), f.x0 * 10);
    CU_ASSERT_EQUAL(plot_y(&f, 0), (f.y0 + f.h) * 10);
    CU_ASSERT_EQUAL(plot_y(&f, 5000), f.y0 * 10);
    plot_frame_init(&f, SEC(1), SEC(1), 7, 7); /* one point: still a frame */
    CU_ASSERT(f.t1 > f.t0 && f.v1 > f.v0);
}

static CU_TestInfo ladder_tests[] = {
    {"durations in the largest unit that keeps them whole", test_span_units},
    {"arrow labels read like a textbook's", test_label_textbook_forms},
    {"labels show a zero window, SACK blocks and retransmissions",
     test_label_window_sack_retransmit},
    {"--textbook numbers from the ISNs: seq=x, ack=y+1", test_label_textbook_numbering},
    {"--window shows every window in bytes; a probe shows SND.UNA-1", test_label_window_and_probe},
    {"a trip takes its rows; a drop ends halfway in an X", test_layout_trip_and_drop},
    {"long idle time is compressed and its length kept", test_layout_compresses_idle_time},
    {"a duplicate is a second arrow from the same sending", test_layout_duplicate},
    {"long labels wrap onto following rows", test_layout_wraps_labels},
    {"SVG text is escaped, numbers are exact", test_svg_escapes_text},
    {"the plot frame maps its corners and clamps", test_plot_frame_maps_and_clamps},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo view_ladder_suites[] = {
    {"view ladder", NULL, NULL, NULL, NULL, ladder_tests},
    CU_SUITE_INFO_NULL,
};
