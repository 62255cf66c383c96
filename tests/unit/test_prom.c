/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_prom.c - the Prometheus side of exporters/: Go-compatible float text,
 * label escaping, /ipmi against a capture of ipmi_exporter 1.6.1 on the
 * simulator, and /metrics with several targets and config labels.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deliver_int.h"

/* ---- floats ------------------------------------------------------------------------------- */

/*
 * Expected texts are what Go's strconv.FormatFloat(v, 'g', -1, 64) gives
 * (client_golang's writeFloat for anything but 0, 1, -1, NaN, +-Inf): the
 * exporter capture (5670, 33.5, 1.1, 4.97, 0.072348281, NaN), and Go's
 * documented %g rule: exponent form when the exponent is < -4 or >= the
 * precision, 6 for the shortest precision, at least two exponent digits.
 */
static void
test_float_table(void **state)
{
    (void)state;
    static const struct {
        double v;
        const char *text;
    } cases[] = {
        {0, "0"},
        {-0.0, "0"},
        {1, "1"},
        {-1, "-1"},
        {2, "2"},
        {5670, "5670"},
        {33.5, "33.5"},
        {1.1, "1.1"},
        {4.97, "4.97"},
        {0.072348281, "0.072348281"},
        {15760, "15760"},
        {123456, "123456"},
        {999999, "999999"},
        {1e6, "1e+06"},
        {1234567, "1.234567e+06"},
        {2147483648.0, "2.147483648e+09"},
        {1.7e9, "1.7e+09"},
        {1e21, "1e+21"},
        {1e100, "1e+100"},
        {1e-4, "0.0001"},
        {1e-5, "1e-05"},
        {0.00012345, "0.00012345"},
        {0.1, "0.1"},
        {0.3, "0.3"},
        {0.1 + 0.2, "0.30000000000000004"},
        {1.0 / 3.0, "0.3333333333333333"},
        {-2.5, "-2.5"},
        {-123456.75, "-123456.75"},
        {5e-324, "5e-324"},
        {1.7976931348623157e308, "1.7976931348623157e+308"},
        {0.01, "0.01"},
        {100, "100"},
        {12.3456, "12.3456"},
        {9007199254740993.0, "9.007199254740992e+15"},
        /* milliseconds: poll durations and times of day */
        {0.001, "0.001"},
        {0.015, "0.015"},
        {12.345, "12.345"},
        {1764033012.345, "1.764033012345e+09"},
        {1764033012.3, "1.7640330123e+09"},
        {999999999999.999, "9.99999999999999e+11"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char out[EXP_FLOAT_MAX];
        exp_fmt_float(cases[i].v, out);
        if (strcmp(out, cases[i].text) != 0)
            fail_msg("%.17g: got %s, want %s", cases[i].v, out, cases[i].text);
    }
    char out[EXP_FLOAT_MAX];
    exp_fmt_float(NAN, out);
    assert_string_equal(out, "NaN");
    exp_fmt_float(INFINITY, out);
    assert_string_equal(out, "+Inf");
    exp_fmt_float(-INFINITY, out);
    assert_string_equal(out, "-Inf");
}

/* Every text reads back as the same double, over many magnitudes. */
static void
test_float_roundtrip(void **state)
{
    (void)state;
    unsigned s = 12345;
    for (int i = 0; i < 20000; i++) {
        s = s * 1103515245u + 12345u;
        double m = (double)(s >> 8) / 16777216.0;
        int e = (int)(s % 80) - 40;
        double v = m * pow(10, e) * ((s & 1) ? -1 : 1);
        char out[EXP_FLOAT_MAX];
        exp_fmt_float(v, out);
        if (v != 0)
            assert_true(strtod(out, NULL) == v);
        /* shortest: one digit fewer no longer reads back */
        char fewer[40];
        size_t nd = 0;
        for (const char *p = out; *p && *p != 'e'; p++)
            nd += *p >= '1' && *p <= '9' ? 1 : 0;
        if (nd > 1) {
            snprintf(fewer, sizeof(fewer), "%.*e", (int)nd - 2, v);
            assert_true(strtod(fewer, NULL) != v);
        }
    }
}

/* Significant digits of a formatted number: mantissa without sign, point, leading and trailing
 * zeros. */
static int
sig_digits(const char *t)
{
    char d[40];
    int n = 0;
    for (; *t && *t != 'e'; t++)
        if (*t >= '0' && *t <= '9' && (n > 0 || *t != '0'))
            d[n++] = *t;
    while (n > 0 && d[n - 1] == '0')
        n--;
    return n;
}

/* Whole milliseconds, as poll durations and Unix times are: shortest digits that read back. */
static void
test_float_millis(void **state)
{
    (void)state;
    uint64_t x = 1;
    for (int i = 0; i < 20000; i++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        double v = (double)((x >> 20) % 2000000000000ull) / 1000.0;
        char out[EXP_FLOAT_MAX], e[40];
        exp_fmt_float(v, out);
        if (v == 0)
            continue;
        assert_true(strtod(out, NULL) == v);
        int p = 1; /* fewest significant digits that read back */
        for (;; p++) {
            snprintf(e, sizeof(e), "%.*e", p - 1, v);
            if (strtod(e, NULL) == v)
                break;
        }
        if (sig_digits(out) != p)
            fail_msg("%.17g: got %s, %d digits; shortest has %d", v, out, sig_digits(out), p);
    }
}

static void
test_round2(void **state)
{
    (void)state;
    assert_true(exp_round2(4.966) == 4.97);
    assert_true(exp_round2(3.298) == 3.3);
    assert_true(exp_round2(1.072) == 1.07);
    assert_true(exp_round2(2.992) == 2.99);
    assert_true(exp_round2(0.125) == 0.12); /* exact tie: printf rounds half to even */
    assert_true(exp_round2(0.375) == 0.38);
    assert_true(exp_round2(-0.001) == 0 && !signbit(exp_round2(-0.001)));
    assert_true(isnan(exp_round2(NAN)));
}

/* ---- labels ------------------------------------------------------------------------------ */

static void
test_escape(void **state)
{
    (void)state;
    struct exp_buf b;
    exp_buf_init(&b, 0);
    exp_buf_label_value(&b, "a\\b\"c\nd");
    assert_string_equal(b.p, "a\\\\b\\\"c\\nd");
    b.len = 0;
    exp_buf_label_value(&b, "DIMM ");
    assert_string_equal(b.p, "DIMM ");
    b.len = 0;
    exp_buf_label_value(&b, "caf\xc3\xa9 \xff!");
    assert_string_equal(b.p, "caf\xc3\xa9 \xef\xbf\xbd!");
    b.len = 0;
    exp_buf_label(&b, 1, "x", "1");
    exp_buf_label(&b, 0, "y", "\"");
    assert_string_equal(b.p, "x=\"1\",y=\"\\\"\"");
    exp_buf_free(&b);

    /* a full buffer fails once and stays failed */
    exp_buf_init(&b, 8);
    exp_buf_puts(&b, "12345");
    exp_buf_puts(&b, "6789");
    assert_int_equal(b.err, IC_ETOOBIG);
    exp_buf_puts(&b, "1");
    assert_int_equal(b.len, 5);
    exp_buf_free(&b);
}

static void
test_manufacturer(void **state)
{
    (void)state;
    char s[96];
    exp_manufacturer_text(32473, s, sizeof(s));
    assert_string_equal(s, "Example Enterprise Number for Documentation Use (32473)");
    exp_manufacturer_text(674, s, sizeof(s));
    assert_string_equal(s, "Dell Inc. (674)");
    exp_manufacturer_text(48000, s, sizeof(s)); /* bmc-info 1.6.10 prints the bare number */
    assert_string_equal(s, "48000");
}

/* ---- the simulator's BMC, as the poller reads it --------------------------------------- */

#define DISC 0x6F
static const struct {
    uint16_t id;
    const char *name;
    uint8_t type, unit, threshold, state;
    double value; /* NAN: no reading */
} sim_sensors[] = {
    {2, "CPU1 Temp", 0x01, 1, 1, IPMI_STATE_OK, 49},
    {3, "CPU2 Temp", 0x01, 1, 1, IPMI_STATE_OK, 50},
    {4, "Inlet Temp", 0x01, 1, 1, IPMI_STATE_OK, 22},
    {5, "Exhaust Temp", 0x01, 1, 1, IPMI_STATE_OK, 33.5},
    {6, "PCH Temp", 0x01, 1, 1, IPMI_STATE_OK, 51},
    {7, "DIMM A Temp", 0x01, 1, 1, IPMI_STATE_OK, 37},
    {8, "DIMM B Temp", 0x01, 1, 1, IPMI_STATE_OK, 40},
    {9, "DIMM C Temp", 0x01, 1, 1, IPMI_STATE_OK, 37},
    {10, "DIMM D Temp", 0x01, 1, 1, IPMI_STATE_OK, 40},
    {11, "GPU1 Temp", 0x01, 1, 1, IPMI_STATE_NONE, NAN},
    {12, "FAN1", 0x04, 18, 1, IPMI_STATE_OK, 5670},
    {13, "FAN2", 0x04, 18, 1, IPMI_STATE_OK, 5810},
    {14, "FAN3", 0x04, 18, 1, IPMI_STATE_OK, 5740},
    {15, "FAN4", 0x04, 18, 1, IPMI_STATE_OK, 5880},
    {16, "FAN5", 0x04, 18, 1, IPMI_STATE_OK, 6020},
    {17, "FAN6", 0x04, 18, 1, IPMI_STATE_OK, 6370},
    {18, "FAN7", 0x04, 18, 1, IPMI_STATE_NONE, NAN},
    {19, "12V", 0x02, 4, 1, IPMI_STATE_OK, 12},
    {20, "5V", 0x02, 4, 1, IPMI_STATE_OK, 4.966},
    {21, "3.3V", 0x02, 4, 1, IPMI_STATE_OK, 3.298},
    {22, "5VSB", 0x02, 4, 1, IPMI_STATE_OK, 4.992},
    {23, "VBAT", 0x02, 4, 1, IPMI_STATE_OK, 2.992},
    {24, "CPU1 VCORE", 0x02, 4, 1, IPMI_STATE_OK, 1.072},
    {25, "CPU2 VCORE", 0x02, 4, 1, IPMI_STATE_OK, 1.08},
    {26, "Total Power", 0x0B, 6, 1, IPMI_STATE_OK, 216},
    {27, "PSU1 Input Power", 0x0B, 6, 1, IPMI_STATE_OK, 112},
    {28, "PSU2 Input Power", 0x0B, 6, 1, IPMI_STATE_OK, 112},
    {29, "PSU1 Current", 0x03, 5, 1, IPMI_STATE_OK, 1.1},
    {30, "PSU2 Current", 0x03, 5, 1, IPMI_STATE_OK, 1.1},
    {31, "PSU1 Status", 0x08, 0, 0, IPMI_STATE_OK, NAN},
    {32, "PSU2 Status", 0x08, 0, 0, IPMI_STATE_OK, NAN},
    {33, "Intrusion", 0x05, 0, 0, IPMI_STATE_OK, NAN},
    {34, "CPU1 Status", 0x07, 0, 0, IPMI_STATE_OK, NAN},
    {35, "CPU2 Status", 0x07, 0, 0, IPMI_STATE_OK, NAN},
    {36, "DIMM A", 0x0C, 0, 0, IPMI_STATE_OK, NAN},
    {36, "DIMM B", 0x0C, 0, 0, IPMI_STATE_OK, NAN},
    {36, "DIMM C", 0x0C, 0, 0, IPMI_STATE_OK, NAN},
    {36, "DIMM D", 0x0C, 0, 0, IPMI_STATE_OK, NAN},
    {37, "Drive 0", 0x0D, 0, 0, IPMI_STATE_OK, NAN},
};

#define ALL_COLL \
    (SNAP_COLL_SENSORS | SNAP_COLL_SEL | SNAP_COLL_FRU | SNAP_COLL_CHASSIS | SNAP_COLL_DCMI)

static struct snap_target *
sim_target(const char *name, uint16_t port, const struct snap_label *l, size_t nl)
{
    struct snap_target *t = snap_target_new(name, "127.0.0.1", port, l, nl);
    assert_non_null(t);
    size_t n = sizeof(sim_sensors) / sizeof(sim_sensors[0]);
    struct snap_reading *r = calloc(n, sizeof(*r));
    assert_non_null(r);
    for (size_t i = 0; i < n; i++) {
        r[i].record_id = sim_sensors[i].id;
        snprintf(r[i].name, sizeof(r[i].name), "%s", sim_sensors[i].name);
        r[i].sensor_type = sim_sensors[i].type;
        r[i].unit_base = sim_sensors[i].unit;
        r[i].threshold = sim_sensors[i].threshold;
        r[i].event_type = sim_sensors[i].threshold ? 0x01 : DISC;
        r[i].state = sim_sensors[i].state;
        r[i].value = sim_sensors[i].value;
        r[i].has_value = !isnan(sim_sensors[i].value);
        r[i].number = (uint8_t)i;
    }
    assert_int_equal(snap_target_set_readings(t, r, n), 0);
    free(r);
    t->collectors = ALL_COLL;
    t->collectors_ok = ALL_COLL;
    t->up = 1;
    snprintf(t->state, sizeof(t->state), "up");
    t->has_devid = 1;
    t->devid.manufacturer_id = 32473;
    snprintf(t->firmware, sizeof(t->firmware), "2.47");
    snprintf(t->system_fw, sizeof(t->system_fw), "N/A");
    t->has_chassis = 1;
    t->chassis.power_on = 1;
    t->has_dcmi = 1;
    t->dcmi.active = 1;
    t->dcmi.current = 216;
    t->has_sel = 1;
    t->sel.entries = 15;
    t->sel.free_bytes = 15760;
    t->poll_duration_s = 0.25;
    return t;
}

/* ---- line helpers ------------------------------------------------------------------------- */

struct lines {
    char **v;
    size_t n;
};

/* Splits text into lines, keeping those keep() accepts. */
static struct lines
split(const char *text, int (*keep)(const char *line))
{
    struct lines l = {0};
    const char *p = text;
    while (*p) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        char *s = strndup(p, len);
        assert_non_null(s);
        if (keep(s)) {
            l.v = realloc(l.v, (l.n + 1) * sizeof(*l.v));
            assert_non_null(l.v);
            l.v[l.n++] = s;
        } else {
            free(s);
        }
        p += len + (e ? 1 : 0);
    }
    return l;
}

