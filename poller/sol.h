/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sol.h - private: Serial-over-LAN (payload type 0x01) in three layers.
 *
 *   sol_pkt.c  pure codec: the SOL packet, Activate / Deactivate Payload
 *              request and response data (reference §9.1-§9.3).
 *   sol_sm.c   pure state machine of one active SOL payload, fed inbound
 *              packets and the time, asked for the packets to send: outbound
 *              queue, sequence numbers, acks, retransmission, partial
 *              acceptance, NACK back-off, duplicate suppression. No I/O, no
 *              clock, no allocation: unit-tested and fuzzed without a network.
 *   sol.c      the glue to a session (struct ipmi_sol, poller.h): activation,
 *              steal, timers, routing, re-activation after re-establishment.
 *
 * Locking: none. A SOL object lives on its session's loop.
 */
#ifndef IC_SOL_H
#define IC_SOL_H

#include <stddef.h>
#include <stdint.h>

struct ipmi_session;
struct ipmi_sol;

/* ---- codec (sol_pkt.c) ---------------------------------------------------- */

#define SOL_HDR_LEN   4
#define SOL_MAX_CHARS 255                           /* characters in one packet */
#define SOL_MAX_PKT   (SOL_HDR_LEN + SOL_MAX_CHARS) /* 259: FreeIPMI's clamp too */
#define SOL_MIN_PKT   (SOL_HDR_LEN + 1)
#define SOL_SEQ_MAX   15

/* Byte 3, console -> BMC (operation). */
#define SOL_OP_NACK      0x40
#define SOL_OP_RING      0x20
#define SOL_OP_BREAK     0x10
#define SOL_OP_CTS_PAUSE 0x08
#define SOL_OP_DCD_DSR   0x04
#define SOL_OP_FLUSH_IN  0x02
#define SOL_OP_FLUSH_OUT 0x01
/* Byte 3, BMC -> console (status). */
#define SOL_ST_NACK         0x40
#define SOL_ST_UNAVAILABLE  0x20 /* character transfer unavailable (with NACK: buffer full) */
#define SOL_ST_DEACTIVATING 0x10
#define SOL_ST_OVERRUN      0x08 /* characters were dropped */
#define SOL_ST_BREAK        0x04

/* One SOL packet. data points into the decoded buffer (or the caller's, for encode). */
struct sol_pkt {
    uint8_t seq;      /* 1..15; 0 = ack-only, no characters */
    uint8_t ack;      /* sequence number acked or nacked; 0 = none */
    uint8_t accepted; /* characters accepted of the packet acked */
    uint8_t flags;    /* SOL_OP_* or SOL_ST_* */
    const uint8_t *data;
    size_t len;
};

/*
 * Decodes a SOL payload. The reserved high nibbles of bytes 0 and 1 and bit
 * 7 of byte 3 are ignored; characters in an ack-only packet (seq 0) are
 * ignored (len 0). Returns 0, or IC_EPROTO if shorter than 4 bytes or
 * longer than 4 + 255.
 */
int sol_pkt_decode(const uint8_t *p, size_t n, struct sol_pkt *out);
/* Encodes pk into out (room for SOL_MAX_PKT). Returns the length, or IC_EINVAL. */
int sol_pkt_encode(const struct sol_pkt *pk, uint8_t *out, size_t outlen);

/* Activate Payload (App 0x48) response data (after the completion code). */
struct sol_activation {
    uint32_t aux;
    uint16_t inbound;  /* max SOL payload console -> BMC, as sent */
    uint16_t outbound; /* max SOL payload BMC -> console, as sent */
    uint16_t port;     /* UDP port for SOL packets */
    uint16_t vlan;     /* 0xFFFF = none */
};

#define SOL_AUX_ENCRYPT      0x80
#define SOL_AUX_AUTHENTICATE 0x40
#define SOL_AUX_ALERT_DEFER  0x04 /* serial alerts deferred while SOL is active */

#define IPMI_CMD_ACTIVATE_PAYLOAD      0x48
#define IPMI_CMD_DEACTIVATE_PAYLOAD    0x49
#define IPMI_CMD_PAYLOAD_INSTANCE_INFO 0x4B

/* Request data of Activate Payload (6 bytes) for SOL instance 1. */
void sol_activate_req(uint8_t out[6], int encrypt, int authenticate);
/* Request data of Deactivate Payload (6 bytes) for SOL instance 1. */
void sol_deactivate_req(uint8_t out[6]);
/* Decodes the response data after cc 0. Returns 0 or IC_EPROTO (fewer than 10 bytes). */
int sol_activation_decode(const uint8_t *p, size_t n, struct sol_activation *out);
/*
 * Get Payload Instance Info (App 0x4B) response: cc, then 0-3 the BMC
 * session ID that activated the instance (0 = not active), 4-11 payload
 * specific. Returns 0 and *owner, or IC_ECC (cc != 0) / IC_EPROTO (short).
 */
