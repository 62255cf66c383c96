/* SPDX-License-Identifier: Apache-2.0 */
/*
 * storage_fixture.h - shared by the storage tests (storage_fixture.c).
 */
#ifndef IC_STORAGE_FIXTURE_H
#define IC_STORAGE_FIXTURE_H

#include <stdio.h>

#include "storage.h"

#define T0 1700000100000ull /* unix ms, a multiple of 5 minutes */

/* The test's database file, in a directory of its own. */
extern char stf_path[128];

/* cmocka setup/teardown: a fresh directory; the database and its WAL removed after. */
int stf_setup(void **state);
int stf_teardown(void **state);
/* storage_open() and storage_start() on stf_path; fails the test on an error. */
struct storage *stf_open(const struct storage_opts *o);
/* One integer from plain SQL on the file (an independent reader); a TEMP VIEW
 * "samples" lists the packed sweeps one sample per row. -1 if no row. */
long long stf_sql1(const char *sql);

typedef int (*stf_query_fn)(struct storage *, const struct storage_filter *, enum storage_format,
                            FILE *);
/* A query's output as a string (caller frees); the query must return want_rc. */
char *stf_capture(stf_query_fn fn, struct storage *st, const struct storage_filter *f,
                  enum storage_format fmt, int want_rc);
/* storage_query_sensor's CSV for target/sensor since the start equals want. */
void stf_expect_sensor_csv(struct storage *st, const char *target, const char *sensor,
                           const char *want);

/* A SEL entry with record ID id, its raw bytes filled with fill. */
void stf_sel_rec(struct storage_sel *e, uint16_t id, uint8_t fill);

#endif
