/* SPDX-License-Identifier: Apache-2.0 */
/* loop.h - private: the libuv loop behind a struct poller_loop. */
#ifndef IC_LOOP_H
#define IC_LOOP_H

#include <uv.h>

#include "poller.h"

uv_loop_t *poller_loop_uv(struct poller_loop *pl);
/* The loop's shared UDP sockets (transport.h); NULL when out of memory. */
struct transport_hub *poller_loop_hub(struct poller_loop *pl);

#endif
