/* SPDX-License-Identifier: MIT */
/*
 * tcp.h: the TCP endpoint's private types (RFC 9293 §3.3).
 *
 * A `struct tcp_tcb` is one connection; a `struct tcp_stack` is one host's TCP (its
 * tunables, counters, ISN secret, and the narrow interface through which it reaches the
 * host: emit a segment, join or leave the demux table, wake the application). The
 * endpoint never reaches out otherwise: it receives segments, timer callbacks and user
 * calls, and answers through those four functions and the trace.
 *
 * Where things are:
 *   tcp_fsm.c         state names, legal transitions, tcp_set_state()
 *   tcp_input.c       SEGMENT ARRIVES dispatch, CLOSED, LISTEN, SYN-SENT (§3.10.7.1-3)
 *   tcp_input_sync.c  the ordered steps for synchronized states (§3.10.7.4)
 *   tcp_ack.c         the fifth step: SND.UNA and SND.WND
 *   tcp_output.c      what is due now, and building segments
 *   tcp_window.c      the receive window we offer, and the buffer arithmetic behind it
 *   tcp_options.c     options we send and what the peer's SYN negotiated
 *   tcp_timers.c      every timer of a connection
 *   tcp_rtt.c         RFC 6298 estimator
 *   tcp_rack.c        RACK loss detection (RFC 8985 §6) and its record of transmissions
 *   tcp_tlp.c         tail loss probes (RFC 8985 §7)
 *   tcp_buf.c         send and receive buffers (stream bookkeeping)
 *   tcp_listen.c      SYN queue and accept queue
 *   tcp_user.c        OPEN, SEND, RECEIVE, CLOSE, ABORT (§3.10.1-5)
 *   tcp_stack.c       per-host state: ISNs, counters, TCB lifetime
 */
#ifndef TCPSIM_TCP_H
#define TCPSIM_TCP_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "../engine/ev.h"
#include "../engine/ev_lane.h"
#include "../engine/pool.h"
#include "../engine/rng.h"
#include "../trace/trace.h"
#include "tcp_cc.h"
#include "tcp_mib.h"
#include "../wire/seg.h"
#include "../wire/seq.h"
#include "tcp_sysctl.h"
#include "tcp_why.h"

enum tcp_action {
    TCP_ACT_CONTINUE,  /* processed; output runs if anything is due */
    TCP_ACT_DROP,      /* discarded without a reply */
    TCP_ACT_DROP_ACK,  /* discarded; an ACK is sent (§3.10.7.4 first step) */
    TCP_ACT_DROP_RST,  /* discarded; a RST answers it, built from the segment (§3.10.7.1) */
    TCP_ACT_CHALLENGE, /* discarded; a rate-limited ACK (RFC 5961 §5 challenge ACK) */
    TCP_ACT_REDISPATCH,/* this connection gave way (TIME-WAIT reopened): demux again */
};

struct tcp_verdict {
    enum tcp_action action;
    enum tcp_drop_reason why;
};

#define VERDICT_ACCEPT ((struct tcp_verdict){TCP_ACT_CONTINUE, TCP_DROP_NONE})
#define VERDICT(act, reason) ((struct tcp_verdict){(act), (reason)})

/* What the application can be woken for. */
enum {
    TCP_WAKE_READ = 1u << 0,    /* data or EOF to read */
    TCP_WAKE_WRITE = 1u << 1,   /* send-buffer space */
    TCP_WAKE_CONNECT = 1u << 2, /* handshake finished (or failed: see so_error) */
    TCP_WAKE_ACCEPT = 1u << 3,  /* a connection waits in the accept queue */
    TCP_WAKE_ERROR = 1u << 4,   /* so_error set */
    TCP_WAKE_CLOSED = 1u << 5,  /* the connection reached CLOSED */
};

struct tcp_tcb;

struct tcp_stack_ops {
    /* Hands a segment to the network. The segment and its data are only borrowed. */
    void (*emit)(void *host, const struct tcp_seg *seg);
    /* A connection created by a listener joins the demux table; FALSE if the tuple is
     * taken (then the SYN is dropped). */
    bool (*attach)(void *host, struct tcp_tcb *tcb);
    /* A connection reached CLOSED (or TIME_WAIT was given up): leave the demux table. */
    void (*detach)(void *host, struct tcp_tcb *tcb);
    /* Something the application may be waiting for happened. */
    void (*wakeup)(void *host, struct tcp_tcb *tcb, unsigned events);
    /* Whether a listener would take a SYN to `port` (a TIME-WAIT connection gives way
     * to a new incarnation only then). NULL: assume one would. */
    bool (*listening)(void *host, uint16_t port);
};

/* The TSO packet being built by an output pass (tcp_tso.c). */
struct tcp_tso {
    struct tcp_tcb *pass; /* the connection whose output pass groups segments */
    struct tcp_tcb *held; /* whose segment `seg` is, held back; NULL: none */
    struct tcp_seg seg;
    uint32_t segs;     /* MSS segments in the packet so far, the held one included */
    uint32_t max_segs; /* Linux tcp_tso_autosize() for this pass */
    /* Without TSO Linux still builds GSO packets of max_segs: where the packet of new
     * data being sent would end, for the send buffer's skbs (tcp_buf.c). */
    struct tcp_tcb *gso;
    uint64_t gso_end;
    uint32_t gso_segs;
};

struct tcp_stack {
    struct ev_queue *q;
    struct trace *trace;
    const char *host_name;
    struct tcpsim_addr addr; /* the host's first address: names its stream identities */
    struct tcp_sysctl sysctl;
    const struct tcp_stack_ops *ops;
    void *host;
    uint64_t isn_key[2]; /* RFC 6528 secret */
    bool isn_fixed;      /* every ISN is isn_fixed_value (unit tests, scripted peers) */
    tcp_seq isn_fixed_value;
    uint64_t ts_key;     /* per-connection timestamp offsets */
    uint64_t mib[TCP_MIB_N];
    uint64_t tcbs_alive; /* allocated TCBs */
    uint64_t tcbs_peak;  /* the most ever alive at once */
    struct ev_lane tw_lane;  /* TIME_WAIT timers (2*MSL) */
    struct ev_lane fin_lane; /* orphaned FIN_WAIT_2 timers (tcp_fin_timeout) */
    uint32_t conn_serial; /* connections created, for their stream identities */
    uint64_t time_wait;  /* connections in TIME_WAIT */
    /* The ISN a SYN that reopened a TIME-WAIT connection must use (tcp_time_wait.c). */
    bool tw_isn_valid;
    tcp_seq tw_isn;
    uint16_t tw_isn_lport;
    uint16_t tw_isn_rport;
    struct tcpsim_addr tw_isn_raddr;
    struct tcp_tso tso;
    /* Connection blocks and RACK state come from pools (engine/pool.h): a run that opens
     * and closes connections by the thousand reuses the blocks it freed. */
    struct pool tcb_pool;
    struct pool rack_pool;
};

/* A span of application bytes that are not the pattern (text the scenario wrote). */
struct tcp_text_span {
    uint64_t off;
    uint32_t len;
    uint8_t *bytes;
};

