/* SPDX-License-Identifier: MIT */
/*
 * view.c: choosing, normalising and keying the events a comparison looks at.
 *
 * Entry point: view_build(). Normalising means: ignored kinds of event left out; in a
 * segments-only comparison only what the capture point sees, with sequence numbers
 * counted from the latest SYN that capture saw in each direction (a capture cannot tell
 * a forged or old SYN from a real one, so neither side may); options rebuilt with those
 * SACK blocks (and without timestamp values when `ts` is ignored); addresses, ports and
 * ISNs in free text masked when ignored; times floored to the coarser input's
 * resolution and, against tcpdump text, counted from each side's first event.
 */
#include <string.h>

#include "view.h"

void
keyspace_init(struct keyspace *ks)
{
    ks->ids = g_hash_table_new(g_str_hash, g_str_equal);
    ks->strings = g_string_chunk_new(1 << 16);
    ks->next = 0;
}

void
keyspace_clear(struct keyspace *ks)
{
    g_hash_table_destroy(ks->ids);
    g_string_chunk_free(ks->strings);
}

static uint32_t
intern(struct keyspace *ks, const char *text)
{
    gpointer v = g_hash_table_lookup(ks->ids, text);
    if (v != NULL) {
        return (uint32_t)(GPOINTER_TO_UINT(v) - 1);
    }
    char *k = g_string_chunk_insert(ks->strings, text);
    g_hash_table_insert(ks->ids, k, GUINT_TO_POINTER(ks->next + 1));
    return ks->next++;
}

static void
put_u32(GString *s, uint32_t v)
{
    g_string_append_printf(s, "%u", v);
}

void
view_put_endpoint(GString *s, const struct tcpsim_addr *addr, uint16_t port, uint32_t ignore)
{
    if (ignore & DIFF_IGN_ADDRS) {
        g_string_append(s, "*");
    } else {
        char ip[TCPSIM_ADDR_STRLEN];
        g_string_append(s, tcpsim_addr_format(addr, ip));
    }
    g_string_append_c(s, '.');
    if (ignore & DIFF_IGN_PORTS) {
        g_string_append_c(s, '*');
    } else {
        put_u32(s, port);
    }
}

/* The options as printed, with SACK blocks from the (relative) parsed numbers and the
 * timestamp values dropped when ignored. */
static void
canonical_opts(GString *s, const struct dseg *seg, uint32_t ignore)
{
    const char *p = seg->opts;
    while (*p) {
        size_t n = strcspn(p, ",");
        if (s->len) {
            g_string_append_c(s, ',');
        }
        if (strncmp(p, "TS val ", 7) == 0) {
            g_string_append(s, "TS");
            if (!(ignore & DIFF_IGN_TS)) {
                g_string_append_printf(s, " val %u ecr %u", seg->ts_val, seg->ts_ecr);
            }
        } else if (strncmp(p, "sack ", 5) == 0) {
            g_string_append_printf(s, "sack %u ", seg->nsack);
            for (unsigned b = 0; b < seg->nsack; b++) {
                if (ignore & DIFF_IGN_SEQ) {
                    g_string_append(s, "{*}");
                } else {
                    g_string_append_printf(s, "{%u:%u}", seg->sack[b][0], seg->sack[b][1]);
                }
            }
        } else if (strncmp(p, "unknown-", 8) == 0) {
            g_string_append_len(s, p, (gssize)strcspn(p, " ,")); /* tcpdump adds the bytes */
        } else {
            g_string_append_len(s, p, (gssize)n);
        }
        p += n + (p[n] == ',');
    }
}

/* An IPv4 address at p (not inside a longer number): its length, 0 if none. */
static size_t
dotted_quad(const char *start, const char *p)
{
    if (p > start && (g_ascii_isdigit(p[-1]) || p[-1] == '.')) {
        return 0;
    }
    const char *q = p;
    for (int i = 0; i < 4; i++) {
        size_t d = strspn(q, "0123456789");
        if (d == 0 || d > 3) {
            return 0;
        }
        q += d;
        if (i < 3) {
            if (*q != '.') {
                return 0;
            }
            q++;
        }
    }
    return (size_t)(q - p);
}

/* An IPv6 address at p (not inside a longer word): its length, 0 if none. */
static size_t
ipv6_at(const char *start, const char *p)
{
    if (p > start && (g_ascii_isalnum(p[-1]) || p[-1] == ':' || p[-1] == '.')) {
        return 0;
    }
    size_t n = strspn(p, "0123456789abcdef:");
    const char *tail = p + n; /* an IPv4-mapped address ends in a dotted quad */
    size_t quad = *tail != '.' && n > 0 && p[n - 1] == ':' ? dotted_quad(p, tail) : 0;
    n += quad;
    if (n > 0 && quad == 0 && p[n - 1] == ':' && (n < 2 || p[n - 2] != ':')) {
        n--; /* "2001:db8::2.80: Flags": the colon after the port is not the address's */
    }
    char text[TCPSIM_ADDR_STRLEN];
    struct tcpsim_addr a;
    if (n < 2 || n >= sizeof text || memchr(p, ':', n) == NULL) {
        return 0;
    }
    memcpy(text, p, n);
    text[n] = '\0';
    return tcpsim_addr_parse(text, &a) && a.family == TCPSIM_AF_INET6 ? n : 0;
}

