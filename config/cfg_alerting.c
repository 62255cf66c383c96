/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cfg_alerting.c - the "alerting:" section (issue 7): walk, validation at
 * load, accessors and the receivers' signing secrets. Printing is in
 * cfg_print.c with the rest of the canonical form.
 *
 *   alerting:
 *     unreachable_after: 60s      debounce: 2
 *     receivers: [{name, type, url, secret_env | secret_file | secret, headers,
 *                  ca_file, insecure_skip_verify, timeout, max_concurrency,
 *                  max_age, resend}, ...]
 *     routes: [{receiver, match: {severity, kind, sensor_type, labels, target}}, ...]
 *
 * Receivers are walked before routes whatever their order in the file, so a
 * route may name a receiver defined below it; the receivers array is
 * allocated once, so a route's pointer into it stays valid. Routes are a flat
 * list: every route whose conditions all hold delivers (no first-match-wins,
 * unlike Alertmanager's tree).
 *
 * Secrets follow the profiles' password rules (cfg.c): secret_env (read when
 * used), secret_file (taken as written, checked at load: a regular file of
 * mode 0600 or stricter), or an inline secret only in a private file, kept in
 * a struct secret and printed as "<hidden>". A signing secret may be up to
 * SECRET_MAX bytes, longer than IPMI's 20, so the environment is read here
 * rather than with secret_from_env().
 *
 * cfg_env_name_ok(), cfg_name_ok() and check_private_file() repeat cfg.c's static helpers
 * of the same rules (kept there so this section did not reshape cfg.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "cfg_int.h"
#include "ic_err.h"
#include "secret.h"

#define URL_MAX    2048
#define HEADER_MAX 1024

static const char *const rcv_type_names[] = {"webhook", "alertmanager"};
static const char *const severity_names[] = {"info", "ok", "warning", "critical"};
static const char *const kind_names[] = {"sel", "sensor", "unreachable", "console"};

/* ---- small value helpers ---- */

/* RFC 9110 tchar. */
static int
token_ok(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
              strchr("!#$%&'*+-.^_`|~", *s)))
            return 0;
    return 1;
}

static int
get_count(struct cfg_ctx *x, yaml_node_t *n, const char *what, unsigned min, unsigned max,
          unsigned *out)
{
    const char *s = cfg_scalar(x, n, what);
    uint64_t v;
    if (!s)
        return -1;
    if (cfg_parse_uint(s, max, &v) != 0 || v < min) {
        cfg_errat(x, n, "%s: expected a number from %u to %u, got '%s'", what, min, max, s);
        return -1;
    }
    *out = (unsigned)v;
    return 0;
}

/*
 * http:// or https://, a host, no user:password@ (it would be printed and
 * logged), no space or control character. An alertmanager URL is a base: no
 * query or fragment, a trailing '/' is dropped (we append /api/v2/alerts).
 */
static void
check_url(struct cfg_ctx *x, yaml_node_t *n, struct cfg_receiver *r)
{
    char *u = r->url;
    size_t len = strlen(u), skip;
    if (strncmp(u, "http://", 7) == 0)
        skip = 7;
    else if (strncmp(u, "https://", 8) == 0)
        skip = 8;
    else {
        cfg_errat(x, n, "url: '%s' must start with http:// or https://", u);
        return;
    }
    if (len > URL_MAX) {
        cfg_errat(x, n, "url: longer than %d bytes", URL_MAX);
        return;
    }
    for (const unsigned char *p = (const unsigned char *)u; *p; p++)
        if (*p <= 0x20 || *p == 0x7f) {
            cfg_errat(x, n, "url: contains a space or control character (percent-encode it)");
            return;
        }
    const char *host = u + skip;
    size_t alen = strcspn(host, "/?#");
    if (alen == 0 || host[0] == ':') {
        cfg_errat(x, n, "url: '%s' has no host", u);
        return;
    }
    if (memchr(host, '@', alen)) {
        cfg_errat(x, n, "url: user:password@ is not allowed in a URL (it would be printed)");
        return;
    }
    if (r->type != CFG_RCV_ALERTMANAGER)
        return;
    if (strpbrk(host, "?#")) {
        cfg_errat(x, n, "url: an alertmanager url is a base URL: no query or fragment");
        return;
    }
    while (len > skip + alen && u[len - 1] == '/')
        u[--len] = '\0';
}

