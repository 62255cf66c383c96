/* SPDX-License-Identifier: Apache-2.0 */
/*
 * deliver.c - alert delivery: one thread with one libcurl multi handle POSTs
 * the outbox (storage/) to webhooks and Alertmanagers.
 *
 * Every tick (1 s, sooner after a kick or a finished transfer) the thread asks
 * storage, per receiver, for the due rows (each target's oldest pending one:
 * per-target order) up to the receiver's free slots, POSTs them, and reports
 * each outcome back to storage: delivered on 2xx, else failed with the next
 * try at now + min(1 s x 2^attempts, 5 min) + up to 20 % jitter (at least a
 * 429/503's Retry-After), or dead once the row is older than max_age. Every
 * non-2xx answer is a failure, 4xx included: a 400/401/404 is almost always a
 * receiver or configuration mistake that the operator fixes, and dropping the
 * alert at once would lose it; the cost is retries until max_age.
 *
 * Storage writes are asynchronous, so a row whose outcome was reported may
 * still read back as due until the writer commits it: the thread remembers
 * the rows it sent and skips them until the commit shows (deliver_rcv.c).
 *
 * Alertmanager: every resend period the firing alerts nothing has resolved
 * (storage_outbox_active) are POSTed again, outside the outbox (a failure is
 * only counted and logged). A re-send and the receiver's outbox transfers
 * never overlap, so a resolution cannot be overtaken by an older re-send.
 *
 * Locking: mu guards next/nnext/has_next (receivers handed over by
 * exp_deliver_set_receivers) and pub/npub (counters for exp_deliver_stats).
 * Everything else belongs to the delivery thread. No lock is held across
 * I/O; storage reads take storage's own read lock.
 */
#include "deliver_int.h"
#include "deliver_rcv.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "ic_err.h"
#include "log.h"
#include "secret.h"
#include "storage.h"

#define DELIVER_TICK_MS       1000u
#define DELIVER_IDLE_STATS_MS 60000u
#define DELIVER_AGAIN_MS      100u /* after a transfer ends: its target's next row may be due */
#define DELIVER_BACKOFF_MS    1000u
#define DELIVER_BACKOFF_MAX   (5u * 60u * 1000u)
#define DELIVER_RETRY_AFTER   (60u * 60u * 1000u) /* cap on a receiver's Retry-After */
#define DELIVER_RESEND_CHUNK  500                 /* alerts per Alertmanager re-send POST */
#define DELIVER_RESP_MAX      200                 /* response bytes kept for the error message */

struct xfer {
    struct xfer *next, *prev;
    CURL *e;
    struct rcv *r;
    struct curl_slist *hdrs;
    char *body;
    size_t len;
    int resend;
    int64_t id;
    unsigned attempts;
    uint64_t created_at;
    char *key, *target;
    char resp[DELIVER_RESP_MAX + 1];
    size_t resplen;
    char errbuf[CURL_ERROR_SIZE];
};

struct exp_deliver {
    struct storage *st;
    CURLM *multi;
    pthread_t thr;
    int started;
    int stop, kicked; /* atomics */

    pthread_mutex_t mu;
    struct rcv **next;
    size_t nnext;
    int has_next;
    struct exp_receiver_stats *pub;
    size_t npub;

    /* the delivery thread's */
    struct rcv **rv;
    size_t nrv;
    struct xfer *xfers;
    uint64_t next_tick;
    uint64_t next_stats; /* with no receiver the outbox is only looked at this often */
    unsigned seed;
    struct outbox_stats {
        uint64_t pending;
        double oldest_age_s;
    } ob;
    struct log_limit ll_storage;
};

