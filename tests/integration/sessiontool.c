/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sessiontool.c - integration checks of the session core against a real
 * BMC (../shared/bmcsim), driven through the public poller API:
 *
 *   sessiontool hold HOST BASEPORT NBMC PER_BMC SECONDS SUITE
 *       NBMC*PER_BMC sessions on one loop, held SECONDS with keepalives only,
 *       then one request each: no failure, no re-establishment.
 *   sessiontool idle HOST PORT SUITE IDLE_SECONDS
 *       one request, IDLE_SECONDS without keepalive (past the BMC's
 *       inactivity timeout), one more request: answered after exactly one
 *       transparent re-establishment.
 *   sessiontool sdrcache HOST PORT SUITE
 *       loads the SDR repository, then again with the cache: the second load
 *       costs one request (Get SDR Repository Info) and keeps the cache;
 *       the cache survives a round trip through its storage blob.
 *   sessiontool quirks HOST PORT
 *       suite 0 (cleartext, so a proxy may rewrite it) through a proxy that
 *       plays two BMC quirks on a real BMC: it refuses Get SDR and Read FRU
 *       Data chunks over 16 bytes (cc 0xCA) and cancels the SDR reservation
 *       once, mid-record (cc 0xC5): the SDR and the FRU still read whole.
 *   sessiontool faults HOST PORT SUITE N hostile|loss|latency
 *       N requests one after another to a BMC with that fault injected
 *       (ipmi-collector sim's control endpoint): every one answered; hostile
 *       packets dropped and counted by kind, losses made up by retransmission.
 *   sessiontool pipeline HOST PORT SUITE WINDOW
 *       reads every sensor twice on one BMC: with one request in flight, then
 *       with WINDOW (max_inflight): the same sensors in the same order, each
 *       with a reading in both; the pipelined sweep really had WINDOW
 *       requests out at once. Against a BMC with jitter (answers out of
 *       order) or loss (then the window falls back to one: counted).
 *   sessiontool tamper HOST PORT SUITE
 *       talks through a proxy that, before each genuine reply, injects a
 *       copy with a flipped byte, a wrong session ID, a truncated one, a
 *       non-RMCP one and a replay: every request succeeds, each kind of
 *       hostile packet is dropped and counted.
 *
 * The password comes from $IPMI_PASSWORD, the user is admin. Prints one
 * line per check and "N passed, N failed".
 */
#include "loop.h"
#include "poller.h"
#include "secret.h"
#include "ic_err.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int passed, failed;

static void
check(int cond, const char *what, long got)
{
    if (cond)
        passed++;
    else
        failed++;
    printf("%s %s (%ld)\n", cond ? "ok  " : "FAIL", what, got);
}

static int
finish(void)
{
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}

static struct secret *
password(void)
{
    const char *pw = getenv("IPMI_PASSWORD");
    return secret_new(pw ? pw : "admin-secret", pw ? strlen(pw) : 12);
}

/* ---- hold ----------------------------------------------------------------- */

struct hold {
    struct poller_loop *pl;
    struct ipmi_session **s;
    int n, opened, open_failed, answered, answer_failed, closed;
    uv_timer_t timer;
};

static void
hold_closed(void *arg, int err)
{
    struct hold *h = arg;
    (void)err;
    if (++h->closed == h->n)
        poller_loop_stop(h->pl); /* the sessions' sockets would keep the loop alive */
}

static void
hold_answer(void *arg, int err, const struct ipmi_resp *rsp)
{
    struct hold *h = arg;
    if (err || rsp->cc != 0)
        h->answer_failed++;
    else
        h->answered++;
    if (h->answered + h->answer_failed == h->n)
        for (int i = 0; i < h->n; i++)
            ipmi_session_close(h->s[i], hold_closed, h);
}

static void
hold_opened(void *arg, int err)
{
    struct hold *h = arg;
    if (err)
        h->open_failed++;
    else
        h->opened++;
}

static void
hold_due(uv_timer_t *t)
{
    struct hold *h = t->data;
    struct ipmi_req rq = {.netfn = IPMI_NETFN_APP, .cmd = 0x01};
    for (int i = 0; i < h->n; i++)
        if (ipmi_session_submit(h->s[i], &rq, hold_answer, h) != 0)
            h->answer_failed++;
    uv_close((uv_handle_t *)t, NULL);
}

static int
cmd_hold(char **av)
{
    const char *host = av[0];
    int base = atoi(av[1]), nbmc = atoi(av[2]), per = atoi(av[3]), secs = atoi(av[4]);
    int suite = atoi(av[5]);
    struct secret *pw = password();
    struct hold h = {.n = nbmc * per};
    h.pl = poller_loop_new();
    h.s = calloc((size_t)h.n, sizeof(*h.s));
    char err[256];
    for (int i = 0; i < h.n; i++) {
        struct ipmi_session_opts o = {.host = host,
                                      .port = (uint16_t)(base + i % nbmc),
                                      .user = "admin",
                                      .password = pw,
                                      .cipher_suite = suite};
        if (ipmi_session_new(h.pl, &o, &h.s[i], err, sizeof(err)) != 0) {
            printf("FAIL session %d: %s\n", i, err);
            return 1;
        }
        ipmi_session_open(h.s[i], hold_opened, &h);
    }
    uv_timer_init(poller_loop_uv(h.pl), &h.timer);
    h.timer.data = &h;
    uv_timer_start(&h.timer, hold_due, (uint64_t)secs * 1000, 0);
    poller_loop_run(h.pl); /* until every session is closed */
    struct ipmi_session_stats st, sum = {0};
    for (int i = 0; i < h.n; i++) {
        ipmi_session_stats(h.s[i], &st);
        sum.opens += st.opens;
        sum.reopens += st.reopens;
        sum.failures += st.failures;
        sum.keepalives += st.keepalives;
        sum.open_failures += st.open_failures;
        ipmi_session_free(h.s[i]);
    }
    poller_loop_run(h.pl);
    check(h.opened == h.n, "all sessions opened", h.opened);
    check(h.open_failed == 0, "no open failed", h.open_failed);
    check(h.answered == h.n, "every session answered after the hold", h.answered);
    check(h.answer_failed == 0, "no request failed", h.answer_failed);
    check(sum.reopens == 0, "no session had to be re-established", (long)sum.reopens);
    check(sum.opens == (uint64_t)h.n, "one establishment per session", (long)sum.opens);
    long want_ka = (long)h.n * ((secs - 1) / 20); /* every 20 s of idle time */
    check((long)sum.keepalives >= want_ka, "keepalives sent while idle", (long)sum.keepalives);
    check(h.closed == h.n, "every session closed", h.closed);
    free(h.s);
    poller_loop_free(h.pl);
    secret_free(pw);
    return finish();
}

/* ---- idle ----------------------------------------------------------------- */

struct idle {
    struct poller_loop *pl;
    struct ipmi_session *s;
    int step, ok1, ok2, done;
    uv_timer_t timer;
};

static void idle_answer(void *arg, int err, const struct ipmi_resp *rsp);

static void
idle_due(uv_timer_t *t)
{
    struct idle *x = t->data;
    struct ipmi_req rq = {.netfn = IPMI_NETFN_APP, .cmd = 0x01};
    ipmi_session_submit(x->s, &rq, idle_answer, x);
}

static void
idle_closed(void *arg, int err)
{
    struct idle *x = arg;
    (void)err;
    x->done = 1;
    poller_loop_stop(x->pl);
}

static void
idle_answer(void *arg, int err, const struct ipmi_resp *rsp)
{
    struct idle *x = arg;
    int ok = !err && rsp->cc == 0;
    if (!ok)
        printf("request %d: %s\n", x->step + 1, err ? ipmi_session_errmsg(x->s) : "cc != 0");
    if (x->step++ == 0) {
        x->ok1 = ok;
        return; /* the timer sends the second request */
    }
    x->ok2 = ok;
    uv_close((uv_handle_t *)&x->timer, NULL);
    ipmi_session_close(x->s, idle_closed, x);
}

static int
cmd_idle(char **av)
{
    struct secret *pw = password();
    struct idle x = {0};
    char err[256];
    x.pl = poller_loop_new();
    struct ipmi_session_opts o = {.host = av[0],
                                  .port = (uint16_t)atoi(av[1]),
                                  .user = "admin",
                                  .password = pw,
                                  .cipher_suite = atoi(av[2]),
                                  .timeout_ms = 300,
                                  .retries = 2,
                                  .keepalive_ms = UINT32_MAX};
    if (ipmi_session_new(x.pl, &o, &x.s, err, sizeof(err)) != 0) {
        printf("FAIL %s\n", err);
        return 1;
    }
    struct ipmi_req rq = {.netfn = IPMI_NETFN_APP, .cmd = 0x01};
    ipmi_session_submit(x.s, &rq, idle_answer, &x);
    uv_timer_init(poller_loop_uv(x.pl), &x.timer);
    x.timer.data = &x;
    uv_timer_start(&x.timer, idle_due, (uint64_t)atoi(av[3]) * 1000, 0);
    poller_loop_run(x.pl);
    struct ipmi_session_stats st;
    ipmi_session_stats(x.s, &st);
    ipmi_session_free(x.s);
    poller_loop_run(x.pl);
    check(x.ok1, "first request answered", x.ok1);
    check(x.ok2, "request after the idle period answered", x.ok2);
    check(st.reopens == 1, "session re-established exactly once", (long)st.reopens);
    check(st.keepalives == 0, "no keepalive was sent", (long)st.keepalives);
    check(st.failures == 0, "no request failed", (long)st.failures);
    check(x.done, "closed", x.done);
    poller_loop_free(x.pl);
    secret_free(pw);
    return finish();
}

/* ---- tamper --------------------------------------------------------------- */

struct proxy {
    uv_udp_t front; /* the session talks to this */
    uv_udp_t back;  /* connected to the BMC */
    struct sockaddr_storage client;
    int have_client;
    uint8_t last[2048];
    size_t last_len;
    uint8_t buf[2048];
    int injected[5];
};

static void
proxy_alloc(uv_handle_t *h, size_t sz, uv_buf_t *b)
{
    struct proxy *p = h->data;
    (void)sz;
    b->base = (char *)p->buf;
    b->len = sizeof(p->buf);
}

static void
to_client(struct proxy *p, const uint8_t *d, size_t n)
{
    uv_buf_t b = uv_buf_init((char *)(uintptr_t)d, (unsigned)n);
    uv_udp_try_send(&p->front, &b, 1, (const struct sockaddr *)&p->client);
}

static void
front_read(uv_udp_t *h, ssize_t n, const uv_buf_t *b, const struct sockaddr *from, unsigned f)
{
    struct proxy *p = h->data;
    (void)f;
    if (n <= 0 || !from)
        return;
    memcpy(&p->client, from, sizeof(struct sockaddr_in));
    p->have_client = 1;
    uv_buf_t out = uv_buf_init(b->base, (unsigned)n);
    uv_udp_try_send(&p->back, &out, 1, NULL);
}

static void
back_read(uv_udp_t *h, ssize_t n, const uv_buf_t *b, const struct sockaddr *from, unsigned f)
{
    struct proxy *p = h->data;
    (void)f;
    (void)from;
    if (n <= 0 || !p->have_client)
        return;
    const uint8_t *d = (const uint8_t *)b->base;
    size_t len = (size_t)n;
    /* In-session RMCP+ packets: auth type 6 and the authenticated bit. */
    if (len > 16 && d[4] == 0x06 && (d[5] & 0x40)) {
        uint8_t bad[2048];
        memcpy(bad, d, len);
        bad[len - 3] ^= 0x01; /* a flipped AuthCode bit */
        to_client(p, bad, len);
        p->injected[0]++;
        memcpy(bad, d, len);
        bad[6] ^= 0x5a; /* another session ID */
        to_client(p, bad, len);
        p->injected[1]++;
        to_client(p, d, 13); /* truncated */
        p->injected[2]++;
        memcpy(bad, d, len);
        bad[0] = 0x01; /* not RMCP */
        to_client(p, bad, len);
        p->injected[3]++;
        if (p->last_len) {
            to_client(p, p->last, p->last_len); /* a replay of the previous reply */
            p->injected[4]++;
        }
        memcpy(p->last, d, len);
        p->last_len = len;
    }
    to_client(p, d, len);
}

struct tamper {
    struct poller_loop *pl;
    struct ipmi_session *s;
    int sent, ok, bad, done;
    struct proxy *p;
};

static void
tamper_closed(void *arg, int err)
{
    struct tamper *t = arg;
    (void)err;
    t->done = 1;
    uv_close((uv_handle_t *)&t->p->front, NULL);
    uv_close((uv_handle_t *)&t->p->back, NULL);
    poller_loop_stop(t->pl);
}

static void
tamper_answer(void *arg, int err, const struct ipmi_resp *rsp)
{
    struct tamper *t = arg;
    if (!err && rsp->cc == 0)
        t->ok++;
    else {
        t->bad++;
        printf("request failed: %s\n", err ? ipmi_session_errmsg(t->s) : "cc");
    }
    if (++t->sent < 20) {
        struct ipmi_req rq = {.netfn = IPMI_NETFN_APP, .cmd = 0x01};
        ipmi_session_submit(t->s, &rq, tamper_answer, t);
    } else {
        ipmi_session_close(t->s, tamper_closed, t);
    }
}

static int
cmd_tamper(char **av)
{
    struct secret *pw = password();
    struct poller_loop *pl = poller_loop_new();
    uv_loop_t *uv = poller_loop_uv(pl);
    struct proxy p;
    memset(&p, 0, sizeof(p));
    struct sockaddr_in any, bmc, bound;
    int blen = sizeof(bound);
    char err[256], port[8];
    uv_ip4_addr("127.0.0.1", 0, &any);
    uv_ip4_addr(av[0], atoi(av[1]), &bmc);
    uv_udp_init(uv, &p.front);
    uv_udp_init(uv, &p.back);
    p.front.data = p.back.data = &p;
    uv_udp_bind(&p.front, (const struct sockaddr *)&any, 0);
    uv_udp_connect(&p.back, (const struct sockaddr *)&bmc);
    uv_udp_getsockname(&p.front, (struct sockaddr *)&bound, &blen);
    uv_udp_recv_start(&p.front, proxy_alloc, front_read);
    uv_udp_recv_start(&p.back, proxy_alloc, back_read);
    snprintf(port, sizeof(port), "%u", ntohs(bound.sin_port));

    struct tamper t = {.p = &p, .pl = pl};
    struct ipmi_session_opts o = {.host = "127.0.0.1",
                                  .port = (uint16_t)atoi(port),
                                  .user = "admin",
                                  .password = pw,
                                  .cipher_suite = atoi(av[2])};
    if (ipmi_session_new(pl, &o, &t.s, err, sizeof(err)) != 0) {
        printf("FAIL %s\n", err);
        return 1;
    }
    struct ipmi_req rq = {.netfn = IPMI_NETFN_APP, .cmd = 0x01};
    ipmi_session_submit(t.s, &rq, tamper_answer, &t);
    poller_loop_run(pl);
    struct ipmi_session_stats st;
    ipmi_session_stats(t.s, &st);
    ipmi_session_free(t.s);
    poller_loop_run(pl);
    check(t.ok == 20, "every request answered despite hostile packets", t.ok);
    check(t.bad == 0, "no request failed", t.bad);
    check(st.reopens == 0 && st.opens == 1, "one session throughout", (long)st.opens);
    check(st.drops[IPMI_DROP_INTEGRITY] >= (uint64_t)p.injected[0],
          "flipped AuthCode dropped as integrity", (long)st.drops[IPMI_DROP_INTEGRITY]);
    check(st.drops[IPMI_DROP_SESSION] >= (uint64_t)p.injected[1] && p.injected[1] > 0,
          "wrong session ID dropped as session", (long)st.drops[IPMI_DROP_SESSION]);
    check(st.drops[IPMI_DROP_LENGTH] >= (uint64_t)p.injected[2] && p.injected[2] > 0,
          "truncated packet dropped as length", (long)st.drops[IPMI_DROP_LENGTH]);
    check(st.drops[IPMI_DROP_HEADER] >= (uint64_t)p.injected[3] && p.injected[3] > 0,
          "non-RMCP packet dropped as header", (long)st.drops[IPMI_DROP_HEADER]);
    check(st.drops[IPMI_DROP_SEQUENCE] >= (uint64_t)p.injected[4] && p.injected[4] > 0,
          "replayed packet dropped as sequence", (long)st.drops[IPMI_DROP_SEQUENCE]);
    check(t.done, "closed", t.done);
    poller_loop_free(pl);
    secret_free(pw);
    return finish();
}

/* ---- sdrcache -------------------------------------------------------------- */

struct sdrc {
    struct poller_loop *pl;
    struct ipmi_session *s;
    struct ipmi_sdr_cache *first, *second;
    uint64_t req_after_first, req_after_second;
    int err1, err2, done;
};

static void
sdrc_closed(void *arg, int err)
{
    struct sdrc *x = arg;
    (void)err;
    x->done = 1;
    poller_loop_stop(x->pl);
}

static void
sdrc_second(void *arg, int err, struct ipmi_sdr_cache *c)
{
    struct sdrc *x = arg;
    struct ipmi_session_stats st;
    x->err2 = err;
    x->second = c;
    ipmi_session_stats(x->s, &st);
    x->req_after_second = st.requests;
    ipmi_session_close(x->s, sdrc_closed, x);
}

static void
sdrc_first(void *arg, int err, struct ipmi_sdr_cache *c)
{
    struct sdrc *x = arg;
    struct ipmi_session_stats st;
    x->err1 = err;
    x->first = c;
    ipmi_session_stats(x->s, &st);
    x->req_after_first = st.requests;
    if (err || ipmi_sdr_load(x->s, c, sdrc_second, x) != 0)
        ipmi_session_close(x->s, sdrc_closed, x);
}

static int
cmd_sdrcache(char **av)
{
    struct secret *pw = password();
    struct sdrc x = {0};
    char err[256];
    x.pl = poller_loop_new();
    struct ipmi_session_opts o = {.host = av[0],
                                  .port = (uint16_t)atoi(av[1]),
                                  .user = "admin",
                                  .password = pw,
                                  .cipher_suite = atoi(av[2])};
    if (ipmi_session_new(x.pl, &o, &x.s, err, sizeof(err)) != 0) {
        printf("FAIL %s\n", err);
        return 1;
    }
    ipmi_sdr_load(x.s, NULL, sdrc_first, &x);
    poller_loop_run(x.pl);
    ipmi_session_free(x.s);
    poller_loop_run(x.pl);
    check(x.err1 == 0 && x.first != NULL, "SDR repository read", x.err1);
    size_t n = ipmi_sdr_cache_count(x.first);
    check(n >= 27, "records decoded (27 on bmcsim)", (long)n);
    check(x.err2 == 0 && x.second == x.first, "second load keeps the current cache", x.err2);
    check(x.req_after_second - x.req_after_first == 1,
          "second load costs one request (repository info)",
          (long)(x.req_after_second - x.req_after_first));
    const uint8_t *blob;
    size_t len;
    struct ipmi_sdr_cache *back = NULL;
    ipmi_sdr_cache_blob(x.first, &blob, &len);
    int rc = ipmi_sdr_cache_from_blob(blob, len, &back);
    check(rc == 0 && ipmi_sdr_cache_count(back) == n, "cache rebuilt from its blob",
          (long)ipmi_sdr_cache_count(back));
    int same = back != NULL;
    for (size_t i = 0; same && i < n; i++)
        same = memcmp(ipmi_sdr_cache_get(back, i), ipmi_sdr_cache_get(x.first, i),
                      sizeof(struct ipmi_sdr)) == 0;
    check(same, "rebuilt records equal the read ones", same);
    const struct ipmi_sdr *d = ipmi_sdr_cache_find(x.first, 0x20, 0, 0x01);
    check(d && strcmp(d->name, "CPU1 Temp") == 0, "sensor 0x01 is CPU1 Temp", d != NULL);
    uint8_t bad[64];
    memcpy(bad, blob, len < sizeof(bad) ? len : sizeof(bad));
    bad[0] ^= 0xFF;
    ipmi_sdr_cache_free(back);
    back = NULL;
    check(ipmi_sdr_cache_from_blob(bad, sizeof(bad), &back) == IC_EPROTO && back == NULL,
          "a damaged blob is refused with IC_EPROTO", 1);
    check(ipmi_sdr_cache_from_blob(blob, len - 3, &back) == IC_EPROTO,
          "a truncated blob is refused", 1);
    ipmi_sdr_cache_free(x.first);
    poller_loop_free(x.pl);
    secret_free(pw);
    return finish();
}

/* ---- quirks ----------------------------------------------------------------- */

struct qproxy {
    uv_udp_t front, back;
    struct sockaddr_storage client;
    int have_client;
    uint8_t fail_ca[64]; /* by rqSeq: answer this request with cc 0xCA */
    int resv_broken, injected_ca, injected_c5, reserves;
    uint8_t buf[2048];
};

static uint8_t
cksum(const uint8_t *p, size_t n)
{
    unsigned s = 0;
    for (size_t i = 0; i < n; i++)
        s += p[i];
    return (uint8_t)(0x100 - (s & 0xFF));
}

/* A cleartext in-session IPMI packet: RMCP(4) authtype 6, payload type 0, SID, seq, len. */
static uint8_t *
clear_msg(uint8_t *d, size_t len, size_t *mlen)
{
    if (len < 16 + 7 || d[4] != 0x06 || d[5] != 0x00)
        return NULL;
    *mlen = (size_t)(d[14] | d[15] << 8);
    return *mlen + 16 <= len ? d + 16 : NULL;
}

static void
q_alloc(uv_handle_t *h, size_t sz, uv_buf_t *b)
{
    struct qproxy *p = h->data;
    (void)sz;
    b->base = (char *)p->buf;
    b->len = sizeof(p->buf);
}

static void
q_front(uv_udp_t *h, ssize_t n, const uv_buf_t *b, const struct sockaddr *from, unsigned f)
{
    struct qproxy *p = h->data;
    uint8_t *d = (uint8_t *)b->base, *m;
    size_t ml;
    (void)f;
    if (n <= 0 || !from)
        return;
    memcpy(&p->client, from, sizeof(struct sockaddr_in));
    p->have_client = 1;
    if ((m = clear_msg(d, (size_t)n, &ml)) != NULL && ml >= 7 && (m[1] >> 2) == 0x0A) {
        uint8_t seq = m[4] >> 2, cmd = m[5], *data = m + 6;
        size_t dl = ml - 7;
        if (cmd == 0x23 && dl == 6) { /* Get SDR: resv(2) id(2) offset count */
            p->fail_ca[seq] = data[5] > 16 && data[5] != 0xFF;
            if (!p->resv_broken && data[4] > 0 && data[2] == 3 && !p->fail_ca[seq]) {
                data[0] ^= 0x55; /* as if someone else had reserved the repository */
                m[ml - 1] = cksum(m + 3, ml - 4);
                p->resv_broken = 1;
                p->injected_c5++;
            }
        } else if (cmd == 0x22) { /* Reserve SDR Repository */
            p->reserves++;
            p->fail_ca[seq] = 0;
        } else if (cmd == 0x11 && dl == 4) { /* Read FRU Data: dev off(2) count */
            p->fail_ca[seq] = data[3] > 16;
        } else {
            p->fail_ca[seq] = 0;
        }
    }
    uv_buf_t out = uv_buf_init(b->base, (unsigned)n);
    uv_udp_try_send(&p->back, &out, 1, NULL);
}

static void
q_back(uv_udp_t *h, ssize_t n, const uv_buf_t *b, const struct sockaddr *from, unsigned f)
{
    struct qproxy *p = h->data;
    uint8_t *d = (uint8_t *)b->base, *m;
    size_t ml, len = (size_t)n;
    (void)f;
    (void)from;
    if (n <= 0 || !p->have_client)
        return;
    if ((m = clear_msg(d, len, &ml)) != NULL && ml >= 8 && p->fail_ca[m[4] >> 2]) {
        p->fail_ca[m[4] >> 2] = 0;
        m[6] = 0xCA; /* cannot return the number of requested data bytes */
        m[7] = cksum(m + 3, 4);
        d[14] = 8;
        d[15] = 0;
        len = 16 + 8;
        p->injected_ca++;
    }
    uv_buf_t out = uv_buf_init((char *)d, (unsigned)len);
    uv_udp_try_send(&p->front, &out, 1, (const struct sockaddr *)&p->client);
}

struct quirks {
    struct poller_loop *pl;
    struct ipmi_session *s;
    struct qproxy *p;
    struct ipmi_sdr_cache *cache;
    int sdr_err, fru_err, done;
    size_t fru_len;
    struct ipmi_fru fru;
};

static void
q_closed(void *arg, int err)
{
    struct quirks *q = arg;
    (void)err;
    q->done = 1;
    uv_close((uv_handle_t *)&q->p->front, NULL);
    uv_close((uv_handle_t *)&q->p->back, NULL);
    poller_loop_stop(q->pl);
}

static void
q_fru(void *arg, int err, const uint8_t *img, size_t len)
{
    struct quirks *q = arg;
    q->fru_err = err;
    q->fru_len = len;
    if (!err)
        ipmi_fru_decode(img, len, &q->fru);
    ipmi_session_close(q->s, q_closed, q);
}

static void
q_sdr(void *arg, int err, struct ipmi_sdr_cache *c)
{
    struct quirks *q = arg;
    q->sdr_err = err;
    q->cache = c;
    if (ipmi_fru_read(q->s, 0, q_fru, q) != 0)
        ipmi_session_close(q->s, q_closed, q);
}

static int
cmd_quirks(char **av)
{
    struct secret *pw = password();
    struct poller_loop *pl = poller_loop_new();
    uv_loop_t *uv = poller_loop_uv(pl);
    struct qproxy p;
    memset(&p, 0, sizeof(p));
    struct sockaddr_in any, bmc, bound;
    int blen = sizeof(bound);
    char err[256];
    uv_ip4_addr("127.0.0.1", 0, &any);
    uv_ip4_addr(av[0], atoi(av[1]), &bmc);
    uv_udp_init(uv, &p.front);
    uv_udp_init(uv, &p.back);
    p.front.data = p.back.data = &p;
    uv_udp_bind(&p.front, (const struct sockaddr *)&any, 0);
    uv_udp_connect(&p.back, (const struct sockaddr *)&bmc);
    uv_udp_getsockname(&p.front, (struct sockaddr *)&bound, &blen);
    uv_udp_recv_start(&p.front, q_alloc, q_front);
    uv_udp_recv_start(&p.back, q_alloc, q_back);

    struct quirks q = {.pl = pl, .p = &p};
    struct ipmi_session_opts o = {.host = "127.0.0.1",
                                  .port = ntohs(bound.sin_port),
                                  .user = "admin",
                                  .password = pw,
                                  .cipher_suite = 0,
                                  .insecure = IPMI_ALLOW_SUITE0_INSECURE};
    if (ipmi_session_new(pl, &o, &q.s, err, sizeof(err)) != 0) {
        printf("FAIL %s\n", err);
        return 1;
    }
    ipmi_sdr_load(q.s, NULL, q_sdr, &q);
    poller_loop_run(pl);
    ipmi_session_free(q.s);
    poller_loop_run(pl);
    check(q.sdr_err == 0, "SDR read despite the quirks", q.sdr_err);
    check(ipmi_sdr_cache_count(q.cache) == 27, "all 27 records",
          (long)ipmi_sdr_cache_count(q.cache));
    const struct ipmi_sdr *d = ipmi_sdr_cache_find(q.cache, 0x20, 0, 0x21);
    check(d && strcmp(d->name, "5V") == 0 && d->m == 26, "record for 5V intact (M = 26)",
          d ? d->m : -1);
    check(p.injected_ca > 0, "chunks over 16 bytes were refused with 0xCA", p.injected_ca);
    check(p.injected_c5 == 1, "the reservation was cancelled once", p.injected_c5);
    check(p.reserves == 2, "the BMC's 0xC5 made the reader reserve again", p.reserves);
    check(q.fru_err == 0 && q.fru_len == 512, "FRU 0 read whole in small chunks", (long)q.fru_len);
    check(strcmp(q.fru.board_serial.text, "BSN000001A") == 0, "board serial BSN000001A", 0);
    check(q.done, "closed", q.done);
    ipmi_sdr_cache_free(q.cache);
    poller_loop_free(pl);
    secret_free(pw);
    return finish();
}

/* ---- faults ------------------------------------------------------------------- */

struct fload {
    struct poller_loop *pl;
    struct ipmi_session *s;
    unsigned n, sent, ok, bad, done;
};

static void
f_closed(void *arg, int err)
{
    struct fload *x = arg;
    (void)err;
    x->done = 1;
    poller_loop_stop(x->pl);
}

static void
f_answer(void *arg, int err, const struct ipmi_resp *rsp)
{
    struct fload *x = arg;
    if (!err && rsp->cc == 0)
        x->ok++;
    else {
        x->bad++;
        printf("request failed: %s\n", err ? ipmi_session_errmsg(x->s) : "cc");
    }
    if (++x->sent < x->n) {
        struct ipmi_req rq = {.netfn = IPMI_NETFN_APP, .cmd = 0x01};
        ipmi_session_submit(x->s, &rq, f_answer, x);
    } else {
        ipmi_session_close(x->s, f_closed, x);
    }
}

static int
cmd_faults(char **av)
{
    struct secret *pw = password();
    struct fload x = {.n = (unsigned)atoi(av[3])};
    const char *kind = av[4];
    char err[256];
    x.pl = poller_loop_new();
    struct ipmi_session_opts o = {.host = av[0],
                                  .port = (uint16_t)atoi(av[1]),
                                  .user = "admin",
                                  .password = pw,
                                  .cipher_suite = atoi(av[2]),
                                  .timeout_ms = 400,
                                  .retries = 6};
    if (ipmi_session_new(x.pl, &o, &x.s, err, sizeof(err)) != 0) {
        printf("FAIL %s\n", err);
        return 1;
    }
    struct ipmi_req rq = {.netfn = IPMI_NETFN_APP, .cmd = 0x01};
    ipmi_session_submit(x.s, &rq, f_answer, &x);
    poller_loop_run(x.pl);
    struct ipmi_session_stats st;
    ipmi_session_stats(x.s, &st);
    ipmi_session_free(x.s);
    poller_loop_run(x.pl);
    check(x.ok == x.n, "every request answered", x.ok);
    check(x.bad == 0, "no request failed", x.bad);
    if (strcmp(kind, "hostile") == 0) {
        check(st.drops[IPMI_DROP_LENGTH] >= x.n, "truncated copies dropped (length)",
              (long)st.drops[IPMI_DROP_LENGTH]);
        check(st.drops[IPMI_DROP_INTEGRITY] >= x.n, "flipped AuthCodes dropped (integrity)",
              (long)st.drops[IPMI_DROP_INTEGRITY]);
        check(st.drops[IPMI_DROP_SESSION] >= x.n, "other sessions' packets dropped (session)",
              (long)st.drops[IPMI_DROP_SESSION]);
        check(st.drops[IPMI_DROP_HEADER] >= x.n, "non-RMCP packets dropped (header)",
              (long)st.drops[IPMI_DROP_HEADER]);
        check(st.reopens == 0, "the session survived", (long)st.reopens);
    } else if (strcmp(kind, "loss") == 0) {
        check(st.retransmits > 0, "losses made up by retransmission", (long)st.retransmits);
    } else {
        check(st.reopens == 0, "slow answers did not break the session", (long)st.reopens);
    }
    check(x.done, "closed", x.done);
    poller_loop_free(x.pl);
    secret_free(pw);
    return finish();
}

/* ---- pipeline ------------------------------------------------------------------ */

struct pipe {
    struct poller_loop *pl;
    struct ipmi_session *s;
    struct ipmi_sdr_cache *c;
    struct ipmi_reading *r;
    size_t n;
    int err;
};

static void
p_stop(void *arg, int err)
{
    struct pipe *x = arg;
    (void)err;
    poller_loop_stop(x->pl);
}

static void
p_read(void *arg, int err, const struct ipmi_reading *r, size_t n)
{
    struct pipe *x = arg;
    x->err = err;
    if (!err && n) {
        x->r = malloc(n * sizeof(*r));
        if (x->r) {
            memcpy(x->r, r, n * sizeof(*r));
            x->n = n;
        }
    }
    ipmi_session_close(x->s, p_stop, x);
}

static void
p_sdr(void *arg, int err, struct ipmi_sdr_cache *c)
{
    struct pipe *x = arg;
    x->err = err;
    x->c = c;
    if (err || ipmi_sensors_read(x->s, c, 0, p_read, x) != 0)
        ipmi_session_close(x->s, p_stop, x);
}

/* One sweep with max_inflight = window; the SDR cache is read first (or reused). */
static int
p_sweep(char **av, unsigned window, struct ipmi_sdr_cache *cache, struct pipe *x,
        struct ipmi_session_stats *st)
{
    struct secret *pw = password();
    char err[256];
    x->pl = poller_loop_new();
    struct ipmi_session_opts o = {.host = av[0],
                                  .port = (uint16_t)atoi(av[1]),
                                  .user = "admin",
                                  .password = pw,
                                  .cipher_suite = atoi(av[2]),
                                  .timeout_ms = 400,
                                  .retries = 6,
                                  .max_inflight = window};
    int rc = ipmi_session_new(x->pl, &o, &x->s, err, sizeof(err));
    secret_free(pw);
    if (rc != 0) {
        printf("FAIL %s\n", err);
        return rc;
    }
    if (cache)
        p_sdr(x, 0, cache);
    else
        ipmi_sdr_load(x->s, NULL, p_sdr, x);
    poller_loop_run(x->pl);
    ipmi_session_stats(x->s, st);
    ipmi_session_free(x->s);
    poller_loop_run(x->pl);
    poller_loop_free(x->pl);
    return x->err;
}

static int
cmd_pipeline(char **av)
{
    unsigned window = (unsigned)atoi(av[3]);
    struct pipe one = {0}, many = {0};
    struct ipmi_session_stats st1, stw;
    int rc1 = p_sweep(av, 1, NULL, &one, &st1);
    check(rc1 == 0 && one.n >= 20, "sweep with one request in flight", (long)one.n);
    if (rc1 != 0 || !one.c)
        return finish();
    int rcw = p_sweep(av, window, one.c, &many, &stw);
    check(rcw == 0 && many.n == one.n, "pipelined sweep: as many readings", (long)many.n);
    size_t same = 0, valued = 0;
    for (size_t i = 0; i < one.n && i < many.n; i++) {
        same +=
            one.r[i].record_id == many.r[i].record_id && strcmp(one.r[i].name, many.r[i].name) == 0;
        valued += one.r[i].has_value == many.r[i].has_value;
    }
    check(same == one.n, "the same sensors in repository order", (long)same);
    check(valued == one.n, "each with a reading in both sweeps (or in neither)", (long)valued);
    check(st1.peak_inflight == 1, "one at a time when max_inflight is 1", (long)st1.peak_inflight);
    check(stw.peak_inflight == window, "WINDOW requests out at once when pipelined",
          (long)stw.peak_inflight);
    printf("     (pipelined: %llu retransmissions, %llu back-offs to one request)\n",
           (unsigned long long)stw.retransmits, (unsigned long long)stw.backoffs);
    if (getenv("IC_EXPECT_BACKOFF"))
        check(stw.retransmits > 0 && stw.backoffs > 0,
              "a retransmission shrank the window to one request", (long)stw.backoffs);
    free(one.r);
    free(many.r);
    ipmi_sdr_cache_free(one.c);
    return finish();
}

int
main(int argc, char **argv)
{
    if (argc >= 8 && strcmp(argv[1], "hold") == 0)
        return cmd_hold(argv + 2);
    if (argc >= 6 && strcmp(argv[1], "idle") == 0)
        return cmd_idle(argv + 2);
    if (argc >= 7 && strcmp(argv[1], "faults") == 0)
        return cmd_faults(argv + 2);
    if (argc >= 4 && strcmp(argv[1], "quirks") == 0)
        return cmd_quirks(argv + 2);
    if (argc >= 5 && strcmp(argv[1], "sdrcache") == 0)
        return cmd_sdrcache(argv + 2);
    if (argc >= 6 && strcmp(argv[1], "pipeline") == 0)
        return cmd_pipeline(argv + 2);
    if (argc >= 5 && strcmp(argv[1], "tamper") == 0)
        return cmd_tamper(argv + 2);
    fprintf(stderr, "usage: sessiontool hold|idle|tamper ... (see the file comment)\n");
    return 2;
}
