/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rmcpplus.c - the IPMI v2.0 RMCP+ session packet (IPMI v2.0 §13.6, §13.8,
 * Tables 13-8, 13-16, 13-20; reference §1.4-§1.6, §1.9, §3.1).
 *
 * Datagram layout (integers little-endian unless noted):
 *   0      RMCP version 0x06
 *   1      reserved
 *   2      RMCP sequence 0xFF (no ACK)
 *   3      RMCP class 0x07 (IPMI; bit 7 would mean an RMCP ACK)
 *   4      auth type / format: low nibble 0x06 = RMCP+
 *   5      payload type: bit 7 encrypted, bit 6 authenticated, 5:0 type
 *          (type 0x02 "OEM explicit" would insert 6 more bytes: refused)
 *   6-9    session ID of the receiver (0 before the session is active)
 *   10-13  session sequence number (0 before the session is active)
 *   14-15  payload length n, as sent (IV and pad included when encrypted)
 *   16     payload, n bytes
 *          encrypted: IV (16) | AES-CBC-128(K2[0..15], IV,
 *                               data | 01 02 .. N | N), N = 0..15
 *   16+n   session trailer, only with the authenticated bit:
 *          0-3 x 0xFF integrity pad | pad length | next header 0x07 |
 *          AuthCode (12 or 16) over bytes 4 .. next header, where the pad
 *          makes (12 + n + pad + 2) a multiple of 4
 *
 * Inbound checks, in order: length, header, session ID, integrity
 * (constant-time), sequence window, decryption, pad. The window is only
 * tested after the AuthCode passes and only updated once the packet has
 * passed everything, so neither a forgery nor a broken packet moves it.
 */
#include "rmcpplus.h"
#include "buf.h"
#include "ic_err.h"

#include <string.h>

#define HDR_LEN      16 /* RMCP header + RMCP+ session header */
#define COVER_OFF    4  /* the AuthCode covers from the auth type byte */
#define SESS_HDR_LEN 12 /* auth type .. payload length */
#define AUTH_RMCPP   0x06
#define NEXT_HDR     0x07
#define PT_ENC       0x80
#define PT_AUTH      0x40
#define PT_MASK      0x3F
#define PT_OEM_EXPL  0x02
#define WIN_AHEAD    15 /* highest + 15 */
#define WIN_BEHIND   16 /* highest - 16 */

/* Test-only fixed IV (rmcpp_test_set_iv); unused in production. */
static uint8_t test_iv[CRYPTO_AES_BLOCK];
static int test_iv_on;

void
rmcpp_test_set_iv(const uint8_t *iv)
{
    if (iv != NULL)
        memcpy(test_iv, iv, sizeof(test_iv));
    test_iv_on = iv != NULL;
}

const char *
rmcpp_drop_str(enum rmcpp_drop d)
{
    switch (d) {
    case RMCPP_DROP_NONE:
        return "none";
    case RMCPP_DROP_LENGTH:
        return "length";
    case RMCPP_DROP_HEADER:
        return "header";
    case RMCPP_DROP_SESSION:
        return "session";
    case RMCPP_DROP_INTEGRITY:
        return "integrity";
    case RMCPP_DROP_SEQUENCE:
        return "sequence";
    case RMCPP_DROP_CONFIDENTIALITY:
        return "confidentiality";
    default:
        return "unknown";
    }
}

/*
 * Where seq falls relative to the window: 1 ahead of highest (by *dist),
 * -1 behind or equal (by *dist), 0 unacceptable. Unsigned arithmetic makes
 * the 32-bit wrap-around free.
 */
static int
window_place(const struct rmcpp_window *win, uint32_t seq, uint32_t *dist)
{
    uint32_t ahead = seq - win->highest;
    uint32_t behind = win->highest - seq;

    if (seq == 0)
        return 0;
    if (!win->any) {
        *dist = 0;
        return 1;
    }
    if (ahead != 0 && ahead <= WIN_AHEAD) {
        *dist = ahead;
        return 1;
    }
    if (behind <= WIN_BEHIND && !(win->seen & (1u << behind))) {
        *dist = behind;
        return -1;
    }
    return 0;
}

