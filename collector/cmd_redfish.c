/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_redfish.c - `ipmi-collector redfish`: power, boot override and virtual
 * media over Redfish (redfish/ layer), for BMCs where IPMI cannot do it
 * (virtual media has no IPMI command). A local image file is served to the
 * BMC by a media server started for the duration of the insert, under a
 * one-time URL revoked right after (docs/redfish.md).
 */
#include "cli.h"
#include "ic_err.h"
#include "redfish.h"
#include "secret.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "ipmi-collector redfish --url URL -U USER (-E ENVVAR | -f FILE) [--ca-file F] [--insecure] "
    "[--timeout S] COMMAND";

static const char help[] =
    "Commands:\n"
    "  power status|on|off|cycle|reset|soft [--wait S]\n"
    "                           on=On off=ForceOff cycle=PowerCycle reset=ForceRestart\n"
    "                           soft=GracefulShutdown; waits until PowerState agrees\n"
    "                           (--wait seconds, default 60; 0 = do not wait)\n"
    "  boot pxe|disk|cdrom|bios|none [--persistent]\n"
    "                           boot override for the next boot (or every boot)\n"
    "  media status             the CD slot: inserted or empty, image URL\n"
    "  media insert IMAGE [--boot-once] [--serve HOST:PORT] [--public-host H] [--ttl S]\n"
    "                           IMAGE is an http(s):// URL, or a local file served to the BMC\n"
    "                           from HOST:PORT (port 0 = any) under a one-time URL that is\n"
    "                           revoked when the insert ends (--ttl: its lifetime, default\n"
    "                           300 s); --boot-once also sets the boot override to cdrom once\n"
    "  media eject\n"
    "\n"
    "Options:\n"
    "      --url URL            https://HOST[:PORT] of the BMC (no path)\n"
    "  -U, --user USER          Redfish user name\n"
    "  -E, --env-password VAR   read the password from environment variable VAR\n"
    "  -f, --password-file FILE read the password from FILE (must be mode 0600)\n"
    "      --ca-file FILE       CA certificate(s) that signed the BMC's certificate\n"
    "      --insecure           do not verify the BMC's certificate\n"
    "      --timeout S          per-request timeout in seconds (default 30)\n"
    "\n"
    "Exit status: 0 ok; 1 other error (the BMC's message is printed); 2 bad arguments;\n"
    "3 user name or password refused; 5 privilege refused; 7 timed out (no answer, or the\n"
    "power state or a task did not get there in time); 8 cannot connect (refused, no route,\n"
    "name does not resolve).\n";

enum {
    OPT_URL = 256,
    OPT_CA,
    OPT_INSECURE,
    OPT_TIMEOUT,
    OPT_PERSISTENT,
    OPT_BOOT_ONCE,
    OPT_SERVE,
    OPT_PUBLIC,
    OPT_TTL,
    OPT_WAIT,
};

static const struct option opts[] = {
    {"url", required_argument, NULL, OPT_URL},
    {"user", required_argument, NULL, 'U'},
    {"env-password", required_argument, NULL, 'E'},
    {"password-file", required_argument, NULL, 'f'},
    {"password", required_argument, NULL, 'P'},
    {"ca-file", required_argument, NULL, OPT_CA},
    {"insecure", no_argument, NULL, OPT_INSECURE},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"persistent", no_argument, NULL, OPT_PERSISTENT},
    {"boot-once", no_argument, NULL, OPT_BOOT_ONCE},
    {"serve", required_argument, NULL, OPT_SERVE},
    {"public-host", required_argument, NULL, OPT_PUBLIC},
    {"ttl", required_argument, NULL, OPT_TTL},
    {"wait", required_argument, NULL, OPT_WAIT},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

struct rf_args {
    const char *url, *user, *env, *pwfile, *ca, *serve, *public_host;
    int insecure, persistent, boot_once;
    unsigned timeout_ms, ttl_ms, wait_ms;
    int have_wait, have_ttl;
    char **args;
    int nargs;
};

/* The redfish layer's codes -> the exit statuses documented above. */
static int
rf_exit(int rc)
{
    switch (rc) {
    case 0:
        return CLI_EXIT_OK;
    case IC_EINVAL:
    case IC_ECONFIG:
        return CLI_EXIT_USAGE;
    case IC_EAUTH:
        return CLI_EXIT_AUTH;
    case IC_EPRIV:
        return CLI_EXIT_PRIV;
    case IC_ETIMEDOUT:
        return CLI_EXIT_TIMEOUT;
    case IC_EUNREACH:
        return CLI_EXIT_UNREACH;
    default:
        return CLI_EXIT_ERROR;
    }
}

static int
fail(int rc, const char *msg)
{
    fprintf(stderr, "ipmi-collector redfish: %s\n", msg);
    return rf_exit(rc);
}

