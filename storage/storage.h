/* SPDX-License-Identifier: Apache-2.0 */
/*
 * storage.h - the storage layer's one public header: what the daemon saw,
 * kept in SQLite (WAL) so it survives restarts and answers fleet questions.
 *
 * Model: one writer thread owns the write connection. Any thread hands it
 * work with storage_put_*(), which copies the data into a message on a
 * bounded queue (common/queue) and never blocks on the database; the writer
 * batches what is queued into one transaction (at most ~250 ms or a few
 * thousand rows at a time). A full queue drops the message, counts it and
 * returns IC_ETOOBIG: a slow disk never stalls a poller thread.
 * Reads (storage_get_*, storage_query_*) use their own connection and may
 * run on any thread, one at a time per struct storage (an internal mutex).
 *
 * The schema is versioned (PRAGMA user_version) and migrated at open.
 * Retention runs in the writer: raw samples older than retention_raw_ms are
 * folded into downsampled rows (min/avg/max per downsample_ms period) or
 * dropped when downsample_ms is 0; above max_db_size the oldest data goes first.
 */
#ifndef IC_STORAGE_H
#define IC_STORAGE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct ipmi_devid;
struct ipmi_fru;
struct ipmi_sel_cursor;
struct storage;

struct storage_opts {
    uint64_t retention_raw_ms; /* 0 = 7 days */
    uint64_t downsample_ms;    /* 0 = drop old raw samples instead of folding them */
    uint64_t max_db_size;      /* bytes; 0 = 2 GiB */
    size_t queue_cap;          /* messages; 0 = 65536 */
    int read_only;             /* the CLI: no writer, no migration (refuses a newer schema) */
};

/*
 * Opens (creating if needed) the database at path, sets WAL mode and migrates
 * the schema. Returns 0 and *out, or IC_EIO (cannot open/create, disk full,
 * not a database) / IC_ECONFIG (schema newer than this binary) / IC_ENOMEM,
 * with a message naming the file in err.
 */
int storage_open(const char *path, const struct storage_opts *o, struct storage **out, char *err,
                 size_t errlen);
/* Starts the writer thread. 0 or IC_ENOMEM/IC_EIO. */
int storage_start(struct storage *st, char *err, size_t errlen);
/* Commits what is queued, stops the writer, closes. NULL is a no-op. */
void storage_close(struct storage *st);
/* Waits until everything queued before the call is committed (tests, shutdown). 0 or IC_EIO. */
int storage_flush(struct storage *st);
/* Runs retention now in the writer and waits for it (tests); normally it runs every minute. */
int storage_retention_now(struct storage *st, uint64_t now_unix_ms);

/* ---- writes: any thread, asynchronous; the data is copied ----------------- */

struct storage_label {
    const char *name;
    const char *value;
};

struct storage_target {
    const char *name;
    const char *host;
    uint16_t port;
    const struct storage_label *labels;
    size_t nlabels;
};
/* The configured targets (at start and at each reload): upserted; targets not
   in the list are kept (their history stays) but marked as not configured. */
int storage_put_targets(struct storage *st, const struct storage_target *v, size_t n);

struct storage_sample {
    uint16_t record_id;
    uint8_t number;
    uint8_t sensor_type;
    const char *name; /* sensor name */
    const char *unit; /* "degrees C", "RPM", ..., "discrete" */
    int has_value;
    double value;
    uint8_t state;   /* enum ipmi_state */
    uint16_t states; /* discrete: asserted bits */
};
/* One sweep of a target's sensors, read at ts_unix_ms. */
int storage_put_samples(struct storage *st, const char *target, uint64_t ts_unix_ms,
                        const struct storage_sample *v, size_t n);

struct storage_sel {
    uint8_t raw[16];
    uint16_t record_id;
    uint32_t timestamp; /* SEL timestamp as recorded */
    uint8_t severity;   /* enum ipmi_state */
    const char *sensor; /* "" when unknown */
    const char *event;  /* in words */
    const char *detail; /* "" when none */
};
/*
 * New SEL records of a target, and the cursor after them, in one transaction:
 * a record already stored (same target, record ID and 16 bytes) is ignored, so
 * a replay cannot duplicate. reset = the BMC's SEL was cleared or wrapped
 * (recorded as an event; stored entries are kept). n may be 0 (cursor only).
 */
int storage_put_sel(struct storage *st, const char *target, uint64_t ts_unix_ms,
                    const struct storage_sel *v, size_t n, int reset,
                    const struct ipmi_sel_cursor *cursor);
/* The target's SDR cache (ipmi_sdr_cache_blob()), replacing the previous one. */
int storage_put_sdr(struct storage *st, const char *target, const uint8_t *blob, size_t len);
/* Identity and inventory; either pointer may be NULL (that part unchanged). guid may be NULL. */
int storage_put_inventory(struct storage *st, const char *target, uint64_t ts_unix_ms,
                          const struct ipmi_devid *devid, const char *guid,
                          const struct ipmi_fru *fru);
