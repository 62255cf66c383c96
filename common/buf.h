/* SPDX-License-Identifier: Apache-2.0 */
/*
 * buf.h - bounded readers and writers: the only way wire bytes are read or
 * written.
 *
 * Both keep a sticky error: once a read runs past the end (or a write past
 * the capacity) every later call is a no-op that yields zeros, and
 * buf_rd_err()/buf_wr_err() report IC_EPROTO / IC_ETOOBIG. A decoder can
 * therefore read a whole structure and check once at the end, without ever
 * touching memory outside the buffer.
 */
#ifndef IC_BUF_H
#define IC_BUF_H

#include <stddef.h>
#include <stdint.h>

struct buf_rd {
    const uint8_t *p;
    size_t len;
    size_t off;
    int err; /* 0 or IC_EPROTO */
};

struct buf_wr {
    uint8_t *p;
    size_t cap;
    size_t len;
    int err; /* 0 or IC_ETOOBIG */
};

void buf_rd_init(struct buf_rd *r, const void *p, size_t len);
size_t buf_rd_left(const struct buf_rd *r);
int buf_rd_err(const struct buf_rd *r);
/* Current read position; valid while the underlying bytes are. */
const uint8_t *buf_rd_ptr(const struct buf_rd *r);

uint8_t buf_get_u8(struct buf_rd *r);
uint16_t buf_get_le16(struct buf_rd *r);
uint32_t buf_get_le32(struct buf_rd *r);
uint16_t buf_get_be16(struct buf_rd *r);
uint32_t buf_get_be32(struct buf_rd *r);
/* Copies n bytes to out (zero-filled on error). */
void buf_get_bytes(struct buf_rd *r, void *out, size_t n);
/* Returns a pointer to the next n bytes and skips them, or NULL on error. */
const uint8_t *buf_get_span(struct buf_rd *r, size_t n);
void buf_skip(struct buf_rd *r, size_t n);

void buf_wr_init(struct buf_wr *w, void *p, size_t cap);
int buf_wr_err(const struct buf_wr *w);
void buf_put_u8(struct buf_wr *w, uint8_t v);
void buf_put_le16(struct buf_wr *w, uint16_t v);
void buf_put_le32(struct buf_wr *w, uint32_t v);
void buf_put_be16(struct buf_wr *w, uint16_t v);
void buf_put_be32(struct buf_wr *w, uint32_t v);
void buf_put_bytes(struct buf_wr *w, const void *p, size_t n);
/* Reserves n bytes and returns them (to be filled later), or NULL on error. */
uint8_t *buf_put_span(struct buf_wr *w, size_t n);

#endif
