/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rf_http.c - the Redfish client's transport: one curl easy handle per
 * client (its connection is kept alive between requests), session login
 * (DSP0266 §13.3: POST SessionService/Sessions, X-Auth-Token, DELETE to log
 * out) with HTTP Basic as the fallback for services without sessions,
 * bounded 503/Retry-After retries, task monitors (§12.2), and the mapping of
 * curl and HTTP failures to IC_E* codes and operator messages.
 *
 * Synchronous by design: callers are worker threads. curl_global_init runs
 * once (pthread_once); nothing else here is shared between clients.
 */
#include "rf_client.h"
#include "ic_err.h"
#include "secret.h"
#include "clock.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* 503 answers retried at most this often per request, each wait capped. */
#define RF_BUSY_TRIES      5
#define RF_BUSY_WAIT_MAX   10u
#define RF_DEFAULT_TIMEOUT 30000u
#define RF_DEFAULT_TASK    300000u

static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static CURLcode global_rc;

static void
global_init(void)
{
    global_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

void
rf_sleep_ms(unsigned ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
        ;
}

void
rf_resp_free(struct rf_resp *r)
{
    free(r->body);
    explicit_bzero(r->token, sizeof(r->token));
    memset(r, 0, sizeof(*r));
}

int
rf_client_new(const struct rf_opts *o, struct rf_client **out, char *err, size_t errlen)
{
    *out = NULL;
    if (!o || !o->url || !o->user || !o->user[0] || !o->password) {
        rf_seterr(err, errlen, "Redfish client needs a URL, a user name and a password");
        return IC_EINVAL;
    }
    if (strncmp(o->url, "https://", 8) != 0 && strncmp(o->url, "http://", 7) != 0) {
        rf_seterr(err, errlen, "Redfish URL '%s' must start with https:// (or http://)", o->url);
        return IC_EINVAL;
    }
    const char *hostpart = strstr(o->url, "://") + 3;
    const char *slash = strchr(hostpart, '/');
    if (!hostpart[0] || (slash && slash[1] != '\0') || strlen(o->url) >= 256 ||
        strlen(o->user) >= 128 || strpbrk(o->url, " \t\r\n") ||
        (o->ca_file && strlen(o->ca_file) >= 512)) {
        rf_seterr(err, errlen, "Redfish URL '%s' must be scheme://host[:port] without a path",
                  o->url);
        return IC_EINVAL;
    }
    pthread_once(&global_once, global_init);
    if (global_rc != CURLE_OK) {
        rf_seterr(err, errlen, "libcurl initialisation failed: %s", curl_easy_strerror(global_rc));
        return IC_ENOMEM;
    }
    struct rf_client *c = calloc(1, sizeof(*c));
    if (!c)
        goto nomem;
    snprintf(c->base, sizeof(c->base), "%s", o->url);
    size_t bl = strlen(c->base);
    if (bl && c->base[bl - 1] == '/')
        c->base[bl - 1] = '\0';
    snprintf(c->user, sizeof(c->user), "%s", o->user);
    if (o->ca_file)
        snprintf(c->ca_file, sizeof(c->ca_file), "%s", o->ca_file);
    c->insecure = o->insecure;
    c->timeout_ms = o->timeout_ms ? o->timeout_ms : RF_DEFAULT_TIMEOUT;
    c->task_timeout_ms = o->task_timeout_ms ? o->task_timeout_ms : RF_DEFAULT_TASK;
    c->pw = secret_new(secret_bytes(o->password), secret_len(o->password));
    c->h = curl_easy_init();
    if (!c->pw || !c->h)
        goto nomem;
    *out = c;
    return 0;
nomem:
    rf_client_free(c);
    rf_seterr(err, errlen, "out of memory");
    return IC_ENOMEM;
}

/* ---- one HTTP exchange ------------------------------------------------------ */

static size_t
on_body(char *p, size_t sz, size_t n, void *arg)
{
    struct rf_resp *r = arg;
    size_t add = sz * n;
    if (r->len + add + 1 > RF_RESP_MAX)
        return 0; /* curl reports CURLE_WRITE_ERROR */
    if (r->len + add + 1 > r->cap) {
        size_t cap = r->cap ? r->cap : 4096;
        while (cap < r->len + add + 1)
            cap *= 2;
        char *b = realloc(r->body, cap);
        if (!b)
            return 0;
        r->body = b;
        r->cap = cap;
    }
    memcpy(r->body + r->len, p, add);
    r->len += add;
    r->body[r->len] = '\0';
    return add;
}

/* Copies a header's value (trimmed) if line is "name: value". */
static int
header_value(const char *line, size_t len, const char *name, char *dst, size_t dstlen)
{
    size_t nl = strlen(name);
    if (len <= nl || strncasecmp(line, name, nl) != 0 || line[nl] != ':')
        return 0;
    const char *v = line + nl + 1, *end = line + len;
    while (v < end && (*v == ' ' || *v == '\t'))
        v++;
    while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' ' || end[-1] == '\t'))
        end--;
    size_t vl = (size_t)(end - v);
    if (vl >= dstlen)
        vl = dstlen - 1;
    memcpy(dst, v, vl);
    dst[vl] = '\0';
    return 1;
}

