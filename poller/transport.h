/* SPDX-License-Identifier: Apache-2.0 */
/*
 * transport.h - private: one connected, non-blocking UDP socket per BMC.
 *
 * Connecting the socket makes the kernel drop datagrams from other
 * addresses and report ICMP port/host unreachable as an error on the
 * socket, which is the fastest "BMC gone" signal there is. Kept narrow so a
 * shared recvmmsg socket per loop could replace it without touching the
 * session code.
 */
#ifndef IC_TRANSPORT_H
#define IC_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <uv.h>

struct transport;

/* A datagram arrived; p is valid until the callback returns. */
typedef void (*transport_recv_fn)(void *arg, const uint8_t *p, size_t len);
/* The socket reported an error: IC_EUNREACH (ICMP) or IC_EIO. */
typedef void (*transport_err_fn)(void *arg, int err, const char *what);

/*
 * Resolves host (literal or name) and port. Blocking (getaddrinfo): call it
 * when a BMC is configured, not on a running loop. Returns 0 or IC_EUNREACH
 * with a message in err.
 */
int transport_resolve(const char *host, uint16_t port, struct sockaddr_storage *out, char *err,
                      size_t errlen);

/*
 * Opens a UDP socket connected to addr and starts receiving. Returns 0, or
 * IC_EIO / IC_ENOMEM with a message in err.
 */
int transport_new(uv_loop_t *loop, const struct sockaddr_storage *addr, transport_recv_fn on_recv,
                  transport_err_fn on_err, void *arg, struct transport **out, char *err,
                  size_t errlen);

/* Sends one datagram without blocking. Returns 0, or IC_EAGAIN / IC_EUNREACH / IC_EIO. */
int transport_send(struct transport *t, const uint8_t *p, size_t len);

/* Datagrams from an address other than the peer (kept as a counter). */
uint64_t transport_foreign(const struct transport *t);

/* Stops receiving and closes; memory is released by the loop. NULL is a no-op. */
void transport_free(struct transport *t);

#endif
