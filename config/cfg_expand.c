/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cfg_expand.c - values (numbers, durations, sizes, addresses, label names),
 * target ranges and the inventory file.
 *
 * Ranges: "[a-b]" with decimal a <= b in a target name or address expands to
 * a..b, zero-padded to the width of a ("bmc[001-300]" -> bmc001..bmc300).
 * Several ranges multiply, the last one varying fastest. The name and the
 * address of an entry must expand to the same count; the whole file may not
 * expand to more than CFG_MAX_TARGETS targets. A bracket that is not a range
 * ("[fe80::1]:623") is kept as written.
 *
 * Inventory: one target per line, "name address [port] [profile] [k=v ...]";
 * '#' starts a comment; blank lines are skipped. The port is a number token
 * (or part of address as host:port), the profile the first other token
 * without '='.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>
#include "cfg_int.h"

#define CFG_MAX_RANGES 8

/* ---- values ---- */

int
cfg_parse_uint(const char *s, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;
    if (!*s)
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        unsigned dg = (unsigned)(*s - '0');
        if (dg > max || v > (max - dg) / 10)
            return -1;
        v = v * 10 + dg;
    }
    *out = v;
    return 0;
}

/* Leading digits of s into *v (at most 12 of them); returns the rest or NULL. */
static const char *
leading_number(const char *s, uint64_t *v)
{
    size_t n = 0;
    *v = 0;
    while (s[n] >= '0' && s[n] <= '9') {
        if (n == 12)
            return NULL;
        *v = *v * 10 + (uint64_t)(s[n] - '0');
        n++;
    }
    return n ? s + n : NULL;
}

int
cfg_parse_duration(const char *s, uint64_t *ms)
{
    static const struct {
        const char *unit;
        uint64_t ms;
    } units[] = {{"ms", 1}, {"s", 1000}, {"m", 60000}, {"h", 3600000}, {"d", 86400000}};
    uint64_t v;
    const char *u = leading_number(s, &v);
    if (!u)
        return -1;
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
        if (strcmp(u, units[i].unit) == 0) {
            *ms = v * units[i].ms; /* 12 digits * 8.64e7 < 2^64 */
            return 0;
        }
    return -1;
}

int
cfg_parse_size(const char *s, uint64_t *bytes)
{
    static const struct {
        const char *unit;
        unsigned shift;
    } units[] = {{"", 0}, {"B", 0}, {"KiB", 10}, {"MiB", 20}, {"GiB", 30}, {"TiB", 40}};
    uint64_t v;
    const char *u = leading_number(s, &v);
    if (!u)
        return -1;
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
        if (strcmp(u, units[i].unit) == 0) {
            if (v > (UINT64_MAX >> 1) >> units[i].shift)
                return -1;
            *bytes = v << units[i].shift;
            return 0;
        }
    return -1;
}

void
cfg_fmt_duration(uint64_t ms, char *buf, size_t len)
{
    static const struct {
        const char *unit;
        uint64_t ms;
    } units[] = {{"d", 86400000}, {"h", 3600000}, {"m", 60000}, {"s", 1000}};
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
        if (ms && ms % units[i].ms == 0) {
            snprintf(buf, len, "%llu%s", (unsigned long long)(ms / units[i].ms), units[i].unit);
            return;
        }
    snprintf(buf, len, "%llums", (unsigned long long)ms);
}

void
cfg_fmt_size(uint64_t bytes, char *buf, size_t len)
{
    static const char *const units[] = {"TiB", "GiB", "MiB", "KiB"};
    for (unsigned i = 0; i < 4; i++) {
        unsigned shift = 40 - 10 * i;
        if (bytes && bytes % (1ull << shift) == 0) {
            snprintf(buf, len, "%llu%s", (unsigned long long)(bytes >> shift), units[i]);
            return;
        }
    }
    snprintf(buf, len, "%llu", (unsigned long long)bytes);
}

static int
host_char_ok(char ch, int v6)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '.' || ch == '-' || ch == '_' || (v6 && (ch == ':' || ch == '%'));
}

