/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_sensor.c - readings, thresholds, units and states (poller/sensor.c).
 *
 * The fixture (fixtures/bmcsim_sdr.h) holds, for every sensor of bmc001 and
 * bmc002 of a bmcsim fleet, as started and after alarms were set, the raw
 * Get Sensor Reading and Get Sensor Thresholds answers and what the peer
 * tools printed for the same sensor at the same time. Decoding the captured
 * bytes must print the same: `ipmitool sensor list` (value, unit, status,
 * six thresholds, "%.3f"), `ipmitool sdr elist all` (reading to the digits
 * shown, discrete state texts) and `ipmi-sensors` (value "%.2f").
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <cmocka.h>

#include "sdr.h"
#include "sensor.h"
#include "ic_err.h"

#include "fixtures/bmcsim_sdr.h"

#define NCAP(a) (sizeof(a) / sizeof((a)[0]))

/* Finds and decodes the SDR of sensor `number` in the captured repository. */
static void
sdr_by_number(uint8_t number, struct ipmi_sdr *out)
{
    size_t pos = 0;
    while (pos + SDR_HEADER_LEN <= sizeof(bmcsim_sdr_dump)) {
        uint8_t body;
        assert_int_equal(
            sdr_header(bmcsim_sdr_dump + pos, sizeof(bmcsim_sdr_dump) - pos, NULL, NULL, &body), 0);
        size_t len = SDR_HEADER_LEN + (size_t)body;
        if (sdr_decode(bmcsim_sdr_dump + pos, len, 0, out, NULL) == 0 && sensor_is_readable(out) &&
            out->number == number)
            return;
        pos += len;
    }
    fail_msg("no sensor 0x%02x", number);
}

/* ipmitool's sensor list status column for a threshold sensor. */
static const char *
ipmitool_status(const struct ipmi_reading *r)
{
    switch (r->state) {
    case IPMI_STATE_OK:
        return "ok";
    case IPMI_STATE_WARNING:
        return "nc";
    case IPMI_STATE_CRITICAL:
        return "cr";
    case IPMI_STATE_NONRECOVERABLE:
        return "nr";
    default:
        return "na";
    }
}

/* Our value printed with as many decimals as ipmitool's text has. */
static void
check_value_text(double v, const char *text)
{
    const char *dot = strchr(text, '.');
    int prec = 0;
    if (dot)
        while (dot[1 + prec] >= '0' && dot[1 + prec] <= '9')
            prec++;
    char want[32], got[32];
    size_t n = strcspn(text, " ");
    assert_true(n < sizeof(want));
    memcpy(want, text, n);
    want[n] = '\0';
    snprintf(got, sizeof(got), "%.*f", prec, v);
    assert_string_equal(got, want);
}

