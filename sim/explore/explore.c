/* SPDX-License-Identifier: MIT */
/*
 * explore.c: one world under exploration (explore.h): the prefix, the choices enabled in
 * a state, and applying one (the checks after it, the state's hash and the scenario
 * lines are explore_state.c's). The segments in flight are only those of the
 * direction's reorder + 1 oldest that may arrive next (--reorder); within the
 * duplication budget each may be duplicated.
 *
 * The links hold every segment sent after the prefix (link.h, explore mode): a segment
 * in flight may be delivered now or (within the duplication budget) delivered as a copy
 * while the original stays in flight; not choosing it holds it back, so every order of
 * arrival is some path, and a segment never chosen is lost. An explicit drop (within
 * the loss budget) is offered only where the segment holds a later one back under
 * --reorder: anywhere else it would only be a longer way to a state the path that never
 * delivers it reaches too. A delivery or an application call takes `step` of time
 * and is enabled only when no event is due before it ends; the timer choice advances
 * time to the earliest pending event and runs everything due then. Timers therefore
 * fire in time order (firing a later one first is no behaviour a clock allows), while
 * whatever arrives or is called before a timer races it. No two choices happen at the
 * same instant, so the scenario written for a path replays it exactly.
 */
#include "explore_world.h"

#include "explore_heap.h"
#include "../engine/ev.h"
#include "../engine/pool.h"

#include <stdio.h>
#include <string.h>

/* The world whose invariant failures the handler records. */
static struct xworld *cur_world;

static void
on_broken(sim_time now, const char *host, char *msg)
{
    if (cur_world != NULL && cur_world->violation == NULL) {
        cur_world->violation =
            g_strdup_printf("invariant broken at %" G_GINT64_FORMAT ".%09" G_GINT64_FORMAT
                            " s on host %s: %s", now / SEC(1), now % SEC(1),
                            host ? host : "?", msg);
    }
    g_free(msg);
}

void
xw_done(void)
{
    tcp_inv_set_handler(NULL);
    cur_world = NULL;
}

void
xw_set_violation(struct xworld *w, char *msg)
{
    if (w->violation == NULL) {
        w->violation = msg;
    } else {
        g_free(msg);
    }
}

/* --- the links in explore mode ------------------------------------------------------ */

static void
hold(void *arg, struct link_dir *d, const struct tcp_seg *seg, uint64_t serial)
{
    struct xworld *w = arg;
    struct xseg *x = g_new0(struct xseg, 1);
    x->d = d;
    for (int i = 0; i < w->sim->nhosts; i++) {
        for (int j = 0; j < w->sim->nhosts; j++) {
            if (w->sim->links[i][j] == d) {
                x->from = i;
                x->to = j;
            }
        }
    }
    x->seg = *seg;
    if (seg->data != NULL && seg->len > 0) {
        x->data = g_memdup2(seg->data, seg->len);
        x->seg.data = x->data;
    }
    x->serial = serial;
    x->sent_at = w->sim->q.now;
    g_ptr_array_add(w->segs, x);
}

static void
xseg_free(gpointer p)
{
    struct xseg *x = p;
    g_free(x->data);
    g_free(x);
}

static gboolean
link_fit(const struct link_dir *d, GError **error)
{
    const struct link_params *p = &d->p;
    if (p->rate_bps || p->jitter || p->loss_ppb || p->burst || p->dup_ppb || p->reorder_ppb ||
        p->corrupt_ppb || p->red || d->down) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                    "link %s->%s has a rate, a random impairment or is down at the prefix's "
                    "end: explore chooses every loss, duplication and order itself, so give "
                    "the prefix's links only a delay",
                    d->from_name, d->to_name);
        return FALSE;
    }
    if (d->in_flight != 0) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                    "%" G_GUINT64_FORMAT " segment(s) still in flight on %s->%s at the "
                    "prefix's end: end the prefix with a line after they arrive",
                    d->in_flight, d->from_name, d->to_name);
        return FALSE;
    }
    return TRUE;
}