/* Send buffer: the stream between SND.UNA and the last byte written (RFC 9293 §3.8.6). */
struct tcp_sndbuf {
    uint64_t una; /* stream offset of the first unacknowledged data byte */
    uint64_t end; /* stream offset just past the last byte written */
    uint32_t cap;
    GArray *text; /* struct tcp_text_span in offset order; NULL until text is written */
    /* Linux personality: where PSH goes (tcp_buf.c): the stream offsets that end a
     * pushed run, ascending (uint64_t; NULL until a write), and Linux's pushed_seq. */
    GArray *push;
    uint64_t pushed;
    /* Linux personality: the write queue as Linux's skbs, for the memory they are
     * charged (tcp_buf.c): the stream offset each ends at, ascending (uint64_t; NULL
     * until a write). */
    GArray *skb;
};

/* A run of in-order bytes waiting for the application. */
struct tcp_rchunk {
    uint64_t off;     /* our receive-stream offset of the first byte */
    uint64_t src_off; /* the sender's stream offset it claimed (TCP_DATA_OFF_NONE if forged) */
    uint32_t len;
    uint8_t *bytes;   /* NULL: the pattern at src_off */
};

/* One skb of Linux's receive queue, for its memory accounting (sk_rmem_alloc). */
struct tcp_rskb {
    uint64_t end;      /* receive-stream offset just past its last byte */
    uint32_t truesize; /* what it is charged (Linux skb->truesize) */
    uint32_t frags;    /* segments coalesced into it (each one page fragment) */
};

/* Linux's receive queue as skbs (a ring): a segment is coalesced into the tail skb
 * (tcp_try_coalesce()) or starts a new one; an skb is freed when read to its end. */
struct tcp_rskbq {
    struct tcp_rskb *skb;
    uint32_t head;
    uint32_t count;
    uint32_t size;
    uint64_t truesize; /* the sum of the queue's truesize (sk_rmem_alloc) */
};

struct tcp_rcvbuf {
    uint64_t nxt;     /* stream offset of RCV.NXT: in-order bytes received */
    uint64_t read;    /* bytes the application has read */
    uint32_t cap;
    struct tcp_rchunk *chunk; /* ring */
    uint32_t head;
    uint32_t count;
    uint32_t size;
    uint64_t foreign; /* bytes whose claimed offset was not theirs (old incarnations) */
    /* The same bytes as Linux's skbs (tcp_buf.c), allocated with the first byte. */
    struct tcp_rskbq *skbq;
};

/* An out-of-order segment held for reassembly (RFC 9293 §3.10.7.4 seventh step). */
struct tcp_ooo {
    tcp_seq seq;
    uint32_t len;
    uint64_t src_off;
    uint64_t stream;
    uint8_t *bytes;
    uint64_t stamp; /* recency, for the order of SACK blocks */
    bool fin;
};

struct tcp_listen_q; /* tcp_listen.c */

/* What the retransmission timer is armed for. Linux shares one timer between the three
 * (icsk_pending: ICSK_TIME_RETRANS, ICSK_TIME_LOSS_PROBE, ICSK_TIME_REO_TIMEOUT), and so
 * does tcpsim: a probe or a reordering timeout replaces the RTO, which is re-armed after. */
enum tcp_xmit_timer {
    TCP_XMIT_RTO, /* RFC 6298 */
    TCP_XMIT_TLP, /* probe timeout, PTO (RFC 8985 §7.2) */
    TCP_XMIT_REO, /* RACK reordering timeout (RFC 8985 §6.3) */
};

/* One transmission of a span of the sequence space, as RACK needs it (RFC 8985 §5.2:
 * each segment's latest transmission time; Linux: an skb of the retransmit queue with
 * its skb_mstamp and `sacked` bits). A span is at most one segment. */
struct tcp_txrec {
    tcp_seq start;
    tcp_seq end;
    sim_time xmit; /* the latest (re)transmission */
    uint8_t flags; /* TCP_TXREC_* */
};

enum {
    TCP_TXREC_SACKED = 1u << 0,  /* the peer holds it (SACK) */
    TCP_TXREC_LOST = 1u << 1,    /* RACK or an RTO marked it lost (Linux TCPCB_LOST) */
    TCP_TXREC_RETRANS = 1u << 2, /* a retransmission of it is in flight (SACKED_RETRANS) */
    TCP_TXREC_EVER_RETRANS = 1u << 3, /* it was retransmitted at least once (TCPCB_RETRANS) */
};

/* RACK-TLP state (RFC 8985 §5.2-5.3), allocated at the first data segment of a SACK
 * connection with tcp_recovery or tcp_early_retrans on; NULL otherwise. */
struct tcp_rack {
    GArray *q;          /* struct tcp_txrec over [SND.UNA, SND.MAX), in sequence order,
                         * from index `head` on */
    guint head;
    sim_time rtt;       /* RACK.rtt: RTT of the most recently delivered segment */
    sim_time xmit;      /* RACK.xmit_ts: latest send time among delivered segments */
    sim_time reo_wait;  /* the reordering timeout last armed (for the trace) */
    sim_time pto;       /* the probe timeout last armed (for the trace) */
    tcp_seq end_seq;    /* RACK.end_seq */
    tcp_seq fack;       /* end of the highest segment SACKed or acknowledged */
    tcp_seq tlp_high_seq; /* TLP.end_seq: SND.NXT when the probe went (RFC 8985 §7.4) */
    tcp_seq loss_high;  /* SND.MAX at the last RTO: the loss episode lasts until SND.UNA passes it */
    uint32_t reord_seen; /* reorderings seen (Linux tp->reord_seen, tcpi_reord_seen) */
    uint32_t reordering; /* reordering degree in segments (Linux tp->reordering) */
    uint32_t nsacked;    /* records SACKed (Linux sacked_out) */
    uint32_t nlost;      /* ... marked lost (lost_out) */
    uint32_t nretrans;   /* ... with a retransmission in flight (retrans_out) */
    uint32_t nresent;    /* ... ever retransmitted */
    uint32_t lost_total; /* segments marked lost, ever (Linux tp->lost) */
    bool have_xmit;     /* RACK.xmit_ts is set */
    bool advanced;      /* a delivery moved RACK.xmit_ts since the last detection */
    bool tlp_out;       /* a probe is unanswered (Linux tlp_high_seq != 0) */
    bool tlp_retrans;   /* ... and it was a retransmission */
    bool in_loss;       /* after an RTO, until SND.UNA passes loss_high (Linux CA_Loss) */
};

struct tcp_timers {
    struct ev rto;       /* retransmission: SYN, SYN-ACK, data, FIN (RFC 6298); also the
                          * loss probe and RACK's reordering timeout (tcb->xmit_timer) */
    struct ev persist;   /* zero-window probes (RFC 9293 §3.8.6.1) */
    struct ev keepalive; /* RFC 1122 §4.2.3.6 */
    struct ev delack;    /* delayed ACK (RFC 1122 §4.2.3.2) */
    /* 2*MSL in TIME_WAIT; tcp_fin_timeout in orphaned FIN_WAIT_2. In a lane of the
     * stack's: every connection waits the same time (ev_lane.h). */
    struct ev_lnode time_wait;
};

