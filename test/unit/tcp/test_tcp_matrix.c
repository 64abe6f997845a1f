/* SPDX-License-Identifier: MIT */
/*
 * test_tcp_matrix.c: the conformance matrix (matrix.h), driven cell by cell.
 *
 * For every state (its fixture), every kind of segment and every position, under both
 * personalities: build the fixture, feed the one segment, and compare what the endpoint
 * sends (at once, or after a delayed-ACK timeout, within a window shorter than any
 * retransmission) and the state it ends in with the cell's rule. One CUnit test per
 * state; the last test prints the coverage table (exercised / n/a, per state and kind)
 * and, with TCPSIM_MATRIX_MD=FILE, writes the matrix as Markdown for docs/conformance.md.
 */
#include <stdio.h>
#include <string.h>

#include "matrix.h"

static const harness_fixture fixtures[TCP_NSTATES] = {
    [TCP_CLOSED] = fixture_closed,           [TCP_LISTEN] = fixture_listen,
    [TCP_SYN_SENT] = fixture_syn_sent,       [TCP_SYN_RECEIVED] = fixture_syn_received,
    [TCP_ESTABLISHED] = fixture_established, [TCP_FIN_WAIT_1] = fixture_fin_wait_1,
    [TCP_FIN_WAIT_2] = fixture_fin_wait_2,   [TCP_CLOSE_WAIT] = fixture_close_wait,
    [TCP_CLOSING] = fixture_closing,         [TCP_LAST_ACK] = fixture_last_ack,
    [TCP_TIME_WAIT] = fixture_time_wait,
};

static const uint16_t kind_flags[MK_N] = {
    [MK_SYN] = TCP_SYN,          [MK_SYN_ACK] = TCP_SYN | TCP_ACK, [MK_ACK] = TCP_ACK,
    [MK_DATA] = TCP_ACK | TCP_PSH, [MK_FIN] = TCP_FIN,           [MK_FIN_ACK] = TCP_FIN | TCP_ACK,
    [MK_RST] = TCP_RST,          [MK_RST_ACK] = TCP_RST | TCP_ACK, [MK_SYN_FIN] = TCP_SYN | TCP_FIN,
    [MK_NONE] = 0,
};

static bool
synchronized(enum tcp_state s)
{
    return s != TCP_CLOSED && s != TCP_LISTEN && s != TCP_SYN_SENT;
}

/* The segment of a cell, placed against the connection under test. */
static struct tcp_seg
cell_segment(const struct harness *h, enum tcp_state s, enum mx_kind k, enum mx_pos p)
{
    struct tcp_seg seg = INBOUND(.flags = kind_flags[k], .seq = REMOTE_ISS,
                                 .len = k == MK_DATA ? MX_DATA_LEN : 0);
    const struct tcp_tcb *t = h->tcb;
    uint32_t space = seg_seq_len(&seg);
    if (seg_has(&seg, TCP_SYN)) {
        seg = with_mss(seg, 1460);
    }
    if (s == TCP_SYN_SENT) {
        static const int32_t off[MP_N] = {
            [MP_IN] = 1, [MP_LEFT] = 0, [MP_RIGHT] = 1, [MP_OUT_LEFT] = -1000,
            [MP_OUT_RIGHT] = 1001,
        };
        seg.ack = t->iss + (uint32_t)off[p];
    } else if (synchronized(s)) {
        uint32_t wnd = seq_diff(t->rcv_adv, t->rcv_nxt);
        const uint32_t at[MP_N] = {
            [MP_IN] = wnd / 2, [MP_LEFT] = 0, [MP_RIGHT] = wnd - 1,
            [MP_OUT_LEFT] = (uint32_t)-(int32_t)(space ? space : 1), [MP_OUT_RIGHT] = wnd + 1,
        };
        seg.seq = t->rcv_nxt + at[p];
        seg.ack = t->snd_max;
    } else {
        seg.ack = LOCAL_ISS + 1;
    }
    if (!seg_has(&seg, TCP_ACK)) {
        seg.ack = 0;
    }
    return seg;
}