/* --- the prefix ----------------------------------------------------------------------- */

static void
find_listener(struct xworld *w)
{
    w->conn_from = -1;
    struct tcpsim_sim *sim = w->sim;
    for (int h = 0; h < sim->nhosts && w->conn_from < 0; h++) {
        GHashTableIter it;
        gpointer k;
        gpointer v;
        g_hash_table_iter_init(&it, sim->hosts[h]->listeners);
        while (g_hash_table_iter_next(&it, &k, &v)) {
            struct tcp_tcb *l = v;
            for (int o = 0; o < sim->nhosts; o++) {
                if (o != h && world_link(sim, o, h) != NULL) {
                    w->conn_from = o;
                    w->conn_to = h;
                    w->conn_port = l->id.lport;
                    break;
                }
            }
            break;
        }
    }
    /* The connecting socket's name: the first of these the host does not use. */
    static const char *const names[] = {"c", "x", "c2", "x2"};
    g_strlcpy(w->conn_name, "c3", sizeof w->conn_name);
    for (size_t n = 0; n < G_N_ELEMENTS(names); n++) {
        bool used = false;
        for (guint i = 0; i < sim->socks->len; i++) {
            struct tcpsim_sock *s = g_ptr_array_index(sim->socks, i);
            used |= s->host->index == w->conn_from && strcmp(s->name, names[n]) == 0;
        }
        if (!used) {
            g_strlcpy(w->conn_name, names[n], sizeof w->conn_name);
            break;
        }
    }
}

struct xworld *
xw_new(const struct explore_opts *o, GError **error)
{
    struct xworld *w = g_new0(struct xworld, 1);
    w->o = o;
    w->segs = g_ptr_array_new_with_free_func(xseg_free);
    w->lines = g_array_new(FALSE, FALSE, sizeof(struct xline));
    w->log = g_string_new(NULL);
    w->dups_left = o->dups;
    w->drops_left = o->drops;
    cur_world = w;
    tcp_inv_set_handler(on_broken);
    struct tcpsim_run_options ro = {.no_trace = true, .max_wall = -1};
    w->run = scn_compile(o->scn, &ro, error);
    if (w->run == NULL) {
        xw_free(w);
        return NULL;
    }
    w->sim = scn_run_sim(w->run);
    const GPtrArray *tl = o->scn->timeline;
    sim_time last = tl->len ? ((const struct scn_line *)g_ptr_array_index(tl, tl->len - 1))->at : 0;
    tcpsim_run(w->sim, last, 0);
    GPtrArray *fails = scn_run_failures(w->run);
    if (fails != NULL && fails->len > 0) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "the prefix's own check failed: %s",
                    (const char *)g_ptr_array_index(fails, 0));
        xw_free(w);
        return NULL;
    }
    if (w->violation != NULL) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "the prefix itself breaks: %s",
                    w->violation);
        xw_free(w);
        return NULL;
    }
    for (int i = 0; i < w->sim->nhosts; i++) {
        for (int j = 0; j < w->sim->nhosts; j++) {
            struct link_dir *d = w->sim->links[i][j];
            if (d == NULL) {
                continue;
            }
            if (!link_fit(d, error)) {
                xw_free(w);
                return NULL;
            }
            d->hold = hold;
            d->hold_arg = w;
        }
    }
    w->t0 = w->sim->q.now;
    w->dircount = g_new0(guint, 2 * (gsize)(w->sim->nhosts * w->sim->nhosts));
    find_listener(w);
    /* A prefix that already connected leaves nothing to connect. */
    for (guint i = 0; i < w->sim->socks->len; i++) {
        struct tcpsim_sock *s = g_ptr_array_index(w->sim->socks, i);
        if (s->host->index == w->conn_from && s->tcb != NULL && s->tcb->state != TCP_LISTEN) {
            w->connected = true;
        }
    }
    return w;
}

