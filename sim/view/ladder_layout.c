/* SPDX-License-Identifier: MIT */
/*
 * ladder_layout.c: recorded events to the ladder's rows, arrows and labels.
 *
 * Entry point: ladder_layout(). One pass over the events in trace order with a cursor
 * row: a later time moves the cursor down in proportion to the time passed (a one-way
 * trip of the shortest delay takes LADDER_CROSS_ROWS rows; a long idle stretch is
 * compressed); an event at the same time takes the next row when its place on the
 * cursor row is taken. A row holds at most one end of an arrow, and each side's label
 * column one line of text.
 */
#include "ladder.h"

#include <string.h>

#include "ladder_label.h"

#define LABEL_MAX 512

/* The arrows of one link direction, by the link's serial number of the sending. */
struct by_serial {
    uint64_t base; /* serial of index 0 */
    GArray *idx;   /* int: arrow index, -1 for none */
};

/* Link directions between the two hosts drawn: A->B, B->A, A->A, B->B. */
#define NDIRS 4

struct layout {
    struct ladder *L;
    const struct rec *r;
    const struct ladder_opts *o;
    bool absolute;
    sim_time unit;    /* the shortest one-way trip: LADDER_CROSS_ROWS rows */
    sim_time t;       /* the cursor row's time */
    int cursor;       /* -1 before the first event */
    int seg_row;      /* the last row holding an end of an arrow */
    int busy[LADDER_NCOLS]; /* the last row holding a label line, per side */
    struct by_serial dir[NDIRS];
    GHashTable *index; /* conn id + 1 -> picture index + 1 */
};

static const char *
keep(struct ladder *L, const char *s)
{
    return g_string_chunk_insert_const(L->strings, s);
}

static struct ladder_row *
row(struct ladder *L, int i)
{
    while ((int)L->rows->len <= i) {
        struct ladder_row filler = {0};
        if (L->rows->len > 0) {
            filler.at = g_array_index(L->rows, struct ladder_row, L->rows->len - 1).at;
        }
        g_array_append_val(L->rows, filler);
    }
    return &g_array_index(L->rows, struct ladder_row, i);
}

static int
side_of(const struct layout *ly, const char *host)
{
    int h = rec_host_index(ly->r, host);
    if (h < 0) {
        return -1;
    }
    return h == ly->L->host[0] ? 0 : h == ly->L->host[1] ? 1 : -1;
}

/* The link direction of a link event between the hosts drawn, or -1. */
static int
dir_of(const struct layout *ly, const struct trace_event *ev)
{
    int from = side_of(ly, ev->host);
    int to = side_of(ly, ev->peer);
    if (from < 0 || to < 0) {
        return -1;
    }
    return from == to ? 2 + from : from;
}

/* The column of an address seen on host `side`'s interface: the host's own, or the
 * spoofed sources' when it is an address no host has (a flood's forged source). */
static int
col_of(struct layout *ly, int side, struct tcpsim_addr addr)
{
    const struct rec_header *h = ly->L->hdr;
    if (h->nhosts == 0 || ip_eq(&addr, &h->host_addrs[ly->L->host[side]])) {
        return side;
    }
    for (guint i = 0; i < h->nhosts; i++) {
        if (ip_eq(&h->host_addrs[i], &addr) ||
            (h->host_addrs2 != NULL && ip_eq(&h->host_addrs2[i], &addr))) {
            return side; /* another host's address: drawn as sent by this one */
        }
    }
    ly->L->spoofed = true;
    return LADDER_COL_SPOOFED;
}

/* The connection's index in the picture (in order of first appearance), or -1. */
static int
conn_index(struct layout *ly, guint ev_i)
{
    const struct conn_info *c = rec_conn(ly->r, ev_i);
    if (c == NULL) {
        return -1;
    }
    gpointer v = g_hash_table_lookup(ly->index, GINT_TO_POINTER(c->id + 1));
    if (v != NULL) {
        return GPOINTER_TO_INT(v) - 1;
    }
    g_ptr_array_add(ly->L->conns, (gpointer)c);
    int i = (int)ly->L->conns->len - 1;
    g_hash_table_insert(ly->index, GINT_TO_POINTER(c->id + 1), GINT_TO_POINTER(i + 1));
    return i;
}

