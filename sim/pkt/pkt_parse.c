/* SPDX-License-Identifier: MIT */
/*
 * pkt_parse.c: a packetdrill script: header options, then timed events.
 *
 * Entry points: tcpsim_pkt_load(), tcpsim_pkt_parse(). Recursive descent over the
 * tokens of pkt_lex.c with one token of look-ahead:
 *
 *   script  := option* [command] event* [command]
 *   option  := --name [= value]
 *   event   := time (packet | syscall | `command` | %{ code }%)
 *   time    := * | [+]secs [~ [+]secs]
 *
 * Packets are parsed by pkt_parse_packet.c, system calls by pkt_parse_expr.c. The
 * semantic rules packetdrill applies while parsing (ranges and `*` only on outbound
 * segments, no backwards ranges) are applied here, with the location.
 */
#include <string.h>

#include "pkt_ast.h"

void
pkt_expr_free(struct pkt_expr *e)
{
    if (e == NULL) {
        return;
    }
    g_free(e->str);
    if (e->items) {
        g_ptr_array_free(e->items, TRUE);
    }
    pkt_expr_free(e->lhs);
    pkt_expr_free(e->rhs);
    g_free(e);
}

static void
syscall_free(struct pkt_syscall *sc)
{
    if (sc == NULL) {
        return;
    }
    g_free(sc->name);
    if (sc->args) {
        g_ptr_array_free(sc->args, TRUE);
    }
    pkt_expr_free(sc->result);
    g_free(sc->errno_name);
    g_free(sc->note);
    g_free(sc);
}

void
pkt_event_free(struct pkt_event *ev)
{
    if (ev == NULL) {
        return;
    }
    g_free(ev->pkt);
    syscall_free(ev->sc);
    g_free(ev->text);
    g_free(ev);
}

static void
option_free(gpointer p)
{
    struct pkt_option *o = p;
    g_free(o->name);
    g_free(o->value);
    g_free(o);
}

void
tcpsim_pkt_script_free(struct tcpsim_pkt_script *s)
{
    if (s == NULL) {
        return;
    }
    g_ptr_array_free(s->options, TRUE);
    g_ptr_array_free(s->events, TRUE);
    g_free(s->path);
    g_free(s);
}

guint
tcpsim_pkt_script_events(const struct tcpsim_pkt_script *s)
{
    return s->events->len;
}

/* --- token plumbing ----------------------------------------------------------- */

gboolean
pkt_parser_advance(struct pkt_parser *ps, GError **error)
{
    pkt_tok_clear(&ps->tok);
    if (ps->have_next) {
        ps->tok = ps->next;
        ps->next = (struct pkt_tok){0};
        ps->have_next = false;
        return TRUE;
    }
    return pkt_lex_next(&ps->lx, &ps->tok, error);
}

gboolean
pkt_parser_peek(struct pkt_parser *ps, struct pkt_tok **out, GError **error)
{
    if (!ps->have_next) {
        if (!pkt_lex_next(&ps->lx, &ps->next, error)) {
            return FALSE;
        }
        ps->have_next = true;
    }
    *out = &ps->next;
    return TRUE;
}

bool
pkt_tok_is(const struct pkt_tok *t, char punct)
{
    return t->kind == PKT_T_PUNCT && t->punct == punct;
}

bool
pkt_tok_word(const struct pkt_tok *t, const char *word)
{
    return t->kind == PKT_T_WORD && strcmp(t->text, word) == 0;
}

/* How a token reads in "got ..." messages. */
static const char *
describe(const struct pkt_tok *t, char *buf, size_t cap)
{
    switch (t->kind) {
    case PKT_T_EOF:
        return "the end of the file";
    case PKT_T_PUNCT:
        g_snprintf(buf, cap, "'%c'", t->punct);
        return buf;
    case PKT_T_ELLIPSIS:
        return "\"...\"";
    case PKT_T_COMMAND:
        return "a `command`";
    case PKT_T_CODE:
        return "a %{ code }% block";
    case PKT_T_STRING:
        return "a string";
    case PKT_T_INT:
    case PKT_T_FLOAT:
    case PKT_T_IPV4:
    case PKT_T_WORD:
    case PKT_T_OPTION:
        g_snprintf(buf, cap, "\"%.40s\"", t->text);
        return buf;
    }
    return "?";
}

