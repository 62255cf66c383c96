/* SPDX-License-Identifier: Apache-2.0 */
/*
 * daemon.h - the pieces of `ipmi-collector daemon`, private to collector/:
 *
 *   daemon.c   main thread: config, signals, reload (diff of targets), stats
 *   tgt_spec.c what one target needs from the config, as an owned copy
 *   pool.c     the poller threads: one loop each, a command queue each
 *   target.c   one BMC on a poller thread: the poll cycle, backoff, snapshots
 *
 * One sensor reading travels: daemon.c (config) -> pool.c (a worker's loop)
 * -> target.c (poll: poller's ipmi_sensors_read over the kept session) ->
 * exporters' snap_hub (snapshot) -> exporters' HTTP server (/metrics), and
 * storage_put_samples() (SQLite).
 */
#ifndef IC_DAEMON_H
#define IC_DAEMON_H

#include <stddef.h>
#include <stdint.h>

#include "exporters.h"
#include "poller.h"

struct cfg;
struct cfg_target;
struct secret;
struct storage;
struct storage_active;
struct alert_rules;

/* Everything a target needs, copied from the config (which a reload frees). */
struct tgt_spec {
    char *name;
    char *host;
    uint16_t port;
    char *user;
    struct secret *password;
    struct secret *kg; /* NULL: none */
    int cipher_suite;  /* IPMI suite id or IPMI_SUITE_AUTO */
    int privilege;     /* enum ipmi_priv */
    unsigned timeout_ms, retries, max_inflight;
    uint64_t interval_ms;
    uint64_t sdr_refresh_ms;
    unsigned collectors; /* enum snap_coll */
    struct snap_label *labels;
    size_t nlabels;
    char **include, **exclude; /* sensor name globs */
    size_t ninclude, nexclude;
    /* Alerts: the shared routes (NULL: no alerting), labels as JSON for payloads. */
    struct alert_rules *rules;
    unsigned debounce;
    char *labels_json;
    /* Preloaded from the database by the main thread (no disk I/O on a poller thread). */
    uint8_t *sdr_blob;
    size_t sdr_len;
    struct ipmi_sel_cursor sel_cursor;
    int sel_known;                 /* the SEL was read before */
    struct storage_active *active; /* firing alerts of the target */
    size_t nactive;
    /* Serial-over-LAN: keep the console active and store its output. */
    int console_capture;
    /* Redfish (NULL rf_url: none): the URL with {host} replaced, credentials, TLS. */
    char *rf_url, *rf_user, *rf_ca_file;
    struct secret *rf_password;
    int rf_insecure;
};

/* Builds a spec for target i of c (secrets resolved now; rules referenced, may be NULL).
   0, or an IC_E* code with a message. */
int tgt_spec_new(const struct cfg *c, size_t i, struct alert_rules *rules, struct tgt_spec **out,
                 char *err, size_t errlen);
void tgt_spec_free(struct tgt_spec *s);
/* 1 when a session opened for a can serve b (address, credentials, suite, privilege, timers). */
int tgt_spec_same_session(const struct tgt_spec *a, const struct tgt_spec *b);
/* 1 when nothing at all differs (apart from the preloaded state). */
int tgt_spec_same(const struct tgt_spec *a, const struct tgt_spec *b);
/* 1 when the sensor name passes the include/exclude globs. */
int tgt_spec_wants_sensor(const struct tgt_spec *s, const char *name);

/* receivers.c: c's receivers for exp_deliver_* (secrets resolved; free after the call). */
struct receivers {
    struct exp_receiver *v;
    struct exp_header *h;
    struct secret **sec;
    size_t n;
};
int receivers_of(const struct cfg *c, struct receivers *out, char *err, size_t errlen);
void receivers_free(struct receivers *r);

/* Shared by every thread; the objects are thread-safe. */
struct daemon_ctx {
    struct snap_hub *hub;
    struct storage *st;          /* NULL: no database (tests) */
    struct exp_deliver *deliver; /* alert delivery; NULL: none */
    int first_polls;             /* atomic: targets that have finished their first poll */
};

