/* SPDX-License-Identifier: Apache-2.0 */
/*
 * target.c - one BMC as the daemon sees it, on its poller thread's loop:
 * its session, when its polls start (a per-interval grid, grid.h), how a
 * poll ends (a new snapshot in the hub, up/down and its alerts, the next
 * start), and its life cycle. The steps of a poll are in target_steps.c.
 *
 * A poll that an error of the session itself ended (no answer, wrong
 * password, ...) leaves the target "down" and the next try backs off
 * exponentially up to BACKOFF_CAP_MS. No target ever waits for another:
 * each has its own timer and session.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "clock.h"
#include "ic_err.h"
#include "grid.h"
#include "storage.h"
#include "target_int.h"

static _Thread_local size_t live_targets; /* per poller thread */

size_t
target_live_count(void)
{
    return live_targets;
}

static uint32_t
rnd(struct target *t)
{
    /* xorshift32: jitter only, no need for quality. */
    uint32_t x = t->rng;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return t->rng = x;
}

/* ---- session ---------------------------------------------------------------- */

static int
make_session(struct target *t, char *err, size_t errlen)
{
    const struct tgt_spec *sp = t->spec;
    struct ipmi_session_opts o = {
        .name = sp->name,
        .host = sp->host,
        .port = sp->port,
        .user = sp->user,
        .password = sp->password,
        .kg = sp->kg,
        .cipher_suite = sp->cipher_suite,
        .privilege = sp->privilege,
        .timeout_ms = sp->timeout_ms,
        .retries = sp->retries,
        .max_inflight = sp->max_inflight,
    };
    return ipmi_session_new(t->pl, &o, &t->s, err, errlen);
}

/* ---- alerts ---------------------------------------------------------------- */

struct alert_who
target_who(const struct target *t)
{
    const struct tgt_spec *sp = t->spec;
    return (struct alert_who){.name = sp->name,
                              .host = sp->host,
                              .port = sp->port,
                              .labels = sp->labels,
                              .nlabels = sp->nlabels,
                              .labels_json = sp->labels_json};
}

/* After a put with alerts: on failure the alerts wait in held for the next message. */
void
target_alerts_settle(struct target *t, struct alert_buf *ab, int rc)
{
    if (rc == 0 && ab->n)
        exp_deliver_kick(t->ctx->deliver); /* deliver within seconds, not at the next tick */
    if (rc != 0 && ab->n) {
        if (alert_buf_move(&t->held, ab) != 0)
            log_err("%s: out of memory: %zu alerts lost", t->spec->name, ab->n);
        else
            log_limit_fail(&t->ll, poller_loop_now(t->pl), LOG_LVL_WARN,
                           "%s: storage queue full: %zu alerts held for the next try",
                           t->spec->name, t->held.n);
    }
    alert_buf_free(ab);
}

static void
schedule(struct target *t, uint64_t delay_ms)
{
    if (!t->removing)
        poller_timer_start(t->timer, delay_ms);
}

/* From now to this target's first grid start at or after not_before (loop time). */
static uint64_t
grid_delay(struct target *t, uint64_t not_before)
{
    uint64_t iv = t->spec->interval_ms;
    uint64_t now = poller_loop_now(t->pl);
    uint64_t phase = grid_phase(t->phase_frac, iv, grid_step(iv, live_targets));
    uint64_t at = grid_next(not_before > now ? not_before : now, phase, iv);
    return at - now;
}

/* Records up/down (a transition, and the unreachable alert); returns when that alert is due. */
static uint64_t
set_state(struct target *t, int up)
{
    struct snap_target *n = t->next;
    uint64_t now = clock_wall_ms();
    snprintf(n->state, sizeof(n->state), "%s", up ? "up" : "down");
    struct alert_buf ab = {0};
    struct alert_who who = target_who(t);
    alert_buf_move(&ab, &t->held);
    uint64_t due = alert_tracker_reach(t->trk, t->spec->rules, &who, up, t->errmsg, now, &ab);
    int changed = up != t->was_up;
    if (changed && up)
        log_limit_ok(&t->ll, LOG_LVL_WARN, "%s: BMC answers again", t->spec->name);
    else if (changed)
        log_limit_fail(&t->ll, poller_loop_now(t->pl), LOG_LVL_WARN, "%s: %s", t->spec->name,
                       t->errmsg);
    if (t->ctx->st && (changed || ab.n))
        target_alerts_settle(t, &ab,
                             storage_put_state_alerts(t->ctx->st, t->spec->name, now,
                                                      changed ? (up ? "up" : "down") : NULL,
                                                      up ? "" : t->errmsg, ab.v, ab.n));
    else
        alert_buf_free(&ab);
    t->was_up = up;
    return due;
}