gboolean
pkt_expect_punct(struct pkt_parser *ps, char punct, const char *what, GError **error)
{
    if (!pkt_tok_is(&ps->tok, punct)) {
        char buf[64];
        pkt_error(error, ps->file, ps->tok.loc, "expected '%c' %s, got %s", punct, what,
                  describe(&ps->tok, buf, sizeof buf));
        return FALSE;
    }
    return pkt_parser_advance(ps, error);
}

gboolean
pkt_parse_uint(struct pkt_parser *ps, uint64_t max, const char *what, uint64_t *out,
               GError **error)
{
    if (ps->tok.kind != PKT_T_INT) {
        char buf[64];
        pkt_error(error, ps->file, ps->tok.loc, "expected %s (a whole number), got %s", what,
                  describe(&ps->tok, buf, sizeof buf));
        return FALSE;
    }
    if (ps->tok.num > max) {
        pkt_error(error, ps->file, ps->tok.loc, "%s %" G_GUINT64_FORMAT " out of range (at most %"
                  G_GUINT64_FORMAT ")", what, ps->tok.num, max);
        return FALSE;
    }
    *out = ps->tok.num;
    return pkt_parser_advance(ps, error);
}

/* "2", "0.100", ".5" as nanoseconds, exactly. */
gboolean
pkt_parse_seconds(struct pkt_parser *ps, sim_time *out, GError **error)
{
    const struct pkt_tok *t = &ps->tok;
    if (t->kind != PKT_T_INT && t->kind != PKT_T_FLOAT) {
        char buf[64];
        pkt_error(error, ps->file, t->loc, "expected a time in seconds, got %s",
                  describe(t, buf, sizeof buf));
        return FALSE;
    }
    if (t->kind == PKT_T_INT && (t->text[0] == '0' && (t->text[1] == 'x' || t->text[1] == 'X'))) {
        pkt_error(error, ps->file, t->loc, "a time is decimal, not \"%s\"", t->text);
        return FALSE;
    }
    const char *dot = strchr(t->text, '.');
    size_t whole_len = dot ? (size_t)(dot - t->text) : strlen(t->text);
    int64_t secs = 0;
    for (size_t i = 0; i < whole_len; i++) {
        secs = secs * 10 + (t->text[i] - '0');
        if (secs > PKT_MAX_TIME / SEC(1)) {
            pkt_error(error, ps->file, t->loc, "time %s is too large", t->text);
            return FALSE;
        }
    }
    int64_t frac = 0;
    int digits = 0;
    for (const char *p = dot ? dot + 1 : ""; *p; p++, digits++) {
        if (digits == 9) {
            if (*p != '0') {
                pkt_error(error, ps->file, t->loc, "time %s is finer than a nanosecond", t->text);
                return FALSE;
            }
            continue;
        }
        frac = frac * 10 + (*p - '0');
    }
    for (; digits < 9; digits++) {
        frac *= 10;
    }
    *out = secs * SEC(1) + frac;
    return pkt_parser_advance(ps, error);
}

/* --- header options ----------------------------------------------------------- */

/* A token that can be part of an IP address given to an --X_ip option: a ':' always; a
 * number, a word, '.' or '/' when `colons` (the value is an IPv6 address, or its start). */
static bool
is_addr_piece(const struct pkt_tok *t, bool colons)
{
    if (t->kind == PKT_T_PUNCT) {
        return t->punct == ':' || (colons && (t->punct == '.' || t->punct == '/'));
    }
    return colons && (t->kind == PKT_T_INT || t->kind == PKT_T_WORD || t->kind == PKT_T_IPV4);
}