struct hdr_ctx {
    struct rf_resp *r;
    const char *base;
};

static size_t
on_header(char *p, size_t sz, size_t n, void *arg)
{
    struct hdr_ctx *h = arg;
    struct rf_resp *r = h->r;
    size_t len = sz * n;
    char v[RF_TOKEN_MAX];
    if (len >= 5 && strncmp(p, "HTTP/", 5) == 0) { /* a new response (after 100, retries) */
        r->etag[0] = r->location[0] = '\0';
        explicit_bzero(r->token, sizeof(r->token));
        r->retry_after = 0;
    } else if (header_value(p, len, "ETag", r->etag, sizeof(r->etag))) {
        /* kept */
    } else if (header_value(p, len, "X-Auth-Token", r->token, sizeof(r->token))) {
        /* kept in r->token only */
    } else if (header_value(p, len, "Retry-After", v, sizeof(v))) {
        char *end;
        unsigned long s = strtoul(v, &end, 10);
        r->retry_after = (*end == '\0' && v[0]) ? (unsigned)(s > 3600 ? 3600 : s) : 1;
    } else if (header_value(p, len, "Location", v, sizeof(v))) {
        /* Keep only a path on our own service: the token goes wherever this points. */
        size_t bl = strlen(h->base);
        const char *path = v[0] == '/' ? v : strncmp(v, h->base, bl) == 0 ? v + bl : NULL;
        if (path && path[0] == '/' && strlen(path) < sizeof(r->location) && !strpbrk(path, " \t"))
            memcpy(r->location, path, strlen(path) + 1);
    }
    explicit_bzero(v, sizeof(v));
    return len;
}

/* The part of a URL naming the peer, for messages. */
static int
transport_err(struct rf_client *c, CURLcode rc, const char *what, char *err, size_t errlen)
{
    const char *d = c->curl_err[0] ? c->curl_err : curl_easy_strerror(rc);
    switch (rc) {
    case CURLE_COULDNT_CONNECT:
        rf_seterr(err, errlen,
                  "%s: cannot connect to %s: %s (is the BMC's Redfish service up, and the port "
                  "right?)",
                  what, c->base, d);
        return IC_EUNREACH;
    case CURLE_COULDNT_RESOLVE_HOST:
        rf_seterr(err, errlen, "%s: cannot resolve the host of %s: %s", what, c->base, d);
        return IC_EUNREACH;
    case CURLE_OPERATION_TIMEDOUT:
        rf_seterr(err, errlen, "%s: no answer from %s within %u ms: %s", what, c->base,
                  c->timeout_ms, d);
        return IC_ETIMEDOUT;
    case CURLE_PEER_FAILED_VERIFICATION:
        rf_seterr(err, errlen,
                  "%s: TLS: the certificate of %s is not trusted: %s (give --ca-file with the "
                  "BMC's CA, or --insecure)",
                  what, c->base, d);
        return IC_EPROTO;
    case CURLE_SSL_CONNECT_ERROR:
        rf_seterr(err, errlen, "%s: TLS handshake with %s failed: %s (is it https?)", what, c->base,
                  d);
        return IC_EPROTO;
    case CURLE_SSL_CACERT_BADFILE:
        rf_seterr(err, errlen, "%s: cannot use CA file '%s': %s", what, c->ca_file, d);
        return IC_ECONFIG;
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_PARTIAL_FILE:
        rf_seterr(err, errlen, "%s: connection to %s closed without a complete answer: %s%s", what,
                  c->base, d,
                  strncmp(c->base, "http://", 7) == 0 ? " (an https service given as http://?)"
                                                      : "");
        return IC_EIO;
    case CURLE_WRITE_ERROR:
        rf_seterr(err, errlen, "%s: answer from %s larger than %u bytes (or out of memory)", what,
                  c->base, RF_RESP_MAX);
        return IC_ETOOBIG;
    case CURLE_UNSUPPORTED_PROTOCOL:
        rf_seterr(err, errlen, "%s: %s: %s (only http and https)", what, c->base, d);
        return IC_EINVAL;
    default:
        rf_seterr(err, errlen, "%s: request to %s failed: %s", what, c->base, d);
        return IC_EIO;
    }
}

