/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_sim_fleetfile.c - the simulator's fleet file (sim/fleetfile.c,
 * sim/fleetfile_apply.c, sim/model_copy.c): the documented example parses
 * and applies, and what clients would read proves it: raw readings through
 * OUR sensor_convert() give the file's values for every BMC at every time,
 * thresholds come back from the SDR repository through sdr_decode(), FRU
 * text through fru_decode(), users, suites, seed and timeout land in
 * struct sim_shared. An empty file changes nothing. Every error is
 * IC_ECONFIG with the file:line:column of the offending value.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "bmc.h"
#include "fleetfile.h"
#include "fru.h"
#include "ic_err.h"
#include "model.h"
#include "sdr.h"
#include "sensor.h"

#include "sim_test.h"

static char tmpdir[64];

static int
setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_fleetfile.XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int
teardown(void **state)
{
    char cmd[128];
    (void)state;
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

/* Writes tmpdir/name with the given mode; returns the path (static buffer). */
static const char *
write_file(const char *name, const char *text, mode_t mode)
{
    static char path[256];
    snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
    unlink(path);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    assert_int_equal(fwrite(text, 1, strlen(text), fp), strlen(text));
    assert_int_equal(fclose(fp), 0);
    assert_int_equal(chmod(path, mode), 0);
    return path;
}

/* A copy of the built-in model and a shared state built from it, as the fleet builds them. */
struct fleet {
    struct sim_model *m;
    struct sim_shared sh;
};

static void
fleet_init(struct fleet *f, uint32_t seed)
{
    assert_int_equal(sim_model_copy(sim_model_default(), &f->m), 0);
    assert_int_equal(sim_shared_init(&f->sh, f->m, seed), 0);
    assert_int_equal(sim_shared_add_user(&f->sh, "builtin", "builtin-pw", 4, 1), 0);
}

static void
fleet_free(struct fleet *f)
{
    sim_shared_free(&f->sh);
    sim_model_free(f->m);
}

static size_t
sensor_index(const struct sim_model *m, const char *name)
{
    for (size_t i = 0; i < m->n_sensors; i++)
        if (strcmp(m->sensors[i].sdr.name, name) == 0)
            return i;
    fail_msg("no sensor %s", name);
    return 0;
}

/* The decoded SDR record of sensor `name` in repository (raw, len), as a client reads it. */
static void
sdr_find(const uint8_t *raw, size_t len, const char *name, struct ipmi_sdr *out)
{
    size_t pos = 0;
    while (pos < len) {
        uint16_t id;
        uint8_t type, body;
        assert_int_equal(sdr_header(raw + pos, len - pos, &id, &type, &body), 0);
        size_t rlen = SDR_HEADER_LEN + (size_t)body;
        if (sdr_decode(raw + pos, rlen, 0, out, NULL) == 0 && strcmp(out->name, name) == 0)
            return;
        pos += rlen;
    }
    fail_msg("no SDR record %s", name);
}

static const char example[] =
    "# every key optional\n"
    "seed: 42\n"
    "timeout: 60s\n"
    "cipher_suites: [17, 3]\n"
    "users:\n"
    "  - {name: admin, password: admin-secret, privilege: administrator}\n"
    "  - {name: viewer, password_file: ./viewer.pw, privilege: user}\n"
    "  - {name: old, password: x, privilege: operator, enabled: false}\n"
    "identity:\n"
    "  manufacturer_id: 32473\n"
    "  product_id: 0x0b5d\n"
    "  firmware: \"3.10\"\n"
    "sensors:\n"
    "  - name: CPU1 Temp\n"
    "    value: 55\n"
    "    drift: 0\n"
    "    thresholds: {unc: 80, uc: 85, unr: 90}\n"
    "  - name: PSU1 Status\n"
    "    states: 0x0003\n"
    "  - name: 12V\n"
    "    value: 12.1\n"
    "  - name: Inlet Temp\n"
    "    value: -12\n"
    "    thresholds: {lnr: -20, lc: -15}\n"
    "fru:\n"
    "  board_manufacturer: \"ACME\"\n"
    "  product_name: \"ACME 1U\"\n";

/* Every BMC at every time reads value v on sensor `name` (exactly its nearest raw byte). */
static void
assert_reads(const struct fleet *f, const char *name, double v)
{
    size_t i = sensor_index(f->m, name);
    const struct sim_sensor *s = &f->m->sensors[i];
    uint8_t want = sim_sensor_to_raw(s, v);
    double back, count;
    assert_int_equal(sensor_convert(&s->sdr, want, &back), 0);
    /* the nearest raw value: within half a count of v */
    assert_int_equal(sensor_convert(&s->sdr, (uint8_t)(want + 1), &count), 0);
    assert_true(fabs(back - v) <= fabs(count - back) / 2 + 1e-9);
    for (unsigned k = 1; k <= 200; k++)
        for (uint64_t t = 0; t < 4000000; t += 123457) {
            uint8_t raw = sim_model_raw(f->m, i, k, f->sh.seed, t);
            assert_int_equal(raw, want);
            double got;
            assert_int_equal(sensor_convert(&s->sdr, raw, &got), 0);
            assert_true(got == back);
        }
}

static void
assert_threshold(const struct ipmi_sdr *d, enum ipmi_thr t, double v)
{
    double got;
    assert_true(d->reading_mask & (1u << t));
    assert_int_equal(sensor_convert(d, d->thr_raw[t], &got), 0);
    assert_true(fabs(got - v) < 1e-9);
}

static void
test_example(void **state)
{
    (void)state;
    char err[512];
    struct sim_fleetfile *ff;
    struct fleet f;
    write_file("viewer.pw", "viewer-pw\n", 0600);
    const char *path = write_file("fleet.yml", example, 0644);
    assert_int_equal(sim_fleetfile_load(path, &ff, err, sizeof(err)), 0);
    fleet_init(&f, 7);
    assert_int_equal(sim_fleetfile_apply(ff, f.m, &f.sh, err, sizeof(err)), 0);
    sim_fleetfile_free(ff);

    assert_int_equal(f.sh.seed, 42);
    assert_int_equal(f.sh.timeout_ms, 60000);
    assert_int_equal(f.sh.n_suites, 2);
    assert_int_equal(f.sh.suites[0], 17);
    assert_int_equal(f.sh.suites[1], 3);
    assert_int_equal(f.sh.allow_suite0, 0);

    /* users replaced: "builtin" is gone */
    assert_int_equal(f.sh.n_users, 3);
    assert_string_equal(f.sh.users[0].name, "admin");
    assert_int_equal(f.sh.users[0].pwlen, 12);
    assert_memory_equal(f.sh.users[0].pw, "admin-secret", 12);
    assert_int_equal(f.sh.users[0].priv, IPMI_PRIV_ADMIN);
    assert_int_equal(f.sh.users[0].enabled, 1);
    assert_string_equal(f.sh.users[1].name, "viewer");
    assert_int_equal(f.sh.users[1].pwlen, 9); /* trailing newline stripped */
    assert_memory_equal(f.sh.users[1].pw, "viewer-pw", 9);
    assert_int_equal(f.sh.users[1].priv, IPMI_PRIV_USER);
    assert_string_equal(f.sh.users[2].name, "old");
    assert_int_equal(f.sh.users[2].priv, IPMI_PRIV_OPERATOR);
    assert_int_equal(f.sh.users[2].enabled, 0);

    assert_int_equal(f.m->manufacturer_id, 32473);
    assert_int_equal(f.m->product_id, 0x0B5D);
    assert_int_equal(f.m->fw_major, 3);
    assert_int_equal(f.m->fw_minor_bcd, 0x10);

    assert_reads(&f, "CPU1 Temp", 55);
    assert_reads(&f, "12V", 12.1);       /* (3x + 900) / 100: raw 103 = 12.09 V */
    assert_reads(&f, "Inlet Temp", -12); /* two's complement */
    assert_int_equal(sim_model_raw(f.m, sensor_index(f.m, "12V"), 9, 42, 5), 103);
    /* a sensor the file does not name keeps its per-BMC spread */
    size_t c2 = sensor_index(f.m, "CPU2 Temp");
    assert_true(sim_model_value(f.m, c2, 1, 42, 0) != sim_model_value(f.m, c2, 2, 42, 0));
    assert_int_equal(f.m->sensors[sensor_index(f.m, "PSU1 Status")].states, 0x0003);

    /* thresholds as a client decodes them; the fleet's repository was rebuilt */
    uint8_t *raw;
    size_t len;
    struct ipmi_sdr d;
    assert_int_equal(sim_model_sdr(f.m, &raw, &len), 0);
    assert_int_equal(len, f.sh.sdr_len);
    assert_memory_equal(raw, f.sh.sdr, len);
    sdr_find(raw, len, "CPU1 Temp", &d);
    assert_threshold(&d, IPMI_THR_UNC, 80);
    assert_threshold(&d, IPMI_THR_UC, 85);
    assert_threshold(&d, IPMI_THR_UNR, 90);
    sdr_find(raw, len, "Inlet Temp", &d);
    assert_threshold(&d, IPMI_THR_LNR, -20);
    assert_threshold(&d, IPMI_THR_LC, -15);
    assert_threshold(&d, IPMI_THR_LNC, 5); /* unchanged */
    free(raw);

    /* FRU text as a client decodes it; the rest as built in */
    uint8_t img[2048];
    struct ipmi_fru fru, dflt;
    assert_int_equal(sim_model_fru(f.m, 3, 0, img, sizeof(img), &len), 0);
    assert_int_equal(fru_decode(img, len, &fru), 0);
    assert_string_equal(fru.board_mfg.text, "ACME");
    assert_string_equal(fru.product_name.text, "ACME 1U");
    assert_int_equal(sim_model_fru_info(sim_model_default(), 3, 0, &dflt), 0);
    assert_string_equal(fru.product_mfg.text, dflt.product_mfg.text);
    assert_string_equal(fru.board_serial.text, dflt.board_serial.text);
    fleet_free(&f);
}

/* An empty file, comments only, or "---" alone: nothing changes. */
static void
test_empty(void **state)
{
    (void)state;
    static const char *const texts[] = {"", "# nothing\n\n", "---\n", "--- ~\n"};
    char err[512];
    for (size_t n = 0; n < NELEMS(texts); n++) {
        struct sim_fleetfile *ff;
        struct fleet f, ref;
        const char *path = write_file("empty.yml", texts[n], 0644);
        assert_int_equal(sim_fleetfile_load(path, &ff, err, sizeof(err)), 0);
        fleet_init(&f, 7);
        fleet_init(&ref, 7);
        assert_int_equal(sim_fleetfile_apply(ff, f.m, &f.sh, err, sizeof(err)), 0);
        sim_fleetfile_free(ff);
        const struct sim_model *d = sim_model_default();
        assert_memory_equal(f.m->sensors, d->sensors, d->n_sensors * sizeof(*d->sensors));
        assert_memory_equal(f.m->sel, d->sel, d->n_sel * sizeof(*d->sel));
        assert_int_equal(f.m->manufacturer_id, d->manufacturer_id);
        assert_int_equal(f.m->fw_minor_bcd, d->fw_minor_bcd);
        assert_int_equal(f.m->fru.board_mfg[0], 0);
        assert_int_equal(f.sh.sdr_len, ref.sh.sdr_len);
        assert_memory_equal(f.sh.sdr, ref.sh.sdr, ref.sh.sdr_len);
        assert_int_equal(f.sh.seed, 7);
        assert_int_equal(f.sh.timeout_ms, ref.sh.timeout_ms);
        assert_int_equal(f.sh.n_suites, ref.sh.n_suites);
        assert_memory_equal(f.sh.suites, ref.sh.suites, ref.sh.n_suites);
        assert_int_equal(f.sh.n_users, 1);
        assert_string_equal(f.sh.users[0].name, "builtin");
        fleet_free(&f);
        fleet_free(&ref);
    }
}

/* Timeout forms, hex seed, drift kept when only the value is not given. */
static void
test_forms(void **state)
{
    (void)state;
    char err[512];
    struct sim_fleetfile *ff;
    struct fleet f;
    static const char text[] = "seed: 0xFFFFFFFF\n"
                               "timeout: 2m\n"
                               "sensors:\n"
                               "  - {name: FAN1, drift: 0}\n"
                               "  - {name: CPU2 Temp, value: 50, drift: 3}\n"
                               "  - {name: Exhaust Temp, value: 33.5}\n"
                               "fru: {product_version: 'v 9', chassis_part_number: CP-1}\n";
    assert_int_equal(sim_fleetfile_parse(text, strlen(text), "f.yml", &ff, err, sizeof(err)), 0);
    assert_int_equal(ff->seed, 0xFFFFFFFFu);
    assert_int_equal(ff->timeout_ms, 120000);
    fleet_init(&f, 1);
    assert_int_equal(sim_fleetfile_apply(ff, f.m, &f.sh, err, sizeof(err)), 0);
    sim_fleetfile_free(ff);
    /* FAN1: drift off, per-BMC spread kept */
    size_t fan = sensor_index(f.m, "FAN1");
    assert_true(f.m->sensors[fan].drift == 0);
    assert_true(sim_model_value(f.m, fan, 1, 5, 0) == sim_model_value(f.m, fan, 1, 5, 77777));
    /* CPU2 Temp: 50 +- 3 for every BMC */
    size_t c2 = sensor_index(f.m, "CPU2 Temp");
    for (unsigned k = 1; k < 50; k++)
        for (uint64_t t = 0; t < 700000; t += 10007) {
            double v = sim_model_value(f.m, c2, k, 5, t);
            assert_true(v >= 47 && v <= 53);
        }
    assert_reads(&f, "Exhaust Temp", 33.5); /* M 5, Rexp -1: raw 67 */
    uint8_t img[2048];
    size_t len;
    struct ipmi_fru fru;
    assert_int_equal(sim_model_fru(f.m, 1, 0, img, sizeof(img), &len), 0);
    assert_int_equal(fru_decode(img, len, &fru), 0);
    assert_string_equal(fru.product_version.text, "v 9");
    assert_string_equal(fru.chassis_part.text, "CP-1");
    fleet_free(&f);
}

struct bad {
    const char *yaml;
    unsigned line, col;
    const char *msg; /* a part of the message */
};

static const struct bad bad[] = {
    /* the fleet file itself */
    {"seed: 1\nsede: 2\n", 2, 1, "unknown key 'sede' in the fleet file (expected seed, timeout"},
    {"seed: 1\nseed: 2\n", 2, 1, "key 'seed' given twice"},
    {"- seed\n", 1, 1, "a fleet file must be a mapping"},
    {"just words\n", 1, 1, "a fleet file must be a mapping"},
    {"seed: 1\n---\nseed: 2\n", 3, 1, "a second YAML document"},
    {"users: [\n", 2, 1, "YAML syntax"},
    {"seed: 1\n  timeout: 2\n", 2, 10, "YAML syntax"},
    {"seed: 1\n\tx: 2\n", 2, 1, "YAML syntax"},
    {"seed: 1\nfru: {product_name: x\x01}\n", 2, 22, "not YAML text: control characters"},
    {"seed: \xff\n", 1, 7, "not YAML text: invalid leading UTF-8 octet"},
    {"? [a]\n: 1\n", 1, 3, "a key in the fleet file must be a word"},
    /* scalars */
    {"seed: [1]\n", 1, 7, "seed must be a value, not a list"},
    {"seed: 4294967296\n", 1, 7, "seed must be an integer from 0 to 4294967295, not '4294967296'"},
    {"seed: -1\n", 1, 7, "seed must be an integer"},
    {"seed: 0x\n", 1, 7, "seed must be an integer"},
    {"seed:\n", 1, 6, "seed must be an integer"},
    {"timeout: 0\n", 1, 10, "timeout must be 1 to 3600 seconds"},
    {"timeout: 61m\n", 1, 10, "timeout must be 1 to 3600 seconds"},
    {"timeout: 10h\n", 1, 10, "timeout must be 1 to 3600 seconds"},
    {"timeout: s\n", 1, 10, "timeout must be"},
    /* cipher suites */
    {"cipher_suites: [17, 0]\n", 1, 21, "cipher suite 0 is offered only with --allow-suite0"},
    {"cipher_suites: [4]\n", 1, 17, "cipher suite 4 is not offered"},
    {"cipher_suites: [17, 3, 17]\n", 1, 24, "cipher suite 17 is listed twice"},
    {"cipher_suites: 17\n", 1, 16, "cipher_suites must be a list"},
    {"cipher_suites: []\n", 1, 16, "at least one suite"},
    {"cipher_suites: [x]\n", 1, 17, "a cipher suite must be an integer"},
    /* users */
    {"users:\n  - {name: a, password: b, privilege: user}\n  - name: viewer\n    passwrd: x\n", 4,
     5,
     "unknown key 'passwrd' in users[1] (expected name, password, password_file, privilege, "
     "enabled)"},
    {"users:\n  - {name: a, password: b, privilege: root}\n", 2, 39,
     "privilege must be callback, user, operator, administrator or oem, not 'root'"},
    {"users:\n  - {password: b, privilege: user}\n", 2, 5, "users[0] has no name"},
    {"users:\n  - {name: a, privilege: user}\n", 2, 5, "exactly one of password and password_file"},
    {"users:\n  - {name: a, password: b, password_file: c, privilege: user}\n", 2, 5,
     "exactly one of password and password_file"},
    {"users:\n  - {name: a, password: b}\n", 2, 5, "users[0] has no privilege"},
    {"users:\n  - {name: 12345678901234567, password: b, privilege: user}\n", 2, 12,
     "a user name must be 1 to 16 bytes long, not 17"},
    {"users:\n  - {name: 'a b', password: b, privilege: user}\n", 2, 12,
     "printable ASCII without spaces"},
    {"users:\n  - {name: a, password: 123456789012345678901, privilege: user}\n", 2, 25,
     "a password must be 0 to 20 bytes long, not 21"},
    {"users:\n  - {name: a, password: b, privilege: user}\n  - {name: a, password: c, privilege: "
     "user}\n",
     3, 5, "user 'a' is listed twice"},
    {"users:\n  - {name: a, password: b, privilege: user, enabled: maybe}\n", 2, 54,
     "enabled must be true or false, not 'maybe'"},
    {"users: {name: a}\n", 1, 8, "users must be a list"},
    {"users: [admin]\n", 1, 9, "users[0] must be a mapping"},
    {"users: []\n", 1, 8, "at least one user"},
    {"users: [{name: a, password: b, privilege: user}, {name: b, password: b, privilege: user}, "
     "{name: c, password: b, privilege: user}, {name: d, password: b, privilege: user}, {name: e, "
     "password: b, privilege: user}, {name: f, password: b, privilege: user}, {name: g, password: "
     "b, privilege: user}, {name: h, password: b, privilege: user}, {name: i, password: b, "
     "privilege: user}]\n",
     1, 0, "at most 8 users"},
    {"users:\n  - {name: \"a\\0b\", password: b, privilege: user}\n", 2, 12, "NUL byte"},
    /* identity */
    {"identity:\n  manufacturer_id: 0x100000\n", 2, 20, "from 0 to 1048575"},
    {"identity:\n  product_id: 65536\n", 2, 15, "from 0 to 65535"},
    {"identity:\n  firmware: \"3.1\"\n", 2, 13, "two minor digits"},
    {"identity:\n  firmware: 3.100\n", 2, 13, "two minor digits"},
    {"identity:\n  firmware: 128.00\n", 2, 13, "major 0 to 127"},
    {"identity:\n  firmware: [3]\n", 2, 13, "firmware must be a value"},
    {"identity:\n  device_id: 3\n", 2, 3,
     "unknown key 'device_id' in identity (expected "
     "manufacturer_id, product_id, firmware)"},
    {"identity: 3\n", 1, 11, "identity must be a mapping"},
    /* sensors, as parsed */
    {"sensors: {name: x}\n", 1, 10, "sensors must be a list"},
    {"sensors:\n  - {value: 3}\n", 2, 5, "sensors[0] has no name"},
    {"sensors:\n  - {name: CPU1 Temp}\n", 2, 5, "changes nothing"},
    {"sensors:\n  - {name: CPU1 Temp, value: 1}\n  - {name: CPU1 Temp, value: 2}\n", 3, 5,
     "sensor 'CPU1 Temp' is listed twice"},
    {"sensors:\n  - {name: PSU1 Status, states: 0x8000}\n", 2, 33, "from 0 to 32767"},
    {"sensors:\n  - {name: CPU1 Temp, drift: -1}\n", 2, 30, "drift must be 0 or more"},
    {"sensors:\n  - {name: CPU1 Temp, value: hot}\n", 2, 30, "value must be a number, not 'hot'"},
    {"sensors:\n  - {name: CPU1 Temp, value: .nan}\n", 2, 30, "value must be a number"},
    {"sensors:\n  - {name: CPU1 Temp, value: 1e999}\n", 2, 30, "value must be a number"},
    {"sensors:\n  - {name: CPU1 Temp, thresholds: {ucr: 80}}\n", 2, 36,
     "unknown key 'ucr' in thresholds (expected lnc, lc, lnr, unc, uc, unr)"},
    {"sensors:\n  - {name: CPU1 Temp, thresholds: 80}\n", 2, 35, "thresholds must be a mapping"},
    {"sensors:\n  - {name: 12345678901234567, value: 1}\n", 2, 12, "1 to 16 bytes"},
    /* sensors, as applied to the model */
    {"sensors:\n  - {name: CPU9 Temp, value: 1}\n", 2, 5, "no sensor 'CPU9 Temp' in the model"},
    {"sensors:\n  - {name: CPU1 Temp, value: 300}\n", 2, 30,
     "value 300 is outside what 'CPU1 Temp' can express (0 to 255 degrees C)"},
    {"sensors:\n  - {name: Inlet Temp, value: -129}\n", 2, 31, "(-128 to 127 degrees C)"},
    {"sensors:\n  - {name: PCH Temp, value: -41}\n", 2, 29, "(-40 to 215 degrees C)"},
    {"sensors:\n  - {name: PSU1 Status, value: 1}\n", 2, 32,
     "'PSU1 Status' is a discrete sensor: give states"},
    {"sensors:\n  - {name: PSU1 Status, thresholds: {uc: 1}}\n", 2, 37, "discrete sensor"},
    {"sensors:\n  - {name: CPU1 Temp, states: 1}\n", 2, 31,
     "'CPU1 Temp' is a threshold sensor: give value, not states"},
    {"sensors:\n  - {name: Sys Event, states: 1}\n", 2, 31, "event-only record"},
    {"sensors:\n  - {name: PSU1 Status, states: 0x10}\n", 2, 33,
     "states 0x0010: 'PSU1 Status' can assert only 0x000f"},
    {"sensors:\n  - {name: CPU1 Temp, thresholds: {lnr: 5}}\n", 2, 41,
     "'CPU1 Temp' has no lnr threshold (it has: unc, uc, unr)"},
    {"sensors:\n  - {name: CPU1 Temp, thresholds: {uc: 256}}\n", 2, 40,
     "uc 256 is outside what 'CPU1 Temp' can express"},
    {"sensors:\n  - {name: CPU1 Temp, thresholds: {unc: 95}}\n", 2, 35,
     "thresholds of 'CPU1 Temp' out of order: uc 90 is below unc 95"},
    /* fru */
    {"fru:\n  board_serial: x\n", 2, 3,
     "unknown key 'board_serial' in fru (expected "
     "chassis_part_number, board_manufacturer"},
    {"fru:\n  product_name: "
     "\"0123456789012345678901234567890123456789012345678901234567890123\"\n",
     2, 17, "product_name must be 1 to 63 bytes long, not 64"},
    {"fru:\n  product_name: \"caf\xc3\xa9\"\n", 2, 17, "product_name must be printable ASCII"},
    {"fru:\n  product_name: ''\n", 2, 17, "1 to 63 bytes"},
};

/* The error of a fleet file: from loading, else from applying to the built-in model. */
static int
load_apply(const char *path, char *err, size_t errlen)
{
    struct sim_fleetfile *ff = NULL;
    int rc = sim_fleetfile_load(path, &ff, err, errlen);
    if (rc == 0) {
        assert_non_null(ff);
        struct fleet f;
        fleet_init(&f, 1);
        rc = sim_fleetfile_apply(ff, f.m, &f.sh, err, errlen);
        fleet_free(&f);
        sim_fleetfile_free(ff);
    } else {
        assert_null(ff);
    }
    return rc;
}

static void
test_errors(void **state)
{
    (void)state;
    int failed = 0;
    for (size_t i = 0; i < NELEMS(bad); i++) {
        char err[512] = "", want[64];
        const char *path = write_file("fleet.yml", bad[i].yaml, 0644);
        int rc = load_apply(path, err, sizeof(err));
        if (rc != IC_ECONFIG)
            fail_msg("case %zu: rc %d (%s), expected IC_ECONFIG", i, rc, err);
        /* col 0 in the table: only the line is checked */
        int n = bad[i].col
                    ? snprintf(want, sizeof(want), "%s:%u:%u: ", path, bad[i].line, bad[i].col)
                    : snprintf(want, sizeof(want), "%s:%u:", path, bad[i].line);
        if (strncmp(err, want, (size_t)n) != 0 || !strstr(err, bad[i].msg)) {
            print_error("case %zu:\n  got  %s\n  want %s...%s\n", i, err, want, bad[i].msg);
            failed++;
        }
    }
    assert_int_equal(failed, 0);
}

static void
test_password_file(void **state)
{
    (void)state;
    char err[512];
    static const char text[] = "users:\n  - {name: v, password_file: v.pw, privilege: user}\n";
    char path[256];

    write_file("v.pw", "secret\n", 0644); /* readable by others: refused */
    snprintf(path, sizeof(path), "%s", write_file("fleet.yml", text, 0644));
    assert_int_equal(load_apply(path, err, sizeof(err)), IC_ECONFIG);
    assert_non_null(strstr(err, "fleet.yml:2:5: users[0] password_file: "));

    write_file("v.pw", "123456789012345678901", 0600); /* 21 bytes */
    assert_int_equal(load_apply(path, err, sizeof(err)), IC_ECONFIG);
    assert_non_null(strstr(err, "fleet.yml:2:5: users[0] password_file: "));

    /* no such file: the password file is named */
    char pw[256];
    snprintf(pw, sizeof(pw), "%s/v.pw", tmpdir);
    unlink(pw);
    assert_int_equal(load_apply(path, err, sizeof(err)), IC_ECONFIG);
    assert_non_null(strstr(err, "v.pw"));

    /* parsing alone reads no file; applying such a parse is refused */
    struct sim_fleetfile *ff;
    struct fleet f;
    assert_int_equal(sim_fleetfile_parse(text, strlen(text), "x.yml", &ff, err, sizeof(err)), 0);
    assert_string_equal(ff->users[0].pw_file, "v.pw");
    fleet_init(&f, 1);
    assert_int_equal(sim_fleetfile_apply(ff, f.m, &f.sh, err, sizeof(err)), IC_ECONFIG);
    assert_non_null(strstr(err, "x.yml:2:5: users[0]: password_file v.pw not read"));
    /* a model the shared state does not use */
    assert_int_equal(sim_fleetfile_apply(ff, (struct sim_model *)(uintptr_t)sim_model_default(),
                                         &f.sh, err, sizeof(err)),
                     IC_EINVAL);
    fleet_free(&f);
    sim_fleetfile_free(ff);

    /* a missing fleet file */
    snprintf(pw, sizeof(pw), "%s/nonexistent.yml", tmpdir);
    assert_int_equal(sim_fleetfile_load(pw, &ff, err, sizeof(err)), IC_ECONFIG);
    assert_non_null(strstr(err, "nonexistent.yml"));
}

static void
test_model_copy(void **state)
{
    (void)state;
    struct sim_model *m;
    const struct sim_model *d = sim_model_default();
    assert_int_equal(sim_model_copy(d, &m), 0);
    assert_ptr_not_equal(m->sensors, d->sensors);
    assert_ptr_not_equal(m->sel, d->sel);
    assert_int_equal(m->n_sensors, d->n_sensors);
    assert_memory_equal(m->sensors, d->sensors, d->n_sensors * sizeof(*d->sensors));
    assert_memory_equal(m->sel, d->sel, d->n_sel * sizeof(*d->sel));
    uint8_t a[2048], b[2048];
    size_t la, lb;
    assert_int_equal(sim_model_fru(m, 5, 0, a, sizeof(a), &la), 0);
    assert_int_equal(sim_model_fru(d, 5, 0, b, sizeof(b), &lb), 0);
    assert_int_equal(la, lb);
    assert_memory_equal(a, b, la);
    sim_model_free(m);
    sim_model_free(NULL);
    sim_fleetfile_free(NULL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_example),       cmocka_unit_test(test_empty),
        cmocka_unit_test(test_forms),         cmocka_unit_test(test_errors),
        cmocka_unit_test(test_password_file), cmocka_unit_test(test_model_copy),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
