/* SPDX-License-Identifier: Apache-2.0 */
/*
 * snap.c - immutable per-target snapshots and the hub that holds the
 * current one of each target.
 *
 * A poller thread builds a new snapshot (usually a clone of its previous
 * one with fresh parts), then swaps it in with snap_hub_put(). The HTTP
 * thread takes references to all of them under the same short lock and
 * renders without it. The lock is taken once per poll of a target and once
 * per scrape: never per packet.
 */
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "deliver_int.h"
#include "exporters.h"

static char *
dup_str(const char *s)
{
    return strdup(s ? s : "");
}

static void
free_labels(struct snap_label *l, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(l[i].name);
        free(l[i].value);
    }
    free(l);
}

static int
copy_labels(struct snap_target *t, const struct snap_label *l, size_t n)
{
    t->labels = NULL;
    t->nlabels = 0;
    if (n == 0)
        return 0;
    t->labels = calloc(n, sizeof(*t->labels));
    if (!t->labels)
        return IC_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        t->labels[i].name = dup_str(l[i].name);
        t->labels[i].value = dup_str(l[i].value);
        t->nlabels = i + 1;
        if (!t->labels[i].name || !t->labels[i].value)
            return IC_ENOMEM;
    }
    return 0;
}

static void
snap_free(struct snap_target *t)
{
    free(t->name);
    free(t->host);
    free_labels(t->labels, t->nlabels);
    free(t->readings);
    free(t);
}

struct snap_target *
snap_target_new(const char *name, const char *host, uint16_t port, const struct snap_label *labels,
                size_t nlabels)
{
    struct snap_target *t = calloc(1, sizeof(*t));
    if (!t)
        return NULL;
    t->refs = 1;
    t->port = port;
    t->name = dup_str(name);
    t->host = dup_str(host);
    if (!t->name || !t->host || copy_labels(t, labels, nlabels) != 0) {
        snap_free(t);
        return NULL;
    }
    return t;
}

struct snap_target *
snap_target_clone(const struct snap_target *src)
{
    struct snap_target *t = malloc(sizeof(*t));
    if (!t)
        return NULL;
    /* Everything but the count: other threads may be changing src->refs right now. */
    _Static_assert(offsetof(struct snap_target, refs) == 0, "refs comes first");
    memcpy((char *)t + offsetof(struct snap_target, name),
           (const char *)src + offsetof(struct snap_target, name),
           sizeof(*t) - offsetof(struct snap_target, name));
    t->refs = 1;
    t->name = NULL;
    t->host = NULL;
    t->labels = NULL;
    t->nlabels = 0;
    t->readings = NULL;
    t->nreadings = 0;
    t->name = dup_str(src->name);
    t->host = dup_str(src->host);
    if (!t->name || !t->host || copy_labels(t, src->labels, src->nlabels) != 0 ||
        snap_target_set_readings(t, src->readings, src->nreadings) != 0) {
        snap_free(t);
        return NULL;
    }
    return t;
}

int
snap_target_set_readings(struct snap_target *t, const struct snap_reading *v, size_t n)
{
    struct snap_reading *r = NULL;
    if (n > 0) {
        r = malloc(n * sizeof(*r));
        if (!r)
            return IC_ENOMEM;
        memcpy(r, v, n * sizeof(*r));
    }
    free(t->readings);
    t->readings = r;
    t->nreadings = n;
    return 0;
}

int
snap_target_set_labels(struct snap_target *t, const struct snap_label *v, size_t n)
{
    struct snap_target tmp = {0};
    if (copy_labels(&tmp, v, n) != 0) {
        free_labels(tmp.labels, tmp.nlabels);
        return IC_ENOMEM;
    }
    free_labels(t->labels, t->nlabels);
    t->labels = tmp.labels;
    t->nlabels = tmp.nlabels;
    return 0;
}

void
snap_target_ref(struct snap_target *t)
{
    __atomic_add_fetch(&t->refs, 1, __ATOMIC_RELAXED);
}

void
snap_target_unref(struct snap_target *t)
{
    if (t && __atomic_sub_fetch(&t->refs, 1, __ATOMIC_ACQ_REL) == 0)
        snap_free(t);
}

/* ---- hub ---------------------------------------------------------------- */

struct snap_hub {
    pthread_mutex_t mu;
    struct snap_target **slots;
    size_t nslots; /* allocated */
    size_t used;   /* non-NULL slots */
    struct snap_daemon daemon;
    int ready;
    struct exp_receiver_stats *delivery; /* snap_hub_set_delivery's copy */
    size_t ndelivery;
    int has_delivery;
    pthread_mutex_t refresh_mu; /* held while refresh runs, so it can be taken away safely */
    snap_refresh_fn refresh;
    void *refresh_arg;
};

struct snap_hub *
snap_hub_new(void)
{
    struct snap_hub *h = calloc(1, sizeof(*h));
    if (!h)
        return NULL;
    pthread_mutex_init(&h->mu, NULL);
    pthread_mutex_init(&h->refresh_mu, NULL);
    return h;
}

