/* SPDX-License-Identifier: Apache-2.0 */
/*
 * session.c - an IPMI v2.0 RMCP+ session to one BMC, as a state machine on
 * a poller loop: request queue, rqSeq matching, retransmission with
 * backoff, keepalive, transparent re-establishment, close and free.
 * Establishment itself (auth caps .. Set Session Privilege) is handshake.c.
 *
 * Timers: one libuv timer per session, always armed for the earliest of
 * (establishment step deadline, in-flight retransmission deadlines,
 * keepalive due time). Retransmissions keep the rqSeq, so a BMC can spot a
 * duplicate of a non-idempotent command, and take a new session sequence
 * number (reference §3.2, P7).
 *
 * Loss: when an in-session request gets no answer after all retries, the
 * BMC has most likely dropped the session (they do so silently). The
 * session is re-established and the request sent once more on the new one;
 * only if that fails too does the caller see an error.
 */
#include "session.h"
#include "loop.h"
#include "transport.h"
#include "buf.h"
#include "ic_err.h"
#include "log.h"
#include "rmcp.h"
#include "secret.h"
#include "sol.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#define DEFAULT_PORT       623
#define DEFAULT_TIMEOUT_MS 1000u
#define DEFAULT_RETRIES    3u
#define DEFAULT_KEEPALIVE  20000u
#define MAX_TRY_TIMEOUT_MS 10000u

static void on_timer(uv_timer_t *t);
static void dispatch(struct ipmi_session *s);

uint64_t
sess_now(struct ipmi_session *s)
{
    return poller_loop_now(s->pl);
}

void
sess_seterr(struct ipmi_session *s, const char *fmt, ...)
{
    /* Format into a copy: fmt's arguments may point into s->errmsg. */
    char tmp[SESS_ERRMSG_MAX];
    va_list ap;
    int n = snprintf(tmp, sizeof(tmp), "%s: ", s->name);
    if (n < 0 || (size_t)n >= sizeof(tmp))
        n = 0;
    va_start(ap, fmt);
    vsnprintf(tmp + n, sizeof(tmp) - (size_t)n, fmt, ap);
    va_end(ap);
    memcpy(s->errmsg, tmp, sizeof(tmp));
}

const char *
ipmi_session_errmsg(const struct ipmi_session *s)
{
    return s->errmsg;
}

uint64_t
sess_try_timeout(const struct ipmi_session *s, unsigned tries)
{
    /* x1.5 per try: 1 s, 1.5 s, 2.25 s, ... capped. */
    uint64_t t = s->timeout_ms;
    for (unsigned i = 1; i < tries && t < MAX_TRY_TIMEOUT_MS; i++)
        t = t * 3 / 2;
    return t < MAX_TRY_TIMEOUT_MS ? t : MAX_TRY_TIMEOUT_MS;
}

int
sess_send_raw(struct ipmi_session *s, const uint8_t *p, size_t len)
{
    int rc = transport_send(s->tp, p, len);
    if (rc == IC_EAGAIN)
        return 0; /* a full socket buffer is a lost packet: the timer resends */
    return rc;
}

/* ---- timers --------------------------------------------------------------- */

void
sess_rearm(struct ipmi_session *s)
{
    if (s->dead)
        return;
    uint64_t next = UINT64_MAX;
    if (s->state != SS_IDLE && s->state != SS_ACTIVE && s->state != SS_SETPRIV)
        next = s->hs_deadline;
    for (unsigned i = 0; i < s->n_inflight; i++)
        if (s->inflight[i]->deadline < next)
            next = s->inflight[i]->deadline;
    if (s->state == SS_ACTIVE && s->n_inflight == 0 && !s->q_head &&
        s->keepalive_ms != UINT32_MAX) {
        uint64_t ka = s->last_tx + s->keepalive_ms;
        if (ka < next)
            next = ka;
    }
    /*
     * Lazily: a timer armed for no later than next stays as it is; if it
     * fires early, on_timer finds nothing due and arms it again. A sweep
     * sends and answers dozens of requests with the same timeout, and moving
     * the timer in libuv's heap for each one was 1-2 % of the poller's CPU.
     */
    if (next == UINT64_MAX || (s->timer_at && s->timer_at <= next))
        return;
    uint64_t now = sess_now(s);
    s->timer_at = next > now ? next : now;
    uv_timer_start(&s->timer, on_timer, next > now ? next - now : 0, 0);
}

