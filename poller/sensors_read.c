/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sensors_read.c - one sweep over the readable sensors of an SDR cache:
 * Get Sensor Reading (04/2D) for each, and Get Sensor Thresholds (04/27)
 * for threshold sensors when asked. Readings are judged by sensor.c.
 *
 * Sensors owned by another controller (owner ID other than the BMC's 0x20)
 * would need bridging (Send Message); they are reported without a value.
 * A sensor that answers with "not present" (0xCB and friends) has no
 * value, it is not an error; a completion code that sensor.c does not
 * know as "no reading" leaves that sensor without a value and the sweep
 * goes on: one broken sensor must not hide the others.
 */
#include "poller.h"
#include "sensor.h"
#include "ic_err.h"

#include <stdlib.h>
#include <string.h>

#define CMD_GET_SENSOR_READING    0x2D
#define CMD_GET_SENSOR_THRESHOLDS 0x27

struct sweep {
    struct ipmi_session *s;
    const struct ipmi_sdr_cache *c;
    int with_thresholds;
    ipmi_sensors_fn cb;
    void *arg;
    size_t idx;   /* SDR index being read */
    size_t n;     /* readings filled */
    int want_thr; /* the current sensor still needs its thresholds */
    struct ipmi_reading *r;
};

static void on_reply(void *arg, int err, const struct ipmi_resp *rsp);

static void
sweep_end(struct sweep *sw, int err)
{
    ipmi_sensors_fn cb = sw->cb;
    void *arg = sw->arg;
    struct ipmi_reading *r = sw->r;
    size_t n = sw->n;
    free(sw);
    cb(arg, err, err ? NULL : r, err ? 0 : n);
    free(r);
}

/* Sends one sensor command (Get Sensor Reading or Thresholds) for d. */
static void
ask(struct sweep *sw, const struct ipmi_sdr *d, uint8_t cmd)
{
    uint8_t num = d->number;
    struct ipmi_req rq = {
        .netfn = IPMI_NETFN_SE, .cmd = cmd, .lun = d->owner_lun, .data = &num, .len = 1};
    int rc = ipmi_session_submit(sw->s, &rq, on_reply, sw);
    if (rc)
        sweep_end(sw, rc);
}

/* Sends the next request of the sweep, or ends it. */
static void
sweep_next(struct sweep *sw)
{
    for (;;) {
        const struct ipmi_sdr *d = ipmi_sdr_cache_get(sw->c, sw->idx);
        if (!d) {
            sweep_end(sw, 0);
            return;
        }
        if (!sensor_is_readable(d)) {
            sw->idx++;
            continue;
        }
        sensor_init_reading(d, &sw->r[sw->n]);
        if (d->owner_id != 0x20) {
            /* Needs bridging to another controller: listed, without a value. */
            sw->n++;
            sw->idx++;
            continue;
        }
        ask(sw, d, CMD_GET_SENSOR_READING);
        return;
    }
}

static void
on_reply(void *arg, int err, const struct ipmi_resp *rsp)
{
    struct sweep *sw = arg;
    if (err) {
        sweep_end(sw, err); /* the session is gone: nothing more will answer */
        return;
    }
    const struct ipmi_sdr *d = ipmi_sdr_cache_get(sw->c, sw->idx);
    struct ipmi_reading *r = &sw->r[sw->n];
    if (rsp->cmd == CMD_GET_SENSOR_READING) {
        if (sensor_apply_reading(d, rsp->cc, rsp->data, rsp->len, r) != 0)
            r->has_value = 0; /* cc kept in r->cc for the caller */
        r->cc = rsp->cc;
        if (sw->with_thresholds && r->threshold && rsp->cc == 0) {
            ask(sw, d, CMD_GET_SENSOR_THRESHOLDS);
            return;
        }
    } else if (rsp->cc == 0) {
        (void)sensor_apply_thresholds(d, rsp->data, rsp->len, r);
    }
    sw->n++;
    sw->idx++;
    sweep_next(sw);
}

int
ipmi_sensors_read(struct ipmi_session *s, const struct ipmi_sdr_cache *c, int with_thresholds,
                  ipmi_sensors_fn cb, void *arg)
{
    size_t total = ipmi_sdr_cache_count(c);
    struct sweep *sw = calloc(1, sizeof(*sw));
    struct ipmi_reading *r = calloc(total ? total : 1, sizeof(*r));
    if (!sw || !r) {
        free(sw);
        free(r);
        return IC_ENOMEM;
    }
    *sw = (struct sweep){
        .s = s, .c = c, .with_thresholds = with_thresholds, .cb = cb, .arg = arg, .r = r};
    sweep_next(sw);
    return 0;
}
