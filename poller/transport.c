/* SPDX-License-Identifier: Apache-2.0 */
/*
 * transport.c - shared UDP sockets per loop, batched both ways (transport.h).
 *
 * A hub (one per loop) holds sockets; a socket holds an open-addressing
 * table from peer address to transport. Received datagrams are read 32 at a
 * time into buffers that belong to the hub, so the per-packet path
 * allocates nothing. Send failures are not reported from inside
 * transport_send() (the caller is in the middle of building a request) but
 * from the loop's prepare phase, where a callback may do anything.
 */
#include "transport.h"
#include "ic_err.h"

#include <errno.h>
#include <linux/errqueue.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TP_BATCH         32          /* datagrams per recvmmsg() */
#define TP_DRAIN_BATCHES 16          /* per read, so a flood cannot starve the timers */
#define TP_RECV_MAX      2048        /* larger than any IPMI packet; longer ones are dropped */
#define TP_SEND_MAX      1280        /* >= RMCPP_MAX_PACKET */
#define TP_OUTBOX        64          /* datagrams per sendmmsg() */
#define TP_RCVBUF        (1u << 20u) /* asked for; the kernel caps it at net.core.rmem_max */

struct tp_sock {
    struct transport_hub *hub;
    struct tp_sock *next;
    int family;
    int fd;
    uv_poll_t poll;
    int polling;
    int errq; /* a send saw a pending ICMP error: read the error queue */
    size_t users;
    struct transport **slot; /* open addressing, linear probing, at most half full */
    size_t cap;
};

struct transport {
    struct tp_sock *sock;
    struct sockaddr_storage peer;
    uint32_t hash;
    transport_recv_fn on_recv;
    transport_err_fn on_err;
    void *arg;
    int failed; /* on the hub's failure stack */
    int fail_code;
    char fail_what[96];
};

struct tp_out {
    struct tp_sock *sock;
    struct transport *t; /* NULL once freed: the datagram still goes out */
    struct sockaddr_storage peer;
    size_t len;
    uint8_t data[TP_SEND_MAX];
};

