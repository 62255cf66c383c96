/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sensor_tables.c - the IPMI code tables that turn numbers into words
 * (see sensor_tables.h): sensor types (IPMI v2.0 Table 42-3), base units
 * (Table 43-15), entity IDs (Table 43-13), and the texts and severities of
 * the state/event offsets of the threshold type (Table 42-2), the generic
 * discrete types 0x02-0x0C (Table 42-2) and the sensor-specific type 0x6F
 * (Table 42-3).
 *
 * The texts are our own words, written in the style the peer tools print
 * (sentence case, "detected" for a condition found), so that our output
 * reads like `ipmitool sdr elist` to an operator.
 *
 * Severity rule for a discrete offset that is asserted:
 *   CRITICAL   the component failed or lost its function: failure, fault,
 *              IERR, thermal trip, uncorrectable or fatal errors, input
 *              lost, chassis intrusion, critical overtemperature, and
 *              configuration errors that keep a part from working;
 *   WARNING    it still works but needs attention: predictive failure,
 *              correctable errors, degraded, throttled, disabled parts,
 *              logs filling up, input out of range while still present;
 *   OK         presence, normal operation and informational events
 *              (buttons, boot progress, power states, session audit).
 * NONRECOVERABLE is kept for threshold LNR/UNR offsets and for the
 * "non-recoverable" transitions of the severity type 0x07. Offsets we do
 * not know are OK: an unknown bit must not page anyone.
 */
#include "sensor_tables.h"

#include <stddef.h>

#define OK   IPMI_STATE_OK
#define WARN IPMI_STATE_WARNING
#define CRIT IPMI_STATE_CRITICAL
#define NR   IPMI_STATE_NONRECOVERABLE

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* One state offset: its text and the severity when it is asserted. */
struct stab_off {
    const char *text;
    enum ipmi_state sev;
};

/* ---- Table 42-3: sensor types ------------------------------------------- */

/*
 * Spelled as FreeIPMI's ipmimonitoring prints them, because that is what
 * prometheus-community's ipmi_exporter puts in its "type" label: dashboards
 * and alert rules written for it must keep matching.
 */

static const char *const sensor_types[] = {
    [0x00] = "Reserved",
    [0x01] = "Temperature",
    [0x02] = "Voltage",
    [0x03] = "Current",
    [0x04] = "Fan",
    [0x05] = "Physical Security",
    [0x06] = "Platform Security Violation Attempt",
    [0x07] = "Processor",
    [0x08] = "Power Supply",
    [0x09] = "Power Unit",
    [0x0A] = "Cooling Device",
    [0x0B] = "Other Units Based Sensor",
    [0x0C] = "Memory",
    [0x0D] = "Drive Slot",
    [0x0E] = "POST Memory Resize",
    [0x0F] = "System Firmware Progress",
    [0x10] = "Event Logging Disabled",
    [0x11] = "Watchdog 1",
    [0x12] = "System Event",
    [0x13] = "Critical Interrupt",
    [0x14] = "Button/Switch",
    [0x15] = "Module/Board",
    [0x16] = "Microcontroller/Coprocessor",
    [0x17] = "Add In Card",
    [0x18] = "Chassis",
    [0x19] = "Chip Set",
    [0x1A] = "Other Fru",
    [0x1B] = "Cable/Interconnect",
    [0x1C] = "Terminator",
    [0x1D] = "System Boot Initiated",
    [0x1E] = "Boot Error",
    [0x1F] = "OS Boot",
    [0x20] = "OS Critical Stop",
    [0x21] = "Slot/Connector",
    [0x22] = "System ACPI Power State",
    [0x23] = "Watchdog 2",
    [0x24] = "Platform Alert",
    [0x25] = "Entity Presence",
    [0x26] = "Monitor ASIC/IC",
    [0x27] = "LAN",
    [0x28] = "Management Subsystem Health",
    [0x29] = "Battery",
    [0x2A] = "Session Audit",
    [0x2B] = "Version Change",
    [0x2C] = "FRU State",
};

const char *
stab_sensor_type(uint8_t sensor_type)
{
    if (sensor_type >= 0xC0)
        return "OEM";
    if (sensor_type < NELEMS(sensor_types) && sensor_types[sensor_type])
        return sensor_types[sensor_type];
    return "Unknown";
}

/* ---- Table 43-15: unit type codes --------------------------------------- */