/* What the invariant checks remember between two looks at a connection. */
struct tcp_inv_shadow {
    tcp_seq rcv_nxt;    /* RCV.NXT when last checked */
    tcp_seq right_edge; /* the highest SND.UNA + SND.WND seen */
    bool rcv_valid;
    bool edge_valid;
};

/* Linux's fast recovery beside the RFC 6675 scoreboard: the PRR counters (RFC 6937),
 * what undoing a reduction needs (Linux undo_marker, undo_retrans, prior_cwnd,
 * prior_ssthresh, retrans_stamp), the loss state after a timeout with F-RTO (RFC 5682),
 * and the receiver's pending D-SACK block (RFC 2883). Counts of segments, as Linux's. */
struct tcp_undo {
    uint32_t prior_cwnd;     /* cwnd when the reduction began (RFC 6937 RecoverFS) */
    uint32_t prior_ssthresh; /* ssthresh to restore on undo; 0: none */
    uint32_t prr_delivered;  /* segments delivered since recovery began (RFC 6937) */
    uint32_t prr_out;        /* segments sent since recovery began (RFC 6937) */
    tcp_seq marker;          /* SND.UNA when the episode began (Linux undo_marker) */
    int32_t retrans;         /* retransmissions not yet proven spurious; -1: none sent */
    uint32_t retrans_ts;     /* TSval of the episode's first retransmission; 0: none */
    uint32_t rcv_tsecr;      /* the TSecr of the ACK being processed; 0: none */
    tcp_seq high_seq;        /* after a timeout: SND.MAX then (Linux high_seq) */
    tcp_seq rexmit_high;     /* after a timeout: the end of what was retransmitted */
    struct tcp_sack_block dsack; /* receiver: the D-SACK block the next ACK reports */
    bool valid;              /* an undo is possible (Linux undo_marker != 0) */
    bool in_loss;            /* after a timeout, until SND.UNA passes high_seq (TCP_CA_Loss) */
    bool frto;               /* F-RTO is judging this timeout (RFC 5682 §3) */
    bool dsack_pending;      /* receiver: dsack goes out with the next segment */
};

/* Fields are grouped by what they are for, and within a group ordered so that the
 * compiler adds no padding: a connection in TIME_WAIT keeps this whole block, and a
 * million of them must fit in a gigabyte (the layout is checked by a unit test). */
struct tcp_tcb {
    /* Name and tuple, as traces print them. First, so that &tcb->id == tcb: the host's
     * demux table keys on the id and, key and value being one pointer, keeps one array
     * for both (a GHashTable used as a set). */
    struct trace_sock id;
    enum tcp_state state;
    uint32_t refs;
    struct tcp_stack *stack;

    /* RFC 9293 §3.3.1 send sequence variables. */
    tcp_seq snd_una;
    tcp_seq snd_nxt;
    tcp_seq snd_max; /* highest sequence number sent; snd_nxt rewinds on RTO */
    tcp_seq snd_wl1;
    tcp_seq snd_wl2;
    tcp_seq iss;
    uint32_t snd_wnd; /* bytes, already scaled */
    uint32_t max_snd_wnd;

    /* RFC 9293 §3.3.1 receive sequence variables. */
    tcp_seq rcv_nxt;
    tcp_seq irs;
    /* Ground truth the simulator knows and a real TCP cannot: which connection sent a
     * segment. The receiver learns the peer's at the handshake, so bytes from an older
     * incarnation of the same four-tuple can be counted as foreign (tcp_rcv_append()). */
    uint64_t stream_id;
    uint64_t peer_stream;
    uint32_t rcv_wnd; /* as last advertised, in bytes */
    tcp_seq rcv_adv;  /* right edge last advertised: never moves left (§3.8.6.2.2) */
    uint32_t rcv_ssthresh; /* Linux: the window grows towards the buffer from here */
    uint32_t window_clamp; /* Linux: the largest window offered (tp->window_clamp) */
    uint16_t rcv_mss;      /* the peer's segment size as seen (Linux icsk_ack.rcv_mss) */
    bool syn_acked;        /* our SYN has been acknowledged */
    bool synack_out;       /* a SYN-ACK has been sent: sending it again is a resend */
    uint8_t scaling_ratio; /* Linux: payload per 256 bytes of buffer, measured; 0 = default */

    /* Options (RFC 9293 §3.7.1, RFC 7323, RFC 2018). */
    uint16_t mss;       /* payload bytes per full segment we send (options excluded) */
    uint16_t adv_mss;   /* MSS we announced */
    uint8_t snd_wscale; /* the peer's shift: applied to windows it sends */
    uint8_t rcv_wscale; /* our shift: applied to windows we send */
    bool ws_ok;
    bool sack_ok;
    uint32_t ts_offset;  /* added to our clock in TSval */
    uint32_t ts_recent;  /* RFC 7323 §4.3 TS.Recent */
    sim_time ts_recent_at;
    tcp_seq last_ack_sent;
    bool ts_ok;
    bool last_oow_ack_valid;
    sim_time last_rcv_at;   /* any segment from the peer (keep-alive idle time) */
    sim_time last_oow_ack;  /* rate limit of challenge and out-of-window ACKs */

    /* RFC 6298 retransmission timer state. */
    sim_time srtt;
    sim_time rttvar;
    sim_time rto;
    sim_time rtt_start;
    sim_time retrans_start; /* when the retry budget started counting, Linux retrans_stamp */
    tcp_seq rtt_seq;
    uint16_t backoff;     /* RTO doublings since the last new ACK */
    uint16_t retransmits; /* consecutive RTO expiries, Linux icsk_retransmits */
    bool rtt_seeded;
    bool rtt_timing; /* a segment is being timed (Karn: never a retransmitted one) */
    uint8_t rexmit_cause;   /* what a resend below SND.MAX is for (enum tcp_tx_cause) */
    uint8_t xmit_timer;     /* what timer.rto is armed for (enum tcp_xmit_timer) */

    /* Congestion control (RFC 5681), behind tcp_cc_ops. */
    struct tcp_undo undo; /* PRR, D-SACK and undo (tcp_prr.c, tcp_dsack.c, tcp_undo.c) */
    struct tcp_cc_state cc;
    const struct tcp_cc_ops *cc_ops;
    GArray *sacked;     /* struct tcp_sack_block: ranges the peer SACKed, sorted, merged */
    struct tcp_rack *rack; /* RACK-TLP (tcp_rack.c), NULL when off */
    tcp_seq high_rxt;   /* RFC 6675 HighRxt */
    tcp_seq recover;    /* RFC 6582: highest sequence sent when recovery began */
    tcp_seq snd_sml;    /* end of the last small segment sent (Minshall's Nagle) */
    uint16_t dupacks;
    bool in_recovery;   /* fast recovery (RFC 5681 §3.2, RFC 6582, RFC 6675) */
    bool sack_recovery; /* ... driven by the SACK scoreboard (RFC 6675) */
    bool high_rxt_valid;
    bool recover_valid;
    /* Congestion window validation (tcp_cwv.c; RFC 7661, Linux tcp_cwnd_validate()). */
    bool cwnd_limited;      /* Linux is_cwnd_limited: this window was used to the full */
    tcp_seq cwnd_usage_seq; /* ... the window measured ends when this is acknowledged */
    uint32_t max_flight;    /* ... the largest flight in it, bytes (max_packets_out) */
    uint32_t cwnd_used;     /* Linux snd_cwnd_used: the largest flight while not limited */
    sim_time cwnd_stamp;    /* Linux snd_cwnd_stamp: the window last found in use */
    sim_time lsndtime;      /* the last data segment sent (Linux lsndtime) */

