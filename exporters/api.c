/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api.c - the JSON API under /api/v1/ (issue 8; docs/api.md): bearer-token
 * authentication and the read endpoints, served from the snapshot hub like
 * /metrics (a request never waits on a BMC).
 *
 * Tokens. exp_api keeps no token, only its SHA-256 digest, name and role. A
 * presented token is hashed and its digest compared with every stored one
 * with CRYPTO_memcmp, without stopping at a match: the time taken depends on
 * neither the token's length nor on which token (if any) matched. Hashing
 * first is what makes unequal lengths safe to compare. The token set is
 * swapped under a mutex on reload; a check holds the mutex for its few
 * hundred nanoseconds and copies the name out, so nothing points into a set
 * that a reload may free.
 *
 * Routing: the route decides the role needed (reads: read), authentication
 * comes before everything else (an unauthenticated client learns nothing,
 * not even which paths exist), then 404 / 405 / 400, then the answer.
 */
#include <json-c/json.h>
#include <math.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "exp_int.h"
#include "log.h"
#include "secret.h"

#define DIGEST_LEN    32
#define TOKEN_HDR_MAX 1024 /* longer Authorization values are refused before hashing */
#define NAME_MAX_API  64
#define FILTERS_MAX   16
#define PREFIX        "/api/v1/"
#define CT_JSON       "application/json"

struct api_tok {
    char name[NAME_MAX_API + 1];
    int role;
    unsigned char digest[DIGEST_LEN];
};

struct api_set {
    struct api_tok *v;
    size_t n;
    int protect_metrics;
};

struct exp_api {
    pthread_mutex_t mu;
    struct api_set *set;
    /* the daemon's side (set before serving, then read-only) */
    struct storage *st;
    exp_act_fn act;
    void *act_arg;
    exp_attach_fn attach;
    void *attach_arg;
};

/* ---- token sets ---- */

static void
set_free(struct api_set *s)
{
    if (!s)
        return;
    if (s->v)
        OPENSSL_cleanse(s->v, s->n * sizeof(*s->v));
    free(s->v);
    free(s);
}

static int
digest(const void *p, size_t len, unsigned char out[DIGEST_LEN])
{
    unsigned int dl = 0;
    return EVP_Digest(p, len, out, &dl, EVP_sha256(), NULL) == 1 && dl == DIGEST_LEN ? 0 : -1;
}

static int
set_new(const struct exp_api_token *v, size_t n, int protect_metrics, struct api_set **out)
{
    struct api_set *s = calloc(1, sizeof(*s));
    if (!s || !(s->v = calloc(n ? n : 1, sizeof(*s->v)))) {
        free(s);
        return IC_ENOMEM;
    }
    s->n = n;
    s->protect_metrics = protect_metrics ? 1 : 0;
    for (size_t i = 0; i < n; i++) {
        const struct exp_api_token *t = &v[i];
        if (!t->name || !t->token || secret_len(t->token) == 0 || t->role < EXP_ROLE_READ ||
            t->role > EXP_ROLE_ADMIN || strlen(t->name) > NAME_MAX_API)
            goto bad;
        snprintf(s->v[i].name, sizeof(s->v[i].name), "%s", t->name);
        s->v[i].role = t->role;
        if (digest(secret_bytes(t->token), secret_len(t->token), s->v[i].digest) != 0) {
            set_free(s);
            return IC_ENOMEM;
        }
        /* Two names for one token would make "who" ambiguous: refuse. */
        for (size_t k = 0; k < i; k++)
            if (memcmp(s->v[k].digest, s->v[i].digest, DIGEST_LEN) == 0)
                goto bad;
    }
    *out = s;
    return 0;
bad:
    set_free(s);
    return IC_EINVAL;
}

int
exp_api_new(const struct exp_api_token *v, size_t n, int protect_metrics, struct exp_api **out)
{
    *out = NULL;
    struct exp_api *a = calloc(1, sizeof(*a));
    if (!a)
        return IC_ENOMEM;
    int rc = set_new(v, n, protect_metrics, &a->set);
    if (rc != 0) {
        free(a);
        return rc;
    }
    pthread_mutex_init(&a->mu, NULL);
    *out = a;
    return 0;
}

