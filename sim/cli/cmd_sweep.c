/* SPDX-License-Identifier: MIT */
/*
 * cmd_sweep.c: "tcpsim sweep GRID": a scenario template run over a parameter grid, one
 * row per run (CSV or JSON lines), and "tcpsim sweep --merge" joining shards' rows.
 *
 * A grid file names the template and its axes:
 *
 *     scenario  lossy.scn              # relative to the grid file, or a bundled name
 *     param     LOSS  0% 1% 2%         # ${LOSS} in the template
 *     set       *.tcp_sack  1 0        # a knob, as --set *.tcp_sack=VALUE
 *     seeds     1-10                   # or: seeds 1 5 9
 *
 * The runs are the axes' product in file order, the first axis slowest and the seeds
 * fastest; run i (from 0) always means the same values. --shard I/N runs those with
 * i mod N = I - 1, so N machines given the same grid split it with no coordination;
 * their outputs, merged (--merge), are the single machine's output byte for byte: rows
 * are written in run order whatever --jobs did, and hold nothing of the machine.
 */
#include <stdio.h>
#include <string.h>
#include <tcpsim/scenario.h>

#include "cli.h"

struct axis {
    char *name;   /* NAME (param) or HOST.knob (set) */
    bool is_set;
    GPtrArray *values;
};

struct grid {
    char *file;
    char *scenario;
    char *text;       /* the template */
    GPtrArray *axes;  /* struct axis * */
    GArray *seeds;    /* uint64_t; empty: the scenario's own */
    guint64 runs;
};

struct job {
    const struct grid *g;
    guint64 index;
    char *row;
};

static void
axis_free(gpointer p)
{
    struct axis *a = p;
    g_free(a->name);
    g_ptr_array_free(a->values, TRUE);
    g_free(a);
}

static void
grid_free(struct grid *g)
{
    g_free(g->file);
    g_free(g->scenario);
    g_free(g->text);
    g_ptr_array_free(g->axes, TRUE);
    g_array_free(g->seeds, TRUE);
}

static gboolean
grid_error(const char *file, guint line, const char *msg)
{
    fprintf(stderr, "%s:%u:1: error: %s\n", file, line, msg);
    return FALSE;
}

static gboolean
parse_seeds(struct grid *g, char **w, guint line)
{
    for (; *w; w++) {
        guint64 lo, hi;
        char *dash = strchr(*w, '-');
        if (dash != NULL) {
            *dash = '\0';
            if (!g_ascii_string_to_unsigned(*w, 10, 0, G_MAXUINT64, &lo, NULL) ||
                !g_ascii_string_to_unsigned(dash + 1, 10, 0, G_MAXUINT64, &hi, NULL) || hi < lo ||
                hi - lo >= 1000000) {
                return grid_error(g->file, line, "seeds: expected N, or a range A-B of at most "
                                                 "a million");
            }
        } else if (!g_ascii_string_to_unsigned(*w, 10, 0, G_MAXUINT64, &lo, NULL)) {
            return grid_error(g->file, line, "seeds: expected whole numbers or ranges A-B");
        } else {
            hi = lo;
        }
        for (guint64 s = lo;; s++) {
            g_array_append_val(g->seeds, s);
            if (s == hi) {
                break;
            }
        }
    }
    return TRUE;
}

