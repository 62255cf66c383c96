/* SPDX-License-Identifier: Apache-2.0 */
/*
 * alert_json.c - the bodies the delivery thread sends: our webhook schema v1
 * and Alertmanager's v2 alerts array (both documented in docs/alerts.md), the
 * webhook signature (HMAC-SHA256 of the exact body bytes) and RFC 3339 times.
 *
 * Pure functions over an outbox item: no I/O, no globals, so the unit tests
 * can parse every field back. json-c rule (STYLE §4.8): build the tree,
 * serialize, put the root once; a child added to a parent is never put.
 */
#include "deliver_int.h"

#include <json-c/json.h>
#include <math.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "ic_err.h"
#include "storage.h"

void
alert_rfc3339(uint64_t unix_ms, char *out, size_t outlen)
{
    uint64_t s = unix_ms / 1000u;
    unsigned y, mo, d;
    clock_civil_from_days((uint32_t)(s / 86400u), &y, &mo, &d);
    unsigned sod = (unsigned)(s % 86400u);
    snprintf(out, outlen, "%04u-%02u-%02uT%02u:%02u:%02u.%03uZ", y, mo, d, sod / 3600u,
             sod / 60u % 60u, sod % 60u, (unsigned)(unix_ms % 1000u));
}

/* The shortest "%.*g" text that reads back as v (JSON numbers, annotation values). */
static void
fmt_num(double v, char *out, size_t outlen)
{
    /* Whole numbers as such: "%.1g" would give 90 as "9e+01". */
    if (fabs(v) < 1e15 && v == (double)(long long)v) {
        snprintf(out, outlen, "%lld", (long long)v);
        return;
    }
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(out, outlen, "%.*g", prec, v);
        if (strtod(out, NULL) == v)
            return;
    }
}

/* Adds key: a string, or null when s is NULL or (if empty_null) empty. 0 or IC_ENOMEM. */
static int
add_str(struct json_object *o, const char *key, const char *s, int empty_null)
{
    struct json_object *v = NULL;
    if (s && (*s || !empty_null) && !(v = json_object_new_string(s)))
        return IC_ENOMEM;
    return json_object_object_add(o, key, v) == 0 ? 0 : IC_ENOMEM;
}

/* Adds key: a number (NaN and infinities, which JSON cannot hold, become null). */
static int
add_num(struct json_object *o, const char *key, int has, double v)
{
    struct json_object *j = NULL;
    if (has && isfinite(v)) {
        char t[40];
        fmt_num(v, t, sizeof(t));
        if (!(j = json_object_new_double_s(v, t)))
            return IC_ENOMEM;
    }
    return json_object_object_add(o, key, j) == 0 ? 0 : IC_ENOMEM;
}

static int
add_time(struct json_object *o, const char *key, uint64_t ms)
{
    char t[40];
    if (!ms)
        return add_str(o, key, NULL, 1);
    alert_rfc3339(ms, t, sizeof(t));
    return add_str(o, key, t, 0);
}

/* Parses stored JSON text that must be an object; NULL when absent or not an object. */
static struct json_object *
parse_object(const char *text)
{
    if (!text || !*text)
        return NULL;
    struct json_object *o = json_tokener_parse(text);
    if (o && !json_object_is_type(o, json_type_object)) {
        json_object_put(o);
        o = NULL;
    }
    return o;
}

/* Serializes root into a malloc'ed copy, puts root. */
static char *
finish(struct json_object *root, int err, size_t *len)
{
    char *out = NULL;
    if (!err) {
        size_t n;
        const char *s = json_object_to_json_string_length(
            root, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &n);
        if (s && (out = malloc(n + 1)) != NULL) {
            memcpy(out, s, n + 1);
            *len = n;
        }
    }
    json_object_put(root);
    return out;
}

char *
alert_webhook_body(const struct storage_outbox_item *it, size_t *len)
{
    struct json_object *o = json_object_new_object();
    if (!o)
        return NULL;
    int err = json_object_object_add(o, "version", json_object_new_int(ALERT_SCHEMA_VERSION));
    err = err ? err : add_str(o, "id", it->key, 0);
    err = err ? err : add_str(o, "kind", it->kind, 0);
    err = err ? err : add_str(o, "status", it->status, 0);
    err = err ? err : add_str(o, "severity", it->severity, 0);
    err = err ? err : add_str(o, "target", it->target, 0);
    err = err ? err : add_str(o, "receiver", it->receiver, 0);
    if (!err) {
        struct json_object *labels = parse_object(it->labels_json);
        if (!labels)
            labels = json_object_new_object();
        err = labels && json_object_object_add(o, "labels", labels) == 0 ? 0 : IC_ENOMEM;
    }
    err = err ? err : add_str(o, "summary", it->summary, 0);
    err = err ? err : add_str(o, "identity", it->identity, 1);
    err = err ? err : add_str(o, "sensor", it->sensor, 1);
    err = err ? err : add_str(o, "sensor_type", it->sensor_type, 1);
    err = err ? err : add_num(o, "value", it->has_value, it->value);
    err = err ? err : add_num(o, "threshold", it->has_threshold, it->threshold);
    err = err ? err : add_time(o, "starts_at", it->starts_at);
    err = err ? err : add_time(o, "ends_at", it->ends_at);
    if (!err)
        err = json_object_object_add(o, "sel", parse_object(it->sel_json)) == 0 ? 0 : IC_ENOMEM;
    return finish(o, err, len);
}

