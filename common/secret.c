/* SPDX-License-Identifier: Apache-2.0 */
/* secret.c - wiped-on-free secret holder (see secret.h). */
#include "secret.h"
#include "ic_err.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct secret {
    size_t len;
    uint8_t bytes[SECRET_MAX];
};

struct secret *
secret_new(const void *p, size_t len)
{
    if (len > SECRET_MAX)
        return NULL;
    struct secret *s = calloc(1, sizeof(*s));
    if (!s)
        return NULL;
    if (len)
        memcpy(s->bytes, p, len);
    s->len = len;
    return s;
}

int
secret_from_env(const char *name, struct secret **out, char *err, size_t errlen)
{
    const char *v = getenv(name);
    *out = NULL;
    if (!v || !*v) {
        snprintf(err, errlen, "environment variable %s is not set or empty", name);
        return IC_ECONFIG;
    }
    size_t n = strlen(v);
    if (n > 20) {
        snprintf(err, errlen, "environment variable %s holds %zu bytes; IPMI allows at most 20",
                 name, n);
        return IC_ECONFIG;
    }
    *out = secret_new(v, n);
    return *out ? 0 : IC_ENOMEM;
}

int
secret_from_file(const char *path, int require_private, struct secret **out, char *err,
                 size_t errlen)
{
    return secret_from_file_max(path, require_private, 20, out, err, errlen);
}

int
secret_from_file_max(const char *path, int require_private, size_t max, struct secret **out,
                     char *err, size_t errlen)
{
    uint8_t tmp[SECRET_MAX + 2];
    int rc = IC_EIO;
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        snprintf(err, errlen, "cannot open secret file %s: %s", path, strerror(errno));
        return IC_EIO;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        snprintf(err, errlen, "cannot stat secret file %s: %s", path, strerror(errno));
        goto out;
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "secret file %s is not a regular file", path);
        rc = IC_ECONFIG;
        goto out;
    }
    if (require_private && (st.st_mode & 077)) {
        snprintf(err, errlen,
                 "secret file %s is accessible by group or others (mode %04o); run chmod 600 %s",
                 path, (unsigned)(st.st_mode & 07777), path);
        rc = IC_ECONFIG;
        goto out;
    }
    ssize_t n = read(fd, tmp, sizeof(tmp));
    if (n < 0) {
        snprintf(err, errlen, "cannot read secret file %s: %s", path, strerror(errno));
        goto out;
    }
    size_t len = (size_t)n;
    if (len && tmp[len - 1] == '\n')
        len--;
    if (len && tmp[len - 1] == '\r')
        len--;
    if (max > SECRET_MAX)
        max = SECRET_MAX;
    if (len > max) {
        snprintf(err, errlen, "secret file %s holds more than %zu bytes; IPMI allows at most %zu",
                 path, max, max);
        rc = IC_ECONFIG;
        goto out;
    }
    *out = secret_new(tmp, len);
    rc = *out ? 0 : IC_ENOMEM;
out:
    explicit_bzero(tmp, sizeof(tmp));
    close(fd);
    return rc;
}

static int
hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower(c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

int
secret_parse_key(const struct secret *text, struct secret **out)
{
    const uint8_t *t = text->bytes;
    size_t n = text->len;
    *out = NULL;
    if (n >= 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) {
        uint8_t key[20];
        size_t hex = n - 2;
        if (hex == 0 || hex % 2 || hex / 2 > sizeof(key))
            return IC_ECONFIG;
        for (size_t i = 0; i < hex / 2; i++) {
            int hi = hexval(t[2 + 2 * i]), lo = hexval(t[3 + 2 * i]);
            if (hi < 0 || lo < 0) {
                explicit_bzero(key, sizeof(key));
                return IC_ECONFIG;
            }
            key[i] = (uint8_t)(hi << 4 | lo);
        }
        *out = secret_new(key, hex / 2);
        explicit_bzero(key, sizeof(key));
    } else {
        if (n > 20)
            return IC_ECONFIG;
        *out = secret_new(t, n);
    }
    return *out ? 0 : IC_ENOMEM;
}

const uint8_t *
secret_bytes(const struct secret *s)
{
    return s ? s->bytes : NULL;
}

size_t
secret_len(const struct secret *s)
{
    return s ? s->len : 0;
}

void
secret_free(struct secret *s)
{
    if (!s)
        return;
    explicit_bzero(s, sizeof(*s));
    free(s);
}
