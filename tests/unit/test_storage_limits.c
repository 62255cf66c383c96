/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_storage_limits.c - what bounds the database: retention (fold, drop),
 * the size bound, and a full disk that recovers without losing what was
 * queued. Fixtures: storage_fixture.c.
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
test_retention_fold(void **state)
{
    (void)state;
    struct storage_opts o = {.retention_raw_ms = 3600000, .downsample_ms = 300000};
    struct storage *st = stf_open(&o);
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
    char *out = stf_capture(storage_query_sensor, st, &f, STORAGE_CSV, 0);
    assert_string_equal(out, "time,kind,value,min,max,count,state,states\r\n"
                             "2023-11-14T22:15:00Z,downsampled,2,0,4,5,,\r\n"
                             "2023-11-14T22:20:00Z,downsampled,7,5,9,5,,\r\n"
                             "2023-11-15T00:14:00Z,raw,100,,,,ok,\r\n");
    free(out);
    /* A late sample of an already folded period merges (weighted average). */
    v.value = 10;
    assert_int_equal(storage_put_samples(st, "n1", T0 + 30000, &v, 1), 0);
    assert_int_equal(storage_retention_now(st, now), 0);
    assert_int_equal(stf_sql1("SELECT count FROM samples_ds WHERE period_start = 1700000100000"),
                     6);
    assert_int_equal(stf_sql1("SELECT max FROM samples_ds WHERE period_start = 1700000100000"), 10);
    assert_int_equal(stf_sql1("SELECT avg * 6 FROM samples_ds WHERE period_start = 1700000100000"),
                     20);
    assert_int_equal(stf_sql1("SELECT count(*) FROM samples"), 1);
    assert_int_equal(stf_sql1("SELECT count(*) FROM state_log"), 1);
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
    struct storage *st = stf_open(&o);
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
    assert_int_equal(stf_sql1("SELECT count(*) FROM samples"), NS);
    assert_int_equal(stf_sql1("SELECT count(*) FROM samples WHERE ts < 1700000000000 + 3600000"),
                     0);
    assert_int_equal(stf_sql1("SELECT count(*) FROM samples_ds"), NS);
    storage_close(st);
}

static void
test_retention_drop(void **state)
{
    (void)state;
    struct storage_opts o = {.retention_raw_ms = 3600000, .downsample_ms = 0};
    struct storage *st = stf_open(&o);
    struct storage_sample v = {.record_id = 1, .name = "T", .unit = "RPM", .has_value = 1};
    for (int i = 0; i < 10; i++)
        assert_int_equal(storage_put_samples(st, "n1", T0 + (uint64_t)i * 600000, &v, 1), 0);
    assert_int_equal(storage_retention_now(st, T0 + 3600000 + 1800000), 0);
    assert_int_equal(stf_sql1("SELECT count(*) FROM samples_ds"), 0);
    assert_int_equal(stf_sql1("SELECT min(ts) FROM samples"), T0 + 1800000); /* 1.5 h - 1 h */
    assert_int_equal(stf_sql1("SELECT count(*) FROM samples"), 7);
    storage_close(st);
}

static void
test_max_db_size(void **state)
{
    (void)state;
    struct storage_opts o = {.max_db_size = 256 * 1024, .downsample_ms = 60000};
    struct storage *st = stf_open(&o);
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
    assert_true(stf_sql1("PRAGMA page_count") * stf_sql1("PRAGMA page_size") >
                (long long)o.max_db_size);
    struct stat sb;
    assert_int_equal(storage_retention_now(st, T0 + 400 * 10000), 0);
    storage_close(st);
    assert_int_equal(stat(stf_path, &sb), 0);
    assert_true((uint64_t)sb.st_size <= o.max_db_size);
    /* The newest sweep is kept, the oldest is gone. */
    assert_int_equal(
        stf_sql1("SELECT count(*) FROM samples WHERE ts = 1700000100000 + 399 * 10000"), 100);
    assert_int_equal(stf_sql1("SELECT count(*) FROM samples WHERE ts = 1700000100000"), 0);
    assert_true(stf_sql1("SELECT count(*) FROM samples") > 1000);
}

static void
test_disk_full_then_recovers(void **state)
{
    (void)state;
    struct storage_opts o = {.queue_cap = 8};
    struct storage *st = stf_open(&o);
    struct storage_sel e;
    struct ipmi_sel_cursor cur = {.valid = 1, .last_id = 5};
    assert_int_equal(storage_put_state(st, "n1", T0, "up", ""), 0);
    assert_int_equal(storage_flush(st), 0);
    assert_int_equal(storage_test_set_max_pages(st, 1), 0); /* capped at the current size */

    stf_sel_rec(&e, 5, 0x55);
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
    assert_int_equal(stf_sql1("SELECT count(*) FROM sel WHERE record_id = 5"), 1);
    assert_int_equal(stf_sql1("SELECT last_id FROM sel_cursor"), 5);
    long long sweeps = stf_sql1("SELECT count(DISTINCT ts) FROM samples");
    assert_int_equal((uint64_t)sweeps + dropped, 30);
    assert_true(refused <= (int)dropped);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_retention_fold, stf_setup, stf_teardown),
        cmocka_unit_test_setup_teardown(test_retention_many_sensors, stf_setup, stf_teardown),
        cmocka_unit_test_setup_teardown(test_retention_drop, stf_setup, stf_teardown),
        cmocka_unit_test_setup_teardown(test_max_db_size, stf_setup, stf_teardown),
        cmocka_unit_test_setup_teardown(test_disk_full_then_recovers, stf_setup, stf_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
