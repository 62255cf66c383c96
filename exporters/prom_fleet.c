/* SPDX-License-Identifier: Apache-2.0 */
/*
 * prom_fleet.c - /metrics: every target in one exposition.
 *
 * The ipmi_exporter families of /ipmi (same names, labels and values; shared
 * records stay expanded, one series per sensor), each series with
 * target="NAME" and the target's config labels; then our own families
 * (ipmi_fru_info, ipmi_collector_*) and the process metrics client_golang
 * would give. A config label whose name is the family's own label (or
 * "target") is renamed exported_NAME, as Prometheus does on a clash.
 *
 * Cost: families outer, targets inner, so each family's samples are
 * contiguous and written in one pass; the label prefix of each target is
 * escaped once per scrape. 10,000 targets x 40 sensors is about 66 MB of
 * text and takes well under a second, so the HTTP server does not build it
 * whole: it pulls it from a cursor (struct exp_fleet_cursor) about
 * EXP_CURSOR_CHUNK bytes at a time. The daemon-wide and process families
 * are in prom_process.c, the alert delivery ones in prom_alerts.c.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deliver_int.h"

enum { PH_FAMILIES, PH_TAIL, PH_DONE };

/*
 * The renderer's position: family fam, target tgt (families outer, targets
 * inner), or the tail (daemon, process and delivery families, small and
 * written at once). One step writes one target's series of one family, so a
 * step is bounded by one target's largest family (its sensors), whatever the
 * fleet size.
 */
struct exp_fleet_cursor {
    struct exp_buf *b; /* where steps write: &out, or exp_prom_fleet's buffer */
    struct snap_target *const *v;
    size_t n;
    struct snap_daemon d;
    int has_d;
    const char *version;
    const struct exp_receiver_stats *ds;
    size_t nds;
    struct exp_buf pre;   /* every target's escaped label prefix, back to back */
    size_t *pre_off;      /* n + 1 offsets into pre */
    unsigned char *clash; /* per target: a config label may clash with a family label */
    int phase;
    size_t fam, tgt;
    int fam_started;    /* the family's HELP/TYPE is written (a series followed it) */
    struct exp_buf out; /* rendered, not yet consumed: out.p[off..len) */
    size_t off, chunk;
};

/* Label names any family below uses besides target (a config label with one of these clashes). */
static const char *const own_labels[] = {
    "collector",
    "id",
    "name",
    "type",
    "firmware_revision",
    "manufacturer_id",
    "system_firmware_version",
    "board_manufacturer",
    "board_product",
    "board_serial",
    "board_part",
    "product_manufacturer",
    "product_name",
    "product_serial",
    "product_part",
    "chassis_serial",
    "kind",
    "reason",
    "version",
    NULL,
};

static int
in_list(const char *s, const char *const *list)
{
    for (; list && *list; list++)
        if (strcmp(s, *list) == 0)
            return 1;
    return 0;
}

static void
write_prefix(struct exp_buf *b, const struct snap_target *t, const char *const *fam_labels)
{
    exp_buf_label(b, 1, "target", t->name);
    for (size_t i = 0; i < t->nlabels; i++) {
        const char *ln = t->labels[i].name;
        exp_buf_putc(b, ',');
        if (strcmp(ln, "target") == 0 || in_list(ln, fam_labels))
            exp_buf_puts(b, "exported_");
        exp_buf_label(b, 1, ln, t->labels[i].value);
    }
}

static int
prefixes_build(struct exp_fleet_cursor *f)
{
    exp_buf_init(&f->pre, 0);
    f->pre_off = calloc(f->n + 1, sizeof(*f->pre_off));
    f->clash = calloc(f->n + 1, 1);
    if (!f->pre_off || !f->clash)
        return IC_ENOMEM;
    for (size_t i = 0; i < f->n; i++) {
        const struct snap_target *t = f->v[i];
        f->pre_off[i] = f->pre.len;
        write_prefix(&f->pre, t, NULL);
        for (size_t k = 0; k < t->nlabels; k++)
            if (in_list(t->labels[k].name, own_labels))
                f->clash[i] = 1;
    }
    f->pre_off[f->n] = f->pre.len;
    return f->pre.err;
}

