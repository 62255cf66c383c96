/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_rakp2.c - the RAKP message 2 payload (rakp_decode_rakp2) for every
 * authentication algorithm, then the RAKP 2 HMAC check a session would do
 * (context of the reference §12.2 capture, password "password").
 * Invariants are checked with __builtin_trap().
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "crypto.h"
#include "ic_err.h"
#include "rakp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t rm[16] = {0xa1, 0x76, 0x0e, 0xae, 0xc2, 0xc2, 0xad, 0x59,
                               0x1b, 0x38, 0x52, 0x9c, 0xe5, 0x11, 0x6c, 0xa6};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    for (int a = 0; a <= 4; a++) {
        enum ipmi_auth_alg auth = (enum ipmi_auth_alg)a;
        struct rakp2 m;
        int rc = rakp_decode_rakp2(data, size, auth, &m);

        if (a == 4) {
            if (rc != IC_EINVAL)
                __builtin_trap();
            continue;
        }
        if (rc == IC_EPROTO)
            continue;
        if (rc != 0 || size < 2)
            __builtin_trap();
        if (m.status != RAKP_ST_OK) {
            if (m.kexlen != 0 || m.console_sid != 0)
                __builtin_trap();
            continue;
        }
        if (m.kexlen != crypto_auth_len(auth) || size != 40 + m.kexlen)
            __builtin_trap();
        if (auth == IPMI_AUTH_RAKP_NONE)
            continue;

        struct rakp_ctx c;
        uint8_t code[CRYPTO_MAX_MD];
        size_t n = 0;
        memset(&c, 0, sizeof(c));
        c.auth = auth;
        c.console_sid = m.console_sid;
        c.bmc_sid = 0x302;
        memcpy(c.rm, rm, 16);
        memcpy(c.rc, m.rc, 16);
        memcpy(c.guid, m.guid, 16);
        c.role = 0x14;
        c.ulen = 5;
        memcpy(c.user, "admin", 5);
        if (rakp_rakp2_code(&c, (const uint8_t *)"password", 8, code, &n) != 0 || n != m.kexlen)
            __builtin_trap();
        (void)crypto_memeq(code, m.kex, n);
    }
    return 0;
}
