/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bmc.c - the BMC side of IPMI v2.0 RMCP+ for one simulated BMC: ASF
 * presence pong, session-less Get Channel Authentication Capabilities
 * (IPMI 1.5 framing) and Get Channel Cipher Suites, Open Session, RAKP
 * 1-4, then authenticated/encrypted requests dispatched to bmc_cmds.c.
 *
 * It runs on the client's codecs in the other direction (rakp.c, rmcp.c,
 * rmcpplus.c, ipmi_msg.c): what the client checks, this side produces.
 * Like a real BMC it answers nothing it cannot authenticate: a packet that
 * fails any check is dropped silently (counted in drops).
 *
 * Users: looked up by name (role bit 4) or by name and privilege; an
 * unknown or disabled user, or a privilege above the user's limit, gets
 * RAKP 2 status 0x0D ("unauthorized name"), as the bmcsim plugin does; a
 * wrong password makes the client reject RAKP 2's HMAC. Sessions start at
 * USER and rise with Set Session Privilege Level up to the user's limit.
 */
#include "bmc_int.h"
#include "buf.h"
#include "ic_err.h"
#include "ipmi_cmd.h"
#include "rmcp.h"

#include <stdlib.h>
#include <string.h>

#define CMD_SET_PRIV 0x3B
#define CMD_CLOSE    0x3C
#define CMD_AUTHCAPS 0x38
#define CMD_CIPHERS  0x54
#define CMD_SYS_GUID 0x37

/* ---- shared fleet data ----------------------------------------------------- */

int
sim_shared_init(struct sim_shared *sh, const struct sim_model *m, uint32_t seed)
{
    memset(sh, 0, sizeof(*sh));
    sh->model = m;
    sh->seed = seed;
    static const uint8_t suites[] = {17, 3, 16, 2, 15, 1};
    memcpy(sh->suites, suites, sizeof(suites));
    sh->n_suites = sizeof(suites);
    sh->timeout_ms = 60000;
    for (int i = 0; i < 256; i++)
        sh->by_number[i] = -1;
    for (size_t i = 0; i < m->n_sensors; i++) {
        const struct sim_sensor *s = &m->sensors[i];
        if (s->sdr.type != IPMI_SDR_FULL && s->sdr.type != IPMI_SDR_COMPACT)
            continue;
        /* A shared compact record stands for share.count consecutive sensor numbers. */
        unsigned count = s->share.count > 1 ? s->share.count : 1;
        for (unsigned j = 0; j < count && s->sdr.number + j < 256; j++)
            sh->by_number[s->sdr.number + j] = (int16_t)i;
    }
    int rc = sim_model_sdr(m, &sh->sdr, &sh->sdr_len);
    if (rc)
        return rc;
    /* Index the records: the Get SDR handler looks them up by ID. */
    size_t off = 0, n = 0;
    while (off + 5 <= sh->sdr_len) {
        off += 5u + sh->sdr[off + 4];
        n++;
    }
    sh->rec_off = calloc(n ? n : 1, sizeof(*sh->rec_off));
    if (!sh->rec_off)
        return IC_ENOMEM;
    off = 0;
    for (size_t i = 0; i < n; i++) {
        sh->rec_off[i] = (uint32_t)off;
        off += 5u + sh->sdr[off + 4];
    }
    sh->n_records = (uint16_t)n;
    return 0;
}

void
sim_shared_free(struct sim_shared *sh)
{
    free(sh->sdr);
    free(sh->rec_off);
    crypto_cleanse(sh->users, sizeof(sh->users));
    memset(sh, 0, sizeof(*sh));
}

int
sim_shared_add_user(struct sim_shared *sh, const char *name, const char *pw, int priv, int enabled)
{
    size_t nl = strlen(name), pl = strlen(pw);
    if (nl == 0 || nl > 16 || pl > 20 || priv < IPMI_PRIV_CALLBACK || priv > IPMI_PRIV_OEM)
        return IC_ECONFIG;
    if (sh->n_users >= SIM_MAX_USERS)
        return IC_ETOOBIG;
    struct sim_user *u = &sh->users[sh->n_users++];
    memcpy(u->name, name, nl + 1);
    memcpy(u->pw, pw, pl);
    u->pwlen = (uint8_t)pl;
    u->priv = (uint8_t)priv;
    u->enabled = enabled;
    return 0;
}

