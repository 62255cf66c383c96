/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_sim_enc.c - the simulator's record encoders (sim/sdr_enc.c,
 * sim/fru_enc.c) on their own: every SDR record type, with extreme factors
 * and sharing, decodes (sdr_decode) back to its fields; FRU images with
 * every kind of text (6-bit, 8-bit Latin-1, one character, empty, custom
 * fields) decode (fru_decode) back; the encoders refuse short buffers with
 * IC_ETOOBIG and what the decoders could not give back with IC_EINVAL.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fru.h"
#include "fru_enc.h"
#include "ic_err.h"
#include "model.h"
#include "sdr.h"
#include "sdr_enc.h"

#include "sim_test.h"

/* ---- the SDR encoder on its own --------------------------------------------------- */

static void
encode_decode(const struct ipmi_sdr *in, const struct sdr_share *sh, unsigned idx,
              struct ipmi_sdr *out, unsigned *count)
{
    uint8_t buf[SDR_ENC_MAX];
    struct buf_wr w;
    buf_wr_init(&w, buf, sizeof(buf));
    assert_int_equal(sdr_encode_shared(in, 0x1234, sh, &w), 0);
    uint8_t *q = dup_n(buf, w.len);
    assert_int_equal(sdr_decode(q, w.len, idx, out, count), 0);
    free(q);
}

static void
test_sdr_encode_every_type(void **state)
{
    (void)state;
    struct ipmi_sdr full = {
        .record_id = 0x1234,
        .type = IPMI_SDR_FULL,
        .version = 0x51,
        .name = "0123456789abcdef",
        .owner_id = 0x81,
        .owner_lun = 3,
        .channel = 0xF,
        .number = 0xFE,
        .entity_id = 0xD1,
        .entity_instance = 0x7F,
        .init = 0xFF,
        .caps = 0xFF,
        .sensor_type = 0xC0,
        .event_type = 0x01,
        .assert_mask = 0x7FFF,
        .deassert_mask = 0x7123,
        .reading_mask = 0x3F3F,
        .units1 = 0xAF,
        .unit_base = 92,
        .unit_mod = 18,
        .linearization = 0x0B,
        .m = -512,
        .b = 511,
        .rexp = -8,
        .bexp = 7,
        .analog_flags = 7,
        .nominal = 1,
        .normal_max = 2,
        .normal_min = 3,
        .sensor_max = 4,
        .sensor_min = 5,
        .thr_raw = {6, 7, 8, 9, 10, 11},
        .hyst_pos = 12,
        .hyst_neg = 13,
    };
    struct ipmi_sdr d;
    unsigned count;
    encode_decode(&full, NULL, 0, &d, &count);
    assert_sdr_equal(&d, &full);
    assert_int_equal(count, 1);
    full.m = 511;
    full.b = -512;
    full.rexp = 7;
    full.bexp = -8;
    full.name[0] = '\0'; /* an empty ID */
    encode_decode(&full, NULL, 0, &d, NULL);
    assert_sdr_equal(&d, &full);

    struct ipmi_sdr compact = {
        .record_id = 0x1234,
        .type = IPMI_SDR_COMPACT,
        .version = 0x51,
        .name = "Fan",
        .owner_id = 0x20,
        .owner_lun = 1,
        .channel = 2,
        .number = 0x30,
        .entity_id = 0x1D,
        .entity_instance = 5,
        .init = 0x63,
        .caps = 0x40,
        .sensor_type = 0x04,
        .event_type = 0x08,
        .assert_mask = 3,
        .deassert_mask = 1,
        .reading_mask = 3,
        .units1 = 0x00,
        .unit_base = 0,
        .hyst_pos = 1,
        .hyst_neg = 2,
    };
    encode_decode(&compact, NULL, 0, &d, &count);
    assert_sdr_equal(&d, &compact);
    assert_int_equal(count, 1);
    /* Shared, numeric suffix from 7, entity instance fixed. */
    struct sdr_share sh = {.count = 15, .alpha = 0, .mod_offset = 7, .inst_incr = 0};
    encode_decode(&compact, &sh, 14, &d, &count);
    assert_int_equal(count, 15);
    assert_string_equal(d.name, "Fan21");
    assert_int_equal(d.number, 0x30 + 14);
    assert_int_equal(d.entity_instance, 5);

    struct ipmi_sdr ev = {
        .record_id = 0x1234,
        .type = IPMI_SDR_EVENT_ONLY,
        .version = 0x51,
        .name = "Watchdog",
        .owner_id = 0x41,
        .owner_lun = 2,
        .channel = 7,
        .number = 0x99,
        .entity_id = 0x22,
        .entity_instance = 0x60,
        .sensor_type = 0x23,
        .event_type = 0x6F,
    };
    encode_decode(&ev, NULL, 0, &d, &count);
    assert_sdr_equal(&d, &ev);
    sh = (struct sdr_share){.count = 3, .alpha = 1, .mod_offset = 25, .inst_incr = 1};
    encode_decode(&ev, &sh, 2, &d, &count);
    assert_int_equal(count, 3);
    assert_string_equal(d.name, "WatchdogAB"); /* 25 + 2 = 27: Z, AA, AB */
    assert_int_equal(d.entity_instance, 0x62);

    struct ipmi_sdr fru = {
        .record_id = 0x1234,
        .type = IPMI_SDR_FRU_LOCATOR,
        .version = 0x51,
        .name = "FRU x",
        .channel = 0xA,
        .fru_id = 9,
        .fru_logical = 1,
        .fru_access_addr = 0x42,
        .fru_lun = 2,
        .fru_bus = 5,
        .device_type = 0x10,
        .device_type_mod = 0x02,
        .entity_id = 0x0A,
        .entity_instance = 3,
    };
    encode_decode(&fru, NULL, 0, &d, NULL);
    assert_sdr_equal(&d, &fru);
    fru.fru_logical = 0;
    encode_decode(&fru, NULL, 0, &d, NULL);
    assert_sdr_equal(&d, &fru);

    struct ipmi_sdr mc = {
        .record_id = 0x1234,
        .type = IPMI_SDR_MC_LOCATOR,
        .version = 0x51,
        .name = "Mgmt Ctrl",
        .channel = 0x5,
        .mc_addr = 0x22,
        .mc_caps = 0xBF,
        .entity_id = 0x06,
        .entity_instance = 2,
    };
    encode_decode(&mc, NULL, 0, &d, NULL);
    assert_sdr_equal(&d, &mc);

    /* version 0 means 0x51. */
    mc.version = 0;
    encode_decode(&mc, NULL, 0, &d, NULL);
    assert_int_equal(d.version, 0x51);
}

