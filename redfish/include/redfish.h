/* SPDX-License-Identifier: Apache-2.0 */
/*
 * redfish.h - the redfish layer's only public header: a synchronous Redfish
 * client (power, boot override, virtual media) and a one-time-URL media file
 * server (libmicrohttpd) that lets a BMC fetch a local image.
 *
 * Threads: every rf_client call blocks until done or timed out; call it from
 * a worker thread, never from an event loop. Different rf_client objects may
 * be used from different threads at once; one object from one thread at a
 * time. The media server runs its own thread; its functions are thread-safe.
 *
 * Errors: 0 or a negative IC_E* code (ic_err.h), with a message for an
 * operator in err (never the password or the session token):
 *   IC_EUNREACH  connection refused, name does not resolve
 *   IC_ETIMEDOUT no answer within the timeout (or a task did not finish)
 *   IC_EAUTH     user name or password refused (401)
 *   IC_EPRIV     the user lacks the privilege (403)
 *   IC_ECC       the BMC refused the request (its Redfish error in err)
 *   IC_EPROTO    TLS failure, malformed answer, resource missing, read-back mismatch
 *   IC_EINVAL    bad argument (unknown action or device, bad URL)
 *   IC_EIO       connection dropped, local file errors
 *   IC_ENOMEM    out of memory
 * The details are in docs/redfish.md.
 */
#ifndef IC_REDFISH_H
#define IC_REDFISH_H

#include <stddef.h>

struct secret;

/* ---- client ---------------------------------------------------------------- */

struct rf_opts {
    const char *url;               /* https://host:port (no path); http:// allowed */
    const char *user;              /* required */
    const struct secret *password; /* required; copied */
    const char *ca_file;           /* NULL = system CAs */
    int insecure;                  /* 1 = do not verify the BMC's certificate */
    unsigned timeout_ms;           /* per request; 0 = 30 s */
    unsigned task_timeout_ms;      /* asynchronous task wait; 0 = 300 s */
};

struct rf_client;

/* Validates o and copies what it needs; no network I/O. Returns 0 or IC_EINVAL, IC_ENOMEM. */
int rf_client_new(const struct rf_opts *o, struct rf_client **out, char *err, size_t errlen);
/* Logs out of the session if one was opened (one DELETE), frees. NULL is a no-op. */
void rf_client_free(struct rf_client *c);

struct rf_system {
    char power_state[16];  /* On, Off, PoweringOn, PoweringOff */
    char boot_enabled[16]; /* Disabled, Once, Continuous */
    char boot_target[24];  /* None, Pxe, Hdd, Cd, BiosSetup, ... */
    char uuid[40];
    char manufacturer[64], model[64], serial[64];
};

int rf_system_get(struct rf_client *c, struct rf_system *out, char *err, size_t errlen);

/*
 * action: on|off|cycle|reset|soft -> ResetType On, ForceOff, PowerCycle,
 * ForceRestart, GracefulShutdown (checked against the BMC's allowed values).
 * confirm_ms > 0: polls PowerState until it is On (on, cycle, reset) or Off
 * (off, soft); IC_ETIMEDOUT if it is not by then. after (may be NULL): the
 * system as last read.
 */
int rf_power(struct rf_client *c, const char *action, unsigned confirm_ms, struct rf_system *after,
             char *err, size_t errlen);

/*
 * device: pxe|disk|cdrom|bios|none -> Pxe, Hdd, Cd, BiosSetup, None; once
 * (1) or continuous (0); "none" disables the override. PATCH with If-Match,
 * then read back and verified.
 */
int rf_boot_override(struct rf_client *c, const char *device, int once, char *err, size_t errlen);

struct rf_media {
    char slot[32]; /* the resource's Id, e.g. CD */
    int inserted;
    char image[512];
    char media_path[256]; /* the slot's URI */
};

/* The CD-capable slot (MediaTypes CD or DVD), else the first one. */
int rf_media_status(struct rf_client *c, struct rf_media *out, char *err, size_t errlen);
/*
 * InsertMedia (or PATCH when the slot lists no actions); waits for a task
 * when the BMC answers 202; reads back and checks Inserted and Image.
 */
int rf_media_insert(struct rf_client *c, const char *image_url, char *err, size_t errlen);
int rf_media_eject(struct rf_client *c, char *err, size_t errlen);

/* ---- pure parsers of BMC answers (used by the client; exposed for tests) -- */
/*
 * Each takes a body of len bytes (not necessarily terminated) and fills a
 * caller struct (zeroed first; strings always terminated, truncated to
 * fit). Returns 0, or IC_EPROTO with a message (malformed JSON, missing or
 * mistyped required member). URIs taken from a body must be absolute paths
 * ("/redfish/..."), printable, without spaces: anything else is ignored.
 */

#define RF_URI_MAX     256
#define RF_ALLOWED_MAX 16
#define RF_MEMBERS_MAX 16