static gboolean
grid_load(struct grid *g, const char *file)
{
    *g = (struct grid){.file = g_strdup(file), .axes = g_ptr_array_new_with_free_func(axis_free),
                       .seeds = g_array_new(FALSE, FALSE, sizeof(guint64))};
    g_autofree char *text = NULL;
    GError *e = NULL;
    if (!g_file_get_contents(file, &text, NULL, &e)) {
        cli_fail("sweep: %s", e->message);
        g_error_free(e);
        return FALSE;
    }
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    for (guint n = 0; lines[n]; n++) {
        char *hash = strchr(lines[n], '#');
        if (hash) {
            *hash = '\0';
        }
        g_auto(GStrv) w = g_strsplit_set(g_strstrip(lines[n]), " \t", -1);
        GPtrArray *words = g_ptr_array_new();
        for (char **p = w; *p; p++) {
            if (**p) {
                g_ptr_array_add(words, *p);
            }
        }
        g_ptr_array_add(words, NULL);
        char **v = (char **)words->pdata;
        gboolean ok = TRUE;
        if (v[0] == NULL) {
            /* blank */
        } else if (strcmp(v[0], "scenario") == 0 && v[1] && !v[2] && !g->scenario) {
            g->scenario = g_strdup(v[1]);
        } else if ((strcmp(v[0], "param") == 0 || strcmp(v[0], "set") == 0) && v[1] && v[2]) {
            struct axis *a = g_new0(struct axis, 1);
            a->name = g_strdup(v[1]);
            a->is_set = v[0][0] == 's';
            a->values = g_ptr_array_new_with_free_func(g_free);
            for (char **p = v + 2; *p; p++) {
                g_ptr_array_add(a->values, g_strdup(*p));
            }
            g_ptr_array_add(g->axes, a);
            if (a->is_set && (strchr(a->name, '.') == NULL || strchr(a->name, '=') != NULL)) {
                ok = grid_error(file, n + 1, "set: expected HOST.knob VALUE..., as in "
                                             "set *.tcp_sack 0 1");
            }
        } else if (strcmp(v[0], "seeds") == 0 && v[1]) {
            ok = parse_seeds(g, v + 1, n + 1);
        } else {
            ok = grid_error(file, n + 1, "expected scenario FILE, param NAME VALUE..., set "
                                         "HOST.knob VALUE... or seeds N|A-B...");
        }
        g_ptr_array_free(words, TRUE);
        if (!ok) {
            return FALSE;
        }
    }
    if (g->scenario == NULL) {
        return grid_error(file, 1, "no scenario line: which template does the grid run?");
    }
    /* The template: beside the grid file, else by name as run finds it. */
    g_autofree char *dir = g_path_get_dirname(file);
    g_autofree char *beside = g_build_filename(dir, g->scenario, NULL);
    g_autofree char *path = g_path_is_absolute(g->scenario) || !g_file_test(beside,
                                                                            G_FILE_TEST_EXISTS)
                                ? cli_scenario_find(g->scenario)
                                : g_strdup(beside);
    if (!g_file_get_contents(path, &g->text, NULL, &e)) {
        cli_fail("sweep: %s", e->message);
        g_error_free(e);
        return FALSE;
    }
    g->runs = g->seeds->len ? g->seeds->len : 1;
    for (guint i = 0; i < g->axes->len; i++) {
        g->runs *= ((struct axis *)g_ptr_array_index(g->axes, i))->values->len;
    }
    return TRUE;
}

/* Run `index`'s value on each axis (mixed radix, the last axis fastest), and its seed. */
static void
run_values(const struct grid *g, guint64 index, const char **values, bool *has_seed,
           guint64 *seed)
{
    guint64 rest = index;
    *has_seed = g->seeds->len > 0;
    if (*has_seed) {
        *seed = g_array_index(g->seeds, guint64, rest % g->seeds->len);
        rest /= g->seeds->len;
    }
    for (guint i = g->axes->len; i-- > 0;) {
        const struct axis *a = g_ptr_array_index(g->axes, i);
        values[i] = g_ptr_array_index(a->values, rest % a->values->len);
        rest /= a->values->len;
    }
}

static void
csv_field(GString *s, const char *v)
{
    if (s->len && s->str[s->len - 1] != '\n') {
        g_string_append_c(s, ',');
    }
    if (strpbrk(v, ",\"\r\n") == NULL) {
        g_string_append(s, v);
        return;
    }
    g_string_append_c(s, '"');
    for (; *v; v++) {
        if (*v == '"') {
            g_string_append_c(s, '"');
        }
        g_string_append_c(s, *v);
    }
    g_string_append_c(s, '"');
}

static const char *const metric_names[] = {
    "status", "end_ns", "events", "expects_failed", "connections", "established", "completed",
    "last_completed_ns", "retransmissions", "bytes_sent", "bytes_delivered", "segments",
    "dropped",
};

static char *
header_row(const struct grid *g, bool json)
{
    if (json) {
        return NULL; /* JSON lines carry their keys */
    }
    GString *s = g_string_new(NULL);
    csv_field(s, "run");
    csv_field(s, "seed");
    for (guint i = 0; i < g->axes->len; i++) {
        csv_field(s, ((struct axis *)g_ptr_array_index(g->axes, i))->name);
    }
    for (size_t i = 0; i < G_N_ELEMENTS(metric_names); i++) {
        csv_field(s, metric_names[i]);
    }
    g_string_append_c(s, '\n');
    return g_string_free(s, FALSE);
}

