/* SPDX-License-Identifier: Apache-2.0 */
/*
 * http.c - the HTTP server (libmicrohttpd, its own polling thread).
 *
 * Routes: GET /metrics (every target), GET /ipmi?target=T&module=M (one
 * target, ipmi_exporter's format; module is accepted and ignored: the
 * collectors come from our config), GET / (status page), GET /-/healthy,
 * GET /-/ready, POST /-/reload. Responses to scrapes are gzip-compressed
 * when the client accepts it.
 *
 * Locking: none here. Each request takes references to the current
 * snapshots (snap_hub_acquire, a short lock inside the hub), renders without
 * any lock and releases them; reload runs the caller's callback on the HTTP
 * thread. /metrics is streamed: rendered (and compressed) piece by piece as
 * the socket takes it, so its memory does not grow with the fleet; its
 * snapshot references are held until the response is sent (struct stream).
 */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <openssl/crypto.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <zlib.h>

#include "deliver_int.h"
#include "exp_int.h"

#define HTTP_CONN_LIMIT   256
#define HTTP_CONN_TIMEOUT 30    /* seconds */
#define HTTP_BODY_MAX     16384 /* an API request body */

static const char CT_PROM[] = "text/plain; version=0.0.4; charset=utf-8";
static const char CT_TEXT[] = "text/plain; charset=utf-8";
static const char CT_HTML[] = "text/html; charset=utf-8";

struct exp_http {
    struct MHD_Daemon *d;
    struct exp_http_opts o;
    char *listen;
    char *version;
    char *cert, *key; /* PEM, kept while the server runs */
    uint16_t port;
};

/* Per-request state: the method check happens once the body (if any) is read. */
struct req {
    size_t body; /* bytes received */
    char *buf;   /* API POST bodies (up to HTTP_BODY_MAX); others are dropped */
    size_t len;
    struct exp_api_conn *api; /* an action waiting for the daemon */
};

/* ---- responses ---------------------------------------------------------------------- */

static enum MHD_Result
reply_take(struct MHD_Connection *c, unsigned status, const char *ctype, char *body, size_t len,
           int gzip)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(
        len, body, body ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
    if (!r) {
        free(body);
        return MHD_NO;
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
    if (gzip)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
    MHD_add_response_header(r, MHD_HTTP_HEADER_VARY, "Accept-Encoding");
    enum MHD_Result ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result
reply_text(struct MHD_Connection *c, unsigned status, const char *text)
{
    size_t n = strlen(text);
    char *p = malloc(n + 1);
    if (!p)
        return MHD_NO;
    memcpy(p, text, n + 1);
    return reply_take(c, status, CT_TEXT, p, n, 0);
}

static enum MHD_Result
reply_allow(struct MHD_Connection *c, const char *allow)
{
    static char text[] = "method not allowed\n";
    struct MHD_Response *r =
        MHD_create_response_from_buffer(sizeof(text) - 1, text, MHD_RESPMEM_PERSISTENT);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, CT_TEXT);
    MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, allow);
    enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_METHOD_NOT_ALLOWED, r);
    MHD_destroy_response(r);
    return ret;
}

static int
accepts_gzip(struct MHD_Connection *c)
{
    const char *ae = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Encoding");
    if (!ae)
        return 0;
    /* A token "gzip", unless refused with q=0. */
    for (const char *p = ae; (p = strstr(p, "gzip")) != NULL; p += 4) {
        const char *e = p + 4 + strspn(p + 4, " ");
        if (strncmp(e, ";q=0", 4) == 0) {
            const char *q = e + 4;
            q += *q == '.' ? 1 : 0;
            q += strspn(q, "0");
            q += strspn(q, " ");
            if (*q == '\0' || *q == ',')
                continue;
        }
        return 1;
    }
    return 0;
}

/*
 * zlib's fastest level: on 50 targets' /metrics it compresses 290 KB to
 * 24 KB instead of level 6's 18 KB, in a fifth of the CPU; a scrape repeats
 * every interval, the bytes cross a LAN once.
 */
