/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_ipmi_msg.c - IPMI LAN message framing, checksums and completion code
 * text (poller/ipmi_msg.c). Fixtures are from the reference's §1.7, §1.8 and
 * §12 capture (ipmitool <-> ipmi_sim). The BMC side: captured requests
 * decoded, their captured responses rebuilt byte-exact, both new codecs
 * round-tripped with the client's, truncated and hostile messages refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "test_util.h"

#include "ipmi_msg.h"
#include "buf.h"
#include "ic_err.h"

/* §12.2 #1: Get Channel Auth Caps request message. */
static const uint8_t req_authcap[] = {0x20, 0x18, 0xc8, 0x81, 0x00, 0x38, 0x8e, 0x04, 0xb5};
/* §12.2 #2: its response message: cc 00, data 01 95 04 03 00 00 00 00. */
static const uint8_t rsp_authcap[] = {0x81, 0x1c, 0x63, 0x20, 0x00, 0x38, 0x00, 0x01,
                                      0x95, 0x04, 0x03, 0x00, 0x00, 0x00, 0x00, 0x0b};
/* §1.8 / §12.2 #9 plaintext: Set Session Privilege Level (4), rqSeq 1. */
static const uint8_t req_setpriv[] = {0x20, 0x18, 0xc8, 0x81, 0x04, 0x3b, 0x04, 0x3c};
/* §12.2 #10 plaintext: its response, cc 00, new level 4. */
static const uint8_t rsp_setpriv[] = {0x81, 0x1c, 0x63, 0x20, 0x04, 0x3b, 0x00, 0x04, 0x9d};
/* §12.1: Get Device ID, rqSeq 1. */
static const uint8_t req_devid[] = {0x20, 0x18, 0xc8, 0x81, 0x04, 0x01, 0x7a};

static int
sums_to_zero(const uint8_t *p, size_t n)
{
    unsigned s = 0;
    for (size_t i = 0; i < n; i++)
        s += p[i];
    return (s & 0xFF) == 0;
}

static void
test_checksum(void **state)
{
    (void)state;
    const uint8_t a[] = {0x20, 0x18};
    const uint8_t b[] = {0x81, 0x00, 0x38, 0x8e, 0x04};
    assert_int_equal(ipmi_checksum(a, sizeof(a)), 0xc8);
    assert_int_equal(ipmi_checksum(b, sizeof(b)), 0xb5);
    assert_int_equal(ipmi_checksum(NULL, 0), 0x00);
    const uint8_t z[] = {0x00};
    assert_int_equal(ipmi_checksum(z, 1), 0x00);
    const uint8_t one[] = {0x01};
    assert_int_equal(ipmi_checksum(one, 1), 0xff);
    /* A block including its own checksum sums to zero. */
    assert_int_equal(ipmi_checksum(req_authcap, 3), 0);
    assert_int_equal(ipmi_checksum(req_authcap + 3, sizeof(req_authcap) - 3), 0);
    uint8_t ff[300];
    memset(ff, 0xff, sizeof(ff));
    assert_int_equal(ipmi_checksum(ff, sizeof(ff)), (uint8_t)(0x100 - (300 * 0xff) % 256));
}

static void
encode_ok(uint8_t netfn, uint8_t lun, uint8_t seq, uint8_t cmd, const uint8_t *data, size_t len,
          const uint8_t *want, size_t wantlen)
{
    uint8_t out[300];
    struct buf_wr w;
    buf_wr_init(&w, out, sizeof(out));
    assert_int_equal(ipmi_msg_encode_req(netfn, lun, seq, cmd, data, len, &w), 0);
    assert_int_equal(w.len, wantlen);
    assert_memory_equal(out, want, wantlen);
}

