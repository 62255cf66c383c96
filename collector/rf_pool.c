/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rf_pool.c - the Redfish side of API actions: virtual media (insert, eject,
 * status) and, with "via": "redfish", power and boot override. The redfish
 * layer's client blocks (HTTP over libcurl), so these run on a few worker
 * threads of their own, never on a poller loop; the action runner
 * (actions.c) hands them acts like it hands IPMI acts to the pollers.
 *
 * A local image is served by the media server (redfish/media_srv.c) under an
 * unguessable URL for api.media.ttl, and only if its real path (symbolic
 * links resolved) lies under one of api.media.dirs: an operate token must
 * not turn the daemon into a reader of any file it can open. The URL stays
 * valid after the insert (a BMC may stream the image while the host boots
 * from it) until the TTL passes, the medium is ejected, or another image is
 * inserted on that target. One Redfish action runs per target at a time.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon.h"
#include "ic_err.h"
#include "log.h"
#include "redfish.h"

#define RF_THREADS    4
#define RF_TIMEOUT_MS 30000
#define RF_CONFIRM_MS 60000
#define OFFER_URL_MAX 1024
#define MAX_BUSY      4096

struct offer {
    char target[128];
    char url[OFFER_URL_MAX];
};

struct rf_pool {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct tgt_act **q;
    size_t qn, qcap;
    int stop;
    pthread_t th[RF_THREADS];
    unsigned nth;
    char **busy; /* targets with a Redfish action running */
    size_t nbusy;
    struct offer *offers; /* the current local image of each target */
    size_t noffers;
    /* read-only after start */
    struct rf_media_srv *srv;
    char **dirs;
    size_t ndirs;
    uint64_t ttl_ms;
};

static void
finish(struct tgt_act *a, int err, const char *msg)
{
    a->err = err;
    snprintf(a->msg, sizeof(a->msg), "%s", err ? msg : "");
    a->done(a);
}

/* ---- local images ---- */

/* real: the resolved path of a local image under an allowed directory. 0 or IC_EINVAL (msg). */
static int
allowed_path(struct rf_pool *p, const char *path, char real[PATH_MAX], char *msg, size_t len)
{
    if (!p->srv) {
        snprintf(msg, len,
                 "a local image needs api.media in the configuration (a server the BMC "
                 "can fetch it from); give an http(s) URL instead");
        return IC_EINVAL;
    }
    if (!realpath(path, real)) {
        snprintf(msg, len, "image %s: %s", path, strerror(errno));
        return IC_EINVAL;
    }
    for (size_t i = 0; i < p->ndirs; i++) {
        char dir[PATH_MAX];
        if (!realpath(p->dirs[i], dir))
            continue;
        size_t n = strlen(dir);
        if (strcmp(dir, "/") == 0 || (strncmp(real, dir, n) == 0 && real[n] == '/'))
            return 0;
    }
    snprintf(msg, len, "image %s is not under api.media.dirs: only files there may be served",
             path);
    return IC_EINVAL;
}

/* The target's previous local image stops being served. */
static void
revoke_offer(struct rf_pool *p, const char *target)
{
    char url[OFFER_URL_MAX] = "";
    pthread_mutex_lock(&p->mu);
    for (size_t i = 0; i < p->noffers; i++)
        if (strcmp(p->offers[i].target, target) == 0) {
            snprintf(url, sizeof(url), "%s", p->offers[i].url);
            p->offers[i] = p->offers[--p->noffers];
            break;
        }
    pthread_mutex_unlock(&p->mu);
    if (url[0] && p->srv)
        rf_media_srv_revoke(p->srv, url);
}

static void
keep_offer(struct rf_pool *p, const char *target, const char *url)
{
    pthread_mutex_lock(&p->mu);
    struct offer *v = realloc(p->offers, (p->noffers + 1) * sizeof(*v));
    if (v) {
        p->offers = v;
        snprintf(v[p->noffers].target, sizeof(v->target), "%s", target);
        snprintf(v[p->noffers].url, sizeof(v->url), "%s", url);
        p->noffers++;
    }
    pthread_mutex_unlock(&p->mu);
}

/* ---- one act ---- */

static const char *
power_word(int action)
{
    return ipmi_power_action_str(action); /* on, off, cycle, reset, soft: rf_power's words */
}

