/* SPDX-License-Identifier: Apache-2.0 */
/*
 * simload.c - a load generator on the poller: one RMCP+ session per BMC of
 * an inventory (bmcsim's or `ipmi-collector sim`'s format: name host port
 * user password), all on one loop, then CONCURRENCY Get Sensor Reading
 * requests kept in flight for SECONDS, spread over the sessions. The
 * sensor numbers come from BMC 1's SDR repository.
 *
 *   simload INVENTORY N CONCURRENCY SECONDS SUITE
 *
 * Prints one "key: value" line per figure, for bench/sim-scale to read.
 */
#include "poller.h"
#include "secret.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

struct load {
    struct poller_loop *pl;
    struct ipmi_session **s;
    unsigned n, opened, open_failed, closed;
    unsigned conc;
    uint64_t end_ms;
    uint64_t done, failed, cc;
    uint8_t nums[64];
    unsigned n_nums;
    unsigned next; /* round robin over sessions */
    unsigned running;
};

struct worker {
    struct load *l;
    unsigned i;
};

static double
now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void on_answer(void *arg, int err, const struct ipmi_resp *rsp);

static void
send_one(struct worker *w)
{
    struct load *l = w->l;
    unsigned k = l->next++;
    struct ipmi_session *s = l->s[k % l->n];
    uint8_t num = l->nums[(k / l->n) % l->n_nums];
    struct ipmi_req rq = {.netfn = IPMI_NETFN_SE, .cmd = 0x2D, .data = &num, .len = 1};
    if (ipmi_session_submit(s, &rq, on_answer, w) != 0)
        l->failed++;
}

static void
closed(void *arg, int err)
{
    struct load *l = arg;
    (void)err;
    if (++l->closed == l->n)
        poller_loop_stop(l->pl);
}

static void
on_answer(void *arg, int err, const struct ipmi_resp *rsp)
{
    struct worker *w = arg;
    struct load *l = w->l;
    if (err)
        l->failed++; /* no answer: a real failure */
    else if (rsp->cc != 0)
        l->cc++; /* answered, with a completion code (an absent sensor: 0xCB) */
    else
        l->done++;
    if (poller_loop_now(l->pl) < l->end_ms) {
        send_one(w);
        return;
    }
    if (--l->running == 0)
        for (unsigned i = 0; i < l->n; i++)
            ipmi_session_close(l->s[i], closed, l);
}

static double t_open, t_load;
static unsigned seconds;

static void
start_load(struct load *l)
{
    static struct worker workers[4096];
    t_open = now_s() - t_open;
    printf("sessions: %u/%u opened in %.2f s\n", l->opened, l->n, t_open);
    fflush(stdout);
    t_load = now_s();
    l->end_ms = poller_loop_now(l->pl) + (uint64_t)seconds * 1000;
    l->running = l->conc;
    for (unsigned i = 0; i < l->conc; i++) {
        workers[i] = (struct worker){.l = l, .i = i};
        send_one(&workers[i]);
    }
}

static void
on_open(void *arg, int err)
{
    struct load *l = arg;
    if (err)
        l->open_failed++;
    else
        l->opened++;
    if (l->opened + l->open_failed == l->n)
        start_load(l);
}

static void
on_sdr(void *arg, int err, struct ipmi_sdr_cache *c)
{
    struct load *l = arg;
    if (err) {
        fprintf(stderr, "simload: cannot read the SDR of BMC 1: %s\n",
                ipmi_session_errmsg(l->s[0]));
        exit(1);
    }
    for (size_t i = 0; i < ipmi_sdr_cache_count(c) && l->n_nums < 64; i++) {
        const struct ipmi_sdr *d = ipmi_sdr_cache_get(c, i);
        if (d->type == IPMI_SDR_FULL && d->owner_id == 0x20)
            l->nums[l->n_nums++] = d->number;
    }
    ipmi_sdr_cache_free(c);
    t_open = now_s();
    for (unsigned i = 0; i < l->n; i++)
        ipmi_session_open(l->s[i], on_open, l);
}

int
main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: simload INVENTORY N CONCURRENCY SECONDS SUITE\n");
        return 2;
    }
    struct load l = {.n = (unsigned)atoi(argv[2]), .conc = (unsigned)atoi(argv[3])};
    seconds = (unsigned)atoi(argv[4]);
    int suite = atoi(argv[5]);
    if (l.conc == 0 || l.conc > 4096 || l.n == 0)
        return 2;
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        rl.rlim_cur = rl.rlim_max; /* one socket per session */
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    FILE *fp = fopen(argv[1], "r");
    if (!fp) {
        perror(argv[1]);
        return 1;
    }
    l.pl = poller_loop_new();
    l.s = calloc(l.n, sizeof(*l.s));
    char line[256], name[64], host[64], user[32], pw[32];
    unsigned port, k = 0;
    while (k < l.n && fgets(line, sizeof(line), fp)) {
        if (line[0] == '#' ||
            sscanf(line, "%63s %63s %u %31s %31s", name, host, &port, user, pw) != 5)
            continue;
        struct secret *p = secret_new(pw, strlen(pw));
        struct ipmi_session_opts o = {.host = host,
                                      .port = (uint16_t)port,
                                      .user = user,
                                      .password = p,
                                      .cipher_suite = suite,
                                      .timeout_ms = 2000,
                                      .max_inflight = 4};
        char err[256];
        if (ipmi_session_new(l.pl, &o, &l.s[k], err, sizeof(err)) != 0) {
            fprintf(stderr, "simload: %s: %s\n", name, err);
            return 1;
        }
        secret_free(p);
        k++;
    }
    fclose(fp);
    l.n = k;
    if (ipmi_sdr_load(l.s[0], NULL, on_sdr, &l) != 0)
        return 1;
    /* The load phase starts when every session is open; its end is set then. */
    poller_loop_run(l.pl);
    t_load = now_s() - t_load;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
                 (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
    printf("requests: %llu ok, %llu with a completion code, %llu failed in %.2f s\n",
           (unsigned long long)l.done, (unsigned long long)l.cc, (unsigned long long)l.failed,
           t_load);
    printf("answered: %llu\n", (unsigned long long)(l.done + l.cc));
    printf("rate: %.0f req/s\n", (double)(l.done + l.cc) / t_load);
    printf("client_cpu_s: %.2f\n", cpu);
    printf("client_maxrss_kib: %ld\n", ru.ru_maxrss);
    for (unsigned i = 0; i < l.n; i++)
        ipmi_session_free(l.s[i]);
    poller_loop_run(l.pl);
    poller_loop_free(l.pl);
    free(l.s);
    return l.failed ? 1 : 0;
}