static void
test_encode_req(void **state)
{
    (void)state;
    const uint8_t d_authcap[] = {0x8e, 0x04};
    const uint8_t d_priv[] = {0x04};
    encode_ok(IPMI_NETFN_APP, 0, 0, 0x38, d_authcap, 2, req_authcap, sizeof(req_authcap));
    encode_ok(IPMI_NETFN_APP, 0, 1, 0x3b, d_priv, 1, req_setpriv, sizeof(req_setpriv));
    encode_ok(IPMI_NETFN_APP, 0, 1, 0x01, NULL, 0, req_devid, sizeof(req_devid));

    /* rsLUN in byte 1, rqSeq in byte 4, both checksums still hold. */
    uint8_t out[300];
    struct buf_wr w;
    buf_wr_init(&w, out, sizeof(out));
    assert_int_equal(ipmi_msg_encode_req(IPMI_NETFN_SE, 2, 63, 0x2d, d_priv, 1, &w), 0);
    assert_int_equal(w.len, 8);
    assert_int_equal(out[0], IPMI_BMC_ADDR);
    assert_int_equal(out[1], 0x04 << 2 | 2);
    assert_int_equal(out[3], IPMI_CONSOLE_ADDR);
    assert_int_equal(out[4], 63 << 2);
    assert_int_equal(out[5], 0x2d);
    assert_int_equal(out[6], 0x04);
    assert_true(sums_to_zero(out, 3));
    assert_true(sums_to_zero(out + 3, 5));

    /* The largest request: IPMI_MAX_DATA data bytes. */
    uint8_t data[IPMI_MAX_DATA];
    for (size_t i = 0; i < sizeof(data); i++)
        data[i] = (uint8_t)(0xA5 ^ i);
    buf_wr_init(&w, out, sizeof(out));
    assert_int_equal(ipmi_msg_encode_req(IPMI_NETFN_STORAGE, 0, 5, 0x11, data, sizeof(data), &w),
                     0);
    assert_int_equal(w.len, 7 + IPMI_MAX_DATA);
    assert_memory_equal(out + 6, data, sizeof(data));
    assert_true(sums_to_zero(out, 3));
    assert_true(sums_to_zero(out + 3, w.len - 3));
}

static void
test_encode_req_bad(void **state)
{
    (void)state;
    uint8_t out[300], data[IPMI_MAX_DATA + 1] = {0};
    struct buf_wr w;
    buf_wr_init(&w, out, sizeof(out));
    assert_int_equal(ipmi_msg_encode_req(0x07, 0, 0, 1, NULL, 0, &w), IC_EINVAL); /* odd netFn */
    assert_int_equal(ipmi_msg_encode_req(0x40, 0, 0, 1, NULL, 0, &w), IC_EINVAL);
    assert_int_equal(ipmi_msg_encode_req(0x06, 4, 0, 1, NULL, 0, &w), IC_EINVAL);
    assert_int_equal(ipmi_msg_encode_req(0x06, 0, 64, 1, NULL, 0, &w), IC_EINVAL);
    assert_int_equal(ipmi_msg_encode_req(0x06, 0, 0, 1, NULL, 1, &w), IC_EINVAL);
    assert_int_equal(ipmi_msg_encode_req(0x06, 0, 0, 1, data, sizeof(data), &w), IC_EINVAL);
    assert_int_equal(w.len, 0);

    /* Room for exactly the message, then one byte less. */
    const uint8_t d[] = {0x8e, 0x04};
    buf_wr_init(&w, out, sizeof(req_authcap));
    assert_int_equal(ipmi_msg_encode_req(0x06, 0, 0, 0x38, d, 2, &w), 0);
    for (size_t cap = 0; cap < sizeof(req_authcap); cap++) {
        buf_wr_init(&w, out, cap);
        assert_int_equal(ipmi_msg_encode_req(0x06, 0, 0, 0x38, d, 2, &w), IC_ETOOBIG);
    }
}

