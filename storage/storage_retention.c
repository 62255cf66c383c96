/* SPDX-License-Identifier: Apache-2.0 */
/*
 * storage_retention.c - keeping the database bounded, run by the writer
 * between batches (every minute, and on storage_retention_now()).
 *
 * 1. Raw samples older than retention_raw_ms are folded into samples_ds
 *    (min/avg/max/count of each downsample_ms period; a period folded in two
 *    runs is merged, the average weighted by count) and deleted; with
 *    downsample_ms = 0 they are just deleted. Target by target, so that each
 *    statement is a range of the sweeps table's (target_id, ts) key and not a
 *    table scan, and 16 targets per transaction, so the WAL and the pause
 *    stay small.
 *    Captured console lines go at the same age (consoles can be chatty).
 * 2. SEL entries, SEL resets, state transitions and downsampled rows are kept
 *    STORAGE_LONG_FACTOR (10) times longer: they are small, and "what happened
 *    to this server last month" is the question they answer.
 * 3. While the data (pages in use) exceed max_db_size: the oldest downsampled
 *    rows go first, then the oldest raw samples, in chunks; SEL and state rows
 *    are never trimmed for size. Then incremental_vacuum gives the freed pages
 *    back and a TRUNCATE checkpoint empties the WAL.
 */
#include <stdlib.h>

#include "storage_int.h"

#include "ic_err.h"

#define TARGETS_PER_TX 16 /* a target's sweeps hold its few dozen sensors */
#define DELETE_CHUNK   5000

struct ret {
    struct storage *st;
    int src;          /* first SQLite failure */
    uint64_t trimmed; /* rows deleted */
};

static sqlite3_int64
i64(uint64_t v)
{
    return v > (uint64_t)INT64_MAX ? INT64_MAX : (sqlite3_int64)v;
}

/* Prepares and runs sql with up to three integer parameters; rows changed or -1. */
static sqlite3_int64
exec3(struct ret *r, const char *sql, sqlite3_int64 a, sqlite3_int64 b, sqlite3_int64 c)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(r->st->wdb, sql, -1, &s, NULL);
    if (rc == SQLITE_OK) {
        int np = sqlite3_bind_parameter_count(s);
        if (np >= 1)
            sqlite3_bind_int64(s, 1, a);
        if (np >= 2)
            sqlite3_bind_int64(s, 2, b);
        if (np >= 3)
            sqlite3_bind_int64(s, 3, c);
        rc = sqlite3_step(s);
        if (rc == SQLITE_DONE || rc == SQLITE_ROW)
            rc = SQLITE_OK;
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_OK) {
        if (r->src == SQLITE_OK)
            r->src = rc;
        return -1;
    }
    return sqlite3_changes64(r->st->wdb);
}

/* One integer from a query (PRAGMA page_count, min(ts), ...); def if none. */
static sqlite3_int64
query1(struct ret *r, const char *sql, sqlite3_int64 def)
{
    sqlite3_stmt *s = NULL;
    sqlite3_int64 v = def;
    int rc = sqlite3_prepare_v2(r->st->wdb, sql, -1, &s, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW &&
        sqlite3_column_type(s, 0) != SQLITE_NULL)
        v = sqlite3_column_int64(s, 0);
    if (rc != SQLITE_OK && rc != SQLITE_ROW && rc != SQLITE_DONE && r->src == SQLITE_OK)
        r->src = rc;
    sqlite3_finalize(s);
    return v;
}

static void
tx_begin(struct ret *r)
{
    int rc = storage_exec(r->st->wdb, "BEGIN IMMEDIATE");
    if (rc != SQLITE_OK && r->src == SQLITE_OK)
        r->src = rc;
}

static void
tx_end(struct ret *r)
{
    if (r->src == SQLITE_OK) {
        int rc = storage_exec(r->st->wdb, "COMMIT");
        if (rc != SQLITE_OK)
            r->src = rc;
    }
    if (r->src != SQLITE_OK && !sqlite3_get_autocommit(r->st->wdb))
        storage_exec(r->st->wdb, "ROLLBACK");
}

static const char fold_sql[] =
    "INSERT INTO samples_ds(sensor_id, period_start, \"min\", \"avg\", \"max\", count) "
    "VALUES(?1, ?2, ?3, ?4, ?5, ?6) "
    "ON CONFLICT(sensor_id, period_start) DO UPDATE SET "
    "\"min\" = min(\"min\", excluded.\"min\"), \"max\" = max(\"max\", excluded.\"max\"), "
    "\"avg\" = (\"avg\" * count + excluded.\"avg\" * excluded.count) / (count + excluded.count), "
    "count = count + excluded.count";