static void
lines_free(struct lines *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
}

static char *
slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    assert_non_null(s);
    assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
    s[n] = '\0';
    fclose(f);
    return s;
}

/* Everything but HELP, the scrape duration and the collector we do not have. */
static int
keep_compared(const char *s)
{
    return strncmp(s, "# HELP ", 7) != 0 && strncmp(s, "ipmi_scrape_duration_seconds", 28) != 0 &&
           strstr(s, "sm-lan-mode") == NULL && s[0] != '\0';
}

static int
keep_all(const char *s)
{
    return s[0] != '\0';
}

/* ---- /ipmi ---------------------------------------------------------------------------------- */

static void
test_ipmi_golden(void **state)
{
    (void)state;
    struct snap_target *t = sim_target("bmc001", 19101, NULL, 0);
    struct exp_buf b;
    exp_buf_init(&b, 0);
    assert_int_equal(exp_prom_ipmi(&b, t), 0);

    char *want_text = slurp(IC_SOURCE_DIR "/tests/unit/fixtures/ipmi_exporter_sim.txt");
    struct lines got = split(b.p, keep_compared);
    struct lines want = split(want_text, keep_compared);
    /* Same lines in the same order: families by name, series by label values. */
    for (size_t i = 0; i < got.n && i < want.n; i++)
        if (strcmp(got.v[i], want.v[i]) != 0)
            fail_msg("line %zu: got [%s], want [%s]", i, got.v[i], want.v[i]);
    assert_int_equal(got.n, want.n);

    /* HELP once per family, right before its TYPE; the duration is there. */
    struct lines all = split(b.p, keep_all);
    size_t helps = 0, types = 0;
    for (size_t i = 0; i < all.n; i++) {
        if (strncmp(all.v[i], "# HELP ", 7) == 0) {
            helps++;
            assert_true(i + 1 < all.n && strncmp(all.v[i + 1], "# TYPE ", 7) == 0);
        }
        types += strncmp(all.v[i], "# TYPE ", 7) == 0;
    }
    assert_int_equal(helps, types);
    assert_int_equal(helps, 19); /* the capture's families (no percent fans: no ratio) */
    assert_non_null(strstr(b.p, "\nipmi_scrape_duration_seconds 0.25\n"));
    assert_true(b.len > 0 && b.p[b.len - 1] == '\n');

    lines_free(&all);
    lines_free(&got);
    lines_free(&want);
    free(want_text);
    exp_buf_free(&b);
    snap_target_unref(t);
}

