/* SPDX-License-Identifier: MIT */
/*
 * ev_lane.c: timers in set order behind one event (see ev_lane.h).
 *
 * Entry points: ev_lnode_schedule(), ev_lnode_cancel(). The lane's own event carries the
 * head's (time, order) key, reserved when the head was set, so it fires exactly where
 * the head's own event would have.
 */
#include "ev_lane.h"

#include <glib.h>

static void
unlink_node(struct ev_lnode *n)
{
    struct ev_lane *l = n->lane;
    bool was_head = l->head == n;
    if (n->prev != NULL) {
        n->prev->next = n->next;
    } else {
        l->head = n->next;
    }
    if (n->next != NULL) {
        n->next->prev = n->prev;
    } else {
        l->tail = n->prev;
    }
    n->prev = n->next = NULL;
    n->lane = NULL;
    if (!was_head) {
        return;
    }
    if (l->head != NULL) {
        ev_schedule_seq(l->q, &l->ev, l->head->at, l->head->ev.seq);
    } else {
        ev_cancel(l->q, &l->ev);
    }
}

static void
lane_fired(struct ev *ev)
{
    struct ev_lane *l = container_of(ev, struct ev_lane, ev);
    struct ev_lnode *n = l->head;
    unlink_node(n);
    n->ev.fn(&n->ev);
}

void
ev_lane_init(struct ev_lane *l, struct ev_queue *q)
{
    *l = (struct ev_lane){.q = q};
    ev_init(&l->ev, lane_fired);
}

void
ev_lnode_init(struct ev_lnode *n, ev_fn fn)
{
    *n = (struct ev_lnode){0};
    ev_init(&n->ev, fn);
}

void
ev_lnode_cancel(struct ev_queue *q, struct ev_lnode *n)
{
    if (n->lane != NULL) {
        unlink_node(n);
    }
    ev_cancel(q, &n->ev);
}

void
ev_lnode_schedule(struct ev_lane *l, struct ev_lnode *n, sim_time at)
{
    ev_lnode_cancel(l->q, n);
    if (l->tail != NULL && at < l->tail->at) {
        ev_schedule(l->q, &n->ev, at); /* out of the lane's order: an event of its own */
        return;
    }
    g_assert(at >= l->q->now);
    n->at = at;
    n->ev.seq = ev_reserve_seq(l->q);
    n->lane = l;
    n->prev = l->tail;
    n->next = NULL;
    if (l->tail != NULL) {
        l->tail->next = n;
    } else {
        l->head = n;
        ev_schedule_seq(l->q, &l->ev, at, n->ev.seq);
    }
    l->tail = n;
}

sim_time
ev_lnode_due(const struct ev_queue *q, const struct ev_lnode *n)
{
    return n->lane != NULL ? n->at : ev_due(q, &n->ev);
}
