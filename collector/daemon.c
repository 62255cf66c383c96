/* SPDX-License-Identifier: Apache-2.0 */
/*
 * daemon.c - `ipmi-collector daemon -c FILE`: the main thread.
 *
 * It loads the configuration, opens the database (storage/), starts the
 * HTTP server (exporters/) and the poller threads (pool.c), hands each
 * target to a thread, then waits for signals: SIGHUP (or POST /-/reload)
 * reloads, SIGTERM/SIGINT stop. Once a second it refreshes the daemon-wide
 * figures the exporters show.
 *
 * Reload: the new file is parsed and checked completely first; a broken one
 * is refused and the old configuration keeps running. Then targets are
 * matched by name: unchanged ones keep their session; ones whose address or
 * credentials changed get a new session; settings such as interval, labels
 * or collectors are updated in place; removed targets close their session.
 */
#include <errno.h>
#include <getopt.h>
#include <openssl/crypto.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/time.h>
#include <unistd.h>

#include "clock.h"
#include "alerts.h"
#include "cfg.h"
#include "cli.h"
#include "actions.h"
#include "daemon.h"
#include "ic_err.h"
#include "log.h"
#include "secret.h"
#include "storage.h"

/* A slot of the hub: which target lives there (main thread's view). */
struct slotrec {
    struct tgt_spec *shadow; /* settings as last sent, for the reload diff; NULL: free */
};

struct daemon {
    const char *path;
    struct cfg *cfg;
    struct alert_rules *rules; /* the routes of cfg, shared by every target; NULL: no alerting */
    struct exp_api *api;       /* the JSON API's tokens */
    struct daemon_ctx ctx;
    struct storage *st;
    struct exp_http *http;
    struct pool *pool;
    struct act_runner *acts; /* API actions (power, boot device, media) */
    struct rf_pool *rf;      /* their Redfish side */
    struct slotrec *slots;
    size_t nslots;
    size_t ntargets;
    uint64_t start_unix_ms;
    uint64_t reloads, reload_failures, last_reload_ms;
    int last_reload_ok;
    /* POST /-/reload hands the work to the main thread and waits. */
    int reload_fd;
    pthread_mutex_t rl_mu;
    pthread_cond_t rl_cv;
    unsigned long rl_asked, rl_done;
    int rl_rc;
    char rl_msg[4608];
};

/* Slots freed by poller threads, reusable once their snapshot is gone from the hub. */
static pthread_mutex_t free_mu = PTHREAD_MUTEX_INITIALIZER;
static size_t *free_slots;
static size_t nfree, capfree;

void
daemon_slot_freed(size_t slot)
{
    pthread_mutex_lock(&free_mu);
    if (nfree == capfree) {
        size_t n = capfree ? capfree * 2 : 256;
        size_t *v = realloc(free_slots, n * sizeof(*v));
        if (v) {
            free_slots = v;
            capfree = n;
        }
    }
    if (nfree < capfree)
        free_slots[nfree++] = slot; /* else: the slot is simply never reused */
    pthread_mutex_unlock(&free_mu);
}

static long
alloc_slot(struct daemon *d)
{
    long slot = -1;
    pthread_mutex_lock(&free_mu);
    if (nfree > 0)
        slot = (long)free_slots[--nfree];
    pthread_mutex_unlock(&free_mu);
    if (slot >= 0 && (size_t)slot < d->nslots && !d->slots[slot].shadow)
        return slot;
    size_t n = d->nslots ? d->nslots * 2 : 256;
    struct slotrec *v = realloc(d->slots, n * sizeof(*v));
    if (!v)
        return -1;
    memset(v + d->nslots, 0, (n - d->nslots) * sizeof(*v));
    d->slots = v;
    slot = (long)d->nslots;
    d->nslots = n;
    /* The rest of the new block goes to the free list, lowest first. */
    for (size_t i = n; i-- > (size_t)slot + 1;)
        daemon_slot_freed(i);
    return slot;
}

/* Two specs for a target: one for its thread, one kept here to compare at the next reload. */
static int
make_specs(const struct cfg *c, struct alert_rules *rules, size_t i, struct tgt_spec **give,
           struct tgt_spec **keep)
{
    char err[512];
    int rc = tgt_spec_new(c, i, rules, give, err, sizeof(err));
    if (rc == 0 && (rc = tgt_spec_new(c, i, rules, keep, err, sizeof(err))) != 0)
        tgt_spec_free(*give);
    if (rc != 0) {
        log_err("target %s: %s", cfg_target(c, i)->name, err);
        return rc;
    }
    return 0;
}

