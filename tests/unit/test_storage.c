/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_storage.c - the storage layer: schema versions, the writer thread's
 * batching, SEL de-duplication and its atomic cursor, retention (fold, drop,
 * size bound) and a full disk that recovers, checked through the query API
 * and, where the API has no reader, with plain SQL on the file.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ic_err.h"
#include "poller.h"
#include "storage.h"
#include "storage_int.h"

static char dir[64];
static char path[128];

static int
setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/ic-storage-XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/test.db", dir);
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    char p[160];
    static const char *const sfx[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        snprintf(p, sizeof(p), "%s%s", path, sfx[i]);
        unlink(p);
    }
    rmdir(dir);
    return 0;
}

static struct storage *
open_started(const struct storage_opts *o)
{
    struct storage *st = NULL;
    char err[256];
    int rc = storage_open(path, o, &st, err, sizeof(err));
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
static long long
sql1(const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    long long v = -1;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(storage_sweeps_register(db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, samples_view, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
    if (sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return v;
}

typedef int (*query_fn)(struct storage *, const struct storage_filter *, enum storage_format,
                        FILE *);

/* A query's output as a string (caller frees). */
static char *
capture(query_fn fn, struct storage *st, const struct storage_filter *f, enum storage_format fmt,
        int want_rc)
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
static void
expect_sensor_csv(struct storage *st, const char *target, const char *sensor, const char *want)
{
    struct storage_filter f = {.target = target, .sensor = sensor};
    char *out = capture(storage_query_sensor, st, &f, STORAGE_CSV, 0);
    assert_string_equal(out, want);
    free(out);
}

static void
test_migrate_and_reopen(void **state)
{
    (void)state;
    struct storage *st = NULL;
    char err[256];
    assert_int_equal(storage_open(path, NULL, &st, err, sizeof(err)), 0);
    storage_close(st);
    assert_int_equal(sql1("PRAGMA user_version"), STORAGE_SCHEMA_VERSION);
    assert_int_equal(sql1("PRAGMA auto_vacuum"), 2); /* incremental, set before the tables */
    assert_int_equal(sql1("SELECT count(*) FROM sqlite_schema WHERE name = 'sweeps'"), 1);
    assert_int_equal(sql1("SELECT count(*) FROM sqlite_schema WHERE name = 'samples'"), 0);
    /* Reopen: nothing to migrate; read-only opens too. */
    assert_int_equal(storage_open(path, NULL, &st, err, sizeof(err)), 0);
    storage_close(st);
    struct storage_opts ro = {.read_only = 1};
    assert_int_equal(storage_open(path, &ro, &st, err, sizeof(err)), 0);
    assert_int_equal(storage_put_state(st, "x", 1, "up", ""), IC_EINVAL);
    storage_close(st);
    assert_int_equal(sql1("PRAGMA user_version"), STORAGE_SCHEMA_VERSION);
}

static void
test_future_and_missing(void **state)
{
    (void)state;
    struct storage *st = NULL;
    struct storage_opts ro = {.read_only = 1};
    char err[256];
    assert_int_equal(storage_open(path, &ro, &st, err, sizeof(err)), IC_EIO);
    assert_null(st);
    assert_non_null(strstr(err, path));
    assert_non_null(strstr(err, "No such file"));

    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(db, "CREATE TABLE x(a); PRAGMA user_version=99", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(storage_open(path, NULL, &st, err, sizeof(err)), IC_ECONFIG);
    assert_null(st);
    assert_non_null(strstr(err, "newer"));
    assert_int_equal(storage_open(path, &ro, &st, err, sizeof(err)), IC_ECONFIG);
    assert_int_equal(sql1("PRAGMA user_version"), 99); /* untouched */

    /* Not a database at all. */
    FILE *fp = fopen(path, "w");
    fputs("this is not an SQLite file, it is long enough to have a header..........", fp);
    fclose(fp);
    assert_int_equal(storage_open(path, NULL, &st, err, sizeof(err)), IC_EIO);
    assert_non_null(strstr(err, "not an SQLite database"));
}

static void
test_targets_upsert(void **state)
{
    (void)state;
    struct storage *st = open_started(NULL);
    struct storage_label la[] = {{"rack", "r1"}, {"role", "db"}};
    struct storage_label lb[] = {{"rack", "r2"}};
    struct storage_target t1[] = {{"a", "10.0.0.1", 623, la, 2}, {"b", "10.0.0.2", 623, lb, 1}};
    struct storage_target t2[] = {{"b", "10.0.0.22", 624, lb, 1}, {"c", "10.0.0.3", 623, NULL, 0}};
    assert_int_equal(storage_put_targets(st, t1, 2), 0);
    assert_int_equal(storage_put_targets(st, t2, 2), 0);
    assert_int_equal(storage_flush(st), 0);

    struct storage_label w[] = {{"configured", "yes"}};
    struct storage_filter f = {.where = w, .nwhere = 1};
    char *out = capture(storage_query_inventory, st, &f, STORAGE_CSV, 0);
    /* a is kept but no longer configured; b updated in place. */
    assert_non_null(strstr(out, "\r\nb,10.0.0.22:624,yes,"));
    assert_non_null(strstr(out, "\r\nc,10.0.0.3:623,yes,"));
    assert_null(strstr(out, "\r\na,"));
    free(out);
    struct storage_label l[] = {{"role", "db"}};
    struct storage_filter fl = {.labels = l, .nlabels = 1};
    out = capture(storage_query_inventory, st, &fl, STORAGE_CSV, 0);
    assert_non_null(strstr(out, "\r\na,10.0.0.1:623,no,"));
    assert_non_null(strstr(out, "rack=r1,role=db"));
    assert_null(strstr(out, "\r\nb,"));
    free(out);
    out = capture(storage_query_inventory, st, &fl, STORAGE_JSON, 0);
    assert_non_null(strstr(out, "\"labels\": {\"rack\":\"r1\",\"role\":\"db\"}"));
    free(out);
    struct storage_label bad[] = {{"colour", "red"}};
    struct storage_filter fb = {.where = bad, .nwhere = 1};
    out = capture(storage_query_inventory, st, &fb, STORAGE_TEXT, IC_ECONFIG);
    assert_non_null(strstr(storage_errmsg(st), "no inventory column 'colour'"));
    free(out);
    assert_int_equal(sql1("SELECT count(*) FROM targets"), 3);
    storage_close(st);
}

#define T0 1700000100000ull /* a multiple of 5 minutes */

static void
test_samples_roundtrip(void **state)
{
    (void)state;
    struct storage *st = open_started(NULL);
    struct storage_sample v[] = {
        {.record_id = 1,
         .number = 1,
         .sensor_type = 1,
         .name = "CPU Temp",
         .unit = "degrees C",
         .has_value = 1,
         .value = 42.5,
         .state = IPMI_STATE_OK},
        {.record_id = 2,
         .number = 2,
         .sensor_type = 4,
         .name = "Fan 1",
         .unit = "RPM",
         .has_value = 0,
         .state = IPMI_STATE_NONE},
    };
    assert_int_equal(storage_put_samples(st, "n1", T0, v, 2), 0);
    v[0].value = 71;
    v[0].state = IPMI_STATE_WARNING;
    assert_int_equal(storage_put_samples(st, "n1", T0 + 10000, v, 2), 0);
    assert_int_equal(storage_flush(st), 0);

    expect_sensor_csv(st, "n1", "CPU Temp",
                      "time,kind,value,min,max,count,state,states\r\n"
                      "2023-11-14T22:15:00Z,raw,42.5,,,,ok,\r\n"
                      "2023-11-14T22:15:10Z,raw,71,,,,warning,\r\n");
    struct storage_filter f = {.target = "n1", .sensor = "CPU Temp", .since_unix_ms = T0 + 5000};
    char *out = capture(storage_query_sensor, st, &f, STORAGE_JSON, 0);
    assert_null(strstr(out, "42.5"));
    assert_non_null(strstr(out, "\"value\": 71"));
    free(out);
    f.sensor = "Fan 1";
    f.since_unix_ms = 0;
    out = capture(storage_query_sensor, st, &f, STORAGE_JSON, 0);
    assert_non_null(strstr(out, "\"value\": null"));
    free(out);
    f.sensor = "nope";
    out = capture(storage_query_sensor, st, &f, STORAGE_CSV, 1);
    free(out);

    struct storage_stats s;
    storage_stats(st, &s);
    assert_true(s.transactions >= 1);
    assert_int_equal(s.rows_written, 4);
    assert_int_equal(s.write_errors, 0);
    assert_true(s.db_size_bytes > 0);
    assert_int_equal(sql1("SELECT count(*) FROM sensors"), 2);
    /* A sweep 10 s later leaves the row alone (no page written); readers see the sweep. */
    assert_int_equal(sql1("SELECT last_seen FROM targets WHERE name = 'n1'"), T0);
    out = capture(storage_query_inventory, st, NULL, STORAGE_CSV, 0);
    assert_non_null(strstr(out, ",2023-11-14T22:15:10Z,"));
    free(out);
    assert_int_equal(storage_put_samples(st, "n1", T0 + 60000, v, 2), 0);
    assert_int_equal(storage_flush(st), 0);
    assert_int_equal(sql1("SELECT last_seen FROM targets WHERE name = 'n1'"), T0 + 60000);
    storage_close(st);
}

/* A version 4 database (one row per sample) is packed into sweeps when opened. */
static void
test_migrate_v4_samples(void **state)
{
    (void)state;
    struct storage *st = open_started(NULL);
    struct storage_sample v[2] = {
        {.record_id = 1, .number = 1, .name = "A", .unit = "V", .has_value = 1, .value = 1},
        {.record_id = 2, .number = 2, .name = "B", .unit = "V", .has_value = 0, .state = 1},
    };
    assert_int_equal(storage_put_samples(st, "n1", T0, v, 2), 0);
    storage_close(st);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(db,
                     "DELETE FROM sweeps; DROP TABLE sweeps;"
                     "CREATE TABLE samples(sensor_id INTEGER NOT NULL, ts INTEGER NOT NULL,"
                     " value REAL, state INTEGER NOT NULL, states INTEGER NOT NULL,"
                     " PRIMARY KEY(sensor_id, ts)) WITHOUT ROWID;"
                     "INSERT INTO samples SELECT id, 1700000100000, 1.5, 1, 0 FROM sensors "
                     "WHERE name = 'A';"
                     "INSERT INTO samples SELECT id, 1700000110000, 2.5, 2, 0 FROM sensors "
                     "WHERE name = 'A';"
                     "INSERT INTO samples SELECT id, 1700000110000, NULL, 1, 5 FROM sensors "
                     "WHERE name = 'B';"
                     "PRAGMA user_version = 4;",
                     NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);
    st = open_started(NULL);
    assert_int_equal(sql1("PRAGMA user_version"), STORAGE_SCHEMA_VERSION);
    assert_int_equal(sql1("SELECT count(*) FROM sqlite_schema WHERE name = 'samples'"), 0);
    assert_int_equal(sql1("SELECT count(*) FROM sweeps"), 2);
    expect_sensor_csv(st, "n1", "A",
                      "time,kind,value,min,max,count,state,states\r\n"
                      "2023-11-14T22:15:00Z,raw,1.5,,,,ok,\r\n"
                      "2023-11-14T22:15:10Z,raw,2.5,,,,warning,\r\n");
    expect_sensor_csv(st, "n1", "B",
                      "time,kind,value,min,max,count,state,states\r\n"
                      "2023-11-14T22:15:10Z,raw,,,,,ok,0x0005\r\n");
    storage_close(st);
}

/* 39 samples packed in one sweep row: every sample lands with its own fields. */
static void
test_samples_batched(void **state)
{
    (void)state;
    struct storage *st = open_started(NULL);
    enum { N = 39 };
    struct storage_sample v[N];
    char names[N][16];
    for (int i = 0; i < N; i++) {
        snprintf(names[i], sizeof(names[i]), "S%d", i);
        v[i] = (struct storage_sample){.record_id = (uint16_t)(100 + i),
                                       .number = (uint8_t)i,
                                       .name = names[i],
                                       .unit = "V",
                                       .has_value = i != 37,
                                       .value = i == 38 ? NAN : i,
                                       .state = i % 3,
                                       .states = (uint16_t)(i * 2)};
    }
    assert_int_equal(storage_put_samples(st, "n1", T0, v, N), 0);
    assert_int_equal(storage_put_samples(st, "n1", T0 + 1000, v, N), 0);
    assert_int_equal(storage_flush(st), 0);
    assert_int_equal(sql1("SELECT count(*) FROM samples"), 2 * N);
    assert_int_equal(sql1("SELECT count(*) FROM samples s JOIN sensors n ON n.id = s.sensor_id "
                          "WHERE s.value = n.record_id - 100 AND s.state = (n.record_id - 100) % 3 "
                          "AND s.states = 2 * (n.record_id - 100) AND s.ts IN (1700000100000, "
                          "1700000101000)"),
                     2 * (N - 2));
    /* No value, and a NaN (stored as no value, as SQLite did with one row per sample). */
    assert_int_equal(sql1("SELECT count(*) FROM samples s JOIN sensors n ON n.id = s.sensor_id "
                          "WHERE s.value IS NULL AND n.name IN ('S37', 'S38')"),
                     4);
    /* ... flagged so in the row itself (sample 38's flags byte: 16 * 38 + 4, 1-based), which
     * retention's fold reads. */
    assert_int_equal(sql1("SELECT count(*) FROM sweeps WHERE substr(data, 613, 1) = x'00'"), 2);
    storage_close(st);
}

static void
mkrec(struct storage_sel *e, uint16_t id, uint8_t fill)
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

static void
test_sel_dedup_and_reset(void **state)
{
    (void)state;
    struct storage *st = open_started(NULL);
    struct storage_sel e[2];
    struct ipmi_sel_cursor cur = {.valid = 1, .last_id = 2};
    mkrec(&e[0], 1, 0xaa);
    mkrec(&e[1], 2, 0xbb);
    memcpy(cur.last_raw, e[1].raw, 16);
    assert_int_equal(storage_put_sel(st, "n1", T0, e, 2, 0, &cur), 0);
    assert_int_equal(storage_put_sel(st, "n1", T0 + 1000, e, 2, 0, &cur), 0); /* a replay */
    assert_int_equal(storage_flush(st), 0);
    assert_int_equal(sql1("SELECT count(*) FROM sel"), 2);
    /* Cleared SEL: the same IDs come back with other bytes: new events. */
    mkrec(&e[0], 1, 0xcc);
    mkrec(&e[1], 2, 0xdd);
    e[1].severity = IPMI_STATE_WARNING;
    e[1].event = "Fan lower critical going low";
    assert_int_equal(storage_put_sel(st, "n1", T0 + 2000, e, 2, 1, &cur), 0);
    assert_int_equal(storage_flush(st), 0);
    assert_int_equal(sql1("SELECT count(*) FROM sel"), 4);
    assert_int_equal(sql1("SELECT count(*) FROM sel_resets"), 1);

    struct storage_filter f = {.grep = "FAN LOWER"};
    char *out = capture(storage_query_sel, st, &f, STORAGE_CSV, 0);
    assert_non_null(strstr(out, "\r\nn1,2023-11-14T22:15:02Z,2023-11-14T22:13:20Z,2,warning,PSU1,"
                                "Fan lower critical going low,,0200"));
    free(out);
    struct storage_filter fc = {.min_severity = IPMI_STATE_CRITICAL, .target = "n1"};
    out = capture(storage_query_sel, st, &fc, STORAGE_JSON, 0);
    char *p = out;
    int n = 0;
    while ((p = strstr(p, "\"severity\": \"critical\"")) != NULL) {
        n++;
        p++;
    }
    assert_int_equal(n, 3);
    assert_null(strstr(out, "warning"));
    free(out);
    storage_close(st);
}

static void
test_cursor_atomic_with_entries(void **state)
{
    (void)state;
    struct storage *st = open_started(NULL);
    struct storage_sel e;
    struct ipmi_sel_cursor cur = {.valid = 1, .last_id = 7}, got;
    mkrec(&e, 7, 0x11);
    memcpy(cur.last_raw, e.raw, 16);
    assert_int_equal(storage_put_sel(st, "n1", T0, &e, 1, 0, &cur), 0);
    storage_close(st); /* no flush: close commits what is queued */

    st = open_started(NULL);
    assert_int_equal(storage_get_sel_cursor(st, "n1", &got), 0);
    assert_int_equal(got.valid, 1);
    assert_int_equal(got.last_id, 7);
    assert_memory_equal(got.last_raw, e.raw, 16);
    assert_int_equal(storage_get_sel_cursor(st, "other", &got), 0);
    assert_int_equal(got.valid, 0);
    storage_close(st);
    assert_int_equal(sql1("SELECT count(*) FROM sel WHERE record_id = 7"), 1);
}

static void
test_sdr_blob(void **state)
{
    (void)state;
    struct storage *st = open_started(NULL);
    uint8_t blob[300], *got = NULL;
    size_t len = 0;
    for (size_t i = 0; i < sizeof(blob); i++)
        blob[i] = (uint8_t)(i * 7);
    assert_int_equal(storage_put_sdr(st, "n1", blob, 10), 0);
    assert_int_equal(storage_put_sdr(st, "n1", blob, sizeof(blob)), 0); /* replaces */
    assert_int_equal(storage_flush(st), 0);
    assert_int_equal(storage_get_sdr(st, "n1", &got, &len), 0);
    assert_int_equal(len, sizeof(blob));
    assert_memory_equal(got, blob, sizeof(blob));
    free(got);
    assert_int_equal(storage_get_sdr(st, "none", &got, &len), 0);
    assert_int_equal(len, 0);
    assert_null(got);
    storage_close(st);
}

static void
test_inventory_fields(void **state)
{
    (void)state;
    struct storage *st = open_started(NULL);
    struct storage_target t = {"n1", "127.0.0.1", 9001, NULL, 0};
    struct ipmi_devid d = {.manufacturer_id = 343,
                           .product_id = 0x1234,
                           .fw_major = 2,
                           .fw_minor = 0x47,
                           .ipmi_version = 0x02};
    struct ipmi_fru fru;
    memset(&fru, 0, sizeof(fru));
    snprintf(fru.board_serial.text, sizeof(fru.board_serial.text), "BSN-001");
    snprintf(fru.board_mfg.text, sizeof(fru.board_mfg.text), "Acme");
    snprintf(fru.product_name.text, sizeof(fru.product_name.text), "Server, 2U");
    snprintf(fru.product_serial.text, sizeof(fru.product_serial.text), "PSN-9");
    assert_int_equal(storage_put_targets(st, &t, 1), 0);
    assert_int_equal(storage_put_inventory(st, "n1", T0, &d, NULL, NULL), 0);
    assert_int_equal(storage_put_inventory(st, "n1", T0 + 1000, NULL,
                                           "0123abcd-0000-1111-2222-333344445555", &fru),
                     0);
    assert_int_equal(storage_put_state(st, "n1", T0 + 2000, "down", "no answer after 3 tries"), 0);
    assert_int_equal(storage_flush(st), 0);
    char *out = capture(storage_query_inventory, st, NULL, STORAGE_CSV, 0);
    assert_string_equal(out, "name,address,configured,state,last_seen,manufacturer,"
                             "manufacturer_id,product_id,firmware,ipmi_version,guid,board_serial,"
                             "product_serial,product_name,labels,last_error\r\n"
                             "n1,127.0.0.1:9001,yes,down,2023-11-14T22:15:01Z,Acme,343,4660,2.47,"
                             "2.0,0123abcd-0000-1111-2222-333344445555,BSN-001,PSN-9,"
                             "\"Server, 2U\",,no answer after 3 tries\r\n");
    free(out);
    out = capture(storage_query_inventory, st, NULL, STORAGE_TEXT, 0);
    assert_non_null(strstr(out, "name | address "));
    assert_non_null(strstr(out, "n1   | 127.0.0.1:9001 | yes "));
    free(out);
    struct storage_label w[] = {{"firmware", "2.46"}};
    struct storage_filter f = {.where = w, .nwhere = 1};
    out = capture(storage_query_inventory, st, &f, STORAGE_JSON, 0);
    assert_string_equal(out, "[]\n");
    free(out);
    struct storage_filter fs = {.target = "n1"};
    out = capture(storage_query_states, st, &fs, STORAGE_CSV, 0);
    assert_string_equal(out, "target,time,state,error\r\n"
                             "n1,2023-11-14T22:15:02Z,down,no answer after 3 tries\r\n");
    free(out);
    storage_close(st);
}

static void
test_retention_fold(void **state)
{
    (void)state;
    struct storage_opts o = {.retention_raw_ms = 3600000, .downsample_ms = 300000};
    struct storage *st = open_started(&o);
    struct storage_sample v = {
        .record_id = 1, .name = "T", .unit = "degrees C", .has_value = 1, .state = IPMI_STATE_OK};
    uint64_t now = T0 + 2 * 3600000;
    for (int i = 0; i < 10; i++) {
        v.value = i;
        assert_int_equal(storage_put_samples(st, "n1", T0 + (uint64_t)i * 60000, &v, 1), 0);
    }
    v.value = 100;
    assert_int_equal(storage_put_samples(st, "n1", now - 60000, &v, 1), 0);
    /* State rows: one older than 10x raw retention (goes), one younger (stays). */
    assert_int_equal(storage_put_state(st, "n1", now - 11 * 3600000ull, "up", ""), 0);
    assert_int_equal(storage_put_state(st, "n1", now - 9 * 3600000ull, "down", "timeout"), 0);
    assert_int_equal(storage_retention_now(st, now), 0);

    struct storage_filter f = {.target = "n1", .sensor = "T"};
    char *out = capture(storage_query_sensor, st, &f, STORAGE_CSV, 0);
    assert_string_equal(out, "time,kind,value,min,max,count,state,states\r\n"
                             "2023-11-14T22:15:00Z,downsampled,2,0,4,5,,\r\n"
                             "2023-11-14T22:20:00Z,downsampled,7,5,9,5,,\r\n"
                             "2023-11-15T00:14:00Z,raw,100,,,,ok,\r\n");
    free(out);
    /* A late sample of an already folded period merges (weighted average). */
    v.value = 10;
    assert_int_equal(storage_put_samples(st, "n1", T0 + 30000, &v, 1), 0);
    assert_int_equal(storage_retention_now(st, now), 0);
    assert_int_equal(sql1("SELECT count FROM samples_ds WHERE period_start = 1700000100000"), 6);
    assert_int_equal(sql1("SELECT max FROM samples_ds WHERE period_start = 1700000100000"), 10);
    assert_int_equal(sql1("SELECT avg * 6 FROM samples_ds WHERE period_start = 1700000100000"), 20);
    assert_int_equal(sql1("SELECT count(*) FROM samples"), 1);
    assert_int_equal(sql1("SELECT count(*) FROM state_log"), 1);
    struct storage_stats s;
    storage_stats(st, &s);
    assert_int_equal(s.retention_runs, 2);
    assert_true(s.rows_trimmed >= 12);
    storage_close(st);
}

/* More sensors than one retention batch (256): every one is swept, not just the first batch. */
static void
test_retention_many_sensors(void **state)
{
    (void)state;
    struct storage_opts o = {.retention_raw_ms = 3600000, .downsample_ms = 300000};
    struct storage *st = open_started(&o);
    enum { NS = 700 };
    static struct storage_sample v[NS];
    static char names[NS][16];
    for (int i = 0; i < NS; i++) {
        snprintf(names[i], sizeof(names[i]), "S%d", i);
        v[i] = (struct storage_sample){.record_id = (uint16_t)i,
                                       .name = names[i],
                                       .unit = "RPM",
                                       .has_value = 1,
                                       .value = i,
                                       .state = IPMI_STATE_OK};
    }
    uint64_t now = T0 + 3 * 3600000;
    assert_int_equal(storage_put_samples(st, "n1", T0, v, NS), 0);         /* old */
    assert_int_equal(storage_put_samples(st, "n1", now - 1000, v, NS), 0); /* recent */
    assert_int_equal(storage_retention_now(st, now), 0);
    assert_int_equal(sql1("SELECT count(*) FROM samples"), NS);
    assert_int_equal(sql1("SELECT count(*) FROM samples WHERE ts < 1700000000000 + 3600000"), 0);
    assert_int_equal(sql1("SELECT count(*) FROM samples_ds"), NS);
    storage_close(st);
}

/* Console lines: stored per line, found by target, text, time and id; trimmed with raw samples. */
static void
test_console_lines(void **state)
{
    (void)state;
    struct storage_opts o = {.retention_raw_ms = 3600000};
    struct storage *st = open_started(&o);
    struct storage_console_line a[] = {{T0, "host001 login: root"},
                                       {T0 + 1000, "Kernel panic - not syncing: VFS"},
                                       {T0 + 7200000, "host001 login:"}};
    struct storage_console_line b[] = {{T0 + 10, "other host"}};
    assert_int_equal(storage_put_console(st, "n1", a, 3, NULL, 0), 0);
    assert_int_equal(storage_put_console(st, "n2", b, 1, NULL, 0), 0);
    assert_int_equal(storage_put_console(st, "n2", NULL, 0, NULL, 0), IC_EINVAL);
    assert_int_equal(storage_flush(st), 0);
    struct storage_filter f = {.target = "n1"};
    char *out = capture(storage_query_console, st, &f, STORAGE_TEXT, 0);
    assert_non_null(strstr(out, "Z host001 login: root\n"));
    assert_non_null(strstr(out, "Z Kernel panic - not syncing: VFS\n"));
    assert_null(strstr(out, "other host"));
    free(out);
    f.grep = "PANIC";
    out = capture(storage_query_console, st, &f, STORAGE_JSON, 0);
    assert_non_null(strstr(out, "\"line\": \"Kernel panic - not syncing: VFS\""));
    assert_null(strstr(out, "login"));
    free(out);
    struct storage_filter g = {.after_id = 2, .limit = 1};
    out = capture(storage_query_console, st, &g, STORAGE_TEXT, 0);
    assert_non_null(strstr(out, "n1 ")); /* the whole fleet: the target leads each line */
    assert_non_null(strstr(out, "host001 login:\n"));
    assert_null(strstr(out, "other host"));
    free(out);
    /* Retention (1 h): the two early lines of n1 and n2's line go, the late one stays. */
    assert_int_equal(storage_retention_now(st, T0 + 7200000), 0);
    assert_int_equal(sql1("SELECT count(*) FROM console"), 1);
    storage_close(st);
}

/* The audit log: every field kept, filters by who, target (one of several) and text. */
static void
test_audit_rows(void **state)
{
    (void)state;
    struct storage *st = open_started(NULL);
    struct storage_audit a = {.ts_unix_ms = T0,
                              .who = "ops",
                              .source = "10.1.2.3",
                              .action = "power",
                              .params = "{\"action\":\"off\"}",
                              .targets = "bmc1,bmc12",
                              .result = "partial",
                              .ok = 1,
                              .failed = 1,
                              .duration_ms = 42,
                              .details = "[{\"target\":\"bmc1\",\"ok\":true}]"};
    assert_int_equal(storage_put_audit(st, &a), 0);
    a.who = "root";
    a.targets = "bmc2";
    a.result = "refused: no target 'bmc2'";
    a.params = NULL; /* stored as {} */
    a.details = NULL;
    assert_int_equal(storage_put_audit(st, &a), 0);
    assert_int_equal(storage_flush(st), 0);
    assert_int_equal(sql1("SELECT count(*) FROM audit"), 2);
    struct storage_filter f = {.who = "ops"};
    char *out = capture(storage_query_audit, st, &f, STORAGE_JSON, 0);
    assert_non_null(strstr(out, "\"params\": {\"action\":\"off\"}")); /* JSON, not a string */
    assert_non_null(strstr(out, "\"source\": \"10.1.2.3\""));
    assert_non_null(strstr(out, "\"duration_ms\": 42"));
    assert_non_null(strstr(out, "\"time\": \"2023-11-14T22:15:00.000Z\""));
    assert_null(strstr(out, "root"));
    free(out);
    struct storage_filter t = {.target = "bmc1"}; /* not bmc12's prefix match */
    out = capture(storage_query_audit, st, &t, STORAGE_CSV, 0);
    assert_non_null(strstr(out, ",ops,"));
    assert_null(strstr(out, ",root,"));
    free(out);
    struct storage_filter g = {.grep = "REFUSED"};
    out = capture(storage_query_audit, st, &g, STORAGE_JSON, 0);
    assert_non_null(strstr(out, "\"params\": {}"));
    assert_null(strstr(out, "\"ops\""));
    free(out);
    /* Never trimmed by retention. */
    assert_int_equal(storage_retention_now(st, T0 + 1000ull * 86400000), 0);
    assert_int_equal(sql1("SELECT count(*) FROM audit"), 2);
    storage_close(st);
}

static void
test_retention_drop(void **state)
{
    (void)state;
    struct storage_opts o = {.retention_raw_ms = 3600000, .downsample_ms = 0};
    struct storage *st = open_started(&o);
    struct storage_sample v = {.record_id = 1, .name = "T", .unit = "RPM", .has_value = 1};
    for (int i = 0; i < 10; i++)
        assert_int_equal(storage_put_samples(st, "n1", T0 + (uint64_t)i * 600000, &v, 1), 0);
    assert_int_equal(storage_retention_now(st, T0 + 3600000 + 1800000), 0);
    assert_int_equal(sql1("SELECT count(*) FROM samples_ds"), 0);
    assert_int_equal(sql1("SELECT min(ts) FROM samples"), T0 + 1800000); /* 1.5 h - 1 h */
    assert_int_equal(sql1("SELECT count(*) FROM samples"), 7);
    storage_close(st);
}

static void
test_max_db_size(void **state)
{
    (void)state;
    struct storage_opts o = {.max_db_size = 256 * 1024, .downsample_ms = 60000};
    struct storage *st = open_started(&o);
    struct storage_sample v[100];
    char names[100][16];
    for (int i = 0; i < 100; i++) {
        snprintf(names[i], sizeof(names[i]), "S%d", i);
        v[i] = (struct storage_sample){
            .record_id = (uint16_t)i, .name = names[i], .unit = "V", .has_value = 1, .value = i};
    }
    for (int k = 0; k < 400; k++)
        assert_int_equal(storage_put_samples(st, "n1", T0 + (uint64_t)k * 10000, v, 100), 0);
    assert_int_equal(storage_flush(st), 0);
    assert_true(sql1("PRAGMA page_count") * sql1("PRAGMA page_size") > (long long)o.max_db_size);
    struct stat sb;
    assert_int_equal(storage_retention_now(st, T0 + 400 * 10000), 0);
    storage_close(st);
    assert_int_equal(stat(path, &sb), 0);
    assert_true((uint64_t)sb.st_size <= o.max_db_size);
    /* The newest sweep is kept, the oldest is gone. */
    assert_int_equal(sql1("SELECT count(*) FROM samples WHERE ts = 1700000100000 + 399 * 10000"),
                     100);
    assert_int_equal(sql1("SELECT count(*) FROM samples WHERE ts = 1700000100000"), 0);
    assert_true(sql1("SELECT count(*) FROM samples") > 1000);
}

static void
test_disk_full_then_recovers(void **state)
{
    (void)state;
    struct storage_opts o = {.queue_cap = 8};
    struct storage *st = open_started(&o);
    struct storage_sel e;
    struct ipmi_sel_cursor cur = {.valid = 1, .last_id = 5};
    assert_int_equal(storage_put_state(st, "n1", T0, "up", ""), 0);
    assert_int_equal(storage_flush(st), 0);
    assert_int_equal(storage_test_set_max_pages(st, 1), 0); /* capped at the current size */

    mkrec(&e, 5, 0x55);
    assert_int_equal(storage_put_sel(st, "n1", T0, &e, 1, 0, &cur), 0);
    struct storage_sample v[50];
    char names[50][16];
    for (int i = 0; i < 50; i++) {
        snprintf(names[i], sizeof(names[i]), "Sensor %d", i);
        v[i] = (struct storage_sample){
            .record_id = (uint16_t)i, .name = names[i], .unit = "V", .has_value = 1, .value = i};
    }
    int refused = 0;
    for (int k = 0; k < 30; k++)
        if (storage_put_samples(st, "n1", T0 + (uint64_t)k * 1000, v, 50) == IC_ETOOBIG)
            refused++;
    assert_int_equal(storage_flush(st), IC_EIO);
    struct storage_stats s;
    storage_stats(st, &s);
    assert_true(s.write_errors >= 1);
    assert_true(s.dropped > 0);
    assert_non_null(strstr(storage_errmsg(st), "disk full"));
    assert_non_null(strstr(storage_errmsg(st), "messages kept, retrying"));

    assert_int_equal(storage_test_set_max_pages(st, 0), 0); /* space again */
    assert_int_equal(storage_flush(st), 0);
    storage_stats(st, &s);
    uint64_t dropped = s.dropped;
    storage_close(st);
    /* Every kept message is in; only (oldest) samples were given up. */
    assert_int_equal(sql1("SELECT count(*) FROM sel WHERE record_id = 5"), 1);
    assert_int_equal(sql1("SELECT last_id FROM sel_cursor"), 5);
    long long sweeps = sql1("SELECT count(DISTINCT ts) FROM samples");
    assert_int_equal((uint64_t)sweeps + dropped, 30);
    assert_true(refused <= (int)dropped);
}

/*
 * The writer remembers sensor ids by sweep position (storage_sids.c): a sensor
 * that changes, moves or is new must still land on its own row, and ids from a
 * transaction that rolled back must be forgotten.
 */
static void
test_sensor_ids_remembered(void **state)
{
    (void)state;
    struct storage_opts o = {.queue_cap = 8};
    struct storage *st = open_started(&o);
    struct storage_sample v[3] = {
        {.record_id = 1, .number = 1, .name = "A", .unit = "V", .has_value = 1, .value = 1},
        {.record_id = 2, .number = 2, .name = "B", .unit = "V", .has_value = 1, .value = 2},
        {.record_id = 3, .number = 3, .name = "C", .unit = "V", .has_value = 1, .value = 3},
    };
    assert_int_equal(storage_put_samples(st, "n1", T0, v, 3), 0);
    assert_int_equal(storage_put_samples(st, "n1", T0 + 1000, v, 3), 0);
    /* B's unit changes; A and C swap places in the sweep. */
    struct storage_sample w[3] = {v[2], v[1], v[0]};
    w[1].unit = "A";
    assert_int_equal(storage_put_samples(st, "n1", T0 + 2000, w, 3), 0);
    assert_int_equal(storage_flush(st), 0);
    assert_int_equal(sql1("SELECT count(*) FROM sensors"), 3);
    assert_int_equal(sql1("SELECT count(*) FROM sensors WHERE name = 'B' AND unit = 'A'"), 1);
    assert_int_equal(sql1("SELECT sum(s.value) FROM samples s JOIN sensors n ON n.id = s.sensor_id"
                          " WHERE n.name = 'A'"),
                     3);
    assert_int_equal(sql1("SELECT sum(s.value) FROM samples s JOIN sensors n ON n.id = s.sensor_id"
                          " WHERE n.name = 'C'"),
                     9);

    /* A sweep of new sensors that fails half-way (disk full), then is retried. */
    assert_int_equal(storage_test_set_max_pages(st, 1), 0);
    enum { N = 400 };
    static struct storage_sample x[N];
    static char names[N][16];
    for (int i = 0; i < N; i++) {
        snprintf(names[i], sizeof(names[i]), "New %d", i);
        x[i] = (struct storage_sample){.record_id = (uint16_t)(100 + i),
                                       .name = names[i],
                                       .unit = "V",
                                       .has_value = 1,
                                       .value = i};
    }
    assert_int_equal(storage_put_samples(st, "n2", T0, x, N), 0);
    assert_int_equal(storage_flush(st), IC_EIO);
    assert_int_equal(storage_test_set_max_pages(st, 0), 0);
    assert_int_equal(storage_flush(st), 0);
    storage_close(st);
    assert_int_equal(sql1("SELECT count(*) FROM samples s JOIN sensors n ON n.id = s.sensor_id"
                          " JOIN targets t ON t.id = n.target_id WHERE t.name = 'n2'"),
                     N);
    assert_int_equal(
        sql1("SELECT count(*) FROM samples WHERE sensor_id NOT IN (SELECT id FROM sensors)"), 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_migrate_and_reopen, setup, teardown),
        cmocka_unit_test_setup_teardown(test_future_and_missing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_console_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_targets_upsert, setup, teardown),
        cmocka_unit_test_setup_teardown(test_samples_roundtrip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sel_dedup_and_reset, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cursor_atomic_with_entries, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sdr_blob, setup, teardown),
        cmocka_unit_test_setup_teardown(test_inventory_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(test_retention_fold, setup, teardown),
        cmocka_unit_test_setup_teardown(test_retention_many_sensors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_retention_drop, setup, teardown),
        cmocka_unit_test_setup_teardown(test_max_db_size, setup, teardown),
        cmocka_unit_test_setup_teardown(test_disk_full_then_recovers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sensor_ids_remembered, setup, teardown),
        cmocka_unit_test_setup_teardown(test_samples_batched, setup, teardown),
        cmocka_unit_test_setup_teardown(test_migrate_v4_samples, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
