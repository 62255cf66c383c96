/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_api.c - exporters/api.c: bearer-token checks (exp_api_auth), then the
 * /api/v1/ read endpoints over HTTP. The test runs its own libmicrohttpd
 * daemon whose only handler is exp_api_handle (not exporters/http.c), on
 * 127.0.0.1 with an ephemeral port, and a plain HTTP/1.0 socket client.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <json-c/json.h>
#include <math.h>
#include <pthread.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cfg.h"
#include "exporters.h"
#include "poller.h"
#include "secret.h"

#define TOK_READ "read-token-0123456789abcdef"
#define TOK_OPER "oper-token-0123456789abcdef"
#define TOK_ADM  "admin-token-0123456789abcdef"

static struct exp_api *
make_api(int protect)
{
    struct secret *s[3] = {secret_new(TOK_READ, strlen(TOK_READ)),
                           secret_new(TOK_OPER, strlen(TOK_OPER)),
                           secret_new(TOK_ADM, strlen(TOK_ADM))};
    struct exp_api_token v[3] = {{"viewer", EXP_ROLE_READ, s[0]},
                                 {"ops", EXP_ROLE_OPERATE, s[1]},
                                 {"root", EXP_ROLE_ADMIN, s[2]}};
    struct exp_api *a;
    assert_int_equal(exp_api_new(v, 3, protect, &a), 0);
    for (int i = 0; i < 3; i++)
        secret_free(s[i]);
    return a;
}

/* ---- exp_api_auth ---- */

static void
test_auth(void **state)
{
    (void)state;
    struct exp_api *a = make_api(0);
    const char *who = "x";

    assert_int_equal(exp_api_auth(a, NULL, EXP_ROLE_READ, &who), 401);
    assert_null(who);
    assert_int_equal(exp_api_auth(a, "Bearer wrong-token-0123456789abc", EXP_ROLE_READ, &who), 401);
    assert_null(who);
    assert_int_equal(exp_api_auth(a, "Bearer " TOK_READ, EXP_ROLE_READ, &who), 200);
    assert_string_equal(who, "viewer");
    assert_int_equal(exp_api_auth(a, "Bearer " TOK_READ, EXP_ROLE_OPERATE, &who), 403);
    assert_string_equal(who, "viewer");
    assert_int_equal(exp_api_auth(a, "Bearer " TOK_OPER, EXP_ROLE_OPERATE, &who), 200);
    assert_string_equal(who, "ops");
    assert_int_equal(exp_api_auth(a, "Bearer " TOK_OPER, EXP_ROLE_ADMIN, &who), 403);
    assert_int_equal(exp_api_auth(a, "Bearer " TOK_ADM, EXP_ROLE_ADMIN, &who), 200);
    assert_string_equal(who, "root");
    /* The scheme is case-insensitive; extra spaces around the token are fine. */
    assert_int_equal(exp_api_auth(a, "bearer   " TOK_READ "  ", EXP_ROLE_READ, &who), 200);

    /* Malformed forms. */
    static const char *const bad[] = {
        "",
        "Bearer",
        "Bearer ",
        "Bearer    ",
        "Bearer" TOK_READ,
        "Basic " TOK_READ,
        TOK_READ,
        "Bearer " TOK_READ " x",
        "Bearer " TOK_READ "x",
        "Bearer "
        "read-token-0123456789abcde", /* a prefix */
        "Bearer \t" TOK_READ,
        "Bearer " TOK_READ "\x01",
        "Token " TOK_READ,
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        who = "x";
        if (exp_api_auth(a, bad[i], EXP_ROLE_READ, &who) != 401)
            fail_msg("accepted malformed '%s'", bad[i]);
        assert_null(who);
    }
    char longh[2100] = "Bearer ";
    memset(longh + 7, 'a', sizeof(longh) - 8);
    assert_int_equal(exp_api_auth(a, longh, EXP_ROLE_READ, &who), 401);
    assert_int_equal(exp_api_auth(NULL, "Bearer " TOK_READ, EXP_ROLE_READ, &who), 401);
    assert_int_equal(exp_api_protects_metrics(a), 0);
    exp_api_free(a);
}