/* ---- completing requests -------------------------------------------------- */

static void
req_complete(struct ipmi_session *s, struct sreq *r, int err, const struct ipmi_resp *rsp)
{
    if (r->kind == SREQ_USER) {
        if (err)
            s->st.failures++;
        else
            s->st.requests++;
        if (r->cb) {
            s->in_cb++;
            r->cb(r->arg, err, rsp);
            s->in_cb--;
        }
    }
    free(r);
}

static void
inflight_remove(struct ipmi_session *s, unsigned i)
{
    s->inflight[i] = s->inflight[--s->n_inflight];
    s->inflight[s->n_inflight] = NULL;
}

/* Fails every queued and in-flight request with err (message already set). */
static void
fail_all(struct ipmi_session *s, int err)
{
    while (s->n_inflight) {
        struct sreq *r = s->inflight[0];
        inflight_remove(s, 0);
        req_complete(s, r, err, NULL);
        if (s->dead)
            return;
    }
    while (s->q_head) {
        struct sreq *r = s->q_head;
        s->q_head = r->next;
        if (!s->q_head)
            s->q_tail = NULL;
        s->q_len--;
        req_complete(s, r, err, NULL);
        if (s->dead)
            return;
    }
}

void
sess_drop_keys(struct ipmi_session *s)
{
    if (s->sol && s->state == SS_ACTIVE)
        sol_sess_down(s->sol); /* the payload went with the session: re-activate */
    crypto_sess_free(s->crypto);
    s->crypto = NULL;
    crypto_cleanse(&s->keys, sizeof(s->keys));
    crypto_cleanse(&s->rk, sizeof(s->rk));
    memset(&s->rs, 0, sizeof(s->rs));
    s->state = SS_IDLE;
}

static void
notify_open(struct ipmi_session *s, int err)
{
    ipmi_done_fn cb = s->open_cb;
    if (!cb)
        return;
    s->open_cb = NULL;
    s->in_cb++;
    cb(s->open_arg, err);
    s->in_cb--;
}

void
sess_established(struct ipmi_session *s, int err)
{
    if (err) {
        s->st.open_failures++;
        sess_drop_keys(s);
        notify_open(s, err);
        if (!s->dead)
            fail_all(s, err);
        /* A keepalive-less idle session stays IDLE until the next request. */
        return;
    }
    s->state = SS_ACTIVE;
    if (s->was_active)
        s->st.reopens++;
    else
        s->st.opens++;
    s->was_active = 1;
    s->last_tx = sess_now(s);
    notify_open(s, 0);
    if (!s->dead) {
        dispatch(s);
        sess_rearm(s);
    }
}

/* ---- sending -------------------------------------------------------------- */

static uint8_t
alloc_rqseq(struct ipmi_session *s)
{
    for (;;) {
        uint8_t q = s->next_rqseq;
        s->next_rqseq = (uint8_t)(q >= 63 ? 1 : q + 1);
        int used = 0;
        for (unsigned i = 0; i < s->n_inflight; i++)
            used |= s->inflight[i]->rq_seq == q;
        if (!used)
            return q;
    }
}

/* Encodes and sends r in the current session. */
static int
send_req(struct ipmi_session *s, struct sreq *r)
{
    uint8_t msg[IPMI_MAX_DATA + 16], pkt[RMCPP_MAX_PACKET];
    struct buf_wr mw, pw;
    buf_wr_init(&mw, msg, sizeof(msg));
    int rc = ipmi_msg_encode_req(r->netfn, r->lun, r->rq_seq, r->cmd, r->data, r->len, &mw);
    if (rc)
        return rc;
    buf_wr_init(&pw, pkt, sizeof(pkt));
    rc = rmcpp_encode(&s->rs, RMCPP_PT_IPMI, msg, mw.len, &pw);
    if (rc)
        return rc;
    uint64_t now = sess_now(s);
    if (r->tries == 0)
        r->first_ms = now;
    else
        s->st.retransmits++;
    r->tries++;
    r->deadline = now + sess_try_timeout(s, r->tries);
    s->last_tx = now;
    return sess_send_raw(s, pkt, pw.len);
}

