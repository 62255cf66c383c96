/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_cfg_alerting.c - the "alerting:" section of the daemon's configuration
 * (config/cfg_alerting.c): defaults, every route field and the receiver
 * pointer, cfg_receiver_secret() from the environment, a private file (0600
 * accepted, 0644 refused at load and at use) and inline (private source
 * only), secrets never printed, the printed form parsing back to the same
 * configuration, a few exact error positions and config/example.yml.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "cfg.h"
#include "ic_err.h"
#include "secret.h"

#define BASE                                        \
    "profiles:\n  p: {user: u, password_env: PW}\n" \
    "targets:\n  - {name: a, address: 10.0.0.1, labels: {rack: r1}}\n"

static char err[8192];

static struct cfg *
parse_ok(const char *text, int priv)
{
    struct cfg *c = NULL;
    int rc = cfg_parse(text, strlen(text), "t.yml", priv, &c, err, sizeof(err));
    if (rc != 0)
        fprintf(stderr, "unexpected errors:\n%s\n", err);
    assert_int_equal(rc, 0);
    assert_non_null(c);
    return c;
}

static void
parse_err(const char *text, int priv, const char *want)
{
    struct cfg *c = (struct cfg *)1;
    int rc = cfg_parse(text, strlen(text), "t.yml", priv, &c, err, sizeof(err));
    assert_int_equal(rc, IC_ECONFIG);
    assert_null(c);
    assert_string_equal(err, want);
}

static char *
print_str(const struct cfg *c)
{
    char *out = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&out, &len);
    assert_non_null(fp);
    assert_int_equal(cfg_print(c, fp), 0);
    fclose(fp);
    return out;
}

/* A temporary file holding text with the given mode; path in buf. */
static void
temp_file(char *buf, size_t len, const char *text, mode_t mode)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(buf, len, "%s/ic_test_cfg_alerting.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    int fd = mkstemp(buf);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    assert_int_equal(chmod(buf, mode), 0);
}

static void
test_minimal_defaults(void **state)
{
    (void)state;
    static const char text[] = BASE "alerting:\n"
                                    "  receivers:\n"
                                    "    - name: ops-hook\n"
                                    "      type: webhook\n"
                                    "      url: http://127.0.0.1:9099/hook\n"
                                    "      secret_env: HOOK_SECRET\n"
                                    "    - name: am\n"
                                    "      type: alertmanager\n"
                                    "      url: http://127.0.0.1:9093/\n"
                                    "  routes:\n"
                                    "    - receiver: ops-hook\n"
                                    "    - receiver: am\n"
                                    "      match: {severity: [warning, critical]}\n";
    struct cfg *c = parse_ok(text, 0);
    const struct cfg_alerting *a = cfg_alerting(c);
    assert_non_null(a);
    assert_int_equal(a->unreachable_after_ms, 60000);
    assert_int_equal(a->debounce, 2);
    assert_int_equal(a->nreceivers, 2);
    const struct cfg_receiver *h = &a->receivers[0], *am = &a->receivers[1];
    assert_string_equal(h->name, "ops-hook");
    assert_int_equal(h->type, CFG_RCV_WEBHOOK);
    assert_string_equal(cfg_receiver_type_name(h->type), "webhook");
    assert_string_equal(h->url, "http://127.0.0.1:9099/hook");
    assert_int_equal(h->secret_source, CFG_SECRET_ENV);
    assert_string_equal(h->secret_ref, "HOOK_SECRET");
    assert_int_equal(h->nheaders, 0);
    assert_null(h->ca_file);
    assert_int_equal(h->tls_verify, 1);
    assert_int_equal(h->timeout_ms, 10000);
    assert_int_equal(h->max_concurrency, 4);
    assert_int_equal(h->max_age_ms, 24ull * 3600 * 1000);
    assert_int_equal(h->resend_ms, 60000);
    assert_int_equal(am->type, CFG_RCV_ALERTMANAGER);
    assert_string_equal(cfg_receiver_type_name(am->type), "alertmanager");
    assert_string_equal(am->url, "http://127.0.0.1:9093"); /* trailing '/' dropped */
    assert_int_equal(am->secret_source, CFG_SECRET_NONE);
    assert_int_equal(a->nroutes, 2);
    assert_ptr_equal(a->routes[0].receiver, h);
    assert_int_equal(a->routes[0].nseverities + a->routes[0].nkinds + a->routes[0].nsensor_types +
                         a->routes[0].nlabels + a->routes[0].ntargets,
                     0);
    assert_ptr_equal(a->routes[1].receiver, am);
    assert_int_equal(a->routes[1].nseverities, 2);
    assert_string_equal(a->routes[1].severities[0], "warning");
    assert_string_equal(a->routes[1].severities[1], "critical");

    struct secret *s = (struct secret *)1;
    assert_int_equal(cfg_receiver_secret(am, &s, err, sizeof(err)), 0);
    assert_null(s);
    cfg_free(c);

    c = parse_ok(BASE, 0);
    assert_null(cfg_alerting(c));
    cfg_free(c);
    c = parse_ok(BASE "alerting: {}\n", 0);
    assert_non_null(cfg_alerting(c));
    assert_int_equal(cfg_alerting(c)->nreceivers, 0);
    cfg_free(c);
}

