/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rf_parse.c - pure parsers of Redfish answers (DSP0266 1.15, schemas
 * ServiceRoot, ComputerSystem, Manager, VirtualMedia, Task, and the error
 * body of DSP0266 §9.5.2): a body in, a fixed-size struct out. No I/O, no
 * allocation that outlives a call, so they are unit tested and fuzzed
 * (tests/unit/test_redfish.c, tests/fuzz/fuzz_redfish.c).
 *
 * A BMC is outside input: every string is bounded, every type checked, and
 * URIs we will later send our token to must be plain absolute paths.
 */
#include "redfish.h"
#include "ic_err.h"
#include "rf_client.h"

#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Larger answers are not something a BMC sends for these resources. */
#define RF_BODY_MAX (4u << 20)

static void
copy(char *dst, size_t dstlen, const char *src)
{
    snprintf(dst, dstlen, "%s", src ? src : "");
}

/* Parses a whole body; NULL with a message if it is not one JSON object. */
static struct json_object *
parse_obj(const char *body, size_t len, char *err, size_t errlen)
{
    if (!body || len == 0) {
        rf_seterr(err, errlen, "empty answer where a JSON object was expected");
        return NULL;
    }
    if (len > RF_BODY_MAX) {
        rf_seterr(err, errlen, "answer of %zu bytes is too large", len);
        return NULL;
    }
    struct json_tokener *tok = json_tokener_new();
    if (!tok) {
        rf_seterr(err, errlen, "out of memory");
        return NULL;
    }
    struct json_object *o = json_tokener_parse_ex(tok, body, (int)len);
    enum json_tokener_error je = json_tokener_get_error(tok);
    size_t end = o ? json_tokener_get_parse_end(tok) : 0;
    while (o && end < len && strchr(" \t\r\n", body[end]) && body[end])
        end++;
    if (!o || je != json_tokener_success || end < len) {
        rf_seterr(err, errlen, "malformed JSON in answer: %s",
                  o                             ? "data after the object"
                  : je == json_tokener_continue ? "truncated"
                                                : json_tokener_error_desc(je));
        json_object_put(o);
        o = NULL;
    } else if (!json_object_is_type(o, json_type_object)) {
        rf_seterr(err, errlen, "answer is JSON but not an object");
        json_object_put(o);
        o = NULL;
    }
    json_tokener_free(tok);
    return o;
}

static struct json_object *
member(struct json_object *o, const char *key, enum json_type t)
{
    struct json_object *v = NULL;
    if (!o || !json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, key, &v) ||
        !json_object_is_type(v, t))
        return NULL;
    return v;
}

static const char *
str(struct json_object *o, const char *key)
{
    struct json_object *v = member(o, key, json_type_string);
    return v ? json_object_get_string(v) : NULL;
}

/* Copies o[key] if it is a string; returns 1 if it was. */
static int
get_str(struct json_object *o, const char *key, char *dst, size_t dstlen)
{
    const char *s = str(o, key);
    copy(dst, dstlen, s);
    return s != NULL;
}

/* An absolute path we may send our token to: "/...", printable, no spaces. */
static int
uri_ok(const char *s, size_t max)
{
    if (!s || s[0] != '/' || strlen(s) >= max)
        return 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p <= 0x20 || *p >= 0x7f)
            return 0;
    return 1;
}

/* o[key]["@odata.id"] if it is an acceptable URI (or o["@odata.id"] when key is NULL). */
static void
get_link(struct json_object *o, const char *key, char *dst, size_t dstlen)
{
    struct json_object *l = key ? member(o, key, json_type_object) : o;
    const char *s = str(l, "@odata.id");
    copy(dst, dstlen, uri_ok(s, dstlen) ? s : NULL);
}

/* Actions["#name"].target. */
static void
get_action(struct json_object *o, const char *name, char *dst, size_t dstlen)
{
    struct json_object *a = member(member(o, "Actions", json_type_object), name, json_type_object);
    const char *s = str(a, "target");
    copy(dst, dstlen, uri_ok(s, dstlen) ? s : NULL);
}

static unsigned
get_allowed(struct json_object *o, const char *key, char (*dst)[24], unsigned max)
{
    struct json_object *arr = member(o, key, json_type_array);
    unsigned n = 0;
    size_t len = arr ? json_object_array_length(arr) : 0;
    for (size_t i = 0; i < len && n < max; i++) {
        struct json_object *v = json_object_array_get_idx(arr, i);
        if (json_object_is_type(v, json_type_string))
            copy(dst[n++], 24, json_object_get_string(v));
    }
    return n;
}

