/* SPDX-License-Identifier: Apache-2.0 */
/*
 * storage_apply.c - what each message does to the database, inside the
 * writer's open transaction. Statements are prepared once (on first use) and
 * kept: the writer runs the same dozen statements all day.
 *
 * Every function returns an SQLite result code (SQLITE_OK on success) so the
 * writer can tell a full disk (retry later) from a bad message (drop it).
 */
#include "clock.h"
#include "storage_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const stmt_sql[SST_COUNT] = {
    [SST_TARGET_ID] = "SELECT id FROM targets WHERE name = ?1",
    [SST_TARGET_ADD] = "INSERT INTO targets(name, first_seen) VALUES(?1, ?2)",
    [SST_TARGET_SEEN] = "UPDATE targets SET last_seen = ?2 WHERE id = ?1 AND "
                        "(last_seen IS NULL OR last_seen < ?2)",
    /* A row that does not match is not written: the page stays clean. */
    [SST_TARGET_SEEN_SWEEP] = "UPDATE targets SET last_seen = ?2 WHERE id = ?1 AND "
                              "(last_seen IS NULL OR last_seen <= ?2 - 60000)",
    [SST_TARGET_UPSERT] =
        "INSERT INTO targets(name, host, port, labels, configured, first_seen) "
        "VALUES(?1, ?2, ?3, ?4, 1, ?5) ON CONFLICT(name) DO UPDATE SET host = excluded.host, "
        "port = excluded.port, labels = excluded.labels, configured = 1",
    [SST_TARGET_UNCONF] = "UPDATE targets SET configured = 0 WHERE configured <> 0",
    [SST_SENSOR_GET] = "SELECT id, number, unit, sensor_type FROM sensors "
                       "WHERE target_id = ?1 AND record_id = ?2 AND name = ?3",
    [SST_SENSOR_ADD] = "INSERT INTO sensors(target_id, record_id, number, name, unit, sensor_type) "
                       "VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
    [SST_SENSOR_UPD] = "UPDATE sensors SET number = ?2, unit = ?3, sensor_type = ?4 WHERE id = ?1",
    [SST_SWEEP_PUT] = "INSERT OR REPLACE INTO sweeps(target_id, ts, data) VALUES(?1, ?2, ?3)",
    [SST_SEL_PUT] = "INSERT OR IGNORE INTO sel(target_id, record_id, raw, timestamp, severity, "
                    "sensor, event, detail, stored_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    [SST_SEL_RESET] = "INSERT INTO sel_resets(target_id, ts) VALUES(?1, ?2)",
    [SST_CURSOR_PUT] = "INSERT OR REPLACE INTO sel_cursor(target_id, valid, id_only, last_id, "
                       "last_raw, updated) VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
    [SST_SDR_PUT] = "INSERT OR REPLACE INTO sdr_cache(target_id, blob, updated) VALUES(?1, ?2, ?3)",
    [SST_INV_ENSURE] = "INSERT OR IGNORE INTO inventory(target_id, updated) VALUES(?1, ?2)",
    [SST_INV_DEVID] = "UPDATE inventory SET manufacturer_id = ?2, product_id = ?3, device_id = ?4, "
                      "firmware = ?5, ipmi_version = ?6, updated = ?7 WHERE target_id = ?1",
    [SST_INV_GUID] = "UPDATE inventory SET guid = ?2, updated = ?3 WHERE target_id = ?1",
    [SST_INV_FRU] =
        "UPDATE inventory SET board_mfg = ?2, board_product = ?3, board_serial = ?4, "
        "board_part = ?5, product_mfg = ?6, product_name = ?7, product_serial = ?8, "
        "product_part = ?9, product_version = ?10, chassis_serial = ?11, chassis_part = ?12, "
        "updated = ?13 WHERE target_id = ?1",
    [SST_STATE_LOG] = "INSERT INTO state_log(target_id, ts, state, error) VALUES(?1, ?2, ?3, ?4)",
    [SST_STATE_SET] = "UPDATE targets SET state = ?2, last_error = ?3, state_since = ?4 "
                      "WHERE id = ?1",
};

void
storage_stmts_free(struct storage *st)
{
    for (int i = 0; i < SST_COUNT; i++) {
        sqlite3_finalize(st->stmt[i]);
        st->stmt[i] = NULL;
    }
    storage_outbox_stmts_free(st);
    sqlite3_finalize(st->audit_stmt);
    st->audit_stmt = NULL;
    sqlite3_finalize(st->console_stmt);
    st->console_stmt = NULL;
}

