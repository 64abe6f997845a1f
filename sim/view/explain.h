/* SPDX-License-Identifier: MIT */
/*
 * explain.h: explain mode: the text trace with a short sentence after each line saying
 * why it happened, citing the RFC section or the Linux knob.
 *
 * The sentences live in message tables, one file per language (explain_en.c,
 * explain_zh.c), indexed by the ids below, so a reviewer reads each language on its
 * own. A message may use the placeholders {rto} {next} {span} {limit} {knob} {n} {iss}
 * {why}; explain_why.c picks the message and fills them from the event's structured
 * data (trace_event.why, the segment's tx cause and count) and from the events at the
 * same time on the same host.
 */
#ifndef TCPSIM_VIEW_EXPLAIN_H
#define TCPSIM_VIEW_EXPLAIN_H

#include <glib.h>

#include "../link/link_why.h"
#include "../tcp/tcp_why.h"
#include "record.h"

enum explain_msg {
    EXM_NONE, /* no explanation for this line */
    /* A segment sent, by why it was sent. */
    EXM_TX_SYN,
    EXM_TX_SYN_RTO,
    EXM_TX_SYNACK,
    EXM_TX_SYNACK_SIMULT,
    EXM_TX_SYNACK_RTO,
    EXM_TX_SYNACK_ANSWER,
    EXM_TX_SYNACK_COOKIE,
    EXM_TX_ACK_HANDSHAKE,
    EXM_TX_ACK_DATA,
    EXM_TX_ACK_DUP,
    EXM_TX_ACK_FIN,
    EXM_TX_ACK_DELAYED,
    EXM_TX_ACK_ANSWER,
    EXM_TX_ACK_CHALLENGE,
    EXM_TX_ACK_WINDOW,
    EXM_TX_ACK_DSACK,
    EXM_TX_ACK,
    EXM_TX_DATA,
    EXM_TX_FIN,
    EXM_TX_RTO,
    EXM_TX_RTO_FOLLOW,
    EXM_TX_FAST,
    EXM_TX_RECOVERY,
    EXM_TX_RECOVERY_SACK,
    EXM_TX_PROBE,
    EXM_TX_PROBE_DATA,
    EXM_TX_KEEPALIVE,
    EXM_TX_TLP,
    EXM_TX_TLP_NEW,
    EXM_TX_RACK,
    EXM_TX_FORGED,
    EXM_TX_RST_ABORT,
    EXM_TX_RST_ANSWER,
    EXM_TX_RST_KEEPALIVE,
    EXM_TX_RST,
    /* A delivery the link touched. */
    EXM_DLV_DUPLICATE,
    EXM_DLV_DELAYED,
    EXM_DLV_REORDERED,
    EXM_DLV_CORRUPTED,
    /* A state change. */
    EXM_ST_LISTEN,
    EXM_ST_CONNECT,
    EXM_ST_SYN_RCVD,
    EXM_ST_SYN_COOKIE,
    EXM_ST_SIMULT_OPEN,
    EXM_ST_EST_ACTIVE,
    EXM_ST_EST_PASSIVE,
    EXM_ST_FIN_WAIT_1,
    EXM_ST_CLOSE_WAIT,
    EXM_ST_FIN_WAIT_2,
    EXM_ST_CLOSING,
    EXM_ST_TW_FIN_ACK,
    EXM_ST_TW_FIN,
    EXM_ST_TW_ACK,
    EXM_ST_LAST_ACK,
    EXM_ST_CLOSED_LAST_ACK,
    EXM_ST_CLOSED_TW,
    EXM_ST_REFUSED,
    EXM_ST_RESET,
    EXM_ST_RESET_HALF_OPEN,
    EXM_ST_ABORT,
    EXM_ST_ABORT_QUIET,
    EXM_ST_CLOSED_USER,
    EXM_ST_GIVE_UP,
    EXM_ST_GIVE_UP_BUDGET,
    EXM_ST_SYNACK_GIVE_UP,
    EXM_ST_FIN_TIMEOUT,
    EXM_ST_KEEPALIVE_DEAD,
    EXM_ST_LISTENER_CLOSED,
    EXM_ST_CRASH,
    EXM_ST_TW_REUSE,
    EXM_ST_TW_LIMIT,
    EXM_ST_ACCEPT_OVERFLOW,
    EXM_ST_USER_TIMEOUT,
    EXM_ST_DATA_AFTER_CLOSE,
    EXM_ST_KEEPINIT,
    EXM_ST_SYN_IN_WINDOW,
    EXM_ST_OTHER,
    /* A timer that fired. */
    EXM_TM_RTO,
    EXM_TM_RTO_LAST,
    EXM_TM_RTO_BUDGET,
    EXM_TM_SYN_LINEAR,
    EXM_TM_SYN_BACKOFF,
    EXM_TM_SYN_GROWS,
    EXM_TM_SYNACK,
    EXM_TM_SYNACK_LAST,
    EXM_TM_DELACK,
    EXM_TM_2MSL,
    EXM_TM_FIN_WAIT_2,
    EXM_TM_KEEPALIVE,
    EXM_TM_KEEPALIVE_LAST,
    EXM_TM_PERSIST,
    EXM_TM_PERSIST_LAST,
    EXM_TM_TLP,
    EXM_TM_REO,
    /* A congestion-window change (with --cc). */
    EXM_CC_SLOW_START,
    EXM_CC_AVOIDANCE,
    EXM_CC_AVOIDANCE_RENO,
    EXM_CC_AVOIDANCE_CUBIC,
    EXM_CC_HYSTART,
    EXM_CC_FAST,           /* Reno without SACK: ssthresh half the flight, cwnd inflated */
    EXM_CC_FAST_SACK,      /* Reno with SACK */
    EXM_CC_FAST_CUBIC,     /* CUBIC: beta 0.7 of cwnd */
    EXM_CC_FAST_CUBIC_SACK,
    EXM_CC_FAST_OTHER,     /* a reduction the numbers do not place */
    EXM_CC_RECOVERY_END,
    EXM_CC_RECOVERY_END_SACK,
    EXM_CC_RTO,            /* Reno */
    EXM_CC_RTO_CUBIC,
    EXM_CC_RTO_AGAIN,      /* a repeated timeout: ssthresh stays */
    /* Why an application call returned what it did. */
    EXM_APP_CONNECTED,
    EXM_APP_ACCEPTED,
    EXM_APP_SENT,
    EXM_APP_RECV_DATA,
    EXM_APP_RECV_EOF,
    EXM_APP_EAGAIN,
    EXM_APP_ECONNRESET,       /* a RST arrived */
    EXM_APP_ECONNRESET_ABORT, /* the application aborted it itself */
    EXM_APP_ECONNREFUSED,
    EXM_APP_ETIMEDOUT,
    EXM_APP_EPIPE,
    EXM_APP_EADDRNOTAVAIL,
    EXM_APP_ERROR,
    EXM_CC_FAST_PRR,       /* Reno, or the algorithm unknown */
    EXM_CC_FAST_PRR_CUBIC,
    EXM_CC_PRR,
    EXM_CC_UNDO,
    EXM_CC_FRTO_NEW,
    EXM_CC_FRTO_LOSS,
    EXM_CC_IDLE_RESTART,
    EXM_CC_APP_LIMITED,
    /* Added to a discard whose answer was rate-limited away. */
    EXM_MUTED,
    /* Added to a timer line whose timeout waited in a coarse bucket of the timer wheel. */
    EXM_WHEEL,
    EXM_N
};