/* Delivery thread: takes the receivers handed over by exp_deliver_set_receivers. */
static void
apply_next(struct exp_deliver *d)
{
    pthread_mutex_lock(&d->mu);
    if (!d->has_next) {
        pthread_mutex_unlock(&d->mu);
        return;
    }
    struct rcv **nv = d->next;
    size_t nn = d->nnext;
    d->next = NULL;
    d->nnext = 0;
    d->has_next = 0;
    pthread_mutex_unlock(&d->mu);

    struct rcv **all = calloc(nn + d->nrv + 1, sizeof(*all));
    if (!all) {
        log_err("alert delivery: out of memory applying new receivers (keeping the old ones)");
        dlv_rcvs_free(nv, nn);
        return;
    }
    size_t k = 0;
    for (size_t i = 0; i < nn; i++) {
        struct rcv *old = NULL;
        for (size_t j = 0; j < d->nrv && !old; j++)
            if (d->rv[j] && !d->rv[j]->removed && strcmp(d->rv[j]->name, nv[i]->name) == 0)
                old = d->rv[j];
        if (old) {
            for (size_t j = 0; j < d->nrv; j++)
                if (d->rv[j] == old)
                    d->rv[j] = NULL;
            dlv_rcv_take_settings(old, nv[i]);
            all[k++] = old;
        } else {
            all[k++] = nv[i];
        }
    }
    /* Receivers no longer configured: kept until their transfers end. */
    for (size_t j = 0; j < d->nrv; j++) {
        struct rcv *r = d->rv[j];
        if (!r)
            continue;
        r->removed = 1;
        if (r->inflight || r->resending)
            all[k++] = r;
        else
            dlv_rcv_free(r);
    }
    free(nv);
    free(d->rv);
    d->rv = all;
    d->nrv = k;
}

/* ---- transfers ---------------------------------------------------------------------------- */

static size_t
on_body(char *p, size_t size, size_t nmemb, void *arg)
{
    struct xfer *x = arg;
    size_t n = size * nmemb, room = DELIVER_RESP_MAX - x->resplen;
    size_t take = n < room ? n : room;
    memcpy(x->resp + x->resplen, p, take);
    x->resplen += take;
    x->resp[x->resplen] = '\0';
    return n;
}

static void
xfer_free(struct xfer *x)
{
    if (!x)
        return;
    if (x->e)
        curl_easy_cleanup(x->e);
    curl_slist_free_all(x->hdrs);
    free(x->body);
    free(x->key);
    free(x->target);
    free(x);
}

static int
add_header(struct curl_slist **l, const char *h)
{
    struct curl_slist *n = curl_slist_append(*l, h);
    if (!n)
        return IC_ENOMEM;
    *l = n;
    return 0;
}

/* Headers: ours, then the receiver's custom ones. */
static int
build_headers(struct xfer *x, const struct rcv *r, const char *key)
{
    char h[640]; /* keys are at most a few hundred bytes (collector/alerts.c) */
    int err = add_header(&x->hdrs, "Content-Type: application/json");
    err = err ? err : add_header(&x->hdrs, "Expect:"); /* no 100-continue round trip */
    if (!err && key) {
        snprintf(h, sizeof(h), "Idempotency-Key: %s", key);
        err = add_header(&x->hdrs, h);
    }
    if (!err && r->secret && r->type == EXP_RCV_WEBHOOK) {
        char hex[65];
        err = alert_hmac_hex(secret_bytes(r->secret), secret_len(r->secret), x->body, x->len, hex);
        snprintf(h, sizeof(h), "X-Signature-256: sha256=%s", hex);
        err = err ? err : add_header(&x->hdrs, h);
    }
    for (size_t i = 0; !err && i < r->nheaders; i++)
        err = add_header(&x->hdrs, r->headers[i]);
    return err;
}

/* Takes body. Starts the POST; 0, or IC_ENOMEM/IC_EIO (nothing started, body freed). */
static int
xfer_start(struct exp_deliver *d, struct rcv *r, char *body, size_t len, const char *key,
           struct xfer **out)
{
    struct xfer *x = calloc(1, sizeof(*x));
    if (!x) {
        free(body);
        return IC_ENOMEM;
    }
    x->body = body;
    x->len = len;
    x->r = r;
    int err = build_headers(x, r, key);
    if (!err && !(x->e = curl_easy_init()))
        err = IC_ENOMEM;
    if (err) {
        xfer_free(x);
        return err;
    }
    CURL *e = x->e;
    curl_easy_setopt(e, CURLOPT_URL, r->url);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_POST, 1L);
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, x->body);
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)x->len);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, x->hdrs);
    curl_easy_setopt(e, CURLOPT_USERAGENT, "ipmi-collector/" IC_VERSION);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)r->timeout_ms);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, r->tls_verify ? 1L : 0L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, r->tls_verify ? 2L : 0L);
    if (r->ca_file)
        curl_easy_setopt(e, CURLOPT_CAINFO, r->ca_file);
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->errbuf);
    curl_easy_setopt(e, CURLOPT_PRIVATE, x);
    if (curl_multi_add_handle(d->multi, e) != CURLM_OK) {
        xfer_free(x);
        return IC_EIO;
    }
    x->next = d->xfers;
    if (d->xfers)
        d->xfers->prev = x;
    d->xfers = x;
    *out = x;
    return 0;
}

