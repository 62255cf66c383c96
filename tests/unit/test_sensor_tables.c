/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_sensor_tables.c - code tables (poller/sensor_tables.c): sensor type,
 * unit and entity names, state offset texts and severities. The texts the
 * bmcsim fixture shows are compared with what `ipmitool sdr elist` printed
 * (fixtures/bmc00*_sdr_elist.txt).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "sensor_tables.h"

static void
test_sensor_types(void **state)
{
    (void)state;
    assert_string_equal(stab_sensor_type(0x01), "Temperature");
    assert_string_equal(stab_sensor_type(0x02), "Voltage");
    assert_string_equal(stab_sensor_type(0x04), "Fan");
    assert_string_equal(stab_sensor_type(0x08), "Power Supply");
    assert_string_equal(stab_sensor_type(0x0C), "Memory");
    assert_string_equal(stab_sensor_type(0x2C), "FRU State");
    assert_string_equal(stab_sensor_type(0xC0), "OEM");
    assert_string_equal(stab_sensor_type(0xFF), "OEM");
    for (unsigned t = 0; t < 256; t++) {
        const char *s = stab_sensor_type((uint8_t)t);
        assert_non_null(s);
        assert_true(s[0] != '\0');
    }
    assert_string_equal(stab_sensor_type(0x2D), "Unknown");
}

static void
test_units(void **state)
{
    (void)state;
    /* Table 43-15 as ipmitool and FreeIPMI spell it. */
    static const struct {
        uint8_t code;
        const char *name;
    } u[] = {
        {0, "unspecified"},
        {1, "degrees C"},
        {2, "degrees F"},
        {3, "degrees K"},
        {4, "Volts"},
        {5, "Amps"},
        {6, "Watts"},
        {7, "Joules"},
        {9, "VA"},
        {17, "CFM"},
        {18, "RPM"},
        {19, "Hz"},
        {20, "microsecond"},
        {24, "hour"},
        {41, "revolutions"},
        {58, "PPM"},
        {59, "reserved"},
        {60, "Decibels"},
        {65, "color temp deg K"},
        {70, "byte"},
        {82, "overrun/overflow"},
        {89, "correctable error"},
        {91, "fatal error"},
        {92, "grams"},
    };
    for (size_t i = 0; i < sizeof(u) / sizeof(u[0]); i++)
        assert_string_equal(stab_unit(u[i].code), u[i].name);
    for (unsigned c = 0; c <= 92; c++) {
        assert_true(stab_unit((uint8_t)c)[0] != '\0');
        assert_true(strcmp(stab_unit((uint8_t)c), "unknown") != 0);
    }
    assert_string_equal(stab_unit(93), "unknown");
    assert_string_equal(stab_unit(255), "unknown");
}

static void
test_entities(void **state)
{
    (void)state;
    assert_string_equal(stab_entity(0x03), "Processor");
    assert_string_equal(stab_entity(0x07), "System Board");
    assert_string_equal(stab_entity(0x0A), "Power Supply");
    assert_string_equal(stab_entity(0x1D), "Fan / Cooling Device");
    assert_string_equal(stab_entity(0x20), "Memory Device");
    assert_string_equal(stab_entity(0x37), "Air Inlet");
    assert_string_equal(stab_entity(0x42), "Baseboard");
    assert_string_equal(stab_entity(0x43), "Reserved");
    assert_string_equal(stab_entity(0x90), "Chassis-specific");
    assert_string_equal(stab_entity(0xB5), "Board-set specific");
    assert_string_equal(stab_entity(0xD0), "OEM");
    for (unsigned e = 0; e < 256; e++)
        assert_true(stab_entity((uint8_t)e)[0] != '\0');
}

/* Texts that ipmitool sdr elist printed for the bmcsim sensors. */
static void
test_offsets_bmcsim(void **state)
{
    (void)state;
    assert_string_equal(stab_offset_text(0x6F, 0x08, 0), "Presence detected");
    assert_string_equal(stab_offset_text(0x6F, 0x08, 1), "Failure detected");
    assert_string_equal(stab_offset_text(0x6F, 0x05, 0), "General Chassis intrusion");
    assert_string_equal(stab_offset_text(0x6F, 0x07, 7), "Presence detected");
    assert_string_equal(stab_offset_text(0x6F, 0x0C, 0), "Correctable ECC");
    assert_string_equal(stab_offset_text(0x6F, 0x0C, 1), "Uncorrectable ECC");
    assert_string_equal(stab_offset_text(0x6F, 0x0C, 6), "Presence Detected");
    assert_string_equal(stab_offset_text(0x01, 0x01, 9), "Upper Critical going high");
    assert_string_equal(stab_offset_text(0x01, 0x04, 2), "Lower Critical going low");
}

