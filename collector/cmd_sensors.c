/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_sensors.c - `ipmi-collector sensors`: read the SDR repository, then
 * every sensor, and print each one's value, unit, state and thresholds in
 * words (an aligned table like `ipmitool sensor list`, or JSON).
 */
#include "cli.h"
#include "ic_err.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char sensors_usage[] =
    "ipmi-collector sensors -H HOST [-p PORT] -U USER [-E | -f FILE] [-C SUITE] [-L PRIV] "
    "[--json]";

struct sensors_ctx {
    struct cli_run *run;
    struct ipmi_session *s;
    struct ipmi_sdr_cache *cache;
    struct ipmi_reading *r;
    size_t n;
};

static void
on_readings(void *arg, int err, const struct ipmi_reading *r, size_t n)
{
    struct sensors_ctx *x = arg;
    if (err) {
        cli_finish(x->run, err, ipmi_session_errmsg(x->s));
        return;
    }
    x->r = malloc((n ? n : 1) * sizeof(*r));
    if (!x->r) {
        cli_finish(x->run, IC_ENOMEM, "out of memory");
        return;
    }
    if (n)
        memcpy(x->r, r, n * sizeof(*r));
    x->n = n;
    cli_finish(x->run, 0, NULL);
}

static void
on_sdr(void *arg, int err, struct ipmi_sdr_cache *c)
{
    struct sensors_ctx *x = arg;
    if (err) {
        cli_finish(x->run, err, ipmi_session_errmsg(x->s));
        return;
    }
    x->cache = c;
    int rc = ipmi_sensors_read(x->s, c, 1, on_readings, x);
    if (rc)
        cli_finish(x->run, rc, "cannot start the sensor sweep");
}

static void
first_step(struct cli_run *run, struct ipmi_session *s, void *arg)
{
    struct sensors_ctx *x = arg;
    x->run = run;
    x->s = s;
    int rc = ipmi_sdr_load(s, NULL, on_sdr, x);
    if (rc)
        cli_finish(run, rc, "cannot start reading the SDR repository");
}

/* Threshold columns in the order people read them: LNR LC LNC UNC UC UNR. */
static const enum ipmi_thr thr_order[6] = {IPMI_THR_LNR, IPMI_THR_LC, IPMI_THR_LNC,
                                           IPMI_THR_UNC, IPMI_THR_UC, IPMI_THR_UNR};
static const char *const thr_names[6] = {"lnr", "lc", "lnc", "unc", "uc", "unr"};

static void
print_text(const struct sensors_ctx *x)
{
    /* Column widths from the data, so long type names stay aligned. */
    int wn = 4, wt = 4;
    for (size_t i = 0; i < x->n; i++) {
        int ln = (int)strlen(x->r[i].name),
            lt = (int)strlen(ipmi_sensor_type_str(x->r[i].sensor_type));
        wn = ln > wn ? ln : wn;
        wt = lt > wt ? lt : wt;
    }
    printf("%-*s | %-*s | %-11s | %-10s | %-15s | %-9s | %-9s | %-9s | %-9s | %-9s | %-9s\n", wn,
           "Name", wt, "Type", "Value", "Unit", "State", "LNR", "LC", "LNC", "UNC", "UC", "UNR");
    for (size_t i = 0; i < x->n; i++) {
        const struct ipmi_reading *r = &x->r[i];
        char val[64], st[32];
        const char *state = ipmi_state_str(r->state);
        snprintf(st, sizeof(st), "%s", state ? state : "na");
        if (!r->has_value && r->threshold)
            snprintf(val, sizeof(val), "na");
        else if (r->threshold)
            snprintf(val, sizeof(val), "%.3f", r->value);
        else
            snprintf(val, sizeof(val), "0x%04x", r->states);
        printf("%-*s | %-*s | %-11s | %-10s | %-15s", wn, r->name, wt,
               ipmi_sensor_type_str(r->sensor_type), val, r->unit, st);
        for (int t = 0; t < 6; t++) {
            if (r->thr_valid & (1u << thr_order[t]))
                printf(" | %-9.3f", r->thr[thr_order[t]]);
            else
                printf(" | %-9s", "na");
        }
        if (!r->threshold && r->has_value) {
            char words[256];
            ipmi_reading_states_text(r, words, sizeof(words));
            if (*words)
                printf(" | %s", words);
        }
        printf("\n");
    }
}

/* A double printed the way people write it (12.03, not 12.029999999999999). */
static json_object *
jnum(double v)
{
    char s[32];
    snprintf(s, sizeof(s), "%.10g", v);
    return json_object_new_double_s(v, s);
}

static json_object *
reading_json(const struct ipmi_reading *r)
{
    json_object *o = json_object_new_object();
    const char *state = ipmi_state_str(r->state);
    json_object_object_add(o, "name", json_object_new_string(r->name));
    json_object_object_add(o, "number", json_object_new_int(r->number));
    json_object_object_add(o, "record_id", json_object_new_int(r->record_id));
    json_object_object_add(o, "type", json_object_new_string(ipmi_sensor_type_str(r->sensor_type)));
    json_object_object_add(o, "reading_type",
                           json_object_new_string(r->threshold ? "threshold" : "discrete"));
    json_object_object_add(o, "value", r->threshold && r->has_value ? jnum(r->value) : NULL);
    json_object_object_add(o, "unit", json_object_new_string(r->unit));
    json_object_object_add(o, "state", state ? json_object_new_string(state) : NULL);
    if (r->threshold) {
        json_object *t = json_object_new_object();
        for (int i = 0; i < 6; i++)
            json_object_object_add(t, thr_names[i],
                                   r->thr_valid & (1u << thr_order[i]) ? jnum(r->thr[thr_order[i]])
                                                                       : NULL);
        json_object_object_add(o, "thresholds", t);
    } else {
        json_object *a = json_object_new_array();
        char words[256];
        ipmi_reading_states_text(r, words, sizeof(words));
        /* sensor_states_text joins with ", "; split back into an array */
        char *save = NULL;
        for (char *w = strtok_r(words, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
            while (*w == ' ')
                w++;
            if (*w)
                json_object_array_add(a, json_object_new_string(w));
        }
        json_object_object_add(o, "states", a);
        json_object_object_add(o, "state_bits", json_object_new_int(r->states));
    }
    if (r->cc)
        json_object_object_add(o, "completion_code", json_object_new_int(r->cc));
    return o;
}

static void
print_json(const struct sensors_ctx *x)
{
    json_object *a = json_object_new_array();
    for (size_t i = 0; i < x->n; i++)
        json_object_array_add(a, reading_json(&x->r[i]));
    printf("%s\n", json_object_to_json_string_ext(a, JSON_C_TO_STRING_PRETTY |
                                                         JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(a);
}

int
cmd_sensors(int argc, char **argv)
{
    struct cli_conn c;
    int rc = cli_parse_conn(argc, argv, sensors_usage, &c);
    if (rc)
        return rc < 0 ? 0 : rc;
    struct sensors_ctx x = {0};
    rc = cli_run_session(&c, first_step, &x);
    if (rc == 0) {
        if (c.json)
            print_json(&x);
        else
            print_text(&x);
    }
    free(x.r);
    ipmi_sdr_cache_free(x.cache);
    cli_conn_free(&c);
    return rc;
}
