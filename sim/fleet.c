/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fleet.c - many simulated BMCs in one process on one libuv loop. Each BMC
 * has its own UDP socket, so that to a client it is a separate host:
 * consecutive ports on one address, or one port (623) on consecutive
 * loopback addresses (127.0.0.0/8 needs no set-up on Linux).
 *
 * The per-datagram path allocates nothing: one receive buffer and one
 * reply buffer serve the whole loop (callbacks run one at a time). An idle
 * BMC costs its socket and a few hundred bytes; nothing runs for it until
 * a datagram arrives. A timer closes idle sessions every few seconds.
 */
#include "sim.h"
#include "bmc.h"
#include "ic_err.h"
#include "log.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <uv.h>

#define SIM_EXPIRE_MS 5000

struct sim_slot {
    uv_udp_t udp;
    struct sim_bmc *bmc;
    struct sim_fleet *f;
};

struct sim_fleet {
    uv_loop_t loop;
    uv_timer_t expire;
    uv_signal_t sigint, sigterm;
    struct sim_shared sh;
    struct sim_slot *slots;
    unsigned n, bound;
    uint64_t datagrams, replies;
    uint8_t rbuf[2048];
    uint8_t wbuf[SIM_MAX_REPLY];
};

static void
on_alloc(uv_handle_t *h, size_t sz, uv_buf_t *b)
{
    struct sim_slot *s = h->data;
    (void)sz;
    b->base = (char *)s->f->rbuf;
    b->len = sizeof(s->f->rbuf);
}

static void
on_read(uv_udp_t *h, ssize_t n, const uv_buf_t *b, const struct sockaddr *from, unsigned flags)
{
    struct sim_slot *s = h->data;
    struct sim_fleet *f = s->f;
    (void)flags;
    if (n <= 0 || !from)
        return;
    f->datagrams++;
    size_t out =
        sim_bmc_handle(s->bmc, (const uint8_t *)b->base, (size_t)n, uv_now(&f->loop), f->wbuf);
    if (!out)
        return;
    uv_buf_t ob = uv_buf_init((char *)f->wbuf, (unsigned)out);
    if (uv_udp_try_send(h, &ob, 1, from) >= 0)
        f->replies++;
}

static void
on_expire(uv_timer_t *t)
{
    struct sim_fleet *f = t->data;
    uint64_t now = uv_now(&f->loop);
    for (unsigned i = 0; i < f->bound; i++)
        sim_bmc_expire(f->slots[i].bmc, now);
}

static void
on_signal(uv_signal_t *s, int signum)
{
    (void)signum;
    sim_fleet_stop(s->data);
}

/* One socket per BMC needs that many descriptors: take what the hard limit allows. */
static void
raise_nofile(unsigned need)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < need + 64) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

static int
slot_addr(const struct sim_fleet_opts *o, unsigned i, struct sockaddr_in *sa, char *host,
          size_t hostlen)
{
    if (o->addr_base) {
        struct in_addr a;
        if (inet_pton(AF_INET, o->addr_base, &a) != 1)
            return IC_ECONFIG;
        uint32_t ip = ntohl(a.s_addr) + i;
        a.s_addr = htonl(ip);
        inet_ntop(AF_INET, &a, host, (socklen_t)hostlen);
        return uv_ip4_addr(host, o->port ? o->port : 623, sa) ? IC_ECONFIG : 0;
    }
    snprintf(host, hostlen, "%s", o->listen_host ? o->listen_host : "127.0.0.1");
    unsigned port = (o->base_port ? o->base_port : 9001) + i;
    if (port > 65535)
        return IC_ECONFIG;
    return uv_ip4_addr(host, (int)port, sa) ? IC_ECONFIG : 0;
}

static int
write_inventory(const struct sim_fleet_opts *o, char *err, size_t errlen)
{
    char tmp[4096];
    snprintf(tmp, sizeof(tmp), "%s.tmp", o->inventory);
    FILE *fp = fopen(tmp, "w");
    if (!fp) {
        snprintf(err, errlen, "cannot write inventory %s: %s", tmp, strerror(errno));
        return IC_EIO;
    }
    /* bmcsim's inventory format, so its tools (the load generator) work on this fleet too; the
       password is the simulator's built-in, public test credential. */
    fprintf(fp, "# name address port user password (ipmi-collector sim)\n");
    for (unsigned i = 0; i < o->n; i++) {
        char host[64];
        struct sockaddr_in sa;
        slot_addr(o, i, &sa, host, sizeof(host));
        fprintf(fp, "bmc%05u %s %u admin admin-secret\n", i + 1, host, ntohs(sa.sin_port));
    }
    /* Written whole, then renamed: a reader that sees the file sees all of it. */
    if (fclose(fp) != 0 || rename(tmp, o->inventory) != 0) {
        snprintf(err, errlen, "cannot write inventory %s: %s", o->inventory, strerror(errno));
        return IC_EIO;
    }
    return 0;
}

