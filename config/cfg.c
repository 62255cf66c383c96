/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cfg.c - YAML configuration: load, walk the libyaml document, validate,
 * accessors.
 *
 * The file is loaded with libyaml's document API (every node keeps its
 * start mark, so each message points at the offending line and column),
 * then walked section by section. Each mapping is matched against a table
 * of known keys: an unknown key, a duplicate key or a value of the wrong
 * type is an error, and the walk goes on so that one run reports every
 * error of the file (up to CFG_MAX_ERRORS). Aliases are refused: a node
 * referenced twice could make the walk exponential (billion laughs).
 * Profiles are walked before targets, whatever their order in the file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "cfg_int.h"
#include "ic_err.h"
#include "secret.h"

#define CFG_MAX_FILE (16u << 20)

/* ---- errors ---- */

void
cfg_error(struct cfg_ctx *x, const char *file, size_t line, size_t col, const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    if (x->nerr >= CFG_MAX_ERRORS) {
        x->nerr++;
        return;
    }
    if (!x->errs && !(x->errs = calloc(CFG_MAX_ERRORS, sizeof(*x->errs)))) {
        x->oom = 1;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    struct cfg_err *e = &x->errs[x->nerr];
    e->file = 0;
    for (size_t i = 0; i < x->nfiles; i++)
        if (file == x->files[i])
            e->file = i + 1;
    e->line = line;
    e->col = col;
    e->seq = (size_t)x->nerr;
    if (asprintf(&e->text, "%s:%zu:%zu: %s", file, line, col, msg) < 0) {
        e->text = NULL;
        x->oom = 1;
        return;
    }
    x->nerr++;
}

int
cfg_full(const struct cfg_ctx *x)
{
    return x->nerr >= CFG_MAX_ERRORS || x->oom;
}

/* ---- node helpers ---- */

yaml_node_t *
cfg_node(yaml_document_t *d, int id)
{
    return yaml_document_get_node(d, id);
}

void
cfg_errat(struct cfg_ctx *x, const yaml_node_t *n, const char *fmt, ...)
{
    char msg[480];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    cfg_error(x, x->name, LINE(n), COL(n), "%s", msg);
}

const char *
cfg_kind(const yaml_node_t *n)
{
    switch (n->type) {
    case YAML_SCALAR_NODE:
        return "a scalar";
    case YAML_SEQUENCE_NODE:
        return "a list";
    case YAML_MAPPING_NODE:
        return "a mapping";
    default:
        return "nothing";
    }
}

/* The scalar's text, or NULL (error recorded) if n is not a plain string. */
const char *
cfg_scalar(struct cfg_ctx *x, const yaml_node_t *n, const char *what)
{
    if (n->type != YAML_SCALAR_NODE) {
        cfg_errat(x, n, "%s: expected a value, got %s", what, cfg_kind(n));
        return NULL;
    }
    const char *s = (const char *)n->data.scalar.value;
    if (strlen(s) != n->data.scalar.length) {
        cfg_errat(x, n, "%s: value contains a NUL byte", what);
        return NULL;
    }
    return s;
}

char *
cfg_strdup(struct cfg_ctx *x, const char *s)
{
    char *p = strdup(s);
    if (!p)
        x->oom = 1;
    return p;
}

/*
 * Matches the keys of map against keys[]: vals[i] gets the value node of
 * keys[i] or NULL. Unknown and duplicate keys are errors. Returns 0, or -1
 * if map is not a mapping.
 */
int
cfg_map_collect(struct cfg_ctx *x, yaml_document_t *d, yaml_node_t *map, const char *where,
                const char *const *keys, size_t nkeys, yaml_node_t **vals)
{
    for (size_t i = 0; i < nkeys; i++)
        vals[i] = NULL;
    if (map->type != YAML_MAPPING_NODE) {
        cfg_errat(x, map, "%s: expected a mapping, got %s", where, cfg_kind(map));
        return -1;
    }
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = cfg_node(d, p->key), *v = cfg_node(d, p->value);
        if (!k || !v)
            continue;
        const char *ks = cfg_scalar(x, k, "key");
        if (!ks)
            continue;
        size_t i;
        for (i = 0; i < nkeys && strcmp(ks, keys[i]) != 0; i++)
            ;
        if (i == nkeys) {
            char list[400] = "";
            size_t off = 0;
            for (size_t j = 0; j < nkeys && off < sizeof(list); j++)
                off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%s", j ? ", " : "",
                                        keys[j]);
            cfg_errat(x, k, "unknown key '%s' in %s (expected %s)", ks, where, list);
        } else if (vals[i]) {
            cfg_errat(x, k, "duplicate key '%s' in %s (first at line %zu)", ks, where,
                      LINE(vals[i]));
        } else {
            vals[i] = v;
        }
    }
    return 0;
}

