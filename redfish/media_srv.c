/* SPDX-License-Identifier: Apache-2.0 */
/*
 * media_srv.c - serves local image files to BMCs under one-time URLs
 * (libmicrohttpd, its own polling thread).
 *
 * A BMC's InsertMedia takes a URL, not a file: rf_media_srv_offer() opens the
 * file (so what is served is what was checked, even if the path changes
 * later) and publishes it at /media/<64 hex of RAND_bytes(32)>/<basename>
 * until a TTL passes or the offer is revoked. Unknown, expired and revoked
 * URLs all answer the same 404, so the answer tells nothing about which ids
 * existed. Files are sent from a descriptor (sendfile where possible), never
 * read into memory; single byte ranges are honoured (206), since BMCs that
 * stream an image read it piecewise.
 *
 * Locking: mu guards the offer list; the MHD thread takes it per request,
 * callers per offer/revoke/stats. Nothing blocks while holding it.
 */
#include "redfish.h"
#include "rf_client.h"
#include "ic_err.h"
#include "clock.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <microhttpd.h>
#include <netdb.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#define MS_ID_BYTES    32
#define MS_ID_HEX      (MS_ID_BYTES * 2)
#define MS_NAME_MAX    200
#define MS_OFFERS_MAX  1024 /* remembered (stats), active or not */
#define MS_DEFAULT_TTL 300000u
#define MS_PEM_MAX     (1u << 20)

struct offer {
    struct offer *next;
    char id[MS_ID_HEX + 1];
    char name[MS_NAME_MAX + 1];
    int fd; /* -1 once revoked or expired */
    off_t size;
    uint64_t expires; /* clock_mono_ms */
    unsigned long fetches, heads;
};

struct rf_media_srv {
    struct MHD_Daemon *d;
    pthread_mutex_t mu;
    struct offer *offers; /* newest first */
    unsigned n;
    char host[300]; /* as put in URLs (IPv6 in brackets) */
    unsigned port;
    int tls;
    char *cert, *key;
};

/* Closes offers whose time is up. Called with mu held. */
static void
expire(struct rf_media_srv *s, uint64_t now)
{
    for (struct offer *o = s->offers; o; o = o->next)
        if (o->fd >= 0 && now >= o->expires) {
            close(o->fd);
            o->fd = -1;
        }
}

/* "id" or ".../media/<id>/..." -> the id, or NULL. */
static struct offer *
find(struct rf_media_srv *s, const char *url_or_id)
{
    const char *p = strstr(url_or_id, "/media/");
    const char *id = p ? p + 7 : url_or_id;
    size_t idlen = strcspn(id, "/");
    if (idlen != MS_ID_HEX)
        return NULL;
    for (struct offer *o = s->offers; o; o = o->next)
        if (memcmp(o->id, id, MS_ID_HEX) == 0)
            return o;
    return NULL;
}

static enum MHD_Result
answer_status(struct MHD_Connection *conn, unsigned status, const char *text)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(strlen(text), (void *)(uintptr_t)text,
                                                             MHD_RESPMEM_PERSISTENT);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain");
    if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
        MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
    enum MHD_Result ret = MHD_queue_response(conn, status, r);
    MHD_destroy_response(r);
    return ret;
}

