/* SPDX-License-Identifier: MIT */
/*
 * parse_setup.c: the set-up lines: title, seed, hosts, link, set, trace, end.
 */
#include <string.h>

#include "parse.h"

/* --- set-up lines -------------------------------------------------------------------- */

static gboolean
parse_title(struct cursor *c, struct scn_line *l, GError **error)
{
    (void)l;
    struct scn_tok *t = cur_next(c);
    if (t == NULL || t->kind != SCN_TOK_STRING) {
        struct scn_loc loc = t ? t->loc : c->eol;
        scn_error(error, &loc, "expected the title in quotes, as in title \"handshake\"");
        return FALSE;
    }
    /* The title is one line of the trace header and the SVG's <title>: escapes may not
     * bring in a line break or another control byte. */
    for (gsize i = 0; i < t->len; i++) {
        unsigned char b = (unsigned char)t->text[i];
        if (b < 0x20 || b == 0x7F || !g_utf8_validate(t->text, (gssize)t->len, NULL)) {
            scn_error(error, &t->loc, "a title is one line of text: no control bytes (such as "
                                      "\\n) and nothing but UTF-8");
            return FALSE;
        }
    }
    g_free(c->scn->title);
    c->scn->title = g_strdup(t->text);
    return cur_eol(c, error);
}

static gboolean
parse_seed(struct cursor *c, struct scn_line *l, GError **error)
{
    (void)l;
    /* The whole range of --seed, 0 to 2^64-1: tcpsim_parse_int() stops at 2^63-1. */
    struct scn_loc loc;
    const char *w = cur_word(c, "a seed", &loc, error);
    if (w == NULL) {
        return FALSE;
    }
    if (!g_ascii_string_to_unsigned(w, 10, 0, G_MAXUINT64, &c->scn->seed, NULL)) {
        scn_error(error, &loc, "bad seed \"%s\"; expected a whole number from 0 to "
                  "18446744073709551615, as --seed takes", w);
        return FALSE;
    }
    return cur_eol(c, error);
}

static bool
addr_none(const struct tcpsim_addr *a)
{
    return a->family == TCPSIM_AF_NONE;
}

static bool
addr_same(const struct tcpsim_addr *a, const struct tcpsim_addr *b)
{
    return a->family == b->family && memcmp(a->b, b->b, sizeof a->b) == 0;
}

/* "10.0.0.1", "2001:db8::1", or one of each joined by a comma (a dual-stack host). The
 * error points at the address that is wrong: `col` is where `text` starts in the word. */
static bool
parse_host_addrs(const char *text, const struct scn_loc *word, guint col,
                 struct tcpsim_addr out[2], GError **error)
{
    g_auto(GStrv) parts = g_strsplit(text, ",", 3);
    for (guint i = 0; parts[i] != NULL; i++) {
        struct scn_loc loc = *word;
        loc.col += col;
        col += (guint)strlen(parts[i]) + 1;
        static const uint8_t zero[16] = {0};
        if (i == 2) {
            scn_error(error, &loc, "a host has at most two addresses, one of each family");
            return false;
        }
        if (!tcpsim_addr_parse(parts[i], &out[i])) {
            scn_error(error, &loc,
                      "bad address \"%s\"; expected an IPv4 address such as 10.0.0.1 or an "
                      "IPv6 address such as 2001:db8::1", parts[i]);
            return false;
        }
        if (memcmp(out[i].b, zero, sizeof zero) == 0) {
            scn_error(error, &loc, "address \"%s\" is unspecified; a host needs its own",
                      parts[i]);
            return false;
        }
        if (i == 1 && out[1].family == out[0].family) {
            scn_error(error, &loc, "a host's second address must be of the other family");
            return false;
        }
    }
    return true;
}

