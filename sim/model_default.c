/* SPDX-License-Identifier: Apache-2.0 */
/*
 * model_default.c - the built-in hardware model: a typical 1U server with
 * 37 SDR sensor records (40 sensors: one compact record is shared by four
 * DIMM presence sensors), its FRU contents and its initial SEL.
 *
 * Readings are y = (M*x + B*10^Bexp) * 10^Rexp (IPMI v2.0 §36.3), x the
 * raw byte. Factor sets used:
 *   temperatures   M 1                      1 degree C per count
 *   Inlet Temp     M 1, two's complement    -128..127 degrees C
 *   Exhaust Temp   M 5, Rexp -1             0.5 degree C per count
 *   PCH Temp       M 1, B -40               -40..215 degrees C
 *   fans           M 7, Rexp 1              70 RPM per count
 *   12V            M 3, B 9, Bexp 2, Rexp -2   (3x + 900) / 100 V
 *   5V, 5VSB       M 26, Rexp -3; 3.3V M 17; VBAT M 16; VCORE M 8
 *   Total Power    M 4 (W); PSU input power M 2 (W); PSU current M 1, Rexp -1 (A)
 * Thresholds are readable and settable, events are enabled for lower
 * thresholds going low and upper ones going high (assertion and
 * deassertion); hysteresis 2 counts on temperatures and power, 1 elsewhere.
 *
 * Discrete sensors (event/reading type 0x6F; offsets of IPMI v2.0 Table
 * 42-3): power supply 0 presence, 1 failure, 2 predictive failure, 3 input
 * lost; physical security 0 general chassis intrusion; processor 0 IERR,
 * 1 thermal trip, 7 presence; memory 0 correctable ECC, 1 uncorrectable
 * ECC, 6 presence; drive slot 0 present, 1 fault. Only failure-type
 * offsets log events.
 *
 * Per-BMC values: base + step * ((k * mult) mod modulo), plus a drift of
 * the given amplitude and period (model.c). Every value stays at least two
 * counts inside its nearest threshold for every k and every time.
 */
#include "model.h"

#include "ic_err.h"

#include <stdio.h>
#include <string.h>

/* Threshold bits, enum ipmi_thr order (= SDR readable mask order). */
#define T_LNC 0x01
#define T_LC  0x02
#define T_LNR 0x04
#define T_UNC 0x08
#define T_UC  0x10
#define T_UNR 0x20

/* Event offsets: lower thresholds going low (0, 2, 4), upper going high (7, 9, 11). */
#define M_EVT(r)                                                                           \
    ((((r)&T_LNC) ? 0x0001 : 0) | (((r)&T_LC) ? 0x0004 : 0) | (((r)&T_LNR) ? 0x0010 : 0) | \
     (((r)&T_UNC) ? 0x0080 : 0) | (((r)&T_UC) ? 0x0200 : 0) | (((r)&T_UNR) ? 0x0800 : 0))
/* b14:12 of the assertion mask: lower comparisons returned; of the deassertion mask: upper ones. */
#define M_ASSERT(r)   (M_EVT(r) | (((r)&0x07) << 12))
#define M_DEASSERT(r) (M_EVT(r) | ((((r) >> 3) & 0x07) << 12))
#define M_READ(r)     ((r) | ((r) << 8)) /* readable b5:0, settable b13:8 */

#define OWNER_BMC  0x20
#define OWNER_BIOS 0x01 /* software ID 0x00 */
#define INIT_THR   0x7F /* init scanning, events, thresholds, hysteresis, type; enabled */
#define CAPS_THR   0x68 /* auto re-arm, hysteresis and thresholds readable + settable */
#define INIT_DISC  0x67 /* init scanning, events, type; enabled */
#define CAPS_DISC  0x40 /* auto re-arm */
#define FMT_U      0    /* analog format: unsigned */
#define FMT_2C     2    /* two's complement */
#define FMT_NONE   3    /* no analog reading */

/* Entity IDs (Table 43-13) and sensor types (Table 42-3) used here. */
#define E_CPU     0x03
#define E_DISK    0x04
#define E_BOARD   0x07
#define E_ADDIN   0x0B
#define E_PSU     0x0A
#define E_POWER   0x13
#define E_CHASSIS 0x17
#define E_FAN     0x1D
#define E_MEMDEV  0x20
#define E_BIOS    0x22
#define E_INLET   0x37

