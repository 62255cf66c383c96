/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_crypto.c - crypto.c: HMAC known answers (RFC 2202/2104/4231), the
 * per-session AuthCode for every integrity algorithm, AES-CBC-128 against
 * the real ipmi_sim capture (reference §12.2), argument checks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "test_util.h"

#include "crypto.h"
#include "ic_err.h"

static int
setup(void **state)
{
    (void)state;
    return crypto_init();
}

static void
test_init_lengths(void **state)
{
    (void)state;
    assert_int_equal(crypto_init(), 0);
    assert_int_equal(crypto_init(), 0);
    assert_int_equal(crypto_auth_len(IPMI_AUTH_RAKP_NONE), 0);
    assert_int_equal(crypto_auth_len(IPMI_AUTH_HMAC_SHA1), 20);
    assert_int_equal(crypto_auth_len(IPMI_AUTH_HMAC_MD5), 16);
    assert_int_equal(crypto_auth_len(IPMI_AUTH_HMAC_SHA256), 32);
    assert_int_equal(crypto_auth_len((enum ipmi_auth_alg)9), 0);
    assert_int_equal(crypto_rakp4_icv_len(IPMI_AUTH_RAKP_NONE), 0);
    assert_int_equal(crypto_rakp4_icv_len(IPMI_AUTH_HMAC_SHA1), 12);
    assert_int_equal(crypto_rakp4_icv_len(IPMI_AUTH_HMAC_MD5), 16);
    assert_int_equal(crypto_rakp4_icv_len(IPMI_AUTH_HMAC_SHA256), 16);
    assert_int_equal(crypto_integ_len(IPMI_INTEG_NONE), 0);
    assert_int_equal(crypto_integ_len(IPMI_INTEG_HMAC_SHA1_96), 12);
    assert_int_equal(crypto_integ_len(IPMI_INTEG_HMAC_MD5_128), 16);
    assert_int_equal(crypto_integ_len(IPMI_INTEG_MD5_128), 16);
    assert_int_equal(crypto_integ_len(IPMI_INTEG_HMAC_SHA256_128), 16);
    assert_int_equal(crypto_integ_len((enum ipmi_integ_alg)7), 0);
}

static void
hmac1(enum ipmi_auth_alg alg, const void *key, size_t keylen, const void *data, size_t len,
      const char *want)
{
    struct crypto_part part = {data, len};
    uint8_t out[CRYPTO_MAX_MD];
    size_t n = 99;

    assert_int_equal(crypto_hmac(alg, key, keylen, &part, 1, out, &n), 0);
    assert_hex(out, n, want);
}