static void
test_decode_resp(void **state)
{
    (void)state;
    struct ipmi_msg_resp rs;
    uint8_t *q = dup_n(rsp_authcap, sizeof(rsp_authcap));
    assert_int_equal(ipmi_msg_decode_resp(q, sizeof(rsp_authcap), &rs), 0);
    assert_int_equal(rs.rq_addr, IPMI_CONSOLE_ADDR);
    assert_int_equal(rs.netfn, IPMI_NETFN_APP | 1);
    assert_int_equal(rs.rq_lun, 0);
    assert_int_equal(rs.rs_addr, IPMI_BMC_ADDR);
    assert_int_equal(rs.rq_seq, 0);
    assert_int_equal(rs.rs_lun, 0);
    assert_int_equal(rs.cmd, 0x38);
    assert_int_equal(rs.cc, 0x00);
    assert_ptr_equal(rs.data, q + 7);
    assert_int_equal(rs.len, 8);
    const uint8_t want[] = {0x01, 0x95, 0x04, 0x03, 0x00, 0x00, 0x00, 0x00};
    assert_memory_equal(rs.data, want, sizeof(want));
    free(q);

    assert_int_equal(ipmi_msg_decode_resp(rsp_setpriv, sizeof(rsp_setpriv), &rs), 0);
    assert_int_equal(rs.netfn, 0x07);
    assert_int_equal(rs.rq_seq, 1);
    assert_int_equal(rs.cmd, 0x3b);
    assert_int_equal(rs.cc, 0x00);
    assert_int_equal(rs.len, 1);
    assert_int_equal(rs.data[0], 0x04);

    /* The shortest response: no data after the completion code. */
    uint8_t cc_only[8] = {0x81, 0x1c, 0x63, 0x20, 0x08, 0x01, 0xc1, 0};
    cc_only[7] = ipmi_checksum(cc_only + 3, 4);
    assert_int_equal(ipmi_msg_decode_resp(cc_only, sizeof(cc_only), &rs), 0);
    assert_int_equal(rs.rq_seq, 2);
    assert_int_equal(rs.cmd, 0x01);
    assert_int_equal(rs.cc, 0xc1);
    assert_int_equal(rs.len, 0);
    assert_null(rs.data);

    /* LUNs: rqLUN in byte 1, rsLUN in byte 4. */
    uint8_t lun[8] = {0x81, 0x14 << 2 | 3, 0, 0x20, 0x3f << 2 | 2, 0x2d, 0x00, 0};
    lun[2] = ipmi_checksum(lun, 2);
    lun[7] = ipmi_checksum(lun + 3, 4);
    assert_int_equal(ipmi_msg_decode_resp(lun, sizeof(lun), &rs), 0);
    assert_int_equal(rs.netfn, 0x14);
    assert_int_equal(rs.rq_lun, 3);
    assert_int_equal(rs.rq_seq, 0x3f);
    assert_int_equal(rs.rs_lun, 2);
}

/* Builds a response with len data bytes and valid checksums into out. */
static size_t
make_resp(uint8_t *out, size_t dlen)
{
    out[0] = 0x81;
    out[1] = 0x0b << 2;
    out[2] = ipmi_checksum(out, 2);
    out[3] = 0x20;
    out[4] = 0x04;
    out[5] = 0x11;
    out[6] = 0x00;
    for (size_t i = 0; i < dlen; i++)
        out[7 + i] = (uint8_t)i;
    out[7 + dlen] = ipmi_checksum(out + 3, 4 + dlen);
    return 8 + dlen;
}

static void
expect_bad_resp(const uint8_t *p, size_t n)
{
    struct ipmi_msg_resp rs;
    memset(&rs, 0xAA, sizeof(rs));
    uint8_t *q = dup_n(p, n);
    assert_int_equal(ipmi_msg_decode_resp(q, n, &rs), IC_EPROTO);
    assert_null(rs.data);
    assert_int_equal(rs.len, 0);
    assert_int_equal(rs.cc, 0);
    free(q);
}

static void
test_decode_resp_bad(void **state)
{
    (void)state;
    struct ipmi_msg_resp rs;
    assert_int_equal(ipmi_msg_decode_resp(NULL, 0, &rs), IC_EPROTO);
    for (size_t n = 0; n < sizeof(rsp_authcap); n++)
        expect_bad_resp(rsp_authcap, n);
    for (size_t n = 0; n < sizeof(rsp_setpriv); n++)
        expect_bad_resp(rsp_setpriv, n);

    /* Any single-byte change breaks one of the two checksums. */
    uint8_t m[sizeof(rsp_authcap)];
    for (size_t i = 0; i < sizeof(m); i++) {
        memcpy(m, rsp_authcap, sizeof(m));
        m[i] ^= 0x01;
        expect_bad_resp(m, sizeof(m));
    }
    /* Checksum 1 wrong but the total of all bytes still zero. */
    memcpy(m, rsp_authcap, sizeof(m));
    m[2]++;
    m[sizeof(m) - 1]--;
    expect_bad_resp(m, sizeof(m));
    /* A trailing non-zero byte becomes part of block 2 and breaks its checksum. */
    uint8_t tail[sizeof(rsp_authcap) + 1];
    memcpy(tail, rsp_authcap, sizeof(rsp_authcap));
    tail[sizeof(rsp_authcap)] = 0x01;
    expect_bad_resp(tail, sizeof(tail));

    /* Largest accepted response, then one data byte more. */
    static uint8_t big[8 + IPMI_MAX_DATA + 1];
    size_t n = make_resp(big, IPMI_MAX_DATA);
    assert_int_equal(n, 8 + IPMI_MAX_DATA);
    uint8_t *q = dup_n(big, n);
    assert_int_equal(ipmi_msg_decode_resp(q, n, &rs), 0);
    assert_int_equal(rs.len, IPMI_MAX_DATA);
    assert_int_equal(rs.netfn, 0x0b);
    free(q);
    n = make_resp(big, IPMI_MAX_DATA + 1);
    expect_bad_resp(big, n);
}