sqlite3_stmt *
storage_stmt_cached(struct storage *st, sqlite3_stmt **slot, const char *sql, int *rc)
{
    if (!*slot) {
        *rc = sqlite3_prepare_v3(st->wdb, sql, -1, SQLITE_PREPARE_PERSISTENT, slot, NULL);
        if (*rc != SQLITE_OK)
            return NULL;
    }
    *rc = SQLITE_OK;
    return *slot;
}

static sqlite3_stmt *
stmt(struct storage *st, enum storage_stmt i, int *rc)
{
    return storage_stmt_cached(st, &st->stmt[i], stmt_sql[i], rc);
}

/* Steps a statement that returns no row, then resets it. */
static int
run(sqlite3_stmt *s)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? SQLITE_OK : rc;
}

static sqlite3_int64
i64(uint64_t v)
{
    return (sqlite3_int64)v;
}

/* The id of target name, creating an unconfigured row if it is new. */
static int
target_id(struct storage *st, const char *name, uint64_t ts, sqlite3_int64 *id)
{
    int rc;
    sqlite3_stmt *s = stmt(st, SST_TARGET_ID, &rc);
    if (!s)
        return rc;
    sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    if (rc == SQLITE_ROW)
        return SQLITE_OK;
    if (rc != SQLITE_DONE)
        return rc;
    if (!(s = stmt(st, SST_TARGET_ADD, &rc)))
        return rc;
    sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, i64(ts ? ts : clock_wall_ms()));
    if ((rc = run(s)) != SQLITE_OK)
        return rc;
    *id = sqlite3_last_insert_rowid(st->wdb);
    return SQLITE_OK;
}

/*
 * targets.last_seen. A sweep moves it only when it is a minute old: every
 * sweep rewriting its target's row costs a page per target per commit (at
 * 10,000 targets, as many pages as the sweeps themselves), and readers take
 * the later of it and the target's newest sweep.
 */
static int
target_seen(struct storage *st, sqlite3_int64 id, uint64_t ts, int sweep)
{
    int rc;
    sqlite3_stmt *s = stmt(st, sweep ? SST_TARGET_SEEN_SWEEP : SST_TARGET_SEEN, &rc);
    if (!s)
        return rc;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int64(s, 2, i64(ts));
    return run(s);
}

static int
apply_targets(struct storage *st, const struct storage_msg *m)
{
    int rc;
    sqlite3_stmt *s = stmt(st, SST_TARGET_UNCONF, &rc);
    if (!s || (rc = run(s)) != SQLITE_OK)
        return rc;
    uint64_t now = clock_wall_ms();
    for (size_t i = 0; i < m->n; i++) {
        const struct storage_target *t = &m->u.targets[i];
        if (!(s = stmt(st, SST_TARGET_UPSERT, &rc)))
            return rc;
        sqlite3_bind_text(s, 1, t->name, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, t->host, -1, SQLITE_STATIC);
        sqlite3_bind_int(s, 3, t->port);
        sqlite3_bind_text(s, 4, m->tjson[i], -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 5, i64(now));
        if ((rc = run(s)) != SQLITE_OK)
            return rc;
    }
    return SQLITE_OK;
}

/* The sensor's id; its row is updated only when unit, type or number changed. */
static int
sensor_id(struct storage *st, sqlite3_int64 tid, const struct storage_sample *v, sqlite3_int64 *id)
{
    int rc, same = 0, found = 0;
    sqlite3_stmt *s = stmt(st, SST_SENSOR_GET, &rc);
    if (!s)
        return rc;
    sqlite3_bind_int64(s, 1, tid);
    sqlite3_bind_int(s, 2, v->record_id);
    sqlite3_bind_text(s, 3, v->name, -1, SQLITE_STATIC);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        const unsigned char *unit = sqlite3_column_text(s, 2);
        found = 1;
        *id = sqlite3_column_int64(s, 0);
        same = sqlite3_column_int(s, 1) == v->number &&
               sqlite3_column_int(s, 3) == v->sensor_type && unit &&
               strcmp((const char *)unit, v->unit) == 0;
    }
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return rc;
    if (same)
        return SQLITE_OK;
    if (!(s = stmt(st, found ? SST_SENSOR_UPD : SST_SENSOR_ADD, &rc)))
        return rc;
    if (found) {
        sqlite3_bind_int64(s, 1, *id);
        sqlite3_bind_int(s, 2, v->number);
        sqlite3_bind_text(s, 3, v->unit, -1, SQLITE_STATIC);
        sqlite3_bind_int(s, 4, v->sensor_type);
        return run(s);
    }
    sqlite3_bind_int64(s, 1, tid);
    sqlite3_bind_int(s, 2, v->record_id);
    sqlite3_bind_int(s, 3, v->number);
    sqlite3_bind_text(s, 4, v->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, v->unit, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 6, v->sensor_type);
    if ((rc = run(s)) != SQLITE_OK)
        return rc;
    *id = sqlite3_last_insert_rowid(st->wdb);
    return SQLITE_OK;
}

