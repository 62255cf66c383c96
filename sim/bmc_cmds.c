/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bmc_cmds.c - what a simulated BMC answers inside a session: device
 * identity, SDR repository, sensors, SEL, FRU, chassis and DCMI. Data
 * comes from the fleet's model (model.h); per-BMC state is only what has
 * changed (power, SEL, sensors set at runtime), so an idle BMC costs little.
 *
 * Layouts are those the client decodes (reference §4); anything not
 * implemented answers cc 0xC1, as real BMCs do.
 */
#include "bmc_int.h"
#include "buf.h"
#include "fru_enc.h"
#include "ic_err.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NETFN_CHASSIS 0x00
#define NETFN_SE      0x04
#define NETFN_APP     0x06
#define NETFN_STORAGE 0x0A
#define NETFN_GROUP   0x2C

uint32_t
sim_wall_now(const struct sim_bmc *b, uint64_t now_ms)
{
    (void)now_ms;
    (void)b;
    return (uint32_t)time(NULL);
}

int
sim_cmd_priv(uint8_t netfn, uint8_t cmd)
{
    if (netfn == NETFN_CHASSIS &&
        (cmd == 0x02 || cmd == 0x04 || cmd == 0x06 || cmd == 0x08 || cmd == 0x09))
        return IPMI_PRIV_OPERATOR;
    if (netfn == NETFN_STORAGE && (cmd == 0x44 || cmd == 0x46 || cmd == 0x47 || cmd == 0x49))
        return IPMI_PRIV_OPERATOR;
    return IPMI_PRIV_USER;
}

/* ---- sensors --------------------------------------------------------------- */

static struct sim_override *
find_override(struct sim_bmc *b, uint8_t number)
{
    for (size_t i = 0; i < b->n_ovr; i++)
        if (b->ovr[i].number == number)
            return &b->ovr[i];
    return NULL;
}

static uint8_t
current_raw(struct sim_bmc *b, size_t i, uint64_t now)
{
    const struct sim_sensor *s = &b->sh->model->sensors[i];
    struct sim_override *o = find_override(b, s->sdr.number);
    return o ? o->raw
             : sim_model_raw(b->sh->model, i, b->k, b->sh->seed, b->sh->no_drift ? 0 : now);
}

static uint16_t
current_states(struct sim_bmc *b, size_t i)
{
    const struct sim_sensor *s = &b->sh->model->sensors[i];
    struct sim_override *o = find_override(b, s->sdr.number);
    return o ? o->states : s->states;
}

static int
as_int(const struct ipmi_sdr *d, uint8_t raw)
{
    return (d->units1 >> 6) == 2 ? (int)(int8_t)raw : (int)raw;
}

static void
sensor_cmd(struct sim_req *r, uint8_t *cc, uint8_t *data, size_t *len)
{
    struct sim_bmc *b = r->b;
    if (r->rq.len < 1) {
        *cc = 0xC7;
        return;
    }
    int idx = b->sh->by_number[r->rq.data[0]];
    if (idx < 0 || r->rq.rs_lun != 0) {
        *cc = 0xCB;
        return;
    }
    const struct sim_sensor *s = &b->sh->model->sensors[idx];
    const struct ipmi_sdr *d = &s->sdr;
    int threshold = d->event_type == 0x01;
    if (s->absent) {
        *cc = 0xCB; /* an SDR without a sensor behind it: nothing answers */
        return;
    }
    switch (r->rq.cmd) {
    case 0x2D: /* Get Sensor Reading */
        if (s->no_reading) {
            data[0] = 0;
            data[1] = 0x80; /* events enabled, scanning disabled */
            data[2] = 0;
            data[3] = 0x80;
            *len = 4;
            return;
        }
        if (threshold) {
            uint8_t raw = current_raw(b, (size_t)idx, r->now_ms);
            data[0] = raw;
            data[1] = 0xC0;
            data[2] = sim_sensor_compare(s, raw);
            data[3] = 0x80;
        } else {
            uint16_t st = current_states(b, (size_t)idx);
            data[0] = 0;
            data[1] = 0xC0;
            data[2] = (uint8_t)st;
            data[3] = (uint8_t)(0x80 | ((st >> 8) & 0x7F));
        }
        *len = 4;
        return;
    case 0x27: /* Get Sensor Thresholds: mask, then LNC LC LNR UNC UC UNR */
        if (!threshold) {
            *cc = 0xCD;
            return;
        }
        data[0] = (uint8_t)(d->reading_mask & 0x3F);
        for (int t = 0; t < 6; t++)
            data[1 + t] = (data[0] & (1u << t)) ? d->thr_raw[t] : 0;
        *len = 7;
        return;
    case 0x25: /* Get Sensor Hysteresis */
        data[0] = d->hyst_pos;
        data[1] = d->hyst_neg;
        *len = 2;
        return;
    case 0x29: /* Get Sensor Event Enable: all messages and scanning on, as the SDR says */
        data[0] = 0xC0;
        data[1] = (uint8_t)d->assert_mask;
        data[2] = (uint8_t)(d->assert_mask >> 8);
        data[3] = (uint8_t)d->deassert_mask;
        data[4] = (uint8_t)(d->deassert_mask >> 8);
        *len = 5;
        return;
    case 0x2F: /* Get Sensor Type */
        data[0] = d->sensor_type;
        data[1] = d->event_type;
        *len = 2;
        return;
    default:
        *cc = 0xC1;
    }
}

