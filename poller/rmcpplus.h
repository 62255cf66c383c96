/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rmcpplus.h - the IPMI v2.0 RMCP+ session packet: header, payload,
 * confidentiality (AES-CBC-128), integrity trailer, and the inbound
 * sequence-number window. Pure codec over caller buffers; the per-session
 * crypto contexts come from crypto.h.
 *
 * Inbound checks run in the reference's order (§1.9): length, header,
 * session ID, integrity (constant time), sequence window, decryption, pad.
 * A packet that fails any check is reported with the reason, so the session
 * can count drops by kind; nothing from it is trusted.
 */
#ifndef IC_RMCPPLUS_H
#define IC_RMCPPLUS_H

#include "crypto.h"

#include <stddef.h>
#include <stdint.h>

struct buf_wr;

/* Payload types (Table 13-16). */
enum rmcpp_ptype {
    RMCPP_PT_IPMI = 0x00,
    RMCPP_PT_SOL = 0x01,
    RMCPP_PT_OPEN_REQ = 0x10,
    RMCPP_PT_OPEN_RESP = 0x11,
    RMCPP_PT_RAKP1 = 0x12,
    RMCPP_PT_RAKP2 = 0x13,
    RMCPP_PT_RAKP3 = 0x14,
    RMCPP_PT_RAKP4 = 0x15,
};

/* Largest payload we send or accept (plaintext); IPMI messages are far smaller. */
#define RMCPP_MAX_PAYLOAD 1024
/* Largest datagram we build or accept. */
#define RMCPP_MAX_PACKET 1200

/* Why an inbound packet was dropped. */
enum rmcpp_drop {
    RMCPP_DROP_NONE = 0,
    RMCPP_DROP_LENGTH,          /* too short, or lengths that do not add up */
    RMCPP_DROP_HEADER,          /* not RMCP+/IPMI, OEM payload, unexpected flags */
    RMCPP_DROP_SESSION,         /* session ID is not ours */
    RMCPP_DROP_INTEGRITY,       /* missing or wrong AuthCode, bad trailer */
    RMCPP_DROP_SEQUENCE,        /* duplicate or outside the window */
    RMCPP_DROP_CONFIDENTIALITY, /* missing encryption, bad length or pad */
    RMCPP_DROP_COUNT
};

const char *rmcpp_drop_str(enum rmcpp_drop d);

/*
 * Inbound sequence window: highest accepted number plus a 32-bit bitmap of
 * the 32 numbers at and below it. Accepts highest-16 .. highest+15 not yet
 * seen (ipmi_sim's window); 0 is never accepted.
 */
struct rmcpp_window {
    uint32_t highest;
    uint32_t seen; /* bit i set: highest - i was accepted */
    int any;       /* nothing accepted yet: accept any non-zero number */
};

/* Returns 0 and records seq if acceptable, or IC_EPROTO. */
int rmcpp_window_check(struct rmcpp_window *win, uint32_t seq);

/* State of an active session that the codec needs. Owned by the session. */
struct rmcpp_sess {
    struct crypto_sess *cs; /* borrowed */
    enum ipmi_integ_alg integ;
    enum ipmi_conf_alg conf;
    uint32_t console_sid; /* what the BMC puts in packets to us */
    uint32_t bmc_sid;     /* what we put in packets to the BMC */
    uint32_t out_seq;     /* last sequence number sent (0 = none yet) */
    struct rmcpp_window win;
};

/*
 * Builds a session-less RMCP+ packet (payload types 0x10-0x15, or a
 * session-less IPMI request such as Get Channel Cipher Suites): session ID 0,
 * sequence 0, not authenticated, not encrypted.
 */
int rmcpp_encode_plain(enum rmcpp_ptype pt, const uint8_t *payload, size_t len, struct buf_wr *w);

/*
 * Builds an in-session packet: increments s->out_seq (skipping 0), encrypts
 * with a fresh random IV if s->conf is AES, appends the integrity trailer if
 * s->integ is not none. Returns 0, IC_ETOOBIG or IC_EIO.
 */
int rmcpp_encode(struct rmcpp_sess *s, enum rmcpp_ptype pt, const uint8_t *payload, size_t len,
                 struct buf_wr *w);

/* A decoded inbound packet. payload points into the caller's buffer. */
struct rmcpp_pkt {
    enum rmcpp_ptype pt;
    uint32_t sid;
    uint32_t seq;
    int authenticated;
    int encrypted;
    const uint8_t *payload;
    size_t len;
};

/*
 * Decodes a session-less packet (session ID 0, not authenticated, not
 * encrypted). Returns 0 or IC_EPROTO with *why set.
 */
int rmcpp_decode_plain(const uint8_t *pkt, size_t len, struct rmcpp_pkt *out, enum rmcpp_drop *why);

/*
 * Decodes and verifies an in-session packet for session s. The plaintext
 * payload is written to work (at least RMCPP_MAX_PAYLOAD bytes) and
 * out->payload points there. On success the sequence number has been
 * recorded in s->win. Returns 0 or IC_EPROTO with *why set.
 */
int rmcpp_decode(struct rmcpp_sess *s, const uint8_t *pkt, size_t len, uint8_t *work,
                 struct rmcpp_pkt *out, enum rmcpp_drop *why);

/*
 * Reads just the header fields (payload type, session ID) without verifying
 * anything, so a receiver can route the datagram. Returns 0 or IC_EPROTO.
 */
int rmcpp_peek(const uint8_t *pkt, size_t len, enum rmcpp_ptype *pt, uint32_t *sid);

/*
 * TEST ONLY: makes rmcpp_encode use iv instead of a random IV for every
 * encrypted packet (known-answer tests); NULL restores random IVs. Never
 * called outside tests/; not thread-safe.
 */
void rmcpp_test_set_iv(const uint8_t *iv);

#endif