/* ---- one BMC -------------------------------------------------------------- */

/* A deterministic GUID per BMC and purpose (not a real UUIDv5: only unique). */
static void
make_guid(const struct sim_shared *sh, unsigned k, uint8_t salt, uint8_t out[16])
{
    uint32_t x = sh->seed ^ (k * 2654435761u) ^ ((uint32_t)salt << 24);
    for (int i = 0; i < 16; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        out[i] = (uint8_t)x;
    }
    out[9] = (uint8_t)((out[9] & 0x0F) | 0x40); /* version nibble 4 (byte 6 of the text form) */
    out[7] = (uint8_t)((out[7] & 0x3F) | 0x80); /* RFC 4122 variant (byte 8 of the text form) */
}

struct sim_bmc *
sim_bmc_new(const struct sim_shared *sh, unsigned k)
{
    struct sim_bmc *b = calloc(1, sizeof(*b));
    if (!b)
        return NULL;
    b->sh = sh;
    b->k = k;
    b->power = 1;
    make_guid(sh, k, 1, b->sys_guid);
    make_guid(sh, k, 2, b->dev_guid);
    return b;
}

static void
sess_free(struct sim_bmc *b, int i)
{
    struct sim_sess *s = b->sess[i];
    if (!s)
        return;
    crypto_sess_free(s->crypto);
    crypto_cleanse(s, sizeof(*s));
    free(s);
    b->sess[i] = NULL;
    if (b->st.sessions_active)
        b->st.sessions_active--;
}

void
sim_bmc_free(struct sim_bmc *b)
{
    if (!b)
        return;
    for (int i = 0; i < SIM_MAX_SESSIONS; i++)
        sess_free(b, i);
    free(b->sel);
    free(b->ovr);
    free(b);
}

void
sim_bmc_reboot(struct sim_bmc *b)
{
    for (int i = 0; i < SIM_MAX_SESSIONS; i++)
        sess_free(b, i);
}

void
sim_bmc_expire(struct sim_bmc *b, uint64_t now_ms)
{
    for (int i = 0; i < SIM_MAX_SESSIONS; i++) {
        struct sim_sess *s = b->sess[i];
        /* Half-open sessions go after 10 s, idle ones after the timeout. */
        uint64_t limit = s && s->state != SIM_SS_ACTIVE ? 10000 : b->sh->timeout_ms;
        if (s && now_ms - s->last_ms > limit)
            sess_free(b, i);
    }
}

void
sim_bmc_stats(const struct sim_bmc *b, struct sim_bmc_stats *st)
{
    *st = b->st;
}

int
sim_bmc_power(const struct sim_bmc *b)
{
    return b->power;
}

void
sim_bmc_set_power(struct sim_bmc *b, int on)
{
    b->power = on != 0;
    b->power_on_at = 0;
}

static struct sim_sess *
find_sess(struct sim_bmc *b, uint32_t bmc_sid)
{
    for (int i = 0; i < SIM_MAX_SESSIONS; i++)
        if (b->sess[i] && b->sess[i]->bmc_sid == bmc_sid)
            return b->sess[i];
    return NULL;
}

static int
find_user(const struct sim_shared *sh, const uint8_t *name, size_t len)
{
    for (size_t i = 0; i < sh->n_users; i++)
        if (strlen(sh->users[i].name) == len && memcmp(sh->users[i].name, name, len) == 0)
            return (int)i;
    return -1;
}

/* ---- session-less messages ------------------------------------------------- */

static size_t
reply_ipmi_plain(struct sim_req *r, int v15, uint8_t cc, const uint8_t *data, size_t len,
                 uint8_t *out)
{
    uint8_t msg[IPMI_MAX_DATA + 16];
    struct buf_wr mw, pw;
    buf_wr_init(&mw, msg, sizeof(msg));
    if (ipmi_msg_encode_resp(&r->rq, cc, data, len, &mw) != 0)
        return 0;
    buf_wr_init(&pw, out, SIM_MAX_REPLY);
    int rc = v15 ? rmcp_encode_v15(msg, mw.len, &pw)
                 : rmcpp_encode_plain(RMCPP_PT_IPMI, msg, mw.len, &pw);
    return rc ? 0 : pw.len;
}

