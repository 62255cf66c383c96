/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fru.c - FRU inventory decoder (Platform Management FRU Information Storage
 * Definition v1.0; reference §8). Pure: no I/O, no globals, no allocation.
 *
 * Common header, 8 bytes at offset 0 (§8.1):
 *   [0] b3:0 format version = 1
 *   [1] internal-use area offset   (all offsets in multiples of 8 bytes,
 *   [2] chassis info area offset    0 = area absent)
 *   [3] board info area offset
 *   [4] product info area offset
 *   [5] multirecord area offset
 *   [6] pad
 *   [7] checksum: the 8 bytes sum to 0 (mod 256)
 *
 * Info areas (§8.2): [0] version 1, [1] length in multiples of 8 bytes,
 * fixed bytes, type/length-prefixed fields up to the end marker 0xC1, zero
 * pad, and a last byte making the whole area sum to 0.
 *   chassis: [2] chassis type (SMBIOS)      part, serial, custom...
 *   board:   [2] language, [3..5] mfg date  manufacturer, product, serial,
 *            (minutes since 1996-01-01      part, FRU file ID, custom...
 *            00:00 UTC, 24-bit LE)
 *   product: [2] language                   manufacturer, name, part, version,
 *                                           serial, asset tag, file ID, custom...
 *
 * Type/length byte (§8.3): b7:6 encoding (00 binary, 01 BCD plus, 10 6-bit
 * packed ASCII, 11 8-bit ASCII/Latin-1), b5:0 byte count; 0xC1 ends the list.
 *
 * Multirecord area (§8.4): records of a 5-byte header [0] type, [1] b7
 * end-of-list, b3:0 format 2, [2] data length, [3] data checksum, [4] header
 * checksum, then the data.
 *
 * Hostile images: every read goes through a bounded reader; an area that
 * points outside the image, claims a length past its end, has a bad
 * checksum or lacks its end marker is reported in out->errors and decoded as
 * far as its bytes go. Multirecord walking always moves forward, so a chain
 * that "never ends" stops at the end of the image.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "clock.h"
#include "fru.h"
#include "ic_err.h"

#define FRU_TL_END   0xC1
#define FRU_MR_EOL   0x80
#define FRU_MR_FMT   0x02
#define FRU_MIN_1970 (9496u * 1440u) /* 1996-01-01 in minutes since 1970 */

/* ---- errors ---------------------------------------------------------------- */

__attribute__((format(printf, 2, 3))) static void
fru_err(struct ipmi_fru *f, const char *fmt, ...)
{
    size_t used = strlen(f->errors);
    size_t cap = sizeof(f->errors);
    if (used + 3 >= cap)
        return; /* full: the first errors matter most */
    if (used > 0) {
        memcpy(f->errors + used, "; ", 3);
        used += 2;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->errors + used, cap - used, fmt, ap);
    va_end(ap);
}

static unsigned
fru_sum(const uint8_t *p, size_t n)
{
    unsigned s = 0;
    for (size_t i = 0; i < n; i++)
        s += p[i];
    return s & 0xFFu;
}

/* ---- text output ------------------------------------------------------------ */

struct fru_txt {
    char *p;
    size_t n;
};

static void
txt_init(struct fru_txt *t, struct ipmi_fru_field *dst)
{
    t->p = dst ? dst->text : NULL;
    t->n = 0;
    if (t->p)
        t->p[0] = '\0';
}

/* Appends s (ASCII or one whole UTF-8 sequence) if it fits entirely. */
static void
txt_put(struct fru_txt *t, const char *s, size_t len)
{
    if (!t->p || t->n + len > IPMI_FRU_TEXT_MAX)
        return;
    memcpy(t->p + t->n, s, len);
    t->n += len;
    t->p[t->n] = '\0';
}

static void
txt_putc(struct fru_txt *t, char c)
{
    txt_put(t, &c, 1);
}

/* A Latin-1 byte as UTF-8; control characters become '?' so that the text is
   safe in labels and terminals. */
static void
txt_latin1(struct fru_txt *t, uint8_t c)
{
    if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0)) {
        txt_putc(t, '?');
    } else if (c < 0x80) {
        txt_putc(t, (char)c);
    } else {
        char u[2] = {(char)(0xC0 | (c >> 6)), (char)(0x80 | (c & 0x3F))};
        txt_put(t, u, 2);
    }
}

/* ---- type/length fields ------------------------------------------------------- */

static void
dec_binary(struct fru_txt *t, struct buf_rd *d)
{
    static const char hex[] = "0123456789abcdef";
    while (buf_rd_left(d) > 0) {
        uint8_t b = buf_get_u8(d);
        char h[2] = {hex[b >> 4], hex[b & 0x0F]};
        txt_put(t, h, 2);
    }
}

