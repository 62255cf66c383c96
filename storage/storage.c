/* SPDX-License-Identifier: Apache-2.0 */
/*
 * storage.c - opening and closing the database, the read connection, the
 * counters and the error message; the writer lives in storage_writer.c.
 *
 * Connections: the writer's (WAL, synchronous=NORMAL: a commit survives a
 * crash of the process, only a power loss may undo the last ones), and one
 * reader connection guarded by rmu. busy_timeout on both, so a checkpoint or
 * a CLI reading at the same moment delays instead of failing.
 */
#include "storage_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "ic_err.h"
#include "queue.h"

void
storage_seterr(struct storage *st, const char *fmt, ...)
{
    va_list ap;
    pthread_mutex_lock(&st->stmu);
    va_start(ap, fmt);
    vsnprintf(st->err, sizeof(st->err), fmt, ap);
    va_end(ap);
    pthread_mutex_unlock(&st->stmu);
}

void
storage_count(struct storage *st, uint64_t *field, uint64_t add)
{
    pthread_mutex_lock(&st->stmu);
    *field += add;
    pthread_mutex_unlock(&st->stmu);
}

int
storage_sqlite_err(int rc, const char **what)
{
    const char *w;
    int e = IC_EIO;
    switch (rc & 0xff) {
    case SQLITE_FULL:
        w = "disk full (free space on its file system)";
        break;
    case SQLITE_IOERR:
        w = "I/O error (check the disk and the kernel log)";
        break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        w = "database busy (another process holds a write lock)";
        e = IC_EBUSY;
        break;
    case SQLITE_READONLY:
    case SQLITE_PERM:
        w = "read-only (check the file's and directory's permissions)";
        break;
    case SQLITE_CANTOPEN:
        w = "cannot open (missing directory, or no permission)";
        break;
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
        w = "not an SQLite database or corrupt (move it away and restart)";
        break;
    case SQLITE_NOMEM:
        w = "out of memory";
        e = IC_ENOMEM;
        break;
    default:
        w = sqlite3_errstr(rc);
        break;
    }
    if (what)
        *what = w;
    return e;
}

int
storage_exec(sqlite3 *db, const char *sql)
{
    return sqlite3_exec(db, sql, NULL, NULL, NULL);
}

/* Opens one connection with the pragmas every connection needs. */
static int
open_conn(const char *path, int flags, sqlite3 **out, char *err, size_t errlen)
{
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, NULL);
    const char *what;
    if (rc != SQLITE_OK) {
        int e = storage_sqlite_err(rc, &what);
        snprintf(err, errlen, "database %s: %s", path, what);
        sqlite3_close(db);
        return e;
    }
    sqlite3_busy_timeout(db, STORAGE_BUSY_MS);
    sqlite3_extended_result_codes(db, 1);
    if ((rc = storage_sweeps_register(db)) != SQLITE_OK) {
        int e = storage_sqlite_err(rc, &what);
        snprintf(err, errlen, "database %s: registering functions: %s", path, what);
        sqlite3_close(db);
        return e;
    }
    *out = db;
    return 0;
}

/* The writer connection: auto_vacuum before the first table, WAL, migrations. */
static int
open_writer(struct storage *st, char *err, size_t errlen)
{
    const char *what;
    int rc = open_conn(st->path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &st->wdb, err, errlen);
    if (rc)
        return rc;
    /* Only takes effect on a file without tables: that is, when we create it. */
    int src = storage_exec(st->wdb, "PRAGMA auto_vacuum=INCREMENTAL");
    if (src == SQLITE_OK)
        src = storage_exec(st->wdb, "PRAGMA journal_mode=WAL");
    if (src == SQLITE_OK)
        src = storage_exec(st->wdb, "PRAGMA synchronous=NORMAL");
    if (src != SQLITE_OK) {
        rc = storage_sqlite_err(src, &what);
        snprintf(err, errlen, "database %s: %s", st->path, what);
        return rc;
    }
    return storage_schema_migrate(st, err, errlen);
}

