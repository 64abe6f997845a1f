/* SPDX-License-Identifier: MIT */
/*
 * matrix_table.c: what RFC 9293 §3.10.7 (with RFC 5961, RFC 5681 §4.2 and Linux where
 * the Linux personality follows it) says each state does with each kind of segment at
 * each position. Read top down; the first rule that matches a cell is its expectation.
 *
 * The segments: every ACK-bearing kind acknowledges SND.NXT (all we sent, our FIN
 * included), so the matrix varies only the sequence position; in SYN-SENT it varies
 * SEG.ACK instead. Positions: left edge SEG.SEQ = RCV.NXT; in window RCV.NXT + RCV.WND/2;
 * right edge RCV.NXT + RCV.WND - 1; outside left just below RCV.NXT (the segment ends
 * at RCV.NXT: a retransmission); outside right RCV.NXT + RCV.WND + 1 (one past the
 * edge: on it, an empty segment is out of the RFC's window but inside Linux's,
 * tcp_sequence() refusing only what starts after it). Data is 10 bytes.
 */
#include "matrix.h"

#define S(x) (1u << TCP_##x)
#define K(x) (1u << MK_##x)
#define P(x) (1u << MP_##x)
#define ALL_KINDS ((1u << MK_N) - 1)
#define ALL_POS ((1u << MP_N) - 1)
#define ACC (P(LEFT) | P(IN) | P(RIGHT))
#define OUT (P(OUT_LEFT) | P(OUT_RIGHT))
#define SYNC                                                                               \
    (S(SYN_RECEIVED) | S(ESTABLISHED) | S(FIN_WAIT_1) | S(FIN_WAIT_2) | S(CLOSE_WAIT) |      \
     S(CLOSING) | S(LAST_ACK))
#define ACKED (K(SYN_ACK) | K(ACK) | K(DATA) | K(FIN_ACK))
#define CL(x) TCP_##x

const char *const mx_kind_names[MK_N] = {
    "SYN", "SYN-ACK", "ACK", "ACK+data", "FIN", "FIN-ACK", "RST", "RST-ACK", "SYN-FIN",
    "no flags",
};

const char *const mx_pos_names[MP_N] = {
    "in window", "left edge", "right edge", "outside left", "outside right",
};

