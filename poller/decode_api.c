/* SPDX-License-Identifier: Apache-2.0 */
/*
 * decode_api.c - the decoders other layers may call, through poller.h:
 * thin wrappers over the private sensor.c, sensor_tables.c, sel.c and
 * fru.c, so those keep their own small headers inside the poller.
 */
#include "poller.h"
#include "ic_err.h"
#include "fru.h"
#include "sel.h"
#include "sensor.h"
#include "sensor_tables.h"

void
ipmi_reading_states_text(const struct ipmi_reading *r, char *out, size_t outlen)
{
    sensor_states_text(r, out, outlen);
}

int
ipmi_sdr_thresholds(const struct ipmi_sdr *d, double thr[6], uint8_t *valid)
{
    *valid = 0;
    if (!d || d->type != IPMI_SDR_FULL || d->event_type != 0x01)
        return IC_EINVAL;
    /* reading_mask b5:0: readable thresholds, UNR..LNC as b5..b0 = enum ipmi_thr's order. */
    for (unsigned i = 0; i < 6; i++) {
        thr[i] = 0;
        if ((d->reading_mask & (1u << i)) && sensor_convert(d, d->thr_raw[i], &thr[i]) == 0)
            *valid = (uint8_t)(*valid | (1u << i));
    }
    return 0;
}

const char *
ipmi_sensor_type_str(uint8_t sensor_type)
{
    return stab_sensor_type(sensor_type);
}

int
ipmi_sel_decode(const uint8_t *rec, size_t len, const struct ipmi_sdr *sdr,
                struct ipmi_sel_entry *out)
{
    return sel_decode(rec, len, sdr, out);
}

void
ipmi_sel_time_text(const struct ipmi_sel_entry *e, char *out, size_t outlen)
{
    sel_time_text(e, out, outlen);
}

int
ipmi_fru_decode(const uint8_t *img, size_t len, struct ipmi_fru *out)
{
    return fru_decode(img, len, out);
}

void
ipmi_fru_board_date_text(const struct ipmi_fru *f, char *out, size_t outlen)
{
    fru_board_date_text(f, out, outlen);
}

const char *
ipmi_fru_chassis_type_text(uint8_t type)
{
    return fru_chassis_type_text(type);
}