static int
add_target(struct daemon *d, const struct cfg *c, size_t i)
{
    struct tgt_spec *give, *keep;
    if (make_specs(c, d->rules, i, &give, &keep) != 0)
        return -1;
    /* The database remembers what a restart must not pay for again: SDRs, the SEL cursor. */
    if (d->st) {
        storage_get_sdr(d->st, give->name, &give->sdr_blob, &give->sdr_len);
        storage_get_sel_cursor(d->st, give->name, &give->sel_cursor);
        give->sel_known = storage_sel_known(d->st, give->name);
        storage_get_active(d->st, give->name, &give->active, &give->nactive);
    }
    long slot = alloc_slot(d);
    if (slot < 0) {
        tgt_spec_free(give);
        tgt_spec_free(keep);
        return IC_ENOMEM;
    }
    d->slots[slot].shadow = keep;
    d->ntargets++;
    return pool_add(d->pool, (size_t)slot, give);
}

static void
remove_target(struct daemon *d, size_t slot)
{
    tgt_spec_free(d->slots[slot].shadow);
    d->slots[slot].shadow = NULL;
    d->ntargets--;
    pool_remove(d->pool, slot);
}

static void
put_targets(struct daemon *d)
{
    if (!d->st)
        return;
    size_t n = cfg_ntargets(d->cfg);
    struct storage_target *v = calloc(n ? n : 1, sizeof(*v));
    struct storage_label *l = NULL;
    size_t nl = 0;
    for (size_t i = 0; i < n; i++)
        nl += cfg_target(d->cfg, i)->nlabels;
    l = calloc(nl ? nl : 1, sizeof(*l));
    if (!v || !l) {
        free(v);
        free(l);
        return;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const struct cfg_target *t = cfg_target(d->cfg, i);
        v[i] = (struct storage_target){.name = t->name, .host = t->host, .port = t->port};
        v[i].labels = l + k;
        v[i].nlabels = t->nlabels;
        for (size_t j = 0; j < t->nlabels; j++, k++)
            l[k] = (struct storage_label){.name = t->labels[j].name, .value = t->labels[j].value};
    }
    storage_put_targets(d->st, v, n);
    free(v);
    free(l);
}

struct named {
    const char *name;
    size_t idx;
};

static int
named_cmp(const void *a, const void *b)
{
    return strcmp(((const struct named *)a)->name, ((const struct named *)b)->name);
}

