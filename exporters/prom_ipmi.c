/* SPDX-License-Identifier: Apache-2.0 */
/*
 * prom_ipmi.c - /ipmi?target=X: one target rendered as prometheus-community's
 * ipmi_exporter 1.6.1 renders it, so that dashboards and alert rules keep
 * working when it is replaced.
 *
 * ipmi_exporter runs FreeIPMI tools and parses their text; what it shows is
 * therefore FreeIPMI's view (ipmimonitoring for sensors, bmc-info,
 * ipmi-chassis, ipmi-dcmi, ipmi-sel). The rules below reproduce that view
 * from our snapshot; docs/metrics.md lists them with the evidence:
 *  - a sensor with no reading is not shown (ipmimonitoring omits it);
 *  - a shared (compact) record is one sensor: its first instance, named by
 *    the bare ID string (FreeIPMI does not expand shares);
 *  - readings have two decimals (ipmimonitoring prints "%.2f");
 *  - threshold sensors in degrees C, RPM, Volts, Amps, Watts get their own
 *    families with labels id and name; everything else, discrete sensors
 *    included, goes to ipmi_sensor_value/ipmi_sensor_state with a type label
 *    (FreeIPMI's sensor type words); discrete values are NaN;
 *  - states: 0 nominal, 1 warning, 2 critical (non-recoverable too); a
 *    threshold sensor past a non-critical threshold is nominal (FreeIPMI's
 *    default interpretation);
 *  - a collector's families appear only when its last run succeeded;
 *  - families sorted by name, series by label values (client_golang's order).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exp_int.h"

/* ---- manufacturer names ----------------------------------------------------------------- */

/*
 * FreeIPMI's names (its IANA enterprise number table, as printed by
 * bmc-info 1.6.10) for the numbers BMC makers use. Checked one by one
 * against libfreeipmi 1.6.10's ipmi_iana_enterprise_numbers_string().
 * A number not listed is printed bare, as bmc-info prints a number its
 * table does not know.
 */
static const struct {
    uint32_t id;
    const char *name;
} iana_names[] = {
    {0, "Reserved"},
    {2, "IBM"},
    {9, "ciscoSystems"},
    {11, "Hewlett-Packard"},
    {42, "Sun Microsystems"},
    {231, "Fujitsu Technology Solutions GmbH"},
    {343, "Intel Corporation"},
    {674, "Dell Inc."},
    {2011, "HUAWEI Technology Co.,Ltd"},
    {3704, "AMD"},
    {4128, "ARM Ltd."},
    {4769, "IBM Corporation"},
    {5703, "NVIDIA Corporation"},
    {5771, "Cisco Systems, Inc."},
    {6569, "INVENTEC CORPORATION"},
    {7244, "Quanta Computer Inc."},
    {10368, "Fujitsu Technology Solutions GmbH"},
    {10876, "Super Micro Computer Inc."},
    {11129, "Google, Inc."},
    {11183, "Mitac International Corp."},
    {15370, "GIGA-BYTE TECHNOLOGY CO., LTD"},
    {19046, "Lenovo Enterprise Business Group"},
    {20569, "Inventec Enterprise System Corp."},
    {20974, "American Megatrends, Inc"},
    {21317, "ATEN INTERNATIONAL CO., LTD."},
    {32473, "Example Enterprise Number for Documentation Use"},
    {33049, "Mellanox Technologies LTD"},
    {40092, "Wiwynn Corporation"},
    {40981, "Facebook, Inc."},
    {47196, "Hewlett Packard Enterprise"},
};

void
exp_manufacturer_text(uint32_t id, char *out, size_t outlen)
{
    for (size_t i = 0; i < sizeof(iana_names) / sizeof(iana_names[0]); i++) {
        if (iana_names[i].id == id) {
            snprintf(out, outlen, "%s (%u)", iana_names[i].name, id);
            return;
        }
    }
    snprintf(out, outlen, "%u", id);
}

/* ---- sensors ---------------------------------------------------------------------------- */

int
exp_reading_family(const struct snap_reading *r)
{
    if (!r->threshold)
        return EXP_SENSOR_GENERIC; /* ipmimonitoring's unit for discrete sensors is N/A */
    switch (r->unit_base) {
    case 1:
        return EXP_SENSOR_TEMPERATURE;
    case 4:
        return EXP_SENSOR_VOLTAGE;
    case 5:
        return EXP_SENSOR_CURRENT;
    case 6:
        return EXP_SENSOR_POWER;
    case 18:
        return EXP_SENSOR_FAN;
    default:
        return EXP_SENSOR_GENERIC;
    }
}

