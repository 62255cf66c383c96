/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_sdr.c - SDR record decoding (poller/sdr.c). The main fixture is the
 * bmcsim repository as `ipmitool sdr dump` read it (fixtures/bmcsim_sdr.h);
 * the names, numbers and entities must be what `ipmitool sdr elist all`
 * printed for it. Synthetic records cover what bmcsim lacks: shared
 * records, every ID string type, and hostile lengths.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "test_util.h"

#include "sdr.h"
#include "ic_err.h"

#include "fixtures/bmcsim_sdr.h"

#define NREC 27

/* Splits the dump into records: offsets and lengths. */
static unsigned
split_dump(size_t off[NREC], size_t len[NREC])
{
    size_t pos = 0;
    unsigned n = 0;
    while (pos < sizeof(bmcsim_sdr_dump) && n < NREC) {
        uint16_t id;
        uint8_t type, body;
        assert_int_equal(
            sdr_header(bmcsim_sdr_dump + pos, sizeof(bmcsim_sdr_dump) - pos, &id, &type, &body), 0);
        off[n] = pos;
        len[n] = SDR_HEADER_LEN + (size_t)body;
        pos += len[n];
        n++;
    }
    assert_int_equal(pos, sizeof(bmcsim_sdr_dump));
    return n;
}

static int
decode_copy(const uint8_t *p, size_t n, unsigned idx, struct ipmi_sdr *out, unsigned *count)
{
    uint8_t *q = dup_n(p, n);
    int rc = sdr_decode(q, n, idx, out, count);
    free(q);
    return rc;
}

static const struct bmcsim_capture *
capture_by_name(const char *name)
{
    for (size_t i = 0; i < sizeof(bmcsim_bmc001) / sizeof(bmcsim_bmc001[0]); i++)
        if (strcmp(bmcsim_bmc001[i].name, name) == 0)
            return &bmcsim_bmc001[i];
    return NULL;
}

static void
test_header(void **state)
{
    (void)state;
    uint16_t id = 0;
    uint8_t type = 0, body = 0;
    assert_int_equal(sdr_header(bmcsim_sdr_dump, 5, &id, &type, &body), 0);
    assert_int_equal(id, 1);
    assert_int_equal(type, IPMI_SDR_MC_LOCATOR);
    assert_int_equal(body, 0x0e);
    for (size_t n = 0; n < 5; n++) {
        uint8_t *q = dup_n(bmcsim_sdr_dump, n);
        assert_int_equal(sdr_header(q, n, &id, &type, &body), IC_EPROTO);
        free(q);
    }
    assert_int_equal(sdr_header(NULL, 0, NULL, NULL, NULL), IC_EPROTO);
    assert_int_equal(sdr_header(bmcsim_sdr_dump, 5, NULL, NULL, NULL), 0);
}

/* Every record of the repository decodes to what ipmitool sdr elist printed. */
static void
test_bmcsim_repository(void **state)
{
    (void)state;
    size_t off[NREC], len[NREC];
    assert_int_equal(split_dump(off, len), NREC);

    unsigned sensors = 0;
    for (unsigned i = 0; i < NREC; i++) {
        struct ipmi_sdr s;
        unsigned count = 99;
        assert_int_equal(decode_copy(bmcsim_sdr_dump + off[i], len[i], 0, &s, &count), 0);
        assert_int_equal(count, 1);
        assert_int_equal(s.record_id, i + 1);
        assert_int_equal(s.version, 0x51);
        char ent[16];
        snprintf(ent, sizeof(ent), "%u.%u", s.entity_id, s.entity_instance);

        if (s.type == IPMI_SDR_FULL || s.type == IPMI_SDR_COMPACT) {
            const struct bmcsim_capture *c = capture_by_name(s.name);
            assert_non_null(c);
            assert_int_equal(s.number, c->number);
            assert_string_equal(ent, c->el_entity);
            assert_int_equal(s.owner_id, 0x20);
            assert_int_equal(s.owner_lun, 0);
            sensors++;
            continue;
        }
        const struct bmcsim_other *o = NULL;
        for (size_t k = 0; k < sizeof(bmcsim_others) / sizeof(bmcsim_others[0]); k++)
            if (strcmp(bmcsim_others[k].name, s.name) == 0)
                o = &bmcsim_others[k];
        assert_non_null(o);
        assert_string_equal(ent, o->entity);
        char txt[64];
        if (s.type == IPMI_SDR_MC_LOCATOR) {
            snprintf(txt, sizeof(txt), "Dynamic MC @ %02Xh", s.mc_addr);
            assert_string_equal(txt, o->text);
            assert_int_equal(s.mc_caps, 0x9f);
        } else if (s.type == IPMI_SDR_FRU_LOCATOR) {
            assert_int_equal(s.fru_logical, 1);
            snprintf(txt, sizeof(txt), "Logical FRU @%02Xh", s.fru_id);
            assert_string_equal(txt, o->text);
            assert_int_equal(s.fru_access_addr, 0x20);
            assert_int_equal(s.device_type, 0x10);
        } else {
            assert_int_equal(s.type, IPMI_SDR_EVENT_ONLY);
            assert_string_equal(o->text, "Event-Only");
            assert_string_equal(o->number, "00h");
            assert_int_equal(s.number, 0);
            assert_int_equal(s.sensor_type, 0x23); /* watchdog 2 */
            assert_int_equal(s.event_type, 0x6f);
        }
    }
    assert_int_equal(sensors, 24);
}