/* The window in which a reply is looked for: longer than a delayed ACK, shorter than
 * any retransmission the fixture has pending. */
static sim_time
reply_window(unsigned pers)
{
    return pers == MX_LINUX ? MS(100) : MS(500);
}

static const char *
reply_name(enum mx_reply r)
{
    static const char *const names[] = {"nothing", "ACK", "delayed ACK", "RST", "RST-ACK",
                                        "SYN-ACK"};
    return names[r];
}

static void
describe(char *buf, size_t cap, const struct tcp_seg *s)
{
    g_snprintf(buf, cap, "flags 0x%x seq %u ack %u len %u", s->flags, s->seq, s->ack, s->len);
}

/* Runs one cell; TRUE when it met its rule. `why` gets the difference. */
static bool
run_cell(enum tcp_state s, enum mx_kind k, enum mx_pos p, unsigned pers,
         const struct mx_rule *rule, GString *why)
{
    enum tcp_personality tp = pers == MX_LINUX ? TCP_PERSONALITY_LINUX : TCP_PERSONALITY_RFC;
    struct harness *h = harness_new_personality(fixtures[s], tp);
    struct tcp_seg seg = cell_segment(h, s, k, p);
    tcp_seq snd = synchronized(s) ? h->tcb->snd_max : LOCAL_ISS + 1;
    tcp_seq base = synchronized(s) ? h->tcb->rcv_nxt : seg.seq;
    sim_time t0 = h->q.now + MS(1);
    harness_feed(h, t0, seg);
    guint n = 0;
    g_autofree struct tcp_seg *out = harness_take(h, &n);
    bool delayed = false;
    if (n == 0) {
        g_free(out);
        harness_advance(h, t0 + reply_window(pers));
        out = harness_take(h, &n);
        delayed = n > 0;
    }
    struct tcp_seg want = {0};
    bool ok = true;
    switch (rule->reply) {
    case MR_NONE:
        ok = n == 0;
        break;
    case MR_ACK:
    case MR_ACK_DELAYED:
        want = (struct tcp_seg){.flags = TCP_ACK, .seq = snd, .ack = base + (uint32_t)rule->adv};
        ok = n > 0 && delayed == (rule->reply == MR_ACK_DELAYED);
        break;
    case MR_RST:
        want = (struct tcp_seg){.flags = TCP_RST, .seq = seg.ack};
        break;
    case MR_RST_ACK:
        want = (struct tcp_seg){.flags = TCP_RST | TCP_ACK, .ack = seg.seq + seg_seq_len(&seg)};
        break;
    case MR_SYN_ACK:
        want = (struct tcp_seg){.flags = TCP_SYN | TCP_ACK, .seq = LOCAL_ISS, .ack = seg.seq + 1};
        break;
    }
    if (ok && rule->reply != MR_NONE) {
        ok = n > 0 && (out[0].flags & ~TCP_PSH) == want.flags && out[0].seq == want.seq &&
             (!(want.flags & TCP_ACK) || out[0].ack == want.ack) && out[0].len == 0;
        if (rule->reply != MR_ACK_DELAYED && rule->reply != MR_ACK) {
            ok = ok && !delayed;
        }
    }
    enum tcp_state next = rule->next == MX_SAME ? s : (enum tcp_state)rule->next;
    enum tcp_state got_state = harness_state(h);
    if (!ok || got_state != next) {
        char w[128];
        char g[128] = "nothing";
        describe(w, sizeof w, &want);
        if (n > 0) {
            describe(g, sizeof g, &out[0]);
        }
        g_string_printf(why, "%s x %s x %s (%s): expected %s [%s] and %s; got %s%s and %s. "
                        "Rule: %s", tcp_state_name(s), mx_kind_names[k], mx_pos_names[p],
                        pers == MX_LINUX ? "linux" : "rfc", reply_name(rule->reply),
                        rule->reply == MR_NONE ? "" : w, tcp_state_name(next), g,
                        delayed ? " (delayed)" : "", tcp_state_name(got_state), rule->cite);
        ok = false;
    }
    harness_free(h);
    return ok;
}

