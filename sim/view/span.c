/* SPDX-License-Identifier: MIT */
/*
 * span.c: durations for people (see span.h).
 */
#include "span.h"

void
view_span(struct strbuf *sb, sim_time ns)
{
    static const struct {
        int64_t ns;
        const char *unit;
    } units[] = {{1000000000, " s"}, {1000000, " ms"}, {1000, " us"}, {1, " ns"}};
    if (ns < 0) {
        sb_putc(sb, '-');
        ns = -ns;
    }
    size_t u = 0;
    while (u + 1 < G_N_ELEMENTS(units) && ns < units[u].ns) {
        u++;
    }
    int64_t per = units[u].ns;
    if (per < 1000) {
        sb_putu(sb, (uint64_t)ns);
        sb_puts(sb, units[u].unit);
        return;
    }
    int64_t milli = per / 1000;           /* a thousandth of the unit, in ns */
    int64_t v = (ns + milli / 2) / milli; /* thousandths, rounded */
    sb_putu(sb, (uint64_t)(v / 1000));
    int64_t frac = v % 1000;
    if (frac != 0) {
        int width = 3;
        while (frac % 10 == 0) {
            frac /= 10;
            width--;
        }
        sb_putc(sb, '.');
        sb_putu_pad(sb, (uint64_t)frac, width);
    }
    sb_puts(sb, units[u].unit);
}