static void
test_sdr_encode_refuses(void **state)
{
    (void)state;
    uint8_t buf[SDR_ENC_MAX];
    struct buf_wr w;
    struct ipmi_sdr d = {.type = IPMI_SDR_FULL, .name = "X", .m = 1};
    struct sdr_share sh = {.count = 2};

    buf_wr_init(&w, buf, sizeof(buf));
    assert_int_equal(sdr_encode(NULL, 1, &w), IC_EINVAL);
    assert_int_equal(sdr_encode(&d, 1, NULL), IC_EINVAL);
    d.m = 512;
    assert_int_equal(sdr_encode(&d, 1, &w), IC_EINVAL);
    d.m = -513;
    assert_int_equal(sdr_encode(&d, 1, &w), IC_EINVAL);
    d.m = 1;
    d.b = 600;
    assert_int_equal(sdr_encode(&d, 1, &w), IC_EINVAL);
    d.b = 0;
    d.rexp = 8;
    assert_int_equal(sdr_encode(&d, 1, &w), IC_EINVAL);
    d.rexp = 0;
    d.bexp = -9;
    assert_int_equal(sdr_encode(&d, 1, &w), IC_EINVAL);
    d.bexp = 0;
    strcpy(d.name, "0123456789abcdefg"); /* 17 bytes */
    assert_int_equal(sdr_encode(&d, 1, &w), IC_EINVAL);
    strcpy(d.name, "Trailing ");
    assert_int_equal(sdr_encode(&d, 1, &w), IC_EINVAL);
    strcpy(d.name, "Tab\there");
    assert_int_equal(sdr_encode(&d, 1, &w), IC_EINVAL);
    strcpy(d.name, "X");
    assert_int_equal(sdr_encode_shared(&d, 1, &sh, &w), IC_EINVAL); /* full records do not share */
    d.type = IPMI_SDR_COMPACT;
    sh.count = 16;
    assert_int_equal(sdr_encode_shared(&d, 1, &sh, &w), IC_EINVAL);
    sh.count = 2;
    sh.mod_offset = 128;
    assert_int_equal(sdr_encode_shared(&d, 1, &sh, &w), IC_EINVAL);
    d.type = 0x08; /* entity association: not written */
    assert_int_equal(sdr_encode(&d, 1, &w), IC_EINVAL);
    d.type = IPMI_SDR_OEM;
    assert_int_equal(sdr_encode(&d, 1, &w), IC_EINVAL);
    assert_int_equal(w.len, 0); /* nothing written on refusal */
}

/* Every record of the repository, into every too-small buffer: IC_ETOOBIG. */
static void
test_sdr_encode_too_small(void **state)
{
    (void)state;
    const struct sim_model *m = sim_model_default();
    for (size_t i = 0; i < m->n_sensors; i++) {
        const struct sim_sensor *s = &m->sensors[i];
        const struct sdr_share *sh = s->share.count > 1 ? &s->share : NULL;
        uint8_t full[SDR_ENC_MAX];
        struct buf_wr w;
        buf_wr_init(&w, full, sizeof(full));
        assert_int_equal(sdr_encode_shared(&s->sdr, 7, sh, &w), 0);
        size_t need = w.len;
        for (size_t cap = 0; cap <= need; cap++) {
            uint8_t *p = malloc(cap ? cap : 1);
            assert_non_null(p);
            buf_wr_init(&w, p, cap);
            int rc = sdr_encode_shared(&s->sdr, 7, sh, &w);
            if (cap < need) {
                assert_int_equal(rc, IC_ETOOBIG);
            } else {
                assert_int_equal(rc, 0);
                assert_memory_equal(p, full, need);
            }
            free(p);
        }
    }
}

