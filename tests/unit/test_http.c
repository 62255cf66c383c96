/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_http.c - exporters/http.c on 127.0.0.1, ephemeral port: routes,
 * status codes, content types, gzip, streamed /metrics, reload, readiness.
 * The client is a plain HTTP/1.0 (or 1.1, for chunked transfers) socket, so
 * nothing but the server is under test.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include "deliver_int.h"

struct resp {
    int status;
    char headers[4096];
    char *body;
    size_t len;
};

static void
resp_free(struct resp *r)
{
    free(r->body);
    r->body = NULL;
}

static struct resp
request_v(uint16_t port, const char *proto, const char *method, const char *path, const char *extra)
{
    struct resp r = {0};
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
    char req[1024];
    int n = snprintf(req, sizeof(req), "%s %s %s\r\nHost: 127.0.0.1\r\n%s\r\n", method, path, proto,
                     extra ? extra : "");
    assert_int_equal(write(fd, req, (size_t)n), n);
    size_t cap = 65536, len = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    for (;;) {
        if (len + 4096 > cap) {
            cap *= 2;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
        ssize_t k = read(fd, buf + len, cap - len - 1);
        assert_true(k >= 0);
        if (k == 0)
            break;
        len += (size_t)k;
    }
    close(fd);
    buf[len] = '\0';
    char *sep = strstr(buf, "\r\n\r\n");
    assert_non_null(sep);
    assert_int_equal(sscanf(buf, "HTTP/1.%*c %d", &r.status), 1);
    size_t hl = (size_t)(sep - buf);
    assert_true(hl < sizeof(r.headers));
    memcpy(r.headers, buf, hl);
    r.headers[hl] = '\0';
    r.len = len - hl - 4;
    r.body = malloc(r.len + 1);
    assert_non_null(r.body);
    memcpy(r.body, sep + 4, r.len);
    r.body[r.len] = '\0';
    free(buf);
    return r;
}

static struct resp
request(uint16_t port, const char *method, const char *path, const char *extra)
{
    return request_v(port, "HTTP/1.0", method, path, extra);
}

static const char *
header(const struct resp *r, const char *name)
{
    static char val[512];
    const char *p = r->headers;
    size_t nl = strlen(name);
    while ((p = strstr(p, "\r\n")) != NULL) {
        p += 2;
        if (strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
            const char *v = p + nl + 1 + strspn(p + nl + 1, " ");
            size_t vl = strcspn(v, "\r");
            snprintf(val, sizeof(val), "%.*s", (int)vl, v);
            return val;
        }
    }
    return NULL;
}

struct fixture {
    struct snap_hub *hub;
    struct exp_http *http;
    uint16_t port;
    int reloads;
    int reload_fail;
};

static int
on_reload(void *arg, char *msg, size_t msglen)
{
    struct fixture *f = arg;
    f->reloads++;
    if (f->reload_fail) {
        snprintf(msg, msglen, "config.yml:3: unknown key 'tagets'");
        return IC_ECONFIG;
    }
    snprintf(msg, msglen, "reloaded: 1 target");
    return 0;
}

static int
setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    f->hub = snap_hub_new();
    assert_non_null(f->hub);
    char k[] = "rack", v[] = "r<1>";
    struct snap_label l[] = {{k, v}};
    struct snap_target *t = snap_target_new("bmc<001>", "127.0.0.1", 19101, l, 1);
    assert_non_null(t);
    struct snap_reading r = {.record_id = 2,
                             .sensor_type = 1,
                             .event_type = 1,
                             .unit_base = 1,
                             .threshold = 1,
                             .has_value = 1,
                             .state = IPMI_STATE_OK,
                             .value = 49};
    snprintf(r.name, sizeof(r.name), "CPU1 Temp");
    assert_int_equal(snap_target_set_readings(t, &r, 1), 0);
    t->collectors = t->collectors_ok = SNAP_COLL_SENSORS;
    t->up = 1;
    snprintf(t->state, sizeof(t->state), "up");
    snprintf(t->last_error, sizeof(t->last_error), "<script>x</script>");
    assert_int_equal(snap_hub_put(f->hub, 0, t), 0);

    struct exp_http_opts o = {.listen = "127.0.0.1:0",
                              .hub = f->hub,
                              .version = "9.9.9",
                              .reload = on_reload,
                              .reload_arg = f};
    char err[256];
    assert_int_equal(exp_http_start(&o, &f->http, err, sizeof(err)), 0);
    f->port = exp_http_port(f->http);
    assert_true(f->port != 0);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *f = *state;
    exp_http_stop(f->http);
    snap_hub_free(f->hub);
    free(f);
    return 0;
}

