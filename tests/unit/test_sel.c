/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_sel.c - SEL record decoder (poller/sel.c). The bmcsim captures
 * (fixtures/bmcsim_sel.h) are decoded record by record and compared with
 * what `ipmitool sel elist` printed for the same bytes: time, sensor column,
 * event text, direction and the "Reading ... Threshold ..." detail; then the
 * corners: partial event data, conversion formats, OEM and unknown records,
 * timestamps at the boundaries, short input.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ic_err.h"
#include "sel.h"
#include "sensor_tables.h"

#include "fixtures/bmcsim_sel.h"

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* An SDR for a bmcsim sensor, as sdr.c would decode it: full records for
   threshold sensors, compact ones for discrete sensors. */
static void
make_sdr(const struct bmcsim_sensor *s, struct ipmi_sdr *sdr)
{
    memset(sdr, 0, sizeof(*sdr));
    sdr->type = s->event_type == 0x01 ? IPMI_SDR_FULL : IPMI_SDR_COMPACT;
    sdr->version = 0x51;
    snprintf(sdr->name, sizeof(sdr->name), "%s", s->name);
    sdr->owner_id = 0x20;
    sdr->number = s->number;
    sdr->sensor_type = s->sensor_type;
    sdr->event_type = s->event_type;
    sdr->units1 = s->twos_complement ? 0x80 : 0x00;
    sdr->unit_base = s->unit;
    sdr->m = s->m;
    sdr->b = s->b;
    sdr->bexp = s->bexp;
    sdr->rexp = s->rexp;
}

/* The caller's lookup: the BMC's own sensors (generator 0x20) by number. */
static const struct ipmi_sdr *
find_sdr(const uint8_t *rec, struct ipmi_sdr *buf)
{
    if (rec[2] != 0x02 || rec[7] != 0x20)
        return NULL;
    for (size_t i = 0; i < NELEMS(bmcsim_sensors); i++) {
        if (bmcsim_sensors[i].number == rec[11]) {
            make_sdr(&bmcsim_sensors[i], buf);
            return buf;
        }
    }
    return NULL;
}

/* ipmitool's sensor column: "<type>", "<type> <name>" or "<type> #0xNN". */
static void
column(const struct ipmi_sel_entry *e, char *out, size_t outlen)
{
    if (e->record_type != 0x02)
        snprintf(out, outlen, "%s", e->event);
    else if (e->sensor[0])
        snprintf(out, outlen, "%s %s", stab_sensor_type(e->sensor_type), e->sensor);
    else if (e->generator_id == 0x20)
        snprintf(out, outlen, "%s #0x%02x", stab_sensor_type(e->sensor_type), e->sensor_number);
    else
        snprintf(out, outlen, "%s", stab_sensor_type(e->sensor_type));
}

/*
 * Where we differ from ipmitool on purpose (or the shared tables word an
 * offset differently), the expected values are ours, with the reason.
 */
struct sel_diff {
    uint16_t id;
    const char *iso, *column, *event, *detail;
};
static const struct sel_diff bmc001_diffs[] = {
    /* sensor_tables.c wording (FreeIPMI's) for these two offsets */
    {0x001e, NULL, NULL, "Timestamp Clock Synch", NULL},
    {0x001f, NULL, NULL, "Configuration error", NULL},
    /* no SDR: we still give the raw trigger/threshold, ipmitool prints nothing */
    {0x0021, NULL, NULL, NULL, "Reading 0x5b > Threshold 0x5a"},
    /* record type 0x05 is not a system event (nor timestamped); ipmitool
       decodes it as one */
    {0x0022, "", "Unknown record type 0x05", "Unknown record type 0x05",
     "eb28056b05060708090a0b0c0d"},
};

