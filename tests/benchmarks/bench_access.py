"""Benchmark: everything held on a person with 200 invitations, in a 100,000-person database.

Budget (issue 13): the subject-access export (gathering and writing the ZIP with its
PDF and JSON) takes at most 1 s. The person is given 200 invitations in a copy of
the database first; the figure is the median of ``--runs`` after one warm-up.

Not run by pytest. Run: ``python tests/benchmarks/bench_access.py --database FILE.db``
(a 100,000-person demo, as ``bench_statistics.py --keep`` makes).
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

BUDGET_S = 1.0
INVITATIONS = 200


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="a demo SQLite file (kept as it is)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    from sqlalchemy import func, insert, select

    from roundtable_app.services import privacy
    from roundtable_app.storage.models import Invitation, Person, Roundtable
    from roundtable_app.storage.unit_of_work import open_database

    folder = Path(tempfile.mkdtemp(prefix="bench-access-"))
    copy = folder / "copy.db"
    shutil.copyfile(args.database, copy)
    db = open_database(f"sqlite:///{copy}")
    with db.transaction() as s:
        people = s.scalar(select(func.count()).select_from(Person))
        person = s.scalar(select(Invitation.person_id).where(Invitation.person_id.is_not(None)))
        have = set(
            s.scalars(select(Invitation.roundtable_id).where(Invitation.person_id == person))
        )
        more = [
            rid
            for rid in s.scalars(select(Roundtable.id).order_by(Roundtable.id))
            if rid not in have
        ][: max(0, INVITATIONS - len(have))]
        s.execute(
            insert(Invitation),
            [
                {"roundtable_id": rid, "person_id": person, "response": "accepted",
                 "attendance": "attended"}
                for rid in more
            ],
        )  # fmt: skip
    times = []
    for run in range(args.runs + 1):
        t0 = time.perf_counter()
        with db.reading() as s:
            content = privacy.subject_access(s, person)
        privacy.write_subject_access(content, folder / f"run{run}.zip")
        if run:  # the first loads the fonts
            times.append(time.perf_counter() - t0)
    db.close()
    median = statistics.median(times)
    print(
        f"{people:,} people; person #{person} with {len(content['invitations'])} invitations: "
        f"export median {median:.2f} s over {args.runs}; budget {BUDGET_S:.0f} s: "
        f"{'met' if median <= BUDGET_S else 'MISSED'}"
    )
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