    /* Delayed ACK (RFC 1122 §4.2.3.2, Linux quick-ack). */
    uint16_t unacked_segs; /* full segments received since our last ACK */
    uint16_t quickack;     /* segments still to ACK at once */
    bool pingpong;         /* interactive mode: ACKs wait for data (Linux) */
    bool ack_now;
    sim_time ato;          /* delayed-ACK timeout, adapted to the arrival rate */
    sim_time ato_armed;    /* the timeout the delayed-ACK timer was armed with */
    sim_time lrcvtime;     /* last in-order data received */

    /* Buffers. */
    struct tcp_sndbuf snd;
    struct tcp_rcvbuf rcv;
    GArray *ooo; /* struct tcp_ooo, in sequence order; NULL when empty */
    uint64_t ooo_stamp;
    uint32_t ooo_bytes;
    uint32_t rcvq_space;   /* Linux rcvq_space: bytes the reader took in the last RTT */
    uint64_t rcvq_read;    /* ... counted from this read offset */
    sim_time rcvq_time;    /* ... since this time */

    /* Close and user-facing status. */
    sim_time keepidle;  /* TCP_KEEPIDLE, 0 = sysctl */
    sim_time keepintvl;
    sim_time user_timeout; /* TCP_USER_TIMEOUT, 0 = none */
    int so_error;       /* errno the application sees next (ECONNREFUSED, ETIMEDOUT ...) */
    uint16_t keepcnt;
    uint16_t probes_out; /* keepalive or window probes unanswered */
    uint16_t persist_backoff;
    uint16_t user_mss;     /* TCP_MAXSEG before the connection, 0 = none */
    bool fin_from_queue; /* the reassembly queue released a FIN */
    bool fin_queued;    /* the application closed or shut down writing: FIN after data */
    bool rd_shutdown;   /* the application will not read again */
    bool orphan;        /* the application closed its handle */
    bool fin_received;  /* the peer's FIN was consumed: EOF after the buffered data */
    bool nodelay;       /* TCP_NODELAY: Nagle off (RFC 896) */
    bool cork;          /* TCP_CORK: partial segments wait (Linux TCP_NAGLE_CORK) */
    bool more;          /* MSG_MORE on the write being served: corked for its push */
    bool push_once;     /* the next output sends corked data (Linux TCP_NAGLE_PUSH) */
    bool keepalive;     /* SO_KEEPALIVE */
    bool release;       /* CLOSED: leave the demux table after the current entry point */
    bool detached;
    bool passive;       /* created by a listener */
    bool iss_preset;    /* the ISS was chosen before connect() (TIME_WAIT reuse) */
    bool rcvbuf_locked; /* SO_RCVBUF was set: no autotuning, wscale from it */
    bool sndbuf_locked;
    bool snd_nospace;   /* a write found the send buffer full (Linux SOCK_NOSPACE) */
    bool push_one;      /* this output sends one TSO packet at most (Linux tcp_push_one()) */
    bool in_accept_q;   /* (a listener's child; here to fill the 16-bit boundary) */

    /* Listener and its children. */
    uint16_t synack_timeouts; /* SYN-ACK timer expiries (Linux num_timeout) */
    struct tcp_listen_q *lq;  /* set on a listener */
    struct tcp_tcb *parent;   /* a child not yet accepted */
    GList qlink;              /* link in the parent's SYN or accept queue */

    struct tcp_timers timer;
    struct tcp_inv_shadow inv; /* what the invariant checks remember (tcp_invariants.c) */
    uint32_t scratch_len;
    void *user; /* the application's socket, opaque to TCP */
    char *own_name; /* id.name, copied when the socket goes before the connection */
    uint8_t *scratch; /* payload bytes of text segments, built on emit */
};

#define TCP_DEFAULT_MSS 536 /* RFC 9293 §3.7.1: when the peer sends no MSS option */
#define TCP_DEFAULT_MSS6 1220 /* the same over IPv6: 1280 (RFC 8200 §5) - 40 - 20 */

/* The MSS to assume of a peer that sends no MSS option, by the connection's family.
 * Linux: tcp_v6_connect() and tcp_request_sock_ipv6_ops.mss_clamp (IPV6_MIN_MTU - 60). */
static inline uint32_t
tcp_default_mss(const struct tcpsim_addr *a)
{
    return ip_is6(a) ? TCP_DEFAULT_MSS6 : TCP_DEFAULT_MSS;
}

/* tcp_fsm.c */
const char *tcp_state_name(enum tcp_state s);
const char *tcp_cause_name(enum tcp_cause c);
const char *tcp_drop_reason_name(enum tcp_drop_reason r);
bool tcp_state_is_synchronized(enum tcp_state s);
bool tcp_state_fin_sent(enum tcp_state s);
bool tcp_transition_legal(enum tcp_state from, enum tcp_state to);
void tcp_set_state(struct tcp_tcb *tcb, enum tcp_state next, enum tcp_cause cause);
void tcp_fsm_born_listening(struct tcp_tcb *child);

/* tcp_invariants.c: NULL when the invariants hold, else a description to free. */
char *tcp_inv_check(struct tcp_tcb *tcb);
char *tcp_inv_transition(const struct tcp_tcb *tcb, enum tcp_state from, enum tcp_state to);
bool tcp_inv_transition_allowed(enum tcp_state from, enum tcp_state to);
/* Prints "tcpsim: invariant broken at T s on host H: MSG" and aborts; with a handler
 * installed (tcp_inv_set_handler()), hands it the message instead and returns, and the
 * simulation goes on. */
void tcp_inv_fail(sim_time now, const char *host, char *msg);
/* The explorer (sim/explore) records broken invariants instead of dying of the first:
 * `fn` takes ownership of `msg`. NULL restores the abort. One per process. */
typedef void (*tcp_inv_handler)(sim_time now, const char *host, char *msg);
void tcp_inv_set_handler(tcp_inv_handler fn);

/* tcp_stack.c */
void tcp_stack_init(struct tcp_stack *st, struct ev_queue *q, struct trace *trace,
                    const char *host_name, struct tcpsim_addr addr, uint64_t seed);
