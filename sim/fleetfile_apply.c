/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fleetfile_apply.c - a parsed fleet file (fleetfile.c) applied to a copy
 * of the hardware model and to the fleet's shared state. What needs the
 * model is checked here, with the file position of the value: the sensor
 * must exist and be of the right kind (value, drift and thresholds for
 * threshold sensors, states for discrete ones), a value or threshold must
 * fit the raw byte of the sensor's analog format with its SDR factors,
 * only thresholds the SDR marks readable may be set, and the thresholds
 * must stay ordered (lnr <= lc <= lnc <= unc <= uc <= unr). The SDR
 * repository is then rebuilt so that clients read the new thresholds.
 */
#include "fleetfile.h"

#include "ic_err.h"
#include "sensor.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ff_apply {
    const struct sim_fleetfile *ff;
    char *err;
    size_t errlen;
};

#define AFAIL(a, pos, ...) \
    sim_fleetfile_fail((a)->ff->name, (pos), (a)->err, (a)->errlen, __VA_ARGS__)

/*
 * The raw byte for engineering value v of threshold sensor s, or
 * IC_ECONFIG when its analog format cannot express v (what names v).
 */
static int
to_raw(const struct ff_apply *a, struct sim_fleetfile_pos pos, const struct sim_sensor *s,
       const char *what, double v, uint8_t *raw)
{
    const struct ipmi_sdr *d = &s->sdr;
    unsigned fmt = d->units1 >> 6;
    double lo, hi;
    char unit[40];
    if (d->type != IPMI_SDR_FULL || d->m == 0 || d->linearization != 0 || fmt == 3 ||
        sensor_convert(d, 0x80, &lo) < 0 || sensor_convert(d, fmt ? 0x7F : 0xFF, &hi) < 0)
        return AFAIL(a, pos, "'%s' has no numeric reading to set", d->name);
    if (fmt == 0 && sensor_convert(d, 0x00, &lo) < 0)
        return AFAIL(a, pos, "'%s' has no numeric reading to set", d->name);
    double x = (v * pow(10.0, -d->rexp) - (double)d->b * pow(10.0, d->bexp)) / (double)d->m;
    x = round(x);
    if (x < (fmt == 0 ? 0 : fmt == 1 ? -127 : -128) || x > (fmt == 0 ? 255 : 127)) {
        sensor_unit_text(d, unit, sizeof(unit));
        return AFAIL(a, pos, "%s %g is outside what '%s' can express (%g to %g %s)", what, v,
                     d->name, lo < hi ? lo : hi, lo < hi ? hi : lo, unit);
    }
    *raw = sim_sensor_to_raw(s, v);
    return 0;
}

/* Thresholds low to high: LNR <= LC <= LNC <= UNC <= UC <= UNR. */
static int
check_order(const struct ff_apply *a, const struct sim_fleetfile_sensor *fs,
            const struct sim_sensor *s)
{
    static const uint8_t order[6] = {IPMI_THR_LNR, IPMI_THR_LC, IPMI_THR_LNC,
                                     IPMI_THR_UNC, IPMI_THR_UC, IPMI_THR_UNR};
    double prev = 0, v;
    int have = 0;
    unsigned pi = 0;
    for (unsigned j = 0; j < 6; j++) {
        unsigned i = order[j];
        if (!(s->sdr.reading_mask & (1u << i)) || sensor_convert(&s->sdr, s->sdr.thr_raw[i], &v))
            continue;
        if (have && v < prev)
            return AFAIL(a, fs->thresholds_pos,
                         "thresholds of '%s' out of order: %s %g is below %s %g (expected lnr <= "
                         "lc <= lnc <= unc <= uc <= unr)",
                         fs->name, sim_fleetfile_thr_keys[i], v, sim_fleetfile_thr_keys[pi], prev);
        prev = v, pi = i, have = 1;
    }
    return 0;
}

static int
apply_thresholds(const struct ff_apply *a, const struct sim_fleetfile_sensor *fs,
                 struct sim_sensor *s)
{
    char have[40] = "";
    for (unsigned i = 0; i < 6; i++)
        if (s->sdr.reading_mask & (1u << i)) {
            size_t l = strlen(have);
            snprintf(have + l, sizeof(have) - l, "%s%s", l ? ", " : "", sim_fleetfile_thr_keys[i]);
        }
    for (unsigned i = 0; i < 6; i++) {
        if (!(fs->thr_set & (1u << i)))
            continue;
        if (!(s->sdr.reading_mask & (1u << i)))
            return AFAIL(a, fs->thr_pos[i], "'%s' has no %s threshold (it has: %s)", fs->name,
                         sim_fleetfile_thr_keys[i], have[0] ? have : "none");
        int rc =
            to_raw(a, fs->thr_pos[i], s, sim_fleetfile_thr_keys[i], fs->thr[i], &s->sdr.thr_raw[i]);
        if (rc)
            return rc;
    }
    return check_order(a, fs, s);
}

