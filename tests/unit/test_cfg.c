/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_cfg.c - the daemon's configuration (config/): accessors and defaults,
 * ranges, every error path with its exact line:column, inline password rules
 * (cfg_parse's file_private and cfg_load's fstat), secret resolution, the
 * canonical print (never a secret), and the shipped config/example.yml.
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

#define PROFILE "profiles:\n  p: {user: u, password_env: PW}\n"

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

/* Parses text, expects failure and exactly the error lines in want. */
static void
parse_err(const char *text, const char *want)
{
    struct cfg *c = (struct cfg *)1;
    int rc = cfg_parse(text, strlen(text), "t.yml", 0, &c, err, sizeof(err));
    assert_int_equal(rc, IC_ECONFIG);
    assert_null(c);
    assert_string_equal(err, want);
}

static void
test_minimal(void **state)
{
    (void)state;
    static const char text[] = "global:\n"
                               "  listen: 127.0.0.1:9290\n"
                               "  database: ./collector.db\n"
                               "  interval: 10s\n"
                               "profiles:\n"
                               "  admin:\n"
                               "    user: admin\n"
                               "    password_env: BMC_PASSWORD\n"
                               "    cipher_suite: 3\n"
                               "    privilege: administrator\n"
                               "targets:\n"
                               "  - name: bmc001\n"
                               "    address: 127.0.0.1:9001\n"
                               "    profile: admin\n"
                               "    labels: {rack: r1}\n";
    struct cfg *c = parse_ok(text, 0);
    const struct cfg_global *g = cfg_global(c);
    assert_string_equal(g->listen, "127.0.0.1:9290");
    assert_string_equal(g->database, "./collector.db");
    assert_int_equal(g->interval_ms, 10000);
    assert_int_equal(g->timeout_ms, 1000);
    assert_int_equal(g->retries, 3);
    assert_int_equal(g->poller_threads, 0);
    assert_int_equal(g->log_level, CFG_LOG_INFO);
    assert_int_equal(g->retention_raw_ms, 7ull * 86400 * 1000);
    assert_int_equal(g->downsample_ms, 300000);
    assert_int_equal(g->max_db_size, 2ull << 30);
    assert_int_equal(cfg_nprofiles(c), 1);
    const struct cfg_profile *p = cfg_profile(c, 0);
    assert_string_equal(p->name, "admin");
    assert_string_equal(p->user, "admin");
    assert_int_equal(p->password_source, CFG_SECRET_ENV);
    assert_string_equal(p->password_ref, "BMC_PASSWORD");
    assert_int_equal(p->kg_source, CFG_SECRET_NONE);
    assert_int_equal(p->cipher_suite, 3);
    assert_int_equal(p->privilege, CFG_PRIV_ADMINISTRATOR);
    assert_ptr_equal(cfg_profile_find(c, "admin"), p);
    assert_null(cfg_profile_find(c, "nope"));
    assert_int_equal(cfg_ntargets(c), 1);
    const struct cfg_target *t = cfg_target(c, 0);
    assert_string_equal(t->name, "bmc001");
    assert_string_equal(t->host, "127.0.0.1");
    assert_int_equal(t->port, 9001);
    assert_ptr_equal(t->profile, p);
    assert_int_equal(t->interval_ms, 10000);
    assert_int_equal(t->timeout_ms, 1000);
    assert_int_equal(t->retries, 3);
    assert_int_equal(t->collectors, CFG_COLL_DEFAULT);
    assert_int_equal(t->nlabels, 1);
    assert_string_equal(t->labels[0].name, "rack");
    assert_string_equal(t->labels[0].value, "r1");
    assert_int_equal(t->ninclude, 0);
    assert_null(cfg_target(c, 1));
    cfg_free(c);
    cfg_free(NULL);
}

static void
test_defaults_and_overrides(void **state)
{
    (void)state;
    struct cfg *c = parse_ok("global: {timeout: 500ms, retries: 1}\n"
                             "profiles:\n"
                             "  p: {user: u, password_env: PW}\n"
                             "  q: {user: u, password_env: PW, timeout: 2s, retries: 4}\n"
                             "targets:\n"
                             "  - {name: a, address: 'h', profile: p}\n"
                             "  - {name: b, address: '[fd00::1]:700', profile: q, interval: 1m}\n"
                             "  - {name: c, address: 'h:1', profile: q, timeout: 50ms,\n"
                             "     collectors: [dcmi], sensors: {include: ['CPU*']}}\n",
                             0);
    const struct cfg_profile *p = cfg_profile(c, 0);
    assert_int_equal(p->cipher_suite, 17);
    assert_int_equal(p->privilege, CFG_PRIV_USER);
    assert_int_equal(p->timeout_ms, 500);
    assert_int_equal(p->retries, 1);
    const struct cfg_target *a = cfg_target(c, 0), *b = cfg_target(c, 1), *t = cfg_target(c, 2);
    assert_int_equal(a->port, 623);
    assert_int_equal(a->timeout_ms, 500);
    assert_string_equal(b->host, "fd00::1");
    assert_int_equal(b->port, 700);
    assert_int_equal(b->interval_ms, 60000);
    assert_int_equal(b->timeout_ms, 2000);
    assert_int_equal(b->retries, 4);
    assert_int_equal(t->timeout_ms, 50);
    assert_int_equal(t->collectors, CFG_COLL_DCMI);
    assert_int_equal(t->ninclude, 1);
    assert_string_equal(t->sensor_include[0], "CPU*");
    cfg_free(c);
}

