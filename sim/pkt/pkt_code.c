/* SPDX-License-Identifier: MIT */
/*
 * pkt_code.c: %{ python }% blocks: the small part of Python the suites use to check
 * tcp_info, evaluated at the block's time against the connection under test.
 *
 * Entry point: pkt_code_run(). packetdrill hands these blocks to a Python interpreter
 * with tcp_info's fields as variables (tcpi_snd_cwnd ...). tcpsim runs no Python; it
 * evaluates this subset itself:
 *
 *   statement := assert expr [, message] | print(...) | name (= | += | -=) expr
 *   expr      := or / and / not, comparisons (chained), + - * // %, unary -, ( ),
 *                numbers, names: tcp_info fields, TCP_CA_*, Linux's state names
 *                (TCP_ESTABLISHED ... TCP_CLOSING, for tcpi_state) and TCP_INFINITE_SSTHRESH,
 *                variables an earlier statement (of any block) assigned
 *
 * Statements end at a newline or ';'; '#' starts a comment. The message of an assert
 * and the arguments of print are skipped. A field tcpsim cannot compute faithfully
 * (tcpi_rcv_rtt, the chrono counters ...) or any other Python is
 * unsupported, found before the run by the same code (apply FALSE).
 */
#include <string.h>

#include "pkt_run.h"

enum ctok { C_END, C_EOF, C_NUM, C_NAME, C_OP, C_STR };

struct ctx {
    struct pkt_runner *r;
    bool apply;
    const char *p;
    const char *end;
    enum ctok kind;
    const char *tok_start; /* where the current token begins */
    char op[3];
    int64_t num;
    char name[64];
    char *error;
    bool unsupported;
    GString *seen; /* "tcpi_snd_cwnd = 7" for the failure message */
    int depth;
};

static void
fail(struct ctx *c, bool unsupported, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

static void
fail(struct ctx *c, bool unsupported, const char *fmt, ...)
{
    if (c->error != NULL) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    c->error = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    c->unsupported = unsupported;
}

static void
next(struct ctx *c)
{
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\r' ||
                             (*c->p == '\\' && c->p + 1 < c->end && c->p[1] == '\n'))) {
        c->p += *c->p == '\\' ? 2 : 1; /* a backslash continues the line */
    }
    if (c->p < c->end && *c->p == '#') {
        while (c->p < c->end && *c->p != '\n') {
            c->p++;
        }
    }
    c->tok_start = c->p;
    if (c->p >= c->end) {
        c->kind = C_EOF;
        return;
    }
    char ch = *c->p;
    if (ch == '\n' || ch == ';') {
        c->p++;
        c->kind = C_END;
    } else if (g_ascii_isdigit(ch)) {
        const char *s = c->p;
        while (c->p < c->end && g_ascii_isalnum(*c->p)) {
            c->p++;
        }
        g_autofree char *t = g_strndup(s, (size_t)(c->p - s));
        guint64 v = 0;
        bool hex = t[0] == '0' && (t[1] == 'x' || t[1] == 'X');
        if (!g_ascii_string_to_unsigned(hex ? t + 2 : t, hex ? 16 : 10, 0, INT64_MAX, &v, NULL)) {
            fail(c, true, "Python number \"%s\"", t);
        }
        c->kind = C_NUM;
        c->num = (int64_t)v;
    } else if (g_ascii_isalpha(ch) || ch == '_') {
        size_t n = 0;
        while (c->p < c->end && (g_ascii_isalnum(*c->p) || *c->p == '_')) {
            if (n + 1 < sizeof c->name) {
                c->name[n++] = *c->p;
            }
            c->p++;
        }
        c->name[n] = '\0';
        c->kind = C_NAME;
    } else if (ch == '\'' || ch == '"') {
        c->p++;
        while (c->p < c->end && *c->p != ch && *c->p != '\n') {
            c->p++;
        }
        c->p += c->p < c->end && *c->p == ch;
        c->kind = C_STR;
    } else {
        static const char *const two[] = {"==", "!=", "<=", ">=", "//", "+=", "-="};
        c->kind = C_OP;
        c->op[0] = ch;
        c->op[1] = '\0';
        for (size_t i = 0; i < G_N_ELEMENTS(two); i++) {
            if (c->p + 1 < c->end && two[i][0] == ch && two[i][1] == c->p[1]) {
                c->op[1] = c->p[1];
                c->op[2] = '\0';
            }
        }
        c->p += strlen(c->op);
    }
}