#define ST_TEMP   0x01
#define ST_VOLT   0x02
#define ST_CURR   0x03
#define ST_FAN    0x04
#define ST_SECUR  0x05
#define ST_CPU    0x07
#define ST_PSU    0x08
#define ST_OTHER  0x0B
#define ST_MEMORY 0x0C
#define ST_DRIVE  0x0D
#define ST_SYSEVT 0x12

#define U_DEGC  1
#define U_VOLTS 4
#define U_AMPS  5
#define U_WATTS 6
#define U_RPM   18

/* A full threshold record: identity, factors, thresholds (raw), hysteresis, nominal (0: none). */
#define THR_REC(num_, name_, st_, ent_, inst_, unit_, fmt_, m_, b_, bexp_, rexp_, rm_, lnr_, lc_, \
                lnc_, unc_, uc_, unr_, hyst_, nom_)                                               \
    {                                                                                             \
        .type = IPMI_SDR_FULL, .version = 0x51, .name = name_, .owner_id = OWNER_BMC,             \
        .number = num_, .entity_id = ent_, .entity_instance = inst_, .init = INIT_THR,            \
        .caps = CAPS_THR, .sensor_type = st_, .event_type = 0x01, .assert_mask = M_ASSERT(rm_),   \
        .deassert_mask = M_DEASSERT(rm_), .reading_mask = M_READ(rm_), .units1 = (fmt_) << 6,     \
        .unit_base = unit_, .m = m_, .b = b_, .rexp = rexp_, .bexp = bexp_,                       \
        .analog_flags = (nom_) ? 0x01 : 0x00, .nominal = nom_,                                    \
        .sensor_max = (fmt_) == FMT_2C ? 0x7F : 0xFF,                                             \
        .sensor_min = (fmt_) == FMT_2C ? 0x80 : 0x00,                                             \
        .thr_raw = {[IPMI_THR_LNC] = lnc_, [IPMI_THR_LC] = lc_, [IPMI_THR_LNR] = lnr_,            \
                    [IPMI_THR_UNC] = unc_, [IPMI_THR_UC] = uc_, [IPMI_THR_UNR] = unr_},           \
        .hyst_pos = hyst_, .hyst_neg = hyst_                                                      \
    }

/* A discrete (0x6F) record: full, compact or event-only; states readable, events on evt_. */
#define DISC_REC(type_, owner_, num_, name_, st_, ent_, inst_, states_, evt_)              \
    {                                                                                      \
        .type = type_, .version = 0x51, .name = name_, .owner_id = owner_, .number = num_, \
        .entity_id = ent_, .entity_instance = inst_,                                       \
        .init = (type_) == IPMI_SDR_EVENT_ONLY ? 0 : INIT_DISC,                            \
        .caps = (type_) == IPMI_SDR_EVENT_ONLY ? 0 : CAPS_DISC, .sensor_type = st_,        \
        .event_type = 0x6F, .assert_mask = (type_) == IPMI_SDR_EVENT_ONLY ? 0 : evt_,      \
        .deassert_mask = (type_) == IPMI_SDR_EVENT_ONLY ? 0 : evt_,                        \
        .reading_mask = (type_) == IPMI_SDR_EVENT_ONLY ? 0 : states_,                      \
        .units1 = (type_) == IPMI_SDR_FULL ? FMT_NONE << 6 : 0,                            \
    }

/* Behaviour of a threshold sensor. */
#define MOVE(base_, step_, mult_, mod_, drift_, period_)                          \
    .base = base_, .step = step_, .mult = mult_, .modulo = mod_, .drift = drift_, \
    .period_s = period_

#define TEMP(num_, name_, ent_, inst_, unc_, uc_, unr_, rm_)                                       \
    THR_REC(num_, name_, ST_TEMP, ent_, inst_, U_DEGC, FMT_U, 1, 0, 0, 0, rm_, 0, 0, 0, unc_, uc_, \
            unr_, 2, 0)
#define FAN(num_, name_, inst_)                                                                   \
    THR_REC(num_, name_, ST_FAN, E_FAN, inst_, U_RPM, FMT_U, 7, 0, 0, 1, T_LNR | T_LC | T_LNC, 5, \
            10, 20, 0, 0, 0, 1, 0)

