/* SPDX-License-Identifier: Apache-2.0 */
/*
 * loop.c - struct poller_loop: one libuv loop, run by one thread.
 *
 * libuv gives us the timer heap, non-blocking UDP and (with the daemon) the
 * async wake-up that is the only way another thread talks to a loop. A
 * session owns a UDP handle and one timer on its loop; nothing here blocks.
 */
#include "loop.h"
#include "ic_err.h"
#include "transport.h"

#include <stdlib.h>

struct poller_loop {
    uv_loop_t uv;
    struct transport_hub *hub; /* created with the first transport */
};

struct poller_loop *
poller_loop_new(void)
{
    struct poller_loop *pl = calloc(1, sizeof(*pl));
    if (!pl)
        return NULL;
    if (uv_loop_init(&pl->uv) != 0) {
        free(pl);
        return NULL;
    }
    return pl;
}

uv_loop_t *
poller_loop_uv(struct poller_loop *pl)
{
    return &pl->uv;
}

struct transport_hub *
poller_loop_hub(struct poller_loop *pl)
{
    if (!pl->hub)
        pl->hub = transport_hub_new(&pl->uv);
    return pl->hub;
}

int
poller_loop_run(struct poller_loop *pl)
{
    return uv_run(&pl->uv, UV_RUN_DEFAULT) < 0 ? IC_EIO : 0;
}

void
poller_loop_stop(struct poller_loop *pl)
{
    uv_stop(&pl->uv);
}

uint64_t
poller_loop_now(struct poller_loop *pl)
{
    return uv_now(&pl->uv);
}

struct after {
    uv_timer_t t;
    void (*fn)(void *arg);
    void *arg;
};

static void
after_closed(uv_handle_t *h)
{
    free(h->data);
}

static void
after_fire(uv_timer_t *t)
{
    struct after *a = t->data;
    a->fn(a->arg);
    uv_close((uv_handle_t *)&a->t, after_closed);
}

int
poller_loop_after(struct poller_loop *pl, uint64_t ms, void (*fn)(void *arg), void *arg)
{
    struct after *a = calloc(1, sizeof(*a));
    if (!a)
        return IC_ENOMEM;
    a->fn = fn;
    a->arg = arg;
    uv_timer_init(&pl->uv, &a->t);
    a->t.data = a;
    uv_timer_start(&a->t, after_fire, ms, 0);
    return 0;
}

/* ---- cancellable timers and fd watches (the daemon's per-target clocks and queues) ---- */

struct poller_timer {
    uv_timer_t t;
    void (*fn)(void *arg);
    void *arg;
};

static void
timer_fire(uv_timer_t *t)
{
    struct poller_timer *pt = t->data;
    pt->fn(pt->arg);
}

struct poller_timer *
poller_timer_new(struct poller_loop *pl, void (*fn)(void *arg), void *arg)
{
    struct poller_timer *pt = calloc(1, sizeof(*pt));
    if (!pt)
        return NULL;
    pt->fn = fn;
    pt->arg = arg;
    uv_timer_init(&pl->uv, &pt->t);
    pt->t.data = pt;
    return pt;
}

void
poller_timer_start(struct poller_timer *pt, uint64_t ms)
{
    uv_timer_start(&pt->t, timer_fire, ms, 0);
}

void
poller_timer_stop(struct poller_timer *pt)
{
    uv_timer_stop(&pt->t);
}

void
poller_timer_free(struct poller_timer *pt)
{
    if (!pt)
        return;
    uv_timer_stop(&pt->t);
    uv_close((uv_handle_t *)&pt->t, after_closed);
}

struct poller_watch {
    uv_poll_t p;
    void (*fn)(void *arg);
    void *arg;
};

static void
watch_fire(uv_poll_t *p, int status, int events)
{
    (void)status;
    (void)events;
    struct poller_watch *w = p->data;
    w->fn(w->arg);
}

int
poller_loop_watch(struct poller_loop *pl, int fd, void (*fn)(void *arg), void *arg,
                  struct poller_watch **out)
{
    struct poller_watch *w = calloc(1, sizeof(*w));
    if (!w)
        return IC_ENOMEM;
    w->fn = fn;
    w->arg = arg;
    if (uv_poll_init(&pl->uv, &w->p, fd) != 0) {
        free(w);
        return IC_EIO;
    }
    w->p.data = w;
    uv_poll_start(&w->p, UV_READABLE, watch_fire);
    *out = w;
    return 0;
}

void
poller_watch_free(struct poller_watch *w)
{
    if (!w)
        return;
    uv_poll_stop(&w->p);
    uv_close((uv_handle_t *)&w->p, after_closed);
}

static void
close_any(uv_handle_t *h, void *arg)
{
    (void)arg;
    /* Sessions are freed before the loop; what is left is ours: timers (poller_loop_after,
       poller_timer) and fd watches, each a heap struct that h->data points to. */
    if (!uv_is_closing(h))
        uv_close(h, h->type == UV_TIMER || h->type == UV_POLL ? after_closed : NULL);
}

void
poller_loop_free(struct poller_loop *pl)
{
    if (!pl)
        return;
    transport_hub_free(pl->hub);
    /* Let pending close callbacks run, then close whatever a caller leaked. */
    uv_run(&pl->uv, UV_RUN_NOWAIT);
    if (uv_loop_close(&pl->uv) == UV_EBUSY) {
        uv_walk(&pl->uv, close_any, NULL);
        uv_run(&pl->uv, UV_RUN_DEFAULT);
        uv_loop_close(&pl->uv);
    }
    free(pl);
}
