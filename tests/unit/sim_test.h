/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sim_test.h - assertions shared by the simulator's tests (test_sim_enc.c,
 * test_sim_model.c): a decoded SDR or FRU equals what was encoded. Include
 * after <cmocka.h>.
 */
#ifndef IC_SIM_TEST_H
#define IC_SIM_TEST_H

#include <stdlib.h>
#include <string.h>

#include "fru.h"
#include "test_util.h"
#include "poller.h"

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* Field-by-field equality of what sdr_decode() fills. */
static inline void
assert_sdr_equal(const struct ipmi_sdr *a, const struct ipmi_sdr *b)
{
    assert_int_equal(a->record_id, b->record_id);
    assert_int_equal(a->type, b->type);
    assert_int_equal(a->version, b->version);
    assert_string_equal(a->name, b->name);
    assert_int_equal(a->owner_id, b->owner_id);
    assert_int_equal(a->owner_lun, b->owner_lun);
    assert_int_equal(a->channel, b->channel);
    assert_int_equal(a->number, b->number);
    assert_int_equal(a->entity_id, b->entity_id);
    assert_int_equal(a->entity_instance, b->entity_instance);
    assert_int_equal(a->sensor_type, b->sensor_type);
    assert_int_equal(a->event_type, b->event_type);
    assert_int_equal(a->init, b->init);
    assert_int_equal(a->caps, b->caps);
    assert_int_equal(a->assert_mask, b->assert_mask);
    assert_int_equal(a->deassert_mask, b->deassert_mask);
    assert_int_equal(a->reading_mask, b->reading_mask);
    assert_int_equal(a->units1, b->units1);
    assert_int_equal(a->unit_base, b->unit_base);
    assert_int_equal(a->unit_mod, b->unit_mod);
    assert_int_equal(a->linearization, b->linearization);
    assert_int_equal(a->m, b->m);
    assert_int_equal(a->b, b->b);
    assert_int_equal(a->rexp, b->rexp);
    assert_int_equal(a->bexp, b->bexp);
    assert_int_equal(a->analog_flags, b->analog_flags);
    assert_int_equal(a->nominal, b->nominal);
    assert_int_equal(a->normal_max, b->normal_max);
    assert_int_equal(a->normal_min, b->normal_min);
    assert_int_equal(a->sensor_max, b->sensor_max);
    assert_int_equal(a->sensor_min, b->sensor_min);
    assert_memory_equal(a->thr_raw, b->thr_raw, sizeof(a->thr_raw));
    assert_int_equal(a->hyst_pos, b->hyst_pos);
    assert_int_equal(a->hyst_neg, b->hyst_neg);
    assert_int_equal(a->fru_id, b->fru_id);
    assert_int_equal(a->fru_logical, b->fru_logical);
    assert_int_equal(a->fru_access_addr, b->fru_access_addr);
    assert_int_equal(a->fru_lun, b->fru_lun);
    assert_int_equal(a->fru_bus, b->fru_bus);
    assert_int_equal(a->device_type, b->device_type);
    assert_int_equal(a->device_type_mod, b->device_type_mod);
    assert_int_equal(a->mc_addr, b->mc_addr);
    assert_int_equal(a->mc_caps, b->mc_caps);
    assert_int_equal(a->oem_iana, b->oem_iana);
}

static inline void
assert_field(const struct ipmi_fru_field *a, const struct ipmi_fru_field *b)
{
    assert_string_equal(a->text, b->text);
}

static inline void
assert_customs(const struct ipmi_fru_field *got, unsigned ngot, const struct ipmi_fru_field *in,
               unsigned nin)
{
    unsigned j = 0;
    for (unsigned i = 0; i < nin; i++) {
        if (in[i].text[0] == '\0')
            continue; /* empty custom fields are not kept */
        assert_true(j < ngot);
        assert_field(&got[j++], &in[i]);
    }
    assert_int_equal(j, ngot);
}

/* fru_decode(img) equals in, field for field; checksums and layout valid. */
static inline void
assert_fru_round_trip(const uint8_t *img, size_t len, const struct ipmi_fru *in)
{
    struct ipmi_fru f;
    uint8_t *q = dup_n(img, len);
    assert_int_equal(fru_decode(q, len, &f), 0);
    free(q);
    assert_string_equal(f.errors, "");
    assert_int_equal(len % 8, 0);

    /* Header and every area sum to zero on their own. */
    unsigned sum = 0;
    for (size_t i = 0; i < 8; i++)
        sum += img[i];
    assert_int_equal(sum & 0xFF, 0);
    for (size_t a = 2; a <= 4; a++) {
        if (!img[a])
            continue;
        size_t off = (size_t)img[a] * 8, alen = (size_t)img[off + 1] * 8;
        assert_true(off + alen <= len);
        sum = 0;
        for (size_t i = 0; i < alen; i++)
            sum += img[off + i];
        assert_int_equal(sum & 0xFF, 0);
    }

    assert_int_equal(f.has_chassis, in->has_chassis);
    assert_int_equal(f.has_board, in->has_board);
    assert_int_equal(f.has_product, in->has_product);
    if (in->has_chassis) {
        assert_int_equal(f.chassis_type, in->chassis_type);
        assert_field(&f.chassis_part, &in->chassis_part);
        assert_field(&f.chassis_serial, &in->chassis_serial);
        assert_customs(f.chassis_custom, f.n_chassis_custom, in->chassis_custom,
                       in->n_chassis_custom);
    }
    if (in->has_board) {
        assert_int_equal(f.board_mfg_minutes, in->board_mfg_minutes);
        assert_field(&f.board_mfg, &in->board_mfg);
        assert_field(&f.board_product, &in->board_product);
        assert_field(&f.board_serial, &in->board_serial);
        assert_field(&f.board_part, &in->board_part);
        assert_field(&f.board_file_id, &in->board_file_id);
        assert_customs(f.board_custom, f.n_board_custom, in->board_custom, in->n_board_custom);
    }
    if (in->has_product) {
        assert_field(&f.product_mfg, &in->product_mfg);
        assert_field(&f.product_name, &in->product_name);
        assert_field(&f.product_part, &in->product_part);
        assert_field(&f.product_version, &in->product_version);
        assert_field(&f.product_serial, &in->product_serial);
        assert_field(&f.product_asset_tag, &in->product_asset_tag);
        assert_field(&f.product_file_id, &in->product_file_id);
        assert_customs(f.product_custom, f.n_product_custom, in->product_custom,
                       in->n_product_custom);
    }
    assert_int_equal(f.n_multirecords, 0);
}

#endif
