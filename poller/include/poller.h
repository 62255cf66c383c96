/* SPDX-License-Identifier: Apache-2.0 */
/*
 * poller.h - the poller layer's one public header: an asynchronous IPMI v2.0
 * RMCP+ ("lanplus") client.
 *
 * Model: a struct poller_loop is one event loop (libuv) that one thread runs.
 * Many struct ipmi_session share a loop; each is a state machine driven by
 * datagrams and timers on that loop. Callers submit requests and get a
 * callback, on the loop's thread, with the response or an error. Nothing
 * here blocks, and every function below must be called on the loop's thread
 * (another thread talks to a loop only through its command queue, added with
 * the daemon).
 *
 * A session opens itself on the first request, keeps itself alive while
 * idle (keepalive), and re-establishes itself when the BMC has dropped it:
 * the caller sees at most a retried request, never a hang.
 */
#ifndef IC_POLLER_H
#define IC_POLLER_H

#include <stddef.h>
#include <stdint.h>

struct secret;
struct poller_loop;
struct ipmi_session;

/* ---- loop ---------------------------------------------------------------- */

/* Creates a loop. Returns NULL when out of memory. */
struct poller_loop *poller_loop_new(void);
/* Runs until no session has work left or poller_loop_stop() is called. Returns 0 or IC_EIO. */
int poller_loop_run(struct poller_loop *pl);
/* Makes poller_loop_run() return soon. */
void poller_loop_stop(struct poller_loop *pl);
/* Frees the loop; all its sessions must have been freed. NULL is a no-op. */
void poller_loop_free(struct poller_loop *pl);
/* Monotonic time of the loop in ms (cached per iteration). */
uint64_t poller_loop_now(struct poller_loop *pl);

/* ---- session ------------------------------------------------------------- */

#define IPMI_SUITE_AUTO    (-1) /* ask the BMC: 17 if offered, else 3 */
#define IPMI_SUITE_DEFAULT 17

/* Opt-ins for weak security, each loudly named on purpose. */
enum ipmi_insecure {
    IPMI_ALLOW_CLEARTEXT = 1 << 0,         /* suites 2 and 16: integrity, no encryption */
    IPMI_ALLOW_WEAK_SUITES = 1 << 1,       /* suites 1, 6-8, 11, 12, 15: MD5 or no integrity */
    IPMI_ALLOW_SUITE0_INSECURE = 1 << 2,   /* suite 0: no authentication at all */
    IPMI_ALLOW_ANONYMOUS_INSECURE = 1 << 3 /* the null user (empty name) */
};

struct ipmi_session_opts {
    const char *name;              /* for messages; defaults to host:port */
    const char *host;              /* IPv4/IPv6 literal or name (resolved at creation) */
    uint16_t port;                 /* 0 = 623 */
    const char *user;              /* at most 16 bytes */
    const struct secret *password; /* borrowed; copied at creation */
    const struct secret *kg;       /* BMC key for two-key login, or NULL */
    int cipher_suite;              /* IPMI_SUITE_DEFAULT (17), another id 0..19, or IPMI_SUITE_AUTO;
                                      suite 0 is refused unless IPMI_ALLOW_SUITE0_INSECURE */
    int privilege;                 /* enum ipmi_priv value; 0 = ADMINISTRATOR */
    unsigned timeout_ms;           /* first retransmission timeout; 0 = 1000 */
    unsigned retries;              /* retransmissions after the first try; 0 = 3 */
    unsigned keepalive_ms;         /* idle time before a keepalive; 0 = 20000; UINT32_MAX = never */
    unsigned max_inflight;         /* requests in flight at once; 0 = 1, at most 32 */
    unsigned insecure;             /* enum ipmi_insecure flags */
};

/* A request: data is copied at submit. */
struct ipmi_req {
    uint8_t netfn;
    uint8_t cmd;
    uint8_t lun;
    const uint8_t *data;
    size_t len;
};

/* A response, valid until the callback returns. */
struct ipmi_resp {
    uint8_t netfn; /* request netFn */
    uint8_t cmd;
    uint8_t cc; /* completion code; data follows it */
    size_t len;
    const uint8_t *data;
};

/*
 * Result callback. err is 0 (then rsp is set; look at rsp->cc) or an IC_E*
 * code (rsp is NULL; ipmi_session_errmsg() says what happened).
 */
typedef void (*ipmi_resp_fn)(void *arg, int err, const struct ipmi_resp *rsp);
/* Completion callback for open/close. */
typedef void (*ipmi_done_fn)(void *arg, int err);

/*
 * Creates a session on loop pl; does no I/O yet. Returns 0 and *out, or
 * IC_ECONFIG / IC_ECIPHER / IC_EUNREACH (name does not resolve) / IC_ENOMEM
 * with a message in err.
 */
int ipmi_session_new(struct poller_loop *pl, const struct ipmi_session_opts *o,
                     struct ipmi_session **out, char *err, size_t errlen);

/* Opens the session now (otherwise the first request does); cb once it is up or failed. */
int ipmi_session_open(struct ipmi_session *s, ipmi_done_fn cb, void *arg);

/*
 * Queues a request; opens the session first if needed. Returns 0 (cb will be
 * called exactly once), or IC_EBUSY (queue full) / IC_EINVAL (cb not called).
 */
