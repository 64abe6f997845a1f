/* SPDX-License-Identifier: MIT */
/*
 * parse.h: what the parser's files share: the cursor over one line's tokens, the
 * argument readers (cursor.c) and the verb tables (parse_setup.c, parse_timeline.c).
 */
#ifndef TCPSIM_SCENARIO_PARSE_H
#define TCPSIM_SCENARIO_PARSE_H

#include "ast.h"

/* The tokens of one line and a cursor over them. */
struct cursor {
    GArray *toks; /* struct scn_tok */
    guint i;
    struct scn_loc eol;
    struct tcpsim_scenario *scn;
    int64_t last_at;
    bool timeline_started;
};

/* cursor.c: each reader consumes what it reads, or fails with a located error that
 * says what was expected. */
struct scn_tok *cur_peek(struct cursor *c);
struct scn_loc cur_peek_loc(struct cursor *c);
struct scn_tok *cur_next(struct cursor *c);
bool cur_at_end(struct cursor *c);
const char *cur_word(struct cursor *c, const char *what, struct scn_loc *loc, GError **error);
gboolean cur_keyword(struct cursor *c, const char *kw, GError **error);
bool cur_accept(struct cursor *c, const char *kw);
gboolean cur_eol(struct cursor *c, GError **error);
gboolean cur_unit_error(GError **error, const struct scn_loc *loc, GError *e);
gboolean cur_u64(struct cursor *c, const char *what, uint64_t max, uint64_t *out, GError **error);
gboolean cur_port(struct cursor *c, uint16_t *out, GError **error);
gboolean cur_size(struct cursor *c, uint64_t *out, GError **error);
gboolean cur_time(struct cursor *c, int64_t *out, GError **error);
bool cur_valid_name(const char *s);
void cur_default_hosts(struct tcpsim_scenario *scn);
int cur_find_host(struct tcpsim_scenario *scn, const char *name);
gboolean cur_host(struct cursor *c, int *out, GError **error);
gboolean cur_ipv4(const char *s, uint32_t *out);
gboolean cur_dir(struct cursor *c, struct scn_line *l, bool both_ok, GError **error);
gboolean cur_flags_text(const char *text, uint16_t *out);
gboolean cur_filter(struct cursor *c, struct tcpsim_filter *f, GError **error);
gboolean cur_as(struct cursor *c, struct scn_line *l, bool required, GError **error);
gboolean cur_sock_name(struct cursor *c, struct scn_line *l, GError **error);
/* KEY VALUE ...: a key in `bare_keys` may stand alone (= 1); with `keys`, a value runs
 * over every word up to the next key ("reorder 5% 10ms delay 20ms"). */
gboolean cur_kv(struct cursor *c, struct scn_line *l, const char *const *bare_keys,
                const char *const *keys, GError **error);

/* parse_setup.c, shared with the timeline's link and set lines. */
extern const char *const parse_link_params[];
gboolean parse_check_link_params(struct scn_line *l, GError **error);
gboolean parse_set_common(struct cursor *c, struct scn_line *l, bool host_given, GError **error);

typedef gboolean (*parse_fn)(struct cursor *c, struct scn_line *l, GError **error);

struct verb {
    const char *name;
    enum scn_verb verb;
    parse_fn parse;
};

/* Sorted by name, for bsearch(). */
extern const struct verb parse_setup_verbs[];
extern const size_t parse_setup_nverbs;
extern const struct verb parse_host_verbs[];
extern const size_t parse_host_nverbs;
extern const struct verb parse_world_verbs[];
extern const size_t parse_world_nverbs;

#endif