static void
json_str(GString *s, const char *v)
{
    g_string_append_c(s, '"');
    for (; *v; v++) {
        if (*v == '"' || *v == '\\') {
            g_string_append_c(s, '\\');
        }
        if ((unsigned char)*v < 0x20) {
            g_string_append_printf(s, "\\u%04x", (unsigned char)*v);
        } else {
            g_string_append_c(s, *v);
        }
    }
    g_string_append_c(s, '"');
}

/* One run: instantiate, run, and make its row. */
static void
run_job(gpointer data, gpointer user)
{
    struct job *j = data;
    bool json = GPOINTER_TO_INT(user);
    const struct grid *g = j->g;
    const char *values[64];
    bool has_seed;
    guint64 seed = 0;
    run_values(g, j->index, values, &has_seed, &seed);
    GPtrArray *params = g_ptr_array_new_with_free_func(g_free);
    GPtrArray *sets = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; i < g->axes->len; i++) {
        const struct axis *a = g_ptr_array_index(g->axes, i);
        g_ptr_array_add(a->is_set ? sets : params, g_strdup_printf("%s=%s", a->name, values[i]));
    }
    g_ptr_array_add(params, NULL);
    g_ptr_array_add(sets, NULL);
    GError *e = NULL;
    struct tcpsim_run_result res = {0};
    char *text = tcpsim_scenario_instantiate(g->scenario, g->text,
                                             (const char *const *)params->pdata, &e);
    struct tcpsim_scenario *scn = text ? tcpsim_scenario_parse(g->scenario, text, strlen(text), &e)
                                       : NULL;
    gboolean ran = FALSE;
    if (scn != NULL) {
        struct tcpsim_run_options o = {
            .trace_name = g->scenario, .no_trace = true, .has_seed = has_seed, .seed = seed,
            .sets = (const char *const *)sets->pdata,
            .params = (const char *const *)params->pdata, .summary = true,
        };
        ran = tcpsim_scenario_run(scn, &o, &res, &e);
    }
    GString *s = g_string_new(NULL);
    char num[32];
    const struct tcpsim_summary_totals *t = &res.totals;
    const char *status = !ran ? "error" : res.failed ? "failed" : "ok";
    guint64 m[] = {res.end_time, res.events, res.failed, t->connections, t->established,
                   t->completed, 0, t->retransmissions, t->bytes_sent, t->bytes_delivered,
                   t->link_sent, t->link_dropped};
    if (json) {
        g_string_append_printf(s, "{\"run\":%" G_GUINT64_FORMAT ",\"seed\":%" G_GUINT64_FORMAT,
                               j->index, ran ? res.seed : seed);
        for (guint i = 0; i < g->axes->len; i++) {
            g_string_append_c(s, ',');
            json_str(s, ((struct axis *)g_ptr_array_index(g->axes, i))->name);
            g_string_append_c(s, ':');
            json_str(s, values[i]);
        }
        g_string_append(s, ",\"status\":");
        json_str(s, status);
        if (!ran) {
            g_string_append(s, ",\"error\":");
            json_str(s, e ? e->message : "");
        } else {
            g_string_append(s, ",\"summary\":");
            g_string_append_len(s, res.summary, (gssize)strlen(res.summary) - 1); /* no \n */
        }
        g_string_append(s, "}\n");
    } else {
        g_snprintf(num, sizeof num, "%" G_GUINT64_FORMAT, j->index);
        csv_field(s, num);
        g_snprintf(num, sizeof num, "%" G_GUINT64_FORMAT, ran ? res.seed : seed);
        csv_field(s, num);
        for (guint i = 0; i < g->axes->len; i++) {
            csv_field(s, values[i]);
        }
        csv_field(s, status);
        for (size_t i = 0; i < G_N_ELEMENTS(m); i++) {
            if (!ran || (i == 6 && t->last_completed < 0)) {
                csv_field(s, "");
                continue;
            }
            if (i == 6) {
                g_snprintf(num, sizeof num, "%" G_GINT64_FORMAT, t->last_completed);
            } else {
                g_snprintf(num, sizeof num, "%" G_GUINT64_FORMAT, m[i]);
            }
            csv_field(s, num);
        }
        g_string_append_c(s, '\n');
    }
    if (!ran) {
        fprintf(stderr, "tcpsim: sweep: run %" G_GUINT64_FORMAT ": %s\n", j->index,
                e ? e->message : "failed");
    }
    j->row = g_string_free(s, FALSE);
    if (e) {
        g_error_free(e);
    }
    tcpsim_run_result_clear(&res);
    tcpsim_scenario_free(scn);
    g_free(text);
    g_ptr_array_free(params, TRUE);
    g_ptr_array_free(sets, TRUE);
}

