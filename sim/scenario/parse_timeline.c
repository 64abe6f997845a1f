/* SPDX-License-Identifier: MIT */
/*
 * parse_timeline.c: the timeline lines: application calls, the world's faults and
 * changes, and the checks.
 */
#include <string.h>
#include <tcpsim/units.h>

#include "parse.h"

/* --- timeline: application calls -------------------------------------------------------- */

/* PORT [backlog N]: what listen and serve share (backlog 128 when not given). */
static gboolean
parse_port_backlog(struct cursor *c, struct scn_line *l, GError **error)
{
    if (!cur_port(c, &l->port, error)) {
        return FALSE;
    }
    l->backlog = 128;
    if (cur_accept(c, "backlog")) {
        uint64_t b = 0;
        if (!cur_u64(c, "a backlog", 65535, &b, error)) {
            return FALSE;
        }
        l->backlog = (int64_t)b;
    }
    return TRUE;
}

static gboolean
parse_listen(struct cursor *c, struct scn_line *l, GError **error)
{
    return parse_port_backlog(c, l, error) && cur_as(c, l, false, error) && cur_eol(c, error);
}

/* The address a connect from host `from` to host `to` uses, as a socket given the name
 * does: getaddrinfo() lists IPv6 first (RFC 6724 §6, rule 6 on a host with both), and
 * AI_ADDRCONFIG keeps only the families the connecting host has an address of. */
static struct tcpsim_addr
addr_for(const struct tcpsim_scenario *scn, int from, int to)
{
    const struct tcpsim_addr *mine[2] = {&scn->host_addrs[from], &scn->host_addrs2[from]};
    const struct tcpsim_addr *theirs[2] = {&scn->host_addrs[to], &scn->host_addrs2[to]};
    for (int want = TCPSIM_AF_INET6; want >= TCPSIM_AF_INET; want -= 2) {
        bool have = from < 0 || mine[0]->family == want || mine[1]->family == want;
        for (int k = 0; k < 2 && have; k++) {
            if (theirs[k]->family == want) {
                return *theirs[k];
            }
        }
    }
    return scn->host_addrs[to]; /* no family in common: the connect fails ENETUNREACH */
}

/* HOST:PORT, HOST a host name or an address; an IPv6 address in brackets, [2001:db8::2]:80. */
static gboolean
parse_peer(struct cursor *c, struct scn_line *l, GError **error)
{
    const char *w = cur_word(c, "HOST:PORT", &l->peer_loc, error);
    if (w == NULL) {
        return FALSE;
    }
    const char *colon = strrchr(w, ':');
    if (w[0] == '[') {
        const char *close = strchr(w, ']');
        if (close == NULL || close[1] != ':') {
            scn_error(error, &l->peer_loc, "expected [IPV6-ADDRESS]:PORT as in [2001:db8::2]:80, "
                      "found \"%s\"", w);
            return FALSE;
        }
        colon = close + 1;
        l->peer = g_strndup(w + 1, (gsize)(close - w - 1));
        struct scn_loc at = l->peer_loc;
        at.col += 1;
        if (!tcpsim_addr_parse(l->peer, &l->addr) || l->addr.family != TCPSIM_AF_INET6) {
            scn_error(error, &at, "bad IPv6 address \"%s\"; expected one such as 2001:db8::2",
                      l->peer);
            return FALSE;
        }
    } else if (colon == NULL) {
        scn_error(error, &l->peer_loc, "expected HOST:PORT as in B:80, found \"%s\"", w);
        return FALSE;
    } else if (strchr(w, ':') != colon) {
        scn_error(error, &l->peer_loc,
                  "an IPv6 address with a port is written in brackets, as in [2001:db8::2]:80; "
                  "found \"%s\"", w);
        return FALSE;
    } else {
        l->peer = g_strndup(w, (gsize)(colon - w));
        int h = cur_find_host(c->scn, l->peer);
        if (h >= 0) {
            l->addr = addr_for(c->scn, l->host, h);
        } else if (!tcpsim_addr_parse(l->peer, &l->addr) || l->addr.family != TCPSIM_AF_INET) {
            scn_error(error, &l->peer_loc,
                      "unknown host \"%s\"; expected a host name or an address", l->peer);
            return FALSE;
        }
    }
    int64_t port = 0;
    if (!tcpsim_parse_int(colon + 1, &port, NULL) || port < 1 || port > 65535) {
        scn_error(error, &l->peer_loc, "bad port in \"%s\"; expected 1 to 65535", w);
        return FALSE;
    }
    l->port = (uint16_t)port;
    return TRUE;
}