int
sim_fleet_new(const struct sim_fleet_opts *o, struct sim_fleet **out, char *err, size_t errlen)
{
    int rc;
    *out = NULL;
    if (o->n == 0 || o->n > 65000) {
        snprintf(err, errlen, "--bmcs must be 1 to 65000");
        return IC_ECONFIG;
    }
    struct sim_fleet *f = calloc(1, sizeof(*f));
    if (!f || uv_loop_init(&f->loop) != 0) {
        free(f);
        snprintf(err, errlen, "out of memory");
        return IC_ENOMEM;
    }
    f->n = o->n;
    if ((rc = sim_shared_init(&f->sh, sim_model_default(), o->seed)) != 0) {
        snprintf(err, errlen, "cannot build the hardware model");
        goto fail;
    }
    f->sh.allow_suite0 = o->allow_suite0;
    if (o->timeout_ms)
        f->sh.timeout_ms = o->timeout_ms;
    f->sh.start_wall = (uint32_t)time(NULL);
    sim_shared_add_user(&f->sh, "admin", "admin-secret", 4, 1);
    sim_shared_add_user(&f->sh, "operator", "operator-password-20", 3, 1);
    sim_shared_add_user(&f->sh, "monitor", "monitor-ro", 2, 1);
    sim_shared_add_user(&f->sh, "olduser", "olduser-pw", 4, 0);
    f->slots = calloc(o->n, sizeof(*f->slots));
    if (!f->slots) {
        rc = IC_ENOMEM;
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    raise_nofile(o->n);
    for (unsigned i = 0; i < o->n; i++) {
        struct sim_slot *s = &f->slots[i];
        struct sockaddr_in sa;
        char host[64];
        if ((rc = slot_addr(o, i, &sa, host, sizeof(host))) != 0) {
            snprintf(err, errlen, "BMC %u: no valid address (check --listen / --addr-base)", i + 1);
            goto fail;
        }
        s->f = f;
        s->bmc = sim_bmc_new(&f->sh, i + 1);
        if (!s->bmc) {
            rc = IC_ENOMEM;
            snprintf(err, errlen, "out of memory");
            goto fail;
        }
        uv_udp_init(&f->loop, &s->udp);
        s->udp.data = s;
        f->bound = i + 1;
        int e = uv_udp_bind(&s->udp, (const struct sockaddr *)&sa, 0);
        if (e == 0)
            e = uv_udp_recv_start(&s->udp, on_alloc, on_read);
        if (e != 0) {
            snprintf(err, errlen, "BMC %u: cannot listen on %s:%u: %s%s", i + 1, host,
                     ntohs(sa.sin_port), uv_strerror(e),
                     e == UV_EMFILE ? " (raise the open-files limit: ulimit -n)" : "");
            rc = IC_EIO;
            goto fail;
        }
    }
    uv_timer_init(&f->loop, &f->expire);
    f->expire.data = f;
    uv_timer_start(&f->expire, on_expire, SIM_EXPIRE_MS, SIM_EXPIRE_MS);
    uv_signal_init(&f->loop, &f->sigint);
    uv_signal_init(&f->loop, &f->sigterm);
    f->sigint.data = f->sigterm.data = f;
    uv_signal_start(&f->sigint, on_signal, SIGINT);
    uv_signal_start(&f->sigterm, on_signal, SIGTERM);
    if (o->inventory && (rc = write_inventory(o, err, errlen)) != 0)
        goto fail;
    *out = f;
    return 0;
fail:
    sim_fleet_free(f);
    return rc;
}

int
sim_fleet_run(struct sim_fleet *f)
{
    return uv_run(&f->loop, UV_RUN_DEFAULT) < 0 ? IC_EIO : 0;
}

void
sim_fleet_stop(struct sim_fleet *f)
{
    uv_stop(&f->loop);
}

void
sim_fleet_stats(const struct sim_fleet *f, struct sim_fleet_stats *st)
{
    memset(st, 0, sizeof(*st));
    st->datagrams = f->datagrams;
    st->replies = f->replies;
    for (unsigned i = 0; i < f->bound; i++) {
        struct sim_bmc_stats b;
        sim_bmc_stats(f->slots[i].bmc, &b);
        st->requests += b.requests;
        st->sessions_opened += b.sessions_opened;
        st->auth_failures += b.auth_failures;
        st->drops += b.drops;
        st->sessions_active += b.sessions_active;
    }
}

static void
close_cb(uv_handle_t *h, void *arg)
{
    (void)arg;
    if (!uv_is_closing(h))
        uv_close(h, NULL);
}

void
sim_fleet_free(struct sim_fleet *f)
{
    if (!f)
        return;
    uv_walk(&f->loop, close_cb, NULL);
    uv_run(&f->loop, UV_RUN_DEFAULT);
    uv_loop_close(&f->loop);
    for (unsigned i = 0; f->slots && i < f->n; i++)
        sim_bmc_free(f->slots[i].bmc);
    free(f->slots);
    sim_shared_free(&f->sh);
    free(f);
}
