/* SPDX-License-Identifier: Apache-2.0 */
/*
 * prom_text.c - the Prometheus text exposition format (version 0.0.4) and
 * the growing buffer it is written into.
 *
 * Format: "# HELP name text" and "# TYPE name gauge|counter" once per
 * family, then one line per series: name{label="value",...} value. Label
 * values escape backslash, double quote and newline. Sample values are
 * written as client_golang writes them (expfmt writeFloat): 1, 0, -1, NaN,
 * +Inf, -Inf as such, anything else as Go's strconv 'g' format with the
 * shortest precision. Dashboards and recording rules never see the text,
 * but golden tests and diffs against ipmi_exporter do, so the digits match.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exp_int.h"

/* ---- buffer -------------------------------------------------------------------------- */

void
exp_buf_init(struct exp_buf *b, size_t max)
{
    memset(b, 0, sizeof(*b));
    b->max = max ? max : EXP_BUF_MAX;
}

void
exp_buf_free(struct exp_buf *b)
{
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}

char *
exp_buf_take(struct exp_buf *b, size_t *len)
{
    char *p = b->p;
    *len = b->len;
    b->p = NULL;
    b->len = b->cap = 0;
    return p;
}

static int
grow(struct exp_buf *b, size_t need)
{
    if (b->err)
        return b->err;
    if (need > b->max - b->len) {
        b->err = IC_ETOOBIG;
        return b->err;
    }
    size_t want = b->len + need + 1; /* room for a NUL */
    if (want <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < want)
        cap = cap > b->max / 2 ? b->max + 1 : cap * 2;
    if (cap > b->max + 1)
        cap = b->max + 1; /* so that room in the buffer never passes the limit */
    char *p = realloc(b->p, cap);
    if (!p) {
        b->err = IC_ENOMEM;
        return b->err;
    }
    b->p = p;
    b->cap = cap;
    return 0;
}

void
exp_buf_truncate(struct exp_buf *b, size_t len)
{
    if (len < b->len) {
        b->len = len;
        b->p[len] = '\0';
    }
}