bool
xw_heap_begin(void)
{
    if (!xheap_init()) {
        return false;
    }
    /* Small worlds copy fast: a ring of 64 buckets, not 65,536 (1 MiB), and pools whose
     * first chunk is 4 KiB, not 64. Neither changes what a world does; both also stop
     * the engine handing a new world the ring or chunks a freed one left for reuse,
     * which lie outside the heap. */
    ev_ring_bits_set(EV_RING_BITS_MIN);
    pool_first_chunk_set(4096);
    /* glib's slices must come from malloc() (G_SLICE=always-malloc, set by main()) */
    xheap_enter();
    void *probe = g_slice_alloc(32);
    bool slices_here = xheap_owns(probe);
    g_slice_free1(32, probe);
    xheap_leave();
    return slices_here;
}

void
xw_record(struct xworld *w)
{
    w->record = true;
}

void
xw_free(struct xworld *w)
{
    if (w == NULL) {
        return;
    }
    if (cur_world == w) {
        cur_world = NULL;
    }
    if (w->run != NULL) {
        scn_run_free(w->run);
    }
    g_ptr_array_free(w->segs, TRUE);
    for (guint i = 0; i < w->lines->len; i++) {
        g_free(g_array_index(w->lines, struct xline, i).text);
    }
    g_array_free(w->lines, TRUE);
    g_string_free(w->log, TRUE);
    g_free(w->dircount);
    g_free(w->violation);
    g_free(w);
}

const char *
xw_violation(struct xworld *w)
{
    return w->violation;
}

/* --- choices ------------------------------------------------------------------------ */

static struct tcpsim_sock *
sock_at(struct xworld *w, guint i)
{
    return i < w->sim->socks->len ? g_ptr_array_index(w->sim->socks, i) : NULL;
}

static void
add(struct xworld *w, enum xkind kind, enum xverb verb, guint idx)
{
    if (w->nch < XMAX_CHOICES) {
        w->ch[w->nch++] = (struct xchoice){.kind = kind, .verb = verb, .idx = (uint16_t)idx};
    }
}

bool
xw_can_step(struct xworld *w)
{
    sim_time next = ev_next_time(&w->sim->q);
    return next == SIM_TIME_NEVER || next > w->sim->q.now + w->o->step;
}

static void
list_choices(struct xworld *w)
{
    if (w->ch_valid) {
        return;
    }
    w->nch = 0;
    w->ch_valid = true;
    if (xw_can_step(w)) {
        /* Per direction, only the reorder + 1 oldest segments in flight may arrive next.
         * A segment never delivered is lost: dropping one explicitly only matters when
         * it holds a later one back (more than reorder + 1 in flight on its direction). */
        int nh = w->sim->nhosts;
        guint *older = w->dircount;
        guint *pending = w->dircount + nh * nh;
        memset(w->dircount, 0, 2 * (size_t)(nh * nh) * sizeof *w->dircount);
        for (guint i = 0; i < w->segs->len; i++) {
            struct xseg *x = g_ptr_array_index(w->segs, i);
            pending[x->from * nh + x->to] += !x->done;
        }
        for (guint i = 0; i < w->segs->len; i++) {
            struct xseg *x = g_ptr_array_index(w->segs, i);
            if (x->done || older[x->from * nh + x->to]++ > (guint)w->o->reorder) {
                continue;
            }
            add(w, XK_DELIVER, 0, i);
            if (w->drops_left > 0 && pending[x->from * nh + x->to] > (guint)w->o->reorder + 1) {
                add(w, XK_DROP, 0, i);
            }
            if (!x->dup && w->dups_left > 0) {
                add(w, XK_DUP, 0, i);
            }
        }
        if (!w->connected && w->conn_from >= 0) {
            add(w, XK_APP, XV_CONNECT, 0);
        }
        for (guint i = 0; i < w->sim->socks->len && i < XMAX_SOCKS; i++) {
            struct tcpsim_sock *s = sock_at(w, i);
            const struct xsock *xs = &w->xs[i];
            if (s->tcb == NULL || s->tcb->state == TCP_LISTEN || s->closed || xs->gone ||
                s->nops > 0) {
                continue;
            }
            if (xs->sends < w->o->sends && !xs->shut) {
                add(w, XK_APP, XV_SEND, i);
            }
            if (s->tcb->rcv.nxt > s->tcb->rcv.read) {
                add(w, XK_APP, XV_RECV, i);
            }
            if (!xs->shut) {
                add(w, XK_APP, XV_SHUTDOWN, i);
            }
            add(w, XK_APP, XV_CLOSE, i);
            add(w, XK_APP, XV_ABORT, i);
        }
    }
    sim_time next = ev_next_time(&w->sim->q);
    if (next != SIM_TIME_NEVER && next < SIM_TIME_END) {
        add(w, XK_TIMER, 0, 0);
    }
}

