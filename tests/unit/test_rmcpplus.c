/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_rmcpplus.c - rmcpplus.c: the §12.1 synthetic suite-17 packet and the
 * §12.2 captured suite-3 packets (encode byte-exact, decode and verify),
 * round trips for every integrity algorithm with and without AES, every drop
 * reason, the sequence window, truncated and oversized datagrams.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "test_util.h"

#include "buf.h"
#include "crypto.h"
#include "ic_err.h"
#include "rmcpplus.h"

static int
setup(void **state)
{
    (void)state;
    return crypto_init();
}

/* Keys of §12.1 (SHA256, no K_g) and §12.2 (SHA1 capture). */
static const char k1_17[] = "dc4fe73d075306f6897115dd63257385e845c10404fa1d73991790c6a101bec2";
static const char k2_17[] = "2a4f969ea6dfa83066f36674fdc2fea289fa1a21da90303e9b5269b54ec5adb5";
static const char k1_3[] = "6a6f07377c247f5a0bcf0c0a0ab316e643b575f1";
static const char k2_3[] = "064a1416fa4fd1f1a68dec2ba56782697c8a81c1";

static const char synth17[] = "06 00 ff 07 06 c0 02 03 00 00 01 00 00 00 20 00"
                              "00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f"
                              "87 26 df 43 8a 6f dd 2c ae 4e eb 9e 7e b0 b7 27"
                              "ff ff 02 07 59 5e df a8 b6 3b 8d 30 cc 96 39 15"
                              "4a 27 fb fe";
static const char cap9[] = "06 00 ff 07 06 c0 02 03 00 00 03 00 00 00 20 00"
                           "d4 8d 59 91 82 18 bb 98 84 6f 35 7c 27 d6 49 9a"
                           "b8 0b 0c 40 2a 75 e7 b9 fd 95 4c 3e 9e 05 07 7b"
                           "ff ff 02 07 36 37 cc 5c d0 c6 37 92 54 da 02 b3";
static const char cap10[] = "06 00 ff 07 06 c0 a4 a3 a2 a0 01 00 00 00 20 00"
                            "4b 3f c8 91 4f 70 7a 27 13 ee 66 1b b3 e0 8f 14"
                            "4b bf 3a 85 85 6e b4 a7 d3 04 80 90 c8 7c ce 0f"
                            "ff ff 02 07 1a 2e b4 a7 91 5f fa 8e 8b 52 f4 d2";
static const char cap4[] = "06 00 ff 07 06 11 00 00 00 00 00 00 00 00 24 00"
                           "00 00 00 00 a4 a3 a2 a0 02 03 00 00 00 00 00 08"
                           "01 00 00 00 01 00 00 08 01 00 00 00 02 00 00 08 01 00 00 00";

#define TEST_SID 0x12345678u

/* A session for one direction; k1/k2 given as hex (NULL: derived filler). */
static void
mksess(struct rmcpp_sess *s, enum ipmi_integ_alg integ, enum ipmi_conf_alg conf, const char *k1hex,
       const char *k2hex, uint32_t console_sid, uint32_t bmc_sid)
{
    uint8_t k1[32], k2[32];
    size_t k1len = 32, k2len = 32;

    for (size_t i = 0; i < 32; i++) {
        k1[i] = (uint8_t)(0x40 + i);
        k2[i] = (uint8_t)(0x80 + 3 * i);
    }
    if (k1hex)
        k1len = unhex(k1hex, k1, sizeof(k1));
    if (k2hex)
        k2len = unhex(k2hex, k2, sizeof(k2));
    if (integ == IPMI_INTEG_HMAC_MD5_128)
        k1len = 16;
    memset(s, 0, sizeof(*s));
    s->integ = integ;
    s->conf = conf;
    s->console_sid = console_sid;
    s->bmc_sid = bmc_sid;
    s->cs = crypto_sess_new(integ, k1, k1len, conf, k2, k2len, (const uint8_t *)"password", 8);
    assert_non_null(s->cs);
}

static void
rmsess(struct rmcpp_sess *s)
{
    crypto_sess_free(s->cs);
    s->cs = NULL;
}

static size_t
encode(struct rmcpp_sess *s, const uint8_t *msg, size_t len, uint8_t *out, size_t cap)
{
    struct buf_wr w;

    buf_wr_init(&w, out, cap);
    assert_int_equal(rmcpp_encode(s, RMCPP_PT_IPMI, msg, len, &w), 0);
    return w.len;
}

/* Decodes and returns the drop reason (NONE on success). */
static enum rmcpp_drop
drop_of(struct rmcpp_sess *s, const uint8_t *pkt, size_t len)
{
    uint8_t work[RMCPP_MAX_PAYLOAD];
    struct rmcpp_pkt p;
    enum rmcpp_drop why = RMCPP_DROP_COUNT;
    int rc = rmcpp_decode(s, pkt, len, work, &p, &why);

    assert_int_equal(rc, why == RMCPP_DROP_NONE ? 0 : IC_EPROTO);
    return why;
}

/*
 * Assembles a packet by hand: header, payload, then trailer bytes as given,
 * then (if cs) a correct AuthCode over everything from byte 4. Lets a test
 * make a structurally bad packet that still carries a valid AuthCode.
 */
