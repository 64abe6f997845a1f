/* SPDX-License-Identifier: MIT */
/*
 * ev_lane.h: timers that fall due in the order they were set, behind one event.
 *
 * A lane holds pending timers of one duration (every TIME_WAIT lasts 2*MSL), so each new
 * one is due no earlier than the last: the lane keeps them in a list and only its
 * earliest sits in the event queue. A million TIME_WAIT connections then cost the queue
 * one entry, not a million, and setting, restarting or cancelling one is O(1). A timer
 * that would fall due before the lane's last (the duration changed meanwhile) takes an
 * ordinary event of its own. The order in which timers fire is exactly the event
 * queue's (time, then the order they were set), lane or not.
 */
#ifndef TCPSIM_ENGINE_EV_LANE_H
#define TCPSIM_ENGINE_EV_LANE_H

#include "ev.h"

struct ev_lnode;

struct ev_lane {
    struct ev ev; /* in the queue while the lane is not empty: fires the head */
    struct ev_queue *q;
    struct ev_lnode *head;
    struct ev_lnode *tail;
};

struct ev_lnode {
    struct ev ev;         /* its callback; scheduled itself only outside a lane, and in
                           * a lane ev.seq holds its place in the queue's order */
    struct ev_lnode *prev;
    struct ev_lnode *next;
    struct ev_lane *lane; /* the lane it waits in, or NULL */
    sim_time at;
};

void ev_lane_init(struct ev_lane *l, struct ev_queue *q);
void ev_lnode_init(struct ev_lnode *n, ev_fn fn);
/* Sets the timer to fire at `at` (cancelling it first if pending). */
void ev_lnode_schedule(struct ev_lane *l, struct ev_lnode *n, sim_time at);
void ev_lnode_cancel(struct ev_queue *q, struct ev_lnode *n);

static inline bool
ev_lnode_pending(const struct ev_lnode *n)
{
    return n->lane != NULL || ev_pending(&n->ev);
}

/* When it is due; SIM_TIME_NEVER when not pending. */
sim_time ev_lnode_due(const struct ev_queue *q, const struct ev_lnode *n);

#endif
