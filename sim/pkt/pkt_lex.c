/* SPDX-License-Identifier: MIT */
/*
 * pkt_lex.c: the tokens of a packetdrill script, each with its line and column.
 *
 * Entry points: pkt_lex_init(), pkt_lex_next(). White space (newlines included) only
 * separates tokens: packetdrill's grammar is free-form, and one event may span lines.
 * Comments are // to the end of the line and C-style blocks. A number with a fraction is
 * kept as text so times convert to nanoseconds exactly. `shell` commands and %{ code }%
 * blocks are taken raw. Anything else that is not a token (control bytes, bytes above
 * 0x7E outside strings) is refused with its location, so a hostile file gets a clear
 * error; every token has a size limit.
 */
#include <string.h>

#include "pkt_ast.h"

G_DEFINE_QUARK(tcpsim-pkt-error-quark, tcpsim_pkt_error)

static void
located(GError **error, int code, const char *file, struct pkt_loc loc, const char *kind,
        const char *fmt, va_list ap)
{
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);
    g_set_error(error, TCPSIM_PKT_ERROR, code, "%s:%d:%d: %s: %s", file, loc.line, loc.col,
                kind, msg);
}

void
pkt_error(GError **error, const char *file, struct pkt_loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    located(error, TCPSIM_PKT_ERROR_SYNTAX, file, loc, "error", fmt, ap);
    va_end(ap);
}

void
pkt_unsupported(GError **error, const char *file, struct pkt_loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    located(error, TCPSIM_PKT_ERROR_UNSUPPORTED, file, loc, "unsupported", fmt, ap);
    va_end(ap);
}

void
pkt_lex_init(struct pkt_lexer *lx, const char *file, const char *text, size_t len)
{
    lx->file = file;
    lx->p = text;
    lx->end = text + len;
    lx->line = 1;
    lx->line_start = text;
}

void
pkt_tok_clear(struct pkt_tok *tok)
{
    g_free(tok->text);
    *tok = (struct pkt_tok){0};
}

static struct pkt_loc
here(const struct pkt_lexer *lx)
{
    return (struct pkt_loc){lx->line, (int)(lx->p - lx->line_start) + 1};
}

static bool
at(const struct pkt_lexer *lx, size_t i, char c)
{
    return lx->p + i < lx->end && lx->p[i] == c;
}

static bool
is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool
is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool
digit_at(const struct pkt_lexer *lx, size_t i)
{
    return lx->p + i < lx->end && is_digit(lx->p[i]);
}

static void
newline(struct pkt_lexer *lx)
{
    lx->line++;
    lx->line_start = lx->p + 1;
}

/* Only blanks stand before lx->p on its line. */
static bool
blank_before(const struct pkt_lexer *lx)
{
    for (const char *q = lx->line_start; q < lx->p; q++) {
        if (*q != ' ' && *q != '\t') {
            return false;
        }
    }
    return true;
}

/* Skips white space, comments and #ifdef blocks that are not read; FALSE on an
 * unterminated block comment or a bad directive. */
static gboolean
skip_space(struct pkt_lexer *lx, GError **error)
{
    while (lx->p < lx->end) {
        char c = *lx->p;
        if (c == '\n') {
            newline(lx);
            lx->p++;
        } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
            lx->p++;
        } else if (c == '/' && at(lx, 1, '/')) {
            while (lx->p < lx->end && *lx->p != '\n') {
                lx->p++;
            }
        } else if (c == '#' && blank_before(lx)) {
            if (!pkt_ifdef_directive(lx, error)) {
                return FALSE;
            }
        } else if (c == '/' && at(lx, 1, '*')) {
            struct pkt_loc loc = here(lx);
            lx->p += 2;
            while (lx->p < lx->end && !(*lx->p == '*' && at(lx, 1, '/'))) {
                if (*lx->p == '\n') {
                    newline(lx);
                }
                lx->p++;
            }
            if (lx->p >= lx->end) {
                pkt_error(error, lx->file, loc, "unterminated /* comment");
                return FALSE;
            }
            lx->p += 2;
        } else {
            break;
        }
    }
    return TRUE;
}