int sol_instance_owner(uint8_t cc, const uint8_t *p, size_t n, uint32_t *owner);
/* A payload size clamped to 5..259 (bogus sizes: ipmi_sim says 16384). */
uint16_t sol_clamp_size(uint16_t size);

/* ---- state machine (sol_sm.c) --------------------------------------------- */

#define SOL_TXQ_MAX 8192 /* characters queued for the console, not yet in a packet */

struct sol_sm_stats {
    uint64_t rx_chars, tx_chars; /* delivered / accepted by the BMC */
    uint64_t rx_packets, tx_packets;
    uint64_t retransmits, duplicates, nacks, partials, overruns, stale_acks, breaks, probes;
};

/* Characters received, in order, once. */
typedef void (*sol_deliver_fn)(void *arg, const uint8_t *p, size_t n);

struct sol_sm {
    unsigned retry_ms, retries, max_chars;
    /* outbound */
    uint8_t q[SOL_TXQ_MAX + SOL_MAX_CHARS]; /* ring of characters not yet in a packet */
    size_t q_head, q_len;
    uint8_t cur[SOL_MAX_CHARS]; /* the packet in flight (or to be sent) */
    size_t cur_len;
    uint8_t cur_seq;   /* 0: no packet in flight */
    uint8_t cur_flags; /* SOL_OP_* of the packet in flight */
    int cur_sent;      /* transmitted at least once */
    unsigned tries;    /* transmissions of the packet in flight */
    uint64_t deadline; /* next transmission of cur, or hold-off end */
    uint8_t last_seq;  /* last sequence number used */
    int want_break;
    int want_probe;
    int want_sync;    /* the first packet after an activation: empty (see sol_sm.c) */
    unsigned backoff; /* consecutive NACKs */
    int failed;       /* gave up: no ack after all retries */
    /* inbound */
    uint8_t rx_seq; /* sequence number of the last data packet accepted; 0 = none */
    uint8_t rx_count;
    int ack_due; /* an ack-only packet for rx_seq/rx_count is to be sent */
    struct sol_sm_stats st;
};

/*
 * Starts a state machine. retry_ms, retries: see struct ipmi_sol_opts;
 * inbound_size: the BMC's inbound payload size (clamped here).
 */
void sol_sm_init(struct sol_sm *m, unsigned retry_ms, unsigned retries, uint16_t inbound_size);
/*
 * The payload was (re-)activated: sequence numbers and acks start over with
 * an empty packet 1 (sol_sm.c, "Sync"); the characters not yet accepted
 * are kept and sent first, in a new packet.
 */
void sol_sm_restart(struct sol_sm *m, uint16_t inbound_size);
/* Queues n characters: 0, IC_EAGAIN (not enough room: nothing queued) or IC_ETOOBIG. */
int sol_sm_write(struct sol_sm *m, const uint8_t *p, size_t n);
/* Characters that ipmi_sol_write can still queue. */
size_t sol_sm_room(const struct sol_sm *m);
/* 1 while characters (or a break) wait to be sent or acknowledged. */
int sol_sm_busy(const struct sol_sm *m);
/* Sends an empty data packet the BMC must ack, if nothing is under way. Returns 1 if queued. */
int sol_sm_probe(struct sol_sm *m);
/* Asks for a break with the next packet. */
void sol_sm_break(struct sol_sm *m);
/*
 * An inbound SOL payload at time now. New characters go to fn(arg, ...),
 * in order and once; duplicates are re-acked, not re-delivered. Returns the
 * packet's status bits (SOL_ST_*), or IC_EPROTO (malformed; ignored).
 */
int sol_sm_input(struct sol_sm *m, uint64_t now, const uint8_t *p, size_t n, sol_deliver_fn fn,
                 void *arg);
/*
 * The next packet to send at time now, encoded into out (SOL_MAX_PKT bytes).
 * Returns its length (call again until 0), 0 when nothing is due, or
 * IC_ETIMEDOUT once the packet in flight went unacknowledged after all
 * retries (the state machine then stays failed).
 */
int sol_sm_output(struct sol_sm *m, uint64_t now, uint8_t *out, size_t outlen);
/* When sol_sm_output next has something to do; UINT64_MAX if only input can change that. */
uint64_t sol_sm_deadline(const struct sol_sm *m);

/* ---- session glue (sol.c), called by session.c ---------------------------- */

/* An inbound SOL payload for s->sol (session active, packet verified). */
void sol_sess_input(struct ipmi_sol *sol, const uint8_t *p, size_t n);
/* The session's keys were dropped while active (loss): re-activate later. */
void sol_sess_down(struct ipmi_sol *sol);
/* The session is closed or freed: end SOL now (err, msg) and forget the session. */
void sol_sess_detach(struct ipmi_sol *sol, int err, const char *msg);

#endif