/* A state transition of a target ("up", "down", ...) with the error that caused it ("" if none). */
int storage_put_state(struct storage *st, const char *target, uint64_t ts_unix_ms,
                      const char *state, const char *error);

/* ---- alerts and the outbox (issue 7) ---------------------------------------- */

/*
 * An alert the daemon raised. It rides on the message that records its cause
 * (samples, SEL entries, a state change), so the alert and its outbox rows are
 * committed in the same transaction as the cause; such messages are never
 * dropped. Strings are copied.
 */
struct storage_alert {
    const char *key;         /* idempotency key: an alert with a key already stored is ignored */
    const char *kind;        /* "sel", "sensor", "unreachable" */
    const char *status;      /* "firing" or "resolved" */
    const char *severity;    /* "info", "warning", "critical" */
    const char *identity;    /* what a resolution resolves ("sensor/CPU1 Temp/critical"); "" = a
                                one-shot event */
    const char *summary;     /* in words */
    const char *sensor;      /* "" when none */
    const char *sensor_type; /* "Temperature", ...; "" when none */
    int has_value;
    double value;
    int has_threshold;
    double threshold;
    uint64_t starts_at, ends_at;  /* unix ms; ends_at 0 while firing */
    const char *labels_json;      /* the target's config labels, a JSON object */
    const char *sel_json;         /* the decoded SEL entry, a JSON object, or NULL */
    const char *const *receivers; /* one outbox row per receiver */
    size_t nreceivers;
};
/* The same as put_samples / put_sel / put_state, with alerts committed alongside. */
int storage_put_samples_alerts(struct storage *st, const char *target, uint64_t ts_unix_ms,
                               const struct storage_sample *v, size_t n,
                               const struct storage_alert *a, size_t na);
int storage_put_sel_alerts(struct storage *st, const char *target, uint64_t ts_unix_ms,
                           const struct storage_sel *v, size_t n, int reset,
                           const struct ipmi_sel_cursor *cursor, const struct storage_alert *a,
                           size_t na);
int storage_put_state_alerts(struct storage *st, const char *target, uint64_t ts_unix_ms,
                             const char *state, const char *error, const struct storage_alert *a,
                             size_t na);

/* One outbox row with its alert, as read back (every string owned by the item). */
struct storage_outbox_item {
    int64_t id; /* outbox row */
    unsigned attempts;
    uint64_t created_at, next_at;
    char *state; /* "pending" or "dead" */
    char *last_error;
    char *target, *receiver;
    char *key, *kind, *status, *severity, *identity, *summary, *sensor, *sensor_type;
    int has_value;
    double value;
    int has_threshold;
    double threshold;
    uint64_t starts_at, ends_at;
    char *labels_json;
    char *sel_json; /* NULL when none */
};
void storage_outbox_free(struct storage_outbox_item *v, size_t n);
/*
 * Pending rows of receiver due at now, oldest first, at most max; of each
 * target only its oldest pending row (a target's alerts go out in the order
 * they were raised: a later one waits while an earlier one is retried).
 */
int storage_outbox_due(struct storage *st, const char *receiver, uint64_t now_unix_ms, size_t max,
                       struct storage_outbox_item **out, size_t *n);
/* Firing alerts routed to receiver that nothing has resolved yet (Alertmanager re-sends). */
int storage_outbox_active(struct storage *st, const char *receiver,
                          struct storage_outbox_item **out, size_t *n);
/* Outcomes, from the delivery thread (writer messages, never dropped). */
int storage_outbox_delivered(struct storage *st, int64_t id);
/* attempts + 1; dead = give up (kept, counted, visible); else retried at next_at. */
int storage_outbox_failed(struct storage *st, int64_t id, uint64_t next_at_unix_ms,
                          const char *error, int dead);
/* The operator's hands (`ipmi-collector alerts`): id 0 = every dead row. */
int storage_outbox_retry(struct storage *st, int64_t id);
int storage_outbox_drop(struct storage *st, int64_t id);

/* A firing alert nothing has resolved yet: what a restarted daemon must remember. */
struct storage_active {
    char identity[128];
    char key[160];
    uint64_t starts_at;
};
/* The active alerts of target into a malloc'ed *v (caller frees); *n = 0 if none. */
int storage_get_active(struct storage *st, const char *target, struct storage_active **v,
                       size_t *n);

struct storage_outbox_stats {
    uint64_t pending, dead;
    uint64_t oldest_pending_unix_ms; /* 0 when none */
};
int storage_outbox_stats(struct storage *st, struct storage_outbox_stats *out);

/* ---- reads: any thread ---------------------------------------------------- */

/* The stored SDR blob of target into a malloc'ed *blob (caller frees); *len = 0 if none. */
int storage_get_sdr(struct storage *st, const char *target, uint8_t **blob, size_t *len);
/* The stored SEL cursor of target; out->valid = 0 if none. */
int storage_get_sel_cursor(struct storage *st, const char *target, struct ipmi_sel_cursor *out);
/* 1 when target's SEL has been read before (a cursor row exists, even for an empty SEL). */
int storage_sel_known(struct storage *st, const char *target);

