/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_rakp3.c - the RAKP message 3 payload as the simulator reads it
 * (rakp_decode_rakp3) for every authentication algorithm, then the HMAC
 * check the simulator would do (context of the reference §12.2 capture,
 * password "password"). An accepted message must re-encode to the same
 * bytes (reserved ones and a dropped error-status code aside).
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

    if (!inited) {
        if (crypto_init() != 0)
            __builtin_trap();
        inited = 1;
    }
    for (int a = 0; a <= 4; a++) {
        enum ipmi_auth_alg auth = (enum ipmi_auth_alg)a;
        size_t klen = crypto_auth_len(auth);
        struct rakp3 m;
        int rc = rakp_decode_rakp3(data, size, auth, &m);

        if (a == 4) {
            if (rc != IC_EINVAL)
                __builtin_trap();
            continue;
        }
        if (rc == IC_EPROTO) {
            if (m.kexlen != 0 || m.bmc_sid != 0 || m.status != 0)
                __builtin_trap();
            continue;
        }
        if (rc != 0 || size < 8)
            __builtin_trap();
        if (m.status != RAKP_ST_OK) {
            if (m.kexlen != 0 || (size != 8 && size != 8 + klen))
                __builtin_trap();
        } else if (m.kexlen != klen || size != 8 + klen) {
            __builtin_trap();
        }

        /* Re-encoded with the client's encoder. */
        uint8_t out[8 + CRYPTO_MAX_MD];
        struct buf_wr w;
        buf_wr_init(&w, out, sizeof(out));
        if (rakp_encode_rakp3(&m, &w) != 0 || w.len != 8 + m.kexlen)
            __builtin_trap();
        for (size_t i = 0; i < w.len; i++)
            if (i != 2 && i != 3 && out[i] != data[i])
                __builtin_trap();

        if (m.status != RAKP_ST_OK || auth == IPMI_AUTH_RAKP_NONE)
            continue;
        /* The simulator's check of the console's code. */
        struct rakp_ctx c;
        uint8_t code[CRYPTO_MAX_MD];
        size_t n = 0;
        memset(&c, 0, sizeof(c));
        c.auth = auth;
        c.console_sid = 0xA0A2A3A4;
        c.bmc_sid = m.bmc_sid;
        memcpy(c.rc, rc_, 16);
        c.role = 0x14;
        c.ulen = 5;
        memcpy(c.user, "admin", 5);
        if (rakp_rakp3_code(&c, (const uint8_t *)"password", 8, code, &n) != 0 || n != m.kexlen)
            __builtin_trap();
        (void)crypto_memeq(code, m.kex, n);
    }
    return 0;
}
