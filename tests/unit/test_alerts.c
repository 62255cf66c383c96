/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_alerts.c - what raises an alert (collector/alerts.c, alert_rules.c):
 * debounced resolution (a flapping sensor gives one alert and one
 * resolution), escalation, a restart that remembers firing alerts, SEL
 * entries, the unreachable timer, and routing by severity, kind and labels.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "alerts.h"
#include "cfg.h"
#include "exporters.h"

static const char yml[] = "profiles: {p: {user: u, password_env: X}}\n"
                          "targets: [{name: t1, address: 127.0.0.1:1}]\n"
                          "alerting:\n"
                          "  debounce: 3\n"
                          "  unreachable_after: 60s\n"
                          "  receivers:\n"
                          "    - {name: hook, type: webhook, url: 'http://127.0.0.1:1/h'}\n"
                          "    - {name: am, type: alertmanager, url: 'http://127.0.0.1:2'}\n"
                          "    - {name: r2, type: webhook, url: 'http://127.0.0.1:3/h'}\n"
                          "  routes:\n"
                          "    - receiver: hook\n"
                          "    - receiver: am\n"
                          "      match: {severity: [warning, critical]}\n"
                          "    - receiver: r2\n"
                          "      match: {kind: sensor, labels: {rack: r2}}\n";

static struct alert_rules *rules;
static char rack[] = "rack", r1[] = "r1";
static struct snap_label lab[] = {{rack, r1}};
static const struct alert_who who = {.name = "t1",
                                     .host = "127.0.0.1",
                                     .port = 1,
                                     .labels = lab,
                                     .nlabels = 1,
                                     .labels_json = "{\"rack\":\"r1\"}"};

static int
setup(void **state)
{
    (void)state;
    struct cfg *c = NULL;
    char err[2048];
    int rc = cfg_parse(yml, strlen(yml), "t.yml", 0, &c, err, sizeof(err));
    if (rc)
        fprintf(stderr, "%s\n", err);
    assert_int_equal(rc, 0);
    assert_int_equal(alert_rules_new(c, &rules), 0);
    assert_non_null(rules);
    cfg_free(c); /* the rules are a copy */
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    alert_rules_unref(rules);
    return 0;
}

static struct ipmi_reading
temp(double v, enum ipmi_state st)
{
    struct ipmi_reading r = {.record_id = 2,
                             .number = 1,
                             .threshold = 1,
                             .has_value = 1,
                             .value = v,
                             .state = st,
                             .sensor_type = 0x01};
    snprintf(r.name, sizeof(r.name), "CPU1 Temp");
    snprintf(r.unit, sizeof(r.unit), "degrees C");
    return r;
}

static void
sweep(struct alert_tracker *t, struct ipmi_reading r, uint64_t now, struct alert_buf *b)
{
    alert_tracker_sweep(t, rules, &who, 3, &r, 1, NULL, now, b);
}

static void
test_flapping_one_alert_one_resolution(void **state)
{
    (void)state;
    struct alert_tracker *t = alert_tracker_new(NULL, 0);
    struct alert_buf b = {0};
    uint64_t now = 1000000;
    sweep(t, temp(50, IPMI_STATE_OK), now, &b);
    assert_int_equal(b.n, 0);     /* ok at start: nothing */
    for (int i = 0; i <= 20; i++) /* hovering at the threshold, ending above it */
        sweep(t, temp(i % 2 ? 84 : 86, i % 2 ? IPMI_STATE_OK : IPMI_STATE_CRITICAL), now += 10000,
              &b);
    assert_int_equal(b.n, 1);
    assert_string_equal(b.v[0].status, "firing");
    assert_string_equal(b.v[0].severity, "critical");
    assert_string_equal(b.v[0].kind, "sensor");
    assert_string_equal(b.v[0].sensor, "CPU1 Temp");
    assert_string_equal(b.v[0].sensor_type, "Temperature");
    assert_true(b.v[0].has_value && b.v[0].value == 86);
    assert_string_equal(b.v[0].labels_json, "{\"rack\":\"r1\"}");
    assert_int_equal(b.v[0].nreceivers, 2); /* hook (all) and am (critical); not r2 (rack) */
    assert_string_equal(b.v[0].receivers[0], "hook");
    assert_string_equal(b.v[0].receivers[1], "am");
    uint64_t fired = b.v[0].starts_at;
    sweep(t, temp(80, IPMI_STATE_OK), now += 10000, &b);
    sweep(t, temp(80, IPMI_STATE_OK), now += 10000, &b);
    assert_int_equal(b.n, 1); /* two ok sweeps: not yet */
    sweep(t, temp(80, IPMI_STATE_OK), now += 10000, &b);
    assert_int_equal(b.n, 2); /* the third: resolved */
    assert_string_equal(b.v[1].status, "resolved");
    assert_string_equal(b.v[1].identity, b.v[0].identity);
    assert_int_equal(b.v[1].starts_at, fired);
    assert_int_equal(b.v[1].ends_at, now);
    assert_string_not_equal(b.v[1].key, b.v[0].key);
    alert_buf_free(&b);
    alert_tracker_free(t);
}