int ipmi_session_submit(struct ipmi_session *s, const struct ipmi_req *rq, ipmi_resp_fn cb,
                        void *arg);

/* Sends Close Session if a session is up; cb when done (or after one timeout). */
void ipmi_session_close(struct ipmi_session *s, ipmi_done_fn cb, void *arg);

/*
 * Frees the session. Queued requests fail with IC_ECANCELED. No Close
 * Session is sent (call ipmi_session_close first for that). NULL is a no-op.
 * The memory is released once the loop has closed the session's handles.
 */
void ipmi_session_free(struct ipmi_session *s);

/* The last error message; valid until the next call on s. */
const char *ipmi_session_errmsg(const struct ipmi_session *s);

/* The cipher suite in use (after open), or -1. */
int ipmi_session_cipher_suite(const struct ipmi_session *s);
/* 1 if the session is established. */
int ipmi_session_is_active(const struct ipmi_session *s);

/* Counters, for metrics and tests. */
struct ipmi_session_stats {
    uint64_t opens;   /* sessions established */
    uint64_t reopens; /* re-established after loss */
    uint64_t open_failures;
    uint64_t requests; /* requests completed with a response */
    uint64_t failures; /* requests failed */
    uint64_t retransmits;
    uint64_t keepalives;
    uint64_t drops[8]; /* inbound packets dropped, by enum ipmi_drop */
};
enum ipmi_drop {
    IPMI_DROP_LENGTH = 0,
    IPMI_DROP_HEADER,
    IPMI_DROP_SESSION,
    IPMI_DROP_INTEGRITY,
    IPMI_DROP_SEQUENCE,
    IPMI_DROP_CONFIDENTIALITY,
    IPMI_DROP_MESSAGE, /* bad checksum, or matches no outstanding request */
    IPMI_DROP_ADDRESS, /* from an unexpected address */
};
const char *ipmi_drop_name(int kind);
void ipmi_session_stats(const struct ipmi_session *s, struct ipmi_session_stats *st);

/* ---- presence ping ------------------------------------------------------- */

/* An ASF presence pong (RMCP, no session, no credentials). */
struct ipmi_pong {
    int ipmi_supported; /* entities bit 7 */
    uint8_t entities;
    uint8_t interactions;
    uint32_t iana;
    uint64_t rtt_ms;
};
typedef void (*ipmi_ping_fn)(void *arg, int err, const struct ipmi_pong *pong);

/*
 * Sends an RMCP/ASF presence ping to host:port (0 = 623) on loop pl, with
 * retransmissions; cb once with the pong, IC_ETIMEDOUT or IC_EUNREACH.
 * Returns 0, or an error (cb not called) with a message in err.
 */
int ipmi_ping(struct poller_loop *pl, const char *host, uint16_t port, unsigned timeout_ms,
              unsigned retries, ipmi_ping_fn cb, void *arg, char *err, size_t errlen);

/* ---- decoded command data (implemented in ipmi_cmd.c / ipmi_msg.c) -------- */

#define IPMI_NETFN_CHASSIS   0x00
#define IPMI_NETFN_SE        0x04
#define IPMI_NETFN_APP       0x06
#define IPMI_NETFN_STORAGE   0x0A
#define IPMI_NETFN_TRANSPORT 0x0C
#define IPMI_NETFN_GROUP     0x2C

/* Text for a completion code (Table 5-2); never NULL. */
const char *ipmi_cc_str(uint8_t cc);

enum ipmi_priv {
    IPMI_PRIV_CALLBACK = 1,
    IPMI_PRIV_USER = 2,
    IPMI_PRIV_OPERATOR = 3,
    IPMI_PRIV_ADMIN = 4,
    IPMI_PRIV_OEM = 5,
};

/* "USER", "OPERATOR", "ADMINISTRATOR", ...; never NULL. */
const char *ipmi_priv_str(int priv);
/* Parses user/operator/administrator/admin/callback/oem, any case. Returns -1 if unknown. */
int ipmi_priv_parse(const char *s);

/* Get Device ID response (§20.1). */
struct ipmi_devid {
    uint8_t device_id;
    uint8_t device_rev; /* bits 3:0 */
    int provides_sdrs;
    int update_in_progress; /* byte 2 bit 7 */
    uint8_t fw_major;       /* binary, bits 6:0 */
    uint8_t fw_minor;       /* BCD as sent */
    uint8_t ipmi_version;   /* BCD, major in bits 3:0: 0x02 = 2.0 */
    uint8_t support;
    uint32_t manufacturer_id; /* 20 bits */
    uint16_t product_id;
    int has_aux;
    uint8_t aux[4];
};
int ipmi_decode_devid(const uint8_t *p, size_t len, struct ipmi_devid *d);
/* Firmware revision as ipmitool prints it: "2.47" (minor as two BCD digits). */
void ipmi_devid_fw_str(const struct ipmi_devid *d, char *out, size_t outlen);
/* IPMI version as text: "2.0", "1.5". */
void ipmi_devid_ipmi_str(const struct ipmi_devid *d, char *out, size_t outlen);

/* 16-byte GUID as sent (least significant byte first). */
int ipmi_decode_guid(const uint8_t *p, size_t len, uint8_t guid[16]);
/* Canonical lower-case UUID text (bytes reversed), 37 bytes with NUL. */
void ipmi_guid_str(const uint8_t guid[16], char out[37]);

#endif