static const uint8_t *
record_named(const char *name, size_t *len)
{
    size_t off[NREC], l[NREC];
    split_dump(off, l);
    for (unsigned i = 0; i < NREC; i++) {
        struct ipmi_sdr s;
        if (sdr_decode(bmcsim_sdr_dump + off[i], l[i], 0, &s, NULL) == 0 &&
            strcmp(s.name, name) == 0) {
            *len = l[i];
            return bmcsim_sdr_dump + off[i];
        }
    }
    fail_msg("no record %s", name);
    return NULL;
}

/* Conversion factors as the bmcsim README's Sensors table lists them. */
static void
test_bmcsim_factors(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        int m, b, bexp, rexp, fmt;
        uint8_t type, base;
    } f[] = {
        {"CPU1 Temp", 1, 0, 0, 0, 0, 0x01, 1},     {"Inlet Temp", 1, 0, 0, 0, 2, 0x01, 1},
        {"Exhaust Temp", 5, 0, 0, -1, 0, 0x01, 1}, {"PCH Temp", 1, -40, 0, 0, 0, 0x01, 1},
        {"FAN1", 7, 0, 0, 1, 0, 0x04, 18},         {"12V", 3, 9, 2, -2, 0, 0x02, 4},
        {"5V", 26, 0, 0, -3, 0, 0x02, 4},          {"3.3V", 17, 0, 0, -3, 0, 0x02, 4},
        {"VBAT", 16, 0, 0, -3, 0, 0x02, 4},        {"Total Power", 4, 0, 0, 0, 0, 0x0b, 6},
        {"PSU1 Current", 1, 0, 0, -1, 0, 0x03, 5},
    };
    for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
        size_t len = 0;
        const uint8_t *p = record_named(f[i].name, &len);
        struct ipmi_sdr s;
        assert_int_equal(sdr_decode(p, len, 0, &s, NULL), 0);
        assert_int_equal(s.type, IPMI_SDR_FULL);
        assert_int_equal(s.m, f[i].m);
        assert_int_equal(s.b, f[i].b);
        assert_int_equal(s.bexp, f[i].bexp);
        assert_int_equal(s.rexp, f[i].rexp);
        assert_int_equal(s.units1 >> 6, f[i].fmt);
        assert_int_equal(s.sensor_type, f[i].type);
        assert_int_equal(s.unit_base, f[i].base);
        assert_int_equal(s.event_type, 0x01);
        assert_int_equal(s.linearization, 0);
    }
    /* 5V: nominal given, the SDR's own thresholds (README: LC 173, LNC 183, UNC 202, UC 212). */
    size_t len = 0;
    const uint8_t *p = record_named("5V", &len);
    struct ipmi_sdr s;
    assert_int_equal(sdr_decode(p, len, 0, &s, NULL), 0);
    assert_int_equal(s.thr_raw[IPMI_THR_LC], 173);
    assert_int_equal(s.thr_raw[IPMI_THR_LNC], 183);
    assert_int_equal(s.thr_raw[IPMI_THR_UNC], 202);
    assert_int_equal(s.thr_raw[IPMI_THR_UC], 212);
    assert_int_equal(s.analog_flags & 1, 1);
    assert_int_equal(s.reading_mask & 0x3f, 0x1b); /* LNC, LC, UNC, UC readable */
    assert_int_equal(s.hyst_pos, 1);

    /* PSU2 Status: compact, power supply, sensor-specific, states 0-3. */
    p = record_named("PSU2 Status", &len);
    assert_int_equal(sdr_decode(p, len, 0, &s, NULL), 0);
    assert_int_equal(s.type, IPMI_SDR_COMPACT);
    assert_int_equal(s.number, 0x41);
    assert_int_equal(s.sensor_type, 0x08);
    assert_int_equal(s.event_type, 0x6f);
    assert_int_equal(s.reading_mask, 0x000f);
    assert_int_equal(s.assert_mask & 0x7fff, 0x000e);
    assert_int_equal(s.entity_id, 10);
    assert_int_equal(s.entity_instance, 2);
}

