/* SPDX-License-Identifier: Apache-2.0 */
/*
 * model.h - private to sim/: a hardware model, i.e. what every BMC of a
 * simulated fleet has: identity, sensors (as SDR records plus how their
 * values move), FRU contents and the initial SEL. Per-BMC variation
 * (serials, initial values) is a pure function of the BMC's index k
 * (1-based) and the fleet seed, so fleets are reproducible.
 */
#ifndef IC_SIM_MODEL_H
#define IC_SIM_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "poller.h"
#include "sdr_enc.h"

/* One sensor: its SDR record as a client decodes it, and its behaviour. */
struct sim_sensor {
    struct ipmi_sdr sdr; /* type IPMI_SDR_FULL or IPMI_SDR_COMPACT (or EVENT_ONLY); thr_raw set */
    /* threshold sensors, engineering units */
    double base; /* value of BMC k = base + step * ((k * mult) mod modulo) ... */
    double step;
    unsigned mult, modulo;
    double drift;      /* amplitude of the slow drift around that value (stays inside thresholds) */
    unsigned period_s; /* drift period */
    /* discrete sensors */
    uint16_t states; /* initially asserted state bits */
    int no_reading;  /* scanning disabled (reading byte 1 b6 clear) */
    int absent;      /* Get Sensor Reading answers cc 0xCB: an SDR without a sensor */
    /* compact / event-only records: share.count > 1 sensors with numbers sdr.number + 0..count-1,
       all with this behaviour (states); zero: not shared */
    struct sdr_share share;
};

/* One initial SEL record, age relative to fleet start. */
struct sim_sel_seed {
    uint32_t age_s;
    uint8_t rec[16]; /* record ID and timestamp are filled in when the SEL is built */
};

/* FRU device 0 text: a field that is not "" replaces the built-in one (sim_model_fru()). */
struct sim_fru_text {
    char chassis_part[IPMI_FRU_TEXT_MAX + 1];
    char board_mfg[IPMI_FRU_TEXT_MAX + 1], board_product[IPMI_FRU_TEXT_MAX + 1],
        board_part[IPMI_FRU_TEXT_MAX + 1];
    char product_mfg[IPMI_FRU_TEXT_MAX + 1], product_name[IPMI_FRU_TEXT_MAX + 1],
        product_part[IPMI_FRU_TEXT_MAX + 1], product_version[IPMI_FRU_TEXT_MAX + 1];
};

struct sim_model {
    const char *name;
    uint8_t device_id, device_rev;
    uint8_t fw_major, fw_minor_bcd; /* odd k: as given; even k: minor + 4 (bmcsim's 2.47/2.51) */
    uint32_t manufacturer_id;
    uint16_t product_id;
    const struct sim_sensor *sensors;
    size_t n_sensors;
    const struct sim_sel_seed *sel;
    size_t n_sel;
    struct sim_fru_text fru; /* FRU device 0 text replacing the built-in text (fleet file) */
};

/* The built-in model: a typical 1U server with about 40 sensors. */
const struct sim_model *sim_model_default(void);

/*
 * The SDR repository of the model: an MC device locator, the sensors in
 * order, a FRU device locator for FRU 1, as concatenated records (record
 * IDs from 1). *out is allocated; the caller frees it.
 */
int sim_model_sdr(const struct sim_model *m, uint8_t **out, size_t *len);

/* Raw reading byte of threshold sensor i for BMC k at monotonic time t_ms (seed varies it). */
uint8_t sim_model_raw(const struct sim_model *m, size_t i, unsigned k, uint32_t seed,
                      uint64_t t_ms);

/*
 * Engineering value of threshold sensor i for BMC k at time t_ms (what
 * sim_model_raw() converts): base + step * ((k * mult) mod modulo) plus
 * drift * sin(2 pi (t / period + phase)), phase from (seed, k, i). 0 for
 * other sensors.
 */
double sim_model_value(const struct sim_model *m, size_t i, unsigned k, uint32_t seed,
                       uint64_t t_ms);

/* Engineering value -> raw byte with the sensor's SDR factors (nearest, clamped). */
uint8_t sim_sensor_to_raw(const struct sim_sensor *s, double value);

/*
 * Get Sensor Reading byte 2 for threshold sensor s reading raw: b0 <= LNC,
 * b1 <= LC, b2 <= LNR, b3 >= UNC, b4 >= UC, b5 >= UNR, compared as
 * engineering values (so signed formats compare right), readable
 * thresholds only. 0 for sensors without thresholds.
 */
uint8_t sim_sensor_compare(const struct sim_sensor *s, uint8_t raw);

/*
 * The sensor (index into m->sensors) owning sensor number `number` on LUN
 * lun, shared records included (*inst = 0..share.count-1, may be NULL).
 * Returns 0, or IC_EINVAL when no sensor has that number.
 */
int sim_model_find(const struct sim_model *m, uint8_t lun, uint8_t number, size_t *idx,
                   unsigned *inst);

/* Number of records sim_model_sdr() writes (MC locator, sensors, FRU locator). */
size_t sim_model_sdr_count(const struct sim_model *m);

/* FRU images of BMC k: device 0 (chassis, board, product) and 1 (a PSU, product only). */
int sim_model_fru(const struct sim_model *m, unsigned k, uint8_t fru_id, uint8_t *img, size_t cap,
                  size_t *len);

/*
 * The FRU contents of BMC k, device 0 or 1, before encoding (what
 * sim_model_fru() encodes, with 6-bit part numbers). Returns 0 or IC_EINVAL
 * (another FRU ID).
 */
int sim_model_fru_info(const struct sim_model *m, unsigned k, uint8_t fru_id, struct ipmi_fru *f);

/* ---- model_copy.c ---- */

/*
 * A heap copy of src that can be changed (a fleet file's changes): the
 * sensors and the initial SEL are copied too, so the copy's sensors may be
 * written through a cast. Returns 0 or IC_ENOMEM / IC_EINVAL. Free with
 * sim_model_free().
 */
int sim_model_copy(const struct sim_model *src, struct sim_model **dst);
/* Frees a model from sim_model_copy(); NULL is a no-op. Never pass sim_model_default(). */
void sim_model_free(struct sim_model *m);
/* Replaces the fields of f (FRU device fru_id of m) that m->fru overrides: sim_model_fru()
   applies it to what sim_model_fru_info() returns. */
void sim_model_fru_override(const struct sim_model *m, uint8_t fru_id, struct ipmi_fru *f);

#endif
