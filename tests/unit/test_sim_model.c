/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_sim_model.c - the simulator's hardware model (sim/model.c,
 * sim/model_default.c), proved against OUR decoders: every SDR record of
 * the repository decodes (sdr_decode) back to the fields of its table
 * entry and the repository walks with sdr_header; every FRU image decodes
 * (fru_decode) to its contents with valid checksums; every initial SEL
 * record decodes (sel_decode) to words; every simulated reading converts
 * back (sensor_convert) to within half a count of the intended value and
 * is judged "ok", for k = 1..1000 at many times. The encoders on their own:
 * test_sim_enc.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <cmocka.h>

#include "fru.h"
#include "fru_enc.h"
#include "ic_err.h"
#include "model.h"
#include "sdr.h"
#include "sdr_enc.h"
#include "sel.h"
#include "sensor.h"

#include "sim_test.h"

/* ---- the model's SDR repository ------------------------------------------------ */

struct repo {
    uint8_t *raw;
    size_t len;
    size_t off[128], rlen[128];
    size_t nrec;
    struct ipmi_sdr sensors[256]; /* decoded, shared records expanded */
    size_t nsens;
};

static void
load_repo(const struct sim_model *m, struct repo *r)
{
    memset(r, 0, sizeof(*r));
    assert_int_equal(sim_model_sdr(m, &r->raw, &r->len), 0);
    size_t pos = 0;
    while (pos < r->len) {
        uint16_t id;
        uint8_t type, body;
        assert_true(r->nrec < NELEMS(r->off));
        assert_int_equal(sdr_header(r->raw + pos, r->len - pos, &id, &type, &body), 0);
        assert_int_equal(id, r->nrec + 1); /* record IDs from 1, in order */
        r->off[r->nrec] = pos;
        r->rlen[r->nrec] = SDR_HEADER_LEN + (size_t)body;
        assert_true(pos + r->rlen[r->nrec] <= r->len);
        pos += r->rlen[r->nrec];
        r->nrec++;
    }
    assert_int_equal(pos, r->len);
    assert_int_equal(r->nrec, sim_model_sdr_count(m));

    for (size_t i = 0; i < r->nrec; i++) {
        unsigned count = 0;
        struct ipmi_sdr d;
        uint8_t *q = dup_n(r->raw + r->off[i], r->rlen[i]);
        assert_int_equal(sdr_decode(q, r->rlen[i], 0, &d, &count), 0);
        for (unsigned j = 0; j < count; j++) {
            assert_true(r->nsens < NELEMS(r->sensors));
            assert_int_equal(sdr_decode(q, r->rlen[i], j, &r->sensors[r->nsens++], NULL), 0);
        }
        free(q);
    }
}

static const struct ipmi_sdr *
repo_find(const struct repo *r, uint8_t owner, uint8_t lun, uint8_t number)
{
    for (size_t i = 0; i < r->nsens; i++) {
        const struct ipmi_sdr *d = &r->sensors[i];
        if ((d->type == IPMI_SDR_FULL || d->type == IPMI_SDR_COMPACT ||
             d->type == IPMI_SDR_EVENT_ONLY) &&
            d->owner_id == owner && d->owner_lun == lun && d->number == number)
            return d;
    }
    return NULL;
}