/* ---- SDR repository -------------------------------------------------------- */

static void
sdr_cmd(struct sim_req *r, uint8_t *cc, uint8_t *data, size_t *len)
{
    const struct sim_shared *sh = r->b->sh;
    struct buf_wr w;
    buf_wr_init(&w, data, IPMI_MAX_DATA);
    switch (r->rq.cmd) {
    case 0x20: /* Get SDR Repository Info */
        buf_put_u8(&w, 0x51);
        buf_put_le16(&w, sh->n_records);
        buf_put_le16(&w, 0x1000);
        buf_put_le32(&w, sh->start_wall); /* fixed for the fleet's life: caches stay valid */
        buf_put_le32(&w, 0);
        buf_put_u8(&w, 0x02); /* reserve supported */
        break;
    case 0x22: /* Reserve SDR Repository */
        r->b->sdr_resv = (uint16_t)(r->b->sdr_resv + 1 ? r->b->sdr_resv + 1 : 1);
        buf_put_le16(&w, r->b->sdr_resv);
        break;
    case 0x23: { /* Get SDR: resv(2) id(2) offset count */
        if (r->rq.len < 6) {
            *cc = 0xC7;
            return;
        }
        uint16_t resv = (uint16_t)(r->rq.data[0] | r->rq.data[1] << 8);
        uint16_t id = (uint16_t)(r->rq.data[2] | r->rq.data[3] << 8);
        uint8_t off = r->rq.data[4], count = r->rq.data[5];
        if (id == 0)
            id = 1;
        if (id == 0xFFFF)
            id = sh->n_records;
        if (id > sh->n_records || id == 0) {
            *cc = 0xCB;
            return;
        }
        if (off > 0 && resv != r->b->sdr_resv) {
            *cc = 0xC5; /* a partial read needs the current reservation */
            return;
        }
        const uint8_t *rec = sh->sdr + sh->rec_off[id - 1];
        size_t rlen = 5u + rec[4];
        if (off > rlen) {
            *cc = 0xC9;
            return;
        }
        size_t n = count == 0xFF ? rlen - off : count;
        if (n > rlen - off)
            n = rlen - off;
        if (n > 32 && count != 0xFF) {
            *cc = 0xCA; /* like many BMCs: at most 32 bytes per partial read */
            return;
        }
        buf_put_le16(&w, id < sh->n_records ? (uint16_t)(id + 1) : 0xFFFF);
        buf_put_bytes(&w, rec + off, n);
        break;
    }
    default:
        *cc = 0xC1;
        return;
    }
    if (buf_wr_err(&w)) {
        *cc = 0xCA;
        return;
    }
    *len = w.len;
}

/* ---- SEL ------------------------------------------------------------------- */

static int
sel_reserve_space(struct sim_bmc *b)
{
    if (b->sel_n < b->sel_cap)
        return 0;
    size_t cap = b->sel_cap ? b->sel_cap * 2 : 32;
    if (cap > 1000)
        cap = 1000; /* the SEL holds 1000 entries, like ipmi_sim's */
    if (b->sel_n >= cap)
        return IC_ETOOBIG;
    void *n = realloc(b->sel, cap * 16);
    if (!n)
        return IC_ENOMEM;
    b->sel = n;
    b->sel_cap = cap;
    return 0;
}

