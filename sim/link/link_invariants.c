/* SPDX-License-Identifier: MIT */
/*
 * link_invariants.c: a link direction loses nothing it does not account for.
 *
 * Entry point: link_inv_check(). Every segment a host hands to the link, and every copy
 * the link makes of one (duplication), is delivered, dropped with a reason, or still in
 * flight in a slot:
 *
 *     sent + duplicated == delivered + dropped + in flight
 *
 * and the segments waiting for the transmitter are some of those in flight.
 */
#include "link.h"

char *
link_inv_check(const struct link_dir *d)
{
    const struct link_stats *s = &d->stats;
    uint64_t dropped = 0;
    for (int i = 0; i < LINK_DROP_N; i++) {
        dropped += s->dropped[i];
    }
    if (s->sent + s->duplicated != s->delivered + dropped + d->in_flight) {
        return g_strdup_printf("link %s->%s: segments unaccounted for: sent %" G_GUINT64_FORMAT
                               " + duplicated %" G_GUINT64_FORMAT " != delivered %" G_GUINT64_FORMAT
                               " + dropped %" G_GUINT64_FORMAT " + in flight %" G_GUINT64_FORMAT,
                               d->from_name, d->to_name, s->sent, s->duplicated, s->delivered,
                               dropped, d->in_flight);
    }
    if (d->queued > d->in_flight) {
        return g_strdup_printf("link %s->%s: %u segments queued but only %" G_GUINT64_FORMAT
                               " in flight",
                               d->from_name, d->to_name, d->queued, d->in_flight);
    }
    return NULL;
}
