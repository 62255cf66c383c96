/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_redfish.c - the redfish layer without a BMC: the pure parsers
 * (redfish/rf_parse.c) on answers captured from ../shared/redfishsim and on
 * hostile ones (malformed, truncated, wrong types, foreign URIs, overlong
 * strings), and the media server (redfish/media_srv.c) on loopback: one-time
 * URLs, fetch counts, revoke, TTL, ranges, methods, refused files.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <curl/curl.h>

#include "ic_err.h"
#include "redfish.h"

#define S(lit) lit, sizeof(lit) - 1

static const char root_body[] =
    "{\"@odata.id\":\"/redfish/v1/\",\"Systems\":{\"@odata.id\":\"/redfish/v1/Systems\"},"
    "\"Managers\":{\"@odata.id\":\"/redfish/v1/Managers\"},\"SessionService\":{\"@odata.id\":"
    "\"/redfish/v1/SessionService\"},\"Links\":{\"Sessions\":{\"@odata.id\":"
    "\"/redfish/v1/SessionService/Sessions\"}}}";

static const char system_body[] =
    "{\"@odata.id\":\"/redfish/v1/Systems/1\",\"Manufacturer\":\"BMCSim Systems\","
    "\"Model\":\"SimServer 1U\",\"SerialNumber\":\"SSN202400001\","
    "\"UUID\":\"811b53ec-3ab0-5158-98d4-a6c3f14fc8bc\",\"PowerState\":\"On\","
    "\"Boot\":{\"BootSourceOverrideEnabled\":\"Once\",\"BootSourceOverrideTarget\":\"Cd\","
    "\"BootSourceOverrideTarget@Redfish.AllowableValues\":[\"None\",\"Pxe\",\"Cd\",\"Hdd\","
    "\"BiosSetup\"]},\"VirtualMedia\":{\"@odata.id\":\"/redfish/v1/Systems/1/VirtualMedia\"},"
    "\"Actions\":{\"#ComputerSystem.Reset\":{\"target\":"
    "\"/redfish/v1/Systems/1/Actions/ComputerSystem.Reset\",\"ResetType@Redfish.AllowableValues\":"
    "[\"On\",\"ForceOff\",\"GracefulShutdown\",\"ForceRestart\",\"PowerCycle\"]}},"
    "\"@odata.etag\":\"\\\"769a01275bf5f70a\\\"\"}";

static const char media_body[] =
    "{\"@odata.id\":\"/redfish/v1/Managers/1/VirtualMedia/CD\",\"Id\":\"CD\",\"MediaTypes\":"
    "[\"CD\",\"DVD\"],\"Image\":\"http://10.0.0.1/a.iso\",\"Inserted\":true,\"Actions\":{"
    "\"#VirtualMedia.InsertMedia\":{\"target\":"
    "\"/redfish/v1/Managers/1/VirtualMedia/CD/Actions/VirtualMedia.InsertMedia\"},"
    "\"#VirtualMedia.EjectMedia\":{\"target\":"
    "\"/redfish/v1/Managers/1/VirtualMedia/CD/Actions/VirtualMedia.EjectMedia\"}},"
    "\"@odata.etag\":\"\\\"921ed5a431864687\\\"\"}";

static const char error_body[] =
    "{\"error\":{\"code\":\"Base.1.16.0.CouldNotEstablishConnection\",\"message\":\"x\","
    "\"@Message.ExtendedInfo\":[{\"MessageId\":\"Base.1.16.0.CouldNotEstablishConnection\","
    "\"Message\":\"The service failed to establish a connection with the URI "
    "'http://127.0.0.1:1/x.iso'.\",\"MessageSeverity\":\"Critical\"}]}}";

static void
t_root(void **state)
{
    (void)state;
    struct rf_root r;
    char err[128];
    assert_int_equal(rf_parse_root(S(root_body), &r, err, sizeof(err)), 0);
    assert_string_equal(r.systems, "/redfish/v1/Systems");
    assert_string_equal(r.managers, "/redfish/v1/Managers");
    assert_string_equal(r.sessions, "/redfish/v1/SessionService/Sessions");
    /* Neither Systems nor Managers: not a Redfish service. */
    assert_int_equal(rf_parse_root(S("{\"Name\":\"x\"}"), &r, err, sizeof(err)), IC_EPROTO);
    assert_non_null(strstr(err, "neither Systems nor Managers"));
    /* A link to another host is not followed (our token would go there). */
    assert_int_equal(rf_parse_root(S("{\"Systems\":{\"@odata.id\":\"https://evil/redfish\"},"
                                     "\"Managers\":{\"@odata.id\":\"/redfish/v1/Managers\"}}"),
                                   &r, err, sizeof(err)),
                     0);
    assert_string_equal(r.systems, "");
    assert_int_equal(rf_parse_root(S("{\"Systems\":{\"@odata.id\":\"/a b\"},\"Managers\":"
                                     "{\"@odata.id\":7}}"),
                                   &r, err, sizeof(err)),
                     IC_EPROTO);
}