static const struct sim_sensor default_sensors[] = {
    /* temperatures */
    {.sdr = TEMP(0x01, "CPU1 Temp", E_CPU, 1, 85, 90, 95, T_UNC | T_UC | T_UNR),
     MOVE(42.0, 1.0, 7, 13, 2.0, 600)},
    {.sdr = TEMP(0x02, "CPU2 Temp", E_CPU, 2, 85, 90, 95, T_UNC | T_UC | T_UNR),
     MOVE(45.0, 1.0, 7, 13, 2.0, 660)},
    {.sdr = THR_REC(0x03, "Inlet Temp", ST_TEMP, E_INLET, 1, U_DEGC, FMT_2C, 1, 0, 0, 0,
                    T_LNR | T_LC | T_LNC | T_UNC | T_UC | T_UNR, 0xF6 /* -10 */, 0xFB /* -5 */, 5,
                    35, 40, 45, 2, 0),
     MOVE(20.0, 1.0, 1, 6, 1.5, 1800)},
    {.sdr = THR_REC(0x04, "Exhaust Temp", ST_TEMP, E_CHASSIS, 1, U_DEGC, FMT_U, 5, 0, 0, -1,
                    T_UNC | T_UC | T_UNR, 0, 0, 0, 130, 140, 150, 2, 0),
     MOVE(30.5, 0.5, 3, 16, 1.5, 900)},
    {.sdr = THR_REC(0x05, "PCH Temp", ST_TEMP, E_BOARD, 1, U_DEGC, FMT_U, 1, -40, 0, 0,
                    T_UNC | T_UC, 0, 0, 0, 120 /* 80 */, 130 /* 90 */, 0, 2, 0),
     MOVE(50.0, 1.0, 1, 5, 1.0, 1200)},
    {.sdr = TEMP(0x06, "DIMM A Temp", E_MEMDEV, 1, 80, 85, 0, T_UNC | T_UC),
     MOVE(34.0, 1.0, 3, 7, 1.0, 1500)},
    {.sdr = TEMP(0x07, "DIMM B Temp", E_MEMDEV, 2, 80, 85, 0, T_UNC | T_UC),
     MOVE(35.0, 1.0, 5, 7, 1.0, 1500)},
    {.sdr = TEMP(0x08, "DIMM C Temp", E_MEMDEV, 3, 80, 85, 0, T_UNC | T_UC),
     MOVE(34.0, 1.0, 2, 7, 1.0, 1500)},
    {.sdr = TEMP(0x09, "DIMM D Temp", E_MEMDEV, 4, 80, 85, 0, T_UNC | T_UC),
     MOVE(35.0, 1.0, 4, 7, 1.0, 1500)},
    {.sdr = TEMP(0x0A, "GPU1 Temp", E_ADDIN, 1, 85, 90, 0, T_UNC | T_UC),
     MOVE(40.0, 1.0, 1, 5, 1.0, 600),
     .no_reading = 1},

    /* fans: LNR 350, LC 700, LNC 1400 RPM */
    {.sdr = FAN(0x10, "FAN1", 1), MOVE(5600.0, 70.0, 1, 9, 140.0, 300)},
    {.sdr = FAN(0x11, "FAN2", 2), MOVE(5600.0, 70.0, 2, 9, 140.0, 330)},
    {.sdr = FAN(0x12, "FAN3", 3), MOVE(5600.0, 70.0, 4, 9, 140.0, 360)},
    {.sdr = FAN(0x13, "FAN4", 4), MOVE(5670.0, 70.0, 5, 9, 140.0, 390)},
    {.sdr = FAN(0x14, "FAN5", 5), MOVE(5670.0, 70.0, 7, 9, 140.0, 420)},
    {.sdr = FAN(0x15, "FAN6", 6), MOVE(5740.0, 70.0, 8, 9, 140.0, 450)},
    {.sdr = FAN(0x16, "FAN7", 7), MOVE(5600.0, 70.0, 1, 9, 140.0, 300), .absent = 1},

    /* voltages */
    {.sdr = THR_REC(0x20, "12V", ST_VOLT, E_BOARD, 1, U_VOLTS, FMT_U, 3, 9, 2, -2,
                    T_LC | T_LNC | T_UNC | T_UC, 0, 60, 80, 120, 140, 0, 1, 100),
     MOVE(12.00, 0.03, 1, 3, 0.06, 700)},
    {.sdr = THR_REC(0x21, "5V", ST_VOLT, E_BOARD, 2, U_VOLTS, FMT_U, 26, 0, 0, -3,
                    T_LC | T_LNC | T_UNC | T_UC, 0, 173, 183, 202, 212, 0, 1, 192),
     MOVE(4.992, 0.026, 1, 2, 0.052, 800)},
    {.sdr = THR_REC(0x22, "3.3V", ST_VOLT, E_BOARD, 3, U_VOLTS, FMT_U, 17, 0, 0, -3,
                    T_LC | T_LNC | T_UNC | T_UC, 0, 175, 185, 204, 214, 0, 1, 194),
     MOVE(3.298, 0.017, 1, 2, 0.034, 900)},
    {.sdr = THR_REC(0x23, "5VSB", ST_VOLT, E_BOARD, 4, U_VOLTS, FMT_U, 26, 0, 0, -3,
                    T_LC | T_LNC | T_UNC | T_UC, 0, 173, 183, 202, 212, 0, 1, 192),
     MOVE(5.018, -0.026, 1, 2, 0.026, 1000)},
    {.sdr = THR_REC(0x24, "VBAT", ST_VOLT, E_BOARD, 5, U_VOLTS, FMT_U, 16, 0, 0, -3, T_LC | T_LNC,
                    0, 156, 169, 0, 0, 0, 1, 0),
     MOVE(3.008, -0.016, 1, 4, 0.016, 3600)},
    {.sdr = THR_REC(0x25, "CPU1 VCORE", ST_VOLT, E_CPU, 1, U_VOLTS, FMT_U, 8, 0, 0, -3,
                    T_LC | T_LNC | T_UNC | T_UC, 0, 100, 110, 170, 180, 0, 1, 131),
     MOVE(1.048, 0.008, 5, 4, 0.016, 240)},
    {.sdr = THR_REC(0x26, "CPU2 VCORE", ST_VOLT, E_CPU, 2, U_VOLTS, FMT_U, 8, 0, 0, -3,
                    T_LC | T_LNC | T_UNC | T_UC, 0, 100, 110, 170, 180, 0, 1, 131),
     MOVE(1.048, 0.008, 3, 4, 0.016, 270)},

    /* power and current */
    {.sdr = THR_REC(0x30, "Total Power", ST_OTHER, E_POWER, 1, U_WATTS, FMT_U, 4, 0, 0, 0,
                    T_UNC | T_UC, 0, 0, 0, 200 /* 800 */, 225 /* 900 */, 0, 2, 0),
     MOVE(200.0, 4.0, 1, 20, 12.0, 120)},
    {.sdr = THR_REC(0x31, "PSU1 Input Power", ST_OTHER, E_PSU, 1, U_WATTS, FMT_U, 2, 0, 0, 0,
                    T_UNC | T_UC, 0, 0, 0, 200 /* 400 */, 225 /* 450 */, 0, 2, 0),
     MOVE(100.0, 2.0, 3, 10, 6.0, 130)},
    {.sdr = THR_REC(0x32, "PSU2 Input Power", ST_OTHER, E_PSU, 2, U_WATTS, FMT_U, 2, 0, 0, 0,
                    T_UNC | T_UC, 0, 0, 0, 200, 225, 0, 2, 0),
     MOVE(100.0, 2.0, 7, 10, 6.0, 140)},
    {.sdr = THR_REC(0x33, "PSU1 Current", ST_CURR, E_PSU, 1, U_AMPS, FMT_U, 1, 0, 0, -1,
                    T_UNC | T_UC, 0, 0, 0, 100 /* 10.0 */, 120 /* 12.0 */, 0, 1, 0),
     MOVE(0.9, 0.1, 1, 8, 0.1, 130)},
    {.sdr = THR_REC(0x34, "PSU2 Current", ST_CURR, E_PSU, 2, U_AMPS, FMT_U, 1, 0, 0, -1,
                    T_UNC | T_UC, 0, 0, 0, 100, 120, 0, 1, 0),
     MOVE(0.9, 0.1, 3, 8, 0.1, 140)},

    /* discrete */
    {.sdr =
         DISC_REC(IPMI_SDR_FULL, OWNER_BMC, 0x40, "PSU1 Status", ST_PSU, E_PSU, 1, 0x000F, 0x000E),
     .states = 0x0001},
    {.sdr = DISC_REC(IPMI_SDR_COMPACT, OWNER_BMC, 0x41, "PSU2 Status", ST_PSU, E_PSU, 2, 0x000F,
                     0x000E),
     .states = 0x0001},
    {.sdr = DISC_REC(IPMI_SDR_COMPACT, OWNER_BMC, 0x50, "Intrusion", ST_SECUR, E_CHASSIS, 1, 0x0001,
                     0x0001),
     .states = 0x0000},
    {.sdr =
         DISC_REC(IPMI_SDR_FULL, OWNER_BMC, 0x60, "CPU1 Status", ST_CPU, E_CPU, 1, 0x0083, 0x0003),
     .states = 0x0080},
    {.sdr =
         DISC_REC(IPMI_SDR_FULL, OWNER_BMC, 0x61, "CPU2 Status", ST_CPU, E_CPU, 2, 0x0083, 0x0003),
     .states = 0x0080},
    /* one compact record for four sensors: "DIMM A" .. "DIMM D", numbers 0x62-0x65 */
    {.sdr = DISC_REC(IPMI_SDR_COMPACT, OWNER_BMC, 0x62, "DIMM ", ST_MEMORY, E_MEMDEV, 1, 0x0043,
                     0x0003),
     .states = 0x0040,
     .share = {.count = 4, .alpha = 1, .mod_offset = 0, .inst_incr = 1}},
    {.sdr = DISC_REC(IPMI_SDR_COMPACT, OWNER_BMC, 0x70, "Drive 0", ST_DRIVE, E_DISK, 1, 0x0003,
                     0x0002),
     .states = 0x0001},
    /* events only (BIOS boot events): no reading */
    {.sdr =
         DISC_REC(IPMI_SDR_EVENT_ONLY, OWNER_BIOS, 0x80, "Sys Event", ST_SYSEVT, E_BIOS, 1, 0, 0)},
};