int
cfg_get_duration(struct cfg_ctx *x, yaml_node_t *n, const char *what, uint64_t min, uint64_t max,
                 uint64_t *out)
{
    const char *s = cfg_scalar(x, n, what);
    uint64_t v;
    if (!s)
        return -1;
    if (cfg_parse_duration(s, &v) != 0) {
        cfg_errat(x, n, "%s: invalid duration '%s' (a number with ms, s, m, h or d, e.g. 10s)",
                  what, s);
        return -1;
    }
    if (v < min || v > max) {
        char a[32], b[32];
        cfg_fmt_duration(min, a, sizeof(a));
        cfg_fmt_duration(max, b, sizeof(b));
        cfg_errat(x, n, "%s: %s is out of range (%s to %s)", what, s, a, b);
        return -1;
    }
    *out = v;
    return 0;
}

static int
cfg_get_uint(struct cfg_ctx *x, yaml_node_t *n, const char *what, uint64_t max, unsigned *out)
{
    const char *s = cfg_scalar(x, n, what);
    uint64_t v;
    if (!s)
        return -1;
    if (cfg_parse_uint(s, max, &v) != 0) {
        cfg_errat(x, n, "%s: expected a number from 0 to %llu, got '%s'", what,
                  (unsigned long long)max, s);
        return -1;
    }
    *out = (unsigned)v;
    return 0;
}

/* Index of s in names[] (n entries), or -1 with an error listing them. */
int
cfg_get_enum(struct cfg_ctx *x, yaml_node_t *n, const char *what, const char *const *names,
             size_t nn)
{
    const char *s = cfg_scalar(x, n, what);
    if (!s)
        return -1;
    for (size_t i = 0; i < nn; i++)
        if (strcmp(s, names[i]) == 0)
            return (int)i;
    char list[200] = "";
    size_t off = 0;
    for (size_t j = 0; j < nn && off < sizeof(list); j++)
        off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%s", j ? ", " : "", names[j]);
    cfg_errat(x, n, "%s: unknown value '%s' (expected %s)", what, s, list);
    return -1;
}

/* ---- global ---- */

static const char *const log_names[] = {"err", "warn", "info", "debug"};

static void
walk_retention(struct cfg_ctx *x, yaml_document_t *d, yaml_node_t *n)
{
    static const char *const keys[] = {"raw", "downsample", "max_db_size"};
    yaml_node_t *v[NKEYS(keys)];
    struct cfg_global *g = &x->c->g;

    if (cfg_map_collect(x, d, n, "retention", keys, NKEYS(keys), v) != 0)
        return;
    if (v[0])
        cfg_get_duration(x, v[0], "retention.raw", 60 * MS_S, 3650 * MS_D, &g->retention_raw_ms);
    if (v[1]) {
        const char *s = cfg_scalar(x, v[1], "retention.downsample");
        if (s && strcmp(s, "none") == 0)
            g->downsample_ms = 0;
        else if (s)
            cfg_get_duration(x, v[1], "retention.downsample", MS_S, MS_D, &g->downsample_ms);
    }
    if (v[2]) {
        const char *s = cfg_scalar(x, v[2], "retention.max_db_size");
        uint64_t b;
        if (s && (cfg_parse_size(s, &b) != 0 || b < (1u << 20)))
            cfg_errat(x, v[2],
                      "retention.max_db_size: invalid size '%s' (at least 1MiB; use KiB, MiB, GiB "
                      "or TiB, e.g. 2GiB)",
                      s);
        else if (s)
            g->max_db_size = b;
    }
}

