/* SPDX-License-Identifier: Apache-2.0 */
/*
 * storage_fixture.c - what the storage tests share: a fresh database path
 * per test, a started storage, plain SQL on the file, a query's output.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "storage_fixture.h"
#include "storage_int.h"

static char stf_dir[64];
char stf_path[128];

int
stf_setup(void **state)
{
    (void)state;
    snprintf(stf_dir, sizeof(stf_dir), "/tmp/ic-storage-XXXXXX");
    assert_non_null(mkdtemp(stf_dir));
    snprintf(stf_path, sizeof(stf_path), "%s/test.db", stf_dir);
    return 0;
}

int
stf_teardown(void **state)
{
    (void)state;
    char p[160];
    static const char *const sfx[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        snprintf(p, sizeof(p), "%s%s", stf_path, sfx[i]);
        unlink(p);
    }
    rmdir(stf_dir);
    return 0;
}

struct storage *
stf_open(const struct storage_opts *o)
{
    struct storage *st = NULL;
    char err[256];
    int rc = storage_open(stf_path, o, &st, err, sizeof(err));
    if (rc)
        fprintf(stderr, "%s\n", err);
    assert_int_equal(rc, 0);
    assert_int_equal(storage_start(st, err, sizeof(err)), 0);
    return st;
}

/* Raw samples are packed a sweep per row: this view lists them one per row, as SQL did before. */
static const char samples_view[] =
    "CREATE TEMP VIEW samples AS WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k "
    "WHERE i < 4095) SELECT ic_sample_at(w.data, k.i, 0) AS sensor_id, w.ts AS ts, "
    "ic_sample_at(w.data, k.i, 1) AS value, ic_sample_at(w.data, k.i, 2) AS state, "
    "ic_sample_at(w.data, k.i, 3) AS states FROM sweeps w JOIN k ON k.i < length(w.data) / 16";

/* One integer from plain SQL on the file (a second, independent reader). */
long long
stf_sql1(const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    long long v = -1;
    assert_int_equal(sqlite3_open_v2(stf_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(storage_sweeps_register(db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, samples_view, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
    if (sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return v;
}

/* A query's output as a string (caller frees). */
char *
stf_capture(stf_query_fn fn, struct storage *st, const struct storage_filter *f,
            enum storage_format fmt, int want_rc)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    assert_non_null(fp);
    assert_int_equal(fn(st, f, fmt, fp), want_rc);
    fclose(fp);
    return buf;
}

/* storage_query_sensor's CSV for target/sensor since the start equals want. */
void
stf_expect_sensor_csv(struct storage *st, const char *target, const char *sensor, const char *want)
{
    struct storage_filter f = {.target = target, .sensor = sensor};
    char *out = stf_capture(storage_query_sensor, st, &f, STORAGE_CSV, 0);
    assert_string_equal(out, want);
    free(out);
}

void
stf_sel_rec(struct storage_sel *e, uint16_t id, uint8_t fill)
{
    memset(e, 0, sizeof(*e));
    e->record_id = id;
    e->raw[0] = (uint8_t)id;
    e->raw[1] = (uint8_t)(id >> 8);
    e->raw[2] = 0x02;
    memset(e->raw + 3, fill, 13);
    e->timestamp = 1700000000;
    e->severity = IPMI_STATE_CRITICAL;
    e->sensor = "PSU1";
    e->event = "Power Supply AC lost";
    e->detail = "";
}
