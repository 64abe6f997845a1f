/* SPDX-License-Identifier: MIT */
/*
 * fuzz_sim.c: the whole simulator on arbitrary scenario text.
 *
 * A text that parses and checks is run with bounded simulated time and events, its
 * trace formatted and thrown away. Property: no crash, no leak, no broken invariant
 * (with -Dinvariants=true they are checked after every event), and the run ends.
 */
#include <glib.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <tcpsim/scenario.h>

#include "fuzz.h"

int
fuzz_sim(const uint8_t *data, size_t size)
{
    if (size > FUZZ_SIM_MAX_INPUT) {
        return 0; /* long inputs belong to fuzz_parse; here they would only be slow */
    }
    GError *e = NULL;
    struct tcpsim_scenario *scn = tcpsim_scenario_parse("fuzz.scn", (const char *)data, size, &e);
    if (scn == NULL) {
        g_error_free(e);
        return 0;
    }
    /* The trace is formatted (its printer is fuzzed too) into /dev/null, when that is
     * the device it should be. */
    struct stat st;
    bool devnull = stat("/dev/null", &st) == 0 && S_ISCHR(st.st_mode);
    struct tcpsim_run_options o = {
        .trace_path = "/dev/null",
        .no_trace = !devnull,
        .max_events = FUZZ_SIM_MAX_EVENTS,
        .max_time = FUZZ_SIM_MAX_TIME_NS,
    };
    struct tcpsim_run_result r;
    if (tcpsim_scenario_run(scn, &o, &r, &e)) {
        tcpsim_run_result_clear(&r);
    } else {
        g_error_free(e);
    }
    tcpsim_scenario_free(scn);
    return 0;
}
