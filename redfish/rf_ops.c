/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rf_ops.c - what the Redfish client does with a BMC: find the system and a
 * virtual media slot from the service root, read the system, reset it
 * (ComputerSystem.Reset) and confirm the power state, set the boot override
 * (PATCH with If-Match, read back), insert and eject virtual media
 * (InsertMedia/EjectMedia actions, or PATCH on BMCs that list no actions;
 * 202 + task monitor waited for; read back).
 */
#include "rf_client.h"
#include "ic_err.h"
#include "clock.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define RF_CONFIRM_POLL_MS 500u

/* Parse failure of a resource at path -> IC_EPROTO naming it. */
static int
bad_answer(const char *path, const char *perr, char *err, size_t errlen)
{
    rf_seterr(err, errlen, "%s: unexpected answer: %s", path, perr);
    return IC_EPROTO;
}

/* GET path and its Members; the first one. */
static int
first_member(struct rf_client *c, const char *path, const char *what, char *dst, char *err,
             size_t errlen)
{
    struct rf_resp r = {0};
    struct rf_members m;
    char perr[160];
    int rc = rf_http(c, "GET", path, NULL, NULL, &r, what, err, errlen);
    if (rc == 0 && (rc = rf_parse_members(r.body, r.len, &m, perr, sizeof(perr))) != 0)
        rc = bad_answer(path, perr, err, errlen);
    if (rc == 0 && m.n == 0) {
        rf_seterr(err, errlen, "%s: %s lists no members", what, path);
        rc = IC_EPROTO;
    }
    if (rc == 0)
        snprintf(dst, RF_URI_MAX, "%s", m.uri[0]);
    rf_resp_free(&r);
    return rc;
}

static int
find_system(struct rf_client *c, char *err, size_t errlen)
{
    int rc;
    if (c->system[0])
        return 0;
    if ((rc = rf_get_root(c, err, errlen)) != 0)
        return rc;
    if (!c->root.systems[0]) {
        rf_seterr(err, errlen, "%s: the service root lists no Systems", c->base);
        return IC_EPROTO;
    }
    /* One system per BMC is the norm; a multi-node chassis is not handled (first member). */
    return first_member(c, c->root.systems, "Systems", c->system, err, errlen);
}

/* GET the system; r keeps the answer (for its ETag). */
static int
get_system(struct rf_client *c, struct rf_system_doc *d, struct rf_resp *r, char *err,
           size_t errlen)
{
    char perr[160];
    int rc = find_system(c, err, errlen);
    if (rc)
        return rc;
    if ((rc = rf_http(c, "GET", c->system, NULL, NULL, r, "read system", err, errlen)) != 0)
        return rc;
    if ((rc = rf_parse_system(r->body, r->len, d, perr, sizeof(perr))) != 0)
        return bad_answer(c->system, perr, err, errlen);
    return 0;
}

int
rf_system_get(struct rf_client *c, struct rf_system *out, char *err, size_t errlen)
{
    struct rf_system_doc d;
    struct rf_resp r = {0};
    memset(out, 0, sizeof(*out));
    int rc = get_system(c, &d, &r, err, errlen);
    if (rc == 0)
        *out = d.sys;
    rf_resp_free(&r);
    return rc;
}

/* ---- power ---------------------------------------------------------------- */

static const struct {
    const char *action, *reset_type, *want;
} power_map[] = {
    {"on", "On", "On"},
    {"off", "ForceOff", "Off"},
    {"cycle", "PowerCycle", "On"},
    {"reset", "ForceRestart", "On"},
    {"soft", "GracefulShutdown", "Off"},
};

static int
allowed(char (*list)[24], unsigned n, const char *v)
{
    if (n == 0)
        return 1; /* not advertised: let the BMC decide */
    for (unsigned i = 0; i < n; i++)
        if (strcmp(list[i], v) == 0)
            return 1;
    return 0;
}

static void
join_allowed(char (*list)[24], unsigned n, char *dst, size_t dstlen)
{
    dst[0] = '\0';
    for (unsigned i = 0; i < n; i++) {
        size_t u = strlen(dst);
        snprintf(dst + u, dstlen - u, "%s%s", i ? ", " : "", list[i]);
    }
}

