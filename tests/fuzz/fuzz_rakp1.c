/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_rakp1.c - the RAKP message 1 payload as the simulator reads it
 * (rakp_decode_rakp1), then the RAKP 2 it would answer with (context of the
 * reference §12.2 capture, password "password"). An accepted message must
 * re-encode to the same bytes (reserved ones aside).
 * Invariants are checked with __builtin_trap().
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "crypto.h"
#include "ic_err.h"
#include "rakp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t rc_[16] = {0xc6, 0xa5, 0x18, 0xc5, 0xaf, 0xf2, 0xaa, 0x69,
                                0x6d, 0x17, 0x80, 0x52, 0x6f, 0xd2, 0x19, 0xe9};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int inited;
    struct rakp1 m;
    int rc = rakp_decode_rakp1(data, size, &m);

    if (rc == IC_EPROTO) {
        if (m.ulen != 0 || m.bmc_sid != 0 || m.role != 0)
            __builtin_trap();
        return 0;
    }
    if (rc != 0 || m.ulen > RAKP_MAX_USER || size != 28u + m.ulen)
        __builtin_trap();

    /* Re-encoded with the client's encoder: the same bytes but reserved ones. */
    uint8_t out[28 + RAKP_MAX_USER];
    struct buf_wr w;
    buf_wr_init(&w, out, sizeof(out));
    if (rakp_encode_rakp1(&m, &w) != 0 || w.len != size)
        __builtin_trap();
    for (size_t i = 0; i < size; i++) {
        int reserved = (i >= 1 && i <= 3) || i == 25 || i == 26;
        if (!reserved && out[i] != data[i])
            __builtin_trap();
    }

    /* The simulator's RAKP 2, through the client's decoder. */
    if (!inited) {
        if (crypto_init() != 0)
            __builtin_trap();
        inited = 1;
    }
    struct rakp_ctx c;
    struct rakp2 m2, back;
    uint8_t buf[40 + CRYPTO_MAX_MD];
    memset(&c, 0, sizeof(c));
    memset(&m2, 0, sizeof(m2));
    c.auth = IPMI_AUTH_HMAC_SHA1;
    c.console_sid = 0xA0A2A3A4;
    c.bmc_sid = m.bmc_sid;
    memcpy(c.rm, m.rm, 16);
    memcpy(c.rc, rc_, 16);
    memset(c.guid, 0xA1, 16);
    c.role = m.role;
    c.ulen = m.ulen;
    memcpy(c.user, m.user, m.ulen);
    m2.tag = m.tag;
    m2.console_sid = c.console_sid;
    memcpy(m2.rc, c.rc, 16);
    memcpy(m2.guid, c.guid, 16);
    if (rakp_rakp2_code(&c, (const uint8_t *)"password", 8, m2.kex, &m2.kexlen) != 0 ||
        m2.kexlen != 20)
        __builtin_trap();
    buf_wr_init(&w, buf, sizeof(buf));
    if (rakp_encode_rakp2(&m2, &w) != 0 || w.len != 60 ||
        rakp_decode_rakp2(buf, w.len, IPMI_AUTH_HMAC_SHA1, &back) != 0 || back.tag != m.tag ||
        !crypto_memeq(back.kex, m2.kex, 20))
        __builtin_trap();
    return 0;
}
