/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cfg_print.c - the canonical configuration (cfg_print), secret resolution
 * for the daemon, lifetime and accessors.
 *
 * The canonical form is YAML that cfg_parse() reads back to the same
 * configuration: every default filled in, ranges and the inventory expanded
 * into one entry per target, every string double-quoted with YAML escapes.
 * Inline passwords and alerting secrets are printed as "<hidden>", never as
 * themselves.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_int.h"
#include "ic_err.h"
#include "secret.h"

/* ---- printing ---- */

static void
put_quoted(FILE *fp, const char *s)
{
    fputc('"', fp);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        /* NEL, LS and PS are line breaks inside a YAML scalar; BOM is special too. */
        if (p[0] == 0xc2 && p[1] == 0x85) {
            fputs("\\N", fp);
            p++;
        } else if (p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9)) {
            fputs(p[2] == 0xa8 ? "\\L" : "\\P", fp);
            p += 2;
        } else if (p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf) {
            fputs("\\uFEFF", fp);
            p += 2;
        } else if (*p == '"' || *p == '\\')
            fprintf(fp, "\\%c", *p);
        else if (*p < 0x20 || *p == 0x7f)
            fprintf(fp, "\\x%02x", *p);
        else
            fputc(*p, fp);
    }
    fputc('"', fp);
}

static void
put_kv(FILE *fp, const char *indent, const char *key, const char *val)
{
    fprintf(fp, "%s%s: ", indent, key);
    put_quoted(fp, val);
    fputc('\n', fp);
}

static void
put_dur(FILE *fp, const char *indent, const char *key, uint64_t ms)
{
    char b[40];
    cfg_fmt_duration(ms, b, sizeof(b));
    fprintf(fp, "%s%s: %s\n", indent, key, b);
}

static void
put_list(FILE *fp, char *const *v, size_t n)
{
    fputc('[', fp);
    for (size_t i = 0; i < n; i++) {
        if (i)
            fputs(", ", fp);
        put_quoted(fp, v[i]);
    }
    fputc(']', fp);
}

static const char *const coll_names[] = {"sensors", "sel", "fru", "chassis", "dcmi"};

static void
print_target(FILE *fp, const struct cfg_target *t)
{
    fputs("  - name: ", fp);
    put_quoted(fp, t->name);
    fputs("\n    address: ", fp);
    char addr[300];
    snprintf(addr, sizeof(addr), strchr(t->host, ':') ? "[%s]:%u" : "%s:%u", t->host,
             (unsigned)t->port);
    put_quoted(fp, addr);
    fputc('\n', fp);
    put_kv(fp, "    ", "profile", t->profile->name);
    put_dur(fp, "    ", "interval", t->interval_ms);
    put_dur(fp, "    ", "timeout", t->timeout_ms);
    fputs("    collectors: [", fp);
    int first = 1;
    for (unsigned i = 0; i < 5; i++)
        if (t->collectors & (1u << i)) {
            fprintf(fp, "%s%s", first ? "" : ", ", coll_names[i]);
            first = 0;
        }
    fputs("]\n", fp);
    if (t->nlabels) {
        fputs("    labels: {", fp);
        for (size_t i = 0; i < t->nlabels; i++) {
            fprintf(fp, "%s%s: ", i ? ", " : "", t->labels[i].name);
            put_quoted(fp, t->labels[i].value);
        }
        fputs("}\n", fp);
    }
    if (t->console_capture)
        fputs("    console: capture\n", fp);
    if (t->redfish) {
        fputs("    redfish:\n", fp);
        put_kv(fp, "      ", "url", t->redfish->url);
        put_kv(fp, "      ", "profile", t->redfish->profile->name);
        if (t->redfish->ca_file)
            put_kv(fp, "      ", "ca_file", t->redfish->ca_file);
        if (t->redfish->insecure)
            fputs("      insecure_skip_verify: true\n", fp);
    }
    if (t->ninclude || t->nexclude) {
        fputs("    sensors:\n", fp);
        if (t->ninclude) {
            fputs("      include: ", fp);
            put_list(fp, t->sensor_include, t->ninclude);
            fputc('\n', fp);
        }
        if (t->nexclude) {
            fputs("      exclude: ", fp);
            put_list(fp, t->sensor_exclude, t->nexclude);
            fputc('\n', fp);
        }
    }
}

