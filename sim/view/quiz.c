/* SPDX-License-Identifier: MIT */
/*
 * quiz.c: a worksheet from a run, with its answer key ("tcpsim quiz").
 *
 * Entry point: quiz_add(). The sink keeps the segments and state changes between the
 * first two hosts (the first QUIZ_EVENTS of them) and, when the run ends, asks four
 * kinds of question about them, chosen by the worksheet's own seed so that a teacher can
 * hand each student a different sheet of the same run:
 *
 *   1. fill in the blanks: a segment's label with its seq or ack left out;
 *   2. states: a host receives a segment in a state; which state is it in now?
 *   3. what is sent next: a host receives a segment; what does it answer at once?
 *   4. put in order: a run of consecutive segments, shuffled.
 *
 * Numbers are relative to each ISN, as the ladder writes them. The answers are what
 * the run did, so they are right by construction.
 */
#include <string.h>

#include "../trace/outfile.h"
#include "ladder_label.h"
#include "record.h"
#include "view.h"

#define QUIZ_EVENTS 4000 /* the sheet asks about the start of a long run only */

struct quiz {
    struct rec rec;
    struct tcpsim_views v;
    struct outfile *out;
    struct outfile *key; /* NULL: the key follows the questions */
    const struct view_words *w;
};

/* The worksheet's words. */
struct quiz_words {
    const char *title, *intro, *blanks, *blanks_help, *states, *state_q, *next, *next_q,
        *order, *order_help, *key, *sent_by, *none;
};

static const struct quiz_words quiz_en = {
    .title = "Worksheet",
    .intro = "Sequence numbers are relative to each side's initial sequence number (ISN), as "
             "Wireshark shows them.",
    .blanks = "Fill in the blanks",
    .blanks_help = "Each line is a segment as it leaves its sender: the time, who sends it to "
                   "whom, its flags and numbers. Write the missing number.",
    .states = "States",
    .state_q = "At %s, %s receives \"%s\" in state %s. Which state is %s in now?",
    .next = "What is sent next?",
    .next_q = "At %s, %s (in state %s) receives \"%s\". What does %s send at once (flags and "
              "numbers)?",
    .order = "Put in order",
    .order_help = "These segments were sent one after another, between %s and %s. Write their "
                  "letters in the order they were sent.",
    .key = "Answer key",
    .sent_by = "sent by",
    .none = "(this run has no such moment)",
};

static const struct quiz_words quiz_zh = {
    .title = "练习",
    .intro = "序号相对于各自的初始序号（ISN），与 Wireshark 的显示方式相同。",
    .blanks = "填空",
    .blanks_help = "每一行是一个刚离开发送方的报文段：时间、谁发给谁、标志和序号。填写缺少的数字。",
    .states = "状态",
    .state_q = "%1$s 时，%2$s 在状态 %4$s 下收到“%3$s”。%5$s 现在处于什么状态？",
    .next = "接下来发送什么？",
    .next_q = "%s 时，%s（状态 %s）收到“%s”。%s 立即发送什么（标志和序号）？",
    .order = "排序",
    .order_help = "下面这些报文段是在 %s 到 %s 之间依次发出的。按发送顺序写出它们的字母。",
    .key = "答案",
    .sent_by = "发送方",
    .none = "（这次运行中没有这样的时刻）",
};

static void
put_time(char *buf, size_t cap, sim_time at)
{
    g_snprintf(buf, cap, "%" G_GINT64_FORMAT ".%06" G_GINT64_FORMAT " s", at / 1000000000,
               at % 1000000000 / 1000);
}

static int
host_side(const struct rec *r, const char *host)
{
    int h = rec_host_index(r, host);
    return h == 0 || h == 1 ? h : -1;
}

/* The segment's label as the ladder writes it. */
static char *
seg_label(const struct quiz *q, guint i)
{
    char buf[512];
    struct strbuf sb;
    sb_init(&sb, buf, sizeof buf);
    struct seg_label_how how = {.rel = rec_rel(&q->rec, i), .wscale = -1, .words = q->w};
    ladder_seg_label(&sb, rec_at(&q->rec, i)->seg, &how);
    return g_strdup(buf);
}