int
cfg_parse_address(const char *s, uint16_t defport, char **host, uint16_t *port, char *msg,
                  size_t msglen)
{
    const char *h = s, *he, *p = NULL;
    int v6 = 0;
    uint64_t pv;

    if (*s == '[') {
        v6 = 1;
        h = s + 1;
        he = strchr(h, ']');
        if (!he) {
            snprintf(msg, msglen, "'%s': missing ']' after an IPv6 address", s);
            return -1;
        }
        if (he[1] == ':')
            p = he + 2;
        else if (he[1]) {
            snprintf(msg, msglen, "'%s': expected ':port' after ']'", s);
            return -1;
        }
    } else {
        const char *colon = strchr(s, ':');
        if (colon && strchr(colon + 1, ':')) {
            snprintf(msg, msglen, "'%s': put an IPv6 address in brackets: [addr]:port", s);
            return -1;
        }
        he = colon ? colon : s + strlen(s);
        p = colon ? colon + 1 : NULL;
    }
    if (he == h || he - h > 253) {
        snprintf(msg, msglen, "'%s': the host name must be 1 to 253 characters", s);
        return -1;
    }
    for (const char *q = h; q < he; q++)
        if (!host_char_ok(*q, v6)) {
            snprintf(msg, msglen, "'%s': invalid character '%c' in the host", s, *q);
            return -1;
        }
    if (p) {
        if (cfg_parse_uint(p, 65535, &pv) != 0 || pv == 0) {
            snprintf(msg, msglen, "'%s': the port must be a number from 1 to 65535", s);
            return -1;
        }
        *port = (uint16_t)pv;
    } else if (defport) {
        *port = defport;
    } else {
        snprintf(msg, msglen, "'%s': missing ':port'", s);
        return -1;
    }
    *host = strndup(h, (size_t)(he - h));
    if (!*host) {
        snprintf(msg, msglen, "out of memory");
        return -1;
    }
    return 0;
}

const char *
cfg_label_name_problem(const char *n)
{
    if (!((*n >= 'a' && *n <= 'z') || (*n >= 'A' && *n <= 'Z') || *n == '_'))
        return "a label name must match [a-zA-Z_][a-zA-Z0-9_]*";
    for (const char *p = n; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_' ||
              (*p >= '0' && *p <= '9')))
            return "a label name must match [a-zA-Z_][a-zA-Z0-9_]*";
    if (strncmp(n, "__", 2) == 0)
        return "names starting with '__' are reserved by Prometheus";
    if (strcmp(n, "target") == 0 || strcmp(n, "collector") == 0)
        return "this label is set by the collector itself";
    if (strlen(n) > 128)
        return "a label name is at most 128 characters";
    return NULL;
}

char *
cfg_path(const struct cfg_ctx *x, const char *p)
{
    char *r;
    if (p[0] == '/' || !x->dir[0])
        r = strdup(p);
    else if (asprintf(&r, "%s%s", x->dir, p) < 0)
        r = NULL;
    return r;
}

int
cfg_add_spec(struct cfg_ctx *x, struct cfg_spec *spec)
{
    struct cfg *c = x->c;
    if (c->nspecs == c->specs_cap) {
        size_t cap = c->specs_cap ? c->specs_cap * 2 : 16;
        struct cfg_spec **p = realloc(c->specs, cap * sizeof(*p));
        if (!p) {
            cfg_spec_free(spec);
            x->oom = 1;
            return -1;
        }
        c->specs = p;
        c->specs_cap = cap;
    }
    c->specs[c->nspecs++] = spec;
    return 0;
}

/* ---- ranges ---- */

struct cfg_range {
    size_t start, end; /* [start, end) of "[a-b]" in the pattern */
    uint64_t lo, hi;
    int width; /* zero padding */
};

/*
 * Finds the ranges of pat. Returns their number and the product of their
 * sizes in *count (capped above CFG_MAX_TARGETS), or -1 with a message.
 */
static int
ranges_find(const char *pat, struct cfg_range *r, size_t *count, char *msg, size_t msglen)
{
    int n = 0;
    *count = 1;
    for (size_t i = 0; pat[i]; i++) {
        if (pat[i] != '[')
            continue;
        size_t j = i + 1, a0 = j;
        while (pat[j] >= '0' && pat[j] <= '9')
            j++;
        size_t alen = j - a0;
        if (!alen || pat[j] != '-')
            continue; /* not a range: "[fe80::1]" */
        size_t b0 = ++j;
        while (pat[j] >= '0' && pat[j] <= '9')
            j++;
        size_t blen = j - b0;
        if (!blen || pat[j] != ']')
            continue;
        if (alen > 9 || blen > 9) {
            snprintf(msg, msglen, "range in '%s': at most 9 digits", pat);
            return -1;
        }
        if (n == CFG_MAX_RANGES) {
            snprintf(msg, msglen, "'%s': at most %d ranges", pat, CFG_MAX_RANGES);
            return -1;
        }
        struct cfg_range *g = &r[n++];
        g->start = i;
        g->end = j + 1;
        g->lo = strtoull(pat + a0, NULL, 10);
        g->hi = strtoull(pat + b0, NULL, 10);
        g->width = (int)alen;
        if (g->lo > g->hi) {
            snprintf(msg, msglen, "range [%.*s-%.*s] in '%s': the start is above the end",
                     (int)alen, pat + a0, (int)blen, pat + b0, pat);
            return -1;
        }
        uint64_t sz = g->hi - g->lo + 1;
        if (sz > CFG_MAX_TARGETS || *count * sz > CFG_MAX_TARGETS)
            *count = CFG_MAX_TARGETS + 1;
        else
            *count *= sz;
        i = j;
    }
    return n;
}

