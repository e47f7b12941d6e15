"""Benchmark: the retention review on a 100,000-person SQLite database (issue 13).

Times :func:`privacy.retention_review` for 3 years as of today (few people
listed) and as of ten years ahead (everyone listed: the whole directory read
and explained); the figures are the medians of ``--runs``. The database is
only read.

Not run by pytest. Run: ``python tests/benchmarks/bench_retention.py --database FILE.db``
(a demo database: ``roundtable-app demo --people 100000 --out FILE.db``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # this checkout's package


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="a demo SQLite file (only read)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    from sqlalchemy import func, select

    from roundtable_app.services import privacy
    from roundtable_app.storage.models import AuditEntry, Invitation, Person
    from roundtable_app.storage.unit_of_work import open_database

    db = open_database(f"sqlite:///{Path(args.database).resolve()}", create=False)
    with db.reading() as s:
        people = s.scalar(select(func.count()).select_from(Person))
        invitations = s.scalar(select(func.count()).select_from(Invitation))
        entries = s.scalar(select(func.count()).select_from(AuditEntry))
    print(f"{people:,} people, {invitations:,} invitations, {entries:,} audit entries")
    today = dt.datetime.now(dt.UTC).date()
    for label, day in (("today", today), ("ten years ahead", today.replace(year=today.year + 10))):
        times = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            with db.reading() as s:
                found = privacy.retention_review(s, 3, day)
            times.append(time.perf_counter() - t0)
        print(
            f"review for 3 years as of {label}: {len(found):,} listed; "
            f"median {statistics.median(times):.3f} s over {args.runs} "
            f"(min {min(times):.3f}, max {max(times):.3f})"
        )
    db.close()


if __name__ == "__main__":
    main()