static void
test_cc_str(void **state)
{
    (void)state;
    assert_string_equal(ipmi_cc_str(0x00), "command completed normally");
    assert_string_equal(ipmi_cc_str(0xc0), "node busy");
    assert_string_equal(ipmi_cc_str(0xc1), "invalid or unsupported command");
    assert_string_equal(ipmi_cc_str(0xc5), "reservation cancelled or invalid reservation ID");
    assert_string_equal(ipmi_cc_str(0xcb), "requested sensor, data or record not present");
    assert_string_equal(ipmi_cc_str(0xcc), "invalid data field in request");
    assert_string_equal(ipmi_cc_str(0xd4), "insufficient privilege level");
    assert_string_equal(ipmi_cc_str(0xd5), "command not supported in present state");
    assert_string_equal(ipmi_cc_str(0xd6), "command sub-function disabled or unavailable");
    assert_string_equal(ipmi_cc_str(0xff), "unspecified error");
    assert_string_equal(ipmi_cc_str(0x80), "command-specific error");
    assert_string_equal(ipmi_cc_str(0x87), "command-specific error");
    assert_string_equal(ipmi_cc_str(0xbe), "command-specific error");
    assert_string_equal(ipmi_cc_str(0x01), "OEM or device-specific error");
    assert_string_equal(ipmi_cc_str(0x7e), "OEM or device-specific error");
    assert_string_equal(ipmi_cc_str(0x7f), "reserved completion code");
    assert_string_equal(ipmi_cc_str(0xbf), "reserved completion code");
    assert_string_equal(ipmi_cc_str(0xd7), "reserved completion code");
    assert_string_equal(ipmi_cc_str(0xfe), "reserved completion code");
    /* Every Table 5-2 code has its own text; no code is NULL or empty. */
    for (unsigned a = 0xc0; a <= 0xd6; a++)
        for (unsigned b = a + 1; b <= 0xd6; b++)
            assert_string_not_equal(ipmi_cc_str((uint8_t)a), ipmi_cc_str((uint8_t)b));
    for (unsigned cc = 0; cc <= 0xff; cc++) {
        const char *s = ipmi_cc_str((uint8_t)cc);
        assert_non_null(s);
        assert_true(s[0] != '\0');
    }
}

/* ---- BMC side: requests decoded, responses encoded ------------------- */

