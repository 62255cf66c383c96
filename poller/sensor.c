/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sensor.c - sensor readings for people (see sensor.h).
 *
 * Get Sensor Reading (S/E netFn 0x04, cmd 0x2D; IPMI v2.0 §35.14), data
 * after the completion code:
 *   0  raw reading (threshold sensors; ignored for discrete ones)
 *   1  b7 event messages enabled, b6 scanning enabled (0: no reading),
 *      b5 reading/state unavailable
 *   2  threshold sensors: b0 <= LNC, b1 <= LC, b2 <= LNR, b3 >= UNC,
 *      b4 >= UC, b5 >= UNR; discrete sensors: states 0-7 asserted
 *   3  discrete sensors: states 8-14 asserted (optional; b7 reserved)
 *
 * Get Sensor Thresholds (cmd 0x27; §35.9), data after the completion code:
 *   0  readable mask: b0 LNC, b1 LC, b2 LNR, b3 UNC, b4 UC, b5 UNR
 *   1  LNC  2  LC  3  LNR  4  UNC  5  UC  6  UNR (raw, converted like readings)
 *
 * Conversion (§36.3): y = L[(M*x + B*10^Bexp) * 10^Rexp], L from Table
 * 36-2 (linearization 0x00-0x0B), units text from Table 43-15.
 *
 * The arithmetic is arranged so that the result is the double nearest to
 * the exact decimal value: (M*x + B*10^Bexp) is an integer times a power of
 * ten, and a negative power is applied as one division by an exact power
 * of ten. That is what makes "%.3f" print 5.018 and "%.2f" 3.31 for
 * 3.315 V exactly as ipmitool does.
 */
#include "sensor.h"
#include "sensor_tables.h"

#include "buf.h"
#include "ic_err.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define SENSOR_EVENT_THRESHOLD 0x01
#define SENSOR_FORMAT_NONE     3 /* analog format 11: no numeric reading */
#define SENSOR_LIN_MAX         0x0B

/* Reading byte 1. */
#define RD_SCANNING    0x40
#define RD_UNAVAILABLE 0x20

const char *
ipmi_state_str(enum ipmi_state st)
{
    switch (st) {
    case IPMI_STATE_OK:
        return "ok";
    case IPMI_STATE_WARNING:
        return "warning";
    case IPMI_STATE_CRITICAL:
        return "critical";
    case IPMI_STATE_NONRECOVERABLE:
        return "non-recoverable";
    default:
        return NULL;
    }
}

int
sensor_is_readable(const struct ipmi_sdr *sdr)
{
    return sdr && (sdr->type == IPMI_SDR_FULL || sdr->type == IPMI_SDR_COMPACT);
}

/* Appends s to out[*n..outlen), truncating; out stays NUL-terminated. */
static void
unit_cat(char *out, size_t outlen, size_t *n, const char *s)
{
    while (*s && *n + 1 < outlen)
        out[(*n)++] = *s++;
    out[*n] = '\0';
}

/* Called for every reading of every sweep: string appends, not printf. */
void
sensor_unit_text(const struct ipmi_sdr *sdr, char *out, size_t outlen)
{
    static const char *const rates[8] = {
        NULL, "microsecond", "millisecond", "second", "minute", "hour", "day", NULL,
    };
    size_t n = 0;
    if (!out || outlen == 0)
        return;
    out[0] = '\0';
    if (!sdr)
        return;
    if (sdr->event_type != SENSOR_EVENT_THRESHOLD) {
        unit_cat(out, outlen, &n, "discrete");
        return;
    }

    int pct = sdr->units1 & 0x01;
    unsigned mod_use = (sdr->units1 >> 1) & 0x03;
    const char *rate = rates[(sdr->units1 >> 3) & 0x07];
    if (pct && sdr->unit_base == 0 && mod_use != 1 && mod_use != 2) {
        unit_cat(out, outlen, &n, "percent");
    } else {
        unit_cat(out, outlen, &n, pct ? "% " : "");
        unit_cat(out, outlen, &n, stab_unit(sdr->unit_base));
        if (mod_use == 1 || mod_use == 2) {
            unit_cat(out, outlen, &n, mod_use == 1 ? "/" : "*");
            unit_cat(out, outlen, &n, stab_unit(sdr->unit_mod));
        }
    }
    if (rate) {
        unit_cat(out, outlen, &n, " per ");
        unit_cat(out, outlen, &n, rate);
    }
}