static size_t
build(struct crypto_sess *cs, uint8_t ptb, uint32_t sid, uint32_t seq, uint16_t plen,
      const uint8_t *payload, size_t paylen, const uint8_t *trailer, size_t tlen, uint8_t *out)
{
    struct buf_wr w;
    uint8_t mac[CRYPTO_MAX_MD];
    size_t n = 0;

    buf_wr_init(&w, out, 1400);
    buf_put_bytes(&w, "\x06\x00\xff\x07\x06", 5);
    buf_put_u8(&w, ptb);
    buf_put_le32(&w, sid);
    buf_put_le32(&w, seq);
    buf_put_le16(&w, plen);
    buf_put_bytes(&w, payload, paylen);
    buf_put_bytes(&w, trailer, tlen);
    if (cs) {
        assert_int_equal(crypto_sess_authcode(cs, out + 4, w.len - 4, mac, &n), 0);
        buf_put_bytes(&w, mac, n);
    }
    assert_int_equal(buf_wr_err(&w), 0);
    return w.len;
}

static const uint8_t getdevid[] = {0x20, 0x18, 0xc8, 0x81, 0x04, 0x01, 0x7a};

static void
test_synthetic_suite17(void **state)
{
    uint8_t want[128], out[128], iv[16], work[RMCPP_MAX_PAYLOAD];
    struct rmcpp_sess tx, rx;
    struct rmcpp_pkt p;
    enum rmcpp_drop why;
    size_t n, wn;

    (void)state;
    wn = unhex(synth17, want, sizeof(want));
    for (int i = 0; i < 16; i++)
        iv[i] = (uint8_t)i;
    mksess(&tx, IPMI_INTEG_HMAC_SHA256_128, IPMI_CONF_AES_CBC_128, k1_17, k2_17, TEST_SID, 0x302);
    rmcpp_test_set_iv(iv);
    n = encode(&tx, getdevid, sizeof(getdevid), out, sizeof(out));
    rmcpp_test_set_iv(NULL);
    assert_int_equal(tx.out_seq, 1);
    assert_int_equal(n, wn);
    assert_memory_equal(out, want, wn);

    /* the packet carries the BMC's ID: decode it as the BMC would */
    mksess(&rx, IPMI_INTEG_HMAC_SHA256_128, IPMI_CONF_AES_CBC_128, k1_17, k2_17, 0x302, TEST_SID);
    assert_int_equal(rmcpp_decode(&rx, want, wn, work, &p, &why), 0);
    assert_int_equal(why, RMCPP_DROP_NONE);
    assert_int_equal(p.pt, RMCPP_PT_IPMI);
    assert_int_equal(p.sid, 0x302);
    assert_int_equal(p.seq, 1);
    assert_true(p.authenticated);
    assert_true(p.encrypted);
    assert_ptr_equal(p.payload, work);
    assert_int_equal(p.len, sizeof(getdevid));
    assert_memory_equal(p.payload, getdevid, sizeof(getdevid));
    /* replay */
    assert_int_equal(drop_of(&rx, want, wn), RMCPP_DROP_SEQUENCE);
    rmsess(&tx);
    rmsess(&rx);
}

static void
test_capture_suite3(void **state)
{
    uint8_t p9[64], p10[64], out[128], work[RMCPP_MAX_PAYLOAD];
    struct rmcpp_sess tx, bmc, rx;
    struct rmcpp_pkt p;
    enum rmcpp_drop why;
    static const uint8_t setpriv[] = {0x20, 0x18, 0xc8, 0x81, 0x04, 0x3b, 0x04, 0x3c};
    size_t n;

    (void)state;
    assert_int_equal(unhex(cap9, p9, sizeof(p9)), 64);
    assert_int_equal(unhex(cap10, p10, sizeof(p10)), 64);

    /* #9 re-encoded from its plaintext, IV and sequence number (ipmitool started at 3) */
    mksess(&tx, IPMI_INTEG_HMAC_SHA1_96, IPMI_CONF_AES_CBC_128, k1_3, k2_3, 0xA0A2A3A4, 0x302);
    tx.out_seq = 2;
    rmcpp_test_set_iv(p9 + 16);
    n = encode(&tx, setpriv, sizeof(setpriv), out, sizeof(out));
    rmcpp_test_set_iv(NULL);
    assert_int_equal(n, 64);
    assert_memory_equal(out, p9, 64);

    /* #9 decoded on the BMC side */
    mksess(&bmc, IPMI_INTEG_HMAC_SHA1_96, IPMI_CONF_AES_CBC_128, k1_3, k2_3, 0x302, 0xA0A2A3A4);
    assert_int_equal(rmcpp_decode(&bmc, p9, 64, work, &p, &why), 0);
    assert_int_equal(p.seq, 3);
    assert_int_equal(p.len, sizeof(setpriv));
    assert_memory_equal(p.payload, setpriv, sizeof(setpriv));

    /* #10, the reply, decoded by the console */
    mksess(&rx, IPMI_INTEG_HMAC_SHA1_96, IPMI_CONF_AES_CBC_128, k1_3, k2_3, 0xA0A2A3A4, 0x302);
    assert_int_equal(rmcpp_decode(&rx, p10, 64, work, &p, &why), 0);
    assert_int_equal(p.pt, RMCPP_PT_IPMI);
    assert_int_equal(p.sid, 0xA0A2A3A4);
    assert_int_equal(p.seq, 1);
    assert_hex(p.payload, p.len, "811c6320043b00049d");
    assert_int_equal(rx.win.highest, 1);
    /* #9 is not for us */
    assert_int_equal(drop_of(&rx, p9, 64), RMCPP_DROP_SESSION);

    /* wrong K1 (K2 in its place): AuthCode fails */
    struct rmcpp_sess bad;
    mksess(&bad, IPMI_INTEG_HMAC_SHA1_96, IPMI_CONF_AES_CBC_128, k2_3, k2_3, 0xA0A2A3A4, 0x302);
    assert_int_equal(drop_of(&bad, p10, 64), RMCPP_DROP_INTEGRITY);
    assert_int_equal(bad.win.any, 0);
    rmsess(&bad);
    rmsess(&tx);
    rmsess(&bmc);
    rmsess(&rx);
}