static void
test_reload_and_new_errors(void **state)
{
    (void)state;
    struct exp_api *a = make_api(0);
    const char *who;
    struct secret *s = secret_new("new-token-0123456789abcdef", 26);
    struct exp_api_token v[2] = {{"fresh", EXP_ROLE_ADMIN, s}, {"twin", EXP_ROLE_READ, s}};

    /* Two names for one token value: refused, the old set stays. */
    assert_int_equal(exp_api_set_tokens(a, v, 2, 1), IC_EINVAL);
    assert_int_equal(exp_api_auth(a, "Bearer " TOK_READ, EXP_ROLE_READ, &who), 200);
    assert_int_equal(exp_api_set_tokens(a, v, 1, 1), 0);
    assert_int_equal(exp_api_auth(a, "Bearer " TOK_READ, EXP_ROLE_READ, &who), 401);
    assert_int_equal(exp_api_auth(a, "Bearer new-token-0123456789abcdef", EXP_ROLE_ADMIN, &who),
                     200);
    assert_string_equal(who, "fresh");
    assert_int_equal(exp_api_protects_metrics(a), 1);
    /* No tokens: everything is refused. */
    assert_int_equal(exp_api_set_tokens(a, NULL, 0, 0), 0);
    assert_int_equal(exp_api_auth(a, "Bearer new-token-0123456789abcdef", EXP_ROLE_READ, &who),
                     401);
    exp_api_free(a);

    struct exp_api *b;
    struct exp_api_token badrole = {"x", 7, s};
    assert_int_equal(exp_api_new(&badrole, 1, 0, &b), IC_EINVAL);
    assert_null(b);
    struct exp_api_token nosecret = {"x", EXP_ROLE_READ, NULL};
    assert_int_equal(exp_api_new(&nosecret, 1, 0, &b), IC_EINVAL);
    secret_free(s);
}

/* ---- from the configuration: what the daemon does at start and reload ---- */

/* Builds (or, with *a set, reloads) the API from c's api section; the daemon's code. */
static int
api_from_cfg(const struct cfg *c, struct exp_api **a, char *err, size_t errlen)
{
    const struct cfg_api *ca = cfg_api(c);
    size_t n = ca ? ca->ntokens : 0;
    struct exp_api_token v[CFG_MAX_TOKENS];
    struct secret *s[CFG_MAX_TOKENS];
    int rc = 0;
    size_t i;
    for (i = 0; i < n && rc == 0; i++) {
        rc = cfg_token_secret(&ca->tokens[i], &s[i], err, errlen);
        v[i] = (struct exp_api_token){ca->tokens[i].name, (int)ca->tokens[i].role, s[i]};
    }
    if (rc == 0) {
        i = n;
        rc = *a ? exp_api_set_tokens(*a, v, n, ca && ca->protect_metrics)
                : exp_api_new(v, n, ca && ca->protect_metrics, a);
        if (rc != 0)
            snprintf(err, errlen, "api: tokens must be distinct and non-empty");
    } else
        i--; /* s[i] was not set */
    while (i > 0)
        secret_free(s[--i]);
    return rc;
}

static void
write_file(const char *path, const char *text, mode_t mode)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
    assert_int_equal(chmod(path, mode), 0);
}

