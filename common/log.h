/* SPDX-License-Identifier: Apache-2.0 */
/*
 * log.h - leveled logging to stderr (journald captures it), with a per-BMC
 * prefix and a rate limiter for conditions that repeat.
 *
 * Codecs never log; the session state machine and the collector do, once,
 * where a decision is made.
 */
#ifndef IC_LOG_H
#define IC_LOG_H

#include <stdint.h>

enum log_level { LOG_LVL_ERR = 0, LOG_LVL_WARN, LOG_LVL_INFO, LOG_LVL_DEBUG };

#define IC_PRINTF(a, b) __attribute__((format(printf, a, b)))

void log_set_level(enum log_level lvl);
enum log_level log_get_level(void);
/* Parses "err", "warn", "info", "debug"; returns -1 if unknown. */
int log_level_parse(const char *s);

void log_msg(enum log_level lvl, const char *fmt, ...) IC_PRINTF(2, 3);
#define log_err(...)   log_msg(LOG_LVL_ERR, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_LVL_WARN, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_LVL_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_LVL_DEBUG, __VA_ARGS__)

/*
 * Rate limiter for a repeating condition (collectd's c_complain): the first
 * occurrence is logged, then at most one per interval, doubling up to a cap;
 * log_limit_ok() logs once when the condition clears.
 */
struct log_limit {
    uint64_t next_ms;     /* monotonic time before which we stay quiet */
    uint32_t interval_ms; /* current quiet interval */
    uint32_t suppressed;  /* occurrences not logged since the last line */
    int active;           /* the condition is currently present */
};

void log_limit_fail(struct log_limit *ll, uint64_t now_ms, enum log_level lvl, const char *fmt, ...)
    IC_PRINTF(4, 5);
void log_limit_ok(struct log_limit *ll, enum log_level lvl, const char *fmt, ...) IC_PRINTF(3, 4);

#endif