static void
test_truncated_oversized(void **state)
{
    uint8_t pkt[1400], work[RMCPP_MAX_PAYLOAD];
    struct rmcpp_sess rx, rx17;
    struct rmcpp_pkt p;
    enum rmcpp_drop why;
    enum rmcpp_ptype pt;
    uint32_t sid;
    size_t n;

    (void)state;
    mksess(&rx, IPMI_INTEG_HMAC_SHA1_96, IPMI_CONF_AES_CBC_128, k1_3, k2_3, 0xA0A2A3A4, 0x302);
    mksess(&rx17, IPMI_INTEG_HMAC_SHA256_128, IPMI_CONF_AES_CBC_128, k1_17, k2_17, 0x302, 1);
    n = unhex(cap10, pkt, sizeof(pkt));
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(rmcpp_decode(&rx, pkt, i, work, &p, &why), IC_EPROTO);
        assert_true(why == RMCPP_DROP_LENGTH || why == RMCPP_DROP_INTEGRITY);
        assert_int_equal(rmcpp_decode_plain(pkt, i, &p, &why), IC_EPROTO);
        if (i < 16)
            assert_int_equal(rmcpp_peek(pkt, i, &pt, &sid), IC_EPROTO);
    }
    assert_int_equal(rmcpp_decode(&rx, NULL, 0, work, &p, &why), IC_EPROTO);
    assert_int_equal(why, RMCPP_DROP_LENGTH);
    /* one byte too many */
    pkt[n] = 0;
    assert_int_equal(drop_of(&rx, pkt, n + 1), RMCPP_DROP_INTEGRITY);
    assert_int_equal(rx.win.any, 0);
    /* declared payload longer than the datagram */
    pkt[14] = 0xff;
    pkt[15] = 0xff;
    assert_int_equal(drop_of(&rx, pkt, n), RMCPP_DROP_LENGTH);
    pkt[14] = 0x21;
    pkt[15] = 0x00;
    assert_int_equal(drop_of(&rx, pkt, n), RMCPP_DROP_INTEGRITY);
    /* more than the largest datagram */
    memset(pkt + n, 0, sizeof(pkt) - n);
    assert_int_equal(drop_of(&rx, pkt, RMCPP_MAX_PACKET + 1), RMCPP_DROP_LENGTH);

    n = unhex(synth17, pkt, sizeof(pkt));
    for (size_t i = 0; i < n; i++)
        assert_int_not_equal(drop_of(&rx17, pkt, i), RMCPP_DROP_NONE);
    assert_int_equal(drop_of(&rx17, pkt, n), RMCPP_DROP_NONE);

    n = unhex(cap4, pkt, sizeof(pkt));
    for (size_t i = 0; i < n; i++)
        assert_int_equal(rmcpp_decode_plain(pkt, i, &p, &why), IC_EPROTO);
    pkt[n] = 0;
    assert_int_equal(rmcpp_decode_plain(pkt, n + 1, &p, &why), IC_EPROTO);
    assert_int_equal(why, RMCPP_DROP_LENGTH);
    pkt[14] = 0x25;
    assert_int_equal(rmcpp_decode_plain(pkt, n, &p, &why), IC_EPROTO);
    assert_int_equal(why, RMCPP_DROP_LENGTH);
    rmsess(&rx);
    rmsess(&rx17);
}