static void
test_from_config(void **state)
{
    (void)state;
    char dir[] = "/tmp/test_api.XXXXXX", ops[64], view[64], yml[512], err[512];
    assert_non_null(mkdtemp(dir));
    snprintf(ops, sizeof(ops), "%s/ops.token", dir);
    snprintf(view, sizeof(view), "%s/viewer.token", dir);
    write_file(ops, TOK_OPER "\n", 0600);
    write_file(view, TOK_READ, 0400);
    int n = snprintf(yml, sizeof(yml),
                     "profiles:\n  p: {user: u, password_env: PW}\n"
                     "targets:\n  - {name: a, address: 10.0.0.1}\n"
                     "api:\n  tokens:\n"
                     "    - {name: ops, role: operate, token_file: %s}\n"
                     "    - {name: viewer, role: read, token_file: %s}\n",
                     ops, view);
    struct cfg *c;
    assert_int_equal(cfg_parse(yml, (size_t)n, "t.yml", 0, &c, err, sizeof(err)), 0);
    const struct cfg_api *ca = cfg_api(c);
    assert_non_null(ca);
    assert_int_equal(ca->ntokens, 2);
    assert_int_equal(ca->tokens[0].role, CFG_ROLE_OPERATE);
    assert_string_equal(cfg_role_name(ca->tokens[1].role), "read");
    assert_int_equal(ca->protect_metrics, 0);

    struct exp_api *a = NULL;
    const char *who;
    assert_int_equal(api_from_cfg(c, &a, err, sizeof(err)), 0);
    assert_int_equal(exp_api_auth(a, "Bearer " TOK_OPER, EXP_ROLE_OPERATE, &who), 200);
    assert_string_equal(who, "ops");
    assert_int_equal(exp_api_auth(a, "Bearer " TOK_READ, EXP_ROLE_OPERATE, &who), 403);

    /* Rotated on disk, picked up on reload. */
    write_file(view, "rotated-token-0123456789", 0600);
    assert_int_equal(api_from_cfg(c, &a, err, sizeof(err)), 0);
    assert_int_equal(exp_api_auth(a, "Bearer " TOK_READ, EXP_ROLE_READ, &who), 401);
    assert_int_equal(exp_api_auth(a, "Bearer rotated-token-0123456789", EXP_ROLE_READ, &who), 200);

    /* Opened up after load, or too short: refused, the old tokens stay; the message never
       holds the token. */
    assert_int_equal(chmod(view, 0644), 0);
    assert_int_not_equal(api_from_cfg(c, &a, err, sizeof(err)), 0);
    assert_non_null(strstr(err, "token 'viewer'"));
    assert_null(strstr(err, "rotated"));
    write_file(view, "short", 0600);
    assert_int_equal(api_from_cfg(c, &a, err, sizeof(err)), IC_ECONFIG);
    assert_non_null(strstr(err, "fewer than 16 bytes"));
    assert_null(strstr(err, "short"));
    assert_int_equal(exp_api_auth(a, "Bearer rotated-token-0123456789", EXP_ROLE_READ, &who), 200);

    exp_api_free(a);
    cfg_free(c);
    unlink(ops);
    unlink(view);
    rmdir(dir);
}

/* ---- HTTP ---- */

struct fixture {
    struct snap_hub *hub;
    struct exp_api *api;
    struct MHD_Daemon *d;
    uint16_t port;
};

/* Per connection: the body so far and the API's state (as exporters/http.c keeps them). */
struct conn {
    char body[4096];
    size_t len;
    struct exp_api_conn *api;
};

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
           const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
    (void)version;
    struct fixture *f = cls;
    struct conn *k = *con_cls;
    if (!k) {
        *con_cls = k = calloc(1, sizeof(*k));
        return k ? MHD_YES : MHD_NO;
    }
    if (*upload_size) {
        size_t n = *upload_size;
        if (k->len + n < sizeof(k->body)) {
            memcpy(k->body + k->len, upload, n);
            k->len += n;
        }
        *upload_size = 0;
        return MHD_YES;
    }
    return exp_api_handle(f->api, f->hub, c, url, method, k->len ? k->body : NULL, k->len, &k->api);
}

static void
on_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode t)
{
    (void)cls;
    (void)c;
    (void)t;
    struct conn *k = *con_cls;
    if (k) {
        exp_api_conn_free(k->api);
        free(k);
    }
    *con_cls = NULL;
}

static struct snap_target *
mk_target(const char *name, const char *host, const char *rack, const char *state)
{
    char k[] = "rack", v[32];
    snprintf(v, sizeof(v), "%s", rack);
    struct snap_label l[] = {{k, v}};
    struct snap_target *t = snap_target_new(name, host, 623, l, 1);
    assert_non_null(t);
    snprintf(t->state, sizeof(t->state), "%s", state);
    t->up = strcmp(state, "up") == 0;
    return t;
}

