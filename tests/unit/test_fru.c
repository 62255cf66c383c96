/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_fru.c - FRU inventory decoder (poller/fru.c). The bmcsim images and
 * one synthetic image with every encoding (fixtures/bmcsim_fru.h) are
 * decoded and compared, field by field, with what `ipmitool fru print`
 * printed for them; the reference's worked example (§8.5) too. Then hostile
 * images: every truncation, areas outside the image, bad lengths and
 * checksums, overlong fields, missing end markers, endless multirecord
 * chains, too many custom fields.
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
#include "ic_err.h"

#include "fixtures/bmcsim_fru.h"

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* Reference §8.5: the 80-byte image loaded into ipmi_sim for the captures. */
static const uint8_t ref_example[80] = {
    0x01, 0x00, 0x00, 0x01, 0x05, 0x00, 0x00, 0xf9, /* header */
    0x01, 0x04, 0x00, 0x38, 0xbd, 0xe0, 0xc4, 0x41, 0x43, 0x4d, 0x45, 0xc6, 0x42, 0x6f,
    0x61, 0x72, 0x64, 0x31, 0xc5, 0x53, 0x4e, 0x31, 0x32, 0x33, 0xc4, 0x50, 0x4e, 0x2d,
    0x31, 0xc0, 0xc1, 0x30, /* board */
    0x01, 0x05, 0x00, 0xc4, 0x41, 0x43, 0x4d, 0x45, 0xc6, 0x57, 0x69, 0x64, 0x67, 0x65,
    0x74, 0xc4, 0x50, 0x4e, 0x2d, 0x57, 0xc2, 0x76, 0x31, 0xc4, 0x50, 0x53, 0x4e, 0x39,
    0xc3, 0x41, 0x54, 0x31, 0xc0, 0xc1, 0x00, 0x00, 0x00, 0x00, 0x00, 0xaf, /* product */
};

/* ipmitool prints Latin-1 bytes as they are; we give UTF-8. */
static void
latin1_to_utf8(const char *in, char *out, size_t outlen)
{
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)in; *p && o + 3 < outlen; p++) {
        if (*p < 0x80) {
            out[o++] = (char)*p;
        } else {
            out[o++] = (char)(0xC0 | (*p >> 6));
            out[o++] = (char)(0x80 | (*p & 0x3F));
        }
    }
    out[o] = '\0';
}

/*
 * Compares a decoded FRU with ipmitool's (label, value) rows. ipmitool omits
 * empty fields and never prints the FRU file IDs, so every other non-empty
 * field we decoded must be one of its rows.
 */