static void
test_ipmi_down_and_unknown(void **state)
{
    (void)state;
    struct snap_target *t = sim_target("bmc001", 19101, NULL, 0);
    t->collectors = SNAP_COLL_SENSORS | SNAP_COLL_CHASSIS;
    t->collectors_ok = SNAP_COLL_CHASSIS;
    struct exp_buf b;
    exp_buf_init(&b, 0);
    assert_int_equal(exp_prom_ipmi(&b, t), 0);
    assert_non_null(
        strstr(b.p, "ipmi_up{collector=\"chassis\"} 1\nipmi_up{collector=\"ipmi\"} 0\n"));
    assert_null(strstr(b.p, "collector=\"sel\""));
    assert_null(strstr(b.p, "ipmi_temperature_celsius"));
    assert_null(strstr(b.p, "ipmi_sel_logs_count"));
    assert_non_null(strstr(b.p, "\nipmi_chassis_power_state 1\n"));

    b.len = 0;
    assert_int_equal(exp_prom_ipmi(&b, NULL), 0);
    struct lines l = split(b.p, keep_compared);
    assert_int_equal(l.n, 7); /* the duration's TYPE, ipmi_up's TYPE, five collectors */
    assert_string_equal(l.v[0], "# TYPE ipmi_scrape_duration_seconds gauge");
    assert_string_equal(l.v[1], "# TYPE ipmi_up gauge");
    assert_string_equal(l.v[2], "ipmi_up{collector=\"bmc\"} 0");
    assert_string_equal(l.v[6], "ipmi_up{collector=\"sel\"} 0");
    lines_free(&l);

    /* DCMI with power measurement inactive: up, but no reading (as ipmi_exporter) */
    t->collectors = t->collectors_ok = SNAP_COLL_DCMI;
    t->dcmi.active = 0;
    b.len = 0;
    assert_int_equal(exp_prom_ipmi(&b, t), 0);
    assert_null(strstr(b.p, "ipmi_dcmi_power_consumption_watts"));
    assert_non_null(strstr(b.p, "ipmi_up{collector=\"dcmi\"} 1\n"));
    exp_buf_free(&b);
    snap_target_unref(t);
}

