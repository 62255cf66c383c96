/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_rakp4.c - the RAKP message 4 payload (rakp_decode_rakp4) for every
 * authentication algorithm, then the ICV check a session would do with the
 * §12.2 capture's keys. Invariants are checked with __builtin_trap().
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
static const uint8_t guid[16] = {0xa1, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
                                 0xa1, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef};
static const uint8_t sik[20] = {0xc8, 0x43, 0x82, 0x80, 0x6a, 0x7d, 0xd6, 0xfa, 0xd4, 0xff,
                                0xaa, 0xf9, 0x96, 0x1a, 0xc9, 0x35, 0xe3, 0x1e, 0xba, 0x38};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    for (int a = 0; a <= 4; a++) {
        enum ipmi_auth_alg auth = (enum ipmi_auth_alg)a;
        struct rakp4 m;
        int rc = rakp_decode_rakp4(data, size, auth, &m);

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
            if (m.icvlen != 0 || m.console_sid != 0)
                __builtin_trap();
            continue;
        }
        if (m.icvlen != crypto_rakp4_icv_len(auth) || size != 8 + m.icvlen)
            __builtin_trap();
        if (auth == IPMI_AUTH_RAKP_NONE)
            continue;

        struct rakp_ctx c;
        struct rakp_keys k;
        uint8_t icv[CRYPTO_MAX_MD];
        size_t n = 0;
        memset(&c, 0, sizeof(c));
        memset(&k, 0, sizeof(k));
        c.auth = auth;
        c.console_sid = m.console_sid;
        c.bmc_sid = 0x302;
        memcpy(c.rm, rm, 16);
        memcpy(c.guid, guid, 16);
        memcpy(k.sik, sik, sizeof(sik));
        k.len = crypto_auth_len(auth);
        if (rakp_rakp4_icv(&c, &k, icv, &n) != 0 || n != m.icvlen)
            __builtin_trap();
        (void)crypto_memeq(icv, m.icv, n);
    }
    return 0;
}
