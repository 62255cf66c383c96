/* SPDX-License-Identifier: Apache-2.0 */
/*
 * storage_outbox.c - alerts and their durable outbox (issue 7).
 *
 * Writes: an alert rides on the message of its cause and is inserted in the
 * same transaction (storage_apply_alerts), with one outbox row per receiver it
 * was routed to, and the active_alerts row that a later resolution removes.
 * Outcomes of delivery and the operator's retry/drop are writer messages too
 * (SMSG_OUTBOX): one writer, as everywhere in this layer.
 *
 * Reads (the delivery thread, the CLI) use the read connection under rmu.
 */
#include "clock.h"
#include "storage_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ic_err.h"

enum ost { OST_ALERT_PUT, OST_OUTBOX_PUT, OST_ACTIVE_SET, OST_ACTIVE_DEL, OST_COUNT };

static const char *const ost_sql[OST_COUNT] = {
    [OST_ALERT_PUT] =
        "INSERT OR IGNORE INTO alerts(key, target_id, kind, status, severity, identity, summary, "
        "sensor, sensor_type, value, threshold, starts_at, ends_at, labels, sel, receivers, "
        "created_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, "
        "?17)",
    [OST_OUTBOX_PUT] = "INSERT OR IGNORE INTO outbox(alert_id, target_id, receiver, next_at, "
                       "created_at) VALUES(?1, ?2, ?3, ?4, ?4)",
    [OST_ACTIVE_SET] =
        "INSERT OR REPLACE INTO active_alerts(target_id, identity, alert_id) VALUES(?1, ?2, ?3)",
    [OST_ACTIVE_DEL] = "DELETE FROM active_alerts WHERE target_id = ?1 AND identity = ?2",
};

_Static_assert(OST_COUNT <= sizeof(((struct storage *)0)->ostmt) / sizeof(sqlite3_stmt *),
               "ostmt is large enough");

void
storage_outbox_stmts_free(struct storage *st)
{
    for (int i = 0; i < OST_COUNT; i++) {
        sqlite3_finalize(st->ostmt[i]);
        st->ostmt[i] = NULL;
    }
}

static sqlite3_stmt *
ostmt(struct storage *st, enum ost i, int *rc)
{
    return storage_stmt_cached(st, &st->ostmt[i], ost_sql[i], rc);
}

static int
step_reset(sqlite3_stmt *s)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? SQLITE_OK : rc;
}

static sqlite3_int64
i64(uint64_t v)
{
    return v > (uint64_t)INT64_MAX ? INT64_MAX : (sqlite3_int64)v;
}

/* ---- copying alerts into a message ---- */

static size_t
alert_strings(const struct storage_alert *a)
{
    size_t n = storage_str_size(a->key) + storage_str_size(a->kind) + storage_str_size(a->status) +
               storage_str_size(a->severity) + storage_str_size(a->identity) +
               storage_str_size(a->summary) + storage_str_size(a->sensor) +
               storage_str_size(a->sensor_type) + storage_str_size(a->labels_json) +
               storage_str_size(a->sel_json);
    n += (a->nreceivers + 1) * sizeof(char *) + 16; /* the receivers array, aligned */
    for (size_t r = 0; r < a->nreceivers; r++)
        n += storage_str_size(a->receivers[r]);
    return n;
}

size_t
storage_alerts_size(const struct storage_alert *a, size_t n)
{
    size_t total = n ? n * sizeof(*a) + 16 : 0;
    for (size_t i = 0; i < n; i++)
        total += alert_strings(&a[i]);
    return total;
}

