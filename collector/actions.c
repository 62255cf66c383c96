/* SPDX-License-Identifier: Apache-2.0 */
/*
 * actions.c - actions asked through the API (power, boot device), from the
 * request to the audit log:
 *
 *   HTTP thread   act_submit(): copies the request into a job, wakes the
 *                 main thread (eventfd); the connection stays suspended.
 *   main thread   act_runner_serve(): resolves the job's targets against
 *                 the running configuration (one by name, or a label
 *                 selector whose match count must equal "confirm"), hands
 *                 at most ACT_PARALLEL of them at a time to their poller
 *                 threads (pool_act), collects what finished, and when the
 *                 last target is done answers the connection and writes the
 *                 audit row.
 *   poller thread target_act(): runs it over the kept-open session and
 *                 reads the result back; act_target_done() hands it back.
 *
 * Only the main thread touches jobs once queued; the mutex guards the two
 * hand-over lists. Every act handed to a target is finished exactly once
 * (by the target, the pool when no target has that slot, or the shutdown).
 */
#include <errno.h>
#include <json-c/json.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "actions.h"
#include "clock.h"
#include "ic_err.h"
#include "log.h"
#include "secret.h"
#include "storage.h"

#define ACT_PARALLEL    32 /* targets of one job running at once */
#define NAMES_IN_ERROR  50 /* names listed in a refused selector's answer */
#define POWER_WAIT_MS   30000
#define SOFT_WAIT_MS    120000 /* an OS shutting down takes its time */
#define AUDIT_RETRY_MAX 600    /* tries (one a second) before an audit row is given up, loudly */

struct act_job {
    struct act_job *next;
    struct act_runner *r;
    /* the request (copied) */
    enum exp_act_kind kind;
    char *who, *source, *target, *params;
    struct snap_label *sel;
    size_t nsel;
    long confirm;
    int power, bootdev, persistent, efi;
    unsigned wait_ms;
    int via_redfish, boot_once, then_power;
    char *image;
    exp_act_done_fn done;
    void *ctx;
    uint64_t start_wall, start_mono;
    /* the run */
    struct tgt_act *acts;
    char **names;
    size_t n, dispatched, finished;
};

struct audit_row {
    struct audit_row *next;
    struct storage_audit a; /* strings owned */
    unsigned tries;
};

/* An interactive console asked for (POST .../console/attach), on its way to the target. */
struct attach_req {
    struct attach_req *next;
    char target[256], who[80], source[64];
    int fd;
    struct exp_attach *h;
    struct storage *st;
    uint64_t start_wall, start_mono;
};

struct act_runner {
    pthread_mutex_t mu;
    int efd;
    int stopped;
    struct act_job *incoming;     /* from HTTP threads, newest first */
    struct attach_req *attaching; /* likewise */
    struct tgt_act **fin;         /* finished acts, from poller threads */
    size_t nfin, capfin;
    /* main thread only */
    struct act_job *running;
    struct audit_row *audit; /* rows the storage queue had no room for yet */
};

static void
kick(struct act_runner *r)
{
    uint64_t one = 1;
    if (write(r->efd, &one, sizeof(one)) < 0 && errno != EAGAIN)
        log_warn("actions: cannot wake the main thread: %s", strerror(errno));
}

int
act_runner_new(struct act_runner **out)
{
    struct act_runner *r = calloc(1, sizeof(*r));
    if (!r)
        return IC_ENOMEM;
    r->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (r->efd < 0) {
        free(r);
        return IC_EIO;
    }
    pthread_mutex_init(&r->mu, NULL);
    *out = r;
    return 0;
}

int
act_runner_fd(const struct act_runner *r)
{
    return r->efd;
}