/* Writes expansion number k of pat (odometer: last range fastest). */
static void
ranges_nth(const char *pat, const struct cfg_range *r, int n, size_t k, char *out, size_t len)
{
    uint64_t val[CFG_MAX_RANGES];
    for (int i = n - 1; i >= 0; i--) {
        uint64_t sz = r[i].hi - r[i].lo + 1;
        val[i] = r[i].lo + k % sz;
        k /= sz;
    }
    size_t o = 0, from = 0;
    for (int i = 0; i <= n && o < len; i++) {
        size_t to = i < n ? r[i].start : strlen(pat);
        o += (size_t)snprintf(out + o, len - o, "%.*s", (int)(to - from), pat + from);
        if (i < n && o < len)
            o += (size_t)snprintf(out + o, len - o, "%0*llu", r[i].width,
                                  (unsigned long long)val[i]);
        if (i < n)
            from = r[i].end;
    }
}

static int
target_push(struct cfg_ctx *x, const struct cfg_pos *pos)
{
    struct cfg *c = x->c;
    if (c->ntargets == c->targets_cap) {
        size_t cap = c->targets_cap ? c->targets_cap * 2 : 16;
        struct cfg_target *t = realloc(c->targets, cap * sizeof(*t));
        if (!t) {
            x->oom = 1;
            return -1;
        }
        c->targets = t;
        struct cfg_pos *p = realloc(x->pos, cap * sizeof(*p));
        if (!p) {
            x->oom = 1;
            return -1;
        }
        x->pos = p;
        c->targets_cap = cap;
    }
    memset(&c->targets[c->ntargets], 0, sizeof(c->targets[0]));
    x->pos[c->ntargets] = *pos;
    c->ntargets++;
    return 0;
}

static int
name_char_ok(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '.' || ch == '-' || ch == '_';
}

void
cfg_add_targets(struct cfg_ctx *x, const char *file, const char *name, size_t nline, size_t ncol,
                const char *addr, size_t aline, size_t acol, const struct cfg_tmpl *t)
{
    struct cfg_range nr[CFG_MAX_RANGES], ar[CFG_MAX_RANGES];
    size_t ncount, acount;
    char msg[300], nbuf[512], abuf[512];
    int nn = ranges_find(name, nr, &ncount, msg, sizeof(msg));
    if (nn < 0) {
        cfg_error(x, file, nline, ncol, "name: %s", msg);
        return;
    }
    int an = ranges_find(addr, ar, &acount, msg, sizeof(msg));
    if (an < 0) {
        cfg_error(x, file, aline, acol, "address: %s", msg);
        return;
    }
    if (strlen(name) > 200 || strlen(addr) > 300) {
        cfg_error(x, file, nline, ncol, "name or address too long");
        return;
    }
    if (ncount != acount) {
        cfg_error(x, file, aline, acol,
                  "address '%s' expands to %zu addresses but name '%s' to %zu names", addr, acount,
                  name, ncount);
        return;
    }
    if (x->c->ntargets + ncount > CFG_MAX_TARGETS) {
        cfg_error(x, file, nline, ncol, "too many targets: more than %d after expanding '%s'",
                  CFG_MAX_TARGETS, name);
        return;
    }
    struct cfg_pos pos = {file, nline, ncol};
    for (size_t k = 0; k < ncount && !cfg_full(x); k++) {
        ranges_nth(name, nr, nn, k, nbuf, sizeof(nbuf));
        ranges_nth(addr, ar, an, k, abuf, sizeof(abuf));
        const char *bad = nbuf;
        while (*bad && name_char_ok(*bad))
            bad++;
        if (*bad || !nbuf[0]) {
            cfg_error(x, file, nline, ncol,
                      "name '%s': use letters, digits, '.', '-' and '_' (and [a-b] ranges)", nbuf);
            return;
        }
        char *host = NULL;
        uint16_t port = 0;
        if (cfg_parse_address(abuf, 623, &host, &port, msg, sizeof(msg)) != 0) {
            cfg_error(x, file, aline, acol, "address %s", msg);
            return;
        }
        if (target_push(x, &pos) != 0) {
            free(host);
            return;
        }
        struct cfg_target *tg = &x->c->targets[x->c->ntargets - 1];
        tg->host = host;
        tg->port = port;
        if (!(tg->name = strdup(nbuf))) {
            x->oom = 1;
            return;
        }
        tg->profile = t->profile;
        tg->interval_ms = t->interval_ms ? t->interval_ms : x->c->g.interval_ms;
        tg->timeout_ms = t->timeout_ms ? t->timeout_ms : t->profile->timeout_ms;
        tg->retries = t->profile->retries;
        tg->max_inflight = t->profile->max_inflight;
        tg->collectors = t->collectors;
        tg->labels = t->spec->labels;
        tg->nlabels = t->spec->nlabels;
        tg->sensor_include = t->spec->include;
        tg->ninclude = t->spec->ninclude;
        tg->sensor_exclude = t->spec->exclude;
        tg->nexclude = t->spec->nexclude;
        tg->console_capture = t->spec->console_capture;
        tg->redfish = t->spec->redfish;
    }
}

