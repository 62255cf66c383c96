/* SPDX-License-Identifier: Apache-2.0 */
/*
 * transport.h - private: UDP datagrams to and from BMCs, shared per loop.
 *
 * A loop's transports share one non-blocking socket per address family
 * (a second one only when two transports on the loop talk to the same
 * BMC address, e.g. a poll session and a console session): datagrams are
 * handed to the transport whose peer sent them. One socket per loop, not
 * per BMC: 10,000 BMCs need no raised open-file limit. Sends wait in an
 * outbox that goes out with one sendmmsg() before the loop sleeps, and
 * replies are read with recvmmsg(): a pipelined sweep costs one system
 * call per batch each way, not per packet. IP_RECVERR keeps the fast
 * "port unreachable" signal that a connected socket gave, per peer.
 */
#ifndef IC_TRANSPORT_H
#define IC_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <uv.h>

struct transport;
struct transport_hub;

/* A datagram arrived; p is valid until the callback returns. */
typedef void (*transport_recv_fn)(void *arg, const uint8_t *p, size_t len);
/* The peer is unreachable (ICMP, IC_EUNREACH) or a send failed (IC_EIO). */
typedef void (*transport_err_fn)(void *arg, int err, const char *what);

/*
 * Resolves host (literal or name) and port. Blocking (getaddrinfo): call it
 * when a BMC is configured, not on a running loop. Returns 0 or IC_EUNREACH
 * with a message in err.
 */
int transport_resolve(const char *host, uint16_t port, struct sockaddr_storage *out, char *err,
                      size_t errlen);

/* The sockets, outbox and timers of one loop. NULL when out of memory. */
struct transport_hub *transport_hub_new(uv_loop_t *loop);
/* Datagrams from addresses no transport on the loop talks to. */
uint64_t transport_hub_foreign(const struct transport_hub *h);
/* Closes the sockets; memory goes with the loop's next iteration. NULL is a no-op. */
void transport_hub_free(struct transport_hub *h);

/*
 * Starts receiving datagrams from addr on one of the hub's sockets. Returns
 * 0, or IC_EIO / IC_ENOMEM with a message in err.
 */
int transport_new(struct transport_hub *h, const struct sockaddr_storage *addr,
                  transport_recv_fn on_recv, transport_err_fn on_err, void *arg,
                  struct transport **out, char *err, size_t errlen);

/*
 * Queues one datagram (copied) for the next flush. Returns 0, or IC_EIO
 * when it is larger than any IPMI packet. A failure to send is reported
 * later through on_err; a full socket buffer is a lost packet.
 */
int transport_send(struct transport *t, const uint8_t *p, size_t len);

/* Stops receiving; queued datagrams still go out. NULL is a no-op. */
void transport_free(struct transport *t);

#endif