/*
 * A list of non-empty strings (a single value is a list of one) into
 * out and nout; with names, each must be one of them. Duplicates are errors.
 */
static void
get_list(struct cfg_ctx *x, yaml_document_t *d, yaml_node_t *n, const char *what,
         const char *const *names, size_t nn, char ***out, size_t *nout)
{
    yaml_node_t *one[1] = {n};
    yaml_node_t **items = one;
    size_t cnt = 1;

    if (n->type == YAML_SEQUENCE_NODE) {
        cnt = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
        if (!cnt) {
            cfg_errat(x, n, "%s: empty list (leave the key out to match everything)", what);
            return;
        }
        if (!(items = calloc(cnt, sizeof(*items)))) {
            x->oom = 1;
            return;
        }
        for (size_t i = 0; i < cnt; i++)
            items[i] = cfg_node(d, n->data.sequence.items.start[i]);
    }
    if (!(*out = calloc(cnt, sizeof(**out)))) {
        x->oom = 1;
        goto out;
    }
    for (size_t i = 0; i < cnt && !cfg_full(x); i++) {
        if (!items[i])
            continue;
        if (names && cfg_get_enum(x, items[i], what, names, nn) < 0)
            continue;
        const char *s = cfg_scalar(x, items[i], what);
        if (!s)
            continue;
        if (!*s) {
            cfg_errat(x, items[i], "%s: empty value", what);
            continue;
        }
        size_t k;
        for (k = 0; k < *nout && strcmp((*out)[k], s) != 0; k++)
            ;
        if (k < *nout) {
            cfg_errat(x, items[i], "%s: '%s' is listed twice", what, s);
            continue;
        }
        if (!((*out)[*nout] = cfg_strdup(x, s)))
            break;
        (*nout)++;
    }
out:
    if (items != one)
        free(items);
}

/* ---- receivers ---- */

enum {
    K_NAME,
    K_TYPE,
    K_URL,
    K_SECRET_ENV,
    K_SECRET_FILE,
    K_SECRET,
    K_HEADERS,
    K_CA_FILE,
    K_INSECURE,
    K_TIMEOUT,
    K_MAX_CONC,
    K_MAX_AGE,
    K_RESEND,
    K_NRCV
};

static void
walk_headers(struct cfg_ctx *x, yaml_document_t *d, yaml_node_t *n, struct cfg_receiver *r)
{
    if (n->type != YAML_MAPPING_NODE) {
        cfg_errat(x, n, "headers: expected a mapping of name to value, got %s", cfg_kind(n));
        return;
    }
    size_t cnt = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
    if (cnt > CFG_MAX_HEADERS) {
        cfg_errat(x, n, "headers: more than %d headers", CFG_MAX_HEADERS);
        return;
    }
    if (!cnt)
        return;
    if (!(r->headers = calloc(cnt, sizeof(*r->headers)))) {
        x->oom = 1;
        return;
    }
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = cfg_node(d, p->key), *v = cfg_node(d, p->value);
        const char *ks, *vs;
        if (!k || !v || !(ks = cfg_scalar(x, k, "header name")) ||
            !(vs = cfg_scalar(x, v, "header value")))
            continue;
        if (!token_ok(ks) || strlen(ks) > 128) {
            cfg_errat(x, k,
                      "header name '%s': use token characters (letters, digits, !#$%%&'*+-.^_`|~)",
                      ks);
            continue;
        }
        const unsigned char *q;
        for (q = (const unsigned char *)vs; *q && (*q >= 0x20 || *q == '\t') && *q != 0x7f; q++)
            ;
        if (*q) {
            cfg_errat(x, v, "header '%s': the value contains CR, LF or another control character",
                      ks);
            continue;
        }
        if (strlen(vs) > HEADER_MAX) {
            cfg_errat(x, v, "header '%s': longer than %d bytes", ks, HEADER_MAX);
            continue;
        }
        size_t i;
        for (i = 0; i < r->nheaders && strcasecmp(r->headers[i].name, ks) != 0; i++)
            ;
        if (i < r->nheaders) {
            cfg_errat(x, k, "duplicate header '%s' (header names ignore case)", ks);
            continue;
        }
        struct cfg_header *h = &r->headers[r->nheaders];
        h->name = cfg_strdup(x, ks);
        h->value = cfg_strdup(x, vs);
        r->nheaders++;
        if (!h->name || !h->value)
            return;
    }
}

