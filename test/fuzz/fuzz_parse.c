/* SPDX-License-Identifier: MIT */
/*
 * fuzz_parse.c: the scenario parser and checker on arbitrary text.
 *
 * Property: no crash, no leak, and an error, when there is one, is located
 * ("NAME:LINE:COL: error: ...") or names the file.
 */
#include <glib.h>
#include <stdlib.h>
#include <string.h>
#include <tcpsim/scenario.h>

#include "fuzz.h"

int
fuzz_parse(const uint8_t *data, size_t size)
{
    GError *e = NULL;
    struct tcpsim_scenario *scn = tcpsim_scenario_parse("fuzz.scn", (const char *)data, size, &e);
    if (scn == NULL) {
        if (e == NULL || strncmp(e->message, "fuzz.scn", 8) != 0) {
            g_printerr("fuzz_parse: an error without its location: %s\n",
                       e ? e->message : "(no error set)");
            abort();
        }
        g_error_free(e);
        return 0;
    }
    tcpsim_scenario_free(scn);
    return 0;
}
