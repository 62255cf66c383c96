/* SPDX-License-Identifier: Apache-2.0 */
/*
 * storage_schema.c - the schema and its migrations (PRAGMA user_version).
 *
 * All times are unix milliseconds (INTEGER). Version 1:
 *
 *   targets     one row per target ever seen. labels is a JSON object text
 *               ('{"rack":"r1"}', queried with json_each). configured = 1 while
 *               the target is in the configuration; a removed target keeps its
 *               row and history with configured = 0. state/last_error/state_since
 *               mirror the last state_log row; last_seen = last data stored
 *               (a sweep moves it once a minute: readers take the later
 *               of it and the newest sweeps row).
 *   sdr_cache   target's SDR repository blob (ipmi_sdr_cache_blob()).
 *   sel_cursor  where the SEL follower is; written in the same transaction as
 *               the sel rows it covers, so a crash loses or repeats neither.
 *   sel         SEL entries, UNIQUE(target_id, record_id, raw): a replay of the
 *               same record is ignored, a reused ID with new bytes is a new row.
 *   sel_resets  the BMC's SEL was cleared or wrapped (ts = when we noticed).
 *   sensors     (target, record ID, name) -> small integer id for samples.
 *   samples     raw readings, WITHOUT ROWID keyed (sensor_id, ts); replaced by
 *               sweeps in version 5 (below). value NULL = no reading.
 *   samples_ds  downsampled rows: min/avg/max/count of the non-NULL values of
 *               one downsample_ms period starting at period_start.
 *   inventory   identity (Get Device ID, GUID) and FRU text fields.
 *   state_log   state transitions of targets ("up", "down", ...) and why.
 *
 * Retention (storage_retention.c): raw samples retention_raw_ms; sel, sel_resets,
 * state_log and samples_ds 10x that, because they are small and answer "what
 * happened last month"; above max_db_size the oldest samples_ds then samples go.
 *
 * auto_vacuum = INCREMENTAL is set before the first table (storage.c), so that
 * retention can give freed pages back to the file system.
 */
#include "storage_int.h"

#include <stdio.h>

#include "ic_err.h"

static const char schema_v1[] =
    "CREATE TABLE targets("
    " id INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL UNIQUE,"
    " host TEXT,"
    " port INTEGER,"
    " labels TEXT NOT NULL DEFAULT '{}',"
    " configured INTEGER NOT NULL DEFAULT 0,"
    " first_seen INTEGER NOT NULL,"
    " last_seen INTEGER,"
    " state TEXT,"
    " state_since INTEGER,"
    " last_error TEXT);"
    "CREATE TABLE sdr_cache("
    " target_id INTEGER PRIMARY KEY,"
    " blob BLOB NOT NULL,"
    " updated INTEGER NOT NULL);"
    "CREATE TABLE sel_cursor("
    " target_id INTEGER PRIMARY KEY,"
    " valid INTEGER NOT NULL,"
    " id_only INTEGER NOT NULL DEFAULT 0,"
    " last_id INTEGER NOT NULL,"
    " last_raw BLOB,"
    " updated INTEGER NOT NULL);"
    "CREATE TABLE sel("
    " id INTEGER PRIMARY KEY,"
    " target_id INTEGER NOT NULL,"
    " record_id INTEGER NOT NULL,"
    " raw BLOB NOT NULL,"
    " timestamp INTEGER NOT NULL,"
    " severity INTEGER NOT NULL,"
    " sensor TEXT NOT NULL,"
    " event TEXT NOT NULL,"
    " detail TEXT NOT NULL,"
    " stored_at INTEGER NOT NULL,"
    " UNIQUE(target_id, record_id, raw));"
    "CREATE INDEX sel_stored_at ON sel(stored_at);"
    "CREATE TABLE sel_resets("
    " target_id INTEGER NOT NULL,"
    " ts INTEGER NOT NULL);"
    "CREATE INDEX sel_resets_ts ON sel_resets(ts);"
    "CREATE TABLE sensors("
    " id INTEGER PRIMARY KEY,"
    " target_id INTEGER NOT NULL,"
    " record_id INTEGER NOT NULL,"
    " number INTEGER NOT NULL,"
    " name TEXT NOT NULL,"
    " unit TEXT NOT NULL,"
    " sensor_type INTEGER NOT NULL,"
    " UNIQUE(target_id, record_id, name));"
    "CREATE TABLE samples("
    " sensor_id INTEGER NOT NULL,"
    " ts INTEGER NOT NULL,"
    " value REAL,"
    " state INTEGER NOT NULL,"
    " states INTEGER NOT NULL,"
    " PRIMARY KEY(sensor_id, ts)) WITHOUT ROWID;"
    "CREATE TABLE samples_ds("
    " sensor_id INTEGER NOT NULL,"
    " period_start INTEGER NOT NULL,"
    " min REAL,"
    " avg REAL,"
    " max REAL,"
    " count INTEGER NOT NULL,"
    " PRIMARY KEY(sensor_id, period_start)) WITHOUT ROWID;"
    "CREATE INDEX samples_ds_period ON samples_ds(period_start);"
    "CREATE TABLE inventory("
    " target_id INTEGER PRIMARY KEY,"
    " manufacturer_id INTEGER,"
    " product_id INTEGER,"
    " device_id INTEGER,"
    " firmware TEXT,"
    " ipmi_version TEXT,"
    " guid TEXT,"
    " board_mfg TEXT, board_product TEXT, board_serial TEXT, board_part TEXT,"
    " product_mfg TEXT, product_name TEXT, product_serial TEXT, product_part TEXT,"
    " product_version TEXT,"
    " chassis_serial TEXT, chassis_part TEXT,"
    " updated INTEGER NOT NULL);"
    "CREATE TABLE state_log("
    " target_id INTEGER NOT NULL,"
    " ts INTEGER NOT NULL,"
    " state TEXT NOT NULL,"
    " error TEXT NOT NULL);"
    "CREATE INDEX state_log_ts ON state_log(ts);"
    "CREATE INDEX state_log_target ON state_log(target_id, ts);";

