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

#include "ast.h"

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

/* The tokens of one line and a cursor over them. */
struct cursor {
    GArray *toks; /* struct scn_tok */
    guint i;
    struct scn_loc eol;
    struct tcpsim_scenario *scn;
    int64_t last_at;
    bool timeline_started;
};

static struct scn_tok *
peek(struct cursor *c)
{
    return c->i < c->toks->len ? &g_array_index(c->toks, struct scn_tok, c->i) : NULL;
}

static struct scn_loc
peek_loc(struct cursor *c)
{
    struct scn_tok *t = peek(c);
    return t ? t->loc : c->eol;
}

static struct scn_tok *
next(struct cursor *c)
{
    struct scn_tok *t = peek(c);
    if (t) {
        c->i++;
    }
    return t;
}

static bool
at_end(struct cursor *c)
{
    return c->i >= c->toks->len;
}

/* The next token must be a word; its text, or NULL with "expected <what>". */
static const char *
expect_word(struct cursor *c, const char *what, struct scn_loc *loc, GError **error)
{
    struct scn_tok *t = peek(c);
    if (t == NULL || t->kind != SCN_TOK_WORD) {
        struct scn_loc l = peek_loc(c);
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

static gboolean
expect_keyword(struct cursor *c, const char *kw, GError **error)
{
    struct scn_tok *t = peek(c);
    if (t == NULL || t->kind != SCN_TOK_WORD || strcmp(t->text, kw) != 0) {
        struct scn_loc l = peek_loc(c);
        scn_error(error, &l, "expected \"%s\"%s%s", kw, t ? ", found " : " at end of line",
                  t ? t->text : "");
        return FALSE;
    }
    c->i++;
    return TRUE;
}

static bool
accept_keyword(struct cursor *c, const char *kw)
{
    struct scn_tok *t = peek(c);
    if (t != NULL && t->kind == SCN_TOK_WORD && strcmp(t->text, kw) == 0) {
        c->i++;
        return true;
    }
    return false;
}

static gboolean
expect_eol(struct cursor *c, GError **error)
{
    struct scn_tok *t = peek(c);
    if (t != NULL) {
        scn_error(error, &t->loc, "unexpected \"%s\"; expected the end of the line", t->text);
        return FALSE;
    }
    return TRUE;
}

/* Wraps a units error with the location of the token. */
static gboolean
unit_error(GError **error, const struct scn_loc *loc, GError *e)
{
    scn_error(error, loc, "%s", e->message);
    g_error_free(e);
    return FALSE;
}

static gboolean
parse_u64(struct cursor *c, const char *what, uint64_t max, uint64_t *out, GError **error)
{
    struct scn_loc loc;
    const char *w = expect_word(c, what, &loc, error);
    if (w == NULL) {
        return FALSE;
    }
    int64_t v = 0;
    GError *e = NULL;
    if (!tcpsim_parse_int(w, &v, &e)) {
        return unit_error(error, &loc, e);
    }
    if ((uint64_t)v > max) {
        scn_error(error, &loc, "%s %s is too large (at most %" G_GUINT64_FORMAT ")", what, w, max);
        return FALSE;
    }
    *out = (uint64_t)v;
    return TRUE;
}

static gboolean
parse_port(struct cursor *c, uint16_t *out, GError **error)
{
    uint64_t v = 0;
    struct scn_loc loc = peek_loc(c);
    if (!parse_u64(c, "a port number", 65535, &v, error)) {
        return FALSE;
    }
    if (v == 0) {
        scn_error(error, &loc, "port 0 is not usable; expected 1 to 65535");
        return FALSE;
    }
    *out = (uint16_t)v;
    return TRUE;
}

static gboolean
parse_size_tok(struct cursor *c, uint64_t *out, GError **error)
{
    struct scn_loc loc;
    const char *w = expect_word(c, "a size such as 100 or 64KiB", &loc, error);
    if (w == NULL) {
        return FALSE;
    }
    GError *e = NULL;
    if (!tcpsim_parse_size(w, out, &e)) {
        return unit_error(error, &loc, e);
    }
    return TRUE;
}

static gboolean
parse_time_tok(struct cursor *c, int64_t *out, GError **error)
{
    struct scn_loc loc;
    const char *w = expect_word(c, "a time such as 10ms", &loc, error);
    if (w == NULL) {
        return FALSE;
    }
    GError *e = NULL;
    if (!tcpsim_parse_time(w, 0, out, &e)) {
        return unit_error(error, &loc, e);
    }
    return TRUE;
}

/* --- hosts and directions ----------------------------------------------------------- */

static bool
valid_name(const char *s)
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

static void
default_hosts(struct tcpsim_scenario *scn)
{
    if (scn->nhosts == 0) {
        scn->host_names[0] = g_strdup("A");
        scn->host_addrs[0] = 0x0A000001;
        scn->host_names[1] = g_strdup("B");
        scn->host_addrs[1] = 0x0A000002;
        scn->nhosts = 2;
    }
}

static int
find_host(struct tcpsim_scenario *scn, const char *name)
{
    default_hosts(scn);
    for (int i = 0; i < scn->nhosts; i++) {
        if (strcmp(scn->host_names[i], name) == 0) {
            return i;
        }
    }
    return -1;
}

static gboolean
parse_host(struct cursor *c, int *out, GError **error)
{
    struct scn_loc loc;
    const char *w = expect_word(c, "a host name", &loc, error);
    if (w == NULL) {
        return FALSE;
    }
    *out = find_host(c->scn, w);
    if (*out < 0) {
        g_autofree char *known = g_strjoinv(", ", c->scn->host_names);
        scn_error(error, &loc, "unknown host \"%s\"; the hosts are %s", w, known);
        return FALSE;
    }
    return TRUE;
}

static gboolean
parse_ipv4(const char *s, uint32_t *out)
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
static gboolean
parse_dir(struct cursor *c, struct scn_line *l, bool both_ok, GError **error)
{
    struct scn_loc loc;
    const char *w = expect_word(c, both_ok ? "a direction such as A->B, or both"
                                           : "a direction such as A->B",
                                &loc, error);
    if (w == NULL) {
        return FALSE;
    }
    if (both_ok && strcmp(w, "both") == 0) {
        default_hosts(c->scn);
        l->both = true;
        return TRUE;
    }
    const char *arrow = strstr(w, "->");
    if (arrow == NULL) {
        scn_error(error, &loc, "bad direction \"%s\"; expected HOST->HOST such as A->B", w);
        return FALSE;
    }
    g_autofree char *from = g_strndup(w, (gsize)(arrow - w));
    l->from = find_host(c->scn, from);
    l->to = find_host(c->scn, arrow + 2);
    if (l->from < 0 || l->to < 0) {
        scn_error(error, &loc, "unknown host in \"%s\"", w);
        return FALSE;
    }
    return TRUE;
}

/* tcpdump's letters: F S R P . U E W, or "none". */
static gboolean
parse_flags_text(const char *text, uint16_t *out)
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
static gboolean
parse_filter(struct cursor *c, struct tcpsim_filter *f, GError **error)
{
    f->match_flags = false;
    f->has_data = -1;
    struct scn_tok *t = peek(c);
    if (t != NULL && t->kind == SCN_TOK_FLAGS) {
        if (!parse_flags_text(t->text, &f->flags)) {
            scn_error(error, &t->loc,
                      "bad flags %s; expected tcpdump's letters F S R P . U E W, as in [S.]",
                      t->text);
            return FALSE;
        }
        f->match_flags = true;
        c->i++;
    }
    if (accept_keyword(c, "data")) {
        f->has_data = 1;
    } else if (accept_keyword(c, "nodata")) {
        f->has_data = 0;
    }
    return TRUE;
}

/* "NAME" that a line gives to a socket, after "as". */
static gboolean
parse_as(struct cursor *c, struct scn_line *l, bool required, GError **error)
{
    if (!accept_keyword(c, "as")) {
        if (required) {
            struct scn_loc loc = peek_loc(c);
            scn_error(error, &loc, "expected \"as NAME\" to name the new socket");
            return FALSE;
        }
        return TRUE;
    }
    const char *w = expect_word(c, "a socket name", &l->as_loc, error);
    if (w == NULL) {
        return FALSE;
    }
    if (!valid_name(w)) {
        scn_error(error, &l->as_loc,
                  "bad socket name \"%s\"; expected letters, digits and _ starting with a letter",
                  w);
        return FALSE;
    }
    l->as = g_strdup(w);
    return TRUE;
}

static gboolean
parse_sock_name(struct cursor *c, struct scn_line *l, GError **error)
{
    const char *w = expect_word(c, "a socket name", &l->name_loc, error);
    if (w == NULL) {
        return FALSE;
    }
    l->name = g_strdup(w);
    return TRUE;
}

/* The rest of a line as KEY VALUE pairs; a key in `flags_ok` may stand alone (= 1). */
static gboolean
parse_kv(struct cursor *c, struct scn_line *l, const char *const *bare_keys, GError **error)
{
    l->kv = g_array_new(FALSE, TRUE, sizeof(struct scn_kv));
    if (at_end(c)) {
        scn_error(error, &c->eol, "expected a parameter and its value");
        return FALSE;
    }
    while (!at_end(c)) {
        struct scn_kv kv = {0};
        const char *k = expect_word(c, "a parameter name", &kv.loc, error);
        if (k == NULL) {
            return FALSE;
        }
        kv.key = g_strdup(k);
        bool bare = bare_keys != NULL && g_strv_contains(bare_keys, k);
        struct scn_tok *t = peek(c);
        bool has_value = t != NULL && t->kind == SCN_TOK_WORD &&
                         (!bare || strcmp(t->text, "0") == 0 || strcmp(t->text, "1") == 0);
        if (!has_value && !bare) {
            g_array_append_val(l->kv, kv);
            scn_error(error, &c->eol, "parameter \"%s\" needs a value", k);
            return FALSE;
        }
        kv.vloc = has_value ? peek(c)->loc : kv.loc;
        kv.value = g_strdup(has_value ? next(c)->text : "1");
        g_array_append_val(l->kv, kv);
    }
    return TRUE;
}

/* --- set-up lines -------------------------------------------------------------------- */

static gboolean
parse_title(struct cursor *c, struct scn_line *l, GError **error)
{
    (void)l;
    struct scn_tok *t = next(c);
    if (t == NULL || t->kind != SCN_TOK_STRING) {
        struct scn_loc loc = t ? t->loc : c->eol;
        scn_error(error, &loc, "expected the title in quotes, as in title \"handshake\"");
        return FALSE;
    }
    g_free(c->scn->title);
    c->scn->title = g_strdup(t->text);
    return expect_eol(c, error);
}

static gboolean
parse_seed(struct cursor *c, struct scn_line *l, GError **error)
{
    (void)l;
    return parse_u64(c, "a seed", UINT64_MAX, &c->scn->seed, error) && expect_eol(c, error);
}

static gboolean
parse_hosts(struct cursor *c, struct scn_line *l, GError **error)
{
    struct tcpsim_scenario *scn = c->scn;
    if (scn->nhosts > 0) {
        scn_error(error, &l->loc, "hosts must be declared once, before any line that names one");
        return FALSE;
    }
    if (at_end(c)) {
        scn_error(error, &c->eol, "expected NAME=ADDRESS pairs, as in hosts A=10.0.0.1 B=10.0.0.2");
        return FALSE;
    }
    while (!at_end(c)) {
        struct scn_loc loc;
        const char *w = expect_word(c, "NAME=ADDRESS", &loc, error);
        if (w == NULL) {
            return FALSE;
        }
        const char *eq = strchr(w, '=');
        g_autofree char *name = eq ? g_strndup(w, (gsize)(eq - w)) : NULL;
        uint32_t addr = 0;
        if (eq == NULL || !valid_name(name) || !parse_ipv4(eq + 1, &addr) || addr == 0) {
            scn_error(error, &loc, "bad host \"%s\"; expected NAME=ADDRESS as in A=10.0.0.1", w);
            return FALSE;
        }
        for (int i = 0; i < scn->nhosts; i++) {
            if (strcmp(scn->host_names[i], name) == 0 || scn->host_addrs[i] == addr) {
                scn_error(error, &loc, "host \"%s\" repeats a name or an address", w);
                return FALSE;
            }
        }
        if (scn->nhosts == SCN_MAX_HOSTS) {
            scn_error(error, &loc, "too many hosts (at most %d)", SCN_MAX_HOSTS);
            return FALSE;
        }
        scn->host_names[scn->nhosts] = g_steal_pointer(&name);
        scn->host_addrs[scn->nhosts] = addr;
        scn->nhosts++;
    }
    return TRUE;
}

static const char *const link_params[] = {"delay", "rate", "queue", "loss", NULL};

static gboolean
check_link_params(struct scn_line *l, GError **error)
{
    for (guint i = 0; i < l->kv->len; i++) {
        struct scn_kv *kv = &g_array_index(l->kv, struct scn_kv, i);
        if (!g_strv_contains(link_params, kv->key)) {
            scn_error(error, &kv->loc,
                      "unknown link parameter \"%s\"; expected delay, rate, queue or loss",
                      kv->key);
            return FALSE;
        }
    }
    return TRUE;
}

static gboolean
parse_link_setup(struct cursor *c, struct scn_line *l, GError **error)
{
    return parse_dir(c, l, true, error) && parse_kv(c, l, NULL, error) &&
           check_link_params(l, error);
}

/* "set HOST|* KNOB VALUE..." (a value of several words is kept whole). */
static gboolean
parse_set_common(struct cursor *c, struct scn_line *l, bool host_given, GError **error)
{
    if (!host_given) {
        struct scn_tok *t = peek(c);
        if (t != NULL && t->kind == SCN_TOK_WORD && strcmp(t->text, "*") == 0) {
            c->i++;
            l->host = -1;
        } else if (!parse_host(c, &l->host, error)) {
            return FALSE;
        }
    }
    const char *k = expect_word(c, "a tunable such as tcp_syn_retries", &l->name_loc, error);
    if (k == NULL) {
        return FALSE;
    }
    if (tcpsim_knob_help(k) == NULL) {
        scn_error(error, &l->name_loc, "unknown tunable \"%s\" (tcpsim knobs lists them)", k);
        return FALSE;
    }
    l->state = g_strdup(k);
    GString *v = g_string_new(NULL);
    while (!at_end(c)) {
        struct scn_tok *t = next(c);
        if (v->len) {
            g_string_append_c(v, ' ');
        }
        g_string_append(v, t->text);
    }
    if (v->len == 0) {
        g_string_free(v, TRUE);
        scn_error(error, &c->eol, "expected a value for %s", k);
        return FALSE;
    }
    l->value = g_string_free(v, FALSE);
    return TRUE;
}

static gboolean
parse_set_setup(struct cursor *c, struct scn_line *l, GError **error)
{
    return parse_set_common(c, l, false, error);
}

/* "trace cc": what the text trace shows beyond the default. */
static gboolean
parse_trace(struct cursor *c, struct scn_line *l, GError **error)
{
    (void)l;
    struct scn_loc loc;
    const char *w = expect_word(c, "cc", &loc, error);
    if (w == NULL) {
        return FALSE;
    }
    if (strcmp(w, "cc") != 0) {
        scn_error(error, &loc, "unknown trace option \"%s\"; expected cc", w);
        return FALSE;
    }
    c->scn->trace_cc = true;
    return expect_eol(c, error);
}

static gboolean
parse_end(struct cursor *c, struct scn_line *l, GError **error)
{
    (void)l;
    if (accept_keyword(c, "quiet")) {
        c->scn->end_quiet = true;
        return expect_eol(c, error);
    }
    int64_t t = 0;
    if (!parse_time_tok(c, &t, error)) {
        return FALSE;
    }
    c->scn->end_quiet = false;
    c->scn->end_time = t;
    return expect_eol(c, error);
}

/* --- timeline: application calls -------------------------------------------------------- */

static gboolean
parse_listen(struct cursor *c, struct scn_line *l, GError **error)
{
    if (!parse_port(c, &l->port, error)) {
        return FALSE;
    }
    l->backlog = 128;
    if (accept_keyword(c, "backlog")) {
        uint64_t b = 0;
        if (!parse_u64(c, "a backlog", 65535, &b, error)) {
            return FALSE;
        }
        l->backlog = (int64_t)b;
    }
    return parse_as(c, l, false, error) && expect_eol(c, error);
}

static gboolean
parse_connect(struct cursor *c, struct scn_line *l, GError **error)
{
    const char *w = expect_word(c, "HOST:PORT", &l->peer_loc, error);
    if (w == NULL) {
        return FALSE;
    }
    const char *colon = strrchr(w, ':');
    if (colon == NULL) {
        scn_error(error, &l->peer_loc, "expected HOST:PORT as in B:80, found \"%s\"", w);
        return FALSE;
    }
    l->peer = g_strndup(w, (gsize)(colon - w));
    int h = find_host(c->scn, l->peer);
    if (h >= 0) {
        l->addr = c->scn->host_addrs[h];
    } else if (!parse_ipv4(l->peer, &l->addr)) {
        scn_error(error, &l->peer_loc, "unknown host \"%s\"; expected a host name or an address",
                  l->peer);
        return FALSE;
    }
    int64_t port = 0;
    if (!tcpsim_parse_int(colon + 1, &port, NULL) || port < 1 || port > 65535) {
        scn_error(error, &l->peer_loc, "bad port in \"%s\"; expected 1 to 65535", w);
        return FALSE;
    }
    l->port = (uint16_t)port;
    if (accept_keyword(c, "from") && !parse_port(c, &l->from_port, error)) {
        return FALSE;
    }
    return parse_as(c, l, false, error) && expect_eol(c, error);
}

static gboolean
parse_accept(struct cursor *c, struct scn_line *l, GError **error)
{
    l->name_loc = peek_loc(c);
    return parse_port(c, &l->port, error) && parse_as(c, l, true, error) && expect_eol(c, error);
}

/* SIZE or "text". */
static gboolean
parse_payload(struct cursor *c, struct scn_line *l, GError **error)
{
    struct scn_tok *t = peek(c);
    if (t != NULL && t->kind == SCN_TOK_STRING) {
        c->i++;
        if (t->len == 0) {
            scn_error(error, &t->loc, "empty text; send at least one byte");
            return FALSE;
        }
        l->text = g_memdup2(t->text, t->len + 1);
        l->text_len = t->len;
        l->size = t->len;
        return TRUE;
    }
    if (!parse_size_tok(c, &l->size, error)) {
        return FALSE;
    }
    if (l->size == 0) {
        scn_error(error, &t->loc, "a size of 0; expected at least one byte");
        return FALSE;
    }
    return TRUE;
}

static gboolean
parse_send(struct cursor *c, struct scn_line *l, GError **error)
{
    return parse_sock_name(c, l, error) && parse_payload(c, l, error) && expect_eol(c, error);
}

static gboolean
parse_recv(struct cursor *c, struct scn_line *l, GError **error)
{
    if (!parse_sock_name(c, l, error)) {
        return FALSE;
    }
    if (!at_end(c) && !parse_size_tok(c, &l->size, error)) {
        return FALSE;
    }
    return expect_eol(c, error);
}

static gboolean
parse_shutdown(struct cursor *c, struct scn_line *l, GError **error)
{
    if (!parse_sock_name(c, l, error)) {
        return FALSE;
    }
    l->wr = true;
    if (!at_end(c)) {
        struct scn_loc loc;
        const char *how = expect_word(c, "rd, wr or rdwr", &loc, error);
        if (how == NULL) {
            return FALSE;
        }
        l->rd = strcmp(how, "rd") == 0 || strcmp(how, "rdwr") == 0;
        l->wr = strcmp(how, "wr") == 0 || strcmp(how, "rdwr") == 0;
        if (!l->rd && !l->wr) {
            scn_error(error, &loc, "bad shutdown \"%s\"; expected rd, wr or rdwr", how);
            return FALSE;
        }
    }
    return expect_eol(c, error);
}

static gboolean
parse_name_only(struct cursor *c, struct scn_line *l, GError **error)
{
    return parse_sock_name(c, l, error) && expect_eol(c, error);
}

static const char *const bare_options[] = {"nodelay", "keepalive", NULL};

static gboolean
parse_option(struct cursor *c, struct scn_line *l, GError **error)
{
    return parse_sock_name(c, l, error) && parse_kv(c, l, bare_options, error);
}

static gboolean
parse_nothing(struct cursor *c, struct scn_line *l, GError **error)
{
    (void)l;
    return expect_eol(c, error);
}

static gboolean
parse_host_set(struct cursor *c, struct scn_line *l, GError **error)
{
    return parse_set_common(c, l, true, error);
}

/* --- timeline: the world --------------------------------------------------------------- */

static gboolean
parse_link(struct cursor *c, struct scn_line *l, GError **error)
{
    if (!parse_dir(c, l, true, error)) {
        return FALSE;
    }
    if (accept_keyword(c, "up") || accept_keyword(c, "down")) {
        l->up = strcmp(g_array_index(c->toks, struct scn_tok, c->i - 1).text, "up") == 0;
        l->verb = SCN_LINK;
        return expect_eol(c, error);
    }
    l->verb = SCN_LINK_SETUP; /* a parameter change at a time */
    return parse_kv(c, l, NULL, error) && check_link_params(l, error);
}

static gboolean
parse_next_n(struct cursor *c, struct scn_line *l, GError **error)
{
    if (!parse_dir(c, l, false, error) || !expect_keyword(c, "next", error)) {
        return FALSE;
    }
    uint64_t n = 0;
    struct scn_loc loc = peek_loc(c);
    if (!parse_u64(c, "a count", 1000000000, &n, error)) {
        return FALSE;
    }
    if (n == 0) {
        scn_error(error, &loc, "a count of 0; expected at least 1");
        return FALSE;
    }
    l->count = (uint32_t)n;
    return parse_filter(c, &l->filter, error);
}

static gboolean
parse_drop(struct cursor *c, struct scn_line *l, GError **error)
{
    return parse_next_n(c, l, error) && expect_eol(c, error);
}

static gboolean
parse_delay(struct cursor *c, struct scn_line *l, GError **error)
{
    return parse_next_n(c, l, error) && expect_keyword(c, "by", error) &&
           parse_time_tok(c, &l->extra, error) && expect_eol(c, error);
}

static gboolean
parse_expect_sock(struct cursor *c, struct scn_line *l, GError **error)
{
    if (!parse_sock_name(c, l, error)) {
        return FALSE;
    }
    struct scn_loc loc;
    const char *what = expect_word(c, "state, received, error or counter", &loc, error);
    if (what == NULL) {
        return FALSE;
    }
    if (strcmp(what, "state") == 0) {
        l->verb = SCN_EXPECT_STATE;
        const char *st = expect_word(c, "a state such as ESTABLISHED", &loc, error);
        if (st == NULL) {
            return FALSE;
        }
        l->state = g_strdelimit(g_ascii_strup(st, -1), "-", '_');
        return expect_eol(c, error);
    }
    if (strcmp(what, "received") == 0) {
        l->verb = SCN_EXPECT_RECEIVED;
        struct scn_tok *t = peek(c);
        if (t != NULL && t->kind == SCN_TOK_STRING) {
            c->i++;
            l->text = g_memdup2(t->text, t->len + 1);
            l->text_len = t->len;
            l->size = t->len;
        } else if (!parse_size_tok(c, &l->size, error)) {
            return FALSE;
        }
        return expect_eol(c, error);
    }
    if (strcmp(what, "error") == 0) {
        l->verb = SCN_EXPECT_ERROR;
        const char *e = expect_word(c, "an errno name such as ECONNREFUSED, or none", &loc, error);
        if (e == NULL) {
            return FALSE;
        }
        l->value = g_strdup(e);
        l->err = strcmp(e, "none") == 0 ? 0 : tcpsim_errno_from_name(e);
        if (l->err < 0) {
            g_autofree char *names = g_strjoinv(", ", (char **)tcpsim_errno_names());
            scn_error(error, &loc, "unknown error \"%s\"; expected none or one of %s", e, names);
            return FALSE;
        }
        return expect_eol(c, error);
    }
    scn_error(error, &loc, "unknown check \"%s\"; expected state, received or error", what);
    return FALSE;
}

static gboolean
parse_expect(struct cursor *c, struct scn_line *l, GError **error)
{
    if (accept_keyword(c, "segments")) {
        l->verb = SCN_EXPECT_SEGMENTS;
        if (!parse_dir(c, l, false, error) || !parse_filter(c, &l->filter, error) ||
            !expect_keyword(c, "count", error)) {
            return FALSE;
        }
        return parse_u64(c, "a count", UINT64_MAX, &l->number, error) && expect_eol(c, error);
    }
    if (!parse_host(c, &l->host, error)) {
        return FALSE;
    }
    if (accept_keyword(c, "counter")) {
        l->verb = SCN_EXPECT_COUNTER;
        const char *n = expect_word(c, "a counter such as TcpExtListenOverflows", &l->name_loc,
                                    error);
        if (n == NULL) {
            return FALSE;
        }
        l->state = g_strdup(n);
        return parse_u64(c, "a count", UINT64_MAX, &l->number, error) && expect_eol(c, error);
    }
    return parse_expect_sock(c, l, error);
}

/* --- the verb tables --------------------------------------------------------------------- */

typedef gboolean (*parse_fn)(struct cursor *c, struct scn_line *l, GError **error);

struct verb {
    const char *name;
    enum scn_verb verb;
    parse_fn parse;
};

/* Sorted by name. */
static const struct verb setup_verbs[] = {
    {"end", SCN_END, parse_end},
    {"hosts", SCN_HOSTS, parse_hosts},
    {"link", SCN_LINK_SETUP, parse_link_setup},
    {"seed", SCN_SEED, parse_seed},
    {"set", SCN_SET_SETUP, parse_set_setup},
    {"title", SCN_TITLE, parse_title},
    {"trace", SCN_TRACE, parse_trace},
};

static const struct verb host_verbs[] = {
    {"abort", SCN_ABORT, parse_name_only},
    {"accept", SCN_ACCEPT, parse_accept},
    {"close", SCN_CLOSE, parse_name_only},
    {"connect", SCN_CONNECT, parse_connect},
    {"crash", SCN_CRASH, parse_nothing},
    {"listen", SCN_LISTEN, parse_listen},
    {"option", SCN_OPTION, parse_option},
    {"reboot", SCN_REBOOT, parse_nothing},
    {"recv", SCN_RECV, parse_recv},
    {"send", SCN_SEND, parse_send},
    {"set", SCN_SET, parse_host_set},
    {"shutdown", SCN_SHUTDOWN, parse_shutdown},
};

static const struct verb world_verbs[] = {
    {"delay", SCN_DELAY, parse_delay},
    {"drop", SCN_DROP, parse_drop},
    {"duplicate", SCN_DUPLICATE, parse_drop},
    {"expect", SCN_EXPECT_STATE, parse_expect},
    {"link", SCN_LINK, parse_link},
};

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
    g_free(l->state);
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
    struct scn_tok *t = next(c);
    const char *w = t->text;
    bool rel = w[0] == '+';
    int64_t v = 0;
    GError *e = NULL;
    const char *num = rel ? w + 1 : w;
    if (!(strcmp(num, "0") == 0 || tcpsim_parse_time(num, 0, &v, &e))) {
        return unit_error(error, &t->loc, e);
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
    const char *w = expect_word(c, "a host name or a verb", &loc, error);
    if (w == NULL) {
        return FALSE;
    }
    const struct verb *v = find_verb(world_verbs, G_N_ELEMENTS(world_verbs), w);
    if (v != NULL) {
        l->verb = v->verb;
        l->host = -1;
        return v->parse(c, l, error);
    }
    l->host = find_host(c->scn, w);
    if (l->host < 0) {
        g_autofree char *verbs = verb_list(world_verbs, G_N_ELEMENTS(world_verbs));
        g_autofree char *hosts = g_strjoinv(", ", c->scn->host_names);
        scn_error(error, &loc, "\"%s\" is neither a host (%s) nor a verb (%s)", w, hosts, verbs);
        return FALSE;
    }
    const char *vn = expect_word(c, "a verb such as connect", &loc, error);
    if (vn == NULL) {
        return FALSE;
    }
    v = find_verb(host_verbs, G_N_ELEMENTS(host_verbs), vn);
    if (v == NULL) {
        g_autofree char *verbs = verb_list(host_verbs, G_N_ELEMENTS(host_verbs));
        scn_error(error, &loc, "unknown verb \"%s\"; expected one of %s", vn, verbs);
        return FALSE;
    }
    l->verb = v->verb;
    return v->parse(c, l, error);
}

static gboolean
parse_setup_line(struct cursor *c, struct scn_line *l, GError **error)
{
    struct scn_tok *t = next(c);
    if (t->kind != SCN_TOK_WORD) {
        scn_error(error, &t->loc, "expected a set-up keyword or a time at the start of a line");
        return FALSE;
    }
    const struct verb *v = find_verb(setup_verbs, G_N_ELEMENTS(setup_verbs), t->text);
    if (v == NULL) {
        g_autofree char *verbs = verb_list(setup_verbs, G_N_ELEMENTS(setup_verbs));
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
    struct scn_tok *first = peek(c);
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
    for (guint lines = 0; ok; lines++) {
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
            if (lines > SCN_MAX_LINES) {
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
    default_hosts(scn);
    return scn;
}