/* Binds up to three integers, steps, resets; rows changed or -1 (and r->src set). */
static sqlite3_int64
run3(struct ret *r, sqlite3_stmt *s, sqlite3_int64 a, sqlite3_int64 b, sqlite3_int64 c)
{
    int np = sqlite3_bind_parameter_count(s);
    if (np >= 1)
        sqlite3_bind_int64(s, 1, a);
    if (np >= 2)
        sqlite3_bind_int64(s, 2, b);
    if (np >= 3)
        sqlite3_bind_int64(s, 3, c);
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        if (r->src == SQLITE_OK)
            r->src = rc;
        return -1;
    }
    return sqlite3_changes64(r->st->wdb);
}

/* One downsample period of one sensor, being summed up. */
struct agg {
    uint32_t sensor_id;
    double min, max, sum;
    sqlite3_int64 count;
};

struct fold {
    struct ret *r;
    sqlite3_stmt *put; /* fold_sql */
    sqlite3_int64 period;
    struct agg *a;
    size_t n, cap;
};

static void
fold_flush(struct fold *f)
{
    for (size_t i = 0; i < f->n && f->r->src == SQLITE_OK; i++) {
        const struct agg *g = &f->a[i];
        sqlite3_bind_int64(f->put, 1, g->sensor_id);
        sqlite3_bind_int64(f->put, 2, f->period);
        sqlite3_bind_double(f->put, 3, g->min);
        sqlite3_bind_double(f->put, 4, g->sum / (double)g->count);
        sqlite3_bind_double(f->put, 5, g->max);
        sqlite3_bind_int64(f->put, 6, g->count);
        int rc = sqlite3_step(f->put);
        sqlite3_reset(f->put);
        if (rc != SQLITE_DONE && f->r->src == SQLITE_OK)
            f->r->src = rc;
    }
    f->n = 0;
}

static void
fold_add(struct fold *f, sqlite3_int64 period, const struct sweep_rec *v)
{
    if (period != f->period) {
        fold_flush(f);
        f->period = period;
    }
    size_t i = 0;
    while (i < f->n && f->a[i].sensor_id != v->sensor_id)
        i++; /* a sweep's few dozen sensors: a scan beats a hash */
    if (i == f->n) {
        if (f->n == f->cap) {
            size_t cap = f->cap ? f->cap * 2 : 64;
            struct agg *na = realloc(f->a, cap * sizeof(*na));
            if (!na) {
                if (f->r->src == SQLITE_OK)
                    f->r->src = SQLITE_NOMEM;
                return;
            }
            f->a = na;
            f->cap = cap;
        }
        f->a[f->n++] = (struct agg){v->sensor_id, v->value, v->value, 0.0, 0};
    }
    struct agg *g = &f->a[i];
    g->min = v->value < g->min ? v->value : g->min;
    g->max = v->value > g->max ? v->value : g->max;
    g->sum += v->value;
    g->count++;
}

/*
 * One target's sweeps older than cutoff: their samples folded into
 * samples_ds (if fold: min/avg/max/count of each period, values only, as
 * before) and counted in r->trimmed; then the rows go.
 */
static void
sweep_target(struct ret *r, sqlite3_stmt *rows, sqlite3_stmt *del, struct fold *f,
             sqlite3_int64 tid, uint64_t cutoff, uint64_t ds)
{
    sqlite3_bind_int64(rows, 1, tid);
    sqlite3_bind_int64(rows, 2, i64(cutoff));
    int rc;
    f->period = -1;
    f->n = 0;
    uint64_t samples = 0;
    while ((rc = sqlite3_step(rows)) == SQLITE_ROW && r->src == SQLITE_OK) {
        sqlite3_int64 ts = sqlite3_column_int64(rows, 0);
        const uint8_t *d = sqlite3_column_blob(rows, 1);
        size_t n = (size_t)sqlite3_column_bytes(rows, 1) / SWEEP_REC;
        samples += n;
        for (size_t i = 0; f->put && d && i < n; i++) {
            struct sweep_rec v;
            storage_sweep_get(d + i * SWEEP_REC, &v);
            if (v.has_value)
                fold_add(f, (ts / (sqlite3_int64)ds) * (sqlite3_int64)ds, &v);
        }
    }
    sqlite3_reset(rows);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW && r->src == SQLITE_OK)
        r->src = rc;
    if (f->put)
        fold_flush(f);
    if (r->src == SQLITE_OK && run3(r, del, tid, i64(cutoff), 0) >= 0)
        r->trimmed += samples;
}