static void
test_decode_req(void **state)
{
    (void)state;
    struct ipmi_msg_req rq;
    /* §12.2 #1 as the BMC reads it. */
    uint8_t *q = dup_n(req_authcap, sizeof(req_authcap));
    assert_int_equal(ipmi_msg_decode_req(q, sizeof(req_authcap), &rq), 0);
    assert_int_equal(rq.rs_addr, IPMI_BMC_ADDR);
    assert_int_equal(rq.netfn, IPMI_NETFN_APP);
    assert_int_equal(rq.rs_lun, 0);
    assert_int_equal(rq.rq_addr, IPMI_CONSOLE_ADDR);
    assert_int_equal(rq.rq_seq, 0);
    assert_int_equal(rq.rq_lun, 0);
    assert_int_equal(rq.cmd, 0x38);
    assert_ptr_equal(rq.data, q + 6);
    assert_int_equal(rq.len, 2);
    assert_int_equal(rq.data[0], 0x8e);
    assert_int_equal(rq.data[1], 0x04);
    free(q);

    assert_int_equal(ipmi_msg_decode_req(req_setpriv, sizeof(req_setpriv), &rq), 0);
    assert_int_equal(rq.rq_seq, 1);
    assert_int_equal(rq.cmd, 0x3b);
    assert_int_equal(rq.len, 1);
    assert_int_equal(rq.data[0], 0x04);
    /* The shortest request: no data. */
    assert_int_equal(ipmi_msg_decode_req(req_devid, sizeof(req_devid), &rq), 0);
    assert_int_equal(rq.cmd, 0x01);
    assert_int_equal(rq.len, 0);
    assert_null(rq.data);

    /* Round trip with the client's encoder: every LUN, rqSeq edges, data sizes. */
    static uint8_t data[IPMI_MAX_DATA], out[8 + IPMI_MAX_DATA];
    for (size_t i = 0; i < sizeof(data); i++)
        data[i] = (uint8_t)(i * 13 + 1);
    const size_t lens[] = {0, 1, 2, 17, IPMI_MAX_DATA - 1, IPMI_MAX_DATA};
    for (uint8_t lun = 0; lun < 4; lun++) {
        for (size_t l = 0; l < sizeof(lens) / sizeof(lens[0]); l++) {
            uint8_t seq = (uint8_t)(l * 63 / 5);
            struct buf_wr w;
            buf_wr_init(&w, out, sizeof(out));
            assert_int_equal(
                ipmi_msg_encode_req(IPMI_NETFN_STORAGE, lun, seq, 0x23, data, lens[l], &w), 0);
            q = dup_n(out, w.len);
            assert_int_equal(ipmi_msg_decode_req(q, w.len, &rq), 0);
            assert_int_equal(rq.rs_addr, IPMI_BMC_ADDR);
            assert_int_equal(rq.netfn, IPMI_NETFN_STORAGE);
            assert_int_equal(rq.rs_lun, lun);
            assert_int_equal(rq.rq_addr, IPMI_CONSOLE_ADDR);
            assert_int_equal(rq.rq_seq, seq);
            assert_int_equal(rq.rq_lun, 0);
            assert_int_equal(rq.cmd, 0x23);
            assert_int_equal(rq.len, lens[l]);
            if (lens[l])
                assert_memory_equal(rq.data, data, lens[l]);
            free(q);
        }
    }
    /* rqLUN (byte 4, bits 1:0) and other console addresses are taken as sent. */
    uint8_t lun[7] = {0x20, 0x06 << 2, 0, 0x8d, 0x2a << 2 | 3, 0x01, 0};
    lun[2] = ipmi_checksum(lun, 2);
    lun[6] = ipmi_checksum(lun + 3, 3);
    assert_int_equal(ipmi_msg_decode_req(lun, sizeof(lun), &rq), 0);
    assert_int_equal(rq.rq_addr, 0x8d);
    assert_int_equal(rq.rq_seq, 0x2a);
    assert_int_equal(rq.rq_lun, 3);
}

static void
expect_bad_req(const uint8_t *p, size_t n)
{
    struct ipmi_msg_req rq;
    memset(&rq, 0xAA, sizeof(rq));
    uint8_t *q = dup_n(p, n);
    assert_int_equal(ipmi_msg_decode_req(q, n, &rq), IC_EPROTO);
    assert_null(rq.data);
    assert_int_equal(rq.len, 0);
    assert_int_equal(rq.cmd, 0);
    free(q);
}

/* Builds a request with dlen data bytes, netFn nf and valid checksums into out. */
static size_t
make_req(uint8_t *out, uint8_t nf, size_t dlen)
{
    out[0] = 0x20;
    out[1] = (uint8_t)(nf << 2);
    out[2] = ipmi_checksum(out, 2);
    out[3] = 0x81;
    out[4] = 0x08;
    out[5] = 0x11;
    for (size_t i = 0; i < dlen; i++)
        out[6 + i] = (uint8_t)(i ^ 0x5c);
    out[6 + dlen] = ipmi_checksum(out + 3, 3 + dlen);
    return 7 + dlen;
}

