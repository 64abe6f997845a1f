/* SPDX-License-Identifier: MIT */
/*
 * lex.c: tokens of a scenario file, each with its line and column.
 *
 * Entry points: scn_lex_init(), scn_lex_next(). A token is a word (anything up to white
 * space), a "string" with C escapes, a [FLAGS] group, or an end of line. `#` starts a
 * comment outside strings. Control bytes (but tab and carriage return) and bytes above
 * 0x7E in words, and control bytes and what is not UTF-8 in comments and strings, are
 * refused with their location, so binary garbage gets a clear error, not a guess; other
 * bytes come in strings through escapes (\x00). Comments and strings may hold UTF-8
 * text (a title in Chinese). A byte order mark gets its own message.
 */
#include <string.h>

#include "ast.h"

void
scn_lex_init(struct scn_lexer *lx, const char *file, const char *text, gsize len)
{
    lx->file = file;
    lx->p = text;
    lx->end = text + len;
    lx->line = 1;
    lx->line_start = text;
}

void
scn_tok_clear(struct scn_tok *tok)
{
    g_free(tok->text);
    tok->text = NULL;
}

static struct scn_loc
here(const struct scn_lexer *lx)
{
    return (struct scn_loc){lx->file, lx->line, (guint)(lx->p - lx->line_start) + 1};
}

static bool
is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* One character of a comment or a string at lx->p: printable ASCII, a tab, or a well
 * formed UTF-8 sequence. Its length in bytes, or 0 with `error` set. */
static gsize
text_char(struct scn_lexer *lx, GError **error)
{
    unsigned char c = (unsigned char)*lx->p;
    if (c >= 0x20 && c < 0x7F) {
        return 1;
    }
    if (c == '\t' || c == '\r') {
        return 1;
    }
    if (c >= 0x80) {
        gunichar u = g_utf8_get_char_validated(lx->p, lx->end - lx->p);
        if (u != (gunichar)-1 && u != (gunichar)-2 && u >= 0xA0) {
            return (gsize)(g_utf8_next_char(lx->p) - lx->p);
        }
    }
    struct scn_loc loc = here(lx);
    scn_error(error, &loc, "unexpected byte 0x%02x; scenario files are text%s", c,
              c >= 0x80 ? " (UTF-8)" : "");
    return 0;
}

static gboolean
check_line_length(struct scn_lexer *lx, GError **error)
{
    if ((gsize)(lx->p - lx->line_start) > SCN_MAX_LINE_BYTES) {
        struct scn_loc loc = {lx->file, lx->line, 1};
        scn_error(error, &loc, "line longer than %u bytes", SCN_MAX_LINE_BYTES);
        return FALSE;
    }
    return TRUE;
}

