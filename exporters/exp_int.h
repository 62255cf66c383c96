/* SPDX-License-Identifier: Apache-2.0 */
/*
 * exp_int.h - private to exporters/: the output buffer, the Prometheus text
 * exposition writer (prom_text.c) and the renderers (prom_ipmi.c,
 * prom_fleet.c) that the HTTP server (http.c) and the tests call.
 */
#ifndef IC_EXP_INT_H
#define IC_EXP_INT_H

#include <stdarg.h>
#include <stddef.h>
#include <sys/types.h>

#include "exporters.h"

/* ---- growing output buffer ----------------------------------------------------- */

/* Hard cap of one response: 10,000 targets x 40 sensors is about 60 MiB uncompressed. */
#define EXP_BUF_MAX ((size_t)512 << 20)

/*
 * A growing byte buffer with a maximum. The first failure (IC_ENOMEM, or
 * IC_ETOOBIG past max) is sticky: later appends do nothing, so a renderer
 * checks err once at the end.
 */
struct exp_buf {
    char *p;
    size_t len, cap, max;
    int err;
};

void exp_buf_init(struct exp_buf *b, size_t max);
/* Frees the bytes; b may be reused after exp_buf_init. */
void exp_buf_free(struct exp_buf *b);
/* Takes the bytes out of b (caller frees); b is left empty. */
char *exp_buf_take(struct exp_buf *b, size_t *len);
/* Cuts b back to its first len bytes. */
void exp_buf_truncate(struct exp_buf *b, size_t len);
void exp_buf_append(struct exp_buf *b, const char *s, size_t n);
void exp_buf_puts(struct exp_buf *b, const char *s);
void exp_buf_putc(struct exp_buf *b, char c);
/* Decimal digits of v and a NUL into out (21 bytes hold any v); returns the digit count. */
size_t exp_fmt_uint(uint64_t v, char *out);
void exp_buf_printf(struct exp_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- Prometheus text format 0.0.4 ----------------------------------------------- */

#define EXP_FLOAT_MAX 32 /* longest exp_fmt_float() text plus NUL */

/*
 * Formats v exactly as client_golang writes sample values: "NaN", "+Inf",
 * "-Inf", and otherwise Go's strconv.AppendFloat(v, 'g', -1, 64): the
 * shortest digits that read back as v, in exponent form ("1e+06",
 * "2.5e-05") when the decimal exponent is < -4 or >= 6. -0 is "0".
 * Returns the length written to out (out has EXP_FLOAT_MAX bytes).
 */
size_t exp_fmt_float(double v, char *out);
void exp_buf_float(struct exp_buf *b, double v);
/* Appends s as a label value, escaping \ " and newline; invalid UTF-8 becomes U+FFFD. */
void exp_buf_label_value(struct exp_buf *b, const char *s);
/* Appends name="value" (value escaped), preceded by ',' unless first. */
void exp_buf_label(struct exp_buf *b, int first, const char *name, const char *value);
/* "# HELP name help\n# TYPE name type\n". */
void exp_family(struct exp_buf *b, const char *name, const char *type, const char *help);
/*
 * The value of a sensor as ipmi_exporter shows it: FreeIPMI prints readings
 * with two decimals ("%.2f") and the exporter parses that text back.
 */
double exp_round2(double v);

/* ---- renderers -------------------------------------------------------------------- */

/*
 * /ipmi?target=...: one target as ipmi_exporter 1.6.1 renders it (family and
 * label names, label values, values, order). t NULL: a target we do not
 * poll; rendered like an unreachable BMC (every collector's ipmi_up 0).
 * Returns b->err.
 */
int exp_prom_ipmi(struct exp_buf *b, const struct snap_target *t);

/*
 * /metrics: every target, with target and config labels, plus our own families
 * (daemon-wide if d, process), rendered whole into b (the cursor below, run to its end).
 */
int exp_prom_fleet(struct exp_buf *b, struct snap_target *const *v, size_t n,
                   const struct snap_daemon *d, const char *version);

/*
 * The same exposition in pieces, so a scrape of a large fleet never holds
 * the whole text (66 MB for 10,000 targets): the cursor renders about chunk
 * bytes at a time (0: EXP_CURSOR_CHUNK) as they are asked for; its memory is
 * the pending piece plus one label prefix per target. v, version and the
 * delivery stats are borrowed and must outlive the cursor; d is copied.
 * Returns NULL when out of memory.
 */
#define EXP_CURSOR_CHUNK ((size_t)256 << 10)
struct exp_fleet_cursor;
struct exp_fleet_cursor *exp_fleet_cursor_new(struct snap_target *const *v, size_t n,
                                              const struct snap_daemon *d, const char *version,
                                              size_t chunk);
/* Adds the alert delivery families (exp_prom_delivery) at the end; before the first read. */
void exp_fleet_cursor_delivery(struct exp_fleet_cursor *c, const struct exp_receiver_stats *v,
                               size_t n);
void exp_fleet_cursor_free(struct exp_fleet_cursor *c);
/*
 * The next rendered bytes, without copying: sets *p and returns their count
 * (rendering more when all were consumed), 0 at the end, or an IC_E* error
 * (the text so far is then incomplete). *p is valid until the next call.
 */
ssize_t exp_fleet_cursor_data(struct exp_fleet_cursor *c, const char **p);
/* Marks the first n bytes of the last exp_fleet_cursor_data() as consumed. */
void exp_fleet_cursor_consume(struct exp_fleet_cursor *c, size_t n);
/* Copies up to max next bytes into out; returns the count, 0 at the end, or an IC_E* error. */
ssize_t exp_fleet_cursor_read(struct exp_fleet_cursor *c, char *out, size_t max);

/* The daemon-wide families (from d) and the process_* families, appended to b. */
void exp_prom_daemon(struct exp_buf *b, const struct snap_daemon *d, const char *version);
void exp_prom_process(struct exp_buf *b);

/* FreeIPMI's "Name (number)" for a manufacturer (IANA enterprise number), or "number". */
void exp_manufacturer_text(uint32_t id, char *out, size_t outlen);

/*
 * One sensor as ipmi_exporter shows it. exp_sensor_view() fills the list of
 * the readings ipmi_exporter would show, in its order, collapsing a shared
 * record into its first sensor (name: the bare ID string). Returns the count,
 * or IC_ENOMEM. *out is freed with free().
 */
struct exp_sensor {
    const struct snap_reading *r;
    char name[IPMI_NAME_MAX + 1];
    char id[8];
    int family; /* enum exp_sensor_family */
};
enum exp_sensor_family {
    EXP_SENSOR_GENERIC = 0,
    EXP_SENSOR_TEMPERATURE,
    EXP_SENSOR_FAN,
    EXP_SENSOR_VOLTAGE,
    EXP_SENSOR_CURRENT,
    EXP_SENSOR_POWER,
};
/* sorted: 1 = ipmi_exporter's order (by id text); 0 = repository order. */
int exp_sensor_view(const struct snap_target *t, int collapse_shared, int sorted,
                    struct exp_sensor **out);
/* A reading's family (enum exp_sensor_family), value and state as ipmi_exporter shows them. */
int exp_reading_family(const struct snap_reading *r);
double exp_reading_value(const struct snap_reading *r);
double exp_reading_state(const struct snap_reading *r);

/* ---- the JSON API (api.c, api_act.c) ---------------------------------------------- */

#include <microhttpd.h>
struct json_object;

/* Queues o (taken; NULL: out of memory) as the JSON answer; allow: an Allow header or NULL. */
enum MHD_Result api_reply_json(struct MHD_Connection *c, unsigned status, struct json_object *o,
                               const char *allow);
enum MHD_Result api_reply_error(struct MHD_Connection *c, unsigned status, const char *allow,
                                const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Queues a JSON body that is already text (taken). */
enum MHD_Result api_reply_text(struct MHD_Connection *c, unsigned status, char *json, size_t len);

/* api_act.c: POST .../power and .../bootdev (name NULL: the selector forms). */
enum MHD_Result api_action(struct MHD_Connection *c, exp_act_fn act, void *act_arg,
                           enum exp_act_kind kind, const char *name, size_t nlen, const char *who,
                           const char *body, size_t body_len, struct exp_api_conn **conn);
/* A connection whose action was answered: queues the answer. 0 when there is none (yet). */
int api_action_answer(struct MHD_Connection *c, struct exp_api_conn *k, enum MHD_Result *ret);
/* api_act.c: GET .../NAME/sel and /api/v1/audit from the database. */
enum MHD_Result api_sel(struct MHD_Connection *c, struct storage *st, const char *name,
                        size_t nlen);
enum MHD_Result api_audit(struct MHD_Connection *c, struct storage *st);
enum MHD_Result api_console(struct MHD_Connection *c, struct storage *st, const char *name,
                            size_t nlen);
/* api_act.c: POST .../console/attach: the 101 upgrade, then the socket to the daemon. */
enum MHD_Result api_attach(struct MHD_Connection *c, exp_attach_fn fn, void *arg, const char *name,
                           size_t nlen, const char *who);

#endif