static int
sel_append(struct sim_bmc *b, const uint8_t rec[16], uint32_t ts, int keep_ts)
{
    int rc = sel_reserve_space(b);
    if (rc)
        return rc;
    uint8_t *e = b->sel[b->sel_n++];
    memcpy(e, rec, 16);
    uint16_t id = b->sel_next_id ? b->sel_next_id : 1;
    b->sel_next_id = (uint16_t)(id + 1);
    e[0] = (uint8_t)id;
    e[1] = (uint8_t)(id >> 8);
    if (!keep_ts && e[2] < 0xE0) { /* timestamped types */
        e[3] = (uint8_t)ts;
        e[4] = (uint8_t)(ts >> 8);
        e[5] = (uint8_t)(ts >> 16);
        e[6] = (uint8_t)(ts >> 24);
    }
    b->sel_last_add = ts;
    return id;
}

static void
sel_build(struct sim_bmc *b)
{
    if (b->sel_built)
        return;
    b->sel_built = 1;
    const struct sim_model *m = b->sh->model;
    for (size_t i = 0; i < m->n_sel; i++)
        (void)sel_append(b, m->sel[i].rec, b->sh->start_wall - m->sel[i].age_s, 0);
}

int
sim_bmc_sel_add(struct sim_bmc *b, const uint8_t rec[16], uint64_t now_ms)
{
    sel_build(b);
    return sel_append(b, rec, sim_wall_now(b, now_ms), 0);
}

static void
sel_cmd(struct sim_req *r, uint8_t *cc, uint8_t *data, size_t *len)
{
    struct sim_bmc *b = r->b;
    struct buf_wr w;
    sel_build(b);
    buf_wr_init(&w, data, IPMI_MAX_DATA);
    switch (r->rq.cmd) {
    case 0x40: /* Get SEL Info */
        buf_put_u8(&w, 0x51);
        buf_put_le16(&w, (uint16_t)b->sel_n);
        buf_put_le16(&w, (uint16_t)((1000 - b->sel_n) * 16));
        buf_put_le32(&w, b->sel_last_add);
        buf_put_le32(&w, b->sel_last_erase);
        buf_put_u8(&w, 0x0A); /* delete, reserve */
        break;
    case 0x42: /* Reserve SEL */
        b->sel_resv = (uint16_t)(b->sel_resv + 1 ? b->sel_resv + 1 : 1);
        buf_put_le16(&w, b->sel_resv);
        break;
    case 0x43: { /* Get SEL Entry: resv(2) id(2) offset count */
        if (r->rq.len < 6) {
            *cc = 0xC7;
            return;
        }
        uint16_t id = (uint16_t)(r->rq.data[2] | r->rq.data[3] << 8);
        uint8_t off = r->rq.data[4], count = r->rq.data[5];
        size_t i = b->sel_n;
        if (b->sel_n == 0) {
            *cc = 0xCB;
            return;
        }
        if (id == 0x0000)
            i = 0;
        else if (id == 0xFFFF)
            i = b->sel_n - 1;
        else
            for (size_t j = 0; j < b->sel_n; j++)
                if ((uint16_t)(b->sel[j][0] | b->sel[j][1] << 8) == id)
                    i = j;
        if (i >= b->sel_n) {
            *cc = 0xCB;
            return;
        }
        if (off >= 16) {
            *cc = 0xC9;
            return;
        }
        size_t n = count == 0xFF || count > 16 - off ? 16u - off : count;
        uint16_t next = (uint16_t)(i + 1 < b->sel_n ? (unsigned)b->sel[i + 1][0] |
                                                          (unsigned)b->sel[i + 1][1] << 8
                                                    : 0xFFFFu);
        buf_put_le16(&w, next);
        buf_put_bytes(&w, b->sel[i] + off, n);
        break;
    }
    case 0x44: { /* Add SEL Entry */
        if (r->rq.len < 16) {
            *cc = 0xC7;
            return;
        }
        int id = sim_bmc_sel_add(b, r->rq.data, r->now_ms);
        if (id < 0) {
            *cc = 0xC4; /* out of space */
            return;
        }
        buf_put_le16(&w, (uint16_t)id);
        break;
    }
    case 0x47: { /* Clear SEL: resv(2) 'C' 'L' 'R' action */
        if (r->rq.len < 6) {
            *cc = 0xC7;
            return;
        }
        uint16_t resv = (uint16_t)(r->rq.data[0] | r->rq.data[1] << 8);
        if (resv != b->sel_resv) {
            *cc = 0xC5;
            return;
        }
        if (memcmp(r->rq.data + 2, "CLR", 3) != 0) {
            *cc = 0xCC;
            return;
        }
        if (r->rq.data[5] == 0xAA) {
            b->sel_n = 0;
            b->sel_next_id = 1; /* IDs start again: followers must notice */
            b->sel_last_erase = sim_wall_now(b, r->now_ms);
        }
        buf_put_u8(&w, 0x01); /* erase completed */
        break;
    }
    case 0x48: /* Get SEL Time */
        buf_put_le32(&w, sim_wall_now(b, r->now_ms));
        break;
    default:
        *cc = 0xC1;
        return;
    }
    *len = w.len;
}

