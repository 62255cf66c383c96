/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fru.h - private: FRU inventory decoder (Platform Management FRU
 * Information Storage Definition v1.0). Pure: bytes in, struct ipmi_fru
 * (poller.h) out; no I/O, no allocation.
 */
#ifndef IC_FRU_H
#define IC_FRU_H

#include <stddef.h>
#include <stdint.h>

#include "poller.h"

/*
 * Decodes a FRU inventory image (as read with Read FRU Data from offset 0).
 * Checksums are verified; a bad area is reported in out->errors and the
 * rest still parsed. Returns 0 when at least the common header was valid
 * (out->errors may still name bad areas), IC_EPROTO otherwise (out->errors
 * says why), IC_EINVAL for NULL arguments. out->fru_id is left 0 for the
 * caller to set.
 *
 * Text fields: 8-bit fields are Latin-1, converted to UTF-8 and cut at the
 * first NUL; 6-bit packed fields give 4 characters per 3 bytes (a partial
 * group is padded with spaces, as ipmitool prints it); BCD plus gives two
 * characters per byte; binary fields are lower-case hex. Nothing is trimmed.
 * Empty custom fields are skipped; at most IPMI_FRU_CUSTOM_MAX are kept.
 * Text longer than IPMI_FRU_TEXT_MAX bytes is cut (never mid-UTF-8).
 */
int fru_decode(const uint8_t *img, size_t len, struct ipmi_fru *out);

/*
 * Board manufacturing date as ipmitool prints it, without its " UTC"
 * suffix: "Tue Mar 14 09:26:00 2023", "Tue Jan  2 03:04:00 2024" (the day
 * padded to two columns), always UTC; "" if unspecified (0).
 */
void fru_board_date_text(const struct ipmi_fru *f, char *out, size_t outlen);

/* Chassis type name (SMBIOS system enclosure type, e.g. 0x17 "Rack Mount Chassis"); never NULL. */
const char *fru_chassis_type_text(uint8_t type);

#endif
