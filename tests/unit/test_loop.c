/* SPDX-License-Identifier: Apache-2.0 */
/* test_loop.c - the poller loop's cancellable timers and fd watches (the daemon's clocks). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sys/eventfd.h>
#include <unistd.h>

#include "ic_err.h"
#include "poller.h"

struct rec {
    struct poller_loop *pl;
    struct poller_timer *t;
    int fired;
    uint64_t at;
    int stop_after;
};

static void
on_fire(void *arg)
{
    struct rec *r = arg;
    r->fired++;
    r->at = poller_loop_now(r->pl);
    if (r->fired >= r->stop_after)
        poller_loop_stop(r->pl);
}

static void
stop_loop(void *arg)
{
    poller_loop_stop(arg);
}

static void
test_timer_once_restart_stop(void **state)
{
    (void)state;
    struct poller_loop *pl = poller_loop_new();
    assert_non_null(pl);
    struct rec a = {.pl = pl, .stop_after = 100}, b = {.pl = pl, .stop_after = 100};
    a.t = poller_timer_new(pl, on_fire, &a);
    b.t = poller_timer_new(pl, on_fire, &b);
    assert_non_null(a.t);
    assert_non_null(b.t);
    uint64_t t0 = poller_loop_now(pl);
    poller_timer_start(a.t, 50);
    poller_timer_start(a.t, 10); /* a restart replaces the pending start */
    poller_timer_start(b.t, 5);
    poller_timer_stop(b.t); /* a stopped timer never fires */
    poller_loop_after(pl, 100, stop_loop, pl);
    assert_int_equal(poller_loop_run(pl), 0);
    assert_int_equal(a.fired, 1); /* one shot, not periodic */
    assert_true(a.at - t0 >= 10); /* not before the restarted delay */
    assert_int_equal(b.fired, 0);
    poller_timer_free(a.t);
    poller_timer_free(b.t);
    poller_timer_free(NULL);
    poller_loop_free(pl);
}

struct w {
    struct poller_loop *pl;
    int fd;
    int calls;
    struct poller_watch *watch;
};

static void
on_readable(void *arg)
{
    struct w *w = arg;
    uint64_t v;
    w->calls++;
    assert_int_equal(read(w->fd, &v, sizeof(v)), (ssize_t)sizeof(v));
    assert_int_equal(v, 3);      /* three writes, one wake-up */
    poller_watch_free(w->watch); /* freeing from inside its own callback is allowed */
    w->watch = NULL;
    poller_loop_stop(w->pl);
}

static void
test_watch_fd(void **state)
{
    (void)state;
    struct poller_loop *pl = poller_loop_new();
    struct w w = {.pl = pl, .fd = eventfd(0, EFD_NONBLOCK)};
    assert_true(w.fd >= 0);
    assert_int_equal(poller_loop_watch(pl, w.fd, on_readable, &w, &w.watch), 0);
    uint64_t one = 1;
    for (int i = 0; i < 3; i++)
        assert_int_equal(write(w.fd, &one, sizeof(one)), (ssize_t)sizeof(one));
    poller_loop_after(pl, 2000, stop_loop, pl); /* a guard, not a timing */
    assert_int_equal(poller_loop_run(pl), 0);
    assert_int_equal(w.calls, 1);
    assert_null(w.watch);
    poller_loop_free(pl);
    close(w.fd);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_timer_once_restart_stop),
        cmocka_unit_test(test_watch_fd),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