static int
usage_err(const char *msg, const char *arg)
{
    fprintf(stderr, "ipmi-collector redfish: %s%s%s%s\nusage: %s\n", msg, arg ? " '" : "",
            arg ? arg : "", arg ? "'" : "", usage);
    return CLI_EXIT_USAGE;
}

/* Seconds (fractions allowed) in [min, max] -> ms; -1 if not. */
static long
parse_secs(const char *s, double min, double max)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end || !(v >= min && v <= max))
        return -1;
    return (long)(v * 1000);
}

static int
parse_args(int argc, char **argv, struct rf_args *a)
{
    long ms;
    int ch;
    memset(a, 0, sizeof(*a));
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "U:E:f:P:h", opts, NULL)) != -1) {
        switch (ch) {
        case OPT_URL:
            a->url = optarg;
            break;
        case 'U':
            a->user = optarg;
            break;
        case 'E':
            a->env = optarg;
            break;
        case 'f':
            a->pwfile = optarg;
            break;
        case 'P':
            return usage_err("passwords on the command line are visible to every user (ps); "
                             "use -E VAR or -f FILE",
                             NULL);
        case OPT_CA:
            a->ca = optarg;
            break;
        case OPT_INSECURE:
            a->insecure = 1;
            break;
        case OPT_TIMEOUT:
            if ((ms = parse_secs(optarg, 0.1, 600)) < 0)
                return usage_err("invalid --timeout (seconds, 0.1 to 600)", optarg);
            a->timeout_ms = (unsigned)ms;
            break;
        case OPT_PERSISTENT:
            a->persistent = 1;
            break;
        case OPT_BOOT_ONCE:
            a->boot_once = 1;
            break;
        case OPT_SERVE:
            a->serve = optarg;
            break;
        case OPT_PUBLIC:
            a->public_host = optarg;
            break;
        case OPT_TTL:
            if ((ms = parse_secs(optarg, 1, 86400)) < 0)
                return usage_err("invalid --ttl (seconds, 1 to 86400)", optarg);
            a->ttl_ms = (unsigned)ms;
            a->have_ttl = 1;
            break;
        case OPT_WAIT:
            if ((ms = parse_secs(optarg, 0, 3600)) < 0)
                return usage_err("invalid --wait (seconds, 0 to 3600)", optarg);
            a->wait_ms = (unsigned)ms;
            a->have_wait = 1;
            break;
        case 'h':
            printf("usage: %s\n\n%s", usage, help);
            return -1;
        default:
            return usage_err("unknown or incomplete option", argv[optind - 1]);
        }
    }
    a->args = argv + optind;
    a->nargs = argc - optind;
    if (!a->url)
        return usage_err("missing --url https://HOST[:PORT]", NULL);
    if (!a->user)
        return usage_err("missing -U USER", NULL);
    if (!a->env == !a->pwfile)
        return usage_err("give the password with exactly one of -E VAR or -f FILE", NULL);
    if (a->nargs < 1)
        return usage_err("missing command (power, boot, media)", NULL);
    return 0;
}

static int
is_url(const char *s)
{
    return strncmp(s, "http://", 7) == 0 || strncmp(s, "https://", 8) == 0;
}

/* Checks that only the options this command takes were given. */
static int
check_opts(const struct rf_args *a, int power, int boot, int insert)
{
    if (a->have_wait && !power)
        return usage_err("--wait is for power commands", NULL);
    if (a->persistent && !boot)
        return usage_err("--persistent is for boot", NULL);
    if ((a->boot_once || a->serve || a->public_host || a->have_ttl) && !insert)
        return usage_err("--boot-once, --serve, --public-host and --ttl are for media insert",
                         NULL);
    return 0;
}

static int
do_power(struct rf_client *c, const struct rf_args *a, char *err, size_t errlen)
{
    struct rf_system s;
    int rc;
    if (a->nargs != 2)
        return usage_err("power needs one of status, on, off, cycle, reset, soft", NULL);
    if (strcmp(a->args[1], "status") == 0) {
        if (a->have_wait)
            return usage_err("--wait is for power actions", NULL);
        if ((rc = rf_system_get(c, &s, err, errlen)) != 0)
            return fail(rc, err);
        printf("%s\n", s.power_state);
        return 0;
    }
    rc = rf_power(c, a->args[1], a->have_wait ? a->wait_ms : 60000u, &s, err, errlen);
    if (rc)
        return fail(rc, err);
    printf("%s\n", s.power_state);
    return 0;
}

static int
do_boot(struct rf_client *c, const struct rf_args *a, char *err, size_t errlen)
{
    if (a->nargs != 2)
        return usage_err("boot needs one of pxe, disk, cdrom, bios, none", NULL);
    int rc = rf_boot_override(c, a->args[1], !a->persistent, err, errlen);
    if (rc)
        return fail(rc, err);
    struct rf_system s;
    if ((rc = rf_system_get(c, &s, err, errlen)) != 0)
        return fail(rc, err);
    printf("%s %s\n", s.boot_enabled, s.boot_target);
    return 0;
}