int
rf_power(struct rf_client *c, const char *action, unsigned confirm_ms, struct rf_system *after,
         char *err, size_t errlen)
{
    struct rf_system_doc d;
    struct rf_resp r = {0};
    char body[64], what[64], list[RF_ALLOWED_MAX * 26];
    size_t i;
    int rc;

    if (after)
        memset(after, 0, sizeof(*after));
    for (i = 0; i < sizeof(power_map) / sizeof(power_map[0]); i++)
        if (action && strcmp(action, power_map[i].action) == 0)
            break;
    if (i == sizeof(power_map) / sizeof(power_map[0])) {
        rf_seterr(err, errlen, "unknown power action '%s' (on, off, cycle, reset, soft)",
                  action ? action : "");
        return IC_EINVAL;
    }
    const char *type = power_map[i].reset_type;
    if ((rc = get_system(c, &d, &r, err, errlen)) != 0)
        goto out;
    if (!d.reset_target[0]) {
        rf_seterr(err, errlen, "%s: the system has no #ComputerSystem.Reset action", c->system);
        rc = IC_EPROTO;
        goto out;
    }
    if (!allowed(d.reset_allowed, d.n_reset_allowed, type)) {
        join_allowed(d.reset_allowed, d.n_reset_allowed, list, sizeof(list));
        rf_seterr(err, errlen, "power %s: this BMC does not offer ResetType %s (it offers: %s)",
                  action, type, list);
        rc = IC_EINVAL;
        goto out;
    }
    snprintf(body, sizeof(body), "{\"ResetType\":\"%s\"}", type);
    snprintf(what, sizeof(what), "Reset %s", type);
    if ((rc = rf_http(c, "POST", d.reset_target, body, NULL, &r, what, err, errlen)) != 0)
        goto out;
    if (r.status == 202 && r.location[0]) {
        char mon[RF_URI_MAX];
        snprintf(mon, sizeof(mon), "%s", r.location);
        if ((rc = rf_wait_task(c, mon, what, err, errlen)) != 0)
            goto out;
    }
    uint64_t deadline = clock_mono_ms() + confirm_ms;
    for (;;) {
        rf_resp_free(&r);
        if ((rc = get_system(c, &d, &r, err, errlen)) != 0)
            goto out;
        if (confirm_ms == 0 || strcmp(d.sys.power_state, power_map[i].want) == 0)
            break;
        if (clock_mono_ms() >= deadline) {
            rf_seterr(err, errlen, "power %s: sent %s, but PowerState is still %s after %u ms",
                      action, type, d.sys.power_state, confirm_ms);
            rc = IC_ETIMEDOUT;
            break;
        }
        rf_sleep_ms(RF_CONFIRM_POLL_MS);
    }
    if (after)
        *after = d.sys;
out:
    rf_resp_free(&r);
    return rc;
}

/* ---- boot override ---------------------------------------------------------- */

static const struct {
    const char *device, *target;
} boot_map[] = {
    {"pxe", "Pxe"}, {"disk", "Hdd"}, {"cdrom", "Cd"}, {"bios", "BiosSetup"}, {"none", "None"},
};

/* The ETag to send: the header's, else the body's @odata.etag. */
static const char *
etag_of(const struct rf_resp *r, const char *body_etag)
{
    if (r->etag[0])
        return r->etag;
    return body_etag[0] ? body_etag : NULL;
}

int
rf_boot_override(struct rf_client *c, const char *device, int once, char *err, size_t errlen)
{
    struct rf_system_doc d;
    struct rf_resp r = {0};
    char body[160], list[RF_ALLOWED_MAX * 26], etag[RF_ETAG_MAX];
    size_t i;
    int rc;

    for (i = 0; i < sizeof(boot_map) / sizeof(boot_map[0]); i++)
        if (device && strcmp(device, boot_map[i].device) == 0)
            break;
    if (i == sizeof(boot_map) / sizeof(boot_map[0])) {
        rf_seterr(err, errlen, "unknown boot device '%s' (pxe, disk, cdrom, bios, none)",
                  device ? device : "");
        return IC_EINVAL;
    }
    const char *target = boot_map[i].target;
    const char *enabled = strcmp(target, "None") == 0 ? "Disabled" : once ? "Once" : "Continuous";
    snprintf(
        body, sizeof(body),
        "{\"Boot\":{\"BootSourceOverrideEnabled\":\"%s\",\"BootSourceOverrideTarget\":\"%s\"}}",
        enabled, target);
    /* A 412 means someone changed the system between our GET and PATCH: read again, once. */
    for (int attempt = 0; attempt < 2; attempt++) {
        rf_resp_free(&r);
        if ((rc = get_system(c, &d, &r, err, errlen)) != 0)
            goto out;
        if (!allowed(d.boot_allowed, d.n_boot_allowed, target)) {
            join_allowed(d.boot_allowed, d.n_boot_allowed, list, sizeof(list));
            rf_seterr(err, errlen, "boot %s: this BMC does not offer target %s (it offers: %s)",
                      device, target, list);
            rc = IC_EINVAL;
            goto out;
        }
        const char *tag = etag_of(&r, d.etag);
        snprintf(etag, sizeof(etag), "%s", tag ? tag : "");
        rc = rf_http(c, "PATCH", c->system, body, etag[0] ? etag : NULL, &r, "boot override", err,
                     errlen);
        if (!(rc && r.status == 412))
            break;
    }
    if (rc)
        goto out;
    rf_resp_free(&r);
    if ((rc = get_system(c, &d, &r, err, errlen)) != 0)
        goto out;
    int target_ok = strcmp(d.sys.boot_target, target) == 0 || strcmp(target, "None") == 0;
    if (strcmp(d.sys.boot_enabled, enabled) != 0 || !target_ok) {
        rf_seterr(err, errlen,
                  "boot %s: the BMC accepted the override but reads back %s %s (wanted %s %s)",
                  device, d.sys.boot_enabled, d.sys.boot_target, enabled, target);
        rc = IC_EPROTO;
    }
out:
    rf_resp_free(&r);
    return rc;
}