void tcp_stack_destroy(struct tcp_stack *st);
struct tcp_tcb *tcp_tcb_new(struct tcp_stack *st);
void tcp_tcb_ref(struct tcp_tcb *tcb);
void tcp_tcb_unref(struct tcp_tcb *tcb);
/* Congestion control begins once the handshake is done: the knobs' initial window and
 * HyStart setting, then the algorithm's own start. */
void tcp_cc_start(struct tcp_tcb *tcb);
/* Drops the protocol's reference to a TCB that never left CLOSED nor joined the demux
 * table (a connect() refused before anything was sent). */
void tcp_tcb_discard(struct tcp_tcb *tcb);
/* The application's socket is going, the connection may stay (TIME_WAIT, an orphan):
 * the connection keeps its own copy of the name the traces print. */
void tcp_tcb_keep_name(struct tcp_tcb *tcb);
tcp_seq tcp_stack_isn(struct tcp_stack *st, const struct tcpsim_addr *laddr, uint16_t lport,
                      const struct tcpsim_addr *raddr, uint16_t rport);
uint32_t tcp_stack_ts_offset(struct tcp_stack *st, const struct tcpsim_addr *laddr,
                             const struct tcpsim_addr *raddr);
static inline void
tcp_mib_inc(struct tcp_stack *st, enum tcp_mib m)
{
    st->mib[m]++;
}
/* Charges (or, negative, credits) the simulation's memory meter (engine/mem.h). */
static inline void
tcp_mem_charge(const struct tcp_tcb *tcb, int64_t bytes)
{
    mem_charge(&tcb->stack->q->mem, bytes);
}
/* What a connection block costs: the block and its demux entry. */
#define TCP_TCB_BYTES ((int64_t)sizeof(struct tcp_tcb) + 64)
/* Called last by every entry point: leaves the demux table if CLOSED. */
void tcp_entry_done(struct tcp_tcb *tcb);
/* Wakes the application. */
void tcp_wakeup(struct tcp_tcb *tcb, unsigned events);
sim_time tcp_now(const struct tcp_tcb *tcb);
/* Fails the connection: so_error, wake, CLOSED (no segment is sent). */
void tcp_fail(struct tcp_tcb *tcb, int err, enum tcp_cause cause);

/* tcp_input.c */
/* Returns true when the connection gave way and the segment must be demuxed again. */
bool tcp_input_segment(struct tcp_tcb *tcb, const struct tcp_seg *seg);
void tcp_input_continue(struct tcp_tcb *tcb, const struct tcp_seg *seg);
/* A segment for no connection and no listener (§3.10.7.1). */
void tcp_input_no_socket(struct tcp_stack *st, const struct tcp_seg *seg);
void tcp_trace_discard(struct tcp_stack *st, const struct tcp_tcb *tcb, const struct tcp_seg *seg,
                       enum tcp_drop_reason why);

/* tcp_input_sync.c */
struct tcp_verdict tcp_input_sync(struct tcp_tcb *tcb, const struct tcp_seg *seg);
struct tcp_verdict tcp_input_sync_text(struct tcp_tcb *tcb, const struct tcp_seg *seg);
bool tcp_paws_rejects(const struct tcp_tcb *tcb, const struct tcp_seg *seg);
void tcp_update_ts_recent(struct tcp_tcb *tcb, const struct tcp_seg *seg);

/* tcp_rcv.c */
struct tcp_verdict tcp_rcv_text(struct tcp_tcb *tcb, struct tcp_seg *s);
struct tcp_verdict tcp_rcv_fin(struct tcp_tcb *tcb, const struct tcp_seg *s);

/* tcp_time_wait.c */
struct tcp_verdict tcp_time_wait_input(struct tcp_tcb *tcb, const struct tcp_seg *seg);
tcp_seq tcp_listen_choose_isn(struct tcp_tcb *lst, struct tcp_tcb *child);
void tcp_tw_takeover(struct tcp_tcb *tw, struct tcp_tcb *tcb);

/* tcp_delack.c */
void tcp_delack_data_received(struct tcp_tcb *tcb, uint32_t len);
void tcp_delack_data_sent(struct tcp_tcb *tcb);
void tcp_delack_enter_pingpong(struct tcp_tcb *tcb);
void tcp_delack_decide(struct tcp_tcb *tcb);
void tcp_delack_old_data(struct tcp_tcb *tcb);
void tcp_delack_window_selected(struct tcp_tcb *tcb);
void tcp_delack_arm(struct tcp_tcb *tcb);
void tcp_delack_fired(struct tcp_tcb *tcb);

/* tcp_cwv.c */
bool tcp_cwnd_is_limited(const struct tcp_tcb *tcb);
void tcp_cwnd_validate(struct tcp_tcb *tcb, bool sent);
void tcp_cwnd_idle_check(struct tcp_tcb *tcb);

/* tcp_probe.c */
void tcp_persist_check(struct tcp_tcb *tcb);
void tcp_persist_expired(struct tcp_tcb *tcb);
void tcp_keepalive_expired(struct tcp_tcb *tcb);

/* tcp_ack.c */
struct tcp_verdict tcp_ack_process(struct tcp_tcb *tcb, const struct tcp_seg *seg);
void tcp_update_window(struct tcp_tcb *tcb, const struct tcp_seg *seg, tcp_seq prior_una);
bool tcp_fin_acked(const struct tcp_tcb *tcb);

/* tcp_output.c */
void tcp_output(struct tcp_tcb *tcb);
/* TSO (tcp_tso.c): an output pass groups its first transmissions into TSO packets. */
void tcp_tso_begin(struct tcp_tcb *tcb);
void tcp_tso_emit(struct tcp_tcb *tcb, struct tcp_seg *seg);
void tcp_tso_end(struct tcp_tcb *tcb);
void tcp_ack_now(struct tcp_tcb *tcb);
/* Whether the rate-limited ACK that answers a segment discarded for `why` may go now;
 * if not, the skip is counted as Linux counts it. */
bool tcp_oow_ack_allowed(struct tcp_tcb *tcb, enum tcp_drop_reason why);
/* Sends the ACK tcp_oow_ack_allowed() allowed; RFC 5961 challenge ACKs are counted. */
void tcp_send_oow_ack(struct tcp_tcb *tcb, enum tcp_drop_reason why);
uint32_t tcp_retransmit_head(struct tcp_tcb *tcb, uint8_t cause);
/* One segment starting at `seq` (a retransmission below SND.MAX, new data at it);
 * returns the sequence space it took, 0 when nothing could go. */
uint32_t tcp_send_segment_at(struct tcp_tcb *tcb, tcp_seq seq, uint8_t cause);
/* New data (or the FIN) is waiting and the peer's window has room for it. */
bool tcp_new_data_fits(const struct tcp_tcb *tcb);
/* Linux: tcp_sndbuf_expand(): the send buffer follows the congestion window. */
void tcp_sndbuf_expand(struct tcp_tcb *tcb);
void tcp_output_probe(struct tcp_tcb *tcb, uint8_t cause);
bool tcp_output_window_fill(struct tcp_tcb *tcb);
void tcp_output_cookie_syn_ack(struct tcp_tcb *tmp);
void tcp_trace_cc(struct tcp_tcb *tcb, const char *why);
uint32_t tcp_initial_window(const struct tcp_tcb *tcb, bool syn_ack);
uint32_t tcp_rcv_full_space(const struct tcp_tcb *tcb);
/* Linux: tcp_space(): the window the free part of the receive buffer can offer. */
uint32_t tcp_rcv_space(const struct tcp_tcb *tcb);
/* Linux: tcp_win_from_space() and tcp_space_from_win(), by the measured scaling_ratio
 * (the RFC personality: tcp_adv_win_scale). */
