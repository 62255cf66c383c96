/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_bmc.c - `ipmi-collector bmc info`: Get Device ID and Get System GUID,
 * printed as ipmitool's `mc info` / `mc guid` would, or as one JSON object.
 */
#include "cli.h"
#include "ic_err.h"

#include <getopt.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

static const char bmc_usage[] =
    "ipmi-collector bmc info -H HOST [-p PORT] -U USER [-E | -f FILE] [-C SUITE] [-L PRIV] "
    "[--json]\n       ipmi-collector bmc ping -H HOST [-p PORT] [-N SECONDS] [-R RETRIES] [--json]";

struct bmc_info {
    const struct cli_conn *conn;
    struct ipmi_devid dev;
    int have_guid;
    uint8_t guid[16];
    int suite;
};

static const char *const support_names[8] = {
    "Sensor Device",       "SDR Repository Device", "SEL Device", "FRU Inventory Device",
    "IPMB Event Receiver", "IPMB Event Generator",  "Bridge",     "Chassis Device",
};

static void
on_guid(void *arg, int err, const struct ipmi_resp *rsp)
{
    struct cli_run *run = ((void **)arg)[0];
    struct bmc_info *bi = ((void **)arg)[1];
    /* A BMC without a system GUID still has an identity: report it as absent. */
    if (!err && rsp->cc == 0 && ipmi_decode_guid(rsp->data, rsp->len, bi->guid) == 0)
        bi->have_guid = 1;
    cli_finish(run, 0, NULL);
}

static void
on_devid(void *arg, int err, const struct ipmi_resp *rsp)
{
    void **ctx = arg;
    struct cli_run *run = ctx[0];
    struct bmc_info *bi = ctx[1];
    struct ipmi_session *s = ctx[2];
    char msg[600];
    if (err) {
        cli_finish(run, err, ipmi_session_errmsg(s));
        return;
    }
    if (rsp->cc != 0) {
        snprintf(msg, sizeof(msg), "Get Device ID failed: completion code 0x%02x (%s)", rsp->cc,
                 ipmi_cc_str(rsp->cc));
        cli_finish(run, IC_ECC, msg);
        return;
    }
    if (ipmi_decode_devid(rsp->data, rsp->len, &bi->dev) != 0) {
        cli_finish(run, IC_EPROTO, "malformed Get Device ID response");
        return;
    }
    bi->suite = ipmi_session_cipher_suite(s);
    struct ipmi_req rq = {.netfn = IPMI_NETFN_APP, .cmd = 0x37};
    int rc = ipmi_session_submit(s, &rq, on_guid, arg);
    if (rc)
        cli_finish(run, rc, "cannot submit Get System GUID");
}

static void
first_step(struct cli_run *run, struct ipmi_session *s, void *arg)
{
    void **ctx = arg;
    ctx[0] = run;
    ctx[2] = s;
    struct ipmi_req rq = {.netfn = IPMI_NETFN_APP, .cmd = 0x01};
    int rc = ipmi_session_submit(s, &rq, on_devid, ctx);
    if (rc)
        cli_finish(run, rc, "cannot submit Get Device ID");
}

static void
print_json(const struct bmc_info *bi)
{
    char fw[16], iv[8], guid[37];
    const struct ipmi_devid *d = &bi->dev;
    ipmi_devid_fw_str(d, fw, sizeof(fw));
    ipmi_devid_ipmi_str(d, iv, sizeof(iv));
    json_object *o = json_object_new_object();
    json_object_object_add(o, "host", json_object_new_string(bi->conn->o.host));
    json_object_object_add(o, "device_id", json_object_new_int(d->device_id));
    json_object_object_add(o, "device_revision", json_object_new_int(d->device_rev));
    json_object_object_add(o, "firmware_revision", json_object_new_string(fw));
    json_object_object_add(o, "ipmi_version", json_object_new_string(iv));
    json_object_object_add(o, "manufacturer_id", json_object_new_int64(d->manufacturer_id));
    json_object_object_add(o, "product_id", json_object_new_int(d->product_id));
    json_object_object_add(o, "device_available", json_object_new_boolean(!d->update_in_progress));
    json_object_object_add(o, "provides_device_sdrs", json_object_new_boolean(d->provides_sdrs));
    json_object *sup = json_object_new_array();
    for (int i = 0; i < 8; i++)
        if (d->support & (1u << i))
            json_object_array_add(sup, json_object_new_string(support_names[i]));
    json_object_object_add(o, "additional_device_support", sup);
    if (d->has_aux) {
        char aux[12];
        snprintf(aux, sizeof(aux), "%02x%02x%02x%02x", d->aux[0], d->aux[1], d->aux[2], d->aux[3]);
        json_object_object_add(o, "aux_firmware_revision", json_object_new_string(aux));
    }
    if (bi->have_guid) {
        ipmi_guid_str(bi->guid, guid);
        json_object_object_add(o, "guid", json_object_new_string(guid));
    } else {
        json_object_object_add(o, "guid", NULL);
    }
    json_object_object_add(o, "cipher_suite", json_object_new_int(bi->suite));
    printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
                                                         JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(o);
}

