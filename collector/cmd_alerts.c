/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_alerts.c - `ipmi-collector alerts list|retry|drop`: the alert outbox in
 * the daemon's database. `list` reads (the daemon may be running); `retry`
 * and `drop` write through the storage layer's own writer (storage_close
 * commits), so SQLite's locking orders them with a running daemon's writes.
 */
#include "cmd_db.h"

#include <getopt.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ic_err.h"
#include "storage.h"

static const char alerts_help[] =
    "usage: ipmi-collector alerts list [--state pending|dead] [--target T] [--json | --csv] [DB]\n"
    "       ipmi-collector alerts retry ID | --all-dead [DB]\n"
    "       ipmi-collector alerts drop ID [DB]\n"
    "\n"
    "The alert outbox: one row per alert and receiver until the receiver accepted it.\n"
    "  list    every row: id, target, receiver, state (pending or dead), attempts, queued,\n"
    "          next_try, kind, status, severity, summary, last_error, key\n"
    "  retry   a dead (or pending) row is tried again now, its max_age counted from now\n"
    "  drop    removes a row: that receiver never gets the alert\n"
    "\n"
    "  -d, --database FILE   the SQLite database\n"
    "  -c, --config FILE     or: the daemon's configuration (its 'database' setting)\n"
    "  -s, --state STATE     list: only pending or only dead rows\n"
    "  -t, --target NAME     list: only this target's rows\n"
    "  -a, --all-dead        retry: every dead row\n"
    "      --json | --csv    list: output format (default: a text table)\n"
    "  -h, --help            this text\n"
    "\n"
    "Exit status: 0 ok, 1 database error or no such row, 2 bad arguments.\n";

static int
usage_error(const char *msg, const char *arg)
{
    fprintf(stderr, "ipmi-collector alerts: %s%s%s\n\n%s", msg, arg ? ": " : "", arg ? arg : "",
            alerts_help);
    return CLI_EXIT_USAGE;
}

/*
 * The outbox rows (id, state, target, receiver) as JSON, read through the
 * storage layer's own query: the root array in *out (caller puts it).
 */
static int
read_rows(struct storage *st, const char *state, struct json_object **out)
{
    char *text = NULL;
    size_t len = 0;
    struct storage_filter f = {.grep = state};
    FILE *fp = open_memstream(&text, &len);
    if (!fp)
        return IC_ENOMEM;
    int rc = storage_query_outbox(st, &f, STORAGE_JSON, fp);
    fclose(fp);
    *out = rc == 0 ? json_tokener_parse(text ? text : "") : NULL;
    free(text);
    if (rc == 0 && (!*out || !json_object_is_type(*out, json_type_array))) {
        json_object_put(*out);
        *out = NULL;
        rc = IC_EIO;
    }
    return rc;
}

static const char *
field(struct json_object *row, const char *k)
{
    struct json_object *v;
    return json_object_object_get_ex(row, k, &v) && v ? json_object_get_string(v) : "";
}

/* The row with this id, or NULL (borrowed from rows). */
static struct json_object *
find_row(struct json_object *rows, int64_t id)
{
    for (size_t i = 0; i < json_object_array_length(rows); i++) {
        struct json_object *r = json_object_array_get_idx(rows, i), *v;
        if (json_object_object_get_ex(r, "id", &v) && json_object_get_int64(v) == id)
            return r;
    }
    return NULL;
}

static int
parse_id(const char *s, int64_t *id)
{
    char *end;
    long long v = strtoll(s, &end, 10);
    if (end == s || *end || v <= 0)
        return -1;
    *id = v;
    return 0;
}

