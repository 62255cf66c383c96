/* SPDX-License-Identifier: Apache-2.0 */
/*
 * alerts.c - turning what a poll saw into alerts: sensor state transitions
 * (with debounce on the way back), SEL entries, and a target unreachable for
 * too long. See alerts.h for the rules; alert_rules.c routes them.
 *
 * Keys are stable, so a replay (a SEL record read again after a crash, an
 * alert re-submitted after a full queue) is stored once: storage ignores a
 * key it has. Identities name what a resolution resolves.
 */
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alerts.h"
#include "exporters.h"
#include "ic_err.h"

#define MAX_RECEIVERS 32

/* ---- the buffer --------------------------------------------------------- */

void
alert_buf_free(struct alert_buf *b)
{
    for (size_t i = 0; i < b->nstrs; i++)
        free(b->strs[i]);
    free(b->strs);
    free(b->v);
    memset(b, 0, sizeof(*b));
}

static int
keep_ptr(struct alert_buf *b, void *p)
{
    if (!p)
        return IC_ENOMEM;
    if (b->nstrs == b->capstrs) {
        size_t n = b->capstrs ? b->capstrs * 2 : 32;
        char **v = realloc(b->strs, n * sizeof(*v));
        if (!v) {
            free(p);
            return IC_ENOMEM;
        }
        b->strs = v;
        b->capstrs = n;
    }
    b->strs[b->nstrs++] = p;
    return 0;
}

static const char *
keep(struct alert_buf *b, const char *s, int *err)
{
    char *d = strdup(s ? s : "");
    if (keep_ptr(b, d) != 0) {
        *err = IC_ENOMEM;
        return "";
    }
    return d;
}

/* Appends a deep copy of a. */
static int
buf_add(struct alert_buf *b, const struct storage_alert *a)
{
    if (b->n == b->cap) {
        size_t n = b->cap ? b->cap * 2 : 8;
        struct storage_alert *v = realloc(b->v, n * sizeof(*v));
        if (!v)
            return IC_ENOMEM;
        b->v = v;
        b->cap = n;
    }
    int err = 0;
    struct storage_alert d = *a;
    d.key = keep(b, a->key, &err);
    d.kind = keep(b, a->kind, &err);
    d.status = keep(b, a->status, &err);
    d.severity = keep(b, a->severity, &err);
    d.identity = keep(b, a->identity, &err);
    d.summary = keep(b, a->summary, &err);
    d.sensor = keep(b, a->sensor, &err);
    d.sensor_type = keep(b, a->sensor_type, &err);
    d.labels_json = keep(b, a->labels_json ? a->labels_json : "{}", &err);
    d.sel_json = a->sel_json ? keep(b, a->sel_json, &err) : NULL;
    const char **rv = calloc(a->nreceivers + 1, sizeof(*rv));
    if (keep_ptr(b, (void *)rv) != 0)
        return IC_ENOMEM;
    for (size_t i = 0; i < a->nreceivers; i++)
        rv[i] = keep(b, a->receivers[i], &err);
    d.receivers = rv;
    if (err)
        return err;
    b->v[b->n++] = d;
    return 0;
}

int
alert_buf_move(struct alert_buf *dst, struct alert_buf *src)
{
    if (src->n == 0)
        return 0;
    size_t need = dst->n + src->n, needs = dst->nstrs + src->nstrs;
    if (need > dst->cap) {
        struct storage_alert *v = realloc(dst->v, need * sizeof(*v));
        if (!v)
            return IC_ENOMEM;
        dst->v = v;
        dst->cap = need;
    }
    if (needs > dst->capstrs) {
        char **v = realloc(dst->strs, needs * sizeof(*v));
        if (!v)
            return IC_ENOMEM;
        dst->strs = v;
        dst->capstrs = needs;
    }
    memcpy(dst->v + dst->n, src->v, src->n * sizeof(*src->v));
    memcpy(dst->strs + dst->nstrs, src->strs, src->nstrs * sizeof(*src->strs));
    dst->n = need;
    dst->nstrs = needs;
    free(src->v);
    free(src->strs);
    memset(src, 0, sizeof(*src));
    return 0;
}

/* Routes a and, if any receiver takes it, adds it to out. */
static void
raise_alert(const struct alert_rules *rules, const struct alert_who *who, struct storage_alert *a,
            struct alert_buf *out)
{
    const char *rcv[MAX_RECEIVERS];
    a->nreceivers =
        alert_rules_route(rules, a->kind, a->severity, a->sensor_type, who, rcv, MAX_RECEIVERS);
    /* No route wants it: nothing to deliver. A resolution is stored all the same,
       so the active alert it ends is forgotten (routes may have changed since). */
    if (a->nreceivers == 0 && strcmp(a->status, "resolved") != 0)
        return;
    a->receivers = rcv;
    a->labels_json = who->labels_json;
    buf_add(out, a);
}

