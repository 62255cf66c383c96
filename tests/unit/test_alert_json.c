/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_alert_json.c - the alert bodies (exporters/alert_json.c): the webhook
 * schema v1 parsed back field by field, the Alertmanager v2 array (labels,
 * annotations, startsAt/endsAt), the signature against RFC 4231 and the
 * delivery families of /metrics.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "deliver_int.h"
#include "storage.h"

/* 2024-05-01T12:00:00.250Z */
#define T0 1714564800250ull

static char s_key[] = "sensor:bmc001:CPU1 Temp:critical:1";
static char s_kind[] = "sensor", s_firing[] = "firing", s_resolved[] = "resolved";
static char s_sev[] = "critical", s_ident[] = "sensor/CPU1 Temp/critical", s_empty[] = "";
static char s_summary[] = "CPU1 Temp is critical: 91.5 degrees C (threshold 90)";
static char s_sensor[] = "CPU1 Temp", s_stype[] = "Temperature", s_target[] = "bmc001";
static char s_rcv[] = "hooks", s_pending[] = "pending", s_selkind[] = "sel";
static char s_labels[] = "{\"rack\":\"r1\",\"role\":\"db\",\"target\":\"spoof\"}";
static char s_sel[] = "{\"record_id\":42,\"event\":\"Upper Critical going high\"}";

static struct storage_outbox_item
item(void)
{
    struct storage_outbox_item it = {
        .id = 7,
        .attempts = 2,
        .created_at = T0,
        .state = s_pending,
        .target = s_target,
        .receiver = s_rcv,
        .key = s_key,
        .kind = s_kind,
        .status = s_firing,
        .severity = s_sev,
        .identity = s_ident,
        .summary = s_summary,
        .sensor = s_sensor,
        .sensor_type = s_stype,
        .has_value = 1,
        .value = 91.5,
        .has_threshold = 1,
        .threshold = 90,
        .starts_at = T0,
        .labels_json = s_labels,
        .sel_json = s_sel,
    };
    return it;
}

static const char *
str_of(struct json_object *o, const char *k)
{
    struct json_object *v;
    assert_true(json_object_object_get_ex(o, k, &v));
    assert_true(json_object_is_type(v, json_type_string));
    return json_object_get_string(v);
}

static int
is_null(struct json_object *o, const char *k)
{
    struct json_object *v = (void *)1;
    assert_true(json_object_object_get_ex(o, k, &v));
    return v == NULL;
}

static void
test_rfc3339(void **state)
{
    (void)state;
    char t[40];
    alert_rfc3339(T0, t, sizeof(t));
    assert_string_equal(t, "2024-05-01T12:00:00.250Z");
    alert_rfc3339(0, t, sizeof(t));
    assert_string_equal(t, "1970-01-01T00:00:00.000Z");
}