/* The events that are questions of a kind, by index. */
static GArray *
candidates(const struct quiz *q, bool (*fits)(const struct quiz *, guint))
{
    GArray *a = g_array_new(FALSE, FALSE, sizeof(guint));
    for (guint i = 0; i < q->rec.events->len; i++) {
        if (fits(q, i)) {
            g_array_append_val(a, i);
        }
    }
    return a;
}

/* Picks up to n of `a` at random, in their order in the run. */
static void
pick(GRand *rng, GArray *a, guint n)
{
    while (a->len > n) {
        g_array_remove_index(a, (guint)g_rand_int_range(rng, 0, (gint32)a->len));
    }
}

static bool
is_sent(const struct quiz *q, guint i)
{
    const struct trace_event *e = rec_at(&q->rec, i);
    return e->kind == TRACE_SEG_SENT && host_side(&q->rec, e->host) >= 0 &&
           host_side(&q->rec, e->peer) >= 0 && e->seg->tx_cause != TCP_TX_FORGED;
}

/* The first (`last` false) or last state change a delivery caused at once on its
 * receiver's connection (a FIN-ACK in FIN_WAIT_1 goes through FIN_WAIT_2 to TIME_WAIT),
 * before anything else arrives there; or -1. */
static int
state_change(const struct quiz *q, guint i, bool last)
{
    const struct trace_event *d = rec_at(&q->rec, i);
    int found = -1;
    for (guint j = i + 1; j < q->rec.events->len; j++) {
        const struct trace_event *e = rec_at(&q->rec, j);
        if (e->at != d->at) {
            break;
        }
        if (e->host == NULL || d->peer == NULL || strcmp(e->host, d->peer) != 0) {
            continue;
        }
        if (e->kind == TRACE_STATE && ip_eq(&e->sock.raddr, &d->seg->saddr) &&
            e->sock.rport == d->seg->sport && e->sock.lport == d->seg->dport) {
            found = (int)j;
            if (!last) {
                break;
            }
        }
    }
    for (guint j = i + 1; found >= 0 && j < (guint)found; j++) {
        const struct trace_event *e = rec_at(&q->rec, j);
        if (e->kind == TRACE_SEG_DELIVERED && e->peer && strcmp(e->peer, d->peer) == 0) {
            return -1; /* another segment arrived in between: not this one's doing alone */
        }
    }
    return found;
}

static int
state_after(const struct quiz *q, guint i)
{
    return state_change(q, i, false);
}

static bool
is_state_q(const struct quiz *q, guint i)
{
    const struct trace_event *e = rec_at(&q->rec, i);
    return e->kind == TRACE_SEG_DELIVERED && host_side(&q->rec, e->peer) >= 0 &&
           state_after(q, i) >= 0;
}

/* The segment the receiver of delivery i sent at once on the same connection, or -1. */
static int
answer_of(const struct quiz *q, guint i)
{
    const struct trace_event *d = rec_at(&q->rec, i);
    for (guint j = i + 1; j < q->rec.events->len; j++) {
        const struct trace_event *e = rec_at(&q->rec, j);
        if (e->at != d->at) {
            return -1;
        }
        if (e->kind == TRACE_SEG_DELIVERED && e->peer && d->peer && strcmp(e->peer, d->peer) == 0) {
            return -1; /* something else arrived first */
        }
        if (e->kind == TRACE_SEG_SENT && e->host && d->peer && strcmp(e->host, d->peer) == 0 &&
            ip_eq(&e->seg->saddr, &d->seg->daddr) && e->seg->sport == d->seg->dport &&
            ip_eq(&e->seg->daddr, &d->seg->saddr) && e->seg->dport == d->seg->sport) {
            return (int)j;
        }
    }
    return -1;
}

static bool
is_next_q(const struct quiz *q, guint i)
{
    const struct trace_event *e = rec_at(&q->rec, i);
    return e->kind == TRACE_SEG_DELIVERED && host_side(&q->rec, e->peer) >= 0 &&
           answer_of(q, i) >= 0;
}