static int
setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    f->hub = snap_hub_new();
    assert_non_null(f->hub);

    struct snap_target *t = mk_target("bmc01", "10.0.0.1", "r1", "up");
    t->last_poll_unix_ms = 1764000000123ull; /* 2025-11-24T16:00:00.123Z */
    t->last_success_unix_ms = 1764000001000ull;
    t->has_devid = 1;
    t->devid.manufacturer_id = 10876;
    t->devid.product_id = 2137;
    snprintf(t->firmware, sizeof(t->firmware), "2.47");
    snprintf(t->guid, sizeof(t->guid), "0bd5f1a2-3c4d-4e5f-8a9b-0c1d2e3f4a5b");
    t->has_fru = 1;
    snprintf(t->fru.board_serial, sizeof(t->fru.board_serial), "BS123");
    snprintf(t->fru.product_serial, sizeof(t->fru.product_serial), "PS\"456/");
    struct snap_reading r[2] = {{.record_id = 2,
                                 .number = 0x30,
                                 .sensor_type = 1,
                                 .event_type = 1,
                                 .threshold = 1,
                                 .has_value = 1,
                                 .state = IPMI_STATE_WARNING,
                                 .value = 81.5},
                                {.record_id = 9, .sensor_type = 8, .value = NAN}};
    snprintf(r[0].name, sizeof(r[0].name), "CPU1 Temp");
    snprintf(r[1].name, sizeof(r[1].name), "PS1 Status");
    assert_int_equal(snap_target_set_readings(t, r, 2), 0);
    assert_int_equal(snap_hub_put(f->hub, 0, t), 0);

    t = mk_target("bmc02", "fd00::2", "r1", "down");
    snprintf(t->last_error, sizeof(t->last_error), "timeout: no answer");
    assert_int_equal(snap_hub_put(f->hub, 1, t), 0);
    t = mk_target("bmc03", "10.0.0.3", "r2", "starting");
    assert_int_equal(snap_hub_put(f->hub, 2, t), 0);

    f->api = make_api(0);
    f->d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG |
                                MHD_ALLOW_SUSPEND_RESUME,
                            0, NULL, NULL, on_request, f, MHD_OPTION_SOCK_ADDR, NULL,
                            MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_END);
    assert_non_null(f->d);
    const union MHD_DaemonInfo *i = MHD_get_daemon_info(f->d, MHD_DAEMON_INFO_BIND_PORT);
    assert_non_null(i);
    f->port = i->port;
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *f = *state;
    MHD_stop_daemon(f->d);
    exp_api_free(f->api);
    snap_hub_free(f->hub);
    free(f);
    return 0;
}

struct resp {
    int status;
    char headers[4096];
    char *body;
};

/* method path with an optional bearer token and an optional body. */
static struct resp
request_body(uint16_t port, const char *method, const char *path, const char *token,
             const char *body)
{
    struct resp r = {0};
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
    char req[2048], clen[64] = "";
    if (body)
        snprintf(clen, sizeof(clen), "Content-Length: %zu\r\n", strlen(body));
    int n = snprintf(req, sizeof(req), "%s %s HTTP/1.0\r\nHost: 127.0.0.1\r\n%s%s%s%s\r\n%s",
                     method, path, token ? "Authorization: Bearer " : "", token ? token : "",
                     token ? "\r\n" : "", clen, body ? body : "");
    assert_int_equal(write(fd, req, (size_t)n), n);
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    ssize_t k;
    while ((k = read(fd, buf + len, cap - len - 1)) > 0)
        len += (size_t)k;
    close(fd);
    buf[len] = '\0';
    char *sep = strstr(buf, "\r\n\r\n");
    assert_non_null(sep);
    assert_int_equal(sscanf(buf, "HTTP/1.%*c %d", &r.status), 1);
    size_t hl = (size_t)(sep - buf);
    assert_true(hl < sizeof(r.headers));
    memcpy(r.headers, buf, hl);
    r.body = strdup(sep + 4);
    assert_non_null(r.body);
    free(buf);
    return r;
}

static struct resp
request(uint16_t port, const char *method, const char *path, const char *token)
{
    return request_body(port, method, path, token, NULL);
}

/* Parses r's body as JSON and frees the text. */
static struct json_object *
body_json(struct resp *r)
{
    struct json_object *o = json_tokener_parse(r->body);
    if (!o)
        fail_msg("not JSON: %s", r->body);
    free(r->body);
    r->body = NULL;
    return o;
}

static const char *
str_of(struct json_object *o, const char *key)
{
    struct json_object *m = json_object_object_get(o, key);
    return m && json_object_is_type(m, json_type_string) ? json_object_get_string(m) : NULL;
}

/* The error text of a JSON error response with this status. */
static void
expect_error(uint16_t port, const char *method, const char *path, const char *tok, int status,
             const char *needle)
{
    struct resp r = request(port, method, path, tok);
    if (r.status != status)
        fail_msg("%s %s: status %d, wanted %d: %s", method, path, r.status, status, r.body);
    assert_non_null(strcasestr(r.headers, "Content-Type: application/json"));
    struct json_object *o = body_json(&r);
    const char *e = str_of(o, "error");
    assert_non_null(e);
    if (!strstr(e, needle))
        fail_msg("%s %s: error '%s' lacks '%s'", method, path, e, needle);
    json_object_put(o);
    if (status == 401)
        assert_non_null(strcasestr(r.headers, "WWW-Authenticate: Bearer"));
}

