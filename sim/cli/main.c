/*
 * main.c: the tcpsim program: picks the subcommand and hands over.
 */
#include <stdio.h>
#include <string.h>

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
    "  knobs         list the TCP tunables with their Linux defaults\n"
    "  counters      list the counters (nstat names) that scenarios can check\n"
    "  help          show this help\n"
    "\n"
    "Options:\n"
    "  -h, --help     show this help\n"
    "  -V, --version  show the version\n"
    "\n"
    "Exit status: 0 success, 1 an expect failed (or traces differ), 2 usage or input error.\n"
    "The scenario language: scenarios/README.md.\n";

int
main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage, stdout);
        return EXIT_OK;
    }
    if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0) {
        printf("tcpsim %s\n", TCPSIM_VERSION);
        return EXIT_OK;
    }
    if (strcmp(cmd, "quiz") == 0) {
        return cmd_quiz(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "run") == 0) {
        return cmd_run(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "ladder") == 0) {
        return cmd_run_view(argc - 1, argv + 1, CLI_MAIN_LADDER);
    }
    if (strcmp(cmd, "explain") == 0) {
        return cmd_run_view(argc - 1, argv + 1, CLI_MAIN_EXPLAIN);
    }
    if (strcmp(cmd, "diff") == 0) {
        return cmd_diff(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "check") == 0) {
        return cmd_check(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "pkt") == 0) {
        return cmd_pkt(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "knobs") == 0) {
        return cmd_knobs(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "counters") == 0) {
        return cmd_counters(argc - 1, argv + 1);
    }
    return cli_fail("unknown command \"%s\"; try \"tcpsim --help\"", cmd);
}