static void
check_print(const struct ipmi_fru *f, const struct bmcsim_fru_row *rows, size_t n)
{
    unsigned cc = 0, bc = 0, pc = 0, printed = 0;
    for (size_t i = 0; i < n; i++) {
        const char *l = rows[i].label;
        char want[256], got[128];
        latin1_to_utf8(rows[i].value, want, sizeof(want));
        const char *v = NULL;
        if (!strcmp(l, "Chassis Type"))
            v = fru_chassis_type_text(f->chassis_type);
        else if (!strcmp(l, "Chassis Part Number"))
            v = f->chassis_part.text;
        else if (!strcmp(l, "Chassis Serial"))
            v = f->chassis_serial.text;
        else if (!strcmp(l, "Chassis Extra"))
            v = cc < f->n_chassis_custom ? f->chassis_custom[cc++].text : "(missing)";
        else if (!strcmp(l, "Board Mfg Date")) {
            char d[64];
            fru_board_date_text(f, d, sizeof(d));
            snprintf(got, sizeof(got), "%s UTC", d); /* ipmitool's suffix */
            v = got;
        } else if (!strcmp(l, "Board Mfg"))
            v = f->board_mfg.text;
        else if (!strcmp(l, "Board Product"))
            v = f->board_product.text;
        else if (!strcmp(l, "Board Serial"))
            v = f->board_serial.text;
        else if (!strcmp(l, "Board Part Number"))
            v = f->board_part.text;
        else if (!strcmp(l, "Board Extra"))
            v = bc < f->n_board_custom ? f->board_custom[bc++].text : "(missing)";
        else if (!strcmp(l, "Product Manufacturer"))
            v = f->product_mfg.text;
        else if (!strcmp(l, "Product Name"))
            v = f->product_name.text;
        else if (!strcmp(l, "Product Part Number"))
            v = f->product_part.text;
        else if (!strcmp(l, "Product Version"))
            v = f->product_version.text;
        else if (!strcmp(l, "Product Serial"))
            v = f->product_serial.text;
        else if (!strcmp(l, "Product Asset Tag"))
            v = f->product_asset_tag.text;
        else if (!strcmp(l, "Product Extra"))
            v = pc < f->n_product_custom ? f->product_custom[pc++].text : "(missing)";
        else
            fail_msg("unexpected ipmitool label %s", l);
        assert_non_null(v);
        assert_string_equal(v, want);
        printed++;
    }
    assert_int_equal(cc, f->n_chassis_custom);
    assert_int_equal(bc, f->n_board_custom);
    assert_int_equal(pc, f->n_product_custom);

    const struct ipmi_fru_field *all[] = {
        &f->chassis_part, &f->chassis_serial,  &f->board_mfg,      &f->board_product,
        &f->board_serial, &f->board_part,      &f->product_mfg,    &f->product_name,
        &f->product_part, &f->product_version, &f->product_serial, &f->product_asset_tag,
    };
    unsigned nonempty = f->has_chassis + (f->board_mfg_minutes != 0) + cc + bc + pc;
    for (size_t i = 0; i < NELEMS(all); i++)
        nonempty += all[i]->text[0] != '\0';
    assert_int_equal(nonempty, printed);
}

static void
test_bmcsim_fru0_bmc001(void **state)
{
    (void)state;
    struct ipmi_fru f;
    char d[64];
    assert_int_equal(fru_decode(bmcsim_fru0_bmc001, sizeof(bmcsim_fru0_bmc001), &f), 0);
    assert_string_equal(f.errors, "");
    assert_true(f.has_chassis && f.has_board && f.has_product);
    assert_int_equal(f.chassis_type, 0x17);
    fru_board_date_text(&f, d, sizeof(d));
    assert_string_equal(d, "Tue Mar 14 09:26:00 2023");
    assert_string_equal(f.board_part.text, "MB-X1-0420-A"); /* 6-bit packed */
    assert_string_equal(f.product_part.text, "SS1U-0042-AB");
    assert_string_equal(f.board_custom[0].text, "BMC-001");
    assert_string_equal(f.board_file_id.text, "");
    assert_string_equal(f.product_file_id.text, "");
    assert_int_equal(f.n_multirecords, 0);
    assert_int_equal(f.fru_id, 0);
    check_print(&f, bmcsim_fru0_bmc001_print, NELEMS(bmcsim_fru0_bmc001_print));
}

static void
test_bmcsim_fru0_bmc002(void **state)
{
    (void)state;
    struct ipmi_fru f;
    assert_int_equal(fru_decode(bmcsim_fru0_bmc002, sizeof(bmcsim_fru0_bmc002), &f), 0);
    assert_string_equal(f.errors, "");
    check_print(&f, bmcsim_fru0_bmc002_print, NELEMS(bmcsim_fru0_bmc002_print));
}

static void
test_bmcsim_fru1_product_only(void **state)
{
    (void)state;
    struct ipmi_fru f;
    assert_int_equal(fru_decode(bmcsim_fru1_bmc001, sizeof(bmcsim_fru1_bmc001), &f), 0);
    assert_string_equal(f.errors, "");
    assert_false(f.has_chassis);
    assert_false(f.has_board);
    assert_true(f.has_product);
    assert_int_equal(f.n_product_custom, 0); /* an empty custom field is skipped */
    check_print(&f, bmcsim_fru1_bmc001_print, NELEMS(bmcsim_fru1_bmc001_print));
}

/* BCD plus, 6-bit with partial groups, binary as hex, Latin-1, a NUL inside
   an 8-bit field, empty fields, multirecords: as ipmitool printed them. */
