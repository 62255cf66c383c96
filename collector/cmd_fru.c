/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_fru.c - `ipmi-collector fru`: the BMC's own FRU inventory (device 0)
 * and every logical FRU device the SDR repository locates (FRU device
 * locator records), decoded field by field like `ipmitool fru print`.
 */
#include "cli.h"
#include "ic_err.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char fru_usage[] =
    "ipmi-collector fru -H HOST [-p PORT] -U USER [-E | -f FILE] [-C SUITE] [-L PRIV] [--json]";

#define FRU_MAX_DEVICES 32

struct fru_dev {
    uint8_t id;
    char name[IPMI_NAME_MAX + 1];
    int err;
    char errmsg[256];
    struct ipmi_fru fru;
};

struct fru_ctx {
    struct cli_run *run;
    struct ipmi_session *s;
    struct ipmi_sdr_cache *cache;
    struct fru_dev dev[FRU_MAX_DEVICES];
    size_t n, cur;
};

static void read_next(struct fru_ctx *x);

static void
on_image(void *arg, int err, const uint8_t *img, size_t len)
{
    struct fru_ctx *x = arg;
    struct fru_dev *d = &x->dev[x->cur];
    if (err) {
        d->err = err;
        snprintf(d->errmsg, sizeof(d->errmsg), "%s", ipmi_session_errmsg(x->s));
        if (err != IC_ECC && err != IC_EPROTO) {
            cli_finish(x->run, err, ipmi_session_errmsg(x->s)); /* the session is gone */
            return;
        }
    } else if (ipmi_fru_decode(img, len, &d->fru) != 0) {
        d->err = IC_EPROTO;
        snprintf(d->errmsg, sizeof(d->errmsg), "FRU device %u: no valid common header", d->id);
    }
    x->cur++;
    read_next(x);
}

static void
read_next(struct fru_ctx *x)
{
    if (x->cur >= x->n) {
        cli_finish(x->run, 0, NULL);
        return;
    }
    int rc = ipmi_fru_read(x->s, x->dev[x->cur].id, on_image, x);
    if (rc)
        cli_finish(x->run, rc, "cannot read FRU data");
}

static void
on_sdr(void *arg, int err, struct ipmi_sdr_cache *c)
{
    struct fru_ctx *x = arg;
    x->n = 1;
    snprintf(x->dev[0].name, sizeof(x->dev[0].name), "Builtin FRU Device");
    if (!err) {
        x->cache = c;
        for (size_t i = 0; i < ipmi_sdr_cache_count(c) && x->n < FRU_MAX_DEVICES; i++) {
            const struct ipmi_sdr *d = ipmi_sdr_cache_get(c, i);
            /* Logical FRU devices behind the BMC itself; others need bridging. */
            if (d->type != IPMI_SDR_FRU_LOCATOR || !d->fru_logical || d->fru_id == 0)
                continue;
            x->dev[x->n].id = d->fru_id;
            snprintf(x->dev[x->n].name, sizeof(x->dev[x->n].name), "%s", d->name);
            x->n++;
        }
    }
    x->cur = 0;
    read_next(x);
}

static void
first_step(struct cli_run *run, struct ipmi_session *s, void *arg)
{
    struct fru_ctx *x = arg;
    x->run = run;
    x->s = s;
    int rc = ipmi_sdr_load(s, NULL, on_sdr, x);
    if (rc)
        cli_finish(run, rc, "cannot read the SDR repository");
}

static void
field(const char *label, const struct ipmi_fru_field *f)
{
    if (f->text[0])
        printf(" %-21s : %s\n", label, f->text);
}

static void
print_text(const struct fru_ctx *x)
{
    for (size_t i = 0; i < x->n; i++) {
        const struct fru_dev *d = &x->dev[i];
        const struct ipmi_fru *f = &d->fru;
        char date[64];
        if (i)
            printf("\n");
        printf("FRU Device Description : %s (ID %u)\n", d->name, d->id);
        if (d->err) {
            printf(" %s\n", d->errmsg);
            continue;
        }
        if (f->has_chassis) {
            printf(" %-21s : %s\n", "Chassis Type", ipmi_fru_chassis_type_text(f->chassis_type));
            field("Chassis Part Number", &f->chassis_part);
            field("Chassis Serial", &f->chassis_serial);
            for (unsigned k = 0; k < f->n_chassis_custom; k++)
                field("Chassis Extra", &f->chassis_custom[k]);
        }
        if (f->has_board) {
            ipmi_fru_board_date_text(f, date, sizeof(date));
            if (*date)
                printf(" %-21s : %s UTC\n", "Board Mfg Date", date);
            field("Board Mfg", &f->board_mfg);
            field("Board Product", &f->board_product);
            field("Board Serial", &f->board_serial);
            field("Board Part Number", &f->board_part);
            for (unsigned k = 0; k < f->n_board_custom; k++)
                field("Board Extra", &f->board_custom[k]);
        }
        if (f->has_product) {
            field("Product Manufacturer", &f->product_mfg);
            field("Product Name", &f->product_name);
            field("Product Part Number", &f->product_part);
            field("Product Version", &f->product_version);
            field("Product Serial", &f->product_serial);
            field("Product Asset Tag", &f->product_asset_tag);
            for (unsigned k = 0; k < f->n_product_custom; k++)
                field("Product Extra", &f->product_custom[k]);
        }
        if (f->errors[0])
            printf(" %-21s : %s\n", "Errors", f->errors);
    }
}

