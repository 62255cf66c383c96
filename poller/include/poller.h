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
/* Calls fn(arg) once on the loop after ms milliseconds. Returns 0 or IC_ENOMEM. */
int poller_loop_after(struct poller_loop *pl, uint64_t ms, void (*fn)(void *arg), void *arg);

/* A timer that can be stopped and restarted (poller_loop_after's cannot). NULL when out of memory.
 */
struct poller_timer;
struct poller_timer *poller_timer_new(struct poller_loop *pl, void (*fn)(void *arg), void *arg);
/* Fires fn once after ms (restarting replaces a pending start). */
void poller_timer_start(struct poller_timer *t, uint64_t ms);
void poller_timer_stop(struct poller_timer *t);
/* Stops and frees (the memory goes once the loop has closed it). NULL is a no-op. */
void poller_timer_free(struct poller_timer *t);

/* Calls fn(arg) on the loop whenever fd is readable (a command queue's eventfd). */
struct poller_watch;
int poller_loop_watch(struct poller_loop *pl, int fd, void (*fn)(void *arg), void *arg,
                      struct poller_watch **out);
void poller_watch_free(struct poller_watch *w);

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
/* Requests the session keeps in flight at once (ipmi_session_opts.max_inflight, resolved). */
unsigned ipmi_session_max_inflight(const struct ipmi_session *s);
/* 1 if the session is established. */
int ipmi_session_is_active(const struct ipmi_session *s);
/* The loop the session lives on. */
struct poller_loop *ipmi_session_loop(const struct ipmi_session *s);

