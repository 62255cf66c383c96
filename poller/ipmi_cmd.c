/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ipmi_cmd.c - request builders and typed decoders for the commands the
 * session core needs. Inputs are the response data after the completion
 * code. Where a response has a fixed size, shorter data is IC_EPROTO and
 * trailing bytes are ignored (later spec revisions and OEMs append fields).
 *
 * Get Device ID, App 0x01 (IPMI v2.0 §20.1, Table 20-2), at least 11 bytes:
 *   0     device ID
 *   1     bit 7: provides device SDRs; bits 3:0: device revision
 *   2     bit 7: update/self-init in progress; bits 6:0: firmware major (binary)
 *   3     firmware minor (BCD)
 *   4     IPMI version (BCD, major in bits 3:0, minor in bits 7:4: 0x02 = 2.0)
 *   5     additional device support (sensor, SDR repo, SEL, FRU, ... bits)
 *   6-8   manufacturer ID (IANA, 20 bits, LE)
 *   9-10  product ID (LE)
 *   11-14 auxiliary firmware revision (optional)
 *
 * Get Device GUID App 0x08 (§20.8) / Get System GUID App 0x37 (§22.14):
 *   0-15  GUID, least significant byte first; the canonical UUID text is
 *         the 16 bytes reversed.
 *
 * Get Channel Authentication Capabilities, App 0x38 (§22.13, Table 22-15):
 *   request  0  bit 7: ask for IPMI v2.0 extended data; bits 3:0: channel (0x0E = this one)
 *            1  bits 3:0: requested maximum privilege level
 *   response 0  bits 3:0: channel number
 *            1  bit 7: v2.0 extended data present; bits 5,4,2,1,0: 1.5 auth
 *               types OEM, straight password, MD5, MD2, none
 *            2  bit 5: K_g set (two-key login); bit 4: per-message auth
 *               disabled; bit 3: user-level auth disabled; bits 2/1/0:
 *               non-null users / null users / anonymous login enabled
 *            3  (extended data only) bit 1: IPMI v2.0; bit 0: IPMI v1.5
 *            4-6 OEM IANA (LE)
 *            7  OEM auxiliary data
 *
 * Get Channel Cipher Suites, App 0x54 (§22.15, Tables 22-18/22-19):
 *   request  0  channel (0x0E)
 *            1  payload type (0x00 = IPMI)
 *            2  bit 7: list by cipher suite; bits 5:0: list index
 *   response 0  channel, then at most 16 bytes of record data per index;
 *               a reply with fewer than 16 bytes is the last one.
 *   record data (parsed after concatenating every chunk, since a record may
 *   span two of them):
 *            0xC0, suite ID, algorithm bytes           standard record
 *            0xC1, suite ID, 3-byte IANA, algorithm bytes  OEM record
 *   algorithm byte: bits 7:6 tag 00 authentication, 01 integrity,
 *   10 confidentiality; bits 5:0 algorithm number. Tag 11 only starts a
 *   record (0xC0/0xC1). A record has one authentication byte first, then
 *   any number of integrity and confidentiality bytes.
 *   Written by the BMC side (ipmi_encode_cipher_records) as one standard
 *   record per suite: 0xC0, ID, auth, 0x40 | integrity, 0x80 | conf.
 *
 * BMC-side auth caps response (ipmi_encode_authcap), an RMCP+-only channel:
 *   <channel> 81 <0x20 if K_g set | 0x04> 02 00 00 00 00
 *
 * Pure codecs: no I/O, no state, no logging. Reads go through common/buf.
 */
#include "ipmi_cmd.h"

#include "buf.h"
#include "ic_err.h"
#include "rakp.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define DEVID_MIN_LEN  11
#define DEVID_AUX_LEN  15
#define GUID_LEN       16
#define CHANNEL_THIS   0x0E
#define SUITE_REC_STD  0xC0
#define SUITE_REC_OEM  0xC1
#define ALG_TAG_MASK   0xC0
#define ALG_TAG_AUTH   0x00
#define ALG_TAG_RECORD 0xC0
#define ALG_TAG_INTEG  0x40
#define ALG_TAG_CONF   0x80
#define CONF_XRC4_128  0x02 /* Table 13-19; never implemented here */
#define CONF_XRC4_40   0x03
#define AUTHCAP_LEN    8