uint32_t tcp_win_from_space(const struct tcp_tcb *tcb, uint64_t space);
uint64_t tcp_space_from_win(const struct tcp_tcb *tcb, uint64_t win);
/* The buffer memory a segment of `len` payload bytes takes as an skb of its own (Linux
 * skb->truesize); coalesced into the tail skb it costs only `len`. */
uint32_t tcp_truesize(const struct tcp_tcb *tcb, uint32_t len);
/* Linux: SKB_TRUESIZE() of a received segment's head (sk_buff, header area,
 * skb_shared_info): what a segment costs beyond its payload when it starts an skb. */
#define TCP_SKB_HEAD_TRUESIZE 832
/* Linux: MAX_SKB_FRAGS: page fragments one skb can hold, so segments coalesced into one. */
#define TCP_SKB_MAX_FRAGS 17
/* Linux: tcp_init_buffer_space(), when the connection is established: the window clamp
 * keeps one segment of the buffer for the application (tcp_app_win). */
void tcp_init_buffer_space(struct tcp_tcb *tcb);
/* Linux: tcp_set_window_clamp(): a new clamp; rcv_ssthresh follows it down, or up to
 * the window last offered. */
void tcp_set_window_clamp(struct tcp_tcb *tcb, uint32_t clamp);
/* The window clamp a new connection starts with (tcp_select_initial_window()). */
uint32_t tcp_initial_window_clamp(const struct tcp_tcb *tcb);
/* Linux: the update of scaling_ratio in tcp_measure_rcv_mss(), for a segment of `len`. */
void tcp_scaling_ratio_update(struct tcp_tcb *tcb, uint32_t len);
/* The peer's segment size as the receiver sees it, for window rounding (rcv_mss). */
uint32_t tcp_rcv_mss(const struct tcp_tcb *tcb);
/* A RST for this connection: <SEQ=SND.NXT><CTL=RST> (abort, §3.10.5). */
void tcp_output_rst(struct tcp_tcb *tcb);
/* A RST answering `seg`, from a stack with or without a connection (§3.10.7.1). */
void tcp_output_rst_reply(struct tcp_stack *st, const struct tcp_seg *seg);
uint32_t tcp_rcv_window(const struct tcp_tcb *tcb);
/* The window the buffer offers now, which may be less than the one advertised. */
uint32_t tcp_rcv_window_fresh(const struct tcp_tcb *tcb);
bool tcp_rcv_window_short(const struct tcp_tcb *tcb);

/* tcp_options.c */
void tcp_options_syn(struct tcp_tcb *tcb, struct tcp_opts *o, bool syn_ack);
void tcp_options_data(struct tcp_tcb *tcb, struct tcp_opts *o);
void tcp_options_negotiate(struct tcp_tcb *tcb, const struct tcp_seg *syn, bool we_offered);
void tcp_options_init_local(struct tcp_tcb *tcb);
uint32_t tcp_ts_now(const struct tcp_tcb *tcb);

/* tcp_timers.c */
/* When a timer armed now for `delay` fires: now + delay, or with the hz knob the tick
 * the Linux timer wheel would run it in. */
sim_time tcp_timer_expiry(const struct tcp_stack *st, sim_time delay);
/* The tick count (Linux: jiffies) at time t, under hz > 0, and the time it reaches j. */
int64_t tcp_jiffies_at(const struct tcp_sysctl *s, sim_time t);
sim_time tcp_jiffies_time(const struct tcp_sysctl *s, int64_t j);
/* The timer wheel's level for a timer d ticks away (its buckets are 8^level ticks). */
unsigned tcp_wheel_level(int64_t hz, int64_t d);
void tcp_timers_init(struct tcp_tcb *tcb);
void tcp_timers_cancel_all(struct tcp_tcb *tcb);
void tcp_timer_rto_arm(struct tcp_tcb *tcb);
void tcp_timer_rto_restart(struct tcp_tcb *tcb);
void tcp_timer_rto_stop(struct tcp_tcb *tcb);
void tcp_timer_delack_arm(struct tcp_tcb *tcb);
void tcp_timer_delack_stop(struct tcp_tcb *tcb);
void tcp_timer_time_wait_start(struct tcp_tcb *tcb);
void tcp_timer_fin_wait_2_start(struct tcp_tcb *tcb);
void tcp_timer_keepalive_reset(struct tcp_tcb *tcb);
void tcp_timer_persist_arm(struct tcp_tcb *tcb);
void tcp_timer_persist_stop(struct tcp_tcb *tcb);
void tcp_timer_keepalive_arm_interval(struct tcp_tcb *tcb);
/* A timer fired: the trace event, with the timeout that expired (`span`, 0 if unknown). */
void tcp_timer_trace(struct tcp_tcb *tcb, enum tcp_timer_id id, int64_t count, sim_time next,
                     sim_time span);
/* Arms the retransmission timer for a loss probe or RACK's reordering timeout (it then
 * stands in for the RTO, as in Linux). */
void tcp_timer_xmit_arm(struct tcp_tcb *tcb, enum tcp_xmit_timer what, sim_time delay);
/* Linux: tcp_rearm_rto(): the RTO again, counted from the oldest outstanding segment's
 * send when a probe or reordering timeout held the timer. */
void tcp_timer_rto_rearm(struct tcp_tcb *tcb);

/* tcp_rtt.c */
void tcp_rtt_sample(struct tcp_tcb *tcb, sim_time rtt);
void tcp_rtt_init(struct tcp_tcb *tcb);
sim_time tcp_rto_current(const struct tcp_tcb *tcb);
sim_time tcp_rtt_freebsd_rto(const struct tcp_tcb *tcb, unsigned shift);

/* tcp_buf.c */
void tcp_buf_init(struct tcp_tcb *tcb, uint32_t sndbuf, uint32_t rcvbuf);
void tcp_freebsd_round_buffers(struct tcp_tcb *tcb, uint32_t mss);
void tcp_buf_free(struct tcp_tcb *tcb);
/* Releases what a connection that will send no more data does not need (TIME_WAIT). */
void tcp_buf_compact(struct tcp_tcb *tcb);
uint32_t tcp_snd_space(const struct tcp_tcb *tcb);
bool tcp_snd_writeable(const struct tcp_tcb *tcb);
/* Linux personality: the send buffer in truesize (tcp_buf.c). What the write queue is
 * charged (sk_wmem_queued); whether a write may start another skb
 * (sk_stream_memory_free()); the payload a write queues now, Linux's skb by skb
 * (tcp_sendmsg_locked()), with `push` called when Linux pushes in the middle of it;
 * an skb cut where a transmission ends (tso_fragment(), tcp_fragment()). */