static void
t_members(void **state)
{
    (void)state;
    struct rf_members m;
    char err[128];
    assert_int_equal(
        rf_parse_members(S("{\"Members\":[{\"@odata.id\":\"/redfish/v1/Systems/1\"},{\"x\":1},"
                           "7,{\"@odata.id\":\"/redfish/v1/Systems/2\"}]}"),
                         &m, err, sizeof(err)),
        0);
    assert_int_equal(m.n, 2);
    assert_string_equal(m.uri[0], "/redfish/v1/Systems/1");
    assert_string_equal(m.uri[1], "/redfish/v1/Systems/2");
    assert_int_equal(rf_parse_members(S("{\"Members\":{}}"), &m, err, sizeof(err)), IC_EPROTO);
    assert_non_null(strstr(err, "Members"));
    /* More members than fit: the first RF_MEMBERS_MAX. */
    char big[8192] = "{\"Members\":[";
    for (int i = 0; i < 40; i++)
        snprintf(big + strlen(big), sizeof(big) - strlen(big), "%s{\"@odata.id\":\"/m/%d\"}",
                 i ? "," : "", i);
    strcat(big, "]}");
    assert_int_equal(rf_parse_members(big, strlen(big), &m, err, sizeof(err)), 0);
    assert_int_equal(m.n, RF_MEMBERS_MAX);
}

static void
t_system(void **state)
{
    (void)state;
    struct rf_system_doc d;
    char err[128];
    assert_int_equal(rf_parse_system(S(system_body), &d, err, sizeof(err)), 0);
    assert_string_equal(d.sys.power_state, "On");
    assert_string_equal(d.sys.boot_enabled, "Once");
    assert_string_equal(d.sys.boot_target, "Cd");
    assert_string_equal(d.sys.uuid, "811b53ec-3ab0-5158-98d4-a6c3f14fc8bc");
    assert_string_equal(d.sys.manufacturer, "BMCSim Systems");
    assert_string_equal(d.sys.model, "SimServer 1U");
    assert_string_equal(d.sys.serial, "SSN202400001");
    assert_string_equal(d.reset_target, "/redfish/v1/Systems/1/Actions/ComputerSystem.Reset");
    assert_int_equal(d.n_reset_allowed, 5);
    assert_string_equal(d.reset_allowed[4], "PowerCycle");
    assert_int_equal(d.n_boot_allowed, 5);
    assert_string_equal(d.boot_allowed[2], "Cd");
    assert_string_equal(d.vmedia, "/redfish/v1/Systems/1/VirtualMedia");
    assert_string_equal(d.etag, "\"769a01275bf5f70a\"");

    /* Not NUL-terminated: only len bytes are read. */
    char copy[sizeof(system_body)];
    memcpy(copy, system_body, sizeof(copy) - 1);
    copy[sizeof(copy) - 1] = 'X';
    assert_int_equal(rf_parse_system(copy, sizeof(copy) - 1, &d, err, sizeof(err)), 0);

    /* Overlong strings are cut, and stay terminated. */
    char big[2048];
    snprintf(big, sizeof(big), "{\"PowerState\":\"%0300d\",\"Model\":\"%0500d\"}", 1, 2);
    assert_int_equal(rf_parse_system(big, strlen(big), &d, err, sizeof(err)), 0);
    assert_int_equal(strlen(d.sys.power_state), sizeof(d.sys.power_state) - 1);
    assert_int_equal(strlen(d.sys.model), sizeof(d.sys.model) - 1);

    /* Missing or mistyped PowerState. */
    assert_int_equal(rf_parse_system(S("{\"PowerState\":1}"), &d, err, sizeof(err)), IC_EPROTO);
    assert_non_null(strstr(err, "PowerState"));
    /* Wrong types elsewhere are ignored, not trusted. */
    assert_int_equal(rf_parse_system(S("{\"PowerState\":\"Off\",\"Boot\":[1],\"Actions\":{"
                                       "\"#ComputerSystem.Reset\":{\"target\":\"//evil/x\","
                                       "\"ResetType@Redfish.AllowableValues\":[1,\"On\",null]}}}"),
                                     &d, err, sizeof(err)),
                     0);
    assert_string_equal(d.reset_target, "//evil/x"); /* a path on our host: fine */
    assert_int_equal(d.n_reset_allowed, 1);
    assert_string_equal(d.sys.boot_target, "");
}

