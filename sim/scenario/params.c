/* SPDX-License-Identifier: MIT */
/*
 * params.c: scenario templates: ${NAME} and ${NAME:-DEFAULT} replaced by values given
 * on the command line (tcpsim run --param NAME=VALUE) or by a sweep's grid.
 *
 * Entry point: tcpsim_scenario_instantiate(). The replacement is textual and happens
 * before the scenario is read, so a parameter may stand for any word: a time, a rate,
 * a knob's value, a host, a whole link line.
 */
#include <string.h>
#include <tcpsim/scenario.h>

static bool
name_char(char c, bool first)
{
    return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
           (!first && c >= '0' && c <= '9');
}

/* The value of NAME in params, or NULL. */
static const char *
lookup(const char *const *params, const char *name, gsize len)
{
    for (const char *const *p = params; p != NULL && *p != NULL; p++) {
        if (strncmp(*p, name, len) == 0 && (*p)[len] == '=') {
            return *p + len + 1;
        }
    }
    return NULL;
}

char *
tcpsim_scenario_instantiate(const char *name, const char *text, const char *const *params,
                            GError **error)
{
    for (const char *const *p = params; p != NULL && *p != NULL; p++) {
        const char *eq = strchr(*p, '=');
        bool ok = eq != NULL && eq != *p;
        for (const char *c = *p; ok && c < eq; c++) {
            ok = name_char(*c, c == *p);
        }
        if (!ok) {
            g_set_error(error, TCPSIM_SCENARIO_ERROR, TCPSIM_SCENARIO_ERROR_SYNTAX,
                        "--param %s: expected NAME=VALUE, NAME of letters, digits and _, as "
                        "in LOSS=1%%",
                        *p);
            return NULL;
        }
    }
    GString *out = g_string_sized_new(strlen(text) + 64);
    GHashTable *used = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    guint line = 1;
    const char *line_start = text;
    const char *s = text;
    bool in_string = false;
    bool in_comment = false;
    while (*s) {
        if (*s == '\n') {
            line++;
            line_start = s + 1;
            in_string = in_comment = false;
        } else if (!in_comment && *s == '"' && !(in_string && s > text && s[-1] == '\\')) {
            in_string = !in_string;
        } else if (!in_string && *s == '#') {
            in_comment = true;
        }
        if (in_comment || s[0] != '$' || s[1] != '{') {
            g_string_append_c(out, *s++);
            continue;
        }
        const char *n = s + 2;
        const char *e = n;
        while (name_char(*e, e == n)) {
            e++;
        }
        const char *def = NULL;
        const char *close = e;
        if (e > n && e[0] == ':' && e[1] == '-') {
            def = e + 2;
            close = def;
            while (*close && *close != '}' && *close != '\n') {
                close++;
            }
        }
        guint col = (guint)(s - line_start) + 1;
        if (e == n || *close != '}') {
            g_set_error(error, TCPSIM_SCENARIO_ERROR, TCPSIM_SCENARIO_ERROR_SYNTAX,
                        "%s:%u:%u: error: a parameter is written ${NAME} or ${NAME:-DEFAULT}",
                        name, line, col);
            goto fail;
        }
        g_autofree char *pname = g_strndup(n, (gsize)(e - n));
        const char *v = lookup(params, n, (gsize)(e - n));
        if (v == NULL && def == NULL) {
            g_set_error(error, TCPSIM_SCENARIO_ERROR, TCPSIM_SCENARIO_ERROR_SYNTAX,
                        "%s:%u:%u: error: parameter ${%s} has no value; give one with --param "
                        "%s=VALUE (or write ${%s:-DEFAULT})",
                        name, line, col, pname, pname, pname);
            goto fail;
        }
        if (v != NULL) {
            g_string_append(out, v);
        } else {
            g_string_append_len(out, def, close - def);
        }
        g_hash_table_add(used, g_steal_pointer(&pname));
        s = close + 1;
    }
    for (const char *const *p = params; p != NULL && *p != NULL; p++) {
        g_autofree char *pname = g_strndup(*p, (gsize)(strchr(*p, '=') - *p));
        if (!g_hash_table_contains(used, pname)) {
            g_set_error(error, TCPSIM_SCENARIO_ERROR, TCPSIM_SCENARIO_ERROR_SYNTAX,
                        "--param %s: %s has no ${%s}", *p, name, pname);
            goto fail;
        }
    }
    g_hash_table_destroy(used);
    return g_string_free(out, FALSE);
fail:
    g_hash_table_destroy(used);
    g_string_free(out, TRUE);
    return NULL;
}
