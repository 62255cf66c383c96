/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sel_read.c - the System Event Log over a session (IPMI v2.0 §31,
 * reference §4.6): Get SEL Info, reading new records after a cursor, and
 * Clear SEL.
 *
 * Following: a cursor is the last record we have, by ID and by content.
 * IDs are reused after a clear, so "record N still exists" is not enough:
 * we fetch record N and compare its 16 bytes. Same bytes: read on from its
 * next-record ID. Gone (0xCB) or different: the SEL was cleared or wrapped,
 * and everything present is new (reset = 1). A follower therefore neither
 * misses nor repeats an entry.
 *
 * Get SEL Entry request: reservation (2, 0 is fine from offset 0), record
 * ID (2; 0x0000 first, 0xFFFF last), offset (1), count (1; 0xFF all).
 * Reply: next record ID (2; 0xFFFF none), then the 16-byte record.
 */
#include "poller.h"
#include "session.h"
#include "buf.h"
#include "ic_err.h"

#include <stdlib.h>
#include <string.h>

#define CMD_GET_SEL_INFO  0x40
#define CMD_RESERVE_SEL   0x42
#define CMD_GET_SEL_ENTRY 0x43
#define CMD_CLEAR_SEL     0x47
#define SEL_MAX_RECORDS   8192 /* a full SEL is 3,000-ish; ipmi_sim's holds 1,000 */
#define SEL_CLEAR_POLLS   50

int
ipmi_sel_decode_info(const uint8_t *p, size_t len, struct ipmi_sel_info *out)
{
    struct buf_rd r;
    buf_rd_init(&r, p, len);
    out->version = buf_get_u8(&r);
    out->entries = buf_get_le16(&r);
    out->free_bytes = buf_get_le16(&r);
    out->last_add = buf_get_le32(&r);
    out->last_erase = buf_get_le32(&r);
    out->flags = buf_get_u8(&r);
    if (buf_rd_err(&r)) {
        memset(out, 0, sizeof(*out));
        return IC_EPROTO;
    }
    return 0;
}

void
ipmi_sel_cursor_advance(struct ipmi_sel_cursor *cur, const uint8_t (*recs)[16], size_t n)
{
    if (!n)
        return;
    cur->valid = 1;
    cur->id_only = 0;
    memcpy(cur->last_raw, recs[n - 1], 16);
    cur->last_id = (uint16_t)(recs[n - 1][0] | recs[n - 1][1] << 8);
}

/* ---- reading -------------------------------------------------------------- */

enum sel_step { SEL_INFO, SEL_PROBE, SEL_WALK };

struct sel_reader {
    struct ipmi_session *s;
    struct ipmi_sel_cursor cur;
    ipmi_sel_fn cb;
    void *arg;
    enum sel_step step;
    struct ipmi_sel_info info;
    int reset;
    uint16_t id; /* record being asked for */
    size_t n, cap;
    uint8_t (*recs)[16];
};

static void on_reply(void *arg, int err, const struct ipmi_resp *rsp);

static void
reader_end(struct sel_reader *rd, int err)
{
    ipmi_sel_fn cb = rd->cb;
    void *arg = rd->arg;
    uint8_t(*recs)[16] = rd->recs;
    struct ipmi_sel_info info = rd->info;
    size_t n = rd->n;
    int reset = rd->reset;
    free(rd);
    if (err)
        cb(arg, err, NULL, NULL, 0, 0);
    else
        cb(arg, 0, &info, (const uint8_t(*)[16])recs, n, reset);
    free(recs);
}

static void
get_entry(struct sel_reader *rd, uint16_t id)
{
    uint8_t d[6] = {0, 0, (uint8_t)id, (uint8_t)(id >> 8), 0, 0xFF};
    struct ipmi_req rq = {
        .netfn = IPMI_NETFN_STORAGE, .cmd = CMD_GET_SEL_ENTRY, .data = d, .len = 6};
    rd->id = id;
    int rc = ipmi_session_submit(rd->s, &rq, on_reply, rd);
    if (rc)
        reader_end(rd, rc);
}

static int
keep(struct sel_reader *rd, const uint8_t *rec)
{
    if (rd->n == rd->cap) {
        size_t cap = rd->cap ? rd->cap * 2 : 64;
        void *nr = realloc(rd->recs, cap * 16);
        if (!nr)
            return IC_ENOMEM;
        rd->recs = nr;
        rd->cap = cap;
    }
    memcpy(rd->recs[rd->n++], rec, 16);
    return 0;
}