static void session_lost(struct ipmi_session *s, const char *why);

static void
dispatch(struct ipmi_session *s)
{
    while ((s->state == SS_ACTIVE || s->state == SS_SETPRIV) && s->q_head &&
           s->n_inflight < s->win) {
        struct sreq *r = s->q_head;
        /* While raising the privilege only that request may go out. */
        if (s->state == SS_SETPRIV && r->kind != SREQ_SETPRIV)
            return;
        s->q_head = r->next;
        if (!s->q_head)
            s->q_tail = NULL;
        s->q_len--;
        r->next = NULL;
        r->rq_seq = alloc_rqseq(s);
        r->tries = 0;
        s->inflight[s->n_inflight++] = r;
        if (s->n_inflight > s->st.peak_inflight)
            s->st.peak_inflight = s->n_inflight;
        int rc = send_req(s, r);
        if (rc == IC_EUNREACH) {
            sess_seterr(s, "port unreachable: nothing answers IPMI on this address");
            session_lost(s, NULL);
            return;
        }
        /* Other send errors are treated as a lost packet: the timer retries. */
    }
}

static void
enqueue(struct ipmi_session *s, struct sreq *r, int at_head)
{
    if (at_head) {
        r->next = s->q_head;
        s->q_head = r;
        if (!s->q_tail)
            s->q_tail = r;
    } else {
        r->next = NULL;
        if (s->q_tail)
            s->q_tail->next = r;
        else
            s->q_head = r;
        s->q_tail = r;
    }
    s->q_len++;
}

static struct sreq *
req_new(enum sreq_kind kind, uint8_t netfn, uint8_t cmd, uint8_t lun, const uint8_t *data,
        size_t len)
{
    if (len > IPMI_MAX_DATA)
        return NULL;
    struct sreq *r = calloc(1, sizeof(*r));
    if (!r)
        return NULL;
    r->kind = kind;
    r->netfn = netfn;
    r->cmd = cmd;
    r->lun = lun;
    r->len = (uint16_t)len;
    if (len)
        memcpy(r->data, data, len);
    return r;
}

int
sess_submit_internal(struct ipmi_session *s, enum sreq_kind kind, uint8_t netfn, uint8_t cmd,
                     const uint8_t *data, size_t len)
{
    struct sreq *r = req_new(kind, netfn, cmd, 0, data, len);
    if (!r)
        return IC_ENOMEM;
    enqueue(s, r, 1);
    dispatch(s);
    sess_rearm(s);
    return 0;
}

int
ipmi_session_submit(struct ipmi_session *s, const struct ipmi_req *rq, ipmi_resp_fn cb, void *arg)
{
    if (!s || s->dead || !rq || !cb || rq->len > IPMI_MAX_DATA)
        return IC_EINVAL;
    if (s->q_len >= SESS_MAX_QUEUE)
        return IC_EBUSY;
    struct sreq *r = req_new(SREQ_USER, rq->netfn, rq->cmd, rq->lun, rq->data, rq->len);
    if (!r)
        return IC_ENOMEM;
    r->cb = cb;
    r->arg = arg;
    enqueue(s, r, 0);
    if (s->state == SS_IDLE)
        hs_start(s);
    else
        dispatch(s);
    sess_rearm(s);
    return 0;
}

int
ipmi_session_open(struct ipmi_session *s, ipmi_done_fn cb, void *arg)
{
    if (!s || s->dead)
        return IC_EINVAL;
    if (s->open_cb)
        return IC_EBUSY;
    if (s->state == SS_ACTIVE) {
        if (cb)
            cb(arg, 0);
        return 0;
    }
    s->open_cb = cb;
    s->open_arg = arg;
    if (s->state == SS_IDLE)
        hs_start(s);
    sess_rearm(s);
    return 0;
}

/* ---- loss and re-establishment ------------------------------------------- */

/*
 * The BMC stopped answering in session. Requests in flight go back to the
 * head of the queue (once each) and the session is established anew.
 * why == NULL: fail everything with the message already set.
 */