static void
job_free(struct act_job *j)
{
    if (!j)
        return;
    free(j->who);
    free(j->source);
    free(j->target);
    free(j->params);
    for (size_t i = 0; i < j->nsel; i++) {
        free(j->sel[i].name);
        free(j->sel[i].value);
    }
    free(j->sel);
    free(j->image);
    for (size_t i = 0; j->acts && i < j->n; i++) {
        free(j->acts[i].rf_url);
        free(j->acts[i].rf_user);
        free(j->acts[i].rf_ca_file);
        secret_free(j->acts[i].rf_password);
    }
    for (size_t i = 0; j->names && i < j->n; i++)
        free(j->names[i]);
    free(j->names);
    free(j->acts);
    free(j);
}

static char *
dup_or_empty(const char *s)
{
    return strdup(s ? s : "");
}

int
act_submit(void *arg, const struct exp_act_req *rq, exp_act_done_fn done, void *ctx)
{
    struct act_runner *r = arg;
    struct act_job *j = calloc(1, sizeof(*j));
    if (!j)
        return IC_ENOMEM;
    j->r = r;
    j->kind = rq->kind;
    j->who = dup_or_empty(rq->who);
    j->source = dup_or_empty(rq->source);
    j->target = rq->target ? strdup(rq->target) : NULL;
    j->params = dup_or_empty(rq->params);
    j->confirm = rq->confirm;
    j->power = rq->power;
    j->bootdev = rq->bootdev;
    j->persistent = rq->persistent;
    j->efi = rq->efi;
    j->wait_ms = rq->wait_ms;
    j->via_redfish = rq->via_redfish;
    j->boot_once = rq->boot_once;
    j->then_power = rq->then_power;
    j->image = rq->image ? strdup(rq->image) : NULL;
    j->done = done;
    j->ctx = ctx;
    j->start_wall = clock_wall_ms();
    j->start_mono = clock_mono_ms();
    int bad = !j->who || !j->source || !j->params || (rq->target && !j->target) ||
              (rq->image && !j->image);
    if (!bad && rq->nselector) {
        j->sel = calloc(rq->nselector, sizeof(*j->sel));
        bad = !j->sel;
        for (size_t i = 0; !bad && i < rq->nselector; i++, j->nsel++) {
            j->sel[i].name = strdup(rq->selector[i].name);
            j->sel[i].value = strdup(rq->selector[i].value);
            bad = !j->sel[i].name || !j->sel[i].value;
        }
    }
    if (bad) {
        job_free(j);
        return IC_ENOMEM;
    }
    pthread_mutex_lock(&r->mu);
    int stopped = r->stopped;
    if (!stopped) {
        j->next = r->incoming;
        r->incoming = j;
    }
    pthread_mutex_unlock(&r->mu);
    if (stopped) {
        job_free(j);
        return IC_ECANCELED;
    }
    kick(r);
    return 0;
}

void
act_attach(void *arg, const char *target, const char *who, const char *source, int fd,
           struct exp_attach *h)
{
    struct act_runner *r = arg;
    struct attach_req *q = calloc(1, sizeof(*q));
    if (!q) {
        exp_attach_close(h, "out of memory");
        return;
    }
    snprintf(q->target, sizeof(q->target), "%s", target);
    snprintf(q->who, sizeof(q->who), "%s", who);
    snprintf(q->source, sizeof(q->source), "%s", source);
    q->fd = fd;
    q->h = h;
    q->start_wall = clock_wall_ms();
    q->start_mono = clock_mono_ms();
    pthread_mutex_lock(&r->mu);
    int stopped = r->stopped;
    if (!stopped) {
        q->next = r->attaching;
        r->attaching = q;
    }
    pthread_mutex_unlock(&r->mu);
    if (stopped) {
        exp_attach_close(h, "the daemon is stopping");
        free(q);
        return;
    }
    kick(r);
}

