/* SPDX-License-Identifier: Apache-2.0 */
/*
 * storage_msg.c - storage_put_*(): copies the caller's data into one heap
 * message (one allocation: arrays and strings packed after the header) and
 * queues it for the writer. Never touches the database, never blocks: a full
 * queue drops the message and counts it.
 */
#include "storage_int.h"

#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ic_err.h"
#include "queue.h"

/* struct storage_pack (storage_int.h): a bump allocator over the message's single allocation. */

static size_t
align_up(size_t n)
{
    size_t a = alignof(max_align_t);
    return (n + a - 1) / a * a;
}

static void *
pack_take(struct storage_pack *k, size_t n)
{
    n = align_up(n);
    if (n > k->left)
        return NULL; /* sizes are computed first: cannot happen */
    void *r = k->p;
    k->p += n;
    k->left -= n;
    return r;
}

static const char *
pack_str(struct storage_pack *k, const char *s)
{
    size_t n = strlen(s ? s : "") + 1;
    char *d = pack_take(k, n);
    if (d)
        memcpy(d, s ? s : "", n);
    return d ? d : "";
}

static size_t
str_size(const char *s)
{
    return align_up(strlen(s ? s : "") + 1);
}

/* Allocates a message with room for extra bytes after it. */
static struct storage_msg *
msg_new(enum storage_msg_kind kind, size_t extra, struct storage_pack *k)
{
    size_t head = align_up(sizeof(struct storage_msg));
    struct storage_msg *m = calloc(1, head + extra);
    if (!m)
        return NULL;
    m->kind = kind;
    k->p = (char *)m + head;
    k->left = extra;
    return m;
}

void
storage_msg_free(void *m)
{
    struct storage_msg *msg = m;
    if (msg && msg->kind == SMSG_CTL && msg->u.ctl.w) {
        /* A waiter must never hang: answer it even when the writer is gone. */
        struct storage_waiter *w = msg->u.ctl.w;
        pthread_mutex_lock(&w->mu);
        w->rc = IC_ECANCELED;
        w->done = 1;
        pthread_cond_signal(&w->cv);
        pthread_mutex_unlock(&w->mu);
    }
    free(m);
}

int
storage_msg_prompt(const struct storage_msg *m)
{
    /* Readings and console lines are the steady stream; the rest is rare and awaited. */
    return (m->kind != SMSG_SAMPLES && m->kind != SMSG_CONSOLE) || m->nalerts > 0;
}

static int
push(struct storage *st, struct storage_msg *m)
{
    /* What can wait is picked up on the writer's next tick: no wake-up per poll. */
    int rc = storage_msg_prompt(m) ? queue_push(st->q, m) : queue_push_lazy(st->q, m);
    if (rc != 0) {
        free(m);
        storage_count(st, &st->stats.dropped, 1);
        return IC_ETOOBIG;
    }
    return 0;
}

static int
writable(const struct storage *st)
{
    return st && st->q && !st->o.read_only;
}

/* JSON string escaping, for the labels object. */
static size_t
json_str(char *out, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    size_t n = 0;
#define PUT(c)            \
    do {                  \
        if (out)          \
            out[n] = (c); \
        n++;              \
    } while (0)
    PUT('"');
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p == '"' || *p == '\\') {
            PUT('\\');
            PUT((char)*p);
        } else if (*p < 0x20) {
            PUT('\\');
            PUT('u');
            PUT('0');
            PUT('0');
            PUT(hex[*p >> 4]);
            PUT(hex[*p & 15]);
        } else {
            PUT((char)*p);
        }
    }
    PUT('"');
#undef PUT
    return n;
}

static size_t
labels_json(char *out, const struct storage_target *t)
{
    size_t n = 0;
    if (out)
        out[n] = '{';
    n++;
    for (size_t i = 0; i < t->nlabels; i++) {
        if (i) {
            if (out)
                out[n] = ',';
            n++;
        }
        n += json_str(out ? out + n : NULL, t->labels[i].name);
        if (out)
            out[n] = ':';
        n++;
        n += json_str(out ? out + n : NULL, t->labels[i].value);
    }
    if (out) {
        out[n] = '}';
        out[n + 1] = '\0';
    }
    return n + 2;
}

