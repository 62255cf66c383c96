/* SPDX-License-Identifier: Apache-2.0 */
/*
 * exporters.h - the exporters layer's one public header: what the daemon
 * shows the outside world, served from memory.
 *
 * Model: each poller thread publishes, after every poll of a target, an
 * immutable snapshot of what it knows about that target (struct snap_target,
 * reference-counted) into a struct snap_hub. The HTTP server (libmicrohttpd,
 * its own thread) takes references to the current snapshots and renders them:
 * a scrape never waits on a BMC, and a poller never waits on a scrape (the
 * hub's lock only guards swapping pointers).
 */
#ifndef IC_EXPORTERS_H
#define IC_EXPORTERS_H

#include <stddef.h>
#include <stdint.h>

#include "ic_err.h"
#include "poller.h"

/* ---- snapshots -------------------------------------------------------------- */

/* Collectors, as bits (the same values as config's CFG_COLL_*). */
enum snap_coll {
    SNAP_COLL_SENSORS = 1u << 0, /* ipmi_exporter's "ipmi" collector */
    SNAP_COLL_SEL = 1u << 1,
    SNAP_COLL_FRU = 1u << 2, /* device ID and FRU: ipmi_exporter's "bmc" collector */
    SNAP_COLL_CHASSIS = 1u << 3,
    SNAP_COLL_DCMI = 1u << 4,
};

/* One sensor reading, as exported. */
struct snap_reading {
    double value; /* NAN when there is no reading or the sensor is discrete */
    uint16_t record_id;
    uint16_t states; /* discrete: asserted state bits */
    uint8_t number;
    uint8_t sensor_type; /* Table 42-3 */
    uint8_t event_type;  /* 0x01 threshold */
    uint8_t unit_base;   /* SDR base unit code (1 degrees C, 4 volts, 5 amps, 6 watts, 18 RPM) */
    uint8_t threshold;   /* 1: threshold-based */
    uint8_t has_value;
    uint8_t state; /* enum ipmi_state */
    char name[IPMI_NAME_MAX + 1];
};

/* The FRU fields an inventory needs (FRU 0). */
struct snap_fru {
    char board_manufacturer[IPMI_FRU_TEXT_MAX + 1];
    char board_product[IPMI_FRU_TEXT_MAX + 1];
    char board_serial[IPMI_FRU_TEXT_MAX + 1];
    char board_part[IPMI_FRU_TEXT_MAX + 1];
    char product_manufacturer[IPMI_FRU_TEXT_MAX + 1];
    char product_name[IPMI_FRU_TEXT_MAX + 1];
    char product_serial[IPMI_FRU_TEXT_MAX + 1];
    char product_part[IPMI_FRU_TEXT_MAX + 1];
    char chassis_serial[IPMI_FRU_TEXT_MAX + 1];
};

struct snap_label {
    char *name;
    char *value;
};

/* Everything known about one target at one moment. Immutable once published. */
struct snap_target {
    int refs; /* private: snap_target_ref/unref (atomic) */
    char *name;
    char *host;
    uint16_t port;
    struct snap_label *labels; /* config labels, in config order */
    size_t nlabels;

    unsigned collectors;    /* enum snap_coll: configured */
    unsigned collectors_ok; /* enum snap_coll: whose last run succeeded */
    int up;                 /* the last poll reached the BMC (session open, answers) */
    char state[16];         /* "starting", "up", "down" */
    char last_error[256];   /* "" when the last poll succeeded */
    int last_error_code;    /* IC_E* of last_error, 0 if none */

    uint64_t last_poll_unix_ms;    /* start of the last poll (0 never) */
    uint64_t last_success_unix_ms; /* end of the last fully successful poll (0 never) */
    double poll_duration_s;        /* duration of the last poll */
    uint64_t polls, poll_failures;
    uint64_t errors[IC_ERR_COUNT];  /* failures by -IC_E* code (index 1..17) */
    uint64_t sdr_reads;             /* SDR repository reads (0 after a cached restart) */
    struct ipmi_session_stats sess; /* opens, reopens, retransmits, drops ... */

    struct snap_reading *readings; /* last sensor sweep (collector "ipmi") */
    size_t nreadings;

    int has_devid;
    struct ipmi_devid devid;
    char firmware[16];  /* "2.47" */
    char system_fw[64]; /* "N/A" when the BMC does not say */
    char guid[37];      /* "" when unknown */
    int has_fru;
    struct snap_fru fru;
    int has_chassis;
    struct ipmi_chassis_status chassis;
    int has_dcmi;
    struct ipmi_dcmi_power dcmi;
    int has_sel;
    struct ipmi_sel_info sel;
};

