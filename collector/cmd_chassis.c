/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_chassis.c - `ipmi-collector chassis status`, `power
 * status|on|off|cycle|reset|soft` (confirmed by reading the state back) and
 * `dcmi power` (DCMI Get Power Reading, or a clear "not supported") and
 * `chassis bootdev DEVICE` (the next boot's device, read back).
 */
#include "cli.h"
#include "ic_err.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char chassis_usage[] =
    "ipmi-collector chassis status -H HOST [-p PORT] -U USER [-E | -f FILE] [-C SUITE] [-L PRIV] "
    "[--json]\n"
    "       ipmi-collector chassis bootdev none|pxe|disk|cdrom|bios [--persistent] [--efi] -H HOST "
    "... [--json]";
static const char power_usage[] =
    "ipmi-collector power status|on|off|cycle|reset|soft -H HOST [-p PORT] -U USER [-E | -f FILE] "
    "[-C SUITE] [-L PRIV] [--json] [--yes] [--wait SECONDS]";
static const char dcmi_usage[] =
    "ipmi-collector dcmi power -H HOST [-p PORT] -U USER [-E | -f FILE] [-C SUITE] [-L PRIV] "
    "[--json]";

struct chassis_ctx {
    struct cli_run *run;
    struct ipmi_session *s;
    int action; /* -1: status only */
    unsigned wait_ms;
    int dcmi;
    int bootdev; /* -1: not a bootdev command */
    int persistent, efi, got;
    int have_st;
    struct ipmi_chassis_status st;
    struct ipmi_dcmi_power pw;
};

static void
on_status(void *arg, int err, const struct ipmi_resp *rsp)
{
    struct chassis_ctx *x = arg;
    char msg[128];
    if (err) {
        cli_finish(x->run, err, ipmi_session_errmsg(x->s));
        return;
    }
    if (rsp->cc != 0) {
        snprintf(msg, sizeof(msg), "Get Chassis Status failed: completion code 0x%02x (%s)",
                 rsp->cc, ipmi_cc_str(rsp->cc));
        cli_finish(x->run, IC_ECC, msg);
        return;
    }
    if (ipmi_chassis_decode_status(rsp->data, rsp->len, &x->st) != 0) {
        cli_finish(x->run, IC_EPROTO, "malformed Get Chassis Status reply");
        return;
    }
    x->have_st = 1;
    cli_finish(x->run, 0, NULL);
}

static void
on_power(void *arg, int err, const struct ipmi_chassis_status *st)
{
    struct chassis_ctx *x = arg;
    if (st) {
        x->st = *st;
        x->have_st = 1;
    }
    cli_finish(x->run, err, err ? ipmi_session_errmsg(x->s) : NULL);
}

static void
on_dcmi(void *arg, int err, const struct ipmi_resp *rsp)
{
    struct chassis_ctx *x = arg;
    char msg[200];
    if (err) {
        cli_finish(x->run, err, ipmi_session_errmsg(x->s));
        return;
    }
    if (rsp->cc == 0xC1 || rsp->cc == 0xD5 || rsp->cc == 0xD6) {
        snprintf(msg, sizeof(msg),
                 "DCMI power reading is not supported by this BMC (completion code 0x%02x: %s)",
                 rsp->cc, ipmi_cc_str(rsp->cc));
        cli_finish(x->run, IC_ECC, msg);
        return;
    }
    if (rsp->cc != 0) {
        snprintf(msg, sizeof(msg), "DCMI Get Power Reading failed: completion code 0x%02x (%s)",
                 rsp->cc, ipmi_cc_str(rsp->cc));
        cli_finish(x->run, IC_ECC, msg);
        return;
    }
    if (ipmi_dcmi_decode_power(rsp->data, rsp->len, &x->pw) != 0) {
        cli_finish(x->run, IC_EPROTO, "malformed DCMI Get Power Reading reply");
        return;
    }
    cli_finish(x->run, 0, NULL);
}

static void
on_bootdev(void *arg, int err, int got)
{
    struct chassis_ctx *x = arg;
    x->got = got;
    cli_finish(x->run, err, err ? ipmi_session_errmsg(x->s) : NULL);
}

static void
first_step(struct cli_run *run, struct ipmi_session *s, void *arg)
{
    struct chassis_ctx *x = arg;
    int rc;
    x->run = run;
    x->s = s;
    if (x->dcmi) {
        struct ipmi_req rq = {.netfn = IPMI_NETFN_GROUP,
                              .cmd = 0x02,
                              .data = ipmi_dcmi_power_req,
                              .len = sizeof(ipmi_dcmi_power_req)};
        rc = ipmi_session_submit(s, &rq, on_dcmi, x);
    } else if (x->bootdev >= 0) {
        rc = ipmi_bootdev_set(s, x->bootdev, x->persistent, x->efi, on_bootdev, x);
    } else if (x->action >= 0) {
        rc = ipmi_power_control(s, x->action, x->wait_ms, on_power, x);
    } else {
        struct ipmi_req rq = {.netfn = IPMI_NETFN_CHASSIS, .cmd = 0x01};
        rc = ipmi_session_submit(s, &rq, on_status, x);
    }
    if (rc)
        cli_finish(run, rc, "cannot submit the request");
}

static const char *
yesno(int v, const char *y, const char *n)
{
    return v ? y : n;
}

static void
print_status(const struct ipmi_chassis_status *st, int json)
{
    if (json) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "power", json_object_new_string(st->power_on ? "on" : "off"));
        json_object_object_add(o, "power_overload", json_object_new_boolean(st->overload));
        json_object_object_add(o, "power_interlock", json_object_new_boolean(st->interlock));
        json_object_object_add(o, "power_fault", json_object_new_boolean(st->power_fault));
        json_object_object_add(o, "power_control_fault",
                               json_object_new_boolean(st->control_fault));
        json_object_object_add(o, "power_restore_policy",
                               json_object_new_string(ipmi_restore_policy_str(st->restore_policy)));
        json_object *last = json_object_new_array();
        if (st->last_ac_failed)
            json_object_array_add(last, json_object_new_string("ac-failed"));
        if (st->last_overload)
            json_object_array_add(last, json_object_new_string("overload"));
        if (st->last_interlock)
            json_object_array_add(last, json_object_new_string("interlock"));
        if (st->last_fault)
            json_object_array_add(last, json_object_new_string("fault"));
        if (st->last_on_by_ipmi)
            json_object_array_add(last, json_object_new_string("command"));
        json_object_object_add(o, "last_power_event", last);
        json_object_object_add(o, "chassis_intrusion", json_object_new_boolean(st->intrusion));
        json_object_object_add(o, "front_panel_lockout",
                               json_object_new_boolean(st->front_panel_lockout));
        json_object_object_add(o, "drive_fault", json_object_new_boolean(st->drive_fault));
        json_object_object_add(o, "cooling_fault", json_object_new_boolean(st->fan_fault));
        printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY));
        json_object_put(o);
        return;
    }
    char last[80] = "";
    snprintf(last, sizeof(last), "%s%s%s%s%s", st->last_ac_failed ? "ac-failed " : "",
             st->last_overload ? "overload " : "", st->last_interlock ? "interlock " : "",
             st->last_fault ? "fault " : "", st->last_on_by_ipmi ? "command" : "");
    printf("%-20s : %s\n", "System Power", st->power_on ? "on" : "off");
    printf("%-20s : %s\n", "Power Overload", yesno(st->overload, "true", "false"));
    printf("%-20s : %s\n", "Power Interlock", yesno(st->interlock, "active", "inactive"));
    printf("%-20s : %s\n", "Main Power Fault", yesno(st->power_fault, "true", "false"));
    printf("%-20s : %s\n", "Power Control Fault", yesno(st->control_fault, "true", "false"));
    printf("%-20s : %s\n", "Power Restore Policy", ipmi_restore_policy_str(st->restore_policy));
    printf("%-20s : %s\n", "Last Power Event", last);
    printf("%-20s : %s\n", "Chassis Intrusion", yesno(st->intrusion, "active", "inactive"));
    printf("%-20s : %s\n", "Front-Panel Lockout",
           yesno(st->front_panel_lockout, "active", "inactive"));
    printf("%-20s : %s\n", "Drive Fault", yesno(st->drive_fault, "true", "false"));
    printf("%-20s : %s\n", "Cooling/Fan Fault", yesno(st->fan_fault, "true", "false"));
}

