/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_buf.c - bounded readers and writers (common/buf.c): byte order,
 * exact boundaries, the sticky error and zero results after it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "buf.h"
#include "ic_err.h"

static const uint8_t seq8[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08};

static void
test_rd_values(void **state)
{
    (void)state;
    struct buf_rd r;
    buf_rd_init(&r, seq8, sizeof(seq8));
    assert_int_equal(buf_rd_left(&r), 8);
    assert_ptr_equal(buf_rd_ptr(&r), seq8);
    assert_int_equal(buf_get_u8(&r), 0x01);
    assert_int_equal(buf_get_le16(&r), 0x0302);
    assert_int_equal(buf_get_be16(&r), 0x0405);
    assert_ptr_equal(buf_rd_ptr(&r), seq8 + 5);
    assert_int_equal(buf_rd_left(&r), 3);
    assert_int_equal(buf_rd_err(&r), 0);

    buf_rd_init(&r, seq8, sizeof(seq8));
    assert_int_equal(buf_get_le32(&r), 0x04030201u);
    assert_int_equal(buf_get_be32(&r), 0x05060708u);
    assert_int_equal(buf_rd_left(&r), 0);
    assert_int_equal(buf_rd_err(&r), 0);

    /* High bits survive (no sign extension). */
    const uint8_t ff[] = {0xff, 0xfe, 0xfd, 0xfc};
    buf_rd_init(&r, ff, sizeof(ff));
    assert_int_equal(buf_get_le32(&r), 0xfcfdfeffu);
    buf_rd_init(&r, ff, sizeof(ff));
    assert_int_equal(buf_get_be32(&r), 0xfffefdfcu);
    buf_rd_init(&r, ff, sizeof(ff));
    assert_int_equal(buf_get_be16(&r), 0xfffe);
    assert_int_equal(buf_get_le16(&r), 0xfcfd);
}

static void
test_rd_bytes_span_skip(void **state)
{
    (void)state;
    struct buf_rd r;
    uint8_t out[4];
    buf_rd_init(&r, seq8, sizeof(seq8));
    buf_skip(&r, 2);
    buf_get_bytes(&r, out, 3);
    assert_memory_equal(out, seq8 + 2, 3);
    const uint8_t *sp = buf_get_span(&r, 3);
    assert_ptr_equal(sp, seq8 + 5);
    assert_int_equal(buf_rd_left(&r), 0);
    /* Zero-length operations at the end succeed. */
    assert_non_null(buf_get_span(&r, 0));
    buf_get_bytes(&r, out, 0);
    buf_skip(&r, 0);
    assert_int_equal(buf_rd_err(&r), 0);
}

static void
test_rd_sticky(void **state)
{
    (void)state;
    struct buf_rd r;
    uint8_t out[4] = {0xAA, 0xAA, 0xAA, 0xAA};
    buf_rd_init(&r, seq8, 3);
    assert_int_equal(buf_get_le32(&r), 0); /* 4 > 3: fails, consumes nothing useful */
    assert_int_equal(buf_rd_err(&r), IC_EPROTO);
    assert_int_equal(buf_rd_left(&r), 0);
    /* Every later read yields zero, even ones that would have fit. */
    assert_int_equal(buf_get_u8(&r), 0);
    assert_int_equal(buf_get_le16(&r), 0);
    assert_int_equal(buf_get_be16(&r), 0);
    assert_int_equal(buf_get_be32(&r), 0);
    assert_null(buf_get_span(&r, 0));
    buf_get_bytes(&r, out, sizeof(out));
    assert_int_equal(out[0], 0);
    assert_int_equal(out[3], 0);
    assert_int_equal(buf_rd_err(&r), IC_EPROTO);

    /* Each width fails whenever fewer bytes are left, and reads nothing. */
    for (size_t n = 0; n < 4; n++) {
        uint8_t *q = malloc(n ? n : 1);
        assert_non_null(q);
        memset(q, 0xff, n);
        buf_rd_init(&r, q, n);
        assert_int_equal(buf_get_le32(&r), 0);
        assert_int_equal(buf_rd_err(&r), IC_EPROTO);
        buf_rd_init(&r, q, n);
        assert_int_equal(buf_get_be32(&r), 0);
        assert_int_equal(buf_rd_err(&r), IC_EPROTO);
        buf_rd_init(&r, q, n);
        buf_get_bytes(&r, out, n + 1);
        assert_int_equal(out[0], 0);
        assert_int_equal(buf_rd_err(&r), IC_EPROTO);
        if (n < 2) {
            buf_rd_init(&r, q, n);
            assert_int_equal(buf_get_le16(&r), 0);
            assert_int_equal(buf_rd_err(&r), IC_EPROTO);
            buf_rd_init(&r, q, n);
            assert_int_equal(buf_get_be16(&r), 0);
            assert_int_equal(buf_rd_err(&r), IC_EPROTO);
        }
        if (n < 1) {
            buf_rd_init(&r, q, n);
            assert_int_equal(buf_get_u8(&r), 0);
            assert_int_equal(buf_rd_err(&r), IC_EPROTO);
        }
        free(q);
    }

    /* Huge lengths do not wrap around. */
    buf_rd_init(&r, seq8, sizeof(seq8));
    buf_skip(&r, 1);
    assert_null(buf_get_span(&r, SIZE_MAX));
    assert_int_equal(buf_rd_err(&r), IC_EPROTO);
    buf_rd_init(&r, seq8, sizeof(seq8));
    buf_skip(&r, SIZE_MAX - 2);
    assert_int_equal(buf_rd_err(&r), IC_EPROTO);
}

