/* SPDX-License-Identifier: Apache-2.0 */
/*
 * storage_int.h - private to storage/: the struct behind struct storage, the
 * messages the put functions hand to the writer thread, and the hooks tests use.
 *
 * Locking notes (struct storage):
 *   - wdb, the statement cache, pending[] and the retention clock belong to the
 *     writer thread alone (before storage_start: to the opening thread).
 *   - rdb is used under rmu by any reader thread; no lock is held across a
 *     callback, and rmu is never taken while holding stmu.
 *   - stmu guards the counters and the error message; held for a few stores only.
 */
#ifndef IC_STORAGE_INT_H
#define IC_STORAGE_INT_H

#include <pthread.h>
#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "log.h"
#include "poller.h"
#include "storage.h"

#define STORAGE_SCHEMA_VERSION 5
#define STORAGE_BATCH_ROWS     4096 /* rows per transaction: bounds WAL growth and latency */
#define STORAGE_TICK_MS        1000 /* the writer wakes at least this often */
/*
 * A batch is committed this long after its first message: readings and
 * console lines wait up to a second (one commit a second is what keeps the
 * writer cheap); everything else (SEL entries, state changes, inventory,
 * audit rows, delivery outcomes, anything carrying an alert) is committed
 * within STORAGE_PROMPT_MS.
 */
#define STORAGE_BATCH_MS     1000
#define STORAGE_PROMPT_MS    100
#define STORAGE_RETENTION_MS 60000 /* periodic retention */
#define STORAGE_LONG_FACTOR  10    /* SEL, state log, downsampled rows: 10x raw retention */
#define STORAGE_BUSY_MS      5000  /* busy_timeout on every connection */
#define STORAGE_ERR_MAX      512

enum storage_msg_kind {
    SMSG_TARGETS = 1,
    SMSG_SAMPLES,
    SMSG_SEL,
    SMSG_SDR,
    SMSG_INVENTORY,
    SMSG_STATE,
    SMSG_CTL,     /* flush, retention, stop, test hooks: handled outside transactions */
    SMSG_OUTBOX,  /* an outcome of delivery or an operator's retry/drop */
    SMSG_AUDIT,   /* an action asked through the API (storage_audit.c) */
    SMSG_CONSOLE, /* console lines captured over SOL (storage_console.c) */
};

enum storage_outbox_op { SOB_DELIVERED = 1, SOB_FAILED, SOB_RETRY, SOB_DROP };

enum storage_ctl_kind { SCTL_FLUSH = 1, SCTL_RETENTION, SCTL_MAX_PAGES, SCTL_STOP };

/* A caller waiting for the writer (flush, retention_now, test hooks). */
struct storage_waiter {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int done;
    int rc;
};

struct storage_inv {
    int has_devid, has_fru, has_guid;
    uint32_t manufacturer_id;
    uint16_t product_id;
    uint8_t device_id;
    char firmware[16];
    char ipmi_version[8];
    char guid[40];
    /* FRU text fields, as decoded */
    char board_mfg[IPMI_FRU_TEXT_MAX + 1], board_product[IPMI_FRU_TEXT_MAX + 1],
        board_serial[IPMI_FRU_TEXT_MAX + 1], board_part[IPMI_FRU_TEXT_MAX + 1];
    char product_mfg[IPMI_FRU_TEXT_MAX + 1], product_name[IPMI_FRU_TEXT_MAX + 1],
        product_serial[IPMI_FRU_TEXT_MAX + 1], product_part[IPMI_FRU_TEXT_MAX + 1],
        product_version[IPMI_FRU_TEXT_MAX + 1];
    char chassis_serial[IPMI_FRU_TEXT_MAX + 1], chassis_part[IPMI_FRU_TEXT_MAX + 1];
};