static void
test_plain(void **state)
{
    uint8_t pkt[128], out[1400], pl[RMCPP_MAX_PAYLOAD + 1] = {0};
    struct rmcpp_pkt p;
    enum rmcpp_drop why;
    enum rmcpp_ptype pt;
    uint32_t sid;
    struct buf_wr w;
    size_t n;

    (void)state;
    n = unhex(cap4, pkt, sizeof(pkt));
    assert_int_equal(rmcpp_decode_plain(pkt, n, &p, &why), 0);
    assert_int_equal(p.pt, RMCPP_PT_OPEN_RESP);
    assert_int_equal(p.sid, 0);
    assert_int_equal(p.seq, 0);
    assert_int_equal(p.len, 36);
    assert_ptr_equal(p.payload, pkt + 16);
    assert_int_equal(rmcpp_peek(pkt, n, &pt, &sid), 0);
    assert_int_equal(pt, RMCPP_PT_OPEN_RESP);
    assert_int_equal(sid, 0);

    /* re-encoding gives the same datagram */
    buf_wr_init(&w, out, sizeof(out));
    assert_int_equal(rmcpp_encode_plain(RMCPP_PT_OPEN_RESP, pkt + 16, 36, &w), 0);
    assert_int_equal(w.len, n);
    assert_memory_equal(out, pkt, n);
    for (size_t cap = 0; cap < n; cap++) {
        buf_wr_init(&w, out, cap);
        assert_int_equal(rmcpp_encode_plain(RMCPP_PT_OPEN_RESP, pkt + 16, 36, &w), IC_ETOOBIG);
    }
    buf_wr_init(&w, out, sizeof(out));
    assert_int_equal(rmcpp_encode_plain((enum rmcpp_ptype)0x02, pl, 4, &w), IC_EINVAL);
    assert_int_equal(rmcpp_encode_plain((enum rmcpp_ptype)0x16, pl, 4, &w), IC_EINVAL);
    assert_int_equal(rmcpp_encode_plain(RMCPP_PT_IPMI, pl, RMCPP_MAX_PAYLOAD + 1, &w), IC_ETOOBIG);

    /* a session ID on a session-less packet */
    pkt[6] = 5;
    assert_int_equal(rmcpp_decode_plain(pkt, n, &p, &why), IC_EPROTO);
    assert_int_equal(why, RMCPP_DROP_SESSION);
    pkt[6] = 0;
    /* authenticated / encrypted bits, OEM explicit, unknown types, bad RMCP header */
    static const struct {
        size_t off;
        uint8_t val;
    } hdr[] = {{5, 0x51}, {5, 0x91}, {5, 0x02}, {5, 0x16}, {5, 0x20}, {5, 0x3f},
               {0, 0x07}, {3, 0x87}, {3, 0x06}, {4, 0x00}, {4, 0x02}};
    for (size_t i = 0; i < sizeof(hdr) / sizeof(hdr[0]); i++) {
        uint8_t save = pkt[hdr[i].off];
        pkt[hdr[i].off] = hdr[i].val;
        assert_int_equal(rmcpp_decode_plain(pkt, n, &p, &why), IC_EPROTO);
        assert_int_equal(why, RMCPP_DROP_HEADER);
        pkt[hdr[i].off] = save;
    }
    /* peek does not verify, but needs a whole RMCP+ header */
    n = unhex(cap10, pkt, sizeof(pkt));
    assert_int_equal(rmcpp_peek(pkt, n, &pt, &sid), 0);
    assert_int_equal(pt, RMCPP_PT_IPMI);
    assert_int_equal(sid, 0xA0A2A3A4);
    assert_int_equal(rmcpp_peek(pkt, 16, &pt, &sid), 0);
    assert_int_equal(rmcpp_decode_plain(pkt, n, &p, &why), IC_EPROTO);
    assert_int_equal(why, RMCPP_DROP_HEADER);
    pkt[5] = 0xc2;
    assert_int_equal(rmcpp_peek(pkt, n, &pt, &sid), IC_EPROTO);
    pkt[5] = 0xc0;
    pkt[4] = 0x00; /* IPMI 1.5 framing is not ours */
    assert_int_equal(rmcpp_peek(pkt, n, &pt, &sid), IC_EPROTO);
}

static const enum ipmi_integ_alg integs[] = {IPMI_INTEG_NONE, IPMI_INTEG_HMAC_SHA1_96,
                                             IPMI_INTEG_HMAC_MD5_128, IPMI_INTEG_MD5_128,
                                             IPMI_INTEG_HMAC_SHA256_128};

static void
test_roundtrip_all(void **state)
{
    uint8_t msg[64], pkt[256], work[RMCPP_MAX_PAYLOAD];
    struct rmcpp_sess tx, rx;
    struct rmcpp_pkt p;
    enum rmcpp_drop why;

    (void)state;
    for (size_t i = 0; i < sizeof(msg); i++)
        msg[i] = (uint8_t)(0xA5 ^ i);
    for (size_t a = 0; a < sizeof(integs) / sizeof(integs[0]); a++) {
        for (int c = 0; c < 2; c++) {
            enum ipmi_conf_alg conf = c ? IPMI_CONF_AES_CBC_128 : IPMI_CONF_NONE;
            mksess(&tx, integs[a], conf, NULL, NULL, 0xC0C0C0C0, TEST_SID);
            mksess(&rx, integs[a], conf, NULL, NULL, TEST_SID, 0xC0C0C0C0);
            for (size_t len = 0; len <= sizeof(msg); len++) {
                size_t n = encode(&tx, msg, len, pkt, sizeof(pkt));
                assert_int_equal(n % 4, integs[a] ? 0 : n % 4); /* padded to 4 */
                assert_int_equal(rmcpp_decode(&rx, pkt, n, work, &p, &why), 0);
                assert_int_equal(p.seq, tx.out_seq);
                assert_int_equal(p.len, len);
                assert_int_equal(p.authenticated, integs[a] != IPMI_INTEG_NONE);
                assert_int_equal(p.encrypted, c);
                if (len)
                    assert_memory_equal(p.payload, msg, len);
            }

            /* one packet, tampered byte by byte: nothing gets through */
            size_t n = encode(&tx, msg, 9, pkt, sizeof(pkt));
            struct rmcpp_window before = rx.win;
            for (size_t off = 4; off < n && integs[a]; off++) {
                for (int bit = 0; bit < 8; bit++) {
                    pkt[off] ^= (uint8_t)(1u << bit);
                    enum rmcpp_drop d = drop_of(&rx, pkt, n);
                    assert_int_not_equal(d, RMCPP_DROP_NONE);
                    if (off >= 16)
                        assert_int_equal(d, RMCPP_DROP_INTEGRITY);
                    pkt[off] ^= (uint8_t)(1u << bit);
                }
            }
            assert_memory_equal(&rx.win, &before, sizeof(before));
            /* every truncation and extension of it */
            for (size_t i = 0; i < n; i++)
                assert_int_not_equal(drop_of(&rx, pkt, i), RMCPP_DROP_NONE);
            pkt[n] = 0xFF;
            assert_int_not_equal(drop_of(&rx, pkt, n + 1), RMCPP_DROP_NONE);
            assert_memory_equal(&rx.win, &before, sizeof(before));
            /* the original still passes */
            assert_int_equal(drop_of(&rx, pkt, n), RMCPP_DROP_NONE);
            /* and a wrong session ID is a session drop */
            rx.console_sid ^= 1;
            assert_int_equal(drop_of(&rx, pkt, n), RMCPP_DROP_SESSION);
            rmsess(&tx);
            rmsess(&rx);
        }
    }
}