static void
test_offsets_cover(void **state)
{
    (void)state;
    /* Every sensor-specific type of the reference §6.8 has offset 0 (or 8 for watchdog 2). */
    static const uint8_t types[] = {0x05, 0x07, 0x08, 0x09, 0x0C, 0x0D, 0x0F, 0x10,
                                    0x12, 0x13, 0x14, 0x1D, 0x1E, 0x20, 0x21, 0x22,
                                    0x23, 0x25, 0x28, 0x29, 0x2A, 0x2C};
    for (size_t i = 0; i < sizeof(types); i++)
        assert_true(stab_offset_text(0x6F, types[i], 0)[0] != '\0');
    assert_string_equal(stab_offset_text(0x6F, 0x23, 4), ""); /* reserved */
    assert_true(stab_offset_text(0x6F, 0x23, 8)[0] != '\0');
    assert_true(stab_offset_text(0x6F, 0x22, 14)[0] != '\0');
    /* Generic types 0x01-0x0C all have offset 0 and 1 (0x0C: D0..D3). */
    for (uint8_t et = 0x01; et <= 0x0C; et++) {
        assert_true(stab_offset_text(et, 0, 0)[0] != '\0');
        assert_true(stab_offset_text(et, 0, 1)[0] != '\0');
    }
    assert_true(stab_offset_text(0x01, 0, 11)[0] != '\0');
    assert_string_equal(stab_offset_text(0x01, 0, 12), "");
    assert_string_equal(stab_offset_text(0x0A, 0, 8), "Install Error");
    assert_string_equal(stab_offset_text(0x0B, 0, 1), "Redundancy Lost");
    /* Unknown: "" and ok. */
    assert_string_equal(stab_offset_text(0x00, 0x01, 0), "");
    assert_string_equal(stab_offset_text(0x0D, 0x01, 0), "");
    assert_string_equal(stab_offset_text(0x70, 0x01, 0), "");
    assert_string_equal(stab_offset_text(0x6F, 0x01, 0), "");
    assert_string_equal(stab_offset_text(0x6F, 0xC0, 0), "");
    assert_string_equal(stab_offset_text(0x6F, 0x08, 8), "");
    assert_string_equal(stab_offset_text(0x6F, 0x22, 15), "");
    assert_string_equal(stab_offset_text(0x6F, 0x22, 1000), "");
    assert_int_equal(stab_offset_severity(0x6F, 0xC0, 0), IPMI_STATE_OK);
    assert_int_equal(stab_offset_severity(0x6F, 0x08, 9), IPMI_STATE_OK);
    /* No text is NULL, for any combination. */
    for (unsigned et = 0; et < 256; et += 1)
        for (unsigned st = 0; st < 256; st += 3)
            for (unsigned off = 0; off < 16; off++) {
                assert_non_null(stab_offset_text((uint8_t)et, (uint8_t)st, off));
                enum ipmi_state sev = stab_offset_severity((uint8_t)et, (uint8_t)st, off);
                assert_true(sev >= IPMI_STATE_OK && sev <= IPMI_STATE_NONRECOVERABLE);
            }
}

static void
test_severities(void **state)
{
    (void)state;
    /* Threshold offsets by level. */
    static const enum ipmi_state thr[12] = {
        IPMI_STATE_WARNING,  IPMI_STATE_WARNING,        IPMI_STATE_CRITICAL,
        IPMI_STATE_CRITICAL, IPMI_STATE_NONRECOVERABLE, IPMI_STATE_NONRECOVERABLE,
        IPMI_STATE_WARNING,  IPMI_STATE_WARNING,        IPMI_STATE_CRITICAL,
        IPMI_STATE_CRITICAL, IPMI_STATE_NONRECOVERABLE, IPMI_STATE_NONRECOVERABLE};
    for (unsigned i = 0; i < 12; i++)
        assert_int_equal(stab_offset_severity(0x01, 0x01, i), thr[i]);
    /* Failures critical, predictive/correctable warning, presence ok. */
    assert_int_equal(stab_offset_severity(0x6F, 0x08, 0), IPMI_STATE_OK);
    assert_int_equal(stab_offset_severity(0x6F, 0x08, 1), IPMI_STATE_CRITICAL);
    assert_int_equal(stab_offset_severity(0x6F, 0x08, 2), IPMI_STATE_WARNING);
    assert_int_equal(stab_offset_severity(0x6F, 0x07, 0), IPMI_STATE_CRITICAL); /* IERR */
    assert_int_equal(stab_offset_severity(0x6F, 0x07, 1), IPMI_STATE_CRITICAL); /* thermal trip */
    assert_int_equal(stab_offset_severity(0x6F, 0x07, 7), IPMI_STATE_OK);
    assert_int_equal(stab_offset_severity(0x6F, 0x0C, 0), IPMI_STATE_WARNING);
    assert_int_equal(stab_offset_severity(0x6F, 0x0C, 1), IPMI_STATE_CRITICAL);
    assert_int_equal(stab_offset_severity(0x6F, 0x0C, 6), IPMI_STATE_OK);
    assert_int_equal(stab_offset_severity(0x6F, 0x05, 0), IPMI_STATE_CRITICAL); /* intrusion */
    assert_int_equal(stab_offset_severity(0x6F, 0x0D, 1), IPMI_STATE_CRITICAL);
    assert_int_equal(stab_offset_severity(0x6F, 0x29, 0), IPMI_STATE_WARNING);
    assert_int_equal(stab_offset_severity(0x6F, 0x29, 1), IPMI_STATE_CRITICAL);
    assert_int_equal(stab_offset_severity(0x6F, 0x2A, 0), IPMI_STATE_OK);
    assert_int_equal(stab_offset_severity(0x6F, 0x14, 0), IPMI_STATE_OK);
    assert_int_equal(stab_offset_severity(0x04, 0x00, 1), IPMI_STATE_WARNING);
    assert_int_equal(stab_offset_severity(0x07, 0x00, 3), IPMI_STATE_NONRECOVERABLE);
    assert_int_equal(stab_offset_severity(0x0B, 0x00, 0), IPMI_STATE_OK);
    assert_int_equal(stab_offset_severity(0x0B, 0x00, 2), IPMI_STATE_WARNING);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sensor_types),  cmocka_unit_test(test_units),
        cmocka_unit_test(test_entities),      cmocka_unit_test(test_offsets_bmcsim),
        cmocka_unit_test(test_offsets_cover), cmocka_unit_test(test_severities),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
