/* SPDX-License-Identifier: MIT */
/*
 * pkt_parse_expr.c: system calls and their argument expressions.
 *
 * Entry points: pkt_parse_syscall(), pkt_parse_expr().
 *
 *   syscall := [... END] name ( [expr {, expr}] ) = expr [ERRNO] [(note)]
 *   expr    := unary {| unary}
 *   unary   := ... | [-]N | "string"... | name [( args )] [= expr]
 *            | [ exprs ] | { exprs }
 *
 * The grammar is generic: packetdrill's sockaddr, linger, iovec, msghdr and pollfd forms
 * are all lists, structures, calls and assignments, which the system-call layer
 * (pkt_sys*.c) interprets and refuses, with the location, when it cannot. Nesting is
 * bounded so deep brackets cannot exhaust the stack.
 */
#include <string.h>

#include "pkt_ast.h"

static struct pkt_expr *
new_expr(enum pkt_expr_kind kind, struct pkt_loc loc)
{
    struct pkt_expr *e = g_new0(struct pkt_expr, 1);
    e->kind = kind;
    e->loc = loc;
    return e;
}

/* Items up to `close`, separated by commas (the opening bracket is consumed). */
static gboolean
parse_items(struct pkt_parser *ps, struct pkt_expr *e, char close, GError **error)
{
    e->items = g_ptr_array_new_with_free_func((GDestroyNotify)pkt_expr_free);
    if (!pkt_parser_advance(ps, error)) {
        return FALSE;
    }
    if (pkt_tok_is(&ps->tok, close)) {
        return pkt_parser_advance(ps, error);
    }
    for (;;) {
        if (e->items->len >= PKT_MAX_LIST_ITEMS) {
            pkt_error(error, ps->file, ps->tok.loc, "more than %u items in a list",
                      PKT_MAX_LIST_ITEMS);
            return FALSE;
        }
        struct pkt_expr *item = pkt_parse_expr(ps, error);
        if (item == NULL) {
            return FALSE;
        }
        g_ptr_array_add(e->items, item);
        if (pkt_tok_is(&ps->tok, close)) {
            return pkt_parser_advance(ps, error);
        }
        char what[32];
        g_snprintf(what, sizeof what, "or '%c' in a list", close);
        if (!pkt_expect_punct(ps, ',', what, error)) {
            return FALSE;
        }
    }
}

static struct pkt_expr *
parse_word(struct pkt_parser *ps, GError **error)
{
    struct pkt_expr *e = new_expr(PKT_E_WORD, ps->tok.loc);
    e->str = g_steal_pointer(&ps->tok.text);
    if (!pkt_parser_advance(ps, error)) {
        pkt_expr_free(e);
        return NULL;
    }
    if (pkt_tok_is(&ps->tok, '(')) {
        e->kind = PKT_E_CALL;
        if (!parse_items(ps, e, ')', error)) {
            pkt_expr_free(e);
            return NULL;
        }
    }
    if (pkt_tok_is(&ps->tok, '=')) {
        struct pkt_expr *a = new_expr(PKT_E_ASSIGN, e->loc);
        a->lhs = e;
        if (!pkt_parser_advance(ps, error) || (a->rhs = pkt_parse_expr(ps, error)) == NULL) {
            pkt_expr_free(a);
            return NULL;
        }
        return a;
    }
    return e;
}

static struct pkt_expr *
parse_unary(struct pkt_parser *ps, GError **error)
{
    struct pkt_tok *t = &ps->tok;
    struct pkt_expr *e = NULL;
    if (t->kind == PKT_T_ELLIPSIS) {
        e = new_expr(PKT_E_ELLIPSIS, t->loc);
    } else if (t->kind == PKT_T_INT || pkt_tok_is(t, '-')) {
        struct pkt_loc loc = t->loc;
        bool neg = pkt_tok_is(t, '-');
        if (neg && !pkt_parser_advance(ps, error)) {
            return NULL;
        }
        if (t->kind != PKT_T_INT || t->num > (uint64_t)INT64_MAX) {
            pkt_error(error, ps->file, t->loc, "expected a number");
            return NULL;
        }
        e = new_expr(PKT_E_INT, loc);
        e->num = neg ? -(int64_t)t->num : (int64_t)t->num;
    } else if (t->kind == PKT_T_STRING) {
        e = new_expr(PKT_E_STRING, t->loc);
        GString *s = g_string_new(NULL);
        while (t->kind == PKT_T_STRING) {
            g_string_append(s, t->text);
            if (s->len > PKT_MAX_TOKEN_BYTES || !pkt_parser_advance(ps, error)) {
                if (s->len > PKT_MAX_TOKEN_BYTES) {
                    pkt_error(error, ps->file, e->loc, "string longer than %u bytes",
                              PKT_MAX_TOKEN_BYTES);
                }
                g_string_free(s, TRUE);
                pkt_expr_free(e);
                return NULL;
            }
        }
        e->str = g_string_free(s, FALSE);
        if (t->kind == PKT_T_ELLIPSIS) {
            pkt_unsupported(error, ps->file, t->loc, "\"string\"... (a payload prefix)");
            pkt_expr_free(e);
            return NULL;
        }
        return e;
    } else if (t->kind == PKT_T_WORD) {
        return parse_word(ps, error);
    } else if (pkt_tok_is(t, '[') || pkt_tok_is(t, '{')) {
        bool list = t->punct == '[';
        e = new_expr(list ? PKT_E_LIST : PKT_E_STRUCT, t->loc);
        if (!parse_items(ps, e, list ? ']' : '}', error)) {
            pkt_expr_free(e);
            return NULL;
        }
        return e;
    } else {
        pkt_error(error, ps->file, t->loc, "expected an expression (a number, a name, ..., "
                  "\"string\", [list] or {struct})");
        return NULL;
    }
    if (!pkt_parser_advance(ps, error)) {
        pkt_expr_free(e);
        return NULL;
    }
    return e;
}