/* The integrity trailer's structure is checked, even under a valid AuthCode. */
static void
test_trailer_drops(void **state)
{
    uint8_t pkt[1400], payload[16];
    struct rmcpp_sess rx, plain_rx;
    size_t n;

    (void)state;
    memcpy(payload, getdevid, 7);
    mksess(&rx, IPMI_INTEG_HMAC_SHA1_96, IPMI_CONF_NONE, NULL, NULL, TEST_SID, 1);
    /* 12 + 7 = 19: 3 pad bytes make 19 + 3 + 2 = 24 */
    static const uint8_t good[] = {0xff, 0xff, 0xff, 0x03, 0x07};
    n = build(rx.cs, 0x40, TEST_SID, 1, 7, payload, 7, good, sizeof(good), pkt);
    assert_int_equal(drop_of(&rx, pkt, n), RMCPP_DROP_NONE);

    static const uint8_t badpad[] = {0xff, 0xfe, 0xff, 0x03, 0x07};
    static const uint8_t badpadlen[] = {0xff, 0xff, 0xff, 0x02, 0x07};
    static const uint8_t badnext[] = {0xff, 0xff, 0xff, 0x03, 0x06};
    static const uint8_t pad7[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x07, 0x07};
    static const uint8_t unaligned[] = {0xff, 0x01, 0x07};
    static const uint8_t notrailer[] = {0};
    const struct {
        const uint8_t *t;
        size_t len;
    } bad[] = {
        {badpad, sizeof(badpad)}, {badpadlen, sizeof(badpadlen)}, {badnext, sizeof(badnext)},
        {pad7, sizeof(pad7)},     {unaligned, sizeof(unaligned)}, {notrailer, 0},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        n = build(rx.cs, 0x40, TEST_SID, 2, 7, payload, 7, bad[i].t, bad[i].len, pkt);
        assert_int_equal(drop_of(&rx, pkt, n), RMCPP_DROP_INTEGRITY);
    }
    /* authenticated bit without any trailer or AuthCode */
    n = build(NULL, 0x40, TEST_SID, 2, 7, payload, 7, NULL, 0, pkt);
    assert_int_equal(drop_of(&rx, pkt, n), RMCPP_DROP_INTEGRITY);
    /* no authenticated bit on an integrity session */
    n = build(NULL, 0x00, TEST_SID, 2, 7, payload, 7, NULL, 0, pkt);
    assert_int_equal(drop_of(&rx, pkt, n), RMCPP_DROP_INTEGRITY);
    /* an authenticated packet on a session without integrity */
    mksess(&plain_rx, IPMI_INTEG_NONE, IPMI_CONF_NONE, NULL, NULL, TEST_SID, 1);
    n = build(rx.cs, 0x40, TEST_SID, 2, 7, payload, 7, good, sizeof(good), pkt);
    assert_int_equal(drop_of(&plain_rx, pkt, n), RMCPP_DROP_INTEGRITY);
    n = build(NULL, 0x00, TEST_SID, 2, 7, payload, 7, NULL, 0, pkt);
    assert_int_equal(drop_of(&plain_rx, pkt, n), RMCPP_DROP_NONE);
    pkt[n] = 0;
    assert_int_equal(drop_of(&plain_rx, pkt, n + 1), RMCPP_DROP_LENGTH);
    /* a payload longer than any work buffer, without encryption */
    static uint8_t huge[RMCPP_MAX_PAYLOAD + 4];
    n = build(NULL, 0x00, TEST_SID, 3, RMCPP_MAX_PAYLOAD + 4, huge, sizeof(huge), NULL, 0, pkt);
    assert_int_equal(drop_of(&plain_rx, pkt, n), RMCPP_DROP_LENGTH);

    /* header drops on a session */
    n = build(rx.cs, 0x40, TEST_SID, 3, 7, payload, 7, good, sizeof(good), pkt);
    static const struct {
        size_t off;
        uint8_t val;
    } hdr[] = {{0, 0x07}, {3, 0x87}, {4, 0x00}, {5, 0x42}, {5, 0x50}, {5, 0x55}};
    for (size_t i = 0; i < sizeof(hdr) / sizeof(hdr[0]); i++) {
        uint8_t save = pkt[hdr[i].off];
        pkt[hdr[i].off] = hdr[i].val;
        assert_int_equal(drop_of(&rx, pkt, n), RMCPP_DROP_HEADER);
        pkt[hdr[i].off] = save;
    }
    assert_int_equal(drop_of(&rx, pkt, n), RMCPP_DROP_NONE);
    /* SOL payloads are session traffic too */
    n = build(rx.cs, 0x41, TEST_SID, 4, 7, payload, 7, good, sizeof(good), pkt);
    assert_int_equal(drop_of(&rx, pkt, n), RMCPP_DROP_NONE);
    rmsess(&rx);
    rmsess(&plain_rx);
}

/* Encrypts plain (whole blocks, pad included by the caller) behind IV 0..15. */
static size_t
enc_payload(struct crypto_sess *cs, const uint8_t *plain, size_t len, uint8_t *out)
{
    for (int i = 0; i < 16; i++)
        out[i] = (uint8_t)(0x30 + i);
    assert_int_equal(crypto_sess_encrypt(cs, out, plain, len, out + 16), 0);
    return 16 + len;
}