static gboolean
parse_hosts(struct cursor *c, struct scn_line *l, GError **error)
{
    struct tcpsim_scenario *scn = c->scn;
    if (scn->nhosts > 0) {
        scn_error(error, &l->loc, "hosts must be declared once, before any line that names one");
        return FALSE;
    }
    if (cur_at_end(c)) {
        scn_error(error, &c->eol, "expected NAME=ADDRESS pairs, as in hosts A=10.0.0.1 B=10.0.0.2");
        return FALSE;
    }
    while (!cur_at_end(c)) {
        struct scn_loc loc;
        const char *w = cur_word(c, "NAME=ADDRESS", &loc, error);
        if (w == NULL) {
            return FALSE;
        }
        const char *eq = strchr(w, '=');
        g_autofree char *name = eq ? g_strndup(w, (gsize)(eq - w)) : NULL;
        if (eq == NULL || !cur_valid_name(name)) {
            scn_error(error, &loc,
                      "bad host \"%s\"; expected NAME=ADDRESS as in A=10.0.0.1, B=2001:db8::2 "
                      "or C=10.0.0.3,2001:db8::3", w);
            return FALSE;
        }
        struct tcpsim_addr addr[2] = {{0}, {0}};
        if (!parse_host_addrs(eq + 1, &loc, (guint)(eq + 1 - w), addr, error)) {
            return FALSE;
        }
        for (int i = 0; i < scn->nhosts; i++) {
            for (int k = 0; k < 2; k++) {
                bool same = !addr_none(&addr[k]) &&
                            (addr_same(&scn->host_addrs[i], &addr[k]) ||
                             addr_same(&scn->host_addrs2[i], &addr[k]));
                if (strcmp(scn->host_names[i], name) == 0 || same) {
                    scn_error(error, &loc, "host \"%s\" repeats a name or an address", w);
                    return FALSE;
                }
            }
        }
        if (scn->nhosts == SCN_MAX_HOSTS) {
            scn_error(error, &loc, "too many hosts (at most %d)", SCN_MAX_HOSTS);
            return FALSE;
        }
        scn->host_names[scn->nhosts] = g_steal_pointer(&name);
        scn->host_addrs[scn->nhosts] = addr[0];
        scn->host_addrs2[scn->nhosts] = addr[1];
        scn->nhosts++;
    }
    return TRUE;
}

const char *const parse_link_params[] = {"delay",     "jitter",  "rate",    "queue",
                                         "red",       "mtu",     "loss",    "burst",
                                         "duplicate", "reorder", "corrupt", NULL};

gboolean
parse_check_link_params(struct scn_line *l, GError **error)
{
    for (guint i = 0; i < l->kv->len; i++) {
        struct scn_kv *kv = &g_array_index(l->kv, struct scn_kv, i);
        if (!g_strv_contains(parse_link_params, kv->key)) {
            g_autofree char *all = g_strjoinv(", ", (char **)parse_link_params);
            scn_error(error, &kv->loc, "unknown link parameter \"%s\"; expected one of %s",
                      kv->key, all);
            return FALSE;
        }
    }
    return TRUE;
}

static gboolean
parse_link_setup(struct cursor *c, struct scn_line *l, GError **error)
{
    return cur_dir(c, l, true, error) && cur_kv(c, l, NULL, parse_link_params, error) &&
           parse_check_link_params(l, error);
}

/* "set HOST|* KNOB VALUE..." (a value of several words is kept whole). */
gboolean
parse_set_common(struct cursor *c, struct scn_line *l, bool host_given, GError **error)
{
    if (!host_given) {
        struct scn_tok *t = cur_peek(c);
        if (t != NULL && t->kind == SCN_TOK_WORD && strcmp(t->text, "*") == 0) {
            c->i++;
            l->host = -1;
        } else if (!cur_host(c, &l->host, error)) {
            return FALSE;
        }
    }
    const char *k = cur_word(c, "a tunable such as tcp_syn_retries", &l->name_loc, error);
    if (k == NULL) {
        return FALSE;
    }
    if (tcpsim_knob_help(k) == NULL) {
        scn_error(error, &l->name_loc, "unknown tunable \"%s\" (tcpsim knobs lists them)", k);
        return FALSE;
    }
    l->word = g_strdup(k);
    GString *v = g_string_new(NULL);
    while (!cur_at_end(c)) {
        struct scn_tok *t = cur_next(c);
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
    const char *w = cur_word(c, "cc", &loc, error);
    if (w == NULL) {
        return FALSE;
    }
    if (strcmp(w, "cc") != 0) {
        scn_error(error, &loc, "unknown trace option \"%s\"; expected cc", w);
        return FALSE;
    }
    c->scn->trace_cc = true;
    return cur_eol(c, error);
}

static gboolean
parse_end(struct cursor *c, struct scn_line *l, GError **error)
{
    (void)l;
    if (cur_accept(c, "quiet")) {
        c->scn->end_quiet = true;
        return cur_eol(c, error);
    }
    int64_t t = 0;
    if (!cur_time(c, &t, error)) {
        return FALSE;
    }
    c->scn->end_quiet = false;
    c->scn->end_time = t;
    return cur_eol(c, error);
}


/* Sorted by name. */
const struct verb parse_setup_verbs[] = {
    {"end", SCN_END, parse_end},
    {"hosts", SCN_HOSTS, parse_hosts},
    {"link", SCN_LINK_SETUP, parse_link_setup},
    {"seed", SCN_SEED, parse_seed},
    {"set", SCN_SET_SETUP, parse_set_setup},
    {"title", SCN_TITLE, parse_title},
    {"trace", SCN_TRACE, parse_trace},
};
const size_t parse_setup_nverbs = G_N_ELEMENTS(parse_setup_verbs);
