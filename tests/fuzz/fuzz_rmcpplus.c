/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_rmcpplus.c - inbound RMCP+ datagrams (rmcpplus.c): rmcpp_decode on
 * fixed sessions keyed from the reference test vectors (§12.1 suite 17,
 * §12.2 suite 3 in both directions, and the other integrity algorithms),
 * rmcpp_decode_plain and rmcpp_peek. The seed corpus holds the real
 * packets, so the fuzzer starts from inputs that pass every check.
 * Invariants are checked with __builtin_trap().
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "crypto.h"
#include "ic_err.h"
#include "rmcpplus.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t k1_17[32] = {0xdc, 0x4f, 0xe7, 0x3d, 0x07, 0x53, 0x06, 0xf6, 0x89, 0x71, 0x15,
                                  0xdd, 0x63, 0x25, 0x73, 0x85, 0xe8, 0x45, 0xc1, 0x04, 0x04, 0xfa,
                                  0x1d, 0x73, 0x99, 0x17, 0x90, 0xc6, 0xa1, 0x01, 0xbe, 0xc2};
static const uint8_t k2_17[32] = {0x2a, 0x4f, 0x96, 0x9e, 0xa6, 0xdf, 0xa8, 0x30, 0x66, 0xf3, 0x66,
                                  0x74, 0xfd, 0xc2, 0xfe, 0xa2, 0x89, 0xfa, 0x1a, 0x21, 0xda, 0x90,
                                  0x30, 0x3e, 0x9b, 0x52, 0x69, 0xb5, 0x4e, 0xc5, 0xad, 0xb5};
static const uint8_t k1_3[20] = {0x6a, 0x6f, 0x07, 0x37, 0x7c, 0x24, 0x7f, 0x5a, 0x0b, 0xcf,
                                 0x0c, 0x0a, 0x0a, 0xb3, 0x16, 0xe6, 0x43, 0xb5, 0x75, 0xf1};
static const uint8_t k2_3[20] = {0x06, 0x4a, 0x14, 0x16, 0xfa, 0x4f, 0xd1, 0xf1, 0xa6, 0x8d,
                                 0xec, 0x2b, 0xa5, 0x67, 0x82, 0x69, 0x7c, 0x8a, 0x81, 0xc1};

struct cfg {
    enum ipmi_integ_alg integ;
    enum ipmi_conf_alg conf;
    const uint8_t *k1, *k2;
    size_t k1len;
    uint32_t console_sid;
};

static const struct cfg cfgs[] = {
    {IPMI_INTEG_HMAC_SHA256_128, IPMI_CONF_AES_CBC_128, k1_17, k2_17, 32, 0x302}, /* §12.1 */
    {IPMI_INTEG_HMAC_SHA1_96, IPMI_CONF_AES_CBC_128, k1_3, k2_3, 20, 0xA0A2A3A4}, /* #10 */
    {IPMI_INTEG_HMAC_SHA1_96, IPMI_CONF_AES_CBC_128, k1_3, k2_3, 20, 0x302},      /* #9 */
    {IPMI_INTEG_HMAC_SHA1_96, IPMI_CONF_NONE, k1_3, k2_3, 20, 0x302},
    {IPMI_INTEG_HMAC_MD5_128, IPMI_CONF_AES_CBC_128, k1_3, k2_3, 16, 0x302},
    {IPMI_INTEG_MD5_128, IPMI_CONF_NONE, k1_3, k2_3, 20, 0x302},
    {IPMI_INTEG_NONE, IPMI_CONF_NONE, NULL, NULL, 0, 0x302},
    {IPMI_INTEG_NONE, IPMI_CONF_AES_CBC_128, NULL, k2_3, 0, 0xA0A2A3A4},
};
#define NCFG (sizeof(cfgs) / sizeof(cfgs[0]))

static struct crypto_sess *css[NCFG];

static int
init_once(void)
{
    static int done;

    if (done)
        return 0;
    for (size_t i = 0; i < NCFG; i++) {
        css[i] = crypto_sess_new(cfgs[i].integ, cfgs[i].k1, cfgs[i].k1len, cfgs[i].conf, cfgs[i].k2,
                                 20, (const uint8_t *)"password", 8);
        if (css[i] == NULL)
            return -1;
    }
    done = 1;
    return 0;
}

static void
check_session(size_t i, const uint8_t *data, size_t size)
{
    static uint8_t work[RMCPP_MAX_PAYLOAD];
    struct rmcpp_sess s;
    struct rmcpp_pkt p;
    enum rmcpp_drop why = RMCPP_DROP_COUNT;
    int rc;

    memset(&s, 0, sizeof(s));
    s.cs = css[i];
    s.integ = cfgs[i].integ;
    s.conf = cfgs[i].conf;
    s.console_sid = cfgs[i].console_sid;
    s.bmc_sid = 0x1234;
    rc = rmcpp_decode(&s, data, size, work, &p, &why);
    if (rc != 0) {
        if (rc != IC_EPROTO || why == RMCPP_DROP_NONE || why >= RMCPP_DROP_COUNT || s.win.any)
            __builtin_trap();
        return;
    }
    if (why != RMCPP_DROP_NONE || p.sid != s.console_sid || p.seq == 0 || p.payload != work ||
        p.len > RMCPP_MAX_PAYLOAD || p.authenticated != (s.integ != IPMI_INTEG_NONE) ||
        p.encrypted != (s.conf != IPMI_CONF_NONE) || !s.win.any || s.win.highest != p.seq)
        __builtin_trap();
    /* the same datagram again is a replay */
    rc = rmcpp_decode(&s, data, size, work, &p, &why);
    if (rc != IC_EPROTO || why != RMCPP_DROP_SEQUENCE)
        __builtin_trap();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct rmcpp_pkt p;
    enum rmcpp_drop why = RMCPP_DROP_COUNT;
    enum rmcpp_ptype pt;
    uint32_t sid;
    int peek;

    if (init_once() != 0)
        __builtin_trap();
    for (size_t i = 0; i < NCFG; i++)
        check_session(i, data, size);

    peek = rmcpp_peek(data, size, &pt, &sid);
    if (peek != 0 && peek != IC_EPROTO)
        __builtin_trap();
    if (rmcpp_decode_plain(data, size, &p, &why) == 0) {
        /* the payload lies inside the datagram and re-encodes to the same length */
        if (why != RMCPP_DROP_NONE || p.sid != 0 || peek != 0 || pt != p.pt || sid != 0 ||
            p.payload < data || p.len > size - (size_t)(p.payload - data))
            __builtin_trap();
        uint8_t out[RMCPP_MAX_PACKET];
        struct buf_wr w;
        buf_wr_init(&w, out, sizeof(out));
        if (rmcpp_encode_plain(p.pt, p.payload, p.len, &w) != 0 || w.len != size)
            __builtin_trap();
    } else if (why == RMCPP_DROP_NONE || why >= RMCPP_DROP_COUNT) {
        __builtin_trap();
    }
    return 0;
}
