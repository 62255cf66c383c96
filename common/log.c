/* SPDX-License-Identifier: Apache-2.0 */
/* log.c - leveled stderr logging and a rate limiter (see log.h). */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Written once at start-up, read by every thread: a plain int is enough. */
static enum log_level cur_level = LOG_LVL_WARN;

static const char *const level_names[] = {"err", "warn", "info", "debug"};

void
log_set_level(enum log_level lvl)
{
    cur_level = lvl;
}

enum log_level
log_get_level(void)
{
    return cur_level;
}

int
log_level_parse(const char *s)
{
    for (int i = 0; i <= LOG_LVL_DEBUG; i++)
        if (strcmp(s, level_names[i]) == 0)
            return i;
    return -1;
}

static void vlog(enum log_level lvl, const char *fmt, va_list ap) IC_PRINTF(2, 0);

static void
vlog(enum log_level lvl, const char *fmt, va_list ap)
{
    char line[1024];
    int n = snprintf(line, sizeof(line), "ipmi-collector: %s: ", level_names[lvl]);
    if (n < 0)
        return;
    vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
    /* One fputs per line so that lines from different threads do not mix. */
    size_t len = strlen(line);
    if (len < sizeof(line) - 1) {
        line[len] = '\n';
        line[len + 1] = '\0';
    }
    fputs(line, stderr);
}

void
log_msg(enum log_level lvl, const char *fmt, ...)
{
    if (lvl > cur_level)
        return;
    va_list ap;
    va_start(ap, fmt);
    vlog(lvl, fmt, ap);
    va_end(ap);
}

#define LOG_LIMIT_FIRST_MS 10000u
#define LOG_LIMIT_MAX_MS   3600000u

void
log_limit_fail(struct log_limit *ll, uint64_t now_ms, enum log_level lvl, const char *fmt, ...)
{
    if (ll->active && now_ms < ll->next_ms) {
        ll->suppressed++;
        return;
    }
    if (!ll->active)
        ll->interval_ms = LOG_LIMIT_FIRST_MS;
    else if (ll->interval_ms < LOG_LIMIT_MAX_MS)
        ll->interval_ms *= 2;
    ll->active = 1;
    ll->next_ms = now_ms + ll->interval_ms;
    if (lvl <= cur_level) {
        va_list ap;
        va_start(ap, fmt);
        vlog(lvl, fmt, ap);
        va_end(ap);
        if (ll->suppressed)
            log_msg(lvl, "(the previous message was repeated %u times)", ll->suppressed);
    }
    ll->suppressed = 0;
}

void
log_limit_ok(struct log_limit *ll, enum log_level lvl, const char *fmt, ...)
{
    if (!ll->active)
        return;
    ll->active = 0;
    ll->suppressed = 0;
    if (lvl <= cur_level) {
        va_list ap;
        va_start(ap, fmt);
        vlog(lvl, fmt, ap);
        va_end(ap);
    }
}