/*
 * Version 2 (issue 7): alerts and their delivery.
 *   alerts         every alert raised; key UNIQUE is the idempotency key, so an
 *                  alert raised twice (a re-read SEL record) is stored once.
 *                  receivers: the receivers it was routed to, newline-separated.
 *   outbox         one row per (alert, receiver) until the receiver accepted it
 *                  (2xx): pending, or dead after max_age (kept, visible).
 *   active_alerts  firing alerts nothing has resolved yet, by (target, identity):
 *                  Alertmanager gets them again every resend period.
 */
static const char schema_v2[] =
    "CREATE TABLE alerts("
    " id INTEGER PRIMARY KEY,"
    " key TEXT NOT NULL UNIQUE,"
    " target_id INTEGER NOT NULL,"
    " kind TEXT NOT NULL, status TEXT NOT NULL, severity TEXT NOT NULL,"
    " identity TEXT NOT NULL, summary TEXT NOT NULL, sensor TEXT NOT NULL,"
    " sensor_type TEXT NOT NULL, value REAL, threshold REAL,"
    " starts_at INTEGER NOT NULL, ends_at INTEGER,"
    " labels TEXT NOT NULL, sel TEXT, receivers TEXT NOT NULL,"
    " created_at INTEGER NOT NULL);"
    "CREATE INDEX alerts_created ON alerts(created_at);"
    "CREATE TABLE outbox("
    " id INTEGER PRIMARY KEY,"
    " alert_id INTEGER NOT NULL,"
    " target_id INTEGER NOT NULL,"
    " receiver TEXT NOT NULL,"
    " state TEXT NOT NULL DEFAULT 'pending',"
    " attempts INTEGER NOT NULL DEFAULT 0,"
    " next_at INTEGER NOT NULL,"
    " last_error TEXT,"
    " created_at INTEGER NOT NULL,"
    " UNIQUE(alert_id, receiver));"
    "CREATE INDEX outbox_heads ON outbox(receiver, state, target_id, id);"
    "CREATE TABLE active_alerts("
    " target_id INTEGER NOT NULL,"
    " identity TEXT NOT NULL,"
    " alert_id INTEGER NOT NULL,"
    " PRIMARY KEY(target_id, identity)) WITHOUT ROWID;";

/*
 * Version 3 (issue 8): the audit log of actions asked through the API. Rows
 * are never trimmed by retention (they are few and small, and an audit log
 * that forgets is no audit log).
 *   audit  who (the token's name, never the token), from where, what, which
 *          targets, when, and how it ended (per-target details as JSON).
 */
static const char schema_v3[] = "CREATE TABLE audit("
                                " id INTEGER PRIMARY KEY,"
                                " ts INTEGER NOT NULL,"
                                " who TEXT NOT NULL, source TEXT NOT NULL,"
                                " action TEXT NOT NULL, params TEXT NOT NULL,"
                                " targets TEXT NOT NULL, result TEXT NOT NULL,"
                                " ok INTEGER NOT NULL, failed INTEGER NOT NULL,"
                                " duration_ms INTEGER NOT NULL, details TEXT NOT NULL);"
                                "CREATE INDEX audit_ts ON audit(ts);";

