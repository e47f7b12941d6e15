"""Benchmark: the evidence-needs register on 5,000 needs from 500 roundtables (issue 12).

Budgets: the register's needs are read for the page in at most 0.5 s (the page's
own figure, first paint with rows, is ``bench_register_page.py``); grouping
suggestions take at most 2 s; the register PDF at most 3 s. Also timed: CSV and
.xlsx. Each figure is the median of ``--repeat`` runs after one warm-up run
(the first run, which loads the fonts and numba's compiled kernel from its
cache, is printed too).

Not run by pytest. Run: ``python tests/benchmarks/bench_register.py [--keep DB]
[--database URL]``; the fixture is made once (``register_fixture.py``) and kept
with ``--keep``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # this checkout's package

from tests.benchmarks.register_fixture import make_register_db  # noqa: E402

BUDGETS = {"needs read": 0.5, "suggestions": 2.0, "PDF": 3.0}


def _timed(label: str, run: Callable[[], object], repeat: int) -> float:
    t0 = time.perf_counter()
    run()
    first = time.perf_counter() - t0
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        run()
        times.append(time.perf_counter() - t0)
    median = statistics.median(times)
    budget = BUDGETS.get(label)
    verdict = (
        ""
        if budget is None
        else f"  budget {budget:.1f} s: {'met' if median <= budget else 'MISSED'}"
    )
    print(f"{label:>12}: median {median:.2f} s over {repeat} (first {first:.2f} s){verdict}")
    return median


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", help="a SQLite file to make once and reuse")
    parser.add_argument("--database", help="an empty database URL to fill instead")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from roundtable_app.services import register
    from roundtable_app.storage.unit_of_work import open_database

    folder = Path(tempfile.mkdtemp(prefix="bench-register-"))
    if args.database:
        url = args.database
        make_register_db(url)
    else:
        path = Path(args.keep) if args.keep else folder / "register.db"
        url = f"sqlite:///{path.resolve()}"
        if not path.exists():
            t0 = time.perf_counter()
            count = make_register_db(url)
            print(f"made {count:,} needs in {time.perf_counter() - t0:.0f} s")
    db = open_database(url)
    with db.reading() as session:
        needs = register.list_needs(session)
        print(f"{len(needs):,} needs from {len({n.roundtable_id for n in needs}):,} roundtables")
        _timed("needs read", lambda: register.list_needs(session), args.repeat)
        _timed("suggestions", lambda: register.suggest_groups(session), args.repeat)
        content = register.build_register(session)
    _timed("PDF", lambda: register.write_register_pdf(content, folder / "r.pdf"), args.repeat)
    _timed("CSV", lambda: register.write_register_csv(content, folder / "r.csv"), args.repeat)
    _timed("xlsx", lambda: register.write_register_xlsx(content, folder / "r.xlsx"), args.repeat)
    with db.reading() as session:
        _timed("content", lambda: register.build_register(session), args.repeat)
    db.close()


if __name__ == "__main__":
    main()
