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
    "  pkt SCRIPT    run a packetdrill script against one endpoint (tcpsim pkt --help)\n"
    "  knobs         list the TCP tunables with their Linux defaults\n"
    "  help          show this help\n"
    "\n"
    "Options:\n"
    "  -h, --help     show this help\n"
    "  -V, --version  show the version\n"
    "\n"
    "Exit status: 0 success, 1 an expect failed, 2 usage or input error.\n"
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
    if (strcmp(cmd, "run") == 0) {
        return cmd_run(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "pkt") == 0) {
        return cmd_pkt(argc - 1, argv + 1);
    }
    if (strcmp(cmd, "knobs") == 0) {
        return cmd_knobs(argc - 1, argv + 1);
    }
    return cli_fail("unknown command \"%s\"; try \"tcpsim --help\"", cmd);
}