/* ---- FRU --------------------------------------------------------------------- */

static void
fru_cmd(struct sim_req *r, uint8_t *cc, uint8_t *data, size_t *len)
{
    uint8_t img[1024];
    size_t ilen = 0;
    if (r->rq.len < 1 ||
        sim_model_fru(r->b->sh->model, r->b->k, r->rq.data[0], img, sizeof(img), &ilen) != 0) {
        *cc = 0xCB;
        return;
    }
    if (r->rq.cmd == 0x10) { /* Get FRU Inventory Area Info: size, byte access */
        data[0] = (uint8_t)ilen;
        data[1] = (uint8_t)(ilen >> 8);
        data[2] = 0;
        *len = 3;
        return;
    }
    if (r->rq.len < 4) { /* Read FRU Data: dev off(2) count */
        *cc = 0xC7;
        return;
    }
    size_t off = (size_t)(r->rq.data[1] | r->rq.data[2] << 8), n = r->rq.data[3];
    if (off >= ilen) {
        *cc = 0xC9;
        return;
    }
    if (n > 32) {
        *cc = 0xCA;
        return;
    }
    if (n > ilen - off)
        n = ilen - off;
    data[0] = (uint8_t)n;
    memcpy(data + 1, img + off, n);
    *len = 1 + n;
}

/* ---- chassis ------------------------------------------------------------------ */

static void
settle_power(struct sim_bmc *b, uint64_t now)
{
    if (b->power_on_at && now >= b->power_on_at) {
        b->power = 1;
        b->power_on_at = 0;
    }
}

static void
chassis_cmd(struct sim_req *r, uint8_t *cc, uint8_t *data, size_t *len)
{
    struct sim_bmc *b = r->b;
    settle_power(b, r->now_ms);
    switch (r->rq.cmd) {
    case 0x01: /* Get Chassis Status */
        data[0] = (uint8_t)(b->power ? 0x01 : 0x00);
        data[1] = 0;
        data[2] = 0x40; /* identify state supported, off */
        data[3] = 0;
        *len = 4;
        return;
    case 0x02: /* Chassis Control */
        if (r->rq.len < 1) {
            *cc = 0xC7;
            return;
        }
        switch (r->rq.data[0] & 0x0F) {
        case 0: /* power down */
        case 5: /* soft shutdown: the simulated OS complies at once */
            b->power = 0;
            b->power_on_at = 0;
            return;
        case 1:
            b->power = 1;
            return;
        case 2: /* power cycle: off now, on again after a second */
            b->power = 0;
            b->power_on_at = r->now_ms + 1000;
            return;
        case 3: /* hard reset */
        case 4: /* diagnostic interrupt */
            return;
        default:
            *cc = 0xCC;
            return;
        }
    case 0x08: /* Set System Boot Options: keep boot flags (parameter 5) */
        if (r->rq.len >= 6 && (r->rq.data[0] & 0x7F) == 5)
            memcpy(b->boot_flags, r->rq.data + 1, 5);
        return;
    case 0x09: /* Get System Boot Options */
        if (r->rq.len >= 1 && (r->rq.data[0] & 0x7F) == 5) {
            data[0] = 0x01;
            data[1] = 0x05;
            memcpy(data + 2, b->boot_flags, 5);
            *len = 7;
            return;
        }
        data[0] = 0x01;
        data[1] = r->rq.len ? (r->rq.data[0] & 0x7F) : 0;
        data[2] = 0;
        *len = 3;
        return;
    default:
        *cc = 0xC1;
    }
}

/* ---- DCMI ---------------------------------------------------------------------- */

