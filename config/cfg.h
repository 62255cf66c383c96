/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cfg.h - the daemon's configuration: a YAML file parsed and validated at
 * load into an immutable struct cfg (OpenBSD bgpd discipline, STYLE.md §8).
 *
 * Every error of a file is reported (up to CFG_MAX_ERRORS), one per line, as
 * "file:line:column: message". A struct cfg that was returned is valid as a
 * whole: the daemon never has to re-check a value. The structures below are
 * read-only for callers; every pointer in them is owned by the struct cfg and
 * valid until cfg_free(). Secrets are never stored in printable form: inline
 * passwords live in a struct secret, and cfg_print() never prints them.
 *
 * Durations are in milliseconds, sizes in bytes.
 */
#ifndef IC_CFG_H
#define IC_CFG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct secret;

#define CFG_MAX_ERRORS  50
#define CFG_MAX_TARGETS 100000

enum cfg_log_level { CFG_LOG_ERR, CFG_LOG_WARN, CFG_LOG_INFO, CFG_LOG_DEBUG };
enum cfg_privilege { CFG_PRIV_USER = 2, CFG_PRIV_OPERATOR = 3, CFG_PRIV_ADMINISTRATOR = 4 };
enum cfg_secret_source { CFG_SECRET_NONE, CFG_SECRET_ENV, CFG_SECRET_FILE, CFG_SECRET_INLINE };

/* Collectors, as a bit mask in cfg_target.collectors. */
enum cfg_collector {
    CFG_COLL_SENSORS = 1u << 0,
    CFG_COLL_SEL = 1u << 1,
    CFG_COLL_FRU = 1u << 2,
    CFG_COLL_CHASSIS = 1u << 3,
    CFG_COLL_DCMI = 1u << 4,
};
#define CFG_COLL_DEFAULT (CFG_COLL_SENSORS | CFG_COLL_SEL | CFG_COLL_FRU | CFG_COLL_CHASSIS)

/* cipher_suite: auto lets the session pick the best of 17 and 3. */
#define CFG_CIPHER_AUTO (-1)

struct cfg_global {
    char *listen;            /* host:port of the HTTP server */
    char *database;          /* SQLite file, as written */
    uint64_t interval_ms;    /* default poll interval */
    uint64_t timeout_ms;     /* per-try timeout */
    unsigned retries;        /* retransmissions after the first try */
    unsigned max_inflight;   /* requests in flight per session (pipelining) */
    unsigned poller_threads; /* 0 = number of CPUs (the daemon caps at 8) */
    enum cfg_log_level log_level;
    uint64_t retention_raw_ms; /* raw samples kept this long */
    uint64_t downsample_ms;    /* 0 = none */
    uint64_t max_db_size;      /* bytes */
    uint64_t sdr_refresh_ms;   /* SDR repository re-read period */
};

struct cfg_profile {
    char *name;
    char *user;
    enum cfg_secret_source password_source;
    char *password_ref;               /* variable name or file path; NULL for inline */
    enum cfg_secret_source kg_source; /* CFG_SECRET_NONE when no K_g */
    char *kg_ref;
    int cipher_suite; /* 3, 17 or CFG_CIPHER_AUTO */
    enum cfg_privilege privilege;
    uint64_t timeout_ms;            /* effective (global default filled in) */
    unsigned retries;               /* effective */
    unsigned max_inflight;          /* effective */
    struct secret *password_inline; /* private: use cfg_profile_password() */
};

struct cfg_label {
    char *name;
    char *value;
};

/* A target's Redfish endpoint (issue 8: virtual media, Redfish power and boot). */
struct cfg_redfish {
    char *url;                         /* http(s)://host[:port]; "{host}" = the target's host */
    const struct cfg_profile *profile; /* credentials: user and password (suite ignored) */
    char *ca_file;                     /* NULL: the system's CAs */
    int insecure;                      /* 1: do not verify the certificate */
};

struct cfg_target {
    char *name;
    char *host; /* without brackets for IPv6 */
    uint16_t port;
    const struct cfg_profile *profile;
    uint64_t interval_ms;           /* effective */
    uint64_t timeout_ms;            /* effective: target, else profile, else global */
    unsigned retries;               /* effective: profile, else global */
    unsigned max_inflight;          /* effective: profile, else global */
    unsigned collectors;            /* enum cfg_collector bits */
    const struct cfg_label *labels; /* shared by the targets of one entry */
    size_t nlabels;
    char *const *sensor_include; /* glob patterns; none = all sensors */
    size_t ninclude;
    char *const *sensor_exclude;
    size_t nexclude;
    int console_capture;               /* console: capture (keep SOL active, store the output) */
    const struct cfg_redfish *redfish; /* NULL: none */
};

