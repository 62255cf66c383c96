/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rakp.c - RMCP+ session establishment payloads and key derivation
 * (IPMI v2.0 §13.17-13.23, §13.28-13.31; reference §2.4-§2.13). All
 * integers are little-endian.
 *
 * Open Session Request (0x10), 32 bytes, §13.17:
 *   0      message tag
 *   1      requested maximum privilege, bits 3:0
 *   2-3    reserved
 *   4-7    remote console session ID (SIDm)
 *   8-15   auth payload:  00 00 00 08 <alg> 00 00 00
 *   16-23  integ payload: 01 00 00 08 <alg> 00 00 00
 *   24-31  conf payload:  02 00 00 08 <alg> 00 00 00
 *
 * Open Session Response (0x11), 36 bytes on success, §13.18:
 *   0 tag | 1 status | 2 max privilege (3:0) | 3 reserved | 4-7 SIDm |
 *   8-11 managed system session ID (SIDc) | 12-19 / 20-27 / 28-35 the three
 *   algorithm payloads as above. An error reply may stop after byte 1; the
 *   one we write is 8 bytes: tag | status | max privilege 0 | reserved | SIDm.
 *
 * RAKP 1 (0x12), 28 + ULen bytes, §13.20:
 *   0 tag | 1-3 reserved | 4-7 SIDc | 8-23 Rm | 24 role | 25-26 reserved |
 *   27 ULen | 28.. user name (ULen bytes, no NUL)
 *
 * RAKP 2 (0x13), 40 + hash length, §13.21:
 *   0 tag | 1 status | 2-3 reserved | 4-7 SIDm | 8-23 Rc | 24-39 GUIDc |
 *   40.. key exchange auth code (20 SHA1, 16 MD5, 32 SHA256, 0 none)
 *   An error reply we write stops after SIDm (8 bytes).
 *
 * RAKP 3 (0x14), §13.22:
 *   0 tag | 1 status | 2-3 reserved | 4-7 SIDc | 8.. auth code (status 0 only)
 *   Read with a non-zero status: the 8-byte head is required, a code after
 *   it (if the console sent one anyway) must be exactly the hash length and
 *   is not kept.
 *
 * RAKP 4 (0x15), §13.23:
 *   0 tag | 1 status | 2-3 reserved | 4-7 SIDm | 8.. ICV (12 SHA1, 16 MD5/SHA256)
 *   An error reply we write stops after SIDm (8 bytes).
 *
 * Both directions live here: the client encodes the Open Session Request,
 * RAKP 1 and 3 and decodes the rest; the simulator (BMC side) does the
 * opposite with the same layouts. Encoders write exactly the layouts above;
 * decoders of console messages (request, RAKP 1, RAKP 3) take exact lengths
 * only and ignore reserved bytes.
 *
 * What the HMACs cover (reference §2.7; session IDs as 4 LE bytes, role =
 * RAKP 1 byte 24 as sent, including the name-only bit):
 *   RAKP 2 code  HMAC_Kuid(SIDm | SIDc | Rm | Rc | GUIDc | Role | ULen | User)
 *   RAKP 3 code  HMAC_Kuid(Rc | SIDm | Role | ULen | User)
 *   SIK          HMAC_{Kg or Kuid}(Rm | Rc | Role | ULen | User)
 *   K1, K2       HMAC_SIK(20 x 0x01), HMAC_SIK(20 x 0x02) - 20 bytes for every
 *                hash, SHA-256 included
 *   RAKP 4 ICV   HMAC_SIK(Rm | SIDc | GUIDc), truncated
 */
#include "rakp.h"
#include "buf.h"
#include "ic_err.h"

#include <string.h>

#define OPEN_REQ_LEN  32
#define OPEN_RESP_LEN 36
#define RAKP_HDR_LEN  8  /* tag, status, reserved, session ID */
#define RAKP2_FIXED   40 /* RAKP 2 up to the key exchange code */
#define KEY_CONST_LEN 20 /* K1/K2 constant length, whatever the hash */

