/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_audit.c - `ipmi-collector audit`: the actions asked through the API
 * (who, from where, what, which targets, when, how it ended), read-only from
 * the daemon's database.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "cli.h"
#include "cmd_db.h"
#include "storage.h"

static const char audit_help[] =
    "usage: ipmi-collector audit [--who NAME] [--target T] [--grep TEXT] [--since DURATION]\n"
    "                            [--after ID] [--limit N] [--json | --csv] [-d FILE | -c FILE]\n"
    "\n"
    "The audit log: every action asked through the API (power, boot device), who\n"
    "asked it (the token's name), from which address, which targets, when, and the\n"
    "result (ok, failed, partial, or refused with the reason), oldest first.\n"
    "\n"
    "  -d, --database FILE   the SQLite database\n"
    "  -c, --config FILE     or: the daemon's configuration (its 'database' setting)\n"
    "  -w, --who NAME        only actions asked with this token\n"
    "  -t, --target NAME     only actions that included this target\n"
    "  -g, --grep TEXT       TEXT in the action, its parameters or its result\n"
    "  -S, --since DURATION  only the last DURATION: 90s, 15m, 2h, 7d, 1w\n"
    "      --after ID        rows after this id (paging)\n"
    "      --limit N         at most N rows\n"
    "      --json | --csv    output format (default: a text table)\n"
    "  -h, --help            this text\n"
    "\n"
    "Exit status: 0 ok, 1 database error, 2 bad arguments.\n";

static int
usage_error(const char *msg, const char *arg)
{
    fprintf(stderr, "ipmi-collector audit: %s%s%s\n\n%s", msg, arg ? ": " : "", arg ? arg : "",
            audit_help);
    return CLI_EXIT_USAGE;
}

static int
count(const char *s, unsigned long long *v)
{
    char *end;
    if (!s || !*s || *s == '-')
        return -1;
    *v = strtoull(s, &end, 10);
    return *end ? -1 : 0;
}

int
cmd_audit(int argc, char **argv)
{
    static const struct option opts[] = {
        {"database", required_argument, NULL, 'd'}, {"config", required_argument, NULL, 'c'},
        {"who", required_argument, NULL, 'w'},      {"target", required_argument, NULL, 't'},
        {"grep", required_argument, NULL, 'g'},     {"since", required_argument, NULL, 'S'},
        {"after", required_argument, NULL, 'A'},    {"limit", required_argument, NULL, 'L'},
        {"json", no_argument, NULL, 'J'},           {"csv", no_argument, NULL, 'C'},
        {"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0}};
    const char *db = NULL, *config = NULL;
    struct storage_filter f = {0};
    enum storage_format fmt = STORAGE_TEXT;
    uint64_t since = 0;
    unsigned long long n;
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "d:c:w:t:g:S:h", opts, NULL)) != -1) {
        switch (ch) {
        case 'd':
            db = optarg;
            break;
        case 'c':
            config = optarg;
            break;
        case 'w':
            f.who = optarg;
            break;
        case 't':
            f.target = optarg;
            break;
        case 'g':
            f.grep = optarg;
            break;
        case 'S':
            if (cmd_db_parse_duration(optarg, &since) != 0)
                return usage_error("bad --since duration (90s, 15m, 2h, 7d, 1w)", optarg);
            break;
        case 'A':
            if (count(optarg, &n) != 0 || n > INT64_MAX)
                return usage_error("--after takes a row id", optarg);
            f.after_id = (int64_t)n;
            break;
        case 'L':
            if (count(optarg, &n) != 0 || n == 0)
                return usage_error("--limit takes a positive number", optarg);
            f.limit = (size_t)n;
            break;
        case 'J':
            fmt = STORAGE_JSON;
            break;
        case 'C':
            fmt = STORAGE_CSV;
            break;
        case 'h':
            fputs(audit_help, stdout);
            return CLI_EXIT_OK;
        default:
            fputs(audit_help, stderr);
            return CLI_EXIT_USAGE;
        }
    }
    if (optind != argc)
        return usage_error("unexpected argument", argv[optind]);
    if (since) {
        uint64_t now = clock_wall_ms();
        f.since_unix_ms = now > since ? now - since : 0;
    }
    struct storage *st = NULL;
    int rc = cmd_db_open(db, config, &st);
    if (rc != 0)
        return rc;
    rc = storage_query_audit(st, &f, fmt, stdout);
    if (rc != 0)
        fprintf(stderr, "ipmi-collector: %s\n", storage_errmsg(st));
    storage_close(st);
    return rc ? cli_exit_code(rc) : CLI_EXIT_OK;
}