/* "bytes=a-b", "bytes=a-", "bytes=-n" within size -> [*from, *to]; 0 ok, -1 unsatisfiable/odd. */
static int
parse_range(const char *h, off_t size, off_t *from, off_t *to)
{
    char *end;
    if (strncmp(h, "bytes=", 6) != 0 || strchr(h, ',') || size == 0)
        return -1;
    h += 6;
    if (*h == '-') {
        unsigned long long n = strtoull(h + 1, &end, 10);
        if (*end || n == 0 || end == h + 1)
            return -1;
        *from = (off_t)n >= size ? 0 : size - (off_t)n;
        *to = size - 1;
        return 0;
    }
    unsigned long long a = strtoull(h, &end, 10);
    if (end == h || *end != '-' || (off_t)a >= size)
        return -1;
    h = end + 1;
    unsigned long long b = (unsigned long long)size - 1;
    if (*h) {
        b = strtoull(h, &end, 10);
        if (*end || b < a)
            return -1;
        if ((off_t)b >= size)
            b = (unsigned long long)size - 1;
    }
    *from = (off_t)a;
    *to = (off_t)b;
    return 0;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
           const char *version, const char *upload_data, size_t *upload_data_size, void **ctx)
{
    struct rf_media_srv *s = cls;
    (void)version;
    (void)upload_data;
    (void)ctx;
    if (*upload_data_size)
        return answer_status(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "GET or HEAD only\n");
    int head = strcmp(method, MHD_HTTP_METHOD_HEAD) == 0;
    if (!head && strcmp(method, MHD_HTTP_METHOD_GET) != 0)
        return answer_status(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "GET or HEAD only\n");
    if (strncmp(url, "/media/", 7) != 0)
        return answer_status(conn, MHD_HTTP_NOT_FOUND, "not found\n");

    int fd = -1;
    off_t size = 0;
    pthread_mutex_lock(&s->mu);
    expire(s, clock_mono_ms());
    struct offer *o = find(s, url);
    const char *name = url + 7 + MS_ID_HEX;
    if (o && o->fd >= 0 && name[0] == '/' && strcmp(name + 1, o->name) == 0) {
        /* A description of its own per request (independent offset), same inode as offered. */
        char self[64];
        snprintf(self, sizeof(self), "/proc/self/fd/%d", o->fd);
        fd = open(self, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            fd = fcntl(o->fd, F_DUPFD_CLOEXEC, 0);
        size = o->size;
        if (fd >= 0) {
            if (head)
                o->heads++;
            else
                o->fetches++;
        }
    }
    pthread_mutex_unlock(&s->mu);
    if (fd < 0)
        return answer_status(conn, MHD_HTTP_NOT_FOUND, "not found\n");

    off_t from = 0, to = size - 1;
    unsigned status = MHD_HTTP_OK;
    const char *range = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_RANGE);
    if (range) {
        if (parse_range(range, size, &from, &to) != 0) {
            close(fd);
            struct MHD_Response *r =
                MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
            if (!r)
                return MHD_NO;
            char cr[64];
            snprintf(cr, sizeof(cr), "bytes */%jd", (intmax_t)size);
            MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_RANGE, cr);
            enum MHD_Result ret = MHD_queue_response(conn, MHD_HTTP_RANGE_NOT_SATISFIABLE, r);
            MHD_destroy_response(r);
            return ret;
        }
        status = MHD_HTTP_PARTIAL_CONTENT;
    }
    uint64_t len = size ? (uint64_t)(to - from + 1) : 0;
    struct MHD_Response *r = MHD_create_response_from_fd_at_offset64(len, fd, (uint64_t)from);
    if (!r) {
        close(fd);
        return MHD_NO;
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "application/octet-stream");
    MHD_add_response_header(r, MHD_HTTP_HEADER_ACCEPT_RANGES, "bytes");
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    if (status == MHD_HTTP_PARTIAL_CONTENT) {
        char cr[96];
        snprintf(cr, sizeof(cr), "bytes %jd-%jd/%jd", (intmax_t)from, (intmax_t)to, (intmax_t)size);
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_RANGE, cr);
    }
    enum MHD_Result ret = MHD_queue_response(conn, status, r);
    MHD_destroy_response(r); /* closes fd when the transfer ends */
    return ret;
}