/* A new snapshot with refs = 1, every field zero, name/host/labels copied. NULL when out of memory.
 */
struct snap_target *snap_target_new(const char *name, const char *host, uint16_t port,
                                    const struct snap_label *labels, size_t nlabels);
/* A copy of t (readings and labels duplicated), refs = 1; NULL when out of memory. */
struct snap_target *snap_target_clone(const struct snap_target *t);
/* Replaces t's readings with a copy of v[0..n). 0 or IC_ENOMEM. Only before publishing. */
int snap_target_set_readings(struct snap_target *t, const struct snap_reading *v, size_t n);
/* Replaces t's labels with a copy of v[0..n). 0 or IC_ENOMEM. Only before publishing. */
int snap_target_set_labels(struct snap_target *t, const struct snap_label *v, size_t n);
void snap_target_ref(struct snap_target *t);
/* Drops a reference; frees on the last. NULL is a no-op. */
void snap_target_unref(struct snap_target *t);

/* Daemon-wide facts for /metrics. */
struct snap_daemon {
    uint64_t start_unix_ms;
    unsigned poller_threads;
    size_t targets;
    uint64_t db_size_bytes;
    uint64_t storage_queue_len, storage_dropped, storage_write_errors;
    uint64_t reloads, reload_failures;
    uint64_t last_reload_unix_ms;
    int last_reload_ok;
};

struct snap_hub;
struct snap_hub *snap_hub_new(void);
/* Drops every snapshot. NULL is a no-op. */
void snap_hub_free(struct snap_hub *h);
/*
 * Any thread: t becomes slot's current snapshot (the hub takes the caller's
 * reference; the previous one is unreferenced). t = NULL empties the slot (a
 * removed target). Slots are small integers chosen by the caller. 0 or IC_ENOMEM.
 */
int snap_hub_put(struct snap_hub *h, size_t slot, struct snap_target *t);
/*
 * Any thread: references to every current snapshot, in slot order, in a
 * new array *out (n returned). Release with snap_hub_release().
 */
size_t snap_hub_acquire(struct snap_hub *h, struct snap_target ***out);
void snap_hub_release(struct snap_target **v, size_t n);
/* The daemon's own facts (not the storage counters: snap_hub_set_storage keeps those). */
void snap_hub_set_daemon(struct snap_hub *h, const struct snap_daemon *d);
void snap_hub_get_daemon(struct snap_hub *h, struct snap_daemon *out);
/* Any thread: the storage counters of struct snap_daemon. */
void snap_hub_set_storage(struct snap_hub *h, const struct snap_daemon *d);
/*
 * What other threads count (storage, alert delivery) is copied in when a
 * scrape asks, not by a thread waking every second: /metrics calls
 * snap_hub_refresh() first, which calls fn on the HTTP thread. fn must be
 * thread-safe; setting another fn (or NULL) waits for a call under way, so
 * what fn reads may be freed after snap_hub_set_refresh(h, NULL, NULL).
 */
typedef void (*snap_refresh_fn)(void *arg, struct snap_hub *h);
void snap_hub_set_refresh(struct snap_hub *h, snap_refresh_fn fn, void *arg);
void snap_hub_refresh(struct snap_hub *h);
/* Readiness for /-/ready: set once every target has been polled once. */
void snap_hub_set_ready(struct snap_hub *h, int ready);
int snap_hub_ready(struct snap_hub *h);

/* ---- HTTP server ------------------------------------------------------------ */

struct exp_http_opts {
    const char *listen;   /* "host:port" ("[::1]:9290" for IPv6) */
    struct snap_hub *hub; /* borrowed */
    const char *version;  /* for the status page and build info */
    /* POST /-/reload: runs on the HTTP thread; returns 0 or an error with a message. NULL: 404. */
    int (*reload)(void *arg, char *msg, size_t msglen);
    void *reload_arg;
    struct exp_api *api; /* borrowed; NULL: /api/v1 answers 404, nothing else is protected */
    /* HTTPS: the PEM certificate (chain) and private key (copied; both NULL: plain HTTP). */
    const char *tls_cert_pem;
    const char *tls_key_pem;
};
struct exp_http;
/* Binds and starts serving. 0, or IC_EIO with a message (address in use, bad address). */
int exp_http_start(const struct exp_http_opts *o, struct exp_http **out, char *err, size_t errlen);
/* The port actually bound (for listen "...:0"). */
uint16_t exp_http_port(const struct exp_http *h);
/* Stops serving and frees. NULL is a no-op. */
void exp_http_stop(struct exp_http *h);

/* ---- alert delivery (issue 7): webhooks and Alertmanager, from the outbox ---- */

struct storage;
struct secret;