static const struct ipmi_suite suites[] = {
    {0, IPMI_AUTH_RAKP_NONE, IPMI_INTEG_NONE, IPMI_CONF_NONE},
    {1, IPMI_AUTH_HMAC_SHA1, IPMI_INTEG_NONE, IPMI_CONF_NONE},
    {2, IPMI_AUTH_HMAC_SHA1, IPMI_INTEG_HMAC_SHA1_96, IPMI_CONF_NONE},
    {3, IPMI_AUTH_HMAC_SHA1, IPMI_INTEG_HMAC_SHA1_96, IPMI_CONF_AES_CBC_128},
    {6, IPMI_AUTH_HMAC_MD5, IPMI_INTEG_NONE, IPMI_CONF_NONE},
    {7, IPMI_AUTH_HMAC_MD5, IPMI_INTEG_HMAC_MD5_128, IPMI_CONF_NONE},
    {8, IPMI_AUTH_HMAC_MD5, IPMI_INTEG_HMAC_MD5_128, IPMI_CONF_AES_CBC_128},
    {11, IPMI_AUTH_HMAC_MD5, IPMI_INTEG_MD5_128, IPMI_CONF_NONE},
    {12, IPMI_AUTH_HMAC_MD5, IPMI_INTEG_MD5_128, IPMI_CONF_AES_CBC_128},
    {15, IPMI_AUTH_HMAC_SHA256, IPMI_INTEG_NONE, IPMI_CONF_NONE},
    {16, IPMI_AUTH_HMAC_SHA256, IPMI_INTEG_HMAC_SHA256_128, IPMI_CONF_NONE},
    {17, IPMI_AUTH_HMAC_SHA256, IPMI_INTEG_HMAC_SHA256_128, IPMI_CONF_AES_CBC_128},
};

const struct ipmi_suite *
rakp_suite(int id)
{
    for (size_t i = 0; i < sizeof(suites) / sizeof(suites[0]); i++) {
        if (suites[i].id == id)
            return &suites[i];
    }
    return NULL;
}

enum rakp_suite_policy
rakp_suite_policy(int id)
{
    const struct ipmi_suite *s = rakp_suite(id);

    if (s == NULL)
        return RAKP_SUITE_UNSUPPORTED; /* xRC4 (4, 5, 9, 10, 13, 14, 18, 19) and unknown */
    if (s->auth == IPMI_AUTH_RAKP_NONE)
        return RAKP_SUITE_INSECURE;
    if (s->integ == IPMI_INTEG_NONE || s->auth == IPMI_AUTH_HMAC_MD5)
        return RAKP_SUITE_WEAK;
    if (s->conf == IPMI_CONF_NONE)
        return RAKP_SUITE_CLEARTEXT;
    return RAKP_SUITE_DEFAULT;
}

const char *
rakp_status_str(uint8_t status)
{
    static const char *const text[] = {
        [RAKP_ST_OK] = "no errors",
        [RAKP_ST_NO_RESOURCES] = "insufficient resources to create a session",
        [RAKP_ST_INVALID_SID] = "invalid session ID",
        [RAKP_ST_INVALID_PAYLOAD] = "invalid payload type",
        [RAKP_ST_INVALID_AUTH_ALG] = "invalid authentication algorithm",
        [RAKP_ST_INVALID_INTEG_ALG] = "invalid integrity algorithm",
        [RAKP_ST_NO_MATCHING_AUTH] = "no matching authentication payload",
        [RAKP_ST_NO_MATCHING_INTEG] = "no matching integrity payload",
        [RAKP_ST_INACTIVE_SID] = "inactive session ID",
        [RAKP_ST_INVALID_ROLE] = "invalid role",
        [RAKP_ST_UNAUTHORIZED_ROLE] = "unauthorized role or privilege level",
        [RAKP_ST_NO_RESOURCES_ROLE] = "insufficient resources for a session at the requested role",
        [RAKP_ST_INVALID_NAME_LEN] = "invalid name length",
        [RAKP_ST_UNAUTHORIZED_NAME] = "unauthorized name",
        [RAKP_ST_UNAUTHORIZED_GUID] = "unauthorized GUID",
        [RAKP_ST_INVALID_ICV] = "invalid integrity check value",
        [RAKP_ST_INVALID_CONF_ALG] = "invalid confidentiality algorithm",
        [RAKP_ST_NO_CIPHER_MATCH] = "no cipher suite match with proposed algorithms",
        [RAKP_ST_ILLEGAL_PARAM] = "illegal or unrecognized parameter",
    };

    if (status < sizeof(text) / sizeof(text[0]) && text[status] != NULL)
        return text[status];
    return "unknown status code";
}