static void
t_malformed(void **state)
{
    (void)state;
    struct rf_system_doc d;
    char err[128];
    static const struct {
        const char *body, *msg;
    } cases[] = {
        {"", "empty"},
        {"{\"PowerState\":\"On\"", "truncated"},
        {"{\"PowerState\":\"On\"} {}", "data after"},
        {"[{\"PowerState\":\"On\"}]", "not an object"},
        {"\"On\"", "not an object"},
        {"{\"PowerState\":\"On\" \"x\"}", "malformed"},
        {"<html>503</html>", "malformed"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        err[0] = '\0';
        assert_int_equal(
            rf_parse_system(cases[i].body, strlen(cases[i].body), &d, err, sizeof(err)), IC_EPROTO);
        if (!strstr(err, cases[i].msg))
            fail_msg("case %zu: '%s' lacks '%s'", i, err, cases[i].msg);
        assert_string_equal(d.sys.power_state, "");
    }
    /* Deep nesting is refused by the tokenizer, not a stack overflow. */
    char deep[4096];
    size_t n = 0;
    for (; n < 2000; n++)
        deep[n] = '[';
    assert_int_equal(rf_parse_task(deep, n, &(struct rf_task){0}, err, sizeof(err)), IC_EPROTO);
    /* Trailing whitespace is fine. */
    assert_int_equal(rf_parse_system(S("{\"PowerState\":\"On\"}\r\n "), &d, err, sizeof(err)), 0);
}

static void
t_media(void **state)
{
    (void)state;
    struct rf_media_doc m;
    char err[128];
    assert_int_equal(rf_parse_media(S(media_body), &m, err, sizeof(err)), 0);
    assert_string_equal(m.m.slot, "CD");
    assert_int_equal(m.m.inserted, 1);
    assert_string_equal(m.m.image, "http://10.0.0.1/a.iso");
    assert_string_equal(m.m.media_path, "/redfish/v1/Managers/1/VirtualMedia/CD");
    assert_int_equal(m.cd_capable, 1);
    assert_string_equal(m.insert_target,
                        "/redfish/v1/Managers/1/VirtualMedia/CD/Actions/VirtualMedia.InsertMedia");
    assert_string_equal(m.eject_target,
                        "/redfish/v1/Managers/1/VirtualMedia/CD/Actions/VirtualMedia.EjectMedia");
    assert_string_equal(m.etag, "\"921ed5a431864687\"");
    /* PATCH style: no actions; an empty USB slot; Image null. */
    assert_int_equal(rf_parse_media(S("{\"Id\":\"USB\",\"MediaTypes\":[\"USBStick\"],"
                                      "\"Image\":null,\"Inserted\":false}"),
                                    &m, err, sizeof(err)),
                     0);
    assert_int_equal(m.cd_capable, 0);
    assert_int_equal(m.m.inserted, 0);
    assert_string_equal(m.insert_target, "");
    assert_string_equal(m.m.image, "");
    /* No Inserted property (older BMCs): an Image means inserted. */
    assert_int_equal(
        rf_parse_media(S("{\"Id\":\"1\",\"Image\":\"http://x/y.iso\"}"), &m, err, sizeof(err)), 0);
    assert_int_equal(m.m.inserted, 1);
    assert_int_equal(rf_parse_media(S("{\"Id\":"), &m, err, sizeof(err)), IC_EPROTO);
}

static void
t_manager(void **state)
{
    (void)state;
    char vm[RF_URI_MAX], err[128];
    assert_int_equal(rf_parse_manager(S("{\"VirtualMedia\":{\"@odata.id\":\"/redfish/v1/Managers/1/"
                                        "VirtualMedia\"}}"),
                                      vm, sizeof(vm), err, sizeof(err)),
                     0);
    assert_string_equal(vm, "/redfish/v1/Managers/1/VirtualMedia");
    assert_int_equal(rf_parse_manager(S("{}"), vm, sizeof(vm), err, sizeof(err)), 0);
    assert_string_equal(vm, "");
}

static void
t_error(void **state)
{
    (void)state;
    char msg[512];
    assert_int_equal(rf_parse_error(S(error_body), msg, sizeof(msg)), 0);
    assert_string_equal(msg, "CouldNotEstablishConnection: The service failed to establish a "
                             "connection with the URI 'http://127.0.0.1:1/x.iso'.");
    /* Two entries, one without MessageId. */
    assert_int_equal(
        rf_parse_error(S("{\"error\":{\"@Message.ExtendedInfo\":[{\"MessageId\":\"Base.1.8."
                         "PropertyUnknown\",\"Message\":\"a\"},{\"Message\":\"b\"},{\"x\":1}]}}"),
                       msg, sizeof(msg)),
        0);
    assert_string_equal(msg, "PropertyUnknown: a; b");
    /* No extended info: code and message. */
    assert_int_equal(rf_parse_error(S("{\"error\":{\"code\":\"Base.1.0.GeneralError\","
                                      "\"message\":\"see log\"}}"),
                                    msg, sizeof(msg)),
                     0);
    assert_string_equal(msg, "GeneralError: see log");
    assert_int_equal(rf_parse_error(S("{\"error\":{}}"), msg, sizeof(msg)), 0);
    assert_true(msg[0] != '\0');
    /* Not an error body. */
    assert_int_equal(rf_parse_error(S("{\"PowerState\":\"On\"}"), msg, sizeof(msg)), IC_EPROTO);
    assert_string_equal(msg, "");
    assert_int_equal(rf_parse_error(S("Service Unavailable"), msg, sizeof(msg)), IC_EPROTO);
    assert_int_equal(rf_parse_error(NULL, 0, msg, sizeof(msg)), IC_EPROTO);
    /* Small buffer: cut, terminated. */
    char small[8];
    assert_int_equal(rf_parse_error(S(error_body), small, sizeof(small)), 0);
    assert_string_equal(small, "CouldNo");
}

static void
t_task(void **state)
{
    (void)state;
    struct rf_task t;
    char err[128];
    assert_int_equal(rf_parse_task(S("{\"TaskState\":\"Running\",\"TaskStatus\":\"OK\","
                                     "\"Messages\":[]}"),
                                   &t, err, sizeof(err)),
                     0);
    assert_int_equal(t.state, RF_TASK_RUNNING);
    assert_int_equal(rf_parse_task(S("{\"TaskState\":\"Completed\",\"TaskStatus\":\"OK\"}"), &t,
                                   err, sizeof(err)),
                     0);
    assert_int_equal(t.state, RF_TASK_DONE);
    assert_int_equal(
        rf_parse_task(S("{\"TaskState\":\"Exception\",\"TaskStatus\":\"Critical\",\"Messages\":"
                        "[{\"MessageId\":\"Base.1.16.0.CouldNotEstablishConnection\",\"Message\":"
                        "\"refused\"}]}"),
                      &t, err, sizeof(err)),
        0);
    assert_int_equal(t.state, RF_TASK_FAILED);
    assert_string_equal(t.task_state, "Exception");
    assert_string_equal(t.message, "CouldNotEstablishConnection: refused");
    /* Completed with Critical status is a failure. */
    assert_int_equal(rf_parse_task(S("{\"TaskState\":\"Completed\",\"TaskStatus\":\"Critical\"}"),
                                   &t, err, sizeof(err)),
                     0);
    assert_int_equal(t.state, RF_TASK_FAILED);
    assert_int_equal(rf_parse_task(S("{\"TaskState\":\"Killed\"}"), &t, err, sizeof(err)), 0);
    assert_int_equal(t.state, RF_TASK_FAILED);
    assert_int_equal(rf_parse_task(S("{\"TaskStatus\":\"OK\"}"), &t, err, sizeof(err)), IC_EPROTO);
    assert_non_null(strstr(err, "TaskState"));
    assert_int_equal(rf_parse_task(S("{\"TaskState\":"), &t, err, sizeof(err)), IC_EPROTO);
}

/* ---- media server --------------------------------------------------------- */

struct fetched {
    long status;
    size_t len;
    unsigned char data[8192];
    char range[128];
};

static size_t
on_data(char *p, size_t sz, size_t n, void *arg)
{
    struct fetched *f = arg;
    size_t add = sz * n;
    if (f->len + add <= sizeof(f->data))
        memcpy(f->data + f->len, p, add);
    f->len += add;
    return add;
}

static size_t
on_hdr(char *p, size_t sz, size_t n, void *arg)
{
    struct fetched *f = arg;
    size_t len = sz * n;
    if (len > 16 && strncasecmp(p, "Content-Range:", 14) == 0) {
        len -= 15;
        while (len && (p[15 + len - 1] == '\r' || p[15 + len - 1] == '\n'))
            len--;
        snprintf(f->range, sizeof(f->range), "%.*s", (int)len, p + 15);
    }
    return sz * n;
}

static void
fetch(const char *url, const char *method, const char *range, struct fetched *f)
{
    memset(f, 0, sizeof(*f));
    CURL *h = curl_easy_init();
    assert_non_null(h);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, f);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_hdr);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, f);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 10L);
    if (strcmp(method, "HEAD") == 0)
        curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    else if (strcmp(method, "GET") != 0)
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
    if (range)
        curl_easy_setopt(h, CURLOPT_RANGE, range);
    assert_int_equal(curl_easy_perform(h), CURLE_OK);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &f->status);
    curl_easy_cleanup(h);
}

