/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sdr.c - Sensor Data Record decoding (IPMI v2.0 §43). Offsets below are
 * into the record as read with Get SDR (0 = first header byte); the spec's
 * byte numbers are these plus one.
 *
 * Header (§43.1, all records):
 *   0  record ID (LE16)   2  SDR version (0x51)   3  record type
 *   4  record length = bytes after the header
 *
 * Full sensor record, type 0x01 (Table 43-1):
 *   5  owner ID (b7:1 address, b0 software ID)   6  b7:4 channel, b1:0 owner LUN
 *   7  sensor number   8  entity ID   9  b7 logical, b6:0 entity instance
 *  10  initialization  11  capabilities  12  sensor type  13  event/reading type
 *  14  assertion mask (LE16)  16  deassertion mask  18  reading/threshold mask
 *  20  units 1: b7:6 analog format, b5:3 rate, b2:1 modifier use, b0 percent
 *  21  base unit  22  modifier unit  23  b6:0 linearization
 *  24  M b7:0  25  b7:6 M b9:8, b5:0 tolerance  26  B b7:0
 *  27  b7:6 B b9:8, b5:0 accuracy  28  accuracy b9:6, exp, direction
 *  29  b7:4 R exponent, b3:0 B exponent (4-bit two's complement)
 *  30  analog flags  31  nominal  32  normal max  33  normal min
 *  34  sensor max  35  sensor min
 *  36  UNR  37  UC  38  UNC  39  LNR  40  LC  41  LNC (raw thresholds)
 *  42  positive hysteresis  43  negative hysteresis  44-45 reserved  46 OEM
 *  47  ID type/length  48  ID string (<= 16 bytes)
 *
 * Compact sensor record, type 0x02 (Table 43-2): 5-22 as the full record, then
 *  23  b7:6 direction, b5:4 ID instance modifier type (0 numeric, 1 alpha),
 *      b3:0 share count (0 and 1: not shared)
 *  24  b7 entity instance increments per instance, b6:0 ID modifier offset
 *  25  positive hysteresis  26  negative hysteresis  27-29 reserved  30 OEM
 *  31  ID type/length  32  ID string
 *
 * Event-only record, type 0x03 (Table 43-3):
 *   5  owner ID  6  b7:4 channel, b3:2 FRU owner LUN, b1:0 owner LUN
 *   7  sensor number  8  entity ID  9  entity instance  10  sensor type
 *  11  event/reading type  12-13  sharing, as compact 23-24  14 reserved
 *  15  OEM  16  ID type/length  17  ID string
 *
 * FRU device locator, type 0x11 (Table 43-7):
 *   5  device access address  6  FRU device ID / slave address
 *   7  b7 logical, b4:3 access LUN, b2:0 private bus  8  b7:4 channel
 *   9  reserved  10  device type  11  type modifier  12  entity ID
 *  13  entity instance  14  OEM  15  ID type/length  16  ID string
 *
 * Management controller device locator, type 0x12 (Table 43-8):
 *   5  slave address  6  b3:0 channel  7  power state / global init
 *   8  device capabilities  9-11 reserved  12  entity ID  13  entity instance
 *  14  OEM  15  ID type/length  16  ID string
 *
 * OEM record, type 0xC0 (Table 43-11): 5  manufacturer ID (LE24), OEM data.
 *
 * ID strings use the type/length byte of the FRU specification (§13 there):
 * b7:6 type (00 binary/Unicode, 01 BCD plus, 10 6-bit packed ASCII,
 * 11 8-bit ASCII), b4:0 length in bytes.
 *
 * Pure decoder: every read goes through common/buf; a record whose header
 * length runs past the bytes given, or whose body is too short for its
 * type, is IC_EPROTO. An ID string that claims more bytes than the record
 * holds is decoded as far as it goes (the sensor is still worth having).
 */
#include "sdr.h"

#include "buf.h"
#include "ic_err.h"

#include <stdio.h>
#include <string.h>

/* Minimum body lengths, up to and including the ID type/length byte. */
#define SDR_FULL_MIN    43
#define SDR_COMPACT_MIN 27
#define SDR_EVENT_MIN   12
#define SDR_FRU_MIN     11
#define SDR_MC_MIN      11
#define SDR_OEM_MIN     3

/* Sign-extends the low `bits` bits of v. */
static int
sext(unsigned v, unsigned bits)
{
    unsigned m = 1u << (bits - 1);
    v &= (1u << bits) - 1;
    return (int)(v ^ m) - (int)m;
}

static char
printable(uint8_t c)
{
    return (c >= 0x20 && c < 0x7F) ? (char)c : '.';
}

/* Appends c to out (capacity cap, NUL kept) at *pos; false when full. */
static int
put_char(char *out, size_t cap, size_t *pos, char c)
{
    if (*pos + 1 >= cap)
        return 0;
    out[(*pos)++] = c;
    out[*pos] = '\0';
    return 1;
}

size_t
sdr_id_string(uint8_t typelen, const uint8_t *p, size_t n, char *out, size_t outlen)
{
    static const char bcd[16] = "0123456789 -.???";
    static const char hex[16] = "0123456789abcdef";
    struct buf_rd r;
    size_t pos = 0;
    size_t want = typelen & 0x1F;

    if (!out || outlen == 0)
        return 0;
    out[0] = '\0';
    if (want > n)
        want = n;
    buf_rd_init(&r, p, want);

    switch (typelen >> 6) {
    case 3: /* 8-bit ASCII (Latin-1): keep the printable ASCII subset */
        while (buf_rd_left(&r)) {
            uint8_t c = buf_get_u8(&r);
            if (c == 0 || !put_char(out, outlen, &pos, printable(c)))
                break;
        }
        break;
    case 2: { /* 6-bit packed ASCII: 3 bytes carry 4 characters, LSB first */
        uint32_t acc = 0;
        unsigned bits = 0;
        while (buf_rd_left(&r)) {
            acc |= (uint32_t)buf_get_u8(&r) << bits;
            bits += 8;
            while (bits >= 6) {
                if (!put_char(out, outlen, &pos, (char)((acc & 0x3F) + 0x20)))
                    return pos;
                acc >>= 6;
                bits -= 6;
            }
        }
        break;
    }
    case 1: /* BCD plus: two characters per byte, high nibble first */
        while (buf_rd_left(&r)) {
            uint8_t c = buf_get_u8(&r);
            if (!put_char(out, outlen, &pos, bcd[c >> 4]) ||
                !put_char(out, outlen, &pos, bcd[c & 0x0F]))
                break;
        }
        break;
    default: /* binary or Unicode: not text we can render, so hex */
        while (buf_rd_left(&r)) {
            uint8_t c = buf_get_u8(&r);
            if (!put_char(out, outlen, &pos, hex[c >> 4]) ||
                !put_char(out, outlen, &pos, hex[c & 0x0F]))
                break;
        }
        break;
    }
    return pos;
}

int
sdr_header(const uint8_t *p, size_t len, uint16_t *id, uint8_t *type, uint8_t *body_len)
{
    struct buf_rd r;

    buf_rd_init(&r, p, len);
    uint16_t rid = buf_get_le16(&r);
    (void)buf_get_u8(&r); /* version */
    uint8_t t = buf_get_u8(&r);
    uint8_t n = buf_get_u8(&r);
    if (buf_rd_err(&r))
        return IC_EPROTO;
    if (id)
        *id = rid;
    if (type)
        *type = t;
    if (body_len)
        *body_len = n;
    return 0;
}

/* Reads the ID type/length byte and the string after it into out->name. */
static void
read_name(struct buf_rd *r, struct ipmi_sdr *out)
{
    uint8_t tl = buf_get_u8(r);
    size_t n = tl & 0x1F;
    size_t left = buf_rd_left(r);

    if (n > left)
        n = left; /* the string claims more than the record holds */
    const uint8_t *s = buf_get_span(r, n);
    sdr_id_string(tl, s, n, out->name, sizeof(out->name));
}

/* Bytes 5-22, common to full and compact sensor records. */
static void
read_sensor_common(struct buf_rd *r, struct ipmi_sdr *out)
{
    out->owner_id = buf_get_u8(r);
    uint8_t b = buf_get_u8(r);
    out->channel = b >> 4;
    out->owner_lun = b & 0x03;
    out->number = buf_get_u8(r);
    out->entity_id = buf_get_u8(r);
    out->entity_instance = buf_get_u8(r) & 0x7F;
    out->init = buf_get_u8(r);
    out->caps = buf_get_u8(r);
    out->sensor_type = buf_get_u8(r);
    out->event_type = buf_get_u8(r);
    out->assert_mask = buf_get_le16(r);
    out->deassert_mask = buf_get_le16(r);
    out->reading_mask = buf_get_le16(r);
    out->units1 = buf_get_u8(r);
    out->unit_base = buf_get_u8(r);
    out->unit_mod = buf_get_u8(r);
}

static void
read_full(struct buf_rd *r, struct ipmi_sdr *out)
{
    read_sensor_common(r, out);
    out->linearization = buf_get_u8(r) & 0x7F;
    uint8_t m_lo = buf_get_u8(r);
    uint8_t m_hi = buf_get_u8(r);
    uint8_t b_lo = buf_get_u8(r);
    uint8_t b_hi = buf_get_u8(r);
    (void)buf_get_u8(r); /* accuracy, direction */
    uint8_t exps = buf_get_u8(r);
    out->m = (int16_t)sext(m_lo | ((unsigned)(m_hi >> 6) << 8), 10);
    out->b = (int16_t)sext(b_lo | ((unsigned)(b_hi >> 6) << 8), 10);
    out->rexp = (int8_t)sext(exps >> 4, 4);
    out->bexp = (int8_t)sext(exps & 0x0F, 4);
    out->analog_flags = buf_get_u8(r) & 0x07;
    out->nominal = buf_get_u8(r);
    out->normal_max = buf_get_u8(r);
    out->normal_min = buf_get_u8(r);
    out->sensor_max = buf_get_u8(r);
    out->sensor_min = buf_get_u8(r);
    /* The SDR lists thresholds from UNR down to LNC. */
    out->thr_raw[IPMI_THR_UNR] = buf_get_u8(r);
    out->thr_raw[IPMI_THR_UC] = buf_get_u8(r);
    out->thr_raw[IPMI_THR_UNC] = buf_get_u8(r);
    out->thr_raw[IPMI_THR_LNR] = buf_get_u8(r);
    out->thr_raw[IPMI_THR_LC] = buf_get_u8(r);
    out->thr_raw[IPMI_THR_LNC] = buf_get_u8(r);
    out->hyst_pos = buf_get_u8(r);
    out->hyst_neg = buf_get_u8(r);
    buf_skip(r, 3); /* reserved x2, OEM */
    read_name(r, out);
}

/* The instance suffix of a shared record: decimal, or A..Z, AA.. (bijective base 26). */
static void
share_suffix(unsigned alpha, unsigned n, char *buf, size_t len)
{
    if (!alpha) {
        snprintf(buf, len, "%u", n);
        return;
    }
    char tmp[8];
    size_t k = 0;
    n += 1;
    while (n > 0 && k < sizeof(tmp)) {
        tmp[k++] = (char)('A' + (n - 1) % 26);
        n = (n - 1) / 26;
    }
    size_t i = 0;
    for (; i < k && i + 1 < len; i++)
        buf[i] = tmp[k - 1 - i];
    buf[i] = '\0';
}

/*
 * Applies sharing bytes (compact 23-24, event-only 12-13) for instance idx:
 * number, entity instance and name suffix. Returns the share count.
 */
static unsigned
apply_share(struct ipmi_sdr *out, uint8_t s1, uint8_t s2, unsigned idx)
{
    unsigned count = s1 & 0x0F;
    if (count == 0)
        count = 1; /* 0 and 1 both mean "one sensor" */
    if (count == 1 || idx >= count)
        return count;

    out->number = (uint8_t)(out->number + idx);
    if (s2 & 0x80)
        out->entity_instance = (uint8_t)((out->entity_instance + idx) & 0x7F);

    char suf[8];
    share_suffix((s1 >> 4) & 0x03, (s2 & 0x7F) + idx, suf, sizeof(suf));
    size_t sl = strlen(suf);
    size_t nl = strlen(out->name);
    /* A full name loses its tail, not its suffix: instances must differ. */
    if (nl + sl > IPMI_NAME_MAX)
        nl = IPMI_NAME_MAX - sl;
    memcpy(out->name + nl, suf, sl + 1);
    return count;
}

static unsigned
read_compact(struct buf_rd *r, struct ipmi_sdr *out, unsigned idx)
{
    read_sensor_common(r, out);
    uint8_t s1 = buf_get_u8(r);
    uint8_t s2 = buf_get_u8(r);
    out->hyst_pos = buf_get_u8(r);
    out->hyst_neg = buf_get_u8(r);
    buf_skip(r, 4); /* reserved x3, OEM */
    read_name(r, out);
    return apply_share(out, s1, s2, idx);
}

static unsigned
read_event_only(struct buf_rd *r, struct ipmi_sdr *out, unsigned idx)
{
    out->owner_id = buf_get_u8(r);
    uint8_t b = buf_get_u8(r);
    out->channel = b >> 4;
    out->owner_lun = b & 0x03;
    out->number = buf_get_u8(r);
    out->entity_id = buf_get_u8(r);
    out->entity_instance = buf_get_u8(r) & 0x7F;
    out->sensor_type = buf_get_u8(r);
    out->event_type = buf_get_u8(r);
    uint8_t s1 = buf_get_u8(r);
    uint8_t s2 = buf_get_u8(r);
    buf_skip(r, 2); /* reserved, OEM */
    read_name(r, out);
    return apply_share(out, s1, s2, idx);
}

static void
read_fru_locator(struct buf_rd *r, struct ipmi_sdr *out)
{
    out->fru_access_addr = buf_get_u8(r);
    out->fru_id = buf_get_u8(r);
    uint8_t b = buf_get_u8(r);
    out->fru_logical = b >> 7;
    out->fru_lun = (b >> 3) & 0x03;
    out->fru_bus = b & 0x07;
    out->channel = buf_get_u8(r) >> 4;
    buf_skip(r, 1);
    out->device_type = buf_get_u8(r);
    out->device_type_mod = buf_get_u8(r);
    out->entity_id = buf_get_u8(r);
    out->entity_instance = buf_get_u8(r) & 0x7F;
    buf_skip(r, 1); /* OEM */
    read_name(r, out);
}

static void
read_mc_locator(struct buf_rd *r, struct ipmi_sdr *out)
{
    out->mc_addr = buf_get_u8(r);
    out->channel = buf_get_u8(r) & 0x0F;
    (void)buf_get_u8(r); /* power state notification / global init */
    out->mc_caps = buf_get_u8(r);
    buf_skip(r, 3);
    out->entity_id = buf_get_u8(r);
    out->entity_instance = buf_get_u8(r) & 0x7F;
    buf_skip(r, 1); /* OEM */
    read_name(r, out);
}

/* Drops trailing spaces (6-bit packing and fixed-width IDs pad with them). */
static void
trim_name(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && s[n - 1] == ' ')
        s[--n] = '\0';
}