static void
test_webhook_body(void **state)
{
    (void)state;
    struct storage_outbox_item it = item();
    size_t len = 0;
    char *body = alert_webhook_body(&it, &len);
    assert_non_null(body);
    assert_int_equal(len, strlen(body));
    struct json_object *o = json_tokener_parse(body);
    assert_non_null(o);
    struct json_object *v;
    assert_true(json_object_object_get_ex(o, "version", &v));
    assert_int_equal(json_object_get_int(v), ALERT_SCHEMA_VERSION);
    assert_string_equal(str_of(o, "id"), s_key);
    assert_string_equal(str_of(o, "kind"), "sensor");
    assert_string_equal(str_of(o, "status"), "firing");
    assert_string_equal(str_of(o, "severity"), "critical");
    assert_string_equal(str_of(o, "target"), "bmc001");
    assert_string_equal(str_of(o, "receiver"), "hooks");
    assert_string_equal(str_of(o, "summary"), s_summary);
    assert_string_equal(str_of(o, "identity"), s_ident);
    assert_string_equal(str_of(o, "sensor"), "CPU1 Temp");
    assert_string_equal(str_of(o, "sensor_type"), "Temperature");
    assert_string_equal(str_of(o, "starts_at"), "2024-05-01T12:00:00.250Z");
    assert_true(is_null(o, "ends_at"));
    assert_true(json_object_object_get_ex(o, "value", &v));
    assert_true(json_object_get_double(v) == 91.5);
    assert_true(json_object_object_get_ex(o, "threshold", &v));
    assert_true(json_object_get_double(v) == 90.0);
    assert_non_null(strstr(body, "\"threshold\":90,"));
    assert_true(json_object_object_get_ex(o, "labels", &v));
    assert_int_equal(json_object_object_length(v), 3);
    assert_string_equal(str_of(v, "rack"), "r1");
    assert_true(json_object_object_get_ex(o, "sel", &v));
    assert_true(json_object_is_type(v, json_type_object));
    struct json_object *rid;
    assert_true(json_object_object_get_ex(v, "record_id", &rid));
    assert_int_equal(json_object_get_int(rid), 42);
    assert_int_equal(json_object_object_length(o), 17);
    json_object_put(o);
    free(body);

    /* A resolved alert without sensor, value, threshold or SEL entry: nulls. */
    it.status = s_resolved;
    it.ends_at = T0 + 60000;
    it.sensor = s_empty;
    it.sensor_type = s_empty;
    it.has_value = 0;
    it.has_threshold = 0;
    it.sel_json = NULL;
    it.labels_json = s_empty;
    body = alert_webhook_body(&it, &len);
    assert_non_null(body);
    o = json_tokener_parse(body);
    assert_non_null(o);
    assert_string_equal(str_of(o, "status"), "resolved");
    assert_string_equal(str_of(o, "ends_at"), "2024-05-01T12:01:00.250Z");
    assert_true(is_null(o, "sensor"));
    assert_true(is_null(o, "sensor_type"));
    assert_true(is_null(o, "value"));
    assert_true(is_null(o, "threshold"));
    assert_true(is_null(o, "sel"));
    assert_true(json_object_object_get_ex(o, "labels", &v));
    assert_int_equal(json_object_object_length(v), 0);
    json_object_put(o);
    free(body);
}

static void
test_am_body(void **state)
{
    (void)state;
    struct storage_outbox_item it = item(), ev = item();
    const struct storage_outbox_item *v[2] = {&it, &ev};
    ev.kind = s_selkind;
    ev.identity = s_empty;
    ev.has_threshold = 0;
    size_t len = 0;
    char *body = alert_am_body(v, 2, T0 + 5000, 60000, &len);
    assert_non_null(body);
    struct json_object *arr = json_tokener_parse(body), *a, *l, *n, *x;
    assert_non_null(arr);
    assert_true(json_object_is_type(arr, json_type_array));
    assert_int_equal(json_object_array_length(arr), 2);

    a = json_object_array_get_idx(arr, 0);
    assert_true(json_object_object_get_ex(a, "labels", &l));
    assert_string_equal(str_of(l, "alertname"), "IPMISensorState");
    assert_string_equal(str_of(l, "target"), "bmc001"); /* ours win over the config's */
    assert_string_equal(str_of(l, "severity"), "critical");
    assert_string_equal(str_of(l, "sensor"), "CPU1 Temp");
    assert_string_equal(str_of(l, "kind"), "sensor");
    assert_string_equal(str_of(l, "rack"), "r1");
    assert_string_equal(str_of(l, "role"), "db");
    assert_false(json_object_object_get_ex(l, "event_id", &x));
    assert_true(json_object_object_get_ex(a, "annotations", &n));
    assert_string_equal(str_of(n, "summary"), s_summary);
    assert_string_equal(str_of(n, "value"), "91.5");
    assert_string_equal(str_of(n, "threshold"), "90");
    assert_string_equal(str_of(a, "startsAt"), "2024-05-01T12:00:00.250Z");
    /* Firing: now + 4 x resend. */
    assert_string_equal(str_of(a, "endsAt"), "2024-05-01T12:04:05.250Z");

    a = json_object_array_get_idx(arr, 1);
    assert_true(json_object_object_get_ex(a, "labels", &l));
    assert_string_equal(str_of(l, "alertname"), "IPMISelEvent");
    assert_string_equal(str_of(l, "event_id"), s_key);
    assert_true(json_object_object_get_ex(a, "annotations", &n));
    assert_false(json_object_object_get_ex(n, "threshold", &x));
    /* A one-shot event: starts_at + 4 x resend. */
    assert_string_equal(str_of(a, "endsAt"), "2024-05-01T12:04:00.250Z");
    json_object_put(arr);
    free(body);

    it.status = s_resolved;
    it.ends_at = T0 + 1000;
    body = alert_am_body(v, 1, T0 + 5000, 60000, &len);
    arr = json_tokener_parse(body);
    a = json_object_array_get_idx(arr, 0);
    assert_string_equal(str_of(a, "endsAt"), "2024-05-01T12:00:01.250Z");
    json_object_put(arr);
    free(body);

    assert_string_equal(alert_am_name("unreachable"), "IPMITargetUnreachable");
}

