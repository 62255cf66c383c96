/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_logs.c - the daemon's two logs, read-only from its database:
 *   `ipmi-collector audit`: the actions asked through the API (who, from
 *       where, what, which targets, when, how it ended);
 *   `ipmi-collector console-log [NAME]`: console output captured over SOL.
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

static const char console_log_help[] =
    "usage: ipmi-collector console-log [NAME] [--grep TEXT] [--since DURATION] [--after ID]\n"
    "                                  [--limit N] [--json | --csv] [-d FILE | -c FILE]\n"
    "\n"
    "Console output the daemon captured over Serial-over-LAN (targets with\n"
    "'console: capture'), one line per row, oldest first: boot messages, kernel\n"
    "panics, login prompts. Without NAME, every target's (each line after its target).\n"
    "\n"
    "  -d, --database FILE   the SQLite database\n"
    "  -c, --config FILE     or: the daemon's configuration (its 'database' setting)\n"
    "  -g, --grep TEXT       only lines with TEXT (case-insensitive)\n"
    "  -S, --since DURATION  only the last DURATION: 90s, 15m, 2h, 7d, 1w\n"
    "      --after ID        lines after this id (paging; --json shows ids)\n"
    "      --limit N         at most N lines\n"
    "      --json | --csv    output format (default: TIME LINE)\n"
    "  -h, --help            this text\n"
    "\n"
    "Exit status: 0 ok, 1 database error, 2 bad arguments.\n";

static int
usage_error(const char *cmd, const char *help, const char *msg, const char *arg)
{
    fprintf(stderr, "ipmi-collector %s: %s%s%s\n\n%s", cmd, msg, arg ? ": " : "", arg ? arg : "",
            help);
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

typedef int (*query_fn)(struct storage *, const struct storage_filter *, enum storage_format,
                        FILE *);

/* console: one optional NAME, no --who/--target; audit: no positional argument. */
static int
run(int argc, char **argv, int console)
{
    const char *cmd = console ? "console-log" : "audit";
    const char *help = console ? console_log_help : audit_help;
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
        case 't':
            if (console)
                return usage_error(cmd, help, "unknown option", argv[optind - 1]);
            *(ch == 'w' ? &f.who : &f.target) = optarg;
            break;
        case 'g':
            f.grep = optarg;
            break;
        case 'S':
            if (cmd_db_parse_duration(optarg, &since) != 0)
                return usage_error(cmd, help, "bad --since duration (90s, 15m, 2h, 7d, 1w)",
                                   optarg);
            break;
        case 'A':
            if (count(optarg, &n) != 0 || n > INT64_MAX)
                return usage_error(cmd, help, "--after takes a row id", optarg);
            f.after_id = (int64_t)n;
            break;
        case 'L':
            if (count(optarg, &n) != 0 || n == 0)
                return usage_error(cmd, help, "--limit takes a positive number", optarg);
            f.limit = (size_t)n;
            break;
        case 'J':
            fmt = STORAGE_JSON;
            break;
        case 'C':
            fmt = STORAGE_CSV;
            break;
        case 'h':
            fputs(help, stdout);
            return CLI_EXIT_OK;
        default:
            fputs(help, stderr);
            return CLI_EXIT_USAGE;
        }
    }
    if (console && optind < argc)
        f.target = argv[optind++];
    if (optind != argc)
        return usage_error(cmd, help, "unexpected argument", argv[optind]);
    if (since) {
        uint64_t now = clock_wall_ms();
        f.since_unix_ms = now > since ? now - since : 0;
    }
    struct storage *st = NULL;
    int rc = cmd_db_open(db, config, &st);
    if (rc != 0)
        return rc;
    query_fn q = console ? storage_query_console : storage_query_audit;
    rc = q(st, &f, fmt, stdout);
    if (rc != 0)
        fprintf(stderr, "ipmi-collector: %s\n", storage_errmsg(st));
    storage_close(st);
    return rc ? cli_exit_code(rc) : CLI_EXIT_OK;
}

int
cmd_audit(int argc, char **argv)
{
    return run(argc, argv, 0);
}

int
cmd_console_log(int argc, char **argv)
{
    return run(argc, argv, 1);
}