static void
test_sdr_repository_round_trip(void **state)
{
    (void)state;
    const struct sim_model *m = sim_model_default();
    struct repo *r = calloc(1, sizeof(*r));
    assert_non_null(r);
    load_repo(m, r);
    assert_int_equal(r->nrec, m->n_sensors + 2);

    /* Record 1: the MC device locator. */
    struct ipmi_sdr d;
    assert_int_equal(sdr_decode(r->raw, r->rlen[0], 0, &d, NULL), 0);
    assert_int_equal(d.type, IPMI_SDR_MC_LOCATOR);
    assert_string_equal(d.name, "BMC");
    assert_int_equal(d.mc_addr, 0x20);
    assert_int_equal(d.mc_caps, 0x9F);

    /* Every sensor decodes to exactly the fields of its table entry. */
    for (size_t i = 0; i < m->n_sensors; i++) {
        const struct sim_sensor *s = &m->sensors[i];
        size_t n = r->rlen[i + 1];
        uint8_t *q = dup_n(r->raw + r->off[i + 1], n);
        unsigned count = 0;
        unsigned want = s->share.count > 1 ? s->share.count : 1;
        assert_int_equal(sdr_decode(q, n, 0, &d, &count), 0);
        assert_int_equal(count, want);
        for (unsigned j = 0; j < count; j++) {
            struct ipmi_sdr exp = s->sdr;
            exp.record_id = (uint16_t)(i + 2);
            exp.version = 0x51;
            if (count > 1) {
                /* The model's one shared record: alpha suffixes from 'A'. */
                assert_true(s->share.alpha);
                exp.number = (uint8_t)(exp.number + j);
                if (s->share.inst_incr)
                    exp.entity_instance = (uint8_t)(exp.entity_instance + j);
                size_t nl = strlen(exp.name);
                assert_true(nl < IPMI_NAME_MAX);
                exp.name[nl] = (char)('A' + s->share.mod_offset + j);
                exp.name[nl + 1] = '\0';
            }
            assert_int_equal(sdr_decode(q, n, j, &d, NULL), 0);
            assert_sdr_equal(&d, &exp);
            size_t idx;
            unsigned inst;
            assert_int_equal(sim_model_find(m, exp.owner_lun, exp.number, &idx, &inst), 0);
            assert_int_equal(idx, i);
            assert_int_equal(inst, j);
        }
        free(q);
    }

    /* Last record: the FRU device locator of FRU 1. */
    assert_int_equal(sdr_decode(r->raw + r->off[r->nrec - 1], r->rlen[r->nrec - 1], 0, &d, NULL),
                     0);
    assert_int_equal(d.type, IPMI_SDR_FRU_LOCATOR);
    assert_string_equal(d.name, "PSU1 FRU");
    assert_int_equal(d.fru_id, 1);
    assert_int_equal(d.fru_logical, 1);
    assert_int_equal(d.fru_access_addr, 0x20);

    /* Sensor numbers are unique per owner and LUN. */
    unsigned nsensors = 0;
    for (size_t i = 0; i < r->nsens; i++) {
        const struct ipmi_sdr *a = &r->sensors[i];
        if (a->type == IPMI_SDR_FRU_LOCATOR || a->type == IPMI_SDR_MC_LOCATOR)
            continue;
        nsensors++;
        assert_ptr_equal(repo_find(r, a->owner_id, a->owner_lun, a->number), a);
    }
    assert_int_equal(nsensors, r->nsens - 2);
    size_t idx;
    assert_int_equal(sim_model_find(m, 0, 0xFE, &idx, NULL), IC_EINVAL);
    assert_int_equal(sim_model_find(m, 1, 0x01, &idx, NULL), IC_EINVAL);
    free(r->raw);
    free(r);
}

/* What the brief asks of the default model, checked rather than trusted. */
static void
test_default_model_shape(void **state)
{
    (void)state;
    const struct sim_model *m = sim_model_default();
    unsigned n = 0, thr = 0, compact = 0, shared = 0, event_only = 0, no_reading = 0, absent = 0;
    unsigned signed_fmt = 0, b_nonzero = 0, half = 0, fan = 0, presence = 0;

    assert_int_equal(m->manufacturer_id, 32473);
    assert_int_equal(m->product_id, 0x0B5D);
    assert_int_equal(m->device_id, 0x20);
    assert_int_equal(m->fw_major, 2);
    assert_int_equal(m->fw_minor_bcd, 0x47);
    for (size_t i = 0; i < m->n_sensors; i++) {
        const struct sim_sensor *s = &m->sensors[i];
        const struct ipmi_sdr *d = &s->sdr;
        n += s->share.count > 1 ? s->share.count : 1;
        compact += d->type == IPMI_SDR_COMPACT;
        shared += s->share.count > 1;
        event_only += d->type == IPMI_SDR_EVENT_ONLY;
        no_reading += s->no_reading != 0;
        absent += s->absent != 0;
        if (d->event_type == 0x01) {
            thr++;
            assert_int_equal(d->type, IPMI_SDR_FULL);
            assert_true((d->reading_mask & 0x3F) != 0); /* ipmitool shows thresholds */
            signed_fmt += (d->units1 >> 6) == 2;
            b_nonzero += d->b != 0;
            half += d->m == 5 && d->rexp == -1;
            fan += d->m == 7 && d->rexp == 1 && d->unit_base == 18;
        } else {
            assert_int_equal(d->event_type, 0x6F);
            presence += (s->states & 0x0001 && d->sensor_type == 0x08) ||
                        (s->states & 0x0080 && d->sensor_type == 0x07) ||
                        (s->states & 0x0040 && d->sensor_type == 0x0C);
        }
    }
    assert_in_range(n, 36, 44);
    assert_true(thr >= 25);
    assert_true(compact >= 3);
    assert_int_equal(shared, 1);
    assert_int_equal(event_only, 1);
    assert_int_equal(no_reading, 1);
    assert_int_equal(absent, 1);
    assert_int_equal(signed_fmt, 1);
    assert_true(b_nonzero >= 2);
    assert_int_equal(half, 1);
    assert_true(fan >= 6);
    assert_true(presence >= 5);
}

