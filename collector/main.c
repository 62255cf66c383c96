/* SPDX-License-Identifier: Apache-2.0 */
/*
 * main.c - the ipmi-collector binary: one executable, subcommands.
 * Reads as the table of contents: each subcommand lives in its own file.
 */
#include "cli.h"
#include "cmd_db.h"
#include "log.h"

#include <stdio.h>
#include <string.h>

static const char main_help[] =
    "usage: ipmi-collector COMMAND [OPTIONS]\n"
    "\n"
    "Commands:\n"
    "  bmc info   identity of one BMC: Get Device ID and System GUID\n"
    "  bmc ping   RMCP/ASF presence ping (no session, no credentials)\n"
    "  raw        send one IPMI command: raw NETFN CMD [DATA ...]\n"
    "  sensors    every sensor: value, unit, state (ok/warning/critical), thresholds\n"
    "  sel        the System Event Log: sel list [--after ID] | sel info | sel clear --yes\n"
    "  fru        FRU inventory: chassis, board and product serials, part numbers\n"
    "  chassis    chassis status (power, faults, intrusion) | chassis bootdev pxe|disk|cdrom|bios\n"
    "  power      power status | on | off | cycle | reset | soft (confirmed; --yes to disrupt)\n"
    "  dcmi       dcmi power: DCMI power reading\n"
    "  console    the host's serial console over SOL (like ipmitool sol activate; ~. leaves)\n"
    "  redfish    Redfish: power, boot override, virtual media (insert a URL or a local file)\n"
    "  sim        a fleet of simulated BMCs (for the demo, rehearsals, benchmarks)\n"
    "  simctl     control a running sim: sensor values, SEL events, power, faults\n"
    "  check-config  check the daemon's configuration: check-config -c FILE [--print]\n"
    "  inventory  the fleet from the daemon's database: inventory -d DB [--where COL=V] [--json]\n"
    "  query      history from the database: query sensor|sel|states -d DB [--since 2h]\n"
    "  alerts     the alert outbox: alerts list|retry ID|drop ID -d DB [--state dead]\n"
    "  audit      the audit log of API actions: audit -d DB [--who NAME] [--json]\n"
    "  console-log  captured console output: console-log [NAME] -d DB [--grep panic]\n"
    "  daemon     watch the configured fleet, serve /metrics and /ipmi: daemon -c FILE\n"
    "\n"
    "The password is never taken from the command line: -E reads $IPMI_PASSWORD,\n"
    "-f FILE reads a file that only its owner may read (chmod 600).\n"
    "\n"
    "Exit status:\n"
    "  0   success\n"
    "  1   other error\n"
    "  2   bad arguments or configuration\n"
    "  3   authentication failed: wrong password or K_g\n"
    "  4   unknown or disabled user\n"
    "  5   privilege level refused for this user\n"
    "  6   cipher suite refused, not offered, or not allowed by policy\n"
    "  7   no answer from the BMC after all retries\n"
    "  8   unreachable: ICMP error, or the name does not resolve\n"
    "  9   malformed response from the BMC\n"
    "  10  the BMC answered with a non-zero completion code\n"
    "  11  session lost and could not be re-established\n"
    "  12  the BMC has no free session slot\n"
    "\n"
    "Run 'ipmi-collector COMMAND --help' for its options.\n";

int
main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        fputs(main_help, argc < 2 ? stderr : stdout);
        return argc < 2 ? CLI_EXIT_USAGE : 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("ipmi-collector %s\n", IC_VERSION);
        return 0;
    }
    if (strcmp(argv[1], "bmc") == 0)
        return cmd_bmc(argc - 1, argv + 1);
    if (strcmp(argv[1], "raw") == 0)
        return cmd_raw(argc - 1, argv + 1);
    if (strcmp(argv[1], "sensors") == 0)
        return cmd_sensors(argc - 1, argv + 1);
    if (strcmp(argv[1], "sel") == 0)
        return cmd_sel(argc - 1, argv + 1);
    if (strcmp(argv[1], "fru") == 0)
        return cmd_fru(argc - 1, argv + 1);
    if (strcmp(argv[1], "chassis") == 0)
        return cmd_chassis(argc - 1, argv + 1);
    if (strcmp(argv[1], "power") == 0)
        return cmd_power(argc - 1, argv + 1);
    if (strcmp(argv[1], "dcmi") == 0)
        return cmd_dcmi(argc - 1, argv + 1);
    if (strcmp(argv[1], "redfish") == 0)
        return cmd_redfish(argc - 1, argv + 1);
    if (strcmp(argv[1], "console") == 0)
        return cmd_console(argc - 1, argv + 1);
    if (strcmp(argv[1], "sim") == 0)
        return cmd_sim(argc - 1, argv + 1);
    if (strcmp(argv[1], "simctl") == 0)
        return cmd_simctl(argc - 1, argv + 1);
    if (strcmp(argv[1], "check-config") == 0)
        return cmd_check_config(argc - 1, argv + 1);
    if (strcmp(argv[1], "inventory") == 0)
        return cmd_inventory(argc - 1, argv + 1);
    if (strcmp(argv[1], "query") == 0)
        return cmd_query(argc - 1, argv + 1);
    if (strcmp(argv[1], "alerts") == 0)
        return cmd_alerts(argc - 1, argv + 1);
    if (strcmp(argv[1], "audit") == 0)
        return cmd_audit(argc - 1, argv + 1);
    if (strcmp(argv[1], "console-log") == 0)
        return cmd_console_log(argc - 1, argv + 1);
    if (strcmp(argv[1], "daemon") == 0)
        return cmd_daemon(argc - 1, argv + 1);
    fprintf(stderr, "ipmi-collector: unknown command '%s'\n\n%s", argv[1], main_help);
    return CLI_EXIT_USAGE;
}