/* Get Channel Cipher Suites: the records in 16-byte slices, by list index. */
static void
cipher_suites(const struct sim_shared *sh, const struct ipmi_msg_req *rq, uint8_t *cc,
              uint8_t *data, size_t *len)
{
    uint8_t recs[128];
    struct buf_wr w;
    buf_wr_init(&w, recs, sizeof(recs));
    uint8_t ids[17];
    size_t n = 0;
    for (size_t i = 0; i < sh->n_suites && n < 16; i++)
        ids[n++] = sh->suites[i];
    if (sh->allow_suite0)
        ids[n++] = 0;
    if (rq->len < 3 || ipmi_encode_cipher_records(ids, n, &w) != 0) {
        *cc = 0xCC;
        return;
    }
    size_t idx = (size_t)(rq->data[2] & 0x3F) * 16;
    data[0] = 0x01; /* channel */
    size_t chunk = idx < w.len ? (w.len - idx < 16 ? w.len - idx : 16) : 0;
    memcpy(data + 1, recs + idx, chunk);
    *len = 1 + chunk;
    *cc = 0;
}

static size_t
handle_sessionless(struct sim_bmc *b, const uint8_t *msg, size_t mlen, int v15, uint64_t now,
                   uint8_t *out)
{
    struct sim_req r = {.b = b, .now_ms = now};
    uint8_t data[IPMI_MAX_DATA], cc = 0xC1;
    size_t len = 0;
    if (ipmi_msg_decode_req(msg, mlen, &r.rq) != 0 || r.rq.netfn != IPMI_NETFN_APP)
        return 0;
    if (r.rq.cmd == CMD_AUTHCAPS && v15) {
        struct buf_wr w;
        buf_wr_init(&w, data, sizeof(data));
        if (r.rq.len >= 1 && !(r.rq.data[0] & 0x80)) {
            cc = 0xCC; /* RMCP+ only: a 1.5 client learns it cannot log in */
        } else if (ipmi_encode_authcap(0x01, 0, &w) == 0) {
            cc = 0;
            len = w.len;
        }
    } else if (r.rq.cmd == CMD_CIPHERS) {
        cipher_suites(b->sh, &r.rq, &cc, data, &len);
    } else if (r.rq.cmd == CMD_SYS_GUID) {
        memcpy(data, b->sys_guid, 16);
        len = 16;
        cc = 0;
    }
    return reply_ipmi_plain(&r, v15, cc, data, len, out);
}

/* ---- establishment ---------------------------------------------------------- */

static const struct ipmi_suite *
match_suite(const struct sim_shared *sh, const struct rakp_open_req *rq, uint8_t *status)
{
    int auth_ok = 0, integ_ok = 0;
    for (size_t i = 0; i <= sh->n_suites; i++) {
        int id = i < sh->n_suites ? sh->suites[i] : (sh->allow_suite0 ? 0 : -1);
        const struct ipmi_suite *s = id >= 0 ? rakp_suite(id) : NULL;
        if (!s)
            continue;
        auth_ok |= s->auth == rq->auth;
        integ_ok |= s->auth == rq->auth && s->integ == rq->integ;
        if (s->auth == rq->auth && s->integ == rq->integ && s->conf == rq->conf)
            return s;
    }
    *status = !auth_ok    ? RAKP_ST_INVALID_AUTH_ALG
              : !integ_ok ? RAKP_ST_INVALID_INTEG_ALG
                          : RAKP_ST_INVALID_CONF_ALG;
    return NULL;
}

static size_t
send_payload(enum rmcpp_ptype pt, const uint8_t *pl, size_t len, uint8_t *out)
{
    struct buf_wr w;
    buf_wr_init(&w, out, SIM_MAX_REPLY);
    return rmcpp_encode_plain(pt, pl, len, &w) == 0 ? w.len : 0;
}

