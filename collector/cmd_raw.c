/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_raw.c - `ipmi-collector raw NETFN CMD [DATA ...]`: one command, its
 * completion code and response bytes.
 */
#include "cli.h"
#include "ic_err.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char raw_usage[] =
    "ipmi-collector raw -H HOST [-p PORT] -U USER [-E | -f FILE] [-C SUITE] [-L PRIV] [--json] "
    "NETFN CMD [DATA ...]   (bytes as 0x06 or 06, hex)";

struct raw_ctx {
    struct cli_run *run;
    struct ipmi_session *s;
    struct ipmi_req rq;
    uint8_t data[256];
    uint8_t cc;
    size_t len;
    uint8_t out[256];
};

static int
parse_byte(const char *s, uint8_t *out)
{
    char *end;
    if (!s || !*s)
        return -1;
    unsigned long v = strtoul(s, &end, 16);
    if (*end || v > 0xff)
        return -1;
    *out = (uint8_t)v;
    return 0;
}

static void
on_resp(void *arg, int err, const struct ipmi_resp *rsp)
{
    struct raw_ctx *x = arg;
    if (err) {
        cli_finish(x->run, err, ipmi_session_errmsg(x->s));
        return;
    }
    x->cc = rsp->cc;
    x->len = rsp->len < sizeof(x->out) ? rsp->len : sizeof(x->out);
    if (x->len)
        memcpy(x->out, rsp->data, x->len);
    cli_finish(x->run, 0, NULL);
}

static void
first_step(struct cli_run *run, struct ipmi_session *s, void *arg)
{
    struct raw_ctx *x = arg;
    x->run = run;
    x->s = s;
    int rc = ipmi_session_submit(s, &x->rq, on_resp, x);
    if (rc)
        cli_finish(run, rc, "cannot submit the request");
}

int
cmd_raw(int argc, char **argv)
{
    struct cli_conn c;
    struct raw_ctx x;
    memset(&x, 0, sizeof(x));
    int rc = cli_parse_conn(argc, argv, raw_usage, &c);
    if (rc)
        return rc < 0 ? 0 : rc;
    rc = CLI_EXIT_USAGE;
    uint8_t netfn, cmd;
    if (c.nargs < 2 || parse_byte(c.args[0], &netfn) || parse_byte(c.args[1], &cmd) ||
        netfn > 0x3f || c.nargs - 2 > (int)sizeof(x.data)) {
        fprintf(stderr,
                "ipmi-collector: raw needs NETFN (0x00-0x3f) and CMD as hex bytes\n"
                "usage: %s\n",
                raw_usage);
        goto out;
    }
    for (int i = 2; i < c.nargs; i++)
        if (parse_byte(c.args[i], &x.data[i - 2])) {
            fprintf(stderr, "ipmi-collector: '%s' is not a hex byte\nusage: %s\n", c.args[i],
                    raw_usage);
            goto out;
        }
    x.rq =
        (struct ipmi_req){.netfn = netfn, .cmd = cmd, .data = x.data, .len = (size_t)(c.nargs - 2)};
    rc = cli_run_session(&c, first_step, &x);
    if (rc)
        goto out;
    if (c.json) {
        char hex[3 * sizeof(x.out) + 1];
        json_object *o = json_object_new_object(), *a = json_object_new_array();
        hex[0] = '\0';
        for (size_t i = 0; i < x.len; i++) {
            snprintf(hex + 2 * i, 3, "%02x", x.out[i]);
            json_object_array_add(a, json_object_new_int(x.out[i]));
        }
        json_object_object_add(o, "cc", json_object_new_int(x.cc));
        json_object_object_add(o, "cc_text", json_object_new_string(ipmi_cc_str(x.cc)));
        json_object_object_add(o, "hex", json_object_new_string(hex));
        json_object_object_add(o, "data", a);
        printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
        json_object_put(o);
    } else {
        printf("cc 0x%02x (%s)\n", x.cc, ipmi_cc_str(x.cc));
        for (size_t i = 0; i < x.len; i++)
            printf("%s%02x%s", i % 16 ? " " : " ", x.out[i],
                   (i % 16 == 15 || i + 1 == x.len) ? "\n" : "");
    }
    if (x.cc != 0) {
        fprintf(stderr, "ipmi-collector: the BMC answered with completion code 0x%02x (%s)\n", x.cc,
                ipmi_cc_str(x.cc));
        rc = CLI_EXIT_CC;
    }
out:
    cli_conn_free(&c);
    return rc;
}