static void
test_route_fields(void **state)
{
    (void)state;
    static const char text[] =
        BASE "alerting:\n"
             "  unreachable_after: 1d\n"
             "  debounce: 20\n"
             "  routes:\n"
             "    - receiver: later\n" /* defined below: receivers are walked first */
             "      match:\n"
             "        severity: ok\n"
             "        kind: [sel, unreachable]\n"
             "        sensor_type: [Temperature, \"Power Supply\"]\n"
             "        labels: {rack: r1, room: \"a b\"}\n"
             "        target: [\"bmc*\", \"node[12]\"]\n"
             "  receivers:\n"
             "    - name: later\n"
             "      type: webhook\n"
             "      url: https://h.example/x\n"
             "      headers: {X-Team: ops, Authorization-Id: \"v 1\"}\n"
             "      insecure_skip_verify: true\n"
             "      timeout: 100ms\n"
             "      max_concurrency: 64\n"
             "      max_age: 30d\n";
    struct cfg *c = parse_ok(text, 0);
    const struct cfg_alerting *a = cfg_alerting(c);
    assert_int_equal(a->unreachable_after_ms, 86400000);
    assert_int_equal(a->debounce, 20);
    const struct cfg_receiver *r = &a->receivers[0];
    assert_int_equal(r->tls_verify, 0);
    assert_int_equal(r->timeout_ms, 100);
    assert_int_equal(r->max_concurrency, 64);
    assert_int_equal(r->max_age_ms, 30ull * 86400000);
    assert_int_equal(r->nheaders, 2);
    assert_string_equal(r->headers[1].name, "Authorization-Id");
    assert_string_equal(r->headers[1].value, "v 1");
    const struct cfg_route *rt = &a->routes[0];
    assert_ptr_equal(rt->receiver, r);
    assert_int_equal(rt->nseverities, 1);
    assert_string_equal(rt->severities[0], "ok");
    assert_int_equal(rt->nkinds, 2);
    assert_string_equal(rt->kinds[1], "unreachable");
    assert_int_equal(rt->nsensor_types, 2);
    assert_string_equal(rt->sensor_types[1], "Power Supply");
    assert_int_equal(rt->nlabels, 2);
    assert_string_equal(rt->labels[1].name, "room");
    assert_string_equal(rt->labels[1].value, "a b");
    assert_int_equal(rt->ntargets, 2);
    assert_string_equal(rt->targets[1], "node[12]");

    /* The canonical form parses back to the same configuration. */
    char *out = print_str(c);
    struct cfg *c2 = parse_ok(out, 0);
    char *out2 = print_str(c2);
    assert_string_equal(out, out2);
    free(out);
    free(out2);
    cfg_free(c2);
    cfg_free(c);
}