static int
apply_sensor(const struct ff_apply *a, struct sim_model *m, const struct sim_fleetfile_sensor *fs)
{
    size_t i = 0;
    while (i < m->n_sensors && strcmp(m->sensors[i].sdr.name, fs->name) != 0)
        i++;
    if (i == m->n_sensors)
        return AFAIL(a, fs->pos,
                     "no sensor '%s' in the model '%s' (names are SDR ID strings, "
                     "case-sensitive)",
                     fs->name, m->name ? m->name : "");
    /* m comes from sim_model_copy(): its sensors are heap memory we may write. */
    struct sim_sensor *s = (struct sim_sensor *)(uintptr_t)&m->sensors[i];
    int thr = s->sdr.event_type == 0x01;
    uint8_t raw;
    if (fs->set & SIM_FLEETFILE_STATES) {
        if (thr || s->sdr.type == IPMI_SDR_EVENT_ONLY)
            return AFAIL(a, fs->states_pos, "'%s' %s", fs->name,
                         thr ? "is a threshold sensor: give value, not states"
                             : "is an event-only record: it has no states");
        if (fs->states & ~s->sdr.reading_mask)
            return AFAIL(a, fs->states_pos, "states 0x%04x: '%s' can assert only 0x%04x",
                         fs->states, fs->name, s->sdr.reading_mask & 0x7FFFu);
        s->states = fs->states;
    }
    if (!thr && (fs->set & (SIM_FLEETFILE_VALUE | SIM_FLEETFILE_DRIFT) || fs->thr_set))
        return AFAIL(a,
                     fs->set & SIM_FLEETFILE_VALUE   ? fs->value_pos
                     : fs->set & SIM_FLEETFILE_DRIFT ? fs->drift_pos
                                                     : fs->thresholds_pos,
                     "'%s' is a discrete sensor: give states, not value, drift or thresholds",
                     fs->name);
    if (fs->set & SIM_FLEETFILE_VALUE) {
        int rc = to_raw(a, fs->value_pos, s, "value", fs->value, &raw);
        if (rc)
            return rc;
        s->base = fs->value; /* the same for every BMC */
        s->step = 0;
        s->mult = 0;
        s->modulo = 0;
        s->drift = 0;
    }
    if (fs->set & SIM_FLEETFILE_DRIFT) {
        s->drift = fs->drift;
        if (s->drift != 0 && s->period_s == 0)
            s->period_s = 600;
    }
    return fs->thr_set ? apply_thresholds(a, fs, s) : 0;
}

static void
set_text(char dst[IPMI_FRU_TEXT_MAX + 1], const char src[IPMI_FRU_TEXT_MAX + 1])
{
    if (src[0])
        memcpy(dst, src, IPMI_FRU_TEXT_MAX + 1);
}

/* Rebuilds sh's SDR repository and its index from sh->model. */
static int
rebuild_sdr(struct sim_shared *sh)
{
    struct sim_shared tmp;
    int rc = sim_shared_init(&tmp, sh->model, sh->seed);
    if (rc == 0) {
        free(sh->sdr);
        free(sh->rec_off);
        sh->sdr = tmp.sdr;
        sh->sdr_len = tmp.sdr_len;
        sh->rec_off = tmp.rec_off;
        sh->n_records = tmp.n_records;
        memcpy(sh->by_number, tmp.by_number, sizeof(sh->by_number));
        tmp.sdr = NULL;
        tmp.rec_off = NULL;
    }
    sim_shared_free(&tmp);
    return rc;
}

static int
apply_users(const struct ff_apply *a, struct sim_shared *sh)
{
    const struct sim_fleetfile *ff = a->ff;
    if (!ff->n_users)
        return 0;
    explicit_bzero(sh->users, sizeof(sh->users));
    sh->n_users = 0;
    for (size_t i = 0; i < ff->n_users; i++) {
        const struct sim_fleetfile_user *u = &ff->users[i];
        if (!u->pw_loaded)
            return AFAIL(a, u->pos,
                         "users[%zu]: password_file %s not read (load the fleet file "
                         "with sim_fleetfile_load)",
                         i, u->pw_file);
        int rc = sim_shared_add_user(sh, u->name, u->pw, u->priv, u->enabled);
        if (rc)
            return AFAIL(a, u->pos, "users[%zu]: %s", i, ic_strerror(rc));
    }
    return 0;
}

int
sim_fleetfile_apply(const struct sim_fleetfile *ff, struct sim_model *m, struct sim_shared *sh,
                    char *err, size_t errlen)
{
    struct ff_apply a = {ff, err, errlen};
    int rc;
    if (!ff || !m || !sh || sh->model != m) {
        snprintf(err, errlen, "fleet file: applied to a model the fleet does not use");
        return IC_EINVAL;
    }
    for (size_t i = 0; i < ff->n_sensors; i++)
        if ((rc = apply_sensor(&a, m, &ff->sensors[i])) != 0)
            return rc;
    if (ff->has_manufacturer_id)
        m->manufacturer_id = ff->manufacturer_id;
    if (ff->has_product_id)
        m->product_id = ff->product_id;
    if (ff->has_firmware) {
        m->fw_major = ff->fw_major;
        m->fw_minor_bcd = ff->fw_minor_bcd;
    }
    const struct sim_fru_text *f = &ff->fru;
    set_text(m->fru.chassis_part, f->chassis_part);
    set_text(m->fru.board_mfg, f->board_mfg);
    set_text(m->fru.board_product, f->board_product);
    set_text(m->fru.board_part, f->board_part);
    set_text(m->fru.product_mfg, f->product_mfg);
    set_text(m->fru.product_name, f->product_name);
    set_text(m->fru.product_part, f->product_part);
    set_text(m->fru.product_version, f->product_version);
    if (ff->has_seed)
        sh->seed = ff->seed;
    if (ff->timeout_ms)
        sh->timeout_ms = ff->timeout_ms;
    if (ff->n_suites) {
        memcpy(sh->suites, ff->suites, ff->n_suites);
        sh->n_suites = ff->n_suites;
    }
    if ((rc = apply_users(&a, sh)) != 0)
        return rc;
    if ((rc = rebuild_sdr(sh)) != 0)
        snprintf(err, errlen, "%s: cannot rebuild the SDR repository: %s", ff->name,
                 ic_strerror(rc));
    return rc;
}