static void
test_http_auth(void **state)
{
    struct fixture *f = *state;
    expect_error(f->port, "GET", "/api/v1/targets", NULL, 401, "bearer token");
    expect_error(f->port, "GET", "/api/v1/targets", "nope-0123456789abcdef", 401, "bearer token");
    /* Unauthenticated clients do not learn which paths exist. */
    expect_error(f->port, "GET", "/api/v1/nothing", NULL, 401, "bearer token");
    expect_error(f->port, "GET", "/api/v1/nothing", TOK_READ, 404, "no such endpoint");
    expect_error(f->port, "POST", "/api/v1/targets", TOK_READ, 405, "POST");
    struct resp r = request(f->port, "DELETE", "/api/v1/targets/bmc01", TOK_ADM);
    assert_int_equal(r.status, 405);
    assert_non_null(strcasestr(r.headers, "Allow: GET, HEAD"));
    free(r.body);
}

static void
test_targets(void **state)
{
    struct fixture *f = *state;
    struct resp r = request(f->port, "GET", "/api/v1/targets", TOK_READ);
    assert_int_equal(r.status, 200);
    assert_non_null(strcasestr(r.headers, "Cache-Control: no-store"));
    struct json_object *a = body_json(&r);
    assert_true(json_object_is_type(a, json_type_array));
    assert_int_equal(json_object_array_length(a), 3);

    struct json_object *t = json_object_array_get_idx(a, 0);
    assert_string_equal(str_of(t, "name"), "bmc01");
    assert_string_equal(str_of(t, "address"), "10.0.0.1:623");
    assert_string_equal(str_of(t, "state"), "up");
    assert_true(json_object_get_boolean(json_object_object_get(t, "up")));
    assert_string_equal(str_of(json_object_object_get(t, "labels"), "rack"), "r1");
    assert_string_equal(str_of(t, "last_poll"), "2025-11-24T16:00:00.123Z");
    assert_string_equal(str_of(t, "last_success"), "2025-11-24T16:00:01.000Z");
    assert_null(json_object_object_get(t, "last_error"));
    assert_true(json_object_object_get_ex(t, "last_error", NULL));
    assert_string_equal(str_of(t, "firmware"), "2.47");
    assert_int_equal(json_object_get_int(json_object_object_get(t, "manufacturer_id")), 10876);
    assert_int_equal(json_object_get_int(json_object_object_get(t, "product_id")), 2137);
    assert_string_equal(str_of(t, "guid"), "0bd5f1a2-3c4d-4e5f-8a9b-0c1d2e3f4a5b");
    struct json_object *fru = json_object_object_get(t, "fru");
    assert_string_equal(str_of(fru, "board_serial"), "BS123");
    assert_string_equal(str_of(fru, "product_serial"), "PS\"456/");
    assert_string_equal(str_of(fru, "chassis_serial"), "");

    t = json_object_array_get_idx(a, 1);
    assert_string_equal(str_of(t, "address"), "[fd00::2]:623");
    assert_string_equal(str_of(t, "last_error"), "timeout: no answer");
    assert_false(json_object_get_boolean(json_object_object_get(t, "up")));
    assert_true(json_object_object_get_ex(t, "fru", NULL));
    assert_null(json_object_object_get(t, "fru"));
    assert_null(json_object_object_get(t, "firmware"));
    assert_null(json_object_object_get(t, "last_poll"));
    json_object_put(a);
}

/* The names a filtered list returns, comma-separated. */
static void
expect_names(uint16_t port, const char *path, const char *want)
{
    struct resp r = request(port, "GET", path, TOK_OPER);
    if (r.status != 200)
        fail_msg("%s: status %d: %s", path, r.status, r.body);
    struct json_object *a = body_json(&r);
    char got[256] = "";
    for (size_t i = 0; i < json_object_array_length(a); i++) {
        size_t n = strlen(got);
        snprintf(got + n, sizeof(got) - n, "%s%s", i ? "," : "",
                 str_of(json_object_array_get_idx(a, i), "name"));
    }
    json_object_put(a);
    if (strcmp(got, want) != 0)
        fail_msg("%s: got [%s], wanted [%s]", path, got, want);
}

