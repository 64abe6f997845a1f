/* SPDX-License-Identifier: MIT */
/*
 * pkt_ifdef.c: nplab's conditional blocks, so one script serves several stacks:
 *
 *     #ifdef Linux
 *     +0 > S. 0:0(0) ack 1 <mss 1460,nop,nop,sackOK,nop,wscale 7>
 *     #else
 *     +0 > S. 0:0(0) ack 1 <mss 1460,nop,wscale 6,sackOK,TS val 1 ecr 0>
 *     #endif
 *
 * Entry points: pkt_ifdef_directive(), pkt_ifdef_end(). A directive stands alone on
 * its line: `#ifdef NAME`, `#ifndef NAME`, `#else`, `#endif` (nplab's packetdrill knows
 * #ifdef and #endif; #ifndef, #else and nesting are the obvious extensions). NAME is
 * defined when the run defines it: the personality's stack name (`Linux` for linux, as
 * packetdrill defines the OS it runs on) and every `tcpsim pkt -D NAME`. The lines of a
 * block that is not read are skipped whole, never tokenized.
 */
#include <string.h>

#include "pkt_ast.h"

static bool
defined(const struct pkt_lexer *lx, const char *name, size_t n)
{
    for (const char *const *d = lx->defines; d && *d; d++) {
        if (strlen(*d) == n && strncmp(*d, name, n) == 0) {
            return true;
        }
    }
    return false;
}

static bool
reading(const struct pkt_lexer *lx)
{
    if (lx->if_depth == 0) {
        return true;
    }
    const struct pkt_if *b = &lx->ifs[lx->if_depth - 1];
    return b->outer && (b->seen_else ? !b->cond : b->cond);
}

static bool
is_name(char c)
{
    return g_ascii_isalnum(c) || c == '_';
}

static const char *
line_end(const struct pkt_lexer *lx)
{
    const char *q = memchr(lx->p, '\n', (size_t)(lx->end - lx->p));
    return q ? q : lx->end;
}

/* One directive line, lx->p at its `#`; lx->p ends at the line's newline. */
static gboolean
one(struct pkt_lexer *lx, GError **error)
{
    struct pkt_loc loc = {lx->line, (int)(lx->p - lx->line_start) + 1};
    const char *end = line_end(lx);
    const char *q = lx->p + 1;
    const char *word = q;
    while (q < end && is_name(*q)) {
        q++;
    }
    size_t wn = (size_t)(q - word);
    while (q < end && (*q == ' ' || *q == '\t')) {
        q++;
    }
    const char *name = q;
    while (q < end && is_name(*q)) {
        q++;
    }
    size_t nn = (size_t)(q - name);
    while (q < end && (*q == ' ' || *q == '\t' || *q == '\r')) {
        q++;
    }
    bool rest_ok = q == end || (q + 1 < end && q[0] == '/' && q[1] == '/');
    bool ifdef = wn == 5 && strncmp(word, "ifdef", 5) == 0;
    bool ifndef = wn == 6 && strncmp(word, "ifndef", 6) == 0;
    bool els = wn == 4 && strncmp(word, "else", 4) == 0;
    bool endif = wn == 5 && strncmp(word, "endif", 5) == 0;
    if (ifdef || ifndef) {
        if (nn == 0 || !rest_ok) {
            pkt_error(error, lx->file, loc, "#%.*s must be followed by one name", (int)wn, word);
            return FALSE;
        }
        if (lx->if_depth == PKT_MAX_IF_DEPTH) {
            pkt_error(error, lx->file, loc, "#ifdef blocks nested deeper than %d",
                      PKT_MAX_IF_DEPTH);
            return FALSE;
        }
        bool outer = reading(lx);
        lx->ifs[lx->if_depth++] = (struct pkt_if){
            .loc = loc, .cond = defined(lx, name, nn) != ifndef, .outer = outer};
    } else if (els || endif) {
        if (nn != 0 || !rest_ok) {
            pkt_error(error, lx->file, loc, "#%.*s takes nothing after it", (int)wn, word);
            return FALSE;
        }
        if (lx->if_depth == 0) {
            pkt_error(error, lx->file, loc, "#%s without an #ifdef", els ? "else" : "endif");
            return FALSE;
        }
        struct pkt_if *b = &lx->ifs[lx->if_depth - 1];
        if (els && b->seen_else) {
            pkt_error(error, lx->file, loc, "a second #else for the #ifdef of line %d",
                      b->loc.line);
            return FALSE;
        }
        if (els) {
            b->seen_else = true;
        } else {
            lx->if_depth--;
        }
    } else {
        pkt_error(error, lx->file, loc, "unknown directive \"#%.*s\" (expected #ifdef, "
                  "#ifndef, #else or #endif)", (int)(wn ? wn : 1), wn ? word : "#");
        return FALSE;
    }
    lx->p = end;
    return TRUE;
}

gboolean
pkt_ifdef_directive(struct pkt_lexer *lx, GError **error)
{
    if (!one(lx, error)) {
        return FALSE;
    }
    /* Skip the lines of a block not read, line by line, up to the directive that
     * ends it (nested directives are still followed). */
    while (!reading(lx) && lx->p < lx->end) {
        if (*lx->p == '\n') {
            lx->line++;
            lx->line_start = lx->p + 1;
            lx->p++;
        }
        const char *q = lx->p;
        while (q < lx->end && (*q == ' ' || *q == '\t')) {
            q++;
        }
        lx->p = q;
        if (q < lx->end && *q == '#') {
            if (!one(lx, error)) {
                return FALSE;
            }
        } else {
            lx->p = line_end(lx);
        }
    }
    return TRUE;
}

gboolean
pkt_ifdef_end(struct pkt_lexer *lx, GError **error)
{
    if (lx->if_depth > 0) {
        const struct pkt_if *b = &lx->ifs[lx->if_depth - 1];
        pkt_error(error, lx->file, b->loc, "#ifdef without #endif");
        return FALSE;
    }
    return TRUE;
}