int
storage_put_targets(struct storage *st, const struct storage_target *v, size_t n)
{
    struct storage_pack k;
    size_t extra = align_up(n * sizeof(*v)) + align_up(n * sizeof(char *));
    if (!writable(st))
        return IC_EINVAL;
    for (size_t i = 0; i < n; i++)
        extra += str_size(v[i].name) + str_size(v[i].host) + align_up(labels_json(NULL, &v[i]));
    struct storage_msg *m = msg_new(SMSG_TARGETS, extra, &k);
    if (!m)
        return IC_ENOMEM;
    m->n = n;
    m->nrows = n + 1;
    m->u.targets = pack_take(&k, n * sizeof(*v));
    m->tjson = pack_take(&k, n * sizeof(char *));
    for (size_t i = 0; i < n; i++) {
        struct storage_target *t = &m->u.targets[i];
        t->name = pack_str(&k, v[i].name);
        t->host = pack_str(&k, v[i].host);
        t->port = v[i].port;
        char *j = pack_take(&k, labels_json(NULL, &v[i]));
        labels_json(j, &v[i]);
        m->tjson[i] = j;
    }
    return push(st, m);
}

int
storage_put_samples(struct storage *st, const char *target, uint64_t ts_unix_ms,
                    const struct storage_sample *v, size_t n)
{
    return storage_put_samples_alerts(st, target, ts_unix_ms, v, n, NULL, 0);
}

int
storage_put_samples_alerts(struct storage *st, const char *target, uint64_t ts_unix_ms,
                           const struct storage_sample *v, size_t n, const struct storage_alert *a,
                           size_t na)
{
    struct storage_pack k;
    size_t extra = str_size(target) + align_up(n * sizeof(*v)) + storage_alerts_size(a, na);
    if (!writable(st))
        return IC_EINVAL;
    for (size_t i = 0; i < n; i++)
        extra += str_size(v[i].name) + str_size(v[i].unit);
    struct storage_msg *m = msg_new(SMSG_SAMPLES, extra, &k);
    if (!m)
        return IC_ENOMEM;
    m->target = pack_str(&k, target);
    m->ts = ts_unix_ms;
    m->n = n;
    m->nrows = n;
    m->u.samples = pack_take(&k, n * sizeof(*v));
    for (size_t i = 0; i < n; i++) {
        m->u.samples[i] = v[i];
        m->u.samples[i].name = pack_str(&k, v[i].name);
        m->u.samples[i].unit = pack_str(&k, v[i].unit);
    }
    storage_alerts_copy(m, &k, a, na);
    return push(st, m);
}

int
storage_put_sel(struct storage *st, const char *target, uint64_t ts_unix_ms,
                const struct storage_sel *v, size_t n, int reset,
                const struct ipmi_sel_cursor *cursor)
{
    return storage_put_sel_alerts(st, target, ts_unix_ms, v, n, reset, cursor, NULL, 0);
}

int
storage_put_sel_alerts(struct storage *st, const char *target, uint64_t ts_unix_ms,
                       const struct storage_sel *v, size_t n, int reset,
                       const struct ipmi_sel_cursor *cursor, const struct storage_alert *a,
                       size_t na)
{
    struct storage_pack k;
    size_t extra = str_size(target) + align_up(n * sizeof(*v)) + storage_alerts_size(a, na);
    if (!writable(st))
        return IC_EINVAL;
    for (size_t i = 0; i < n; i++)
        extra += str_size(v[i].sensor) + str_size(v[i].event) + str_size(v[i].detail);
    struct storage_msg *m = msg_new(SMSG_SEL, extra, &k);
    if (!m)
        return IC_ENOMEM;
    m->target = pack_str(&k, target);
    m->ts = ts_unix_ms;
    m->n = n;
    m->nrows = n + 1 + (reset != 0);
    m->reset = reset != 0;
    if (cursor) {
        m->has_cursor = 1;
        m->cursor = *cursor;
    }
    m->u.sel = pack_take(&k, n * sizeof(*v));
    for (size_t i = 0; i < n; i++) {
        m->u.sel[i] = v[i];
        m->u.sel[i].sensor = pack_str(&k, v[i].sensor);
        m->u.sel[i].event = pack_str(&k, v[i].event);
        m->u.sel[i].detail = pack_str(&k, v[i].detail);
    }
    storage_alerts_copy(m, &k, a, na);
    return push(st, m);
}

