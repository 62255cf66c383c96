/* SPDX-License-Identifier: Apache-2.0 */
/*
 * target_steps.c - the steps of one poll (target.c starts and ends it).
 *
 * A poll is a chain of steps over the target's kept-open session, one
 * request in flight at a time (the session bounds it): device ID, GUID and
 * FRU (at start, then daily), the SDR repository's timestamps (at start,
 * then every sdr_refresh; records re-read only if they changed), a sensor
 * sweep, chassis status, DCMI power, SEL info and, when it moved, the new
 * SEL records after the stored cursor. Each answer goes into the snapshot
 * the poll builds and into rows for storage.
 *
 * A step the BMC refuses (completion code, malformed answer) marks that
 * collector failed and the poll goes on; an error of the session itself
 * ends the poll.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "ic_err.h"
#include "storage.h"
#include "target_int.h"

/* ---- step results --------------------------------------------------------- */

static int
is_session_error(int err)
{
    return err != IC_ECC && err != IC_EPROTO && err != IC_EINVAL;
}

/* Records a failed step; returns 1 when the poll must end (a session error). */
static int
step_failed(struct target *t, int err, const char *what, uint8_t cc)
{
    t->last_err = err;
    if (err == IC_ECC)
        snprintf(t->errmsg, sizeof(t->errmsg), "%s: %s (0x%02x)", what, ipmi_cc_str(cc), cc);
    else if (t->s)
        snprintf(t->errmsg, sizeof(t->errmsg), "%s: %s", what, ipmi_session_errmsg(t->s));
    else
        snprintf(t->errmsg, sizeof(t->errmsg), "%s: %s", what, ic_strerror(err));
    if (err < 0 && -err < IC_ERR_COUNT)
        t->next->errors[-err]++;
    if (is_session_error(err)) {
        t->fatal = err;
        return 1;
    }
    return 0;
}

/* Common entry of every callback: 1 if the target is being removed (the step is dropped). */
static int
leaving(struct target *t)
{
    if (!t->removing)
        return 0;
    t->busy = 0;
    target_removal_continue(t);
    return 1;
}

static void
step_done(struct target *t, int fatal)
{
    if (fatal)
        t->step = ST_END - 1;
    target_advance(t);
}

/* Response of a plain request: 0 and the response, or a handled failure (-1). */
static int
plain_ok(struct target *t, int err, const struct ipmi_resp *rsp, const char *what)
{
    if (err == 0 && rsp->cc != 0)
        err = IC_ECC;
    if (err == 0)
        return 0;
    step_done(t, step_failed(t, err, what, rsp ? rsp->cc : 0));
    return -1;
}

static void
on_devid(void *arg, int err, const struct ipmi_resp *rsp)
{
    struct target *t = arg;
    if (leaving(t) || plain_ok(t, err, rsp, "Get Device ID") != 0) {
        if (!t->removing)
            t->bmc_ok = 0;
        return;
    }
    if (ipmi_decode_devid(rsp->data, rsp->len, &t->next->devid) != 0) {
        t->bmc_ok = 0;
        step_done(t, step_failed(t, IC_EPROTO, "Get Device ID: malformed answer", 0));
        return;
    }
    t->next->has_devid = 1;
    ipmi_devid_fw_str(&t->next->devid, t->next->firmware, sizeof(t->next->firmware));
    t->bmc_ok = 1;
    t->inv_ms = poller_loop_now(t->pl);
    step_done(t, 0);
}

static void
on_guid(void *arg, int err, const struct ipmi_resp *rsp)
{
    struct target *t = arg;
    if (leaving(t))
        return;
    uint8_t g[16];
    /* Optional: a BMC without a GUID is not failing. */
    if (err == 0 && rsp->cc == 0 && ipmi_decode_guid(rsp->data, rsp->len, g) == 0)
        ipmi_guid_str(g, t->next->guid);
    else if (err != 0 && is_session_error(err)) {
        step_done(t, step_failed(t, err, "Get System GUID", 0));
        return;
    }
    step_done(t, 0);
}