static gboolean
parse_connect(struct cursor *c, struct scn_line *l, GError **error)
{
    if (!parse_peer(c, l, error)) {
        return FALSE;
    }
    if (cur_accept(c, "from") && !cur_port(c, &l->from_port, error)) {
        return FALSE;
    }
    return cur_as(c, l, false, error) && cur_eol(c, error);
}

static gboolean
parse_accept(struct cursor *c, struct scn_line *l, GError **error)
{
    l->name_loc = cur_peek_loc(c);
    return cur_port(c, &l->port, error) && cur_as(c, l, true, error) && cur_eol(c, error);
}

/* SIZE or "text". */
static gboolean
parse_payload(struct cursor *c, struct scn_line *l, GError **error)
{
    struct scn_tok *t = cur_peek(c);
    if (t != NULL && t->kind == SCN_TOK_STRING) {
        c->i++;
        if (t->len == 0) {
            scn_error(error, &t->loc, "empty text; send at least one byte");
            return FALSE;
        }
        l->text = g_memdup2(t->text, t->len + 1);
        l->text_len = t->len;
        l->size = t->len;
        return TRUE;
    }
    if (!cur_size(c, &l->size, error)) {
        return FALSE;
    }
    if (l->size == 0) {
        scn_error(error, &t->loc, "a size of 0; expected at least one byte");
        return FALSE;
    }
    return TRUE;
}

static gboolean
parse_send(struct cursor *c, struct scn_line *l, GError **error)
{
    if (!cur_sock_name(c, l, error) || !parse_payload(c, l, error)) {
        return FALSE;
    }
    l->more = cur_accept(c, "more"); /* MSG_MORE */
    return cur_eol(c, error);
}

static gboolean
parse_recv(struct cursor *c, struct scn_line *l, GError **error)
{
    if (!cur_sock_name(c, l, error)) {
        return FALSE;
    }
    if (cur_at_end(c)) {
        return cur_eol(c, error); /* size 0 inside: whatever is there */
    }
    struct scn_tok *t = cur_peek(c);
    if (!cur_size(c, &l->size, error)) {
        return FALSE;
    }
    if (l->size == 0) {
        scn_error(error, &t->loc, "a size of 0; expected at least one byte, or no size for "
                  "whatever is there");
        return FALSE;
    }
    return cur_eol(c, error);
}

static gboolean
parse_shutdown(struct cursor *c, struct scn_line *l, GError **error)
{
    if (!cur_sock_name(c, l, error)) {
        return FALSE;
    }
    l->wr = true;
    if (!cur_at_end(c)) {
        struct scn_loc loc;
        const char *how = cur_word(c, "rd, wr or rdwr", &loc, error);
        if (how == NULL) {
            return FALSE;
        }
        l->rd = strcmp(how, "rd") == 0 || strcmp(how, "rdwr") == 0;
        l->wr = strcmp(how, "wr") == 0 || strcmp(how, "rdwr") == 0;
        if (!l->rd && !l->wr) {
            scn_error(error, &loc, "bad shutdown \"%s\"; expected rd, wr or rdwr", how);
            return FALSE;
        }
    }
    return cur_eol(c, error);
}

static gboolean
parse_name_only(struct cursor *c, struct scn_line *l, GError **error)
{
    return cur_sock_name(c, l, error) && cur_eol(c, error);
}

static const char *const bare_options[] = {"nodelay", "cork", "keepalive", NULL};

static gboolean
parse_option(struct cursor *c, struct scn_line *l, GError **error)
{
    return cur_sock_name(c, l, error) && cur_kv(c, l, bare_options, NULL, error);
}

