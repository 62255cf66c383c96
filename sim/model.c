/* SPDX-License-Identifier: Apache-2.0 */
/*
 * model.c - what a simulated BMC serves, from its hardware model (model.h):
 * the SDR repository as Get SDR returns it, threshold sensor readings that
 * drift, and FRU images.
 *
 * SDR repository (record IDs from 1, records concatenated as sdr_enc.c
 * writes them):
 *   1        MC device locator "BMC" (0x12): slave address 0x20, channel 0,
 *            capabilities 0x9F (sensor, SDR, SEL, FRU, event receiver, chassis)
 *   2..n+1   the model's sensors in table order (full, compact, event-only)
 *   n+2      FRU device locator "PSU1 FRU" (0x11): logical FRU 1 behind 0x20,
 *            device type 0x10, entity power supply 1
 *
 * Readings (§36.3 run backwards): value v -> raw x = (v / 10^Rexp -
 * B * 10^Bexp) / M, rounded to the nearest count and clamped to the range
 * of the analog format (unsigned 0..255, two's complement -128..127, one's
 * complement -127..127).
 */
#include "model.h"

#include "fru_enc.h"
#include "ic_err.h"
#include "sensor.h"

#include <math.h>
#include <stdlib.h>

#define SIM_EVT_THRESHOLD 0x01
#define SIM_BMC_ADDR      0x20
#define SIM_MC_CAPS       0x9F
#define SIM_FRU_DEV_TYPE  0x10 /* FRU inventory device behind a management controller */
#define SIM_ENT_MC        0x06 /* system management module */
#define SIM_ENT_PSU       0x0A

/* 10^e, exact for the small exponents of SDR factors. */
static double
pow10i(int e)
{
    double p = 1.0;
    for (int i = 0; i < (e < 0 ? -e : e); i++)
        p *= 10.0;
    return e < 0 ? 1.0 / p : p;
}

/* Multiplies v by 10^e with one exact multiplication or division. */
static double
scale10(double v, int e)
{
    return e >= 0 ? v * pow10i(e) : v / pow10i(-e);
}

uint8_t
sim_sensor_to_raw(const struct sim_sensor *s, double value)
{
    if (!s)
        return 0;
    const struct ipmi_sdr *d = &s->sdr;
    unsigned fmt = d->units1 >> 6;
    if (d->type != IPMI_SDR_FULL || d->m == 0 || d->linearization != 0 || fmt == 3)
        return 0;

    double x = (scale10(value, -d->rexp) - scale10((double)d->b, d->bexp)) / (double)d->m;
    if (isnan(x))
        return 0;
    x = round(x);
    switch (fmt) {
    case 0:
        return (uint8_t)(x < 0 ? 0 : x > 255 ? 255 : x);
    case 1: { /* one's complement: -n is ~n */
        int n = (int)(x < -127 ? -127 : x > 127 ? 127 : x);
        return n < 0 ? (uint8_t) ~(unsigned)(-n) : (uint8_t)n;
    }
    default: { /* two's complement */
        int n = (int)(x < -128 ? -128 : x > 127 ? 127 : x);
        return (uint8_t)((unsigned)n & 0xFFu);
    }
    }
}

/* A well-mixed 32-bit hash (the finaliser of MurmurHash3). */
static uint32_t
mix32(uint32_t h)
{
    h ^= h >> 16;
    h *= 0x85EBCA6Bu;
    h ^= h >> 13;
    h *= 0xC2B2AE35u;
    h ^= h >> 16;
    return h;
}

double
sim_model_value(const struct sim_model *m, size_t i, unsigned k, uint32_t seed, uint64_t t_ms)
{
    if (!m || i >= m->n_sensors)
        return 0;
    const struct sim_sensor *s = &m->sensors[i];
    if (s->sdr.event_type != SIM_EVT_THRESHOLD)
        return 0;

    double v = s->base;
    if (s->modulo)
        v += s->step * (double)(((uint64_t)k * s->mult) % s->modulo);
    if (s->period_s && s->drift != 0) {
        uint32_t h = mix32(seed ^ mix32(k ^ mix32((uint32_t)i + 0x9E3779B9u)));
        double phase = (double)h / 4294967296.0;
        uint64_t period_ms = (uint64_t)s->period_s * 1000u;
        double frac = (double)(t_ms % period_ms) / (double)period_ms;
        v += s->drift * sin(2.0 * M_PI * (frac + phase));
    }
    return v;
}

