/* SPDX-License-Identifier: MIT */
/*
 * conn.h: the connections of a run, told apart for the pictures.
 *
 * A ladder with many connections needs to say which arrow and which state belongs to
 * which connection. The table learns every connection from the trace events, in the
 * order they first appear: its two ends (the client is the end that sent the first
 * SYN), the scenario's socket name when it gave one, whether its SYN was forged (a
 * flood), and each end's window scale (to print windows in bytes). A four-tuple used
 * again by a new connect() is a new connection.
 */
#ifndef TCPSIM_VIEW_CONN_H
#define TCPSIM_VIEW_CONN_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "../trace/trace.h"

struct conn_info {
    int id;            /* 0, 1, ... in order of first appearance */
    struct tcpsim_addr addr[2];  /* [0] the client (first SYN's sender), when known */
    uint16_t port[2];
    bool client_known;
    bool forged;       /* its first SYN was forged: flood traffic */
    const char *name;  /* the scenario's socket name, or NULL */
    int wscale[2];     /* the shift each end announced in its SYN, -1: none */
    bool ws_both;      /* both ends announced one: windows are scaled */
    const char *host_state[2]; /* the latest state of its end on host 0 (A) and 1 (B) */
    const char *init_state[2]; /* ... as it was when a picture first showed it */
    bool init_taken;
};

struct conn_table;

struct conn_table *conn_table_new(void);
void conn_table_free(struct conn_table *t);
/* Learns from one event (every event of the run, kept or not); `host` is the index of
 * the host it happened on (0: A, 1: B, else -1). */
void conn_table_observe(struct conn_table *t, const struct trace_event *ev, int host);
/* A picture keeps `ev`, of connection `c`: the first time, its ends' states are noted as
 * they were just before it. */
void conn_table_kept(struct conn_table *t, const struct conn_info *c, const struct trace_event *ev,
                     int host);
/* The connection an event belongs to, or NULL (notes, expects, listeners). */
const struct conn_info *conn_table_of_event(const struct conn_table *t,
                                            const struct trace_event *ev);
/* Connection number `id`. */
const struct conn_info *conn_table_get(const struct conn_table *t, int id);
/* The connection of a four-tuple, either way round, or NULL. */
const struct conn_info *conn_table_of_tuple(const struct conn_table *t, struct tcpsim_addr a1,
                                            uint16_t p1, struct tcpsim_addr a2, uint16_t p2);
/* The short name of a connection: the socket name, or the client's port (":36346"). */
const char *conn_short_name(const struct conn_info *c, char *buf, size_t cap);
/* Whether `name` selects the connection (its socket name, its client port, ":port"). */
bool conn_matches(const struct conn_info *c, const char *name);

#endif