static void
t_media_srv(void **state)
{
    (void)state;
    char dir[] = "/tmp/ic-test-rf-XXXXXX", path[128], url[512], url2[512], err[256];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/boot image.iso", dir);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    unsigned char content[5000];
    for (size_t i = 0; i < sizeof(content); i++)
        content[i] = (unsigned char)(i * 7 + 3);
    assert_int_equal(fwrite(content, 1, sizeof(content), fp), sizeof(content));
    fclose(fp);

    struct rf_media_srv_opts o = {.listen = "127.0.0.1:0"};
    struct rf_media_srv *s = NULL;
    assert_int_equal(rf_media_srv_start(&o, &s, err, sizeof(err)), 0);
    unsigned port = rf_media_srv_port(s);
    assert_true(port > 0);

    assert_int_equal(rf_media_srv_offer(s, path, 0, url, sizeof(url), err, sizeof(err)), 0);
    char prefix[64];
    snprintf(prefix, sizeof(prefix), "http://127.0.0.1:%u/media/", port);
    assert_int_equal(strncmp(url, prefix, strlen(prefix)), 0);
    const char *id = url + strlen(prefix);
    assert_int_equal(strcspn(id, "/"), 64);
    for (int i = 0; i < 64; i++)
        assert_non_null(strchr("0123456789abcdef", id[i]));
    assert_string_equal(id + 64, "/boot%20image.iso");
    /* Two offers of one file: two unguessable ids. */
    assert_int_equal(rf_media_srv_offer(s, path, 0, url2, sizeof(url2), err, sizeof(err)), 0);
    assert_string_not_equal(url, url2);

    struct fetched f;
    fetch(url, "GET", NULL, &f);
    assert_int_equal(f.status, 200);
    assert_int_equal(f.len, sizeof(content));
    assert_memory_equal(f.data, content, sizeof(content));
    fetch(url, "HEAD", NULL, &f);
    assert_int_equal(f.status, 200);
    fetch(url, "GET", "100-199", &f);
    assert_int_equal(f.status, 206);
    assert_int_equal(f.len, 100);
    assert_memory_equal(f.data, content + 100, 100);
    assert_string_equal(f.range, "bytes 100-199/5000");
    fetch(url, "GET", "-10", &f);
    assert_int_equal(f.status, 206);
    assert_memory_equal(f.data, content + 4990, 10);
    fetch(url, "GET", "6000-", &f);
    assert_int_equal(f.status, 416);
    fetch(url, "POST", NULL, &f);
    assert_int_equal(f.status, 405);
    fetch(url, "PUT", NULL, &f);
    assert_int_equal(f.status, 405);

    struct rf_media_srv_stats st;
    assert_int_equal(rf_media_srv_stats(s, url, &st), 1);
    assert_int_equal(st.fetches, 4); /* the 416 counted, not the refused methods */
    assert_int_equal(st.heads, 1);
    assert_int_equal(st.active, 1);

    /* The right id with another name, another id, and other paths: 404. */
    char other[600];
    snprintf(other, sizeof(other), "%.*s/other.iso", (int)(strlen(url) - 16), url);
    fetch(other, "GET", NULL, &f);
    assert_int_equal(f.status, 404);
    snprintf(other, sizeof(other), "%s%064d/boot%%20image.iso", prefix, 0);
    fetch(other, "GET", NULL, &f);
    assert_int_equal(f.status, 404);
    snprintf(other, sizeof(other), "http://127.0.0.1:%u/", port);
    fetch(other, "GET", NULL, &f);
    assert_int_equal(f.status, 404);

    /* Revoked: 404, even though the file is still there; by id too. */
    assert_int_equal(rf_media_srv_revoke(s, url), 1);
    fetch(url, "GET", NULL, &f);
    assert_int_equal(f.status, 404);
    assert_int_equal(rf_media_srv_stats(s, url, &st), 1);
    assert_int_equal(st.active, 0);
    assert_int_equal(st.fetches, 4);
    assert_int_equal(rf_media_srv_revoke(s, strstr(url2, "/media/") + 7), 1);
    fetch(url2, "GET", NULL, &f);
    assert_int_equal(f.status, 404);
    assert_int_equal(rf_media_srv_revoke(s, "nonsense"), 0);
    assert_int_equal(rf_media_srv_stats(s, "nonsense", &st), 0);

    /* TTL: served, then 404 once it passed. */
    assert_int_equal(rf_media_srv_offer(s, path, 300, url, sizeof(url), err, sizeof(err)), 0);
    fetch(url, "GET", NULL, &f);
    assert_int_equal(f.status, 200);
    usleep(400 * 1000);
    fetch(url, "GET", NULL, &f);
    assert_int_equal(f.status, 404);

    /* Opened at offer time: the file removed afterwards is still served. */
    assert_int_equal(rf_media_srv_offer(s, path, 0, url, sizeof(url), err, sizeof(err)), 0);
    assert_int_equal(unlink(path), 0);
    fetch(url, "GET", NULL, &f);
    assert_int_equal(f.status, 200);
    assert_int_equal(f.len, sizeof(content));

    /* Refused: missing file, a directory, URL buffer too small. */
    assert_int_equal(rf_media_srv_offer(s, path, 0, url, sizeof(url), err, sizeof(err)), IC_EIO);
    assert_non_null(strstr(err, "No such file"));
    assert_int_equal(rf_media_srv_offer(s, dir, 0, url, sizeof(url), err, sizeof(err)), IC_EINVAL);
    assert_non_null(strstr(err, "not a regular file"));
    assert_int_equal(rf_media_srv_offer(s, "/etc/hostname", 0, url, 20, err, sizeof(err)),
                     IC_ETOOBIG);
    rf_media_srv_stop(s);
    rmdir(dir);

    /* Bad listen addresses. */
    struct rf_media_srv_opts bad[] = {
        {.listen = "127.0.0.1"}, {.listen = "127.0.0.1:x"},
        {.listen = "0.0.0.0:0"}, /* no public host */
        {.listen = "::1:0"},     {.listen = "127.0.0.1:0", .cert_file = "/nonexistent"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        s = NULL;
        assert_int_equal(rf_media_srv_start(&bad[i], &s, err, sizeof(err)), IC_EINVAL);
        assert_null(s);
    }
    struct rf_media_srv_opts pub = {.listen = "0.0.0.0:0", .public_host = "192.0.2.7"};
    assert_int_equal(rf_media_srv_start(&pub, &s, err, sizeof(err)), 0);
    assert_int_equal(rf_media_srv_offer(s, "/etc/hostname", 0, url, sizeof(url), err, sizeof(err)),
                     0);
    assert_int_equal(strncmp(url, "http://192.0.2.7:", 17), 0);
    rf_media_srv_stop(s);
    rf_media_srv_stop(NULL);
}

/* The client refuses bad options before any I/O. */
static void
t_client_opts(void **state)
{
    (void)state;
    struct rf_client *c = (struct rf_client *)1;
    char err[256];
    struct rf_opts o = {.url = "ftp://x", .user = "admin", .password = NULL};
    assert_int_equal(rf_client_new(&o, &c, err, sizeof(err)), IC_EINVAL);
    assert_null(c);
    rf_client_free(NULL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_root),        cmocka_unit_test(t_members), cmocka_unit_test(t_system),
        cmocka_unit_test(t_malformed),   cmocka_unit_test(t_media),   cmocka_unit_test(t_manager),
        cmocka_unit_test(t_error),       cmocka_unit_test(t_task),    cmocka_unit_test(t_media_srv),
        cmocka_unit_test(t_client_opts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
