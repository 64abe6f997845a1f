/* SPDX-License-Identifier: MIT */
/*
 * matrix.h: the conformance matrix of RFC 9293 §3.10.7 (with RFC 5961 and RFC 1337):
 * every state x incoming segment kind x sequence (or, in SYN-SENT, acknowledgment)
 * position, with the reply and the next state each personality must produce.
 *
 *   matrix_table.c  the expectations: a rule table read top down, first match wins,
 *                   each rule citing the RFC paragraph or the Linux function it follows;
 *                   and the cells that do not exist (n/a), each with why
 *   test_tcp_matrix.c  drives every cell through the harness fixtures, both
 *                   personalities, and prints the coverage table
 */
#ifndef TCPSIM_TEST_MATRIX_H
#define TCPSIM_TEST_MATRIX_H

#include "harness.h"

enum mx_kind {
    MK_SYN, MK_SYN_ACK, MK_ACK, MK_DATA, MK_FIN, MK_FIN_ACK, MK_RST, MK_RST_ACK, MK_SYN_FIN,
    MK_NONE, MK_N
};

/* Where SEG.SEQ lies against RCV.NXT and RCV.WND (synchronized states), or SEG.ACK
 * against ISS and SND.NXT (SYN-SENT). */
enum mx_pos { MP_IN, MP_LEFT, MP_RIGHT, MP_OUT_LEFT, MP_OUT_RIGHT, MP_N };

enum mx_reply {
    MR_NONE,        /* nothing is sent */
    MR_ACK,         /* <SEQ=SND.NXT><ACK=...><CTL=ACK>, at once */
    MR_ACK_DELAYED, /* the same, after a delayed-ACK timeout */
    MR_RST,         /* <SEQ=SEG.ACK><CTL=RST> */
    MR_RST_ACK,     /* <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK> */
    MR_SYN_ACK,     /* <SEQ=ISS><ACK=SEG.SEQ+1><CTL=SYN,ACK> */
};

#define MX_SAME (-1) /* the next state is the state the cell starts in */
#define MX_LINUX 1u
#define MX_RFC 2u
#define MX_BOTH 3u
#define MX_DATA_LEN 10

struct mx_rule {
    unsigned states;  /* 1 << enum tcp_state */
    unsigned kinds;   /* 1 << enum mx_kind */
    unsigned poss;    /* 1 << enum mx_pos */
    unsigned pers;    /* MX_LINUX, MX_RFC */
    enum mx_reply reply;
    int adv;          /* an ACK's ack field: RCV.NXT (SEG.SEQ before synchronization) plus this */
    int next;         /* enum tcp_state, or MX_SAME */
    const char *cite;
};

struct mx_na {
    unsigned states;
    unsigned kinds;
    unsigned poss;
    const char *why;
};

extern const struct mx_rule mx_rules[];
extern const size_t mx_nrules;
extern const struct mx_na mx_nas[];
extern const size_t mx_nnas;

extern const char *const mx_kind_names[MK_N];
extern const char *const mx_pos_names[MP_N];

/* The rule for a cell and personality (MX_LINUX or MX_RFC), or NULL. */
const struct mx_rule *mx_rule_for(enum tcp_state s, enum mx_kind k, enum mx_pos p,
                                  unsigned pers);
/* Why a cell does not exist, or NULL when it does. */
const char *mx_na_for(enum tcp_state s, enum mx_kind k, enum mx_pos p);

#endif