static void
test_every_encoding(void **state)
{
    (void)state;
    struct ipmi_fru f;
    char d[64];
    assert_int_equal(fru_decode(bmcsim_fru_enc, sizeof(bmcsim_fru_enc), &f), 0);
    assert_string_equal(f.errors, "");
    check_print(&f, bmcsim_fru_enc_print, NELEMS(bmcsim_fru_enc_print));
    assert_string_equal(f.chassis_part.text, ""); /* binary, length 0 */
    assert_string_equal(f.board_product.text, "12-34.5 ");
    assert_string_equal(f.board_serial.text, "A   ");
    assert_string_equal(f.board_file_id.text, "01abff");
    assert_string_equal(f.board_custom[0].text, "Caf\xc3\xa9");
    assert_string_equal(f.board_custom[1].text, "NU");
    assert_string_equal(f.product_serial.text, "deadbeef");
    fru_board_date_text(&f, d, sizeof(d));
    assert_string_equal(d, "Tue Jan  2 03:04:00 2024");
    assert_int_equal(f.n_multirecords, 2);
}

static void
test_reference_example(void **state)
{
    (void)state;
    struct ipmi_fru f;
    char d[64];
    assert_int_equal(fru_decode(ref_example, sizeof(ref_example), &f), 0);
    assert_string_equal(f.errors, "");
    assert_int_equal(f.board_mfg_minutes, 14728504);
    fru_board_date_text(&f, d, sizeof(d));
    assert_string_equal(d, "Tue Jan  2 03:04:00 2024");
    assert_string_equal(f.board_mfg.text, "ACME");
    assert_string_equal(f.board_product.text, "Board1");
    assert_string_equal(f.board_serial.text, "SN123");
    assert_string_equal(f.board_part.text, "PN-1");
    assert_string_equal(f.product_name.text, "Widget");
    assert_string_equal(f.product_part.text, "PN-W");
    assert_string_equal(f.product_version.text, "v1");
    assert_string_equal(f.product_serial.text, "PSN9");
    assert_string_equal(f.product_asset_tag.text, "AT1");
}

/* Every prefix of every image: never out of bounds (ASan), the header
   decides the return code, a cut area is reported. */
static void
test_every_truncation(void **state)
{
    (void)state;
    static const struct {
        const uint8_t *p;
        size_t n, used; /* used: bytes the areas span */
    } imgs[] = {
        {bmcsim_fru0_bmc001, sizeof(bmcsim_fru0_bmc001), 0xB8},
        {bmcsim_fru1_bmc001, sizeof(bmcsim_fru1_bmc001), 0x40},
        {bmcsim_fru_enc, sizeof(bmcsim_fru_enc), 0x98},
        {ref_example, sizeof(ref_example), 80},
    };
    for (size_t i = 0; i < NELEMS(imgs); i++) {
        for (size_t n = 0; n <= imgs[i].n; n++) {
            uint8_t *copy = malloc(n ? n : 1); /* exact size for ASan */
            assert_non_null(copy);
            memcpy(copy, imgs[i].p, n);
            struct ipmi_fru f;
            int rc = fru_decode(copy, n, &f);
            free(copy);
            assert_int_equal(rc, n < 8 ? IC_EPROTO : 0);
            if (n < imgs[i].used)
                assert_true(f.errors[0] != '\0');
            else
                assert_string_equal(f.errors, "");
            assert_true(strlen(f.errors) < sizeof(f.errors));
        }
    }
}

static void
fix_header(uint8_t *img)
{
    unsigned s = 0;
    for (int i = 0; i < 7; i++)
        s += img[i];
    img[7] = (uint8_t)(0x100 - (s & 0xFF));
}

static void
fix_area(uint8_t *a, size_t len)
{
    unsigned s = 0;
    for (size_t i = 0; i + 1 < len; i++)
        s += a[i];
    a[len - 1] = (uint8_t)(0x100 - (s & 0xFF));
}