/*
 * States as FreeIPMI's default interpretation gives them (seen on the real
 * exporter, tests/integration/exporter_compare.sh): a threshold sensor past a
 * non-critical threshold is nominal in /ipmi; /metrics keeps our warning.
 * Critical stays critical, and a discrete sensor's warning stays a warning.
 */
static void
test_ipmi_threshold_states(void **state)
{
    (void)state;
    struct snap_target *t = sim_target("bmc001", 19101, NULL, 0);
    struct snap_reading *r = t->readings;
    r[1].state = IPMI_STATE_WARNING;        /* CPU2 Temp, upper non-critical */
    r[2].state = IPMI_STATE_CRITICAL;       /* Inlet Temp */
    r[3].state = IPMI_STATE_NONRECOVERABLE; /* Exhaust Temp */
    r[29].state = IPMI_STATE_WARNING;       /* PSU1 Status (discrete) */
    struct exp_buf b;
    exp_buf_init(&b, 0);
    assert_int_equal(exp_prom_ipmi(&b, t), 0);
    assert_non_null(strstr(b.p, "ipmi_temperature_state{id=\"3\",name=\"CPU2 Temp\"} 0\n"));
    assert_non_null(strstr(b.p, "ipmi_temperature_state{id=\"4\",name=\"Inlet Temp\"} 2\n"));
    assert_non_null(strstr(b.p, "ipmi_temperature_state{id=\"5\",name=\"Exhaust Temp\"} 2\n"));
    assert_non_null(
        strstr(b.p, "ipmi_sensor_state{id=\"31\",name=\"PSU1 Status\",type=\"Power Supply\"} 1\n"));

    b.len = 0;
    struct snap_target *v[] = {t};
    assert_int_equal(exp_prom_fleet(&b, v, 1, NULL, "x"), 0);
    assert_non_null(
        strstr(b.p, "ipmi_temperature_state{target=\"bmc001\",id=\"3\",name=\"CPU2 Temp\"} 1\n"));
    exp_buf_free(&b);
    snap_target_unref(t);
}

