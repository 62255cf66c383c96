/* SPDX-License-Identifier: Apache-2.0 */
/*
 * queue.h - a bounded multi-producer, single-consumer queue of pointers
 * with an eventfd wake-up: the only channel between threads (a poller loop
 * and the storage writer, the HTTP server and a poller loop, ...).
 *
 * Items are heap messages: after queue_push() succeeds the producer never
 * touches the item again; the consumer owns what it pops. The queue has a
 * maximum: a full queue is IC_ETOOBIG, never unbounded growth, and the
 * producer decides what to drop (STYLE §4).
 */
#ifndef IC_QUEUE_H
#define IC_QUEUE_H

#include <stddef.h>

struct queue;

/* A queue holding at most cap items. NULL when out of memory or no eventfd. */
struct queue *queue_new(size_t cap);

/* Any thread: appends item and wakes the consumer. 0, or IC_ETOOBIG when full. */
int queue_push(struct queue *q, void *item);

/*
 * Any thread: appends item without waking the consumer, unless the queue is
 * half full; for items that can wait for the consumer's next periodic wake.
 * 0, or IC_ETOOBIG when full.
 */
int queue_push_lazy(struct queue *q, void *item);

/* Consumer: up to max items in push order (per producer); returns how many. */
size_t queue_pop_many(struct queue *q, void **out, size_t max);

/*
 * Consumer: the descriptor to watch (readable when items may be waiting).
 * Call queue_drain_fd() when it fires, before popping, so no wake-up is lost.
 */
int queue_fd(const struct queue *q);
void queue_drain_fd(struct queue *q);

/* Items waiting now (a snapshot, for metrics). */
size_t queue_len(struct queue *q);

/* Frees the queue; free_item (may be NULL) is called on items still in it. NULL is a no-op. */
void queue_free(struct queue *q, void (*free_item)(void *));

#endif
