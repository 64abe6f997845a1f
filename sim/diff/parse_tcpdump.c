/* SPDX-License-Identifier: MIT */
/*
 * parse_tcpdump.c: the text tcpdump prints, read back into captured segments.
 *
 * Entry point: dtrace_parse_tcpdump(). Lines as `tcpdump -n` prints them, with any of
 * its time stamps: none (-t), "12:00:01.250000" (the default, a time of day), "1.250000"
 * (-tt, seconds) or "1970-01-01 00:00:01.250000" (-tttt); microseconds or nanoseconds.
 * -ttt (the time since the previous packet) and -ttttt (since the first) print " 00:00:
 * 00.010000" after a space or a minus sign; the two cannot be told apart, so such a line is
 * an error that says which options to use instead. -v output, where
 * the segment follows on an indented line, is understood too (IPv6 lines, "IP6 ...", and
 * their -v form, the segment after the header's parenthesis). Lines that are not IP
 * TCP (ARP, UDP ...) and hex dumps are skipped and counted; a line that claims to
 * be a TCP segment but cannot be read is an error at its line.
 */
#include <string.h>

#include "dtrace.h"

#define NS_PER_SEC 1000000000ll
#define NS_PER_DAY (86400ll * NS_PER_SEC)
#define TCPDUMP_MAX_SECS 9000000000ll /* about the year 2255 */
#define TCPDUMP_MAX_DAYS (TCPDUMP_MAX_SECS / 86400)

static bool
digits(const char *s, int n)
{
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return false;
        }
    }
    return true;
}