/* ---- FRU ---------------------------------------------------------------------------- */

static int
contains(const uint8_t *p, size_t n, const char *s)
{
    return memmem(p, n, s, strlen(s)) != NULL;
}

static void
test_fru_model_round_trip(void **state)
{
    (void)state;
    const struct sim_model *m = sim_model_default();
    static const unsigned ks[] = {1, 2, 3, 9, 10, 99, 512, 513, 999, 1000, 65535, 999999};
    uint8_t img[1024];
    size_t len;
    struct ipmi_fru in, f;

    for (size_t i = 0; i < NELEMS(ks); i++) {
        for (uint8_t id = 0; id <= 1; id++) {
            assert_int_equal(sim_model_fru_info(m, ks[i], id, &in), 0);
            assert_int_equal(sim_model_fru(m, ks[i], id, img, sizeof(img), &len), 0);
            assert_fru_round_trip(img, len, &in);
        }
    }

    /* bmc001 in detail, as ipmitool would print it. */
    char d[64];
    assert_int_equal(sim_model_fru(m, 1, 0, img, sizeof(img), &len), 0);
    assert_int_equal(fru_decode(img, len, &f), 0);
    assert_int_equal(f.chassis_type, 0x17);
    assert_string_equal(fru_chassis_type_text(f.chassis_type), "Rack Mount Chassis");
    fru_board_date_text(&f, d, sizeof(d));
    assert_string_equal(d, "Fri Mar 14 09:26:00 2025");
    assert_string_equal(f.board_serial.text, "BSN000001A");
    assert_string_equal(f.board_part.text, "MB-X2-0420-A");
    assert_string_equal(f.product_serial.text, "SSN202600001");
    assert_string_equal(f.product_asset_tag.text, "ASSET-00001");
    assert_string_equal(f.product_name.text, m->name);
    /* The part numbers are 6-bit packed: not in the image as ASCII. */
    assert_false(contains(img, len, "MB-X2-0420-A"));
    assert_false(contains(img, len, "SS1U-0042-AB"));
    assert_true(contains(img, len, "BSN000001A"));
    /* ... and 8-bit without sixbit_parts. */
    assert_int_equal(sim_model_fru_info(m, 1, 0, &in), 0);
    assert_int_equal(fru_encode(&in, 0, img, sizeof(img), &len), 0);
    assert_true(contains(img, len, "MB-X2-0420-A"));
    assert_fru_round_trip(img, len, &in);

    fru_board_date_text(&f, d, sizeof(d));
    assert_int_equal(sim_model_fru(m, 2, 0, img, sizeof(img), &len), 0);
    assert_int_equal(fru_decode(img, len, &f), 0);
    fru_board_date_text(&f, d, sizeof(d));
    assert_string_equal(d, "Fri Mar 14 10:26:00 2025");

    /* FRU 1: the PSU, product area only. */
    assert_int_equal(sim_model_fru(m, 7, 1, img, sizeof(img), &len), 0);
    assert_int_equal(fru_decode(img, len, &f), 0);
    assert_false(f.has_chassis || f.has_board);
    assert_true(f.has_product);
    assert_string_equal(f.product_serial.text, "PSU1-000007");
    assert_int_equal(sim_model_fru(m, 1, 2, img, sizeof(img), &len), IC_EINVAL);
}

/* ---- SEL ---------------------------------------------------------------------------- */