static void
test_ranges(void **state)
{
    (void)state;
    struct cfg *c = parse_ok(PROFILE "targets:\n"
                                     "  - {name: 'b[008-010]', address: '10.0.[1-1].[8-10]'}\n"
                                     "  - {name: 'r[1-2]n[1-2]', address: 'h:[9001-9004]'}\n",
                             0);
    assert_int_equal(cfg_ntargets(c), 7);
    assert_string_equal(cfg_target(c, 0)->name, "b008");
    assert_string_equal(cfg_target(c, 2)->name, "b010");
    assert_string_equal(cfg_target(c, 2)->host, "10.0.1.10");
    assert_string_equal(cfg_target(c, 4)->name, "r1n2");
    assert_int_equal(cfg_target(c, 4)->port, 9002);
    assert_string_equal(cfg_target(c, 6)->name, "r2n2");
    assert_int_equal(cfg_target(c, 6)->port, 9004);
    cfg_free(c);
}

static void
test_errors(void **state)
{
    (void)state;
    parse_err(
        "global:\n  intervall: 10s\n" PROFILE "targets: []\n",
        "t.yml:2:3: unknown key 'intervall' in global (expected listen, database, "
        "interval, timeout, retries, log_level, retention, sdr_refresh, poller_threads, max_inflight)");
    parse_err("global: {retries: 1, retries: 2}\n" PROFILE "targets: []\n",
              "t.yml:1:22: duplicate key 'retries' in global (first at line 1)");
    parse_err("global: {interval: [1s]}\n" PROFILE "targets: []\n",
              "t.yml:1:20: interval: expected a value, got a list");
    parse_err(PROFILE "targets: {a: b}\n",
              "t.yml:3:10: targets: expected a list of targets, got a mapping");
    parse_err(PROFILE "targets:\n  - {name: 'a[1-3]', address: 'h:[1-2]'}\n",
              "t.yml:4:31: address 'h:[1-2]' expands to 2 addresses but name 'a[1-3]' to 3 names");
    parse_err(PROFILE "targets:\n  - {name: 'a[1-400][1-400]', address: 'h:[1-400][1-400]'}\n",
              "t.yml:4:12: too many targets: more than 100000 after expanding 'a[1-400][1-400]'");
    parse_err(PROFILE "targets:\n  - {name: a, address: h}\n  - {name: a, address: i}\n",
              "t.yml:5:12: duplicate target name 'a' (first at t.yml:4)");
    parse_err(PROFILE "targets:\n  - {name: a, address: h, labels: {target: x, __a: y}}\n",
              "t.yml:4:36: label 'target': this label is set by the collector itself\n"
              "t.yml:4:47: label '__a': names starting with '__' are reserved by Prometheus");
    parse_err("profiles:\n  p: {user: u, password_env: PW, cipher_suite: 0}\ntargets: []\n",
              "t.yml:2:48: cipher_suite: 0 (no authentication, no encryption) is never allowed");
    parse_err("profiles:\n  p: {user: u, password_env: PW, cipher_suite: 2}\ntargets: []\n",
              "t.yml:2:48: cipher_suite: '2' is not allowed (allowed: 17, 3, auto)");
    parse_err("profiles:\n  p: {user: u}\ntargets: []\n",
              "t.yml:2:3: profile 'p': needs exactly one of password_env, password_file, "
              "password");
    parse_err("profiles:\n  p: {user: u, password: x}\ntargets: []\n",
              "t.yml:2:26: password: inline password refused: t.yml is readable by group or "
              "others (chmod 600 t.yml, or use password_env or password_file)");
    parse_err(PROFILE "targets:\n  - {name: a, address: 'fd00::1'}\n",
              "t.yml:4:24: address 'fd00::1': put an IPv6 address in brackets: [addr]:port");
    parse_err(PROFILE "targets:\n  - {name: a, address: h, profile: x}\n",
              "t.yml:4:36: profile: no profile named 'x'");
    parse_err("profiles: {a: [\n", "t.yml:2:1: YAML syntax error: did not find expected node "
                                   "content while parsing a flow node");
    parse_err("", "t.yml:1:1: empty configuration");
    parse_err("profiles:\n  p: &x {user: u, password_env: PW}\n  q: *x\ntargets: []\n",
              "t.yml:2:6: aliases are not supported");
    parse_err(PROFILE, "t.yml:1:1: no targets: add a 'targets' list or an 'inventory' file");
}