/* ---- /metrics ------------------------------------------------------------------------------- */

/* A sample line: name, then the label text between braces, then the value. */
static int
parse_sample(const char *line, char *name, size_t nl, char *labels, size_t ll, double *v)
{
    const char *brace = strchr(line, '{');
    const char *sp;
    if (brace) {
        const char *close = strstr(brace, "} ");
        if (!close)
            return -1;
        snprintf(name, nl, "%.*s", (int)(brace - line), line);
        snprintf(labels, ll, "%.*s", (int)(close - brace - 1), brace + 1);
        sp = close + 1;
    } else {
        sp = strchr(line, ' ');
        if (!sp)
            return -1;
        snprintf(name, nl, "%.*s", (int)(sp - line), line);
        labels[0] = '\0';
    }
    char *end;
    *v = strtod(sp + 1, &end);
    return *end == '\0' ? 0 : -1;
}

static void
test_fleet(void **state)
{
    (void)state;
    char k1[] = "rack", v1[] = "r1", k2[] = "name", v2[] = "collides", k3[] = "target",
         v3[] = "t\"x";
    struct snap_label l1[] = {{k1, v1}, {k2, v2}, {k3, v3}};
    struct snap_target *v[2];
    v[0] = sim_target("bmc001", 19101, l1, 3);
    v[1] = sim_target("bmc002", 19102, NULL, 0);
    v[1]->collectors_ok = SNAP_COLL_SENSORS;
    v[1]->errors[-IC_ETIMEDOUT] = 3;
    v[1]->sess.drops[IPMI_DROP_INTEGRITY] = 2;
    v[1]->polls = 10;
    v[1]->last_poll_unix_ms = 1700000000123;
    v[0]->has_fru = 1;
    snprintf(v[0]->fru.board_serial, sizeof(v[0]->fru.board_serial), "SN\\1");
    struct snap_daemon d = {.targets = 2, .poller_threads = 2, .last_reload_ok = 1};

    struct exp_buf b;
    exp_buf_init(&b, 0);
    assert_int_equal(exp_prom_fleet(&b, v, 2, &d, "0.1.0"), 0);
    struct lines l = split(b.p, keep_all);

    /* families contiguous, HELP/TYPE once each, right above their samples */
    char seen[128][64];
    size_t nseen = 0;
    char cur[64] = "";
    size_t samples = 0;
    int fru = 0, up_bmc002_sel = 0, volt = 0, errs = 0, drops = 0, name_clash = 0;
    for (size_t i = 0; i < l.n; i++) {
        const char *s = l.v[i];
        if (strncmp(s, "# HELP ", 7) == 0) {
            char fam[64];
            assert_int_equal(sscanf(s + 7, "%63s", fam), 1);
            for (size_t k = 0; k < nseen; k++)
                if (strcmp(seen[k], fam) == 0)
                    fail_msg("family %s twice", fam);
            assert_true(nseen < 128);
            snprintf(seen[nseen++], sizeof(seen[0]), "%s", fam);
            snprintf(cur, sizeof(cur), "%s", fam);
            continue;
        }
        if (strncmp(s, "# TYPE ", 7) == 0) {
            assert_int_equal(strncmp(s + 7, cur, strlen(cur)), 0);
            continue;
        }
        char name[64], labels[1024];
        double val;
        if (parse_sample(s, name, sizeof(name), labels, sizeof(labels), &val) != 0)
            fail_msg("bad line [%s]", s);
        assert_string_equal(name, cur);
        samples++;
        if (strncmp(name, "ipmi_collector_", 15) != 0 && strncmp(name, "process_", 8) != 0 &&
            strcmp(name, "ipmi_collector_build_info") != 0 && name[0] == 'i' &&
            strstr(name, "database") == NULL) {
            if (strncmp(name, "ipmi_collector", 14) != 0)
                assert_true(strncmp(labels, "target=\"bmc00", 13) == 0);
        }
        if (strstr(labels, "target=\"bmc001\"")) {
            assert_non_null(strstr(labels, "rack=\"r1\""));
            assert_non_null(strstr(labels, "exported_target=\"t\\\"x\""));
            if (strstr(labels, ",id=\"") && strstr(labels, "exported_name=\"collides\"")) {
                name_clash++;
                assert_null(strstr(labels, ",name=\"collides\""));
            }
            if (strcmp(name, "ipmi_up") != 0)
                assert_null(strstr(labels, "exported_collector"));
        }
        if (strcmp(name, "ipmi_fru_info") == 0) {
            fru++;
            assert_non_null(strstr(labels, "board_serial=\"SN\\\\1\""));
        }
        if (strcmp(name, "ipmi_up") == 0 && strstr(labels, "bmc002") &&
            strstr(labels, "collector=\"sel\""))
            up_bmc002_sel = val == 0 ? 1 : -1;
        if (strcmp(name, "ipmi_voltage_volts") == 0 && strstr(labels, "name=\"5V\""))
            volt += val == 4.97;
        if (strcmp(name, "ipmi_collector_errors_total") == 0) {
            errs++;
            assert_non_null(strstr(labels, "target=\"bmc002\""));
            assert_non_null(strstr(labels, "kind=\""));
            assert_true(val == 3);
        }
        if (strcmp(name, "ipmi_collector_packets_dropped_total") == 0) {
            drops++;
            assert_non_null(strstr(labels, "reason=\"integrity\""));
        }
        if (strcmp(name, "ipmi_collector_last_poll_timestamp_seconds") == 0)
            assert_true(fabs(val - 1700000000.123) < 1e-3);
        if (strcmp(name, "ipmi_sensor_state") == 0 && strstr(labels, "bmc001"))
            assert_non_null(strstr(labels, "type=\""));
    }
    assert_int_equal(fru, 1);
    assert_int_equal(up_bmc002_sel, 1);
    assert_int_equal(volt, 2);
    assert_int_equal(errs, 1);
    assert_int_equal(drops, 1);
    assert_true(name_clash > 30);
    assert_true(samples > 150);
    /* bmc002's SEL failed: no SEL families for it, bmc001 still has them */
    assert_non_null(strstr(b.p, "ipmi_sel_logs_count{target=\"bmc001\""));
    assert_null(strstr(b.p, "ipmi_sel_logs_count{target=\"bmc002\""));
    /* shared records expanded here */
    assert_non_null(strstr(b.p, "name=\"DIMM C\""));
    assert_non_null(strstr(b.p, "\nipmi_collector_build_info{version=\"0.1.0\"} 1\n"));
    assert_non_null(strstr(b.p, "\nprocess_start_time_seconds "));
    assert_non_null(strstr(b.p, "\nprocess_open_fds "));
    assert_true(b.p[b.len - 1] == '\n');
    lines_free(&l);
    exp_buf_free(&b);
    snap_target_unref(v[0]);
    snap_target_unref(v[1]);
}