static void
test_header_errors(void **state)
{
    (void)state;
    uint8_t img[sizeof(ref_example)];
    struct ipmi_fru f;

    memcpy(img, ref_example, sizeof(img));
    img[7] ^= 1;
    assert_int_equal(fru_decode(img, sizeof(img), &f), IC_EPROTO);
    assert_string_equal(f.errors, "common header: bad checksum");

    memcpy(img, ref_example, sizeof(img));
    img[0] = 0x02;
    fix_header(img);
    assert_int_equal(fru_decode(img, sizeof(img), &f), IC_EPROTO);
    assert_string_equal(f.errors, "common header: unsupported version 0x02");

    assert_int_equal(fru_decode(img, 7, &f), IC_EPROTO);
    assert_string_equal(f.errors, "common header: truncated (7 bytes)");
    assert_int_equal(fru_decode(NULL, 0, &f), IC_EPROTO);
    assert_int_equal(fru_decode(NULL, 8, &f), IC_EINVAL);
    assert_int_equal(fru_decode(img, 8, NULL), IC_EINVAL);

    /* An all-zero image: version 0. */
    memset(img, 0, sizeof(img));
    assert_int_equal(fru_decode(img, sizeof(img), &f), IC_EPROTO);
}

static void
test_area_errors(void **state)
{
    (void)state;
    uint8_t img[sizeof(ref_example)];
    struct ipmi_fru f;

    /* Offsets beyond the image, for every area. */
    memcpy(img, ref_example, sizeof(img));
    img[1] = 0x20;
    img[2] = 0x20;
    img[3] = 0xFF;
    img[5] = 0x0A;
    fix_header(img);
    assert_int_equal(fru_decode(img, sizeof(img), &f), 0);
    assert_string_equal(f.errors,
                        "internal-use area: offset 256 beyond the image; chassis area: offset 256 "
                        "beyond the image (80 bytes); board area: offset 2040 beyond the image (80 "
                        "bytes); multirecord area: offset 80 beyond the image (80 bytes)");
    assert_false(f.has_board);
    assert_true(f.has_product); /* the rest is still parsed */
    assert_string_equal(f.product_name.text, "Widget");

    /* Bad area checksum: reported, fields still decoded. */
    memcpy(img, ref_example, sizeof(img));
    img[15] = 'a';
    assert_int_equal(fru_decode(img, sizeof(img), &f), 0);
    assert_string_equal(f.errors, "board area: bad checksum");
    assert_string_equal(f.board_mfg.text, "aCME");

    /* Area length 0: parsed to the end marker, no checksum to check. */
    memcpy(img, ref_example, sizeof(img));
    img[9] = 0;
    assert_int_equal(fru_decode(img, sizeof(img), &f), 0);
    assert_string_equal(f.errors, "board area: length 0");
    assert_string_equal(f.board_part.text, "PN-1");

    /* Length past the end of the image. */
    memcpy(img, ref_example, sizeof(img));
    img[41] = 0x20;
    assert_int_equal(fru_decode(img, sizeof(img), &f), 0);
    assert_string_equal(f.errors, "product area: length 256 past the end of the image");
    assert_string_equal(f.product_asset_tag.text, "AT1");

    /* Unsupported area version: the area is skipped. */
    memcpy(img, ref_example, sizeof(img));
    img[8] = 0x02;
    assert_int_equal(fru_decode(img, sizeof(img), &f), 0);
    assert_string_equal(f.errors, "board area: unsupported version 0x02");
    assert_false(f.has_board);

    /* The board area cut right after its header. */
    assert_int_equal(fru_decode(ref_example, 10, &f), 0);
    assert_string_equal(f.errors, "board area: length 32 past the end of the image; board area: "
                                  "truncated; product area: offset 40 beyond the image (10 bytes)");
}

