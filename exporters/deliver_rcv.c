/* SPDX-License-Identifier: Apache-2.0 */
/*
 * deliver_rcv.c - the delivery thread's receivers (copied settings, state,
 * counters; a reload swaps the settings in place so counters and transfers
 * in flight carry over) and its memory of the rows it sent.
 *
 * Why remember rows: storage writes are asynchronous, so a row whose outcome
 * was reported can still read back as due until the writer commits it. An
 * entry keeps the row's id, attempts and created_at as read when it was sent:
 * while in flight the row is never sent again; once reported it is skipped
 * while it reads back unchanged, and forgotten when the commit shows
 * (attempts or created_at changed: failed, or retried by the operator; or the
 * row is no longer due: delivered, dead, dropped, or waiting for its next try).
 */
#include "deliver_rcv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ic_err.h"
#include "secret.h"
#include "storage.h"

/* ---- receivers ---------------------------------------------------------------------------- */

void
dlv_rcv_free(struct rcv *r)
{
    if (!r)
        return;
    free(r->name);
    free(r->url);
    secret_free(r->secret);
    for (size_t i = 0; i < r->nheaders; i++)
        free(r->headers[i]);
    free(r->headers);
    free(r->ca_file);
    free(r->tr);
    free(r);
}

static char *
dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

struct rcv *
dlv_rcv_new(const struct exp_receiver *x)
{
    struct rcv *r = calloc(1, sizeof(*r));
    if (!r)
        return NULL;
    r->type = x->type;
    r->tls_verify = x->tls_verify;
    r->timeout_ms = x->timeout_ms ? x->timeout_ms : 10000u;
    r->max_concurrency = x->max_concurrency ? x->max_concurrency : 4u;
    r->max_age_ms = x->max_age_ms ? x->max_age_ms : 24u * 3600u * 1000u;
    r->resend_ms = x->resend_ms ? x->resend_ms : 60000u;
    r->name = strdup(x->name ? x->name : "");
    if (x->type == EXP_RCV_ALERTMANAGER && x->url) {
        size_t n = strlen(x->url);
        while (n && x->url[n - 1] == '/')
            n--;
        if ((r->url = malloc(n + sizeof("/api/v2/alerts"))) != NULL) {
            memcpy(r->url, x->url, n);
            memcpy(r->url + n, "/api/v2/alerts", sizeof("/api/v2/alerts"));
        }
    } else {
        r->url = strdup(x->url ? x->url : "");
    }
    r->ca_file = dup_or_null(x->ca_file);
    int bad = !r->name || !r->url || (x->ca_file && !r->ca_file);
    if (!bad && x->secret &&
        !(r->secret = secret_new(secret_bytes(x->secret), secret_len(x->secret))))
        bad = 1;
    if (!bad && x->nheaders && !(r->headers = calloc(x->nheaders, sizeof(char *))))
        bad = 1;
    for (size_t i = 0; !bad && i < x->nheaders; i++) {
        const char *v = x->headers[i].value ? x->headers[i].value : "";
        size_t len = strlen(x->headers[i].name) + strlen(v) + 3;
        if (!(r->headers[i] = malloc(len))) {
            bad = 1;
            break;
        }
        r->nheaders++;
        /* "Name;" is how curl sends a header with an empty value. */
        if (*v)
            snprintf(r->headers[i], len, "%s: %s", x->headers[i].name, v);
        else
            snprintf(r->headers[i], len, "%s;", x->headers[i].name);
    }
    if (bad) {
        dlv_rcv_free(r);
        return NULL;
    }
    return r;
}

void
dlv_rcvs_free(struct rcv **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        dlv_rcv_free(v[i]);
    free(v);
}

int
dlv_rcvs_copy(const struct exp_receiver *v, size_t n, struct rcv ***out)
{
    *out = NULL;
    if (n == 0)
        return 0;
    struct rcv **a = calloc(n, sizeof(*a));
    if (!a)
        return IC_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        if (!(a[i] = dlv_rcv_new(&v[i]))) {
            dlv_rcvs_free(a, i);
            return IC_ENOMEM;
        }
    }
    *out = a;
    return 0;
}

/* Moves src's settings into dst (whose state stays) and frees src. */
void
dlv_rcv_take_settings(struct rcv *dst, struct rcv *src)
{
    struct rcv tmp = *dst;
    dst->type = src->type;
    dst->url = src->url;
    dst->secret = src->secret;
    dst->headers = src->headers;
    dst->nheaders = src->nheaders;
    dst->ca_file = src->ca_file;
    dst->tls_verify = src->tls_verify;
    dst->timeout_ms = src->timeout_ms;
    dst->max_age_ms = src->max_age_ms;
    dst->resend_ms = src->resend_ms;
    dst->max_concurrency = src->max_concurrency;
    src->url = tmp.url;
    src->secret = tmp.secret;
    src->headers = tmp.headers;
    src->nheaders = tmp.nheaders;
    src->ca_file = tmp.ca_file;
    dlv_rcv_free(src);
}

/* ---- tracking rows sent ------------------------------------------------------------------- */

struct track *
dlv_track_find(struct rcv *r, int64_t id)
{
    for (size_t i = 0; i < r->ntr; i++)
        if (r->tr[i].id == id)
            return &r->tr[i];
    return NULL;
}

void
dlv_track_del(struct rcv *r, struct track *t)
{
    *t = r->tr[--r->ntr];
}

int
dlv_track_add(struct rcv *r, const struct storage_outbox_item *it)
{
    if (r->ntr == r->captr) {
        size_t nc = r->captr ? r->captr * 2 : 8;
        struct track *nt = realloc(r->tr, nc * sizeof(*nt));
        if (!nt)
            return IC_ENOMEM;
        r->tr = nt;
        r->captr = nc;
    }
    r->tr[r->ntr++] = (struct track){
        .id = it->id, .attempts = it->attempts, .created_at = it->created_at, .inflight = 1};
    return 0;
}

/*
 * Marks the items to skip (in flight, or reported and not yet committed) and
 * forgets entries whose outcome the items show committed. truncated: the
 * query hit its limit, so only rows with an id below the last one prove
 * anything by their absence.
 */
void
dlv_track_reconcile(struct rcv *r, const struct storage_outbox_item *v, size_t n, int truncated,
                    char *skip)
{
    int64_t last = n ? v[n - 1].id : 0;
    for (size_t i = 0; i < r->ntr;) {
        struct track *t = &r->tr[i];
        size_t k = 0;
        while (k < n && v[k].id != t->id)
            k++;
        if (k < n &&
            (t->inflight || (v[k].attempts == t->attempts && v[k].created_at == t->created_at))) {
            skip[k] = 1;
            i++;
        } else if (k == n && (t->inflight || (truncated && t->id > last))) {
            i++;
        } else {
            dlv_track_del(r, t); /* committed: the row changed or is no longer due */
        }
    }
}
