/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rakp.h - RMCP+ session establishment messages (IPMI v2.0 §13.17-13.23):
 * Open Session Request/Response, RAKP 1-4, the cipher suite table and the
 * key derivation (SIK, K1, K2). Pure codecs and pure computations: no I/O.
 *
 * The messages here are payloads (payload types 0x10-0x15); the RMCP+
 * framing around them is rmcpplus.h's job. Every message has both codecs:
 * the client encodes what a console sends and decodes what a BMC answers,
 * the built-in simulator does the opposite; the HMAC and key functions at
 * the end serve both sides unchanged.
 */
#ifndef IC_RAKP_H
#define IC_RAKP_H

#include "crypto.h"

#include <stddef.h>
#include <stdint.h>

struct buf_wr;

#define RAKP_MAX_USER 16

/* RMCP+ / RAKP status codes (Table 13-15). */
enum rakp_status {
    RAKP_ST_OK = 0x00,
    RAKP_ST_NO_RESOURCES = 0x01,
    RAKP_ST_INVALID_SID = 0x02,
    RAKP_ST_INVALID_PAYLOAD = 0x03,
    RAKP_ST_INVALID_AUTH_ALG = 0x04,
    RAKP_ST_INVALID_INTEG_ALG = 0x05,
    RAKP_ST_NO_MATCHING_AUTH = 0x06,
    RAKP_ST_NO_MATCHING_INTEG = 0x07,
    RAKP_ST_INACTIVE_SID = 0x08,
    RAKP_ST_INVALID_ROLE = 0x09,
    RAKP_ST_UNAUTHORIZED_ROLE = 0x0A,
    RAKP_ST_NO_RESOURCES_ROLE = 0x0B,
    RAKP_ST_INVALID_NAME_LEN = 0x0C,
    RAKP_ST_UNAUTHORIZED_NAME = 0x0D,
    RAKP_ST_UNAUTHORIZED_GUID = 0x0E,
    RAKP_ST_INVALID_ICV = 0x0F,
    RAKP_ST_INVALID_CONF_ALG = 0x10,
    RAKP_ST_NO_CIPHER_MATCH = 0x11,
    RAKP_ST_ILLEGAL_PARAM = 0x12,
};

/* Text for a status code ("unauthorized name"); never NULL. */
const char *rakp_status_str(uint8_t status);

/* A cipher suite this client implements. */
struct ipmi_suite {
    uint8_t id;
    enum ipmi_auth_alg auth;
    enum ipmi_integ_alg integ;
    enum ipmi_conf_alg conf;
};

/*
 * Policy classes (reference §2.4 / §11): which suites are usable by default,
 * which need an explicit opt-in, which are refused.
 */
enum rakp_suite_policy {
    RAKP_SUITE_DEFAULT = 0, /* 3, 17: integrity and AES */
    RAKP_SUITE_CLEARTEXT,   /* 2, 16: integrity, no encryption: opt-in */
    RAKP_SUITE_WEAK,        /* 1, 6, 7, 8, 11, 12, 15: MD5 or no integrity: opt-in */
    RAKP_SUITE_INSECURE,    /* 0: no authentication at all: loud opt-in */
    RAKP_SUITE_UNSUPPORTED, /* xRC4 and unknown ids: never */
};

/*
 * Looks up a suite id. Returns NULL if this client does not implement it
 * (implemented: 0, 1, 2, 3, 6, 7, 8, 11, 12, 15, 16, 17).
 */
const struct ipmi_suite *rakp_suite(int id);
enum rakp_suite_policy rakp_suite_policy(int id);

/* Open Session Request (payload 0x10), 32 bytes. */
struct rakp_open_req {
    uint8_t tag;
    uint8_t priv; /* requested maximum privilege, bits 3:0 */
    uint32_t console_sid;
    uint8_t auth, integ, conf;
};

/* Open Session Response (payload 0x11). */
struct rakp_open_resp {
    uint8_t tag;
    uint8_t status;
    uint8_t max_priv;
    uint32_t console_sid;
    uint32_t bmc_sid;
    uint8_t auth, integ, conf;
};

int rakp_encode_open_req(const struct rakp_open_req *rq, struct buf_wr *w);
/*
 * Decodes a response. A non-zero status reply may be as short as 2 bytes
 * (ipmi_sim); then only tag and status are set. Returns 0 or IC_EPROTO.
 */
int rakp_decode_open_resp(const uint8_t *p, size_t len, struct rakp_open_resp *rs);

/* RAKP message 1 (payload 0x12), 28 + ulen bytes. */
struct rakp1 {
    uint8_t tag;
    uint32_t bmc_sid;
    uint8_t rm[16];
    uint8_t role; /* privilege | 0x10 name-only lookup, exactly as hashed */
    uint8_t ulen;
    uint8_t user[RAKP_MAX_USER];
};

/* RAKP message 2 (payload 0x13). */
struct rakp2 {
    uint8_t tag;
    uint8_t status;
    uint32_t console_sid;
    uint8_t rc[16];
    uint8_t guid[16];
    uint8_t kex[CRYPTO_MAX_MD];
    size_t kexlen;
};

