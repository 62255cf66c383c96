/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sensor.h - private: sensor readings turned into what an operator reads
 * (value, unit, ok/warning/critical/non-recoverable, discrete states), from
 * a decoded SDR (sdr.h) and the answers of Get Sensor Reading (04/2D) and
 * Get Sensor Thresholds (04/27). Pure functions; needs libm.
 */
#ifndef IC_SENSOR_H
#define IC_SENSOR_H

#include <stddef.h>
#include <stdint.h>

#include "poller.h"

/* 1 for full and compact sensor records (they answer Get Sensor Reading), else 0. */
int sensor_is_readable(const struct ipmi_sdr *sdr);

/*
 * The unit as ipmitool prints it: "degrees C", "Volts", "RPM"; "% " before
 * the base unit when the percentage bit is set ("percent" alone when the
 * base unit is unspecified); "base/modifier" or "base*modifier" per the
 * modifier use; " per <rate>" when a rate is given ("Watts per hour");
 * "discrete" for sensors that are not threshold-based (event type != 0x01).
 */
void sensor_unit_text(const struct ipmi_sdr *sdr, char *out, size_t outlen);

/*
 * Converts a raw reading (or raw threshold) of a full record:
 * y = L[(M*x + B*10^Bexp) * 10^Rexp] with x unsigned, one's or two's
 * complement per the analog data format, and L one of the linearizations
 * 0x00-0x0B. Returns 0 and *out, or IC_EINVAL: not a full record, analog
 * format 11 (no numeric reading), linearization 0x0C+ (0x70-0x7F need Get
 * Sensor Reading Factors), or a result that is not a number (1/0, log of
 * a value <= 0, square root of a negative value, overflow).
 */
int sensor_convert(const struct ipmi_sdr *sdr, uint8_t raw, double *out);

/*
 * Fills r's identity from the SDR: record_id, number, owner_lun, name,
 * sensor_type, event_type, threshold, unit; everything else zero
 * (has_value 0, state IPMI_STATE_NONE).
 */
void sensor_init_reading(const struct ipmi_sdr *sdr, struct ipmi_reading *r);

/*
 * Applies a Get Sensor Reading answer: its completion code and the data
 * after it. Resets the reading fields of r (value, state, states, raw,
 * flags, cc; thresholds are kept) first.
 *
 * No reading (has_value 0, state NONE, returns 0): cc 0xCB, 0xCD, 0xC9,
 * 0xCC, 0xCE, 0xD5, 0xD3; "reading unavailable" (byte 1 b5 set); scanning
 * disabled (byte 1 b6 clear). Any other non-zero cc returns IC_ECC; fewer
 * than 2 data bytes return IC_EPROTO.
 *
 * Threshold sensors: value converted (has_value 1); state from the
 * comparison bits of byte 2 (b2/b5 non-recoverable, b1/b4 critical, b0/b3
 * warning, else ok). When the value cannot be converted (compact record,
 * format 11, linearization 0x70+) has_value stays 0 but the state is still
 * judged from the comparison bits.
 *
 * Discrete sensors: states = bytes 2-3 (missing bytes are 0, b15 cleared),
 * has_value 1 and value = states (what `ipmitool sensor list` shows as the
 * value), state = the worst stab_offset_severity() of the asserted states
 * (ok when none).
 */
int sensor_apply_reading(const struct ipmi_sdr *sdr, uint8_t cc, const uint8_t *data, size_t len,
                         struct ipmi_reading *r);

/*
 * Applies a Get Sensor Thresholds answer (the data after the completion
 * code): [0] readable mask (b0 LNC .. b5 UNR), then raw LNC, LC, LNR, UNC,
 * UC, UNR. Readable thresholds that convert go to r->thr[] with their bit
 * in r->thr_valid. Returns 0, or IC_EPROTO when the mask is missing or a
 * readable threshold's byte is.
 */
int sensor_apply_thresholds(const struct ipmi_sdr *sdr, const uint8_t *data, size_t len,
                            struct ipmi_reading *r);

/*
 * Text of the asserted discrete states, joined with ", " ("Presence
 * detected, Failure detected"); states without a known text appear as
 * "State N". Empty for none. Always NUL-terminated within outlen.
 */
void sensor_states_text(const struct ipmi_reading *r, char *out, size_t outlen);

#endif
