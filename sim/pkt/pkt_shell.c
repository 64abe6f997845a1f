/* SPDX-License-Identifier: MIT */
/*
 * pkt_shell.c: the little of the shell that a script's `commands` need before tcpsim
 * reads them: arithmetic expansion `$((...))` (the Google suite's defaults.sh writes
 * `$((15*1024*1024))`) and redirections that only silence a command.
 *
 * Entry points: pkt_shell_expand(), pkt_shell_strip_quiet().
 */
#include <string.h>

#include "pkt_run.h"

/* A recursive-descent reader of shell arithmetic on non-negative 64-bit integers:
 * + - * / % and parentheses. Anything else, an overflow or a division by zero is an
 * error (the command is then reported as not understood). */
struct arith {
    const char *p;
    bool bad;
};

static void
skip_blank(struct arith *a)
{
    while (*a->p == ' ' || *a->p == '\t') {
        a->p++;
    }
}

static int64_t sum(struct arith *a);

static int64_t
factor(struct arith *a)
{
    skip_blank(a);
    if (*a->p == '(') {
        a->p++;
        int64_t v = sum(a);
        skip_blank(a);
        if (*a->p != ')') {
            a->bad = true;
            return 0;
        }
        a->p++;
        return v;
    }
    if (*a->p < '0' || *a->p > '9') {
        a->bad = true;
        return 0;
    }
    int64_t v = 0;
    while (*a->p >= '0' && *a->p <= '9') {
        if (v > (INT64_MAX - 9) / 10) {
            a->bad = true;
            return 0;
        }
        v = v * 10 + (*a->p++ - '0');
    }
    return v;
}

static int64_t
product(struct arith *a)
{
    int64_t v = factor(a);
    for (;;) {
        skip_blank(a);
        char op = *a->p;
        if (a->bad || (op != '*' && op != '/' && op != '%')) {
            return v;
        }
        a->p++;
        int64_t w = factor(a);
        if (op == '*') {
            if (w != 0 && v > INT64_MAX / w) {
                a->bad = true;
                return 0;
            }
            v *= w;
        } else if (w == 0) {
            a->bad = true;
            return 0;
        } else {
            v = op == '/' ? v / w : v % w;
        }
    }
}

static int64_t
sum(struct arith *a)
{
    int64_t v = product(a);
    for (;;) {
        skip_blank(a);
        char op = *a->p;
        if (a->bad || (op != '+' && op != '-')) {
            return v;
        }
        a->p++;
        int64_t w = product(a);
        if (op == '+' ? v > INT64_MAX - w : v < INT64_MIN + w) {
            a->bad = true;
            return 0;
        }
        v = op == '+' ? v + w : v - w;
    }
}

char *
pkt_shell_expand(const char *text)
{
    GString *out = g_string_new(NULL);
    const char *p = text;
    const char *open;
    while ((open = strstr(p, "$((")) != NULL) {
        const char *close = strstr(open, "))");
        if (close == NULL) {
            break;
        }
        g_autofree char *expr = g_strndup(open + 3, (gsize)(close - open - 3));
        struct arith a = {.p = expr};
        int64_t v = sum(&a);
        skip_blank(&a);
        g_string_append_len(out, p, open - p);
        if (a.bad || *a.p != '\0') {
            g_string_append_len(out, open, close + 2 - open); /* left as written */
        } else {
            g_string_append_printf(out, "%" G_GINT64_FORMAT, v);
        }
        p = close + 2;
    }
    g_string_append(out, p);
    return g_string_free(out, FALSE);
}

static bool
is_quiet(const char *a)
{
    return strcmp(a, "2>&1") == 0 || strcmp(a, ">/dev/null") == 0 ||
           strcmp(a, "1>/dev/null") == 0 || strcmp(a, "2>/dev/null") == 0 ||
           strcmp(a, "&>/dev/null") == 0;
}

static bool
is_quiet_op(const char *a)
{
    return strcmp(a, ">") == 0 || strcmp(a, "1>") == 0 || strcmp(a, "2>") == 0 ||
           strcmp(a, "&>") == 0;
}

void
pkt_shell_strip_quiet(char **argv)
{
    size_t n = g_strv_length(argv);
    for (;;) {
        size_t drop = 0;
        if (n >= 1 && is_quiet(argv[n - 1])) {
            drop = 1;
        } else if (n >= 2 && strcmp(argv[n - 1], "/dev/null") == 0 &&
                   is_quiet_op(argv[n - 2])) {
            drop = 2;
        }
        if (drop == 0) {
            return;
        }
        while (drop-- > 0) {
            n--;
            g_free(argv[n]);
            argv[n] = NULL;
        }
    }
}