/* BCD plus: two digits per byte, high nibble first; 0xA-0xC are space, '-'
   and '.', the reserved 0xD-0xF print as ':', ',' and '_' like ipmitool. */
static void
dec_bcd(struct fru_txt *t, struct buf_rd *d)
{
    static const char bcd[] = "0123456789 -.:,_";
    while (buf_rd_left(d) > 0) {
        uint8_t b = buf_get_u8(d);
        txt_putc(t, bcd[b >> 4]);
        txt_putc(t, bcd[b & 0x0F]);
    }
}

/* 6-bit packed ASCII, LSB first: 3 bytes -> 4 characters (value + 0x20). A
   partial last group reads as zero bits (spaces): the reader yields 0 past
   its end, which is exactly that padding. */
static void
dec_6bit(struct fru_txt *t, struct buf_rd *d)
{
    while (buf_rd_left(d) > 0) {
        unsigned b0 = buf_get_u8(d), b1 = buf_get_u8(d), b2 = buf_get_u8(d);
        unsigned c[4] = {b0 & 0x3F, (b0 >> 6) | ((b1 & 0x0F) << 2), (b1 >> 4) | ((b2 & 0x03) << 4),
                         b2 >> 2};
        for (int i = 0; i < 4; i++)
            txt_putc(t, (char)(c[i] + 0x20));
    }
}

/* 8-bit: Latin-1 up to the first NUL (BMCs pad with NULs; ipmitool stops there). */
static void
dec_8bit(struct fru_txt *t, struct buf_rd *d)
{
    while (buf_rd_left(d) > 0) {
        uint8_t c = buf_get_u8(d);
        if (c == 0)
            break;
        txt_latin1(t, c);
    }
}

/*
 * Reads one type/length field from r into dst (NULL: skip it). Returns 1 for
 * a field, 0 at the end marker, -1 when the area ends first or the field is
 * cut short (reported, and the bytes present are decoded).
 */
static int
fru_field(struct buf_rd *r, struct ipmi_fru_field *dst, struct ipmi_fru *f, const char *area,
          unsigned idx)
{
    struct fru_txt t;
    txt_init(&t, dst);
    if (buf_rd_left(r) == 0) {
        fru_err(f, "%s area: no end marker", area);
        return -1;
    }
    uint8_t tl = buf_get_u8(r);
    if (tl == FRU_TL_END)
        return 0;
    size_t n = tl & 0x3Fu;
    int ret = 1;
    if (n > buf_rd_left(r)) {
        fru_err(f, "%s area: field %u claims %zu bytes, %zu left", area, idx, n, buf_rd_left(r));
        n = buf_rd_left(r);
        ret = -1;
    }
    struct buf_rd d;
    buf_rd_init(&d, buf_rd_ptr(r), n);
    buf_skip(r, n);
    switch (tl >> 6) {
    case 0:
        dec_binary(&t, &d);
        break;
    case 1:
        dec_bcd(&t, &d);
        break;
    case 2:
        dec_6bit(&t, &d);
        break;
    default:
        dec_8bit(&t, &d);
        break;
    }
    return ret;
}

/*
 * Reads the fixed list of fields, then custom fields up to the end marker
 * (empty ones skipped, at most IPMI_FRU_CUSTOM_MAX kept).
 */
static void
fru_fields(struct buf_rd *r, struct ipmi_fru_field **fixed, unsigned nfixed,
           struct ipmi_fru_field *custom, unsigned *ncustom, struct ipmi_fru *f, const char *area)
{
    unsigned idx = 0;
    for (; idx < nfixed; idx++)
        if (fru_field(r, fixed[idx], f, area, idx) <= 0)
            return;
    for (;; idx++) {
        struct ipmi_fru_field tmp;
        if (fru_field(r, &tmp, f, area, idx) <= 0)
            return;
        if (tmp.text[0] != '\0' && *ncustom < IPMI_FRU_CUSTOM_MAX)
            custom[(*ncustom)++] = tmp;
    }
}

/* ---- areas ------------------------------------------------------------------ */

/*
 * Locates the info area at off8 * 8 and checks its version, length and
 * checksum. On success *r covers the area up to (not including) its checksum
 * byte, positioned after the version and length bytes; when the length is 0
 * or runs past the image, *r covers the rest of the image instead (reported).
 * Returns 0, or -1 when the area cannot be parsed at all (reported).
 */