/* ---- an action asked through the API, as one target runs it (target_act.c) ---- */
enum tgt_act_kind {
    TACT_POWER = 1,
    TACT_BOOTDEV,
    TACT_MEDIA_INSERT, /* Redfish only (rf_pool.c) */
    TACT_MEDIA_EJECT,
    TACT_MEDIA_STATUS,
};
struct tgt_act {
    enum tgt_act_kind kind;
    int power;           /* TACT_POWER: enum ipmi_power_action */
    int bootdev;         /* TACT_BOOTDEV: enum ipmi_bootdev */
    int persistent, efi; /* TACT_BOOTDEV */
    unsigned confirm_ms; /* TACT_POWER: how long the power state may take to agree */
    /* Redfish (via_redfish, and the media kinds): the target's settings, owned by the act */
    int via_redfish;
    const char *target; /* the target's name (the runner's copy) */
    char *rf_url, *rf_user, *rf_ca_file;
    struct secret *rf_password;
    int rf_insecure;
    const char *image; /* TACT_MEDIA_INSERT: URL or local path (the runner's copy) */
    int boot_once, then_power;
    /* the outcome, set by the target before done() */
    int err;               /* 0 or IC_E* */
    char msg[256];         /* why it failed, for an operator ("" when it worked) */
    int power_on;          /* the power state read back; -1 unknown */
    int device;            /* the boot device read back; -1 unknown */
    int media_inserted;    /* media kinds: the slot as read back; -1 unknown */
    char media_image[512]; /* its image ("" when empty) */
    uint64_t duration_ms;
    /* the runner's (actions.c) */
    void (*done)(struct tgt_act *a); /* on the target's thread, exactly once */
    void *job;
    size_t idx, slot;
};

/* ---- target.c: runs on its worker's loop only ---- */
struct target;
/* Takes spec. Schedules the first poll within one interval (spread, so a start is no stampede). */
int target_new(struct poller_loop *pl, struct daemon_ctx *ctx, size_t slot, struct tgt_spec *spec,
               void (*gone)(void *arg, size_t slot), void *gone_arg, struct target **out);
/* A reload changed settings that do not need a new session: takes spec. */
void target_update(struct target *t, struct tgt_spec *spec);
/* Ends the target: lets a running step finish, closes the session, frees t, empties its slot. */
void target_remove(struct target *t);
/* Shutdown: like target_remove, but a running step is cancelled at once. */
void target_abort(struct target *t);
/* Targets alive on the calling thread's loops (all loops of a process: for tests). */
size_t target_live_count(void);
/*
 * An interactive client on the target's captured console (target_sol.c): fd (a connected,
 * non-blocking socket) gets the console's output and its bytes are typed in; closed(arg, fd)
 * runs on the target's thread when the client is done. 0, or IC_EAGAIN (no active capture),
 * IC_EBUSY (another client) with a message: the caller keeps fd.
 */
int target_attach(struct target *t, int fd, void (*closed)(void *arg, int fd), void *arg, char *err,
                  size_t errlen);
/* Runs a over the target's session (target_act.c); a->done follows. One action at a time. */
void target_act(struct target *t, struct tgt_act *a);

/* ---- rf_pool.c: the Redfish actions' worker threads (rf_ calls block) ---- */
struct rf_pool;
struct rf_pool_opts {
    unsigned threads;         /* 0: 4 */
    const char *media_listen; /* NULL: no media server (local images refused) */
    const char *media_host;   /* host put in image URLs; NULL: the listen host */
    char *const *media_dirs;  /* local images must be under one of these */
    size_t nmedia_dirs;
    uint64_t media_ttl_ms;
};
int rf_pool_new(const struct rf_pool_opts *o, struct rf_pool **out, char *err, size_t errlen);
/* Runs a (via_redfish or a media kind) on a worker; a->done follows on that thread. */
void rf_pool_submit(struct rf_pool *p, struct tgt_act *a);
/* Queued acts finish with IC_ECANCELED; running ones are waited for; the media server stops. */
void rf_pool_free(struct rf_pool *p);

/* ---- pool.c ---- */
struct pool;
/* n poller threads (0: the number of CPUs, at most 8). */
int pool_new(unsigned n, struct daemon_ctx *ctx, struct pool **out, char *err, size_t errlen);
unsigned pool_threads(const struct pool *p);
/* Commands from the main thread; each takes spec. 0 or IC_ENOMEM. */
int pool_add(struct pool *p, size_t slot, struct tgt_spec *spec);
int pool_update(struct pool *p, size_t slot, struct tgt_spec *spec);
int pool_remove(struct pool *p, size_t slot);
/* An attach request for slot's target (pool.c runs target_attach on its thread). */
struct tgt_attach {
    int fd;
    void (*attached)(void *arg);                        /* it worked; closed follows later */
    void (*closed)(void *arg, int fd);                  /* the client is done */
    void (*failed)(void *arg, int fd, const char *why); /* it did not work (instead of both) */
    void *arg;
};
/* Main thread; takes at (freed by the pool). */
int pool_attach(struct pool *p, size_t slot, struct tgt_attach *at);
/* Hands a to slot's target; a->done follows in every case (IC_ECANCELED: no such target). */
int pool_act(struct pool *p, size_t slot, struct tgt_act *a);
/* Closes every session (Close Session sent, at most timeout_ms), stops and joins the threads. */
void pool_free(struct pool *p, unsigned timeout_ms);

/* Any thread: slot's target is gone and its hub slot empty, so the slot may be reused. */
void daemon_slot_freed(size_t slot);

#endif