/* retry / drop: what the operator asked, checked against the rows first, then done. */
static int
act(const char *verb, const char *db, const char *config, int64_t id)
{
    struct storage *st = NULL;
    struct json_object *rows = NULL;
    int rc = cmd_db_open_mode(db, config, 0, &st);
    if (rc != 0)
        return rc;
    int retry = strcmp(verb, "retry") == 0;
    if ((rc = read_rows(st, id == 0 ? "dead" : NULL, &rows)) != 0) {
        fprintf(stderr, "ipmi-collector alerts: %s\n", storage_errmsg(st));
        storage_close(st);
        return cli_exit_code(rc);
    }
    size_t n = json_object_array_length(rows);
    struct json_object *row = id ? find_row(rows, id) : NULL;
    if (id && !row) {
        fprintf(stderr, "ipmi-collector alerts: no outbox row %lld\n", (long long)id);
        rc = CLI_EXIT_ERROR;
    } else if (id == 0 && n == 0) {
        printf("no dead rows\n");
    } else {
        rc = retry ? storage_outbox_retry(st, id) : storage_outbox_drop(st, id);
        if (rc != 0) {
            fprintf(stderr, "ipmi-collector alerts: %s\n", storage_errmsg(st));
            rc = cli_exit_code(rc);
        } else if (id) {
            printf("%s row %lld (%s, target %s, receiver %s, alert %s)\n",
                   retry ? "retrying" : "dropped", (long long)id, field(row, "state"),
                   field(row, "target"), field(row, "receiver"), field(row, "key"));
        } else {
            printf("retrying %zu dead row%s\n", n, n == 1 ? "" : "s");
        }
    }
    json_object_put(rows);
    storage_close(st); /* commits the retry or drop */
    return rc;
}

int
cmd_alerts(int argc, char **argv)
{
    static const struct option opts[] = {{"database", required_argument, NULL, 'd'},
                                         {"config", required_argument, NULL, 'c'},
                                         {"state", required_argument, NULL, 's'},
                                         {"target", required_argument, NULL, 't'},
                                         {"all-dead", no_argument, NULL, 'a'},
                                         {"json", no_argument, NULL, 'J'},
                                         {"csv", no_argument, NULL, 'C'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *db = NULL, *config = NULL, *state = NULL, *target = NULL;
    enum storage_format fmt = STORAGE_TEXT;
    int ch, all_dead = 0, rc;

    optind = 1;
    while ((ch = getopt_long(argc, argv, "d:c:s:t:ah", opts, NULL)) != -1) {
        switch (ch) {
        case 'd':
            db = optarg;
            break;
        case 'c':
            config = optarg;
            break;
        case 's':
            if (strcmp(optarg, "pending") != 0 && strcmp(optarg, "dead") != 0)
                return usage_error("--state wants pending or dead", optarg);
            state = optarg;
            break;
        case 't':
            target = optarg;
            break;
        case 'a':
            all_dead = 1;
            break;
        case 'J':
            fmt = STORAGE_JSON;
            break;
        case 'C':
            fmt = STORAGE_CSV;
            break;
        case 'h':
            fputs(alerts_help, stdout);
            return CLI_EXIT_OK;
        default:
            fputs(alerts_help, stderr);
            return CLI_EXIT_USAGE;
        }
    }
    if (optind >= argc)
        return usage_error("which action? list, retry or drop", NULL);
    const char *verb = argv[optind++];
    if (strcmp(verb, "list") == 0) {
        if (optind != argc)
            return usage_error("unexpected argument", argv[optind]);
        struct storage *st = NULL;
        struct storage_filter f = {.target = target, .grep = state};
        if ((rc = cmd_db_open(db, config, &st)) != 0)
            return rc;
        rc = storage_query_outbox(st, &f, fmt, stdout);
        if (rc != 0)
            fprintf(stderr, "ipmi-collector alerts: %s\n", storage_errmsg(st));
        storage_close(st);
        return rc ? cli_exit_code(rc) : CLI_EXIT_OK;
    }
    if (strcmp(verb, "retry") != 0 && strcmp(verb, "drop") != 0)
        return usage_error("unknown action", verb);
    if (state || target || fmt != STORAGE_TEXT)
        return usage_error("--state, --target, --json and --csv are for list", NULL);
    int64_t id = 0;
    if (all_dead) {
        if (strcmp(verb, "retry") != 0)
            return usage_error("--all-dead is for retry", NULL);
        if (optind != argc)
            return usage_error("give an ID or --all-dead, not both", argv[optind]);
    } else {
        if (optind + 1 != argc || parse_id(argv[optind], &id) != 0)
            return usage_error("wants one row ID (a positive number, see `alerts list`)",
                               optind < argc ? argv[optind] : NULL);
    }
    return act(verb, db, config, id);
}