/* The state host `host` had on the connection of delivery i just before it. */
static const char *
state_before(const struct quiz *q, guint i)
{
    const struct trace_event *d = rec_at(&q->rec, i);
    for (guint j = i; j-- > 0;) {
        const struct trace_event *e = rec_at(&q->rec, j);
        if (e->kind == TRACE_STATE && e->host && strcmp(e->host, d->peer) == 0 &&
            e->sock.lport == d->seg->dport &&
            (ip_is_none(&e->sock.raddr) || (ip_eq(&e->sock.raddr, &d->seg->saddr) && e->sock.rport == d->seg->sport))) {
            return e->to;
        }
    }
    return "?";
}

/* Replaces the number after `field` ("seq=", "ack=" or "seq ") in `label` by a blank;
 * returns the answer ("ack=1"), or NULL when the label has no such field. */
static char *
blank(char *label, size_t cap, const char *field)
{
    char *p = strstr(label, field);
    if (p == NULL) {
        return NULL;
    }
    char *num = p + strlen(field);
    size_t n = strspn(num, "0123456789:xy+");
    if (n == 0) {
        return NULL;
    }
    char *answer = g_strdup_printf("%s%.*s", field, (int)n, num);
    g_autofree char *rest = g_strdup(num + n);
    *num = '\0';
    g_strlcat(label, "______", cap);
    g_strlcat(label, rest, cap);
    return answer;
}

static void
fill_blanks(struct quiz *q, GRand *rng, GString *s, GString *key, int *no)
{
    const struct quiz_words *t = g_strcmp0(q->v.lang, "zh") == 0 ? &quiz_zh : &quiz_en;
    g_autoptr(GArray) c = candidates(q, is_sent);
    pick(rng, c, 4);
    g_string_append_printf(s, "\n## 1. %s\n\n%s\n\n", t->blanks, t->blanks_help);
    g_string_append_printf(key, "\n## 1. %s\n\n", t->blanks);
    for (guint k = 0; k < c->len; k++) {
        guint i = g_array_index(c, guint, k);
        const struct trace_event *e = rec_at(&q->rec, i);
        g_autofree char *label = g_malloc(600);
        g_autofree char *l0 = seg_label(q, i);
        g_strlcpy(label, l0, 600);
        const char *fields[] = {"ack=", "seq=", "seq "};
        int first = g_rand_int_range(rng, 0, 3);
        char *answer = NULL;
        for (int f = 0; f < 3 && answer == NULL; f++) {
            answer = blank(label, 600, fields[(first + f) % 3]);
        }
        char at[32];
        put_time(at, sizeof at, e->at);
        (*no)++;
        g_string_append_printf(s, "%2d) %s  %s -> %s  %s\n", *no, at, e->host, e->peer, label);
        g_string_append_printf(key, "%2d) %s   (%s)\n", *no, answer ? answer : "-", l0);
        g_free(answer);
    }
    if (c->len == 0) {
        g_string_append_printf(s, "%s\n", t->none);
    }
}

static void
ask_states(struct quiz *q, GRand *rng, GString *s, GString *key, int *no)
{
    const struct quiz_words *t = g_strcmp0(q->v.lang, "zh") == 0 ? &quiz_zh : &quiz_en;
    g_autoptr(GArray) c = candidates(q, is_state_q);
    pick(rng, c, 3);
    g_string_append_printf(s, "\n## 2. %s\n\n", t->states);
    g_string_append_printf(key, "\n## 2. %s\n\n", t->states);
    for (guint k = 0; k < c->len; k++) {
        guint i = g_array_index(c, guint, k);
        const struct trace_event *d = rec_at(&q->rec, i);
        const struct trace_event *st = rec_at(&q->rec, (guint)state_change(q, i, false));
        const struct trace_event *fin = rec_at(&q->rec, (guint)state_change(q, i, true));
        g_autofree char *label = seg_label(q, i);
        char at[32];
        put_time(at, sizeof at, d->at);
        g_autofree char *qs = g_strdup_printf(t->state_q, at, d->peer, label, st->from, d->peer);
        (*no)++;
        g_string_append_printf(s, "%2d) %s ________\n", *no, qs);
        if (fin != st) {
            g_string_append_printf(key, "%2d) %s (%s -> %s -> %s)\n", *no, fin->to, st->from, st->to,
                                   fin->to);
        } else {
            g_string_append_printf(key, "%2d) %s\n", *no, st->to);
        }
    }
    if (c->len == 0) {
        g_string_append_printf(s, "%s\n", t->none);
    }
}