static void
attach_audit(struct attach_req *q, const char *result)
{
    struct storage_audit a = {.ts_unix_ms = q->start_wall,
                              .who = q->who,
                              .source = q->source,
                              .action = "console-attach",
                              .params = "{}",
                              .targets = q->target,
                              .result = result,
                              .ok = strcmp(result, "ok") == 0,
                              .failed = strcmp(result, "ok") != 0,
                              .duration_ms = clock_mono_ms() - q->start_mono,
                              .details = "[]"};
    if (q->st && storage_put_audit(q->st, &a) != 0)
        log_err("audit: could not store (database queue full): console-attach of %s by %s: %s",
                q->target, q->who, result);
    log_info("api: console-attach of %s by %s from %s: %s", q->target, q->who, q->source, result);
}

/* The target's thread (or the main thread when it never got there). */
static void
attach_failed(void *arg, int fd, const char *why)
{
    (void)fd;
    struct attach_req *q = arg;
    char result[320];
    snprintf(result, sizeof(result), "refused: %s", why);
    attach_audit(q, result);
    exp_attach_close(q->h, why);
    free(q);
}

static void
attach_ok(void *arg)
{
    attach_audit(arg, "ok");
}

static void
attach_closed(void *arg, int fd)
{
    (void)fd;
    struct attach_req *q = arg;
    exp_attach_close(q->h, NULL);
    free(q);
}

/* Main thread: the attach requests, to their targets' threads. */
static void
serve_attach(const struct act_env *env, struct attach_req *q)
{
    while (q) {
        struct attach_req *next = q->next;
        q->st = env->st;
        size_t s = 0;
        const struct tgt_spec *sp = NULL;
        while (s < env->nslots &&
               !((sp = env->spec_at(env->arg, s)) && strcmp(sp->name, q->target) == 0))
            s++;
        struct tgt_attach *at = s < env->nslots && env->pool ? calloc(1, sizeof(*at)) : NULL;
        if (!at) {
            attach_failed(q, q->fd,
                          s < env->nslots && env->pool ? "out of memory" : "no such target");
        } else {
            *at = (struct tgt_attach){.fd = q->fd,
                                      .attached = attach_ok,
                                      .closed = attach_closed,
                                      .failed = attach_failed,
                                      .arg = q};
            pool_attach(env->pool, s, at);
        }
        q = next;
    }
}

/* A poller thread: a target finished its part. */
static void
act_target_done(struct tgt_act *a)
{
    struct act_job *j = a->job;
    struct act_runner *r = j->r;
    pthread_mutex_lock(&r->mu);
    if (r->nfin == r->capfin) {
        size_t cap = r->capfin ? r->capfin * 2 : 64;
        struct tgt_act **v = realloc(r->fin, cap * sizeof(*v));
        if (!v) {
            /* Cannot happen in practice; never lose the completion: wait for memory. */
            pthread_mutex_unlock(&r->mu);
            struct timespec ts = {0, 1000000};
            nanosleep(&ts, NULL);
            act_target_done(a);
            return;
        }
        r->fin = v;
        r->capfin = cap;
    }
    r->fin[r->nfin++] = a;
    pthread_mutex_unlock(&r->mu);
    kick(r);
}

/* ---- answers and the audit log ---- */

static const char *
kind_str(enum exp_act_kind k)
{
    switch (k) {
    case EXP_ACT_POWER:
        return "power";
    case EXP_ACT_BOOTDEV:
        return "bootdev";
    case EXP_ACT_MEDIA_INSERT:
        return "media-insert";
    case EXP_ACT_MEDIA_EJECT:
        return "media-eject";
    default:
        return "media-status";
    }
}

/* Reads of the BMC's state are not actions: they leave no audit row. */
static int
audited(const struct act_job *j)
{
    return j->kind != EXP_ACT_MEDIA_STATUS;
}

static char *
json_take(struct json_object *o)
{
    const char *s =
        json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
    size_t n = s ? strlen(s) : 0;
    char *r = s ? malloc(n + 2) : NULL;
    if (r) {
        memcpy(r, s, n);
        r[n] = '\n';
        r[n + 1] = '\0';
    }
    json_object_put(o);
    return r;
}

