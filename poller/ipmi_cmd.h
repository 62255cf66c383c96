/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ipmi_cmd.h - typed decoders for the session-level and device commands the
 * session core uses: Get Channel Authentication Capabilities, Get Channel
 * Cipher Suites, Get Device ID, Get System/Device GUID, Set Session Privilege
 * Level. Input is the response data after the completion code. Pure codecs.
 * Two encoders serve the BMC side (the simulator): the auth caps response and
 * the cipher suite record list.
 */
#ifndef IC_IPMI_CMD_H
#define IC_IPMI_CMD_H

#include <stddef.h>
#include <stdint.h>

#include "poller.h"

#define IPMI_CMD_GET_DEVICE_ID     0x01
#define IPMI_CMD_GET_DEVICE_GUID   0x08
#define IPMI_CMD_GET_SYSTEM_GUID   0x37
#define IPMI_CMD_GET_AUTH_CAPS     0x38
#define IPMI_CMD_SET_SESSION_PRIV  0x3B
#define IPMI_CMD_CLOSE_SESSION     0x3C
#define IPMI_CMD_GET_CIPHER_SUITES 0x54

/* Get Channel Authentication Capabilities response (Table 22-15). */
struct ipmi_authcap {
    uint8_t channel;
    int v20_data;       /* byte 1 bit 7: extended data present */
    uint8_t auth_types; /* IPMI 1.5 auth type bits */
    int kg_set;         /* two-key login required */
    int per_msg_auth_disabled;
    int user_auth_disabled;
    int nonnull_users;
    int null_users;
    int anonymous;
    int supports_v20;
    int supports_v15;
    uint32_t oem_iana;
    uint8_t oem_aux;
};
/* Request data: 2 bytes. channel 0x0E = this channel; v20 asks for extended data. */
void ipmi_authcap_req(uint8_t out[2], int v20, uint8_t priv);
int ipmi_decode_authcap(const uint8_t *p, size_t len, struct ipmi_authcap *ac);

/* Request data for Get Channel Cipher Suites list index idx (0..63), 3 bytes. */
void ipmi_cipher_suites_req(uint8_t out[3], uint8_t idx);
#define IPMI_MAX_SUITES 64
struct ipmi_suite_list {
    uint8_t ids[IPMI_MAX_SUITES];
    size_t n;
};
/*
 * Parses the concatenated record data of all Get Channel Cipher Suites
 * chunks (without the channel byte of each chunk) into the list of suite IDs
 * (standard 0xC0 and OEM 0xC1 records). Returns 0 or IC_EPROTO.
 */
int ipmi_parse_cipher_records(const uint8_t *p, size_t len, struct ipmi_suite_list *out);

struct buf_wr;

/*
 * BMC side. Writes the standard cipher suite records (0xC0, id, auth,
 * 0x40 | integ, 0x80 | conf) of the n suite ids, concatenated: the record
 * data a BMC answering Get Channel Cipher Suites slices into 16-byte chunks.
 * Algorithms come from rakp_suite(); the xRC4 suites (4, 5, 9, 10, 13, 14,
 * 18, 19), which the client never uses, are written as their Table 22-19
 * entries so a simulator can advertise what real BMCs do. Returns 0,
 * IC_EINVAL (an id outside Table 22-19, n > IPMI_MAX_SUITES, ids NULL with
 * n > 0; nothing written then) or IC_ETOOBIG.
 */
int ipmi_encode_cipher_records(const uint8_t *ids, size_t n, struct buf_wr *w);

/*
 * BMC side. Writes the 8-byte Get Channel Authentication Capabilities
 * response data of an RMCP+-only channel: channel (bits 3:0), extended data
 * present with no IPMI 1.5 auth type but "none", K_g bit from kg_set,
 * non-null user names only, IPMI v2.0 (not v1.5), no OEM data. Returns 0,
 * IC_EINVAL (channel > 15) or IC_ETOOBIG.
 */
int ipmi_encode_authcap(uint8_t channel, int kg_set, struct buf_wr *w);

#endif
