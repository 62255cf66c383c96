/* SPDX-License-Identifier: Apache-2.0 */
/*
 * storage_query.c - the fleet questions of `ipmi-collector inventory` and
 * `query`: SQL over the read connection, printed as an aligned text table,
 * JSON (an array of objects) or CSV.
 *
 * Formatting happens in SQL (strftime for ISO 8601 UTC, CASE for state
 * words), so that an inventory --where compares exactly what is printed.
 * JSON and CSV stream row by row; the text table buffers its cells to size
 * the columns (bounded by TABLE_MAX_CELLS).
 */
#include "storage_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ic_err.h"

#define TABLE_MAX_CELLS (16u * 1024 * 1024)
#define ISO_FMT         "'%Y-%m-%dT%H:%M:%SZ'"

struct table {
    enum storage_format fmt;
    FILE *fp;
    int ncol;
    uint32_t json_cols; /* bit i: column i holds JSON text (printed raw in JSON) */
    size_t nrows;
    char **cells; /* text: every cell, row-major; NULL = no value */
    size_t ncells, cap;
};

static void
json_string(FILE *fp, const char *s)
{
    fputc('"', fp);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(fp, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", fp);
        else if (*p < 0x20)
            fprintf(fp, "\\u%04x", *p);
        else
            fputc(*p, fp);
    }
    fputc('"', fp);
}

static void
csv_field(FILE *fp, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, fp);
        return;
    }
    fputc('"', fp);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', fp);
        fputc(*s, fp);
    }
    fputc('"', fp);
}

/* The text of column i of the current row in buf (or the statement's own). NULL = no value. */
static const char *
cell(sqlite3_stmt *s, int i, char *buf, size_t len)
{
    switch (sqlite3_column_type(s, i)) {
    case SQLITE_NULL:
        return NULL;
    case SQLITE_INTEGER:
        snprintf(buf, len, "%lld", (long long)sqlite3_column_int64(s, i));
        return buf;
    case SQLITE_FLOAT:
        snprintf(buf, len, "%.10g", sqlite3_column_double(s, i));
        return buf;
    default:
        return (const char *)sqlite3_column_text(s, i);
    }
}

static int
table_keep(struct table *t, const char *v)
{
    if (t->ncells == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 256;
        if (cap > TABLE_MAX_CELLS)
            return IC_ETOOBIG;
        char **c = realloc(t->cells, cap * sizeof(*c));
        if (!c)
            return IC_ENOMEM;
        t->cells = c;
        t->cap = cap;
    }
    char *d = NULL;
    if (v && !(d = strdup(v)))
        return IC_ENOMEM;
    t->cells[t->ncells++] = d;
    return 0;
}

static int
table_row(struct table *t, sqlite3_stmt *s)
{
    char buf[64];
    if (t->fmt == STORAGE_TEXT) {
        for (int i = 0; i < t->ncol; i++) {
            int rc = table_keep(t, cell(s, i, buf, sizeof(buf)));
            if (rc)
                return rc;
        }
        t->nrows++;
        return 0;
    }
    if (t->fmt == STORAGE_CSV) {
        if (t->nrows == 0) {
            for (int i = 0; i < t->ncol; i++) {
                if (i)
                    fputc(',', t->fp);
                csv_field(t->fp, sqlite3_column_name(s, i));
            }
            fputs("\r\n", t->fp);
        }
        for (int i = 0; i < t->ncol; i++) {
            const char *v = cell(s, i, buf, sizeof(buf));
            if (i)
                fputc(',', t->fp);
            if (v)
                csv_field(t->fp, v);
        }
        fputs("\r\n", t->fp);
        t->nrows++;
        return 0;
    }
    fputs(t->nrows ? ",\n  {" : "[\n  {", t->fp);
    for (int i = 0; i < t->ncol; i++) {
        int ty = sqlite3_column_type(s, i);
        const char *v = cell(s, i, buf, sizeof(buf));
        if (i)
            fputs(", ", t->fp);
        json_string(t->fp, sqlite3_column_name(s, i));
        fputs(": ", t->fp);
        if (!v)
            fputs("null", t->fp);
        else if (ty == SQLITE_INTEGER || ty == SQLITE_FLOAT || (t->json_cols >> i & 1))
            fputs(v, t->fp);
        else
            json_string(t->fp, v);
    }
    fputc('}', t->fp);
    t->nrows++;
    return 0;
}

