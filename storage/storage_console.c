/* SPDX-License-Identifier: Apache-2.0 */
/*
 * storage_console.c - console output captured over Serial-over-LAN (schema
 * v4): one row per line, written by the writer like everything else (an
 * alert raised by a line rides on the same message), read by
 * `ipmi-collector console-log` and GET /api/v1/targets/NAME/console.
 * Kept for the raw-sample retention: consoles can be chatty.
 */
#include "storage_int.h"

#include <stdio.h>
#include <string.h>

#include "ic_err.h"

int
storage_put_console(struct storage *st, const char *target, const struct storage_console_line *v,
                    size_t n, const struct storage_alert *a, size_t na)
{
    struct storage_pack k;
    if (!st || !target || st->o.read_only || (!n && !na))
        return IC_EINVAL;
    size_t extra = storage_str_size(target) + n * sizeof(*v) + 16 + storage_alerts_size(a, na);
    for (size_t i = 0; i < n; i++)
        extra += storage_str_size(v[i].text);
    struct storage_msg *m = storage_msg_new(SMSG_CONSOLE, extra, &k);
    if (!m)
        return IC_ENOMEM;
    m->target = storage_pack_str(&k, target);
    m->ts = n ? v[0].ts_unix_ms : 0;
    struct storage_console_line *c = n ? storage_pack_take(&k, n * sizeof(*c)) : NULL;
    for (size_t i = 0; i < n; i++) {
        c[i].ts_unix_ms = v[i].ts_unix_ms;
        c[i].text = storage_pack_str(&k, v[i].text);
    }
    m->con = c;
    m->n = n;
    m->nrows = n + na;
    storage_alerts_copy(m, &k, a, na);
    return storage_msg_push(st, m);
}

int
storage_apply_console(struct storage *st, const struct storage_msg *m, sqlite3_int64 tid)
{
    int rc;
    sqlite3_stmt *s = storage_stmt_cached(
        st, &st->console_stmt, "INSERT INTO console(target_id, ts, line) VALUES(?1, ?2, ?3)", &rc);
    if (!s)
        return rc;
    for (size_t i = 0; i < m->n; i++) {
        sqlite3_bind_int64(s, 1, tid);
        sqlite3_bind_int64(s, 2, (sqlite3_int64)m->con[i].ts_unix_ms);
        sqlite3_bind_text(s, 3, m->con[i].text, -1, SQLITE_STATIC);
        rc = sqlite3_step(s);
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
        if (rc != SQLITE_DONE)
            return rc;
    }
    return SQLITE_OK;
}

static const char console_sql[] =
    "SELECT t.name AS target, strftime('%Y-%m-%dT%H:%M:%fZ', c.ts / 1000.0, 'unixepoch') AS time, "
    "c.line AS line, c.id AS id "
    "FROM console c JOIN targets t ON t.id = c.target_id "
    "WHERE (?1 IS NULL OR t.name = ?1) "
    "AND (?2 IS NULL OR instr(lower(c.line), lower(?2)) > 0) "
    "AND c.ts >= ?3 AND c.id > ?4 ORDER BY c.id LIMIT ?5";

int
storage_query_console(struct storage *st, const struct storage_filter *f, enum storage_format fmt,
                      FILE *fp)
{
    static const struct storage_filter none;
    sqlite3_stmt *s = NULL;
    if (!f)
        f = &none;
    pthread_mutex_lock(&st->rmu);
    int rc = storage_read_prepare(st, console_sql, &s);
    if (rc == 0) {
        if (f->target)
            sqlite3_bind_text(s, 1, f->target, -1, SQLITE_STATIC);
        if (f->grep)
            sqlite3_bind_text(s, 2, f->grep, -1, SQLITE_STATIC);
        storage_bind_window(s, 3, f);
        if (fmt != STORAGE_TEXT) {
            rc = storage_print_stmt(st, s, 0, fmt, fp);
        } else {
            /* Text: the console as it was, each line after its time (and target, for a fleet). */
            int src;
            while ((src = sqlite3_step(s)) == SQLITE_ROW) {
                if (!f->target)
                    fprintf(fp, "%s ", (const char *)sqlite3_column_text(s, 0));
                fprintf(fp, "%s %s\n", (const char *)sqlite3_column_text(s, 1),
                        (const char *)sqlite3_column_text(s, 2));
            }
            if (src != SQLITE_DONE) {
                const char *what;
                rc = storage_sqlite_err(src, &what);
                storage_seterr(st, "database %s: %s (%s)", st->path, what, sqlite3_errmsg(st->rdb));
            }
        }
    }
    sqlite3_finalize(s);
    pthread_mutex_unlock(&st->rmu);
    return rc;
}