#define GZIP_LEVEL 1

/* gzip of p[0..n) in a new buffer, or NULL. */
static char *
gzip_bytes(const char *p, size_t n, size_t *outlen)
{
    z_stream z;
    memset(&z, 0, sizeof(z));
    if (deflateInit2(&z, GZIP_LEVEL, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return NULL;
    uLong cap = deflateBound(&z, (uLong)n);
    char *out = malloc(cap);
    if (!out) {
        deflateEnd(&z);
        return NULL;
    }
    z.next_in = (Bytef *)(uintptr_t)p;
    z.avail_in = (uInt)n;
    z.next_out = (Bytef *)out;
    z.avail_out = (uInt)cap;
    int rc = deflate(&z, Z_FINISH);
    *outlen = z.total_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END) {
        free(out);
        return NULL;
    }
    return out;
}

/* Sends a rendered exposition (takes b's bytes), compressed if the client accepts it. */
static enum MHD_Result
reply_exposition(struct MHD_Connection *c, struct exp_buf *b)
{
    if (b->err) {
        exp_buf_free(b);
        return reply_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "rendering failed\n");
    }
    size_t n;
    char *p = exp_buf_take(b, &n);
    if (accepts_gzip(c) && n < UINT32_MAX) {
        size_t zn;
        char *z = gzip_bytes(p ? p : "", n, &zn);
        if (z) {
            free(p);
            return reply_take(c, MHD_HTTP_OK, CT_PROM, z, zn, 1);
        }
    }
    return reply_take(c, MHD_HTTP_OK, CT_PROM, p, n, 0);
}

/* ---- routes ------------------------------------------------------------------------------ */

/*
 * A streamed /metrics: the cursor renders a piece each time libmicrohttpd
 * asks for data (chunked encoding, or read-until-close for HTTP/1.0), and,
 * for gzip, each piece goes through one deflate stream. The response holds
 * its snapshot references until libmicrohttpd frees it (stream_free).
 */
struct stream {
    struct exp_fleet_cursor *cur;
    struct snap_target **v;
    size_t n;
    struct exp_receiver_stats *ds;
    int gzip, zend;
    z_stream z;
};

static void
stream_free(void *cls)
{
    struct stream *s = cls;
    exp_fleet_cursor_free(s->cur);
    snap_hub_release(s->v, s->n);
    free(s->ds);
    if (s->gzip)
        deflateEnd(&s->z);
    free(s);
}

static ssize_t
stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    (void)pos;
    struct stream *s = cls;
    if (!s->gzip) {
        ssize_t n = exp_fleet_cursor_read(s->cur, buf, max);
        return n > 0    ? n
               : n == 0 ? MHD_CONTENT_READER_END_OF_STREAM
                        : MHD_CONTENT_READER_END_WITH_ERROR;
    }
    uInt cap = max < UINT32_MAX ? (uInt)max : UINT32_MAX;
    s->z.next_out = (Bytef *)buf;
    s->z.avail_out = cap;
    while (s->z.avail_out > 0 && !s->zend) {
        const char *p;
        ssize_t n = exp_fleet_cursor_data(s->cur, &p);
        if (n < 0)
            return MHD_CONTENT_READER_END_WITH_ERROR;
        /* Pieces are EXP_CURSOR_CHUNK plus one target's series: far below 4 GiB. */
        uInt in = (uInt)n;
        s->z.next_in = (Bytef *)(uintptr_t)p;
        s->z.avail_in = in;
        int rc = deflate(&s->z, n == 0 ? Z_FINISH : Z_NO_FLUSH);
        exp_fleet_cursor_consume(s->cur, in - s->z.avail_in);
        if (rc == Z_STREAM_END)
            s->zend = 1;
        else if (rc != Z_OK && rc != Z_BUF_ERROR)
            return MHD_CONTENT_READER_END_WITH_ERROR;
    }
    size_t out = cap - s->z.avail_out;
    return out ? (ssize_t)out : MHD_CONTENT_READER_END_OF_STREAM;
}