/* The end of the table; text: the buffered cells, aligned. */
static void
table_end(struct table *t, sqlite3_stmt *s)
{
    if (t->fmt == STORAGE_JSON) {
        fputs(t->nrows ? "\n]\n" : "[]\n", t->fp);
        return;
    }
    if (t->fmt == STORAGE_CSV) {
        if (t->nrows == 0) {
            for (int i = 0; i < t->ncol; i++) {
                if (i)
                    fputc(',', t->fp);
                csv_field(t->fp, sqlite3_column_name(s, i));
            }
            fputs("\r\n", t->fp);
        }
        return;
    }
    size_t w[32] = {0};
    for (int i = 0; i < t->ncol; i++)
        w[i] = strlen(sqlite3_column_name(s, i));
    for (size_t r = 0; r < t->nrows; r++)
        for (int i = 0; i < t->ncol; i++) {
            const char *v = t->cells[r * (size_t)t->ncol + (size_t)i];
            size_t n = v ? strlen(v) : 1;
            if (n > w[i])
                w[i] = n;
        }
    for (size_t r = 0; r <= t->nrows; r++) {
        for (int i = 0; i < t->ncol; i++) {
            const char *v = r == 0 ? sqlite3_column_name(s, i)
                                   : t->cells[(r - 1) * (size_t)t->ncol + (size_t)i];
            if (!v)
                v = "-";
            if (i + 1 == t->ncol)
                fprintf(t->fp, "%s\n", v);
            else
                fprintf(t->fp, "%-*s | ", (int)w[i], v);
        }
    }
}

static void
table_free(struct table *t)
{
    for (size_t i = 0; i < t->ncells; i++)
        free(t->cells[i]);
    free(t->cells);
}

/* Runs a prepared statement and prints its rows. 0 or IC_E*. */
int
storage_print_stmt(struct storage *st, sqlite3_stmt *s, uint32_t json_cols, enum storage_format fmt,
                   FILE *fp)
{
    struct table t = {.fmt = fmt, .fp = fp, .json_cols = json_cols};
    int rc = 0, src;
    t.ncol = sqlite3_column_count(s);
    if (t.ncol > 32)
        t.ncol = 32;
    while ((src = sqlite3_step(s)) == SQLITE_ROW && rc == 0)
        rc = table_row(&t, s);
    if (rc == 0 && src != SQLITE_DONE) {
        const char *what;
        rc = storage_sqlite_err(src, &what);
        storage_seterr(st, "database %s: %s (%s)", st->path, what, sqlite3_errmsg(st->rdb));
    } else if (rc) {
        storage_seterr(st, "database %s: result too large to print as a table; use --json or --csv",
                       st->path);
    }
    if (rc == 0)
        table_end(&t, s);
    table_free(&t);
    return rc;
}

int
storage_read_prepare(struct storage *st, const char *sql, sqlite3_stmt **s)
{
    int src = sqlite3_prepare_v2(st->rdb, sql, -1, s, NULL);
    if (src != SQLITE_OK) {
        const char *what;
        int e = storage_sqlite_err(src, &what);
        storage_seterr(st, "database %s: %s (%s)", st->path, what, sqlite3_errmsg(st->rdb));
        return e;
    }
    return 0;
}

static sqlite3_int64
since(const struct storage_filter *f)
{
    return f && f->since_unix_ms < (uint64_t)INT64_MAX ? (sqlite3_int64)f->since_unix_ms : 0;
}

void
storage_bind_window(sqlite3_stmt *s, int first, const struct storage_filter *f)
{
    sqlite3_bind_int64(s, first, since(f));
    sqlite3_bind_int64(s, first + 1, f->after_id > 0 ? f->after_id : 0);
    sqlite3_bind_int64(s, first + 2, f->limit ? (sqlite3_int64)f->limit : -1);
}