/* "[c] " before a label, when the picture tells connections apart. */
static void
put_owner(const struct layout *ly, struct strbuf *sb, int conn)
{
    if (conn < 0 || !ladder_many(ly->L)) {
        return;
    }
    char buf[16];
    sb_putc(sb, '[');
    sb_puts(sb, conn_short_name(g_ptr_array_index(ly->L->conns, conn), buf, sizeof buf));
    sb_puts(sb, "] ");
}

static int *
serial_slot(struct by_serial *b, uint64_t serial, bool grow)
{
    if (b->idx->len == 0 && grow) {
        b->base = serial;
    }
    if (serial < b->base) {
        return NULL;
    }
    uint64_t i = serial - b->base;
    if (i >= b->idx->len) {
        if (!grow) {
            return NULL;
        }
        int none = -1;
        while (b->idx->len <= i) {
            g_array_append_val(b->idx, none);
        }
    }
    return &g_array_index(b->idx, int, i);
}

/* The shortest time any segment took to cross: the ladder's unit of height. */
static sim_time
shortest_trip(struct layout *ly)
{
    sim_time best = 0;
    GArray *sent[NDIRS];
    uint64_t base[NDIRS] = {0};
    for (int d = 0; d < NDIRS; d++) {
        sent[d] = g_array_new(FALSE, FALSE, sizeof(sim_time));
    }
    for (guint i = 0; i < ly->r->events->len; i++) {
        const struct trace_event *ev = rec_at(ly->r, i);
        int d = ev->kind == TRACE_SEG_SENT || ev->kind == TRACE_SEG_DELIVERED ? dir_of(ly, ev) : -1;
        if (d < 0) {
            continue;
        }
        if (ev->kind == TRACE_SEG_SENT) {
            if (sent[d]->len == 0) {
                base[d] = ev->serial;
            }
            g_array_append_val(sent[d], ev->at);
        } else if (ev->serial >= base[d] && ev->serial - base[d] < sent[d]->len) {
            sim_time trip = ev->at - g_array_index(sent[d], sim_time, ev->serial - base[d]);
            if (trip > 0 && (best == 0 || trip < best)) {
                best = trip;
            }
        }
    }
    for (int d = 0; d < NDIRS; d++) {
        g_array_free(sent[d], TRUE);
    }
    return best > 0 ? best : MS(10);
}

/* Moves the cursor to the first row of time `at`. */
static void
advance(struct layout *ly, sim_time at)
{
    struct ladder *L = ly->L;
    if (ly->cursor >= 0 && at <= ly->t) {
        return;
    }
    if (ly->cursor < 0) {
        ly->cursor = 0;
    } else {
        sim_time gap = at - ly->t;
        int64_t n = (gap * LADDER_CROSS_ROWS + ly->unit / 2) / ly->unit;
        if (n > LADDER_GAP_ROWS && !ly->o->linear) {
            for (int k = 1; k <= LADDER_GAP_DRAWN; k++) {
                struct ladder_row *g = row(L, ly->cursor + k);
                g->gap = true;
                g->gap_len = k == (LADDER_GAP_DRAWN + 1) / 2 ? gap : 0;
            }
            n = LADDER_GAP_DRAWN + 1;
        }
        ly->cursor += (int)(n > 0 ? n : 1);
    }
    struct ladder_row *r = row(L, ly->cursor);
    r->at = at;
    r->show_time = true;
    r->gap = false;
    ly->t = at;
}

/* Moves the cursor one row down, staying at the same time. */
static void
bump(struct layout *ly, int to_row)
{
    while (ly->cursor < to_row) {
        ly->cursor++;
        struct ladder_row *r = row(ly->L, ly->cursor);
        r->at = ly->t;
        r->gap = false;
    }
}

static int
take_seg_row(struct layout *ly)
{
    if (ly->seg_row >= ly->cursor) {
        bump(ly, ly->seg_row + 1);
    }
    ly->seg_row = ly->cursor;
    return ly->cursor;
}