/* One algorithm payload of Open Session: type, 2 reserved, length 8, alg, 3 reserved. */
static void
put_alg(struct buf_wr *w, uint8_t type, uint8_t alg)
{
    buf_put_u8(w, type);
    buf_put_le16(w, 0);
    buf_put_u8(w, 8);
    buf_put_u8(w, alg & 0x3F);
    buf_put_u8(w, 0);
    buf_put_le16(w, 0);
}

/* Reads one algorithm payload; a wrong type or length poisons the reader. */
static uint8_t
get_alg(struct buf_rd *r, uint8_t type, int *bad)
{
    uint8_t t = buf_get_u8(r);
    buf_skip(r, 2);
    uint8_t len = buf_get_u8(r);
    uint8_t alg = buf_get_u8(r);
    buf_skip(r, 3);
    if (t != type || len != 8)
        *bad = 1;
    return alg & 0x3F;
}

int
rakp_encode_open_req(const struct rakp_open_req *rq, struct buf_wr *w)
{
    buf_put_u8(w, rq->tag);
    buf_put_u8(w, rq->priv & 0x0F);
    buf_put_le16(w, 0);
    buf_put_le32(w, rq->console_sid);
    put_alg(w, 0, rq->auth);
    put_alg(w, 1, rq->integ);
    put_alg(w, 2, rq->conf);
    return buf_wr_err(w);
}

int
rakp_decode_open_resp(const uint8_t *p, size_t len, struct rakp_open_resp *rs)
{
    struct buf_rd r;
    int bad = 0;

    memset(rs, 0, sizeof(*rs));
    buf_rd_init(&r, p, len);
    rs->tag = buf_get_u8(&r);
    rs->status = buf_get_u8(&r);
    if (buf_rd_err(&r))
        goto fail;
    if (rs->status != RAKP_ST_OK) {
        /* The error reply may be cut anywhere after the status (ipmi_sim: 2 bytes). */
        if (len > OPEN_RESP_LEN)
            goto fail;
        return 0;
    }
    rs->max_priv = buf_get_u8(&r) & 0x0F;
    buf_skip(&r, 1);
    rs->console_sid = buf_get_le32(&r);
    rs->bmc_sid = buf_get_le32(&r);
    rs->auth = get_alg(&r, 0, &bad);
    rs->integ = get_alg(&r, 1, &bad);
    rs->conf = get_alg(&r, 2, &bad);
    if (buf_rd_err(&r) || bad || buf_rd_left(&r) != 0)
        goto fail;
    return 0;
fail:
    memset(rs, 0, sizeof(*rs));
    return IC_EPROTO;
}

int
rakp_encode_rakp1(const struct rakp1 *m, struct buf_wr *w)
{
    if (m->ulen > RAKP_MAX_USER)
        return IC_EINVAL;
    buf_put_u8(w, m->tag);
    buf_put_u8(w, 0);
    buf_put_le16(w, 0);
    buf_put_le32(w, m->bmc_sid);
    buf_put_bytes(w, m->rm, sizeof(m->rm));
    buf_put_u8(w, m->role);
    buf_put_le16(w, 0);
    buf_put_u8(w, m->ulen);
    buf_put_bytes(w, m->user, m->ulen);
    return buf_wr_err(w);
}

/*
 * Common head of RAKP 2 and 4: tag, status, reserved, console session ID.
 * Returns 1 if the message is an error reply that has been fully taken (it
 * may stop after the status byte), 0 to go on reading, or IC_EPROTO.
 */
static int
get_head(struct buf_rd *r, size_t len, size_t full, uint8_t *tag, uint8_t *status, uint32_t *sid)
{
    *tag = buf_get_u8(r);
    *status = buf_get_u8(r);
    if (buf_rd_err(r))
        return IC_EPROTO;
    if (*status != RAKP_ST_OK) {
        if (len > full)
            return IC_EPROTO;
        return 1;
    }
    buf_skip(r, 2);
    *sid = buf_get_le32(r);
    return buf_rd_err(r) ? IC_EPROTO : 0;
}