static void
session_lost(struct ipmi_session *s, const char *why)
{
    sess_drop_keys(s);
    if (!why) {
        fail_all(s, IC_EUNREACH);
        return;
    }
    /* Put in-flight requests back in their original order, once each. */
    while (s->n_inflight) {
        struct sreq *r = s->inflight[s->n_inflight - 1];
        inflight_remove(s, s->n_inflight - 1);
        if (r->kind != SREQ_USER || r->reopened) {
            if (r->kind == SREQ_USER)
                sess_seterr(s, "%s; no answer after re-establishing the session either", why);
            req_complete(s, r, IC_ETIMEDOUT, NULL);
            if (s->dead)
                return;
            continue;
        }
        r->reopened++;
        r->rq_seq = 0;
        r->tries = 0;
        enqueue(s, r, 1);
    }
    if (s->q_head) {
        log_debug("%s: %s; re-establishing the session", s->name, why);
        hs_start(s);
    }
}

static void
req_timeout(struct ipmi_session *s, struct sreq *r, unsigned idx, uint64_t now)
{
    if (r->tries <= s->retries) {
        if (s->win > 1)
            s->st.backoffs++;
        s->win = 1; /* back off: the BMC may be dropping what is pipelined */
        s->win_ok = 0;
        if (send_req(s, r) == IC_EUNREACH) {
            sess_seterr(s, "port unreachable: nothing answers IPMI on this address");
            session_lost(s, NULL);
        }
        return;
    }
    char why[160];
    snprintf(why, sizeof(why), "no answer to netfn 0x%02x cmd 0x%02x after %u tries in %.1f s",
             r->netfn, r->cmd, r->tries, (double)(now - r->first_ms) / 1000.0);
    if (r->kind == SREQ_KEEPALIVE || r->kind == SREQ_CLOSE) {
        /* The session is gone; open again lazily, on the next request. */
        inflight_remove(s, idx);
        int was_close = r->kind == SREQ_CLOSE;
        req_complete(s, r, IC_ETIMEDOUT, NULL);
        if (!s->q_head && s->n_inflight == 0) {
            sess_drop_keys(s);
        } else {
            session_lost(s, why);
        }
        if (was_close && s->close_cb && !s->dead) {
            ipmi_done_fn cb = s->close_cb;
            s->close_cb = NULL;
            cb(s->close_arg, IC_ETIMEDOUT);
        }
        return;
    }
    if (r->kind == SREQ_SETPRIV) {
        inflight_remove(s, idx);
        free(r);
        sess_seterr(s, "%s (Set Session Privilege Level)", why);
        hs_setpriv_done(s, IC_ETIMEDOUT, 0);
        return;
    }
    sess_seterr(s, "%s", why);
    session_lost(s, why);
}

static void
on_timer(uv_timer_t *t)
{
    struct ipmi_session *s = t->data;
    if (!s || s->dead)
        return;
    s->timer_at = 0; /* fired: sess_rearm below arms it again if anything is due */
    uint64_t now = sess_now(s);
    if (s->state != SS_IDLE && s->state != SS_ACTIVE && s->state != SS_SETPRIV &&
        now >= s->hs_deadline) {
        hs_timeout(s);
        if (s->dead)
            return;
    }
    for (unsigned i = 0; i < s->n_inflight; i++) {
        struct sreq *r = s->inflight[i];
        if (now >= r->deadline) {
            req_timeout(s, r, i, now);
            if (s->dead)
                return;
            break; /* the table may have changed: the re-arm below catches the rest */
        }
    }
    if (s->state == SS_ACTIVE && s->n_inflight == 0 && !s->q_head &&
        s->keepalive_ms != UINT32_MAX && now >= s->last_tx + s->keepalive_ms) {
        s->st.keepalives++;
        sess_submit_internal(s, SREQ_KEEPALIVE, IPMI_NETFN_APP, IPMI_CMD_GET_DEVICE_ID, NULL, 0);
    }
    if (!s->dead)
        sess_rearm(s);
}

/* ---- receiving ------------------------------------------------------------ */

