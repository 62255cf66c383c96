/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sel.h - private: System Event Log record decoder (IPMI v2.0 §32, Table
 * 32-1; reference §7). Pure: bytes in, struct ipmi_sel_entry (poller.h) out.
 */
#ifndef IC_SEL_H
#define IC_SEL_H

#include <stddef.h>
#include <stdint.h>

#include "poller.h"

#define SEL_RECORD_LEN     16
#define SEL_PREINIT_MAX    0x20000000u /* timestamps up to this are relative to BMC init */
#define SEL_TS_UNSPECIFIED 0xFFFFFFFFu

/*
 * Decodes one 16-byte SEL record (bytes after len 16 are ignored). sdr, if
 * not NULL, is the SDR of the sensor that logged it (the caller looks it up
 * by generator/sensor number): it gives the sensor name and, for a full
 * record that sensor_convert() accepts, the factors and units that turn
 * event data 2/3 (trigger reading / threshold) into real units. Returns 0, IC_EPROTO if
 * len < 16, IC_EINVAL for NULL rec/out. Every field of *out is set.
 *
 * Field meanings beyond poller.h:
 * - system events (0x02): event = offset text ("Upper Critical going
 *   high"); detail, for threshold events whose data 1 says data 2/3 hold the
 *   trigger reading / threshold: "Reading 91 > Threshold 90 degrees C"
 *   (values printed as ipmitool does: no decimals when integral, else two;
 *   '>' for going-high assertions and going-low deassertions), or the raw
 *   bytes "Reading 0x5b > Threshold 0x5a" without a usable SDR; "" otherwise.
 *   severity = the offset's severity, IPMI_STATE_OK for a deassertion.
 * - OEM timestamped (0xC0-0xDF): event "OEM record c1", detail
 *   "007ed9 | 424d4353494d" (manufacturer ID, OEM bytes: ipmitool's columns).
 * - OEM non-timestamped (0xE0-0xFF): event "OEM record e0", detail = the 13
 *   bytes in hex, has_timestamp 0.
 * - other types: event "Unknown record type 0x05", detail = bytes 3-15 in hex.
 *   OEM and unknown records have severity IPMI_STATE_NONE.
 * - a timestamp of 0xFFFFFFFF ("unspecified") gives has_timestamp 0.
 */
int sel_decode(const uint8_t *rec, size_t len, const struct ipmi_sdr *sdr,
               struct ipmi_sel_entry *out);

/*
 * Timestamp as text: ISO 8601 UTC "2026-11-24T10:00:00Z"; for pre-init
 * stamps (<= 0x20000000) "pre-init +123456s" (never a 1970 date);
 * "unspecified" for 0xFFFFFFFF; "" for records without a timestamp.
 */
void sel_time_text(const struct ipmi_sel_entry *e, char *out, size_t outlen);

#endif
