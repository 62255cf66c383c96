/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sel.c - System Event Log record decoder (IPMI v2.0 §32 Table 32-1, §29.7
 * Table 29-6 for event data, §37.1 for timestamps; reference §7). Pure: no
 * I/O, no globals, no allocation.
 *
 * Record, 16 bytes:
 *   [0..1]  record ID (LE)
 *   [2]     record type
 * type 0x02, system event:
 *   [3..6]  timestamp (LE, seconds since 1970; <= 0x20000000 relative to
 *           BMC initialisation; 0xFFFFFFFF unspecified)
 *   [7..8]  generator ID: [7] b0 = 0 IPMB slave address b7:1, b0 = 1
 *           software ID b7:1; [8] b7:4 channel, b1:0 LUN
 *   [9]     EvM revision (0x04 for IPMI 1.5/2.0)
 *   [10]    sensor type (Table 42-3)
 *   [11]    sensor number
 *   [12]    b7 direction (1 = deassertion), b6:0 event/reading type
 *   [13]    event data 1: b3:0 offset; threshold types: b7:6 = 01 data 2
 *           is the trigger reading, b5:4 = 01 data 3 is the threshold
 *   [14]    event data 2
 *   [15]    event data 3
 * types 0xC0-0xDF, OEM timestamped:
 *   [3..6]  timestamp, [7..9] manufacturer IANA (LE), [10..15] OEM data
 * types 0xE0-0xFF, OEM non-timestamped:
 *   [3..15] OEM data
 */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "clock.h"
#include "ic_err.h"
#include "sel.h"
#include "sensor.h"
#include "sensor_tables.h"

#define SEL_TYPE_SYSTEM     0x02
#define SEL_TYPE_OEM_TS_MIN 0xC0
#define SEL_TYPE_OEM_NT_MIN 0xE0
#define SEL_EVT_THRESHOLD   0x01
#define SEL_DATA_TRIGGER    0x01 /* data 1 b7:6 / b5:4 value "01" */

/* ---- threshold detail ----------------------------------------------------------- */

/* As ipmitool prints a converted value: "91", "11.70". */
static void
sel_num(double v, char *out, size_t outlen)
{
    if (v == 0.0)
        v = 0.0; /* never "-0" */
    if (v > -1e15 && v < 1e15 && v == (double)(long long)v)
        snprintf(out, outlen, "%.0f", v);
    else
        snprintf(out, outlen, "%.2f", v);
}

/* ---- system events ---------------------------------------------------------------- */

/* Threshold event detail from event data 2/3 (Table 29-6). */
static void
sel_threshold_detail(struct ipmi_sel_entry *e, const struct ipmi_sdr *sdr)
{
    int has_rd = (e->data[0] >> 6) == SEL_DATA_TRIGGER;
    int has_th = ((e->data[0] >> 4) & 0x03u) == SEL_DATA_TRIGGER;
    if (!has_rd && !has_th)
        return;

    char rd[32], th[32], unit[48] = "";
    double vr, vt;
    if (sdr && sensor_convert(sdr, e->data[1], &vr) == 0 &&
        sensor_convert(sdr, e->data[2], &vt) == 0) {
        sel_num(vr, rd, sizeof(rd));
        sel_num(vt, th, sizeof(th));
        /* The event says threshold; the units must not say "discrete"
           because of a mismatched SDR. */
        struct ipmi_sdr thr = *sdr;
        thr.event_type = SEL_EVT_THRESHOLD;
        unit[0] = ' ';
        sensor_unit_text(&thr, unit + 1, sizeof(unit) - 1);
    } else {
        snprintf(rd, sizeof(rd), "0x%02x", e->data[1]);
        snprintf(th, sizeof(th), "0x%02x", e->data[2]);
    }
    /* Odd offsets are "going high": the reading is above the threshold when
       asserted, below it again when deasserted. */
    char cmp = ((e->offset & 1u) != 0) != (e->deasserted != 0) ? '>' : '<';
    int n;
    if (has_rd && has_th)
        n = snprintf(e->detail, sizeof(e->detail), "Reading %s %c Threshold %s%s", rd, cmp, th,
                     unit);
    else if (has_rd)
        n = snprintf(e->detail, sizeof(e->detail), "Reading %s%s", rd, unit);
    else
        n = snprintf(e->detail, sizeof(e->detail), "Threshold %s%s", th, unit);
    (void)n; /* absurd factors may cut the text; it stays terminated */
}

/* Copies a name or offset text, cut to cap - 1 bytes, without trailing
   blanks (ipmitool's threshold texts end in one). */