/*
 * Raw samples older than cutoff: folded (if fold) and deleted, target by
 * target. The statements are prepared once per run, and a target whose
 * oldest sweep is recent (one index seek) costs nothing more: with 10,000
 * targets this runs every minute.
 */
static void
sweep_samples(struct ret *r, uint64_t cutoff, int fold)
{
    sqlite3_int64 last = 0;
    uint64_t ds = r->st->o.downsample_ms;
    sqlite3_stmt *ids_s = NULL, *min_s = NULL, *rows_s = NULL, *del_s = NULL;
    struct fold f = {.r = r};
    sqlite3 *db = r->st->wdb;
    int rc = sqlite3_prepare_v2(db, "SELECT id FROM targets WHERE id > ?1 ORDER BY id LIMIT ?2", -1,
                                &ids_s, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(db, "SELECT min(ts) FROM sweeps WHERE target_id = ?1", -1, &min_s,
                                NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(db,
                                "SELECT ts, data FROM sweeps WHERE target_id = ?1 AND ts < ?2 "
                                "ORDER BY ts",
                                -1, &rows_s, NULL);
    if (rc == SQLITE_OK && fold && ds)
        rc = sqlite3_prepare_v2(db, fold_sql, -1, &f.put, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(db, "DELETE FROM sweeps WHERE target_id = ?1 AND ts < ?2", -1,
                                &del_s, NULL);
    if (rc != SQLITE_OK && r->src == SQLITE_OK)
        r->src = rc;
    while (r->src == SQLITE_OK) {
        sqlite3_int64 ids[TARGETS_PER_TX];
        size_t n = 0, scanned = 0;
        sqlite3_bind_int64(ids_s, 1, last);
        sqlite3_bind_int64(ids_s, 2, TARGETS_PER_TX);
        while ((rc = sqlite3_step(ids_s)) == SQLITE_ROW) {
            sqlite3_int64 id = sqlite3_column_int64(ids_s, 0);
            last = id;
            scanned++;
            /* Only targets with something old enough. */
            sqlite3_bind_int64(min_s, 1, id);
            if (sqlite3_step(min_s) == SQLITE_ROW && sqlite3_column_type(min_s, 0) != SQLITE_NULL &&
                sqlite3_column_int64(min_s, 0) < i64(cutoff))
                ids[n++] = id;
            sqlite3_reset(min_s);
        }
        sqlite3_reset(ids_s);
        if (rc != SQLITE_OK && rc != SQLITE_ROW && rc != SQLITE_DONE) {
            r->src = rc;
            break;
        }
        if (n > 0) {
            tx_begin(r);
            for (size_t i = 0; i < n && r->src == SQLITE_OK; i++)
                sweep_target(r, rows_s, del_s, &f, ids[i], cutoff, ds);
            tx_end(r);
        }
        if (scanned < TARGETS_PER_TX)
            break; /* that was the last of the targets */
    }
    free(f.a);
    sqlite3_finalize(ids_s);
    sqlite3_finalize(min_s);
    sqlite3_finalize(rows_s);
    sqlite3_finalize(f.put);
    sqlite3_finalize(del_s);
}

/* Deletes rows matched by a "... IN (SELECT ... LIMIT ?2)" statement, chunk by chunk. */
static void
chunked(struct ret *r, const char *sql, uint64_t cutoff)
{
    sqlite3_int64 d;
    do {
        tx_begin(r);
        d = r->src == SQLITE_OK ? exec3(r, sql, i64(cutoff), DELETE_CHUNK, 0) : -1;
        tx_end(r);
        if (d > 0)
            r->trimmed += (uint64_t)d;
    } while (d == DELETE_CHUNK && r->src == SQLITE_OK);
}

static uint64_t
used_bytes(struct ret *r)
{
    sqlite3_int64 pages = query1(r, "PRAGMA page_count", 0);
    sqlite3_int64 freep = query1(r, "PRAGMA freelist_count", 0);
    sqlite3_int64 psize = query1(r, "PRAGMA page_size", 4096);
    return pages > freep ? (uint64_t)(pages - freep) * (uint64_t)psize : 0;
}

/* Step 3: oldest downsampled rows, then oldest raw samples, until under the bound. */
static void
trim_to_size(struct ret *r, uint64_t now)
{
    while (r->src == SQLITE_OK && used_bytes(r) > r->st->o.max_db_size) {
        sqlite3_int64 d;
        if (query1(r, "SELECT count(*) FROM (SELECT 1 FROM samples_ds LIMIT 1)", 0) > 0) {
            tx_begin(r);
            d = exec3(r,
                      "DELETE FROM samples_ds WHERE (sensor_id, period_start) IN "
                      "(SELECT sensor_id, period_start FROM samples_ds "
                      "ORDER BY period_start LIMIT ?1)",
                      DELETE_CHUNK, 0, 0);
            tx_end(r);
            if (d > 0)
                r->trimmed += (uint64_t)d;
            continue;
        }
        sqlite3_int64 oldest = query1(r, "SELECT min(ts) FROM sweeps", -1);
        if (oldest < 0 || r->src != SQLITE_OK) {
            log_warn("database %s: above max_db_size (%llu bytes) with no samples left to trim; "
                     "SEL and state history are kept: raise max_db_size",
                     r->st->path, (unsigned long long)r->st->o.max_db_size);
            return;
        }
        /* A slice of the remaining time span; one full scan for min(ts) per slice. */
        uint64_t span = now > (uint64_t)oldest ? now - (uint64_t)oldest : 0;
        uint64_t step = span / 16 > 1000 ? span / 16 : 1000;
        uint64_t before = r->trimmed;
        sweep_samples(r, (uint64_t)oldest + step, 0);
        if (r->trimmed == before)
            return; /* no progress: do not spin */
    }
}

int
storage_retention_run(struct storage *st, uint64_t now)
{
    struct ret r = {.st = st, .src = SQLITE_OK, .trimmed = 0};
    uint64_t keep = st->o.retention_raw_ms;
    uint64_t cutoff = now > keep ? now - keep : 0;
    uint64_t long_keep = keep * STORAGE_LONG_FACTOR;
    uint64_t long_cutoff = now > long_keep ? now - long_keep : 0;

    if (cutoff) {
        sweep_samples(&r, cutoff, 1);
        chunked(&r,
                "DELETE FROM console WHERE id IN (SELECT id FROM console WHERE ts < ?1 LIMIT ?2)",
                cutoff);
    }
    if (long_cutoff) {
        chunked(&r,
                "DELETE FROM sel WHERE id IN (SELECT id FROM sel WHERE stored_at < ?1 LIMIT ?2)",
                long_cutoff);
        chunked(&r,
                "DELETE FROM sel_resets WHERE rowid IN "
                "(SELECT rowid FROM sel_resets WHERE ts < ?1 LIMIT ?2)",
                long_cutoff);
        chunked(&r,
                "DELETE FROM state_log WHERE rowid IN "
                "(SELECT rowid FROM state_log WHERE ts < ?1 LIMIT ?2)",
                long_cutoff);
        /* Alert history: never one still waiting for delivery or still firing. */
        chunked(&r,
                "DELETE FROM alerts WHERE id IN (SELECT id FROM alerts WHERE created_at < ?1 "
                "AND id NOT IN (SELECT alert_id FROM outbox) "
                "AND id NOT IN (SELECT alert_id FROM active_alerts) LIMIT ?2)",
                long_cutoff);
        /* period_start + downsample_ms: a period is gone once all of it is. */
        chunked(&r,
                "DELETE FROM samples_ds WHERE (sensor_id, period_start) IN "
                "(SELECT sensor_id, period_start FROM samples_ds WHERE period_start < ?1 "
                "LIMIT ?2)",
                long_cutoff > st->o.downsample_ms ? long_cutoff - st->o.downsample_ms : 0);
    }
    trim_to_size(&r, now);
    if (r.trimmed && r.src == SQLITE_OK) {
        storage_exec(st->wdb, "PRAGMA incremental_vacuum");
        /* Fails harmlessly (busy) while a reader holds a snapshot; the next run retries. */
        storage_exec(st->wdb, "PRAGMA wal_checkpoint(TRUNCATE)");
    }
    pthread_mutex_lock(&st->stmu);
    st->stats.retention_runs++;
    st->stats.rows_trimmed += r.trimmed;
    pthread_mutex_unlock(&st->stmu);
    if (r.src != SQLITE_OK) {
        const char *what;
        int e = storage_sqlite_err(r.src, &what);
        storage_seterr(st, "database %s: retention: %s (%s)", st->path, what,
                       sqlite3_errmsg(st->wdb));
        log_warn("database %s: retention: %s; it runs again in a minute", st->path, what);
        return e;
    }
    return 0;
}
