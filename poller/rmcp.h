/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rmcp.h - RMCP framing (ASF/DMTF): the 4-byte RMCP header, the ASF
 * presence ping/pong, and the IPMI 1.5 session framing that is still needed
 * for the session-less Get Channel Authentication Capabilities probe.
 * Pure codecs: no I/O. The client writes pings and reads pongs; the
 * simulator reads pings and writes pongs; both use the 1.5 wrapper.
 */
#ifndef IC_RMCP_H
#define IC_RMCP_H

#include <stddef.h>
#include <stdint.h>

struct buf_wr;

#define RMCP_VERSION    0x06
#define RMCP_SEQ_NOACK  0xFF
#define RMCP_CLASS_ASF  0x06
#define RMCP_CLASS_IPMI 0x07
#define RMCP_HDR_LEN    4
#define ASF_IANA        4542u

/* What an inbound datagram is, from its first bytes. */
enum rmcp_kind {
    RMCP_KIND_ASF = 1, /* ASF message (pong) */
    RMCP_KIND_V15 = 2, /* IPMI 1.5 session framing (auth type != 6) */
    RMCP_KIND_V20 = 3, /* IPMI 2.0 / RMCP+ (auth type 6) */
};

/*
 * Classifies a datagram by its RMCP header and auth type byte.
 * Returns an enum rmcp_kind (> 0) or IC_EPROTO (too short, wrong version,
 * RMCP ACK, unknown class).
 */
int rmcp_classify(const uint8_t *pkt, size_t len);

/* ASF presence pong, the fields a client cares about. */
struct rmcp_pong {
    uint8_t tag;
    uint32_t iana;
    uint8_t entities; /* bit 7: IPMI supported */
    uint8_t interactions;
};

/* Writes a 12-byte presence ping with message tag tag (0x00-0xFE). */
int rmcp_encode_ping(uint8_t tag, struct buf_wr *w);
/* Decodes a presence pong (28 bytes). Returns 0 or IC_EPROTO. */
int rmcp_decode_pong(const uint8_t *pkt, size_t len, struct rmcp_pong *pong);

/*
 * BMC side. Decodes a presence ping (exactly 12 bytes: RMCP header class ASF,
 * IANA 4542, type 0x80, data length 0) and returns its tag, any value
 * including 0xFF (ASF: "no response expected" - the caller's decision).
 * Returns 0 or IC_EPROTO.
 */
int rmcp_decode_ping(const uint8_t *pkt, size_t len, uint8_t *tag);
/*
 * Writes the 28-byte presence pong echoing tag: IANA 4542, no OEM data,
 * entities 0x81 (IPMI supported, ASF 1.0), no interactions.
 */
int rmcp_encode_pong(uint8_t tag, struct buf_wr *w);

/*
 * Wraps an IPMI message in RMCP + IPMI 1.5 session framing with auth type
 * none, session sequence 0 and session ID 0 (only used before a session).
 */
int rmcp_encode_v15(const uint8_t *msg, size_t msglen, struct buf_wr *w);
/*
 * Unwraps an IPMI 1.5 framed datagram with auth type none and session ID 0.
 * *msg points into pkt. Returns 0 or IC_EPROTO (an AuthCode, a session, or a
 * length that does not fit).
 */
int rmcp_decode_v15(const uint8_t *pkt, size_t len, const uint8_t **msg, size_t *msglen);

#endif