/* The process_* values change between two renders: a copy of s with them as "X". */
static char *
mask_process(const char *s)
{
    char *out = malloc(strlen(s) + 1), *o = out;
    assert_non_null(out);
    while (*s) {
        size_t len = strcspn(s, "\n");
        const char *sp = strncmp(s, "process_", 8) == 0 ? memchr(s, ' ', len) : NULL;
        size_t keep = sp ? (size_t)(sp - s) + 1 : len;
        memcpy(o, s, keep);
        o += keep;
        if (sp)
            *o++ = 'X';
        s += len;
        if (*s)
            *o++ = *s++;
    }
    *o = '\0';
    return out;
}

/* True if a and b are the same text but for process_* values. */
static int
same_text(const char *a, const char *b)
{
    char *ma = mask_process(a), *mb = mask_process(b);
    int same = strcmp(ma, mb) == 0;
    if (!same) {
        size_t i = 0;
        while (ma[i] && ma[i] == mb[i])
            i++;
        print_message("texts differ at byte %zu: \"%.40s\" / \"%.40s\"\n", i, ma + i, mb + i);
    }
    free(ma);
    free(mb);
    return same;
}

/* Reads the cursor to its end, max bytes per call; returns the text (NUL-terminated). */
static char *
cursor_text(struct exp_fleet_cursor *c, size_t max, size_t *len, size_t *calls)
{
    size_t cap = 1 << 16, n = 0;
    char *s = malloc(cap);
    assert_non_null(s);
    *calls = 0;
    for (;;) {
        if (n + max + 1 > cap) {
            cap = 2 * (n + max + 1);
            s = realloc(s, cap);
            assert_non_null(s);
        }
        ssize_t k = exp_fleet_cursor_read(c, s + n, max);
        assert_true(k >= 0);
        if (k == 0)
            break;
        assert_true((size_t)k <= max);
        n += (size_t)k;
        ++*calls;
    }
    s[n] = '\0';
    *len = n;
    return s;
}