/* ---- the tracker -------------------------------------------------------- */

struct sensor_track {
    uint16_t record_id;
    uint8_t number;
    uint8_t level;  /* 0 ok, 1 warning, 2 critical: the confirmed level */
    uint8_t streak; /* sweeps in a row read better than level */
    int has_thr;
    double thr;
    uint64_t since; /* when level was confirmed */
    char name[IPMI_NAME_MAX + 1];
};

struct alert_tracker {
    struct sensor_track *s;
    size_t n, cap;
    struct storage_active *seed; /* active alerts from the database, until matched */
    size_t nseed;
    uint64_t down_since;
    int unreach_fired;
};

struct alert_tracker *
alert_tracker_new(const struct storage_active *a, size_t n)
{
    struct alert_tracker *t = calloc(1, sizeof(*t));
    if (!t)
        return NULL;
    if (n) {
        t->seed = malloc(n * sizeof(*t->seed));
        if (!t->seed) {
            free(t);
            return NULL;
        }
        memcpy(t->seed, a, n * sizeof(*a));
        t->nseed = n;
    }
    for (size_t i = 0; i < n; i++)
        if (strcmp(a[i].identity, "unreachable") == 0) {
            t->unreach_fired = 1;
            t->down_since = a[i].starts_at;
        }
    return t;
}

void
alert_tracker_free(struct alert_tracker *t)
{
    if (!t)
        return;
    free(t->s);
    free(t->seed);
    free(t);
}

static int
level_of(enum ipmi_state st)
{
    return st == IPMI_STATE_WARNING ? 1 : st >= IPMI_STATE_CRITICAL ? 2 : 0;
}

static const char *
level_name(int level)
{
    return level == 2 ? "critical" : level == 1 ? "warning" : "ok";
}

static void
identity(char *out, size_t len, const struct sensor_track *s, int level)
{
    snprintf(out, len, "sensor/%s/%u/%s", s->name, s->number, level_name(level));
}

static struct sensor_track *
track_of(struct alert_tracker *t, const struct ipmi_reading *r, uint64_t now)
{
    for (size_t i = 0; i < t->n; i++)
        if (t->s[i].record_id == r->record_id && t->s[i].number == r->number)
            return &t->s[i];
    if (t->n == t->cap) {
        size_t n = t->cap ? t->cap * 2 : 64;
        struct sensor_track *v = realloc(t->s, n * sizeof(*v));
        if (!v)
            return NULL;
        t->s = v;
        t->cap = n;
    }
    struct sensor_track *s = &t->s[t->n++];
    memset(s, 0, sizeof(*s));
    s->record_id = r->record_id;
    s->number = r->number;
    s->since = now;
    snprintf(s->name, sizeof(s->name), "%s", r->name);
    /* Firing before a restart: remember it, so it is neither repeated nor forgotten. */
    for (int level = 2; level >= 1; level--) {
        char id[160];
        identity(id, sizeof(id), s, level);
        for (size_t k = 0; k < t->nseed; k++)
            if (strcmp(t->seed[k].identity, id) == 0 && s->level == 0) {
                s->level = (uint8_t)level;
                s->since = t->seed[k].starts_at;
            }
    }
    return s;
}

static const struct ipmi_sdr *
sdr_for(const struct ipmi_sdr_cache *c, const struct ipmi_reading *r)
{
    size_t n = c ? ipmi_sdr_cache_count(c) : 0;
    for (size_t i = 0; i < n; i++) {
        const struct ipmi_sdr *d = ipmi_sdr_cache_get(c, i);
        if (d->record_id == r->record_id && d->number == r->number)
            return d;
    }
    return NULL;
}

/* The threshold a threshold sensor's value crossed to reach level. */
static int
crossed(const struct ipmi_sdr_cache *c, const struct ipmi_reading *r, int level, double *out)
{
    double thr[6];
    uint8_t valid;
    if (!r->threshold || !r->has_value || level == 0 ||
        ipmi_sdr_thresholds(sdr_for(c, r), thr, &valid) != 0)
        return 0;
    int nr = r->state == IPMI_STATE_NONRECOVERABLE;
    int up = level == 2 ? (nr ? IPMI_THR_UNR : IPMI_THR_UC) : IPMI_THR_UNC;
    int lo = level == 2 ? (nr ? IPMI_THR_LNR : IPMI_THR_LC) : IPMI_THR_LNC;
    if ((valid & (1u << up)) && r->value >= thr[up]) {
        *out = thr[up];
        return 1;
    }
    if ((valid & (1u << lo)) && r->value <= thr[lo]) {
        *out = thr[lo];
        return 1;
    }
    return 0;
}

