/* SPDX-License-Identifier: MIT */
/*
 * parse.c: lines of tokens into `struct scn_line`s (recursive descent, one parse_<verb>()
 * per verb, found through sorted tables).
 *
 * Entry point: scn_parse(). Every error is reported where its token is, with what was
 * expected: "basic.scn:12:9: error: unknown verb "lisen"; expected one of accept, ...".
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <tcpsim/units.h>

#include "parse.h"

G_DEFINE_QUARK(tcpsim-scenario-error-quark, tcpsim_scenario_error)

void
scn_error(GError **error, const struct scn_loc *loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_set_error(error, TCPSIM_SCENARIO_ERROR, TCPSIM_SCENARIO_ERROR_SYNTAX, "%s:%u:%u: error: %s",
                loc->file, loc->line, loc->col, msg);
}

/* --- the verb tables --------------------------------------------------------------------- */





static int
verb_cmp(const void *key, const void *elem)
{
    return strcmp(key, ((const struct verb *)elem)->name);
}

static const struct verb *
find_verb(const struct verb *table, size_t n, const char *name)
{
    return bsearch(name, table, n, sizeof *table, verb_cmp);
}

static char *
verb_list(const struct verb *table, size_t n)
{
    GString *s = g_string_new(NULL);
    for (size_t i = 0; i < n; i++) {
        g_string_append_printf(s, "%s%s", i ? ", " : "", table[i].name);
    }
    return g_string_free(s, FALSE);
}

/* --- lines ------------------------------------------------------------------------------ */

void
scn_line_free(gpointer p)
{
    struct scn_line *l = p;
    if (l == NULL) {
        return;
    }
    g_free(l->name);
    g_free(l->as);
    g_free(l->peer);
    g_free(l->text);
    g_free(l->word);
    g_free(l->value);
    if (l->kv) {
        for (guint i = 0; i < l->kv->len; i++) {
            struct scn_kv *kv = &g_array_index(l->kv, struct scn_kv, i);
            g_free(kv->key);
            g_free(kv->value);
        }
        g_array_free(l->kv, TRUE);
    }
    g_free(l);
}

/* "10ms" (absolute) or "+10ms" (after the previous timeline line). */
static gboolean
parse_line_time(struct cursor *c, struct scn_line *l, GError **error)
{
    struct scn_tok *t = cur_next(c);
    const char *w = t->text;
    bool rel = w[0] == '+';
    int64_t v = 0;
    GError *e = NULL;
    const char *num = rel ? w + 1 : w;
    if (!(strcmp(num, "0") == 0 || tcpsim_parse_time(num, 0, &v, &e))) {
        return cur_unit_error(error, &t->loc, e);
    }
    int64_t at = rel ? c->last_at + v : v;
    if (at < c->last_at) {
        g_autofree char *a = tcpsim_format_time(at);
        g_autofree char *b = tcpsim_format_time(c->last_at);
        scn_error(error, &t->loc, "time goes backwards: %s is before the previous line's %s", a,
                  b);
        return FALSE;
    }
    if (at > INT64_MAX / 4) {
        scn_error(error, &t->loc, "time %s is too far in the future", w);
        return FALSE;
    }
    l->at = at;
    c->last_at = at;
    return TRUE;
}

static gboolean
parse_timeline_line(struct cursor *c, struct scn_line *l, GError **error)
{
    c->timeline_started = true;
    if (!parse_line_time(c, l, error)) {
        return FALSE;
    }
    struct scn_loc loc;
    const char *w = cur_word(c, "a host name or a verb", &loc, error);
    if (w == NULL) {
        return FALSE;
    }
    const struct verb *v = find_verb(parse_world_verbs, parse_world_nverbs, w);
    if (v != NULL) {
        l->verb = v->verb;
        l->host = -1;
        return v->parse(c, l, error);
    }
    l->host = cur_find_host(c->scn, w);
    if (l->host < 0) {
        g_autofree char *verbs = verb_list(parse_world_verbs, parse_world_nverbs);
        g_autofree char *hosts = g_strjoinv(", ", c->scn->host_names);
        scn_error(error, &loc, "\"%s\" is neither a host (%s) nor a verb (%s)", w, hosts, verbs);
        return FALSE;
    }
    const char *vn = cur_word(c, "a verb such as connect", &loc, error);
    if (vn == NULL) {
        return FALSE;
    }
    v = find_verb(parse_host_verbs, parse_host_nverbs, vn);
    if (v == NULL) {
        g_autofree char *verbs = verb_list(parse_host_verbs, parse_host_nverbs);
        scn_error(error, &loc, "unknown verb \"%s\"; expected one of %s", vn, verbs);
        return FALSE;
    }
    l->verb = v->verb;
    return v->parse(c, l, error);
}