/* At most one of secret_env, secret_file, secret; none on an alertmanager receiver. */
static void
walk_secret(struct cfg_ctx *x, yaml_node_t **v, struct cfg_receiver *r)
{
    static const char *const what[] = {"secret_env", "secret_file", "secret"};
    const char *first = NULL;
    for (int i = 0; i < 3; i++) {
        yaml_node_t *n = v[K_SECRET_ENV + i];
        if (!n)
            continue;
        if (r->type == CFG_RCV_ALERTMANAGER) {
            cfg_errat(x, n,
                      "%s: an alertmanager receiver takes no signing secret (only webhook does)",
                      what[i]);
            continue;
        }
        if (first) {
            cfg_errat(x, n, "%s: only one of secret_env, secret_file and secret (%s given too)",
                      what[i], first);
            continue;
        }
        first = what[i];
        if (i == 0 && cfg_get_str(x, n, what[i], &r->secret_ref) == 0) {
            r->secret_source = CFG_SECRET_ENV;
            if (!cfg_env_name_ok(r->secret_ref))
                cfg_errat(x, n, "secret_env: '%s' is not a valid variable name", r->secret_ref);
        } else if (i == 1 && cfg_get_str(x, n, what[i], &r->secret_ref) == 0) {
            r->secret_source = CFG_SECRET_FILE;
            cfg_check_file(x, n, "secret_file", r->secret_ref, 1);
        } else if (i == 2) {
            const char *s = cfg_scalar(x, n, "secret");
            if (s && !x->file_private)
                cfg_errat(x, n,
                          "secret: inline secret refused: %s is readable by group or others "
                          "(chmod 600 %s, or use secret_env or secret_file)",
                          x->name, x->name);
            else if (s && (!*s || strlen(s) > SECRET_MAX))
                cfg_errat(x, n, "secret: expected 1 to %d bytes", SECRET_MAX);
            else if (s) {
                if (!(r->secret_inline = secret_new(s, strlen(s))))
                    x->oom = 1;
                r->secret_source = CFG_SECRET_INLINE;
            }
        }
    }
}

static void
walk_receiver(struct cfg_ctx *x, yaml_document_t *d, yaml_node_t *n, struct cfg_alerting *a,
              struct cfg_receiver *r, size_t *lines)
{
    static const char *const keys[] = {"name",
                                       "type",
                                       "url",
                                       "secret_env",
                                       "secret_file",
                                       "secret",
                                       "headers",
                                       "ca_file",
                                       "insecure_skip_verify",
                                       "timeout",
                                       "max_concurrency",
                                       "max_age",
                                       "resend"};
    _Static_assert(NKEYS(keys) == K_NRCV, "receiver keys");
    yaml_node_t *v[NKEYS(keys)];