static void
read_media(struct rf_client *c, struct tgt_act *a)
{
    struct rf_media m;
    char e[256];
    if (rf_media_status(c, &m, e, sizeof(e)) == 0) {
        a->media_inserted = m.inserted;
        snprintf(a->media_image, sizeof(a->media_image), "%s", m.image);
    }
}

/* Runs a; the outcome in a->err and a->msg (the caller calls done). */
static void
run(struct rf_pool *p, struct tgt_act *a)
{
    char msg[512] = "";
    struct rf_opts o = {.url = a->rf_url,
                        .user = a->rf_user,
                        .password = a->rf_password,
                        .ca_file = a->rf_ca_file,
                        .insecure = a->rf_insecure,
                        .timeout_ms = RF_TIMEOUT_MS};
    struct rf_client *c = NULL;
    int rc = rf_client_new(&o, &c, msg, sizeof(msg));
    char url[OFFER_URL_MAX] = "";
    struct rf_system sys;
    memset(&sys, 0, sizeof(sys));
    if (rc)
        goto out;
    switch (a->kind) {
    case TACT_POWER:
        rc = rf_power(c, power_word(a->power), a->confirm_ms, &sys, msg, sizeof(msg));
        if (sys.power_state[0])
            a->power_on = strcmp(sys.power_state, "On") == 0;
        break;
    case TACT_BOOTDEV:
        rc = rf_boot_override(c, ipmi_bootdev_str(a->bootdev), !a->persistent, msg, sizeof(msg));
        if (rc == 0)
            a->device = a->bootdev;
        break;
    case TACT_MEDIA_INSERT:
        if (a->image[0] == '/') {
            char real[PATH_MAX];
            if ((rc = allowed_path(p, a->image, real, msg, sizeof(msg))) != 0)
                break;
            rc = rf_media_srv_offer(p->srv, real, (unsigned)p->ttl_ms, url, sizeof(url), msg,
                                    sizeof(msg));
            if (rc)
                break;
        } else {
            snprintf(url, sizeof(url), "%s", a->image);
        }
        revoke_offer(p, a->target); /* the image it replaces */
        rc = rf_media_insert(c, url, msg, sizeof(msg));
        if (rc == 0 && a->image[0] == '/')
            keep_offer(p, a->target, url);
        else if (a->image[0] == '/')
            rf_media_srv_revoke(p->srv, url);
        if (rc == 0 && a->boot_once)
            rc = rf_boot_override(c, "cdrom", 1, msg, sizeof(msg));
        if (rc == 0 && a->then_power >= 0) {
            rc = rf_power(c, power_word(a->then_power), RF_CONFIRM_MS, &sys, msg, sizeof(msg));
            if (sys.power_state[0])
                a->power_on = strcmp(sys.power_state, "On") == 0;
        }
        read_media(c, a);
        break;
    case TACT_MEDIA_EJECT:
        rc = rf_media_eject(c, msg, sizeof(msg));
        if (rc == 0)
            revoke_offer(p, a->target);
        read_media(c, a);
        break;
    case TACT_MEDIA_STATUS: {
        struct rf_media m;
        rc = rf_media_status(c, &m, msg, sizeof(msg));
        if (rc == 0) {
            a->media_inserted = m.inserted;
            snprintf(a->media_image, sizeof(a->media_image), "%s", m.image);
        }
        break;
    }
    }
out:
    rf_client_free(c);
    if (rc)
        log_warn("%s: redfish: %s", a->target, msg);
    a->err = rc;
    snprintf(a->msg, sizeof(a->msg), "%.*s", (int)sizeof(a->msg) - 1, rc ? msg : "");
}

/* ---- threads ---- */

static int
take_busy(struct rf_pool *p, const char *target)
{
    for (size_t i = 0; i < p->nbusy; i++)
        if (strcmp(p->busy[i], target) == 0)
            return 0;
    char *d = p->nbusy < MAX_BUSY ? strdup(target) : NULL;
    char **v = d ? realloc(p->busy, (p->nbusy + 1) * sizeof(*v)) : NULL;
    if (!v) {
        free(d);
        return 0;
    }
    p->busy = v;
    p->busy[p->nbusy++] = d;
    return 1;
}

