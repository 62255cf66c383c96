/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_outbox.c - alerts and the outbox in storage: committed with their cause,
 * stored once per key, one row per receiver, each target's oldest first,
 * outcomes (delivered, failed, dead), the operator's retry and drop, and the
 * active set Alertmanager re-sends.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ic_err.h"
#include "poller.h"
#include "storage.h"

static char dir[64];
static char path[128];

static int
setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/ic-outbox-XXXXXX");
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
open_started(void)
{
    struct storage *st = NULL;
    char err[256];
    struct storage_opts o = {0};
    assert_int_equal(storage_open(path, &o, &st, err, sizeof(err)), 0);
    assert_int_equal(storage_start(st, err, sizeof(err)), 0);
    return st;
}

static const char *const both[] = {"hook", "am"};

static struct storage_alert
alert(const char *key, const char *status, const char *identity, const char *const *rcv,
      size_t nrcv)
{
    return (struct storage_alert){.key = key,
                                  .kind = "sensor",
                                  .status = status,
                                  .severity = "critical",
                                  .identity = identity,
                                  .summary = key,
                                  .sensor = "CPU1 Temp",
                                  .sensor_type = "Temperature",
                                  .has_value = 1,
                                  .value = 91.5,
                                  .has_threshold = 1,
                                  .threshold = 90,
                                  .starts_at = 1000,
                                  .labels_json = "{\"rack\":\"r1\"}",
                                  .receivers = rcv,
                                  .nreceivers = nrcv};
}