static void
window_record(struct rmcpp_window *win, uint32_t seq, int place, uint32_t dist)
{
    if (!win->any) {
        win->any = 1;
        win->highest = seq;
        win->seen = 1;
    } else if (place > 0) {
        win->seen = (win->seen << dist) | 1u; /* dist <= 15, so the shift is defined */
        win->highest = seq;
    } else {
        win->seen |= 1u << dist;
    }
}

int
rmcpp_window_check(struct rmcpp_window *win, uint32_t seq)
{
    uint32_t dist = 0;
    int place = window_place(win, seq, &dist);

    if (place == 0)
        return IC_EPROTO;
    window_record(win, seq, place, dist);
    return 0;
}

static int
ptype_known(unsigned pt)
{
    return pt == RMCPP_PT_IPMI || pt == RMCPP_PT_SOL ||
           (pt >= RMCPP_PT_OPEN_REQ && pt <= RMCPP_PT_RAKP4);
}

struct hdr {
    uint8_t ptb; /* payload type byte, flags included */
    uint32_t sid;
    uint32_t seq;
    uint16_t plen;
};

static void
put_hdr(struct buf_wr *w, uint8_t ptb, uint32_t sid, uint32_t seq, size_t plen)
{
    buf_put_u8(w, 0x06); /* RMCP 1.0 */
    buf_put_u8(w, 0x00);
    buf_put_u8(w, 0xFF); /* no RMCP ACK */
    buf_put_u8(w, 0x07); /* class IPMI */
    buf_put_u8(w, AUTH_RMCPP);
    buf_put_u8(w, ptb);
    buf_put_le32(w, sid);
    buf_put_le32(w, seq);
    buf_put_le16(w, (uint16_t)plen);
}

/* Reads the 16 header bytes; returns the drop reason or RMCPP_DROP_NONE. */
static enum rmcpp_drop
get_hdr(struct buf_rd *r, struct hdr *h)
{
    uint8_t ver = buf_get_u8(r);
    buf_skip(r, 2); /* reserved, RMCP sequence */
    uint8_t cls = buf_get_u8(r);
    uint8_t auth = buf_get_u8(r);
    h->ptb = buf_get_u8(r);
    h->sid = buf_get_le32(r);
    h->seq = buf_get_le32(r);
    h->plen = buf_get_le16(r);
    if (buf_rd_err(r))
        return RMCPP_DROP_LENGTH;
    if (ver != 0x06 || cls != 0x07 || (auth & 0x0F) != AUTH_RMCPP)
        return RMCPP_DROP_HEADER;
    if ((h->ptb & PT_MASK) == PT_OEM_EXPL)
        return RMCPP_DROP_HEADER;
    return RMCPP_DROP_NONE;
}

int
rmcpp_encode_plain(enum rmcpp_ptype pt, const uint8_t *payload, size_t len, struct buf_wr *w)
{
    if (!ptype_known((unsigned)pt))
        return IC_EINVAL;
    if (len > RMCPP_MAX_PAYLOAD)
        return IC_ETOOBIG;
    put_hdr(w, (uint8_t)pt, 0, 0, len);
    buf_put_bytes(w, payload, len);
    return buf_wr_err(w);
}

/* Writes IV | AES(payload | 01 .. N | N). */
static int
put_encrypted(struct rmcpp_sess *s, const uint8_t *payload, size_t len, size_t ctlen,
              struct buf_wr *w)
{
    uint8_t *iv = buf_put_span(w, CRYPTO_AES_BLOCK);
    uint8_t *ct = buf_put_span(w, ctlen);
    size_t npad = ctlen - len - 1;
    int rc;