void
storage_alerts_copy(struct storage_msg *m, struct storage_pack *k, const struct storage_alert *a,
                    size_t n)
{
    if (n == 0)
        return;
    struct storage_alert *d = storage_pack_take(k, n * sizeof(*d));
    if (!d)
        return;
    for (size_t i = 0; i < n; i++) {
        d[i] = a[i];
        d[i].key = storage_pack_str(k, a[i].key);
        d[i].kind = storage_pack_str(k, a[i].kind);
        d[i].status = storage_pack_str(k, a[i].status);
        d[i].severity = storage_pack_str(k, a[i].severity);
        d[i].identity = storage_pack_str(k, a[i].identity);
        d[i].summary = storage_pack_str(k, a[i].summary);
        d[i].sensor = storage_pack_str(k, a[i].sensor);
        d[i].sensor_type = storage_pack_str(k, a[i].sensor_type);
        d[i].labels_json = storage_pack_str(k, a[i].labels_json ? a[i].labels_json : "{}");
        d[i].sel_json = a[i].sel_json ? storage_pack_str(k, a[i].sel_json) : NULL;
        const char **rv = storage_pack_take(k, (a[i].nreceivers + 1) * sizeof(char *));
        for (size_t r = 0; rv && r < a[i].nreceivers; r++)
            rv[r] = storage_pack_str(k, a[i].receivers[r]);
        d[i].receivers = rv;
        if (!rv)
            d[i].nreceivers = 0;
    }
    m->alerts = d;
    m->nalerts = n;
}

/* ---- the writer's side ---- */

static void
bind_text_or_null(sqlite3_stmt *s, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, i);
}

static int
put_alert(struct storage *st, const struct storage_alert *a, sqlite3_int64 tid, uint64_t now)
{
    int rc;
    char recv[1024];
    size_t used = 0;
    recv[0] = '\0';
    for (size_t r = 0; r < a->nreceivers; r++) {
        int w = snprintf(recv + used, sizeof(recv) - used, "%s%s", r ? "\n" : "", a->receivers[r]);
        if (w < 0 || (size_t)w >= sizeof(recv) - used)
            break;
        used += (size_t)w;
    }
    sqlite3_stmt *s = ostmt(st, OST_ALERT_PUT, &rc);
    if (!s)
        return rc;
    sqlite3_bind_text(s, 1, a->key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, tid);
    sqlite3_bind_text(s, 3, a->kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, a->status, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, a->severity, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 6, a->identity, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 7, a->summary, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 8, a->sensor, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 9, a->sensor_type, -1, SQLITE_STATIC);
    if (a->has_value)
        sqlite3_bind_double(s, 10, a->value);
    if (a->has_threshold)
        sqlite3_bind_double(s, 11, a->threshold);
    sqlite3_bind_int64(s, 12, i64(a->starts_at));
    if (a->ends_at)
        sqlite3_bind_int64(s, 13, i64(a->ends_at));
    sqlite3_bind_text(s, 14, a->labels_json, -1, SQLITE_STATIC);
    bind_text_or_null(s, 15, a->sel_json);
    sqlite3_bind_text(s, 16, recv, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 17, i64(now));
    rc = sqlite3_step(s);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    if (rc != SQLITE_DONE)
        return rc;
    if (sqlite3_changes(st->wdb) == 0)
        return SQLITE_OK; /* the same key again (a replay): stored and routed once */
    sqlite3_int64 aid = sqlite3_last_insert_rowid(st->wdb);
    for (size_t r = 0; r < a->nreceivers; r++) {
        if (!(s = ostmt(st, OST_OUTBOX_PUT, &rc)))
            return rc;
        sqlite3_bind_int64(s, 1, aid);
        sqlite3_bind_int64(s, 2, tid);
        sqlite3_bind_text(s, 3, a->receivers[r], -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 4, i64(now));
        if ((rc = step_reset(s)) != SQLITE_OK)
            return rc;
    }
    if (!a->identity[0])
        return SQLITE_OK; /* a one-shot event: nothing to resolve later */
    int firing = strcmp(a->status, "firing") == 0;
    if (!(s = ostmt(st, firing ? OST_ACTIVE_SET : OST_ACTIVE_DEL, &rc)))
        return rc;
    sqlite3_bind_int64(s, 1, tid);
    sqlite3_bind_text(s, 2, a->identity, -1, SQLITE_STATIC);
    if (firing)
        sqlite3_bind_int64(s, 3, aid);
    return step_reset(s);
}

int
storage_apply_alerts(struct storage *st, const struct storage_msg *m, sqlite3_int64 tid)
{
    uint64_t now = clock_wall_ms();
    for (size_t i = 0; i < m->nalerts; i++) {
        int rc = put_alert(st, &m->alerts[i], tid, now);
        if (rc != SQLITE_OK)
            return rc;
    }
    return SQLITE_OK;
}

