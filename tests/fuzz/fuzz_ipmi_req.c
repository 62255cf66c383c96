/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_ipmi_req.c - what the simulator reads before any session: an IPMI
 * request message (ipmi_msg_decode_req), an ASF presence ping
 * (rmcp_decode_ping) and the IPMI 1.5 wrapper (rmcp_decode_v15) with the
 * request inside. Every accepted input is answered the way the simulator
 * would, and the answer must decode with the client's decoders.
 * Invariants are checked with __builtin_trap().
 */
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "ic_err.h"
#include "ipmi_msg.h"
#include "rmcp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Decodes a request, answers it and checks the answer; returns the decode result. */
static int
answer(const uint8_t *p, size_t len, int wrap)
{
    struct ipmi_msg_req rq;
    int rc = ipmi_msg_decode_req(p, len, &rq);

    if (rc == IC_EPROTO) {
        if (rq.data != NULL || rq.len != 0 || rq.cmd != 0)
            __builtin_trap();
        return rc;
    }
    if (rc != 0 || len < 7 || len > 7 + IPMI_MAX_DATA || (rq.netfn & 1) || rq.netfn > 0x3F ||
        rq.rs_lun > 3 || rq.rq_lun > 3 || rq.rq_seq > 0x3F || rq.len != len - 7)
        __builtin_trap();
    if (rq.len && (rq.data != p + 6))
        __builtin_trap();

    /* Echo the request data back as response data, cc from the command. */
    uint8_t out[8 + IPMI_MAX_DATA];
    struct buf_wr w;
    struct ipmi_msg_resp rs;
    uint8_t cc = (uint8_t)(rq.cmd ^ 0x5A);
    buf_wr_init(&w, out, sizeof(out));
    if (ipmi_msg_encode_resp(&rq, cc, rq.data, rq.len, &w) != 0 || w.len != rq.len + 8 ||
        ipmi_msg_decode_resp(out, w.len, &rs) != 0)
        __builtin_trap();
    if (rs.rq_addr != rq.rq_addr || rs.rs_addr != rq.rs_addr || rs.netfn != (rq.netfn | 1) ||
        rs.rq_lun != rq.rq_lun || rs.rs_lun != rq.rs_lun || rs.rq_seq != rq.rq_seq ||
        rs.cmd != rq.cmd || rs.cc != cc || rs.len != rq.len)
        __builtin_trap();
    for (size_t i = 0; i < rs.len; i++)
        if (rs.data[i] != rq.data[i])
            __builtin_trap();

    if (wrap) {
        uint8_t pkt[14 + sizeof(out)];
        const uint8_t *m;
        size_t mlen;
        struct buf_wr pw;
        buf_wr_init(&pw, pkt, sizeof(pkt));
        rc = rmcp_encode_v15(out, w.len, &pw);
        if (w.len > 255) {
            if (rc != IC_EINVAL)
                __builtin_trap();
        } else if (rc != 0 || rmcp_decode_v15(pkt, pw.len, &m, &mlen) != 0 || mlen != w.len ||
                   ipmi_msg_decode_resp(m, mlen, &rs) != 0) {
            __builtin_trap();
        }
    }
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int kind = rmcp_classify(data, size);

    (void)answer(data, size, 0);

    uint8_t tag = 0xAA;
    if (rmcp_decode_ping(data, size, &tag) == 0) {
        if (size != 12 || kind != RMCP_KIND_ASF)
            __builtin_trap();
        uint8_t out[28];
        struct buf_wr w;
        struct rmcp_pong pong;
        buf_wr_init(&w, out, sizeof(out));
        if (rmcp_encode_pong(tag, &w) != 0 || w.len != 28 ||
            rmcp_decode_pong(out, w.len, &pong) != 0 || pong.tag != tag)
            __builtin_trap();
    } else if (tag != 0) {
        __builtin_trap();
    }

    const uint8_t *msg;
    size_t msglen;
    if (rmcp_decode_v15(data, size, &msg, &msglen) == 0) {
        if (kind != RMCP_KIND_V15 || !msg || msglen == 0 || msg < data ||
            msglen > size - (size_t)(msg - data))
            __builtin_trap();
        (void)answer(msg, msglen, 1);
    }
    return 0;
}
