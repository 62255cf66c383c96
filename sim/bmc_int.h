/* SPDX-License-Identifier: Apache-2.0 */
/* bmc_int.h - private to sim/: struct sim_bmc, shared by bmc.c (protocol) and bmc_cmds.c. */
#ifndef IC_SIM_BMC_INT_H
#define IC_SIM_BMC_INT_H

#include "bmc.h"
#include "crypto.h"
#include "ipmi_msg.h"
#include "rakp.h"
#include "rmcpplus.h"

enum sim_sess_state { SIM_SS_FREE = 0, SIM_SS_OPEN, SIM_SS_RAKP2, SIM_SS_ACTIVE };

struct sim_sess {
    enum sim_sess_state state;
    uint32_t bmc_sid, console_sid;
    const struct ipmi_suite *suite;
    uint8_t max_priv; /* from Open Session, then the role */
    uint8_t priv;     /* current session privilege */
    int user;         /* index into sh->users */
    struct rakp_ctx rk;
    struct crypto_sess *crypto;
    struct rmcpp_sess rs;
    uint64_t last_ms;
};

/* A sensor whose value was set at runtime (overrides the model's drift). */
struct sim_override {
    uint8_t number;
    uint8_t raw;
    uint16_t states;
};

struct sim_bmc {
    const struct sim_shared *sh;
    unsigned k;
    uint8_t sys_guid[16], dev_guid[16];
    int power;
    uint64_t power_on_at; /* a cycle in progress: power returns at this time */
    uint8_t boot_flags[5];
    uint16_t sdr_resv, sel_resv;
    struct sim_sess *sess[SIM_MAX_SESSIONS];
    /* SEL: built from the model on first use */
    int sel_built;
    uint8_t (*sel)[16];
    size_t sel_n, sel_cap;
    uint16_t sel_next_id;
    uint32_t sel_last_add, sel_last_erase;
    struct sim_override *ovr;
    size_t n_ovr;
    uint32_t power_min, power_max;
    uint64_t power_sum, power_samples;
    struct sim_bmc_stats st;
};

/* A decoded request and where its reply goes. */
struct sim_req {
    struct sim_bmc *b;
    struct sim_sess *s; /* NULL for session-less requests */
    struct ipmi_msg_req rq;
    uint64_t now_ms;
};

/* bmc_cmds.c: executes one command; writes cc and data. */
void sim_cmd_dispatch(struct sim_req *r, uint8_t *cc, uint8_t *data, size_t *len);
/* Lowest session privilege a command needs. */
int sim_cmd_priv(uint8_t netfn, uint8_t cmd);
/* Wall-clock seconds for BMC clocks. */
uint32_t sim_wall_now(const struct sim_bmc *b, uint64_t now_ms);

#endif