/* The sweep as one row (storage_sweeps.c): a poll writes about one page, not one per sample. */
static int
apply_samples(struct storage *st, const struct storage_msg *m, sqlite3_int64 tid)
{
    int rc;
    if (m->n) {
        uint8_t *blob = malloc(m->n * SWEEP_REC);
        if (!blob)
            return SQLITE_NOMEM;
        for (size_t i = 0; i < m->n; i++) {
            const struct storage_sample *v = &m->u.samples[i];
            uint64_t key = storage_sids_key(v);
            sqlite3_int64 sid = storage_sids_get(st, tid, i, key);
            if (sid == 0) {
                if ((rc = sensor_id(st, tid, v, &sid)) != SQLITE_OK) {
                    free(blob);
                    return rc;
                }
                storage_sids_put(st, tid, i, key, sid);
            }
            if (sid <= 0 || sid > (sqlite3_int64)UINT32_MAX) {
                free(blob);
                return SQLITE_RANGE; /* sensor ids are small row numbers: not this database */
            }
            struct sweep_rec r = {.sensor_id = (uint32_t)sid,
                                  .has_value = v->has_value,
                                  .value = v->value,
                                  .state = (uint8_t)v->state,
                                  .states = (uint16_t)v->states};
            storage_sweep_put(blob + i * SWEEP_REC, &r);
        }
        sqlite3_stmt *s = stmt(st, SST_SWEEP_PUT, &rc);
        if (s) {
            sqlite3_bind_int64(s, 1, tid);
            sqlite3_bind_int64(s, 2, i64(m->ts));
            sqlite3_bind_blob64(s, 3, blob, m->n * SWEEP_REC, SQLITE_STATIC);
            rc = run(s);
        }
        free(blob);
        if (rc != SQLITE_OK)
            return rc;
    }
    return target_seen(st, tid, m->ts, m->n > 0);
}

/* Entries, reset marker and cursor: all in the caller's one transaction. */
static int
apply_sel(struct storage *st, const struct storage_msg *m, sqlite3_int64 tid)
{
    int rc;
    sqlite3_stmt *s;
    if (m->reset) {
        if (!(s = stmt(st, SST_SEL_RESET, &rc)))
            return rc;
        sqlite3_bind_int64(s, 1, tid);
        sqlite3_bind_int64(s, 2, i64(m->ts));
        if ((rc = run(s)) != SQLITE_OK)
            return rc;
    }
    for (size_t i = 0; i < m->n; i++) {
        const struct storage_sel *e = &m->u.sel[i];
        if (!(s = stmt(st, SST_SEL_PUT, &rc)))
            return rc;
        sqlite3_bind_int64(s, 1, tid);
        sqlite3_bind_int(s, 2, e->record_id);
        sqlite3_bind_blob(s, 3, e->raw, 16, SQLITE_STATIC);
        sqlite3_bind_int64(s, 4, e->timestamp);
        sqlite3_bind_int(s, 5, e->severity);
        sqlite3_bind_text(s, 6, e->sensor, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 7, e->event, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 8, e->detail, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 9, i64(m->ts));
        if ((rc = run(s)) != SQLITE_OK)
            return rc;
    }
    if (m->has_cursor) {
        if (!(s = stmt(st, SST_CURSOR_PUT, &rc)))
            return rc;
        sqlite3_bind_int64(s, 1, tid);
        sqlite3_bind_int(s, 2, m->cursor.valid != 0);
        sqlite3_bind_int(s, 3, m->cursor.id_only != 0);
        sqlite3_bind_int(s, 4, m->cursor.last_id);
        sqlite3_bind_blob(s, 5, m->cursor.last_raw, 16, SQLITE_STATIC);
        sqlite3_bind_int64(s, 6, i64(m->ts));
        if ((rc = run(s)) != SQLITE_OK)
            return rc;
    }
    return m->n ? target_seen(st, tid, m->ts, 0) : SQLITE_OK;
}

static int
apply_sdr(struct storage *st, const struct storage_msg *m, sqlite3_int64 tid)
{
    int rc;
    sqlite3_stmt *s = stmt(st, SST_SDR_PUT, &rc);
    if (!s)
        return rc;
    sqlite3_bind_int64(s, 1, tid);
    sqlite3_bind_blob(s, 2, m->u.sdr.blob, (int)m->u.sdr.len, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, i64(clock_wall_ms()));
    return run(s);
}