static void
on_sysfw(void *arg, int err, const struct ipmi_resp *rsp)
{
    struct target *t = arg;
    if (leaving(t))
        return;
    if (err != 0 && is_session_error(err)) {
        step_done(t, step_failed(t, err, "Get System Info Parameters", 0));
        return;
    }
    /* Parameter 1, set 0: revision, set selector, encoding, length, then up to 14 bytes. */
    snprintf(t->next->system_fw, sizeof(t->next->system_fw), "N/A");
    if (err == 0 && rsp->cc == 0 && rsp->len >= 4 && (rsp->data[2] & 0x0F) <= 2) {
        size_t n = rsp->data[3];
        size_t have = rsp->len - 4;
        if (n > have)
            n = have;
        if (n > 0 && n < sizeof(t->next->system_fw)) {
            memcpy(t->next->system_fw, rsp->data + 4, n);
            t->next->system_fw[n] = '\0';
        }
    }
    step_done(t, 0);
}

static void
copy_field(char *dst, const struct ipmi_fru_field *f)
{
    snprintf(dst, IPMI_FRU_TEXT_MAX + 1, "%s", f->text);
}

static void
on_fru(void *arg, int err, const uint8_t *img, size_t len)
{
    struct target *t = arg;
    if (leaving(t))
        return;
    struct snap_target *n = t->next;
    if (err == 0) {
        struct ipmi_fru f;
        if (ipmi_fru_decode(img, len, &f) == 0) {
            n->has_fru = 1;
            copy_field(n->fru.board_manufacturer, &f.board_mfg);
            copy_field(n->fru.board_product, &f.board_product);
            copy_field(n->fru.board_serial, &f.board_serial);
            copy_field(n->fru.board_part, &f.board_part);
            copy_field(n->fru.product_manufacturer, &f.product_mfg);
            copy_field(n->fru.product_name, &f.product_name);
            copy_field(n->fru.product_serial, &f.product_serial);
            copy_field(n->fru.product_part, &f.product_part);
            copy_field(n->fru.chassis_serial, &f.chassis_serial);
            if (t->ctx->st)
                storage_put_inventory(t->ctx->st, t->spec->name, clock_wall_ms(),
                                      n->has_devid ? &n->devid : NULL, n->guid[0] ? n->guid : NULL,
                                      &f);
        } else {
            err = IC_EPROTO;
        }
    }
    if (err != 0) {
        /* The identity still goes in: a BMC without FRU data is common. */
        if (t->ctx->st && n->has_devid)
            storage_put_inventory(t->ctx->st, t->spec->name, clock_wall_ms(), &n->devid,
                                  n->guid[0] ? n->guid : NULL, NULL);
        step_done(t, step_failed(t, err, "FRU 0", 0));
        return;
    }
    step_done(t, 0);
}

static void
on_sdr(void *arg, int err, struct ipmi_sdr_cache *cache)
{
    struct target *t = arg;
    if (leaving(t))
        return;
    if (err != 0) {
        step_done(t, step_failed(t, err, "SDR repository", 0));
        return;
    }
    t->sdr_checked_ms = poller_loop_now(t->pl);
    if (cache != t->sdr) {
        ipmi_sdr_cache_free(t->sdr);
        t->sdr = cache;
        t->next->sdr_reads++;
        if (t->ctx->st) {
            const uint8_t *blob;
            size_t len;
            ipmi_sdr_cache_blob(cache, &blob, &len);
            storage_put_sdr(t->ctx->st, t->spec->name, blob, len);
        }
    }
    step_done(t, 0);
}

/* The SDR record of a reading: both lists are in repository order, so look near the hint. */
static const struct ipmi_sdr *
sdr_of(const struct ipmi_sdr_cache *c, const struct ipmi_reading *r, size_t *hint)
{
    size_t n = ipmi_sdr_cache_count(c);
    for (size_t k = 0; k < n; k++) {
        size_t i = (*hint + k) % n;
        const struct ipmi_sdr *d = ipmi_sdr_cache_get(c, i);
        if (d->record_id == r->record_id && d->number == r->number) {
            *hint = i + 1;
            return d;
        }
    }
    return NULL;
}