uint8_t
sim_model_raw(const struct sim_model *m, size_t i, unsigned k, uint32_t seed, uint64_t t_ms)
{
    if (!m || i >= m->n_sensors || m->sensors[i].sdr.event_type != SIM_EVT_THRESHOLD)
        return 0;
    return sim_sensor_to_raw(&m->sensors[i], sim_model_value(m, i, k, seed, t_ms));
}

uint8_t
sim_sensor_compare(const struct sim_sensor *s, uint8_t raw)
{
    double v, t;
    unsigned bits = 0;

    if (!s || s->sdr.event_type != SIM_EVT_THRESHOLD || sensor_convert(&s->sdr, raw, &v) < 0)
        return 0;
    for (unsigned i = 0; i < 6; i++) {
        if (!(s->sdr.reading_mask & (1u << i)) ||
            sensor_convert(&s->sdr, s->sdr.thr_raw[i], &t) < 0)
            continue;
        /* IPMI_THR_LNC, LC, LNR: at or below; UNC, UC, UNR: at or above. */
        if (i < IPMI_THR_UNC ? v <= t : v >= t)
            bits |= 1u << i;
    }
    return (uint8_t)bits;
}

/* Sensors a table entry stands for (a shared record: several). */
static unsigned
share_count(const struct sim_sensor *s)
{
    return s->share.count > 1 ? s->share.count : 1;
}

int
sim_model_find(const struct sim_model *m, uint8_t lun, uint8_t number, size_t *idx, unsigned *inst)
{
    if (!m || !idx)
        return IC_EINVAL;
    for (size_t i = 0; i < m->n_sensors; i++) {
        const struct ipmi_sdr *d = &m->sensors[i].sdr;
        if (d->owner_lun != lun || number < d->number ||
            (unsigned)(number - d->number) >= share_count(&m->sensors[i]))
            continue;
        *idx = i;
        if (inst)
            *inst = (unsigned)(number - d->number);
        return 0;
    }
    return IC_EINVAL;
}

size_t
sim_model_sdr_count(const struct sim_model *m)
{
    return m ? m->n_sensors + 2 : 0;
}

static int
put_mc_locator(uint16_t id, struct buf_wr *w)
{
    struct ipmi_sdr d = {
        .type = IPMI_SDR_MC_LOCATOR,
        .name = "BMC",
        .mc_addr = SIM_BMC_ADDR,
        .mc_caps = SIM_MC_CAPS,
        .entity_id = SIM_ENT_MC,
        .entity_instance = 1,
    };
    return sdr_encode(&d, id, w);
}

static int
put_fru_locator(uint16_t id, struct buf_wr *w)
{
    struct ipmi_sdr d = {
        .type = IPMI_SDR_FRU_LOCATOR,
        .name = "PSU1 FRU",
        .fru_access_addr = SIM_BMC_ADDR,
        .fru_id = 1,
        .fru_logical = 1,
        .device_type = SIM_FRU_DEV_TYPE,
        .entity_id = SIM_ENT_PSU,
        .entity_instance = 1,
    };
    return sdr_encode(&d, id, w);
}

int
sim_model_sdr(const struct sim_model *m, uint8_t **out, size_t *len)
{
    struct buf_wr w;
    int rc;

    if (!m || !out || !len)
        return IC_EINVAL;
    *out = NULL;
    *len = 0;
    size_t n = sim_model_sdr_count(m);
    if (n > UINT16_MAX - 1)
        return IC_ETOOBIG;
    size_t cap = n * SDR_ENC_MAX;
    uint8_t *p = malloc(cap);
    if (!p)
        return IC_ENOMEM;
    buf_wr_init(&w, p, cap);

    uint16_t id = 1;
    rc = put_mc_locator(id++, &w);
    for (size_t i = 0; rc == 0 && i < m->n_sensors; i++) {
        const struct sim_sensor *s = &m->sensors[i];
        rc = sdr_encode_shared(&s->sdr, id++, s->share.count > 1 ? &s->share : NULL, &w);
    }
    if (rc == 0)
        rc = put_fru_locator(id, &w);
    if (rc < 0) {
        free(p);
        return rc;
    }
    *out = p;
    *len = w.len;
    return 0;
}

int
sim_model_fru(const struct sim_model *m, unsigned k, uint8_t fru_id, uint8_t *img, size_t cap,
              size_t *len)
{
    struct ipmi_fru f;

    if (!len)
        return IC_EINVAL;
    *len = 0;
    int rc = sim_model_fru_info(m, k, fru_id, &f);
    if (rc < 0)
        return rc;
    sim_model_fru_override(m, fru_id, &f); /* a fleet file's fru: text */
    return fru_encode(&f, 1, img, cap, len);
}
