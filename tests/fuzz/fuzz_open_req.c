/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_open_req.c - the RMCP+ Open Session Request payload as the simulator
 * reads it (rakp_decode_open_req), then the reply it would build. An
 * accepted request must re-encode to the same bytes (reserved bits aside),
 * and the Open Session Response made from it must decode back.
 * Invariants are checked with __builtin_trap().
 */
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "ic_err.h"
#include "rakp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct rakp_open_req rq;
    int rc = rakp_decode_open_req(data, size, &rq);

    if (rc == IC_EPROTO) {
        if (rq.tag || rq.priv || rq.console_sid || rq.auth || rq.integ || rq.conf)
            __builtin_trap(); /* a refused request leaves nothing behind */
        return 0;
    }
    if (rc != 0 || size != 32 || rq.priv > 15 || rq.auth > 0x3F || rq.integ > 0x3F ||
        rq.conf > 0x3F)
        __builtin_trap();

    /* Re-encoded with the client's encoder: the same bytes but reserved ones. */
    uint8_t out[32];
    struct buf_wr w;
    buf_wr_init(&w, out, sizeof(out));
    if (rakp_encode_open_req(&rq, &w) != 0 || w.len != 32)
        __builtin_trap();
    if (out[0] != data[0] || out[1] != (data[1] & 0x0F))
        __builtin_trap();
    for (size_t i = 4; i < 8; i++)
        if (out[i] != data[i])
            __builtin_trap();
    for (size_t a = 0; a < 3; a++) {
        size_t o = 8 + 8 * a;
        if (out[o] != data[o] || out[o] != a || data[o + 3] != 8 ||
            out[o + 4] != (data[o + 4] & 0x3F))
            __builtin_trap();
    }

    /* The reply the simulator would send, through the client's decoder. */
    struct rakp_open_resp rs = {.tag = rq.tag,
                                .status = RAKP_ST_OK,
                                .max_priv = rq.priv,
                                .console_sid = rq.console_sid,
                                .bmc_sid = 0x302,
                                .auth = rq.auth,
                                .integ = rq.integ,
                                .conf = rq.conf};
    struct rakp_open_resp back;
    uint8_t resp[36];
    buf_wr_init(&w, resp, sizeof(resp));
    if (rakp_encode_open_resp(&rs, &w) != 0 || w.len != 36 ||
        rakp_decode_open_resp(resp, w.len, &back) != 0 || back.tag != rs.tag ||
        back.console_sid != rs.console_sid || back.auth != rs.auth || back.integ != rs.integ ||
        back.conf != rs.conf || back.max_priv != rs.max_priv)
        __builtin_trap();
    return 0;
}