int
rf_parse_root(const char *body, size_t len, struct rf_root *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof(*out));
    struct json_object *o = parse_obj(body, len, err, errlen);
    if (!o)
        return IC_EPROTO;
    get_link(o, "Systems", out->systems, sizeof(out->systems));
    get_link(o, "Managers", out->managers, sizeof(out->managers));
    get_link(member(o, "Links", json_type_object), "Sessions", out->sessions,
             sizeof(out->sessions));
    int rc = 0;
    if (!out->systems[0] && !out->managers[0]) {
        rf_seterr(err, errlen,
                  "service root lists neither Systems nor Managers (not a Redfish service?)");
        rc = IC_EPROTO;
    }
    json_object_put(o);
    return rc;
}

int
rf_parse_members(const char *body, size_t len, struct rf_members *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof(*out));
    struct json_object *o = parse_obj(body, len, err, errlen);
    if (!o)
        return IC_EPROTO;
    struct json_object *arr = member(o, "Members", json_type_array);
    int rc = 0;
    if (!arr) {
        rf_seterr(err, errlen, "collection has no Members array");
        rc = IC_EPROTO;
        goto out;
    }
    size_t n = json_object_array_length(arr);
    for (size_t i = 0; i < n && out->n < RF_MEMBERS_MAX; i++) {
        char uri[RF_URI_MAX];
        get_link(json_object_array_get_idx(arr, i), NULL, uri, sizeof(uri));
        if (uri[0])
            copy(out->uri[out->n++], RF_URI_MAX, uri);
    }
out:
    json_object_put(o);
    return rc;
}

int
rf_parse_system(const char *body, size_t len, struct rf_system_doc *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof(*out));
    struct json_object *o = parse_obj(body, len, err, errlen);
    if (!o)
        return IC_EPROTO;
    struct rf_system *s = &out->sys;
    int rc = 0;
    if (!get_str(o, "PowerState", s->power_state, sizeof(s->power_state))) {
        rf_seterr(err, errlen, "ComputerSystem has no PowerState");
        rc = IC_EPROTO;
        goto out;
    }
    struct json_object *boot = member(o, "Boot", json_type_object);
    get_str(boot, "BootSourceOverrideEnabled", s->boot_enabled, sizeof(s->boot_enabled));
    get_str(boot, "BootSourceOverrideTarget", s->boot_target, sizeof(s->boot_target));
    out->n_boot_allowed = get_allowed(boot, "BootSourceOverrideTarget@Redfish.AllowableValues",
                                      out->boot_allowed, RF_ALLOWED_MAX);
    get_str(o, "UUID", s->uuid, sizeof(s->uuid));
    get_str(o, "Manufacturer", s->manufacturer, sizeof(s->manufacturer));
    get_str(o, "Model", s->model, sizeof(s->model));
    get_str(o, "SerialNumber", s->serial, sizeof(s->serial));
    get_action(o, "#ComputerSystem.Reset", out->reset_target, sizeof(out->reset_target));
    struct json_object *reset =
        member(member(o, "Actions", json_type_object), "#ComputerSystem.Reset", json_type_object);
    out->n_reset_allowed =
        get_allowed(reset, "ResetType@Redfish.AllowableValues", out->reset_allowed, RF_ALLOWED_MAX);
    get_link(o, "VirtualMedia", out->vmedia, sizeof(out->vmedia));
    get_str(o, "@odata.etag", out->etag, sizeof(out->etag));
out:
    json_object_put(o);
    return rc;
}

int
rf_parse_manager(const char *body, size_t len, char *vmedia, size_t vmedialen, char *err,
                 size_t errlen)
{
    copy(vmedia, vmedialen, NULL);
    struct json_object *o = parse_obj(body, len, err, errlen);
    if (!o)
        return IC_EPROTO;
    get_link(o, "VirtualMedia", vmedia, vmedialen);
    json_object_put(o);
    return 0;
}

