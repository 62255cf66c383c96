/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fleet_int.h - private to sim/: the fleet's structures, shared by fleet.c
 * (sockets, faults) and control.c (the HTTP/JSON control endpoint). Both
 * run on the fleet's one loop thread: no locking.
 */
#ifndef IC_SIM_FLEET_INT_H
#define IC_SIM_FLEET_INT_H

#include <uv.h>

#include "bmc.h"
#include "sim.h"

#define SIM_EXPIRE_MS 5000

/* Faults injected into one BMC's traffic (control endpoint: POST /faults, /pause). */
struct sim_faults {
    uint16_t loss_permille; /* inbound datagrams dropped */
    uint16_t latency_ms;    /* replies delayed by latency +- jitter */
    uint16_t jitter_ms;
    uint8_t hostile; /* malformed replies sent before each genuine one */
    uint8_t paused;  /* no answer at all */
};

struct sim_slot {
    uv_udp_t udp;
    struct sim_bmc *bmc;
    struct sim_fleet *f;
    struct sim_faults faults;
};

struct sim_fleet {
    uv_loop_t loop;
    uv_timer_t expire;
    uv_signal_t sigint, sigterm;
    struct sim_model *model; /* owned copy: a fleet file may change it */
    struct sim_shared sh;
    struct sim_slot *slots;
    unsigned n, bound;
    uint64_t datagrams, replies, dropped_by_fault, hostile_sent;
    uint32_t rng;
    void *control; /* control.c's state */
    uint8_t rbuf[2048];
    uint8_t wbuf[SIM_MAX_REPLY];
};

/* control.c: stops the endpoint, if any (called by sim_fleet_free). */
void sim_control_stop(struct sim_fleet *f);

#endif