static const struct {
    int priv;
    const char *name;
} priv_names[] = {
    {IPMI_PRIV_CALLBACK, "CALLBACK"},   {IPMI_PRIV_USER, "USER"}, {IPMI_PRIV_OPERATOR, "OPERATOR"},
    {IPMI_PRIV_ADMIN, "ADMINISTRATOR"}, {IPMI_PRIV_OEM, "OEM"},
};

const char *
ipmi_priv_str(int priv)
{
    for (size_t i = 0; i < sizeof(priv_names) / sizeof(priv_names[0]); i++)
        if (priv_names[i].priv == priv)
            return priv_names[i].name;
    return "UNKNOWN";
}

int
ipmi_priv_parse(const char *s)
{
    if (!s)
        return -1;
    /* "admin" is what ipmitool and most configs write. */
    if (strcasecmp(s, "admin") == 0)
        return IPMI_PRIV_ADMIN;
    for (size_t i = 0; i < sizeof(priv_names) / sizeof(priv_names[0]); i++)
        if (strcasecmp(s, priv_names[i].name) == 0)
            return priv_names[i].priv;
    return -1;
}

int
ipmi_decode_devid(const uint8_t *p, size_t len, struct ipmi_devid *d)
{
    struct buf_rd r;
    memset(d, 0, sizeof(*d));
    if (len < DEVID_MIN_LEN)
        return IC_EPROTO;
    buf_rd_init(&r, p, len);
    uint8_t id = buf_get_u8(&r);
    uint8_t rev = buf_get_u8(&r);
    uint8_t fw1 = buf_get_u8(&r);
    uint8_t fw2 = buf_get_u8(&r);
    uint8_t ver = buf_get_u8(&r);
    uint8_t support = buf_get_u8(&r);
    uint32_t mfr = buf_get_u8(&r);
    mfr |= (uint32_t)buf_get_u8(&r) << 8;
    mfr |= (uint32_t)buf_get_u8(&r) << 16;
    uint16_t product = buf_get_le16(&r);
    /* Aux firmware revision is all four bytes or absent; a partial one is ignored. */
    int has_aux = len >= DEVID_AUX_LEN;
    if (has_aux)
        buf_get_bytes(&r, d->aux, sizeof(d->aux));
    if (buf_rd_err(&r)) {
        memset(d, 0, sizeof(*d));
        return IC_EPROTO;
    }
    d->device_id = id;
    d->device_rev = rev & 0x0F;
    d->provides_sdrs = (rev >> 7) & 1;
    d->update_in_progress = (fw1 >> 7) & 1;
    d->fw_major = fw1 & 0x7F;
    d->fw_minor = fw2;
    d->ipmi_version = ver;
    d->support = support;
    d->manufacturer_id = mfr & 0xFFFFF; /* bits 23:20 are reserved */
    d->product_id = product;
    d->has_aux = has_aux;
    return 0;
}

void
ipmi_devid_fw_str(const struct ipmi_devid *d, char *out, size_t outlen)
{
    /* Minor is BCD: print its two nibbles as they are, so 0x47 reads "47". */
    if (outlen)
        snprintf(out, outlen, "%u.%02x", (unsigned)d->fw_major, (unsigned)d->fw_minor);
}

void
ipmi_devid_ipmi_str(const struct ipmi_devid *d, char *out, size_t outlen)
{
    if (outlen)
        snprintf(out, outlen, "%u.%u", (unsigned)(d->ipmi_version & 0x0F),
                 (unsigned)(d->ipmi_version >> 4));
}

