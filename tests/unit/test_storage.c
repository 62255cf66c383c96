/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_storage.c - the storage layer: schema versions and migrations, the
 * writer thread's batching, samples, SEL de-duplication and its atomic
 * cursor, inventory, console and audit rows, checked through the query API
 * and, where the API has no reader, with plain SQL on the file. Retention,
 * the size bound and a full disk: test_storage_limits.c.
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
#include "storage_fixture.h"

static void
test_migrate_and_reopen(void **state)
{
    (void)state;
    struct storage *st = NULL;
    char err[256];
    assert_int_equal(storage_open(stf_path, NULL, &st, err, sizeof(err)), 0);
    storage_close(st);
    assert_int_equal(stf_sql1("PRAGMA user_version"), STORAGE_SCHEMA_VERSION);
    assert_int_equal(stf_sql1("PRAGMA auto_vacuum"), 2); /* incremental, set before the tables */
    assert_int_equal(stf_sql1("SELECT count(*) FROM sqlite_schema WHERE name = 'sweeps'"), 1);
    assert_int_equal(stf_sql1("SELECT count(*) FROM sqlite_schema WHERE name = 'samples'"), 0);
    /* Reopen: nothing to migrate; read-only opens too. */
    assert_int_equal(storage_open(stf_path, NULL, &st, err, sizeof(err)), 0);
    storage_close(st);
    struct storage_opts ro = {.read_only = 1};
    assert_int_equal(storage_open(stf_path, &ro, &st, err, sizeof(err)), 0);
    assert_int_equal(storage_put_state(st, "x", 1, "up", ""), IC_EINVAL);
    storage_close(st);
    assert_int_equal(stf_sql1("PRAGMA user_version"), STORAGE_SCHEMA_VERSION);
}