/* "request SIZE response SIZE", in either order; both required. */
static gboolean
parse_exchange(struct cursor *c, struct scn_line *l, GError **error)
{
    for (int i = 0; i < 2; i++) {
        if (cur_accept(c, "request")) {
            if (!cur_size(c, &l->size, error)) {
                return FALSE;
            }
        } else if (cur_accept(c, "response")) {
            if (!cur_size(c, &l->size2, error)) {
                return FALSE;
            }
        }
    }
    if (l->size == 0) {
        struct scn_loc loc = cur_peek_loc(c);
        scn_error(error, &loc, "expected \"request SIZE\" (at least 1 byte) and \"response SIZE\"");
        return FALSE;
    }
    return TRUE;
}

/* A pattern's closing "[as NAME]", with its default name, and the end of the line. */
static gboolean
pattern_name(struct cursor *c, struct scn_line *l, const char *fallback, GError **error)
{
    if (!cur_as(c, l, false, error)) {
        return FALSE;
    }
    if (l->as == NULL) {
        l->as = g_strdup(fallback);
        l->as_loc = l->loc;
    }
    return cur_eol(c, error);
}

/* serve PORT [backlog N] request SIZE response SIZE [close] [as NAME] */
static gboolean
parse_serve(struct cursor *c, struct scn_line *l, GError **error)
{
    if (!parse_port_backlog(c, l, error) || !parse_exchange(c, l, error)) {
        return FALSE;
    }
    l->close_after = cur_accept(c, "close");
    return pattern_name(c, l, "server", error);
}

/* fetch PEER:PORT count N request SIZE response SIZE [every T]
 * [short|persistent|concurrent] [as NAME] */
static gboolean
parse_fetch(struct cursor *c, struct scn_line *l, GError **error)
{
    if (!parse_peer(c, l, error) || !cur_keyword(c, "count", error)) {
        return FALSE;
    }
    struct scn_loc loc = cur_peek_loc(c);
    if (!cur_u64(c, "a count of requests", 100000000, &l->number, error)) {
        return FALSE;
    }
    if (l->number == 0) {
        scn_error(error, &loc, "a count of 0; expected at least 1 request");
        return FALSE;
    }
    if (!parse_exchange(c, l, error)) {
        return FALSE;
    }
    if (cur_accept(c, "every") && !cur_time(c, &l->extra, error)) {
        return FALSE;
    }
    l->mode = TCPSIM_FETCH_SHORT;
    if (cur_accept(c, "persistent")) {
        l->mode = TCPSIM_FETCH_PERSISTENT;
    } else if (cur_accept(c, "concurrent")) {
        l->mode = TCPSIM_FETCH_CONCURRENT;
    } else {
        cur_accept(c, "short");
    }
    return pattern_name(c, l, "client", error);
}

static gboolean
parse_nothing(struct cursor *c, struct scn_line *l, GError **error)
{
    (void)l;
    return cur_eol(c, error);
}

static gboolean
parse_host_set(struct cursor *c, struct scn_line *l, GError **error)
{
    return parse_set_common(c, l, true, error);
}

/* --- timeline: the world --------------------------------------------------------------- */

static gboolean
parse_link(struct cursor *c, struct scn_line *l, GError **error)
{
    if (!cur_dir(c, l, true, error)) {
        return FALSE;
    }
    if (cur_accept(c, "up") || cur_accept(c, "down")) {
        l->up = strcmp(g_array_index(c->toks, struct scn_tok, c->i - 1).text, "up") == 0;
        l->verb = SCN_LINK;
        return cur_eol(c, error);
    }
    l->verb = SCN_LINK_SETUP; /* a parameter change at a time */
    return cur_kv(c, l, NULL, parse_link_params, error) && parse_check_link_params(l, error);
}