void
exp_api_set_backend(struct exp_api *a, struct storage *st, exp_act_fn act, void *act_arg)
{
    if (!a)
        return;
    a->st = st;
    a->act = act;
    a->act_arg = act_arg;
}

void
exp_api_set_attach(struct exp_api *a, exp_attach_fn fn, void *arg)
{
    if (!a)
        return;
    a->attach = fn;
    a->attach_arg = arg;
}

void
exp_api_free(struct exp_api *a)
{
    if (!a)
        return;
    set_free(a->set);
    pthread_mutex_destroy(&a->mu);
    free(a);
}

int
exp_api_set_tokens(struct exp_api *a, const struct exp_api_token *v, size_t n, int protect_metrics)
{
    struct api_set *s, *old;
    int rc = set_new(v, n, protect_metrics, &s);
    if (rc != 0)
        return rc;
    pthread_mutex_lock(&a->mu);
    old = a->set;
    a->set = s;
    pthread_mutex_unlock(&a->mu);
    set_free(old);
    return 0;
}

int
exp_api_protects_metrics(struct exp_api *a)
{
    if (!a)
        return 0;
    pthread_mutex_lock(&a->mu);
    int p = a->set->protect_metrics;
    pthread_mutex_unlock(&a->mu);
    return p;
}

/* No tokens: nobody could get in, so the API is off (404, not 401, says why). */
static int
has_tokens(struct exp_api *a)
{
    pthread_mutex_lock(&a->mu);
    int n = a->set->n > 0;
    pthread_mutex_unlock(&a->mu);
    return n;
}

int
exp_api_enabled(struct exp_api *a)
{
    return a && has_tokens(a);
}

/* ---- authentication ---- */

/*
 * "Bearer" (any case) 1*SP token *SP, the token visible ASCII (RFC 6750 is
 * stricter; a token file may hold any printable text). Sets *tok, *len.
 */
static int
parse_bearer(const char *h, const char **tok, size_t *len)
{
    if (!h || strncasecmp(h, "Bearer", 6) != 0 || h[6] != ' ')
        return -1;
    const char *p = h + 6;
    while (*p == ' ')
        p++;
    size_t n = strlen(p);
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
        n--;
    if (n == 0 || n > TOKEN_HDR_MAX)
        return -1;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)p[i] < 0x21 || (unsigned char)p[i] > 0x7e)
            return -1;
    *tok = p;
    *len = n;
    return 0;
}

int
exp_api_auth(struct exp_api *a, const char *authorization, int need_role, const char **who)
{
    static _Thread_local char who_buf[NAME_MAX_API + 1];
    unsigned char d[DIGEST_LEN];
    const char *tok;
    size_t len;

    *who = NULL;
    if (!a || parse_bearer(authorization, &tok, &len) != 0 || digest(tok, len, d) != 0)
        return 401;
    pthread_mutex_lock(&a->mu);
    const struct api_set *s = a->set;
    unsigned found = 0;
    size_t idx = 0;
    for (size_t i = 0; i < s->n; i++) {
        /* CRYPTO_memcmp returns 0..255 here: eq is 1 for 0, else 0, without a branch. */
        unsigned diff = (unsigned)CRYPTO_memcmp(d, s->v[i].digest, DIGEST_LEN) & 0xffu;
        unsigned eq = (diff - 1u) >> 31;
        size_t mask = (size_t)0 - (size_t)eq;
        found |= eq;
        idx = (idx & ~mask) | (i & mask);
    }
    int role = found ? s->v[idx].role : -1;
    if (found)
        memcpy(who_buf, s->v[idx].name, sizeof(who_buf));
    pthread_mutex_unlock(&a->mu);
    OPENSSL_cleanse(d, sizeof(d));
    if (!found)
        return 401;
    *who = who_buf;
    return role >= need_role ? 200 : 403;
}

