/* SPDX-License-Identifier: MIT */
/*
 * cursor.c: the scenario parser's argument readers: words, keywords, numbers with units,
 * ports, hosts, directions, flag filters, socket names and KEY VALUE lists.
 *
 * Every reader consumes its tokens or fails with "file:line:col: error: expected ...".
 */
#include <stdio.h>
#include <string.h>
#include <tcpsim/units.h>

#include "parse.h"

struct scn_tok *
cur_peek(struct cursor *c)
{
    return c->i < c->toks->len ? &g_array_index(c->toks, struct scn_tok, c->i) : NULL;
}

struct scn_loc
cur_peek_loc(struct cursor *c)
{
    struct scn_tok *t = cur_peek(c);
    return t ? t->loc : c->eol;
}

struct scn_tok *
cur_next(struct cursor *c)
{
    struct scn_tok *t = cur_peek(c);
    if (t) {
        c->i++;
    }
    return t;
}

bool
cur_at_end(struct cursor *c)
{
    return c->i >= c->toks->len;
}

/* The next token must be a word; its text, or NULL with "expected <what>". */
const char *
cur_word(struct cursor *c, const char *what, struct scn_loc *loc, GError **error)
{
    struct scn_tok *t = cur_peek(c);
    if (t == NULL || t->kind != SCN_TOK_WORD) {
        struct scn_loc l = cur_peek_loc(c);
        scn_error(error, &l, "expected %s%s%s", what, t ? ", found " : " at end of line",
                  t ? t->text : "");
        return NULL;
    }
    if (loc) {
        *loc = t->loc;
    }
    c->i++;
    return t->text;
}

gboolean
cur_keyword(struct cursor *c, const char *kw, GError **error)
{
    struct scn_tok *t = cur_peek(c);
    if (t == NULL || t->kind != SCN_TOK_WORD || strcmp(t->text, kw) != 0) {
        struct scn_loc l = cur_peek_loc(c);
        scn_error(error, &l, "expected \"%s\"%s%s", kw, t ? ", found " : " at end of line",
                  t ? t->text : "");
        return FALSE;
    }
    c->i++;
    return TRUE;
}

bool
cur_accept(struct cursor *c, const char *kw)
{
    struct scn_tok *t = cur_peek(c);
    if (t != NULL && t->kind == SCN_TOK_WORD && strcmp(t->text, kw) == 0) {
        c->i++;
        return true;
    }
    return false;
}

gboolean
cur_eol(struct cursor *c, GError **error)
{
    struct scn_tok *t = cur_peek(c);
    if (t != NULL) {
        scn_error(error, &t->loc, "unexpected \"%s\"; expected the end of the line", t->text);
        return FALSE;
    }
    return TRUE;
}

/* Wraps a units error with the location of the token. */
gboolean
cur_unit_error(GError **error, const struct scn_loc *loc, GError *e)
{
    scn_error(error, loc, "%s", e->message);
    g_error_free(e);
    return FALSE;
}

gboolean
cur_u64(struct cursor *c, const char *what, uint64_t max, uint64_t *out, GError **error)
{
    struct scn_loc loc;
    const char *w = cur_word(c, what, &loc, error);
    if (w == NULL) {
        return FALSE;
    }
    int64_t v = 0;
    GError *e = NULL;
    if (!tcpsim_parse_int(w, &v, &e)) {
        return cur_unit_error(error, &loc, e);
    }
    if ((uint64_t)v > max) {
        scn_error(error, &loc, "%s %s is too large (at most %" G_GUINT64_FORMAT ")", what, w, max);
        return FALSE;
    }
    *out = (uint64_t)v;
    return TRUE;
}

gboolean
cur_port(struct cursor *c, uint16_t *out, GError **error)
{
    uint64_t v = 0;
    struct scn_loc loc = cur_peek_loc(c);
    if (!cur_u64(c, "a port number", 65535, &v, error)) {
        return FALSE;
    }
    if (v == 0) {
        scn_error(error, &loc, "port 0 is not usable; expected 1 to 65535");
        return FALSE;
    }
    *out = (uint16_t)v;
    return TRUE;
}

gboolean
cur_size(struct cursor *c, uint64_t *out, GError **error)
{
    struct scn_loc loc;
    const char *w = cur_word(c, "a size such as 100 or 64KiB", &loc, error);
    if (w == NULL) {
        return FALSE;
    }
    GError *e = NULL;
    if (!tcpsim_parse_size(w, out, &e)) {
        return cur_unit_error(error, &loc, e);
    }
    return TRUE;
}

