/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli.h - what the client subcommands share: connection options (-H -p -U
 * -E -f -C -L ...), running one session to completion on a private loop,
 * and the mapping from IC_E* codes to documented exit statuses.
 */
#ifndef IC_CLI_H
#define IC_CLI_H

#include <stdio.h>

#include "poller.h"

struct secret;

/* Exit statuses, documented in `ipmi-collector --help`. */
enum cli_exit {
    CLI_EXIT_OK = 0,
    CLI_EXIT_ERROR = 1,    /* anything not listed below */
    CLI_EXIT_USAGE = 2,    /* bad arguments or configuration */
    CLI_EXIT_AUTH = 3,     /* wrong password or K_g */
    CLI_EXIT_USER = 4,     /* unknown or disabled user */
    CLI_EXIT_PRIV = 5,     /* privilege level refused */
    CLI_EXIT_CIPHER = 6,   /* cipher suite refused or not offered */
    CLI_EXIT_TIMEOUT = 7,  /* no answer after all retries */
    CLI_EXIT_UNREACH = 8,  /* unreachable (ICMP) or name does not resolve */
    CLI_EXIT_PROTO = 9,    /* malformed response */
    CLI_EXIT_CC = 10,      /* the BMC answered with a non-zero completion code */
    CLI_EXIT_SESSION = 11, /* session lost */
    CLI_EXIT_BUSY = 12,    /* BMC out of sessions */
};

/* Maps an IC_E* code to an exit status. */
int cli_exit_code(int err);

/* Connection options of one BMC, as parsed from argv. Owns its secrets. */
struct cli_conn {
    struct ipmi_session_opts o;
    struct secret *password;
    struct secret *kg;
    int json;
    int verbose;
    char **args; /* positional arguments left after the options */
    int nargs;
};

/*
 * Parses argv (after the subcommand words). Prints an error and returns
 * CLI_EXIT_USAGE on bad input, 0 otherwise; -1 when --help was printed.
 */
int cli_parse_conn(int argc, char **argv, const char *usage, struct cli_conn *c);
void cli_conn_free(struct cli_conn *c);

/* The usage text of the connection options. */
extern const char cli_conn_help[];

/*
 * A step of a one-shot client command: called on the loop with the session
 * open; it submits requests and, when all is done, calls cli_finish().
 */
struct cli_run;
typedef void (*cli_step_fn)(struct cli_run *run, struct ipmi_session *s, void *arg);

/* Opens a session with c, runs first(), closes the session. Returns an exit status. */
int cli_run_session(const struct cli_conn *c, cli_step_fn first, void *arg);
/* Ends the run with err (0 or IC_E*); message printed to stderr if err. */
void cli_finish(struct cli_run *run, int err, const char *msg);

int cmd_bmc(int argc, char **argv);
int cmd_raw(int argc, char **argv);
int cmd_sensors(int argc, char **argv);
int cmd_sel(int argc, char **argv);
int cmd_fru(int argc, char **argv);
int cmd_chassis(int argc, char **argv);
int cmd_power(int argc, char **argv);
int cmd_dcmi(int argc, char **argv);
int cmd_console(int argc, char **argv);
/* console_remote.c: `console NAME --server URL` (argv as cmd_console got it). */
int console_remote(int argc, char **argv);
int cmd_redfish(int argc, char **argv);
int cmd_sim(int argc, char **argv);
int cmd_simctl(int argc, char **argv);
int cmd_check_config(int argc, char **argv);
int cmd_daemon(int argc, char **argv);

#endif