static void
print_media(const struct rf_media *m)
{
    if (m->inserted)
        printf("%s inserted %s\n", m->slot, m->image);
    else
        printf("%s empty\n", m->slot);
}

/* Inserts a local file: serve it, insert its one-time URL, revoke it. */
static int
insert_local(struct rf_client *c, const struct rf_args *a, char *err, size_t errlen)
{
    struct rf_media_srv_opts so = {.listen = a->serve, .public_host = a->public_host};
    struct rf_media_srv *srv = NULL;
    struct rf_media_srv_stats st;
    char url[1024];
    int rc;

    if (!a->serve)
        return usage_err("a local IMAGE needs --serve HOST:PORT (an address the BMC can reach)",
                         NULL);
    if ((rc = rf_media_srv_start(&so, &srv, err, errlen)) != 0)
        return fail(rc, err);
    rc = rf_media_srv_offer(srv, a->args[2], a->have_ttl ? a->ttl_ms : 300000u, url, sizeof(url),
                            err, errlen);
    if (rc == 0) {
        rc = rf_media_insert(c, url, err, errlen);
        rf_media_srv_stats(srv, url, &st);
        rf_media_srv_revoke(srv, url);
        if (rc == 0)
            printf("served %s as %s (fetched %lu time%s, now revoked)\n", a->args[2], url,
                   st.fetches, st.fetches == 1 ? "" : "s");
    }
    rf_media_srv_stop(srv);
    return rc;
}

static int
do_media(struct rf_client *c, const struct rf_args *a, char *err, size_t errlen)
{
    struct rf_media m;
    int rc;
    const char *sub = a->nargs >= 2 ? a->args[1] : "";
    if (strcmp(sub, "insert") == 0) {
        if (a->nargs != 3)
            return usage_err("media insert needs one IMAGE (URL or local file)", NULL);
        if (is_url(a->args[2])) {
            if (a->serve || a->public_host || a->have_ttl)
                return usage_err("--serve, --public-host and --ttl are for a local IMAGE", NULL);
            rc = rf_media_insert(c, a->args[2], err, errlen);
        } else {
            rc = insert_local(c, a, err, errlen);
        }
        if (rc)
            return rc > 0 ? rc : fail(rc, err);
        if (a->boot_once && (rc = rf_boot_override(c, "cdrom", 1, err, errlen)) != 0)
            return fail(rc, err);
    } else if (strcmp(sub, "eject") == 0 && a->nargs == 2) {
        if ((rc = rf_media_eject(c, err, errlen)) != 0)
            return fail(rc, err);
    } else if (strcmp(sub, "status") != 0 || a->nargs != 2) {
        return usage_err("media needs status, insert IMAGE or eject", NULL);
    }
    if ((rc = rf_media_status(c, &m, err, errlen)) != 0)
        return fail(rc, err);
    print_media(&m);
    if (a->boot_once)
        printf("boot override: Once Cd\n");
    return 0;
}

int
cmd_redfish(int argc, char **argv)
{
    struct rf_args a;
    struct secret *pw = NULL;
    struct rf_client *c = NULL;
    char err[1024];
    int rc = parse_args(argc, argv, &a);
    if (rc)
        return rc < 0 ? 0 : rc;
    const char *cmd = a.args[0];
    int power = strcmp(cmd, "power") == 0, boot = strcmp(cmd, "boot") == 0;
    int media = strcmp(cmd, "media") == 0;
    int insert = media && a.nargs >= 2 && strcmp(a.args[1], "insert") == 0;
    if (!power && !boot && !media)
        return usage_err("unknown command (power, boot, media)", cmd);
    if ((rc = check_opts(&a, power, boot, insert)) != 0)
        return rc;
    /* The same secret loaders as the IPMI commands (common/secret.c). */
    if (a.env)
        rc = secret_from_env(a.env, &pw, err, sizeof(err));
    else
        rc = secret_from_file(a.pwfile, 1, &pw, err, sizeof(err));
    if (rc)
        return usage_err(err, NULL);
    struct rf_opts o = {.url = a.url,
                        .user = a.user,
                        .password = pw,
                        .ca_file = a.ca,
                        .insecure = a.insecure,
                        .timeout_ms = a.timeout_ms};
    if ((rc = rf_client_new(&o, &c, err, sizeof(err))) != 0) {
        rc = fail(rc, err);
        goto out;
    }
    if (power)
        rc = do_power(c, &a, err, sizeof(err));
    else if (boot)
        rc = do_boot(c, &a, err, sizeof(err));
    else
        rc = do_media(c, &a, err, sizeof(err));
out:
    rf_client_free(c);
    secret_free(pw);
    return rc;
}
