/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sdr_read.c - reading the SDR repository over a session (IPMI v2.0
 * §33.9-33.12, reference §4.4) into a struct ipmi_sdr_cache.
 *
 *   Get SDR Repository Info -> (unchanged: done) -> Reserve SDR Repository
 *   -> for each record: Get SDR header (5 bytes), then the body in chunks
 *   -> follow next-record IDs until 0xFFFF
 *
 * BMC behaviour handled: a cancelled reservation (cc 0xC5) re-reserves and
 * restarts the record, up to SDR_MAX_RESERVE times; a BMC that cannot return
 * as many bytes as asked (0xCA, 0xC7, 0xC8, 0xFF) gets smaller chunks; a
 * chain that loops or never ends stops at the first repeated ID or after
 * SDR_MAX_RECORDS (the chain is trusted over the advertised count).
 *
 * Cache blob (what storage persists), little-endian:
 *   0  "ICSD"   4  format 1   5  reserved   6  record count (2)
 *   8  most recent addition (4)   12 most recent erase (4)
 *   16 the records as read, each 5-byte header + body
 */
#include "poller.h"
#include "session.h"
#include "sdr.h"
#include "buf.h"
#include "ic_err.h"

#include <stdlib.h>
#include <string.h>

#define SDR_MAX_RECORDS  4096
#define SDR_MAX_RESERVE  4
#define SDR_FIRST_CHUNK  24 /* fits every BMC's response size; ipmi_sim serves up to 32 */
#define SDR_BLOB_HDR     16
#define CMD_GET_SDR_INFO 0x20
#define CMD_RESERVE_SDR  0x22
#define CMD_GET_SDR      0x23

struct ipmi_sdr_cache {
    uint16_t count;
    uint32_t add_ts, erase_ts;
    uint8_t *blob;
    size_t blob_len, blob_cap;
    struct ipmi_sdr *recs;
    size_t n, cap;
};

/* ---- the cache ------------------------------------------------------------ */

static struct ipmi_sdr_cache *
cache_new(uint16_t count, uint32_t add_ts, uint32_t erase_ts)
{
    struct ipmi_sdr_cache *c = calloc(1, sizeof(*c));
    if (!c)
        return NULL;
    c->count = count;
    c->add_ts = add_ts;
    c->erase_ts = erase_ts;
    c->blob_cap = SDR_BLOB_HDR + 64 * (size_t)(count ? count : 16);
    c->blob = malloc(c->blob_cap);
    if (!c->blob) {
        free(c);
        return NULL;
    }
    struct buf_wr w;
    buf_wr_init(&w, c->blob, SDR_BLOB_HDR);
    buf_put_bytes(&w, "ICSD", 4);
    buf_put_u8(&w, 1);
    buf_put_u8(&w, 0);
    buf_put_le16(&w, count);
    buf_put_le32(&w, add_ts);
    buf_put_le32(&w, erase_ts);
    c->blob_len = SDR_BLOB_HDR;
    return c;
}

void
ipmi_sdr_cache_free(struct ipmi_sdr_cache *c)
{
    if (!c)
        return;
    free(c->blob);
    free(c->recs);
    free(c);
}

/* Appends one raw record and its decoded sensor(s). */
static int
cache_add(struct ipmi_sdr_cache *c, const uint8_t *rec, size_t len)
{
    if (c->blob_len + len > c->blob_cap) {
        size_t cap = c->blob_cap * 2 + len;
        uint8_t *nb = realloc(c->blob, cap);
        if (!nb)
            return IC_ENOMEM;
        c->blob = nb;
        c->blob_cap = cap;
    }
    memcpy(c->blob + c->blob_len, rec, len);
    c->blob_len += len;
    unsigned count = 1;
    for (unsigned i = 0; i < count; i++) {
        struct ipmi_sdr d;
        if (sdr_decode(rec, len, i, &d, &count) != 0)
            return 0; /* kept raw; a record we cannot decode is not a sensor we can read */
        if (c->n == c->cap) {
            size_t cap = c->cap ? c->cap * 2 : 32;
            struct ipmi_sdr *nr = realloc(c->recs, cap * sizeof(*nr));
            if (!nr)
                return IC_ENOMEM;
            c->recs = nr;
            c->cap = cap;
        }
        c->recs[c->n++] = d;
    }
    return 0;
}

/* A complete cache lives as long as the target: give back the growth slack. */
static void
cache_fit(struct ipmi_sdr_cache *c)
{
    if (c->n && c->n < c->cap) {
        struct ipmi_sdr *nr = realloc(c->recs, c->n * sizeof(*nr));
        if (nr) {
            c->recs = nr;
            c->cap = c->n;
        }
    }
    if (c->blob_len < c->blob_cap) {
        uint8_t *nb = realloc(c->blob, c->blob_len);
        if (nb) {
            c->blob = nb;
            c->blob_cap = c->blob_len;
        }
    }
}

size_t
ipmi_sdr_cache_count(const struct ipmi_sdr_cache *c)
{
    return c ? c->n : 0;
}