static size_t
open_session(struct sim_bmc *b, const uint8_t *p, size_t len, uint64_t now, uint8_t *out)
{
    struct rakp_open_req rq;
    struct rakp_open_resp rs = {0};
    uint8_t pl[64];
    struct buf_wr w;
    if (rakp_decode_open_req(p, len, &rq) != 0) {
        b->st.drops++;
        return 0;
    }
    rs.tag = rq.tag;
    rs.console_sid = rq.console_sid;
    const struct ipmi_suite *suite = match_suite(b->sh, &rq, &rs.status);
    int slot = -1;
    for (int i = 0; i < SIM_MAX_SESSIONS && slot < 0; i++)
        if (!b->sess[i])
            slot = i;
    if (suite && slot < 0)
        rs.status = RAKP_ST_NO_RESOURCES;
    if (suite && rq.console_sid == 0)
        rs.status = RAKP_ST_INVALID_SID;
    if (rs.status == RAKP_ST_OK) {
        struct sim_sess *s = calloc(1, sizeof(*s));
        if (!s)
            return 0;
        do
            crypto_random(&s->bmc_sid, sizeof(s->bmc_sid));
        while (s->bmc_sid == 0 || find_sess(b, s->bmc_sid));
        s->state = SIM_SS_OPEN;
        s->console_sid = rq.console_sid;
        s->suite = suite;
        /* Privilege 0 asks for "the highest": answer ADMINISTRATOR, never 0 (P4). */
        s->max_priv = (rq.priv & 0x0F) ? (rq.priv & 0x0F) : IPMI_PRIV_ADMIN;
        s->last_ms = now;
        b->sess[slot] = s;
        b->st.sessions_active++;
        rs.max_priv = s->max_priv;
        rs.bmc_sid = s->bmc_sid;
        rs.auth = (uint8_t)suite->auth;
        rs.integ = (uint8_t)suite->integ;
        rs.conf = (uint8_t)suite->conf;
    }
    buf_wr_init(&w, pl, sizeof(pl));
    if (rakp_encode_open_resp(&rs, &w) != 0)
        return 0;
    return send_payload(RMCPP_PT_OPEN_RESP, pl, w.len, out);
}

static size_t
rakp2_error(uint8_t tag, uint8_t status, uint32_t console_sid, uint8_t *out)
{
    struct rakp2 m = {.tag = tag, .status = status, .console_sid = console_sid};
    uint8_t pl[16];
    struct buf_wr w;
    buf_wr_init(&w, pl, sizeof(pl));
    if (rakp_encode_rakp2(&m, &w) != 0)
        return 0;
    return send_payload(RMCPP_PT_RAKP2, pl, w.len, out);
}

static size_t
rakp1(struct sim_bmc *b, const uint8_t *p, size_t len, uint64_t now, uint8_t *out)
{
    struct rakp1 m;
    if (rakp_decode_rakp1(p, len, &m) != 0) {
        b->st.drops++;
        return 0;
    }
    struct sim_sess *s = find_sess(b, m.bmc_sid);
    if (!s || (s->state != SIM_SS_OPEN && s->state != SIM_SS_RAKP2)) {
        b->st.drops++;
        return 0;
    }
    const struct sim_shared *sh = b->sh;
    int u = find_user(sh, m.user, m.ulen);
    uint8_t want = m.role & 0x0F;
    int by_name = (m.role & 0x10) != 0;
    if (u < 0 || !sh->users[u].enabled || want > sh->users[u].priv || want > s->max_priv ||
        (!by_name && want != sh->users[u].priv) || want < IPMI_PRIV_CALLBACK) {
        b->st.auth_failures++;
        return rakp2_error(m.tag, RAKP_ST_UNAUTHORIZED_NAME, s->console_sid, out);
    }
    s->user = u;
    s->max_priv = want;
    s->rk = (struct rakp_ctx){.auth = s->suite->auth,
                              .console_sid = s->console_sid,
                              .bmc_sid = s->bmc_sid,
                              .role = m.role,
                              .ulen = m.ulen};
    memcpy(s->rk.rm, m.rm, 16);
    memcpy(s->rk.user, m.user, m.ulen);
    memcpy(s->rk.guid, b->sys_guid, 16);
    crypto_random(s->rk.rc, 16);
    struct rakp2 r2 = {.tag = m.tag, .console_sid = s->console_sid};
    memcpy(r2.rc, s->rk.rc, 16);
    memcpy(r2.guid, s->rk.guid, 16);
    if (s->suite->auth != IPMI_AUTH_RAKP_NONE &&
        rakp_rakp2_code(&s->rk, sh->users[u].pw, sh->users[u].pwlen, r2.kex, &r2.kexlen) != 0)
        return 0;
    s->state = SIM_SS_RAKP2;
    s->last_ms = now;
    uint8_t pl[96];
    struct buf_wr w;
    buf_wr_init(&w, pl, sizeof(pl));
    if (rakp_encode_rakp2(&r2, &w) != 0)
        return 0;
    return send_payload(RMCPP_PT_RAKP2, pl, w.len, out);
}