static void
jfield(json_object *o, const char *key, const struct ipmi_fru_field *f)
{
    json_object_object_add(o, key, f->text[0] ? json_object_new_string(f->text) : NULL);
}

static json_object *
jcustom(const struct ipmi_fru_field *f, unsigned n)
{
    json_object *a = json_object_new_array();
    for (unsigned k = 0; k < n; k++)
        json_object_array_add(a, json_object_new_string(f[k].text));
    return a;
}

static void
print_json(const struct fru_ctx *x)
{
    json_object *a = json_object_new_array();
    for (size_t i = 0; i < x->n; i++) {
        const struct fru_dev *d = &x->dev[i];
        const struct ipmi_fru *f = &d->fru;
        json_object *o = json_object_new_object();
        json_object_object_add(o, "fru_id", json_object_new_int(d->id));
        json_object_object_add(o, "name", json_object_new_string(d->name));
        if (d->err) {
            json_object_object_add(o, "error", json_object_new_string(d->errmsg));
            json_object_array_add(a, o);
            continue;
        }
        if (f->has_chassis) {
            json_object *c = json_object_new_object();
            json_object_object_add(
                c, "type", json_object_new_string(ipmi_fru_chassis_type_text(f->chassis_type)));
            jfield(c, "part_number", &f->chassis_part);
            jfield(c, "serial", &f->chassis_serial);
            json_object_object_add(c, "extra", jcustom(f->chassis_custom, f->n_chassis_custom));
            json_object_object_add(o, "chassis", c);
        }
        if (f->has_board) {
            char date[64];
            json_object *b = json_object_new_object();
            ipmi_fru_board_date_text(f, date, sizeof(date));
            json_object_object_add(b, "mfg_date", *date ? json_object_new_string(date) : NULL);
            jfield(b, "manufacturer", &f->board_mfg);
            jfield(b, "product", &f->board_product);
            jfield(b, "serial", &f->board_serial);
            jfield(b, "part_number", &f->board_part);
            json_object_object_add(b, "extra", jcustom(f->board_custom, f->n_board_custom));
            json_object_object_add(o, "board", b);
        }
        if (f->has_product) {
            json_object *p = json_object_new_object();
            jfield(p, "manufacturer", &f->product_mfg);
            jfield(p, "name", &f->product_name);
            jfield(p, "part_number", &f->product_part);
            jfield(p, "version", &f->product_version);
            jfield(p, "serial", &f->product_serial);
            jfield(p, "asset_tag", &f->product_asset_tag);
            json_object_object_add(p, "extra", jcustom(f->product_custom, f->n_product_custom));
            json_object_object_add(o, "product", p);
        }
        json_object_object_add(o, "errors",
                               f->errors[0] ? json_object_new_string(f->errors) : NULL);
        json_object_array_add(a, o);
    }
    printf("%s\n", json_object_to_json_string_ext(a, JSON_C_TO_STRING_PRETTY |
                                                         JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(a);
}

int
cmd_fru(int argc, char **argv)
{
    struct cli_conn c;
    int rc = cli_parse_conn(argc, argv, fru_usage, &c);
    if (rc)
        return rc < 0 ? 0 : rc;
    struct fru_ctx *x = calloc(1, sizeof(*x));
    if (!x) {
        cli_conn_free(&c);
        return CLI_EXIT_ERROR;
    }
    rc = cli_run_session(&c, first_step, x);
    if (rc == 0) {
        if (c.json)
            print_json(x);
        else
            print_text(x);
        /* The BMC's own FRU is the one an inventory needs: its failure is the command's. */
        if (x->dev[0].err) {
            fprintf(stderr, "ipmi-collector: %s\n", x->dev[0].errmsg);
            rc = cli_exit_code(x->dev[0].err);
        }
    }
    ipmi_sdr_cache_free(x->cache);
    free(x);
    cli_conn_free(&c);
    return rc;
}
