/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_rmcp.c - RMCP header classification, ASF ping/pong and IPMI 1.5
 * framing (poller/rmcp.c). Fixtures are captured bytes: the reference's
 * §1.2 / §12.2 capture (ipmitool <-> ipmi_sim) and bmcsim replies. The BMC
 * side: pings decoded, pongs rebuilt byte-exact, the 1.5 auth caps probe
 * (#1) answered byte-exact (#2) through rmcp + ipmi_msg.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "test_util.h"

#include "rmcp.h"
#include "ipmi_msg.h"
#include "buf.h"
#include "ic_err.h"

/* §1.2: captured presence ping (tag 0) and pong. */
static const uint8_t ping_cap[] = {0x06, 0x00, 0xff, 0x06, 0x00, 0x00,
                                   0x11, 0xbe, 0x80, 0x00, 0x00, 0x00};
static const uint8_t pong_cap[] = {0x06, 0x00, 0xff, 0x06, 0x00, 0x00, 0x11, 0xbe, 0x40, 0x00,
                                   0x00, 0x10, 0x00, 0x00, 0x11, 0xbe, 0x00, 0x00, 0x00, 0x00,
                                   0x81, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
/* bmcsim pong to a ping with tag 5. */
static const uint8_t pong_tag5[] = {0x06, 0x00, 0xff, 0x06, 0x00, 0x00, 0x11, 0xbe, 0x40, 0x05,
                                    0x00, 0x10, 0x00, 0x00, 0x11, 0xbe, 0x00, 0x00, 0x00, 0x00,
                                    0x81, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
/* §12.2 #1: Get Channel Auth Caps request in 1.5 framing. */
static const uint8_t pkt1[] = {0x06, 0x00, 0xff, 0x07, 0x00, 0x00, 0x00, 0x00,
                               0x00, 0x00, 0x00, 0x00, 0x00, 0x09, 0x20, 0x18,
                               0xc8, 0x81, 0x00, 0x38, 0x8e, 0x04, 0xb5};
/* §12.2 #2: its reply. */
static const uint8_t pkt2[] = {0x06, 0x00, 0xff, 0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                               0x00, 0x00, 0x00, 0x10, 0x81, 0x1c, 0x63, 0x20, 0x00, 0x38,
                               0x00, 0x01, 0x95, 0x04, 0x03, 0x00, 0x00, 0x00, 0x00, 0x0b};
/* §12.2 #3: Open Session Request (RMCP+). */
static const uint8_t pkt3[] = {
    0x06, 0x00, 0xff, 0x07, 0x06, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x20, 0x00,
    0x00, 0x00, 0x00, 0x00, 0xa4, 0xa3, 0xa2, 0xa0, 0x00, 0x00, 0x00, 0x08, 0x01, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x00, 0x08, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x08, 0x01, 0x00, 0x00, 0x00};
/* §12.2 #9: first 16 bytes (header) of the encrypted Set Session Privilege. */
static const uint8_t pkt9_hdr[] = {0x06, 0x00, 0xff, 0x07, 0x06, 0xc0, 0x02, 0x03,
                                   0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x20, 0x00};

static void
test_classify(void **state)
{
    (void)state;
    assert_int_equal(rmcp_classify(pong_cap, sizeof(pong_cap)), RMCP_KIND_ASF);
    assert_int_equal(rmcp_classify(ping_cap, sizeof(ping_cap)), RMCP_KIND_ASF);
    assert_int_equal(rmcp_classify(pkt1, sizeof(pkt1)), RMCP_KIND_V15);
    assert_int_equal(rmcp_classify(pkt2, sizeof(pkt2)), RMCP_KIND_V15);
    assert_int_equal(rmcp_classify(pkt3, sizeof(pkt3)), RMCP_KIND_V20);
    assert_int_equal(rmcp_classify(pkt9_hdr, sizeof(pkt9_hdr)), RMCP_KIND_V20);
    /* The auth type byte's high nibble is reserved. */
    uint8_t v20hi[] = {0x06, 0x00, 0xff, 0x07, 0x16};
    assert_int_equal(rmcp_classify(v20hi, sizeof(v20hi)), RMCP_KIND_V20);
    uint8_t md5[] = {0x06, 0x00, 0xff, 0x07, 0x02};
    assert_int_equal(rmcp_classify(md5, sizeof(md5)), RMCP_KIND_V15);
}

static void
test_classify_bad(void **state)
{
    (void)state;
    assert_int_equal(rmcp_classify(NULL, 0), IC_EPROTO);
    /* Every prefix too short to hold the header (and auth type for IPMI). */
    for (size_t n = 0; n <= RMCP_HDR_LEN; n++) {
        uint8_t *q = dup_n(pkt2, n);
        assert_int_equal(rmcp_classify(q, n), IC_EPROTO);
        free(q);
    }
    for (size_t n = 0; n < RMCP_HDR_LEN; n++) {
        uint8_t *q = dup_n(pong_cap, n);
        assert_int_equal(rmcp_classify(q, n), IC_EPROTO);
        free(q);
    }
    uint8_t ack[] = {0x06, 0x00, 0xff, 0x86};
    assert_int_equal(rmcp_classify(ack, sizeof(ack)), IC_EPROTO);
    uint8_t ack_ipmi[] = {0x06, 0x00, 0xff, 0x87, 0x00};
    assert_int_equal(rmcp_classify(ack_ipmi, sizeof(ack_ipmi)), IC_EPROTO);
    uint8_t badver[] = {0x07, 0x00, 0xff, 0x07, 0x06};
    assert_int_equal(rmcp_classify(badver, sizeof(badver)), IC_EPROTO);
    uint8_t oem[] = {0x06, 0x00, 0xff, 0x08, 0x06};
    assert_int_equal(rmcp_classify(oem, sizeof(oem)), IC_EPROTO);
    uint8_t zero[] = {0x00, 0x00, 0x00, 0x00, 0x00};
    assert_int_equal(rmcp_classify(zero, sizeof(zero)), IC_EPROTO);
}

static void
test_encode_ping(void **state)
{
    (void)state;
    uint8_t out[32];
    struct buf_wr w;
    buf_wr_init(&w, out, sizeof(out));
    assert_int_equal(rmcp_encode_ping(0x00, &w), 0);
    assert_int_equal(w.len, sizeof(ping_cap));
    assert_memory_equal(out, ping_cap, sizeof(ping_cap));

    buf_wr_init(&w, out, 12);
    assert_int_equal(rmcp_encode_ping(0x05, &w), 0);
    assert_int_equal(w.len, 12);
    assert_int_equal(out[9], 0x05);

    buf_wr_init(&w, out, sizeof(out));
    assert_int_equal(rmcp_encode_ping(0xFF, &w), IC_EINVAL);

    buf_wr_init(&w, out, 11);
    assert_int_equal(rmcp_encode_ping(0x01, &w), IC_ETOOBIG);
}

static void
test_decode_pong(void **state)
{
    (void)state;
    struct rmcp_pong pg;
    assert_int_equal(rmcp_decode_pong(pong_cap, sizeof(pong_cap), &pg), 0);
    assert_int_equal(pg.tag, 0x00);
    assert_int_equal(pg.iana, ASF_IANA);
    assert_int_equal(pg.entities, 0x81);
    assert_true(pg.entities & 0x80); /* IPMI supported */
    assert_int_equal(pg.interactions, 0x00);

    assert_int_equal(rmcp_decode_pong(pong_tag5, sizeof(pong_tag5), &pg), 0);
    assert_int_equal(pg.tag, 0x05);
    assert_int_equal(pg.iana, ASF_IANA);
    assert_int_equal(pg.entities, 0x81);

    /* An OEM IANA in the data and other interaction bits are reported. */
    uint8_t oem[sizeof(pong_cap)];
    memcpy(oem, pong_cap, sizeof(oem));
    oem[12] = 0x00;
    oem[13] = 0x00;
    oem[14] = 0x7e;
    oem[15] = 0xd9;
    oem[20] = 0x01;
    oem[21] = 0x21;
    assert_int_equal(rmcp_decode_pong(oem, sizeof(oem), &pg), 0);
    assert_int_equal(pg.iana, 32473);
    assert_int_equal(pg.entities, 0x01);
    assert_int_equal(pg.interactions, 0x21);

    /* A longer data length is fine if the datagram holds it all. */
    uint8_t longer[sizeof(pong_cap) + 1];
    memcpy(longer, pong_cap, sizeof(pong_cap));
    longer[11] = 0x11;
    longer[sizeof(pong_cap)] = 0;
    assert_int_equal(rmcp_decode_pong(longer, sizeof(longer), &pg), 0);
}

static void
expect_bad_pong(const uint8_t *p, size_t n)
{
    struct rmcp_pong pg;
    memset(&pg, 0xAA, sizeof(pg));
    uint8_t *q = dup_n(p, n);
    assert_int_equal(rmcp_decode_pong(q, n, &pg), IC_EPROTO);
    assert_int_equal(pg.tag, 0);
    assert_int_equal(pg.iana, 0);
    free(q);
}

static void
test_decode_pong_bad(void **state)
{
    (void)state;
    for (size_t n = 0; n < sizeof(pong_cap); n++)
        expect_bad_pong(pong_cap, n);
    /* One byte more than the data length says. */
    uint8_t extra[sizeof(pong_cap) + 1] = {0};
    memcpy(extra, pong_cap, sizeof(pong_cap));
    expect_bad_pong(extra, sizeof(extra));

    struct {
        size_t off;
        uint8_t val;
    } mut[] = {
        {0, 0x07},  /* RMCP version */
        {3, 0x07},  /* class IPMI */
        {3, 0x86},  /* RMCP ACK */
        {7, 0xbf},  /* IANA */
        {8, 0x80},  /* a ping, not a pong */
        {11, 0x0f}, /* data length too small */
        {11, 0x11}, /* data length beyond the datagram */
        {11, 0xff},
    };
    for (size_t i = 0; i < sizeof(mut) / sizeof(mut[0]); i++) {
        uint8_t m[sizeof(pong_cap)];
        memcpy(m, pong_cap, sizeof(m));
        m[mut[i].off] = mut[i].val;
        expect_bad_pong(m, sizeof(m));
    }
    expect_bad_pong(ping_cap, sizeof(ping_cap));
    expect_bad_pong(pkt2, sizeof(pkt2));
}

static void
test_encode_v15(void **state)
{
    (void)state;
    uint8_t msg[16], out[64];
    struct buf_wr w;
    /* Rebuild §12.2 #1 from its parts. */
    const uint8_t data[] = {0x8e, 0x04};
    buf_wr_init(&w, msg, sizeof(msg));
    assert_int_equal(ipmi_msg_encode_req(IPMI_NETFN_APP, 0, 0, 0x38, data, 2, &w), 0);
    size_t mlen = w.len;
    buf_wr_init(&w, out, sizeof(out));
    assert_int_equal(rmcp_encode_v15(msg, mlen, &w), 0);
    assert_int_equal(w.len, sizeof(pkt1));
    assert_memory_equal(out, pkt1, sizeof(pkt1));

    /* Exactly enough room, then one byte short. */
    buf_wr_init(&w, out, sizeof(pkt1));
    assert_int_equal(rmcp_encode_v15(msg, mlen, &w), 0);
    buf_wr_init(&w, out, sizeof(pkt1) - 1);
    assert_int_equal(rmcp_encode_v15(msg, mlen, &w), IC_ETOOBIG);

    buf_wr_init(&w, out, sizeof(out));
    assert_int_equal(rmcp_encode_v15(msg, 0, &w), IC_EINVAL);
    assert_int_equal(rmcp_encode_v15(NULL, 5, &w), IC_EINVAL);
    uint8_t big[300] = {0};
    uint8_t bigout[300 + 14];
    buf_wr_init(&w, bigout, sizeof(bigout));
    assert_int_equal(rmcp_encode_v15(big, 256, &w), IC_EINVAL);
    buf_wr_init(&w, bigout, sizeof(bigout));
    assert_int_equal(rmcp_encode_v15(big, 255, &w), 0);
    assert_int_equal(w.len, 14 + 255);
    assert_int_equal(bigout[13], 255);
}

static void
test_decode_v15(void **state)
{
    (void)state;
    const uint8_t *m;
    size_t mlen;
    uint8_t *q = dup_n(pkt2, sizeof(pkt2));
    assert_int_equal(rmcp_decode_v15(q, sizeof(pkt2), &m, &mlen), 0);
    assert_ptr_equal(m, q + 14);
    assert_int_equal(mlen, 16);
    assert_memory_equal(m, pkt2 + 14, 16);
    free(q);

    /* bmcsim's reply (MD2/MD5/straight enabled) and our own request. */
    static const uint8_t sim[] = {0x06, 0x00, 0xff, 0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                                  0x00, 0x00, 0x00, 0x10, 0x81, 0x1c, 0x63, 0x20, 0x00, 0x38,
                                  0x00, 0x01, 0x96, 0x04, 0x03, 0x00, 0x00, 0x00, 0x00, 0x0a};
    assert_int_equal(rmcp_decode_v15(sim, sizeof(sim), &m, &mlen), 0);
    assert_int_equal(mlen, 16);
    assert_int_equal(m[8], 0x96);
    assert_int_equal(rmcp_decode_v15(pkt1, sizeof(pkt1), &m, &mlen), 0);
    assert_int_equal(mlen, 9);
    assert_ptr_equal(m, pkt1 + 14);

    /* One 0x00 legacy pad byte is tolerated. */
    uint8_t pad[sizeof(pkt2) + 1];
    memcpy(pad, pkt2, sizeof(pkt2));
    pad[sizeof(pkt2)] = 0x00;
    assert_int_equal(rmcp_decode_v15(pad, sizeof(pad), &m, &mlen), 0);
    assert_int_equal(mlen, 16);

    /* A non-zero session sequence is not checked (no session yet). */
    uint8_t seq[sizeof(pkt2)];
    memcpy(seq, pkt2, sizeof(pkt2));
    seq[5] = 0x01;
    assert_int_equal(rmcp_decode_v15(seq, sizeof(seq), &m, &mlen), 0);
}

static void
expect_bad_v15(const uint8_t *p, size_t n)
{
    const uint8_t *m = (const uint8_t *)"x";
    size_t mlen = 99;
    uint8_t *q = dup_n(p, n);
    assert_int_equal(rmcp_decode_v15(q, n, &m, &mlen), IC_EPROTO);
    assert_null(m);
    assert_int_equal(mlen, 0);
    free(q);
}

static void
test_decode_v15_bad(void **state)
{
    (void)state;
    for (size_t n = 0; n < sizeof(pkt2); n++)
        expect_bad_v15(pkt2, n);

    uint8_t m[sizeof(pkt2) + 2];
    memcpy(m, pkt2, sizeof(pkt2));
    m[sizeof(pkt2)] = 0x01; /* pad byte that is not 0x00 */
    expect_bad_v15(m, sizeof(pkt2) + 1);
    m[sizeof(pkt2)] = 0x00;
    m[sizeof(pkt2) + 1] = 0x00; /* two trailing bytes */
    expect_bad_v15(m, sizeof(pkt2) + 2);

    struct {
        size_t off;
        uint8_t val;
    } mut[] = {
        {0, 0x07},              /* RMCP version */
        {3, 0x06},              /* class ASF */
        {3, 0x87},              /* RMCP ACK */
        {4, 0x02},              /* auth type MD5: an AuthCode would follow */
        {4, 0x06},              /* RMCP+ */
        {9, 0x01},              /* session ID != 0 */
        {12, 0x80},             /* session ID != 0 (MS byte) */
        {13, 0x00},             /* zero message length */
        {13, 0x11},             /* message length beyond the datagram */
        {13, 0xff}, {13, 0x0e}, /* message length 2 short: 2 trailing bytes */
    };
    for (size_t i = 0; i < sizeof(mut) / sizeof(mut[0]); i++) {
        memcpy(m, pkt2, sizeof(pkt2));
        m[mut[i].off] = mut[i].val;
        expect_bad_v15(m, sizeof(pkt2));
    }
    expect_bad_v15(pong_cap, sizeof(pong_cap));
    expect_bad_v15(pkt3, sizeof(pkt3));

    /* An MD5 packet with a 16-byte AuthCode is refused, not mis-parsed. */
    uint8_t md5[14 + 16 + 1 + 9] = {0x06, 0x00, 0xff, 0x07, 0x02};
    md5[29] = 9;
    expect_bad_v15(md5, sizeof(md5));
}

static void
test_v15_roundtrip(void **state)
{
    (void)state;
    uint8_t msg[255], out[300];
    for (size_t i = 0; i < sizeof(msg); i++)
        msg[i] = (uint8_t)(i * 7 + 3);
    for (size_t n = 1; n <= sizeof(msg); n += 37) {
        struct buf_wr w;
        const uint8_t *m;
        size_t mlen;
        buf_wr_init(&w, out, sizeof(out));
        assert_int_equal(rmcp_encode_v15(msg, n, &w), 0);
        assert_int_equal(rmcp_classify(out, w.len), RMCP_KIND_V15);
        assert_int_equal(rmcp_decode_v15(out, w.len, &m, &mlen), 0);
        assert_int_equal(mlen, n);
        assert_memory_equal(m, msg, n);
    }
}

/* ---- BMC side: ping decoded, pong encoded, the 1.5 probe answered ------ */

static void
test_decode_ping(void **state)
{
    (void)state;
    uint8_t tag = 0xAA, out[32];
    struct buf_wr w;

    uint8_t *q = dup_n(ping_cap, sizeof(ping_cap));
    assert_int_equal(rmcp_decode_ping(q, sizeof(ping_cap), &tag), 0);
    assert_int_equal(tag, 0x00);
    free(q);

    /* Round trip with the client's encoder, every tag it can send. */
    for (unsigned t = 0; t < 0xFF; t++) {
        buf_wr_init(&w, out, sizeof(out));
        assert_int_equal(rmcp_encode_ping((uint8_t)t, &w), 0);
        assert_int_equal(rmcp_decode_ping(out, w.len, &tag), 0);
        assert_int_equal(tag, t);
    }
    /* Tag 0xFF is well-formed; whether to answer is the caller's choice. */
    uint8_t m[sizeof(ping_cap) + 1];
    memcpy(m, ping_cap, sizeof(ping_cap));
    m[9] = 0xFF;
    assert_int_equal(rmcp_decode_ping(m, sizeof(ping_cap), &tag), 0);
    assert_int_equal(tag, 0xFF);
}

static void
expect_bad_ping(const uint8_t *p, size_t n)
{
    uint8_t tag = 0xAA;
    uint8_t *q = dup_n(p, n);
    assert_int_equal(rmcp_decode_ping(q, n, &tag), IC_EPROTO);
    assert_int_equal(tag, 0);
    free(q);
}

static void
test_decode_ping_bad(void **state)
{
    (void)state;
    uint8_t tag;
    assert_int_equal(rmcp_decode_ping(NULL, 0, &tag), IC_EPROTO);
    for (size_t n = 0; n < sizeof(ping_cap); n++)
        expect_bad_ping(ping_cap, n);
    /* A trailing byte, with and without a data length that claims it. */
    uint8_t m[sizeof(ping_cap) + 1];
    memcpy(m, ping_cap, sizeof(ping_cap));
    m[sizeof(ping_cap)] = 0;
    expect_bad_ping(m, sizeof(m));
    m[11] = 1;
    expect_bad_ping(m, sizeof(m));
    m[11] = 0xFF;
    expect_bad_ping(m, sizeof(m));
    expect_bad_ping(m, sizeof(ping_cap));
    /* Version, ACK bit, class, IANA, message type. */
    const struct {
        size_t off;
        uint8_t v;
    } mut[] = {{0, 0x07}, {3, 0x86}, {3, 0x07}, {3, 0x08}, {4, 0x01},
               {7, 0xbf}, {8, 0x40}, {8, 0x00}, {8, 0x81}};
    for (size_t i = 0; i < sizeof(mut) / sizeof(mut[0]); i++) {
        memcpy(m, ping_cap, sizeof(ping_cap));
        m[mut[i].off] = mut[i].v;
        expect_bad_ping(m, sizeof(ping_cap));
    }
    /* Neither a pong nor an IPMI datagram is a ping. */
    expect_bad_ping(pong_cap, sizeof(pong_cap));
    expect_bad_ping(pkt1, sizeof(pkt1));
    expect_bad_ping(pkt3, sizeof(pkt3));
}

static void
test_encode_pong(void **state)
{
    (void)state;
    uint8_t out[32];
    struct buf_wr w;
    struct rmcp_pong pg;

    /* Byte-exact: the §1.2 capture (tag 0) and bmcsim's tag-5 pong. */
    buf_wr_init(&w, out, sizeof(out));
    assert_int_equal(rmcp_encode_pong(0x00, &w), 0);
    assert_int_equal(w.len, sizeof(pong_cap));
    assert_memory_equal(out, pong_cap, sizeof(pong_cap));
    buf_wr_init(&w, out, sizeof(out));
    assert_int_equal(rmcp_encode_pong(0x05, &w), 0);
    assert_int_equal(w.len, sizeof(pong_tag5));
    assert_memory_equal(out, pong_tag5, sizeof(pong_tag5));

    /* Round trip with the client's decoder, every tag. */
    for (unsigned t = 0; t <= 0xFF; t++) {
        buf_wr_init(&w, out, 28);
        assert_int_equal(rmcp_encode_pong((uint8_t)t, &w), 0);
        assert_int_equal(rmcp_classify(out, w.len), RMCP_KIND_ASF);
        assert_int_equal(rmcp_decode_pong(out, w.len, &pg), 0);
        assert_int_equal(pg.tag, t);
        assert_int_equal(pg.iana, ASF_IANA);
        assert_int_equal(pg.entities, 0x81);
        assert_int_equal(pg.interactions, 0);
    }
    for (size_t cap = 0; cap < sizeof(pong_cap); cap++) {
        buf_wr_init(&w, out, cap);
        assert_int_equal(rmcp_encode_pong(0x01, &w), IC_ETOOBIG);
    }
}

/* §12.2 #1 -> #2 as a BMC: unwrap, decode the request, answer, wrap. */
static void
test_v15_bmc_side(void **state)
{
    (void)state;
    const uint8_t *msg;
    size_t msglen;
    struct ipmi_msg_req rq;
    uint8_t resp[64], out[64];
    struct buf_wr w;

    uint8_t *q = dup_n(pkt1, sizeof(pkt1));
    assert_int_equal(rmcp_classify(q, sizeof(pkt1)), RMCP_KIND_V15);
    assert_int_equal(rmcp_decode_v15(q, sizeof(pkt1), &msg, &msglen), 0);
    assert_int_equal(ipmi_msg_decode_req(msg, msglen, &rq), 0);
    assert_int_equal(rq.netfn, IPMI_NETFN_APP);
    assert_int_equal(rq.cmd, 0x38);
    assert_int_equal(rq.len, 2);

    const uint8_t ac[] = {0x01, 0x95, 0x04, 0x03, 0x00, 0x00, 0x00, 0x00};
    buf_wr_init(&w, resp, sizeof(resp));
    assert_int_equal(ipmi_msg_encode_resp(&rq, 0x00, ac, sizeof(ac), &w), 0);
    size_t rlen = w.len;
    buf_wr_init(&w, out, sizeof(out));
    assert_int_equal(rmcp_encode_v15(resp, rlen, &w), 0);
    assert_int_equal(w.len, sizeof(pkt2));
    assert_memory_equal(out, pkt2, sizeof(pkt2));
    free(q);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_classify),        cmocka_unit_test(test_classify_bad),
        cmocka_unit_test(test_encode_ping),     cmocka_unit_test(test_decode_pong),
        cmocka_unit_test(test_decode_pong_bad), cmocka_unit_test(test_encode_v15),
        cmocka_unit_test(test_decode_v15),      cmocka_unit_test(test_decode_v15_bad),
        cmocka_unit_test(test_v15_roundtrip),   cmocka_unit_test(test_decode_ping),
        cmocka_unit_test(test_decode_ping_bad), cmocka_unit_test(test_encode_pong),
        cmocka_unit_test(test_v15_bmc_side),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