/* ---- inventory ---- */

/* One inventory line (NUL-terminated, comment removed). */
static void
inventory_line(struct cfg_ctx *x, const char *file, size_t ln, char *line)
{
    char *tok[64];
    size_t col[64];
    int n = 0;
    uint64_t pv;

    for (char *p = line; *p;) {
        while (*p == ' ' || *p == '\t' || *p == '\r')
            p++;
        if (!*p)
            break;
        if (n == 64) {
            cfg_error(x, file, ln, (size_t)(p - line) + 1, "too many fields (at most 64)");
            return;
        }
        col[n] = (size_t)(p - line) + 1;
        tok[n++] = p;
        while (*p && *p != ' ' && *p != '\t' && *p != '\r')
            p++;
        if (*p)
            *p++ = '\0';
    }
    if (n == 0)
        return;
    if (n < 2) {
        cfg_error(x, file, ln, col[0], "expected 'name address [port] [profile] [key=value ...]'");
        return;
    }
    struct cfg_tmpl t = {.collectors = CFG_COLL_DEFAULT};
    struct cfg_spec *sp = calloc(1, sizeof(*sp));
    char addr[320];
    int i = 2;
    snprintf(addr, sizeof(addr), "%s", tok[1]);
    if (!sp || !(sp->labels = calloc((size_t)n, sizeof(*sp->labels)))) {
        free(sp);
        x->oom = 1;
        return;
    }
    if (i < n && tok[i][0] >= '0' && tok[i][0] <= '9') {
        if (cfg_parse_uint(tok[i], 65535, &pv) != 0 || pv == 0)
            cfg_error(x, file, ln, col[i], "port '%s': expected a number from 1 to 65535", tok[i]);
        else if (strchr(tok[1], ':'))
            cfg_error(x, file, ln, col[i], "port given twice (address '%s' has one)", tok[1]);
        else
            snprintf(addr, sizeof(addr), "%s:%s", tok[1], tok[i]);
        i++;
    }
    if (i < n && !strchr(tok[i], '=')) {
        if (!(t.profile = cfg_profile_find(x->c, tok[i])))
            cfg_error(x, file, ln, col[i], "no profile named '%s'", tok[i]);
        i++;
    } else if (!(t.profile = cfg_default_profile(x->c))) {
        cfg_error(x, file, ln, col[0], "missing profile (needed when there is not exactly one)");
    }
    for (; i < n; i++) {
        char *eq = strchr(tok[i], '=');
        const char *why;
        if (!eq) {
            cfg_error(x, file, ln, col[i], "'%s': expected key=value", tok[i]);
            continue;
        }
        *eq = '\0';
        if ((why = cfg_label_name_problem(tok[i])) != NULL) {
            cfg_error(x, file, ln, col[i], "label '%s': %s", tok[i], why);
            continue;
        }
        size_t k;
        for (k = 0; k < sp->nlabels && strcmp(sp->labels[k].name, tok[i]) != 0; k++)
            ;
        if (k < sp->nlabels) {
            cfg_error(x, file, ln, col[i], "duplicate label '%s'", tok[i]);
            continue;
        }
        struct cfg_label *l = &sp->labels[sp->nlabels++];
        l->name = strdup(tok[i]);
        l->value = strdup(eq + 1);
        if (!l->name || !l->value)
            x->oom = 1;
    }
    if (cfg_add_spec(x, sp) != 0)
        return;
    t.spec = sp;
    if (t.profile)
        cfg_add_targets(x, file, tok[0], ln, col[0], addr, ln, col[1], &t);
}