static void
reading_text(const struct ipmi_reading *r, char *out, size_t len)
{
    if (r->threshold && r->has_value)
        snprintf(out, len, "%.10g %s", r->value, r->unit);
    else if (!r->threshold)
        ipmi_reading_states_text(r, out, len);
    else
        snprintf(out, len, "no reading");
}

static void
sensor_alert(const struct alert_rules *rules, const struct alert_who *who,
             const struct sensor_track *s, const struct ipmi_reading *r, int level, int firing,
             uint64_t now, struct alert_buf *out)
{
    char id[160], key[320], summary[512], now_txt[128];
    identity(id, sizeof(id), s, level);
    snprintf(key, sizeof(key), "sensor/%s/%s/%u/%s/%s/%llu", who->name, s->name, s->number,
             level_name(level), firing ? "firing" : "resolved", (unsigned long long)s->since);
    reading_text(r, now_txt, sizeof(now_txt));
    if (firing && s->has_thr)
        snprintf(summary, sizeof(summary), "%s: %s is %s: %s (threshold %.10g)", who->name, s->name,
                 level_name(level), now_txt, s->thr);
    else if (firing)
        snprintf(summary, sizeof(summary), "%s: %s is %s: %s", who->name, s->name,
                 level_name(level), now_txt);
    else
        snprintf(summary, sizeof(summary), "%s: %s is no longer %s: %s", who->name, s->name,
                 level_name(level), now_txt);
    struct storage_alert a = {
        .key = key,
        .kind = "sensor",
        .status = firing ? "firing" : "resolved",
        .severity = level_name(level),
        .identity = id,
        .summary = summary,
        .sensor = s->name,
        .sensor_type = ipmi_sensor_type_str(r->sensor_type),
        .has_value = r->threshold && r->has_value,
        .value = r->value,
        .has_threshold = s->has_thr,
        .threshold = s->thr,
        .starts_at = s->since,
        .ends_at = firing ? 0 : now,
    };
    raise_alert(rules, who, &a, out);
}

void
alert_tracker_sweep(struct alert_tracker *t, const struct alert_rules *rules,
                    const struct alert_who *who, unsigned debounce, const struct ipmi_reading *r,
                    size_t n, const struct ipmi_sdr_cache *c, uint64_t now, struct alert_buf *out)
{
    if (!t || !rules)
        return;
    if (debounce == 0)
        debounce = 1;
    for (size_t i = 0; i < n; i++) {
        if (r[i].state == IPMI_STATE_NONE)
            continue; /* no reading says nothing about health */
        struct sensor_track *s = track_of(t, &r[i], now);
        if (!s)
            return;
        int level = level_of(r[i].state);
        if (level == s->level) {
            s->streak = 0;
            continue;
        }
        /* Worse fires at once; better must hold for debounce sweeps in a row. */
        if (level < s->level && ++s->streak < debounce)
            continue;
        if (s->level > 0)
            sensor_alert(rules, who, s, &r[i], s->level, 0, now, out);
        s->level = (uint8_t)level;
        s->streak = 0;
        s->since = now;
        s->has_thr = crossed(c, &r[i], level, &s->thr);
        if (level > 0)
            sensor_alert(rules, who, s, &r[i], level, 1, now, out);
    }
}

static char *
sel_json(const struct ipmi_sel_entry *e, const uint8_t raw[16], const char *sev)
{
    char hex[33], when[64];
    for (int i = 0; i < 16; i++)
        snprintf(hex + 2 * i, 3, "%02x", raw[i]);
    ipmi_sel_time_text(e, when, sizeof(when));
    json_object *o = json_object_new_object();
    if (!o)
        return NULL;
    json_object_object_add(o, "record_id", json_object_new_int(e->record_id));
    json_object_object_add(o, "record_type", json_object_new_int(e->record_type));
    json_object_object_add(o, "time", json_object_new_string(when));
    json_object_object_add(o, "timestamp", json_object_new_int64(e->timestamp));
    json_object_object_add(o, "sensor", json_object_new_string(e->sensor));
    json_object_object_add(o, "sensor_type",
                           json_object_new_string(ipmi_sensor_type_str(e->sensor_type)));
    json_object_object_add(o, "sensor_number", json_object_new_int(e->sensor_number));
    json_object_object_add(o, "event", json_object_new_string(e->event));
    json_object_object_add(o, "detail", json_object_new_string(e->detail));
    json_object_object_add(o, "direction",
                           json_object_new_string(e->deasserted ? "deassertion" : "assertion"));
    json_object_object_add(o, "severity", json_object_new_string(sev));
    json_object_object_add(o, "raw", json_object_new_string(hex));
    const char *txt = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
    char *copy = txt ? strdup(txt) : NULL;
    json_object_put(o);
    return copy;
}