static void
test_confidentiality_drops(void **state)
{
    uint8_t pkt[1400], pl[1200], plain[1100], work[RMCPP_MAX_PAYLOAD];
    struct rmcpp_sess rx, tx_clear;
    struct rmcpp_pkt p;
    enum rmcpp_drop why;
    size_t n, pn;
    static const uint8_t tr2[] = {0xff, 0xff, 0x02, 0x07}; /* 12 + 16n + 4 */

    (void)state;
    mksess(&rx, IPMI_INTEG_HMAC_SHA256_128, IPMI_CONF_AES_CBC_128, NULL, NULL, TEST_SID, 1);

    /* a good one by hand: 15 pad bytes and no data at all */
    for (int i = 0; i < 15; i++)
        plain[i] = (uint8_t)(i + 1);
    plain[15] = 15;
    pn = enc_payload(rx.cs, plain, 16, pl);
    n = build(rx.cs, 0xc0, TEST_SID, 1, (uint16_t)pn, pl, pn, tr2, sizeof(tr2), pkt);
    assert_int_equal(rmcpp_decode(&rx, pkt, n, work, &p, &why), 0);
    assert_int_equal(p.len, 0);

    /* encrypted bit missing (a cleartext packet with a good AuthCode) */
    mksess(&tx_clear, IPMI_INTEG_HMAC_SHA256_128, IPMI_CONF_NONE, NULL, NULL, 1, TEST_SID);
    tx_clear.out_seq = 5;
    n = encode(&tx_clear, getdevid, sizeof(getdevid), pkt, sizeof(pkt));
    assert_int_equal(drop_of(&rx, pkt, n), RMCPP_DROP_CONFIDENTIALITY);
    /* and the reverse: encrypted bit on a cleartext session */
    struct rmcpp_sess rx_clear;
    mksess(&rx_clear, IPMI_INTEG_HMAC_SHA256_128, IPMI_CONF_NONE, NULL, NULL, TEST_SID, 1);
    n = build(rx.cs, 0xc0, TEST_SID, 2, (uint16_t)pn, pl, pn, tr2, sizeof(tr2), pkt);
    assert_int_equal(drop_of(&rx_clear, pkt, n), RMCPP_DROP_CONFIDENTIALITY);

    /* payload length not 16 + 16n */
    static const uint8_t tr1[] = {0xff, 0x01, 0x07};
    memset(pl + 32, 0, 8);
    n = build(rx.cs, 0xc0, TEST_SID, 2, 40, pl, 40, tr2, sizeof(tr2), pkt);
    assert_int_equal(drop_of(&rx, pkt, n), RMCPP_DROP_CONFIDENTIALITY);
    n = build(rx.cs, 0xc0, TEST_SID, 2, 16, pl, 16, tr2, sizeof(tr2), pkt);
    assert_int_equal(drop_of(&rx, pkt, n), RMCPP_DROP_CONFIDENTIALITY);
    n = build(rx.cs, 0xc0, TEST_SID, 2, 0, pl, 0, tr2, sizeof(tr2), pkt);
    assert_int_equal(drop_of(&rx, pkt, n), RMCPP_DROP_CONFIDENTIALITY);
    n = build(rx.cs, 0xc0, TEST_SID, 2, 33, pl, 33, tr1, sizeof(tr1), pkt);
    assert_int_equal(drop_of(&rx, pkt, n), RMCPP_DROP_CONFIDENTIALITY);

    /* decrypted pad invalid */
    static const char *const pads[] = {
        "20 18 c8 81 04 01 7a 01 02 03 04 05 06 07 08 10", /* N = 16 > 15 */
        "20 18 c8 81 04 01 7a 01 02 03 04 05 06 07 08 09", /* N = 9, bytes 7,8 not 1,2 */
        "20 18 c8 81 04 01 7a 01 02 03 04 05 06 08 07 08", /* 01..08 out of order */
        "20 18 c8 81 04 01 7a 00 00 00 00 00 00 00 00 08", /* zero pad */
        "20 18 c8 81 04 01 7a 01 02 03 04 05 06 07 08 ff", /* N = 255 */
        "01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10", /* N = 16 = whole block */
    };
    for (size_t i = 0; i < sizeof(pads) / sizeof(pads[0]); i++) {
        assert_int_equal(unhex(pads[i], plain, sizeof(plain)), 16);
        pn = enc_payload(rx.cs, plain, 16, pl);
        n = build(rx.cs, 0xc0, TEST_SID, 3, (uint16_t)pn, pl, pn, tr2, sizeof(tr2), pkt);
        assert_int_equal(drop_of(&rx, pkt, n), RMCPP_DROP_CONFIDENTIALITY);
    }
    assert_int_equal(rx.win.highest, 1); /* no broken packet moved the window */
    /* a valid pad with the same framing passes */
    assert_int_equal(unhex("20 18 c8 81 04 01 7a 01 02 03 04 05 06 07 08 08", plain, 16), 16);
    pn = enc_payload(rx.cs, plain, 16, pl);
    n = build(rx.cs, 0xc0, TEST_SID, 3, (uint16_t)pn, pl, pn, tr2, sizeof(tr2), pkt);
    assert_int_equal(rmcpp_decode(&rx, pkt, n, work, &p, &why), 0);
    assert_int_equal(p.len, 7);
    assert_memory_equal(p.payload, getdevid, 7);

    /* ciphertext larger than the work buffer */
    memset(plain, 0, 1040);
    plain[1039] = 0;
    pn = enc_payload(rx.cs, plain, 1040, pl);
    n = build(rx.cs, 0xc0, TEST_SID, 4, (uint16_t)pn, pl, pn, tr2, sizeof(tr2), pkt);
    assert_true(n <= RMCPP_MAX_PACKET);
    assert_int_equal(drop_of(&rx, pkt, n), RMCPP_DROP_LENGTH);
    rmsess(&rx);
    rmsess(&tx_clear);
    rmsess(&rx_clear);
}