/* Writes `text` beside a column, wrapped to the label width, from the cursor row down. */
static void
place_label(struct layout *ly, int side, int conn, enum ladder_label_kind kind, const char *text,
            int ev)
{
    if (ly->busy[side] >= ly->cursor) {
        bump(ly, ly->busy[side] + 1);
    }
    int r = ly->cursor;
    const char *p = text;
    while (*p) {
        /* As much as fits in the label column (wide characters count twice), cut at a
         * blank when there is one. */
        size_t n = view_text_cut(p, LADDER_LABEL_COLS);
        if (p[n] != '\0') {
            size_t b = n;
            while (b > 0 && p[b] != ' ') {
                b--;
            }
            if (b > 0) {
                n = b;
            }
        }
        if (n == 0) {
            n = (size_t)(g_utf8_next_char(p) - p);
        }
        g_autofree char *line = g_strndup(p, n);
        struct ladder_label l = {side, conn, r, kind, keep(ly->L, line), ev};
        g_array_append_val(ly->L->labels, l);
        row(ly->L, r);
        ly->busy[side] = r++;
        p += n;
        while (*p == ' ') {
            p++;
        }
    }
}

static void
on_sent(struct layout *ly, guint i, int d)
{
    const struct trace_event *ev = rec_at(ly->r, i);
    char buf[LABEL_MAX];
    struct strbuf sb;
    sb_init(&sb, buf, sizeof buf);
    int conn = conn_index(ly, i);
    put_owner(ly, &sb, conn);
    struct seg_label_how how = {.rel = ly->absolute ? NULL : rec_rel(ly->r, i),
                                .window = ly->o->window, .wscale = -1, .words = ly->L->w};
    const struct conn_info *c = rec_conn(ly->r, i);
    if (c != NULL) {
        bool client = ip_eq(&c->addr[0], &ev->seg->saddr) && c->port[0] == ev->seg->sport;
        if (c->ws_both) {
            how.wscale = c->wscale[client ? 0 : 1];
        }
        if (ly->o->textbook && !ly->absolute) {
            how.seq_name = client ? "x" : "y";
            how.ack_name = client ? "y" : "x";
        }
    }
    ladder_seg_label(&sb, ev->seg, &how);
    int host_from = d >= 2 ? d - 2 : d;
    int host_to = d >= 2 ? d - 2 : 1 - d;
    int from = col_of(ly, host_from, ev->seg->saddr);
    if (from == LADDER_COL_SPOOFED && ly->busy[0] >= ly->cursor) {
        /* Its label crosses A's label column: below what is written there. */
        bump(ly, ly->busy[0] + 1);
    }
    struct ladder_arrow a = {
        .from = from,
        .to = col_of(ly, host_to, ev->seg->daddr),
        .conn = conn,
        .row0 = take_seg_row(ly),
        .row1 = -1,
        .end = LADDER_END_NONE,
        .retransmit = ladder_is_retransmission(ev->seg),
        .label = keep(ly->L, buf),
        .ev = (int)i,
        .ev1 = -1,
    };
    g_array_append_val(ly->L->arrows, a);
    *serial_slot(&ly->dir[d], ev->serial, true) = (int)ly->L->arrows->len - 1;
}

static struct ladder_arrow *
arrow_of(struct layout *ly, const struct trace_event *ev, int d)
{
    int *slot = serial_slot(&ly->dir[d], ev->serial, false);
    if (slot == NULL || *slot < 0) {
        return NULL; /* sent before the picture began */
    }
    struct ladder_arrow *a = &g_array_index(ly->L->arrows, struct ladder_arrow, *slot);
    if (a->end != LADDER_END_NONE) {
        /* A second copy (the link duplicated it): a second arrow from the same sending. */
        struct ladder_arrow copy = *a;
        copy.end = LADDER_END_NONE;
        g_array_append_val(ly->L->arrows, copy);
        a = &g_array_index(ly->L->arrows, struct ladder_arrow, ly->L->arrows->len - 1);
    }
    return a;
}

static void
on_delivered(struct layout *ly, guint i, int d)
{
    const struct trace_event *ev = rec_at(ly->r, i);
    struct ladder_arrow *a = arrow_of(ly, ev, d);
    if (a == NULL) {
        return;
    }
    a->ev1 = (int)i;
    a->row1 = take_seg_row(ly);
    a->end = LADDER_END_ARRIVAL;
    if (ev->reason && a->to != LADDER_COL_SPOOFED) {
        const struct view_words *w = ly->L->w;
        const char *r = ev->reason;
        r = strcmp(r, "duplicate") == 0   ? w->duplicate
            : strcmp(r, "delayed") == 0   ? w->delayed
            : strcmp(r, "reordered") == 0 ? w->reordered
            : strcmp(r, "corrupted") == 0 ? w->corrupted
                                          : r;
        g_autofree char *note = g_strdup_printf("(%s)", r);
        place_label(ly, a->to, a->conn, LADDER_NOTE, note, a->ev);
    }
}