static void
dcmi_cmd(struct sim_req *r, uint8_t *cc, uint8_t *data, size_t *len)
{
    struct sim_bmc *b = r->b;
    struct buf_wr w;
    if (r->rq.len < 1 || r->rq.data[0] != 0xDC) {
        *cc = 0xC1; /* PICMG, VITA and other groups */
        return;
    }
    buf_wr_init(&w, data, IPMI_MAX_DATA);
    buf_put_u8(&w, 0xDC);
    if (r->rq.cmd == 0x01) { /* Get DCMI Capability Info, parameter 1 */
        buf_put_u8(&w, 1);
        buf_put_u8(&w, 5);
        buf_put_u8(&w, 2);
        buf_put_u8(&w, 0x00);
        buf_put_u8(&w, 0x01);       /* power management */
        buf_put_u8(&w, 0x08);       /* primary LAN */
    } else if (r->rq.cmd == 0x02) { /* Get Power Reading: the power sensor, in watts */
        uint32_t watts = 0;
        const struct sim_model *m = b->sh->model;
        for (size_t i = 0; i < m->n_sensors; i++) {
            const struct ipmi_sdr *d = &m->sensors[i].sdr;
            if (d->event_type == 0x01 && d->unit_base == 6 && d->type == IPMI_SDR_FULL) {
                uint8_t raw = current_raw(b, i, r->now_ms);
                double v = (d->m * as_int(d, raw) + d->b) * 1.0;
                for (int e = 0; e < d->rexp; e++)
                    v *= 10;
                for (int e = 0; e > d->rexp; e--)
                    v /= 10;
                watts = v > 0 ? (uint32_t)(v + 0.5) : 0;
                break;
            }
        }
        if (!b->power_samples || watts < b->power_min)
            b->power_min = watts;
        if (watts > b->power_max)
            b->power_max = watts;
        b->power_sum += watts;
        b->power_samples++;
        buf_put_le16(&w, (uint16_t)watts);
        buf_put_le16(&w, (uint16_t)b->power_min);
        buf_put_le16(&w, (uint16_t)b->power_max);
        buf_put_le16(&w, (uint16_t)(b->power_sum / b->power_samples));
        buf_put_le32(&w, sim_wall_now(b, r->now_ms));
        buf_put_le32(&w, (uint32_t)(r->now_ms % 0xFFFFFFFFu));
        buf_put_u8(&w, 0x40); /* measurement active */
    } else {
        *cc = 0xC1;
        return;
    }
    *len = w.len;
}

/* ---- dispatch -------------------------------------------------------------------- */

void
sim_cmd_dispatch(struct sim_req *r, uint8_t *cc, uint8_t *data, size_t *len)
{
    *cc = 0;
    *len = 0;
    uint8_t nf = r->rq.netfn, cmd = r->rq.cmd;
    const struct sim_model *m = r->b->sh->model;
    if (nf == NETFN_APP && cmd == 0x01) { /* Get Device ID */
        /* Even BMCs run a newer firmware (2.47 -> 2.51): BCD arithmetic. */
        unsigned dec = (unsigned)(m->fw_minor_bcd >> 4) * 10u + (m->fw_minor_bcd & 0x0Fu);
        if (r->b->k % 2 == 0)
            dec = (dec + 4) % 100;
        uint8_t minor = (uint8_t)((dec / 10) << 4 | dec % 10);
        uint8_t d[15] = {m->device_id,
                         m->device_rev,
                         m->fw_major,
                         minor,
                         0x02,
                         0x9F,
                         (uint8_t)m->manufacturer_id,
                         (uint8_t)(m->manufacturer_id >> 8),
                         (uint8_t)(m->manufacturer_id >> 16),
                         (uint8_t)m->product_id,
                         (uint8_t)(m->product_id >> 8),
                         0,
                         0,
                         0,
                         0};
        memcpy(data, d, sizeof(d));
        *len = sizeof(d);
    } else if (nf == NETFN_APP && (cmd == 0x37 || cmd == 0x08)) { /* System / Device GUID */
        memcpy(data, cmd == 0x37 ? r->b->sys_guid : r->b->dev_guid, 16);
        *len = 16;
    } else if (nf == NETFN_APP && cmd == 0x04) { /* Get Self Test Results */
        data[0] = 0x55;
        data[1] = 0x00;
        *len = 2;
    } else if (nf == NETFN_SE) {
        sensor_cmd(r, cc, data, len);
    } else if (nf == NETFN_STORAGE && cmd >= 0x20 && cmd <= 0x23) {
        sdr_cmd(r, cc, data, len);
    } else if (nf == NETFN_STORAGE && cmd >= 0x40 && cmd <= 0x49) {
        sel_cmd(r, cc, data, len);
    } else if (nf == NETFN_STORAGE && (cmd == 0x10 || cmd == 0x11)) {
        fru_cmd(r, cc, data, len);
    } else if (nf == NETFN_CHASSIS) {
        chassis_cmd(r, cc, data, len);
    } else if (nf == NETFN_GROUP) {
        dcmi_cmd(r, cc, data, len);
    } else {
        *cc = 0xC1;
    }
}

