/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pool.c - the poller threads. Each runs one event loop that owns a share
 * of the targets (placed on the least-loaded thread) and reads commands
 * (add, update, remove, stop) from its own bounded queue, whose eventfd the
 * loop watches. Nothing is shared between threads but the queues, the hub
 * and storage: no lock is taken per packet.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cfg.h"
#include "daemon.h"
#include "ic_err.h"
#include "log.h"
#include "queue.h"

#define POOL_MAX_THREADS 8
#define QUEUE_CAP        (2 * CFG_MAX_TARGETS + 16)

enum cmd_op { CMD_ADD, CMD_UPDATE, CMD_REMOVE, CMD_STOP, CMD_ACT, CMD_ATTACH };

struct cmd {
    enum cmd_op op;
    size_t slot;
    struct tgt_spec *spec;
    unsigned timeout_ms;
    struct tgt_act *act;
    struct tgt_attach *attach;
};

/* An action that no target will run: finished here, so its caller is never left waiting. */
static void
act_orphan(struct tgt_act *a, const char *why)
{
    a->err = IC_ECANCELED;
    a->power_on = a->device = a->media_inserted = -1;
    snprintf(a->msg, sizeof(a->msg), "%s", why);
    a->done(a);
}

struct worker {
    struct pool *pool;
    unsigned idx;
    pthread_t th;
    int started;
    struct poller_loop *pl;
    struct queue *q;
    struct poller_watch *watch;
    struct target **by_slot;
    size_t nslots;
    size_t count;
    int stopping;
    struct poller_timer *deadline;
};

struct pool {
    struct daemon_ctx *ctx;
    struct worker *w;
    unsigned n;
    unsigned *worker_of; /* by slot; main thread only */
    size_t nslots;
    size_t *assigned; /* targets per worker, main thread's view */
};

static void
free_cmd(void *p)
{
    struct cmd *c = p;
    tgt_spec_free(c->spec);
    if (c->act)
        act_orphan(c->act, "the daemon is stopping");
    if (c->attach) {
        c->attach->failed(c->attach->arg, c->attach->fd, "the daemon is stopping");
        free(c->attach);
    }
    free(c);
}

static void
target_gone(void *arg, size_t slot)
{
    struct worker *w = arg;
    if (slot < w->nslots)
        w->by_slot[slot] = NULL;
    w->count--;
    daemon_slot_freed(slot);
    if (w->stopping && w->count == 0)
        poller_loop_stop(w->pl);
}

static int
grow(struct worker *w, size_t slot)
{
    if (slot < w->nslots)
        return 0;
    size_t n = w->nslots ? w->nslots : 256;
    while (n <= slot)
        n *= 2;
    struct target **v = realloc(w->by_slot, n * sizeof(*v));
    if (!v)
        return IC_ENOMEM;
    memset(v + w->nslots, 0, (n - w->nslots) * sizeof(*v));
    w->by_slot = v;
    w->nslots = n;
    return 0;
}

static void
on_deadline(void *arg)
{
    struct worker *w = arg;
    if (w->stopping == 2) {
        poller_loop_stop(w->pl); /* something never called back: leave anyway */
        return;
    }
    w->stopping = 2;
    for (size_t i = 0; i < w->nslots; i++)
        if (w->by_slot[i])
            target_abort(w->by_slot[i]);
    if (w->count == 0)
        poller_loop_stop(w->pl);
    else
        poller_timer_start(w->deadline, 500);
}

static void
run_cmd(struct worker *w, struct cmd *c)
{
    struct target *t = c->slot < w->nslots ? w->by_slot[c->slot] : NULL;
    switch (c->op) {
    case CMD_ADD:
        if (t || grow(w, c->slot) != 0) {
            log_err("poller %u: cannot add target %s", w->idx, c->spec->name);
            tgt_spec_free(c->spec);
            break;
        }
        if (target_new(w->pl, w->pool->ctx, c->slot, c->spec, target_gone, w, &t) == 0) {
            w->by_slot[c->slot] = t;
            w->count++;
        }
        break;
    case CMD_UPDATE:
        if (t)
            target_update(t, c->spec);
        else
            tgt_spec_free(c->spec);
        break;
    case CMD_REMOVE:
        if (t)
            target_remove(t);
        break;
    case CMD_ACT:
        if (t)
            target_act(t, c->act);
        else
            act_orphan(c->act, "the target was removed");
        c->act = NULL;
        break;
    case CMD_ATTACH: {
        struct tgt_attach *at = c->attach;
        char err[256] = "the target was removed";
        if (!t || target_attach(t, at->fd, at->closed, at->arg, err, sizeof(err)) != 0)
            at->failed(at->arg, at->fd, err);
        else
            at->attached(at->arg);
        free(at);
        c->attach = NULL;
        break;
    }
    case CMD_STOP:
        w->stopping = 1;
        if (w->count == 0) {
            poller_loop_stop(w->pl);
            break;
        }
        for (size_t i = 0; i < w->nslots; i++)
            if (w->by_slot[i])
                target_remove(w->by_slot[i]);
        if (w->count > 0 && w->deadline)
            poller_timer_start(w->deadline, c->timeout_ms);
        break;
    }
    c->spec = NULL;
    free(c);
}

static void
on_queue(void *arg)
{
    struct worker *w = arg;
    void *items[64];
    size_t n;
    queue_drain_fd(w->q);
    while ((n = queue_pop_many(w->q, items, 64)) > 0)
        for (size_t i = 0; i < n; i++)
            run_cmd(w, items[i]);
}