/* Splits our own flags (--yes, --wait) out of argv before the connection options. */
static int
own_flags(int argc, char **argv, char **av, int *yes, struct chassis_ctx *x)
{
    unsigned *wait_ms = &x->wait_ms;
    int n = 0;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--yes") == 0) {
            *yes = 1;
        } else if (x->bootdev >= 0 && strcmp(argv[i], "--persistent") == 0) {
            x->persistent = 1;
        } else if (x->bootdev >= 0 && strcmp(argv[i], "--efi") == 0) {
            x->efi = 1;
        } else if (strcmp(argv[i], "--wait") == 0 && i + 1 < argc) {
            char *end;
            double s = strtod(argv[++i], &end);
            if (*end || !(s >= 1 && s <= 3600))
                return -1;
            *wait_ms = (unsigned)(s * 1000);
        } else {
            av[n++] = argv[i];
        }
    }
    return n;
}

static int
run(int argc, char **argv, const char *usage, struct chassis_ctx *x, int need_yes)
{
    struct cli_conn c;
    int yes = 0;
    char **av = calloc((size_t)argc + 1, sizeof(*av));
    if (!av)
        return CLI_EXIT_ERROR;
    int n = own_flags(argc, argv, av, &yes, x);
    if (n < 0) {
        fprintf(stderr, "ipmi-collector: --wait takes seconds (1 to 3600)\nusage: %s\n", usage);
        free(av);
        return CLI_EXIT_USAGE;
    }
    int rc = cli_parse_conn(n, av, usage, &c);
    free(av);
    if (rc)
        return rc < 0 ? 0 : rc;
    if (c.nargs) {
        fprintf(stderr, "ipmi-collector: unexpected argument '%s'\nusage: %s\n", c.args[0], usage);
        cli_conn_free(&c);
        return CLI_EXIT_USAGE;
    }
    if (need_yes && !yes) {
        fprintf(stderr, "ipmi-collector: power %s interrupts the host; add --yes to do it\n",
                ipmi_power_action_str(x->action));
        cli_conn_free(&c);
        return CLI_EXIT_USAGE;
    }
    rc = cli_run_session(&c, first_step, x);
    if (x->dcmi && rc == 0) {
        if (c.json)
            printf("{\"current_watts\":%u,\"minimum_watts\":%u,\"maximum_watts\":%u,"
                   "\"average_watts\":%u,\"timestamp\":%u,\"period_ms\":%u,\"active\":%s}\n",
                   x->pw.current, x->pw.minimum, x->pw.maximum, x->pw.average, x->pw.timestamp,
                   x->pw.period_ms, x->pw.active ? "true" : "false");
        else
            printf("%-30s : %u Watts\n%-30s : %u Watts\n%-30s : %u Watts\n%-30s : %u Watts\n"
                   "%-30s : %s\n",
                   "Current power", x->pw.current, "Minimum during period", x->pw.minimum,
                   "Maximum during period", x->pw.maximum, "Average over period", x->pw.average,
                   "Power measurement", x->pw.active ? "active" : "not active");
    } else if (x->bootdev >= 0) {
        if (c.json)
            printf("{\"device\":\"%s\",\"persistent\":%s,\"confirmed\":%s}\n",
                   ipmi_bootdev_str(x->bootdev), x->persistent ? "true" : "false",
                   rc == 0 ? "true" : "false");
        else if (rc == 0)
            printf("Boot device %s (%s): set, the BMC reports %s\n", ipmi_bootdev_str(x->bootdev),
                   x->persistent ? "every boot" : "next boot only", ipmi_bootdev_str(x->got));
    } else if (x->action >= 0 && x->have_st) {
        if (c.json)
            printf("{\"action\":\"%s\",\"confirmed\":%s,\"power\":\"%s\"}\n",
                   ipmi_power_action_str(x->action), rc == 0 ? "true" : "false",
                   x->st.power_on ? "on" : "off");
        else if (rc == 0)
            printf("Chassis power %s: done, power is %s\n", ipmi_power_action_str(x->action),
                   x->st.power_on ? "on" : "off");
    } else if (rc == 0 && x->have_st) {
        if (x->action == -2) {
            if (c.json)
                printf("{\"power\":\"%s\"}\n", x->st.power_on ? "on" : "off");
            else
                printf("Chassis Power is %s\n", x->st.power_on ? "on" : "off");
        } else {
            print_status(&x->st, c.json);
        }
    }
    cli_conn_free(&c);
    return rc;
}