static void
count_drop(struct ipmi_session *s, enum rmcpp_drop why)
{
    /* enum ipmi_drop follows enum rmcpp_drop, less its NONE. */
    if (why > RMCPP_DROP_NONE && why < RMCPP_DROP_COUNT)
        s->st.drops[why - 1]++;
    else
        s->st.drops[IPMI_DROP_HEADER]++;
}

static void
recv_active(struct ipmi_session *s, const uint8_t *p, size_t len)
{
    uint8_t work[RMCPP_MAX_PAYLOAD];
    struct rmcpp_pkt pk;
    enum rmcpp_drop why = RMCPP_DROP_NONE;
    if (rmcpp_decode(&s->rs, p, len, work, &pk, &why) != 0) {
        count_drop(s, why);
        return;
    }
    if (pk.pt == RMCPP_PT_SOL && s->sol && s->state == SS_ACTIVE) {
        sol_sess_input(s->sol, pk.payload, pk.len);
        return;
    }
    if (pk.pt != RMCPP_PT_IPMI) {
        s->st.drops[IPMI_DROP_HEADER]++;
        return;
    }
    struct ipmi_msg_resp m;
    if (ipmi_msg_decode_resp(pk.payload, pk.len, &m) != 0) {
        s->st.drops[IPMI_DROP_MESSAGE]++;
        return;
    }
    for (unsigned i = 0; i < s->n_inflight; i++) {
        struct sreq *r = s->inflight[i];
        if (r->rq_seq != m.rq_seq || r->cmd != m.cmd || (r->netfn | 1) != m.netfn)
            continue;
        inflight_remove(s, i);
        struct ipmi_resp rsp = {
            .netfn = r->netfn, .cmd = r->cmd, .cc = m.cc, .len = m.len, .data = m.data};
        if (r->kind == SREQ_SETPRIV) {
            free(r);
            hs_setpriv_done(s, 0, m.cc);
        } else if (r->kind == SREQ_CLOSE) {
            free(r);
            sess_drop_keys(s);
            sess_seterr(s, "session closed");
            fail_all(s, IC_ECANCELED);
            if (s->close_cb && !s->dead) {
                ipmi_done_fn cb = s->close_cb;
                s->close_cb = NULL;
                cb(s->close_arg, 0);
            }
        } else {
            if (s->win < s->max_inflight && ++s->win_ok >= SESS_WIN_GROW) {
                s->win++;
                s->win_ok = 0;
            }
            req_complete(s, r, 0, &rsp);
        }
        if (s->dead)
            return;
        dispatch(s);
        sess_rearm(s);
        return;
    }
    s->st.drops[IPMI_DROP_MESSAGE]++; /* a late answer to a retransmitted request */
}

static void
on_recv(void *arg, const uint8_t *p, size_t len)
{
    struct ipmi_session *s = arg;
    if (s->dead)
        return;
    switch (s->state) {
    case SS_IDLE:
        s->st.drops[IPMI_DROP_SESSION]++;
        break;
    case SS_ACTIVE:
    case SS_SETPRIV:
        recv_active(s, p, len);
        break;
    default:
        hs_recv(s, p, len);
        break;
    }
}

static void
on_transport_err(void *arg, int err, const char *what)
{
    struct ipmi_session *s = arg;
    if (s->dead)
        return;
    if (s->state == SS_IDLE)
        return;
    const char *hint =
        err == IC_EUNREACH ? ": nothing answers IPMI on this address; is the BMC up?" : "";
    if (s->state == SS_ACTIVE || s->state == SS_SETPRIV) {
        sess_seterr(s, "%s%s", what, hint);
        session_lost(s, NULL);
        return;
    }
    hs_fail(s, err, "%s%s", what, hint);
}

/* ---- lifecycle ------------------------------------------------------------ */