static size_t
rakp3(struct sim_bmc *b, const uint8_t *p, size_t len, uint64_t now, uint8_t *out)
{
    uint32_t sid;
    struct buf_rd r;
    buf_rd_init(&r, p, len);
    buf_skip(&r, 4);
    sid = buf_get_le32(&r);
    struct sim_sess *s = buf_rd_err(&r) ? NULL : find_sess(b, sid);
    struct rakp3 m;
    if (!s || s->state != SIM_SS_RAKP2 || rakp_decode_rakp3(p, len, s->suite->auth, &m) != 0) {
        b->st.drops++;
        return 0;
    }
    const struct sim_user *u = &b->sh->users[s->user];
    struct rakp4 r4 = {.tag = m.tag, .console_sid = s->console_sid};
    struct rakp_keys keys;
    uint8_t code[CRYPTO_MAX_MD];
    size_t clen = 0;
    int none = s->suite->auth == IPMI_AUTH_RAKP_NONE;
    if (m.status != 0 || (!none && (rakp_rakp3_code(&s->rk, u->pw, u->pwlen, code, &clen) != 0 ||
                                    clen != m.kexlen || !crypto_memeq(code, m.kex, clen)))) {
        /* The console could not prove the password (or gave up): no session. */
        b->st.auth_failures++;
        for (int i = 0; i < SIM_MAX_SESSIONS; i++)
            if (b->sess[i] == s)
                sess_free(b, i);
        if (m.status != 0)
            return 0;
        r4.status = RAKP_ST_INVALID_ICV;
    } else {
        memset(&keys, 0, sizeof(keys));
        if (!none && (rakp_derive_keys(&s->rk, u->pw, u->pwlen, NULL, 0, &keys) != 0 ||
                      rakp_rakp4_icv(&s->rk, &keys, r4.icv, &r4.icvlen) != 0))
            return 0;
        s->crypto = crypto_sess_new(s->suite->integ, keys.k1, keys.len, s->suite->conf, keys.k2,
                                    keys.len, u->pw, u->pwlen);
        crypto_cleanse(&keys, sizeof(keys));
        if (!s->crypto)
            return 0;
        /* The codec's names are the client's: inbound carries our SID, outbound theirs. */
        s->rs = (struct rmcpp_sess){.cs = s->crypto,
                                    .integ = s->suite->integ,
                                    .conf = s->suite->conf,
                                    .console_sid = s->bmc_sid,
                                    .bmc_sid = s->console_sid,
                                    .win = {.any = 1}};
        s->state = SIM_SS_ACTIVE;
        s->priv = IPMI_PRIV_USER < s->max_priv ? IPMI_PRIV_USER : s->max_priv;
        s->last_ms = now;
        b->st.sessions_opened++;
    }
    uint8_t pl[64];
    struct buf_wr w;
    buf_wr_init(&w, pl, sizeof(pl));
    if (rakp_encode_rakp4(&r4, &w) != 0)
        return 0;
    return send_payload(RMCPP_PT_RAKP4, pl, w.len, out);
}

/* ---- in session --------------------------------------------------------------- */