/* ---- virtual media ---------------------------------------------------------- */

/* The virtual media collection: the System's (current schema), else the Manager's. */
static int
find_vmedia_collection(struct rf_client *c, char *coll, char *err, size_t errlen)
{
    struct rf_system_doc d;
    struct rf_resp r = {0};
    char perr[160], mgr[RF_URI_MAX];
    int rc;

    coll[0] = '\0';
    if (c->root.systems[0] || !c->have_root) {
        rc = get_system(c, &d, &r, err, errlen);
        rf_resp_free(&r);
        if (rc && rc != IC_EPROTO)
            return rc;
        if (rc == 0 && d.vmedia[0]) {
            snprintf(coll, RF_URI_MAX, "%s", d.vmedia);
            return 0;
        }
    }
    if (!c->root.managers[0]) {
        rf_seterr(err, errlen, "%s: neither the System nor a Manager has VirtualMedia", c->base);
        return IC_EPROTO;
    }
    if ((rc = first_member(c, c->root.managers, "Managers", mgr, err, errlen)) != 0)
        return rc;
    if ((rc = rf_http(c, "GET", mgr, NULL, NULL, &r, "read manager", err, errlen)) == 0) {
        if (rf_parse_manager(r.body, r.len, coll, RF_URI_MAX, perr, sizeof(perr)) != 0)
            rc = bad_answer(mgr, perr, err, errlen);
        else if (!coll[0]) {
            rf_seterr(err, errlen,
                      "%s: this BMC offers no VirtualMedia (neither System nor Manager)", c->base);
            rc = IC_EPROTO;
        }
    }
    rf_resp_free(&r);
    return rc;
}

static int
get_media(struct rf_client *c, const char *path, struct rf_media_doc *m, struct rf_resp *r,
          char *err, size_t errlen)
{
    char perr[160];
    int rc = rf_http(c, "GET", path, NULL, NULL, r, "read virtual media", err, errlen);
    if (rc == 0 && (rc = rf_parse_media(r->body, r->len, m, perr, sizeof(perr))) != 0)
        rc = bad_answer(path, perr, err, errlen);
    if (rc == 0 && !m->m.media_path[0])
        snprintf(m->m.media_path, sizeof(m->m.media_path), "%s", path);
    return rc;
}

/* Finds (once) and reads the CD-capable slot, else the first. */
static int
slot(struct rf_client *c, struct rf_media_doc *out, struct rf_resp *r, char *err, size_t errlen)
{
    char coll[RF_URI_MAX], perr[160];
    struct rf_members mem;
    int rc;

    if (c->media[0])
        return get_media(c, c->media, out, r, err, errlen);
    if ((rc = find_vmedia_collection(c, coll, err, errlen)) != 0)
        return rc;
    if ((rc = rf_http(c, "GET", coll, NULL, NULL, r, "list virtual media", err, errlen)) != 0)
        return rc;
    if ((rc = rf_parse_members(r->body, r->len, &mem, perr, sizeof(perr))) != 0)
        return bad_answer(coll, perr, err, errlen);
    if (mem.n == 0) {
        rf_seterr(err, errlen, "%s: no virtual media slots", coll);
        return IC_EPROTO;
    }
    char first[RF_URI_MAX] = "";
    for (unsigned i = 0; i < mem.n; i++) {
        rf_resp_free(r);
        if ((rc = get_media(c, mem.uri[i], out, r, err, errlen)) != 0)
            return rc;
        if (!first[0])
            snprintf(first, sizeof(first), "%s", mem.uri[i]);
        if (out->cd_capable) {
            snprintf(c->media, sizeof(c->media), "%s", mem.uri[i]);
            return 0;
        }
    }
    snprintf(c->media, sizeof(c->media), "%s", first);
    rf_resp_free(r);
    return get_media(c, c->media, out, r, err, errlen);
}