struct transport_hub {
    uv_loop_t *loop;
    struct tp_sock *socks;
    uv_prepare_t prep;
    unsigned open_handles;
    size_t users;
    uint64_t foreign;
    size_t nout;
    struct tp_out out[TP_OUTBOX];
    struct mmsghdr smsg[TP_OUTBOX];
    struct iovec siov[TP_OUTBOX];
    struct transport *failed[TP_OUTBOX]; /* stack of transports with a send failure */
    size_t nfailed;
    struct mmsghdr rmsg[TP_BATCH];
    struct iovec riov[TP_BATCH];
    struct sockaddr_storage rfrom[TP_BATCH];
    uint8_t rbuf[TP_BATCH][TP_RECV_MAX];
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

/* ---- peer table ------------------------------------------------------------ */

static socklen_t
addr_len(const struct sockaddr_storage *a)
{
    return a->ss_family == AF_INET6 ? (socklen_t)sizeof(struct sockaddr_in6)
                                    : (socklen_t)sizeof(struct sockaddr_in);
}

static int
same_addr(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
    if (a->ss_family != b->ss_family)
        return 0;
    if (a->ss_family == AF_INET) {
        const struct sockaddr_in *x = (const struct sockaddr_in *)a;
        const struct sockaddr_in *y = (const struct sockaddr_in *)b;
        return x->sin_port == y->sin_port && x->sin_addr.s_addr == y->sin_addr.s_addr;
    }
    if (a->ss_family == AF_INET6) {
        const struct sockaddr_in6 *x = (const struct sockaddr_in6 *)a;
        const struct sockaddr_in6 *y = (const struct sockaddr_in6 *)b;
        return x->sin6_port == y->sin6_port &&
               memcmp(&x->sin6_addr, &y->sin6_addr, sizeof(x->sin6_addr)) == 0;
    }
    return 0;
}

static uint32_t
fnv(uint32_t h, const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 16777619u;
    return h;
}

static uint32_t
addr_hash(const struct sockaddr_storage *a)
{
    uint32_t h = 2166136261u;
    if (a->ss_family == AF_INET) {
        const struct sockaddr_in *x = (const struct sockaddr_in *)a;
        h = fnv(h, &x->sin_addr, sizeof(x->sin_addr));
        return fnv(h, &x->sin_port, sizeof(x->sin_port));
    }
    const struct sockaddr_in6 *x = (const struct sockaddr_in6 *)a;
    h = fnv(h, &x->sin6_addr, sizeof(x->sin6_addr));
    return fnv(h, &x->sin6_port, sizeof(x->sin6_port));
}

static struct transport *
table_find(const struct tp_sock *s, const struct sockaddr_storage *a)
{
    if (!s->cap || (a->ss_family != AF_INET && a->ss_family != AF_INET6))
        return NULL;
    size_t mask = s->cap - 1;
    for (size_t i = addr_hash(a) & mask; s->slot[i]; i = (i + 1) & mask)
        if (same_addr(&s->slot[i]->peer, a))
            return s->slot[i];
    return NULL;
}

static void
table_put(struct transport **slot, size_t cap, struct transport *t)
{
    size_t i = t->hash & (cap - 1);
    while (slot[i])
        i = (i + 1) & (cap - 1);
    slot[i] = t;
}

static int
table_add(struct tp_sock *s, struct transport *t)
{
    if ((s->users + 1) * 2 > s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        struct transport **slot = calloc(cap, sizeof(*slot));
        if (!slot)
            return IC_ENOMEM;
        for (size_t i = 0; i < s->cap; i++)
            if (s->slot[i])
                table_put(slot, cap, s->slot[i]);
        free(s->slot);
        s->slot = slot;
        s->cap = cap;
    }
    table_put(s->slot, s->cap, t);
    s->users++;
    return 0;
}

static void
table_del(struct tp_sock *s, const struct transport *t)
{
    size_t mask = s->cap - 1, i = t->hash & mask;
    while (s->slot[i] != t)
        i = (i + 1) & mask;
    s->slot[i] = NULL;
    /* Backward shift: move later entries of the probe run into the hole. */
    for (size_t j = (i + 1) & mask; s->slot[j]; j = (j + 1) & mask) {
        size_t home = s->slot[j]->hash & mask;
        int stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
        if (!stays) {
            s->slot[i] = s->slot[j];
            s->slot[j] = NULL;
            i = j;
        }
    }
    s->users--;
}

/* ---- receiving ------------------------------------------------------------- */

static void on_poll(uv_poll_t *p, int status, int events);

/* A socket is watched while a transport uses it. */
static void
sock_watch(struct tp_sock *s, int on)
{
    if (on && !s->polling && s->users) {
        uv_poll_start(&s->poll, UV_READABLE, on_poll);
        s->polling = 1;
    } else if (!on && s->polling) {
        uv_poll_stop(&s->poll);
        s->polling = 0;
    }
}

static int
icmp_pending(int e)
{
    return e == ECONNREFUSED || e == EHOSTUNREACH || e == ENETUNREACH || e == EHOSTDOWN;
}

/* ICMP errors for this socket: "port unreachable" ends the peer's transport. */
static void
read_errqueue(struct tp_sock *s)
{
    for (int k = 0; k < TP_BATCH; k++) {
        struct sockaddr_storage dst;
        uint8_t data[64];
        union {
            char buf[256];
            struct cmsghdr align;
        } ctl;
        struct iovec iov = {data, sizeof(data)};
        struct msghdr m = {.msg_name = &dst,
                           .msg_namelen = sizeof(dst),
                           .msg_iov = &iov,
                           .msg_iovlen = 1,
                           .msg_control = ctl.buf,
                           .msg_controllen = sizeof(ctl.buf)};
        memset(&dst, 0, sizeof(dst));
        if (recvmsg(s->fd, &m, MSG_ERRQUEUE | MSG_DONTWAIT) < 0) {
            if (errno == EINTR)
                continue;
            return;
        }
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
            if (!((c->cmsg_level == SOL_IP && c->cmsg_type == IP_RECVERR) ||
                  (c->cmsg_level == SOL_IPV6 && c->cmsg_type == IPV6_RECVERR)))
                continue;
            struct sock_extended_err ee;
            memcpy(&ee, CMSG_DATA(c), sizeof(ee));
            int icmp = ee.ee_origin == SO_EE_ORIGIN_ICMP || ee.ee_origin == SO_EE_ORIGIN_ICMP6;
            /* Only the error a connected socket reports as fatal; others may pass. */
            if (!icmp || ee.ee_errno != ECONNREFUSED)
                continue;
            struct transport *t = table_find(s, &dst);
            if (t)
                t->on_err(t->arg, IC_EUNREACH, "ICMP port unreachable");
        }
    }
}