static bool
is_op(const struct ctx *c, const char *op)
{
    return c->kind == C_OP && strcmp(c->op, op) == 0;
}

static bool
is_name(const struct ctx *c, const char *n)
{
    return c->kind == C_NAME && strcmp(c->name, n) == 0;
}

/* --- tcp_info -------------------------------------------------------------------- */

static int64_t
segs(uint64_t bytes, uint32_t mss)
{
    return mss ? (int64_t)((bytes + mss - 1) / mss) : 0;
}

static const char *const fields[] = {
    "snd_cwnd", "snd_ssthresh", "ca_state", "unacked", "sacked", "reordering", "snd_mss",
    "advmss", "backoff", "probes", "retransmits", "rto", "rtt", "rttvar", "min_rtt",
    "lost", "retrans", "reord_seen", "state",
};

/* Linux's numbering of the states (include/net/tcp_states.h), which tcpi_state reports. */
static int64_t
linux_state(enum tcp_state s)
{
    static const int64_t num[TCP_NSTATES] = {
        [TCP_ESTABLISHED] = 1, [TCP_SYN_SENT] = 2, [TCP_SYN_RECEIVED] = 3,
        [TCP_FIN_WAIT_1] = 4,  [TCP_FIN_WAIT_2] = 5, [TCP_TIME_WAIT] = 6,
        [TCP_CLOSED] = 7,      [TCP_CLOSE_WAIT] = 8, [TCP_LAST_ACK] = 9,
        [TCP_LISTEN] = 10,     [TCP_CLOSING] = 11,
    };
    return num[s];
}

/* Linux: tcp_get_info(), for the fields tcpsim can compute faithfully. */
static bool
field(struct ctx *c, const char *name, int64_t *v)
{
    size_t k = 0;
    while (k < G_N_ELEMENTS(fields) && strcmp(fields[k], name + 5) != 0) {
        k++;
    }
    *v = 0;
    if (k == G_N_ELEMENTS(fields)) {
        return false;
    }
    struct tcp_tcb *t = c->apply ? pkt_tcb_under_test(c->r) : NULL;
    if (t == NULL) {
        if (c->apply) {
            fail(c, false, "%s: no connection under test", name);
        }
        return true;
    }
    uint32_t mss = t->mss ? t->mss : t->adv_mss;
    uint32_t flight = seq_diff(t->snd_max, t->snd_una);
    const char *n = name + 5;
    if (t->stack->sysctl.personality == TCP_PERSONALITY_FREEBSD &&
        (strcmp(n, "snd_cwnd") == 0 || strcmp(n, "snd_ssthresh") == 0)) {
        /* FreeBSD: tcp_fill_info() reports snd_cwnd and snd_ssthresh in bytes (Linux
         * in segments); an ssthresh never set is TCP_MAXWIN << TCP_MAX_WINSHIFT. */
        uint32_t v32 = n[4] == 'c' ? t->cc.cwnd : t->cc.ssthresh;
        *v = v32 >= 0x7FFFFFFFu ? (int64_t)65535 << 14 : v32;
        return true;
    }
    if (strcmp(n, "snd_cwnd") == 0) {
        *v = mss ? t->cc.cwnd / mss : 0;
    } else if (strcmp(n, "snd_ssthresh") == 0) {
        *v = t->cc.ssthresh >= 0x7FFFFFFFu ? 0x7FFFFFFF : (mss ? t->cc.ssthresh / mss : 0);
    } else if (strcmp(n, "ca_state") == 0) {
        /* Open 0, Disorder 1 (SACKed, lost or resent data out), Recovery 3, Loss 4 (an RTO
         * until what was out then is acknowledged). */
        bool loss = t->retransmits > 0 || t->undo.in_loss || (t->rack != NULL && t->rack->in_loss);
        *v = t->in_recovery ? 3 : loss ? 4
             : (t->dupacks > 0 || tcp_sack_bytes(t) > 0 || tcp_rack_disorder(t)) ? 1 : 0;
    } else if (strcmp(n, "unacked") == 0) {
        *v = segs(flight, mss);
    } else if (strcmp(n, "sacked") == 0) {
        *v = segs(tcp_sack_bytes(t), mss);
    } else if (strcmp(n, "reordering") == 0) {
        /* RACK adapts it to the reordering it sees (tcp_rack.c); RFC 6675 does not. */
        *v = t->rack != NULL ? t->rack->reordering : t->stack->sysctl.tcp_reordering;
    } else if (strcmp(n, "snd_mss") == 0) {
        *v = mss;
    } else if (strcmp(n, "advmss") == 0) {
        *v = t->adv_mss;
    } else if (strcmp(n, "backoff") == 0) {
        *v = t->backoff;
    } else if (strcmp(n, "probes") == 0) {
        *v = t->probes_out;
    } else if (strcmp(n, "retransmits") == 0) {
        *v = t->retransmits;
    } else if (strcmp(n, "rto") == 0) {
        *v = tcp_rto_current(t) / 1000;
    } else if (strcmp(n, "rtt") == 0) {
        *v = t->srtt / 1000;
    } else if (strcmp(n, "rttvar") == 0) {
        *v = t->rttvar / 1000;
    } else if (strcmp(n, "min_rtt") == 0) {
        *v = t->cc.min_rtt / 1000;
    } else if (strcmp(n, "lost") == 0) {
        /* Linux lost_out, retrans_out, reord_seen: what RACK's record holds (tcp_rack.c);
         * 0 when RACK-TLP is off (Linux would count RFC 6675's marks). */
        *v = tcp_rack_count(t, TCP_TXREC_LOST);
    } else if (strcmp(n, "retrans") == 0) {
        *v = tcp_rack_count(t, TCP_TXREC_RETRANS);
    } else if (strcmp(n, "state") == 0) {
        *v = linux_state(t->state);
    } else if (strcmp(n, "reord_seen") == 0) {
        *v = t->rack != NULL ? t->rack->reord_seen : 0;
    } else {
        return false;
    }
    return true;
}