/* Copies of the caller's data; every string points into the same allocation. */
struct storage_msg {
    enum storage_msg_kind kind;
    const char *target;
    uint64_t ts;
    size_t n;     /* rows: targets, samples, SEL entries */
    size_t nrows; /* rows this message writes (for batching) */
    union {
        struct storage_target *targets; /* labels_json in tjson[i] */
        struct storage_sample *samples;
        struct storage_sel *sel;
        struct {
            uint8_t *blob;
            size_t len;
        } sdr;
        struct storage_inv *inv;
        struct {
            const char *state;
            const char *error;
        } state;
        struct {
            enum storage_ctl_kind kind;
            uint64_t arg;
            struct storage_waiter *w;
        } ctl;
    } u;
    const char **tjson;           /* SMSG_TARGETS: labels of target i as a JSON object */
    struct storage_alert *alerts; /* committed with the message (samples, SEL, state) */
    size_t nalerts;
    struct {
        enum storage_outbox_op op;
        int64_t id;
        uint64_t next_at;
        int dead;
        const char *error;
    } ob;                                   /* SMSG_OUTBOX */
    const struct storage_audit *au;         /* SMSG_AUDIT */
    const struct storage_console_line *con; /* SMSG_CONSOLE: n lines */
    int reset;
    int has_cursor;
    struct ipmi_sel_cursor cursor;
};

/* Prepared statements of the writer, prepared on first use. */
enum storage_stmt {
    SST_TARGET_ID,
    SST_TARGET_ADD,
    SST_TARGET_SEEN,
    SST_TARGET_SEEN_SWEEP,
    SST_TARGET_UPSERT,
    SST_TARGET_UNCONF,
    SST_SENSOR_GET,
    SST_SENSOR_ADD,
    SST_SENSOR_UPD,
    SST_SWEEP_PUT,
    SST_SEL_PUT,
    SST_SEL_RESET,
    SST_CURSOR_PUT,
    SST_SDR_PUT,
    SST_INV_ENSURE,
    SST_INV_DEVID,
    SST_INV_GUID,
    SST_INV_FRU,
    SST_STATE_LOG,
    SST_STATE_SET,
    SST_COUNT
};

struct storage {
    char *path;
    struct storage_opts o;
    sqlite3 *wdb; /* writer connection; NULL when read-only */
    sqlite3 *rdb; /* reader connection */
    pthread_mutex_t rmu;
    struct queue *q;
    pthread_t thr;
    int started;

    /* writer-only state */
    sqlite3_stmt *stmt[SST_COUNT];
    sqlite3_stmt *ostmt[8];       /* storage_outbox.c's */
    sqlite3_stmt *audit_stmt;     /* storage_audit.c's */
    sqlite3_stmt *console_stmt;   /* storage_console.c's */
    struct storage_msg **pending; /* kept until committed, oldest first */
    size_t npending, pending_cap;
    uint64_t next_retention_ms; /* monotonic */
    struct log_limit fail_limit;
    int failing;
    struct sids_target **sids; /* storage_sids.c: sensor ids by target id and position */
    size_t sids_n;

    /* under stmu */
    pthread_mutex_t stmu;
    struct storage_stats stats;
    char err[STORAGE_ERR_MAX];
    char errout[STORAGE_ERR_MAX];
};