static void
audit_put(struct act_runner *r, struct storage *st, const struct storage_audit *a)
{
    if (!st)
        return;
    if (storage_put_audit(st, a) == 0)
        return;
    /* The writer's queue is full: keep the row and try again every second. */
    struct audit_row *row = calloc(1, sizeof(*row));
    if (!row) {
        log_err("audit: lost a row (out of memory): %s by %s: %s", a->action, a->who, a->result);
        return;
    }
    row->a = *a;
    row->a.who = strdup(a->who);
    row->a.source = strdup(a->source);
    row->a.action = strdup(a->action);
    row->a.params = strdup(a->params);
    row->a.targets = strdup(a->targets);
    row->a.result = strdup(a->result);
    row->a.details = strdup(a->details);
    row->next = r->audit;
    r->audit = row;
}

static void
audit_row_free(struct audit_row *row)
{
    free((char *)(uintptr_t)row->a.who);
    free((char *)(uintptr_t)row->a.source);
    free((char *)(uintptr_t)row->a.action);
    free((char *)(uintptr_t)row->a.params);
    free((char *)(uintptr_t)row->a.targets);
    free((char *)(uintptr_t)row->a.result);
    free((char *)(uintptr_t)row->a.details);
    free(row);
}

static void
audit_retry(struct act_runner *r, struct storage *st, int last_chance)
{
    struct audit_row **pp = &r->audit;
    while (*pp) {
        struct audit_row *row = *pp;
        int ok = st && storage_put_audit(st, &row->a) == 0;
        if (!ok && ++row->tries < AUDIT_RETRY_MAX && !last_chance) {
            pp = &row->next;
            continue;
        }
        if (!ok)
            log_err("audit: could not store (database queue full): %s %s of %s by %s from %s: %s",
                    row->a.action, row->a.params, row->a.targets, row->a.who, row->a.source,
                    row->a.result);
        *pp = row->next;
        audit_row_free(row);
    }
}

/* Answers a job that did not run (bad target, selector mismatch, stopping) and audits it. */
static void
refuse(struct act_runner *r, struct storage *st, struct act_job *j, unsigned status,
       struct json_object *o, const char *why)
{
    char result[320];
    snprintf(result, sizeof(result), "refused: %s", why);
    if (o)
        json_object_object_add(o, "error", json_object_new_string(why));
    struct storage_audit a = {.ts_unix_ms = j->start_wall,
                              .who = j->who,
                              .source = j->source,
                              .action = kind_str(j->kind),
                              .params = j->params,
                              .targets = j->target ? j->target : "",
                              .result = result,
                              .duration_ms = clock_mono_ms() - j->start_mono,
                              .details = "[]"};
    if (audited(j))
        audit_put(r, st, &a);
    log_warn("api: %s by %s from %s refused: %s", kind_str(j->kind), j->who, j->source, why);
    j->done(j->ctx, status, o ? json_take(o) : NULL);
}

static struct json_object *
result_json(const struct act_job *j, size_t i)
{
    const struct tgt_act *a = &j->acts[i];
    struct json_object *o = json_object_new_object();
    if (!o)
        return NULL;
    json_object_object_add(o, "target", json_object_new_string(j->names[i]));
    json_object_object_add(o, "ok", json_object_new_boolean(a->err == 0));
    if (j->kind == EXP_ACT_POWER || (j->kind == EXP_ACT_MEDIA_INSERT && j->then_power >= 0))
        json_object_object_add(
            o, "power",
            a->power_on < 0 ? NULL : json_object_new_string(a->power_on ? "on" : "off"));
    if (j->kind == EXP_ACT_BOOTDEV)
        json_object_object_add(o, "device",
                               a->device < 0 ? NULL
                                             : json_object_new_string(ipmi_bootdev_str(a->device)));
    if (j->kind >= EXP_ACT_MEDIA_INSERT) {
        struct json_object *m = a->media_inserted < 0 ? NULL : json_object_new_object();
        if (m) {
            json_object_object_add(m, "inserted", json_object_new_boolean(a->media_inserted));
            json_object_object_add(
                m, "image", a->media_image[0] ? json_object_new_string(a->media_image) : NULL);
        }
        json_object_object_add(o, "media", m);
    }
    json_object_object_add(o, "error", a->err ? json_object_new_string(a->msg) : NULL);
    json_object_object_add(o, "duration_ms", json_object_new_int64((int64_t)a->duration_ms));
    return o;
}

