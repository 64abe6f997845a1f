/* SPDX-License-Identifier: MIT */
/*
 * impair.c: the link's random impairments, each from its own PRNG stream.
 *
 * Entry points: impair_lost() (Bernoulli or Gilbert-Elliott loss), impair_red_drops()
 * (RED), impair_extra_delay() (jitter and reordering), impair_duplicate(),
 * impair_corrupt(). All probabilities are integers in parts per billion.
 */
#include "link.h"

/* Gilbert-Elliott: a two-state Markov chain, one step per segment. In the good state a
 * segment is lost with probability good_ppb, in the bad state with bad_ppb; the chain
 * moves good -> bad with p and bad -> good with r. Mean loss rate:
 * (r * good + p * bad) / (p + r); mean burst length 1 / r. */
static bool
gilbert_elliott_lost(struct link_dir *d)
{
    const struct link_params *p = &d->p;
    if (d->ge_bad) {
        if (rng_chance(&d->rng.loss, p->ge_r_ppb)) {
            d->ge_bad = false;
        }
    } else if (rng_chance(&d->rng.loss, p->ge_p_ppb)) {
        d->ge_bad = true;
    }
    return rng_chance(&d->rng.loss, d->ge_bad ? p->ge_bad_ppb : p->ge_good_ppb);
}

bool
impair_lost(struct link_dir *d)
{
    if (d->p.burst) {
        return gilbert_elliott_lost(d);
    }
    return rng_chance(&d->rng.loss, d->p.loss_ppb);
}

/*
 * RED (Floyd and Jacobson, 1993): the average queue avg <- avg + (q - avg) / 512; below
 * min nothing is dropped, above max everything is; in between the drop probability grows
 * linearly to pmax and, with `count` packets since the last drop, pa = pb / (1 - count pb)
 * spaces the drops evenly. Called for each arriving packet.
 */
bool
impair_red_drops(struct link_dir *d)
{
    const struct link_params *p = &d->p;
    int64_t q16 = (int64_t)d->queued << 16;
    int64_t avg = (int64_t)d->red_avg;
    avg += (q16 - avg) / 512;
    d->red_avg = (uint64_t)(avg < 0 ? 0 : avg);
    uint64_t min16 = (uint64_t)p->red_min << 16;
    uint64_t max16 = (uint64_t)p->red_max << 16;
    if (d->red_avg < min16) {
        d->red_count = -1;
        return false;
    }
    if (d->red_avg >= max16 || max16 <= min16) {
        d->red_count = 0;
        return true;
    }
    d->red_count++;
    uint64_t pb = (uint64_t)p->red_pmax_ppb * (d->red_avg - min16) / (max16 - min16);
    uint64_t spent = (uint64_t)d->red_count * pb;
    uint64_t pa = spent >= RNG_PPB_ONE ? RNG_PPB_ONE : pb * RNG_PPB_ONE / (RNG_PPB_ONE - spent);
    if (rng_chance(&d->rng.red, (uint32_t)(pa > RNG_PPB_ONE ? RNG_PPB_ONE : pa))) {
        d->red_count = 0;
        return true;
    }
    return false;
}

/* Extra one-way delay: jitter (uniform, or bell-shaped as the mean of four uniforms,
 * always within [0, jitter]) plus, for the reordered share, the reordering delay. */
sim_time
impair_extra_delay(struct link_dir *d, const char **note)
{
    const struct link_params *p = &d->p;
    sim_time extra = 0;
    if (p->jitter > 0) {
        uint64_t span = (uint64_t)p->jitter + 1;
        if (p->jitter_dist == LINK_JITTER_NORMAL) {
            uint64_t sum = 0;
            for (int i = 0; i < 4; i++) {
                sum += rng_below(&d->rng.jitter, span);
            }
            extra += (sim_time)(sum / 4);
        } else {
            extra += (sim_time)rng_below(&d->rng.jitter, span);
        }
    }
    if (p->reorder_ppb && rng_chance(&d->rng.reorder, p->reorder_ppb)) {
        extra += p->reorder_delay;
        d->stats.reordered++;
        *note = "reordered";
    }
    return extra;
}

bool
impair_duplicate(struct link_dir *d)
{
    if (d->p.dup_ppb && rng_chance(&d->rng.dup, d->p.dup_ppb)) {
        d->stats.duplicated++;
        return true;
    }
    return false;
}

/* One byte of the encoded packet is flipped; the receiver's checksums will catch it. */
bool
impair_corrupt(struct link_dir *d, uint32_t wire_len, struct link_damage *dmg)
{
    if (!d->p.corrupt_ppb || wire_len == 0 || !rng_chance(&d->rng.corrupt, d->p.corrupt_ppb)) {
        return false;
    }
    dmg->at = (uint16_t)rng_below(&d->rng.corrupt, wire_len);
    dmg->mask = (uint8_t)(1 + rng_below(&d->rng.corrupt, 255));
    d->stats.corrupted++;
    return true;
}