static void
check_capture(const struct bmcsim_capture *c)
{
    struct ipmi_sdr s;
    struct ipmi_reading r;
    char buf[256];

    sdr_by_number(c->number, &s);
    sensor_init_reading(&s, &r);
    assert_string_equal(r.name, c->name);
    assert_int_equal(r.number, c->number);
    assert_int_equal(r.record_id, s.record_id);
    assert_int_equal(r.has_value, 0);
    assert_int_equal(r.state, IPMI_STATE_NONE);

    assert_int_equal(sensor_apply_reading(&s, c->rd_cc, c->rd, c->rd_len, &r), 0);
    assert_int_equal(r.cc, c->rd_cc);
    if (c->th_cc == 0)
        assert_int_equal(sensor_apply_thresholds(&s, c->th, c->th_len, &r), 0);

    if (r.threshold) {
        /* sensor list: value, unit (blank when there is no reading), status */
        if (r.has_value) {
            snprintf(buf, sizeof(buf), "%.3f", r.value);
            assert_string_equal(buf, c->value);
            assert_string_equal(r.unit, c->unit);
        } else {
            assert_string_equal(c->value, "na");
        }
        assert_string_equal(ipmitool_status(&r), c->status);
        /* thresholds, in ipmitool's column order */
        static const enum ipmi_thr order[6] = {IPMI_THR_LNR, IPMI_THR_LC, IPMI_THR_LNC,
                                               IPMI_THR_UNC, IPMI_THR_UC, IPMI_THR_UNR};
        for (int i = 0; i < 6; i++) {
            if (r.thr_valid & (1u << order[i]))
                snprintf(buf, sizeof(buf), "%.3f", r.thr[order[i]]);
            else
                snprintf(buf, sizeof(buf), "na");
            assert_string_equal(buf, c->thr[i]);
        }
        /* sdr elist: "49 degrees C", "31.50 degrees C", or "Disabled"/"No Reading" */
        if (r.has_value) {
            check_value_text(r.value, c->el_reading);
            assert_string_equal(strchr(c->el_reading, ' ') + 1, r.unit);
            snprintf(buf, sizeof(buf), "%.2f", r.value);
            assert_string_equal(buf, c->is_value);
        } else {
            assert_true(strcmp(c->el_reading, "Disabled") == 0 ||
                        strcmp(c->el_reading, "No Reading") == 0);
            assert_string_equal(c->el_status, "ns");
            assert_string_equal(c->is_value, "N/A");
        }
        return;
    }

    /* Discrete: ipmitool sensor list shows byte 2 as the value and bytes 2-3 as status. */
    assert_int_equal(r.has_value, 1);
    assert_string_equal(r.unit, "discrete");
    assert_string_equal(r.unit, c->unit);
    snprintf(buf, sizeof(buf), "0x%x", r.states & 0xff);
    assert_string_equal(buf, c->value);
    snprintf(buf, sizeof(buf), "0x%02x%02x", r.states & 0xff, r.states >> 8);
    assert_string_equal(buf, c->status);
    sensor_states_text(&r, buf, sizeof(buf));
    assert_string_equal(buf, c->el_reading);
}

static void
check_all(const struct bmcsim_capture *c, size_t n)
{
    assert_int_equal(n, 24);
    for (size_t i = 0; i < n; i++)
        check_capture(&c[i]);
}

static void
test_bmc001(void **state)
{
    (void)state;
    check_all(bmcsim_bmc001, NCAP(bmcsim_bmc001));
}

static void
test_bmc002(void **state)
{
    (void)state;
    check_all(bmcsim_bmc002, NCAP(bmcsim_bmc002));
}

static void
test_bmc001_alarm(void **state)
{
    (void)state;
    check_all(bmcsim_bmc001_alarm, NCAP(bmcsim_bmc001_alarm));
}

static void
test_bmc002_alarm(void **state)
{
    (void)state;
    check_all(bmcsim_bmc002_alarm, NCAP(bmcsim_bmc002_alarm));
}

static void
reading_of(const struct bmcsim_capture *caps, size_t n, const char *name, struct ipmi_reading *r)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(caps[i].name, name) != 0)
            continue;
        struct ipmi_sdr s;
        sdr_by_number(caps[i].number, &s);
        sensor_init_reading(&s, r);
        assert_int_equal(sensor_apply_reading(&s, caps[i].rd_cc, caps[i].rd, caps[i].rd_len, r), 0);
        return;
    }
    fail_msg("no capture %s", name);
}