static void
print_profile(FILE *fp, const struct cfg_profile *p)
{
    static const char *const src_key[] = {"", "password_env", "password_file", "password"};
    fprintf(fp, "  %s:\n", p->name);
    put_kv(fp, "    ", "user", p->user);
    if (p->password_source == CFG_SECRET_INLINE)
        put_kv(fp, "    ", "password", "<hidden>");
    else if (p->password_source != CFG_SECRET_NONE)
        put_kv(fp, "    ", src_key[p->password_source], p->password_ref);
    if (p->kg_source == CFG_SECRET_ENV)
        put_kv(fp, "    ", "kg_env", p->kg_ref);
    else if (p->kg_source == CFG_SECRET_FILE)
        put_kv(fp, "    ", "kg_file", p->kg_ref);
    if (p->cipher_suite == CFG_CIPHER_AUTO)
        fputs("    cipher_suite: auto\n", fp);
    else
        fprintf(fp, "    cipher_suite: %d\n", p->cipher_suite);
    fprintf(fp, "    privilege: %s\n", cfg_privilege_name(p->privilege));
    put_dur(fp, "    ", "timeout", p->timeout_ms);
    fprintf(fp, "    retries: %u\n", p->retries);
    fprintf(fp, "    max_inflight: %u\n", p->max_inflight);
}

static void
put_words(FILE *fp, const char *indent, const char *key, char *const *v, size_t n)
{
    fprintf(fp, "%s%s: [", indent, key);
    for (size_t i = 0; i < n; i++)
        fprintf(fp, "%s%s", i ? ", " : "", v[i]);
    fputs("]\n", fp);
}

/* Secrets: env and file references as written, an inline one as "<hidden>". */
static void
print_receiver(FILE *fp, const struct cfg_receiver *r)
{
    fputs("    - name: ", fp);
    put_quoted(fp, r->name);
    fprintf(fp, "\n      type: %s\n", cfg_receiver_type_name(r->type));
    put_kv(fp, "      ", "url", r->url);
    if (r->secret_source == CFG_SECRET_ENV)
        put_kv(fp, "      ", "secret_env", r->secret_ref);
    else if (r->secret_source == CFG_SECRET_FILE)
        put_kv(fp, "      ", "secret_file", r->secret_ref);
    else if (r->secret_source == CFG_SECRET_INLINE)
        put_kv(fp, "      ", "secret", "<hidden>");
    if (r->nheaders) {
        fputs("      headers: {", fp);
        for (size_t i = 0; i < r->nheaders; i++) {
            fputs(i ? ", " : "", fp);
            put_quoted(fp, r->headers[i].name);
            fputs(": ", fp);
            put_quoted(fp, r->headers[i].value);
        }
        fputs("}\n", fp);
    }
    if (r->ca_file)
        put_kv(fp, "      ", "ca_file", r->ca_file);
    if (strncmp(r->url, "https://", 8) == 0)
        fprintf(fp, "      insecure_skip_verify: %s\n", r->tls_verify ? "false" : "true");
    put_dur(fp, "      ", "timeout", r->timeout_ms);
    fprintf(fp, "      max_concurrency: %u\n", r->max_concurrency);
    put_dur(fp, "      ", "max_age", r->max_age_ms);
    if (r->type == CFG_RCV_ALERTMANAGER)
        put_dur(fp, "      ", "resend", r->resend_ms);
}

static void
print_route(FILE *fp, const struct cfg_route *rt)
{
    fputs("    - receiver: ", fp);
    put_quoted(fp, rt->receiver->name);
    fputc('\n', fp);
    if (!rt->nseverities && !rt->nkinds && !rt->nsensor_types && !rt->nlabels && !rt->ntargets)
        return;
    fputs("      match:\n", fp);
    if (rt->nseverities)
        put_words(fp, "        ", "severity", rt->severities, rt->nseverities);
    if (rt->nkinds)
        put_words(fp, "        ", "kind", rt->kinds, rt->nkinds);
    if (rt->nsensor_types) {
        fputs("        sensor_type: ", fp);
        put_list(fp, rt->sensor_types, rt->nsensor_types);
        fputc('\n', fp);
    }
    if (rt->nlabels) {
        fputs("        labels: {", fp);
        for (size_t i = 0; i < rt->nlabels; i++) {
            fprintf(fp, "%s%s: ", i ? ", " : "", rt->labels[i].name);
            put_quoted(fp, rt->labels[i].value);
        }
        fputs("}\n", fp);
    }
    if (rt->ntargets) {
        fputs("        target: ", fp);
        put_list(fp, rt->targets, rt->ntargets);
        fputc('\n', fp);
    }
}

