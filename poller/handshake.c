/* SPDX-License-Identifier: Apache-2.0 */
/*
 * handshake.c - establishing an RMCP+ session (IPMI v2.0 §13.14-13.23,
 * reference §2): Get Channel Authentication Capabilities (IPMI 1.5
 * framing), optionally Get Channel Cipher Suites (session-less), Open
 * Session, RAKP 1-4, then Set Session Privilege Level in session.
 *
 *   AUTHCAP -> [CIPHERS] -> OPEN -> RAKP2 -> RAKP4 -> SETPRIV -> ACTIVE
 *
 * Retries: AUTHCAP and OPEN are resent (OPEN with a new tag and a new
 * console session ID); a lost RAKP 2 or RAKP 4 restarts the exchange at
 * OPEN (P11), counted against the same retry budget. The cipher list gets
 * one try: ipmi_sim ignores the session-less request.
 *
 * Errors are turned into what an operator can act on. A "unauthorized
 * name" at a privilege above USER is ambiguous (unknown user, disabled
 * user, or a privilege the user may not have): the exchange is repeated at
 * USER to tell them apart, up to RAKP 2, then abandoned.
 */
#include "session.h"
#include "buf.h"
#include "ic_err.h"
#include "log.h"
#include "rmcp.h"
#include "secret.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void send_open(struct ipmi_session *s);

static int
hs_priv(const struct ipmi_session *s)
{
    return s->diag_priv ? IPMI_PRIV_USER : s->priv;
}

static const char *
step_name(enum sess_state st)
{
    switch (st) {
    case SS_AUTHCAP:
        return "Get Channel Authentication Capabilities";
    case SS_CIPHERS:
        return "Get Channel Cipher Suites";
    case SS_OPEN:
        return "Open Session";
    case SS_RAKP2:
        return "RAKP 1";
    case SS_RAKP4:
        return "RAKP 3";
    default:
        return "session set-up";
    }
}