static void
on_sensors(void *arg, int err, const struct ipmi_reading *r, size_t n)
{
    struct target *t = arg;
    if (leaving(t))
        return;
    if (err != 0) {
        snap_target_set_readings(t->next, NULL, 0);
        step_done(t, step_failed(t, err, "sensor sweep", 0));
        return;
    }
    struct snap_reading *v = n ? calloc(n, sizeof(*v)) : NULL;
    struct storage_sample *smp = n ? calloc(n, sizeof(*smp)) : NULL;
    size_t k = 0, hint = 0;
    for (size_t i = 0; v && smp && i < n; i++) {
        if (!tgt_spec_wants_sensor(t->spec, r[i].name))
            continue;
        const struct ipmi_sdr *d = sdr_of(t->sdr, &r[i], &hint);
        struct snap_reading *o = &v[k];
        o->value = r[i].has_value && r[i].threshold ? r[i].value : NAN;
        o->record_id = r[i].record_id;
        o->states = r[i].states;
        o->number = r[i].number;
        o->sensor_type = r[i].sensor_type;
        o->event_type = r[i].event_type;
        o->unit_base = d ? d->unit_base : 0;
        o->threshold = (uint8_t)r[i].threshold;
        o->has_value = (uint8_t)r[i].has_value;
        o->state = (uint8_t)r[i].state;
        _Static_assert(sizeof(o->name) == sizeof(r[i].name), "sensor name sizes");
        memcpy(o->name, r[i].name, sizeof(o->name)); /* NUL-terminated by the poller */
        smp[k] = (struct storage_sample){.record_id = r[i].record_id,
                                         .number = r[i].number,
                                         .sensor_type = r[i].sensor_type,
                                         .name = r[i].name,
                                         .unit = r[i].unit,
                                         .has_value = r[i].has_value,
                                         .value = r[i].value,
                                         .state = (uint8_t)r[i].state,
                                         .states = r[i].states};
        k++;
    }
    if (n && (!v || !smp)) {
        free(v);
        free(smp);
        step_done(t, step_failed(t, IC_ENOMEM, "sensor sweep", 0));
        return;
    }
    snap_target_set_readings(t->next, v, k);
    struct alert_buf ab = {0};
    struct alert_who who = target_who(t);
    alert_buf_move(&ab, &t->held);
    alert_tracker_sweep(t->trk, t->spec->rules, &who, t->spec->debounce, r, n, t->sdr,
                        clock_wall_ms(), &ab);
    if (t->ctx->st && (k || ab.n))
        target_alerts_settle(t, &ab,
                             storage_put_samples_alerts(t->ctx->st, t->spec->name, t->start_unix_ms,
                                                        smp, k, ab.v, ab.n));
    else
        alert_buf_free(&ab);
    free(v);
    free(smp);
    t->coll_ok |= SNAP_COLL_SENSORS;
    step_done(t, 0);
}

static void
on_chassis(void *arg, int err, const struct ipmi_resp *rsp)
{
    struct target *t = arg;
    if (leaving(t))
        return;
    t->next->has_chassis = 0;
    if (plain_ok(t, err, rsp, "Get Chassis Status") != 0)
        return;
    if (ipmi_chassis_decode_status(rsp->data, rsp->len, &t->next->chassis) != 0) {
        step_done(t, step_failed(t, IC_EPROTO, "Get Chassis Status: malformed answer", 0));
        return;
    }
    t->next->has_chassis = 1;
    t->coll_ok |= SNAP_COLL_CHASSIS;
    step_done(t, 0);
}

