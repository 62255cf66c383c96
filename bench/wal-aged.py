#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""bench/wal-aged.py - WAL pages written per committed sample, fresh against aged.

The samples table exactly as storage/storage_schema.c creates it (WITHOUT
ROWID, key (sensor_id, ts)), WAL, synchronous=NORMAL, no auto-checkpoint.
Commits of BATCH samples of distinct sensors, as the daemon's once-a-second
commit holds, into (1) a fresh table and (2) one where every sensor already
has ROWS rows (a few hours of history). Prints WAL pages per commit.

usage: bench/wal-aged.py [SENSORS=1700] [BATCH=170] [ROWS=1000]
"""
import os
import sqlite3
import sys
import tempfile

SENSORS = int(sys.argv[1]) if len(sys.argv) > 1 else 1700
BATCH = int(sys.argv[2]) if len(sys.argv) > 2 else 170
ROWS = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
COMMITS = 50


def run(path, history):
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA wal_autocheckpoint=0")
    db.execute("CREATE TABLE samples(sensor_id INTEGER NOT NULL, ts INTEGER NOT NULL, value REAL,"
               " state INTEGER NOT NULL, states INTEGER NOT NULL,"
               " PRIMARY KEY(sensor_id, ts)) WITHOUT ROWID")
    if history:
        db.execute("BEGIN")
        for s in range(SENSORS):
            db.executemany("INSERT INTO samples VALUES(?, ?, ?, 1, 0)",
                           [(s, t * 10000, 40.0 + t % 7) for t in range(history)])
        db.execute("COMMIT")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page = db.execute("PRAGMA page_size").fetchone()[0]
    sid, ts = 0, (history + 1) * 10000
    for _ in range(COMMITS):
        db.execute("BEGIN")
        for _ in range(BATCH):
            db.execute("INSERT OR REPLACE INTO samples VALUES(?, ?, 41.0, 1, 0)", (sid, ts))
            sid += 1
            if sid == SENSORS:
                sid, ts = 0, ts + 10000
        db.execute("COMMIT")
    frames = os.path.getsize(path + "-wal") / (page + 24)  # frame = 24-byte header + page
    db.close()
    return frames / COMMITS


with tempfile.TemporaryDirectory() as d:
    fresh = run(os.path.join(d, "fresh.db"), 0)
    aged = run(os.path.join(d, "aged.db"), ROWS)
print(f"{SENSORS} sensors, commits of {BATCH} samples of distinct sensors")
print(f"fresh table: {fresh:.1f} WAL pages per commit ({fresh / BATCH:.2f} per sample)")
print(f"aged table ({ROWS} rows per sensor): {aged:.1f} WAL pages per commit "
      f"({aged / BATCH:.2f} per sample)")