static void
test_field_errors(void **state)
{
    (void)state;
    /* Header + a 16-byte board area: its first field claims 63 bytes. */
    uint8_t img[24] = {0x01, 0, 0, 0x01, 0, 0, 0, 0};
    struct ipmi_fru f;
    fix_header(img);
    uint8_t area[16] = {0x01, 0x02, 0x00, 0, 0, 0, 0xFF, 'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'};
    memcpy(img + 8, area, sizeof(area));
    fix_area(img + 8, 16);
    assert_int_equal(fru_decode(img, sizeof(img), &f), 0);
    assert_string_equal(f.errors, "board area: field 0 claims 63 bytes, 8 left");
    assert_string_equal(f.board_mfg.text, "ABCDEFGH");
    assert_string_equal(f.board_product.text, "");

    /* No end marker: fields run to the checksum byte. */
    uint8_t area2[16] = {0x01, 0x02, 0x00, 0, 0, 0, 0xC2, 'A', 'B', 0xC2, 'C', 'D', 0xC0, 0xC0};
    memcpy(img + 8, area2, sizeof(area2));
    fix_area(img + 8, 16);
    assert_int_equal(fru_decode(img, sizeof(img), &f), 0);
    assert_string_equal(f.errors, "board area: no end marker");
    assert_string_equal(f.board_mfg.text, "AB");
    assert_string_equal(f.board_product.text, "CD");

    /* 0xC1 where a mandatory field should be: the area simply ends. */
    uint8_t area3[16] = {0x01, 0x02, 0x00, 0, 0, 0, 0xC2, 'A', 'B', 0xC1};
    memcpy(img + 8, area3, sizeof(area3));
    fix_area(img + 8, 16);
    assert_int_equal(fru_decode(img, sizeof(img), &f), 0);
    assert_string_equal(f.errors, "");
    assert_string_equal(f.board_mfg.text, "AB");

    /* Control characters are replaced. */
    uint8_t area4[16] = {0x01, 0x02, 0x00, 0, 0, 0, 0xC4, 'A', 0x1B, 0x7F, 0x85, 0xC1};
    memcpy(img + 8, area4, sizeof(area4));
    fix_area(img + 8, 16);
    assert_int_equal(fru_decode(img, sizeof(img), &f), 0);
    assert_string_equal(f.board_mfg.text, "A???");
}

/* Fields longer than IPMI_FRU_TEXT_MAX are cut, UTF-8 never split. */
static void
test_overlong_fields(void **state)
{
    (void)state;
    uint8_t img[8 + 512];
    struct ipmi_fru f;
    memset(img, 0, sizeof(img));
    img[0] = 0x01;
    img[4] = 0x01; /* product area at 8 */
    fix_header(img);
    uint8_t *a = img + 8;
    size_t o = 3;
    a[0] = 0x01;
    a[1] = 512 / 8;
    a[o++] = 0x3F; /* binary, 63 bytes -> 126 hex digits, cut at 64 */
    for (int i = 0; i < 63; i++)
        a[o++] = (uint8_t)i;
    a[o++] = 0xFF; /* 8-bit, 63 bytes of 0xE9 -> 126 bytes of UTF-8, cut at 64 */
    for (int i = 0; i < 63; i++)
        a[o++] = 0xE9;
    a[o++] = 0xBF; /* 6-bit, 63 bytes -> 84 characters, cut at 64 */
    for (int i = 0; i < 21; i++) {
        a[o++] = 0x29; /* "IPMI" */
        a[o++] = 0xDC;
        a[o++] = 0xA6;
    }
    a[o++] = 0x7F; /* BCD, 63 bytes -> 126 digits, cut at 64 */
    for (int i = 0; i < 63; i++)
        a[o++] = 0x12;
    a[o++] = 0xC1;
    fix_area(a, 512);
    assert_int_equal(fru_decode(img, sizeof(img), &f), 0);
    assert_string_equal(f.errors, "");
    assert_int_equal(strlen(f.product_mfg.text), IPMI_FRU_TEXT_MAX);
    assert_memory_equal(f.product_mfg.text, "000102030405060708090a0b0c0d0e0f", 32);
    assert_int_equal(strlen(f.product_name.text), IPMI_FRU_TEXT_MAX);
    for (size_t i = 0; i < IPMI_FRU_TEXT_MAX; i += 2)
        assert_memory_equal(f.product_name.text + i, "\xc3\xa9", 2);
    assert_int_equal(strlen(f.product_part.text), IPMI_FRU_TEXT_MAX);
    for (size_t i = 0; i < IPMI_FRU_TEXT_MAX; i += 4)
        assert_memory_equal(f.product_part.text + i, "IPMI", 4);
    assert_int_equal(strlen(f.product_version.text), IPMI_FRU_TEXT_MAX);
    assert_memory_equal(f.product_version.text, "1212", 4);
}