/* 10^e for |e| <= 22 is exact in a double; larger exponents do not occur here. */
static double
pow10i(int e)
{
    double p = 1.0;
    for (int i = 0; i < e; i++)
        p *= 10.0;
    return p;
}

/* Applies linearization lin (0x00-0x0B) to y. Returns 0 or IC_EINVAL. */
static int
linearize(unsigned lin, double y, double *out)
{
    double v;

    switch (lin) {
    case 0x00:
        v = y;
        break;
    case 0x01:
        if (y <= 0)
            return IC_EINVAL;
        v = log(y);
        break;
    case 0x02:
        if (y <= 0)
            return IC_EINVAL;
        v = log10(y);
        break;
    case 0x03:
        if (y <= 0)
            return IC_EINVAL;
        v = log2(y);
        break;
    case 0x04:
        v = exp(y);
        break;
    case 0x05:
        v = pow(10.0, y);
        break;
    case 0x06:
        v = exp2(y);
        break;
    case 0x07:
        if (y == 0)
            return IC_EINVAL;
        v = 1.0 / y;
        break;
    case 0x08:
        v = y * y;
        break;
    case 0x09:
        v = y * y * y;
        break;
    case 0x0A:
        if (y < 0)
            return IC_EINVAL;
        v = sqrt(y);
        break;
    case 0x0B:
        v = cbrt(y);
        break;
    default:
        return IC_EINVAL;
    }
    if (!isfinite(v))
        return IC_EINVAL;
    *out = v;
    return 0;
}

int
sensor_convert(const struct ipmi_sdr *sdr, uint8_t raw, double *out)
{
    long long x;

    if (!sdr || !out || sdr->type != IPMI_SDR_FULL)
        return IC_EINVAL;
    switch (sdr->units1 >> 6) {
    case 0:
        x = raw;
        break;
    case 1: /* one's complement: 0xFF is -0, 0xFE is -1 */
        x = (raw & 0x80) ? -(long long)(uint8_t)~raw : raw;
        break;
    case 2:
        x = (int8_t)raw;
        break;
    default:
        return IC_EINVAL;
    }
    if (sdr->linearization > SENSOR_LIN_MAX)
        return IC_EINVAL;

    /*
     * (M*x + B*10^Bexp) * 10^Rexp = I * 10^e with I an integer:
     * Bexp >= 0: I = M*x + B*10^Bexp, e = Rexp;
     * Bexp <  0: I = M*x*10^-Bexp + B, e = Rexp + Bexp.
     * |I| < 2^53 always (|M|, |B| <= 512, |x| <= 255, exponents <= 8).
     */
    long long m = sdr->m, b = sdr->b;
    int rexp = sdr->rexp, bexp = sdr->bexp, e;
    long long i;
    if (bexp >= 0) {
        i = m * x + b * (long long)pow10i(bexp);
        e = rexp;
    } else {
        i = m * x * (long long)pow10i(-bexp) + b;
        e = rexp + bexp;
    }
    double y = e >= 0 ? (double)i * pow10i(e) : (double)i / pow10i(-e);
    return linearize(sdr->linearization, y, out);
}

void
sensor_init_reading(const struct ipmi_sdr *sdr, struct ipmi_reading *r)
{
    if (!r)
        return;
    memset(r, 0, sizeof(*r));
    r->state = IPMI_STATE_NONE;
    if (!sdr)
        return;
    r->record_id = sdr->record_id;
    r->number = sdr->number;
    r->owner_lun = sdr->owner_lun;
    memcpy(r->name, sdr->name, sizeof(r->name));
    r->name[sizeof(r->name) - 1] = '\0';
    r->sensor_type = sdr->sensor_type;
    r->event_type = sdr->event_type;
    r->threshold = sdr->event_type == SENSOR_EVENT_THRESHOLD;
    sensor_unit_text(sdr, r->unit, sizeof(r->unit));
}

/* Completion codes that mean "this sensor has no reading now", not a failure. */
static int
cc_no_reading(uint8_t cc)
{
    switch (cc) {
    case 0xC9: /* parameter out of range */
    case 0xCB: /* requested sensor not present */
    case 0xCC: /* invalid data field (sensor does not exist) */
    case 0xCD: /* command illegal for this sensor type */
    case 0xCE: /* response could not be provided */
    case 0xD3: /* destination unavailable */
    case 0xD5: /* not supported in present state */
        return 1;
    default:
        return 0;
    }
}

