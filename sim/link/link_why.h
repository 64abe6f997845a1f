/* SPDX-License-Identifier: MIT */
/*
 * link_why.h: why a link lost a segment. Trace events carry it as a number
 * (trace_event.why.code) for readers that explain a run; the text trace prints
 * link_drop_name().
 */
#ifndef TCPSIM_LINK_WHY_H
#define TCPSIM_LINK_WHY_H

enum link_drop {
    LINK_DROP_LOSS,     /* random loss on the wire (Bernoulli or Gilbert-Elliott) */
    LINK_DROP_QUEUE,    /* the queue was full (drop-tail) */
    LINK_DROP_RED,      /* RED dropped it early */
    LINK_DROP_DOWN,     /* the link is down */
    LINK_DROP_SCRIPTED, /* the scenario's "drop" line */
    LINK_DROP_MTU,      /* larger than the link's MTU */
    LINK_DROP_N
};

#endif