static void
ask_next(struct quiz *q, GRand *rng, GString *s, GString *key, int *no)
{
    const struct quiz_words *t = g_strcmp0(q->v.lang, "zh") == 0 ? &quiz_zh : &quiz_en;
    g_autoptr(GArray) c = candidates(q, is_next_q);
    pick(rng, c, 3);
    g_string_append_printf(s, "\n## 3. %s\n\n", t->next);
    g_string_append_printf(key, "\n## 3. %s\n\n", t->next);
    for (guint k = 0; k < c->len; k++) {
        guint i = g_array_index(c, guint, k);
        const struct trace_event *d = rec_at(&q->rec, i);
        g_autofree char *label = seg_label(q, i);
        g_autofree char *answer = seg_label(q, (guint)answer_of(q, i));
        char at[32];
        put_time(at, sizeof at, d->at);
        g_autofree char *qs =
            g_strdup_printf(t->next_q, at, d->peer, state_before(q, i), label, d->peer);
        (*no)++;
        g_string_append_printf(s, "%2d) %s ________\n", *no, qs);
        g_string_append_printf(key, "%2d) %s\n", *no, answer);
    }
    if (c->len == 0) {
        g_string_append_printf(s, "%s\n", t->none);
    }
}

static void
ask_order(struct quiz *q, GRand *rng, GString *s, GString *key, int *no)
{
    const struct quiz_words *t = g_strcmp0(q->v.lang, "zh") == 0 ? &quiz_zh : &quiz_en;
    g_autoptr(GArray) c = candidates(q, is_sent);
    g_string_append_printf(s, "\n## 4. %s\n\n", t->order);
    g_string_append_printf(key, "\n## 4. %s\n\n", t->order);
    guint n = c->len < 5 ? c->len : 5;
    if (n < 2) {
        g_string_append_printf(s, "%s\n", t->none);
        return;
    }
    guint start = (guint)g_rand_int_range(rng, 0, (gint32)(c->len - n + 1));
    guint perm[5];
    for (guint k = 0; k < n; k++) {
        perm[k] = k;
    }
    for (guint k = n - 1; k > 0; k--) { /* Fisher-Yates; never the order itself */
        guint r = (guint)g_rand_int_range(rng, 0, (gint32)(k + 1));
        guint x = perm[k];
        perm[k] = perm[r];
        perm[r] = x;
    }
    if (perm[0] == 0 && perm[1] == 1) {
        guint x = perm[0];
        perm[0] = perm[1];
        perm[1] = x;
    }
    char t0[32];
    char t1[32];
    put_time(t0, sizeof t0, rec_at(&q->rec, g_array_index(c, guint, start))->at);
    put_time(t1, sizeof t1, rec_at(&q->rec, g_array_index(c, guint, start + n - 1))->at);
    (*no)++;
    g_autofree char *help = g_strdup_printf(t->order_help, t0, t1);
    g_string_append_printf(s, "%2d) %s\n\n", *no, help);
    char order[16] = {0};
    for (guint k = 0; k < n; k++) {
        guint i = g_array_index(c, guint, start + perm[k]);
        const struct trace_event *e = rec_at(&q->rec, i);
        g_autofree char *label = seg_label(q, i);
        g_string_append_printf(s, "    (%c) %s -> %s  %s\n", 'a' + k, e->host, e->peer, label);
        order[perm[k]] = (char)('a' + k);
    }
    g_string_append_printf(key, "%2d) ", *no);
    for (guint k = 0; k < n; k++) {
        g_string_append_printf(key, "%s%c", k ? ", " : "", order[k]);
    }
    g_string_append_c(key, '\n');
}