static void *
worker_main(void *arg)
{
    struct worker *w = arg;
    char name[16];
    snprintf(name, sizeof(name), "ic-poller-%u", w->idx % 100000u);
    pthread_setname_np(pthread_self(), name); /* what top -H and perf show */
    if (poller_loop_run(w->pl) != 0)
        log_err("poller %u: event loop failed", w->idx);
    return NULL;
}

int
pool_new(unsigned n, struct daemon_ctx *ctx, struct pool **out, char *err, size_t errlen)
{
    if (n == 0) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        n = cpus > 0 ? (unsigned)cpus : 1;
    }
    if (n > POOL_MAX_THREADS)
        n = POOL_MAX_THREADS;
    struct pool *p = calloc(1, sizeof(*p));
    if (!p)
        return IC_ENOMEM;
    p->ctx = ctx;
    p->n = n;
    p->w = calloc(n, sizeof(*p->w));
    p->assigned = calloc(n, sizeof(*p->assigned));
    if (!p->w || !p->assigned) {
        free(p->w);
        free(p->assigned);
        free(p);
        return IC_ENOMEM;
    }
    for (unsigned i = 0; i < n; i++) {
        struct worker *w = &p->w[i];
        w->pool = p;
        w->idx = i;
        w->pl = poller_loop_new();
        w->q = queue_new(QUEUE_CAP);
        if (!w->pl || !w->q || poller_loop_watch(w->pl, queue_fd(w->q), on_queue, w, &w->watch) ||
            !(w->deadline = poller_timer_new(w->pl, on_deadline, w)) ||
            pthread_create(&w->th, NULL, worker_main, w) != 0) {
            snprintf(err, errlen, "cannot start poller thread %u", i);
            p->n = i + 1;
            pool_free(p, 0);
            return IC_ENOMEM;
        }
        w->started = 1;
    }
    *out = p;
    return 0;
}

unsigned
pool_threads(const struct pool *p)
{
    return p->n;
}

static int
push_cmd(struct worker *w, enum cmd_op op, size_t slot, struct tgt_spec *spec, unsigned timeout_ms,
         struct tgt_act *act)
{
    struct cmd *c = calloc(1, sizeof(*c));
    if (!c) {
        tgt_spec_free(spec);
        return IC_ENOMEM;
    }
    c->act = act;
    c->op = op;
    c->slot = slot;
    c->spec = spec;
    c->timeout_ms = timeout_ms;
    /* The main thread may wait: a full queue drains in microseconds. */
    while (queue_push(w->q, c) == IC_ETOOBIG) {
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
    }
    return 0;
}

static int
push(struct worker *w, enum cmd_op op, size_t slot, struct tgt_spec *spec, unsigned timeout_ms)
{
    return push_cmd(w, op, slot, spec, timeout_ms, NULL);
}

int
pool_add(struct pool *p, size_t slot, struct tgt_spec *spec)
{
    if (slot >= p->nslots) {
        size_t n = p->nslots ? p->nslots : 256;
        while (n <= slot)
            n *= 2;
        unsigned *v = realloc(p->worker_of, n * sizeof(*v));
        if (!v) {
            tgt_spec_free(spec);
            return IC_ENOMEM;
        }
        p->worker_of = v;
        p->nslots = n;
    }
    unsigned best = 0;
    for (unsigned i = 1; i < p->n; i++)
        if (p->assigned[i] < p->assigned[best])
            best = i;
    p->worker_of[slot] = best;
    p->assigned[best]++;
    return push(&p->w[best], CMD_ADD, slot, spec, 0);
}

int
pool_update(struct pool *p, size_t slot, struct tgt_spec *spec)
{
    return push(&p->w[p->worker_of[slot]], CMD_UPDATE, slot, spec, 0);
}

int
pool_remove(struct pool *p, size_t slot)
{
    unsigned wi = p->worker_of[slot];
    p->assigned[wi]--;
    return push(&p->w[wi], CMD_REMOVE, slot, NULL, 0);
}

int
pool_act(struct pool *p, size_t slot, struct tgt_act *a)
{
    if (slot >= p->nslots) {
        act_orphan(a, "the target was removed");
        return 0;
    }
    if (push_cmd(&p->w[p->worker_of[slot]], CMD_ACT, slot, NULL, 0, a) != 0)
        act_orphan(a, "out of memory");
    return 0;
}

int
pool_attach(struct pool *p, size_t slot, struct tgt_attach *at)
{
    if (slot >= p->nslots) {
        at->failed(at->arg, at->fd, "no such target");
        free(at);
        return 0;
    }
    struct cmd *c = calloc(1, sizeof(*c));
    if (!c) {
        at->failed(at->arg, at->fd, "out of memory");
        free(at);
        return IC_ENOMEM;
    }
    c->op = CMD_ATTACH;
    c->slot = slot;
    c->attach = at;
    struct worker *w = &p->w[p->worker_of[slot]];
    while (queue_push(w->q, c) == IC_ETOOBIG) {
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
    }
    return 0;
}

void
pool_free(struct pool *p, unsigned timeout_ms)
{
    if (!p)
        return;
    for (unsigned i = 0; i < p->n; i++)
        if (p->w[i].started)
            push(&p->w[i], CMD_STOP, 0, NULL, timeout_ms ? timeout_ms : 1);
    for (unsigned i = 0; i < p->n; i++) {
        struct worker *w = &p->w[i];
        if (w->started)
            pthread_join(w->th, NULL);
        poller_watch_free(w->watch);
        poller_timer_free(w->deadline);
        if (w->pl)
            poller_loop_free(w->pl);
        queue_free(w->q, free_cmd);
        free(w->by_slot);
    }
    free(p->w);
    free(p->assigned);
    free(p->worker_of);
    free(p);
}