static void
print_alerting(FILE *fp, const struct cfg_alerting *a)
{
    fputs("alerting:\n", fp);
    put_dur(fp, "  ", "unreachable_after", a->unreachable_after_ms);
    fprintf(fp, "  debounce: %u\n", a->debounce);
    fputs("  console_patterns: ", fp);
    put_list(fp, a->console_patterns, a->nconsole_patterns);
    fputc('\n', fp);
    fputs(a->nreceivers ? "  receivers:\n" : "  receivers: []\n", fp);
    for (size_t i = 0; i < a->nreceivers; i++)
        print_receiver(fp, &a->receivers[i]);
    fputs(a->nroutes ? "  routes:\n" : "  routes: []\n", fp);
    for (size_t i = 0; i < a->nroutes; i++)
        print_route(fp, &a->routes[i]);
}

/* Token names, roles and file paths; never a token. */
static void
print_api(FILE *fp, const struct cfg_api *a)
{
    fputs("api:\n", fp);
    fprintf(fp, "  protect_metrics: %s\n", a->protect_metrics ? "true" : "false");
    if (a->tls_cert_file) {
        fputs("  tls:\n", fp);
        put_kv(fp, "    ", "cert_file", a->tls_cert_file);
        put_kv(fp, "    ", "key_file", a->tls_key_file);
    }
    fprintf(fp, "  require_tls: %s\n", a->require_tls ? "true" : "false");
    if (a->media_listen) {
        fputs("  media:\n", fp);
        put_kv(fp, "    ", "listen", a->media_listen);
        if (a->media_host)
            put_kv(fp, "    ", "host", a->media_host);
        fputs("    dirs: ", fp);
        put_list(fp, a->media_dirs, a->nmedia_dirs);
        fputc('\n', fp);
        put_dur(fp, "    ", "ttl", a->media_ttl_ms);
    }
    fputs(a->ntokens ? "  tokens:\n" : "  tokens: []\n", fp);
    for (size_t i = 0; i < a->ntokens; i++) {
        const struct cfg_token *t = &a->tokens[i];
        fputs("    - name: ", fp);
        put_quoted(fp, t->name);
        fprintf(fp, "\n      role: %s\n", cfg_role_name(t->role));
        put_kv(fp, "      ", "token_file", t->token_file);
    }
}

int
cfg_print(const struct cfg *c, FILE *fp)
{
    const struct cfg_global *g = &c->g;
    char b[40];

    fputs("global:\n", fp);
    put_kv(fp, "  ", "listen", g->listen);
    put_kv(fp, "  ", "database", g->database);
    put_dur(fp, "  ", "interval", g->interval_ms);
    put_dur(fp, "  ", "timeout", g->timeout_ms);
    fprintf(fp, "  retries: %u\n", g->retries);
    fprintf(fp, "  max_inflight: %u\n", g->max_inflight);
    fprintf(fp, "  poller_threads: %u\n", g->poller_threads);
    fprintf(fp, "  log_level: %s\n", cfg_log_level_name(g->log_level));
    put_dur(fp, "  ", "sdr_refresh", g->sdr_refresh_ms);
    fputs("  retention:\n", fp);
    put_dur(fp, "    ", "raw", g->retention_raw_ms);
    if (g->downsample_ms)
        put_dur(fp, "    ", "downsample", g->downsample_ms);
    else
        fputs("    downsample: none\n", fp);
    cfg_fmt_size(g->max_db_size, b, sizeof(b));
    fprintf(fp, "    max_db_size: %s\n", b);
    fputs("profiles:\n", fp);
    for (size_t i = 0; i < c->nprofiles; i++)
        print_profile(fp, &c->profiles[i]);
    fputs("targets:\n", fp);
    for (size_t i = 0; i < c->ntargets; i++)
        print_target(fp, &c->targets[i]);
    if (c->alerting)
        print_alerting(fp, c->alerting);
    if (c->api)
        print_api(fp, c->api);
    return ferror(fp) ? IC_EIO : 0;
}