static void
test_hmac_known(void **state)
{
    uint8_t k[20];

    (void)state;
    memset(k, 0x0b, sizeof(k));
    /* RFC 2202 case 1, RFC 2104 appendix, RFC 4231 case 1 */
    hmac1(IPMI_AUTH_HMAC_SHA1, k, 20, "Hi There", 8, "b617318655057264e28bc0b6fb378c8ef146be00");
    hmac1(IPMI_AUTH_HMAC_MD5, k, 16, "Hi There", 8, "9294727a3638bb1c13f48ef8158bfc9d");
    hmac1(IPMI_AUTH_HMAC_SHA256, k, 20, "Hi There", 8,
          "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    /* empty key and message (a null password must work) */
    hmac1(IPMI_AUTH_HMAC_SHA1, NULL, 0, NULL, 0, "fbdb1d1b18aa6c08324b7d64b71fb76370690e1d");
    hmac1(IPMI_AUTH_HMAC_MD5, "", 0, "", 0, "74e6f7298a9c2d168935f58c001bad88");
    hmac1(IPMI_AUTH_HMAC_SHA256, NULL, 0, NULL, 0,
          "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

static void
test_hmac_parts(void **state)
{
    static const char msg[] = "what do ya want for nothing?";
    struct crypto_part parts[4] = {{msg, 4}, {NULL, 0}, {msg + 4, 10}, {msg + 14, 14}};
    uint8_t a[CRYPTO_MAX_MD], b[CRYPTO_MAX_MD], pw20[20] = "password";
    size_t na = 0, nb = 0;

    (void)state;
    /* RFC 4231 case 2, in pieces */
    assert_int_equal(crypto_hmac(IPMI_AUTH_HMAC_SHA256, "Jefe", 4, parts, 4, a, &na), 0);
    assert_hex(a, na, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    /* a zero-padded 20-byte password is the same key as the bare password */
    struct crypto_part p = {msg, 28};
    assert_int_equal(crypto_hmac(IPMI_AUTH_HMAC_SHA1, "password", 8, &p, 1, a, &na), 0);
    assert_int_equal(crypto_hmac(IPMI_AUTH_HMAC_SHA1, pw20, 20, &p, 1, b, &nb), 0);
    assert_int_equal(na, nb);
    assert_memory_equal(a, b, na);
    /* RAKP-none and unknown algorithms have no HMAC */
    assert_int_equal(crypto_hmac(IPMI_AUTH_RAKP_NONE, "k", 1, &p, 1, a, &na), IC_EINVAL);
    assert_int_equal(na, 0);
    assert_int_equal(crypto_hmac((enum ipmi_auth_alg)4, "k", 1, &p, 1, a, &na), IC_EINVAL);
}

static void
test_random_memeq_cleanse(void **state)
{
    uint8_t a[32] = {0}, b[32] = {0}, z[32] = {0};

    (void)state;
    assert_int_equal(crypto_random(a, sizeof(a)), 0);
    assert_int_equal(crypto_random(b, sizeof(b)), 0);
    assert_int_equal(crypto_random(b, 0), 0);
    assert_memory_not_equal(a, b, sizeof(a));
    assert_memory_not_equal(a, z, sizeof(a));
    assert_int_equal(crypto_memeq(a, a, sizeof(a)), 1);
    assert_int_equal(crypto_memeq(a, b, sizeof(a)), 0);
    assert_int_equal(crypto_memeq(a, b, 0), 1);
    crypto_cleanse(a, sizeof(a));
    assert_memory_equal(a, z, sizeof(a));
    crypto_cleanse(NULL, 4);
}

/* Session packet #9 of reference §12.2 (ipmitool -> ipmi_sim, suite 3). */
static const char pkt9[] = "06 00 ff 07 06 c0 02 03 00 00 03 00 00 00 20 00"
                           "d4 8d 59 91 82 18 bb 98 84 6f 35 7c 27 d6 49 9a"
                           "b8 0b 0c 40 2a 75 e7 b9 fd 95 4c 3e 9e 05 07 7b"
                           "ff ff 02 07 36 37 cc 5c d0 c6 37 92 54 da 02 b3";
static const char k1_3[] = "6a6f07377c247f5a0bcf0c0a0ab316e643b575f1";
static const char k2_3[] = "064a1416fa4fd1f1a68dec2ba56782697c8a81c1";

static void
test_sess_capture(void **state)
{
    uint8_t pkt[64], k1[20], k2[20], mac[CRYPTO_MAX_MD], buf[16];
    size_t n;
    struct crypto_sess *cs;

    (void)state;
    assert_int_equal(unhex(pkt9, pkt, sizeof(pkt)), 64);
    unhex(k1_3, k1, sizeof(k1));
    unhex(k2_3, k2, sizeof(k2));
    cs = crypto_sess_new(IPMI_INTEG_HMAC_SHA1_96, k1, 20, IPMI_CONF_AES_CBC_128, k2, 20, NULL, 0);
    assert_non_null(cs);
    /* the AuthCode covers bytes 4..51; computing twice checks the key survives re-init */
    for (int i = 0; i < 2; i++) {
        assert_int_equal(crypto_sess_authcode(cs, pkt + 4, 48, mac, &n), 0);
        assert_int_equal(n, 12);
        assert_memory_equal(mac, pkt + 52, 12);
    }
    for (int i = 0; i < 2; i++) {
        assert_int_equal(crypto_sess_decrypt(cs, pkt + 16, pkt + 32, 16, buf), 0);
        assert_hex(buf, 16, "2018c881043b043c 01020304050607 07");
    }
    /* and back, in place */
    assert_int_equal(crypto_sess_encrypt(cs, pkt + 16, buf, 16, buf), 0);
    assert_memory_equal(buf, pkt + 32, 16);
    memcpy(buf, pkt + 32, 16);
    assert_int_equal(crypto_sess_decrypt(cs, pkt + 16, buf, 16, buf), 0);
    assert_hex(buf, 16, "2018c881043b043c 01020304050607 07");
    /* whole blocks only */
    assert_int_equal(crypto_sess_encrypt(cs, pkt + 16, buf, 15, buf), IC_EINVAL);
    assert_int_equal(crypto_sess_decrypt(cs, pkt + 16, buf, 17, buf), IC_EINVAL);
    assert_int_equal(crypto_sess_encrypt(cs, pkt + 16, buf, 0, buf), 0);
    crypto_sess_free(cs);
}

static void
test_sess_integrity_algs(void **state)
{
    static const uint8_t data[10] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    uint8_t k1[32], mac[CRYPTO_MAX_MD], ref[CRYPTO_MAX_MD];
    size_t n, nr;
    struct crypto_part part = {data, sizeof(data)};
    struct crypto_sess *cs;
    const struct {
        enum ipmi_integ_alg integ;
        enum ipmi_auth_alg hash;
        size_t k1len, len;
    } algs[] = {
        {IPMI_INTEG_HMAC_SHA1_96, IPMI_AUTH_HMAC_SHA1, 20, 12},
        {IPMI_INTEG_HMAC_MD5_128, IPMI_AUTH_HMAC_MD5, 16, 16},
        {IPMI_INTEG_HMAC_SHA256_128, IPMI_AUTH_HMAC_SHA256, 32, 16},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(k1); i++)
        k1[i] = (uint8_t)(0xA0 + i);
    for (size_t a = 0; a < sizeof(algs) / sizeof(algs[0]); a++) {
        cs = crypto_sess_new(algs[a].integ, k1, algs[a].k1len, IPMI_CONF_NONE, NULL, 0, NULL, 0);
        assert_non_null(cs);
        assert_int_equal(crypto_hmac(algs[a].hash, k1, algs[a].k1len, &part, 1, ref, &nr), 0);
        for (int i = 0; i < 3; i++) {
            assert_int_equal(crypto_sess_authcode(cs, data, sizeof(data), mac, &n), 0);
            assert_int_equal(n, algs[a].len);
            assert_memory_equal(mac, ref, n); /* truncated full HMAC */
        }
        /* no confidentiality negotiated: no cipher */
        assert_int_equal(crypto_sess_encrypt(cs, k1, mac, 16, mac), IC_EINVAL);
        crypto_sess_free(cs);
    }

    /* MD5-128 = MD5(pw20 | data | pw20), values from Python hashlib */
    cs = crypto_sess_new(IPMI_INTEG_MD5_128, NULL, 0, IPMI_CONF_NONE, NULL, 0,
                         (const uint8_t *)"password", 8);
    assert_non_null(cs);
    assert_int_equal(crypto_sess_authcode(cs, data, sizeof(data), mac, &n), 0);
    assert_hex(mac, n, "da2b286ad900f40a63af70b959b293b5");
    assert_int_equal(crypto_sess_authcode(cs, data, sizeof(data), mac, &n), 0);
    assert_hex(mac, n, "da2b286ad900f40a63af70b959b293b5");
    crypto_sess_free(cs);
    cs = crypto_sess_new(IPMI_INTEG_MD5_128, NULL, 0, IPMI_CONF_NONE, NULL, 0, NULL, 0);
    assert_non_null(cs);
    assert_int_equal(crypto_sess_authcode(cs, NULL, 0, mac, &n), 0);
    assert_hex(mac, n, "fd4b38e94292e00251b9f39c47ee5710");
    crypto_sess_free(cs);

    /* integrity none: no AuthCode */
    cs = crypto_sess_new(IPMI_INTEG_NONE, NULL, 0, IPMI_CONF_NONE, NULL, 0, NULL, 0);
    assert_non_null(cs);
    assert_int_equal(crypto_sess_authcode(cs, data, sizeof(data), mac, &n), IC_EINVAL);
    assert_int_equal(n, 0);
    crypto_sess_free(cs);
}

/* RFC 4231 cases 2 and 6 (a key longer than a block is hashed first) through a session. */
static void
test_sess_hmac_rfc4231(void **state)
{
    static const char case2[] = "5bdcc146bf60754e6a042426089575c7";
    static const char case6[] = "60e431591ee0b67f0d8a26aacbf5b77f";
    static const char msg2[] = "what do ya want for nothing?";
    static const char msg6[] = "Test Using Larger Than Block-Size Key - Hash Key First";
    uint8_t key6[131], want[16], mac[CRYPTO_MAX_MD];
    size_t n;
    (void)state;

    struct crypto_sess *cs = crypto_sess_new(IPMI_INTEG_HMAC_SHA256_128, (const uint8_t *)"Jefe", 4,
                                             IPMI_CONF_NONE, NULL, 0, NULL, 0);
    assert_non_null(cs);
    assert_int_equal(crypto_sess_authcode(cs, (const uint8_t *)msg2, strlen(msg2), mac, &n), 0);
    assert_int_equal(n, 16);
    unhex(case2, want, sizeof(want));
    assert_memory_equal(mac, want, 16);
    crypto_sess_free(cs);

    memset(key6, 0xaa, sizeof(key6));
    cs = crypto_sess_new(IPMI_INTEG_HMAC_SHA256_128, key6, sizeof(key6), IPMI_CONF_NONE, NULL, 0,
                         NULL, 0);
    assert_non_null(cs);
    assert_int_equal(crypto_sess_authcode(cs, (const uint8_t *)msg6, strlen(msg6), mac, &n), 0);
    unhex(case6, want, sizeof(want));
    assert_memory_equal(mac, want, 16);
    crypto_sess_free(cs);
}

static void
test_sess_aes_roundtrip(void **state)
{
    uint8_t k2[16], iv[16], pt[256], ct[256], back[256];
    struct crypto_sess *cs;

    (void)state;
    assert_int_equal(crypto_random(k2, sizeof(k2)), 0);
    cs = crypto_sess_new(IPMI_INTEG_NONE, NULL, 0, IPMI_CONF_AES_CBC_128, k2, 16, NULL, 0);
    assert_non_null(cs);
    for (size_t len = 0; len <= sizeof(pt); len += 16) {
        assert_int_equal(crypto_random(iv, sizeof(iv)), 0);
        assert_int_equal(crypto_random(pt, sizeof(pt)), 0);
        assert_int_equal(crypto_sess_encrypt(cs, iv, pt, len, ct), 0);
        if (len > 0)
            assert_memory_not_equal(ct, pt, len);
        assert_int_equal(crypto_sess_decrypt(cs, iv, ct, len, back), 0);
        assert_memory_equal(back, pt, len);
    }
    crypto_sess_free(cs);
}

/* NIST SP 800-38A F.2.1/F.2.2 (CBC-AES128), four blocks, in place both ways. */
static void
test_sess_aes_known_answer(void **state)
{
    uint8_t k2[16], iv[16], buf[64];
    (void)state;
    unhex("2b7e151628aed2a6abf7158809cf4f3c", k2, sizeof(k2));
    unhex("000102030405060708090a0b0c0d0e0f", iv, sizeof(iv));
    struct crypto_sess *cs =
        crypto_sess_new(IPMI_INTEG_NONE, NULL, 0, IPMI_CONF_AES_CBC_128, k2, 16, NULL, 0);
    assert_non_null(cs);
    const char *pt = "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
                     "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710";
    const char *ct = "7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2"
                     "73bed6b8e3c1743b7116e69e222295163ff1caa1681fac09120eca307586e1a7";
    assert_int_equal(unhex(pt, buf, sizeof(buf)), 64);
    assert_int_equal(crypto_sess_encrypt(cs, iv, buf, sizeof(buf), buf), 0);
    assert_hex(buf, sizeof(buf), ct);
    assert_int_equal(crypto_sess_decrypt(cs, iv, buf, sizeof(buf), buf), 0);
    assert_hex(buf, sizeof(buf), pt);
    crypto_sess_free(cs);
}

/* IVs come from a pool refilled as it runs out: never twice the same one. */
static void
test_iv_pool(void **state)
{
    enum { N = 300 }; /* several refills of the 64-IV pool */
    static uint8_t ivs[N][16];
    (void)state;
    for (size_t i = 0; i < N; i++)
        assert_int_equal(crypto_iv(ivs[i]), 0);
    for (size_t i = 0; i < N; i++)
        for (size_t j = i + 1; j < N; j++)
            assert_memory_not_equal(ivs[i], ivs[j], 16);
}

static void
test_sess_bad_args(void **state)
{
    uint8_t k[32] = {1};

    (void)state;
    assert_null(crypto_sess_new((enum ipmi_integ_alg)5, k, 20, IPMI_CONF_NONE, NULL, 0, NULL, 0));
    assert_null(
        crypto_sess_new(IPMI_INTEG_HMAC_SHA1_96, NULL, 0, IPMI_CONF_NONE, NULL, 0, NULL, 0));
    assert_null(crypto_sess_new(IPMI_INTEG_NONE, NULL, 0, IPMI_CONF_AES_CBC_128, k, 15, NULL, 0));
    assert_null(
        crypto_sess_new(IPMI_INTEG_NONE, NULL, 0, IPMI_CONF_AES_CBC_128, NULL, 16, NULL, 0));
    assert_null(crypto_sess_new(IPMI_INTEG_NONE, NULL, 0, (enum ipmi_conf_alg)2, k, 16, NULL, 0));
    assert_null(crypto_sess_new(IPMI_INTEG_MD5_128, NULL, 0, IPMI_CONF_NONE, NULL, 0, k, 21));
    crypto_sess_free(NULL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_lengths),
        cmocka_unit_test(test_hmac_known),
        cmocka_unit_test(test_hmac_parts),
        cmocka_unit_test(test_random_memeq_cleanse),
        cmocka_unit_test(test_sess_capture),
        cmocka_unit_test(test_sess_integrity_algs),
        cmocka_unit_test(test_sess_hmac_rfc4231),
        cmocka_unit_test(test_sess_aes_roundtrip),
        cmocka_unit_test(test_sess_aes_known_answer),
        cmocka_unit_test(test_iv_pool),
        cmocka_unit_test(test_sess_bad_args),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