static void
test_decode_req_bad(void **state)
{
    (void)state;
    struct ipmi_msg_req rq;
    assert_int_equal(ipmi_msg_decode_req(NULL, 0, &rq), IC_EPROTO);
    assert_int_equal(ipmi_msg_decode_req(NULL, 7, &rq), IC_EPROTO);
    for (size_t n = 0; n < sizeof(req_authcap); n++)
        expect_bad_req(req_authcap, n);
    for (size_t n = 0; n < sizeof(req_devid); n++)
        expect_bad_req(req_devid, n);

    /* Any single-bit change breaks one of the two checksums. */
    uint8_t m[sizeof(req_authcap)];
    for (size_t i = 0; i < sizeof(m); i++) {
        for (int b = 0; b < 8; b++) {
            memcpy(m, req_authcap, sizeof(m));
            m[i] ^= (uint8_t)(1u << b);
            expect_bad_req(m, sizeof(m));
        }
    }
    /* Checksum 1 wrong but the total of all bytes still zero. */
    memcpy(m, req_authcap, sizeof(m));
    m[2]++;
    m[sizeof(m) - 1]--;
    expect_bad_req(m, sizeof(m));
    /* A trailing byte is part of block 2 and breaks its checksum. */
    uint8_t tail[sizeof(req_authcap) + 1];
    memcpy(tail, req_authcap, sizeof(req_authcap));
    tail[sizeof(req_authcap)] = 0x01;
    expect_bad_req(tail, sizeof(tail));

    /* A response (odd netFn) with valid checksums is not a request. */
    static uint8_t big[7 + IPMI_MAX_DATA + 1];
    for (uint8_t nf = 0; nf < 64; nf++) {
        size_t n = make_req(big, nf, 3);
        if (nf & 1) {
            expect_bad_req(big, n);
        } else {
            assert_int_equal(ipmi_msg_decode_req(big, n, &rq), 0);
            assert_int_equal(rq.netfn, nf);
        }
    }
    expect_bad_req(rsp_authcap, sizeof(rsp_authcap));
    /* Largest accepted request, then one data byte more. */
    size_t n = make_req(big, IPMI_NETFN_APP, IPMI_MAX_DATA);
    uint8_t *q = dup_n(big, n);
    assert_int_equal(ipmi_msg_decode_req(q, n, &rq), 0);
    assert_int_equal(rq.len, IPMI_MAX_DATA);
    free(q);
    n = make_req(big, IPMI_NETFN_APP, IPMI_MAX_DATA + 1);
    expect_bad_req(big, n);
}