static void
on_dropped(struct layout *ly, guint i, int d)
{
    const struct trace_event *ev = rec_at(ly->r, i);
    struct ladder_arrow *a = arrow_of(ly, ev, d);
    if (a == NULL) {
        return;
    }
    a->ev1 = (int)i;
    /* Drawn as if it had flown half a trip at the usual speed, wherever it was lost. */
    a->row1 = a->row0 + LADDER_CROSS_ROWS / 2;
    row(ly->L, a->row1);
    a->end = LADDER_END_DROP;
    int code = ev->why.code;
    const char *word = code >= 0 && code < LINK_DROP_N ? ly->L->w->link_drop[code] : NULL;
    a->drop = keep(ly->L, word ? word : ev->reason ? ev->reason : "lost");
}

static void
on_host_event(struct layout *ly, guint i, bool app)
{
    const struct trace_event *ev = rec_at(ly->r, i);
    int side = side_of(ly, ev->host);
    if (side < 0) {
        ly->L->others = ly->L->others || ev->host != NULL;
        return;
    }
    char buf[LABEL_MAX];
    struct strbuf sb;
    sb_init(&sb, buf, sizeof buf);
    int conn = ev->kind == TRACE_NOTE ? -1 : conn_index(ly, i);
    enum ladder_label_kind kind;
    switch (ev->kind) {
    case TRACE_STATE:
        put_owner(ly, &sb, conn);
        sb_puts(&sb, ev->to);
        kind = LADDER_STATE;
        break;
    case TRACE_TIMER:
        put_owner(ly, &sb, conn);
        ladder_timer_label(&sb, ev, ly->L->w);
        kind = LADDER_TIMER;
        break;
    case TRACE_SEG_DISCARD:
        if (ev->why.code == TCP_DROP_NO_ADDRESS && ev->seg &&
            col_of(ly, side, ev->seg->daddr) == LADDER_COL_SPOOFED) {
            return; /* the answer to a spoofed source: its arrow ends there, at nobody */
        }
        put_owner(ly, &sb, conn);
        if (ev->why.code == TCP_DROP_TIME_WAIT) {
            /* Not refused: TIME_WAIT is there to answer it (RFC 9293 §3.10.7.4). */
            sb_puts(&sb, ly->L->w->time_wait_again);
            kind = LADDER_NOTE;
            break;
        }
        sb_puts(&sb, ly->L->w->discard);
        {
            int code = ev->why.code;
            const char *zh = code > 0 && code < TCP_NDROPS ? ly->L->w->drop[code] : NULL;
            sb_puts(&sb, zh ? zh : ev->reason ? ev->reason : "?");
        }
        kind = LADDER_DISCARD;
        break;
    case TRACE_APP:
        if (!app) {
            return;
        }
        put_owner(ly, &sb, conn);
        ladder_app_label(&sb, ev->text);
        kind = LADDER_APP;
        break;
    case TRACE_NOTE:
        if (ev->text == NULL || g_str_has_prefix(ev->text, "summary ")) {
            return;
        }
        sb_puts(&sb, ev->text);
        kind = LADDER_NOTE;
        break;
    case TRACE_SEG_SENT:
    case TRACE_SEG_DELIVERED:
    case TRACE_SEG_DROPPED:
    case TRACE_EXPECT:
    case TRACE_CC:
    case TRACE_SS:
    case TRACE_NKINDS:
    default:
        return;
    }
    advance(ly, ev->at);
    place_label(ly, side, conn, kind, buf, (int)i);
}

/* Every connection the picture shows, numbered in order of first appearance, before
 * anything is placed: a label says whose it is only when there is more than one. */