static void
test_alerts_routed_ordered_delivered(void **state)
{
    (void)state;
    struct storage *st = open_started();
    struct storage_alert a[2] = {alert("k1", "firing", "sensor/CPU1 Temp/critical", both, 2),
                                 alert("k2", "firing", "", both, 1)};
    struct storage_alert b = alert("k3", "firing", "", both, 1);
    assert_int_equal(storage_put_state_alerts(st, "t1", 1000, "down", "x", a, 2), 0);
    assert_int_equal(storage_put_state_alerts(st, "t2", 1000, NULL, "", &b, 1), 0);
    /* a replay of the same key: stored and routed once */
    assert_int_equal(storage_put_state_alerts(st, "t1", 1001, NULL, "", a, 1), 0);
    assert_int_equal(storage_flush(st), 0);

    struct storage_outbox_stats os;
    assert_int_equal(storage_outbox_stats(st, &os), 0);
    assert_int_equal(os.pending, 4); /* k1 x 2 receivers, k2 and k3 to hook */
    assert_int_equal(os.dead, 0);
    assert_true(os.oldest_pending_unix_ms > 0);

    struct storage_outbox_item *v;
    size_t n;
    /* hook: only each target's oldest: k1 (t1) and k3 (t2), not k2 */
    assert_int_equal(storage_outbox_due(st, "hook", UINT64_MAX / 2, 10, &v, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(v[0].key, "k1");
    assert_string_equal(v[0].target, "t1");
    assert_string_equal(v[0].receiver, "hook");
    assert_string_equal(v[0].labels_json, "{\"rack\":\"r1\"}");
    assert_true(v[0].has_value && v[0].value == 91.5 && v[0].threshold == 90);
    assert_null(v[0].sel_json);
    assert_string_equal(v[1].key, "k3");
    int64_t k1 = v[0].id;
    storage_outbox_free(v, n);

    /* k1 fails: k2 waits behind it (order per target), even when k1 is not due yet */
    assert_int_equal(storage_outbox_failed(st, k1, UINT64_MAX / 4, "HTTP 500", 0), 0);
    assert_int_equal(storage_flush(st), 0);
    assert_int_equal(storage_outbox_due(st, "hook", UINT64_MAX / 8, 10, &v, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(v[0].key, "k3");
    storage_outbox_free(v, n);

    /* k1 dead: it no longer blocks k2; visible as dead */
    assert_int_equal(storage_outbox_failed(st, k1, 0, "gave up", 1), 0);
    assert_int_equal(storage_flush(st), 0);
    assert_int_equal(storage_outbox_due(st, "hook", UINT64_MAX / 8, 10, &v, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(v[0].key, "k2");
    assert_int_equal(storage_outbox_delivered(st, v[0].id), 0);
    assert_int_equal(storage_outbox_delivered(st, v[1].id), 0);
    storage_outbox_free(v, n);
    assert_int_equal(storage_flush(st), 0);
    assert_int_equal(storage_outbox_stats(st, &os), 0);
    assert_int_equal(os.pending, 1); /* k1 to am */
    assert_int_equal(os.dead, 1);

    /* the operator: retry every dead row, then it is due again */
    assert_int_equal(storage_outbox_retry(st, 0), 0);
    assert_int_equal(storage_flush(st), 0);
    assert_int_equal(storage_outbox_due(st, "hook", UINT64_MAX / 2, 10, &v, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(v[0].key, "k1");
    assert_int_equal(v[0].attempts, 2);
    assert_int_equal(storage_outbox_drop(st, v[0].id), 0);
    storage_outbox_free(v, n);
    assert_int_equal(storage_flush(st), 0);
    assert_int_equal(storage_outbox_stats(st, &os), 0);
    assert_int_equal(os.pending, 1);
    assert_int_equal(os.dead, 0);
    storage_close(st);
}

static void
test_active_until_resolved(void **state)
{
    (void)state;
    struct storage *st = open_started();
    static const char *const am[] = {"am"};
    struct storage_alert f = alert("f1", "firing", "sensor/CPU1 Temp/critical", am, 1);
    assert_int_equal(storage_put_samples_alerts(st, "t1", 1000, NULL, 0, &f, 1), 0);
    assert_int_equal(storage_flush(st), 0);
    struct storage_outbox_item *v;
    size_t n;
    assert_int_equal(storage_outbox_active(st, "am", &v, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(v[0].key, "f1");
    assert_string_equal(v[0].status, "firing");
    storage_outbox_free(v, n);
    assert_int_equal(storage_outbox_active(st, "hook", &v, &n), 0);
    assert_int_equal(n, 0); /* not routed there */
    storage_outbox_free(v, n);
    struct storage_alert r = alert("r1", "resolved", "sensor/CPU1 Temp/critical", am, 1);
    r.ends_at = 2000;
    assert_int_equal(storage_put_samples_alerts(st, "t1", 2000, NULL, 0, &r, 1), 0);
    assert_int_equal(storage_flush(st), 0);
    assert_int_equal(storage_outbox_active(st, "am", &v, &n), 0);
    assert_int_equal(n, 0);
    storage_outbox_free(v, n);
    storage_close(st);
}

static void
test_alerts_survive_close(void **state)
{
    (void)state;
    /* committed with the cause, no flush: close drains the queue */
    struct storage *st = open_started();
    static const char *const hook[] = {"hook"};
    struct storage_alert a = alert("s1", "firing", "", hook, 1);
    struct storage_sel sel = {.record_id = 7, .event = "x", .sensor = "", .detail = ""};
    struct ipmi_sel_cursor cur = {.valid = 1, .last_id = 7};
    a.sel_json = "{\"record_id\":7}";
    assert_int_equal(storage_put_sel_alerts(st, "t1", 1000, &sel, 1, 0, &cur, &a, 1), 0);
    storage_close(st);
    st = open_started();
    struct storage_outbox_item *v;
    size_t n;
    assert_int_equal(storage_outbox_due(st, "hook", UINT64_MAX / 2, 10, &v, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(v[0].sel_json, "{\"record_id\":7}");
    storage_outbox_free(v, n);
    struct ipmi_sel_cursor got;
    assert_int_equal(storage_get_sel_cursor(st, "t1", &got), 0);
    assert_int_equal(got.last_id, 7);
    storage_close(st);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_alerts_routed_ordered_delivered, setup, teardown),
        cmocka_unit_test_setup_teardown(test_active_until_resolved, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alerts_survive_close, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
