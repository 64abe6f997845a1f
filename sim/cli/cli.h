/* SPDX-License-Identifier: MIT */
/*
 * cli.h: the tcpsim program's subcommands. Exit status: 0 success, 1 an expect failed
 * (or traces differ), 2 usage or input error.
 */
#ifndef TCPSIM_CLI_H
#define TCPSIM_CLI_H

#include <glib.h>
#include <tcpsim/scenario.h>
#include <tcpsim/view.h>

enum { EXIT_OK = 0, EXIT_CHECK_FAILED = 1, EXIT_USAGE = 2 };

int cmd_run(int argc, char **argv);
int cmd_knobs(int argc, char **argv);
int cmd_counters(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_quiz(int argc, char **argv);
int cmd_explore(int argc, char **argv);

/* diff_args.c: the options diff and check share. */
struct diff_options;
struct diff_args {
    char **ignore;
    char *time_within;
    char *pcap_at;
    gint context;
    gboolean all;
    gboolean quiet;
};
void diff_args_add(GOptionContext *ctx, struct diff_args *a);
/* FALSE (message printed) on a bad value. */
gboolean diff_args_resolve(const char *cmd, const struct diff_args *a, struct diff_options *o);
void diff_args_clear(struct diff_args *a);

/* What a command prints: run the trace, ladder the ladder, explain the explained trace. */
enum cli_main { CLI_MAIN_TRACE, CLI_MAIN_LADDER, CLI_MAIN_EXPLAIN };
int cmd_run_view(int argc, char **argv, enum cli_main main_view);

/* view_opts.c: the view options, parsed into `v` by cli_views_finish(). */
struct cli_views {
    char *ladder_svg;
    char *html;
    char *plot_seq;
    char *plot_cwnd;
    char *from;
    char *to;
    gint64 segments;
    gboolean app;
    char *only;
    gint64 connections;
    gboolean window;
    gboolean textbook;
    gboolean linear_time;
    gboolean slides;
    gboolean lanes;
    char *lang;
    struct tcpsim_views v;
};
void cli_views_options(GOptionContext *ctx, struct cli_views *cv, enum cli_main main_view);
/* FALSE (message printed) on a usage error. `out` is -o's FILE for the main view. */
gboolean cli_views_finish(struct cli_views *cv, enum cli_main main_view, const char *out,
                          gboolean absolute);
void cli_views_clear(struct cli_views *cv);
int cmd_pkt(int argc, char **argv);
int cmd_replay(int argc, char **argv);

/* scenario_path.c: "handshake/basic" to the bundled scenario's file (TCPSIM_SCENARIO_PATH,
 * then the installed scenarios); an existing file or "-" is itself. g_free() the result. */
char *cli_scenario_find(const char *arg);
char **cli_scenario_dirs(void);
int cmd_scenarios(int argc, char **argv);
/* Reads the scenario at `path` ("-": standard input), fills in its ${NAME} parameters
 * from `params` ("NAME=VALUE", NULL-terminated, or NULL) and parses it. */
struct tcpsim_scenario *cli_load_scenario(const char *path, char **params, GError **error);

/* Prints "tcpsim: <message>" to standard error and returns EXIT_USAGE. */
int cli_fail(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
/* Whether two paths name one file (the same path once tidied, or the same inode). */
gboolean cli_same_file(const char *a, const char *b);
/* The candidate (candidate(i) for i = 0, 1, ... until NULL) nearest to `word`, when it is
 * near enough to be a slip of the keyboard; NULL otherwise. */
const char *cli_suggest(const char *word, const char *(*candidate)(guint i));
/* FALSE (message printed, with a "did you mean") when a --set names an unknown knob. */
gboolean cli_check_sets(const char *cmd, char **sets);
/* Writes `text` to the file `path`, or to standard output for "-"; FALSE (message
 * printed) on an error. */
gboolean cli_write_text(const char *path, const char *text);
/* Parses the subcommand's options; FALSE (message printed) on a usage error. */
gboolean cli_parse(GOptionContext *ctx, int *argc, char ***argv);

#endif
