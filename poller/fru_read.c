/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fru_read.c - reading a FRU inventory image over a session (IPMI v2.0
 * §34, reference §4.7): Get FRU Inventory Area Info, then Read FRU Data in
 * chunks. The image is decoded by fru.c.
 *
 * Get FRU Inventory Area Info: rq [0] FRU device ID; rs [0..1] size in
 * bytes, [2] b0 = 1 word access (offsets and counts in 16-bit words).
 * Read FRU Data: rq [0] device, [1..2] offset, [3] count; rs [0] count
 * returned, then the data.
 *
 * A BMC that cannot return a chunk that large (0xC7, 0xC8, 0xCA) gets a
 * smaller one; "FRU device busy" (0x81) is retried a few times. The whole
 * area is read (bounded by FRU_MAX_SIZE), because info areas may sit
 * anywhere in it.
 */
#include "poller.h"
#include "session.h"
#include "ic_err.h"

#include <stdlib.h>
#include <string.h>

#define CMD_FRU_INFO  0x10
#define CMD_FRU_READ  0x11
#define FRU_MAX_SIZE  (64 * 1024)
#define FRU_CHUNK     24
#define FRU_MIN_CHUNK 4
#define FRU_BUSY_MAX  5

struct fru_reader {
    struct ipmi_session *s;
    uint8_t fru_id;
    ipmi_fru_fn cb;
    void *arg;
    int words;
    size_t size, have;
    unsigned chunk, busy;
    uint8_t *img;
};

static void on_reply(void *arg, int err, const struct ipmi_resp *rsp);

static void
reader_end(struct fru_reader *rd, int err)
{
    ipmi_fru_fn cb = rd->cb;
    void *arg = rd->arg;
    uint8_t *img = rd->img;
    size_t len = rd->have;
    free(rd);
    cb(arg, err, err ? NULL : img, err ? 0 : len);
    free(img);
}

static void
read_next(struct fru_reader *rd)
{
    size_t left = rd->size - rd->have;
    size_t n = left < rd->chunk ? left : rd->chunk;
    size_t off = rd->have;
    if (rd->words) {
        off /= 2;
        n = (n + 1) / 2;
    }
    uint8_t d[4] = {rd->fru_id, (uint8_t)off, (uint8_t)(off >> 8), (uint8_t)n};
    struct ipmi_req rq = {.netfn = IPMI_NETFN_STORAGE, .cmd = CMD_FRU_READ, .data = d, .len = 4};
    int rc = ipmi_session_submit(rd->s, &rq, on_reply, rd);
    if (rc)
        reader_end(rd, rc);
}

static void
on_data(struct fru_reader *rd, const struct ipmi_resp *rsp)
{
    if ((rsp->cc == 0xC7 || rsp->cc == 0xC8 || rsp->cc == 0xCA) && rd->chunk > FRU_MIN_CHUNK) {
        rd->chunk -= 4;
        read_next(rd);
        return;
    }
    if (rsp->cc == 0x81 && rd->busy++ < FRU_BUSY_MAX) {
        read_next(rd);
        return;
    }
    if (rsp->cc != 0 || rsp->len < 1) {
        sess_seterr(rd->s, "Read FRU Data (device %u, offset %zu) failed: cc 0x%02x (%s)",
                    rd->fru_id, rd->have, rsp->cc, ipmi_cc_str(rsp->cc));
        reader_end(rd, rsp->cc ? IC_ECC : IC_EPROTO);
        return;
    }
    size_t got = rsp->data[0], sent = rsp->len - 1;
    if (rd->words)
        got *= 2;
    size_t left = rd->size - rd->have;
    if (got == 0 || got > sent) {
        sess_seterr(rd->s, "Read FRU Data: the BMC claims %zu bytes and sent %zu", got,
                    rsp->len - 1);
        reader_end(rd, IC_EPROTO);
        return;
    }
    if (got > left)
        got = left;
    memcpy(rd->img + rd->have, rsp->data + 1, got);
    rd->have += got;
    if (rd->have < rd->size)
        read_next(rd);
    else
        reader_end(rd, 0);
}

static void
on_reply(void *arg, int err, const struct ipmi_resp *rsp)
{
    struct fru_reader *rd = arg;
    if (err) {
        reader_end(rd, err);
        return;
    }
    if (rsp->cmd == CMD_FRU_READ) {
        on_data(rd, rsp);
        return;
    }
    if (rsp->cc != 0 || rsp->len < 3) {
        sess_seterr(rd->s, "Get FRU Inventory Area Info (device %u) failed: cc 0x%02x (%s)",
                    rd->fru_id, rsp->cc, ipmi_cc_str(rsp->cc));
        reader_end(rd, rsp->cc ? IC_ECC : IC_EPROTO);
        return;
    }
    rd->size = (size_t)(rsp->data[0] | rsp->data[1] << 8);
    rd->words = rsp->data[2] & 0x01;
    if (rd->size == 0) {
        sess_seterr(rd->s, "FRU device %u is empty (area size 0)", rd->fru_id);
        reader_end(rd, IC_EPROTO);
        return;
    }
    if (rd->size > FRU_MAX_SIZE)
        rd->size = FRU_MAX_SIZE;
    rd->img = malloc(rd->size);
    if (!rd->img) {
        reader_end(rd, IC_ENOMEM);
        return;
    }
    read_next(rd);
}

int
ipmi_fru_read(struct ipmi_session *s, uint8_t fru_id, ipmi_fru_fn cb, void *arg)
{
    struct fru_reader *rd = calloc(1, sizeof(*rd));
    if (!rd)
        return IC_ENOMEM;
    rd->s = s;
    rd->fru_id = fru_id;
    rd->cb = cb;
    rd->arg = arg;
    rd->chunk = FRU_CHUNK;
    struct ipmi_req rq = {
        .netfn = IPMI_NETFN_STORAGE, .cmd = CMD_FRU_INFO, .data = &rd->fru_id, .len = 1};
    int rc = ipmi_session_submit(s, &rq, on_reply, rd);
    if (rc)
        free(rd);
    return rc;
}
