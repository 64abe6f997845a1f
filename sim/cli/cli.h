/*
 * cli.h: the tcpsim program's subcommands. Exit status: 0 success, 1 an expect failed
 * (or traces differ), 2 usage or input error.
 */
#ifndef TCPSIM_CLI_H
#define TCPSIM_CLI_H

#include <glib.h>

enum { EXIT_OK = 0, EXIT_CHECK_FAILED = 1, EXIT_USAGE = 2 };

int cmd_run(int argc, char **argv);
int cmd_knobs(int argc, char **argv);
int cmd_pkt(int argc, char **argv);

/* Prints "tcpsim: <message>" to standard error and returns EXIT_USAGE. */
int cli_fail(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
/* Parses the subcommand's options; FALSE (message printed) on a usage error. */
gboolean cli_parse(GOptionContext *ctx, int *argc, char ***argv);

#endif