int
rakp_decode_rakp2(const uint8_t *p, size_t len, enum ipmi_auth_alg auth, struct rakp2 *m)
{
    size_t klen = crypto_auth_len(auth);
    struct buf_rd r;
    int rc;

    memset(m, 0, sizeof(*m));
    if (klen == 0 && auth != IPMI_AUTH_RAKP_NONE)
        return IC_EINVAL;
    buf_rd_init(&r, p, len);
    rc = get_head(&r, len, RAKP2_FIXED + klen, &m->tag, &m->status, &m->console_sid);
    if (rc < 0)
        goto fail;
    if (rc == 1)
        return 0;
    buf_get_bytes(&r, m->rc, sizeof(m->rc));
    buf_get_bytes(&r, m->guid, sizeof(m->guid));
    /* Exactly the hash length: a longer code is refused, not trimmed. */
    if (buf_rd_left(&r) != klen)
        goto fail;
    buf_get_bytes(&r, m->kex, klen);
    m->kexlen = klen;
    if (buf_rd_err(&r))
        goto fail;
    return 0;
fail:
    memset(m, 0, sizeof(*m));
    return IC_EPROTO;
}

int
rakp_encode_rakp3(const struct rakp3 *m, struct buf_wr *w)
{
    if (m->kexlen > sizeof(m->kex))
        return IC_EINVAL;
    buf_put_u8(w, m->tag);
    buf_put_u8(w, m->status);
    buf_put_le16(w, 0);
    buf_put_le32(w, m->bmc_sid);
    /* A failure status carries no auth code: never hand out an HMAC then. */
    if (m->status == RAKP_ST_OK)
        buf_put_bytes(w, m->kex, m->kexlen);
    return buf_wr_err(w);
}

int
rakp_decode_rakp4(const uint8_t *p, size_t len, enum ipmi_auth_alg auth, struct rakp4 *m)
{
    size_t ilen = crypto_rakp4_icv_len(auth);
    struct buf_rd r;
    int rc;

    memset(m, 0, sizeof(*m));
    if (ilen == 0 && auth != IPMI_AUTH_RAKP_NONE)
        return IC_EINVAL;
    buf_rd_init(&r, p, len);
    rc = get_head(&r, len, RAKP_HDR_LEN + ilen, &m->tag, &m->status, &m->console_sid);
    if (rc < 0)
        goto fail;
    if (rc == 1)
        return 0;
    if (buf_rd_left(&r) != ilen)
        goto fail;
    buf_get_bytes(&r, m->icv, ilen);
    m->icvlen = ilen;
    if (buf_rd_err(&r))
        goto fail;
    return 0;
fail:
    memset(m, 0, sizeof(*m));
    return IC_EPROTO;
}

static void
le32(uint8_t out[4], uint32_t v)
{
    out[0] = (uint8_t)v;
    out[1] = (uint8_t)(v >> 8);
    out[2] = (uint8_t)(v >> 16);
    out[3] = (uint8_t)(v >> 24);
}

int
rakp_rakp2_code(const struct rakp_ctx *c, const uint8_t *kuid, size_t kuidlen, uint8_t *out,
                size_t *outlen)
{
    uint8_t sidm[4], sidc[4];

    if (c->ulen > RAKP_MAX_USER)
        return IC_EINVAL;
    le32(sidm, c->console_sid);
    le32(sidc, c->bmc_sid);
    const struct crypto_part parts[] = {
        {sidm, 4},     {sidc, 4},     {c->rm, 16},   {c->rc, 16},
        {c->guid, 16}, {&c->role, 1}, {&c->ulen, 1}, {c->user, c->ulen},
    };
    return crypto_hmac(c->auth, kuid, kuidlen, parts, sizeof(parts) / sizeof(parts[0]), out,
                       outlen);
}

int
rakp_rakp3_code(const struct rakp_ctx *c, const uint8_t *kuid, size_t kuidlen, uint8_t *out,
                size_t *outlen)
{
    uint8_t sidm[4];

    if (c->ulen > RAKP_MAX_USER)
        return IC_EINVAL;
    le32(sidm, c->console_sid);
    const struct crypto_part parts[] = {
        {c->rc, 16}, {sidm, 4}, {&c->role, 1}, {&c->ulen, 1}, {c->user, c->ulen},
    };
    return crypto_hmac(c->auth, kuid, kuidlen, parts, sizeof(parts) / sizeof(parts[0]), out,
                       outlen);
}

