/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_open_resp.c - the RMCP+ Open Session Response payload
 * (rakp_decode_open_resp). Invariants are checked with __builtin_trap().
 */
#include <stddef.h>
#include <stdint.h>

#include "ic_err.h"
#include "rakp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct rakp_open_resp rs;
    int rc = rakp_decode_open_resp(data, size, &rs);

    if (rc == IC_EPROTO)
        return 0;
    if (rc != 0 || size < 2 || size > 36 || rakp_status_str(rs.status) == NULL)
        __builtin_trap();
    if (rs.status == RAKP_ST_OK) {
        /* a success reply is complete: 36 bytes, algorithms in range */
        if (size != 36 || rs.auth > 0x3F || rs.integ > 0x3F || rs.conf > 0x3F || rs.max_priv > 15)
            __builtin_trap();
        (void)rakp_suite_policy(rs.auth);
    } else if (rs.bmc_sid != 0 || rs.console_sid != 0 || rs.auth || rs.integ || rs.conf) {
        __builtin_trap(); /* an error reply sets tag and status only */
    }
    return 0;
}