#define H 3600u
/* System event: generator, sensor type, number, direction|type, data 1-3 (ID, time: zero). */
#define SEL_SYS(gen_, st_, num_, dirtype_, d1_, d2_, d3_)                                          \
    {                                                                                              \
        0, 0, 0x02, 0, 0, 0, 0, (gen_)&0xFF, (gen_) >> 8, 0x04, st_, num_, dirtype_, d1_, d2_, d3_ \
    }

static const struct sim_sel_seed default_sel[] = {
    /* BIOS: OEM System boot event */
    {72 * H, SEL_SYS(0x0001, ST_SYSEVT, 0x80, 0x6F, 0x01, 0xFF, 0xFF)},
    /* FAN3 Lower Critical going low: reading 9 (630 RPM), threshold 10 (700 RPM); and back */
    {48 * H, SEL_SYS(0x0020, ST_FAN, 0x12, 0x01, 0x52, 9, 10)},
    {48 * H - 120, SEL_SYS(0x0020, ST_FAN, 0x12, 0x81, 0x52, 11, 10)},
    /* PSU2 Status: Failure detected, asserted and deasserted */
    {30 * H, SEL_SYS(0x0020, ST_PSU, 0x41, 0x6F, 0x01, 0xFF, 0xFF)},
    {30 * H - 300, SEL_SYS(0x0020, ST_PSU, 0x41, 0xEF, 0x01, 0xFF, 0xFF)},
    /* General Chassis Intrusion */
    {20 * H, SEL_SYS(0x0020, ST_SECUR, 0x50, 0x6F, 0x00, 0xFF, 0xFF)},
    {19 * H, SEL_SYS(0x0020, ST_SECUR, 0x50, 0xEF, 0x00, 0xFF, 0xFF)},
    /* CPU1 Temp: UNC (86 > 85) then UC (91 > 90) going high, then both deasserted */
    {6 * H, SEL_SYS(0x0020, ST_TEMP, 0x01, 0x01, 0x57, 86, 85)},
    {6 * H - 60, SEL_SYS(0x0020, ST_TEMP, 0x01, 0x01, 0x59, 91, 90)},
    {5 * H, SEL_SYS(0x0020, ST_TEMP, 0x01, 0x81, 0x59, 89, 90)},
    {5 * H, SEL_SYS(0x0020, ST_TEMP, 0x01, 0x81, 0x57, 84, 85)},
    /* DIMM C (sensor 0x64): Correctable ECC, event data 3 = DIMM index 2 */
    {2 * H, SEL_SYS(0x0020, ST_MEMORY, 0x64, 0x6F, 0x20, 0xFF, 0x02)},
    /* Drive 0: Drive Fault, asserted and deasserted */
    {1 * H, SEL_SYS(0x0020, ST_DRIVE, 0x70, 0x6F, 0x01, 0xFF, 0xFF)},
    {H / 2, SEL_SYS(0x0020, ST_DRIVE, 0x70, 0xEF, 0x01, 0xFF, 0xFF)},
    /* OEM timestamped record 0xC1: manufacturer 32473 (0x007ED9), data "SIMBMC" */
    {H / 4, {0, 0, 0xC1, 0, 0, 0, 0, 0xD9, 0x7E, 0x00, 'S', 'I', 'M', 'B', 'M', 'C'}},
};