static void
test_filters(void **state)
{
    struct fixture *f = *state;
    expect_names(f->port, "/api/v1/targets?label=rack:r1", "bmc01,bmc02");
    expect_names(f->port, "/api/v1/targets?label=rack:r1&state=down", "bmc02");
    expect_names(f->port, "/api/v1/targets?label=rack:r1&label=rack:r2", "");
    expect_names(f->port, "/api/v1/targets?label=room:r1", "");
    expect_names(f->port, "/api/v1/targets?state=starting", "bmc03");
    expect_names(f->port, "/api/v1/targets?field=firmware:2.47", "bmc01");
    expect_names(f->port, "/api/v1/targets?field=address:%5Bfd00::2%5D:623", "bmc02");
    expect_names(f->port, "/api/v1/targets?field=last_error:timeout:%20no%20answer", "bmc02");
    expect_names(f->port, "/api/v1/targets/", "bmc01,bmc02,bmc03");
    expect_error(f->port, "GET", "/api/v1/targets?state=sideways", TOK_READ, 400, "state");
    expect_error(f->port, "GET", "/api/v1/targets?label=rack", TOK_READ, 400, "NAME:VALUE");
    expect_error(f->port, "GET", "/api/v1/targets?field=up:true", TOK_READ, 400,
                 "not a top-level string field");
    expect_error(f->port, "GET", "/api/v1/targets?rack=r1", TOK_READ, 400, "unknown parameter");
}

static void
test_one_target(void **state)
{
    struct fixture *f = *state;
    struct resp r = request(f->port, "GET", "/api/v1/targets/bmc02", TOK_READ);
    assert_int_equal(r.status, 200);
    struct json_object *o = body_json(&r);
    assert_true(json_object_is_type(o, json_type_object));
    assert_string_equal(str_of(o, "name"), "bmc02");
    json_object_put(o);
    expect_error(f->port, "GET", "/api/v1/targets/bmc99", TOK_READ, 404, "no target 'bmc99'");
    expect_error(f->port, "GET", "/api/v1/targets/bmc99/sensors", TOK_READ, 404, "bmc99");
    expect_error(f->port, "GET", "/api/v1/targets/bmc01/nope", TOK_READ, 404, "no such endpoint");
    expect_error(f->port, "GET", "/api/v1/targets/bmc01/sel", TOK_READ, 503, "no database");
    expect_error(f->port, "GET", "/api/v1/targets/bmc99/sel", TOK_READ, 404, "no target 'bmc99'");

    r = request(f->port, "GET", "/api/v1/targets/bmc01/sensors", TOK_READ);
    assert_int_equal(r.status, 200);
    struct json_object *a = body_json(&r);
    assert_int_equal(json_object_array_length(a), 2);
    struct json_object *s = json_object_array_get_idx(a, 0);
    assert_string_equal(str_of(s, "name"), "CPU1 Temp");
    assert_int_equal(json_object_get_int(json_object_object_get(s, "record_id")), 2);
    assert_int_equal(json_object_get_int(json_object_object_get(s, "number")), 0x30);
    assert_string_equal(str_of(s, "sensor_type"), "Temperature");
    assert_true(fabs(json_object_get_double(json_object_object_get(s, "value")) - 81.5) < 1e-9);
    assert_string_equal(str_of(s, "state"), "warning");
    assert_true(json_object_get_boolean(json_object_object_get(s, "threshold")));
    s = json_object_array_get_idx(a, 1);
    assert_true(json_object_object_get_ex(s, "value", NULL));
    assert_null(json_object_object_get(s, "value"));
    assert_null(json_object_object_get(s, "state"));
    assert_false(json_object_get_boolean(json_object_object_get(s, "threshold")));
    json_object_put(a);
}

/* ---- actions: a fake daemon that records the request and answers from another thread ---- */

struct fake {
    int calls;
    int refuse; /* act() fails: the API answers 503 */
    struct exp_act_req rq;
    char who[64], target[64], params[256], sel[128];
    exp_act_done_fn done;
    void *ctx;
};

static void *
answer_later(void *arg)
{
    struct fake *k = arg;
    usleep(50 * 1000); /* the connection is suspended meanwhile */
    k->done(k->ctx, 200, strdup("{\"fake\":true}"));
    return NULL;
}

