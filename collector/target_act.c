/* SPDX-License-Identifier: Apache-2.0 */
/*
 * target_act.c - an action asked through the API (power, boot device), run
 * by the target over its kept-open session, between or alongside its polls
 * (the session queues the requests), and confirmed by reading back:
 *
 *   power:   Chassis Control, then Get Chassis Status every POLL_MS until
 *            the power state agrees (cycle/reset: after SETTLE_MS, so the
 *            "on" seen is the one after the cycle) or confirm_ms passed.
 *   bootdev: Set System Boot Options parameter 5, read back (poller's
 *            ipmi_bootdev_set).
 *
 * The waits use the target's own timer (not a loop-owned one) so a removal
 * or shutdown can stop them; a request still queued when the action is
 * cancelled answers into a target whose act is NULL and is ignored. After an
 * action the target polls at once, so /metrics and the API show its effect.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ic_err.h"
#include "target_int.h"

#define POLL_MS   500
#define SETTLE_MS 2000 /* cycle/reset: look only after the BMC had time to act */

static void finish(struct target *t, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
finish(struct target *t, int err, const char *fmt, ...)
{
    struct tgt_act *a = t->act;
    if (!a)
        return;
    t->act = NULL;
    poller_timer_stop(t->act_timer);
    a->err = err;
    a->msg[0] = '\0';
    if (err && fmt) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(a->msg, sizeof(a->msg), fmt, ap);
        va_end(ap);
    }
    a->duration_ms = poller_loop_now(t->pl) - t->act_start_ms;
    if (err)
        log_warn("%s: %s failed: %s", t->spec->name, a->kind == TACT_POWER ? "power" : "bootdev",
                 a->msg);
    else
        log_info(
            "%s: %s %s done in %llu ms", t->spec->name, a->kind == TACT_POWER ? "power" : "bootdev",
            a->kind == TACT_POWER ? ipmi_power_action_str(a->power) : ipmi_bootdev_str(a->bootdev),
            (unsigned long long)a->duration_ms);
    a->done(a);
    if (t->removing)
        target_removal_continue(t);
    else
        target_poll_soon(t);
}

void
target_act_cancel(struct target *t, int err, const char *msg)
{
    finish(t, err, "%s", msg);
}

static const char *
errmsg(struct target *t)
{
    const char *m = t->s ? ipmi_session_errmsg(t->s) : NULL;
    return m && *m ? m : "the session failed";
}

/* ---- power ---- */

static int
agrees(const struct tgt_act *a, int on)
{
    int want_on = a->power == IPMI_POWER_ON || a->power == IPMI_POWER_CYCLE ||
                  a->power == IPMI_POWER_RESET || a->power == IPMI_POWER_DIAG;
    return on == want_on;
}

static void
on_status(void *arg, int err, const struct ipmi_resp *rsp)
{
    struct target *t = arg;
    struct tgt_act *a = t->act;
    struct ipmi_chassis_status st;
    if (!a)
        return; /* cancelled */
    if (err) {
        finish(t, err, "reading the power state back: %s", errmsg(t));
        return;
    }
    if (rsp->cc != 0 || ipmi_chassis_decode_status(rsp->data, rsp->len, &st) != 0) {
        finish(t, rsp->cc ? IC_ECC : IC_EPROTO,
               "reading the power state back: Get Chassis Status failed (cc 0x%02x: %s)", rsp->cc,
               ipmi_cc_str(rsp->cc));
        return;
    }
    a->power_on = st.power_on;
    if (agrees(a, st.power_on)) {
        finish(t, 0, NULL);
        return;
    }
    if (poller_loop_now(t->pl) >= t->act_deadline_ms) {
        finish(t, IC_ETIMEDOUT,
               "power %s was sent, but the chassis still reports power %s after %u s",
               ipmi_power_action_str(a->power), st.power_on ? "on" : "off",
               (a->confirm_ms + 999) / 1000);
        return;
    }
    poller_timer_start(t->act_timer, POLL_MS);
}

void
target_act_timer(void *arg)
{
    struct target *t = arg;
    if (!t->act || !t->s)
        return;
    struct ipmi_req rq = {.netfn = IPMI_NETFN_CHASSIS, .cmd = 0x01};
    int rc = ipmi_session_submit(t->s, &rq, on_status, t);
    if (rc)
        finish(t, rc, "cannot queue Get Chassis Status (session queue full)");
}

static void
on_control(void *arg, int err, const struct ipmi_resp *rsp)
{
    struct target *t = arg;
    struct tgt_act *a = t->act;
    if (!a)
        return;
    if (err) {
        finish(t, err, "%s", errmsg(t));
        return;
    }
    /* 0xCF: a retransmitted copy found the first one done, which is success here. */
    if (rsp->cc != 0 && rsp->cc != 0xCF) {
        finish(t, IC_ECC, "Chassis Control (power %s) refused: completion code 0x%02x (%s)",
               ipmi_power_action_str(a->power), rsp->cc, ipmi_cc_str(rsp->cc));
        return;
    }
    int settle = a->power == IPMI_POWER_CYCLE || a->power == IPMI_POWER_RESET;
    poller_timer_start(t->act_timer, settle ? SETTLE_MS : 0);
}

/* ---- boot device ---- */

static void
on_bootdev(void *arg, int err, int got)
{
    struct target *t = arg;
    struct tgt_act *a = t->act;
    if (!a)
        return;
    a->device = got;
    if (err)
        finish(t, err, "%s", errmsg(t));
    else
        finish(t, 0, NULL);
}

void
target_act(struct target *t, struct tgt_act *a)
{
    a->power_on = a->device = a->media_inserted = -1;
    if (t->removing || !t->s) {
        a->err = IC_ECANCELED;
        snprintf(a->msg, sizeof(a->msg), "the target is being removed");
        a->done(a);
        return;
    }
    if (t->act) {
        a->err = IC_EBUSY;
        snprintf(a->msg, sizeof(a->msg), "another action is running on this target");
        a->done(a);
        return;
    }
    t->act = a;
    t->act_start_ms = poller_loop_now(t->pl);
    t->act_deadline_ms = t->act_start_ms + (a->confirm_ms ? a->confirm_ms : 30000);
    int rc;
    if (a->kind == TACT_POWER) {
        uint8_t d = (uint8_t)a->power;
        struct ipmi_req rq = {.netfn = IPMI_NETFN_CHASSIS, .cmd = 0x02, .data = &d, .len = 1};
        rc = ipmi_session_submit(t->s, &rq, on_control, t);
    } else {
        rc = ipmi_bootdev_set(t->s, a->bootdev, a->persistent, a->efi, on_bootdev, t);
    }
    if (rc)
        finish(t, rc, "cannot queue the request (session queue full)");
}