static void
test_metrics(void **state)
{
    struct fixture *f = *state;
    struct resp r = request(f->port, "GET", "/metrics", NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(header(&r, "Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
    assert_null(header(&r, "Content-Encoding"));
    assert_non_null(strstr(r.body, "ipmi_temperature_celsius{target=\"bmc<001>\",rack=\"r<1>\","
                                   "id=\"2\",name=\"CPU1 Temp\"} 49\n"));
    assert_non_null(strstr(r.body, "ipmi_collector_build_info{version=\"9.9.9\"} 1\n"));
    /* No alert delivery families until the daemon hands over delivery counters. */
    assert_null(strstr(r.body, "ipmi_collector_alerts_"));
    resp_free(&r);

    struct exp_receiver_stats ds = {.name = "ops", .sent = 3, .pending = 2};
    assert_int_equal(snap_hub_set_delivery(f->hub, &ds, 1), 0);
    r = request(f->port, "GET", "/metrics", NULL);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "ipmi_collector_alerts_sent_total{receiver=\"ops\"} 3\n"));
    assert_non_null(strstr(r.body, "\nipmi_collector_alerts_pending 2\n"));
    resp_free(&r);
}

static void
test_gzip(void **state)
{
    struct fixture *f = *state;
    struct resp plain = request(f->port, "GET", "/ipmi?target=127.0.0.1:19101", NULL);
    assert_int_equal(plain.status, 200);
    struct resp z = request(f->port, "GET", "/ipmi?target=127.0.0.1:19101",
                            "Accept-Encoding: deflate, gzip\r\n");
    assert_int_equal(z.status, 200);
    assert_string_equal(header(&z, "Content-Encoding"), "gzip");
    assert_string_equal(header(&z, "Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
    /* zlib's fastest level: the gzip header's extra flags byte says so */
    assert_true(z.len > 10 && (unsigned char)z.body[8] == 4);

    char out[65536];
    z_stream s;
    memset(&s, 0, sizeof(s));
    assert_int_equal(inflateInit2(&s, 15 + 16), Z_OK);
    s.next_in = (Bytef *)z.body;
    s.avail_in = (uInt)z.len;
    s.next_out = (Bytef *)out;
    s.avail_out = sizeof(out) - 1;
    assert_int_equal(inflate(&s, Z_FINISH), Z_STREAM_END);
    out[s.total_out] = '\0';
    inflateEnd(&s);
    assert_string_equal(out, plain.body);
    assert_non_null(strstr(out, "ipmi_temperature_celsius{id=\"2\",name=\"CPU1 Temp\"} 49\n"));
    assert_non_null(strstr(out, "ipmi_up{collector=\"ipmi\"} 1\n"));

    /* refused gzip */
    struct resp q =
        request(f->port, "GET", "/ipmi?target=bmc%3C001%3E", "Accept-Encoding: gzip;q=0\r\n");
    assert_null(header(&q, "Content-Encoding"));
    assert_string_equal(q.body, plain.body);
    resp_free(&q);
    resp_free(&plain);
    resp_free(&z);
}

/* Decodes a chunked body in place ("SIZE\r\nDATA\r\n"... "0\r\n\r\n"); returns the chunk count. */
static size_t
dechunk(struct resp *r)
{
    size_t in = 0, out = 0, chunks = 0;
    for (;;) {
        char *end;
        unsigned long n = strtoul(r->body + in, &end, 16);
        assert_true(end != r->body + in);
        end = strstr(end, "\r\n");
        assert_non_null(end);
        in = (size_t)(end - r->body) + 2;
        if (n == 0)
            break;
        assert_true(in + n + 2 <= r->len);
        memmove(r->body + out, r->body + in, n);
        out += n;
        in += n;
        assert_memory_equal(r->body + in, "\r\n", 2);
        in += 2;
        chunks++;
    }
    assert_memory_equal(r->body + in, "\r\n", 2); /* no trailers */
    r->len = out;
    r->body[out] = '\0';
    return chunks;
}

static char *
gunzip(const char *p, size_t n)
{
    size_t cap = 1 << 20, len = 0;
    char *out = malloc(cap);
    assert_non_null(out);
    z_stream s;
    memset(&s, 0, sizeof(s));
    assert_int_equal(inflateInit2(&s, 15 + 16), Z_OK);
    s.next_in = (Bytef *)(uintptr_t)p;
    s.avail_in = (uInt)n;
    int rc;
    do {
        if (len + 65536 > cap) {
            cap *= 2;
            out = realloc(out, cap);
            assert_non_null(out);
        }
        s.next_out = (Bytef *)out + len;
        s.avail_out = (uInt)(cap - len - 1);
        rc = inflate(&s, Z_NO_FLUSH);
        assert_true(rc == Z_OK || rc == Z_STREAM_END);
        len = s.total_out;
    } while (rc != Z_STREAM_END);
    assert_int_equal(s.avail_in, 0);
    inflateEnd(&s);
    out[len] = '\0';
    return out;
}

/* Two renders differ only in the process_* values: take those families out. */
static void
cut_process(char *s)
{
    char *p = strstr(s, "# HELP process_");
    assert_non_null(p);
    char *e = strstr(p, "# HELP ipmi_collector_alerts_"); /* delivery follows */
    assert_non_null(e);
    memmove(p, e, strlen(e) + 1);
}

/*
 * /metrics is streamed: a fleet far larger than one rendered piece arrives
 * chunked (HTTP/1.1) in several chunks, gzip-compressed or not, and as a
 * plain body to HTTP/1.0, all the same text as exp_prom_fleet gives.
 */
static void
test_metrics_stream(void **state)
{
    struct fixture *f = *state;
    struct snap_target **v = NULL;
    size_t n = snap_hub_acquire(f->hub, &v);
    assert_int_equal(n, 1);
    for (size_t i = 1; i < 3000; i++) {
        struct snap_target *t = snap_target_clone(v[0]);
        assert_non_null(t);
        free(t->name);
        t->name = malloc(16);
        assert_non_null(t->name);
        snprintf(t->name, 16, "bmc%04zu", i);
        assert_int_equal(snap_hub_put(f->hub, i, t), 0);
    }
    snap_hub_release(v, n);
    struct exp_receiver_stats ds = {.name = "ops", .sent = 3, .pending = 2};
    assert_int_equal(snap_hub_set_delivery(f->hub, &ds, 1), 0);

    n = snap_hub_acquire(f->hub, &v);
    assert_int_equal(n, 3000);
    struct snap_daemon d;
    snap_hub_get_daemon(f->hub, &d);
    struct exp_buf want;
    exp_buf_init(&want, 0);
    assert_int_equal(exp_prom_fleet(&want, v, n, &d, "9.9.9"), 0);
    assert_int_equal(exp_prom_delivery(&want, &ds, 1), 0);
    snap_hub_release(v, n);
    assert_true(want.len > 3 * EXP_CURSOR_CHUNK);
    cut_process(want.p);

    struct resp c = request_v(f->port, "HTTP/1.1", "GET", "/metrics", "Connection: close\r\n");
    assert_int_equal(c.status, 200);
    assert_string_equal(header(&c, "Transfer-Encoding"), "chunked");
    assert_null(header(&c, "Content-Length"));
    assert_true(dechunk(&c) > 3);
    cut_process(c.body);
    assert_string_equal(c.body, want.p);

    struct resp z = request_v(f->port, "HTTP/1.1", "GET", "/metrics",
                              "Connection: close\r\nAccept-Encoding: gzip\r\n");
    assert_int_equal(z.status, 200);
    assert_string_equal(header(&z, "Transfer-Encoding"), "chunked");
    assert_string_equal(header(&z, "Content-Encoding"), "gzip");
    dechunk(&z);
    assert_true(z.len < want.len / 4);
    assert_true((unsigned char)z.body[8] == 4); /* gzip XFL: fastest level */
    char *text = gunzip(z.body, z.len);
    cut_process(text);
    assert_string_equal(text, want.p);
    free(text);

    /* HTTP/1.0: no chunks, the body ends when the server closes. */
    struct resp p = request(f->port, "GET", "/metrics", "Accept-Encoding: gzip\r\n");
    assert_int_equal(p.status, 200);
    assert_null(header(&p, "Transfer-Encoding"));
    text = gunzip(p.body, p.len);
    cut_process(text);
    assert_string_equal(text, want.p);
    free(text);

    struct resp h = request_v(f->port, "HTTP/1.1", "HEAD", "/metrics", NULL);
    assert_int_equal(h.status, 200);
    assert_int_equal(h.len, 0); /* libmicrohttpd 0.9.75 would send a last chunk: see http.c */
    assert_null(header(&h, "Transfer-Encoding"));

    resp_free(&h);
    resp_free(&p);
    resp_free(&z);
    resp_free(&c);
    exp_buf_free(&want);
}

static void
test_ipmi_params(void **state)
{
    struct fixture *f = *state;
    struct resp r = request(f->port, "GET", "/ipmi", NULL);
    assert_int_equal(r.status, 400);
    resp_free(&r);
    r = request(f->port, "GET", "/ipmi?target=10.9.9.9&module=default", NULL);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "ipmi_up{collector=\"ipmi\"} 0\n"));
    assert_null(strstr(r.body, "temperature"));
    resp_free(&r);
    r = request(f->port, "GET", "/ipmi?target=127.0.0.1&module=other", NULL);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "ipmi_up{collector=\"ipmi\"} 1\n"));
    resp_free(&r);
}