static void
test_signature(void **state)
{
    (void)state;
    char hex[65];
    static const char data[] = "what do ya want for nothing?";
    /* RFC 4231 test case 2. */
    assert_int_equal(alert_hmac_hex((const uint8_t *)"Jefe", 4, data, strlen(data), hex), 0);
    assert_string_equal(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    /* RFC 4231 test case 1: 20 bytes of 0x0b, "Hi There". */
    uint8_t key[20];
    memset(key, 0x0b, sizeof(key));
    assert_int_equal(alert_hmac_hex(key, sizeof(key), "Hi There", 8, hex), 0);
    assert_string_equal(hex, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
}

static void
test_metrics(void **state)
{
    (void)state;
    struct exp_receiver_stats v[2] = {
        {.name = "hooks",
         .sent = 5,
         .failed = 3,
         .retried = 2,
         .dead = 1,
         .pending = 4,
         .oldest_pending_age_s = 12.5},
        {.name = "am", .sent = 1},
    };
    struct exp_buf b;
    exp_buf_init(&b, 0);
    assert_int_equal(exp_prom_delivery(&b, v, 2), 0);
    exp_buf_putc(&b, '\0');
    assert_non_null(strstr(b.p, "# TYPE ipmi_collector_alerts_sent_total counter\n"
                                "ipmi_collector_alerts_sent_total{receiver=\"hooks\"} 5\n"
                                "ipmi_collector_alerts_sent_total{receiver=\"am\"} 1\n"));
    assert_non_null(strstr(b.p, "ipmi_collector_alerts_failed_total{receiver=\"hooks\"} 3\n"));
    assert_non_null(strstr(b.p, "ipmi_collector_alerts_retried_total{receiver=\"hooks\"} 2\n"));
    assert_non_null(strstr(b.p, "ipmi_collector_alerts_dead_total{receiver=\"hooks\"} 1\n"));
    assert_non_null(strstr(b.p, "\nipmi_collector_alerts_pending 4\n"));
    assert_non_null(strstr(b.p, "\nipmi_collector_alerts_oldest_pending_age_seconds 12.5\n"));
    exp_buf_free(&b);

    /* Through the hub: nothing until the first set. */
    struct snap_hub *h = snap_hub_new();
    struct exp_receiver_stats *out = NULL;
    int set = 1;
    assert_int_equal(snap_hub_get_delivery(h, &out, &set), 0);
    assert_int_equal(set, 0);
    assert_int_equal(snap_hub_set_delivery(h, v, 2), 0);
    assert_int_equal(snap_hub_get_delivery(h, &out, &set), 2);
    assert_int_equal(set, 1);
    assert_string_equal(out[1].name, "am");
    free(out);
    snap_hub_free(h);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc3339), cmocka_unit_test(test_webhook_body),
        cmocka_unit_test(test_am_body), cmocka_unit_test(test_signature),
        cmocka_unit_test(test_metrics),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