    if (iv == NULL || ct == NULL)
        return buf_wr_err(w);
    if (test_iv_on)
        memcpy(iv, test_iv, CRYPTO_AES_BLOCK);
    else if ((rc = crypto_iv(iv)) != 0)
        return rc;
    if (len > 0)
        memcpy(ct, payload, len);
    for (size_t i = 0; i < npad; i++)
        ct[len + i] = (uint8_t)(i + 1);
    ct[ctlen - 1] = (uint8_t)npad;
    return crypto_sess_encrypt(s->cs, iv, ct, ctlen, ct);
}

int
rmcpp_encode(struct rmcpp_sess *s, enum rmcpp_ptype pt, const uint8_t *payload, size_t len,
             struct buf_wr *w)
{
    int enc = s->conf == IPMI_CONF_AES_CBC_128;
    int auth = s->integ != IPMI_INTEG_NONE;
    size_t icvlen = crypto_integ_len(s->integ);
    size_t start = w->len;
    size_t ctlen = 0, plen = len;
    uint8_t ptb = (uint8_t)pt;
    int rc;

    if (!ptype_known((unsigned)pt))
        return IC_EINVAL;
    if ((s->conf != IPMI_CONF_NONE && !enc) || (auth && icvlen == 0))
        return IC_EINVAL;
    if ((enc || auth) && s->cs == NULL)
        return IC_EINVAL;
    if (len > RMCPP_MAX_PAYLOAD)
        return IC_ETOOBIG;
    if (enc) {
        /* data + pad-length byte, rounded up to whole blocks */
        ctlen = (len + 1 + CRYPTO_AES_BLOCK - 1) / CRYPTO_AES_BLOCK * CRYPTO_AES_BLOCK;
        plen = CRYPTO_AES_BLOCK + ctlen;
        ptb |= PT_ENC;
    }
    if (auth)
        ptb |= PT_AUTH;

    /* Every packet gets a new number, retransmissions included; 0 is skipped. */
    if (++s->out_seq == 0)
        s->out_seq = 1;

    put_hdr(w, ptb, s->bmc_sid, s->out_seq, plen);
    if (buf_wr_err(w))
        return buf_wr_err(w);
    if (enc) {
        rc = put_encrypted(s, payload, len, ctlen, w);
        if (rc != 0)
            return rc;
    } else {
        buf_put_bytes(w, payload, len);
    }
    if (auth) {
        size_t npad = (4 - (SESS_HDR_LEN + plen + 2) % 4) % 4;
        uint8_t mac[CRYPTO_MAX_MD];
        size_t maclen = 0;
        uint8_t *icv;

        for (size_t i = 0; i < npad; i++)
            buf_put_u8(w, 0xFF);
        buf_put_u8(w, (uint8_t)npad);
        buf_put_u8(w, NEXT_HDR);
        icv = buf_put_span(w, icvlen);
        if (icv == NULL)
            return buf_wr_err(w);
        /* Our own output buffer: covered range = auth type .. next header. */
        rc = crypto_sess_authcode(s->cs, w->p + start + COVER_OFF, SESS_HDR_LEN + plen + npad + 2,
                                  mac, &maclen);
        if (rc != 0)
            return rc;
        memcpy(icv, mac, icvlen);
    }
    return buf_wr_err(w);
}

int
rmcpp_decode_plain(const uint8_t *pkt, size_t len, struct rmcpp_pkt *out, enum rmcpp_drop *why)
{
    struct buf_rd r;
    struct hdr h;
    enum rmcpp_drop d;
    const uint8_t *payload;

    memset(out, 0, sizeof(*out));
    *why = RMCPP_DROP_NONE;
    if (len < HDR_LEN || len > RMCPP_MAX_PACKET) {
        d = RMCPP_DROP_LENGTH;
        goto drop;
    }
    buf_rd_init(&r, pkt, len);
    d = get_hdr(&r, &h);
    if (d != RMCPP_DROP_NONE)
        goto drop;
    if ((h.ptb & (PT_ENC | PT_AUTH)) || !ptype_known(h.ptb & PT_MASK)) {
        d = RMCPP_DROP_HEADER;
        goto drop;
    }
    if (h.sid != 0) {
        d = RMCPP_DROP_SESSION;
        goto drop;
    }
    payload = buf_get_span(&r, h.plen);
    if (payload == NULL || buf_rd_left(&r) != 0 || h.plen > RMCPP_MAX_PAYLOAD) {
        d = RMCPP_DROP_LENGTH;
        goto drop;
    }
    out->pt = (enum rmcpp_ptype)(h.ptb & PT_MASK);
    out->sid = h.sid;
    out->seq = h.seq;
    out->payload = payload;
    out->len = h.plen;
    return 0;
drop:
    *why = d;
    return IC_EPROTO;
}

