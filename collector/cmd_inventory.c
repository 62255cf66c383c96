/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_inventory.c - `ipmi-collector inventory`: one row per target the daemon
 * has stored (identity, state, FRU serials, labels), read-only from its
 * database, filtered by label or by any output column.
 */
#include "cmd_db.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "ic_err.h"
#include "storage.h"

#define INV_MAX_FILTERS 32

static const char inventory_help[] =
    "usage: ipmi-collector inventory [-d DB | -c CONFIG] [--label K=V]...\n"
    "                                [--where COLUMN=VALUE]... [--json | --csv]\n"
    "\n"
    "One row per target in the daemon's database: name, address, configured, state,\n"
    "last_seen (ISO 8601 UTC), manufacturer, manufacturer_id, product_id, firmware,\n"
    "ipmi_version, guid, board_serial, product_serial, product_name, labels, last_error.\n"
    "\n"
    "  -d, --database FILE     the SQLite database\n"
    "  -c, --config FILE       or: the daemon's configuration (its 'database' setting)\n"
    "  -l, --label K=V         only targets with label K set to V (repeatable: all must hold)\n"
    "  -w, --where COLUMN=V    only rows whose COLUMN prints as V (repeatable)\n"
    "      --json | --csv      output format (default: a text table)\n"
    "  -h, --help              this text\n"
    "\n"
    "Exit status: 0 ok, 1 database error, 2 bad arguments or unknown column.\n";

/* "k=v" -> name/value pointing into arg (the '=' is overwritten). */
static int
split_kv(char *arg, struct storage_label *out)
{
    char *eq = strchr(arg, '=');
    if (!eq || eq == arg)
        return -1;
    *eq = '\0';
    out->name = arg;
    out->value = eq + 1;
    return 0;
}

int
cmd_inventory(int argc, char **argv)
{
    static const struct option opts[] = {
        {"database", required_argument, NULL, 'd'}, {"config", required_argument, NULL, 'c'},
        {"label", required_argument, NULL, 'l'},    {"where", required_argument, NULL, 'w'},
        {"json", no_argument, NULL, 'J'},           {"csv", no_argument, NULL, 'C'},
        {"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0}};
    struct storage_label labels[INV_MAX_FILTERS], where[INV_MAX_FILTERS];
    struct storage_filter f = {.labels = labels, .where = where};
    const char *db = NULL, *config = NULL;
    enum storage_format fmt = STORAGE_TEXT;
    int ch, rc;

    optind = 1;
    while ((ch = getopt_long(argc, argv, "d:c:l:w:h", opts, NULL)) != -1) {
        switch (ch) {
        case 'd':
            db = optarg;
            break;
        case 'c':
            config = optarg;
            break;
        case 'l':
        case 'w': {
            struct storage_label *v = ch == 'l' ? labels : where;
            size_t *n = ch == 'l' ? &f.nlabels : &f.nwhere;
            if (*n == INV_MAX_FILTERS || split_kv(optarg, &v[*n]) != 0) {
                fprintf(stderr,
                        "ipmi-collector inventory: --%s wants NAME=VALUE (at most %d): %s\n",
                        ch == 'l' ? "label" : "where", INV_MAX_FILTERS, optarg);
                return CLI_EXIT_USAGE;
            }
            (*n)++;
            break;
        }
        case 'J':
            fmt = STORAGE_JSON;
            break;
        case 'C':
            fmt = STORAGE_CSV;
            break;
        case 'h':
            fputs(inventory_help, stdout);
            return CLI_EXIT_OK;
        default:
            fputs(inventory_help, stderr);
            return CLI_EXIT_USAGE;
        }
    }
    if (optind != argc) {
        fprintf(stderr, "ipmi-collector inventory: unexpected argument: %s\n\n%s", argv[optind],
                inventory_help);
        return CLI_EXIT_USAGE;
    }
    struct storage *st = NULL;
    if ((rc = cmd_db_open(db, config, &st)) != 0)
        return rc;
    rc = storage_query_inventory(st, &f, fmt, stdout);
    if (rc != 0)
        fprintf(stderr, "ipmi-collector inventory: %s\n", storage_errmsg(st));
    storage_close(st);
    return rc ? cli_exit_code(rc) : CLI_EXIT_OK;
}