int
ipmi_decode_guid(const uint8_t *p, size_t len, uint8_t guid[16])
{
    struct buf_rd r;
    buf_rd_init(&r, p, len);
    buf_get_bytes(&r, guid, GUID_LEN); /* zero-filled on error */
    return buf_rd_err(&r) ? IC_EPROTO : 0;
}

void
ipmi_guid_str(const uint8_t guid[16], char out[37])
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    /* Wire order is least significant byte first: walk it backwards. */
    for (size_t i = 0; i < GUID_LEN; i++) {
        uint8_t b = guid[GUID_LEN - 1 - i];
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[o++] = '-';
        out[o++] = hex[b >> 4];
        out[o++] = hex[b & 0x0F];
    }
    out[o] = '\0';
}

void
ipmi_authcap_req(uint8_t out[2], int v20, uint8_t priv)
{
    out[0] = (uint8_t)((v20 ? 0x80 : 0x00) | CHANNEL_THIS);
    out[1] = priv & 0x0F;
}

int
ipmi_decode_authcap(const uint8_t *p, size_t len, struct ipmi_authcap *ac)
{
    struct buf_rd r;
    memset(ac, 0, sizeof(*ac));
    buf_rd_init(&r, p, len);
    uint8_t chan = buf_get_u8(&r);
    uint8_t b1 = buf_get_u8(&r);
    uint8_t b2 = buf_get_u8(&r);
    uint8_t b3 = buf_get_u8(&r);
    uint32_t iana = buf_get_u8(&r);
    iana |= (uint32_t)buf_get_u8(&r) << 8;
    iana |= (uint32_t)buf_get_u8(&r) << 16;
    uint8_t aux = buf_get_u8(&r);
    if (buf_rd_err(&r))
        return IC_EPROTO;
    ac->channel = chan & 0x0F;
    ac->v20_data = (b1 >> 7) & 1;
    ac->auth_types = b1 & 0x37; /* bits 6 and 3 are reserved */
    ac->kg_set = (b2 >> 5) & 1;
    ac->per_msg_auth_disabled = (b2 >> 4) & 1;
    ac->user_auth_disabled = (b2 >> 3) & 1;
    ac->nonnull_users = (b2 >> 2) & 1;
    ac->null_users = (b2 >> 1) & 1;
    ac->anonymous = b2 & 1;
    /*
     * Byte 3 is reserved unless the extended data bit is set; a BMC that
     * cannot send extended data is a 1.5 BMC.
     */
    if (ac->v20_data) {
        ac->supports_v20 = (b3 >> 1) & 1;
        ac->supports_v15 = b3 & 1;
    } else {
        ac->supports_v15 = 1;
    }
    ac->oem_iana = iana;
    ac->oem_aux = aux;
    return 0;
}

void
ipmi_cipher_suites_req(uint8_t out[3], uint8_t idx)
{
    out[0] = CHANNEL_THIS;
    out[1] = 0x00; /* payload type IPMI */
    out[2] = (uint8_t)(0x80 | (idx & 0x3F));
}

int
ipmi_parse_cipher_records(const uint8_t *p, size_t len, struct ipmi_suite_list *out)
{
    struct buf_rd r;
    int in_record = 0, need_auth = 0;
    memset(out, 0, sizeof(*out));
    buf_rd_init(&r, p, len);
    /*
     * One byte at a time: a byte tagged 11 starts a record, any other byte
     * is an algorithm of the current one. Record boundaries therefore never
     * depend on a length field, and a chunk boundary inside a record does
     * not matter.
     */
    while (buf_rd_left(&r) > 0) {
        uint8_t b = buf_get_u8(&r);
        uint8_t tag = b & ALG_TAG_MASK;
        if (tag == ALG_TAG_RECORD) {
            if (need_auth || (b != SUITE_REC_STD && b != SUITE_REC_OEM))
                goto fail;
            uint8_t id = buf_get_u8(&r);
            if (b == SUITE_REC_OEM)
                buf_skip(&r, 3); /* OEM IANA */
            if (buf_rd_err(&r) || out->n >= IPMI_MAX_SUITES)
                goto fail;
            out->ids[out->n++] = id;
            in_record = need_auth = 1;
        } else if (!in_record) {
            goto fail;
        } else if (need_auth) {
            /* Exactly one authentication algorithm comes first. */
            if (tag != ALG_TAG_AUTH)
                goto fail;
            need_auth = 0;
        } else if (tag == ALG_TAG_AUTH) {
            goto fail;
        }
    }
    if (need_auth)
        goto fail;
    return 0;
fail:
    memset(out, 0, sizeof(*out));
    return IC_EPROTO;
}