int
storage_apply_outbox(struct storage *st, const struct storage_msg *m)
{
    sqlite3_stmt *s = NULL;
    const char *sql = NULL;
    switch (m->ob.op) {
    case SOB_DELIVERED:
        sql = "DELETE FROM outbox WHERE id = ?1";
        break;
    case SOB_FAILED:
        sql = "UPDATE outbox SET attempts = attempts + 1, next_at = ?2, last_error = ?3, "
              "state = CASE WHEN ?4 THEN 'dead' ELSE state END WHERE id = ?1";
        break;
    case SOB_RETRY:
        /* A fresh chance: max_age counts again from now. */
        sql = "UPDATE outbox SET state = 'pending', next_at = ?2, created_at = ?2 "
              "WHERE (?1 = 0 AND state = 'dead') OR id = ?1";
        break;
    case SOB_DROP:
        sql = "DELETE FROM outbox WHERE id = ?1";
        break;
    }
    int rc = sqlite3_prepare_v2(st->wdb, sql, -1, &s, NULL);
    if (rc != SQLITE_OK)
        return rc;
    sqlite3_bind_int64(s, 1, m->ob.id);
    sqlite3_bind_int64(s, 2, i64(m->ob.op == SOB_RETRY ? clock_wall_ms() : m->ob.next_at));
    if (m->ob.op == SOB_FAILED) {
        sqlite3_bind_text(s, 3, m->ob.error ? m->ob.error : "", -1, SQLITE_STATIC);
        sqlite3_bind_int(s, 4, m->ob.dead);
    }
    rc = sqlite3_step(s);
    sqlite3_finalize(s);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static int
put_outcome(struct storage *st, enum storage_outbox_op op, int64_t id, uint64_t next_at,
            const char *error, int dead)
{
    struct storage_pack k;
    struct storage_msg *m = storage_msg_new(SMSG_OUTBOX, storage_str_size(error), &k);
    if (!m)
        return IC_ENOMEM;
    m->nrows = 1;
    m->ob.op = op;
    m->ob.id = id;
    m->ob.next_at = next_at;
    m->ob.dead = dead != 0;
    m->ob.error = storage_pack_str(&k, error);
    return storage_msg_push(st, m);
}

int
storage_outbox_delivered(struct storage *st, int64_t id)
{
    return put_outcome(st, SOB_DELIVERED, id, 0, "", 0);
}

int
storage_outbox_failed(struct storage *st, int64_t id, uint64_t next_at_unix_ms, const char *error,
                      int dead)
{
    return put_outcome(st, SOB_FAILED, id, next_at_unix_ms, error, dead);
}

int
storage_outbox_retry(struct storage *st, int64_t id)
{
    return put_outcome(st, SOB_RETRY, id, 0, "", 0);
}

int
storage_outbox_drop(struct storage *st, int64_t id)
{
    return put_outcome(st, SOB_DROP, id, 0, "", 0);
}

/* ---- reads ---- */

#define ITEM_COLS                                                                            \
    "o.id, o.attempts, o.created_at, o.next_at, o.state, o.last_error, t.name, o.receiver, " \
    "a.key, a.kind, a.status, a.severity, a.identity, a.summary, a.sensor, a.sensor_type, "  \
    "a.value, a.threshold, a.starts_at, a.ends_at, a.labels, a.sel "

static char *
col_dup(sqlite3_stmt *s, int i)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    return t ? strdup((const char *)t) : NULL;
}

