/* SPDX-License-Identifier: MIT */
/*
 * tcp_why.h: the TCP's vocabulary that readers of its trace share: the states, why a
 * state changed, why an arriving segment was discarded, and which timer fired. Trace
 * events carry these as numbers (trace_event.why) for explain mode and the ladder; the
 * text trace prints their names. This header is open to the trace readers (sim/trace,
 * sim/link, sim/view), who also see the segment type (sim/wire/seg.h); the rest of the
 * TCP stays private (tcp.h).
 */
#ifndef TCPSIM_TCP_WHY_H
#define TCPSIM_TCP_WHY_H

/* RFC 9293 §3.3.2, Figure 5: the eleven states. */
enum tcp_state {
    TCP_CLOSED,
    TCP_LISTEN,
    TCP_SYN_SENT,
    TCP_SYN_RECEIVED,
    TCP_ESTABLISHED,
    TCP_FIN_WAIT_1,
    TCP_FIN_WAIT_2,
    TCP_CLOSE_WAIT,
    TCP_CLOSING,
    TCP_LAST_ACK,
    TCP_TIME_WAIT,
};
#define TCP_NSTATES 11

/* Why a state changed: printed in the trace, read by explain mode. */
enum tcp_cause {
    TCP_CAUSE_NONE,
    TCP_CAUSE_USER_CONNECT,
    TCP_CAUSE_USER_LISTEN,
    TCP_CAUSE_USER_CLOSE,
    TCP_CAUSE_USER_ABORT,
    TCP_CAUSE_RCV_SYN,
    TCP_CAUSE_RCV_SYN_ACK,
    TCP_CAUSE_RCV_ACK,
    TCP_CAUSE_RCV_FIN,
    TCP_CAUSE_RCV_RST,
    TCP_CAUSE_RETRIES,      /* retransmissions exhausted */
    TCP_CAUSE_TIME_WAIT,    /* 2*MSL elapsed */
    TCP_CAUSE_FIN_TIMEOUT,  /* orphaned FIN_WAIT_2 timed out */
    TCP_CAUSE_KEEPALIVE,    /* keepalive probes unanswered */
    TCP_CAUSE_LISTENER_CLOSED,
    TCP_CAUSE_HOST_CRASH,
    TCP_CAUSE_TW_REUSE,     /* a new connection took over a TIME_WAIT port */
    TCP_CAUSE_TW_LIMIT,     /* tcp_max_tw_buckets reached: no TIME_WAIT */
    TCP_CAUSE_SYNCOOKIE,    /* an ACK returned a valid SYN cookie: the child is rebuilt */
    TCP_CAUSE_ACCEPT_OVERFLOW, /* tcp_abort_on_overflow: the final ACK found no room */
    TCP_CAUSE_USER_TIMEOUT, /* TCP_USER_TIMEOUT passed with data unacknowledged */
    TCP_CAUSE_DATA_AFTER_CLOSE, /* data arrived for an application that closed: RST */
    TCP_CAUSE_KEEPINIT,     /* FreeBSD: not established within net.inet.tcp.keepinit */
    TCP_CAUSE_SYN_IN_WINDOW, /* FreeBSD insecure_syn: a SYN in the window drops it, RST */
    TCP_NCAUSES
};

/*
 * Why an arriving segment was not (wholly) processed. Each reason states its contract:
 * what the segment was, and what the RFC or Linux says to do with it.
 */