int
rf_parse_media(const char *body, size_t len, struct rf_media_doc *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof(*out));
    struct json_object *o = parse_obj(body, len, err, errlen);
    if (!o)
        return IC_EPROTO;
    struct rf_media *m = &out->m;
    get_str(o, "Id", m->slot, sizeof(m->slot));
    get_link(o, NULL, m->media_path, sizeof(m->media_path));
    struct json_object *ins = member(o, "Inserted", json_type_boolean);
    get_str(o, "Image", m->image, sizeof(m->image));
    /* Without Inserted, a non-empty Image is the only hint (older BMCs). */
    m->inserted = ins ? json_object_get_boolean(ins) : m->image[0] != '\0';
    struct json_object *types = member(o, "MediaTypes", json_type_array);
    size_t n = types ? json_object_array_length(types) : 0;
    for (size_t i = 0; i < n; i++) {
        struct json_object *t = json_object_array_get_idx(types, i);
        const char *ts = json_object_is_type(t, json_type_string) ? json_object_get_string(t) : "";
        if (strcmp(ts, "CD") == 0 || strcmp(ts, "DVD") == 0)
            out->cd_capable = 1;
    }
    get_action(o, "#VirtualMedia.InsertMedia", out->insert_target, sizeof(out->insert_target));
    get_action(o, "#VirtualMedia.EjectMedia", out->eject_target, sizeof(out->eject_target));
    get_str(o, "@odata.etag", out->etag, sizeof(out->etag));
    json_object_put(o);
    return 0;
}

/* "Base.1.16.0.ResourceInUse" -> "ResourceInUse". */
static const char *
short_id(const char *id)
{
    const char *dot = strrchr(id, '.');
    return dot && dot[1] ? dot + 1 : id;
}

/* Appends "Id: Message" of each entry of a Messages-style array. */
static void
append_messages(struct json_object *arr, char *msg, size_t msglen)
{
    size_t n = arr ? json_object_array_length(arr) : 0;
    for (size_t i = 0; i < n; i++) {
        struct json_object *e = json_object_array_get_idx(arr, i);
        const char *id = str(e, "MessageId");
        const char *text = str(e, "Message");
        if (!id && !text)
            continue;
        size_t used = strlen(msg);
        if (used + 1 >= msglen)
            return;
        snprintf(msg + used, msglen - used, "%s%s%s%s", used ? "; " : "", id ? short_id(id) : "",
                 id && text ? ": " : "", text ? text : "");
    }
}

int
rf_parse_error(const char *body, size_t len, char *msg, size_t msglen)
{
    copy(msg, msglen, NULL);
    struct json_object *o = parse_obj(body, len, NULL, 0);
    if (!o)
        return IC_EPROTO;
    struct json_object *e = member(o, "error", json_type_object);
    int rc = 0;
    if (!e) {
        rc = IC_EPROTO;
        goto out;
    }
    append_messages(member(e, "@Message.ExtendedInfo", json_type_array), msg, msglen);
    if (!msg[0]) {
        const char *code = str(e, "code");
        const char *text = str(e, "message");
        snprintf(msg, msglen, "%s%s%s", code ? short_id(code) : "", code && text ? ": " : "",
                 text ? text : "");
    }
    if (!msg[0])
        copy(msg, msglen, "(error body without a message)");
out:
    json_object_put(o);
    return rc;
}

int
rf_parse_task(const char *body, size_t len, struct rf_task *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof(*out));
    struct json_object *o = parse_obj(body, len, err, errlen);
    if (!o)
        return IC_EPROTO;
    int rc = 0;
    if (!get_str(o, "TaskState", out->task_state, sizeof(out->task_state))) {
        rf_seterr(err, errlen, "task has no TaskState");
        rc = IC_EPROTO;
        goto out;
    }
    static const char *const done[] = {"Completed"};
    static const char *const failed[] = {"Exception", "Killed", "Cancelled", "Interrupted"};
    out->state = RF_TASK_RUNNING;
    for (size_t i = 0; i < sizeof(done) / sizeof(done[0]); i++)
        if (strcmp(out->task_state, done[i]) == 0)
            out->state = RF_TASK_DONE;
    for (size_t i = 0; i < sizeof(failed) / sizeof(failed[0]); i++)
        if (strcmp(out->task_state, failed[i]) == 0)
            out->state = RF_TASK_FAILED;
    /* TaskStatus Critical with Completed is a failure too (DSP0266 §12.2). */
    const char *status = str(o, "TaskStatus");
    if (out->state == RF_TASK_DONE && status && strcmp(status, "Critical") == 0)
        out->state = RF_TASK_FAILED;
    append_messages(member(o, "Messages", json_type_array), out->message, sizeof(out->message));
out:
    json_object_put(o);
    return rc;
}

void
rf_seterr(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    if (!err || errlen == 0)
        return;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}