int
cmd_chassis(int argc, char **argv)
{
    struct chassis_ctx x = {.action = -1, .bootdev = -1};
    if (argc >= 3 && strcmp(argv[1], "bootdev") == 0) {
        if ((x.bootdev = ipmi_bootdev_parse(argv[2])) < 0) {
            fprintf(stderr, "ipmi-collector: unknown boot device '%s'\nusage: %s\n", argv[2],
                    chassis_usage);
            return CLI_EXIT_USAGE;
        }
        return run(argc - 2, argv + 2, chassis_usage, &x, 0);
    }
    if (argc < 2 || strcmp(argv[1], "status") != 0) {
        fprintf(stderr, "ipmi-collector: chassis needs 'status' or 'bootdev DEVICE'\nusage: %s\n",
                chassis_usage);
        return CLI_EXIT_USAGE;
    }
    return run(argc - 1, argv + 1, chassis_usage, &x, 0);
}

int
cmd_power(int argc, char **argv)
{
    struct chassis_ctx x = {.action = -1, .bootdev = -1};
    if (argc < 2) {
        fprintf(stderr, "ipmi-collector: power needs an action\nusage: %s\n", power_usage);
        return CLI_EXIT_USAGE;
    }
    if (strcmp(argv[1], "status") == 0) {
        x.action = -2; /* read the status like -1, print only the power state */
        return run(argc - 1, argv + 1, power_usage, &x, 0);
    }
    x.action = ipmi_power_action_parse(argv[1]);
    if (x.action < 0 || x.action == IPMI_POWER_DIAG) {
        fprintf(stderr, "ipmi-collector: unknown power action '%s'\nusage: %s\n", argv[1],
                power_usage);
        return CLI_EXIT_USAGE;
    }
    int need_yes = x.action == IPMI_POWER_OFF || x.action == IPMI_POWER_CYCLE ||
                   x.action == IPMI_POWER_RESET || x.action == IPMI_POWER_SOFT;
    return run(argc - 1, argv + 1, power_usage, &x, need_yes);
}

int
cmd_dcmi(int argc, char **argv)
{
    struct chassis_ctx x = {.action = -1, .dcmi = 1, .bootdev = -1};
    if (argc < 2 || strcmp(argv[1], "power") != 0) {
        fprintf(stderr, "ipmi-collector: dcmi needs 'power'\nusage: %s\n", dcmi_usage);
        return CLI_EXIT_USAGE;
    }
    return run(argc - 1, argv + 1, dcmi_usage, &x, 0);
}