/* Our own judgement where the peer tools print no state (discrete sensors). */
static void
test_states(void **state)
{
    (void)state;
    struct ipmi_reading r;
    reading_of(bmcsim_bmc001, NCAP(bmcsim_bmc001), "PSU1 Status", &r);
    assert_int_equal(r.state, IPMI_STATE_OK);
    reading_of(bmcsim_bmc001_alarm, NCAP(bmcsim_bmc001_alarm), "PSU1 Status", &r);
    assert_int_equal(r.state, IPMI_STATE_CRITICAL);
    assert_int_equal(r.states, 0x0003);
    reading_of(bmcsim_bmc001_alarm, NCAP(bmcsim_bmc001_alarm), "CPU1 Temp", &r);
    assert_int_equal(r.state, IPMI_STATE_CRITICAL);
    assert_string_equal(ipmi_state_str(r.state), "critical");
    reading_of(bmcsim_bmc002_alarm, NCAP(bmcsim_bmc002_alarm), "CPU2 Temp", &r);
    assert_int_equal(r.state, IPMI_STATE_NONRECOVERABLE);
    reading_of(bmcsim_bmc002_alarm, NCAP(bmcsim_bmc002_alarm), "FAN1", &r);
    assert_int_equal(r.state, IPMI_STATE_WARNING);
    reading_of(bmcsim_bmc002_alarm, NCAP(bmcsim_bmc002_alarm), "12V", &r);
    assert_int_equal(r.state, IPMI_STATE_CRITICAL);
    reading_of(bmcsim_bmc002_alarm, NCAP(bmcsim_bmc002_alarm), "DIMM A1", &r);
    assert_int_equal(r.state, IPMI_STATE_CRITICAL); /* uncorrectable ECC */
    reading_of(bmcsim_bmc002_alarm, NCAP(bmcsim_bmc002_alarm), "Intrusion", &r);
    assert_int_equal(r.state, IPMI_STATE_CRITICAL);
    reading_of(bmcsim_bmc002_alarm, NCAP(bmcsim_bmc002_alarm), "DIMM B1", &r);
    assert_int_equal(r.state, IPMI_STATE_OK);
    reading_of(bmcsim_bmc001, NCAP(bmcsim_bmc001), "Intrusion", &r);
    assert_int_equal(r.state, IPMI_STATE_OK);
    assert_int_equal(r.states, 0);
    reading_of(bmcsim_bmc001, NCAP(bmcsim_bmc001), "GPU1 Temp", &r);
    assert_int_equal(r.state, IPMI_STATE_NONE);
    assert_null(ipmi_state_str(r.state));
    reading_of(bmcsim_bmc001, NCAP(bmcsim_bmc001), "FAN5", &r);
    assert_int_equal(r.cc, 0xCC);
    assert_int_equal(r.has_value, 0);

    assert_string_equal(ipmi_state_str(IPMI_STATE_OK), "ok");
    assert_string_equal(ipmi_state_str(IPMI_STATE_WARNING), "warning");
    assert_string_equal(ipmi_state_str(IPMI_STATE_NONRECOVERABLE), "non-recoverable");
    assert_null(ipmi_state_str((enum ipmi_state)42));
}

/* A full threshold record with the given factors. */
static struct ipmi_sdr
full(int m, int b, int bexp, int rexp, unsigned fmt, unsigned lin)
{
    struct ipmi_sdr s;
    memset(&s, 0, sizeof(s));
    s.type = IPMI_SDR_FULL;
    s.event_type = 0x01;
    s.sensor_type = 0x02;
    s.units1 = (uint8_t)(fmt << 6);
    s.unit_base = 4;
    s.m = (int16_t)m;
    s.b = (int16_t)b;
    s.bexp = (int8_t)bexp;
    s.rexp = (int8_t)rexp;
    s.linearization = (uint8_t)lin;
    return s;
}

static double
conv(const struct ipmi_sdr *s, uint8_t raw)
{
    double v = -12345;
    assert_int_equal(sensor_convert(s, raw, &v), 0);
    return v;
}