/* One exchange, no retry, no login. auth: 0 none, 1 token or Basic as set up. */
static int
perform(struct rf_client *c, const char *method, const char *path, const char *json, size_t jsonlen,
        const char *if_match, int auth, struct rf_resp *r, const char *what, char *err,
        size_t errlen)
{
    char url[512], h_tok[RF_TOKEN_MAX + 16], h_if[RF_ETAG_MAX + 16], pwbuf[SECRET_MAX + 1];
    struct curl_slist *hdrs = NULL, *t;
    struct hdr_ctx hc = {.r = r, .base = c->base};
    int rc = 0;

    rf_resp_free(r);
    pwbuf[0] = '\0';
    if ((size_t)snprintf(url, sizeof(url), "%s%s", c->base, path) >= sizeof(url)) {
        rf_seterr(err, errlen, "%s: URI too long", what);
        return IC_EINVAL;
    }
    CURL *h = c->h;
    curl_easy_reset(h); /* keeps the live connection and TLS session */
    c->curl_err[0] = '\0';
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, c->curl_err);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)c->timeout_ms);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, (long)c->timeout_ms);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &hc);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "ipmi-collector/" IC_VERSION);
    if (c->ca_file[0])
        curl_easy_setopt(h, CURLOPT_CAINFO, c->ca_file);
    if (c->insecure) {
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    const char *fixed[] = {"Accept: application/json", "OData-Version: 4.0", "Expect:",
                           json ? "Content-Type: application/json; charset=utf-8" : NULL};
    for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
        if (!fixed[i])
            continue;
        if (!(t = curl_slist_append(hdrs, fixed[i])))
            goto nomem;
        hdrs = t;
    }
    if (auth && !c->basic && c->token[0]) {
        snprintf(h_tok, sizeof(h_tok), "X-Auth-Token: %s", c->token);
        t = curl_slist_append(hdrs, h_tok);
        explicit_bzero(h_tok, sizeof(h_tok));
        if (!t)
            goto nomem;
        hdrs = t;
    } else if (auth && c->basic) {
        size_t pl = secret_len(c->pw);
        memcpy(pwbuf, secret_bytes(c->pw), pl);
        pwbuf[pl] = '\0';
        curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
        curl_easy_setopt(h, CURLOPT_USERNAME, c->user);
        curl_easy_setopt(h, CURLOPT_PASSWORD, pwbuf); /* curl keeps its own copy */
    }
    if (if_match) {
        snprintf(h_if, sizeof(h_if), "If-Match: %s", if_match);
        if (!(t = curl_slist_append(hdrs, h_if)))
            goto nomem;
        hdrs = t;
    }
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
    if (strcmp(method, "GET") != 0) {
        if (strcmp(method, "POST") != 0)
            curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
        if (json || strcmp(method, "POST") == 0) {
            curl_easy_setopt(h, CURLOPT_POSTFIELDS, json ? json : "");
            curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)(json ? jsonlen : 0));
        }
    }
    CURLcode cc = curl_easy_perform(h);
    /* Drop references into our stack and the password copy before returning. */
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, NULL);
    curl_easy_setopt(h, CURLOPT_PASSWORD, "");
    if (cc != CURLE_OK) {
        rc = transport_err(c, cc, what, err, errlen);
        goto out;
    }
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->status);
    goto out;
nomem:
    rf_seterr(err, errlen, "out of memory");
    rc = IC_ENOMEM;
out:
    /* curl_slist_free_all does not wipe: the token header line is wiped by hand. */
    for (t = hdrs; t; t = t->next)
        if (strncmp(t->data, "X-Auth-Token:", 13) == 0)
            explicit_bzero(t->data, strlen(t->data));
    curl_slist_free_all(hdrs);
    explicit_bzero(pwbuf, sizeof(pwbuf));
    return rc;
}