/* flood DIR port PORT rate N/s for TIME [from ADDR/LEN] */
static gboolean
parse_flood(struct cursor *c, struct scn_line *l, GError **error)
{
    if (!cur_dir(c, l, false, error)) {
        return FALSE;
    }
    if (l->from == l->to) {
        const struct scn_tok *t = &g_array_index(c->toks, struct scn_tok, c->i - 1);
        scn_error(error, &t->loc, "bad direction \"%s\": a flood goes from one host to "
                  "another, such as A->B", t->text);
        return FALSE;
    }
    if (!cur_keyword(c, "port", error) || !cur_port(c, &l->port, error) ||
        !cur_keyword(c, "rate", error)) {
        return FALSE;
    }
    struct scn_loc loc;
    const char *w = cur_word(c, "a rate such as 1000/s", &loc, error);
    if (w == NULL) {
        return FALSE;
    }
    size_t len = strlen(w);
    g_autofree char *num = len > 2 ? g_strndup(w, len - 2) : g_strdup("");
    int64_t n = 0;
    if (!g_str_has_suffix(w, "/s") || !tcpsim_parse_int(num, &n, NULL) || n < 1 ||
        n > 100000000) {
        scn_error(error, &loc, "bad rate \"%s\"; expected SYNs per second such as 1000/s "
                  "(1 to 100000000)", w);
        return FALSE;
    }
    l->number = (uint64_t)n;
    if (!cur_keyword(c, "for", error) || !cur_time(c, &l->extra, error)) {
        return FALSE;
    }
    l->prefix = 0xC6336400u; /* 198.51.100.0/24, TEST-NET-2 (RFC 5737) */
    l->count = 24;
    if (cur_accept(c, "from")) {
        const char *p = cur_word(c, "an address prefix such as 198.51.100.0/24", &loc, error);
        if (p == NULL) {
            return FALSE;
        }
        g_auto(GStrv) parts = g_strsplit(p, "/", 2);
        int64_t bits = 32;
        if (!cur_ipv4(parts[0], &l->prefix) ||
            (parts[1] != NULL &&
             (!tcpsim_parse_int(parts[1], &bits, NULL) || bits < 0 || bits > 32))) {
            scn_error(error, &loc, "bad prefix \"%s\"; expected ADDR/LEN such as 198.51.100.0/24",
                      p);
            return FALSE;
        }
        l->count = (uint32_t)bits;
    }
    return cur_eol(c, error);
}

/* ss [HOST] [summary]: a socket listing of one host or all. */
static gboolean
parse_ss(struct cursor *c, struct scn_line *l, GError **error)
{
    l->host = -1;
    if (cur_accept(c, "summary")) {
        l->word = g_strdup("summary");
        return cur_eol(c, error);
    }
    if (!cur_at_end(c) && !cur_host(c, &l->host, error)) {
        return FALSE;
    }
    if (cur_accept(c, "summary")) {
        l->word = g_strdup("summary");
    }
    return cur_eol(c, error);
}

static gboolean
parse_next_n(struct cursor *c, struct scn_line *l, GError **error)
{
    if (!cur_dir(c, l, false, error) || !cur_keyword(c, "next", error)) {
        return FALSE;
    }
    uint64_t n = 0;
    struct scn_loc loc = cur_peek_loc(c);
    if (!cur_u64(c, "a count", 1000000000, &n, error)) {
        return FALSE;
    }
    if (n == 0) {
        scn_error(error, &loc, "a count of 0; expected at least 1");
        return FALSE;
    }
    l->count = (uint32_t)n;
    if (!cur_filter(c, &l->filter, error)) {
        return FALSE;
    }
    if (cur_accept(c, "after")) {
        uint64_t k = 0;
        if (!cur_u64(c, "a count of segments to let pass", 1000000000, &k, error)) {
            return FALSE;
        }
        l->filter.skip = (uint32_t)k;
    }
    return TRUE;
}

static gboolean
parse_drop(struct cursor *c, struct scn_line *l, GError **error)
{
    return parse_next_n(c, l, error) && cur_eol(c, error);
}

/* duplicate DIR next N [FILTER] [by TIME] [original TIME]: the copy arrives TIME later;
 * "original" delays the original too (tcpsim explore writes both). */
static gboolean
parse_duplicate(struct cursor *c, struct scn_line *l, GError **error)
{
    if (!parse_next_n(c, l, error)) {
        return FALSE;
    }
    if (cur_accept(c, "by") && !cur_time(c, &l->extra, error)) {
        return FALSE;
    }
    if (cur_accept(c, "original") && !cur_time(c, &l->first, error)) {
        return FALSE;
    }
    return cur_eol(c, error);
}