    r->tls_verify = 1;
    r->timeout_ms = 10 * MS_S;
    r->max_concurrency = 4;
    r->max_age_ms = MS_D;
    r->resend_ms = 60 * MS_S;
    if (cfg_map_collect(x, d, n, "receiver", keys, NKEYS(keys), v) != 0)
        return;
    if (!v[K_NAME])
        cfg_errat(x, n, "receiver: missing key 'name'");
    else if (cfg_get_str(x, v[K_NAME], "name", &r->name) == 0) {
        size_t self = (size_t)(r - a->receivers);
        lines[self] = LINE(v[K_NAME]);
        if (!cfg_name_ok(r->name))
            cfg_errat(x, v[K_NAME], "receiver name '%s': use letters, digits, '_', '-' and '.'",
                      r->name);
        for (size_t i = 0; i < self; i++)
            if (a->receivers[i].name && strcmp(a->receivers[i].name, r->name) == 0) {
                cfg_errat(x, v[K_NAME], "duplicate receiver '%s' (first at line %zu)", r->name,
                          lines[i]);
                break;
            }
    }
    const char *who = r->name ? r->name : "?";
    int type = -1;
    if (!v[K_TYPE])
        cfg_errat(x, n, "receiver '%s': missing key 'type' (webhook or alertmanager)", who);
    else if ((type = cfg_get_enum(x, v[K_TYPE], "type", rcv_type_names, NKEYS(rcv_type_names))) >=
             0)
        r->type = (enum cfg_receiver_type)type;
    if (!v[K_URL])
        cfg_errat(x, n, "receiver '%s': missing key 'url'", who);
    else if (cfg_get_str(x, v[K_URL], "url", &r->url) == 0)
        check_url(x, v[K_URL], r);
    if (type >= 0)
        walk_secret(x, v, r);
    if (v[K_HEADERS])
        walk_headers(x, d, v[K_HEADERS], r);
    int https = r->url && strncmp(r->url, "https://", 8) == 0;
    if (v[K_CA_FILE] && cfg_get_str(x, v[K_CA_FILE], "ca_file", &r->ca_file) == 0) {
        if (r->url && !https)
            cfg_errat(x, v[K_CA_FILE], "ca_file: only for an https:// url");
        else
            cfg_check_file(x, v[K_CA_FILE], "ca_file", r->ca_file, 0);
    }
    if (v[K_INSECURE]) {
        static const char *const bools[] = {"false", "true"};
        int b = cfg_get_enum(x, v[K_INSECURE], "insecure_skip_verify", bools, 2);
        if (b == 1 && r->url && !https)
            cfg_errat(x, v[K_INSECURE], "insecure_skip_verify: only for an https:// url");
        else if (b == 1 && r->ca_file)
            cfg_errat(x, v[K_INSECURE], "insecure_skip_verify: true makes ca_file useless");
        else if (b >= 0)
            r->tls_verify = !b;
    }
    if (v[K_TIMEOUT])
        cfg_get_duration(x, v[K_TIMEOUT], "timeout", 100, 300 * MS_S, &r->timeout_ms);
    if (v[K_MAX_CONC])
        get_count(x, v[K_MAX_CONC], "max_concurrency", 1, 64, &r->max_concurrency);
    if (v[K_MAX_AGE])
        cfg_get_duration(x, v[K_MAX_AGE], "max_age", 60 * MS_S, 30 * MS_D, &r->max_age_ms);
    if (v[K_RESEND] && type == CFG_RCV_WEBHOOK)
        cfg_errat(x, v[K_RESEND], "resend: only for an alertmanager receiver");
    else if (v[K_RESEND])
        cfg_get_duration(x, v[K_RESEND], "resend", 10 * MS_S, 3600 * MS_S, &r->resend_ms);
}

static void
walk_receivers(struct cfg_ctx *x, yaml_document_t *d, yaml_node_t *n, struct cfg_alerting *a)
{
    if (n->type != YAML_SEQUENCE_NODE) {
        cfg_errat(x, n, "receivers: expected a list, got %s", cfg_kind(n));
        return;
    }
    size_t cnt = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    if (cnt > CFG_MAX_RECEIVERS) {
        cfg_errat(x, n, "receivers: more than %d receivers", CFG_MAX_RECEIVERS);
        return;
    }
    size_t *lines = calloc(cnt ? cnt : 1, sizeof(*lines));
    a->receivers = calloc(cnt ? cnt : 1, sizeof(*a->receivers));
    if (!lines || !a->receivers) {
        free(lines);
        x->oom = 1;
        return;
    }
    for (size_t i = 0; i < cnt && !cfg_full(x); i++) {
        yaml_node_t *it = cfg_node(d, n->data.sequence.items.start[i]);
        if (!it)
            continue;
        walk_receiver(x, d, it, a, &a->receivers[a->nreceivers++], lines);
    }
    free(lines);
}

/* ---- routes ---- */

static void
walk_match_labels(struct cfg_ctx *x, yaml_document_t *d, yaml_node_t *n, struct cfg_route *rt)
{
    if (n->type != YAML_MAPPING_NODE) {
        cfg_errat(x, n, "match.labels: expected a mapping of label to value, got %s", cfg_kind(n));
        return;
    }
    size_t cnt = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
    if (!cnt) {
        cfg_errat(x, n, "match.labels: empty (leave the key out to match everything)");
        return;
    }
    if (!(rt->labels = calloc(cnt, sizeof(*rt->labels)))) {
        x->oom = 1;
        return;
    }
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = cfg_node(d, p->key), *v = cfg_node(d, p->value);
        const char *ks, *vs, *why;
        if (!k || !v || !(ks = cfg_scalar(x, k, "label")) ||
            !(vs = cfg_scalar(x, v, "label value")))
            continue;
        if ((why = cfg_label_name_problem(ks)) != NULL) {
            cfg_errat(x, k, "match.labels: label '%s': %s", ks, why);
            continue;
        }
        size_t i;
        for (i = 0; i < rt->nlabels && strcmp(rt->labels[i].name, ks) != 0; i++)
            ;
        if (i < rt->nlabels) {
            cfg_errat(x, k, "match.labels: duplicate label '%s'", ks);
            continue;
        }
        struct cfg_label *l = &rt->labels[rt->nlabels++];
        l->name = cfg_strdup(x, ks);
        l->value = cfg_strdup(x, vs);
        if (!l->name || !l->value)
            return;
    }
}