/*
 * Checks the trailer that follows the payload and the AuthCode. r is
 * positioned just after the payload; pkt/len is the whole datagram.
 */
static enum rmcpp_drop
check_trailer(struct rmcpp_sess *s, const uint8_t *pkt, size_t len, struct buf_rd *r, size_t plen)
{
    size_t icvlen = crypto_integ_len(s->integ);
    size_t left = buf_rd_left(r);
    uint8_t mac[CRYPTO_MAX_MD];
    size_t maclen = 0, npad, covered;
    const uint8_t *cov, *icv;
    struct buf_rd c;
    int bad = 0;

    if (s->cs == NULL || icvlen == 0 || left < 2 + icvlen)
        return RMCPP_DROP_INTEGRITY;
    npad = left - 2 - icvlen;
    if (npad > 3)
        return RMCPP_DROP_INTEGRITY;
    for (size_t i = 0; i < npad; i++)
        bad |= buf_get_u8(r) != 0xFF;
    bad |= buf_get_u8(r) != npad;
    bad |= buf_get_u8(r) != NEXT_HDR;
    covered = SESS_HDR_LEN + plen + npad + 2;
    bad |= covered % 4 != 0;
    icv = buf_get_span(r, icvlen);
    if (bad || icv == NULL)
        return RMCPP_DROP_INTEGRITY;

    buf_rd_init(&c, pkt, len);
    buf_skip(&c, COVER_OFF);
    cov = buf_get_span(&c, covered);
    if (cov == NULL || crypto_sess_authcode(s->cs, cov, covered, mac, &maclen) != 0 ||
        maclen != icvlen || !crypto_memeq(mac, icv, icvlen))
        return RMCPP_DROP_INTEGRITY;
    return RMCPP_DROP_NONE;
}

/* Decrypts IV | ciphertext into work and strips the pad; *plain gets the data length. */
static enum rmcpp_drop
decrypt_payload(struct rmcpp_sess *s, const uint8_t *payload, size_t plen, uint8_t *work,
                size_t *plain)
{
    struct buf_rd r;
    const uint8_t *iv, *ct;
    size_t ctlen;
    uint8_t npad;
    int bad = 0;

    if (s->cs == NULL || plen < 2 * CRYPTO_AES_BLOCK ||
        (plen - CRYPTO_AES_BLOCK) % CRYPTO_AES_BLOCK)
        return RMCPP_DROP_CONFIDENTIALITY;
    ctlen = plen - CRYPTO_AES_BLOCK;
    if (ctlen > RMCPP_MAX_PAYLOAD)
        return RMCPP_DROP_LENGTH;
    buf_rd_init(&r, payload, plen);
    iv = buf_get_span(&r, CRYPTO_AES_BLOCK);
    ct = buf_get_span(&r, ctlen);
    if (iv == NULL || ct == NULL || crypto_sess_decrypt(s->cs, iv, ct, ctlen, work) != 0)
        return RMCPP_DROP_CONFIDENTIALITY;

    /* Pad: the last byte N (<= 15), preceded by 01 02 .. N. */
    buf_rd_init(&r, work, ctlen);
    buf_skip(&r, ctlen - 1);
    npad = buf_get_u8(&r);
    if (npad >= CRYPTO_AES_BLOCK || (size_t)npad + 1 > ctlen)
        return RMCPP_DROP_CONFIDENTIALITY;
    buf_rd_init(&r, work, ctlen);
    buf_skip(&r, ctlen - 1 - npad);
    for (unsigned i = 1; i <= npad; i++)
        bad |= buf_get_u8(&r) != i;
    if (bad || buf_rd_err(&r))
        return RMCPP_DROP_CONFIDENTIALITY;
    *plain = ctlen - 1 - npad;
    return RMCPP_DROP_NONE;
}

