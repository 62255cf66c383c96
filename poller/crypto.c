/* SPDX-License-Identifier: Apache-2.0 */
/*
 * crypto.c - the only file that talks to OpenSSL (see crypto.h).
 *
 * Algorithms (IPMI v2.0 §13.28-13.29, reference §2.4, §2.8, §1.6):
 *
 *   authentication  RAKP-HMAC-SHA1 / -MD5 / -SHA256: full HMAC, 20/16/32 bytes
 *   RAKP 4 ICV      same hash, truncated to 12 (SHA1), 16 (MD5), 16 (SHA256)
 *   integrity       HMAC-SHA1-96     HMAC-SHA1(K1)[0..11]
 *                   HMAC-MD5-128     HMAC-MD5(K1)
 *                   MD5-128          MD5(pw20 | data | pw20), pw20 = password
 *                                    zero-padded to 20 bytes
 *                   HMAC-SHA256-128  HMAC-SHA256(K1)[0..15]
 *   confidentiality AES-CBC-128, key K2[0..15], caller-supplied IV, no
 *                   OpenSSL padding (the RMCP+ pad is added by rmcpplus.c);
 *                   chained here over a keyed AES-128-ECB context, because
 *                   re-initialising an OpenSSL 3 CBC context for each
 *                   packet's IV walks its parameter tables every time
 *
 * OpenSSL 3 implicit fetches (EVP_sha1() etc.) look the algorithm up on every
 * use, so everything is fetched once here and every session keeps its own
 * keyed contexts. A session's integrity HMAC is computed from two digest
 * states kept after the key's inner and outer pad blocks (RFC 2104): per
 * packet, two state copies and two short digests; EVP_MAC's re-initialisation
 * went through its parameter handling and the same copies, a quarter slower.
 */
#include "crypto.h"
#include "ic_err.h"

#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#define PW20 20 /* MD5-128 pads the password to 20 bytes */

/* Fetched once by crypto_init(); read-only afterwards, so shared by all threads. */
static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static int g_ready;
static EVP_MAC *g_hmac;
static EVP_MD *g_sha1;
static EVP_MD *g_md5;
static EVP_MD *g_sha256;
static EVP_CIPHER *g_aes;

static void
fetch_all(void)
{
    g_hmac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    g_sha1 = EVP_MD_fetch(NULL, "SHA1", NULL);
    g_md5 = EVP_MD_fetch(NULL, "MD5", NULL);
    g_sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
    g_aes = EVP_CIPHER_fetch(NULL, "AES-128-ECB", NULL);
    g_ready = g_hmac && g_sha1 && g_md5 && g_sha256 && g_aes;
}

int
crypto_init(void)
{
    if (pthread_once(&g_once, fetch_all) != 0)
        return IC_EIO;
    return g_ready ? 0 : IC_EIO;
}

size_t
crypto_auth_len(enum ipmi_auth_alg alg)
{
    switch (alg) {
    case IPMI_AUTH_HMAC_SHA1:
        return 20;
    case IPMI_AUTH_HMAC_MD5:
        return 16;
    case IPMI_AUTH_HMAC_SHA256:
        return 32;
    default:
        return 0;
    }
}

size_t
crypto_rakp4_icv_len(enum ipmi_auth_alg alg)
{
    switch (alg) {
    case IPMI_AUTH_HMAC_SHA1:
        return 12;
    case IPMI_AUTH_HMAC_MD5:
    case IPMI_AUTH_HMAC_SHA256:
        return 16;
    default:
        return 0;
    }
}

size_t
crypto_integ_len(enum ipmi_integ_alg alg)
{
    switch (alg) {
    case IPMI_INTEG_HMAC_SHA1_96:
        return 12;
    case IPMI_INTEG_HMAC_MD5_128:
    case IPMI_INTEG_MD5_128:
    case IPMI_INTEG_HMAC_SHA256_128:
        return 16;
    default:
        return 0;
    }
}

/* Digest name for the HMAC parameter; NULL for none/unknown. */
static const char *
auth_md_name(enum ipmi_auth_alg alg)
{
    switch (alg) {
    case IPMI_AUTH_HMAC_SHA1:
        return "SHA1";
    case IPMI_AUTH_HMAC_MD5:
        return "MD5";
    case IPMI_AUTH_HMAC_SHA256:
        return "SHA256";
    default:
        return NULL;
    }
}