/* Output columns of the inventory; --where may name any of them. */
static const char *const inv_cols[] = {
    "name",         "address",         "configured",     "state",        "last_seen",
    "manufacturer", "manufacturer_id", "product_id",     "firmware",     "ipmi_version",
    "guid",         "board_serial",    "product_serial", "product_name", "labels",
    "last_error",
};

int
storage_query_inventory(struct storage *st, const struct storage_filter *f, enum storage_format fmt,
                        FILE *fp)
{
    static const struct storage_filter none;
    char *sql = NULL;
    size_t len = 0;
    sqlite3_stmt *s = NULL;
    int rc, bind = 1;
    FILE *m;
    if (!f)
        f = &none;
    for (size_t i = 0; i < f->nwhere; i++) {
        size_t k = 0, n = sizeof(inv_cols) / sizeof(inv_cols[0]);
        while (k < n && strcmp(inv_cols[k], f->where[i].name) != 0)
            k++;
        if (k == n) {
            storage_seterr(
                st,
                "no inventory column '%s' (columns: name, address, configured, "
                "state, last_seen, manufacturer, manufacturer_id, product_id, firmware, "
                "ipmi_version, guid, board_serial, product_serial, product_name, labels, "
                "last_error)",
                f->where[i].name);
            return IC_ECONFIG;
        }
    }
    if (!(m = open_memstream(&sql, &len)))
        return IC_ENOMEM;
    fprintf(m,
            "SELECT * FROM (SELECT t.name AS name, "
            "CASE WHEN t.host IS NULL THEN NULL ELSE t.host || ':' || t.port END AS address, "
            "CASE WHEN t.configured THEN 'yes' ELSE 'no' END AS configured, t.state AS state, "
            "strftime(%s, nullif(max(coalesce(t.last_seen, 0), coalesce((SELECT max(w.ts) "
            "FROM sweeps w WHERE w.target_id = t.id), 0)), 0) / 1000, 'unixepoch') AS last_seen, "
            "coalesce(i.product_mfg, i.board_mfg) AS manufacturer, "
            "i.manufacturer_id AS manufacturer_id, i.product_id AS product_id, "
            "i.firmware AS firmware, i.ipmi_version AS ipmi_version, i.guid AS guid, "
            "i.board_serial AS board_serial, i.product_serial AS product_serial, "
            "i.product_name AS product_name, %s AS labels, "
            "nullif(t.last_error, '') AS last_error "
            "FROM targets t LEFT JOIN inventory i ON i.target_id = t.id WHERE 1",
            ISO_FMT,
            fmt == STORAGE_JSON ? "t.labels"
                                : "(SELECT group_concat(key || '=' || value, ',') "
                                  "FROM json_each(t.labels))");
    for (size_t i = 0; i < f->nlabels; i++)
        fputs(" AND EXISTS (SELECT 1 FROM json_each(t.labels) WHERE key = ? AND value = ?)", m);
    if (f->target)
        fputs(" AND t.name = ?", m);
    fputs(") WHERE 1", m);
    for (size_t i = 0; i < f->nwhere; i++)
        fprintf(m, " AND CAST(\"%s\" AS TEXT) IS ?", f->where[i].name); /* name checked above */
    fputs(" ORDER BY name", m);
    if (fclose(m) != 0 || !sql) {
        free(sql);
        return IC_ENOMEM;
    }
    pthread_mutex_lock(&st->rmu);
    rc = storage_read_prepare(st, sql, &s);
    if (rc == 0) {
        for (size_t i = 0; i < f->nlabels; i++) {
            sqlite3_bind_text(s, bind++, f->labels[i].name, -1, SQLITE_STATIC);
            sqlite3_bind_text(s, bind++, f->labels[i].value, -1, SQLITE_STATIC);
        }
        if (f->target)
            sqlite3_bind_text(s, bind++, f->target, -1, SQLITE_STATIC);
        for (size_t i = 0; i < f->nwhere; i++)
            sqlite3_bind_text(s, bind++, f->where[i].value, -1, SQLITE_STATIC);
        rc = storage_print_stmt(st, s, 1u << 14, fmt, fp); /* labels: column 14 */
    }
    sqlite3_finalize(s);
    pthread_mutex_unlock(&st->rmu);
    free(sql);
    return rc;
}