/* ---- FRU --------------------------------------------------------------------------- */

static void
set(struct ipmi_fru_field *f, const char *s)
{
    snprintf(f->text, sizeof(f->text), "%s", s);
}

static void
test_fru_encode_fields(void **state)
{
    (void)state;
    struct ipmi_fru in;
    uint8_t img[2048];
    size_t len;

    memset(&in, 0, sizeof(in));
    in.has_chassis = in.has_board = in.has_product = 1;
    in.chassis_type = 0x01;
    set(&in.chassis_part, "X");  /* one character: padded, not the 0xC1 end marker */
    set(&in.chassis_serial, ""); /* empty */
    set(&in.chassis_custom[0], "");
    set(&in.chassis_custom[1], "kept");
    in.n_chassis_custom = 2;
    in.board_mfg_minutes = 0xFFFFFF;
    set(&in.board_mfg, "Caf\xc3\xa9 \xc2\xa9 \xc3\xbf"); /* Latin-1 beyond ASCII */
    set(&in.board_part, "ABCDE");                        /* not whole 6-bit groups: 8-bit */
    set(&in.board_product, "lower-case part");
    set(&in.board_file_id, "0123456789012345678901234567890123456789012345678901234567890AB");
    for (unsigned i = 0; i < IPMI_FRU_CUSTOM_MAX; i++)
        snprintf(in.board_custom[i].text, sizeof(in.board_custom[i].text), "C%u", i);
    in.n_board_custom = IPMI_FRU_CUSTOM_MAX;
    set(&in.product_part, "abcd"); /* lower case: 8-bit */
    set(&in.product_name, "^_ !"); /* 0x5F and 0x20 are 6-bit */
    set(&in.product_version, "[9]\\");
    assert_int_equal(fru_encode(&in, 1, img, sizeof(img), &len), 0);
    assert_fru_round_trip(img, len, &in);
    assert_int_equal(fru_encode(&in, 0, img, sizeof(img), &len), 0);
    assert_fru_round_trip(img, len, &in);

    /* No areas at all: a bare header. */
    struct ipmi_fru none;
    memset(&none, 0, sizeof(none));
    assert_int_equal(fru_encode(&none, 1, img, sizeof(img), &len), 0);
    assert_int_equal(len, 8);
    assert_fru_round_trip(img, len, &none);

    /* Every too-small buffer: IC_ETOOBIG. */
    size_t need;
    assert_int_equal(fru_encode(&in, 1, img, sizeof(img), &need), 0);
    for (size_t cap = 0; cap < need; cap++) {
        uint8_t *p = malloc(cap ? cap : 1);
        assert_non_null(p);
        assert_int_equal(fru_encode(&in, 1, p, cap, &len), IC_ETOOBIG);
        free(p);
    }

    /* What the decoder could not give back. */
    struct ipmi_fru bad = in;
    set(&bad.board_serial, "tab\there");
    assert_int_equal(fru_encode(&bad, 1, img, sizeof(img), &len), IC_EINVAL);
    bad = in;
    set(&bad.product_serial, "0123456789012345678901234567890123456789012345678901234567890ABC");
    assert_int_equal(fru_encode(&bad, 1, img, sizeof(img), &len), IC_EINVAL); /* 64 bytes */
    bad = in;
    set(&bad.product_mfg, "\xe2\x82\xac"); /* U+20AC: not Latin-1 */
    assert_int_equal(fru_encode(&bad, 1, img, sizeof(img), &len), IC_EINVAL);
    bad = in;
    set(&bad.product_mfg, "\xc2\x85"); /* U+0085: shown as '?' */
    assert_int_equal(fru_encode(&bad, 1, img, sizeof(img), &len), IC_EINVAL);
    bad = in;
    set(&bad.product_mfg, "\xc3"); /* cut UTF-8 */
    assert_int_equal(fru_encode(&bad, 1, img, sizeof(img), &len), IC_EINVAL);
    bad = in;
    bad.board_mfg_minutes = 0x1000000;
    assert_int_equal(fru_encode(&bad, 1, img, sizeof(img), &len), IC_EINVAL);
    bad = in;
    bad.n_product_custom = IPMI_FRU_CUSTOM_MAX + 1;
    assert_int_equal(fru_encode(&bad, 1, img, sizeof(img), &len), IC_EINVAL);
    assert_int_equal(fru_encode(NULL, 1, img, sizeof(img), &len), IC_EINVAL);
    assert_int_equal(fru_encode(&in, 1, NULL, sizeof(img), &len), IC_EINVAL);
    assert_int_equal(fru_encode(&in, 1, img, sizeof(img), NULL), IC_EINVAL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sdr_encode_every_type),
        cmocka_unit_test(test_sdr_encode_refuses),
        cmocka_unit_test(test_sdr_encode_too_small),
        cmocka_unit_test(test_fru_encode_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