/* Every target of j finished: answer, audit, log. */
static void
complete(struct act_runner *r, struct storage *st, struct act_job *j)
{
    size_t ok = 0;
    struct json_object *results = json_object_new_array();
    size_t tlen = 1;
    for (size_t i = 0; i < j->n; i++) {
        ok += j->acts[i].err == 0;
        tlen += strlen(j->names[i]) + 1;
        if (results)
            json_object_array_add(results, result_json(j, i));
    }
    char *targets = calloc(1, tlen);
    for (size_t i = 0; targets && i < j->n; i++) {
        if (i)
            strcat(targets, ",");
        strcat(targets, j->names[i]);
    }
    const char *result = ok == j->n ? "ok" : ok == 0 ? "failed" : "partial";
    const char *details =
        results ? json_object_to_json_string_ext(results, JSON_C_TO_STRING_PLAIN) : "[]";
    struct storage_audit a = {.ts_unix_ms = j->start_wall,
                              .who = j->who,
                              .source = j->source,
                              .action = kind_str(j->kind),
                              .params = j->params,
                              .targets = targets ? targets : "",
                              .result = result,
                              .ok = (unsigned)ok,
                              .failed = (unsigned)(j->n - ok),
                              .duration_ms = clock_mono_ms() - j->start_mono,
                              .details = details};
    if (audited(j))
        audit_put(r, st, &a);
    log_info("api: %s %s by %s from %s: %s (%zu of %zu targets ok)", kind_str(j->kind), j->params,
             j->who, j->source, result, ok, j->n);

    unsigned status = 200;
    struct json_object *o;
    if (j->target && j->n == 1) {
        /* One target: its result is the answer; the status says how it went. */
        o = results ? json_object_get(json_object_array_get_idx(results, 0)) : NULL;
        const struct tgt_act *t = &j->acts[0];
        status = t->err == 0              ? 200
                 : t->err == IC_EBUSY     ? 409
                 : t->err == IC_ECANCELED ? 503
                 : t->err == IC_EINVAL    ? 400 /* a request this target cannot take */
                                          : 502;
    } else {
        o = json_object_new_object();
        if (o) {
            json_object_object_add(o, "matched", json_object_new_int64((int64_t)j->n));
            json_object_object_add(o, "ok", json_object_new_int64((int64_t)ok));
            json_object_object_add(o, "failed", json_object_new_int64((int64_t)(j->n - ok)));
            json_object_object_add(o, "results", json_object_get(results));
        }
    }
    if (o) {
        json_object_object_add(o, "action", json_object_new_string(kind_str(j->kind)));
        json_object_object_add(o, "params", json_tokener_parse(j->params));
    }
    json_object_put(results);
    free(targets);
    j->done(j->ctx, status, o ? json_take(o) : NULL);
}

/* ---- resolving and running ---- */

static int
spec_matches(const struct tgt_spec *sp, const struct act_job *j)
{
    for (size_t k = 0; k < j->nsel; k++) {
        size_t i = 0;
        while (i < sp->nlabels && strcmp(sp->labels[i].name, j->sel[k].name) != 0)
            i++;
        if (i == sp->nlabels || strcmp(sp->labels[i].value, j->sel[k].value) != 0)
            return 0;
    }
    return 1;
}