static struct rmcpp_window
win_at(uint32_t seq)
{
    struct rmcpp_window w = {0};

    assert_int_equal(rmcpp_window_check(&w, seq), 0);
    return w;
}

static void
test_window(void **state)
{
    struct rmcpp_window w = {0};

    (void)state;
    /* first packet: any non-zero number; 0 never */
    assert_int_equal(rmcpp_window_check(&w, 0), IC_EPROTO);
    assert_int_equal(w.any, 0);
    assert_int_equal(rmcpp_window_check(&w, 0xFFFFFFFF), 0);
    assert_int_equal(rmcpp_window_check(&w, 0xFFFFFFFF), IC_EPROTO);
    w = win_at(7);
    assert_int_equal(rmcpp_window_check(&w, 7), IC_EPROTO);

    /* edges: -16 in, -17 out, +15 in, +16 out */
    w = win_at(100);
    assert_int_equal(rmcpp_window_check(&w, 84), 0);
    assert_int_equal(rmcpp_window_check(&w, 84), IC_EPROTO);
    w = win_at(100);
    assert_int_equal(rmcpp_window_check(&w, 83), IC_EPROTO);
    w = win_at(100);
    assert_int_equal(rmcpp_window_check(&w, 115), 0);
    assert_int_equal(w.highest, 115);
    w = win_at(100);
    assert_int_equal(rmcpp_window_check(&w, 116), IC_EPROTO);
    assert_int_equal(rmcpp_window_check(&w, 0x80000064), IC_EPROTO);
    assert_int_equal(w.highest, 100);

    /* out of order, duplicates remembered across moves */
    w = win_at(100);
    assert_int_equal(rmcpp_window_check(&w, 95), 0);
    assert_int_equal(rmcpp_window_check(&w, 95), IC_EPROTO);
    assert_int_equal(rmcpp_window_check(&w, 98), 0);
    assert_int_equal(rmcpp_window_check(&w, 101), 0);
    assert_int_equal(rmcpp_window_check(&w, 95), IC_EPROTO);
    assert_int_equal(rmcpp_window_check(&w, 98), IC_EPROTO);
    assert_int_equal(rmcpp_window_check(&w, 100), IC_EPROTO);
    assert_int_equal(rmcpp_window_check(&w, 99), 0);
    assert_int_equal(rmcpp_window_check(&w, 85), 0);
    assert_int_equal(rmcpp_window_check(&w, 84), IC_EPROTO);
    /* a full jump forward keeps only what is still in range */
    assert_int_equal(rmcpp_window_check(&w, 116), 0);
    assert_int_equal(rmcpp_window_check(&w, 101), IC_EPROTO);
    assert_int_equal(rmcpp_window_check(&w, 100), IC_EPROTO); /* -16, seen */
    assert_int_equal(rmcpp_window_check(&w, 99), IC_EPROTO);  /* now -17 */
    assert_int_equal(rmcpp_window_check(&w, 102), 0);         /* -14, not seen */

    /* 32-bit wrap-around (senders skip 0) */
    w = win_at(0xFFFFFFF8);
    assert_int_equal(rmcpp_window_check(&w, 0xFFFFFFFF), 0);
    assert_int_equal(rmcpp_window_check(&w, 0), IC_EPROTO);
    assert_int_equal(rmcpp_window_check(&w, 1), 0);
    assert_int_equal(w.highest, 1);
    assert_int_equal(rmcpp_window_check(&w, 0xFFFFFFFF), IC_EPROTO);
    assert_int_equal(rmcpp_window_check(&w, 0xFFFFFFF8), IC_EPROTO);
    assert_int_equal(rmcpp_window_check(&w, 0xFFFFFFF1), 0);         /* 1 - 16 */
    assert_int_equal(rmcpp_window_check(&w, 0xFFFFFFF0), IC_EPROTO); /* 1 - 17 */
    assert_int_equal(rmcpp_window_check(&w, 0xFFFFFFFA), 0);
    w = win_at(0xFFFFFFF5);
    assert_int_equal(rmcpp_window_check(&w, 4), 0); /* +15 across the wrap */
    w = win_at(0xFFFFFFF5);
    assert_int_equal(rmcpp_window_check(&w, 5), IC_EPROTO); /* +16 */
    w = win_at(5);
    assert_int_equal(rmcpp_window_check(&w, 0xFFFFFFF5), 0); /* 5 - 16 across the wrap */
    assert_int_equal(rmcpp_window_check(&w, 0xFFFFFFF4), IC_EPROTO);
    assert_int_equal(rmcpp_window_check(&w, 0), IC_EPROTO);
}

