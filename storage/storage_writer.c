/* SPDX-License-Identifier: Apache-2.0 */
/*
 * storage_writer.c - the writer thread: the only user of the write connection.
 *
 * It pops messages from the queue into pending[] and commits them in
 * transactions of up to STORAGE_BATCH_ROWS rows, at the latest STORAGE_TICK_MS
 * after the first one arrived. A transaction that fails for a reason that may
 * pass (disk full, I/O error, busy) is rolled back and its messages stay in
 * pending[], to be retried on the next tick: a disk that recovers gets all of
 * them. pending[] holds at most queue_cap messages; beyond that the oldest
 * samples go first (the next sweep replaces them), then state changes, and SEL,
 * cursor, SDR and inventory messages only when nothing else is left.
 * A message that fails on its own merits (a constraint, a bug) is dropped so it
 * cannot block the rest forever.
 *
 * Control messages (flush, retention, stop) are handled between transactions,
 * after everything queued before them has been tried.
 */
#include "storage_int.h"

#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "ic_err.h"
#include "queue.h"

#define POP_MAX 256

static int
transient(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_NOMEM:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PROTOCOL:
        return 1;
    default:
        return 0;
    }
}

static void
pending_remove(struct storage *st, size_t i, size_t n)
{
    memmove(&st->pending[i], &st->pending[i + n], (st->npending - i - n) * sizeof(*st->pending));
    st->npending -= n;
}

/* Index of the oldest pending message of kind, or npending. */
static size_t
oldest_of(const struct storage *st, enum storage_msg_kind kind)
{
    size_t i = 0;
    /* A message carrying alerts is never given up: an alert must not be lost. */
    while (i < st->npending && (st->pending[i]->kind != kind || st->pending[i]->nalerts))
        i++;
    return i;
}

static void
drop_msg(struct storage *st, struct storage_msg *m)
{
    storage_msg_free(m);
    storage_count(st, &st->stats.dropped, 1);
}

static void
pending_add(struct storage *st, struct storage_msg *m)
{
    if (st->npending == st->pending_cap) {
        static const enum storage_msg_kind order[] = {SMSG_SAMPLES, SMSG_STATE};
        size_t i = st->npending;
        for (size_t k = 0; k < sizeof(order) / sizeof(order[0]) && i == st->npending; k++)
            i = oldest_of(st, order[k]);
        if (i == st->npending) {
            /* Only SEL, SDR, inventory and targets kept: nothing cheap to give up. */
            drop_msg(st, m);
            return;
        }
        drop_msg(st, st->pending[i]);
        pending_remove(st, i, 1);
    }
    st->pending[st->npending++] = m;
}

static void
rollback(struct storage *st)
{
    /* SQLite may already have rolled back (SQLITE_FULL can do that). */
    if (!sqlite3_get_autocommit(st->wdb))
        storage_exec(st->wdb, "ROLLBACK");
    storage_sids_clear(st); /* ids written in the lost transaction are gone */
}

static void
note_failure(struct storage *st, int src)
{
    const char *what;
    storage_sqlite_err(src, &what);
    storage_count(st, &st->stats.write_errors, 1);
    storage_seterr(st, "database %s: %s; %zu messages kept, retrying", st->path, what,
                   st->npending);
    log_limit_fail(&st->fail_limit, clock_mono_ms(), LOG_LVL_ERR,
                   "database %s: %s; %zu messages kept, retrying", st->path, what, st->npending);
    st->failing = 1;
}

/*
 * One transaction over the oldest pending messages. Returns 1 if it
 * committed, 0 if a bad message was dropped (try again), -1 on a transient
 * failure (the messages stay).
 */
static int
commit_one(struct storage *st)
{
    size_t k = 0, rows = 0;
    int src = storage_exec(st->wdb, "BEGIN IMMEDIATE");
    while (src == SQLITE_OK && k < st->npending &&
           (k == 0 || rows + st->pending[k]->nrows <= STORAGE_BATCH_ROWS)) {
        src = storage_apply(st, st->pending[k]);
        if (src == SQLITE_OK)
            rows += st->pending[k++]->nrows;
    }
    if (src == SQLITE_OK)
        src = storage_exec(st->wdb, "COMMIT");
    if (src == SQLITE_OK) {
        for (size_t i = 0; i < k; i++)
            storage_msg_free(st->pending[i]);
        pending_remove(st, 0, k);
        pthread_mutex_lock(&st->stmu);
        st->stats.transactions++;
        st->stats.rows_written += rows;
        pthread_mutex_unlock(&st->stmu);
        return 1;
    }
    const char *errtext = sqlite3_errmsg(st->wdb);
    char why[256];
    snprintf(why, sizeof(why), "%s", errtext ? errtext : "?");
    rollback(st);
    if (transient(src) || k >= st->npending) {
        note_failure(st, src);
        return -1;
    }
    /* pending[k] itself is at fault: drop it, keep the others. */
    log_err("database %s: dropping one %s message that cannot be stored: %s", st->path,
            st->pending[k]->kind == SMSG_SAMPLES ? "samples" : "storage", why);
    storage_seterr(st, "database %s: a message could not be stored: %s", st->path, why);
    storage_count(st, &st->stats.write_errors, 1);
    drop_msg(st, st->pending[k]);
    pending_remove(st, k, 1);
    return 0;
}