/* A non-2xx answer -> IC_E* and "<what> refused: Id: Message (HTTP n)". */
static int
http_err(struct rf_client *c, const struct rf_resp *r, const char *what, char *err, size_t errlen)
{
    char msg[768];
    if (rf_parse_error(r->body, r->len, msg, sizeof(msg)) != 0)
        snprintf(msg, sizeof(msg), "no Redfish error body");
    switch (r->status) {
    case 401:
        rf_seterr(err, errlen,
                  "%s refused: %s (HTTP 401: wrong user name or password for '%s', or the account "
                  "is disabled)",
                  what, msg, c->user);
        return IC_EAUTH;
    case 403:
        rf_seterr(err, errlen, "%s refused: %s (HTTP 403: user '%s' lacks the privilege)", what,
                  msg, c->user);
        return IC_EPRIV;
    case 404:
        rf_seterr(err, errlen, "%s: not found on the BMC: %s (HTTP 404)", what, msg);
        return IC_EPROTO;
    case 503:
        rf_seterr(err, errlen, "%s: BMC still busy after %d tries: %s (HTTP 503)", what,
                  RF_BUSY_TRIES, msg);
        return IC_EAGAIN;
    default:
        rf_seterr(err, errlen, "%s refused: %s (HTTP %ld)", what, msg, r->status);
        return IC_ECC;
    }
}

/* Retries 503 with Retry-After, at most RF_BUSY_TRIES times. */
static int
perform_busy(struct rf_client *c, const char *method, const char *path, const char *json,
             size_t jsonlen, const char *if_match, int auth, struct rf_resp *r, const char *what,
             char *err, size_t errlen)
{
    for (int i = 0;; i++) {
        int rc = perform(c, method, path, json, jsonlen, if_match, auth, r, what, err, errlen);
        if (rc || r->status != 503 || i + 1 >= RF_BUSY_TRIES)
            return rc;
        unsigned wait = r->retry_after ? r->retry_after : 1;
        rf_sleep_ms((wait > RF_BUSY_WAIT_MAX ? RF_BUSY_WAIT_MAX : wait) * 1000u);
    }
}

int
rf_get_root(struct rf_client *c, char *err, size_t errlen)
{
    struct rf_resp r = {0};
    char perr[256];
    if (c->have_root)
        return 0;
    int rc =
        perform_busy(c, "GET", "/redfish/v1/", NULL, 0, NULL, 0, &r, "service root", err, errlen);
    if (rc == 0 && (r.status < 200 || r.status > 299))
        rc = http_err(c, &r, "service root", err, errlen);
    if (rc == 0 && (rc = rf_parse_root(r.body, r.len, &c->root, perr, sizeof(perr))) != 0)
        rf_seterr(err, errlen, "service root of %s: %s", c->base, perr);
    if (rc == 0)
        c->have_root = 1;
    rf_resp_free(&r);
    return rc;
}

/* Appends s as a JSON string (quoted, escaped). Returns 0 or -1 if it does not fit. */
static int
json_str(char *buf, size_t cap, size_t *used, const char *s, size_t len)
{
    size_t u = *used;
    if (u + 1 >= cap)
        return -1;
    buf[u++] = '"';
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (u + 7 >= cap)
            return -1;
        if (ch == '"' || ch == '\\') {
            buf[u++] = '\\';
            buf[u++] = (char)ch;
        } else if (ch < 0x20) {
            u += (size_t)snprintf(buf + u, cap - u, "\\u%04x", ch);
        } else {
            buf[u++] = (char)ch;
        }
    }
    if (u + 2 >= cap)
        return -1;
    buf[u++] = '"';
    buf[u] = '\0';
    *used = u;
    return 0;
}