/* name{target="...",config labels */
static void
begin(struct exp_fleet_cursor *f, size_t i, const char *name, const char *const *fam_labels)
{
    exp_buf_puts(f->b, name);
    exp_buf_putc(f->b, '{');
    if (f->clash[i])
        write_prefix(f->b, f->v[i], fam_labels);
    else
        exp_buf_append(f->b, f->pre.p + f->pre_off[i], f->pre_off[i + 1] - f->pre_off[i]);
}

static void
end(struct exp_fleet_cursor *f, double v)
{
    exp_buf_puts(f->b, "} ");
    exp_buf_float(f->b, v);
    exp_buf_putc(f->b, '\n');
}

static void
end_u64(struct exp_fleet_cursor *f, uint64_t v)
{
    /* Exact up to 2^53, as client_golang's float64 samples. */
    end(f, (double)v);
}

static int
coll_ok(const struct snap_target *t, unsigned bit)
{
    return (t->collectors & bit) && (t->collectors_ok & bit);
}

/* ---- families --------------------------------------------------------------------------- */

struct fam;
typedef void (*fam_fn)(struct exp_fleet_cursor *f, const struct fam *fm, size_t i);
struct fam {
    const char *name, *type, *help;
    const char *const *labels; /* the family's own labels, for clashes */
    fam_fn emit;
    int arg;
};

static const char *const L_COLLECTOR[] = {"collector", NULL};
static const char *const L_SENSOR[] = {"id", "name", NULL};
static const char *const L_GENERIC[] = {"id", "name", "type", NULL};
static const char *const L_BMC[] = {"firmware_revision", "manufacturer_id",
                                    "system_firmware_version", NULL};
static const char *const L_FRU[] = {"board_manufacturer",   "board_product",
                                    "board_serial",         "board_part",
                                    "product_manufacturer", "product_name",
                                    "product_serial",       "product_part",
                                    "chassis_serial",       NULL};
static const char *const L_KIND[] = {"kind", NULL};
static const char *const L_REASON[] = {"reason", NULL};

static void
f_bmc_info(struct exp_fleet_cursor *f, const struct fam *fm, size_t i)
{
    const struct snap_target *t = f->v[i];
    if (!coll_ok(t, SNAP_COLL_FRU) || !t->has_devid)
        return;
    char fw[sizeof(t->firmware)], sysfw[sizeof(t->system_fw)], mfg[96];
    size_t k = 0;
    for (; t->firmware[k] && strchr("0123456789.", t->firmware[k]); k++)
        fw[k] = t->firmware[k];
    fw[k] = '\0';
    if (t->system_fw[0] == '\0' || strcmp(t->system_fw, "N/A") == 0) {
        snprintf(sysfw, sizeof(sysfw), "N/A");
    } else {
        for (k = 0; t->system_fw[k] && strchr("0123456789.", t->system_fw[k]); k++)
            sysfw[k] = t->system_fw[k];
        sysfw[k] = '\0';
    }
    exp_manufacturer_text(t->devid.manufacturer_id, mfg, sizeof(mfg));
    begin(f, i, fm->name, fm->labels);
    exp_buf_label(f->b, 0, "firmware_revision", fw);
    exp_buf_label(f->b, 0, "manufacturer_id", mfg);
    exp_buf_label(f->b, 0, "system_firmware_version", sysfw);
    end(f, 1);
}

