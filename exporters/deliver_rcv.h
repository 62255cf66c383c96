/* SPDX-License-Identifier: Apache-2.0 */
/*
 * deliver_rcv.h - private to exporters/: the delivery thread's receivers (a
 * copy of each exp_receiver plus its state and counters) and the rows it has
 * sent and not yet seen committed (deliver_rcv.c). Used only on the delivery
 * thread (deliver.c), so nothing here is locked.
 */
#ifndef IC_DELIVER_RCV_H
#define IC_DELIVER_RCV_H

#include <stddef.h>
#include <stdint.h>

#include "exporters.h"
#include "log.h"

struct storage_outbox_item;

/* A row this thread sent and has not yet seen committed. */
struct track {
    int64_t id;
    unsigned attempts;
    uint64_t created_at;
    int inflight;
};

struct rcv {
    /* settings (replaced in place by a reload) */
    char *name;
    enum exp_receiver_type type;
    char *url; /* alertmanager: <base>/api/v2/alerts */
    struct secret *secret;
    char **headers; /* "Name: value" */
    size_t nheaders;
    char *ca_file;
    int tls_verify;
    uint64_t timeout_ms, max_age_ms, resend_ms;
    unsigned max_concurrency;
    /* state */
    unsigned inflight;         /* outbox transfers */
    unsigned resending;        /* re-send transfers */
    int want_resend;           /* a re-send is due: start no outbox transfer */
    uint64_t next_resend_mono; /* 0: at the first tick */
    struct track *tr;
    size_t ntr, captr;
    struct log_limit ll_fail, ll_dead;
    uint64_t sent, failed, retried, dead;
    int removed;
};

/* A copy of x (defaults filled in: timeout 10 s, concurrency 4, max_age 24 h, resend 1 min). */
struct rcv *dlv_rcv_new(const struct exp_receiver *x);
/* NULL is a no-op. */
void dlv_rcv_free(struct rcv *r);
void dlv_rcvs_free(struct rcv **v, size_t n);
/* Copies of v[0..n) into a new array *out (NULL when n is 0). 0 or IC_ENOMEM. */
int dlv_rcvs_copy(const struct exp_receiver *v, size_t n, struct rcv ***out);
/* Moves src's settings into dst (whose state and counters stay) and frees src. */
void dlv_rcv_take_settings(struct rcv *dst, struct rcv *src);

/* The entry of row id, or NULL. */
struct track *dlv_track_find(struct rcv *r, int64_t id);
/* Forgets t (the last entry moves into its place). */
void dlv_track_del(struct rcv *r, struct track *t);
/* Remembers it as in flight (at the end of r->tr). 0 or IC_ENOMEM. */
int dlv_track_add(struct rcv *r, const struct storage_outbox_item *it);
/*
 * Given the due rows v[0..n) just read: sets skip[k] for the rows in flight
 * or reported and not yet committed, and forgets the entries whose outcome
 * the rows show committed. truncated: the read hit its limit.
 */
void dlv_track_reconcile(struct rcv *r, const struct storage_outbox_item *v, size_t n,
                         int truncated, char *skip);

#endif