static gboolean
parse_delay(struct cursor *c, struct scn_line *l, GError **error)
{
    return parse_next_n(c, l, error) && cur_keyword(c, "by", error) &&
           cur_time(c, &l->extra, error) && cur_eol(c, error);
}

/* inject DIR rst|syn|ack|data|ack-unsent [seq exact|window|outside|N] [len SIZE|"TEXT"] for NAME */
#define INJECT_MAX_PAYLOAD 65495u

static gboolean
parse_inject(struct cursor *c, struct scn_line *l, GError **error)
{
    static const char *const kinds[] = {"rst", "syn", "ack", "data", "ack-unsent", NULL};
    static const char *const wheres[] = {"exact", "window", "outside", NULL};
    if (!cur_dir(c, l, false, error)) {
        return FALSE;
    }
    struct scn_loc loc;
    const char *k = cur_word(c, "rst, syn, ack, data or ack-unsent", &loc, error);
    if (k == NULL) {
        return FALSE;
    }
    l->forge = -1;
    for (int i = 0; kinds[i]; i++) {
        l->forge = strcmp(kinds[i], k) == 0 ? i : l->forge;
    }
    if (l->forge < 0) {
        scn_error(error, &loc, "unknown segment \"%s\"; expected rst, syn, ack, data or ack-unsent",
                  k);
        return FALSE;
    }
    l->forge_where = TCPSIM_SEQ_EXACT;
    if (cur_accept(c, "seq")) {
        const char *w = cur_word(c, "exact, window, outside or a number", &loc, error);
        if (w == NULL) {
            return FALSE;
        }
        l->forge_where = -1;
        for (int i = 0; wheres[i]; i++) {
            l->forge_where = strcmp(wheres[i], w) == 0 ? i : l->forge_where;
        }
        if (l->forge_where < 0) {
            int64_t n = 0;
            if (!tcpsim_parse_int(w, &n, NULL) || n > UINT32_MAX) {
                scn_error(error, &loc, "bad seq \"%s\"; expected exact, window, outside or a "
                          "number", w);
                return FALSE;
            }
            l->forge_where = TCPSIM_SEQ_NUMBER;
            l->number = (uint64_t)n;
        }
    }
    if (l->forge == TCPSIM_FORGE_DATA) {
        struct scn_tok *t = cur_peek(c);
        struct scn_loc at = t != NULL ? t->loc : c->eol;
        if (t != NULL && t->kind == SCN_TOK_STRING) {
            if (!parse_payload(c, l, error)) {
                return FALSE;
            }
        } else if (!cur_keyword(c, "len", error) || !cur_size(c, &l->size, error)) {
            return FALSE;
        }
        /* One IPv4 packet: 65,535 bytes less the IP and TCP headers. */
        if (l->size > INJECT_MAX_PAYLOAD) {
            scn_error(error, &at, "a forged segment carries at most %u bytes (one IPv4 "
                      "packet); got %" G_GUINT64_FORMAT, INJECT_MAX_PAYLOAD, l->size);
            return FALSE;
        }
    }
    if (!cur_keyword(c, "for", error) || !cur_sock_name(c, l, error)) {
        return FALSE;
    }
    l->host = l->to; /* the socket is the receiving host's */
    return cur_eol(c, error);
}

