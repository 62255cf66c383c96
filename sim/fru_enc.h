/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fru_enc.h - private to sim/: FRU inventory encoding (Platform Management
 * FRU Information Storage Definition v1.0), the inverse of poller/fru.c's
 * fru_decode(). Pure: no I/O, no allocation.
 */
#ifndef IC_FRU_ENC_H
#define IC_FRU_ENC_H

#include <stddef.h>
#include <stdint.h>

#include "poller.h"

/*
 * Writes the image of f into img (capacity cap), *len = its length: the
 * common header, then the chassis, board and product areas that f has
 * (has_chassis etc.), each with its fixed fields, its custom fields, the
 * 0xC1 end marker, zero padding to a multiple of 8 bytes and its checksum.
 * No internal-use or multirecord area (f->n_multirecords is ignored).
 *
 * Text is UTF-8 in f and written as 8-bit (Latin-1) fields; characters
 * beyond U+00FF are refused. A 1-character text gets a NUL pad byte (the
 * type/length 0xC1 is the end marker). With sixbit_parts, the part number
 * fields (chassis, board, product part) are written as 6-bit packed ASCII
 * when that is exact: characters 0x20-0x5F only and a length that is a
 * multiple of 4 (the decoder pads partial groups with spaces); otherwise
 * as 8-bit text. Empty custom fields are not written (the decoder skips
 * them); the board date is 24 bits of minutes since 1996-01-01.
 *
 * Returns 0; IC_EINVAL for NULL arguments, text the decoder could not give
 * back (longer than 63 bytes, control characters, invalid UTF-8), more than
 * IPMI_FRU_CUSTOM_MAX custom fields or a date above 0xFFFFFF; IC_ETOOBIG
 * when cap is too small (or an area would exceed 2040 bytes).
 */
int fru_encode(const struct ipmi_fru *f, int sixbit_parts, uint8_t *img, size_t cap, size_t *len);

#endif
