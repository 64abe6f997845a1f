/* SPDX-License-Identifier: MIT */
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
#include "../wire/seq.h"

struct tcp_cc_state {
    uint32_t cwnd;            /* bytes */
    uint32_t ssthresh;        /* bytes */
    uint32_t mss;             /* SMSS, RFC 5681 §2 */
    uint32_t flight;          /* bytes outstanding when the hook was called */
    uint32_t initcwnd;        /* segments */
    uint32_t bytes_acked;     /* RFC 3465 byte counting in congestion avoidance */
    sim_time srtt;            /* 0 until a sample exists */
    sim_time min_rtt;
    /* What the TCB tells on_ack() about the ACK at hand. */
    sim_time rtt_sample;      /* this ACK's RTT sample, 0 if it gave none */
    tcp_seq snd_una;          /* after this ACK */
    tcp_seq snd_max;          /* the highest sequence number sent */
    bool hystart;             /* Linux CUBIC's HyStart (module parameter hystart=1) */
    /* Linux: tcp_slow_start() grows cwnd by every segment an ACK covers (a stretch ACK
     * counts in full), capped at ssthresh; false: RFC 3465 §2.2 with L = 2 SMSS. */
    bool ss_full;
    /* FreeBSD: newreno_cong_signal() and cc_cong_signal() (CC_RTO) halve cwnd, not the
     * flight, in whole segments: ssthresh = max(cwnd / 2 / SMSS, 2) * SMSS. */
    bool halve_cwnd;
    /* RFC 7661 (Linux tcp_is_cwnd_limited()): the flight did not use the window, so
     * this ACK says nothing about a larger one and cwnd does not grow. Set by the TCB. */
    bool app_limited;
    /* The clock ticks of the personality (Linux: jiffies), for algorithms that count
     * them: ns per tick, and how far into a tick time 0 falls (tcp_cc_start()). */
    uint32_t tick;
    const char *event;        /* set by the algorithm to name a change in the trace */
    uint32_t tick_phase;
    /* Linux's pacing rate, percent of cwnd / srtt in slow start and after it
     * (tcp_pacing_ss_ratio, tcp_pacing_ca_ratio): HyStart's ACK-train cushion uses it. */
    uint16_t pacing_ss_ratio;
    uint16_t pacing_ca_ratio;
    /* Algorithm-private state (one union member per algorithm). */
    union {
        struct {
            union {
                struct { /* RFC 9438 (tcp_cc_cubic.c), in bytes and microseconds */
                    uint32_t w_max;       /* window before the last reduction, bytes */
                    uint32_t w_last_max;
                    sim_time epoch_start; /* -1 when no epoch */
                    int64_t k_us;         /* time to reach W_max, microseconds */
                    uint32_t w_est;       /* Reno-friendly estimate, bytes */
                };
                struct { /* Linux (tcp_cc_cubic_linux.c; struct bictcp), segments, ticks */
                    uint32_t l_cnt;       /* segments acked per segment of growth */
                    uint32_t l_last_max;  /* W_max, 0 until a loss and after a timeout */
                    uint32_t l_last_cwnd; /* the window cnt was computed for */
                    uint32_t l_origin;    /* the curve's plateau */
                    uint32_t l_k;         /* K, 1/1024 s */
                    uint32_t l_tcp_cwnd;  /* the Reno-friendly estimate */
                    uint32_t l_last_time; /* the tick cnt was computed at (wraps) */
                    uint32_t l_epoch;     /* the tick the epoch started at (wraps) */
                };
            };
            uint32_t ack_cnt;
            /* HyStart (tcp_cc_hystart.c). */
            tcp_seq end_seq;      /* the round ends when this is acknowledged */
            sim_time round_start;
            sim_time last_ack;
            sim_time curr_rtt;    /* the least RTT of this round's samples */
            sim_time delay_min;   /* the least RTT seen (reset by a timeout) */
            uint32_t sample_cnt;
            bool found;           /* slow start has been left for this episode */
            bool round_open;
            bool l_epoch_on;      /* Linux: epoch_start != 0 */
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
    /* Optional. Data leaves with nothing in flight, the last data having left at
     * `idle_since` (Linux: CA_EVENT_TX_START, from tcp_event_data_sent()). */
    void (*on_tx_start)(struct tcp_cc_state *cc, sim_time idle_since, sim_time now);
};

extern const struct tcp_cc_ops tcp_cc_reno;
extern const struct tcp_cc_ops tcp_cc_cubic;
extern const struct tcp_cc_ops tcp_cc_cubic_linux;

/* RFC 6928 §2: IW = min(10*MSS, max(2*MSS, 14600)) for the default of ten segments;
 * other values of initcwnd scale the segment count. Shared by every algorithm. */
static inline uint32_t
tcp_cc_initial_window(const struct tcp_cc_state *cc)
{
    uint32_t n = cc->initcwnd ? cc->initcwnd : 10;
    uint32_t iw = n * cc->mss;
    if (n == 10) {
        uint32_t cap = 2 * cc->mss > 14600 ? 2 * cc->mss : 14600;
        iw = iw < cap ? iw : cap;
    }
    return iw;
}

/* Slow start's share of an ACK: grows cwnd towards ssthresh by the bytes acked (at
 * most 2 SMSS unless ss_full) and returns what is left for congestion avoidance. */
static inline uint32_t
tcp_cc_slow_start(struct tcp_cc_state *cc, uint32_t acked)
{
    uint32_t inc = cc->ss_full || acked < 2 * cc->mss ? acked : 2 * cc->mss;
    uint32_t room = cc->ssthresh - cc->cwnd;
    if (inc <= room) {
        cc->cwnd += inc;
        return 0;
    }
    cc->cwnd = cc->ssthresh;
    return inc - room;
}

/* HyStart (Ha and Rhee, 2011), as Linux's CUBIC runs it during slow start: may end slow
 * start (ssthresh <- cwnd) before the first loss. Resets with the algorithm. */
void tcp_cc_hystart_reset(struct tcp_cc_state *cc);
void tcp_cc_hystart_on_ack(struct tcp_cc_state *cc, sim_time now);


/* The algorithm at index `i` of the tcp_congestion_control knob's list. */
const struct tcp_cc_ops *tcp_cc_by_index(int64_t i);

#endif