/* ---- alerting: (issue 7) ---- */

enum cfg_receiver_type { CFG_RCV_WEBHOOK, CFG_RCV_ALERTMANAGER };

/* A custom request header of a receiver. */
struct cfg_header {
    char *name;  /* token characters (RFC 9110), unique case-insensitively */
    char *value; /* no CR, LF or other control character but tab; printed by --print */
};

/* Limits of the alerting section. */
#define CFG_MAX_RECEIVERS 256
#define CFG_MAX_ROUTES    1024
#define CFG_MAX_HEADERS   32

struct cfg_receiver {
    char *name;                  /* unique, [A-Za-z0-9_.-]+ */
    enum cfg_receiver_type type; /* type: webhook | alertmanager (required) */
    char *url; /* http:// or https:// (required); alertmanager: the base URL (no trailing '/',
                  query or fragment), we POST to <url>/api/v2/alerts */
    enum cfg_secret_source secret_source; /* webhook only: secret_env | secret_file (mode 0600 or
                                             stricter, like password_file) | secret (inline: only
                                             in a private file) | none */
    char *secret_ref;                     /* variable name or file path; NULL for inline/none */
    struct cfg_header *headers;           /* headers: {X-Team: ops} custom request headers */
    size_t nheaders;
    char *ca_file;            /* ca_file: PATH, NULL = system CAs (https:// only) */
    int tls_verify;           /* 1 unless insecure_skip_verify: true (https:// only) */
    uint64_t timeout_ms;      /* timeout: 10s default, 100ms..5m */
    unsigned max_concurrency; /* max_concurrency: 4 default, 1..64 */
    uint64_t max_age_ms;      /* max_age: 24h default, 1m..30d: undelivered older -> dead */
    uint64_t resend_ms; /* resend: 1m default, 10s..1h: alertmanager re-sends firing alerts this
                           often (the key is refused on a webhook receiver) */
    struct secret *secret_inline; /* private: use cfg_receiver_secret() */
};

struct cfg_route {
    const struct cfg_receiver *receiver; /* receiver: NAME (required, must exist) */
    /* Each list below is a condition; an empty one (n == 0) matches everything. All the
       conditions of a route must hold (AND); within one list any value may match (OR). */
    char **severities; /* match.severity: subset of info, ok, warning, critical */
    size_t nseverities;
    char **kinds; /* match.kind: subset of sel, sensor, unreachable */
    size_t nkinds;
    char **sensor_types; /* match.sensor_type: ["Temperature", "Fan", ...] free text, compared
                            case-insensitively by the daemon */
    size_t nsensor_types;
    struct cfg_label *labels; /* match.labels: {rack: r1}: the target's config labels must have
                                 these values */
    size_t nlabels;
    char **targets; /* match.target: glob patterns on target names */
    size_t ntargets;
};

struct cfg_alerting {
    struct cfg_receiver *receivers;
    size_t nreceivers;
    struct cfg_route *routes; /* every route that matches delivers (no first-match-wins) */
    size_t nroutes;
    uint64_t unreachable_after_ms; /* unreachable_after: 60s default, 1s..1d */
    unsigned debounce; /* debounce: 2 default, 1..20: sweeps a new sensor state must persist before
                          it fires or resolves */
    char **console_patterns; /* a captured console line containing one raises a "console" alert */
    size_t nconsole_patterns;
};

struct cfg;

/*
 * Reads and parses path. Inline passwords are allowed only if the file is
 * not readable by group or others (fstat of the open file). Returns 0 and a
 * new cfg in *out, IC_ECONFIG with every error in err (newline-separated,
 * each "file:line:col: message"), IC_EIO when the file cannot be read, or
 * IC_ENOMEM.
 */
int cfg_load(const char *path, struct cfg **out, char *err, size_t errlen);

/*
 * Parses len bytes of buf; name is used in messages and to resolve a
 * relative inventory path (relative to name's directory; password_file and
 * kg_file are taken as written, like database).
 * file_private says whether the source may hold inline passwords. Same
 * returns as cfg_load().
 */
int cfg_parse(const char *buf, size_t len, const char *name, int file_private, struct cfg **out,
              char *err, size_t errlen);