static enum MHD_Result
route_metrics(struct exp_http *h, struct MHD_Connection *c, int head)
{
    struct stream *s = calloc(1, sizeof(*s));
    if (!s)
        return reply_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory\n");
    snap_hub_refresh(h->o.hub);
    s->n = snap_hub_acquire(h->o.hub, &s->v);
    struct snap_daemon d;
    snap_hub_get_daemon(h->o.hub, &d);
    int has_delivery;
    size_t nds = snap_hub_get_delivery(h->o.hub, &s->ds, &has_delivery);
    s->cur = exp_fleet_cursor_new(s->v, s->n, &d, h->version, 0);
    /* As before streaming: if zlib cannot start, the client gets the text uncompressed. */
    if (s->cur && accepts_gzip(c))
        s->gzip =
            deflateInit2(&s->z, GZIP_LEVEL, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK;
    if (!s->cur) {
        stream_free(s);
        return reply_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "rendering failed\n");
    }
    exp_fleet_cursor_delivery(s->cur, s->ds, nds);
    struct MHD_Response *r =
        MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64 << 10, stream_read, s, stream_free);
    if (!r) {
        stream_free(s);
        return MHD_NO;
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, CT_PROM);
    if (s->gzip)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
    MHD_add_response_header(r, MHD_HTTP_HEADER_VARY, "Accept-Encoding");
    /*
     * libmicrohttpd 0.9.75 sends the last chunk ("0\r\n\r\n") after the
     * headers of a HEAD response: a body a keep-alive client would take for
     * the next response. Answering HEAD as HTTP/1.0 (no chunking; the
     * connection closes after the headers) avoids it.
     */
    if (head)
        MHD_set_response_options(r, MHD_RF_HTTP_1_0_COMPATIBLE_STRICT, MHD_RO_END);
    enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return ret;
}

/* T names a target by its name, its host, or host:port. */
static int
target_matches(const struct snap_target *t, const char *want)
{
    if (strcmp(t->name, want) == 0 || strcmp(t->host, want) == 0)
        return 1;
    size_t hl = strlen(t->host);
    if (strncmp(want, t->host, hl) != 0 || want[hl] != ':')
        return 0;
    char *end;
    unsigned long port = strtoul(want + hl + 1, &end, 10);
    return *end == '\0' && port == (t->port ? t->port : 623);
}

static enum MHD_Result
route_ipmi(struct exp_http *h, struct MHD_Connection *c)
{
    const char *target = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "target");
    if (!target || !*target)
        return reply_text(c, MHD_HTTP_BAD_REQUEST, "'target' parameter must be specified\n");
    struct snap_target **v = NULL;
    size_t n = snap_hub_acquire(h->o.hub, &v);
    const struct snap_target *t = NULL;
    for (size_t i = 0; i < n && !t; i++)
        if (target_matches(v[i], target))
            t = v[i];
    /* A target we do not poll renders like an unreachable BMC: every ipmi_up is 0. */
    struct exp_buf b;
    exp_buf_init(&b, 0);
    exp_prom_ipmi(&b, t);
    snap_hub_release(v, n);
    return reply_exposition(c, &b);
}

static void
html_escape(struct exp_buf *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<':
            exp_buf_puts(b, "&lt;");
            break;
        case '>':
            exp_buf_puts(b, "&gt;");
            break;
        case '&':
            exp_buf_puts(b, "&amp;");
            break;
        case '"':
            exp_buf_puts(b, "&quot;");
            break;
        case '\'':
            exp_buf_puts(b, "&#39;");
            break;
        default:
            exp_buf_putc(b, *s);
        }
    }
}

