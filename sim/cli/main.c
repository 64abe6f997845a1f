/* SPDX-License-Identifier: MIT */
/*
 * main.c: the tcpsim program: picks the subcommand and hands over.
 */
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <tcpsim/sim.h>

#include "cli.h"
#include "tcpsim-config.h"

static const char usage[] =
    "Usage: tcpsim COMMAND [OPTIONS]\n"
    "\n"
    "A packet-level TCP simulator: two TCP endpoints over a virtual link, driven by a\n"
    "scenario file, every segment traced.\n"
    "\n"
    "Commands:\n"
    "  run FILE      run a scenario and print its trace (tcpsim run --help)\n"
    "  ladder FILE   run a scenario and draw its ladder diagram (tcpsim ladder --help)\n"
    "  explain FILE  run a scenario and say why each line of its trace happened\n"
    "  quiz FILE     a worksheet about a run, with its answer key (tcpsim quiz --help)\n"
    "  diff A B      compare two traces (tcpsim or tcpdump -n text): first divergence\n"
    "  check FILE    run a scenario and diff it with its golden trace (--update: rewrite)\n"
    "  pkt SCRIPT    run a packetdrill script against one endpoint (tcpsim pkt --help)\n"
    "  replay CAPTURE  replay a real capture's connections against tcpsim (tcpsim replay --help)\n"
    "  sweep GRID    run a scenario template over a parameter grid (tcpsim sweep --help)\n"
    "  explore PREFIX  every interleaving after a prefix, up to a depth, checked (tcpsim explore --help)\n"
    "  knobs         list the TCP tunables with their Linux defaults\n"
    "  counters      list the counters (nstat names) that scenarios can check\n"
    "  scenarios     list the bundled scenarios, which run and check find by name\n"
    "  help [CMD]    show this help, or a command's (as tcpsim CMD --help)\n"
    "\n"
    "Options:\n"
    "  -h, --help     show this help\n"
    "  -V, --version  show the version\n"
    "\n"
    "Exit status: 0 success, 1 an expect failed (or traces differ), 2 usage or input error.\n"
    "FILE may name a bundled scenario: tcpsim run handshake/basic (tcpsim scenarios).\n"
    "The scenario language: tcpsim-scenario(5), scenarios/README.md.\n";

/* The subcommands: name, entry point, the argument to pass (ladder and explain share run's). */
static const struct command {
    const char *name;
    int (*fn)(int argc, char **argv);
    int (*view_fn)(int argc, char **argv, enum cli_main main_view);
    enum cli_main view;
} commands[] = {
    {"run", cmd_run, NULL, CLI_MAIN_TRACE},
    {"ladder", NULL, cmd_run_view, CLI_MAIN_LADDER},
    {"explain", NULL, cmd_run_view, CLI_MAIN_EXPLAIN},
    {"diff", cmd_diff, NULL, CLI_MAIN_TRACE},
    {"check", cmd_check, NULL, CLI_MAIN_TRACE},
    {"sweep", cmd_sweep, NULL, CLI_MAIN_TRACE},
    {"pkt", cmd_pkt, NULL, CLI_MAIN_TRACE},
    {"replay", cmd_replay, NULL, CLI_MAIN_TRACE},
    {"quiz", cmd_quiz, NULL, CLI_MAIN_TRACE},
    {"explore", cmd_explore, NULL, CLI_MAIN_TRACE},
    {"knobs", cmd_knobs, NULL, CLI_MAIN_TRACE},
    {"counters", cmd_counters, NULL, CLI_MAIN_TRACE},
    {"scenarios", cmd_scenarios, NULL, CLI_MAIN_TRACE},
    {"help", NULL, NULL, CLI_MAIN_TRACE},
};

static const char *
command_name(guint i)
{
    return i < G_N_ELEMENTS(commands) ? commands[i].name : NULL;
}

static const struct command *
find_command(const char *name)
{
    for (guint i = 0; i < G_N_ELEMENTS(commands); i++) {
        if (strcmp(commands[i].name, name) == 0) {
            return &commands[i];
        }
    }
    return NULL;
}

static int
unknown_command(const char *name)
{
    const char *near = cli_suggest(name, command_name);
    if (near != NULL) {
        return cli_fail("unknown command \"%s\"; did you mean \"%s\"? (tcpsim --help lists "
                        "them)", name, near);
    }
    return cli_fail("unknown command \"%s\"; try \"tcpsim --help\"", name);
}

static int
dispatch(const struct command *c, int argc, char **argv)
{
    /* GOption's "Usage:" line then reads "tcpsim run [OPTION...]". */
    g_autofree char *prgname = g_strdup_printf("tcpsim %s", c->name);
    g_set_prgname(prgname);
    return c->view_fn ? c->view_fn(argc, argv, c->view) : c->fn(argc, argv);
}

int
main(int argc, char **argv)
{
    /* The character set only (help texts hold UTF-8 such as "…"); numbers keep the C
     * locale's decimal point, so traces and pictures never depend on the user's locale. */
    setlocale(LC_CTYPE, "");
    if (argc < 2) {
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    const char *preload = g_getenv("LD_PRELOAD");
    if (strcmp(cmd, "explore") == 0 && g_getenv("G_SLICE") == NULL &&
        (preload == NULL || strstr(preload, "vgpreload") == NULL)) {
        /* explore's worlds live in a heap it copies (sim/explore/explore_heap.h), which
         * sees only what comes from malloc(); glib reads G_SLICE before main(), so the
         * program starts again with it (if it cannot, explore replays instead; under
         * valgrind, whose /proc/self/exe is valgrind's, it does not try). */
        g_setenv("G_SLICE", "always-malloc", TRUE);
        execv("/proc/self/exe", argv);
        g_unsetenv("G_SLICE");
    }
    tcpsim_outputs_cleanup_on_signals(); /* no X.tmp-PID temporary outlives a kill */
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 ||
        (strcmp(cmd, "help") == 0 && argc == 2)) {
        fputs(usage, stdout);
        return EXIT_OK;
    }
    if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0) {
        printf("tcpsim %s\n", TCPSIM_VERSION);
        return EXIT_OK;
    }
    if (strcmp(cmd, "help") == 0) {
        /* tcpsim help CMD is tcpsim CMD --help. */
        const struct command *c = find_command(argv[2]);
        if (c == NULL || strcmp(c->name, "help") == 0) {
            return c ? (fputs(usage, stdout), EXIT_OK) : unknown_command(argv[2]);
        }
        char *help_argv[] = {argv[2], (char *)"--help", NULL};
        return dispatch(c, 2, help_argv);
    }
    const struct command *c = find_command(cmd);
    if (c == NULL) {
        return unknown_command(cmd);
    }
    return dispatch(c, argc - 1, argv + 1);
}