uint64_t tcp_snd_wmem_queued(const struct tcp_tcb *tcb);
bool tcp_snd_memory_free(const struct tcp_tcb *tcb);
uint32_t tcp_snd_write_linux(struct tcp_tcb *tcb, uint32_t len, const uint8_t *text, bool more,
                             void (*push)(struct tcp_tcb *, bool one));
void tcp_snd_skb_split(struct tcp_tcb *tcb, uint64_t off);
/* Linux 6.10+ tcp_grow_skb(): the first unsent skb, shorter than the packet of `want`
 * bytes the congestion window allows, takes bytes from the next one (tcp_wqueue.c). */
void tcp_snd_grow_head(struct tcp_tcb *tcb, uint64_t want);
/* Linux: tcp_check_space(), after output: a writer that found the buffer full gets a
 * larger one if the network, not the buffer, was waiting, and is woken once a third of
 * the buffer is free. */
void tcp_snd_check_space(struct tcp_tcb *tcb);
uint64_t tcp_snd_queued(const struct tcp_tcb *tcb);
/* Appends `len` bytes (pattern, or `text` when not NULL). */
void tcp_snd_append(struct tcp_tcb *tcb, uint32_t len, const uint8_t *text);
/* Whether a segment whose data ends at stream offset `end` carries PSH. */
bool tcp_snd_push_at(const struct tcp_tcb *tcb, uint64_t end);
void tcp_snd_acked(struct tcp_tcb *tcb, uint64_t bytes);
/* Payload of a segment starting at stream offset `off`: NULL for pure pattern, else a
 * pointer to `len` materialized bytes (valid until the next call). */
const uint8_t *tcp_snd_bytes(struct tcp_tcb *tcb, uint64_t off, uint32_t len);
uint32_t tcp_rcv_free(const struct tcp_tcb *tcb);
/* Linux: tcp_clamp_window(): room for `need` more bytes the window let in. */
void tcp_rcvbuf_make_room(struct tcp_tcb *tcb, uint32_t need);
uint32_t tcp_rcv_queued(const struct tcp_tcb *tcb);
/* Appends in-order bytes from a segment; `skip` bytes of its payload are already had. */
void tcp_rcv_append(struct tcp_tcb *tcb, const struct tcp_seg *seg, uint32_t skip, uint32_t len);
/* Reads up to `max` bytes: copies into `out` when not NULL; returns the count. */
uint32_t tcp_rcv_read(struct tcp_tcb *tcb, uint32_t max, uint8_t *out);
/* The receive queue's memory as Linux charges it (sk_rmem_alloc, tcp_buf.c). */
uint64_t tcp_rcv_truesize(const struct tcp_tcb *tcb);
/* What setsockopt(SO_RCVBUF or SO_SNDBUF, v) stores. Linux (sock_setsockopt()): 2v,
 * with v capped by net.core.rmem_max / wmem_max (212992) and the result floored at
 * SOCK_MIN_RCVBUF / SOCK_MIN_SNDBUF; the RFC personality stores v. */
int64_t tcp_sockopt_bufsize(const struct tcp_stack *st, int64_t v, bool rcv);
/* Linux: tcp_rcv_space_adjust(): grows the receive buffer to what the reader drains. */
void tcp_rcvbuf_adjust(struct tcp_tcb *tcb);

/* tcp_sack.c */
uint32_t tcp_sack_update(struct tcp_tcb *tcb, const struct tcp_seg *seg);
uint32_t tcp_sack_bytes(const struct tcp_tcb *tcb);
bool tcp_sack_is_sacked(const struct tcp_tcb *tcb, tcp_seq seq);
uint32_t tcp_sack_bytes_below(const struct tcp_tcb *tcb, tcp_seq seq);
sim_time tcp_rack_acked_rtt(const struct tcp_tcb *tcb, tcp_seq ack, sim_time now);
bool tcp_sack_is_lost(const struct tcp_tcb *tcb, tcp_seq seq);
/* DupThresh: 3, or (Linux) the connection's reordering degree (tcp_rack.c). */
uint32_t tcp_dupthresh(const struct tcp_tcb *tcb);
tcp_seq tcp_sack_skip(const struct tcp_tcb *tcb, tcp_seq seq);
uint32_t tcp_sack_pipe(const struct tcp_tcb *tcb);
bool tcp_sack_next_hole(const struct tcp_tcb *tcb, tcp_seq *out, bool *lost);
void tcp_sack_clear(struct tcp_tcb *tcb);

/* tcp_prr.c: Proportional Rate Reduction (RFC 6937), the Linux personality's rate in
 * SACK recovery. */
bool tcp_prr_enabled(const struct tcp_tcb *tcb);
void tcp_prr_start(struct tcp_tcb *tcb);
void tcp_prr_on_ack(struct tcp_tcb *tcb, uint32_t delivered, bool una_advanced,
                    uint32_t newly_sacked);
void tcp_prr_sent(struct tcp_tcb *tcb, const struct tcp_seg *seg);

/* tcp_dsack.c: D-SACK (RFC 2883), the receiver's report and the sender's reading. */
void tcp_dsack_set(struct tcp_tcb *tcb, tcp_seq start, tcp_seq end);
void tcp_dsack_extend(struct tcp_tcb *tcb, tcp_seq start, tcp_seq end);
void tcp_dsack_old_data(struct tcp_tcb *tcb, const struct tcp_seg *seg);
bool tcp_dsack_take(struct tcp_tcb *tcb, struct tcp_sack_block *out);
uint32_t tcp_dsack_check(struct tcp_tcb *tcb, const struct tcp_seg *seg, tcp_seq prior_una);

/* tcp_undo.c: undoing a reduction that was spurious (D-SACK, timestamps, F-RTO). */
void tcp_undo_init(struct tcp_tcb *tcb);
void tcp_undo_sent(struct tcp_tcb *tcb, const struct tcp_seg *seg);
bool tcp_undo_recovery(struct tcp_tcb *tcb);
void tcp_undo_on_rto(struct tcp_tcb *tcb);
void tcp_undo_on_ack(struct tcp_tcb *tcb, const struct tcp_seg *seg, tcp_seq prior_una,
                     uint32_t dsacked, uint32_t newly_sacked, bool dupack);

/* tcp_recovery.c */
void tcp_recovery_on_ack(struct tcp_tcb *tcb, uint32_t acked, bool dupack, uint32_t newly_sacked);
bool tcp_recovery_send(struct tcp_tcb *tcb);
/* RACK's reordering timer marked segments lost: recovery starts (tcp_rack.c). */
void tcp_recovery_rack_timeout(struct tcp_tcb *tcb);