static void
test_encode_resp(void **state)
{
    (void)state;
    struct ipmi_msg_req rq;
    struct ipmi_msg_resp rs;
    struct buf_wr w;
    static uint8_t out[8 + IPMI_MAX_DATA];

    /* §12.2 #2 answered to #1, byte-exact. */
    assert_int_equal(ipmi_msg_decode_req(req_authcap, sizeof(req_authcap), &rq), 0);
    const uint8_t ac[] = {0x01, 0x95, 0x04, 0x03, 0x00, 0x00, 0x00, 0x00};
    buf_wr_init(&w, out, sizeof(out));
    assert_int_equal(ipmi_msg_encode_resp(&rq, 0x00, ac, sizeof(ac), &w), 0);
    assert_int_equal(w.len, sizeof(rsp_authcap));
    assert_memory_equal(out, rsp_authcap, sizeof(rsp_authcap));
    for (size_t cap = 0; cap < sizeof(rsp_authcap); cap++) {
        buf_wr_init(&w, out, cap);
        assert_int_equal(ipmi_msg_encode_resp(&rq, 0x00, ac, sizeof(ac), &w), IC_ETOOBIG);
    }
    /* §12.2 #10 plaintext answered to #9, byte-exact. */
    assert_int_equal(ipmi_msg_decode_req(req_setpriv, sizeof(req_setpriv), &rq), 0);
    const uint8_t lvl[] = {0x04};
    buf_wr_init(&w, out, sizeof(out));
    assert_int_equal(ipmi_msg_encode_resp(&rq, 0x00, lvl, 1, &w), 0);
    assert_int_equal(w.len, sizeof(rsp_setpriv));
    assert_memory_equal(out, rsp_setpriv, sizeof(rsp_setpriv));

    /* Round trip: addresses swapped, netFn | 1, LUNs and rqSeq echoed, cc and data. */
    static uint8_t data[IPMI_MAX_DATA];
    for (size_t i = 0; i < sizeof(data); i++)
        data[i] = (uint8_t)(0xff - i);
    const size_t lens[] = {0, 1, 100, IPMI_MAX_DATA};
    for (unsigned k = 0; k < 64; k++) {
        struct ipmi_msg_req in = {.rs_addr = (uint8_t)(0x20 + k),
                                  .netfn = (uint8_t)((k * 2) & 0x3e),
                                  .rs_lun = (uint8_t)(k & 3),
                                  .rq_addr = (uint8_t)(0x81 + (k % 13)),
                                  .rq_seq = (uint8_t)k,
                                  .rq_lun = (uint8_t)((k >> 2) & 3),
                                  .cmd = (uint8_t)(k * 5)};
        size_t len = lens[k % 4];
        uint8_t cc = (uint8_t)(k * 7);
        buf_wr_init(&w, out, sizeof(out));
        assert_int_equal(ipmi_msg_encode_resp(&in, cc, len ? data : NULL, len, &w), 0);
        assert_int_equal(w.len, 8 + len);
        uint8_t *q = dup_n(out, w.len);
        assert_int_equal(ipmi_msg_decode_resp(q, w.len, &rs), 0);
        assert_int_equal(rs.rq_addr, in.rq_addr);
        assert_int_equal(rs.netfn, in.netfn | 1);
        assert_int_equal(rs.rq_lun, in.rq_lun);
        assert_int_equal(rs.rs_addr, in.rs_addr);
        assert_int_equal(rs.rq_seq, in.rq_seq);
        assert_int_equal(rs.rs_lun, in.rs_lun);
        assert_int_equal(rs.cmd, in.cmd);
        assert_int_equal(rs.cc, cc);
        assert_int_equal(rs.len, len);
        if (len)
            assert_memory_equal(rs.data, data, len);
        free(q);
    }

    /* Out-of-range fields and data are refused before anything is written. */
    assert_int_equal(ipmi_msg_decode_req(req_authcap, sizeof(req_authcap), &rq), 0);
    struct ipmi_msg_req bad;
    static uint8_t toolong[IPMI_MAX_DATA + 1];
    buf_wr_init(&w, out, sizeof(out));
    bad = rq;
    bad.netfn = 0x40;
    assert_int_equal(ipmi_msg_encode_resp(&bad, 0, NULL, 0, &w), IC_EINVAL);
    bad = rq;
    bad.rs_lun = 4;
    assert_int_equal(ipmi_msg_encode_resp(&bad, 0, NULL, 0, &w), IC_EINVAL);
    bad = rq;
    bad.rq_lun = 4;
    assert_int_equal(ipmi_msg_encode_resp(&bad, 0, NULL, 0, &w), IC_EINVAL);
    bad = rq;
    bad.rq_seq = 64;
    assert_int_equal(ipmi_msg_encode_resp(&bad, 0, NULL, 0, &w), IC_EINVAL);
    assert_int_equal(ipmi_msg_encode_resp(&rq, 0, NULL, 1, &w), IC_EINVAL);
    assert_int_equal(ipmi_msg_encode_resp(&rq, 0, toolong, sizeof(toolong), &w), IC_EINVAL);
    assert_int_equal(w.len, 0);
    /* A cc-only reply: 8 bytes. */
    assert_int_equal(ipmi_msg_encode_resp(&rq, 0xc1, NULL, 0, &w), 0);
    assert_int_equal(w.len, 8);
    assert_int_equal(ipmi_msg_decode_resp(out, w.len, &rs), 0);
    assert_int_equal(rs.cc, 0xc1);
    assert_int_equal(rs.len, 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_checksum),        cmocka_unit_test(test_encode_req),
        cmocka_unit_test(test_encode_req_bad),  cmocka_unit_test(test_decode_resp),
        cmocka_unit_test(test_decode_resp_bad), cmocka_unit_test(test_cc_str),
        cmocka_unit_test(test_decode_req),      cmocka_unit_test(test_decode_req_bad),
        cmocka_unit_test(test_encode_resp),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