/* State of a threshold sensor from the comparison bits (reading byte 2). */
static enum ipmi_state
threshold_state(uint8_t cmp)
{
    if (cmp & 0x24)
        return IPMI_STATE_NONRECOVERABLE;
    if (cmp & 0x12)
        return IPMI_STATE_CRITICAL;
    if (cmp & 0x09)
        return IPMI_STATE_WARNING;
    return IPMI_STATE_OK;
}

int
sensor_apply_reading(const struct ipmi_sdr *sdr, uint8_t cc, const uint8_t *data, size_t len,
                     struct ipmi_reading *r)
{
    struct buf_rd rd;

    if (!sdr || !r)
        return IC_EINVAL;
    r->has_value = 0;
    r->value = 0;
    r->state = IPMI_STATE_NONE;
    r->states = 0;
    r->raw = 0;
    r->flags = 0;
    r->cc = cc;
    if (cc != 0)
        return cc_no_reading(cc) ? 0 : IC_ECC;

    buf_rd_init(&rd, data, len);
    uint8_t raw = buf_get_u8(&rd);
    uint8_t flags = buf_get_u8(&rd);
    if (buf_rd_err(&rd))
        return IC_EPROTO;
    /* Optional bytes: a BMC may stop after byte 1; missing means 0. */
    uint8_t b2 = buf_rd_left(&rd) ? buf_get_u8(&rd) : 0;
    uint8_t b3 = buf_rd_left(&rd) ? buf_get_u8(&rd) : 0;
    r->raw = raw;
    r->flags = flags;
    if (!(flags & RD_SCANNING) || (flags & RD_UNAVAILABLE))
        return 0;

    if (sdr->event_type == SENSOR_EVENT_THRESHOLD) {
        double v;
        if (sensor_convert(sdr, raw, &v) == 0) {
            r->value = v;
            r->has_value = 1;
        }
        r->state = threshold_state(b2);
        return 0;
    }

    r->states = (uint16_t)((b2 | (b3 << 8)) & 0x7FFF);
    r->value = r->states;
    r->has_value = 1;
    r->state = IPMI_STATE_OK;
    for (unsigned i = 0; i < 15; i++) {
        if (!(r->states & (1u << i)))
            continue;
        enum ipmi_state s = stab_offset_severity(sdr->event_type, sdr->sensor_type, i);
        if (s > r->state)
            r->state = s;
    }
    return 0;
}

int
sensor_apply_thresholds(const struct ipmi_sdr *sdr, const uint8_t *data, size_t len,
                        struct ipmi_reading *r)
{
    struct buf_rd rd;

    if (!sdr || !r)
        return IC_EINVAL;
    r->thr_valid = 0;
    for (unsigned i = 0; i < 6; i++)
        r->thr[i] = 0;

    buf_rd_init(&rd, data, len);
    uint8_t mask = buf_get_u8(&rd) & 0x3F;
    if (buf_rd_err(&rd))
        return IC_EPROTO;
    /* Response order LNC, LC, LNR, UNC, UC, UNR is enum ipmi_thr's order. */
    for (unsigned i = 0; i < 6; i++) {
        if (!buf_rd_left(&rd)) {
            if (mask >> i)
                goto short_answer; /* a readable threshold is missing */
            break;
        }
        uint8_t raw = buf_get_u8(&rd);
        double v;
        if ((mask & (1u << i)) && sensor_convert(sdr, raw, &v) == 0) {
            r->thr[i] = v;
            r->thr_valid |= (uint8_t)(1u << i);
        }
    }
    return 0;

short_answer:
    r->thr_valid = 0;
    for (unsigned i = 0; i < 6; i++)
        r->thr[i] = 0;
    return IC_EPROTO;
}

void
sensor_states_text(const struct ipmi_reading *r, char *out, size_t outlen)
{
    size_t pos = 0;

    if (!out || outlen == 0)
        return;
    out[0] = '\0';
    if (!r)
        return;
    for (unsigned i = 0; i < 15; i++) {
        if (!(r->states & (1u << i)))
            continue;
        char fallback[16];
        const char *t = stab_offset_text(r->event_type, r->sensor_type, i);
        if (t[0] == '\0') {
            snprintf(fallback, sizeof(fallback), "State %u", i);
            t = fallback;
        }
        int n = snprintf(out + pos, outlen - pos, "%s%s", pos ? ", " : "", t);
        if (n < 0 || (size_t)n >= outlen - pos) {
            out[outlen - 1] = '\0'; /* truncated: snprintf already cut it */
            return;
        }
        pos += (size_t)n;
    }
}