/* Every truncation of every record is rejected, and never read past. */
static void
test_truncations(void **state)
{
    (void)state;
    size_t off[NREC], len[NREC];
    split_dump(off, len);
    for (unsigned i = 0; i < NREC; i++) {
        for (size_t n = 0; n < len[i]; n++) {
            struct ipmi_sdr s;
            unsigned count = 7;
            assert_int_equal(decode_copy(bmcsim_sdr_dump + off[i], n, 0, &s, &count), IC_EPROTO);
            assert_int_equal(count, 1);
        }
        /* Extra bytes after the announced body are ignored. */
        uint8_t buf[128];
        memcpy(buf, bmcsim_sdr_dump + off[i], len[i]);
        memset(buf + len[i], 0xAA, 8);
        struct ipmi_sdr a, b;
        assert_int_equal(decode_copy(buf, len[i] + 8, 0, &a, NULL), 0);
        assert_int_equal(decode_copy(bmcsim_sdr_dump + off[i], len[i], 0, &b, NULL), 0);
        assert_memory_equal(&a, &b, sizeof(a));
    }
}

/* A header length that lies: more than given, or less than the type needs. */
static void
test_lying_length(void **state)
{
    (void)state;
    size_t len = 0;
    const uint8_t *p = record_named("CPU1 Temp", &len);
    uint8_t buf[128];
    struct ipmi_sdr s;

    memcpy(buf, p, len);
    buf[4] = (uint8_t)(buf[4] + 1); /* one byte more than we have */
    assert_int_equal(decode_copy(buf, len, 0, &s, NULL), IC_EPROTO);
    buf[4] = 0xFF;
    assert_int_equal(decode_copy(buf, len, 0, &s, NULL), IC_EPROTO);
    /* Body cut short of the ID type/length byte: header fields only. */
    buf[4] = 42;
    assert_int_equal(decode_copy(buf, 5 + 42, 0, &s, NULL), IC_EPROTO);
    assert_int_equal(s.record_id, 3);
    assert_int_equal(s.type, IPMI_SDR_FULL);
    assert_int_equal(s.number, 0);
    assert_string_equal(s.name, "");
    /* Exactly the fixed part, no ID string bytes: an empty name. */
    buf[4] = 43;
    buf[5 + 42] = 0xC0;
    assert_int_equal(decode_copy(buf, 5 + 43, 0, &s, NULL), 0);
    assert_int_equal(s.number, 1);
    assert_string_equal(s.name, "");

    /* Each decoded type with a body one byte short of its minimum. */
    static const struct {
        uint8_t type, min;
    } mins[] = {{0x01, 43}, {0x02, 27}, {0x03, 12}, {0x11, 11}, {0x12, 11}, {0xC0, 3}};
    for (size_t i = 0; i < sizeof(mins) / sizeof(mins[0]); i++) {
        uint8_t r[64] = {0x10, 0x00, 0x51, mins[i].type, (uint8_t)(mins[i].min - 1)};
        assert_int_equal(decode_copy(r, 5 + mins[i].min - 1u, 0, &s, NULL), IC_EPROTO);
        r[4] = mins[i].min;
        assert_int_equal(decode_copy(r, 5 + mins[i].min, 0, &s, NULL), 0);
        assert_int_equal(s.type, mins[i].type);
    }
}