int
rf_media_status(struct rf_client *c, struct rf_media *out, char *err, size_t errlen)
{
    struct rf_media_doc m;
    struct rf_resp r = {0};
    memset(out, 0, sizeof(*out));
    int rc = slot(c, &m, &r, err, errlen);
    if (rc == 0)
        *out = m.m;
    rf_resp_free(&r);
    return rc;
}

/* Sends body as the action (POST target) or as a PATCH of the slot; waits for a task. */
static int
media_change(struct rf_client *c, const struct rf_media_doc *m, const struct rf_resp *got,
             const char *target, const char *body, const char *what, char *err, size_t errlen)
{
    struct rf_resp r = {0};
    char etag[RF_ETAG_MAX] = "";
    int rc;
    if (target[0]) {
        rc = rf_http(c, "POST", target, body, NULL, &r, what, err, errlen);
    } else {
        const char *tag = etag_of(got, m->etag);
        snprintf(etag, sizeof(etag), "%s", tag ? tag : "");
        rc = rf_http(c, "PATCH", m->m.media_path, body, etag[0] ? etag : NULL, &r, what, err,
                     errlen);
    }
    if (rc == 0 && r.status == 202 && r.location[0]) {
        char mon[RF_URI_MAX];
        snprintf(mon, sizeof(mon), "%s", r.location);
        rc = rf_wait_task(c, mon, what, err, errlen);
    }
    rf_resp_free(&r);
    return rc;
}

/* Appends s as a JSON string; the image URL is the only caller-given text sent. */
static int
json_url(char *dst, size_t dstlen, const char *s)
{
    size_t u = 0;
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (u + 8 >= dstlen || ch < 0x20 || ch == 0x7f)
            return -1;
        if (ch == '"' || ch == '\\')
            dst[u++] = '\\';
        dst[u++] = (char)ch;
    }
    dst[u] = '\0';
    return 0;
}

int
rf_media_insert(struct rf_client *c, const char *image_url, char *err, size_t errlen)
{
    struct rf_media_doc m;
    struct rf_resp r = {0};
    char esc[1100], body[1300];
    int rc;

    if (!image_url ||
        (strncmp(image_url, "http://", 7) != 0 && strncmp(image_url, "https://", 8) != 0)) {
        rf_seterr(err, errlen, "image '%s' must be an http:// or https:// URL",
                  image_url ? image_url : "");
        return IC_EINVAL;
    }
    if (strlen(image_url) >= sizeof(m.m.image) || json_url(esc, sizeof(esc), image_url)) {
        rf_seterr(err, errlen, "image URL too long or has control characters");
        return IC_EINVAL;
    }
    if ((rc = slot(c, &m, &r, err, errlen)) != 0)
        goto out;
    int action = m.insert_target[0] != '\0';
    snprintf(body, sizeof(body), "{\"Image\":\"%s\",\"Inserted\":true,\"WriteProtected\":true}",
             esc);
    rc = media_change(c, &m, &r, m.insert_target, body, action ? "InsertMedia" : "PATCH Image", err,
                      errlen);
    if (rc)
        goto out;
    rf_resp_free(&r);
    if ((rc = get_media(c, c->media, &m, &r, err, errlen)) != 0)
        goto out;
    if (!m.m.inserted || strcmp(m.m.image, image_url) != 0) {
        rf_seterr(err, errlen,
                  "insert: the BMC accepted the image but %s reads back Inserted=%s Image='%s'",
                  m.m.slot, m.m.inserted ? "true" : "false", m.m.image);
        rc = IC_EPROTO;
    }
out:
    rf_resp_free(&r);
    return rc;
}

int
rf_media_eject(struct rf_client *c, char *err, size_t errlen)
{
    struct rf_media_doc m;
    struct rf_resp r = {0};
    int rc;
    if ((rc = slot(c, &m, &r, err, errlen)) != 0)
        goto out;
    if (m.eject_target[0])
        rc = media_change(c, &m, &r, m.eject_target, "{}", "EjectMedia", err, errlen);
    else
        rc = media_change(c, &m, &r, "", "{\"Image\":null,\"Inserted\":false}", "PATCH eject", err,
                          errlen);
    if (rc)
        goto out;
    rf_resp_free(&r);
    if ((rc = get_media(c, c->media, &m, &r, err, errlen)) != 0)
        goto out;
    if (m.m.inserted) {
        rf_seterr(err, errlen, "eject: the BMC accepted it but %s still reads Inserted=true",
                  m.m.slot);
        rc = IC_EPROTO;
    }
out:
    rf_resp_free(&r);
    return rc;
}
