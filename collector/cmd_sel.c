/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_sel.c - `ipmi-collector sel list|info|clear`: the System Event Log in
 * words (sensor names resolved through the SDR, event data in real units),
 * its state, and clearing it (with --yes).
 */
#include "cli.h"
#include "ic_err.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char sel_usage[] =
    "ipmi-collector sel list|info|clear -H HOST [-p PORT] -U USER [-E | -f FILE] [-C SUITE] "
    "[-L PRIV] [--json] [--after RECORD_ID] [--yes]";

enum sel_cmd { SEL_LIST, SEL_INFO, SEL_CLEAR };

struct sel_ctx {
    enum sel_cmd cmd;
    struct cli_run *run;
    struct ipmi_session *s;
    struct ipmi_sdr_cache *cache;
    struct ipmi_sel_cursor cur;
    struct ipmi_sel_info info;
    uint8_t (*recs)[16];
    size_t n;
    int reset;
};

static void
on_records(void *arg, int err, const struct ipmi_sel_info *info, const uint8_t (*recs)[16],
           size_t n, int reset)
{
    struct sel_ctx *x = arg;
    if (err) {
        cli_finish(x->run, err, ipmi_session_errmsg(x->s));
        return;
    }
    x->info = *info;
    x->reset = reset;
    x->recs = malloc((n ? n : 1) * 16);
    if (!x->recs) {
        cli_finish(x->run, IC_ENOMEM, "out of memory");
        return;
    }
    if (n)
        memcpy(x->recs, recs, n * 16);
    x->n = n;
    cli_finish(x->run, 0, NULL);
}

static void
on_sdr(void *arg, int err, struct ipmi_sdr_cache *c)
{
    struct sel_ctx *x = arg;
    /* Without an SDR the SEL is still readable; names are just missing. */
    if (!err)
        x->cache = c;
    int rc = ipmi_sel_read(x->s, &x->cur, on_records, x);
    if (rc)
        cli_finish(x->run, rc, "cannot start reading the SEL");
}

static void
on_info(void *arg, int err, const struct ipmi_sel_info *info)
{
    struct sel_ctx *x = arg;
    if (!err)
        x->info = *info;
    cli_finish(x->run, err, err ? ipmi_session_errmsg(x->s) : NULL);
}

static void
on_cleared(void *arg, int err)
{
    struct sel_ctx *x = arg;
    cli_finish(x->run, err, err ? ipmi_session_errmsg(x->s) : NULL);
}

static void
first_step(struct cli_run *run, struct ipmi_session *s, void *arg)
{
    struct sel_ctx *x = arg;
    int rc;
    x->run = run;
    x->s = s;
    if (x->cmd == SEL_CLEAR)
        rc = ipmi_sel_clear(s, on_cleared, x);
    else if (x->cmd == SEL_INFO)
        rc = ipmi_sel_get_info(s, on_info, x);
    else
        rc = ipmi_sdr_load(s, NULL, on_sdr, x);
    if (rc)
        cli_finish(run, rc, "cannot start the request");
}

static void
decode(const struct sel_ctx *x, size_t i, struct ipmi_sel_entry *e)
{
    const uint8_t *rec = x->recs[i];
    const struct ipmi_sdr *sdr = NULL;
    /* System events name their sensor by generator (owner) and number. */
    if (rec[2] == 0x02)
        sdr = ipmi_sdr_cache_find(x->cache, rec[7], rec[8] & 0x03, rec[11]);
    if (ipmi_sel_decode(rec, 16, sdr, e) != 0) {
        memset(e, 0, sizeof(*e));
        e->record_id = (uint16_t)(rec[0] | rec[1] << 8);
        e->record_type = rec[2];
        memcpy(e->raw, rec, 16);
        snprintf(e->event, sizeof(e->event), "undecodable record");
    }
}

static void
print_list_text(const struct sel_ctx *x)
{
    for (size_t i = 0; i < x->n; i++) {
        struct ipmi_sel_entry e;
        char when[64];
        decode(x, i, &e);
        ipmi_sel_time_text(&e, when, sizeof(when));
        const char *sev = ipmi_state_str(e.severity);
        if (e.record_type == 0x02)
            printf("%6u | %-22s | %-20s %-16s | %-34s | %-10s | %-15s%s%s\n", e.record_id, when,
                   ipmi_sensor_type_str(e.sensor_type), e.sensor[0] ? e.sensor : "-", e.event,
                   e.deasserted ? "Deasserted" : "Asserted", sev ? sev : "-",
                   e.detail[0] ? " | " : "", e.detail);
        else
            printf("%6u | %-22s | OEM record 0x%02x | %s\n", e.record_id, when, e.record_type,
                   e.event);
    }
}

static void
hex16(const uint8_t *p, char out[33])
{
    for (int i = 0; i < 16; i++)
        snprintf(out + 2 * i, 3, "%02x", p[i]);
}