void
alert_tracker_sel(struct alert_tracker *t, const struct alert_rules *rules,
                  const struct alert_who *who, const struct ipmi_sel_entry *e,
                  const uint8_t raw[16], uint64_t now, struct alert_buf *out)
{
    (void)t;
    if (!rules)
        return;
    const char *sev = e->severity == IPMI_STATE_WARNING    ? "warning"
                      : e->severity >= IPMI_STATE_CRITICAL ? "critical"
                                                           : "info";
    char hex[33], key[160], summary[512];
    for (int i = 0; i < 16; i++)
        snprintf(hex + 2 * i, 3, "%02x", raw[i]);
    snprintf(key, sizeof(key), "sel/%s/%u/%s", who->name, e->record_id, hex);
    if (e->detail[0])
        snprintf(summary, sizeof(summary), "%s: SEL: %s%s%s (%s)", who->name, e->sensor,
                 e->sensor[0] ? " " : "", e->event, e->detail);
    else
        snprintf(summary, sizeof(summary), "%s: SEL: %s%s%s", who->name, e->sensor,
                 e->sensor[0] ? " " : "", e->event);
    char *js = sel_json(e, raw, sev);
    struct storage_alert a = {
        .key = key,
        .kind = "sel",
        .status = "firing",
        .severity = sev,
        .identity = "",
        .summary = summary,
        .sensor = e->sensor,
        .sensor_type = e->record_type == 0x02 ? ipmi_sensor_type_str(e->sensor_type) : "",
        .starts_at = e->has_timestamp && !e->pre_init ? (uint64_t)e->timestamp * 1000u : now,
        .sel_json = js,
    };
    raise_alert(rules, who, &a, out);
    free(js);
}

void
alert_console(const struct alert_rules *rules, const struct alert_who *who, const char *line,
              uint64_t now, uint64_t seq, struct alert_buf *out)
{
    if (!rules)
        return;
    char key[256], summary[512];
    snprintf(key, sizeof(key), "console/%s/%llu/%llu", who->name, (unsigned long long)now,
             (unsigned long long)seq);
    snprintf(summary, sizeof(summary), "%s: console: %.400s", who->name, line);
    struct storage_alert a = {.key = key,
                              .kind = "console",
                              .status = "firing",
                              .severity = "critical",
                              .identity = "",
                              .summary = summary,
                              .sensor = "",
                              .sensor_type = "",
                              .starts_at = now};
    raise_alert(rules, who, &a, out);
}

uint64_t
alert_tracker_reach(struct alert_tracker *t, const struct alert_rules *rules,
                    const struct alert_who *who, int up, const char *error, uint64_t now,
                    struct alert_buf *out)
{
    if (!t || !rules)
        return 0;
    char key[256], summary[512];
    if (up) {
        if (t->unreach_fired) {
            snprintf(key, sizeof(key), "unreachable/%s/resolved/%llu", who->name,
                     (unsigned long long)t->down_since);
            snprintf(summary, sizeof(summary), "%s (%s:%u) answers again after %llu s", who->name,
                     who->host, who->port, (unsigned long long)((now - t->down_since) / 1000));
            struct storage_alert a = {.key = key,
                                      .kind = "unreachable",
                                      .status = "resolved",
                                      .severity = "critical",
                                      .identity = "unreachable",
                                      .summary = summary,
                                      .sensor = "",
                                      .sensor_type = "",
                                      .starts_at = t->down_since,
                                      .ends_at = now};
            raise_alert(rules, who, &a, out);
        }
        t->unreach_fired = 0;
        t->down_since = 0;
        return 0;
    }
    if (!t->down_since)
        t->down_since = now;
    if (t->unreach_fired)
        return 0;
    uint64_t due = t->down_since + alert_rules_unreachable_after(rules);
    if (now < due)
        return due;
    t->unreach_fired = 1;
    snprintf(key, sizeof(key), "unreachable/%s/firing/%llu", who->name,
             (unsigned long long)t->down_since);
    snprintf(summary, sizeof(summary), "%s (%s:%u) has not answered for %llu s: %s", who->name,
             who->host, who->port, (unsigned long long)((now - t->down_since) / 1000),
             error && error[0] ? error : "no answer");
    struct storage_alert a = {.key = key,
                              .kind = "unreachable",
                              .status = "firing",
                              .severity = "critical",
                              .identity = "unreachable",
                              .summary = summary,
                              .sensor = "",
                              .sensor_type = "",
                              .starts_at = t->down_since};
    raise_alert(rules, who, &a, out);
    return 0;
}
