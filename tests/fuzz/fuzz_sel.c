/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_sel.c - SEL record decoder (sel.c). Input: the 16-byte record, then
 * optional bytes that fill an SDR (type, analog format, linearization,
 * units, M, B, exponents, name), so the conversion and units paths are
 * fuzzed too. Each record is decoded without and with that SDR; every text
 * must stay terminated and every enum in range. Invariants are checked with
 * __builtin_trap().
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ic_err.h"
#include "sel.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(const struct ipmi_sel_entry *e)
{
    if (memchr(e->sensor, 0, sizeof(e->sensor)) == NULL ||
        memchr(e->event, 0, sizeof(e->event)) == NULL ||
        memchr(e->detail, 0, sizeof(e->detail)) == NULL)
        __builtin_trap();
    if (e->severity > IPMI_STATE_NONRECOVERABLE)
        __builtin_trap();
    if (e->record_type == 0x02 && e->event[0] == '\0')
        __builtin_trap();
    if (e->pre_init && !e->has_timestamp)
        __builtin_trap();
    char t[32];
    sel_time_text(e, t, sizeof(t));
    if (memchr(t, 0, sizeof(t)) == NULL)
        __builtin_trap();
    sel_time_text(e, t, 3);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ipmi_sel_entry e;
    int rc = sel_decode(data, size, NULL, &e);
    if (size < SEL_RECORD_LEN) {
        if (rc != IC_EPROTO)
            __builtin_trap();
        return 0;
    }
    if (rc != 0)
        __builtin_trap();
    check(&e);

    /* SDR from the bytes after the record. */
    const uint8_t *p = data + SEL_RECORD_LEN;
    size_t n = size - SEL_RECORD_LEN;
    struct ipmi_sdr sdr;
    memset(&sdr, 0, sizeof(sdr));
    uint8_t b[12] = {0};
    memcpy(b, p, n < sizeof(b) ? n : sizeof(b));
    sdr.type = (b[0] & 1) ? IPMI_SDR_FULL : b[0];
    sdr.units1 = b[1];
    sdr.linearization = b[2];
    sdr.unit_base = b[3];
    sdr.unit_mod = b[4];
    sdr.m = (int16_t)(((b[5] | (b[6] << 8)) & 0x3FF) - ((b[6] & 0x02) ? 1024 : 0));
    sdr.b = (int16_t)(((b[7] | (b[8] << 8)) & 0x3FF) - ((b[8] & 0x02) ? 1024 : 0));
    sdr.rexp = (int8_t)((b[9] & 0x0F) - ((b[9] & 0x08) ? 16 : 0));
    sdr.bexp = (int8_t)((b[10] & 0x0F) - ((b[10] & 0x08) ? 16 : 0));
    if (n > sizeof(b)) {
        size_t k = n - sizeof(b);
        memcpy(sdr.name, p + sizeof(b), k < IPMI_NAME_MAX ? k : IPMI_NAME_MAX);
    }
    if (sel_decode(data, size, &sdr, &e) != 0)
        __builtin_trap();
    check(&e);
    return 0;
}