static const char *const units[] = {
    "unspecified",
    "degrees C",
    "degrees F",
    "degrees K",
    "Volts",
    "Amps",
    "Watts",
    "Joules",
    "Coulombs",
    "VA",
    "Nits",
    "lumen",
    "lux",
    "Candela",
    "kPa",
    "PSI",
    "Newton",
    "CFM",
    "RPM",
    "Hz",
    "microsecond",
    "millisecond",
    "second",
    "minute",
    "hour",
    "day",
    "week",
    "mil",
    "inches",
    "feet",
    "cu in",
    "cu feet",
    "mm",
    "cm",
    "m",
    "cu cm",
    "cu m",
    "liters",
    "fluid ounce",
    "radians",
    "steradians",
    "revolutions",
    "cycles",
    "gravities",
    "ounce",
    "pound",
    "ft-lb",
    "oz-in",
    "gauss",
    "gilberts",
    "henry",
    "millihenry",
    "farad",
    "microfarad",
    "ohms",
    "siemens",
    "mole",
    "becquerel",
    "PPM",
    "reserved",
    "Decibels",
    "DbA",
    "DbC",
    "gray",
    "sievert",
    "color temp deg K",
    "bit",
    "kilobit",
    "megabit",
    "gigabit",
    "byte",
    "kilobyte",
    "megabyte",
    "gigabyte",
    "word",
    "dword",
    "qword",
    "line",
    "hit",
    "miss",
    "retry",
    "reset",
    "overrun/overflow",
    "underrun",
    "collision",
    "packets",
    "messages",
    "characters",
    "error",
    "correctable error",
    "uncorrectable error",
    "fatal error",
    "grams",
};

const char *
stab_unit(uint8_t unit)
{
    return unit < NELEMS(units) ? units[unit] : "unknown";
}

/* ---- Table 43-13: entity IDs -------------------------------------------- */

static const char *const entities[] = {
    [0x00] = "Unspecified",
    [0x01] = "Other",
    [0x02] = "Unknown",
    [0x03] = "Processor",
    [0x04] = "Disk or Disk Bay",
    [0x05] = "Peripheral Bay",
    [0x06] = "System Management Module",
    [0x07] = "System Board",
    [0x08] = "Memory Module",
    [0x09] = "Processor Module",
    [0x0A] = "Power Supply",
    [0x0B] = "Add-in Card",
    [0x0C] = "Front Panel Board",
    [0x0D] = "Back Panel Board",
    [0x0E] = "Power System Board",
    [0x0F] = "Drive Backplane",
    [0x10] = "System Internal Expansion Board",
    [0x11] = "Other System Board",
    [0x12] = "Processor Board",
    [0x13] = "Power Unit / Power Domain",
    [0x14] = "Power Module / DC-to-DC Converter",
    [0x15] = "Power Management / Power Distribution Board",
    [0x16] = "Chassis Back Panel Board",
    [0x17] = "System Chassis",
    [0x18] = "Sub-Chassis",
    [0x19] = "Other Chassis Board",
    [0x1A] = "Disk Drive Bay",
    [0x1B] = "Peripheral Bay",
    [0x1C] = "Device Bay",
    [0x1D] = "Fan / Cooling Device",
    [0x1E] = "Cooling Unit / Cooling Domain",
    [0x1F] = "Cable / Interconnect",
    [0x20] = "Memory Device",
    [0x21] = "System Management Software",
    [0x22] = "System Firmware",
    [0x23] = "Operating System",
    [0x24] = "System Bus",
    [0x25] = "Group",
    [0x26] = "Remote Management Communication Device",
    [0x27] = "External Environment",
    [0x28] = "Battery",
    [0x29] = "Processing Blade",
    [0x2A] = "Connectivity Switch",
    [0x2B] = "Processor/Memory Module",
    [0x2C] = "I/O Module",
    [0x2D] = "Processor/IO Module",
    [0x2E] = "Management Controller Firmware",
    [0x2F] = "IPMI Channel",
    [0x30] = "PCI Bus",
    [0x31] = "PCI Express Bus",
    [0x32] = "SCSI Bus (parallel)",
    [0x33] = "SATA / SAS Bus",
    [0x34] = "Processor / Front-Side Bus",
    [0x35] = "Real Time Clock",
    [0x36] = "Reserved",
    [0x37] = "Air Inlet",
    [0x38] = "Reserved",
    [0x39] = "Reserved",
    [0x3A] = "Reserved",
    [0x3B] = "Reserved",
    [0x3C] = "Reserved",
    [0x3D] = "Reserved",
    [0x3E] = "Reserved",
    [0x3F] = "Reserved",
    [0x40] = "Air Inlet",
    [0x41] = "Processor",
    [0x42] = "Baseboard",
};