static void
xfer_unlink(struct exp_deliver *d, struct xfer *x)
{
    if (x->prev)
        x->prev->next = x->next;
    else
        d->xfers = x->next;
    if (x->next)
        x->next->prev = x->prev;
    curl_multi_remove_handle(d->multi, x->e);
}

/* One due row: its body, a POST, a tracking entry. */
static void
send_item(struct exp_deliver *d, struct rcv *r, const struct storage_outbox_item *it, uint64_t now)
{
    size_t len = 0;
    char *body = r->type == EXP_RCV_WEBHOOK ? alert_webhook_body(it, &len)
                                            : alert_am_body(&it, 1, now, r->resend_ms, &len);
    struct xfer *x = NULL;
    if (!body || dlv_track_add(r, it) != 0) {
        free(body);
        log_warn("receiver %s: out of memory building alert %s", r->name, it->key);
        return;
    }
    if (xfer_start(d, r, body, len, it->key, &x) != 0) {
        dlv_track_del(r, &r->tr[r->ntr - 1]);
        log_warn("receiver %s: cannot start a request for alert %s", r->name, it->key);
        return;
    }
    x->id = it->id;
    x->attempts = it->attempts;
    x->created_at = it->created_at;
    x->key = strdup(it->key);
    x->target = strdup(it->target);
    r->inflight++;
}

/* "HTTP 503: body..." or curl's error, for logs and the outbox's last_error. */
static void
outcome_text(struct xfer *x, CURLcode res, long code, char *out, size_t outlen)
{
    if (res != CURLE_OK) {
        snprintf(out, outlen, "%s", x->errbuf[0] ? x->errbuf : curl_easy_strerror(res));
        return;
    }
    for (size_t i = 0; i < x->resplen; i++)
        if ((unsigned char)x->resp[i] < 0x20)
            x->resp[i] = ' ';
    snprintf(out, outlen, "HTTP %ld%s%s", code, x->resplen ? ": " : "", x->resp);
}

static uint64_t
backoff_ms(struct exp_deliver *d, unsigned attempts, CURL *e, long code)
{
    uint64_t delay = attempts >= 9 ? DELIVER_BACKOFF_MAX : (uint64_t)DELIVER_BACKOFF_MS << attempts;
    if (delay > DELIVER_BACKOFF_MAX)
        delay = DELIVER_BACKOFF_MAX;
    delay += (uint64_t)rand_r(&d->seed) % (delay / 5u + 1u);
    curl_off_t ra = 0;
    if ((code == 429 || code == 503) &&
        curl_easy_getinfo(e, CURLINFO_RETRY_AFTER, &ra) == CURLE_OK && ra > 0) {
        uint64_t ms = (uint64_t)ra * 1000u;
        if (ms > DELIVER_RETRY_AFTER)
            ms = DELIVER_RETRY_AFTER;
        if (ms > delay)
            delay = ms;
    }
    return delay;
}