static void
check_capture(const uint8_t *sel, size_t nrec, const struct bmcsim_sel_row *rows,
              const struct sel_diff *diffs, size_t ndiffs)
{
    for (size_t i = 0; i < nrec; i++) {
        const uint8_t *rec = sel + 16 * i;
        const struct bmcsim_sel_row *row = &rows[i];
        struct ipmi_sdr sdr;
        struct ipmi_sel_entry e;
        char buf[128];
        assert_int_equal(sel_decode(rec, 16, find_sdr(rec, &sdr), &e), 0);
        assert_int_equal(e.record_id, row->id);
        assert_memory_equal(e.raw, rec, 16);

        const char *want_iso = row->iso, *want_col = row->column, *want_event = row->event,
                   *want_detail = row->detail;
        for (size_t d = 0; d < ndiffs; d++) {
            if (diffs[d].id != row->id)
                continue;
            want_iso = diffs[d].iso ? diffs[d].iso : want_iso;
            want_col = diffs[d].column ? diffs[d].column : want_col;
            want_event = diffs[d].event ? diffs[d].event : want_event;
            want_detail = diffs[d].detail ? diffs[d].detail : want_detail;
        }

        sel_time_text(&e, buf, sizeof(buf));
        assert_string_equal(buf, want_iso);
        column(&e, buf, sizeof(buf));
        assert_string_equal(buf, want_col);
        assert_string_equal(e.event, want_event);
        assert_string_equal(e.detail, want_detail);
        if (row->dir[0] != '\0' && e.record_type == 0x02)
            assert_int_equal(e.deasserted, strcmp(row->dir, "Deasserted") == 0);
        if (e.record_type == 0x02 && e.deasserted)
            assert_int_equal(e.severity, IPMI_STATE_OK);
    }
}

static void
test_bmcsim_bmc001_matches_ipmitool(void **state)
{
    (void)state;
    assert_int_equal(sizeof(bmcsim_sel_bmc001), 16 * NELEMS(bmcsim_sel_bmc001_elist));
    check_capture(bmcsim_sel_bmc001, NELEMS(bmcsim_sel_bmc001_elist), bmcsim_sel_bmc001_elist,
                  bmc001_diffs, NELEMS(bmc001_diffs));
}

static void
test_bmcsim_bmc002_matches_ipmitool(void **state)
{
    (void)state;
    assert_int_equal(sizeof(bmcsim_sel_bmc002), 16 * NELEMS(bmcsim_sel_bmc002_elist));
    check_capture(bmcsim_sel_bmc002, NELEMS(bmcsim_sel_bmc002_elist), bmcsim_sel_bmc002_elist, NULL,
                  0);
}

/* Every field of one threshold record (bmc001 record 9). */
static void
test_threshold_fields(void **state)
{
    (void)state;
    const uint8_t *rec = bmcsim_sel_bmc001 + 16 * 8;
    struct ipmi_sdr sdr;
    struct ipmi_sel_entry e;
    assert_int_equal(sel_decode(rec, 16, find_sdr(rec, &sdr), &e), 0);
    assert_int_equal(e.record_id, 9);
    assert_int_equal(e.record_type, 0x02);
    assert_int_equal(e.timestamp, 0x6B04D4A5u);
    assert_int_equal(e.has_timestamp, 1);
    assert_int_equal(e.pre_init, 0);
    assert_int_equal(e.generator_id, 0x0020);
    assert_int_equal(e.evm_rev, 0x04);
    assert_int_equal(e.sensor_type, 0x01);
    assert_int_equal(e.sensor_number, 0x01);
    assert_int_equal(e.event_type, 0x01);
    assert_int_equal(e.deasserted, 0);
    assert_int_equal(e.offset, 9);
    assert_int_equal(e.data[0], 0x59);
    assert_int_equal(e.data[1], 0x5B);
    assert_int_equal(e.data[2], 0x5A);
    assert_string_equal(e.sensor, "CPU1 Temp");
    assert_string_equal(e.event, "Upper Critical going high");
    assert_string_equal(e.detail, "Reading 91 > Threshold 90 degrees C");
    assert_int_equal(e.severity, IPMI_STATE_CRITICAL);
    assert_int_equal(e.oem_iana, 0);
}

static void
test_severity(void **state)
{
    (void)state;
    uint8_t rec[16] = {0x40, 0, 0x02, 0, 0, 0, 0x60, 0x20, 0, 4, 0x01, 0x01, 0x01, 0x57, 0, 0};
    struct ipmi_sel_entry e;
    assert_int_equal(sel_decode(rec, 16, NULL, &e), 0);
    assert_int_equal(e.severity, IPMI_STATE_WARNING); /* UNC going high */
    rec[13] = 0x5B;
    assert_int_equal(sel_decode(rec, 16, NULL, &e), 0);
    assert_int_equal(e.severity, IPMI_STATE_NONRECOVERABLE); /* UNR going high */
    rec[12] = 0x81;
    assert_int_equal(sel_decode(rec, 16, NULL, &e), 0);
    assert_int_equal(e.severity, IPMI_STATE_OK); /* deassertion */
    /* PSU failure, asserted */
    uint8_t psu[16] = {0x41, 0, 0x02, 0,    0,    0,    0x60, 0x20,
                       0,    4, 0x08, 0x41, 0x6F, 0x01, 0xFF, 0xFF};
    assert_int_equal(sel_decode(psu, 16, NULL, &e), 0);
    assert_string_equal(e.event, "Failure detected");
    assert_int_equal(e.severity, IPMI_STATE_CRITICAL);
    assert_string_equal(e.detail, "");
}