const char *
stab_entity(uint8_t entity_id)
{
    if (entity_id < NELEMS(entities) && entities[entity_id])
        return entities[entity_id];
    if (entity_id >= 0x90 && entity_id <= 0xAF)
        return "Chassis-specific";
    if (entity_id >= 0xB0 && entity_id <= 0xCF)
        return "Board-set specific";
    if (entity_id >= 0xD0)
        return "OEM";
    return "Reserved";
}

/* ---- Table 42-2: threshold (0x01) and generic discrete (0x02-0x0C) ------ */

/* Threshold offsets: level by pairs (going low, going high). */
static const struct stab_off off_threshold[] = {
    {"Lower Non-critical going low", WARN},  {"Lower Non-critical going high", WARN},
    {"Lower Critical going low", CRIT},      {"Lower Critical going high", CRIT},
    {"Lower Non-recoverable going low", NR}, {"Lower Non-recoverable going high", NR},
    {"Upper Non-critical going low", WARN},  {"Upper Non-critical going high", WARN},
    {"Upper Critical going low", CRIT},      {"Upper Critical going high", CRIT},
    {"Upper Non-recoverable going low", NR}, {"Upper Non-recoverable going high", NR},
};

static const struct stab_off off_dmi_usage[] = {
    {"Transition to Idle", OK},
    {"Transition to Active", OK},
    {"Transition to Busy", OK},
};

static const struct stab_off off_digital[] = {
    {"State Deasserted", OK},
    {"State Asserted", OK},
};

static const struct stab_off off_predictive[] = {
    {"Predictive Failure deasserted", OK},
    {"Predictive Failure asserted", WARN},
};

static const struct stab_off off_limit[] = {
    {"Limit Not Exceeded", OK},
    {"Limit Exceeded", CRIT},
};

static const struct stab_off off_performance[] = {
    {"Performance Met", OK},
    {"Performance Lags", WARN},
};

static const struct stab_off off_severity[] = {
    {"Transition to OK", OK},
    {"Transition to Non-critical from OK", WARN},
    {"Transition to Critical from less severe", CRIT},
    {"Transition to Non-recoverable from less severe", NR},
    {"Transition to Non-critical from more severe", WARN},
    {"Transition to Critical from Non-recoverable", CRIT},
    {"Transition to Non-recoverable", NR},
    {"Monitor", OK},
    {"Informational", OK},
};

static const struct stab_off off_presence[] = {
    {"Device Absent", OK},
    {"Device Present", OK},
};

static const struct stab_off off_enabled[] = {
    {"Device Disabled", OK},
    {"Device Enabled", OK},
};

static const struct stab_off off_availability[] = {
    {"Transition to Running", OK},    {"Transition to In Test", OK},
    {"Transition to Power Off", OK},  {"Transition to On Line", OK},
    {"Transition to Off Line", WARN}, {"Transition to Off Duty", OK},
    {"Transition to Degraded", WARN}, {"Transition to Power Save", OK},
    {"Install Error", CRIT},
};

static const struct stab_off off_redundancy[] = {
    {"Fully Redundant", OK},
    {"Redundancy Lost", CRIT},
    {"Redundancy Degraded", WARN},
    {"Non-Redundant: Sufficient from Redundant", WARN},
    {"Non-Redundant: Sufficient from Insufficient", WARN},
    {"Non-Redundant: Insufficient Resources", CRIT},
    {"Redundancy Degraded from Fully Redundant", WARN},
    {"Redundancy Degraded from Non-Redundant", WARN},
};

static const struct stab_off off_acpi_dstate[] = {
    {"D0 Power State", OK},
    {"D1 Power State", OK},
    {"D2 Power State", OK},
    {"D3 Power State", OK},
};

struct stab_set {
    uint8_t code;
    const struct stab_off *offs;
    size_t n;
};

#define SET(code, arr)         \
    {                          \
        code, arr, NELEMS(arr) \
    }

static const struct stab_set generic_sets[] = {
    SET(0x01, off_threshold),    SET(0x02, off_dmi_usage),  SET(0x03, off_digital),
    SET(0x04, off_predictive),   SET(0x05, off_limit),      SET(0x06, off_performance),
    SET(0x07, off_severity),     SET(0x08, off_presence),   SET(0x09, off_enabled),
    SET(0x0A, off_availability), SET(0x0B, off_redundancy), SET(0x0C, off_acpi_dstate),
};