/*
 * /metrics streamed: the cursor, read in pieces of any size, gives exactly
 * exp_prom_fleet's text, including families no target has a series of
 * (HELP/TYPE left out) and families that start only at a later target.
 */
static void
test_fleet_cursor(void **state)
{
    (void)state;
    size_t n = 23;
    struct snap_target **v = calloc(n, sizeof(*v));
    assert_non_null(v);
    char k1[] = "rack", v1[] = "r\"1", k2[] = "name", v2[] = "clash";
    struct snap_label lab[] = {{k1, v1}, {k2, v2}};
    for (size_t i = 0; i < n; i++) {
        char name[16];
        snprintf(name, sizeof(name), "bmc%03zu", i);
        v[i] = sim_target(name, (uint16_t)(19100 + i), lab, i % 3);
        v[i]->has_dcmi = 0; /* no DCMI series anywhere: its HELP/TYPE must not appear */
        if (i < 5)          /* the first targets have no sensors: families start later */
            v[i]->collectors_ok = SNAP_COLL_SEL;
        if (i % 4 == 1) {
            v[i]->up = 0;
            v[i]->errors[-IC_ETIMEDOUT] = i;
        }
        v[i]->has_fru = i % 2;
    }
    struct snap_daemon d = {.targets = n, .poller_threads = 2, .last_reload_ok = 1};
    struct exp_buf b;
    exp_buf_init(&b, 0);
    assert_int_equal(exp_prom_fleet(&b, v, n, &d, "1.2.3"), 0);
    assert_null(strstr(b.p, "ipmi_dcmi_power_consumption_watts"));
    assert_non_null(strstr(b.p, "# TYPE ipmi_temperature_celsius gauge\n"
                                "ipmi_temperature_celsius{target=\"bmc005\","));

    static const size_t chunks[] = {1, 97, 4096, 0};
    static const size_t maxes[] = {1, 97, 65536};
    for (size_t ci = 0; ci < 4; ci++) {
        for (size_t mi = 0; mi < 3; mi++) {
            struct exp_fleet_cursor *c = exp_fleet_cursor_new(v, n, &d, "1.2.3", chunks[ci]);
            assert_non_null(c);
            size_t len, calls;
            char *s = cursor_text(c, maxes[mi], &len, &calls);
            assert_int_equal(exp_fleet_cursor_read(c, s, 1), 0); /* stays at the end */
            exp_fleet_cursor_free(c);
            assert_int_equal(strlen(s), len);
            if (maxes[mi] == 1)
                assert_int_equal(calls, len);
            assert_true(same_text(s, b.p));
            free(s);
        }
    }

    /* With delivery counters: the same text, then exp_prom_delivery's. */
    struct exp_receiver_stats ds[2] = {{.name = "ops", .sent = 3, .pending = 1},
                                       {.name = "pager", .failed = 2}};
    struct exp_buf want;
    exp_buf_init(&want, 0);
    exp_buf_append(&want, b.p, b.len);
    assert_int_equal(exp_prom_delivery(&want, ds, 2), 0);
    struct exp_fleet_cursor *c = exp_fleet_cursor_new(v, n, &d, "1.2.3", 97);
    assert_non_null(c);
    exp_fleet_cursor_delivery(c, ds, 2);
    size_t len, calls;
    char *s = cursor_text(c, 1000, &len, &calls);
    exp_fleet_cursor_free(c);
    assert_true(same_text(s, want.p));
    free(s);
    exp_buf_free(&want);

    /* No targets: only the daemon and process families. */
    exp_buf_free(&b);
    exp_buf_init(&b, 0);
    assert_int_equal(exp_prom_fleet(&b, NULL, 0, &d, "1.2.3"), 0);
    c = exp_fleet_cursor_new(NULL, 0, &d, "1.2.3", 1);
    assert_non_null(c);
    s = cursor_text(c, 7, &len, &calls);
    exp_fleet_cursor_free(c);
    assert_int_equal(strncmp(s, "# HELP ipmi_collector_database_size_bytes ", 42), 0);
    assert_true(same_text(s, b.p));
    free(s);
    exp_buf_free(&b);
    for (size_t i = 0; i < n; i++)
        snap_target_unref(v[i]);
    free(v);
}