static gboolean
parse_option(struct pkt_parser *ps, struct tcpsim_pkt_script *s, GError **error)
{
    struct pkt_option *o = g_new0(struct pkt_option, 1);
    o->name = g_strdup(ps->tok.text);
    o->loc = ps->tok.loc;
    g_ptr_array_add(s->options, o);
    if (!pkt_parser_advance(ps, error)) {
        return FALSE;
    }
    if (!pkt_tok_is(&ps->tok, '=')) {
        return TRUE;
    }
    if (!pkt_parser_advance(ps, error)) {
        return FALSE;
    }
    bool addr_valued = g_str_has_suffix(o->name, "_ip");
    if (addr_valued && is_addr_piece(&ps->tok, true)) {
        /* An IPv6 address ("--remote_ip=2001:db8::1") comes in pieces: join the tokens that
         * touch, as packetdrill reads the option's value up to the blank. */
        GString *v = g_string_new(NULL);
        int line = ps->tok.loc.line;
        int next_col = ps->tok.loc.col;
        while (ps->tok.loc.line == line && ps->tok.loc.col == next_col &&
               is_addr_piece(&ps->tok, true)) {
            const char *piece = ps->tok.kind == PKT_T_PUNCT ? (char[2]){ps->tok.punct, 0}
                                                             : ps->tok.text;
            g_string_append(v, piece);
            next_col += (int)strlen(piece);
            if (!pkt_parser_advance(ps, error)) {
                g_string_free(v, TRUE);
                return FALSE;
            }
        }
        o->value = g_string_free(v, FALSE); /* an IPv4 address too: the runner checks it */
        return TRUE;
    }
    switch (ps->tok.kind) {
    case PKT_T_INT:
    case PKT_T_FLOAT:
    case PKT_T_IPV4:
    case PKT_T_WORD:
    case PKT_T_STRING:
        o->value = g_strdup(ps->tok.text);
        break;
    case PKT_T_EOF:
    case PKT_T_OPTION:
    case PKT_T_COMMAND:
    case PKT_T_CODE:
    case PKT_T_ELLIPSIS:
    case PKT_T_PUNCT: {
        char buf[64];
        pkt_error(error, ps->file, ps->tok.loc, "expected a value for --%s, got %s", o->name,
                  describe(&ps->tok, buf, sizeof buf));
        return FALSE;
    }
    }
    if (!pkt_parser_advance(ps, error)) {
        return FALSE;
    }
    /* --define=NAME=VALUE */
    if (pkt_tok_is(&ps->tok, '=') && ps->tok.loc.line == o->loc.line) {
        if (!pkt_parser_advance(ps, error)) {
            return FALSE;
        }
        if (ps->tok.kind == PKT_T_EOF || ps->tok.text == NULL) {
            pkt_error(error, ps->file, ps->tok.loc, "expected a value after '='");
            return FALSE;
        }
        char *v = g_strdup_printf("%s=%s", o->value, ps->tok.text);
        g_free(o->value);
        o->value = v;
        return pkt_parser_advance(ps, error);
    }
    return TRUE;
}

/* --- events -------------------------------------------------------------------- */