/* ---- Table 42-3: sensor-specific offsets (event/reading type 0x6F) ------- */

static const struct stab_off sp_phys_security[] = {
    {"General Chassis intrusion", CRIT},
    {"Drive Bay intrusion", CRIT},
    {"I/O Card area intrusion", CRIT},
    {"Processor area intrusion", CRIT},
    {"LAN Leash Lost", WARN},
    {"Unauthorized dock/undock", WARN},
    {"FAN area intrusion", CRIT},
};

static const struct stab_off sp_platform_security[] = {
    {"Secure Mode Violation attempt", WARN},
    {"Pre-boot Password Violation - user password", WARN},
    {"Pre-boot Password Violation - setup password", WARN},
    {"Pre-boot Password Violation - network boot password", WARN},
    {"Other pre-boot Password Violation", WARN},
    {"Out-of-band Access Password Violation", WARN},
};

static const struct stab_off sp_processor[] = {
    {"IERR", CRIT},
    {"Thermal Trip", CRIT},
    {"FRB1/BIST failure", CRIT},
    {"FRB2/Hang in POST failure", CRIT},
    {"FRB3/Processor Startup/Init failure", CRIT},
    {"Configuration Error", CRIT},
    {"SM BIOS Uncorrectable CPU-complex Error", CRIT},
    {"Presence detected", OK},
    {"Disabled", WARN},
    {"Terminator presence detected", OK},
    {"Throttled", WARN},
    {"Uncorrectable machine check exception", CRIT},
    {"Correctable machine check error", WARN},
};

static const struct stab_off sp_power_supply[] = {
    {"Presence detected", OK},
    {"Failure detected", CRIT},
    {"Predictive failure", WARN},
    {"Power Supply input lost (AC/DC)", CRIT},
    {"Power Supply input lost or out of range", CRIT},
    {"Power Supply input out of range, but present", WARN},
    {"Configuration error", CRIT},
    {"Power Supply inactive (standby)", OK},
};

static const struct stab_off sp_power_unit[] = {
    {"Power off/down", OK},     {"Power cycle", OK},
    {"240VA power down", WARN}, {"Interlock power down", WARN},
    {"AC lost", CRIT},          {"Soft-power control failure", CRIT},
    {"Failure detected", CRIT}, {"Predictive failure", WARN},
};

static const struct stab_off sp_memory[] = {
    {"Correctable ECC", WARN},
    {"Uncorrectable ECC", CRIT},
    {"Parity", CRIT},
    {"Memory Scrub Failed", CRIT},
    {"Memory Device Disabled", WARN},
    {"Correctable ECC logging limit reached", WARN},
    {"Presence Detected", OK},
    {"Configuration Error", CRIT},
    {"Spare", OK},
    {"Throttled", WARN},
    {"Critical Overtemperature", CRIT},
};

static const struct stab_off sp_drive_slot[] = {
    {"Drive Present", OK},
    {"Drive Fault", CRIT},
    {"Predictive Failure", WARN},
    {"Hot Spare", OK},
    {"Consistency/Parity Check in progress", OK},
    {"In Critical Array", CRIT},
    {"In Failed Array", CRIT},
    {"Rebuild/Remap in progress", WARN},
    {"Rebuild/Remap aborted", CRIT},
};

static const struct stab_off sp_fw_progress[] = {
    {"System Firmware Error", CRIT},
    {"System Firmware Hang", CRIT},
    {"System Firmware Progress", OK},
};

static const struct stab_off sp_event_logging[] = {
    {"Correctable memory error logging disabled", WARN},
    {"Event type logging disabled", WARN},
    {"Log area reset/cleared", OK},
    {"All event logging disabled", WARN},
    {"Log full", WARN},
    {"Log almost full", WARN},
    {"Correctable machine check error logging disabled", WARN},
};

static const struct stab_off sp_watchdog1[] = {
    {"BIOS Watchdog reset", WARN},
    {"OS Watchdog reset", WARN},
    {"OS Watchdog shut down", WARN},
    {"OS Watchdog power down", WARN},
    {"OS Watchdog power cycle", WARN},
    {"OS Watchdog NMI/Diagnostic interrupt", WARN},
    {"OS Watchdog expired, status only", WARN},
    {"OS Watchdog pre-timeout interrupt", WARN},
};

static const struct stab_off sp_system_event[] = {
    {"System Reconfigured", OK},
    {"OEM System boot event", OK},
    {"Undetermined system hardware failure", CRIT},
    {"Entry added to auxiliary log", OK},
    {"PEF Action", OK},
    {"Timestamp Clock Synch", OK},
};