static void
print_text(const struct bmc_info *bi)
{
    char fw[16], iv[8], guid[37];
    const struct ipmi_devid *d = &bi->dev;
    ipmi_devid_fw_str(d, fw, sizeof(fw));
    ipmi_devid_ipmi_str(d, iv, sizeof(iv));
    printf("%-25s : %u\n", "Device ID", d->device_id);
    printf("%-25s : %u\n", "Device Revision", d->device_rev);
    printf("%-25s : %s\n", "Firmware Revision", fw);
    printf("%-25s : %s\n", "IPMI Version", iv);
    printf("%-25s : %u\n", "Manufacturer ID", d->manufacturer_id);
    printf("%-25s : %u (0x%04x)\n", "Product ID", d->product_id, d->product_id);
    printf("%-25s : %s\n", "Device Available", d->update_in_progress ? "no" : "yes");
    printf("%-25s : %s\n", "Provides Device SDRs", d->provides_sdrs ? "yes" : "no");
    printf("%-25s :\n", "Additional Device Support");
    for (int i = 0; i < 8; i++)
        if (d->support & (1u << i))
            printf("    %s\n", support_names[i]);
    if (bi->have_guid) {
        ipmi_guid_str(bi->guid, guid);
        printf("%-25s : %s\n", "System GUID", guid);
    } else {
        printf("%-25s : (not available)\n", "System GUID");
    }
    printf("%-25s : %d\n", "Cipher Suite", bi->suite);
}

struct ping_result {
    int err;
    struct ipmi_pong pong;
};

static void
on_pong(void *arg, int err, const struct ipmi_pong *pong)
{
    struct ping_result *r = arg;
    r->err = err;
    if (pong)
        r->pong = *pong;
}

/* `bmc ping`: no session and no credentials, so its own small option set. */
static int
cmd_ping(int argc, char **argv)
{
    static const struct option opts[] = {
        {"host", required_argument, NULL, 'H'},    {"port", required_argument, NULL, 'p'},
        {"timeout", required_argument, NULL, 'N'}, {"retries", required_argument, NULL, 'R'},
        {"json", no_argument, NULL, 'j'},          {NULL, 0, NULL, 0}};
    const char *host = NULL;
    unsigned port = 623, retries = 3, timeout_ms = 1000;
    int json = 0, ch;
    char err[256];
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "H:p:N:R:", opts, NULL)) != -1) {
        switch (ch) {
        case 'H':
            host = optarg;
            break;
        case 'p':
            port = (unsigned)strtoul(optarg, NULL, 10);
            break;
        case 'N':
            timeout_ms = (unsigned)(strtod(optarg, NULL) * 1000);
            break;
        case 'R':
            retries = (unsigned)strtoul(optarg, NULL, 10);
            break;
        case 'j':
            json = 1;
            break;
        default:
            fprintf(stderr, "ipmi-collector: bad option\nusage: %s\n", bmc_usage);
            return CLI_EXIT_USAGE;
        }
    }
    if (!host || port == 0 || port > 65535 || timeout_ms < 50 || retries > 20) {
        fprintf(stderr,
                "ipmi-collector: bmc ping needs -H HOST (and a valid port, timeout, "
                "retries)\nusage: %s\n",
                bmc_usage);
        return CLI_EXIT_USAGE;
    }
    struct poller_loop *pl = poller_loop_new();
    struct ping_result r = {.err = IC_ETIMEDOUT};
    int rc =
        pl ? ipmi_ping(pl, host, (uint16_t)port, timeout_ms, retries, on_pong, &r, err, sizeof(err))
           : IC_ENOMEM;
    if (rc) {
        fprintf(stderr, "ipmi-collector: %s\n", pl ? err : "out of memory");
        poller_loop_free(pl);
        return cli_exit_code(rc);
    }
    poller_loop_run(pl);
    poller_loop_free(pl);
    if (r.err) {
        fprintf(stderr, "ipmi-collector: %s:%u: no presence pong (%s)\n", host, port,
                ic_strerror(r.err));
        return cli_exit_code(r.err);
    }
    if (json)
        printf("{\"host\":\"%s\",\"port\":%u,\"ipmi_supported\":%s,\"rtt_ms\":%llu}\n", host, port,
               r.pong.ipmi_supported ? "true" : "false", (unsigned long long)r.pong.rtt_ms);
    else
        printf("%s:%u: presence pong in %llu ms, IPMI %ssupported\n", host, port,
               (unsigned long long)r.pong.rtt_ms, r.pong.ipmi_supported ? "" : "NOT ");
    return 0;
}

int
cmd_bmc(int argc, char **argv)
{
    struct cli_conn c;
    if (argc >= 2 && strcmp(argv[1], "ping") == 0)
        return cmd_ping(argc - 1, argv + 1);
    if (argc < 2 || strcmp(argv[1], "info") != 0) {
        fprintf(stderr, "ipmi-collector: unknown 'bmc' command\nusage: %s\n", bmc_usage);
        return CLI_EXIT_USAGE;
    }
    int rc = cli_parse_conn(argc - 1, argv + 1, bmc_usage, &c);
    if (rc)
        return rc < 0 ? 0 : rc;
    if (c.nargs) {
        fprintf(stderr, "ipmi-collector: unexpected argument '%s'\nusage: %s\n", c.args[0],
                bmc_usage);
        cli_conn_free(&c);
        return CLI_EXIT_USAGE;
    }
    struct bmc_info bi = {.conn = &c, .suite = -1};
    void *ctx[3] = {NULL, &bi, NULL};
    rc = cli_run_session(&c, first_step, ctx);
    if (rc == 0) {
        if (c.json)
            print_json(&bi);
        else
            print_text(&bi);
    }
    cli_conn_free(&c);
    return rc;
}
