/* SPDX-License-Identifier: Apache-2.0 */
/*
 * alerts.h - what raises an alert, private to collector/ (issue 7).
 *
 *   rules    the config's routes, immutable and shared by every target
 *            (reference-counted: a reload swaps them target by target)
 *   tracker  one target's memory: each sensor's confirmed state, whether an
 *            "unreachable" alert fired; seeded at start from the active
 *            alerts in the database, so a restart neither repeats a firing
 *            alert nor forgets to resolve it
 *   buf      the alerts one poll raised, as struct storage_alert records
 *            (with their receivers) that storage commits with their cause
 *
 * A sensor's alert fires on the first sweep that reads it worse (warning,
 * critical) and resolves only after `debounce` sweeps in a row read it
 * better: a sensor hovering at a threshold gives one alert and one
 * resolution. A SEL entry is a one-shot alert. A target failing longer than
 * unreachable_after fires "unreachable", resolved when it answers again.
 * Runs on the target's poller thread; nothing here blocks.
 */
#ifndef IC_ALERTS_H
#define IC_ALERTS_H

#include <stddef.h>
#include <stdint.h>

#include "poller.h"
#include "storage.h"

struct cfg;
struct alert_rules;
struct snap_label;

/* Who an alert is about. */
struct alert_who {
    const char *name;
    const char *host;
    uint16_t port;
    const struct snap_label *labels;
    size_t nlabels;
    const char *labels_json; /* the labels as a JSON object */
};

/* The rules of c, or *out = NULL (and 0) when c has no alerting section. */
int alert_rules_new(const struct cfg *c, struct alert_rules **out);
void alert_rules_ref(struct alert_rules *r);
void alert_rules_unref(struct alert_rules *r);
/* 1 when a and b route the same way (either may be NULL). */
int alert_rules_same(const struct alert_rules *a, const struct alert_rules *b);
uint64_t alert_rules_unreachable_after(const struct alert_rules *r);
/* The first console pattern line contains (borrowed), or NULL. */
const char *alert_rules_console_match(const struct alert_rules *r, const char *line);
/* The receivers (borrowed names, each once) of an alert; returns how many, at most max. */
size_t alert_rules_route(const struct alert_rules *r, const char *kind, const char *severity,
                         const char *sensor_type, const struct alert_who *who, const char **out,
                         size_t max);

/* Alerts raised by one poll; owns copies of every string. */
struct alert_buf {
    struct storage_alert *v;
    size_t n, cap;
    char **strs; /* everything v points to */
    size_t nstrs, capstrs;
};
void alert_buf_free(struct alert_buf *b);
/* Moves every alert of src to the end of dst (src ends empty). 0 or IC_ENOMEM. */
int alert_buf_move(struct alert_buf *dst, struct alert_buf *src);

struct alert_tracker;
/* A tracker remembering the active alerts a (from storage_get_active). NULL when out of memory. */
struct alert_tracker *alert_tracker_new(const struct storage_active *a, size_t n);
void alert_tracker_free(struct alert_tracker *t);

/* A sensor sweep (readings r, SDR cache c for thresholds): confirmed transitions into out. */
void alert_tracker_sweep(struct alert_tracker *t, const struct alert_rules *rules,
                         const struct alert_who *who, unsigned debounce,
                         const struct ipmi_reading *r, size_t n, const struct ipmi_sdr_cache *c,
                         uint64_t now_unix_ms, struct alert_buf *out);
/* A new SEL entry (raw: its 16 bytes). */
void alert_tracker_sel(struct alert_tracker *t, const struct alert_rules *rules,
                       const struct alert_who *who, const struct ipmi_sel_entry *e,
                       const uint8_t raw[16], uint64_t now_unix_ms, struct alert_buf *out);
/* A captured console line that contains a panic pattern: a one-shot critical "console" alert.
   seq tells apart equal lines captured in the same millisecond. */
void alert_console(const struct alert_rules *rules, const struct alert_who *who, const char *line,
                   uint64_t ts_unix_ms, uint64_t seq, struct alert_buf *out);
/*
 * The end of a poll: up or not, with the error. Returns the time (unix ms)
 * at which "unreachable" would fire if the target stays down, 0 if none is due.
 */
uint64_t alert_tracker_reach(struct alert_tracker *t, const struct alert_rules *rules,
                             const struct alert_who *who, int up, const char *error,
                             uint64_t now_unix_ms, struct alert_buf *out);

#endif
