/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sol.c - Serial-over-LAN on an RMCP+ session (struct ipmi_sol, poller.h):
 * Activate Payload (with "steal": deactivate another session's instance
 * first), the SOL state machine of sol_sm.c driven by the session's
 * datagrams and one timer, Deactivate Payload on close, and what happens
 * when the session goes away under it.
 *
 * Session loss: when session.c drops the keys of an active session (the BMC
 * stopped answering; it re-establishes the session transparently), the SOL
 * payload went with the old session. We activate it again on the new one,
 * keeping the characters not yet accepted and starting the sequence numbers
 * over; the caller sees no callback. If the BMC still holds the payload
 * for the old session (cc 0x80: its inactivity timeout has not run out),
 * the activation is retried every SOL_REACTIVATE_MS for up to
 * SOL_REACTIVATE_TRIES tries (or the old instance is deactivated at once
 * with opts.steal); Get Payload Instance Info tells that case from a
 * takeover by somebody else (which ends SOL). If the session cannot be
 * re-established, SOL ends with the session's error.
 *
 * Give-up: a data packet unacknowledged after all retries means the
 * session (or just the payload) is gone: SOL is activated again the same
 * way; the Activate Payload request itself re-establishes a dead session.
 * After SOL_MAX_LOST give-ups with no ack in between, SOL ends
 * (IC_ETIMEDOUT).
 *
 * Probe: after probe_ms without a SOL packet either way, an empty data
 * packet must be acked (sol_sm.c) and Get Payload Instance Info must still
 * name our session. ipmi_sim takes the payload over for another session
 * without telling ours, and a listen-only console would otherwise never
 * learn it. The packet alone is not enough there: ipmi_sim re-acks a packet
 * from any session whose number equals the last one it received (from the
 * new owner), so one probe in 15 would pass; the owner's session ID does
 * not lie. BMCs without the command (any non-zero completion code) are
 * probed with packets only (then: IC_ETIMEDOUT after the retries).
 *
 * Alternate UDP port: Activate Payload names a port for SOL packets. We
 * always stay on the session's address: ipmi_sim reports the port it
 * listens on (the session's), a byte-swapped port is a known BMC bug
 * (ipmitool accepts it), and a port behind NAT or a port forward would be
 * unreachable anyway. Any other port is logged once (FreeIPMI's "solport"
 * workaround does the same; ipmitool refuses the session).
 *
 * Lifetime: the handle stays valid until ipmi_sol_close(), which every
 * caller makes exactly once, also after SOL has ended by itself. Every entry
 * point (response, timer, packet, API call) holds `depth`; the memory goes
 * only when it is closed, ended, no request of ours is still queued in the
 * session and no entry point is running (a callback may close it).
 *
 * Locking: none; everything runs on the session's loop.
 */
#include "sol.h"
#include "session.h"
#include "buf.h"
#include "ic_err.h"
#include "log.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SOL_DEFAULT_PROBE_MS 20000u
#define SOL_REACTIVATE_MS    5000u
#define SOL_REACTIVATE_TRIES 14u /* 70 s: past every BMC's session inactivity timeout */
#define SOL_MAX_LOST         3u  /* give-ups in a row (each followed by a re-activation) */

enum sol_phase {
    SOLP_ACTIVATING,   /* Activate Payload queued or in flight */
    SOLP_STEALING,     /* Deactivate Payload of the instance active elsewhere */
    SOLP_ACTIVE,       /* packets flow */
    SOLP_WAIT,         /* session lost or payload busy: activate when the timer fires */
    SOLP_CHECKING,     /* re-activation met cc 0x80: Get Payload Instance Info names the owner */
    SOLP_DEACTIVATING, /* closing: Deactivate Payload queued or in flight */
    SOLP_CLOSE_NOW,    /* closing with nothing to deactivate: finish from the timer */
    SOLP_ENDED,        /* the final on_state was delivered */
};

struct ipmi_sol {
    struct ipmi_session *s; /* NULL once SOL has ended or the session went away */
    unsigned retry_ms, retries;
    unsigned probe_ms; /* UINT32_MAX: never */
    int steal;
    ipmi_sol_data_fn on_data;
    ipmi_sol_state_fn on_state;
    void *arg;
    enum sol_phase phase;
    struct sol_sm sm;
    struct poller_loop *pl;
    struct poller_timer *timer;
    unsigned reqs;        /* requests of ours in the session */
    int info_unsupported; /* Get Payload Instance Info refused: probe with packets only */
    int closed;           /* ipmi_sol_close() was called */
    int stole;            /* this activation already deactivated the other instance */
    unsigned busy_tries;  /* cc 0x80 answers to a re-activation */
    int warned_port;      /* the alternate port was logged */
    unsigned activations; /* successful Activate Payloads */
    uint32_t act_sid;     /* BMC session ID of the session our payload was activated on */
    unsigned lost;        /* give-ups in a row without an ack in between */
    unsigned depth;       /* entry points running */
    uint64_t last_act;    /* loop ms of the last SOL packet received or data packet sent */
    char name[128];
};

static void sol_release(struct ipmi_sol *sol);
static void check_owner(struct ipmi_sol *sol);

static uint64_t
sol_now(struct ipmi_sol *sol)
{
    return poller_loop_now(sol->pl);
}

/* The final callback: err (0 after ipmi_sol_close). SOL is detached from the session. */
static void sol_end(struct ipmi_sol *sol, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
sol_end(struct ipmi_sol *sol, int err, const char *fmt, ...)
{
    char msg[SESS_ERRMSG_MAX + sizeof(sol->name) + 2];
    va_list ap;
    if (sol->phase == SOLP_ENDED)
        return;
    sol->phase = SOLP_ENDED;
    poller_timer_stop(sol->timer);
    if (sol->s && sol->s->sol == sol)
        sol->s->sol = NULL;
    sol->s = NULL;
    char body[SESS_ERRMSG_MAX];
    va_start(ap, fmt);
    vsnprintf(body, sizeof(body), fmt, ap);
    va_end(ap);
    size_t nl = strlen(sol->name);
    if (strncmp(body, sol->name, nl) == 0 && body[nl] == ':')
        snprintf(msg, sizeof(msg), "%s", body); /* the session's message names the BMC already */
    else
        snprintf(msg, sizeof(msg), "%s: %s", sol->name, body);
    if (sol->closed)
        err = 0;
    if (err)
        log_debug("%s", msg);
    sol->on_state(sol->arg, err, msg);
}

static int sol_submit(struct ipmi_sol *sol, uint8_t cmd, const uint8_t d[6]);

/* Packet headers at debug level; never the characters (they may be a console password). */
static void
trace(const struct ipmi_sol *sol, const char *dir, const uint8_t *p, size_t n)
{
    struct sol_pkt pk;
    if (log_get_level() < LOG_LVL_DEBUG || sol_pkt_decode(p, n, &pk) != 0)
        return;
    log_debug("%s: SOL %s seq %u ack %u accepted %u flags 0x%02x, %zu characters", sol->name, dir,
              pk.seq, pk.ack, pk.accepted, pk.flags, pk.len);
}

static int
send_sol(struct ipmi_session *s, const uint8_t *p, size_t n)
{
    uint8_t pkt[RMCPP_MAX_PACKET];
    struct buf_wr w;
    if (s->state != SS_ACTIVE)
        return 0; /* keys are being replaced; the state machine retransmits */
    buf_wr_init(&w, pkt, sizeof(pkt));
    int rc = rmcpp_encode(&s->rs, RMCPP_PT_SOL, p, n, &w);
    if (rc)
        return rc;
    /* SOL traffic is session activity: it pushes the keepalive back. */
    s->last_tx = sess_now(s);
    rc = sess_send_raw(s, pkt, w.len);
    sess_rearm(s);
    return rc;
}

/* Sends whatever the state machine has due and re-arms the timer for its next deadline. */
static void
pump(struct ipmi_sol *sol)
{
    uint8_t pkt[SOL_MAX_PKT];
    if (sol->phase != SOLP_ACTIVE || !sol->s)
        return;
    uint64_t now = sol_now(sol);
    for (;;) {
        int n = sol_sm_output(&sol->sm, now, pkt, sizeof(pkt));
        if (n == IC_ETIMEDOUT) {
            if (++sol->lost >= SOL_MAX_LOST) {
                sol_end(sol, IC_ETIMEDOUT,
                        "no SOL acknowledgement after %u tries %u ms apart, %u times (the BMC "
                        "is gone, or another session took the SOL payload over)",
                        sol->sm.retries + 1, sol->sm.retry_ms, sol->lost);
                return;
            }
            /* Lost for SOL: activate again (the request re-establishes a dead session). */
            log_info("%s: no SOL acknowledgement after %u tries; re-activating", sol->name,
                     sol->sm.retries + 1);
            sol->phase = SOLP_WAIT;
            poller_timer_start(sol->timer, 0);
            return;
        }
        if (n <= 0)
            break;
        if (pkt[0] != 0)
            sol->last_act = now; /* a data packet: its ack will say whether SOL is still ours */
        trace(sol, ">", pkt, (size_t)n);
        if (send_sol(sol->s, pkt, (size_t)n) == IC_EUNREACH) {
            sol_end(sol, IC_EUNREACH, "port unreachable: nothing answers IPMI on this address");
            return;
        }
    }
    uint64_t d = sol_sm_deadline(&sol->sm);
    if (!sol_sm_busy(&sol->sm) && sol->probe_ms != UINT32_MAX && sol->last_act + sol->probe_ms < d)
        d = sol->last_act + sol->probe_ms;
    if (d == UINT64_MAX)
        poller_timer_stop(sol->timer);
    else
        poller_timer_start(sol->timer, d > now ? d - now : 0);
}

/* Queues Activate Payload. Returns 0 or the submit error. */
static int
submit_activate(struct ipmi_sol *sol)
{
    uint8_t d[6];
    const struct ipmi_suite *cs = sol->s->cs_def;
    /* SOL is authenticated and encrypted as the session is (not known yet: the default suites'). */
    int enc = cs ? cs->conf != IPMI_CONF_NONE : 1;
    int auth = cs ? cs->integ != IPMI_INTEG_NONE : 1;
    sol_activate_req(d, enc, auth);
    sol->phase = SOLP_ACTIVATING;
    return sol_submit(sol, IPMI_CMD_ACTIVATE_PAYLOAD, d);
}

static void
activate(struct ipmi_sol *sol)
{
    int rc = submit_activate(sol);
    if (rc)
        sol_end(sol, rc, "cannot queue Activate Payload: %s", ic_strerror(rc));
}

static void
deactivate(struct ipmi_sol *sol, enum sol_phase phase)
{
    uint8_t d[6];
    sol_deactivate_req(d);
    sol->phase = phase;
    if (sol_submit(sol, IPMI_CMD_DEACTIVATE_PAYLOAD, d) != 0) {
        /* Queue full or out of memory: the session's end will release the payload. */
        sol->phase = SOLP_CLOSE_NOW;
        poller_timer_start(sol->timer, 0);
    }
}

static uint16_t
session_port(const struct ipmi_session *s)
{
    if (s->addr.ss_family == AF_INET6)
        return ntohs(((const struct sockaddr_in6 *)&s->addr)->sin6_port);
    return ntohs(((const struct sockaddr_in *)&s->addr)->sin_port);
}

static void
check_port(struct ipmi_sol *sol, uint16_t port)
{
    uint16_t mine = session_port(sol->s);
    uint16_t swapped = (uint16_t)((port >> 8) | (port << 8));
    if (port == 623 || port == mine || swapped == mine || sol->warned_port)
        return;
    sol->warned_port = 1;
    log_warn("%s: the BMC asks for SOL packets on UDP port %u; staying on the session's port %u",
             sol->name, port, mine);
}

static void
activated(struct ipmi_sol *sol, const struct ipmi_resp *rsp)
{
    struct sol_activation act;
    if (sol_activation_decode(rsp->data, rsp->len, &act) != 0) {
        sol_end(sol, IC_EPROTO, "malformed Activate Payload reply (%zu bytes)", rsp->len);
        return;
    }
    check_port(sol, act.port);
    if (sol->closed) {
        deactivate(sol, SOLP_DEACTIVATING);
        return;
    }
    sol_sm_restart(&sol->sm, act.inbound);
    sol->act_sid = sol->s->rs.bmc_sid;
    sol->phase = SOLP_ACTIVE;
    sol->last_act = sol_now(sol);
    sol->busy_tries = 0;
    if (sol->activations++ == 0) {
        sol->on_state(sol->arg, 0, "SOL active");
    } else {
        log_info("%s: SOL payload re-activated on the re-established session", sol->name);
    }
    pump(sol);
}

static void
on_activate(struct ipmi_sol *sol, int err, const struct ipmi_resp *rsp)
{
    if (err) {
        sol_end(sol, err, "%s", ipmi_session_errmsg(sol->s));
        return;
    }
    if (rsp->cc == 0) {
        activated(sol, rsp);
        return;
    }
    if (sol->closed) {
        sol_end(sol, 0, "SOL closed");
        return;
    }
    switch (rsp->cc) {
    case 0x80:
        if (sol->steal && !sol->stole) {
            sol->stole = 1;
            deactivate(sol, SOLP_STEALING);
        } else if (sol->activations && sol->busy_tries < SOL_REACTIVATE_TRIES) {
            check_owner(sol);
        } else {
            sol_end(sol, IC_EBUSY, "SOL payload already active on another session");
        }
        break;
    case 0x81:
        sol_end(sol, IC_ECC, "SOL disabled on the BMC (Activate Payload: completion code 0x81)");
        break;
    case 0x82:
        sol_end(sol, IC_EBUSY, "SOL activation limit reached on the BMC (completion code 0x82)");
        break;
    case 0x83:
    case 0x84:
        sol_end(sol, IC_ECC,
                "the BMC refuses SOL with this session's encryption setting (completion code "
                "0x%02x)",
                rsp->cc);
        break;
    case 0xD4:
        sol_end(sol, IC_EPRIV, "SOL needs a higher privilege level (completion code 0xd4)");
        break;
    default:
        sol_end(sol, IC_ECC, "Activate Payload failed: completion code 0x%02x (%s)", rsp->cc,
                ipmi_cc_str(rsp->cc));
        break;
    }
}

static void
on_resp(void *arg, int err, const struct ipmi_resp *rsp)
{
    struct ipmi_sol *sol = arg;
    sol->reqs--;
    sol->depth++;
    if (sol->s) {
        switch (sol->phase) {
        case SOLP_ACTIVATING:
            on_activate(sol, err, rsp);
            break;
        case SOLP_STEALING:
            if (err)
                sol_end(sol, err, "%s", ipmi_session_errmsg(sol->s));
            else if (rsp->cc != 0 && rsp->cc != 0x80) /* 0x80: already deactivated */
                sol_end(sol, IC_ECC,
                        "cannot deactivate the SOL payload of the other session: completion "
                        "code 0x%02x (%s)",
                        rsp->cc, ipmi_cc_str(rsp->cc));
            else if (sol->closed)
                sol_end(sol, 0, "SOL closed");
            else
                activate(sol);
            break;
        case SOLP_DEACTIVATING:
            sol_end(sol, 0, "SOL closed");
            break;
        default:
            break;
        }
    }
    sol->depth--;
    sol_release(sol);
}

static int
sol_submit(struct ipmi_sol *sol, uint8_t cmd, const uint8_t d[6])
{
    struct ipmi_req rq = {.netfn = IPMI_NETFN_APP, .cmd = cmd, .data = d, .len = 6};
    int rc = ipmi_session_submit(sol->s, &rq, on_resp, sol);
    if (rc == 0)
        sol->reqs++;
    return rc;
}

static void on_owner(void *arg, int err, const struct ipmi_resp *rsp);

/* Re-activation refused with cc 0x80: ask who holds the payload. */
static void
check_owner(struct ipmi_sol *sol)
{
    uint8_t d[2] = {0x01, 0x01}; /* payload type SOL, instance 1 */
    struct ipmi_req rq = {
        .netfn = IPMI_NETFN_APP, .cmd = IPMI_CMD_PAYLOAD_INSTANCE_INFO, .data = d, .len = 2};
    sol->busy_tries++;
    sol->phase = SOLP_CHECKING;
    if (ipmi_session_submit(sol->s, &rq, on_owner, sol) == 0) {
        sol->reqs++;
        return;
    }
    sol->phase = SOLP_WAIT;
    poller_timer_start(sol->timer, SOL_REACTIVATE_MS);
}

/*
 * Who holds the payload we are re-activating: this very session (the BMC
 * kept it through our give-up) -> take it back; the session it was
 * activated on before a re-establishment -> the BMC times that one out,
 * try again later; anybody else -> taken over. Unknown (command refused)
 * -> try again later, up to SOL_REACTIVATE_TRIES.
 */
static void
on_owner(void *arg, int err, const struct ipmi_resp *rsp)
{
    struct ipmi_sol *sol = arg;
    uint32_t owner = 0;
    sol->reqs--;
    sol->depth++;
    if (sol->s && sol->phase == SOLP_CHECKING) {
        if (sol->closed) {
            sol_end(sol, 0, "SOL closed");
        } else if (err) {
            sol_end(sol, err, "%s", ipmi_session_errmsg(sol->s));
        } else if (sol_instance_owner(rsp->cc, rsp->data, rsp->len, &owner) != 0) {
            sol->phase = SOLP_WAIT;
            poller_timer_start(sol->timer, SOL_REACTIVATE_MS);
        } else if (owner == 0) {
            activate(sol); /* released meanwhile */
        } else if (owner == sol->s->rs.bmc_sid) {
            deactivate(sol, SOLP_STEALING); /* ours already: deactivate, activate */
        } else if (owner == sol->act_sid) {
            sol->phase = SOLP_WAIT; /* the lost session's: the BMC times it out */
            poller_timer_start(sol->timer, SOL_REACTIVATE_MS);
        } else {
            sol_end(sol, IC_ESESSION, "SOL payload taken over by another session");
        }
    }
    sol->depth--;
    sol_release(sol);
}

/* Get Payload Instance Info: which session holds the payload now. */
static void
on_info(void *arg, int err, const struct ipmi_resp *rsp)
{
    struct ipmi_sol *sol = arg;
    sol->reqs--;
    sol->depth++;
    if (sol->s && sol->phase == SOLP_ACTIVE && !err) {
        uint32_t owner = 0;
        if (sol_instance_owner(rsp->cc, rsp->data, rsp->len, &owner) != 0)
            sol->info_unsupported = 1;
        else if (owner == 0)
            sol_end(sol, IC_ESESSION, "the SOL payload is no longer active on the BMC");
        else if (owner != sol->s->rs.bmc_sid)
            sol_end(sol, IC_ESESSION, "SOL payload taken over by another session");
    }
    sol->depth--;
    sol_release(sol);
}

/*
 * Idle for probe_ms: an empty data packet the BMC must ack, and (if the
 * BMC answers it) Get Payload Instance Info, which names the owner.
 */
static void
probe(struct ipmi_sol *sol)
{
    sol->last_act = sol_now(sol);
    sol_sm_probe(&sol->sm);
    if (sol->info_unsupported || sol->reqs)
        return;
    uint8_t d[2] = {0x01, 0x01}; /* payload type SOL, instance 1 */
    struct ipmi_req rq = {
        .netfn = IPMI_NETFN_APP, .cmd = IPMI_CMD_PAYLOAD_INSTANCE_INFO, .data = d, .len = 2};
    if (ipmi_session_submit(sol->s, &rq, on_info, sol) == 0)
        sol->reqs++;
}

static void
on_timer(void *arg)
{
    struct ipmi_sol *sol = arg;
    sol->depth++;
    switch (sol->phase) {
    case SOLP_WAIT:
        if (sol->closed)
            sol_end(sol, 0, "SOL closed");
        else
            activate(sol);
        break;
    case SOLP_CLOSE_NOW:
        sol_end(sol, 0, "SOL closed");
        break;
    case SOLP_ACTIVE:
        if (sol->probe_ms != UINT32_MAX && sol_now(sol) >= sol->last_act + sol->probe_ms &&
            !sol_sm_busy(&sol->sm))
            probe(sol);
        pump(sol);
        break;
    default:
        break;
    }
    sol->depth--;
    sol_release(sol);
}

static void
deliver(void *arg, const uint8_t *p, size_t n)
{
    struct ipmi_sol *sol = arg;
    if (!sol->closed && sol->phase == SOLP_ACTIVE && sol->on_data)
        sol->on_data(sol->arg, p, n);
}

/* ---- called by session.c -------------------------------------------------- */

void
sol_sess_input(struct ipmi_sol *sol, const uint8_t *p, size_t n)
{
    if (sol->phase != SOLP_ACTIVE)
        return; /* before the Activate Payload answer: the BMC sends it again */
    sol->depth++;
    trace(sol, "<", p, n);
    uint8_t in_flight = sol->sm.cur_sent ? sol->sm.cur_seq : 0;
    int st = sol_sm_input(&sol->sm, sol_now(sol), p, n, deliver, sol);
    if (st >= 0)
        sol->last_act = sol_now(sol);
    if (in_flight && sol->sm.cur_seq != in_flight)
        sol->lost = 0; /* our packet was answered: the link works */
    if (st >= 0 && (st & SOL_ST_DEACTIVATING))
        sol_end(sol, IC_ESESSION, "the BMC deactivated SOL (another session took it over?)");
    else
        pump(sol);
    sol->depth--;
    sol_release(sol);
}

void
sol_sess_down(struct ipmi_sol *sol)
{
    /* Inside session.c's loss handling: act later, from the timer. */
    if (sol->phase != SOLP_ACTIVE)
        return;
    sol->phase = SOLP_WAIT;
    sol->stole = 0;
    poller_timer_start(sol->timer, 0);
}

void
sol_sess_detach(struct ipmi_sol *sol, int err, const char *msg)
{
    sol->depth++;
    sol_end(sol, err, "%s", msg);
    sol->depth--;
    sol_release(sol);
}

/* ---- API ------------------------------------------------------------------ */

static void
sol_release(struct ipmi_sol *sol)
{
    if (!sol->closed || sol->phase != SOLP_ENDED || sol->reqs || sol->depth)
        return;
    poller_timer_free(sol->timer);
    free(sol);
}

int
ipmi_sol_open(struct ipmi_session *s, const struct ipmi_sol_opts *o, ipmi_sol_data_fn on_data,
              ipmi_sol_state_fn on_state, void *arg, struct ipmi_sol **out)
{
    *out = NULL;
    if (!s || s->dead || !on_state)
        return IC_EINVAL;
    if (s->sol)
        return IC_EBUSY;
    struct ipmi_sol *sol = calloc(1, sizeof(*sol));
    if (!sol)
        return IC_ENOMEM;
    sol->s = s;
    sol->pl = s->pl;
    sol->on_data = on_data;
    sol->on_state = on_state;
    sol->arg = arg;
    if (o) {
        sol->retry_ms = o->retry_ms;
        sol->retries = o->retries;
        sol->steal = o->steal;
        sol->probe_ms = o->probe_ms;
    }
    if (sol->probe_ms == 0)
        sol->probe_ms = SOL_DEFAULT_PROBE_MS;
    snprintf(sol->name, sizeof(sol->name), "%s", s->name);
    sol_sm_init(&sol->sm, sol->retry_ms, sol->retries, 0);
    sol->timer = poller_timer_new(s->pl, on_timer, sol);
    if (!sol->timer) {
        free(sol);
        return IC_ENOMEM;
    }
    int rc = submit_activate(sol);
    if (rc) {
        poller_timer_free(sol->timer);
        free(sol);
        return rc;
    }
    s->sol = sol;
    *out = sol;
    return 0;
}

int
ipmi_sol_write(struct ipmi_sol *sol, const uint8_t *p, size_t n)
{
    if (!sol || sol->closed)
        return IC_EINVAL;
    if (sol->phase == SOLP_ENDED)
        return IC_ESESSION;
    int rc = sol_sm_write(&sol->sm, p, n);
    if (rc == 0 && sol->phase == SOLP_ACTIVE)
        poller_timer_start(sol->timer, 0); /* send from the loop, never inside a callback */
    return rc;
}

int
ipmi_sol_send_break(struct ipmi_sol *sol)
{
    if (!sol || sol->closed)
        return IC_EINVAL;
    if (sol->phase == SOLP_ENDED)
        return IC_ESESSION;
    sol_sm_break(&sol->sm);
    if (sol->phase == SOLP_ACTIVE)
        poller_timer_start(sol->timer, 0);
    return 0;
}

size_t
ipmi_sol_room(const struct ipmi_sol *sol)
{
    return sol && !sol->closed && sol->phase != SOLP_ENDED ? sol_sm_room(&sol->sm) : 0;
}

int
ipmi_sol_pending(const struct ipmi_sol *sol)
{
    return sol && sol->phase != SOLP_ENDED && sol_sm_busy(&sol->sm);
}

void
ipmi_sol_stats(const struct ipmi_sol *sol, struct ipmi_sol_stats *st)
{
    memset(st, 0, sizeof(*st));
    if (!sol)
        return;
    st->rx_chars = sol->sm.st.rx_chars;
    st->tx_chars = sol->sm.st.tx_chars;
    st->retransmits = sol->sm.st.retransmits;
    st->duplicates = sol->sm.st.duplicates;
    st->nacks = sol->sm.st.nacks;
    st->overruns = sol->sm.st.overruns;
    st->activations = sol->activations;
}

void
ipmi_sol_close(struct ipmi_sol *sol)
{
    if (!sol || sol->closed)
        return;
    sol->closed = 1;
    sol->depth++;
    switch (sol->phase) {
    case SOLP_ACTIVE:
        poller_timer_stop(sol->timer);
        deactivate(sol, SOLP_DEACTIVATING);
        break;
    case SOLP_WAIT:
        sol->phase = SOLP_CLOSE_NOW;
        poller_timer_start(sol->timer, 0);
        break;
    default:
        /* ACTIVATING, STEALING, CHECKING, DEACTIVATING: the answer finishes; ENDED: done. */
        break;
    }
    sol->depth--;
    sol_release(sol);
}