/* storage.c */
void storage_seterr(struct storage *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void storage_count(struct storage *st, uint64_t *field, uint64_t add);
/* Sends a control message and waits for the writer's answer. */
int storage_ctl(struct storage *st, enum storage_ctl_kind kind, uint64_t arg);
/* Maps an SQLite result code to IC_E* and a phrase an operator can act on. */
int storage_sqlite_err(int rc, const char **what);
int storage_exec(sqlite3 *db, const char *sql);

/* storage_schema.c */
/* Brings the write connection's schema to STORAGE_SCHEMA_VERSION. */
int storage_schema_migrate(struct storage *st, char *err, size_t errlen);
/* Checks a connection's schema version for reading (read-only open). */
int storage_schema_check(sqlite3 *db, const char *path, char *err, size_t errlen);

/* storage_msg.c */
void storage_msg_free(void *m);
/* 1 if m must be committed within STORAGE_PROMPT_MS (and wake the writer). */
int storage_msg_prompt(const struct storage_msg *m);
/* Building blocks for other put functions (storage_outbox.c). */
struct storage_pack {
    char *p;
    size_t left;
};
struct storage_msg *storage_msg_new(enum storage_msg_kind kind, size_t extra,
                                    struct storage_pack *k);
void *storage_pack_take(struct storage_pack *k, size_t n);
const char *storage_pack_str(struct storage_pack *k, const char *s);
size_t storage_str_size(const char *s);
int storage_msg_push(struct storage *st, struct storage_msg *m);

/* storage_outbox.c */
/* Bytes needed to copy alerts into a message, and the copy. */
size_t storage_alerts_size(const struct storage_alert *a, size_t n);
void storage_alerts_copy(struct storage_msg *m, struct storage_pack *k,
                         const struct storage_alert *a, size_t n);
/* Inside the writer's transaction: the message's alerts, and outbox messages. */
int storage_apply_alerts(struct storage *st, const struct storage_msg *m, sqlite3_int64 tid);
int storage_apply_outbox(struct storage *st, const struct storage_msg *m);
void storage_outbox_stmts_free(struct storage *st);

/* The writer's statement in *slot, prepared on first use (persistent); NULL with *rc on failure. */
sqlite3_stmt *storage_stmt_cached(struct storage *st, sqlite3_stmt **slot, const char *sql,
                                  int *rc);
/* storage_sids.c: the writer's sensor ids, by target and sweep position; 0 = not known. */
struct sids_target;
uint64_t storage_sids_key(const struct storage_sample *v);
int64_t storage_sids_get(const struct storage *st, int64_t tid, size_t pos, uint64_t key);
void storage_sids_put(struct storage *st, int64_t tid, size_t pos, uint64_t key, int64_t id);
void storage_sids_clear(struct storage *st); /* after a rollback, and at close */

/* storage_sweeps.c: a sweep's samples packed in one row (the sweeps table's data blob). */
#define SWEEP_REC 16 /* bytes per sample */
struct sweep_rec {
    uint32_t sensor_id;
    int has_value;
    double value;
    uint8_t state;
    uint16_t states;
};
void storage_sweep_put(uint8_t *p, const struct sweep_rec *r);
void storage_sweep_get(const uint8_t *p, struct sweep_rec *r);
/* ic_sample() and ic_pack() on db (every connection: queries, retention, the migration). */
int storage_sweeps_register(sqlite3 *db);

/* storage_apply.c: one message inside the writer's open transaction; SQLite rc. */
int storage_apply(struct storage *st, const struct storage_msg *m);
void storage_stmts_free(struct storage *st);

/* storage_audit.c, storage_console.c: inside the writer's transaction. */
int storage_apply_audit(struct storage *st, const struct storage_msg *m);
int storage_apply_console(struct storage *st, const struct storage_msg *m, sqlite3_int64 tid);

/* storage_query.c: building blocks for other readers (storage_audit.c); rmu held. */
int storage_read_prepare(struct storage *st, const char *sql, sqlite3_stmt **s);
/* Binds a filter's since, after_id and limit to parameters first, first + 1, first + 2. */
void storage_bind_window(sqlite3_stmt *s, int first, const struct storage_filter *f);
int storage_print_stmt(struct storage *st, sqlite3_stmt *s, uint32_t json_cols,
                       enum storage_format fmt, FILE *fp);

/* storage_writer.c */
void *storage_writer_main(void *arg);
/* Without a thread (close before start): commits what is queued. */
void storage_writer_drain(struct storage *st);

/* storage_retention.c: runs in the writer (outside a batch). 0 or IC_E*. */
int storage_retention_run(struct storage *st, uint64_t now_unix_ms);

/* ---- test hooks ---- */
/* Caps the writer connection's database at its current size plus extra pages
   (PRAGMA max_page_count), so writes fail with SQLITE_FULL; 0 lifts the cap. */
int storage_test_set_max_pages(struct storage *st, uint64_t pages);

#endif