/* ---- replies ---- */

enum MHD_Result
api_reply_json(struct MHD_Connection *c, unsigned status, struct json_object *o, const char *allow)
{
    const char *s = o ? json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
                                                              JSON_C_TO_STRING_NOSLASHESCAPE)
                      : NULL;
    char *body = s ? malloc(strlen(s) + 2) : NULL;
    if (!body) {
        json_object_put(o);
        static char oom[] = "{\"error\":\"out of memory\"}\n";
        status = MHD_HTTP_INTERNAL_SERVER_ERROR;
        struct MHD_Response *r =
            MHD_create_response_from_buffer(sizeof(oom) - 1, oom, MHD_RESPMEM_PERSISTENT);
        if (!r)
            return MHD_NO;
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, CT_JSON);
        enum MHD_Result ret = MHD_queue_response(c, status, r);
        MHD_destroy_response(r);
        return ret;
    }
    size_t n = strlen(s);
    memcpy(body, s, n);
    body[n++] = '\n';
    body[n] = '\0';
    json_object_put(o);
    struct MHD_Response *r = MHD_create_response_from_buffer(n, body, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(body);
        return MHD_NO;
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, CT_JSON);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    if (status == MHD_HTTP_UNAUTHORIZED)
        MHD_add_response_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
                                "Bearer realm=\"ipmi-collector\"");
    if (allow)
        MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, allow);
    enum MHD_Result ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

enum MHD_Result
api_reply_text(struct MHD_Connection *c, unsigned status, char *json, size_t len)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(len, json, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(json);
        return MHD_NO;
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, CT_JSON);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    enum MHD_Result ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

enum MHD_Result
api_reply_error(struct MHD_Connection *c, unsigned status, const char *allow, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    struct json_object *o = json_object_new_object();
    if (o)
        json_object_object_add(o, "error", json_object_new_string(msg));
    return api_reply_json(c, status, o, allow);
}

static enum MHD_Result
reply_auth(struct MHD_Connection *c, int st, int need_role)
{
    static const char *const roles[] = {"read", "operate", "admin"};
    if (st == 401)
        return api_reply_error(c, MHD_HTTP_UNAUTHORIZED, NULL,
                               "a valid bearer token is required (Authorization: Bearer <token>)");
    return api_reply_error(c, MHD_HTTP_FORBIDDEN, NULL,
                           "this token's role may not do this (needs %s)",
                           roles[need_role >= 0 && need_role <= 2 ? need_role : 2]);
}

int
exp_api_gate(struct exp_api *a, struct MHD_Connection *c, int need_role, enum MHD_Result *ret)
{
    const char *who;
    int st = exp_api_auth(a, MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization"),
                          need_role, &who);
    if (st == 200)
        return 1;
    *ret = reply_auth(c, st, need_role);
    return 0;
}

/* ---- JSON of snapshots ---- */

/* RFC 3339 UTC with milliseconds, or JSON null for 0 (never). */
static struct json_object *
json_time(uint64_t unix_ms)
{
    if (!unix_ms)
        return NULL;
    time_t t = (time_t)(unix_ms / 1000);
    struct tm tm;
    char b[40];
    if (!gmtime_r(&t, &tm) || strftime(b, sizeof(b), "%Y-%m-%dT%H:%M:%S", &tm) == 0)
        return NULL;
    size_t n = strlen(b);
    snprintf(b + n, sizeof(b) - n, ".%03uZ", (unsigned)(unix_ms % 1000));
    return json_object_new_string(b);
}

static struct json_object *
json_str_or_null(const char *s)
{
    return s && *s ? json_object_new_string(s) : NULL;
}

