/* SPDX-License-Identifier: MIT */
/*
 * ast.h: a scenario as the parser leaves it: tokens with locations, and one
 * `struct scn_line` per line of set-up or timeline.
 *
 * Four passes, four files: lex.c (tokens), parse.c (lines), check.c (names bound, hosts
 * known, times ordered), compile.c (a simulation built through the public API), and
 * run.c runs it. Nothing here includes sim/ internals.
 */
#ifndef TCPSIM_SCENARIO_AST_H
#define TCPSIM_SCENARIO_AST_H

#include <glib.h>
#include <stdint.h>
#include <tcpsim/scenario.h>
#include <tcpsim/sim.h>

#define SCN_MAX_FILE_BYTES (64u << 20) /* a million named sockets fit */
#define SCN_MAX_LINE_BYTES (64u << 10)
#define SCN_MAX_LINES 1000000u
#define SCN_MAX_HOSTS 16

struct scn_loc {
    const char *file;
    guint line;
    guint col;
};

enum scn_tok_kind {
    SCN_TOK_WORD,
    SCN_TOK_STRING,
    SCN_TOK_FLAGS, /* [S.] */
    SCN_TOK_EOL,
    SCN_TOK_EOF,
};

struct scn_tok {
    enum scn_tok_kind kind;
    char *text; /* NUL-terminated; for strings the decoded bytes */
    gsize len;
    struct scn_loc loc;
};

struct scn_lexer {
    const char *file;
    const char *p;
    const char *end;
    guint line;
    const char *line_start;
};

void scn_lex_init(struct scn_lexer *lx, const char *file, const char *text, gsize len);
/* The next token; FALSE with a located error. */
gboolean scn_lex_next(struct scn_lexer *lx, struct scn_tok *tok, GError **error);
void scn_tok_clear(struct scn_tok *tok);

enum scn_verb {
    /* Set-up. */
    SCN_TITLE,
    SCN_SEED,
    SCN_HOSTS,
    SCN_LINK_SETUP,
    SCN_SET_SETUP,
    SCN_END,
    SCN_TRACE,
    /* Timeline: application calls. */
    SCN_LISTEN,
    SCN_CONNECT,
    SCN_ACCEPT,
    SCN_SEND,
    SCN_RECV,
    SCN_SHUTDOWN,
    SCN_CLOSE,
    SCN_ABORT,
    SCN_OPTION,
    SCN_SERVE,
    SCN_FETCH,
    /* Timeline: the world. */
    SCN_CRASH,
    SCN_REBOOT,
    SCN_SET,
    SCN_LINK,
    SCN_DROP,
    SCN_DELAY,
    SCN_DUPLICATE,
    SCN_INJECT,
    SCN_SS,
    SCN_FLOOD,
    /* Timeline: checks. */
    SCN_EXPECT_STATE,
    SCN_EXPECT_RECEIVED,
    SCN_EXPECT_ERROR,
    SCN_EXPECT_SEGMENTS,
    SCN_EXPECT_COUNTER,
    SCN_EXPECT_COMPLETED,
    SCN_EXPECT_FAILED,
    SCN_EXPECT_FOREIGN,
};

/* One key/value pair of a link or option line ("delay 10ms"). */
struct scn_kv {
    char *key;
    char *value;
    struct scn_loc loc;  /* of the key */
    struct scn_loc vloc; /* of the value */
};

struct scn_line {
    enum scn_verb verb;
    struct scn_loc loc;
    int64_t at;       /* timeline: ns */
    int host;         /* the acting host, -1 for world lines */
    char *name;       /* the socket a call or check is about */
    struct scn_loc name_loc;
    char *as;         /* the name a call gives (connect/accept/listen ... as NAME) */
    struct scn_loc as_loc;
    char *peer;       /* connect: host name or address, as written */
    struct scn_loc peer_loc;
    struct tcpsim_addr addr; /* connect: resolved address */
    uint32_t prefix;  /* flood: the IPv4 prefix of the forged sources */
    uint16_t port;
    uint16_t from_port;
    int64_t backlog;
    uint64_t size;    /* send/recv/expect received; 0 for "any"; serve/fetch: request */
    uint64_t size2;   /* serve/fetch: response */
    int mode;         /* fetch: enum tcpsim_fetch_mode */
    bool close_after; /* serve */
    int forge;        /* inject: enum tcpsim_forge */
    int forge_where;  /* inject: enum tcpsim_forge_seq */
    char *text;       /* send/expect received text; NULL for a size */
    gsize text_len;
    int from;         /* link direction */
    int to;
    bool both;
    bool up;          /* link up/down */
    struct tcpsim_filter filter;
    uint32_t count;
    int64_t extra;    /* delay ... by; duplicate ... by (the copy) */
    int64_t first;    /* duplicate ... original TIME: the original's own delay */
    bool rd;
    bool wr;
    bool more;        /* send: MSG_MORE */
    char *word;       /* expect state, expect counter name, set knob */
    char *value;      /* set value, expect error name */
    int err;          /* expect error: errno, 0 for none */
    uint64_t number;  /* expect segments/counter value, seed */
    GArray *kv;       /* struct scn_kv: link params, options */
};

struct tcpsim_scenario {
    char *file;
    char *title;
    uint64_t seed;
    bool end_quiet;
    bool trace_cc; /* "trace cc": congestion-window lines in the trace */
    int64_t end_time;
    int nhosts;
    char *host_names[SCN_MAX_HOSTS];
    struct tcpsim_addr host_addrs[SCN_MAX_HOSTS];  /* each host's first address */
    struct tcpsim_addr host_addrs2[SCN_MAX_HOSTS]; /* a second (dual stack), or none */
    GPtrArray *setup;    /* struct scn_line *: link and set lines, in file order */
    GPtrArray *timeline; /* struct scn_line *: in time order (file order for ties) */
};

/* parse.c */
struct tcpsim_scenario *scn_parse(const char *file, const char *text, gsize len, GError **error);
void scn_line_free(gpointer line);
/* "file:line:col: error: ..." */
void scn_error(GError **error, const struct scn_loc *loc, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

/* check.c */
gboolean scn_check(struct tcpsim_scenario *scn, GError **error);

/* compile.c: builds the world and schedules the timeline. */
struct scn_run;
struct scn_run *scn_compile(const struct tcpsim_scenario *scn,
                            const struct tcpsim_run_options *opts, GError **error);
struct tcpsim_sim *scn_run_sim(struct scn_run *run);
void scn_run_free(struct scn_run *run);
guint scn_run_expects(const struct scn_run *run);
GPtrArray *scn_run_failures(struct scn_run *run);

#endif
