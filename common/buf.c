/* SPDX-License-Identifier: Apache-2.0 */
/* buf.c - bounded byte readers and writers (see buf.h). */
#include "buf.h"
#include "ic_err.h"

#include <string.h>

void
buf_rd_init(struct buf_rd *r, const void *p, size_t len)
{
    r->p = p;
    r->len = p ? len : 0;
    r->off = 0;
    r->err = 0;
}

size_t
buf_rd_left(const struct buf_rd *r)
{
    return r->err ? 0 : r->len - r->off;
}

int
buf_rd_err(const struct buf_rd *r)
{
    return r->err;
}

const uint8_t *
buf_rd_ptr(const struct buf_rd *r)
{
    return r->p ? r->p + r->off : NULL;
}

/* The single bounds check every read goes through. */
static const uint8_t *
take(struct buf_rd *r, size_t n)
{
    if (r->err || n > r->len - r->off) {
        r->err = IC_EPROTO;
        return NULL;
    }
    const uint8_t *q = r->p + r->off;
    r->off += n;
    return q;
}

uint8_t
buf_get_u8(struct buf_rd *r)
{
    const uint8_t *q = take(r, 1);
    return q ? q[0] : 0;
}

uint16_t
buf_get_le16(struct buf_rd *r)
{
    const uint8_t *q = take(r, 2);
    return q ? (uint16_t)((unsigned)q[0] | ((unsigned)q[1] << 8)) : 0;
}

uint32_t
buf_get_le32(struct buf_rd *r)
{
    const uint8_t *q = take(r, 4);
    return q ? (uint32_t)q[0] | ((uint32_t)q[1] << 8) | ((uint32_t)q[2] << 16) |
                   ((uint32_t)q[3] << 24)
             : 0;
}

uint16_t
buf_get_be16(struct buf_rd *r)
{
    const uint8_t *q = take(r, 2);
    return q ? (uint16_t)(((unsigned)q[0] << 8) | (unsigned)q[1]) : 0;
}

uint32_t
buf_get_be32(struct buf_rd *r)
{
    const uint8_t *q = take(r, 4);
    return q ? ((uint32_t)q[0] << 24) | ((uint32_t)q[1] << 16) | ((uint32_t)q[2] << 8) |
                   (uint32_t)q[3]
             : 0;
}

void
buf_get_bytes(struct buf_rd *r, void *out, size_t n)
{
    const uint8_t *q = take(r, n);
    if (q)
        memcpy(out, q, n);
    else if (n)
        memset(out, 0, n);
}

const uint8_t *
buf_get_span(struct buf_rd *r, size_t n)
{
    return take(r, n);
}

void
buf_skip(struct buf_rd *r, size_t n)
{
    (void)take(r, n);
}

void
buf_wr_init(struct buf_wr *w, void *p, size_t cap)
{
    w->p = p;
    w->cap = p ? cap : 0;
    w->len = 0;
    w->err = 0;
}

int
buf_wr_err(const struct buf_wr *w)
{
    return w->err;
}

static uint8_t *
put(struct buf_wr *w, size_t n)
{
    if (w->err || n > w->cap - w->len) {
        w->err = IC_ETOOBIG;
        return NULL;
    }
    uint8_t *q = w->p + w->len;
    w->len += n;
    return q;
}

void
buf_put_u8(struct buf_wr *w, uint8_t v)
{
    uint8_t *q = put(w, 1);
    if (q)
        q[0] = v;
}

void
buf_put_le16(struct buf_wr *w, uint16_t v)
{
    uint8_t *q = put(w, 2);
    if (q) {
        q[0] = (uint8_t)v;
        q[1] = (uint8_t)(v >> 8);
    }
}

void
buf_put_le32(struct buf_wr *w, uint32_t v)
{
    uint8_t *q = put(w, 4);
    if (q) {
        q[0] = (uint8_t)v;
        q[1] = (uint8_t)(v >> 8);
        q[2] = (uint8_t)(v >> 16);
        q[3] = (uint8_t)(v >> 24);
    }
}

void
buf_put_be16(struct buf_wr *w, uint16_t v)
{
    uint8_t *q = put(w, 2);
    if (q) {
        q[0] = (uint8_t)(v >> 8);
        q[1] = (uint8_t)v;
    }
}

void
buf_put_be32(struct buf_wr *w, uint32_t v)
{
    uint8_t *q = put(w, 4);
    if (q) {
        q[0] = (uint8_t)(v >> 24);
        q[1] = (uint8_t)(v >> 16);
        q[2] = (uint8_t)(v >> 8);
        q[3] = (uint8_t)v;
    }
}

void
buf_put_bytes(struct buf_wr *w, const void *p, size_t n)
{
    uint8_t *q = put(w, n);
    if (q && n)
        memcpy(q, p, n);
}

uint8_t *
buf_put_span(struct buf_wr *w, size_t n)
{
    return put(w, n);
}