static void
on_dcmi(void *arg, int err, const struct ipmi_resp *rsp)
{
    struct target *t = arg;
    if (leaving(t))
        return;
    t->next->has_dcmi = 0;
    if (plain_ok(t, err, rsp, "DCMI Get Power Reading") != 0)
        return;
    if (ipmi_dcmi_decode_power(rsp->data, rsp->len, &t->next->dcmi) != 0) {
        step_done(t, step_failed(t, IC_EPROTO, "DCMI Get Power Reading: malformed answer", 0));
        return;
    }
    t->next->has_dcmi = 1;
    t->coll_ok |= SNAP_COLL_DCMI;
    step_done(t, 0);
}

static void
on_selinfo(void *arg, int err, const struct ipmi_sel_info *info)
{
    struct target *t = arg;
    if (leaving(t))
        return;
    t->next->has_sel = 0;
    if (err != 0) {
        step_done(t, step_failed(t, err, "Get SEL Info", 0));
        return;
    }
    t->next->sel = *info;
    t->next->has_sel = 1;
    /* Nothing was added or erased since we last caught up: skip reading records. */
    if (t->sel_seen_valid && t->cursor.valid == (info->entries > 0) &&
        t->sel_seen.entries == info->entries && t->sel_seen.last_add == info->last_add &&
        t->sel_seen.last_erase == info->last_erase) {
        t->coll_ok |= SNAP_COLL_SEL;
        t->step = ST_SEL; /* skip it */
    }
    step_done(t, 0);
}

static void
on_sel(void *arg, int err, const struct ipmi_sel_info *info, const uint8_t (*recs)[16], size_t n,
       int reset)
{
    struct target *t = arg;
    if (leaving(t))
        return;
    if (err != 0) {
        step_done(t, step_failed(t, err, "SEL records", 0));
        return;
    }
    struct storage_sel *v = n ? calloc(n, sizeof(*v)) : NULL;
    struct ipmi_sel_entry *e = n ? calloc(n, sizeof(*e)) : NULL;
    if (n && (!v || !e)) {
        free(v);
        free(e);
        step_done(t, step_failed(t, IC_ENOMEM, "SEL records", 0));
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const uint8_t *rec = recs[i];
        const struct ipmi_sdr *sdr = NULL;
        if (rec[2] == 0x02 && t->sdr)
            sdr = ipmi_sdr_cache_find(t->sdr, rec[7], rec[8] & 0x03, rec[11]);
        if (ipmi_sel_decode(rec, 16, sdr, &e[i]) != 0) {
            memset(&e[i], 0, sizeof(e[i]));
            e[i].record_id = (uint16_t)(rec[0] | rec[1] << 8);
            snprintf(e[i].event, sizeof(e[i].event), "undecodable record");
        }
        v[i] = (struct storage_sel){.record_id = e[i].record_id,
                                    .timestamp = e[i].timestamp,
                                    .severity = (uint8_t)e[i].severity,
                                    .sensor = e[i].sensor,
                                    .event = e[i].event,
                                    .detail = e[i].detail};
        memcpy(v[i].raw, rec, 16);
    }
    /* New entries alert; the backlog found at the very first read does not. */
    struct alert_buf ab = {0};
    if (t->sel_known || reset) {
        struct alert_who who = target_who(t);
        for (size_t i = 0; i < n; i++)
            alert_tracker_sel(t->trk, t->spec->rules, &who, &e[i], recs[i], clock_wall_ms(), &ab);
    }
    struct ipmi_sel_cursor cur = t->cursor;
    if (reset)
        cur.valid = 0;
    ipmi_sel_cursor_advance(&cur, recs, n);
    int stored = 1;
    if (t->ctx->st &&
        (n > 0 || reset || !t->sel_known || memcmp(&cur, &t->cursor, sizeof(cur)) != 0))
        stored = storage_put_sel_alerts(t->ctx->st, t->spec->name, clock_wall_ms(), v, n, reset,
                                        &cur, ab.v, ab.n) == 0;
    if (stored && ab.n)
        exp_deliver_kick(t->ctx->deliver);
    /* Not stored: the records are read again next time and raise the same keys. */
    alert_buf_free(&ab);
    free(v);
    free(e);
    if (!stored) {
        /* The queue was full: keep the old cursor, so these records are read again. */
        step_done(t, step_failed(t, IC_ETOOBIG, "SEL records: storage queue full", 0));
        return;
    }
    t->cursor = cur;
    t->sel_known = 1;
    if (info) {
        t->sel_seen = *info;
        t->sel_seen_valid = 1;
    }
    t->coll_ok |= SNAP_COLL_SEL;
    step_done(t, 0);
}

