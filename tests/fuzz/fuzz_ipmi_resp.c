/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_ipmi_resp.c - IPMI response message framing (ipmi_msg_decode_resp)
 * and the typed decoders of ipmi_cmd.c on its data: Get Device ID, GUID,
 * Get Channel Authentication Capabilities, cipher suite records.
 *
 * The typed decoders also run on the raw input, so they are exercised even
 * when the fuzzer has not produced valid checksums. Invariants that a
 * decoder must keep are checked with __builtin_trap().
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ipmi_cmd.h"
#include "ipmi_msg.h"
#include "ic_err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
typed(const uint8_t *p, size_t n)
{
    struct ipmi_devid d;
    struct ipmi_authcap ac;
    struct ipmi_suite_list sl;
    uint8_t guid[16];
    char s[40];

    if (ipmi_decode_devid(p, n, &d) == 0) {
        ipmi_devid_fw_str(&d, s, sizeof(s));
        ipmi_devid_ipmi_str(&d, s, sizeof(s));
        if (d.manufacturer_id > 0xFFFFF || d.fw_major > 0x7F || d.device_rev > 0x0F)
            __builtin_trap();
    }
    if (ipmi_decode_guid(p, n, guid) == 0) {
        ipmi_guid_str(guid, s);
        if (strlen(s) != 36)
            __builtin_trap();
    }
    if (ipmi_decode_authcap(p, n, &ac) == 0 && ac.oem_iana > 0xFFFFFF)
        __builtin_trap();
    /* Cipher chunk data with and without its leading channel byte. */
    int rc = ipmi_parse_cipher_records(p, n, &sl);
    if ((rc == 0 && sl.n > IPMI_MAX_SUITES) || (rc != 0 && (rc != IC_EPROTO || sl.n != 0)))
        __builtin_trap();
    if (n > 0 && ipmi_parse_cipher_records(p + 1, n - 1, &sl) == 0 && sl.n > IPMI_MAX_SUITES)
        __builtin_trap();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ipmi_msg_resp rs;
    int rc = ipmi_msg_decode_resp(data, size, &rs);
    if (rc == 0) {
        if (rs.len != size - 8 || (rs.len && rs.data != data + 7) || rs.rq_seq > 63 ||
            rs.netfn > 63)
            __builtin_trap();
        (void)ipmi_cc_str(rs.cc);
        typed(rs.data, rs.len);
    } else if (rc != IC_EPROTO) {
        __builtin_trap();
    }
    typed(data, size);
    return 0;
}
