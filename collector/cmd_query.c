/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_query.c - `ipmi-collector query sensor|sel|states`: history from the
 * daemon's database, read-only (works whether the daemon runs or not), and
 * the helpers the database commands share (cmd_db.h).
 */
#include "clock.h"
#include "cmd_db.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cfg.h"
#include "cli.h"
#include "ic_err.h"
#include "storage.h"

static const char query_help[] =
    "usage: ipmi-collector query sensor TARGET SENSOR_NAME [--since DURATION] [FORMAT] [DB]\n"
    "       ipmi-collector query sel [--target T] [--grep TEXT] [--severity LEVEL]\n"
    "                                [--since DURATION] [FORMAT] [DB]\n"
    "       ipmi-collector query states [--target T] [--since DURATION] [FORMAT] [DB]\n"
    "\n"
    "History stored by the daemon, read-only (the daemon may be running).\n"
    "  sensor   one sensor's readings, oldest first: raw rows, and the downsampled\n"
    "           rows (min/avg/max/count per period) that older readings were folded into\n"
    "  sel      SEL entries across the fleet, in the order they were stored\n"
    "  states   state transitions of targets (up, down, ...) and their errors\n"
    "\n"
    "  -d, --database FILE   the SQLite database\n"
    "  -c, --config FILE     or: the daemon's configuration (its 'database' setting)\n"
    "  -t, --target NAME     only this target (sel, states)\n"
    "  -g, --grep TEXT       sel: TEXT in the sensor, event or detail (case-insensitive)\n"
    "  -s, --severity LEVEL  sel: ok, warning, critical or non-recoverable: this or worse\n"
    "  -S, --since DURATION  only the last DURATION: 90s, 15m, 2h, 7d, 1w\n"
    "      --json | --csv    output format (default: a text table)\n"
    "  -h, --help            this text\n"
    "\n"
    "Times are ISO 8601 UTC. Exit status: 0 ok, 1 database error or no such sensor,\n"
    "2 bad arguments.\n";

int
cmd_db_parse_duration(const char *s, uint64_t *ms)
{
    char *end;
    errno = 0;
    if (!s || !*s || *s == '-')
        return -1;
    unsigned long long v = strtoull(s, &end, 10);
    uint64_t mul;
    if (errno || end == s)
        return -1;
    if (!*end || strcmp(end, "s") == 0)
        mul = 1000;
    else if (strcmp(end, "ms") == 0)
        mul = 1;
    else if (strcmp(end, "m") == 0)
        mul = 60 * 1000;
    else if (strcmp(end, "h") == 0)
        mul = 3600 * 1000;
    else if (strcmp(end, "d") == 0)
        mul = 24 * 3600 * 1000;
    else if (strcmp(end, "w") == 0)
        mul = 7 * 24 * 3600 * 1000;
    else
        return -1;
    if (v > UINT64_MAX / mul)
        return -1;
    *ms = v * mul;
    return 0;
}

int
cmd_db_open(const char *db, const char *config, struct storage **out)
{
    return cmd_db_open_mode(db, config, 1, out);
}

int
cmd_db_open_mode(const char *db, const char *config, int read_only, struct storage **out)
{
    struct storage_opts o = {.read_only = read_only};
    struct cfg *c = NULL;
    char err[1024];
    int rc;
    *out = NULL;
    if (!db && !config) {
        fprintf(stderr, "ipmi-collector: which database? give -d FILE or -c CONFIG\n");
        return CLI_EXIT_USAGE;
    }
    if (!db) {
        size_t errlen = 64 * 1024;
        char *cerr = malloc(errlen);
        if (!cerr)
            return CLI_EXIT_ERROR;
        rc = cfg_load(config, &c, cerr, errlen);
        if (rc) {
            fprintf(stderr, "%s\n", cerr);
            free(cerr);
            return rc == IC_ENOMEM ? CLI_EXIT_ERROR : CLI_EXIT_USAGE;
        }
        free(cerr);
        db = cfg_global(c)->database;
        if (!db || !*db) {
            fprintf(stderr, "ipmi-collector: %s sets no database\n", config);
            cfg_free(c);
            return CLI_EXIT_USAGE;
        }
    }
    rc = storage_open(db, &o, out, err, sizeof(err));
    cfg_free(c);
    if (rc) {
        fprintf(stderr, "ipmi-collector: %s\n", err);
        return rc == IC_ECONFIG ? CLI_EXIT_USAGE : cli_exit_code(rc);
    }
    return 0;
}

