"""Benchmark: erasing a person from a 100,000-person SQLite database (issue 13, budget).

Budget: the erasure, including the physical clean-up (WAL checkpoint and VACUUM),
takes at most 5 s. Each run erases the person with the most invitations from a
fresh copy of the database; the figure is the median of ``--runs``.

Not run by pytest. Run: ``python tests/benchmarks/bench_erasure.py --database FILE.db``
(a demo database: ``roundtable-app demo --people 100000 --roundtables 2000 --invitees
50 --out FILE.db``, as ``bench_statistics.py --keep`` makes).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # this checkout's package

BUDGET_S = 5.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="a demo SQLite file (kept as it is)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    from sqlalchemy import func, select

    from roundtable_app.services import privacy
    from roundtable_app.storage.models import Invitation, Person
    from roundtable_app.storage.unit_of_work import open_database

    folder = Path(tempfile.mkdtemp(prefix="bench-erasure-"))
    times, erase_only = [], []
    for run in range(args.runs):
        copy = folder / f"run{run}.db"
        shutil.copyfile(args.database, copy)
        db = open_database(f"sqlite:///{copy}")
        with db.reading() as s:
            people = s.scalar(select(func.count()).select_from(Person))
            person, invitations = s.execute(
                select(Invitation.person_id, func.count())
                .where(Invitation.person_id.is_not(None))
                .group_by(Invitation.person_id)
                .order_by(func.count().desc())
                .limit(1)
            ).one()
        size = copy.stat().st_size / 1e6
        t0 = time.perf_counter()
        with db.transaction() as s:
            privacy.erase_person(s, person)
        t1 = time.perf_counter()
        privacy.clean_up(db)
        t2 = time.perf_counter()
        db.close()
        times.append(t2 - t0)
        erase_only.append(t1 - t0)
        print(
            f"run {run + 1}: {people:,} people, {size:.0f} MB; person #{person} with "
            f"{invitations} invitations: erased in {t1 - t0:.2f} s, files rewritten in "
            f"{t2 - t1:.2f} s"
        )
        copy.unlink()
    median = statistics.median(times)
    verdict = "met" if median <= BUDGET_S else "MISSED"
    print(
        f"erasure with clean-up: median {median:.2f} s over {args.runs} (erasure alone "
        f"{statistics.median(erase_only):.2f} s); budget {BUDGET_S:.0f} s: {verdict}"
    )
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