static const struct stab_off sp_critical_interrupt[] = {
    {"Front Panel NMI/Diagnostic Interrupt", CRIT},
    {"Bus Timeout", CRIT},
    {"I/O channel check NMI", CRIT},
    {"Software NMI", CRIT},
    {"PCI PERR", CRIT},
    {"PCI SERR", CRIT},
    {"EISA failsafe timeout", CRIT},
    {"Bus Correctable error", WARN},
    {"Bus Uncorrectable error", CRIT},
    {"Fatal NMI", CRIT},
    {"Bus Fatal Error", CRIT},
    {"Bus Degraded", WARN},
};

static const struct stab_off sp_button[] = {
    {"Power Button pressed", OK}, {"Sleep Button pressed", OK},       {"Reset Button pressed", OK},
    {"FRU latch open", OK},       {"FRU service request button", OK},
};

static const struct stab_off sp_cable[] = {
    {"Cable/Interconnect is connected", OK},
    {"Configuration Error - Incorrect cable connected", CRIT},
};

static const struct stab_off sp_boot_initiated[] = {
    {"Initiated by power up", OK},
    {"Initiated by hard reset", OK},
    {"Initiated by warm reset", OK},
    {"User requested PXE boot", OK},
    {"Automatic boot to diagnostic", OK},
    {"OS/run-time software initiated hard reset", OK},
    {"OS/run-time software initiated warm reset", OK},
    {"System Restart", OK},
};

static const struct stab_off sp_boot_error[] = {
    {"No bootable media", CRIT},
    {"Non-bootable diskette left in drive", WARN},
    {"PXE Server not found", CRIT},
    {"Invalid boot sector", CRIT},
    {"Timeout waiting for user selection of boot source", WARN},
};

static const struct stab_off sp_os_boot[] = {
    {"A: boot completed", OK},
    {"C: boot completed", OK},
    {"PXE boot completed", OK},
    {"Diagnostic boot completed", OK},
    {"CD-ROM boot completed", OK},
    {"ROM boot completed", OK},
    {"Boot completed - boot device not specified", OK},
    {"Base OS/Hypervisor Installation started", OK},
    {"Base OS/Hypervisor Installation completed", OK},
    {"Base OS/Hypervisor Installation aborted", WARN},
    {"Base OS/Hypervisor Installation failed", CRIT},
};

static const struct stab_off sp_os_stop[] = {
    {"Critical stop during OS load", CRIT},
    {"Run-time critical stop", CRIT},
    {"OS graceful stop", OK},
    {"OS graceful shutdown", OK},
    {"PEF initiated soft shutdown", OK},
    {"Agent not responding", WARN},
};

static const struct stab_off sp_slot[] = {
    {"Fault Status asserted", CRIT},
    {"Identify Status asserted", OK},
    {"Slot/Connector Device installed/attached", OK},
    {"Slot/Connector ready for device installation", OK},
    {"Slot/Connector ready for device removal", OK},
    {"Slot Power is off", OK},
    {"Slot/Connector device removal request", OK},
    {"Interlock asserted", OK},
    {"Slot is disabled", WARN},
    {"Slot holds spare device", OK},
};

static const struct stab_off sp_acpi[] = {
    {"S0/G0: working", OK},
    {"S1: sleeping with system h/w & processor context maintained", OK},
    {"S2: sleeping, processor context lost", OK},
    {"S3: sleeping, processor & h/w context lost, memory retained", OK},
    {"S4: non-volatile sleep/suspend-to-disk", OK},
    {"S5/G2: soft-off", OK},
    {"S4/S5: soft-off, particular S4/S5 state cannot be determined", OK},
    {"G3: mechanical off", OK},
    {"Sleeping in an S1, S2, or S3 states", OK},
    {"G1: sleeping", OK},
    {"S5: entered by override", OK},
    {"Legacy ON state", OK},
    {"Legacy OFF state", OK},
    {"Unspecified", OK},
    {"Unknown", OK},
};

static const struct stab_off sp_watchdog2[] = {
    {"Timer expired", WARN},
    {"Hard reset", WARN},
    {"Power down", WARN},
    {"Power cycle", WARN},
    {"", OK},
    {"", OK},
    {"", OK},
    {"", OK},
    {"Timer interrupt", WARN},
};

