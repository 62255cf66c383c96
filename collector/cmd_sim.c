/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_sim.c - `ipmi-collector sim`: a fleet of simulated BMCs for the demo,
 * alert rehearsals and benchmarks (the sim layer, sim/sim.h).
 */
#include "cli.h"
#include "ic_err.h"
#include "log.h"
#include "sim.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char sim_usage[] =
    "ipmi-collector sim --bmcs N [--listen HOST:PORT | --addr-base A.B.C.D [--port PORT]]\n"
    "                   [--inventory FILE] [--control HOST:PORT] [--fleet FILE.yml] [--seed N]\n"
    "                   [--timeout SECONDS] [--no-drift] [--offer-weak-suites]\n"
    "                   [--allow-suite0]";

static const char sim_help[] =
    "Simulated BMCs in one process, each on its own UDP socket: BMC k on PORT+k-1 of HOST\n"
    "(--listen, default 127.0.0.1:9001), or on PORT (default 623) of the k-th address from\n"
    "--addr-base (127.0.0.0/8 needs no set-up on Linux; port 623 needs root).\n"
    "Built-in users: admin/admin-secret (ADMINISTRATOR), operator/operator-password-20\n"
    "(OPERATOR), monitor/monitor-ro (USER), olduser (disabled). Cipher suites 17, 3, 16, 2,\n"
    "15, 1. --fleet FILE (YAML, see config/sim-fleet.yml) changes users, suites, identity,\n"
    "sensor values and thresholds and FRU text; --seed and --timeout win over it;\n"
    "suite 0 only with --allow-suite0, the MD5 suites 6-8, 11, 12 only with\n"
    "--offer-weak-suites (to test clients). Sessions idle longer than --timeout (60 s) close.\n"
    "--inventory FILE is written (name address port user password) once every socket is bound.\n"
    "--control HOST:PORT serves an HTTP/JSON control API (sensor values, SEL events, power,\n"
    "pause/resume/reboot, loss/latency/hostile faults): see `ipmi-collector simctl --help`.\n"
    "Values drift slowly inside their thresholds; --no-drift freezes them.\n"
    "Stops on SIGINT or SIGTERM.\n";

static int
parse_hostport(const char *s, char *host, size_t hostlen, uint16_t *port)
{
    const char *colon = strrchr(s, ':');
    char *end;
    if (!colon || (size_t)(colon - s) >= hostlen)
        return -1;
    unsigned long p = strtoul(colon + 1, &end, 10);
    if (*end || p == 0 || p > 65535)
        return -1;
    memcpy(host, s, (size_t)(colon - s));
    host[colon - s] = '\0';
    *port = (uint16_t)p;
    return 0;
}

int
cmd_sim(int argc, char **argv)
{
    static const struct option opts[] = {{"bmcs", required_argument, NULL, 'n'},
                                         {"listen", required_argument, NULL, 'l'},
                                         {"addr-base", required_argument, NULL, 'a'},
                                         {"port", required_argument, NULL, 'p'},
                                         {"inventory", required_argument, NULL, 'i'},
                                         {"seed", required_argument, NULL, 's'},
                                         {"timeout", required_argument, NULL, 't'},
                                         {"allow-suite0", no_argument, NULL, '0'},
                                         {"control", required_argument, NULL, 'c'},
                                         {"fleet", required_argument, NULL, 'f'},
                                         {"no-drift", no_argument, NULL, 'D'},
                                         {"offer-weak-suites", no_argument, NULL, 'W'},
                                         {"verbose", no_argument, NULL, 'v'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    struct sim_fleet_opts o = {.n = 0};
    char host[64], err[512], chost[64] = "";
    uint16_t cport = 0;
    int ch;
    unsigned long v;
    char *end;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "vh", opts, NULL)) != -1) {
        switch (ch) {
        case 'n':
            v = strtoul(optarg, &end, 10);
            if (*end || v == 0 || v > 65000)
                goto usage;
            o.n = (unsigned)v;
            break;
        case 'l':
            if (parse_hostport(optarg, host, sizeof(host), &o.base_port) != 0)
                goto usage;
            o.listen_host = strdup(host);
            break;
        case 'a':
            o.addr_base = optarg;
            break;
        case 'p':
            v = strtoul(optarg, &end, 10);
            if (*end || v == 0 || v > 65535)
                goto usage;
            o.port = (uint16_t)v;
            break;
        case 'i':
            o.inventory = optarg;
            break;
        case 's':
            o.seed = (uint32_t)strtoul(optarg, NULL, 0);
            o.seed_given = 1;
            break;
        case 'f':
            o.fleet_file = optarg;
            break;
        case 'D':
            o.no_drift = 1;
            break;
        case 'W':
            o.offer_weak = 1;
            break;
        case 't':
            v = strtoul(optarg, &end, 10);
            if (*end || v == 0 || v > 3600)
                goto usage;
            o.timeout_ms = (unsigned)v * 1000;
            o.timeout_given = 1;
            break;
        case '0':
            o.allow_suite0 = 1;
            break;
        case 'c':
            if (parse_hostport(optarg, chost, sizeof(chost), &cport) != 0)
                goto usage;
            break;
        case 'v':
            log_set_level(LOG_LVL_INFO);
            break;
        case 'h':
            printf("usage: %s\n\n%s", sim_usage, sim_help);
            return 0;
        default:
            goto usage;
        }
    }
    if (!o.n || optind != argc || (o.addr_base && o.listen_host))
        goto usage;
    struct sim_fleet *f;
    int rc = sim_fleet_new(&o, &f, err, sizeof(err));
    free((char *)(uintptr_t)o.listen_host);
    if (rc) {
        fprintf(stderr, "ipmi-collector: sim: %s\n", err);
        return cli_exit_code(rc);
    }
    if (cport && (rc = sim_fleet_control(f, chost, cport, err, sizeof(err))) != 0) {
        fprintf(stderr, "ipmi-collector: sim: %s\n", err);
        sim_fleet_free(f);
        return cli_exit_code(rc);
    }
    if (cport)
        fprintf(stderr, "ipmi-collector: sim: control endpoint on http://%s:%u/\n", chost, cport);
    fprintf(stderr, "ipmi-collector: sim: %u BMCs ready%s%s\n", o.n,
            o.inventory ? "; inventory in " : "", o.inventory ? o.inventory : "");
    rc = sim_fleet_run(f);
    struct sim_fleet_stats st;
    sim_fleet_stats(f, &st);
    fprintf(stderr,
            "ipmi-collector: sim: stopped: %llu datagrams, %llu requests in %llu sessions, "
            "%llu authentication failures, %llu dropped\n",
            (unsigned long long)st.datagrams, (unsigned long long)st.requests,
            (unsigned long long)st.sessions_opened, (unsigned long long)st.auth_failures,
            (unsigned long long)st.drops);
    sim_fleet_free(f);
    return rc ? CLI_EXIT_ERROR : 0;
usage:
    free((char *)(uintptr_t)o.listen_host);
    fprintf(stderr, "ipmi-collector: bad sim arguments\nusage: %s\n", sim_usage);
    return CLI_EXIT_USAGE;
}