static struct json_object *
fru_json(const struct snap_target *t)
{
    if (!t->has_fru)
        return NULL;
    const struct snap_fru *f = &t->fru;
    struct json_object *o = json_object_new_object();
    if (!o)
        return NULL;
    json_object_object_add(o, "board_manufacturer", json_object_new_string(f->board_manufacturer));
    json_object_object_add(o, "board_product", json_object_new_string(f->board_product));
    json_object_object_add(o, "board_serial", json_object_new_string(f->board_serial));
    json_object_object_add(o, "board_part", json_object_new_string(f->board_part));
    json_object_object_add(o, "product_manufacturer",
                           json_object_new_string(f->product_manufacturer));
    json_object_object_add(o, "product_name", json_object_new_string(f->product_name));
    json_object_object_add(o, "product_serial", json_object_new_string(f->product_serial));
    json_object_object_add(o, "product_part", json_object_new_string(f->product_part));
    json_object_object_add(o, "chassis_serial", json_object_new_string(f->chassis_serial));
    return o;
}

static struct json_object *
target_json(const struct snap_target *t)
{
    struct json_object *o = json_object_new_object(), *l = json_object_new_object();
    char addr[300];
    if (!o || !l) {
        json_object_put(o);
        json_object_put(l);
        return NULL;
    }
    snprintf(addr, sizeof(addr), strchr(t->host, ':') ? "[%s]:%u" : "%s:%u", t->host,
             (unsigned)t->port);
    for (size_t i = 0; i < t->nlabels; i++)
        json_object_object_add(l, t->labels[i].name, json_object_new_string(t->labels[i].value));
    json_object_object_add(o, "name", json_object_new_string(t->name));
    json_object_object_add(o, "address", json_object_new_string(addr));
    json_object_object_add(o, "state", json_object_new_string(t->state));
    json_object_object_add(o, "up", json_object_new_boolean(t->up ? 1 : 0));
    json_object_object_add(o, "labels", l);
    json_object_object_add(o, "last_poll", json_time(t->last_poll_unix_ms));
    json_object_object_add(o, "last_success", json_time(t->last_success_unix_ms));
    json_object_object_add(o, "last_error", json_str_or_null(t->last_error));
    json_object_object_add(o, "firmware", t->has_devid ? json_str_or_null(t->firmware) : NULL);
    json_object_object_add(o, "manufacturer_id",
                           t->has_devid ? json_object_new_int64(t->devid.manufacturer_id) : NULL);
    json_object_object_add(o, "product_id",
                           t->has_devid ? json_object_new_int64(t->devid.product_id) : NULL);
    json_object_object_add(o, "guid", json_str_or_null(t->guid));
    json_object_object_add(o, "fru", fru_json(t));
    return o;
}

static struct json_object *
sensors_json(const struct snap_target *t)
{
    struct json_object *a = json_object_new_array();
    for (size_t i = 0; a && i < t->nreadings; i++) {
        const struct snap_reading *r = &t->readings[i];
        struct json_object *o = json_object_new_object();
        if (!o) {
            json_object_put(a);
            return NULL;
        }
        const char *type = ipmi_sensor_type_str(r->sensor_type);
        const char *st = ipmi_state_str((enum ipmi_state)r->state);
        json_object_object_add(o, "name", json_object_new_string(r->name));
        json_object_object_add(o, "record_id", json_object_new_int(r->record_id));
        json_object_object_add(o, "number", json_object_new_int(r->number));
        json_object_object_add(o, "sensor_type", json_str_or_null(type));
        json_object_object_add(o, "value",
                               r->has_value && isfinite(r->value) ? json_object_new_double(r->value)
                                                                  : NULL);
        json_object_object_add(o, "state", json_str_or_null(st));
        json_object_object_add(o, "threshold", json_object_new_boolean(r->threshold ? 1 : 0));
        json_object_array_add(a, o);
    }
    return a;
}

/* ---- GET /api/v1/targets filters ---- */

struct filters {
    const char *label[FILTERS_MAX]; /* "k:v" */
    size_t nlabel;
    const char *field[FILTERS_MAX]; /* "name:value" */
    size_t nfield;
    const char *state;
    char bad[160]; /* first problem, "" if none */
};