static gboolean
parse_time(struct pkt_parser *ps, struct pkt_event *ev, GError **error)
{
    if (pkt_tok_is(&ps->tok, '*')) {
        ev->time_kind = PKT_TIME_ANY;
        return pkt_parser_advance(ps, error);
    }
    bool rel = pkt_tok_is(&ps->tok, '+');
    if (rel && !pkt_parser_advance(ps, error)) {
        return FALSE;
    }
    if (!pkt_parse_seconds(ps, &ev->t, error)) {
        return FALSE;
    }
    ev->time_kind = rel ? PKT_TIME_REL : PKT_TIME_ABS;
    if (!pkt_tok_is(&ps->tok, '~')) {
        return TRUE;
    }
    struct pkt_loc tilde = ps->tok.loc;
    if (!pkt_parser_advance(ps, error)) {
        return FALSE;
    }
    bool rel_end = pkt_tok_is(&ps->tok, '+');
    if (rel_end != rel) {
        pkt_error(error, ps->file, tilde,
                  "a time range is absolute (0.1~0.2) or relative (+0.1~+0.2), not mixed");
        return FALSE;
    }
    if (rel_end && !pkt_parser_advance(ps, error)) {
        return FALSE;
    }
    if (!pkt_parse_seconds(ps, &ev->t_end, error)) {
        return FALSE;
    }
    if (ev->t_end < ev->t) {
        pkt_error(error, ps->file, tilde, "time range is backwards");
        return FALSE;
    }
    ev->time_kind = rel ? PKT_TIME_REL_RANGE : PKT_TIME_ABS_RANGE;
    return TRUE;
}

static gboolean
parse_action(struct pkt_parser *ps, struct pkt_event *ev, GError **error)
{
    struct pkt_tok *t = &ps->tok;
    if (pkt_tok_is(t, '<') || pkt_tok_is(t, '>')) {
        ev->kind = PKT_EV_PACKET;
        ev->pkt = g_new0(struct pkt_packet, 1);
        bool inbound = t->punct == '<';
        if (!pkt_parser_advance(ps, error)) {
            return FALSE;
        }
        return pkt_parse_packet(ps, inbound, ev->pkt, error);
    }
    if (t->kind == PKT_T_COMMAND || t->kind == PKT_T_CODE) {
        ev->kind = t->kind == PKT_T_COMMAND ? PKT_EV_COMMAND : PKT_EV_CODE;
        ev->text = g_steal_pointer(&t->text);
        return pkt_parser_advance(ps, error);
    }
    if (t->kind == PKT_T_WORD || t->kind == PKT_T_ELLIPSIS) {
        ev->kind = PKT_EV_SYSCALL;
        ev->sc = g_new0(struct pkt_syscall, 1);
        return pkt_parse_syscall(ps, ev->sc, error);
    }
    char buf[64];
    pkt_error(error, ps->file, t->loc,
              "expected a segment (< or >), a system call, a `command` or a %%{ code }%% "
              "block after the time, got %s", describe(t, buf, sizeof buf));
    return FALSE;
}

/* packetdrill's rules: `*` and ranges only for segments the stack sends. */
static gboolean
check_event(struct pkt_parser *ps, const struct pkt_event *ev, GError **error)
{
    bool outbound = ev->kind == PKT_EV_PACKET && !ev->pkt->inbound;
    if (ev->time_kind == PKT_TIME_ANY && !outbound) {
        pkt_error(error, ps->file, ev->loc, "event time * can only be used with outbound packets");
        return FALSE;
    }
    if ((ev->time_kind == PKT_TIME_ABS_RANGE || ev->time_kind == PKT_TIME_REL_RANGE) &&
        !outbound) {
        pkt_error(error, ps->file, ev->loc,
                  "event time range can only be used with outbound packets");
        return FALSE;
    }
    if (ev->kind == PKT_EV_SYSCALL && ev->sc->blocking && ev->sc->end < ev->t &&
        ev->time_kind == PKT_TIME_ABS) {
        pkt_error(error, ps->file, ev->loc, "the call ends (%.6f) before it starts (%.6f)",
                  (double)ev->sc->end / 1e9, (double)ev->t / 1e9);
        return FALSE;
    }
    return TRUE;
}