static void
on_entry(struct sel_reader *rd, const struct ipmi_resp *rsp)
{
    if (rd->step == SEL_PROBE) {
        if (rsp->cc == 0 && rsp->len >= 18 &&
            (rd->cur.id_only || memcmp(rsp->data + 2, rd->cur.last_raw, 16) == 0)) {
            uint16_t next = (uint16_t)(rsp->data[0] | rsp->data[1] << 8);
            if (next == 0xFFFF) {
                reader_end(rd, 0); /* nothing new */
                return;
            }
            rd->step = SEL_WALK;
            get_entry(rd, next);
            return;
        }
        if (rsp->cc != 0 && rsp->cc != 0xCB && rsp->cc != 0xCD && rsp->cc != 0xC9) {
            sess_seterr(rd->s, "Get SEL Entry 0x%04x failed: completion code 0x%02x (%s)", rd->id,
                        rsp->cc, ipmi_cc_str(rsp->cc));
            reader_end(rd, IC_ECC);
            return;
        }
        rd->reset = 1; /* our last record is gone or was replaced: cleared or wrapped */
        rd->step = SEL_WALK;
        get_entry(rd, 0x0000);
        return;
    }
    if (rsp->cc == 0xCB && rd->n == 0 && rd->id == 0) {
        reader_end(rd, 0); /* empty SEL */
        return;
    }
    if (rsp->cc != 0 || rsp->len < 18) {
        sess_seterr(rd->s, "Get SEL Entry 0x%04x failed: %s 0x%02x (%s)", rd->id,
                    rsp->cc ? "completion code" : "short reply, cc", rsp->cc, ipmi_cc_str(rsp->cc));
        reader_end(rd, rsp->cc ? IC_ECC : IC_EPROTO);
        return;
    }
    int rc = keep(rd, rsp->data + 2);
    if (rc) {
        reader_end(rd, rc);
        return;
    }
    uint16_t next = (uint16_t)(rsp->data[0] | rsp->data[1] << 8);
    /* 0xFFFF ends the chain; a chain that runs on forever is cut off. */
    if (next == 0xFFFF || next == rd->id || rd->n >= SEL_MAX_RECORDS) {
        reader_end(rd, 0);
        return;
    }
    get_entry(rd, next);
}

static void
on_reply(void *arg, int err, const struct ipmi_resp *rsp)
{
    struct sel_reader *rd = arg;
    if (err) {
        reader_end(rd, err);
        return;
    }
    if (rsp->cmd != CMD_GET_SEL_INFO) {
        on_entry(rd, rsp);
        return;
    }
    if (rsp->cc != 0 || ipmi_sel_decode_info(rsp->data, rsp->len, &rd->info) != 0) {
        sess_seterr(rd->s, "Get SEL Info failed (cc 0x%02x: %s)", rsp->cc, ipmi_cc_str(rsp->cc));
        reader_end(rd, rsp->cc ? IC_ECC : IC_EPROTO);
        return;
    }
    if (rd->info.entries == 0) {
        rd->reset = rd->cur.valid; /* we had records and now there are none: cleared */
        reader_end(rd, 0);
        return;
    }
    if (rd->cur.valid) {
        rd->step = SEL_PROBE;
        get_entry(rd, rd->cur.last_id);
    } else {
        rd->step = SEL_WALK;
        get_entry(rd, 0x0000);
    }
}

int
ipmi_sel_read(struct ipmi_session *s, const struct ipmi_sel_cursor *cur, ipmi_sel_fn cb, void *arg)
{
    struct sel_reader *rd = calloc(1, sizeof(*rd));
    if (!rd)
        return IC_ENOMEM;
    rd->s = s;
    if (cur)
        rd->cur = *cur;
    rd->cb = cb;
    rd->arg = arg;
    struct ipmi_req rq = {.netfn = IPMI_NETFN_STORAGE, .cmd = CMD_GET_SEL_INFO};
    int rc = ipmi_session_submit(s, &rq, on_reply, rd);
    if (rc)
        free(rd);
    return rc;
}

/* ---- info ----------------------------------------------------------------- */