static const struct sim_model default_model = {
    .name = "SimServer 1U",
    .device_id = 0x20,
    .device_rev = 0x01,
    .fw_major = 2,
    .fw_minor_bcd = 0x47,
    .manufacturer_id = 32473, /* RFC 5612 example enterprise */
    .product_id = 0x0B5D,
    .sensors = default_sensors,
    .n_sensors = sizeof(default_sensors) / sizeof(default_sensors[0]),
    .sel = default_sel,
    .n_sel = sizeof(default_sel) / sizeof(default_sel[0]),
};

const struct sim_model *
sim_model_default(void)
{
    return &default_model;
}

/* ---- FRU contents ------------------------------------------------------------ */

#define FRU_DATE_BASE 15358166u /* 2025-03-14 09:26 UTC in minutes since 1996-01-01 */

static void
fru_text(struct ipmi_fru_field *f, const char *s)
{
    snprintf(f->text, sizeof(f->text), "%s", s);
}

int
sim_model_fru_info(const struct sim_model *m, unsigned k, uint8_t fru_id, struct ipmi_fru *f)
{
    if (!m || !f || fru_id > 1)
        return IC_EINVAL;
    memset(f, 0, sizeof(*f));
    f->fru_id = fru_id;
    f->has_product = 1;
    if (fru_id == 1) { /* PSU1: product area only */
        fru_text(&f->product_mfg, "SimServer Power");
        fru_text(&f->product_name, "PWS-800W");
        fru_text(&f->product_part, "PWS-0800-SIM");
        fru_text(&f->product_version, "A2");
        snprintf(f->product_serial.text, sizeof(f->product_serial.text), "PSU1-%06u", k);
        return 0;
    }
    f->has_chassis = 1;
    f->chassis_type = 0x17; /* Rack Mount Chassis */
    fru_text(&f->chassis_part, "CHS-1U-0815B");
    snprintf(f->chassis_serial.text, sizeof(f->chassis_serial.text), "CSN%06u", k);

    f->has_board = 1;
    f->board_mfg_minutes = FRU_DATE_BASE + ((k - 1u) % 512u) * 60u; /* + (k - 1) hours */
    fru_text(&f->board_mfg, "SimServer Systems");
    fru_text(&f->board_product, "SIM-MB-X2");
    snprintf(f->board_serial.text, sizeof(f->board_serial.text), "BSN%06uA", k);
    fru_text(&f->board_part, "MB-X2-0420-A");
    snprintf(f->board_custom[0].text, sizeof(f->board_custom[0].text), "BMC-%03u", k % 1000u);
    f->n_board_custom = 1;

    fru_text(&f->product_mfg, "SimServer Systems");
    fru_text(&f->product_name, m->name);
    fru_text(&f->product_part, "SS1U-0042-AB");
    fru_text(&f->product_version, "2.0");
    snprintf(f->product_serial.text, sizeof(f->product_serial.text), "SSN2026%05u", k);
    snprintf(f->product_asset_tag.text, sizeof(f->product_asset_tag.text), "ASSET-%05u", k);
    return 0;
}