/* max_inflight: 1 (one request at a time, as ipmitool) to 16 (half the BMC's sequence window). */
static void
get_inflight(struct cfg_ctx *x, yaml_node_t *v, unsigned *out)
{
    unsigned n = *out;
    if (cfg_get_uint(x, v, "max_inflight", 1000000, &n) != 0)
        return;
    if (n < 1 || n > 16)
        cfg_errat(x, v,
                  "max_inflight: %u is out of range: 1 (one request at a time) to 16 (half "
                  "of a BMC's sequence number window)",
                  n);
    else
        *out = n;
}

static void
walk_global(struct cfg_ctx *x, yaml_document_t *d, yaml_node_t *n)
{
    static const char *const keys[] = {"listen",         "database",    "interval",  "timeout",
                                       "retries",        "log_level",   "retention", "sdr_refresh",
                                       "poller_threads", "max_inflight"};
    yaml_node_t *v[NKEYS(keys)];
    struct cfg_global *g = &x->c->g;

    if (cfg_map_collect(x, d, n, "global", keys, NKEYS(keys), v) != 0)
        return;
    if (v[0] && cfg_get_str(x, v[0], "listen", &g->listen) == 0) {
        char msg[200], *host = NULL;
        uint16_t port;
        if (cfg_parse_address(g->listen, 0, &host, &port, msg, sizeof(msg)) != 0)
            cfg_errat(x, v[0], "listen: %s", msg);
        free(host);
    }
    if (v[1])
        cfg_get_str(x, v[1], "database", &g->database);
    if (v[2])
        cfg_get_duration(x, v[2], "interval", MS_S, MS_D, &g->interval_ms);
    if (v[3])
        cfg_get_duration(x, v[3], "timeout", 10, 60 * MS_S, &g->timeout_ms);
    if (v[4])
        cfg_get_uint(x, v[4], "retries", 10, &g->retries);
    if (v[5]) {
        int i = cfg_get_enum(x, v[5], "log_level", log_names, NKEYS(log_names));
        if (i >= 0)
            g->log_level = (enum cfg_log_level)i;
    }
    if (v[6])
        walk_retention(x, d, v[6]);
    if (v[7])
        cfg_get_duration(x, v[7], "sdr_refresh", 60 * MS_S, 7 * MS_D, &g->sdr_refresh_ms);
    if (v[8])
        cfg_get_uint(x, v[8], "poller_threads", 8, &g->poller_threads);
    if (v[9])
        get_inflight(x, v[9], &g->max_inflight);
}

/* ---- profiles ---- */

static const char *const priv_names[] = {"user", "operator", "administrator"};

static void
walk_profile(struct cfg_ctx *x, yaml_document_t *d, yaml_node_t *kn, yaml_node_t *n,
             struct cfg_profile *p)
{
    static const char *const keys[] = {"user",    "password_env", "password_file", "password",
                                       "kg_env",  "kg_file",      "cipher_suite",  "privilege",
                                       "timeout", "retries",      "max_inflight"};
    yaml_node_t *v[NKEYS(keys)];