static int
fake_act(void *arg, const struct exp_act_req *rq, exp_act_done_fn done, void *ctx)
{
    struct fake *k = arg;
    k->calls++;
    if (k->refuse)
        return -1;
    k->rq = *rq;
    snprintf(k->who, sizeof(k->who), "%s", rq->who);
    snprintf(k->target, sizeof(k->target), "%s", rq->target ? rq->target : "(selector)");
    snprintf(k->params, sizeof(k->params), "%s", rq->params);
    k->sel[0] = '\0';
    for (size_t i = 0; i < rq->nselector; i++)
        snprintf(k->sel + strlen(k->sel), sizeof(k->sel) - strlen(k->sel), "%s=%s;",
                 rq->selector[i].name, rq->selector[i].value);
    k->done = done;
    k->ctx = ctx;
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, answer_later, k), 0);
    pthread_detach(th);
    return 0;
}

static void
expect_post_error(uint16_t port, const char *path, const char *tok, const char *body, int status,
                  const char *needle)
{
    struct resp r = request_body(port, "POST", path, tok, body);
    if (r.status != status)
        fail_msg("POST %s %s: status %d, wanted %d: %s", path, body, r.status, status, r.body);
    struct json_object *o = body_json(&r);
    const char *e = str_of(o, "error");
    if (!e || !strstr(e, needle))
        fail_msg("POST %s %s: error '%s' lacks '%s'", path, body, e ? e : "(none)", needle);
    json_object_put(o);
}

static void
test_actions(void **state)
{
    struct fixture *f = *state;
    struct fake k = {0};
    const char *p1 = "/api/v1/targets/bmc01/power";
    /* Before the daemon is attached: 503. */
    expect_post_error(f->port, p1, TOK_OPER, "{\"action\":\"off\"}", 503, "not available");
    exp_api_set_backend(f->api, NULL, fake_act, &k);

    expect_post_error(f->port, p1, NULL, "{\"action\":\"off\"}", 401, "bearer token");
    expect_post_error(f->port, p1, TOK_READ, "{\"action\":\"off\"}", 403, "needs operate");
    expect_post_error(f->port, p1, TOK_OPER, NULL, 400, "JSON body is required");
    expect_post_error(f->port, p1, TOK_OPER, "{\"action\":", 400, "not valid JSON");
    expect_post_error(f->port, p1, TOK_OPER, "[1]", 400, "JSON object");
    expect_post_error(f->port, p1, TOK_OPER, "{\"acton\":\"off\"}", 400, "unknown key 'acton'");
    expect_post_error(f->port, p1, TOK_OPER, "{\"action\":\"diag\"}", 400, "expected on, off");
    expect_post_error(f->port, p1, TOK_OPER, "{\"action\":\"off\",\"wait\":0}", 400, "wait");
    expect_post_error(f->port, p1, TOK_OPER, "{\"action\":\"off\",\"confirm\":1}", 400,
                      "unknown key 'confirm'");
    expect_post_error(f->port, "/api/v1/targets/bmc01/bootdev", TOK_OPER, "{\"device\":\"floppy\"}",
                      400, "device");
    expect_post_error(f->port, "/api/v1/targets/bmc01/bootdev", TOK_OPER,
                      "{\"device\":\"pxe\",\"persistent\":1}", 400, "true or false");
    expect_post_error(f->port, "/api/v1/power", TOK_OPER, "{\"action\":\"on\"}", 400,
                      "selector is required");
    expect_post_error(f->port, "/api/v1/power", TOK_OPER,
                      "{\"action\":\"on\",\"selector\":{\"rack\":\"r1\"}}", 400,
                      "confirm is required");
    expect_post_error(f->port, "/api/v1/power", TOK_OPER,
                      "{\"action\":\"on\",\"selector\":{},\"confirm\":0}", 400,
                      "at least one label");
    expect_error(f->port, "GET", p1, TOK_OPER, 405, "not allowed");
    assert_int_equal(k.calls, 0); /* nothing bad reached the daemon */

    /* One target: the daemon's answer comes later, from another thread. */
    struct resp r =
        request_body(f->port, "POST", p1, TOK_OPER, "{\"action\":\"cycle\",\"wait\":5}");
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, "{\"fake\":true}");
    free(r.body);
    assert_int_equal(k.calls, 1);
    assert_int_equal(k.rq.kind, EXP_ACT_POWER);
    assert_int_equal(k.rq.power, IPMI_POWER_CYCLE);
    assert_int_equal(k.rq.wait_ms, 5000);
    assert_string_equal(k.who, "ops");
    assert_string_equal(k.target, "bmc01");
    assert_string_equal(k.params, "{\"action\":\"cycle\",\"wait\":5}");

    /* A selector. */
    r = request_body(f->port, "POST", "/api/v1/bootdev", TOK_ADM,
                     "{\"device\":\"cdrom\",\"persistent\":true,\"selector\":{\"rack\":\"r1\"},"
                     "\"confirm\":2}");
    assert_int_equal(r.status, 200);
    free(r.body);
    assert_int_equal(k.rq.kind, EXP_ACT_BOOTDEV);
    assert_int_equal(k.rq.bootdev, IPMI_BOOT_CDROM);
    assert_int_equal(k.rq.persistent, 1);
    assert_int_equal(k.rq.confirm, 2);
    assert_string_equal(k.who, "root");
    assert_string_equal(k.target, "(selector)");
    assert_string_equal(k.sel, "rack=r1;");

    /* Virtual media: an image is a URL or an absolute path; status is a read; eject has no body. */
    const char *pm = "/api/v1/targets/bmc01/media";
    expect_post_error(f->port, pm, TOK_OPER, "{\"image\":\"rescue.iso\"}", 400, "absolute");
    expect_post_error(f->port, pm, TOK_OPER, "{\"boot_once\":true}", 400, "image is required");
    expect_post_error(f->port, pm, TOK_OPER, "{\"image\":\"/x.iso\",\"power\":\"off\"}", 400,
                      "on, cycle or reset");
    expect_post_error(f->port, p1, TOK_OPER, "{\"action\":\"on\",\"via\":\"ssh\"}", 400,
                      "ipmi or redfish");
    r = request_body(f->port, "POST", pm, TOK_OPER,
                     "{\"image\":\"https://h/x.iso\",\"boot_once\":true,\"power\":\"cycle\"}");
    assert_int_equal(r.status, 200);
    free(r.body);
    assert_int_equal(k.rq.kind, EXP_ACT_MEDIA_INSERT);
    assert_string_equal(k.params,
                        "{\"image\":\"https://h/x.iso\",\"boot_once\":true,\"power\":\"cycle\"}");
    r = request(f->port, "GET", pm, TOK_READ); /* a read: the read role may */
    assert_int_equal(r.status, 200);
    free(r.body);
    assert_int_equal(k.rq.kind, EXP_ACT_MEDIA_STATUS);
    expect_error(f->port, "DELETE", pm, TOK_READ, 403, "needs operate");
    r = request(f->port, "DELETE", pm, TOK_OPER);
    assert_int_equal(r.status, 200);
    free(r.body);
    assert_int_equal(k.rq.kind, EXP_ACT_MEDIA_EJECT);
    expect_error(f->port, "PUT", pm, TOK_OPER, 405, "not allowed");

    /* The daemon cannot take it (stopping): 503, answered at once. */
    k.refuse = 1;
    expect_post_error(f->port, p1, TOK_OPER, "{\"action\":\"on\"}", 503, "cannot take actions");
    exp_api_set_backend(f->api, NULL, NULL, NULL);
}