/* Reads what is waiting on s and hands it out. Returns the datagrams read. */
static size_t
sock_drain(struct tp_sock *s)
{
    struct transport_hub *h = s->hub;
    size_t got = 0;
    if (s->errq) {
        s->errq = 0;
        read_errqueue(s);
    }
    for (int b = 0; b < TP_DRAIN_BATCHES && s->users; b++) {
        for (int i = 0; i < TP_BATCH; i++) {
            h->riov[i] = (struct iovec){h->rbuf[i], TP_RECV_MAX};
            h->rmsg[i].msg_hdr = (struct msghdr){.msg_name = &h->rfrom[i],
                                                 .msg_namelen = sizeof(h->rfrom[i]),
                                                 .msg_iov = &h->riov[i],
                                                 .msg_iovlen = 1};
        }
        int n = recvmmsg(s->fd, h->rmsg, TP_BATCH, MSG_DONTWAIT, NULL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (icmp_pending(errno)) {
                read_errqueue(s); /* the error was for one peer; go on reading */
                continue;
            }
            break; /* EAGAIN, or nothing we can act on: the poll tells us again */
        }
        for (int i = 0; i < n; i++) {
            if (h->rmsg[i].msg_hdr.msg_flags & MSG_TRUNC)
                continue; /* longer than any IPMI packet */
            /* Looked up each time: a callback may have freed or added transports. */
            struct transport *t = table_find(s, &h->rfrom[i]);
            if (!t) {
                h->foreign++;
                continue;
            }
            t->on_recv(t->arg, h->rbuf[i], h->rmsg[i].msg_len);
        }
        got += (size_t)n;
        if (n < TP_BATCH)
            break;
    }
    return got;
}

static void
on_poll(uv_poll_t *p, int status, int events)
{
    struct tp_sock *s = p->data;
    (void)events;
    if (status < 0) {
        /* POLLERR: libuv has stopped the handle; the error queue says why. */
        s->polling = 0;
        s->errq = 1;
    }
    sock_drain(s);
    sock_watch(s, 1);
}

/* ---- sending --------------------------------------------------------------- */

static void
fail_later(struct transport_hub *h, struct transport *t, int code, const char *what, int e)
{
    if (!t || t->failed || h->nfailed == TP_OUTBOX)
        return;
    t->failed = 1;
    t->fail_code = code;
    snprintf(t->fail_what, sizeof(t->fail_what), "%s: %s", what, strerror(e));
    h->failed[h->nfailed++] = t;
}

/* Sends out[i..j), all on one socket. No callbacks run here. */
static void
send_run(struct transport_hub *h, size_t i, size_t j)
{
    struct tp_sock *s = h->out[i].sock;
    int retried = 0;
    while (i < j) {
        int n = sendmmsg(s->fd, &h->smsg[i], (unsigned)(j - i), 0);
        if (n > 0) {
            i += (size_t)n;
            retried = 0;
            continue;
        }
        int e = errno;
        if (e == EINTR)
            continue;
        if (icmp_pending(e) && !retried) {
            /* Most likely another peer's ICMP error, reported on this send. */
            s->errq = 1;
            retried = 1;
            continue;
        }
        struct tp_out *o = &h->out[i];
        if (e == EHOSTUNREACH || e == ENETUNREACH)
            fail_later(h, o->t, IC_EUNREACH, "no route to the BMC", e);
        else if (e != EAGAIN && e != EWOULDBLOCK && e != ENOBUFS && e != ENOMEM && !icmp_pending(e))
            fail_later(h, o->t, IC_EIO, "cannot send to the BMC", e);
        /* else a full buffer: a lost packet, which the session's timer resends */
        i++;
        retried = 0;
    }
}

static void
flush_sends(struct transport_hub *h)
{
    for (size_t k = 0; k < h->nout; k++) {
        struct tp_out *o = &h->out[k];
        h->siov[k] = (struct iovec){o->data, o->len};
        h->smsg[k].msg_hdr = (struct msghdr){.msg_name = &o->peer,
                                             .msg_namelen = addr_len(&o->peer),
                                             .msg_iov = &h->siov[k],
                                             .msg_iovlen = 1};
    }
    size_t i = 0;
    while (i < h->nout) {
        size_t j = i + 1;
        while (j < h->nout && h->out[j].sock == h->out[i].sock)
            j++;
        send_run(h, i, j);
        i = j;
    }
    h->nout = 0;
}

static void
on_prepare(uv_prepare_t *p)
{
    struct transport_hub *h = p->data;
    /* Callbacks for failures may queue more; a few rounds settle it. */
    for (int round = 0; round < 4 && (h->nout || h->nfailed); round++) {
        flush_sends(h);
        while (h->nfailed) {
            struct transport *t = h->failed[--h->nfailed];
            if (!t)
                continue;
            t->failed = 0;
            t->on_err(t->arg, t->fail_code, t->fail_what);
        }
    }
}

int
transport_send(struct transport *t, const uint8_t *p, size_t len)
{
    struct transport_hub *h = t->sock->hub;
    if (len > TP_SEND_MAX)
        return IC_EIO;
    if (h->nout == TP_OUTBOX)
        flush_sends(h);
    struct tp_out *o = &h->out[h->nout++];
    o->sock = t->sock;
    o->t = t;
    o->peer = t->peer;
    o->len = len;
    memcpy(o->data, p, len);
    return 0;
}

/* ---- lifecycle ------------------------------------------------------------- */

static void
hub_release(struct transport_hub *h)
{
    if (--h->open_handles)
        return;
    for (struct tp_sock *s = h->socks, *next; s; s = next) {
        next = s->next;
        free(s->slot);
        free(s);
    }
    free(h);
}