static gboolean
lex_number(struct pkt_lexer *lx, struct pkt_tok *tok, GError **error)
{
    const char *start = lx->p;
    if (*lx->p == '0' && (at(lx, 1, 'x') || at(lx, 1, 'X'))) {
        lx->p += 2;
        while (lx->p < lx->end && g_ascii_isxdigit(*lx->p)) {
            lx->p++;
        }
    } else {
        int groups = 1;
        while (lx->p < lx->end && is_digit(*lx->p)) {
            lx->p++;
        }
        /* A fraction only when a digit follows the dot: "0...0.2" is 0, ..., 0.2. */
        while (at(lx, 0, '.') && digit_at(lx, 1) && groups < 4) {
            lx->p++;
            groups++;
            while (lx->p < lx->end && is_digit(*lx->p)) {
                lx->p++;
            }
        }
        if (groups == 2 || (groups == 1 && *start == '.')) {
            tok->kind = PKT_T_FLOAT;
        } else if (groups == 4) {
            tok->kind = PKT_T_IPV4;
        } else if (groups == 3) {
            pkt_error(error, lx->file, tok->loc, "malformed number \"%.*s\"",
                      (int)(lx->p - start), start);
            return FALSE;
        }
    }
    size_t n = (size_t)(lx->p - start);
    if (n > 64) {
        pkt_error(error, lx->file, tok->loc, "number longer than 64 characters");
        return FALSE;
    }
    tok->text = g_strndup(start, n);
    if (tok->kind != PKT_T_INT) {
        return TRUE;
    }
    guint64 v = 0;
    gboolean hex = n > 2 && (start[1] == 'x' || start[1] == 'X');
    if (!g_ascii_string_to_unsigned(hex ? tok->text + 2 : tok->text, hex ? 16 : 10, 0,
                                    G_MAXUINT64, &v, NULL)) {
        pkt_error(error, lx->file, tok->loc, "bad number \"%s\"", tok->text);
        return FALSE;
    }
    tok->num = v;
    return TRUE;
}