/*
 * Keys an HMAC context. An empty key (null password) is passed as one zero
 * byte: HMAC zero-pads keys to the block size, so the result is identical,
 * and OpenSSL treats a NULL key as "keep the old one".
 */
static int
mac_setkey(EVP_MAC_CTX *ctx, const char *mdname, const void *key, size_t keylen)
{
    static const uint8_t zero = 0;
    OSSL_PARAM params[2];

    params[0] =
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)(uintptr_t)mdname, 0);
    params[1] = OSSL_PARAM_construct_end();
    if (keylen == 0 || key == NULL) {
        key = &zero;
        keylen = 1;
    }
    return EVP_MAC_init(ctx, key, keylen, params) == 1 ? 0 : IC_EIO;
}

int
crypto_hmac(enum ipmi_auth_alg alg, const void *key, size_t keylen, const struct crypto_part *parts,
            size_t nparts, uint8_t *out, size_t *outlen)
{
    const char *mdname = auth_md_name(alg);
    EVP_MAC_CTX *ctx = NULL;
    size_t n = 0;
    int rc = IC_EIO;

    *outlen = 0;
    if (mdname == NULL)
        return IC_EINVAL;
    if (crypto_init() != 0)
        return IC_EIO;
    ctx = EVP_MAC_CTX_new(g_hmac);
    if (ctx == NULL)
        goto out;
    if (mac_setkey(ctx, mdname, key, keylen) != 0)
        goto out;
    for (size_t i = 0; i < nparts; i++) {
        if (parts[i].len > 0 && EVP_MAC_update(ctx, parts[i].p, parts[i].len) != 1)
            goto out;
    }
    if (EVP_MAC_final(ctx, out, &n, CRYPTO_MAX_MD) != 1 || n != crypto_auth_len(alg))
        goto out;
    *outlen = n;
    rc = 0;
out:
    EVP_MAC_CTX_free(ctx);
    return rc;
}

int
crypto_random(void *p, size_t n)
{
    if (n > INT_MAX)
        return IC_EINVAL;
    if (n == 0)
        return 0;
    return RAND_bytes(p, (int)n) == 1 ? 0 : IC_EIO;
}

/*
 * Per-thread pool of random bytes for IVs: one DRBG call per 64 packets
 * instead of one per packet (RAND_bytes takes locks and checks for a fork
 * on every call). IVs are sent in the clear, so a pool of them in memory
 * reveals nothing that the wire does not.
 */
#define IV_POOL 1024
static __thread uint8_t iv_pool[IV_POOL];
static __thread size_t iv_left;

int
crypto_iv(uint8_t iv[16])
{
    if (iv_left < CRYPTO_AES_BLOCK) {
        if (RAND_bytes(iv_pool, IV_POOL) != 1)
            return IC_EIO;
        iv_left = IV_POOL;
    }
    iv_left -= CRYPTO_AES_BLOCK;
    memcpy(iv, iv_pool + iv_left, CRYPTO_AES_BLOCK);
    return 0;
}

int
crypto_memeq(const void *a, const void *b, size_t n)
{
    return CRYPTO_memcmp(a, b, n) == 0;
}

void
crypto_cleanse(void *p, size_t n)
{
    if (p != NULL && n > 0)
        OPENSSL_cleanse(p, n);
}

#define HMAC_BLOCK 64 /* SHA-1, SHA-256 and MD5 all take 64-byte blocks */

struct crypto_sess {
    enum ipmi_integ_alg integ;
    enum ipmi_conf_alg conf;
    EVP_MD_CTX *hin, *hout; /* HMAC-* integrity: states after K1 ^ ipad, K1 ^ opad */
    EVP_MD_CTX *md;         /* the working context: HMAC copies, MD5-128 */
    EVP_CIPHER_CTX *enc;    /* AES-CBC-128 keyed with K2[0..15] */
    EVP_CIPHER_CTX *dec;
    uint8_t pw[PW20]; /* MD5-128 only */
};

static EVP_CIPHER_CTX *
aes_ctx_new(const uint8_t *key, int enc)
{
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();

    if (c == NULL)
        return NULL;
    if (EVP_CipherInit_ex2(c, g_aes, key, NULL, enc, NULL) != 1 ||
        EVP_CIPHER_CTX_set_padding(c, 0) != 1) {
        EVP_CIPHER_CTX_free(c);
        return NULL;
    }
    return c;
}

