/* SPDX-License-Identifier: Apache-2.0 */
/*
 * actions.h - the daemon's runner of actions asked through the API (power,
 * boot device): resolves targets, runs them on their poller threads with
 * bounded concurrency, answers the API and writes the audit log. Private to
 * collector/ (see actions.c for the threads involved).
 */
#ifndef IC_ACTIONS_H
#define IC_ACTIONS_H

#include <stddef.h>

#include "daemon.h"
#include "exporters.h"

struct storage;
struct act_runner;

/* What the main thread lends the runner for one call. */
struct act_env {
    struct pool *pool;
    struct rf_pool *rf; /* Redfish actions (media, "via": "redfish") */
    struct storage *st; /* the audit log; NULL: none */
    /* The running configuration's target in slot (NULL: empty), for slots 0 .. nslots-1. */
    const struct tgt_spec *(*spec_at)(void *arg, size_t slot);
    void *arg;
    size_t nslots;
};

int act_runner_new(struct act_runner **out);
/* Readable when there is work for act_runner_serve(). */
int act_runner_fd(const struct act_runner *r);
/* exp_act_fn, for exp_api_set_backend(): any thread. arg is the runner. */
int act_submit(void *arg, const struct exp_act_req *rq, exp_act_done_fn done, void *ctx);
/* exp_attach_fn, for exp_api_set_attach(): any thread. arg is the runner. */
void act_attach(void *arg, const char *target, const char *who, const char *source, int fd,
                struct exp_attach *h);
/* Main thread: takes new requests, hands targets out, answers what finished. */
void act_runner_serve(struct act_runner *r, const struct act_env *env);
/* Main thread, after pool_free(): answers everything still open (503) and refuses new requests. */
void act_runner_stop(struct act_runner *r, const struct act_env *env);
void act_runner_free(struct act_runner *r);

#endif
