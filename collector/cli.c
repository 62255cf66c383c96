/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli.c - shared plumbing of the one-shot client subcommands: option
 * parsing, secrets from the environment or a file (never argv), running a
 * session on a private loop, exit statuses.
 */
#include "cli.h"
#include "ic_err.h"
#include "log.h"
#include "secret.h"

#include <getopt.h>
#include <stdarg.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

const char cli_conn_help[] =
    "Connection options:\n"
    "  -H, --host HOST          BMC address or name (required)\n"
    "  -p, --port PORT          UDP port (default 623)\n"
    "  -U, --user USER          user name (required)\n"
    "  -E, --env-password       read the password from $IPMI_PASSWORD\n"
    "  -f, --password-file FILE read the password from FILE (must be mode 0600)\n"
    "  -C, --cipher-suite N     cipher suite: 17 (default), 3, or auto (17 if offered, else 3)\n"
    "  -L, --privilege LEVEL    user, operator or administrator (default administrator)\n"
    "  -k, --kg-file FILE       BMC key K_g for two-key login (text, or 0x-prefixed hex)\n"
    "  -N, --timeout SECONDS    first retransmission timeout (default 1; x1.5 per retry)\n"
    "  -R, --retries N          retransmissions after the first try (default 3)\n"
    "      --json               print JSON instead of text\n"
    "  -v, --verbose            log what the session does (twice for packet-level detail)\n"
    "      --insecure-allow-cleartext     allow suites 2 and 16 (no encryption)\n"
    "      --insecure-allow-weak-suites   allow suites 1, 6-8, 11, 12, 15 (MD5, no integrity)\n"
    "      --insecure-allow-suite0        allow suite 0 (NO authentication at all)\n"
    "      --insecure-allow-anonymous     allow the empty (null) user name\n";

int
cli_exit_code(int err)
{
    switch (err) {
    case 0:
        return CLI_EXIT_OK;
    case IC_ECONFIG:
    case IC_EINVAL:
        return CLI_EXIT_USAGE;
    case IC_EAUTH:
        return CLI_EXIT_AUTH;
    case IC_EUSER:
        return CLI_EXIT_USER;
    case IC_EPRIV:
        return CLI_EXIT_PRIV;
    case IC_ECIPHER:
        return CLI_EXIT_CIPHER;
    case IC_ETIMEDOUT:
        return CLI_EXIT_TIMEOUT;
    case IC_EUNREACH:
        return CLI_EXIT_UNREACH;
    case IC_EPROTO:
        return CLI_EXIT_PROTO;
    case IC_ECC:
        return CLI_EXIT_CC;
    case IC_ESESSION:
        return CLI_EXIT_SESSION;
    case IC_EBUSY:
        return CLI_EXIT_BUSY;
    default:
        return CLI_EXIT_ERROR;
    }
}

enum {
    OPT_JSON = 256,
    OPT_CLEARTEXT,
    OPT_WEAK,
    OPT_SUITE0,
    OPT_ANON,
};

static const struct option conn_opts[] = {
    {"host", required_argument, NULL, 'H'},
    {"port", required_argument, NULL, 'p'},
    {"user", required_argument, NULL, 'U'},
    {"env-password", no_argument, NULL, 'E'},
    {"password-file", required_argument, NULL, 'f'},
    {"password", required_argument, NULL, 'P'},
    {"cipher-suite", required_argument, NULL, 'C'},
    {"privilege", required_argument, NULL, 'L'},
    {"kg-file", required_argument, NULL, 'k'},
    {"timeout", required_argument, NULL, 'N'},
    {"retries", required_argument, NULL, 'R'},
    {"json", no_argument, NULL, OPT_JSON},
    {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},
    {"insecure-allow-cleartext", no_argument, NULL, OPT_CLEARTEXT},
    {"insecure-allow-weak-suites", no_argument, NULL, OPT_WEAK},
    {"insecure-allow-suite0", no_argument, NULL, OPT_SUITE0},
    {"insecure-allow-anonymous", no_argument, NULL, OPT_ANON},
    {NULL, 0, NULL, 0},
};