gboolean
cur_time(struct cursor *c, int64_t *out, GError **error)
{
    struct scn_loc loc;
    const char *w = cur_word(c, "a time such as 10ms", &loc, error);
    if (w == NULL) {
        return FALSE;
    }
    GError *e = NULL;
    if (!tcpsim_parse_time(w, 0, out, &e)) {
        return cur_unit_error(error, &loc, e);
    }
    return TRUE;
}

/* --- hosts and directions ----------------------------------------------------------- */

bool
cur_valid_name(const char *s)
{
    if (!g_ascii_isalpha(*s) && *s != '_') {
        return false;
    }
    for (; *s; s++) {
        if (!g_ascii_isalnum(*s) && *s != '_' && *s != '-') {
            return false;
        }
    }
    return true;
}

void
cur_default_hosts(struct tcpsim_scenario *scn)
{
    if (scn->nhosts == 0) {
        scn->host_names[0] = g_strdup("A");
        scn->host_addrs[0] = tcpsim_addr_v4(0x0A000001);
        scn->host_names[1] = g_strdup("B");
        scn->host_addrs[1] = tcpsim_addr_v4(0x0A000002);
        scn->nhosts = 2;
    }
}

int
cur_find_host(struct tcpsim_scenario *scn, const char *name)
{
    cur_default_hosts(scn);
    for (int i = 0; i < scn->nhosts; i++) {
        if (strcmp(scn->host_names[i], name) == 0) {
            return i;
        }
    }
    return -1;
}

gboolean
cur_host(struct cursor *c, int *out, GError **error)
{
    struct scn_loc loc;
    const char *w = cur_word(c, "a host name", &loc, error);
    if (w == NULL) {
        return FALSE;
    }
    *out = cur_find_host(c->scn, w);
    if (*out < 0) {
        g_autofree char *known = g_strjoinv(", ", c->scn->host_names);
        scn_error(error, &loc, "unknown host \"%s\"; the hosts are %s", w, known);
        return FALSE;
    }
    return TRUE;
}

gboolean
cur_ipv4(const char *s, uint32_t *out)
{
    unsigned a[4];
    char tail;
    if (sscanf(s, "%u.%u.%u.%u%c", &a[0], &a[1], &a[2], &a[3], &tail) != 4) {
        return FALSE;
    }
    for (int i = 0; i < 4; i++) {
        if (a[i] > 255) {
            return FALSE;
        }
    }
    *out = a[0] << 24 | a[1] << 16 | a[2] << 8 | a[3];
    return TRUE;
}

/* "A->B" or, when `both_ok`, "both". */
gboolean
cur_dir(struct cursor *c, struct scn_line *l, bool both_ok, GError **error)
{
    struct scn_loc loc;
    const char *w = cur_word(c, both_ok ? "a direction such as A->B, or both"
                                           : "a direction such as A->B",
                                &loc, error);
    if (w == NULL) {
        return FALSE;
    }
    if (both_ok && strcmp(w, "both") == 0) {
        cur_default_hosts(c->scn);
        l->both = true;
        return TRUE;
    }
    const char *arrow = strstr(w, "->");
    if (arrow == NULL) {
        scn_error(error, &loc, "bad direction \"%s\"; expected HOST->HOST such as A->B", w);
        return FALSE;
    }
    g_autofree char *from = g_strndup(w, (gsize)(arrow - w));
    l->from = cur_find_host(c->scn, from);
    l->to = cur_find_host(c->scn, arrow + 2);
    if (l->from < 0 || l->to < 0) {
        scn_error(error, &loc, "unknown host in \"%s\"", w);
        return FALSE;
    }
    return TRUE;
}

/* tcpdump's letters: F S R P . U E W, or "none". */
gboolean
cur_flags_text(const char *text, uint16_t *out)
{
    size_t n = strlen(text);
    if (n < 2 || text[0] != '[' || text[n - 1] != ']') {
        return FALSE;
    }
    if (strcmp(text, "[none]") == 0) {
        *out = 0;
        return TRUE;
    }
    static const char letters[] = "FSRP.UEW";
    uint16_t f = 0;
    for (size_t i = 1; i + 1 < n; i++) {
        const char *p = strchr(letters, text[i]);
        if (p == NULL || text[i] == '\0') {
            return FALSE;
        }
        f |= (uint16_t)(1u << (p - letters));
    }
    *out = f;
    return TRUE;
}