/* Binds a FRU text field; an empty field is NULL (not present). */
static void
bind_field(sqlite3_stmt *s, int i, const char *v)
{
    if (v[0])
        sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, i);
}

static int
apply_inventory(struct storage *st, const struct storage_msg *m, sqlite3_int64 tid)
{
    const struct storage_inv *v = m->u.inv;
    int rc;
    sqlite3_stmt *s = stmt(st, SST_INV_ENSURE, &rc);
    if (!s)
        return rc;
    sqlite3_bind_int64(s, 1, tid);
    sqlite3_bind_int64(s, 2, i64(m->ts));
    if ((rc = run(s)) != SQLITE_OK)
        return rc;
    if (v->has_devid) {
        if (!(s = stmt(st, SST_INV_DEVID, &rc)))
            return rc;
        sqlite3_bind_int64(s, 1, tid);
        sqlite3_bind_int64(s, 2, v->manufacturer_id);
        sqlite3_bind_int(s, 3, v->product_id);
        sqlite3_bind_int(s, 4, v->device_id);
        sqlite3_bind_text(s, 5, v->firmware, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 6, v->ipmi_version, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 7, i64(m->ts));
        if ((rc = run(s)) != SQLITE_OK)
            return rc;
    }
    if (v->has_guid) {
        if (!(s = stmt(st, SST_INV_GUID, &rc)))
            return rc;
        sqlite3_bind_int64(s, 1, tid);
        bind_field(s, 2, v->guid);
        sqlite3_bind_int64(s, 3, i64(m->ts));
        if ((rc = run(s)) != SQLITE_OK)
            return rc;
    }
    if (v->has_fru) {
        const char *f[] = {v->board_mfg,      v->board_product, v->board_serial,
                           v->board_part,     v->product_mfg,   v->product_name,
                           v->product_serial, v->product_part,  v->product_version,
                           v->chassis_serial, v->chassis_part};
        if (!(s = stmt(st, SST_INV_FRU, &rc)))
            return rc;
        sqlite3_bind_int64(s, 1, tid);
        for (int i = 0; i < 11; i++)
            bind_field(s, i + 2, f[i]);
        sqlite3_bind_int64(s, 13, i64(m->ts));
        if ((rc = run(s)) != SQLITE_OK)
            return rc;
    }
    return target_seen(st, tid, m->ts, 0);
}

static int
apply_state(struct storage *st, const struct storage_msg *m, sqlite3_int64 tid)
{
    int rc;
    if (!m->u.state.state)
        return SQLITE_OK; /* alerts only */
    sqlite3_stmt *s = stmt(st, SST_STATE_LOG, &rc);
    if (!s)
        return rc;
    sqlite3_bind_int64(s, 1, tid);
    sqlite3_bind_int64(s, 2, i64(m->ts));
    sqlite3_bind_text(s, 3, m->u.state.state, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, m->u.state.error, -1, SQLITE_STATIC);
    if ((rc = run(s)) != SQLITE_OK)
        return rc;
    if (!(s = stmt(st, SST_STATE_SET, &rc)))
        return rc;
    sqlite3_bind_int64(s, 1, tid);
    sqlite3_bind_text(s, 2, m->u.state.state, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, m->u.state.error, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 4, i64(m->ts));
    return run(s);
}

int
storage_apply(struct storage *st, const struct storage_msg *m)
{
    sqlite3_int64 tid = 0;
    int rc;
    if (m->kind == SMSG_TARGETS)
        return apply_targets(st, m);
    if (m->kind == SMSG_OUTBOX)
        return storage_apply_outbox(st, m);
    if (m->kind == SMSG_AUDIT)
        return storage_apply_audit(st, m);
    if ((rc = target_id(st, m->target, m->ts, &tid)) != SQLITE_OK)
        return rc;
    switch (m->kind) {
    case SMSG_SAMPLES:
        rc = apply_samples(st, m, tid);
        break;
    case SMSG_SEL:
        rc = apply_sel(st, m, tid);
        break;
    case SMSG_SDR:
        return apply_sdr(st, m, tid);
    case SMSG_INVENTORY:
        return apply_inventory(st, m, tid);
    case SMSG_STATE:
        rc = apply_state(st, m, tid);
        break;
    case SMSG_CONSOLE:
        rc = storage_apply_console(st, m, tid);
        break;
    default:
        return SQLITE_MISUSE;
    }
    /* The alerts go in the same transaction as what caused them. */
    if (rc == SQLITE_OK && m->nalerts)
        rc = storage_apply_alerts(st, m, tid);
    return rc;
}