static int
fru_area(const uint8_t *img, size_t len, unsigned off8, struct ipmi_fru *f, const char *area,
         struct buf_rd *r)
{
    size_t off = (size_t)off8 * 8;
    if (off >= len) {
        fru_err(f, "%s area: offset %zu beyond the image (%zu bytes)", area, off, len);
        return -1;
    }
    buf_rd_init(r, img + off, len - off);
    uint8_t ver = buf_get_u8(r);
    size_t alen = (size_t)buf_get_u8(r) * 8;
    if (buf_rd_err(r)) {
        fru_err(f, "%s area: truncated header", area);
        return -1;
    }
    if ((ver & 0x0F) != 1) {
        fru_err(f, "%s area: unsupported version 0x%02x", area, ver);
        return -1;
    }
    if (alen == 0) {
        fru_err(f, "%s area: length 0", area);
        return 0;
    }
    if (alen > len - off) {
        fru_err(f, "%s area: length %zu past the end of the image", area, alen);
        return 0;
    }
    if (fru_sum(img + off, alen) != 0)
        fru_err(f, "%s area: bad checksum", area);
    buf_rd_init(r, img + off, alen - 1);
    buf_skip(r, 2);
    return 0;
}

static void
fru_chassis(const uint8_t *img, size_t len, unsigned off8, struct ipmi_fru *f)
{
    struct buf_rd r;
    if (fru_area(img, len, off8, f, "chassis", &r) < 0)
        return;
    f->chassis_type = buf_get_u8(&r);
    if (buf_rd_err(&r)) {
        fru_err(f, "chassis area: truncated");
        return;
    }
    f->has_chassis = 1;
    struct ipmi_fru_field *fixed[] = {&f->chassis_part, &f->chassis_serial};
    fru_fields(&r, fixed, 2, f->chassis_custom, &f->n_chassis_custom, f, "chassis");
}

static void
fru_board(const uint8_t *img, size_t len, unsigned off8, struct ipmi_fru *f)
{
    struct buf_rd r;
    if (fru_area(img, len, off8, f, "board", &r) < 0)
        return;
    buf_skip(&r, 1); /* language: English text is all we decode */
    uint32_t lo = buf_get_le16(&r);
    uint32_t hi = buf_get_u8(&r);
    if (buf_rd_err(&r)) {
        fru_err(f, "board area: truncated");
        return;
    }
    f->has_board = 1;
    f->board_mfg_minutes = lo | (hi << 16);
    struct ipmi_fru_field *fixed[] = {&f->board_mfg, &f->board_product, &f->board_serial,
                                      &f->board_part, &f->board_file_id};
    fru_fields(&r, fixed, 5, f->board_custom, &f->n_board_custom, f, "board");
}

static void
fru_product(const uint8_t *img, size_t len, unsigned off8, struct ipmi_fru *f)
{
    struct buf_rd r;
    if (fru_area(img, len, off8, f, "product", &r) < 0)
        return;
    buf_skip(&r, 1); /* language */
    if (buf_rd_err(&r)) {
        fru_err(f, "product area: truncated");
        return;
    }
    f->has_product = 1;
    struct ipmi_fru_field *fixed[] = {
        &f->product_mfg,    &f->product_name,      &f->product_part,   &f->product_version,
        &f->product_serial, &f->product_asset_tag, &f->product_file_id};
    fru_fields(&r, fixed, 7, f->product_custom, &f->n_product_custom, f, "product");
}

/* Counts multirecord records, checking both checksums, until end-of-list. */
static void
fru_multirecords(const uint8_t *img, size_t len, unsigned off8, struct ipmi_fru *f)
{
    size_t off = (size_t)off8 * 8;
    if (off >= len) {
        fru_err(f, "multirecord area: offset %zu beyond the image (%zu bytes)", off, len);
        return;
    }
    struct buf_rd r;
    buf_rd_init(&r, img + off, len - off);
    for (unsigned n = 0;; n++) {
        if (buf_rd_left(&r) == 0) {
            fru_err(f, "multirecord %u: image ends before end-of-list", n);
            return;
        }
        const uint8_t *h = buf_get_span(&r, 5);
        if (!h) {
            fru_err(f, "multirecord %u: truncated header", n);
            return;
        }
        struct buf_rd hr;
        buf_rd_init(&hr, h, 5);
        buf_skip(&hr, 1); /* record type */
        uint8_t flags = buf_get_u8(&hr);
        uint8_t dlen = buf_get_u8(&hr);
        uint8_t dsum = buf_get_u8(&hr);
        if (fru_sum(h, 5) != 0) {
            /* The length cannot be trusted: stop rather than walk garbage. */
            fru_err(f, "multirecord %u: bad header checksum", n);
            return;
        }
        if ((flags & 0x0F) != FRU_MR_FMT) {
            fru_err(f, "multirecord %u: unsupported format 0x%02x", n, flags & 0x0Fu);
            return;
        }
        const uint8_t *d = buf_get_span(&r, dlen);
        if (!d) {
            fru_err(f, "multirecord %u: data truncated", n);
            return;
        }
        if (((fru_sum(d, dlen) + dsum) & 0xFFu) != 0)
            fru_err(f, "multirecord %u: bad data checksum", n);
        f->n_multirecords++;
        if (flags & FRU_MR_EOL)
            return;
    }
}