static int
read_item(sqlite3_stmt *s, struct storage_outbox_item *it)
{
    memset(it, 0, sizeof(*it));
    it->id = sqlite3_column_int64(s, 0);
    it->attempts = (unsigned)sqlite3_column_int(s, 1);
    it->created_at = (uint64_t)sqlite3_column_int64(s, 2);
    it->next_at = (uint64_t)sqlite3_column_int64(s, 3);
    char **str[] = {&it->state,    &it->last_error, &it->target, &it->receiver,
                    &it->key,      &it->kind,       &it->status, &it->severity,
                    &it->identity, &it->summary,    &it->sensor, &it->sensor_type};
    static const int cols[] = {4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++) {
        *str[i] = col_dup(s, cols[i]);
        if (!*str[i] && i != 1)
            *str[i] = strdup("");
        if (!*str[i] && i != 1)
            return IC_ENOMEM;
    }
    if ((it->has_value = sqlite3_column_type(s, 16) != SQLITE_NULL))
        it->value = sqlite3_column_double(s, 16);
    if ((it->has_threshold = sqlite3_column_type(s, 17) != SQLITE_NULL))
        it->threshold = sqlite3_column_double(s, 17);
    it->starts_at = (uint64_t)sqlite3_column_int64(s, 18);
    it->ends_at = (uint64_t)sqlite3_column_int64(s, 19);
    it->labels_json = col_dup(s, 20);
    it->sel_json = col_dup(s, 21);
    return it->labels_json ? 0 : IC_ENOMEM;
}

void
storage_outbox_free(struct storage_outbox_item *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        struct storage_outbox_item *it = &v[i];
        char *p[] = {it->state,  it->last_error,  it->target,      it->receiver, it->key,
                     it->kind,   it->status,      it->severity,    it->identity, it->summary,
                     it->sensor, it->sensor_type, it->labels_json, it->sel_json};
        for (size_t k = 0; k < sizeof(p) / sizeof(p[0]); k++)
            free(p[k]);
    }
    free(v);
}

/* Runs s (bound) and collects its rows. Called with rmu held. */
static int
collect(struct storage *st, sqlite3_stmt *s, size_t max, struct storage_outbox_item **out,
        size_t *n)
{
    struct storage_outbox_item *v = NULL;
    size_t cap = 0, k = 0;
    int src, rc = 0;
    while (k < max && (src = sqlite3_step(s)) == SQLITE_ROW) {
        if (k == cap) {
            size_t nc = cap ? cap * 2 : 16;
            struct storage_outbox_item *nv = realloc(v, nc * sizeof(*v));
            if (!nv) {
                rc = IC_ENOMEM;
                break;
            }
            v = nv;
            cap = nc;
        }
        if ((rc = read_item(s, &v[k++])) != 0)
            break;
    }
    if (rc == 0 && k < max && src != SQLITE_DONE) {
        const char *what;
        rc = storage_sqlite_err(src, &what);
        storage_seterr(st, "database %s: %s (%s)", st->path, what, sqlite3_errmsg(st->rdb));
    }
    if (rc != 0) {
        storage_outbox_free(v, k);
        return rc;
    }
    *out = v;
    *n = k;
    return 0;
}

static int
query_items(struct storage *st, const char *sql, const char *receiver, uint64_t now, size_t max,
            struct storage_outbox_item **out, size_t *n)
{
    sqlite3_stmt *s = NULL;
    *out = NULL;
    *n = 0;
    pthread_mutex_lock(&st->rmu);
    int src = sqlite3_prepare_v2(st->rdb, sql, -1, &s, NULL), rc;
    if (src != SQLITE_OK) {
        const char *what;
        rc = storage_sqlite_err(src, &what);
        storage_seterr(st, "database %s: %s (%s)", st->path, what, sqlite3_errmsg(st->rdb));
    } else {
        sqlite3_bind_text(s, 1, receiver, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 2, i64(now));
        sqlite3_bind_int64(s, 3, i64(max));
        rc = collect(st, s, max, out, n);
    }
    sqlite3_finalize(s);
    pthread_mutex_unlock(&st->rmu);
    return rc;
}

int
storage_outbox_due(struct storage *st, const char *receiver, uint64_t now_unix_ms, size_t max,
                   struct storage_outbox_item **out, size_t *n)
{
    static const char sql[] =
        "SELECT " ITEM_COLS "FROM outbox o JOIN alerts a ON a.id = o.alert_id "
        "JOIN targets t ON t.id = o.target_id "
        "WHERE o.receiver = ?1 AND o.state = 'pending' AND o.next_at <= ?2 AND o.id = "
        "(SELECT min(o2.id) FROM outbox o2 WHERE o2.receiver = o.receiver AND "
        "o2.state = 'pending' AND o2.target_id = o.target_id) ORDER BY o.id LIMIT ?3";
    return query_items(st, sql, receiver, now_unix_ms, max, out, n);
}