struct rf_root {
    char systems[RF_URI_MAX];  /* "" if absent */
    char managers[RF_URI_MAX]; /* "" if absent */
    char sessions[RF_URI_MAX]; /* Links.Sessions, "" if absent */
};
int rf_parse_root(const char *body, size_t len, struct rf_root *out, char *err, size_t errlen);

/* A collection's Members[].@odata.id, at most RF_MEMBERS_MAX. */
struct rf_members {
    char uri[RF_MEMBERS_MAX][RF_URI_MAX];
    unsigned n;
};
int rf_parse_members(const char *body, size_t len, struct rf_members *out, char *err,
                     size_t errlen);

/* A ComputerSystem: the public part plus what actions need. */
struct rf_system_doc {
    struct rf_system sys;
    char reset_target[RF_URI_MAX];          /* Actions.#ComputerSystem.Reset.target */
    char reset_allowed[RF_ALLOWED_MAX][24]; /* ResetType@Redfish.AllowableValues */
    unsigned n_reset_allowed;               /* 0 = not advertised */
    char boot_allowed[RF_ALLOWED_MAX][24];  /* BootSourceOverrideTarget@...AllowableValues */
    unsigned n_boot_allowed;
    char vmedia[RF_URI_MAX]; /* VirtualMedia.@odata.id, "" if absent */
    char etag[128];          /* @odata.etag, "" if absent */
};
int rf_parse_system(const char *body, size_t len, struct rf_system_doc *out, char *err,
                    size_t errlen);

/* A Manager: only its VirtualMedia link matters here. */
int rf_parse_manager(const char *body, size_t len, char *vmedia, size_t vmedialen, char *err,
                     size_t errlen);

/* A VirtualMedia resource. */
struct rf_media_doc {
    struct rf_media m;              /* media_path = @odata.id */
    int cd_capable;                 /* MediaTypes has CD or DVD */
    char insert_target[RF_URI_MAX]; /* "" = no InsertMedia action (PATCH style) */
    char eject_target[RF_URI_MAX];
    char etag[128];
};
int rf_parse_media(const char *body, size_t len, struct rf_media_doc *out, char *err,
                   size_t errlen);

/*
 * A Redfish error body -> "MessageId: Message" of each @Message.ExtendedInfo
 * entry ("; "-separated; the registry prefix "Base.1.16.0." dropped), or
 * error.code / error.message when there is no extended info. Returns 0 if
 * the body is a Redfish error, IC_EPROTO if not (msg then "").
 */
int rf_parse_error(const char *body, size_t len, char *msg, size_t msglen);

/* A Task (or a task monitor's 200/202 body). */
enum rf_task_state { RF_TASK_RUNNING, RF_TASK_DONE, RF_TASK_FAILED };
struct rf_task {
    enum rf_task_state state;
    char task_state[24]; /* TaskState as given */
    char message[256];   /* Messages[]: "MessageId: Message; ..." */
};
int rf_parse_task(const char *body, size_t len, struct rf_task *out, char *err, size_t errlen);

/* ---- media server --------------------------------------------------------- */

struct rf_media_srv_opts {
    const char *listen;      /* "host:port", port 0 = ephemeral; "[v6]:port" */
    const char *public_host; /* host put in URLs; NULL = the listen host */
    const char *cert_file;   /* PEM; with key_file: HTTPS. NULL = plain HTTP */
    const char *key_file;
};

struct rf_media_srv;

/* Starts listening (own thread). Returns 0 or IC_EINVAL, IC_EIO, IC_ENOMEM. */
int rf_media_srv_start(const struct rf_media_srv_opts *o, struct rf_media_srv **out, char *err,
                       size_t errlen);
/* Stops (open transfers are cut), closes every offered file. NULL is a no-op. */
void rf_media_srv_stop(struct rf_media_srv *s);
/* The port it listens on. */
unsigned rf_media_srv_port(const struct rf_media_srv *s);

/*
 * Opens local_path now (a regular, readable file; else IC_EIO / IC_EINVAL)
 * and serves it at http(s)://HOST:PORT/media/<64 hex>/<basename> until
 * ttl_ms pass (0 = 300 s) or it is revoked; afterwards that URL answers 404.
 * The full URL is written to url. Returns 0 or IC_E*.
 */
int rf_media_srv_offer(struct rf_media_srv *s, const char *local_path, unsigned ttl_ms, char *url,
                       size_t urllen, char *err, size_t errlen);
/* Revokes by full URL or by the 64-hex id; closes the file. Returns 1 if found, 0 if not. */
int rf_media_srv_revoke(struct rf_media_srv *s, const char *url_or_id);

struct rf_media_srv_stats {
    unsigned long fetches; /* GET requests answered with the file */
    unsigned long heads;   /* HEAD requests answered */
    int active;            /* 1 = still served */
};
/* Returns 1 and fills out if the offer is known (also after revoke/expiry), 0 if not. */
int rf_media_srv_stats(struct rf_media_srv *s, const char *url_or_id,
                       struct rf_media_srv_stats *out);

#endif