static void
on_handle_closed(uv_handle_t *hd)
{
    struct transport_hub *h =
        hd->type == UV_POLL ? ((struct tp_sock *)hd->data)->hub : (struct transport_hub *)hd->data;
    hub_release(h);
}

struct transport_hub *
transport_hub_new(uv_loop_t *loop)
{
    struct transport_hub *h = calloc(1, sizeof(*h));
    if (!h)
        return NULL;
    h->loop = loop;
    uv_prepare_init(loop, &h->prep);
    h->prep.data = h;
    uv_prepare_start(&h->prep, on_prepare);
    uv_unref((uv_handle_t *)&h->prep); /* a flush alone does not keep the loop running */
    h->open_handles = 1;
    return h;
}

uint64_t
transport_hub_foreign(const struct transport_hub *h)
{
    return h->foreign;
}

void
transport_hub_free(struct transport_hub *h)
{
    if (!h)
        return;
    flush_sends(h); /* e.g. Close Session requests queued just before the loop stopped */
    h->nfailed = 0;
    uv_close((uv_handle_t *)&h->prep, on_handle_closed);
    for (struct tp_sock *s = h->socks; s; s = s->next) {
        uv_close((uv_handle_t *)&s->poll, on_handle_closed);
        close(s->fd);
    }
}

static struct tp_sock *
sock_new(struct transport_hub *h, int family, char *err, size_t errlen)
{
    struct tp_sock *s = calloc(1, sizeof(*s));
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    s->hub = h;
    s->family = family;
    s->fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (s->fd < 0) {
        snprintf(err, errlen, "cannot create UDP socket: %s", strerror(errno));
        free(s);
        return NULL;
    }
    int one = 1, rcv = (int)TP_RCVBUF, rc;
    struct sockaddr_storage any = {.ss_family = (sa_family_t)family};
    if (family == AF_INET6) {
        setsockopt(s->fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
        rc = setsockopt(s->fd, SOL_IPV6, IPV6_RECVERR, &one, sizeof(one));
    } else {
        rc = setsockopt(s->fd, SOL_IP, IP_RECVERR, &one, sizeof(one));
    }
    setsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv)); /* best effort */
    if (rc == 0)
        rc = bind(s->fd, (struct sockaddr *)&any, addr_len(&any));
    if (rc != 0 || uv_poll_init_socket(h->loop, &s->poll, s->fd) != 0) {
        snprintf(err, errlen, "cannot set up UDP socket: %s", strerror(errno));
        close(s->fd);
        free(s);
        return NULL;
    }
    s->poll.data = s;
    h->open_handles++;
    s->next = h->socks;
    h->socks = s;
    return s;
}

int
transport_new(struct transport_hub *h, const struct sockaddr_storage *addr,
              transport_recv_fn on_recv, transport_err_fn on_err, void *arg, struct transport **out,
              char *err, size_t errlen)
{
    *out = NULL;
    if (!h) {
        snprintf(err, errlen, "out of memory");
        return IC_ENOMEM;
    }
    if (addr->ss_family != AF_INET && addr->ss_family != AF_INET6) {
        snprintf(err, errlen, "not an IP address");
        return IC_EIO;
    }
    struct transport *t = calloc(1, sizeof(*t));
    if (!t) {
        snprintf(err, errlen, "out of memory");
        return IC_ENOMEM;
    }
    t->peer = *addr;
    t->hash = addr_hash(addr);
    t->on_recv = on_recv;
    t->on_err = on_err;
    t->arg = arg;
    /* The first socket that does not already talk to this peer. */
    struct tp_sock *s = h->socks;
    while (s && (s->family != addr->ss_family || table_find(s, addr)))
        s = s->next;
    if (!s && !(s = sock_new(h, addr->ss_family, err, errlen))) {
        free(t);
        return IC_EIO;
    }
    if (table_add(s, t) != 0) {
        snprintf(err, errlen, "out of memory");
        free(t);
        return IC_ENOMEM;
    }
    t->sock = s;
    h->users++;
    sock_watch(s, 1);
    *out = t;
    return 0;
}

void
transport_free(struct transport *t)
{
    if (!t)
        return;
    struct tp_sock *s = t->sock;
    struct transport_hub *h = s->hub;
    for (size_t k = 0; k < h->nout; k++)
        if (h->out[k].t == t)
            h->out[k].t = NULL;
    for (size_t k = 0; k < h->nfailed; k++)
        if (h->failed[k] == t)
            h->failed[k] = NULL;
    table_del(s, t);
    h->users--;
    if (!s->users)
        sock_watch(s, 0);
    if (!h->users)
        flush_sends(h); /* the loop may end now: nothing may wait in the outbox */
    free(t);
}