/*
 * Data 1 saying only one of data 2/3 is present; no SDR; unusable SDRs.
 * ipmitool 1.8.19 prints these shapes inconsistently ("Reading 92" without
 * units, "Reading 0 > Threshold 90 degrees C" when only the threshold is
 * given, "Reading 0" for OEM codes); we print what the record holds.
 */
static void
test_threshold_detail_shapes(void **state)
{
    (void)state;
    struct ipmi_sdr sdr;
    make_sdr(&bmcsim_sensors[0], &sdr); /* CPU1 Temp: M 1, degrees C */
    uint8_t rec[16] = {1, 0, 0x02, 0, 0, 0, 0x60, 0x20, 0, 4, 0x01, 0x01, 0x01, 0x59, 0x5C, 0x5A};
    struct ipmi_sel_entry e;

    rec[13] = 0x49; /* b7:6 01 reading, b5:4 00 */
    assert_int_equal(sel_decode(rec, 16, &sdr, &e), 0);
    assert_string_equal(e.detail, "Reading 92 degrees C");
    rec[13] = 0x19; /* b7:6 00, b5:4 01 threshold */
    assert_int_equal(sel_decode(rec, 16, &sdr, &e), 0);
    assert_string_equal(e.detail, "Threshold 90 degrees C");
    rec[13] = 0xA9; /* OEM codes in both: nothing to print */
    assert_int_equal(sel_decode(rec, 16, &sdr, &e), 0);
    assert_string_equal(e.detail, "");
    rec[13] = 0x52; /* LC going low */
    assert_int_equal(sel_decode(rec, 16, NULL, &e), 0);
    assert_string_equal(e.detail, "Reading 0x5c < Threshold 0x5a");
    assert_string_equal(e.sensor, "");

    /* A compact record has no factors; a full one with analog format 11 has
       no numeric reading; factors per reading (0x70) are not in the SDR. */
    sdr.type = IPMI_SDR_COMPACT;
    assert_int_equal(sel_decode(rec, 16, &sdr, &e), 0);
    assert_string_equal(e.detail, "Reading 0x5c < Threshold 0x5a");
    assert_string_equal(e.sensor, "CPU1 Temp");
    sdr.type = IPMI_SDR_FULL;
    sdr.units1 = 0xC0;
    assert_int_equal(sel_decode(rec, 16, &sdr, &e), 0);
    assert_string_equal(e.detail, "Reading 0x5c < Threshold 0x5a");
    sdr.units1 = 0;
    sdr.linearization = 0x70;
    assert_int_equal(sel_decode(rec, 16, &sdr, &e), 0);
    assert_string_equal(e.detail, "Reading 0x5c < Threshold 0x5a");
    sdr.linearization = 0x08; /* x squared */
    assert_int_equal(sel_decode(rec, 16, &sdr, &e), 0);
    assert_string_equal(e.detail, "Reading 8464 < Threshold 8100 degrees C");
    /* An SDR that claims to be discrete still gives threshold units. */
    sdr.linearization = 0;
    sdr.event_type = 0x6F;
    assert_int_equal(sel_decode(rec, 16, &sdr, &e), 0);
    assert_string_equal(e.detail, "Reading 92 < Threshold 90 degrees C");
}

