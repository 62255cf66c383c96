/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fleetfile.c - the fleet file of `ipmi-collector sim` (libyaml document
 * API): parsed whole into struct sim_fleetfile, every key checked, then
 * applied to a copy of the hardware model and to the fleet's shared state.
 *
 * Format (every key optional; an empty file changes nothing):
 *
 *   seed: 42                  # per-BMC variation; 0..4294967295 (or 0x hex)
 *   timeout: 60s              # session inactivity timeout: N, Ns or Nm; 1 s to 60 m
 *   cipher_suites: [17, 3]    # offered, in this order; 1 2 3 15 16 17, each once
 *                             # (suite 0 only with the command line's --allow-suite0)
 *   users:                    # 1 to 8; replaces the built-in users
 *     - {name: admin, password: admin-secret, privilege: administrator}
 *     - {name: viewer, password_file: ./viewer.pw, privilege: user}
 *     - {name: old, password: x, privilege: operator, enabled: false}
 *   identity:                 # Get Device ID
 *     manufacturer_id: 32473  # IANA enterprise number, 20 bits
 *     product_id: 0x0b5d      # 16 bits
 *     firmware: "3.10"        # major.minor: major 0..127, two minor digits (BCD);
 *                             # even-numbered BMCs report minor + 4, as before
 *   sensors:                  # changes to the model's sensors, by SDR name
 *     - name: CPU1 Temp
 *       value: 55             # every BMC reads this (no per-BMC spread); drift 0 unless given
 *       drift: 0              # amplitude of the slow drift, >= 0
 *       thresholds: {unc: 80, uc: 85, unr: 90}   # lnr lc lnc unc uc unr, the sensor's own
 *     - name: PSU1 Status
 *       states: 0x0003        # discrete sensors: asserted state bits (of those it can read)
 *   fru:                      # FRU device 0 text, printable ASCII, 1..63 characters
 *     board_manufacturer: ACME   # also board_product_name, board_part_number,
 *     product_name: ACME 1U      # product_manufacturer, product_part_number,
 *                                # product_version, chassis_part_number
 *
 * users: name 1..16 printable ASCII characters, unique; privilege callback,
 * user, operator, administrator or oem; enabled true/false (default true);
 * exactly one of password (0..20 bytes) and password_file (mode 0600 or
 * stricter; relative to the fleet file's folder). Inline passwords are
 * allowed on purpose: these are a simulator's test credentials, which
 * clients and test scripts must know anyway; a real BMC's are not kept
 * here. Values and thresholds are engineering units converted with the
 * sensor's SDR factors; one the raw byte cannot express is an error.
 *
 * Errors name the place: "fleet.yml:7:5: unknown key 'passwrd' in users[1]
 * (expected name, password, password_file, privilege, enabled)"; indexes
 * count from 0. Unknown keys, repeated keys, wrong types and values out of
 * range are all errors (IC_ECONFIG).
 */
#include "fleetfile.h"

#include "ic_err.h"
#include "secret.h"
#include "sensor.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

struct ff_ctx {
    yaml_document_t *doc;
    const char *name;
    char *err;
    size_t errlen;
    struct sim_fleetfile *ff;
};

static struct sim_fleetfile_pos
pos_of(const yaml_node_t *n)
{
    struct sim_fleetfile_pos p = {
        (unsigned)(n->start_mark.line < 0xFFFFFFu ? n->start_mark.line + 1 : 0xFFFFFFu),
        (unsigned)(n->start_mark.column < 0xFFFFFFu ? n->start_mark.column + 1 : 0xFFFFFFu)};
    return p;
}

int
sim_fleetfile_fail(const char *name, struct sim_fleetfile_pos p, char *err, size_t errlen,
                   const char *fmt, ...)
{
    va_list ap;
    int n = snprintf(err, errlen, "%s:%u:%u: ", name, p.line, p.col);
    if (n >= 0 && (size_t)n < errlen) {
        va_start(ap, fmt);
        vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return IC_ECONFIG;
}

#define FAIL(c, n, ...) sim_fleetfile_fail((c)->name, pos_of(n), (c)->err, (c)->errlen, __VA_ARGS__)

static const char *
kind(const yaml_node_t *n)
{
    return n->type == YAML_MAPPING_NODE    ? "a mapping"
           : n->type == YAML_SEQUENCE_NODE ? "a list"
                                           : "a scalar";
}

static const char *
text(const yaml_node_t *n)
{
    return (const char *)n->data.scalar.value;
}

/* A scalar for messages: at most 40 characters, others than printable ASCII as '?'. */
static const char *
show(const yaml_node_t *n, char *buf, size_t cap)
{
    size_t i = 0, len = n->type == YAML_SCALAR_NODE ? n->data.scalar.length : 0;
    for (; i < len && i < 40 && i + 4 < cap; i++) {
        unsigned char ch = n->data.scalar.value[i];
        buf[i] = (char)(ch >= 0x20 && ch < 0x7F ? ch : '?');
    }
    if (i < len && i + 4 < cap)
        buf[i++] = '.', buf[i++] = '.', buf[i++] = '.';
    buf[i] = '\0';
    return buf;
}

static int
want(const struct ff_ctx *c, const yaml_node_t *n, yaml_node_type_t t, const char *what,
     const char *expect)
{
    if (n->type == t)
        return 0;
    const char *tn = t == YAML_MAPPING_NODE    ? "a mapping"
                     : t == YAML_SEQUENCE_NODE ? "a list"
                                               : "a value";
    return FAIL(c, n, "%s must be %s%s%s%s, not %s", what, tn, expect ? " (" : "",
                expect ? expect : "", expect ? ")" : "", kind(n));
}

/*
 * Index of key node k in keys[] (n of them), for a mapping called where.
 * An unknown or repeated key is an error (seen: bits of the keys met).
 */
static int
key_of(const struct ff_ctx *c, const yaml_node_t *k, const char *const *keys, unsigned n,
       const char *where, unsigned *seen)
{
    char list[256] = "", buf[48];
    if (k->type != YAML_SCALAR_NODE)
        return FAIL(c, k, "a key in %s must be a word, not %s", where, kind(k));
    for (unsigned i = 0; i < n; i++) {
        if (strlen(keys[i]) != k->data.scalar.length || strcmp(keys[i], text(k)) != 0)
            continue;
        if (*seen & (1u << i))
            return FAIL(c, k, "key '%s' given twice in %s", keys[i], where);
        *seen |= 1u << i;
        return (int)i;
    }
    for (unsigned i = 0; i < n; i++) {
        size_t l = strlen(list);
        snprintf(list + l, sizeof(list) - l, "%s%s", i ? ", " : "", keys[i]);
    }
    return FAIL(c, k, "unknown key '%s' in %s (expected %s)", show(k, buf, sizeof(buf)), where,
                list);
}

/* An unsigned integer, decimal or 0x hex, at most max. */
static int
get_uint(const struct ff_ctx *c, const yaml_node_t *n, const char *what, unsigned long long max,
         unsigned long long *out)
{
    char buf[48];
    if (want(c, n, YAML_SCALAR_NODE, what, NULL))
        return IC_ECONFIG;
    const char *s = text(n), *p = s;
    int base = 10;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        p = s + 2, base = 16;
    char *end = NULL;
    unsigned long long v = 0;
    if (*p >= '0' && *p <= '9') /* also refuses signs and spaces, which strtoull accepts */
        v = strtoull(p, &end, base);
    else if (base == 16 && isxdigit((unsigned char)*p))
        v = strtoull(p, &end, base);
    if (!end || end != s + n->data.scalar.length || v > max)
        return FAIL(c, n, "%s must be an integer from 0 to %llu, not '%s'", what, max,
                    show(n, buf, sizeof(buf)));
    *out = v;
    return 0;
}

/* A finite number in plain decimal notation (1, -2.5, 1e3). */
static int
get_num(const struct ff_ctx *c, const yaml_node_t *n, const char *what, double *out)
{
    char buf[48];
    if (want(c, n, YAML_SCALAR_NODE, what, NULL))
        return IC_ECONFIG;
    const char *s = text(n);
    size_t len = n->data.scalar.length;
    char *end = NULL;
    double v = 0;
    if (len > 0 && strspn(s, "0123456789+-.eE") == len)
        v = strtod(s, &end);
    if (!end || end != s + len || !isfinite(v))
        return FAIL(c, n, "%s must be a number, not '%s'", what, show(n, buf, sizeof(buf)));
    *out = v;
    return 0;
}

static int
get_bool(const struct ff_ctx *c, const yaml_node_t *n, const char *what, int *out)
{
    static const char *const yes[] = {"true", "yes", "on"}, *const no[] = {"false", "no", "off"};
    char buf[48];
    if (want(c, n, YAML_SCALAR_NODE, what, NULL))
        return IC_ECONFIG;
    for (size_t i = 0; i < 3; i++) {
        if (strcasecmp(text(n), yes[i]) == 0)
            return *out = 1, 0;
        if (strcasecmp(text(n), no[i]) == 0)
            return *out = 0, 0;
    }
    return FAIL(c, n, "%s must be true or false, not '%s'", what, show(n, buf, sizeof(buf)));
}

/* Text of min..cap-1 bytes; printable: ASCII 0x20-0x7E only (spaces too unless nospace). */
static int
get_str(const struct ff_ctx *c, const yaml_node_t *n, const char *what, size_t min, char *out,
        size_t cap, int printable, int nospace)
{
    if (want(c, n, YAML_SCALAR_NODE, what, NULL))
        return IC_ECONFIG;
    size_t len = n->data.scalar.length;
    if (strlen(text(n)) != len)
        return FAIL(c, n, "%s must not contain a NUL byte", what);
    if (len < min || len >= cap)
        return FAIL(c, n, "%s must be %zu to %zu bytes long, not %zu", what, min, cap - 1, len);
    for (size_t i = 0; printable && i < len; i++) {
        unsigned char ch = n->data.scalar.value[i];
        if (ch < (nospace ? 0x21 : 0x20) || ch > 0x7E)
            return FAIL(c, n, "%s must be printable ASCII%s", what,
                        nospace ? " without spaces" : "");
    }
    memcpy(out, text(n), len + 1);
    return 0;
}

/* ---- sections ---------------------------------------------------------------- */

#define NODE(c, i)        yaml_document_get_node((c)->doc, (i))
#define PAIRS(n)          (n)->data.mapping.pairs
#define ITEMS(n)          (n)->data.sequence.items
#define FOR_PAIRS(p, n)   for (yaml_node_pair_t *p = PAIRS(n).start; p < PAIRS(n).top; p++)
#define NKEYS(a)          ((unsigned)(sizeof(a) / sizeof((a)[0])))
#define SIM_FF_EXPECT_TOP "seed, timeout, cipher_suites, users, identity, sensors, fru"

static int
parse_timeout(const struct ff_ctx *c, const yaml_node_t *n)
{
    char buf[48];
    if (want(c, n, YAML_SCALAR_NODE, "timeout", NULL))
        return IC_ECONFIG;
    const char *s = text(n);
    char *end = NULL;
    unsigned long v = 0;
    if (s[0] >= '0' && s[0] <= '9')
        v = strtoul(s, &end, 10);
    unsigned long mult = 1;
    if (end && (*end == 's' || *end == 'm') && end + 1 == s + n->data.scalar.length)
        mult = *end++ == 'm' ? 60 : 1;
    if (!end || end != s + n->data.scalar.length || v == 0 || v > 3600 / mult)
        return FAIL(c, n, "timeout must be 1 to 3600 seconds (60, 60s or 1m), not '%s'",
                    show(n, buf, sizeof(buf)));
    c->ff->timeout_ms = (unsigned)(v * mult * 1000u);
    return 0;
}

static int
parse_suites(const struct ff_ctx *c, const yaml_node_t *n)
{
    struct sim_fleetfile *ff = c->ff;
    if (want(c, n, YAML_SEQUENCE_NODE, "cipher_suites", "like [17, 3]"))
        return IC_ECONFIG;
    if (ITEMS(n).top == ITEMS(n).start)
        return FAIL(c, n, "cipher_suites must list at least one suite (1, 2, 3, 15, 16, 17)");
    for (yaml_node_item_t *it = ITEMS(n).start; it < ITEMS(n).top; it++) {
        const yaml_node_t *s = NODE(c, *it);
        unsigned long long v;
        if (get_uint(c, s, "a cipher suite", 255, &v))
            return IC_ECONFIG;
        if (v == 0)
            return FAIL(c, s,
                        "cipher suite 0 is offered only with --allow-suite0 on the "
                        "command line");
        if (v > 17 || (v > 3 && v < 15))
            return FAIL(c, s,
                        "cipher suite %llu is not offered by the simulator (expected 1, 2, "
                        "3, 15, 16 or 17)",
                        v);
        if (memchr(ff->suites, (int)v, ff->n_suites))
            return FAIL(c, s, "cipher suite %llu is listed twice", v);
        ff->suites[ff->n_suites++] = (uint8_t)v; /* at most 6 distinct: fits */
    }
    return 0;
}

static int
parse_user(const struct ff_ctx *c, const yaml_node_t *n, size_t idx)
{
    static const char *const keys[] = {"name", "password", "password_file", "privilege", "enabled"};
    static const char *const privs[] = {"callback", "user", "operator", "administrator", "oem"};
    struct sim_fleetfile_user *u = &c->ff->users[idx];
    char where[32], buf[48], path[4096];
    unsigned seen = 0;
    snprintf(where, sizeof(where), "users[%zu]", idx);
    if (want(c, n, YAML_MAPPING_NODE, where, "name, password or password_file, privilege"))
        return IC_ECONFIG;
    u->pos = pos_of(n);
    u->enabled = 1;
    FOR_PAIRS(p, n)
    {
        const yaml_node_t *v = NODE(c, p->value);
        int k = key_of(c, NODE(c, p->key), keys, NKEYS(keys), where, &seen);
        if (k < 0)
            return k;
        if (k == 0 && get_str(c, v, "a user name", 1, u->name, sizeof(u->name), 1, 1))
            return IC_ECONFIG;
        if (k == 1 && get_str(c, v, "a password", 0, u->pw, sizeof(u->pw), 0, 0))
            return IC_ECONFIG;
        if (k == 2) {
            if (get_str(c, v, "password_file", 1, path, sizeof(path), 0, 0))
                return IC_ECONFIG;
            if (!(u->pw_file = strdup(path)))
                return IC_ENOMEM;
        }
        if (k == 3) {
            unsigned i = 0;
            if (want(c, v, YAML_SCALAR_NODE, "privilege", NULL))
                return IC_ECONFIG;
            while (i < NKEYS(privs) && strcmp(text(v), privs[i]) != 0)
                i++;
            if (i == NKEYS(privs))
                return FAIL(c, v,
                            "privilege must be callback, user, operator, administrator or "
                            "oem, not '%s'",
                            show(v, buf, sizeof(buf)));
            u->priv = (uint8_t)(IPMI_PRIV_CALLBACK + i);
        }
        if (k == 4 && get_bool(c, v, "enabled", &u->enabled))
            return IC_ECONFIG;
    }
    if (!(seen & 1u))
        return FAIL(c, n, "%s has no name", where);
    if ((seen & 6u) == 0 || (seen & 6u) == 6u)
        return FAIL(c, n, "%s needs exactly one of password and password_file", where);
    if (!(seen & 8u))
        return FAIL(c, n, "%s has no privilege (callback, user, operator, administrator, oem)",
                    where);
    u->pw_loaded = u->pw_file == NULL;
    for (size_t i = 0; i < idx; i++)
        if (strcmp(c->ff->users[i].name, u->name) == 0)
            return FAIL(c, n, "user '%s' is listed twice", u->name);
    return 0;
}

static int
parse_users(const struct ff_ctx *c, const yaml_node_t *n)
{
    if (want(c, n, YAML_SEQUENCE_NODE, "users", "of {name, password, privilege}"))
        return IC_ECONFIG;
    if (ITEMS(n).top == ITEMS(n).start)
        return FAIL(c, n, "users must list at least one user");
    for (yaml_node_item_t *it = ITEMS(n).start; it < ITEMS(n).top; it++) {
        if (c->ff->n_users == SIM_MAX_USERS)
            return FAIL(c, NODE(c, *it), "at most %d users", SIM_MAX_USERS);
        int rc = parse_user(c, NODE(c, *it), c->ff->n_users++);
        if (rc)
            return rc;
    }
    return 0;
}

static int
parse_identity(const struct ff_ctx *c, const yaml_node_t *n)
{
    static const char *const keys[] = {"manufacturer_id", "product_id", "firmware"};
    struct sim_fleetfile *ff = c->ff;
    unsigned seen = 0;
    unsigned long long v;
    char buf[48];
    if (want(c, n, YAML_MAPPING_NODE, "identity", "manufacturer_id, product_id, firmware"))
        return IC_ECONFIG;
    FOR_PAIRS(p, n)
    {
        const yaml_node_t *val = NODE(c, p->value);
        int k = key_of(c, NODE(c, p->key), keys, NKEYS(keys), "identity", &seen);
        if (k < 0)
            return k;
        if (k == 0) {
            if (get_uint(c, val, "manufacturer_id", 0xFFFFF, &v))
                return IC_ECONFIG;
            ff->manufacturer_id = (uint32_t)v;
            ff->has_manufacturer_id = 1;
        } else if (k == 1) {
            if (get_uint(c, val, "product_id", 0xFFFF, &v))
                return IC_ECONFIG;
            ff->product_id = (uint16_t)v;
            ff->has_product_id = 1;
        } else {
            unsigned maj, mi;
            char tail;
            const char *s = val->type == YAML_SCALAR_NODE ? text(val) : "";
            if (want(c, val, YAML_SCALAR_NODE, "firmware", "like \"3.10\""))
                return IC_ECONFIG;
            if (strspn(s, "0123456789.") != strlen(s) || strlen(s) < 4 || s[strlen(s) - 3] != '.' ||
                sscanf(s, "%3u.%2u%c", &maj, &mi, &tail) != 2 || maj > 127)
                return FAIL(c, val,
                            "firmware must be major.minor with major 0 to 127 and two "
                            "minor digits (like \"3.10\"), not '%s'",
                            show(val, buf, sizeof(buf)));
            ff->fw_major = (uint8_t)maj;
            ff->fw_minor_bcd = (uint8_t)((mi / 10u) << 4 | mi % 10u);
            ff->has_firmware = 1;
        }
    }
    return 0;
}

/* Threshold keys in the order of enum ipmi_thr. */
const char *const sim_fleetfile_thr_keys[6] = {"lnc", "lc", "lnr", "unc", "uc", "unr"};

static int
parse_thresholds(const struct ff_ctx *c, const yaml_node_t *n, struct sim_fleetfile_sensor *s)
{
    unsigned seen = 0;
    s->thresholds_pos = pos_of(n);
    if (want(c, n, YAML_MAPPING_NODE, "thresholds", "of lnr, lc, lnc, unc, uc, unr"))
        return IC_ECONFIG;
    FOR_PAIRS(p, n)
    {
        const yaml_node_t *v = NODE(c, p->value);
        int k = key_of(c, NODE(c, p->key), sim_fleetfile_thr_keys, 6, "thresholds", &seen);
        if (k < 0)
            return k;
        if (get_num(c, v, "a threshold", &s->thr[k]))
            return IC_ECONFIG;
        s->thr_pos[k] = pos_of(v);
        s->thr_set |= (uint8_t)(1u << k);
    }
    return 0;
}

static int
parse_sensor(const struct ff_ctx *c, const yaml_node_t *n, struct sim_fleetfile_sensor *s,
             size_t idx)
{
    static const char *const keys[] = {"name", "value", "drift", "thresholds", "states"};
    unsigned seen = 0;
    unsigned long long v;
    char where[32];
    snprintf(where, sizeof(where), "sensors[%zu]", idx);
    if (want(c, n, YAML_MAPPING_NODE, where, "name and value, drift, thresholds or states"))
        return IC_ECONFIG;
    s->pos = pos_of(n);
    FOR_PAIRS(p, n)
    {
        const yaml_node_t *val = NODE(c, p->value);
        int k = key_of(c, NODE(c, p->key), keys, NKEYS(keys), where, &seen);
        if (k < 0)
            return k;
        int rc = 0;
        if (k == 0) {
            rc = get_str(c, val, "a sensor name", 1, s->name, 17, 0, 0);
        } else if (k == 1) {
            rc = get_num(c, val, "value", &s->value);
            s->value_pos = pos_of(val);
            s->set |= SIM_FLEETFILE_VALUE;
        } else if (k == 2) {
            rc = get_num(c, val, "drift", &s->drift);
            if (rc == 0 && s->drift < 0)
                rc = FAIL(c, val, "drift must be 0 or more");
            s->drift_pos = pos_of(val);
            s->set |= SIM_FLEETFILE_DRIFT;
        } else if (k == 3) {
            rc = parse_thresholds(c, val, s);
        } else {
            rc = get_uint(c, val, "states", 0x7FFF, &v);
            s->states = (uint16_t)v;
            s->states_pos = pos_of(val);
            s->set |= SIM_FLEETFILE_STATES;
        }
        if (rc)
            return rc;
    }
    if (!(seen & 1u))
        return FAIL(c, n, "%s has no name", where);
    if (seen == 1u)
        return FAIL(c, n,
                    "%s ('%s') changes nothing (expected value, drift, thresholds or "
                    "states)",
                    where, s->name);
    for (size_t i = 0; i < idx; i++)
        if (strcmp(c->ff->sensors[i].name, s->name) == 0)
            return FAIL(c, n, "sensor '%s' is listed twice", s->name);
    return 0;
}

static int
parse_sensors(const struct ff_ctx *c, const yaml_node_t *n)
{
    struct sim_fleetfile *ff = c->ff;
    if (want(c, n, YAML_SEQUENCE_NODE, "sensors", "of {name, value, ...}"))
        return IC_ECONFIG;
    size_t count = (size_t)(ITEMS(n).top - ITEMS(n).start);
    if (count > SIM_FLEETFILE_MAX_SENSORS)
        return FAIL(c, n, "at most %d sensors", SIM_FLEETFILE_MAX_SENSORS);
    if (count && !(ff->sensors = calloc(count, sizeof(*ff->sensors))))
        return IC_ENOMEM;
    for (size_t i = 0; i < count; i++) {
        int rc = parse_sensor(c, NODE(c, ITEMS(n).start[i]), &ff->sensors[i], i);
        ff->n_sensors = i + 1;
        if (rc)
            return rc;
    }
    return 0;
}

static const struct {
    const char *key;
    size_t off;
} fru_fields[] = {
    {"chassis_part_number", offsetof(struct sim_fru_text, chassis_part)},
    {"board_manufacturer", offsetof(struct sim_fru_text, board_mfg)},
    {"board_product_name", offsetof(struct sim_fru_text, board_product)},
    {"board_part_number", offsetof(struct sim_fru_text, board_part)},
    {"product_manufacturer", offsetof(struct sim_fru_text, product_mfg)},
    {"product_name", offsetof(struct sim_fru_text, product_name)},
    {"product_part_number", offsetof(struct sim_fru_text, product_part)},
    {"product_version", offsetof(struct sim_fru_text, product_version)},
};

static int
parse_fru(const struct ff_ctx *c, const yaml_node_t *n)
{
    const char *keys[NKEYS(fru_fields)];
    unsigned seen = 0;
    for (unsigned i = 0; i < NKEYS(fru_fields); i++)
        keys[i] = fru_fields[i].key;
    if (want(c, n, YAML_MAPPING_NODE, "fru", "like board_manufacturer: ACME"))
        return IC_ECONFIG;
    FOR_PAIRS(p, n)
    {
        int k = key_of(c, NODE(c, p->key), keys, NKEYS(keys), "fru", &seen);
        if (k < 0)
            return k;
        /* 63 bytes: the type/length byte's 6-bit length */
        if (get_str(c, NODE(c, p->value), fru_fields[k].key, 1,
                    (char *)&c->ff->fru + fru_fields[k].off, 64, 1, 0))
            return IC_ECONFIG;
    }
    return 0;
}

static int
parse_root(const struct ff_ctx *c, const yaml_node_t *root)
{
    static const char *const keys[] = {"seed",    "timeout", "cipher_suites", "users", "identity",
                                       "sensors", "fru"};
    unsigned seen = 0;
    unsigned long long v;
    if (!root)
        return 0; /* an empty file */
    if (root->type == YAML_SCALAR_NODE && root->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
        (root->data.scalar.length == 0 || strcmp(text(root), "~") == 0 ||
         strcmp(text(root), "null") == 0))
        return 0; /* only "---" */
    if (want(c, root, YAML_MAPPING_NODE, "a fleet file", SIM_FF_EXPECT_TOP))
        return IC_ECONFIG;
    FOR_PAIRS(p, root)
    {
        const yaml_node_t *val = NODE(c, p->value);
        int rc, k = key_of(c, NODE(c, p->key), keys, NKEYS(keys), "the fleet file", &seen);
        if (k < 0)
            return k;
        switch (k) {
        case 0:
            rc = get_uint(c, val, "seed", UINT32_MAX, &v);
            c->ff->seed = (uint32_t)v;
            c->ff->has_seed = 1;
            break;
        case 1:
            rc = parse_timeout(c, val);
            break;
        case 2:
            rc = parse_suites(c, val);
            break;
        case 3:
            rc = parse_users(c, val);
            break;
        case 4:
            rc = parse_identity(c, val);
            break;
        case 5:
            rc = parse_sensors(c, val);
            break;
        default:
            rc = parse_fru(c, val);
            break;
        }
        if (rc)
            return rc;
    }
    return 0;
}

/* libyaml's own error, with its position. */
static int
yaml_fail(const yaml_parser_t *p, const char *buf, size_t len, const char *name, char *err,
          size_t errlen)
{
    if (p->error == YAML_MEMORY_ERROR) {
        snprintf(err, errlen, "%s: out of memory", name);
        return IC_ENOMEM;
    }
    const yaml_mark_t *m = p->error == YAML_READER_ERROR ? &p->mark : &p->problem_mark;
    struct sim_fleetfile_pos pos = {(unsigned)(m->line + 1), (unsigned)(m->column + 1)};
    if (p->error == YAML_READER_ERROR) { /* bad bytes: the reader knows only their offset */
        pos.line = pos.col = 1;
        for (size_t i = 0; i < p->problem_offset && i < len; i++, pos.col++)
            if (buf[i] == '\n')
                pos.line++, pos.col = 0;
        return sim_fleetfile_fail(name, pos, err, errlen, "not YAML text: %s",
                                  p->problem ? p->problem : "error");
    }
    if (p->context)
        return sim_fleetfile_fail(name, pos, err, errlen, "YAML syntax: %s (%s at %zu:%zu)",
                                  p->problem ? p->problem : "error", p->context,
                                  p->context_mark.line + 1, p->context_mark.column + 1);
    return sim_fleetfile_fail(name, pos, err, errlen, "YAML syntax: %s",
                              p->problem ? p->problem : "error");
}

int
sim_fleetfile_parse(const char *buf, size_t len, const char *name, struct sim_fleetfile **out,
                    char *err, size_t errlen)
{
    yaml_parser_t parser;
    yaml_document_t doc, doc2;
    int rc, have_doc = 0;

    if (!out || (!buf && len) || !name)
        return IC_EINVAL;
    *out = NULL;
    struct sim_fleetfile *ff = calloc(1, sizeof(*ff));
    if (!ff || !(ff->name = strdup(name)) || !yaml_parser_initialize(&parser)) {
        sim_fleetfile_free(ff);
        snprintf(err, errlen, "%s: out of memory", name);
        return IC_ENOMEM;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)(buf ? buf : ""), len);
    if (!yaml_parser_load(&parser, &doc)) {
        rc = yaml_fail(&parser, buf, len, name, err, errlen);
        goto out;
    }
    have_doc = 1;
    /* A second document is an error: half a fleet file pasted twice, or a stray "---". */
    if (!yaml_parser_load(&parser, &doc2)) {
        rc = yaml_fail(&parser, buf, len, name, err, errlen);
        goto out;
    }
    yaml_node_t *second = yaml_document_get_root_node(&doc2);
    struct sim_fleetfile_pos p2 = second ? pos_of(second) : (struct sim_fleetfile_pos){0, 0};
    yaml_document_delete(&doc2);
    if (second) {
        rc = sim_fleetfile_fail(name, p2, err, errlen,
                                "a second YAML document (one fleet file, one document)");
        goto out;
    }
    struct ff_ctx c = {&doc, name, err, errlen, ff};
    rc = parse_root(&c, yaml_document_get_root_node(&doc));
    if (rc == IC_ENOMEM)
        snprintf(err, errlen, "%s: out of memory", name);
out:
    if (have_doc)
        yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    if (rc) {
        sim_fleetfile_free(ff);
        return rc;
    }
    *out = ff;
    return 0;
}

/* Reads each password_file, relative to the folder of the fleet file at path. */
static int
load_passwords(struct sim_fleetfile *ff, const char *path, char *err, size_t errlen)
{
    const char *slash = strrchr(path, '/');
    int dirlen = slash ? (int)(slash - path) : 0;
    for (size_t i = 0; i < ff->n_users; i++) {
        struct sim_fleetfile_user *u = &ff->users[i];
        char full[8192], msg[512];
        struct secret *s = NULL;
        if (!u->pw_file)
            continue;
        if (u->pw_file[0] == '/' || !slash)
            snprintf(full, sizeof(full), "%s", u->pw_file);
        else
            snprintf(full, sizeof(full), "%.*s/%s", dirlen, path, u->pw_file);
        if (secret_from_file(full, 1, &s, msg, sizeof(msg)) != 0)
            return sim_fleetfile_fail(ff->name, u->pos, err, errlen, "users[%zu] password_file: %s",
                                      i, msg);
        size_t n = secret_len(s);
        if (memchr(secret_bytes(s), '\0', n)) {
            secret_free(s);
            return sim_fleetfile_fail(ff->name, u->pos, err, errlen,
                                      "users[%zu] password_file %s holds a NUL byte", i, full);
        }
        memcpy(u->pw, secret_bytes(s), n); /* n <= 20: secret_from_file()'s limit */
        u->pw[n] = '\0';
        u->pw_loaded = 1;
        secret_free(s);
    }
    return 0;
}

int
sim_fleetfile_load(const char *path, struct sim_fleetfile **out, char *err, size_t errlen)
{
    if (!path || !out)
        return IC_EINVAL;
    *out = NULL;
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        snprintf(err, errlen, "cannot open fleet file %s: %m", path);
        return IC_ECONFIG;
    }
    char *buf = malloc(SIM_FLEETFILE_MAX_BYTES + 1);
    if (!buf) {
        fclose(fp);
        snprintf(err, errlen, "%s: out of memory", path);
        return IC_ENOMEM;
    }
    size_t n = fread(buf, 1, SIM_FLEETFILE_MAX_BYTES + 1, fp);
    int bad = ferror(fp);
    fclose(fp);
    int rc = IC_ECONFIG;
    if (bad)
        snprintf(err, errlen, "cannot read fleet file %s", path);
    else if (n > SIM_FLEETFILE_MAX_BYTES)
        snprintf(err, errlen, "fleet file %s is larger than %u bytes", path,
                 SIM_FLEETFILE_MAX_BYTES);
    else
        rc = sim_fleetfile_parse(buf, n, path, out, err, errlen);
    free(buf);
    if (rc == 0 && (rc = load_passwords(*out, path, err, errlen)) != 0) {
        sim_fleetfile_free(*out);
        *out = NULL;
    }
    return rc;
}

void
sim_fleetfile_free(struct sim_fleetfile *ff)
{
    if (!ff)
        return;
    for (size_t i = 0; i < SIM_MAX_USERS; i++)
        free(ff->users[i].pw_file);
    free(ff->sensors);
    free(ff->name);
    explicit_bzero(ff, sizeof(*ff));
    free(ff);
}