/* A scrape appends tens of thousands of short pieces: only a full buffer takes the slow path. */
void
exp_buf_append(struct exp_buf *b, const char *s, size_t n)
{
    if ((b->err || n >= b->cap - b->len) && grow(b, n) != 0)
        return;
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void
exp_buf_puts(struct exp_buf *b, const char *s)
{
    exp_buf_append(b, s, strlen(s));
}

void
exp_buf_putc(struct exp_buf *b, char c)
{
    if ((b->err || b->cap - b->len < 2) && grow(b, 1) != 0)
        return;
    b->p[b->len++] = c;
    b->p[b->len] = '\0';
}

size_t
exp_fmt_uint(uint64_t v, char *out)
{
    char tmp[20];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (size_t i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    out[n] = '\0';
    return n;
}

void
exp_buf_printf(struct exp_buf *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;

    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < 0) {
        if (!b->err)
            b->err = IC_EINVAL;
        return;
    }
    if ((size_t)n < sizeof(small)) {
        exp_buf_append(b, small, (size_t)n);
        return;
    }
    if (grow(b, (size_t)n) != 0)
        return;
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

/* ---- floats ---------------------------------------------------------------------------- */

/*
 * Shortest decimal digits of v (> 0, finite) that read back as v: digits
 * without leading or trailing zeros in d, and the decimal point position dp
 * (value = 0.d * 10^dp). Returns the digit count.
 */
static int
shortest_digits(double v, char *d, int *dp)
{
    /*
     * Fast path, the common case (sensor values are rounded to two
     * decimals, times and durations to milliseconds, counters are
     * integers): v = r / 10^k exactly as a decimal, r < 1e15. (double)r /
     * 10^k is the correctly rounded value of that decimal, so if it equals
     * v the decimal reads back as v; with at most 15 significant digits no
     * shorter decimal maps to the same double.
     */
    static const double scale[] = {100.0, 1000.0};
    for (int k = 0; k < 2; k++) {
        double r = nearbyint(v * scale[k]);
        if (r >= 1 && r < 1e15 && r / scale[k] == v) {
            char tmp[24];
            int n = (int)exp_fmt_uint((uint64_t)r, tmp);
            int nd = n;
            while (nd > 1 && tmp[nd - 1] == '0')
                nd--;
            memcpy(d, tmp, (size_t)nd);
            *dp = n - 2 - k;
            return nd;
        }
    }
    /* General case: the fewest %e digits that round-trip (more digits never break that). */
    char tmp[40];
    int lo = 1, hi = 17;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        snprintf(tmp, sizeof(tmp), "%.*e", mid - 1, v);
        if (strtod(tmp, NULL) == v)
            hi = mid;
        else
            lo = mid + 1;
    }
    snprintf(tmp, sizeof(tmp), "%.*e", lo - 1, v);
    int nd = 0;
    const char *p = tmp;
    for (; *p && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9')
            d[nd++] = *p;
    while (nd > 1 && d[nd - 1] == '0')
        nd--;
    *dp = atoi(p + 1) + 1;
    return nd;
}

size_t
exp_fmt_float(double v, char *out)
{
    const char *fixed = NULL;
    if (isnan(v))
        fixed = "NaN";
    else if (isinf(v))
        fixed = v > 0 ? "+Inf" : "-Inf";
    else if (v == 0)
        fixed = "0"; /* also -0, as client_golang's f == 0 test */
    if (fixed) {
        size_t n = strlen(fixed);
        memcpy(out, fixed, n + 1);
        return n;
    }

    char d[24];
    int dp;
    size_t o = 0;
    if (v < 0) {
        out[o++] = '-';
        v = -v;
    }
    int nd = shortest_digits(v, d, &dp);
    int exp = dp - 1;
    /* Go's %g with shortest precision: exponent form below 1e-4 and from 1e6 up. */
    if (exp < -4 || exp >= 6) {
        out[o++] = d[0];
        if (nd > 1) {
            out[o++] = '.';
            memcpy(out + o, d + 1, (size_t)(nd - 1));
            o += (size_t)(nd - 1);
        }
        out[o++] = 'e';
        out[o++] = exp < 0 ? '-' : '+';
        int e = exp < 0 ? -exp : exp;
        if (e >= 100)
            out[o++] = (char)('0' + e / 100);
        out[o++] = (char)('0' + e / 10 % 10);
        out[o++] = (char)('0' + e % 10);
    } else {
        if (dp <= 0) {
            out[o++] = '0';
        } else {
            for (int i = 0; i < dp; i++)
                out[o++] = i < nd ? d[i] : '0';
        }
        if (nd > dp) {
            out[o++] = '.';
            for (int i = dp < 0 ? dp : 0; i < 0; i++)
                out[o++] = '0';
            for (int i = dp > 0 ? dp : 0; i < nd; i++)
                out[o++] = d[i];
        }
    }
    out[o] = '\0';
    return o;
}

void
exp_buf_float(struct exp_buf *b, double v)
{
    char tmp[EXP_FLOAT_MAX];
    size_t n;
    if (v == 1)
        exp_buf_putc(b, '1');
    else if (v == 0)
        exp_buf_putc(b, '0');
    else if ((n = exp_fmt_float(v, tmp)) > 0)
        exp_buf_append(b, tmp, n);
}

double
exp_round2(double v)
{
    if (!isfinite(v))
        return v;
    double x = v * 100.0;
    double f = floor(x);
    /*
     * printf("%.2f") rounds the exact binary value; x is rounded once more,
     * which only matters next to a tie: there, ask printf itself.
     */
    if (fabs(x) < 1e15 && fabs(x - f - 0.5) > 1e-6) {
        double r = nearbyint(x) / 100.0;
        return r == 0 ? 0 : r;
    }
    char tmp[400];
    snprintf(tmp, sizeof(tmp), "%.2f", v);
    double r = strtod(tmp, NULL);
    return r == 0 ? 0 : r;
}

/* ---- labels and families -------------------------------------------------------------- */

/* Length of the valid UTF-8 sequence at s (n bytes left), or 0 if invalid. */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    size_t len;
    unsigned min;
    if (c < 0x80)
        return 1;
    if ((c & 0xE0) == 0xC0) {
        len = 2;
        min = 0x80;
        c &= 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3;
        min = 0x800;
        c &= 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4;
        min = 0x10000;
        c &= 0x07;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3Fu);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    return len;
}

void
exp_buf_label_value(struct exp_buf *b, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);
    size_t run = 0; /* bytes copied as they are, flushed in one append */
    size_t i = 0;
    while (i < n) {
        unsigned char c = p[i];
        const char *esc = NULL;
        size_t step = 1;
        if (c == '\\')
            esc = "\\\\";
        else if (c == '"')
            esc = "\\\"";
        else if (c == '\n')
            esc = "\\n";
        else if (c >= 0x80 && (step = utf8_len(p + i, n - i)) == 0)
            esc = "\xEF\xBF\xBD"; /* Prometheus rejects invalid UTF-8 in a label */
        if (!esc) {
            run += step;
            i += step;
            continue;
        }
        exp_buf_append(b, s + i - run, run);
        exp_buf_puts(b, esc);
        run = 0;
        i++;
    }
    exp_buf_append(b, s + i - run, run);
}

void
exp_buf_label(struct exp_buf *b, int first, const char *name, const char *value)
{
    if (!first)
        exp_buf_putc(b, ',');
    exp_buf_puts(b, name);
    exp_buf_append(b, "=\"", 2);
    exp_buf_label_value(b, value);
    exp_buf_putc(b, '"');
}

void
exp_family(struct exp_buf *b, const char *name, const char *type, const char *help)
{
    exp_buf_puts(b, "# HELP ");
    exp_buf_puts(b, name);
    exp_buf_putc(b, ' ');
    exp_buf_puts(b, help);
    exp_buf_puts(b, "\n# TYPE ");
    exp_buf_puts(b, name);
    exp_buf_putc(b, ' ');
    exp_buf_puts(b, type);
    exp_buf_putc(b, '\n');
}