static void
walk_route(struct cfg_ctx *x, yaml_document_t *d, yaml_node_t *n, const struct cfg_alerting *a,
           struct cfg_route *rt)
{
    static const char *const keys[] = {"receiver", "match"};
    static const char *const mkeys[] = {"severity", "kind", "sensor_type", "labels", "target"};
    yaml_node_t *v[NKEYS(keys)], *m[NKEYS(mkeys)];

    if (cfg_map_collect(x, d, n, "route", keys, NKEYS(keys), v) != 0)
        return;
    if (!v[0])
        cfg_errat(x, n, "route: missing key 'receiver'");
    else {
        const char *s = cfg_scalar(x, v[0], "receiver");
        for (size_t i = 0; s && i < a->nreceivers && !rt->receiver; i++)
            if (a->receivers[i].name && strcmp(a->receivers[i].name, s) == 0)
                rt->receiver = &a->receivers[i];
        /* With no receiver at all, walk_alerting says so once. */
        if (s && !rt->receiver && a->nreceivers)
            cfg_errat(x, v[0], "receiver: no receiver named '%s' in alerting.receivers", s);
    }
    if (!v[1] || cfg_map_collect(x, d, v[1], "match", mkeys, NKEYS(mkeys), m) != 0)
        return;
    if (m[0])
        get_list(x, d, m[0], "match.severity", severity_names, NKEYS(severity_names),
                 &rt->severities, &rt->nseverities);
    if (m[1])
        get_list(x, d, m[1], "match.kind", kind_names, NKEYS(kind_names), &rt->kinds, &rt->nkinds);
    if (m[2])
        get_list(x, d, m[2], "match.sensor_type", NULL, 0, &rt->sensor_types, &rt->nsensor_types);
    if (m[3])
        walk_match_labels(x, d, m[3], rt);
    if (m[4])
        get_list(x, d, m[4], "match.target", NULL, 0, &rt->targets, &rt->ntargets);
}

static void
walk_routes(struct cfg_ctx *x, yaml_document_t *d, yaml_node_t *n, struct cfg_alerting *a)
{
    if (n->type != YAML_SEQUENCE_NODE) {
        cfg_errat(x, n, "routes: expected a list, got %s", cfg_kind(n));
        return;
    }
    size_t cnt = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    if (cnt > CFG_MAX_ROUTES) {
        cfg_errat(x, n, "routes: more than %d routes", CFG_MAX_ROUTES);
        return;
    }
    if (!(a->routes = calloc(cnt ? cnt : 1, sizeof(*a->routes)))) {
        x->oom = 1;
        return;
    }
    for (size_t i = 0; i < cnt && !cfg_full(x); i++) {
        yaml_node_t *it = cfg_node(d, n->data.sequence.items.start[i]);
        if (it)
            walk_route(x, d, it, a, &a->routes[a->nroutes++]);
    }
}