static void
outbox_done(struct exp_deliver *d, struct xfer *x, CURLcode res, long code)
{
    struct rcv *r = x->r;
    struct track *t = dlv_track_find(r, x->id);
    uint64_t now = clock_wall_ms(), mono = clock_mono_ms();
    int rc;
    r->inflight--;
    if (t)
        t->inflight = 0; /* reported: skipped until the commit shows */
    if (res == CURLE_OK && code >= 200 && code < 300) {
        r->sent++;
        rc = storage_outbox_delivered(d->st, x->id);
        log_limit_ok(&r->ll_fail, LOG_LVL_INFO, "receiver %s: delivering again", r->name);
    } else {
        char why[320];
        outcome_text(x, res, code, why, sizeof(why));
        r->failed++;
        uint64_t next = now + backoff_ms(d, x->attempts, x->e, code);
        uint64_t deadline = x->created_at + r->max_age_ms;
        int dead = now >= deadline;
        if (!dead && next > deadline)
            next = deadline; /* the last try is at max_age, not after it */
        rc = storage_outbox_failed(d->st, x->id, next, why, dead);
        if (dead) {
            r->dead++;
            log_limit_fail(&r->ll_dead, mono, LOG_LVL_ERR,
                           "receiver %s: alert %s of %s is dead: undelivered after max_age, %u "
                           "attempts (see `ipmi-collector alerts list --state dead`): %s",
                           r->name, x->key, x->target, x->attempts + 1, why);
        } else {
            r->retried++;
            log_limit_fail(&r->ll_fail, mono, LOG_LVL_WARN,
                           "receiver %s: POST %s failed: %s (alert %s of %s; retried)", r->name,
                           r->url, why, x->key, x->target);
        }
    }
    if (rc != 0 && t)
        dlv_track_del(r, t); /* not queued: the row is unchanged, send it again */
}

static void
resend_done(struct xfer *x, CURLcode res, long code)
{
    struct rcv *r = x->r;
    r->resending--;
    if (res == CURLE_OK && code >= 200 && code < 300)
        return;
    char why[320];
    outcome_text(x, res, code, why, sizeof(why));
    r->failed++;
    log_limit_fail(&r->ll_fail, clock_mono_ms(), LOG_LVL_WARN,
                   "receiver %s: re-sending firing alerts to %s failed: %s", r->name, r->url, why);
}

/* Collects finished transfers; returns how many ended. */
static unsigned
reap(struct exp_deliver *d)
{
    CURLMsg *m;
    int left;
    unsigned n = 0;
    while ((m = curl_multi_info_read(d->multi, &left)) != NULL) {
        if (m->msg != CURLMSG_DONE)
            continue;
        struct xfer *x = NULL;
        long code = 0;
        curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&x);
        curl_easy_getinfo(m->easy_handle, CURLINFO_RESPONSE_CODE, &code);
        CURLcode res = m->data.result;
        xfer_unlink(d, x);
        if (x->resend)
            resend_done(x, res, code);
        else
            outbox_done(d, x, res, code);
        xfer_free(x);
        n++;
    }
    return n;
}

/* ---- per tick ----------------------------------------------------------------------------- */

static void
storage_trouble(struct exp_deliver *d, const char *what)
{
    log_limit_fail(&d->ll_storage, clock_mono_ms(), LOG_LVL_WARN, "alert delivery: %s: %s", what,
                   storage_errmsg(d->st));
}

/* Alertmanager: the firing alerts again, once the receiver's outbox transfers are done. */
static void
maybe_resend(struct exp_deliver *d, struct rcv *r, uint64_t now, uint64_t mono)
{
    if (r->type != EXP_RCV_ALERTMANAGER || r->resending || mono < r->next_resend_mono)
        return;
    r->want_resend = 1;
    if (r->inflight)
        return;
    struct storage_outbox_item *v = NULL;
    size_t n = 0;
    if (storage_outbox_active(d->st, r->name, &v, &n) != 0) {
        storage_trouble(d, "reading the active alerts");
        return;
    }
    r->want_resend = 0;
    r->next_resend_mono = mono + r->resend_ms;
    for (size_t i = 0; i < n; i += DELIVER_RESEND_CHUNK) {
        size_t k = n - i < DELIVER_RESEND_CHUNK ? n - i : DELIVER_RESEND_CHUNK, len = 0;
        const struct storage_outbox_item *p[DELIVER_RESEND_CHUNK];
        for (size_t j = 0; j < k; j++)
            p[j] = &v[i + j];
        char *body = alert_am_body(p, k, now, r->resend_ms, &len);
        struct xfer *x = NULL;
        if (body && xfer_start(d, r, body, len, NULL, &x) == 0) {
            x->resend = 1;
            r->resending++;
        } else {
            log_warn("receiver %s: cannot start re-sending firing alerts", r->name);
        }
    }
    storage_outbox_free(v, n);
}

