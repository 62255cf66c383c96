/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_sdr.c - SDR record decoding (sdr.c) and sensor readings (sensor.c).
 *
 * Input: one SDR record (its length from its own header, cut at the end of
 * the input), then optionally: a completion code, a length n (low 3 bits,
 * 0-7) and n bytes of Get Sensor Reading data, then the rest as a Get
 * Sensor Thresholds answer. Every instance of the record is decoded; for
 * readable ones a reading is initialised and the answers applied. Each
 * piece is copied into a buffer of exactly its size, so a read past the
 * end trips ASan. Invariants are checked with __builtin_trap().
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sdr.h"
#include "sensor.h"
#include "sensor_tables.h"
#include "ic_err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t *
dup_n(const uint8_t *p, size_t n)
{
    uint8_t *q = malloc(n ? n : 1);
    if (!q)
        __builtin_trap();
    if (n)
        memcpy(q, p, n);
    return q;
}

static void
check_str(const char *s, size_t cap)
{
    if (memchr(s, '\0', cap) == NULL)
        __builtin_trap();
}

static void
exercise(const struct ipmi_sdr *sdr, const uint8_t *rest, size_t rlen)
{
    struct ipmi_reading r;
    char txt[512];

    sensor_init_reading(sdr, &r);
    check_str(r.name, sizeof(r.name));
    check_str(r.unit, sizeof(r.unit));
    if (r.has_value || r.state != IPMI_STATE_NONE)
        __builtin_trap();
    if (rlen == 0)
        return;

    uint8_t cc = rest[0];
    size_t n = rlen > 1 ? (rest[1] & 0x07) : 0;
    size_t off = rlen > 1 ? 2 : 1;
    if (n > rlen - off)
        n = rlen - off;
    uint8_t *rd = dup_n(rest + off, n);
    int rc = sensor_apply_reading(sdr, cc, rd, n, &r);
    free(rd);
    if (rc != 0 && rc != IC_ECC && rc != IC_EPROTO)
        __builtin_trap();
    if (rc != 0 && r.has_value)
        __builtin_trap();
    if (!r.has_value && r.threshold && r.state != IPMI_STATE_NONE && cc != 0)
        __builtin_trap();
    if (r.states & 0x8000)
        __builtin_trap();
    if (r.has_value && r.value != r.value) /* NaN */
        __builtin_trap();
    if (r.state > IPMI_STATE_NONRECOVERABLE)
        __builtin_trap();

    off += n;
    uint8_t *th = dup_n(rest + off, rlen - off);
    rc = sensor_apply_thresholds(sdr, th, rlen - off, &r);
    free(th);
    if (rc != 0 && rc != IC_EPROTO)
        __builtin_trap();
    if (rc != 0 && r.thr_valid)
        __builtin_trap();
    for (unsigned i = 0; i < 6; i++)
        if ((r.thr_valid & (1u << i)) && r.thr[i] != r.thr[i])
            __builtin_trap();

    sensor_states_text(&r, txt, sizeof(txt));
    check_str(txt, sizeof(txt));
    sensor_states_text(&r, txt, 7);
    check_str(txt, 7);
    (void)ipmi_state_str(r.state);
    (void)stab_sensor_type(sdr->sensor_type);
    (void)stab_entity(sdr->entity_id);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint16_t id;
    uint8_t type, body;

    if (sdr_header(data, size, &id, &type, &body) != 0) {
        if (size >= SDR_HEADER_LEN)
            __builtin_trap();
        return 0;
    }
    size_t rec_len = SDR_HEADER_LEN + (size_t)body;
    if (rec_len > size)
        rec_len = size; /* a length that lies: the decoder must refuse it */
    uint8_t *rec = dup_n(data, rec_len);

    struct ipmi_sdr sdr;
    unsigned count = 0;
    int rc = sdr_decode(rec, rec_len, 0, &sdr, &count);
    if (rc != 0 && rc != IC_EPROTO && rc != IC_EINVAL)
        __builtin_trap();
    if (count < 1 || count > SDR_SHARE_MAX)
        __builtin_trap();
    if (rc == IC_EPROTO && rec_len == SDR_HEADER_LEN + (size_t)body && type != 0x01 &&
        type != 0x02 && type != 0x03 && type != 0x11 && type != 0x12 && type != 0xC0)
        __builtin_trap(); /* other types need only an honest length */
    if (rc == 0 && (sdr.record_id != id || sdr.type != type))
        __builtin_trap();
    for (unsigned i = 0; rc == 0 && i < count; i++) {
        unsigned c2 = 0;
        if (sdr_decode(rec, rec_len, i, &sdr, &c2) != 0 || c2 != count)
            __builtin_trap();
        check_str(sdr.name, sizeof(sdr.name));
        if (sensor_is_readable(&sdr))
            exercise(&sdr, data + rec_len, size - rec_len);
    }
    if (rc == 0 && sdr_decode(rec, rec_len, count, &sdr, NULL) != IC_EINVAL)
        __builtin_trap();

    char unit[40];
    sensor_unit_text(&sdr, unit, sizeof(unit));
    check_str(unit, sizeof(unit));
    double v;
    for (unsigned raw = 0; raw < 256; raw += 17)
        if (sensor_convert(&sdr, (uint8_t)raw, &v) == 0 && v != v)
            __builtin_trap();
    free(rec);
    return 0;
}
