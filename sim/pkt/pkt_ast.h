/* SPDX-License-Identifier: MIT */
/*
 * pkt_ast.h: a packetdrill script, lexed and parsed (private to sim/pkt).
 *
 *   pkt_lex.c           tokens with line and column
 *   pkt_parse.c         header options, events, times, commands, code blocks
 *   pkt_parse_packet.c  `<` and `>` segments: flags, sequence, ack, window, options
 *   pkt_parse_expr.c    system calls and their argument expressions
 *   pkt_check.c         what tcpsim can run: every unsupported construct, located
 *
 * Times are integer nanoseconds, parsed from the decimal text without floating point.
 * Everything has a hard size limit, so a hostile file gets an error, not a crash.
 */
#ifndef TCPSIM_PKT_AST_H
#define TCPSIM_PKT_AST_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <tcpsim/pkt.h>

#include "../engine/time.h"
#include "../wire/seg.h"

#define PKT_MAX_FILE_BYTES (1u << 20)
#define PKT_MAX_TOKEN_BYTES 4096u
#define PKT_MAX_CODE_BYTES (64u * 1024u)
#define PKT_MAX_EVENTS 100000u
#define PKT_MAX_EXPR_DEPTH 16
#define PKT_MAX_LIST_ITEMS 256u
#define PKT_MAX_TIME SEC(1000000) /* a script longer than 11 days of virtual time is refused */

struct pkt_loc {
    int line;
    int col;
};

enum pkt_tok_kind {
    PKT_T_EOF,
    PKT_T_INT,      /* decimal or 0x hex; `num` */
    PKT_T_FLOAT,    /* digits with a fraction: `text` kept for exact times */
    PKT_T_IPV4,     /* 192.0.2.1 */
    PKT_T_WORD,     /* identifier */
    PKT_T_OPTION,   /* --name (the text without the dashes) */
    PKT_T_STRING,   /* "..." unescaped into `text` */
    PKT_T_COMMAND,  /* `...` */
    PKT_T_CODE,     /* %{ ... }% */
    PKT_T_ELLIPSIS, /* ... */
    PKT_T_PUNCT,    /* one character: ( ) [ ] { } < > , : = | + - * ~ ; . / ' ! */
};

struct pkt_tok {
    enum pkt_tok_kind kind;
    struct pkt_loc loc;
    char punct;
    uint64_t num;
    char *text; /* FLOAT, IPV4, WORD, OPTION, STRING, COMMAND, CODE; INT: as written */
};

#define PKT_MAX_IF_DEPTH 8

/* An open #ifdef / #ifndef block (nplab's dialect): whether its lines are read. */
struct pkt_if {
    struct pkt_loc loc;
    bool cond;      /* the condition held */
    bool outer;     /* the enclosing block's lines are read */
    bool seen_else;
};

struct pkt_lexer {
    const char *file;
    const char *p;
    const char *end;
    const char *line_start;
    int line;
    const char *const *defines; /* names #ifdef tests, NULL-terminated (may be NULL) */
    struct pkt_if ifs[PKT_MAX_IF_DEPTH];
    int if_depth;
};

void pkt_lex_init(struct pkt_lexer *lx, const char *file, const char *text, size_t len);

/* pkt_ifdef.c: a `#` directive at the start of a line (lx->p at the `#`), and every
 * line of a block that is not read after it; FALSE with a located error. At the end of
 * the text, pkt_ifdef_end() reports a block left open. */
gboolean pkt_ifdef_directive(struct pkt_lexer *lx, GError **error);
gboolean pkt_ifdef_end(struct pkt_lexer *lx, GError **error);
/* The next token; FALSE with a located syntax error. */
gboolean pkt_lex_next(struct pkt_lexer *lx, struct pkt_tok *tok, GError **error);
void pkt_tok_clear(struct pkt_tok *tok);

/* "file:line:col: error: ..." (TCPSIM_PKT_ERROR_SYNTAX) */
void pkt_error(GError **error, const char *file, struct pkt_loc loc, const char *fmt, ...)
    G_GNUC_PRINTF(4, 5);
/* "file:line:col: unsupported: ..." (TCPSIM_PKT_ERROR_UNSUPPORTED) */
void pkt_unsupported(GError **error, const char *file, struct pkt_loc loc, const char *fmt, ...)
    G_GNUC_PRINTF(4, 5);

/* --- the syntax tree ------------------------------------------------------------- */

enum pkt_time_kind {
    PKT_TIME_ABS,       /* 0.100 */
    PKT_TIME_REL,       /* +0.100: after the previous event's start */
    PKT_TIME_ANY,       /* * : outbound segments only */
    PKT_TIME_ABS_RANGE, /* 0.100~0.200 */
    PKT_TIME_REL_RANGE, /* +0.100~+0.200 */
};

