/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_ipmi_msg.c - IPMI LAN message framing, checksums and completion code
 * text (poller/ipmi_msg.c). Fixtures are from the reference's §1.7, §1.8 and
 * §12 capture (ipmitool <-> ipmi_sim).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

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

static uint8_t *
dup_n(const uint8_t *p, size_t n)
{
    uint8_t *q = malloc(n ? n : 1);
    assert_non_null(q);
    if (n)
        memcpy(q, p, n);
    return q;
}

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

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_checksum),        cmocka_unit_test(test_encode_req),
        cmocka_unit_test(test_encode_req_bad),  cmocka_unit_test(test_decode_resp),
        cmocka_unit_test(test_decode_resp_bad), cmocka_unit_test(test_cc_str),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