static int
check_suite(const struct ipmi_session_opts *o, int suite, char *err, size_t errlen)
{
    if (suite == IPMI_SUITE_AUTO)
        return 0;
    enum rakp_suite_policy pol = rakp_suite_policy(suite);
    if (!rakp_suite(suite) || pol == RAKP_SUITE_UNSUPPORTED) {
        snprintf(err, errlen,
                 "cipher suite %d is not supported (use 17, the default, or 3; 0-19 exist, "
                 "xRC4 suites are never used)",
                 suite);
        return IC_ECIPHER;
    }
    if (pol == RAKP_SUITE_INSECURE && !(o->insecure & IPMI_ALLOW_SUITE0_INSECURE)) {
        snprintf(err, errlen,
                 "cipher suite 0 has no authentication: anyone who knows a user name gets a "
                 "session; refused (use 17 or 3; override with --insecure-allow-suite0)");
        return IC_ECIPHER;
    }
    if (pol == RAKP_SUITE_WEAK && !(o->insecure & IPMI_ALLOW_WEAK_SUITES)) {
        snprintf(err, errlen,
                 "cipher suite %d has no integrity protection or uses MD5; refused (use 17 or 3; "
                 "override with --insecure-allow-weak-suites)",
                 suite);
        return IC_ECIPHER;
    }
    if (pol == RAKP_SUITE_CLEARTEXT && !(o->insecure & IPMI_ALLOW_CLEARTEXT)) {
        snprintf(err, errlen,
                 "cipher suite %d sends everything unencrypted; refused (use 17 or 3; override "
                 "with --insecure-allow-cleartext)",
                 suite);
        return IC_ECIPHER;
    }
    return 0;
}

int
ipmi_session_new(struct poller_loop *pl, const struct ipmi_session_opts *o,
                 struct ipmi_session **out, char *err, size_t errlen)
{
    int rc;
    *out = NULL;
    if (!pl || !o || !o->host || !o->user) {
        snprintf(err, errlen, "host and user are required");
        return IC_ECONFIG;
    }
    size_t ulen = strlen(o->user);
    if (ulen > RAKP_MAX_USER) {
        snprintf(err, errlen, "user name '%s' is longer than 16 bytes, the IPMI maximum", o->user);
        return IC_ECONFIG;
    }
    if (ulen == 0 && !(o->insecure & IPMI_ALLOW_ANONYMOUS_INSECURE)) {
        snprintf(err, errlen,
                 "empty user name (the anonymous null user) refused; override with "
                 "--insecure-allow-anonymous");
        return IC_ECONFIG;
    }
    int suite = o->cipher_suite;
    if ((rc = check_suite(o, suite, err, errlen)) != 0)
        return rc;
    int priv = o->privilege ? o->privilege : IPMI_PRIV_ADMIN;
    if (priv < IPMI_PRIV_CALLBACK || priv > IPMI_PRIV_OEM) {
        snprintf(err, errlen, "invalid privilege level %d", priv);
        return IC_ECONFIG;
    }
    if ((rc = crypto_init()) != 0) {
        snprintf(err, errlen, "OpenSSL could not provide HMAC/AES (is libcrypto 3 installed?)");
        return rc;
    }

    struct ipmi_session *s = calloc(1, sizeof(*s));
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return IC_ENOMEM;
    }
    s->pl = pl;
    uint16_t port = o->port ? o->port : DEFAULT_PORT;
    if (o->name && *o->name)
        snprintf(s->name, sizeof(s->name), "%s", o->name);
    else if (strchr(o->host, ':'))
        snprintf(s->name, sizeof(s->name), "[%s]:%u", o->host, port);
    else
        snprintf(s->name, sizeof(s->name), "%s:%u", o->host, port);
    memcpy(s->user, o->user, ulen);
    s->ulen = (uint8_t)ulen;
    s->want_suite = suite;
    s->suite = -1;
    s->priv = priv;
    s->timeout_ms = o->timeout_ms ? o->timeout_ms : DEFAULT_TIMEOUT_MS;
    s->retries = o->retries ? o->retries : DEFAULT_RETRIES;
    s->keepalive_ms = o->keepalive_ms ? o->keepalive_ms : DEFAULT_KEEPALIVE;
    s->max_inflight = o->max_inflight ? o->max_inflight : 1;
    if (s->max_inflight > SESS_MAX_INFLIGHT)
        s->max_inflight = SESS_MAX_INFLIGHT;
    s->win = s->max_inflight;
    s->insecure = o->insecure;
    s->next_rqseq = 1;
    if (crypto_random(&s->tag, 1) != 0)
        s->tag = 0;
    s->password = o->password ? secret_new(secret_bytes(o->password), secret_len(o->password))
                              : secret_new("", 0);
    if (o->kg && secret_len(o->kg))
        s->kg = secret_new(secret_bytes(o->kg), secret_len(o->kg));
    if (!s->password || (o->kg && secret_len(o->kg) && !s->kg)) {
        snprintf(err, errlen, "out of memory");
        rc = IC_ENOMEM;
        goto fail;
    }
    if ((rc = transport_resolve(o->host, port, &s->addr, err, errlen)) != 0)
        goto fail;
    rc = transport_new(poller_loop_hub(pl), &s->addr, on_recv, on_transport_err, s, &s->tp, err,
                       errlen);
    if (rc)
        goto fail;
    uv_timer_init(poller_loop_uv(pl), &s->timer);
    s->timer.data = s;
    *out = s;
    return 0;
