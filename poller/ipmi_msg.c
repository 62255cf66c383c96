/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ipmi_msg.c - the IPMI LAN message carried in a session payload (IPMI v2.0
 * §13.8, Figure 13-4), and the completion code table (Table 5-2).
 *
 * Request, console -> BMC (at least 7 bytes):
 *   0  rsAddr          0x20 (BMC)
 *   1  netFn/rsLUN     netFn << 2 | rsLUN (netFn even for a request)
 *   2  checksum 1      over bytes 0-1
 *   3  rqAddr          0x81 (remote console software ID)
 *   4  rqSeq/rqLUN     rqSeq << 2 | rqLUN (rqSeq 0-63, rqLUN 0)
 *   5  cmd
 *   6  data            0..IPMI_MAX_DATA bytes
 *   n  checksum 2      over bytes 3..n-1
 *
 * Response, BMC -> console (at least 8 bytes):
 *   0  rqAddr          0x81
 *   1  netFn/rqLUN     (request netFn | 1) << 2 | rqLUN
 *   2  checksum 1      over bytes 0-1
 *   3  rsAddr          0x20
 *   4  rqSeq/rsLUN     echoed rqSeq << 2 | rsLUN
 *   5  cmd
 *   6  completion code
 *   7  data
 *   n  checksum 2      over bytes 3..n-1
 *
 * Checksum (§13.8, also used by FRU areas): the two's complement of the
 * 8-bit sum of the covered bytes, so that covered bytes + checksum sum to 0
 * modulo 256. `20 18` -> `c8`.
 *
 * Both directions use these layouts: the client encodes requests
 * (ipmi_msg_encode_req) and decodes responses (ipmi_msg_decode_resp); the
 * simulator decodes requests (ipmi_msg_decode_req: any addresses and LUNs,
 * netFn even) and answers with ipmi_msg_encode_resp, which copies the
 * request's addresses swapped, its LUNs, rqSeq and cmd.
 *
 * Pure codec: no I/O, no state, no logging. Reads go through common/buf.
 */
#include "ipmi_msg.h"

#include "buf.h"
#include "ic_err.h"

#include <string.h>

#define IPMI_RESP_OVERHEAD 8 /* rqAddr netFn chk1 rsAddr rqSeq cmd cc chk2 */
#define IPMI_REQ_OVERHEAD  7 /* rsAddr netFn chk1 rqAddr rqSeq cmd chk2 */

uint8_t
ipmi_checksum(const uint8_t *p, size_t n)
{
    uint8_t sum = 0;
    if (n == 0)
        return 0;
    for (const uint8_t *end = p + n; p < end; p++)
        sum = (uint8_t)(sum + *p);
    return (uint8_t)(0x100 - sum);
}

int
ipmi_msg_encode_req(uint8_t netfn, uint8_t lun, uint8_t rq_seq, uint8_t cmd, const uint8_t *data,
                    size_t len, struct buf_wr *w)
{
    /* netFn is 6 bits and even for a request; LUN 2 bits; rqSeq 6 bits. */
    if (netfn > 0x3F || (netfn & 1) || lun > 3 || rq_seq > 0x3F || len > IPMI_MAX_DATA ||
        (len && !data))
        return IC_EINVAL;
    uint8_t hdr[2] = {IPMI_BMC_ADDR, (uint8_t)(netfn << 2 | lun)};
    uint8_t body[3] = {IPMI_CONSOLE_ADDR, (uint8_t)(rq_seq << 2), cmd};
    /* Checksum 2 covers body and data: the negated sum of both parts. */
    uint8_t chk2 = (uint8_t)(ipmi_checksum(body, sizeof(body)) + ipmi_checksum(data, len));
    buf_put_bytes(w, hdr, sizeof(hdr));
    buf_put_u8(w, ipmi_checksum(hdr, sizeof(hdr)));
    buf_put_bytes(w, body, sizeof(body));
    buf_put_bytes(w, data, len);
    buf_put_u8(w, chk2);
    return buf_wr_err(w);
}

int
ipmi_msg_decode_resp(const uint8_t *p, size_t len, struct ipmi_msg_resp *rs)
{
    struct buf_rd r;
    memset(rs, 0, sizeof(*rs));
    if (len < IPMI_RESP_OVERHEAD || len > IPMI_RESP_OVERHEAD + IPMI_MAX_DATA)
        return IC_EPROTO;
    buf_rd_init(&r, p, len);
    /* Both blocks include their checksum, so each must sum to zero. */
    const uint8_t *blk1 = buf_get_span(&r, 3);
    const uint8_t *blk2 = buf_get_span(&r, len - 3);
    if (!blk1 || !blk2 || ipmi_checksum(blk1, 3) != 0 || ipmi_checksum(blk2, len - 3) != 0)
        return IC_EPROTO;

    buf_rd_init(&r, p, len);
    uint8_t rq_addr = buf_get_u8(&r);
    uint8_t nf = buf_get_u8(&r);
    buf_skip(&r, 1); /* checksum 1, verified above */
    uint8_t rs_addr = buf_get_u8(&r);
    uint8_t seq = buf_get_u8(&r);
    uint8_t cmd = buf_get_u8(&r);
    uint8_t cc = buf_get_u8(&r);
    size_t dlen = len - IPMI_RESP_OVERHEAD;
    const uint8_t *data = buf_get_span(&r, dlen);
    buf_skip(&r, 1); /* checksum 2 */
    if (buf_rd_err(&r) || buf_rd_left(&r) != 0)
        return IC_EPROTO;

    /* Matching netFn/cmd/rqSeq/addresses to a request is the session's job. */
    rs->rq_addr = rq_addr;
    rs->netfn = (uint8_t)(nf >> 2);
    rs->rq_lun = nf & 3;
    rs->rs_addr = rs_addr;
    rs->rq_seq = (uint8_t)(seq >> 2);
    rs->rs_lun = seq & 3;
    rs->cmd = cmd;
    rs->cc = cc;
    rs->data = dlen ? data : NULL;
    rs->len = dlen;
    return 0;
}

