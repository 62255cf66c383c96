/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ipmi_msg.h - the IPMI LAN message inside a payload (IPMI v2.0 Figure
 * 13-4): rsAddr, netFn/LUN, checksum, rqAddr, rqSeq/LUN, cmd, data,
 * checksum; and the completion code table. Pure codec, both sides: the
 * client encodes requests and decodes responses, the simulator decodes
 * requests and encodes responses.
 */
#ifndef IC_IPMI_MSG_H
#define IC_IPMI_MSG_H

#include <stddef.h>
#include <stdint.h>

#include "poller.h"

struct buf_wr;

#define IPMI_BMC_ADDR     0x20
#define IPMI_CONSOLE_ADDR 0x81
#define IPMI_MAX_DATA     256 /* request/response data bytes after cmd / cc */

/* Two's complement checksum: (0x100 - sum) & 0xFF. */
uint8_t ipmi_checksum(const uint8_t *p, size_t n);

/* Writes a request message to the BMC (rsAddr 0x20, rqAddr 0x81). */
int ipmi_msg_encode_req(uint8_t netfn, uint8_t lun, uint8_t rq_seq, uint8_t cmd,
                        const uint8_t *data, size_t len, struct buf_wr *w);

/* A decoded response; data points into the caller's buffer. */
struct ipmi_msg_resp {
    uint8_t rq_addr;
    uint8_t netfn; /* as on the wire: odd for a response */
    uint8_t rq_lun;
    uint8_t rs_addr;
    uint8_t rq_seq;
    uint8_t rs_lun;
    uint8_t cmd;
    uint8_t cc;
    const uint8_t *data;
    size_t len;
};

/*
 * Decodes a response message: at least 8 bytes, both checksums valid.
 * Returns 0 or IC_EPROTO.
 */
int ipmi_msg_decode_resp(const uint8_t *p, size_t len, struct ipmi_msg_resp *rs);

/* A decoded request (BMC side); data points into the caller's buffer. */
struct ipmi_msg_req {
    uint8_t rs_addr;
    uint8_t netfn; /* even */
    uint8_t rs_lun;
    uint8_t rq_addr;
    uint8_t rq_seq;
    uint8_t rq_lun;
    uint8_t cmd;
    const uint8_t *data; /* NULL when len is 0 */
    size_t len;
};

/*
 * Decodes a request message: 7 to 7 + IPMI_MAX_DATA bytes, both checksums
 * valid, netFn even. Addresses are not checked (the caller decides whether
 * the message is for it). Returns 0 or IC_EPROTO.
 */
int ipmi_msg_decode_req(const uint8_t *p, size_t len, struct ipmi_msg_req *rq);

/*
 * Writes the response to rq: rqAddr and rsAddr swapped, netFn | 1, the same
 * rqSeq, LUNs and cmd, then cc and len data bytes. Returns 0, IC_EINVAL
 * (a field of rq out of range, len > IPMI_MAX_DATA, data NULL with len > 0)
 * or IC_ETOOBIG.
 */
int ipmi_msg_encode_resp(const struct ipmi_msg_req *rq, uint8_t cc, const uint8_t *data, size_t len,
                         struct buf_wr *w);

#endif
