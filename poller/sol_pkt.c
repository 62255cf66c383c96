/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sol_pkt.c - Serial-over-LAN codecs (IPMI v2.0 §15.9, Tables 15-2, 24-2,
 * 24-3; reference §9). Pure: bytes in, struct out.
 *
 * SOL packet (payload type 0x01), both directions:
 *   0   b3:0 packet sequence number 1..15 (0 = ack-only, carries no characters)
 *   1   b3:0 acked/nacked packet sequence number (0 = acks nothing)
 *   2   accepted character count (of the packet acked)
 *   3   console -> BMC: operation  b6 NACK, b5 ring/WOR, b4 break, b3 deassert CTS,
 *                                  b2 deassert DCD/DSR, b1 flush inbound, b0 flush outbound
 *       BMC -> console: status     b6 NACK, b5 character transfer unavailable,
 *                                  b4 SOL deactivating, b3 transmit overrun, b2 break
 *   4.. characters (at most 255)
 *
 * Activate Payload (App 0x48) request:
 *   0 payload type 0x01 | 1 instance | 2 aux: b7 encrypt, b6 authenticate,
 *   b3:2 serial alerts (01 = defer), b1 hold CTS/DCD/DSR until our first packet | 3-5 0
 * response, after the completion code:
 *   0-3 aux | 4-5 inbound payload size | 6-7 outbound payload size |
 *   8-9 UDP port | 10-11 VLAN (all little-endian)
 * Deactivate Payload (App 0x49) request: 0 payload type | 1 instance | 2-5 0.
 * Get Payload Instance Info (App 0x4B) request: 0 payload type | 1 instance;
 * response after the completion code: 0-3 session ID of the owner
 * (0 = not active) | 4-11 payload specific (SOL: port number, 0s).
 */
#include "sol.h"
#include "buf.h"
#include "ic_err.h"

#include <string.h>

int
sol_pkt_decode(const uint8_t *p, size_t n, struct sol_pkt *out)
{
    struct buf_rd r;
    memset(out, 0, sizeof(*out));
    if (n < SOL_HDR_LEN || n > SOL_MAX_PKT)
        return IC_EPROTO;
    buf_rd_init(&r, p, n);
    out->seq = buf_get_u8(&r) & 0x0F;
    out->ack = buf_get_u8(&r) & 0x0F;
    out->accepted = buf_get_u8(&r);
    out->flags = buf_get_u8(&r) & 0x7F;
    if (buf_rd_err(&r))
        return IC_EPROTO;
    if (out->seq != 0) {
        out->len = buf_rd_left(&r);
        out->data = out->len ? buf_rd_ptr(&r) : NULL;
    }
    return 0;
}

int
sol_pkt_encode(const struct sol_pkt *pk, uint8_t *out, size_t outlen)
{
    struct buf_wr w;
    if (pk->seq > SOL_SEQ_MAX || pk->ack > SOL_SEQ_MAX || pk->len > SOL_MAX_CHARS ||
        (pk->seq == 0 && pk->len) || (pk->len && !pk->data))
        return IC_EINVAL;
    buf_wr_init(&w, out, outlen);
    buf_put_u8(&w, pk->seq);
    buf_put_u8(&w, pk->ack);
    buf_put_u8(&w, pk->accepted);
    buf_put_u8(&w, pk->flags & 0x7F);
    if (pk->len)
        buf_put_bytes(&w, pk->data, pk->len);
    if (buf_wr_err(&w))
        return IC_EINVAL;
    return (int)w.len;
}

void
sol_activate_req(uint8_t out[6], int encrypt, int authenticate)
{
    memset(out, 0, 6);
    out[0] = 0x01; /* payload type SOL */
    out[1] = 0x01; /* instance 1 */
    /*
     * Serial alerts deferred, as ipmitool asks. CTS/DCD/DSR asserted at once
     * (b1 = 0): a capture-only console may never send a packet.
     */
    out[2] = (uint8_t)((encrypt ? SOL_AUX_ENCRYPT : 0) | (authenticate ? SOL_AUX_AUTHENTICATE : 0) |
                       SOL_AUX_ALERT_DEFER);
}

void
sol_deactivate_req(uint8_t out[6])
{
    memset(out, 0, 6);
    out[0] = 0x01;
    out[1] = 0x01;
}

int
sol_activation_decode(const uint8_t *p, size_t n, struct sol_activation *out)
{
    struct buf_rd r;
    memset(out, 0, sizeof(*out));
    buf_rd_init(&r, p, n);
    out->aux = buf_get_le32(&r);
    out->inbound = buf_get_le16(&r);
    out->outbound = buf_get_le16(&r);
    out->port = buf_get_le16(&r);
    /* The VLAN field is missing in some BMCs' replies: optional. */
    out->vlan = buf_rd_left(&r) >= 2 ? buf_get_le16(&r) : 0xFFFF;
    return buf_rd_err(&r) ? IC_EPROTO : 0;
}

int
sol_instance_owner(uint8_t cc, const uint8_t *p, size_t n, uint32_t *owner)
{
    struct buf_rd r;
    *owner = 0;
    if (cc != 0)
        return IC_ECC;
    buf_rd_init(&r, p, n);
    uint32_t v = buf_get_le32(&r);
    if (buf_rd_err(&r))
        return IC_EPROTO;
    *owner = v;
    return 0;
}

uint16_t
sol_clamp_size(uint16_t size)
{
    if (size < SOL_MIN_PKT)
        return SOL_MIN_PKT;
    return size > SOL_MAX_PKT ? SOL_MAX_PKT : size;
}