struct sel_info_req {
    struct ipmi_session *s;
    ipmi_sel_info_fn cb;
    void *arg;
};

static void
on_info(void *arg, int err, const struct ipmi_resp *rsp)
{
    struct sel_info_req q = *(struct sel_info_req *)arg;
    struct ipmi_sel_info info;
    free(arg);
    if (!err && (rsp->cc != 0 || ipmi_sel_decode_info(rsp->data, rsp->len, &info) != 0)) {
        sess_seterr(q.s, "Get SEL Info failed (cc 0x%02x: %s)", rsp->cc, ipmi_cc_str(rsp->cc));
        err = rsp->cc ? IC_ECC : IC_EPROTO;
    }
    q.cb(q.arg, err, err ? NULL : &info);
}

int
ipmi_sel_get_info(struct ipmi_session *s, ipmi_sel_info_fn cb, void *arg)
{
    struct sel_info_req *q = malloc(sizeof(*q));
    if (!q)
        return IC_ENOMEM;
    *q = (struct sel_info_req){.s = s, .cb = cb, .arg = arg};
    struct ipmi_req rq = {.netfn = IPMI_NETFN_STORAGE, .cmd = CMD_GET_SEL_INFO};
    int rc = ipmi_session_submit(s, &rq, on_info, q);
    if (rc)
        free(q);
    return rc;
}

/* ---- clearing ------------------------------------------------------------- */

struct sel_clear {
    struct ipmi_session *s;
    ipmi_done_fn cb;
    void *arg;
    uint16_t resv;
    unsigned polls;
};

static void on_clear_reply(void *arg, int err, const struct ipmi_resp *rsp);

static void
clear_end(struct sel_clear *c, int err)
{
    ipmi_done_fn cb = c->cb;
    void *arg = c->arg;
    free(c);
    cb(arg, err);
}

static void
send_clear(struct sel_clear *c, uint8_t action)
{
    uint8_t d[6] = {(uint8_t)c->resv, (uint8_t)(c->resv >> 8), 'C', 'L', 'R', action};
    struct ipmi_req rq = {.netfn = IPMI_NETFN_STORAGE, .cmd = CMD_CLEAR_SEL, .data = d, .len = 6};
    int rc = ipmi_session_submit(c->s, &rq, on_clear_reply, c);
    if (rc)
        clear_end(c, rc);
}

static void
on_clear_reply(void *arg, int err, const struct ipmi_resp *rsp)
{
    struct sel_clear *c = arg;
    if (err) {
        clear_end(c, err);
        return;
    }
    if (rsp->cc != 0) {
        sess_seterr(c->s, "%s failed: completion code 0x%02x (%s)",
                    rsp->cmd == CMD_RESERVE_SEL ? "Reserve SEL" : "Clear SEL", rsp->cc,
                    ipmi_cc_str(rsp->cc));
        clear_end(c, IC_ECC);
        return;
    }
    if (rsp->cmd == CMD_RESERVE_SEL) {
        if (rsp->len < 2) {
            clear_end(c, IC_EPROTO);
            return;
        }
        c->resv = (uint16_t)(rsp->data[0] | rsp->data[1] << 8);
        send_clear(c, 0xAA); /* initiate erase */
        return;
    }
    /* Clear SEL answers with the erasure progress: b3:0 = 1 completed. */
    if (rsp->len >= 1 && (rsp->data[0] & 0x0F) == 0x01) {
        clear_end(c, 0);
        return;
    }
    if (++c->polls > SEL_CLEAR_POLLS) {
        sess_seterr(c->s, "SEL erase still in progress after %u status polls", c->polls);
        clear_end(c, IC_ETIMEDOUT);
        return;
    }
    send_clear(c, 0x00); /* get erasure status */
}

int
ipmi_sel_clear(struct ipmi_session *s, ipmi_done_fn cb, void *arg)
{
    struct sel_clear *c = calloc(1, sizeof(*c));
    if (!c)
        return IC_ENOMEM;
    c->s = s;
    c->cb = cb;
    c->arg = arg;
    struct ipmi_req rq = {.netfn = IPMI_NETFN_STORAGE, .cmd = CMD_RESERVE_SEL};
    int rc = ipmi_session_submit(s, &rq, on_clear_reply, c);
    if (rc)
        free(c);
    return rc;
}
