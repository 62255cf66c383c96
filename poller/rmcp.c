/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rmcp.c - RMCP framing: header classification, ASF presence ping/pong and
 * the IPMI 1.5 session wrapper used (with auth type none) for the one
 * pre-session probe, Get Channel Authentication Capabilities.
 *
 * RMCP header (IPMI v2.0 §13.1.3, ASF 2.0 §3.2.2.1), 4 bytes:
 *   0  version        0x06 (RMCP 1.0)
 *   1  reserved       0x00
 *   2  RMCP sequence  0xFF = no RMCP ACK wanted (IPMI always uses 0xFF)
 *   3  class          bit 7: this is an RMCP ACK; bits 4:0: 0x06 ASF, 0x07 IPMI
 *
 * ASF presence ping / pong (IPMI v2.0 §13.2.3, ASF 2.0 §3.2.4); ASF fields
 * are big-endian:
 *   4  IANA           4542 (00 00 11 BE)
 *   8  message type   0x80 ping, 0x40 pong
 *   9  message tag    0x00-0xFE, echoed by the pong
 *  10  reserved       0x00
 *  11  data length    0x00 ping, 0x10 pong
 *  pong data:
 *  12  IANA           4542, or the OEM's if the OEM-defined field is used
 *  16  OEM-defined    4 bytes, usually 0
 *  20  entities       bit 7: IPMI supported; bits 3:0: ASF version
 *  21  interactions   usually 0
 *  22  reserved       6 bytes
 * The client writes the ping and reads the pong; the simulator reads the
 * ping (exactly these 12 bytes) and writes the pong with OEM-defined 0,
 * entities 0x81 (IPMI, ASF 1.0) and interactions 0.
 *
 * IPMI 1.5 session wrapper (IPMI v2.0 §13.6, Table 13-4), after the RMCP
 * header:
 *   0  auth type      bits 3:0: 0 none, 1 MD2, 2 MD5, 4 password, 5 OEM; 6 = RMCP+
 *   1  session seq    4 bytes LE  (1.5 puts the sequence before the ID)
 *   5  session ID     4 bytes LE
 *   9  AuthCode       16 bytes, only if auth type != none
 *   9  message length 1 byte (25 with an AuthCode)
 *  10  IPMI message   (ipmi_msg.c)
 *      legacy pad     one 0x00 byte that some 1.5 stacks append
 * The same wrapper carries the probe in both directions (the simulator
 * decodes the request and encodes its reply with these two functions).
 *
 * Pure codecs: no I/O, no state, no logging. Every read goes through
 * common/buf; malformed input is IC_EPROTO.
 */
#include "rmcp.h"

#include "buf.h"
#include "ic_err.h"

#include <string.h>

#define RMCP_CLASS_ACK    0x80
#define RMCP_CLASS_MASK   0x1F
#define RMCP_AUTH_MASK    0x0F
#define RMCP_AUTH_NONE    0x00
#define RMCP_AUTH_RMCPP   0x06
#define ASF_TYPE_PING     0x80
#define ASF_TYPE_PONG     0x40
#define ASF_PONG_DATA_LEN 16
#define RMCP_V15_MAX_MSG  255 /* the length field is one byte */
/* Pong supported entities: IPMI supported (bit 7), ASF version 1. */
#define ASF_PONG_ENTITIES 0x81

/*
 * Reads the 4-byte RMCP header and returns its class, or IC_EPROTO for a
 * wrong version or an RMCP ACK (we never ask for ACKs, so one is not ours).
 */
static int
read_hdr(struct buf_rd *r)
{
    uint8_t version = buf_get_u8(r);
    buf_skip(r, 1); /* reserved: not checked, some BMCs put junk there */
    buf_skip(r, 1); /* RMCP sequence: 0xFF in practice, not needed to decode */
    uint8_t cls = buf_get_u8(r);
    if (buf_rd_err(r) || version != RMCP_VERSION || (cls & RMCP_CLASS_ACK))
        return IC_EPROTO;
    return cls & RMCP_CLASS_MASK;
}

static void
put_hdr(struct buf_wr *w, uint8_t cls)
{
    buf_put_u8(w, RMCP_VERSION);
    buf_put_u8(w, 0x00);
    buf_put_u8(w, RMCP_SEQ_NOACK);
    buf_put_u8(w, cls);
}

int
rmcp_classify(const uint8_t *pkt, size_t len)
{
    struct buf_rd r;
    buf_rd_init(&r, pkt, len);
    int cls = read_hdr(&r);
    if (cls < 0)
        return cls;
    if (cls == RMCP_CLASS_ASF)
        return RMCP_KIND_ASF;
    if (cls != RMCP_CLASS_IPMI)
        return IC_EPROTO;
    /* The auth type byte tells 1.5 framing from RMCP+ (high nibble reserved). */
    uint8_t auth = buf_get_u8(&r);
    if (buf_rd_err(&r))
        return IC_EPROTO;
    return (auth & RMCP_AUTH_MASK) == RMCP_AUTH_RMCPP ? RMCP_KIND_V20 : RMCP_KIND_V15;
}