static void
test_window_in_decode(void **state)
{
    uint8_t pkt[128], forged[128];
    struct rmcpp_sess tx, rx;
    size_t n;

    (void)state;
    mksess(&tx, IPMI_INTEG_HMAC_SHA1_96, IPMI_CONF_AES_CBC_128, NULL, NULL, 1, TEST_SID);
    mksess(&rx, IPMI_INTEG_HMAC_SHA1_96, IPMI_CONF_AES_CBC_128, NULL, NULL, TEST_SID, 1);
    n = encode(&tx, getdevid, 7, pkt, sizeof(pkt));
    assert_int_equal(drop_of(&rx, pkt, n), RMCPP_DROP_NONE);
    assert_int_equal(drop_of(&rx, pkt, n), RMCPP_DROP_SEQUENCE);

    /* a forgery at +15 (bad AuthCode) is an integrity drop and leaves the window */
    tx.out_seq = 15;
    n = encode(&tx, getdevid, 7, pkt, sizeof(pkt));
    memcpy(forged, pkt, n);
    forged[n - 1] ^= 0x01;
    struct rmcpp_window before = rx.win;
    assert_int_equal(drop_of(&rx, forged, n), RMCPP_DROP_INTEGRITY);
    assert_memory_equal(&rx.win, &before, sizeof(before));
    /* a forged replay of an old number is reported as integrity, not sequence */
    tx.out_seq = 0;
    n = encode(&tx, getdevid, 7, forged, sizeof(forged));
    forged[n - 1] ^= 0x01;
    assert_int_equal(drop_of(&rx, forged, n), RMCPP_DROP_INTEGRITY);
    /* the genuine +15 packet is still accepted */
    assert_int_equal(rx.win.highest, 1);
    tx.out_seq = 15;
    n = encode(&tx, getdevid, 7, pkt, sizeof(pkt));
    assert_int_equal(drop_of(&rx, pkt, n), RMCPP_DROP_NONE);
    assert_int_equal(rx.win.highest, 16);
    /* +16 is outside */
    tx.out_seq = 31;
    n = encode(&tx, getdevid, 7, pkt, sizeof(pkt));
    assert_int_equal(drop_of(&rx, pkt, n), RMCPP_DROP_SEQUENCE);
    rmsess(&tx);
    rmsess(&rx);
}

static void
test_encode_limits(void **state)
{
    uint8_t out[1400], big[RMCPP_MAX_PAYLOAD + 1] = {0}, a[128], b[128];
    struct rmcpp_sess tx;
    struct buf_wr w;
    size_t n;

    (void)state;
    for (size_t ai = 0; ai < sizeof(integs) / sizeof(integs[0]); ai++) {
        mksess(&tx, integs[ai], IPMI_CONF_AES_CBC_128, NULL, NULL, 1, TEST_SID);
        n = encode(&tx, getdevid, 7, out, sizeof(out));
        for (size_t cap = 0; cap < n; cap++) {
            buf_wr_init(&w, out, cap);
            assert_int_equal(rmcpp_encode(&tx, RMCPP_PT_IPMI, getdevid, 7, &w), IC_ETOOBIG);
        }
        /* the largest payload fits a datagram */
        buf_wr_init(&w, out, sizeof(out));
        assert_int_equal(rmcpp_encode(&tx, RMCPP_PT_IPMI, big, RMCPP_MAX_PAYLOAD, &w), 0);
        assert_true(w.len <= RMCPP_MAX_PACKET);
        assert_int_equal(rmcpp_encode(&tx, RMCPP_PT_IPMI, big, RMCPP_MAX_PAYLOAD + 1, &w),
                         IC_ETOOBIG);
        rmsess(&tx);
    }

    mksess(&tx, IPMI_INTEG_HMAC_SHA1_96, IPMI_CONF_AES_CBC_128, NULL, NULL, 1, TEST_SID);
    /* sequence numbers wrap to 1, never 0 */
    tx.out_seq = 0xFFFFFFFF;
    n = encode(&tx, getdevid, 7, out, sizeof(out));
    assert_int_equal(tx.out_seq, 1);
    assert_hex(out + 10, 4, "01000000");
    /* fresh random IV per packet */
    encode(&tx, getdevid, 7, a, sizeof(a));
    encode(&tx, getdevid, 7, b, sizeof(b));
    assert_memory_not_equal(a + 16, b + 16, 16);
    /* bad arguments */
    buf_wr_init(&w, out, sizeof(out));
    assert_int_equal(rmcpp_encode(&tx, (enum rmcpp_ptype)0x02, getdevid, 7, &w), IC_EINVAL);
    struct crypto_sess *cs = tx.cs;
    tx.cs = NULL;
    assert_int_equal(rmcpp_encode(&tx, RMCPP_PT_IPMI, getdevid, 7, &w), IC_EINVAL);
    tx.cs = cs;
    tx.conf = (enum ipmi_conf_alg)2;
    assert_int_equal(rmcpp_encode(&tx, RMCPP_PT_IPMI, getdevid, 7, &w), IC_EINVAL);
    rmsess(&tx);

    /* no integrity, no confidentiality: header and payload only */
    mksess(&tx, IPMI_INTEG_NONE, IPMI_CONF_NONE, NULL, NULL, 1, TEST_SID);
    n = encode(&tx, getdevid, 7, out, sizeof(out));
    assert_int_equal(n, 16 + 7);
    assert_hex(out, 16, "06 00 ff 07 06 00 78563412 01000000 0700");
    rmsess(&tx);
}

static void
test_drop_str(void **state)
{
    (void)state;
    for (int d = 0; d < RMCPP_DROP_COUNT; d++)
        assert_string_not_equal(rmcpp_drop_str((enum rmcpp_drop)d), "unknown");
    assert_string_equal(rmcpp_drop_str(RMCPP_DROP_INTEGRITY), "integrity");
    assert_string_equal(rmcpp_drop_str(RMCPP_DROP_COUNT), "unknown");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_synthetic_suite17),
        cmocka_unit_test(test_capture_suite3),
        cmocka_unit_test(test_truncated_oversized),
        cmocka_unit_test(test_plain),
        cmocka_unit_test(test_roundtrip_all),
        cmocka_unit_test(test_trailer_drops),
        cmocka_unit_test(test_confidentiality_drops),
        cmocka_unit_test(test_window),
        cmocka_unit_test(test_window_in_decode),
        cmocka_unit_test(test_encode_limits),
        cmocka_unit_test(test_drop_str),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