static int64_t
value_of(struct ctx *c, const char *name)
{
    int64_t v = 0;
    if (strncmp(name, "tcpi_", 5) == 0) {
        if (!field(c, name, &v)) {
            fail(c, true, "tcp_info field %s (tcpsim does not compute it)", name);
        }
        if (c->apply) {
            g_string_append_printf(c->seen, "%s%s = %" G_GINT64_FORMAT,
                                   c->seen->len ? ", " : "", name, v);
        }
        return v;
    }
    if (strcmp(name, "True") == 0 || strcmp(name, "False") == 0) {
        return name[0] == 'T';
    }
    if (pkt_symbol(name, &v)) {
        return v;
    }
    const int64_t *var = g_hash_table_lookup(c->r->vars, name);
    if (var == NULL && c->apply) {
        fail(c, false, "Python name %s is not defined", name);
    }
    return var ? *var : 0;
}

/* --- expressions ----------------------------------------------------------------- */

static int64_t expr_or(struct ctx *c);

static int64_t
primary(struct ctx *c)
{
    if (c->error) {
        return 0;
    }
    if (c->kind == C_NUM) {
        int64_t v = c->num;
        next(c);
        return v;
    }
    if (c->kind == C_NAME && !is_name(c, "and") && !is_name(c, "or") && !is_name(c, "not")) {
        char name[64];
        g_strlcpy(name, c->name, sizeof name);
        next(c);
        if (is_op(c, "(") || is_op(c, "[") || is_op(c, ".")) {
            fail(c, true, "Python calls, indexing and attributes (%s%s)", name, c->op);
            return 0;
        }
        return value_of(c, name);
    }
    if (is_op(c, "(")) {
        if (++c->depth > 32) {
            fail(c, true, "Python expression nested too deep");
            return 0;
        }
        next(c);
        int64_t v = expr_or(c);
        c->depth--;
        if (!is_op(c, ")")) {
            fail(c, true, "Python expression: expected ')'");
        }
        next(c);
        return v;
    }
    if (is_op(c, "-")) {
        next(c);
        return -primary(c);
    }
    fail(c, true, "Python expression (%s)", c->kind == C_STR ? "strings" : "this syntax");
    return 0;
}

static int64_t
product(struct ctx *c)
{
    int64_t v = primary(c);
    while (!c->error && (is_op(c, "*") || is_op(c, "//") || is_op(c, "%") || is_op(c, "/"))) {
        char op[3];
        g_strlcpy(op, c->op, sizeof op);
        next(c);
        int64_t w = primary(c);
        if (op[0] == '*') {
            v *= w;
        } else if (w == 0) {
            if (c->apply) {
                fail(c, false, "division by zero");
            }
        } else if (op[0] == '%') {
            v %= w;
        } else if (op[1] == '/' || v % w == 0) {
            v /= w;
        } else {
            fail(c, true, "Python division with a fraction");
        }
    }
    return v;
}