/* Offset of the first byte that is a control character or not UTF-8, or -1. */
static long
bad_byte(const unsigned char *p)
{
    const unsigned char *s = p;
    while (*p) {
        size_t n = *p < 0x80             ? 0
                   : (*p & 0xe0) == 0xc0 ? 1
                   : (*p & 0xf0) == 0xe0 ? 2
                   : (*p & 0xf8) == 0xf0 ? 3
                                         : 9;
        if (n == 9 || (*p < 0x20 && *p != '\t' && *p != '\r') || *p == 0x7f || *p == 0xc0 ||
            *p == 0xc1 || *p > 0xf4)
            return p - s;
        for (size_t i = 1; i <= n; i++)
            if ((p[i] & 0xc0) != 0x80)
                return p - s;
        p += n + 1;
    }
    return -1;
}

void
cfg_read_inventory(struct cfg_ctx *x, const char *path, size_t line, size_t col)
{
    char *full = cfg_path(x, path), **files;
    FILE *fp;
    if (!full) {
        x->oom = 1;
        return;
    }
    if (!(files = realloc(x->files, (x->nfiles + 1) * sizeof(*files)))) {
        free(full);
        x->oom = 1;
        return;
    }
    x->files = files;
    x->files[x->nfiles++] = full;
    if (!(fp = fopen(full, "re"))) {
        cfg_error(x, x->name, line, col, "inventory: cannot open '%s': %s", full, strerror(errno));
        return;
    }
    char buf[4096];
    size_t ln = 0;
    while (fgets(buf, sizeof(buf), fp) && !cfg_full(x)) {
        ln++;
        size_t len = strlen(buf);
        if (len == sizeof(buf) - 1 && buf[len - 1] != '\n') {
            cfg_error(x, full, ln, 1, "line longer than %zu bytes", sizeof(buf) - 2);
            int ch;
            while ((ch = fgetc(fp)) != EOF && ch != '\n')
                ;
            continue;
        }
        buf[strcspn(buf, "#\n")] = '\0';
        long bad = bad_byte((const unsigned char *)buf);
        if (bad >= 0) {
            cfg_error(x, full, ln, (size_t)bad + 1, "control character or invalid UTF-8");
            continue;
        }
        inventory_line(x, full, ln, buf);
    }
    fclose(fp);
}

/* ---- value checks shared by every section ---- */

int
cfg_get_str(struct cfg_ctx *x, yaml_node_t *n, const char *what, char **out)
{
    const char *s = cfg_scalar(x, n, what);
    if (!s)
        return -1;
    if (!*s) {
        cfg_errat(x, n, "%s: empty value", what);
        return -1;
    }
    char *p = cfg_strdup(x, s);
    if (!p)
        return -1;
    free(*out);
    *out = p;
    return 0;
}

int
cfg_env_name_ok(const char *s)
{
    if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || *s == '_'))
        return 0;
    for (; *s; s++)
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || *s == '_' ||
              (*s >= '0' && *s <= '9')))
            return 0;
    return 1;
}

int
cfg_name_ok(const char *s)
{
    if (!*s || strlen(s) > 64)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
              *s == '_' || *s == '-' || *s == '.'))
            return 0;
    return 1;
}

void
cfg_check_file(struct cfg_ctx *x, yaml_node_t *n, const char *what, const char *path, int private)
{
    struct stat st;
    if (stat(path, &st) != 0)
        cfg_errat(x, n, "%s: cannot read '%s': %s", what, path, strerror(errno));
    else if (!S_ISREG(st.st_mode))
        cfg_errat(x, n, "%s: '%s' is not a regular file", what, path);
    else if (private && (st.st_mode & 077))
        cfg_errat(x, n, "%s: '%s' has mode %04o: others can read it (chmod 600 %s)", what, path,
                  (unsigned)(st.st_mode & 07777), path);
}