void
target_finish_poll(struct target *t)
{
    struct snap_target *n = t->next;
    uint64_t now = poller_loop_now(t->pl);
    int up = t->fatal == 0;
    n->polls++;
    n->last_poll_unix_ms = t->start_unix_ms;
    n->poll_duration_s = (double)(now - t->start_ms) / 1000.0;
    n->up = up;
    if (!up) {
        /* Stale readings of a dead BMC would mislead: drop them, keep the inventory. */
        n->poll_failures++;
        snap_target_set_readings(n, NULL, 0);
        n->has_chassis = n->has_dcmi = n->has_sel = 0;
    } else {
        n->last_success_unix_ms = clock_wall_ms();
        if (t->bmc_ok)
            t->coll_ok |= SNAP_COLL_FRU;
    }
    n->collectors = t->spec->collectors;
    n->collectors_ok = t->coll_ok & t->spec->collectors;
    n->last_error_code = t->last_err;
    snprintf(n->last_error, sizeof(n->last_error), "%s", t->last_err ? t->errmsg : "");
    if (t->s)
        ipmi_session_stats(t->s, &n->sess);
    uint64_t unreachable_due = set_state(t, up);
    if (!t->removing)
        target_sol_check(t, up);

    snap_target_ref(n);
    snap_hub_put(t->ctx->hub, t->slot, n);
    snap_target_unref(t->snap);
    t->snap = n;
    t->next = NULL;
    t->busy = 0;
    if (!t->first_done) {
        t->first_done = 1;
        __atomic_add_fetch(&t->ctx->first_polls, 1, __ATOMIC_RELAXED);
    }
    if (t->removing) {
        target_removal_continue(t);
        return;
    }
    uint64_t iv = t->spec->interval_ms;
    uint64_t delay;
    if (up) {
        /* Fixed rate on the grid: the next start of this target's phase after this one's. */
        t->failures = 0;
        delay = grid_delay(t, t->start_ms + 1);
    } else {
        unsigned k = t->failures < 16 ? t->failures : 16;
        t->failures++;
        delay = iv << k;
        if (delay > BACKOFF_CAP_MS)
            delay = iv > BACKOFF_CAP_MS ? iv : BACKOFF_CAP_MS;
        delay += rnd(t) % (delay / 10 + 1);
        /* Backing off must not delay the unreachable alert: try again when it is due. */
        uint64_t wall = clock_wall_ms();
        if (unreachable_due > wall && unreachable_due - wall < delay)
            delay = unreachable_due - wall;
    }
    schedule(t, delay);
}

void
target_poll_soon(struct target *t)
{
    if (!t->busy && !t->removing)
        schedule(t, 0);
}

static void
start_poll(void *arg)
{
    struct target *t = arg;
    if (t->busy || t->removing)
        return;
    struct snap_target *n = snap_target_clone(t->snap);
    if (!n) {
        schedule(t, t->spec->interval_ms);
        return;
    }
    t->next = n;
    t->busy = 1;
    t->step = -1;
    t->fatal = 0;
    t->last_err = 0;
    t->errmsg[0] = '\0';
    t->coll_ok = 0;
    t->start_ms = poller_loop_now(t->pl);
    t->start_unix_ms = clock_wall_ms();
    t->inv_due = t->inv_ms == 0 || t->start_ms - t->inv_ms >= INVENTORY_MS;
    target_advance(t);
}

/* ---- life cycle ------------------------------------------------------------- */

static struct snap_target *
first_snapshot(const struct tgt_spec *sp)
{
    struct snap_target *n = snap_target_new(sp->name, sp->host, sp->port, sp->labels, sp->nlabels);
    if (n) {
        snprintf(n->state, sizeof(n->state), "starting");
        snprintf(n->system_fw, sizeof(n->system_fw), "N/A");
        n->collectors = sp->collectors;
    }
    return n;
}

