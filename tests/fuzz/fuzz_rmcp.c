/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_rmcp.c - RMCP datagram classification, ASF pong and IPMI 1.5
 * framing decoders (rmcp.c), then the IPMI message inside a 1.5 frame.
 * Invariants are checked with __builtin_trap().
 */
#include <stddef.h>
#include <stdint.h>

#include "ipmi_msg.h"
#include "rmcp.h"
#include "ic_err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int kind = rmcp_classify(data, size);
    if (kind != IC_EPROTO && kind != RMCP_KIND_ASF && kind != RMCP_KIND_V15 &&
        kind != RMCP_KIND_V20)
        __builtin_trap();

    struct rmcp_pong pong;
    if (rmcp_decode_pong(data, size, &pong) == 0 && kind != RMCP_KIND_ASF)
        __builtin_trap();

    const uint8_t *msg;
    size_t msglen;
    if (rmcp_decode_v15(data, size, &msg, &msglen) == 0) {
        /* The message must lie inside the datagram. */
        if (kind != RMCP_KIND_V15 || !msg || msglen == 0 || msg < data ||
            msglen > size - (size_t)(msg - data))
            __builtin_trap();
        struct ipmi_msg_resp rs;
        (void)ipmi_msg_decode_resp(msg, msglen, &rs);
    }
    return 0;
}
