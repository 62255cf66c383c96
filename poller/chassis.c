/* SPDX-License-Identifier: Apache-2.0 */
/*
 * chassis.c - chassis status and power control (IPMI v2.0 §28, reference
 * §4.3), and the DCMI power reading (DCMI 1.5 §6.6.1, reference §4.9).
 *
 * Get Chassis Status reply:
 *   0  current power state: b0 on, b1 overload, b2 interlock, b3 fault,
 *      b4 control fault, b6:5 restore policy
 *   1  last power event: b0 AC failed, b1 overload, b2 interlock, b3 fault,
 *      b4 on by IPMI command
 *   2  misc: b0 intrusion, b1 front-panel lockout, b2 drive fault,
 *      b3 fan fault, b5:4 identify state, b6 identify state supported
 *   3  (optional) front panel button capabilities
 *
 * Chassis Control is not idempotent: the session retransmits it with the
 * same rqSeq, and a "duplicated request" answer (0xCF) means an earlier
 * copy was executed, which is success here. The result is confirmed by
 * reading the power state back.
 *
 * DCMI Get Power Reading reply: 0 0xDC, 1-2 current W, 3-4 minimum,
 * 5-6 maximum, 7-8 average, 9-12 timestamp, 13-16 period (ms), 17 b6 active.
 */
#include "poller.h"
#include "session.h"
#include "buf.h"
#include "ic_err.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define CMD_CHASSIS_STATUS  0x01
#define CMD_CHASSIS_CONTROL 0x02
#define POWER_POLL_MS       500
#define POWER_SETTLE_MS     2000 /* cycle/reset: look only after the BMC had time to act */

const uint8_t ipmi_dcmi_power_req[4] = {0xDC, 0x01, 0x00, 0x00};

int
ipmi_chassis_decode_status(const uint8_t *p, size_t len, struct ipmi_chassis_status *out)
{
    struct buf_rd r;
    memset(out, 0, sizeof(*out));
    buf_rd_init(&r, p, len);
    uint8_t cur = buf_get_u8(&r), last = buf_get_u8(&r), misc = buf_get_u8(&r);
    if (buf_rd_err(&r))
        return IC_EPROTO;
    out->power_on = cur & 0x01;
    out->overload = (cur >> 1) & 1;
    out->interlock = (cur >> 2) & 1;
    out->power_fault = (cur >> 3) & 1;
    out->control_fault = (cur >> 4) & 1;
    out->restore_policy = (cur >> 5) & 3;
    out->last_ac_failed = last & 1;
    out->last_overload = (last >> 1) & 1;
    out->last_interlock = (last >> 2) & 1;
    out->last_fault = (last >> 3) & 1;
    out->last_on_by_ipmi = (last >> 4) & 1;
    out->intrusion = misc & 1;
    out->front_panel_lockout = (misc >> 1) & 1;
    out->drive_fault = (misc >> 2) & 1;
    out->fan_fault = (misc >> 3) & 1;
    out->identify = (misc >> 4) & 3;
    out->identify_supported = (misc >> 6) & 1;
    if (buf_rd_left(&r) >= 1) {
        out->has_front_panel = 1;
        out->front_panel = buf_get_u8(&r);
    }
    return 0;
}

const char *
ipmi_restore_policy_str(uint8_t policy)
{
    static const char *const names[] = {"always-off", "previous", "always-on", "unknown"};
    return names[policy & 3];
}

static const char *const action_names[] = {"off", "on", "cycle", "reset", "diag", "soft"};

int
ipmi_power_action_parse(const char *s)
{
    for (int i = 0; i < 6; i++)
        if (strcasecmp(s, action_names[i]) == 0)
            return i;
    return -1;
}

const char *
ipmi_power_action_str(int action)
{
    return action >= 0 && action < 6 ? action_names[action] : "unknown";
}

int
ipmi_dcmi_decode_power(const uint8_t *p, size_t len, struct ipmi_dcmi_power *out)
{
    struct buf_rd r;
    memset(out, 0, sizeof(*out));
    buf_rd_init(&r, p, len);
    uint8_t group = buf_get_u8(&r);
    out->current = buf_get_le16(&r);
    out->minimum = buf_get_le16(&r);
    out->maximum = buf_get_le16(&r);
    out->average = buf_get_le16(&r);
    out->timestamp = buf_get_le32(&r);
    out->period_ms = buf_get_le32(&r);
    out->active = (buf_get_u8(&r) >> 6) & 1;
    if (buf_rd_err(&r) || group != 0xDC) {
        memset(out, 0, sizeof(*out));
        return IC_EPROTO;
    }
    return 0;
}