/* tcp_rack.c: RACK loss detection (RFC 8985 §6). */
/* RACK decides what is lost: tcp_recovery has bit 1 and the connection uses SACK. */
bool tcp_rack_on(const struct tcp_tcb *tcb);
/* A data or FIN segment [seq, seq+len) went out (from emit()). */
void tcp_rack_sent(struct tcp_tcb *tcb, tcp_seq seq, uint32_t len, bool retransmission);
/* An acceptable ACK, after SND.UNA and the SACK scoreboard moved: deliveries, the loss
 * probe's outcome, and loss detection (RFC 8985 §6.2, §7.4). */
void tcp_rack_on_ack(struct tcp_tcb *tcb, const struct tcp_seg *seg, uint32_t acked,
                     uint32_t newly_sacked);
/* The reordering timer fired (RFC 8985 §6.3). */
void tcp_rack_reo_fired(struct tcp_tcb *tcb);
/* An RTO fired: everything outstanding is lost (Linux tcp_enter_loss()). */
void tcp_rack_on_rto(struct tcp_tcb *tcb);
/* Segments marked lost and not yet retransmitted. */
bool tcp_rack_lost_any(const struct tcp_tcb *tcb);
/* RACK's pipe (Linux tcp_packets_in_flight(), in bytes) and its next lost segment. */
uint32_t tcp_rack_pipe(const struct tcp_tcb *tcb);
bool tcp_rack_next_lost(const struct tcp_tcb *tcb, tcp_seq *out);
/* Records outstanding (Linux packets_out), and when the oldest was last sent (-1: none). */
uint32_t tcp_rack_outstanding(const struct tcp_tcb *tcb);
sim_time tcp_rack_head_xmit(const struct tcp_tcb *tcb);
/* Whether SACKed, lost or retransmitted segments are outstanding (Linux CA_Disorder). */
bool tcp_rack_disorder(const struct tcp_tcb *tcb);
/* Segments now SACKed, lost (tcpi_sacked, tcpi_lost) and reorderings seen. */
uint32_t tcp_rack_count(const struct tcp_tcb *tcb, uint8_t flag);
void tcp_rack_free(struct tcp_tcb *tcb);

/* tcp_tlp.c: tail loss probes (RFC 8985 §7). */
bool tcp_tlp_on(const struct tcp_tcb *tcb);
/* Arms the probe timer if a probe is allowed now (Linux tcp_schedule_loss_probe());
 * `advancing_rto`: after an ACK of new data, which restarted the RTO. */
bool tcp_tlp_schedule(struct tcp_tcb *tcb, bool advancing_rto);
/* The probe timer fired: send a probe (Linux tcp_send_loss_probe()). */
void tcp_tlp_fired(struct tcp_tcb *tcb);
/* What an ACK says about an outstanding probe (Linux tcp_process_tlp_ack()). */
void tcp_tlp_on_ack(struct tcp_tcb *tcb, const struct tcp_seg *seg, uint32_t acked,
                    uint32_t newly_sacked);
/* After the ACK was processed: re-arm the probe if the ACK acknowledged new data. */
void tcp_tlp_after_ack(struct tcp_tcb *tcb, uint32_t acked);

/* tcp_reass.c */
/* Queues an out-of-order segment (trimmed to the window); FALSE if it could not be. */
bool tcp_reass_insert(struct tcp_tcb *tcb, const struct tcp_seg *seg);
/* Moves what became in order onto the receive buffer; returns TRUE if a FIN came with it. */
bool tcp_reass_drain(struct tcp_tcb *tcb);
void tcp_reass_free(struct tcp_tcb *tcb);
/* SACK blocks to report (RFC 2018 §4), most recent first. */
unsigned tcp_reass_sack_blocks(const struct tcp_tcb *tcb, struct tcp_sack_block *out,
                               unsigned max);

/* tcp_listen.c */
void tcp_listen_init(struct tcp_tcb *tcb, int backlog);
void tcp_listen_close(struct tcp_tcb *tcb);
/* Frees the queues without touching the children (teardown of a whole host). */
void tcp_listen_forget(struct tcp_tcb *tcb);
struct tcp_verdict tcp_listen_syn(struct tcp_tcb *lst, const struct tcp_seg *seg);
struct tcp_verdict tcp_listen_ack(struct tcp_tcb *lst, const struct tcp_seg *seg);
/* The final ACK found the accept queue full: Linux's overflow policy. */
struct tcp_verdict tcp_listen_overflow(struct tcp_tcb *child);
struct tcp_tcb *tcp_listen_new_child(struct tcp_tcb *lst, const struct tcp_seg *seg);
bool tcp_listen_cookies_expected(const struct tcp_tcb *lst);
uint32_t tcp_listen_backlog(const struct tcp_tcb *lst);
/* A child finished its handshake: from the SYN queue to the accept queue. */
void tcp_listen_child_established(struct tcp_tcb *child);
void tcp_listen_child_gone(struct tcp_tcb *child);
struct tcp_tcb *tcp_listen_accept(struct tcp_tcb *lst);
bool tcp_listen_accept_full(const struct tcp_tcb *lst);
uint32_t tcp_listen_accept_len(const struct tcp_tcb *lst);
uint32_t tcp_listen_syn_len(const struct tcp_tcb *lst);

/* tcp_syncookie.c */
void tcp_syncookie_answer(struct tcp_tcb *lst, const struct tcp_seg *syn);
struct tcp_verdict tcp_syncookie_check(struct tcp_tcb *lst, const struct tcp_seg *ack);

/* tcp_user.c: the application's calls (§3.10.1-5); errno-style results. */
int tcp_user_listen(struct tcp_tcb *tcb, struct tcpsim_addr addr, uint16_t port, int backlog);
int tcp_user_connect(struct tcp_tcb *tcb, struct tcpsim_addr laddr, uint16_t lport,
                     struct tcpsim_addr raddr, uint16_t rport);
int64_t tcp_user_send(struct tcp_tcb *tcb, uint32_t len, const uint8_t *text);
/* SEND with MSG_MORE when `more`: the data is corked for this call (Linux tcp_push()). */
int64_t tcp_user_send_more(struct tcp_tcb *tcb, uint32_t len, const uint8_t *text, bool more);
/* setsockopt(TCP_CORK) and setsockopt(TCP_NODELAY): uncorking, or turning Nagle off,
 * pushes what was held (Linux __tcp_sock_set_cork(), __tcp_sock_set_nodelay()). */
void tcp_user_set_cork(struct tcp_tcb *tcb, bool on);
void tcp_user_set_nodelay(struct tcp_tcb *tcb, bool on);
int64_t tcp_user_recv(struct tcp_tcb *tcb, uint32_t max, uint8_t *out);
/* One read in several copies (the application's buffer is smaller than the read):
 * tcp_user_recv_part() for each, then tcp_user_recv_end() once if any copied data. */
int64_t tcp_user_recv_part(struct tcp_tcb *tcb, uint32_t max, uint8_t *out);
void tcp_user_recv_end(struct tcp_tcb *tcb);
int tcp_user_shutdown(struct tcp_tcb *tcb, bool rd, bool wr);
int tcp_user_close(struct tcp_tcb *tcb);
int tcp_user_abort(struct tcp_tcb *tcb);
bool tcp_user_readable(const struct tcp_tcb *tcb);

#endif