static void
run_state(enum tcp_state s)
{
    GString *why = g_string_new(NULL);
    for (int k = 0; k < MK_N; k++) {
        for (int p = 0; p < MP_N; p++) {
            if (mx_na_for(s, (enum mx_kind)k, (enum mx_pos)p) != NULL) {
                continue;
            }
            for (unsigned pers = MX_LINUX; pers <= MX_RFC; pers++) {
                const struct mx_rule *rule = mx_rule_for(s, (enum mx_kind)k, (enum mx_pos)p, pers);
                if (rule == NULL) {
                    g_autofree char *m = g_strdup_printf(
                        "%s x %s x %s: no rule and not n/a: the matrix is incomplete",
                        tcp_state_name(s), mx_kind_names[k], mx_pos_names[p]);
                    CU_assertImplementation(CU_FALSE, __LINE__, m, __FILE__, "", CU_FALSE);
                    continue;
                }
                bool ok = run_cell(s, (enum mx_kind)k, (enum mx_pos)p, pers, rule, why);
                CU_assertImplementation(ok, __LINE__, ok ? "cell as expected" : why->str,
                                        __FILE__, "", CU_FALSE);
            }
        }
    }
    g_string_free(why, TRUE);
}

#define STATE_TEST(name, state)                                                            \
    static void test_matrix_##name(void) { run_state(state); }

STATE_TEST(closed, TCP_CLOSED)
STATE_TEST(listen, TCP_LISTEN)
STATE_TEST(syn_sent, TCP_SYN_SENT)
STATE_TEST(syn_received, TCP_SYN_RECEIVED)
STATE_TEST(established, TCP_ESTABLISHED)
STATE_TEST(fin_wait_1, TCP_FIN_WAIT_1)
STATE_TEST(fin_wait_2, TCP_FIN_WAIT_2)
STATE_TEST(close_wait, TCP_CLOSE_WAIT)
STATE_TEST(closing, TCP_CLOSING)
STATE_TEST(last_ack, TCP_LAST_ACK)
STATE_TEST(time_wait, TCP_TIME_WAIT)

/* --- the coverage table ----------------------------------------------------------- */

static void
markdown(FILE *f)
{
    static const char *const reply[] = {"—", "ACK", "ACK (delayed)", "RST <SEQ=SEG.ACK>",
                                        "RST,ACK <SEQ=0>", "SYN,ACK"};
    fprintf(f, "| states | kinds | positions | personality | reply | next state | follows |\n");
    fprintf(f, "|---|---|---|---|---|---|---|\n");
    for (size_t i = 0; i < mx_nrules; i++) {
        const struct mx_rule *r = &mx_rules[i];
        GString *st = g_string_new(NULL);
        for (int s = 0; s < TCP_NSTATES; s++) {
            if (r->states & (1u << s)) {
                g_string_append_printf(st, "%s%s", st->len ? ", " : "", tcp_state_name(s));
            }
        }
        GString *ks = g_string_new(NULL);
        if (r->kinds == (1u << MK_N) - 1) {
            g_string_append(ks, "any other");
        }
        for (int k = 0; k < MK_N && r->kinds != (1u << MK_N) - 1; k++) {
            if (r->kinds & (1u << k)) {
                g_string_append_printf(ks, "%s%s", ks->len ? ", " : "", mx_kind_names[k]);
            }
        }
        GString *ps = g_string_new(NULL);
        if (r->poss == (1u << MP_N) - 1) {
            g_string_append(ps, "any");
        }
        for (int p = 0; p < MP_N && r->poss != (1u << MP_N) - 1; p++) {
            if (r->poss & (1u << p)) {
                g_string_append_printf(ps, "%s%s", ps->len ? ", " : "", mx_pos_names[p]);
            }
        }
        fprintf(f, "| %s | %s | %s | %s | %s%s | %s | %s |\n", st->str, ks->str, ps->str,
                r->pers == MX_BOTH ? "both" : r->pers == MX_LINUX ? "linux" : "rfc",
                reply[r->reply], r->reply == MR_ACK && r->adv ? " (advances RCV.NXT)" : "",
                r->next == MX_SAME ? "same" : tcp_state_name(r->next), r->cite);
        g_string_free(st, TRUE);
        g_string_free(ks, TRUE);
        g_string_free(ps, TRUE);
    }
}

