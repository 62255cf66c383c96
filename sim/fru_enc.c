/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fru_enc.c - FRU inventory encoding (Platform Management FRU Information
 * Storage Definition v1.0; reference §8), the mirror of poller/fru.c.
 *
 * Common header, 8 bytes (§8):
 *   0 format version 0x01  1 internal-use offset (0: none)
 *   2 chassis info offset  3 board info offset  4 product info offset
 *   5 multirecord offset (0: none)  6 pad 0  7 checksum (bytes 0-7 sum to 0)
 *   Offsets are in multiples of 8 bytes; 0 means the area is absent.
 *
 * Chassis info area (§10): 0 version 0x01  1 length / 8  2 chassis type
 *   then part number, serial number, custom fields, 0xC1, pad, checksum.
 * Board info area (§11): 0 version  1 length / 8  2 language (0 English)
 *   3-5 mfg date/time, minutes since 1996-01-01 00:00 UTC (LE24)
 *   then manufacturer, product name, serial, part number, FRU file ID,
 *   custom fields, 0xC1, pad, checksum.
 * Product info area (§12): 0 version  1 length / 8  2 language
 *   then manufacturer, name, part/model, version, serial, asset tag, FRU
 *   file ID, custom fields, 0xC1, pad, checksum.
 * Every area is zero-padded so that, with its final checksum byte (all
 * bytes of the area sum to 0 mod 256), its length is a multiple of 8.
 *
 * Type/length byte (§13): b7:6 type (10 6-bit packed ASCII, 11 8-bit),
 * b5:0 length. 6-bit packed: each character c in 0x20-0x5F is c - 0x20,
 * packed LSB first, 4 characters in 3 bytes.
 *
 * Each area is built in a scratch buffer through a buf_wr (so that its
 * length byte and checksum can be filled in), then appended to the image
 * through the caller's writer.
 */
#include "fru_enc.h"

#include "buf.h"
#include "ic_err.h"

#include <string.h>

#define FRU_VERSION    0x01
#define FRU_TL_END     0xC1
#define FRU_TL_ASCII8  0xC0
#define FRU_TL_SIXBIT  0x80
#define FRU_FIELD_MAX  63        /* b5:0 of the type/length byte */
#define FRU_AREA_MAX   (255 * 8) /* the length byte counts 8-byte units */
#define FRU_HEADER_LEN 8
#define FRU_LANG_EN    0x00
#define FRU_DATE_MAX   0xFFFFFFu

/* UTF-8 text -> the Latin-1 bytes fru.c turns back into it. */
static int
to_latin1(const char *s, uint8_t out[FRU_FIELD_MAX], size_t *n)
{
    size_t k = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned c = *p;
        if (c >= 0x80) {
            /* Only U+00A0-U+00FF: the decoder shows 0x80-0x9F as '?'. */
            if ((c != 0xC2 && c != 0xC3) || (p[1] & 0xC0u) != 0x80)
                return IC_EINVAL;
            c = ((c & 0x03u) << 6) | (p[1] & 0x3Fu);
            p++;
            if (c < 0xA0)
                return IC_EINVAL;
        } else if (c < 0x20 || c == 0x7F) {
            return IC_EINVAL;
        }
        if (k == FRU_FIELD_MAX)
            return IC_EINVAL;
        out[k++] = (uint8_t)c;
    }
    *n = k;
    return 0;
}

/* 1 when s round-trips through 6-bit packing: 0x20-0x5F, whole groups of 4. */
static int
sixbit_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n % 4 != 0 || n / 4 * 3 > FRU_FIELD_MAX)
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x5F)
            return 0;
    return 1;
}

static void
put_sixbit(struct buf_wr *w, const char *s)
{
    size_t n = strlen(s);
    buf_put_u8(w, (uint8_t)(FRU_TL_SIXBIT | (n / 4 * 3)));
    for (size_t i = 0; i < n; i += 4) {
        uint32_t g = 0;
        for (size_t j = 0; j < 4; j++)
            g |= (uint32_t)((unsigned char)s[i + j] - 0x20u) << (6 * j);
        buf_put_u8(w, (uint8_t)(g & 0xFFu));
        buf_put_u8(w, (uint8_t)((g >> 8) & 0xFFu));
        buf_put_u8(w, (uint8_t)(g >> 16));
    }
}

/* One type/length field; sixbit: try 6-bit packing first. */
static int
put_field(struct buf_wr *w, const struct ipmi_fru_field *fld, int sixbit)
{
    uint8_t lat[FRU_FIELD_MAX];
    size_t n;

    if (sixbit && sixbit_ok(fld->text)) {
        put_sixbit(w, fld->text);
        return 0;
    }
    if (to_latin1(fld->text, lat, &n) < 0)
        return IC_EINVAL;
    if (n == 1) {
        /* 0xC1 is the end marker: pad with a NUL, where the decoder stops. */
        buf_put_u8(w, FRU_TL_ASCII8 | 2);
        buf_put_u8(w, lat[0]);
        buf_put_u8(w, 0);
        return 0;
    }
    buf_put_u8(w, (uint8_t)(FRU_TL_ASCII8 | n));
    buf_put_bytes(w, lat, n);
    return 0;
}