static const struct stab_off sp_platform_alert[] = {
    {"Platform generated page", OK},
    {"Platform generated LAN alert", OK},
    {"Platform Event Trap generated", OK},
    {"Platform generated SNMP trap, OEM format", OK},
};

static const struct stab_off sp_entity_presence[] = {
    {"Entity Present", OK},
    {"Entity Absent", OK},
    {"Entity Disabled", WARN},
};

static const struct stab_off sp_lan[] = {
    {"LAN Heartbeat Lost", CRIT},
    {"LAN Heartbeat", OK},
};

static const struct stab_off sp_mgmt_health[] = {
    {"Sensor access degraded or unavailable", WARN},
    {"Controller access degraded or unavailable", WARN},
    {"Management controller off-line", CRIT},
    {"Management controller unavailable", CRIT},
    {"Sensor failure", CRIT},
    {"FRU failure", CRIT},
};

static const struct stab_off sp_battery[] = {
    {"Low (Predictive Failure)", WARN},
    {"Failed", CRIT},
    {"Presence Detected", OK},
};

static const struct stab_off sp_session_audit[] = {
    {"Session Activated", OK},
    {"Session Deactivated", OK},
    {"Invalid Username or Password", WARN},
    {"Invalid password disable", WARN},
};

static const struct stab_off sp_version_change[] = {
    {"Hardware change detected", OK},
    {"Firmware or software change detected", OK},
    {"Hardware incompatibility detected", CRIT},
    {"Firmware or software incompatibility detected", CRIT},
    {"Invalid or unsupported hardware version", CRIT},
    {"Invalid or unsupported firmware or software version", CRIT},
    {"Hardware change detected successfully", OK},
    {"Firmware or software change detected successfully", OK},
};

static const struct stab_off sp_fru_state[] = {
    {"Not Installed", OK},
    {"Inactive", OK},
    {"Activation Requested", OK},
    {"Activation in Progress", OK},
    {"Active", OK},
    {"Deactivation Requested", OK},
    {"Deactivation in Progress", OK},
    {"Communication lost", CRIT},
};

static const struct stab_set specific_sets[] = {
    SET(0x05, sp_phys_security),
    SET(0x06, sp_platform_security),
    SET(0x07, sp_processor),
    SET(0x08, sp_power_supply),
    SET(0x09, sp_power_unit),
    SET(0x0C, sp_memory),
    SET(0x0D, sp_drive_slot),
    SET(0x0F, sp_fw_progress),
    SET(0x10, sp_event_logging),
    SET(0x11, sp_watchdog1),
    SET(0x12, sp_system_event),
    SET(0x13, sp_critical_interrupt),
    SET(0x14, sp_button),
    SET(0x1B, sp_cable),
    SET(0x1D, sp_boot_initiated),
    SET(0x1E, sp_boot_error),
    SET(0x1F, sp_os_boot),
    SET(0x20, sp_os_stop),
    SET(0x21, sp_slot),
    SET(0x22, sp_acpi),
    SET(0x23, sp_watchdog2),
    SET(0x24, sp_platform_alert),
    SET(0x25, sp_entity_presence),
    SET(0x27, sp_lan),
    SET(0x28, sp_mgmt_health),
    SET(0x29, sp_battery),
    SET(0x2A, sp_session_audit),
    SET(0x2B, sp_version_change),
    SET(0x2C, sp_fru_state),
};

/* The offset entry for (event type, sensor type, offset), or NULL. */
static const struct stab_off *
lookup(uint8_t event_type, uint8_t sensor_type, unsigned offset)
{
    const struct stab_set *sets = generic_sets;
    size_t nsets = NELEMS(generic_sets);
    uint8_t code = event_type;

    if (offset > 14)
        return NULL;
    if (event_type == 0x6F) {
        sets = specific_sets;
        nsets = NELEMS(specific_sets);
        code = sensor_type;
    }
    for (size_t i = 0; i < nsets; i++) {
        if (sets[i].code != code)
            continue;
        if (offset >= sets[i].n || sets[i].offs[offset].text[0] == '\0')
            return NULL;
        return &sets[i].offs[offset];
    }
    return NULL;
}

const char *
stab_offset_text(uint8_t event_type, uint8_t sensor_type, unsigned offset)
{
    const struct stab_off *o = lookup(event_type, sensor_type, offset);
    return o ? o->text : "";
}

enum ipmi_state
stab_offset_severity(uint8_t event_type, uint8_t sensor_type, unsigned offset)
{
    const struct stab_off *o = lookup(event_type, sensor_type, offset);
    return o ? o->sev : IPMI_STATE_OK;
}