const char *
alert_am_name(const char *kind)
{
    if (strcmp(kind, "sensor") == 0)
        return "IPMISensorState";
    if (strcmp(kind, "sel") == 0)
        return "IPMISelEvent";
    if (strcmp(kind, "unreachable") == 0)
        return "IPMITargetUnreachable";
    return "IPMIAlert";
}

/* Alertmanager label values are strings: a config label that is not one is printed as JSON. */
static int
am_labels(struct json_object *a, const struct storage_outbox_item *it)
{
    struct json_object *l = json_object_new_object();
    if (!l || json_object_object_add(a, "labels", l) != 0) {
        json_object_put(l);
        return IC_ENOMEM;
    }
    struct json_object *cfg = parse_object(it->labels_json);
    int err = 0;
    if (cfg) {
        json_object_object_foreach(cfg, k, v)
        {
            if (!err)
                err = add_str(l, k, v ? json_object_get_string(v) : "", 0);
        }
        json_object_put(cfg);
    }
    /* Ours last: they win over a config label of the same name. */
    err = err ? err : add_str(l, "alertname", alert_am_name(it->kind), 0);
    err = err ? err : add_str(l, "target", it->target, 0);
    err = err ? err : add_str(l, "severity", it->severity, 0);
    err = err ? err : add_str(l, "kind", it->kind, 0);
    if (!err && it->sensor && *it->sensor)
        err = add_str(l, "sensor", it->sensor, 0);
    /* A one-shot event has no resolution: its key keeps two events of one sensor apart. */
    if (!err && (!it->identity || !*it->identity))
        err = add_str(l, "event_id", it->key, 0);
    return err;
}

static int
am_annotations(struct json_object *a, const struct storage_outbox_item *it)
{
    struct json_object *n = json_object_new_object();
    if (!n || json_object_object_add(a, "annotations", n) != 0) {
        json_object_put(n);
        return IC_ENOMEM;
    }
    char t[40];
    int err = add_str(n, "summary", it->summary, 0);
    if (!err && it->has_value && isfinite(it->value)) {
        fmt_num(it->value, t, sizeof(t));
        err = add_str(n, "value", t, 0);
    }
    if (!err && it->has_threshold && isfinite(it->threshold)) {
        fmt_num(it->threshold, t, sizeof(t));
        err = add_str(n, "threshold", t, 0);
    }
    return err;
}

static int
am_alert(struct json_object *arr, const struct storage_outbox_item *it, uint64_t now_ms,
         uint64_t resend_ms)
{
    struct json_object *a = json_object_new_object();
    if (!a || json_object_array_add(arr, a) != 0) {
        json_object_put(a);
        return IC_ENOMEM;
    }
    uint64_t ahead = ALERT_AM_ENDS_RESENDS * (resend_ms ? resend_ms : 60000u), ends;
    if (strcmp(it->status, "resolved") == 0)
        ends = it->ends_at ? it->ends_at : now_ms;
    else if (!it->identity || !*it->identity)
        ends = it->starts_at + ahead;
    else
        ends = now_ms + ahead;
    int err = am_labels(a, it);
    err = err ? err : am_annotations(a, it);
    err = err ? err : add_time(a, "startsAt", it->starts_at ? it->starts_at : now_ms);
    err = err ? err : add_time(a, "endsAt", ends);
    return err;
}

char *
alert_am_body(const struct storage_outbox_item *const *v, size_t n, uint64_t now_ms,
              uint64_t resend_ms, size_t *len)
{
    struct json_object *arr = json_object_new_array();
    if (!arr)
        return NULL;
    int err = 0;
    for (size_t i = 0; i < n && !err; i++)
        err = am_alert(arr, v[i], now_ms, resend_ms);
    return finish(arr, err, len);
}

int
alert_hmac_hex(const uint8_t *key, size_t keylen, const void *msg, size_t len, char *out)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int maclen = 0;
    /* HMAC() wants a non-NULL key even when empty. */
    static const uint8_t none[1];
    if (!HMAC(EVP_sha256(), keylen ? key : none, (int)keylen, msg, len, mac, &maclen) ||
        maclen != 32) {
        out[0] = '\0';
        return IC_EIO;
    }
    for (unsigned i = 0; i < maclen; i++) {
        out[2 * i] = hex[mac[i] >> 4];
        out[2 * i + 1] = hex[mac[i] & 15];
    }
    out[64] = '\0';
    return 0;
}