/* Finds j's targets; 0, or the job was answered (refused) and must be freed. */
static int
resolve(struct act_runner *r, const struct act_env *env, struct act_job *j)
{
    size_t *slots = calloc(env->nslots ? env->nslots : 1, sizeof(*slots));
    size_t n = 0;
    if (!slots) {
        j->done(j->ctx, 500, NULL);
        return -1;
    }
    for (size_t s = 0; s < env->nslots; s++) {
        const struct tgt_spec *sp = env->spec_at(env->arg, s);
        if (sp && (j->target ? strcmp(sp->name, j->target) == 0 : spec_matches(sp, j)))
            slots[n++] = s;
    }
    struct json_object *o = json_object_new_object();
    char why[256];
    if (n == 0) {
        snprintf(why, sizeof(why), j->target ? "no target '%.200s'" : "%s",
                 j->target ? j->target : "the selector matches no target");
        refuse(r, env->st, j, 404, o, why);
        free(slots);
        return -1;
    }
    if (!j->target && (long)n != j->confirm) {
        struct json_object *names = json_object_new_array();
        for (size_t i = 0; names && i < n && i < NAMES_IN_ERROR; i++)
            json_object_array_add(names,
                                  json_object_new_string(env->spec_at(env->arg, slots[i])->name));
        json_object_object_add(o, "matched", json_object_new_int64((int64_t)n));
        json_object_object_add(o, "targets", names);
        snprintf(why, sizeof(why),
                 "the selector matches %zu targets but confirm is %ld: nothing done", n,
                 j->confirm);
        refuse(r, env->st, j, 409, o, why);
        free(slots);
        return -1;
    }
    json_object_put(o);
    j->acts = calloc(n, sizeof(*j->acts));
    j->names = calloc(n, sizeof(*j->names));
    if (!j->acts || !j->names) {
        free(slots);
        j->done(j->ctx, 500, NULL);
        return -1;
    }
    j->n = n;
    for (size_t i = 0; i < n; i++) {
        struct tgt_act *a = &j->acts[i];
        j->names[i] = strdup(env->spec_at(env->arg, slots[i])->name);
        if (!j->names[i]) {
            j->n = i + 1;
            free(slots);
            j->done(j->ctx, 500, NULL);
            return -1;
        }
        static const enum tgt_act_kind kinds[] = {[EXP_ACT_POWER] = TACT_POWER,
                                                  [EXP_ACT_BOOTDEV] = TACT_BOOTDEV,
                                                  [EXP_ACT_MEDIA_INSERT] = TACT_MEDIA_INSERT,
                                                  [EXP_ACT_MEDIA_EJECT] = TACT_MEDIA_EJECT,
                                                  [EXP_ACT_MEDIA_STATUS] = TACT_MEDIA_STATUS};
        const struct tgt_spec *sp = env->spec_at(env->arg, slots[i]);
        a->kind = kinds[j->kind];
        a->target = j->names[i];
        a->via_redfish = j->via_redfish || j->kind >= EXP_ACT_MEDIA_INSERT;
        a->image = j->image;
        a->boot_once = j->boot_once;
        a->then_power = j->then_power;
        if (a->via_redfish && sp->rf_url) {
            a->rf_url = strdup(sp->rf_url);
            a->rf_user = strdup(sp->rf_user);
            a->rf_ca_file = sp->rf_ca_file ? strdup(sp->rf_ca_file) : NULL;
            a->rf_password = secret_new(secret_bytes(sp->rf_password), secret_len(sp->rf_password));
            a->rf_insecure = sp->rf_insecure;
        }
        a->power = j->power;
        a->bootdev = j->bootdev;
        a->persistent = j->persistent;
        a->efi = j->efi;
        a->confirm_ms = j->wait_ms                    ? j->wait_ms
                        : j->power == IPMI_POWER_SOFT ? SOFT_WAIT_MS
                                                      : POWER_WAIT_MS;
        a->power_on = a->device = a->media_inserted = -1;
        a->done = act_target_done;
        a->job = j;
        a->idx = i;
        a->slot = slots[i];
    }
    free(slots);
    log_info("api: %s %s asked by %s from %s for %zu target%s", kind_str(j->kind), j->params,
             j->who, j->source, n, n == 1 ? "" : "s");
    return 0;
}

