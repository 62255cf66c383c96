/* SPDX-License-Identifier: Apache-2.0 */
/*
 * target_int.h - private to target.c (the poll cycle), target_steps.c (a
 * poll's steps), target_act.c (actions asked through the API) and
 * target_sol.c (the console): the struct behind struct target. All run on
 * the target's loop only.
 */
#ifndef IC_TARGET_INT_H
#define IC_TARGET_INT_H

#include "alerts.h"
#include "daemon.h"
#include "log.h"
#include "storage.h"

#define BACKOFF_CAP_MS   (5 * 60 * 1000)
#define INVENTORY_MS     (24 * 3600 * 1000ULL)
#define CONFIRM_CLOSE_MS 2000

enum step {
    ST_DEVID,
    ST_GUID,
    ST_SYSFW,
    ST_FRU,
    ST_SDR,
    ST_SENSORS,
    ST_CHASSIS,
    ST_DCMI,
    ST_SELINFO,
    ST_SEL,
    ST_END
};

/* The console (target_sol.c): SOL capture and an attached client. */
struct target_sol {
    struct ipmi_sol *sol;
    int active;       /* the payload is active */
    int ended;        /* it ended by itself: the handle waits to be closed */
    int closing;      /* we closed it */
    int closing_wait; /* a removal waits for the close to be answered */
    uint64_t retry_at;
    struct poller_timer *tick;
    char *line; /* LINE_MAX_LEN + 1 bytes while capture is on (most targets never have one) */
    size_t len;
    int esc;
    uint64_t last_rx_ms;
    struct storage_console_line *pend; /* lines not yet handed to storage */
    size_t npend;
    struct alert_buf held; /* console alerts riding with them */
    uint64_t lines, dropped;
    /* an attached client (-1: none) */
    int client_fd;
    int ff;
    struct poller_watch *client_watch;
    void (*client_closed)(void *arg, int fd);
    void *client_arg;
    uint64_t client_dropped, client_lost;
};

struct target {
    struct poller_loop *pl;
    struct daemon_ctx *ctx;
    size_t slot;
    struct tgt_spec *spec;
    void (*gone)(void *arg, size_t slot);
    void *gone_arg;
    struct ipmi_session *s;
    struct poller_timer *timer;
    struct ipmi_sdr_cache *sdr;
    uint64_t sdr_checked_ms; /* loop time of the last SDR info check; 0 = never */
    uint64_t inv_ms;         /* loop time of the last device ID/FRU read; 0 = never */
    int bmc_ok;              /* the last device ID read worked */
    int inv_due;             /* this poll reads device ID, GUID and FRU */
    struct ipmi_sel_cursor cursor;
    int sel_known; /* the SEL was read before (here or before a restart): new entries alert */
    struct ipmi_sel_info sel_seen; /* SEL info when the cursor was last brought up to date */
    int sel_seen_valid;
    struct snap_target *snap; /* the published snapshot (we hold a reference) */
    struct snap_target *next; /* the one this poll builds */
    uint32_t rng;
    uint32_t phase_frac; /* where in the interval its sweeps start (grid.h) */
    /* the poll in progress */
    int busy;
    int step;
    int fatal;         /* IC_E* of a session error ending the poll, or 0 */
    int last_err;      /* IC_E* of the last failed step (fatal or not) */
    char errmsg[256];  /* its message */
    unsigned coll_ok;  /* collectors that worked in this poll */
    uint64_t start_ms; /* loop time */
    uint64_t start_unix_ms;
    unsigned failures; /* consecutive failed polls */
    int first_done;
    int was_up; /* -1 unknown */
    struct log_limit ll;
    /* alerts */
    struct alert_tracker *trk;
    struct alert_buf held; /* raised, but storage's queue was full: sent with the next message */
    /* removal */
    int removing, aborting, closing;
    /* an action asked through the API (target_act.c); NULL when none */
    struct tgt_act *act;
    struct poller_timer *act_timer;
    uint64_t act_start_ms, act_deadline_ms;
    struct target_sol con;
};

/* target.c */
/* Ends the poll in progress: publishes its snapshot, records up/down, schedules the next. */
void target_finish_poll(struct target *t);
/* Who an alert is about: the target's name, address and labels. */
struct alert_who target_who(const struct target *t);
/* Keeps ab's alerts for the next message when storage refused them (rc), frees them otherwise. */
void target_alerts_settle(struct target *t, struct alert_buf *ab, int rc);
/* Polls at once unless a poll is running (so /metrics shows what an action changed). */
void target_poll_soon(struct target *t);
/* Goes on with a removal that waited for a poll or an action to end. */
void target_removal_continue(struct target *t);

/* target_steps.c */
/* Starts the poll's next step that applies, or ends the poll after the last. */
void target_advance(struct target *t);

/* target_sol.c */
/* After a poll: starts (or restarts) console capture when configured and due; stops it when not. */
void target_sol_check(struct target *t, int up);
/* Removal or shutdown: detaches the client, closes SOL, stores what is left. */
void target_sol_end(struct target *t);

/* target_act.c */
/* Ends the running action with err (shutdown, removal): its callback is not awaited. */
void target_act_cancel(struct target *t, int err, const char *msg);
void target_act_timer(void *arg);

#endif