const char *
cfg_privilege_name(enum cfg_privilege p)
{
    switch (p) {
    case CFG_PRIV_USER:
        return "user";
    case CFG_PRIV_OPERATOR:
        return "operator";
    case CFG_PRIV_ADMINISTRATOR:
        return "administrator";
    }
    return "?";
}

const char *
cfg_log_level_name(enum cfg_log_level l)
{
    static const char *const names[] = {"err", "warn", "info", "debug"};
    return (unsigned)l < 4 ? names[l] : "?";
}

/* ---- secrets ---- */

static int
resolve(const struct cfg_profile *p, enum cfg_secret_source src, const char *ref, size_t max,
        struct secret **out, char *err, size_t errlen)
{
    char msg[300];
    int rc;
    *out = NULL;
    switch (src) {
    case CFG_SECRET_ENV:
        rc = secret_from_env(ref, out, msg, sizeof(msg));
        break;
    case CFG_SECRET_FILE:
        rc = secret_from_file_max(ref, 1, max, out, msg, sizeof(msg));
        break;
    case CFG_SECRET_INLINE:
        *out = secret_new(secret_bytes(p->password_inline), secret_len(p->password_inline));
        return *out ? 0 : IC_ENOMEM;
    default:
        return 0;
    }
    if (rc != 0)
        snprintf(err, errlen, "profile '%s': %s", p->name, msg);
    return rc;
}

int
cfg_profile_password(const struct cfg_profile *p, struct secret **out, char *err, size_t errlen)
{
    return resolve(p, p->password_source, p->password_ref, 20, out, err, errlen);
}

int
cfg_profile_kg(const struct cfg_profile *p, struct secret **out, char *err, size_t errlen)
{
    return resolve(p, p->kg_source, p->kg_ref, 42, out, err, errlen);
}

/* ---- lifetime and accessors ---- */

void
cfg_spec_free(struct cfg_spec *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nlabels; i++) {
        free(s->labels[i].name);
        free(s->labels[i].value);
    }
    free(s->labels);
    for (size_t i = 0; i < s->ninclude; i++)
        free(s->include[i]);
    free(s->include);
    for (size_t i = 0; i < s->nexclude; i++)
        free(s->exclude[i]);
    free(s->exclude);
    if (s->redfish) {
        free(s->redfish->url);
        free(s->redfish->ca_file);
        free(s->redfish);
    }
    free(s);
}

void
cfg_free(struct cfg *c)
{
    if (!c)
        return;
    free(c->g.listen);
    free(c->g.database);
    for (size_t i = 0; i < c->nprofiles; i++) {
        struct cfg_profile *p = &c->profiles[i];
        free(p->name);
        free(p->user);
        free(p->password_ref);
        free(p->kg_ref);
        secret_free(p->password_inline);
    }
    free(c->profiles);
    for (size_t i = 0; i < c->ntargets; i++) {
        free(c->targets[i].name);
        free(c->targets[i].host);
    }
    free(c->targets);
    for (size_t i = 0; i < c->nspecs; i++)
        cfg_spec_free(c->specs[i]);
    free(c->specs);
    cfg_alerting_free(c->alerting);
    cfg_api_free(c->api);
    free(c);
}

const struct cfg_global *
cfg_global(const struct cfg *c)
{
    return &c->g;
}

size_t
cfg_nprofiles(const struct cfg *c)
{
    return c->nprofiles;
}

const struct cfg_profile *
cfg_profile(const struct cfg *c, size_t i)
{
    return i < c->nprofiles ? &c->profiles[i] : NULL;
}

const struct cfg_profile *
cfg_profile_find(const struct cfg *c, const char *name)
{
    for (size_t i = 0; i < c->nprofiles; i++)
        if (c->profiles[i].name && strcmp(c->profiles[i].name, name) == 0)
            return &c->profiles[i];
    return NULL;
}

const struct cfg_profile *
cfg_default_profile(const struct cfg *c)
{
    return c->nprofiles == 1 ? &c->profiles[0] : NULL;
}

size_t
cfg_ntargets(const struct cfg *c)
{
    return c->ntargets;
}

const struct cfg_target *
cfg_target(const struct cfg *c, size_t i)
{
    return i < c->ntargets ? &c->targets[i] : NULL;
}