static int
hexval(char c)
{
    if (is_digit(c)) {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

static gboolean
lex_string(struct pkt_lexer *lx, struct pkt_tok *tok, GError **error)
{
    g_autoptr(GString) s = g_string_new(NULL);
    lx->p++; /* the opening quote */
    while (lx->p < lx->end && *lx->p != '"') {
        char c = *lx->p++;
        if (c == '\n') {
            pkt_error(error, lx->file, tok->loc, "string not closed on its line");
            return FALSE;
        }
        if (c == '\\' && lx->p < lx->end) {
            char e = *lx->p++;
            int hi = lx->p + 1 < lx->end ? hexval(lx->p[0]) : -1;
            int lo = lx->p + 1 < lx->end ? hexval(lx->p[1]) : -1;
            switch (e) {
            case 'n': c = '\n'; break;
            case 't': c = '\t'; break;
            case 'r': c = '\r'; break;
            case '0': c = '\0'; break;
            case '\\': case '"': case '\'': c = e; break;
            case 'x':
                if (hi < 0 || lo < 0) {
                    pkt_error(error, lx->file, tok->loc, "\\x needs two hex digits");
                    return FALSE;
                }
                c = (char)(hi * 16 + lo);
                lx->p += 2;
                break;
            default:
                pkt_error(error, lx->file, tok->loc, "unknown escape \\%c in string", e);
                return FALSE;
            }
        }
        if (s->len >= PKT_MAX_TOKEN_BYTES) {
            pkt_error(error, lx->file, tok->loc, "string longer than %u bytes",
                      PKT_MAX_TOKEN_BYTES);
            return FALSE;
        }
        g_string_append_c(s, c);
    }
    if (lx->p >= lx->end) {
        pkt_error(error, lx->file, tok->loc, "unterminated string");
        return FALSE;
    }
    lx->p++;
    tok->kind = PKT_T_STRING;
    tok->text = g_string_free(g_steal_pointer(&s), FALSE);
    return TRUE;
}

/* Raw text up to `close` (one or two characters), across lines: commands and code. */
static gboolean
lex_raw(struct pkt_lexer *lx, struct pkt_tok *tok, const char *close, size_t max,
        const char *what, GError **error)
{
    size_t cl = strlen(close);
    const char *start = lx->p;
    while (lx->p < lx->end && !((size_t)(lx->end - lx->p) >= cl && memcmp(lx->p, close, cl) == 0)) {
        if (*lx->p == '\n') {
            newline(lx);
        }
        lx->p++;
        if ((size_t)(lx->p - start) > max) {
            pkt_error(error, lx->file, tok->loc, "%s longer than %zu bytes", what, max);
            return FALSE;
        }
    }
    if (lx->p >= lx->end) {
        pkt_error(error, lx->file, tok->loc, "unterminated %s", what);
        return FALSE;
    }
    tok->text = g_strndup(start, (size_t)(lx->p - start));
    lx->p += cl;
    return TRUE;
}

static gboolean
lex_word(struct pkt_lexer *lx, struct pkt_tok *tok, bool option, GError **error)
{
    const char *start = lx->p;
    while (lx->p < lx->end && (is_alpha(*lx->p) || is_digit(*lx->p) || (option && *lx->p == '-'))) {
        lx->p++;
    }
    if (lx->p - start > 128) {
        pkt_error(error, lx->file, tok->loc, "name longer than 128 characters");
        return FALSE;
    }
    tok->text = g_strndup(start, (size_t)(lx->p - start));
    return TRUE;
}

gboolean
pkt_lex_next(struct pkt_lexer *lx, struct pkt_tok *tok, GError **error)
{
    *tok = (struct pkt_tok){0};
    if (!skip_space(lx, error)) {
        return FALSE;
    }
    tok->loc = here(lx);
    if (lx->p >= lx->end) {
        tok->kind = PKT_T_EOF;
        return pkt_ifdef_end(lx, error);
    }
    char c = *lx->p;
    if (is_digit(c) || (c == '.' && digit_at(lx, 1))) {
        tok->kind = PKT_T_INT;
        return lex_number(lx, tok, error);
    }
    if (is_alpha(c)) {
        tok->kind = PKT_T_WORD;
        return lex_word(lx, tok, false, error);
    }
    if (c == '-' && at(lx, 1, '-') && lx->p + 2 < lx->end && is_alpha(lx->p[2])) {
        lx->p += 2;
        tok->kind = PKT_T_OPTION;
        return lex_word(lx, tok, true, error);
    }
    if (c == '"') {
        return lex_string(lx, tok, error);
    }
    if (c == '`') {
        lx->p++;
        tok->kind = PKT_T_COMMAND;
        return lex_raw(lx, tok, "`", PKT_MAX_TOKEN_BYTES, "`command`", error);
    }
    if (c == '%' && at(lx, 1, '{')) {
        lx->p += 2;
        tok->kind = PKT_T_CODE;
        return lex_raw(lx, tok, "}%", PKT_MAX_CODE_BYTES, "%{ code }% block", error);
    }
    if (c == '.' && at(lx, 1, '.')) {
        if (!at(lx, 2, '.')) {
            pkt_error(error, lx->file, tok->loc, "\"..\" is not a token; did you mean \"...\"?");
            return FALSE;
        }
        lx->p += 3;
        tok->kind = PKT_T_ELLIPSIS;
        return TRUE;
    }
    if (strchr("()[]{}<>,:=|+-*~;./'!&", c) != NULL) {
        lx->p++;
        tok->kind = PKT_T_PUNCT;
        tok->punct = c;
        return TRUE;
    }
    if (g_ascii_isprint(c)) {
        pkt_error(error, lx->file, tok->loc, "unexpected character '%c'", c);
    } else {
        pkt_error(error, lx->file, tok->loc, "unexpected byte 0x%02x", (unsigned char)c);
    }
    return FALSE;
}