static void
test_convert_linear(void **state)
{
    (void)state;
    /* Reference §6.4 worked examples. */
    struct ipmi_sdr s = full(63, 0, 0, -3, 0, 0);
    assert_true(conv(&s, 0xBE) == 11.97);
    s = full(75, 0, 0, 0, 0, 0);
    assert_true(conv(&s, 0x60) == 7200);
    /* Analog formats. */
    s = full(1, 0, 0, 0, 1, 0); /* one's complement */
    assert_true(conv(&s, 0xFF) == 0);
    assert_true(conv(&s, 0xFE) == -1);
    assert_true(conv(&s, 0x80) == -127);
    assert_true(conv(&s, 0x7F) == 127);
    s = full(1, 0, 0, 0, 2, 0); /* two's complement */
    assert_true(conv(&s, 0xFF) == -1);
    assert_true(conv(&s, 0x80) == -128);
    s = full(1, 0, 0, 0, 0, 0);
    assert_true(conv(&s, 0xFF) == 255);
    /* Negative M and B, B exponent, both exponents negative. */
    s = full(-512, -1, 7, -8, 0, 0);
    assert_true(conv(&s, 2) == (-1024.0 - 1e7) / 1e8);
    s = full(511, 511, -8, 7, 2, 0);
    assert_true(conv(&s, 0x80) == -6540799999489.0 / 10); /* exact integer, one division */
    s = full(3, 9, 2, -2, 0, 0);
    assert_true(conv(&s, 101) == 12.03);
    s = full(1, -40, 0, 0, 0, 0);
    assert_true(conv(&s, 91) == 51);
    s = full(7, 0, 0, 1, 0, 0);
    assert_true(conv(&s, 81) == 5670);
    s = full(2, 5, -1, -1, 0, 0); /* (2*10 + 0.5) / 10 = 2.05 */
    assert_true(conv(&s, 10) == 2.05);
}

static void
test_convert_linearizations(void **state)
{
    (void)state;
    struct ipmi_sdr s;
    double v;
    static const struct {
        unsigned lin;
        uint8_t raw;
        double want;
    } t[] = {
        {0x01, 1, 0.0},  {0x02, 100, 2.0}, {0x03, 8, 3.0},   {0x04, 0, 1.0},
        {0x05, 3, 1000}, {0x06, 10, 1024}, {0x07, 4, 0.25},  {0x08, 12, 144},
        {0x09, 3, 27},   {0x0A, 81, 9.0},  {0x0B, 125, 5.0}, {0x00, 7, 7.0},
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        s = full(1, 0, 0, 0, 0, t[i].lin);
        assert_int_equal(sensor_convert(&s, t[i].raw, &v), 0);
        assert_true(fabs(v - t[i].want) < 1e-9);
    }
    s = full(1, 0, 0, 0, 0, 0x04);
    assert_true(fabs(conv(&s, 1) - 2.718281828459045) < 1e-12);
    /* Cube root of a negative (two's complement raw). */
    s = full(1, 0, 0, 0, 2, 0x0B);
    assert_true(fabs(conv(&s, (uint8_t)-27) + 3.0) < 1e-12);
    /* No value: 1/0, logs of 0 and of negatives, sqrt of a negative, overflow. */
    s = full(1, 0, 0, 0, 0, 0x07);
    assert_int_equal(sensor_convert(&s, 0, &v), IC_EINVAL);
    for (unsigned lin = 1; lin <= 3; lin++) {
        s = full(1, 0, 0, 0, 2, lin);
        assert_int_equal(sensor_convert(&s, 0, &v), IC_EINVAL);
        assert_int_equal(sensor_convert(&s, 0xF0, &v), IC_EINVAL);
    }
    s = full(1, 0, 0, 0, 2, 0x0A);
    assert_int_equal(sensor_convert(&s, 0xFF, &v), IC_EINVAL);
    s = full(511, 0, 0, 7, 0, 0x04);
    assert_int_equal(sensor_convert(&s, 255, &v), IC_EINVAL);
    s = full(511, 0, 0, 7, 0, 0x05);
    assert_int_equal(sensor_convert(&s, 255, &v), IC_EINVAL);
    /* Refused: reserved and non-linear (0x70+) linearizations, format 11, not a full record. */
    s = full(1, 0, 0, 0, 0, 0x0C);
    assert_int_equal(sensor_convert(&s, 1, &v), IC_EINVAL);
    s = full(1, 0, 0, 0, 0, 0x70);
    assert_int_equal(sensor_convert(&s, 1, &v), IC_EINVAL);
    s = full(1, 0, 0, 0, 0, 0x7F);
    assert_int_equal(sensor_convert(&s, 1, &v), IC_EINVAL);
    s = full(1, 0, 0, 0, 3, 0);
    assert_int_equal(sensor_convert(&s, 1, &v), IC_EINVAL);
    s = full(1, 0, 0, 0, 0, 0);
    s.type = IPMI_SDR_COMPACT;
    assert_int_equal(sensor_convert(&s, 1, &v), IC_EINVAL);
    assert_int_equal(sensor_convert(NULL, 1, &v), IC_EINVAL);
    s.type = IPMI_SDR_FULL;
    assert_int_equal(sensor_convert(&s, 1, NULL), IC_EINVAL);
}