static void
poll_receiver(struct exp_deliver *d, struct rcv *r, uint64_t now)
{
    if (r->want_resend || r->resending || r->inflight >= r->max_concurrency)
        return;
    size_t free_slots = r->max_concurrency - r->inflight, max = free_slots + r->ntr, n = 0;
    struct storage_outbox_item *v = NULL;
    if (storage_outbox_due(d->st, r->name, now, max, &v, &n) != 0) {
        storage_trouble(d, "reading the outbox");
        return;
    }
    log_limit_ok(&d->ll_storage, LOG_LVL_INFO, "alert delivery: reading the outbox again");
    char *skip = n ? calloc(n, 1) : NULL;
    if (n && !skip) {
        storage_outbox_free(v, n);
        return;
    }
    dlv_track_reconcile(r, v, n, n == max, skip);
    for (size_t i = 0; i < n && free_slots; i++) {
        if (skip[i])
            continue;
        send_item(d, r, &v[i], now);
        free_slots--;
    }
    free(skip);
    storage_outbox_free(v, n);
}

static void
publish(struct exp_deliver *d)
{
    size_t live = 0;
    for (size_t i = 0; i < d->nrv; i++)
        live += !d->rv[i]->removed;
    struct exp_receiver_stats *v = live ? calloc(live, sizeof(*v)) : NULL;
    if (live && !v)
        return;
    size_t k = 0;
    for (size_t i = 0; i < d->nrv; i++) {
        const struct rcv *r = d->rv[i];
        if (r->removed)
            continue;
        snprintf(v[k].name, sizeof(v[k].name), "%s", r->name);
        v[k].sent = r->sent;
        v[k].failed = r->failed;
        v[k].retried = r->retried;
        v[k].dead = r->dead;
        v[k].pending = d->ob.pending;
        v[k].oldest_pending_age_s = d->ob.oldest_age_s;
        k++;
    }
    pthread_mutex_lock(&d->mu);
    free(d->pub);
    d->pub = v;
    d->npub = k;
    pthread_mutex_unlock(&d->mu);
}

static void
tick(struct exp_deliver *d, uint64_t mono)
{
    uint64_t now = clock_wall_ms();
    for (size_t i = 0; i < d->nrv; i++) {
        struct rcv *r = d->rv[i];
        if (r->removed)
            continue;
        maybe_resend(d, r, now, mono);
        poll_receiver(d, r, now);
    }
    /* Receivers removed by a reload go once their last transfer has ended. */
    size_t k = 0;
    for (size_t i = 0; i < d->nrv; i++) {
        struct rcv *r = d->rv[i];
        if (r->removed && !r->inflight && !r->resending)
            dlv_rcv_free(r);
        else
            d->rv[k++] = r;
    }
    d->nrv = k;
    /* No receiver: nothing can change the outbox but a reload; spare the query every second. */
    if (!d->nrv && mono < d->next_stats)
        return;
    d->next_stats = mono + DELIVER_IDLE_STATS_MS;
    struct storage_outbox_stats s;
    if (storage_outbox_stats(d->st, &s) == 0) {
        d->ob.pending = s.pending;
        d->ob.oldest_age_s = s.oldest_pending_unix_ms && s.oldest_pending_unix_ms < now
                                 ? (double)(now - s.oldest_pending_unix_ms) / 1000.0
                                 : 0.0;
    }
}