int
target_new(struct poller_loop *pl, struct daemon_ctx *ctx, size_t slot, struct tgt_spec *spec,
           void (*gone)(void *arg, size_t slot), void *gone_arg, struct target **out)
{
    struct target *t = calloc(1, sizeof(*t));
    char err[256];
    if (!t) {
        tgt_spec_free(spec);
        return IC_ENOMEM;
    }
    t->pl = pl;
    t->ctx = ctx;
    t->slot = slot;
    t->spec = spec;
    t->gone = gone;
    t->gone_arg = gone_arg;
    t->was_up = -1;
    t->con.client_fd = -1;
    t->rng = (uint32_t)(slot * 2654435761u) ^ (uint32_t)clock_wall_ms() ^ 0x9e3779b9u;
    if (t->rng == 0)
        t->rng = 1;
    t->cursor = spec->sel_cursor;
    t->sel_known = spec->sel_known;
    t->trk = alert_tracker_new(spec->active, spec->nactive);
    free(spec->active);
    spec->active = NULL;
    spec->nactive = 0;
    if (spec->sdr_len && ipmi_sdr_cache_from_blob(spec->sdr_blob, spec->sdr_len, &t->sdr) != 0) {
        log_warn("%s: stored SDR cache is damaged; reading the repository again", spec->name);
        t->sdr = NULL;
    }
    free(spec->sdr_blob);
    spec->sdr_blob = NULL;
    spec->sdr_len = 0;
    int rc = IC_ENOMEM;
    t->snap = first_snapshot(spec);
    t->timer = poller_timer_new(pl, start_poll, t);
    t->act_timer = poller_timer_new(pl, target_act_timer, t);
    if (!t->snap || !t->timer || !t->act_timer || !t->trk ||
        (rc = make_session(t, err, sizeof(err))) != 0) {
        if (rc != IC_ENOMEM)
            log_err("%s: %s", spec->name, err);
        alert_tracker_free(t->trk);
        poller_timer_free(t->timer);
        poller_timer_free(t->act_timer);
        snap_target_unref(t->snap);
        ipmi_sdr_cache_free(t->sdr);
        tgt_spec_free(spec);
        free(t);
        return rc;
    }
    snap_target_ref(t->snap);
    snap_hub_put(ctx->hub, slot, t->snap);
    live_targets++;
    /* Spread the first polls (handshakes) over one interval, 10,000 at once help nobody;
     * the sweeps after them start on the grid. */
    t->phase_frac = rnd(t);
    schedule(t, rnd(t) % (spec->interval_ms + 1));
    *out = t;
    return 0;
}

void
target_update(struct target *t, struct tgt_spec *spec)
{
    /* The session stays; labels and collectors show from the next poll on. */
    free(spec->sdr_blob);
    spec->sdr_blob = NULL;
    spec->sdr_len = 0;
    free(spec->active);
    spec->active = NULL;
    spec->nactive = 0;
    uint64_t old_iv = t->spec->interval_ms;
    tgt_spec_free(t->spec);
    t->spec = spec;
    struct snap_target *n = snap_target_clone(t->snap);
    if (n && snap_target_set_labels(n, spec->labels, spec->nlabels) == 0) {
        n->collectors = spec->collectors;
        n->collectors_ok &= spec->collectors;
        snap_target_ref(n);
        snap_hub_put(t->ctx->hub, t->slot, n);
        snap_target_unref(t->snap);
        t->snap = n;
    } else {
        snap_target_unref(n);
    }
    if (!t->busy && spec->interval_ms < old_iv)
        schedule(t, grid_delay(t, poller_loop_now(t->pl)));
}

static void
release(void *arg)
{
    struct target *t = arg;
    poller_timer_free(t->timer);
    poller_timer_free(t->act_timer);
    ipmi_sdr_cache_free(t->sdr);
    snap_target_unref(t->snap);
    snap_target_unref(t->next);
    snap_hub_put(t->ctx->hub, t->slot, NULL);
    if (t->gone)
        t->gone(t->gone_arg, t->slot);
    if (t->held.n)
        log_warn("%s: removed with %zu alerts not yet stored", t->spec->name, t->held.n);
    tgt_spec_free(t->spec);
    alert_tracker_free(t->trk);
    alert_buf_free(&t->held);
    live_targets--;
    free(t);
}

static void
on_closed(void *arg, int err)
{
    (void)err;
    struct target *t = arg;
    if (t->closing == 2)
        return;
    t->closing = 2;
    ipmi_session_free(t->s);
    t->s = NULL;
    if (poller_loop_after(t->pl, 0, release, t) != 0)
        release(t);
}

void
target_removal_continue(struct target *t)
{
    if (t->busy || t->act || t->closing || t->con.closing_wait)
        return;
    t->closing = 1;
    poller_timer_stop(t->timer);
    if (t->s && !t->aborting && ipmi_session_is_active(t->s)) {
        ipmi_session_close(t->s, on_closed, t);
        return;
    }
    on_closed(t, 0);
}

void
target_remove(struct target *t)
{
    t->removing = 1;
    target_sol_end(t);
    target_removal_continue(t);
}

void
target_abort(struct target *t)
{
    t->removing = 1;
    t->aborting = 1;
    t->con.closing_wait = 0;
    target_sol_end(t);
    target_act_cancel(t, IC_ECANCELED, "the daemon is stopping");
    if (t->busy && t->s && t->closing != 2) {
        /* Fails the request in flight: its callback sees removing and ends the poll. */
        struct ipmi_session *s = t->s;
        t->s = NULL;
        ipmi_session_free(s);
        t->busy = 0;
    }
    if (t->closing == 1 && t->s) {
        on_closed(t, 0);
        return;
    }
    target_removal_continue(t);
}