struct storage_stats {
    uint64_t db_size_bytes; /* main file + WAL */
    uint64_t queue_len;
    uint64_t dropped;      /* messages dropped because the queue was full */
    uint64_t write_errors; /* transactions that failed (disk full, ...) */
    uint64_t transactions;
    uint64_t rows_written;
    uint64_t retention_runs;
    uint64_t rows_trimmed;
};
void storage_stats(struct storage *st, struct storage_stats *out);

/* The message of the last failure (write or read), for logs; never NULL. */
const char *storage_errmsg(struct storage *st);

/* ---- fleet questions: `ipmi-collector inventory` and `query` ------------- */
/* (declared by storage_query.c: see below; each writes text, json or csv to fp) */

enum storage_format { STORAGE_TEXT, STORAGE_JSON, STORAGE_CSV };

/* What to select; every field is optional (NULL, 0). All conditions must hold. */
struct storage_filter {
    const char *target;     /* one target by name */
    const char *sensor;     /* storage_query_sensor: the sensor's name (required) */
    const char *grep;       /* SEL: text in sensor, event or detail (ASCII case-blind) */
    int min_severity;       /* SEL: enum ipmi_state, this or worse; 0 = any */
    uint64_t since_unix_ms; /* rows at or after this time (SEL: when stored) */
    const struct storage_label *labels; /* inventory: the target has label name = value */
    size_t nlabels;
    const struct storage_label *where; /* inventory: output column name = value (as text) */
    size_t nwhere;
    int64_t after_id; /* SEL, audit: rows with a larger id only (paging: the last id seen) */
    size_t limit;     /* SEL, audit: at most this many rows; 0 = all */
    const char *who;  /* audit: asked by this token name */
};

/*
 * Each prints one table to fp (text: aligned columns with a header; json: an
 * array of objects, null for missing values; csv: RFC 4180 with a header).
 * Times are ISO 8601 UTC. Returns 0, IC_ECONFIG (unknown --where column,
 * message in storage_errmsg()), IC_EIO (database error); storage_query_sensor
 * returns 1 (nothing printed) when the target has no sensor of that name.
 * The read lock is held while printing: fp should not block for long.
 */
/* One row per target: identity, state, inventory, labels. */
int storage_query_inventory(struct storage *st, const struct storage_filter *f,
                            enum storage_format fmt, FILE *fp);
/* History of one sensor, oldest first: raw rows and downsampled rows ("kind"). */
int storage_query_sensor(struct storage *st, const struct storage_filter *f,
                         enum storage_format fmt, FILE *fp);
/* SEL entries across the fleet, in the order they were stored. */
int storage_query_sel(struct storage *st, const struct storage_filter *f, enum storage_format fmt,
                      FILE *fp);
/* State transitions of targets, oldest first. */
int storage_query_states(struct storage *st, const struct storage_filter *f,
                         enum storage_format fmt, FILE *fp);
/* The outbox: f->grep = "pending" / "dead" / NULL for all; f->target filters. */
int storage_query_outbox(struct storage *st, const struct storage_filter *f,
                         enum storage_format fmt, FILE *fp);
/* The audit log, oldest first: f->target (one of the action's targets), f->who, f->grep (in
   action, params or result), since, after_id, limit. */
int storage_query_audit(struct storage *st, const struct storage_filter *f, enum storage_format fmt,
                        FILE *fp);

/* ---- console capture (issue 8) ---------------------------------------------- */

/* One line of a target's console (no CR/LF), as captured at ts_unix_ms. */
struct storage_console_line {
    uint64_t ts_unix_ms;
    const char *text;
};
/* Lines of target's console, with alerts they raised (panic patterns) in the same transaction.
   Like put_samples: IC_ETOOBIG when the queue is full (then keep the alerts and retry). */
int storage_put_console(struct storage *st, const char *target,
                        const struct storage_console_line *v, size_t n,
                        const struct storage_alert *a, size_t na);
/* Captured console lines, oldest first: f->target, f->grep (in the line), since, after_id,
   limit. Text format: "TIME LINE" (with the target first when f->target is NULL). */
int storage_query_console(struct storage *st, const struct storage_filter *f,
                          enum storage_format fmt, FILE *fp);

/* ---- the audit log (issue 8) ---------------------------------------------- */

/* An action asked through the API and how it ended. Strings are copied. */
struct storage_audit {
    uint64_t ts_unix_ms;
    const char *who;     /* the token's name (never the token) */
    const char *source;  /* the client's address */
    const char *action;  /* "power", "bootdev", ... */
    const char *params;  /* the request's parameters, a JSON object */
    const char *targets; /* the targets, comma-separated ("" when none matched) */
    const char *result;  /* "ok", "failed", "partial", "refused: ..." */
    unsigned ok, failed;
    uint64_t duration_ms;
    const char *details; /* per-target results, a JSON array */
};
/* Queues an audit row (never dropped by the writer's overflow policy once queued). 0, or
   IC_ETOOBIG when the queue is full (try again), IC_EINVAL, IC_ENOMEM. */
int storage_put_audit(struct storage *st, const struct storage_audit *a);

#endif
