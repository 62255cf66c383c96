/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cfg_api.c - the "api:" section (issue 8): who may call the JSON API under
 * /api/v1/. Walk, validation at load, accessors and token loading. Printing
 * is in cfg_print.c with the rest of the canonical form.
 *
 *   api:
 *     protect_metrics: false      # true: /metrics and /ipmi need a read token too
 *     tls: {cert_file: ./server.pem, key_file: ./server.key}   # the listener speaks HTTPS
 *     require_tls: false          # true: refuse a configuration without tls
 *     media: {listen: 0.0.0.0:9291, host: 10.0.0.5, dirs: [/srv/iso], ttl: 1h}
 *     tokens:
 *       - {name: ops, role: operate, token_file: ./ops.token}
 *
 * A token is only ever in a file: never inline, never in the environment (a
 * bearer token in a unit file's Environment= leaks through /proc and the
 * journal). token_file is taken as written, like password_file, and checked
 * at load: a regular file of mode 0600 or stricter. The bytes are read when
 * the daemon builds its API object (cfg_token_secret), at start and reload,
 * so a rotated token takes effect on reload without touching the YAML.
 *
 * cfg_name_ok() and check_private_file() repeat cfg.c's static helpers of the
 * same rules (kept there so this section did not reshape cfg.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cfg_int.h"
#include "ic_err.h"
#include "secret.h"

static const char *const role_names[] = {"read", "operate", "admin"};

static void
walk_token(struct cfg_ctx *x, yaml_document_t *d, yaml_node_t *n, struct cfg_api *a,
           struct cfg_token *t, size_t *lines)
{
    static const char *const keys[] = {"name", "role", "token_file"};
    yaml_node_t *v[NKEYS(keys)];

    if (cfg_map_collect(x, d, n, "token", keys, NKEYS(keys), v) != 0)
        return;
    if (!v[0])
        cfg_errat(x, n, "token: missing key 'name'");
    else if (cfg_get_str(x, v[0], "name", &t->name) == 0) {
        size_t self = (size_t)(t - a->tokens);
        lines[self] = LINE(v[0]);
        if (!cfg_name_ok(t->name))
            cfg_errat(x, v[0], "token name '%s': use letters, digits, '_', '-' and '.'", t->name);
        for (size_t i = 0; i < self; i++)
            if (a->tokens[i].name && strcmp(a->tokens[i].name, t->name) == 0) {
                cfg_errat(x, v[0], "duplicate token '%s' (first at line %zu)", t->name, lines[i]);
                break;
            }
    }
    const char *who = t->name ? t->name : "?";
    int role;
    if (!v[1])
        cfg_errat(x, n, "token '%s': missing key 'role' (read, operate or admin)", who);
    else if ((role = cfg_get_enum(x, v[1], "role", role_names, NKEYS(role_names))) >= 0)
        t->role = (enum cfg_role)role;
    if (!v[2])
        cfg_errat(x, n, "token '%s': missing key 'token_file'", who);
    else if (cfg_get_str(x, v[2], "token_file", &t->token_file) == 0)
        cfg_check_file(x, v[2], "token_file", t->token_file, 1);
}

static void
walk_tokens(struct cfg_ctx *x, yaml_document_t *d, yaml_node_t *n, struct cfg_api *a)
{
    if (n->type != YAML_SEQUENCE_NODE) {
        cfg_errat(x, n, "tokens: expected a list, got %s", cfg_kind(n));
        return;
    }
    size_t cnt = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    if (cnt > CFG_MAX_TOKENS) {
        cfg_errat(x, n, "tokens: more than %d tokens", CFG_MAX_TOKENS);
        return;
    }
    size_t *lines = calloc(cnt ? cnt : 1, sizeof(*lines));
    a->tokens = calloc(cnt ? cnt : 1, sizeof(*a->tokens));
    if (!lines || !a->tokens) {
        free(lines);
        x->oom = 1;
        return;
    }
    for (size_t i = 0; i < cnt && !cfg_full(x); i++) {
        yaml_node_t *it = cfg_node(d, n->data.sequence.items.start[i]);
        if (it)
            walk_token(x, d, it, a, &a->tokens[a->ntokens++], lines);
    }
    free(lines);
}

static void
walk_tls(struct cfg_ctx *x, yaml_document_t *d, yaml_node_t *n, struct cfg_api *a)
{
    static const char *const keys[] = {"cert_file", "key_file"};
    yaml_node_t *v[NKEYS(keys)];
    if (cfg_map_collect(x, d, n, "tls", keys, NKEYS(keys), v) != 0)
        return;
    if (!v[0] || !v[1]) {
        cfg_errat(x, n, "tls: both cert_file and key_file are needed");
        return;
    }
    if (cfg_get_str(x, v[0], "cert_file", &a->tls_cert_file) == 0)
        cfg_check_file(x, v[0], "cert_file", a->tls_cert_file, 0);
    /* The key is a secret like a token: only its owner may read it. */
    if (cfg_get_str(x, v[1], "key_file", &a->tls_key_file) == 0)
        cfg_check_file(x, v[1], "key_file", a->tls_key_file, 1);
}

/* media: the server BMCs fetch local images from, and which files it may serve. */
static void
walk_media(struct cfg_ctx *x, yaml_document_t *d, yaml_node_t *n, struct cfg_api *a)
{
    static const char *const keys[] = {"listen", "host", "dirs", "ttl"};
    yaml_node_t *v[NKEYS(keys)];
    a->media_ttl_ms = 3600 * MS_S;
    if (cfg_map_collect(x, d, n, "media", keys, NKEYS(keys), v) != 0)
        return;
    if (!v[0])
        cfg_errat(x, n, "media: missing key 'listen' (HOST:PORT the BMCs can reach)");
    else if (cfg_get_str(x, v[0], "listen", &a->media_listen) == 0 &&
             !strrchr(a->media_listen, ':'))
        cfg_errat(x, v[0], "media listen '%s': expected HOST:PORT", a->media_listen);
    if (v[1] && cfg_get_str(x, v[1], "host", &a->media_host) == 0 && strpbrk(a->media_host, "/ "))
        cfg_errat(x, v[1], "media host '%s': expected a host name or address (how BMCs reach it)",
                  a->media_host);
    if (!v[1] && a->media_listen &&
        (strncmp(a->media_listen, "0.0.0.0:", 8) == 0 || a->media_listen[0] == ':' ||
         strncmp(a->media_listen, "[::]:", 5) == 0))
        cfg_errat(x, v[0], "media: listen on every address needs 'host' (the address BMCs use)");
    if (!v[2])
        cfg_errat(x, n, "media: missing key 'dirs' (the directories local images may come from)");
    else if (cfg_walk_str_list(x, d, v[2], "media.dirs", &a->media_dirs, &a->nmedia_dirs) == 0)
        for (size_t i = 0; i < a->nmedia_dirs; i++) {
            struct stat st;
            if (a->media_dirs[i][0] != '/')
                cfg_errat(x, v[2], "media.dirs: '%s' is not an absolute path", a->media_dirs[i]);
            else if (stat(a->media_dirs[i], &st) != 0 || !S_ISDIR(st.st_mode))
                cfg_errat(x, v[2], "media.dirs: '%s' is not a directory", a->media_dirs[i]);
        }
    if (v[3])
        cfg_get_duration(x, v[3], "ttl", MS_S, MS_D, &a->media_ttl_ms);
}

void
cfg_walk_api(struct cfg_ctx *x, yaml_document_t *d, yaml_node_t *n)
{
    static const char *const keys[] = {"tokens", "protect_metrics", "tls", "require_tls", "media"};
    static const char *const bools[] = {"false", "true"};
    yaml_node_t *v[NKEYS(keys)];
    struct cfg_api *a = calloc(1, sizeof(*a));

    if (!a) {
        x->oom = 1;
        return;
    }
    x->c->api = a;
    if (cfg_map_collect(x, d, n, "api", keys, NKEYS(keys), v) != 0)
        return;
    if (v[0])
        walk_tokens(x, d, v[0], a);
    if (v[1]) {
        int b = cfg_get_enum(x, v[1], "protect_metrics", bools, 2);
        if (b >= 0)
            a->protect_metrics = b;
    }
    if (a->protect_metrics && !a->ntokens)
        cfg_errat(x, v[1], "protect_metrics: true, but there are no tokens to read /metrics with");
    if (v[2])
        walk_tls(x, d, v[2], a);
    if (v[4])
        walk_media(x, d, v[4], a);
    if (v[3]) {
        int b = cfg_get_enum(x, v[3], "require_tls", bools, 2);
        if (b >= 0)
            a->require_tls = b;
        if (b == 1 && !v[2])
            cfg_errat(x, v[3],
                      "require_tls: true, but there is no tls: section (cert_file, "
                      "key_file): tokens would cross the network in clear");
    }
}

void
cfg_api_free(struct cfg_api *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->ntokens; i++) {
        free(a->tokens[i].name);
        free(a->tokens[i].token_file);
    }
    free(a->tokens);
    free(a->tls_cert_file);
    free(a->tls_key_file);
    free(a->media_listen);
    free(a->media_host);
    for (size_t i = 0; i < a->nmedia_dirs; i++)
        free(a->media_dirs[i]);
    free(a->media_dirs);
    free(a);
}

const struct cfg_api *
cfg_api(const struct cfg *c)
{
    return c->api;
}

const char *
cfg_role_name(enum cfg_role r)
{
    return (unsigned)r < NKEYS(role_names) ? role_names[r] : "?";
}

int
cfg_token_secret(const struct cfg_token *t, struct secret **out, char *err, size_t errlen)
{
    char msg[300];
    int rc = secret_from_file_max(t->token_file, 1, SECRET_MAX, out, msg, sizeof(msg));
    if (rc == 0 && secret_len(*out) < CFG_TOKEN_MIN) {
        secret_free(*out);
        snprintf(msg, sizeof(msg), "token file %s holds fewer than %d bytes", t->token_file,
                 CFG_TOKEN_MIN);
        rc = IC_ECONFIG;
    }
    if (rc != 0) {
        *out = NULL;
        snprintf(err, errlen, "token '%s': %s", t->name, msg);
    }
    return rc;
}
