/* SPDX-License-Identifier: Apache-2.0 */
/* test_queue.c - the bounded MPSC queue: order, bound, wake-ups, many producers. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <poll.h>
#include <pthread.h>
#include <stdlib.h>

#include "ic_err.h"
#include "queue.h"

static void
test_order_and_bound(void **state)
{
    (void)state;
    struct queue *q = queue_new(4);
    assert_non_null(q);
    int v[5];
    void *out[8];
    for (int i = 0; i < 4; i++)
        assert_int_equal(queue_push(q, &v[i]), 0);
    assert_int_equal(queue_push(q, &v[4]), IC_ETOOBIG); /* full: refused, not grown */
    assert_int_equal(queue_len(q), 4);
    assert_int_equal(queue_pop_many(q, out, 2), 2);
    assert_ptr_equal(out[0], &v[0]);
    assert_ptr_equal(out[1], &v[1]);
    assert_int_equal(queue_push(q, &v[4]), 0); /* wraps around the ring */
    assert_int_equal(queue_pop_many(q, out, 8), 3);
    assert_ptr_equal(out[0], &v[2]);
    assert_ptr_equal(out[2], &v[4]);
    assert_int_equal(queue_pop_many(q, out, 8), 0);
    queue_free(q, NULL);
    assert_null(queue_new(0));
}

static void
test_wakeup(void **state)
{
    (void)state;
    struct queue *q = queue_new(8);
    struct pollfd p = {.fd = queue_fd(q), .events = POLLIN};
    assert_int_equal(poll(&p, 1, 0), 0); /* nothing yet: not readable */
    int v;
    queue_push(q, &v);
    assert_int_equal(poll(&p, 1, 0), 1);
    queue_drain_fd(q);
    assert_int_equal(poll(&p, 1, 0), 0); /* drained; the item is still there */
    void *out;
    assert_int_equal(queue_pop_many(q, &out, 1), 1);
    queue_free(q, NULL);
}

static int freed;
static void
count_free(void *p)
{
    freed++;
    free(p);
}

/* A lazy push wakes nobody until the queue is half full; a plain push always wakes. */
static void
test_lazy_wakeup(void **state)
{
    (void)state;
    struct queue *q = queue_new(8);
    int items[8];
    void *out[8];
    struct pollfd p = {.fd = queue_fd(q), .events = POLLIN};
    assert_int_equal(queue_push_lazy(q, &items[0]), 0);
    assert_int_equal(queue_push_lazy(q, &items[1]), 0);
    assert_int_equal(queue_push_lazy(q, &items[2]), 0);
    assert_int_equal(poll(&p, 1, 0), 0); /* 3 of 8: the consumer sleeps on */
    assert_int_equal(queue_len(q), 3);
    assert_int_equal(queue_push_lazy(q, &items[3]), 0);
    assert_int_equal(poll(&p, 1, 0), 1); /* half full: woken */
    queue_drain_fd(q);
    assert_int_equal(queue_pop_many(q, out, 8), 4);
    assert_ptr_equal(out[0], &items[0]);
    assert_ptr_equal(out[3], &items[3]);
    assert_int_equal(queue_push_lazy(q, &items[4]), 0);
    assert_int_equal(poll(&p, 1, 0), 0);
    assert_int_equal(queue_push(q, &items[5]), 0);
    assert_int_equal(poll(&p, 1, 0), 1); /* a plain push wakes, and takes the lazy one along */
    queue_drain_fd(q);
    assert_int_equal(queue_pop_many(q, out, 8), 2);
    assert_ptr_equal(out[0], &items[4]);
    queue_free(q, NULL);
}

static void
test_free_owns_items(void **state)
{
    (void)state;
    struct queue *q = queue_new(8);
    for (int i = 0; i < 5; i++)
        queue_push(q, malloc(16));
    freed = 0;
    queue_free(q, count_free); /* ASan's leak check proves the rest */
    assert_int_equal(freed, 5);
    queue_free(NULL, NULL);
}

#define PRODUCERS    4
#define PER_PRODUCER 20000

struct msg {
    int producer, seq;
};

static void *
produce(void *arg)
{
    struct queue *q = ((void **)arg)[0];
    int id = (int)(intptr_t)((void **)arg)[1];
    for (int i = 0; i < PER_PRODUCER; i++) {
        struct msg *m = malloc(sizeof(*m));
        m->producer = id;
        m->seq = i;
        while (queue_push(q, m) == IC_ETOOBIG)
            sched_yield(); /* the bound holds; a real producer would drop and count */
    }
    return NULL;
}

static void
test_many_producers(void **state)
{
    (void)state;
    struct queue *q = queue_new(64);
    pthread_t t[PRODUCERS];
    void *args[PRODUCERS][2];
    int next[PRODUCERS] = {0};
    for (int i = 0; i < PRODUCERS; i++) {
        args[i][0] = q;
        args[i][1] = (void *)(intptr_t)i;
        pthread_create(&t[i], NULL, produce, args[i]);
    }
    int got = 0;
    struct pollfd p = {.fd = queue_fd(q), .events = POLLIN};
    while (got < PRODUCERS * PER_PRODUCER) {
        assert_true(poll(&p, 1, 5000) == 1); /* a push always wakes the consumer */
        queue_drain_fd(q);
        void *out[32];
        size_t n;
        while ((n = queue_pop_many(q, out, 32)) > 0)
            for (size_t i = 0; i < n; i++) {
                struct msg *m = out[i];
                assert_int_equal(m->seq, next[m->producer]); /* per-producer order, no loss */
                next[m->producer]++;
                got++;
                free(m);
            }
    }
    for (int i = 0; i < PRODUCERS; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(next[i], PER_PRODUCER);
    }
    queue_free(q, free);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order_and_bound), cmocka_unit_test(test_wakeup),
        cmocka_unit_test(test_lazy_wakeup),     cmocka_unit_test(test_free_owns_items),
        cmocka_unit_test(test_many_producers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