int
storage_open(const char *path, const struct storage_opts *o, struct storage **out, char *err,
             size_t errlen)
{
    struct storage *st = calloc(1, sizeof(*st));
    int rc = IC_ENOMEM;
    *out = NULL;
    if (!st || !(st->path = strdup(path))) {
        snprintf(err, errlen, "database %s: out of memory", path);
        free(st);
        return IC_ENOMEM;
    }
    pthread_mutex_init(&st->rmu, NULL);
    pthread_mutex_init(&st->stmu, NULL);
    if (o)
        st->o = *o;
    if (!st->o.retention_raw_ms)
        st->o.retention_raw_ms = 7ull * 24 * 3600 * 1000;
    if (!st->o.max_db_size)
        st->o.max_db_size = 2ull << 30;
    if (!st->o.queue_cap)
        st->o.queue_cap = 65536;
    snprintf(st->err, sizeof(st->err), "no error");

    if (st->o.read_only) {
        struct stat sb;
        /* Say "no such file" rather than SQLite's generic "unable to open". */
        if (stat(path, &sb) != 0) {
            snprintf(err, errlen, "database %s: %s", path, strerror(errno));
            rc = IC_EIO;
            goto fail;
        }
        rc = open_conn(path, SQLITE_OPEN_READONLY, &st->rdb, err, errlen);
        if (rc == 0)
            rc = storage_schema_check(st->rdb, path, err, errlen);
        if (rc)
            goto fail;
        *out = st;
        return 0;
    }
    st->q = queue_new(st->o.queue_cap);
    st->pending_cap = st->o.queue_cap;
    st->pending = calloc(st->pending_cap, sizeof(*st->pending));
    if (!st->q || !st->pending) {
        snprintf(err, errlen, "database %s: out of memory", path);
        rc = IC_ENOMEM;
        goto fail;
    }
    rc = open_writer(st, err, errlen);
    if (rc == 0)
        rc = open_conn(path, SQLITE_OPEN_READWRITE, &st->rdb, err, errlen);
    if (rc)
        goto fail;
    *out = st;
    return 0;
fail:
    storage_close(st);
    return rc;
}

int
storage_start(struct storage *st, char *err, size_t errlen)
{
    if (st->o.read_only || st->started) {
        snprintf(err, errlen, "database %s: %s", st->path,
                 st->started ? "writer already started" : "opened read-only");
        return IC_EINVAL;
    }
    st->next_retention_ms = 0;
    if (pthread_create(&st->thr, NULL, storage_writer_main, st) != 0) {
        snprintf(err, errlen, "database %s: cannot start the writer thread", st->path);
        return IC_ENOMEM;
    }
    st->started = 1;
    return 0;
}

static void
pending_free(struct storage *st)
{
    for (size_t i = 0; i < st->npending; i++)
        storage_msg_free(st->pending[i]);
    st->npending = 0;
}

void
storage_close(struct storage *st)
{
    if (!st)
        return;
    if (st->started) {
        storage_ctl(st, SCTL_STOP, 0);
        pthread_join(st->thr, NULL);
        st->started = 0;
    } else if (st->wdb && st->q) {
        storage_writer_drain(st);
    }
    storage_stmts_free(st);
    storage_sids_clear(st);
    if (st->wdb) {
        /* The last connection to close checkpoints and removes the WAL. */
        sqlite3_close(st->wdb);
    }
    if (st->rdb)
        sqlite3_close(st->rdb);
    pending_free(st);
    free(st->pending);
    queue_free(st->q, storage_msg_free);
    pthread_mutex_destroy(&st->rmu);
    pthread_mutex_destroy(&st->stmu);
    free(st->path);
    free(st);
}