static void
test_rd_null(void **state)
{
    (void)state;
    struct buf_rd r;
    buf_rd_init(&r, NULL, 10); /* a NULL buffer has no bytes, whatever len says */
    assert_int_equal(buf_rd_left(&r), 0);
    assert_null(buf_rd_ptr(&r));
    assert_int_equal(buf_get_u8(&r), 0);
    assert_int_equal(buf_rd_err(&r), IC_EPROTO);
}

static void
test_wr_values(void **state)
{
    (void)state;
    uint8_t out[32];
    struct buf_wr w;
    buf_wr_init(&w, out, sizeof(out));
    buf_put_u8(&w, 0x01);
    buf_put_le16(&w, 0x0302);
    buf_put_be16(&w, 0x0405);
    buf_put_le32(&w, 0x09080706u);
    buf_put_be32(&w, 0x0a0b0c0du);
    buf_put_bytes(&w, seq8, 3);
    uint8_t *sp = buf_put_span(&w, 2);
    assert_non_null(sp);
    sp[0] = 0xee;
    sp[1] = 0xff;
    assert_int_equal(buf_wr_err(&w), 0);
    const uint8_t want[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09,
                            0x0a, 0x0b, 0x0c, 0x0d, 0x01, 0x02, 0x03, 0xee, 0xff};
    assert_int_equal(w.len, sizeof(want));
    assert_memory_equal(out, want, sizeof(want));
    buf_put_bytes(&w, NULL, 0);
    assert_int_equal(buf_wr_err(&w), 0);
    assert_int_equal(w.len, sizeof(want));
}

static void
test_wr_sticky(void **state)
{
    (void)state;
    uint8_t out[8];
    struct buf_wr w;
    memset(out, 0x55, sizeof(out));
    buf_wr_init(&w, out, 3);
    buf_put_le16(&w, 0xaaaa);
    buf_put_le16(&w, 0xbbbb); /* 2 > 1 left */
    assert_int_equal(buf_wr_err(&w), IC_ETOOBIG);
    assert_int_equal(out[2], 0x55); /* nothing partial written */
    buf_put_u8(&w, 0xcc);           /* would fit, but the error is sticky */
    assert_int_equal(out[2], 0x55);
    assert_int_equal(w.len, 2);
    assert_null(buf_put_span(&w, 0));
    assert_int_equal(buf_wr_err(&w), IC_ETOOBIG);

    /* Exact fill works; one more byte fails; huge sizes do not wrap. */
    buf_wr_init(&w, out, 4);
    buf_put_be32(&w, 1);
    assert_int_equal(buf_wr_err(&w), 0);
    buf_put_u8(&w, 1);
    assert_int_equal(buf_wr_err(&w), IC_ETOOBIG);
    buf_wr_init(&w, out, 4);
    buf_put_u8(&w, 1);
    assert_null(buf_put_span(&w, SIZE_MAX));
    assert_int_equal(buf_wr_err(&w), IC_ETOOBIG);

    buf_wr_init(&w, NULL, 100);
    buf_put_u8(&w, 1);
    assert_int_equal(buf_wr_err(&w), IC_ETOOBIG);
    buf_wr_init(&w, out, 0);
    buf_put_le32(&w, 1);
    buf_put_be16(&w, 1);
    buf_put_le16(&w, 1);
    assert_int_equal(buf_wr_err(&w), IC_ETOOBIG);
    assert_int_equal(w.len, 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rd_values), cmocka_unit_test(test_rd_bytes_span_skip),
        cmocka_unit_test(test_rd_sticky), cmocka_unit_test(test_rd_null),
        cmocka_unit_test(test_wr_values), cmocka_unit_test(test_wr_sticky),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