static void
test_routes(void **state)
{
    struct fixture *f = *state;
    struct resp r = request(f->port, "GET", "/-/healthy", NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, "OK\n");
    resp_free(&r);

    r = request(f->port, "GET", "/-/ready", NULL);
    assert_int_equal(r.status, 503);
    resp_free(&r);
    snap_hub_set_ready(f->hub, 1);
    r = request(f->port, "GET", "/-/ready", NULL);
    assert_int_equal(r.status, 200);
    resp_free(&r);

    r = request(f->port, "GET", "/nope", NULL);
    assert_int_equal(r.status, 404);
    resp_free(&r);
    r = request(f->port, "POST", "/metrics", "Content-Length: 0\r\n");
    assert_int_equal(r.status, 405);
    assert_string_equal(header(&r, "Allow"), "GET, HEAD");
    resp_free(&r);

    r = request(f->port, "GET", "/", NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(header(&r, "Content-Type"), "text/html; charset=utf-8");
    assert_non_null(strstr(r.body, "bmc&lt;001&gt;"));
    assert_non_null(strstr(r.body, "&lt;script&gt;x&lt;/script&gt;"));
    assert_null(strstr(r.body, "<script>"));
    resp_free(&r);
}

static void
test_reload(void **state)
{
    struct fixture *f = *state;
    struct resp r = request(f->port, "GET", "/-/reload", NULL);
    assert_int_equal(r.status, 405);
    assert_string_equal(header(&r, "Allow"), "POST");
    resp_free(&r);
    assert_int_equal(f->reloads, 0);

    r = request(f->port, "POST", "/-/reload", "Content-Length: 0\r\n");
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, "reloaded: 1 target\n");
    resp_free(&r);
    assert_int_equal(f->reloads, 1);

    f->reload_fail = 1;
    r = request(f->port, "POST", "/-/reload", "Content-Length: 5\r\n\r\nhello");
    assert_int_equal(r.status, 500);
    assert_string_equal(r.body, "config.yml:3: unknown key 'tagets'\n");
    resp_free(&r);
    assert_int_equal(f->reloads, 2);
}

static void
test_bad_listen(void **state)
{
    (void)state;
    struct snap_hub *hub = snap_hub_new();
    struct exp_http *h = NULL;
    char err[256];
    struct exp_http_opts o = {.listen = "127.0.0.1", .hub = hub};
    assert_int_equal(exp_http_start(&o, &h, err, sizeof(err)), IC_EIO);
    assert_null(h);
    assert_non_null(strstr(err, "HOST:PORT"));
    o.listen = "[::1]:0";
    if (exp_http_start(&o, &h, err, sizeof(err)) == 0) { /* IPv6 may be off */
        assert_true(exp_http_port(h) != 0);
        exp_http_stop(h);
    }
    exp_http_stop(NULL);
    snap_hub_free(hub);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_metrics, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gzip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_metrics_stream, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ipmi_params, setup, teardown),
        cmocka_unit_test_setup_teardown(test_routes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reload, setup, teardown),
        cmocka_unit_test(test_bad_listen),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