/* A K_g of all zeros means "not set" (reference §2.10): one-key login. */
static int
kg_set(const uint8_t *kg, size_t kglen)
{
    uint8_t acc = 0;

    if (kg == NULL)
        return 0;
    for (size_t i = 0; i < kglen; i++)
        acc |= kg[i];
    return acc != 0;
}

int
rakp_derive_keys(const struct rakp_ctx *c, const uint8_t *kuid, size_t kuidlen, const uint8_t *kg,
                 size_t kglen, struct rakp_keys *k)
{
    static const uint8_t c1[KEY_CONST_LEN] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
                                              1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
    static const uint8_t c2[KEY_CONST_LEN] = {2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
                                              2, 2, 2, 2, 2, 2, 2, 2, 2, 2};
    const uint8_t *key = kuid;
    size_t keylen = kuidlen;
    size_t n1 = 0, n2 = 0;
    int rc;

    memset(k, 0, sizeof(*k));
    if (c->ulen > RAKP_MAX_USER)
        return IC_EINVAL;
    if (kg_set(kg, kglen)) {
        key = kg;
        keylen = kglen;
    }
    const struct crypto_part sik_parts[] = {
        {c->rm, 16}, {c->rc, 16}, {&c->role, 1}, {&c->ulen, 1}, {c->user, c->ulen},
    };
    rc = crypto_hmac(c->auth, key, keylen, sik_parts, sizeof(sik_parts) / sizeof(sik_parts[0]),
                     k->sik, &k->len);
    if (rc != 0)
        goto fail;
    const struct crypto_part p1 = {c1, sizeof(c1)};
    const struct crypto_part p2 = {c2, sizeof(c2)};
    rc = crypto_hmac(c->auth, k->sik, k->len, &p1, 1, k->k1, &n1);
    if (rc == 0)
        rc = crypto_hmac(c->auth, k->sik, k->len, &p2, 1, k->k2, &n2);
    if (rc != 0)
        goto fail;
    return 0;
fail:
    crypto_cleanse(k, sizeof(*k));
    return rc;
}

int
rakp_rakp4_icv(const struct rakp_ctx *c, const struct rakp_keys *k, uint8_t *out, size_t *outlen)
{
    uint8_t full[CRYPTO_MAX_MD];
    uint8_t sidc[4];
    size_t n = 0;
    size_t want = crypto_rakp4_icv_len(c->auth);
    int rc;

    *outlen = 0;
    le32(sidc, c->bmc_sid);
    const struct crypto_part parts[] = {{c->rm, 16}, {sidc, 4}, {c->guid, 16}};
    rc = crypto_hmac(c->auth, k->sik, k->len, parts, sizeof(parts) / sizeof(parts[0]), full, &n);
    if (rc != 0)
        return rc;
    if (n < want) {
        crypto_cleanse(full, sizeof(full));
        return IC_EIO;
    }
    memcpy(out, full, want);
    *outlen = want;
    crypto_cleanse(full, sizeof(full));
    return 0;
}

/* ---- BMC side: decode what a console sends, encode the replies ---------- */

int
rakp_decode_open_req(const uint8_t *p, size_t len, struct rakp_open_req *rq)
{
    struct buf_rd r;
    int bad = 0;

    memset(rq, 0, sizeof(*rq));
    if (len != OPEN_REQ_LEN)
        return IC_EPROTO;
    buf_rd_init(&r, p, len);
    rq->tag = buf_get_u8(&r);
    rq->priv = buf_get_u8(&r) & 0x0F;
    buf_skip(&r, 2);
    rq->console_sid = buf_get_le32(&r);
    rq->auth = get_alg(&r, 0, &bad);
    rq->integ = get_alg(&r, 1, &bad);
    rq->conf = get_alg(&r, 2, &bad);
    if (buf_rd_err(&r) || bad || buf_rd_left(&r) != 0) {
        memset(rq, 0, sizeof(*rq));
        return IC_EPROTO;
    }
    return 0;
}