static void
test_escalation_and_restart(void **state)
{
    (void)state;
    struct alert_tracker *t = alert_tracker_new(NULL, 0);
    struct alert_buf b = {0};
    sweep(t, temp(82, IPMI_STATE_WARNING), 1000, &b);
    sweep(t, temp(88, IPMI_STATE_CRITICAL), 2000, &b); /* worse: at once */
    assert_int_equal(b.n, 3);
    assert_string_equal(b.v[0].severity, "warning");
    assert_string_equal(b.v[1].status, "resolved"); /* the warning ends ... */
    assert_string_equal(b.v[1].severity, "warning");
    assert_string_equal(b.v[2].status, "firing"); /* ... the critical begins */
    assert_string_equal(b.v[2].severity, "critical");
    struct storage_active act = {.starts_at = 2000};
    snprintf(act.identity, sizeof(act.identity), "%s", b.v[2].identity);
    char key_fired[160];
    snprintf(key_fired, sizeof(key_fired), "%s", b.v[2].key);
    alert_buf_free(&b);
    alert_tracker_free(t);

    /* A restart: the database remembers the critical alert */
    t = alert_tracker_new(&act, 1);
    sweep(t, temp(89, IPMI_STATE_CRITICAL), 5000, &b);
    assert_int_equal(b.n, 0); /* not fired again */
    for (int i = 0; i < 3; i++)
        sweep(t, temp(60, IPMI_STATE_OK), 6000 + (uint64_t)i, &b);
    assert_int_equal(b.n, 1);
    assert_string_equal(b.v[0].status, "resolved");
    assert_int_equal(b.v[0].starts_at, 2000); /* the original start */
    alert_buf_free(&b);
    alert_tracker_free(t);
}

static void
test_sel_and_routes(void **state)
{
    (void)state;
    struct alert_buf b = {0};
    struct ipmi_sel_entry e = {.record_id = 7,
                               .record_type = 2,
                               .timestamp = 1700000000,
                               .has_timestamp = 1,
                               .severity = IPMI_STATE_OK};
    uint8_t raw[16] = {7, 0, 2};
    snprintf(e.sensor, sizeof(e.sensor), "Sys Event");
    snprintf(e.event, sizeof(e.event), "OEM System boot event");
    alert_tracker_sel(NULL, rules, &who, &e, raw, 5000, &b);
    assert_int_equal(b.n, 1);
    assert_string_equal(b.v[0].severity, "info");
    assert_int_equal(b.v[0].nreceivers, 1); /* info: hook only, not am */
    assert_string_equal(b.v[0].identity, "");
    assert_int_equal(b.v[0].starts_at, 1700000000000ULL);
    assert_non_null(strstr(b.v[0].sel_json, "\"record_id\":7"));
    assert_non_null(strstr(b.v[0].summary, "OEM System boot event"));
    char key[160];
    snprintf(key, sizeof(key), "%s", b.v[0].key);
    e.severity = IPMI_STATE_CRITICAL;
    alert_tracker_sel(NULL, rules, &who, &e, raw, 6000, &b);
    assert_string_equal(b.v[1].severity, "critical");
    assert_int_equal(b.v[1].nreceivers, 2);
    assert_string_equal(b.v[1].key, key); /* the same record: the same key */
    struct alert_buf c = {0};
    assert_int_equal(alert_buf_move(&c, &b), 0);
    assert_int_equal(c.n, 2);
    assert_int_equal(b.n, 0);
    assert_string_equal(c.v[1].key, key);
    alert_buf_free(&c);
}

static void
test_unreachable(void **state)
{
    (void)state;
    struct alert_tracker *t = alert_tracker_new(NULL, 0);
    struct alert_buf b = {0};
    assert_int_equal(alert_tracker_reach(t, rules, &who, 0, "no answer", 100000, &b), 160000);
    assert_int_equal(alert_tracker_reach(t, rules, &who, 0, "no answer", 150000, &b), 160000);
    assert_int_equal(b.n, 0);
    assert_int_equal(alert_tracker_reach(t, rules, &who, 0, "no answer", 161000, &b), 0);
    assert_int_equal(b.n, 1);
    assert_string_equal(b.v[0].kind, "unreachable");
    assert_string_equal(b.v[0].status, "firing");
    assert_int_equal(b.v[0].starts_at, 100000);
    assert_non_null(strstr(b.v[0].summary, "61 s"));
    alert_tracker_reach(t, rules, &who, 0, "no answer", 200000, &b);
    assert_int_equal(b.n, 1); /* once */
    alert_tracker_reach(t, rules, &who, 1, "", 230000, &b);
    assert_int_equal(b.n, 2);
    assert_string_equal(b.v[1].status, "resolved");
    assert_int_equal(b.v[1].ends_at, 230000);
    /* up before the delay: nothing at all */
    alert_tracker_reach(t, rules, &who, 0, "x", 300000, &b);
    alert_tracker_reach(t, rules, &who, 1, "", 310000, &b);
    assert_int_equal(b.n, 2);
    alert_buf_free(&b);
    alert_tracker_free(t);
    /* no alerting section: no rules, no alerts */
    assert_int_equal(alert_tracker_reach(t = alert_tracker_new(NULL, 0), NULL, &who, 0, "x", 1, &b),
                     0);
    alert_tracker_free(t);
    assert_true(alert_rules_same(rules, rules));
    assert_false(alert_rules_same(rules, NULL));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_flapping_one_alert_one_resolution),
        cmocka_unit_test(test_escalation_and_restart),
        cmocka_unit_test(test_sel_and_routes),
        cmocka_unit_test(test_unreachable),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