struct pkt_packet {
    bool inbound;
    uint16_t flags;
    tcp_seq seq;
    uint32_t len;
    bool seq_any; /* nplab's "...(len)": the sequence number is not compared */
    bool has_ack;
    tcp_seq ack;
    int32_t win; /* -1: not given (not compared) */
    bool has_urg;
    uint16_t urg;
    bool opts_any; /* <...>: options not compared */
    struct tcp_opts opts; /* wire order; at most one SACK option */
};

enum pkt_expr_kind {
    PKT_E_INT,      /* 42, 0x2, -1 */
    PKT_E_ELLIPSIS, /* ... */
    PKT_E_WORD,     /* SOCK_STREAM */
    PKT_E_STRING,   /* "reno" */
    PKT_E_LIST,     /* [a, b] */
    PKT_E_STRUCT,   /* {a, b=c} */
    PKT_E_CALL,     /* htons(8080), msg_iov(1) */
    PKT_E_OR,       /* a | b */
    PKT_E_ASSIGN,   /* name=value, msg_name(...)=... */
};

struct pkt_expr {
    enum pkt_expr_kind kind;
    struct pkt_loc loc;
    int64_t num;
    char *str;        /* WORD, STRING, CALL (the name) */
    GPtrArray *items; /* LIST, STRUCT, CALL arguments: struct pkt_expr * */
    struct pkt_expr *lhs; /* OR, ASSIGN */
    struct pkt_expr *rhs;
};

struct pkt_syscall {
    char *name;
    struct pkt_loc name_loc;
    GPtrArray *args; /* struct pkt_expr * */
    struct pkt_expr *result;
    char *errno_name; /* NULL when none is expected */
    char *note;
    bool blocking;    /* `...END` given: the call may return later */
    sim_time end;     /* END, as written (relative like the start for relative events) */
};

enum pkt_event_kind {
    PKT_EV_PACKET,
    PKT_EV_SYSCALL,
    PKT_EV_COMMAND, /* `shell line`: only sysctl settings are understood */
    PKT_EV_CODE,    /* %{ python }%: a small subset of tcp_info assertions is understood */
};

struct pkt_event {
    enum pkt_event_kind kind;
    struct pkt_loc loc;
    enum pkt_time_kind time_kind;
    sim_time t;
    sim_time t_end;  /* ranges */
    bool untimed;    /* an init or cleanup command (no time) */
    struct pkt_packet *pkt;
    struct pkt_syscall *sc;
    char *text;      /* COMMAND, CODE */
};

struct pkt_option {
    char *name;  /* without the dashes */
    char *value; /* NULL for a flag */
    struct pkt_loc loc;
};

struct tcpsim_pkt_script {
    char *path;
    GPtrArray *options; /* struct pkt_option * */
    GPtrArray *events;  /* struct pkt_event *, in file order */
};

void pkt_expr_free(struct pkt_expr *e);
void pkt_event_free(struct pkt_event *ev);

/* pkt_parse.c */
struct pkt_parser {
    struct pkt_lexer lx;
    struct pkt_tok tok;  /* the current token */
    struct pkt_tok next; /* one token of look-ahead */
    bool have_next;
    const char *file;
    int depth;
};
gboolean pkt_parser_advance(struct pkt_parser *ps, GError **error);
gboolean pkt_parser_peek(struct pkt_parser *ps, struct pkt_tok **out, GError **error);
bool pkt_tok_is(const struct pkt_tok *t, char punct);
bool pkt_tok_word(const struct pkt_tok *t, const char *word);
gboolean pkt_expect_punct(struct pkt_parser *ps, char punct, const char *what, GError **error);
/* A time in seconds ("0.100", "2", ".5") as nanoseconds; FALSE with an error. */
gboolean pkt_parse_seconds(struct pkt_parser *ps, sim_time *out, GError **error);
/* A whole number (INT token, in 0..max). */
gboolean pkt_parse_uint(struct pkt_parser *ps, uint64_t max, const char *what, uint64_t *out,
                        GError **error);

/* pkt_parse_packet.c: after the direction token. */
gboolean pkt_parse_packet(struct pkt_parser *ps, bool inbound, struct pkt_packet *out,
                          GError **error);

/* pkt_parse_expr.c */
gboolean pkt_parse_syscall(struct pkt_parser *ps, struct pkt_syscall *out, GError **error);
struct pkt_expr *pkt_parse_expr(struct pkt_parser *ps, GError **error);

#endif
