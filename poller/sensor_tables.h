/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sensor_tables.h - private: the IPMI code tables that turn numbers into
 * words (IPMI v2.0 Tables 42-1, 42-2, 42-3, 43-13, 43-15), shared by the
 * sensor reading decoder (discrete states) and the SEL decoder (events).
 * Every function returns a static string and never NULL.
 */
#ifndef IC_SENSOR_TABLES_H
#define IC_SENSOR_TABLES_H

#include <stdint.h>

#include "poller.h"

/* Sensor type (Table 42-3): "Temperature", "Power Supply", ...; "OEM" for 0xC0-0xFF. */
const char *stab_sensor_type(uint8_t sensor_type);

/* Base unit (Table 43-15): "degrees C", "Volts", "RPM", ...; "unspecified" for 0. */
const char *stab_unit(uint8_t unit);

/* Entity ID (Table 43-13): "Processor", "Power Supply", ... */
const char *stab_entity(uint8_t entity_id);

/*
 * Text of state/event offset 0-14 for an event/reading type (0x01
 * threshold, 0x02-0x0C generic, 0x6F sensor-specific with sensor_type),
 * e.g. (0x6F, 0x08, 1) -> "Failure detected", (0x01, _, 9) -> "Upper
 * Critical going high". Unknown combinations give "" (empty), so callers
 * can fall back to the raw offset.
 */
const char *stab_offset_text(uint8_t event_type, uint8_t sensor_type, unsigned offset);

/*
 * Severity of an asserted offset, for the ok/warning/critical/
 * non-recoverable state of discrete sensors and of SEL entries, e.g. power
 * supply failure -> CRITICAL, presence -> OK, correctable ECC -> WARNING,
 * threshold offsets by their level (LNC/UNC -> WARNING, LC/UC -> CRITICAL,
 * LNR/UNR -> NONRECOVERABLE).
 */
enum ipmi_state stab_offset_severity(uint8_t event_type, uint8_t sensor_type, unsigned offset);

#endif