static void
test_future_and_missing(void **state)
{
    (void)state;
    struct storage *st = NULL;
    struct storage_opts ro = {.read_only = 1};
    char err[256];
    assert_int_equal(storage_open(stf_path, &ro, &st, err, sizeof(err)), IC_EIO);
    assert_null(st);
    assert_non_null(strstr(err, stf_path));
    assert_non_null(strstr(err, "No such file"));

    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(stf_path, &db), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(db, "CREATE TABLE x(a); PRAGMA user_version=99", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(storage_open(stf_path, NULL, &st, err, sizeof(err)), IC_ECONFIG);
    assert_null(st);
    assert_non_null(strstr(err, "newer"));
    assert_int_equal(storage_open(stf_path, &ro, &st, err, sizeof(err)), IC_ECONFIG);
    assert_int_equal(stf_sql1("PRAGMA user_version"), 99); /* untouched */

    /* Not a database at all. */
    FILE *fp = fopen(stf_path, "w");
    fputs("this is not an SQLite file, it is long enough to have a header..........", fp);
    fclose(fp);
    assert_int_equal(storage_open(stf_path, NULL, &st, err, sizeof(err)), IC_EIO);
    assert_non_null(strstr(err, "not an SQLite database"));
}

static void
test_targets_upsert(void **state)
{
    (void)state;
    struct storage *st = stf_open(NULL);
    struct storage_label la[] = {{"rack", "r1"}, {"role", "db"}};
    struct storage_label lb[] = {{"rack", "r2"}};
    struct storage_target t1[] = {{"a", "10.0.0.1", 623, la, 2}, {"b", "10.0.0.2", 623, lb, 1}};
    struct storage_target t2[] = {{"b", "10.0.0.22", 624, lb, 1}, {"c", "10.0.0.3", 623, NULL, 0}};
    assert_int_equal(storage_put_targets(st, t1, 2), 0);
    assert_int_equal(storage_put_targets(st, t2, 2), 0);
    assert_int_equal(storage_flush(st), 0);

    struct storage_label w[] = {{"configured", "yes"}};
    struct storage_filter f = {.where = w, .nwhere = 1};
    char *out = stf_capture(storage_query_inventory, st, &f, STORAGE_CSV, 0);
    /* a is kept but no longer configured; b updated in place. */
    assert_non_null(strstr(out, "\r\nb,10.0.0.22:624,yes,"));
    assert_non_null(strstr(out, "\r\nc,10.0.0.3:623,yes,"));
    assert_null(strstr(out, "\r\na,"));
    free(out);
    struct storage_label l[] = {{"role", "db"}};
    struct storage_filter fl = {.labels = l, .nlabels = 1};
    out = stf_capture(storage_query_inventory, st, &fl, STORAGE_CSV, 0);
    assert_non_null(strstr(out, "\r\na,10.0.0.1:623,no,"));
    assert_non_null(strstr(out, "rack=r1,role=db"));
    assert_null(strstr(out, "\r\nb,"));
    free(out);
    out = stf_capture(storage_query_inventory, st, &fl, STORAGE_JSON, 0);
    assert_non_null(strstr(out, "\"labels\": {\"rack\":\"r1\",\"role\":\"db\"}"));
    free(out);
    struct storage_label bad[] = {{"colour", "red"}};
    struct storage_filter fb = {.where = bad, .nwhere = 1};
    out = stf_capture(storage_query_inventory, st, &fb, STORAGE_TEXT, IC_ECONFIG);
    assert_non_null(strstr(storage_errmsg(st), "no inventory column 'colour'"));
    free(out);
    assert_int_equal(stf_sql1("SELECT count(*) FROM targets"), 3);
    storage_close(st);
}

static void
test_samples_roundtrip(void **state)
{
    (void)state;
    struct storage *st = stf_open(NULL);
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

    stf_expect_sensor_csv(st, "n1", "CPU Temp",
                          "time,kind,value,min,max,count,state,states\r\n"
                          "2023-11-14T22:15:00Z,raw,42.5,,,,ok,\r\n"
                          "2023-11-14T22:15:10Z,raw,71,,,,warning,\r\n");
    struct storage_filter f = {.target = "n1", .sensor = "CPU Temp", .since_unix_ms = T0 + 5000};
    char *out = stf_capture(storage_query_sensor, st, &f, STORAGE_JSON, 0);
    assert_null(strstr(out, "42.5"));
    assert_non_null(strstr(out, "\"value\": 71"));
    free(out);
    f.sensor = "Fan 1";
    f.since_unix_ms = 0;
    out = stf_capture(storage_query_sensor, st, &f, STORAGE_JSON, 0);
    assert_non_null(strstr(out, "\"value\": null"));
    free(out);
    f.sensor = "nope";
    out = stf_capture(storage_query_sensor, st, &f, STORAGE_CSV, 1);
    free(out);

    struct storage_stats s;
    storage_stats(st, &s);
    assert_true(s.transactions >= 1);
    assert_int_equal(s.rows_written, 4);
    assert_int_equal(s.write_errors, 0);
    assert_true(s.db_size_bytes > 0);
    assert_int_equal(stf_sql1("SELECT count(*) FROM sensors"), 2);
    /* A sweep 10 s later leaves the row alone (no page written); readers see the sweep. */
    assert_int_equal(stf_sql1("SELECT last_seen FROM targets WHERE name = 'n1'"), T0);
    out = stf_capture(storage_query_inventory, st, NULL, STORAGE_CSV, 0);
    assert_non_null(strstr(out, ",2023-11-14T22:15:10Z,"));
    free(out);
    assert_int_equal(storage_put_samples(st, "n1", T0 + 60000, v, 2), 0);
    assert_int_equal(storage_flush(st), 0);
    assert_int_equal(stf_sql1("SELECT last_seen FROM targets WHERE name = 'n1'"), T0 + 60000);
    storage_close(st);
}

/* A version 4 database (one row per sample) is packed into sweeps when opened. */
static void
test_migrate_v4_samples(void **state)
{
    (void)state;
    struct storage *st = stf_open(NULL);
    struct storage_sample v[2] = {
        {.record_id = 1, .number = 1, .name = "A", .unit = "V", .has_value = 1, .value = 1},
        {.record_id = 2, .number = 2, .name = "B", .unit = "V", .has_value = 0, .state = 1},
    };
    assert_int_equal(storage_put_samples(st, "n1", T0, v, 2), 0);
    storage_close(st);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(stf_path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
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
    st = stf_open(NULL);
    assert_int_equal(stf_sql1("PRAGMA user_version"), STORAGE_SCHEMA_VERSION);
    assert_int_equal(stf_sql1("SELECT count(*) FROM sqlite_schema WHERE name = 'samples'"), 0);
    assert_int_equal(stf_sql1("SELECT count(*) FROM sweeps"), 2);
    stf_expect_sensor_csv(st, "n1", "A",
                          "time,kind,value,min,max,count,state,states\r\n"
                          "2023-11-14T22:15:00Z,raw,1.5,,,,ok,\r\n"
                          "2023-11-14T22:15:10Z,raw,2.5,,,,warning,\r\n");
    stf_expect_sensor_csv(st, "n1", "B",
                          "time,kind,value,min,max,count,state,states\r\n"
                          "2023-11-14T22:15:10Z,raw,,,,,ok,0x0005\r\n");
    storage_close(st);
}

/* 39 samples packed in one sweep row: every sample lands with its own fields. */
static void
test_samples_batched(void **state)
{
    (void)state;
    struct storage *st = stf_open(NULL);
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
    assert_int_equal(stf_sql1("SELECT count(*) FROM samples"), 2 * N);
    assert_int_equal(
        stf_sql1("SELECT count(*) FROM samples s JOIN sensors n ON n.id = s.sensor_id "
                 "WHERE s.value = n.record_id - 100 AND s.state = (n.record_id - 100) % 3 "
                 "AND s.states = 2 * (n.record_id - 100) AND s.ts IN (1700000100000, "
                 "1700000101000)"),
        2 * (N - 2));
    /* No value, and a NaN (stored as no value, as SQLite did with one row per sample). */
    assert_int_equal(stf_sql1("SELECT count(*) FROM samples s JOIN sensors n ON n.id = s.sensor_id "
                              "WHERE s.value IS NULL AND n.name IN ('S37', 'S38')"),
                     4);
    /* ... flagged so in the row itself (sample 38's flags byte: 16 * 38 + 4, 1-based), which
     * retention's fold reads. */
    assert_int_equal(stf_sql1("SELECT count(*) FROM sweeps WHERE substr(data, 613, 1) = x'00'"), 2);
    storage_close(st);
}

static void
test_sel_dedup_and_reset(void **state)
{
    (void)state;
    struct storage *st = stf_open(NULL);
    struct storage_sel e[2];
    struct ipmi_sel_cursor cur = {.valid = 1, .last_id = 2};
    stf_sel_rec(&e[0], 1, 0xaa);
    stf_sel_rec(&e[1], 2, 0xbb);
    memcpy(cur.last_raw, e[1].raw, 16);
    assert_int_equal(storage_put_sel(st, "n1", T0, e, 2, 0, &cur), 0);
    assert_int_equal(storage_put_sel(st, "n1", T0 + 1000, e, 2, 0, &cur), 0); /* a replay */
    assert_int_equal(storage_flush(st), 0);
    assert_int_equal(stf_sql1("SELECT count(*) FROM sel"), 2);
    /* Cleared SEL: the same IDs come back with other bytes: new events. */
    stf_sel_rec(&e[0], 1, 0xcc);
    stf_sel_rec(&e[1], 2, 0xdd);
    e[1].severity = IPMI_STATE_WARNING;
    e[1].event = "Fan lower critical going low";
    assert_int_equal(storage_put_sel(st, "n1", T0 + 2000, e, 2, 1, &cur), 0);
    assert_int_equal(storage_flush(st), 0);
    assert_int_equal(stf_sql1("SELECT count(*) FROM sel"), 4);
    assert_int_equal(stf_sql1("SELECT count(*) FROM sel_resets"), 1);

    struct storage_filter f = {.grep = "FAN LOWER"};
    char *out = stf_capture(storage_query_sel, st, &f, STORAGE_CSV, 0);
    assert_non_null(strstr(out, "\r\nn1,2023-11-14T22:15:02Z,2023-11-14T22:13:20Z,2,warning,PSU1,"
                                "Fan lower critical going low,,0200"));
    free(out);
    struct storage_filter fc = {.min_severity = IPMI_STATE_CRITICAL, .target = "n1"};
    out = stf_capture(storage_query_sel, st, &fc, STORAGE_JSON, 0);
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
    struct storage *st = stf_open(NULL);
    struct storage_sel e;
    struct ipmi_sel_cursor cur = {.valid = 1, .last_id = 7}, got;
    stf_sel_rec(&e, 7, 0x11);
    memcpy(cur.last_raw, e.raw, 16);
    assert_int_equal(storage_put_sel(st, "n1", T0, &e, 1, 0, &cur), 0);
    storage_close(st); /* no flush: close commits what is queued */

    st = stf_open(NULL);
    assert_int_equal(storage_get_sel_cursor(st, "n1", &got), 0);
    assert_int_equal(got.valid, 1);
    assert_int_equal(got.last_id, 7);
    assert_memory_equal(got.last_raw, e.raw, 16);
    assert_int_equal(storage_get_sel_cursor(st, "other", &got), 0);
    assert_int_equal(got.valid, 0);
    storage_close(st);
    assert_int_equal(stf_sql1("SELECT count(*) FROM sel WHERE record_id = 7"), 1);
}

static void
test_sdr_blob(void **state)
{
    (void)state;
    struct storage *st = stf_open(NULL);
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
    struct storage *st = stf_open(NULL);
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
    char *out = stf_capture(storage_query_inventory, st, NULL, STORAGE_CSV, 0);
    assert_string_equal(out, "name,address,configured,state,last_seen,manufacturer,"
                             "manufacturer_id,product_id,firmware,ipmi_version,guid,board_serial,"
                             "product_serial,product_name,labels,last_error\r\n"
                             "n1,127.0.0.1:9001,yes,down,2023-11-14T22:15:01Z,Acme,343,4660,2.47,"
                             "2.0,0123abcd-0000-1111-2222-333344445555,BSN-001,PSN-9,"
                             "\"Server, 2U\",,no answer after 3 tries\r\n");
    free(out);
    out = stf_capture(storage_query_inventory, st, NULL, STORAGE_TEXT, 0);
    assert_non_null(strstr(out, "name | address "));
    assert_non_null(strstr(out, "n1   | 127.0.0.1:9001 | yes "));
    free(out);
    struct storage_label w[] = {{"firmware", "2.46"}};
    struct storage_filter f = {.where = w, .nwhere = 1};
    out = stf_capture(storage_query_inventory, st, &f, STORAGE_JSON, 0);
    assert_string_equal(out, "[]\n");
    free(out);
    struct storage_filter fs = {.target = "n1"};
    out = stf_capture(storage_query_states, st, &fs, STORAGE_CSV, 0);
    assert_string_equal(out, "target,time,state,error\r\n"
                             "n1,2023-11-14T22:15:02Z,down,no answer after 3 tries\r\n");
    free(out);
    storage_close(st);
}

/* Console lines: stored per line, found by target, text, time and id; trimmed with raw samples. */
static void
test_console_lines(void **state)
{
    (void)state;
    struct storage_opts o = {.retention_raw_ms = 3600000};
    struct storage *st = stf_open(&o);
    struct storage_console_line a[] = {{T0, "host001 login: root"},
                                       {T0 + 1000, "Kernel panic - not syncing: VFS"},
                                       {T0 + 7200000, "host001 login:"}};
    struct storage_console_line b[] = {{T0 + 10, "other host"}};
    assert_int_equal(storage_put_console(st, "n1", a, 3, NULL, 0), 0);
    assert_int_equal(storage_put_console(st, "n2", b, 1, NULL, 0), 0);
    assert_int_equal(storage_put_console(st, "n2", NULL, 0, NULL, 0), IC_EINVAL);
    assert_int_equal(storage_flush(st), 0);
    struct storage_filter f = {.target = "n1"};
    char *out = stf_capture(storage_query_console, st, &f, STORAGE_TEXT, 0);
    assert_non_null(strstr(out, "Z host001 login: root\n"));
    assert_non_null(strstr(out, "Z Kernel panic - not syncing: VFS\n"));
    assert_null(strstr(out, "other host"));
    free(out);
    f.grep = "PANIC";
    out = stf_capture(storage_query_console, st, &f, STORAGE_JSON, 0);
    assert_non_null(strstr(out, "\"line\": \"Kernel panic - not syncing: VFS\""));
    assert_null(strstr(out, "login"));
    free(out);
    struct storage_filter g = {.after_id = 2, .limit = 1};
    out = stf_capture(storage_query_console, st, &g, STORAGE_TEXT, 0);
    assert_non_null(strstr(out, "n1 ")); /* the whole fleet: the target leads each line */
    assert_non_null(strstr(out, "host001 login:\n"));
    assert_null(strstr(out, "other host"));
    free(out);
    /* Retention (1 h): the two early lines of n1 and n2's line go, the late one stays. */
    assert_int_equal(storage_retention_now(st, T0 + 7200000), 0);
    assert_int_equal(stf_sql1("SELECT count(*) FROM console"), 1);
    storage_close(st);
}

/* The audit log: every field kept, filters by who, target (one of several) and text. */
static void
test_audit_rows(void **state)
{
    (void)state;
    struct storage *st = stf_open(NULL);
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
    assert_int_equal(stf_sql1("SELECT count(*) FROM audit"), 2);
    struct storage_filter f = {.who = "ops"};
    char *out = stf_capture(storage_query_audit, st, &f, STORAGE_JSON, 0);
    assert_non_null(strstr(out, "\"params\": {\"action\":\"off\"}")); /* JSON, not a string */
    assert_non_null(strstr(out, "\"source\": \"10.1.2.3\""));
    assert_non_null(strstr(out, "\"duration_ms\": 42"));
    assert_non_null(strstr(out, "\"time\": \"2023-11-14T22:15:00.000Z\""));
    assert_null(strstr(out, "root"));
    free(out);
    struct storage_filter t = {.target = "bmc1"}; /* not bmc12's prefix match */
    out = stf_capture(storage_query_audit, st, &t, STORAGE_CSV, 0);
    assert_non_null(strstr(out, ",ops,"));
    assert_null(strstr(out, ",root,"));
    free(out);
    struct storage_filter g = {.grep = "REFUSED"};
    out = stf_capture(storage_query_audit, st, &g, STORAGE_JSON, 0);
    assert_non_null(strstr(out, "\"params\": {}"));
    assert_null(strstr(out, "\"ops\""));
    free(out);
    /* Never trimmed by retention. */
    assert_int_equal(storage_retention_now(st, T0 + 1000ull * 86400000), 0);
    assert_int_equal(stf_sql1("SELECT count(*) FROM audit"), 2);
    storage_close(st);
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
    struct storage *st = stf_open(&o);
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
    assert_int_equal(stf_sql1("SELECT count(*) FROM sensors"), 3);
    assert_int_equal(stf_sql1("SELECT count(*) FROM sensors WHERE name = 'B' AND unit = 'A'"), 1);
    assert_int_equal(
        stf_sql1("SELECT sum(s.value) FROM samples s JOIN sensors n ON n.id = s.sensor_id"
                 " WHERE n.name = 'A'"),
        3);
    assert_int_equal(
        stf_sql1("SELECT sum(s.value) FROM samples s JOIN sensors n ON n.id = s.sensor_id"
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
    assert_int_equal(stf_sql1("SELECT count(*) FROM samples s JOIN sensors n ON n.id = s.sensor_id"
                              " JOIN targets t ON t.id = n.target_id WHERE t.name = 'n2'"),
                     N);
    assert_int_equal(
        stf_sql1("SELECT count(*) FROM samples WHERE sensor_id NOT IN (SELECT id FROM sensors)"),
        0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_migrate_and_reopen, stf_setup, stf_teardown),
        cmocka_unit_test_setup_teardown(test_future_and_missing, stf_setup, stf_teardown),
        cmocka_unit_test_setup_teardown(test_console_lines, stf_setup, stf_teardown),
        cmocka_unit_test_setup_teardown(test_audit_rows, stf_setup, stf_teardown),
        cmocka_unit_test_setup_teardown(test_targets_upsert, stf_setup, stf_teardown),
        cmocka_unit_test_setup_teardown(test_samples_roundtrip, stf_setup, stf_teardown),
        cmocka_unit_test_setup_teardown(test_sel_dedup_and_reset, stf_setup, stf_teardown),
        cmocka_unit_test_setup_teardown(test_cursor_atomic_with_entries, stf_setup, stf_teardown),
        cmocka_unit_test_setup_teardown(test_sdr_blob, stf_setup, stf_teardown),
        cmocka_unit_test_setup_teardown(test_inventory_fields, stf_setup, stf_teardown),
        cmocka_unit_test_setup_teardown(test_sensor_ids_remembered, stf_setup, stf_teardown),
        cmocka_unit_test_setup_teardown(test_samples_batched, stf_setup, stf_teardown),
        cmocka_unit_test_setup_teardown(test_migrate_v4_samples, stf_setup, stf_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