/* NULL is a no-op. Wipes inline secrets. */
void cfg_free(struct cfg *c);

/*
 * Prints the canonical configuration: defaults filled in, ranges and the
 * inventory expanded into targets, secrets replaced by "<hidden>". The output
 * parses again to the same configuration (if the file holding it is private
 * when inline passwords are used). Returns 0 or IC_EIO.
 */
int cfg_print(const struct cfg *c, FILE *fp);

const struct cfg_global *cfg_global(const struct cfg *c);
size_t cfg_nprofiles(const struct cfg *c);
const struct cfg_profile *cfg_profile(const struct cfg *c, size_t i);
/* NULL if there is no profile of that name. */
const struct cfg_profile *cfg_profile_find(const struct cfg *c, const char *name);
size_t cfg_ntargets(const struct cfg *c);
/* Target i, in file order (ranges expanded in order, then the inventory). */
const struct cfg_target *cfg_target(const struct cfg *c, size_t i);

/*
 * Resolves a profile's password (from the environment, a private file, or the
 * inline copy) into a new secret the caller frees. Returns 0, or IC_ECONFIG /
 * IC_EIO with a message naming the profile.
 */
int cfg_profile_password(const struct cfg_profile *p, struct secret **out, char *err,
                         size_t errlen);
/* The same for K_g: *out is NULL (and 0 returned) when the profile has none. */
int cfg_profile_kg(const struct cfg_profile *p, struct secret **out, char *err, size_t errlen);

/* NULL when the file has no alerting section. */
const struct cfg_alerting *cfg_alerting(const struct cfg *c);
/*
 * The receiver's signing secret (env, private file or inline, at most
 * SECRET_MAX bytes) as a new secret the caller frees; *out NULL and 0 when it
 * has none. IC_ECONFIG / IC_EIO / IC_ENOMEM with a message naming the
 * receiver otherwise.
 */
int cfg_receiver_secret(const struct cfg_receiver *r, struct secret **out, char *err,
                        size_t errlen);
/* "webhook" / "alertmanager". */
const char *cfg_receiver_type_name(enum cfg_receiver_type t);

/* Names for printing: "user"/"operator"/"administrator", "err".."debug". */
const char *cfg_privilege_name(enum cfg_privilege p);
const char *cfg_log_level_name(enum cfg_log_level l);

/* ---- api: (issue 8) ---- */

/* What a bearer token may do on /api/v1/: each role includes the ones before it. */
enum cfg_role {
    CFG_ROLE_READ,    /* GET endpoints */
    CFG_ROLE_OPERATE, /* and actions (power, SEL clear) */
    CFG_ROLE_ADMIN,   /* everything */
};

#define CFG_MAX_TOKENS 256
#define CFG_TOKEN_MIN  16 /* bytes a token file must hold at least */

struct cfg_token {
    char *name; /* unique, [A-Za-z0-9_.-]+; shown in logs and audit, the token never */
    enum cfg_role role;
    char *token_file; /* taken as written; mode 0600 or stricter (checked at load) */
};

struct cfg_api {
    struct cfg_token *tokens;
    size_t ntokens;
    int protect_metrics; /* 1: /metrics and /ipmi need a read token too */
    /* media: where BMCs fetch local images inserted as virtual media (NULL listen: no local
       images, only URLs) */
    char *media_listen; /* host:port of the media server */
    char *media_host;   /* the host name or address BMCs reach it at; NULL: listen's host */
    char **media_dirs;  /* a local image must be under one of these directories */
    size_t nmedia_dirs;
    uint64_t media_ttl_ms; /* an image's URL works this long after the insert (or until eject) */
    char *tls_cert_file;   /* PEM certificate (chain) of the listener; NULL: plain HTTP */
    char *tls_key_file;    /* its private key (mode 0600) */
    int require_tls;       /* 1: a configuration without tls is refused */
};

/* NULL when the file has no api section. */
const struct cfg_api *cfg_api(const struct cfg *c);
/*
 * Reads t's token file (private, CFG_TOKEN_MIN..SECRET_MAX bytes, one
 * trailing newline stripped) into a new secret the caller frees. 0, or
 * IC_ECONFIG / IC_EIO / IC_ENOMEM with a message naming the token (never its
 * value).
 */
int cfg_token_secret(const struct cfg_token *t, struct secret **out, char *err, size_t errlen);
/* "read" / "operate" / "admin". */
const char *cfg_role_name(enum cfg_role r);

#endif
