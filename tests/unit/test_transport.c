/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_transport.c - transport.c against plain UDP sockets standing in for
 * BMCs on loopback: replies reach the transport of the peer that sent them,
 * every transport of a loop sends from one socket (a second one only for a
 * second transport to the same peer), strays are counted and dropped,
 * "port unreachable" reaches only the transport it concerns, a burst larger
 * than the outbox arrives whole and in order, a datagram queued just before
 * transport_free() still goes out, and the loop ends with its transports.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ic_err.h"
#include "loop.h"
#include "transport.h"

struct got {
    int n;
    size_t len;
    char last[64];
    int err, nerr;
    char what[128];
};

static void
on_recv(void *arg, const uint8_t *p, size_t len)
{
    struct got *g = arg;
    g->n++;
    g->len = len;
    size_t k = len < sizeof(g->last) - 1 ? len : sizeof(g->last) - 1;
    memcpy(g->last, p, k);
    g->last[k] = 0;
}

static void
on_err(void *arg, int err, const char *what)
{
    struct got *g = arg;
    g->err = err;
    g->nerr++;
    snprintf(g->what, sizeof(g->what), "%s", what);
}

/* A stand-in BMC: a non-blocking UDP socket on 127.0.0.1, its address in a. */
static int
bmc_new(struct sockaddr_storage *a)
{
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    assert_true(fd >= 0);
    struct sockaddr_in *in = (struct sockaddr_in *)a;
    memset(a, 0, sizeof(*a));
    in->sin_family = AF_INET;
    in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)in, sizeof(*in)), 0);
    socklen_t l = sizeof(*in);
    assert_int_equal(getsockname(fd, (struct sockaddr *)in, &l), 0);
    return fd;
}

/* Runs the loop (non-blocking steps) until *flag reaches want or 2 s pass. */
static void
pump(struct poller_loop *pl, const int *flag, int want)
{
    for (int i = 0; i < 2000 && *flag < want; i++) {
        uv_run(poller_loop_uv(pl), UV_RUN_NOWAIT);
        if (*flag < want)
            usleep(1000);
    }
}

/* Receives one datagram on a stand-in BMC (waits up to 2 s). */
static ssize_t
bmc_recv(int fd, char *buf, size_t cap, struct sockaddr_storage *from)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    if (poll(&p, 1, 2000) != 1)
        return -1;
    socklen_t l = sizeof(*from);
    return recvfrom(fd, buf, cap, 0, (struct sockaddr *)from, &l);
}

static void
flush_loop(struct poller_loop *pl)
{
    uv_run(poller_loop_uv(pl), UV_RUN_NOWAIT); /* the prepare phase sends */
}

static void
test_demux_and_shared_socket(void **state)
{
    (void)state;
    struct poller_loop *pl = poller_loop_new();
    struct sockaddr_storage a1, a2, f1, f2, f3;
    int b1 = bmc_new(&a1), b2 = bmc_new(&a2);
    struct transport *t1, *t2, *t3;
    struct got g1 = {0}, g2 = {0}, g3 = {0};
    char err[128], buf[64];
    assert_int_equal(
        transport_new(poller_loop_hub(pl), &a1, on_recv, on_err, &g1, &t1, err, sizeof(err)), 0);
    assert_int_equal(
        transport_new(poller_loop_hub(pl), &a2, on_recv, on_err, &g2, &t2, err, sizeof(err)), 0);
    /* A second transport to the first peer, as a console session would be. */
    assert_int_equal(
        transport_new(poller_loop_hub(pl), &a1, on_recv, on_err, &g3, &t3, err, sizeof(err)), 0);
    assert_int_equal(transport_send(t1, (const uint8_t *)"q1", 2), 0);
    assert_int_equal(transport_send(t2, (const uint8_t *)"q2", 2), 0);
    assert_int_equal(transport_send(t3, (const uint8_t *)"q3", 2), 0);
    flush_loop(pl);
    assert_int_equal(bmc_recv(b1, buf, sizeof(buf), &f1), 2);
    assert_memory_equal(buf, "q1", 2);
    assert_int_equal(bmc_recv(b2, buf, sizeof(buf), &f2), 2);
    assert_memory_equal(buf, "q2", 2);
    assert_int_equal(bmc_recv(b1, buf, sizeof(buf), &f3), 2);
    assert_memory_equal(buf, "q3", 2);
    /* One socket for both peers; another one for the same peer again. */
    assert_int_equal(((struct sockaddr_in *)&f1)->sin_port, ((struct sockaddr_in *)&f2)->sin_port);
    assert_int_not_equal(((struct sockaddr_in *)&f1)->sin_port,
                         ((struct sockaddr_in *)&f3)->sin_port);
    /* Replies, crossed: each lands on its own transport. */
    sendto(b2, "r2", 2, 0, (struct sockaddr *)&f2, sizeof(struct sockaddr_in));
    sendto(b1, "r3", 2, 0, (struct sockaddr *)&f3, sizeof(struct sockaddr_in));
    sendto(b1, "r1", 2, 0, (struct sockaddr *)&f1, sizeof(struct sockaddr_in));
    pump(pl, &g1.n, 1);
    pump(pl, &g2.n, 1);
    pump(pl, &g3.n, 1);
    assert_string_equal(g1.last, "r1");
    assert_string_equal(g2.last, "r2");
    assert_string_equal(g3.last, "r3");
    /* A stray: a socket no transport talks to writes to the shared socket. */
    struct sockaddr_storage as;
    int stray = bmc_new(&as);
    sendto(stray, "xx", 2, 0, (struct sockaddr *)&f1, sizeof(struct sockaddr_in));
    sendto(b2, "r2b", 3, 0, (struct sockaddr *)&f2, sizeof(struct sockaddr_in));
    pump(pl, &g2.n, 2);
    assert_int_equal(g2.n, 2);
    assert_int_equal(g1.n + g3.n, 2);
    assert_int_equal(transport_hub_foreign(poller_loop_hub(pl)), 1);
    transport_free(t1);
    transport_free(t2);
    transport_free(t3);
    assert_int_equal(poller_loop_run(pl), 0); /* nothing left: returns */
    poller_loop_free(pl);
    close(b1);
    close(b2);
    close(stray);
}