/* Counters, for metrics and tests. */
struct ipmi_session_stats {
    uint64_t opens;   /* sessions established */
    uint64_t reopens; /* re-established after loss */
    uint64_t open_failures;
    uint64_t requests; /* requests completed with a response */
    uint64_t failures; /* requests failed */
    uint64_t retransmits;
    uint64_t keepalives;
    uint64_t peak_inflight; /* most requests in flight at once */
    uint64_t backoffs;      /* times a retransmission shrank the window to one request */
    uint64_t drops[8];      /* inbound packets dropped, by enum ipmi_drop */
};
enum ipmi_drop {
    IPMI_DROP_LENGTH = 0,
    IPMI_DROP_HEADER,
    IPMI_DROP_SESSION,
    IPMI_DROP_INTEGRITY,
    IPMI_DROP_SEQUENCE,
    IPMI_DROP_CONFIDENTIALITY,
    IPMI_DROP_MESSAGE, /* bad checksum, or matches no outstanding request */
    IPMI_DROP_ADDRESS, /* unused: stray datagrams on the shared socket have no session */
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

/* ---- semantics: SDR, sensors, SEL, FRU (decoders in sdr.c, sensor.c, sel.c, fru.c) ---- */

/* Health of a sensor or an event, for people and alert rules. */
enum ipmi_state {
    IPMI_STATE_NONE = 0, /* no reading: state unknown */
    IPMI_STATE_OK,
    IPMI_STATE_WARNING,
    IPMI_STATE_CRITICAL,
    IPMI_STATE_NONRECOVERABLE,
};
/* "ok", "warning", "critical", "non-recoverable"; NULL for IPMI_STATE_NONE. */
const char *ipmi_state_str(enum ipmi_state st);

#define IPMI_NAME_MAX 32 /* sensor/record names: 16-byte ID string plus a share suffix */

/* SDR record types (Table 43-1 ff.). */
enum ipmi_sdr_type {
    IPMI_SDR_FULL = 0x01,
    IPMI_SDR_COMPACT = 0x02,
    IPMI_SDR_EVENT_ONLY = 0x03,
    IPMI_SDR_FRU_LOCATOR = 0x11,
    IPMI_SDR_MC_LOCATOR = 0x12,
    IPMI_SDR_OEM = 0xC0,
};

/* Threshold indexes, in the order of Get Sensor Thresholds and of the reading's comparison bits. */
enum ipmi_thr {
    IPMI_THR_LNC = 0,
    IPMI_THR_LC,
    IPMI_THR_LNR,
    IPMI_THR_UNC,
    IPMI_THR_UC,
    IPMI_THR_UNR
};

/*
 * One decoded SDR record. A compact record that shares its ID among several
 * sensors is expanded into one struct per sensor (number, name and entity
 * instance adjusted). Fixed size: no allocation per record.
 */
struct ipmi_sdr {
    uint16_t record_id;
    uint8_t type;    /* enum ipmi_sdr_type, or another record type kept undecoded */
    uint8_t version; /* 0x51 */
    char name[IPMI_NAME_MAX + 1];
    /* sensor records (full, compact, event-only) */
    uint8_t owner_id, owner_lun, channel, number;
    uint8_t entity_id, entity_instance;
    uint8_t sensor_type; /* Table 42-3 */
    uint8_t event_type;  /* event/reading type: 0x01 threshold, 0x02-0x0C generic, 0x6F specific */
    uint8_t init, caps;
    uint16_t assert_mask, deassert_mask;
    uint16_t reading_mask; /* discrete: states that can be read; threshold: readable (b5:0) |
                              settable (b13:8) thresholds, UNR..LNC = b5..b0 as in the SDR */
    /* full records: conversion y = L[(M*x + B*10^bexp) * 10^rexp] */
    uint8_t units1; /* b7:6 analog format, b5:3 rate, b2:1 modifier use, b0 percentage */
    uint8_t unit_base, unit_mod;
    uint8_t linearization;
    int16_t m, b;         /* 10-bit two's complement, sign-extended */
    int8_t rexp, bexp;    /* 4-bit two's complement, sign-extended */
    uint8_t analog_flags; /* b0 nominal, b1 normal max, b2 normal min given */
    uint8_t nominal, normal_max, normal_min, sensor_max, sensor_min;
    uint8_t thr_raw[6]; /* raw thresholds from the SDR, indexed by enum ipmi_thr */
    uint8_t hyst_pos, hyst_neg;
    /* FRU device locator */
    uint8_t fru_id, fru_logical, fru_access_addr, fru_lun, fru_bus, device_type, device_type_mod;
    /* MC device locator */
    uint8_t mc_addr, mc_caps;
    /* OEM */
    uint32_t oem_iana;
};

/* One sensor's reading, converted and judged. */
struct ipmi_reading {
    uint16_t record_id;
    uint8_t number, owner_lun;
    char name[IPMI_NAME_MAX + 1];
    uint8_t sensor_type, event_type;
    int threshold; /* 1: threshold-based (event type 0x01) */
    int has_value; /* 0: no reading (scanning disabled, unavailable, no sensor) */
    double value;
    char unit[40];         /* "degrees C", "RPM", "Volts", "% ", "discrete", ... */
    enum ipmi_state state; /* IPMI_STATE_NONE when there is no reading */
    uint16_t states;       /* discrete: asserted state bits 0-14 */
    uint8_t thr_valid;     /* bit i: thr[i] is valid (enum ipmi_thr) */
    double thr[6];
    uint8_t raw;   /* raw reading byte */
    uint8_t flags; /* Get Sensor Reading byte 1 */
    uint8_t cc;    /* completion code of Get Sensor Reading (0xCB etc.: no reading) */
};

/* Decoded SEL record (Table 32-1). */
struct ipmi_sel_entry {
    uint16_t record_id;
    uint8_t record_type; /* 0x02 system event; 0xC0-0xDF OEM timestamped; 0xE0-0xFF OEM */
    uint32_t timestamp;  /* seconds since 1970, or since an unspecified start if pre_init */
    int has_timestamp;   /* 0 for OEM non-timestamped records */
    int pre_init;        /* timestamp <= 0x20000000: relative to BMC initialisation */
    uint16_t generator_id;
    uint8_t evm_rev;
    uint8_t sensor_type, sensor_number;
    uint8_t event_type;             /* event/reading type, without the direction bit */
    int deasserted;                 /* event direction: 1 = deassertion */
    uint8_t offset;                 /* event data 1 b3:0 */
    uint8_t data[3];                /* event data 1-3 as recorded */
    char sensor[IPMI_NAME_MAX + 1]; /* resolved from the SDR if given, else "" */
    char event[96];                 /* the event in words */
    char detail[96]; /* event data 2/3 in words ("Reading 91 > Threshold 90 degrees C"), or "" */
    enum ipmi_state severity;
    uint32_t oem_iana; /* OEM timestamped records */
    uint8_t raw[16];
};

#define IPMI_FRU_TEXT_MAX   64
#define IPMI_FRU_CUSTOM_MAX 8

/* One FRU info area field, decoded to text (binary fields as hex). */
struct ipmi_fru_field {
    char text[IPMI_FRU_TEXT_MAX + 1];
};

/* A decoded FRU inventory (Platform Management FRU Information Storage Definition v1.0). */
struct ipmi_fru {
    uint8_t fru_id;
    int has_chassis, has_board, has_product;
    uint8_t chassis_type;
    struct ipmi_fru_field chassis_part, chassis_serial;
    struct ipmi_fru_field chassis_custom[IPMI_FRU_CUSTOM_MAX];
    unsigned n_chassis_custom;
    uint32_t board_mfg_minutes; /* minutes since 1996-01-01 00:00 UTC; 0 = unspecified */
    struct ipmi_fru_field board_mfg, board_product, board_serial, board_part, board_file_id;
    struct ipmi_fru_field board_custom[IPMI_FRU_CUSTOM_MAX];
    unsigned n_board_custom;
    struct ipmi_fru_field product_mfg, product_name, product_part, product_version, product_serial,
        product_asset_tag, product_file_id;
    struct ipmi_fru_field product_custom[IPMI_FRU_CUSTOM_MAX];
    unsigned n_product_custom;
    unsigned n_multirecords;
    char errors[256]; /* "board area: bad checksum; ..." for areas reported bad, else "" */
};

/* ---- readers: asynchronous sequences over a session (sdr_read.c, sensors_read.c, ...) ---- */

/*
 * The SDR repository of one BMC, read once and kept: raw records plus the
 * decoded ones (shared compact records expanded). Keyed by the repository's
 * add/erase timestamps and record count: re-read only when they change.
 */
struct ipmi_sdr_cache;
/* err 0: cache is the valid repository (the one passed in if it is still current, else a new
   one the caller owns; the caller frees the old one). */
typedef void (*ipmi_sdr_fn)(void *arg, int err, struct ipmi_sdr_cache *cache);
/* Reads Get SDR Repository Info, then the records unless cur is still current. */
int ipmi_sdr_load(struct ipmi_session *s, struct ipmi_sdr_cache *cur, ipmi_sdr_fn cb, void *arg);
void ipmi_sdr_cache_free(struct ipmi_sdr_cache *c);
size_t ipmi_sdr_cache_count(const struct ipmi_sdr_cache *c);
const struct ipmi_sdr *ipmi_sdr_cache_get(const struct ipmi_sdr_cache *c, size_t i);
/* The sensor record for (owner ID, LUN, number), or NULL. */
const struct ipmi_sdr *ipmi_sdr_cache_find(const struct ipmi_sdr_cache *c, uint8_t owner_id,
                                           uint8_t lun, uint8_t number);
/* Serialises the cache (raw records and key) for storage; *blob valid while c is. */
void ipmi_sdr_cache_blob(const struct ipmi_sdr_cache *c, const uint8_t **blob, size_t *len);
/* Rebuilds a cache from a blob; IC_EPROTO if it is damaged. */
int ipmi_sdr_cache_from_blob(const uint8_t *blob, size_t len, struct ipmi_sdr_cache **out);

/* Readings of every readable sensor in c, in repository order; r valid until cb returns. */
typedef void (*ipmi_sensors_fn)(void *arg, int err, const struct ipmi_reading *r, size_t n);
/* with_thresholds: also Get Sensor Thresholds for threshold sensors. */
int ipmi_sensors_read(struct ipmi_session *s, const struct ipmi_sdr_cache *c, int with_thresholds,
                      ipmi_sensors_fn cb, void *arg);

struct ipmi_sel_info {
    uint8_t version;
    uint16_t entries;
    uint16_t free_bytes;
    uint32_t last_add, last_erase;
    uint8_t flags; /* b7 overflow, b3 delete, b2 partial add, b1 reserve, b0 allocation info */
};
int ipmi_sel_decode_info(const uint8_t *p, size_t len, struct ipmi_sel_info *out);
typedef void (*ipmi_sel_info_fn)(void *arg, int err, const struct ipmi_sel_info *info);
/* Get SEL Info. */
int ipmi_sel_get_info(struct ipmi_session *s, ipmi_sel_info_fn cb, void *arg);

/*
 * Where a SEL follower is: the last record it has, by ID and content (IDs
 * are reused after a clear, so the ID alone cannot tell).
 */
struct ipmi_sel_cursor {
    int valid;
    int id_only; /* trust last_id without comparing content (a user's --after ID) */
    uint16_t last_id;
    uint8_t last_raw[16];
};
/*
 * Reads the records after cur (all of them if cur is NULL or not valid).
 * reset = 1 when the cursor's record is gone or changed (cleared or
 * wrapped): then every record present is returned. recs valid until cb returns.
 */
typedef void (*ipmi_sel_fn)(void *arg, int err, const struct ipmi_sel_info *info,
                            const uint8_t (*recs)[16], size_t n, int reset);
int ipmi_sel_read(struct ipmi_session *s, const struct ipmi_sel_cursor *cur, ipmi_sel_fn cb,
                  void *arg);
/* Moves a cursor to the last of n records just read. */
void ipmi_sel_cursor_advance(struct ipmi_sel_cursor *cur, const uint8_t (*recs)[16], size_t n);
/* Reserve SEL, Clear SEL, and wait for the erase to complete. */
int ipmi_sel_clear(struct ipmi_session *s, ipmi_done_fn cb, void *arg);

/* The FRU inventory image of device fru_id (0 = the BMC's own); img valid until cb returns. */
typedef void (*ipmi_fru_fn)(void *arg, int err, const uint8_t *img, size_t len);
int ipmi_fru_read(struct ipmi_session *s, uint8_t fru_id, ipmi_fru_fn cb, void *arg);

/* Get Chassis Status (00/01), decoded. */
struct ipmi_chassis_status {
    int power_on, overload, interlock, power_fault, control_fault;
    uint8_t restore_policy; /* 0 stay off, 1 restore previous, 2 always on, 3 unknown */
    int last_ac_failed, last_overload, last_interlock, last_fault, last_on_by_ipmi;
    int intrusion, front_panel_lockout, drive_fault, fan_fault;
    uint8_t identify; /* 0 off, 1 timed on, 2 on; only if identify_supported */
    int identify_supported;
    int has_front_panel;
    uint8_t front_panel; /* b3:0 buttons disabled, b7:4 disable allowed */
};
int ipmi_chassis_decode_status(const uint8_t *p, size_t len, struct ipmi_chassis_status *out);
const char *ipmi_restore_policy_str(uint8_t policy);

/* Chassis Control actions (00/02). */
enum ipmi_power_action {
    IPMI_POWER_OFF = 0,
    IPMI_POWER_ON = 1,
    IPMI_POWER_CYCLE = 2,
    IPMI_POWER_RESET = 3,
    IPMI_POWER_DIAG = 4,
    IPMI_POWER_SOFT = 5,
};
/* "off", "on", "cycle", "reset", "diag", "soft" <-> enum; -1 if unknown. */
int ipmi_power_action_parse(const char *s);
const char *ipmi_power_action_str(int action);

/*
 * Chassis Control, then Get Chassis Status until the state agrees with the
 * action (off/soft: off; on/cycle/reset: on), polling every 500 ms for up to
 * confirm_ms. err IC_ETIMEDOUT if it never agreed; st is the last status read.
 */
typedef void (*ipmi_power_fn)(void *arg, int err, const struct ipmi_chassis_status *st);
int ipmi_power_control(struct ipmi_session *s, int action, unsigned confirm_ms, ipmi_power_fn cb,
                       void *arg);

/* Boot devices of Set System Boot Options parameter 5 (flag byte 1, b5:2). */
enum ipmi_bootdev {
    IPMI_BOOT_NONE = 0,
    IPMI_BOOT_PXE = 1,
    IPMI_BOOT_DISK = 2,
    IPMI_BOOT_CDROM = 5,
    IPMI_BOOT_BIOS = 6,
};
/* "none", "pxe", "disk", "cdrom", "bios" <-> enum; -1 if unknown. */
int ipmi_bootdev_parse(const char *s);
const char *ipmi_bootdev_str(int dev);
/* The Set System Boot Options data for the boot flags (6 bytes); returns 6. */
size_t ipmi_bootdev_req(int dev, int persistent, int efi, uint8_t out[6]);
/* A Get System Boot Options (parameter 5) answer. 0 or IC_EPROTO. */
int ipmi_bootdev_decode(const uint8_t *p, size_t len, int *dev, int *valid, int *persistent);
/*
 * Sets the next boot's device (persistent: every boot), then reads it back.
 * err 0 when the BMC reports that device, IC_EPROTO (message: what it
 * reports) when not, IC_ECC when it refused; got = the device read back or -1.
 */
typedef void (*ipmi_bootdev_fn)(void *arg, int err, int got);
int ipmi_bootdev_set(struct ipmi_session *s, int dev, int persistent, int efi, ipmi_bootdev_fn cb,
                     void *arg);

/* DCMI Get Power Reading (2C/02, mode 1), decoded. */
struct ipmi_dcmi_power {
    uint16_t current, minimum, maximum, average; /* watts */
    uint32_t timestamp;                          /* IPMI time of the reading */
    uint32_t period_ms;                          /* statistics period */
    int active;                                  /* power measurement active */
};
int ipmi_dcmi_decode_power(const uint8_t *p, size_t len, struct ipmi_dcmi_power *out);
/* Request data of Get Power Reading, mode 1 (system power statistics). */
extern const uint8_t ipmi_dcmi_power_req[4];

/* ---- decoders for callers outside the poller (decode_api.c) ----------------------- */

/* The asserted discrete states in words, joined with ", ". */
void ipmi_reading_states_text(const struct ipmi_reading *r, char *out, size_t outlen);
/*
 * The thresholds a full threshold-sensor record carries (its nominal ones,
 * converted to engineering units), indexed by enum ipmi_thr; bit i of *valid
 * says thr[i] is readable. IC_EINVAL for other records.
 */
int ipmi_sdr_thresholds(const struct ipmi_sdr *d, double thr[6], uint8_t *valid);
/* Sensor type in words ("Temperature", "Power Supply"). */
const char *ipmi_sensor_type_str(uint8_t sensor_type);
/* Decodes a 16-byte SEL record; sdr (or NULL) is the sensor that logged it. */
int ipmi_sel_decode(const uint8_t *rec, size_t len, const struct ipmi_sdr *sdr,
                    struct ipmi_sel_entry *out);
/* ISO 8601 UTC time of an entry, or "pre-init +Ns" for BMC-relative stamps. */
void ipmi_sel_time_text(const struct ipmi_sel_entry *e, char *out, size_t outlen);
/* Decodes a FRU image; 0 if at least the common header was valid (see out->errors). */
int ipmi_fru_decode(const uint8_t *img, size_t len, struct ipmi_fru *out);
/* "Tue Mar 14 09:26:00 2023", or "" when unspecified. */
void ipmi_fru_board_date_text(const struct ipmi_fru *f, char *out, size_t outlen);
/* Chassis type in words ("Rack Mount Chassis"). */
const char *ipmi_fru_chassis_type_text(uint8_t type);

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

/* ---- Serial-over-LAN (sol.c; reference §9) ------------------------------- */

/*
 * One SOL console (payload type 0x01, instance 1) on an open session: the
 * host's serial port, over the session's own keys. All calls on the
 * session's loop thread. The session should be open (ipmi_session_open);
 * otherwise the Activate Payload request opens it.
 *
 * If the session is re-established transparently (BMC rebooted, session
 * timed out), SOL is activated again on the new session: characters not yet
 * accepted are kept, no callback is made. While the BMC still holds the
 * payload for the lost session (cc 0x80) activation is retried for about
 * 70 s (with steal: the old instance is deactivated at once). If the session
 * cannot be re-established, SOL ends with the session's error.
 *
 * Every handle from ipmi_sol_open must be passed to ipmi_sol_close exactly
 * once, also after SOL has ended by itself and after the session was freed
 * (the handle stays valid until then; the session may go first).
 */
struct ipmi_sol;
struct ipmi_sol_opts {
    unsigned retry_ms; /* data packet retransmission interval; 0 = 500 */
    unsigned retries;  /* give up (session considered lost for SOL) after this many; 0 = 10 */
    int steal; /* payload already active elsewhere (cc 0x80): deactivate it, then activate */
    unsigned probe_ms; /* idle time (no SOL packet either way) before an empty data packet and Get
                          Payload Instance Info check that the payload is still ours; 0 = 20000,
                          UINT32_MAX = never */
};
/* Console output, in order, never duplicated. p is valid until the callback returns. */
typedef void (*ipmi_sol_data_fn)(void *arg, const uint8_t *p, size_t n);
/* The SOL payload is active (err 0) or could not be activated / has ended (err IC_E*, msg for an
   operator). Called once with 0 when active, then once more when it ends (after ipmi_sol_close: err
   0). */
/*
 * Errors: IC_EBUSY "already active on another session" (cc 0x80) or the
 * activation limit (0x82); IC_ECC SOL disabled (0x81) or another completion
 * code; IC_EPRIV (0xd4); IC_ESESSION the payload was taken over by another
 * session or deactivated by the BMC; IC_ETIMEDOUT no SOL acknowledgement
 * after all retries, three times in a row (each followed by a
 * re-activation); IC_ECANCELED the session was closed or freed; the
 * session's error (IC_EAUTH, IC_ETIMEDOUT, IC_EUNREACH ...) when it could
 * not be (re-)established.
 */
typedef void (*ipmi_sol_state_fn)(void *arg, int err, const char *msg);
/* Returns 0 and *out, or IC_EINVAL / IC_EBUSY (the session already has a SOL) / IC_ENOMEM. */
int ipmi_sol_open(struct ipmi_session *s, const struct ipmi_sol_opts *o, ipmi_sol_data_fn on_data,
                  ipmi_sol_state_fn on_state, void *arg, struct ipmi_sol **out);
/* Queues characters for the console (bounded, 8 KiB): 0, or IC_EAGAIN when full (nothing queued;
   see ipmi_sol_room), IC_ETOOBIG if n > 8 KiB, IC_ESESSION once SOL has ended. Characters
   written before the payload is active are sent once it is. Never calls back. */
int ipmi_sol_write(struct ipmi_sol *sol, const uint8_t *p, size_t n);
/* Sends a serial break with the next packet. 0, or IC_ESESSION once SOL has ended. */
int ipmi_sol_send_break(struct ipmi_sol *sol);
/* Characters ipmi_sol_write can take now. */
size_t ipmi_sol_room(const struct ipmi_sol *sol);
/* 1 while written characters (or a break) are not yet acknowledged by the BMC. */
int ipmi_sol_pending(const struct ipmi_sol *sol);
/* Deactivates the payload; on_state(arg, 0, ...) follows; after that no callback. Safe from
   callbacks. Frees the handle once that is done. */
void ipmi_sol_close(struct ipmi_sol *sol);

struct ipmi_sol_stats {
    uint64_t rx_chars, tx_chars; /* delivered to on_data / accepted by the BMC */
    uint64_t retransmits, duplicates, nacks, overruns;
    unsigned activations; /* 1, plus one per re-activation */
};
void ipmi_sol_stats(const struct ipmi_sol *sol, struct ipmi_sol_stats *st);

#endif