guint
xw_nchoices(struct xworld *w)
{
    list_choices(w);
    return w->nch;
}

/* --- coverage: the state and event kind a choice meets ---------------------------- */

struct tcp_tcb *
xw_find_tcb(struct host *h, struct tcpsim_addr laddr, uint16_t lport, struct tcpsim_addr raddr,
            uint16_t rport)
{
    GHashTableIter it;
    gpointer k;
    gpointer v;
    g_hash_table_iter_init(&it, h->conns);
    while (g_hash_table_iter_next(&it, &k, &v)) {
        struct tcp_tcb *t = v;
        if (tcpsim_addr_equal(&t->id.laddr, &laddr) && t->id.lport == lport &&
            tcpsim_addr_equal(&t->id.raddr, &raddr) && t->id.rport == rport) {
            return t;
        }
    }
    return NULL;
}

static enum xcol
seg_col(const struct tcp_seg *s)
{
    uint16_t f = s->flags & (TCP_SYN | TCP_ACK | TCP_FIN | TCP_RST);
    if ((f & TCP_SYN) && (f & TCP_FIN)) {
        return XC_SYNFIN;
    }
    if (f & TCP_RST) {
        return (f & TCP_ACK) ? XC_RSTACK : XC_RST;
    }
    if (f & TCP_SYN) {
        return (f & TCP_ACK) ? XC_SYNACK : XC_SYN;
    }
    if (f & TCP_FIN) {
        return (f & TCP_ACK) ? XC_FINACK : XC_FIN;
    }
    if (f & TCP_ACK) {
        return s->len ? XC_DATA : XC_ACK;
    }
    return XC_NOFLAGS;
}

static int
seg_row(struct xworld *w, const struct xseg *x)
{
    struct host *h = w->sim->hosts[x->to];
    struct tcp_tcb *t = xw_find_tcb(h, x->seg.daddr, x->seg.dport, x->seg.saddr, x->seg.sport);
    if (t != NULL) {
        return (int)t->state;
    }
    return g_hash_table_lookup(h->listeners, GUINT_TO_POINTER((guint)x->seg.dport)) != NULL
               ? TCP_LISTEN
               : TCP_CLOSED;
}