int
storage_ctl(struct storage *st, enum storage_ctl_kind kind, uint64_t arg)
{
    struct storage_waiter w = {.done = 0, .rc = 0};
    struct storage_msg *m;
    if (!st || !st->q)
        return IC_EINVAL;
    if (!st->started && kind != SCTL_STOP)
        return IC_EINVAL;
    m = calloc(1, sizeof(*m));
    if (!m)
        return IC_ENOMEM;
    m->kind = SMSG_CTL;
    m->u.ctl.kind = kind;
    m->u.ctl.arg = arg;
    m->u.ctl.w = &w;
    pthread_mutex_init(&w.mu, NULL);
    pthread_cond_init(&w.cv, NULL);
    /* The writer drains the queue, so a full queue frees up; never give up on STOP. */
    for (int tries = 0; queue_push(st->q, m) != 0; tries++) {
        if (tries > 400 && kind != SCTL_STOP) {
            free(m);
            pthread_cond_destroy(&w.cv);
            pthread_mutex_destroy(&w.mu);
            return IC_ETOOBIG;
        }
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    pthread_mutex_lock(&w.mu);
    while (!w.done)
        pthread_cond_wait(&w.cv, &w.mu);
    pthread_mutex_unlock(&w.mu);
    pthread_cond_destroy(&w.cv);
    pthread_mutex_destroy(&w.mu);
    return w.rc;
}

int
storage_flush(struct storage *st)
{
    return storage_ctl(st, SCTL_FLUSH, 0);
}

int
storage_retention_now(struct storage *st, uint64_t now_unix_ms)
{
    return storage_ctl(st, SCTL_RETENTION, now_unix_ms);
}

int
storage_test_set_max_pages(struct storage *st, uint64_t pages)
{
    return storage_ctl(st, SCTL_MAX_PAGES, pages);
}

static uint64_t
file_size(const char *path, const char *suffix)
{
    char p[4096];
    struct stat sb;
    snprintf(p, sizeof(p), "%s%s", path, suffix);
    return stat(p, &sb) == 0 ? (uint64_t)sb.st_size : 0;
}

void
storage_stats(struct storage *st, struct storage_stats *out)
{
    pthread_mutex_lock(&st->stmu);
    *out = st->stats;
    pthread_mutex_unlock(&st->stmu);
    /* stat(2), not SQL: a scrape never waits for the database. */
    out->db_size_bytes = file_size(st->path, "") + file_size(st->path, "-wal");
    out->queue_len = st->q ? queue_len(st->q) : 0;
}

const char *
storage_errmsg(struct storage *st)
{
    if (!st)
        return "no storage";
    pthread_mutex_lock(&st->stmu);
    memcpy(st->errout, st->err, sizeof(st->errout));
    pthread_mutex_unlock(&st->stmu);
    return st->errout;
}

/* ---- reads ---------------------------------------------------------------- */

static int
read_fail(struct storage *st, int src, const char *step)
{
    const char *what;
    int e = storage_sqlite_err(src, &what);
    storage_seterr(st, "database %s: %s: %s", st->path, step, what);
    return e;
}

int
storage_get_sdr(struct storage *st, const char *target, uint8_t **blob, size_t *len)
{
    sqlite3_stmt *s = NULL;
    int rc = 0, src;
    *blob = NULL;
    *len = 0;
    pthread_mutex_lock(&st->rmu);
    src = sqlite3_prepare_v2(st->rdb,
                             "SELECT c.blob FROM sdr_cache c JOIN targets t ON t.id = c.target_id "
                             "WHERE t.name = ?",
                             -1, &s, NULL);
    if (src == SQLITE_OK)
        src = sqlite3_bind_text(s, 1, target, -1, SQLITE_STATIC);
    if (src == SQLITE_OK)
        src = sqlite3_step(s);
    if (src == SQLITE_ROW) {
        int n = sqlite3_column_bytes(s, 0);
        const void *p = sqlite3_column_blob(s, 0);
        if (n > 0 && p) {
            *blob = malloc((size_t)n);
            if (!*blob) {
                rc = IC_ENOMEM;
            } else {
                memcpy(*blob, p, (size_t)n);
                *len = (size_t)n;
            }
        }
    } else if (src != SQLITE_DONE) {
        rc = read_fail(st, src, "reading the SDR cache");
    }
    sqlite3_finalize(s);
    pthread_mutex_unlock(&st->rmu);
    return rc;
}

int
storage_get_sel_cursor(struct storage *st, const char *target, struct ipmi_sel_cursor *out)
{
    sqlite3_stmt *s = NULL;
    int rc = 0, src;
    memset(out, 0, sizeof(*out));
    pthread_mutex_lock(&st->rmu);
    src = sqlite3_prepare_v2(st->rdb,
                             "SELECT c.valid, c.id_only, c.last_id, c.last_raw FROM sel_cursor c "
                             "JOIN targets t ON t.id = c.target_id WHERE t.name = ?",
                             -1, &s, NULL);
    if (src == SQLITE_OK)
        src = sqlite3_bind_text(s, 1, target, -1, SQLITE_STATIC);
    if (src == SQLITE_OK)
        src = sqlite3_step(s);
    if (src == SQLITE_ROW) {
        out->valid = sqlite3_column_int(s, 0);
        out->id_only = sqlite3_column_int(s, 1);
        out->last_id = (uint16_t)sqlite3_column_int(s, 2);
        if (sqlite3_column_bytes(s, 3) == 16)
            memcpy(out->last_raw, sqlite3_column_blob(s, 3), 16);
    } else if (src != SQLITE_DONE) {
        rc = read_fail(st, src, "reading the SEL cursor");
    }
    sqlite3_finalize(s);
    pthread_mutex_unlock(&st->rmu);
    return rc;
}

int
storage_sel_known(struct storage *st, const char *target)
{
    sqlite3_stmt *s = NULL;
    int known = 0;
    pthread_mutex_lock(&st->rmu);
    if (sqlite3_prepare_v2(st->rdb,
                           "SELECT 1 FROM sel_cursor c JOIN targets t ON t.id = c.target_id "
                           "WHERE t.name = ?",
                           -1, &s, NULL) == SQLITE_OK &&
        sqlite3_bind_text(s, 1, target, -1, SQLITE_STATIC) == SQLITE_OK)
        known = sqlite3_step(s) == SQLITE_ROW;
    sqlite3_finalize(s);
    pthread_mutex_unlock(&st->rmu);
    return known;
}