int
rmcp_encode_ping(uint8_t tag, struct buf_wr *w)
{
    /* Tag 0xFF marks a message that expects no response (ASF 2.0 §3.2.2.3). */
    if (tag == 0xFF)
        return IC_EINVAL;
    put_hdr(w, RMCP_CLASS_ASF);
    buf_put_be32(w, ASF_IANA);
    buf_put_u8(w, ASF_TYPE_PING);
    buf_put_u8(w, tag);
    buf_put_u8(w, 0x00);
    buf_put_u8(w, 0x00);
    return buf_wr_err(w);
}

int
rmcp_decode_pong(const uint8_t *pkt, size_t len, struct rmcp_pong *pong)
{
    struct buf_rd r;
    memset(pong, 0, sizeof(*pong));
    buf_rd_init(&r, pkt, len);
    if (read_hdr(&r) != RMCP_CLASS_ASF)
        return IC_EPROTO;
    uint32_t iana = buf_get_be32(&r);
    uint8_t type = buf_get_u8(&r);
    uint8_t tag = buf_get_u8(&r);
    buf_skip(&r, 1);
    uint8_t dlen = buf_get_u8(&r);
    if (buf_rd_err(&r) || iana != ASF_IANA || type != ASF_TYPE_PONG)
        return IC_EPROTO;
    /* The pong's data is 16 bytes; the datagram must hold exactly what it announces. */
    if (dlen < ASF_PONG_DATA_LEN || buf_rd_left(&r) != dlen)
        return IC_EPROTO;
    pong->tag = tag;
    pong->iana = buf_get_be32(&r);
    buf_skip(&r, 4); /* OEM-defined */
    pong->entities = buf_get_u8(&r);
    pong->interactions = buf_get_u8(&r);
    if (buf_rd_err(&r)) {
        memset(pong, 0, sizeof(*pong));
        return IC_EPROTO;
    }
    return 0;
}

int
rmcp_decode_ping(const uint8_t *pkt, size_t len, uint8_t *tag)
{
    struct buf_rd r;
    *tag = 0;
    buf_rd_init(&r, pkt, len);
    if (read_hdr(&r) != RMCP_CLASS_ASF)
        return IC_EPROTO;
    uint32_t iana = buf_get_be32(&r);
    uint8_t type = buf_get_u8(&r);
    uint8_t t = buf_get_u8(&r);
    buf_skip(&r, 1);
    uint8_t dlen = buf_get_u8(&r);
    /* A ping carries no data: nothing may follow its 12 bytes. */
    if (buf_rd_err(&r) || iana != ASF_IANA || type != ASF_TYPE_PING || dlen != 0 ||
        buf_rd_left(&r) != 0)
        return IC_EPROTO;
    *tag = t;
    return 0;
}

int
rmcp_encode_pong(uint8_t tag, struct buf_wr *w)
{
    put_hdr(w, RMCP_CLASS_ASF);
    buf_put_be32(w, ASF_IANA);
    buf_put_u8(w, ASF_TYPE_PONG);
    buf_put_u8(w, tag);
    buf_put_u8(w, 0x00);
    buf_put_u8(w, ASF_PONG_DATA_LEN);
    buf_put_be32(w, ASF_IANA);
    buf_put_be32(w, 0); /* OEM-defined */
    buf_put_u8(w, ASF_PONG_ENTITIES);
    buf_put_u8(w, 0x00); /* supported interactions */
    for (int i = 0; i < 6; i++)
        buf_put_u8(w, 0x00); /* reserved */
    return buf_wr_err(w);
}

int
rmcp_encode_v15(const uint8_t *msg, size_t msglen, struct buf_wr *w)
{
    if (msglen == 0 || msglen > RMCP_V15_MAX_MSG || !msg)
        return IC_EINVAL;
    put_hdr(w, RMCP_CLASS_IPMI);
    buf_put_u8(w, RMCP_AUTH_NONE);
    buf_put_le32(w, 0); /* session sequence */
    buf_put_le32(w, 0); /* session ID */
    buf_put_u8(w, (uint8_t)msglen);
    buf_put_bytes(w, msg, msglen);
    return buf_wr_err(w);
}

int
rmcp_decode_v15(const uint8_t *pkt, size_t len, const uint8_t **msg, size_t *msglen)
{
    struct buf_rd r;
    *msg = NULL;
    *msglen = 0;
    buf_rd_init(&r, pkt, len);
    if (read_hdr(&r) != RMCP_CLASS_IPMI)
        return IC_EPROTO;
    uint8_t auth = buf_get_u8(&r);
    buf_skip(&r, 4); /* session sequence: meaningless outside a session */
    uint32_t sid = buf_get_le32(&r);
    uint8_t n = buf_get_u8(&r);
    /*
     * Only the pre-session reply is accepted here: auth type none (so no
     * AuthCode) and session ID 0. Anything else is either RMCP+ or a 1.5
     * session we never open.
     */
    if (buf_rd_err(&r) || (auth & RMCP_AUTH_MASK) != RMCP_AUTH_NONE || sid != 0 || n == 0)
        return IC_EPROTO;
    const uint8_t *m = buf_get_span(&r, n);
    if (!m)
        return IC_EPROTO;
    /* Allow the one legacy pad byte (0x00) some IPMI 1.5 stacks append; nothing else. */
    size_t left = buf_rd_left(&r);
    if (left > 1 || (left == 1 && buf_get_u8(&r) != 0x00))
        return IC_EPROTO;
    *msg = m;
    *msglen = n;
    return 0;
}