/*
 * The xRC4 suites of Table 22-19 are their AES sibling with another
 * confidentiality algorithm: rakp_suite() knows the sibling only.
 */
static const struct {
    uint8_t id, sibling, conf;
} xrc4_suites[] = {
    {4, 3, CONF_XRC4_128},   {5, 3, CONF_XRC4_40},    {9, 8, CONF_XRC4_128},
    {10, 8, CONF_XRC4_40},   {13, 12, CONF_XRC4_128}, {14, 12, CONF_XRC4_40},
    {18, 17, CONF_XRC4_128}, {19, 17, CONF_XRC4_40},
};

/* Algorithms of a standard suite id; 0, or -1 if the id is not in Table 22-19. */
static int
suite_algs(uint8_t id, uint8_t *auth, uint8_t *integ, uint8_t *conf)
{
    const struct ipmi_suite *s = rakp_suite(id);
    if (s) {
        *auth = (uint8_t)s->auth;
        *integ = (uint8_t)s->integ;
        *conf = (uint8_t)s->conf;
        return 0;
    }
    for (size_t i = 0; i < sizeof(xrc4_suites) / sizeof(xrc4_suites[0]); i++) {
        if (xrc4_suites[i].id != id)
            continue;
        s = rakp_suite(xrc4_suites[i].sibling);
        if (!s)
            return -1;
        *auth = (uint8_t)s->auth;
        *integ = (uint8_t)s->integ;
        *conf = xrc4_suites[i].conf;
        return 0;
    }
    return -1;
}

int
ipmi_encode_cipher_records(const uint8_t *ids, size_t n, struct buf_wr *w)
{
    uint8_t auth, integ, conf;
    if (n > IPMI_MAX_SUITES || (n && !ids))
        return IC_EINVAL;
    /* Check every id first, so a refused list writes nothing. */
    for (size_t i = 0; i < n; i++)
        if (suite_algs(ids[i], &auth, &integ, &conf) != 0)
            return IC_EINVAL;
    for (size_t i = 0; i < n; i++) {
        (void)suite_algs(ids[i], &auth, &integ, &conf);
        buf_put_u8(w, SUITE_REC_STD);
        buf_put_u8(w, ids[i]);
        buf_put_u8(w, (uint8_t)(ALG_TAG_AUTH | (auth & 0x3F)));
        buf_put_u8(w, (uint8_t)(ALG_TAG_INTEG | (integ & 0x3F)));
        buf_put_u8(w, (uint8_t)(ALG_TAG_CONF | (conf & 0x3F)));
    }
    return buf_wr_err(w);
}

int
ipmi_encode_authcap(uint8_t channel, int kg_set, struct buf_wr *w)
{
    if (channel > 0x0F)
        return IC_EINVAL;
    uint8_t out[AUTHCAP_LEN] = {
        channel,
        0x80 | 0x01,                              /* extended data; 1.5 auth type "none" only */
        (uint8_t)((kg_set ? 0x20 : 0x00) | 0x04), /* K_g status; non-null user names */
        0x02,                                     /* IPMI v2.0 connections only */
        0x00,
        0x00,
        0x00, /* OEM IANA */
        0x00, /* OEM auxiliary data */
    };
    buf_put_bytes(w, out, sizeof(out));
    return buf_wr_err(w);
}
