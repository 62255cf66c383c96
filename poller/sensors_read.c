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

struct sweep;

/* One SDR of the sweep: the callback argument of its requests. */
struct slot {
    struct sweep *sw;
    size_t idx;
};

/*
 * Up to the session's max_inflight requests are out at once (pipelining:
 * one wake-up of the loop then serves several answers); answers may come
 * in any order, so each SDR has its slot and its reading, and the readings
 * are put back in repository order at the end.
 */
struct sweep {
    struct ipmi_session *s;
    const struct ipmi_sdr_cache *c;
    int with_thresholds;
    ipmi_sensors_fn cb;
    void *arg;
    size_t total;    /* SDRs in the cache */
    size_t next;     /* next SDR index to look at */
    unsigned out;    /* requests submitted and not answered yet */
    unsigned window; /* at most this many out */
    int err;         /* the first error: no new requests after it */
    int filling;     /* inside fill(): a callback must not recurse into it */
    uint8_t *listed; /* per SDR: 1 if it gives a reading */
    struct slot *slots;
    struct ipmi_reading *r; /* per SDR */
};

static void on_reply(void *arg, int err, const struct ipmi_resp *rsp);

static void
sweep_end(struct sweep *sw)
{
    size_t n = 0;
    if (!sw->err)
        for (size_t i = 0; i < sw->total; i++)
            if (sw->listed[i])
                sw->r[n++] = sw->r[i]; /* i >= n: moving down keeps the order */
    ipmi_sensors_fn cb = sw->cb;
    void *arg = sw->arg;
    int err = sw->err;
    struct ipmi_reading *r = sw->r;
    free(sw->listed);
    free(sw->slots);
    free(sw);
    cb(arg, err, err ? NULL : r, err ? 0 : n);
    free(r);
}

/* Sends one sensor command (Get Sensor Reading or Thresholds) for SDR idx. */
static void
ask(struct sweep *sw, size_t idx, uint8_t cmd)
{
    const struct ipmi_sdr *d = ipmi_sdr_cache_get(sw->c, idx);
    uint8_t num = d->number;
    struct ipmi_req rq = {
        .netfn = IPMI_NETFN_SE, .cmd = cmd, .lun = d->owner_lun, .data = &num, .len = 1};
    int rc = ipmi_session_submit(sw->s, &rq, on_reply, &sw->slots[idx]);
    if (rc) {
        if (!sw->err)
            sw->err = rc;
        return;
    }
    sw->out++;
}

/* Submits requests while the window has room; ends the sweep when all is answered. */
static void
fill(struct sweep *sw)
{
    if (sw->filling)
        return;
    sw->filling = 1;
    while (!sw->err && sw->out < sw->window && sw->next < sw->total) {
        size_t idx = sw->next++;
        const struct ipmi_sdr *d = ipmi_sdr_cache_get(sw->c, idx);
        if (!d || !sensor_is_readable(d))
            continue;
        sw->listed[idx] = 1;
        sensor_init_reading(d, &sw->r[idx]);
        if (d->owner_id != 0x20)
            continue; /* needs bridging to another controller: listed, without a value */
        ask(sw, idx, CMD_GET_SENSOR_READING);
    }
    sw->filling = 0;
    if (sw->out == 0 && (sw->err || sw->next >= sw->total))
        sweep_end(sw);
}

static void
on_reply(void *arg, int err, const struct ipmi_resp *rsp)
{
    struct slot *sl = arg;
    struct sweep *sw = sl->sw;
    sw->out--;
    if (err) {
        /* The session is gone: what is still out fails too, then the sweep ends. */
        if (!sw->err)
            sw->err = err;
        fill(sw);
        return;
    }
    const struct ipmi_sdr *d = ipmi_sdr_cache_get(sw->c, sl->idx);
    struct ipmi_reading *r = &sw->r[sl->idx];
    if (rsp->cmd == CMD_GET_SENSOR_READING) {
        if (sensor_apply_reading(d, rsp->cc, rsp->data, rsp->len, r) != 0)
            r->has_value = 0; /* cc kept in r->cc for the caller */
        r->cc = rsp->cc;
        if (sw->with_thresholds && r->threshold && rsp->cc == 0 && !sw->err)
            ask(sw, sl->idx, CMD_GET_SENSOR_THRESHOLDS);
    } else if (rsp->cc == 0) {
        (void)sensor_apply_thresholds(d, rsp->data, rsp->len, r);
    }
    fill(sw);
}

int
ipmi_sensors_read(struct ipmi_session *s, const struct ipmi_sdr_cache *c, int with_thresholds,
                  ipmi_sensors_fn cb, void *arg)
{
    size_t total = ipmi_sdr_cache_count(c);
    size_t n = total ? total : 1;
    struct sweep *sw = calloc(1, sizeof(*sw));
    struct ipmi_reading *r = calloc(n, sizeof(*r));
    uint8_t *listed = calloc(n, 1);
    struct slot *slots = calloc(n, sizeof(*slots));
    if (!sw || !r || !listed || !slots) {
        free(sw);
        free(r);
        free(listed);
        free(slots);
        return IC_ENOMEM;
    }
    unsigned window = ipmi_session_max_inflight(s);
    *sw = (struct sweep){.s = s,
                         .c = c,
                         .with_thresholds = with_thresholds,
                         .cb = cb,
                         .arg = arg,
                         .total = total,
                         .window = window ? window : 1,
                         .listed = listed,
                         .slots = slots,
                         .r = r};
    for (size_t i = 0; i < total; i++)
        slots[i] = (struct slot){.sw = sw, .idx = i};
    fill(sw);
    return 0;
}