static void
dispatch(const struct act_env *env, struct act_job *j)
{
    while (j->dispatched < j->n && j->dispatched - j->finished < ACT_PARALLEL) {
        struct tgt_act *a = &j->acts[j->dispatched++];
        if (a->via_redfish)
            rf_pool_submit(env->rf, a);
        else
            pool_act(env->pool, a->slot, a);
    }
}

void
act_runner_serve(struct act_runner *r, const struct act_env *env)
{
    uint64_t v;
    if (read(r->efd, &v, sizeof(v)) < 0 && errno != EAGAIN)
        log_warn("actions: eventfd: %s", strerror(errno));
    pthread_mutex_lock(&r->mu);
    struct act_job *in = r->incoming;
    r->incoming = NULL;
    struct attach_req *att = r->attaching;
    r->attaching = NULL;
    struct tgt_act **fin = r->fin;
    size_t nfin = r->nfin;
    r->fin = NULL;
    r->nfin = r->capfin = 0;
    pthread_mutex_unlock(&r->mu);

    serve_attach(env, att);
    for (size_t i = 0; i < nfin; i++)
        ((struct act_job *)fin[i]->job)->finished++;
    free(fin);
    /* New jobs, oldest first. */
    struct act_job *rev = NULL;
    while (in) {
        struct act_job *next = in->next;
        in->next = rev;
        rev = in;
        in = next;
    }
    while (rev) {
        struct act_job *j = rev;
        rev = rev->next;
        if (resolve(r, env, j) != 0) {
            job_free(j);
            continue;
        }
        j->next = r->running;
        r->running = j;
    }
    struct act_job **pp = &r->running;
    while (*pp) {
        struct act_job *j = *pp;
        dispatch(env, j);
        if (j->finished == j->n) {
            complete(r, env->st, j);
            *pp = j->next;
            job_free(j);
        } else {
            pp = &j->next;
        }
    }
    audit_retry(r, env->st, 0);
}

void
act_runner_stop(struct act_runner *r, const struct act_env *env)
{
    pthread_mutex_lock(&r->mu);
    r->stopped = 1;
    struct act_job *in = r->incoming;
    r->incoming = NULL;
    struct attach_req *att = r->attaching;
    r->attaching = NULL;
    struct tgt_act **fin = r->fin;
    size_t nfin = r->nfin;
    r->fin = NULL;
    r->nfin = r->capfin = 0;
    pthread_mutex_unlock(&r->mu);
    for (size_t i = 0; i < nfin; i++)
        ((struct act_job *)fin[i]->job)->finished++;
    free(fin);
    while (att) {
        struct attach_req *q = att;
        att = att->next;
        q->st = env->st;
        attach_failed(q, q->fd, "the daemon is stopping");
    }
    while (in) {
        struct act_job *j = in;
        in = in->next;
        refuse(r, env->st, j, 503, json_object_new_object(), "the daemon is stopping");
        job_free(j);
    }
    /* The pollers are gone (pool_free): every act handed to them has finished. */
    while (r->running) {
        struct act_job *j = r->running;
        r->running = j->next;
        for (size_t i = j->dispatched; i < j->n; i++) {
            j->acts[i].err = IC_ECANCELED;
            snprintf(j->acts[i].msg, sizeof(j->acts[i].msg), "the daemon is stopping");
        }
        complete(r, env->st, j);
        job_free(j);
    }
    audit_retry(r, env->st, 1);
}

void
act_runner_free(struct act_runner *r)
{
    if (!r)
        return;
    close(r->efd);
    free(r->fin);
    pthread_mutex_destroy(&r->mu);
    free(r);
}