static int
parse_severity(const char *s)
{
    static const char *const names[] = {"ok", "warning", "critical", "non-recoverable"};
    for (int i = 0; i < 4; i++)
        if (strcmp(s, names[i]) == 0)
            return i + 1; /* enum ipmi_state */
    return -1;
}

static int
usage_error(const char *msg, const char *arg)
{
    fprintf(stderr, "ipmi-collector query: %s%s%s\n\n%s", msg, arg ? ": " : "", arg ? arg : "",
            query_help);
    return CLI_EXIT_USAGE;
}

int
cmd_query(int argc, char **argv)
{
    static const struct option opts[] = {
        {"database", required_argument, NULL, 'd'}, {"config", required_argument, NULL, 'c'},
        {"target", required_argument, NULL, 't'},   {"grep", required_argument, NULL, 'g'},
        {"severity", required_argument, NULL, 's'}, {"since", required_argument, NULL, 'S'},
        {"json", no_argument, NULL, 'J'},           {"csv", no_argument, NULL, 'C'},
        {"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0}};
    const char *db = NULL, *config = NULL;
    struct storage_filter f = {0};
    enum storage_format fmt = STORAGE_TEXT;
    uint64_t since = 0;
    int ch, rc;

    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(query_help, argc < 2 ? stderr : stdout);
        return argc < 2 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
    }
    const char *what = argv[1];
    if (strcmp(what, "sensor") != 0 && strcmp(what, "sel") != 0 && strcmp(what, "states") != 0)
        return usage_error("unknown query (sensor, sel or states)", what);
    argc--;
    argv++;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "d:c:t:g:s:S:h", opts, NULL)) != -1) {
        switch (ch) {
        case 'd':
            db = optarg;
            break;
        case 'c':
            config = optarg;
            break;
        case 't':
            f.target = optarg;
            break;
        case 'g':
            f.grep = optarg;
            break;
        case 's':
            if ((f.min_severity = parse_severity(optarg)) < 0)
                return usage_error("--severity is ok, warning, critical or non-recoverable",
                                   optarg);
            break;
        case 'S':
            if (cmd_db_parse_duration(optarg, &since) != 0)
                return usage_error("bad --since duration (90s, 15m, 2h, 7d, 1w)", optarg);
            break;
        case 'J':
            fmt = STORAGE_JSON;
            break;
        case 'C':
            fmt = STORAGE_CSV;
            break;
        case 'h':
            fputs(query_help, stdout);
            return CLI_EXIT_OK;
        default:
            fputs(query_help, stderr);
            return CLI_EXIT_USAGE;
        }
    }
    int npos = argc - optind;
    int sensor = strcmp(what, "sensor") == 0;
    if (sensor && npos != 2)
        return usage_error("query sensor needs TARGET and SENSOR_NAME", NULL);
    if (!sensor && npos != 0)
        return usage_error("unexpected argument", argv[optind]);
    if (sensor) {
        f.target = argv[optind];
        f.sensor = argv[optind + 1];
    }
    if ((f.grep || f.min_severity) && strcmp(what, "sel") != 0)
        return usage_error("--grep and --severity are for query sel", NULL);
    if (since) {
        uint64_t now = clock_wall_ms();
        f.since_unix_ms = now > since ? now - since : 0;
    }

    struct storage *st = NULL;
    if ((rc = cmd_db_open(db, config, &st)) != 0)
        return rc;
    if (sensor)
        rc = storage_query_sensor(st, &f, fmt, stdout);
    else if (strcmp(what, "sel") == 0)
        rc = storage_query_sel(st, &f, fmt, stdout);
    else
        rc = storage_query_states(st, &f, fmt, stdout);
    if (rc != 0)
        fprintf(stderr, "ipmi-collector: %s\n", storage_errmsg(st));
    storage_close(st);
    if (rc == 1)
        return CLI_EXIT_ERROR;
    return rc ? cli_exit_code(rc) : CLI_EXIT_OK;
}