static size_t
in_session(struct sim_bmc *b, struct sim_sess *s, const uint8_t *p, size_t len, uint64_t now,
           uint8_t *out)
{
    uint8_t work[RMCPP_MAX_PAYLOAD];
    struct rmcpp_pkt pk;
    enum rmcpp_drop why;
    struct sim_req r = {.b = b, .s = s, .now_ms = now};
    if (s->state != SIM_SS_ACTIVE || rmcpp_decode(&s->rs, p, len, work, &pk, &why) != 0 ||
        pk.pt != RMCPP_PT_IPMI || ipmi_msg_decode_req(pk.payload, pk.len, &r.rq) != 0) {
        b->st.drops++;
        return 0;
    }
    s->last_ms = now;
    b->st.requests++;
    uint8_t data[IPMI_MAX_DATA], cc = 0;
    size_t dlen = 0;
    int close_after = 0;
    if (r.rq.netfn == IPMI_NETFN_APP && r.rq.cmd == CMD_SET_PRIV) {
        uint8_t want = r.rq.len ? (r.rq.data[0] & 0x0F) : 0;
        if (want == 0) {
            data[0] = s->priv;
            dlen = 1;
        } else if (want > b->sh->users[s->user].priv || want > s->max_priv) {
            cc = 0x81; /* exceeds the user's or the session's limit */
        } else if (want < IPMI_PRIV_USER || want > IPMI_PRIV_ADMIN) {
            cc = 0x80;
        } else {
            s->priv = want;
            data[0] = want;
            dlen = 1;
        }
    } else if (r.rq.netfn == IPMI_NETFN_APP && r.rq.cmd == CMD_CLOSE) {
        uint32_t sid = r.rq.len >= 4
                           ? (uint32_t)r.rq.data[0] | (uint32_t)r.rq.data[1] << 8 |
                                 (uint32_t)r.rq.data[2] << 16 | (uint32_t)r.rq.data[3] << 24
                           : 0;
        struct sim_sess *t = find_sess(b, sid);
        if (!t)
            cc = 0x87;
        else if (t == s)
            close_after = 1;
        else
            for (int i = 0; i < SIM_MAX_SESSIONS; i++)
                if (b->sess[i] == t)
                    sess_free(b, i);
    } else if (r.rq.netfn == IPMI_NETFN_APP && r.rq.cmd == CMD_CIPHERS) {
        cipher_suites(b->sh, &r.rq, &cc, data, &dlen);
    } else if (s->priv < sim_cmd_priv(r.rq.netfn, r.rq.cmd)) {
        cc = 0xD4; /* insufficient privilege */
    } else {
        sim_cmd_dispatch(&r, &cc, data, &dlen);
    }
    uint8_t msg[IPMI_MAX_DATA + 16];
    struct buf_wr mw, pw;
    buf_wr_init(&mw, msg, sizeof(msg));
    buf_wr_init(&pw, out, SIM_MAX_REPLY);
    size_t n = 0;
    if (ipmi_msg_encode_resp(&r.rq, cc, data, dlen, &mw) == 0 &&
        rmcpp_encode(&s->rs, RMCPP_PT_IPMI, msg, mw.len, &pw) == 0)
        n = pw.len;
    if (close_after)
        for (int i = 0; i < SIM_MAX_SESSIONS; i++)
            if (b->sess[i] == s)
                sess_free(b, i);
    return n;
}

size_t
sim_bmc_handle(struct sim_bmc *b, const uint8_t *in, size_t len, uint64_t now_ms, uint8_t *out)
{
    int kind = rmcp_classify(in, len);
    if (kind == RMCP_KIND_ASF) {
        uint8_t tag;
        struct buf_wr w;
        buf_wr_init(&w, out, SIM_MAX_REPLY);
        if (rmcp_decode_ping(in, len, &tag) != 0 || rmcp_encode_pong(tag, &w) != 0)
            return 0;
        return w.len;
    }
    if (kind == RMCP_KIND_V15) {
        const uint8_t *msg;
        size_t mlen;
        if (rmcp_decode_v15(in, len, &msg, &mlen) != 0) {
            b->st.drops++;
            return 0;
        }
        return handle_sessionless(b, msg, mlen, 1, now_ms, out);
    }
    enum rmcpp_ptype pt;
    uint32_t sid;
    if (kind != RMCP_KIND_V20 || rmcpp_peek(in, len, &pt, &sid) != 0) {
        b->st.drops++;
        return 0;
    }
    if (sid != 0) {
        struct sim_sess *s = find_sess(b, sid);
        if (!s) {
            b->st.drops++; /* an unknown or expired session: silence, as on a real BMC */
            return 0;
        }
        return in_session(b, s, in, len, now_ms, out);
    }
    struct rmcpp_pkt pk;
    enum rmcpp_drop why;
    if (rmcpp_decode_plain(in, len, &pk, &why) != 0) {
        b->st.drops++;
        return 0;
    }
    switch (pk.pt) {
    case RMCPP_PT_IPMI:
        return handle_sessionless(b, pk.payload, pk.len, 0, now_ms, out);
    case RMCPP_PT_OPEN_REQ:
        return open_session(b, pk.payload, pk.len, now_ms, out);
    case RMCPP_PT_RAKP1:
        return rakp1(b, pk.payload, pk.len, now_ms, out);
    case RMCPP_PT_RAKP3:
        return rakp3(b, pk.payload, pk.len, now_ms, out);
    default:
        b->st.drops++;
        return 0;
    }
}