/* Builds a compact record: sensor 0x30, entity 0x20.1, share bytes, ID. */
static size_t
make_compact(uint8_t *r, uint8_t share1, uint8_t share2, const char *id)
{
    size_t idl = strlen(id);
    memset(r, 0, 64);
    r[0] = 0x42;
    r[2] = 0x51;
    r[3] = 0x02;
    r[4] = (uint8_t)(27 + idl);
    r[5] = 0x20;
    r[7] = 0x30;  /* number */
    r[8] = 0x20;  /* entity: memory device */
    r[9] = 0x01;  /* instance 1 */
    r[12] = 0x0C; /* memory */
    r[13] = 0x6F; /* sensor-specific */
    r[23] = share1;
    r[24] = share2;
    r[31] = (uint8_t)(0xC0 | idl);
    memcpy(r + 32, id, idl);
    return 32 + idl;
}

static void
test_shared_compact(void **state)
{
    (void)state;
    uint8_t r[64];
    struct ipmi_sdr s;
    unsigned count;

    /* Numeric, offset 5, entity instance increments: "DIMM 5".."DIMM 7". */
    size_t n = make_compact(r, 0x03, 0x85, "DIMM ");
    for (unsigned i = 0; i < 3; i++) {
        char want[16];
        snprintf(want, sizeof(want), "DIMM %u", 5 + i);
        assert_int_equal(decode_copy(r, n, i, &s, &count), 0);
        assert_int_equal(count, 3);
        assert_string_equal(s.name, want);
        assert_int_equal(s.number, 0x30 + i);
        assert_int_equal(s.entity_instance, 1 + i);
    }
    /* idx past the count: IC_EINVAL, instance 0 in out. */
    assert_int_equal(decode_copy(r, n, 3, &s, &count), IC_EINVAL);
    assert_int_equal(count, 3);
    assert_int_equal(s.number, 0x30);

    /* Alpha, offset 24, entity instance fixed: Y, Z, AA, AB. */
    n = make_compact(r, 0x14, 0x18, "CPU");
    static const char *const alpha[] = {"CPUY", "CPUZ", "CPUAA", "CPUAB"};
    for (unsigned i = 0; i < 4; i++) {
        assert_int_equal(decode_copy(r, n, i, &s, &count), 0);
        assert_int_equal(count, 4);
        assert_string_equal(s.name, alpha[i]);
        assert_int_equal(s.entity_instance, 1);
    }

    /* Share count 0 means one sensor; no suffix. */
    n = make_compact(r, 0x00, 0x85, "Solo");
    assert_int_equal(decode_copy(r, n, 0, &s, &count), 0);
    assert_int_equal(count, 1);
    assert_string_equal(s.name, "Solo");
    assert_int_equal(decode_copy(r, n, 1, &s, &count), IC_EINVAL);

    /* Share count 15, offset 127: numbers wrap at 0xFF, suffixes up to 141. */
    n = make_compact(r, 0x0F, 0xFF, "0123456789abcdef");
    for (unsigned i = 0; i < 15; i++) {
        assert_int_equal(decode_copy(r, n, i, &s, &count), 0);
        assert_int_equal(count, 15);
        assert_int_equal(s.number, (uint8_t)(0x30 + i));
        assert_int_equal(s.entity_instance, (1 + i) & 0x7F);
        char want[40];
        snprintf(want, sizeof(want), "0123456789abcdef%u", 127 + i);
        assert_string_equal(s.name, want);
        assert_true(strlen(s.name) <= IPMI_NAME_MAX);
    }
    /* Alpha at the far end: offset 127 + 14 = 141 -> "EL". */
    n = make_compact(r, 0x1F, 0x7F, "X");
    assert_int_equal(decode_copy(r, n, 14, &s, &count), 0);
    assert_string_equal(s.name, "XEL");
}