/* Body bytes a decoded type needs, up to its ID type/length byte; -1: not decoded. */
static int
min_body(uint8_t type)
{
    switch (type) {
    case IPMI_SDR_FULL:
        return SDR_FULL_MIN;
    case IPMI_SDR_COMPACT:
        return SDR_COMPACT_MIN;
    case IPMI_SDR_EVENT_ONLY:
        return SDR_EVENT_MIN;
    case IPMI_SDR_FRU_LOCATOR:
        return SDR_FRU_MIN;
    case IPMI_SDR_MC_LOCATOR:
        return SDR_MC_MIN;
    case IPMI_SDR_OEM:
        return SDR_OEM_MIN;
    default:
        return -1;
    }
}

int
sdr_decode(const uint8_t *rec, size_t len, unsigned idx, struct ipmi_sdr *out, unsigned *count)
{
    struct buf_rd hr, r;
    unsigned n = 1;

    if (count)
        *count = 1;
    if (!out)
        return IC_EINVAL;
    memset(out, 0, sizeof(*out));

    buf_rd_init(&hr, rec, len);
    out->record_id = buf_get_le16(&hr);
    out->version = buf_get_u8(&hr);
    out->type = buf_get_u8(&hr);
    uint8_t body_len = buf_get_u8(&hr);
    const uint8_t *body = buf_get_span(&hr, body_len);
    if (buf_rd_err(&hr))
        return IC_EPROTO; /* truncated header, or a length that lies */

    int min = min_body(out->type);
    if (min < 0)
        return idx == 0 ? 0 : IC_EINVAL; /* kept undecoded: header fields only */
    if (body_len < (unsigned)min)
        return IC_EPROTO;

    buf_rd_init(&r, body, body_len);
    switch (out->type) {
    case IPMI_SDR_FULL:
        read_full(&r, out);
        break;
    case IPMI_SDR_COMPACT:
        n = read_compact(&r, out, idx);
        break;
    case IPMI_SDR_EVENT_ONLY:
        n = read_event_only(&r, out, idx);
        break;
    case IPMI_SDR_FRU_LOCATOR:
        read_fru_locator(&r, out);
        break;
    case IPMI_SDR_MC_LOCATOR:
        read_mc_locator(&r, out);
        break;
    default: /* OEM: 3-byte manufacturer ID, then OEM data */
        out->oem_iana = buf_get_u8(&r);
        out->oem_iana |= (uint32_t)buf_get_u8(&r) << 8;
        out->oem_iana |= (uint32_t)buf_get_u8(&r) << 16;
        break;
    }
    if (buf_rd_err(&r)) {
        /* Cannot happen after the length check; kept as a guard. */
        uint16_t id = out->record_id;
        uint8_t v = out->version, t = out->type;
        memset(out, 0, sizeof(*out));
        out->record_id = id;
        out->version = v;
        out->type = t;
        return IC_EPROTO;
    }
    trim_name(out->name);
    if (count)
        *count = n;
    return idx < n ? 0 : IC_EINVAL;
}