static int64_t
number(const char *s, int n)
{
    int64_t v = 0;
    for (int i = 0; i < n; i++) {
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* Days since 1970-01-01 of a proleptic Gregorian date: count whole years from a year
 * that starts in March, so February's length only matters at the end. */
static int64_t
days_from_civil(int64_t y, int64_t m, int64_t d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* "SS.frac" after the whole seconds were read: the fraction, 1 to 9 digits. */
static bool
fraction(const char **p, int64_t *ns, int *ndigits)
{
    if (**p != '.') {
        return false;
    }
    (*p)++;
    int n = (int)strspn(*p, "0123456789");
    if (n < 1 || n > 9) {
        return false;
    }
    int64_t f = number(*p, n);
    for (int i = n; i < 9; i++) {
        f *= 10;
    }
    *ns = f;
    *ndigits = n;
    *p += n;
    return true;
}

/* A time stamp at the start of a line, if there is one; *p moves past it and a space. */
static bool
timestamp(const char **p, int64_t *at, int *ndigits, bool *of_day)
{
    const char *s = *p;
    int64_t day = 0;
    if (digits(s, 4) && s[4] == '-' && digits(s + 5, 2) && s[7] == '-' && digits(s + 8, 2) &&
        s[10] == ' ') {
        day = days_from_civil(number(s, 4), number(s + 5, 2), number(s + 8, 2));
        s += 11;
    }
    int64_t frac = 0;
    int n = (int)strspn(s, "0123456789");
    if (n == 0 || n > 12) {
        return false;
    }
    int64_t secs = number(s, n);
    *of_day = false;
    if (s[n] == ':' && n <= 2 && digits(s + n + 1, 2) && s[n + 3] == ':' && digits(s + n + 4, 2)) {
        secs = secs * 3600 + number(s + n + 1, 2) * 60 + number(s + n + 4, 2);
        s += n + 6;
        *of_day = day == 0;
    } else {
        s += n;
    }
    if (!fraction(&s, &frac, ndigits) || *s != ' ') {
        return false;
    }
    /* Nanoseconds in 64 bits reach the year 2262: a time stamp past that (or before
     * 1970) is not one tcpdump printed, and must not overflow. */
    if (day < 0 || day > TCPDUMP_MAX_DAYS || secs > TCPDUMP_MAX_SECS ||
        (day > 0 && secs >= 86400)) {
        return false;
    }
    *at = day * NS_PER_DAY + secs * NS_PER_SEC + frac;
    if (*at < 0 || *at > TCPDUMP_MAX_SECS * NS_PER_SEC) {
        return false;
    }
    *p = s + 1;
    return true;
}

struct reader {
    struct dtrace *t;
    bool pending; /* -v: the IP line was read, the segment comes on the next line */
    int64_t pending_at;
    uint32_t pending_line;
    int64_t last_at;
    int64_t day_offset; /* a time of day that wrapped past midnight */
};

static gboolean
segment(struct reader *r, const char *body, int64_t at, uint32_t line, char *text, GError **error)
{
    struct dtrace *t = r->t;
    if (strstr(body, ": Flags [") == NULL) {
        t->skipped++; /* IPv4 but not TCP */
        return TRUE;
    }
    struct dev e = {.kind = DEV_CAPTURED, .line = line, .at = at, .who = "", .text = text};
    const char *rest = NULL;
    const char *why = NULL;
    if (!dseg_parse(body, &e.seg, &rest, t->strings, &why)) {
        dtrace_error(error, t, line, "tcpdump TCP line: %s", why);
        return FALSE;
    }
    if (e.seg.len == 0 && !(e.seg.flags & (DF_SYN | DF_FIN | DF_RST))) {
        /* A segment that occupies no sequence space: tcpdump -n prints no seq for it (nor
         * does tcpsim's trace), -v and -vv do; read both the same way. */
        e.seg.has_seq = false;
    }
    g_array_append_val(t->ev, e);
    return TRUE;
}

static gboolean
line_of(struct reader *r, char *s, uint32_t line, GError **error)
{
    struct dtrace *t = r->t;
    const char *rel = s + 1;
    int64_t rel_at = 0;
    int rel_nd = 0;
    bool rel_of_day = false;
    if ((*s == ' ' || *s == '-') && timestamp(&rel, &rel_at, &rel_nd, &rel_of_day) &&
        (strncmp(rel, "IP ", 3) == 0 || strncmp(rel, "IP6 ", 4) == 0)) {
        dtrace_error(error, t, line,
                     "a relative tcpdump time stamp (-ttt or -ttttt), which cannot be read "
                     "back into times; print the capture with tcpdump -n (time of day), -tt "
                     "(seconds) or -tttt (date and time)");
        return FALSE;
    }
    if (*s == ' ' || *s == '\t') {
        if (!r->pending) {
            return TRUE; /* a hex dump or -v detail line */
        }
        r->pending = false;
        return segment(r, s + strspn(s, " \t"), r->pending_at, r->pending_line, s, error);
    }
    r->pending = false;
    const char *p = s;
    int64_t at = 0;
    int nd = 0;
    bool of_day = false;
    bool stamped = timestamp(&p, &at, &nd, &of_day);
    if (stamped) {
        t->has_time = true;
        t->time_digits = MAX(t->time_digits, nd);
        if (of_day) {
            at += r->day_offset;
            if (at + NS_PER_DAY / 2 < r->last_at) { /* past midnight */
                r->day_offset += NS_PER_DAY;
                at += NS_PER_DAY;
            }
        }
        r->last_at = at;
    }
    if (strncmp(p, "IP6 ", 4) == 0) {
        p += 4;
        if (*p == '(') { /* -v: "IP6 (flowlabel ..., hlim 64, ...) SEGMENT" on one line */
            int depth = 0; /* "(hlim 64, next-header TCP (6) payload length: 40) " */
            const char *q = p;
            for (; *q; q++) {
                depth += *q == '(' ? 1 : *q == ')' ? -1 : 0;
                if (depth == 0) {
                    break;
                }
            }
            if (*q != ')' || q[1] != ' ') {
                t->skipped++;
                return TRUE;
            }
            p = q + 2;
        }
        return segment(r, p, at, line, s, error);
    }
    if (strncmp(p, "IP ", 3) != 0) {
        t->skipped += !g_str_has_prefix(s, "reading from file "); /* tcpdump's stderr */
        return TRUE;
    }
    p += 3;
    if (*p == '(') { /* -v: "IP (tos 0x0, ttl 64, ...)" and the segment on the next line */
        r->pending = true;
        r->pending_at = at;
        r->pending_line = line;
        return TRUE;
    }
    return segment(r, p, at, line, s, error);
}

gboolean
dtrace_parse_tcpdump(struct dtrace *t, GError **error)
{
    struct reader r = {.t = t};
    char *text = t->text;
    uint32_t line = 0;
    for (char *p; (p = dtrace_next_line(&text, &line)) != NULL;) {
        if (*p && !line_of(&r, p, line, error)) {
            return FALSE;
        }
    }
    if (t->ev->len == 0 && t->skipped > 0) { /* empty: a capture that saw nothing */
        dtrace_error(error, t, 1,
                     "no TCP segments: this is neither a tcpsim trace "
                     "(\"# tcpsim trace v1\") nor tcpdump -n output");
        return FALSE;
    }
    return TRUE;
}