static void
print_list_json(const struct sel_ctx *x)
{
    json_object *a = json_object_new_array();
    for (size_t i = 0; i < x->n; i++) {
        struct ipmi_sel_entry e;
        char when[64], raw[33];
        decode(x, i, &e);
        json_object *o = json_object_new_object();
        json_object_object_add(o, "record_id", json_object_new_int(e.record_id));
        json_object_object_add(o, "record_type", json_object_new_int(e.record_type));
        if (e.has_timestamp && !e.pre_init) {
            ipmi_sel_time_text(&e, when, sizeof(when));
            json_object_object_add(o, "timestamp", json_object_new_string(when));
        } else {
            json_object_object_add(o, "timestamp", NULL);
            if (e.has_timestamp)
                json_object_object_add(o, "relative_seconds", json_object_new_int64(e.timestamp));
        }
        int sys = e.record_type == 0x02;
        json_object_object_add(o, "sensor", sys ? json_object_new_string(e.sensor) : NULL);
        json_object_object_add(o, "sensor_number",
                               sys ? json_object_new_int(e.sensor_number) : NULL);
        json_object_object_add(o, "sensor_type",
                               sys ? json_object_new_string(ipmi_sensor_type_str(e.sensor_type))
                                   : NULL);
        json_object_object_add(o, "event", json_object_new_string(e.event));
        json_object_object_add(o, "detail", e.detail[0] ? json_object_new_string(e.detail) : NULL);
        json_object_object_add(
            o, "direction",
            sys ? json_object_new_string(e.deasserted ? "deasserted" : "asserted") : NULL);
        const char *sev = ipmi_state_str(e.severity);
        json_object_object_add(o, "severity", sev ? json_object_new_string(sev) : NULL);
        if (sys)
            json_object_object_add(o, "generator_id", json_object_new_int(e.generator_id));
        hex16(e.raw, raw);
        json_object_object_add(o, "raw", json_object_new_string(raw));
        json_object_array_add(a, o);
    }
    printf("%s\n", json_object_to_json_string_ext(a, JSON_C_TO_STRING_PRETTY |
                                                         JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(a);
}

static void
print_info(const struct sel_ctx *x, int json)
{
    const struct ipmi_sel_info *in = &x->info;
    if (json) {
        printf("{\"version\":\"%u.%u\",\"entries\":%u,\"free_bytes\":%u,\"last_add\":%u,"
               "\"last_erase\":%u,\"overflow\":%s,\"supports_delete\":%s,"
               "\"supports_reserve\":%s}\n",
               in->version & 0x0F, in->version >> 4, in->entries, in->free_bytes, in->last_add,
               in->last_erase, (in->flags & 0x80) ? "true" : "false",
               (in->flags & 0x08) ? "true" : "false", (in->flags & 0x02) ? "true" : "false");
        return;
    }
    printf("%-20s : %u.%u\n", "Version", in->version & 0x0F, in->version >> 4);
    printf("%-20s : %u\n", "Entries", in->entries);
    printf("%-20s : %u bytes\n", "Free Space", in->free_bytes);
    printf("%-20s : %u\n", "Last Add Time", in->last_add);
    printf("%-20s : %u\n", "Last Erase Time", in->last_erase);
    printf("%-20s : %s\n", "Overflow", (in->flags & 0x80) ? "true" : "false");
}

int
cmd_sel(int argc, char **argv)
{
    struct cli_conn c;
    struct sel_ctx x = {0};
    int yes = 0;
    long after = -1;
    if (argc < 2) {
        fprintf(stderr, "ipmi-collector: sel needs list, info or clear\nusage: %s\n", sel_usage);
        return CLI_EXIT_USAGE;
    }
    if (strcmp(argv[1], "list") == 0)
        x.cmd = SEL_LIST;
    else if (strcmp(argv[1], "info") == 0)
        x.cmd = SEL_INFO;
    else if (strcmp(argv[1], "clear") == 0)
        x.cmd = SEL_CLEAR;
    else {
        fprintf(stderr, "ipmi-collector: unknown sel command '%s'\nusage: %s\n", argv[1],
                sel_usage);
        return CLI_EXIT_USAGE;
    }
    /* Our own flags first (cli_parse_conn does not know them). */
    int n = 0;
    char **av = calloc((size_t)argc, sizeof(*av));
    if (!av)
        return CLI_EXIT_ERROR;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--yes") == 0) {
            yes = 1;
        } else if (strcmp(argv[i], "--after") == 0 && i + 1 < argc) {
            char *end;
            after = strtol(argv[++i], &end, 0);
            if (*end || after < 0 || after > 0xFFFE) {
                fprintf(stderr, "ipmi-collector: invalid --after '%s'\n", argv[i]);
                free(av);
                return CLI_EXIT_USAGE;
            }
        } else {
            av[n++] = argv[i];
        }
    }
    int rc = cli_parse_conn(n, av, sel_usage, &c);
    free(av);
    if (rc)
        return rc < 0 ? 0 : rc;
    if (x.cmd == SEL_CLEAR && !yes) {
        fprintf(stderr, "ipmi-collector: sel clear erases every entry of the BMC's event log; "
                        "add --yes to do it\n");
        cli_conn_free(&c);
        return CLI_EXIT_USAGE;
    }
    if (after >= 0)
        x.cur = (struct ipmi_sel_cursor){.valid = 1, .id_only = 1, .last_id = (uint16_t)after};
    rc = cli_run_session(&c, first_step, &x);
    if (rc == 0) {
        if (x.cmd == SEL_CLEAR)
            printf("SEL cleared\n");
        else if (x.cmd == SEL_INFO)
            print_info(&x, c.json);
        else if (c.json)
            print_list_json(&x);
        else
            print_list_text(&x);
        if (x.cmd == SEL_LIST && x.reset && after >= 0)
            fprintf(stderr,
                    "ipmi-collector: record %ld is no longer in the SEL (cleared or "
                    "wrapped): listing every entry\n",
                    after);
    }
    free(x.recs);
    ipmi_sdr_cache_free(x.cache);
    cli_conn_free(&c);
    return rc;
}