static void
f_fru_info(struct exp_fleet_cursor *f, const struct fam *fm, size_t i)
{
    const struct snap_target *t = f->v[i];
    if (!coll_ok(t, SNAP_COLL_FRU) || !t->has_fru)
        return;
    const struct snap_fru *u = &t->fru;
    begin(f, i, fm->name, fm->labels);
    exp_buf_label(f->b, 0, "board_manufacturer", u->board_manufacturer);
    exp_buf_label(f->b, 0, "board_product", u->board_product);
    exp_buf_label(f->b, 0, "board_serial", u->board_serial);
    exp_buf_label(f->b, 0, "board_part", u->board_part);
    exp_buf_label(f->b, 0, "product_manufacturer", u->product_manufacturer);
    exp_buf_label(f->b, 0, "product_name", u->product_name);
    exp_buf_label(f->b, 0, "product_serial", u->product_serial);
    exp_buf_label(f->b, 0, "product_part", u->product_part);
    exp_buf_label(f->b, 0, "chassis_serial", u->chassis_serial);
    end(f, 1);
}

enum { G_POWER, G_DCMI, G_SEL_FREE, G_SEL_COUNT };

static void
f_simple(struct exp_fleet_cursor *f, const struct fam *fm, size_t i)
{
    const struct snap_target *t = f->v[i];
    double v;
    switch (fm->arg) {
    case G_POWER:
        if (!coll_ok(t, SNAP_COLL_CHASSIS) || !t->has_chassis)
            return;
        v = t->chassis.power_on ? 1 : 0;
        break;
    case G_DCMI:
        if (!coll_ok(t, SNAP_COLL_DCMI) || !t->has_dcmi || !t->dcmi.active)
            return;
        v = t->dcmi.current;
        break;
    case G_SEL_FREE:
        if (!coll_ok(t, SNAP_COLL_SEL) || !t->has_sel)
            return;
        v = t->sel.free_bytes;
        break;
    default:
        if (!coll_ok(t, SNAP_COLL_SEL) || !t->has_sel)
            return;
        v = t->sel.entries;
        break;
    }
    begin(f, i, fm->name, fm->labels);
    end(f, v);
}

/* arg: family * 2 + (1 for the state) */
static void
f_sensor(struct exp_fleet_cursor *f, const struct fam *fm, size_t i)
{
    const struct snap_target *t = f->v[i];
    if (!coll_ok(t, SNAP_COLL_SENSORS))
        return;
    int family = fm->arg / 2, state = fm->arg % 2;
    for (size_t k = 0; k < t->nreadings; k++) {
        const struct snap_reading *r = &t->readings[k];
        if (r->state == IPMI_STATE_NONE || exp_reading_family(r) != family)
            continue;
        char id[8];
        exp_fmt_uint(r->record_id, id);
        begin(f, i, fm->name, fm->labels);
        exp_buf_label(f->b, 0, "id", id);
        exp_buf_label(f->b, 0, "name", r->name);
        if (family == EXP_SENSOR_GENERIC)
            exp_buf_label(f->b, 0, "type", ipmi_sensor_type_str(r->sensor_type));
        end(f, state ? exp_reading_state(r) : exp_reading_value(r));
    }
}

static void
f_up(struct exp_fleet_cursor *f, const struct fam *fm, size_t i)
{
    static const char *const names[] = {"bmc", "chassis", "dcmi", "ipmi", "sel"};
    static const unsigned bits[] = {SNAP_COLL_FRU, SNAP_COLL_CHASSIS, SNAP_COLL_DCMI,
                                    SNAP_COLL_SENSORS, SNAP_COLL_SEL};
    const struct snap_target *t = f->v[i];
    for (size_t k = 0; k < 5; k++) {
        if (!(t->collectors & bits[k]))
            continue;
        begin(f, i, fm->name, fm->labels);
        exp_buf_label(f->b, 0, "collector", names[k]);
        end(f, coll_ok(t, bits[k]) ? 1 : 0);
    }
}

