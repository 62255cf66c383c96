/* SPDX-License-Identifier: Apache-2.0 */
/*
 * storage_sids.c - the writer's memory of sensor ids. A target's sweep lists
 * its sensors in the same order every time, so the id of the sensor at
 * position i of the last sweep, with a hash of everything its row holds
 * (record ID, number, type, name, unit), answers the next sweep's lookup
 * without a query: half the writer's work per reading. A changed sensor, a
 * new one or a moved one misses and goes through SQL as before.
 *
 * Sensors and targets are never deleted, so an id stays right as long as the
 * transaction that wrote it committed: the writer forgets everything after a
 * rollback. 12 bytes a sensor: 4.8 MB for 10,000 targets of 40 sensors.
 */
#include <stdlib.h>
#include <string.h>

#include "storage_int.h"

#define SIDS_MAX_TARGET_ID (1 << 22) /* ids beyond this (a very old database) are not kept */
#define SIDS_MAX_SENSORS   4096      /* positions per target */
#define SIDS_STEP          8         /* growth: a sweep's sensors, plus at most 7 */

struct sids_entry { /* three words, not a 16-byte pair: 10,000 targets make the difference */
    uint32_t key_lo, key_hi; /* 0, 0 = empty */
    uint32_t id;             /* ids above 2^32 - 1 are not kept */
};

struct sids_target {
    uint32_t cap;
    struct sids_entry e[];
};

static uint64_t
fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

uint64_t
storage_sids_key(const struct storage_sample *v)
{
    unsigned char fixed[4] = {(unsigned char)(v->record_id & 0xffu),
                              (unsigned char)(v->record_id >> 8), v->number, v->sensor_type};
    uint64_t h = fnv(0xcbf29ce484222325ull, fixed, sizeof(fixed));
    h = fnv(h, v->name, strlen(v->name) + 1); /* the NUL separates name from unit */
    h = fnv(h, v->unit, strlen(v->unit));
    return h ? h : 1;
}

int64_t
storage_sids_get(const struct storage *st, int64_t tid, size_t pos, uint64_t key)
{
    if (tid <= 0 || (size_t)tid >= st->sids_n || !st->sids[tid])
        return 0;
    const struct sids_target *t = st->sids[tid];
    if (pos >= t->cap || t->e[pos].key_lo != (uint32_t)key || t->e[pos].key_hi != key >> 32)
        return 0;
    return t->e[pos].id;
}

void
storage_sids_put(struct storage *st, int64_t tid, size_t pos, uint64_t key, int64_t id)
{
    if (tid <= 0 || tid >= SIDS_MAX_TARGET_ID || pos >= SIDS_MAX_SENSORS || id <= 0 ||
        id > (int64_t)UINT32_MAX)
        return; /* not kept: looked up in SQL every time, still right */
    size_t ti = (size_t)tid;
    if (ti >= st->sids_n) {
        size_t n = st->sids_n ? st->sids_n : 64;
        while (n <= ti)
            n *= 2;
        struct sids_target **g = realloc(st->sids, n * sizeof(*g));
        if (!g)
            return;
        memset(g + st->sids_n, 0, (n - st->sids_n) * sizeof(*g));
        st->sids = g;
        st->sids_n = n;
    }
    struct sids_target *t = st->sids[ti];
    if (!t || pos >= t->cap) {
        size_t cap = t ? t->cap : 0, want = (pos / SIDS_STEP + 1) * SIDS_STEP;
        struct sids_target *g = realloc(t, sizeof(*g) + want * sizeof(g->e[0]));
        if (!g)
            return;
        memset(g->e + cap, 0, (want - cap) * sizeof(g->e[0]));
        g->cap = (uint32_t)want;
        st->sids[ti] = t = g;
    }
    t->e[pos].key_lo = (uint32_t)key;
    t->e[pos].key_hi = (uint32_t)(key >> 32);
    t->e[pos].id = (uint32_t)id;
}

void
storage_sids_clear(struct storage *st)
{
    for (size_t i = 0; i < st->sids_n; i++)
        free(st->sids[i]);
    free(st->sids);
    st->sids = NULL;
    st->sids_n = 0;
}