static void
drop_busy(struct rf_pool *p, const char *target)
{
    for (size_t i = 0; i < p->nbusy; i++)
        if (strcmp(p->busy[i], target) == 0) {
            free(p->busy[i]);
            p->busy[i] = p->busy[--p->nbusy];
            return;
        }
}

static void *
worker(void *arg)
{
    struct rf_pool *p = arg;
    pthread_setname_np(pthread_self(), "ic-redfish");
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->stop && p->qn == 0)
            pthread_cond_wait(&p->cv, &p->mu);
        if (p->stop)
            break;
        struct tgt_act *a = p->q[0];
        memmove(p->q, p->q + 1, (p->qn - 1) * sizeof(*p->q));
        p->qn--;
        int mine = take_busy(p, a->target);
        pthread_mutex_unlock(&p->mu);
        if (!mine) {
            finish(a, IC_EBUSY, "another Redfish action is running on this target");
            pthread_mutex_lock(&p->mu);
            continue;
        }
        run(p, a);
        /* Free the target before answering: the next request may come at once. */
        pthread_mutex_lock(&p->mu);
        drop_busy(p, a->target);
        pthread_mutex_unlock(&p->mu);
        a->done(a);
        pthread_mutex_lock(&p->mu);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

void
rf_pool_submit(struct rf_pool *p, struct tgt_act *a)
{
    a->power_on = a->device = a->media_inserted = -1;
    if (!a->rf_url) {
        finish(a, IC_EINVAL, "this target has no redfish: settings in the configuration");
        return;
    }
    pthread_mutex_lock(&p->mu);
    int ok = !p->stop;
    if (ok && p->qn == p->qcap) {
        size_t cap = p->qcap ? p->qcap * 2 : 64;
        struct tgt_act **v = realloc(p->q, cap * sizeof(*v));
        ok = v != NULL;
        if (v) {
            p->q = v;
            p->qcap = cap;
        }
    }
    if (ok) {
        p->q[p->qn++] = a;
        pthread_cond_signal(&p->cv);
    }
    pthread_mutex_unlock(&p->mu);
    if (!ok)
        finish(a, IC_ECANCELED, "the daemon is stopping");
}

int
rf_pool_new(const struct rf_pool_opts *o, struct rf_pool **out, char *err, size_t errlen)
{
    struct rf_pool *p = calloc(1, sizeof(*p));
    if (!p)
        return IC_ENOMEM;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    p->ttl_ms = o->media_ttl_ms ? o->media_ttl_ms : 3600000;
    if (o->media_listen) {
        struct rf_media_srv_opts mo = {.listen = o->media_listen, .public_host = o->media_host};
        int rc = rf_media_srv_start(&mo, &p->srv, err, errlen);
        if (rc) {
            rf_pool_free(p);
            return rc;
        }
        p->dirs = calloc(o->nmedia_dirs ? o->nmedia_dirs : 1, sizeof(*p->dirs));
        for (size_t i = 0; p->dirs && i < o->nmedia_dirs; i++)
            if ((p->dirs[i] = strdup(o->media_dirs[i])))
                p->ndirs++;
        log_info("media server on %s (port %u) for local virtual-media images", o->media_listen,
                 rf_media_srv_port(p->srv));
    }
    unsigned n = o->threads ? o->threads : RF_THREADS;
    for (unsigned i = 0; i < n && i < RF_THREADS; i++) {
        if (pthread_create(&p->th[i], NULL, worker, p) != 0) {
            snprintf(err, errlen, "cannot start a Redfish worker thread");
            rf_pool_free(p);
            return IC_ENOMEM;
        }
        p->nth++;
    }
    *out = p;
    return 0;
}

void
rf_pool_free(struct rf_pool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->stop = 1;
    struct tgt_act **q = p->q;
    size_t qn = p->qn;
    p->q = NULL;
    p->qn = p->qcap = 0;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    for (size_t i = 0; i < qn; i++)
        finish(q[i], IC_ECANCELED, "the daemon is stopping");
    free(q);
    for (unsigned i = 0; i < p->nth; i++)
        pthread_join(p->th[i], NULL);
    rf_media_srv_stop(p->srv);
    for (size_t i = 0; i < p->nbusy; i++)
        free(p->busy[i]);
    free(p->busy);
    for (size_t i = 0; i < p->ndirs; i++)
        free(p->dirs[i]);
    free(p->dirs);
    free(p->offers);
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
    free(p);
}
