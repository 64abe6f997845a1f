/* SPDX-License-Identifier: MIT */
/*
 * mem.h: the simulation's own memory meter.
 *
 * The modules charge what grows with what a scenario does, as they allocate and free it:
 * connection blocks (and their demux entries), link slots with their payload copies,
 * bytes the application wrote or received as text held in buffers and reassembly
 * queues, the event heap, and the trace sinks' buffers. tcpsim_run() stops a run once
 * `used` passes `limit` (--max-memory): a bound on the simulation's state that does not
 * depend on the allocator or on polling the process's resident size. What a scenario
 * file itself costs (its lines, once parsed) is bounded by the parser's limits instead.
 *
 * The meter lives in the event queue, which every module already holds.
 */
#ifndef TCPSIM_ENGINE_MEM_H
#define TCPSIM_ENGINE_MEM_H

#include <stdbool.h>
#include <stdint.h>

struct mem_meter {
    uint64_t used;  /* bytes charged now */
    uint64_t peak;  /* the most charged at once */
    uint64_t limit; /* 0: no limit */
};

static inline void
mem_charge(struct mem_meter *m, int64_t bytes)
{
    m->used = (uint64_t)((int64_t)m->used + bytes);
    if (m->used > m->peak) {
        m->peak = m->used;
    }
}

static inline bool
mem_over(const struct mem_meter *m)
{
    return m->limit != 0 && m->used > m->limit;
}

#endif
