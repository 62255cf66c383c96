/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ping.c - RMCP/ASF presence ping (reference §1.2): the cheapest "is an
 * IPMI-capable BMC listening here" probe, with no session and no
 * credentials. One transport and one timer per ping, freed when it ends.
 */
#include "loop.h"
#include "transport.h"
#include "buf.h"
#include "ic_err.h"
#include "rmcp.h"

#include <stdio.h>
#include <stdlib.h>

struct ping {
    struct poller_loop *pl;
    struct transport *tp;
    uv_timer_t timer;
    ipmi_ping_fn cb;
    void *arg;
    uint8_t tag;
    unsigned tries, retries, timeout_ms;
    uint64_t start;
    int done;
};

static void
on_closed(uv_handle_t *h)
{
    free(h->data);
}

static void
ping_end(struct ping *p, int err, const struct ipmi_pong *pong)
{
    if (p->done)
        return;
    p->done = 1;
    p->cb(p->arg, err, pong);
    transport_free(p->tp);
    uv_timer_stop(&p->timer);
    uv_close((uv_handle_t *)&p->timer, on_closed); /* frees p on a later iteration */
}

static void on_timer(uv_timer_t *t);

static void
send_ping(struct ping *p)
{
    uint8_t pkt[16];
    struct buf_wr w;
    buf_wr_init(&w, pkt, sizeof(pkt));
    rmcp_encode_ping(p->tag, &w);
    int rc = transport_send(p->tp, pkt, w.len);
    if (rc == IC_EUNREACH) {
        ping_end(p, IC_EUNREACH, NULL);
        return;
    }
    p->tries++;
    uv_timer_start(&p->timer, on_timer, p->timeout_ms, 0);
}

static void
on_timer(uv_timer_t *t)
{
    struct ping *p = t->data;
    if (p->tries > p->retries)
        ping_end(p, IC_ETIMEDOUT, NULL);
    else
        send_ping(p);
}

static void
on_recv(void *arg, const uint8_t *d, size_t len)
{
    struct ping *p = arg;
    struct rmcp_pong rp;
    if (p->done || rmcp_classify(d, len) != RMCP_KIND_ASF || rmcp_decode_pong(d, len, &rp) != 0 ||
        rp.tag != p->tag)
        return; /* not our pong: keep waiting */
    struct ipmi_pong pong = {.ipmi_supported = (rp.entities & 0x80) != 0,
                             .entities = rp.entities,
                             .interactions = rp.interactions,
                             .iana = rp.iana,
                             .rtt_ms = poller_loop_now(p->pl) - p->start};
    ping_end(p, 0, &pong);
}

static void
on_err(void *arg, int err, const char *what)
{
    (void)what;
    ping_end(arg, err, NULL);
}

int
ipmi_ping(struct poller_loop *pl, const char *host, uint16_t port, unsigned timeout_ms,
          unsigned retries, ipmi_ping_fn cb, void *arg, char *err, size_t errlen)
{
    struct sockaddr_storage addr;
    int rc = transport_resolve(host, port ? port : 623, &addr, err, errlen);
    if (rc)
        return rc;
    struct ping *p = calloc(1, sizeof(*p));
    if (!p) {
        snprintf(err, errlen, "out of memory");
        return IC_ENOMEM;
    }
    p->pl = pl;
    p->cb = cb;
    p->arg = arg;
    p->timeout_ms = timeout_ms ? timeout_ms : 1000;
    p->retries = retries;
    p->tag = 0x42; /* any value 0x00-0xFE; one ping per transport */
    p->start = poller_loop_now(pl);
    rc = transport_new(poller_loop_hub(pl), &addr, on_recv, on_err, p, &p->tp, err, errlen);
    if (rc) {
        free(p);
        return rc;
    }
    uv_timer_init(poller_loop_uv(pl), &p->timer);
    p->timer.data = p;
    send_ping(p);
    return 0;
}