/* Fixed fields (sixbit_mask bit i: field i is a part number), then custom fields. */
static int
put_fields(struct buf_wr *w, const struct ipmi_fru_field *const *fixed, unsigned nfixed,
           unsigned sixbit_mask, const struct ipmi_fru_field *custom, unsigned ncustom)
{
    if (ncustom > IPMI_FRU_CUSTOM_MAX)
        return IC_EINVAL;
    for (unsigned i = 0; i < nfixed; i++)
        if (put_field(w, fixed[i], (sixbit_mask >> i) & 1u) < 0)
            return IC_EINVAL;
    for (unsigned i = 0; i < ncustom; i++) {
        if (custom[i].text[0] == '\0')
            continue; /* the decoder skips empty custom fields */
        if (put_field(w, &custom[i], 0) < 0)
            return IC_EINVAL;
    }
    buf_put_u8(w, FRU_TL_END);
    return 0;
}

static int
chassis_body(struct buf_wr *w, const struct ipmi_fru *f, int sixbit)
{
    const struct ipmi_fru_field *fixed[] = {&f->chassis_part, &f->chassis_serial};
    buf_put_u8(w, f->chassis_type);
    return put_fields(w, fixed, 2, sixbit ? 0x1u : 0u, f->chassis_custom, f->n_chassis_custom);
}

static int
board_body(struct buf_wr *w, const struct ipmi_fru *f, int sixbit)
{
    const struct ipmi_fru_field *fixed[] = {&f->board_mfg, &f->board_product, &f->board_serial,
                                            &f->board_part, &f->board_file_id};
    if (f->board_mfg_minutes > FRU_DATE_MAX)
        return IC_EINVAL;
    buf_put_u8(w, FRU_LANG_EN);
    buf_put_le16(w, (uint16_t)(f->board_mfg_minutes & 0xFFFFu));
    buf_put_u8(w, (uint8_t)(f->board_mfg_minutes >> 16));
    return put_fields(w, fixed, 5, sixbit ? 0x8u : 0u, f->board_custom, f->n_board_custom);
}

static int
product_body(struct buf_wr *w, const struct ipmi_fru *f, int sixbit)
{
    const struct ipmi_fru_field *fixed[] = {
        &f->product_mfg,    &f->product_name,      &f->product_part,   &f->product_version,
        &f->product_serial, &f->product_asset_tag, &f->product_file_id};
    buf_put_u8(w, FRU_LANG_EN);
    return put_fields(w, fixed, 7, sixbit ? 0x4u : 0u, f->product_custom, f->n_product_custom);
}

typedef int (*fru_body_fn)(struct buf_wr *w, const struct ipmi_fru *f, int sixbit);

/*
 * Appends one info area to out: version, length, body, padding, checksum.
 * *off8 receives its offset in 8-byte units. Returns 0 or IC_E*.
 */
static int
put_area(struct buf_wr *out, const struct ipmi_fru *f, int sixbit, fru_body_fn body, uint8_t *off8)
{
    uint8_t area[FRU_AREA_MAX];
    struct buf_wr w;

    if (out->len / 8 > 0xFF)
        return IC_ETOOBIG;
    *off8 = (uint8_t)(out->len / 8);
    buf_wr_init(&w, area, sizeof(area));
    buf_put_u8(&w, FRU_VERSION);
    uint8_t *len8 = buf_put_span(&w, 1);
    int rc = body(&w, f, sixbit);
    if (rc < 0)
        return rc;
    while ((w.len + 1) % 8 != 0 && !buf_wr_err(&w))
        buf_put_u8(&w, 0);
    if (buf_wr_err(&w) || w.len + 1 > sizeof(area))
        return IC_ETOOBIG; /* an area of more than 2040 bytes */
    *len8 = (uint8_t)((w.len + 1) / 8);
    unsigned sum = 0;
    for (size_t i = 0; i < w.len; i++)
        sum += area[i];
    buf_put_u8(&w, (uint8_t)(0x100u - (sum & 0xFFu)));
    buf_put_bytes(out, area, w.len);
    return buf_wr_err(out);
}

int
fru_encode(const struct ipmi_fru *f, int sixbit_parts, uint8_t *img, size_t cap, size_t *len)
{
    struct buf_wr w;
    uint8_t off[3] = {0, 0, 0}; /* chassis, board, product */
    int rc = 0;

    if (!f || !img || !len)
        return IC_EINVAL;
    *len = 0;
    buf_wr_init(&w, img, cap);
    uint8_t *hdr = buf_put_span(&w, FRU_HEADER_LEN);
    if (!hdr)
        return IC_ETOOBIG;
    if (f->has_chassis)
        rc = put_area(&w, f, sixbit_parts, chassis_body, &off[0]);
    if (rc == 0 && f->has_board)
        rc = put_area(&w, f, sixbit_parts, board_body, &off[1]);
    if (rc == 0 && f->has_product)
        rc = put_area(&w, f, sixbit_parts, product_body, &off[2]);
    if (rc < 0)
        return rc;

    uint8_t h[FRU_HEADER_LEN] = {FRU_VERSION, 0, off[0], off[1], off[2], 0, 0, 0};
    unsigned sum = 0;
    for (size_t i = 0; i + 1 < sizeof(h); i++)
        sum += h[i];
    h[FRU_HEADER_LEN - 1] = (uint8_t)(0x100u - (sum & 0xFFu));
    memcpy(hdr, h, sizeof(h));
    *len = w.len;
    return 0;
}