enum tcp_drop_reason {
    TCP_DROP_NONE,
    TCP_DROP_NO_SOCKET,        /* no connection and no listener: answered with RST (§3.10.7.1) */
    TCP_DROP_RST_IN_CLOSED,    /* RST for no connection: never answered (§3.10.7.1) */
    TCP_DROP_LISTEN_RST,       /* RST to a listener: ignored (§3.10.7.2 first) */
    TCP_DROP_LISTEN_ACK,       /* ACK to a listener: answered with RST (§3.10.7.2 second) */
    TCP_DROP_LISTEN_NO_SYN,    /* neither SYN, ACK nor RST to a listener (§3.10.7.2 fourth) */
    TCP_DROP_LISTEN_SYN_FIN,   /* SYN with FIN to a listener: dropped (Linux) */
    TCP_DROP_LISTEN_OVERFLOW,  /* SYN while the accept queue is full (Linux ListenOverflows) */
    TCP_DROP_SYN_QUEUE_FULL,   /* SYN while the SYN queue is full and no cookies (ListenDrops) */
    TCP_DROP_ACCEPT_OVERFLOW,  /* handshake ACK while the accept queue is full (Linux) */
    TCP_DROP_BAD_ACK,          /* SYN-SENT: ACK outside ISS < ack <= SND.NXT; RST sent */
    TCP_DROP_RST_BAD_ACK,      /* SYN-SENT: RST whose ACK does not ack our SYN: ignored */
    TCP_DROP_NO_SYN_OR_RST,    /* SYN-SENT: neither SYN nor RST (§3.10.7.3 fifth) */
    TCP_DROP_OUT_OF_WINDOW,    /* fails the acceptability test: ACK sent (§3.10.7.4 first) */
    TCP_DROP_RST_OUT_OF_WINDOW,/* RST outside the window: ignored (RFC 5961 §3.2) */
    TCP_DROP_RST_CHALLENGE,    /* RST in window but not at RCV.NXT: challenge ACK (RFC 5961 §3.2) */
    TCP_DROP_SYN_CHALLENGE,    /* SYN in a synchronized state: challenge ACK (RFC 5961 §4.2) */
    TCP_DROP_NO_ACK,           /* ACK bit off in a synchronized state (§3.10.7.4 fifth) */
    TCP_DROP_ACK_UNSENT,       /* acks something not yet sent: ACK sent (§3.10.7.4 fifth) */
    TCP_DROP_ACK_TOO_OLD,      /* ack below the acceptable range (RFC 5961 §5.2) */
    TCP_DROP_SYN_RECV_BAD_ACK, /* SYN-RECEIVED: unacceptable ACK: RST sent (§3.10.7.4 fifth) */
    TCP_DROP_PAWS,             /* timestamp older than TS.Recent (RFC 7323 §5.3) */
    TCP_DROP_DATA_AFTER_FIN,   /* data or FIN past the peer's FIN: ignored (§3.10.7.4 seventh) */
    TCP_DROP_DATA_CLOSED_USER, /* data after the application closed: RST (Linux tcp_rcv_state_process) */
    TCP_DROP_OUT_OF_ORDER_NO_QUEUE, /* out-of-order data with no room to queue it: ACK sent */
    TCP_DROP_RCVBUF_FULL,      /* data beyond the receive buffer: trimmed, ACK sent */
    TCP_DROP_BAD_CHECKSUM,     /* the TCP checksum failed: dropped before TCP sees it */
    TCP_DROP_BAD_PACKET,       /* the IP header is damaged (its checksum failed) */
    TCP_DROP_HOST_DOWN,        /* the host has crashed: nothing answers */
    TCP_DROP_COOKIE_INVALID,   /* an ACK to a listener whose cookie does not validate: RST */
    TCP_DROP_TW_RST,           /* RST in TIME_WAIT: ignored (RFC 1337) */
    TCP_DROP_TIME_WAIT,        /* anything else in TIME_WAIT: ACKed, 2*MSL restarted (Linux) */
    TCP_DROP_NO_ADDRESS,       /* not addressed to this host: a spoofed source's answer */
    TCP_DROP_OLD_DATA,         /* all of its data was received before (Linux tcp_data_queue()) */
    TCP_NDROPS
};

/* Which timer fired (a TRACE_TIMER event's why.code), with the knob that bounds it. */
enum tcp_timer_id {
    TCP_TIMER_NONE,
    TCP_TIMER_RTO_SYN,    /* SYN retransmission: tcp_syn_retries */
    TCP_TIMER_RTO,        /* data or FIN retransmission: tcp_retries2 */
    TCP_TIMER_RTO_ORPHAN, /* ... after the application closed: tcp_orphan_retries */
    TCP_TIMER_RTO_USER,   /* ... with TCP_USER_TIMEOUT set: that time (ns) is the budget */
    TCP_TIMER_SYNACK,     /* a half-open child's SYN-ACK: tcp_synack_retries */
    TCP_TIMER_DELACK,     /* delayed ACK (RFC 1122 §4.2.3.2) */
    TCP_TIMER_TIME_WAIT,  /* 2*MSL */
    TCP_TIMER_FIN_WAIT_2, /* an orphaned FIN_WAIT_2: tcp_fin_timeout */
    TCP_TIMER_KEEPALIVE,  /* keep-alive: tcp_keepalive_probes */
    TCP_TIMER_PERSIST,    /* zero-window probe: tcp_retries2 */
    TCP_TIMER_TLP,        /* tail loss probe timeout, PTO (RFC 8985 §7.2): tcp_early_retrans */
    TCP_TIMER_REO,        /* RACK reordering timer (RFC 8985 §6.3): tcp_recovery */
    TCP_NTIMERS
};

#endif