static void
test_secret_env(void **state)
{
    (void)state;
    struct cfg *c = parse_ok(BASE "alerting:\n  receivers:\n"
                                  "    - {name: h, type: webhook, url: \"http://h/\", "
                                  "secret_env: IC_TEST_HOOK_SECRET}\n",
                             0);
    const struct cfg_receiver *r = &cfg_alerting(c)->receivers[0];
    struct secret *s = NULL;
    unsetenv("IC_TEST_HOOK_SECRET");
    assert_int_equal(cfg_receiver_secret(r, &s, err, sizeof(err)), IC_ECONFIG);
    assert_null(s);
    assert_non_null(strstr(err, "receiver 'h'"));
    /* Longer than IPMI's 20 bytes is fine for a signing key. */
    static const char key[] = "0123456789abcdef0123456789abcdef0123456789";
    setenv("IC_TEST_HOOK_SECRET", key, 1);
    assert_int_equal(cfg_receiver_secret(r, &s, err, sizeof(err)), 0);
    assert_int_equal(secret_len(s), strlen(key));
    assert_memory_equal(secret_bytes(s), key, strlen(key));
    secret_free(s);
    char big[SECRET_MAX + 2];
    memset(big, 'k', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    setenv("IC_TEST_HOOK_SECRET", big, 1);
    assert_int_equal(cfg_receiver_secret(r, &s, err, sizeof(err)), IC_ECONFIG);
    assert_null(s);
    unsetenv("IC_TEST_HOOK_SECRET");
    cfg_free(c);
}

static void
test_secret_file(void **state)
{
    (void)state;
    char path[300], text[1024];
    temp_file(path, sizeof(path), "file-secret\n", 0600);
    snprintf(text, sizeof(text),
             BASE "alerting:\n  receivers:\n"
                  "    - {name: h, type: webhook, url: \"http://h/\", secret_file: \"%s\"}\n",
             path);
    struct cfg *c = parse_ok(text, 0);
    const struct cfg_receiver *r = &cfg_alerting(c)->receivers[0];
    assert_int_equal(r->secret_source, CFG_SECRET_FILE);
    assert_string_equal(r->secret_ref, path);
    struct secret *s = NULL;
    assert_int_equal(cfg_receiver_secret(r, &s, err, sizeof(err)), 0);
    assert_int_equal(secret_len(s), 11);
    assert_memory_equal(secret_bytes(s), "file-secret", 11);
    secret_free(s);
    /* Made readable by others after the load: refused when used. */
    assert_int_equal(chmod(path, 0644), 0);
    assert_int_equal(cfg_receiver_secret(r, &s, err, sizeof(err)), IC_ECONFIG);
    assert_null(s);
    assert_non_null(strstr(err, "receiver 'h': "));
    cfg_free(c);

    /* Mode 0644 at load: an error at the value's position. */
    struct cfg *bad = (struct cfg *)1;
    assert_int_equal(cfg_parse(text, strlen(text), "t.yml", 0, &bad, err, sizeof(err)), IC_ECONFIG);
    assert_null(bad);
    assert_non_null(strstr(err, "t.yml:7:63: secret_file: '"));
    assert_non_null(strstr(err, "has mode 0644: others can read it"));
    unlink(path);
    assert_int_equal(cfg_parse(text, strlen(text), "t.yml", 0, &bad, err, sizeof(err)), IC_ECONFIG);
    assert_non_null(strstr(err, "No such file or directory"));
}

static void
test_secret_inline(void **state)
{
    (void)state;
    static const char text[] = BASE "alerting:\n  receivers:\n"
                                    "    - name: h\n"
                                    "      type: webhook\n"
                                    "      url: http://h/\n"
                                    "      secret: hunter2-but-longer-than-twenty\n";
    struct cfg *c = parse_ok(text, 1);
    const struct cfg_receiver *r = &cfg_alerting(c)->receivers[0];
    assert_int_equal(r->secret_source, CFG_SECRET_INLINE);
    assert_null(r->secret_ref);
    struct secret *s = NULL;
    assert_int_equal(cfg_receiver_secret(r, &s, err, sizeof(err)), 0);
    assert_int_equal(secret_len(s), 30);
    assert_memory_equal(secret_bytes(s), "hunter2-but-longer-than-twenty", 30);
    secret_free(s);
    char *out = print_str(c);
    assert_null(strstr(out, "hunter2"));
    assert_non_null(strstr(out, "      secret: \"<hidden>\"\n"));
    free(out);
    cfg_free(c);

    parse_err(text, 0,
              "t.yml:10:15: secret: inline secret refused: t.yml is readable by group or others "
              "(chmod 600 t.yml, or use secret_env or secret_file)");
}

static void
test_errors(void **state)
{
    (void)state;
    parse_err(BASE "alerting:\n  receivers:\n"
                   "    - {name: am, type: alertmanager, url: \"http://am\", secret_env: S}\n"
                   "    - {name: am, type: webhook, url: \"gopher://x\"}\n"
                   "  routes:\n    - {receiver: nope}\n",
              0,
              "t.yml:7:68: secret_env: an alertmanager receiver takes no signing secret (only "
              "webhook does)\n"
              "t.yml:8:14: duplicate receiver 'am' (first at line 7)\n"
              "t.yml:8:38: url: 'gopher://x' must start with http:// or https://\n"
              "t.yml:10:18: receiver: no receiver named 'nope' in alerting.receivers");
    parse_err(BASE "alerting:\n  receivers:\n    - {name: h}\n"
                   "    - {name: i, type: webhook, url: \"http://h\", headers: {X-A: \"a\\nb\"}}\n",
              0,
              "t.yml:7:7: receiver 'h': missing key 'type' (webhook or alertmanager)\n"
              "t.yml:7:7: receiver 'h': missing key 'url'\n"
              "t.yml:8:64: header 'X-A': the value contains CR, LF or another control character");
    parse_err(BASE "alerting:\n  receivers: []\n  routes: [{receiver: x}]\n  debounce: 21\n", 0,
              "t.yml:6:14: receivers: empty list, but the routes need receivers\n"
              "t.yml:8:13: debounce: expected a number from 1 to 20, got '21'");
    parse_err(
        BASE "alerting:\n  routes:\n    - {receiver: x, match: {severity: [bad], kind: x}}\n", 0,
        "t.yml:7:5: routes: there are no receivers (add alerting.receivers)\n"
        "t.yml:7:40: match.severity: unknown value 'bad' (expected info, ok, warning, "
        "critical)\n"
        "t.yml:7:52: match.kind: unknown value 'x' (expected sel, sensor, unreachable, console)");
}

static void
test_example(void **state)
{
    (void)state;
    struct cfg *c = NULL;
    int rc = cfg_load(IC_SOURCE_DIR "/config/example.yml", &c, err, sizeof(err));
    if (rc != 0)
        fprintf(stderr, "%s\n", err);
    assert_int_equal(rc, 0);
    const struct cfg_alerting *a = cfg_alerting(c);
    assert_non_null(a);
    assert_int_equal(a->nreceivers, 2);
    assert_int_equal(a->nroutes, 2);
    assert_ptr_equal(a->routes[1].receiver, &a->receivers[1]);
    cfg_free(c);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_minimal_defaults), cmocka_unit_test(test_route_fields),
        cmocka_unit_test(test_secret_env),       cmocka_unit_test(test_secret_file),
        cmocka_unit_test(test_secret_inline),    cmocka_unit_test(test_errors),
        cmocka_unit_test(test_example),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