/* An optional [FLAGS] and an optional "data"/"nodata". */
gboolean
cur_filter(struct cursor *c, struct tcpsim_filter *f, GError **error)
{
    f->match_flags = false;
    f->has_data = -1;
    struct scn_tok *t = cur_peek(c);
    if (t != NULL && t->kind == SCN_TOK_FLAGS) {
        if (!cur_flags_text(t->text, &f->flags)) {
            scn_error(error, &t->loc,
                      "bad flags %s; expected tcpdump's letters F S R P . U E W, as in [S.]",
                      t->text);
            return FALSE;
        }
        f->match_flags = true;
        c->i++;
    }
    if (cur_accept(c, "data")) {
        f->has_data = 1;
    } else if (cur_accept(c, "nodata")) {
        f->has_data = 0;
    }
    if (cur_accept(c, "seq")) {
        /* seq N or seq N:M, absolute sequence numbers (pin them with the isn knob). */
        struct scn_loc loc;
        const char *w = cur_word(c, "a sequence number or range N:M", &loc, error);
        if (w == NULL) {
            return FALSE;
        }
        g_auto(GStrv) parts = g_strsplit(w, ":", 2);
        int64_t lo = 0;
        int64_t hi = 0;
        if (!tcpsim_parse_int(parts[0], &lo, NULL) || lo > UINT32_MAX ||
            (parts[1] != NULL && (!tcpsim_parse_int(parts[1], &hi, NULL) || hi > UINT32_MAX))) {
            scn_error(error, &loc, "bad sequence range \"%s\"; expected N or N:M (0 to 4294967295)",
                      w);
            return FALSE;
        }
        f->match_seq = true;
        f->seq_lo = (uint32_t)lo;
        f->seq_hi = parts[1] != NULL ? (uint32_t)hi : (uint32_t)lo;
    }
    return TRUE;
}

/* "NAME" that a line gives to a socket, after "as". */
gboolean
cur_as(struct cursor *c, struct scn_line *l, bool required, GError **error)
{
    if (!cur_accept(c, "as")) {
        if (required) {
            struct scn_loc loc = cur_peek_loc(c);
            scn_error(error, &loc, "expected \"as NAME\" to name the new socket");
            return FALSE;
        }
        return TRUE;
    }
    const char *w = cur_word(c, "a socket name", &l->as_loc, error);
    if (w == NULL) {
        return FALSE;
    }
    if (!cur_valid_name(w)) {
        scn_error(error, &l->as_loc,
                  "bad socket name \"%s\"; expected letters, digits and _ starting with a letter",
                  w);
        return FALSE;
    }
    l->as = g_strdup(w);
    return TRUE;
}

gboolean
cur_sock_name(struct cursor *c, struct scn_line *l, GError **error)
{
    const char *w = cur_word(c, "a socket name", &l->name_loc, error);
    if (w == NULL) {
        return FALSE;
    }
    l->name = g_strdup(w);
    return TRUE;
}

/* The rest of a line as KEY VALUE pairs; a key in `flags_ok` may stand alone (= 1). */
gboolean
cur_kv(struct cursor *c, struct scn_line *l, const char *const *bare_keys,
       const char *const *keys, GError **error)
{
    l->kv = g_array_new(FALSE, TRUE, sizeof(struct scn_kv));
    if (cur_at_end(c)) {
        scn_error(error, &c->eol, "expected a parameter and its value");
        return FALSE;
    }
    while (!cur_at_end(c)) {
        struct scn_kv kv = {0};
        const char *k = cur_word(c, "a parameter name", &kv.loc, error);
        if (k == NULL) {
            return FALSE;
        }
        kv.key = g_strdup(k);
        bool bare = bare_keys != NULL && g_strv_contains(bare_keys, k);
        struct scn_tok *t = cur_peek(c);
        bool has_value = t != NULL && t->kind == SCN_TOK_WORD &&
                         (!bare || strcmp(t->text, "0") == 0 || strcmp(t->text, "1") == 0);
        if (!has_value && !bare) {
            g_array_append_val(l->kv, kv);
            scn_error(error, &c->eol, "parameter \"%s\" needs a value", k);
            return FALSE;
        }
        kv.vloc = has_value ? t->loc : kv.loc;
        GString *v = g_string_new(has_value ? cur_next(c)->text : "1");
        while (keys != NULL && has_value && (t = cur_peek(c)) != NULL &&
               t->kind == SCN_TOK_WORD && !g_strv_contains(keys, t->text)) {
            g_string_append_c(v, ' ');
            g_string_append(v, cur_next(c)->text);
        }
        kv.value = g_string_free(v, FALSE);
        g_array_append_val(l->kv, kv);
    }
    return TRUE;
}