static gboolean
parse_shard(const char *spec, guint64 *i, guint64 *n)
{
    g_auto(GStrv) p = spec ? g_strsplit(spec, "/", 2) : NULL;
    return p && p[0] && p[1] && g_ascii_string_to_unsigned(p[1], 10, 1, G_MAXUINT32, n, NULL) &&
           g_ascii_string_to_unsigned(p[0], 10, 1, *n, i, NULL);
}

static gint
cmp_key(gconstpointer a, gconstpointer b, gpointer unused)
{
    (void)unused;
    return strcmp(a, b);
}

/* Joins shards' rows: one header (CSV), rows in run order, no run twice. */
static int
merge(char **files, const char *out)
{
    GTree *rows = g_tree_new_full(cmp_key, NULL, g_free, g_free);
    g_autofree char *header = NULL;
    int status = EXIT_OK;
    for (char **f = files; *f && status == EXIT_OK; f++) {
        g_autofree char *text = NULL;
        GError *e = NULL;
        if (!g_file_get_contents(*f, &text, NULL, &e)) {
            status = cli_fail("sweep --merge: %s", e->message);
            g_error_free(e);
            break;
        }
        g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
        for (guint k = 0; lines[k] && status == EXIT_OK; k++) {
            const char *l = lines[k];
            if (*l == '\0') {
                continue;
            }
            if (k == 0 && strncmp(l, "run,", 4) == 0) {
                if (header && strcmp(header, l) != 0) {
                    status = cli_fail("sweep --merge: %s has other columns than the files "
                                      "before it", *f);
                }
                header = header ? header : g_strdup(l);
                continue;
            }
            const char *p = l[0] == '{' ? l + strlen("{\"run\":") : l;
            guint64 idx = g_ascii_strtoull(p, NULL, 10);
            char key[32];
            g_snprintf(key, sizeof key, "%020" G_GUINT64_FORMAT, idx);
            if (g_tree_lookup(rows, key)) {
                status = cli_fail("sweep --merge: run %" G_GUINT64_FORMAT " is in more than one "
                                  "row (%s); were the shards given twice?",
                                  idx, *f);
            }
            g_tree_insert(rows, g_strdup(key), g_strconcat(l, "\n", NULL));
        }
    }
    if (status == EXIT_OK) {
        GString *s = g_string_new(header ? header : "");
        if (header) {
            g_string_append_c(s, '\n');
        }
        guint64 expect = 0;
        GTreeNode *node = g_tree_node_first(rows);
        for (; node; node = g_tree_node_next(node), expect++) {
            if (g_ascii_strtoull(g_tree_node_key(node), NULL, 10) != expect) {
                fprintf(stderr, "tcpsim: sweep --merge: warning: run %" G_GUINT64_FORMAT
                                " is missing (a shard not run?)\n", expect);
                expect = g_ascii_strtoull(g_tree_node_key(node), NULL, 10);
            }
            g_string_append(s, g_tree_node_value(node));
        }
        status = cli_write_text(out ? out : "-", s->str) ? EXIT_OK : EXIT_USAGE;
        g_string_free(s, TRUE);
    }
    g_tree_destroy(rows);
    return status;
}

