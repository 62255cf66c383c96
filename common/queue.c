/* SPDX-License-Identifier: Apache-2.0 */
/*
 * queue.c - bounded MPSC pointer queue with an eventfd (see queue.h).
 *
 * Locking: one mutex guards head, len and the ring; it is held only to copy
 * pointers, never across I/O or a callback. The eventfd write happens after
 * the unlock; an eventfd counter never blocks a producer (it saturates far
 * beyond any queue size), and a consumer that drains it before popping
 * cannot miss an item pushed meanwhile.
 */
#include "queue.h"
#include "ic_err.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <unistd.h>

struct queue {
    pthread_mutex_t mu;
    size_t cap, head, len;
    int fd;
    void **ring;
};

struct queue *
queue_new(size_t cap)
{
    if (cap == 0)
        return NULL;
    struct queue *q = calloc(1, sizeof(*q));
    if (!q)
        return NULL;
    q->ring = calloc(cap, sizeof(*q->ring));
    q->fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (!q->ring || q->fd < 0) {
        if (q->fd >= 0)
            close(q->fd);
        free(q->ring);
        free(q);
        return NULL;
    }
    q->cap = cap;
    pthread_mutex_init(&q->mu, NULL);
    return q;
}

static int
push(struct queue *q, void *item, int lazy)
{
    pthread_mutex_lock(&q->mu);
    if (q->len == q->cap) {
        pthread_mutex_unlock(&q->mu);
        return IC_ETOOBIG;
    }
    q->ring[(q->head + q->len) % q->cap] = item;
    q->len++;
    int quiet = lazy && q->len < q->cap / 2;
    pthread_mutex_unlock(&q->mu);
    if (quiet)
        return 0;
    uint64_t one = 1;
    /* EAGAIN only if the counter were at its maximum: the consumer is awake anyway. */
    (void)!write(q->fd, &one, sizeof(one));
    return 0;
}

int
queue_push(struct queue *q, void *item)
{
    return push(q, item, 0);
}

int
queue_push_lazy(struct queue *q, void *item)
{
    return push(q, item, 1);
}

size_t
queue_pop_many(struct queue *q, void **out, size_t max)
{
    size_t n = 0;
    pthread_mutex_lock(&q->mu);
    while (n < max && q->len) {
        out[n++] = q->ring[q->head];
        q->ring[q->head] = NULL;
        q->head = (q->head + 1) % q->cap;
        q->len--;
    }
    pthread_mutex_unlock(&q->mu);
    return n;
}

int
queue_fd(const struct queue *q)
{
    return q->fd;
}

void
queue_drain_fd(struct queue *q)
{
    uint64_t v;
    (void)!read(q->fd, &v, sizeof(v));
}

size_t
queue_len(struct queue *q)
{
    pthread_mutex_lock(&q->mu);
    size_t n = q->len;
    pthread_mutex_unlock(&q->mu);
    return n;
}

void
queue_free(struct queue *q, void (*free_item)(void *))
{
    if (!q)
        return;
    void *item;
    while (queue_pop_many(q, &item, 1) == 1)
        if (free_item)
            free_item(item);
    close(q->fd);
    pthread_mutex_destroy(&q->mu);
    free(q->ring);
    free(q);
}