void
cfg_walk_alerting(struct cfg_ctx *x, yaml_document_t *d, yaml_node_t *n)
{
    static const char *const keys[] = {"receivers", "routes", "unreachable_after", "debounce",
                                       "console_patterns"};
    /* What a kernel prints when it dies or is about to (a case-sensitive substring each). */
    static const char *const default_patterns[] = {
        "Kernel panic", "BUG: ", "Oops: ", "general protection fault", "Call Trace:"};
    yaml_node_t *v[NKEYS(keys)];
    struct cfg_alerting *a = calloc(1, sizeof(*a));

    if (!a) {
        x->oom = 1;
        return;
    }
    x->c->alerting = a;
    a->unreachable_after_ms = 60 * MS_S;
    a->debounce = 2;
    if (cfg_map_collect(x, d, n, "alerting", keys, NKEYS(keys), v) != 0)
        return;
    if (v[0])
        walk_receivers(x, d, v[0], a);
    /* Routes without receivers: said once here, not once per route. */
    if (v[1] && v[1]->type == YAML_SEQUENCE_NODE &&
        v[1]->data.sequence.items.top > v[1]->data.sequence.items.start && !a->nreceivers) {
        if (!v[0])
            cfg_errat(x, v[1], "routes: there are no receivers (add alerting.receivers)");
        else if (v[0]->type == YAML_SEQUENCE_NODE)
            cfg_errat(x, v[0], "receivers: empty list, but the routes need receivers");
    }
    if (v[1])
        walk_routes(x, d, v[1], a);
    if (v[2])
        cfg_get_duration(x, v[2], "unreachable_after", MS_S, MS_D, &a->unreachable_after_ms);
    if (v[3])
        get_count(x, v[3], "debounce", 1, 20, &a->debounce);
    if (v[4] && v[4]->type == YAML_SEQUENCE_NODE &&
        v[4]->data.sequence.items.top == v[4]->data.sequence.items.start)
        return; /* console_patterns: [] = none */
    if (v[4]) {
        cfg_walk_str_list(x, d, v[4], "console_patterns", &a->console_patterns,
                          &a->nconsole_patterns);
        return;
    }
    a->console_patterns = calloc(NKEYS(default_patterns), sizeof(char *));
    if (!a->console_patterns) {
        x->oom = 1;
        return;
    }
    for (size_t i = 0; i < NKEYS(default_patterns); i++)
        if ((a->console_patterns[i] = cfg_strdup(x, default_patterns[i])))
            a->nconsole_patterns++;
}

/* ---- lifetime, accessors, secrets ---- */

static void
free_list(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void
cfg_alerting_free(struct cfg_alerting *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->nreceivers; i++) {
        struct cfg_receiver *r = &a->receivers[i];
        free(r->name);
        free(r->url);
        free(r->secret_ref);
        for (size_t k = 0; k < r->nheaders; k++) {
            free(r->headers[k].name);
            free(r->headers[k].value);
        }
        free(r->headers);
        free(r->ca_file);
        secret_free(r->secret_inline);
    }
    free(a->receivers);
    for (size_t i = 0; i < a->nroutes; i++) {
        struct cfg_route *rt = &a->routes[i];
        free_list(rt->severities, rt->nseverities);
        free_list(rt->kinds, rt->nkinds);
        free_list(rt->sensor_types, rt->nsensor_types);
        for (size_t k = 0; k < rt->nlabels; k++) {
            free(rt->labels[k].name);
            free(rt->labels[k].value);
        }
        free(rt->labels);
        free_list(rt->targets, rt->ntargets);
    }
    free(a->routes);
    free_list(a->console_patterns, a->nconsole_patterns);
    free(a);
}

const struct cfg_alerting *
cfg_alerting(const struct cfg *c)
{
    return c->alerting;
}

const char *
cfg_receiver_type_name(enum cfg_receiver_type t)
{
    return (unsigned)t < NKEYS(rcv_type_names) ? rcv_type_names[t] : "?";
}

int
cfg_receiver_secret(const struct cfg_receiver *r, struct secret **out, char *err, size_t errlen)
{
    char msg[300];
    int rc = 0;
    const char *v;

    *out = NULL;
    switch (r->secret_source) {
    case CFG_SECRET_ENV:
        v = getenv(r->secret_ref);
        if (!v || !*v || strlen(v) > SECRET_MAX) {
            if (!v || !*v)
                snprintf(msg, sizeof(msg), "environment variable %s is not set or empty",
                         r->secret_ref);
            else
                snprintf(msg, sizeof(msg), "environment variable %s holds more than %d bytes",
                         r->secret_ref, SECRET_MAX);
            rc = IC_ECONFIG;
        } else if (!(*out = secret_new(v, strlen(v))))
            return IC_ENOMEM;
        break;
    case CFG_SECRET_FILE:
        rc = secret_from_file_max(r->secret_ref, 1, SECRET_MAX, out, msg, sizeof(msg));
        if (rc == 0 && secret_len(*out) == 0) {
            secret_free(*out);
            *out = NULL;
            snprintf(msg, sizeof(msg), "secret file %s is empty", r->secret_ref);
            rc = IC_ECONFIG;
        }
        break;
    case CFG_SECRET_INLINE:
        *out = secret_new(secret_bytes(r->secret_inline), secret_len(r->secret_inline));
        return *out ? 0 : IC_ENOMEM;
    case CFG_SECRET_NONE:
        return 0;
    }
    if (rc != 0)
        snprintf(err, errlen, "receiver '%s': %s", r->name, msg);
    return rc;
}