static char *
read_pem(const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "re");
    char *buf = NULL;
    if (!f) {
        rf_seterr(err, errlen, "cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    buf = calloc(1, MS_PEM_MAX + 1);
    size_t n = buf ? fread(buf, 1, MS_PEM_MAX + 1, f) : 0;
    if (buf && (n == 0 || n > MS_PEM_MAX)) {
        rf_seterr(err, errlen, "%s: empty or larger than %u bytes", path, MS_PEM_MAX);
        free(buf);
        buf = NULL;
    } else if (!buf) {
        rf_seterr(err, errlen, "out of memory");
    }
    fclose(f);
    return buf;
}

/* "host:port" / "[v6]:port" -> host (no brackets), port text. */
static int
split_listen(const char *listen, char *host, size_t hostlen, char *port, size_t portlen)
{
    const char *colon = strrchr(listen, ':');
    if (!colon || colon[1] == '\0' || strlen(colon + 1) >= portlen)
        return -1;
    const char *h = listen;
    size_t hl = (size_t)(colon - listen);
    if (hl >= 2 && h[0] == '[' && h[hl - 1] == ']') {
        h++;
        hl -= 2;
    } else if (memchr(h, ':', hl)) {
        return -1; /* an IPv6 literal needs brackets */
    }
    if (hl >= hostlen)
        return -1;
    memcpy(host, h, hl);
    host[hl] = '\0';
    snprintf(port, portlen, "%s", colon + 1);
    for (const char *p = port; *p; p++)
        if (*p < '0' || *p > '9')
            return -1;
    return atoi(port) > 65535 ? -1 : 0;
}

int
rf_media_srv_start(const struct rf_media_srv_opts *o, struct rf_media_srv **out, char *err,
                   size_t errlen)
{
    char host[256], port[8];
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE | AI_NUMERICSERV},
                    *ai = NULL;
    *out = NULL;
    if (!o || !o->listen || split_listen(o->listen, host, sizeof(host), port, sizeof(port))) {
        rf_seterr(err, errlen, "media server: listen address '%s' is not HOST:PORT ([v6]:PORT)",
                  o && o->listen ? o->listen : "");
        return IC_EINVAL;
    }
    const char *pub = o->public_host ? o->public_host : host;
    if (!pub[0] || strcmp(pub, "0.0.0.0") == 0 || strcmp(pub, "::") == 0) {
        rf_seterr(err, errlen,
                  "media server: listening on all addresses (%s), so give the address the BMC "
                  "should fetch from (public host)",
                  o->listen);
        return IC_EINVAL;
    }
    if ((!o->cert_file) != (!o->key_file)) {
        rf_seterr(err, errlen, "media server: TLS needs both a certificate and a key file");
        return IC_EINVAL;
    }
    struct rf_media_srv *s = calloc(1, sizeof(*s));
    if (!s) {
        rf_seterr(err, errlen, "out of memory");
        return IC_ENOMEM;
    }
    pthread_mutex_init(&s->mu, NULL);
    snprintf(s->host, sizeof(s->host), strchr(pub, ':') ? "[%s]" : "%s", pub);
    int rc = IC_EIO, gai = getaddrinfo(host[0] ? host : NULL, port, &hints, &ai);
    if (gai != 0) {
        rf_seterr(err, errlen, "media server: cannot resolve '%s': %s", host, gai_strerror(gai));
        rc = IC_EINVAL;
        goto fail;
    }
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO;
    if (ai->ai_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    if (o->cert_file) {
        if (!(s->cert = read_pem(o->cert_file, err, errlen)) ||
            !(s->key = read_pem(o->key_file, err, errlen)))
            goto fail;
        flags |= MHD_USE_TLS;
        s->tls = 1;
        s->d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR,
                                ai->ai_addr, MHD_OPTION_CONNECTION_TIMEOUT, 120u,
                                MHD_OPTION_CONNECTION_LIMIT, 64u, MHD_OPTION_HTTPS_MEM_KEY, s->key,
                                MHD_OPTION_HTTPS_MEM_CERT, s->cert, MHD_OPTION_END);
    } else {
        s->d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR,
                                ai->ai_addr, MHD_OPTION_CONNECTION_TIMEOUT, 120u,
                                MHD_OPTION_CONNECTION_LIMIT, 64u, MHD_OPTION_END);
    }
    if (!s->d) {
        rf_seterr(err, errlen, "media server: cannot listen on %s (address in use or not local%s)",
                  o->listen, s->tls ? ", or bad certificate/key" : "");
        goto fail;
    }
    const union MHD_DaemonInfo *li = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_LISTEN_FD);
    struct sockaddr_storage ss;
    socklen_t sl = sizeof(ss);
    if (li && getsockname(li->listen_fd, (struct sockaddr *)&ss, &sl) == 0)
        s->port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                                 : ((struct sockaddr_in *)&ss)->sin_port);
    freeaddrinfo(ai);
    *out = s;
    return 0;
fail:
    if (ai)
        freeaddrinfo(ai);
    rf_media_srv_stop(s);
    return rc;
}

void
rf_media_srv_stop(struct rf_media_srv *s)
{
    if (!s)
        return;
    if (s->d)
        MHD_stop_daemon(s->d);
    struct offer *o = s->offers;
    while (o) {
        struct offer *next = o->next;
        if (o->fd >= 0)
            close(o->fd);
        free(o);
        o = next;
    }
    pthread_mutex_destroy(&s->mu);
    free(s->cert);
    if (s->key) {
        explicit_bzero(s->key, strlen(s->key));
        free(s->key);
    }
    free(s);
}

unsigned
rf_media_srv_port(const struct rf_media_srv *s)
{
    return s ? s->port : 0;
}