static enum MHD_Result
collect_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    struct filters *f = cls;
    if (f->bad[0])
        return MHD_NO;
    const char *v = value ? value : "";
    if (strcmp(key, "label") == 0 || strcmp(key, "field") == 0) {
        int lab = key[0] == 'l';
        size_t *n = lab ? &f->nlabel : &f->nfield;
        const char *colon = strchr(v, ':');
        if (!colon || colon == v)
            snprintf(f->bad, sizeof(f->bad), "%s: expected NAME:VALUE", key);
        else if (*n == FILTERS_MAX)
            snprintf(f->bad, sizeof(f->bad), "%s: at most %d filters", key, FILTERS_MAX);
        else
            (lab ? f->label : f->field)[(*n)++] = v;
    } else if (strcmp(key, "state") == 0) {
        if (strcmp(v, "up") != 0 && strcmp(v, "down") != 0 && strcmp(v, "starting") != 0)
            snprintf(f->bad, sizeof(f->bad), "state: expected up, down or starting");
        else
            f->state = v;
    } else
        snprintf(f->bad, sizeof(f->bad), "unknown parameter '%.64s' (label, field, state)", key);
    return f->bad[0] ? MHD_NO : MHD_YES;
}

/* "name:value" against o's member name (a string); -1 (with a message) when name is not one. */
static int
field_match(struct json_object *o, const char *spec, char *bad, size_t badlen)
{
    const char *colon = strchr(spec, ':');
    char key[64];
    snprintf(key, sizeof(key), "%.*s", (int)(colon - spec), spec);
    static const char *const str_fields[] = {"name",         "address",    "state",    "last_poll",
                                             "last_success", "last_error", "firmware", "guid"};
    size_t k = 0;
    while (k < sizeof(str_fields) / sizeof(str_fields[0]) && strcmp(key, str_fields[k]) != 0)
        k++;
    if (k == sizeof(str_fields) / sizeof(str_fields[0])) {
        snprintf(bad, badlen, "field: '%s' is not a top-level string field", key);
        return -1;
    }
    struct json_object *m = json_object_object_get(o, key);
    return m && json_object_is_type(m, json_type_string) &&
           strcmp(json_object_get_string(m), colon + 1) == 0;
}

static int
label_match(const struct snap_target *t, const char *spec)
{
    const char *colon = strchr(spec, ':');
    size_t kl = (size_t)(colon - spec);
    for (size_t i = 0; i < t->nlabels; i++)
        if (strlen(t->labels[i].name) == kl && memcmp(t->labels[i].name, spec, kl) == 0)
            return strcmp(t->labels[i].value, colon + 1) == 0;
    return 0;
}

static enum MHD_Result
route_targets(struct snap_hub *hub, struct MHD_Connection *c)
{
    struct filters f = {0};
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect_arg, &f);
    if (f.bad[0])
        return api_reply_error(c, MHD_HTTP_BAD_REQUEST, NULL, "%s", f.bad);
    struct snap_target **v;
    size_t n = snap_hub_acquire(hub, &v);
    struct json_object *arr = json_object_new_array();
    int bad = 0;
    for (size_t i = 0; arr && i < n && !bad; i++) {
        const struct snap_target *t = v[i];
        int ok = !f.state || strcmp(t->state, f.state) == 0;
        for (size_t k = 0; ok && k < f.nlabel; k++)
            ok = label_match(t, f.label[k]);
        if (!ok)
            continue;
        struct json_object *o = target_json(t);
        if (!o) {
            json_object_put(arr);
            arr = NULL;
            break;
        }
        for (size_t k = 0; ok && k < f.nfield; k++) {
            int m = field_match(o, f.field[k], f.bad, sizeof(f.bad));
            bad = m < 0;
            ok = m > 0;
        }
        if (ok)
            json_object_array_add(arr, o);
        else
            json_object_put(o);
    }
    snap_hub_release(v, n);
    if (bad) {
        json_object_put(arr);
        return api_reply_error(c, MHD_HTTP_BAD_REQUEST, NULL, "%s", f.bad);
    }
    return api_reply_json(c, MHD_HTTP_OK, arr, NULL);
}