static void
test_sel_seeds_decode(void **state)
{
    (void)state;
    const struct sim_model *m = sim_model_default();
    struct repo *r = calloc(1, sizeof(*r));
    assert_non_null(r);
    load_repo(m, r);
    const uint32_t start = 1795000000u; /* the fleet's start, 2026-11-18 */
    unsigned system = 0, threshold = 0;
    uint32_t prev_age = UINT32_MAX;

    assert_true(m->n_sel >= 10);
    for (size_t i = 0; i < m->n_sel; i++) {
        uint8_t rec[16];
        memcpy(rec, m->sel[i].rec, sizeof(rec));
        assert_true(m->sel[i].age_s <= prev_age); /* oldest first */
        prev_age = m->sel[i].age_s;
        uint32_t ts = start - m->sel[i].age_s;
        rec[0] = (uint8_t)(i + 1);
        rec[1] = 0;
        rec[3] = (uint8_t)ts;
        rec[4] = (uint8_t)(ts >> 8);
        rec[5] = (uint8_t)(ts >> 16);
        rec[6] = (uint8_t)(ts >> 24);

        struct ipmi_sel_entry e;
        const struct ipmi_sdr *sdr = NULL;
        if (rec[2] == 0x02) {
            /* generator ID byte 1 = the SDR's owner ID; b1:0 of byte 2 its LUN */
            sdr = repo_find(r, rec[7], rec[8] & 3, rec[11]);
            assert_non_null(sdr); /* every event names a sensor of the model */
            assert_int_equal(sdr->sensor_type, rec[10]);
            assert_int_equal(sdr->event_type, rec[12] & 0x7F);
        }
        assert_int_equal(sel_decode(rec, sizeof(rec), sdr, &e), 0);
        assert_true(e.has_timestamp);
        assert_int_equal(e.timestamp, ts);
        assert_true(e.event[0] != '\0');
        assert_null(strstr(e.event, "Unknown"));
        if (e.record_type == 0x02) {
            system++;
            assert_int_equal(e.evm_rev, 0x04);
            assert_null(strstr(e.event, "Event type")); /* a known offset */
            assert_true(e.sensor[0] != '\0');
            assert_true(e.severity != IPMI_STATE_NONE);
            if (e.event_type == 0x01) {
                threshold++;
                assert_non_null(strstr(e.detail, "Threshold"));
                assert_null(strstr(e.detail, "0x")); /* converted with the SDR */
            }
        } else {
            assert_int_equal(e.record_type, 0xC1);
            assert_int_equal(e.oem_iana, 32473);
            assert_string_equal(e.detail, "007ed9 | 53494d424d43");
        }
        if (i == 1) {
            assert_string_equal(e.sensor, "FAN3");
            assert_string_equal(e.event, "Lower Critical going low");
            assert_string_equal(e.detail, "Reading 630 < Threshold 700 RPM");
            assert_int_equal(e.severity, IPMI_STATE_CRITICAL);
        }
        if (i == 7) {
            assert_string_equal(e.sensor, "CPU1 Temp");
            assert_string_equal(e.detail, "Reading 86 > Threshold 85 degrees C");
        }
    }
    assert_true(system >= 10);
    assert_true(threshold >= 4);
    free(r->raw);
    free(r);
}

/* ---- readings ------------------------------------------------------------------------- */

/* Half a count in engineering units, plus rounding slack. */
static double
half_lsb(const struct ipmi_sdr *d)
{
    double lsb = fabs((double)d->m) * pow(10.0, d->rexp);
    return lsb / 2 + lsb * 1e-9;
}

static void
test_readings_in_range(void **state)
{
    (void)state;
    const struct sim_model *m = sim_model_default();
    unsigned checked = 0;

    for (size_t i = 0; i < m->n_sensors; i++) {
        const struct sim_sensor *s = &m->sensors[i];
        const struct ipmi_sdr *d = &s->sdr;
        if (d->event_type != 0x01) {
            assert_int_equal(sim_model_raw(m, i, 1, 0, 0), 0);
            assert_true(sim_model_value(m, i, 1, 0, 0) == 0);
            continue;
        }
        /* Threshold values, and one count of margin inside them. */
        double thr[6], lsb = 2 * half_lsb(d);
        for (unsigned t = 0; t < 6; t++)
            if (d->reading_mask & (1u << t))
                assert_int_equal(sensor_convert(d, d->thr_raw[t], &thr[t]), 0);
        uint8_t lo = 0xFF, hi = 0;
        for (unsigned k = 1; k <= 1000; k++) {
            uint32_t seed = k * 2654435761u ^ 0xC0FFEEu;
            for (unsigned step = 0; step < 40; step++) {
                uint64_t t_ms = (uint64_t)step * 37013u + (uint64_t)k * 1009u;
                double want = sim_model_value(m, i, k, seed, t_ms);
                uint8_t raw = sim_model_raw(m, i, k, seed, t_ms);
                assert_int_equal(raw, sim_sensor_to_raw(s, want));
                assert_int_equal(raw, sim_model_raw(m, i, k, seed, t_ms)); /* pure */
                double got;
                assert_int_equal(sensor_convert(d, raw, &got), 0);
                if (fabs(got - want) > half_lsb(d))
                    fail_msg("%s k=%u t=%llu: raw %u -> %f, wanted %f", d->name, k,
                             (unsigned long long)t_ms, raw, got, want);
                for (unsigned t = 0; t < 6; t++) {
                    if (!(d->reading_mask & (1u << t)))
                        continue;
                    if (t < IPMI_THR_UNC ? got < thr[t] + lsb : got > thr[t] - lsb)
                        fail_msg("%s k=%u: %f too close to threshold %u (%f)", d->name, k, got, t,
                                 thr[t]);
                }
                /* What a client makes of it: a value, judged ok. */
                uint8_t cmp = sim_sensor_compare(s, raw);
                assert_int_equal(cmp, 0);
                uint8_t rsp[3] = {raw, 0xC0, cmp};
                struct ipmi_reading rd;
                sensor_init_reading(d, &rd);
                assert_int_equal(sensor_apply_reading(d, 0, rsp, sizeof(rsp), &rd), 0);
                assert_true(rd.has_value);
                assert_int_equal(rd.state, IPMI_STATE_OK);
                assert_true(rd.value == got);
                if (raw < lo)
                    lo = raw;
                if (raw > hi)
                    hi = raw;
                checked++;
            }
        }
        /* The values do move, across BMCs and time. */
        assert_true(hi > lo);
    }
    assert_true(checked > 25u * 1000u * 40u);
}