int
cmd_sweep(int argc, char **argv)
{
    gint jobs = 1;
    g_autofree char *shard = NULL;
    g_autofree char *format = NULL;
    g_autofree char *out = NULL;
    gboolean do_merge = FALSE;
    gboolean list = FALSE;
    GOptionEntry entries[] = {
        {"jobs", 'j', 0, G_OPTION_ARG_INT, &jobs, "Run N simulations at once (threads; default 1)", "N"},
        {"shard", 0, 0, G_OPTION_ARG_STRING, &shard, "Run only slice I of N (1 <= I <= N): the runs i with i mod N = I-1", "I/N"},
        {"format", 0, 0, G_OPTION_ARG_STRING, &format, "csv (the default; one row per run with a header) or jsonl (one JSON object per run, its full summary inside)", "FMT"},
        {"output", 'o', 0, G_OPTION_ARG_FILENAME, &out, "Write the rows to FILE (default: standard output)", "FILE"},
        {"merge", 0, 0, G_OPTION_ARG_NONE, &do_merge, "Join the rows of the shards' FILEs, in run order", NULL},
        {"list", 0, 0, G_OPTION_ARG_NONE, &list, "Print the runs the grid (and --shard) means, without running them", NULL},
        G_OPTION_ENTRY_NULL,
    };
    g_autoptr(GOptionContext) ctx = g_option_context_new("GRID - run a scenario template over a parameter grid");
    g_option_context_set_summary(ctx,
        "Runs the scenario template that the GRID file names once per combination of its\n"
        "axes (param NAME VALUE..., set HOST.knob VALUE..., seeds A-B) and writes one row\n"
        "per run from the run's summary (docs/sweeps.md).");
    g_option_context_set_description(ctx,
        "Examples:\n"
        "  tcpsim sweep loss.grid --jobs 2 -o loss.csv\n"
        "  parallel tcpsim sweep loss.grid --shard {}/3 -o part{}.csv ::: 1 2 3\n"
        "  tcpsim sweep --merge part1.csv part2.csv part3.csv -o loss.csv\n"
        "Exit status: 0 every run held its expects, 1 one failed, 2 bad input or a run error.");
    g_option_context_add_main_entries(ctx, entries, NULL);
    if (!cli_parse(ctx, &argc, &argv)) {
        return EXIT_USAGE;
    }
    if (do_merge) {
        if (argc < 2) {
            return cli_fail("sweep --merge: the shards' FILEs are needed");
        }
        return merge(argv + 1, out);
    }
    if (argc != 2) {
        return cli_fail("sweep: one GRID file is needed; try \"tcpsim sweep --help\"");
    }
    bool json = format != NULL && (strcmp(format, "jsonl") == 0 || strcmp(format, "json") == 0);
    if (format != NULL && !json && strcmp(format, "csv") != 0) {
        return cli_fail("sweep: --format %s: expected csv or jsonl", format);
    }
    guint64 si = 1, sn = 1;
    if (shard != NULL && !parse_shard(shard, &si, &sn)) {
        return cli_fail("sweep: --shard %s: expected I/N with 1 <= I <= N, as in 2/3", shard);
    }
    if (jobs < 1 || jobs > 1024) {
        return cli_fail("sweep: --jobs %d: expected 1 to 1024", jobs);
    }
    struct grid g;
    if (!grid_load(&g, argv[1])) {
        grid_free(&g);
        return EXIT_USAGE;
    }
    if (g.axes->len > 64) {
        grid_free(&g);
        return cli_fail("sweep: at most 64 axes");
    }
    GArray *js = g_array_new(FALSE, TRUE, sizeof(struct job));
    for (guint64 i = si - 1; i < g.runs; i += sn) {
        struct job j = {.g = &g, .index = i};
        g_array_append_val(js, j);
    }
    if (list) {
        for (guint k = 0; k < js->len; k++) {
            const char *values[64];
            bool has_seed;
            guint64 seed = 0;
            guint64 idx = g_array_index(js, struct job, k).index;
            run_values(&g, idx, values, &has_seed, &seed);
            printf("%" G_GUINT64_FORMAT, idx);
            for (guint i = 0; i < g.axes->len; i++) {
                printf(" %s=%s", ((struct axis *)g_ptr_array_index(g.axes, i))->name, values[i]);
            }
            if (has_seed) {
                printf(" seed=%" G_GUINT64_FORMAT, seed);
            }
            putchar('\n');
        }
        g_array_free(js, TRUE);
        grid_free(&g);
        return EXIT_OK;
    }
    GThreadPool *pool = g_thread_pool_new(run_job, GINT_TO_POINTER(json), jobs, TRUE, NULL);
    for (guint k = 0; k < js->len; k++) {
        g_thread_pool_push(pool, &g_array_index(js, struct job, k), NULL);
    }
    g_thread_pool_free(pool, FALSE, TRUE);
    GString *s = g_string_new(NULL);
    g_autofree char *header = header_row(&g, json);
    if (header) {
        g_string_append(s, header);
    }
    int status = EXIT_OK;
    for (guint k = 0; k < js->len; k++) {
        struct job *j = &g_array_index(js, struct job, k);
        g_string_append(s, j->row);
        if (strstr(j->row, json ? "\"status\":\"error\"" : ",error,") != NULL) {
            status = EXIT_USAGE;
        } else if (status == EXIT_OK &&
                   strstr(j->row, json ? "\"status\":\"failed\"" : ",failed,") != NULL) {
            status = EXIT_CHECK_FAILED;
        }
        g_free(j->row);
    }
    if (!cli_write_text(out ? out : "-", s->str)) {
        status = EXIT_USAGE;
    }
    g_string_free(s, TRUE);
    g_array_free(js, TRUE);
    grid_free(&g);
    return status;
}
