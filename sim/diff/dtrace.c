/* SPDX-License-Identifier: MIT */
/*
 * dtrace.c: reading a trace file for the diff: which format it is, and the events.
 *
 * Entry points: dtrace_load(), dtrace_from_text(), dtrace_free(). A tcpsim text trace
 * starts with "# tcpsim trace v1"; anything else is taken as tcpdump -n output. A file
 * whose name ends in .gz is decompressed first (golden traces over 1 MiB are kept so).
 */
#include <stdarg.h>
#include <string.h>

#include "dtrace.h"
#include "pcap_read.h"

#include "gz.h"

#define DTRACE_MAX_BYTES (1024u * 1024u * 1024u)

/* clang-format off: the quark's name is one token, not a subtraction */
G_DEFINE_QUARK(tcpsim-diff-error-quark, diff_error)
/* clang-format on */

static const char *const kind_names[DEV_NKINDS] = {
    [DEV_SENT] = "sent",         [DEV_DELIVERED] = "delivered",
    [DEV_DROPPED] = "dropped",   [DEV_DISCARDED] = "discarded",
    [DEV_STATE] = "state",       [DEV_TIMER] = "timer",
    [DEV_APP] = "app",           [DEV_EXPECT] = "expect",
    [DEV_NOTE] = "note",         [DEV_CC] = "cc",
    [DEV_SS] = "ss",
    [DEV_CAPTURED] = "captured",
};

const char *
dev_kind_name(enum dev_kind k)
{
    return (unsigned)k < DEV_NKINDS ? kind_names[k] : "?";
}

bool
dev_is_segment(enum dev_kind k)
{
    return k == DEV_SENT || k == DEV_DELIVERED || k == DEV_DROPPED || k == DEV_DISCARDED ||
           k == DEV_CAPTURED;
}

void
dtrace_error(GError **error, const struct dtrace *t, uint32_t line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_set_error(error, DIFF_ERROR, 0, "%s:%u: error: %s", t->name, line, msg);
}

void
dtrace_free(struct dtrace *t)
{
    if (t == NULL) {
        return;
    }
    g_free(t->name);
    g_free(t->text);
    if (t->strings) {
        g_string_chunk_free(t->strings);
    }
    if (t->ev) {
        g_array_free(t->ev, TRUE);
    }
    g_free(t->scenario);
    g_free(t->title);
    g_free(t->seed);
    g_free(t->hosts);
    g_free(t->first_host);
    g_free(t);
}

const char *
dtrace_scenario(const struct dtrace *t)
{
    return t->scenario;
}

/* Takes `text` (NUL-terminated, `len` bytes). */
static struct dtrace *
parse(const char *name, char *text, size_t len, GError **error)
{
    if (dpcap_is_capture(text, len)) {
        /* A pcap or pcapng capture: read as the tcpdump text it stands for. */
        size_t n = 0;
        char *lines = dpcap_to_text(name, text, len, &n, error);
        g_free(text);
        if (lines == NULL) {
            return NULL;
        }
        text = lines;
        len = n;
    }
    struct dtrace *t = g_new0(struct dtrace, 1);
    t->name = g_strdup(name);
    t->text = text;
    t->strings = g_string_chunk_new(4096);
    t->ev = g_array_new(FALSE, FALSE, sizeof(struct dev));
    if (memchr(text, '\0', len) != NULL) {
        dtrace_error(error, t, 1,
                     "a NUL byte: this is not a text trace (a pcap file? read it "
                     "with tcpdump -n -r FILE first)");
        dtrace_free(t);
        return NULL;
    }
    bool tcpsim = strncmp(text, "# tcpsim trace", 14) == 0;
    t->format = tcpsim ? DTRACE_TCPSIM : DTRACE_TCPDUMP;
    gboolean ok = tcpsim ? dtrace_parse_tcpsim(t, error) : dtrace_parse_tcpdump(t, error);
    if (!ok) {
        dtrace_free(t);
        return NULL;
    }
    dtrace_relativise(t);
    return t;
}

char *
dtrace_next_line(char **p, uint32_t *line)
{
    char *s = *p;
    if (*s == '\0') {
        return NULL;
    }
    char *nl = strchr(s, '\n');
    if (nl) {
        *nl = '\0';
        *p = nl + 1;
    } else {
        *p = s + strlen(s);
    }
    (*line)++;
    size_t n = strlen(s);
    if (n && s[n - 1] == '\r') {
        s[n - 1] = '\0';
    }
    return s;
}

struct dtrace *
dtrace_from_text(const char *name, const char *text, size_t len, GError **error)
{
    return parse(name, g_strndup(text, len), len, error);
}

static char *
read_stdin(gsize *len, GError **error)
{
    GString *s = g_string_new(NULL);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, stdin)) > 0) {
        g_string_append_len(s, buf, (gssize)n);
        if (s->len >= DTRACE_MAX_BYTES) {
            g_set_error(error, DIFF_ERROR, 0, "standard input: larger than %u bytes",
                        DTRACE_MAX_BYTES);
            g_string_free(s, TRUE);
            return NULL;
        }
    }
    *len = s->len;
    return g_string_free(s, FALSE);
}

struct dtrace *
dtrace_load(const char *path, GError **error)
{
    char *text = NULL;
    gsize len = 0;
    if (strcmp(path, "-") == 0) {
        text = read_stdin(&len, error);
        return text ? parse("(standard input)", text, len, error) : NULL;
    }
    GError *e = NULL;
    if (!g_file_get_contents(path, &text, &len, &e)) {
        g_set_error(error, DIFF_ERROR, 0, "%s", e->message);
        g_error_free(e);
        return NULL;
    }
    if (g_str_has_suffix(path, ".gz")) {
        size_t n = 0;
        char *plain = gz_inflate(path, text, len, DTRACE_MAX_BYTES - 1, &n, error);
        g_free(text);
        return plain ? parse(path, plain, n, error) : NULL;
    }
    if (len >= DTRACE_MAX_BYTES) {
        g_set_error(error, DIFF_ERROR, 0, "%s: larger than %u bytes", path, DTRACE_MAX_BYTES);
        g_free(text);
        return NULL;
    }
    return parse(path, text, len, error);
}