/* 10,000 targets x 40 sensors fit in one scrape (its cost: bench/scale-daemon). */
static void
test_fleet_scale(void **state)
{
    (void)state;
    size_t n = 10000;
    struct snap_target **v = calloc(n, sizeof(*v));
    assert_non_null(v);
    char k1[] = "rack", v1[] = "r42", k2[] = "site", v2[] = "fra1";
    struct snap_label lab[] = {{k1, v1}, {k2, v2}};
    v[0] = sim_target("bmc00000", 19101, lab, 2);
    for (size_t i = 1; i < n; i++) {
        v[i] = snap_target_clone(v[0]);
        assert_non_null(v[i]);
        free(v[i]->name);
        v[i]->name = malloc(16);
        assert_non_null(v[i]->name);
        snprintf(v[i]->name, 16, "bmc%05zu", i);
    }
    struct exp_buf b;
    exp_buf_init(&b, 0);
    assert_int_equal(exp_prom_fleet(&b, v, n, NULL, "x"), 0);
    assert_true(b.len > 10000u * 40u * 2u * 40u);
    exp_buf_free(&b);
    for (size_t i = 0; i < n; i++)
        snap_target_unref(v[i]);
    free(v);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_float_table),
        cmocka_unit_test(test_float_roundtrip),
        cmocka_unit_test(test_float_millis),
        cmocka_unit_test(test_round2),
        cmocka_unit_test(test_escape),
        cmocka_unit_test(test_manufacturer),
        cmocka_unit_test(test_ipmi_golden),
        cmocka_unit_test(test_ipmi_down_and_unknown),
        cmocka_unit_test(test_ipmi_threshold_states),
        cmocka_unit_test(test_fleet),
        cmocka_unit_test(test_fleet_cursor),
        cmocka_unit_test(test_fleet_scale),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