    p->cipher_suite = 17;
    p->privilege = CFG_PRIV_USER;
    p->timeout_ms = x->c->g.timeout_ms;
    p->retries = x->c->g.retries;
    p->max_inflight = x->c->g.max_inflight;
    if (cfg_map_collect(x, d, n, "profile", keys, NKEYS(keys), v) != 0)
        return;
    if (!v[0])
        cfg_errat(x, kn, "profile '%s': missing key 'user'", p->name);
    else if (cfg_get_str(x, v[0], "user", &p->user) == 0 && strlen(p->user) > 16)
        cfg_errat(x, v[0], "user: '%s' is longer than 16 bytes (IPMI limit)", p->user);
    int npw = (v[1] != NULL) + (v[2] != NULL) + (v[3] != NULL);
    if (npw != 1)
        cfg_errat(x, kn, "profile '%s': needs exactly one of password_env, password_file, password",
                  p->name);
    if (v[1] && cfg_get_str(x, v[1], "password_env", &p->password_ref) == 0) {
        p->password_source = CFG_SECRET_ENV;
        if (!cfg_env_name_ok(p->password_ref))
            cfg_errat(x, v[1], "password_env: '%s' is not a valid variable name", p->password_ref);
    }
    if (v[2] && cfg_get_str(x, v[2], "password_file", &p->password_ref) == 0) {
        p->password_source = CFG_SECRET_FILE;
        cfg_check_file(x, v[2], "password_file", p->password_ref, 1);
    }
    if (v[3]) {
        const char *s = cfg_scalar(x, v[3], "password");
        if (s && !x->file_private)
            cfg_errat(x, v[3],
                      "password: inline password refused: %s is readable by group or others "
                      "(chmod 600 %s, or use password_env or password_file)",
                      x->name, x->name);
        else if (s && strlen(s) > 20)
            cfg_errat(x, v[3], "password: longer than 20 bytes (IPMI limit)");
        else if (s) {
            secret_free(p->password_inline);
            p->password_inline = secret_new(s, strlen(s));
            if (!p->password_inline)
                x->oom = 1;
            p->password_source = CFG_SECRET_INLINE;
        }
    }
    if (v[4] && v[5])
        cfg_errat(x, v[5], "kg_file: only one of kg_env and kg_file may be given");
    else if (v[4] && cfg_get_str(x, v[4], "kg_env", &p->kg_ref) == 0) {
        p->kg_source = CFG_SECRET_ENV;
        if (!cfg_env_name_ok(p->kg_ref))
            cfg_errat(x, v[4], "kg_env: '%s' is not a valid variable name", p->kg_ref);
    } else if (v[5] && cfg_get_str(x, v[5], "kg_file", &p->kg_ref) == 0) {
        p->kg_source = CFG_SECRET_FILE;
        cfg_check_file(x, v[5], "kg_file", p->kg_ref, 1);
    }
    if (v[6]) {
        const char *s = cfg_scalar(x, v[6], "cipher_suite");
        if (s && strcmp(s, "auto") == 0)
            p->cipher_suite = CFG_CIPHER_AUTO;
        else if (s && strcmp(s, "3") == 0)
            p->cipher_suite = 3;
        else if (s && strcmp(s, "17") == 0)
            p->cipher_suite = 17;
        else if (s && strcmp(s, "0") == 0)
            cfg_errat(x, v[6],
                      "cipher_suite: 0 (no authentication, no encryption) is never allowed");
        else if (s)
            cfg_errat(x, v[6], "cipher_suite: '%s' is not allowed (allowed: 17, 3, auto)", s);
    }
    if (v[7]) {
        int i = cfg_get_enum(x, v[7], "privilege", priv_names, NKEYS(priv_names));
        if (i >= 0)
            p->privilege = (enum cfg_privilege)(CFG_PRIV_USER + i);
    }
    if (v[8])
        cfg_get_duration(x, v[8], "timeout", 10, 60 * MS_S, &p->timeout_ms);
    if (v[9])
        cfg_get_uint(x, v[9], "retries", 10, &p->retries);
    if (v[10])
        get_inflight(x, v[10], &p->max_inflight);
}