struct pkt_expr *
pkt_parse_expr(struct pkt_parser *ps, GError **error)
{
    if (ps->depth >= PKT_MAX_EXPR_DEPTH) {
        pkt_error(error, ps->file, ps->tok.loc, "expressions nested deeper than %d",
                  PKT_MAX_EXPR_DEPTH);
        return NULL;
    }
    ps->depth++;
    struct pkt_expr *e = parse_unary(ps, error);
    while (e != NULL && pkt_tok_is(&ps->tok, '|')) {
        struct pkt_expr *o = new_expr(PKT_E_OR, ps->tok.loc);
        o->lhs = e;
        e = o;
        if (!pkt_parser_advance(ps, error) || (o->rhs = parse_unary(ps, error)) == NULL) {
            pkt_expr_free(e);
            e = NULL;
        }
    }
    ps->depth--;
    return e;
}

/* "(Operation now in progress)": the words, kept for the report. */
static gboolean
parse_note(struct pkt_parser *ps, char **out, GError **error)
{
    struct pkt_loc loc = ps->tok.loc;
    g_autoptr(GString) s = g_string_new(NULL);
    if (!pkt_parser_advance(ps, error)) {
        return FALSE;
    }
    while (!pkt_tok_is(&ps->tok, ')')) {
        if (ps->tok.kind == PKT_T_EOF || s->len > 256) {
            pkt_error(error, ps->file, loc, "note in parentheses not closed");
            return FALSE;
        }
        if (s->len > 0) {
            g_string_append_c(s, ' ');
        }
        if (ps->tok.kind == PKT_T_PUNCT) {
            g_string_append_c(s, ps->tok.punct);
        } else if (ps->tok.text != NULL) {
            g_string_append(s, ps->tok.text);
        }
        if (!pkt_parser_advance(ps, error)) {
            return FALSE;
        }
    }
    g_free(*out);
    *out = g_string_free(g_steal_pointer(&s), FALSE);
    return pkt_parser_advance(ps, error);
}

gboolean
pkt_parse_syscall(struct pkt_parser *ps, struct pkt_syscall *sc, GError **error)
{
    if (ps->tok.kind == PKT_T_ELLIPSIS) {
        sc->blocking = true;
        if (!pkt_parser_advance(ps, error) || !pkt_parse_seconds(ps, &sc->end, error)) {
            return FALSE;
        }
    }
    if (ps->tok.kind != PKT_T_WORD) {
        pkt_error(error, ps->file, ps->tok.loc, "expected a system call name");
        return FALSE;
    }
    sc->name = g_steal_pointer(&ps->tok.text);
    sc->name_loc = ps->tok.loc;
    if (!pkt_parser_advance(ps, error)) {
        return FALSE;
    }
    if (!pkt_tok_is(&ps->tok, '(')) {
        pkt_error(error, ps->file, ps->tok.loc, "expected '(' after %s", sc->name);
        return FALSE;
    }
    struct pkt_expr holder = {0};
    if (!parse_items(ps, &holder, ')', error)) {
        if (holder.items) {
            g_ptr_array_free(holder.items, TRUE);
        }
        return FALSE;
    }
    sc->args = holder.items;
    if (!pkt_expect_punct(ps, '=', "and the expected result after the call", error)) {
        return FALSE;
    }
    if ((sc->result = pkt_parse_expr(ps, error)) == NULL) {
        return FALSE;
    }
    if (ps->tok.kind == PKT_T_WORD) {
        sc->errno_name = g_steal_pointer(&ps->tok.text);
        if (!pkt_parser_advance(ps, error)) {
            return FALSE;
        }
    }
    if (pkt_tok_is(&ps->tok, '(')) {
        return parse_note(ps, &sc->note, error);
    }
    return TRUE;
}