/* ---- entry points ------------------------------------------------------------ */

int
fru_decode(const uint8_t *img, size_t len, struct ipmi_fru *out)
{
    if (!out)
        return IC_EINVAL;
    memset(out, 0, sizeof(*out));
    if (!img && len > 0)
        return IC_EINVAL;

    struct buf_rd r;
    buf_rd_init(&r, img, len);
    const uint8_t *h = buf_get_span(&r, 8);
    if (!h) {
        fru_err(out, "common header: truncated (%zu bytes)", len);
        return IC_EPROTO;
    }
    struct buf_rd hr;
    buf_rd_init(&hr, h, 8);
    uint8_t ver = buf_get_u8(&hr);
    uint8_t off_internal = buf_get_u8(&hr);
    uint8_t off_chassis = buf_get_u8(&hr);
    uint8_t off_board = buf_get_u8(&hr);
    uint8_t off_product = buf_get_u8(&hr);
    uint8_t off_multi = buf_get_u8(&hr);
    if ((ver & 0x0F) != 1) {
        fru_err(out, "common header: unsupported version 0x%02x", ver);
        return IC_EPROTO;
    }
    if (fru_sum(h, 8) != 0) {
        fru_err(out, "common header: bad checksum");
        return IC_EPROTO;
    }
    if (off_internal && (size_t)off_internal * 8 >= len)
        fru_err(out, "internal-use area: offset %u beyond the image", off_internal * 8u);
    if (off_chassis)
        fru_chassis(img, len, off_chassis, out);
    if (off_board)
        fru_board(img, len, off_board, out);
    if (off_product)
        fru_product(img, len, off_product, out);
    if (off_multi)
        fru_multirecords(img, len, off_multi, out);
    return 0;
}

void
fru_board_date_text(const struct ipmi_fru *f, char *out, size_t outlen)
{
    static const char *const wday[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
    static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    if (!out || outlen == 0)
        return;
    out[0] = '\0';
    if (!f || f->board_mfg_minutes == 0)
        return;
    uint32_t min = (f->board_mfg_minutes & 0xFFFFFFu) + FRU_MIN_1970;
    uint32_t days = min / 1440, mod = min % 1440;
    unsigned y, m, d;
    clock_civil_from_days(days, &y, &m, &d);
    snprintf(out, outlen, "%s %s %2u %02u:%02u:00 %u", wday[days % 7], mon[m - 1], d, mod / 60,
             mod % 60, y);
}

const char *
fru_chassis_type_text(uint8_t type)
{
    /* SMBIOS (DSP0134) system enclosure types. */
    static const char *const names[] = {
        [0x00] = "Unspecified",
        [0x01] = "Other",
        [0x02] = "Unknown",
        [0x03] = "Desktop",
        [0x04] = "Low Profile Desktop",
        [0x05] = "Pizza Box",
        [0x06] = "Mini Tower",
        [0x07] = "Tower",
        [0x08] = "Portable",
        [0x09] = "Laptop",
        [0x0A] = "Notebook",
        [0x0B] = "Hand Held",
        [0x0C] = "Docking Station",
        [0x0D] = "All in One",
        [0x0E] = "Sub Notebook",
        [0x0F] = "Space-saving",
        [0x10] = "Lunch Box",
        [0x11] = "Main Server Chassis",
        [0x12] = "Expansion Chassis",
        [0x13] = "SubChassis",
        [0x14] = "Bus Expansion Chassis",
        [0x15] = "Peripheral Chassis",
        [0x16] = "RAID Chassis",
        [0x17] = "Rack Mount Chassis",
        [0x18] = "Sealed-case PC",
        [0x19] = "Multi-system Chassis",
        [0x1A] = "Compact PCI",
        [0x1B] = "Advanced TCA",
        [0x1C] = "Blade",
        [0x1D] = "Blade Enclosure",
        [0x1E] = "Tablet",
        [0x1F] = "Convertible",
        [0x20] = "Detachable",
        [0x21] = "IoT Gateway",
        [0x22] = "Embedded PC",
        [0x23] = "Mini PC",
        [0x24] = "Stick PC",
    };
    if (type < sizeof(names) / sizeof(names[0]))
        return names[type];
    return "Unknown";
}
