/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd_db.h - the commands that read the daemon's database without the daemon
 * (`inventory`, `query`, `alerts`), and what they share: finding and opening the file.
 */
#ifndef IC_CMD_DB_H
#define IC_CMD_DB_H

#include <stdint.h>

struct storage;

/*
 * Opens the database read-only: the file given with -d, else the one the
 * configuration file given with -c names. Prints what went wrong (naming the
 * file) and returns an exit status; 0 and *out on success.
 */
int cmd_db_open(const char *db, const char *config, struct storage **out);
/* The same, read-write when read_only is 0 (`alerts retry|drop`: storage_close commits). */
int cmd_db_open_mode(const char *db, const char *config, int read_only, struct storage **out);

/* "90s", "15m", "2h", "7d", "1w", "500ms", a plain number = seconds. 0 or -1. */
int cmd_db_parse_duration(const char *s, uint64_t *ms);

int cmd_inventory(int argc, char **argv);
int cmd_query(int argc, char **argv);
int cmd_alerts(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_console_log(int argc, char **argv);

#endif