static const EVP_MD *
integ_md(enum ipmi_integ_alg integ)
{
    switch (integ) {
    case IPMI_INTEG_HMAC_SHA1_96:
        return g_sha1;
    case IPMI_INTEG_HMAC_MD5_128:
        return g_md5;
    case IPMI_INTEG_HMAC_SHA256_128:
        return g_sha256;
    default:
        return NULL;
    }
}

/* The digest states after (K ^ ipad) and (K ^ opad), K zero-padded to a block. */
static int
hmac_pads(struct crypto_sess *cs, const EVP_MD *md, const uint8_t *key, size_t keylen)
{
    uint8_t k[HMAC_BLOCK] = {0}, ipad[HMAC_BLOCK], opad[HMAC_BLOCK];
    unsigned int n = 0;
    int rc = IC_EIO;

    if (keylen > HMAC_BLOCK) { /* a longer key is hashed first */
        if (EVP_Digest(key, keylen, k, &n, md, NULL) != 1)
            goto out;
    } else {
        memcpy(k, key, keylen);
    }
    for (size_t i = 0; i < HMAC_BLOCK; i++) {
        ipad[i] = (uint8_t)(k[i] ^ 0x36);
        opad[i] = (uint8_t)(k[i] ^ 0x5c);
    }
    cs->hin = EVP_MD_CTX_new();
    cs->hout = EVP_MD_CTX_new();
    if (cs->hin == NULL || cs->hout == NULL || EVP_DigestInit_ex2(cs->hin, md, NULL) != 1 ||
        EVP_DigestUpdate(cs->hin, ipad, HMAC_BLOCK) != 1 ||
        EVP_DigestInit_ex2(cs->hout, md, NULL) != 1 ||
        EVP_DigestUpdate(cs->hout, opad, HMAC_BLOCK) != 1)
        goto out;
    rc = 0;
out:
    crypto_cleanse(k, sizeof(k));
    crypto_cleanse(ipad, sizeof(ipad));
    crypto_cleanse(opad, sizeof(opad));
    return rc;
}

struct crypto_sess *
crypto_sess_new(enum ipmi_integ_alg integ, const uint8_t *k1, size_t k1len, enum ipmi_conf_alg conf,
                const uint8_t *k2, size_t k2len, const uint8_t *password, size_t pwlen)
{
    struct crypto_sess *cs;

    if (crypto_init() != 0)
        return NULL;
    /* HMAC-* integrity: the digest it runs on; MD5-128: the password it mixes in. */
    const EVP_MD *md = integ_md(integ);
    if (md == NULL && integ != IPMI_INTEG_NONE && integ != IPMI_INTEG_MD5_128)
        return NULL;
    if (integ == IPMI_INTEG_MD5_128 && (pwlen > PW20 || (pwlen > 0 && password == NULL)))
        return NULL;
    if (md != NULL && (k1 == NULL || k1len == 0))
        return NULL;
    if (conf != IPMI_CONF_NONE &&
        (conf != IPMI_CONF_AES_CBC_128 || k2 == NULL || k2len < CRYPTO_AES_BLOCK))
        return NULL;

    cs = calloc(1, sizeof(*cs));
    if (cs == NULL)
        return NULL;
    cs->integ = integ;
    cs->conf = conf;
    if (md != NULL || integ == IPMI_INTEG_MD5_128) {
        cs->md = EVP_MD_CTX_new();
        if (cs->md == NULL)
            goto fail;
    }
    if (md != NULL) {
        if (hmac_pads(cs, md, k1, k1len) != 0)
            goto fail;
    } else if (integ == IPMI_INTEG_MD5_128 && pwlen > 0) {
        memcpy(cs->pw, password, pwlen);
    }
    if (conf == IPMI_CONF_AES_CBC_128) {
        cs->enc = aes_ctx_new(k2, 1);
        cs->dec = aes_ctx_new(k2, 0);
        if (cs->enc == NULL || cs->dec == NULL)
            goto fail;
    }
    return cs;
fail:
    crypto_sess_free(cs);
    return NULL;
}