static int
parse_uint(const char *s, unsigned long max, unsigned long *out)
{
    char *end;
    if (!s || !*s || *s == '-')
        return -1;
    unsigned long v = strtoul(s, &end, 10);
    if (*end || v > max)
        return -1;
    *out = v;
    return 0;
}

static int usage_err(const char *usage, const char *fmt, ...) IC_PRINTF(2, 3);

static int
usage_err(const char *usage, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "ipmi-collector: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nusage: %s\n", usage);
    return CLI_EXIT_USAGE;
}

static int parse_conn(int argc, char **argv, const char *usage, struct cli_conn *c);

int
cli_parse_conn(int argc, char **argv, const char *usage, struct cli_conn *c)
{
    int rc = parse_conn(argc, argv, usage, c);
    if (rc)
        cli_conn_free(c); /* the caller owns c only on success */
    return rc;
}

static int
parse_conn(int argc, char **argv, const char *usage, struct cli_conn *c)
{
    char err[256];
    int env_pw = 0, rc;
    const char *pwfile = NULL, *kgfile = NULL;
    unsigned long v;
    double secs;
    char *end;

    memset(c, 0, sizeof(*c));
    c->o.cipher_suite = IPMI_SUITE_DEFAULT;
    c->o.privilege = IPMI_PRIV_ADMIN;
    optind = 1;
    opterr = 0;
    int ch;
    while ((ch = getopt_long(argc, argv, "H:p:U:Ef:P:C:L:k:N:R:vh", conn_opts, NULL)) != -1) {
        switch (ch) {
        case 'H':
            c->o.host = optarg;
            break;
        case 'p':
            if (parse_uint(optarg, 65535, &v) || v == 0)
                return usage_err(usage, "invalid port '%s'", optarg);
            c->o.port = (uint16_t)v;
            break;
        case 'U':
            c->o.user = optarg;
            break;
        case 'E':
            env_pw = 1;
            break;
        case 'f':
            pwfile = optarg;
            break;
        case 'P':
            return usage_err(usage, "passwords on the command line are visible to every user "
                                    "(ps); use -E (IPMI_PASSWORD) or -f FILE");
        case 'C':
            if (strcmp(optarg, "auto") == 0)
                c->o.cipher_suite = IPMI_SUITE_AUTO;
            else if (parse_uint(optarg, 255, &v) == 0)
                c->o.cipher_suite = (int)v;
            else
                return usage_err(usage, "invalid cipher suite '%s' (a number, or auto)", optarg);
            break;
        case 'L':
            if ((c->o.privilege = ipmi_priv_parse(optarg)) < 0)
                return usage_err(usage, "invalid privilege '%s' (user, operator or administrator)",
                                 optarg);
            break;
        case 'k':
            kgfile = optarg;
            break;
        case 'N':
            secs = strtod(optarg, &end);
            if (*end || !(secs >= 0.05 && secs <= 60))
                return usage_err(usage, "invalid timeout '%s' (seconds, 0.05 to 60)", optarg);
            c->o.timeout_ms = (unsigned)(secs * 1000);
            break;
        case 'R':
            if (parse_uint(optarg, 20, &v) || v == 0)
                return usage_err(usage, "invalid retries '%s' (1 to 20)", optarg);
            c->o.retries = (unsigned)v;
            break;
        case OPT_JSON:
            c->json = 1;
            break;
        case 'v':
            c->verbose++;
            break;
        case OPT_CLEARTEXT:
            c->o.insecure |= IPMI_ALLOW_CLEARTEXT;
            break;
        case OPT_WEAK:
            c->o.insecure |= IPMI_ALLOW_WEAK_SUITES;
            break;
        case OPT_SUITE0:
            c->o.insecure |= IPMI_ALLOW_SUITE0_INSECURE;
            break;
        case OPT_ANON:
            c->o.insecure |= IPMI_ALLOW_ANONYMOUS_INSECURE;
            break;
        case 'h':
            printf("usage: %s\n\n%s", usage, cli_conn_help);
            return -1;
        default:
            return usage_err(usage, "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    c->args = argv + optind;
    c->nargs = argc - optind;
    if (!c->o.host)
        return usage_err(usage, "missing -H HOST");
    if (!c->o.user)
        return usage_err(usage, "missing -U USER");
    if (env_pw && pwfile)
        return usage_err(usage, "-E and -f are mutually exclusive");
    if (env_pw)
        rc = secret_from_env("IPMI_PASSWORD", &c->password, err, sizeof(err));
    else if (pwfile)
        rc = secret_from_file(pwfile, 1, &c->password, err, sizeof(err));
    else
        return usage_err(usage, "no password: use -E (from $IPMI_PASSWORD) or -f FILE");
    if (rc)
        return usage_err(usage, "%s", err);
    if (kgfile) {
        struct secret *text = NULL;
        if ((rc = secret_from_file_max(kgfile, 1, 42, &text, err, sizeof(err))) != 0)
            return usage_err(usage, "%s", err);
        rc = secret_parse_key(text, &c->kg);
        secret_free(text);
        if (rc)
            return usage_err(
                usage, "K_g in %s is neither text nor 0x-prefixed hex of at most 20 bytes", kgfile);
    }
    c->o.password = c->password;
    c->o.kg = c->kg;
    if (c->verbose)
        log_set_level(c->verbose > 1 ? LOG_LVL_DEBUG : LOG_LVL_INFO);
    return 0;
}

void
cli_conn_free(struct cli_conn *c)
{
    secret_free(c->password);
    secret_free(c->kg);
    c->password = c->kg = NULL;
}

/* ---- running a session to completion -------------------------------------- */

struct cli_run {
    struct poller_loop *pl;
    struct ipmi_session *s;
    cli_step_fn first;
    void *arg;
    int err;
    int finished;
};

static void
on_closed(void *arg, int err)
{
    struct cli_run *run = arg;
    (void)err; /* a failed Close Session changes nothing for the caller */
    ipmi_session_free(run->s);
    run->s = NULL;
}

void
cli_finish(struct cli_run *run, int err, const char *msg)
{
    if (run->finished)
        return;
    run->finished = 1;
    run->err = err;
    if (err && msg)
        fprintf(stderr, "ipmi-collector: %s\n", msg);
    ipmi_session_close(run->s, on_closed, run);
}

static void
on_open(void *arg, int err)
{
    struct cli_run *run = arg;
    if (err) {
        cli_finish(run, err, ipmi_session_errmsg(run->s));
        return;
    }
    log_info("session open with cipher suite %d", ipmi_session_cipher_suite(run->s));
    run->first(run, run->s, run->arg);
}

int
cli_run_session(const struct cli_conn *c, cli_step_fn first, void *arg)
{
    char err[512];
    struct cli_run run = {.first = first, .arg = arg};
    run.pl = poller_loop_new();
    if (!run.pl) {
        fprintf(stderr, "ipmi-collector: out of memory\n");
        return CLI_EXIT_ERROR;
    }
    int rc = ipmi_session_new(run.pl, &c->o, &run.s, err, sizeof(err));
    if (rc) {
        fprintf(stderr, "ipmi-collector: %s\n", err);
        poller_loop_free(run.pl);
        return cli_exit_code(rc);
    }
    rc = ipmi_session_open(run.s, on_open, &run);
    if (rc) {
        fprintf(stderr, "ipmi-collector: cannot open session: %s\n", ic_strerror(rc));
        ipmi_session_free(run.s);
        run.err = rc;
    }
    poller_loop_run(run.pl);
    poller_loop_free(run.pl);
    return cli_exit_code(run.err);
}