static void
walk_profiles(struct cfg_ctx *x, yaml_document_t *d, yaml_node_t *n)
{
    if (n->type != YAML_MAPPING_NODE) {
        cfg_errat(x, n, "profiles: expected a mapping of name to profile, got %s", cfg_kind(n));
        return;
    }
    size_t cnt = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
    struct cfg *c = x->c;
    c->profiles = calloc(cnt ? cnt : 1, sizeof(*c->profiles));
    if (!c->profiles) {
        x->oom = 1;
        return;
    }
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = cfg_node(d, p->key), *v = cfg_node(d, p->value);
        const char *ks;
        if (!k || !v || !(ks = cfg_scalar(x, k, "profile name")))
            continue;
        if (!cfg_name_ok(ks)) {
            cfg_errat(x, k, "profile name '%s': use letters, digits, '_', '-' and '.'", ks);
            continue;
        }
        if (cfg_profile_find(c, ks)) {
            cfg_errat(x, k, "duplicate profile '%s'", ks);
            continue;
        }
        struct cfg_profile *pr = &c->profiles[c->nprofiles++];
        pr->name = cfg_strdup(x, ks);
        if (!pr->name)
            return;
        walk_profile(x, d, k, v, pr);
        if (cfg_full(x))
            return;
    }
}

/* ---- document ---- */

/* Refuses aliases: every node must be referenced at most once. */
static int
check_aliases(struct cfg_ctx *x, yaml_document_t *d)
{
    size_t n = (size_t)(d->nodes.top - d->nodes.start);
    unsigned char *seen = calloc(n + 1, 1);
    int rc = 0;
    if (!seen) {
        x->oom = 1;
        return -1;
    }
    for (yaml_node_t *nd = d->nodes.start; nd < d->nodes.top && !rc; nd++) {
        int ids[2];
        if (nd->type == YAML_SEQUENCE_NODE) {
            for (yaml_node_item_t *it = nd->data.sequence.items.start;
                 it < nd->data.sequence.items.top && !rc; it++)
                if (*it >= 1 && (size_t)*it <= n && seen[*it]++) {
                    cfg_errat(x, cfg_node(d, *it), "aliases are not supported");
                    rc = -1;
                }
        } else if (nd->type == YAML_MAPPING_NODE) {
            for (yaml_node_pair_t *p = nd->data.mapping.pairs.start;
                 p < nd->data.mapping.pairs.top && !rc; p++) {
                ids[0] = p->key;
                ids[1] = p->value;
                for (int j = 0; j < 2 && !rc; j++)
                    if (ids[j] >= 1 && (size_t)ids[j] <= n && seen[ids[j]]++) {
                        cfg_errat(x, cfg_node(d, ids[j]), "aliases are not supported");
                        rc = -1;
                    }
            }
        }
    }
    free(seen);
    return rc;
}

static void
set_defaults(struct cfg *c)
{
    c->g.interval_ms = 10 * MS_S;
    c->g.timeout_ms = MS_S;
    c->g.retries = 3;
    /* One request at a time, as the issue and ipmitool: many BMCs mishandle more. */
    c->g.max_inflight = 1;
    c->g.log_level = CFG_LOG_INFO;
    c->g.retention_raw_ms = 7 * MS_D;
    c->g.downsample_ms = 300 * MS_S;
    c->g.max_db_size = 2ull << 30;
    c->g.sdr_refresh_ms = 3600 * MS_S;
}

