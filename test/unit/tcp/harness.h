/* SPDX-License-Identifier: MIT */
/*
 * harness.h: one TCP endpoint under test, fed segments by hand at explicit times.
 *
 * The harness replaces the host and the link: what the endpoint emits is captured in
 * order; what the test feeds is delivered at once. Time moves only when a test says so,
 * and timers due by then run, at their exact times (hz 0: no jiffies unless a test sets
 * h->st.sysctl.hz). Fixtures build each state from the previous one, driving
 * the real handshake and close (smoltcp's approach); ISNs sit near the wrap point.
 *
 *   struct harness *h = harness_new(fixture_established);
 *   harness_feed(h, MS(10), INBOUND(.flags = TCP_FIN | TCP_ACK, .seq = REMOTE_ISS + 1,
 *                                   .ack = LOCAL_ISS + 1));
 *   HARNESS_EXPECT(h, MS(50), OUTBOUND(.seq = LOCAL_ISS + 1, .ack = REMOTE_ISS + 2));
 *   CU_ASSERT_EQUAL(harness_state(h), TCP_CLOSE_WAIT);
 *   harness_free(h);
 */
#ifndef TCPSIM_TEST_HARNESS_H
#define TCPSIM_TEST_HARNESS_H

#include <CUnit/CUnit.h>

#include "sim/tcp/tcp.h"

#define LOCAL_ADDR ((struct tcpsim_addr){.family = TCPSIM_AF_INET, .b = {10, 0, 0, 1}})
#define REMOTE_ADDR ((struct tcpsim_addr){.family = TCPSIM_AF_INET, .b = {10, 0, 0, 2}})
#define LOCAL_PORT 4000
#define REMOTE_PORT 5000
#define LOCAL_ISS 0xFFFFFF00u
#define REMOTE_ISS 0x7FFFFFF0u
#define REMOTE_WIN 65535
#define LOCAL_WIN 64240 /* our SYN's window: 44 segments of 1460 (Linux) */

struct harness {
    struct ev_queue q;
    struct trace trace;
    struct tcp_stack st;
    struct tcp_tcb *tcb;   /* the connection under test */
    struct tcp_tcb *lst;   /* the listener, when the fixture made one */
    GPtrArray *known;      /* every TCB the harness holds a reference to */
    GPtrArray *demux;      /* TCBs in the "demux table" (attached, not detached) */
    GArray *out;           /* struct tcp_seg emitted, oldest first */
    guint wakes;
};

/* What a test expects of an emitted segment; win < 0 means "any window". */
struct seg_expect {
    uint16_t flags;
    tcp_seq seq;
    tcp_seq ack;
    uint32_t len;
    int32_t win;
};

#define INBOUND(...)                                                                       \
    ((struct tcp_seg){.saddr = REMOTE_ADDR, .daddr = LOCAL_ADDR, .sport = REMOTE_PORT,       \
                      .dport = LOCAL_PORT, .flags = TCP_ACK, .win = REMOTE_WIN,              \
                      .data_off = TCP_DATA_OFF_NONE, __VA_ARGS__})
#define OUTBOUND(...) ((struct seg_expect){.flags = TCP_ACK, .win = -1, __VA_ARGS__})

typedef void (*harness_fixture)(struct harness *h);

struct harness *harness_new(harness_fixture fixture);
/* The same with the defaults of a personality (harness_new(): Linux). */
struct harness *harness_new_personality(harness_fixture fixture, enum tcp_personality p);
void harness_free(struct harness *h);

/* A listener on LOCAL_PORT beside the connection under test (h->lst). */
void harness_add_listener(struct harness *h);

/* A segment with an MSS option (the peer's SYN or SYN-ACK). */
struct tcp_seg with_mss(struct tcp_seg s, uint16_t mss);
/* A segment with a SACK option of the `n` blocks `b` (RFC 2018 §3), none when n is 0. */
struct tcp_seg with_sack(struct tcp_seg s, unsigned n, const struct tcp_sack_block *b);

/* Advances to `at` (running timers due by then) and delivers `seg` as the host would:
 * to the connection with its tuple, else the listener, else the no-socket path. */
void harness_feed(struct harness *h, sim_time at, struct tcp_seg seg);
void harness_advance(struct harness *h, sim_time at);
/* Removes and returns every captured segment (count in *n). */
struct tcp_seg *harness_take(struct harness *h, guint *n);
void harness_drain(struct harness *h);
enum tcp_state harness_state(const struct harness *h);

void harness_expect_at(struct harness *h, sim_time at, struct seg_expect e, const char *file,
                       int line);
void harness_expect_none_at(struct harness *h, sim_time at, const char *file, int line);
#define HARNESS_EXPECT(h, at, e) harness_expect_at((h), (at), (e), __FILE__, __LINE__)
#define HARNESS_EXPECT_NONE(h, at) harness_expect_none_at((h), (at), __FILE__, __LINE__)

/* Fixtures, each built from the one before it. */
void fixture_closed(struct harness *h);
void fixture_syn_sent(struct harness *h);
void fixture_established(struct harness *h);
/* ESTABLISHED with SACK and window scaling (ours 7, the peer's 2) negotiated. */
void fixture_established_sack(struct harness *h);
void fixture_listen(struct harness *h);
void fixture_syn_received(struct harness *h);
void fixture_established_passive(struct harness *h);
void fixture_fin_wait_1(struct harness *h);
void fixture_fin_wait_2(struct harness *h);
void fixture_closing(struct harness *h);
void fixture_time_wait(struct harness *h);
void fixture_close_wait(struct harness *h);
void fixture_last_ack(struct harness *h);

#endif