static enum MHD_Result
route_status(struct exp_http *h, struct MHD_Connection *c)
{
    struct snap_target **v = NULL;
    size_t n = snap_hub_acquire(h->o.hub, &v);
    struct exp_buf b;
    exp_buf_init(&b, 0);
    exp_buf_puts(&b, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>ipmi-collector"
                     "</title></head><body>\n<h1>ipmi-collector ");
    html_escape(&b, h->version);
    exp_buf_printf(&b,
                   "</h1>\n<p><a href=\"/metrics\">/metrics</a> &middot; %zu targets &middot; "
                   "%s</p>\n<table border=\"1\" cellpadding=\"3\">\n<tr><th>target</th>"
                   "<th>address</th><th>state</th><th>last poll (UTC)</th><th>last error</th>"
                   "</tr>\n",
                   n, snap_hub_ready(h->o.hub) ? "ready" : "starting");
    for (size_t i = 0; i < n; i++) {
        const struct snap_target *t = v[i];
        char when[32] = "never";
        if (t->last_poll_unix_ms) {
            time_t s = (time_t)(t->last_poll_unix_ms / 1000);
            struct tm tm;
            gmtime_r(&s, &tm);
            strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
        }
        exp_buf_puts(&b, "<tr><td><a href=\"/ipmi?target=");
        html_escape(&b, t->name); /* names are config identifiers; quotes are escaped */
        exp_buf_puts(&b, "\">");
        html_escape(&b, t->name);
        exp_buf_puts(&b, "</a></td><td>");
        html_escape(&b, t->host);
        exp_buf_printf(&b, ":%u</td><td>", (unsigned)(t->port ? t->port : 623));
        html_escape(&b, t->state);
        exp_buf_printf(&b, "</td><td>%s</td><td>", when);
        html_escape(&b, t->last_error);
        exp_buf_puts(&b, "</td></tr>\n");
    }
    snap_hub_release(v, n);
    exp_buf_puts(&b, "</table>\n</body></html>\n");
    if (b.err) {
        exp_buf_free(&b);
        return reply_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "rendering failed\n");
    }
    size_t len;
    char *p = exp_buf_take(&b, &len);
    return reply_take(c, MHD_HTTP_OK, CT_HTML, p, len, 0);
}

static enum MHD_Result
route_reload(struct exp_http *h, struct MHD_Connection *c)
{
    char msg[1024] = "";
    int rc = h->o.reload(h->o.reload_arg, msg, sizeof(msg) - 2);
    size_t n = strlen(msg);
    if (n == 0)
        snprintf(msg, sizeof(msg), "%s", rc == 0 ? "reloaded" : "reload failed");
    n = strlen(msg);
    if (msg[n - 1] != '\n')
        msg[n] = '\n', msg[n + 1] = '\0';
    return reply_text(c, rc == 0 ? MHD_HTTP_OK : MHD_HTTP_INTERNAL_SERVER_ERROR, msg);
}