enum {
    C_UP,
    C_DURATION,
    C_LAST_POLL,
    C_LAST_OK,
    C_POLLS,
    C_POLL_FAIL,
    C_OPENS,
    C_REOPENS,
    C_RETRANSMITS,
    C_SDR_READS
};

static void
f_collector(struct exp_fleet_cursor *f, const struct fam *fm, size_t i)
{
    const struct snap_target *t = f->v[i];
    double v;
    switch (fm->arg) {
    case C_UP:
        v = t->up ? 1 : 0;
        break;
    case C_DURATION:
        if (t->last_poll_unix_ms == 0)
            return;
        v = t->poll_duration_s;
        break;
    case C_LAST_POLL:
        if (t->last_poll_unix_ms == 0)
            return;
        v = (double)t->last_poll_unix_ms / 1000.0;
        break;
    case C_LAST_OK:
        if (t->last_success_unix_ms == 0)
            return;
        v = (double)t->last_success_unix_ms / 1000.0;
        break;
    case C_POLLS:
        v = (double)t->polls;
        break;
    case C_POLL_FAIL:
        v = (double)t->poll_failures;
        break;
    case C_OPENS:
        v = (double)t->sess.opens;
        break;
    case C_REOPENS:
        v = (double)t->sess.reopens;
        break;
    case C_RETRANSMITS:
        v = (double)t->sess.retransmits;
        break;
    default:
        v = (double)t->sdr_reads;
        break;
    }
    begin(f, i, fm->name, fm->labels);
    end(f, v);
}

static void
f_errors(struct exp_fleet_cursor *f, const struct fam *fm, size_t i)
{
    const struct snap_target *t = f->v[i];
    for (int k = 1; k < IC_ERR_COUNT; k++) {
        if (t->errors[k] == 0)
            continue;
        begin(f, i, fm->name, fm->labels);
        exp_buf_label(f->b, 0, "kind", ic_errname(-k));
        end_u64(f, t->errors[k]);
    }
}

static void
f_drops(struct exp_fleet_cursor *f, const struct fam *fm, size_t i)
{
    const struct snap_target *t = f->v[i];
    size_t nd = sizeof(t->sess.drops) / sizeof(t->sess.drops[0]);
    for (size_t k = 0; k < nd; k++) {
        if (t->sess.drops[k] == 0)
            continue;
        begin(f, i, fm->name, fm->labels);
        exp_buf_label(f->b, 0, "reason", ipmi_drop_name((int)k));
        end_u64(f, t->sess.drops[k]);
    }
}

#define SENS(fam, st) f_sensor, (fam)*2 + (st)
static const char STATE_HELP[] = "0 nominal, 1 warning, 2 critical.";