/*
 * Version 4 (issue 8): console output captured over Serial-over-LAN, one row
 * per line (CR and the newline removed), kept for the raw retention.
 */
static const char schema_v4[] = "CREATE TABLE console("
                                " id INTEGER PRIMARY KEY,"
                                " target_id INTEGER NOT NULL,"
                                " ts INTEGER NOT NULL,"
                                " line TEXT NOT NULL);"
                                "CREATE INDEX console_target ON console(target_id, ts);"
                                "CREATE INDEX console_ts ON console(ts);";

/*
 * Version 5: raw samples one row per sweep instead of one per sample.
 *   sweeps  (target_id, ts) -> data: the sweep's samples packed, 16 bytes
 *           each (storage_sweeps.c; SQL reads them with ic_sample()).
 * Keyed (sensor_id, ts), every sensor's newest row had its own B-tree leaf
 * once the table had history, so a commit wrote one 4 KiB page per sample;
 * a sweep row costs about one page per poll. The old rows are packed into
 * sweeps (ic_pack) and the samples table is dropped.
 */
static const char schema_v5[] =
    "CREATE TABLE sweeps("
    " target_id INTEGER NOT NULL,"
    " ts INTEGER NOT NULL,"
    " data BLOB NOT NULL,"
    " PRIMARY KEY(target_id, ts)) WITHOUT ROWID;"
    "INSERT INTO sweeps(target_id, ts, data) "
    "SELECT n.target_id, s.ts, ic_pack(s.sensor_id, s.value, s.state, s.states) "
    "FROM samples s JOIN sensors n ON n.id = s.sensor_id GROUP BY n.target_id, s.ts;"
    "DROP TABLE samples;";

/* migrations[v] brings version v to v + 1. */
static const char *const migrations[STORAGE_SCHEMA_VERSION] = {schema_v1, schema_v2, schema_v3,
                                                               schema_v4, schema_v5};

static int
user_version(sqlite3 *db, int *v)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        *v = sqlite3_column_int(s, 0);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(s);
    return rc;
}

static int
too_new(const char *path, int v, char *err, size_t errlen)
{
    snprintf(err, errlen,
             "database %s: schema version %d is newer than this binary's %d "
             "(written by a newer ipmi-collector; upgrade, or point to another file)",
             path, v, STORAGE_SCHEMA_VERSION);
    return IC_ECONFIG;
}

int
storage_schema_migrate(struct storage *st, char *err, size_t errlen)
{
    const char *what;
    int v = 0, src;
    /* BEGIN IMMEDIATE: two daemons starting on one file migrate one after the other. */
    src = storage_exec(st->wdb, "BEGIN IMMEDIATE");
    if (src == SQLITE_OK)
        src = user_version(st->wdb, &v);
    if (src != SQLITE_OK)
        goto sqlfail;
    if (v > STORAGE_SCHEMA_VERSION) {
        storage_exec(st->wdb, "ROLLBACK");
        return too_new(st->path, v, err, errlen);
    }
    for (; v < STORAGE_SCHEMA_VERSION; v++) {
        char sql[64];
        src = storage_exec(st->wdb, migrations[v]);
        snprintf(sql, sizeof(sql), "PRAGMA user_version=%d", v + 1);
        if (src == SQLITE_OK)
            src = storage_exec(st->wdb, sql);
        if (src != SQLITE_OK)
            goto sqlfail;
    }
    src = storage_exec(st->wdb, "COMMIT");
    if (src != SQLITE_OK)
        goto sqlfail;
    return 0;
sqlfail:
    storage_exec(st->wdb, "ROLLBACK");
    src = storage_sqlite_err(src, &what);
    snprintf(err, errlen, "database %s: migrating the schema to version %d: %s (%s)", st->path,
             v + 1, what, sqlite3_errmsg(st->wdb));
    return src;
}

int
storage_schema_check(sqlite3 *db, const char *path, char *err, size_t errlen)
{
    const char *what;
    int v = 0, src = user_version(db, &v);
    if (src != SQLITE_OK) {
        int e = storage_sqlite_err(src, &what);
        snprintf(err, errlen, "database %s: %s", path, what);
        return e;
    }
    if (v > STORAGE_SCHEMA_VERSION)
        return too_new(path, v, err, errlen);
    if (v < STORAGE_SCHEMA_VERSION) {
        snprintf(err, errlen,
                 "database %s: not an ipmi-collector database, or an older schema (version %d; "
                 "the daemon migrates it when it starts)",
                 path, v);
        return IC_ECONFIG;
    }
    return 0;
}