int
rmcpp_decode(struct rmcpp_sess *s, const uint8_t *pkt, size_t len, uint8_t *work,
             struct rmcpp_pkt *out, enum rmcpp_drop *why)
{
    struct buf_rd r;
    struct hdr h;
    enum rmcpp_drop d;
    const uint8_t *payload;
    size_t plain = 0;
    uint32_t dist = 0;
    int place;

    memset(out, 0, sizeof(*out));
    *why = RMCPP_DROP_NONE;
    if (len < HDR_LEN || len > RMCPP_MAX_PACKET) {
        d = RMCPP_DROP_LENGTH;
        goto drop;
    }
    buf_rd_init(&r, pkt, len);
    d = get_hdr(&r, &h);
    if (d != RMCPP_DROP_NONE)
        goto drop;
    if ((h.ptb & PT_MASK) != RMCPP_PT_IPMI && (h.ptb & PT_MASK) != RMCPP_PT_SOL) {
        d = RMCPP_DROP_HEADER;
        goto drop;
    }
    if (h.sid != s->console_sid) {
        d = RMCPP_DROP_SESSION;
        goto drop;
    }
    payload = buf_get_span(&r, h.plen);
    if (payload == NULL) {
        d = RMCPP_DROP_LENGTH;
        goto drop;
    }

    if (s->integ != IPMI_INTEG_NONE) {
        d = (h.ptb & PT_AUTH) ? check_trailer(s, pkt, len, &r, h.plen) : RMCPP_DROP_INTEGRITY;
    } else if (h.ptb & PT_AUTH) {
        d = RMCPP_DROP_INTEGRITY; /* a trailer we could not check */
    } else if (buf_rd_left(&r) != 0) {
        d = RMCPP_DROP_LENGTH;
    }
    if (d != RMCPP_DROP_NONE)
        goto drop;

    /* Tested now, recorded only once the packet is fully accepted. */
    place = window_place(&s->win, h.seq, &dist);
    if (place == 0) {
        d = RMCPP_DROP_SEQUENCE;
        goto drop;
    }

    if (s->conf == IPMI_CONF_AES_CBC_128) {
        d = (h.ptb & PT_ENC) ? decrypt_payload(s, payload, h.plen, work, &plain)
                             : RMCPP_DROP_CONFIDENTIALITY;
    } else if (s->conf != IPMI_CONF_NONE || (h.ptb & PT_ENC)) {
        d = RMCPP_DROP_CONFIDENTIALITY;
    } else if (h.plen > RMCPP_MAX_PAYLOAD) {
        d = RMCPP_DROP_LENGTH;
    } else {
        if (h.plen > 0)
            memcpy(work, payload, h.plen);
        plain = h.plen;
    }
    if (d != RMCPP_DROP_NONE)
        goto drop;

    window_record(&s->win, h.seq, place, dist);
    out->pt = (enum rmcpp_ptype)(h.ptb & PT_MASK);
    out->sid = h.sid;
    out->seq = h.seq;
    out->authenticated = (h.ptb & PT_AUTH) != 0;
    out->encrypted = (h.ptb & PT_ENC) != 0;
    out->payload = work;
    out->len = plain;
    return 0;
drop:
    *why = d;
    return IC_EPROTO;
}

int
rmcpp_peek(const uint8_t *pkt, size_t len, enum rmcpp_ptype *pt, uint32_t *sid)
{
    struct buf_rd r;
    struct hdr h;

    if (len < HDR_LEN)
        return IC_EPROTO;
    buf_rd_init(&r, pkt, len);
    if (get_hdr(&r, &h) != RMCPP_DROP_NONE)
        return IC_EPROTO;
    *pt = (enum rmcpp_ptype)(h.ptb & PT_MASK);
    *sid = h.sid;
    return 0;
}