static void
timer_cell(struct xworld *w, int *row, int *col)
{
    struct ev_queue *q = &w->sim->q;
    sim_time next = ev_next_time(q);
    *row = TCP_CLOSED;
    *col = XC_T_OTHER;
    for (int h = 0; h < w->sim->nhosts; h++) {
        GPtrArray *a = host_all_tcbs(w->sim->hosts[h]);
        for (guint i = 0; i < a->len; i++) {
            struct tcp_tcb *t = g_ptr_array_index(a, i);
            const struct ev *evs[] = {&t->timer.rto, &t->timer.persist, &t->timer.keepalive,
                                      &t->timer.delack};
            static const enum xcol cols[] = {XC_T_RTO, XC_T_PERSIST, XC_T_KEEPALIVE,
                                             XC_T_DELACK};
            for (size_t e = 0; e < G_N_ELEMENTS(evs); e++) {
                if (ev_due(q, evs[e]) == next) {
                    *row = (int)t->state;
                    *col = cols[e];
                    g_ptr_array_free(a, TRUE);
                    return;
                }
            }
            if (ev_lnode_due(q, &t->timer.time_wait) == next) {
                *row = (int)t->state;
                *col = XC_T_TIMEWAIT;
                g_ptr_array_free(a, TRUE);
                return;
            }
        }
        g_ptr_array_free(a, TRUE);
    }
}

/* --- applying a choice -------------------------------------------------------------- */

char *
xw_fmt_time(sim_time t)
{
    if (t % MS(1) == 0) {
        return g_strdup_printf("%" G_GINT64_FORMAT "ms", t / MS(1));
    }
    if (t % US(1) == 0) {
        return g_strdup_printf("%" G_GINT64_FORMAT "us", t / US(1));
    }
    return g_strdup_printf("%" G_GINT64_FORMAT "ns", t);
}

static void
add_line(struct xworld *w, char *text)
{
    if (!w->record) {
        g_free(text);
        return;
    }
    struct xline l = {.at = w->sim->q.now, .text = text};
    g_array_append_val(w->lines, l);
}

static const char *
flags_text(uint16_t f, char *buf)
{
    char *p = buf;
    *p++ = '[';
    if (f & TCP_SYN) {
        *p++ = 'S';
    }
    if (f & TCP_FIN) {
        *p++ = 'F';
    }
    if (f & TCP_RST) {
        *p++ = 'R';
    }
    if (f & TCP_PSH) {
        *p++ = 'P';
    }
    if (f & TCP_ACK) {
        *p++ = '.';
    }
    *p++ = ']';
    *p = 0;
    return buf;
}

char *
xw_choice_text(struct xworld *w, guint i)
{
    list_choices(w);
    if (i >= w->nch) {
        return g_strdup("?");
    }
    const struct xchoice *c = &w->ch[i];
    static const char *const segverbs[] = {"deliver", "drop", "duplicate"};
    static const char *const appverbs[] = {"connect", "send", "recv", "shutdown", "close",
                                           "abort"};
    if (c->kind <= XK_DUP) {
        const struct xseg *x = g_ptr_array_index(w->segs, c->idx);
        char fb[12];
        return g_strdup_printf("%s %s->%s %s len %u (sent at %.6f s)", segverbs[c->kind],
                               w->sim->hosts[x->from]->name, w->sim->hosts[x->to]->name,
                               flags_text(x->seg.flags, fb), x->seg.len,
                               (double)x->sent_at / SEC(1));
    }
    if (c->kind == XK_APP) {
        if (c->verb == XV_CONNECT) {
            return g_strdup_printf("%s connect", w->sim->hosts[w->conn_from]->name);
        }
        struct tcpsim_sock *s = sock_at(w, c->idx);
        return g_strdup_printf("%s %s %s", s->host->name, appverbs[c->verb], s->name);
    }
    return g_strdup("the next timer fires");
}