double
exp_reading_value(const struct snap_reading *r)
{
    if (!r->threshold || !r->has_value)
        return NAN;
    return exp_round2(r->value);
}

double
exp_reading_state(const struct snap_reading *r)
{
    switch (r->state) {
    case IPMI_STATE_OK:
        return 0;
    case IPMI_STATE_WARNING:
        return 1;
    case IPMI_STATE_CRITICAL:
    case IPMI_STATE_NONRECOVERABLE:
        return 2;
    default:
        return NAN;
    }
}

/* client_golang's series order: label values compared bytewise, in label name order. */
static int
cmp_sensor(const void *a, const void *b)
{
    const struct exp_sensor *x = a, *y = b;
    int c = strcmp(x->id, y->id);
    if (c == 0)
        c = strcmp(x->name, y->name);
    if (c == 0)
        c = strcmp(ipmi_sensor_type_str(x->r->sensor_type),
                   ipmi_sensor_type_str(y->r->sensor_type));
    return c;
}

int
exp_sensor_view(const struct snap_target *t, int collapse_shared, int sorted,
                struct exp_sensor **out)
{
    *out = NULL;
    if (t->nreadings == 0)
        return 0;
    struct exp_sensor *v = calloc(t->nreadings, sizeof(*v));
    if (!v)
        return IC_ENOMEM;
    size_t n = 0;
    for (size_t i = 0; i < t->nreadings; i++) {
        const struct snap_reading *r = &t->readings[i];
        if (r->state == IPMI_STATE_NONE)
            continue; /* no reading: ipmimonitoring leaves it out */
        if (collapse_shared && n > 0 && v[n - 1].r->record_id == r->record_id) {
            /*
             * Another instance of a shared record: FreeIPMI shows the record
             * once, under its bare ID string. The expanded names carry the
             * instance suffix after it, so their common prefix is that string.
             */
            char *p = v[n - 1].name;
            size_t k = 0;
            while (p[k] && p[k] == r->name[k])
                k++;
            p[k] = '\0';
            continue;
        }
        v[n].r = r;
        memcpy(v[n].name, r->name, sizeof(v[n].name));
        v[n].name[IPMI_NAME_MAX] = '\0';
        exp_fmt_uint(r->record_id, v[n].id);
        v[n].family = exp_reading_family(r);
        n++;
    }
    if (sorted && n > 1)
        qsort(v, n, sizeof(*v), cmp_sensor);
    *out = v;
    return (int)n;
}

/* ---- the /ipmi families --------------------------------------------------------------------- */

struct ipmi_ctx {
    struct exp_buf *b;
    const struct snap_target *t;
    struct exp_sensor *s;
    size_t ns;
};

static int
coll_ok(const struct snap_target *t, unsigned bit)
{
    return t && (t->collectors & bit) && (t->collectors_ok & bit);
}

/* The leading digits and dots of s, as ipmi_exporter's "[0-9.]*" captures them. */
static void
digits_prefix(const char *s, char *out, size_t outlen)
{
    size_t k = 0;
    while (s[k] && ((s[k] >= '0' && s[k] <= '9') || s[k] == '.') && k + 1 < outlen) {
        out[k] = s[k];
        k++;
    }
    out[k] = '\0';
}

static void
sample0(struct exp_buf *b, const char *name, double v)
{
    exp_buf_puts(b, name);
    exp_buf_putc(b, ' ');
    exp_buf_float(b, v);
    exp_buf_putc(b, '\n');
}

static void
fam_bmc_info(struct ipmi_ctx *c, const char *name)
{
    const struct snap_target *t = c->t;
    if (!coll_ok(t, SNAP_COLL_FRU) || !t->has_devid)
        return;
    char fw[sizeof(t->firmware)], sysfw[sizeof(t->system_fw)], mfg[96];
    digits_prefix(t->firmware, fw, sizeof(fw));
    /* bmc-info without the parameter: the exporter says "N/A". */
    if (t->system_fw[0] == '\0' || strcmp(t->system_fw, "N/A") == 0)
        snprintf(sysfw, sizeof(sysfw), "N/A");
    else
        digits_prefix(t->system_fw, sysfw, sizeof(sysfw));
    exp_manufacturer_text(t->devid.manufacturer_id, mfg, sizeof(mfg));
    exp_buf_puts(c->b, name);
    exp_buf_putc(c->b, '{');
    exp_buf_label(c->b, 1, "firmware_revision", fw);
    exp_buf_label(c->b, 0, "manufacturer_id", mfg);
    exp_buf_label(c->b, 0, "system_firmware_version", sysfw);
    exp_buf_puts(c->b, "} 1\n");
}

