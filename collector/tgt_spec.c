/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tgt_spec.c - one target's settings, copied out of the config so the
 * config can be freed at a reload while the target keeps polling.
 */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "alerts.h"
#include "cfg.h"
#include "daemon.h"
#include "ic_err.h"
#include "secret.h"

static char **
dup_list(char *const *v, size_t n)
{
    if (n == 0)
        return NULL;
    char **out = calloc(n, sizeof(*out));
    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (!(out[i] = strdup(v[i]))) {
            for (size_t j = 0; j < i; j++)
                free(out[j]);
            free(out);
            return NULL;
        }
    }
    return out;
}

static void
free_list(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

/* The labels as a JSON object, for alert payloads. */
static char *
labels_json(const struct cfg_target *ct)
{
    json_object *o = json_object_new_object();
    if (!o)
        return NULL;
    for (size_t k = 0; k < ct->nlabels; k++)
        json_object_object_add(o, ct->labels[k].name, json_object_new_string(ct->labels[k].value));
    const char *t = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
    char *r = t ? strdup(t) : NULL;
    json_object_put(o);
    return r;
}

/* The url with every "{host}" replaced by host (an IPv6 host in brackets). */
static char *
expand_host(const char *url, const char *host)
{
    const char *k = "{host}";
    int v6 = strchr(host, ':') != NULL;
    size_t n = 0, hl = strlen(host) + (v6 ? 2 : 0);
    for (const char *p = strstr(url, k); p; p = strstr(p + 6, k))
        n++;
    char *out = malloc(strlen(url) + n * hl + 1), *o = out;
    if (!out)
        return NULL;
    for (const char *p = url; *p;) {
        if (strncmp(p, k, 6) == 0) {
            o += sprintf(o, v6 ? "[%s]" : "%s", host);
            p += 6;
        } else {
            *o++ = *p++;
        }
    }
    *o = '\0';
    return out;
}

static int
redfish_of(const struct cfg_target *ct, struct tgt_spec *s, char *err, size_t errlen)
{
    const struct cfg_redfish *r = ct->redfish;
    s->rf_url = expand_host(r->url, ct->host);
    s->rf_user = strdup(r->profile->user ? r->profile->user : "");
    s->rf_ca_file = r->ca_file ? strdup(r->ca_file) : NULL;
    s->rf_insecure = r->insecure;
    if (!s->rf_url || !s->rf_user || (r->ca_file && !s->rf_ca_file))
        return IC_ENOMEM;
    return cfg_profile_password(r->profile, &s->rf_password, err, errlen);
}

int
tgt_spec_new(const struct cfg *c, size_t i, struct alert_rules *rules, struct tgt_spec **out,
             char *err, size_t errlen)
{
    const struct cfg_target *ct = cfg_target(c, i);
    const struct cfg_profile *p = ct->profile;
    struct tgt_spec *s = calloc(1, sizeof(*s));
    if (!s)
        return IC_ENOMEM;
    s->name = strdup(ct->name);
    s->host = strdup(ct->host);
    s->user = strdup(p->user ? p->user : "");
    s->port = ct->port;
    s->cipher_suite = p->cipher_suite; /* CFG_CIPHER_AUTO == IPMI_SUITE_AUTO */
    s->privilege = (int)p->privilege;  /* the same numbers as enum ipmi_priv */
    s->timeout_ms = (unsigned)ct->timeout_ms;
    s->retries = ct->retries;
    s->max_inflight = ct->max_inflight;
    s->interval_ms = ct->interval_ms;
    s->sdr_refresh_ms = cfg_global(c)->sdr_refresh_ms;
    s->collectors = ct->collectors; /* CFG_COLL_* == SNAP_COLL_* */
    s->rules = rules;
    alert_rules_ref(rules);
    s->debounce = cfg_alerting(c) ? cfg_alerting(c)->debounce : 1;
    s->labels_json = labels_json(ct);
    int rc = IC_ENOMEM;
    if (!s->name || !s->host || !s->user || !s->labels_json)
        goto fail;
    if (ct->nlabels) {
        s->labels = calloc(ct->nlabels, sizeof(*s->labels));
        if (!s->labels)
            goto fail;
        s->nlabels = ct->nlabels;
        for (size_t k = 0; k < ct->nlabels; k++) {
            s->labels[k].name = strdup(ct->labels[k].name);
            s->labels[k].value = strdup(ct->labels[k].value);
            if (!s->labels[k].name || !s->labels[k].value)
                goto fail;
        }
    }
    if ((ct->ninclude && !(s->include = dup_list(ct->sensor_include, ct->ninclude))) ||
        (ct->nexclude && !(s->exclude = dup_list(ct->sensor_exclude, ct->nexclude))))
        goto fail;
    s->ninclude = ct->ninclude;
    s->nexclude = ct->nexclude;
    if ((rc = cfg_profile_password(p, &s->password, err, errlen)) != 0)
        goto fail;
    if ((rc = cfg_profile_kg(p, &s->kg, err, errlen)) != 0)
        goto fail;
    s->console_capture = ct->console_capture;
    if (ct->redfish && (rc = redfish_of(ct, s, err, errlen)) != 0)
        goto fail;
    *out = s;
    return 0;
fail:
    tgt_spec_free(s);
    return rc;
}

void
tgt_spec_free(struct tgt_spec *s)
{
    if (!s)
        return;
    free(s->name);
    free(s->host);
    free(s->user);
    secret_free(s->password);
    secret_free(s->kg);
    for (size_t k = 0; s->labels && k < s->nlabels; k++) {
        free(s->labels[k].name);
        free(s->labels[k].value);
    }
    free(s->labels);
    free_list(s->include, s->ninclude);
    free_list(s->exclude, s->nexclude);
    free(s->sdr_blob);
    free(s->active);
    free(s->labels_json);
    free(s->rf_url);
    free(s->rf_user);
    free(s->rf_ca_file);
    secret_free(s->rf_password);
    alert_rules_unref(s->rules);
    free(s);
}

static int
same_secret(const struct secret *a, const struct secret *b)
{
    if (!a || !b)
        return a == b;
    return secret_len(a) == secret_len(b) &&
           memcmp(secret_bytes(a), secret_bytes(b), secret_len(a)) == 0;
}

int
tgt_spec_same_session(const struct tgt_spec *a, const struct tgt_spec *b)
{
    return strcmp(a->host, b->host) == 0 && a->port == b->port && strcmp(a->user, b->user) == 0 &&
           same_secret(a->password, b->password) && same_secret(a->kg, b->kg) &&
           a->cipher_suite == b->cipher_suite && a->privilege == b->privilege &&
           a->timeout_ms == b->timeout_ms && a->retries == b->retries &&
           a->max_inflight == b->max_inflight;
}

static int
same_list(char *const *a, size_t na, char *const *b, size_t nb)
{
    if (na != nb)
        return 0;
    for (size_t i = 0; i < na; i++)
        if (strcmp(a[i], b[i]) != 0)
            return 0;
    return 1;
}

static int
same_str(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

int
tgt_spec_same(const struct tgt_spec *a, const struct tgt_spec *b)
{
    if (!tgt_spec_same_session(a, b) || a->interval_ms != b->interval_ms ||
        !alert_rules_same(a->rules, b->rules) || a->debounce != b->debounce ||
        a->sdr_refresh_ms != b->sdr_refresh_ms || a->collectors != b->collectors ||
        a->nlabels != b->nlabels || !same_list(a->include, a->ninclude, b->include, b->ninclude) ||
        !same_list(a->exclude, a->nexclude, b->exclude, b->nexclude) ||
        a->console_capture != b->console_capture || a->rf_insecure != b->rf_insecure ||
        !same_str(a->rf_url, b->rf_url) || !same_str(a->rf_user, b->rf_user) ||
        !same_str(a->rf_ca_file, b->rf_ca_file) || !same_secret(a->rf_password, b->rf_password))
        return 0;
    for (size_t k = 0; k < a->nlabels; k++)
        if (strcmp(a->labels[k].name, b->labels[k].name) != 0 ||
            strcmp(a->labels[k].value, b->labels[k].value) != 0)
            return 0;
    return 1;
}

int
tgt_spec_wants_sensor(const struct tgt_spec *s, const char *name)
{
    int in = s->ninclude == 0;
    for (size_t i = 0; !in && i < s->ninclude; i++)
        in = fnmatch(s->include[i], name, 0) == 0;
    for (size_t i = 0; in && i < s->nexclude; i++)
        if (fnmatch(s->exclude[i], name, 0) == 0)
            in = 0;
    return in;
}