/* Commits everything pending. 0, or IC_EIO when some messages had to stay. */
static int
commit_all(struct storage *st)
{
    while (st->npending) {
        if (commit_one(st) < 0)
            return IC_EIO;
    }
    if (st->failing) {
        st->failing = 0;
        log_limit_ok(&st->fail_limit, LOG_LVL_INFO,
                     "database %s: writes succeed again; kept messages committed", st->path);
    }
    return 0;
}

static void
reply(struct storage_msg *m, int rc)
{
    struct storage_waiter *w = m->u.ctl.w;
    m->u.ctl.w = NULL;
    if (w) {
        pthread_mutex_lock(&w->mu);
        w->rc = rc;
        w->done = 1;
        pthread_cond_signal(&w->cv);
        pthread_mutex_unlock(&w->mu);
    }
    storage_msg_free(m);
}

static int
set_max_pages(struct storage *st, uint64_t pages)
{
    char sql[64];
    /* 0 lifts the cap: SQLite's default maximum. */
    snprintf(sql, sizeof(sql), "PRAGMA max_page_count=%llu",
             (unsigned long long)(pages ? pages : 4294967294ull));
    return storage_exec(st->wdb, sql) == SQLITE_OK ? 0 : IC_EIO;
}

/* Handles a control message; returns 1 when it was STOP (answered later). */
static int
control(struct storage *st, struct storage_msg *m, struct storage_msg **stop)
{
    int rc = commit_all(st);
    switch (m->u.ctl.kind) {
    case SCTL_FLUSH:
        reply(m, rc);
        return 0;
    case SCTL_RETENTION:
        reply(m, rc ? rc : storage_retention_run(st, m->u.ctl.arg));
        return 0;
    case SCTL_MAX_PAGES:
        reply(m, set_max_pages(st, m->u.ctl.arg));
        return 0;
    case SCTL_STOP:
    default:
        *stop = m;
        return 1;
    }
}

/* Pops what is queued; returns 1 when a STOP came. *batch_due: when the pending batch commits. */
static int
take_queued(struct storage *st, struct storage_msg **stop, uint64_t *batch_due)
{
    void *buf[POP_MAX];
    size_t n;
    int stopping = 0;
    while ((n = queue_pop_many(st->q, buf, POP_MAX)) > 0) {
        for (size_t i = 0; i < n; i++) {
            struct storage_msg *m = buf[i];
            if (m->kind == SMSG_CTL) {
                if (stopping) {
                    reply(m, IC_ECANCELED);
                    continue;
                }
                stopping = control(st, m, stop);
                continue;
            }
            uint64_t due =
                clock_mono_ms() + (storage_msg_prompt(m) ? STORAGE_PROMPT_MS : STORAGE_BATCH_MS);
            if (!st->npending || due < *batch_due)
                *batch_due = due;
            pending_add(st, m);
        }
        size_t rows = 0;
        for (size_t i = 0; i < st->npending && rows < STORAGE_BATCH_ROWS; i++)
            rows += st->pending[i]->nrows;
        if (rows >= STORAGE_BATCH_ROWS && !st->failing)
            commit_all(st);
    }
    return stopping;
}

void
storage_writer_drain(struct storage *st)
{
    struct storage_msg *stop = NULL;
    uint64_t start = 0;
    take_queued(st, &stop, &start);
    if (commit_all(st) != 0)
        log_err("database %s: %zu messages could not be stored at shutdown", st->path,
                st->npending);
    if (stop)
        reply(stop, st->npending ? IC_EIO : 0);
}

void *
storage_writer_main(void *arg)
{
    struct storage *st = arg;
    struct storage_msg *stop = NULL;
    uint64_t batch_due = 0, retry_at = 0;
    pthread_setname_np(pthread_self(), "ic-storage");
    st->next_retention_ms = clock_mono_ms() + STORAGE_RETENTION_MS;
    while (!stop) {
        uint64_t now = clock_mono_ms();
        int timeout = STORAGE_TICK_MS;
        if (st->npending && !st->failing && batch_due > now)
            timeout = (int)(batch_due - now);
        else if (st->npending && !st->failing)
            timeout = 0;
        struct pollfd p = {.fd = queue_fd(st->q), .events = POLLIN};
        if (poll(&p, 1, timeout) > 0)
            queue_drain_fd(st->q);
        if (take_queued(st, &stop, &batch_due))
            break;
        now = clock_mono_ms();
        if (st->npending && (st->failing ? now >= retry_at : now >= batch_due)) {
            commit_all(st);
            retry_at = now + STORAGE_TICK_MS;
        }
        if (now >= st->next_retention_ms) {
            st->next_retention_ms = now + STORAGE_RETENTION_MS;
            if (!st->failing)
                storage_retention_run(st, clock_wall_ms());
        }
    }
    if (commit_all(st) != 0)
        log_err("database %s: %zu messages could not be stored at shutdown", st->path,
                st->npending);
    reply(stop, st->npending ? IC_EIO : 0);
    return NULL;
}