static void
test_apply_reading_errors(void **state)
{
    (void)state;
    struct ipmi_sdr s = full(1, 0, 0, 0, 0, 0);
    struct ipmi_reading r;
    const uint8_t ok[] = {0x20, 0xC0, 0x00, 0x00};

    static const uint8_t none[] = {0xCB, 0xCD, 0xC9, 0xCC, 0xCE, 0xD5, 0xD3};
    for (size_t i = 0; i < sizeof(none); i++) {
        sensor_init_reading(&s, &r);
        assert_int_equal(sensor_apply_reading(&s, 0, ok, sizeof(ok), &r), 0);
        assert_int_equal(r.has_value, 1);
        assert_int_equal(sensor_apply_reading(&s, none[i], NULL, 0, &r), 0);
        assert_int_equal(r.has_value, 0);
        assert_int_equal(r.state, IPMI_STATE_NONE);
        assert_int_equal(r.cc, none[i]);
    }
    assert_int_equal(sensor_apply_reading(&s, 0xC1, NULL, 0, &r), IC_ECC);
    assert_int_equal(sensor_apply_reading(&s, 0xC0, ok, sizeof(ok), &r), IC_ECC);
    assert_int_equal(sensor_apply_reading(&s, 0xFF, NULL, 0, &r), IC_ECC);
    assert_int_equal(r.has_value, 0);
    /* Too short. */
    assert_int_equal(sensor_apply_reading(&s, 0, NULL, 0, &r), IC_EPROTO);
    assert_int_equal(sensor_apply_reading(&s, 0, ok, 1, &r), IC_EPROTO);
    /* Two bytes are enough: no comparison bits means ok. */
    assert_int_equal(sensor_apply_reading(&s, 0, ok, 2, &r), 0);
    assert_int_equal(r.has_value, 1);
    assert_true(r.value == 32);
    assert_int_equal(r.state, IPMI_STATE_OK);
    /* Unavailable, and scanning disabled. */
    const uint8_t unav[] = {0x20, 0xE0, 0x00};
    assert_int_equal(sensor_apply_reading(&s, 0, unav, sizeof(unav), &r), 0);
    assert_int_equal(r.has_value, 0);
    assert_int_equal(r.state, IPMI_STATE_NONE);
    assert_int_equal(r.flags, 0xE0);
    const uint8_t noscan[] = {0x20, 0x80, 0x3F};
    assert_int_equal(sensor_apply_reading(&s, 0, noscan, sizeof(noscan), &r), 0);
    assert_int_equal(r.has_value, 0);
    assert_int_equal(r.state, IPMI_STATE_NONE);
    /* Comparison bits, each level; reserved b7:6 ignored. */
    static const struct {
        uint8_t bits;
        enum ipmi_state st;
    } cmp[] = {{0x00, IPMI_STATE_OK},
               {0xC0, IPMI_STATE_OK},
               {0x01, IPMI_STATE_WARNING},
               {0x08, IPMI_STATE_WARNING},
               {0x03, IPMI_STATE_CRITICAL},
               {0x10, IPMI_STATE_CRITICAL},
               {0x04, IPMI_STATE_NONRECOVERABLE},
               {0x3F, IPMI_STATE_NONRECOVERABLE}};
    for (size_t i = 0; i < sizeof(cmp) / sizeof(cmp[0]); i++) {
        const uint8_t d[] = {0x20, 0xC0, cmp[i].bits};
        assert_int_equal(sensor_apply_reading(&s, 0, d, sizeof(d), &r), 0);
        assert_int_equal(r.state, cmp[i].st);
    }
    /* Format 11: no value, but the comparison bits still judge. */
    s = full(1, 0, 0, 0, 3, 0);
    const uint8_t hot[] = {0x20, 0xC0, 0x10};
    assert_int_equal(sensor_apply_reading(&s, 0, hot, sizeof(hot), &r), 0);
    assert_int_equal(r.has_value, 0);
    assert_int_equal(r.state, IPMI_STATE_CRITICAL);
    /* 1/x of 0: no value, no crash. */
    s = full(1, 0, 0, 0, 0, 0x07);
    const uint8_t zero[] = {0x00, 0xC0, 0x00};
    assert_int_equal(sensor_apply_reading(&s, 0, zero, sizeof(zero), &r), 0);
    assert_int_equal(r.has_value, 0);
    assert_int_equal(r.state, IPMI_STATE_OK);
    assert_int_equal(sensor_apply_reading(NULL, 0, zero, sizeof(zero), &r), IC_EINVAL);
}