static void *
deliver_main(void *arg)
{
    struct exp_deliver *d = arg;
    pthread_setname_np(pthread_self(), "ic-deliver");
    while (!__atomic_load_n(&d->stop, __ATOMIC_ACQUIRE)) {
        apply_next(d);
        uint64_t mono = clock_mono_ms();
        if (__atomic_exchange_n(&d->kicked, 0, __ATOMIC_ACQ_REL) || mono >= d->next_tick) {
            d->next_tick = mono + DELIVER_TICK_MS;
            tick(d, mono);
            publish(d);
            /* Nothing to send to: sleep until a reload (which kicks) or the next stats query. */
            if (!d->nrv && d->next_stats > d->next_tick)
                d->next_tick = d->next_stats;
        }
        int running = 0;
        curl_multi_perform(d->multi, &running);
        if (reap(d)) {
            publish(d);
            if (d->next_tick > mono + DELIVER_AGAIN_MS)
                d->next_tick = mono + DELIVER_AGAIN_MS;
        }
        mono = clock_mono_ms();
        int wait = d->next_tick > mono ? (int)(d->next_tick - mono) : 0;
        curl_multi_poll(d->multi, NULL, 0, wait, NULL);
    }
    return NULL;
}

/* ---- API ---------------------------------------------------------------------------------- */

int
exp_deliver_start(struct storage *st, const struct exp_receiver *v, size_t n,
                  struct exp_deliver **out, char *err, size_t errlen)
{
    *out = NULL;
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        snprintf(err, errlen, "alert delivery: libcurl initialization failed");
        return IC_EIO;
    }
    struct exp_deliver *d = calloc(1, sizeof(*d));
    if (!d || dlv_rcvs_copy(v, n, &d->rv) != 0 || !(d->multi = curl_multi_init())) {
        snprintf(err, errlen, "alert delivery: out of memory");
        if (d) {
            dlv_rcvs_free(d->rv, n);
            free(d);
        }
        curl_global_cleanup();
        return IC_ENOMEM;
    }
    d->st = st;
    d->nrv = n;
    d->seed = (unsigned)clock_wall_ms() ^ (unsigned)(uintptr_t)d;
    pthread_mutex_init(&d->mu, NULL);
    if (pthread_create(&d->thr, NULL, deliver_main, d) != 0) {
        snprintf(err, errlen, "alert delivery: cannot start its thread");
        exp_deliver_stop(d);
        return IC_ENOMEM;
    }
    d->started = 1;
    *out = d;
    return 0;
}

int
exp_deliver_set_receivers(struct exp_deliver *d, const struct exp_receiver *v, size_t n)
{
    struct rcv **nv = NULL;
    if (!d)
        return IC_EINVAL;
    if (dlv_rcvs_copy(v, n, &nv) != 0)
        return IC_ENOMEM;
    pthread_mutex_lock(&d->mu);
    dlv_rcvs_free(d->next, d->nnext);
    d->next = nv;
    d->nnext = n;
    d->has_next = 1;
    pthread_mutex_unlock(&d->mu);
    exp_deliver_kick(d);
    return 0;
}

void
exp_deliver_kick(struct exp_deliver *d)
{
    if (!d)
        return;
    __atomic_store_n(&d->kicked, 1, __ATOMIC_RELEASE);
    curl_multi_wakeup(d->multi);
}

size_t
exp_deliver_stats(struct exp_deliver *d, struct exp_receiver_stats *out, size_t max)
{
    if (!d)
        return 0;
    pthread_mutex_lock(&d->mu);
    size_t n = d->npub < max ? d->npub : max;
    if (n)
        memcpy(out, d->pub, n * sizeof(*out));
    pthread_mutex_unlock(&d->mu);
    return n;
}

void
exp_deliver_stop(struct exp_deliver *d)
{
    if (!d)
        return;
    if (d->started) {
        __atomic_store_n(&d->stop, 1, __ATOMIC_RELEASE);
        curl_multi_wakeup(d->multi);
        pthread_join(d->thr, NULL);
    }
    /* Abandoned transfers: their rows stay pending in the outbox. */
    while (d->xfers) {
        struct xfer *x = d->xfers;
        xfer_unlink(d, x);
        xfer_free(x);
    }
    dlv_rcvs_free(d->rv, d->nrv);
    dlv_rcvs_free(d->next, d->nnext);
    free(d->pub);
    curl_multi_cleanup(d->multi);
    pthread_mutex_destroy(&d->mu);
    free(d);
    curl_global_cleanup();
}
