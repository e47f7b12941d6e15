"""Benchmark the daily backup of a 100,000-person database (not collected by pytest).

Usage::

    python tests/benchmarks/bench_backup.py [--database FILE.db] [--people 100000] [--runs 5]

Without ``--database`` it makes the demo database first
(``python -m roundtable_app demo --people 100000 --out FILE``; keep one in /tmp
and pass it to skip that minute). The database is copied to a temporary
folder, opened as the app opens it, and the daily backup is timed ``--runs``
times (each on a new day, so each makes a copy: SQLite's online backup, the
copy's quick_check, fsync, rename, and the retention sweep). The restore's
full check (integrity_check) of one copy is timed as well, for information.
Budget (issue 13, section 5): the daily backup in at most 2 s, off the UI
thread (the window runs it on a worker; see tests/ui/backup).
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

BUDGET_S = 2.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="a demo database to copy (default: make one)")
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    from roundtable_app.services import backup
    from roundtable_app.storage.unit_of_work import open_database

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "roundtable.db"
        if args.database:
            shutil.copyfile(args.database, path)
        else:
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "roundtable_app",
                    "demo",
                    "--people",
                    str(args.people),
                    "--out",
                    str(path),
                ],
                check=True,
                cwd=ROOT,
            )
        db = open_database(f"sqlite:///{path}")
        with db.reading() as session:
            from sqlalchemy import text

            people = session.execute(text("SELECT count(*) FROM person")).scalar_one()
        size = path.stat().st_size
        times = []
        day = dt.datetime(2026, 12, 7, 9, 0)
        for run in range(args.runs):
            start = time.perf_counter()
            result = backup.daily_backup(db, keep=3, now=day + dt.timedelta(days=run))
            times.append(time.perf_counter() - start)
            assert result is not None and result.size == size
        copies = backup.list_copies(db)
        assert len(copies) == 3, copies
        start = time.perf_counter()
        backup.check_backup(copies[0].path)
        check_s = time.perf_counter() - start
        db.close()

    median = statistics.median(times)
    print(f"database: {people:,} people, {size / 1e6:.1f} MB")
    print("daily backup runs: " + ", ".join(f"{t:.2f} s" for t in times))
    print(f"daily backup median: {median:.2f} s (budget {BUDGET_S:.1f} s)")
    print(f"restore's full check of one copy: {check_s:.2f} s")
    return 0 if median <= BUDGET_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