static void
walk_root(struct cfg_ctx *x, yaml_document_t *d, yaml_node_t *root)
{
    static const char *const keys[] = {"global",    "profiles", "targets",
                                       "inventory", "alerting", "api"};
    yaml_node_t *v[NKEYS(keys)];
    struct cfg *c = x->c;

    if (cfg_map_collect(x, d, root, "the top level", keys, NKEYS(keys), v) != 0)
        return;
    if (v[0])
        walk_global(x, d, v[0]);
    if (!c->g.listen)
        c->g.listen = cfg_strdup(x, "127.0.0.1:9290");
    if (!c->g.database)
        c->g.database = cfg_strdup(x, "./collector.db");
    if (v[1])
        walk_profiles(x, d, v[1]);
    else
        cfg_errat(x, root, "missing section 'profiles'");
    if (v[2])
        cfg_walk_targets(x, d, v[2]);
    if (v[3]) {
        const char *s = cfg_scalar(x, v[3], "inventory");
        if (s && !*s)
            cfg_errat(x, v[3], "inventory: empty value");
        else if (s)
            cfg_read_inventory(x, s, LINE(v[3]), COL(v[3]));
    }
    if (v[4])
        cfg_walk_alerting(x, d, v[4]);
    if (v[5])
        cfg_walk_api(x, d, v[5]);
    if (!v[2] && !v[3])
        cfg_errat(x, root, "no targets: add a 'targets' list or an 'inventory' file");
}

/* Duplicate target names: sort (name, index) pairs, compare neighbours. */
struct cfg_name_ref {
    const char *name;
    size_t i;
};

static int
cmp_ref(const void *a, const void *b)
{
    const struct cfg_name_ref *p = a, *q = b;
    int r = strcmp(p->name, q->name);
    return r ? r : (p->i < q->i ? -1 : p->i > q->i);
}

static void
check_duplicates(struct cfg_ctx *x)
{
    struct cfg *c = x->c;
    struct cfg_name_ref *r;
    if (c->ntargets < 2)
        return;
    if (!(r = malloc(c->ntargets * sizeof(*r)))) {
        x->oom = 1;
        return;
    }
    for (size_t i = 0; i < c->ntargets; i++) {
        r[i].name = c->targets[i].name;
        r[i].i = i;
    }
    qsort(r, c->ntargets, sizeof(*r), cmp_ref);
    size_t first = r[0].i;
    for (size_t k = 1; k < c->ntargets && !cfg_full(x); k++) {
        size_t i = r[k].i;
        if (strcmp(c->targets[i].name, c->targets[first].name) != 0) {
            first = i;
            continue;
        }
        const struct cfg_pos *p = &x->pos[i], *f = &x->pos[first];
        cfg_error(x, p->file, p->line, p->col, "duplicate target name '%s' (first at %s:%zu)",
                  c->targets[i].name, f->file, f->line);
    }
    free(r);
}

/* A second document would be ignored silently by a daemon: refuse it. */
static void
check_one_document(struct cfg_ctx *x, yaml_parser_t *parser)
{
    yaml_document_t doc;
    if (!yaml_parser_load(parser, &doc)) {
        cfg_error(x, x->name, parser->problem_mark.line + 1, parser->problem_mark.column + 1,
                  "YAML syntax error: %s", parser->problem ? parser->problem : "unknown");
        return;
    }
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    if (root)
        cfg_error(x, x->name, LINE(root), COL(root),
                  "a second YAML document: one configuration per file");
    yaml_document_delete(&doc);
}

static void
ctx_free(struct cfg_ctx *x)
{
    free(x->dir);
    for (int i = 0; x->errs && i < x->nerr && i < CFG_MAX_ERRORS; i++)
        free(x->errs[i].text);
    free(x->errs);
    free(x->pos);
    for (size_t i = 0; i < x->nfiles; i++)
        free(x->files[i]);
    free(x->files);
}

static int
cmp_err(const void *a, const void *b)
{
    const struct cfg_err *p = a, *q = b;
    if (p->file != q->file)
        return p->file < q->file ? -1 : 1;
    if (p->line != q->line)
        return p->line < q->line ? -1 : 1;
    if (p->col != q->col)
        return p->col < q->col ? -1 : 1;
    return p->seq < q->seq ? -1 : p->seq > q->seq;
}