/* Drops the oldest inactive offers beyond MS_OFFERS_MAX. Called with mu held. */
static void
trim(struct rf_media_srv *s)
{
    while (s->n >= MS_OFFERS_MAX) {
        struct offer **pp = &s->offers, **victim = NULL;
        for (; *pp; pp = &(*pp)->next)
            if ((*pp)->fd < 0)
                victim = pp; /* the last inactive one is the oldest */
        if (!victim)
            return;
        struct offer *v = *victim;
        *victim = v->next;
        free(v);
        s->n--;
    }
}

/* Percent-encodes all but RFC 3986 unreserved characters. */
static int
url_escape(const char *in, char *out, size_t outlen)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t u = 0;
    for (const unsigned char *p = (const unsigned char *)in; *p; p++) {
        if (u + 4 >= outlen)
            return -1;
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '.' || *p == '_' || *p == '~') {
            out[u++] = (char)*p;
        } else {
            out[u++] = '%';
            out[u++] = hex[*p >> 4];
            out[u++] = hex[*p & 15];
        }
    }
    out[u] = '\0';
    return 0;
}

int
rf_media_srv_offer(struct rf_media_srv *s, const char *local_path, unsigned ttl_ms, char *url,
                   size_t urllen, char *err, size_t errlen)
{
    unsigned char rnd[MS_ID_BYTES];
    char esc[MS_NAME_MAX * 3 + 1];
    struct stat st;
    if (url && urllen)
        url[0] = '\0';
    const char *slash = local_path ? strrchr(local_path, '/') : NULL;
    const char *base = slash ? slash + 1 : local_path;
    if (!base || !base[0] || strlen(base) > MS_NAME_MAX || strcmp(base, ".") == 0 ||
        strcmp(base, "..") == 0) {
        rf_seterr(err, errlen, "media: '%s' does not name a file", local_path ? local_path : "");
        return IC_EINVAL;
    }
    int fd = open(local_path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        rf_seterr(err, errlen, "media: cannot open %s: %s", local_path, strerror(errno));
        return IC_EIO;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        rf_seterr(err, errlen, "media: %s is not a regular file", local_path);
        close(fd);
        return IC_EINVAL;
    }
    if (url_escape(base, esc, sizeof(esc)) != 0 || RAND_bytes(rnd, sizeof(rnd)) != 1) {
        rf_seterr(err, errlen, "media: cannot make a URL for %s", local_path);
        close(fd);
        return IC_EIO;
    }
    struct offer *o = calloc(1, sizeof(*o));
    if (!o) {
        close(fd);
        rf_seterr(err, errlen, "out of memory");
        return IC_ENOMEM;
    }
    for (size_t i = 0; i < sizeof(rnd); i++)
        snprintf(o->id + 2 * i, 3, "%02x", rnd[i]);
    snprintf(o->name, sizeof(o->name), "%s", base);
    o->fd = fd;
    o->size = st.st_size;
    o->expires = clock_mono_ms() + (ttl_ms ? ttl_ms : MS_DEFAULT_TTL);
    int n = snprintf(url, urllen, "%s://%s:%u/media/%s/%s", s->tls ? "https" : "http", s->host,
                     s->port, o->id, esc);
    if (n < 0 || (size_t)n >= urllen) {
        rf_seterr(err, errlen, "media: URL buffer too small");
        close(fd);
        free(o);
        if (url && urllen)
            url[0] = '\0';
        return IC_ETOOBIG;
    }
    pthread_mutex_lock(&s->mu);
    expire(s, clock_mono_ms());
    trim(s);
    o->next = s->offers;
    s->offers = o;
    s->n++;
    pthread_mutex_unlock(&s->mu);
    return 0;
}

int
rf_media_srv_revoke(struct rf_media_srv *s, const char *url_or_id)
{
    if (!s || !url_or_id)
        return 0;
    pthread_mutex_lock(&s->mu);
    struct offer *o = find(s, url_or_id);
    if (o && o->fd >= 0) {
        close(o->fd);
        o->fd = -1;
    }
    pthread_mutex_unlock(&s->mu);
    return o != NULL;
}

int
rf_media_srv_stats(struct rf_media_srv *s, const char *url_or_id, struct rf_media_srv_stats *out)
{
    memset(out, 0, sizeof(*out));
    if (!s || !url_or_id)
        return 0;
    pthread_mutex_lock(&s->mu);
    expire(s, clock_mono_ms());
    struct offer *o = find(s, url_or_id);
    if (o) {
        out->fetches = o->fetches;
        out->heads = o->heads;
        out->active = o->fd >= 0;
    }
    pthread_mutex_unlock(&s->mu);
    return o != NULL;
}