/* Free text with ignored addresses, ports and ISNs masked. */
static void
normalise_text(GString *out, const char *in, uint32_t ignore)
{
    for (const char *p = in; *p;) {
        size_t q = (ignore & (DIFF_IGN_ADDRS | DIFF_IGN_PORTS)) ? dotted_quad(in, p) : 0;
        if (q == 0 && (ignore & (DIFF_IGN_ADDRS | DIFF_IGN_PORTS))) {
            q = ipv6_at(in, p);
        }
        if (q > 0) {
            g_string_append_len(out, (ignore & DIFF_IGN_ADDRS) ? "*" : p,
                                (ignore & DIFF_IGN_ADDRS) ? 1 : (gssize)q);
            p += q;
            size_t d = (*p == '.' || *p == ':') ? strspn(p + 1, "0123456789") : 0;
            if (d > 0) {
                g_string_append_c(out, *p);
                g_string_append_len(out, (ignore & DIFF_IGN_PORTS) ? "*" : p + 1,
                                    (ignore & DIFF_IGN_PORTS) ? 1 : (gssize)d);
                p += 1 + d;
            }
            continue;
        }
        if ((ignore & DIFF_IGN_ISN) && strncmp(p, "iss ", 4) == 0 && g_ascii_isdigit(p[4])) {
            g_string_append(out, "iss *");
            p += 4 + strspn(p + 4, "0123456789");
            continue;
        }
        g_string_append_c(out, *p++);
    }
}

/* How much of a normalised body names "the same" event with another outcome. */
static size_t
coarse_len(enum dev_kind k, const char *body)
{
    const char *colon = strstr(body, ": ");
    switch (k) {
    case DEV_STATE:
    case DEV_TIMER:
    case DEV_CC:
        return colon ? (size_t)(colon - body) : strlen(body);
    case DEV_APP: /* the call and its socket: "send(c" */
        return strcspn(body, ",)");
    case DEV_EXPECT: {
        const char *last = g_strrstr(body, ": ");
        return last ? (size_t)(last - body) : strlen(body);
    }
    case DEV_NOTE:
    case DEV_SS: /* a listing's row: its state */
        return strcspn(body, " :");
    case DEV_SENT:
    case DEV_DELIVERED:
    case DEV_DROPPED:
    case DEV_DISCARDED:
    case DEV_CAPTURED:
    case DEV_NKINDS:
        break;
    }
    return 0;
}

static bool
captured(const struct dev *e, const struct view_config *c)
{
    if (e->kind == DEV_CAPTURED) {
        return true;
    }
    switch (c->at) {
    case VIEW_AT_ALL:
        return e->kind == DEV_SENT || e->kind == DEV_DELIVERED;
    case VIEW_AT_SENT:
        return e->kind == DEV_SENT;
    case VIEW_AT_DELIVERED:
        return e->kind == DEV_DELIVERED;
    case VIEW_AT_HOST:
        break;
    }
    const char *arrow = strstr(e->who, "->");
    if (arrow == NULL) {
        return false;
    }
    size_t n = strlen(c->at_host);
    bool from = (size_t)(arrow - e->who) == n && strncmp(e->who, c->at_host, n) == 0;
    bool to = strcmp(arrow + 2, c->at_host) == 0;
    return (e->kind == DEV_SENT && from) || (e->kind == DEV_DELIVERED && to && !from);
}

static bool
wanted(const struct dev *e, const struct view_config *c)
{
    if (c->segments_only) {
        return dev_is_segment(e->kind) && captured(e, c);
    }
    return e->kind == DEV_CAPTURED || !(c->ignore & (1u << (DIFF_IGN_KIND_SHIFT + e->kind)));
}

struct syn_bases {
    GHashTable *dirs; /* "saddr sport daddr dport" -> base, lookup only */
};

static uint32_t *
base_of(struct syn_bases *b, const struct dseg *s, bool reverse, bool create)
{
    char k[2 * TCPSIM_ADDR_STRLEN + 16];
    char sa[TCPSIM_ADDR_STRLEN];
    char da[TCPSIM_ADDR_STRLEN];
    tcpsim_addr_format(&s->saddr, sa);
    tcpsim_addr_format(&s->daddr, da);
    if (reverse) {
        g_snprintf(k, sizeof k, "%s %u %s %u", da, s->dport, sa, s->sport);
    } else {
        g_snprintf(k, sizeof k, "%s %u %s %u", sa, s->sport, da, s->dport);
    }
    uint32_t *v = g_hash_table_lookup(b->dirs, k);
    if (v == NULL && create) {
        v = g_new0(uint32_t, 1);
        g_hash_table_insert(b->dirs, g_strdup(k), v);
    }
    return v;
}