static enum MHD_Result
dispatch(struct exp_http *h, struct MHD_Connection *c, struct req *r, const char *url,
         const char *method)
{
    int get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
    enum MHD_Result ret;
    if (strncmp(url, "/api/v1/", 8) == 0) {
        if (r->body > HTTP_BODY_MAX)
            return reply_text(c, MHD_HTTP_CONTENT_TOO_LARGE, "request body too large\n");
        return exp_api_handle(h->o.api, h->o.hub, c, url, method, r->buf, r->len, &r->api);
    }
    if (strcmp(url, "/-/reload") == 0) {
        if (!h->o.reload)
            return reply_text(c, MHD_HTTP_NOT_FOUND, "not found\n");
        if (strcmp(method, "POST") != 0)
            return reply_allow(c, "POST");
        /* With API tokens configured, changing the running configuration is an admin's act. */
        if (exp_api_enabled(h->o.api) && !exp_api_gate(h->o.api, c, EXP_ROLE_ADMIN, &ret))
            return ret;
        return route_reload(h, c);
    }
    static const char *const get_routes[] = {"/metrics", "/ipmi", "/", "/-/healthy", "/-/ready"};
    size_t k = 0;
    while (k < 5 && strcmp(url, get_routes[k]) != 0)
        k++;
    if (k == 5)
        return reply_text(c, MHD_HTTP_NOT_FOUND, "not found\n");
    if (!get)
        return reply_allow(c, "GET, HEAD");
    if (k <= 1 && exp_api_protects_metrics(h->o.api) && /* /metrics, /ipmi */
        !exp_api_gate(h->o.api, c, EXP_ROLE_READ, &ret))
        return ret;
    switch (k) {
    case 0:
        return route_metrics(h, c, strcmp(method, "HEAD") == 0);
    case 1:
        return route_ipmi(h, c);
    case 2:
        return route_status(h, c);
    case 3:
        return reply_text(c, MHD_HTTP_OK, "OK\n");
    default:
        if (snap_hub_ready(h->o.hub))
            return reply_text(c, MHD_HTTP_OK, "OK\n");
        return reply_text(c, MHD_HTTP_SERVICE_UNAVAILABLE, "not ready: first polls running\n");
    }
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
           const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
    (void)version;
    struct exp_http *h = cls;
    struct req *r = *con_cls;
    if (!r) {
        r = calloc(1, sizeof(*r));
        if (!r)
            return MHD_NO;
        *con_cls = r;
        return MHD_YES;
    }
    if (*upload_size) {
        /* Only the API reads bodies; the rest are dropped. Past the bound: 413 at the end. */
        size_t n = *upload_size;
        if (strncmp(url, "/api/v1/", 8) == 0 && r->body + n <= HTTP_BODY_MAX) {
            char *b = realloc(r->buf, r->len + n + 1);
            if (!b)
                return MHD_NO;
            memcpy(b + r->len, upload, n);
            r->len += n;
            b[r->len] = '\0';
            r->buf = b;
        }
        r->body += n;
        *upload_size = 0;
        return r->body > 64 * HTTP_BODY_MAX ? MHD_NO : MHD_YES;
    }
    return dispatch(h, c, r, url, method);
}

static void
on_done(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode t)
{
    (void)cls;
    (void)c;
    (void)t;
    struct req *r = *con_cls;
    if (r) {
        exp_api_conn_free(r->api);
        free(r->buf);
        free(r);
    }
    *con_cls = NULL;
}

/* ---- start / stop -------------------------------------------------------------------------- */

/* "host:port", "[v6]:port", ":port" (any address). */
static int
parse_listen(const char *s, struct sockaddr_storage *ss, socklen_t *len, char *err, size_t errlen)
{
    char host[256];
    const char *port;
    if (s[0] == '[') {
        const char *e = strchr(s, ']');
        if (!e || e[1] != ':' || (size_t)(e - s - 1) >= sizeof(host))
            goto bad;
        memcpy(host, s + 1, (size_t)(e - s - 1));
        host[e - s - 1] = '\0';
        port = e + 2;
    } else {
        const char *e = strrchr(s, ':');
        if (!e || (size_t)(e - s) >= sizeof(host))
            goto bad;
        memcpy(host, s, (size_t)(e - s));
        host[e - s] = '\0';
        port = e + 1;
    }
    char *end;
    unsigned long p = strtoul(port, &end, 10);
    if (!*port || *end || p > 65535)
        goto bad;
    memset(ss, 0, sizeof(*ss));
    struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
    if (host[0] == '\0' || strcmp(host, "0.0.0.0") == 0 || strcmp(host, "*") == 0) {
        a4->sin_family = AF_INET;
        a4->sin_addr.s_addr = htonl(INADDR_ANY);
        a4->sin_port = htons((uint16_t)p);
        *len = sizeof(*a4);
    } else if (inet_pton(AF_INET, host, &a4->sin_addr) == 1) {
        a4->sin_family = AF_INET;
        a4->sin_port = htons((uint16_t)p);
        *len = sizeof(*a4);
    } else if (inet_pton(AF_INET6, host, &a6->sin6_addr) == 1) {
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons((uint16_t)p);
        *len = sizeof(*a6);
    } else if (strcmp(host, "localhost") == 0) {
        a4->sin_family = AF_INET;
        a4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        a4->sin_port = htons((uint16_t)p);
        *len = sizeof(*a4);
    } else {
        snprintf(err, errlen, "listen %s: the address must be numeric (or localhost)", s);
        return IC_ECONFIG;
    }
    return 0;
bad:
    snprintf(err, errlen, "listen %s: expected HOST:PORT or [IPv6]:PORT", s);
    return IC_ECONFIG;
}