int
storage_put_sdr(struct storage *st, const char *target, const uint8_t *blob, size_t len)
{
    struct storage_pack k;
    if (!writable(st))
        return IC_EINVAL;
    struct storage_msg *m = msg_new(SMSG_SDR, str_size(target) + align_up(len ? len : 1), &k);
    if (!m)
        return IC_ENOMEM;
    m->target = pack_str(&k, target);
    m->nrows = 1;
    m->u.sdr.blob = pack_take(&k, len ? len : 1);
    m->u.sdr.len = len;
    if (len)
        memcpy(m->u.sdr.blob, blob, len);
    return push(st, m);
}

static void
copy_field(char *dst, const struct ipmi_fru_field *f)
{
    memcpy(dst, f->text, IPMI_FRU_TEXT_MAX);
    dst[IPMI_FRU_TEXT_MAX] = '\0';
}

int
storage_put_inventory(struct storage *st, const char *target, uint64_t ts_unix_ms,
                      const struct ipmi_devid *devid, const char *guid, const struct ipmi_fru *fru)
{
    struct storage_pack k;
    if (!writable(st))
        return IC_EINVAL;
    struct storage_msg *m =
        msg_new(SMSG_INVENTORY, str_size(target) + align_up(sizeof(*m->u.inv)), &k);
    if (!m)
        return IC_ENOMEM;
    m->target = pack_str(&k, target);
    m->ts = ts_unix_ms;
    m->nrows = 1;
    struct storage_inv *inv = m->u.inv = pack_take(&k, sizeof(*m->u.inv));
    if (devid) {
        inv->has_devid = 1;
        inv->manufacturer_id = devid->manufacturer_id;
        inv->product_id = devid->product_id;
        inv->device_id = devid->device_id;
        ipmi_devid_fw_str(devid, inv->firmware, sizeof(inv->firmware));
        ipmi_devid_ipmi_str(devid, inv->ipmi_version, sizeof(inv->ipmi_version));
    }
    if (guid) {
        inv->has_guid = 1;
        snprintf(inv->guid, sizeof(inv->guid), "%s", guid);
    }
    if (fru) {
        inv->has_fru = 1;
        copy_field(inv->board_mfg, &fru->board_mfg);
        copy_field(inv->board_product, &fru->board_product);
        copy_field(inv->board_serial, &fru->board_serial);
        copy_field(inv->board_part, &fru->board_part);
        copy_field(inv->product_mfg, &fru->product_mfg);
        copy_field(inv->product_name, &fru->product_name);
        copy_field(inv->product_serial, &fru->product_serial);
        copy_field(inv->product_part, &fru->product_part);
        copy_field(inv->product_version, &fru->product_version);
        copy_field(inv->chassis_serial, &fru->chassis_serial);
        copy_field(inv->chassis_part, &fru->chassis_part);
    }
    return push(st, m);
}

int
storage_put_state(struct storage *st, const char *target, uint64_t ts_unix_ms, const char *state,
                  const char *error)
{
    return storage_put_state_alerts(st, target, ts_unix_ms, state, error, NULL, 0);
}

/* state NULL: only the alerts (a retry of alerts whose message did not fit in the queue). */
int
storage_put_state_alerts(struct storage *st, const char *target, uint64_t ts_unix_ms,
                         const char *state, const char *error, const struct storage_alert *a,
                         size_t na)
{
    struct storage_pack k;
    if (!writable(st))
        return IC_EINVAL;
    struct storage_msg *m = msg_new(
        SMSG_STATE,
        str_size(target) + str_size(state) + str_size(error) + storage_alerts_size(a, na), &k);
    if (!m)
        return IC_ENOMEM;
    m->target = pack_str(&k, target);
    m->ts = ts_unix_ms;
    m->nrows = 2 + na;
    m->u.state.state = state ? pack_str(&k, state) : NULL;
    m->u.state.error = pack_str(&k, error);
    storage_alerts_copy(m, &k, a, na);
    return push(st, m);
}

/* ---- building blocks for storage_outbox.c ---- */

struct storage_msg *
storage_msg_new(enum storage_msg_kind kind, size_t extra, struct storage_pack *k)
{
    return msg_new(kind, extra, k);
}

void *
storage_pack_take(struct storage_pack *k, size_t n)
{
    return pack_take(k, n);
}

const char *
storage_pack_str(struct storage_pack *k, const char *s)
{
    return pack_str(k, s);
}

size_t
storage_str_size(const char *s)
{
    return str_size(s);
}

int
storage_msg_push(struct storage *st, struct storage_msg *m)
{
    if (!writable(st)) {
        free(m);
        return IC_EINVAL;
    }
    return push(st, m);
}
