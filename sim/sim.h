/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sim.h - the sim layer's public header: a fleet of simulated BMCs in one
 * process, each on its own UDP socket, answering IPMI v2.0 RMCP+ like a
 * real BMC (see bmc.h for one BMC).
 */
#ifndef IC_SIM_H
#define IC_SIM_H

#include <stddef.h>
#include <stdint.h>

struct sim_fleet;

struct sim_fleet_opts {
    unsigned n;              /* number of BMCs */
    const char *listen_host; /* consecutive ports on one address (default 127.0.0.1) */
    uint16_t base_port;      /* ... starting here (default 9001) */
    const char *addr_base;   /* or: one port on consecutive IPv4 addresses from here */
    uint16_t port;           /* ... on this port (default 623) */
    uint32_t seed;           /* per-BMC variation */
    unsigned timeout_ms;     /* session inactivity timeout (default 60 s) */
    int allow_suite0;        /* offer cipher suite 0 (to test that clients refuse it) */
    int no_drift;            /* freeze sensor values (for comparisons with other tools) */
    int offer_weak;          /* also offer the MD5 suites 6, 7, 8, 11, 12 (client tests) */
    const char *inventory;   /* file to write: name address port user password, or NULL */
    const char *fleet_file;  /* YAML fleet file (fleetfile.h), or NULL for the built-in model */
    int seed_given;          /* the command line's seed/timeout win over the fleet file's */
    int timeout_given;
};

/* Creates the BMCs and binds their sockets. Returns 0, or IC_E* with a message in err. */
int sim_fleet_new(const struct sim_fleet_opts *o, struct sim_fleet **out, char *err, size_t errlen);
/* Serves until SIGINT/SIGTERM or sim_fleet_stop(). Returns 0 or IC_EIO. */
int sim_fleet_run(struct sim_fleet *f);
void sim_fleet_stop(struct sim_fleet *f);
void sim_fleet_free(struct sim_fleet *f);

/*
 * Starts the HTTP/JSON control endpoint on host:port, served on the fleet's
 * own loop (see control.c for the routes). Returns 0 or IC_EIO with a message.
 */
int sim_fleet_control(struct sim_fleet *f, const char *host, uint16_t port, char *err,
                      size_t errlen);

/* Totals over the fleet. */
struct sim_fleet_stats {
    uint64_t datagrams, replies, requests, sessions_opened, auth_failures, drops;
    uint64_t dropped_by_fault, hostile_sent;
    unsigned sessions_active;
};
void sim_fleet_stats(const struct sim_fleet *f, struct sim_fleet_stats *st);

#endif
