/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bmc.h - private to sim/: one simulated BMC as a pure protocol engine:
 * a datagram in, at most one datagram out. No sockets, no timers: the
 * fleet (fleet.c) moves the bytes and passes the time in, which keeps
 * 10,000 BMCs cheap (nothing runs while a BMC is idle) and lets unit
 * tests drive a BMC with the client's own codecs.
 *
 * Locking: none; a BMC is used by the one thread that runs its fleet.
 */
#ifndef IC_SIM_BMC_H
#define IC_SIM_BMC_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"

#define SIM_MAX_USERS    8
#define SIM_MAX_SESSIONS 32 /* per BMC; ipmi_sim has 63, real BMCs 4-15 */

struct sim_user {
    char name[17];
    uint8_t pw[20];
    uint8_t pwlen;
    uint8_t priv; /* highest privilege the user may have */
    int enabled;
};

/* What every BMC of a fleet shares (read-only once the fleet runs). */
struct sim_shared {
    const struct sim_model *model;
    uint32_t seed;
    struct sim_user users[SIM_MAX_USERS];
    size_t n_users;
    uint8_t suites[16]; /* cipher suites offered, in preference order */
    size_t n_suites;
    int allow_suite0;
    int no_drift;        /* values stay put (cross-checks against other tools) */
    unsigned timeout_ms; /* session inactivity timeout */
    uint32_t start_wall; /* Unix time the fleet started: SEL and SDR clocks */
    /* the SDR repository of the model, and an index of its records */
    uint8_t *sdr;
    size_t sdr_len;
    uint16_t n_records;
    uint32_t *rec_off; /* offset of record i (record ID i + 1) */
    /* sensor number -> index into model->sensors, or -1 */
    int16_t by_number[256];
};

/* Builds the shared part from a model. Returns 0 or IC_ENOMEM. */
int sim_shared_init(struct sim_shared *sh, const struct sim_model *m, uint32_t seed);
void sim_shared_free(struct sim_shared *sh);
/* Adds a user. Returns 0, IC_ECONFIG (bad name/password) or IC_ETOOBIG. */
int sim_shared_add_user(struct sim_shared *sh, const char *name, const char *pw, int priv,
                        int enabled);

struct sim_bmc;

/* BMC number k (1-based) of a fleet. NULL when out of memory. */
struct sim_bmc *sim_bmc_new(const struct sim_shared *sh, unsigned k);
void sim_bmc_free(struct sim_bmc *b);

/*
 * Handles one datagram that arrived at now_ms (monotonic). Writes the reply
 * to out (at least SIM_MAX_REPLY bytes) and returns its length, or 0 when
 * nothing is to be sent (a packet dropped, as a BMC silently does).
 */
#define SIM_MAX_REPLY 1400
size_t sim_bmc_handle(struct sim_bmc *b, const uint8_t *in, size_t len, uint64_t now_ms,
                      uint8_t *out);

/* Closes sessions idle longer than the timeout. */
void sim_bmc_expire(struct sim_bmc *b, uint64_t now_ms);

/* Counters of one BMC. */
struct sim_bmc_stats {
    uint64_t requests, sessions_opened, auth_failures, drops;
    unsigned sessions_active;
};
void sim_bmc_stats(const struct sim_bmc *b, struct sim_bmc_stats *st);

/* Runtime control (tests, rehearsals). */
int sim_bmc_power(const struct sim_bmc *b);
void sim_bmc_set_power(struct sim_bmc *b, int on);
/* Sets a sensor's value (threshold: engineering units; discrete: state bits); logs SEL events
   for thresholds crossed, as a BMC does. IC_EINVAL if there is no such sensor. */
int sim_bmc_set_sensor(struct sim_bmc *b, const char *name, double value, uint64_t now_ms);
/* Appends a SEL record (bytes 2..15; ID and timestamp assigned). Returns the record ID. */
int sim_bmc_sel_add(struct sim_bmc *b, const uint8_t rec[16], uint64_t now_ms);
/* Logs a standard event of a sensor: offset 0-14, assertion or deassertion. IC_EINVAL if
   there is no such sensor. Returns the record ID. */
int sim_bmc_sel_event(struct sim_bmc *b, const char *sensor, unsigned offset, int deassert,
                      uint64_t now_ms);
/* Drops every session (a BMC reboot). */
void sim_bmc_reboot(struct sim_bmc *b);

#endif