const struct mx_rule mx_rules[] = {
    /* --- CLOSED: no connection (RFC 9293 §3.10.7.1) -------------------------------- */
    {S(CLOSED), K(RST) | K(RST_ACK), ALL_POS, MX_BOTH, MR_NONE, 0, CL(CLOSED),
     "RFC 9293 §3.10.7.1: \"An incoming segment containing a RST is discarded.\""},
    {S(CLOSED), ACKED, ALL_POS, MX_BOTH, MR_RST, 0, CL(CLOSED),
     "RFC 9293 §3.10.7.1: ACK bit on: <SEQ=SEG.ACK><CTL=RST>"},
    {S(CLOSED), ALL_KINDS, ALL_POS, MX_BOTH, MR_RST_ACK, 0, CL(CLOSED),
     "RFC 9293 §3.10.7.1: ACK bit off: <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>"},

    /* --- LISTEN (§3.10.7.2) ---------------------------------------------------------- */
    {S(LISTEN), K(RST) | K(RST_ACK), ALL_POS, MX_BOTH, MR_NONE, 0, CL(LISTEN),
     "RFC 9293 §3.10.7.2 first: \"An incoming RST segment could not be valid ... ignored\""},
    {S(LISTEN), ACKED, ALL_POS, MX_BOTH, MR_RST, 0, CL(LISTEN),
     "RFC 9293 §3.10.7.2 second: \"Any acknowledgment is bad\": <SEQ=SEG.ACK><CTL=RST>"},
    {S(LISTEN), K(SYN), ALL_POS, MX_BOTH, MR_SYN_ACK, 1, CL(SYN_RECEIVED),
     "RFC 9293 §3.10.7.2 third: <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>; the new connection is "
     "in SYN-RECEIVED, the listener stays"},
    {S(LISTEN), K(SYN_FIN), ALL_POS, MX_LINUX, MR_NONE, 0, CL(LISTEN),
     "Linux: tcp_rcv_state_process() discards a SYN with FIN in LISTEN (TCP_FLAGS)"},
    {S(LISTEN), K(SYN_FIN), ALL_POS, MX_RFC, MR_SYN_ACK, 1, CL(SYN_RECEIVED),
     "RFC 9293 §3.10.7.2 third: the SYN opens; \"any other control or text should be "
     "queued for processing later\""},
    {S(LISTEN), ALL_KINDS, ALL_POS, MX_BOTH, MR_NONE, 0, CL(LISTEN),
     "RFC 9293 §3.10.7.2 fourth: any other segment: drop it"},

    /* --- SYN-SENT (§3.10.7.3): the position is SEG.ACK's ------------------------------ */
    {S(SYN_SENT), K(RST_ACK), P(LEFT) | OUT, MX_BOTH, MR_NONE, 0, MX_SAME,
     "RFC 9293 §3.10.7.3 first: unacceptable ACK \"unless the RST bit is set, if so drop\""},
    {S(SYN_SENT), ACKED, P(LEFT) | OUT, MX_BOTH, MR_RST, 0, MX_SAME,
     "RFC 9293 §3.10.7.3 first: \"If SEG.ACK =< ISS or SEG.ACK > SND.NXT, send a reset\" "
     "<SEQ=SEG.ACK><CTL=RST>"},
    {S(SYN_SENT), K(RST_ACK), P(IN), MX_BOTH, MR_NONE, 0, CL(CLOSED),
     "RFC 9293 §3.10.7.3 second: acceptable ACK and RST: \"connection reset\" "
     "(ECONNREFUSED), CLOSED"},
    {S(SYN_SENT), K(SYN_ACK), P(IN), MX_BOTH, MR_ACK, 1, CL(ESTABLISHED),
     "RFC 9293 §3.10.7.3 fourth: our SYN acked: ESTABLISHED, <SEQ=SND.NXT><ACK=RCV.NXT>"
     "<CTL=ACK> (Linux too: tcp_rcv_synsent_state_process() ACKs at once)"},
    {S(SYN_SENT), K(ACK) | K(DATA) | K(FIN_ACK), P(IN), MX_BOTH, MR_NONE, 0, MX_SAME,
     "RFC 9293 §3.10.7.3 fifth: \"If neither of the SYN or RST bits is set, then drop\""},
    {S(SYN_SENT), K(RST), ALL_POS, MX_BOTH, MR_NONE, 0, MX_SAME,
     "RFC 9293 §3.10.7.3 second: a RST without an ACK: \"drop the segment and return\""},
    {S(SYN_SENT), K(SYN) | K(SYN_FIN), ALL_POS, MX_BOTH, MR_SYN_ACK, 1, CL(SYN_RECEIVED),
     "RFC 9293 §3.10.7.3 fourth: a SYN without ACK: simultaneous open, SYN-RECEIVED, "
     "<SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK> (other controls wait for ESTABLISHED)"},
    {S(SYN_SENT), ALL_KINDS, ALL_POS, MX_BOTH, MR_NONE, 0, MX_SAME,
     "RFC 9293 §3.10.7.3 fifth: neither SYN nor RST: drop"},

    /* --- synchronized states, outside the window (§3.10.7.4 first step) -------------- */
    {SYNC, K(RST) | K(RST_ACK), OUT, MX_BOTH, MR_NONE, 0, MX_SAME,
     "RFC 9293 §3.10.7.4 first: not acceptable and RST: drop (RFC 5961 §3.2)"},
    {S(SYN_RECEIVED), K(SYN), P(OUT_LEFT), MX_BOTH, MR_SYN_ACK, 1, MX_SAME,
     "Linux: tcp_check_req() answers a retransmitted SYN (SEG.SEQ = IRS) with the SYN-ACK "
     "again; tcpsim's RFC personality does the same (RFC 9293's first step would send an "
     "ACK, which a peer in SYN-SENT drops)"},
    /* Linux: tcp_sequence() refuses only a segment that ends below RCV.WUP; this one
     * ends at RCV.NXT (= RCV.WUP here), so its ACK is processed and tcp_data_queue()
     * reports its old text with the usual ACK decision (quick-ACK mode: at once). */
    {SYNC, K(FIN) | K(NONE), OUT, MX_LINUX, MR_NONE, 0, MX_SAME,
     "Linux: tcp_rcv_established() and tcp_rcv_state_process() discard a segment with "
     "none of ACK, RST and SYN before its sequence number is looked at"},
    {S(FIN_WAIT_1), K(DATA) | K(FIN_ACK), P(OUT_LEFT), MX_LINUX, MR_ACK, 0, CL(FIN_WAIT_2),
     "Linux: a retransmission ending at RCV.NXT passes tcp_sequence(): its ACK takes our "
     "FIN (FIN-WAIT-2), and tcp_data_queue() quick-ACKs its old text"},
    {S(CLOSING), K(DATA) | K(FIN_ACK), P(OUT_LEFT), MX_LINUX, MR_NONE, 0, CL(TIME_WAIT),
     "Linux: a retransmission ending at RCV.NXT passes tcp_sequence(): its ACK takes our "
     "FIN, tcp_time_wait(), the segment consumed"},
    {S(LAST_ACK), K(DATA) | K(FIN_ACK), P(OUT_LEFT), MX_LINUX, MR_NONE, 0, CL(CLOSED),
     "Linux: a retransmission ending at RCV.NXT passes tcp_sequence(): its ACK takes our "
     "FIN: tcp_done(), CLOSED"},
    {S(ESTABLISHED) | S(FIN_WAIT_2) | S(CLOSE_WAIT), K(DATA) | K(FIN_ACK), P(OUT_LEFT), MX_LINUX,
     MR_ACK, 0,
     MX_SAME,
     "Linux: a retransmission ending at RCV.NXT passes tcp_sequence(); tcp_data_queue() "
     "D-SACKs its old text and quick-ACKs it (nothing else waits for an ACK)"},
    {SYNC, ALL_KINDS, OUT, MX_BOTH, MR_ACK, 0, MX_SAME,
     "RFC 9293 §3.10.7.4 first: not acceptable: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> "
     "(Linux: tcp_send_dupack(), a challenge ACK for a SYN; both rate-limited)"},

    /* --- second step: RST ------------------------------------------------------------ */
    {S(SYN_RECEIVED), K(RST) | K(RST_ACK), P(IN) | P(RIGHT), MX_LINUX, MR_NONE, 0, CL(CLOSED),
     "Linux: tcp_check_req() resets a half-open connection on a RST anywhere in the window "
     "(request sockets get no RFC 5961 challenge)"},
    {SYNC, K(RST) | K(RST_ACK), P(LEFT), MX_BOTH, MR_NONE, 0, CL(CLOSED),
     "RFC 9293 §3.10.7.4 second: RST at RCV.NXT: the connection is reset (SYN-RECEIVED from "
     "a passive OPEN: it goes, the listener stays), CLOSED"},
    {SYNC, K(RST) | K(RST_ACK), P(IN) | P(RIGHT), MX_BOTH, MR_ACK, 0, MX_SAME,
     "RFC 5961 §3.2, RFC 9293 §3.10.7.4 second: RST in the window, not at RCV.NXT: "
     "challenge ACK"},

    /* --- fourth step: SYN ------------------------------------------------------------ */
    {S(SYN_RECEIVED), K(SYN) | K(SYN_FIN), ACC, MX_BOTH, MR_RST_ACK, 0, CL(CLOSED),
     "RFC 9293 §3.10.7.4 fourth: SYN-RECEIVED from a passive OPEN returns to LISTEN (the "
     "connection goes); Linux tcp_check_req() also resets it (embryonic reset), and so "
     "does tcpsim's RFC personality"},
    {S(SYN_RECEIVED), K(SYN_ACK), ACC, MX_BOTH, MR_RST, 0, CL(CLOSED),
     "RFC 9293 §3.10.7.4 fourth, as for a SYN; the RST answers an ACK-bearing segment: "
     "<SEQ=SEG.ACK><CTL=RST> (Linux embryonic reset)"},
    {SYNC, K(SYN) | K(SYN_ACK) | K(SYN_FIN), ACC, MX_BOTH, MR_ACK, 0, MX_SAME,
     "RFC 5961 §4.2, RFC 9293 §3.10.7.4 fourth: a SYN in a synchronized state: challenge "
     "ACK"},

    /* --- fifth step: no ACK bit ------------------------------------------------------ */
    {SYNC, K(FIN) | K(NONE), ACC, MX_BOTH, MR_NONE, 0, MX_SAME,
     "RFC 9293 §3.10.7.4 fifth: \"if the ACK bit is off, drop the segment and return\""},

    /* --- SYN-RECEIVED: the ACK establishes, then text and FIN ------------------------ */
    {S(SYN_RECEIVED), K(ACK), ACC, MX_BOTH, MR_NONE, 0, CL(ESTABLISHED),
     "RFC 9293 §3.10.7.4 fifth: \"If SND.UNA < SEG.ACK =< SND.NXT, then enter ESTABLISHED\""},
    {S(SYN_RECEIVED) | S(ESTABLISHED), K(DATA), P(LEFT), MX_LINUX, MR_ACK, MX_DATA_LEN,
     CL(ESTABLISHED),
     "RFC 9293 §3.10.7.4 seventh: in-order text; Linux: quick-ACK mode at the start of a "
     "connection ACKs it at once (tcp_incr_quickack())"},
    {S(SYN_RECEIVED) | S(ESTABLISHED), K(DATA), P(LEFT), MX_RFC, MR_ACK_DELAYED, MX_DATA_LEN,
     CL(ESTABLISHED),
     "RFC 9293 §3.10.7.4 seventh; RFC 1122 §4.2.3.2: one segment: a delayed ACK"},
    {S(SYN_RECEIVED) | S(ESTABLISHED), K(DATA), P(IN) | P(RIGHT), MX_BOTH, MR_ACK, 0,
     CL(ESTABLISHED),
     "RFC 9293 §3.10.7.4 seventh: out of order, held; RFC 5681 §4.2: an immediate "
     "duplicate ACK"},
    {S(SYN_RECEIVED) | S(ESTABLISHED), K(FIN_ACK), P(LEFT), MX_LINUX, MR_ACK_DELAYED, 1,
     CL(CLOSE_WAIT),
     "RFC 9293 §3.10.7.4 eighth: CLOSE-WAIT; Linux: tcp_fin() enters ping-pong mode and "
     "delays the ACK, hoping our FIN will carry it"},
    {S(SYN_RECEIVED) | S(ESTABLISHED), K(FIN_ACK), P(LEFT), MX_RFC, MR_ACK, 1, CL(CLOSE_WAIT),
     "RFC 9293 §3.10.7.4 eighth: CLOSE-WAIT, \"send an acknowledgment for the FIN\""},
    {S(SYN_RECEIVED) | S(ESTABLISHED), K(FIN_ACK), P(IN) | P(RIGHT), MX_BOTH, MR_ACK, 0,
     CL(ESTABLISHED),
     "a FIN beyond RCV.NXT is held for later: an out-of-order segment, answered with an "
     "immediate duplicate ACK (RFC 5681 §4.2; Linux tcp_data_queue_ofo())"},

    /* --- ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2 ----------------------------------------- */
    {S(ESTABLISHED) | S(FIN_WAIT_2), K(ACK), ACC, MX_BOTH, MR_NONE, 0, MX_SAME,
     "RFC 9293 §3.10.7.4 fifth: SND.UNA advances (nothing to acknowledge here)"},
    {S(FIN_WAIT_1), K(ACK), ACC, MX_BOTH, MR_NONE, 0, CL(FIN_WAIT_2),
     "RFC 9293 §3.10.7.4 fifth, FIN-WAIT-1: \"if the FIN segment is now acknowledged, then "
     "enter FIN-WAIT-2\""},
    {S(FIN_WAIT_1) | S(FIN_WAIT_2), K(DATA), P(LEFT), MX_LINUX, MR_ACK, MX_DATA_LEN,
     CL(FIN_WAIT_2),
     "RFC 9293 §3.10.7.4 fifth (our FIN acked) and seventh: FIN-WAIT states take text; "
     "Linux quick-ACK: at once"},
    {S(FIN_WAIT_1) | S(FIN_WAIT_2), K(DATA), P(LEFT), MX_RFC, MR_ACK_DELAYED, MX_DATA_LEN,
     CL(FIN_WAIT_2),
     "RFC 9293 §3.10.7.4 fifth and seventh; RFC 1122 §4.2.3.2: a delayed ACK"},
    {S(FIN_WAIT_1) | S(FIN_WAIT_2), K(DATA), P(IN) | P(RIGHT), MX_BOTH, MR_ACK, 0,
     CL(FIN_WAIT_2),
     "RFC 9293 §3.10.7.4 fifth and seventh: out of order; RFC 5681 §4.2: duplicate ACK"},
    {S(FIN_WAIT_1) | S(FIN_WAIT_2), K(FIN_ACK), P(LEFT), MX_BOTH, MR_ACK, 1, CL(TIME_WAIT),
     "RFC 9293 §3.10.7.4 eighth: FIN-WAIT-1 with our FIN acked (in this segment) or "
     "FIN-WAIT-2: TIME-WAIT, the FIN acknowledged at once"},
    {S(FIN_WAIT_1) | S(FIN_WAIT_2), K(FIN_ACK), P(IN) | P(RIGHT), MX_BOTH, MR_ACK, 0,
     CL(FIN_WAIT_2),
     "fifth (our FIN acked); the FIN beyond RCV.NXT is out of order: duplicate ACK (RFC "
     "5681 §4.2; Linux tcp_data_queue_ofo())"},

    /* --- CLOSE-WAIT, CLOSING, LAST-ACK: the peer's FIN is in ----------------------- */
    {S(CLOSE_WAIT), K(ACK) | K(FIN_ACK), ACC, MX_BOTH, MR_NONE, 0, MX_SAME,
     "RFC 9293 §3.10.7.4 eighth, CLOSE-WAIT: \"Remain in the CLOSE-WAIT state\" (a FIN "
     "past the peer's FIN cannot be genuine; Linux ignores it too)"},
    {S(CLOSE_WAIT), K(DATA), ACC, MX_BOTH, MR_NONE, 0, MX_SAME,
     "RFC 9293 §3.10.7.4 seventh, CLOSE-WAIT: \"Ignore the segment text\" (Linux: "
     "tcp_rcv_state_process() drops it without an ACK)"},
    {S(CLOSING), K(ACK) | K(DATA) | K(FIN_ACK), ACC, MX_BOTH, MR_NONE, 0, CL(TIME_WAIT),
     "RFC 9293 §3.10.7.4 fifth, CLOSING: our FIN acked: TIME-WAIT; seventh: the text is "
     "ignored (Linux: tcp_time_wait(), the segment consumed)"},
    {S(LAST_ACK), K(ACK) | K(DATA) | K(FIN_ACK), ACC, MX_BOTH, MR_NONE, 0, CL(CLOSED),
     "RFC 9293 §3.10.7.4 fifth, LAST-ACK: \"If our FIN is now acknowledged, delete the TCB, "
     "enter the CLOSED state\""},

    /* --- TIME-WAIT: as Linux's tcp_timewait_state_process() (tcp_time_wait.c) ------ */
    {S(TIME_WAIT), K(RST) | K(RST_ACK), P(LEFT), MX_BOTH, MR_NONE, 0, CL(CLOSED),
     "RFC 9293 §3.10.7.4 second, TIME-WAIT: RST: CLOSED (Linux: TIME-WAIT assassination "
     "with tcp_rfc1337=0; RFC 1337 would ignore it)"},
    {S(TIME_WAIT), K(RST) | K(RST_ACK), ALL_POS, MX_BOTH, MR_NONE, 0, MX_SAME,
     "a RST not at RCV.NXT is ignored (Linux tcp_timewait_state_process(); tcpsim's TIME-WAIT "
     "is Linux's in both personalities, without RFC 5961's challenge)"},
    {S(TIME_WAIT), K(ACK) | K(NONE), P(LEFT), MX_BOTH, MR_NONE, 0, MX_SAME,
     "a bare segment at RCV.NXT: nothing to answer (Linux restarts 2*MSL on an ACK)"},
    {S(TIME_WAIT), K(SYN) | K(SYN_FIN), P(IN) | P(RIGHT) | P(OUT_RIGHT), MX_BOTH, MR_ACK, 0,
     MX_SAME,
     "a SYN above RCV.NXT may open a new incarnation (RFC 1122 §4.2.2.13), but no listener "
     "takes it here: ACK, stay (Linux: TCP_TW_SYN finds no listener, falls to the ACK)"},
    {S(TIME_WAIT), ALL_KINDS, ALL_POS, MX_BOTH, MR_ACK, 0, MX_SAME,
     "anything else is answered with an ACK (Linux: \"All the segments are ACKed "
     "immediately\"; RFC 9293 §3.10.7.4 eighth, TIME-WAIT: acknowledge the FIN)"},
};