static void
test_event_only_shared(void **state)
{
    (void)state;
    /* Event-only, share count 2, numeric offset 1: "Slot 1", "Slot 2". */
    uint8_t r[] = {0x07, 0x00, 0x51, 0x03, 17,   0x20, 0x02, 0x70, 0x1F, 0x81, 0x21,
                   0x6F, 0x02, 0x81, 0x00, 0x00, 0xC5, 'S',  'l',  'o',  't',  ' '};
    struct ipmi_sdr s;
    unsigned count;
    assert_int_equal(decode_copy(r, sizeof(r), 1, &s, &count), 0);
    assert_int_equal(count, 2);
    assert_string_equal(s.name, "Slot 2");
    assert_int_equal(s.number, 0x71);
    assert_int_equal(s.owner_lun, 2);
    assert_int_equal(s.entity_instance, 2);
    assert_int_equal(s.sensor_type, 0x21);
    /* Full records are never shared. */
    size_t len = 0;
    const uint8_t *p = record_named("FAN1", &len);
    assert_int_equal(decode_copy(p, len, 1, &s, &count), IC_EINVAL);
    assert_int_equal(count, 1);
}

static void
test_id_strings(void **state)
{
    (void)state;
    char out[IPMI_NAME_MAX + 1];

    /* 8-bit ASCII; control and high bytes become '.'; NUL ends the text. */
    const uint8_t a8[] = {'A', 0x01, 'b', 0xE9, ' ', 0x00, 'z'};
    assert_int_equal(sdr_id_string(0xC7, a8, sizeof(a8), out, sizeof(out)), 5);
    assert_string_equal(out, "A.b. ");

    /* 6-bit packed "IPMI": I=0x29 P=0x30 M=0x2D I=0x29 -> 29 0C B6 ... packed LSB first. */
    uint32_t v = 0x29 | (0x30u << 6) | (0x2Du << 12) | (0x29u << 18);
    const uint8_t p6[] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16)};
    assert_int_equal(sdr_id_string(0x83, p6, 3, out, sizeof(out)), 4);
    assert_string_equal(out, "IPMI");
    /* A partial group gives the whole characters it holds. */
    assert_int_equal(sdr_id_string(0x82, p6, 2, out, sizeof(out)), 2);
    assert_string_equal(out, "IP");

    /* BCD plus: two characters per byte, high nibble first. */
    const uint8_t bcd[] = {0x12, 0xAB, 0xC9, 0xEF};
    assert_int_equal(sdr_id_string(0x44, bcd, 4, out, sizeof(out)), 8);
    assert_string_equal(out, "12 -.9??");

    /* Binary/Unicode: hex. */
    const uint8_t bin[] = {0xDE, 0xAD, 0x00, 0x7F};
    sdr_id_string(0x04, bin, 4, out, sizeof(out));
    assert_string_equal(out, "dead007f");

    /* Length 31 declared, 16 present: decodes the 16. */
    const uint8_t s16[] = "ABCDEFGHIJKLMNOP";
    assert_int_equal(sdr_id_string(0xDF, s16, 16, out, sizeof(out)), 16);
    assert_string_equal(out, "ABCDEFGHIJKLMNOP");

    /* Output bounded: a tiny buffer, and 31 bytes of 6-bit (41 chars) into 33. */
    char tiny[4];
    assert_int_equal(sdr_id_string(0xC7, (const uint8_t *)"abcdefg", 7, tiny, sizeof(tiny)), 3);
    assert_string_equal(tiny, "abc");
    uint8_t ones[31];
    memset(ones, 0xFF, sizeof(ones));
    assert_int_equal(sdr_id_string(0x9F, ones, 31, out, sizeof(out)), IPMI_NAME_MAX);
    assert_int_equal(strlen(out), IPMI_NAME_MAX);
    assert_int_equal(sdr_id_string(0xDF, ones, 31, out, 0), 0);
    assert_int_equal(sdr_id_string(0xC0, NULL, 0, out, sizeof(out)), 0);
    assert_string_equal(out, "");
}

