/*
 * tcp_cc.h: congestion control behind a narrow interface (RFC 5681 and successors).
 *
 * An algorithm sees `struct tcp_cc_state` (cwnd, ssthresh, the MSS, bytes in flight,
 * the smoothed RTT) and never the TCB, so a new algorithm is one file with one ops table.
 * The TCB's loss recovery (tcp_ack.c) decides *when* recovery starts and ends; the
 * algorithm decides *how much* the window changes.
 */
#ifndef TCPSIM_TCP_CC_H
#define TCPSIM_TCP_CC_H

#include <stdbool.h>
#include <stdint.h>

#include "../engine/time.h"

struct tcp_cc_state {
    uint32_t cwnd;            /* bytes */
    uint32_t ssthresh;        /* bytes */
    uint32_t mss;             /* SMSS, RFC 5681 §2 */
    uint32_t flight;          /* bytes outstanding when the hook was called */
    uint32_t initcwnd;        /* segments */
    uint32_t bytes_acked;     /* RFC 3465 byte counting in congestion avoidance */
    sim_time srtt;            /* 0 until a sample exists */
    sim_time min_rtt;
    /* Algorithm-private state (one union member per algorithm). */
    union {
        struct {
            uint32_t w_max;       /* window before the last reduction, bytes */
            uint32_t w_last_max;
            sim_time epoch_start; /* -1 when no epoch */
            uint32_t origin;      /* W_max in segments, scaled by 1024 */
            int64_t k_us;         /* time to reach W_max, microseconds */
            uint32_t w_est;       /* Reno-friendly estimate, bytes */
            uint32_t ack_cnt;
        } cubic;
    } u;
};

struct tcp_cc_ops {
    const char *name;
    void (*init)(struct tcp_cc_state *cc);
    /* New data acknowledged outside recovery (RFC 5681 §3.1). */
    void (*on_ack)(struct tcp_cc_state *cc, uint32_t acked, sim_time now);
    /* Loss detected by duplicate ACKs or SACK: entering fast recovery (§3.2 step 2). */
    void (*on_loss)(struct tcp_cc_state *cc, sim_time now);
    /* Recovery ended: the window to continue with (RFC 6582 §3.2 step 3). */
    void (*on_recovery_end)(struct tcp_cc_state *cc, sim_time now);
    /* Retransmission timeout (RFC 5681 §3.1, equation 4). */
    void (*on_rto)(struct tcp_cc_state *cc, sim_time now);
};

extern const struct tcp_cc_ops tcp_cc_reno;
extern const struct tcp_cc_ops tcp_cc_cubic;


/* The algorithm at index `i` of the tcp_congestion_control knob's list. */
const struct tcp_cc_ops *tcp_cc_by_index(int64_t i);

#endif
