/* SPDX-License-Identifier: Apache-2.0 */
/*
 * storage_audit.c - the audit log (schema v3): every action asked through
 * the API, written by the writer like everything else, read by
 * `ipmi-collector audit` and GET /api/v1/audit.
 */
#include "storage_int.h"

#include <stdio.h>
#include <string.h>

#include "ic_err.h"

int
storage_put_audit(struct storage *st, const struct storage_audit *a)
{
    struct storage_pack k;
    if (!st || !a || st->o.read_only)
        return IC_EINVAL;
    size_t extra = sizeof(struct storage_audit) + 16 + storage_str_size(a->who) +
                   storage_str_size(a->source) + storage_str_size(a->action) +
                   storage_str_size(a->params) + storage_str_size(a->targets) +
                   storage_str_size(a->result) + storage_str_size(a->details);
    struct storage_msg *m = storage_msg_new(SMSG_AUDIT, extra, &k);
    if (!m)
        return IC_ENOMEM;
    struct storage_audit *c = storage_pack_take(&k, sizeof(*c));
    if (!c) {
        storage_msg_free(m);
        return IC_ENOMEM;
    }
    *c = *a;
    c->who = storage_pack_str(&k, a->who);
    c->source = storage_pack_str(&k, a->source);
    c->action = storage_pack_str(&k, a->action);
    c->params = storage_pack_str(&k, a->params && *a->params ? a->params : "{}");
    c->targets = storage_pack_str(&k, a->targets);
    c->result = storage_pack_str(&k, a->result);
    c->details = storage_pack_str(&k, a->details && *a->details ? a->details : "[]");
    m->au = c;
    m->ts = a->ts_unix_ms;
    m->nrows = 1;
    return storage_msg_push(st, m);
}

int
storage_apply_audit(struct storage *st, const struct storage_msg *m)
{
    int rc;
    sqlite3_stmt *s = storage_stmt_cached(
        st, &st->audit_stmt,
        "INSERT INTO audit(ts, who, source, action, params, targets, result, ok, failed, "
        "duration_ms, details) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        &rc);
    if (!s)
        return rc;
    const struct storage_audit *a = m->au;
    sqlite3_bind_int64(s, 1, (sqlite3_int64)a->ts_unix_ms);
    sqlite3_bind_text(s, 2, a->who, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, a->source, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, a->action, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, a->params, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 6, a->targets, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 7, a->result, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 8, a->ok);
    sqlite3_bind_int64(s, 9, a->failed);
    sqlite3_bind_int64(s, 10, (sqlite3_int64)a->duration_ms);
    sqlite3_bind_text(s, 11, a->details, -1, SQLITE_STATIC);
    rc = sqlite3_step(s);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Times print as ISO 8601 UTC with milliseconds: an audit trail orders actions within a second. */
static const char audit_sql[] =
    "SELECT id, strftime('%Y-%m-%dT%H:%M:%fZ', ts / 1000.0, 'unixepoch') AS time, who, source, "
    "action, params, targets, result, ok, failed, duration_ms, details "
    "FROM audit "
    "WHERE (?1 IS NULL OR instr(',' || targets || ',', ',' || ?1 || ',') > 0) "
    "AND (?2 IS NULL OR who = ?2) "
    "AND (?3 IS NULL OR instr(lower(action || ' ' || params || ' ' || result), lower(?3)) > 0) "
    "AND ts >= ?4 AND id > ?5 ORDER BY id LIMIT ?6";

int
storage_query_audit(struct storage *st, const struct storage_filter *f, enum storage_format fmt,
                    FILE *fp)
{
    static const struct storage_filter none;
    sqlite3_stmt *s = NULL;
    if (!f)
        f = &none;
    pthread_mutex_lock(&st->rmu);
    int rc = storage_read_prepare(st, audit_sql, &s);
    if (rc == 0) {
        if (f->target)
            sqlite3_bind_text(s, 1, f->target, -1, SQLITE_STATIC);
        if (f->who)
            sqlite3_bind_text(s, 2, f->who, -1, SQLITE_STATIC);
        if (f->grep)
            sqlite3_bind_text(s, 3, f->grep, -1, SQLITE_STATIC);
        storage_bind_window(s, 4, f);
        /* params (5) and details (11) are JSON: printed as such in --json. */
        rc = storage_print_stmt(st, s, (1u << 5) | (1u << 11), fmt, fp);
    }
    sqlite3_finalize(s);
    pthread_mutex_unlock(&st->rmu);
    return rc;
}