static void
test_drift_over_time(void **state)
{
    (void)state;
    const struct sim_model *m = sim_model_default();
    size_t fan1;
    assert_int_equal(sim_model_find(m, 0, 0x10, &fan1, NULL), 0);
    const struct sim_sensor *s = &m->sensors[fan1];
    uint64_t period_ms = (uint64_t)s->period_s * 1000u;
    double center = s->base + s->step * (double)((7u * s->mult) % s->modulo);
    double lo = 1e9, hi = -1e9;

    for (uint64_t t = 0; t < period_ms; t += period_ms / 64) {
        double v = sim_model_value(m, fan1, 7, 42, t);
        assert_true(fabs(v - center) <= s->drift + 1e-9);
        /* periodic */
        assert_true(fabs(v - sim_model_value(m, fan1, 7, 42, t + 5 * period_ms)) < 1e-6);
        lo = v < lo ? v : lo;
        hi = v > hi ? v : hi;
    }
    assert_true(hi - lo > s->drift); /* a full swing over one period */
    /* The seed moves the phase. */
    unsigned differ = 0;
    for (uint32_t seed = 1; seed < 20; seed++)
        differ +=
            fabs(sim_model_value(m, fan1, 7, seed, 0) - sim_model_value(m, fan1, 7, 0, 0)) > 1e-6;
    assert_true(differ >= 15);
    /* Out of range indexes. */
    assert_int_equal(sim_model_raw(m, m->n_sensors, 1, 0, 0), 0);
    assert_true(sim_model_value(NULL, 0, 1, 0, 0) == 0);
}