/* Applies a new, valid configuration: the diff of targets by name. */
static void
apply(struct daemon *d, struct cfg *nc, char *msg, size_t msglen)
{
    size_t nnew = cfg_ntargets(nc), nold = 0;
    struct named *nv = calloc(nnew ? nnew : 1, sizeof(*nv));
    struct named *ov = calloc(d->ntargets ? d->ntargets : 1, sizeof(*ov));
    size_t added = 0, removed = 0, updated = 0, renewed = 0, kept = 0;
    if (!nv || !ov) {
        snprintf(msg, msglen, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < nnew; i++)
        nv[i] = (struct named){cfg_target(nc, i)->name, i};
    qsort(nv, nnew, sizeof(*nv), named_cmp);
    for (size_t s = 0; s < d->nslots; s++)
        if (d->slots[s].shadow)
            ov[nold++] = (struct named){d->slots[s].shadow->name, s};
    qsort(ov, nold, sizeof(*ov), named_cmp);
    size_t i = 0, j = 0;
    while (i < nold || j < nnew) {
        int c = i >= nold ? 1 : j >= nnew ? -1 : strcmp(ov[i].name, nv[j].name);
        if (c < 0) {
            remove_target(d, ov[i].idx);
            removed++;
            i++;
        } else if (c > 0) {
            if (add_target(d, nc, nv[j].idx) == 0)
                added++;
            j++;
        } else {
            size_t s = ov[i].idx;
            struct tgt_spec *give, *keep;
            if (make_specs(nc, d->rules, nv[j].idx, &give, &keep) == 0) {
                if (tgt_spec_same(d->slots[s].shadow, keep)) {
                    tgt_spec_free(give);
                    tgt_spec_free(keep);
                    kept++;
                } else if (tgt_spec_same_session(d->slots[s].shadow, keep)) {
                    tgt_spec_free(d->slots[s].shadow);
                    d->slots[s].shadow = keep;
                    pool_update(d->pool, s, give);
                    updated++;
                } else {
                    tgt_spec_free(give);
                    tgt_spec_free(keep);
                    remove_target(d, s);
                    add_target(d, nc, nv[j].idx);
                    renewed++;
                }
            }
            i++;
            j++;
        }
    }
    snprintf(msg, msglen,
             "%zu targets: %zu added, %zu removed, %zu re-created (address or credentials "
             "changed), %zu updated, %zu unchanged",
             d->ntargets, added, removed, renewed, updated, kept);
out:
    free(nv);
    free(ov);
}

/* Builds (or, at a reload, replaces) the API's tokens from c; token values never in messages. */
static int
api_from_cfg(const struct cfg *c, struct exp_api **a, char *err, size_t errlen)
{
    const struct cfg_api *ca = cfg_api(c);
    size_t n = ca ? ca->ntokens : 0, i;
    struct exp_api_token v[CFG_MAX_TOKENS];
    struct secret *s[CFG_MAX_TOKENS];
    int rc = 0;
    for (i = 0; i < n && rc == 0; i++) {
        rc = cfg_token_secret(&ca->tokens[i], &s[i], err, errlen);
        v[i] = (struct exp_api_token){ca->tokens[i].name, (int)ca->tokens[i].role, s[i]};
    }
    if (rc == 0) {
        i = n;
        rc = *a ? exp_api_set_tokens(*a, v, n, ca && ca->protect_metrics)
                : exp_api_new(v, n, ca && ca->protect_metrics, a);
        if (rc != 0)
            snprintf(err, errlen, "api: tokens must be distinct and non-empty");
    } else {
        i--;
    }
    while (i > 0)
        secret_free(s[--i]);
    return rc;
}

static int
same_str(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

static int
same_tls(const struct cfg_api *a, const struct cfg_api *b)
{
    return same_str(a ? a->tls_cert_file : NULL, b ? b->tls_cert_file : NULL) &&
           same_str(a ? a->tls_key_file : NULL, b ? b->tls_key_file : NULL);
}

static int
reload(struct daemon *d, char *msg, size_t msglen)
{
    struct cfg *nc = NULL;
    struct alert_rules *nr = NULL, *old_rules = d->rules;
    struct receivers rv = {0};
    char err[4096];
    d->reloads++;
    d->last_reload_ms = clock_wall_ms();
    /* Everything that can fail comes first: a refused file changes nothing. */
    int rc = cfg_load(d->path, &nc, err, sizeof(err));
    if (rc == 0 && (rc = alert_rules_new(nc, &nr)) != 0)
        snprintf(err, sizeof(err), "out of memory");
    /* A secret or token that cannot be read now refuses the whole file too. */
    if (rc == 0)
        rc = receivers_of(nc, &rv, err, sizeof(err));
    if (rc == 0)
        rc = api_from_cfg(nc, &d->api, err, sizeof(err));
    if (rc != 0) {
        receivers_free(&rv);
        alert_rules_unref(nr);
        cfg_free(nc);
        d->reload_failures++;
        d->last_reload_ok = 0;
        log_err("reload refused, the running configuration stays:\n%s", err);
        snprintf(msg, msglen, "reload refused, the running configuration stays:\n%s", err);
        return rc;
    }
    const struct cfg_global *og = cfg_global(d->cfg), *ng = cfg_global(nc);
    if (strcmp(og->listen, ng->listen) != 0 || strcmp(og->database, ng->database) != 0)
        log_warn("reload: listen and database changes take effect at the next restart");
    if (!same_tls(cfg_api(d->cfg), cfg_api(nc)))
        log_warn("reload: api.tls changes take effect at the next restart");
    log_set_level((enum log_level)ng->log_level);
    exp_deliver_set_receivers(d->ctx.deliver, rv.v, rv.n);
    receivers_free(&rv);
    d->rules = nr;
    apply(d, nc, msg, msglen);
    alert_rules_unref(old_rules);
    cfg_free(d->cfg);
    d->cfg = nc;
    put_targets(d);
    d->last_reload_ok = 1;
    log_info("reload: %s", msg);
    return 0;
}

static int
http_reload(void *arg, char *msg, size_t msglen)
{
    struct daemon *d = arg;
    pthread_mutex_lock(&d->rl_mu);
    unsigned long mine = ++d->rl_asked;
    uint64_t one = 1;
    if (write(d->reload_fd, &one, sizeof(one)) < 0)
        log_warn("reload request: %s", strerror(errno));
    while (d->rl_done < mine)
        pthread_cond_wait(&d->rl_cv, &d->rl_mu);
    int rc = d->rl_rc;
    snprintf(msg, msglen, "%s", d->rl_msg);
    pthread_mutex_unlock(&d->rl_mu);
    return rc;
}

static void
serve_reload_requests(struct daemon *d)
{
    uint64_t v;
    if (read(d->reload_fd, &v, sizeof(v)) < 0)
        return;
    pthread_mutex_lock(&d->rl_mu);
    unsigned long upto = d->rl_asked;
    pthread_mutex_unlock(&d->rl_mu);
    char msg[4608];
    int rc = reload(d, msg, sizeof(msg));
    pthread_mutex_lock(&d->rl_mu);
    d->rl_rc = rc;
    snprintf(d->rl_msg, sizeof(d->rl_msg), "%s", msg);
    d->rl_done = upto;
    pthread_cond_broadcast(&d->rl_cv);
    pthread_mutex_unlock(&d->rl_mu);
}

/* 1 for a listen address only this host can reach. */
static int
is_loopback(const char *listen)
{
    return strncmp(listen, "127.", 4) == 0 || strncmp(listen, "[::1]:", 6) == 0 ||
           strncmp(listen, "localhost:", 10) == 0;
}

/* A PEM file, whole (at most 1 MiB), NUL-terminated; NULL with a message. */
static char *
read_pem(const char *path, char *err, size_t errlen)
{
    FILE *fp = fopen(path, "re");
    char *buf = NULL;
    size_t len = 0;
    if (!fp) {
        snprintf(err, errlen, "api.tls: cannot read %s: %s", path, strerror(errno));
        return NULL;
    }
    buf = malloc(1 << 20);
    if (buf)
        len = fread(buf, 1, (1 << 20) - 1, fp);
    int bad = !buf || ferror(fp) || !feof(fp) || len == 0;
    fclose(fp);
    if (bad) {
        snprintf(err, errlen, "api.tls: %s is empty, unreadable or over 1 MiB", path);
        free(buf);
        return NULL;
    }
    buf[len] = '\0';
    return buf;
}

static const struct tgt_spec *
spec_at(void *arg, size_t slot)
{
    struct daemon *d = arg;
    return slot < d->nslots ? d->slots[slot].shadow : NULL;
}

static struct act_env
act_env(struct daemon *d)
{
    return (struct act_env){.pool = d->pool,
                            .rf = d->rf,
                            .st = d->st,
                            .spec_at = spec_at,
                            .arg = d,
                            .nslots = d->nslots};
}

/* On the HTTP thread, when /metrics is asked for: storage and delivery counters as of now. */
static void
refresh_stats(void *arg, struct snap_hub *h)
{
    const struct daemon *d = arg;
    if (d->st) {
        struct storage_stats ss;
        storage_stats(d->st, &ss);
        struct snap_daemon s = {.db_size_bytes = ss.db_size_bytes,
                                .storage_queue_len = ss.queue_len,
                                .storage_dropped = ss.dropped,
                                .storage_write_errors = ss.write_errors};
        snap_hub_set_storage(h, &s);
    }
    if (d->ctx.deliver) {
        struct exp_receiver_stats ds[CFG_MAX_RECEIVERS];
        snap_hub_set_delivery(h, ds, exp_deliver_stats(d->ctx.deliver, ds, CFG_MAX_RECEIVERS));
    }
}

/* The main thread's own facts; and readiness, which only this loop watches. */
static void
publish_stats(struct daemon *d)
{
    struct snap_daemon s = {.start_unix_ms = d->start_unix_ms,
                            .poller_threads = pool_threads(d->pool),
                            .targets = d->ntargets,
                            .reloads = d->reloads,
                            .reload_failures = d->reload_failures,
                            .last_reload_unix_ms = d->last_reload_ms,
                            .last_reload_ok = d->last_reload_ok};
    snap_hub_set_daemon(d->ctx.hub, &s);
    if (!snap_hub_ready(d->ctx.hub) &&
        (size_t)__atomic_load_n(&d->ctx.first_polls, __ATOMIC_RELAXED) >= d->ntargets) {
        snap_hub_set_ready(d->ctx.hub, 1);
        log_info("ready: every target has been polled once");
    }
}

/*
 * BMCs share one UDP socket per poller thread; descriptors go to HTTP
 * clients (scrapes, API, console attachments), SQLite and the sim. Raise the
 * soft limit to what we may, and say if it is short for a large fleet's
 * scrapers all the same.
 */
static void
raise_fd_limit(size_t targets)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return;
    if (rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < 256 + targets / 16)
        log_warn("only %llu file descriptors for %zu targets: raise LimitNOFILE (systemd) or "
                 "ulimit -n",
                 (unsigned long long)rl.rlim_cur, targets);
}

static const char daemon_help[] =
    "usage: ipmi-collector daemon -c FILE\n"
    "\n"
    "Watches the BMCs of the configuration: one kept-open RMCP+ session per BMC,\n"
    "sensors every interval, the SEL followed, FRU and device ID daily. Serves\n"
    "/metrics, /ipmi (ipmi_exporter-compatible), /, /-/healthy, /-/ready and\n"
    "POST /-/reload on the configured listen address; stores what it sees in the\n"
    "configured SQLite database. SIGHUP reloads the configuration (a broken file is\n"
    "refused and the running one stays); SIGTERM or SIGINT stop cleanly.\n"
    "\n"
    "  -c, --config FILE  the configuration file (see config/example.yml)\n"
    "  -h, --help         this text\n";

static int
run(struct daemon *d)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    int sfd = signalfd(-1, &set, SFD_CLOEXEC);
    if (sfd < 0) {
        log_err("signalfd: %s", strerror(errno));
        return CLI_EXIT_ERROR;
    }
    int stop = 0;
    while (!stop) {
        struct pollfd p[3] = {{.fd = sfd, .events = POLLIN},
                              {.fd = d->reload_fd, .events = POLLIN},
                              {.fd = act_runner_fd(d->acts), .events = POLLIN}};
        /* Until every target was polled once, look each second; then only events wake us. */
        int n = poll(p, 3, snap_hub_ready(d->ctx.hub) ? -1 : 1000);
        if (n < 0 && errno != EINTR)
            break;
        if (n > 0 && (p[0].revents & POLLIN)) {
            struct signalfd_siginfo si;
            if (read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
                if (si.ssi_signo == SIGHUP) {
                    char msg[4608];
                    reload(d, msg, sizeof(msg));
                } else {
                    log_info("signal %u: stopping", si.ssi_signo);
                    stop = 1;
                }
            }
        }
        if (n > 0 && (p[1].revents & POLLIN))
            serve_reload_requests(d);
        struct act_env env = act_env(d);
        act_runner_serve(d->acts, &env);
        publish_stats(d);
    }
    close(sfd);
    return CLI_EXIT_OK;
}

