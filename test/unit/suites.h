/* SPDX-License-Identifier: MIT */
/*
 * suites.h: every CUnit suite of the unit-test program, registered by main.c.
 * A test file defines one `CU_SuiteInfo` array (NULL-terminated) named below.
 */
#ifndef TCPSIM_TEST_SUITES_H
#define TCPSIM_TEST_SUITES_H

#include <CUnit/CUnit.h>

#define SUITES(X)                                                                          \
    X(engine_ev_suites)                                                                    \
    X(engine_pool_suites)                                                                  \
    X(engine_rng_suites)                                                                   \
    X(engine_units_suites)                                                                 \
    X(tcp_seq_suites)                                                                      \
    X(tcp_seg_suites)                                                                      \
    X(wire_ipv6_suites)                                                                    \
    X(trace_fmt_suites)                                                                    \
    X(trace_why_suites)                                                                    \
    X(view_ladder_suites)                                                                  \
    X(view_explain_suites)                                                                 \
    X(trace_pcap_suites)                                                                   \
    X(trace_jsonbuf_suites)                                                                \
    X(diff_lcs_suites)                                                                     \
    X(diff_gz_suites)                                                                      \
    X(diff_suites)                                                                         \
    X(scenario_parse_suites)                                                               \
    X(pkt_parse_suites)                                                                    \
    X(pkt_run_suites)                                                                      \
    X(replay_suites)                                                                       \
    X(replay_gone_suites)                                                                  \
    X(tcp_fixtures_suites)                                                                 \
    X(tcp_closed_suites)                                                                   \
    X(tcp_listen_suites)                                                                   \
    X(tcp_syn_sent_suites)                                                                 \
    X(tcp_syn_received_suites)                                                             \
    X(tcp_established_suites)                                                              \
    X(tcp_fin_wait_1_suites)                                                               \
    X(tcp_fin_wait_2_suites)                                                               \
    X(tcp_close_wait_suites)                                                               \
    X(tcp_closing_suites)                                                                  \
    X(tcp_last_ack_suites)                                                                 \
    X(tcp_time_wait_suites)                                                                \
    X(tcp_retransmit_suites)                                                               \
    X(tcp_sack_suites)                                                                     \
    X(tcp_prr_undo_suites)                                                                 \
    X(tcp_rack_suites)                                                                     \
    X(tcp_window_suites)                                                                   \
    X(tcp_send_suites)                                                                     \
    X(tcp_jiffies_suites)                                                                  \
    X(tcp_zero_window_suites)                                                              \
    X(tcp_delack_suites)                                                                   \
    X(tcp_freebsd_suites)                                                                  \
    X(tcp_cc_suites)                                                                       \
    X(tcp_cc_cubic_linux_suites)                                                           \
    X(tcp_queues_suites)                                                                   \
    X(tcp_matrix_suites)                                                                   \
    X(link_suites)                                                                         \
    X(link_impair_suites)                                                                  \
    X(world_suites)                                                                        \
    X(invariant_suites)                                                                    \
    X(explore_suites)

#define DECLARE_SUITES(name) extern CU_SuiteInfo name[];
SUITES(DECLARE_SUITES)
#undef DECLARE_SUITES

#endif