void
snap_hub_free(struct snap_hub *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->nslots; i++)
        snap_target_unref(h->slots[i]);
    free(h->slots);
    free(h->delivery);
    pthread_mutex_destroy(&h->mu);
    pthread_mutex_destroy(&h->refresh_mu);
    free(h);
}

int
snap_hub_put(struct snap_hub *h, size_t slot, struct snap_target *t)
{
    struct snap_target *old = NULL;
    pthread_mutex_lock(&h->mu);
    if (slot >= h->nslots) {
        if (!t) {
            pthread_mutex_unlock(&h->mu);
            return 0;
        }
        size_t n = h->nslots ? h->nslots : 64;
        while (n <= slot)
            n *= 2;
        struct snap_target **s = realloc(h->slots, n * sizeof(*s));
        if (!s) {
            pthread_mutex_unlock(&h->mu);
            snap_target_unref(t);
            return IC_ENOMEM;
        }
        memset(s + h->nslots, 0, (n - h->nslots) * sizeof(*s));
        h->slots = s;
        h->nslots = n;
    }
    old = h->slots[slot];
    h->slots[slot] = t;
    if (t && !old)
        h->used++;
    else if (!t && old)
        h->used--;
    pthread_mutex_unlock(&h->mu);
    snap_target_unref(old); /* outside the lock: freeing may take a while */
    return 0;
}

size_t
snap_hub_acquire(struct snap_hub *h, struct snap_target ***out)
{
    *out = NULL;
    pthread_mutex_lock(&h->mu);
    size_t n = 0;
    struct snap_target **v = h->used ? malloc(h->used * sizeof(*v)) : NULL;
    if (v) {
        for (size_t i = 0; i < h->nslots && n < h->used; i++) {
            if (h->slots[i]) {
                snap_target_ref(h->slots[i]);
                v[n++] = h->slots[i];
            }
        }
    }
    pthread_mutex_unlock(&h->mu);
    *out = v;
    return n;
}

void
snap_hub_release(struct snap_target **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        snap_target_unref(v[i]);
    free(v);
}

/* The storage writer's counters: set by snap_hub_set_storage only. */
static void
copy_storage(struct snap_daemon *dst, const struct snap_daemon *src)
{
    dst->db_size_bytes = src->db_size_bytes;
    dst->storage_queue_len = src->storage_queue_len;
    dst->storage_dropped = src->storage_dropped;
    dst->storage_write_errors = src->storage_write_errors;
}

void
snap_hub_set_daemon(struct snap_hub *h, const struct snap_daemon *d)
{
    pthread_mutex_lock(&h->mu);
    struct snap_daemon keep = h->daemon;
    h->daemon = *d;
    copy_storage(&h->daemon, &keep);
    pthread_mutex_unlock(&h->mu);
}

void
snap_hub_set_storage(struct snap_hub *h, const struct snap_daemon *d)
{
    pthread_mutex_lock(&h->mu);
    copy_storage(&h->daemon, d);
    pthread_mutex_unlock(&h->mu);
}

void
snap_hub_set_refresh(struct snap_hub *h, snap_refresh_fn fn, void *arg)
{
    pthread_mutex_lock(&h->refresh_mu);
    h->refresh = fn;
    h->refresh_arg = arg;
    pthread_mutex_unlock(&h->refresh_mu);
}

void
snap_hub_refresh(struct snap_hub *h)
{
    pthread_mutex_lock(&h->refresh_mu);
    if (h->refresh)
        h->refresh(h->refresh_arg, h);
    pthread_mutex_unlock(&h->refresh_mu);
}

void
snap_hub_get_daemon(struct snap_hub *h, struct snap_daemon *out)
{
    pthread_mutex_lock(&h->mu);
    *out = h->daemon;
    pthread_mutex_unlock(&h->mu);
}

int
snap_hub_set_delivery(struct snap_hub *h, const struct exp_receiver_stats *v, size_t n)
{
    struct exp_receiver_stats *c = NULL;
    if (n && !(c = malloc(n * sizeof(*c))))
        return IC_ENOMEM;
    if (n)
        memcpy(c, v, n * sizeof(*c));
    pthread_mutex_lock(&h->mu);
    struct exp_receiver_stats *old = h->delivery;
    h->delivery = c;
    h->ndelivery = n;
    h->has_delivery = 1;
    pthread_mutex_unlock(&h->mu);
    free(old);
    return 0;
}

size_t
snap_hub_get_delivery(struct snap_hub *h, struct exp_receiver_stats **out, int *set)
{
    size_t n;
    *out = NULL;
    pthread_mutex_lock(&h->mu);
    *set = h->has_delivery;
    n = h->ndelivery;
    if (n && (*out = malloc(n * sizeof(**out))) != NULL)
        memcpy(*out, h->delivery, n * sizeof(**out));
    pthread_mutex_unlock(&h->mu);
    return *out ? n : 0;
}

void
snap_hub_set_ready(struct snap_hub *h, int ready)
{
    __atomic_store_n(&h->ready, ready, __ATOMIC_RELEASE);
}

int
snap_hub_ready(struct snap_hub *h)
{
    return __atomic_load_n(&h->ready, __ATOMIC_ACQUIRE);
}
