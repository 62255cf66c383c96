/* SPDX-License-Identifier: Apache-2.0 */
/*
 * grid.h - when a target's sweeps start. Each target keeps a fixed phase
 * within its interval, a whole number of steps; a sweep starts when the
 * monotonic clock modulo the interval equals that phase. Targets that share a
 * step start in the same loop iteration, so their requests leave in one
 * sendmmsg and their answers share wake-ups: on this project's 2-vCPU bench
 * machine that halved the poller threads' CPU per reading (bench/README.md,
 * sixth session), since a wake-up from idle costs more than the work it does.
 *
 * The step is sized so that about GRID_GROUP targets of one thread share it:
 * a small fleet sweeps in a few groups (or one), a large fleet is still spread
 * evenly over the interval with no burst bigger than a group (GRID_GROUP times
 * max_inflight datagrams). Phases come from a random fraction kept per target,
 * so they follow the interval and the thread's target count without being
 * stored.
 */
#ifndef IC_GRID_H
#define IC_GRID_H

#include <stdint.h>

#define GRID_GROUP 32u

/* The step for a thread polling `targets` targets at this interval: at most the interval. */
uint64_t grid_step(uint64_t interval_ms, uint64_t targets);

/* The phase of a target with random fraction frac (of 2^32): in [0, interval), a multiple of step.
 */
uint64_t grid_phase(uint32_t frac, uint64_t interval_ms, uint64_t step_ms);

/* The first time >= not_before (ms, monotonic) at which a sweep of this phase starts. */
uint64_t grid_next(uint64_t not_before, uint64_t phase, uint64_t interval_ms);

#endif
