/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_util.h - helpers shared by the unit tests (include after cmocka.h):
 * hex fixtures and exactly-sized heap copies, so that a read one byte past
 * the end of a packet trips ASan.
 */
#ifndef IC_TEST_UTIL_H
#define IC_TEST_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Parses hex digits (anything else is ignored) into out; returns the byte count. */
static inline size_t
unhex(const char *s, uint8_t *out, size_t cap)
{
    size_t n = 0;
    int hi = -1;

    for (; *s; s++) {
        int v;
        if (*s >= '0' && *s <= '9')
            v = *s - '0';
        else if (*s >= 'a' && *s <= 'f')
            v = *s - 'a' + 10;
        else if (*s >= 'A' && *s <= 'F')
            v = *s - 'A' + 10;
        else
            continue;
        if (hi < 0) {
            hi = v;
        } else {
            assert_true(n < cap);
            out[n++] = (uint8_t)(hi << 4 | v);
            hi = -1;
        }
    }
    assert_int_equal(hi, -1);
    return n;
}

/* Asserts that got[0..len) is exactly the bytes written in hex in want. */
static inline void
assert_hex(const uint8_t *got, size_t len, const char *want)
{
    uint8_t w[256];
    size_t n = unhex(want, w, sizeof(w));

    assert_int_equal(len, n);
    assert_memory_equal(got, w, n);
}

/* An exactly-sized heap copy of p (the caller frees it). */
static inline uint8_t *
dup_n(const uint8_t *p, size_t n)
{
    uint8_t *q = malloc(n ? n : 1);
    assert_non_null(q);
    if (n)
        memcpy(q, p, n);
    return q;
}

#endif