const struct ipmi_sdr *
ipmi_sdr_cache_get(const struct ipmi_sdr_cache *c, size_t i)
{
    return c && i < c->n ? &c->recs[i] : NULL;
}

const struct ipmi_sdr *
ipmi_sdr_cache_find(const struct ipmi_sdr_cache *c, uint8_t owner_id, uint8_t lun, uint8_t number)
{
    if (!c)
        return NULL;
    for (size_t i = 0; i < c->n; i++) {
        const struct ipmi_sdr *d = &c->recs[i];
        if ((d->type == IPMI_SDR_FULL || d->type == IPMI_SDR_COMPACT ||
             d->type == IPMI_SDR_EVENT_ONLY) &&
            d->owner_id == owner_id && d->owner_lun == lun && d->number == number)
            return d;
    }
    return NULL;
}

void
ipmi_sdr_cache_blob(const struct ipmi_sdr_cache *c, const uint8_t **blob, size_t *len)
{
    *blob = c->blob;
    *len = c->blob_len;
}

int
ipmi_sdr_cache_from_blob(const uint8_t *blob, size_t len, struct ipmi_sdr_cache **out)
{
    struct buf_rd r;
    uint8_t magic[4];
    *out = NULL;
    buf_rd_init(&r, blob, len);
    buf_get_bytes(&r, magic, 4);
    uint8_t fmt = buf_get_u8(&r);
    buf_skip(&r, 1);
    uint16_t count = buf_get_le16(&r);
    uint32_t add = buf_get_le32(&r), erase = buf_get_le32(&r);
    if (buf_rd_err(&r) || memcmp(magic, "ICSD", 4) != 0 || fmt != 1)
        return IC_EPROTO;
    struct ipmi_sdr_cache *c = cache_new(count, add, erase);
    if (!c)
        return IC_ENOMEM;
    while (buf_rd_left(&r) > 0) {
        uint16_t id;
        uint8_t type, body;
        const uint8_t *rec = buf_rd_ptr(&r);
        if (sdr_header(rec, buf_rd_left(&r), &id, &type, &body) != 0 ||
            buf_get_span(&r, 5u + body) == NULL || cache_add(c, rec, 5u + body) != 0) {
            ipmi_sdr_cache_free(c);
            return IC_EPROTO;
        }
    }
    cache_fit(c);
    *out = c;
    return 0;
}

/* ---- the reader ----------------------------------------------------------- */

struct sdr_reader {
    struct ipmi_session *s;
    struct ipmi_sdr_cache *cur, *nc;
    ipmi_sdr_fn cb;
    void *arg;
    uint16_t resv;
    int can_reserve;
    unsigned resv_tries;
    uint16_t rec_id;
    uint16_t next_id;
    unsigned chunk;
    unsigned nrec;
    size_t have, want;
    uint8_t rec[5 + 255];
    uint8_t seen[65536 / 8];
};

static void
reader_end(struct sdr_reader *rd, int err)
{
    struct ipmi_sdr_cache *c = NULL;
    if (!err) {
        c = rd->nc ? rd->nc : rd->cur;
        if (rd->nc)
            cache_fit(rd->nc);
    } else
        ipmi_sdr_cache_free(rd->nc);
    ipmi_sdr_fn cb = rd->cb;
    void *arg = rd->arg;
    free(rd);
    cb(arg, err, c);
}

static void on_reply(void *arg, int err, const struct ipmi_resp *rsp);

static void
submit(struct sdr_reader *rd, uint8_t netfn, uint8_t cmd, const uint8_t *d, size_t len)
{
    struct ipmi_req rq = {.netfn = netfn, .cmd = cmd, .data = d, .len = len};
    int rc = ipmi_session_submit(rd->s, &rq, on_reply, rd);
    if (rc)
        reader_end(rd, rc);
}

static void
get_sdr(struct sdr_reader *rd, uint8_t offset, uint8_t count)
{
    uint8_t d[6] = {(uint8_t)rd->resv,
                    (uint8_t)(rd->resv >> 8),
                    (uint8_t)rd->rec_id,
                    (uint8_t)(rd->rec_id >> 8),
                    offset,
                    count};
    submit(rd, IPMI_NETFN_STORAGE, CMD_GET_SDR, d, sizeof(d));
}

static void
start_record(struct sdr_reader *rd)
{
    rd->have = 0;
    rd->want = 5;
    get_sdr(rd, 0, 5);
}

static void
reserve(struct sdr_reader *rd)
{
    if (!rd->can_reserve) {
        rd->resv = 0;
        start_record(rd);
        return;
    }
    submit(rd, IPMI_NETFN_STORAGE, CMD_RESERVE_SDR, NULL, 0);
}

static void
next_chunk(struct sdr_reader *rd)
{
    size_t left = rd->want - rd->have;
    get_sdr(rd, (uint8_t)rd->have, (uint8_t)(left < rd->chunk ? left : rd->chunk));
}