static void
test_custom_fields(void **state)
{
    (void)state;
    uint8_t img[8 + 64];
    struct ipmi_fru f;
    memset(img, 0, sizeof(img));
    img[0] = 0x01;
    img[2] = 0x01; /* chassis area at 8 */
    fix_header(img);
    uint8_t *a = img + 8;
    size_t o = 0;
    a[o++] = 0x01;
    a[o++] = 64 / 8;
    a[o++] = 0x17;
    a[o++] = 0xC0;                 /* part: empty */
    a[o++] = 0x00;                 /* serial: binary, empty */
    for (int i = 0; i < 12; i++) { /* 12 custom fields, one empty */
        if (i == 3) {
            a[o++] = 0xC0;
            continue;
        }
        a[o++] = 0xC2;
        a[o++] = 'c';
        a[o++] = (uint8_t)('a' + i);
    }
    a[o++] = 0xC1;
    fix_area(a, 64);
    assert_int_equal(fru_decode(img, sizeof(img), &f), 0);
    assert_string_equal(f.errors, "");
    assert_int_equal(f.n_chassis_custom, IPMI_FRU_CUSTOM_MAX);
    assert_string_equal(f.chassis_custom[0].text, "ca");
    assert_string_equal(f.chassis_custom[3].text, "ce");
    assert_string_equal(f.chassis_custom[7].text, "ci");
    assert_string_equal(fru_chassis_type_text(f.chassis_type), "Rack Mount Chassis");
}

/* Builds header + multirecord area from records (type, flags, data len). */
static size_t
put_mr(uint8_t *p, uint8_t flags, const uint8_t *data, uint8_t dlen)
{
    unsigned s = 0;
    for (unsigned i = 0; i < dlen; i++)
        s += data[i];
    p[0] = 0xC0;
    p[1] = flags;
    p[2] = dlen;
    p[3] = (uint8_t)(0x100 - (s & 0xFF));
    p[4] = (uint8_t)(0x100 - ((p[0] + p[1] + p[2] + p[3]) & 0xFF));
    memcpy(p + 5, data, dlen);
    return 5u + dlen;
}

static void
test_multirecords(void **state)
{
    (void)state;
    static const uint8_t data[3] = {0x57, 0x01, 0x00};
    uint8_t img[8 + 64];
    struct ipmi_fru f;
    memset(img, 0, sizeof(img));
    img[0] = 0x01;
    img[5] = 0x01;
    fix_header(img);

    size_t o = 8;
    o += put_mr(img + o, 0x02, data, 3);
    o += put_mr(img + o, 0x82, data, 3);
    assert_int_equal(fru_decode(img, sizeof(img), &f), 0);
    assert_string_equal(f.errors, "");
    assert_int_equal(f.n_multirecords, 2);

    /* A chain that never ends: records without end-of-list fill the image. */
    o = 8;
    while (o + 5 <= sizeof(img))
        o += put_mr(img + o, 0x02, data, 0);
    assert_int_equal(fru_decode(img, o, &f), 0);
    assert_int_equal(f.n_multirecords, (o - 8) / 5);
    assert_string_equal(f.errors, "multirecord 12: image ends before end-of-list");
    assert_int_equal(fru_decode(img, sizeof(img), &f), 0);
    assert_string_equal(f.errors, "multirecord 12: truncated header");

    /* Bad data checksum: counted and reported; bad header checksum: stop. */
    o = 8;
    o += put_mr(img + o, 0x02, data, 3);
    img[o - 1] ^= 0xFF;
    o += put_mr(img + o, 0x82, data, 3);
    assert_int_equal(fru_decode(img, sizeof(img), &f), 0);
    assert_string_equal(f.errors, "multirecord 0: bad data checksum");
    assert_int_equal(f.n_multirecords, 2);
    img[8 + 4] ^= 1;
    assert_int_equal(fru_decode(img, sizeof(img), &f), 0);
    assert_string_equal(f.errors, "multirecord 0: bad header checksum");
    assert_int_equal(f.n_multirecords, 0);

    /* Data length past the end; unknown format version. */
    o = 8;
    o += put_mr(img + o, 0x82, data, 3);
    img[8 + 2] = 200;
    img[8 + 4] = (uint8_t)(img[8 + 4] - (200 - 3));
    assert_int_equal(fru_decode(img, sizeof(img), &f), 0);
    assert_string_equal(f.errors, "multirecord 0: data truncated");
    put_mr(img + 8, 0x81, data, 3);
    assert_int_equal(fru_decode(img, sizeof(img), &f), 0);
    assert_string_equal(f.errors, "multirecord 0: unsupported format 0x01");
}