static int64_t
sum(struct ctx *c)
{
    int64_t v = product(c);
    while (!c->error && (is_op(c, "+") || is_op(c, "-"))) {
        bool add = c->op[0] == '+';
        next(c);
        int64_t w = product(c);
        v = add ? v + w : v - w;
    }
    return v;
}

static int64_t
comparison(struct ctx *c)
{
    int64_t left = sum(c);
    int64_t result = 1;
    bool any = false;
    static const char *const ops[] = {"==", "!=", "<", "<=", ">", ">="};
    for (;;) {
        size_t i = 0;
        while (i < G_N_ELEMENTS(ops) && !is_op(c, ops[i])) {
            i++;
        }
        if (i == G_N_ELEMENTS(ops) || c->error) {
            return any ? result : left;
        }
        next(c);
        int64_t right = sum(c);
        bool ok = i == 0 ? left == right : i == 1 ? left != right : i == 2 ? left < right
                  : i == 3 ? left <= right : i == 4 ? left > right : left >= right;
        result = result && ok;
        left = right;
        any = true;
    }
}

static int64_t
negation(struct ctx *c)
{
    if (is_name(c, "not")) {
        next(c);
        return !negation(c);
    }
    return comparison(c);
}

static int64_t
expr_and(struct ctx *c)
{
    int64_t v = negation(c);
    while (!c->error && is_name(c, "and")) {
        next(c);
        int64_t w = negation(c);
        v = v && w;
    }
    return v;
}

static int64_t
expr_or(struct ctx *c)
{
    int64_t v = expr_and(c);
    while (!c->error && is_name(c, "or")) {
        next(c);
        int64_t w = expr_and(c);
        v = v || w;
    }
    return v;
}

/* --- statements ------------------------------------------------------------------ */

static void
skip_statement(struct ctx *c)
{
    while (c->kind != C_END && c->kind != C_EOF) {
        next(c);
    }
}

static void
assignment(struct ctx *c, const char *name)
{
    char op[3];
    g_strlcpy(op, c->op, sizeof op);
    next(c);
    int64_t v = expr_or(c);
    if (c->error || !c->apply) {
        return;
    }
    int64_t *var = g_hash_table_lookup(c->r->vars, name);
    if (var == NULL && op[0] != '=') {
        fail(c, false, "Python name %s is not defined", name);
        return;
    }
    if (var == NULL) {
        var = g_new0(int64_t, 1);
        g_hash_table_insert(c->r->vars, g_strdup(name), var);
    }
    *var = op[0] == '+' ? *var + v : op[0] == '-' ? *var - v : v;
}

static void
statement(struct ctx *c)
{
    if (is_name(c, "assert")) {
        next(c);
        const char *start = c->tok_start;
        g_string_truncate(c->seen, 0);
        int64_t ok = expr_or(c);
        if (!c->error && c->apply && !ok) {
            g_autofree char *text = g_strstrip(g_strndup(start, (size_t)(c->tok_start - start)));
            fail(c, false, "assert %s failed (%s)", text, c->seen->str);
        }
        if (is_op(c, ",")) {
            skip_statement(c);
        }
    } else if (is_name(c, "print")) {
        skip_statement(c);
    } else if (c->kind == C_NAME && strncmp(c->name, "tcpi_", 5) != 0) {
        char name[64];
        g_strlcpy(name, c->name, sizeof name);
        next(c);
        if (is_op(c, "=") || is_op(c, "+=") || is_op(c, "-=")) {
            assignment(c, name);
        } else {
            fail(c, true, "Python statement \"%s ...\"", name);
        }
    } else {
        fail(c, true, "this Python statement");
    }
    if (!c->error && c->kind != C_END && c->kind != C_EOF) {
        fail(c, true, "Python statement with more after it");
    }
}

char *
pkt_code_run(struct pkt_runner *r, const char *text, bool apply, bool *unsupported)
{
    struct ctx c = {.r = r, .apply = apply, .p = text, .end = text + strlen(text)};
    c.seen = g_string_new(NULL);
    next(&c);
    while (c.kind != C_EOF && c.error == NULL) {
        if (c.kind == C_END) {
            next(&c);
            continue;
        }
        statement(&c);
    }
    g_string_free(c.seen, TRUE);
    *unsupported = c.unsupported;
    return c.error;
}