static void
fam_chassis_power(struct ipmi_ctx *c, const char *name)
{
    if (coll_ok(c->t, SNAP_COLL_CHASSIS) && c->t->has_chassis)
        sample0(c->b, name, c->t->chassis.power_on ? 1 : 0);
}

static void
fam_dcmi(struct ipmi_ctx *c, const char *name)
{
    /* Only while power measurement is active, as ipmi_exporter. */
    if (coll_ok(c->t, SNAP_COLL_DCMI) && c->t->has_dcmi && c->t->dcmi.active)
        sample0(c->b, name, c->t->dcmi.current);
}

static void
fam_sel_free(struct ipmi_ctx *c, const char *name)
{
    if (coll_ok(c->t, SNAP_COLL_SEL) && c->t->has_sel)
        sample0(c->b, name, c->t->sel.free_bytes);
}

static void
fam_sel_count(struct ipmi_ctx *c, const char *name)
{
    if (coll_ok(c->t, SNAP_COLL_SEL) && c->t->has_sel)
        sample0(c->b, name, c->t->sel.entries);
}

static void
fam_duration(struct ipmi_ctx *c, const char *name)
{
    /* Ours does not poll during a scrape: the last poll's duration is the honest counterpart. */
    sample0(c->b, name, c->t ? c->t->poll_duration_s : 0);
}

static const char *const coll_names[] = {"bmc", "chassis", "dcmi", "ipmi", "sel"}; /* sorted */
static const unsigned coll_bits[] = {SNAP_COLL_FRU, SNAP_COLL_CHASSIS, SNAP_COLL_DCMI,
                                     SNAP_COLL_SENSORS, SNAP_COLL_SEL};

static void
fam_up(struct ipmi_ctx *c, const char *name)
{
    for (size_t i = 0; i < 5; i++) {
        unsigned bit = coll_bits[i];
        if (c->t && !(c->t->collectors & bit))
            continue;
        exp_buf_puts(c->b, name);
        exp_buf_puts(c->b, "{collector=\"");
        exp_buf_puts(c->b, coll_names[i]);
        exp_buf_puts(c->b, coll_ok(c->t, bit) ? "\"} 1\n" : "\"} 0\n");
    }
}

/*
 * State as ipmimonitoring judges it with FreeIPMI's default interpretation
 * (freeipmi_interpret_sensor.conf): a threshold sensor past a non-critical
 * threshold, upper or lower, is still Nominal; only critical and
 * non-recoverable ones count. Discrete sensors keep our table's severity.
 */
static double
freeipmi_state(const struct snap_reading *r)
{
    if (r->threshold && r->state == IPMI_STATE_WARNING)
        return 0;
    return exp_reading_state(r);
}

static void
sensor_series(struct ipmi_ctx *c, const char *name, int family, int state)
{
    if (!coll_ok(c->t, SNAP_COLL_SENSORS))
        return;
    for (size_t i = 0; i < c->ns; i++) {
        const struct exp_sensor *s = &c->s[i];
        if (s->family != family)
            continue;
        exp_buf_puts(c->b, name);
        exp_buf_putc(c->b, '{');
        exp_buf_label(c->b, 1, "id", s->id);
        exp_buf_label(c->b, 0, "name", s->name);
        if (family == EXP_SENSOR_GENERIC)
            exp_buf_label(c->b, 0, "type", ipmi_sensor_type_str(s->r->sensor_type));
        exp_buf_puts(c->b, "} ");
        exp_buf_float(c->b, state ? freeipmi_state(s->r) : exp_reading_value(s->r));
        exp_buf_putc(c->b, '\n');
    }
}

#define SENSOR_FAM(fn, fam, st)                          \
    static void fn(struct ipmi_ctx *c, const char *name) \
    {                                                    \
        sensor_series(c, name, fam, st);                 \
    }
