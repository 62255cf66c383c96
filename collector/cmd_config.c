/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_config.c - `ipmi-collector check-config -c FILE [--print]`: loads the
 * daemon's configuration (config/cfg.h) and reports every error, or prints
 * the canonical form.
 *
 * Output: "FILE: OK (N targets)" on stdout; with --print the canonical
 * configuration on stdout instead (and the OK line on stderr), so that the
 * output can be saved and parsed again. Errors go to stderr, exit status 2.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "cli.h"
#include "ic_err.h"

static const char check_help[] =
    "usage: ipmi-collector check-config -c FILE [--print]\n"
    "\n"
    "Checks the daemon's configuration file and prints every error as\n"
    "FILE:LINE:COLUMN: message. Exit status 0 if valid, 2 otherwise.\n"
    "\n"
    "  -c, --config FILE  the configuration file\n"
    "  -p, --print        print the canonical configuration (defaults filled in,\n"
    "                     ranges and inventory expanded, secrets hidden)\n"
    "  -h, --help         this text\n";

int
cmd_check_config(int argc, char **argv)
{
    static const struct option opts[] = {{"config", required_argument, NULL, 'c'},
                                         {"print", no_argument, NULL, 'p'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *path = NULL;
    int print = 0, ch;

    optind = 1;
    while ((ch = getopt_long(argc, argv, "c:ph", opts, NULL)) != -1) {
        switch (ch) {
        case 'c':
            path = optarg;
            break;
        case 'p':
            print = 1;
            break;
        case 'h':
            fputs(check_help, stdout);
            return CLI_EXIT_OK;
        default:
            fputs(check_help, stderr);
            return CLI_EXIT_USAGE;
        }
    }
    if (!path || optind != argc) {
        fputs(check_help, stderr);
        return CLI_EXIT_USAGE;
    }
    size_t errlen = 64 * 1024;
    char *err = malloc(errlen);
    struct cfg *c = NULL;
    if (!err) {
        fprintf(stderr, "ipmi-collector: out of memory\n");
        return CLI_EXIT_ERROR;
    }
    int rc = cfg_load(path, &c, err, errlen);
    if (rc != 0) {
        fprintf(stderr, "%s\n", err);
        free(err);
        return rc == IC_ENOMEM ? CLI_EXIT_ERROR : CLI_EXIT_USAGE;
    }
    free(err);
    if (print) {
        rc = cfg_print(c, stdout);
        fprintf(stderr, "%s: OK (%zu targets)\n", path, cfg_ntargets(c));
    } else {
        printf("%s: OK (%zu targets)\n", path, cfg_ntargets(c));
    }
    cfg_free(c);
    return rc == 0 ? CLI_EXIT_OK : CLI_EXIT_ERROR;
}