static void
test_unreachable_is_per_peer(void **state)
{
    (void)state;
    struct poller_loop *pl = poller_loop_new();
    struct sockaddr_storage alive, dead, from;
    int b = bmc_new(&alive);
    close(bmc_new(&dead)); /* a port nothing listens on */
    struct transport *ta, *td;
    struct got ga = {0}, gd = {0};
    char err[128], buf[64];
    assert_int_equal(
        transport_new(poller_loop_hub(pl), &alive, on_recv, on_err, &ga, &ta, err, sizeof(err)), 0);
    assert_int_equal(
        transport_new(poller_loop_hub(pl), &dead, on_recv, on_err, &gd, &td, err, sizeof(err)), 0);
    assert_int_equal(transport_send(td, (const uint8_t *)"hello", 5), 0);
    pump(pl, &gd.nerr, 1);
    assert_int_equal(gd.err, IC_EUNREACH);
    assert_non_null(strstr(gd.what, "port unreachable"));
    assert_int_equal(ga.err, 0);
    /* The other peer on the same socket is not affected, before or after. */
    for (int round = 0; round < 2; round++) {
        assert_int_equal(transport_send(ta, (const uint8_t *)"ping", 4), 0);
        if (round == 1)
            assert_int_equal(transport_send(td, (const uint8_t *)"again", 5), 0);
        flush_loop(pl);
        assert_int_equal(bmc_recv(b, buf, sizeof(buf), &from), 4);
        sendto(b, "pong", 4, 0, (struct sockaddr *)&from, sizeof(struct sockaddr_in));
        pump(pl, &ga.n, round + 1);
        assert_int_equal(ga.n, round + 1);
    }
    assert_int_equal(ga.err, 0);
    transport_free(ta);
    transport_free(td);
    poller_loop_free(pl);
    close(b);
}

static void
test_burst_and_free(void **state)
{
    (void)state;
    struct poller_loop *pl = poller_loop_new();
    struct sockaddr_storage a, from;
    int b = bmc_new(&a);
    int big = 1 << 20;
    setsockopt(b, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
    struct transport *t;
    struct got g = {0};
    char err[128], buf[64];
    assert_int_equal(
        transport_new(poller_loop_hub(pl), &a, on_recv, on_err, &g, &t, err, sizeof(err)), 0);
    /* More than one outbox (64) in one go: all of them, in order. */
    for (int i = 0; i < 150; i++) {
        char m[16];
        int n = snprintf(m, sizeof(m), "m%d", i);
        assert_int_equal(transport_send(t, (const uint8_t *)m, (size_t)n), 0);
    }
    uint8_t huge[4096] = {0};
    assert_int_equal(transport_send(t, huge, sizeof(huge)), IC_EIO);
    flush_loop(pl);
    for (int i = 0; i < 150; i++) {
        char m[16];
        int n = snprintf(m, sizeof(m), "m%d", i);
        ssize_t r = bmc_recv(b, buf, sizeof(buf), &from);
        assert_int_equal(r, n);
        assert_memory_equal(buf, m, (size_t)n);
    }
    /* Queued, then freed at once (a Close Session on the way out): still sent. */
    assert_int_equal(transport_send(t, (const uint8_t *)"bye", 3), 0);
    transport_free(t);
    assert_int_equal(bmc_recv(b, buf, sizeof(buf), &from), 3);
    assert_memory_equal(buf, "bye", 3);
    assert_int_equal(g.err, 0);
    poller_loop_free(pl);
    close(b);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_demux_and_shared_socket),
        cmocka_unit_test(test_unreachable_is_per_peer),
        cmocka_unit_test(test_burst_and_free),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
