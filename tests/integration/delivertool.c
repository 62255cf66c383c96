/* SPDX-License-Identifier: Apache-2.0 */
/*
 * delivertool.c - drives alert delivery (exporters/deliver.c) against a real
 * database for tests/integration/deliver.sh.
 *
 *   delivertool DB put N [--kind K] [--status S] [--identity I] [--rcv NAME]...
 *       N alerts for each of two targets (node-a, node-b), in order, routed
 *       to the named receivers, committed with a state change (one message per
 *       alert, as the daemon raises them). Keys: <tag>-<target>-<i>.
 *   delivertool DB run [--deadline S] [--min S] [--rcv SPEC]...
 *       delivers until the outbox has no pending row (and --min seconds have
 *       passed) or the deadline, then prints one line per receiver:
 *       "NAME sent=.. failed=.. retried=.. dead=.." and "pending=.. dead=..".
 *       SPEC: name=N,type=webhook|alertmanager,url=U[,secret=S][,max_age=MS]
 *             [,conc=N][,timeout=MS][,resend=MS][,header=NAME:VALUE]
 *       --reload S --rcv2 SPEC...: after S seconds the receivers become the
 *       --rcv2 ones (exp_deliver_set_receivers, as a daemon reload does).
 *   Exit status: 0, 1 (error or pending rows left at the deadline), 2 usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "exporters.h"
#include "ic_err.h"
#include "secret.h"
#include "storage.h"

#define MAX_RCV 8

static uint64_t
now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static int
usage(void)
{
    fprintf(stderr, "usage: delivertool DB put N [--kind K] [--status S] [--identity I] "
                    "[--tag T] [--rcv NAME]...\n"
                    "       delivertool DB run [--deadline S] [--min S] [--rcv SPEC]...\n");
    return 2;
}

static int
do_put(struct storage *st, int argc, char **argv)
{
    const char *kind = "sel", *status = "firing", *identity = "", *tag = "k";
    const char *rcv[MAX_RCV];
    size_t nrcv = 0;
    int n = atoi(argv[0]);
    for (int i = 1; i < argc; i++) {
        if (i + 1 >= argc)
            return usage();
        if (strcmp(argv[i], "--kind") == 0)
            kind = argv[++i];
        else if (strcmp(argv[i], "--status") == 0)
            status = argv[++i];
        else if (strcmp(argv[i], "--identity") == 0)
            identity = argv[++i];
        else if (strcmp(argv[i], "--tag") == 0)
            tag = argv[++i];
        else if (strcmp(argv[i], "--rcv") == 0 && nrcv < MAX_RCV)
            rcv[nrcv++] = argv[++i];
        else
            return usage();
    }
    static const char *const targets[] = {"node-a", "node-b"};
    struct storage_label lab = {"rack", "r1"};
    struct storage_target tv[2] = {{"node-a", "10.0.0.1", 623, &lab, 1},
                                   {"node-b", "10.0.0.2", 623, &lab, 1}};
    if (storage_put_targets(st, tv, 2) != 0)
        return 1;
    int resolved = strcmp(status, "resolved") == 0;
    for (int i = 0; i < n; i++) {
        for (int t = 0; t < 2; t++) {
            char key[128], summary[128], sel[128];
            uint64_t now = now_ms();
            snprintf(key, sizeof(key), "%s-%s-%d", tag, targets[t], i);
            snprintf(summary, sizeof(summary), "test alert %d of %s", i, targets[t]);
            snprintf(sel, sizeof(sel), "{\"record_id\":%d,\"event\":\"test event\"}", i + 1);
            int is_sel = strcmp(kind, "sel") == 0;
            struct storage_alert a = {
                .key = key,
                .kind = kind,
                .status = status,
                .severity = "critical",
                .identity = identity,
                .summary = summary,
                .sensor = "CPU1 Temp",
                .sensor_type = "Temperature",
                .has_value = 1,
                .value = 91.5,
                .has_threshold = !is_sel,
                .threshold = 90,
                .starts_at = now - 1000,
                .ends_at = resolved ? now : 0,
                .labels_json = "{\"rack\":\"r1\"}",
                .sel_json = is_sel ? sel : NULL,
                .receivers = rcv,
                .nreceivers = nrcv,
            };
            if (storage_put_state_alerts(st, targets[t], now, "up", "", &a, 1) != 0)
                return 1;
        }
    }
    return storage_flush(st) == 0 ? 0 : 1;
}

/* Parses one --rcv SPEC into r (strings point into spec, which is modified). */
static int
parse_rcv(char *spec, struct exp_receiver *r, struct exp_header *h, struct secret **sec)
{
    memset(r, 0, sizeof(*r));
    r->tls_verify = 1;
    r->headers = h;
    for (char *save = NULL, *kv = strtok_r(spec, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(kv, '=');
        if (!eq)
            return -1;
        *eq = '\0';
        const char *k = kv, *v = eq + 1;
        if (strcmp(k, "name") == 0)
            r->name = v;
        else if (strcmp(k, "type") == 0)
            r->type = strcmp(v, "alertmanager") == 0 ? EXP_RCV_ALERTMANAGER : EXP_RCV_WEBHOOK;
        else if (strcmp(k, "url") == 0)
            r->url = v;
        else if (strcmp(k, "secret") == 0)
            r->secret = *sec = secret_new(v, strlen(v));
        else if (strcmp(k, "max_age") == 0)
            r->max_age_ms = strtoull(v, NULL, 10);
        else if (strcmp(k, "conc") == 0)
            r->max_concurrency = (unsigned)atoi(v);
        else if (strcmp(k, "timeout") == 0)
            r->timeout_ms = strtoull(v, NULL, 10);
        else if (strcmp(k, "resend") == 0)
            r->resend_ms = strtoull(v, NULL, 10);
        else if (strcmp(k, "ca") == 0)
            r->ca_file = v;
        else if (strcmp(k, "header") == 0 && r->nheaders == 0) {
            char *colon = strchr(eq + 1, ':');
            if (!colon)
                return -1;
            *colon = '\0';
            h->name = v;
            h->value = colon + 1;
            r->nheaders = 1;
        } else
            return -1;
    }
    return r->name && r->url ? 0 : -1;
}

static int
do_run(struct storage *st, int argc, char **argv)
{
    struct exp_receiver rv[MAX_RCV], rv2[MAX_RCV];
    struct exp_header hv[MAX_RCV], hv2[MAX_RCV];
    struct secret *sec[MAX_RCV] = {0}, *sec2[MAX_RCV] = {0};
    size_t n = 0, n2 = 0;
    double deadline_s = 30, min_s = 0, reload_s = -1;
    int rc = 1;
    for (int i = 0; i < argc; i++) {
        if (i + 1 >= argc)
            return usage();
        if (strcmp(argv[i], "--deadline") == 0)
            deadline_s = atof(argv[++i]);
        else if (strcmp(argv[i], "--min") == 0)
            min_s = atof(argv[++i]);
        else if (strcmp(argv[i], "--reload") == 0)
            reload_s = atof(argv[++i]);
        else if (strcmp(argv[i], "--rcv2") == 0 && n2 < MAX_RCV) {
            if (parse_rcv(argv[++i], &rv2[n2], &hv2[n2], &sec2[n2]) != 0)
                return usage();
            n2++;
        } else if (strcmp(argv[i], "--rcv") == 0 && n < MAX_RCV) {
            if (parse_rcv(argv[++i], &rv[n], &hv[n], &sec[n]) != 0)
                return usage();
            n++;
        } else
            return usage();
    }
    struct exp_deliver *d = NULL;
    char err[256];
    if (exp_deliver_start(st, rv, n, &d, err, sizeof(err)) != 0) {
        fprintf(stderr, "delivertool: %s\n", err);
        goto out;
    }
    uint64_t t0 = now_ms(), end = t0 + (uint64_t)(deadline_s * 1000),
             min = t0 + (uint64_t)(min_s * 1000);
    struct storage_outbox_stats s = {0};
    for (;;) {
        usleep(100 * 1000);
        storage_flush(st); /* outcomes committed before counting */
        if (storage_outbox_stats(st, &s) != 0)
            break;
        uint64_t now = now_ms();
        if (reload_s >= 0 && now >= t0 + (uint64_t)(reload_s * 1000)) {
            reload_s = -1;
            if (exp_deliver_set_receivers(d, rv2, n2) != 0)
                break;
        }
        if ((s.pending == 0 && now >= min) || now >= end)
            break;
    }
    struct exp_receiver_stats out[MAX_RCV];
    size_t k = exp_deliver_stats(d, out, MAX_RCV);
    exp_deliver_stop(d);
    for (size_t i = 0; i < k; i++)
        printf("%s sent=%llu failed=%llu retried=%llu dead=%llu\n", out[i].name,
               (unsigned long long)out[i].sent, (unsigned long long)out[i].failed,
               (unsigned long long)out[i].retried, (unsigned long long)out[i].dead);
    storage_flush(st);
    storage_outbox_stats(st, &s);
    printf("pending=%llu dead=%llu\n", (unsigned long long)s.pending, (unsigned long long)s.dead);
    rc = s.pending == 0 ? 0 : 1;
out:
    for (size_t i = 0; i < MAX_RCV; i++) {
        secret_free(sec[i]);
        secret_free(sec2[i]);
    }
    return rc;
}

int
main(int argc, char **argv)
{
    if (argc < 3)
        return usage();
    struct storage *st = NULL;
    struct storage_opts o = {0};
    char err[256];
    if (storage_open(argv[1], &o, &st, err, sizeof(err)) != 0 ||
        storage_start(st, err, sizeof(err)) != 0) {
        fprintf(stderr, "delivertool: %s\n", err);
        storage_close(st);
        return 1;
    }
    int rc;
    if (strcmp(argv[2], "put") == 0 && argc >= 4)
        rc = do_put(st, argc - 3, argv + 3);
    else if (strcmp(argv[2], "run") == 0)
        rc = do_run(st, argc - 3, argv + 3);
    else
        rc = usage();
    storage_close(st);
    return rc;
}