int
storage_outbox_active(struct storage *st, const char *receiver, struct storage_outbox_item **out,
                      size_t *n)
{
    /* Not outbox rows: id 0, attempts 0; receivers is newline-separated. */
    static const char sql[] =
        "SELECT 0, 0, a.created_at, 0, 'active', NULL, t.name, ?1, "
        "a.key, a.kind, a.status, a.severity, a.identity, a.summary, a.sensor, a.sensor_type, "
        "a.value, a.threshold, a.starts_at, a.ends_at, a.labels, a.sel "
        "FROM active_alerts x JOIN alerts a ON a.id = x.alert_id JOIN targets t ON t.id = "
        "x.target_id WHERE instr(char(10) || a.receivers || char(10), char(10) || ?1 || "
        "char(10)) > 0 AND ?2 >= 0 ORDER BY a.id LIMIT ?3";
    return query_items(st, sql, receiver, 0, 100000, out, n);
}

int
storage_outbox_stats(struct storage *st, struct storage_outbox_stats *out)
{
    sqlite3_stmt *s = NULL;
    memset(out, 0, sizeof(*out));
    pthread_mutex_lock(&st->rmu);
    int rc = 0,
        src = sqlite3_prepare_v2(st->rdb,
                                 "SELECT count(*) FILTER (WHERE state = 'pending'), "
                                 "count(*) FILTER (WHERE state = 'dead'), "
                                 "min(created_at) FILTER (WHERE state = 'pending') FROM outbox",
                                 -1, &s, NULL);
    if (src == SQLITE_OK && (src = sqlite3_step(s)) == SQLITE_ROW) {
        out->pending = (uint64_t)sqlite3_column_int64(s, 0);
        out->dead = (uint64_t)sqlite3_column_int64(s, 1);
        out->oldest_pending_unix_ms = (uint64_t)sqlite3_column_int64(s, 2);
    } else {
        const char *what;
        rc = storage_sqlite_err(src, &what);
        storage_seterr(st, "database %s: %s (%s)", st->path, what, sqlite3_errmsg(st->rdb));
    }
    sqlite3_finalize(s);
    pthread_mutex_unlock(&st->rmu);
    return rc;
}

int
storage_get_active(struct storage *st, const char *target, struct storage_active **v, size_t *n)
{
    sqlite3_stmt *s = NULL;
    struct storage_active *out = NULL;
    size_t k = 0, cap = 0;
    int rc = 0, src;
    *v = NULL;
    *n = 0;
    pthread_mutex_lock(&st->rmu);
    src = sqlite3_prepare_v2(st->rdb,
                             "SELECT x.identity, a.key, a.starts_at FROM active_alerts x "
                             "JOIN alerts a ON a.id = x.alert_id JOIN targets t ON "
                             "t.id = x.target_id WHERE t.name = ?1 ORDER BY a.id",
                             -1, &s, NULL);
    if (src == SQLITE_OK) {
        sqlite3_bind_text(s, 1, target, -1, SQLITE_STATIC);
        while ((src = sqlite3_step(s)) == SQLITE_ROW) {
            if (k == cap) {
                size_t nc = cap ? cap * 2 : 8;
                struct storage_active *nv = realloc(out, nc * sizeof(*nv));
                if (!nv) {
                    rc = IC_ENOMEM;
                    break;
                }
                out = nv;
                cap = nc;
            }
            const unsigned char *id = sqlite3_column_text(s, 0), *key = sqlite3_column_text(s, 1);
            snprintf(out[k].identity, sizeof(out[k].identity), "%s", id ? (const char *)id : "");
            snprintf(out[k].key, sizeof(out[k].key), "%s", key ? (const char *)key : "");
            out[k].starts_at = (uint64_t)sqlite3_column_int64(s, 2);
            k++;
        }
    }
    if (rc == 0 && src != SQLITE_DONE) {
        const char *what;
        rc = storage_sqlite_err(src, &what);
        storage_seterr(st, "database %s: %s (%s)", st->path, what, sqlite3_errmsg(st->rdb));
    }
    sqlite3_finalize(s);
    pthread_mutex_unlock(&st->rmu);
    if (rc != 0) {
        free(out);
        return rc;
    }
    *v = out;
    *n = k;
    return 0;
}