static int
hexval(char c)
{
    if (c >= '0' && c <= '9') {
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

/* One escape after a backslash; appends the byte, or fails. */
static gboolean
lex_escape(struct scn_lexer *lx, GString *out, GError **error)
{
    struct scn_loc loc = here(lx);
    loc.col--;
    char c = lx->p < lx->end ? *lx->p : '\0';
    lx->p++;
    switch (c) {
    case 'n':
        g_string_append_c(out, '\n');
        return TRUE;
    case 'r':
        g_string_append_c(out, '\r');
        return TRUE;
    case 't':
        g_string_append_c(out, '\t');
        return TRUE;
    case '0':
        g_string_append_c(out, '\0');
        return TRUE;
    case '\\':
    case '"':
        g_string_append_c(out, c);
        return TRUE;
    case 'x': {
        int hi = lx->p < lx->end ? hexval(lx->p[0]) : -1;
        int lo = lx->p + 1 < lx->end ? hexval(lx->p[1]) : -1;
        if (hi < 0 || lo < 0) {
            scn_error(error, &loc, "bad escape \\x; expected two hex digits, as in \\x0a");
            return FALSE;
        }
        g_string_append_c(out, (char)(hi << 4 | lo));
        lx->p += 2;
        return TRUE;
    }
    default:
        scn_error(error, &loc, "unknown escape; expected \\n, \\r, \\t, \\0, \\\\, \\\" or \\xHH");
        return FALSE;
    }
}

static gboolean
lex_string(struct scn_lexer *lx, struct scn_tok *tok, GError **error)
{
    GString *s = g_string_new(NULL);
    lx->p++; /* opening quote */
    while (lx->p < lx->end && *lx->p != '"') {
        if (*lx->p == '\n' || !check_line_length(lx, error)) {
            break;
        }
        if (*lx->p == '\\') {
            lx->p++;
            if (!lex_escape(lx, s, error)) {
                g_string_free(s, TRUE);
                return FALSE;
            }
            continue;
        }
        gsize n = text_char(lx, error);
        if (n == 0) {
            g_string_free(s, TRUE);
            return FALSE;
        }
        g_string_append_len(s, lx->p, (gssize)n);
        lx->p += n;
    }
    if (error != NULL && *error != NULL) {
        g_string_free(s, TRUE);
        return FALSE;
    }
    if (lx->p >= lx->end || *lx->p != '"') {
        scn_error(error, &tok->loc, "unterminated string; expected a closing \"");
        g_string_free(s, TRUE);
        return FALSE;
    }
    lx->p++;
    tok->kind = SCN_TOK_STRING;
    tok->len = s->len;
    tok->text = g_string_free(s, FALSE);
    return TRUE;
}

static gboolean
lex_word(struct scn_lexer *lx, struct scn_tok *tok, GError **error)
{
    const char *start = lx->p;
    bool flags = *lx->p == '[';
    while (lx->p < lx->end && !is_space(*lx->p) && *lx->p != '\n' && *lx->p != '#' &&
           *lx->p != '"') {
        unsigned char c = (unsigned char)*lx->p;
        if (!check_line_length(lx, error)) {
            return FALSE;
        }
        if (c < 0x20 || c > 0x7E) {
            struct scn_loc loc = here(lx);
            scn_error(error, &loc, "unexpected byte 0x%02x; scenario files are text", c);
            return FALSE;
        }
        lx->p++;
        if (flags && c == ']' && lx->p < lx->end && *lx->p == ':') {
            flags = false; /* [2001:db8::2]:80, an IPv6 address and a port: one word */
        } else if (flags && c == ']') {
            break;
        }
    }
    if (flags && lx->p[-1] != ']') {
        scn_error(error, &tok->loc, "unterminated flags; expected ] as in [S.]");
        return FALSE;
    }
    tok->kind = flags ? SCN_TOK_FLAGS : SCN_TOK_WORD;
    tok->len = (gsize)(lx->p - start);
    tok->text = g_strndup(start, tok->len);
    return TRUE;
}

gboolean
scn_lex_next(struct scn_lexer *lx, struct scn_tok *tok, GError **error)
{
    *tok = (struct scn_tok){0};
    if (lx->line == 1 && lx->p == lx->line_start && lx->end - lx->p >= 3 &&
        memcmp(lx->p, "\xEF\xBB\xBF", 3) == 0) {
        struct scn_loc loc = here(lx);
        scn_error(error, &loc, "the file begins with a UTF-8 byte order mark (bytes EF BB BF); "
                               "save it without one");
        return FALSE;
    }
    for (;;) {
        while (lx->p < lx->end && is_space(*lx->p)) {
            lx->p++;
        }
        if (lx->p < lx->end && *lx->p == '#') {
            while (lx->p < lx->end && *lx->p != '\n') {
                if (!check_line_length(lx, error)) {
                    return FALSE;
                }
                gsize n = text_char(lx, error);
                if (n == 0) {
                    return FALSE;
                }
                lx->p += n;
            }
        }
        if (!check_line_length(lx, error)) {
            return FALSE;
        }
        break;
    }
    tok->loc = here(lx);
    if (lx->p >= lx->end) {
        tok->kind = SCN_TOK_EOF;
        return TRUE;
    }
    if (*lx->p == '\n') {
        tok->kind = SCN_TOK_EOL;
        lx->p++;
        lx->line++;
        lx->line_start = lx->p;
        return TRUE;
    }
    if (*lx->p == '"') {
        return lex_string(lx, tok, error);
    }
    return lex_word(lx, tok, error);
}
