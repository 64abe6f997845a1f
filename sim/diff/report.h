/* SPDX-License-Identifier: MIT */
/*
 * report.h: printing a comparison.
 */
#ifndef TCPSIM_DIFF_REPORT_H
#define TCPSIM_DIFF_REPORT_H

#include <stdio.h>

#include "compare.h"

struct report {
    const struct view *va;
    const struct view *vb;
    const struct view_config *c;
    const struct comparison *cmp;
    unsigned context;
    bool all;
};

void report_print(const struct report *r, FILE *out);
void report_put_summary(const struct report *r, FILE *out);
/* "seq 1:1461 -> 1461:2921, win 63 -> 64, time +200ms" for a pair; "" otherwise. */
void report_put_fields(GString *s, const struct report *r, const struct step *st);

#endif
