/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sdr.h - private: Sensor Data Record decoding (IPMI v2.0 §43). Pure
 * functions: bytes of one record, as read with Get SDR, in; struct ipmi_sdr
 * (poller.h) out. No I/O, no allocation.
 */
#ifndef IC_SDR_H
#define IC_SDR_H

#include <stddef.h>
#include <stdint.h>

#include "poller.h"

#define SDR_HEADER_LEN 5
#define SDR_ID_MAX     16 /* ID string bytes a record may carry */
#define SDR_SHARE_MAX  15 /* share count is 4 bits */

/*
 * Reads the 5-byte record header: record id, type, body length.
 * Returns 0 or IC_EPROTO (fewer than 5 bytes).
 */
int sdr_header(const uint8_t *p, size_t len, uint16_t *id, uint8_t *type, uint8_t *body_len);

/*
 * Decodes one whole record (header + body, as read from the BMC) into *out.
 * For a compact (0x02) or event-only (0x03) record that shares its ID among
 * several sensors, idx (0..count-1) selects the instance: number, name
 * suffix and entity instance adjusted; *count receives the share count (1
 * when not shared). Types other than 0x01/0x02/0x03/0x11/0x12/0xC0 are
 * decoded to the header fields only (return 0). Bytes after the body the
 * header announces are ignored.
 *
 * Returns 0; IC_EPROTO when the header's length runs past len or the body is
 * too short for its type (out then holds the header fields only); IC_EINVAL
 * when idx >= *count (out holds instance 0). count may be NULL.
 */
int sdr_decode(const uint8_t *rec, size_t len, unsigned idx, struct ipmi_sdr *out, unsigned *count);

/*
 * Decodes an ID string (SDR ID or FRU field) given its type/length byte and
 * the bytes that follow it (n = the bytes present; a type/length byte that
 * claims more only decodes what is present) into printable NUL-terminated
 * text of at most outlen - 1 bytes: 8-bit ASCII (non-printable bytes as
 * '.'), 6-bit packed ASCII, BCD plus (two digits per byte, high nibble
 * first), binary/Unicode as hex. Text stops at a NUL byte; spaces are kept
 * (a shared record's ID may end in one before its instance suffix).
 * Returns the text length.
 */
size_t sdr_id_string(uint8_t typelen, const uint8_t *p, size_t n, char *out, size_t outlen);

#endif