/* Session login; falls back to Basic when the service has no sessions. */
static int
login(struct rf_client *c, char *err, size_t errlen)
{
    /* Built by hand, not with json-c, so the password's only copy is wiped here. */
    char body[512];
    size_t u = 0;
    struct rf_resp r = {0};
    int rc;

    if ((rc = rf_get_root(c, err, errlen)) != 0)
        return rc;
    const char *path =
        c->root.sessions[0] ? c->root.sessions : "/redfish/v1/SessionService/Sessions";
    u = (size_t)snprintf(body, sizeof(body), "{\"UserName\":");
    if (json_str(body, sizeof(body), &u, c->user, strlen(c->user)) || u + 13 >= sizeof(body)) {
        rf_seterr(err, errlen, "user name too long");
        return IC_EINVAL;
    }
    memcpy(body + u, ",\"Password\":", 12);
    u += 12;
    if (json_str(body, sizeof(body), &u, (const char *)secret_bytes(c->pw), secret_len(c->pw)) ||
        u + 2 >= sizeof(body)) {
        explicit_bzero(body, sizeof(body));
        rf_seterr(err, errlen, "password too long");
        return IC_EINVAL;
    }
    body[u++] = '}';
    body[u] = '\0';
    rc = perform_busy(c, "POST", path, body, u, NULL, 0, &r, "login", err, errlen);
    explicit_bzero(body, sizeof(body));
    if (rc)
        goto out;
    if (r.status == 404 || r.status == 405 || r.status == 501) {
        /* No SessionService (some older BMCs): HTTP Basic on every request. */
        c->basic = 1;
        goto out;
    }
    if (r.status < 200 || r.status > 299) {
        rc = http_err(c, &r, "login", err, errlen);
        goto out;
    }
    if (!r.token[0]) {
        rf_seterr(err, errlen, "login: the BMC answered %ld without an X-Auth-Token", r.status);
        rc = IC_EPROTO;
        goto out;
    }
    snprintf(c->token, sizeof(c->token), "%s", r.token);
    snprintf(c->session_uri, sizeof(c->session_uri), "%s", r.location);
out:
    rf_resp_free(&r);
    return rc;
}

int
rf_http(struct rf_client *c, const char *method, const char *path, const char *json,
        const char *if_match, struct rf_resp *r, const char *what, char *err, size_t errlen)
{
    int rc, fresh = 0;
    rf_resp_free(r);
    if (!c->basic && !c->token[0]) {
        if ((rc = login(c, err, errlen)) != 0)
            return rc;
        fresh = 1;
    }
    size_t jl = json ? strlen(json) : 0;
    rc = perform_busy(c, method, path, json, jl, if_match, 1, r, what, err, errlen);
    if (rc == 0 && r->status == 401 && !c->basic && !fresh) {
        /* The session expired or was deleted: log in again, once. */
        explicit_bzero(c->token, sizeof(c->token));
        c->session_uri[0] = '\0';
        if ((rc = login(c, err, errlen)) != 0)
            return rc;
        rc = perform_busy(c, method, path, json, jl, if_match, 1, r, what, err, errlen);
    }
    if (rc == 0 && (r->status < 200 || r->status > 299))
        rc = http_err(c, r, what, err, errlen);
    return rc;
}

int
rf_wait_task(struct rf_client *c, const char *monitor, const char *what, char *err, size_t errlen)
{
    uint64_t deadline = clock_mono_ms() + c->task_timeout_ms;
    struct rf_resp r = {0};
    struct rf_task t;
    char perr[128];
    int rc;

    for (;;) {
        rc = rf_http(c, "GET", monitor, NULL, NULL, &r, what, err, errlen);
        if (rc) {
            if (r.status == 404) /* some BMCs delete the monitor when done */
                rc = 0;
            break;
        }
        int parsed = r.len && rf_parse_task(r.body, r.len, &t, perr, sizeof(perr)) == 0;
        if (parsed && t.state == RF_TASK_FAILED) {
            rf_seterr(err, errlen, "%s failed: task %s: %s", what, t.task_state,
                      t.message[0] ? t.message : "(no message)");
            rc = IC_ECC;
            break;
        }
        if (r.status != 202 && (!parsed || t.state == RF_TASK_DONE))
            break; /* 200/204: the operation's own answer, or a finished task */
        if (clock_mono_ms() >= deadline) {
            rf_seterr(err, errlen, "%s: task still %s after %u s", what,
                      parsed ? t.task_state : "running", c->task_timeout_ms / 1000);
            rc = IC_ETIMEDOUT;
            break;
        }
        unsigned wait = r.retry_after ? r.retry_after : 1;
        rf_sleep_ms((wait > RF_BUSY_WAIT_MAX ? RF_BUSY_WAIT_MAX : wait) * 1000u);
    }
    rf_resp_free(&r);
    return rc;
}

void
rf_client_free(struct rf_client *c)
{
    if (!c)
        return;
    if (c->h && c->token[0] && c->session_uri[0]) {
        struct rf_resp r = {0};
        char err[64];
        /* Best effort, short: a dead BMC must not hold up the caller. */
        unsigned t = c->timeout_ms;
        c->timeout_ms = t < 5000 ? t : 5000;
        perform(c, "DELETE", c->session_uri, NULL, 0, NULL, 1, &r, "logout", err, sizeof(err));
        rf_resp_free(&r);
    }
    if (c->h)
        curl_easy_cleanup(c->h);
    secret_free(c->pw);
    explicit_bzero(c->token, sizeof(c->token));
    free(c);
}
