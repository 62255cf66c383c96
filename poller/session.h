/* SPDX-License-Identifier: Apache-2.0 */
/*
 * session.h - private: struct ipmi_session, shared by session.c (requests,
 * timers, inbound routing, lifecycle) and handshake.c (establishment:
 * auth caps, cipher list, Open Session, RAKP 1-4, privilege).
 *
 * Locking: none. A session lives on one loop and is touched only by that
 * loop's thread.
 */
#ifndef IC_SESSION_H
#define IC_SESSION_H

#include <stdint.h>
#include <sys/socket.h>
#include <uv.h>

#include "poller.h"
#include "crypto.h"
#include "rakp.h"
#include "rmcpplus.h"
#include "ipmi_cmd.h"
#include "ipmi_msg.h"

struct transport;

enum sess_state {
    SS_IDLE = 0, /* no session and nothing under way */
    SS_AUTHCAP,  /* waiting for Get Channel Authentication Capabilities */
    SS_CIPHERS,  /* waiting for a Get Channel Cipher Suites chunk */
    SS_OPEN,     /* waiting for the Open Session Response */
    SS_RAKP2,    /* waiting for RAKP 2 */
    SS_RAKP4,    /* waiting for RAKP 4 */
    SS_SETPRIV,  /* session keys in place; waiting for Set Session Privilege Level */
    SS_ACTIVE,   /* established */
};

/* Why an internal request was sent; decides what its answer means. */
enum sreq_kind {
    SREQ_USER = 0,
    SREQ_SETPRIV,
    SREQ_KEEPALIVE,
    SREQ_CLOSE,
};

struct sreq {
    struct sreq *next;
    enum sreq_kind kind;
    uint8_t netfn, cmd, lun;
    uint8_t rq_seq; /* 0 while queued */
    uint16_t len;
    unsigned tries;    /* transmissions so far */
    unsigned reopened; /* times moved to a re-established session */
    uint64_t deadline; /* loop ms of the next retransmission */
    uint64_t first_ms; /* loop ms of the first transmission */
    ipmi_resp_fn cb;
    void *arg;
    uint8_t data[IPMI_MAX_DATA];
};

#define SESS_MAX_INFLIGHT 32
#define SESS_WIN_GROW     32 /* answers in a row before the window grows back by one */
#define SESS_MAX_QUEUE    256
#define SESS_ERRMSG_MAX   384
#define SESS_CIPHER_BUF   256

struct ipmi_session {
    struct poller_loop *pl;
    struct transport *tp;
    uv_timer_t timer;  /* its close callback frees the session (see ipmi_session_free) */
    uint64_t timer_at; /* loop time it is armed for; 0 = not armed (sess_rearm) */
    char name[128];
    struct sockaddr_storage addr;

    /* configuration (immutable after new) */
    char user[RAKP_MAX_USER + 1];
    uint8_t ulen;
    struct secret *password;
    struct secret *kg;
    int want_suite; /* configured suite or IPMI_SUITE_AUTO */
    int priv;
    unsigned timeout_ms, retries, keepalive_ms, max_inflight, insecure;

    /* establishment */
    enum sess_state state;
    int suite; /* suite being tried / in use, or -1 */
    const struct ipmi_suite *cs_def;
    unsigned hs_tries;    /* transmissions of the current step */
    unsigned hs_restarts; /* Open Session restarts after a lost RAKP 2 / RAKP 4 */
    uint64_t hs_start;    /* loop ms the establishment began */
    uint64_t hs_deadline;
    uint8_t tag;      /* RMCP+ message tag */
    uint8_t hs_rqseq; /* rqSeq of a session-less request */
    int authcap_v20;  /* asking auth caps with the v2.0 bit */
    int diag_priv;    /* re-trying at USER to tell "privilege" from "unknown user" */
    int bad_proof;    /* a RAKP 2/4 failed its check: wrong key, or a forged packet */
    int was_active;   /* a session existed before: an establishment is a re-open */
    int cipher_diag;  /* reading the cipher list only to explain a refusal */
    int cipher_err;   /* the error to report after cipher_diag */
    char cipher_msg[SESS_ERRMSG_MAX];
    int ciphers_known;
    struct ipmi_suite_list offered;
    uint8_t cipher_idx;
    size_t cipher_len;
    uint8_t cipher_buf[SESS_CIPHER_BUF];
    struct rakp_ctx rk;
    struct rakp_keys keys;
    struct crypto_sess *crypto;
    struct rmcpp_sess rs;

    /* requests */
    struct sreq *q_head, *q_tail; /* waiting for a slot */
    unsigned q_len;
    struct sreq *inflight[SESS_MAX_INFLIGHT];
    unsigned n_inflight;
    /*
     * Requests allowed in flight now: max_inflight, down to 1 after a
     * retransmission (a BMC that drops pipelined requests gets them one at
     * a time), back up by one per SESS_WIN_GROW answers.
     */
    unsigned win, win_ok;
    uint8_t next_rqseq;
    uint64_t last_tx; /* loop ms of the last packet sent in session */
    ipmi_done_fn open_cb;
    void *open_arg;
    ipmi_done_fn close_cb;
    void *close_arg;

    struct ipmi_sol *sol; /* the SOL payload on this session, or NULL (sol.c) */

    int dead;  /* ipmi_session_free() was called */
    int in_cb; /* a user callback is running */
    struct ipmi_session_stats st;
    char errmsg[SESS_ERRMSG_MAX];
};

/* session.c */
void sess_seterr(struct ipmi_session *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void sess_rearm(struct ipmi_session *s);
uint64_t sess_now(struct ipmi_session *s);
int sess_send_raw(struct ipmi_session *s, const uint8_t *p, size_t len);
/* Establishment finished: err 0 (now active) or the reason it failed. */
void sess_established(struct ipmi_session *s, int err);
/* Queues an internal request at the head of the queue. */
int sess_submit_internal(struct ipmi_session *s, enum sreq_kind kind, uint8_t netfn, uint8_t cmd,
                         const uint8_t *data, size_t len);
/* Drops keys and crypto contexts, back to SS_IDLE. */
void sess_drop_keys(struct ipmi_session *s);
/* Per-try timeout for transmission number tries (1-based), with backoff. */
uint64_t sess_try_timeout(const struct ipmi_session *s, unsigned tries);

/* handshake.c */
void hs_start(struct ipmi_session *s);
void hs_timeout(struct ipmi_session *s);
/* A datagram arrived while establishing (any state but ACTIVE/IDLE). */
void hs_recv(struct ipmi_session *s, const uint8_t *p, size_t len);
/* The Set Session Privilege Level answer (or its failure). */
void hs_setpriv_done(struct ipmi_session *s, int err, uint8_t cc);
/* An ICMP error or a failed send during establishment. */
void hs_fail(struct ipmi_session *s, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