static struct ipmi_sdr
discrete(uint8_t sensor_type, uint8_t event_type)
{
    struct ipmi_sdr s;
    memset(&s, 0, sizeof(s));
    s.type = IPMI_SDR_COMPACT;
    s.sensor_type = sensor_type;
    s.event_type = event_type;
    return s;
}

static void
test_apply_reading_discrete(void **state)
{
    (void)state;
    struct ipmi_sdr s = discrete(0x08, 0x6F);
    struct ipmi_reading r;
    char txt[128];

    sensor_init_reading(&s, &r);
    assert_int_equal(r.threshold, 0);
    /* Bytes 2-3 missing: no states, ok. */
    const uint8_t two[] = {0x00, 0xC0};
    assert_int_equal(sensor_apply_reading(&s, 0, two, sizeof(two), &r), 0);
    assert_int_equal(r.has_value, 1);
    assert_int_equal(r.states, 0);
    assert_int_equal(r.state, IPMI_STATE_OK);
    sensor_states_text(&r, txt, sizeof(txt));
    assert_string_equal(txt, "");
    /* Byte 3 missing. */
    const uint8_t three[] = {0x00, 0xC0, 0x05};
    assert_int_equal(sensor_apply_reading(&s, 0, three, sizeof(three), &r), 0);
    assert_int_equal(r.states, 0x0005);
    assert_int_equal(r.state, IPMI_STATE_WARNING); /* predictive failure */
    sensor_states_text(&r, txt, sizeof(txt));
    assert_string_equal(txt, "Presence detected, Predictive failure");
    /* b15 cleared; unknown offsets fall back to "State N"; severity of unknown = ok. */
    const uint8_t high[] = {0x00, 0xC0, 0x00, 0xC1};
    assert_int_equal(sensor_apply_reading(&s, 0, high, sizeof(high), &r), 0);
    assert_int_equal(r.states, 0x4100);
    assert_int_equal(r.state, IPMI_STATE_OK);
    sensor_states_text(&r, txt, sizeof(txt));
    assert_string_equal(txt, "State 8, State 14");
    /* Generic redundancy: lost is critical. */
    s = discrete(0x0A, 0x0B);
    const uint8_t lost[] = {0x00, 0xC0, 0x02, 0x00};
    sensor_init_reading(&s, &r);
    assert_int_equal(sensor_apply_reading(&s, 0, lost, sizeof(lost), &r), 0);
    assert_int_equal(r.state, IPMI_STATE_CRITICAL);
    sensor_states_text(&r, txt, sizeof(txt));
    assert_string_equal(txt, "Redundancy Lost");
    /* Severity 0x07 "non-recoverable". */
    s = discrete(0x28, 0x07);
    const uint8_t nr[] = {0x00, 0xC0, 0x40, 0x00};
    assert_int_equal(sensor_apply_reading(&s, 0, nr, sizeof(nr), &r), 0);
    assert_int_equal(r.state, IPMI_STATE_NONRECOVERABLE);
    /* Scanning disabled: nothing. */
    const uint8_t off[] = {0x00, 0x00, 0xFF, 0x7F};
    assert_int_equal(sensor_apply_reading(&s, 0, off, sizeof(off), &r), 0);
    assert_int_equal(r.has_value, 0);
    assert_int_equal(r.states, 0);
    assert_int_equal(r.state, IPMI_STATE_NONE);
}