static void
test_to_raw_and_compare(void **state)
{
    (void)state;
    const struct sim_model *m = sim_model_default();
    size_t inlet, fan, v12, pch;
    assert_int_equal(sim_model_find(m, 0, 0x03, &inlet, NULL), 0);
    assert_int_equal(sim_model_find(m, 0, 0x10, &fan, NULL), 0);
    assert_int_equal(sim_model_find(m, 0, 0x20, &v12, NULL), 0);
    assert_int_equal(sim_model_find(m, 0, 0x05, &pch, NULL), 0);
    const struct sim_sensor *in = &m->sensors[inlet], *f = &m->sensors[fan];

    /* two's complement */
    assert_int_equal(sim_sensor_to_raw(in, -10.0), 0xF6);
    assert_int_equal(sim_sensor_to_raw(in, -0.4), 0x00);
    assert_int_equal(sim_sensor_to_raw(in, 127.0), 0x7F);
    assert_int_equal(sim_sensor_to_raw(in, 1000.0), 0x7F);
    assert_int_equal(sim_sensor_to_raw(in, -1000.0), 0x80);
    /* unsigned, M 7 Rexp 1 */
    assert_int_equal(sim_sensor_to_raw(f, 5670.0), 81);
    assert_int_equal(sim_sensor_to_raw(f, 5704.0), 81);
    assert_int_equal(sim_sensor_to_raw(f, 5706.0), 82);
    assert_int_equal(sim_sensor_to_raw(f, -5.0), 0);
    assert_int_equal(sim_sensor_to_raw(f, 1e9), 255);
    assert_int_equal(sim_sensor_to_raw(f, NAN), 0);
    /* B and Bexp: 12.03 V = (3 * 101 + 9 * 100) / 100 */
    assert_int_equal(sim_sensor_to_raw(&m->sensors[v12], 12.03), 101);
    assert_int_equal(sim_sensor_to_raw(&m->sensors[v12], 0.0), 0);
    /* B -40 */
    assert_int_equal(sim_sensor_to_raw(&m->sensors[pch], 51.0), 91);
    assert_int_equal(sim_sensor_to_raw(&m->sensors[pch], -50.0), 0);
    /* one's complement, negative M */
    struct sim_sensor oc = {.sdr = {.type = IPMI_SDR_FULL, .units1 = 0x40, .m = -2}};
    assert_int_equal(sim_sensor_to_raw(&oc, 10.0), 0xFA); /* x = -5 */
    assert_int_equal(sim_sensor_to_raw(&oc, -10.0), 5);
    assert_int_equal(sim_sensor_to_raw(&oc, 1000.0), 0x80); /* -127 */
    assert_int_equal(sim_sensor_to_raw(&oc, -1000.0), 0x7F);
    double v;
    assert_int_equal(sensor_convert(&oc.sdr, 0xFA, &v), 0);
    assert_true(v == 10.0);
    /* no conversion: compact, no analog format, M 0 */
    struct sim_sensor none = {.sdr = {.type = IPMI_SDR_COMPACT, .m = 1}};
    assert_int_equal(sim_sensor_to_raw(&none, 50.0), 0);
    none.sdr.type = IPMI_SDR_FULL;
    none.sdr.units1 = 0xC0;
    assert_int_equal(sim_sensor_to_raw(&none, 50.0), 0);
    none.sdr.units1 = 0;
    none.sdr.m = 0;
    assert_int_equal(sim_sensor_to_raw(&none, 50.0), 0);
    assert_int_equal(sim_sensor_to_raw(NULL, 50.0), 0);

    /* Comparison bits, signed: -10 is at LNR (and so below LC and LNC). */
    assert_int_equal(sim_sensor_compare(in, 0xF6), 0x07);
    assert_int_equal(sim_sensor_compare(in, 0xFB), 0x03);
    assert_int_equal(sim_sensor_compare(in, 0x05), 0x01);
    assert_int_equal(sim_sensor_compare(in, 20), 0x00);
    assert_int_equal(sim_sensor_compare(in, 35), 0x08);
    assert_int_equal(sim_sensor_compare(in, 0x7F), 0x38);
    assert_int_equal(sim_sensor_compare(f, 10), 0x03); /* LC 700, LNC 1400 */
    assert_int_equal(sim_sensor_compare(f, 0), 0x07);
    assert_int_equal(sim_sensor_compare(&m->sensors[m->n_sensors - 1], 0), 0); /* discrete */
    /* ... and what a client says about them. */
    uint8_t rsp[3] = {10, 0xC0, sim_sensor_compare(f, 10)};
    struct ipmi_reading rd;
    sensor_init_reading(&f->sdr, &rd);
    assert_int_equal(sensor_apply_reading(&f->sdr, 0, rsp, sizeof(rsp), &rd), 0);
    assert_int_equal(rd.state, IPMI_STATE_CRITICAL);
    assert_true(rd.value == 700.0);
}

static void
test_sdr_alloc_args(void **state)
{
    (void)state;
    uint8_t *p = (uint8_t *)1;
    size_t len = 1;
    assert_int_equal(sim_model_sdr(NULL, &p, &len), IC_EINVAL);
    assert_int_equal(sim_model_sdr(sim_model_default(), NULL, &len), IC_EINVAL);
    assert_int_equal(sim_model_sdr_count(NULL), 0);
    assert_int_equal(sim_model_fru(sim_model_default(), 1, 0, NULL, 0, &len), IC_EINVAL);
    uint8_t small[16];
    assert_int_equal(sim_model_fru(sim_model_default(), 1, 0, small, sizeof(small), &len),
                     IC_ETOOBIG);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sdr_repository_round_trip),
        cmocka_unit_test(test_default_model_shape),
        cmocka_unit_test(test_fru_model_round_trip),
        cmocka_unit_test(test_sel_seeds_decode),
        cmocka_unit_test(test_readings_in_range),
        cmocka_unit_test(test_drift_over_time),
        cmocka_unit_test(test_to_raw_and_compare),
        cmocka_unit_test(test_sdr_alloc_args),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