static void
record_done(struct sdr_reader *rd)
{
    int rc = cache_add(rd->nc, rd->rec, rd->want);
    if (rc) {
        reader_end(rd, rc);
        return;
    }
    rd->nrec++;
    rd->seen[rd->rec_id / 8] |= (uint8_t)(1u << (rd->rec_id % 8));
    uint16_t next = rd->next_id;
    /* End of chain, a loop, or a chain that never ends: keep what we have. */
    if (next == 0xFFFF || (rd->seen[next / 8] & (1u << (next % 8))) ||
        rd->nrec >= SDR_MAX_RECORDS) {
        reader_end(rd, 0);
        return;
    }
    rd->rec_id = next;
    rd->resv_tries = 0;
    start_record(rd);
}

static void
on_get_sdr(struct sdr_reader *rd, const struct ipmi_resp *rsp)
{
    if (rsp->cc == 0xC5 && rd->resv_tries++ < SDR_MAX_RESERVE) {
        reserve(rd); /* reservation lost (the repository changed or someone reserved) */
        return;
    }
    if ((rsp->cc == 0xCA || rsp->cc == 0xC7 || rsp->cc == 0xC8 || rsp->cc == 0xFF) &&
        rd->have >= 5 && rd->chunk > 4) {
        rd->chunk -= 4; /* the BMC cannot return that many bytes at once */
        next_chunk(rd);
        return;
    }
    if (rsp->cc != 0) {
        sess_seterr(rd->s, "Get SDR record 0x%04x failed: completion code 0x%02x (%s)", rd->rec_id,
                    rsp->cc, ipmi_cc_str(rsp->cc));
        reader_end(rd, IC_ECC);
        return;
    }
    size_t asked = rd->want - rd->have < (rd->have ? rd->chunk : 5) ? rd->want - rd->have
                                                                    : (rd->have ? rd->chunk : 5);
    if (rsp->len < 3 || rsp->len - 2 > asked) {
        sess_seterr(rd->s, "Get SDR record 0x%04x: reply of %zu bytes for %zu asked", rd->rec_id,
                    rsp->len, asked);
        reader_end(rd, IC_EPROTO);
        return;
    }
    rd->next_id = (uint16_t)(rsp->data[0] | rsp->data[1] << 8);
    memcpy(rd->rec + rd->have, rsp->data + 2, rsp->len - 2);
    rd->have += rsp->len - 2;
    if (rd->want == 5 && rd->have == 5) {
        uint16_t id;
        uint8_t type, body;
        if (sdr_header(rd->rec, 5, &id, &type, &body) != 0) {
            sess_seterr(rd->s, "SDR record 0x%04x has a malformed header", rd->rec_id);
            reader_end(rd, IC_EPROTO);
            return;
        }
        rd->want = 5u + body;
    }
    if (rd->have < rd->want)
        next_chunk(rd);
    else
        record_done(rd);
}

static void
on_reply(void *arg, int err, const struct ipmi_resp *rsp)
{
    struct sdr_reader *rd = arg;
    if (err) {
        reader_end(rd, err);
        return;
    }
    if (rsp->cmd == CMD_GET_SDR_INFO) {
        if (rsp->cc != 0 || rsp->len < 14) {
            sess_seterr(rd->s, "Get SDR Repository Info failed (cc 0x%02x: %s)", rsp->cc,
                        ipmi_cc_str(rsp->cc));
            reader_end(rd, rsp->cc ? IC_ECC : IC_EPROTO);
            return;
        }
        struct buf_rd r;
        buf_rd_init(&r, rsp->data, rsp->len);
        buf_skip(&r, 1);
        uint16_t count = buf_get_le16(&r);
        buf_skip(&r, 2);
        uint32_t add = buf_get_le32(&r), erase = buf_get_le32(&r);
        rd->can_reserve = (buf_get_u8(&r) & 0x02) != 0;
        if (rd->cur && rd->cur->count == count && rd->cur->add_ts == add &&
            rd->cur->erase_ts == erase) {
            reader_end(rd, 0); /* the cache is current: no SDR reads at all */
            return;
        }
        rd->nc = cache_new(count, add, erase);
        if (!rd->nc) {
            reader_end(rd, IC_ENOMEM);
            return;
        }
        reserve(rd);
    } else if (rsp->cmd == CMD_RESERVE_SDR) {
        if (rsp->cc != 0 || rsp->len < 2) {
            rd->resv = 0; /* some BMCs refuse to reserve; reading still works from offset 0 */
        } else {
            rd->resv = (uint16_t)(rsp->data[0] | rsp->data[1] << 8);
        }
        start_record(rd);
    } else {
        on_get_sdr(rd, rsp);
    }
}

int
ipmi_sdr_load(struct ipmi_session *s, struct ipmi_sdr_cache *cur, ipmi_sdr_fn cb, void *arg)
{
    struct sdr_reader *rd = calloc(1, sizeof(*rd));
    if (!rd)
        return IC_ENOMEM;
    rd->s = s;
    rd->cur = cur;
    rd->cb = cb;
    rd->arg = arg;
    rd->chunk = SDR_FIRST_CHUNK;
    struct ipmi_req rq = {.netfn = IPMI_NETFN_STORAGE, .cmd = CMD_GET_SDR_INFO};
    int rc = ipmi_session_submit(s, &rq, on_reply, rd);
    if (rc)
        free(rd);
    return rc;
}