/* Exercised cells per state and kind ("5"; "1 +4 n/a"), the totals, and the reasons. */
static void
test_matrix_coverage(void)
{
    unsigned exercised = 0;
    unsigned na = 0;
    printf("\n  conformance matrix coverage: positions exercised per state and kind\n  %-13s",
           "");
    for (int k = 0; k < MK_N; k++) {
        printf(" %-9.9s", mx_kind_names[k]);
    }
    printf("\n");
    for (int s = 0; s < TCP_NSTATES; s++) {
        printf("  %-13s", tcp_state_name(s));
        for (int k = 0; k < MK_N; k++) {
            unsigned e = 0;
            unsigned n = 0;
            for (int p = 0; p < MP_N; p++) {
                bool is_na = mx_na_for(s, (enum mx_kind)k, (enum mx_pos)p) != NULL;
                n += is_na;
                e += !is_na;
                CU_ASSERT(is_na || (mx_rule_for(s, (enum mx_kind)k, (enum mx_pos)p, MX_LINUX) &&
                                    mx_rule_for(s, (enum mx_kind)k, (enum mx_pos)p, MX_RFC)));
            }
            exercised += e;
            na += n;
            char cell[16];
            g_snprintf(cell, sizeof cell, n ? "%u +%un/a" : "%u", e, n);
            printf(" %-9s", cell);
        }
        printf("\n");
    }
    printf("  cells: %u exercised (each under both personalities), %u n/a, %u in all\n",
           exercised, na, exercised + na);
    for (size_t i = 0; i < mx_nnas; i++) {
        printf("  n/a: %s\n", mx_nas[i].why);
    }
    CU_ASSERT_EQUAL(exercised + na, TCP_NSTATES * MK_N * MP_N);
    const char *path = g_getenv("TCPSIM_MATRIX_MD");
    if (path != NULL) {
        FILE *f = fopen(path, "w");
        if (f != NULL) {
            markdown(f);
            fclose(f);
        }
    }
}

static CU_TestInfo matrix_tests[] = {
    {"CLOSED x every segment", test_matrix_closed},
    {"LISTEN x every segment", test_matrix_listen},
    {"SYN-SENT x every segment and ACK position", test_matrix_syn_sent},
    {"SYN-RECEIVED x every segment and position", test_matrix_syn_received},
    {"ESTABLISHED x every segment and position", test_matrix_established},
    {"FIN-WAIT-1 x every segment and position", test_matrix_fin_wait_1},
    {"FIN-WAIT-2 x every segment and position", test_matrix_fin_wait_2},
    {"CLOSE-WAIT x every segment and position", test_matrix_close_wait},
    {"CLOSING x every segment and position", test_matrix_closing},
    {"LAST-ACK x every segment and position", test_matrix_last_ack},
    {"TIME-WAIT x every segment and position", test_matrix_time_wait},
    {"coverage table", test_matrix_coverage},
    CU_TEST_INFO_NULL,
};

CU_SuiteInfo tcp_matrix_suites[] = {
    {"tcp conformance matrix", NULL, NULL, NULL, NULL, matrix_tests},
    CU_SUITE_INFO_NULL,
};