static void
test_states_text_bounds(void **state)
{
    (void)state;
    struct ipmi_sdr s = discrete(0x07, 0x6F);
    struct ipmi_reading r;
    sensor_init_reading(&s, &r);
    r.states = 0x7FFF;
    char big[1024];
    sensor_states_text(&r, big, sizeof(big));
    assert_true(strncmp(big, "IERR, Thermal Trip, ", 20) == 0);
    assert_non_null(strstr(big, "State 13, State 14"));
    for (size_t n = 1; n < strlen(big) + 2; n++) {
        char *small = malloc(n);
        assert_non_null(small);
        sensor_states_text(&r, small, n);
        assert_true(strlen(small) < n);
        assert_true(strncmp(small, big, strlen(small)) == 0);
        free(small);
    }
    sensor_states_text(&r, big, 0); /* no write */
    sensor_states_text(NULL, big, sizeof(big));
    assert_string_equal(big, "");
}

static void
test_thresholds(void **state)
{
    (void)state;
    struct ipmi_sdr s = full(26, 0, 0, -3, 0, 0);
    struct ipmi_reading r;
    sensor_init_reading(&s, &r);

    /* bmcsim 5V: LNC 183, LC 173, UNC 202, UC 212 readable (mask 0x1b). */
    const uint8_t t5[] = {0x1b, 0xb7, 0xad, 0x00, 0xca, 0xd4, 0x00};
    assert_int_equal(sensor_apply_thresholds(&s, t5, sizeof(t5), &r), 0);
    assert_int_equal(r.thr_valid, 0x1b);
    assert_true(r.thr[IPMI_THR_LC] == 4.498);
    assert_true(r.thr[IPMI_THR_UC] == 5.512);
    /* Unreadable trailing bytes may be missing; readable ones may not. */
    const uint8_t low[] = {0x03, 0x14, 0x0a};
    assert_int_equal(sensor_apply_thresholds(&s, low, sizeof(low), &r), 0);
    assert_int_equal(r.thr_valid, 0x03);
    assert_int_equal(sensor_apply_thresholds(&s, t5, 4, &r), IC_EPROTO);
    assert_int_equal(r.thr_valid, 0);
    assert_int_equal(sensor_apply_thresholds(&s, t5, 0, &r), IC_EPROTO);
    const uint8_t none[] = {0x00};
    assert_int_equal(sensor_apply_thresholds(&s, none, 1, &r), 0);
    assert_int_equal(r.thr_valid, 0);
    /* Reserved mask bits ignored. */
    const uint8_t res[] = {0xC0, 1, 2, 3, 4, 5, 6};
    assert_int_equal(sensor_apply_thresholds(&s, res, sizeof(res), &r), 0);
    assert_int_equal(r.thr_valid, 0);
    /* A compact record has no factors: nothing converts. */
    s.type = IPMI_SDR_COMPACT;
    assert_int_equal(sensor_apply_thresholds(&s, t5, sizeof(t5), &r), 0);
    assert_int_equal(r.thr_valid, 0);
    /* 1/x: the zero threshold is dropped, the others kept. */
    s = full(1, 0, 0, 0, 0, 0x07);
    const uint8_t inv[] = {0x3f, 0, 2, 4, 5, 8, 10};
    assert_int_equal(sensor_apply_thresholds(&s, inv, sizeof(inv), &r), 0);
    assert_int_equal(r.thr_valid, 0x3e);
    assert_true(r.thr[IPMI_THR_UNR] == 0.1);
    assert_int_equal(sensor_apply_thresholds(NULL, inv, sizeof(inv), &r), IC_EINVAL);
}