/* Copies the messages, sorted by file and position, into err. */
static void
copy_errors(struct cfg_ctx *x, char *err, size_t errlen)
{
    size_t off = 0, n = (size_t)(x->nerr < CFG_MAX_ERRORS ? x->nerr : CFG_MAX_ERRORS);

    if (!errlen)
        return;
    err[0] = '\0';
    if (x->oom || !x->nerr) {
        snprintf(err, errlen, "%s: out of memory", x->name);
        return;
    }
    qsort(x->errs, n, sizeof(*x->errs), cmp_err);
    for (size_t i = 0; i < n && off < errlen; i++)
        off += (size_t)snprintf(err + off, errlen - off, "%s%s", i ? "\n" : "", x->errs[i].text);
    if (x->nerr > CFG_MAX_ERRORS && off < errlen)
        snprintf(err + off, errlen - off, "\n%s: too many errors (%d), stopped after %d", x->name,
                 x->nerr, CFG_MAX_ERRORS);
}

int
cfg_parse(const char *buf, size_t len, const char *name, int file_private, struct cfg **out,
          char *err, size_t errlen)
{
    struct cfg_ctx x = {.name = name, .file_private = file_private};
    yaml_parser_t parser;
    yaml_document_t doc;
    int rc = IC_ECONFIG;

    *out = NULL;
    if (errlen)
        err[0] = '\0';
    const char *slash = strrchr(name, '/');
    x.dir = slash ? strndup(name, (size_t)(slash - name + 1)) : strdup("");
    x.c = calloc(1, sizeof(*x.c));
    if (!x.dir || !x.c) {
        free(x.c);
        ctx_free(&x);
        snprintf(err, errlen, "%s: out of memory", name);
        return IC_ENOMEM;
    }
    set_defaults(x.c);
    if (!yaml_parser_initialize(&parser)) {
        x.oom = 1;
        goto out;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
    if (!yaml_parser_load(&parser, &doc)) {
        if (parser.error == YAML_MEMORY_ERROR)
            x.oom = 1;
        else
            cfg_error(&x, name, parser.problem_mark.line + 1, parser.problem_mark.column + 1,
                      "YAML syntax error: %s%s%s", parser.problem ? parser.problem : "unknown",
                      parser.context ? " " : "", parser.context ? parser.context : "");
        yaml_parser_delete(&parser);
        goto out;
    }
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    if (!root)
        cfg_error(&x, name, 1, 1, "empty configuration");
    else if (check_aliases(&x, &doc) == 0)
        walk_root(&x, &doc, root);
    yaml_document_delete(&doc);
    if (root)
        check_one_document(&x, &parser);
    yaml_parser_delete(&parser);
    if (!cfg_full(&x))
        check_duplicates(&x);
out:
    if (!x.nerr && !x.oom) {
        *out = x.c;
        x.c = NULL;
        rc = 0;
    } else {
        copy_errors(&x, err, errlen);
        rc = x.oom ? IC_ENOMEM : IC_ECONFIG;
    }
    cfg_free(x.c);
    ctx_free(&x);
    return rc;
}

int
cfg_load(const char *path, struct cfg **out, char *err, size_t errlen)
{
    struct stat st;
    char *buf = NULL;
    size_t len = 0;
    int rc = IC_EIO;

    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return IC_EIO;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s: not a regular file", path);
        goto out;
    }
    if (st.st_size > (off_t)CFG_MAX_FILE) {
        snprintf(err, errlen, "%s: larger than %u bytes", path, CFG_MAX_FILE);
        goto out;
    }
    buf = malloc((size_t)st.st_size + 1);
    if (!buf) {
        rc = IC_ENOMEM;
        snprintf(err, errlen, "%s: out of memory", path);
        goto out;
    }
    while (len < (size_t)st.st_size) {
        ssize_t n = read(fd, buf + len, (size_t)st.st_size - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            snprintf(err, errlen, "%s: read error: %s", path, n < 0 ? strerror(errno) : "short");
            goto out;
        }
        len += (size_t)n;
    }
    rc = cfg_parse(buf, len, path, (st.st_mode & 077) == 0, out, err, errlen);
out:
    free(buf);
    close(fd);
    return rc;
}
