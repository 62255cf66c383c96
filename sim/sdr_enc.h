/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sdr_enc.h - private to sim/: Sensor Data Record encoding (IPMI v2.0 §43),
 * the exact inverse of poller/sdr.c's sdr_decode(): struct ipmi_sdr
 * (poller.h) in, the bytes Get SDR returns out. Pure: no I/O, no allocation.
 */
#ifndef IC_SDR_ENC_H
#define IC_SDR_ENC_H

#include <stdint.h>

#include "buf.h"
#include "poller.h"

#define SDR_ENC_MAX 64 /* longest record written: full record, 16-byte ID */

/* Sharing of a compact or event-only record (Table 43-2 bytes 24-25). */
struct sdr_share {
    uint8_t count;      /* sensors sharing the record, 1..15 (0 and 1: not shared) */
    uint8_t alpha;      /* 1: ID suffix A, B, ...; 0: numeric */
    uint8_t mod_offset; /* first suffix value, 0..127 */
    uint8_t inst_incr;  /* 1: entity instance increments per sensor */
};

/*
 * Appends one record to w: the 5-byte header (record_id, version d->version
 * or 0x51 when 0, d->type, body length) and the body of a full (0x01),
 * compact (0x02), event-only (0x03), FRU device locator (0x11) or MC device
 * locator (0x12) record. The ID string is written as 8-bit ASCII
 * (type/length 0xC0 | n) from d->name. Fields the decoder does not keep
 * (tolerance, accuracy, direction, OEM, reserved) are written as 0.
 *
 * Returns 0; IC_EINVAL for NULL arguments, another type, a name longer than
 * 16 bytes or ending in a space (the decoder trims it), M or B outside
 * -512..511 or an exponent outside -8..7 (nothing written then); or
 * IC_ETOOBIG when w is full (w's sticky error).
 */
int sdr_encode(const struct ipmi_sdr *d, uint16_t record_id, struct buf_wr *w);

/*
 * As sdr_encode(), for a compact or event-only record shared by sh->count
 * sensors (sh NULL: not shared). d describes instance 0: its number, entity
 * instance and ID string without a suffix (which may end in a space here:
 * the suffix follows it). IC_EINVAL also for a share on another type, a
 * count above 15 or an offset above 127.
 */
int sdr_encode_shared(const struct ipmi_sdr *d, uint16_t record_id, const struct sdr_share *sh,
                      struct buf_wr *w);

#endif