static void
test_unit_text(void **state)
{
    (void)state;
    struct ipmi_sdr s = full(1, 0, 0, 0, 0, 0);
    char u[40];

    s.unit_base = 1;
    sensor_unit_text(&s, u, sizeof(u));
    assert_string_equal(u, "degrees C");
    s.unit_base = 18;
    sensor_unit_text(&s, u, sizeof(u));
    assert_string_equal(u, "RPM");
    s.unit_base = 0;
    s.units1 = 0x01; /* percentage, no base unit */
    sensor_unit_text(&s, u, sizeof(u));
    assert_string_equal(u, "percent");
    s.unit_base = 4;
    sensor_unit_text(&s, u, sizeof(u));
    assert_string_equal(u, "% Volts");
    s.units1 = 0x02; /* base / modifier */
    s.unit_base = 17;
    s.unit_mod = 23;
    sensor_unit_text(&s, u, sizeof(u));
    assert_string_equal(u, "CFM/minute");
    s.units1 = 0x04; /* base * modifier */
    s.unit_base = 6;
    s.unit_mod = 24;
    sensor_unit_text(&s, u, sizeof(u));
    assert_string_equal(u, "Watts*hour");
    s.units1 = 0x05 << 3; /* per hour */
    sensor_unit_text(&s, u, sizeof(u));
    assert_string_equal(u, "Watts per hour");
    s.units1 = (uint8_t)(0x07 << 3); /* reserved rate: ignored */
    sensor_unit_text(&s, u, sizeof(u));
    assert_string_equal(u, "Watts");
    s.unit_base = 200; /* not in the table */
    s.units1 = 0;
    sensor_unit_text(&s, u, sizeof(u));
    assert_string_equal(u, "unknown");
    s.event_type = 0x6F;
    sensor_unit_text(&s, u, sizeof(u));
    assert_string_equal(u, "discrete");
    /* Bounded. */
    s.event_type = 0x01;
    s.unit_base = 65;
    s.unit_mod = 65;
    s.units1 = 0x01 | 0x02 | (0x02 << 3);
    sensor_unit_text(&s, u, sizeof(u));
    assert_string_equal(u, "% color temp deg K/color temp deg K per"); /* cut at 39 */
    char t[6];
    sensor_unit_text(&s, t, sizeof(t));
    assert_string_equal(t, "% col");
    sensor_unit_text(&s, t, 0);
    sensor_unit_text(NULL, t, sizeof(t));
    assert_string_equal(t, "");
}

static void
test_init_reading(void **state)
{
    (void)state;
    struct ipmi_sdr s;
    struct ipmi_reading r;
    sdr_by_number(0x21, &s);
    memset(&r, 0xA5, sizeof(r));
    sensor_init_reading(&s, &r);
    assert_string_equal(r.name, "5V");
    assert_int_equal(r.number, 0x21);
    assert_int_equal(r.owner_lun, 0);
    assert_int_equal(r.sensor_type, 0x02);
    assert_int_equal(r.event_type, 0x01);
    assert_int_equal(r.threshold, 1);
    assert_int_equal(r.has_value, 0);
    assert_int_equal(r.thr_valid, 0);
    assert_int_equal(r.states, 0);
    assert_int_equal(r.state, IPMI_STATE_NONE);
    assert_string_equal(r.unit, "Volts");
    assert_int_equal(sensor_is_readable(&s), 1);
    s.type = IPMI_SDR_EVENT_ONLY;
    assert_int_equal(sensor_is_readable(&s), 0);
    s.type = IPMI_SDR_FRU_LOCATOR;
    assert_int_equal(sensor_is_readable(&s), 0);
    assert_int_equal(sensor_is_readable(NULL), 0);
    sensor_init_reading(NULL, &r);
    assert_string_equal(r.name, "");
    sensor_init_reading(&s, NULL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bmc001),
        cmocka_unit_test(test_bmc002),
        cmocka_unit_test(test_bmc001_alarm),
        cmocka_unit_test(test_bmc002_alarm),
        cmocka_unit_test(test_states),
        cmocka_unit_test(test_convert_linear),
        cmocka_unit_test(test_convert_linearizations),
        cmocka_unit_test(test_apply_reading_errors),
        cmocka_unit_test(test_apply_reading_discrete),
        cmocka_unit_test(test_states_text_bounds),
        cmocka_unit_test(test_thresholds),
        cmocka_unit_test(test_unit_text),
        cmocka_unit_test(test_init_reading),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