const size_t mx_nrules = G_N_ELEMENTS(mx_rules);

const struct mx_na mx_nas[] = {
    {S(CLOSED), ALL_KINDS, ALL_POS & ~P(IN),
     "no connection: RFC 9293 §3.10.7.1 looks at no sequence number (one cell: any)"},
    {S(LISTEN), ALL_KINDS, ALL_POS & ~P(IN),
     "a listener has no receive window (§3.10.7.2; one cell: any)"},
    {S(SYN_SENT), ACKED | K(RST_ACK), P(RIGHT),
     "the acceptable ACK range ISS < SEG.ACK =< SND.NXT is one number: the right edge is "
     "the in-window cell"},
    {S(SYN_SENT), K(SYN) | K(FIN) | K(RST) | K(SYN_FIN) | K(NONE), ALL_POS & ~P(IN),
     "no ACK field, and SYN-SENT checks only SEG.ACK (§3.10.7.3; one cell: any)"},
};

const size_t mx_nnas = G_N_ELEMENTS(mx_nas);

const char *
mx_na_for(enum tcp_state s, enum mx_kind k, enum mx_pos p)
{
    for (size_t i = 0; i < mx_nnas; i++) {
        const struct mx_na *n = &mx_nas[i];
        if ((n->states & (1u << s)) && (n->kinds & (1u << k)) && (n->poss & (1u << p))) {
            return n->why;
        }
    }
    return NULL;
}

const struct mx_rule *
mx_rule_for(enum tcp_state s, enum mx_kind k, enum mx_pos p, unsigned pers)
{
    for (size_t i = 0; i < mx_nrules; i++) {
        const struct mx_rule *r = &mx_rules[i];
        if ((r->states & (1u << s)) && (r->kinds & (1u << k)) && (r->poss & (1u << p)) &&
            (r->pers & pers)) {
            return r;
        }
    }
    return NULL;
}