static const char sensor_sql[] =
    "WITH ids AS (SELECT s.id, s.target_id FROM sensors s JOIN targets t ON t.id = s.target_id "
    "WHERE t.name = ?1 AND s.name = ?2) "
    "SELECT time, kind, value, \"min\", \"max\", count, state, states FROM ("
    "SELECT d.period_start AS t, 0 AS o, "
    "strftime(" ISO_FMT ", d.period_start / 1000, 'unixepoch') AS time, "
    "'downsampled' AS kind, d.\"avg\" AS value, d.\"min\" AS \"min\", d.\"max\" AS \"max\", "
    "d.count AS count, NULL AS state, NULL AS states "
    "FROM samples_ds d WHERE d.sensor_id IN (SELECT id FROM ids) AND d.period_start >= ?3 "
    "UNION ALL "
    "SELECT w.ts, 1, strftime(" ISO_FMT ", w.ts / 1000, 'unixepoch'), 'raw', "
    "ic_sample(w.data, i.id, 1), NULL, NULL, NULL, "
    "CASE ic_sample(w.data, i.id, 2) WHEN 1 THEN 'ok' WHEN 2 THEN 'warning' "
    "WHEN 3 THEN 'critical' WHEN 4 THEN 'non-recoverable' END, "
    "CASE WHEN ic_sample(w.data, i.id, 3) THEN printf('0x%04x', ic_sample(w.data, i.id, 3)) END "
    "FROM ids i JOIN sweeps w ON w.target_id = i.target_id "
    "WHERE w.ts >= ?3 AND ic_sample(w.data, i.id, 0)) "
    "ORDER BY t, o";

int
storage_query_sensor(struct storage *st, const struct storage_filter *f, enum storage_format fmt,
                     FILE *fp)
{
    sqlite3_stmt *s = NULL;
    int rc;
    if (!f || !f->target || !f->sensor)
        return IC_EINVAL;
    pthread_mutex_lock(&st->rmu);
    rc = storage_read_prepare(st,
                              "SELECT 1 FROM sensors s JOIN targets t ON t.id = s.target_id "
                              "WHERE t.name = ?1 AND s.name = ?2",
                              &s);
    if (rc == 0) {
        sqlite3_bind_text(s, 1, f->target, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, f->sensor, -1, SQLITE_STATIC);
        int src = sqlite3_step(s);
        if (src == SQLITE_DONE) {
            storage_seterr(st, "target '%s' has no stored sensor named '%s'", f->target, f->sensor);
            rc = 1;
        } else if (src != SQLITE_ROW) {
            const char *what;
            rc = storage_sqlite_err(src, &what);
            storage_seterr(st, "database %s: %s", st->path, what);
        }
    }
    sqlite3_finalize(s);
    s = NULL;
    if (rc == 0)
        rc = storage_read_prepare(st, sensor_sql, &s);
    if (rc == 0) {
        sqlite3_bind_text(s, 1, f->target, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, f->sensor, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 3, since(f));
        rc = storage_print_stmt(st, s, 0, fmt, fp);
    }
    sqlite3_finalize(s);
    pthread_mutex_unlock(&st->rmu);
    return rc;
}

static const char sel_sql[] =
    "SELECT t.name AS target, "
    "strftime(" ISO_FMT ", e.stored_at / 1000, 'unixepoch') AS stored_at, "
    "CASE WHEN e.timestamp >= 536870912 AND e.timestamp < 4294967295 "
    "THEN strftime(" ISO_FMT ", e.timestamp, 'unixepoch') END AS timestamp, "
    "e.record_id AS record_id, "
    "CASE e.severity WHEN 1 THEN 'ok' WHEN 2 THEN 'warning' WHEN 3 THEN 'critical' "
    "WHEN 4 THEN 'non-recoverable' END AS severity, "
    "nullif(e.sensor, '') AS sensor, e.event AS event, "
    "nullif(e.detail, '') AS detail, lower(hex(e.raw)) AS raw, e.id AS id "
    "FROM sel e JOIN targets t ON t.id = e.target_id "
    "WHERE (?1 IS NULL OR t.name = ?1) "
    "AND (?2 IS NULL OR "
    "instr(lower(e.sensor || ' ' || e.event || ' ' || e.detail), lower(?2)) > 0) "
    "AND e.severity >= ?3 AND e.stored_at >= ?4 AND e.id > ?5 "
    "ORDER BY e.stored_at, e.id LIMIT ?6";

