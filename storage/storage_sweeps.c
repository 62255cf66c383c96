/* SPDX-License-Identifier: Apache-2.0 */
/*
 * storage_sweeps.c - a sweep's samples as one row of the sweeps table.
 *
 * Why: keyed (sensor_id, ts), one row per sample, every sensor's newest row
 * sits on its own B-tree leaf once the table has history, so each commit
 * wrote one 4 KiB page per sample (bench/wal-aged.py). Keyed (target_id, ts)
 * with the sweep packed in a blob, a poll writes about one page.
 *
 * The blob: SWEEP_REC bytes per sample, little-endian:
 *   u32 sensor id, u8 flags (b0: has a value), u8 state, u16 states,
 *   f64 value (IEEE 754; 0 when there is none).
 *
 * SQL sees into it through two functions every connection has (open_conn):
 *   ic_sample(data, sensor_id, field)  field 0: 1 if the sensor is in the
 *       sweep, else 0; 1: its value (NULL if none or absent); 2: state;
 *       3: states (NULL if absent).
 *   ic_sample_at(data, i, field)  the i-th sample: field 0 its sensor id,
 *       1 value, 2 state, 3 states; NULL past the end (a recursive CTE
 *       over i lists a sweep's samples as rows, as the tests do).
 *   ic_pack(sensor_id, value, state, states)  aggregate: the blob of the
 *       rows it is given (the migration from the per-sample table uses it).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "storage_int.h"

static uint32_t
rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void
wr32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

void
storage_sweep_put(uint8_t *p, const struct sweep_rec *r)
{
    uint64_t bits;
    int has = r->has_value && !isnan(r->value); /* NaN is no value, as SQLite stores it */
    double v = has ? r->value : 0.0;
    memcpy(&bits, &v, sizeof(bits));
    wr32(p, r->sensor_id);
    p[4] = has ? 1 : 0;
    p[5] = r->state;
    p[6] = (uint8_t)r->states;
    p[7] = (uint8_t)(r->states >> 8);
    wr32(p + 8, (uint32_t)bits);
    wr32(p + 12, (uint32_t)(bits >> 32));
}

void
storage_sweep_get(const uint8_t *p, struct sweep_rec *r)
{
    uint64_t bits = (uint64_t)rd32(p + 8) | (uint64_t)rd32(p + 12) << 32;
    r->sensor_id = rd32(p);
    r->has_value = p[4] & 1;
    r->state = p[5];
    r->states = (uint16_t)(p[6] | p[7] << 8);
    memcpy(&r->value, &bits, sizeof(r->value));
    if (!r->has_value)
        r->value = 0.0;
}

/* One field of r as an SQL value: 0 sensor id, 1 value (NULL if none), 2 state, 3 states. */
static void
result_field(sqlite3_context *cx, const struct sweep_rec *r, int field)
{
    switch (field) {
    case 0:
        sqlite3_result_int64(cx, r->sensor_id);
        break;
    case 1:
        if (r->has_value)
            sqlite3_result_double(cx, r->value);
        else
            sqlite3_result_null(cx);
        break;
    case 2:
        sqlite3_result_int(cx, r->state);
        break;
    default:
        sqlite3_result_int(cx, r->states);
        break;
    }
}

static void
fn_sample_at(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const uint8_t *d = sqlite3_value_blob(argv[0]);
    sqlite3_int64 n = sqlite3_value_bytes(argv[0]) / SWEEP_REC;
    sqlite3_int64 i = sqlite3_value_int64(argv[1]);
    if (!d || i < 0 || i >= n) {
        sqlite3_result_null(cx);
        return;
    }
    struct sweep_rec r;
    storage_sweep_get(d + (size_t)i * SWEEP_REC, &r);
    result_field(cx, &r, sqlite3_value_int(argv[2]));
}

static void
fn_sample(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const uint8_t *d = sqlite3_value_blob(argv[0]);
    size_t n = (size_t)sqlite3_value_bytes(argv[0]) / SWEEP_REC;
    sqlite3_int64 sid = sqlite3_value_int64(argv[1]);
    int field = sqlite3_value_int(argv[2]);
    for (size_t i = 0; d && i < n; i++) {
        if (rd32(d + i * SWEEP_REC) != (uint64_t)sid)
            continue;
        struct sweep_rec r;
        storage_sweep_get(d + i * SWEEP_REC, &r);
        if (field == 0)
            sqlite3_result_int(cx, 1);
        else
            result_field(cx, &r, field);
        return;
    }
    if (field == 0)
        sqlite3_result_int(cx, 0);
    else
        sqlite3_result_null(cx);
}

struct pack_acc {
    uint8_t *buf;
    size_t len, cap;
    int oom;
};

static void
fn_pack_step(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    struct pack_acc *a = sqlite3_aggregate_context(cx, sizeof(*a));
    if (!a || a->oom)
        return;
    if (a->len + SWEEP_REC > a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 64 * SWEEP_REC;
        uint8_t *nb = sqlite3_realloc64(a->buf, cap);
        if (!nb) {
            a->oom = 1;
            return;
        }
        a->buf = nb;
        a->cap = cap;
    }
    struct sweep_rec r = {.sensor_id = (uint32_t)sqlite3_value_int64(argv[0]),
                          .has_value = sqlite3_value_type(argv[1]) != SQLITE_NULL,
                          .value = sqlite3_value_double(argv[1]),
                          .state = (uint8_t)sqlite3_value_int(argv[2]),
                          .states = (uint16_t)sqlite3_value_int(argv[3])};
    storage_sweep_put(a->buf + a->len, &r);
    a->len += SWEEP_REC;
}

static void
fn_pack_final(sqlite3_context *cx)
{
    struct pack_acc *a = sqlite3_aggregate_context(cx, 0);
    if (!a || !a->buf) {
        sqlite3_result_zeroblob(cx, 0);
        return;
    }
    if (a->oom) {
        sqlite3_free(a->buf);
        sqlite3_result_error_nomem(cx);
        return;
    }
    sqlite3_result_blob64(cx, a->buf, a->len, sqlite3_free); /* SQLite frees it */
    a->buf = NULL;
}

int
storage_sweeps_register(sqlite3 *db)
{
    const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
    int rc = sqlite3_create_function(db, "ic_sample", 3, flags, NULL, fn_sample, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function(db, "ic_sample_at", 3, flags, NULL, fn_sample_at, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function(db, "ic_pack", 4, flags, NULL, NULL, fn_pack_step,
                                     fn_pack_final);
    return rc;
}