static void
test_disabled(void **state)
{
    struct fixture *f = *state;
    struct exp_api *a = f->api;
    /* A reload that drops the api section: no tokens, the API is off; and back on. (A NULL
       exp_api takes the same branch.) */
    assert_int_equal(exp_api_set_tokens(a, NULL, 0, 0), 0);
    expect_error(f->port, "GET", "/api/v1/targets", TOK_READ, 404, "not configured");
    struct secret *s = secret_new(TOK_READ, strlen(TOK_READ));
    struct exp_api_token v = {"viewer", EXP_ROLE_READ, s};
    assert_int_equal(exp_api_set_tokens(a, &v, 1, 0), 0);
    secret_free(s);
    struct resp r = request(f->port, "GET", "/api/v1/targets", TOK_READ);
    assert_int_equal(r.status, 200);
    free(r.body);
    r = request(f->port, "HEAD", "/api/v1/targets", TOK_READ);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, "");
    free(r.body);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_auth),
        cmocka_unit_test(test_reload_and_new_errors),
        cmocka_unit_test(test_from_config),
        cmocka_unit_test_setup_teardown(test_http_auth, setup, teardown),
        cmocka_unit_test_setup_teardown(test_targets, setup, teardown),
        cmocka_unit_test_setup_teardown(test_filters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_one_target, setup, teardown),
        cmocka_unit_test_setup_teardown(test_disabled, setup, teardown),
        cmocka_unit_test_setup_teardown(test_actions, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