int
ipmi_msg_decode_req(const uint8_t *p, size_t len, struct ipmi_msg_req *rq)
{
    struct buf_rd r;
    memset(rq, 0, sizeof(*rq));
    if (len < IPMI_REQ_OVERHEAD || len > IPMI_REQ_OVERHEAD + IPMI_MAX_DATA)
        return IC_EPROTO;
    buf_rd_init(&r, p, len);
    /* Both blocks include their checksum, so each must sum to zero. */
    const uint8_t *blk1 = buf_get_span(&r, 3);
    const uint8_t *blk2 = buf_get_span(&r, len - 3);
    if (!blk1 || !blk2 || ipmi_checksum(blk1, 3) != 0 || ipmi_checksum(blk2, len - 3) != 0)
        return IC_EPROTO;

    buf_rd_init(&r, p, len);
    uint8_t rs_addr = buf_get_u8(&r);
    uint8_t nf = buf_get_u8(&r);
    buf_skip(&r, 1); /* checksum 1, verified above */
    uint8_t rq_addr = buf_get_u8(&r);
    uint8_t seq = buf_get_u8(&r);
    uint8_t cmd = buf_get_u8(&r);
    size_t dlen = len - IPMI_REQ_OVERHEAD;
    const uint8_t *data = buf_get_span(&r, dlen);
    buf_skip(&r, 1); /* checksum 2 */
    /* An odd netFn is a response: not something a console sends. */
    if (buf_rd_err(&r) || buf_rd_left(&r) != 0 || ((nf >> 2) & 1))
        return IC_EPROTO;

    rq->rs_addr = rs_addr;
    rq->netfn = (uint8_t)(nf >> 2);
    rq->rs_lun = nf & 3;
    rq->rq_addr = rq_addr;
    rq->rq_seq = (uint8_t)(seq >> 2);
    rq->rq_lun = seq & 3;
    rq->cmd = cmd;
    rq->data = dlen ? data : NULL;
    rq->len = dlen;
    return 0;
}

int
ipmi_msg_encode_resp(const struct ipmi_msg_req *rq, uint8_t cc, const uint8_t *data, size_t len,
                     struct buf_wr *w)
{
    if (rq->netfn > 0x3F || rq->rs_lun > 3 || rq->rq_lun > 3 || rq->rq_seq > 0x3F ||
        len > IPMI_MAX_DATA || (len && !data))
        return IC_EINVAL;
    uint8_t hdr[2] = {rq->rq_addr, (uint8_t)((rq->netfn | 1) << 2 | rq->rq_lun)};
    uint8_t body[4] = {rq->rs_addr, (uint8_t)(rq->rq_seq << 2 | rq->rs_lun), rq->cmd, cc};
    /* Checksum 2 covers body and data: the negated sum of both parts. */
    uint8_t chk2 = (uint8_t)(ipmi_checksum(body, sizeof(body)) + ipmi_checksum(data, len));
    buf_put_bytes(w, hdr, sizeof(hdr));
    buf_put_u8(w, ipmi_checksum(hdr, sizeof(hdr)));
    buf_put_bytes(w, body, sizeof(body));
    buf_put_bytes(w, data, len);
    buf_put_u8(w, chk2);
    return buf_wr_err(w);
}

/* Table 5-2, generic completion codes 0xC0-0xD6, as short operator-readable text. */
static const char *const cc_c0[] = {
    "node busy",                                           /* C0 */
    "invalid or unsupported command",                      /* C1 */
    "command invalid for given LUN",                       /* C2 */
    "timeout while processing command",                    /* C3 */
    "out of space",                                        /* C4 */
    "reservation cancelled or invalid reservation ID",     /* C5 */
    "request data truncated",                              /* C6 */
    "request data length invalid",                         /* C7 */
    "request data field length limit exceeded",            /* C8 */
    "parameter out of range",                              /* C9 */
    "cannot return number of requested data bytes",        /* CA */
    "requested sensor, data or record not present",        /* CB */
    "invalid data field in request",                       /* CC */
    "command illegal for specified sensor or record type", /* CD */
    "command response could not be provided",              /* CE */
    "cannot execute duplicated request",                   /* CF */
    "SDR repository in update mode",                       /* D0 */
    "device in firmware update mode",                      /* D1 */
    "BMC initialization in progress",                      /* D2 */
    "destination unavailable",                             /* D3 */
    "insufficient privilege level",                        /* D4 */
    "command not supported in present state",              /* D5 */
    "command sub-function disabled or unavailable",        /* D6 */
};

_Static_assert(sizeof(cc_c0) / sizeof(cc_c0[0]) == 0xD6 - 0xC0 + 1, "cc_c0 covers C0-D6");

const char *
ipmi_cc_str(uint8_t cc)
{
    if (cc == 0x00)
        return "command completed normally";
    if (cc >= 0xC0 && cc <= 0xD6)
        return cc_c0[cc - 0xC0];
    if (cc == 0xFF)
        return "unspecified error";
    /* 0x80-0xBE mean different things per command; the caller knows which. */
    if (cc >= 0x80 && cc <= 0xBE)
        return "command-specific error";
    if (cc >= 0x01 && cc <= 0x7E)
        return "OEM or device-specific error";
    return "reserved completion code";
}