static void
test_conversion_formats(void **state)
{
    (void)state;
    struct ipmi_sdr sdr;
    memset(&sdr, 0, sizeof(sdr));
    sdr.type = IPMI_SDR_FULL;
    sdr.unit_base = 1;
    sdr.m = 1;
    uint8_t rec[16] = {1, 0, 0x02, 0, 0, 0, 0x60, 0x20, 0, 4, 0x01, 0x03, 0x01, 0x52, 0xFE, 0xFF};
    struct ipmi_sel_entry e;

    sdr.units1 = 0x40; /* one's complement: 0xFE = -1, 0xFF = -0 */
    assert_int_equal(sel_decode(rec, 16, &sdr, &e), 0);
    assert_string_equal(e.detail, "Reading -1 < Threshold 0 degrees C");
    sdr.units1 = 0x80; /* two's complement */
    assert_int_equal(sel_decode(rec, 16, &sdr, &e), 0);
    assert_string_equal(e.detail, "Reading -2 < Threshold -1 degrees C");
    sdr.units1 = 0x00;
    assert_int_equal(sel_decode(rec, 16, &sdr, &e), 0);
    assert_string_equal(e.detail, "Reading 254 < Threshold 255 degrees C");

    /* Reference §6.4: raw 0xBE, M 63, Rexp -3 -> 11.97 V; modifier units. */
    sdr.m = 63;
    sdr.rexp = -3;
    sdr.unit_base = 4;
    rec[14] = 0xBE;
    rec[15] = 0xC8;
    assert_int_equal(sel_decode(rec, 16, &sdr, &e), 0);
    assert_string_equal(e.detail, "Reading 11.97 < Threshold 12.60 Volts");
    sdr.unit_base = 6;
    sdr.unit_mod = 22;
    sdr.units1 = 0x02; /* base / modifier */
    assert_int_equal(sel_decode(rec, 16, &sdr, &e), 0);
    assert_string_equal(e.detail, "Reading 11.97 < Threshold 12.60 Watts/second");
    sdr.units1 = 0x04; /* base * modifier */
    assert_int_equal(sel_decode(rec, 16, &sdr, &e), 0);
    assert_string_equal(e.detail, "Reading 11.97 < Threshold 12.60 Watts*second");

    /* B with its own exponent: (2x + 5*10^1) * 10^0 */
    sdr.units1 = 0;
    sdr.m = 2;
    sdr.b = 5;
    sdr.bexp = 1;
    sdr.rexp = 0;
    sdr.unit_base = 18;
    rec[14] = 10;
    rec[15] = 20;
    assert_int_equal(sel_decode(rec, 16, &sdr, &e), 0);
    assert_string_equal(e.detail, "Reading 70 < Threshold 90 RPM");
}

static void
test_oem_records(void **state)
{
    (void)state;
    struct ipmi_sel_entry e;
    char t[64];
    const uint8_t *c1 = bmcsim_sel_bmc001 + 16 * 12;
    assert_int_equal(sel_decode(c1, 16, NULL, &e), 0);
    assert_int_equal(e.record_type, 0xC1);
    assert_int_equal(e.has_timestamp, 1);
    assert_int_equal(e.oem_iana, 32473);
    assert_string_equal(e.event, "OEM record c1");
    assert_string_equal(e.detail, "007ed9 | 424d4353494d");
    assert_int_equal(e.severity, IPMI_STATE_NONE);
    assert_string_equal(e.sensor, "");

    const uint8_t *e0 = bmcsim_sel_bmc001 + 16 * 13;
    assert_int_equal(sel_decode(e0, 16, NULL, &e), 0);
    assert_int_equal(e.record_type, 0xE0);
    assert_int_equal(e.has_timestamp, 0);
    assert_int_equal(e.pre_init, 0);
    assert_int_equal(e.timestamp, 0);
    sel_time_text(&e, t, sizeof(t));
    assert_string_equal(t, "");
    assert_string_equal(e.detail, "b5c001004e4f2d545354414d50");
    assert_int_equal(e.severity, IPMI_STATE_NONE);

    /* The SDR is ignored for records that are not system events. */
    struct ipmi_sdr sdr;
    make_sdr(&bmcsim_sensors[0], &sdr);
    assert_int_equal(sel_decode(c1, 16, &sdr, &e), 0);
    assert_string_equal(e.sensor, "");
}