static void
number_conns(struct layout *ly, bool app)
{
    for (guint i = 0; i < ly->r->events->len; i++) {
        const struct trace_event *ev = rec_at(ly->r, i);
        bool link = ev->kind == TRACE_SEG_SENT || ev->kind == TRACE_SEG_DELIVERED ||
                    ev->kind == TRACE_SEG_DROPPED;
        if (link ? dir_of(ly, ev) < 0 : side_of(ly, ev->host) < 0) {
            continue;
        }
        if (ev->kind == TRACE_SEG_SENT || ev->kind == TRACE_STATE ||
            (ev->kind == TRACE_APP && app)) {
            conn_index(ly, i);
        }
    }
}

static void
place_all(struct layout *ly, bool app)
{
    for (guint i = 0; i < ly->r->events->len; i++) {
        const struct trace_event *ev = rec_at(ly->r, i);
        bool link = ev->kind == TRACE_SEG_SENT || ev->kind == TRACE_SEG_DELIVERED ||
                    ev->kind == TRACE_SEG_DROPPED;
        if (!link) {
            on_host_event(ly, i, app);
            continue;
        }
        int d = dir_of(ly, ev);
        if (d < 0) {
            ly->L->others = true;
            continue;
        }
        if (ev->kind == TRACE_SEG_DROPPED) {
            on_dropped(ly, i, d);
            continue;
        }
        advance(ly, ev->at);
        if (ev->kind == TRACE_SEG_SENT) {
            on_sent(ly, i, d);
        } else {
            on_delivered(ly, i, d);
        }
    }
}

/* Arrows still in flight at the end run off the bottom, with no head. */
static void
finish_arrows(struct ladder *L)
{
    for (guint i = 0; i < L->arrows->len; i++) {
        struct ladder_arrow *a = &g_array_index(L->arrows, struct ladder_arrow, i);
        if (a->end == LADDER_END_NONE) {
            a->row1 = ladder_nrows(L) - 1 > a->row0 ? ladder_nrows(L) - 1 : a->row0 + 1;
            row(L, a->row1);
        }
    }
}

struct ladder *
ladder_layout(const struct rec *r, const struct ladder_opts *o)
{
    struct ladder *L = g_new0(struct ladder, 1);
    L->hdr = &r->hdr;
    L->host[0] = 0;
    L->host[1] = r->hdr.nhosts > 1 ? 1 : 0;
    L->rows = g_array_new(FALSE, TRUE, sizeof(struct ladder_row));
    L->arrows = g_array_new(FALSE, TRUE, sizeof(struct ladder_arrow));
    L->labels = g_array_new(FALSE, TRUE, sizeof(struct ladder_label));
    L->strings = g_string_chunk_new(4096);
    L->absolute = o->absolute;
    L->w = view_words_for(o->lang);
    L->lanes = o->lanes;
    L->conns = g_ptr_array_new();
    struct layout ly = {.L = L, .r = r, .o = o, .absolute = o->absolute, .cursor = -1,
                        .seg_row = -1, .busy = {-1, -1, -1}};
    for (int d = 0; d < NDIRS; d++) {
        ly.dir[d].idx = g_array_new(FALSE, FALSE, sizeof(int));
    }
    ly.index = g_hash_table_new(g_direct_hash, g_direct_equal);
    ly.unit = shortest_trip(&ly);
    if (o->linear && r->events->len > 0) {
        /* A linear axis leaves nothing out, so the whole run must fit: at most
         * LADDER_LINEAR_ROWS rows for its span, fewer if a trip needs fewer. */
        sim_time span = rec_at(r, r->events->len - 1)->at - rec_at(r, 0)->at;
        sim_time unit = span * LADDER_CROSS_ROWS / LADDER_LINEAR_ROWS;
        if (unit > ly.unit) {
            ly.unit = unit;
        }
    }
    number_conns(&ly, o->app);
    place_all(&ly, o->app);
    finish_arrows(L);
    for (int d = 0; d < NDIRS; d++) {
        g_array_free(ly.dir[d].idx, TRUE);
    }
    g_hash_table_destroy(ly.index);
    return L;
}

void
ladder_free(struct ladder *L)
{
    if (L == NULL) {
        return;
    }
    g_array_free(L->rows, TRUE);
    g_array_free(L->arrows, TRUE);
    g_array_free(L->labels, TRUE);
    g_ptr_array_free(L->conns, TRUE);
    g_string_chunk_free(L->strings);
    g_free(L);
}