static const struct fam families[] = {
    {"ipmi_bmc_info", "gauge", "BMC identity (constant 1).", L_BMC, f_bmc_info, 0},
    {"ipmi_chassis_power_state", "gauge", "Chassis power: 1 on, 0 off.", NULL, f_simple, G_POWER},
    {"ipmi_current_amperes", "gauge", "Current sensor reading, in amperes.", L_SENSOR,
     SENS(EXP_SENSOR_CURRENT, 0)},
    {"ipmi_current_state", "gauge", STATE_HELP, L_SENSOR, SENS(EXP_SENSOR_CURRENT, 1)},
    {"ipmi_dcmi_power_consumption_watts", "gauge", "System power draw from DCMI, in watts.", NULL,
     f_simple, G_DCMI},
    {"ipmi_fan_speed_rpm", "gauge", "Fan sensor reading, in revolutions per minute.", L_SENSOR,
     SENS(EXP_SENSOR_FAN, 0)},
    {"ipmi_fan_speed_state", "gauge", STATE_HELP, L_SENSOR, SENS(EXP_SENSOR_FAN, 1)},
    {"ipmi_fru_info", "gauge", "FRU 0 inventory fields (constant 1).", L_FRU, f_fru_info, 0},
    {"ipmi_power_state", "gauge", STATE_HELP, L_SENSOR, SENS(EXP_SENSOR_POWER, 1)},
    {"ipmi_power_watts", "gauge", "Power sensor reading, in watts.", L_SENSOR,
     SENS(EXP_SENSOR_POWER, 0)},
    {"ipmi_sel_free_space_bytes", "gauge", "Free bytes left in the system event log.", NULL,
     f_simple, G_SEL_FREE},
    {"ipmi_sel_logs_count", "gauge", "Entries in the system event log.", NULL, f_simple,
     G_SEL_COUNT},
    {"ipmi_sensor_state", "gauge", STATE_HELP, L_GENERIC, SENS(EXP_SENSOR_GENERIC, 1)},
    {"ipmi_sensor_value", "gauge", "Reading of a sensor without a family of its own.", L_GENERIC,
     SENS(EXP_SENSOR_GENERIC, 0)},
    {"ipmi_temperature_celsius", "gauge", "Temperature sensor reading, in degrees Celsius.",
     L_SENSOR, SENS(EXP_SENSOR_TEMPERATURE, 0)},
    {"ipmi_temperature_state", "gauge", STATE_HELP, L_SENSOR, SENS(EXP_SENSOR_TEMPERATURE, 1)},
    {"ipmi_up", "gauge", "1 if the collector's last run against the BMC succeeded, else 0.",
     L_COLLECTOR, f_up, 0},
    {"ipmi_voltage_state", "gauge", STATE_HELP, L_SENSOR, SENS(EXP_SENSOR_VOLTAGE, 1)},
    {"ipmi_voltage_volts", "gauge", "Voltage sensor reading, in volts.", L_SENSOR,
     SENS(EXP_SENSOR_VOLTAGE, 0)},
    {"ipmi_collector_target_up", "gauge", "1 if the last poll reached the BMC, else 0.", NULL,
     f_collector, C_UP},
    {"ipmi_collector_poll_duration_seconds", "gauge", "Duration of the last poll.", NULL,
     f_collector, C_DURATION},
    {"ipmi_collector_last_poll_timestamp_seconds", "gauge", "Start of the last poll (Unix time).",
     NULL, f_collector, C_LAST_POLL},
    {"ipmi_collector_last_success_timestamp_seconds", "gauge",
     "End of the last fully successful poll (Unix time).", NULL, f_collector, C_LAST_OK},
    {"ipmi_collector_polls_total", "counter", "Polls started.", NULL, f_collector, C_POLLS},
    {"ipmi_collector_poll_failures_total", "counter", "Polls that did not fully succeed.", NULL,
     f_collector, C_POLL_FAIL},
    {"ipmi_collector_errors_total", "counter", "Poll failures by kind of error.", L_KIND, f_errors,
     0},
    {"ipmi_collector_session_opens_total", "counter", "RMCP+ sessions established.", NULL,
     f_collector, C_OPENS},
    {"ipmi_collector_session_reestablishments_total", "counter",
     "RMCP+ sessions re-established after loss.", NULL, f_collector, C_REOPENS},
    {"ipmi_collector_retransmits_total", "counter", "IPMI requests sent again.", NULL, f_collector,
     C_RETRANSMITS},
    {"ipmi_collector_packets_dropped_total", "counter", "Inbound packets dropped, by reason.",
     L_REASON, f_drops, 0},
    {"ipmi_collector_sdr_reads_total", "counter", "SDR repository reads.", NULL, f_collector,
     C_SDR_READS},
};

/* ---- the cursor ------------------------------------------------------------------------- */

#define NFAMILIES (sizeof(families) / sizeof(families[0]))