void
hs_fail(struct ipmi_session *s, int err, const char *fmt, ...)
{
    char tmp[SESS_ERRMSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    sess_seterr(s, "%s", tmp);
    s->diag_priv = 0;
    sess_established(s, err);
}

static void
step_sent(struct ipmi_session *s)
{
    s->bad_proof = 0;
    s->hs_tries++;
    s->hs_deadline = sess_now(s) + sess_try_timeout(s, s->hs_tries);
    sess_rearm(s);
}

static void
send_checked(struct ipmi_session *s, const uint8_t *p, size_t len)
{
    int rc = sess_send_raw(s, p, len);
    if (rc == IC_EUNREACH) {
        hs_fail(s, IC_EUNREACH, "port unreachable: nothing answers IPMI on this address");
        return;
    }
    step_sent(s);
}

/* A session-less IPMI request: IPMI 1.5 framing (auth caps) or RMCP+ (cipher suites). */
static void
send_sessionless(struct ipmi_session *s, int v15, uint8_t cmd, const uint8_t *data, size_t len)
{
    uint8_t msg[32], pkt[96];
    struct buf_wr mw, pw;
    s->hs_rqseq = (uint8_t)(s->hs_rqseq >= 63 ? 1 : s->hs_rqseq + 1);
    buf_wr_init(&mw, msg, sizeof(msg));
    ipmi_msg_encode_req(IPMI_NETFN_APP, 0, s->hs_rqseq, cmd, data, len, &mw);
    buf_wr_init(&pw, pkt, sizeof(pkt));
    if (v15)
        rmcp_encode_v15(msg, mw.len, &pw);
    else
        rmcpp_encode_plain(RMCPP_PT_IPMI, msg, mw.len, &pw);
    if (buf_wr_err(&mw) || buf_wr_err(&pw)) {
        hs_fail(s, IC_EIO, "internal error: cannot encode %s", step_name(s->state));
        return;
    }
    send_checked(s, pkt, pw.len);
}

static void
send_authcap(struct ipmi_session *s)
{
    uint8_t d[2];
    s->state = SS_AUTHCAP;
    ipmi_authcap_req(d, s->authcap_v20, (uint8_t)hs_priv(s));
    send_sessionless(s, 1, IPMI_CMD_GET_AUTH_CAPS, d, sizeof(d));
}

static void
send_ciphers(struct ipmi_session *s)
{
    uint8_t d[3];
    s->state = SS_CIPHERS;
    ipmi_cipher_suites_req(d, s->cipher_idx);
    send_sessionless(s, 0, IPMI_CMD_GET_CIPHER_SUITES, d, sizeof(d));
}

static void
start_ciphers(struct ipmi_session *s)
{
    s->cipher_idx = 0;
    s->cipher_len = 0;
    s->hs_tries = 0;
    send_ciphers(s);
}

void
hs_start(struct ipmi_session *s)
{
    s->hs_start = sess_now(s);
    s->hs_tries = 0;
    s->hs_restarts = 0;
    s->diag_priv = 0;
    s->cipher_diag = 0;
    s->authcap_v20 = 1;
    s->suite = s->want_suite == IPMI_SUITE_AUTO ? -1 : s->want_suite;
    send_authcap(s);
}

/* Text list of the offered suites, for messages. */
static void
offered_str(const struct ipmi_session *s, char *out, size_t outlen)
{
    size_t n = 0;
    out[0] = '\0';
    for (size_t i = 0; i < s->offered.n && n + 5 < outlen; i++)
        n += (size_t)snprintf(out + n, outlen - n, "%s%u", i ? " " : "", s->offered.ids[i]);
    if (!s->offered.n)
        snprintf(out, outlen, "none");
}

static int
offers(const struct ipmi_session *s, int id)
{
    for (size_t i = 0; i < s->offered.n; i++)
        if (s->offered.ids[i] == id)
            return 1;
    return 0;
}

/* The cipher list is complete (or unavailable: ciphers_known == 0). */
static void
ciphers_done(struct ipmi_session *s)
{
    char list[200];
    offered_str(s, list, sizeof(list));
    if (s->cipher_diag) {
        if (s->ciphers_known)
            hs_fail(s, s->cipher_err, "%s; the BMC offers cipher suites: %s", s->cipher_msg, list);
        else
            hs_fail(s, s->cipher_err, "%s; the BMC did not list its cipher suites", s->cipher_msg);
        return;
    }
    if (s->ciphers_known) {
        if (offers(s, 17))
            s->suite = 17;
        else if (offers(s, 3))
            s->suite = 3;
        else {
            hs_fail(s, IC_ECIPHER,
                    "the BMC offers neither cipher suite 17 nor 3 (it offers: %s); choose one "
                    "with -C only if you accept its weaker security",
                    list);
            return;
        }
    } else {
        s->suite = 17; /* unknown list: try 17, fall back to 3 if refused */
    }
    send_open(s);
}

static void
send_open(struct ipmi_session *s)
{
    uint8_t pl[40], pkt[96];
    struct buf_wr w, pw;
    s->state = SS_OPEN;
    s->cs_def = rakp_suite(s->suite);
    if (!s->cs_def) {
        hs_fail(s, IC_ECIPHER, "cipher suite %d is not supported", s->suite);
        return;
    }
    uint32_t sid = 0;
    while (sid == 0)
        if (crypto_random(&sid, sizeof(sid)) != 0) {
            hs_fail(s, IC_EIO, "no random numbers from OpenSSL");
            return;
        }
    s->tag++;
    s->rk.console_sid = sid;
    s->rk.auth = s->cs_def->auth;
    struct rakp_open_req rq = {.tag = s->tag,
                               /* the real privilege, not 0 "highest": P4 */
                               .priv = (uint8_t)hs_priv(s),
                               .console_sid = sid,
                               .auth = (uint8_t)s->cs_def->auth,
                               .integ = (uint8_t)s->cs_def->integ,
                               .conf = (uint8_t)s->cs_def->conf};
    buf_wr_init(&w, pl, sizeof(pl));
    rakp_encode_open_req(&rq, &w);
    buf_wr_init(&pw, pkt, sizeof(pkt));
    rmcpp_encode_plain(RMCPP_PT_OPEN_REQ, pl, w.len, &pw);
    send_checked(s, pkt, pw.len);
}

static void
send_rakp1(struct ipmi_session *s)
{
    uint8_t pl[64], pkt[128];
    struct buf_wr w, pw;
    s->state = SS_RAKP2;
    if (crypto_random(s->rk.rm, sizeof(s->rk.rm)) != 0) {
        hs_fail(s, IC_EIO, "no random numbers from OpenSSL");
        return;
    }
    s->rk.role = (uint8_t)(hs_priv(s) | 0x10); /* name-only lookup, hashed as sent: P2 */
    s->rk.ulen = s->ulen;
    memcpy(s->rk.user, s->user, s->ulen);
    struct rakp1 m = {
        .tag = ++s->tag, .bmc_sid = s->rk.bmc_sid, .role = s->rk.role, .ulen = s->ulen};
    memcpy(m.rm, s->rk.rm, 16);
    memcpy(m.user, s->user, s->ulen);
    buf_wr_init(&w, pl, sizeof(pl));
    rakp_encode_rakp1(&m, &w);
    buf_wr_init(&pw, pkt, sizeof(pkt));
    rmcpp_encode_plain(RMCPP_PT_RAKP1, pl, w.len, &pw);
    send_checked(s, pkt, pw.len);
}

static void
send_rakp3(struct ipmi_session *s, uint8_t status, const uint8_t *code, size_t codelen)
{
    uint8_t pl[64], pkt[128];
    struct buf_wr w, pw;
    struct rakp3 m = {.tag = ++s->tag, .status = status, .bmc_sid = s->rk.bmc_sid};
    if (code && codelen <= sizeof(m.kex)) {
        memcpy(m.kex, code, codelen);
        m.kexlen = codelen;
    }
    buf_wr_init(&w, pl, sizeof(pl));
    rakp_encode_rakp3(&m, &w);
    buf_wr_init(&pw, pkt, sizeof(pkt));
    rmcpp_encode_plain(RMCPP_PT_RAKP3, pl, w.len, &pw);
    (void)sess_send_raw(s, pkt, pw.len);
    crypto_cleanse(&m, sizeof(m));
}

void
hs_timeout(struct ipmi_session *s)
{
    double secs = (double)(sess_now(s) - s->hs_start) / 1000.0;
    switch (s->state) {
    case SS_CIPHERS:
        /* Many BMCs (ipmi_sim) ignore the session-less request: go on without the list. */
        s->ciphers_known = 0;
        ciphers_done(s);
        return;
    case SS_AUTHCAP:
    case SS_OPEN:
        if (s->hs_tries <= s->retries) {
            if (s->state == SS_AUTHCAP)
                send_authcap(s);
            else
                send_open(s);
            return;
        }
        break;
    case SS_RAKP2:
    case SS_RAKP4:
        if (s->bad_proof) {
            /* Nothing valid came before the deadline: the mismatch was the answer. */
            if (s->state == SS_RAKP2) {
                send_rakp3(s, RAKP_ST_INVALID_ICV, NULL, 0);
                hs_fail(s, IC_EAUTH,
                        "authentication failed for user %s: the BMC's RAKP 2 proof does not "
                        "match our password (wrong password?)",
                        s->user);
            } else {
                hs_fail(s, IC_EAUTH,
                        "authentication failed: RAKP 4 integrity check does not match; the "
                        "password was right, so the BMC key (K_g) is wrong or missing");
            }
            return;
        }
        if (++s->hs_restarts <= s->retries) {
            s->hs_tries = 0;
            send_open(s); /* restart the exchange: a new console SID and tag */
            return;
        }
        break;
    default:
        return;
    }
    hs_fail(s, IC_ETIMEDOUT,
            "no answer to %s after %u tries in %.1f s; is the BMC up, is IPMI over LAN enabled, "
            "is the port right?",
            step_name(s->state), s->hs_tries, secs);
}

/* ---- inbound ------------------------------------------------------------- */

static void
recv_authcap(struct ipmi_session *s, const uint8_t *p, size_t len)
{
    const uint8_t *msg;
    size_t mlen;
    struct ipmi_msg_resp m;
    struct ipmi_authcap ac;
    if (rmcp_decode_v15(p, len, &msg, &mlen) != 0 || ipmi_msg_decode_resp(msg, mlen, &m) != 0 ||
        m.cmd != IPMI_CMD_GET_AUTH_CAPS || m.rq_seq != s->hs_rqseq) {
        s->st.drops[IPMI_DROP_MESSAGE]++;
        return;
    }
    if (m.cc != 0) {
        if (s->authcap_v20) {
            s->authcap_v20 = 0; /* a 1.5-only BMC refuses the v2.0 bit; ask plainly */
            s->hs_tries = 0;
            send_authcap(s);
            return;
        }
        hs_fail(s, IC_ECIPHER,
                "Get Channel Authentication Capabilities failed (cc 0x%02x: %s); the BMC does "
                "not seem to support IPMI v2.0",
                m.cc, ipmi_cc_str(m.cc));
        return;
    }
    if (ipmi_decode_authcap(m.data, m.len, &ac) != 0) {
        hs_fail(s, IC_EPROTO, "malformed Get Channel Authentication Capabilities reply");
        return;
    }
    if (!ac.v20_data || !ac.supports_v20) {
        hs_fail(s, IC_ECIPHER,
                "the BMC does not offer IPMI v2.0 (RMCP+, lanplus) on this channel; enable it in "
                "the BMC's LAN settings");
        return;
    }
    if (ac.kg_set && !s->kg) {
        hs_fail(s, IC_EAUTH,
                "the BMC requires a BMC key (K_g, two-key login); supply it (--kg-file)");
        return;
    }
    s->hs_tries = 0;
    if (s->suite < 0)
        start_ciphers(s);
    else
        send_open(s);
}

static void
recv_ciphers(struct ipmi_session *s, const uint8_t *p, size_t len)
{
    struct rmcpp_pkt pk;
    enum rmcpp_drop why;
    struct ipmi_msg_resp m;
    if (rmcpp_decode_plain(p, len, &pk, &why) != 0 || pk.pt != RMCPP_PT_IPMI ||
        ipmi_msg_decode_resp(pk.payload, pk.len, &m) != 0 || m.cmd != IPMI_CMD_GET_CIPHER_SUITES ||
        m.rq_seq != s->hs_rqseq) {
        s->st.drops[IPMI_DROP_MESSAGE]++;
        return;
    }
    if (m.cc != 0 || m.len < 1) {
        s->ciphers_known = 0;
        ciphers_done(s);
        return;
    }
    size_t chunk = m.len - 1; /* after the channel byte */
    if (chunk > 16 || s->cipher_len + chunk > sizeof(s->cipher_buf)) {
        s->ciphers_known = 0;
        ciphers_done(s);
        return;
    }
    memcpy(s->cipher_buf + s->cipher_len, m.data + 1, chunk);
    s->cipher_len += chunk;
    if (chunk == 16 && s->cipher_idx < 63) {
        s->cipher_idx++;
        s->hs_tries = 0;
        send_ciphers(s);
        return;
    }
    s->ciphers_known = ipmi_parse_cipher_records(s->cipher_buf, s->cipher_len, &s->offered) == 0;
    ciphers_done(s);
}

/* The BMC refused the proposed algorithms: explain with its cipher list. */
static void
refuse_cipher(struct ipmi_session *s, uint8_t status)
{
    s->cipher_diag = 1;
    s->cipher_err = IC_ECIPHER;
    snprintf(s->cipher_msg, sizeof(s->cipher_msg),
             "the BMC refused cipher suite %d (RMCP+ status 0x%02x: %s); choose one it supports "
             "with -C",
             s->suite, status, rakp_status_str(status));
    if (s->ciphers_known)
        ciphers_done(s);
    else
        start_ciphers(s);
}

static void
recv_open(struct ipmi_session *s, const uint8_t *p, size_t len)
{
    struct rmcpp_pkt pk;
    enum rmcpp_drop why;
    struct rakp_open_resp rs;
    if (rmcpp_decode_plain(p, len, &pk, &why) != 0 || pk.pt != RMCPP_PT_OPEN_RESP ||
        rakp_decode_open_resp(pk.payload, pk.len, &rs) != 0 || rs.tag != s->tag) {
        s->st.drops[IPMI_DROP_MESSAGE]++;
        return;
    }
    switch (rs.status) {
    case RAKP_ST_OK:
        break;
    case RAKP_ST_INVALID_AUTH_ALG:
    case RAKP_ST_INVALID_INTEG_ALG:
    case RAKP_ST_NO_MATCHING_AUTH:
    case RAKP_ST_NO_MATCHING_INTEG:
    case RAKP_ST_INVALID_CONF_ALG:
    case RAKP_ST_NO_CIPHER_MATCH:
        if (s->want_suite == IPMI_SUITE_AUTO && s->suite == 17 && !s->ciphers_known) {
            s->suite = 3; /* auto without a list: 17 refused, try 3 */
            s->hs_tries = 0;
            send_open(s);
            return;
        }
        refuse_cipher(s, rs.status);
        return;
    case RAKP_ST_NO_RESOURCES:
    case RAKP_ST_NO_RESOURCES_ROLE:
        hs_fail(s, IC_EBUSY,
                "the BMC has no free session slot (RMCP+ status 0x%02x); close idle sessions or "
                "retry later",
                rs.status);
        return;
    case RAKP_ST_INVALID_ROLE:
    case RAKP_ST_UNAUTHORIZED_ROLE:
        hs_fail(s, IC_EPRIV, "the BMC refused privilege %s (RMCP+ status 0x%02x: %s)",
                ipmi_priv_str(hs_priv(s)), rs.status, rakp_status_str(rs.status));
        return;
    default:
        hs_fail(s, IC_EPROTO, "Open Session refused (RMCP+ status 0x%02x: %s)", rs.status,
                rakp_status_str(rs.status));
        return;
    }
    if (rs.console_sid != s->rk.console_sid) {
        s->st.drops[IPMI_DROP_SESSION]++;
        return;
    }
    if (rs.auth != s->cs_def->auth || rs.integ != s->cs_def->integ || rs.conf != s->cs_def->conf) {
        hs_fail(s, IC_ECIPHER,
                "the BMC answered Open Session for suite %d with other algorithms (auth %u, "
                "integrity %u, confidentiality %u); refusing a downgrade",
                s->suite, rs.auth, rs.integ, rs.conf);
        return;
    }
    if (rs.bmc_sid == 0) {
        hs_fail(s, IC_EPROTO, "the BMC returned session ID 0 in Open Session");
        return;
    }
    s->rk.bmc_sid = rs.bmc_sid;
    s->hs_tries = 0;
    send_rakp1(s);
}

static void
recv_rakp2(struct ipmi_session *s, const uint8_t *p, size_t len)
{
    struct rmcpp_pkt pk;
    enum rmcpp_drop why;
    struct rakp2 m;
    if (rmcpp_decode_plain(p, len, &pk, &why) != 0 || pk.pt != RMCPP_PT_RAKP2 ||
        rakp_decode_rakp2(pk.payload, pk.len, s->rk.auth, &m) != 0 || m.tag != s->tag) {
        s->st.drops[IPMI_DROP_MESSAGE]++;
        return;
    }
    const char *pv = ipmi_priv_str(s->priv);
    if (m.status == RAKP_ST_UNAUTHORIZED_NAME || m.status == RAKP_ST_INVALID_ROLE ||
        m.status == RAKP_ST_UNAUTHORIZED_ROLE) {
        if (!s->diag_priv && s->priv > IPMI_PRIV_USER) {
            /* Unknown user, disabled user, or too high a privilege? Ask again at USER. */
            s->diag_priv = 1;
            s->hs_tries = 0;
            send_open(s);
            return;
        }
        if (s->diag_priv || m.status == RAKP_ST_UNAUTHORIZED_NAME)
            hs_fail(s, IC_EUSER,
                    "user %s is unknown or disabled on the BMC (RAKP 2 status 0x%02x: %s)", s->user,
                    m.status, rakp_status_str(m.status));
        else
            hs_fail(s, IC_EPRIV, "user %s may not have privilege %s (RAKP 2 status 0x%02x: %s)",
                    s->user, pv, m.status, rakp_status_str(m.status));
        return;
    }
    if (m.status == RAKP_ST_NO_RESOURCES || m.status == RAKP_ST_NO_RESOURCES_ROLE) {
        hs_fail(s, IC_EBUSY, "the BMC has no free session slot (RAKP 2 status 0x%02x)", m.status);
        return;
    }
    if (m.status != RAKP_ST_OK) {
        hs_fail(s, IC_EPROTO, "RAKP 2 refused (status 0x%02x: %s)", m.status,
                rakp_status_str(m.status));
        return;
    }
    if (m.console_sid != s->rk.console_sid) {
        s->st.drops[IPMI_DROP_SESSION]++;
        return;
    }
    memcpy(s->rk.rc, m.rc, 16);
    memcpy(s->rk.guid, m.guid, 16);
    uint8_t want[CRYPTO_MAX_MD], code[CRYPTO_MAX_MD];
    size_t wlen = 0, clen = 0;
    const uint8_t *pw = secret_bytes(s->password);
    size_t pwlen = secret_len(s->password);
    /* Verify the BMC's proof before we prove anything ourselves (P10). */
    int none = s->rk.auth == IPMI_AUTH_RAKP_NONE; /* suite 0, only with the loud opt-in */
    if (none ? m.kexlen != 0
             : (rakp_rakp2_code(&s->rk, pw, pwlen, want, &wlen) != 0 || wlen != m.kexlen ||
                !crypto_memeq(want, m.kex, wlen))) {
        /*
         * A wrong password, or a forged RAKP 2 (nothing protects it but this
         * code): keep listening until the step's deadline, so that one
         * injected packet cannot break the login; hs_timeout() reports it.
         */
        s->bad_proof = 1;
        s->st.drops[IPMI_DROP_INTEGRITY]++;
        return;
    }
    if (s->diag_priv) {
        send_rakp3(s, RAKP_ST_INVALID_ICV, NULL, 0); /* release the BMC's half-open session */
        hs_fail(s, IC_EPRIV,
                "user %s may not have privilege %s on this BMC; it accepts the user at USER "
                "(try -L USER or -L OPERATOR)",
                s->user, pv);
        return;
    }
    const uint8_t *kg = s->kg ? secret_bytes(s->kg) : NULL;
    size_t kglen = s->kg ? secret_len(s->kg) : 0;
    if (none) {
        memset(&s->keys, 0, sizeof(s->keys));
    } else if (rakp_derive_keys(&s->rk, pw, pwlen, kg, kglen, &s->keys) != 0 ||
               rakp_rakp3_code(&s->rk, pw, pwlen, code, &clen) != 0) {
        hs_fail(s, IC_EIO, "key derivation failed in OpenSSL");
        return;
    }
    send_rakp3(s, RAKP_ST_OK, code, clen);
    crypto_cleanse(code, sizeof(code));
    s->state = SS_RAKP4;
    step_sent(s);
}

static void
recv_rakp4(struct ipmi_session *s, const uint8_t *p, size_t len)
{
    struct rmcpp_pkt pk;
    enum rmcpp_drop why;
    struct rakp4 m;
    if (rmcpp_decode_plain(p, len, &pk, &why) != 0 || pk.pt != RMCPP_PT_RAKP4 ||
        rakp_decode_rakp4(pk.payload, pk.len, s->rk.auth, &m) != 0 || m.tag != s->tag) {
        s->st.drops[IPMI_DROP_MESSAGE]++;
        return;
    }
    if (m.status != RAKP_ST_OK) {
        if (m.status == RAKP_ST_INVALID_ICV)
            hs_fail(s, IC_EAUTH,
                    "authentication failed for user %s: the BMC rejected our RAKP 3 proof "
                    "(status 0x0F); a BMC quirk in how it hashes the user or role",
                    s->user);
        else
            hs_fail(s, IC_EPROTO, "RAKP 4 refused (status 0x%02x: %s)", m.status,
                    rakp_status_str(m.status));
        return;
    }
    if (m.console_sid != s->rk.console_sid) {
        s->st.drops[IPMI_DROP_SESSION]++;
        return;
    }
    uint8_t icv[CRYPTO_MAX_MD];
    size_t ilen = 0;
    if (s->rk.auth != IPMI_AUTH_RAKP_NONE &&
        (rakp_rakp4_icv(&s->rk, &s->keys, icv, &ilen) != 0 || ilen != m.icvlen ||
         !crypto_memeq(icv, m.icv, ilen))) {
        s->bad_proof = 1; /* wrong K_g, or forged: as for RAKP 2, wait for the deadline */
        s->st.drops[IPMI_DROP_INTEGRITY]++;
        return;
    }
    const struct ipmi_suite *cs = s->cs_def;
    s->crypto = crypto_sess_new(cs->integ, s->keys.k1, s->keys.len, cs->conf, s->keys.k2,
                                s->keys.len, secret_bytes(s->password), secret_len(s->password));
    if (!s->crypto) {
        hs_fail(s, IC_ENOMEM, "cannot create session crypto contexts");
        return;
    }
    memset(&s->rs, 0, sizeof(s->rs));
    s->rs.cs = s->crypto;
    s->rs.integ = cs->integ;
    s->rs.conf = cs->conf;
    s->rs.console_sid = s->rk.console_sid;
    s->rs.bmc_sid = s->rk.bmc_sid;
    s->rs.win.any = 1;
    s->state = SS_SETPRIV;
    /* Sessions start at USER on many BMCs: always ask for the privilege (P13). */
    uint8_t d = (uint8_t)s->priv;
    if (sess_submit_internal(s, SREQ_SETPRIV, IPMI_NETFN_APP, IPMI_CMD_SET_SESSION_PRIV, &d, 1))
        hs_fail(s, IC_ENOMEM, "out of memory");
}

void
hs_setpriv_done(struct ipmi_session *s, int err, uint8_t cc)
{
    if (err) {
        hs_fail(s, err,
                "no answer to the first authenticated message (Set Session Privilege Level): "
                "the BMC drops our packets (wrong K_g, or a cipher suite it does not really "
                "implement?)");
        return;
    }
    if (cc == 0x80 || cc == 0x81 || cc == 0x82) {
        hs_fail(s, IC_EPRIV,
                "the BMC refused privilege %s for user %s (cc 0x%02x: %s); use -L with a lower "
                "level",
                ipmi_priv_str(s->priv), s->user, cc, ipmi_cc_str(cc));
        return;
    }
    if (cc != 0) {
        hs_fail(s, IC_EPROTO, "Set Session Privilege Level failed (cc 0x%02x: %s)", cc,
                ipmi_cc_str(cc));
        return;
    }
    sess_established(s, 0);
}

void
hs_recv(struct ipmi_session *s, const uint8_t *p, size_t len)
{
    switch (s->state) {
    case SS_AUTHCAP:
        recv_authcap(s, p, len);
        break;
    case SS_CIPHERS:
        recv_ciphers(s, p, len);
        break;
    case SS_OPEN:
        recv_open(s, p, len);
        break;
    case SS_RAKP2:
        recv_rakp2(s, p, len);
        break;
    case SS_RAKP4:
        recv_rakp4(s, p, len);
        break;
    default:
        s->st.drops[IPMI_DROP_SESSION]++;
        break;
    }
}
