#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""bench/wal-aged.py - WAL pages written per committed sample, fresh against aged.

Two layouts of raw samples, as storage/storage_schema.c creates them, WAL,
synchronous=NORMAL, no auto-checkpoint:
  samples  (schema 1-4) one row per sample, WITHOUT ROWID key (sensor_id, ts)
  sweeps   (schema 5)   one row per sweep, key (target_id, ts), 16 bytes a
                        sample in a blob
Commits of BATCH samples of distinct sensors (BATCH / 34 sweeps of 34
sensors), as the daemon's once-a-second commit holds, into (1) a fresh table
and (2) one where every sensor already has ROWS samples (a few hours of
history). Prints WAL pages per commit and per sample, and the CPU per sample.

usage: bench/wal-aged.py [SENSORS=1700] [BATCH=170] [ROWS=1000]
"""
import os
import sqlite3
import sys
import tempfile
import time

SENSORS = int(sys.argv[1]) if len(sys.argv) > 1 else 1700
BATCH = int(sys.argv[2]) if len(sys.argv) > 2 else 170
ROWS = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
COMMITS = 50
PER_SWEEP = 34


def run(path, history, layout):
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA wal_autocheckpoint=0")
    targets = SENSORS // PER_SWEEP
    if layout == "samples":
        db.execute("CREATE TABLE samples(sensor_id INTEGER NOT NULL, ts INTEGER NOT NULL,"
                   " value REAL, state INTEGER NOT NULL, states INTEGER NOT NULL,"
                   " PRIMARY KEY(sensor_id, ts)) WITHOUT ROWID")
    else:
        db.execute("CREATE TABLE sweeps(target_id INTEGER NOT NULL, ts INTEGER NOT NULL,"
                   " data BLOB NOT NULL, PRIMARY KEY(target_id, ts)) WITHOUT ROWID")
    blob = bytes(16 * PER_SWEEP)
    if history:
        db.execute("BEGIN")
        if layout == "samples":
            for s in range(SENSORS):
                db.executemany("INSERT INTO samples VALUES(?, ?, ?, 1, 0)",
                               [(s, t * 10000, 40.0 + t % 7) for t in range(history)])
        else:
            for t in range(targets):
                db.executemany("INSERT INTO sweeps VALUES(?, ?, ?)",
                               [(t, k * 10000, blob) for k in range(history)])
        db.execute("COMMIT")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page = db.execute("PRAGMA page_size").fetchone()[0]
    sid, tgt, ts = 0, 0, (history + 1) * 10000
    c0 = time.process_time()
    for _ in range(COMMITS):
        db.execute("BEGIN")
        if layout == "samples":
            for _ in range(BATCH):
                db.execute("INSERT OR REPLACE INTO samples VALUES(?, ?, 41.0, 1, 0)", (sid, ts))
                sid += 1
                if sid == SENSORS:
                    sid, ts = 0, ts + 10000
        else:
            for _ in range(BATCH // PER_SWEEP):
                db.execute("INSERT OR REPLACE INTO sweeps VALUES(?, ?, ?)", (tgt, ts, blob))
                tgt += 1
                if tgt == targets:
                    tgt, ts = 0, ts + 10000
        db.execute("COMMIT")
    cpu = (time.process_time() - c0) / (COMMITS * BATCH) * 1e6
    frames = os.path.getsize(path + "-wal") / (page + 24)  # frame = 24-byte header + page
    db.close()
    return frames / COMMITS, cpu


print(f"{SENSORS} sensors ({SENSORS // PER_SWEEP} targets of {PER_SWEEP}), commits of {BATCH} "
      f"samples of distinct sensors; history = {ROWS} samples per sensor")
with tempfile.TemporaryDirectory() as d:
    for layout in ("samples", "sweeps"):
        for name, hist in (("fresh", 0), ("aged", ROWS)):
            pages, cpu = run(os.path.join(d, f"{layout}-{name}.db"), hist, layout)
            print(f"{layout:8} {name:6} {pages:6.1f} WAL pages per commit, {pages / BATCH:.3f} per "
                  f"sample; {cpu:.2f} us CPU per sample (Python's included)")