int
rakp_encode_open_resp(const struct rakp_open_resp *rs, struct buf_wr *w)
{
    buf_put_u8(w, rs->tag);
    buf_put_u8(w, rs->status);
    if (rs->status != RAKP_ST_OK) {
        /* Error form: no privilege, no BMC session, no algorithms. */
        buf_put_u8(w, 0);
        buf_put_u8(w, 0);
        buf_put_le32(w, rs->console_sid);
        return buf_wr_err(w);
    }
    buf_put_u8(w, rs->max_priv & 0x0F);
    buf_put_u8(w, 0);
    buf_put_le32(w, rs->console_sid);
    buf_put_le32(w, rs->bmc_sid);
    put_alg(w, 0, rs->auth);
    put_alg(w, 1, rs->integ);
    put_alg(w, 2, rs->conf);
    return buf_wr_err(w);
}

int
rakp_decode_rakp1(const uint8_t *p, size_t len, struct rakp1 *m)
{
    struct buf_rd r;

    memset(m, 0, sizeof(*m));
    buf_rd_init(&r, p, len);
    m->tag = buf_get_u8(&r);
    buf_skip(&r, 3);
    m->bmc_sid = buf_get_le32(&r);
    buf_get_bytes(&r, m->rm, sizeof(m->rm));
    m->role = buf_get_u8(&r); /* kept whole: it is hashed as sent */
    buf_skip(&r, 2);
    m->ulen = buf_get_u8(&r);
    /* The name is exactly ULen bytes, and ULen is at most 16. */
    if (buf_rd_err(&r) || m->ulen > RAKP_MAX_USER || buf_rd_left(&r) != m->ulen)
        goto fail;
    buf_get_bytes(&r, m->user, m->ulen);
    if (buf_rd_err(&r))
        goto fail;
    return 0;
fail:
    memset(m, 0, sizeof(*m));
    return IC_EPROTO;
}

/* Head of RAKP 2 and 4 as the BMC writes them: tag, status, reserved, SIDm. */
static void
put_head(struct buf_wr *w, uint8_t tag, uint8_t status, uint32_t sid)
{
    buf_put_u8(w, tag);
    buf_put_u8(w, status);
    buf_put_le16(w, 0);
    buf_put_le32(w, sid);
}

int
rakp_encode_rakp2(const struct rakp2 *m, struct buf_wr *w)
{
    if (m->kexlen > sizeof(m->kex))
        return IC_EINVAL;
    put_head(w, m->tag, m->status, m->console_sid);
    /* An error reply stops after the session ID: no Rc, no GUID, no HMAC. */
    if (m->status != RAKP_ST_OK)
        return buf_wr_err(w);
    buf_put_bytes(w, m->rc, sizeof(m->rc));
    buf_put_bytes(w, m->guid, sizeof(m->guid));
    buf_put_bytes(w, m->kex, m->kexlen);
    return buf_wr_err(w);
}

int
rakp_decode_rakp3(const uint8_t *p, size_t len, enum ipmi_auth_alg auth, struct rakp3 *m)
{
    size_t klen = crypto_auth_len(auth);
    struct buf_rd r;

    memset(m, 0, sizeof(*m));
    if (klen == 0 && auth != IPMI_AUTH_RAKP_NONE)
        return IC_EINVAL;
    buf_rd_init(&r, p, len);
    m->tag = buf_get_u8(&r);
    m->status = buf_get_u8(&r);
    buf_skip(&r, 2);
    m->bmc_sid = buf_get_le32(&r);
    if (buf_rd_err(&r))
        goto fail;
    size_t left = buf_rd_left(&r);
    if (m->status != RAKP_ST_OK) {
        /* A failure carries no code; one sent anyway must still fit the hash, and is dropped. */
        if (left != 0 && left != klen)
            goto fail;
        return 0;
    }
    /* Exactly the hash length: a longer code is refused, not trimmed. */
    if (left != klen)
        goto fail;
    buf_get_bytes(&r, m->kex, klen);
    m->kexlen = klen;
    if (buf_rd_err(&r))
        goto fail;
    return 0;
fail:
    memset(m, 0, sizeof(*m));
    return IC_EPROTO;
}

int
rakp_encode_rakp4(const struct rakp4 *m, struct buf_wr *w)
{
    if (m->icvlen > sizeof(m->icv))
        return IC_EINVAL;
    put_head(w, m->tag, m->status, m->console_sid);
    /* A failure carries no ICV. */
    if (m->status == RAKP_ST_OK)
        buf_put_bytes(w, m->icv, m->icvlen);
    return buf_wr_err(w);
}