/* Unknown offsets and event types fall back to numbers. */
static void
test_unknown_offsets(void **state)
{
    (void)state;
    uint8_t rec[16] = {1, 0, 0x02, 0, 0, 0, 0x60, 0x20, 0, 4, 0xC5, 0x10, 0x6F, 0x03, 0xFF, 0xFF};
    struct ipmi_sel_entry e;
    assert_int_equal(sel_decode(rec, 16, NULL, &e), 0);
    assert_string_equal(e.event, "Event type 0x6f offset 3");
    rec[12] = 0x75; /* OEM event/reading type */
    assert_int_equal(sel_decode(rec, 16, NULL, &e), 0);
    assert_string_equal(e.event, "Event type 0x75 offset 3");
    assert_int_equal(e.event_type, 0x75);
    rec[12] = 0x01;
    rec[13] = 0x0F; /* threshold offsets stop at 11 */
    assert_int_equal(sel_decode(rec, 16, NULL, &e), 0);
    assert_string_equal(e.event, "Event type 0x01 offset 15");
}

static void
test_time_text(void **state)
{
    (void)state;
    struct ipmi_sel_entry e;
    char t[64];
    uint8_t rec[16] = {1, 0, 0x02, 0, 0, 0, 0x20, 0x20, 0, 4, 0x05, 0x50, 0x6F, 0x00, 0xFF, 0xFF};
    static const struct {
        uint32_t ts;
        int has, pre;
        const char *text;
    } cases[] = {
        {0, 1, 1, "pre-init +0s"},
        {4660, 1, 1, "pre-init +4660s"},
        {0x20000000, 1, 1, "pre-init +536870912s"},
        {0x20000001, 1, 0, "1987-01-05T18:48:33Z"},
        {1700000000, 1, 0, "2023-11-14T22:13:20Z"},
        {1709164800, 1, 0, "2024-02-29T00:00:00Z"},
        {0xFFFFFFFE, 1, 0, "2106-02-07T06:28:14Z"},
        {0xFFFFFFFF, 0, 0, "unspecified"},
    };
    for (size_t i = 0; i < NELEMS(cases); i++) {
        rec[3] = (uint8_t)cases[i].ts;
        rec[4] = (uint8_t)(cases[i].ts >> 8);
        rec[5] = (uint8_t)(cases[i].ts >> 16);
        rec[6] = (uint8_t)(cases[i].ts >> 24);
        assert_int_equal(sel_decode(rec, 16, NULL, &e), 0);
        assert_int_equal(e.timestamp, cases[i].ts);
        assert_int_equal(e.has_timestamp, cases[i].has);
        assert_int_equal(e.pre_init, cases[i].pre);
        sel_time_text(&e, t, sizeof(t));
        assert_string_equal(t, cases[i].text);
    }
    /* Short buffers are cut, never overrun; NULL entry gives "". */
    sel_time_text(&e, t, 5);
    assert_string_equal(t, "unsp");
    t[0] = 'x';
    sel_time_text(&e, t, 1);
    assert_int_equal(t[0], '\0');
    sel_time_text(&e, NULL, 10);
    sel_time_text(NULL, t, sizeof(t));
    assert_string_equal(t, "");
}

static void
test_bad_input(void **state)
{
    (void)state;
    struct ipmi_sel_entry e;
    uint8_t rec[17];
    memcpy(rec, bmcsim_sel_bmc001, 16);
    rec[16] = 0xAA;
    for (size_t n = 0; n < 16; n++)
        assert_int_equal(sel_decode(rec, n, NULL, &e), IC_EPROTO);
    assert_int_equal(sel_decode(rec, 17, NULL, &e), 0); /* extra bytes ignored */
    assert_int_equal(e.record_id, 1);
    assert_int_equal(sel_decode(NULL, 16, NULL, &e), IC_EINVAL);
    assert_int_equal(sel_decode(rec, 16, NULL, NULL), IC_EINVAL);

    /* An SDR name of full length is copied whole and terminated. */
    struct ipmi_sdr sdr;
    memset(&sdr, 0, sizeof(sdr));
    memset(sdr.name, 'N', IPMI_NAME_MAX);
    assert_int_equal(sel_decode(rec, 16, &sdr, &e), 0);
    assert_int_equal(strlen(e.sensor), IPMI_NAME_MAX);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bmcsim_bmc001_matches_ipmitool),
        cmocka_unit_test(test_bmcsim_bmc002_matches_ipmitool),
        cmocka_unit_test(test_threshold_fields),
        cmocka_unit_test(test_severity),
        cmocka_unit_test(test_threshold_detail_shapes),
        cmocka_unit_test(test_conversion_formats),
        cmocka_unit_test(test_oem_records),
        cmocka_unit_test(test_unknown_offsets),
        cmocka_unit_test(test_time_text),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