/* 1 when the hub has a target of that name. */
static int
target_known(struct snap_hub *hub, const char *name, size_t nlen)
{
    struct snap_target **v;
    size_t n = snap_hub_acquire(hub, &v), i = 0;
    while (i < n && !(strlen(v[i]->name) == nlen && memcmp(v[i]->name, name, nlen) == 0))
        i++;
    snap_hub_release(v, n);
    return i < n;
}

/* GET /api/v1/targets/NAME[/sensors]. */
static enum MHD_Result
route_target(struct snap_hub *hub, struct MHD_Connection *c, const char *name, size_t nlen,
             int sensors)
{
    struct snap_target **v;
    size_t n = snap_hub_acquire(hub, &v);
    struct json_object *o = NULL;
    size_t i = 0;
    while (i < n && !(strlen(v[i]->name) == nlen && memcmp(v[i]->name, name, nlen) == 0))
        i++;
    if (i < n)
        o = sensors ? sensors_json(v[i]) : target_json(v[i]);
    snap_hub_release(v, n);
    if (i == n)
        return api_reply_error(c, MHD_HTTP_NOT_FOUND, NULL, "no target '%.*s'",
                               (int)(nlen > 200 ? 200 : nlen), name);
    return api_reply_json(c, MHD_HTTP_OK, o, NULL);
}

/* ---- routing ---- */

enum route {
    R_NONE,
    R_TARGETS,
    R_TARGET,
    R_SENSORS,
    R_SEL,
    R_POWER,     /* /targets/NAME/power */
    R_BOOTDEV,   /* /targets/NAME/bootdev */
    R_SEL_POWER, /* /power: a selector */
    R_SEL_BOOT,  /* /bootdev: a selector */
    R_AUDIT,
    R_MEDIA,   /* /targets/NAME/media: POST insert, GET status, DELETE eject */
    R_CONSOLE, /* /targets/NAME/console: the captured console from the database */
    R_ATTACH,  /* /targets/NAME/console/attach: an interactive console (upgraded connection) */
};

/* Which route url names; *name and *nlen: the target of /targets/NAME[/...]. */
static enum route
match(const char *url, const char **name, size_t *nlen)
{
    static const struct {
        const char *path;
        enum route r;
    } top[] = {{"power", R_SEL_POWER}, {"bootdev", R_SEL_BOOT}, {"audit", R_AUDIT}},
      sub[] = {{"/sensors", R_SENSORS},      {"/sel", R_SEL},     {"/power", R_POWER},
               {"/bootdev", R_BOOTDEV},      {"/media", R_MEDIA}, {"/console", R_CONSOLE},
               {"/console/attach", R_ATTACH}};
    const char *p = url + strlen(PREFIX);
    for (size_t i = 0; i < sizeof(top) / sizeof(top[0]); i++)
        if (strcmp(p, top[i].path) == 0)
            return top[i].r;
    if (strncmp(p, "targets", 7) != 0)
        return R_NONE;
    p += 7;
    if (*p == '\0' || strcmp(p, "/") == 0)
        return R_TARGETS;
    if (*p != '/')
        return R_NONE;
    *name = ++p;
    const char *slash = strchr(p, '/');
    *nlen = slash ? (size_t)(slash - p) : strlen(p);
    if (*nlen == 0)
        return R_NONE;
    if (!slash)
        return R_TARGET;
    for (size_t i = 0; i < sizeof(sub) / sizeof(sub[0]); i++)
        if (strcmp(slash, sub[i].path) == 0)
            return sub[i].r;
    return R_NONE;
}

static int
is_action(enum route r)
{
    return r == R_POWER || r == R_BOOTDEV || r == R_SEL_POWER || r == R_SEL_BOOT || r == R_MEDIA;
}

