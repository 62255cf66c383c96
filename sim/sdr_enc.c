/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sdr_enc.c - Sensor Data Record encoding (IPMI v2.0 §43; reference §6),
 * the mirror of poller/sdr.c. Offsets below are into the record as Get SDR
 * returns it (0 = first header byte); the spec's byte numbers are these
 * plus one.
 *
 * Header (§43.1): 0 record ID (LE16)  2 SDR version 0x51  3 record type
 *   4 body length (bytes after the header)
 *
 * Full sensor record, 0x01 (Table 43-1):
 *   5 owner ID  6 b7:4 channel, b1:0 owner LUN  7 sensor number
 *   8 entity ID  9 entity instance (b7 logical: 0)  10 initialization
 *  11 capabilities  12 sensor type  13 event/reading type
 *  14 assertion mask (LE16)  16 deassertion mask  18 reading/threshold mask
 *  20 units 1  21 base unit  22 modifier unit  23 linearization
 *  24 M b7:0  25 b7:6 M b9:8, b5:0 tolerance (0)  26 B b7:0
 *  27 b7:6 B b9:8, b5:0 accuracy (0)  28 accuracy, exponent, direction (0)
 *  29 b7:4 R exponent, b3:0 B exponent (4-bit two's complement)
 *  30 analog flags  31 nominal  32 normal max  33 normal min
 *  34 sensor max  35 sensor min  36 UNR  37 UC  38 UNC  39 LNR  40 LC  41 LNC
 *  42 positive hysteresis  43 negative hysteresis  44-45 reserved  46 OEM
 *  47 ID type/length 0xC0 | n  48 ID string (n <= 16)
 *
 * Compact sensor record, 0x02 (Table 43-2): 5-22 as the full record, then
 *  23 b5:4 ID modifier type (0 numeric, 1 alpha), b3:0 share count
 *  24 b7 entity instance increments, b6:0 ID modifier offset
 *  25 positive hysteresis  26 negative hysteresis  27-29 reserved  30 OEM
 *  31 ID type/length  32 ID string
 *
 * Event-only record, 0x03 (Table 43-3):
 *   5 owner ID  6 b7:4 channel, b1:0 owner LUN  7 sensor number
 *   8 entity ID  9 entity instance  10 sensor type  11 event/reading type
 *  12-13 sharing, as compact 23-24  14 reserved  15 OEM  16 ID type/length
 *  17 ID string
 *
 * FRU device locator, 0x11 (Table 43-7):
 *   5 device access address  6 FRU device ID  7 b7 logical, b4:3 access LUN,
 *   b2:0 private bus  8 b7:4 channel  9 reserved  10 device type
 *  11 type modifier  12 entity ID  13 entity instance  14 OEM
 *  15 ID type/length  16 ID string
 *
 * MC device locator, 0x12 (Table 43-8):
 *   5 slave address  6 b3:0 channel  7 power state / global init (0)
 *   8 device capabilities  9-11 reserved  12 entity ID  13 entity instance
 *  14 OEM  15 ID type/length  16 ID string
 *
 * Every byte goes through common/buf's writer; only the body length is
 * filled in afterwards, through the span buf_put_span() reserved for it.
 */
#include "sdr_enc.h"

#include "ic_err.h"

#include <string.h>

#define SDR_VERSION   0x51
#define SDR_ID_BYTES  16
#define SDR_TL_ASCII8 0xC0

/* 1 when v fits a `bits`-bit two's complement field. */
static int
fits_signed(int v, unsigned bits)
{
    int lim = 1 << (bits - 1);
    return v >= -lim && v < lim;
}

/* The low `bits` bits of v's two's complement form. */
static unsigned
twos(int v, unsigned bits)
{
    return (unsigned)v & ((1u << bits) - 1u);
}

/* An ID string sdr_id_string() turns back into the same text. */
static int
name_ok(const char *name, int shared)
{
    size_t n = strnlen(name, IPMI_NAME_MAX + 1);
    if (n > SDR_ID_BYTES)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (name[i] < 0x20 || name[i] > 0x7E)
            return 0;
    /* The decoder trims trailing spaces, except before a share suffix. */
    return shared || n == 0 || name[n - 1] != ' ';
}

static void
put_name(struct buf_wr *w, const char *name)
{
    size_t n = strnlen(name, SDR_ID_BYTES);
    buf_put_u8(w, (uint8_t)(SDR_TL_ASCII8 | n));
    buf_put_bytes(w, name, n);
}

/* Bytes 5-22, common to full and compact records. */
static void
put_sensor_common(struct buf_wr *w, const struct ipmi_sdr *d)
{
    buf_put_u8(w, d->owner_id);
    buf_put_u8(w, (uint8_t)((d->channel & 0x0Fu) << 4 | (d->owner_lun & 0x03u)));
    buf_put_u8(w, d->number);
    buf_put_u8(w, d->entity_id);
    buf_put_u8(w, d->entity_instance & 0x7F);
    buf_put_u8(w, d->init);
    buf_put_u8(w, d->caps);
    buf_put_u8(w, d->sensor_type);
    buf_put_u8(w, d->event_type);
    buf_put_le16(w, d->assert_mask);
    buf_put_le16(w, d->deassert_mask);
    buf_put_le16(w, d->reading_mask);
    buf_put_u8(w, d->units1);
    buf_put_u8(w, d->unit_base);
    buf_put_u8(w, d->unit_mod);
}

static void
put_full(struct buf_wr *w, const struct ipmi_sdr *d)
{
    unsigned m = twos(d->m, 10), b = twos(d->b, 10);

    put_sensor_common(w, d);
    buf_put_u8(w, d->linearization & 0x7F);
    buf_put_u8(w, (uint8_t)(m & 0xFFu));
    buf_put_u8(w, (uint8_t)((m >> 8) << 6)); /* tolerance 0 */
    buf_put_u8(w, (uint8_t)(b & 0xFFu));
    buf_put_u8(w, (uint8_t)((b >> 8) << 6)); /* accuracy 0 */
    buf_put_u8(w, 0);                        /* accuracy, exponent, direction */
    buf_put_u8(w, (uint8_t)(twos(d->rexp, 4) << 4 | twos(d->bexp, 4)));
    buf_put_u8(w, d->analog_flags & 0x07);
    buf_put_u8(w, d->nominal);
    buf_put_u8(w, d->normal_max);
    buf_put_u8(w, d->normal_min);
    buf_put_u8(w, d->sensor_max);
    buf_put_u8(w, d->sensor_min);
    /* The SDR lists thresholds from UNR down to LNC. */
    buf_put_u8(w, d->thr_raw[IPMI_THR_UNR]);
    buf_put_u8(w, d->thr_raw[IPMI_THR_UC]);
    buf_put_u8(w, d->thr_raw[IPMI_THR_UNC]);
    buf_put_u8(w, d->thr_raw[IPMI_THR_LNR]);
    buf_put_u8(w, d->thr_raw[IPMI_THR_LC]);
    buf_put_u8(w, d->thr_raw[IPMI_THR_LNC]);
    buf_put_u8(w, d->hyst_pos);
    buf_put_u8(w, d->hyst_neg);
    buf_put_u8(w, 0); /* reserved */
    buf_put_u8(w, 0); /* reserved */
    buf_put_u8(w, 0); /* OEM */
    put_name(w, d->name);
}

static void
put_share(struct buf_wr *w, const struct sdr_share *sh)
{
    if (!sh) {
        buf_put_u8(w, 0x01); /* one sensor, numeric modifier */
        buf_put_u8(w, 0x00);
        return;
    }
    buf_put_u8(w, (uint8_t)((sh->alpha ? 0x10u : 0u) | (sh->count & 0x0Fu)));
    buf_put_u8(w, (uint8_t)((sh->inst_incr ? 0x80u : 0u) | (sh->mod_offset & 0x7Fu)));
}

static void
put_compact(struct buf_wr *w, const struct ipmi_sdr *d, const struct sdr_share *sh)
{
    put_sensor_common(w, d);
    put_share(w, sh);
    buf_put_u8(w, d->hyst_pos);
    buf_put_u8(w, d->hyst_neg);
    for (int i = 0; i < 4; i++)
        buf_put_u8(w, 0); /* reserved x3, OEM */
    put_name(w, d->name);
}

static void
put_event_only(struct buf_wr *w, const struct ipmi_sdr *d, const struct sdr_share *sh)
{
    buf_put_u8(w, d->owner_id);
    buf_put_u8(w, (uint8_t)((d->channel & 0x0Fu) << 4 | (d->owner_lun & 0x03u)));
    buf_put_u8(w, d->number);
    buf_put_u8(w, d->entity_id);
    buf_put_u8(w, d->entity_instance & 0x7F);
    buf_put_u8(w, d->sensor_type);
    buf_put_u8(w, d->event_type);
    put_share(w, sh);
    buf_put_u8(w, 0); /* reserved */
    buf_put_u8(w, 0); /* OEM */
    put_name(w, d->name);
}

static void
put_fru_locator(struct buf_wr *w, const struct ipmi_sdr *d)
{
    buf_put_u8(w, d->fru_access_addr);
    buf_put_u8(w, d->fru_id);
    buf_put_u8(w, (uint8_t)((d->fru_logical ? 0x80u : 0u) | (d->fru_lun & 0x03u) << 3 |
                            (d->fru_bus & 0x07u)));
    buf_put_u8(w, (uint8_t)((d->channel & 0x0Fu) << 4));
    buf_put_u8(w, 0); /* reserved */
    buf_put_u8(w, d->device_type);
    buf_put_u8(w, d->device_type_mod);
    buf_put_u8(w, d->entity_id);
    buf_put_u8(w, d->entity_instance & 0x7F);
    buf_put_u8(w, 0); /* OEM */
    put_name(w, d->name);
}

static void
put_mc_locator(struct buf_wr *w, const struct ipmi_sdr *d)
{
    buf_put_u8(w, d->mc_addr);
    buf_put_u8(w, d->channel & 0x0F);
    buf_put_u8(w, 0); /* power state notification / global init */
    buf_put_u8(w, d->mc_caps);
    for (int i = 0; i < 3; i++)
        buf_put_u8(w, 0); /* reserved */
    buf_put_u8(w, d->entity_id);
    buf_put_u8(w, d->entity_instance & 0x7F);
    buf_put_u8(w, 0); /* OEM */
    put_name(w, d->name);
}

/* Checks everything that could make the record differ from d once decoded. */
static int
check(const struct ipmi_sdr *d, const struct sdr_share *sh)
{
    int shared = sh && sh->count > 1;

    if (sh && d->type != IPMI_SDR_COMPACT && d->type != IPMI_SDR_EVENT_ONLY)
        return IC_EINVAL;
    if (sh && (sh->count > 15 || sh->mod_offset > 0x7F))
        return IC_EINVAL;
    if (!name_ok(d->name, shared))
        return IC_EINVAL;
    if (d->type == IPMI_SDR_FULL && (!fits_signed(d->m, 10) || !fits_signed(d->b, 10) ||
                                     !fits_signed(d->rexp, 4) || !fits_signed(d->bexp, 4)))
        return IC_EINVAL;
    switch (d->type) {
    case IPMI_SDR_FULL:
    case IPMI_SDR_COMPACT:
    case IPMI_SDR_EVENT_ONLY:
    case IPMI_SDR_FRU_LOCATOR:
    case IPMI_SDR_MC_LOCATOR:
        return 0;
    default:
        return IC_EINVAL;
    }
}

int
sdr_encode_shared(const struct ipmi_sdr *d, uint16_t record_id, const struct sdr_share *sh,
                  struct buf_wr *w)
{
    if (!d || !w)
        return IC_EINVAL;
    int rc = check(d, sh);
    if (rc < 0)
        return rc;

    buf_put_le16(w, record_id);
    buf_put_u8(w, d->version ? d->version : SDR_VERSION);
    buf_put_u8(w, d->type);
    uint8_t *body_len = buf_put_span(w, 1);
    size_t start = w->len;

    switch (d->type) {
    case IPMI_SDR_FULL:
        put_full(w, d);
        break;
    case IPMI_SDR_COMPACT:
        put_compact(w, d, sh);
        break;
    case IPMI_SDR_EVENT_ONLY:
        put_event_only(w, d, sh);
        break;
    case IPMI_SDR_FRU_LOCATOR:
        put_fru_locator(w, d);
        break;
    default:
        put_mc_locator(w, d);
        break;
    }
    rc = buf_wr_err(w);
    if (rc < 0)
        return rc;
    /* Bodies are at most 48 + 16 bytes: always fits the length byte. */
    *body_len = (uint8_t)(w->len - start);
    return 0;
}

int
sdr_encode(const struct ipmi_sdr *d, uint16_t record_id, struct buf_wr *w)
{
    return sdr_encode_shared(d, record_id, NULL, w);
}