/* ---- runtime control ---------------------------------------------------------------- */

int
sim_bmc_set_sensor(struct sim_bmc *b, const char *name, double value, uint64_t now_ms)
{
    const struct sim_model *m = b->sh->model;
    for (size_t i = 0; i < m->n_sensors; i++) {
        const struct sim_sensor *s = &m->sensors[i];
        if (strcmp(s->sdr.name, name) != 0 || s->sdr.type == IPMI_SDR_EVENT_ONLY)
            continue;
        struct sim_override *o = find_override(b, s->sdr.number);
        uint8_t before_raw = current_raw(b, i, now_ms);
        uint16_t before_states = current_states(b, i);
        if (!o) {
            void *n = realloc(b->ovr, (b->n_ovr + 1) * sizeof(*b->ovr));
            if (!n)
                return IC_ENOMEM;
            b->ovr = n;
            o = &b->ovr[b->n_ovr++];
            o->number = s->sdr.number;
        }
        const struct ipmi_sdr *d = &s->sdr;
        uint8_t rec[16] = {
            0, 0,    0x02, 0, 0, 0, 0, 0x20, 0x00, 0x04, d->sensor_type, d->number, d->event_type,
            0, 0xFF, 0xFF};
        if (d->event_type == 0x01) {
            o->raw = sim_sensor_to_raw(s, value);
            o->states = 0;
            /* One event per threshold crossed, going high or low, like a BMC. */
            uint8_t was = sim_sensor_compare(s, before_raw), now = sim_sensor_compare(s, o->raw);
            static const uint8_t offset_for[6] = {0x00, 0x02, 0x04, 0x07, 0x09, 0x0B};
            for (int t = 0; t < 6; t++) {
                uint8_t bit = (uint8_t)(1u << t);
                if ((was & bit) == (now & bit))
                    continue;
                rec[12] = (uint8_t)(0x01 | ((now & bit) ? 0 : 0x80));
                rec[13] = (uint8_t)(0x50 | offset_for[t]);
                rec[14] = o->raw;
                rec[15] = d->thr_raw[t];
                (void)sim_bmc_sel_add(b, rec, now_ms);
            }
        } else {
            o->states = (uint16_t)value;
            o->raw = 0;
            uint16_t changed = (uint16_t)(before_states ^ o->states);
            for (int bit = 0; bit < 15; bit++) {
                if (!(changed & (1u << bit)) || !(d->assert_mask & (1u << bit)))
                    continue;
                rec[12] = (uint8_t)(d->event_type | ((o->states & (1u << bit)) ? 0 : 0x80));
                rec[13] = (uint8_t)bit;
                (void)sim_bmc_sel_add(b, rec, now_ms);
            }
        }
        return 0;
    }
    return IC_EINVAL;
}

int
sim_bmc_sel_event(struct sim_bmc *b, const char *sensor, unsigned offset, int deassert,
                  uint64_t now_ms)
{
    const struct sim_model *m = b->sh->model;
    if (offset > 14)
        return IC_EINVAL;
    for (size_t i = 0; i < m->n_sensors; i++) {
        const struct ipmi_sdr *d = &m->sensors[i].sdr;
        if (strcmp(d->name, sensor) != 0)
            continue;
        uint8_t rec[16] = {0,
                           0,
                           0x02,
                           0,
                           0,
                           0,
                           0,
                           0x20,
                           0x00,
                           0x04,
                           d->sensor_type,
                           d->number,
                           (uint8_t)(d->event_type | (deassert ? 0x80 : 0)),
                           (uint8_t)offset,
                           0xFF,
                           0xFF};
        return sim_bmc_sel_add(b, rec, now_ms);
    }
    return IC_EINVAL;
}