enum exp_receiver_type { EXP_RCV_WEBHOOK, EXP_RCV_ALERTMANAGER };

struct exp_header {
    const char *name;
    const char *value;
};

/* A receiver's settings (borrowed for the call; exp_deliver copies what it keeps). */
struct exp_receiver {
    const char *name;
    enum exp_receiver_type type;
    const char *url;             /* webhook: the URL; alertmanager: base URL (+ /api/v2/alerts) */
    const struct secret *secret; /* webhook: HMAC-SHA256 key for X-Signature-256; NULL = none */
    const struct exp_header *headers;
    size_t nheaders;
    const char *ca_file; /* NULL = system CAs */
    int tls_verify;
    uint64_t timeout_ms;
    unsigned max_concurrency;
    uint64_t max_age_ms; /* older undelivered rows become dead */
    uint64_t resend_ms;  /* alertmanager: re-send firing alerts this often */
};

/* Per-receiver counters, for /metrics. */
struct exp_receiver_stats {
    char name[64];
    uint64_t sent, failed, retried, dead; /* since start */
    uint64_t pending;                     /* outbox rows waiting now */
    double oldest_pending_age_s;          /* 0 when none */
};

struct exp_deliver;
/*
 * Starts the delivery thread: it reads due outbox rows from st (each target's
 * oldest first), POSTs them with libcurl's multi interface (at most
 * max_concurrency at once per receiver), and reports each outcome to st
 * (delivered on 2xx; else retried with exponential backoff and jitter, dead
 * after max_age). 0, or IC_E* with a message.
 */
int exp_deliver_start(struct storage *st, const struct exp_receiver *v, size_t n,
                      struct exp_deliver **out, char *err, size_t errlen);
/* Replaces the receivers (reload). 0 or IC_ENOMEM. */
int exp_deliver_set_receivers(struct exp_deliver *d, const struct exp_receiver *v, size_t n);
/* New alerts were queued: look at the outbox now rather than at the next tick. */
void exp_deliver_kick(struct exp_deliver *d);
/* Copies up to max receivers' counters into out; returns how many. */
size_t exp_deliver_stats(struct exp_deliver *d, struct exp_receiver_stats *out, size_t max);
/* Stops (requests in flight are abandoned: they stay in the outbox) and frees. NULL is a no-op. */
void exp_deliver_stop(struct exp_deliver *d);

/*
 * Any thread (the daemon's refresh function, with exp_deliver_stats' result): the
 * delivery counters /metrics shows (copied). Until the first call, /metrics
 * has no alert delivery families. 0 or IC_ENOMEM.
 */
int snap_hub_set_delivery(struct snap_hub *h, const struct exp_receiver_stats *v, size_t n);

/* ---- JSON API (issue 8) ------------------------------------------------------ */

#include <microhttpd.h>

/* What a token may do; each role includes the ones before it (the values of config's CFG_ROLE_*).
 */
enum exp_api_role { EXP_ROLE_READ = 0, EXP_ROLE_OPERATE = 1, EXP_ROLE_ADMIN = 2 };

/* A bearer token (borrowed for the call: exp_api keeps only the name, role and a SHA-256 digest).
 */
struct exp_api_token {
    const char *name; /* shown as "who" (audit, logs); the token never is */
    int role;         /* enum exp_api_role */
    const struct secret *token;
};

struct exp_api;
/*
 * Builds the API's authenticator from n tokens (n may be 0: every request is
 * then refused). protect_metrics: /metrics and /ipmi need a read token too
 * (the HTTP server asks exp_api_protects_metrics()). 0, IC_EINVAL (a bad
 * role, an empty token, or two tokens with the same value) or IC_ENOMEM.
 */
int exp_api_new(const struct exp_api_token *v, size_t n, int protect_metrics, struct exp_api **out);
/* NULL is a no-op. */
void exp_api_free(struct exp_api *a);
/*
 * Reload: replaces the tokens and protect_metrics atomically (requests being
 * served finish with the old set). Any thread. Same returns as exp_api_new();
 * on error the old set stays.
 */
int exp_api_set_tokens(struct exp_api *a, const struct exp_api_token *v, size_t n,
                       int protect_metrics);
/* 1 when the config has tokens (then POST /-/reload needs an admin token). a NULL: 0. */
int exp_api_enabled(struct exp_api *a);
/* 1 when /metrics and /ipmi need a read token. a NULL: 0. */
int exp_api_protects_metrics(struct exp_api *a);
/*
 * Checks an Authorization header value ("Bearer <token>", NULL when absent)
 * against every token in constant time. Returns 200 (*who = the token's name,
 * in thread-local storage valid until the next call on this thread), 401 (no,
 * malformed or unknown token; *who NULL) or 403 (the token's role is below
 * need_role; *who set). Never logs the token. a NULL: 401.
 */
