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
#include "fleet_int.h"
#include "fleetfile.h"
#include "ic_err.h"
#include "log.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <uv.h>

static void
on_alloc(uv_handle_t *h, size_t sz, uv_buf_t *b)
{
    struct sim_slot *s = h->data;
    (void)sz;
    b->base = (char *)s->f->rbuf;
    b->len = sizeof(s->f->rbuf);
}

static uint32_t
fleet_rand(struct sim_fleet *f)
{
    uint32_t x = f->rng ? f->rng : 0x9E3779B9u;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return f->rng = x;
}

static void
send_to(struct sim_slot *s, const uint8_t *p, size_t len, const struct sockaddr *to)
{
    uv_buf_t ob = uv_buf_init((char *)(uintptr_t)p, (unsigned)len);
    if (uv_udp_try_send(&s->udp, &ob, 1, to) >= 0)
        s->f->replies++;
}

/*
 * Hostile mode: before the genuine reply, the client gets a truncated copy,
 * one with a flipped integrity byte, one for another session, and one that
 * is not RMCP at all. A correct client drops all four and takes the fifth.
 */
static void
send_hostile(struct sim_slot *s, const uint8_t *p, size_t len, const struct sockaddr *to)
{
    uint8_t bad[SIM_MAX_REPLY];
    if (len < 17)
        return;
    send_to(s, p, len / 2, to);
    memcpy(bad, p, len);
    bad[len - 1] ^= 0x01;
    send_to(s, bad, len, to);
    memcpy(bad, p, len);
    bad[6] ^= 0x5A;
    send_to(s, bad, len, to);
    memcpy(bad, p, len);
    bad[0] = 0x01;
    send_to(s, bad, len, to);
    s->f->hostile_sent += 4;
}

struct delayed {
    uv_timer_t t;
    struct sim_slot *s;
    struct sockaddr_storage to;
    size_t len;
    uint8_t p[];
};

static void
delayed_closed(uv_handle_t *h)
{
    free(h->data);
}

static void
delayed_send(uv_timer_t *t)
{
    struct delayed *d = t->data;
    send_to(d->s, d->p, d->len, (const struct sockaddr *)&d->to);
    uv_close((uv_handle_t *)&d->t, delayed_closed);
}

static void
on_read(uv_udp_t *h, ssize_t n, const uv_buf_t *b, const struct sockaddr *from, unsigned flags)
{
    struct sim_slot *s = h->data;
    struct sim_fleet *f = s->f;
    const struct sim_faults *fx = &s->faults;
    (void)flags;
    if (n <= 0 || !from)
        return;
    f->datagrams++;
    if (fx->paused || (fx->loss_permille && fleet_rand(f) % 1000 < fx->loss_permille)) {
        f->dropped_by_fault++;
        return;
    }
    size_t out =
        sim_bmc_handle(s->bmc, (const uint8_t *)b->base, (size_t)n, uv_now(&f->loop), f->wbuf);
    if (!out)
        return;
    if (fx->hostile)
        send_hostile(s, f->wbuf, out, from);
    if (!fx->latency_ms && !fx->jitter_ms) {
        send_to(s, f->wbuf, out, from);
        return;
    }
    /* Delayed: the reply leaves on a timer; the rest of the loop goes on meanwhile. */
    int64_t ms = fx->latency_ms;
    if (fx->jitter_ms)
        ms += (int64_t)(fleet_rand(f) % (2u * fx->jitter_ms + 1u)) - fx->jitter_ms;
    struct delayed *d = malloc(sizeof(*d) + out);
    if (!d)
        return;
    d->s = s;
    d->len = out;
    memcpy(&d->to, from,
           from->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in));
    memcpy(d->p, f->wbuf, out);
    uv_timer_init(&f->loop, &d->t);
    d->t.data = d;
    uv_timer_start(&d->t, delayed_send, ms > 0 ? (uint64_t)ms : 0, 0);
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
write_inventory(const struct sim_fleet_opts *o, const struct sim_shared *sh, char *err,
                size_t errlen)
{
    char tmp[4096];
    snprintf(tmp, sizeof(tmp), "%s.tmp", o->inventory);
    FILE *fp = fopen(tmp, "w");
    if (!fp) {
        snprintf(err, errlen, "cannot write inventory %s: %s", tmp, strerror(errno));
        return IC_EIO;
    }
    /* bmcsim's inventory format, so its tools work on this fleet too. The password is the
       simulator's first user's: a test credential from the built-in list or the fleet file. */
    const struct sim_user *u = &sh->users[0];
    fprintf(fp, "# name address port user password (ipmi-collector sim)\n");
    for (unsigned i = 0; i < o->n; i++) {
        char host[64];
        struct sockaddr_in sa;
        slot_addr(o, i, &sa, host, sizeof(host));
        fprintf(fp, "bmc%05u %s %u %s %.*s\n", i + 1, host, ntohs(sa.sin_port), u->name,
                (int)u->pwlen, (const char *)u->pw);
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
    struct sim_fleetfile *ff = NULL;
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
    f->rng = o->seed ? o->seed : 0x2545F491u;
    f->rng = o->seed ? o->seed : 0x2545F491u;
    if (o->fleet_file && (rc = sim_fleetfile_load(o->fleet_file, &ff, err, errlen)) != 0)
        goto fail;
    if ((rc = sim_model_copy(sim_model_default(), &f->model)) != 0 ||
        (rc = sim_shared_init(&f->sh, f->model, o->seed)) != 0) {
        snprintf(err, errlen, "cannot build the hardware model");
        goto fail;
    }
    f->sh.allow_suite0 = o->allow_suite0;
    f->sh.no_drift = o->no_drift;
    if (o->offer_weak) {
        static const uint8_t weak[] = {6, 7, 8, 11, 12};
        for (size_t i = 0; i < sizeof(weak) && f->sh.n_suites < sizeof(f->sh.suites); i++)
            f->sh.suites[f->sh.n_suites++] = weak[i];
    }
    if (o->timeout_ms)
        f->sh.timeout_ms = o->timeout_ms;
    f->sh.start_wall = (uint32_t)time(NULL);
    sim_shared_add_user(&f->sh, "admin", "admin-secret", 4, 1);
    sim_shared_add_user(&f->sh, "operator", "operator-password-20", 3, 1);
    sim_shared_add_user(&f->sh, "monitor", "monitor-ro", 2, 1);
    sim_shared_add_user(&f->sh, "olduser", "olduser-pw", 4, 0);
    if (ff && (rc = sim_fleetfile_apply(ff, f->model, &f->sh, err, errlen)) != 0)
        goto fail;
    if (o->seed_given)
        f->sh.seed = o->seed;
    if (o->timeout_given && o->timeout_ms)
        f->sh.timeout_ms = o->timeout_ms;
    sim_fleetfile_free(ff);
    ff = NULL;
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
    if (o->inventory && (rc = write_inventory(o, &f->sh, err, errlen)) != 0)
        goto fail;
    *out = f;
    return 0;
fail:
    sim_fleetfile_free(ff);
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
    st->dropped_by_fault = f->dropped_by_fault;
    st->hostile_sent = f->hostile_sent;
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
    sim_control_stop(f); /* after libuv let go of its epoll descriptor */
    uv_loop_close(&f->loop);
    free(f->control);
    for (unsigned i = 0; f->slots && i < f->n; i++)
        sim_bmc_free(f->slots[i].bmc);
    free(f->slots);
    sim_shared_free(&f->sh);
    sim_model_free(f->model); /* after the BMCs and the shared data that point into it */
    free(f);
}