static void
sel_copy_text(char *dst, size_t cap, const char *src)
{
    size_t n = strnlen(src, cap - 1);
    while (n > 0 && src[n - 1] == ' ')
        n--;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static void
sel_system_event(struct buf_rd *r, const struct ipmi_sdr *sdr, struct ipmi_sel_entry *e)
{
    e->timestamp = buf_get_le32(r);
    e->generator_id = buf_get_le16(r);
    e->evm_rev = buf_get_u8(r);
    e->sensor_type = buf_get_u8(r);
    e->sensor_number = buf_get_u8(r);
    uint8_t dir_type = buf_get_u8(r);
    buf_get_bytes(r, e->data, 3);

    e->has_timestamp = e->timestamp != SEL_TS_UNSPECIFIED;
    e->pre_init = e->has_timestamp && e->timestamp <= SEL_PREINIT_MAX;
    e->event_type = dir_type & 0x7Fu;
    e->deasserted = dir_type >> 7;
    e->offset = e->data[0] & 0x0Fu;
    if (sdr)
        sel_copy_text(e->sensor, sizeof(e->sensor), sdr->name);

    const char *txt = stab_offset_text(e->event_type, e->sensor_type, e->offset);
    if (txt[0] != '\0')
        sel_copy_text(e->event, sizeof(e->event), txt);
    else
        snprintf(e->event, sizeof(e->event), "Event type 0x%02x offset %u", e->event_type,
                 e->offset);

    if (e->deasserted)
        e->severity = IPMI_STATE_OK;
    else
        e->severity = stab_offset_severity(e->event_type, e->sensor_type, e->offset);

    if (e->event_type == SEL_EVT_THRESHOLD)
        sel_threshold_detail(e, sdr);
}

/* ---- OEM and unknown records ---------------------------------------------------------- */

/* Appends n bytes from r as lower-case hex to out. */
static void
sel_hex(struct buf_rd *r, size_t n, char *out, size_t outlen)
{
    size_t used = strlen(out);
    for (size_t i = 0; i < n; i++) {
        uint8_t b = buf_get_u8(r);
        if (used + 3 > outlen)
            continue;
        snprintf(out + used, outlen - used, "%02x", b);
        used += 2;
    }
}

static void
sel_oem_ts(struct buf_rd *r, struct ipmi_sel_entry *e)
{
    e->timestamp = buf_get_le32(r);
    e->has_timestamp = e->timestamp != SEL_TS_UNSPECIFIED;
    e->pre_init = e->has_timestamp && e->timestamp <= SEL_PREINIT_MAX;
    uint32_t lo = buf_get_le16(r);
    uint32_t hi = buf_get_u8(r);
    e->oem_iana = lo | (hi << 16);
    snprintf(e->event, sizeof(e->event), "OEM record %02x", e->record_type);
    snprintf(e->detail, sizeof(e->detail), "%06x | ", (unsigned)e->oem_iana);
    sel_hex(r, 6, e->detail, sizeof(e->detail));
}

static void
sel_other(struct buf_rd *r, struct ipmi_sel_entry *e)
{
    if (e->record_type >= SEL_TYPE_OEM_NT_MIN)
        snprintf(e->event, sizeof(e->event), "OEM record %02x", e->record_type);
    else
        snprintf(e->event, sizeof(e->event), "Unknown record type 0x%02x", e->record_type);
    sel_hex(r, 13, e->detail, sizeof(e->detail));
}

/* ---- entry points ------------------------------------------------------------------ */

int
sel_decode(const uint8_t *rec, size_t len, const struct ipmi_sdr *sdr, struct ipmi_sel_entry *out)
{
    if (!out)
        return IC_EINVAL;
    memset(out, 0, sizeof(*out));
    if (!rec)
        return IC_EINVAL;
    if (len < SEL_RECORD_LEN)
        return IC_EPROTO;

    struct buf_rd r;
    buf_rd_init(&r, rec, SEL_RECORD_LEN);
    buf_get_bytes(&r, out->raw, SEL_RECORD_LEN);
    buf_rd_init(&r, rec, SEL_RECORD_LEN);
    out->record_id = buf_get_le16(&r);
    out->record_type = buf_get_u8(&r);
    out->severity = IPMI_STATE_NONE;

    if (out->record_type == SEL_TYPE_SYSTEM)
        sel_system_event(&r, sdr, out);
    else if (out->record_type >= SEL_TYPE_OEM_TS_MIN && out->record_type < SEL_TYPE_OEM_NT_MIN)
        sel_oem_ts(&r, out);
    else
        sel_other(&r, out);
    return buf_rd_err(&r);
}

void
sel_time_text(const struct ipmi_sel_entry *e, char *out, size_t outlen)
{
    if (!out || outlen == 0)
        return;
    out[0] = '\0';
    if (!e)
        return;
    if (!e->has_timestamp) {
        int stamped = e->record_type == SEL_TYPE_SYSTEM || (e->record_type >= SEL_TYPE_OEM_TS_MIN &&
                                                            e->record_type < SEL_TYPE_OEM_NT_MIN);
        if (stamped && e->timestamp == SEL_TS_UNSPECIFIED)
            snprintf(out, outlen, "unspecified");
        return;
    }
    if (e->timestamp <= SEL_PREINIT_MAX) {
        snprintf(out, outlen, "pre-init +%us", (unsigned)e->timestamp);
        return;
    }
    uint32_t days = e->timestamp / 86400, sec = e->timestamp % 86400;
    unsigned y, m, d;
    clock_civil_from_days(days, &y, &m, &d);
    snprintf(out, outlen, "%04u-%02u-%02uT%02u:%02u:%02uZ", y, m, d, sec / 3600, sec / 60 % 60,
             sec % 60);
}