/* A full record whose ID length says 31 with 16 bytes present, in every ID type. */
static void
test_id_length_lies(void **state)
{
    (void)state;
    size_t len = 0;
    const uint8_t *p = record_named("CPU1 Temp", &len);
    uint8_t buf[5 + 43 + 16];
    memcpy(buf, p, 5 + 43);
    buf[4] = 43 + 16;
    memset(buf + 5 + 43, 'Q', 16);
    static const uint8_t tl[] = {0xDF, 0x9F, 0x5F, 0x1F};
    static const size_t want[] = {16, 21, 32, 32};
    for (size_t i = 0; i < 4; i++) {
        struct ipmi_sdr s;
        buf[5 + 42] = tl[i];
        assert_int_equal(decode_copy(buf, sizeof(buf), 0, &s, NULL), 0);
        assert_int_equal(strlen(s.name), want[i]);
        assert_int_equal(s.number, 1);
    }
}

static void
test_other_types(void **state)
{
    (void)state;
    struct ipmi_sdr s;
    unsigned count = 9;
    /* Entity association (0x08): header fields only. */
    uint8_t ea[] = {0x33, 0x00, 0x51, 0x08, 0x03, 0x01, 0x02, 0x03};
    assert_int_equal(decode_copy(ea, sizeof(ea), 0, &s, &count), 0);
    assert_int_equal(count, 1);
    assert_int_equal(s.record_id, 0x33);
    assert_int_equal(s.type, 0x08);
    assert_string_equal(s.name, "");
    assert_int_equal(decode_copy(ea, sizeof(ea), 1, &s, &count), IC_EINVAL);
    /* ... but its length must still be honest. */
    assert_int_equal(decode_copy(ea, sizeof(ea) - 1, 0, &s, &count), IC_EPROTO);
    /* OEM: manufacturer ID. */
    uint8_t oem[] = {0x34, 0x00, 0x51, 0xC0, 0x05, 0xD9, 0x7E, 0x00, 0x01, 0x02};
    assert_int_equal(decode_copy(oem, sizeof(oem), 0, &s, &count), 0);
    assert_int_equal(s.oem_iana, 32473);
    /* NULL output. */
    assert_int_equal(sdr_decode(oem, sizeof(oem), 0, NULL, &count), IC_EINVAL);
    assert_int_equal(sdr_decode(NULL, 0, 0, &s, NULL), IC_EPROTO);
}

/* Signed M, B and exponents come out sign-extended. */
static void
test_signed_factors(void **state)
{
    (void)state;
    size_t len = 0;
    const uint8_t *p = record_named("CPU1 Temp", &len);
    uint8_t buf[80];
    memcpy(buf, p, len);
    buf[5 + 19] = 0x00; /* M = 0x200 -> -512 */
    buf[5 + 20] = 0x80;
    buf[5 + 21] = 0xFF; /* B = 0x3FF -> -1 */
    buf[5 + 22] = 0xC0;
    buf[5 + 24] = 0x87; /* Rexp -8, Bexp 7 */
    buf[5 + 18] = 0xFF; /* linearization keeps b6:0 */
    struct ipmi_sdr s;
    assert_int_equal(decode_copy(buf, len, 0, &s, NULL), 0);
    assert_int_equal(s.m, -512);
    assert_int_equal(s.b, -1);
    assert_int_equal(s.rexp, -8);
    assert_int_equal(s.bexp, 7);
    assert_int_equal(s.linearization, 0x7F);
    buf[5 + 19] = 0xFF; /* M = 0x1FF = 511 */
    buf[5 + 20] = 0x40;
    buf[5 + 24] = 0x78; /* Rexp 7, Bexp -8 */
    assert_int_equal(decode_copy(buf, len, 0, &s, NULL), 0);
    assert_int_equal(s.m, 511);
    assert_int_equal(s.rexp, 7);
    assert_int_equal(s.bexp, -8);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_header),
        cmocka_unit_test(test_bmcsim_repository),
        cmocka_unit_test(test_bmcsim_factors),
        cmocka_unit_test(test_truncations),
        cmocka_unit_test(test_lying_length),
        cmocka_unit_test(test_shared_compact),
        cmocka_unit_test(test_event_only_shared),
        cmocka_unit_test(test_id_strings),
        cmocka_unit_test(test_id_length_lies),
        cmocka_unit_test(test_other_types),
        cmocka_unit_test(test_signed_factors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
