/* SPDX-License-Identifier: Apache-2.0 */
/* grid.c - sweep start times on a per-interval grid of steps (see grid.h). */
#include "grid.h"

uint64_t
grid_step(uint64_t interval_ms, uint64_t targets)
{
    if (targets == 0)
        return interval_ms ? interval_ms : 1;
    uint64_t step = interval_ms * GRID_GROUP / targets;
    if (step > interval_ms)
        step = interval_ms;
    return step ? step : 1;
}

uint64_t
grid_phase(uint32_t frac, uint64_t interval_ms, uint64_t step_ms)
{
    if (interval_ms == 0 || step_ms == 0)
        return 0;
    /* frac/2^32 of the interval; intervals are at most a day, far below 2^32 ms */
    uint64_t at = interval_ms < (1ull << 32) ? ((uint64_t)frac * interval_ms) >> 32
                                             : (interval_ms >> 32) * frac;
    return at - at % step_ms;
}

uint64_t
grid_next(uint64_t not_before, uint64_t phase, uint64_t interval_ms)
{
    if (interval_ms == 0)
        return not_before;
    uint64_t base = not_before - not_before % interval_ms + phase % interval_ms;
    return base >= not_before ? base : base + interval_ms;
}