int
crypto_sess_authcode(struct crypto_sess *cs, const uint8_t *data, size_t len, uint8_t *out,
                     size_t *outlen)
{
    uint8_t full[EVP_MAX_MD_SIZE];
    size_t want = crypto_integ_len(cs->integ);
    int rc = IC_EIO;

    *outlen = 0;
    if (want == 0)
        return IC_EINVAL;
    if (cs->hin != NULL) {
        unsigned int in = 0, mdlen = 0;
        if (EVP_MD_CTX_copy_ex(cs->md, cs->hin) != 1 ||
            (len > 0 && EVP_DigestUpdate(cs->md, data, len) != 1) ||
            EVP_DigestFinal_ex(cs->md, full, &in) != 1 ||
            EVP_MD_CTX_copy_ex(cs->md, cs->hout) != 1 || EVP_DigestUpdate(cs->md, full, in) != 1 ||
            EVP_DigestFinal_ex(cs->md, full, &mdlen) != 1 || mdlen < want)
            goto out;
    } else if (cs->md != NULL) {
        unsigned int mdlen = 0;

        if (EVP_DigestInit_ex2(cs->md, g_md5, NULL) != 1 ||
            EVP_DigestUpdate(cs->md, cs->pw, PW20) != 1 ||
            (len > 0 && EVP_DigestUpdate(cs->md, data, len) != 1) ||
            EVP_DigestUpdate(cs->md, cs->pw, PW20) != 1 ||
            EVP_DigestFinal_ex(cs->md, full, &mdlen) != 1 || mdlen < want)
            goto out;
    } else {
        return IC_EINVAL;
    }
    memcpy(out, full, want);
    *outlen = want;
    rc = 0;
out:
    crypto_cleanse(full, sizeof(full));
    return rc;
}

/* CBC over the ECB context c, one block at a time; in and out may be the same buffer. */
static int
aes_run(EVP_CIPHER_CTX *c, int enc, const uint8_t iv[16], const uint8_t *in, size_t len,
        uint8_t *out)
{
    uint8_t prev[CRYPTO_AES_BLOCK], blk[CRYPTO_AES_BLOCK];
    int n = 0;

    if (c == NULL || len % CRYPTO_AES_BLOCK != 0 || len > INT_MAX)
        return IC_EINVAL;
    memcpy(prev, iv, CRYPTO_AES_BLOCK);
    for (size_t off = 0; off < len; off += CRYPTO_AES_BLOCK) {
        memcpy(blk, in + off, CRYPTO_AES_BLOCK);
        if (enc) {
            for (size_t i = 0; i < CRYPTO_AES_BLOCK; i++)
                blk[i] ^= prev[i];
            if (EVP_CipherUpdate(c, out + off, &n, blk, CRYPTO_AES_BLOCK) != 1 ||
                n != CRYPTO_AES_BLOCK)
                return IC_EIO;
            memcpy(prev, out + off, CRYPTO_AES_BLOCK);
        } else {
            if (EVP_CipherUpdate(c, out + off, &n, blk, CRYPTO_AES_BLOCK) != 1 ||
                n != CRYPTO_AES_BLOCK)
                return IC_EIO;
            for (size_t i = 0; i < CRYPTO_AES_BLOCK; i++)
                out[off + i] ^= prev[i];
            memcpy(prev, blk, CRYPTO_AES_BLOCK); /* this block's ciphertext chains the next */
        }
    }
    return 0;
}

int
crypto_sess_encrypt(struct crypto_sess *cs, const uint8_t iv[16], const uint8_t *in, size_t len,
                    uint8_t *out)
{
    return aes_run(cs->enc, 1, iv, in, len, out);
}

int
crypto_sess_decrypt(struct crypto_sess *cs, const uint8_t iv[16], const uint8_t *in, size_t len,
                    uint8_t *out)
{
    return aes_run(cs->dec, 0, iv, in, len, out);
}

void
crypto_sess_free(struct crypto_sess *cs)
{
    if (cs == NULL)
        return;
    /* The *_free calls wipe the key material inside the OpenSSL contexts. */
    EVP_MD_CTX_free(cs->hin);
    EVP_MD_CTX_free(cs->hout);
    EVP_MD_CTX_free(cs->md);
    EVP_CIPHER_CTX_free(cs->enc);
    EVP_CIPHER_CTX_free(cs->dec);
    crypto_cleanse(cs, sizeof(*cs));
    free(cs);
}
