/* SPDX-License-Identifier: Apache-2.0 */
/*
 * crypto.h - the only door to OpenSSL. Algorithms are fetched once
 * (crypto_init); each session gets its own reusable contexts
 * (struct crypto_sess), so no context is created per packet.
 *
 * Algorithm numbers are the IPMI v2.0 ones (Tables 13-17, 13-18, 13-19).
 */
#ifndef IC_CRYPTO_H
#define IC_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

enum ipmi_auth_alg {
    IPMI_AUTH_RAKP_NONE = 0,
    IPMI_AUTH_HMAC_SHA1 = 1,
    IPMI_AUTH_HMAC_MD5 = 2,
    IPMI_AUTH_HMAC_SHA256 = 3,
};

enum ipmi_integ_alg {
    IPMI_INTEG_NONE = 0,
    IPMI_INTEG_HMAC_SHA1_96 = 1,
    IPMI_INTEG_HMAC_MD5_128 = 2,
    IPMI_INTEG_MD5_128 = 3,
    IPMI_INTEG_HMAC_SHA256_128 = 4,
};

enum ipmi_conf_alg {
    IPMI_CONF_NONE = 0,
    IPMI_CONF_AES_CBC_128 = 1,
};

#define CRYPTO_MAX_MD    32 /* largest digest: SHA-256 */
#define CRYPTO_AES_BLOCK 16

/*
 * Fetches the digests, HMAC and AES-128-CBC once for the process. Safe to call
 * from several threads and more than once. Returns 0 or IC_EIO.
 */
int crypto_init(void);

/* Full HMAC length of an authentication algorithm: 20, 16, 32, or 0 (none). */
size_t crypto_auth_len(enum ipmi_auth_alg alg);
/* RAKP 4 integrity check value length: 12 (SHA1), 16 (MD5), 16 (SHA256), 0. */
size_t crypto_rakp4_icv_len(enum ipmi_auth_alg alg);
/* Per-packet AuthCode length: 12, 16, 16, 16, or 0 (none). */
size_t crypto_integ_len(enum ipmi_integ_alg alg);

/* A piece of the data an HMAC covers; HMAC input is the concatenation. */
struct crypto_part {
    const void *p;
    size_t len;
};

/*
 * One-shot HMAC with the hash of authentication algorithm alg over the
 * concatenated parts. out must hold CRYPTO_MAX_MD bytes; *outlen gets the full
 * length. Used during RAKP only (a few times per session). Returns 0,
 * IC_EINVAL (RAKP-none or unknown alg) or IC_EIO.
 */
int crypto_hmac(enum ipmi_auth_alg alg, const void *key, size_t keylen,
                const struct crypto_part *parts, size_t nparts, uint8_t *out, size_t *outlen);

/* Fills p with n cryptographically random bytes. Returns 0 or IC_EIO. */
int crypto_random(void *p, size_t n);

/* A random AES IV from a per-thread pool (refilled from OpenSSL's DRBG 64 IVs at a time). */
int crypto_iv(uint8_t iv[16]);

/* Constant-time comparison: returns 1 if equal, 0 if not. */
int crypto_memeq(const void *a, const void *b, size_t n);

/* Wipes memory in a way the compiler cannot elide. */
void crypto_cleanse(void *p, size_t n);

/*
 * Per-session contexts for the negotiated integrity and confidentiality
 * algorithms, keyed once with K1 / K2[0..15] (and the password for MD5-128).
 */
struct crypto_sess;

/*
 * Creates the contexts. k1 is used for HMAC integrity (its length follows the
 * authentication hash), k2 (at least 16 bytes) for AES-CBC-128, password only
 * for MD5-128 integrity. Keys are copied; the caller may wipe its copies.
 * Returns NULL on unsupported algorithm or allocation failure.
 */
struct crypto_sess *crypto_sess_new(enum ipmi_integ_alg integ, const uint8_t *k1, size_t k1len,
                                    enum ipmi_conf_alg conf, const uint8_t *k2, size_t k2len,
                                    const uint8_t *password, size_t pwlen);

/*
 * Computes the truncated AuthCode over data into out (CRYPTO_MAX_MD bytes);
 * *outlen = crypto_integ_len(). Returns 0 or IC_EIO / IC_EINVAL.
 */
int crypto_sess_authcode(struct crypto_sess *cs, const uint8_t *data, size_t len, uint8_t *out,
                         size_t *outlen);

/*
 * AES-CBC-128 without padding (the caller pads): len must be a multiple of 16.
 * in and out may be the same buffer. Returns 0 or IC_EINVAL / IC_EIO.
 */
int crypto_sess_encrypt(struct crypto_sess *cs, const uint8_t iv[16], const uint8_t *in, size_t len,
                        uint8_t *out);
int crypto_sess_decrypt(struct crypto_sess *cs, const uint8_t iv[16], const uint8_t *in, size_t len,
                        uint8_t *out);

/* Wipes keys and frees; NULL is a no-op. */
void crypto_sess_free(struct crypto_sess *cs);

#endif
