/* SPDX-License-Identifier: Apache-2.0 */
/*
 * transport.c - connected UDP socket per BMC on a libuv loop (transport.h).
 *
 * The receive buffer is part of the transport, allocated once: libuv asks
 * for a buffer before each read and we always hand out the same one, so
 * the per-packet path allocates nothing.
 */
#include "transport.h"
#include "ic_err.h"

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TRANSPORT_RECV_MAX 2048

struct transport {
    uv_udp_t udp;
    struct sockaddr_storage peer;
    transport_recv_fn on_recv;
    transport_err_fn on_err;
    void *arg;
    uint64_t foreign;
    int closing;
    uint8_t rbuf[TRANSPORT_RECV_MAX];
};

int
transport_resolve(const char *host, uint16_t port, struct sockaddr_storage *out, char *err,
                  size_t errlen)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_DGRAM};
    struct addrinfo *res = NULL;
    char pbuf[8];
    snprintf(pbuf, sizeof(pbuf), "%u", port);
    int rc = getaddrinfo(host, pbuf, &hints, &res);
    if (rc != 0 || !res) {
        snprintf(err, errlen, "cannot resolve %s: %s", host, gai_strerror(rc));
        return IC_EUNREACH;
    }
    memset(out, 0, sizeof(*out));
    memcpy(out, res->ai_addr, res->ai_addrlen);
    freeaddrinfo(res);
    return 0;
}

static void
on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *b)
{
    struct transport *t = h->data;
    (void)suggested;
    b->base = (char *)t->rbuf;
    b->len = sizeof(t->rbuf);
}

static int
same_addr(const struct sockaddr_storage *a, const struct sockaddr *b)
{
    if (a->ss_family != b->sa_family)
        return 0;
    if (b->sa_family == AF_INET) {
        const struct sockaddr_in *x = (const struct sockaddr_in *)a;
        const struct sockaddr_in *y = (const struct sockaddr_in *)b;
        return x->sin_port == y->sin_port && x->sin_addr.s_addr == y->sin_addr.s_addr;
    }
    if (b->sa_family == AF_INET6) {
        const struct sockaddr_in6 *x = (const struct sockaddr_in6 *)a;
        const struct sockaddr_in6 *y = (const struct sockaddr_in6 *)b;
        return x->sin6_port == y->sin6_port &&
               memcmp(&x->sin6_addr, &y->sin6_addr, sizeof(x->sin6_addr)) == 0;
    }
    return 0;
}

static void
on_read(uv_udp_t *h, ssize_t nread, const uv_buf_t *b, const struct sockaddr *from, unsigned flags)
{
    struct transport *t = h->data;
    (void)flags;
    if (t->closing)
        return;
    if (nread < 0) {
        /* On a connected socket ICMP errors arrive here. */
        int e = (int)nread;
        int code = (e == UV_ECONNREFUSED || e == UV_EHOSTUNREACH || e == UV_ENETUNREACH)
                       ? IC_EUNREACH
                       : IC_EIO;
        t->on_err(t->arg, code, uv_strerror(e));
        return;
    }
    if (nread == 0)
        return; /* nothing read, or an empty datagram: nothing to do */
    if (from && !same_addr(&t->peer, from)) {
        t->foreign++;
        return;
    }
    t->on_recv(t->arg, (const uint8_t *)b->base, (size_t)nread);
}

int
transport_new(uv_loop_t *loop, const struct sockaddr_storage *addr, transport_recv_fn on_recv,
              transport_err_fn on_err, void *arg, struct transport **out, char *err, size_t errlen)
{
    int rc;
    *out = NULL;
    struct transport *t = calloc(1, sizeof(*t));
    if (!t) {
        snprintf(err, errlen, "out of memory");
        return IC_ENOMEM;
    }
    t->peer = *addr;
    t->on_recv = on_recv;
    t->on_err = on_err;
    t->arg = arg;
    if ((rc = uv_udp_init(loop, &t->udp)) != 0) {
        snprintf(err, errlen, "cannot create UDP socket: %s", uv_strerror(rc));
        free(t);
        return IC_EIO;
    }
    t->udp.data = t;
    rc = uv_udp_connect(&t->udp, (const struct sockaddr *)addr);
    if (rc == 0)
        rc = uv_udp_recv_start(&t->udp, on_alloc, on_read);
    if (rc != 0) {
        snprintf(err, errlen, "cannot connect UDP socket: %s", uv_strerror(rc));
        transport_free(t);
        return IC_EIO;
    }
    *out = t;
    return 0;
}

int
transport_send(struct transport *t, const uint8_t *p, size_t len)
{
    uv_buf_t b = uv_buf_init((char *)(uintptr_t)p, (unsigned)len);
    int rc = uv_udp_try_send(&t->udp, &b, 1, NULL);
    if (rc >= 0)
        return 0;
    if (rc == UV_EAGAIN || rc == UV_ENOBUFS)
        return IC_EAGAIN; /* the retransmission timer will try again */
    if (rc == UV_ECONNREFUSED || rc == UV_EHOSTUNREACH || rc == UV_ENETUNREACH)
        return IC_EUNREACH;
    return IC_EIO;
}

uint64_t
transport_foreign(const struct transport *t)
{
    return t->foreign;
}

static void
on_closed(uv_handle_t *h)
{
    free(h->data);
}

void
transport_free(struct transport *t)
{
    if (!t || t->closing)
        return;
    t->closing = 1;
    uv_udp_recv_stop(&t->udp);
    uv_close((uv_handle_t *)&t->udp, on_closed);
}