int
cmd_daemon(int argc, char **argv)
{
    static const struct option opts[] = {{"config", required_argument, NULL, 'c'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    struct daemon d = {0};
    char err[4096];
    int ch, rc = CLI_EXIT_ERROR;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
        if (ch == 'c') {
            d.path = optarg;
        } else if (ch == 'h') {
            fputs(daemon_help, stdout);
            return CLI_EXIT_OK;
        } else {
            fputs(daemon_help, stderr);
            return CLI_EXIT_USAGE;
        }
    }
    if (!d.path || optind != argc) {
        fputs(daemon_help, stderr);
        return CLI_EXIT_USAGE;
    }
    if (cfg_load(d.path, &d.cfg, err, sizeof(err)) != 0) {
        fprintf(stderr, "%s\n", err);
        return CLI_EXIT_USAGE;
    }
    const struct cfg_global *g = cfg_global(d.cfg);
    log_set_level((enum log_level)g->log_level);
    if (alert_rules_new(d.cfg, &d.rules) != 0) {
        cfg_free(d.cfg);
        return CLI_EXIT_ERROR;
    }
    d.start_unix_ms = clock_wall_ms();
    d.last_reload_ok = 1;
    d.reload_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    pthread_mutex_init(&d.rl_mu, NULL);
    pthread_cond_init(&d.rl_cv, NULL);

    /* Signals go to the main thread's signalfd only: block them before any thread starts. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    struct storage_opts so = {.retention_raw_ms = g->retention_raw_ms,
                              .downsample_ms = g->downsample_ms,
                              .max_db_size = g->max_db_size};
    if (storage_open(g->database, &so, &d.st, err, sizeof(err)) != 0 ||
        storage_start(d.st, err, sizeof(err)) != 0) {
        log_err("%s", err);
        goto out;
    }
    d.ctx.st = d.st;
    if (!(d.ctx.hub = snap_hub_new()))
        goto out;
    if (api_from_cfg(d.cfg, &d.api, err, sizeof(err)) != 0) {
        log_err("%s", err);
        goto out;
    }
    if (act_runner_new(&d.acts) != 0) {
        log_err("cannot create the action runner");
        goto out;
    }
    const struct cfg_api *cfa = cfg_api(d.cfg);
    struct rf_pool_opts ro = {0};
    if (cfa && cfa->media_listen)
        ro = (struct rf_pool_opts){.media_listen = cfa->media_listen,
                                   .media_host = cfa->media_host,
                                   .media_dirs = cfa->media_dirs,
                                   .nmedia_dirs = cfa->nmedia_dirs,
                                   .media_ttl_ms = cfa->media_ttl_ms};
    if (rf_pool_new(&ro, &d.rf, err, sizeof(err)) != 0) {
        log_err("api.media: %s", err);
        goto out;
    }
    exp_api_set_backend(d.api, d.st, act_submit, d.acts);
    exp_api_set_attach(d.api, act_attach, d.acts);
    struct exp_http_opts ho = {.api = d.api,
                               .listen = g->listen,
                               .hub = d.ctx.hub,
                               .version = IC_VERSION,
                               .reload = http_reload,
                               .reload_arg = &d};
    const struct cfg_api *ca = cfg_api(d.cfg);
    char *cert = NULL, *key = NULL;
    if (ca && ca->tls_cert_file) {
        if (!(cert = read_pem(ca->tls_cert_file, err, sizeof(err))) ||
            !(key = read_pem(ca->tls_key_file, err, sizeof(err)))) {
            log_err("%s", err);
            free(cert);
            goto out;
        }
        ho.tls_cert_pem = cert;
        ho.tls_key_pem = key;
    } else if (ca && ca->ntokens && !is_loopback(g->listen)) {
        log_warn("api: bearer tokens on %s without TLS cross the network in clear; set "
                 "api.tls (and api.require_tls: true)",
                 g->listen);
    }
    int hrc = exp_http_start(&ho, &d.http, err, sizeof(err));
    const char *scheme = cert ? "https" : "http";
    free(cert);
    if (key)
        OPENSSL_cleanse(key, strlen(key));
    free(key);
    if (hrc != 0) {
        log_err("%s", err);
        goto out;
    }
    struct receivers rv;
    if (receivers_of(d.cfg, &rv, err, sizeof(err)) != 0) {
        log_err("%s", err);
        goto out;
    }
    int drc = exp_deliver_start(d.st, rv.v, rv.n, &d.ctx.deliver, err, sizeof(err));
    receivers_free(&rv); /* exporters copied what it keeps */
    if (drc != 0) {
        log_err("%s", err);
        goto out;
    }
    snap_hub_set_refresh(d.ctx.hub, refresh_stats, &d);
    if (pool_new(g->poller_threads, &d.ctx, &d.pool, err, sizeof(err)) != 0) {
        log_err("%s", err);
        goto out;
    }
    raise_fd_limit(cfg_ntargets(d.cfg));
    put_targets(&d);
    for (size_t i = 0; i < cfg_ntargets(d.cfg); i++)
        add_target(&d, d.cfg, i);
    log_info("watching %zu targets with %u poller threads; serving %s://%s/metrics; "
             "database %s",
             d.ntargets, pool_threads(d.pool), scheme, g->listen, g->database);
    rc = run(&d);
out:
    if (d.pool)
        pool_free(d.pool, 2000);
    d.pool = NULL;
    rf_pool_free(d.rf); /* Redfish calls under way finish (their own timeouts bound the wait) */
    d.rf = NULL;
    if (d.acts) {
        /* Before the HTTP server: suspended connections get their answer first. */
        struct act_env env = act_env(&d);
        act_runner_stop(d.acts, &env);
    }
    if (d.ctx.hub)
        snap_hub_set_refresh(d.ctx.hub, NULL, NULL); /* a scrape under way is done with it */
    exp_deliver_stop(d.ctx.deliver); /* after the pollers: nothing kicks it any more */
    exp_http_stop(d.http);
    act_runner_free(d.acts);
    exp_api_free(d.api);
    storage_close(d.st);
    snap_hub_free(d.ctx.hub);
    for (size_t s = 0; s < d.nslots; s++)
        tgt_spec_free(d.slots[s].shadow);
    free(d.slots);
    cfg_free(d.cfg);
    alert_rules_unref(d.rules);
    if (d.reload_fd >= 0)
        close(d.reload_fd);
    pthread_mutex_lock(&free_mu);
    free(free_slots);
    free_slots = NULL;
    nfree = capfree = 0;
    pthread_mutex_unlock(&free_mu);
    return rc;
}
