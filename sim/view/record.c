/* SPDX-License-Identifier: MIT */
/*
 * record.c: owned copies of trace events (see record.h).
 */
#include "record.h"

#include <string.h>

#include "../trace/isn_table.h"

void
rec_init(struct rec *r)
{
    *r = (struct rec){0};
    r->events = g_array_new(FALSE, FALSE, sizeof(struct trace_event));
    r->segs = g_ptr_array_new_with_free_func(g_free);
    r->rels = g_array_new(FALSE, TRUE, sizeof(struct fmt_rel));
    r->strings = g_string_chunk_new(4096);
    r->isn = isn_table_new();
    r->conns = conn_table_new();
    r->conn_ids = g_array_new(FALSE, FALSE, sizeof(int));
}

void
rec_clear(struct rec *r)
{
    if (r->events == NULL) {
        return;
    }
    g_free(r->hdr.scenario);
    g_free(r->hdr.title);
    g_strfreev(r->hdr.host_names);
    g_free(r->hdr.host_addrs);
    g_free(r->hdr.host_addrs2);
    g_array_free(r->events, TRUE);
    g_ptr_array_free(r->segs, TRUE);
    g_array_free(r->rels, TRUE);
    g_string_chunk_free(r->strings);
    isn_table_free(r->isn);
    conn_table_free(r->conns);
    g_array_free(r->conn_ids, TRUE);
    *r = (struct rec){0};
}

void
rec_reset(struct rec *r)
{
    g_array_set_size(r->events, 0);
    g_ptr_array_set_size(r->segs, 0);
    g_array_set_size(r->rels, 0);
    g_array_set_size(r->conn_ids, 0);
    g_string_chunk_clear(r->strings);
}

void
rec_header(struct rec *r, const struct trace_header *hdr)
{
    r->hdr.scenario = g_strdup(hdr->scenario);
    r->hdr.title = g_strdup(hdr->title);
    r->hdr.seed = hdr->seed;
    r->hdr.nhosts = hdr->nhosts;
    r->hdr.host_names = g_new0(char *, hdr->nhosts + 1);
    r->hdr.host_addrs = g_new0(struct tcpsim_addr, hdr->nhosts + 1);
    r->hdr.host_addrs2 = hdr->host_addrs2 ? g_new0(struct tcpsim_addr, hdr->nhosts + 1) : NULL;
    for (guint i = 0; i < hdr->nhosts; i++) {
        r->hdr.host_names[i] = g_strdup(hdr->host_names[i]);
        r->hdr.host_addrs[i] = hdr->host_addrs[i];
        if (hdr->host_addrs2 != NULL) {
            r->hdr.host_addrs2[i] = hdr->host_addrs2[i];
        }
    }
}

static const char *
keep(struct rec *r, const char *s)
{
    return s ? g_string_chunk_insert_const(r->strings, s) : NULL;
}

void
rec_observe(struct rec *r, const struct trace_event *ev)
{
    isn_table_observe(r->isn, ev);
    conn_table_observe(r->conns, ev, rec_host_index(r, ev->host));
}

const struct trace_event *
rec_add(struct rec *r, const struct trace_event *ev)
{
    struct trace_event c = *ev;
    c.host = keep(r, ev->host);
    c.peer = keep(r, ev->peer);
    c.reason = keep(r, ev->reason);
    c.from = keep(r, ev->from);
    c.to = keep(r, ev->to);
    c.text = keep(r, ev->text);
    c.sock.name = keep(r, ev->sock.name);
    struct fmt_rel rel = {0};
    if (ev->seg != NULL) {
        rel = isn_table_rel(r->isn, ev->seg);
        struct tcp_seg *s = g_memdup2(ev->seg, sizeof *s);
        s->data = NULL;
        g_ptr_array_add(r->segs, s);
        c.seg = s;
    }
    g_array_append_val(r->events, c);
    g_array_append_val(r->rels, rel);
    const struct conn_info *ci = conn_table_of_event(r->conns, ev);
    int id = ci ? ci->id : -1;
    if (ci != NULL) {
        conn_table_kept(r->conns, ci, ev, rec_host_index(r, ev->host));
    }
    g_array_append_val(r->conn_ids, id);
    return rec_at(r, r->events->len - 1);
}

const struct conn_info *
rec_conn(const struct rec *r, guint i)
{
    int id = g_array_index(r->conn_ids, int, i);
    return id < 0 ? NULL : conn_table_get(r->conns, id);
}

int
rec_host_index(const struct rec *r, const char *name)
{
    if (name == NULL) {
        return -1;
    }
    for (guint i = 0; i < r->hdr.nhosts; i++) {
        if (strcmp(r->hdr.host_names[i], name) == 0) {
            return (int)i;
        }
    }
    return -1;
}