fail:
    secret_free(s->password);
    secret_free(s->kg);
    free(s);
    return rc;
}

void
ipmi_session_close(struct ipmi_session *s, ipmi_done_fn cb, void *arg)
{
    if (!s || s->dead)
        return;
    if (s->sol)
        sol_sess_detach(s->sol, IC_ECANCELED, "SOL ended: session closed");
    if (s->dead)
        return;
    if (s->state != SS_ACTIVE) {
        /* Nothing to close (or still establishing: abandon it). */
        if (s->state != SS_IDLE)
            sess_drop_keys(s);
        sess_seterr(s, "session closed");
        fail_all(s, IC_ECANCELED);
        if (cb && !s->dead)
            cb(arg, 0);
        return;
    }
    uint8_t d[4] = {(uint8_t)s->rs.bmc_sid, (uint8_t)(s->rs.bmc_sid >> 8),
                    (uint8_t)(s->rs.bmc_sid >> 16), (uint8_t)(s->rs.bmc_sid >> 24)};
    s->close_cb = cb;
    s->close_arg = arg;
    if (sess_submit_internal(s, SREQ_CLOSE, IPMI_NETFN_APP, IPMI_CMD_CLOSE_SESSION, d, 4) != 0) {
        s->close_cb = NULL;
        sess_drop_keys(s);
        if (cb)
            cb(arg, IC_ENOMEM);
    }
}

static void
on_session_closed(uv_handle_t *h)
{
    free(h->data);
}

void
ipmi_session_free(struct ipmi_session *s)
{
    if (!s || s->dead)
        return;
    sess_seterr(s, "session freed");
    s->open_cb = NULL;
    s->close_cb = NULL;
    fail_all(s, IC_ECANCELED);
    s->dead = 1;
    if (s->sol)
        sol_sess_detach(s->sol, IC_ECANCELED, "SOL ended: session freed");
    sess_drop_keys(s);
    secret_free(s->password);
    secret_free(s->kg);
    s->password = s->kg = NULL;
    transport_free(s->tp);
    s->tp = NULL;
    /*
     * The caller may be inside one of our callbacks, with s still on the
     * stack below it: s is freed by the timer's close callback, which the
     * loop runs on a later iteration.
     */
    uv_timer_stop(&s->timer);
    uv_close((uv_handle_t *)&s->timer, on_session_closed);
}

unsigned
ipmi_session_max_inflight(const struct ipmi_session *s)
{
    return s ? s->max_inflight : 1;
}

int
ipmi_session_cipher_suite(const struct ipmi_session *s)
{
    return s && s->state == SS_ACTIVE ? s->suite : -1;
}

int
ipmi_session_is_active(const struct ipmi_session *s)
{
    return s && s->state == SS_ACTIVE;
}

struct poller_loop *
ipmi_session_loop(const struct ipmi_session *s)
{
    return s->pl;
}

void
ipmi_session_stats(const struct ipmi_session *s, struct ipmi_session_stats *st)
{
    *st = s->st;
}

const char *
ipmi_drop_name(int kind)
{
    static const char *const names[] = {"length",   "header",          "session", "integrity",
                                        "sequence", "confidentiality", "message", "address"};
    return kind >= 0 && kind < 8 ? names[kind] : "unknown";
}