enum MHD_Result
exp_api_handle(struct exp_api *a, struct snap_hub *hub, struct MHD_Connection *c, const char *url,
               const char *method, const char *body, size_t body_len, struct exp_api_conn **conn)
{
    enum MHD_Result ret;
    /* Called again after the daemon answered an action: that answer, and nothing else. */
    if (*conn && api_action_answer(c, *conn, &ret))
        return ret;
    if (!a || !has_tokens(a))
        return api_reply_error(c, MHD_HTTP_NOT_FOUND, NULL,
                               "the API is not configured (no api.tokens in the configuration)");
    if (strncmp(url, PREFIX, strlen(PREFIX)) != 0)
        return api_reply_error(c, MHD_HTTP_NOT_FOUND, NULL, "not found");
    const char *name = NULL;
    size_t nlen = 0;
    enum route r = match(url, &name, &nlen);
    /* Reads need read; actions need operate; the audit log is for those who may act. */
    int media_read = r == R_MEDIA && (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0);
    int need = (is_action(r) && !media_read) || r == R_AUDIT || r == R_ATTACH ? EXP_ROLE_OPERATE
                                                                              : EXP_ROLE_READ;
    const char *who;
    int st = exp_api_auth(a, MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization"), need,
                          &who);
    if (st != 200) {
        if (st == 403)
            log_warn("api: token '%s' may not %s %s", who, method, url);
        return reply_auth(c, st, need);
    }
    if (r == R_NONE)
        return api_reply_error(c, MHD_HTTP_NOT_FOUND, NULL, "no such endpoint");
    if (r == R_ATTACH) {
        if (strcmp(method, "POST") != 0)
            return api_reply_error(c, MHD_HTTP_METHOD_NOT_ALLOWED, "POST",
                                   "method %.16s not allowed", method);
        if (!target_known(hub, name, nlen))
            return api_reply_error(c, MHD_HTTP_NOT_FOUND, NULL, "no target '%.*s'",
                                   (int)(nlen > 200 ? 200 : nlen), name);
        return api_attach(c, a->attach, a->attach_arg, name, nlen, who);
    }
    if (r == R_MEDIA) {
        enum exp_act_kind kind = media_read                      ? EXP_ACT_MEDIA_STATUS
                                 : strcmp(method, "POST") == 0   ? EXP_ACT_MEDIA_INSERT
                                 : strcmp(method, "DELETE") == 0 ? EXP_ACT_MEDIA_EJECT
                                                                 : 0;
        if (!kind)
            return api_reply_error(c, MHD_HTTP_METHOD_NOT_ALLOWED, "GET, POST, DELETE",
                                   "method %.16s not allowed", method);
        return api_action(c, a->act, a->act_arg, kind, name, nlen, who, body, body_len, conn);
    }
    if (is_action(r)) {
        if (strcmp(method, "POST") != 0)
            return api_reply_error(c, MHD_HTTP_METHOD_NOT_ALLOWED, "POST",
                                   "method %.16s not allowed", method);
        enum exp_act_kind kind = r == R_POWER || r == R_SEL_POWER ? EXP_ACT_POWER : EXP_ACT_BOOTDEV;
        int one = r == R_POWER || r == R_BOOTDEV;
        return api_action(c, a->act, a->act_arg, kind, one ? name : NULL, one ? nlen : 0, who, body,
                          body_len, conn);
    }
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
        return api_reply_error(c, MHD_HTTP_METHOD_NOT_ALLOWED, "GET, HEAD",
                               "method %.16s not allowed", method);
    switch (r) {
    case R_TARGETS:
        return route_targets(hub, c);
    case R_SEL:
        if (!target_known(hub, name, nlen))
            return api_reply_error(c, MHD_HTTP_NOT_FOUND, NULL, "no target '%.*s'",
                                   (int)(nlen > 200 ? 200 : nlen), name);
        return api_sel(c, a->st, name, nlen);
    case R_AUDIT:
        return api_audit(c, a->st);
    case R_CONSOLE:
        if (!target_known(hub, name, nlen))
            return api_reply_error(c, MHD_HTTP_NOT_FOUND, NULL, "no target '%.*s'",
                                   (int)(nlen > 200 ? 200 : nlen), name);
        return api_console(c, a->st, name, nlen);
    default:
        return route_target(hub, c, name, nlen, r == R_SENSORS);
    }
}