SENSOR_FAM(fam_current, EXP_SENSOR_CURRENT, 0)
SENSOR_FAM(fam_current_state, EXP_SENSOR_CURRENT, 1)
SENSOR_FAM(fam_fan, EXP_SENSOR_FAN, 0)
SENSOR_FAM(fam_fan_state, EXP_SENSOR_FAN, 1)
SENSOR_FAM(fam_power_state, EXP_SENSOR_POWER, 1)
SENSOR_FAM(fam_power, EXP_SENSOR_POWER, 0)
SENSOR_FAM(fam_sensor_state, EXP_SENSOR_GENERIC, 1)
SENSOR_FAM(fam_sensor_value, EXP_SENSOR_GENERIC, 0)
SENSOR_FAM(fam_temp, EXP_SENSOR_TEMPERATURE, 0)
SENSOR_FAM(fam_temp_state, EXP_SENSOR_TEMPERATURE, 1)
SENSOR_FAM(fam_volt_state, EXP_SENSOR_VOLTAGE, 1)
SENSOR_FAM(fam_volt, EXP_SENSOR_VOLTAGE, 0)

/* In name order, as client_golang sorts families. HELP texts are ours. */
static const struct {
    const char *name;
    const char *help;
    void (*emit)(struct ipmi_ctx *c, const char *name);
} ipmi_families[] = {
    {"ipmi_bmc_info",
     "BMC identity (constant 1): firmware revision, manufacturer, system firmware.", fam_bmc_info},
    {"ipmi_chassis_power_state", "Chassis power: 1 on, 0 off.", fam_chassis_power},
    {"ipmi_current_amperes", "Current sensor reading, in amperes.", fam_current},
    {"ipmi_current_state", "Current sensor state: 0 nominal, 1 warning, 2 critical.",
     fam_current_state},
    {"ipmi_dcmi_power_consumption_watts", "System power draw from DCMI, in watts.", fam_dcmi},
    {"ipmi_fan_speed_rpm", "Fan sensor reading, in revolutions per minute.", fam_fan},
    {"ipmi_fan_speed_state", "Fan sensor state: 0 nominal, 1 warning, 2 critical.", fam_fan_state},
    {"ipmi_power_state", "Power sensor state: 0 nominal, 1 warning, 2 critical.", fam_power_state},
    {"ipmi_power_watts", "Power sensor reading, in watts.", fam_power},
    {"ipmi_scrape_duration_seconds", "Duration of the last poll of this BMC, in seconds.",
     fam_duration},
    {"ipmi_sel_free_space_bytes", "Free bytes left in the system event log.", fam_sel_free},
    {"ipmi_sel_logs_count", "Entries in the system event log.", fam_sel_count},
    {"ipmi_sensor_state",
     "State of a sensor without a family of its own: 0 nominal, 1 warning, 2 critical.",
     fam_sensor_state},
    {"ipmi_sensor_value", "Reading of a sensor without a family of its own (NaN if discrete).",
     fam_sensor_value},
    {"ipmi_temperature_celsius", "Temperature sensor reading, in degrees Celsius.", fam_temp},
    {"ipmi_temperature_state", "Temperature sensor state: 0 nominal, 1 warning, 2 critical.",
     fam_temp_state},
    {"ipmi_up", "1 if the collector's last run against this BMC succeeded, else 0.", fam_up},
    {"ipmi_voltage_state", "Voltage sensor state: 0 nominal, 1 warning, 2 critical.",
     fam_volt_state},
    {"ipmi_voltage_volts", "Voltage sensor reading, in volts.", fam_volt},
};

int
exp_prom_ipmi(struct exp_buf *b, const struct snap_target *t)
{
    struct ipmi_ctx c = {.b = b, .t = t};
    if (t && coll_ok(t, SNAP_COLL_SENSORS)) {
        int n = exp_sensor_view(t, 1, 1, &c.s);
        if (n < 0) {
            b->err = n;
            return n;
        }
        c.ns = (size_t)n;
    }
    for (size_t i = 0; i < sizeof(ipmi_families) / sizeof(ipmi_families[0]); i++) {
        /* HELP/TYPE only above samples: write them, and take them back if none follow. */
        size_t mark = b->len;
        exp_family(b, ipmi_families[i].name, "gauge", ipmi_families[i].help);
        size_t body = b->len;
        ipmi_families[i].emit(&c, ipmi_families[i].name);
        if (!b->err && b->len == body)
            exp_buf_truncate(b, mark);
    }
    free(c.s);
    return b->err;
}