struct exp_fleet_cursor *
exp_fleet_cursor_new(struct snap_target *const *v, size_t n, const struct snap_daemon *d,
                     const char *version, size_t chunk)
{
    struct exp_fleet_cursor *c = calloc(1, sizeof(*c));
    if (!c)
        return NULL;
    c->v = v;
    c->n = n;
    if (d) {
        c->d = *d;
        c->has_d = 1;
    }
    c->version = version;
    c->chunk = chunk ? chunk : EXP_CURSOR_CHUNK;
    c->phase = n ? PH_FAMILIES : PH_TAIL;
    exp_buf_init(&c->out, 0);
    if (prefixes_build(c) != 0) {
        exp_fleet_cursor_free(c);
        return NULL;
    }
    return c;
}

void
exp_fleet_cursor_delivery(struct exp_fleet_cursor *c, const struct exp_receiver_stats *v, size_t n)
{
    c->ds = v;
    c->nds = n;
}

void
exp_fleet_cursor_free(struct exp_fleet_cursor *c)
{
    if (!c)
        return;
    exp_buf_free(&c->pre);
    exp_buf_free(&c->out);
    free(c->pre_off);
    free(c->clash);
    free(c);
}

/* One step: one target's series of the current family, or the whole tail. */
static void
step(struct exp_fleet_cursor *c)
{
    struct exp_buf *b = c->b;
    if (c->phase == PH_TAIL) {
        if (c->has_d)
            exp_prom_daemon(b, &c->d, c->version);
        exp_prom_process(b);
        exp_prom_delivery(b, c->ds, c->nds);
        c->phase = PH_DONE;
        return;
    }
    const struct fam *fm = &families[c->fam];
    if (c->fam_started) {
        fm->emit(c, fm, c->tgt);
    } else {
        /* HELP/TYPE only above samples: write them, and take them back if none follow. */
        size_t mark = b->len;
        exp_family(b, fm->name, fm->type, fm->help);
        size_t body = b->len;
        fm->emit(c, fm, c->tgt);
        if (!b->err && b->len == body)
            exp_buf_truncate(b, mark);
        else
            c->fam_started = 1;
    }
    if (++c->tgt == c->n) {
        c->tgt = 0;
        c->fam_started = 0;
        if (++c->fam == NFAMILIES)
            c->phase = PH_TAIL;
    }
}

/* Renders into b until it holds want bytes or the exposition ends. */
static int
fill(struct exp_fleet_cursor *c, struct exp_buf *b, size_t want)
{
    c->b = b;
    while (c->phase != PH_DONE && b->len < want && !b->err)
        step(c);
    return b->err;
}

ssize_t
exp_fleet_cursor_data(struct exp_fleet_cursor *c, const char **p)
{
    if (c->off == c->out.len) {
        c->off = 0;
        c->out.len = 0;
        if (fill(c, &c->out, c->chunk) != 0)
            return c->out.err;
    }
    if (c->off == c->out.len) {
        *p = "";
        return 0;
    }
    *p = c->out.p + c->off;
    return (ssize_t)(c->out.len - c->off);
}

void
exp_fleet_cursor_consume(struct exp_fleet_cursor *c, size_t n)
{
    c->off += n < c->out.len - c->off ? n : c->out.len - c->off;
}

ssize_t
exp_fleet_cursor_read(struct exp_fleet_cursor *c, char *out, size_t max)
{
    const char *p;
    ssize_t n = exp_fleet_cursor_data(c, &p);
    if (n <= 0)
        return n;
    size_t k = (size_t)n < max ? (size_t)n : max;
    memcpy(out, p, k);
    exp_fleet_cursor_consume(c, k);
    return (ssize_t)k;
}

int
exp_prom_fleet(struct exp_buf *b, struct snap_target *const *v, size_t n,
               const struct snap_daemon *d, const char *version)
{
    struct exp_fleet_cursor *c = exp_fleet_cursor_new(v, n, d, version, 0);
    if (!c) {
        b->err = b->err ? b->err : IC_ENOMEM;
        return b->err;
    }
    fill(c, b, SIZE_MAX);
    exp_fleet_cursor_free(c);
    return b->err;
}