/* RAKP message 3 (payload 0x14): status 0 and a key exchange code, or an error status alone. */
struct rakp3 {
    uint8_t tag;
    uint8_t status;
    uint32_t bmc_sid;
    uint8_t kex[CRYPTO_MAX_MD];
    size_t kexlen;
};

/* RAKP message 4 (payload 0x15). */
struct rakp4 {
    uint8_t tag;
    uint8_t status;
    uint32_t console_sid;
    uint8_t icv[CRYPTO_MAX_MD];
    size_t icvlen;
};

int rakp_encode_rakp1(const struct rakp1 *m, struct buf_wr *w);
/*
 * Decodes RAKP 2. auth selects the expected key-exchange code length. A reply
 * with non-zero status may stop after the status (then only tag/status are
 * set). A code longer than the hash is refused (IC_EPROTO), not truncated.
 */
int rakp_decode_rakp2(const uint8_t *p, size_t len, enum ipmi_auth_alg auth, struct rakp2 *m);
int rakp_encode_rakp3(const struct rakp3 *m, struct buf_wr *w);
int rakp_decode_rakp4(const uint8_t *p, size_t len, enum ipmi_auth_alg auth, struct rakp4 *m);

/*
 * BMC side (the simulator): decoders of what a console sends and encoders of
 * the replies. Decoders return 0 or IC_EPROTO and leave the struct zeroed on
 * failure; encoders return 0, IC_EINVAL (a code longer than CRYPTO_MAX_MD) or
 * the writer's IC_ETOOBIG.
 */
/* Exactly 32 bytes; each algorithm payload must have its type (0/1/2) and length 8. */
int rakp_decode_open_req(const uint8_t *p, size_t len, struct rakp_open_req *rq);
/*
 * 36 bytes with status 0; with any other status the 8-byte error form (tag,
 * status, max privilege 0, reserved, console SID), without bmc_sid or algorithms.
 */
int rakp_encode_open_resp(const struct rakp_open_resp *rs, struct buf_wr *w);
/* Exactly 28 + ULen bytes with ULen <= RAKP_MAX_USER; role is kept whole. */
int rakp_decode_rakp1(const uint8_t *p, size_t len, struct rakp1 *m);
/* 40 + kexlen bytes with status 0; 8 bytes (tag, status, reserved, console SID) otherwise. */
int rakp_encode_rakp2(const struct rakp2 *m, struct buf_wr *w);
/*
 * Decodes RAKP 3: at least the 8-byte head. With status 0 the code is exactly
 * the hash length of auth. With a non-zero status the code may be absent; if
 * present it must be exactly that long and is not kept (kexlen 0). An auth
 * this client does not know is IC_EINVAL.
 */
int rakp_decode_rakp3(const uint8_t *p, size_t len, enum ipmi_auth_alg auth, struct rakp3 *m);
/* 8 + icvlen bytes with status 0; 8 bytes, no ICV, otherwise. */
int rakp_encode_rakp4(const struct rakp4 *m, struct buf_wr *w);

/*
 * Everything the RAKP HMACs and the key derivation cover (reference §2.7).
 * Session IDs are host-order integers; they are hashed as 4 LE bytes.
 */
struct rakp_ctx {
    enum ipmi_auth_alg auth;
    uint32_t console_sid; /* SIDm */
    uint32_t bmc_sid;     /* SIDc */
    uint8_t rm[16];
    uint8_t rc[16];
    uint8_t guid[16];
    uint8_t role;
    uint8_t ulen;
    uint8_t user[RAKP_MAX_USER];
};

/* Session keys; len = the authentication hash length (20 or 32; 16 for MD5). */
struct rakp_keys {
    uint8_t sik[CRYPTO_MAX_MD];
    uint8_t k1[CRYPTO_MAX_MD];
    uint8_t k2[CRYPTO_MAX_MD];
    size_t len;
};

/* HMAC_Kuid(SIDm | SIDc | Rm | Rc | GUIDc | Role | ULen | User), full length. */
int rakp_rakp2_code(const struct rakp_ctx *c, const uint8_t *kuid, size_t kuidlen, uint8_t *out,
                    size_t *outlen);
/* HMAC_Kuid(Rc | SIDm | Role | ULen | User), full length. */
int rakp_rakp3_code(const struct rakp_ctx *c, const uint8_t *kuid, size_t kuidlen, uint8_t *out,
                    size_t *outlen);
/*
 * SIK = HMAC_key(Rm | Rc | Role | ULen | User) with key = Kg if kglen > 0
 * (two-key login), else Kuid; K1/K2 = HMAC_SIK(20 x 0x01 / 20 x 0x02).
 */
int rakp_derive_keys(const struct rakp_ctx *c, const uint8_t *kuid, size_t kuidlen,
                     const uint8_t *kg, size_t kglen, struct rakp_keys *k);
/* HMAC_SIK(Rm | SIDc | GUIDc), truncated to crypto_rakp4_icv_len(). */
int rakp_rakp4_icv(const struct rakp_ctx *c, const struct rakp_keys *k, uint8_t *out,
                   size_t *outlen);

#endif