/* Many errors: the message stays bounded and terminated. */
static void
test_error_overflow(void **state)
{
    (void)state;
    uint8_t img[8 + 200];
    struct ipmi_fru f;
    memset(img, 0, sizeof(img));
    img[0] = 0x01;
    img[1] = 0xF0;
    img[2] = 0xF1;
    img[3] = 0xF2;
    img[4] = 0xF3;
    img[5] = 0xF4;
    fix_header(img);
    assert_int_equal(fru_decode(img, sizeof(img), &f), 0);
    assert_true(strlen(f.errors) < sizeof(f.errors));
    assert_non_null(strstr(f.errors, "multirecord area"));
}

static void
test_board_date(void **state)
{
    (void)state;
    struct ipmi_fru f;
    char d[64];
    memset(&f, 0, sizeof(f));
    fru_board_date_text(&f, d, sizeof(d));
    assert_string_equal(d, "");
    f.board_mfg_minutes = 1;
    fru_board_date_text(&f, d, sizeof(d));
    assert_string_equal(d, "Mon Jan  1 00:01:00 1996");
    f.board_mfg_minutes = 0xFFFFFF; /* the last encodable minute */
    fru_board_date_text(&f, d, sizeof(d));
    assert_string_equal(d, "Wed Nov 24 20:15:00 2027");
    f.board_mfg_minutes = 14728504 + 58 * 1440; /* leap day */
    fru_board_date_text(&f, d, sizeof(d));
    assert_string_equal(d, "Thu Feb 29 03:04:00 2024");
    fru_board_date_text(&f, d, 4);
    assert_string_equal(d, "Thu");
    fru_board_date_text(NULL, d, sizeof(d));
    assert_string_equal(d, "");
    fru_board_date_text(&f, NULL, 0);
}

static void
test_chassis_types(void **state)
{
    (void)state;
    assert_string_equal(fru_chassis_type_text(0x00), "Unspecified");
    assert_string_equal(fru_chassis_type_text(0x11), "Main Server Chassis");
    assert_string_equal(fru_chassis_type_text(0x17), "Rack Mount Chassis");
    assert_string_equal(fru_chassis_type_text(0x1C), "Blade");
    assert_string_equal(fru_chassis_type_text(0x24), "Stick PC");
    assert_string_equal(fru_chassis_type_text(0x25), "Unknown");
    assert_string_equal(fru_chassis_type_text(0xFF), "Unknown");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bmcsim_fru0_bmc001),
        cmocka_unit_test(test_bmcsim_fru0_bmc002),
        cmocka_unit_test(test_bmcsim_fru1_product_only),
        cmocka_unit_test(test_every_encoding),
        cmocka_unit_test(test_reference_example),
        cmocka_unit_test(test_every_truncation),
        cmocka_unit_test(test_header_errors),
        cmocka_unit_test(test_area_errors),
        cmocka_unit_test(test_field_errors),
        cmocka_unit_test(test_overlong_fields),
        cmocka_unit_test(test_custom_fields),
        cmocka_unit_test(test_multirecords),
        cmocka_unit_test(test_error_overflow),
        cmocka_unit_test(test_board_date),
        cmocka_unit_test(test_chassis_types),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