int exp_api_auth(struct exp_api *a, const char *authorization, int need_role, const char **who);
/*
 * For a route outside /api/v1/ (protected /metrics): 1 when the request's
 * token has need_role; else queues the JSON 401/403 response, stores
 * MHD_queue_response's result in *ret and returns 0.
 */
int exp_api_gate(struct exp_api *a, struct MHD_Connection *c, int need_role, enum MHD_Result *ret);
/*
 * Serves any URL under /api/v1/ (docs/api.md): authentication, routing,
 * JSON answers and errors. a NULL or without tokens: 404 "the API is not
 * configured" (so the daemon may always build an exp_api, with n = 0 when the
 * config has no api section, and reload may turn the API on or off). Call
 * from the libmicrohttpd handler once the request is complete.
 */
struct exp_api_conn; /* per-connection state of the API (an action waiting for the daemon) */
enum MHD_Result exp_api_handle(struct exp_api *a, struct snap_hub *hub, struct MHD_Connection *c,
                               const char *url, const char *method, const char *body,
                               size_t body_len, struct exp_api_conn **conn);
/* Frees a connection's API state (the HTTP server's "request completed"); NULL is a no-op. */
void exp_api_conn_free(struct exp_api_conn *k);

/*
 * Actions (role operate): the API checks the token and the request, hands it
 * to the daemon through exp_act_fn and suspends the connection (the HTTP
 * thread never waits); the daemon answers once through done, from any
 * thread, with the HTTP status and a JSON body.
 */
enum exp_act_kind {
    EXP_ACT_POWER = 1,
    EXP_ACT_BOOTDEV,
    EXP_ACT_MEDIA_INSERT, /* Redfish virtual media */
    EXP_ACT_MEDIA_EJECT,
    EXP_ACT_MEDIA_STATUS, /* a read (role read), not audited */
};
struct exp_act_req {
    enum exp_act_kind kind;
    const char *who;                   /* the token's name (never the token) */
    const char *source;                /* the client's address */
    const char *target;                /* one target by name; NULL: the selector */
    const struct snap_label *selector; /* label = value pairs that must all hold */
    size_t nselector;
    long confirm;                 /* selector: how many targets the caller expects */
    int power;                    /* EXP_ACT_POWER: enum ipmi_power_action */
    int bootdev, persistent, efi; /* EXP_ACT_BOOTDEV: enum ipmi_bootdev */
    unsigned wait_ms;             /* power: how long the state may take to agree; 0 = default */
    int via_redfish;              /* power, bootdev: through the target's Redfish service */
    const char *image;            /* MEDIA_INSERT: an http(s) URL or a local path */
    int boot_once;                /* MEDIA_INSERT: then boot once from the virtual CD */
    int then_power;               /* MEDIA_INSERT: then this power action (-1: none) */
    const char *params;           /* the request's parameters as JSON (for the audit log) */
};
/* status: the HTTP status; json: the answer's body (malloc'ed; taken). */
typedef void (*exp_act_done_fn)(void *ctx, unsigned status, char *json);
/* Starts rq (borrowed for the call); 0 (done follows, maybe before the return) or IC_E* (no done).
 */
typedef int (*exp_act_fn)(void *arg, const struct exp_act_req *rq, exp_act_done_fn done, void *ctx);
/*
 * An interactive console (POST /api/v1/targets/NAME/console/attach with "Upgrade:
 * ipmi-collector-console", role operate): after "101 Switching Protocols" the connection is a
 * raw byte stream: the server first sends "OK\n" (then the console's output) or "ERR <why>\n";
 * the client's bytes are typed into the console (0xFF 0x01 = a serial break, 0xFF 0xFF = 0xFF).
 * The API hands the upgraded socket to the daemon with exp_attach_fn (on the HTTP thread);
 * the daemon ends it with exp_attach_close (any thread, once).
 */
struct exp_attach;
typedef void (*exp_attach_fn)(void *arg, const char *target, const char *who, const char *source,
                              int fd, struct exp_attach *h);
/* why != NULL: "ERR <why>" is sent first. Closes the connection and frees h. */
void exp_attach_close(struct exp_attach *h, const char *why);
void exp_api_set_attach(struct exp_api *a, exp_attach_fn fn, void *arg);

/*
 * The daemon's side of the API: st answers GET .../sel and /api/v1/audit (NULL: 503), act runs
 * actions (NULL: 503). Call before serving.
 */
void exp_api_set_backend(struct exp_api *a, struct storage *st, exp_act_fn act, void *act_arg);

#endif