int
exp_http_start(const struct exp_http_opts *o, struct exp_http **out, char *err, size_t errlen)
{
    struct sockaddr_storage ss;
    socklen_t sl;
    *out = NULL;
    if (!o || !o->listen || !o->hub) {
        snprintf(err, errlen, "http: listen address and hub are required");
        return IC_EINVAL;
    }
    if (parse_listen(o->listen, &ss, &sl, err, errlen) != 0)
        return IC_EIO;
    struct exp_http *h = calloc(1, sizeof(*h));
    if (!h)
        return IC_ENOMEM;
    h->o = *o;
    h->listen = strdup(o->listen);
    h->version = strdup(o->version ? o->version : IC_VERSION);
    if (!h->listen || !h->version) {
        exp_http_stop(h);
        return IC_ENOMEM;
    }
    h->o.listen = h->listen;
    h->o.version = h->version;
    h->o.tls_cert_pem = h->o.tls_key_pem = NULL;

    /* Suspend/resume: an API action waits for the daemon without holding the HTTP thread. */
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG |
                     MHD_ALLOW_SUSPEND_RESUME | MHD_ALLOW_UPGRADE;
    if (ss.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    int tls = o->tls_cert_pem && o->tls_key_pem;
    if (tls) {
        if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
            snprintf(err, errlen, "listen %s: this libmicrohttpd has no TLS support", o->listen);
            exp_http_stop(h);
            return IC_ECONFIG;
        }
        h->cert = strdup(o->tls_cert_pem);
        h->key = strdup(o->tls_key_pem);
        if (!h->cert || !h->key) {
            exp_http_stop(h);
            return IC_ENOMEM;
        }
        flags |= MHD_USE_TLS;
    }
    /* Without TLS the two HTTPS options are skipped (MHD_OPTION_END ends the list early). */
    h->d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, h, MHD_OPTION_SOCK_ADDR,
                            (struct sockaddr *)&ss, MHD_OPTION_CONNECTION_LIMIT,
                            (unsigned)HTTP_CONN_LIMIT, MHD_OPTION_CONNECTION_TIMEOUT,
                            (unsigned)HTTP_CONN_TIMEOUT, MHD_OPTION_NOTIFY_COMPLETED, on_done, NULL,
                            tls ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, h->cert,
                            MHD_OPTION_HTTPS_MEM_KEY, h->key, MHD_OPTION_END);
    if (!h->d) {
        snprintf(err, errlen,
                 tls ? "listen %s: cannot start HTTPS (address in use, or a certificate and key "
                       "that do not load or do not match?)"
                     : "listen %s: cannot bind (address in use or not local?)",
                 o->listen);
        exp_http_stop(h);
        return IC_EIO;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_LISTEN_FD);
    struct sockaddr_storage bound;
    socklen_t bl = sizeof(bound);
    if (di && getsockname(di->listen_fd, (struct sockaddr *)&bound, &bl) == 0)
        h->port = ntohs(bound.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&bound)->sin6_port
                                                    : ((struct sockaddr_in *)&bound)->sin_port);
    *out = h;
    return 0;
}

uint16_t
exp_http_port(const struct exp_http *h)
{
    return h ? h->port : 0;
}

void
exp_http_stop(struct exp_http *h)
{
    if (!h)
        return;
    if (h->d)
        MHD_stop_daemon(h->d);
    free(h->listen);
    free(h->version);
    free(h->cert);
    if (h->key)
        OPENSSL_cleanse(h->key, strlen(h->key));
    free(h->key);
    free(h);
}
