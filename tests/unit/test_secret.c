/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_secret.c - secrets from the environment and from files, file mode
 * checks, length limits, K_g hex parsing (common/secret.c).
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

#include "secret.h"
#include "ic_err.h"

#define ENV_NAME "IC_TEST_SECRET_VALUE"

struct fixture {
    char dir[256];
    char path[300];
};

static int
setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    if (!f)
        return -1;
    const char *tmp = getenv("TMPDIR");
    snprintf(f->dir, sizeof(f->dir), "%s/ic_test_secret.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(f->dir)) {
        free(f);
        return -1;
    }
    snprintf(f->path, sizeof(f->path), "%s/pw", f->dir);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *f = *state;
    unlink(f->path);
    char link[320];
    snprintf(link, sizeof(link), "%s/link", f->dir);
    unlink(link);
    rmdir(f->dir);
    free(f);
    unsetenv(ENV_NAME);
    return 0;
}

/* (Re)writes the fixture file with the given bytes and mode. */
static void
write_file(const struct fixture *f, const void *p, size_t n, mode_t mode)
{
    unlink(f->path);
    FILE *fp = fopen(f->path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(p, 1, n, fp), n);
    assert_int_equal(fclose(fp), 0);
    assert_int_equal(chmod(f->path, mode), 0);
}

static void
expect_secret(const struct secret *s, const char *want)
{
    assert_non_null(s);
    assert_int_equal(secret_len(s), strlen(want));
    assert_memory_equal(secret_bytes(s), want, strlen(want));
}

static void
test_new_free(void **state)
{
    (void)state;
    uint8_t big[SECRET_MAX + 1] = {0};
    assert_null(secret_new(big, sizeof(big)));
    struct secret *s = secret_new(big, SECRET_MAX);
    assert_non_null(s);
    assert_int_equal(secret_len(s), SECRET_MAX);
    secret_free(s);
    s = secret_new(NULL, 0);
    assert_non_null(s);
    assert_int_equal(secret_len(s), 0);
    secret_free(s);
    secret_free(NULL);
    assert_null(secret_bytes(NULL));
    assert_int_equal(secret_len(NULL), 0);
}

static void
test_env(void **state)
{
    (void)state;
    struct secret *s = (struct secret *)1;
    char err[256] = "";
    unsetenv(ENV_NAME);
    assert_int_equal(secret_from_env(ENV_NAME, &s, err, sizeof(err)), IC_ECONFIG);
    assert_null(s);
    assert_non_null(strstr(err, ENV_NAME));

    setenv(ENV_NAME, "", 1);
    err[0] = '\0';
    assert_int_equal(secret_from_env(ENV_NAME, &s, err, sizeof(err)), IC_ECONFIG);
    assert_null(s);
    assert_non_null(strstr(err, ENV_NAME));

    setenv(ENV_NAME, "admin-secret", 1);
    assert_int_equal(secret_from_env(ENV_NAME, &s, err, sizeof(err)), 0);
    expect_secret(s, "admin-secret");
    secret_free(s);

    /* 20 bytes is the IPMI 2.0 maximum; 21 is refused with the limit named. */
    setenv(ENV_NAME, "operator-password-20", 1);
    assert_int_equal(secret_from_env(ENV_NAME, &s, err, sizeof(err)), 0);
    expect_secret(s, "operator-password-20");
    secret_free(s);
    setenv(ENV_NAME, "operator-password-21x", 1);
    assert_int_equal(secret_from_env(ENV_NAME, &s, err, sizeof(err)), IC_ECONFIG);
    assert_null(s);
    assert_non_null(strstr(err, "20"));
    unsetenv(ENV_NAME);
}

static void
test_file_modes(void **state)
{
    struct fixture *f = *state;
    struct secret *s;
    char err[512] = "";

    write_file(f, "admin-secret\n", 13, 0600);
    assert_int_equal(secret_from_file(f->path, 1, &s, err, sizeof(err)), 0);
    expect_secret(s, "admin-secret");
    secret_free(s);

    write_file(f, "admin-secret", 12, 0400);
    assert_int_equal(secret_from_file(f->path, 1, &s, err, sizeof(err)), 0);
    expect_secret(s, "admin-secret");
    secret_free(s);

    /* Readable by others: refused, and the message says how to fix it. */
    write_file(f, "admin-secret\n", 13, 0644);
    err[0] = '\0';
    assert_int_equal(secret_from_file(f->path, 1, &s, err, sizeof(err)), IC_ECONFIG);
    assert_null(s);
    assert_non_null(strstr(err, "chmod"));
    assert_non_null(strstr(err, f->path));
    assert_non_null(strstr(err, "0644"));
    /* Group-readable only is refused too. */
    write_file(f, "admin-secret\n", 13, 0640);
    assert_int_equal(secret_from_file(f->path, 1, &s, err, sizeof(err)), IC_ECONFIG);
    assert_null(s);
    /* Without the privacy requirement the same file is accepted. */
    write_file(f, "admin-secret\n", 13, 0644);
    assert_int_equal(secret_from_file(f->path, 0, &s, err, sizeof(err)), 0);
    expect_secret(s, "admin-secret");
    secret_free(s);
}