/* ---- power control with confirmation ------------------------------------ */

struct power_op {
    struct ipmi_session *s;
    int action;
    ipmi_power_fn cb;
    void *arg;
    uint64_t deadline;
    struct ipmi_chassis_status st;
    int have_st;
};

static void on_reply(void *arg, int err, const struct ipmi_resp *rsp);

static void
op_end(struct power_op *op, int err)
{
    ipmi_power_fn cb = op->cb;
    void *arg = op->arg;
    struct ipmi_chassis_status st = op->st;
    int have = op->have_st;
    free(op);
    cb(arg, err, have ? &st : NULL);
}

static void
poll_status(void *arg)
{
    struct power_op *op = arg;
    struct ipmi_req rq = {.netfn = IPMI_NETFN_CHASSIS, .cmd = CMD_CHASSIS_STATUS};
    int rc = ipmi_session_submit(op->s, &rq, on_reply, op);
    if (rc)
        op_end(op, rc);
}

static int
agrees(const struct power_op *op)
{
    int want_on = op->action == IPMI_POWER_ON || op->action == IPMI_POWER_CYCLE ||
                  op->action == IPMI_POWER_RESET || op->action == IPMI_POWER_DIAG;
    return op->st.power_on == want_on;
}

static void
on_reply(void *arg, int err, const struct ipmi_resp *rsp)
{
    struct power_op *op = arg;
    struct poller_loop *pl = ipmi_session_loop(op->s);
    if (err) {
        op_end(op, err);
        return;
    }
    if (rsp->cmd == CMD_CHASSIS_CONTROL) {
        if (rsp->cc != 0 && rsp->cc != 0xCF) {
            sess_seterr(op->s, "Chassis Control (%s) failed: completion code 0x%02x (%s)",
                        ipmi_power_action_str(op->action), rsp->cc, ipmi_cc_str(rsp->cc));
            op_end(op, IC_ECC);
            return;
        }
        uint64_t wait = (op->action == IPMI_POWER_CYCLE || op->action == IPMI_POWER_RESET)
                            ? POWER_SETTLE_MS
                            : 0;
        if (poller_loop_after(pl, wait, poll_status, op) != 0)
            op_end(op, IC_ENOMEM);
        return;
    }
    if (rsp->cc != 0 || ipmi_chassis_decode_status(rsp->data, rsp->len, &op->st) != 0) {
        sess_seterr(op->s, "Get Chassis Status failed (cc 0x%02x: %s)", rsp->cc,
                    ipmi_cc_str(rsp->cc));
        op_end(op, rsp->cc ? IC_ECC : IC_EPROTO);
        return;
    }
    op->have_st = 1;
    if (agrees(op)) {
        op_end(op, 0);
        return;
    }
    if (poller_loop_now(pl) >= op->deadline) {
        sess_seterr(op->s, "power %s sent, but the chassis still reports power %s",
                    ipmi_power_action_str(op->action), op->st.power_on ? "on" : "off");
        op_end(op, IC_ETIMEDOUT);
        return;
    }
    if (poller_loop_after(pl, POWER_POLL_MS, poll_status, op) != 0)
        op_end(op, IC_ENOMEM);
}

int
ipmi_power_control(struct ipmi_session *s, int action, unsigned confirm_ms, ipmi_power_fn cb,
                   void *arg)
{
    if (action < IPMI_POWER_OFF || action > IPMI_POWER_SOFT)
        return IC_EINVAL;
    struct power_op *op = calloc(1, sizeof(*op));
    if (!op)
        return IC_ENOMEM;
    op->s = s;
    op->action = action;
    op->cb = cb;
    op->arg = arg;
    op->deadline = poller_loop_now(ipmi_session_loop(s)) + (confirm_ms ? confirm_ms : 30000);
    uint8_t d = (uint8_t)action;
    struct ipmi_req rq = {
        .netfn = IPMI_NETFN_CHASSIS, .cmd = CMD_CHASSIS_CONTROL, .data = &d, .len = 1};
    int rc = ipmi_session_submit(s, &rq, on_reply, op);
    if (rc)
        free(op);
    return rc;
}