static gboolean
parse_event(struct pkt_parser *ps, struct tcpsim_pkt_script *s, GError **error)
{
    if (s->events->len >= PKT_MAX_EVENTS) {
        pkt_error(error, ps->file, ps->tok.loc, "more than %u events", PKT_MAX_EVENTS);
        return FALSE;
    }
    struct pkt_event *ev = g_new0(struct pkt_event, 1);
    ev->loc = ps->tok.loc;
    g_ptr_array_add(s->events, ev);
    if (ps->tok.kind == PKT_T_COMMAND) {
        /* An init or cleanup command: no time. */
        ev->untimed = true;
        ev->kind = PKT_EV_COMMAND;
        ev->text = g_steal_pointer(&ps->tok.text);
        return pkt_parser_advance(ps, error);
    }
    if (!parse_time(ps, ev, error) || !parse_action(ps, ev, error)) {
        return FALSE;
    }
    return check_event(ps, ev, error);
}

const char *
tcpsim_pkt_stack_define(const char *personality)
{
    if (personality == NULL || strcmp(personality, "linux") == 0) {
        return "Linux";
    }
    if (strcmp(personality, "freebsd") == 0) {
        return "FreeBSD";
    }
    return NULL;
}

struct tcpsim_pkt_script *
tcpsim_pkt_parse(const char *name, const char *text, size_t len, GError **error)
{
    static const char *const linux_only[] = {"Linux", NULL};
    return tcpsim_pkt_parse_defined(name, text, len, linux_only, error);
}

struct tcpsim_pkt_script *
tcpsim_pkt_parse_defined(const char *name, const char *text, size_t len,
                         const char *const *defines, GError **error)
{
    return tcpsim_pkt_parse_bounded(name, text, len, defines, PKT_MAX_FILE_BYTES, error);
}

struct tcpsim_pkt_script *
tcpsim_pkt_parse_bounded(const char *name, const char *text, size_t len,
                         const char *const *defines, size_t max_bytes, GError **error)
{
    if (len > max_bytes) {
        g_set_error(error, TCPSIM_PKT_ERROR, TCPSIM_PKT_ERROR_IO, "%s: larger than %zu bytes",
                    name, max_bytes);
        return NULL;
    }
    struct tcpsim_pkt_script *s = g_new0(struct tcpsim_pkt_script, 1);
    s->path = g_strdup(name);
    s->options = g_ptr_array_new_with_free_func(option_free);
    s->events = g_ptr_array_new_with_free_func((GDestroyNotify)pkt_event_free);
    struct pkt_parser ps = {.file = s->path};
    pkt_lex_init(&ps.lx, s->path, text, len);
    ps.lx.defines = defines;
    gboolean ok = pkt_parser_advance(&ps, error);
    while (ok && ps.tok.kind == PKT_T_OPTION) {
        if (s->events->len > 0) {
            pkt_error(error, ps.file, ps.tok.loc, "options (--%s) belong before the first event",
                      ps.tok.text);
            ok = FALSE;
            break;
        }
        ok = parse_option(&ps, s, error);
    }
    while (ok && ps.tok.kind != PKT_T_EOF) {
        if (ps.tok.kind == PKT_T_OPTION) {
            pkt_error(error, ps.file, ps.tok.loc, "options (--%s) belong before the first event",
                      ps.tok.text);
            ok = FALSE;
            break;
        }
        ok = parse_event(&ps, s, error);
    }
    pkt_tok_clear(&ps.tok);
    pkt_tok_clear(&ps.next);
    if (!ok) {
        tcpsim_pkt_script_free(s);
        return NULL;
    }
    return s;
}

struct tcpsim_pkt_script *
tcpsim_pkt_load(const char *path, GError **error)
{
    static const char *const linux_only[] = {"Linux", NULL};
    return tcpsim_pkt_load_defined(path, linux_only, error);
}

struct tcpsim_pkt_script *
tcpsim_pkt_load_defined(const char *path, const char *const *defines, GError **error)
{
    g_autofree char *text = NULL;
    gsize len = 0;
    GError *e = NULL;
    if (!g_file_get_contents(path, &text, &len, &e)) {
        g_set_error(error, TCPSIM_PKT_ERROR, TCPSIM_PKT_ERROR_IO, "%s", e->message);
        g_error_free(e);
        return NULL;
    }
    return tcpsim_pkt_parse_defined(path, text, len, defines, error);
}