static void
test_many_errors(void **state)
{
    (void)state;
    char text[4096] = "global:\n";
    for (int i = 0; i < 60; i++)
        snprintf(text + strlen(text), sizeof(text) - strlen(text), "  k%d: 1\n", i);
    strcat(text, PROFILE "targets: []\n");
    struct cfg *c = NULL;
    assert_int_equal(cfg_parse(text, strlen(text), "t.yml", 0, &c, err, sizeof(err)), IC_ECONFIG);
    size_t lines = 1;
    for (const char *p = err; *p; p++)
        lines += *p == '\n';
    assert_int_equal(lines, CFG_MAX_ERRORS + 1);
    assert_non_null(strstr(err, "t.yml: too many errors (60), stopped after 50"));
    /* A short buffer still gets a terminated prefix. */
    char small[16];
    assert_int_equal(cfg_parse(text, strlen(text), "t.yml", 0, &c, small, sizeof(small)),
                     IC_ECONFIG);
    assert_int_equal(strlen(small), sizeof(small) - 1);
}

static void
test_inline_password(void **state)
{
    (void)state;
    static const char text[] = "profiles:\n  p: {user: u, password: hunter2}\n"
                               "targets:\n  - {name: a, address: h}\n";
    struct cfg *c = parse_ok(text, 1);
    const struct cfg_profile *p = cfg_profile(c, 0);
    assert_int_equal(p->password_source, CFG_SECRET_INLINE);
    struct secret *s = NULL;
    assert_int_equal(cfg_profile_password(p, &s, err, sizeof(err)), 0);
    assert_int_equal(secret_len(s), 7);
    assert_memory_equal(secret_bytes(s), "hunter2", 7);
    secret_free(s);
    assert_int_equal(cfg_profile_kg(p, &s, err, sizeof(err)), 0);
    assert_null(s);

    char *out = NULL;
    size_t outlen = 0;
    FILE *fp = open_memstream(&out, &outlen);
    assert_non_null(fp);
    assert_int_equal(cfg_print(c, fp), 0);
    fclose(fp);
    assert_null(strstr(out, "hunter2"));
    assert_non_null(strstr(out, "password: \"<hidden>\""));
    /* The printed form parses again (as a private file) and prints the same. */
    struct cfg *c2 = parse_ok(out, 1);
    char *out2 = NULL;
    size_t outlen2 = 0;
    fp = open_memstream(&out2, &outlen2);
    assert_non_null(fp);
    assert_int_equal(cfg_print(c2, fp), 0);
    fclose(fp);
    assert_string_equal(out, out2);
    free(out);
    free(out2);
    cfg_free(c2);
    cfg_free(c);
}

static void
test_password_env(void **state)
{
    (void)state;
    struct cfg *c = parse_ok("profiles:\n  p: {user: u, password_env: IC_TEST_CFG_PW}\n"
                             "targets:\n  - {name: a, address: h}\n",
                             0);
    struct secret *s = NULL;
    unsetenv("IC_TEST_CFG_PW");
    assert_int_equal(cfg_profile_password(cfg_profile(c, 0), &s, err, sizeof(err)), IC_ECONFIG);
    assert_non_null(strstr(err, "profile 'p'"));
    setenv("IC_TEST_CFG_PW", "pw", 1);
    assert_int_equal(cfg_profile_password(cfg_profile(c, 0), &s, err, sizeof(err)), 0);
    assert_int_equal(secret_len(s), 2);
    secret_free(s);
    unsetenv("IC_TEST_CFG_PW");
    cfg_free(c);
}

/* cfg_load() decides from fstat whether inline passwords are allowed. */
static void
test_load_mode(void **state)
{
    (void)state;
    char path[300];
    const char *tmp = getenv("TMPDIR");
    snprintf(path, sizeof(path), "%s/ic_test_cfg.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    static const char text[] = "profiles:\n  p: {user: u, password: pw}\n"
                               "targets:\n  - {name: a, address: h}\n";
    assert_int_equal(write(fd, text, sizeof(text) - 1), (ssize_t)(sizeof(text) - 1));
    close(fd);
    struct cfg *c = NULL;
    assert_int_equal(chmod(path, 0600), 0);
    assert_int_equal(cfg_load(path, &c, err, sizeof(err)), 0);
    cfg_free(c);
    assert_int_equal(chmod(path, 0644), 0);
    assert_int_equal(cfg_load(path, &c, err, sizeof(err)), IC_ECONFIG);
    assert_null(c);
    assert_non_null(strstr(err, ":2:26: password: inline password refused"));
    unlink(path);
    assert_int_equal(cfg_load(path, &c, err, sizeof(err)), IC_EIO);
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
    assert_int_equal(cfg_ntargets(c), 8);
    assert_int_equal(cfg_nprofiles(c), 2);
    assert_string_equal(cfg_target(c, 3)->name, "bmc004.dc1");
    assert_string_equal(cfg_target(c, 7)->name, "node2-2");
    cfg_free(c);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_minimal),      cmocka_unit_test(test_defaults_and_overrides),
        cmocka_unit_test(test_ranges),       cmocka_unit_test(test_errors),
        cmocka_unit_test(test_many_errors),  cmocka_unit_test(test_inline_password),
        cmocka_unit_test(test_password_env), cmocka_unit_test(test_load_mode),
        cmocka_unit_test(test_example),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
