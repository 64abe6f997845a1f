/* SPDX-License-Identifier: MIT */
/*
 * api_example.c: a program built against an installed tcpsim (pkg-config tcpsim) that
 * runs a scenario through the public API, as an embedder would. Prints the expects' tally
 * and the client's final state; exits 0 when every expect held.
 */
#include <stdio.h>
#include <tcpsim/scenario.h>
#include <tcpsim/sim.h>

int
main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: api_example SCENARIO.scn\n");
        return 2;
    }
    GError *e = NULL;
    struct tcpsim_scenario *scn = tcpsim_scenario_load(argv[1], &e);
    if (scn == NULL) {
        fprintf(stderr, "%s\n", e->message);
        g_error_free(e);
        return 2;
    }
    struct tcpsim_run_options opts = {.no_trace = true};
    struct tcpsim_run_result res;
    if (!tcpsim_scenario_run(scn, &opts, &res, &e)) {
        fprintf(stderr, "%s\n", e->message);
        g_error_free(e);
        tcpsim_scenario_free(scn);
        return 2;
    }
    printf("%s: %u expects, %u failed, %" G_GUINT64_FORMAT " segments\n",
           tcpsim_scenario_title(scn), res.expects, res.failed, res.segments);
    int status = res.failed == 0 && res.expects > 0 ? 0 : 1;
    tcpsim_run_result_clear(&res);
    tcpsim_scenario_free(scn);
    return status;
}