static void
write_sheet(struct quiz *q, GString *s, GString *key)
{
    const struct quiz_words *t = g_strcmp0(q->v.lang, "zh") == 0 ? &quiz_zh : &quiz_en;
    const struct rec_header *h = &q->rec.hdr;
    GRand *rng = g_rand_new_with_seed_array(
        (const guint32[]){(guint32)q->v.quiz_seed, (guint32)(q->v.quiz_seed >> 32)}, 2);
    g_string_append_printf(s, "# %s %" G_GUINT64_FORMAT ": %s\n\n", t->title, q->v.quiz_seed,
                           h->title ? h->title : "tcpsim");
    g_string_append_printf(s, "%s (seed %" G_GUINT64_FORMAT ").", h->scenario ? h->scenario : "",
                           h->seed);
    for (guint i = 0; i < h->nhosts && i < 2; i++) {
        char ip[TCPSIM_ADDR_STRLEN];
        struct strbuf sb;
        sb_init(&sb, ip, sizeof ip);
        sb_put_ip(&sb, &h->host_addrs[i]);
        g_string_append_printf(s, " %s %s%s", h->host_names[i], ip, i == 0 ? "," : ".");
    }
    g_string_append_printf(s, " %s\n", t->intro);
    g_string_append_printf(key, "# %s: %s %" G_GUINT64_FORMAT "\n", t->key, t->title,
                           q->v.quiz_seed);
    int no = 0;
    fill_blanks(q, rng, s, key, &no);
    ask_states(q, rng, s, key, &no);
    ask_next(q, rng, s, key, &no);
    ask_order(q, rng, s, key, &no);
    g_rand_free(rng);
}

static void
quiz_begin(void *self, const struct trace_header *hdr)
{
    struct quiz *q = self;
    rec_header(&q->rec, hdr);
}

static void
quiz_event(void *self, const struct trace_event *ev)
{
    struct quiz *q = self;
    rec_observe(&q->rec, ev);
    bool keep = ev->kind == TRACE_SEG_SENT || ev->kind == TRACE_SEG_DELIVERED ||
                ev->kind == TRACE_STATE;
    if (keep && q->rec.events->len < QUIZ_EVENTS) {
        rec_add(&q->rec, ev);
    }
}

static gboolean
quiz_end(void *self, GError **error)
{
    struct quiz *q = self;
    GString *s = g_string_new(NULL);
    GString *key = g_string_new(NULL);
    write_sheet(q, s, key);
    if (q->key == NULL) {
        g_string_append(s, "\n---\n\n");
        g_string_append(s, key->str);
    }
    struct outfile *o = q->out;
    q->out = NULL;
    outfile_write(o, s->str, s->len);
    gboolean ok = outfile_commit(o, error);
    if (ok && q->key != NULL) {
        struct outfile *k = q->key;
        q->key = NULL;
        outfile_write(k, key->str, key->len);
        ok = outfile_commit(k, error);
    }
    g_string_free(s, TRUE);
    g_string_free(key, TRUE);
    return ok;
}

static void
quiz_free(void *self)
{
    struct quiz *q = self;
    outfile_discard(q->out);
    outfile_discard(q->key);
    rec_clear(&q->rec);
    g_free(q);
}

static const struct trace_sink_ops quiz_ops = {
    .name = "quiz",
    .begin = quiz_begin,
    .event = quiz_event,
    .end = quiz_end,
    .free = quiz_free,
};

gboolean
quiz_add(struct trace *t, const struct tcpsim_views *v, GError **error)
{
    struct quiz *q = g_new0(struct quiz, 1);
    rec_init(&q->rec);
    q->v = *v;
    q->w = view_words_for(v->lang);
    if ((q->out = outfile_open(&t->outputs, v->quiz, error)) == NULL ||
        (v->quiz_key && (q->key = outfile_open(&t->outputs, v->quiz_key, error)) == NULL)) {
        quiz_free(q);
        return FALSE;
    }
    trace_add_sink(t, &quiz_ops, q,
                   TRACE_MASK(TRACE_SEG_SENT) | TRACE_MASK(TRACE_SEG_DELIVERED) |
                       TRACE_MASK(TRACE_STATE));
    return TRUE;
}