static gboolean
parse_expect_sock(struct cursor *c, struct scn_line *l, GError **error)
{
    if (!cur_sock_name(c, l, error)) {
        return FALSE;
    }
    struct scn_loc loc;
    const char *what = cur_word(c, "state, received, error or counter", &loc, error);
    if (what == NULL) {
        return FALSE;
    }
    if (strcmp(what, "state") == 0) {
        l->verb = SCN_EXPECT_STATE;
        const char *st = cur_word(c, "a state such as ESTABLISHED", &loc, error);
        if (st == NULL) {
            return FALSE;
        }
        l->word = g_strdelimit(g_ascii_strup(st, -1), "-", '_');
        return cur_eol(c, error);
    }
    if (strcmp(what, "received") == 0) {
        l->verb = SCN_EXPECT_RECEIVED;
        struct scn_tok *t = cur_peek(c);
        if (t != NULL && t->kind == SCN_TOK_STRING) {
            c->i++;
            l->text = g_memdup2(t->text, t->len + 1);
            l->text_len = t->len;
            l->size = t->len;
        } else if (!cur_size(c, &l->size, error)) {
            return FALSE;
        }
        return cur_eol(c, error);
    }
    if (strcmp(what, "error") == 0) {
        l->verb = SCN_EXPECT_ERROR;
        const char *e = cur_word(c, "an errno name such as ECONNREFUSED, or none", &loc, error);
        if (e == NULL) {
            return FALSE;
        }
        l->value = g_strdup(e);
        l->err = strcmp(e, "none") == 0 ? 0 : tcpsim_errno_from_name(e);
        if (l->err < 0) {
            g_autofree char *names = g_strjoinv(", ", (char **)tcpsim_errno_names());
            scn_error(error, &loc, "unknown error \"%s\"; expected none or one of %s", e, names);
            return FALSE;
        }
        return cur_eol(c, error);
    }
    if (strcmp(what, "foreign") == 0) {
        l->verb = SCN_EXPECT_FOREIGN;
        return cur_u64(c, "a count of bytes", UINT64_MAX, &l->number, error) && cur_eol(c, error);
    }
    if (strcmp(what, "completed") == 0 || strcmp(what, "failed") == 0) {
        l->verb = what[0] == 'c' ? SCN_EXPECT_COMPLETED : SCN_EXPECT_FAILED;
        return cur_u64(c, "a count", UINT64_MAX, &l->number, error) && cur_eol(c, error);
    }
    scn_error(error, &loc,
              "unknown check \"%s\"; expected state, received, error, completed or failed", what);
    return FALSE;
}

static gboolean
parse_expect(struct cursor *c, struct scn_line *l, GError **error)
{
    if (cur_accept(c, "segments")) {
        l->verb = SCN_EXPECT_SEGMENTS;
        if (!cur_dir(c, l, false, error) || !cur_filter(c, &l->filter, error) ||
            !cur_keyword(c, "count", error)) {
            return FALSE;
        }
        return cur_u64(c, "a count", UINT64_MAX, &l->number, error) && cur_eol(c, error);
    }
    if (!cur_host(c, &l->host, error)) {
        return FALSE;
    }
    if (cur_accept(c, "counter")) {
        l->verb = SCN_EXPECT_COUNTER;
        const char *n = cur_word(c, "a counter such as TcpExtListenOverflows", &l->name_loc,
                                    error);
        if (n == NULL) {
            return FALSE;
        }
        l->word = g_strdup(n);
        return cur_u64(c, "a count", UINT64_MAX, &l->number, error) && cur_eol(c, error);
    }
    return parse_expect_sock(c, l, error);
}


/* Sorted by name. */
const struct verb parse_host_verbs[] = {
    {"abort", SCN_ABORT, parse_name_only},
    {"accept", SCN_ACCEPT, parse_accept},
    {"close", SCN_CLOSE, parse_name_only},
    {"connect", SCN_CONNECT, parse_connect},
    {"crash", SCN_CRASH, parse_nothing},
    {"fetch", SCN_FETCH, parse_fetch},
    {"listen", SCN_LISTEN, parse_listen},
    {"option", SCN_OPTION, parse_option},
    {"reboot", SCN_REBOOT, parse_nothing},
    {"recv", SCN_RECV, parse_recv},
    {"send", SCN_SEND, parse_send},
    {"serve", SCN_SERVE, parse_serve},
    {"set", SCN_SET, parse_host_set},
    {"shutdown", SCN_SHUTDOWN, parse_shutdown},
};
const size_t parse_host_nverbs = G_N_ELEMENTS(parse_host_verbs);

/* Sorted by name. */
const struct verb parse_world_verbs[] = {
    {"delay", SCN_DELAY, parse_delay},
    {"drop", SCN_DROP, parse_drop},
    {"duplicate", SCN_DUPLICATE, parse_duplicate},
    {"expect", SCN_EXPECT_STATE, parse_expect},
    {"flood", SCN_FLOOD, parse_flood},
    {"inject", SCN_INJECT, parse_inject},
    {"link", SCN_LINK, parse_link},
    {"ss", SCN_SS, parse_ss},
};
const size_t parse_world_nverbs = G_N_ELEMENTS(parse_world_verbs);
