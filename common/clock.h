/* SPDX-License-Identifier: Apache-2.0 */
/*
 * clock.h - time: the monotonic clock for timers and rate limits, and the
 * calendar arithmetic for printing BMC timestamps (SEL, FRU dates) in UTC
 * without the C library's locale and time-zone state.
 */
#ifndef IC_CLOCK_H
#define IC_CLOCK_H

#include <stdint.h>

/* Monotonic clock in milliseconds. */
uint64_t clock_mono_ms(void);
/* Wall clock: milliseconds since 1970-01-01 UTC (for timestamps that are stored or shown). */
uint64_t clock_wall_ms(void);

/* Days since 1970-01-01 -> proleptic Gregorian year, month (1-12), day (1-31). */
void clock_civil_from_days(uint32_t days, unsigned *y, unsigned *m, unsigned *d);

#endif