int
storage_query_sel(struct storage *st, const struct storage_filter *f, enum storage_format fmt,
                  FILE *fp)
{
    static const struct storage_filter none;
    sqlite3_stmt *s = NULL;
    int rc;
    if (!f)
        f = &none;
    pthread_mutex_lock(&st->rmu);
    rc = storage_read_prepare(st, sel_sql, &s);
    if (rc == 0) {
        if (f->target)
            sqlite3_bind_text(s, 1, f->target, -1, SQLITE_STATIC);
        if (f->grep)
            sqlite3_bind_text(s, 2, f->grep, -1, SQLITE_STATIC);
        sqlite3_bind_int(s, 3, f->min_severity);
        storage_bind_window(s, 4, f);
        rc = storage_print_stmt(st, s, 0, fmt, fp);
    }
    sqlite3_finalize(s);
    pthread_mutex_unlock(&st->rmu);
    return rc;
}

int
storage_query_states(struct storage *st, const struct storage_filter *f, enum storage_format fmt,
                     FILE *fp)
{
    static const struct storage_filter none;
    sqlite3_stmt *s = NULL;
    int rc;
    if (!f)
        f = &none;
    pthread_mutex_lock(&st->rmu);
    rc = storage_read_prepare(
        st,
        "SELECT t.name AS target, "
        "strftime(" ISO_FMT ", l.ts / 1000, 'unixepoch') AS time, l.state AS state, "
        "nullif(l.error, '') AS error "
        "FROM state_log l JOIN targets t ON t.id = l.target_id "
        "WHERE (?1 IS NULL OR t.name = ?1) AND l.ts >= ?2 ORDER BY l.ts, l.rowid",
        &s);
    if (rc == 0) {
        if (f->target)
            sqlite3_bind_text(s, 1, f->target, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 2, since(f));
        rc = storage_print_stmt(st, s, 0, fmt, fp);
    }
    sqlite3_finalize(s);
    pthread_mutex_unlock(&st->rmu);
    return rc;
}

int
storage_query_outbox(struct storage *st, const struct storage_filter *f, enum storage_format fmt,
                     FILE *fp)
{
    static const struct storage_filter none;
    sqlite3_stmt *s = NULL;
    int rc;
    if (!f)
        f = &none;
    pthread_mutex_lock(&st->rmu);
    rc = storage_read_prepare(
        st,
        "SELECT o.id AS id, t.name AS target, o.receiver AS receiver, o.state AS state, "
        "o.attempts AS attempts, "
        "strftime(" ISO_FMT ", o.created_at / 1000, 'unixepoch') AS queued, "
        "strftime(" ISO_FMT ", o.next_at / 1000, 'unixepoch') AS next_try, "
        "a.kind AS kind, a.status AS status, a.severity AS severity, "
        "a.summary AS summary, nullif(o.last_error, '') AS last_error, a.key AS key "
        "FROM outbox o JOIN alerts a ON a.id = o.alert_id "
        "JOIN targets t ON t.id = o.target_id "
        "WHERE (?1 IS NULL OR t.name = ?1) AND (?2 IS NULL OR o.state = ?2) "
        "ORDER BY o.id",
        &s);
    if (rc == 0) {
        if (f->target)
            sqlite3_bind_text(s, 1, f->target, -1, SQLITE_STATIC);
        if (f->grep)
            sqlite3_bind_text(s, 2, f->grep, -1, SQLITE_STATIC);
        rc = storage_print_stmt(st, s, 0, fmt, fp);
    }
    sqlite3_finalize(s);
    pthread_mutex_unlock(&st->rmu);
    return rc;
}