/* ---- the chain ---------------------------------------------------------------- */

static int
submit(struct target *t, uint8_t netfn, uint8_t cmd, const uint8_t *d, size_t len, ipmi_resp_fn cb)
{
    struct ipmi_req rq = {.netfn = netfn, .cmd = cmd, .data = d, .len = len};
    return ipmi_session_submit(t->s, &rq, cb, t);
}

/* Starts step t->step: 0 when a callback will follow, 1 when the step does not apply now. */
static int
start_step(struct target *t)
{
    const struct tgt_spec *sp = t->spec;
    uint64_t now = poller_loop_now(t->pl);
    int inventory_due = t->inv_due;
    static const uint8_t sysfw_req[4] = {0x00, 0x01, 0x00, 0x00};
    switch (t->step) {
    case ST_DEVID:
        return inventory_due ? submit(t, IPMI_NETFN_APP, 0x01, NULL, 0, on_devid) : 1;
    case ST_GUID:
        return inventory_due && t->next->has_devid
                   ? submit(t, IPMI_NETFN_APP, 0x37, NULL, 0, on_guid)
                   : 1;
    case ST_SYSFW:
        return inventory_due && (sp->collectors & SNAP_COLL_FRU)
                   ? submit(t, IPMI_NETFN_APP, 0x59, sysfw_req, sizeof(sysfw_req), on_sysfw)
                   : 1;
    case ST_FRU:
        if (!inventory_due || !t->bmc_ok)
            return 1;
        if (!(sp->collectors & SNAP_COLL_FRU)) {
            if (t->ctx->st)
                storage_put_inventory(t->ctx->st, sp->name, clock_wall_ms(), &t->next->devid,
                                      t->next->guid[0] ? t->next->guid : NULL, NULL);
            return 1;
        }
        return ipmi_fru_read(t->s, 0, on_fru, t);
    case ST_SDR:
        if (!(sp->collectors & (SNAP_COLL_SENSORS | SNAP_COLL_SEL)))
            return 1;
        if (t->sdr && t->sdr_checked_ms && now - t->sdr_checked_ms < sp->sdr_refresh_ms)
            return 1;
        return ipmi_sdr_load(t->s, t->sdr, on_sdr, t);
    case ST_SENSORS:
        return (sp->collectors & SNAP_COLL_SENSORS) && t->sdr
                   ? ipmi_sensors_read(t->s, t->sdr, 0, on_sensors, t)
                   : 1;
    case ST_CHASSIS:
        return sp->collectors & SNAP_COLL_CHASSIS
                   ? submit(t, IPMI_NETFN_CHASSIS, 0x01, NULL, 0, on_chassis)
                   : 1;
    case ST_DCMI:
        return sp->collectors & SNAP_COLL_DCMI
                   ? submit(t, IPMI_NETFN_GROUP, 0x02, ipmi_dcmi_power_req,
                            sizeof(ipmi_dcmi_power_req), on_dcmi)
                   : 1;
    case ST_SELINFO:
        return sp->collectors & SNAP_COLL_SEL ? ipmi_sel_get_info(t->s, on_selinfo, t) : 1;
    case ST_SEL:
        return t->next->has_sel ? ipmi_sel_read(t->s, &t->cursor, on_sel, t) : 1;
    default:
        return 1;
    }
}

void
target_advance(struct target *t)
{
    for (;;) {
        t->step++;
        if (t->step >= ST_END) {
            target_finish_poll(t);
            return;
        }
        int rc = start_step(t);
        if (rc == 0)
            return;
        if (rc < 0 && step_failed(t, rc, "submit", 0)) {
            target_finish_poll(t);
            return;
        }
    }
}
