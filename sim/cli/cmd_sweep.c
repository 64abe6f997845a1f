/* SPDX-License-Identifier: MIT */
/*
 * cmd_sweep.c: "tcpsim sweep GRID": a scenario template over a parameter grid.
 */
#include "cli.h"

int
cmd_sweep(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_fail("sweep: not yet");
}