static void
app_call(struct xworld *w, const struct xchoice *c)
{
    struct tcpsim_sim *sim = w->sim;
    if (c->verb == XV_CONNECT) {
        w->connected = true;
        struct tcpsim_sock *s = tcpsim_socket(sim, w->conn_from, w->conn_name);
        tcpsim_connect(s, sim->hosts[w->conn_to]->addr, w->conn_port, 0);
        add_line(w, g_strdup_printf("%s connect %s:%u as %s", sim->hosts[w->conn_from]->name,
                                    sim->hosts[w->conn_to]->name, w->conn_port, w->conn_name));
        return;
    }
    struct tcpsim_sock *s = sock_at(w, c->idx);
    struct xsock *xs = &w->xs[c->idx];
    const char *hn = s->host->name;
    switch ((enum xverb)c->verb) {
    case XV_SEND:
        xs->sends++;
        tcpsim_send(s, w->o->send_size, NULL);
        add_line(w, g_strdup_printf("%s send %s %u", hn, s->name, w->o->send_size));
        break;
    case XV_RECV:
        tcpsim_recv(s, 0);
        add_line(w, g_strdup_printf("%s recv %s", hn, s->name));
        break;
    case XV_SHUTDOWN:
        xs->shut = true;
        tcpsim_shutdown(s, false, true);
        add_line(w, g_strdup_printf("%s shutdown %s wr", hn, s->name));
        break;
    case XV_CLOSE:
        xs->gone = true;
        tcpsim_close(s);
        add_line(w, g_strdup_printf("%s close %s", hn, s->name));
        break;
    case XV_ABORT:
        xs->gone = true;
        tcpsim_abort(s);
        add_line(w, g_strdup_printf("%s abort %s", hn, s->name));
        break;
    case XV_CONNECT:
        break;
    }
}

void
xw_apply(struct xworld *w, guint i, int *row, int *col)
{
    list_choices(w);
    g_assert(i < w->nch);
    struct xchoice c = w->ch[i];
    struct ev_queue *q = &w->sim->q;
    cur_world = w;
    if (c.kind != XK_TIMER) {
        q->now += w->o->step; /* nothing is due before: xw_can_step() */
    }
    if (w->record) {
        char *what = xw_choice_text(w, i);
        g_string_append_printf(w->log, "#   %.6f s: %s\n", (double)q->now / SEC(1), what);
        g_free(what);
    }
    struct xseg *x = c.kind <= XK_DUP ? g_ptr_array_index(w->segs, c.idx) : NULL;
    switch ((enum xkind)c.kind) {
    case XK_DELIVER:
        *row = seg_row(w, x);
        *col = seg_col(&x->seg);
        x->done = true;
        if (x->dup) {
            x->t2 = q->now;
        } else {
            x->t1 = q->now;
        }
        link_release(x->d, &x->seg, x->serial, false);
        break;
    case XK_DROP:
        *row = seg_row(w, x);
        *col = seg_col(&x->seg);
        x->done = true;
        x->dropped = true;
        w->drops_left--;
        link_discard(x->d, &x->seg, x->serial);
        break;
    case XK_DUP:
        *row = seg_row(w, x);
        *col = seg_col(&x->seg);
        x->dup = true;
        x->t1 = q->now;
        w->dups_left--;
        link_release(x->d, &x->seg, x->serial, true);
        break;
    case XK_APP: {
        struct tcpsim_sock *s = c.verb == XV_CONNECT ? NULL : sock_at(w, c.idx);
        *row = s != NULL && s->tcb != NULL ? (int)s->tcb->state : TCP_CLOSED;
        static const enum xcol cols[] = {XC_CONNECT, XC_SEND, XC_RECV, XC_SHUTDOWN, XC_CLOSE,
                                         XC_ABORT};
        *col = cols[c.verb];
        app_call(w, &c);
        break;
    }
    case XK_TIMER:
        timer_cell(w, row, col);
        ev_step(q, SIM_TIME_END - 1);
        break;
    }
    ev_run_until(q, q->now);
    w->ch_valid = false;
    if (!w->replaying) {
        xw_check(w);
    }
}

void
xw_replay(struct xworld *w, const uint8_t *path, guint len)
{
    w->replaying = true;
    for (guint i = 0; i < len; i++) {
        int row;
        int col;
        g_assert(path[i] < xw_nchoices(w));
        xw_apply(w, path[i], &row, &col);
    }
    w->replaying = false;
}