static void
test_file_content(void **state)
{
    struct fixture *f = *state;
    struct secret *s;
    char err[512] = "";

    /* One trailing newline (LF or CRLF) is stripped, and only one. */
    write_file(f, "pw\r\n", 4, 0600);
    assert_int_equal(secret_from_file(f->path, 1, &s, err, sizeof(err)), 0);
    expect_secret(s, "pw");
    secret_free(s);
    write_file(f, "pw\n\n", 4, 0600);
    assert_int_equal(secret_from_file(f->path, 1, &s, err, sizeof(err)), 0);
    expect_secret(s, "pw\n");
    secret_free(s);
    write_file(f, " pw ", 4, 0600);
    assert_int_equal(secret_from_file(f->path, 1, &s, err, sizeof(err)), 0);
    expect_secret(s, " pw ");
    secret_free(s);

    /* 20 bytes plus newline is fine; 21 bytes is refused. */
    write_file(f, "operator-password-20\n", 21, 0600);
    assert_int_equal(secret_from_file(f->path, 1, &s, err, sizeof(err)), 0);
    expect_secret(s, "operator-password-20");
    secret_free(s);
    write_file(f, "operator-password-21x", 21, 0600);
    err[0] = '\0';
    assert_int_equal(secret_from_file(f->path, 1, &s, err, sizeof(err)), IC_ECONFIG);
    assert_null(s);
    assert_non_null(strstr(err, "20"));
    /* Much longer than the read buffer: still refused, not truncated. */
    char big[200];
    memset(big, 'a', sizeof(big));
    write_file(f, big, sizeof(big), 0600);
    assert_int_equal(secret_from_file(f->path, 1, &s, err, sizeof(err)), IC_ECONFIG);
    assert_null(s);
}

static void
test_file_errors(void **state)
{
    struct fixture *f = *state;
    struct secret *s;
    char err[512] = "";
    char missing[320];
    snprintf(missing, sizeof(missing), "%s/missing", f->dir);
    assert_int_equal(secret_from_file(missing, 1, &s, err, sizeof(err)), IC_EIO);
    assert_null(s);
    assert_non_null(strstr(err, missing));

    /* A directory is not a secret file. */
    assert_int_equal(secret_from_file(f->dir, 0, &s, err, sizeof(err)), IC_ECONFIG);
    assert_null(s);

    /* Symlinks are not followed (someone else could point them anywhere). */
    char link[320];
    snprintf(link, sizeof(link), "%s/link", f->dir);
    write_file(f, "pw", 2, 0600);
    assert_int_equal(symlink(f->path, link), 0);
    assert_int_equal(secret_from_file(link, 1, &s, err, sizeof(err)), IC_EIO);
    assert_null(s);
}

static int
parse_key(const char *text, struct secret **out)
{
    struct secret *t = secret_new(text, strlen(text));
    assert_non_null(t);
    int rc = secret_parse_key(t, out);
    secret_free(t);
    return rc;
}

static void
test_parse_key(void **state)
{
    (void)state;
    struct secret *k;
    assert_int_equal(parse_key("0x0123456789abcdefABCDEF", &k), 0);
    const uint8_t want[] = {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0xab, 0xcd, 0xef};
    assert_int_equal(secret_len(k), sizeof(want));
    assert_memory_equal(secret_bytes(k), want, sizeof(want));
    secret_free(k);

    assert_int_equal(parse_key("0X00ff", &k), 0);
    assert_int_equal(secret_len(k), 2);
    assert_int_equal(secret_bytes(k)[0], 0x00);
    assert_int_equal(secret_bytes(k)[1], 0xff);
    secret_free(k);

    /* 20 bytes of hex (40 digits) is the maximum. */
    char hex[2 + 42 + 1] = "0x";
    memset(hex + 2, 'a', 40);
    hex[42] = '\0';
    assert_int_equal(parse_key(hex, &k), 0);
    assert_int_equal(secret_len(k), 20);
    secret_free(k);
    memset(hex + 2, 'a', 42);
    hex[44] = '\0';
    k = (struct secret *)1;
    assert_int_equal(parse_key(hex, &k), IC_ECONFIG);
    assert_null(k);

    /* Plain ASCII is taken as is (the §12.1 K_g vector), up to 20 bytes. */
    assert_int_equal(parse_key("0123456789abcdefghij", &k), 0);
    expect_secret(k, "0123456789abcdefghij");
    secret_free(k);
    assert_int_equal(parse_key("0123456789abcdefghijk", &k), IC_ECONFIG);
    assert_null(k);

    /* Bad hex: no digits, odd count, non-hex digits. */
    assert_int_equal(parse_key("0x", &k), IC_ECONFIG);
    assert_null(k);
    assert_int_equal(parse_key("0x123", &k), IC_ECONFIG);
    assert_null(k);
    assert_int_equal(parse_key("0x12zz", &k), IC_ECONFIG);
    assert_null(k);
    assert_int_equal(parse_key("0xg0", &k), IC_ECONFIG);
    assert_null(k);
    assert_int_equal(parse_key("0x12 4", &k), IC_ECONFIG);
    assert_null(k);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_new_free),
        cmocka_unit_test(test_env),
        cmocka_unit_test_setup_teardown(test_file_modes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_content, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_errors, setup, teardown),
        cmocka_unit_test(test_parse_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