static gboolean
parse_setup_line(struct cursor *c, struct scn_line *l, GError **error)
{
    struct scn_tok *t = cur_next(c);
    if (t->kind != SCN_TOK_WORD) {
        scn_error(error, &t->loc, "expected a set-up keyword or a time at the start of a line");
        return FALSE;
    }
    const struct verb *v = find_verb(parse_setup_verbs, parse_setup_nverbs, t->text);
    if (v == NULL) {
        g_autofree char *verbs = verb_list(parse_setup_verbs, parse_setup_nverbs);
        scn_error(error, &t->loc,
                  "unknown verb \"%s\"; a line starts with a time (as in 10ms) or one of %s",
                  t->text, verbs);
        return FALSE;
    }
    if (c->timeline_started) {
        scn_error(error, &t->loc, "set-up line \"%s\" after the timeline began; move it up",
                  t->text);
        return FALSE;
    }
    l->verb = v->verb;
    return v->parse(c, l, error);
}

static bool
starts_timeline(const struct scn_tok *t)
{
    return t->kind == SCN_TOK_WORD && (g_ascii_isdigit(t->text[0]) || t->text[0] == '+');
}

/* Parses the tokens of one line into a scn_line appended to the scenario. */
static gboolean
parse_line(struct cursor *c, GError **error)
{
    struct scn_line *l = g_new0(struct scn_line, 1);
    struct scn_tok *first = cur_peek(c);
    l->loc = first->loc;
    l->host = -1;
    l->filter.has_data = -1;
    gboolean ok = starts_timeline(first) ? parse_timeline_line(c, l, error)
                                         : parse_setup_line(c, l, error);
    if (!ok) {
        scn_line_free(l);
        return FALSE;
    }
    /* title, seed, hosts and end live in the scenario itself; link and set lines before
     * the timeline are set-up; everything else is the timeline. */
    if (l->verb == SCN_TITLE || l->verb == SCN_SEED || l->verb == SCN_HOSTS ||
        l->verb == SCN_END || l->verb == SCN_TRACE) {
        scn_line_free(l);
    } else if (!c->timeline_started) {
        g_ptr_array_add(c->scn->setup, l);
    } else {
        g_ptr_array_add(c->scn->timeline, l);
    }
    return TRUE;
}

static void
clear_toks(GArray *toks)
{
    for (guint i = 0; i < toks->len; i++) {
        scn_tok_clear(&g_array_index(toks, struct scn_tok, i));
    }
    g_array_set_size(toks, 0);
}

struct tcpsim_scenario *
scn_parse(const char *file, const char *text, gsize len, GError **error)
{
    struct tcpsim_scenario *scn = g_new0(struct tcpsim_scenario, 1);
    scn->file = g_strdup(file);
    scn->end_quiet = true;
    scn->setup = g_ptr_array_new_with_free_func(scn_line_free);
    scn->timeline = g_ptr_array_new_with_free_func(scn_line_free);
    if (len > SCN_MAX_FILE_BYTES) {
        struct scn_loc loc = {scn->file, 1, 1};
        scn_error(error, &loc, "file of %" G_GSIZE_FORMAT " bytes is larger than the %u-byte limit",
                  len, SCN_MAX_FILE_BYTES);
        tcpsim_scenario_free(scn);
        return NULL;
    }
    struct scn_lexer lx;
    scn_lex_init(&lx, scn->file, text, len);
    struct cursor c = {.toks = g_array_new(FALSE, TRUE, sizeof(struct scn_tok)), .scn = scn};
    gboolean ok = TRUE;
    guint lines = 0;
    while (ok) {
        struct scn_tok t;
        if (!scn_lex_next(&lx, &t, error)) {
            ok = FALSE;
            break;
        }
        if (t.kind == SCN_TOK_EOL || t.kind == SCN_TOK_EOF) {
            if (c.toks->len > 0) {
                c.i = 0;
                c.eol = t.loc;
                ok = parse_line(&c, error);
                clear_toks(c.toks);
            }
            if (t.kind == SCN_TOK_EOF) {
                break;
            }
            if (++lines > SCN_MAX_LINES) {
                scn_error(error, &t.loc, "more than %u lines", SCN_MAX_LINES);
                ok = FALSE;
            }
            continue;
        }
        g_array_append_val(c.toks, t);
    }
    clear_toks(c.toks);
    g_array_free(c.toks, TRUE);
    if (!ok) {
        tcpsim_scenario_free(scn);
        return NULL;
    }
    cur_default_hosts(scn);
    return scn;
}