/* Counts a captured segment's numbers from the latest SYN seen in each direction (a
 * SYN-ACK also names the other side's, when its SYN was not seen). */
static void
from_visible_syn(struct syn_bases *b, struct dseg *s)
{
    if (s->flags & DF_SYN) {
        *base_of(b, s, false, true) = s->seq;
        if ((s->flags & DF_ACK) && base_of(b, s, true, false) == NULL) {
            *base_of(b, s, true, true) = s->ack - 1;
        }
    }
    const uint32_t *fwd = base_of(b, s, false, false);
    const uint32_t *rev = base_of(b, s, true, false);
    if (fwd != NULL) {
        s->seq -= *fwd;
        s->end -= *fwd;
    }
    if (rev != NULL) {
        s->ack -= *rev;
        for (unsigned i = 0; i < s->nsack; i++) {
            s->sack[i][0] -= *rev;
            s->sack[i][1] -= *rev;
        }
    }
}

static void
segment_keys(GString *key, GString *coarse, const struct dev *e, const struct dseg *s,
             const struct view_config *c, GString *opts)
{
    uint32_t ign = c->ignore;
    if (c->segments_only) {
        g_string_append(key, "seg|");
    } else {
        g_string_append_printf(key, "%s|%s|", dev_kind_name(e->kind), e->who);
    }
    view_put_endpoint(key, &s->saddr, s->sport, ign);
    g_string_append(key, ">");
    view_put_endpoint(key, &s->daddr, s->dport, ign);
    g_string_append(coarse, key->str);
    g_string_append_printf(key, "|F%u", s->flags);
    if (s->has_seq && !(ign & DIFF_IGN_SEQ)) {
        g_string_append_printf(key, "|s%u:%u", s->seq, s->end);
    }
    if (s->has_ack && !(ign & DIFF_IGN_SEQ)) {
        g_string_append_printf(key, "|a%u", s->ack);
    }
    if (!(ign & DIFF_IGN_WINDOW)) {
        g_string_append_printf(key, "|w%u", s->win);
    }
    if (s->has_urg) {
        g_string_append_printf(key, "|u%u", s->urg);
    }
    canonical_opts(opts, s, ign);
    if (!(ign & DIFF_IGN_OPTIONS)) {
        g_string_append_printf(key, "|o%s", opts->str);
    }
    g_string_append_printf(key, "|l%u", s->len);
    if (!c->segments_only && !(ign & DIFF_IGN_ANNOTATIONS) && s->annotation) {
        g_string_append_printf(key, "|n%s", s->annotation);
    }
}

void
view_build(struct view *v, const struct dtrace *t, const struct view_config *c, struct keyspace *ks)
{
    v->t = t;
    v->items = g_array_new(FALSE, FALSE, sizeof(struct view_ev));
    v->key = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    v->coarse = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    GString *key = g_string_new(NULL);
    GString *coarse = g_string_new(NULL);
    GString *text = g_string_new(NULL);
    int64_t base = -1;
    struct syn_bases syns = {g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free)};
    for (guint i = 0; i < t->ev->len; i++) {
        const struct dev *e = &g_array_index(t->ev, struct dev, i);
        if (!wanted(e, c)) {
            continue;
        }
        g_string_truncate(key, 0);
        g_string_truncate(coarse, 0);
        g_string_truncate(text, 0);
        struct view_ev x = {.ev = i};
        if (dev_is_segment(e->kind)) {
            x.seg = e->seg;
            if (c->segments_only) {
                from_visible_syn(&syns, &x.seg);
            }
            segment_keys(key, coarse, e, &x.seg, c, text);
            x.opts = g_string_chunk_insert(ks->strings, text->str);
        } else {
            normalise_text(text, e->body, c->ignore);
            x.body = g_string_chunk_insert(ks->strings, text->str);
            g_string_append_printf(key, "%s|%s|", dev_kind_name(e->kind), e->who);
            g_string_append(coarse, key->str);
            g_string_append_len(coarse, x.body, (gssize)coarse_len(e->kind, x.body));
            if (e->kind == DEV_APP) { /* a call that starts waiting, or one that returns */
                g_string_append(coarse, strstr(x.body, " = ") ? " =" : " ...");
            }
            g_string_append(key, x.body);
        }
        int64_t at = e->at / c->precision * c->precision;
        if (base < 0) {
            base = c->rebase ? at : 0;
        }
        x.at = at - base;
        uint32_t k = intern(ks, key->str);
        uint32_t ck = intern(ks, coarse->str);
        g_array_append_val(v->items, x);
        g_array_append_val(v->key, k);
        g_array_append_val(v->coarse, ck);
    }
    g_hash_table_destroy(syns.dirs);
    g_string_free(key, TRUE);
    g_string_free(coarse, TRUE);
    g_string_free(text, TRUE);
}

void
view_clear(struct view *v)
{
    g_array_free(v->items, TRUE);
    g_array_free(v->key, TRUE);
    g_array_free(v->coarse, TRUE);
}