struct explain_texts {
    const char *lang;
    const char *msg[EXM_N];              /* EXM_NONE: NULL */
    const char *discard[TCP_NDROPS];     /* why a receiver discarded a segment */
    const char *drop[LINK_DROP_N];       /* why the link lost one */
};

extern const struct explain_texts explain_en;
extern const struct explain_texts explain_zh;
/* The texts of a language ("en", "zh"), or NULL. */
const struct explain_texts *explain_texts_for(const char *lang);

/* The values a message's placeholders stand for ("" when not known). */
struct explain_args {
    char rto[32];   /* the timeout that expired: "1 s" */
    char next[32];  /* the next timeout */
    char span[32];  /* a duration: the 2*MSL, an idle time */
    char limit[24]; /* a knob's value */
    char knob[32];  /* a knob's name: "tcp_retries2" */
    char n[24];     /* a count: the try, the probe */
    char iss[24];   /* an initial sequence number */
    char why[128];  /* a reason as the trace names it */
    char cwnd[24];  /* congestion window and slow-start threshold after a change, bytes */
    char ssthresh[24];
    char prev[24];  /* cwnd before the change */
    char tries[24]; /* retransmissions sent before a give-up */
    char grain[32]; /* the timer wheel's bucket a timeout waited in: "32 ms" */
};

/* What explains one line: a message of one of the three tables, and its arguments. */
enum explain_table { EXPLAIN_NONE, EXPLAIN_MSG, EXPLAIN_DISCARD, EXPLAIN_DROP };
struct explain_pick {
    enum explain_table table;
    int id;     /* enum explain_msg, tcp_drop_reason or link_drop */
    bool muted; /* a discard whose answer was rate-limited: EXM_MUTED follows */
    bool wheel; /* a timer rounded up to a coarse wheel bucket: EXM_WHEEL follows */
    struct explain_args args;
};

/* What each direction sent last, remembered across batches (duplicate ACKs and window
 * updates are told from the ACK before them). */
struct explain_flows;
struct explain_flows *explain_flows_new(void);
void explain_flows_free(struct explain_flows *f);

/* What explains event i of `batch`, the events of one time in trace order (the events
 * around it on the same host are its context). table EXPLAIN_NONE for lines that need
 * none: application calls, expects, notes, plain deliveries. */
struct explain_pick explain_pick(const struct rec *batch, guint i, struct explain_flows *flows);
/* The message's template in `t`, or NULL. */
const char *explain_template(const struct explain_texts *t, const struct explain_pick *p);

/* Writes the message with its placeholders filled. */
void explain_expand(GString *out, const char *tmpl, const struct explain_args *args);

#endif
